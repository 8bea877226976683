/*
 * host_welch.c -- the fused Welch inner loops on the host: Welch's sums
 * (welch_segments) and the segments' spectra themselves (segment_spectra,
 * what spectrogram and median averaging keep).
 *
 * The composed version (copy frames, detrend, window, batched FFT, |X|^2,
 * reduce) streams each block through memory seven times; here each
 * segment is read once to find its mean (or line), read again to write the
 * detrended, windowed values into a zero-padded buffer, transformed in
 * place in cache and folded straight into a per-thread float64 sum.  Work
 * is split across threads by (row, segment); a thread adds its sum into a
 * row it covers whole when it moves on, and keeps its sums of the (at most
 * two) rows it shares with other threads, which are added in thread order
 * once all are done: the result does not depend on the threads' timing.
 */
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "host.h"
#include "host_fftplan.h"

typedef struct {
    const xp_welch_desc *d;
    int single, cplx_in, pair;      /* float32 precision; complex input; y given */
    int64_t R, nfreq;
    const char *x, *y;              /* first elements */
    int64_t xrs, xts, yrs, yts;     /* row and time strides (elements) */
    const char *w;
    xp_fft_kind kind;
    xp__host_fftplan plan;
    const DLTensor *sxy, *sxx, *syy;
    char *out;                      /* segment_spectra: X's first element */
    int64_t ors, oks, ofs;          /* and its strides (elements) */
    int64_t *slot_row;              /* [threads][2]: the shared rows kept, or -1 */
} welch_job;

/* Detrended, windowed segment into buf: real (stride 1) for R2C, complex
 * (interleaved) for C2C; the tail up to nfft stays zero. */
#define LOAD(NAME, T)                                                          \
static void NAME(const welch_job *J, const T *seg, int64_t ts, T *buf)        \
{                                                                              \
    const xp_welch_desc *d = J->d;                                             \
    const T *w = (const T *)J->w;                                              \
    int64_t L = d->nperseg, ci = J->cplx_in ? 2 : 1;                           \
    int out_c = J->kind != XP_FFT_R2C;                                         \
    double m[2] = {0, 0}, b[2] = {0, 0}, c = (L - 1) / 2.0;                    \
    if (d->detrend) {                                                          \
        for (int64_t i = 0; i < L; i++)                                        \
            for (int64_t p = 0; p < ci; p++) {                                 \
                double v = seg[i * ts * ci + p];                               \
                m[p] += v;                                                     \
                b[p] += (i - c) * v;                                           \
            }                                                                  \
        for (int p = 0; p < 2; p++) {                                          \
            m[p] /= (double)L;                                                 \
            b[p] = d->detrend == 2 && L > 1                                    \
                       ? b[p] / (L * ((double)L * L - 1) / 12.0) : 0.0;        \
        }                                                                      \
    }                                                                          \
    for (int64_t i = 0; i < L; i++) {                                          \
        for (int64_t p = 0; p < ci; p++) {                                     \
            T v = seg[i * ts * ci + p];                                        \
            if (d->detrend == 1)                                               \
                v = (T)(v - m[p]);                                             \
            else if (d->detrend == 2)                                          \
                v = (T)(v - (m[p] + b[p] * (i - c)));                          \
            buf[out_c ? 2 * i + p : i] = v * w[i];                             \
        }                                                                      \
        if (out_c && ci == 1)                                                  \
            buf[2 * i + 1] = 0;                                                \
    }                                                                          \
}
LOAD(load_gen_d, double)
LOAD(load_gen_f, float)

/* sum x[i] and, when t is given, sum i x[i] over i < L, in eight
 * independent partial sums: one running sum waits an add's latency per
 * element. */
