/*
 * bench_spectral.c -- time one spectral estimator on one of the issue's
 * benchmark cases, in a process of its own so its peak memory is its own.
 *
 *   bench_spectral CASE FUNC [--threads T] [--repeat N]
 *     CASE: ligo     4096 s at 4096 Hz, nperseg 16384, 50 % overlap, tukey 0.25
 *           ligo16k  4096 s at 16384 Hz, nperseg 65536
 *           multi    64 channels x 2^20 samples, nperseg 4096
 *     FUNC: welch | csd | coherence | spectrogram | stft | istft | fft | result
 *           (istft inverts the stft of the input, made before the clock
 *           starts)
 *           (fft: FFTW alone transforming the same segments, r2c, no
 *           window: the bound; result: writing a fresh spectrogram-sized
 *           array once, which spectrogram's bound adds)
 *
 * Prints one line: case=... func=... seconds=<median> min=<min>
 * extra_mb=<peak RSS beyond the input> input_mb=...
 */
#include <fftw3.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xpsignal.h>
#include "bench_common.h"

static const bench_case cases[] = {
    {"ligo", 1, 4096LL * 4096, 16384, 4096},
    {"ligo16k", 1, 4096LL * 16384, 65536, 16384},
    {"multi", 64, 1LL << 20, 4096, 4096},
};

/* FFTW alone over the same segments: one r2c plan, measured, the
 * segments split over T threads as ours are (an output buffer each). */
static double fft_only(const bench_case *c, const double *x, int T)
{
    int64_t L = c->nperseg, step = L / 2, nseg = (c->n - L) / step + 1;
    int64_t items = c->channels * nseg;
    double *in = fftw_alloc_real((size_t)L);
    fftw_complex *out = fftw_alloc_complex((size_t)(L / 2 + 1) * (size_t)T);
    fftw_plan p = fftw_plan_dft_r2c_1d((int)L, in, out, FFTW_MEASURE);
    double t0 = bench_now();
#pragma omp parallel num_threads(T)
    {
#ifdef _OPENMP
        fftw_complex *o = out + (size_t)(L / 2 + 1) * (size_t)omp_get_thread_num();
#else
        fftw_complex *o = out;
#endif
#pragma omp for schedule(static)
        for (int64_t it = 0; it < items; it++)
            fftw_execute_dft_r2c(p, (double *)x + it / nseg * c->n + it % nseg * step, o);
    }
    double t = bench_now() - t0;
    fftw_destroy_plan(p);
    fftw_free(in);
    fftw_free(out);
    return t;
}

/* Writing a fresh result of the spectrogram's size once, as any function
 * returning a new array must: allocate (huge pages advised, as the host
 * provider does), touch every byte (T threads, a share each), free.  Part
 * of spectrogram's bound. */
static double result_only(const bench_case *c, int T)
{
    int64_t L = c->nperseg, step = L / 2, nseg = (c->n - L) / step + 1;
    size_t n = (size_t)(c->channels * (L / 2 + 1) * nseg) * sizeof(double);
    double t0 = bench_now();
    char *p = NULL;
    if (posix_memalign((void **)&p, (size_t)2 << 20, n))
        return -1;
#ifdef MADV_HUGEPAGE
    madvise(p, n - n % ((size_t)2 << 20), MADV_HUGEPAGE);
#endif
#pragma omp parallel for num_threads(T) schedule(static)
    for (int t = 0; t < T; t++)
        memset(p + n * (size_t)t / (size_t)T, 1, n * (size_t)(t + 1) / (size_t)T - n * (size_t)t / (size_t)T);
    double t = bench_now() - t0;
    free(p);
    return t;
}

/* istft's options matching the stft options o. */
static void istft_options(const xps_spectral_options *o, xps_istft_options *io)
{
    xps_istft_options_init(io);
    io->fs = o->fs;
    io->window = o->window;
    io->nperseg = o->nperseg;
    io->noverlap = o->noverlap;
}

