/* synth.c -- a stand-in for the GWOSC files when they are not at hand.
 *
 * 32 s at 4096 Hz per detector, from a seed: Gaussian noise coloured by an
 * analytic Advanced-LIGO-like ASD (Ajith's fit to the zero-detuned high-
 * power design curve, arXiv:1107.1267, scaled up to O1's level), power
 * lines at 60, 120 and 180 Hz, violin modes near 500 Hz, and a chirp: a
 * Newtonian inspiral of chirp mass 30 Msun up to 250 Hz followed by a
 * ringdown.  The chirp's t = 0 (its peak) is injected at GPS
 * 1126259462.420 in H1 and 7 ms earlier, inverted, in L1, scaled to SNRs
 * of 20 and 15; the same chirp is the matched filter's template. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gw150914.h"

#define T_START 1126259446.0
#define DURATION 32.0
#define INJ_H1 1126259462.420
#define DELAY_L1 0.0070
#define SNR_H1 20.0
#define SNR_L1 15.0

/* Chirp: Newtonian inspiral from F_START to F_PEAK, then a ringdown. */
#define MCHIRP_S (30.0 * 4.925490947e-6)    /* G Mc / c^3, s */
#define F_START 25.0
#define F_PEAK 250.0
#define TAU_RD 0.004
#define TAPER 0.05                          /* s of cosine ramp at the start */

double gw_synth_asd(double f)
{
    const double S0 = 1e-49, f0 = 215.0, level = 3.0;
    double x = (f < 5.0 ? 5.0 : f) / f0, x2 = x * x;
    double S = S0 * (pow(x, -4.14) - 5.0 / x2 + 111.0 * (1 - x2 + x2 * x2 / 2) / (1 + x2 / 2));
    return level * sqrt(S);
}

