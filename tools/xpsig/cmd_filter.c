/* cmd_filter.c -- xpsig lfilter, sosfilt, filtfilt, sosfiltfilt X: filter
 * an array along an axis with coefficients from a ba or sos file
 * (scipy.signal.lfilter, sosfilt, filtfilt, sosfiltfilt). */
#include <stdlib.h>
#include <string.h>
#include "cmd_filter.h"
#include "cmd_spectral.h"

typedef struct {
    const char *fn;     /* the library's name, prefix of its messages */
    int sos;            /* coefficients: --sos, else --ba */
    int twopass;        /* filtfilt options */
    int gust;           /* --method and --irlen (filtfilt only) */
} filter_kind;

typedef struct {
    const filter_kind *kind;
    const char *cfile, *padtype, *padlen, *method, *irlen;
    int axis;
    xps_filtfilt_options opt;
    xpsig_coef coef;
    xp_array *x, *y;
    int64_t stream_total;   /* > 0: X streamed into the .npy output, this long */
    xp_dtype stream_dtype;  /* ... of this dtype */
} job_t;

static int pick(const char *text, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(text, names[i]) == 0)
            return i;
    return -1;
}

/* The filtfilt options into j->opt, after SciPy's defaults. */
static int resolve(const xpsig_ctx *ctx, job_t *j)
{
    static const char *const padtypes[] = {"none", "odd", "even", "constant", NULL};
    static const char *const methods[] = {"pad", "gust", NULL};
    int k, rc;
    xps_filtfilt_options_init(&j->opt);
    j->opt.axis = j->axis;
    if (j->padtype) {
        if ((k = pick(j->padtype, padtypes)) < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--padtype: '%s' must be odd, even, "
                              "constant or none", j->padtype);
        j->opt.padtype = (xps_padtype)k;    /* XPS_PAD_NONE .. XPS_PAD_CONSTANT */
    }
    if (j->padlen) {
        if ((rc = xpsig_parse_count(ctx, "padlen", j->padlen, INT64_MIN, &j->opt.padlen)))
            return rc;
        if (j->opt.padlen < 0)      /* SciPy pads only when padlen > 0 */
            j->opt.padlen = 0;
    }
    if (j->method) {
        if ((k = pick(j->method, methods)) < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--method: '%s' must be pad or gust",
                              j->method);
        j->opt.method = k ? XPS_FILTFILT_GUST : XPS_FILTFILT_PAD;
    }
    if (j->irlen && (rc = xpsig_parse_count(ctx, "irlen", j->irlen, 1, &j->opt.irlen)))
        return rc;
    return 0;
}

static int parse(xpsig_ctx *ctx, int argc, char **argv, job_t *j, const filter_kind *kind)
{
    xpsig_opt opts[8];
    int n = 0, rc;
    j->kind = kind;
    j->axis = -1;
    if (kind->sos)
        opts[n++] = (xpsig_opt){"sos", XPSIG_OPT_STRING, &j->cfile, "FILE",
                                "the filter as n x 6 second-order sections (required)"};
    else
        opts[n++] = (xpsig_opt){"ba", XPSIG_OPT_STRING, &j->cfile, "FILE",
                                "the filter as a 2-row array b, a (required)"};
    if (kind->twopass) {
        opts[n++] = (xpsig_opt){"padtype", XPSIG_OPT_STRING, &j->padtype, "TYPE",
                                "odd, even, constant or none (default odd)"};
        opts[n++] = (xpsig_opt){"padlen", XPSIG_OPT_STRING, &j->padlen, "N",
                                "samples of padding at each end (default 3 times the "
                                "number of taps)"};
    }
    if (kind->gust) {
        opts[n++] = (xpsig_opt){"method", XPSIG_OPT_STRING, &j->method, "M",
                                "pad or gust (Gustafsson's initial states) (default pad)"};
        opts[n++] = (xpsig_opt){"irlen", XPSIG_OPT_STRING, &j->irlen, "N",
                                "gust: length of the impulse response that matters "
                                "(default: the whole signal)"};
    }
    opts[n++] = (xpsig_opt){"axis", XPSIG_OPT_INT, &j->axis, "A",
                            "axis of the samples (default -1)"};
    opts[n] = (xpsig_opt){NULL, 0, NULL, NULL, NULL};
    const xpsig_spec spec = {"X", 1, 1, opts};
    if ((rc = xpsig_parse(ctx, argc, argv, &spec)) != XPSIG_RUN)
        return rc;
    if (!j->cfile)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, kind->sos
                          ? "missing --sos FILE (the filter as n x 6 sections)"
                          : "missing --ba FILE (the filter as a 2-row array b, a)");
    if (kind->twopass && (rc = resolve(ctx, j)))
        return rc;
    return XPSIG_RUN;
}

/* Long series: lfilter and sosfilt of a 1-D .npy or HDF5 series longer
 * than a block, written to a .npy file, run block by block, each block
 * starting from the state the one before ended in (SciPy's zi and zf), so
 * memory is a block or two however long the file; filtfilt and
 * sosfiltfilt the same way forward, then backward over the file
 * (cmd_filtfilt_stream.c), except with Gustafsson's method, which solves
 * for its states over the whole series.  The result is the one-shot one
 * to rounding (host lfilter splits a long row the same way). */
