/*
 * istft.c -- scipy.signal.istft: the inverse of stft by weighted
 * overlap-add.  Each segment's inverse FFT, cut to nperseg, is scaled back
 * (sum(w), or sqrt(fs sum(w^2)) for psd), windowed again and added at its
 * place; the sum of the squared windows over the same places divides the
 * result out where it is not tiny (made on the host: it depends on the
 * window alone, and repeats every step in the middle).
 *
 * Segments are inverted a block at a time into a buffer of a few MB and
 * added straight into the result, so nothing signal-sized exists beside
 * it.  A block's overlap-add is m = ceil(nperseg / step) additions: its
 * segments g, g + m, g + 2m, ... never overlap one another, so they are
 * one strided view of the result, added in place; the few reaching into
 * the samples boundary cuts off are clipped one by one.
 */
#include <math.h>
#include <string.h>
#include "spectral.h"

XP__STRUCT_DESC(istft_desc, xps_istft_options, scaling,
                "initialize it with xps_istft_options_init");

void xps_istft_options_init(xps_istft_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->size = sizeof *opt;
    opt->fs = 1.0;
    xps_window_spec_init(&opt->window);
    strcpy(opt->window.name, "hann");
    opt->nperseg = 0;
    opt->noverlap = -1;
    opt->nfft = 0;
    opt->input_onesided = 1;
    opt->boundary = 1;
    opt->time_axis = -1;
    opt->freq_axis = -2;
    opt->scaling = XPS_SCALING_SPECTRUM;
}

int xps_istft_options_init_sized(xps_istft_options *opt, size_t size)
{
    xps_istft_options d;
    xps_istft_options_init(&d);
    return xp__struct_init("xps_istft_options_init_sized", &istft_desc, &d, opt, size);
}

/* What the checks settle: the axes and the segment geometry. */
typedef struct {
    int tax, fax;               /* time and frequency axes of Zxx */
    int64_t nseg, nfreq, nperseg, noverlap, step, nfft, outlen, cut, len;
} geometry;

static int check_options(const xps_istft_options *caller, xps_istft_options *o)
{
    int rc;
    if (!caller)
        return xp_error(XP_EINVAL, "istft: options are NULL");
    xps_istft_options_init(o);
    if ((rc = xp__struct_in("istft", "options", &istft_desc, caller, o)))
        return rc;
    if (o->window.size > sizeof o->window)
        return xp_error(XP_EINVAL, "istft: window.size (%zu) is larger than this library's "
                        "xps_window_spec (%zu), which the options hold by value: "
                        "initialize it with xps_window_spec_init", o->window.size,
                        sizeof o->window);
    xps_window_spec w;
    if ((rc = xps__window_spec_in("istft", "window", &o->window, &w)))
        return rc;
    o->window = w;
    if (!(o->fs > 0) || !isfinite(o->fs))
        return xp_error(XP_EINVAL, "istft: fs (%g) must be a positive finite number", o->fs);
    if (o->nperseg < 0)
        return xp_error(XP_EINVAL, "istft: nperseg (%lld) must be a positive integer",
                        (long long)o->nperseg);
    if (o->noverlap < -1)
        return xp_error(XP_EINVAL, "istft: noverlap (%lld) must be >= 0 (or -1 for the "
                        "default)", (long long)o->noverlap);
    if (o->nfft < 0)
        return xp_error(XP_EINVAL, "istft: nfft (%lld) must be >= 0 (0 for the default)",
                        (long long)o->nfft);
    if ((unsigned)o->scaling > XPS_SCALING_SPECTRUM)
        return xp_error(XP_EINVAL, "istft: scaling (%d) must be spectrum or psd (density)",
                        (int)o->scaling);
    return XP_OK;
}

