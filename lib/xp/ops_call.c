/*
 * ops_call.c -- the only way the library's algorithms reach a provider.
 *
 * As SQLite's core reaches its VFS: each wrapper checks that the arrays
 * share one provider, that the provider's table is recent enough to have
 * the slot and that the slot is filled, then passes the DLTensors on.
 */
#include <stddef.h>
#include "xp_internal.h"

/* The slot exists in a table built at the version that added it. */
#define HAS_SLOT(ops, slot, ver)                                            \
    ((ops)->version >= (ver)                                                \
     && (ops)->size >= offsetof(xp_ops, slot) + sizeof((ops)->slot)        \
     && (ops)->slot != NULL)

static int provider_of(const char *op, int n, const xp_array *const *arrays,
                       const xp_provider **p)
{
    for (int i = 0; i < n; i++)
        if (!arrays[i] && i < 1)
            return xp_error(XP_EINVAL, "%s: array argument is NULL", op);
    int rc = xp_get_namespace(n, arrays, p);
    if (rc == XP_EDEVICE) {
        /* restate the namespace error under the op's name */
        const xp_provider *a = arrays[0]->provider, *b = NULL;
        for (int i = 1; i < n; i++)
            if (arrays[i] && arrays[i]->provider != a)
                b = arrays[i]->provider;
        return xp_error(XP_EDEVICE, "%s: arrays live on different providers (%s and %s)",
                        op, a->name, b ? b->name : a->name);
    }
    return rc;
}

static int missing(const char *op, const xp_provider *p)
{
    return xp_error(XP_EUNAVAIL, "%s: provider '%s' (table version %d) lacks this "
                    "operation", op, p->name, p->ops->version);
}

#define GET(op, slot, ver, ...)                                             \
    const xp_provider *p;                                                   \
    const xp_array *arr_[] = {__VA_ARGS__};                                 \
    int rc_ = provider_of(op, (int)(sizeof arr_ / sizeof arr_[0]), arr_, &p); \
    if (rc_)                                                                \
        return rc_;                                                         \
    if (!HAS_SLOT(p->ops, slot, ver))                                       \
        return missing(op, p)

#define T(a) ((a) ? &(a)->t : NULL)

/* Outputs must be writable: a read-only import is only ever an input. */
static int writable(const char *op, int n, const xp_array *const *outs)
{
    for (int i = 0; i < n; i++)
        if (outs[i] && outs[i]->readonly)
            return xp_error(XP_EINVAL, "%s: output array is read-only (imported "
                            "with DLPack's READ_ONLY flag)", op);
    return XP_OK;
}

#define OUT(op, ...)                                                        \
    do {                                                                    \
        const xp_array *out_[] = {__VA_ARGS__};                             \
        int rcw_ = writable(op, (int)(sizeof out_ / sizeof out_[0]), out_); \
        if (rcw_)                                                           \
            return rcw_;                                                    \
    } while (0)

int xp__fill(const xp_array *y, double re, double im)
{
    GET("fill", fill, 1, y);
    OUT("fill", y);
    return p->ops->fill(p->ctx, T(y), re, im);
}

int xp__copy(const xp_array *x, const xp_array *y)
{
    return xp__unary(XP_UNARY_COPY, x, y);
}

int xp__unary(xp_unary_op op, const xp_array *x, const xp_array *y)
{
    GET("unary", unary, 1, x, y);
    OUT("unary", y);
    return p->ops->unary(p->ctx, op, T(x), T(y));
}

int xp__binary(xp_binary_op op, const xp_array *a, const xp_array *b,
               const xp_array *out)
{
    GET("binary", binary, 1, a, b, out);
    OUT("binary", out);
    return p->ops->binary(p->ctx, op, T(a), T(b), T(out));
}

int xp__affine(const xp_array *x, double alpha_re, double alpha_im,
               double beta_re, double beta_im, const xp_array *y)
{
    GET("affine", affine, 1, x, y);
    OUT("affine", y);
    return p->ops->affine(p->ctx, T(x), alpha_re, alpha_im, beta_re, beta_im, T(y));
}

int xp__reduce(xp_reduce_op op, const xp_array *x, int axis, const xp_array *y)
{
    GET("reduce", reduce, 1, x, y);
    OUT("reduce", y);
    return p->ops->reduce(p->ctx, op, T(x), axis, T(y));
}

int xp__fft(xp_fft_kind kind, int64_t n, double scale, const xp_array *x,
            const xp_array *y)
{
    GET("fft", fft, 1, x, y);
    OUT("fft", y);
    return p->ops->fft(p->ctx, kind, n, scale, T(x), T(y));
}

