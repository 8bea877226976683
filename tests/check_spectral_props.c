/*
 * check_spectral_props.c -- properties of the spectral estimators on every
 * provider: Parseval, csd(x, x) = welch(x), coherence of a signal with
 * itself, linearity; and the accumulators: any chunking of a stream gives
 * the one-shot result, merging accumulators of two halves gives their
 * segment-weighted combination, median averages refuse to merge; a long
 * spectrogram's columns are its segments' periodograms; stft is the
 * spectrogram of its extended input and istft inverts it; both write into
 * the caller's arrays too; detrend into the caller's array, in place too, is detrend,
 * and a long detrend holds to a long-double fit, in one piece and in two passes
 * over blocks (xps_detrend_acc);
 * two-sided spectra of real input have SciPy's signed zeros.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spectral_common.h"

#define TOL 1e-12

static xp_array *vec(const xp_provider *p, xp_dtype dt, int64_t n, unsigned seed)
{
    return xsp_input(p, dt, 1, &n, seed, 0.5, 1.0);
}

static double sum_of(const xp_array *a)
{
    int64_t n;
    double *v = xpt_get(a, &n), s = 0;
    for (int64_t i = 0; i < n; i++)
        s += v[i];
    free(v);
    return s;
}

/* mean |x|^2 over all elements */
static double power_of(const xp_array *a)
{
    int64_t n;
    double *v = xpt_get(a, &n), s = 0;
    for (int64_t i = 0; i < n; i++)
        s += v[i] * v[i];
    free(v);
    return s / (double)xp_array_size(a);
}

/* ------------------------------------------------------------- Parseval */

/* periodogram with boxcar, no detrend: sum(P) df = mean |x|^2 (density)
 * and sum(P) = mean |x|^2 (spectrum), one- and two-sided, n odd and even */
START_TEST(test_parseval)
{
    const xp_provider *p = xpt_provider(_i);
    const int64_t ns[] = {64, 65, 1, 2, 1000};
    const xp_dtype dts[] = {XP_FLOAT64, XP_COMPLEX128, XP_FLOAT32};
    for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
        for (size_t b = 0; b < 3; b++)
            for (int onesided = 0; onesided < 2; onesided++)
                for (int sc = 0; sc < 2; sc++) {
                    xp_array *x = vec(p, dts[b], ns[a], 7 + (unsigned)a), *P = NULL;
                    xps_spectral_options o;
                    xps_periodogram_options_init(&o);
                    o.detrend = XPS_DETREND_NONE;
                    o.return_onesided = onesided;
                    o.scaling = (xps_scaling)sc;
                    o.fs = 3.0;
                    XPT_OK(xps_periodogram(x, &o, NULL, &P));
                    double lhs = sum_of(P) * (sc ? 1.0 : o.fs / (double)ns[a]);
                    double rhs = power_of(x);
                    double tol = dts[b] == XP_FLOAT32 ? 1e-6 : TOL;
                    ck_assert_msg(fabs(lhs - rhs) <= tol * rhs, "n %lld dtype %s onesided "
                                  "%d scaling %d: %.17g vs %.17g", (long long)ns[a],
                                  xp_dtype_name(dts[b]), onesided, sc, lhs, rhs);
                    xp_array_free(x);
                    xp_array_free(P);
                }
}
END_TEST

/* ------------------------------------------------- csd(x, x) = welch(x) */

START_TEST(test_csd_is_welch)
{
    const xp_provider *p = xpt_provider(_i);
    const xp_dtype dts[] = {XP_FLOAT64, XP_COMPLEX128};
    for (int b = 0; b < 2; b++)
        for (int av = 0; av < 3; av++)
            for (int det = 0; det < 3; det++) {
                int64_t shape[2] = {3, 300};
                xp_array *x = xsp_input(p, dts[b], 2, shape, 30 + (unsigned)det, 1, 1);
                xp_array *P = NULL, *C = NULL, *f1 = NULL, *f2 = NULL;
                xps_spectral_options o;
                xps_welch_options_init(&o);
                o.nperseg = 50;
                o.nfft = 64;
                o.average = (xps_average)av;
                o.detrend = (xps_detrend_type)det;
                XPT_OK(xps_welch(x, &o, &f1, &P));
                XPT_OK(xps_csd(x, x, &o, &f2, &C));
                ck_assert_int_eq(xp_array_dtype(C), XP_COMPLEX128);
                ck_assert(xpt_same(f1, f2));
                int64_t n, m;
                double *pv = xpt_get(P, &n), *cv = xpt_get(C, &m), scale = 0, err = 0;
                ck_assert_int_eq(2 * n, m);
                for (int64_t i = 0; i < n; i++) {
                    scale = fmax(scale, pv[i]);
                    err = fmax(err, fmax(fabs(cv[2 * i] - pv[i]), fabs(cv[2 * i + 1])));
                }
                ck_assert_msg(err <= TOL * scale, "dtype %d average %d detrend %d: %g", b, av,
                              det, err / scale);
                free(pv);
                free(cv);
                xp_array *tmp[] = {x, P, C, f1, f2};
                for (int k = 0; k < 5; k++)
                    xp_array_free(tmp[k]);
            }
}
END_TEST

/* ---------------------------------------- coherence(x, a x) is all ones */

START_TEST(test_coherence_identical)
{
    const xp_provider *p = xpt_provider(_i);
    const double gains[] = {1.0, 2.5, -1.0};
    const xp_dtype dts[] = {XP_FLOAT64, XP_COMPLEX128, XP_FLOAT32};
    for (int b = 0; b < 3; b++)
        for (int g = 0; g < 3; g++) {
            int64_t n = 400;
            xp_array *x = vec(p, dts[b], n, 40 + (unsigned)b), *y = NULL, *C = NULL;
            xp_dtype wide = xp_dtype_is_complex(dts[b]) ? XP_COMPLEX128 : XP_FLOAT64;
            int64_t nv;
            double *v = xpt_get(x, &nv);
            for (int64_t i = 0; i < nv; i++)
                v[i] *= gains[g];
            y = xpt_array(p, dts[b] == XP_FLOAT32 ? XP_FLOAT32 : wide, 1, &n, v);
            free(v);
            xps_spectral_options o;
            xps_welch_options_init(&o);
            o.nperseg = 64;
            XPT_OK(xps_coherence(x, y, &o, NULL, &C));
            int64_t m;
            double *c = xpt_get(C, &m), err = 0;
            for (int64_t i = 0; i < m; i++)
                err = fmax(err, fabs(c[i] - 1.0));
            ck_assert_msg(err <= (dts[b] == XP_FLOAT32 ? 1e-6 : TOL), "dtype %s gain %g: "
                          "|C - 1| = %g", xp_dtype_name(dts[b]), gains[g], err);
            free(c);
            xp_array_free(x);
            xp_array_free(y);
            xp_array_free(C);
        }
}
END_TEST

/* ------------------------------------------------------------ linearity */

/* a * A + b * B into a new array like A (complex arrays interleaved) */
static xp_array *combine(double a, const xp_array *A, double b, const xp_array *B)
{
    int64_t n, m;
    double *va = xpt_get(A, &n), *vb = xpt_get(B, &m);
    ck_assert_int_eq(n, m);
    for (int64_t i = 0; i < n; i++)
        va[i] = a * va[i] + b * vb[i];
    const DLTensor *t = xp_array_dltensor(A);
    xp_array *r = xpt_array(xp_array_provider(A), xp_array_dtype(A), t->ndim, t->shape, va);
    free(va);
    free(vb);
    return r;
}

