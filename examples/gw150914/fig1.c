/* fig1.c -- the filter of the discovery paper's Fig. 1 (PRL 116, 061102).
 *
 * The paper shows the raw strain band-passed to 35-350 Hz with "band-reject
 * filters to remove the strong instrumental spectral lines".  The GWOSC
 * tutorial builds it as:
 *   - butter(4, [35, 350] Hz, 'band');
 *   - for each line f with pass half-width d and stop half-width d2, an
 *     elliptic band-stop iirdesign(wp=[f-d, f+d], ws=[f-d2, f+d2], gpass=1,
 *     gstop=6, ftype='ellip'): [d, d2] = [1, 0.1] Hz at the lines below,
 *     then [200, 20] Hz around the 510 Hz violin modes and [10, 1] Hz
 *     around the forest of lines near 331.5 Hz;
 *   - every stage run forward and backward (zero phase), in that order.
 * We keep each stage as second-order sections (sosfiltfilt): the same
 * filters as the tutorial's (b, a) form to 1e-9 on these data, without its
 * ill-conditioned polynomials. */
#include "gw150914.h"

static const double lines_hz[] = {14.00, 34.70, 35.30, 35.90, 36.70, 37.30, 40.95,
                                  60.00, 120.00, 179.99, 304.99, 331.49, 510.02, 1009.99};

/* y = sosfiltfilt(sos, x); x is freed unless it is the caller's input. */
static int stage(const double *sos, int64_t nsec, xp_array **cur, const xp_array *input)
{
    xps_filtfilt_options fo;
    xp_array *y = NULL;
    xps_filtfilt_options_init(&fo);
    int rc = xps_sosfiltfilt(sos, nsec, *cur ? *cur : input, &fo, &y);
    if (rc)
        return rc;
    xp_array_free(*cur);
    *cur = y;
    return XP_OK;
}

/* One elliptic band-stop at f: passband edges f +- d, stopband f +- d2. */
static int notch(double f, double d, double d2, double fs, xp_array **cur,
                 const xp_array *input)
{
    enum { CAP = XPS_IIR_BUFLEN(8) };
    double sos[CAP];
    const double wp[2] = {f - d, f + d}, ws[2] = {f - d2, f + d2};
    int64_t nsec;
    int rc = xps_iirdesign(wp, ws, 2, 1.0, 6.0, 0, XPS_FTYPE_ELLIP, XPS_OUTPUT_SOS, fs, CAP,
                           sos, &nsec, NULL, NULL, NULL, NULL);
    return rc ? rc : stage(sos, nsec, cur, input);
}

int gw_fig1_filter(const xp_array *x, double fs, xp_array **out)
{
    double sos[XPS_IIR_BUFLEN(4)];
    const double band[2] = {35.0, 350.0};
    int64_t nsec;
    xp_array *cur = NULL;
    *out = NULL;
    int rc = xps_butter(4, band, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_SOS, fs, sos, &nsec,
                        NULL, NULL, NULL);
    if (rc == XP_OK)
        rc = stage(sos, nsec, &cur, x);
    for (size_t i = 0; rc == XP_OK && i < sizeof lines_hz / sizeof lines_hz[0]; i++)
        rc = notch(lines_hz[i], 1.0, 0.1, fs, &cur, x);
    if (rc == XP_OK)
        rc = notch(510.0, 200.0, 20.0, fs, &cur, x);
    if (rc == XP_OK)
        rc = notch(331.5, 10.0, 1.0, fs, &cur, x);
    if (rc) {
        xp_array_free(cur);
        return rc;
    }
    *out = cur;
    return XP_OK;
}
