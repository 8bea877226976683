/* run.c -- gw150914_run: the tutorial's steps in order, per detector.
 *
 *   strain --welch--> PSD --whiten--> white --bandpass--> bp
 *   strain --Fig. 1 filter--> fig1
 *   strain + NR waveform + PSD --matched filter--> SNR(t), peak
 *   white --spectrogram--> the chirp in time and frequency
 * then the text outputs, summary.json and the plots. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "gw150914.h"

#define SYNTH_SEED 150914

void gw150914_options_init(gw150914_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->plots = 1;
    opt->log = stdout;
}

static void say(const gw150914_options *opt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const gw150914_options *opt, const char *fmt, ...)
{
    if (!opt->log)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(opt->log, fmt, ap);
    va_end(ap);
    fflush(opt->log);
}

/* mkdir -p */
static int make_dir(const char *dir)
{
    char path[2048];
    snprintf(path, sizeof path, "%s", dir);
    for (char *c = path + 1;; c++) {
        if (*c == '/' || !*c) {
            char save = *c;
            *c = 0;
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                return xp_error(XP_EIO, "%s: cannot create: %s", path, strerror(errno));
            *c = save;
            if (!save)
                return XP_OK;
        }
    }
}

/* x * window, and the Fourier phases of x and of x * window. */
static int phases(const xp_array *x, const xp_array *win, gw_det_result *r)
{
    const xp_provider *p = xp_array_provider(x);
    int64_t n = xp_array_dim(x, 0), nf = n / 2 + 1;
    xp_array *xw = NULL, *X = NULL, *XW = NULL, *ph = NULL;
    int rc = xp_array_empty(p, XP_FLOAT64, 1, &n, &xw);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_MUL, x, win, xw);
    if (rc == XP_OK)
        rc = xps_rfft(x, 0, -1, &X);
    if (rc == XP_OK)
        rc = xps_rfft(xw, 0, -1, &XW);
    if (rc == XP_OK)
        rc = xp_array_empty(p, XP_FLOAT64, 1, &nf, &ph);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_ANGLE, X, ph);
    if (rc == XP_OK)
        rc = gw_download(ph, &r->ph_raw);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_ANGLE, XW, ph);
    if (rc == XP_OK)
        rc = gw_download(ph, &r->ph_win);
    if (rc == XP_OK)
        rc = gw_download(xw, &r->windowed);
    r->nph = nf;
    xp_array_free(xw);
    xp_array_free(X);
    xp_array_free(XW);
    xp_array_free(ph);
    return rc;
}

/* The tutorial's spectrogram of the whitened data: fs/8 samples per
 * segment, 15/16 overlap, numpy's (symmetric) Blackman window; 4 s around
 * the event. */
static int spectrogram(const xp_array *white, const gw_strain *s, gw_det_result *r)
{
    const int64_t nper = (int64_t)(GW_FS / 8), half = (int64_t)(2 * GW_FS);
    int64_t c = (int64_t)llround((GW_T_EVENT - s->t0) / s->dt), start = c - half;
    if (start < 0 || c + half > s->n)
        return xp_error(XP_EINVAL, "gw150914: the data do not cover 2 s around GPS %.2f",
                        GW_T_EVENT);
    double *w = malloc((size_t)nper * sizeof *w);
    xp_array *seg = NULL, *win = NULL, *f = NULL, *t = NULL, *S = NULL;
    if (!w)
        return xp_error(XP_ENOMEM, "gw150914: out of memory");
    int rc = xps_window("blackman", NULL, 0, nper, 1, w);
    if (rc == XP_OK)
        rc = gw_upload(xp_array_provider(white), w, nper, &win);
    free(w);
    if (rc == XP_OK)
        rc = xp_array_slice(white, 0, start, 2 * half, 1, &seg);
    xps_spectral_options opt;
    xps_spectrogram_options_init(&opt);
    opt.fs = GW_FS;
    opt.window.array = win;
    opt.nperseg = nper;
    opt.noverlap = nper * 15 / 16;
    if (rc == XP_OK)
        rc = xps_spectrogram(seg, &opt, &f, &t, &S);
    if (rc == XP_OK)
        rc = gw_download(f, &r->sg_f);
    if (rc == XP_OK)
        rc = gw_download(t, &r->sg_t);
    if (rc == XP_OK)
        rc = gw_download(S, &r->sg);
    if (rc == XP_OK) {
        r->sg_nf = xp_array_dim(S, 0);
        r->sg_nt = xp_array_dim(S, 1);
        double off = s->t0 + (double)start * s->dt - GW_GPS_REF;
        for (int64_t j = 0; j < r->sg_nt; j++)
            r->sg_t[j] += off;
    }
    xp_array_free(seg);
    xp_array_free(win);
    xp_array_free(f);
    xp_array_free(t);
    xp_array_free(S);
    return rc;
}

