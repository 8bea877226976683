/*
 * dft.c -- a small complex FFT in double for window design (chebwin's
 * spectrum, dpss's autocorrelations).  It runs once per window on the
 * host, so it aims at accuracy and brevity, not speed: twiddles come from
 * sin/cos of exactly reduced angles, powers of two use an iterative
 * radix-2 transform, other lengths Bluestein's chirp-z algorithm on top
 * of it.
 */
#include <math.h>
#include <string.h>
#include "windows.h"

/* exp(i pi num / den) for 0 <= num < 2 den, in (c, s). */
static void cis_pi(uint64_t num, uint64_t den, double *c, double *s)
{
    double a = M_PI * (double)num / (double)den;
    *c = cos(a);
    *s = sin(a);
}

/* In-place radix-2 transform of n = 2^m points; tw[n] holds
 * exp(-2 pi i k / n) for k < n/2 as (re, im). */
static void fft2(int64_t n, double *x, const double *tw, int sign)
{
    for (int64_t i = 1, j = 0; i < n; i++) {          /* bit reversal */
        int64_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
        if (i < j) {
            double tr = x[2 * i], ti = x[2 * i + 1];
            x[2 * i] = x[2 * j];
            x[2 * i + 1] = x[2 * j + 1];
            x[2 * j] = tr;
            x[2 * j + 1] = ti;
        }
    }
    for (int64_t len = 2; len <= n; len <<= 1) {
        int64_t half = len / 2, stride = n / len;
        for (int64_t b = 0; b < n; b += len)
            for (int64_t k = 0; k < half; k++) {
                double wr = tw[2 * k * stride];
                double wi = sign < 0 ? tw[2 * k * stride + 1] : -tw[2 * k * stride + 1];
                double *u = x + 2 * (b + k), *v = x + 2 * (b + k + half);
                double vr = v[0] * wr - v[1] * wi, vi = v[0] * wi + v[1] * wr;
                v[0] = u[0] - vr;
                v[1] = u[1] - vi;
                u[0] += vr;
                u[1] += vi;
            }
    }
}

static void twiddles(int64_t n, double *tw)
{
    for (int64_t k = 0; k < n / 2; k++) {
        double c, s;
        cis_pi((uint64_t)(2 * k), (uint64_t)n, &c, &s);
        tw[2 * k] = c;
        tw[2 * k + 1] = -s;
    }
}

int xps__dft(int64_t n, double *x, int sign)
{
    if (n <= 1)
        return XP_OK;
    if ((n & (n - 1)) == 0) {
        double *tw = xp__malloc((size_t)n * sizeof(double));
        if (!tw)
            return xp_error(XP_ENOMEM, "window design: out of memory for an "
                            "FFT of %lld points", (long long)n);
        twiddles(n, tw);
        fft2(n, x, tw, sign);
        xp__free(tw);
        return XP_OK;
    }
    /* Bluestein: jk = (j^2 + k^2 - (j-k)^2) / 2 turns the DFT into a
     * convolution with the chirp c_k = exp(sign i pi k^2 / n). */
    int64_t L = 1;
    while (L < 2 * n - 1)
        L <<= 1;
    double *buf = xp__malloc((size_t)(2 * n + 4 * L + L) * sizeof(double));
    if (!buf)
        return xp_error(XP_ENOMEM, "window design: out of memory for an "
                        "FFT of %lld points", (long long)n);
    double *chirp = buf, *a = buf + 2 * n, *b = a + 2 * L, *tw = b + 2 * L;
    for (int64_t k = 0; k < n; k++) {
        uint64_t kk = (uint64_t)k * (uint64_t)k % (uint64_t)(2 * n);
        double c, s;
        cis_pi(kk, (uint64_t)n, &c, &s);
        chirp[2 * k] = c;
        chirp[2 * k + 1] = sign < 0 ? -s : s;
    }
    memset(a, 0, (size_t)(4 * L) * sizeof(double));
    for (int64_t k = 0; k < n; k++) {
        double xr = x[2 * k], xi = x[2 * k + 1];
        double cr = chirp[2 * k], ci = chirp[2 * k + 1];
        a[2 * k] = xr * cr - xi * ci;
        a[2 * k + 1] = xr * ci + xi * cr;
        b[2 * k] = cr;                  /* conj(chirp), both signs of k */
        b[2 * k + 1] = -ci;
        if (k > 0) {
            b[2 * (L - k)] = cr;
            b[2 * (L - k) + 1] = -ci;
        }
    }
    twiddles(L, tw);
    fft2(L, a, tw, -1);
    fft2(L, b, tw, -1);
    for (int64_t k = 0; k < L; k++) {
        double ar = a[2 * k], ai = a[2 * k + 1], br = b[2 * k], bi = b[2 * k + 1];
        a[2 * k] = ar * br - ai * bi;
        a[2 * k + 1] = ar * bi + ai * br;
    }
    fft2(L, a, tw, +1);
    for (int64_t j = 0; j < n; j++) {
        double yr = a[2 * j] / (double)L, yi = a[2 * j + 1] / (double)L;
        double cr = chirp[2 * j], ci = chirp[2 * j + 1];
        x[2 * j] = yr * cr - yi * ci;
        x[2 * j + 1] = yr * ci + yi * cr;
    }
    xp__free(buf);
    return XP_OK;
}
