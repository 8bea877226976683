/* cmd_freqz.c -- xpsig freqz --ba C | --sos C: the complex frequency
 * response of a digital filter (scipy.signal.freqz, freqz_sos). */
#include <math.h>
#include <stdlib.h>
#include "cmd_filter.h"
#include "cmd_spectral.h"

typedef struct {
    const char *ba, *sos, *worN, *fs, *ffile;
    int whole;
    int64_t nw;
    double fsv;
    xpsig_coef coef;
    xp_array *w, *h;
} job_t;

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    job_t *j = job;
    const xpsig_opt opts[] = {
        {"ba", XPSIG_OPT_STRING, &j->ba, "FILE", "the filter as a 2-row array b, a"},
        {"sos", XPSIG_OPT_STRING, &j->sos, "FILE", "the filter as n x 6 sections"},
        {"worN", XPSIG_OPT_STRING, &j->worN, "N", "number of frequencies (default 512)"},
        {"whole", XPSIG_OPT_FLAG, &j->whole, NULL,
         "frequencies around the whole circle, [0, fs) (default [0, fs/2))"},
        {"fs", XPSIG_OPT_STRING, &j->fs, "F",
         "sampling frequency: frequencies in Hz (default 2 pi: rad/sample)"},
        {"f", XPSIG_OPT_STRING, &j->ffile, "FILE", "write the frequencies (float64) to FILE"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const xpsig_spec spec = {"", 0, 0, opts};
    int rc;
    if ((rc = xpsig_parse(ctx, argc, argv, &spec)) != XPSIG_RUN)
        return rc;
    if (!j->ba == !j->sos)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, j->ba ? "give --ba FILE or --sos FILE, "
                          "not both" : "missing --ba FILE or --sos FILE (the filter)");
    j->nw = 512;
    /* 0: empty w and h, as SciPy */
    if (j->worN && (rc = xpsig_parse_count(ctx, "worN", j->worN, 0, &j->nw)))
        return rc;
    if (j->nw > ((int64_t)1 << 48))   /* as get_window's M: the buffers' sizes fit */
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--worN: '%s' is too large (at most 2^48)",
                          j->worN);
    j->fsv = 2 * M_PI;
    if (j->fs && (rc = xpsig_parse_positive(ctx, "--fs", j->fs, NULL, &j->fsv)))
        return rc;
    return XPSIG_RUN;
}

static int load(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    return j->ba ? xpsig_coef_load(ctx, "--ba", j->ba, 0, &j->coef)
                 : xpsig_coef_load(ctx, "--sos", j->sos, 1, &j->coef);
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    const xpsig_coef *c = &j->coef;
    xp_array_free(j->w);
    xp_array_free(j->h);
    j->w = j->h = NULL;
    size_t n = (size_t)(j->nw ? j->nw : 1);
    double *w = malloc(n * sizeof *w), *h = malloc(n * 2 * sizeof *h);
    int rc = 0;
    if (!w || !h) {
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    } else if (c->sos ? xps_freqz_sos(c->c, c->n, j->nw, NULL, j->whole, j->fsv, w, h)
                      : xps_freqz(c->c, c->n, c->c + c->n, c->n, j->nw, NULL, j->whole,
                                  j->fsv, 0, w, h)) {
        rc = xpsig_fail_call(ctx, XPSIG_EXIT_DATA, c->sos ? "freqz_sos" : "freqz");
    } else {
        const xp_provider *host = xp_provider_host();
        if (xp_array_from_host(host, XP_COMPLEX128, 1, &j->nw, h, &j->h) ||
            xp_array_from_host(host, XP_FLOAT64, 1, &j->nw, w, &j->w))
            rc = xpsig_fail_lib(ctx, "cannot hold the response");
    }
    free(w);
    free(h);
    return rc;
}

static int save(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    int rc = xpsig_save(ctx, ctx->output, j->h);
    if (!rc && j->ffile)
        rc = xpsig_save(ctx, j->ffile, j->w);
    return rc;
}

static void clear(void *job)
{
    job_t *j = job;
    xp_array_free(j->w);
    xp_array_free(j->h);
    j->w = j->h = NULL;
    xpsig_coef_clear(&j->coef);
}

const xpsig_stages xpsig_freqz_stages = {sizeof(job_t), parse, load, compute, save, clear};
