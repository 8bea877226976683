/* cmd_spectral.c -- the options, inputs and outputs the spectral
 * subcommands share (see cmd_spectral.h). */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmd_spectral.h"

/* ---------------------------------------------------------------- checks */

const char *xpsig_errmsg_body(void)
{
    const char *m = xp_errmsg(), *c = strstr(m, ": ");
    /* "get_window: unknown window ..." -> "unknown window ..." */
    if (c && !memchr(m, ' ', (size_t)(c - m)))
        return c + 2;
    return m;
}

int xpsig_parse_count(const xpsig_ctx *ctx, const char *name, const char *text,
                      int64_t min, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || errno || v < min)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--%s: '%s' must be a%s integer", name,
                          text, min > 0 ? " positive" : min == 0 ? " non-negative" : "n");
    *out = v;
    return 0;
}

int xpsig_parse_bool(const xpsig_ctx *ctx, const char *name, const char *text, int *out)
{
    static const char *const yes[] = {"true", "True", "1"}, *const no[] = {"false", "False",
                                                                           "0"};
    for (int i = 0; i < 3; i++) {
        if (!strcmp(text, yes[i]) || !strcmp(text, no[i])) {
            *out = !strcmp(text, yes[i]);
            return 0;
        }
    }
    return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--%s: '%s' must be true or false", name, text);
}

/* text is one of names[] (NULL-terminated); its index, or -1. */
static int pick(const char *text, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(text, names[i]) == 0)
            return i;
    return -1;
}

int xpsig_is_window_file(const char *s)
{
    static const char *const ext[] = {".npy", ".txt", ".h5", ".hdf5"};
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t m = strlen(ext[i]);
        if (n > m && strncasecmp(s + n - m, ext[i], m) == 0 && (!colon || i >= 2))
            return 1;
    }
    return 0;
}

/* --------------------------------------------------------------- options */

#define OFF(field) offsetof(xpsig_spectral_job, field)

/* Every option a spectral subcommand may take; dest is an offset into the
 * job, help NULL where the subcommand's kind supplies it. */
static const struct {
    unsigned bit;
    xpsig_opt opt;
    size_t off;
} all_opts[] = {
    {XPSIG_SP_FS, {"fs", XPSIG_OPT_STRING, NULL, "F", "sampling frequency in Hz (default 1)"},
     OFF(fs)},
    {XPSIG_SP_WINDOW, {"window", XPSIG_OPT_STRING, NULL, "SPEC", NULL}, OFF(window)},
    {XPSIG_SP_NPERSEG, {"nperseg", XPSIG_OPT_STRING, NULL, "N",
                        "samples per segment (default 256, or the window file's length)"},
     OFF(nperseg)},
    {XPSIG_SP_NOVERLAP, {"noverlap", XPSIG_OPT_STRING, NULL, "N", NULL}, OFF(noverlap)},
    {XPSIG_SP_NFFT, {"nfft", XPSIG_OPT_STRING, NULL, "N",
                     "FFT length, at least nperseg (default nperseg)"}, OFF(nfft)},
    {XPSIG_SP_DETREND, {"detrend", XPSIG_OPT_STRING, NULL, "TYPE", NULL}, OFF(detrend)},
    {XPSIG_SP_SCALING, {"scaling", XPSIG_OPT_STRING, NULL, "S", NULL}, OFF(scaling)},
    {XPSIG_SP_TWOSIDED, {"twosided", XPSIG_OPT_FLAG, NULL, NULL,
                         "two-sided spectrum for real input (complex input always is)"},
     OFF(twosided)},
    {XPSIG_SP_AVERAGE, {"average", XPSIG_OPT_STRING, NULL, "A",
                        "mean, median or median-mean (default mean)"}, OFF(average)},
    {XPSIG_SP_MODE, {"mode", XPSIG_OPT_STRING, NULL, "M",
                     "psd, complex, magnitude, angle or phase (default psd)"}, OFF(mode)},
    {XPSIG_SP_BOUNDARY, {"boundary", XPSIG_OPT_STRING, NULL, "B",
                         "extend each end by nperseg/2 samples: zeros, even, odd, constant "
                         "or none (default zeros)"}, OFF(boundary)},
    {XPSIG_SP_PADDED, {"padded", XPSIG_OPT_STRING, NULL, "BOOL",
                       "pad with zeros to a whole last segment: true or false (default "
                       "true)"}, OFF(padded)},
    {XPSIG_SP_AXIS, {"axis", XPSIG_OPT_INT, NULL, "A",
                     "axis of the samples (default -1)"}, OFF(axis)},
    {XPSIG_SP_FLOAT32, {"float32-output", XPSIG_OPT_FLAG, NULL, NULL,
                        "float32 result for float32 input, as SciPy (default float64)"},
     OFF(float32_output)},
    {XPSIG_SP_FREQS, {"f", XPSIG_OPT_STRING, NULL, "FILE",
                      "write the frequencies (float64) to FILE"}, OFF(ffile)},
    {XPSIG_SP_TIMES, {"t", XPSIG_OPT_STRING, NULL, "FILE",
                      "write the segment times (float64) to FILE"}, OFF(tfile)},
    {XPSIG_SP_MPI, {"mpi", XPSIG_OPT_FLAG, NULL, NULL,
                    "under mpirun: each rank reads its slice of X (1-D, .npy or "
                    "FILE.hdf5:/dataset), rank 0 writes"}, OFF(mpi)},
};
#define NOPTS (sizeof all_opts / sizeof all_opts[0])

