/* whiten.c -- divide the data by the noise amplitude, frequency by frequency.
 *
 * The GWOSC tutorial's whiten(strain, interp_psd, dt):
 *     hf = rfft(strain)
 *     white_hf = hf / sqrt(interp_psd(rfftfreq(Nt, dt))) * norm,
 *         norm = 1 / sqrt(1 / (2 dt))
 *     white_ht = irfft(white_hf, n=Nt)
 * with the PSD interpolated linearly to the rfft frequencies.  The result
 * has unit variance per sample where the noise is Gaussian and stationary;
 * lines and the low-frequency wall no longer dominate. */
#include <math.h>
#include <stdlib.h>
#include "gw150914.h"

int gw_whiten(const xp_array *x, double dt, const xp_array *f, const xp_array *psd,
              xp_array **white)
{
    const xp_provider *p = xp_array_provider(x);
    const int64_t n = xp_array_dim(x, 0), nf = n / 2 + 1;
    xp_array *hf = NULL, *freqs = NULL, *ipsd = NULL, *asd = NULL;
    double *fr = malloc((size_t)nf * sizeof *fr);
    if (!fr)
        return xp_error(XP_ENOMEM, "gw_whiten: out of memory");
    for (int64_t k = 0; k < nf; k++)        /* numpy.fft.rfftfreq(n, dt) */
        fr[k] = (double)k / ((double)n * dt);
    int rc = gw_upload(p, fr, nf, &freqs);
    free(fr);
    if (rc == XP_OK)
        rc = xps_rfft(x, 0, -1, &hf);
    if (rc == XP_OK)
        rc = xps_interp(freqs, f, psd, &ipsd);
    if (rc == XP_OK)
        rc = xp_array_empty(p, XP_FLOAT64, 1, &nf, &asd);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_SQRT, ipsd, asd);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_DIV, hf, asd, hf);         /* complex / real */
    if (rc == XP_OK)
        rc = gw_affine(hf, 1.0 / sqrt(1.0 / (dt * 2)), 0, hf);
    if (rc == XP_OK)
        rc = xps_irfft(hf, n, -1, white);
    xp_array_free(hf);
    xp_array_free(freqs);
    xp_array_free(ipsd);
    xp_array_free(asd);
    return rc;
}
