/*
 * strict.h -- internals of the strict test provider (our array-api-strict).
 *
 * Memory: every allocation is a block
 *
 *     [ header | front guard | user bytes | back guard ]
 *
 * handed out as an encoded handle (the user address XOR a key that makes
 * it non-canonical), so algorithm code that dereferences a tensor's data
 * faults at once.  Only this provider turns a handle back into an address,
 * through a registry of live blocks.  Every op validates its tensors against
 * that registry and the xp_ops contract, decodes them into host DLTensors,
 * runs the host kernel and then checks the guard zones of what it wrote.
 */
#ifndef XP_STRICT_H
#define XP_STRICT_H

#include <pthread.h>
#include <stdatomic.h>
#include "providers/host/host.h"
#include "strict_debug.h"

#define XP__STRICT_GUARD 64          /* guard bytes on each side */
#define XP__STRICT_HEADER 64         /* header room before the front guard */
#define XP__STRICT_BUCKETS 4096      /* registry hash buckets (power of 2) */

/* One live allocation; lives at the start of its own block. */
typedef struct xp__strict_block {
    struct xp__strict_block *next;   /* registry hash chain */
    uint64_t handle;                 /* what callers see as DLTensor.data */
    char *data;                      /* the real address of the user bytes */
    size_t size;                     /* user bytes */
} xp__strict_block;

typedef struct {
    xp__host_ctx host;               /* handed to the host kernels */
    pthread_mutex_t lock;            /* guards the registry */
    xp__strict_block *buckets[XP__STRICT_BUCKETS];
    atomic_uint generation;          /* varies handles of reused addresses */
    atomic_llong uploads, downloads, upload_bytes, download_bytes;
    atomic_llong allocs, alloc_bytes;
    atomic_long corruptions;         /* found at free, ever */
    atomic_long pending;             /* found at free, not yet reported */
} xp__strict_ctx;

/* A validated tensor: the caller's tensor decoded into a host one. */
typedef struct {
    const char *name;                /* argument name for messages */
    DLTensor t;                      /* host view: data = real address */
    const DLTensor *orig;            /* the caller's tensor */
    xp__strict_block *blk;
    xp_dtype dtype;
    size_t isz;                      /* element bytes */
    int64_t count;                   /* elements */
    int64_t lo, hi;                  /* bytes [lo, hi) from blk->data touched; lo == hi if empty */
} xp__strict_view;

static inline int xp__strict_is_cplx(xp_dtype d)
{
    return d == XP_COMPLEX64 || d == XP_COMPLEX128;
}
static inline xp_dtype xp__strict_real(xp_dtype d)     /* complex -> its real */
{
    return d == XP_COMPLEX64 ? XP_FLOAT32 : d == XP_COMPLEX128 ? XP_FLOAT64 : d;
}
static inline xp_dtype xp__strict_cplx(xp_dtype d)     /* real -> its complex */
{
    return d == XP_FLOAT32 ? XP_COMPLEX64 : d == XP_FLOAT64 ? XP_COMPLEX128 : d;
}

/* ---- memory (strict_memory.c) ---------------------------------------- */

int xp__strict_alloc(void *ctx, size_t nbytes, void **data);
void xp__strict_free(void *ctx, void *data);
/* The live block whose handle is h, or NULL. */
xp__strict_block *xp__strict_lookup(xp__strict_ctx *c, uint64_t h);
/* 0 if both guard zones of b are intact, else XP_EINTERNAL with a message
 * naming fn. */
int xp__strict_guard_check(const char *fn, const xp__strict_block *b);

/* ---- validation (strict_check.c) ------------------------------------- */

/* Report (once) corruption found by an earlier free; call first in every op. */
int xp__strict_enter(xp__strict_ctx *c, const char *fn);
/* Validate t (name for messages) and decode it into v. */
int xp__strict_take(xp__strict_ctx *c, const char *fn, const char *name,
                    const DLTensor *t, xp__strict_view *v);
/* Same ndim and shape. */
int xp__strict_same_shape(const char *fn, const xp__strict_view *a,
                          const xp__strict_view *b);
/* a's dtype is want. */
int xp__strict_dtype_is(const char *fn, const xp__strict_view *a, xp_dtype want);
/* Optional state tensor (zi/zf): batch shape of x followed by tail[ntail]. */
int xp__strict_state_shape(const char *fn, const xp__strict_view *s,
                           const xp__strict_view *x, int ntail,
                           const int64_t *tail);
/* Element i (offset in elements from the first) of v as a complex value. */
void xp__strict_read(const xp__strict_view *v, int64_t elem, double *re,
                     double *im);
/* Guard zones of every written tensor after the host kernel returned rc. */
int xp__strict_leave(const char *fn, int rc, int nout,
                     const xp__strict_view *const *out);

/* ---- aliasing (strict_overlap.c) ------------------------------------- */

/* An output: no element written twice (no zero or interleaving strides). */
int xp__strict_writable(const char *fn, const xp__strict_view *out);
/* out shares no byte with in, unless alias_ok and out is exactly in. */
int xp__strict_disjoint(const char *fn, const xp__strict_view *out,
                        const xp__strict_view *in, int alias_ok);

/* ---- ops (strict_transfer.c, strict_elementwise.c, strict_compute.c,
 *           strict_filter.c) ------------------------------------------- */

int xp__strict_upload(void *ctx, const void *src, const DLTensor *dst);
int xp__strict_download(void *ctx, const DLTensor *src, void *dst);
int xp__strict_fill(void *ctx, const DLTensor *dst, double re, double im);
int xp__strict_unary(void *ctx, xp_unary_op op, const DLTensor *x,
                     const DLTensor *y);
int xp__strict_binary(void *ctx, xp_binary_op op, const DLTensor *a,
                      const DLTensor *b, const DLTensor *out);
int xp__strict_affine(void *ctx, const DLTensor *x, double alpha_re,
                      double alpha_im, double beta_re, double beta_im,
                      const DLTensor *y);
int xp__strict_reduce(void *ctx, xp_reduce_op op, const DLTensor *x, int axis,
                      const DLTensor *y);
int xp__strict_fft(void *ctx, xp_fft_kind kind, int64_t n, double scale,
                   const DLTensor *x, const DLTensor *y);
int xp__strict_interp(void *ctx, const DLTensor *x, const DLTensor *xp, const DLTensor *fp,
                      const DLTensor *y);
int xp__strict_gemm(void *ctx, char transa, char transb, double alpha_re,
                    double alpha_im, const DLTensor *A, const DLTensor *B,
                    double beta_re, double beta_im, const DLTensor *C);
int xp__strict_lfilter(void *ctx, const DLTensor *b, const DLTensor *a,
                       const DLTensor *x, const DLTensor *zi,
                       const DLTensor *y, const DLTensor *zf);
int xp__strict_sosfilt(void *ctx, const DLTensor *sos, const DLTensor *x,
                       const DLTensor *zi, const DLTensor *y,
                       const DLTensor *zf);

#endif /* XP_STRICT_H */
