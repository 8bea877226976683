/*
 * check_filter_props.c -- properties of lfilter, sosfilt, filtfilt and
 * sosfiltfilt that hold whatever SciPy prints, on every provider and
 * dtype: a unity-DC low-pass leaves a constant alone, forward-backward
 * filtering has zero phase, the sos and ba forms agree where ba is well
 * conditioned, filtering in chunks with zf -> zi is filtering in one pass,
 * every function is linear in x (a complex x is its two real parts), the
 * steady state of lfilter_zi, views and a[0] / a0 normalization; the _into
 * forms (lfilter, sosfilt, filtfilt, sosfiltfilt) give the same numbers in
 * the caller's arrays, in place and as a stream, and refuse outputs they
 * cannot write.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "filter_common.h"

static const xp_dtype DTS[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX128};
#define NDTS 3

static double tol_of(xp_dtype dt, double f64)
{
    return xp_dtype_real(dt) == XP_FLOAT32 ? 2e-5 : f64;
}

/* What to run: one function with its options on x. */
typedef enum { K_LFILTER, K_SOSFILT, K_FILTFILT, K_SOSFILTFILT } kind;

typedef struct {
    kind k;
    const double *b, *a, *sos;
    int64_t nb, na, nsec;
    xps_filtfilt_options opt;
} fcall;

static fcall ba_call(kind k, const double *b, int64_t nb, const double *a, int64_t na)
{
    fcall c = {.k = k, .b = b, .nb = nb, .a = a, .na = na};
    xps_filtfilt_options_init(&c.opt);
    return c;
}

static fcall sos_call(kind k, const double *sos, int64_t nsec)
{
    fcall c = {.k = k, .sos = sos, .nsec = nsec};
    xps_filtfilt_options_init(&c.opt);
    return c;
}

#define BUTTER4(k) ba_call(k, xft_butter4_b, 5, xft_butter4_a, 5)
#define BUTTER4_SOS(k) sos_call(k, &xft_butter4_sos[0][0], 2)
#define CHEBY3(k) ba_call(k, xft_cheby3band_b, 7, xft_cheby3band_a, 7)
#define CHEBY3_SOS(k) sos_call(k, &xft_cheby3band_sos[0][0], 3)

static xp_array *run(const fcall *c, const xp_array *x)
{
    xp_array *y = NULL;
    switch (c->k) {
    case K_LFILTER:
        XPT_OK(xps_lfilter(c->b, c->nb, c->a, c->na, x, c->opt.axis, NULL, &y, NULL));
        break;
    case K_SOSFILT:
        XPT_OK(xps_sosfilt(c->sos, c->nsec, x, c->opt.axis, NULL, &y, NULL));
        break;
    case K_FILTFILT:
        XPT_OK(xps_filtfilt(c->b, c->nb, c->a, c->na, x, &c->opt, &y));
        break;
    case K_SOSFILTFILT:
        XPT_OK(xps_sosfiltfilt(c->sos, c->nsec, x, &c->opt, &y));
        break;
    }
    ck_assert_ptr_nonnull(y);
    return y;
}

/* The calls most properties go through: every filtfilt variant. */
static int all_calls(fcall *out)
{
    int n = 0;
    out[n++] = BUTTER4(K_LFILTER);
    out[n++] = BUTTER4_SOS(K_SOSFILT);
    for (int pt = XPS_PAD_NONE; pt <= XPS_PAD_CONSTANT; pt++)
        for (int pl = -1; pl <= 5; pl += 6) {
            if (pt == XPS_PAD_NONE && pl == 5)
                continue;
            out[n] = BUTTER4(K_FILTFILT);
            out[n].opt.padtype = (xps_padtype)pt;
            out[n++].opt.padlen = pl;
            out[n] = CHEBY3_SOS(K_SOSFILTFILT);
            out[n].opt.padtype = (xps_padtype)pt;
            out[n++].opt.padlen = pl;
        }
    for (int ir = -1; ir <= 20; ir += 21) {
        out[n] = BUTTER4(K_FILTFILT);
        out[n].opt.method = XPS_FILTFILT_GUST;
        out[n++].opt.irlen = ir;
        out[n] = CHEBY3(K_FILTFILT);
        out[n].opt.method = XPS_FILTFILT_GUST;
        out[n++].opt.irlen = ir;
    }
    return n;
}

/* A new array of dtype on p from n doubles (n complex values as pairs). */
static xp_array *arr(const xp_provider *p, xp_dtype dt, int ndim, const int64_t *shape,
                     const double *v)
{
    return xpt_array(p, dt, ndim, shape, v);
}

/* ---- a unity-DC low-pass leaves a constant alone ----------------------- */

START_TEST(test_dc_constant)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    int64_t shape[2] = {2, 120};
    double v[480];
    for (int d = 0; d < NDTS; d++) {
        xp_dtype dt = DTS[d];
        int cplx = xp_dtype_is_complex(dt);
        for (int i = 0; i < 240; i++) {
            v[cplx ? 2 * i : i] = 3.5;
            if (cplx)
                v[2 * i + 1] = -1.25;
        }
        xp_array *x = arr(p, dt, 2, shape, v);
        for (int c = 0; c < nc; c++) {
            /* the butterworth low-pass only (cheby3 is a band-pass), not
             * the plain passes, which start from rest, nor gust with a
             * truncated impulse response (0.8^20 of it is left out) */
            if (calls[c].k == K_LFILTER || calls[c].k == K_SOSFILT ||
                (calls[c].b != xft_butter4_b && calls[c].sos != &xft_butter4_sos[0][0]) ||
                calls[c].opt.irlen > 0)
                continue;
            xp_array *y = run(&calls[c], x);
            double e = xpt_array_err(y, x);
            ck_assert_msg(e <= tol_of(dt, 1e-12), "%s call %d: constant moved by %.3g",
                          xp_dtype_name(dt), c, e);
            xp_array_free(y);
        }
        fcall s = BUTTER4_SOS(K_SOSFILTFILT);
        xp_array *y = run(&s, x);
        ck_assert_msg(xpt_array_err(y, x) <= tol_of(dt, 1e-12), "sosfiltfilt moved a constant");
        xp_array_free(y);
        xp_array_free(x);
    }
}
END_TEST