START_TEST(test_linearity)
{
    const xp_provider *p = xpt_provider(_i);
    const double a = 1.75, b = -0.6;
    int64_t shape[2] = {2, 256};
    xp_array *x1 = xsp_input(p, XP_FLOAT64, 2, shape, 51, 1, 1);
    xp_array *x2 = xsp_input(p, XP_FLOAT64, 2, shape, 52, -2, 1);
    xp_array *y = xsp_input(p, XP_FLOAT64, 2, shape, 53, 0, 1);
    xp_array *mix = combine(a, x1, b, x2);
    xps_spectral_options o;

    /* csd is linear in y (and conjugate-linear in x: real a, b here) */
    xps_welch_options_init(&o);
    o.nperseg = 64;
    o.detrend = XPS_DETREND_LINEAR;
    xp_array *C1 = NULL, *C2 = NULL, *Cm = NULL, *D1 = NULL, *D2 = NULL, *Dm = NULL;
    XPT_OK(xps_csd(y, x1, &o, NULL, &C1));
    XPT_OK(xps_csd(y, x2, &o, NULL, &C2));
    XPT_OK(xps_csd(y, mix, &o, NULL, &Cm));
    xp_array *want = combine(a, C1, b, C2);
    ck_assert_double_le(xpt_array_err(Cm, want), TOL);
    xp_array_free(want);
    XPT_OK(xps_csd(x1, y, &o, NULL, &D1));
    XPT_OK(xps_csd(x2, y, &o, NULL, &D2));
    XPT_OK(xps_csd(mix, y, &o, NULL, &Dm));
    want = combine(a, D1, b, D2);
    ck_assert_double_le(xpt_array_err(Dm, want), TOL);
    xp_array_free(want);
    xp_array *tmp[] = {C1, C2, Cm, D1, D2, Dm};
    for (int k = 0; k < 6; k++)
        xp_array_free(tmp[k]);
    C1 = C2 = Cm = D1 = D2 = Dm = NULL;

    /* the complex spectrogram and detrend are linear */
    xps_spectrogram_options_init(&o);
    o.nperseg = 40;
    o.mode = XPS_MODE_COMPLEX;
    o.detrend = XPS_DETREND_LINEAR;
    XPT_OK(xps_spectrogram(x1, &o, NULL, NULL, &C1));
    XPT_OK(xps_spectrogram(x2, &o, NULL, NULL, &C2));
    XPT_OK(xps_spectrogram(mix, &o, NULL, NULL, &Cm));
    want = combine(a, C1, b, C2);
    ck_assert_double_le(xpt_array_err(Cm, want), TOL);
    xp_array_free(want);
    const int64_t bp[2] = {100, 30};
    XPT_OK(xps_detrend(x1, -1, XPS_DETREND_LINEAR, bp, 2, &D1));
    XPT_OK(xps_detrend(x2, -1, XPS_DETREND_LINEAR, bp, 2, &D2));
    XPT_OK(xps_detrend(mix, -1, XPS_DETREND_LINEAR, bp, 2, &Dm));
    want = combine(a, D1, b, D2);
    ck_assert_double_le(xpt_array_err(Dm, want), TOL);
    xp_array_free(want);
    xp_array *tmp2[] = {C1, C2, Cm, D1, D2, Dm};
    for (int k = 0; k < 6; k++)
        xp_array_free(tmp2[k]);

    /* welch(a x) = a^2 welch(x), mean and median; a line added to x does
     * not change a linearly detrended estimate */
    for (int av = 0; av < 3; av++) {
        xps_welch_options_init(&o);
        o.nperseg = 64;
        o.average = (xps_average)av;
        o.detrend = XPS_DETREND_LINEAR;
        xp_array *scaled = combine(a, x1, 0, x1), *P = NULL, *Ps = NULL;
        XPT_OK(xps_welch(x1, &o, NULL, &P));
        XPT_OK(xps_welch(scaled, &o, NULL, &Ps));
        want = combine(a * a, P, 0, P);
        ck_assert_double_le(xpt_array_err(Ps, want), TOL);
        xp_array_free(want);
        xp_array_free(scaled);
        xp_array_free(Ps);
        double *line = malloc(2 * 256 * sizeof *line);
        for (int64_t i = 0; i < 512; i++)
            line[i] = 3.0 - 0.01 * (double)(i % 256);
        xp_array *L = xpt_array(p, XP_FLOAT64, 2, shape, line);
        free(line);
        xp_array *xl = combine(1, x1, 1, L);
        XPT_OK(xps_welch(xl, &o, NULL, &Ps));
        ck_assert_double_le(xpt_array_err(Ps, P), 1e-10);
        xp_array_free(L);
        xp_array_free(xl);
        xp_array_free(Ps);
        xp_array_free(P);
    }
    xp_array_free(x1);
    xp_array_free(x2);
    xp_array_free(y);
    xp_array_free(mix);
}
END_TEST

/* --------------------------------------------------------- accumulators */

/* Feed x (and y) to acc in the chunks [bounds[k], bounds[k+1]) along axis;
 * odd chunks go as fresh contiguous copies, even ones as views. */
static void feed_chunks(xps_spectral_acc *acc, const xp_array *x, const xp_array *y,
                        int axis, const int64_t *bounds, int nb)
{
    for (int k = 0; k + 1 < nb; k++) {
        xp_array *vx = NULL, *vy = NULL, *cx = NULL, *cy = NULL;
        int64_t len = bounds[k + 1] - bounds[k];
        XPT_OK(xp__view_slice(x, axis, len ? bounds[k] : 0, len, 1, &vx));
        if (y)
            XPT_OK(xp__view_slice(y, axis, len ? bounds[k] : 0, len, 1, &vy));
        if (k % 2) {
            XPT_OK(xp_array_astype(vx, xp_array_dtype(vx), &cx));
            if (y)
                XPT_OK(xp_array_astype(vy, xp_array_dtype(vy), &cy));
        }
        XPT_OK(xps_spectral_acc_feed(acc, cx ? cx : vx, cy ? cy : vy));
        xp_array_free(vx);
        xp_array_free(vy);
        xp_array_free(cx);
        xp_array_free(cy);
    }
}

typedef struct {
    const char *what;
    int nb;
    int64_t b[1100];
} chunking;

static void add_bound(chunking *c, int64_t v)
{
    ck_assert(c->nb < (int)(sizeof c->b / sizeof c->b[0]));
    c->b[c->nb++] = v;
}

/* Chunkings of n samples for segments of L with hop step. */
static int make_chunkings(chunking *cs, int64_t n, int64_t L, int64_t step, unsigned seed)
{
    int nc = 0;
    chunking *c;
    /* one chunk */
    c = &cs[nc++];
    c->what = "one chunk";
    c->nb = 0;
    add_bound(c, 0);
    add_bound(c, n);
    /* random lengths 0 .. 3 L (zero-length chunks included) */
    for (int r = 0; r < 3; r++) {
        c = &cs[nc++];
        c->what = "random";
        c->nb = 0;
        double u;
        add_bound(c, 0);
        if (r == 0)
            add_bound(c, 0);        /* an empty chunk first */
        for (int64_t at = 0; at < n;) {
            xpt_random(&u, 1, seed + 17 * (unsigned)at + (unsigned)r);
            at += (int64_t)((u + 1) * 1.5 * (double)L);
            add_bound(c, at < n ? at : n);
        }
    }
    /* every length 1 */
    c = &cs[nc++];
    c->what = "length 1";
    c->nb = 0;
    for (int64_t at = 0; at <= n; at++)
        add_bound(c, at);
    /* length nperseg - 1 */
    c = &cs[nc++];
    c->what = "length nperseg - 1";
    c->nb = 0;
    for (int64_t at = 0; at < n; at += L > 1 ? L - 1 : 1)
        add_bound(c, at);
    add_bound(c, n);
    /* boundaries inside the overlap of segments k and k + 1: just after
     * k + 1 starts, and just before k ends */
    c = &cs[nc++];
    c->what = "inside the overlap";
    c->nb = 0;
    add_bound(c, 0);
    for (int64_t k = 0; (k + 1) * step + 1 < n && L - step > 1; k++) {
        int64_t at = k % 2 ? k * step + L - 1 : (k + 1) * step + 1;
        if (at > c->b[c->nb - 1] && at < n)
            add_bound(c, at);
    }
    add_bound(c, n);
    return nc;
}

static int one_shot(xps_acc_kind kind, const xp_array *x, const xp_array *y,
                    const xps_spectral_options *o, xp_array **f, xp_array **out)
{
    return kind == XPS_ACC_WELCH ? xps_welch(x, o, f, out)
         : kind == XPS_ACC_CSD ? xps_csd(x, y, o, f, out) : xps_coherence(x, y, o, f, out);
}