#define SUMS_OF(NAME, T)                                                       \
XP__SIMD_CLONES                                                                \
static double NAME(const T *restrict x, int64_t L, double *t)                  \
{                                                                              \
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;     \
    double t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;     \
    int64_t i = 0;                                                             \
    if (!t) {                                                                  \
        for (; i + 8 <= L; i += 8) {                                           \
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3];        \
            s4 += x[i + 4]; s5 += x[i + 5]; s6 += x[i + 6]; s7 += x[i + 7];    \
        }                                                                      \
    } else {                                                                   \
        for (; i + 8 <= L; i += 8) {                                           \
            double k = (double)i;                                              \
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3];        \
            s4 += x[i + 4]; s5 += x[i + 5]; s6 += x[i + 6]; s7 += x[i + 7];    \
            t0 += k * x[i]; t1 += (k + 1) * x[i + 1];                          \
            t2 += (k + 2) * x[i + 2]; t3 += (k + 3) * x[i + 3];                \
            t4 += (k + 4) * x[i + 4]; t5 += (k + 5) * x[i + 5];                \
            t6 += (k + 6) * x[i + 6]; t7 += (k + 7) * x[i + 7];                \
        }                                                                      \
    }                                                                          \
    double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));              \
    double tt = ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7));             \
    for (; i < L; i++) {                                                       \
        s += x[i];                                                             \
        tt += (double)i * x[i];                                                \
    }                                                                          \
    if (t)                                                                     \
        *t = tt;                                                               \
    return s;                                                                  \
}
SUMS_OF(sums_d, double)
SUMS_OF(sums_f, float)

/* The common case, real samples at unit stride into an R2C buffer, in
 * loops the compiler vectorizes: the sums, then one fused pass. */
#define LOAD_UNIT(NAME, T, GEN, SUMS)                                          \
XP__SIMD_CLONES                                                                \
static void NAME(const welch_job *J, const T *seg, int64_t ts, T *buf)         \
{                                                                              \
    const xp_welch_desc *d = J->d;                                             \
    const T *restrict x = seg, *restrict w = (const T *)J->w;                  \
    T *restrict out = buf;                                                     \
    int64_t L = d->nperseg, i;                                                 \
    if (ts != 1 || J->cplx_in || J->kind != XP_FFT_R2C) {                      \
        GEN(J, seg, ts, buf);                                                  \
        return;                                                                \
    }                                                                          \
    if (d->detrend == 0) {                                                     \
        _Pragma("omp simd")                                                    \
        for (i = 0; i < L; i++)                                                \
            out[i] = x[i] * w[i];                                              \
        return;                                                                \
    }                                                                          \
    double s = 0, t = 0, c = (L - 1) / 2.0;                                  \
    if (d->detrend == 1)                                                       \
        s = SUMS(x, L, NULL);                                                  \
    else                                                                       \
        s = SUMS(x, L, &t);                                                    \
    double m = s / (double)L;                                                  \
    if (d->detrend == 1) {                                                     \
        T mt = (T)m;                                                           \
        if (sizeof(T) == sizeof(double)) {                                     \
            _Pragma("omp simd")                                                \
            for (i = 0; i < L; i++)                                            \
                out[i] = (x[i] - mt) * w[i];                                   \
        } else {                                                               \
            _Pragma("omp simd")                                                \
            for (i = 0; i < L; i++)                                            \
                out[i] = (T)(((double)x[i] - m) * w[i]);                       \
        }                                                                      \
        return;                                                                \
    }                                                                          \
    /* sum (i - c) x_i = sum i x_i - c sum x_i */                              \
    double tt = t, sum = s;                \
    double b = L > 1 ? (tt - c * sum) / (L * ((double)L * L - 1) / 12.0) : 0.0; \
    double a0 = m - b * c;                                                     \
    _Pragma("omp simd")                                                        \
    for (i = 0; i < L; i++)                                                    \
        out[i] = (T)(((double)x[i] - (a0 + b * (double)i)) * w[i]);           \
}
LOAD_UNIT(load_d, double, load_gen_d, sums_d)
LOAD_UNIT(load_f, float, load_gen_f, sums_f)

/* Segment k of row r of an input (x or y: first element, row and time
 * strides) loaded into buf and transformed into out. */
static void transform(const welch_job *J, const char *v, int64_t rs, int64_t ts, int64_t r,
                      int64_t k, char *buf, char *out)
{
    int64_t o = (r * rs + k * J->d->step * ts) * (J->cplx_in ? 2 : 1);
    if (J->single)
        load_f(J, (const float *)v + o, ts, (float *)buf);
    else
        load_d(J, (const double *)v + o, ts, (double *)buf);
    xp__host_fft_exec(J->kind, J->single, J->plan, buf, out);
}

