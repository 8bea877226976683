/* cmd_info.c -- xpsig info FILE...: dtype and shape of array files. */
#include <inttypes.h>
#include "xpsig.h"

int xpsig_cmd_info(xpsig_ctx *ctx, int argc, char **argv)
{
    static const xpsig_spec spec = {"FILE...", 1, -1, NULL};
    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;
    if (ctx->output)        /* a common option, but info writes no array */
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "-o: info prints to stdout and writes no "
                          "file ('%s')", ctx->output);

    for (int k = 0; k < ctx->npos; k++) {
        xp_array *a;
        if ((rc = xpsig_load(ctx, ctx->pos[k], &a)))
            return rc;
        int nd = xp_array_ndim(a);
        printf("%s: %s (", ctx->pos[k], xp_dtype_name(xp_array_dtype(a)));
        for (int i = 0; i < nd; i++)
            printf(i ? ", %" PRId64 : "%" PRId64, xp_array_dim(a, i));
        printf("%s)\n", nd == 1 ? "," : "");
        xp_array_free(a);
    }
    return XPSIG_EXIT_OK;
}
