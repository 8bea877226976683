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
#include <xpsignal.h>
#include "bench_common.h"

static const bench_case cases[] = {     /* no segments: nperseg, fs unused */
    {"ligo", 1, 4096LL * 4096, 0, 4096},
    {"multi", 64, 1LL << 20, 0, 4096},
};


static int run(const char *func, const bench_filter *f, const xp_array *x)
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
    bench_args args;
    if (bench_args_parse("bench_filter", argc, argv, &args))
        return 2;
    const bench_case *c = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(args.case_name, cases[i].name) == 0)
            c = &cases[i];
    const char *func = NULL;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (strcmp(args.func, funcs[i]) == 0)
            func = funcs[i];
    int threads = args.threads, repeat = args.repeat;
    if (!c || !func || repeat < 1) {
        fprintf(stderr, "bench_filter: unknown case '%s' or function '%s'\n", argv[1],
                argv[2]);
        return 2;
    }

    bench_filter f;
    if (bench_filter_design("bench_filter", &f))
        return 1;

    int64_t total = c->channels * c->n;
    double *hx = malloc((size_t)total * sizeof *hx), *times = malloc((size_t)repeat * sizeof *times);
    if (!hx || !times)
        return 1;
    bench_fill(hx, total, 1);
    double input_mb = total * 8 / 1048576.0;
    /* wrap the host buffer: no copy, as a caller's array would be */
    int64_t shape[2] = {c->channels, c->n};
    DLTensor tx = {hx, {kDLCPU, 0}, 2, {0, 0, 0}, shape, NULL, 0};
    xp_dtype_to_dlpack(XP_FLOAT64, &tx.dtype);
    xp_array *x = NULL;
    if (xp_array_wrap(&tx, &x) || xp_provider_set_threads(xp_provider_host(), threads)) {
        fprintf(stderr, "bench_filter: %s\n", xp_errmsg());
        return 1;
    }
    double base = bench_rss_mb(); /* the input is in: what comes after is ours */
    if (run(func, &f, x)) {     /* warm-up: pages, threads */
        fprintf(stderr, "bench_filter: %s\n", xp_errmsg());
        return 1;
    }
    for (int r = 0; r < repeat; r++) {
        double t0 = bench_now();
        run(func, &f, x);
        times[r] = bench_now() - t0;
    }
    bench_report(&args, times, base, input_mb);
    xp_array_free(x);
    free(times);
    free(hx);
    return 0;
}
