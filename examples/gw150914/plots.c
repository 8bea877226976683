/* plots.c -- the figures, drawn by gnuplot from scripts we write.
 *
 * Each figure is a data file NAME.dat and a script NAME.gp next to it in
 * the output folder; `gnuplot NAME.gp` there redraws NAME.png, so a reader
 * can change a range or a colour and run it again.  Colours follow the
 * paper: H1 red, L1 blue.
 *   asd.png          ASD of H1 and L1, 20-2000 Hz (lines at 60 Hz and
 *                    harmonics, violin modes near 500 Hz)
 *   strain.png       raw, windowed, whitened, band-passed strain
 *   phases.png       Fourier phases without and with a window
 *   fig1.png         the paper's Fig. 1 (top row): H1, then L1 with H1
 *                    shifted by the measured delay and inverted
 *   spectrogram.png  whitened data in time and frequency: the chirp
 *   snr.png          matched-filter SNR against time */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gw150914.h"

#define H1_COLOR "#d62728"
#define L1_COLOR "#1f77b4"

typedef struct {
    const char *dir;
    const gw_results *r;
    const char *term;       /* "pngcairo" or "png" */
    const char *tag;        /* "" or " (SYNTHETIC)" for titles */
} plot_ctx;

static FILE *open_file(const plot_ctx *c, const char *name, int *rc)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        *rc = xp_error(XP_EIO, "%s: %s", path, strerror(errno));
    else if (c->r->d->synthetic)
        fprintf(f, "# SYNTHETIC stream (not LIGO data)\n");
    return f;
}

static int close_file(const plot_ctx *c, FILE *f, const char *name)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return xp_error(XP_EIO, "%s/%s: write error", c->dir, name);
    return XP_OK;
}

/* The script's first lines: terminal, size, output. */
static void preamble(const plot_ctx *c, FILE *g, const char *png, int w, int h)
{
    fprintf(g, "# %s: written by xpsig gw150914; run `gnuplot %.*s.gp` here to redraw\n", png,
            (int)(strlen(png) - 4), png);
    fprintf(g, "set terminal %s size %d,%d %s\n", c->term, w, h,
            strcmp(c->term, "pngcairo") == 0 ? "enhanced font 'Sans,10'" : "");
    fprintf(g, "set output '%s'\n", png);
}

static double rel(const gw_strain *s, int64_t j)     /* s from GW_GPS_REF */
{
    return (s->t0 - GW_GPS_REF) + (double)j * s->dt;
}

/* ---------------------------------------------------------------- ASD */

static int plot_asd(const plot_ctx *c)
{
    const gw_det_result *h = &c->r->det[0], *l = &c->r->det[1];
    int rc = XP_OK;
    FILE *f = open_file(c, "asd.dat", &rc);
    if (!f)
        return rc;
    fprintf(f, "# f (Hz)  ASD H1 mean, H1 median-mean, L1 mean, L1 median-mean\n");
    for (int64_t k = 1; k < h->nf; k++)
        fprintf(f, "%.2f %.6e %.6e %.6e %.6e\n", h->f[k], sqrt(h->psd[k]), sqrt(h->psd_mm[k]),
                sqrt(l->psd[k]), sqrt(l->psd_mm[k]));
    if ((rc = close_file(c, f, "asd.dat")))
        return rc;
    FILE *g = open_file(c, "asd.gp", &rc);
    if (!g)
        return rc;
    preamble(c, g, "asd.png", 1000, 650);
    fprintf(g,
            "set title 'GW150914%s: amplitude spectral density (Welch, 4 s, symmetric Tukey 0.25)'\n"
            "set logscale xy\n"
            "set xrange [20:2000]\nset yrange [1e-24:1e-19]\n"
            "set format y '10^{%%T}'\n"
            "set xlabel 'frequency (Hz)'\nset ylabel 'ASD (strain / Hz^{1/2})'\n"
            "set grid xtics ytics mxtics\n"
            "set key top right\n"
            "set label 1 '60 Hz mains and harmonics' at 62,6e-21 left\n"
            "set arrow 1 from 62,5e-21 to 60.5,1.2e-21 lw 1\n"
            "set label 2 'violin modes' at 520,1.5e-20 left\n"
            "set arrow 2 from 540,1.3e-20 to 505,3e-21 lw 1\n"
            "plot 'asd.dat' u 1:3 w l lw 2.5 lc rgb '#ffb0b0' t 'H1 (median-mean)', \\\n"
            "     '' u 1:5 w l lw 2.5 lc rgb '#b0d0f0' t 'L1 (median-mean)', \\\n"
            "     '' u 1:2 w l lw 1 lc rgb '%s' t 'H1 (mean)', \\\n"
            "     '' u 1:4 w l lw 1 lc rgb '%s' t 'L1 (mean)'\n",
            c->tag, H1_COLOR, L1_COLOR);
    return close_file(c, g, "asd.gp");
}