/* conj(X) Y of two bins at a time, where the compiler has vector shuffles:
 * p = X Y and q = X swap(Y) lane by lane, then (p0 + p1, q0 - q1) per bin:
 * the scalar loop's operations in its order, so the same sums. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define WELCH_SHUFFLE 1
#endif
#endif
#ifdef WELCH_SHUFFLE
typedef double welch_v4 __attribute__((vector_size(32)));

XP__SIMD_CLONES
static void cross_fold_d(const double *X, const double *Y, int64_t nf, double *axy)
{
    const welch_v4 sign = {1, -1, 1, -1};
    int64_t k = 0;
    for (; k + 2 <= nf; k += 2) {
        welch_v4 x, y, a;
        memcpy(&x, X + 2 * k, sizeof x);
        memcpy(&y, Y + 2 * k, sizeof y);
        memcpy(&a, axy + 2 * k, sizeof a);
        welch_v4 p = x * y, q = x * __builtin_shufflevector(y, y, 1, 0, 3, 2);
        welch_v4 e = __builtin_shufflevector(p, q, 0, 4, 2, 6);
        welch_v4 o = __builtin_shufflevector(p, q, 1, 5, 3, 7);
        a += e + o * sign;
        memcpy(axy + 2 * k, &a, sizeof a);
    }
    for (; k < nf; k++) {
        double xr = X[2 * k], xi = X[2 * k + 1], yr = Y[2 * k], yi = Y[2 * k + 1];
        axy[2 * k] += xr * yr + xi * yi;
        axy[2 * k + 1] += xr * yi - xi * yr;
    }
}
#define CROSS_FOLD_D(X, Y, nf, axy) (cross_fold_d((X), (Y), (nf), (axy)), 1)
#else
#define CROSS_FOLD_D(X, Y, nf, axy) 0
#endif

/* Fold one segment's spectra into the thread's sums. */
#define FOLD(NAME, T)                                                          \
XP__SIMD_CLONES                                                                \
static void NAME(const welch_job *J, const T *X, const T *Y, double *axy,      \
                 double *axx, double *ayy)                                     \
{                                                                              \
    int64_t nf = J->nfreq;                                                     \
    if (!J->pair) {                                                            \
        _Pragma("omp simd")                                                    \
        for (int64_t k = 0; k < nf; k++) {                                     \
            double re = X[2 * k], im = X[2 * k + 1];                           \
            axy[k] += re * re + im * im;                                       \
        }                                                                      \
        return;                                                                \
    }                                                                          \
    if (sizeof(T) != sizeof(double)                                            \
        || !CROSS_FOLD_D((const double *)X, (const double *)Y, nf, axy)) {     \
        for (int64_t k = 0; k < nf; k++) {                                     \
            double xr = X[2 * k], xi = X[2 * k + 1];                           \
            double yr = Y[2 * k], yi = Y[2 * k + 1];                           \
            axy[2 * k] += xr * yr + xi * yi;        /* conj(X) Y */            \
            axy[2 * k + 1] += xr * yi - xi * yr;                               \
        }                                                                      \
    }                                                                          \
    if (!axx)                                                                  \
        return;                                                                \
    _Pragma("omp simd")                                                        \
    for (int64_t k = 0; k < nf; k++) {                                         \
        double xr = X[2 * k], xi = X[2 * k + 1], yr = Y[2 * k], yi = Y[2 * k + 1]; \
        axx[k] += xr * xr + xi * xi;                                           \
        ayy[k] += yr * yr + yi * yi;                                           \
    }                                                                          \
}
FOLD(fold_d, double)
FOLD(fold_f, float)

/* shared sum row r += the thread's sum (n values, real or interleaved) */
static void flush(const DLTensor *s, int64_t r, const double *a, int cplx, int64_t nf)
{
    if (!s)
        return;
    double *row = (double *)xp__base(s) + xp__row_offset(s, r) * (cplx ? 2 : 1);
    int64_t st = xp__last_stride(s) * (cplx ? 2 : 1);
    for (int64_t k = 0; k < nf; k++) {
        row[k * st] += a[cplx ? 2 * k : k];
        if (cplx)
            row[k * st + 1] += a[2 * k + 1];
    }
}

/* The values of a thread's sums in use: axy (nf real values for welch, 2 nf
 * interleaved for csd), then axx and ayy (nf each) for coherence. */
static int64_t sums_len(const welch_job *J)
{
    return J->nfreq * (J->sxx ? 4 : J->pair ? 2 : 1);
}

/* The sums a (axy: 2 nf values, then axx and ayy: nf each) into the
 * shared rows r. */
static void flush_all(const welch_job *J, int64_t r, const double *a)
{
    int64_t nf = J->nfreq;
    flush(J->sxy, r, a, J->pair, nf);
    flush(J->sxx, r, a + 2 * nf, 0, nf);
    flush(J->syy, r, a + 3 * nf, 0, nf);
}