static const char *kind_names[] = {"welch", "csd", "coherence"};

static void chunking_case(const xp_provider *p, xps_acc_kind kind, xp_dtype dt, int ndim,
                          int axis, xps_average av, int64_t L, int64_t noverlap,
                          xps_detrend_type det)
{
    int64_t n = 300, shape[2];
    if (ndim == 1)
        shape[0] = n;
    else if (axis == 0)
        shape[0] = n, shape[1] = 2;
    else
        shape[0] = 2, shape[1] = n;
    xp_array *x = xsp_input(p, dt, ndim, shape, 61, 1, 1), *y = NULL;
    if (kind != XPS_ACC_WELCH)
        y = xsp_input(p, dt, ndim, shape, 62, -1, 1);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = L;
    o.noverlap = noverlap;
    o.axis = axis;
    o.average = av;
    o.detrend = det;
    xp_array *f0 = NULL, *ref = NULL;
    XPT_OK(one_shot(kind, x, y, &o, &f0, &ref));
    int64_t step = L - noverlap, nseg = (n - noverlap) / step;
    static chunking cs[8];
    int nc = make_chunkings(cs, n, L, step, 71 + (unsigned)L);
    double tol = xp_dtype_real(dt) == XP_FLOAT32 ? 1e-5 : TOL;
    for (int k = 0; k < nc; k++) {
        int64_t live = xpt_live(p);
        xps_spectral_acc *acc = NULL;
        xp_array *f = NULL, *out = NULL;
        XPT_OK(xps_spectral_acc_begin(kind, &o, p, dt, ndim, shape, &acc));
        feed_chunks(acc, x, y, axis, cs[k].b, cs[k].nb);
        ck_assert_int_eq(xps_spectral_acc_segments(acc), nseg);
        XPT_OK(xps_spectral_acc_end(acc, &f, &out));
        xps_spectral_acc_free(acc);
        ck_assert(xpt_same(f, f0));
        double e = xpt_array_err(out, ref);
        ck_assert_msg(e <= tol, "%s %s ndim %d axis %d average %d nperseg %lld noverlap "
                      "%lld, %s chunks: error %g", kind_names[kind], xp_dtype_name(dt), ndim,
                      axis, (int)av, (long long)L, (long long)noverlap, cs[k].what, e);
        xp_array_free(f);
        xp_array_free(out);
        ck_assert_int_eq(xpt_live(p), live);
    }
    xp_array_free(f0);
    xp_array_free(ref);
    xp_array_free(x);
    xp_array_free(y);
}

START_TEST(test_acc_chunking)
{
    const xp_provider *p = xpt_provider(_i);
    for (int kind = 0; kind < 3; kind++) {
        for (int av = 0; av < 3; av++) {
            if (kind == XPS_ACC_COHERENCE && av)
                continue;
            chunking_case(p, kind, XP_FLOAT64, 1, -1, av, 32, 16, XPS_DETREND_CONSTANT);
            chunking_case(p, kind, XP_FLOAT64, 2, 0, av, 25, 24, XPS_DETREND_LINEAR);
        }
        chunking_case(p, kind, XP_FLOAT64, 2, -1, XPS_AVERAGE_MEAN, 40, 0, XPS_DETREND_NONE);
        chunking_case(p, kind, XP_COMPLEX128, 1, -1, XPS_AVERAGE_MEAN, 33, 20,
                      XPS_DETREND_LINEAR);
        chunking_case(p, kind, XP_FLOAT32, 2, -1, XPS_AVERAGE_MEAN, 32, 8,
                      XPS_DETREND_CONSTANT);
        chunking_case(p, kind, XP_FLOAT64, 1, -1, XPS_AVERAGE_MEAN, 1, 0, XPS_DETREND_NONE);
        chunking_case(p, kind, XP_FLOAT64, 1, -1, XPS_AVERAGE_MEAN, 2, 1, XPS_DETREND_NONE);
    }
}
END_TEST

/* ----------------------------------------------------------------- merge */

/* Two accumulators fed the halves [0, n1) and [n1, n) as separate streams,
 * merged: the result is the segment-weighted mean of the halves' estimates
 * (coherence: of their csd and psds).  Median averages refuse to merge. */
static void merge_case(const xp_provider *p, xps_acc_kind kind, xp_dtype dt, int64_t n1)
{
    int64_t n = 301, shape[2] = {2, n};
    xp_array *x = xsp_input(p, dt, 2, shape, 81, 1, 1), *y = NULL;
    if (kind != XPS_ACC_WELCH)
        y = xsp_input(p, dt, 2, shape, 82, 0, 1);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = 30;
    o.noverlap = 12;
    xps_spectral_acc *A = NULL, *B = NULL;
    XPT_OK(xps_spectral_acc_begin(kind, &o, p, dt, 2, shape, &A));
    XPT_OK(xps_spectral_acc_begin(kind, &o, p, dt, 2, shape, &B));
    int64_t ba[3] = {0, n1 / 2, n1}, bb[3] = {n1, n1 + 50, n};
    feed_chunks(A, x, y, -1, ba, 3);
    feed_chunks(B, x, y, -1, bb, 3);
    int64_t na = xps_spectral_acc_segments(A), nb = xps_spectral_acc_segments(B);
    XPT_OK(xps_spectral_acc_merge(A, B));
    ck_assert_int_eq(xps_spectral_acc_segments(A), na + nb);
    xp_array *out = NULL;
    XPT_OK(xps_spectral_acc_end(A, NULL, &out));

    /* the halves' one-shot estimates */
    xp_array *hx[2] = {NULL, NULL}, *hy[2] = {NULL, NULL};
    int64_t lo[2] = {0, n1}, len[2] = {n1, n - n1};
    double w[2] = {(double)na, (double)nb};
    int64_t m = 0;
    double *acc3[3] = {NULL, NULL, NULL};       /* weighted sums: Pxy or Pxx; Pxx; Pyy */
    for (int h = 0; h < 2; h++) {
        XPT_OK(xp__view_slice(x, -1, lo[h], len[h], 1, &hx[h]));
        if (y)
            XPT_OK(xp__view_slice(y, -1, lo[h], len[h], 1, &hy[h]));
        xp_array *est[3] = {NULL, NULL, NULL};
        if (kind == XPS_ACC_WELCH) {
            XPT_OK(xps_welch(hx[h], &o, NULL, &est[0]));
        } else {
            XPT_OK(xps_csd(hx[h], hy[h], &o, NULL, &est[0]));
            if (kind == XPS_ACC_COHERENCE) {
                XPT_OK(xps_welch(hx[h], &o, NULL, &est[1]));
                XPT_OK(xps_welch(hy[h], &o, NULL, &est[2]));
            }
        }
        for (int k = 0; k < 3 && est[k]; k++) {
            int64_t nv;
            double *v = xpt_get(est[k], &nv);
            if (!acc3[k])
                acc3[k] = calloc((size_t)nv, sizeof(double));
            for (int64_t i = 0; i < nv; i++)
                acc3[k][i] += w[h] * v[i];
            if (k == 0)
                m = nv;
            free(v);
            xp_array_free(est[k]);
        }
    }
    int64_t nv;
    double *got = xpt_get(out, &nv), *want = malloc((size_t)nv * sizeof *want);
    if (kind == XPS_ACC_COHERENCE) {
        ck_assert_int_eq(2 * nv, m);
        for (int64_t i = 0; i < nv; i++) {
            double re = acc3[0][2 * i], im = acc3[0][2 * i + 1];
            want[i] = (re * re + im * im) / (acc3[1][i] * acc3[2][i]);
        }
    } else {
        ck_assert_int_eq(nv, m);
        for (int64_t i = 0; i < nv; i++)
            want[i] = acc3[0][i] / (w[0] + w[1]);
    }
    double e = xpt_rel_err(got, want, nv);
    ck_assert_msg(e <= (xp_dtype_real(dt) == XP_FLOAT32 ? 1e-5 : TOL), "%s %s merge at %lld: "
                  "error %g", kind_names[kind], xp_dtype_name(dt), (long long)n1, e);
    free(got);
    free(want);
    for (int k = 0; k < 3; k++)
        free(acc3[k]);
    for (int h = 0; h < 2; h++) {
        xp_array_free(hx[h]);
        xp_array_free(hy[h]);
    }
    xp_array_free(out);
    xps_spectral_acc_free(A);
    xps_spectral_acc_free(B);
    xp_array_free(x);
    xp_array_free(y);
}