/* xorshift64* and Box-Muller: reproducible on every platform. */
static uint64_t next_u64(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static double uniform(uint64_t *s)     /* (0, 1) */
{
    return ((double)(next_u64(s) >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(uint64_t *s)
{
    double u = uniform(s), v = uniform(s);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* Time to coalescence at GW frequency f, and the phase at that time. */
static double tau_of_f(double f)
{
    return 5.0 / 256.0 * pow(MCHIRP_S, -5.0 / 3) * pow(M_PI * f, -8.0 / 3);
}

static double phase_of_tau(double tau)
{
    return -2 * pow(tau / (5 * MCHIRP_S), 5.0 / 8);
}

/* The chirp at time t from its peak, unit amplitude at the peak. */
static double chirp(double t)
{
    const double tau_p = tau_of_f(F_PEAK), t_start = -(tau_of_f(F_START) - tau_p);
    const double phi_p = phase_of_tau(tau_p);
    if (t < t_start || t > 12 * TAU_RD)
        return 0;
    if (t > 0)
        return exp(-t / TAU_RD) * cos(phi_p + 2 * M_PI * F_PEAK * t);
    double tau = tau_p - t;
    double f = pow(5.0 / (256 * tau), 3.0 / 8) * pow(MCHIRP_S, -5.0 / 8) / M_PI;
    double a = pow(f / F_PEAK, 2.0 / 3);
    if (t - t_start < TAPER)
        a *= 0.5 * (1 - cos(M_PI * (t - t_start) / TAPER));
    return a * cos(phase_of_tau(tau));
}

static int make_template(double dt, gw_waveform *w)
{
    const double t_start = -(tau_of_f(F_START) - tau_of_f(F_PEAK));
    int64_t k0 = (int64_t)floor(t_start / dt), k1 = (int64_t)ceil(12 * TAU_RD / dt);
    w->n = k1 - k0 + 1;
    w->t = malloc((size_t)w->n * sizeof *w->t);
    w->h = malloc((size_t)w->n * sizeof *w->h);
    if (!w->t || !w->h)
        return xp_error(XP_ENOMEM, "gw_synthesize: out of memory");
    for (int64_t k = 0; k < w->n; k++) {
        w->t[k] = (double)(k + k0) * dt;
        w->h[k] = chirp(w->t[k]);
    }
    return XP_OK;
}

/* sqrt(4 sum |H(f)|^2 / S(f) df): the chirp's optimal SNR at unit
 * amplitude in the analytic noise, computed on p. */
static int optimal_snr(const xp_provider *p, const gw_waveform *w, double dt, int64_t n,
                       double *snr)
{
    const int64_t nf = n / 2 + 1;
    double *v = calloc((size_t)n, sizeof *v);
    xp_array *h = NULL, *H = NULL, *H2 = NULL, *S = NULL;
    double sum = 0;
    if (!v)
        return xp_error(XP_ENOMEM, "gw_synthesize: out of memory");
    memcpy(v, w->h, (size_t)w->n * sizeof *v);
    int rc = gw_upload(p, v, n, &h);
    for (int64_t k = 0; k < nf; k++) {
        double a = gw_synth_asd((double)k / ((double)n * dt));
        v[k] = k == 0 ? INFINITY : a * a;   /* no DC */
    }
    if (rc == XP_OK)
        rc = gw_upload(p, v, nf, &S);
    free(v);
    if (rc == XP_OK)
        rc = xps_rfft(h, 0, -1, &H);
    if (rc == XP_OK)
        rc = xp_array_empty(p, XP_FLOAT64, 1, &nf, &H2);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_ABS2, H, H2);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_DIV, H2, S, H2);
    if (rc == XP_OK)
        rc = gw_sum(H2, &sum);
    /* |H(f)|^2 = |rfft|^2 dt^2, df = 1 / (n dt) */
    *snr = sqrt(4 * sum * dt * dt / ((double)n * dt));
    xp_array_free(h);
    xp_array_free(H);
    xp_array_free(H2);
    xp_array_free(S);
    return rc;
}

/* White Gaussian noise coloured on p: irfft(rfft(w) * ASD(f) sqrt(fs / 2))
 * has the one-sided PSD ASD^2. */
static int colored_noise(const xp_provider *p, uint64_t seed, int64_t n, double dt,
                         double *out)
{
    const int64_t nf = n / 2 + 1;
    double *v = malloc((size_t)n * sizeof *v);
    xp_array *w = NULL, *W = NULL, *amp = NULL, *x = NULL;
    if (!v)
        return xp_error(XP_ENOMEM, "gw_synthesize: out of memory");
    for (int64_t i = 0; i < n; i++)
        v[i] = gauss(&seed);
    int rc = gw_upload(p, v, n, &w);
    for (int64_t k = 0; k < nf; k++)
        v[k] = gw_synth_asd((double)k / ((double)n * dt)) * sqrt(0.5 / dt);
    if (rc == XP_OK)
        rc = gw_upload(p, v, nf, &amp);
    free(v);
    if (rc == XP_OK)
        rc = xps_rfft(w, 0, -1, &W);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_MUL, W, amp, W);
    if (rc == XP_OK)
        rc = xps_irfft(W, n, -1, &x);
    if (rc == XP_OK)
        rc = xp_array_to_host(x, out, (size_t)n * sizeof *out);
    xp_array_free(w);
    xp_array_free(W);
    xp_array_free(amp);
    xp_array_free(x);
    return rc;
}

/* Lines: frequency (Hz) and amplitude (strain). */
static const double lines[][2] = {
    {60.0, 1.0e-21}, {120.0, 3.0e-22}, {180.0, 3.0e-22},
    {500.2, 1.0e-21}, {502.6, 6.0e-22}, {504.8, 8.0e-22}};

int gw_synthesize(const xp_provider *p, uint64_t seed, gw_dataset *d)
{
    const double dt = 1.0 / GW_FS;
    const int64_t n = (int64_t)(DURATION * GW_FS);
    const char *names[GW_NDET] = {"H1", "L1"};
    const double t_inj[GW_NDET] = {INJ_H1, INJ_H1 - DELAY_L1};
    const double sign[GW_NDET] = {1, -1}, target[GW_NDET] = {SNR_H1, SNR_L1};
    double unit_snr = 0;
    memset(d, 0, sizeof *d);
    d->synthetic = 1;
    int rc = make_template(dt, &d->wave);
    if (rc == XP_OK)
        rc = optimal_snr(p, &d->wave, dt, n, &unit_snr);
    for (int i = 0; rc == XP_OK && i < GW_NDET; i++) {
        gw_strain *s = &d->det[i];
        uint64_t st = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i + 1;
        snprintf(s->name, sizeof s->name, "%s", names[i]);
        s->t0 = T_START;
        s->dt = dt;
        s->n = n;
        if (!(s->h = malloc((size_t)n * sizeof *s->h))) {
            rc = xp_error(XP_ENOMEM, "gw_synthesize: out of memory");
            break;
        }
        if ((rc = colored_noise(p, st, n, dt, s->h)))
            break;
        double ph[sizeof lines / sizeof lines[0]];
        for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++)
            ph[l] = 2 * M_PI * uniform(&st);
        double amp = sign[i] * target[i] / unit_snr;
        d->inj_gps[i] = t_inj[i];
        for (int64_t j = 0; j < n; j++) {
            double t = (double)j * dt;
            for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++)
                s->h[j] += lines[l][1] * sin(2 * M_PI * lines[l][0] * t + ph[l]);
            s->h[j] += amp * chirp(T_START + t - t_inj[i]);
        }
    }
    if (rc)
        gw_dataset_clear(d);
    return rc;
}
