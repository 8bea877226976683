/*
 * triangular.c -- triang (never reaches zero), bartlett (zero at both
 * ends) and barthann (Bartlett-Hann).
 */
#include <math.h>
#include "windows.h"

int xps__triang(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    for (int64_t i = 0; i < M; i++) {
        double n = (double)((i < N - 1 - i ? i : N - 1 - i) + 1);
        out[i] = N % 2 == 0 ? (2 * n - 1.0) / (double)N
                            : 2 * n / ((double)N + 1.0);
    }
    return XP_OK;
}

int xps__bartlett(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    for (int64_t i = 0; i < M; i++) {
        double n = (double)i, d = (double)(N - 1);
        out[i] = n <= d / 2.0 ? 2.0 * n / d : 2.0 - 2.0 * n / d;
    }
    return XP_OK;
}

int xps__barthann(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    for (int64_t i = 0; i < M; i++) {
        double f = fabs((double)i / ((double)N - 1.0) - 0.5);
        out[i] = 0.62 - 0.48 * f + 0.38 * cos(2 * M_PI * f);
    }
    return XP_OK;
}