START_TEST(test_acc_merge)
{
    const xp_provider *p = xpt_provider(_i);
    for (int kind = 0; kind < 3; kind++) {
        merge_case(p, kind, XP_FLOAT64, 150);
        merge_case(p, kind, XP_FLOAT64, 30);
        merge_case(p, kind, XP_COMPLEX128, 101);
        merge_case(p, kind, XP_FLOAT32, 200);
    }
}
END_TEST

START_TEST(test_acc_merge_refused)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[1] = {200};
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, shape, 91, 0, 1);
    for (int kind = 0; kind < 2; kind++)
        for (int av = 1; av < 3; av++) {
            xps_spectral_options o;
            xps_welch_options_init(&o);
            o.nperseg = 32;
            o.average = (xps_average)av;
            xps_spectral_acc *A = NULL, *B = NULL;
            XPT_OK(xps_spectral_acc_begin(kind, &o, p, XP_FLOAT64, 1, shape, &A));
            XPT_OK(xps_spectral_acc_begin(kind, &o, p, XP_FLOAT64, 1, shape, &B));
            XPT_OK(xps_spectral_acc_feed(A, x, kind ? x : NULL));
            XPT_OK(xps_spectral_acc_feed(B, x, kind ? x : NULL));
            int64_t na = xps_spectral_acc_segments(A);
            ck_assert_int_eq(xps_spectral_acc_merge(A, B), XP_EINVAL);
            xpt_msg_has("merge of median", "median", NULL);
            /* A is untouched and still ends like the one-shot estimate */
            ck_assert_int_eq(xps_spectral_acc_segments(A), na);
            xp_array *P = NULL, *ref = NULL;
            XPT_OK(xps_spectral_acc_end(A, NULL, &P));
            XPT_OK(one_shot(kind, x, x, &o, NULL, &ref));
            ck_assert_double_le(xpt_array_err(P, ref), TOL);
            xp_array_free(P);
            xp_array_free(ref);
            xps_spectral_acc_free(A);
            xps_spectral_acc_free(B);
        }
    /* unequal setups refuse too */
    xps_spectral_options o1, o2;
    xps_welch_options_init(&o1);
    xps_welch_options_init(&o2);
    o1.nperseg = 32;
    o2.nperseg = 16;
    xps_spectral_acc *A = NULL, *B = NULL, *C = NULL;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o1, p, XP_FLOAT64, 1, shape, &A));
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o2, p, XP_FLOAT64, 1, shape, &B));
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_CSD, &o1, p, XP_FLOAT64, 1, shape, &C));
    ck_assert_int_eq(xps_spectral_acc_merge(A, B), XP_EINVAL);
    ck_assert_int_eq(xps_spectral_acc_merge(A, C), XP_EINVAL);
    ck_assert_int_eq(xps_spectral_acc_merge(A, NULL), XP_EINVAL);
    xps_spectral_acc_free(A);
    xps_spectral_acc_free(B);
    xps_spectral_acc_free(C);
    xp_array_free(x);
}
END_TEST

/* ----------------------------------------- long spectrograms, by column */

/* A spectrogram long enough that its segments are computed in several
 * FFT blocks and placed in several staged blocks (nperseg 4096: 16 frames
 * per FFT block; 128 per placed block): column k is the periodogram of
 * segment k, whatever block it fell in, and the mean of the columns is
 * welch's estimate.  Complex mode is checked through |C|^2 (doubled
 * inside a one-sided band), the psd itself. */
START_TEST(test_spectrogram_columns)
{
    const xp_provider *p = xpt_provider(_i);
    enum { R = 2, L = 4096, STEP = 2048, NSEG = 150 };
    const int64_t N = L + (NSEG - 1) * STEP, shape[2] = {R, N};
    const int64_t cols[] = {0, 15, 16, 127, 128, NSEG - 1};
    const xp_dtype dts[] = {XP_FLOAT64, XP_COMPLEX128, XP_FLOAT32};
    for (size_t di = 0; di < 3; di++) {
        int cplx = xp_dtype_is_complex(dts[di]);
        double tol = dts[di] == XP_FLOAT32 ? 1e-5 : TOL;
        int64_t nf = cplx ? L : L / 2 + 1, per = cplx ? 2 : 1;
        double *xv = xsp_values(R * N, cplx, 61 + (unsigned)di, 0.3, 1.0);
        xp_array *x = xpt_array(p, dts[di], 2, shape, xv);
        for (int mode = 0; mode < 2; mode++) {
            xps_spectral_options o;
            xps_spectrogram_options_init(&o);
            o.nperseg = L;
            o.noverlap = L - STEP;
            o.mode = mode ? XPS_MODE_COMPLEX : XPS_MODE_PSD;
            XPT_OK(xps_window_spec_parse("tukey,0.25", &o.window));
            xp_array *S = NULL;
            XPT_OK(xps_spectrogram(x, &o, NULL, NULL, &S));
            ck_assert_int_eq(xp_array_dim(S, 2), NSEG);
            int64_t ns;
            double *sv = xpt_get(S, &ns);
            /* the psd of every segment, [R][nf][NSEG] */
            double *psd = malloc((size_t)(R * nf * NSEG) * sizeof *psd);
            for (int64_t i = 0; i < R * nf * NSEG; i++) {
                int64_t f = i / NSEG % nf;
                double d = !cplx && f > 0 && f < L / 2 ? 2 : 1;
                psd[i] = mode ? d * (sv[2 * i] * sv[2 * i] + sv[2 * i + 1] * sv[2 * i + 1])
                              : sv[i];
            }
            for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
                for (int64_t r = 0; r < R; r++) {
                    int64_t k = cols[c], one = L;
                    xp_array *seg = xpt_array(p, dts[di], 1, &one,
                                              xv + (r * N + k * STEP) * per);
                    xps_spectral_options po;
                    xps_periodogram_options_init(&po);
                    XPT_OK(xps_window_spec_parse("tukey,0.25", &po.window));
                    xp_array *P = NULL;
                    XPT_OK(xps_periodogram(seg, &po, NULL, &P));
                    int64_t np;
                    double *pv = xpt_get(P, &np), *col = malloc((size_t)nf * sizeof *col);
                    ck_assert_int_eq(np, nf);
                    for (int64_t f = 0; f < nf; f++)
                        col[f] = psd[(r * nf + f) * NSEG + k];
                    double e = xpt_rel_err(col, pv, nf);
                    ck_assert_msg(e <= tol, "%s mode %d row %lld column %lld: error %g",
                                  xp_dtype_name(dts[di]), mode, (long long)r, (long long)k, e);
                    free(pv);
                    free(col);
                    xp_array_free(P);
                    xp_array_free(seg);
                }
            /* welch with the same segments is the mean of the columns */
            xps_spectral_options wo;
            xps_welch_options_init(&wo);
            wo.nperseg = L;
            wo.noverlap = L - STEP;
            XPT_OK(xps_window_spec_parse("tukey,0.25", &wo.window));
            xp_array *W = NULL;
            XPT_OK(xps_welch(x, &wo, NULL, &W));
            int64_t nw;
            double *wv = xpt_get(W, &nw), *mean = calloc((size_t)(R * nf), sizeof *mean);
            ck_assert_int_eq(nw, R * nf);
            for (int64_t i = 0; i < R * nf * NSEG; i++)
                mean[i / NSEG] += psd[i] / NSEG;
            double e = xpt_rel_err(mean, wv, R * nf);
            ck_assert_msg(e <= tol, "%s mode %d: mean of columns vs welch: error %g",
                          xp_dtype_name(dts[di]), mode, e);
            free(wv);
            free(mean);
            free(psd);
            free(sv);
            xp_array_free(W);
            xp_array_free(S);
        }
        xp_array_free(x);
        free(xv);
    }
}
END_TEST

