/*
 * taylor.c -- the Taylor window (radar): nbar - 1 cosine terms whose
 * weights Fm come from Taylor's product formula for sidelobes at -sll dB.
 * Parameters (nbar, sll, norm), defaults (4, 30, true); with norm the
 * centre of the symmetric window is scaled to 1.
 */
#include <math.h>
#include "windows.h"

/* 1 + 2 sum_m Fm cos(2 pi m (n - N/2 + 1/2) / N) */
static double taylor_at(double n, int64_t N, const double *Fm, int64_t nm)
{
    double s = 0;
    for (int64_t m = 1; m <= nm; m++)
        s += Fm[m - 1] * cos(2 * M_PI * (double)m * (n - (double)N / 2.0 + 0.5)
                             / (double)N);
    return 1 + 2 * s;
}

int xps__taylor(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    double nbar_d = nprm > 0 ? prm[0] : 4;
    double sll = nprm > 1 ? prm[1] : 30;
    int norm = nprm > 2 ? prm[2] != 0 : 1;
    if (M <= 1)
        return xps__window_ones(M, out);
    if (!(nbar_d >= 1 && nbar_d <= 1e7 && nbar_d == floor(nbar_d)))
        return xp_error(XP_EINVAL, "taylor: nbar (%g) must be a positive integer",
                        nbar_d);
    int64_t nbar = (int64_t)nbar_d, nm = nbar - 1;
    int64_t N = xps__window_len(M, sym);
    double A = acosh(pow(10, sll / 20)) / M_PI, A2 = A * A;
    double s2 = nbar_d * nbar_d / (A2 + (nbar_d - 0.5) * (nbar_d - 0.5));
    double *Fm = xp__malloc((size_t)(nm > 0 ? nm : 1) * sizeof(double));
    if (!Fm)
        return xp_error(XP_ENOMEM, "taylor: out of memory (nbar = %lld)",
                        (long long)nbar);
    for (int64_t i = 0; i < nm; i++) {
        double m2 = (double)(i + 1) * (double)(i + 1);
        double num = i % 2 ? -1.0 : 1.0, below = 1, above = 1;
        for (int64_t j = 0; j < nm; j++) {
            double mj = (double)(j + 1);
            num *= 1 - m2 / s2 / (A2 + (mj - 0.5) * (mj - 0.5));
            if (j < i)
                below *= 1 - m2 / (mj * mj);
            else if (j > i)
                above *= 1 - m2 / (mj * mj);
        }
        Fm[i] = num / (2 * below * above);
    }
    for (int64_t i = 0; i < M; i++)
        out[i] = taylor_at((double)i, N, Fm, nm);
    if (norm) {
        double scale = 1.0 / taylor_at((double)(N - 1) / 2, N, Fm, nm);
        for (int64_t i = 0; i < M; i++)
            out[i] *= scale;
    }
    xp__free(Fm);
    return XP_OK;
}
