/* asd.c -- the noise spectrum, as the tutorial estimates it.
 *
 * Welch's method with 4 s segments overlapping by 2 s, each detrended
 * (mean removed), tapered by a Tukey window and transformed; the window is
 * the tutorial's scipy.signal.windows.tukey(4 fs, 0.25), the *symmetric*
 * one (get_window("tukey", ...) would give the periodic one, a different
 * array).  Mean averaging is what the tutorial does; median-mean (LIGO's:
 * the average of the medians of the even and of the odd segments) does not
 * let a loud transient in one segment raise the estimate. */
#include <stdlib.h>
#include "gw150914.h"

int gw_psd(const xp_array *x, double fs, xps_average average, xp_array **f,
           xp_array **psd)
{
    const int64_t nperseg = (int64_t)(4 * fs);
    const double alpha = 0.25;
    double *w = malloc((size_t)nperseg * sizeof *w);
    xp_array *win = NULL;
    if (!w)
        return xp_error(XP_ENOMEM, "gw_psd: out of memory for the window");
    int rc = xps_window("tukey", &alpha, 1, nperseg, 1 /* sym */, w);
    if (rc == XP_OK)
        rc = gw_upload(xp_array_provider(x), w, nperseg, &win);
    free(w);
    if (rc)
        return rc;

    xps_spectral_options opt;
    xps_welch_options_init(&opt);
    opt.fs = fs;
    opt.window.array = win;         /* the window array fixes nperseg */
    opt.nperseg = nperseg;
    opt.noverlap = nperseg / 2;
    opt.detrend = XPS_DETREND_CONSTANT;
    opt.scaling = XPS_SCALING_DENSITY;
    opt.average = average;
    rc = xps_welch(x, &opt, f, psd);
    xp_array_free(win);
    return rc;
}