/* ------------------------------------------------ stft, then istft */

/* istft(stft(x)) is x, for a window and overlap that satisfy NOLA: real
 * (one-sided) and complex (two-sided) data, float32 too, along the last
 * and the first axis, with every boundary and with and without padding
 * (the output is then longer: its first n samples are x). */
START_TEST(test_stft_roundtrip)
{
    const xp_provider *p = xpt_provider(_i);
    static const xp_dtype dts[3] = {XP_FLOAT64, XP_COMPLEX128, XP_FLOAT32};
    static const xps_boundary bs[3] = {XPS_BOUNDARY_ZEROS, XPS_BOUNDARY_ODD,
                                       XPS_BOUNDARY_CONSTANT};
    for (int d = 0; d < 3; d++)
        for (int axis = 0; axis < 2; axis++)
            for (int k = 0; k < 3; k++) {
                xp_dtype dt = dts[d];
                int64_t n = 301, shape[2] = {axis ? n : 2, axis ? 2 : n};
                xp_array *x = xsp_input(p, dt, 2, shape, 61 + k, 1.0, 1.0);
                xps_spectral_options o;
                xps_stft_options_init(&o);
                o.nperseg = 64;
                o.noverlap = k == 1 ? 48 : -1;
                o.boundary = bs[k];
                o.padded = k != 2;
                o.axis = axis ? 0 : -1;
                xp_array *Z = NULL, *X = NULL, *t = NULL, *head = NULL;
                XPT_OK(xps_stft(x, &o, NULL, NULL, &Z));
                xps_istft_options io;
                xps_istft_options_init(&io);
                io.nperseg = 64;
                io.noverlap = o.noverlap;
                io.input_onesided = !xp_dtype_is_complex(dt);
                io.freq_axis = axis ? 0 : 1;            /* Z: [nfreq, 2, nseg] or [2, nfreq, nseg] */
                io.time_axis = 2;
                XPT_OK(xps_istft(Z, &io, &t, &X));
                /* X is [2, samples] either way (istft puts time where Z has
                 * it, less the frequency axis); unpadded, the last partial
                 * segment's samples are not back */
                int ta = 1;
                int64_t m = xp_array_dim(X, ta), want = o.padded ? n : n - (n - 32) % 32;
                ck_assert_msg(o.padded ? m >= n : m == want, "%s case %d: %lld samples back",
                              xp_dtype_name(dt), k, (long long)m);
                ck_assert_int_eq(xp_array_dim(t, 0), m);
                xp_array *xh = NULL;
                XPT_OK(xp__view_slice(X, ta, 0, want, 1, &head));
                xp_array *xt = NULL;
                XPT_OK(xp__view_axis_last(x, axis ? 0 : 1, &xt));
                XPT_OK(xp__view_slice(xt, ta, 0, want, 1, &xh));
                xp_array_free(xt);
                double e = xpt_array_err(head, xh), tol = dt == XP_FLOAT32 ? 2e-5 : 1e-12;
                xp_array_free(xh);
                ck_assert_msg(e <= tol, "%s axis %d case %d: istft(stft(x)) differs by %g",
                              xp_dtype_name(dt), axis, k, e);
                xp_array *all[] = {x, Z, X, t, head};
                for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                    xp_array_free(all[i]);
            }
}
END_TEST

/* ---------------------------------------- stft is spectrogram, extended */

/* x[n] extended as SciPy's stft does: e samples at each end per boundary
 * b, then nadd zeros; a new malloc'd array of n + 2 e + nadd. */
static double *extend_host(const double *x, int64_t n, int64_t e, int64_t nadd,
                           xps_boundary b)
{
    double *v = calloc((size_t)(n + 2 * e + nadd), sizeof *v);
    ck_assert_ptr_nonnull(v);
    memcpy(v + e, x, (size_t)n * sizeof *x);
    for (int64_t k = 1; k <= e; k++) {
        double l = 0, r = 0;
        if (b == XPS_BOUNDARY_EVEN || b == XPS_BOUNDARY_ODD) {
            l = x[k];
            r = x[n - 1 - k];
        }
        if (b == XPS_BOUNDARY_ODD) {
            l = 2 * x[0] - l;
            r = 2 * x[n - 1] - r;
        }
        if (b == XPS_BOUNDARY_CONSTANT) {
            l = x[0];
            r = x[n - 1];
        }
        v[e - k] = l;
        v[e + n - 1 + k] = r;
    }
    return v;
}

/* stft of x equals spectrogram's complex mode (same scaling, no detrend)
 * over x extended and padded by the test itself, for short and long
 * signals (extended whole, or only at the ends), every boundary, padded
 * or not, overlaps from none to nperseg - 1: the pieces stft cuts the
 * extended signal into give every segment once, in order. */
START_TEST(test_stft_is_extended_spectrogram)
{
    const xp_provider *p = xpt_provider(_i);
    static const int64_t ns[] = {31, 64, 65, 100, 301}, npss[] = {16, 31, 64};
    int cases = 0;
    for (size_t in = 0; in < sizeof ns / sizeof ns[0]; in++)
        for (size_t ip = 0; ip < sizeof npss / sizeof npss[0]; ip++)
            for (int ov = 0; ov < 3; ov++)
                for (int b = XPS_BOUNDARY_NONE; b <= XPS_BOUNDARY_ZEROS; b++)
                    for (int padded = 0; padded < 2; padded++) {
                        int64_t n = ns[in], nps = npss[ip];
                        if (nps > n)
                            continue;
                        int64_t nov = ov == 0 ? 0 : ov == 1 ? nps / 2 : nps - 1;
                        int64_t st = nps - nov, e = b ? nps / 2 : 0, nadd = 0;
                        if (padded) {
                            int64_t over = (n + 2 * e - nps) % st;
                            nadd = (over ? st - over : 0) % nps;
                        }
                        xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 70 + (unsigned)n, 1, 1);
                        int64_t nv, L = n + 2 * e + nadd;
                        double *hx = xpt_get(x, &nv), *he = extend_host(hx, n, e, nadd,
                                                                       (xps_boundary)b);
                        xp_array *E = xpt_array(p, XP_FLOAT64, 1, &L, he);
                        xps_spectral_options so, po;
                        xps_stft_options_init(&so);
                        so.nperseg = nps;
                        so.noverlap = nov;
                        so.boundary = (xps_boundary)b;
                        so.padded = padded;
                        xps_spectrogram_options_init(&po);
                        po.window = so.window;
                        po.nperseg = nps;
                        po.noverlap = nov;
                        po.detrend = XPS_DETREND_NONE;
                        po.scaling = XPS_SCALING_SPECTRUM;
                        po.mode = XPS_MODE_COMPLEX;
                        xp_array *Z = NULL, *S = NULL;
                        XPT_OK(xps_stft(x, &so, NULL, NULL, &Z));
                        XPT_OK(xps_spectrogram(E, &po, NULL, NULL, &S));
                        ck_assert_int_eq(xp_array_dim(Z, 1), xp_array_dim(S, 1));
                        double err = xpt_array_err(Z, S);
                        ck_assert_msg(err <= 1e-14, "n %lld nperseg %lld noverlap %lld "
                                      "boundary %d padded %d: %g", (long long)n,
                                      (long long)nps, (long long)nov, b, padded, err);
                        cases++;
                        free(hx);
                        free(he);
                        xp_array *all[] = {x, E, Z, S};
                        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                            xp_array_free(all[i]);
                    }
    ck_assert_int_gt(cases, 300);
}
END_TEST

/* ------------------------------------- spectrogram and stft into Sxx */

