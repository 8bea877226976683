/*
 * fft_bound.c -- the hardware bound for Welch: FFTW alone transforming
 * the same overlapping segments (r2c, one plan, no window, no detrend, no
 * accumulation), on one thread, as a reference the estimators are held to.
 *
 *   fft_bound N NPERSEG NOVERLAP [CHANNELS]   prints seconds=...
 */
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fft_bound N NPERSEG NOVERLAP [CHANNELS]\n");
        return 2;
    }
    long n = atol(argv[1]), L = atol(argv[2]), step = L - atol(argv[3]);
    long ch = argc > 4 ? atol(argv[4]) : 1, nseg = (n - L) / step + 1, nf = L / 2 + 1;
    double *x = fftw_alloc_real((size_t)(n * ch));
    double *in = fftw_alloc_real((size_t)L);
    fftw_complex *out = fftw_alloc_complex((size_t)nf);
    for (long i = 0; i < n * ch; i++)
        x[i] = (double)rand() / RAND_MAX - 0.5;
    fftw_plan p = fftw_plan_dft_r2c_1d((int)L, in, out, getenv("MEASURE") ? FFTW_MEASURE : FFTW_ESTIMATE);
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (long c = 0; c < ch; c++)
            for (long k = 0; k < nseg; k++)
                fftw_execute_dft_r2c(p, x + c * n + k * step, out);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    printf("seconds=%.6f segments=%ld\n", best, nseg * ch);
    fftw_destroy_plan(p);
    fftw_free(x);
    fftw_free(in);
    fftw_free(out);
    return 0;
}
