/* cmd_detrend.c -- xpsig detrend X: remove the mean or the least-squares
 * line, piecewise between breakpoints (scipy.signal.detrend). */
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

static int load(xpsig_ctx *ctx, void *job)
{
    return xpsig_load(ctx, ctx->pos[0], &((job_t *)job)->x);
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    xp_array_free(j->out);
    j->out = NULL;
    if (xps_detrend(j->x, j->axis, j->dtype, j->bps, j->nbp, &j->out))
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, "detrend");
    return 0;
}

static int save(xpsig_ctx *ctx, void *job)
{
    return xpsig_save(ctx, ctx->output, ((job_t *)job)->out);
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
