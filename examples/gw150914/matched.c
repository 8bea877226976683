/* matched.c -- find the waveform in the noise: the matched filter.
 *
 * The GWOSC tutorial's recipe, with the Welch PSD of the data:
 *     dwindow      = tukey(N, 1/8)                  (symmetric)
 *     data_fft     = fft(data * dwindow) / fs
 *     template_fft = fft(template * dwindow) / fs
 *     power_vec    = interp(|fftfreq(N) fs|, freqs, psd)
 *     optimal      = data_fft * conj(template_fft) / power_vec
 *     optimal_time = 2 ifft(optimal) fs
 *     sigma        = sqrt(|sum(|template_fft|^2 / power_vec) df|)
 *     SNR          = roll(optimal_time / sigma, peaksample)
 * The tutorial's template is complex, h+ + i hx, so |SNR| is maximized over
 * the phase.  The NR waveform has h+ only; its quadrature partner is its
 * Hilbert transform, so we take the analytic template: the spectrum of h+
 * with negative frequencies zeroed and positive ones doubled (what
 * fft(hilbert(h+)) is).  Then sum |template_fft|^2 / power_vec df is the
 * usual one-sided (h|h) and |SNR| the phase-maximized SNR.
 *
 * The waveform is placed in an array of the data's length with its t = 0
 * sample at N/2 (the tutorial's template has its peak in the middle);
 * rolling by N/2 makes SNR[j] the filter output with that sample lined up
 * with data sample j. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gw150914.h"

/* The waveform sample nearest t = 0. */
static int64_t zero_sample(const gw_waveform *w)
{
    int64_t i0 = 0;
    for (int64_t i = 1; i < w->n; i++)
        if (fabs(w->t[i]) < fabs(w->t[i0]))
            i0 = i;
    return i0;
}

/* Host-side arrays that describe the computation: template, window, the
 * analytic mask and |frequency| of every fft bin. */
static int inputs(const xp_provider *p, int64_t n, double fs, const gw_waveform *w,
                  int64_t i0, xp_array **tmpl, xp_array **win, xp_array **mask,
                  xp_array **absf)
{
    double *v = calloc((size_t)n, sizeof *v);
    if (!v)
        return xp_error(XP_ENOMEM, "gw_matched_filter: out of memory");
    const double alpha = 1.0 / 8;
    int64_t s = n / 2 - i0;
    memcpy(v + s, w->h, (size_t)w->n * sizeof *v);
    int rc = gw_upload(p, v, n, tmpl);
    if (rc == XP_OK)
        rc = xps_window("tukey", &alpha, 1, n, 1, v);
    if (rc == XP_OK)
        rc = gw_upload(p, v, n, win);
    for (int64_t k = 0; k < n; k++)     /* fft(hilbert(h)) = fft(h) * this */
        v[k] = k == 0 || 2 * k == n ? 1.0 : 2 * k < n ? 2.0 : 0.0;
    if (rc == XP_OK)
        rc = gw_upload(p, v, n, mask);
    for (int64_t k = 0; k < n; k++)     /* |numpy.fft.fftfreq(n) * fs| */
        v[k] = fabs((double)(2 * k < n ? k : k - n) / (double)n * fs);
    if (rc == XP_OK)
        rc = gw_upload(p, v, n, absf);
    free(v);
    return rc;
}

/* fft(x * win) / fs */
static int windowed_fft(const xp_array *x, const xp_array *win, double fs, xp_array **out)
{
    xp_array *xw = NULL;
    int64_t n = xp_array_dim(x, 0);
    int rc = xp_array_empty(xp_array_provider(x), XP_FLOAT64, 1, &n, &xw);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_MUL, x, win, xw);
    if (rc == XP_OK)
        rc = xps_fft(xw, 0, -1, out);
    if (rc == XP_OK && (rc = gw_affine(*out, 1.0 / fs, 0, *out))) {
        xp_array_free(*out);
        *out = NULL;
    }
    xp_array_free(xw);
    return rc;
}

/* sigma^2 = sum(|T|^2 / power_vec) df */
static int template_norm(const xp_array *T, const xp_array *pv, double df, double *sigma)
{
    xp_array *t2 = NULL;
    int64_t n = xp_array_dim(T, 0);
    double s = 0;
    int rc = xp_array_empty(xp_array_provider(T), XP_FLOAT64, 1, &n, &t2);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_ABS2, T, t2);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_DIV, t2, pv, t2);
    if (rc == XP_OK)
        rc = gw_sum(t2, &s);
    xp_array_free(t2);
    *sigma = sqrt(fabs(s * df));
    return rc;
}