/* ------------------------------------------------------------- strain */

static int plot_strain(const plot_ctx *c)
{
    const gw_det_result *h = &c->r->det[0], *l = &c->r->det[1];
    const gw_strain *s = h->s;
    int rc = XP_OK;
    FILE *f = open_file(c, "strain_full.dat", &rc);
    if (!f)
        return rc;
    fprintf(f, "# t (s from GPS 1126259462)  raw H1, windowed H1, raw L1, windowed L1 "
               "(every 4th sample)\n");
    for (int64_t j = 0; j < s->n; j += 4)
        fprintf(f, "%.6f %.6e %.6e %.6e %.6e\n", rel(s, j), s->h[j], h->windowed[j],
                l->s->h[j], l->windowed[j]);
    if ((rc = close_file(c, f, "strain_full.dat")))
        return rc;
    if (!(f = open_file(c, "strain_event.dat", &rc)))
        return rc;
    fprintf(f, "# t (s from GPS 1126259462.42)  whitened H1, band-passed H1, whitened L1, "
               "band-passed L1\n");
    for (int64_t j = 0; j < s->n; j++) {
        double t = rel(s, j) - (GW_T_EVENT - GW_GPS_REF);
        if (t >= -0.25 && t <= 0.1)
            fprintf(f, "%.6f %.6e %.6e %.6e %.6e\n", t, h->white[j], h->bp[j], l->white[j],
                    l->bp[j]);
    }
    if ((rc = close_file(c, f, "strain_event.dat")))
        return rc;
    FILE *g = open_file(c, "strain.gp", &rc);
    if (!g)
        return rc;
    preamble(c, g, "strain.png", 1000, 1100);
    fprintf(g,
            "set multiplot layout 4,1 title 'GW150914%s: from raw strain to the signal'\n"
            "set grid\nset key top right\n"
            "set xlabel 'time (s) from GPS 1126259462'\n"
            "set ylabel 'strain'\nset format y '%%.1e'\nset xrange [-16:16]\n"
            "set title '1. raw strain (32 s): dominated by low-frequency noise'\n"
            "plot 'strain_full.dat' u 1:2 w l lc rgb '%s' t 'H1', '' u 1:4 w l lc rgb '%s' t 'L1'\n"
            "set title '2. windowed: Tukey(1/8) taper to zero at the ends (no jump for the FFT)'\n"
            "plot 'strain_full.dat' u 1:3 w l lc rgb '%s' t 'H1', '' u 1:5 w l lc rgb '%s' t 'L1'\n"
            "set xlabel 'time (s) from GPS 1126259462.42'\n"
            "set format y '%%g'\nset ylabel 'whitened strain'\nset xrange [-0.25:0.1]\n"
            "set title '3. whitened: every frequency weighted by 1/ASD (L1''s DC offset passes "
            "through)'\n"
            "plot 'strain_event.dat' u 1:2 w l lc rgb '%s' t 'H1', '' u 1:4 w l lc rgb '%s' t 'L1'\n"
            "set title '4. whitened and band-passed 35-350 Hz: the chirp'\n"
            "set xrange [-0.1:0.05]\n"
            "plot 'strain_event.dat' u 1:3 w l lw 1.5 lc rgb '%s' t 'H1', '' u 1:5 w l lw 1.5 lc rgb '%s' t 'L1'\n"
            "unset multiplot\n",
            c->tag, H1_COLOR, L1_COLOR, H1_COLOR, L1_COLOR, H1_COLOR, L1_COLOR, H1_COLOR,
            L1_COLOR);
    return close_file(c, g, "strain.gp");
}

