/*
 * cuda_welch.cu -- the fused Welch inner loops on the GPU: Welch's sums
 * (xp_ops.welch_segments) and the segments' spectra themselves
 * (xp_ops.segment_spectra).
 *
 * Segments go through in batches that fit a scratch budget
 * (xpc_batch_bytes): the segments' sums for the mean and line (partial
 * sums of every nch-th sample, about CH each, then one fit per segment),
 * one pass that writes the detrended, windowed, zero-padded segments, one
 * batched cuFFT, and one pass that folds each row's spectra into its
 * float64 sums.  The composed path (frames, detrend by gemm, window,
 * FFT, |X|^2, reduce) makes four more passes over the segments; this one
 * reads the input twice (once without detrending) and each spectrum
 * once.  Each (row, frequency) sum has one thread, so the folding needs
 * no atomics and its order is fixed.
 */
#include <cuda_runtime.h>
#include "cuda.h"
#include "cuda_device.h"

#define CH 256                          /* about this many samples per partial sum */

/* The segments of one input: item it (row-major over rows x nseg) is row
 * it / nseg, segment it % nseg, starting at sample (it % nseg) * step. */
struct Segs {
    const char *x;
    int64_t rs, ts;     /* row and time strides, elements */
    int64_t nseg, step, L;
    int c;              /* complex samples */
};

/* Kernels run on a 2-D grid: y walks the segments (or rows) of a batch,
 * x the samples (or frequencies) of one, so no thread divides by a
 * length to find where it is: 64-bit division is slow on a GPU. */
#define ITEM_LOOP(q, n) for (int64_t q = blockIdx.y; q < (n); q += gridDim.y)

/* The 2-D grid for n items of m values each. */
static dim3 grid2(int64_t m, int64_t n)
{
    return dim3(blocks_for(m), (unsigned)(n < 65535 ? n : 65535));
}

/* Where item it starts: row it / nseg, segment it % nseg (found once per
 * thread and item, not per sample). */
__device__ __forceinline__ int64_t seg_base(const Segs &g, int64_t it)
{
    int64_t r, k;
    divmod(it, g.nseg, &r, &k);
    return r * g.rs + k * g.step * g.ts;
}

/* part[(q nch + k) 4 + 0..3] = sum v.re, sum v.im, sum j v.re, sum j v.im
 * over samples j = k, k + nch, k + 2 nch, ... of item i0 + q: interleaved,
 * so that neighbouring threads read neighbouring samples (a run of
 * contiguous samples per thread would give each load of a warp a line of
 * its own). */
template <class R>
__global__ void k_seg_partial(Segs g, int64_t i0, int64_t nb, int64_t nch, double *part)
{
    ITEM_LOOP(q, nb) {
        int64_t base = seg_base(g, i0 + q);
        GRID_LOOP(k, nch) {
            double s0 = 0, s1 = 0, u0 = 0, u1 = 0;
            for (int64_t j = k; j < g.L; j += nch) {
                cx<double> v = load<R, double>(g.x, base + j * g.ts, g.c);
                s0 += v.re;
                s1 += v.im;
                u0 += (double)j * v.re;
                u1 += (double)j * v.im;
            }
            double *p = part + (q * nch + k) * 4;
            p[0] = s0;
            p[1] = s1;
            p[2] = u0;
            p[3] = u1;
        }
    }
}

/* fit[q 4 + 0..3] = mean (re, im) and least-squares slope about the
 * segment's centre (re, im; 0 unless linear) of item i0 + q. */
__global__ void k_seg_fit(const double *part, int64_t nb, int64_t nch, int64_t L, int linear,
                          double *fit)
{
    GRID_LOOP(q, nb) {
        double s[2] = {0, 0}, u[2] = {0, 0}, c = (L - 1) / 2.0;
        for (int64_t k = 0; k < nch; k++) {
            const double *p = part + (q * nch + k) * 4;
            s[0] += p[0];
            s[1] += p[1];
            u[0] += p[2];
            u[1] += p[3];
        }
        for (int i = 0; i < 2; i++) {
            fit[q * 4 + i] = s[i] / (double)L;
            /* sum (j - c) v_j = sum j v_j - c sum v_j */
            fit[q * 4 + 2 + i] = linear && L > 1
                                     ? (u[i] - c * s[i]) / (L * ((double)L * L - 1) / 12.0) : 0.0;
        }
    }
}

