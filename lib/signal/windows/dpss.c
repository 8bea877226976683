/*
 * dpss.c -- discrete prolate spheroidal (Slepian) sequences: the Kmax
 * sequences of length N most concentrated in the band |f| < NW/N.  They
 * are the eigenvectors of the largest eigenvalues of a symmetric
 * tridiagonal matrix that commutes with the concentration operator
 * (Slepian 1978), solved in tridiag.c; the concentration ratios come from
 * the autocorrelation of each sequence.  Signs follow SciPy: even
 * sequences sum positive, odd ones start positive.
 */
#include <math.h>
#include <string.h>
#include "windows.h"

/* ratio_k = sum_j rxx_k[j] r[j], r[0] = 2W, r[j] = 4W sinc(2Wj), with the
 * autocorrelation rxx of taper w[N] taken through an FFT of L >= 2N-1. */
static int concentration(int64_t N, double W, const double *w, double *z,
                         int64_t L, double *ratio)
{
    memset(z, 0, (size_t)(2 * L) * sizeof(double));
    for (int64_t i = 0; i < N; i++)
        z[2 * i] = w[i];
    int rc = xps__dft(L, z, -1);
    for (int64_t i = 0; !rc && i < L; i++) {
        z[2 * i] = z[2 * i] * z[2 * i] + z[2 * i + 1] * z[2 * i + 1];
        z[2 * i + 1] = 0;
    }
    if (!rc)
        rc = xps__dft(L, z, +1);
    if (rc)
        return rc;
    double s = z[0] / (double)L * 2 * W;
    for (int64_t j = 1; j < N; j++) {
        double y = M_PI * 2 * W * (double)j;
        s += z[2 * j] / (double)L * (4 * W * (sin(y) / y));
    }
    *ratio = s;
    return XP_OK;
}

/* SciPy's 'subsample' correction: N / Re(sum of the spectrum of w shifted
 * by half a sample less 1/N), i.e. scale so the band-limited
 * interpolation of w peaks at 1. */
static int subsample_correction(int64_t N, const double *w, double *z,
                                double *corr)
{
    for (int64_t i = 0; i < N; i++) {
        z[2 * i] = w[i];
        z[2 * i + 1] = 0;
    }
    int rc = xps__dft(N, z, -1);
    if (rc)
        return rc;
    double s = z[0];
    for (int64_t j = 1; j <= N / 2; j++) {
        double a = M_PI * (1 - 1.0 / (double)N) * (double)j;
        s += 2 * (z[2 * j] * cos(a) - z[2 * j + 1] * sin(a));
    }
    *corr = (double)N / s;
    return XP_OK;
}

int xps_window_dpss(int64_t M, double NW, int64_t Kmax, int sym, int norm,
                    double *tapers, double *ratios)
{
    if (norm != XPS_DPSS_NORM_APPROXIMATE && norm != XPS_DPSS_NORM_L2
        && norm != XPS_DPSS_NORM_SUBSAMPLE)
        return xp_error(XP_EINVAL, "dpss: norm (%d) must be one of "
                        "XPS_DPSS_NORM_L2 (2), XPS_DPSS_NORM_APPROXIMATE (1), "
                        "XPS_DPSS_NORM_SUBSAMPLE (3)", norm);
    if (M < 0 || M > XPS__WINDOW_MAXLEN)
        return xp_error(XP_EINVAL, "dpss: M (%lld) must be in [0, 2^48]",
                        (long long)M);
    if (Kmax < 1 || (M > 1 && Kmax > XPS__WINDOW_MAXLEN / M))
        return xp_error(XP_EINVAL, "dpss: Kmax (%lld) must be at least 1 "
                        "(and Kmax * M at most 2^48)", (long long)Kmax);
    if (M > 0 && !tapers)
        return xp_error(XP_EINVAL, "dpss: tapers is NULL");
    if (M <= 1) {
        for (int64_t i = 0; i < Kmax * M; i++)
            tapers[i] = 1.0;
        for (int64_t k = 0; ratios && k < Kmax; k++)
            ratios[k] = 1.0;
        return XP_OK;
    }
    if (Kmax > M)
        return xp_error(XP_EINVAL, "dpss: Kmax (%lld) must be at most M (%lld)",
                        (long long)Kmax, (long long)M);
    if (!(NW < (double)M / 2.0))
        return xp_error(XP_EINVAL, "dpss: NW (%g) must be less than M/2 (%g)",
                        NW, (double)M / 2.0);
    if (!(NW > 0))
        return xp_error(XP_EINVAL, "dpss: NW (%g) must be positive", NW);

    int64_t N = xps__window_len(M, sym);
    int64_t L = 1;
    while (L < 2 * N - 1)
        L <<= 1;
    size_t nd = (size_t)N, nk = (size_t)Kmax;
    /* d[N], e[N], lam[K], vec[K][N], z[2L] */
    double *buf = xp__malloc((2 * nd + nk + nk * nd + 2 * (size_t)L) * sizeof(double));
    if (!buf)
        return xp_error(XP_ENOMEM, "dpss: out of memory (M = %lld, Kmax = %lld)",
                        (long long)M, (long long)Kmax);
    double *d = buf, *e = d + nd, *lam = e + nd, *vec = lam + nk, *z = vec + nk * nd;

    double W = NW / (double)N, c = cos(2 * M_PI * W);
    for (int64_t i = 0; i < N; i++) {
        double t = ((double)(N - 1) - 2 * (double)i) / 2.0;
        d[i] = t * t * c;
        if (i > 0)
            e[i - 1] = (double)i * (double)(N - i) / 2.0;
    }
    int rc = xps__tridiag_top_eigen(N, d, e, Kmax, lam, vec);
    if (rc)
        goto done;

    double thresh = fmax(1e-7, 1.0 / (double)N);
    for (int64_t k = 0; k < Kmax; k++) {
        double *w = vec + (size_t)k * nd, s = 0;
        int flip = 0;
        if (k % 2 == 0) {
            for (int64_t i = 0; i < N; i++)
                s += w[i];
            flip = s < 0;
        } else {
            for (int64_t i = 0; i < N; i++)
                if (w[i] * w[i] > thresh) {
                    flip = w[i] < 0;
                    break;
                }
        }
        for (int64_t i = 0; flip && i < N; i++)
            w[i] = -w[i];
        if (ratios && (rc = concentration(N, W, w, z, L, &ratios[k])))
            goto done;
    }

    if (norm != XPS_DPSS_NORM_L2) {
        double big = -INFINITY, corr = 1;      /* SciPy: one max over all tapers */
        for (size_t i = 0; i < nk * nd; i++)
            big = fmax(big, vec[i]);
        for (size_t i = 0; i < nk * nd; i++)
            vec[i] /= big;
        if (N % 2 == 0) {
            if (norm == XPS_DPSS_NORM_APPROXIMATE)
                corr = (double)N * (double)N / ((double)N * (double)N + NW);
            else if ((rc = subsample_correction(N, vec, z, &corr)))
                goto done;
            for (size_t i = 0; i < nk * nd; i++)
                vec[i] *= corr;
        }
    }
    for (int64_t k = 0; k < Kmax; k++)
        memcpy(tapers + k * M, vec + (size_t)k * nd, (size_t)M * sizeof(double));
done:
    xp__free(buf);
    return rc;
}

/* get_window's dpss: the first taper, 'approximate' norm. */
int xps__dpss(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    return xps_window_dpss(M, prm[0], 1, sym, XPS_DPSS_NORM_APPROXIMATE, out, NULL);
}
