/*
 * bench_filter.c -- time one filtering function on one benchmark case, in
 * a process of its own so that its peak memory is its own.
 *
 *   bench_filter CASE FUNC [--threads T] [--repeat N]
 *     CASE: ligo   4096 s at 4096 Hz: 16.7 M float64 samples, one channel
 *           multi  64 channels x 2^20 samples, filtered along the last axis
 *     FUNC: filtfilt | sosfiltfilt | lfilter | sosfilt
 *   The filter is butter(4, [35, 350], 'band', fs=4096): b, a for filtfilt
 *   and lfilter, second-order sections for the others.
 *
 * Prints one line: case=... func=... threads=... seconds=<median> min=<min>
 * extra_mb=<peak RSS beyond the input> input_mb=...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xpsignal.h>

typedef struct {
    const char *name;
    int64_t channels, n;
} bench_case;

static const bench_case cases[] = {
    {"ligo", 1, 4096LL * 4096},
    {"multi", 64, 1LL << 20},
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

typedef struct {
    double b[XPS_IIR_BUFLEN(4)], a[XPS_IIR_BUFLEN(4)], sos[XPS_IIR_BUFLEN(4)];
    int64_t nb, na, nsec;
} filter;

static int run(const char *func, const filter *f, const xp_array *x)
{
    xps_filtfilt_options o;
    xp_array *y = NULL;
    int rc;
    xps_filtfilt_options_init(&o);
    if (strcmp(func, "filtfilt") == 0)
        rc = xps_filtfilt(f->b, f->nb, f->a, f->na, x, &o, &y);
    else if (strcmp(func, "sosfiltfilt") == 0)
        rc = xps_sosfiltfilt(f->sos, f->nsec, x, &o, &y);
    else if (strcmp(func, "lfilter") == 0)
        rc = xps_lfilter(f->b, f->nb, f->a, f->na, x, -1, NULL, &y, NULL);
    else
        rc = xps_sosfilt(f->sos, f->nsec, x, -1, NULL, &y, NULL);
    xp_array_free(y);
    return rc;
}

int main(int argc, char **argv)
{
    static const char *const funcs[] = {"filtfilt", "sosfiltfilt", "lfilter", "sosfilt"};
    if (argc < 3) {
        fprintf(stderr, "usage: bench_filter CASE FUNC [--threads T] [--repeat N]\n");
        return 2;
    }
    const bench_case *c = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0)
            c = &cases[i];
    const char *func = NULL;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (strcmp(argv[2], funcs[i]) == 0)
            func = funcs[i];
    int threads = 1, repeat = 3;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--repeat") == 0)
            repeat = atoi(argv[i + 1]);
    }
    if (!c || !func || repeat < 1) {
        fprintf(stderr, "bench_filter: unknown case '%s' or function '%s'\n", argv[1],
                argv[2]);
        return 2;
    }

    filter f;
    const double band[2] = {35, 350};
    if (xps_butter(4, band, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_BA, 4096, f.b, &f.nb, f.a,
                   &f.na, NULL) ||
        xps_butter(4, band, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_SOS, 4096, f.sos, &f.nsec,
                   NULL, NULL, NULL)) {
        fprintf(stderr, "bench_filter: %s\n", xp_errmsg());
        return 1;
    }

    int64_t total = c->channels * c->n;
    double *hx = malloc((size_t)total * sizeof *hx), *times = malloc((size_t)repeat * sizeof *times);
    if (!hx || !times)
        return 1;
    fill(hx, total, 1);
    double input_mb = total * 8 / 1048576.0;
    /* wrap the host buffer: no copy, as a caller's array would be */
    int64_t shape[2] = {c->channels, c->n};
    DLTensor tx = {hx, {kDLCPU, 0}, 2, xp_dtype_to_dlpack(XP_FLOAT64), shape, NULL, 0};
    xp_array *x = NULL;
    if (xp_array_wrap(&tx, &x) || xp_provider_set_threads(xp_provider_host(), threads)) {
        fprintf(stderr, "bench_filter: %s\n", xp_errmsg());
        return 1;
    }
    double base = rss_mb();     /* the input is in: what comes after is ours */
    if (run(func, &f, x)) {     /* warm-up: pages, threads */
        fprintf(stderr, "bench_filter: %s\n", xp_errmsg());
        return 1;
    }
    for (int r = 0; r < repeat; r++) {
        double t0 = now();
        run(func, &f, x);
        times[r] = now() - t0;
    }
    double extra = rss_mb() - base;
    qsort(times, (size_t)repeat, sizeof *times, cmp);
    printf("case=%s func=%s threads=%d seconds=%.4f min=%.4f extra_mb=%.1f input_mb=%.1f\n",
           c->name, func, threads, times[repeat / 2], times[0], extra > 0 ? extra : 0,
           input_mb);
    xp_array_free(x);
    free(times);
    free(hx);
    return 0;
}
