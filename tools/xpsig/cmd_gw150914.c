/* cmd_gw150914.c -- xpsig gw150914: the GW150914 demo of examples/gw150914.
 *   xpsig gw150914 [--data DIR] [--out DIR] [--provider NAME] [--synthetic]
 *                  [--no-plots]
 * The pipeline itself is examples/gw150914 (gw150914_run); this only parses
 * the options. */
#include <stdlib.h>
#include "xpsig.h"
#include "gw150914.h"

int xpsig_cmd_gw150914(xpsig_ctx *ctx, int argc, char **argv)
{
    const char *data = NULL, *out = NULL;
    int synthetic = 0, no_plots = 0;
    const xpsig_opt opts[] = {
        {"data", XPSIG_OPT_STRING, &data, "DIR",
         "the GWOSC files (default: $XPS_LIGO_DATA, then data/ligo)"},
        {"out", XPSIG_OPT_STRING, &out, "DIR", "output folder (default out/gw150914)"},
        {"synthetic", XPSIG_OPT_FLAG, &synthetic, NULL,
         "use the seeded synthetic stream even if data are found"},
        {"no-plots", XPSIG_OPT_FLAG, &no_plots, NULL, "do not run gnuplot"},
        {NULL, 0, NULL, NULL, NULL}};
    const xpsig_spec spec = {"", 0, 0, opts};
    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;
    gw150914_options o;
    gw150914_options_init(&o);
    o.data_dir = data;
    o.out_dir = out ? out : ctx->output;     /* -o DIR works too */
    o.provider = xp_provider_name(ctx->provider);
    o.synthetic = synthetic;
    o.plots = !no_plots;
    if (gw150914_run(&o) != XP_OK)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s", xp_errmsg());
    return XPSIG_EXIT_OK;
}