/* The option values into j->opt, after SciPy's defaults (kind->init). */
static int resolve(const xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    /* SciPy's detrend types and their one-letter forms */
    static const char *const detrends[] = {"none", "constant", "linear", "c", "l", NULL};
    static const char *const scalings[] = {"density", "spectrum", NULL};
    static const char *const psd_scalings[] = {"psd", "spectrum", NULL};
    static const char *const averages[] = {"mean", "median", "median-mean", NULL};
    static const char *const modes[] = {"psd", "complex", "magnitude", "angle", "phase", NULL};
    xps_spectral_options *o = &j->opt;
    int rc, k;

    j->kind->init(o);
    if (j->fs) {
        char *end;
        double v = strtod(j->fs, &end);
        if (end == j->fs || *end || !(v > 0) || !isfinite(v))
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE,
                              "--fs: '%s' must be a positive number", j->fs);
        o->fs = v;
    }
    if (j->window && xpsig_is_window_file(j->window)) {
        j->window_file = j->window;             /* read by load() */
    } else if (j->window && xps_window_spec_parse(j->window, &o->window)) {
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--window: '%s': %s", j->window,
                          xpsig_errmsg_body());
    }
    if (j->nperseg && (rc = xpsig_parse_count(ctx, "nperseg", j->nperseg, 1, &o->nperseg)))
        return rc;
    if (j->noverlap && (rc = xpsig_parse_count(ctx, "noverlap", j->noverlap, 0, &o->noverlap)))
        return rc;
    if (j->nfft && (rc = xpsig_parse_count(ctx, "nfft", j->nfft, 1, &o->nfft)))
        return rc;
    /* what the options alone decide; the rest depends on the input */
    if (j->nperseg && j->noverlap && o->noverlap >= o->nperseg)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--noverlap: '%s' must be less than "
                          "nperseg (%lld)", j->noverlap, (long long)o->nperseg);
    /* nfft against nperseg is the library's check: nperseg may yet be cut
     * to the input's length, as SciPy cuts it */
    if (j->detrend) {
        if ((k = pick(j->detrend, detrends)) < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--detrend: '%s' must be constant, "
                              "linear or none", j->detrend);
        o->detrend = k == 0 ? XPS_DETREND_NONE
                     : k == 1 || k == 3 ? XPS_DETREND_CONSTANT : XPS_DETREND_LINEAR;
    }
    if (j->scaling) {
        if ((k = pick(j->scaling, j->kind->psd_scaling ? psd_scalings : scalings)) < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--scaling: '%s' must be %s or "
                              "spectrum", j->scaling, j->kind->psd_scaling ? "psd" : "density");
        o->scaling = k ? XPS_SCALING_SPECTRUM : XPS_SCALING_DENSITY;
    }
    if (j->boundary) {
        static const char *const bounds[] = {"none", "even", "odd", "constant", "zeros", NULL};
        if ((k = pick(j->boundary, bounds)) < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--boundary: '%s' must be zeros, even, "
                              "odd, constant or none", j->boundary);
        o->boundary = (xps_boundary)k;
    }
    if (j->padded && (rc = xpsig_parse_bool(ctx, "padded", j->padded, &o->padded)))
        return rc;
    if (j->average) {
        if ((k = pick(j->average, averages)) < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--average: '%s' must be mean, median "
                              "or median-mean", j->average);
        o->average = k == 0 ? XPS_AVERAGE_MEAN
                            : k == 1 ? XPS_AVERAGE_MEDIAN : XPS_AVERAGE_MEDIAN_MEAN;
    }
    if (j->mode) {
        static const xps_mode m[] = {XPS_MODE_PSD, XPS_MODE_COMPLEX, XPS_MODE_MAGNITUDE,
                                     XPS_MODE_ANGLE, XPS_MODE_PHASE};
        if ((k = pick(j->mode, modes)) < 0)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--mode: '%s' must be psd, complex, "
                              "magnitude, angle or phase", j->mode);
        o->mode = m[k];
    }
    o->return_onesided = !j->twosided;
    o->axis = j->axis;
    o->float32_output = j->float32_output;
    return 0;
}

