/*
 * xp_ops.h -- the table of array operations every provider fills.
 *
 * Modelled on SQLite's sqlite3_io_methods: the table starts with the ABI
 * version the provider implements and its own size, slots are grouped by the
 * version that added them, and a slot may be NULL (the operation is then
 * reported unavailable).  New versions only append slots.
 *
 * Every tensor argument is a DLTensor of the provider's own device with
 * explicit element strides (never NULL; the array layer fills them) that may
 * be negative or zero; data + byte_offset is the first element.  Operations
 * validate what they depend on and return an XP_E* status, setting the
 * message through xp_error().  Outputs never alias inputs unless a slot says
 * so.  A provider must be safe to call from several threads at once.
 *
 * Shapes: "batch" means every axis but the last; operations that work "along
 * the last axis" run independently over each batch row.  Algorithms move
 * axes with strided views, not copies.
 */
#ifndef XP_OPS_H
#define XP_OPS_H

#include "xp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XP_OPS_VERSION 1

/* Elementwise operations. */
typedef enum {
    XP_UNARY_COPY = 0,   /* y = x (dtypes may differ: a cast) */
    XP_UNARY_ABS2 = 1,   /* y = |x|^2, y real */
    XP_UNARY_ABS = 2,    /* y = |x|, y real */
    XP_UNARY_SQRT = 3,   /* y = sqrt(x) (complex: principal root) */
    XP_UNARY_ANGLE = 4,  /* y = atan2(im, re), y real */
    XP_UNARY_CONJ = 5,   /* y = conj(x) */
    XP_UNARY_REAL = 6,   /* y = re(x), y real */
    XP_UNARY_IMAG = 7,   /* y = im(x), y real */
    XP_UNARY_NEG = 8     /* y = -x */
} xp_unary_op;

typedef enum {
    XP_BINARY_ADD = 0,      /* out = a + b */
    XP_BINARY_SUB = 1,      /* out = a - b */
    XP_BINARY_MUL = 2,      /* out = a * b */
    XP_BINARY_DIV = 3,      /* out = a / b */
    XP_BINARY_MUL_CONJ = 4  /* out = a * conj(b) */
} xp_binary_op;

typedef enum {
    XP_REDUCE_SUM = 0,
    XP_REDUCE_MEAN = 1,
    XP_REDUCE_MEDIAN = 2    /* complex: median of real and imaginary parts apart, as numpy */
} xp_reduce_op;

typedef enum {
    XP_FFT_R2C = 0,         /* real x -> complex y[..., n/2+1] */
    XP_FFT_C2R = 1,         /* complex x (first n/2+1 used) -> real y[..., n] */
    XP_FFT_C2C_FORWARD = 2, /* exp(-2 pi i jk/n) */
    XP_FFT_C2C_BACKWARD = 3 /* exp(+2 pi i jk/n), unnormalized */
} xp_fft_kind;

/* ------------------------------------------------ arithmetic for callers
 * The checked calls the library's own algorithms use, for callers who want
 * array arithmetic where the arrays live: every array on one provider
 * (XP_EDEVICE otherwise), the slot present (XP_EUNAVAIL otherwise), no
 * read-only output; each slot's contract below holds (shapes equal,
 * broadcasting by zero strides, e.g. views from xp_array_slice). */
XP_API int xp_unary(xp_unary_op op, const xp_array *x, const xp_array *y);
XP_API int xp_binary(xp_binary_op op, const xp_array *a, const xp_array *b,
                     const xp_array *out);
/* y = alpha x + beta (complex scalars; imaginary parts 0 for real y). */
XP_API int xp_affine(const xp_array *x, double alpha_re, double alpha_im,
                     double beta_re, double beta_im, const xp_array *y);
/* y: x's shape with 1 along axis. */
XP_API int xp_reduce(xp_reduce_op op, const xp_array *x, int axis, const xp_array *y);

/* What the fused Welch slots compute (see welch_segments and
 * segment_spectra below). */