/* ---- zero phase: a symmetric pulse stays symmetric, its peak in place ---- */

START_TEST(test_zero_phase)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    enum { N = 1001 };
    int64_t n = N;
    static double v[2 * N];
    for (int d = 0; d < NDTS; d++) {
        xp_dtype dt = DTS[d];
        int cplx = xp_dtype_is_complex(dt);
        for (int i = 0; i < N; i++) {
            double t = (i - N / 2) / 6.0, g = exp(-t * t) + 0.3 * exp(-(t * t) / 9.0);
            v[cplx ? 2 * i : i] = g;
            if (cplx)
                v[2 * i + 1] = -0.5 * g;
        }
        xp_array *x = arr(p, dt, 1, &n, v);
        for (int c = 0; c < nc; c++) {
            if (calls[c].k == K_LFILTER || calls[c].k == K_SOSFILT)
                continue;
            xp_array *y = run(&calls[c], x);
            int64_t nv;
            double *w = xpt_get(y, &nv), big = 0, asym = 0;
            int w2 = cplx ? 2 : 1;
            int64_t peak = 0;
            for (int64_t i = 0; i < N; i++) {
                double m = fabs(w[w2 * i]);
                if (m > big) {
                    big = m;
                    peak = i;
                }
                for (int r = 0; r < w2; r++)
                    asym = fmax(asym, fabs(w[w2 * i + r] - w[w2 * (N - 1 - i) + r]));
            }
            ck_assert_msg(asym <= tol_of(dt, 1e-12) * big, "%s call %d: asymmetry %.3g of %.3g",
                          xp_dtype_name(dt), c, asym, big);
            if (calls[c].b == xft_butter4_b || calls[c].sos == &xft_butter4_sos[0][0])
                ck_assert_msg(peak == N / 2, "call %d: peak moved to %lld", c, (long long)peak);
            free(w);
            xp_array_free(y);
        }
        xp_array_free(x);
    }
}
END_TEST

/* ---- sos and ba forms agree (both designs are well conditioned in ba) --- */

START_TEST(test_sos_ba_agree)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {150, 3};
    for (int d = 0; d < NDTS; d++) {
        xp_dtype dt = DTS[d];
        xp_array *x = xft_input(p, dt, 2, shape, 7, 0.5, 1.0);
        for (int design = 0; design < 2; design++)
            for (int mode = 0; mode < 5; mode++) {
                fcall ba = design ? CHEBY3(K_LFILTER) : BUTTER4(K_LFILTER);
                fcall sos = design ? CHEBY3_SOS(K_SOSFILT) : BUTTER4_SOS(K_SOSFILT);
                ba.opt.axis = sos.opt.axis = 0;
                if (mode > 0) {     /* filtfilt: padlen defaults agree (3 ntaps) */
                    ba.k = K_FILTFILT;
                    sos.k = K_SOSFILTFILT;
                    ba.opt.padtype = sos.opt.padtype = (xps_padtype)(mode - 1);
                }
                xp_array *y1 = run(&ba, x), *y2 = run(&sos, x);
                double e = xpt_array_err(y1, y2);
                ck_assert_msg(e <= tol_of(dt, 1e-11), "%s design %d mode %d: ba and sos "
                              "differ by %.3g", xp_dtype_name(dt), design, mode, e);
                xp_array_free(y1);
                xp_array_free(y2);
            }
        xp_array_free(x);
    }
}
END_TEST

/* ---- two chunks with zf -> zi are one pass ------------------------------ */

/* The state's shape for a 2-D x filtered along axis: [3 sections,
 * ..., 2, ...] for the cheby3band sections, or 6 along axis for its ba
 * form; returns the number of dimensions. */
static int state_shape(int sos, const int64_t *shape, int axis, int64_t *zs)
{
    if (sos) {
        zs[0] = 3;
        zs[1] = shape[0];
        zs[2] = shape[1];
        zs[1 + axis] = 2;
        return 3;
    }
    zs[0] = shape[0];
    zs[1] = shape[1];
    zs[axis] = 6;
    return 2;
}

static void free_arrays(xp_array **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xp_array_free(a[i]);
}

/* x[..., lo:hi, ...] along axis of a 2-D C-ordered host buffer. */
static double *cut(const double *v, const int64_t *shape, int axis, int64_t lo, int64_t hi,
                   int w, int64_t *cshape)
{
    cshape[0] = shape[0];
    cshape[1] = shape[1];
    cshape[axis] = hi - lo;
    double *out = malloc((size_t)(cshape[0] * cshape[1] * w + 1) * sizeof *out);
    ck_assert_ptr_nonnull(out);
    for (int64_t i = 0; i < cshape[0]; i++)
        for (int64_t j = 0; j < cshape[1]; j++) {
            int64_t si = axis == 0 ? i + lo : i, sj = axis == 1 ? j + lo : j;
            for (int r = 0; r < w; r++)
                out[(i * cshape[1] + j) * w + r] = v[(si * shape[1] + sj) * w + r];
        }
    return out;
}

