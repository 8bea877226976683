/* cmd_bench.c -- xpsig bench COMMAND ARGS... [--repeat N]: time the
 * computation of a staged subcommand.  The inputs are loaded once, the
 * computation runs once to warm up (plans, caches, threads) and N times
 * timed; one line "median_s=... min_s=..." goes to stdout and no output
 * file is written. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd_spectral.h"

static void help(void)
{
    printf("usage: xpsig bench COMMAND [ARGS...] [--repeat N] [--threads T]\n"
           "time COMMAND's computation: its inputs are loaded once, it runs once to warm up\n"
           "and N times more; prints one line 'median_s=S min_s=S max_s=S repeat=N\n"
           "provider=NAME threads=T' and writes no file (-o, -f, -t are ignored)\n\n"
           "options:\n"
           "  %-22s %s\n  %-22s %s\n\ncommands:", "--repeat N", "timed runs (default 5)",
           "-h, --help", "show this help");
    for (size_t i = 0; i < xpsig_ncommands; i++)
        if (xpsig_commands[i].stages)
            printf(" %s", xpsig_commands[i].name);
    printf("\n\nCOMMAND, ARGS and the common options as for xpsig COMMAND.\n");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Parse, load, warm up, time: the exit status. */
static int bench(xpsig_ctx *ctx, const xpsig_stages *st, int argc, char **argv,
                 int64_t repeat, void *job)
{
    int rc = st->parse(ctx, argc, argv, job);
    if (rc != XPSIG_RUN)
        return rc;
    ctx->output = NULL;         /* nothing is written (nor streamed into a file) */
    if ((rc = st->load(ctx, job)) || (rc = st->compute(ctx, job)))
        return rc;
    double *t = malloc((size_t)repeat * sizeof *t);
    if (!t)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    for (int64_t k = 0; k < repeat; k++) {
        double t0 = now();
        if ((rc = st->compute(ctx, job))) {
            free(t);
            return rc;
        }
        t[k] = now() - t0;
    }
    qsort(t, (size_t)repeat, sizeof *t, cmp_double);
    double median = repeat % 2 ? t[repeat / 2] : 0.5 * (t[repeat / 2 - 1] + t[repeat / 2]);
    printf("median_s=%.6g min_s=%.6g max_s=%.6g repeat=%lld provider=%s threads=%d\n",
           median, t[0], t[repeat - 1], (long long)repeat, xp_provider_name(ctx->provider),
           ctx->threads);
    free(t);
    return fflush(stdout) ? xpsig_fail(ctx, XPSIG_EXIT_DATA, "write error on stdout") : 0;
}

int xpsig_cmd_bench(xpsig_ctx *ctx, int argc, char **argv)
{
    const char *repeat_text = NULL;
    int64_t repeat = 5;
    int n = 0, rc;

    /* take out --repeat N (anywhere before "--"); the rest is the command's */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    for (int i = 1, only_pos = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--repeat") == 0) {
            if (i + 1 >= argc) {
                free(rest);
                return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--repeat: missing value");
            }
            repeat_text = argv[++i];
        } else if (!only_pos && strncmp(a, "--repeat=", 9) == 0) {
            repeat_text = a + 9;
        } else {
            only_pos |= strcmp(a, "--") == 0;
            rest[n++] = argv[i];
        }
    }
    if (n > 0 && (strcmp(rest[0], "-h") == 0 || strcmp(rest[0], "--help") == 0)) {
        free(rest);
        help();
        return XPSIG_EXIT_OK;
    }
    rc = repeat_text ? xpsig_parse_count(ctx, "repeat", repeat_text, 1, &repeat) : 0;
    if (!rc && n == 0)
        rc = xpsig_fail(ctx, XPSIG_EXIT_USAGE, "missing COMMAND (see xpsig bench --help)");
    const xpsig_cmd *cmd = NULL;
    for (size_t i = 0; !rc && i < xpsig_ncommands && !cmd; i++)
        if (strcmp(xpsig_commands[i].name, rest[0]) == 0)
            cmd = &xpsig_commands[i];
    if (!rc && !cmd)
        rc = xpsig_fail(ctx, XPSIG_EXIT_USAGE, "%s: unknown subcommand (see xpsig bench "
                        "--help)", rest[0]);
    if (!rc && !cmd->stages)
        rc = xpsig_fail(ctx, XPSIG_EXIT_USAGE, "%s cannot be timed (see xpsig bench --help)",
                        rest[0]);
    if (rc) {
        free(rest);
        return rc;
    }

    /* run as "bench COMMAND": its messages and help say so */
    char name[64];
    snprintf(name, sizeof name, "bench %s", cmd->name);
    xpsig_cmd sub = *cmd;
    sub.name = name;
    ctx->cmd = &sub;
    rest[0] = name;
    void *job = calloc(1, cmd->stages->job_size);
    if (!job)
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    else
        rc = bench(ctx, cmd->stages, n, rest, repeat, job);
    if (job)
        cmd->stages->clear(job);
    free(job);
    free(rest);
    ctx->cmd = NULL;    /* sub dies here */
    return rc;
}