/* buf[q, j] (j < nfft; interleaved complex when cout) = the detrended,
 * windowed sample j of item i0 + q, zero beyond L. */
template <class R>
__global__ void k_seg_fill(Segs g, int64_t i0, int64_t nb, const char *w, int64_t ws,
                           int detrend, const double *fit, int64_t nfft, int cout, R *buf)
{
    ITEM_LOOP(q, nb) {
        int64_t base = seg_base(g, i0 + q);
        const double *f = detrend ? fit + q * 4 : NULL;    /* no fit without detrending */
        GRID_LOOP(j, nfft) {
            R *o = buf + (q * nfft + j) * (cout ? 2 : 1);
            if (j >= g.L) {
                o[0] = 0;
                if (cout)
                    o[1] = 0;
                continue;
            }
            cx<double> v = load<R, double>(g.x, base + j * g.ts, g.c);
            if (detrend) {
                double tj = detrend == 2 ? (double)j - (g.L - 1) / 2.0 : 0.0;
                v.re -= f[0] + f[2] * tj;
                v.im -= f[1] + f[3] * tj;
            }
            R wj = ((const R *)w)[j * ws];
            o[0] = (R)v.re * wj;
            if (cout)
                o[1] = (R)v.im * wj;
        }
    }
}

/* Where a [rows, nfreq] sum lives: base, strides (elements), complex. */
struct Sum {
    char *p;
    int64_t rs, fs;
};

__device__ __forceinline__ double *sum_at(const Sum &s, int64_t r, int64_t f, int cplx)
{
    return (double *)s.p + (r * s.rs + f * s.fs) * (cplx ? 2 : 1);
}

/* The batch's spectra (items i0 .. i0 + nb, nfreq interleaved values each)
 * folded into the rows' sums: |X|^2, or conj(X) Y (and |X|^2, |Y|^2 when
 * sxx is given); one thread per (row, frequency). */
template <class R>
__global__ void k_fold(const R *X, const R *Y, int64_t i0, int64_t nb, int64_t nseg,
                       int64_t nfreq, Sum sxy, Sum sxx, Sum syy)
{
    int64_t r0 = i0 / nseg, nrows = (i0 + nb - 1) / nseg - r0 + 1;
    ITEM_LOOP(rr, nrows) GRID_LOOP(f, nfreq) {
        int64_t r = r0 + rr;
        int64_t q0 = (r * nseg > i0 ? r * nseg : i0) - i0;
        int64_t q1 = ((r + 1) * nseg < i0 + nb ? (r + 1) * nseg : i0 + nb) - i0;
        double a0 = 0, a1 = 0, ax = 0, ay = 0;
#pragma unroll 4    /* several independent loads in flight per thread */
        for (int64_t q = q0; q < q1; q++) {
            const R *xv = X + (q * nfreq + f) * 2;
            double xr = xv[0], xi = xv[1];
            if (!Y) {
                a0 += xr * xr + xi * xi;
                continue;
            }
            const R *yv = Y + (q * nfreq + f) * 2;
            double yr = yv[0], yi = yv[1];
            a0 += xr * yr + xi * yi;
            a1 += xr * yi - xi * yr;
            ax += xr * xr + xi * xi;
            ay += yr * yr + yi * yi;
        }
        double *o = sum_at(sxy, r, f, Y != NULL);
        o[0] += a0;
        if (Y)
            o[1] += a1;
        if (sxx.p) {
            *sum_at(sxx, r, f, 0) += ax;
            *sum_at(syy, r, f, 0) += ay;
        }
    }
}

/* The descriptor, x [R, span] and w [nperseg] as both slots take them
 * (fn names the slot in messages); *dt becomes x's dtype code. */