typedef struct {
    size_t size;            /* sizeof(xp_welch_desc) */
    int64_t nperseg;        /* segment length L >= 1 */
    int64_t step;           /* segment k starts at k * step; step >= 1 */
    int64_t nseg;           /* segments per row, >= 0 */
    int64_t nfft;           /* transform length >= nperseg (zero-padded) */
    int detrend;            /* 0 none, 1 constant (mean), 2 linear (least squares) */
    int onesided;           /* 1: real input, R2C, nfreq = nfft/2+1; 0: C2C, nfreq = nfft */
} xp_welch_desc;

typedef struct xp_ops {
    int version;            /* XP_OPS_VERSION the provider implements */
    size_t size;            /* sizeof(struct xp_ops) at that version */

    /* ---- version 1 ---------------------------------------------------- */

    /* Memory.  alloc: nbytes >= 0 (0 gives a valid, freeable pointer). */
    int (*alloc)(void *ctx, size_t nbytes, void **data);
    void (*free)(void *ctx, void *data);

    /* Host transfers.  upload: C-ordered host src -> dst (any strides);
     * download: src (any strides) -> C-ordered host dst.  Same dtype. */
    int (*upload)(void *ctx, const void *src, const DLTensor *dst);
    int (*download)(void *ctx, const DLTensor *src, void *dst);

    /* dst[i] = re + i*im for every element (im ignored for real dst). */
    int (*fill)(void *ctx, const DLTensor *dst, double re, double im);

    /* y = op(x), same shape; XP_UNARY_COPY is the general N-d strided copy
     * and dtype cast (real -> complex allowed; complex -> real is not). */
    int (*unary)(void *ctx, xp_unary_op op, const DLTensor *x, const DLTensor *y);

    /* out = op(a, b), all of one shape (broadcast by zero strides) and of
     * one dtype, except that b may be the real dtype of a complex a.
     * out may alias a exactly (same data, shape and strides). */
    int (*binary)(void *ctx, xp_binary_op op, const DLTensor *a,
                  const DLTensor *b, const DLTensor *out);

    /* y = alpha * x + beta, same shape; alpha and beta are complex scalars
     * (imaginary parts must be 0 for real y).  y may alias x exactly.
     * A zero beta is left out, not added: y is then numpy's x * alpha to
     * the sign of zero (SciPy's scalings, whose -0.0 shows in angles). */
    int (*affine)(void *ctx, const DLTensor *x, double alpha_re, double alpha_im,
                  double beta_re, double beta_im, const DLTensor *y);

    /* Reduce x along axis into y, which has x's shape with shape[axis] == 1.
     * Same dtype.  An empty axis gives 0 (sum) or NaN (mean, median). */
    int (*reduce)(void *ctx, xp_reduce_op op, const DLTensor *x, int axis,
                  const DLTensor *y);

    /* Batched FFT of length n along the last axis, result times scale.
     * The input's last axis is zero-padded or truncated to n (n/2+1 for
     * C2R), as numpy.fft does.  x and y share the batch shape; x and y
     * dtypes are of one precision. */
    int (*fft)(void *ctx, xp_fft_kind kind, int64_t n, double scale,
               const DLTensor *x, const DLTensor *y);

    /* C = alpha * op(A) op(B) + beta * C; 2-D, one dtype; op is 'N', 'T' or
     * 'C' (conjugate transpose). */
    int (*gemm)(void *ctx, char transa, char transb, double alpha_re,
                double alpha_im, const DLTensor *A, const DLTensor *B,
                double beta_re, double beta_im, const DLTensor *C);

    /* Direct-form II transposed IIR filter along the last axis of x:
     * b[nb], a[na] (1-D, a[0] != 0, normalized by a[0]); zi, zf (may be NULL)
     * have the batch shape of x plus a last axis of max(na, nb) - 1.
     * b, a, x, zi, y, zf share one dtype; y has x's shape and may alias x
     * exactly (in-place filtering).  zf shares no memory with zi: a
     * provider that runs a row's pieces in parallel reads zi in the first
     * while the last writes zf. */
    int (*lfilter)(void *ctx, const DLTensor *b, const DLTensor *a,
                   const DLTensor *x, const DLTensor *zi, const DLTensor *y,
                   const DLTensor *zf);

    /* Cascade of second-order sections sos[nsec, 6] (b0 b1 b2 a0 a1 a2,
     * a0 != 0) along the last axis of x; zi, zf (may be NULL) have the batch
     * shape of x plus [nsec, 2].  One dtype throughout; y may alias x
     * exactly; zf shares no memory with zi (as for lfilter). */
    int (*sosfilt)(void *ctx, const DLTensor *sos, const DLTensor *x,
                   const DLTensor *zi, const DLTensor *y, const DLTensor *zf);

    /* Worker threads for batched operations (n >= 1, or 0 for all cores). */
    int (*set_threads)(void *ctx, int n);

    /* Counters; see xp_provider_stats.  May be NULL. */
    int (*stats)(void *ctx, xp_provider_stats *st, int reset);

    /* Optional fused Welch inner loop (NULL: the library composes it from
     * the slots above, which stay the reference).  For each row r of x
     * [R, span] (and y, same shape and dtype, or NULL) and each segment k:
     * take x[r, k*step : k*step+L], detrend it, multiply by w [L] (real,
     * x's precision), FFT it to X (length nfft), and add into the sums
     * [R, nfreq]: sxy += conj(X) Y (complex128), or |X|^2 (float64) when y
     * is NULL; sxx += |X|^2 and syy += |Y|^2 when non-NULL (float64). */
    int (*welch_segments)(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                          const DLTensor *y, const DLTensor *w, const DLTensor *sxy,
                          const DLTensor *sxx, const DLTensor *syy);

    /* numpy.interp: y = fp linearly interpolated at x, with xp [n] sorted
     * increasing (n >= 1), fp [n]; x and y of one shape; left of xp[0]
     * gives fp[0], right of xp[n-1] gives fp[n-1]; NaN x gives NaN.  x and
     * xp share a real dtype; fp and y share a dtype (real or complex) of
     * the same precision. */
    int (*interp)(void *ctx, const DLTensor *x, const DLTensor *xp,
                  const DLTensor *fp, const DLTensor *y);

    /* Queue the calling thread's later work on this provider on stream (a
     * cudaStream_t for CUDA, where 1 and 2 are DLPack's legacy and
     * per-thread default streams); NULL is the default stream.  May be
     * NULL: the provider has no streams (see xp_provider_set_stream).
     * Tables smaller than this slot simply lack it. */
    int (*set_stream)(void *ctx, void *stream);

    /* Optional fused segment transform (NULL: the library composes it
     * from copy, reduce, binary and fft, which stay the reference): the
     * segments welch_segments would fold, written out instead.  For each
     * row r of x [R, span] and segment k < nseg: take x[r, k*step :
     * k*step+L], detrend it, multiply by w [L] (real, x's precision) and
     * FFT it (length nfft) into X[r, k, :]; X is [R, nseg, nfreq], complex
     * of x's precision, any strides.  Tables smaller than this slot
     * simply lack it. */
    int (*segment_spectra)(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                           const DLTensor *w, const DLTensor *X);
} xp_ops;

/* A provider: what the registry holds. */
struct xp_provider {
    const char *name;           /* "host", "strict", "cuda" */
    const char *description;
    DLDeviceType device_type;
    const xp_ops *ops;
    void *ctx;                  /* passed to every op */
    /* 1 if usable; else 0 and *why set.  NULL means always available. */
    int (*probe)(void *ctx, const char **why);
};

/* Set this thread's error message ("function: what is wrong") and return
 * status; for providers and the library's layers. */
XP_API int xp_error(int status, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif /* XP_OPS_H */