/* out = roll(in, n/2): the two halves swap places (n even). */
static int roll_half(const xp_array *in, xp_array *out)
{
    int64_t n = xp_array_dim(in, 0), h = n / 2;
    xp_array *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    int rc = xp_array_slice(in, 0, 0, h, 1, &a);
    if (rc == XP_OK)
        rc = xp_array_slice(in, 0, h, n - h, 1, &b);
    if (rc == XP_OK)
        rc = xp_array_slice(out, 0, n - h, h, 1, &c);
    if (rc == XP_OK)
        rc = xp_array_slice(out, 0, 0, n - h, 1, &d);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_COPY, a, c);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_COPY, b, d);
    xp_array_free(a);
    xp_array_free(b);
    xp_array_free(c);
    xp_array_free(d);
    return rc;
}

/* The peak of |snr|, found on the host from the provider's |snr|. */
static int find_peak(const xp_array *snr, gw_peak *pk)
{
    xp_array *mag = NULL;
    double *m = NULL, z[2];
    int64_t n = xp_array_dim(snr, 0), j = 0;
    int rc = xp_array_empty(xp_array_provider(snr), XP_FLOAT64, 1, &n, &mag);
    if (rc == XP_OK)
        rc = xp_unary(XP_UNARY_ABS, snr, mag);
    if (rc == XP_OK)
        rc = gw_download(mag, &m);
    xp_array_free(mag);
    if (rc)
        return rc;
    for (int64_t i = 1; i < n; i++)
        if (m[i] > m[j])
            j = i;
    xp_array *v = NULL;
    rc = xp_array_slice(snr, 0, j, 1, 1, &v);
    if (rc == XP_OK)
        rc = xp_array_to_host(v, z, sizeof z);
    xp_array_free(v);
    pk->index = j;
    pk->snr = m[j];
    pk->phase = atan2(z[1], z[0]);
    free(m);
    return rc;
}

int gw_matched_filter(const xp_array *x, double t0, double fs, const xp_array *f,
                      const xp_array *psd, const gw_waveform *w, xp_array **snr,
                      gw_peak *peak)
{
    const xp_provider *p = xp_array_provider(x);
    const int64_t n = xp_array_dim(x, 0);
    const double df = fs / (double)n;
    xp_array *tmpl = NULL, *win = NULL, *mask = NULL, *absf = NULL, *D = NULL, *T = NULL,
             *pv = NULL, *ot = NULL, *res = NULL;
    *snr = NULL;
    memset(peak, 0, sizeof *peak);
    if (n % 2 || w->n < 2 || w->n > n / 2)
        return xp_error(XP_EINVAL, "gw_matched_filter: need an even data length (%lld) at "
                        "least twice the waveform's (%lld)", (long long)n, (long long)w->n);
    const int64_t i0 = zero_sample(w);
    int rc = inputs(p, n, fs, w, i0, &tmpl, &win, &mask, &absf);
    if (rc == XP_OK)
        rc = windowed_fft(x, win, fs, &D);
    if (rc == XP_OK)
        rc = windowed_fft(tmpl, win, fs, &T);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_MUL, T, mask, T);      /* analytic template */
    if (rc == XP_OK)
        rc = xps_interp(absf, f, psd, &pv);
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_MUL_CONJ, D, T, D);    /* optimal, in D */
    if (rc == XP_OK)
        rc = xp_binary(XP_BINARY_DIV, D, pv, D);
    if (rc == XP_OK)
        rc = xps_ifft(D, 0, -1, &ot);
    if (rc == XP_OK)
        rc = template_norm(T, pv, df, &peak->sigma);
    if (rc == XP_OK)
        rc = gw_affine(ot, 2 * fs / peak->sigma, 0, ot);
    if (rc == XP_OK)
        rc = xp_array_empty(p, XP_COMPLEX128, 1, &n, &res);
    if (rc == XP_OK)
        rc = roll_half(ot, res);
    if (rc == XP_OK)
        rc = find_peak(res, peak);
    /* sample j holds the waveform's sample i0 (time t[i0]): its t = 0 is
     * t[i0] earlier */
    peak->t_gps = t0 + (double)peak->index / fs - w->t[i0];
    xp_array_free(tmpl);
    xp_array_free(win);
    xp_array_free(mask);
    xp_array_free(absf);
    xp_array_free(D);
    xp_array_free(T);
    xp_array_free(pv);
    xp_array_free(ot);
    if (rc) {
        xp_array_free(res);
        return rc;
    }
    *snr = res;
    return XP_OK;
}
