/*
 * options.c -- spectral option structs: SciPy's defaults, and resolving
 * them against one input (nperseg, noverlap, nfft, the window) with
 * SciPy's rules and SciPy's words for what is wrong.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "spectral.h"

XP__STRUCT_DESC_GROWN(options_desc, xps_spectral_options, float32_output, padded,
                      "initialize it with xps_welch_options_init");

static void defaults(xps_spectral_options *opt, const char *window, int nparams,
                     double param)
{
    memset(opt, 0, sizeof *opt);
    opt->size = sizeof *opt;
    opt->fs = 1.0;
    xps_window_spec_init(&opt->window);
    strcpy(opt->window.name, window);
    opt->window.nparams = nparams;
    opt->window.params[0] = param;
    opt->nperseg = 0;
    opt->noverlap = -1;
    opt->nfft = 0;
    opt->detrend = XPS_DETREND_CONSTANT;
    opt->return_onesided = 1;
    opt->scaling = XPS_SCALING_DENSITY;
    opt->axis = -1;
    opt->average = XPS_AVERAGE_MEAN;
    opt->mode = XPS_MODE_PSD;
    opt->float32_output = 0;
    opt->boundary = XPS_BOUNDARY_NONE;
    opt->padded = 0;
}

void xps_welch_options_init(xps_spectral_options *opt)
{
    if (opt)
        defaults(opt, "hann", 0, 0.0);
}

void xps_periodogram_options_init(xps_spectral_options *opt)
{
    if (opt)
        defaults(opt, "boxcar", 0, 0.0);
}

void xps_spectrogram_options_init(xps_spectral_options *opt)
{
    if (opt)
        defaults(opt, "tukey", 1, 0.25);
}

/* SciPy's stft: hann (SciPy 1.17 names it hann_periodic: the same
 * window), no detrend, spectrum scaling, zeros at both ends, padded. */
void xps_stft_options_init(xps_spectral_options *opt)
{
    if (!opt)
        return;
    defaults(opt, "hann", 0, 0.0);
    opt->detrend = XPS_DETREND_NONE;
    opt->scaling = XPS_SCALING_SPECTRUM;
    opt->mode = XPS_MODE_COMPLEX;
    opt->boundary = XPS_BOUNDARY_ZEROS;
    opt->padded = 1;
}

/* The sized inits: for callers whose struct may be another version's. */
int xps_welch_options_init_sized(xps_spectral_options *opt, size_t size)
{
    xps_spectral_options d;
    xps_welch_options_init(&d);
    return xp__struct_init("xps_welch_options_init_sized", &options_desc, &d, opt, size);
}

int xps_periodogram_options_init_sized(xps_spectral_options *opt, size_t size)
{
    xps_spectral_options d;
    xps_periodogram_options_init(&d);
    return xp__struct_init("xps_periodogram_options_init_sized", &options_desc, &d, opt, size);
}

int xps_spectrogram_options_init_sized(xps_spectral_options *opt, size_t size)
{
    xps_spectral_options d;
    xps_spectrogram_options_init(&d);
    return xp__struct_init("xps_spectrogram_options_init_sized", &options_desc, &d, opt, size);
}

int xps_stft_options_init_sized(xps_spectral_options *opt, size_t size)
{
    xps_spectral_options d;
    xps_stft_options_init(&d);
    return xp__struct_init("xps_stft_options_init_sized", &options_desc, &d, opt, size);
}

/* The caller's options (and the window spec inside them) as this
 * library's struct; what an older caller's struct lacks takes fn's defaults. */
static int options_in(const char *fn, const xps_spectral_options *caller,
                      xps_spectral_options *opt)
{
    if (!strcmp(fn, "periodogram"))
        xps_periodogram_options_init(opt);
    else if (!strcmp(fn, "spectrogram"))
        xps_spectrogram_options_init(opt);
    else if (!strcmp(fn, "stft"))
        xps_stft_options_init(opt);
    else
        xps_welch_options_init(opt);
    int rc = xp__struct_in(fn, "options", &options_desc, caller, opt);
    if (rc)
        return rc;
    /* held by value: the bytes after the window are the options' own */
    if (opt->window.size > sizeof opt->window)
        return xp_error(XP_EINVAL, "%s: window.size (%zu) is larger than this library's "
                        "xps_window_spec (%zu), which the options hold by value: "
                        "initialize it with xps_window_spec_init", fn, opt->window.size,
                        sizeof opt->window);
    xps_window_spec w;
    if ((rc = xps__window_spec_in(fn, "window", &opt->window, &w)))
        return rc;
    opt->window = w;
    return XP_OK;
}

