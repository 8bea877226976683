/*
 * spectrogram.c -- scipy.signal.spectrogram: every segment's spectrum,
 * without averaging, as psd, complex, magnitude, angle or unwrapped phase.
 */
#include <math.h>
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

/* opt is checked and copied into *o. */
static int check_args(const xp_array *x, const xps_spectral_options *opt,
                      xps_spectral_options *o, xp_array **f, xp_array **t, xp_array **Sxx,
                      int *ax)
{
    int rc;
    if (!Sxx)
        return xp_error(XP_EINVAL, "spectrogram: output pointer is NULL");
    *Sxx = NULL;
    if (f)
        *f = NULL;
    if (t)
        *t = NULL;
    if ((rc = xps__check_options("spectrogram", opt, o)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "spectrogram: x is NULL");
    if ((rc = xp__axis("spectrogram", o->axis, xp_array_ndim(x), ax)))
        return rc;
    if (xp_array_size(x) == 0)
        return xp_error(XP_ESHAPE, "spectrogram: x has no elements");
    if (xp_array_ndim(x) + 1 > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "spectrogram: x has too many dimensions (%d)",
                        xp_array_ndim(x));
    return XP_OK;
}

/* Segment spectra of rows X2 [R, n] into S [R, nseg, nfreq] per mode. */
static int fill_segments(const xps__spec *s, const xp_array *X2, int64_t nseg,
                         xp_dtype in_dtype, const xp_array *S)
{
    const xp_provider *p = xp_array_provider(X2);
    int64_t R = xp_array_dim(X2, 0);
    xps__segfft g;
    xp_array *frames = NULL, *wide = NULL;
    /* The result is written time-last: blocks of 16 segments write whole
     * cache lines of it and touch each of its pages a sixteenth as often
     * (while the buffers stay within 16 MB) */
    int64_t cap = xps__block_frames(s->nfft), most = ((int64_t)16 << 20) / (16 * s->nfft);
    if (cap < 16 && most > cap)
        cap = most < 16 ? most : 16;
    int rc = xps__segfft_init(&g, s, p, in_dtype, cap);
    if (rc)
        return rc;
    int64_t span = (nseg - 1) * s->step + s->nperseg, wshape[1] = {cap * s->nfreq};
    xp_array *head = NULL;
    rc = xp__view_slice(X2, 1, 0, span, 1, &head);
    if (rc == XP_OK)
        rc = xp__view_frames(head, s->nperseg, s->step, nseg, &frames);
    if (rc == XP_OK && xp_dtype_real(in_dtype) == XP_FLOAT32)
        rc = xp_array_empty(p, XP_COMPLEX128, 1, wshape, &wide);
    /* blocks run along time (then across rows): see cap */
    int64_t Sb = nseg < cap ? nseg : cap, Rb = cap / Sb;
    for (int64_t r0 = 0; rc == XP_OK && r0 < R; r0 += Rb) {
        int64_t rb = R - r0 < Rb ? R - r0 : Rb;
        for (int64_t s0 = 0; rc == XP_OK && s0 < nseg; s0 += Sb) {
            int64_t sb = nseg - s0 < Sb ? nseg - s0 : Sb;
            xp_array *a = NULL, *fr = NULL, *X = NULL, *Xw = NULL, *d0 = NULL, *dst = NULL;
            rc = xp__view_slice(frames, 0, r0, rb, 1, &a);
            if (rc == XP_OK)
                rc = xp__view_slice(a, 1, s0, sb, 1, &fr);
            if (rc == XP_OK)
                rc = xps__segfft_run(&g, fr, &X);
            if (rc == XP_OK && wide) {
                int64_t shp[3] = {rb, sb, s->nfreq}, str[3] = {sb * s->nfreq, s->nfreq, 1};
                rc = xp__view(wide, 3, shp, str, 0, &Xw);
                if (rc == XP_OK)
                    rc = xp__copy(X, Xw);
            }
            const xp_array *Xs = Xw ? Xw : X;
            if (rc == XP_OK)
                rc = xp__view_slice(S, 0, r0, rb, 1, &d0);
            if (rc == XP_OK)
                rc = xp__view_slice(d0, 1, s0, sb, 1, &dst);
            if (rc == XP_OK) {
                switch (s->mode) {
                case XPS_MODE_PSD: rc = xp__unary(XP_UNARY_ABS2, Xs, dst); break;
                case XPS_MODE_COMPLEX: rc = xp__copy(Xs, dst); break;
                case XPS_MODE_MAGNITUDE: rc = xp__unary(XP_UNARY_ABS, Xs, dst); break;
                default: rc = xp__unary(XP_UNARY_ANGLE, Xs, dst); break;
                }
            }
            xp_array *tmp[] = {a, fr, X, Xw, d0, dst};
            for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
                xp_array_free(tmp[i]);
        }
    }
    xp_array_free(head);
    xp_array_free(frames);
    xp_array_free(wide);
    xps__segfft_clear(&g);
    return rc;
}

/* Scale as SciPy: psd by the scale (one-sided bins doubled); complex and
 * magnitude by its square root; angles not at all. */
static int scale_segments(const xps__spec *s, const xp_array *S)
{
    double scale = xps__spec_scale(s);
    int rc = XP_OK;
    if (s->mode == XPS_MODE_PSD) {
        rc = xp__affine(S, scale, 0, 0, 0, S);
        int64_t n = s->nfft % 2 ? s->nfreq - 1 : s->nfreq - 2;
        if (rc == XP_OK && s->onesided && n > 0) {
            xp_array *v = NULL;
            rc = xp__view_slice(S, 2, 1, n, 1, &v);
            if (rc == XP_OK)
                rc = xp__affine(v, 2, 0, 0, 0, v);
            xp_array_free(v);
        }
    } else if (s->mode == XPS_MODE_COMPLEX || s->mode == XPS_MODE_MAGNITUDE) {
        rc = xp__affine(S, sqrt(scale), 0, 0, 0, S);
    } else if (s->mode == XPS_MODE_PHASE) {
        rc = unwrap_freq(S);
    }
    return rc;
}

/* Sxx: x's shape, axis -> nfreq, plus a last axis nseg; *view sees it as
 * [batch..., nseg, nfreq], the order the segments are computed in. */
static int output(const xp_array *x, int ax, const xps__spec *s, int64_t nseg, xp_dtype dt,
                  xp_array **Sxx, xp_array **view)
{
    int nd = xp_array_ndim(x);
    int64_t shape[XP_MAX_NDIM], vshape[XP_MAX_NDIM], vstr[XP_MAX_NDIM];
    xps__replace_axis(nd, xp_array_dltensor(x)->shape, ax, s->nfreq, shape);
    shape[nd] = nseg;
    *Sxx = *view = NULL;
    int rc = xp_array_empty(xp_array_provider(x), dt, nd + 1, shape, Sxx);
    if (rc)
        return rc;
    const DLTensor *o = xp_array_dltensor(*Sxx);
    int k = 0;
    for (int d = 0; d < nd; d++)
        if (d != ax) {
            vshape[k] = o->shape[d];
            vstr[k++] = o->strides[d];
        }
    vshape[k] = nseg;
    vstr[k++] = o->strides[nd];
    vshape[k] = s->nfreq;
    vstr[k++] = o->strides[ax];
    if ((rc = xp__view(*Sxx, nd + 1, vshape, vstr, 0, view))) {
        xp_array_free(*Sxx);
        *Sxx = NULL;
    }
    return rc;
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

int xps_spectrogram(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
                    xp_array **t, xp_array **Sxx)
{
    int rc, ax;
    xps_spectral_options o;
    if ((rc = check_args(x, opt, &o, f, t, Sxx, &ax)))
        return rc;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype in = xp_array_dtype(x);
    int64_t n = xp_array_dim(x, ax);
    xps__spec s;
    if ((rc = xps__spec_resolve("spectrogram", &o, n, xp_dtype_is_complex(in), 8, p, &s)))
        return rc;
    if (s.nperseg > n) {
        xps__spec_clear(&s);
        return xp_error(XP_EINVAL, "spectrogram: window is longer than the input (%lld > %lld)",
                        (long long)s.nperseg, (long long)n);
    }
    int64_t nseg = (n - s.nperseg) / s.step + 1;
    xp_dtype wdt = s.mode == XPS_MODE_COMPLEX ? XP_COMPLEX128 : XP_FLOAT64, dt = wdt;
    if (s.float32_output && xp_dtype_real(in) == XP_FLOAT32)
        dt = s.mode == XPS_MODE_COMPLEX ? XP_COMPLEX64 : XP_FLOAT32;
    int64_t R = xp_array_size(x) / n, sshape[3] = {R, nseg, s.nfreq};
    xp_array *X2 = NULL, *copy = NULL, *S = NULL, *view = NULL, *work = NULL;
    rc = xps__rows_view(x, ax, &X2, &copy);
    if (rc == XP_OK)
        rc = output(x, ax, &s, nseg, dt, Sxx, &view);
    /* write straight into the result where its layout allows, else into a
     * contiguous work array placed afterwards */
    if (rc == XP_OK && dt == wdt)
        rc = collapse(view, R, &S);
    if (rc == XP_OK && !S)
        rc = xp_array_empty(p, wdt, 3, sshape, &work);
    const xp_array *dst = S ? S : work;
    if (rc == XP_OK)
        rc = fill_segments(&s, X2, nseg, in, dst);
    if (rc == XP_OK)
        rc = scale_segments(&s, dst);
    if (rc == XP_OK && work)
        rc = place(work, view);
    if (rc == XP_OK && f)
        rc = xps__freqs(p, s.nfft, s.fs, s.onesided, f);
    if (rc == XP_OK && t) {
        double *tv = xp__malloc((size_t)nseg * sizeof *tv);
        if (!tv) {
            rc = xp_error(XP_ENOMEM, "spectrogram: out of memory");
        } else {
            for (int64_t k = 0; k < nseg; k++)
                tv[k] = ((double)s.nperseg / 2 + (double)(k * s.step)) / s.fs;
            rc = xp_array_from_host(p, XP_FLOAT64, 1, &nseg, tv, t);
            xp__free(tv);
        }
    }
    if (rc) {
        xp_array_free(*Sxx);
        *Sxx = NULL;
        if (f) {
            xp_array_free(*f);
            *f = NULL;
        }
    }
    xp_array_free(X2);
    xp_array_free(copy);
    xp_array_free(S);
    xp_array_free(view);
    xp_array_free(work);
    xps__spec_clear(&s);
    return rc;
}
