/* util.c -- small pieces the spectral estimators share. */
#include "spectral.h"

int xps__freqs(const xp_provider *p, int64_t nfft, double fs, int onesided, xp_array **f)
{
    int64_t nf = onesided ? nfft / 2 + 1 : nfft;
    double *v = xp__malloc((size_t)(nf > 0 ? nf : 1) * sizeof *v);
    *f = NULL;
    if (!v)
        return xp_error(XP_ENOMEM, "freqs: out of memory");
    /* as numpy.fft.rfftfreq / fftfreq(nfft, d=1/fs) compute them */
    double val = 1.0 / ((double)nfft * (1.0 / fs));
    int64_t half = (nfft - 1) / 2 + 1;
    for (int64_t k = 0; k < nf; k++)
        v[k] = (double)(onesided || k < half ? k : k - nfft) * val;
    int rc = xp_array_from_host(p, XP_FLOAT64, 1, &nf, v, f);
    xp__free(v);
    return rc;
}

double xps__median_bias(int64_t n)
{
    double bias = 1.0;
    for (int64_t i = 1; i <= (n - 1) / 2; i++)
        bias += 1.0 / (2.0 * i + 1.0) - 1.0 / (2.0 * i);
    return bias;
}