static int check_input(const char *fn, const xp_welch_desc *d, const DLTensor *x,
                       const DLTensor *w, int *dt)
{
    if (!d || d->size != sizeof *d || d->nperseg < 1 || d->step < 1 || d->nseg < 0
        || d->nfft < d->nperseg || d->nfft > INT32_MAX || (unsigned)d->detrend > 2)
        return xpc_error(XP_EINVAL, "%s: invalid descriptor", fn);
    int rc;
    if ((rc = check_dt(fn, x, "x", dt)))
        return rc;
    if (x->ndim != 2)
        return xpc_error(XP_ESHAPE, "%s: x must be 2-D, not %d-D", fn, x->ndim);
    if (d->nseg > 0 && (d->nseg - 1) * d->step + d->nperseg > x->shape[1])
        return xpc_error(XP_ESHAPE, "%s: %lld segments do not fit in %lld samples", fn,
                         (long long)d->nseg, (long long)x->shape[1]);
    if (d->onesided && ISC(*dt))
        return xpc_error(XP_EINVAL, "%s: complex input needs onesided = 0", fn);
    if (w->ndim != 1 || w->shape[0] != d->nperseg || xpc_dtype(w) != (*dt & 1))
        return xpc_error(XP_ESHAPE, "%s: w must be [nperseg] of x's real dtype", fn);
    return XP_OK;
}

static int check(const xp_welch_desc *d, const DLTensor *x, const DLTensor *y,
                 const DLTensor *w, const DLTensor *sxy, const DLTensor *sxx,
                 const DLTensor *syy, int *dt)
{
    const char *fn = "welch_segments";
    int rc = check_input(fn, d, x, w, dt);
    if (rc)
        return rc;
    if (y && (y->ndim != 2 || y->shape[0] != x->shape[0] || y->shape[1] != x->shape[1]))
        return xpc_error(XP_ESHAPE, "%s: x and y must be 2-D of one shape", fn);
    if (y && xpc_dtype(y) != *dt)
        return xpc_error(XP_EDTYPE, "%s: x and y dtypes differ", fn);
    int64_t nf = d->onesided ? d->nfft / 2 + 1 : d->nfft;
    const DLTensor *sums[3] = {sxy, sxx, syy};
    for (int k = 0; k < 3; k++) {
        const DLTensor *s = sums[k];
        int want = k == 0 && y ? 3 : 1;     /* complex128 or float64 */
        if (s && (xpc_dtype(s) != want || s->ndim != 2 || s->shape[0] != x->shape[0]
                  || s->shape[1] != nf))
            return xpc_error(XP_ESHAPE, "%s: sums must be [%lld, %lld] %s", fn,
                             (long long)x->shape[0], (long long)nf,
                             want == 3 ? "complex128" : "float64");
    }
    if (!sxy || (!sxx) != (!syy) || (sxx && !y))
        return xpc_error(XP_EINVAL, "%s: sxy is required; sxx and syy go together and need y",
                         fn);
    return XP_OK;
}

static Segs segs_of(const xp_welch_desc *d, const DLTensor *t, int c)
{
    Segs g;
    g.x = base_of(t);
    g.rs = t->strides[0];
    g.ts = t->strides[1];
    g.nseg = d->nseg;
    g.step = d->step;
    g.L = d->nperseg;
    g.c = c;
    return g;
}

static Sum sum_of(const DLTensor *t)
{
    Sum s = {NULL, 0, 0};
    if (t) {
        s.p = base_of(t);
        s.rs = t->strides[0];
        s.fs = t->strides[1];
    }
    return s;
}

/* Items [i0, i0 + nb) of one input: detrended, windowed, zero-padded
 * into buf, then transformed into spec (nb rows of nfreq values). */
template <class R>
static int transform(const xp_welch_desc *d, const Segs &g, const DLTensor *w, int64_t i0,
                     int64_t nb, void *buf, void *spec, double *part, double *fit)
{
    int cout = !d->onesided, kind = d->onesided ? XP_FFT_R2C : XP_FFT_C2C_FORWARD;
    int64_t nch = (d->nperseg + CH - 1) / CH;
    if (d->detrend) {
        XPC_LAUNCH(grid2(nch, nb), NT, k_seg_partial<R>)(g, i0, nb, nch, part);
        XPC_LAUNCH(blocks_for(nb), NT, k_seg_fit)(part, nb, nch, d->nperseg,
                                                  d->detrend == 2, fit);
    }
    XPC_LAUNCH(grid2(d->nfft, nb), NT, k_seg_fill<R>)(
        g, i0, nb, base_of(w), w->strides[0], d->detrend, fit, d->nfft, cout, (R *)buf);
    return xpc_fft_rows(kind, sizeof(R) == 8, d->nfft, nb, buf, spec);
}