START_TEST(test_chunks)
{
    const xp_provider *p = xpt_provider(_i);
    for (int d = 0; d < NDTS; d++)
        for (int axis = 0; axis < 2; axis++)
            for (int sos = 0; sos < 2; sos++) {
                xp_dtype dt = DTS[d];
                int w = xp_dtype_is_complex(dt) ? 2 : 1;
                int64_t shape[2] = {axis ? 3 : 200, axis ? 200 : 3}, s1[2], s2[2], zs[3];
                double *v = xft_values(600, w == 2, 11, 0.25, 1.0);
                double *v1 = cut(v, shape, axis, 0, 77, w, s1);
                double *v2 = cut(v, shape, axis, 77, 200, w, s2);
                xp_array *x = arr(p, dt, 2, shape, v), *x1 = arr(p, dt, 2, s1, v1);
                xp_array *x2 = arr(p, dt, 2, s2, v2);
                int zn = state_shape(sos, shape, axis, zs);
                xp_array *zi = xft_input(p, dt, zn, zs, 12, 0, 0);
                xp_array *y = NULL, *zf = NULL, *y1 = NULL, *zf1 = NULL, *y2 = NULL, *zf2 = NULL;
                const double *S = &xft_cheby3band_sos[0][0];
                const double *b = xft_cheby3band_b, *a = xft_cheby3band_a;
                if (sos) {
                    XPT_OK(xps_sosfilt(S, 3, x, axis, zi, &y, &zf));
                    XPT_OK(xps_sosfilt(S, 3, x1, axis, zi, &y1, &zf1));
                    XPT_OK(xps_sosfilt(S, 3, x2, axis, zf1, &y2, &zf2));
                } else {
                    XPT_OK(xps_lfilter(b, 7, a, 7, x, axis, zi, &y, &zf));
                    XPT_OK(xps_lfilter(b, 7, a, 7, x1, axis, zi, &y1, &zf1));
                    XPT_OK(xps_lfilter(b, 7, a, 7, x2, axis, zf1, &y2, &zf2));
                }
                int64_t nv;
                double *yv = xpt_get(y, &nv), *y1v = xpt_get(y1, &nv), *y2v = xpt_get(y2, &nv);
                double *joined = malloc((size_t)(600 * w) * sizeof *joined);
                ck_assert_ptr_nonnull(joined);
                for (int64_t i = 0; i < shape[0]; i++)     /* concatenate along axis */
                    for (int64_t j = 0; j < shape[1]; j++) {
                        int64_t k = axis ? j : i;
                        const double *src = k < 77 ? y1v : y2v;
                        int64_t ci = axis ? i : (k < 77 ? i : i - 77);
                        int64_t cj = axis ? (k < 77 ? j : j - 77) : j;
                        int64_t cw = k < 77 ? s1[1] : s2[1];
                        for (int r = 0; r < w; r++)
                            joined[(i * shape[1] + j) * w + r] = src[(ci * cw + cj) * w + r];
                    }
                double tol = tol_of(dt, 1e-14);
                double e = xpt_rel_err(joined, yv, 600 * w);
                ck_assert_msg(e <= tol, "%s axis %d sos %d: chunks differ by %.3g",
                              xp_dtype_name(dt), axis, sos, e);
                ck_assert_msg(xpt_array_err(zf2, zf) <= tol, "chunked zf differs");
                free(yv);
                free(y1v);
                free(y2v);
                free(joined);
                free(v);
                free(v1);
                free(v2);
                xp_array *all[] = {x, x1, x2, zi, y, zf, y1, zf1, y2, zf2};
                for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                    xp_array_free(all[i]);
            }
}
END_TEST

/* ---- the _into forms: caller's arrays, in place, streaming --------------- */

/* One call of lfilter_into or sosfilt_into with the cheby3band design. */
static int filt_into(int sos, const xp_array *x, int axis, const xp_array *zi,
                     const xp_array *y, const xp_array *zf)
{
    return sos ? xps_sosfilt_into(&xft_cheby3band_sos[0][0], 3, x, axis, zi, y, zf)
               : xps_lfilter_into(xft_cheby3band_b, 7, xft_cheby3band_a, 7, x, axis, zi, y,
                                  zf);
}

/* Into fresh arrays, into a transposed y, and in place chunk by chunk with
 * zf = zi (a stream with no allocation): each gives the allocating form's
 * result. */
START_TEST(test_into)
{
    const xp_provider *p = xpt_provider(_i);
    for (int d = 0; d < NDTS; d++)
        for (int axis = 0; axis < 2; axis++)
            for (int sos = 0; sos < 2; sos++) {
                xp_dtype dt = DTS[d];
                int64_t shape[2] = {axis ? 3 : 200, axis ? 200 : 3}, zs[3];
                int zn = state_shape(sos, shape, axis, zs);
                xp_array *x = xft_input(p, dt, 2, shape, 21, 0.25, 1.0);
                xp_array *zi = xft_input(p, dt, zn, zs, 22, 0, 0);
                xp_array *y = NULL, *zf = NULL, *yo = NULL, *zo = NULL;
                if (sos)
                    XPT_OK(xps_sosfilt(&xft_cheby3band_sos[0][0], 3, x, axis, zi, &y, &zf));
                else
                    XPT_OK(xps_lfilter(xft_cheby3band_b, 7, xft_cheby3band_a, 7, x, axis, zi,
                                       &y, &zf));
                /* fresh outputs: the same numbers */
                /* float32 x: float64 results, as SciPy's */
                xp_dtype rt = xp_dtype_is_complex(dt) ? XP_COMPLEX128 : XP_FLOAT64;
                ck_assert(xp_array_dtype(y) == rt && xp_array_dtype(zf) == rt);
                XPT_OK(xp_array_empty(p, rt, 2, shape, &yo));
                XPT_OK(xp_array_empty(p, rt, zn, zs, &zo));
                XPT_OK(filt_into(sos, x, axis, zi, yo, zo));
                ck_assert(xpt_same(yo, y));
                ck_assert(xpt_same(zo, zf));
                /* a transposed y, no final state */
                int64_t ts[2] = {shape[1], shape[0]}, tst[2] = {1, shape[0]};
                xp_array *yt = NULL, *ytv = NULL;
                XPT_OK(xp_array_empty(p, rt, 2, ts, &yt));
                XPT_OK(xp__view(yt, 2, shape, tst, 0, &ytv));
                XPT_OK(filt_into(sos, x, axis, zi, ytv, NULL));
                ck_assert(xpt_same(ytv, y));
                /* a stream: chunks [0, 77) and [77, 200) filtered in place,
                 * the state carried in one array (in the result's dtype: a
                 * float32 x cannot be its own float64 y) */
                xp_array *xs = NULL, *z = NULL;
                XPT_OK(xp_array_astype(x, rt, &xs));
                XPT_OK(xp_array_astype(zi, rt, &z));
                for (int k = 0; k < 2; k++) {
                    xp_array *c = NULL;
                    XPT_OK(xp__view_slice(xs, axis, k ? 77 : 0, k ? 123 : 77, 1, &c));
                    XPT_OK(filt_into(sos, c, axis, z, c, z));
                    xp_array_free(c);
                }
                double tol = 1e-14;
                ck_assert_msg(xpt_array_err(xs, y) <= tol, "%s axis %d sos %d: stream differs",
                              xp_dtype_name(dt), axis, sos);
                ck_assert_msg(xpt_array_err(z, zf) <= tol, "stream's final state differs");
                xp_array *all[] = {x, zi, y, zf, yo, zo, yt, ytv, xs, z};
                free_arrays(all, sizeof all / sizeof all[0]);
            }
}
END_TEST

