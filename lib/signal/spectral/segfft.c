/*
 * segfft.c -- the segment transformer every spectral estimator runs:
 * copy a block of (overlapping) frames into a contiguous work buffer,
 * detrend each, multiply by the window, FFT; or hand the block to the
 * provider's fused segment_spectra slot where it has one.  Blocks are
 * small so the work stays in cache; buffers are made once and reused for
 * every block.
 */
#include "spectral.h"

int64_t xps__block_frames(int64_t nfft)
{
    /* 1 MB of complex128 frames; divided in turn, so no product overflows */
    int64_t cap = ((int64_t)1 << 20) / 16 / (nfft > 0 ? nfft : 1);
    return cap < 1 ? 1 : cap;
}

void xps__segfft_clear(xps__segfft *g)
{
    xp_array_free(g->window);
    xp_array_free(g->work);
    xp_array_free(g->spec);
    xp_array_free(g->Q);
    xp_array_free(g->coef);
    xp_array_free(g->mean);
    xp_array_free(g->edge);
    g->window = g->work = g->spec = g->Q = g->coef = g->mean = g->edge = NULL;
}

int xps__segfft_init(xps__segfft *g, const xps__spec *s, const xp_provider *p,
                     xp_dtype in_dtype, int64_t cap)
{
    int rc;
    xp_dtype real = xp_dtype_real(in_dtype);
    g->s = s;
    g->p = p;
    g->cap = cap;
    g->spec_dtype = xp_dtype_complex(in_dtype);
    /* two-sided spectra of real input come from a complex transform */
    g->work_dtype = s->onesided ? real : g->spec_dtype;
    g->window = g->work = g->spec = g->Q = g->coef = g->mean = g->edge = NULL;
    int64_t wshape = s->nperseg, work = cap * s->nperseg, spec = cap * s->nfreq;
    int64_t cshape[2] = {cap, 2};
    xp_array *w64 = NULL;
    rc = xp_array_from_host(p, XP_FLOAT64, 1, &wshape, s->win, &w64);
    if (rc == XP_OK)
        rc = xp_array_astype(w64, real, &g->window);
    xp_array_free(w64);
    if (rc == XP_OK)
        rc = xp_array_empty(p, g->spec_dtype, 1, &spec, &g->spec);
    if (rc == XP_OK && !s->onesided && !xp_dtype_is_complex(in_dtype))
        rc = xp_array_empty(p, g->spec_dtype, 1, &cap, &g->edge);
    if (rc) {
        xps__segfft_clear(g);
        return rc;
    }
    /* a provider with the fused slot needs no buffers of ours */
    if (rc == XP_OK && xp__has_segment_spectra(p))
        return XP_OK;
    if (rc == XP_OK)
        rc = xp_array_empty(p, g->work_dtype, 1, &work, &g->work);
    if (rc == XP_OK && s->detrend == XPS_DETREND_LINEAR) {
        rc = xps__detrend_basis(p, g->work_dtype, s->nperseg, &g->Q);
        if (rc == XP_OK)
            rc = xp_array_empty(p, g->work_dtype, 2, cshape, &g->coef);
    }
    if (rc == XP_OK && s->detrend == XPS_DETREND_CONSTANT)
        rc = xp_array_empty(p, g->work_dtype, 1, &cap, &g->mean);
    if (rc)
        xps__segfft_clear(g);
    return rc;
}

/* A C-contiguous view of shape [a, b, c] over the start of buffer buf. */
static int block_view(const xp_array *buf, int64_t a, int64_t b, int64_t c,
                      xp_array **out)
{
    int64_t shape[3] = {a, b, c}, strides[3] = {b * c, c, 1};
    return xp__view(buf, 3, shape, strides, 0, out);
}

/* The provider's fused segment transform over frames [rows, nseg, L]
 * (a view whose segments step by s->step samples) into S. */
static int run_fused(xps__segfft *g, const xp_array *frames, const xp_array *S)
{
    const xps__spec *s = g->s;
    const DLTensor *t = xp_array_dltensor(frames);
    int64_t rows = t->shape[0], nseg = t->shape[1];
    int64_t shape[2] = {rows, (nseg - 1) * s->step + s->nperseg};
    int64_t strides[2] = {t->strides[0], t->strides[2]};
    xp_welch_desc d = {sizeof d, s->nperseg, s->step, nseg, s->nfft, (int)s->detrend,
                       s->onesided};
    xp_array *x = NULL;
    if (nseg > 1 && t->strides[1] != s->step * t->strides[2])
        return xp_error(XP_EINTERNAL, "%s: frames do not step by %lld samples", s->fn,
                        (long long)s->step);
    int rc = xp__view(frames, 2, shape, strides, 0, &x);
    if (rc == XP_OK)
        rc = xp__segment_spectra(&d, x, g->window, S);
    xp_array_free(x);
    return rc;
}

