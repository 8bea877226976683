/* cmd_istft.c -- xpsig istft Z: the signal whose short-time Fourier
 * transform Z is, by weighted overlap-add (scipy.signal.istft). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_spectral.h"

typedef struct {
    const char *fs, *window, *nperseg, *noverlap, *nfft, *input_onesided, *boundary,
        *scaling, *tfile;
    const char *window_file;        /* --window names an array file */
    int time_axis, freq_axis;
    xps_istft_options opt;
    xp_array *z, *t, *out, *win;
    int streamed;                   /* Z read, inverted and written in save */
} job_t;

static int parse(xpsig_ctx *ctx, int argc, char **argv, void *job)
{
    job_t *j = job;
    const xpsig_opt opts[] = {
        {"fs", XPSIG_OPT_STRING, &j->fs, "F", "sampling frequency in Hz (default 1)"},
        {"window", XPSIG_OPT_STRING, &j->window, "SPEC",
         "window NAME[,PARAM...] or a 1-D array file, as given to stft (default hann)"},
        {"nperseg", XPSIG_OPT_STRING, &j->nperseg, "N",
         "samples per segment (default 2 (nfreq - 1), or nfreq two-sided)"},
        {"noverlap", XPSIG_OPT_STRING, &j->noverlap, "N",
         "samples shared by neighbouring segments (default nperseg/2)"},
        {"nfft", XPSIG_OPT_STRING, &j->nfft, "N", "FFT length, at least nperseg"},
        {"input_onesided", XPSIG_OPT_STRING, &j->input_onesided, "BOOL",
         "Z holds one-sided (rfft) spectra: true or false (default true)"},
        {"boundary", XPSIG_OPT_STRING, &j->boundary, "BOOL",
         "stft extended the ends: cut nperseg/2 samples off each (default true)"},
        {"time_axis", XPSIG_OPT_INT, &j->time_axis, "A", "axis of the segments (default -1)"},
        {"freq_axis", XPSIG_OPT_INT, &j->freq_axis, "A",
         "axis of the frequencies (default -2)"},
        {"scaling", XPSIG_OPT_STRING, &j->scaling, "S",
         "the stft's scaling: spectrum or psd (default spectrum)"},
        {"t", XPSIG_OPT_STRING, &j->tfile, "FILE", "write the sample times (float64) to FILE"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const xpsig_spec spec = {"Z", 1, 1, opts};
    xps_istft_options *o = &j->opt;
    j->time_axis = -1;
    j->freq_axis = -2;
    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;
    xps_istft_options_init(o);
    if (j->fs) {
        char *end;
        double v = strtod(j->fs, &end);
        if (end == j->fs || *end || !(v > 0) || !isfinite(v))
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--fs: '%s' must be a positive number",
                              j->fs);
        o->fs = v;
    }
    if (j->window && xpsig_is_window_file(j->window))
        j->window_file = j->window;             /* read by load() */
    else if (j->window && xps_window_spec_parse(j->window, &o->window))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--window: '%s': %s", j->window,
                          xpsig_errmsg_body());
    if ((j->nperseg && (rc = xpsig_parse_count(ctx, "nperseg", j->nperseg, 1, &o->nperseg)))
        || (j->noverlap
            && (rc = xpsig_parse_count(ctx, "noverlap", j->noverlap, 0, &o->noverlap)))
        || (j->nfft && (rc = xpsig_parse_count(ctx, "nfft", j->nfft, 1, &o->nfft)))
        || (j->input_onesided && (rc = xpsig_parse_bool(ctx, "input_onesided",
                                                        j->input_onesided,
                                                        &o->input_onesided)))
        || (j->boundary && (rc = xpsig_parse_bool(ctx, "boundary", j->boundary,
                                                  &o->boundary))))
        return rc;
    if (j->scaling) {
        if (!strcmp(j->scaling, "spectrum"))
            o->scaling = XPS_SCALING_SPECTRUM;
        else if (!strcmp(j->scaling, "psd"))
            o->scaling = XPS_SCALING_DENSITY;
        else
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--scaling: '%s' must be spectrum or "
                              "psd", j->scaling);
    }
    o->time_axis = j->time_axis;
    o->freq_axis = j->freq_axis;
    return XPSIG_RUN;
}

static int load(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    int rc = xpsig_load_window(ctx, j->window_file, &j->win, &j->opt.window);
    if (rc || (j->streamed = xpsig_istft_plan(ctx, &j->opt, j->tfile)))
        return rc;
    return xpsig_load(ctx, ctx->pos[0], &j->z);
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    xp_array_free(j->out);
    xp_array_free(j->t);
    j->out = j->t = NULL;
    if (j->streamed)
        return 0;
    if (xps_istft(j->z, &j->opt, j->tfile ? &j->t : NULL, &j->out))
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, "istft");
    return 0;
}

static int save(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    if (j->streamed)
        return xpsig_istft_stream(ctx, &j->opt, j->tfile);
    int rc = xpsig_save(ctx, ctx->output, j->out);
    if (!rc && j->tfile)
        rc = xpsig_save(ctx, j->tfile, j->t);
    return rc;
}

static void clear(void *job)
{
    job_t *j = job;
    xp_array_free(j->z);
    xp_array_free(j->t);
    xp_array_free(j->out);
    xp_array_free(j->win);
    j->z = j->t = j->out = j->win = NULL;
}

const xpsig_stages xpsig_istft_stages = {sizeof(job_t), parse, load, compute, save, clear};