/* SciPy's defaults and checks, in its order, for Zxx. */
static int resolve(const xp_array *Z, const xps_istft_options *o, geometry *g)
{
    int rc, nd = xp_array_ndim(Z);
    if (nd < 2)
        return xp_error(XP_ESHAPE, "istft: Zxx must have at least 2 dimensions (got %d)", nd);
    if ((rc = xp__axis("istft", o->time_axis, nd, &g->tax))
        || (rc = xp__axis("istft", o->freq_axis, nd, &g->fax)))
        return rc;
    if (g->tax == g->fax)
        return xp_error(XP_EINVAL, "istft: time_axis (%d) and freq_axis (%d) must differ",
                        o->time_axis, o->freq_axis);
    g->nseg = xp_array_dim(Z, g->tax);
    g->nfreq = xp_array_dim(Z, g->fax);
    if (xp_array_size(Z) == 0)
        return xp_error(XP_ESHAPE, "istft: Zxx has no elements");
    int64_t n_default = o->input_onesided ? 2 * (g->nfreq - 1) : g->nfreq;
    g->nperseg = o->nperseg ? o->nperseg : n_default;
    if (g->nperseg < 1)
        return xp_error(XP_EINVAL, "istft: nperseg (%lld, from %lld frequencies) must be a "
                        "positive integer", (long long)g->nperseg, (long long)g->nfreq);
    if (o->nfft == 0)
        g->nfft = o->input_onesided && g->nperseg == n_default + 1 ? g->nperseg : n_default;
    else
        g->nfft = o->nfft;
    /* SciPy checks only a given nfft, and inverts garbage when its default
     * (from Zxx's frequencies) is shorter than nperseg; that is an error here */
    if (g->nfft < g->nperseg && o->nfft == 0)
        return xp_error(XP_EINVAL, "istft: nfft (%lld, the default from Zxx's %lld "
                        "frequencies) must be greater than or equal to nperseg (%lld)",
                        (long long)g->nfft, (long long)g->nfreq, (long long)g->nperseg);
    if (g->nfft < g->nperseg)
        return xp_error(XP_EINVAL, "istft: nfft (%lld) must be greater than or equal to "
                        "nperseg (%lld)", (long long)g->nfft, (long long)g->nperseg);
    g->noverlap = o->noverlap >= 0 ? o->noverlap : g->nperseg / 2;
    if (g->noverlap >= g->nperseg)
        return xp_error(XP_EINVAL, "istft: noverlap (%lld) must be less than nperseg (%lld)",
                        (long long)g->noverlap, (long long)g->nperseg);
    g->step = g->nperseg - g->noverlap;
    g->outlen = g->nperseg + (g->nseg - 1) * g->step;
    /* SciPy cuts x[..., nperseg//2 : -(nperseg//2)], which is empty when
     * nperseg is 1 */
    int64_t h = g->nperseg / 2;
    g->cut = o->boundary ? h : 0;
    g->len = !o->boundary ? g->outlen : h ? g->outlen - 2 * h : 0;
    return XP_OK;
}

/* Zxx seen as [batch..., nseg, nfreq]. */
static int segments_last(const xp_array *Z, const geometry *g, xp_array **out)
{
    const DLTensor *t = xp_array_dltensor(Z);
    int nd = t->ndim, k = 0;
    int64_t shape[XP_MAX_NDIM], strides[XP_MAX_NDIM];
    for (int d = 0; d < nd; d++)
        if (d != g->tax && d != g->fax) {
            shape[k] = t->shape[d];
            strides[k++] = t->strides[d];
        }
    shape[k] = t->shape[g->tax];
    strides[k++] = t->strides[g->tax];
    shape[k] = t->shape[g->fax];
    strides[k++] = t->strides[g->fax];
    return xp__view(Z, nd, shape, strides, 0, out);
}

/* The sum of w^2 over the segments covering output sample pos, added in
 * segment order as SciPy does. */
static double window_sum2(const geometry *g, const double *w, int64_t pos)
{
    int64_t first = pos < g->nperseg ? 0 : (pos - g->nperseg) / g->step + 1;
    int64_t last = pos / g->step < g->nseg - 1 ? pos / g->step : g->nseg - 1;
    double v = 0;
    for (int64_t i = first; i <= last; i++)
        v += w[pos - i * g->step] * w[pos - i * g->step];
    return v;
}

/* R [batch..., len] (the kept samples: R's k is output sample cut + k)
 * += ys [batch..., count, n]: frame c at R's samples at + c stride. */
static int add_frames(const xp_array *R, int64_t at, int64_t stride, const xp_array *ys)
{
    int nd = xp_array_ndim(ys);
    int64_t count = xp_array_dim(ys, nd - 2), n = xp_array_dim(ys, nd - 1);
    xp_array *rs = NULL, *rf = NULL;
    int rc = xp__view_slice(R, nd - 2, at, (count - 1) * stride + n, 1, &rs);
    if (rc == XP_OK)
        rc = xp__view_frames(rs, n, stride, count, &rf);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_ADD, rf, ys, rf);
    xp_array_free(rs);
    xp_array_free(rf);
    return rc;
}

/* R += row j of Y [batch..., nb, nperseg], which is segment i, cut to the
 * kept samples. */