/* Every step for one detector on provider p; results to the host. */
static int analyse(const xp_provider *p, const gw_strain *s, const gw_waveform *wave,
                   gw_det_result *r)
{
    const double fs = 1.0 / s->dt, alpha = 1.0 / 8;
    xp_array *x = NULL, *f = NULL, *psd = NULL, *psd_mm = NULL, *white = NULL, *bp = NULL,
             *fig1 = NULL, *snr = NULL, *win = NULL;
    double *w = malloc((size_t)s->n * sizeof *w);
    if (!w)
        return xp_error(XP_ENOMEM, "gw150914: out of memory");
    r->s = s;
    int rc = xps_window("tukey", &alpha, 1, s->n, 1, w);
    if (rc == XP_OK)
        rc = gw_upload(p, w, s->n, &win);
    free(w);
    if (rc == XP_OK)
        rc = gw_upload(p, s->h, s->n, &x);
    if (rc == XP_OK)
        rc = gw_psd(x, fs, XPS_AVERAGE_MEAN, &f, &psd);
    if (rc == XP_OK)
        rc = gw_psd(x, fs, XPS_AVERAGE_MEDIAN_MEAN, NULL, &psd_mm);
    if (rc == XP_OK)
        rc = gw_whiten(x, s->dt, f, psd, &white);
    if (rc == XP_OK)
        rc = gw_bandpass(white, fs, 35.0, 350.0, &bp);
    if (rc == XP_OK)
        rc = gw_fig1_filter(x, fs, &fig1);
    if (rc == XP_OK)
        rc = gw_matched_filter(x, s->t0, fs, f, psd, wave, &snr, &r->peak);
    if (rc == XP_OK)
        rc = phases(x, win, r);
    if (rc == XP_OK)
        rc = spectrogram(white, s, r);
    if (rc == XP_OK) {
        r->nf = xp_array_dim(f, 0);
        rc = gw_download(f, &r->f);
    }
    if (rc == XP_OK)
        rc = gw_download(psd, &r->psd);
    if (rc == XP_OK)
        rc = gw_download(psd_mm, &r->psd_mm);
    if (rc == XP_OK)
        rc = gw_download(white, &r->white);
    if (rc == XP_OK)
        rc = gw_download(bp, &r->bp);
    if (rc == XP_OK)
        rc = gw_download(fig1, &r->fig1);
    if (rc == XP_OK)
        rc = gw_download(snr, &r->snr);
    xp_array *all[] = {x, f, psd, psd_mm, white, bp, fig1, snr, win};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
    return rc;
}

static void result_clear(gw_det_result *r)
{
    double *all[] = {r->f, r->psd, r->psd_mm, r->windowed, r->white, r->bp, r->fig1,
                     r->ph_raw, r->ph_win, r->snr, r->sg_f, r->sg_t, r->sg};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    memset(r, 0, sizeof *r);
}

/* Pearson r of our Fig. 1 series with the published one at the samples
 * both have (theirs is at 16384 Hz, every fourth of theirs is ours). */
