/* cmd_notch.c -- xpsig iirnotch / iirpeak W0 Q: second-order notch and
 * peak filters (scipy.signal.iirnotch, iirpeak) as a ba coefficient file. */
#include "cmd_filter.h"

typedef struct {
    int peak;
    const char *fs;
    double w0, Q, fsv;
    xp_array *res;
} job_t;

static int parse(xpsig_ctx *ctx, int argc, char **argv, job_t *j, int peak)
{
    const xpsig_opt opts[] = {
        {"fs", XPSIG_OPT_STRING, &j->fs, "F",
         "sampling frequency in Hz, W0 in [0, F/2] (default 2: W0 in [0, 1])"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const xpsig_spec spec = {"W0 Q", 2, 2, opts};
    int rc;
    j->peak = peak;
    if ((rc = xpsig_parse(ctx, argc, argv, &spec)) != XPSIG_RUN)
        return rc;
    if ((rc = xpsig_parse_number(ctx, "W0", ctx->pos[0], &j->w0)) ||
        (rc = xpsig_parse_positive(ctx, "Q", ctx->pos[1], NULL, &j->Q)))
        return rc;
    j->fsv = 2.0;       /* SciPy's default */
    if (j->fs && (rc = xpsig_parse_positive(ctx, "--fs", j->fs, NULL, &j->fsv)))
        return rc;
    return XPSIG_RUN;
}

static int notch_parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    return parse(ctx, argc, argv, job, 0);
}

static int peak_parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    return parse(ctx, argc, argv, job, 1);
}

static int load(xpsig_ctx *ctx, void *job)
{
    return 0;
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    double ba[6];
    xp_array_free(j->res);
    j->res = NULL;
    int rc = j->peak ? xps_iirpeak(j->w0, j->Q, j->fsv, ba, ba + 3)
                     : xps_iirnotch(j->w0, j->Q, j->fsv, ba, ba + 3);
    if (rc)
        return xpsig_fail_call(ctx, rc == XP_EINVAL ? XPSIG_EXIT_USAGE : XPSIG_EXIT_DATA,
                               j->peak ? "iirpeak" : "iirnotch");
    return xpsig_coef_array(ctx, 2, 3, ba, &j->res);
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

const xpsig_stages xpsig_iirnotch_stages = {sizeof(job_t), notch_parse, load, compute, save,
                                            clear};
const xpsig_stages xpsig_iirpeak_stages = {sizeof(job_t), peak_parse, load, compute, save,
                                           clear};
