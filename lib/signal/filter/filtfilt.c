/*
 * filtfilt.c -- zero-phase filtering: forward, then backward over the
 * reversed result, each pass started in steady state on the padded ends
 * (method 'pad'), as SciPy's filtfilt and sosfiltfilt.  One padded copy of
 * the input is filtered in place, both ways.
 */
#include "filter.h"

int xps__filtfilt_gust(const double *b, int64_t nb, const double *a, int64_t na,
                       const xp_array *x, const xps_filtfilt_options *opt, xp_array **y);

/* The moved-axis, contiguous, padded copy E of x: shape [batch..., N + 2 edge]
 * and its 2-D view E2 [R, N + 2 edge]. */
static int padded(const xp_array *x, int ax, int64_t edge, xps_padtype type,
                  xp_array **E, xp_array **E2)
{
    int nd = xp_array_ndim(x);
    int64_t N = xp_array_dim(x, ax), shape[XP_MAX_NDIM];
    xp_array *xm = NULL, *mid = NULL;
    int rc = xp__view_axis_last(x, ax, &xm);
    *E = *E2 = NULL;
    if (rc)
        return rc;
    for (int d = 0; d < nd; d++)
        shape[d] = xp_array_dim(xm, d);
    shape[nd - 1] = N + 2 * edge;
    rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), nd, shape, E);
    if (rc == XP_OK)
        rc = xp__view_slice(*E, nd - 1, edge, N, 1, &mid);
    if (rc == XP_OK)
        rc = xp__copy(xm, mid);
    if (rc == XP_OK) {
        int64_t s2[2] = {xp_array_size(*E) / shape[nd - 1], shape[nd - 1]}, st[2] = {s2[1], 1};
        rc = xp__view(*E, 2, s2, st, 0, E2);
    }
    if (rc == XP_OK)
        rc = xps__pad_ends(*E2, edge, N, type);
    xp_array_free(xm);
    xp_array_free(mid);
    if (rc) {
        xp_array_free(*E2);
        xp_array_free(*E);
        *E = *E2 = NULL;
    }
    return rc;
}

/* The result: the middle N columns of E, in x's layout. */
static int unpad(const xp_array *x, int ax, const xp_array *E, int64_t edge, xp_array **y)
{
    int nd = xp_array_ndim(x);
    xp_array *mid = NULL, *out = NULL, *om = NULL;
    int rc = xp__view_slice(E, nd - 1, edge, xp_array_dim(x, ax), 1, &mid);
    if (rc == XP_OK)
        rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), nd,
                            xp_array_dltensor(x)->shape, &out);
    if (rc == XP_OK)
        rc = xp__view_axis_last(out, ax, &om);
    if (rc == XP_OK)
        rc = xp__copy(mid, om);
    xp_array_free(mid);
    xp_array_free(om);
    if (rc) {
        xp_array_free(out);
        return rc;
    }
    *y = out;
    return XP_OK;
}

/* state [R, ...zshape] = zi (broadcast) * column col of E2 (broadcast) */
static int scaled_state(const xp_array *Z, const xp_array *E2, int64_t col, const xp_array *st)
{
    int nd = xp_array_ndim(st);
    int64_t shape[XP_MAX_NDIM], cstr[XP_MAX_NDIM];
    xp_array *zb = NULL, *c = NULL;
    for (int d = 0; d < nd; d++) {
        shape[d] = xp_array_dim(st, d);
        cstr[d] = 0;
    }
    cstr[0] = xp_array_dltensor(E2)->strides[0];
    int rc = xp__view_broadcast(Z, nd, shape, &zb);
    if (rc == XP_OK)    /* E2[:, col] broadcast over the state's other axes */
        rc = xp__view(E2, nd, shape, cstr, col, &c);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_MUL, zb, c, st);
    xp_array_free(zb);
    xp_array_free(c);
    return rc;
}

/* Forward then backward pass in place over E2 [R, L]. */
typedef struct {
    const xp_array *B, *A, *S;  /* ba or sos coefficients on the provider */
} coefs;

static int pass(const coefs *c, const xp_array *x, const xp_array *zi)
{
    return c->S ? xp__sosfilt(c->S, x, zi, x, NULL) : xp__lfilter(c->B, c->A, x, zi, x, NULL);
}

static int both_ways(const coefs *c, const xp_array *Z, const xp_array *E2, const xp_array *st)
{
    int64_t L = xp_array_dim(E2, 1);
    xp_array *rev = NULL;
    int rc = scaled_state(Z, E2, 0, st);
    if (rc == XP_OK)
        rc = pass(c, E2, st);
    if (rc == XP_OK)
        rc = scaled_state(Z, E2, L - 1, st);
    if (rc == XP_OK)
        rc = xp__view_flip(E2, 1, &rev);
    if (rc == XP_OK)
        rc = pass(c, rev, st);
    xp_array_free(rev);
    return rc;
}

