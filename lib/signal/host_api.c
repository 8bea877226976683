/*
 * host_api.c -- the _f64 conveniences: the most used functions on plain
 * double arrays in the caller's memory, for FFI callers (Julia's ccall,
 * R's C glue, ctypes) that would rather not build DLPack tensors.
 *
 * Each one borrows its 1-D input as a host tensor (no copy) and calls the
 * array-level function on the host provider: the filters and detrend
 * write straight into the caller's buffer (their _into forms, so y may be
 * x itself), the estimators copy their small results out.  The array
 * functions do every check of the values; this layer checks only
 * pointers, lengths and capacities.
 */
#include <string.h>
#include "common.h"

/* A borrowed C-ordered float64 host tensor of ndim (1 or 2) dimensions
 * over x; *t and shape[ndim] must outlive *out.  An input's data is never
 * written (inputs are read-only to every xps_ function); an output's is
 * written by an _into form. */
static int wrapn(const char *fn, const char *name, const double *x, int ndim,
                 int64_t *shape, DLTensor *t, xp_array **out)
{
    *out = NULL;
    int64_t n = ndim == 2 ? shape[0] * shape[1] : shape[0];
    if (shape[0] < 0)
        return xp_error(XP_ESHAPE, "%s: length of %s (%lld) must not be negative", fn, name,
                        (long long)shape[0]);
    if (!x && n > 0)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, name);
    memset(t, 0, sizeof *t);
    t->data = (void *)x;
    t->device.device_type = xp_provider_device_type(xp_provider_host());
    t->device.device_id = 0;
    t->ndim = ndim;
    xp_dtype_to_dlpack(XP_FLOAT64, &t->dtype);    /* a valid dtype: cannot fail */
    t->shape = shape;
    t->strides = NULL;
    return xp_array_wrap(t, out);
}

static int wrap(const char *fn, const char *name, const double *x, int64_t n,
                DLTensor *t, int64_t *shape, xp_array **out)
{
    *shape = n;
    return wrapn(fn, name, x, 1, shape, t, out);
}

/* Copy a's values (size elements of its dtype) to dst. */
static int copy_out(const xp_array *a, double *dst)
{
    size_t nbytes = (size_t)xp_array_size(a) * xp_dtype_size(xp_array_dtype(a));
    return xp_array_to_host(a, dst, nbytes);
}

/* ---------------------------------------------------------- spectral */

typedef enum { ONE_WELCH, ONE_PERIODOGRAM, TWO_CSD, TWO_COHERENCE } spec_kind;

static const char *spec_name(spec_kind k)
{
    static const char *names[] = {"welch_f64", "periodogram_f64", "csd_f64", "coherence_f64"};
    return names[k];
}

static int spec_run(spec_kind kind, const xp_array *x, const xp_array *y,
                    const xps_spectral_options *opt, xp_array **f, xp_array **P)
{
    switch (kind) {
    case ONE_WELCH:
        return xps_welch(x, opt, f, P);
    case ONE_PERIODOGRAM:
        return xps_periodogram(x, opt, f, P);
    case TWO_CSD:
        return xps_csd(x, y, opt, f, P);
    default:
        return xps_coherence(x, y, opt, f, P);
    }
}

/* The spectral conveniences share everything but the call.  P gets nfreq
 * values (2 nfreq doubles for the complex Pxy). */
