/*
 * lfilter.c -- lfilter and sosfilt over any axis: the provider's kernels
 * run along the last axis of a view with the axis moved there.  The _into
 * forms write into the caller's arrays: y may be x itself (in place), and
 * zf may be zi, so a stream filters chunk after chunk in place (only the
 * small state is ever copied).  float32 and complex64 input is filtered in
 * float64 / complex128 and gives that dtype, as SciPy's result_type does
 * with its float64 coefficients.
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

/* y = lfilter (B, A) or sosfilt (S) of x along ax into out (x's shape and
 * dtype; may be x itself); the final state into zo (zi's shape, x's dtype)
 * when zi is given.  zo may share memory with zi: it is then written last. */
static int run(const xp_array *B, const xp_array *A, const xp_array *S, const xp_array *x,
               int ax, const xp_array *zi, state_view_fn state_view, const xp_array *out,
               const xp_array *zo)
{
    xp_array *zc = NULL, *zw = NULL, *xm = NULL, *ym = NULL, *zim = NULL, *zfm = NULL;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    int rc = XP_OK;
    if (zi && xp_array_dtype(zi) != dt)
        rc = xp_array_astype(zi, dt, &zc);
    if (rc == XP_OK && zo && xp__may_overlap(zo, zi))
        rc = xp_array_empty(p, dt, xp_array_ndim(zo), xp_array_dltensor(zo)->shape, &zw);
    const xp_array *zin = zc ? zc : zi, *zout = zw ? zw : zo;
    if (rc == XP_OK)
        rc = xp__view_axis_last(x, ax, &xm);
    if (rc == XP_OK)
        rc = xp__view_axis_last(out, ax, &ym);
    if (rc == XP_OK && zi)
        rc = state_view(zin, ax, &zim);
    if (rc == XP_OK && zout)
        rc = state_view(zout, ax, &zfm);
    if (rc == XP_OK && xp_array_size(x) > 0)
        rc = S ? xp__sosfilt(S, xm, zim, ym, zfm) : xp__lfilter(B, A, xm, zim, ym, zfm);
    else if (rc == XP_OK && zout && xp_array_size(zout) > 0)   /* no samples: zf = zi */
        rc = xp__copy(zin, zout);
    if (rc == XP_OK && zw)
        rc = xp__copy(zw, zo);
    xp_array *tmp[] = {zc, zw, xm, ym, zim, zfm};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    return rc;
}

/* New outputs for run: y like x, and zf of zi's shape in x's dtype when zi
 * is given and the caller wants it (else NULL). */
static int run_new(const xp_array *B, const xp_array *A, const xp_array *S,
                   const xp_array *x, int ax, const xp_array *zi, state_view_fn state_view,
                   xp_array **y, xp_array **zf)
{
    xp_array *out = NULL, *zo = NULL;
    int rc = like(x, &out);
    if (rc == XP_OK && zi)
        rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), xp_array_ndim(zi),
                            xp_array_dltensor(zi)->shape, &zo);
    if (rc == XP_OK)
        rc = run(B, A, S, x, ax, zi, state_view, out, zo);
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

/* The caller's y and zf (or NULL) for the _into forms. */
static int check_into(const char *fn, const xp_array *x, const xp_array *zi, const xp_array *y,
                      const xp_array *zf)
{
    int rc;
    xp_dtype dt = xps__filter_dtype(xp_array_dtype(x));
    if ((rc = xps__check_y_as(fn, x, y, dt)))
        return rc;
    if (zi && xp__may_overlap(y, zi))
        return xp_error(XP_EINVAL, "%s: y shares memory with zi", fn);
    if (!zf)
        return XP_OK;
    if (!zi)
        return xp_error(XP_EINVAL, "%s: zf needs zi (without it there is no final state, "
                        "as in SciPy)", fn);
    if ((rc = xps__check_out(fn, "zf", zf, x, dt, zi, "zi")))
        return rc;
    if (xp__may_overlap(zf, x) || xp__may_overlap(zf, y))
        return xp_error(XP_EINVAL, "%s: zf shares memory with x or y", fn);
    return XP_OK;
}