/* One batch, items [i0, i0 + nb): both inputs into spectra, then folded. */
template <class R>
static int batch(const xp_welch_desc *d, const Segs *g, int nin, const DLTensor *w, int64_t i0,
                 int64_t nb, void *const *buf, void *const *spec, double *part, double *fit,
                 const DLTensor *sxy, const DLTensor *sxx, const DLTensor *syy)
{
    int64_t nfreq = d->onesided ? d->nfft / 2 + 1 : d->nfft;
    for (int k = 0; k < nin; k++) {
        int rc = transform<R>(d, g[k], w, i0, nb, buf[k], spec[k], part, fit);
        if (rc)
            return rc;
    }
    int64_t nrows = (i0 + nb - 1) / d->nseg - i0 / d->nseg + 1;
    XPC_LAUNCH(grid2(nfreq, nrows), NT, k_fold<R>)(
        (const R *)spec[0], nin > 1 ? (const R *)spec[1] : NULL, i0, nb, d->nseg, nfreq,
        sum_of(sxy), sum_of(sxx), sum_of(syy));
    return XP_OK;
}

extern "C" int xpc_welch_segments(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                                  const DLTensor *y, const DLTensor *w, const DLTensor *sxy,
                                  const DLTensor *sxx, const DLTensor *syy)
{
    const char *fn = "welch_segments";
    int dt = -1, rc = check(d, x, y, w, sxy, sxx, syy, &dt);
    if (rc || d->nseg == 0 || x->shape[0] == 0)
        return rc;
    int nin = y ? 2 : 1, cout = !d->onesided;
    size_t rsz = IS64(dt) ? 8 : 4;
    int64_t items = x->shape[0] * d->nseg, nch = (d->nperseg + CH - 1) / CH;
    int64_t nfreq = d->onesided ? d->nfft / 2 + 1 : d->nfft;
    size_t in_item = (size_t)d->nfft * (cout ? 2 : 1) * rsz, out_item = (size_t)nfreq * 2 * rsz;
    int64_t B = (int64_t)(xpc_batch_bytes() / ((in_item + out_item) * nin));
    B = B < 1 ? 1 : B > items ? items : B;
    Segs g[2] = {segs_of(d, x, ISC(dt)), y ? segs_of(d, y, ISC(dt)) : Segs()};
    void *buf[2] = {NULL, NULL}, *spec[2] = {NULL, NULL}, *part = NULL, *fit = NULL;
    for (int k = 0; k < nin && !rc; k++)
        if (!(rc = xpc_scratch(fn, (size_t)B * in_item, &buf[k])))
            rc = xpc_scratch(fn, (size_t)B * out_item, &spec[k]);
    if (!rc && d->detrend && !(rc = xpc_scratch(fn, (size_t)(B * nch * 4) * 8, &part)))
        rc = xpc_scratch(fn, (size_t)(B * 4) * 8, &fit);
    for (int64_t i0 = 0; !rc && i0 < items; i0 += B) {
        int64_t nb = items - i0 < B ? items - i0 : B;
        rc = IS64(dt) ? batch<double>(d, g, nin, w, i0, nb, buf, spec, (double *)part,
                                      (double *)fit, sxy, sxx, syy)
                      : batch<float>(d, g, nin, w, i0, nb, buf, spec, (double *)part,
                                     (double *)fit, sxy, sxx, syy);
    }
    if (!rc)
        rc = finish(fn);
    for (int k = 0; k < 2; k++) {
        xpc_scratch_free(buf[k]);
        xpc_scratch_free(spec[k]);
    }
    xpc_scratch_free(part);
    xpc_scratch_free(fit);
    return rc;
}

/* The batch's spectra (items i0 .. i0 + nb, nfreq interleaved values
 * each, contiguous) into X[r, k, :] at X's strides (elements). */
