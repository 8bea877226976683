/* textout.c -- the results as columns of text, one file per detector:
 *   asd_H1.txt     frequency (Hz), ASD (strain/rtHz): Welch, mean average
 *   asd_mm_H1.txt  the same with the median-mean average
 *   fig1_H1.txt    time (s from GPS 1126259462), Fig. 1 filtered strain x 1e21
 *   snr_H1.txt     GPS time of the waveform's t = 0, |SNR|, Re SNR, Im SNR
 * Each starts with '#' lines saying what it holds and whether the data
 * were synthetic. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "gw150914.h"

#define FIG1_FROM 0.0       /* s from GW_GPS_REF: covers the paper's 0.25-0.46 */
#define FIG1_TO 0.6

static int open_out(const char *dir, const char *stem, const gw_results *r, int i,
                    const char *what, FILE **f, char *path, size_t len)
{
    const gw_dataset *d = r->d;
    snprintf(path, len, "%s/%s_%s.txt", dir, stem, d->det[i].name);
    if (!(*f = fopen(path, "w")))
        return xp_error(XP_EIO, "%s: %s", path, strerror(errno));
    if (d->synthetic)
        fprintf(*f, "# SYNTHETIC stream (not LIGO data): %s %s, provider %s\n",
                d->det[i].name, what, r->provider);
    else
        fprintf(*f, "# GW150914, LIGO %s (GWOSC): %s, provider %s\n", d->det[i].name, what,
                r->provider);
    return XP_OK;
}

static int close_out(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return xp_error(XP_EIO, "%s: write error", path);
    return XP_OK;
}

static int write_asd(const char *dir, const gw_results *r, int i, int mm)
{
    const gw_det_result *e = &r->det[i];
    const double *psd = mm ? e->psd_mm : e->psd;
    char path[2048];
    FILE *f;
    int rc = open_out(dir, mm ? "asd_mm" : "asd", r, i,
                      mm ? "ASD, Welch 4 s symmetric Tukey(0.25), median-mean average"
                         : "ASD, Welch 4 s symmetric Tukey(0.25), mean average",
                      &f, path, sizeof path);
    if (rc)
        return rc;
    fprintf(f, "# frequency (Hz)  ASD (strain/rtHz)\n");
    for (int64_t k = 0; k < e->nf; k++)
        fprintf(f, "%.2f %.12e\n", e->f[k], sqrt(psd[k]));
    return close_out(f, path);
}

static int write_fig1(const char *dir, const gw_results *r, int i)
{
    const gw_det_result *e = &r->det[i];
    const gw_strain *s = e->s;
    char path[2048];
    FILE *f;
    int rc = open_out(dir, "fig1", r, i, "Fig. 1 filter (35-350 Hz band-pass and notches)",
                      &f, path, sizeof path);
    if (rc)
        return rc;
    fprintf(f, "# time (s from GPS 1126259462)  strain x 1e21\n");
    for (int64_t j = 0; j < s->n; j++) {
        double t = (s->t0 - GW_GPS_REF) + (double)j * s->dt;
        if (t >= FIG1_FROM - 1e-9 && t <= FIG1_TO + 1e-9)
            fprintf(f, "%.12f %.12e\n", t, e->fig1[j] * 1e21);
    }
    return close_out(f, path);
}

static int write_snr(const char *dir, const gw_results *r, int i)
{
    const gw_det_result *e = &r->det[i];
    const gw_strain *s = e->s;
    /* sample j: the waveform's t = 0 at t0 + j dt + (t_peak - sample time) */
    double shift = e->peak.t_gps - (s->t0 + (double)e->peak.index * s->dt);
    char path[2048];
    FILE *f;
    int rc = open_out(dir, "snr", r, i, "matched-filter SNR against the waveform", &f, path,
                      sizeof path);
    if (rc)
        return rc;
    fprintf(f, "# peak: SNR %.4f at GPS %.6f\n", e->peak.snr, e->peak.t_gps);
    fprintf(f, "# GPS time of the waveform's t = 0 (s)  |SNR|  Re SNR  Im SNR\n");
    for (int64_t j = 0; j < s->n; j++) {
        double re = e->snr[2 * j], im = e->snr[2 * j + 1];
        fprintf(f, "%.6f %.6g %.6g %.6g\n", s->t0 + (double)j * s->dt + shift, hypot(re, im),
                re, im);
    }
    return close_out(f, path);
}

int gw_write_text(const char *dir, const gw_results *r)
{
    int rc = XP_OK;
    for (int i = 0; rc == XP_OK && i < GW_NDET; i++) {
        rc = write_asd(dir, r, i, 0);
        if (rc == XP_OK)
            rc = write_asd(dir, r, i, 1);
        if (rc == XP_OK)
            rc = write_fig1(dir, r, i);
        if (rc == XP_OK)
            rc = write_snr(dir, r, i);
    }
    return rc;
}