/* ------------------------------------------------------------- phases */

static int plot_phases(const plot_ctx *c)
{
    const gw_det_result *h = &c->r->det[0];
    const double df = 1.0 / ((double)h->s->n * h->s->dt);
    int rc = XP_OK;
    FILE *f = open_file(c, "phases.dat", &rc);
    if (!f)
        return rc;
    fprintf(f, "# f (Hz)  H1 rfft phase (rad) without window, with Tukey(1/8) window\n");
    for (int64_t k = 0; k < h->nph && (double)k * df <= 500; k++)
        fprintf(f, "%.5f %.5f %.5f\n", (double)k * df, h->ph_raw[k], h->ph_win[k]);
    if ((rc = close_file(c, f, "phases.dat")))
        return rc;
    FILE *g = open_file(c, "phases.gp", &rc);
    if (!g)
        return rc;
    preamble(c, g, "phases.png", 1000, 750);
    fprintf(g,
            "set multiplot layout 2,1 title 'GW150914%s: Fourier phases of 32 s of H1 strain'\n"
            "set xlabel 'frequency (Hz)'\nset ylabel 'phase (rad)'\n"
            "set xrange [200:204]\nset yrange [-3.3:3.3]\nset ytics ('-{/Symbol p}' -pi, 0, '{/Symbol p}' pi)\n"
            "set grid\n"
            "set title 'no window: the jump between the ends leaks into every bin, "
            "the phases line up'\n"
            "plot 'phases.dat' u 1:2 w lp pt 7 ps 0.5 lc rgb '%s' notitle\n"
            "set title 'Tukey(1/8) window: the noise''s own random phases'\n"
            "plot 'phases.dat' u 1:3 w lp pt 7 ps 0.5 lc rgb '%s' notitle\n"
            "unset multiplot\n",
            c->tag, H1_COLOR, H1_COLOR);
    return close_file(c, g, "phases.gp");
}

/* --------------------------------------------------------------- Fig. 1 */

static int plot_fig1(const plot_ctx *c)
{
    const gw_det_result *h = &c->r->det[0], *l = &c->r->det[1];
    const gw_strain *s = h->s;
    const gw_dataset *d = c->r->d;
    int rc = XP_OK;
    FILE *f = open_file(c, "fig1.dat", &rc);
    if (!f)
        return rc;
    fprintf(f, "# t (s from GPS 1126259462)  H1, L1: Fig. 1 filtered strain x 1e21\n");
    for (int64_t j = 0; j < s->n; j++) {
        double t = rel(s, j);
        if (t >= 0.2 && t <= 0.5)
            fprintf(f, "%.6f %.6e %.6e\n", t, h->fig1[j] * 1e21, l->fig1[j] * 1e21);
    }
    if ((rc = close_file(c, f, "fig1.dat")))
        return rc;
    FILE *g = open_file(c, "fig1.gp", &rc);
    if (!g)
        return rc;
    preamble(c, g, "fig1.png", 1300, 500);
    fprintf(g, "delay = %.6f   # s: H1 - L1, measured by the matched filter\n",
            c->r->delay_ms * 1e-3);
    fprintf(g,
            "set multiplot layout 1,2 title 'GW150914%s: the paper''s Fig. 1 "
            "(35-350 Hz band-pass, line notches)'\n"
            "set xrange [0.25:0.46]\nset yrange [-1.6:1.2]\n"
            "set xlabel 'time (s) from GPS 1126259462'\nset ylabel 'strain (10^{-21})'\n"
            "set grid\nset key bottom center horizontal\n",
            c->tag);
    char abs_dir[PATH_MAX];
    if (d->fig1_dir[0] && !realpath(d->fig1_dir, abs_dir))
        snprintf(abs_dir, sizeof abs_dir, "%s", d->fig1_dir);
    if (d->fig1_dir[0])
        fprintf(g,
                "published_H = '%s/fig1-observed-H.txt'\n"
                "published_L = '%s/fig1-observed-L.txt'\n"
                "set title 'Hanford, Washington (H1)'\n"
                "plot published_H u 1:2 w l lw 3 lc rgb '#c0c0c0' t 'published', \\\n"
                "     'fig1.dat' u 1:2 w l lw 1.2 lc rgb '%s' t 'H1 (this program)'\n"
                "set title sprintf('Livingston, Louisiana (L1); H1 shifted %%.1f ms, inverted', delay*1e3)\n"
                "plot published_L u 1:2 w l lw 3 lc rgb '#c0c0c0' t 'published', \\\n"
                "     'fig1.dat' u 1:3 w l lw 1.2 lc rgb '%s' t 'L1', \\\n"
                "     '' u ($1-delay):(-$2) w l lw 1 lc rgb '%s' t 'H1 shifted, inverted'\n",
                abs_dir, abs_dir, H1_COLOR, L1_COLOR, H1_COLOR);
    else
        fprintf(g,
                "set title 'Hanford, Washington (H1)'\n"
                "plot 'fig1.dat' u 1:2 w l lw 1.2 lc rgb '%s' t 'H1'\n"
                "set title sprintf('Livingston, Louisiana (L1); H1 shifted %%.1f ms, inverted', delay*1e3)\n"
                "plot 'fig1.dat' u 1:3 w l lw 1.2 lc rgb '%s' t 'L1', \\\n"
                "     '' u ($1-delay):(-$2) w l lw 1 lc rgb '%s' t 'H1 shifted, inverted'\n",
                H1_COLOR, L1_COLOR, H1_COLOR);
    fprintf(g, "unset multiplot\n");
    return close_file(c, g, "fig1.gp");
}