static double fig1_correlation(const gw_dataset *d, int i, const gw_det_result *r)
{
    char path[2048];
    double *t = NULL, *y = NULL, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    int64_t n = 0, m = 0;
    const gw_strain *s = &d->det[i];
    snprintf(path, sizeof path, "%s/fig1-observed-%c.txt", d->fig1_dir, s->name[0]);
    if (gw_read_columns(path, &t, &y, &n))
        return NAN;
    for (int64_t k = 0; k < n; k++) {
        double pos = (GW_GPS_REF + t[k] - s->t0) / s->dt;
        int64_t j = (int64_t)llround(pos);
        if (fabs(pos - (double)j) > 1e-3 || j < 0 || j >= s->n)
            continue;
        double a = r->fig1[j] * 1e21, b = y[k];
        sx += a, sy += b, sxx += a * a, syy += b * b, sxy += a * b, m++;
    }
    free(t);
    free(y);
    if (m < 3)
        return NAN;
    double cov = sxy - sx * sy / (double)m, va = sxx - sx * sx / (double)m,
           vb = syy - sy * sy / (double)m;
    return cov / sqrt(va * vb);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int gw_analyse(const xp_provider *p, const gw_dataset *d, gw_results *res)
{
    int rc = XP_OK;
    memset(res, 0, sizeof *res);
    res->d = d;
    res->provider = xp_provider_name(p);
    double t_start = now();
    for (int i = 0; rc == XP_OK && i < GW_NDET; i++)
        rc = analyse(p, &d->det[i], &d->wave, &res->det[i]);
    res->seconds = now() - t_start;
    if (rc) {
        gw_results_clear(res);
        return rc;
    }
    const gw_peak *h = &res->det[0].peak, *l = &res->det[1].peak;
    res->delay_ms = (h->t_gps - l->t_gps) * 1e3;
    res->network_snr = hypot(h->snr, l->snr);
    for (int i = 0; i < GW_NDET; i++)
        res->fig1_r[i] = d->fig1_dir[0] ? fig1_correlation(d, i, &res->det[i]) : NAN;
    return XP_OK;
}

void gw_results_clear(gw_results *res)
{
    for (int i = 0; i < GW_NDET; i++)
        result_clear(&res->det[i]);
}

int gw150914_run(const gw150914_options *opt)
{
    gw150914_options def;
    if (!opt) {
        gw150914_options_init(&def);
        opt = &def;
    }
    const char *pname = opt->provider ? opt->provider : "host";
    const char *out = opt->out_dir ? opt->out_dir : "out/gw150914";
    const xp_provider *p = xp_provider_find(pname);
    const char *why = NULL;
    if (!p)
        return xp_error(XP_EINVAL, "unknown provider '%s' (see xpsig providers)", pname);
    if (!xp_provider_available(p, &why))
        return xp_error(XP_EUNAVAIL, "provider '%s' is not usable: %s", pname,
                        why ? why : "unknown reason");

    gw_dataset d;
    gw_results res;
    char dir[1024];
    int rc = make_dir(out);     /* first: an unusable --out fails before the work */
    if (rc)
        return rc;
    memset(&res, 0, sizeof res);
    memset(&d, 0, sizeof d);
    if (!opt->synthetic && gw_find_data(opt->data_dir, dir, sizeof dir)) {
        say(opt, "reading the GW150914 files from %s\n", dir);
        rc = gw_load(dir, &d);
    } else {
        if (!opt->synthetic)
            say(opt, "no LIGO data found (looked in %s%s$XPS_LIGO_DATA and data/ligo; "
                "data/ligo/fetch downloads them)\n", opt->data_dir ? opt->data_dir : "",
                opt->data_dir ? ", " : "");
        say(opt, "running on a SYNTHETIC stream (seed %d): coloured noise, lines and an "
            "injected chirp\n", SYNTH_SEED);
        rc = gw_synthesize(p, SYNTH_SEED, &d);
    }
    if (rc)
        return rc;

    say(opt, "Welch ASD, whitening, band-pass, Fig. 1 filter, matched filter on provider "
        "%s\n", xp_provider_name(p));
    rc = gw_analyse(p, &d, &res);
    if (rc == XP_OK) {
        for (int i = 0; i < GW_NDET; i++) {
            const gw_peak *pk = &res.det[i].peak;
            say(opt, "%s: matched filter SNR %.2f at GPS %.4f (phase %.2f rad)", d.det[i].name,
                pk->snr, pk->t_gps, pk->phase);
            if (d.synthetic)
                say(opt, "; injected at %.4f", d.inj_gps[i]);
            if (!isnan(res.fig1_r[i]))
                say(opt, "; Fig. 1 r = %.4f", res.fig1_r[i]);
            say(opt, "\n");
        }
        say(opt, "H1 - L1 delay %.2f ms, network SNR %.2f%s (analysis %.2f s)\n",
            res.delay_ms, res.network_snr, d.synthetic ? " [synthetic]" : "", res.seconds);
    }
    if (rc == XP_OK)
        rc = gw_write_text(out, &res);
    if (rc == XP_OK)
        rc = gw_write_summary(out, &res);
    if (rc == XP_OK && opt->plots) {
        int drawn = 0;
        rc = gw_plots(out, &res, opt->log, &drawn);
        if (rc == XP_OK && drawn)
            say(opt, "plots written to %s\n", out);
    }
    if (rc == XP_OK)
        say(opt, "outputs in %s\n", out);
    gw_results_clear(&res);
    gw_dataset_clear(&d);
    return rc;
}
