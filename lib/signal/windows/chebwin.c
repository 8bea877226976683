/*
 * chebwin.c -- the Dolph-Chebyshev window: the inverse DFT of a Chebyshev
 * polynomial sampled on the unit circle, equiripple sidelobes at -at dB.
 * The DFT has N points and is done in double on the host (dft.c).
 */
#include <math.h>
#include "windows.h"

int xps__chebwin(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    double at = prm[0];
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    double order = (double)N - 1.0;
    double beta = cosh(1.0 / order * acosh(pow(10, fabs(at) / 20.)));
    double *z = xp__malloc((size_t)N * 2 * sizeof(double));
    if (!z)
        return xp_error(XP_ENOMEM, "chebwin: out of memory (M = %lld)",
                        (long long)M);
    double odd_sign = 2 * (double)(N % 2) - 1;
    for (int64_t k = 0; k < N; k++) {
        double x = beta * cos(M_PI * (double)k / (double)N), p;
        if (x > 1)
            p = cosh(order * acosh(x));
        else if (x < -1)
            p = odd_sign * cosh(order * acosh(-x));
        else
            p = cos(order * acos(x));
        if (N % 2) {
            z[2 * k] = p;
            z[2 * k + 1] = 0;
        } else {            /* half-sample shift for even lengths */
            double a = M_PI / (double)N * (double)k;
            z[2 * k] = p * cos(a);
            z[2 * k + 1] = p * sin(a);
        }
    }
    int rc = xps__dft(N, z, -1);
    if (rc) {
        xp__free(z);
        return rc;
    }
    /* Mirror the first half of the real spectrum into the window. */
    int64_t h = N / 2;
    double wmax = -INFINITY;
    for (int64_t i = 0; i < N; i++) {
        int64_t j = N % 2 ? (i < h ? h - i : i - h)
                          : (i < h ? h - i : i - h + 1);
        double v = z[2 * j];
        if (i < M)
            out[i] = v;
        wmax = fmax(wmax, v);
    }
    for (int64_t i = 0; i < M; i++)
        out[i] /= wmax;
    xp__free(z);
    return XP_OK;
}
