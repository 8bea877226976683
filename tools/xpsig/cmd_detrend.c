/* cmd_detrend.c -- xpsig detrend X: remove the mean or the least-squares
 * line, piecewise between breakpoints (scipy.signal.detrend).  A 1-D .npy
 * or HDF5 series longer than a block, written to a .npy file, is read
 * twice a block at a time (xps_detrend_acc): once to fit each piece, once
 * to subtract the fit and append the block to the output. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_spectral.h"

typedef struct {
    const char *type, *bp;
    int axis;
    xps_detrend_type dtype;
    int64_t *bps, nbp;
    xp_array *x, *out;
    int64_t stream_total;   /* > 0: X streamed into the .npy output, this long */
    xp_dtype stream_dtype;
} job_t;

/* "100,200" -> bps[]; every value an integer >= 0. */
static int parse_bp(const xpsig_ctx *ctx, job_t *j)
{
    size_t n = 1;
    for (const char *c = j->bp; *c; c++)
        n += *c == ',';
    j->bps = calloc(n, sizeof *j->bps);
    if (!j->bps)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    const char *s = j->bp;
    for (size_t i = 0; i < n; i++) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (end == s || (*end && *end != ',') || errno || v < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--bp: '%s' must be a comma-separated "
                              "list of non-negative integers", j->bp);
        j->bps[i] = v;
        s = end + 1;
    }
    j->nbp = (int64_t)n;
    return 0;
}

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    job_t *j = job;
    const xpsig_opt opts[] = {
        {"type", XPSIG_OPT_STRING, &j->type, "TYPE",
         "linear (the least-squares line) or constant (the mean) (default linear)"},
        {"bp", XPSIG_OPT_STRING, &j->bp, "LIST",
         "breakpoints for linear: indices along the axis, e.g. 100,200"},
        {"axis", XPSIG_OPT_INT, &j->axis, "A", "axis of the samples (default -1)"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const xpsig_spec spec = {"X", 1, 1, opts};
    j->axis = -1;
    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;
    j->dtype = XPS_DETREND_LINEAR;
    if (j->type) {
        if (!strcmp(j->type, "linear") || !strcmp(j->type, "l"))
            j->dtype = XPS_DETREND_LINEAR;
        else if (!strcmp(j->type, "constant") || !strcmp(j->type, "c"))
            j->dtype = XPS_DETREND_CONSTANT;
        else
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--type: '%s' must be linear or "
                              "constant", j->type);
    }
    /* constant ignores --bp, unread, as SciPy ignores bp */
    if (j->bp && j->dtype == XPS_DETREND_LINEAR && (rc = parse_bp(ctx, j)))
        return rc;
    return XPSIG_RUN;
}

/* Whether X is a series to stream (see the top). */
static int stream_plan(const xpsig_ctx *ctx, job_t *j)
{
    char err[512];
    if ((j->axis != -1 && j->axis != 0) || !xpsig_streams_into(ctx, ctx->output))
        return 0;
    int64_t total = xpsig_series_length(ctx->pos[0], &j->stream_dtype, err, sizeof err);
    if (total <= xpsig_stream_block())
        return 0;
    j->stream_total = total;
    return 1;
}

/* Both passes over X's blocks: fit (pass 0), then detrend and append. */
static int stream_run(xpsig_ctx *ctx, job_t *j)
{
    char err[512] = "";
    const char *out = ctx->output;
    int64_t block = xpsig_stream_block(), total = j->stream_total;
    xps_detrend_acc *acc = NULL;
    xp_array *x = NULL;
    char *h = NULL;
    size_t nh = 0;
    FILE *f = NULL;
    int rc = 0, io;
    if (xps_detrend_acc_begin(ctx->provider, j->stream_dtype, 1, &total, -1, total, j->dtype,
                              j->bps, j->nbp, &acc))
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, "detrend");
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (int64_t s = 0; rc == 0 && s < total; s += block) {
            int64_t m = total - s < block ? total - s : block;
            if ((io = xpsig_series_slice(ctx->provider, ctx->pos[0], s, m, &x, err,
                                         sizeof err))) {
                rc = xpsig_fail(ctx, xpsig_io_exit(io), "%s", err);
            } else if (pass == 0 ? xps_detrend_acc_feed(acc, x)
                                 : xps_detrend_acc_apply(acc, x, x)) {
                rc = xpsig_fail_call(ctx, XPSIG_EXIT_DATA, "detrend");
            } else if (pass == 1) {
                rc = xpsig_stream_append(ctx, &f, total, x, &h, &nh);
            }
            xp_array_free(x);
            x = NULL;
        }
    if (f && xpsig_npy_end(f, out, rc == 0, err, sizeof err) && rc == 0)
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s", err);
    xps_detrend_acc_free(acc);
    free(h);
    return rc;
}

static int load(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    if (stream_plan(ctx, j))
        return 0;               /* a streamed X is read block by block in save */
    return xpsig_load(ctx, ctx->pos[0], &j->x);
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    xp_array_free(j->out);
    j->out = NULL;
    if (j->stream_total)
        return 0;               /* read, detrended and written together in save */
    if (xps_detrend(j->x, j->axis, j->dtype, j->bps, j->nbp, &j->out))
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, "detrend");
    return 0;
}

static int save(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    return j->stream_total ? stream_run(ctx, j) : xpsig_save(ctx, ctx->output, j->out);
}

static void clear(void *job)
{
    job_t *j = job;
    xp_array_free(j->x);
    xp_array_free(j->out);
    free(j->bps);
    j->x = j->out = NULL;
    j->bps = NULL;
}

const xpsig_stages xpsig_detrend_stages = {sizeof(job_t), parse, load, compute, save, clear};
