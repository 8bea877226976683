/* cmd_periodogram.c -- xpsig periodogram X: one segment over the whole
 * axis (scipy.signal.periodogram). */
#include "cmd_spectral.h"

static int call(xpsig_spectral_job *j)
{
    return xps_periodogram(j->x, &j->opt, j->ffile ? &j->f : NULL, &j->out);
}

static const xpsig_spectral_kind kind = {
    "periodogram",
    XPSIG_SP_FS | XPSIG_SP_WINDOW | XPSIG_SP_NFFT | XPSIG_SP_DETREND | XPSIG_SP_SCALING |
        XPSIG_SP_TWOSIDED | XPSIG_SP_AXIS | XPSIG_SP_FLOAT32 | XPSIG_SP_FREQS,
    1, xps_periodogram_options_init, "boxcar", NULL,
    "FFT length (default: the axis length; shorter truncates the input)", call, 0,
    XPSIG_STREAM_NONE, XPS_ACC_WELCH, 0};

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    return xpsig_spectral_parse(ctx, argc, argv, job, &kind);
}

const xpsig_stages xpsig_periodogram_stages = XPSIG_SPECTRAL_STAGES(parse);
