/*
 * pad.c -- filtfilt's extensions of the signal at both ends (SciPy's
 * odd_ext, even_ext, const_ext), written in place around the signal.
 */
#include "filter.h"

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

int xps__check_filtfilt_options(const char *fn, const xps_filtfilt_options *opt)
{
    if (!opt)
        return xp_error(XP_EINVAL, "%s: options are NULL", fn);
    if (opt->size != sizeof *opt)
        return xp_error(XP_EINVAL, "%s: options.size (%zu) is not sizeof(xps_filtfilt_options) "
                        "(%zu): initialize with xps_filtfilt_options_init", fn, opt->size,
                        sizeof *opt);
    if ((unsigned)opt->padtype > XPS_PAD_CONSTANT)
        return xp_error(XP_EINVAL, "%s: padtype (%d) must be odd, even, constant or none", fn,
                        (int)opt->padtype);
    if (opt->padlen < -1)
        return xp_error(XP_EINVAL, "%s: padlen (%lld) must be >= 0 (or -1 for the default)",
                        fn, (long long)opt->padlen);
    if ((unsigned)opt->method > XPS_FILTFILT_GUST)
        return xp_error(XP_EINVAL, "%s: method (%d) must be pad or gust", fn, (int)opt->method);
    if (opt->irlen < -1 || opt->irlen == 0)
        return xp_error(XP_EINVAL, "%s: irlen (%lld) must be positive (or -1 for None)", fn,
                        (long long)opt->irlen);
    return XP_OK;
}

int xps__pad_length(const char *fn, const xps_filtfilt_options *opt, int64_t ntaps,
                    int64_t n, int64_t *edge)
{
    int64_t e = opt->padtype == XPS_PAD_NONE ? 0 : opt->padlen >= 0 ? opt->padlen : 3 * ntaps;
    if (n <= e)
        return xp_error(XP_EINVAL, "%s: the length of x along axis (%lld) must be greater "
                        "than padlen, which is %lld", fn, (long long)n, (long long)e);
    *edge = e;
    return XP_OK;
}

/* cols [c0, c0 + n) of E with step (negative steps walk backwards) */
static int cols(const xp_array *E, int64_t c0, int64_t n, int64_t step, xp_array **out)
{
    return xp__view_slice(E, 1, c0, n, step, out);
}

/* One end: dst = 2 x_end - mirror (odd), mirror (even), x_end (constant). */
static int one_end(const xp_array *E, int64_t dst0, int64_t src0, int64_t end, int64_t edge,
                   xps_padtype type)
{
    int64_t R = xp_array_dim(E, 0), shape[2] = {R, edge};
    xp_array *dst = NULL, *src = NULL, *xe = NULL, *xb = NULL, *two = NULL, *twob = NULL;
    int rc = cols(E, dst0, edge, 1, &dst);
    if (rc == XP_OK)
        rc = cols(E, src0, edge, -1, &src);
    if (rc == XP_OK)
        rc = cols(E, end, 1, 1, &xe);
    if (rc == XP_OK && type == XPS_PAD_EVEN)
        rc = xp__copy(src, dst);
    if (rc == XP_OK && type == XPS_PAD_CONSTANT) {
        rc = xp__view_broadcast(xe, 2, shape, &xb);
        if (rc == XP_OK)
            rc = xp__copy(xb, dst);
    }
    if (rc == XP_OK && type == XPS_PAD_ODD) {
        int64_t cshape[2] = {R, 1};
        rc = xp_array_empty(xp_array_provider(E), xp_array_dtype(E), 2, cshape, &two);
        if (rc == XP_OK)
            rc = xp__affine(xe, 2, 0, 0, 0, two);
        if (rc == XP_OK)
            rc = xp__view_broadcast(two, 2, shape, &twob);
        if (rc == XP_OK)
            rc = xp__binary(XP_BINARY_SUB, twob, src, dst);
    }
    xp_array *tmp[] = {dst, src, xe, xb, two, twob};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    return rc;
}

int xps__pad_ends(const xp_array *E, int64_t edge, int64_t n, xps_padtype type)
{
    int rc;
    if (edge == 0 || type == XPS_PAD_NONE)
        return XP_OK;
    /* left: x[edge], x[edge-1], ..., x[1] (E column edge + i holds x[i]) */
    if ((rc = one_end(E, 0, 2 * edge, edge, edge, type)))
        return rc;
    /* right: x[n-2], x[n-3], ..., x[n-1-edge] */
    return one_end(E, edge + n, edge + n - 2, edge + n - 1, edge, type);
}