static int add_clipped(const geometry *g, const xp_array *Y, int64_t j, int64_t i,
                       const xp_array *R)
{
    int nd = xp_array_ndim(Y);
    int64_t at = i * g->step - g->cut, lo = at < 0 ? -at : 0;
    int64_t hi = g->len - at < g->nperseg ? g->len - at : g->nperseg;
    if (lo >= hi)
        return XP_OK;
    xp_array *y1 = NULL, *ys = NULL;
    int rc = xp__view_slice(Y, nd - 2, j, 1, 1, &y1);
    if (rc == XP_OK)
        rc = xp__view_slice(y1, nd - 1, lo, hi - lo, 1, &ys);
    if (rc == XP_OK)
        rc = add_frames(R, at + lo, hi - lo, ys);
    xp_array_free(y1);
    xp_array_free(ys);
    return rc;
}

/* R [batch..., len] += the windowed segments Y [batch..., nb, nperseg],
 * which are segments s0 .. s0 + nb - 1, at their places.  In pass k the
 * segments s0 + k, s0 + k + m, ... do not overlap: those wholly among the
 * kept samples are one strided view of R, added at once; the few that
 * reach past them (stft's extension, cut off again) are clipped one by
 * one. */
static int overlap_add(const geometry *g, const xp_array *Y, int64_t s0, const xp_array *R)
{
    int nd = xp_array_ndim(Y);
    int64_t st = g->step, m = (g->nperseg + st - 1) / st, nb = xp_array_dim(Y, nd - 2);
    /* the segments wholly kept: i_lo <= i <= i_hi */
    int64_t i_lo = (g->cut + st - 1) / st;
    int64_t i_hi = g->cut + g->len >= g->nperseg ? (g->cut + g->len - g->nperseg) / st : -1;
    int rc = XP_OK;
    for (int64_t k = 0; rc == XP_OK && k < m && k < nb; k++) {
        int64_t first = s0 + k, count = (nb - k + m - 1) / m;
        int64_t jl = i_lo <= first ? 0 : (i_lo - first + m - 1) / m;
        int64_t jh = i_hi < first ? -1 : (i_hi - first) / m;
        if (jh > count - 1)
            jh = count - 1;
        if (jl <= jh) {
            xp_array *ys = NULL;
            rc = xp__view_slice(Y, nd - 2, k + jl * m, jh - jl + 1, m, &ys);
            if (rc == XP_OK)
                rc = add_frames(R, (first + jl * m) * st - g->cut, m * st, ys);
            xp_array_free(ys);
        }
        for (int64_t j = 0; rc == XP_OK && j < count; j++)
            if (j < jl || j > jh)
                rc = add_clipped(g, Y, k + j * m, first + j * m, R);
    }
    return rc;
}

/* Host values v[n] as a 1-D array of dtype on p (complex with zero
 * imaginary parts for complex data, as numpy casts). */
static int upload_row(const xp_provider *p, xp_dtype dt, const double *v, int64_t n,
                      xp_array **row)
{
    xp_array *r64 = NULL;
    int rc = xp_array_from_host(p, XP_FLOAT64, 1, &n, v, &r64);
    if (rc == XP_OK)
        rc = xp_array_astype(r64, dt, row);
    xp_array_free(r64);
    return rc;
}

/* sum(w), or sqrt(fs sum(w^2)) for psd: what undoes stft's scale. */
static double unscale(const xps_istft_options *o, const geometry *g, const double *w)
{
    double sum = 0, sum2 = 0;
    for (int64_t j = 0; j < g->nperseg; j++) {
        sum += w[j];
        sum2 += w[j] * w[j];
    }
    return o->scaling == XPS_SCALING_SPECTRUM ? sum : sqrt(o->fs * sum2);
}

/* Overlap-add of every segment of Zs [batch..., nseg, nfreq] into the
 * kept samples R [batch..., len]: blocks of segments inverse-transformed into F
 * [batch..., B, nfft] and scaled, cut to nperseg, times the window wr,
 * then added at their places. */