/* spectrogram or stft (stft != 0) into out, or new when out is NULL. */
static xp_array *spec_into(int stft, const xp_array *x, const xps_spectral_options *o,
                           const xp_array *out, int *rc)
{
    xp_array *S = NULL;
    if (out)
        *rc = stft ? xps_stft_into(x, o, NULL, NULL, out)
                   : xps_spectrogram_into(x, o, NULL, NULL, out);
    else
        *rc = stft ? xps_stft(x, o, NULL, NULL, &S) : xps_spectrogram(x, o, NULL, NULL, &S);
    return S;
}

/* The _into forms give the allocating forms' numbers bit for bit, into a
 * C-ordered array and into a Fortran-ordered view (which the segments
 * cannot be written into directly), for every mode, real and complex and
 * float32 input, along the last and the first axis. */
/* SciPy's signs of zero: a real segment's two-sided spectrum is
 * scipy.fft.fft's, whose DC and Nyquist bins have imaginary part -0.0,
 * then scaled as numpy scales complex values, so -0.0 stays where the
 * real part is negative.  A constant -1 through a boxcar (SciPy 1.17):
 * complex mode DC -2.828 - 0j, angle -pi (not pi); stft DC -1 - 0j. */
START_TEST(test_two_sided_signed_zeros)
{
    const xp_provider *p = xpt_provider(_i);
    double xv[16];
    int64_t n = 16, ns;
    for (int i = 0; i < 16; i++)
        xv[i] = -1;
    xp_array *x = xpt_array(p, XP_FLOAT64, 1, &n, xv);
    for (int mode = 0; mode < 3; mode++) {
        xps_spectral_options o;
        xps_spectrogram_options_init(&o);
        XPT_OK(xps_window_spec_parse("boxcar", &o.window));
        o.nperseg = 8;
        o.noverlap = 0;
        o.detrend = XPS_DETREND_NONE;
        o.return_onesided = 0;
        o.mode = mode == 0 ? XPS_MODE_COMPLEX : mode == 1 ? XPS_MODE_ANGLE : XPS_MODE_PHASE;
        xp_array *S = NULL;
        XPT_OK(xps_spectrogram(x, &o, NULL, NULL, &S));
        double *v = xpt_get(S, &ns);            /* [8 frequencies][2 segments] */
        for (int t = 0; t < 2; t++) {
            if (mode == 0) {
                ck_assert_double_eq_tol(v[2 * t], -sqrt(8.0), 1e-15);
                ck_assert_msg(v[2 * t + 1] == 0 && signbit(v[2 * t + 1]),
                              "complex DC: imaginary part %g, not -0.0", v[2 * t + 1]);
                ck_assert_msg(!signbit(v[2 * (4 * 2 + t) + 1]), "complex Nyquist: -0.0");
            } else {
                ck_assert_msg(v[t] == -M_PI, "%s DC: %.17g, not -pi",
                              mode == 1 ? "angle" : "phase", v[t]);
            }
        }
        free(v);
        xp_array_free(S);
    }
    xps_spectral_options o;
    xps_stft_options_init(&o);
    XPT_OK(xps_window_spec_parse("boxcar", &o.window));
    o.nperseg = 8;
    o.noverlap = 0;
    o.return_onesided = 0;
    o.boundary = XPS_BOUNDARY_NONE;
    o.padded = 0;
    xp_array *Z = NULL;
    XPT_OK(xps_stft(x, &o, NULL, NULL, &Z));
    double *z = xpt_get(Z, &ns);
    ck_assert_msg(z[0] == -1 && z[1] == 0 && signbit(z[1]), "stft DC: %g%+gj, not -1-0j",
                  z[0], z[1]);
    free(z);
    xp_array_free(Z);
    xp_array_free(x);
}
END_TEST

START_TEST(test_spectrogram_into)
{
    const xp_provider *p = xpt_provider(_i);
    static const xp_dtype dts[3] = {XP_FLOAT64, XP_COMPLEX128, XP_FLOAT32};
    for (int d = 0; d < 3; d++)
        for (int axis = 0; axis < 2; axis++)
            for (int kind = 0; kind < 5; kind++) {    /* 4 spectrogram modes, stft */
                static const xps_mode modes[4] = {XPS_MODE_PSD, XPS_MODE_COMPLEX,
                                                  XPS_MODE_MAGNITUDE, XPS_MODE_PHASE};
                int stft = kind == 4, rc;
                int64_t shape[2] = {axis ? 300 : 3, axis ? 3 : 300};
                xp_array *x = xsp_input(p, dts[d], 2, shape, 80 + (unsigned)kind, 1, 1);
                xps_spectral_options o;
                if (stft) {
                    xps_stft_options_init(&o);
                } else {
                    xps_spectrogram_options_init(&o);
                    o.mode = modes[kind];
                }
                o.nperseg = 64;
                o.axis = axis ? 0 : -1;
                o.float32_output = d == 2 && kind == 1;
                xp_array *S = spec_into(stft, x, &o, NULL, &rc), *A = NULL, *F = NULL;
                xp_array *Fv = NULL;
                XPT_OK(rc);
                const DLTensor *t = xp_array_dltensor(S);
                XPT_OK(xp_array_empty(p, xp_array_dtype(S), 3, t->shape, &A));
                spec_into(stft, x, &o, A, &rc);
                XPT_OK(rc);
                ck_assert_msg(xpt_same(A, S), "%s kind %d axis %d: into a new array",
                              xp_dtype_name(dts[d]), kind, axis);
                int64_t rs[3] = {t->shape[2], t->shape[1], t->shape[0]};
                int64_t fst[3] = {1, t->shape[0], t->shape[0] * t->shape[1]};
                XPT_OK(xp_array_empty(p, xp_array_dtype(S), 3, rs, &F));
                XPT_OK(xp__view(F, 3, t->shape, fst, 0, &Fv));
                spec_into(stft, x, &o, Fv, &rc);
                XPT_OK(rc);
                ck_assert_msg(xpt_same(Fv, S), "%s kind %d axis %d: into Fortran order",
                              xp_dtype_name(dts[d]), kind, axis);
                xp_array *all[] = {x, S, A, F, Fv};
                for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                    xp_array_free(all[i]);
            }
}
END_TEST

/* What the _into forms refuse, each with its message. */
START_TEST(test_spectrogram_into_refused)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 300, good[2] = {33, 8}, bad[2] = {33, 9}, one = 1, big = 2000;
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 90, 0, 1), *S = NULL, *S32 = NULL;
    xp_array *Sbad = NULL, *b1 = NULL, *bc = NULL, *pool = NULL, *inpool = NULL;
    xp_array *xin = NULL;
    xps_spectral_options o;
    xps_spectrogram_options_init(&o);
    o.nperseg = 64;
    o.noverlap = 32;
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 2, good, &S));
    XPT_OK(xp_array_empty(p, XP_FLOAT32, 2, good, &S32));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 2, bad, &Sbad));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &one, &b1));
    XPT_OK(xp__view_broadcast(b1, 2, good, &bc));
    XPT_OK(xps_spectrogram_into(x, &o, NULL, NULL, S));
    ck_assert_int_eq(xps_spectrogram_into(x, &o, NULL, NULL, NULL), XP_EINVAL);
    xpt_msg_has("Sxx NULL", "spectrogram: Sxx is NULL", NULL);
    ck_assert_int_eq(xps_spectrogram_into(x, &o, NULL, NULL, Sbad), XP_ESHAPE);
    xpt_msg_has("Sxx shape", "spectrogram: Sxx must have the result's shape (33, 8)", NULL);
    ck_assert_int_eq(xps_spectrogram_into(x, &o, NULL, NULL, S32), XP_EDTYPE);
    xpt_msg_has("Sxx dtype", "spectrogram: Sxx is float32, the result is float64", NULL);
    ck_assert_int_eq(xps_spectrogram_into(x, &o, NULL, NULL, bc), XP_EINVAL);
    xpt_msg_has("Sxx twice", "Sxx writes some element twice", NULL);
    /* x and Sxx in one buffer */
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &big, &pool));
    XPT_OK(xp__view_slice(pool, 0, 0, n, 1, &xin));
    int64_t st[2] = {8, 1};
    XPT_OK(xp__view(pool, 2, good, st, 100, &inpool));
    XPT_OK(xp__fill(xin, 1, 0));
    ck_assert_int_eq(xps_spectrogram_into(xin, &o, NULL, NULL, inpool), XP_EINVAL);
    xpt_msg_has("Sxx overlaps", "spectrogram: Sxx shares memory with x", NULL);
    xps_spectral_options so;
    xps_stft_options_init(&so);
    so.nperseg = 64;
    ck_assert_int_eq(xps_stft_into(x, &so, NULL, NULL, S), XP_EDTYPE);
    xpt_msg_has("Zxx dtype", "stft: Zxx is float64, the result is complex128", NULL);
    ck_assert_int_eq(xps_stft_into(x, &so, NULL, NULL, NULL), XP_EINVAL);
    if (xpt_nproviders() > 1) {
        xp_array *other = NULL;
        XPT_OK(xp_array_empty(xpt_provider((_i + 1) % xpt_nproviders()), XP_FLOAT64, 2, good,
                              &other));
        ck_assert_int_eq(xps_spectrogram_into(x, &o, NULL, NULL, other), XP_EDEVICE);
        xpt_msg_has("Sxx provider", "Sxx lives on provider", NULL);
        xp_array_free(other);
    }
    xp_array *all[] = {x, S, S32, Sbad, b1, bc, pool, xin, inpool};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}