/* --------------------------------------------------------- spectrogram */

static int plot_spectrogram(const plot_ctx *c)
{
    int rc = XP_OK;
    const double t_ev = GW_T_EVENT - GW_GPS_REF, norm = GW_FS / 2;
    for (int i = 0; i < GW_NDET && rc == XP_OK; i++) {
        const gw_det_result *e = &c->r->det[i];
        char name[64];
        snprintf(name, sizeof name, "spectrogram_%s.dat", e->s->name);
        FILE *f = open_file(c, name, &rc);
        if (!f)
            return rc;
        fprintf(f, "# t (s from GPS 1126259462.42)  f (Hz)  PSD of whitened strain x fs/2 "
                   "(1 for white noise)\n");
        for (int64_t j = 0; j < e->sg_nt; j++) {
            double t = e->sg_t[j] - t_ev;
            if (t < -0.6 || t > 0.6)
                continue;
            for (int64_t k = 0; k < e->sg_nf && e->sg_f[k] <= 520; k++)
                fprintf(f, "%.6f %.2f %.5g\n", t, e->sg_f[k], e->sg[k * e->sg_nt + j] * norm);
            fprintf(f, "\n");
        }
        if ((rc = close_file(c, f, name)))
            return rc;
    }
    FILE *g = open_file(c, "spectrogram.gp", &rc);
    if (!g)
        return rc;
    preamble(c, g, "spectrogram.png", 1200, 520);
    fprintf(g,
            "set multiplot layout 1,2 title 'GW150914%s: spectrograms of the whitened strain "
            "(1/8 s Blackman, 15/16 overlap)'\n"
            "set xrange [-0.5:0.5]\nset yrange [0:500]\nset cbrange [0:25]\n"
            "set xlabel 'time (s) from GPS 1126259462.42'\nset ylabel 'frequency (Hz)'\n"
            "set cblabel 'power / white-noise power'\n"
            "set palette defined (0 '#000033', 3 '#1f3c88', 8 '#2ca25f', 15 '#fee08b', 25 '#ffffff')\n"
            "set title 'H1'\nplot 'spectrogram_H1.dat' u 1:2:3 w image notitle\n"
            "set title 'L1'\nplot 'spectrogram_L1.dat' u 1:2:3 w image notitle\n"
            "unset multiplot\n",
            c->tag);
    return close_file(c, g, "spectrogram.gp");
}

/* ------------------------------------------------------------------ SNR */