/* Outputs the _into forms refuse, each with a message naming it. */
START_TEST(test_into_refused)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[1] = {120}, half = 60, zs[2] = {3, 2}, zl = 6, one = 1;
    xp_array *x = xft_input(p, XP_FLOAT64, 1, shape, 31, 0, 0), *zi = NULL, *zil = NULL;
    xp_array *y = NULL, *y32 = NULL, *ys = NULL, *yb = NULL, *lo = NULL, *hi = NULL;
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 2, zs, &zi));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &zl, &zil));
    XPT_OK(xp__fill(zi, 0, 0));
    XPT_OK(xp__fill(zil, 0, 0));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, shape, &y));
    XPT_OK(xp_array_empty(p, XP_FLOAT32, 1, shape, &y32));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &half, &ys));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &one, &yb));
    xp_array *bc = NULL;                      /* one element seen 120 times */
    XPT_OK(xp__view_broadcast(yb, 1, shape, &bc));
    XPT_OK(xp__view_slice(x, 0, 0, 80, 1, &lo));   /* x[0:80] and x[40:120] */
    XPT_OK(xp__view_slice(x, 0, 40, 80, 1, &hi));
    ck_assert_int_eq(filt_into(1, x, 0, zi, NULL, NULL), XP_EINVAL);
    xpt_msg_has("sosfilt", "y is NULL", NULL);
    ck_assert_int_eq(filt_into(1, x, 0, zi, ys, NULL), XP_ESHAPE);
    xpt_msg_has("sosfilt", "y must have the shape of x", NULL);
    ck_assert_int_eq(filt_into(0, x, 0, NULL, y32, NULL), XP_EDTYPE);
    xpt_msg_has("lfilter", "y is float32, expected float64", NULL);
    xp_array *x32 = xft_input(p, XP_FLOAT32, 1, shape, 31, 0, 0);
    ck_assert_int_eq(filt_into(1, x32, 0, NULL, x32, NULL), XP_EDTYPE);
    xpt_msg_has("sosfilt", "y is float32, expected float64", "for float32 x", NULL);
    xp_array_free(x32);
    ck_assert_int_eq(filt_into(1, x, 0, NULL, bc, NULL), XP_EINVAL);
    xpt_msg_has("sosfilt", "y writes some element twice", NULL);
    ck_assert_int_eq(filt_into(1, lo, 0, NULL, hi, NULL), XP_EINVAL);
    xpt_msg_has("sosfilt", "y shares memory with x", "in place", NULL);
    ck_assert_int_eq(filt_into(1, x, 0, NULL, y, zi), XP_EINVAL);
    xpt_msg_has("sosfilt", "zf needs zi", NULL);
    ck_assert_int_eq(filt_into(0, x, 0, zil, y, zi), XP_ESHAPE);
    xpt_msg_has("lfilter", "zf must have the shape of zi", NULL);
    ck_assert_int_eq(filt_into(1, x, 0, zi, y, y), XP_ESHAPE);
    ck_assert_int_eq(filt_into(0, x, 0, zil, zil, NULL), XP_ESHAPE);
    if (xpt_nproviders() > 1) {
        xp_array *other = NULL;
        XPT_OK(xp_array_empty(xpt_provider((_i + 1) % xpt_nproviders()), XP_FLOAT64, 1, shape,
                              &other));
        ck_assert_int_eq(filt_into(1, x, 0, NULL, other, NULL), XP_EDEVICE);
        xpt_msg_has("sosfilt", "y lives on provider", NULL);
        xp_array_free(other);
    }
    xp_array *all[] = {x, zi, zil, y, y32, ys, yb, bc, lo, hi};
    free_arrays(all, sizeof all / sizeof all[0]);
}
END_TEST

/* The _into form of a filtfilt or sosfiltfilt call. */
static int run_into(const fcall *c, const xp_array *x, const xp_array *y)
{
    if (c->k == K_FILTFILT)
        return xps_filtfilt_into(c->b, c->nb, c->a, c->na, x, &c->opt, y);
    return xps_sosfiltfilt_into(c->sos, c->nsec, x, &c->opt, y);
}

/* filtfilt and sosfiltfilt into a fresh array, into a view with reversed
 * strides and in place (y = x) give the allocating form's numbers bit for
 * bit: along the last axis and the first (the result's rows form a 2-D
 * view: filtered where they lie) and along the middle axis of a 3-D array
 * (they do not: through the padded copy). */
