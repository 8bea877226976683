/* cmd_coherence.c -- xpsig coherence X Y: magnitude-squared coherence
 * (scipy.signal.coherence). */
#include "cmd_spectral.h"

static int call(xpsig_spectral_job *j)
{
    return xps_coherence(j->x, j->y, &j->opt, j->ffile ? &j->f : NULL, &j->out);
}

static const xpsig_spectral_kind kind = {
    "coherence",
    XPSIG_SP_FS | XPSIG_SP_WINDOW | XPSIG_SP_NPERSEG | XPSIG_SP_NOVERLAP | XPSIG_SP_NFFT |
        XPSIG_SP_DETREND | XPSIG_SP_AXIS | XPSIG_SP_FLOAT32 | XPSIG_SP_FREQS | XPSIG_SP_MPI,
    2, xps_welch_options_init, "hann", NULL, NULL, call, 0, XPSIG_STREAM_ACC,
    XPS_ACC_COHERENCE, 2};

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    return xpsig_spectral_parse(ctx, argc, argv, job, &kind);
}

const xpsig_stages xpsig_coherence_stages = XPSIG_SPECTRAL_STAGES(parse);
