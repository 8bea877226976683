/* stages.c -- run a staged subcommand: parse, load, compute, save. */
#include <stdlib.h>
#include "xpsig.h"

int xpsig_run_staged(xpsig_ctx *ctx, int argc, char **argv)
{
    const xpsig_stages *st = ctx->cmd->stages;
    void *job = calloc(1, st->job_size);
    if (!job)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    int rc = st->parse(ctx, argc, argv, job);   /* 0 after --help */
    if (rc == XPSIG_RUN && !(rc = st->load(ctx, job)) && !(rc = st->compute(ctx, job)))
        rc = st->save(ctx, job);
    st->clear(job);
    free(job);
    return rc;
}