static int plot_snr(const plot_ctx *c)
{
    const gw_det_result *h = &c->r->det[0], *l = &c->r->det[1];
    const gw_strain *s = h->s;
    int rc = XP_OK;
    FILE *f = open_file(c, "snr.dat", &rc);
    if (!f)
        return rc;
    /* the t = 0 times of both series are shifted alike (same waveform) */
    double shift = h->peak.t_gps - (s->t0 + (double)h->peak.index * s->dt);
    fprintf(f, "# t (s from GPS 1126259462) of the waveform's t = 0  |SNR| H1, L1\n");
    for (int64_t j = 0; j < s->n; j++) {
        double a = hypot(h->snr[2 * j], h->snr[2 * j + 1]);
        double b = hypot(l->snr[2 * j], l->snr[2 * j + 1]);
        fprintf(f, "%.6f %.5g %.5g\n", rel(s, j) + shift, a, b);
    }
    if ((rc = close_file(c, f, "snr.dat")))
        return rc;
    FILE *g = open_file(c, "snr.gp", &rc);
    if (!g)
        return rc;
    preamble(c, g, "snr.png", 1000, 750);
    fprintf(g,
            "tH = %.6f; tL = %.6f; sH = %.3f; sL = %.3f\n"
            "set multiplot layout 2,1 title 'GW150914%s: matched filter against the "
            "waveform'\n"
            "set xlabel 'time (s) from GPS 1126259462'\nset ylabel '|SNR|'\n"
            "set grid\nset key top left\n"
            "set title 'the whole 32 s'\nset xrange [-16:16]\n"
            "plot 'snr.dat' u 1:2 w l lc rgb '%s' t 'H1', '' u 1:3 w l lc rgb '%s' t 'L1'\n"
            "set title sprintf('around the peaks: H1 %%.1f at %%.4f s, L1 %%.1f at %%.4f s', "
            "sH, tH, sL, tL)\n"
            "set xrange [0.32:0.52]\n"
            "set arrow 1 from tH, graph 0 to tH, graph 1 nohead dt 2 lc rgb '%s'\n"
            "set arrow 2 from tL, graph 0 to tL, graph 1 nohead dt 2 lc rgb '%s'\n"
            "plot 'snr.dat' u 1:2 w l lw 1.5 lc rgb '%s' t 'H1', '' u 1:3 w l lw 1.5 lc rgb '%s' t 'L1'\n"
            "unset multiplot\n",
            h->peak.t_gps - GW_GPS_REF, l->peak.t_gps - GW_GPS_REF, h->peak.snr, l->peak.snr,
            c->tag, H1_COLOR, L1_COLOR, H1_COLOR, L1_COLOR, H1_COLOR, L1_COLOR);
    return close_file(c, g, "snr.gp");
}

/* ---------------------------------------------------------------- run */

/* dir quoted for sh. */
static void quote(const char *s, char *out, size_t len)
{
    size_t k = 0;
    if (len < 3)
        return;
    out[k++] = '\'';
    for (; *s && k + 6 < len; s++) {
        if (*s == '\'') {
            memcpy(out + k, "'\\''", 4);
            k += 4;
        } else
            out[k++] = *s;
    }
    out[k++] = '\'';
    out[k] = 0;
}

static const char *terminal(void)
{
    if (system("gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1") == 0)
        return "pngcairo";
    if (system("gnuplot -e 'set terminal png' >/dev/null 2>&1") == 0)
        return "png";
    return NULL;
}

int gw_plots(const char *dir, const gw_results *r, FILE *log, int *drawn)
{
    static const char *const names[] = {"asd", "strain", "phases", "fig1", "spectrogram",
                                        "snr"};
    int (*const write[])(const plot_ctx *) = {plot_asd, plot_strain, plot_phases, plot_fig1,
                                               plot_spectrogram, plot_snr};
    plot_ctx c = {dir, r, terminal(), r->d->synthetic ? " (SYNTHETIC data)" : ""};
    *drawn = 0;
    if (!c.term) {
        if (log)
            fprintf(log, "gnuplot with a png terminal not found: no plots drawn\n");
        return XP_OK;
    }
    char qdir[4200], cmd[4400];
    quote(dir, qdir, sizeof qdir);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int rc = write[i](&c);
        if (rc)
            return rc;
        snprintf(cmd, sizeof cmd, "cd %s && gnuplot %s.gp", qdir, names[i]);
        if (system(cmd) != 0)
            return xp_error(XP_EIO, "%s/%s.gp: gnuplot failed", dir, names[i]);
        if (log)
            fprintf(log, "  %s/%s.png\n", dir, names[i]);
    }
    *drawn = 1;
    return XP_OK;
}
