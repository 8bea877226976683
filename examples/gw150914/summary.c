/* summary.c -- summary.json: the numbers a reader checks first.
 *   {"H1": {"snr_peak", "t_peak_gps", "asd_100Hz", ...}, "L1": {...},
 *    "delay_ms", "network_snr", "synthetic", ...}
 * t_peak_gps is the GPS time at which the waveform's t = 0 lines up with
 * the data at the SNR peak; delay_ms is t_peak_gps(H1) - t_peak_gps(L1). */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "gw150914.h"

/* ASD at frequency f, linear in the PSD between bins (numpy.interp). */
static double asd_at(const gw_det_result *e, double f)
{
    int64_t k = 1;
    while (k < e->nf - 1 && e->f[k] < f)
        k++;
    double u = (f - e->f[k - 1]) / (e->f[k] - e->f[k - 1]);
    return sqrt(e->psd[k - 1] + u * (e->psd[k] - e->psd[k - 1]));
}

/* A JSON string: the characters JSON needs escaped, escaped. */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

int gw_write_summary(const char *dir, const gw_results *r)
{
    const gw_dataset *d = r->d;
    char path[2048];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return xp_error(XP_EIO, "%s: %s", path, strerror(errno));
    fprintf(f, "{\n  \"event\": \"GW150914\",\n  \"synthetic\": %s,\n",
            d->synthetic ? "true" : "false");
    fprintf(f, "  \"data\": ");
    json_string(f, d->synthetic ? "synthetic stream (seeded): coloured noise, lines, "
                                  "injected chirp" : d->dir);
    fprintf(f, ",\n  \"provider\": ");
    json_string(f, r->provider);
    fprintf(f, ",\n");
    for (int i = 0; i < GW_NDET; i++) {
        const gw_det_result *e = &r->det[i];
        fprintf(f, "  \"%s\": {\"snr_peak\": %.6f, \"t_peak_gps\": %.6f, \"asd_100Hz\": %.6e, "
                "\"phase_rad\": %.6f, \"sigma\": %.6e", d->det[i].name, e->peak.snr,
                e->peak.t_gps, asd_at(e, 100.0), e->peak.phase, e->peak.sigma);
        if (d->synthetic)
            fprintf(f, ", \"injected_gps\": %.6f", d->inj_gps[i]);
        if (!isnan(r->fig1_r[i]))
            fprintf(f, ", \"fig1_r\": %.6f", r->fig1_r[i]);
        fprintf(f, "},\n");
    }
    fprintf(f, "  \"delay_ms\": %.4f,\n  \"network_snr\": %.6f,\n  \"analysis_seconds\": %.3f\n}\n",
            r->delay_ms, r->network_snr, r->seconds);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return xp_error(XP_EIO, "%s: write error", path);
    return XP_OK;
}
