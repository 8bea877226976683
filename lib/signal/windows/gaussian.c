/*
 * gaussian.c -- gaussian (std) and general_gaussian (p, sig):
 * exp(-n^2 / (2 std^2)) and exp(-|n/sig|^(2p) / 2), n measured from the
 * centre of the symmetric window.
 */
#include <math.h>
#include "windows.h"

int xps__gaussian(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    double std = prm[0];
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    double sig2 = 2 * std * std;
    for (int64_t i = 0; i < M; i++) {
        double n = (double)i - ((double)N - 1.0) / 2.0;
        out[i] = exp(-(n * n) / sig2);
    }
    return XP_OK;
}

int xps__general_gaussian(int64_t M, int sym, const double *prm, int nprm,
                          double *out)
{
    double p = prm[0], sig = prm[1];
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    for (int64_t i = 0; i < M; i++) {
        double n = (double)i - ((double)N - 1.0) / 2.0;
        out[i] = exp(-0.5 * pow(fabs(n / sig), 2 * p));
    }
    return XP_OK;
}
