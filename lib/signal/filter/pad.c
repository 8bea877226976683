/*
 * pad.c -- filtfilt's extensions of the signal at both ends (SciPy's
 * odd_ext, even_ext, const_ext), written in place around the signal.
 */
#include "filter.h"

XP__STRUCT_DESC(options_desc, xps_filtfilt_options, irlen,
                "initialize it with xps_filtfilt_options_init");

void xps_filtfilt_options_init(xps_filtfilt_options *opt)
{
    if (!opt)
        return;
    opt->size = sizeof *opt;
    opt->axis = -1;
    opt->padtype = XPS_PAD_ODD;
    opt->padlen = -1;
    opt->method = XPS_FILTFILT_PAD;
    opt->irlen = -1;
}

int xps_filtfilt_options_init_sized(xps_filtfilt_options *opt, size_t size)
{
    xps_filtfilt_options d;
    xps_filtfilt_options_init(&d);
    return xp__struct_init("xps_filtfilt_options_init_sized", &options_desc, &d, opt, size);
}

int xps__check_filtfilt_options(const char *fn, const xps_filtfilt_options *caller,
                                xps_filtfilt_options *opt)
{
    if (!caller)
        return xp_error(XP_EINVAL, "%s: options are NULL", fn);
    xps_filtfilt_options_init(opt);
    int rc = xp__struct_in(fn, "options", &options_desc, caller, opt);
    if (rc)
        return rc;
    if ((unsigned)opt->method > XPS_FILTFILT_GUST)
        return xp_error(XP_EINVAL, "%s: method (%d) must be pad or gust", fn, (int)opt->method);
    /* as SciPy: padtype and padlen matter (and are checked) for pad only,
     * irlen for gust only */
    if (opt->method == XPS_FILTFILT_PAD && (unsigned)opt->padtype > XPS_PAD_CONSTANT)
        return xp_error(XP_EINVAL, "%s: padtype (%d) must be odd, even, constant or none", fn,
                        (int)opt->padtype);
    if (opt->method == XPS_FILTFILT_PAD && opt->padlen < -1)
        return xp_error(XP_EINVAL, "%s: padlen (%lld) must be >= 0 (or -1 for the default)",
                        fn, (long long)opt->padlen);
    if (opt->method == XPS_FILTFILT_GUST && (opt->irlen < -1 || opt->irlen == 0))
        return xp_error(XP_EINVAL, "%s: irlen (%lld) must be positive (or -1 for None)", fn,
                        (long long)opt->irlen);
    return XP_OK;
}

int xps__pad_length(const char *fn, const xps_filtfilt_options *opt, int64_t ntaps,
                    int64_t n, int64_t *edge)
{
    int64_t e = opt->padtype == XPS_PAD_NONE ? 0 : opt->padlen >= 0 ? opt->padlen : 3 * ntaps;
    if (n <= e)
        return xp_error(XP_EINVAL, "%s: the length of x along axis %d (%lld) must be "
                        "greater than padlen, which is %lld", fn, opt->axis, (long long)n,
                        (long long)e);
    *edge = e;
    return XP_OK;
}

/* One end: dst [R, edge] = 2 x_end - mirror (odd), mirror (even), or
 * x_end (constant); mirror [R, edge] and xe [R, 1] are views of x. */
static int one_end(const xp_array *dst, const xp_array *mirror, const xp_array *xe,
                   xps_padtype type)
{
    int64_t R = xp_array_dim(dst, 0), edge = xp_array_dim(dst, 1), shape[2] = {R, edge};
    xp_array *xb = NULL, *two = NULL, *twob = NULL;
    int rc = XP_OK;
    if (type == XPS_PAD_EVEN)
        rc = xp__copy(mirror, dst);
    if (type == XPS_PAD_CONSTANT) {
        rc = xp__view_broadcast(xe, 2, shape, &xb);
        if (rc == XP_OK)
            rc = xp__copy(xb, dst);
    }
    if (type == XPS_PAD_ODD) {
        int64_t cshape[2] = {R, 1};
        rc = xp_array_empty(xp_array_provider(dst), xp_array_dtype(dst), 2, cshape, &two);
        if (rc == XP_OK)
            rc = xp__affine(xe, 2, 0, 0, 0, two);
        if (rc == XP_OK)
            rc = xp__view_broadcast(two, 2, shape, &twob);
        if (rc == XP_OK)
            rc = xp__binary(XP_BINARY_SUB, twob, mirror, dst);
    }
    xp_array_free(xb);
    xp_array_free(two);
    xp_array_free(twob);
    return rc;
}

int xps__pad_pieces(const xp_array *M, const xp_array *left, const xp_array *right,
                    xps_padtype type)
{
    int64_t n = xp_array_dim(M, 1), edge = xp_array_dim(left, 1);
    xp_array *mir = NULL, *xe = NULL;
    int rc;
    if (edge == 0 || type == XPS_PAD_NONE)
        return XP_OK;
    /* left: x[edge], x[edge-1], ..., x[1] */
    rc = xp__view_slice(M, 1, edge, edge, -1, &mir);
    if (rc == XP_OK)
        rc = xp__view_slice(M, 1, 0, 1, 1, &xe);
    if (rc == XP_OK)
        rc = one_end(left, mir, xe, type);
    xp_array_free(mir);
    xp_array_free(xe);
    mir = xe = NULL;
    /* right: x[n-2], x[n-3], ..., x[n-1-edge] */
    if (rc == XP_OK)
        rc = xp__view_slice(M, 1, n - 2, edge, -1, &mir);
    if (rc == XP_OK)
        rc = xp__view_slice(M, 1, n - 1, 1, 1, &xe);
    if (rc == XP_OK)
        rc = one_end(right, mir, xe, type);
    xp_array_free(mir);
    xp_array_free(xe);
    return rc;
}

int xps__pad_ends(const xp_array *E, int64_t edge, int64_t n, xps_padtype type)
{
    xp_array *L = NULL, *M = NULL, *Rr = NULL;
    if (edge == 0 || type == XPS_PAD_NONE)
        return XP_OK;
    int rc = xp__view_slice(E, 1, 0, edge, 1, &L);
    if (rc == XP_OK)
        rc = xp__view_slice(E, 1, edge, n, 1, &M);
    if (rc == XP_OK)
        rc = xp__view_slice(E, 1, edge + n, edge, 1, &Rr);
    if (rc == XP_OK)
        rc = xps__pad_pieces(M, L, Rr, type);
    xp_array_free(L);
    xp_array_free(M);
    xp_array_free(Rr);
    return rc;
}