END_TEST

/* ------------------------------------------------- detrend into y */

/* detrend_into a fresh array gives the allocating form's numbers bit for
 * bit; into a Fortran-order view and in place (y = x: SciPy's
 * overwrite_data) the same to round-off, for every type, along the last,
 * first and middle axis (rows of one 2-D view or not). */
START_TEST(test_detrend_into)
{
    const xp_provider *p = xpt_provider(_i);
    static const xp_dtype dts[3] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX128};
    static const int64_t shapes[3][3] = {{3, 150, 0}, {150, 3, 0}, {2, 150, 3}};
    static const int nds[3] = {2, 2, 3}, axes[3] = {1, 0, 1};
    const int64_t bp[2] = {90, 40};
    for (int d = 0; d < 3; d++)
        for (int s = 0; s < 3; s++)
            for (int type = XPS_DETREND_NONE; type <= XPS_DETREND_LINEAR; type++) {
                xp_dtype dt = dts[d];
                int nd = nds[s], ax = axes[s];
                double tol = dt == XP_FLOAT32 ? 1e-6 : 1e-14;
                xp_array *x = xsp_input(p, dt, nd, shapes[s], 51, 3.0, 1.0);
                xp_array *D = NULL, *yo = NULL, *yf = NULL, *yfv = NULL, *xs = NULL;
                XPT_OK(xps_detrend(x, ax, (xps_detrend_type)type, bp, 2, &D));
                XPT_OK(xp_array_empty(p, dt, nd, shapes[s], &yo));
                XPT_OK(xps_detrend_into(x, ax, (xps_detrend_type)type, bp, 2, yo));
                ck_assert_msg(xpt_same(yo, D), "%s shape %d type %d: into a fresh array",
                              xp_dtype_name(dt), s, type);
                int64_t rs[3], rst[3];          /* yf [reversed shape]: a Fortran-order y */
                for (int k = 0; k < nd; k++) {
                    rs[k] = shapes[s][nd - 1 - k];
                    rst[k] = k == 0 ? 1 : rst[k - 1] * shapes[s][k - 1];
                }
                XPT_OK(xp_array_empty(p, dt, nd, rs, &yf));
                XPT_OK(xp__view(yf, nd, shapes[s], rst, 0, &yfv));
                XPT_OK(xps_detrend_into(x, ax, (xps_detrend_type)type, bp, 2, yfv));
                double e = xpt_array_err(yfv, D);
                ck_assert_msg(e <= tol, "%s shape %d type %d: Fortran-order y (%g)",
                              xp_dtype_name(dt), s, type, e);
                XPT_OK(xp_array_astype(x, dt, &xs));
                XPT_OK(xps_detrend_into(xs, ax, (xps_detrend_type)type, bp, 2, xs));
                e = xpt_array_err(xs, D);
                ck_assert_msg(e <= tol, "%s shape %d type %d: in place (%g)", xp_dtype_name(dt),
                              s, type, e);
                xp_array *all[] = {x, D, yo, yf, yfv, xs};
                for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                    xp_array_free(all[i]);
            }
}
END_TEST

/* Pieces longer than the basis the host uploads (8192 samples) get their
 * basis built on the provider: a line plus a sine over 50000 samples, one
 * break, detrended to what a long-double least-squares fit leaves, for
 * real and complex data. */
START_TEST(test_detrend_long)
{
    const xp_provider *p = xpt_provider(_i);
    const int64_t n = 50000, bp[1] = {21000};
    for (int cplx = 0; cplx < 2; cplx++) {
        xp_dtype dt = cplx ? XP_COMPLEX128 : XP_FLOAT64;
        int w = cplx ? 2 : 1;
        double *v = malloc((size_t)(w * n) * sizeof *v), *want = malloc((size_t)(w * n) * sizeof *v);
        for (int64_t i = 0; i < n; i++)
            for (int c = 0; c < w; c++)
                v[w * i + c] = (c ? -2.0 : 3.5) + (c ? 1e-4 : 2e-4) * (double)i
                               + sin(0.003 * (double)i + c);
        /* the reference: each piece minus its least-squares line */
        int64_t edges[3] = {0, bp[0], n};
        for (int k = 0; k < 2; k++)
            for (int c = 0; c < w; c++) {
                long double sx = 0, st = 0, stt = 0, sxt = 0, m = edges[k + 1] - edges[k];
                for (int64_t i = edges[k]; i < edges[k + 1]; i++) {
                    long double t = i - edges[k], x = v[w * i + c];
                    sx += x, st += t, stt += t * t, sxt += x * t;
                }
                long double slope = (m * sxt - st * sx) / (m * stt - st * st);
                long double icpt = (sx - slope * st) / m;
                for (int64_t i = edges[k]; i < edges[k + 1]; i++)
                    want[w * i + c] = (double)(v[w * i + c] - (icpt + slope * (i - edges[k])));
            }
        xp_array *x = xpt_array(p, dt, 1, &n, v), *D = NULL;
        XPT_OK(xps_detrend(x, -1, XPS_DETREND_LINEAR, bp, 1, &D));
        double *got = xpt_values(D), err = 0;
        for (int64_t i = 0; i < w * n; i++)
            err = fmax(err, fabs(got[i] - want[i]));
        ck_assert_msg(err <= 1e-12, "%s: error %g", xp_dtype_name(dt), err);
        free(got);
        /* the same two passes at a time through xps_detrend_acc, in place in
         * a copy: blocks of 9000, 1 and 40999 samples, the last longer than
         * the basis rows it makes at a time and holding the breakpoint */
        const int64_t cut[4] = {0, 9000, 9001, n};
        xps_detrend_acc *acc = NULL;
        xp_array *S = NULL;
        XPT_OK(xps_detrend_acc_begin(p, dt, 1, &n, 0, n, XPS_DETREND_LINEAR, bp, 1, &acc));
        XPT_OK(xp_array_astype(x, dt, &S));
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < 3; k++) {
                xp_array *blk = NULL;
                XPT_OK(xp__view_slice(S, 0, cut[k], cut[k + 1] - cut[k], 1, &blk));
                XPT_OK(pass ? xps_detrend_acc_apply(acc, blk, blk)
                            : xps_detrend_acc_feed(acc, blk));
                xp_array_free(blk);
            }
        xps_detrend_acc_free(acc);
        got = xpt_values(S);
        err = 0;
        for (int64_t i = 0; i < w * n; i++)
            err = fmax(err, fabs(got[i] - want[i]));
        ck_assert_msg(err <= 1e-12, "%s through xps_detrend_acc: error %g", xp_dtype_name(dt),
                      err);
        free(got);
        free(v);
        free(want);
        xp_array_free(x);
        xp_array_free(D);
        xp_array_free(S);
    }
}
END_TEST

