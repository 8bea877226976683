/* cmd_iirdesign.c -- xpsig iirdesign --wp --ws --gpass --gstop: the digital
 * filter of lowest order that meets a passband and a stopband
 * specification (scipy.signal.iirdesign), as a ba or sos coefficient file. */
#include <stdlib.h>
#include "cmd_filter.h"

typedef struct {
    const char *wp, *ws, *gpass, *gstop, *ftype, *fs, *output;
    double wpv[2], wsv[2], gp, gs, fsv;
    int64_t nw;
    xps_ftype ft;
    xps_output out;
    xp_array *res;
} job_t;

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    job_t *j = job;
    const xpsig_opt opts[] = {
        {"wp", XPSIG_OPT_STRING, &j->wp, "A[,B]", "passband edge(s) (required)"},
        {"ws", XPSIG_OPT_STRING, &j->ws, "C[,D]",
         "stopband edge(s), as many as --wp (required)"},
        {"gpass", XPSIG_OPT_STRING, &j->gpass, "DB",
         "largest loss in the passband in dB (required)"},
        {"gstop", XPSIG_OPT_STRING, &j->gstop, "DB",
         "smallest attenuation in the stopband in dB (required)"},
        {"ftype", XPSIG_OPT_STRING, &j->ftype, "TYPE",
         "butter, cheby1, cheby2 or ellip (default ellip)"},
        {"fs", XPSIG_OPT_STRING, &j->fs, "F",
         "sampling frequency: edges in Hz (default: in (0, 1), 1 the Nyquist frequency)"},
        {"output", XPSIG_OPT_STRING, &j->output, "FORM",
         "ba (a 2-row array b, a) or sos (n x 6) (default ba)"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const xpsig_spec spec = {"", 0, 0, opts};
    int64_t nws = 0;
    int rc;
    if ((rc = xpsig_parse(ctx, argc, argv, &spec)) != XPSIG_RUN)
        return rc;
    static const char *const required[] = {"--wp A[,B]", "--ws C[,D]", "--gpass DB",
                                           "--gstop DB"};
    const char *given[] = {j->wp, j->ws, j->gpass, j->gstop};
    for (int i = 0; i < 4; i++)
        if (!given[i])
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "missing %s (see xpsig iirdesign "
                              "--help)", required[i]);
    if ((rc = xpsig_parse_pair(ctx, "--wp", j->wp, j->wpv, &j->nw)) ||
        (rc = xpsig_parse_pair(ctx, "--ws", j->ws, j->wsv, &nws)))
        return rc;
    if (nws != j->nw)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--ws: '%s' must have as many values as "
                          "--wp '%s' (%lld)", j->ws, j->wp, (long long)j->nw);
    if ((rc = xpsig_parse_positive(ctx, "--gpass", j->gpass, "number of dB", &j->gp)) ||
        (rc = xpsig_parse_positive(ctx, "--gstop", j->gstop, "number of dB", &j->gs)))
        return rc;
    j->ft = XPS_FTYPE_ELLIP;
    if (j->ftype && (xps_ftype_parse(j->ftype, &j->ft) || j->ft > XPS_FTYPE_ELLIP))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--ftype: '%s' must be butter, cheby1, "
                          "cheby2 or ellip%s", j->ftype,
                          j->ft > XPS_FTYPE_ELLIP ? " (bessel has no order selection)" : "");
    if ((rc = xpsig_parse_form(ctx, j->output, &j->out)))
        return rc;
    j->fsv = 0;
    if (j->fs && (rc = xpsig_parse_positive(ctx, "--fs", j->fs, NULL, &j->fsv)))
        return rc;
    return XPSIG_RUN;
}

static int load(xpsig_ctx *ctx, void *job)
{
    return 0;
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    xp_array_free(j->res);
    j->res = NULL;
    /* a first try with room for order 32; the order it reports sizes the second */
    int64_t cap = XPS_IIR_BUFLEN(32), order = 0, n1 = 0, n2 = 0;
    double *c1 = NULL, *c2 = NULL;
    int rc;
    for (int attempt = 0; attempt < 2; attempt++) {
        free(c1);
        free(c2);
        c1 = malloc((size_t)cap * sizeof *c1);
        c2 = malloc((size_t)cap * sizeof *c2);
        if (!c1 || !c2) {
            rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
            goto done;
        }
        rc = xps_iirdesign(j->wpv, j->wsv, j->nw, j->gp, j->gs, 0, j->ft, j->out, j->fsv,
                           cap, c1, &n1, c2, &n2, NULL, &order);
        if (rc != XP_ESHAPE || order < 1)
            break;
        if (order > 100000) {   /* the library's bound for any design */
            rc = xpsig_fail(ctx, XPSIG_EXIT_USAGE, "the specifications need order %lld, "
                            "more than 100000", (long long)order);
            goto done;
        }
        cap = XPS_IIR_BUFLEN(order);
    }
    if (rc)     /* only the specifications: a bad value is a usage error */
        rc = xpsig_fail_call(ctx, rc == XP_EINVAL ? XPSIG_EXIT_USAGE : XPSIG_EXIT_DATA,
                             "iirdesign");
    else
        rc = xpsig_coef_design(ctx, j->out, c1, n1, c2, n2, &j->res);
done:
    free(c1);
    free(c2);
    return rc;
}

static int save(xpsig_ctx *ctx, void *job)
{
    return xpsig_save(ctx, ctx->output, ((job_t *)job)->res);
}

static void clear(void *job)
{
    job_t *j = job;
    xp_array_free(j->res);
    j->res = NULL;
}

const xpsig_stages xpsig_iirdesign_stages = {sizeof(job_t), parse, load, compute, save, clear};
