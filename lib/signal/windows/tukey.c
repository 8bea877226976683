/*
 * tukey.c -- the tapered cosine window: flat in the middle, a half
 * period of a raised cosine over alpha/2 of the length at each end.
 * alpha <= 0 gives the boxcar, alpha >= 1 the Hann window.
 */
#include <math.h>
#include "windows.h"

int xps__tukey(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    double alpha = nprm > 0 ? prm[0] : 0.5;
    if (M <= 1)
        return xps__window_ones(M, out);
    if (alpha <= 0)
        return xps__window_ones(M, out);
    if (alpha >= 1.0)
        return xps__hann(M, sym, NULL, 0, out);
    int64_t N = xps__window_len(M, sym);
    double d = (double)(N - 1);
    int64_t width = (int64_t)floor(alpha * d / 2.0);
    for (int64_t i = 0; i < M; i++) {
        double n = (double)i;
        if (i <= width)
            out[i] = 0.5 * (1 + cos(M_PI * (-1 + 2.0 * n / alpha / d)));
        else if (i < N - width - 1)
            out[i] = 1.0;
        else
            out[i] = 0.5 * (1 + cos(M_PI * (-2.0 / alpha + 1 + 2.0 * n / alpha / d)));
    }
    return XP_OK;
}
