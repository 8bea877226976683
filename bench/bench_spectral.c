/*
 * bench_spectral.c -- time one spectral estimator on one of the issue's
 * benchmark cases, in a process of its own so its peak memory is its own.
 *
 *   bench_spectral CASE FUNC [--threads T] [--repeat N]
 *     CASE: ligo     4096 s at 4096 Hz, nperseg 16384, 50 % overlap, tukey 0.25
 *           ligo16k  4096 s at 16384 Hz, nperseg 65536
 *           multi    64 channels x 2^20 samples, nperseg 4096
 *     FUNC: welch | csd | coherence | spectrogram | fft  (fft: FFTW alone
 *           transforming the same segments, r2c, no window: the bound)
 *
 * Prints one line: case=... func=... seconds=<median> min=<min>
 * extra_mb=<peak RSS beyond the input> input_mb=...
 */
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xpsignal.h>

typedef struct {
    const char *name;
    int64_t channels, n, nperseg;
    double fs;
} bench_case;

static const bench_case cases[] = {
    {"ligo", 1, 4096LL * 4096, 16384, 4096},
    {"ligo16k", 1, 4096LL * 16384, 65536, 16384},
    {"multi", 64, 1LL << 20, 4096, 4096},
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void fill(double *v, int64_t n, uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    for (int64_t i = 0; i < n; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        v[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
    }
}

/* FFTW alone over the same segments: one r2c plan, measured. */
static double fft_only(const bench_case *c, const double *x)
{
    int64_t L = c->nperseg, step = L / 2, nseg = (c->n - L) / step + 1;
    double *in = fftw_alloc_real((size_t)L);
    fftw_complex *out = fftw_alloc_complex((size_t)(L / 2 + 1));
    fftw_plan p = fftw_plan_dft_r2c_1d((int)L, in, out, FFTW_MEASURE);
    double t0 = now();
    for (int64_t ch = 0; ch < c->channels; ch++)
        for (int64_t k = 0; k < nseg; k++)
            fftw_execute_dft_r2c(p, (double *)x + ch * c->n + k * step, out);
    double t = now() - t0;
    fftw_destroy_plan(p);
    fftw_free(in);
    fftw_free(out);
    return t;
}

static int run(const char *func, const xp_array *x, const xp_array *y,
               const xps_spectral_options *o)
{
    xp_array *f = NULL, *P = NULL, *t = NULL;
    int rc;
    if (strcmp(func, "welch") == 0)
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
    if (argc < 3) {
        fprintf(stderr, "usage: bench_spectral CASE FUNC [--threads T] [--repeat N]\n");
        return 2;
    }
    const bench_case *c = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0)
            c = &cases[i];
    const char *func = argv[2];
    int threads = 1, repeat = 3;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--repeat") == 0)
            repeat = atoi(argv[i + 1]);
    }
    if (!c || repeat < 1) {
        fprintf(stderr, "bench_spectral: unknown case '%s'\n", argv[1]);
        return 2;
    }
    int two = strcmp(func, "csd") == 0 || strcmp(func, "coherence") == 0;
    int64_t total = c->channels * c->n;
    double *hx = malloc((size_t)total * sizeof *hx), *hy = two ? malloc((size_t)total * sizeof *hy) : NULL;
    if (!hx || (two && !hy))
        return 1;
    fill(hx, total, 1);
    if (hy)
        fill(hy, total, 2);
    double input_mb = (two ? 2.0 : 1.0) * total * 8 / 1048576.0;
    double *times = malloc((size_t)repeat * sizeof *times);
    double base = rss_mb();    /* the input is in: what comes after is ours */
    if (strcmp(func, "fft") == 0) {
        fft_only(c, hx);            /* warm-up, plans */
        for (int r = 0; r < repeat; r++)
            times[r] = fft_only(c, hx);
    } else {
        /* wrap the host buffers: no copy, as a caller's arrays would be */
        int64_t shape[2] = {c->channels, c->n};
        DLTensor tx = {hx, {kDLCPU, 0}, 2, xp_dtype_to_dlpack(XP_FLOAT64), shape, NULL, 0};
        DLTensor ty = tx;
        ty.data = hy;
        xp_array *x = NULL, *y = NULL;
        if (xp_array_wrap(&tx, &x) || (two && xp_array_wrap(&ty, &y))) {
            fprintf(stderr, "bench_spectral: %s\n", xp_errmsg());
            return 1;
        }
        xp_provider_set_threads(xp_provider_host(), threads);
        xps_spectral_options o;
        if (strcmp(func, "spectrogram") == 0)
            xps_spectrogram_options_init(&o);
        else
            xps_welch_options_init(&o);
        o.fs = c->fs;
        o.nperseg = c->nperseg;
        o.noverlap = c->nperseg / 2;
        xps_window_spec_parse("tukey,0.25", &o.window);
        if (run(func, x, y, &o)) {  /* warm-up: plans, pages */
            fprintf(stderr, "bench_spectral: %s\n", xp_errmsg());
            return 1;
        }
        for (int r = 0; r < repeat; r++) {
            double t0 = now();
            run(func, x, y, &o);
            times[r] = now() - t0;
        }
        xp_array_free(x);
        xp_array_free(y);
    }
    qsort(times, (size_t)repeat, sizeof *times, cmp);
    double extra = rss_mb() - base;
    printf("case=%s func=%s threads=%d seconds=%.4f min=%.4f extra_mb=%.1f input_mb=%.1f\n",
           c->name, func, threads, times[repeat / 2], times[0], extra > 0 ? extra : 0,
           input_mb);
    free(times);
    free(hx);
    free(hy);
    return 0;
}
