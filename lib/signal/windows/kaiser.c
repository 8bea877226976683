/*
 * kaiser.c -- the Kaiser window I0(beta sqrt(1 - (2n/(N-1) - 1)^2)) / I0(beta)
 * and the Kaiser-Bessel derived window built from it.
 *
 * The ratio of Bessel functions is formed from exponentially scaled values,
 * so it stays finite for any beta (SciPy's plain ratio overflows to NaN
 * past beta ~ 700; below that the two agree to rounding).
 */
#include <float.h>
#include <math.h>
#include "windows.h"

/* exp(-|x|) I0(x): the power series (all terms positive, so no
 * cancellation) below 30, the asymptotic series above, where its
 * smallest term is below 1e-24. */
double xps__i0e(double x)
{
    x = fabs(x);
    if (isnan(x))
        return x;
    if (x <= 30) {
        double q = x * x / 4, t = 1, s = 1;
        for (int k = 1; t > DBL_EPSILON * s * 0.25; k++) {
            t *= q / ((double)k * k);
            s += t;
        }
        return s * exp(-x);
    }
    if (isinf(x))
        return 0;
    double t = 1, s = 1;
    for (int k = 1; k < 60; k++) {
        double r = (2.0 * k - 1) * (2.0 * k - 1) / (8.0 * k * x);
        if (r >= 1)
            break;
        t *= r;
        s += t;
        if (t < DBL_EPSILON * s * 0.25)
            break;
    }
    return s / sqrt(2 * M_PI * x);
}

int xps__kaiser(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    double beta = prm[0];
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    double a = (double)(N - 1) / 2.0;
    double b = fabs(beta), ib = xps__i0e(b);
    for (int64_t i = 0; i < M; i++) {
        double r = ((double)i - a) / a;
        double u = fabs(beta * sqrt(1 - r * r));
        out[i] = xps__i0e(u) / ib * exp(u - b);
    }
    return XP_OK;
}

/* KBD: w[n] = sqrt(cumsum(k)[n] / sum(k)) for the Kaiser window k of
 * M/2 + 1 points, mirrored.  Only even M and the symmetric form exist. */
int xps__kaiser_bessel_derived(int64_t M, int sym, const double *prm, int nprm,
                               double *out)
{
    if (!sym)
        return xp_error(XP_EINVAL, "kaiser_bessel_derived: only the symmetric "
                        "window exists (sym = 1, or get_window with fftbins = 0)");
    if (M < 1)
        return XP_OK;
    if (M % 2)
        return xp_error(XP_EINVAL, "kaiser_bessel_derived: M (%lld) must be even",
                        (long long)M);
    int64_t h = M / 2;
    int rc = xps__kaiser(h + 1, 1, prm, nprm, out);   /* h + 1 <= M */
    if (rc)
        return rc;
    for (int64_t i = 1; i <= h; i++)
        out[i] += out[i - 1];
    double total = out[h];
    for (int64_t i = 0; i < h; i++)
        out[i] = sqrt(out[i] / total);
    for (int64_t i = 0; i < h; i++)
        out[M - 1 - i] = out[i];
    return XP_OK;
}
