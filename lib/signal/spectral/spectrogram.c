/*
 * spectrogram.c -- scipy.signal.spectrogram: every segment's spectrum,
 * without averaging, as psd, complex, magnitude, angle or unwrapped phase.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "spectral.h"

/* numpy.unwrap along the rows of v [rows, n] (period 2 pi). */
static void unwrap_rows(double *v, int64_t rows, int64_t n)
{
    for (int64_t r = 0; r < rows; r++) {
        double *p = v + r * n, correction = 0, prev = n ? p[0] : 0;
        for (int64_t i = 1; i < n; i++) {
            double dd = p[i] - prev;
            prev = p[i];
            double m = fmod(dd + M_PI, 2 * M_PI);
            if (m != 0 && (m < 0) != (2 * M_PI < 0))
                m += 2 * M_PI;
            double ddmod = m - M_PI;
            if (ddmod == -M_PI && dd > 0)
                ddmod = M_PI;
            if (fabs(dd) >= M_PI)
                correction += ddmod - dd;
            p[i] += correction;
        }
    }
}

/* The phase unwrap is a scan that the operations table does not offer, so
 * it runs on a host copy (a transfer the strict provider will count). */
static int unwrap_freq(const xp_array *S)
{
    int64_t R = xp_array_dim(S, 0), nseg = xp_array_dim(S, 1), nf = xp_array_dim(S, 2);
    size_t nbytes = (size_t)(R * nseg * nf) * sizeof(double);
    double *h = xp__malloc(nbytes ? nbytes : 1);
    int rc = XP_OK;
    if (!h)
        rc = xp_error(XP_ENOMEM, "spectrogram: out of memory for the phase unwrap");
    if (rc == XP_OK)
        rc = xp_array_to_host(S, h, nbytes);
    if (rc == XP_OK) {
        /* S is [R, nseg, nfreq]; unwrap runs along frequency: rows of it */
        unwrap_rows(h, R * nseg, nf);
        rc = xp__upload(h, S);
    }
    xp__free(h);
    return rc;
}