int xpsig_spectral_parse(xpsig_ctx *ctx, int argc, char **argv, xpsig_spectral_job *j,
                         const xpsig_spectral_kind *kind)
{
    xpsig_opt opts[NOPTS + 1];
    size_t n = 0;

    j->kind = kind;
    j->axis = -1;
    snprintf(j->help_window, sizeof j->help_window,
             "window NAME[,PARAM...] or a 1-D array file (default %s)",
             kind->window_default);
    /* the defaults the help names are the kind's own */
    static const char *const detrend_names[] = {"none", "constant", "linear"};
    xps_spectral_options d;
    kind->init(&d);
    snprintf(j->help_detrend, sizeof j->help_detrend, "detrend each segment: constant, "
             "linear or none (default %s)", detrend_names[d.detrend]);
    snprintf(j->help_scaling, sizeof j->help_scaling, "%s or spectrum (V**2) (default %s)",
             kind->psd_scaling ? "psd (V**2/Hz)" : "density (V**2/Hz)",
             d.scaling == XPS_SCALING_SPECTRUM ? "spectrum"
             : kind->psd_scaling ? "psd" : "density");
    snprintf(j->help_noverlap, sizeof j->help_noverlap,
             "samples shared by neighbouring segments (default %s)",
             kind->noverlap_default ? kind->noverlap_default : "nperseg/2");
    for (size_t i = 0; i < NOPTS; i++) {
        if (!(kind->mask & all_opts[i].bit))
            continue;
        opts[n] = all_opts[i].opt;
        opts[n].dest = (char *)j + all_opts[i].off;
        if (all_opts[i].bit == XPSIG_SP_WINDOW)
            opts[n].help = j->help_window;
        else if (all_opts[i].bit == XPSIG_SP_NOVERLAP)
            opts[n].help = j->help_noverlap;
        else if (all_opts[i].bit == XPSIG_SP_NFFT && kind->nfft_help)
            opts[n].help = kind->nfft_help;
        else if (all_opts[i].bit == XPSIG_SP_SCALING)
            opts[n].help = j->help_scaling;
        else if (all_opts[i].bit == XPSIG_SP_DETREND)
            opts[n].help = j->help_detrend;
        n++;
    }
    memset(&opts[n], 0, sizeof opts[n]);
    const xpsig_spec spec = {kind->ninputs == 2 ? "X Y" : "X", kind->ninputs,
                             kind->ninputs, opts};
    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;
    rc = resolve(ctx, j);
    return rc ? rc : XPSIG_RUN;
}

