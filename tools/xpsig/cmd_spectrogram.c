/* cmd_spectrogram.c -- xpsig spectrogram X: the spectra of consecutive
 * segments, not averaged (scipy.signal.spectrogram). */
#include "cmd_spectral.h"

static int call(xpsig_spectral_job *j)
{
    return xps_spectrogram(j->x, &j->opt, j->ffile ? &j->f : NULL,
                           j->tfile ? &j->t : NULL, &j->out);
}

static const xpsig_spectral_kind kind = {
    "spectrogram",
    XPSIG_SP_FS | XPSIG_SP_WINDOW | XPSIG_SP_NPERSEG | XPSIG_SP_NOVERLAP | XPSIG_SP_NFFT |
        XPSIG_SP_DETREND | XPSIG_SP_SCALING | XPSIG_SP_TWOSIDED | XPSIG_SP_MODE |
        XPSIG_SP_AXIS | XPSIG_SP_FLOAT32 | XPSIG_SP_FREQS | XPSIG_SP_TIMES,
    1, xps_spectrogram_options_init, "tukey,0.25", "nperseg/8", NULL, call, 0,
    XPSIG_STREAM_SEGMENTS, XPS_ACC_WELCH, 8};

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    return xpsig_spectral_parse(ctx, argc, argv, job, &kind);
}

const xpsig_stages xpsig_spectrogram_stages = XPSIG_SPECTRAL_STAGES(parse);