int xp__gemm(char transa, char transb, double alpha_re, double alpha_im,
             const xp_array *A, const xp_array *B, double beta_re,
             double beta_im, const xp_array *C)
{
    GET("gemm", gemm, 1, A, B, C);
    OUT("gemm", C);
    return p->ops->gemm(p->ctx, transa, transb, alpha_re, alpha_im, T(A), T(B),
                        beta_re, beta_im, T(C));
}

/* A provider may read zi in a row's first piece while its last piece
 * writes zf (xp_ops.h): the two must not share memory. */
static int states_apart(const char *op, const xp_array *zi, const xp_array *zf)
{
    if (zi && zf && xp__may_overlap(zi, zf))
        return xp_error(XP_EINVAL, "%s: zf shares memory with zi", op);
    return XP_OK;
}

int xp__lfilter(const xp_array *b, const xp_array *a, const xp_array *x,
                const xp_array *zi, const xp_array *y, const xp_array *zf)
{
    GET("lfilter", lfilter, 1, b, a, x, zi, y, zf);
    OUT("lfilter", y, zf);
    if ((rc_ = states_apart("lfilter", zi, zf)))
        return rc_;
    return p->ops->lfilter(p->ctx, T(b), T(a), T(x), T(zi), T(y), T(zf));
}

int xp__sosfilt(const xp_array *sos, const xp_array *x, const xp_array *zi,
                const xp_array *y, const xp_array *zf)
{
    GET("sosfilt", sosfilt, 1, sos, x, zi, y, zf);
    OUT("sosfilt", y, zf);
    if ((rc_ = states_apart("sosfilt", zi, zf)))
        return rc_;
    return p->ops->sosfilt(p->ctx, T(sos), T(x), T(zi), T(y), T(zf));
}

int xp__upload(const void *src, const xp_array *dst)
{
    GET("upload", upload, 1, dst);
    OUT("upload", dst);
    return p->ops->upload(p->ctx, src, T(dst));
}

int xp__download(const xp_array *src, void *dst)
{
    GET("download", download, 1, src);
    return p->ops->download(p->ctx, T(src), dst);
}

int xp__has_welch_segments(const xp_provider *p)
{
    return p && HAS_SLOT(p->ops, welch_segments, 1);
}

int xp__welch_segments(const xp_welch_desc *d, const xp_array *x, const xp_array *y,
                       const xp_array *w, const xp_array *sxy, const xp_array *sxx,
                       const xp_array *syy)
{
    GET("welch_segments", welch_segments, 1, x, y, w, sxy, sxx, syy);
    OUT("welch_segments", sxy, sxx, syy);
    return p->ops->welch_segments(p->ctx, d, T(x), T(y), T(w), T(sxy), T(sxx), T(syy));
}

int xp__has_segment_spectra(const xp_provider *p)
{
    return p && HAS_SLOT(p->ops, segment_spectra, 1);
}

int xp__segment_spectra(const xp_welch_desc *d, const xp_array *x, const xp_array *w,
                        const xp_array *X)
{
    GET("segment_spectra", segment_spectra, 1, x, w, X);
    OUT("segment_spectra", X);
    return p->ops->segment_spectra(p->ctx, d, T(x), T(w), T(X));
}

int xp__interp(const xp_array *x, const xp_array *xp, const xp_array *fp, const xp_array *y)
{
    GET("interp", interp, 1, x, xp, fp, y);
    return p->ops->interp(p->ctx, T(x), T(xp), T(fp), T(y));
}

/* ---- the same, public (xp_ops.h): callers' arithmetic where arrays live */

/* Internal callers never pass NULL; a public one may. */
static int given(const char *fn, int n, const xp_array *const *a)
{
    for (int i = 0; i < n; i++)
        if (!a[i])
            return xp_error(XP_EINVAL, "%s: array argument %d is NULL", fn, i + 1);
    return XP_OK;
}

int xp_unary(xp_unary_op op, const xp_array *x, const xp_array *y)
{
    const xp_array *a[] = {x, y};
    int rc = given("xp_unary", 2, a);
    return rc ? rc : xp__unary(op, x, y);
}

int xp_binary(xp_binary_op op, const xp_array *a, const xp_array *b, const xp_array *out)
{
    const xp_array *arr[] = {a, b, out};
    int rc = given("xp_binary", 3, arr);
    return rc ? rc : xp__binary(op, a, b, out);
}

int xp_affine(const xp_array *x, double alpha_re, double alpha_im, double beta_re,
              double beta_im, const xp_array *y)
{
    const xp_array *a[] = {x, y};
    int rc = given("xp_affine", 2, a);
    return rc ? rc : xp__affine(x, alpha_re, alpha_im, beta_re, beta_im, y);
}

int xp_reduce(xp_reduce_op op, const xp_array *x, int axis, const xp_array *y)
{
    const xp_array *a[] = {x, y};
    int rc = given("xp_reduce", 2, a);
    return rc ? rc : xp__reduce(op, x, axis, y);
}