/* Thread t, items [i0, i1), is done with row r, its sums in a: a row it
 * covers whole is its alone and takes them now; a row shared with other
 * threads keeps them in slot 0 (its first row) or 1 (its last) for
 * combine().  a is cleared for the next row. */
static void settle(welch_job *J, int t, int64_t i0, int64_t i1, int64_t r, double *a,
                   double *slots)
{
    int64_t n = J->d->nseg, len = sums_len(J);
    if (r * n >= i0 && (r + 1) * n <= i1) {
        flush_all(J, r, a);
    } else {
        int s = r == i0 / n ? 0 : 1;
        memcpy(slots + len * s, a, (size_t)len * sizeof *a);
        J->slot_row[2 * t + s] = r;
    }
    memset(a, 0, (size_t)len * sizeof *a);
}

/* The shared rows' sums, thread after thread: a fixed order of additions. */
static void combine(welch_job *J, int nt, char *scratch, size_t per, size_t slot_at)
{
    for (int t = 0; t < nt; t++)
        for (int s = 0; s < 2; s++)
            if (J->slot_row[2 * t + s] >= 0)
                flush_all(J, J->slot_row[2 * t + s],
                          (const double *)(scratch + per * (size_t)t + slot_at)
                              + sums_len(J) * s);
}

/* A thread's buffers, each 64-byte aligned as FFTW's plans expect:
 * two inputs of 2 nfft values, two spectra, four float64 sums of nfreq,
 * and two slots of those sums for the rows it shares (slots_at()). */
static size_t up64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

static size_t slots_at(const welch_job *J)
{
    size_t es = J->single ? sizeof(float) : sizeof(double);
    return 2 * up64(2 * (size_t)J->d->nfft * es) + 2 * up64(2 * (size_t)J->nfreq * es)
           + up64(4 * (size_t)J->nfreq * sizeof(double));
}

static size_t scratch_bytes(const welch_job *J)
{
    return slots_at(J) + up64(2 * (size_t)sums_len(J) * sizeof(double));
}

/* Items [i0, i1) of the R x nseg grid, in row-major order, by thread t. */
static void run_items(welch_job *J, int t, int64_t i0, int64_t i1, char *scratch)
{
    const xp_welch_desc *d = J->d;
    size_t es = J->single ? sizeof(float) : sizeof(double);
    int64_t nf = J->nfreq;
    size_t nb = up64(2 * (size_t)d->nfft * es), ns = up64(2 * (size_t)nf * es);
    char *bx = scratch, *by = bx + nb, *X = by + nb, *Y = X + ns;
    double *axy = (double *)(Y + ns), *axx = axy + 2 * nf, *ayy = axx + nf;
    double *slots = (double *)(scratch + slots_at(J));
    int coh = J->sxx != NULL;
    memset(bx, 0, 2 * nb);
    memset(axy, 0, (size_t)(4 * nf) * sizeof *axy);
    int64_t cur = i0 / d->nseg;
    for (int64_t it = i0; it < i1; it++) {
        int64_t r = it / d->nseg, k = it % d->nseg;
        if (r != cur) {
            settle(J, t, i0, i1, cur, axy, slots);
            cur = r;
        }
        transform(J, J->x, J->xrs, J->xts, r, k, bx, X);
        if (J->pair)
            transform(J, J->y, J->yrs, J->yts, r, k, by, Y);
        if (J->single)
            fold_f(J, (const float *)X, (const float *)Y, axy, coh ? axx : NULL,
                   coh ? ayy : NULL);
        else
            fold_d(J, (const double *)X, (const double *)Y, axy, coh ? axx : NULL,
                   coh ? ayy : NULL);
    }
    if (i1 > i0)
        settle(J, t, i0, i1, cur, axy, slots);
}

/* The descriptor, x [R, span] and w [nperseg] as both slots take them
 * (fn names the slot in messages); *dt becomes x's dtype. */