static int inverse_segments(const xps_istft_options *o, const geometry *g, const xp_array *Zs,
                            const double *w, const xp_array *wr, const xp_array *F,
                            const xp_array *R)
{
    int nd = xp_array_ndim(Zs);
    int64_t B = xp_array_dim(F, nd - 2), shape[XP_MAX_NDIM];
    double scale = unscale(o, g, w);
    int rc = g->len > 0 ? xp__fill(R, 0, 0) : XP_OK;
    for (int d = 0; d < nd; d++)
        shape[d] = xp_array_dim(F, d);
    shape[nd - 1] = g->nperseg;
    for (int64_t s0 = 0; rc == XP_OK && s0 < g->nseg; s0 += B) {
        int64_t nb = g->nseg - s0 < B ? g->nseg - s0 : B;
        xp_array *Zb = NULL, *Fb = NULL, *Y = NULL, *wb = NULL;
        shape[nd - 2] = nb;
        rc = xp__view_slice(Zs, nd - 2, s0, nb, 1, &Zb);
        if (rc == XP_OK)
            rc = xp__view_slice(F, nd - 2, 0, nb, 1, &Fb);
        /* the inverse FFT's 1/nfft and the scale in one factor: one pass
         * less than SciPy's two products, the same to rounding */
        if (rc == XP_OK)
            rc = xp__fft(o->input_onesided ? XP_FFT_C2R : XP_FFT_C2C_BACKWARD, g->nfft,
                         scale / (double)g->nfft, Zb, Fb);
        if (rc == XP_OK)
            rc = xp__view_slice(Fb, nd - 1, 0, g->nperseg, 1, &Y);
        if (rc == XP_OK)
            rc = xp__view_broadcast(wr, nd, shape, &wb);
        if (rc == XP_OK)
            rc = xp__binary(XP_BINARY_MUL, Y, wb, Y);
        if (rc == XP_OK && g->len > 0)
            rc = overlap_add(g, Y, s0, R);
        xp_array_free(Zb);
        xp_array_free(Fb);
        xp_array_free(Y);
        xp_array_free(wb);
    }
    return rc;
}

/* 1 for a window sum not above 1e-10: SciPy divides by 1 there. */
static double divisor(double v)
{
    return v > 1e-10 ? v : 1.0;
}

/* Output samples [pos0, pos0 + n) of R (R's k is sample cut + k) divided
 * in place by d[n] uploaded as frames [frames, len] of which the divisor
 * is the same in every frame (len = n / frames). */
static int divide_piece(const geometry *g, const xp_array *R, int64_t pos0, int64_t n,
                        int64_t frames, const double *d)
{
    const xp_provider *p = xp_array_provider(R);
    xp_dtype dt = xp_array_dtype(R);
    int nd = xp_array_ndim(R);
    int64_t len = n / frames, shape[XP_MAX_NDIM + 1];
    for (int i = 0; i < nd - 1; i++)
        shape[i] = xp_array_dim(R, i);
    shape[nd - 1] = frames;
    shape[nd] = len;
    xp_array *rs = NULL, *rf = NULL, *dr = NULL, *db = NULL;
    int rc = xp__view_slice(R, nd - 1, pos0 - g->cut, n, 1, &rs);
    if (rc == XP_OK)
        rc = xp__view_frames(rs, len, len, frames, &rf);
    if (rc == XP_OK)
        rc = upload_row(p, dt, d, len, &dr);
    if (rc == XP_OK)
        rc = xp__view_broadcast(dr, nd + 1, shape, &db);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_DIV, rf, db, rf);
    xp_array *tmp[] = {rs, rf, dr, db};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    return rc;
}

/* Samples [pos0, pos1) divided sample by sample (the ends). */
static int divide_direct(const geometry *g, const double *w, const xp_array *R, int64_t pos0,
                         int64_t pos1)
{
    if (pos1 <= pos0)
        return XP_OK;
    double *d = xp__malloc((size_t)(pos1 - pos0) * sizeof *d);
    if (!d)
        return xp_error(XP_ENOMEM, "istft: out of memory for the window sums");
    for (int64_t pos = pos0; pos < pos1; pos++)
        d[pos - pos0] = divisor(window_sum2(g, w, pos));
    int rc = divide_piece(g, R, pos0, pos1 - pos0, 1, d);
    xp__free(d);
    return rc;
}

/* R [batch..., len], the kept samples, divided by the denominator in
 * place.  From the first multiple of step after nperseg to nseg step,
 * every sample is covered by the same window samples as the one a step
 * before it, so there one step of sums (exact: added in the same order)
 * is divided out, repeated; the ends are divided sample by sample.  What
 * is uploaded is O(nperseg), whatever the signal's length. */
static int divide_out(const geometry *g, const double *w, const xp_array *R)
{
    int64_t step = g->step, lo = g->cut, hi = g->cut + g->len;
    int64_t a = (g->nperseg + step - 1) / step * step, b = g->nseg * step;
    if (a < (lo + step - 1) / step * step)
        a = (lo + step - 1) / step * step;
    if (b > hi / step * step)
        b = hi / step * step;
    if (b <= a)
        return divide_direct(g, w, R, lo, hi);
    double *per = xp__malloc((size_t)step * sizeof *per);
    if (!per)
        return xp_error(XP_ENOMEM, "istft: out of memory for the window sums");
    for (int64_t r = 0; r < step; r++)
        per[r] = divisor(window_sum2(g, w, a + r));
    int rc = divide_piece(g, R, a, b - a, (b - a) / step, per);
    xp__free(per);
    if (rc == XP_OK)
        rc = divide_direct(g, w, R, lo, a);
    if (rc == XP_OK)
        rc = divide_direct(g, w, R, b, hi);
    return rc;
}