/* lfilter's argument checks, shared by both forms; *ax: the axis. */
static int lfilter_args(const double *b, int64_t nb, const double *a, int64_t na,
                        const xp_array *x, int axis, const xp_array *zi, int *ax)
{
    int rc;
    if ((rc = xps__check_ba("lfilter", b, nb, a, na)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "lfilter: x is NULL");
    if ((rc = xp__axis("lfilter", axis, xp_array_ndim(x), ax)))
        return rc;
    int64_t k = (nb > na ? nb : na) - 1;
    return zi ? check_state("lfilter", x, *ax, zi, 0, k) : XP_OK;
}

/* B and A on x's provider, then the filter into yo, zo (the _into form)
 * or into new *y, *zf. */
static int lfilter_go(const double *b, int64_t nb, const double *a, int64_t na,
                      const xp_array *x, int ax, const xp_array *zi, const xp_array *yo,
                      const xp_array *zo, xp_array **y, xp_array **zf)
{
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xps__filter_dtype(xp_array_dtype(x));
    xp_array *B = NULL, *A = NULL, *xc = NULL;
    const xp_array *xw = x;
    int rc = xps__filter_input(x, &xw, &xc);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &nb, b, &B);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &na, a, &A);
    if (rc == XP_OK)
        rc = yo ? run(B, A, NULL, xw, ax, zi, xp__view_axis_last, yo, zo)
                : run_new(B, A, NULL, xw, ax, zi, xp__view_axis_last, y, zf);
    xp_array_free(B);
    xp_array_free(A);
    xp_array_free(xc);
    return rc;
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
    if ((rc = lfilter_args(b, nb, a, na, x, axis, zi, &ax)))
        return rc;
    return lfilter_go(b, nb, a, na, x, ax, zi, NULL, NULL, y, zf);
}

int xps_lfilter_into(const double *b, int64_t nb, const double *a, int64_t na,
                     const xp_array *x, int axis, const xp_array *zi, const xp_array *y,
                     const xp_array *zf)
{
    int rc, ax;
    if ((rc = lfilter_args(b, nb, a, na, x, axis, zi, &ax)))
        return rc;
    if ((rc = check_into("lfilter", x, zi, y, zf)))
        return rc;
    return lfilter_go(b, nb, a, na, x, ax, zi, y, zf, NULL, NULL);
}

/* sosfilt's argument checks, shared by both forms; *ax: the axis. */
static int sosfilt_args(const double *sos, int64_t nsec, const xp_array *x, int axis,
                        const xp_array *zi, int *ax)
{
    int rc;
    if ((rc = xps__check_sos("sosfilt", sos, nsec, 1)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "sosfilt: x is NULL");
    if ((rc = xp__axis("sosfilt", axis, xp_array_ndim(x), ax)))
        return rc;
    if (xp_array_ndim(x) + 1 > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "sosfilt: x has too many dimensions");
    return zi ? check_state("sosfilt", x, *ax, zi, nsec, 2) : XP_OK;
}

/* The sections on x's provider, then the cascade into yo, zo or new *y,
 * *zf. */
static int sosfilt_go(const double *sos, int64_t nsec, const xp_array *x, int ax,
                      const xp_array *zi, const xp_array *yo, const xp_array *zo,
                      xp_array **y, xp_array **zf)
{
    int64_t sshape[2] = {nsec, 6};
    xp_array *S = NULL, *xc = NULL;
    const xp_array *xw = x;
    int rc = xps__filter_input(x, &xw, &xc);
    if (rc == XP_OK)
        rc = xps__upload_coef(xp_array_provider(x), xp_array_dtype(xw), 2, sshape, sos, &S);
    if (rc == XP_OK)
        rc = yo ? run(NULL, NULL, S, xw, ax, zi, sos_state_view, yo, zo)
                : run_new(NULL, NULL, S, xw, ax, zi, sos_state_view, y, zf);
    xp_array_free(S);
    xp_array_free(xc);
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
    if ((rc = sosfilt_args(sos, nsec, x, axis, zi, &ax)))
        return rc;
    return sosfilt_go(sos, nsec, x, ax, zi, NULL, NULL, y, zf);
}

int xps_sosfilt_into(const double *sos, int64_t nsec, const xp_array *x, int axis,
                     const xp_array *zi, const xp_array *y, const xp_array *zf)
{
    int rc, ax;
    if ((rc = sosfilt_args(sos, nsec, x, axis, zi, &ax)))
        return rc;
    if ((rc = check_into("sosfilt", x, zi, y, zf)))
        return rc;
    return sosfilt_go(sos, nsec, x, ax, zi, y, zf, NULL, NULL);
}