static int check_input(const char *fn, const xp_welch_desc *d, const DLTensor *x,
                       const DLTensor *w, xp_dtype *dt)
{
    int rc;
    xp_dtype wt;
    if (!d || d->size != sizeof *d || d->nperseg < 1 || d->step < 1 || d->nseg < 0
        || d->nfft < d->nperseg || d->nfft > INT32_MAX || (unsigned)d->detrend > 2)
        return xp_error(XP_EINVAL, "%s: invalid descriptor", fn);
    if (x->ndim != 2)
        return xp_error(XP_ESHAPE, "%s: x must be 2-D, not %d-D", fn, x->ndim);
    if ((rc = xp__tensor_dtype(x, dt)))
        return rc;
    if (d->nseg > 0 && (d->nseg - 1) * d->step + d->nperseg > x->shape[1])
        return xp_error(XP_ESHAPE, "%s: %lld segments do not fit in %lld samples", fn,
                        (long long)d->nseg, (long long)x->shape[1]);
    if (d->onesided && xp_dtype_is_complex(*dt))
        return xp_error(XP_EINVAL, "%s: complex input needs onesided = 0", fn);
    if ((rc = xp__tensor_dtype(w, &wt)))
        return rc;
    if (w->ndim != 1 || w->shape[0] != d->nperseg || wt != xp_dtype_real(*dt))
        return xp_error(XP_ESHAPE, "%s: w must be [nperseg] of x's real dtype", fn);
    if (w->strides[0] != 1)
        return xp_error(XP_ESHAPE, "%s: w must be contiguous", fn);
    return XP_OK;
}

static int check(const xp_welch_desc *d, const DLTensor *x, const DLTensor *y,
                 const DLTensor *w, const DLTensor *sxy, const DLTensor *sxx,
                 const DLTensor *syy, xp_dtype *dt)
{
    int rc;
    xp_dtype st;
    if ((rc = check_input("welch_segments", d, x, w, dt)))
        return rc;
    if (y && (y->ndim != 2 || y->shape[0] != x->shape[0] || y->shape[1] != x->shape[1]))
        return xp_error(XP_ESHAPE, "welch_segments: x and y must be 2-D of one shape");
    if (y && (rc = xp__tensor_dtype(y, &st)) == XP_OK && st != *dt)
        return xp_error(XP_EDTYPE, "welch_segments: x and y dtypes differ");
    if (rc)
        return rc;
    int64_t nf = d->onesided ? d->nfft / 2 + 1 : d->nfft;
    const DLTensor *sums[3] = {sxy, sxx, syy};
    for (int k = 0; k < 3; k++) {
        const DLTensor *s = sums[k];
        xp_dtype want = k == 0 && y ? XP_COMPLEX128 : XP_FLOAT64;
        if (!s)
            continue;
        if ((rc = xp__tensor_dtype(s, &st)))
            return rc;
        if (st != want || s->ndim != 2 || s->shape[0] != x->shape[0] || s->shape[1] != nf)
            return xp_error(XP_ESHAPE, "welch_segments: sums must be [%lld, %lld] %s",
                            (long long)x->shape[0], (long long)nf, xp_dtype_name(want));
    }
    if (!sxy || (!sxx) != (!syy) || (sxx && !y))
        return xp_error(XP_EINVAL, "welch_segments: sxy is required; sxx and syy go together "
                        "and need y");
    return XP_OK;
}

typedef void (*item_loop)(welch_job *J, int t, int64_t i0, int64_t i1, char *scratch);

/* Plan the transform and split the R x nseg items over the threads, each
 * with buffers of its own. */
static int run_parallel(void *ctx, const char *fn, welch_job *J, item_loop loop)
{
    const xp_welch_desc *d = J->d;
    int rc = xp__host_fft_plan(J->kind, J->single, (int)d->nfft, 1, &J->plan);
    if (rc)
        return rc;
    int64_t items = J->R * d->nseg;
    int nt = xp__host_threads(ctx);
    if (nt > items)
        nt = (int)items;
    /* waking a thread team costs more than a few small transforms */
    if (items * d->nfft < ((int64_t)1 << 16))
        nt = 1;
    if (nt < 1)
        nt = 1;
    size_t per = scratch_bytes(J);
    char *scratch = xp__aligned_alloc(per * (size_t)nt);
    int64_t *rows = xp__malloc(2 * (size_t)nt * sizeof *rows);
    if (!scratch || !rows) {
        xp__aligned_free(scratch);
        xp__free(rows);
        return xp_error(XP_ENOMEM, "%s: out of memory for %d threads' buffers", fn, nt);
    }
    for (int i = 0; i < 2 * nt; i++)
        rows[i] = -1;
    J->slot_row = rows;
#pragma omp parallel for num_threads(nt) schedule(static, 1)
    for (int t = 0; t < nt; t++)
        loop(J, t, items * t / nt, items * (t + 1) / nt, scratch + per * (size_t)t);
    combine(J, nt, scratch, per, slots_at(J));
    xp__free(rows);
    xp__aligned_free(scratch);
    return XP_OK;
}