int xps__check_options(const char *fn, const xps_spectral_options *caller,
                       xps_spectral_options *opt)
{
    if (!caller)
        return xp_error(XP_EINVAL, "%s: options are NULL", fn);
    int rc = options_in(fn, caller, opt);
    if (rc)
        return rc;
    if (!(opt->fs > 0) || !isfinite(opt->fs))
        return xp_error(XP_EINVAL, "%s: fs (%g) must be a positive finite number", fn, opt->fs);
    if (opt->nperseg < 0)
        return xp_error(XP_EINVAL, "%s: nperseg (%lld) must be a positive integer", fn,
                        (long long)opt->nperseg);
    if (opt->noverlap < -1)
        return xp_error(XP_EINVAL, "%s: noverlap (%lld) must be >= 0 (or -1 for the default)",
                        fn, (long long)opt->noverlap);
    if (opt->nfft < 0)
        return xp_error(XP_EINVAL, "%s: nfft (%lld) must be >= 0 (0 for the default)", fn,
                        (long long)opt->nfft);
    if ((unsigned)opt->detrend > XPS_DETREND_LINEAR)
        return xp_error(XP_EINVAL, "%s: detrend (%d) must be none, constant or linear", fn,
                        (int)opt->detrend);
    if ((unsigned)opt->scaling > XPS_SCALING_SPECTRUM)
        return xp_error(XP_EINVAL, "%s: scaling (%d) must be density or spectrum", fn,
                        (int)opt->scaling);
    if ((unsigned)opt->average > XPS_AVERAGE_MEDIAN_MEAN)
        return xp_error(XP_EINVAL, "%s: average (%d) must be mean, median or median-mean", fn,
                        (int)opt->average);
    if ((unsigned)opt->mode > XPS_MODE_PHASE)
        return xp_error(XP_EINVAL, "%s: mode (%d) must be psd, complex, magnitude, angle or "
                        "phase", fn, (int)opt->mode);
    if ((unsigned)opt->boundary > XPS_BOUNDARY_ZEROS)
        return xp_error(XP_EINVAL, "%s: boundary (%d) must be none, even, odd, constant or "
                        "zeros", fn, (int)opt->boundary);
    if (strcmp(fn, "stft") && (opt->boundary != XPS_BOUNDARY_NONE || opt->padded))
        return xp_error(XP_EINVAL, "%s: boundary and padded apply to stft only: leave them "
                        "none and 0", fn);
    return XP_OK;
}

void xps__spec_clear(xps__spec *s)
{
    xp__free(s->win);
    s->win = NULL;
}

double xps__spec_scale(const xps__spec *s)
{
    return s->scaling == XPS_SCALING_DENSITY ? 1.0 / (s->fs * s->win_sum2)
                                             : 1.0 / (s->win_sum * s->win_sum);
}

/* The window code says "get_window: ..."; say which estimator asked. */
static int window_error(const char *fn, int rc)
{
    char msg[512];
    const char *m = xp_errmsg();
    if (!strncmp(m, "get_window: ", 12))
        m += 12;
    snprintf(msg, sizeof msg, "%s", m);
    return xp_error(rc, "%s: %s", fn, msg);
}

/* The window's values on the host: computed from its name, or read from the
 * caller's array (which must be 1-D and on p: never a silent copy). */