START_TEST(test_filtfilt_into)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    static const int64_t shapes[3][3] = {{3, 150, 0}, {150, 3, 0}, {2, 150, 3}};
    static const int nds[3] = {2, 2, 3}, axes[3] = {1, 0, 1};
    for (int d = 0; d < NDTS; d++)
        for (int s = 0; s < 3; s++)
            for (int c = 0; c < nc; c++) {
                if (calls[c].k != K_FILTFILT && calls[c].k != K_SOSFILTFILT)
                    continue;
                xp_dtype dt = DTS[d];
                int nd = nds[s];
                fcall call = calls[c];
                call.opt.axis = axes[s];
                xp_array *x = xft_input(p, dt, nd, shapes[s], 41, 0.25, 1.0);
                xp_array *y = run(&call, x), *yo = NULL, *yr = NULL, *yrv = NULL;
                xp_dtype rt = xp_dtype_is_complex(dt) ? XP_COMPLEX128 : XP_FLOAT64;
                ck_assert(xp_array_dtype(y) == rt);  /* float32 x: float64 y, as SciPy */
                XPT_OK(xp_array_empty(p, rt, nd, shapes[s], &yo));
                XPT_OK(run_into(&call, x, yo));
                ck_assert_msg(xpt_same(yo, y), "%s shape %d call %d: into a fresh array",
                              xp_dtype_name(dt), s, c);
                int64_t rs[3], rst[3];      /* yr [reversed shape]: a Fortran-order y */
                for (int k = 0; k < nd; k++) {
                    rs[k] = shapes[s][nd - 1 - k];
                    rst[k] = k == 0 ? 1 : rst[k - 1] * shapes[s][k - 1];
                }
                XPT_OK(xp_array_empty(p, rt, nd, rs, &yr));
                XPT_OK(xp__view(yr, nd, shapes[s], rst, 0, &yrv));
                XPT_OK(run_into(&call, x, yrv));
                ck_assert_msg(xpt_same(yrv, y), "%s shape %d call %d: into reversed strides",
                              xp_dtype_name(dt), s, c);
                xp_array *xs = NULL;        /* in place (float32 x cannot be) */
                if (rt == dt) {
                    xs = xft_copy(x);
                    XPT_OK(run_into(&call, xs, xs));
                    ck_assert_msg(xpt_same(xs, y), "%s shape %d call %d: in place",
                                  xp_dtype_name(dt), s, c);
                }
                xp_array *all[] = {x, y, yo, yr, yrv, xs};
                free_arrays(all, sizeof all / sizeof all[0]);
            }
}
END_TEST

/* x whose rows do not form one 2-D view (x[:, :3, :] of a [2, 5, 150]
 * array) with a result whose rows do: x is copied into the result before
 * filtering there, where other inputs are read in place by the forward
 * pass; the same numbers bit for bit as from a contiguous copy of x. */
START_TEST(test_filtfilt_unmerged_x)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    const int64_t shape[3] = {2, 5, 150};
    for (int c = 0; c < nc; c++) {
        if (calls[c].k != K_FILTFILT && calls[c].k != K_SOSFILTFILT)
            continue;
        xp_array *big = xft_input(p, XP_FLOAT64, 3, shape, 43, 0.25, 1.0), *xv = NULL;
        XPT_OK(xp__view_slice(big, 1, 0, 3, 1, &xv));
        xp_array *xc = xft_copy(xv), *yv = run(&calls[c], xv), *yc = run(&calls[c], xc);
        ck_assert_msg(xpt_same(yv, yc), "call %d: unmerged x", c);
        xp_array *all[] = {big, xv, xc, yv, yc};
        free_arrays(all, sizeof all / sizeof all[0]);
    }
}
END_TEST

/* What the filtfilt forms refuse for y, each with its message; the checks
 * are shared with lfilter_into's, tested above in full. */
START_TEST(test_filtfilt_into_refused)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[1] = {120}, half = 60;
    xp_array *x = xft_input(p, XP_FLOAT64, 1, shape, 31, 0, 0);
    xp_array *y32 = NULL, *ys = NULL, *lo = NULL, *hi = NULL;
    fcall ba = BUTTER4(K_FILTFILT), sos = BUTTER4_SOS(K_SOSFILTFILT);
    XPT_OK(xp_array_empty(p, XP_FLOAT32, 1, shape, &y32));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &half, &ys));
    XPT_OK(xp__view_slice(x, 0, 0, 80, 1, &lo));
    XPT_OK(xp__view_slice(x, 0, 40, 80, 1, &hi));
    ck_assert_int_eq(run_into(&ba, x, NULL), XP_EINVAL);
    xpt_msg_has("filtfilt", "y is NULL", NULL);
    ck_assert_int_eq(run_into(&sos, x, ys), XP_ESHAPE);
    xpt_msg_has("sosfiltfilt", "y must have the shape of x", NULL);
    ck_assert_int_eq(run_into(&ba, x, y32), XP_EDTYPE);
    xpt_msg_has("filtfilt", "y is float32, expected float64", NULL);
    ck_assert_int_eq(run_into(&sos, lo, hi), XP_EINVAL);
    xpt_msg_has("sosfiltfilt", "y shares memory with x", NULL);
    ba.opt.padlen = 200;        /* the argument checks still come first */
    ck_assert_int_eq(run_into(&ba, x, x), XP_EINVAL);
    xpt_msg_has("filtfilt", "padlen", NULL);
    xp_array *all[] = {x, y32, ys, lo, hi};
    free_arrays(all, sizeof all / sizeof all[0]);
}
END_TEST

/* ---- linearity; a complex x is its real and imaginary parts ------------- */

START_TEST(test_linearity)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    int64_t shape[2] = {2, 90}, n = 180;
    for (int d = 0; d < NDTS; d++) {
        xp_dtype dt = DTS[d];
        int w = xp_dtype_is_complex(dt) ? 2 : 1;
        double *u = xft_values(n, w == 2, 21, 0.5, 1.0), *v = xft_values(n, w == 2, 22, -0.2, 2.0);
        double *s = malloc((size_t)(n * w) * sizeof *s);
        ck_assert_ptr_nonnull(s);
        double al = 0.75, be = -1.5;
        for (int64_t i = 0; i < n * w; i++)
            s[i] = al * u[i] + be * v[i];
        xp_array *xu = arr(p, dt, 2, shape, u), *xv = arr(p, dt, 2, shape, v);
        xp_array *xs = arr(p, dt, 2, shape, s);
        for (int c = 0; c < nc; c++) {
            xp_array *yu = run(&calls[c], xu), *yv = run(&calls[c], xv), *ys = run(&calls[c], xs);
            int64_t nv;
            double *a = xpt_get(yu, &nv), *b = xpt_get(yv, &nv), *got = xpt_get(ys, &nv);
            for (int64_t i = 0; i < nv; i++)
                a[i] = al * a[i] + be * b[i];
            double e = xpt_rel_err(got, a, nv);
            ck_assert_msg(e <= tol_of(dt, 1e-12), "%s call %d: not linear (%.3g)",
                          xp_dtype_name(dt), c, e);
            free(a);
            free(b);
            free(got);
            xp_array_free(yu);
            xp_array_free(yv);
            xp_array_free(ys);
        }
        free(u);
        free(v);
        free(s);
        xp_array_free(xu);
        xp_array_free(xv);
        xp_array_free(xs);
    }
}
END_TEST