int xps__spectrogram_setup(const char *fn, const xp_array *x, const xps_spectral_options *opt,
                           int noverlap_div, xps_spectral_options *o, xp_array **f,
                           xp_array **t, xp_array **out, int *ax, xps__spec *s)
{
    int rc;
    if (!out)
        return xp_error(XP_EINVAL, "%s: output pointer is NULL", fn);
    *out = NULL;
    if (f)
        *f = NULL;
    if (t)
        *t = NULL;
    if ((rc = xps__check_options(fn, opt, o)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "%s: x is NULL", fn);
    if ((rc = xp__axis(fn, o->axis, xp_array_ndim(x), ax)))
        return rc;
    if (xp_array_size(x) == 0)
        return xp_error(XP_ESHAPE, "%s: x has no elements", fn);
    if (xp_array_ndim(x) + 1 > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "%s: x has too many dimensions (%d)", fn, xp_array_ndim(x));
    int64_t n = xp_array_dim(x, *ax);
    if ((rc = xps__spec_resolve(fn, o, n, xp_dtype_is_complex(xp_array_dtype(x)), noverlap_div,
                                xp_array_provider(x), s)))
        return rc;
    if (s->nperseg > n) {
        xps__spec_clear(s);
        return xp_error(XP_EINVAL, "%s: window is longer than the input (%lld > %lld)", fn,
                        (long long)s->nperseg, (long long)n);
    }
    return XP_OK;
}

/* X [rows, nseg, nfreq] (scratch: may be scaled in place) into dst per
 * mode, scaled in SciPy's order: psd is |X|^2 times the scale, one-sided
 * inner bins doubled; the other modes scale X by the scale's square root
 * first (angles too: atan2 of the scaled values, signed zeros included).
 * Done block by block while the block is in cache, rather than in passes
 * over the whole result. */
static int mode_block(const xps__spec *s, const xp_array *X, const xp_array *dst)
{
    double scale = xps__spec_scale(s);
    int rc;
    switch (s->mode) {
    case XPS_MODE_PSD: {
        /* one pass: the inner bins times 2 scale, which is SciPy's
         * (|X|^2 scale) 2 exactly (doubling is exact in range) */
        int64_t n = s->onesided ? (s->nfft % 2 ? s->nfreq - 1 : s->nfreq - 2) : 0;
        rc = xp__unary(XP_UNARY_ABS2, X, dst);
        if (rc == XP_OK && n <= 0)
            return xp__affine(dst, scale, 0, 0, 0, dst);
        int64_t starts[3] = {0, 1, 1 + n}, counts[3] = {1, n, s->nfreq - 1 - n};
        for (int k = 0; rc == XP_OK && k < 3; k++) {
            xp_array *v = NULL;
            if (counts[k] == 0)
                continue;
            rc = xp__view_slice(dst, 2, starts[k], counts[k], 1, &v);
            if (rc == XP_OK)
                rc = xp__affine(v, k == 1 ? 2 * scale : scale, 0, 0, 0, v);
            xp_array_free(v);
        }
        return rc;
    }
    case XPS_MODE_COMPLEX:
        return xp__affine(X, sqrt(scale), 0, 0, 0, dst);
    case XPS_MODE_MAGNITUDE:
        rc = xp__affine(X, sqrt(scale), 0, 0, 0, X);
        return rc ? rc : xp__unary(XP_UNARY_ABS, X, dst);
    default:    /* the angles of the scaled values, to the last bit and sign */
        rc = xp__affine(X, sqrt(scale), 0, 0, 0, X);
        return rc ? rc : xp__unary(XP_UNARY_ANGLE, X, dst);
    }
}

/* The result is written time-last (segments are its unit-stride axis), so
 * spectra are gathered in a staging buffer of up to STAGE_RUN segments
 * before they are placed: each page-row of the result then gets a run of
 * that many values (whole cache lines, a TLB miss per run) instead of the
 * few segments one cache-sized FFT block holds. */
#define STAGE_RUN 128
#define STAGE_BYTES ((int64_t)8 << 20)

/* The spectra of frames [r0 + rb, s0 + sb] (all [R, nseg, nperseg]) into
 * blk [rb, sb, nfreq], in FFT blocks of at most g->cap frames; wide: a
 * complex128 buffer that float32 spectra are widened into, or NULL. */
static int fill_block(const xps__spec *s, xps__segfft *g, const xp_array *frames,
                      const xp_array *wide, int64_t r0, int64_t s0, const xp_array *blk)
{
    int64_t rb = xp_array_dim(blk, 0), sb = xp_array_dim(blk, 1);
    int64_t Ci = sb < g->cap ? sb : g->cap, Ri = g->cap / Ci;
    int rc = XP_OK;
    for (int64_t rr = 0; rc == XP_OK && rr < rb; rr += Ri)
        for (int64_t cc = 0; rc == XP_OK && cc < sb; cc += Ci) {
            int64_t ri = rb - rr < Ri ? rb - rr : Ri, ci = sb - cc < Ci ? sb - cc : Ci;
            xp_array *a = NULL, *fr = NULL, *X = NULL, *Xw = NULL, *b0 = NULL, *out = NULL;
            rc = xp__view_slice(frames, 0, r0 + rr, ri, 1, &a);
            if (rc == XP_OK)
                rc = xp__view_slice(a, 1, s0 + cc, ci, 1, &fr);
            if (rc == XP_OK)
                rc = xps__segfft_run(g, fr, &X);
            if (rc == XP_OK && wide) {
                int64_t shp[3] = {ri, ci, s->nfreq}, str[3] = {ci * s->nfreq, s->nfreq, 1};
                rc = xp__view(wide, 3, shp, str, 0, &Xw);
                if (rc == XP_OK)
                    rc = xp__copy(X, Xw);
            }
            if (rc == XP_OK)
                rc = xp__view_slice(blk, 0, rr, ri, 1, &b0);
            if (rc == XP_OK)
                rc = xp__view_slice(b0, 1, cc, ci, 1, &out);
            if (rc == XP_OK)
                rc = mode_block(s, Xw ? Xw : X, out);
            xp_array *tmp[] = {a, fr, X, Xw, b0, out};
            for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
                xp_array_free(tmp[i]);
        }
    return rc;
}

/* Segment spectra of rows X2 [R, n] into S [R, nseg, nfreq] per mode. */
static int fill_segments(const xps__spec *s, const xp_array *X2, int64_t nseg,
                         xp_dtype in_dtype, const xp_array *S)
{
    const xp_provider *p = xp_array_provider(X2);
    int64_t R = xp_array_dim(X2, 0), esize = (int64_t)xp_dtype_size(xp_array_dtype(S));
    xps__segfft g;
    xp_array *frames = NULL, *wide = NULL, *stage = NULL, *head = NULL;
    /* frames per FFT block: near 1 MiB of spectra, but at least 16 (while
     * that stays within 16 MiB) so that a block of long segments still
     * splits across threads */
    int64_t cap = xps__block_frames(s->nfft), most = ((int64_t)16 << 20) / (16 * s->nfft);
    if (cap < 16 && most > cap)
        cap = most < 16 ? most : 16;
    int staged = xp_array_dltensor(S)->strides[2] != 1 && nseg > cap;
    int64_t outer = cap;                           /* frames per placed block */
    if (staged) {
        int64_t most = STAGE_BYTES / (s->nfreq * esize);
        outer = most < STAGE_RUN ? most : STAGE_RUN;
        if (outer < cap)
            outer = cap;
    }
    int rc = xps__segfft_init(&g, s, p, in_dtype, cap);
    if (rc)
        return rc;
    int64_t span = (nseg - 1) * s->step + s->nperseg, wshape[1] = {cap * s->nfreq};
    int64_t stshape[1] = {outer * s->nfreq};
    rc = xp__view_slice(X2, 1, 0, span, 1, &head);
    if (rc == XP_OK)
        rc = xp__view_frames(head, s->nperseg, s->step, nseg, &frames);
    if (rc == XP_OK && xp_dtype_real(in_dtype) == XP_FLOAT32)
        rc = xp_array_empty(p, XP_COMPLEX128, 1, wshape, &wide);
    if (rc == XP_OK && staged)
        rc = xp_array_empty(p, xp_array_dtype(S), 1, stshape, &stage);
    /* placed blocks [rb, sb] run along time, then across rows */
    int64_t Sb = nseg < outer ? nseg : outer, Rb = outer / Sb;
    for (int64_t r0 = 0; rc == XP_OK && r0 < R; r0 += Rb) {
        int64_t rb = R - r0 < Rb ? R - r0 : Rb;
        for (int64_t s0 = 0; rc == XP_OK && s0 < nseg; s0 += Sb) {
            int64_t sb = nseg - s0 < Sb ? nseg - s0 : Sb;
            int64_t bshape[3] = {rb, sb, s->nfreq}, bstr[3] = {sb * s->nfreq, s->nfreq, 1};
            xp_array *d0 = NULL, *dst = NULL, *blk = NULL;
            rc = xp__view_slice(S, 0, r0, rb, 1, &d0);
            if (rc == XP_OK)
                rc = xp__view_slice(d0, 1, s0, sb, 1, &dst);
            if (rc == XP_OK && stage)
                rc = xp__view(stage, 3, bshape, bstr, 0, &blk);
            if (rc == XP_OK)
                rc = fill_block(s, &g, frames, wide, r0, s0, blk ? blk : dst);
            if (rc == XP_OK && blk)
                rc = xp__copy(blk, dst);
            xp_array_free(d0);
            xp_array_free(dst);
            xp_array_free(blk);
        }
    }
    xp_array_free(head);
    xp_array_free(frames);
    xp_array_free(wide);
    xp_array_free(stage);
    xps__segfft_clear(&g);
    return rc;
}

/* Sxx (x's shape, axis -> nfreq, plus a last axis nseg) seen as
 * [batch..., nseg, nfreq], the order the segments are computed in. */
static int segment_view(const xp_array *Sxx, int ax, int64_t nseg, int64_t nfreq,
                        xp_array **view)
{
    const DLTensor *o = xp_array_dltensor(Sxx);
    int nd = o->ndim - 1, k = 0;
    int64_t vshape[XP_MAX_NDIM], vstr[XP_MAX_NDIM];
    for (int d = 0; d < nd; d++)
        if (d != ax) {
            vshape[k] = o->shape[d];
            vstr[k++] = o->strides[d];
        }
    vshape[k] = nseg;
    vstr[k++] = o->strides[nd];
    vshape[k] = nfreq;
    vstr[k++] = o->strides[ax];
    return xp__view(Sxx, nd + 1, vshape, vstr, 0, view);
}

/* The result's shape into shape[ndim(x) + 1]. */
static void result_shape(const xp_array *x, int ax, int64_t nfreq, int64_t nseg,
                         int64_t *shape)
{
    int nd = xp_array_ndim(x);
    xps__replace_axis(nd, xp_array_dltensor(x)->shape, ax, nfreq, shape);
    shape[nd] = nseg;
}

/* A new result and its segment view. */
static int output(const xp_array *x, int ax, const xps__spec *s, int64_t nseg, xp_dtype dt,
                  xp_array **Sxx, xp_array **view)
{
    int64_t shape[XP_MAX_NDIM];
    result_shape(x, ax, s->nfreq, nseg, shape);
    *Sxx = *view = NULL;
    int rc = xp_array_empty(xp_array_provider(x), dt, xp_array_ndim(x) + 1, shape, Sxx);
    if (rc == XP_OK && (rc = segment_view(*Sxx, ax, nseg, s->nfreq, view))) {
        xp_array_free(*Sxx);
        *Sxx = NULL;
    }
    return rc;
}

/* The caller's result array: on x's provider, of dtype dt and the
 * result's shape (the message gives it), writable, each element once,
 * sharing no memory with x. */
static int check_into(const char *fn, const char *name, const xp_array *x, int ax,
                      int64_t nfreq, int64_t nseg, xp_dtype dt, const xp_array *S)
{
    int nd = xp_array_ndim(x) + 1;
    int64_t shape[XP_MAX_NDIM];
    result_shape(x, ax, nfreq, nseg, shape);
    if (xp_array_provider(S) != xp_array_provider(x))
        return xp_error(XP_EDEVICE, "%s: %s lives on provider '%s', x on '%s'", fn, name,
                        xp_provider_name(xp_array_provider(S)),
                        xp_provider_name(xp_array_provider(x)));
    if (xp_array_dtype(S) != dt)
        return xp_error(XP_EDTYPE, "%s: %s is %s, the result is %s", fn, name,
                        xp_dtype_name(xp_array_dtype(S)), xp_dtype_name(dt));
    int same = xp_array_ndim(S) == nd;
    for (int d = 0; same && d < nd; d++)
        same = xp_array_dim(S, d) == shape[d];
    if (!same) {
        char text[XP_MAX_NDIM * 24] = "";
        size_t len = 0;
        for (int d = 0; d < nd && len < sizeof text; d++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%lld", d ? ", " : "",
                                    (long long)shape[d]);
        return xp_error(XP_ESHAPE, "%s: %s must have the result's shape (%s): x's with axis "
                        "%d -> %lld frequencies, and %lld segments", fn, name, text, ax,
                        (long long)nfreq, (long long)nseg);
    }
    if (xp_array_is_readonly(S))
        return xp_error(XP_EINVAL, "%s: %s is read-only", fn, name);
    if (!xp__writes_once(S))
        return xp_error(XP_EINVAL, "%s: %s writes some element twice (zero or overlapping "
                        "strides)", fn, name);
    if (xp__may_overlap(S, x))
        return xp_error(XP_EINVAL, "%s: %s shares memory with x", fn, name);
    return XP_OK;
}

/* view [batch..., nseg, nfreq] as [R, nseg, nfreq] when its batch axes
 * step as one; else *S3 stays NULL. */
static int collapse(const xp_array *view, int64_t R, xp_array **S3)
{
    const DLTensor *t = xp_array_dltensor(view);
    int nd = t->ndim;
    int64_t rstride = 0, span = 0;
    int seen = 0;
    *S3 = NULL;
    for (int d = nd - 3; d >= 0; d--) {
        if (t->shape[d] == 1)
            continue;
        if (!seen) {
            seen = 1;
            rstride = t->strides[d];
            span = rstride * t->shape[d];
        } else if (t->strides[d] == span) {
            span *= t->shape[d];
        } else {
            return XP_OK;
        }
    }
    int64_t shape[3] = {R, t->shape[nd - 2], t->shape[nd - 1]};
    int64_t strides[3] = {rstride, t->strides[nd - 2], t->strides[nd - 1]};
    return xp__view(view, 3, shape, strides, 0, S3);
}

/* Copy the contiguous S [R, nseg, nfreq] into view [batch..., nseg, nfreq]. */
static int place(const xp_array *S, const xp_array *view)
{
    int nd = xp_array_ndim(view);
    int64_t vshape[XP_MAX_NDIM], cstr[XP_MAX_NDIM];
    xp_array *src = NULL;
    for (int d = 0; d < nd; d++)
        vshape[d] = xp_array_dim(view, d);
    xp__c_strides(nd, vshape, cstr);
    int rc = xp__view(S, nd, vshape, cstr, 0, &src);
    if (rc == XP_OK)
        rc = xp__copy(src, view);
    xp_array_free(src);
    return rc;
}

/* The spectra of piece's segments (piece: x along ax) per mode into view
 * [batch..., count, nfreq], a slice of the result's view: straight into
 * it where its layout allows, else through a contiguous work array. */
static int fill_piece(const xps__spec *s, const xp_array *piece, int ax, xp_dtype wdt,
                      int direct, const xp_array *view)
{
    int nd = xp_array_ndim(view);
    int64_t count = xp_array_dim(view, nd - 2), n = xp_array_dim(piece, ax);
    int64_t R = xp_array_size(piece) / n, sshape[3] = {R, count, s->nfreq};
    xp_array *X2 = NULL, *copy = NULL, *S = NULL, *work = NULL;
    int rc = xps__rows_view(piece, ax, &X2, &copy);
    if (rc == XP_OK && direct)
        rc = collapse(view, R, &S);
    if (rc == XP_OK && !S)
        rc = xp_array_empty(xp_array_provider(piece), wdt, 3, sshape, &work);
    const xp_array *dst = S ? S : work;
    if (rc == XP_OK)
        rc = fill_segments(s, X2, count, xp_array_dtype(piece), dst);
    if (rc == XP_OK && s->mode == XPS_MODE_PHASE)
        rc = unwrap_freq(dst);
    if (rc == XP_OK && work)
        rc = place(work, view);
    xp_array_free(X2);
    xp_array_free(copy);
    xp_array_free(S);
    xp_array_free(work);
    return rc;
}

int xps__spectrogram_pieces(const xp_array *x, int ax, const xps__spec *sp, int shift,
                            int npieces, const xp_array *const *pieces, xp_array **f,
                            xp_array **t, xp_array **Sxx, const xp_array *into,
                            const char *name)
{
    int rc = XP_OK;
    const xps__spec s = *sp;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype in = xp_array_dtype(x);
    int64_t nseg = 0, counts[4];
    for (int i = 0; i < npieces; i++)
        nseg += counts[i] = (xp_array_dim(pieces[i], ax) - s.nperseg) / s.step + 1;
    xp_dtype wdt = s.mode == XPS_MODE_COMPLEX ? XP_COMPLEX128 : XP_FLOAT64, dt = wdt;
    if (s.float32_output && xp_dtype_real(in) == XP_FLOAT32)
        dt = s.mode == XPS_MODE_COMPLEX ? XP_COMPLEX64 : XP_FLOAT32;
    xp_array *view = NULL;
    if (into) {
        rc = check_into(s.fn, name, x, ax, s.nfreq, nseg, dt, into);
        if (rc == XP_OK)
            rc = segment_view(into, ax, nseg, s.nfreq, &view);
    } else {
        rc = output(x, ax, &s, nseg, dt, Sxx, &view);
    }
    int nd = xp_array_ndim(x) + 1;
    for (int i = 0, k0 = 0; rc == XP_OK && i < npieces; k0 += (int)counts[i++]) {
        xp_array *v = NULL;
        rc = xp__view_slice(view, nd - 2, k0, counts[i], 1, &v);
        if (rc == XP_OK)
            rc = fill_piece(&s, pieces[i], ax, wdt, dt == wdt, v);
        xp_array_free(v);
    }
    if (rc == XP_OK && f)
        rc = xps__freqs(p, s.nfft, s.fs, s.onesided, f);
    if (rc == XP_OK && t) {
        double *tv = xp__malloc((size_t)nseg * sizeof *tv);
        if (!tv) {
            rc = xp_error(XP_ENOMEM, "%s: out of memory", s.fn);
        } else {
            /* SciPy: arange(nperseg/2, ..., step) / fs, less (nperseg/2) / fs
             * after stft's boundary extension */
            for (int64_t k = 0; k < nseg; k++) {
                tv[k] = ((double)s.nperseg / 2 + (double)(k * s.step)) / s.fs;
                if (shift)
                    tv[k] -= ((double)s.nperseg / 2) / s.fs;
            }
            rc = xp_array_from_host(p, XP_FLOAT64, 1, &nseg, tv, t);
            xp__free(tv);
        }
    }
    if (rc) {
        if (!into) {
            xp_array_free(*Sxx);
            *Sxx = NULL;
        }
        if (f) {
            xp_array_free(*f);
            *f = NULL;
        }
    }
    xp_array_free(view);
    return rc;
}

int xps_spectrogram(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
                    xp_array **t, xp_array **Sxx)
{
    int rc, ax;
    xps_spectral_options o;
    xps__spec s;
    if ((rc = xps__spectrogram_setup("spectrogram", x, opt, 8, &o, f, t, Sxx, &ax, &s)))
        return rc;
    rc = xps__spectrogram_pieces(x, ax, &s, 0, 1, &x, f, t, Sxx, NULL, NULL);
    xps__spec_clear(&s);
    return rc;
}

int xps_spectrogram_into(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
                         xp_array **t, const xp_array *Sxx)
{
    int rc, ax;
    xps_spectral_options o;
    xps__spec s;
    xp_array *none = NULL;
    if (!Sxx)
        return xp_error(XP_EINVAL, "spectrogram: Sxx is NULL");
    if ((rc = xps__spectrogram_setup("spectrogram", x, opt, 8, &o, f, t, &none, &ax, &s)))
        return rc;
    rc = xps__spectrogram_pieces(x, ax, &s, 0, 1, &x, f, t, NULL, Sxx, "Sxx");
    xps__spec_clear(&s);
    return rc;
}