static welch_job job_for(const xp_welch_desc *d, xp_dtype dt, const DLTensor *x,
                         const DLTensor *w)
{
    welch_job J = {.d = d, .single = xp_dtype_real(dt) == XP_FLOAT32,
                   .cplx_in = xp_dtype_is_complex(dt),
                   .R = x->shape[0], .nfreq = d->onesided ? d->nfft / 2 + 1 : d->nfft,
                   .x = xp__base(x), .xrs = x->strides[0], .xts = x->strides[1],
                   .w = xp__base(w), .kind = d->onesided ? XP_FFT_R2C : XP_FFT_C2C_FORWARD};
    return J;
}

int xp__host_welch_segments(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                            const DLTensor *y, const DLTensor *w, const DLTensor *sxy,
                            const DLTensor *sxx, const DLTensor *syy)
{
    xp_dtype dt;
    int rc = check(d, x, y, w, sxy, sxx, syy, &dt);
    if (rc || d->nseg == 0 || x->shape[0] == 0)
        return rc;
    welch_job J = job_for(d, dt, x, w);
    J.pair = y != NULL;
    J.y = y ? xp__base(y) : NULL;
    J.yrs = y ? y->strides[0] : 0;
    J.yts = y ? y->strides[1] : 0;
    J.sxy = sxy;
    J.sxx = sxx;
    J.syy = syy;
    return run_parallel(ctx, "welch_segments", &J, run_items);
}

/* Items [i0, i1) of the R x nseg grid: each segment's spectrum into its
 * row of X. */
static void spectra_items(welch_job *J, int t, int64_t i0, int64_t i1, char *scratch)
{
    (void)t;
    const xp_welch_desc *d = J->d;
    size_t es = J->single ? sizeof(float) : sizeof(double);
    size_t nb = up64(2 * (size_t)d->nfft * es), row = 2 * (size_t)J->nfreq * es;
    char *bx = scratch, *X = bx + 2 * nb;       /* run_items' layout */
    int64_t ofs = J->ofs, width = J->kind == XP_FFT_R2C ? 1 : 2;
    /* the loads write the first nperseg values; the padding stays zero */
    memset(bx + (size_t)(d->nperseg * width) * es, 0,
           (size_t)((d->nfft - d->nperseg) * width) * es);
    for (int64_t it = i0; it < i1; it++) {
        int64_t r = it / d->nseg, k = it % d->nseg;
        transform(J, J->x, J->xrs, J->xts, r, k, bx, X);
        char *dst = J->out + (size_t)(r * J->ors + k * J->oks) * 2 * es;
        if (ofs == 1) {
            memcpy(dst, X, row);
        } else {
            for (int64_t f = 0; f < J->nfreq; f++)
                memcpy(dst + (size_t)(f * ofs) * 2 * es, X + (size_t)f * 2 * es, 2 * es);
        }
    }
}

int xp__host_segment_spectra(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                             const DLTensor *w, const DLTensor *X)
{
    xp_dtype dt, xt;
    int rc = check_input("segment_spectra", d, x, w, &dt);
    if (rc == XP_OK)
        rc = xp__tensor_dtype(X, &xt);
    if (rc)
        return rc;
    int64_t nf = d->onesided ? d->nfft / 2 + 1 : d->nfft;
    if (xt != xp_dtype_complex(dt) || X->ndim != 3 || X->shape[0] != x->shape[0]
        || X->shape[1] != d->nseg || X->shape[2] != nf)
        return xp_error(XP_ESHAPE, "segment_spectra: X must be [%lld, %lld, %lld] %s",
                        (long long)x->shape[0], (long long)d->nseg, (long long)nf,
                        xp_dtype_name(xp_dtype_complex(dt)));
    if (d->nseg == 0 || x->shape[0] == 0)
        return XP_OK;
    welch_job J = job_for(d, dt, x, w);
    J.out = xp__base(X);
    J.ors = X->strides[0];
    J.oks = X->strides[1];
    J.ofs = X->strides[2];
    return run_parallel(ctx, "segment_spectra", &J, spectra_items);
}