static int spectral(spec_kind kind, const double *x, int64_t nx, const double *y,
                    int64_t ny, const xps_spectral_options *opt, double *f, double *P,
                    int64_t cap, int64_t *nfreq)
{
    const char *fn = spec_name(kind);
    if (!P || !nfreq)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, P ? "nfreq" : "the output");
    *nfreq = 0;
    if (cap < 0)
        return xp_error(XP_ESHAPE, "%s: cap (%lld) must not be negative", fn, (long long)cap);
    xps_spectral_options dflt;
    if (!opt) {
        if (kind == ONE_PERIODOGRAM)
            xps_periodogram_options_init(&dflt);
        else
            xps_welch_options_init(&dflt);
        opt = &dflt;
    }
    DLTensor tx, ty;
    int64_t sx, sy;
    xp_array *ax = NULL, *ay = NULL, *af = NULL, *aP = NULL;
    int two = kind == TWO_CSD || kind == TWO_COHERENCE;
    int rc = wrap(fn, "x", x, nx, &tx, &sx, &ax);
    if (rc == XP_OK && two)
        rc = wrap(fn, "y", y, ny, &ty, &sy, &ay);
    if (rc == XP_OK)
        rc = spec_run(kind, ax, ay, opt, f ? &af : NULL, &aP);
    if (rc == XP_OK) {
        *nfreq = xp_array_size(aP);
        if (*nfreq > cap)
            rc = xp_error(XP_ESHAPE, "%s: cap (%lld) is less than the number of "
                          "frequencies (%lld)", fn, (long long)cap, (long long)*nfreq);
    }
    if (rc == XP_OK && f)
        rc = copy_out(af, f);
    if (rc == XP_OK)
        rc = copy_out(aP, P);
    xp_array_free(ax);
    xp_array_free(ay);
    xp_array_free(af);
    xp_array_free(aP);
    return rc;
}

int xps_welch_f64(const double *x, int64_t n, const xps_spectral_options *opt, double *f,
                  double *Pxx, int64_t cap, int64_t *nfreq)
{
    return spectral(ONE_WELCH, x, n, NULL, 0, opt, f, Pxx, cap, nfreq);
}

int xps_periodogram_f64(const double *x, int64_t n, const xps_spectral_options *opt,
                        double *f, double *Pxx, int64_t cap, int64_t *nfreq)
{
    return spectral(ONE_PERIODOGRAM, x, n, NULL, 0, opt, f, Pxx, cap, nfreq);
}

int xps_csd_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                const xps_spectral_options *opt, double *f, double *Pxy, int64_t cap,
                int64_t *nfreq)
{
    return spectral(TWO_CSD, x, nx, y, ny, opt, f, Pxy, cap, nfreq);
}

int xps_coherence_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                      const xps_spectral_options *opt, double *f, double *Cxy, int64_t cap,
                      int64_t *nfreq)
{
    return spectral(TWO_COHERENCE, x, nx, y, ny, opt, f, Cxy, cap, nfreq);
}

/* ---------------------------------------------------------- detrend */

int xps_detrend_f64(const double *x, int64_t n, xps_detrend_type type, const int64_t *bp,
                    int64_t nbp, double *y)
{
    if (!y)
        return xp_error(XP_EINVAL, "detrend_f64: the output is NULL");
    DLTensor tx, ty;
    int64_t sx, sy;
    xp_array *ax = NULL, *ay = NULL;
    int rc = wrap("detrend_f64", "x", x, n, &tx, &sx, &ax);
    if (rc == XP_OK)
        rc = wrap("detrend_f64", "y", y, n, &ty, &sy, &ay);
    if (rc == XP_OK)
        rc = xps_detrend_into(ax, -1, type, bp, nbp, ay);
    xp_array_free(ax);
    xp_array_free(ay);
    return rc;
}

/* -------------------------------------------------------- filtering */

/* lfilter (sos == NULL) or sosfilt.  A zf wanted without zi starts from
 * rest: the zero state, which gives the same y as no state at all. */