/* SciPy transforms real segments with scipy.fft.fft, which takes the
 * real-input transform and fills each bin k with the conjugate of bin
 * nfft - k, the self-conjugate DC and (even nfft) Nyquist bins included:
 * their imaginary parts come out -0.0, where a complex transform of the
 * same values gives +0.0.  The sign shows in angles (-pi, not pi, for a
 * negative DC) and so in phase unwrapping: conjugated here the same way. */
static int conj_self_conjugate(xps__segfft *g, const xp_array *S)
{
    const xps__spec *s = g->s;
    int64_t rows = xp_array_dim(S, 0), nseg = xp_array_dim(S, 1);
    int64_t shape[3] = {rows, nseg, 1}, strides[3] = {nseg, 1, 1};
    int64_t bins[2] = {0, s->nfft / 2};
    int rc = XP_OK;
    for (int i = 0; rc == XP_OK && i < (s->nfft % 2 == 0 && s->nfft > 1 ? 2 : 1); i++) {
        xp_array *bin = NULL, *tmp = NULL;
        rc = xp__view_slice(S, 2, bins[i], 1, 1, &bin);
        if (rc == XP_OK)
            rc = xp__view(g->edge, 3, shape, strides, 0, &tmp);
        if (rc == XP_OK)        /* unary writes no view of its input: via edge */
            rc = xp__copy(bin, tmp);
        if (rc == XP_OK)
            rc = xp__unary(XP_UNARY_CONJ, tmp, bin);
        xp_array_free(bin);
        xp_array_free(tmp);
    }
    return rc;
}

int xps__segfft_run(xps__segfft *g, const xp_array *frames, xp_array **spectra)
{
    const xps__spec *s = g->s;
    int64_t rows = xp_array_dim(frames, 0), nseg = xp_array_dim(frames, 1);
    int64_t wshape[3] = {rows, nseg, s->nperseg};
    xp_array *W = NULL, *win = NULL, *S = NULL;
    *spectra = NULL;
    if (rows * nseg > g->cap)
        return xp_error(XP_EINTERNAL, "%s: block of %lld frames exceeds %lld", s->fn,
                        (long long)(rows * nseg), (long long)g->cap);
    if (xp__has_segment_spectra(g->p)) {
        int rc = block_view(g->spec, rows, nseg, s->nfreq, &S);
        if (rc == XP_OK)
            rc = run_fused(g, frames, S);
        if (rc == XP_OK && g->edge)
            rc = conj_self_conjugate(g, S);
        if (rc) {
            xp_array_free(S);
            return rc;
        }
        *spectra = S;
        return XP_OK;
    }
    int rc = block_view(g->work, rows, nseg, s->nperseg, &W);
    if (rc == XP_OK)
        rc = xp__copy(frames, W);
    if (rc == XP_OK && s->detrend != XPS_DETREND_NONE) {
        int64_t shape2[2] = {rows * nseg, s->nperseg}, strides2[2] = {s->nperseg, 1};
        xp_array *W2 = NULL;
        rc = xp__view(g->work, 2, shape2, strides2, 0, &W2);
        if (rc == XP_OK)
            rc = xps__detrend_inplace(W2, s->detrend, g->Q, g->coef, g->mean);
        xp_array_free(W2);
    }
    if (rc == XP_OK)
        rc = xp__view_broadcast(g->window, 3, wshape, &win);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_MUL, W, win, W);
    if (rc == XP_OK)
        rc = block_view(g->spec, rows, nseg, s->nfreq, &S);
    if (rc == XP_OK)
        rc = xp__fft(s->onesided ? XP_FFT_R2C : XP_FFT_C2C_FORWARD, s->nfft, 1.0, W, S);
    if (rc == XP_OK && g->edge)
        rc = conj_self_conjugate(g, S);
    xp_array_free(W);
    xp_array_free(win);
    if (rc) {
        xp_array_free(S);
        return rc;
    }
    *spectra = S;
    return XP_OK;
}
