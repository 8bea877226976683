/* bench_common.c -- see bench_common.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "bench_common.h"

int bench_args_parse(const char *prog, int argc, char **argv, bench_args *a)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CASE FUNC [--threads T] [--repeat N]\n", prog);
        return 2;
    }
    a->case_name = argv[1];
    a->func = argv[2];
    a->threads = 1;
    a->repeat = 3;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0)
            a->threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--repeat") == 0)
            a->repeat = atoi(argv[i + 1]);
    }
    return 0;
}

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

double bench_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

void bench_fill(double *v, int64_t n, uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    for (int64_t i = 0; i < n; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        v[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_report(const bench_args *a, double *times, double base_mb, double input_mb)
{
    double extra = bench_rss_mb() - base_mb;
    qsort(times, (size_t)a->repeat, sizeof *times, cmp);
    printf("case=%s func=%s threads=%d seconds=%.4f min=%.4f extra_mb=%.1f input_mb=%.1f\n",
           a->case_name, a->func, a->threads, times[a->repeat / 2], times[0],
           extra > 0 ? extra : 0, input_mb);
}

int bench_filter_design(const char *prog, bench_filter *f)
{
    const double band[2] = {35, 350};
    if (xps_butter(4, band, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_BA, 4096, f->b, &f->nb, f->a,
                   &f->na, NULL) ||
        xps_butter(4, band, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_SOS, 4096, f->sos, &f->nsec,
                   NULL, NULL, NULL)) {
        fprintf(stderr, "%s: %s\n", prog, xp_errmsg());
        return 1;
    }
    return 0;
}
