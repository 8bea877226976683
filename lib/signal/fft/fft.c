/*
 * fft.c -- numpy.fft's rfft, irfft, fft, ifft along any axis (norm
 * "backward": only the inverses divide by n), and numpy.interp.  The
 * transforms run on the provider's batched FFT over a view with the axis
 * moved last; the result is written in the caller's layout.
 */
#include "common.h"

/* A new array shaped like x with axis -> len, of dtype; *ym views it with
 * the axis last. */
static int result(const xp_array *x, int ax, int64_t len, xp_dtype dt, xp_array **y,
                  xp_array **ym)
{
    int64_t shape[XP_MAX_NDIM];
    xps__replace_axis(xp_array_ndim(x), xp_array_dltensor(x)->shape, ax, len, shape);
    int rc = xp_array_empty(xp_array_provider(x), dt, xp_array_ndim(x), shape, y);
    if (rc == XP_OK && (rc = xp__view_axis_last(*y, ax, ym))) {
        xp_array_free(*y);
        *y = NULL;
    }
    return rc;
}

static int transform(const char *fn, xp_fft_kind kind, const xp_array *x, int64_t n,
                     int axis, xp_array **out)
{
    int rc, ax;
    if (!out)
        return xp_error(XP_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!x)
        return xp_error(XP_EINVAL, "%s: x is NULL", fn);
    if ((rc = xp__axis(fn, axis, xp_array_ndim(x), &ax)))
        return rc;
    xp_dtype dt = xp_array_dtype(x);
    int64_t m = xp_array_dim(x, ax);
    if (n < 0)
        return xp_error(XP_EINVAL, "%s: n (%lld) must be positive (0 for the default)", fn,
                        (long long)n);
    if (n == 0)
        n = kind == XP_FFT_C2R ? 2 * (m - 1) : m;
    if (n < 1)
        return xp_error(XP_EINVAL, "%s: invalid number of data points (%lld) along axis %d",
                        fn, (long long)n, axis);
    if (kind == XP_FFT_R2C && xp_dtype_is_complex(dt))
        return xp_error(XP_EDTYPE, "%s: x must be real (got %s)", fn, xp_dtype_name(dt));
    xp_array *xc = NULL, *xm = NULL, *y = NULL, *ym = NULL;
    /* complex transforms of real input, and irfft of real input, run on a
     * complex copy, as numpy does */
    if (kind != XP_FFT_R2C && !xp_dtype_is_complex(dt)) {
        if ((rc = xp_array_astype(x, xp_dtype_complex(dt), &xc)))
            return rc;
        x = xc;
        dt = xp_dtype_complex(dt);
    }
    int64_t len = kind == XP_FFT_R2C ? n / 2 + 1 : n;
    xp_dtype ydt = kind == XP_FFT_C2R ? xp_dtype_real(dt)
                   : kind == XP_FFT_R2C ? xp_dtype_complex(dt) : dt;
    double scale = kind == XP_FFT_C2R || kind == XP_FFT_C2C_BACKWARD ? 1.0 / (double)n : 1.0;
    rc = xp__view_axis_last(x, ax, &xm);
    if (rc == XP_OK)
        rc = result(x, ax, len, ydt, &y, &ym);
    if (rc == XP_OK && xp_array_size(y) > 0)
        rc = xp__fft(kind, n, scale, xm, ym);
    xp_array_free(xc);
    xp_array_free(xm);
    xp_array_free(ym);
    if (rc) {
        xp_array_free(y);
        return rc;
    }
    *out = y;
    return XP_OK;
}

int xps_rfft(const xp_array *x, int64_t n, int axis, xp_array **out)
{
    return transform("rfft", XP_FFT_R2C, x, n, axis, out);
}

int xps_irfft(const xp_array *x, int64_t n, int axis, xp_array **out)
{
    return transform("irfft", XP_FFT_C2R, x, n, axis, out);
}

int xps_fft(const xp_array *x, int64_t n, int axis, xp_array **out)
{
    return transform("fft", XP_FFT_C2C_FORWARD, x, n, axis, out);
}

int xps_ifft(const xp_array *x, int64_t n, int axis, xp_array **out)
{
    return transform("ifft", XP_FFT_C2C_BACKWARD, x, n, axis, out);
}

int xps_interp(const xp_array *x, const xp_array *xp, const xp_array *fp, xp_array **out)
{
    int rc;
    if (!out)
        return xp_error(XP_EINVAL, "interp: out is NULL");
    *out = NULL;
    if (!x || !xp || !fp)
        return xp_error(XP_EINVAL, "interp: %s is NULL", !x ? "x" : !xp ? "xp" : "fp");
    const xp_array *all[3] = {x, xp, fp};
    const xp_provider *p;
    if ((rc = xp_get_namespace(3, all, &p)))
        return rc;
    if (xp_array_ndim(xp) != 1 || xp_array_ndim(fp) != 1
        || xp_array_dim(xp, 0) != xp_array_dim(fp, 0))
        return xp_error(XP_ESHAPE, "interp: fp and xp are not of the same length");
    if (xp_array_dim(xp, 0) == 0)
        return xp_error(XP_ESHAPE, "interp: array of sample points is empty");
    if (xp_dtype_is_complex(xp_array_dtype(x)) || xp_dtype_is_complex(xp_array_dtype(xp)))
        return xp_error(XP_EDTYPE, "interp: x and xp must be real");
    /* numpy computes in float64 (complex128 for complex fp) */
    xp_dtype ydt = xp_dtype_is_complex(xp_array_dtype(fp)) ? XP_COMPLEX128 : XP_FLOAT64;
    xp_array *x64 = NULL, *xp64 = NULL, *fp64 = NULL, *y = NULL;
    rc = xp_array_astype(x, XP_FLOAT64, &x64);
    if (rc == XP_OK)
        rc = xp_array_astype(xp, XP_FLOAT64, &xp64);
    if (rc == XP_OK)
        rc = xp_array_astype(fp, ydt, &fp64);
    if (rc == XP_OK)
        rc = xp_array_empty(p, ydt, xp_array_ndim(x), xp_array_dltensor(x)->shape, &y);
    if (rc == XP_OK && xp_array_size(y) > 0)
        rc = xp__interp(x64, xp64, fp64, y);
    xp_array_free(x64);
    xp_array_free(xp64);
    xp_array_free(fp64);
    if (rc) {
        xp_array_free(y);
        return rc;
    }
    *out = y;
    return XP_OK;
}