START_TEST(test_complex_parts)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    int64_t shape[2] = {3, 70}, n = 210;
    double *z = xft_values(n, 1, 31, 0.5, 0.0), re[210], im[210];
    for (int64_t i = 0; i < n; i++) {
        re[i] = z[2 * i];
        im[i] = z[2 * i + 1];
    }
    xp_array *xz = arr(p, XP_COMPLEX128, 2, shape, z), *xr = arr(p, XP_FLOAT64, 2, shape, re);
    xp_array *xi = arr(p, XP_FLOAT64, 2, shape, im);
    for (int c = 0; c < nc; c++) {
        xp_array *yz = run(&calls[c], xz), *yr = run(&calls[c], xr), *yi = run(&calls[c], xi);
        int64_t nv;
        double *a = xpt_get(yz, &nv), *b = xpt_get(yr, &nv), *d = xpt_get(yi, &nv);
        double *want = malloc((size_t)(2 * n) * sizeof *want);
        ck_assert_ptr_nonnull(want);
        for (int64_t i = 0; i < n; i++) {
            want[2 * i] = b[i];
            want[2 * i + 1] = d[i];
        }
        double e = xpt_rel_err(a, want, 2 * n);
        ck_assert_msg(e <= 1e-13, "call %d: complex != parts (%.3g)", c, e);
        free(a);
        free(b);
        free(d);
        free(want);
        xp_array_free(yz);
        xp_array_free(yr);
        xp_array_free(yi);
    }
    free(z);
    xp_array_free(xz);
    xp_array_free(xr);
    xp_array_free(xi);
}
END_TEST

/* ---- the steady state: zi = lfilter_zi * c on a constant c gives c ------ */

START_TEST(test_steady_state)
{
    const xp_provider *p = xpt_provider(_i);
    double zi[6], szi[6], c = -2.25;
    int64_t n = 50, zs1 = 4, zs2[2] = {2, 2};
    XPT_OK(xps_lfilter_zi(xft_butter4_b, 5, xft_butter4_a, 5, zi));
    XPT_OK(xps_sosfilt_zi(&xft_butter4_sos[0][0], 2, szi));
    for (int i = 0; i < 4; i++) {
        zi[i] *= c;
        szi[i] *= c;
    }
    double v[50];
    for (int i = 0; i < 50; i++)
        v[i] = c;
    xp_array *x = arr(p, XP_FLOAT64, 1, &n, v), *z1 = arr(p, XP_FLOAT64, 1, &zs1, zi);
    xp_array *z2 = arr(p, XP_FLOAT64, 2, zs2, szi), *y = NULL, *zf = NULL, *ys = NULL, *zfs = NULL;
    XPT_OK(xps_lfilter(xft_butter4_b, 5, xft_butter4_a, 5, x, 0, z1, &y, &zf));
    XPT_OK(xps_sosfilt(&xft_butter4_sos[0][0], 2, x, 0, z2, &ys, &zfs));
    ck_assert_msg(xpt_array_err(y, x) <= 1e-13, "lfilter_zi is not the steady state");
    ck_assert_msg(xpt_array_err(ys, x) <= 1e-13, "sosfilt_zi is not the steady state");
    ck_assert_msg(xpt_array_err(zf, z1) <= 1e-13, "the state moved");
    ck_assert_msg(xpt_array_err(zfs, z2) <= 1e-13, "the sos state moved");
    xp_array *all[] = {x, z1, z2, y, zf, ys, zfs};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}
END_TEST

/* ---- normalization: a[0] != 1 and sos rows with a0 != 1 ----------------
 * SciPy's lfilter and filtfilt divide by a[0]; its sosfilt and sosfiltfilt
 * refuse a0 != 1 ("sos[:, 3] should be all ones"), and so do we; its
 * sosfilt_zi divides each section by its a0. */

START_TEST(test_normalization)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    double b2[7], a2[7], s2[18];
    int64_t shape[2] = {2, 80};
    xp_array *x = xft_input(p, XP_FLOAT64, 2, shape, 41, 0.3, 0.0);
    for (int c = 0; c < nc; c++) {
        fcall scaled = calls[c];
        if (calls[c].sos) {
            memcpy(s2, calls[c].sos, (size_t)(6 * calls[c].nsec) * sizeof *s2);
            for (int64_t s = 0; s < calls[c].nsec; s++)
                for (int j = 0; j < 6; j++)
                    s2[6 * s + j] *= (double)(s + 2);
            scaled.sos = s2;
        } else {
            for (int64_t j = 0; j < calls[c].nb; j++)
                b2[j] = calls[c].b[j] * -4.0;
            for (int64_t j = 0; j < calls[c].na; j++)
                a2[j] = calls[c].a[j] * -4.0;
            scaled.b = b2;
            scaled.a = a2;
        }
        if (calls[c].sos) {
            xp_array *y = NULL;
            int rc = calls[c].k == K_SOSFILT
                         ? xps_sosfilt(s2, calls[c].nsec, x, calls[c].opt.axis, NULL, &y, NULL)
                         : xps_sosfiltfilt(s2, calls[c].nsec, x, &calls[c].opt, &y);
            ck_assert_msg(rc == XP_EINVAL && !y && strstr(xp_errmsg(), "must be 1"),
                          "call %d: a0 = 2 gave status %d (%s)", c, rc, xp_errmsg());
            continue;
        }
        xp_array *y1 = run(&calls[c], x), *y2 = run(&scaled, x);
        double e = xpt_array_err(y2, y1);
        ck_assert_msg(e <= 1e-13, "call %d: scaled coefficients differ by %.3g", c, e);
        xp_array_free(y1);
        xp_array_free(y2);
    }
    double z1[6], z2[6];
    for (int j = 0; j < 12; j++)
        s2[j] = (&xft_butter4_sos[0][0])[j] * 3.0;
    XPT_OK(xps_sosfilt_zi(&xft_butter4_sos[0][0], 2, z1));
    XPT_OK(xps_sosfilt_zi(s2, 2, z2));
    ck_assert(xpt_rel_err(z2, z1, 4) <= 1e-14);
    xp_array_free(x);
}
END_TEST