static int filt(const char *fn, const double *b, int64_t nb, const double *a, int64_t na,
                const double *sos, int64_t nsec, const double *x, int64_t n,
                const double *zi, double *y, double *zf)
{
    if (!y)
        return xp_error(XP_EINVAL, "%s: the output is NULL", fn);
    int64_t zshape[2];
    int zdim;
    if (sos) {
        if (nsec < 1)
            return xp_error(XP_ESHAPE, "%s: nsec (%lld) must be at least 1", fn,
                            (long long)nsec);
        zshape[0] = nsec;
        zshape[1] = 2;
        zdim = 2;
    } else {
        if (nb < 1 || na < 1)
            return xp_error(XP_ESHAPE, "%s: %s (%lld) must be at least 1", fn,
                            nb < 1 ? "nb" : "na", (long long)(nb < 1 ? nb : na));
        zshape[0] = (na > nb ? na : nb) - 1;
        zdim = 1;
    }
    int64_t zsize = zshape[0] * (zdim == 2 ? zshape[1] : 1);
    DLTensor tx, ty, tz, tzf;
    int64_t sx, sy;
    xp_array *ax = NULL, *az = NULL, *ay = NULL, *azf = NULL;
    double *zero = NULL;
    int rc = wrap(fn, "x", x, n, &tx, &sx, &ax);
    if (rc == XP_OK)
        rc = wrap(fn, "y", y, n, &ty, &sy, &ay);
    if (rc == XP_OK && !zi && zf) {
        zero = xp__calloc((size_t)(zsize > 0 ? zsize : 1), sizeof *zero);
        if (!zero)
            rc = xp_error(XP_ENOMEM, "%s: out of memory for the initial state", fn);
        zi = zero;
    }
    if (rc == XP_OK && zi)
        rc = wrapn(fn, "zi", zi, zdim, zshape, &tz, &az);
    if (rc == XP_OK && zf)
        rc = wrapn(fn, "zf", zf, zdim, zshape, &tzf, &azf);
    if (rc == XP_OK)
        rc = sos ? xps_sosfilt_into(sos, nsec, ax, -1, az, ay, azf)
                 : xps_lfilter_into(b, nb, a, na, ax, -1, az, ay, azf);
    xp_array_free(ax);
    xp_array_free(az);
    xp_array_free(ay);
    xp_array_free(azf);
    xp__free(zero);
    return rc;
}

int xps_lfilter_f64(const double *b, int64_t nb, const double *a, int64_t na,
                    const double *x, int64_t n, const double *zi, double *y, double *zf)
{
    return filt("lfilter_f64", b, nb, a, na, NULL, 0, x, n, zi, y, zf);
}

int xps_sosfilt_f64(const double *sos, int64_t nsec, const double *x, int64_t n,
                    const double *zi, double *y, double *zf)
{
    if (!sos)
        return xp_error(XP_EINVAL, "sosfilt_f64: sos is NULL");
    return filt("sosfilt_f64", NULL, 0, NULL, 0, sos, nsec, x, n, zi, y, zf);
}

static int filtfilt(const char *fn, const double *b, int64_t nb, const double *a,
                    int64_t na, const double *sos, int64_t nsec, const double *x, int64_t n,
                    const xps_filtfilt_options *opt, double *y)
{
    if (!y)
        return xp_error(XP_EINVAL, "%s: the output is NULL", fn);
    xps_filtfilt_options dflt;
    if (!opt) {
        xps_filtfilt_options_init(&dflt);
        opt = &dflt;
    }
    DLTensor tx, ty;
    int64_t sx, sy;
    xp_array *ax = NULL, *ay = NULL;
    int rc = wrap(fn, "x", x, n, &tx, &sx, &ax);
    if (rc == XP_OK)
        rc = wrap(fn, "y", y, n, &ty, &sy, &ay);
    if (rc == XP_OK)
        rc = sos ? xps_sosfiltfilt_into(sos, nsec, ax, opt, ay)
                 : xps_filtfilt_into(b, nb, a, na, ax, opt, ay);
    xp_array_free(ax);
    xp_array_free(ay);
    return rc;
}

int xps_filtfilt_f64(const double *b, int64_t nb, const double *a, int64_t na,
                     const double *x, int64_t n, const xps_filtfilt_options *opt, double *y)
{
    return filtfilt("filtfilt_f64", b, nb, a, na, NULL, 0, x, n, opt, y);
}

int xps_sosfiltfilt_f64(const double *sos, int64_t nsec, const double *x, int64_t n,
                        const xps_filtfilt_options *opt, double *y)
{
    if (!sos)
        return xp_error(XP_EINVAL, "sosfiltfilt_f64: sos is NULL");
    return filtfilt("sosfiltfilt_f64", NULL, 0, NULL, 0, sos, nsec, x, n, opt, y);
}