int xpsig_load_window(xpsig_ctx *ctx, const char *file, xp_array **win,
                      xps_window_spec *spec)
{
    if (!file)
        return 0;
    int rc = xpsig_load(ctx, file, win);
    if (rc)
        return rc;
    if (xp_array_ndim(*win) != 1 || xp_dtype_is_complex(xp_array_dtype(*win)))
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "--window: %s must hold a real 1-D "
                          "array (it is %s with %d dimensions)", file,
                          xp_dtype_name(xp_array_dtype(*win)), xp_array_ndim(*win));
    spec->array = *win;
    return 0;
}

/* ---------------------------------------------------------------- stages */

int xpsig_spectral_load(xpsig_ctx *ctx, void *job)
{
    xpsig_spectral_job *j = job;
    int rc;
    if ((rc = xpsig_load_window(ctx, j->window_file, &j->win, &j->opt.window)))
        return rc;
    if (j->mpi)
        return xpsig_mpi_load(ctx, j);
    if (xpsig_stream_plan(ctx, j))
        return 0;               /* read block by block in compute */
    if (xpsig_segments_plan(ctx, j))
        return 0;               /* read, computed and written block by block in save */
    if ((rc = xpsig_load(ctx, ctx->pos[0], &j->x)))
        return rc;
    if (j->kind->ninputs == 2 && (rc = xpsig_load(ctx, ctx->pos[1], &j->y)))
        return rc;
    return 0;
}

static void drop_results(xpsig_spectral_job *j)
{
    xp_array_free(j->f);
    xp_array_free(j->t);
    xp_array_free(j->out);
    j->f = j->t = j->out = NULL;
}

int xpsig_spectral_compute(xpsig_ctx *ctx, void *job)
{
    xpsig_spectral_job *j = job;
    drop_results(j);
    if (j->mpi)
        return xpsig_mpi_compute(ctx, j);
    if (j->stream_total)
        return j->kind->streams == XPSIG_STREAM_ACC ? xpsig_stream_compute(ctx, j) : 0;
    if (j->kind->call(j))
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, j->kind->fn);
    return 0;
}

int xpsig_spectral_save(xpsig_ctx *ctx, void *job)
{
    xpsig_spectral_job *j = job;
    if (j->mpi && !xpsig_mpi_is_root())
        return 0;
    if (j->stream_total && j->kind->streams == XPSIG_STREAM_SEGMENTS)
        return xpsig_segments_save(ctx, j);
    int rc = xpsig_save(ctx, ctx->output, j->out);
    if (!rc && j->ffile)
        rc = xpsig_save(ctx, j->ffile, j->f);
    if (!rc && j->tfile && j->t)
        rc = xpsig_save(ctx, j->tfile, j->t);
    return rc;
}

void xpsig_spectral_clear(void *job)
{
    xpsig_spectral_job *j = job;
    drop_results(j);
    xp_array_free(j->x);
    xp_array_free(j->y);
    xp_array_free(j->win);
    j->x = j->y = j->win = NULL;
    if (j->mpi)
        xpsig_mpi_finish();
}

#ifndef XPSIG_MPI
/* Built without MPI: --mpi is refused with the way to get it. */
int xpsig_mpi_load(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    (void)j;
    return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--mpi: this xpsig was built without MPI "
                      "(apt-get install libopenmpi-dev openmpi-bin; configure --with-mpi)");
}

int xpsig_mpi_compute(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    return xpsig_mpi_load(ctx, j);
}

int xpsig_mpi_is_root(void)
{
    return 1;
}

void xpsig_mpi_finish(void)
{
}
#endif
