/*
 * lfilter.c -- lfilter and sosfilt over any axis: the provider's kernels
 * run along the last axis of a view with the axis moved there.
 */
#include "filter.h"

/* A new array like x (shape, dtype, provider). */
static int like(const xp_array *x, xp_array **out)
{
    return xp_array_empty(xp_array_provider(x), xp_array_dtype(x), xp_array_ndim(x),
                          xp_array_dltensor(x)->shape, out);
}

/* state: x's shape with axis -> k, plus lead leading axes (sosfilt's nsec). */
static int check_state(const char *fn, const xp_array *x, int ax, const xp_array *zi,
                       int64_t lead, int64_t k)
{
    int nd = xp_array_ndim(x), off = lead ? 1 : 0;
    if (xp_array_provider(zi) != xp_array_provider(x))
        return xp_error(XP_EDEVICE, "%s: zi lives on provider '%s', x on '%s'", fn,
                        xp_provider_name(xp_array_provider(zi)),
                        xp_provider_name(xp_array_provider(x)));
    if (xp_dtype_is_complex(xp_array_dtype(zi)) && !xp_dtype_is_complex(xp_array_dtype(x)))
        return xp_error(XP_EDTYPE, "%s: zi is %s but x is %s (y has x's dtype: make x complex)",
                        fn, xp_dtype_name(xp_array_dtype(zi)), xp_dtype_name(xp_array_dtype(x)));
    if (xp_array_ndim(zi) != nd + off)
        return xp_error(XP_ESHAPE, "%s: zi has %d dimensions, expected %d", fn,
                        xp_array_ndim(zi), nd + off);
    if (lead && xp_array_dim(zi, 0) != lead)
        return xp_error(XP_ESHAPE, "%s: zi has %lld sections, sos %lld", fn,
                        (long long)xp_array_dim(zi, 0), (long long)lead);
    for (int d = 0; d < nd; d++) {
        int64_t want = d == ax ? k : xp_array_dim(x, d);
        if (xp_array_dim(zi, d + off) != want)
            return xp_error(XP_ESHAPE, "%s: zi has %lld along dimension %d, expected %lld",
                            fn, (long long)xp_array_dim(zi, d + off), d + off,
                            (long long)want);
    }
    return XP_OK;
}

/* zi (cast to x's dtype if needed) and a new zf of its shape. */
static int states(const char *fn, const xp_array *x, const xp_array *zi, xp_array **zc,
                  xp_array **zf)
{
    int rc = XP_OK;
    *zc = *zf = NULL;
    if (xp_array_dtype(zi) != xp_array_dtype(x))
        rc = xp_array_astype(zi, xp_array_dtype(x), zc);
    if (rc == XP_OK)
        rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), xp_array_ndim(zi),
                            xp_array_dltensor(zi)->shape, zf);
    (void)fn;
    return rc;
}

/* zi [nsec, ..., 2 at axis+1, ...] seen as [batch..., nsec, 2]. */
static int sos_state_view(const xp_array *z, int ax, xp_array **out)
{
    const DLTensor *t = xp_array_dltensor(z);
    int nd = t->ndim, k = 0;
    int64_t shape[XP_MAX_NDIM], strides[XP_MAX_NDIM];
    for (int d = 1; d < nd; d++)
        if (d != ax + 1) {
            shape[k] = t->shape[d];
            strides[k++] = t->strides[d];
        }
    shape[k] = t->shape[0];
    strides[k++] = t->strides[0];
    shape[k] = t->shape[ax + 1];
    strides[k++] = t->strides[ax + 1];
    return xp__view(z, nd, shape, strides, 0, out);
}

/* The filter's state as the op wants it: batch axes, then its own. */
typedef int (*state_view_fn)(const xp_array *z, int ax, xp_array **out);

/* y = lfilter (B, A) or sosfilt (S) of x along ax on the provider; zf
 * (the final state, shaped like zi) only when zi is given. */
