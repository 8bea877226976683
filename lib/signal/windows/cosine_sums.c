/*
 * cosine_sums.c -- windows that are sums of cosines, sum_k a[k] cos(k x)
 * with x running over [-pi, pi]: general_cosine and the named members of
 * the family (hann, hamming, blackman, nuttall, blackmanharris, flattop,
 * general_hamming).
 */
#include <math.h>
#include "windows.h"

int xps__general_cosine_coefs(int64_t M, int sym, const double *a, int na,
                              double *out)
{
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    /* x_i = -pi + i * 2pi/(N-1), the last one exactly pi (numpy's linspace) */
    double step = 2 * M_PI / (double)(N - 1);
    for (int64_t i = 0; i < M; i++) {
        double x = i == N - 1 ? M_PI : (double)i * step - M_PI;
        double w = 0;
        for (int k = 0; k < na; k++)
            w += a[k] * cos(k * x);
        out[i] = w;
    }
    return XP_OK;
}

int xps__general_cosine(int64_t M, int sym, const double *prm, int nprm,
                        double *out)
{
    return xps__general_cosine_coefs(M, sym, prm, nprm, out);
}

int xps__general_hamming(int64_t M, int sym, const double *prm, int nprm,
                         double *out)
{
    double a[2] = {prm[0], 1.0 - prm[0]};
    return xps__general_cosine_coefs(M, sym, a, 2, out);
}

int xps__hann(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    double alpha = 0.5;
    return xps__general_hamming(M, sym, &alpha, 1, out);
}

int xps__hamming(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    double alpha = 0.54;
    return xps__general_hamming(M, sym, &alpha, 1, out);
}

int xps__blackman(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    static const double a[] = {0.42, 0.50, 0.08};
    return xps__general_cosine_coefs(M, sym, a, 3, out);
}

/* Nuttall's minimum 4-term Blackman-Harris window. */
int xps__nuttall(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    static const double a[] = {0.3635819, 0.4891775, 0.1365995, 0.0106411};
    return xps__general_cosine_coefs(M, sym, a, 4, out);
}

int xps__blackmanharris(int64_t M, int sym, const double *prm, int nprm,
                        double *out)
{
    static const double a[] = {0.35875, 0.48829, 0.14128, 0.01168};
    return xps__general_cosine_coefs(M, sym, a, 4, out);
}

/* D'Antona and Ferrero's 5-term flat top. */
int xps__flattop(int64_t M, int sym, const double *prm, int nprm, double *out)
{
    static const double a[] = {0.21557895, 0.41663158, 0.277263158,
                               0.083578947, 0.006947368};
    return xps__general_cosine_coefs(M, sym, a, 5, out);
}
