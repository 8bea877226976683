/* bandpass.c -- keep the band where the signal is, after whitening.
 *
 * The tutorial's lines are
 *     bb, ab = butter(4, [fband[0]*2./fs, fband[1]*2./fs], btype='band')
 *     normalization = np.sqrt((fband[1]-fband[0])/(fs/2))
 *     strain_whitenbp = filtfilt(bb, ab, strain_whiten) / normalization
 * Dividing by the square root of the kept fraction of the band brings white
 * noise back to unit variance.
 *
 * We run the same filter the same way (forward and backward, odd padding of
 * 3 max(len(ab), len(bb)) = 27 samples, steady-state initial conditions)
 * but as second-order sections.  At 35 Hz of 4096 the order-8 (b, a)
 * recursion is ill-conditioned: changing its input by 1e-15 changes its
 * output by up to 8e-10, and our own (b, a) run differs from SciPy's by a
 * few 1e-9.  The sections give SciPy's (b, a) result to within that noise
 * of SciPy's own arithmetic. */
#include <math.h>
#include "gw150914.h"

int gw_bandpass(const xp_array *white, double fs, double flo, double fhi,
                xp_array **out)
{
    const int64_t order = 4;
    double sos[XPS_IIR_BUFLEN(4)];
    const double wn[2] = {flo * 2.0 / fs, fhi * 2.0 / fs};
    int64_t nsec;
    xps_filtfilt_options fo;
    int rc = xps_butter(order, wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_SOS, 0, sos, &nsec,
                        NULL, NULL, NULL);
    if (rc)
        return rc;
    xps_filtfilt_options_init(&fo);
    fo.padlen = 3 * (2 * order + 1);    /* filtfilt's for bb, ab of length 2 order + 1 */
    if ((rc = xps_sosfiltfilt(sos, nsec, white, &fo, out)))
        return rc;
    rc = gw_affine(*out, 1.0 / sqrt((fhi - flo) / (fs / 2)), 0, *out);
    if (rc) {
        xp_array_free(*out);
        *out = NULL;
    }
    return rc;
}