/* The outputs detrend_into refuses, with messages naming them; the
 * arguments are checked first. */
START_TEST(test_detrend_into_refused)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 120, half = 60, bad = 121;
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 52, 0, 1.0);
    xp_array *y32 = NULL, *ys = NULL, *lo = NULL, *hi = NULL;
    XPT_OK(xp_array_empty(p, XP_FLOAT32, 1, &n, &y32));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &half, &ys));
    XPT_OK(xp__view_slice(x, 0, 0, 80, 1, &lo));
    XPT_OK(xp__view_slice(x, 0, 40, 80, 1, &hi));
    ck_assert_int_eq(xps_detrend_into(x, -1, XPS_DETREND_LINEAR, NULL, 0, NULL), XP_EINVAL);
    xpt_msg_has("detrend", "y is NULL", NULL);
    ck_assert_int_eq(xps_detrend_into(x, -1, XPS_DETREND_LINEAR, NULL, 0, ys), XP_ESHAPE);
    xpt_msg_has("detrend", "y must have the shape of x", NULL);
    ck_assert_int_eq(xps_detrend_into(x, -1, XPS_DETREND_CONSTANT, NULL, 0, y32), XP_EDTYPE);
    xpt_msg_has("detrend", "y is float32, expected float64", NULL);
    ck_assert_int_eq(xps_detrend_into(lo, -1, XPS_DETREND_LINEAR, NULL, 0, hi), XP_EINVAL);
    xpt_msg_has("detrend", "y shares memory with x", NULL);
    ck_assert_int_eq(xps_detrend_into(x, -1, XPS_DETREND_LINEAR, &bad, 1, x), XP_EINVAL);
    xpt_msg_has("detrend", "breakpoint bp[0] (121)", NULL);
    xp_array *all[] = {x, y32, ys, lo, hi};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}
END_TEST

/* ------------------------------------------------ strided host inputs */

/* Borrowed host arrays with odd strides (every other sample, transposed,
 * reversed) give what their contiguous copies give, and stay untouched. */
START_TEST(test_strided_host)
{
    enum { R = 3, N = 160 };
    static double buf[R * 2 * N], orig[R * 2 * N];
    xpt_random(buf, R * 2 * N, 99);
    memcpy(orig, buf, sizeof buf);
    int64_t sh_a[2] = {R, N}, st_a[2] = {2 * N, 2};        /* every other sample */
    int64_t sh_b[2] = {N, R}, st_b[2] = {2, 2 * N};        /* the same, transposed */
    int64_t sh_c[2] = {R, N}, st_c[2] = {2 * N, -1};       /* rows reversed */
    DLTensor t[3];
    int64_t *shapes[3] = {sh_a, sh_b, sh_c}, *strides[3] = {st_a, st_b, st_c};
    const int axes[3] = {-1, 0, -1};
    for (int k = 0; k < 3; k++) {
        memset(&t[k], 0, sizeof t[k]);
        t[k].data = buf;
        t[k].device.device_type = kDLCPU;
        t[k].ndim = 2;
        XPT_OK(xp_dtype_to_dlpack(XP_FLOAT64, &t[k].dtype));
        t[k].shape = shapes[k];
        t[k].strides = strides[k];
        t[k].byte_offset = k == 2 ? (N - 1) * sizeof(double) : 0;
    }
    for (int k = 0; k < 3; k++) {
        xp_array *W = NULL, *C = NULL;
        XPT_OK(xp_array_wrap(&t[k], &W));
        XPT_OK(xp_array_astype(W, XP_FLOAT64, &C));
        xps_spectral_options o;
        for (int run = 0; run < 7; run++) {
            xp_array *a = NULL, *b = NULL;
            if (run == 6) {
                const int64_t bp[1] = {50};
                XPT_OK(xps_detrend(W, axes[k], XPS_DETREND_LINEAR, bp, 1, &a));
                XPT_OK(xps_detrend(C, axes[k], XPS_DETREND_LINEAR, bp, 1, &b));
            } else if (run == 5) {
                xps_periodogram_options_init(&o);
                o.axis = axes[k];
                XPT_OK(xps_periodogram(W, &o, NULL, &a));
                XPT_OK(xps_periodogram(C, &o, NULL, &b));
            } else if (run == 4) {
                xps_spectrogram_options_init(&o);
                o.nperseg = 32;
                o.axis = axes[k];
                o.mode = XPS_MODE_COMPLEX;
                XPT_OK(xps_spectrogram(W, &o, NULL, NULL, &a));
                XPT_OK(xps_spectrogram(C, &o, NULL, NULL, &b));
            } else {
                xps_welch_options_init(&o);
                o.nperseg = 40;
                o.axis = axes[k];
                o.average = run == 1 ? XPS_AVERAGE_MEDIAN : XPS_AVERAGE_MEAN;
                o.detrend = run == 1 ? XPS_DETREND_LINEAR : XPS_DETREND_CONSTANT;
                if (run < 2) {
                    XPT_OK(xps_welch(W, &o, NULL, &a));
                    XPT_OK(xps_welch(C, &o, NULL, &b));
                } else if (run == 2) {
                    XPT_OK(xps_csd(W, C, &o, NULL, &a));
                    XPT_OK(xps_csd(C, C, &o, NULL, &b));
                } else {
                    XPT_OK(xps_coherence(C, W, &o, NULL, &a));
                    XPT_OK(xps_coherence(C, C, &o, NULL, &b));
                }
            }
            double e = xpt_array_err(a, b);
            ck_assert_msg(e <= 1e-14, "layout %d, run %d: error %g", k, run, e);
            xp_array_free(a);
            xp_array_free(b);
        }
        /* an accumulator fed strided chunks */
        xps_spectral_acc *acc = NULL;
        xp_array *P = NULL, *ref = NULL;
        xps_welch_options_init(&o);
        o.nperseg = 40;
        o.axis = axes[k];
        const DLTensor *d = xp_array_dltensor(W);
        XPT_OK(xps_spectral_acc_begin(XPS_ACC_CSD, &o, xp_provider_host(), XP_FLOAT64, 2,
                                      d->shape, &acc));
        int64_t b[4] = {0, 45, 46, N};
        feed_chunks(acc, W, W, axes[k], b, 4);
        XPT_OK(xps_spectral_acc_end(acc, NULL, &P));
        XPT_OK(xps_csd(C, C, &o, NULL, &ref));
        ck_assert_double_le(xpt_array_err(P, ref), TOL);
        xps_spectral_acc_free(acc);
        xp_array_free(P);
        xp_array_free(ref);
        xp_array_free(W);
        xp_array_free(C);
    }
    ck_assert(memcmp(buf, orig, sizeof buf) == 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spectral_props");
    TCase *tc = tcase_create("props");
    tcase_set_timeout(tc, 120);
    int np = xpt_nproviders();
    tcase_add_loop_test(tc, test_parseval, 0, np);
    tcase_add_loop_test(tc, test_csd_is_welch, 0, np);
    tcase_add_loop_test(tc, test_coherence_identical, 0, np);
    tcase_add_loop_test(tc, test_linearity, 0, np);
    tcase_add_loop_test(tc, test_acc_chunking, 0, np);
    tcase_add_loop_test(tc, test_acc_merge, 0, np);
    tcase_add_loop_test(tc, test_acc_merge_refused, 0, np);
    tcase_add_loop_test(tc, test_spectrogram_columns, 0, np);
    tcase_add_loop_test(tc, test_stft_roundtrip, 0, np);
    tcase_add_loop_test(tc, test_stft_is_extended_spectrogram, 0, np);
    tcase_add_loop_test(tc, test_two_sided_signed_zeros, 0, np);
    tcase_add_loop_test(tc, test_spectrogram_into, 0, np);
    tcase_add_loop_test(tc, test_spectrogram_into_refused, 0, np);
    tcase_add_loop_test(tc, test_detrend_into, 0, np);
    tcase_add_loop_test(tc, test_detrend_long, 0, np);
    tcase_add_loop_test(tc, test_detrend_into_refused, 0, np);
    tcase_add_test(tc, test_strided_host);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
