/* cmd_window.c -- xpsig window SPEC N: the values of a window
 * (scipy.signal.get_window; --sym for the symmetric form). */
#include <stdlib.h>
#include "cmd_spectral.h"

typedef struct {
    int sym;
    xps_window_spec spec;
    int64_t M;
    xp_array *w;
} job_t;

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    job_t *j = job;
    const xpsig_opt opts[] = {
        {"sym", XPSIG_OPT_FLAG, &j->sym, NULL,
         "symmetric window, for filter design (default periodic, as get_window)"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const xpsig_spec spec = {"SPEC N", 2, 2, opts};
    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;
    if (xps_window_spec_parse(ctx->pos[0], &j->spec))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "SPEC '%s': %s", ctx->pos[0],
                          xpsig_errmsg_body());
    char *end;
    long long m = strtoll(ctx->pos[1], &end, 10);
    if (end == ctx->pos[1] || *end || m < 1)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "N '%s' must be a positive integer",
                          ctx->pos[1]);
    j->M = m;
    return XPSIG_RUN;
}

static int load(xpsig_ctx *ctx, void *job)
{
    return 0;
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    xp_array_free(j->w);
    j->w = NULL;
    int rc = xps_get_window(&j->spec, j->M, !j->sym, ctx->provider, XP_FLOAT64, &j->w);
    /* nothing here but the arguments: a bad value is a usage error */
    if (rc)
        return xpsig_fail(ctx, rc == XP_EINVAL ? XPSIG_EXIT_USAGE : XPSIG_EXIT_DATA,
                          "SPEC '%s', N %lld: %s", ctx->pos[0], (long long)j->M,
                          xpsig_errmsg_body());
    return 0;
}

static int save(xpsig_ctx *ctx, void *job)
{
    return xpsig_save(ctx, ctx->output, ((job_t *)job)->w);
}

static void clear(void *job)
{
    job_t *j = job;
    xp_array_free(j->w);
    j->w = NULL;
}

const xpsig_stages xpsig_window_stages = {sizeof(job_t), parse, load, compute, save, clear};
