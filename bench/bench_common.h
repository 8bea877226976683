/*
 * bench_common.h -- what the benchmark programs (bench_spectral,
 * bench_filter, bench_cuda) share: the command line, the cases, the clock,
 * peak memory, the input and the one-line report.
 */
#ifndef XP_BENCH_COMMON_H
#define XP_BENCH_COMMON_H

#include <stdint.h>
#include <xpsignal.h>

/* PROG CASE FUNC [--threads T] [--repeat N] */
typedef struct {
    const char *case_name, *func;
    int threads, repeat;
} bench_args;

/* Reads argv into *a (threads 1, repeat 3 unless given); 0, or 2 after
 * printing the usage line when CASE or FUNC is missing. */
int bench_args_parse(const char *prog, int argc, char **argv, bench_args *a);

/* A spectral case: channels x n samples at fs, segments of nperseg. */
typedef struct {
    const char *name;
    int64_t channels, n, nperseg;
    double fs;
} bench_case;

/* The filtering benchmarks' filter, butter(4, [35, 350], 'bandpass',
 * fs=4096), as b, a and as second-order sections. */
typedef struct {
    double b[XPS_IIR_BUFLEN(4)], a[XPS_IIR_BUFLEN(4)], sos[XPS_IIR_BUFLEN(4)];
    int64_t nb, na, nsec;
} bench_filter;

/* Designs f; 0, or 1 after printing the library's message. */
int bench_filter_design(const char *prog, bench_filter *f);

/* Seconds on a monotonic clock. */
double bench_now(void);
/* This process's peak resident memory so far, in MiB. */
double bench_rss_mb(void);
/* n values in [-0.5, 0.5) from xorshift64, the same for the same seed. */
void bench_fill(double *v, int64_t n, uint64_t seed);

/* Prints "case=... func=... threads=... seconds=<median> min=<min>
 * extra_mb=<peak RSS beyond base_mb> input_mb=..." (sorting times). */
void bench_report(const bench_args *a, double *times, double base_mb, double input_mb);

#endif