/* ---- strided views in, the same results out ----------------------------- */

START_TEST(test_views)
{
    const xp_provider *p = xpt_provider(_i);
    fcall calls[32];
    int nc = all_calls(calls);
    int64_t shape[2] = {70, 3};
    xp_array *base = xft_input(p, XP_FLOAT64, 2, shape, 51, 0.7, 0.5);
    xp_array *t = NULL, *tf = NULL;
    XPT_OK(xp__view_axis_last(base, 0, &t));        /* [3, 70], strides (1, 3) */
    XPT_OK(xp__view_flip(t, 1, &tf));               /* reversed along the rows */
    xp_array *views[2] = {t, tf};
    for (int vi = 0; vi < 2; vi++) {
        xp_array *c = xft_copy(views[vi]);
        for (int k = 0; k < nc; k++) {
            xp_array *y1 = run(&calls[k], views[vi]), *y2 = run(&calls[k], c);
            ck_assert_msg(xpt_same(y1, y2), "view %d call %d: differs from a copy", vi, k);
            xp_array_free(y1);
            xp_array_free(y2);
        }
        xp_array_free(c);
    }
    xp_array_free(tf);
    xp_array_free(t);
    xp_array_free(base);
}
END_TEST

/* ---- float32 input: filtered in float64, as SciPy ----------------------- */

/* butter(8, 0.05): stable in float64, unstable with its a rounded to
 * float32 (the old float32 path gave 1e17 for lfilter, 1e32 for filtfilt). */
static const double butter8_b[9] = {
    9.835591130971297e-10, 7.868472904777037e-09, 2.7539655166719632e-08,
    5.5079310333439264e-08, 6.884913791679907e-08, 5.5079310333439264e-08,
    2.7539655166719632e-08, 7.868472904777037e-09, 9.835591130971297e-10};
static const double butter8_a[9] = {
    1.0, -7.1949243584232745, 22.68506299943664, -40.93508346568443, 46.23642584093399,
    -33.471920313990374, 15.165671058595017, -3.9317654914649003, 0.44653398238846237};

/* float32 and complex64 x: a float64 / complex128 result, bit for bit the
 * one of x converted first (SciPy's result_type with float64 coefficients)
 * for lfilter (with zi), sosfilt and filtfilt's gust; filtfilt and
 * sosfiltfilt with pads differ from it by the padded ends alone, which
 * SciPy computes in float32 (2 x[0] - x[i] rounded there; the golden
 * cases hold that to SciPy's numbers). */
START_TEST(test_single_promoted)
{
    const xp_provider *p = xpt_provider(_i);
    static const xp_dtype single[2] = {XP_FLOAT32, XP_COMPLEX64};
    int64_t shape[2] = {2, 400}, zs[2] = {2, 8};
    for (int d = 0; d < 2; d++) {
        xp_dtype rt = d ? XP_COMPLEX128 : XP_FLOAT64;
        xp_array *x = xft_input(p, single[d], 2, shape, 71, 0.25, 1.0), *xw = NULL;
        xp_array *zi = xft_input(p, single[d], 2, zs, 72, 0, 0), *ziw = NULL;
        XPT_OK(xp_array_astype(x, rt, &xw));
        XPT_OK(xp_array_astype(zi, rt, &ziw));
        xp_array *y[2] = {NULL, NULL}, *zf[2] = {NULL, NULL};
        XPT_OK(xps_lfilter(butter8_b, 9, butter8_a, 9, x, -1, zi, &y[0], &zf[0]));
        XPT_OK(xps_lfilter(butter8_b, 9, butter8_a, 9, xw, -1, ziw, &y[1], &zf[1]));
        ck_assert(xp_array_dtype(y[0]) == rt && xp_array_dtype(zf[0]) == rt);
        ck_assert_msg(xpt_same(y[0], y[1]) && xpt_same(zf[0], zf[1]), "%s lfilter",
                      xp_dtype_name(single[d]));
        free_arrays(y, 2);
        free_arrays(zf, 2);
        XPT_OK(xps_sosfilt(&xft_cheby3band_sos[0][0], 3, x, -1, NULL, &y[0], NULL));
        XPT_OK(xps_sosfilt(&xft_cheby3band_sos[0][0], 3, xw, -1, NULL, &y[1], NULL));
        ck_assert(xp_array_dtype(y[0]) == rt);
        ck_assert_msg(xpt_same(y[0], y[1]), "%s sosfilt", xp_dtype_name(single[d]));
        free_arrays(y, 2);
        for (int m = 0; m < 3; m++) {
            xps_filtfilt_options opt;
            xps_filtfilt_options_init(&opt);
            opt.method = m == 1 ? XPS_FILTFILT_GUST : XPS_FILTFILT_PAD;
            for (int k = 0; k < 2; k++)
                XPT_OK(m < 2 ? xps_filtfilt(butter8_b, 9, butter8_a, 9, k ? xw : x, &opt,
                                            &y[k])
                             : xps_sosfiltfilt(&xft_cheby3band_sos[0][0], 3, k ? xw : x,
                                               &opt, &y[k]));
            ck_assert(xp_array_dtype(y[0]) == rt);
            if (m == 1)
                ck_assert_msg(xpt_same(y[0], y[1]), "%s filtfilt gust",
                              xp_dtype_name(single[d]));
            else
                ck_assert_msg(xpt_array_err(y[0], y[1]) < 1e-5, "%s filtfilt %d: %.3g",
                              xp_dtype_name(single[d]), m, xpt_array_err(y[0], y[1]));
            free_arrays(y, 2);
        }
        xp_array *all[] = {x, xw, zi, ziw};
        free_arrays(all, 4);
    }
}
END_TEST