static int common_checks(const char *fn, const xp_array *x, const xps_filtfilt_options *opt,
                         xp_array **y, int *ax)
{
    int rc;
    if (!y)
        return xp_error(XP_EINVAL, "%s: y is NULL", fn);
    *y = NULL;
    if ((rc = xps__check_filtfilt_options(fn, opt)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "%s: x is NULL", fn);
    return xp__axis(fn, opt->axis, xp_array_ndim(x), ax);
}

int xps_filtfilt(const double *b, int64_t nb, const double *a, int64_t na, const xp_array *x,
                 const xps_filtfilt_options *opt, xp_array **y)
{
    int rc, ax;
    if ((rc = common_checks("filtfilt", x, opt, y, &ax))
        || (rc = xps__check_ba("filtfilt", b, nb, a, na)))
        return rc;
    if (opt->method == XPS_FILTFILT_GUST)
        return xps__filtfilt_gust(b, nb, a, na, x, opt, y);
    int64_t ntaps = nb > na ? nb : na, k = ntaps - 1, edge;
    if ((rc = xps__pad_length("filtfilt", opt, ntaps, xp_array_dim(x, ax), &edge)))
        return rc;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    double *zi = xp__calloc((size_t)(k > 0 ? k : 1), sizeof *zi);
    xp_array *E = NULL, *E2 = NULL, *Z = NULL, *st = NULL, *B = NULL, *A = NULL;
    if (!zi)
        return xp_error(XP_ENOMEM, "filtfilt: out of memory");
    rc = xps_lfilter_zi(b, nb, a, na, zi);
    if (rc == XP_OK)
        rc = padded(x, ax, edge, opt->padtype, &E, &E2);
    int64_t zshape[2] = {1, k}, sshape[2] = {E2 ? xp_array_dim(E2, 0) : 0, k};
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 2, zshape, zi, &Z);
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 2, sshape, &st);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &nb, b, &B);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &na, a, &A);
    coefs c = {B, A, NULL};
    if (rc == XP_OK && xp_array_size(E2) > 0)
        rc = both_ways(&c, Z, E2, st);
    if (rc == XP_OK)
        rc = unpad(x, ax, E, edge, y);
    xp_array *tmp[] = {E2, E, Z, st, B, A};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    xp__free(zi);
    return rc;
}

int xps_sosfiltfilt(const double *sos, int64_t nsec, const xp_array *x,
                    const xps_filtfilt_options *opt, xp_array **y)
{
    int rc, ax;
    if ((rc = common_checks("sosfiltfilt", x, opt, y, &ax))
        || (rc = xps__check_sos("sosfiltfilt", sos, nsec)))
        return rc;
    if (opt->method != XPS_FILTFILT_PAD)
        return xp_error(XP_EINVAL, "sosfiltfilt: method must be pad (SciPy's sosfiltfilt has "
                        "no gust)");
    /* SciPy: 2 nsec + 1 taps, less the sections that are really first order */
    int64_t z2 = 0, z5 = 0, edge;
    for (int64_t s = 0; s < nsec; s++) {
        z2 += sos[6 * s + 2] == 0;
        z5 += sos[6 * s + 5] == 0;
    }
    int64_t ntaps = 2 * nsec + 1 - (z2 < z5 ? z2 : z5);
    if ((rc = xps__pad_length("sosfiltfilt", opt, ntaps, xp_array_dim(x, ax), &edge)))
        return rc;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    double *zi = xp__malloc((size_t)(2 * nsec) * sizeof *zi);
    xp_array *E = NULL, *E2 = NULL, *Z = NULL, *st = NULL, *S = NULL;
    if (!zi)
        return xp_error(XP_ENOMEM, "sosfiltfilt: out of memory");
    rc = xps_sosfilt_zi(sos, nsec, zi);
    if (rc == XP_OK)
        rc = padded(x, ax, edge, opt->padtype, &E, &E2);
    int64_t zshape[3] = {1, nsec, 2}, sshape[3] = {E2 ? xp_array_dim(E2, 0) : 0, nsec, 2};
    int64_t cshape[2] = {nsec, 6};
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 3, zshape, zi, &Z);
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 3, sshape, &st);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 2, cshape, sos, &S);
    coefs c = {NULL, NULL, S};
    if (rc == XP_OK && xp_array_size(E2) > 0)
        rc = both_ways(&c, Z, E2, st);
    if (rc == XP_OK)
        rc = unpad(x, ax, E, edge, y);
    xp_array *tmp[] = {E2, E, Z, st, S};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    xp__free(zi);
    return rc;
}