static int stream_plan(const xpsig_ctx *ctx, job_t *j)
{
    char err[512];
    if ((j->kind->twopass && j->opt.method != XPS_FILTFILT_PAD)
        || (j->axis != -1 && j->axis != 0) || !xpsig_streams_into(ctx, ctx->output))
        return 0;
    int64_t total = xpsig_series_length(ctx->pos[0], &j->stream_dtype, err, sizeof err);
    if (total <= xpsig_stream_block())
        return 0;
    /* padding as long as the series: the one-shot route says what is wrong */
    if (j->kind->twopass && xpsig_filtfilt_padlen(&j->coef, &j->opt) >= total)
        return 0;
    j->stream_total = total;
    return 1;
}

/* The filter at rest: zeros of zi's shape ([K] for b, a of K + 1
 * coefficients, [nsec, 2] for sections) in the dtype the filter runs in. */
static int rest_state(const xpsig_ctx *ctx, const job_t *j, xp_array **zi)
{
    int64_t n = j->coef.n, shape[2] = {j->kind->sos ? n : n - 1, 2};
    xp_dtype dt = xp_dtype_is_complex(j->stream_dtype) ? XP_COMPLEX128 : XP_FLOAT64;
    if (xp_array_zeros(ctx->provider, dt, j->kind->sos ? 2 : 1, shape, zi))
        return xpsig_fail_lib(ctx, j->kind->fn);
    return 0;
}

static int stream_run(xpsig_ctx *ctx, job_t *j)
{
    char err[512] = "";
    const char *out = ctx->output;
    int64_t block = xpsig_stream_block(), total = j->stream_total;
    xp_array *x = NULL, *y = NULL, *zi = NULL;
    char *h = NULL;
    size_t nh = 0;
    FILE *f = NULL;
    int rc = rest_state(ctx, j, &zi);
    for (int64_t s = 0; rc == 0 && s < total; s += block) {
        int64_t m = total - s < block ? total - s : block;
        int io = xpsig_series_slice(ctx->provider, ctx->pos[0], s, m, &x, err, sizeof err);
        if (io)
            rc = xpsig_fail(ctx, xpsig_io_exit(io), "%s", err);
        else if (xpsig_filter_step(&j->coef, x, &zi, &y))
            rc = xpsig_fail_call(ctx, XPSIG_EXIT_DATA, j->kind->fn);
        else
            rc = xpsig_stream_append(ctx, &f, total, y, &h, &nh);
        xp_array_free(x);
        xp_array_free(y);
        x = y = NULL;
    }
    if (f && xpsig_npy_end(f, out, rc == 0, err, sizeof err) && rc == 0)
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s", err);
    xp_array_free(zi);
    free(h);
    return rc;
}

static int load(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    int rc = xpsig_coef_load(ctx, j->kind->sos ? "--sos" : "--ba", j->cfile, j->kind->sos,
                             &j->coef);
    if (rc || stream_plan(ctx, j))
        return rc;              /* a streamed X is read block by block in save */
    return xpsig_load(ctx, ctx->pos[0], &j->x);
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    const filter_kind *k = j->kind;
    const double *c = j->coef.c;
    int64_t n = j->coef.n;
    int rc;
    xp_array_free(j->y);
    j->y = NULL;
    if (j->stream_total)
        return 0;               /* read, filtered and written together in save */
    if (k->sos)
        rc = k->twopass ? xps_sosfiltfilt(c, n, j->x, &j->opt, &j->y)
                        : xps_sosfilt(c, n, j->x, j->axis, NULL, &j->y, NULL);
    else
        rc = k->twopass ? xps_filtfilt(c, n, c + n, n, j->x, &j->opt, &j->y)
                        : xps_lfilter(c, n, c + n, n, j->x, j->axis, NULL, &j->y, NULL);
    return rc ? xpsig_fail_call(ctx, XPSIG_EXIT_DATA, k->fn) : 0;
}

static int save(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    if (j->stream_total && j->kind->twopass)
        return xpsig_filtfilt_stream(ctx, j->kind->fn, &j->coef, &j->opt, j->stream_total,
                                     j->stream_dtype);
    return j->stream_total ? stream_run(ctx, j) : xpsig_save(ctx, ctx->output, j->y);
}

static void clear(void *job)
{
    job_t *j = job;
    xp_array_free(j->x);
    xp_array_free(j->y);
    j->x = j->y = NULL;
    xpsig_coef_clear(&j->coef);
}

#define FILTER(name, sos, twopass, gust)                                              \
    static const filter_kind name##_kind = {#name, sos, twopass, gust};               \
    static int name##_parse(xpsig_ctx *ctx, int argc, char **argv, void *job)         \
    {                                                                                 \
        return parse(ctx, argc, argv, job, &name##_kind);                             \
    }                                                                                 \
    const xpsig_stages xpsig_##name##_stages = {sizeof(job_t), name##_parse, load,    \
                                                compute, save, clear};

FILTER(lfilter, 0, 0, 0)
FILTER(sosfilt, 1, 0, 0)
FILTER(filtfilt, 0, 1, 1)
FILTER(sosfiltfilt, 1, 1, 0)
