/*
 * basic.c -- windows given by one closed formula per sample: boxcar,
 * cosine, lanczos, bohman, parzen.  Each evaluates SciPy's expression in
 * SciPy's order of operations so results agree to the last bits.
 */
#include <math.h>
#include "windows.h"

int xps__window_ones(int64_t M, double *out)
{
    for (int64_t i = 0; i < M; i++)
        out[i] = 1.0;
    return XP_OK;
}

int xps__boxcar(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    return xps__window_ones(M, out);
}

/* Half a period of a sine, sampled at the centres of N cells. */
int xps__cosine(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    for (int64_t i = 0; i < M; i++)
        out[i] = sin(M_PI / (double)N * ((double)i + 0.5));
    return XP_OK;
}

static double sinc(double x)
{
    if (x == 0)
        return 1.0;
    double y = M_PI * x;
    return sin(y) / y;
}

/* sinc(2n/(N-1) - 1); SciPy builds the right half and mirrors it, so the
 * left half takes its values from the mirrored sample. */
int xps__lanczos(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    for (int64_t i = 0; i < M; i++) {
        int64_t j = i > N - 1 - i ? i : N - 1 - i;
        out[i] = j == N - 1 - j ? 1.0
                                : sinc(2.0 * (double)j / (double)(N - 1) - 1.0);
    }
    return XP_OK;
}

int xps__bohman(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    double step = 2.0 / (double)(N - 1);
    for (int64_t i = 0; i < M; i++) {
        if (i == 0 || i == N - 1) {
            out[i] = 0.0;
            continue;
        }
        double f = fabs((double)i * step - 1.0);
        out[i] = (1 - f) * cos(M_PI * f) + 1.0 / M_PI * sin(M_PI * f);
    }
    return XP_OK;
}

/* Piecewise cubic (de la Vallee Poussin). */
int xps__parzen(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    double half = (double)N / 2.0;
    for (int64_t i = 0; i < M; i++) {
        double a = fabs(-(double)(N - 1) / 2.0 + (double)i);
        double r = a / half;
        if (a <= (double)(N - 1) / 4.0)
            out[i] = 1 - 6 * pow(r, 2.0) + 6 * pow(r, 3.0);
        else
            out[i] = 2 * pow(1 - r, 3.0);
    }
    return XP_OK;
}