static int run(const char *fn, const xp_array *B, const xp_array *A, const xp_array *S,
               const xp_array *x, int ax, const xp_array *zi, state_view_fn state_view,
               xp_array **y, xp_array **zf)
{
    xp_array *out = NULL, *zc = NULL, *zo = NULL;
    xp_array *xm = NULL, *ym = NULL, *zim = NULL, *zfm = NULL;
    int rc = like(x, &out);
    if (rc == XP_OK && zi)
        rc = states(fn, x, zi, &zc, &zo);
    if (rc == XP_OK)
        rc = xp__view_axis_last(x, ax, &xm);
    if (rc == XP_OK)
        rc = xp__view_axis_last(out, ax, &ym);
    if (rc == XP_OK && zi)
        rc = state_view(zc ? zc : zi, ax, &zim);
    if (rc == XP_OK && zi)
        rc = state_view(zo, ax, &zfm);
    if (rc == XP_OK && xp_array_size(x) > 0)
        rc = S ? xp__sosfilt(S, xm, zim, ym, zfm) : xp__lfilter(B, A, xm, zim, ym, zfm);
    else if (rc == XP_OK && zi && xp_array_size(zo) > 0)   /* no samples: zf = zi */
        rc = xp__copy(zc ? zc : zi, zo);
    xp_array *tmp[] = {zc, xm, ym, zim, zfm};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    if (rc) {
        xp_array_free(out);
        xp_array_free(zo);
        return rc;
    }
    *y = out;
    if (zf)
        *zf = zo;
    else
        xp_array_free(zo);
    return XP_OK;
}

int xps_lfilter(const double *b, int64_t nb, const double *a, int64_t na, const xp_array *x,
                int axis, const xp_array *zi, xp_array **y, xp_array **zf)
{
    int rc, ax;
    if (!y)
        return xp_error(XP_EINVAL, "lfilter: y is NULL");
    *y = NULL;
    if (zf)
        *zf = NULL;
    if ((rc = xps__check_ba("lfilter", b, nb, a, na)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "lfilter: x is NULL");
    if ((rc = xp__axis("lfilter", axis, xp_array_ndim(x), &ax)))
        return rc;
    int64_t k = (nb > na ? nb : na) - 1;
    if (zi && (rc = check_state("lfilter", x, ax, zi, 0, k)))
        return rc;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    xp_array *B = NULL, *A = NULL;
    rc = xps__upload_coef(p, dt, 1, &nb, b, &B);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &na, a, &A);
    if (rc == XP_OK)
        rc = run("lfilter", B, A, NULL, x, ax, zi, xp__view_axis_last, y, zf);
    xp_array_free(B);
    xp_array_free(A);
    return rc;
}

int xps_sosfilt(const double *sos, int64_t nsec, const xp_array *x, int axis,
                const xp_array *zi, xp_array **y, xp_array **zf)
{
    int rc, ax;
    if (!y)
        return xp_error(XP_EINVAL, "sosfilt: y is NULL");
    *y = NULL;
    if (zf)
        *zf = NULL;
    if ((rc = xps__check_sos("sosfilt", sos, nsec)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "sosfilt: x is NULL");
    if ((rc = xp__axis("sosfilt", axis, xp_array_ndim(x), &ax)))
        return rc;
    if (xp_array_ndim(x) + 1 > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "sosfilt: x has too many dimensions");
    if (zi && (rc = check_state("sosfilt", x, ax, zi, nsec, 2)))
        return rc;
    int64_t sshape[2] = {nsec, 6};
    xp_array *S = NULL;
    rc = xps__upload_coef(xp_array_provider(x), xp_array_dtype(x), 2, sshape, sos, &S);
    if (rc == XP_OK)
        rc = run("sosfilt", NULL, NULL, S, x, ax, zi, sos_state_view, y, zf);
    xp_array_free(S);
    return rc;
}
