/*
 * host.h -- the host provider's kernels.  They work on DLTensors whose data
 * is plain host memory, so the strict provider reuses them after its own
 * checks and pointer decoding.  All follow the xp_ops slot contracts.
 */
#ifndef XP_HOST_H
#define XP_HOST_H

#include "xp_internal.h"

/* XP__SIMD_CLONES before a hot loop's function: with GCC on x86-64 Linux
 * (GNU ifunc) it is also built for AVX2 and AVX-512F, and the loader picks
 * the variant the CPU runs (FFTW does the same for its codelets, so a
 * baseline SSE2 loop beside them would be measured against AVX2).  The
 * variants compute the same operations per element (no FMA contraction
 * under -std=c11), so results do not depend on the CPU.  -DXP_NO_CLONES
 * builds the baseline only. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(XP_NO_CLONES)
#define XP__SIMD_CLONES __attribute__((target_clones("default", "avx2", "avx512f")))
#else
#define XP__SIMD_CLONES
#endif

/* The host provider's context: thread count for batched work. */
typedef struct {
    int nthreads;       /* >= 1 */
} xp__host_ctx;

int xp__host_threads(void *ctx);   /* threads to use for batched work */

/* Number of rows of t over its batch axes (all but the last; 1 for 0-d/1-d). */
static inline int64_t xp__rows(const DLTensor *t)
{
    int64_t n = 1;
    for (int d = 0; d < t->ndim - 1; d++)
        n *= t->shape[d];
    return n;
}

/* Element offset of batch row r (0 <= r < xp__rows(t)) of t. */
static inline int64_t xp__row_offset(const DLTensor *t, int64_t r)
{
    int64_t off = 0;
    for (int d = t->ndim - 2; d >= 0; d--) {
        int64_t n = t->shape[d];
        off += (r % n) * t->strides[d];
        r /= n;
    }
    return off;
}

/* Length and stride of the last axis (1 and 0 for a 0-d tensor). */
static inline int64_t xp__last_len(const DLTensor *t)
{
    return t->ndim ? t->shape[t->ndim - 1] : 1;
}
static inline int64_t xp__last_stride(const DLTensor *t)
{
    return t->ndim ? t->strides[t->ndim - 1] : 0;
}

/* First element of t as a byte pointer. */
static inline char *xp__base(const DLTensor *t)
{
    return (char *)t->data + t->byte_offset;
}

/* ---- shared by the host kernels (host_elementwise.c) ------------------ */

/* Work on one run of n elements: p[k] is operand k's first element and s[k]
 * its stride in elements (may be 0 or negative). */
typedef void (*xp__host_rowfn)(int64_t n, char *const *p, const int64_t *s,
                               const void *arg);

/* Call fn over every position of shape[ndim] for nops (1..3) operands with
 * the given base pointers, element strides and element sizes.  Dimensions
 * are reordered and merged where all operands allow, and the work is split
 * over xp__host_threads(ctx) OpenMP threads when elements * cost is large.
 * fn may run concurrently on disjoint positions; xp__host_walk_tid() tells
 * it which of the (at most xp__host_threads(ctx)) walker threads it is on. */
void xp__host_walk(void *ctx, int ndim, const int64_t *shape, int nops,
                   char *const *base, const int64_t *const *strides,
                   const size_t *esize, int64_t cost, xp__host_rowfn fn,
                   const void *arg);

int xp__host_walk_tid(void);

/* "[3,4]" for messages; buf has XP__HOST_SHAPE_BUF bytes. */
#define XP__HOST_SHAPE_BUF 360
const char *xp__host_shape_str(int ndim, const int64_t *shape, char *buf);

int xp__host_alloc(void *ctx, size_t nbytes, void **data);
void xp__host_free(void *ctx, void *data);
int xp__host_upload(void *ctx, const void *src, const DLTensor *dst);
int xp__host_download(void *ctx, const DLTensor *src, void *dst);
int xp__host_fill(void *ctx, const DLTensor *dst, double re, double im);
int xp__host_unary(void *ctx, xp_unary_op op, const DLTensor *x, const DLTensor *y);
int xp__host_binary(void *ctx, xp_binary_op op, const DLTensor *a,
                    const DLTensor *b, const DLTensor *out);
int xp__host_affine(void *ctx, const DLTensor *x, double alpha_re,
                    double alpha_im, double beta_re, double beta_im,
                    const DLTensor *y);
int xp__host_reduce(void *ctx, xp_reduce_op op, const DLTensor *x, int axis,
                    const DLTensor *y);
int xp__host_fft(void *ctx, xp_fft_kind kind, int64_t n, double scale,
                 const DLTensor *x, const DLTensor *y);
int xp__host_gemm(void *ctx, char transa, char transb, double alpha_re,
                  double alpha_im, const DLTensor *A, const DLTensor *B,
                  double beta_re, double beta_im, const DLTensor *C);
int xp__host_lfilter(void *ctx, const DLTensor *b, const DLTensor *a,
                     const DLTensor *x, const DLTensor *zi, const DLTensor *y,
                     const DLTensor *zf);
int xp__host_sosfilt(void *ctx, const DLTensor *sos, const DLTensor *x,
                     const DLTensor *zi, const DLTensor *y, const DLTensor *zf);
int xp__host_welch_segments(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                            const DLTensor *y, const DLTensor *w, const DLTensor *sxy,
                            const DLTensor *sxx, const DLTensor *syy);
int xp__host_segment_spectra(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                             const DLTensor *w, const DLTensor *X);
int xp__host_interp(void *ctx, const DLTensor *x, const DLTensor *xp, const DLTensor *fp,
                    const DLTensor *y);
int xp__host_set_threads(void *ctx, int n);

/* ---- dense linear algebra for host-side coefficient math -------------- */

/* Eigenvalues wr[n] + i wi[n] of the n x n row-major matrix A (LAPACK
 * dgeev, balanced, as numpy.linalg.eigvals); for the signal layer's
 * polynomial roots, which may not call LAPACK itself. */
int xp__host_eigvals(int64_t n, const double *A_rowmajor, double *wr, double *wi);
int xp__host_stats(void *ctx, xp_provider_stats *st, int reset);

#endif /* XP_HOST_H */