int xps__window_values(const char *fn, const xps_window_spec *w, int64_t *nperseg,
                       const xp_provider *p, double **out)
{
    int rc;
    if (w->array) {
        const xp_array *a = w->array;
        if (xp_array_ndim(a) != 1)
            return xp_error(XP_ESHAPE, "%s: window must be 1-D (got %d dimensions)", fn,
                            xp_array_ndim(a));
        if (xp_dtype_is_complex(xp_array_dtype(a)))
            return xp_error(XP_EDTYPE, "%s: window must be real (got %s)", fn,
                            xp_dtype_name(xp_array_dtype(a)));
        if (xp_array_provider(a) != p)
            return xp_error(XP_EDEVICE, "%s: window lives on provider '%s', the data on "
                            "'%s'", fn, xp_provider_name(xp_array_provider(a)),
                            xp_provider_name(p));
        int64_t m = xp_array_dim(a, 0);
        if (*nperseg == 0)
            *nperseg = m;
        if (*nperseg != m)
            return xp_error(XP_EINVAL, "%s: nperseg (%lld) does not equal the window's "
                            "length (%lld)", fn, (long long)*nperseg, (long long)m);
        if (m < 1)
            return xp_error(XP_EINVAL, "%s: window is empty", fn);
        xp_array *d = NULL;
        double *v = xp__malloc((size_t)m * sizeof *v);
        if (!v)
            return xp_error(XP_ENOMEM, "%s: out of memory for the window", fn);
        rc = xp_array_astype(a, XP_FLOAT64, &d);
        if (rc == XP_OK)
            rc = xp_array_to_host(d, v, (size_t)m * sizeof *v);
        xp_array_free(d);
        if (rc) {
            xp__free(v);
            return rc;
        }
        *out = v;
        return XP_OK;
    }
    double *v = xp__malloc((size_t)*nperseg * sizeof *v);
    if (!v)
        return xp_error(XP_ENOMEM, "%s: out of memory for the window", fn);
    /* get_window's default: the periodic (fftbins) form */
    rc = xps_window(w->name, w->params, w->nparams, *nperseg, 0, v);
    if (rc) {
        xp__free(v);
        return window_error(fn, rc);
    }
    *out = v;
    return XP_OK;
}

int xps__spec_resolve(const char *fn, const xps_spectral_options *caller, int64_t n,
                      int complex_in, int noverlap_default_div,
                      const xp_provider *p, xps__spec *s)
{
    int rc;
    xps_spectral_options o;
    const xps_spectral_options *opt = &o;
    memset(s, 0, sizeof *s);
    s->fn = fn;
    if ((rc = xps__check_options(fn, caller, &o)))
        return rc;
    int64_t nperseg = opt->nperseg;
    if (!opt->window.array) {
        if (nperseg == 0) {
            if (n < 0)
                return xp_error(XP_EINVAL, "%s: nperseg must be given for a stream", fn);
            nperseg = 256;
        }
        /* SciPy warns and shortens nperseg to the input; we do the same. */
        if (n >= 0 && nperseg > n)
            nperseg = n;
    }
    if ((rc = xps__window_values(fn, &opt->window, &nperseg, p, &s->win)))
        return rc;
    s->nperseg = nperseg;
    s->nfft = opt->nfft ? opt->nfft : nperseg;
    if (s->nfft < nperseg) {
        xps__spec_clear(s);
        return xp_error(XP_EINVAL, "%s: nfft (%lld) must be greater than or equal to "
                        "nperseg (%lld)", fn, (long long)s->nfft, (long long)nperseg);
    }
    s->noverlap = opt->noverlap >= 0 ? opt->noverlap : nperseg / noverlap_default_div;
    if (s->noverlap >= nperseg) {
        xps__spec_clear(s);
        return xp_error(XP_EINVAL, "%s: noverlap (%lld) must be less than nperseg (%lld)",
                        fn, (long long)s->noverlap, (long long)nperseg);
    }
    s->step = nperseg - s->noverlap;
    s->onesided = opt->return_onesided && !complex_in;
    s->nfreq = s->onesided ? s->nfft / 2 + 1 : s->nfft;
    s->fs = opt->fs;
    s->detrend = opt->detrend;
    s->scaling = opt->scaling;
    s->average = opt->average;
    s->mode = opt->mode;
    s->float32_output = opt->float32_output;
    for (int64_t i = 0; i < nperseg; i++) {
        s->win_sum += s->win[i];
        s->win_sum2 += s->win[i] * s->win[i];
    }
    return XP_OK;
}