/* Gustafsson's system is singular for an FIR filter with b[0] = a[0]
 * (its two halves are the same); SciPy's lstsq gives the minimum-norm
 * answer, and so must we (we used to refuse it).  x = (1..20) % 7 - 3;
 * SciPy's results, exact in binary. */
START_TEST(test_gust_singular)
{
    const xp_provider *p = xpt_provider(_i);
    static const double b[3][2] = {{1, 1}, {1, -1}, {1, 0.5}}, one = 1;
    static const double want[3][20] = {
        {-5, -4, 0, 4, 8, 5, -5, -8, -4, 0, 4, 8, 5, -5, -8, -4, 0, 4, 8, 5},
        {-3, 0, 0, 0, 0, 7, -7, 0, 0, 0, 0, 0, 7, -7, 0, 0, 0, 0, 0, 1},
        {-3, -2.25, 0, 2.25, 4.5, 3.25, -3.25, -4.5, -2.25, 0, 2.25, 4.5, 3.25, -3.25, -4.5,
         -2.25, 0, 2.25, 4.5, 4}};
    double xv[20];
    for (int i = 0; i < 20; i++)
        xv[i] = (double)((i + 1) % 7 - 3);
    int64_t n = 20;
    xp_array *x = xpt_array(p, XP_FLOAT64, 1, &n, xv);
    for (int f = 0; f < 3; f++) {
        xps_filtfilt_options opt;
        xps_filtfilt_options_init(&opt);
        opt.method = XPS_FILTFILT_GUST;
        xp_array *y = NULL;
        XPT_OK(xps_filtfilt(b[f], 2, &one, 1, x, &opt, &y));
        int64_t m;
        double *yv = xpt_get(y, &m);
        for (int i = 0; i < 20; i++)
            ck_assert_msg(fabs(yv[i] - want[f][i]) <= 1e-12 * 8, "b = [1, %g]: y[%d] is %.17g, "
                          "SciPy %g", b[f][1], i, yv[i], want[f][i]);
        free(yv);
        xp_array_free(y);
    }
    xp_array_free(x);
}
END_TEST

/* ---- small cases: no state, empty x ------------------------------------- */

START_TEST(test_small)
{
    const xp_provider *p = xpt_provider(_i);
    /* order 0: a gain.  SciPy's filtfilt raises for method pad (lfilter_zi
     * needs len(a) >= 2) and gives (b/a)^2 x for gust; both give that here. */
    double b0 = 3.0, a0 = 1.5;
    int64_t n = 20;
    xp_array *x = xft_input(p, XP_FLOAT64, 1, &n, 61, 0.0, 0.0);
    for (int m = 0; m < 2; m++) {
        xps_filtfilt_options opt;
        xps_filtfilt_options_init(&opt);
        opt.method = (xps_filtfilt_method)m;
        xp_array *y = NULL;
        XPT_OK(xps_filtfilt(&b0, 1, &a0, 1, x, &opt, &y));
        int64_t nv;
        double *xv = xpt_get(x, &nv), *yv = xpt_get(y, &nv);
        for (int64_t i = 0; i < n; i++)
            ck_assert_msg(fabs(yv[i] - 4.0 * xv[i]) <= 1e-15 * fabs(xv[i]) + 1e-300,
                          "method %d: gain^2 x expected", m);
        free(xv);
        free(yv);
        xp_array_free(y);
    }
    xp_array_free(x);
    /* empty rows: lfilter returns an empty y and zf = zi (SciPy too) */
    int64_t es[2] = {2, 0}, zs[2] = {2, 4};
    xp_array *xe = xft_input(p, XP_FLOAT64, 2, es, 0, 0, 0);
    xp_array *zi = xft_input(p, XP_FLOAT64, 2, zs, 62, 0, 0), *y = NULL, *zf = NULL;
    XPT_OK(xps_lfilter(xft_butter4_b, 5, xft_butter4_a, 5, xe, -1, zi, &y, &zf));
    ck_assert_int_eq(xp_array_dim(y, 1), 0);
    ck_assert_msg(xpt_same(zf, zi), "lfilter on empty x: zf is not zi");
    xp_array_free(y);
    xp_array_free(zf);
    int64_t szs[3] = {2, 2, 2};
    xp_array *szi = xft_input(p, XP_FLOAT64, 3, szs, 63, 0, 0);
    XPT_OK(xps_sosfilt(&xft_butter4_sos[0][0], 2, xe, -1, szi, &y, &zf));
    ck_assert_msg(xpt_same(zf, szi), "sosfilt on empty x: zf is not zi");
    xp_array_free(y);
    xp_array_free(zf);
    xp_array_free(szi);
    xp_array_free(zi);
    xp_array_free(xe);
}
END_TEST

static Suite *props_suite(void)
{
    Suite *s = suite_create("filter_props");
    TCase *tc = tcase_create("props");
    int np = xpt_nproviders();
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_dc_constant, 0, np);
    tcase_add_loop_test(tc, test_zero_phase, 0, np);
    tcase_add_loop_test(tc, test_sos_ba_agree, 0, np);
    tcase_add_loop_test(tc, test_chunks, 0, np);
    tcase_add_loop_test(tc, test_into, 0, np);
    tcase_add_loop_test(tc, test_into_refused, 0, np);
    tcase_add_loop_test(tc, test_filtfilt_into, 0, np);
    tcase_add_loop_test(tc, test_filtfilt_unmerged_x, 0, np);
    tcase_add_loop_test(tc, test_filtfilt_into_refused, 0, np);
    tcase_add_loop_test(tc, test_linearity, 0, np);
    tcase_add_loop_test(tc, test_complex_parts, 0, np);
    tcase_add_loop_test(tc, test_steady_state, 0, np);
    tcase_add_loop_test(tc, test_normalization, 0, np);
    tcase_add_loop_test(tc, test_views, 0, np);
    tcase_add_loop_test(tc, test_small, 0, np);
    tcase_add_loop_test(tc, test_single_promoted, 0, np);
    tcase_add_loop_test(tc, test_gust_singular, 0, np);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return xpt_run(props_suite());
}