/* The result x: Zxx's shape without freq_axis, time_axis -> len. */
static int result(const xp_array *Z, const geometry *g, xp_dtype dt, xp_array **x,
                  xp_array **xm)
{
    int nd = xp_array_ndim(Z), k = 0, tpos = g->tax - (g->fax < g->tax);
    int64_t shape[XP_MAX_NDIM];
    for (int d = 0; d < nd; d++)
        if (d != g->fax)
            shape[k++] = d == g->tax ? g->len : xp_array_dim(Z, d);
    int rc = xp_array_empty(xp_array_provider(Z), dt, nd - 1, shape, x);
    if (rc == XP_OK)
        rc = xp__view_axis_last(*x, tpos, xm);
    return rc;
}

/* t [len] float64 on p: k / fs, as numpy's arange(len) / fs, made on the
 * provider (t is as long as the signal). */
static int sample_times(const xp_provider *p, int64_t len, double fs, xp_array **t)
{
    int rc = xp_array_empty(p, XP_FLOAT64, 1, &len, t);
    if (rc == XP_OK && (rc = xps__ramp("istft", p, 0, fs, *t))) {
        xp_array_free(*t);
        *t = NULL;
    }
    return rc;
}

int xps_istft(const xp_array *Zxx, const xps_istft_options *opt, xp_array **t, xp_array **x)
{
    int rc;
    xps_istft_options o;
    geometry g;
    if (!x)
        return xp_error(XP_EINVAL, "istft: output pointer is NULL");
    *x = NULL;
    if (t)
        *t = NULL;
    if ((rc = check_options(opt, &o)))
        return rc;
    if (!Zxx)
        return xp_error(XP_EINVAL, "istft: Zxx is NULL");
    if ((rc = resolve(Zxx, &o, &g)))
        return rc;
    const xp_provider *p = xp_array_provider(Zxx);
    xp_dtype zdt = xp_dtype_complex(xp_array_dtype(Zxx));
    xp_dtype dt = o.input_onesided ? xp_dtype_real(zdt) : zdt;
    double *w = NULL;
    int64_t nperseg = g.nperseg;
    xp_array *Zc = NULL, *Zs = NULL, *F = NULL, *wr = NULL, *res = NULL, *rm = NULL;
    rc = xps__window_values("istft", &o.window, &nperseg, p, &w);
    if (rc == XP_OK && !xp_dtype_is_complex(xp_array_dtype(Zxx)))
        rc = xp_array_astype(Zxx, zdt, &Zc);      /* SciPy: Zxx + 0j */
    if (rc == XP_OK)
        rc = segments_last(Zc ? Zc : Zxx, &g, &Zs);
    /* F [batch..., B, nfft], B segments near 4 MB; the segments are added
     * straight into the result (seen time last: rm) and divided there */
    int nd = xp_array_ndim(Zxx) - 1;
    int64_t fshape[XP_MAX_NDIM], rows = 1;
    for (int d = 0; d < nd - 1; d++) {
        fshape[d] = xp_array_dim(Zs ? Zs : Zxx, d);
        rows *= fshape[d];
    }
    int64_t B = ((int64_t)4 << 20) / (int64_t)xp_dtype_size(dt) / g.nfft / (rows ? rows : 1);
    fshape[nd - 1] = B < 1 ? 1 : B < g.nseg ? B : g.nseg;
    fshape[nd] = g.nfft;
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, nd + 1, fshape, &F);
    if (rc == XP_OK)
        rc = upload_row(p, dt, w, g.nperseg, &wr);
    if (rc == XP_OK)
        rc = result(Zxx, &g, dt, &res, &rm);
    if (rc == XP_OK)
        rc = inverse_segments(&o, &g, Zs, w, wr, F, rm);
    if (rc == XP_OK && g.len > 0)
        rc = divide_out(&g, w, rm);
    if (rc == XP_OK && t)
        rc = sample_times(p, g.len, o.fs, t);
    xp_array *tmp[] = {Zc, Zs, F, wr, rm};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    xp__free(w);
    if (rc) {
        xp_array_free(res);
        return rc;
    }
    *x = res;
    return XP_OK;
}
