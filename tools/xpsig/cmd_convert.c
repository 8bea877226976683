/* cmd_convert.c -- xpsig convert IN -o OUT: copy an array between formats
 * (through the chosen provider), optionally casting it. */
#include <string.h>
#include "xpsig.h"

static int parse_dtype(const char *s, xp_dtype *out)
{
    static const xp_dtype all[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64, XP_COMPLEX128};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, xp_dtype_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return -1;
}

int xpsig_cmd_convert(xpsig_ctx *ctx, int argc, char **argv)
{
    const char *dtype_name = NULL;
    const xpsig_opt opts[] = {
        {"dtype", XPSIG_OPT_STRING, &dtype_name, "DTYPE",
         "cast to float32, float64, complex64 or complex128"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const xpsig_spec spec = {"IN", 1, 1, opts};
    xp_array *a = NULL, *b = NULL;
    xp_dtype dtype = XP_FLOAT64;

    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;
    if (dtype_name && parse_dtype(dtype_name, &dtype))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE,
                          "--dtype: '%s' is not float32, float64, complex64 or complex128",
                          dtype_name);
    if ((rc = xpsig_load(ctx, ctx->pos[0], &a)))
        return rc;
    if (dtype_name && dtype != xp_array_dtype(a)) {
        if (xp_dtype_is_complex(xp_array_dtype(a)) && !xp_dtype_is_complex(dtype)) {
            xp_array_free(a);
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE,
                              "--dtype: cannot cast complex data to %s", dtype_name);
        }
        if (xp_array_astype(a, dtype, &b)) {
            xp_array_free(a);
            return xpsig_fail_lib(ctx, "astype");
        }
        xp_array_free(a);
        a = b;
    }
    rc = xpsig_save(ctx, ctx->output, a);
    xp_array_free(a);
    return rc;
}