template <class R>
__global__ void k_place(const R *spec, int64_t i0, int64_t nb, int64_t nseg, int64_t nfreq,
                        char *X, int64_t rs, int64_t ks, int64_t fs)
{
    ITEM_LOOP(q, nb) {
        int64_t r, k;
        divmod(i0 + q, nseg, &r, &k);
        R *o = (R *)X + (r * rs + k * ks) * 2;
        GRID_LOOP(f, nfreq) {
            const R *v = spec + (q * nfreq + f) * 2;
            o[f * fs * 2] = v[0];
            o[f * fs * 2 + 1] = v[1];
        }
    }
}

extern "C" int xpc_segment_spectra(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                                   const DLTensor *w, const DLTensor *X)
{
    const char *fn = "segment_spectra";
    int dt = -1, rc = check_input(fn, d, x, w, &dt);
    if (rc)
        return rc;
    int64_t nfreq = d->onesided ? d->nfft / 2 + 1 : d->nfft;
    int want = (dt & 1) | 2;                    /* complex of x's precision */
    if (xpc_dtype(X) != want || X->ndim != 3 || X->shape[0] != x->shape[0]
        || X->shape[1] != d->nseg || X->shape[2] != nfreq)
        return xpc_error(XP_ESHAPE, "%s: X must be [%lld, %lld, %lld] %s", fn,
                         (long long)x->shape[0], (long long)d->nseg, (long long)nfreq,
                         IS64(dt) ? "complex128" : "complex64");
    if (d->nseg == 0 || x->shape[0] == 0)
        return XP_OK;
    size_t rsz = IS64(dt) ? 8 : 4;
    int64_t items = x->shape[0] * d->nseg, nch = (d->nperseg + CH - 1) / CH;
    /* X laid out as the batches' spectra: cuFFT writes there directly */
    int direct = X->strides[2] == 1 && X->strides[1] == nfreq
                 && (X->shape[0] == 1 || X->strides[0] == d->nseg * nfreq);
    size_t in_item = (size_t)d->nfft * (d->onesided ? 1 : 2) * rsz;
    size_t out_item = direct ? 0 : (size_t)nfreq * 2 * rsz;
    int64_t B = (int64_t)(xpc_batch_bytes() / (in_item + out_item));
    B = B < 1 ? 1 : B > items ? items : B;
    Segs g = segs_of(d, x, ISC(dt));
    void *buf = NULL, *spec = NULL, *part = NULL, *fit = NULL;
    rc = xpc_scratch(fn, (size_t)B * in_item, &buf);
    if (!rc && !direct)
        rc = xpc_scratch(fn, (size_t)B * out_item, &spec);
    if (!rc && d->detrend && !(rc = xpc_scratch(fn, (size_t)(B * nch * 4) * 8, &part)))
        rc = xpc_scratch(fn, (size_t)(B * 4) * 8, &fit);
    char *Xb = base_of(X);
    for (int64_t i0 = 0; !rc && i0 < items; i0 += B) {
        int64_t nb = items - i0 < B ? items - i0 : B;
        void *out = direct ? (void *)(Xb + (size_t)(i0 * nfreq) * 2 * rsz) : spec;
        rc = IS64(dt) ? transform<double>(d, g, w, i0, nb, buf, out, (double *)part,
                                          (double *)fit)
                      : transform<float>(d, g, w, i0, nb, buf, out, (double *)part,
                                         (double *)fit);
        if (!rc && !direct) {
            if (IS64(dt))
                XPC_LAUNCH(grid2(nfreq, nb), NT, k_place<double>)(
                    (const double *)spec, i0, nb, d->nseg, nfreq, Xb, X->strides[0],
                    X->strides[1], X->strides[2]);
            else
                XPC_LAUNCH(grid2(nfreq, nb), NT, k_place<float>)(
                    (const float *)spec, i0, nb, d->nseg, nfreq, Xb, X->strides[0],
                    X->strides[1], X->strides[2]);
        }
    }
    if (!rc)
        rc = finish(fn);
    xpc_scratch_free(buf);
    xpc_scratch_free(spec);
    xpc_scratch_free(part);
    xpc_scratch_free(fit);
    return rc;
}
