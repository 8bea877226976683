/*
 * cola.c -- scipy.signal.check_COLA and check_NOLA: whether a window,
 * repeated every nperseg - noverlap samples, adds up to a constant
 * (constant overlap-add: averaged spectra and istft reconstruct without
 * modulation) or its squares never vanish (nonzero overlap-add: istft can
 * invert the stft).  Both fold the window into one step of bins.
 */
#include <math.h>
#include <stdlib.h>
#include "spectral.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The window folded into step bins (squared for NOLA), in SciPy's order:
 * the whole steps first, then the remainder into the first bins; *ok is
 * set to 0 first. */
static int binsums(const char *fn, const xps_window_spec *spec, int64_t nperseg,
                   int64_t noverlap, int squared, int *ok, double **out, int64_t *nbins)
{
    int rc;
    xps_window_spec w;
    *out = NULL;
    if (!ok)
        return xp_error(XP_EINVAL, "%s: ok is NULL", fn);
    *ok = 0;
    if (!spec)
        return xp_error(XP_EINVAL, "%s: window is NULL", fn);
    if ((rc = xps__window_spec_in(fn, "window", spec, &w)))
        return rc;
    if (nperseg < 1)
        return xp_error(XP_EINVAL, "%s: nperseg (%lld) must be a positive integer", fn,
                        (long long)nperseg);
    if (noverlap >= nperseg)
        return xp_error(XP_EINVAL, "%s: noverlap (%lld) must be less than nperseg (%lld)", fn,
                        (long long)noverlap, (long long)nperseg);
    if (noverlap < 0)
        return xp_error(XP_EINVAL, "%s: noverlap (%lld) must be a nonnegative integer", fn,
                        (long long)noverlap);
    const xp_provider *p = w.array ? xp_array_provider(w.array) : xp_provider_host();
    double *win = NULL;
    int64_t n = nperseg, step = nperseg - noverlap;
    if ((rc = xps__window_values(fn, &w, &n, p, &win)))
        return rc;
    double *b = xp__calloc((size_t)step, sizeof *b);
    if (!b) {
        xp__free(win);
        return xp_error(XP_ENOMEM, "%s: out of memory", fn);
    }
    for (int64_t i = 0; i < nperseg / step; i++)
        for (int64_t j = 0; j < step; j++) {
            double v = win[i * step + j];
            b[j] += squared ? v * v : v;
        }
    int64_t rem = nperseg % step;
    for (int64_t j = 0; j < rem; j++) {
        double v = win[nperseg - rem + j];
        b[j] += squared ? v * v : v;
    }
    xp__free(win);
    *out = b;
    *nbins = step;
    return XP_OK;
}

int xps_check_COLA(const xps_window_spec *window, int64_t nperseg, int64_t noverlap,
                   double tol, int *ok)
{
    double *b = NULL;
    int64_t n = 0;
    int rc = binsums("check_COLA", window, nperseg, noverlap, 0, ok, &b, &n);
    if (rc)
        return rc;
    double *s = xp__malloc((size_t)n * sizeof *s);
    if (!s) {
        xp__free(b);
        return xp_error(XP_ENOMEM, "check_COLA: out of memory");
    }
    for (int64_t i = 0; i < n; i++)
        s[i] = b[i];
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, dev = 0;
    for (int64_t i = 0; i < n; i++)
        dev = fmax(dev, fabs(b[i] - med));
    *ok = dev < tol;
    xp__free(s);
    xp__free(b);
    return XP_OK;
}

int xps_check_NOLA(const xps_window_spec *window, int64_t nperseg, int64_t noverlap,
                   double tol, int *ok)
{
    double *b = NULL;
    int64_t n = 0;
    int rc = binsums("check_NOLA", window, nperseg, noverlap, 1, ok, &b, &n);
    if (rc)
        return rc;
    double lo = INFINITY;
    for (int64_t i = 0; i < n; i++)
        lo = fmin(lo, b[i]);
    *ok = lo > tol;
    xp__free(b);
    return XP_OK;
}