static int run(const char *func, const xp_array *x, const xp_array *y,
               const xps_spectral_options *o)
{
    xp_array *f = NULL, *P = NULL, *t = NULL;
    int rc;
    if (strcmp(func, "istft") == 0) {       /* y: the stft of x */
        xps_istft_options io;
        istft_options(o, &io);
        rc = xps_istft(y, &io, &t, &P);
    } else if (strcmp(func, "stft") == 0)
        rc = xps_stft(x, o, &f, &t, &P);
    else if (strcmp(func, "welch") == 0)
        rc = xps_welch(x, o, &f, &P);
    else if (strcmp(func, "csd") == 0)
        rc = xps_csd(x, y, o, &f, &P);
    else if (strcmp(func, "coherence") == 0)
        rc = xps_coherence(x, y, o, &f, &P);
    else
        rc = xps_spectrogram(x, o, &f, &t, &P);
    xp_array_free(f);
    xp_array_free(P);
    xp_array_free(t);
    return rc;
}

int main(int argc, char **argv)
{
    bench_args args;
    if (bench_args_parse("bench_spectral", argc, argv, &args))
        return 2;
    const bench_case *c = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(args.case_name, cases[i].name) == 0)
            c = &cases[i];
    const char *func = args.func;
    int threads = args.threads, repeat = args.repeat;
    if (!c || repeat < 1 || threads < 1) {
        fprintf(stderr, "bench_spectral: unknown case '%s' (or repeat, threads < 1)\n",
                argv[1]);
        return 2;
    }
    int two = strcmp(func, "csd") == 0 || strcmp(func, "coherence") == 0;
    int64_t total = c->channels * c->n;
    double *hx = malloc((size_t)total * sizeof *hx), *hy = two ? malloc((size_t)total * sizeof *hy) : NULL;
    if (!hx || (two && !hy))
        return 1;
    bench_fill(hx, total, 1);
    if (hy)
        bench_fill(hy, total, 2);
    double input_mb = (two ? 2.0 : 1.0) * total * 8 / 1048576.0;
    double *times = malloc((size_t)repeat * sizeof *times);
    double base = bench_rss_mb(); /* the input is in: what comes after is ours */
    if (strcmp(func, "fft") == 0) {
        fft_only(c, hx, threads);   /* warm-up, plans */
        for (int r = 0; r < repeat; r++)
            times[r] = fft_only(c, hx, threads);
    } else if (strcmp(func, "result") == 0) {
        for (int r = 0; r < repeat; r++)
            if ((times[r] = result_only(c, threads)) < 0)
                return 1;
    } else {
        /* wrap the host buffers: no copy, as a caller's arrays would be */
        int64_t shape[2] = {c->channels, c->n};
        DLTensor tx = {hx, {kDLCPU, 0}, 2, {0, 0, 0}, shape, NULL, 0};
        xp_dtype_to_dlpack(XP_FLOAT64, &tx.dtype);
        DLTensor ty = tx;
        ty.data = hy;
        xp_array *x = NULL, *y = NULL;
        if (xp_array_wrap(&tx, &x) || (two && xp_array_wrap(&ty, &y))) {
            fprintf(stderr, "bench_spectral: %s\n", xp_errmsg());
            return 1;
        }
        xp_provider_set_threads(xp_provider_host(), threads);
        xps_spectral_options o;
        int stft = strcmp(func, "stft") == 0 || strcmp(func, "istft") == 0;
        if (strcmp(func, "spectrogram") == 0)
            xps_spectrogram_options_init(&o);
        else if (stft)
            xps_stft_options_init(&o);
        else
            xps_welch_options_init(&o);
        o.fs = c->fs;
        o.nperseg = c->nperseg;
        o.noverlap = c->nperseg / 2;
        xps_window_spec_parse("tukey,0.25", &o.window);
        if (strcmp(func, "istft") == 0) {   /* its input, counted as bench_scipy does */
            if (xps_stft(x, &o, NULL, NULL, &y)) {
                fprintf(stderr, "bench_spectral: %s\n", xp_errmsg());
                return 1;
            }
            base = bench_rss_mb();
        }
        if (run(func, x, y, &o)) {  /* warm-up: plans, pages */
            fprintf(stderr, "bench_spectral: %s\n", xp_errmsg());
            return 1;
        }
        for (int r = 0; r < repeat; r++) {
            double t0 = bench_now();
            run(func, x, y, &o);
            times[r] = bench_now() - t0;
        }
        xp_array_free(x);
        xp_array_free(y);
    }
    bench_report(&args, times, base, input_mb);
    free(times);
    free(hx);
    free(hy);
    return 0;
}
