/*
 * check_host_filter.c -- the lfilter and sosfilt ops on every provider.
 *
 * The reference is the plain recurrence written out here, one operation at
 * a time in the order the xp_ops contract fixes, each result rounded to
 * the dtype's precision: on the host provider the kernels must agree with
 * it to rounding (bit for bit on the serial paths).  Covered: filter
 * orders 0..8 with na != nb, a[0] != 1, with and without zi/zf, all four
 * dtypes, 2-d and 3-d batches, long rows (the segment path) and many rows
 * (the block path), reversed and transposed views, zero-stride zi,
 * continuation in two chunks, sosfilt against cascaded lfilter, argument
 * errors and fault injection.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "providers/host/host.h"

/* ---- the reference ------------------------------------------------------ */

typedef struct {
    double re, im;
} cval;

static int g_single;    /* round every operation to float */

/* Through a volatile: GCC 12.2 at -O2 vectorizes (double)(float)(p / q)
 * on two struct fields into a bare divpd, dropping the rounding. */
static double R(double v)
{
    if (!g_single)
        return v;
    volatile float f = (float)v;
    return f;
}
static cval cadd(cval p, cval q) { return (cval){R(p.re + q.re), R(p.im + q.im)}; }
static cval csub(cval p, cval q) { return (cval){R(p.re - q.re), R(p.im - q.im)}; }
static cval cmul(cval p, cval q)
{
    return (cval){R(R(p.re * q.re) - R(p.im * q.im)), R(R(p.re * q.im) + R(p.im * q.re))};
}
static cval cdiv(cval p, cval d)
{
    if (d.im == 0)
        return (cval){R(p.re / d.re), R(p.im / d.re)};
    double den = R(R(d.re * d.re) + R(d.im * d.im));
    return (cval){R(R(R(p.re * d.re) + R(p.im * d.im)) / den),
                  R(R(R(p.im * d.re) - R(p.re * d.im)) / den)};
}

/* value i of a flat value array (pairs when complex) */
static cval cget(const double *v, int cplx, int64_t i)
{
    return cplx ? (cval){R(v[2 * i]), R(v[2 * i + 1])} : (cval){R(v[i]), 0};
}
static void cput(double *v, int cplx, int64_t i, cval c)
{
    if (cplx) {
        v[2 * i] = c.re;
        v[2 * i + 1] = c.im;
    } else {
        v[i] = c.re;
    }
}

/* One row: x[n] -> y[n], z[K] in/out (K = max(na, nb) - 1).  With
 * len(a) == 1 the a terms are left out (an FIR filter forgets a NaN). */
static void ref_lfilter_row(int cplx, int nb, const double *b, int na,
                            const double *a, int64_t n, const double *x,
                            double *y, double *z)
{
    int K = (na > nb ? na : nb) - 1;
    cval bn[64], an[64], zz[64], a0 = cget(a, cplx, 0);
    for (int k = 0; k <= K; k++) {
        bn[k] = k < nb ? cdiv(cget(b, cplx, k), a0) : (cval){0, 0};
        an[k] = k < na ? cdiv(cget(a, cplx, k), a0) : (cval){0, 0};
    }
    for (int k = 0; k < K; k++)
        zz[k] = cget(z, cplx, k);
    for (int64_t i = 0; i < n; i++) {
        cval xv = cget(x, cplx, i), yv;
        if (K == 0) {
            yv = cmul(bn[0], xv);
        } else {
            yv = cadd(zz[0], cmul(bn[0], xv));
            for (int k = 0; k < K - 1; k++) {
                zz[k] = cadd(zz[k + 1], cmul(bn[k + 1], xv));
                if (na > 1)
                    zz[k] = csub(zz[k], cmul(an[k + 1], yv));
            }
            zz[K - 1] = cmul(bn[K], xv);
            if (na > 1)
                zz[K - 1] = csub(zz[K - 1], cmul(an[K], yv));
        }
        cput(y, cplx, i, yv);
    }
    for (int k = 0; k < K; k++)
        cput(z, cplx, k, zz[k]);
}

/* One row through sos[nsec][6]; z[nsec][2] in/out. */
static void ref_sosfilt_row(int cplx, int nsec, const double *sos, int64_t n,
                            const double *x, double *y, double *z)
{
    cval q[64][5], zz[64][2];
    for (int s = 0; s < nsec; s++) {
        cval a0 = cget(sos, cplx, 6 * s + 3);
        for (int c = 0; c < 5; c++)
            q[s][c] = cdiv(cget(sos, cplx, 6 * s + (c < 3 ? c : c + 1)), a0);
        zz[s][0] = cget(z, cplx, 2 * s);
        zz[s][1] = cget(z, cplx, 2 * s + 1);
    }
    for (int64_t i = 0; i < n; i++) {
        cval xv = cget(x, cplx, i);
        for (int s = 0; s < nsec; s++) {
            cval yv = cadd(cmul(q[s][0], xv), zz[s][0]);
            zz[s][0] = cadd(csub(cmul(q[s][1], xv), cmul(q[s][3], yv)), zz[s][1]);
            zz[s][1] = csub(cmul(q[s][2], xv), cmul(q[s][4], yv));
            xv = yv;
        }
        cput(y, cplx, i, xv);
    }
    for (int s = 0; s < nsec; s++) {
        cput(z, cplx, 2 * s, zz[s][0]);
        cput(z, cplx, 2 * s + 1, zz[s][1]);
    }
}

/* ---- helpers -------------------------------------------------------------- */

static const xp_dtype dtypes[] = {XP_FLOAT64, XP_FLOAT32, XP_COMPLEX128, XP_COMPLEX64};

static int is_single(xp_dtype dt)
{
    return dt == XP_FLOAT32 || dt == XP_COMPLEX64;
}

/* The host and strict providers run the host kernels: the plain recurrence
 * or, on long rows, the recurrence from states found in segments (1e-13 of
 * it).  Other providers may order the arithmetic their own way. */
static int g_host_kernels;

static double tol_of(xp_dtype dt)
{
    if (g_host_kernels)
        return is_single(dt) ? 1e-6 : 1e-13;
    return is_single(dt) ? 1e-4 : 1e-12;
}

static const xp_provider *provider(int i)
{
    const xp_provider *p = xpt_provider(i);
    g_host_kernels = !strcmp(xp_provider_name(p), "host")
                     || !strcmp(xp_provider_name(p), "strict");
    return p;
}

static int64_t nvals(xp_dtype dt, int64_t n)
{
    return xp_dtype_is_complex(dt) ? 2 * n : n;
}

static double *rnd(xp_dtype dt, int64_t n, unsigned seed)
{
    double *v = malloc((size_t)(nvals(dt, n) + 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    xpt_random(v, nvals(dt, n), seed);
    return v;
}

/* Random b[nb] and a stable a[na] (sum |a_k / a_0| <= 0.9) with a_0 != 1. */
static void rand_ba(xp_dtype dt, int nb, int na, unsigned seed, double *b, double *a)
{
    int cplx = xp_dtype_is_complex(dt);
    double u[40];
    xpt_random(b, nvals(dt, nb), seed);
    xpt_random(u, 2 * na, seed + 7);
    cval a0 = {1.5 + 0.4 * u[0], cplx ? 0.3 * u[1] : 0};
    cput(a, cplx, 0, a0);
    for (int k = 1; k < na; k++) {
        double r = 0.9 / (na - 1) / (cplx ? 1.5 : 1);
        cval c = {r * u[2 * k], cplx ? r * u[2 * k + 1] : 0};
        cval ak = {a0.re * c.re - a0.im * c.im, a0.re * c.im + a0.im * c.re};
        cput(a, cplx, k, ak);
    }
}

/* Random stable sections: |a1| + |a2| <= 0.9 |a0|. */
static void rand_sos(xp_dtype dt, int nsec, unsigned seed, double *sos)
{
    int cplx = xp_dtype_is_complex(dt);
    xpt_random(sos, nvals(dt, 6 * nsec), seed);
    for (int s = 0; s < nsec; s++) {
        cval a0 = {(s % 2 ? -1.0 : 1.0) * (1.2 + 0.3 * sos[0]), 0};
        if (cplx)
            a0.im = 0.2;
        double m = sqrt(a0.re * a0.re + a0.im * a0.im);
        for (int c = 4; c < 6; c++) {
            cval v = cget(sos, cplx, 6 * s + c);
            v.re *= 0.3 * m;
            v.im *= 0.3 * m;
            cput(sos, cplx, 6 * s + c, v);
        }
        cput(sos, cplx, 6 * s + 3, a0);
    }
}

static xp_array *empty(const xp_provider *p, xp_dtype dt, int ndim, const int64_t *shape)
{
    xp_array *a = NULL;
    XPT_OK(xp_array_empty(p, dt, ndim, shape, &a));
    return a;
}

static void check_close(const char *what, xp_dtype dt, const double *got,
                        const double *want, int64_t n, double tol)
{
    double e = xpt_rel_err(got, want, nvals(dt, n));
    ck_assert_msg(e <= tol, "%s (%s): relative error %g > %g", what,
                  xp_dtype_name(dt), e, tol);
}

/* Run lfilter on the given arrays (zi, zf may be NULL) and compare y, zf
 * with the reference computed from the arrays' own values. */
static void check_lfilter(xp_dtype dt, int nb, const double *b, int na,
                          const double *a, const xp_array *x, const xp_array *zi,
                          const xp_array *y, const xp_array *zf, double tol,
                          const char *what)
{
    const xp_provider *p = xp_array_provider(x);
    int cplx = xp_dtype_is_complex(dt), K = (na > nb ? na : nb) - 1;
    int64_t sb = nb, sa = na;
    xp_array *ab = xpt_array(p, dt, 1, &sb, b), *aa = xpt_array(p, dt, 1, &sa, a);
    XPT_OK(xp__lfilter(ab, aa, x, zi, y, zf));

    int64_t n = xp_array_dim(x, -1), rows = xp_array_size(x) / (n ? n : 1);
    if (n == 0)
        rows = xp_array_size(zi ? zi : zf ? zf : x) / (K ? K : 1);
    double *xv = xpt_values(x), *yv = xpt_values(y);
    double *want = calloc((size_t)nvals(dt, rows * n) + 1, sizeof *want);
    double *zw = calloc((size_t)nvals(dt, rows * K) + 1, sizeof *zw);
    ck_assert(want && zw);
    if (zi) {
        double *ziv = xpt_values(zi);
        memcpy(zw, ziv, (size_t)nvals(dt, rows * K) * sizeof *zw);
        free(ziv);
    }
    g_single = is_single(dt);
    for (int64_t r = 0; r < rows; r++)
        ref_lfilter_row(cplx, nb, b, na, a, n, xv + nvals(dt, r * n),
                        want + nvals(dt, r * n), zw + nvals(dt, r * K));
    check_close(what, dt, yv, want, rows * n, tol);
    if (zf) {
        double *zfv = xpt_values(zf);
        check_close(what, dt, zfv, zw, rows * K, tol);
        free(zfv);
    }
    free(xv);
    free(yv);
    free(want);
    free(zw);
    xp_array_free(ab);
    xp_array_free(aa);
}

static void check_sosfilt(xp_dtype dt, int nsec, const double *sos,
                          const xp_array *x, const xp_array *zi, const xp_array *y,
                          const xp_array *zf, double tol, const char *what)
{
    const xp_provider *p = xp_array_provider(x);
    int cplx = xp_dtype_is_complex(dt);
    int64_t ss[2] = {nsec, 6};
    xp_array *as = xpt_array(p, dt, 2, ss, sos);
    XPT_OK(xp__sosfilt(as, x, zi, y, zf));

    int64_t n = xp_array_dim(x, -1), rows = xp_array_size(x) / (n ? n : 1);
    double *xv = xpt_values(x), *yv = xpt_values(y);
    double *want = calloc((size_t)nvals(dt, rows * n) + 1, sizeof *want);
    double *zw = calloc((size_t)nvals(dt, rows * 2 * nsec) + 1, sizeof *zw);
    ck_assert(want && zw);
    if (zi) {
        double *ziv = xpt_values(zi);
        memcpy(zw, ziv, (size_t)nvals(dt, rows * 2 * nsec) * sizeof *zw);
        free(ziv);
    }
    g_single = is_single(dt);
    for (int64_t r = 0; r < rows; r++)
        ref_sosfilt_row(cplx, nsec, sos, n, xv + nvals(dt, r * n),
                        want + nvals(dt, r * n), zw + nvals(dt, r * 2 * nsec));
    check_close(what, dt, yv, want, rows * n, tol);
    if (zf) {
        double *zfv = xpt_values(zf);
        check_close(what, dt, zfv, zw, rows * 2 * nsec, tol);
        free(zfv);
    }
    free(xv);
    free(yv);
    free(want);
    free(zw);
    xp_array_free(as);
}

/* Fresh arrays of x's batch shape + tail for a state. */
static xp_array *state(const xp_provider *p, xp_dtype dt, int ndim,
                       const int64_t *xshape, int ntail, const int64_t *tail,
                       unsigned seed)
{
    int64_t shape[XP_MAX_NDIM];
    for (int d = 0; d < ndim - 1; d++)
        shape[d] = xshape[d];
    for (int i = 0; i < ntail; i++)
        shape[ndim - 1 + i] = tail[i];
    int nd = ndim - 1 + ntail;
    if (!seed)
        return empty(p, dt, nd, shape);
    int64_t n = xp__shape_size(nd, shape);
    double *v = rnd(dt, n, seed);
    xp_array *a = xpt_array(p, dt, nd, shape, v);
    free(v);
    return a;
}

/* One lfilter case on fresh C-ordered arrays. */
static void lfilter_case(const xp_provider *p, xp_dtype dt, int nb, int na,
                         int ndim, const int64_t *shape, int use_zi, int use_zf,
                         unsigned seed, double tol)
{
    double b[32], a[32];
    int64_t K = (na > nb ? na : nb) - 1, n = xp__shape_size(ndim, shape);
    char what[160];
    rand_ba(dt, nb, na, seed, b, a);
    double *xv = rnd(dt, n, seed + 1);
    xp_array *x = xpt_array(p, dt, ndim, shape, xv), *y = empty(p, dt, ndim, shape);
    xp_array *zi = use_zi ? state(p, dt, ndim, shape, 1, &K, seed + 2) : NULL;
    xp_array *zf = use_zf ? state(p, dt, ndim, shape, 1, &K, 0) : NULL;
    snprintf(what, sizeof what, "lfilter nb=%d na=%d ndim=%d last=%lld zi=%d zf=%d on %s",
             nb, na, ndim, (long long)shape[ndim - 1], use_zi, use_zf,
             xp_provider_name(p));
    check_lfilter(dt, nb, b, na, a, x, zi, y, zf, tol, what);
    free(xv);
    xp_array_free(x);
    xp_array_free(y);
    xp_array_free(zi);
    xp_array_free(zf);
}

static void sosfilt_case(const xp_provider *p, xp_dtype dt, int nsec, int ndim,
                         const int64_t *shape, int use_zi, int use_zf,
                         unsigned seed, double tol)
{
    double sos[2 * 6 * 16];
    int64_t n = xp__shape_size(ndim, shape), tail[2] = {nsec, 2};
    char what[160];
    rand_sos(dt, nsec, seed, sos);
    double *xv = rnd(dt, n, seed + 1);
    xp_array *x = xpt_array(p, dt, ndim, shape, xv), *y = empty(p, dt, ndim, shape);
    xp_array *zi = use_zi ? state(p, dt, ndim, shape, 2, tail, seed + 2) : NULL;
    xp_array *zf = use_zf ? state(p, dt, ndim, shape, 2, tail, 0) : NULL;
    snprintf(what, sizeof what, "sosfilt nsec=%d ndim=%d last=%lld zi=%d zf=%d on %s",
             nsec, ndim, (long long)shape[ndim - 1], use_zi, use_zf,
             xp_provider_name(p));
    check_sosfilt(dt, nsec, sos, x, zi, y, zf, tol, what);
    free(xv);
    xp_array_free(x);
    xp_array_free(y);
    xp_array_free(zi);
    xp_array_free(zf);
}

/* ---- tests ---------------------------------------------------------------- */

/* Every pair of orders 0..8 on short rows: the one-row and block paths. */
START_TEST(test_lfilter_orders)
{
    const xp_provider *p = provider(_i);
    int64_t s2[2] = {3, 37}, s3[3] = {2, 5, 23}, s9[2] = {17, 19};
    for (size_t d = 0; d < 4; d++)
        for (int nb = 1; nb <= 9; nb++)
            for (int na = 1; na <= 9; na++) {
                unsigned seed = (unsigned)(100 * d + 10 * nb + na);
                int zi = (nb + na) % 2, zf = (nb + na) % 3 != 0;
                lfilter_case(p, dtypes[d], nb, na, 2, s2, zi, zf, seed, tol_of(dtypes[d]));
                if ((nb + na) % 3 == 0)
                    lfilter_case(p, dtypes[d], nb, na, 3, s3, !zi, 1, seed + 3,
                                 tol_of(dtypes[d]));
                if ((nb * na) % 4 == 1)
                    lfilter_case(p, dtypes[d], nb, na, 2, s9, 1, 1, seed + 5,
                                 tol_of(dtypes[d]));
            }
}
END_TEST

/* Long rows (segments) and many rows (blocks, threads), orders past the
 * unrolled ones. */
START_TEST(test_lfilter_long)
{
    const xp_provider *p = provider(_i);
    int64_t shapes[][2] = {{1, 70001}, {3, 40000}, {12, 3001}, {40, 2500}, {1, 4000}};
    int orders[][2] = {{5, 5}, {3, 9}, {12, 2}, {1, 13}, {9, 1}};
    for (size_t d = 0; d < 4; d++)
        for (int s = 0; s < 5; s++)
            for (int o = 0; o < 5; o++) {
                if ((s + o + (int)d) % 2)
                    continue;
                lfilter_case(p, dtypes[d], orders[o][0], orders[o][1], 2, shapes[s],
                             o % 2, 1, (unsigned)(7 * s + o + 50 * d), tol_of(dtypes[d]));
            }
}
END_TEST

START_TEST(test_sosfilt_sections)
{
    const xp_provider *p = provider(_i);
    int64_t s2[2] = {3, 45}, s3[3] = {2, 3, 31}, s9[2] = {19, 50};
    int64_t longs[][2] = {{1, 60001}, {2, 40000}, {33, 2000}};
    for (size_t d = 0; d < 4; d++) {
        double tol = tol_of(dtypes[d]);
        for (int nsec = 1; nsec <= 10; nsec++) {
            unsigned seed = (unsigned)(1000 + 100 * d + nsec);
            sosfilt_case(p, dtypes[d], nsec, 2, s2, nsec % 2, 1, seed, tol);
            if (nsec % 3 == 0)
                sosfilt_case(p, dtypes[d], nsec, 3, s3, 1, nsec % 2, seed + 1, tol);
            if (nsec % 4 == 1)
                sosfilt_case(p, dtypes[d], nsec, 2, s9, 1, 1, seed + 2, tol);
        }
        for (int s = 0; s < 3; s++)
            sosfilt_case(p, dtypes[d], s == 1 ? 9 : 4, 2, longs[s], 1, 1,
                         (unsigned)(77 + s + 10 * d), tol);
    }
}
END_TEST

/* sosfilt equals lfilter applied section after section (zf section-wise). */
START_TEST(test_sosfilt_cascade)
{
    const xp_provider *p = provider(_i);
    for (size_t d = 0; d < 4; d++) {
        xp_dtype dt = dtypes[d];
        int cplx = xp_dtype_is_complex(dt), nsec = 3;
        int64_t shape[2] = {4, 300}, n = 1200, s3 = 3, ss[2] = {nsec, 6};
        int64_t zs[3] = {4, nsec, 2}, zs1[2] = {4, 2};
        double sos[2 * 18], *xv = rnd(dt, n, 5 + (unsigned)d);
        rand_sos(dt, nsec, 9 + (unsigned)d, sos);
        xp_array *as = xpt_array(p, dt, 2, ss, sos), *x = xpt_array(p, dt, 2, shape, xv);
        xp_array *y = empty(p, dt, 2, shape), *zf = empty(p, dt, 3, zs);
        XPT_OK(xp__sosfilt(as, x, NULL, y, zf));
        double *ys = xpt_values(y), *zfs = xpt_values(zf);

        xp_array *cur = xpt_array(p, dt, 2, shape, xv), *z1 = empty(p, dt, 2, zs1);
        for (int s = 0; s < nsec; s++) {
            double bv[6], av[6];
            int w = cplx ? 2 : 1;
            memcpy(bv, sos + w * 6 * s, (size_t)(3 * w) * sizeof(double));
            memcpy(av, sos + w * (6 * s + 3), (size_t)(3 * w) * sizeof(double));
            xp_array *ab = xpt_array(p, dt, 1, &s3, bv), *aa = xpt_array(p, dt, 1, &s3, av);
            xp_array *nx = empty(p, dt, 2, shape);
            XPT_OK(xp__lfilter(ab, aa, cur, NULL, nx, z1));
            double *zv = xpt_values(z1);
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 2 * w; c++)
                    ck_assert_msg(fabs(zv[(r * 2) * w + c] - zfs[(r * nsec * 2 + 2 * s) * w + c])
                                      <= 10 * tol_of(dt) * (1 + fabs(zv[(r * 2) * w + c])),
                                  "%s: sosfilt zf section %d differs from lfilter zf",
                                  xp_dtype_name(dt), s);
            free(zv);
            xp_array_free(ab);
            xp_array_free(aa);
            xp_array_free(cur);
            cur = nx;
        }
        double *yl = xpt_values(cur);
        check_close("sosfilt vs cascaded lfilter", dt, ys, yl, n, 10 * tol_of(dt));
        free(yl);
        free(ys);
        free(zfs);
        free(xv);
        xp_array_free(as);
        xp_array_free(x);
        xp_array_free(y);
        xp_array_free(zf);
        xp_array_free(z1);
        xp_array_free(cur);
    }
}
END_TEST

/* Reversed rows (how filtfilt runs backwards), reversed batch, channels
 * contiguous (filtering along axis 0), and a zero-stride zi. */
START_TEST(test_views)
{
    const xp_provider *p = provider(_i);
    for (size_t d = 0; d < 4; d++) {
        xp_dtype dt = dtypes[d];
        double tol = tol_of(dt), b[32], a[32], sos[2 * 24];
        int64_t lens[] = {301, 50000};
        for (int li = 0; li < 2; li++) {
            int64_t shape[2] = {li ? 2 : 5, lens[li]}, n = shape[0] * shape[1];
            int64_t K = 4, ztail[2] = {2, 2};
            double *xv = rnd(dt, n, 3 + (unsigned)d);
            rand_ba(dt, 5, 4, 11 + (unsigned)d, b, a);
            rand_sos(dt, 2, 13 + (unsigned)d, sos);
            xp_array *x = xpt_array(p, dt, 2, shape, xv), *y = empty(p, dt, 2, shape);
            xp_array *xr, *yr, *xrr, *yrr;
            XPT_OK(xp__view_flip(x, 1, &xr));
            XPT_OK(xp__view_flip(y, 1, &yr));
            xp_array *zi = state(p, dt, 2, shape, 1, &K, 21), *zf = state(p, dt, 2, shape, 1, &K, 0);
            check_lfilter(dt, 5, b, 4, a, xr, zi, yr, zf, tol, "lfilter on x[:, ::-1]");
            XPT_OK(xp__view_flip(xr, 0, &xrr));
            XPT_OK(xp__view_flip(yr, 0, &yrr));
            check_lfilter(dt, 5, b, 4, a, xrr, zi, yrr, zf, tol, "lfilter on x[::-1, ::-1]");
            xp_array *szi = state(p, dt, 2, shape, 2, ztail, 22);
            xp_array *szf = state(p, dt, 2, shape, 2, ztail, 0);
            check_sosfilt(dt, 2, sos, xrr, szi, yrr, szf, tol, "sosfilt on x[::-1, ::-1]");
            free(xv);
            xp_array_free(xrr);
            xp_array_free(yrr);
            xp_array_free(xr);
            xp_array_free(yr);
            xp_array_free(x);
            xp_array_free(y);
            xp_array_free(zi);
            xp_array_free(zf);
            xp_array_free(szi);
            xp_array_free(szf);
        }

        /* x[n, C] filtered along axis 0: rows of the view are interleaved */
        for (int ci = 0; ci < 2; ci++) {
            int64_t C = ci ? 19 : 16, shape[2] = {700, C}, n = 700 * C;
            double *xv = rnd(dt, n, 31 + (unsigned)d);
            rand_ba(dt, 7, 7, 33 + (unsigned)d, b, a);
            xp_array *x = xpt_array(p, dt, 2, shape, xv), *y = empty(p, dt, 2, shape);
            xp_array *xt, *yt;
            XPT_OK(xp__view_axis_last(x, 0, &xt));
            XPT_OK(xp__view_axis_last(y, 0, &yt));
            check_lfilter(dt, 7, b, 7, a, xt, NULL, yt, NULL, tol, "lfilter along axis 0");
            rand_sos(dt, 3, 35 + (unsigned)d, sos);
            check_sosfilt(dt, 3, sos, xt, NULL, yt, NULL, tol, "sosfilt along axis 0");
            free(xv);
            xp_array_free(xt);
            xp_array_free(yt);
            xp_array_free(x);
            xp_array_free(y);
        }

        /* one zi broadcast to every row */
        {
            int64_t shape[2] = {9, 64}, K = 3, zshape[2] = {9, 3};
            double *xv = rnd(dt, 9 * 64, 41), *zv = rnd(dt, 3, 42);
            rand_ba(dt, 4, 2, 43, b, a);
            xp_array *x = xpt_array(p, dt, 2, shape, xv), *y = empty(p, dt, 2, shape);
            xp_array *z1 = xpt_array(p, dt, 1, &K, zv), *zb;
            XPT_OK(xp__view_broadcast(z1, 2, zshape, &zb));
            check_lfilter(dt, 4, b, 2, a, x, zb, y, NULL, tol, "lfilter, broadcast zi");
            free(xv);
            free(zv);
            xp_array_free(zb);
            xp_array_free(z1);
            xp_array_free(x);
            xp_array_free(y);
        }
    }
}
END_TEST

/* Filtering in two chunks, zf of the first as zi of the second, equals one
 * pass. */
START_TEST(test_continuation)
{
    const xp_provider *p = provider(_i);
    int64_t lens[] = {500, 80000};
    for (size_t d = 0; d < 4; d++)
        for (int li = 0; li < 2; li++)
            for (int sos_ = 0; sos_ < 2; sos_++) {
                xp_dtype dt = dtypes[d];
                int64_t n = lens[li], shape[2] = {3, n}, cut = n / 3 + 1;
                int64_t K = 6, tail[2] = {3, 2};
                int64_t s7 = 7, ss[2] = {3, 6};
                double b[32], a[32], sos[36];
                double *xv = rnd(dt, 3 * n, 51 + (unsigned)d);
                rand_ba(dt, 7, 5, 52, b, a);
                rand_sos(dt, 3, 53, sos);
                int64_t s5 = 5;
                xp_array *ab = xpt_array(p, dt, 1, &s7, b), *aa = xpt_array(p, dt, 1, &s5, a);
                xp_array *as = xpt_array(p, dt, 2, ss, sos);
                xp_array *x = xpt_array(p, dt, 2, shape, xv);
                xp_array *y1 = empty(p, dt, 2, shape), *y2 = empty(p, dt, 2, shape);
                int nt = sos_ ? 2 : 1;
                const int64_t *tl = sos_ ? tail : &K;
                xp_array *zi = state(p, dt, 2, shape, nt, tl, 54);
                xp_array *zf1 = state(p, dt, 2, shape, nt, tl, 0);
                xp_array *zm = state(p, dt, 2, shape, nt, tl, 0);
                xp_array *zf2 = state(p, dt, 2, shape, nt, tl, 0);
                xp_array *xa, *xb, *ya, *yb;
                XPT_OK(xp__view_slice(x, 1, 0, cut, 1, &xa));
                XPT_OK(xp__view_slice(x, 1, cut, n - cut, 1, &xb));
                XPT_OK(xp__view_slice(y2, 1, 0, cut, 1, &ya));
                XPT_OK(xp__view_slice(y2, 1, cut, n - cut, 1, &yb));
                if (sos_) {
                    XPT_OK(xp__sosfilt(as, x, zi, y1, zf1));
                    XPT_OK(xp__sosfilt(as, xa, zi, ya, zm));
                    XPT_OK(xp__sosfilt(as, xb, zm, yb, zf2));
                } else {
                    XPT_OK(xp__lfilter(ab, aa, x, zi, y1, zf1));
                    XPT_OK(xp__lfilter(ab, aa, xa, zi, ya, zm));
                    XPT_OK(xp__lfilter(ab, aa, xb, zm, yb, zf2));
                }
                double *v1 = xpt_values(y1), *v2 = xpt_values(y2);
                double *f1 = xpt_values(zf1), *f2 = xpt_values(zf2);
                check_close(sos_ ? "sosfilt in two chunks" : "lfilter in two chunks",
                            dt, v2, v1, 3 * n, tol_of(dt));
                check_close("zf after two chunks", dt, f2, f1,
                            xp_array_size(zf1), tol_of(dt));
                free(v1);
                free(v2);
                free(f1);
                free(f2);
                free(xv);
                xp_array *all[] = {ab, aa, as, x, y1, y2, zi, zf1, zm, zf2, xa, xb, ya, yb};
                for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                    xp_array_free(all[i]);
            }
}
END_TEST

/* Complex data under real coefficients (the host runs them as real data):
 * short, long and many rows, with zi and zf. */
START_TEST(test_complex_real_coefs)
{
    const xp_provider *p = provider(_i);
    int64_t shapes[][3] = {{1, 1, 30001}, {1, 3, 500}, {2, 10, 300}, {1, 1, 70}};
    for (int c = 0; c < 2; c++) {
        xp_dtype dt = c ? XP_COMPLEX64 : XP_COMPLEX128, rt = xp_dtype_real(dt);
        for (int s = 0; s < 4; s++) {
            const int64_t *shape = shapes[s];
            int64_t n = shape[0] * shape[1] * shape[2], K = 5, tail[2] = {3, 2};
            double br[8], ar[8], sr[18], b[16] = {0}, a[16] = {0}, sos[36] = {0};
            rand_ba(rt, 4, 6, 101 + (unsigned)s, br, ar);
            rand_sos(rt, 3, 102 + (unsigned)s, sr);
            for (int i = 0; i < 6; i++) {
                b[2 * i] = i < 4 ? br[i] : 0;
                a[2 * i] = ar[i];
            }
            for (int i = 0; i < 18; i++)
                sos[2 * i] = sr[i];
            double *xv = rnd(dt, n, 103);
            xp_array *x = xpt_array(p, dt, 3, shape, xv), *y = empty(p, dt, 3, shape);
            xp_array *zi = state(p, dt, 3, shape, 1, &K, 104), *zf = state(p, dt, 3, shape, 1, &K, 0);
            check_lfilter(dt, 4, b, 6, a, x, zi, y, zf, tol_of(dt), "lfilter, complex x, real b and a");
            xp_array *szi = state(p, dt, 3, shape, 2, tail, 105), *szf = state(p, dt, 3, shape, 2, tail, 0);
            check_sosfilt(dt, 3, sos, x, szi, y, szf, tol_of(dt), "sosfilt, complex x, real sos");
            xp_array *xr, *yr;
            XPT_OK(xp__view_flip(x, 2, &xr));
            XPT_OK(xp__view_flip(y, 2, &yr));
            check_lfilter(dt, 4, b, 6, a, xr, NULL, yr, zf, tol_of(dt), "lfilter, complex x[..., ::-1]");
            free(xv);
            xp_array *all[] = {x, y, zi, zf, szi, szf, xr, yr};
            for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                xp_array_free(all[i]);
        }
    }
}
END_TEST

/* Empty rows and empty batches: zf = zi, nothing else touched. */
START_TEST(test_empty)
{
    const xp_provider *p = provider(_i);
    int64_t s0[2] = {3, 0}, sb[2] = {0, 10}, K = 2;
    double b[3] = {1, 2, 3}, a[3] = {2, 0.5, 0.1};
    xp_array *x = empty(p, XP_FLOAT64, 2, s0), *y = empty(p, XP_FLOAT64, 2, s0);
    xp_array *zi = state(p, XP_FLOAT64, 2, s0, 1, &K, 61), *zf = state(p, XP_FLOAT64, 2, s0, 1, &K, 0);
    check_lfilter(XP_FLOAT64, 3, b, 3, a, x, zi, y, zf, 0, "lfilter on [3, 0]");
    double *v1 = xpt_values(zi), *v2 = xpt_values(zf);
    check_close("zf = zi on empty rows", XP_FLOAT64, v2, v1, 6, 0);
    free(v1);
    free(v2);
    xp_array *xb = empty(p, XP_FLOAT64, 2, sb), *yb = empty(p, XP_FLOAT64, 2, sb);
    int64_t s3 = 3;
    xp_array *ab = xpt_array(p, XP_FLOAT64, 1, &s3, b), *aa = xpt_array(p, XP_FLOAT64, 1, &s3, a);
    XPT_OK(xp__lfilter(ab, aa, xb, NULL, yb, NULL));
    xp_array *all[] = {x, y, zi, zf, xb, yb, ab, aa};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}
END_TEST

/* Special filters on a long row: an integrator (A^L = 1), a slightly
 * unstable pole (the serial fallback), and an FIR after a NaN (the NaN
 * must not outlive the filter's memory). */
START_TEST(test_special)
{
    const xp_provider *p = provider(_i);
    int64_t shape[2] = {1, 30000}, n = 30000;
    double *xv = rnd(XP_FLOAT64, n, 71);
    xp_array *x = xpt_array(p, XP_FLOAT64, 2, shape, xv), *y = empty(p, XP_FLOAT64, 2, shape);
    double b1[1] = {1}, a1[2] = {1, -1};
    check_lfilter(XP_FLOAT64, 1, b1, 2, a1, x, NULL, y, NULL, tol_of(XP_FLOAT64), "integrator");
    double a2[2] = {1, -1.01};
    check_lfilter(XP_FLOAT64, 1, b1, 2, a2, x, NULL, y, NULL, tol_of(XP_FLOAT64), "unstable pole");
    xv[5] = NAN;
    xp_array_free(x);
    x = xpt_array(p, XP_FLOAT64, 2, shape, xv);
    double b3[4] = {0.5, 0.25, 0.125, 1}, a3[1] = {2};
    check_lfilter(XP_FLOAT64, 4, b3, 1, a3, x, NULL, y, NULL, tol_of(XP_FLOAT64), "FIR after NaN");
    double *yv = xpt_values(y);
    ck_assert(isnan(yv[5]) && isnan(yv[8]) && !isnan(yv[9]) && !isnan(yv[n - 1]));
    free(yv);
    free(xv);
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* lfilter with b, a (n each) over one float64 row of len samples, with zi
 * and zf (seeds from seed), against the plain recurrence. */
static void long_row_check(const xp_provider *p, const double *b, const double *a, int n,
                           int64_t len, unsigned seed, const char *what)
{
    int64_t shape[2] = {1, len}, K = n - 1;
    double *xv = rnd(XP_FLOAT64, len, seed);
    xp_array *x = xpt_array(p, XP_FLOAT64, 2, shape, xv), *y = empty(p, XP_FLOAT64, 2, shape);
    xp_array *zi = state(p, XP_FLOAT64, 2, shape, 1, &K, seed + 1);
    xp_array *zf = state(p, XP_FLOAT64, 2, shape, 1, &K, 0);
    check_lfilter(XP_FLOAT64, n, b, n, a, x, zi, y, zf, tol_of(XP_FLOAT64), what);
    free(xv);
    xp_array_free(x);
    xp_array_free(y);
    xp_array_free(zi);
    xp_array_free(zf);
}

/* A (b, a) band-pass on a row long enough for segments that outlast its
 * memory: butter(4, [35, 350], 'band', fs=4096).  Its transition powers
 * pass through entries near 1e6 before they decay, so a segment started
 * from any other rounding of its state than the serial one is 3e-8 off;
 * the row must run serially (a state from a unit one passes FILT_PHI_MAX
 * within steps), and match the plain recurrence.  With zi and zf. */
START_TEST(test_bandpass_segments)
{
    static const double b[9] = {0.0019466490741337807, 0, -0.0077865962965351226, 0,
                                0.011679894444802684, 0, -0.0077865962965351226, 0,
                                0.0019466490741337807};
    static const double a[9] = {1, -6.6439127819198971, 19.431373532832644,
                                -32.706958898350784, 34.678614823187402,
                                -23.727426957229593, 10.232238618244612,
                                -2.5426941728596599, 0.27876622675551593};
    long_row_check(provider(_i), b, a, 9, 1300000, 93, "band-pass, long row");
}
END_TEST

/* ellip(10, 1, 60, 0.3) in (b, a) form on a long row: its transition
 * powers pass 4e4 on the way and have decayed by a segment's length, so
 * A^L squared out of A's powers looked tame but kept the peak's rounding
 * (5e-9 off SciPy's bits).  A state from a unit one passes FILT_PHI_MAX
 * within steps: the row runs serially and matches the plain recurrence. */
START_TEST(test_peak_segments)
{
    static const double b[11] = {0.005008070567109043, -0.012841866115636176,
                                 0.028941163160068395, -0.03701081552897029,
                                 0.047726812380672, -0.04470338932798319,
                                 0.04772681238067203, -0.03701081552897031,
                                 0.028941163160068402, -0.01284186611563618,
                                 0.005008070567109043};
    static const double a[11] = {1.0, -6.452272145979255, 20.887609002627357,
                                 -43.48814124603954, 63.864183802170146,
                                 -68.72066839196765, 54.73568346127973,
                                 -31.8481878837277, 12.979469069268346,
                                 -3.3605253604251204, 0.424104469409316};
    long_row_check(provider(_i), b, a, 11, 400000, 95, "ellip(10) (b, a), long row");
}
END_TEST

/* ellip(12, 1, 60, 0.002) as sections on a long row: its poles sit near 1
 * and its transition powers swing far before they decay, so A^L by
 * squaring put segments 4e-9 off the plain recurrence; stepped, 2e-11
 * (the recurrence's own rounding of such a filter is of that order). */
START_TEST(test_slow_sections_segments)
{
    static const double sos[6 * 6] = {
        0.0009973089833040238, -0.0019940653056197744, 0.000997308983304024, 1.0,
        -1.9970182495340194, 0.9970236933143389,
        1.0, -1.999913157050314, 1.0000000000000002, 1.0, -1.998287943679795,
        0.9983082610328229,
        1.0, -1.9999484489624175, 0.9999999999999999, 1.0, -1.9992752403724692,
        0.9993071190762766,
        1.0, -1.9999565334823446, 0.9999999999999997, 1.0, -1.9997158581270762,
        0.9997528825422464,
        1.0, -1.999958902554831, 1.0, 1.0, -1.999879612466128, 0.9999185061049474,
        1.0, -1.9999595867043207, 1.0000000000000004, 1.0, -1.9999416025652152,
        0.9999810746050577};
    const xp_provider *p = provider(_i);
    int64_t shape[2] = {1, 1 << 20};
    double *xv = rnd(XP_FLOAT64, shape[1], 97);
    xp_array *x = xpt_array(p, XP_FLOAT64, 2, shape, xv), *y = empty(p, XP_FLOAT64, 2, shape);
    check_sosfilt(XP_FLOAT64, 6, sos, x, NULL, y, NULL, 1e-10, "ellip(12) sections, long row");
    free(xv);
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* The host kernels allow y to be x, and give the same bits whatever the
 * thread count. */
START_TEST(test_host_inplace_threads)
{
    const xp_provider *p = xp_provider_host();
    g_host_kernels = 1;
    int64_t shapes[][2] = {{3, 2000}, {1, 90000}, {20, 4000}};
    for (size_t d = 0; d < 4; d++)
        for (int s = 0; s < 3; s++) {
            xp_dtype dt = dtypes[d];
            int64_t n = shapes[s][0] * shapes[s][1], s6 = 6, s4 = 4;
            double b[32], a[32];
            rand_ba(dt, 6, 4, 81, b, a);
            double *xv = rnd(dt, n, 82);
            xp_array *x = xpt_array(p, dt, 2, shapes[s], xv);
            xp_array *y = empty(p, dt, 2, shapes[s]);
            xp_array *ab = xpt_array(p, dt, 1, &s6, b), *aa = xpt_array(p, dt, 1, &s4, a);
            XPT_OK(xp_provider_set_threads(p, 1));
            XPT_OK(xp__lfilter(ab, aa, x, NULL, y, NULL));
            XPT_OK(xp_provider_set_threads(p, 3));
            XPT_OK(xp__lfilter(ab, aa, x, NULL, x, NULL));
            XPT_OK(xp_provider_set_threads(p, 0));
            double *v1 = xpt_values(y), *v2 = xpt_values(x);
            ck_assert_msg(memcmp(v1, v2, (size_t)nvals(dt, n) * sizeof(double)) == 0,
                          "%s [%lld, %lld]: in place with 3 threads differs from 1 thread",
                          xp_dtype_name(dt), (long long)shapes[s][0], (long long)shapes[s][1]);
            free(v1);
            free(v2);
            free(xv);
            xp_array_free(x);
            xp_array_free(y);
            xp_array_free(ab);
            xp_array_free(aa);
        }
}
END_TEST

static void expect(int rc, int want, const char *op, const char *what)
{
    ck_assert_msg(rc == want, "%s: got status %d (%s), want %d", what, rc,
                  xp_errmsg(), want);
    ck_assert_msg(strstr(xp_errmsg(), op) != NULL, "%s: message '%s' does not name %s",
                  what, xp_errmsg(), op);
}

START_TEST(test_errors)
{
    const xp_provider *p = provider(_i);
    double v[64] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    int64_t s3 = 3, s2 = 2, s0 = 0, x2[2] = {2, 10}, z2[2] = {2, 2}, zbad[2] = {2, 3};
    int64_t m22[2] = {2, 2}, sosok[2] = {2, 6}, sosbad[2] = {2, 5}, zs[3] = {2, 2, 2};
    xp_array *b = xpt_array(p, XP_FLOAT64, 1, &s3, v), *a = xpt_array(p, XP_FLOAT64, 1, &s3, v);
    xp_array *bf = xpt_array(p, XP_FLOAT32, 1, &s3, v), *b0 = empty(p, XP_FLOAT64, 1, &s0);
    xp_array *b22 = xpt_array(p, XP_FLOAT64, 2, m22, v);
    xp_array *x = xpt_array(p, XP_FLOAT64, 2, x2, v + 0), *y = empty(p, XP_FLOAT64, 2, x2);
    xp_array *yb = empty(p, XP_FLOAT64, 2, zbad), *zi = xpt_array(p, XP_FLOAT64, 2, z2, v);
    xp_array *zib = xpt_array(p, XP_FLOAT64, 2, zbad, v);
    double az[3] = {0, 1, 2};
    xp_array *a0 = xpt_array(p, XP_FLOAT64, 1, &s3, az);
    xp_array *a2 = xpt_array(p, XP_FLOAT64, 1, &s2, v);

    expect(xp__lfilter(bf, a, x, NULL, y, NULL), XP_EDTYPE, "lfilter", "float32 b");
    expect(xp__lfilter(b22, a, x, NULL, y, NULL), XP_ESHAPE, "lfilter", "2-d b");
    expect(xp__lfilter(b0, a, x, NULL, y, NULL), XP_ESHAPE, "lfilter", "empty b");
    expect(xp__lfilter(b, b0, x, NULL, y, NULL), XP_ESHAPE, "lfilter", "empty a");
    expect(xp__lfilter(b, a, x, NULL, yb, NULL), XP_ESHAPE, "lfilter", "y shape");
    expect(xp__lfilter(b, a, x, zib, y, NULL), XP_ESHAPE, "lfilter", "zi shape");
    expect(xp__lfilter(b, a, x, NULL, y, zib), XP_ESHAPE, "lfilter", "zf shape");
    expect(xp__lfilter(b, a2, x, zib, y, NULL), XP_ESHAPE, "lfilter", "zi for K = 2");
    expect(xp__lfilter(b, a0, x, zi, y, NULL), XP_EINVAL, "lfilter", "a[0] = 0");

    double sv[12] = {1, 2, 3, 1, 0.1, 0.2, 1, 2, 3, 0, 0.1, 0.2};
    xp_array *sos = xpt_array(p, XP_FLOAT64, 2, sosok, sv);
    xp_array *sosb = xpt_array(p, XP_FLOAT64, 2, sosbad, sv);
    xp_array *zsos = empty(p, XP_FLOAT64, 3, zs);
    expect(xp__sosfilt(sosb, x, NULL, y, NULL), XP_ESHAPE, "sosfilt", "sos [2, 5]");
    expect(xp__sosfilt(sos, x, zi, y, NULL), XP_ESHAPE, "sosfilt", "zi [2, 2]");
    expect(xp__sosfilt(sos, x, NULL, yb, NULL), XP_ESHAPE, "sosfilt", "y shape");
    expect(xp__sosfilt(sos, x, zsos, y, NULL), XP_EINVAL, "sosfilt", "a0 of section 1");
    ck_assert_msg(strstr(xp_errmsg(), "1"), "message '%s' names no section", xp_errmsg());

    /* zf over zi: a provider may read the one while writing the other */
    expect(xp__lfilter(b, a, x, zi, y, zi), XP_EINVAL, "lfilter", "zf is zi");
    ck_assert_msg(strstr(xp_errmsg(), "zf shares memory with zi"), "%s", xp_errmsg());
    sv[3] = 1;
    sv[9] = 1;
    xp_array *sos1 = xpt_array(p, XP_FLOAT64, 2, sosok, sv);
    expect(xp__sosfilt(sos1, x, zsos, y, zsos), XP_EINVAL, "sosfilt", "zf is zi");
    ck_assert_msg(strstr(xp_errmsg(), "zf shares memory with zi"), "%s", xp_errmsg());

    xp_array *all[] = {b, a, bf, b0, b22, x, y, yb, zi, zib, a0, a2, sos, sosb, zsos, sos1};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}
END_TEST

/* Host-kernel messages, checked directly (the strict provider words its
 * own). */
START_TEST(test_host_messages)
{
    double v[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    float f[4] = {1, 2, 3, 4};
    int64_t s3 = 3, st1 = 1, xs[2] = {2, 4}, xst[2] = {4, 1}, ys[2] = {2, 5};
    int64_t ss[2] = {2, 6}, sst[2] = {6, 1};
    DLTensor b = {v, {kDLCPU, 0}, 1, {kDLFloat, 64, 1}, &s3, &st1, 0};
    DLTensor bf = {f, {kDLCPU, 0}, 1, {kDLFloat, 32, 1}, &s3, &st1, 0};
    DLTensor x = {v, {kDLCPU, 0}, 2, {kDLFloat, 64, 1}, xs, xst, 0};
    DLTensor y = {v + 16, {kDLCPU, 0}, 2, {kDLFloat, 64, 1}, ys, xst, 0};
    ck_assert_int_eq(xp__host_lfilter(NULL, &bf, &b, &x, NULL, &x, NULL), XP_EDTYPE);
    ck_assert_str_eq(xp_errmsg(), "lfilter: b dtype (float32) differs from x dtype "
                     "(float64): all arrays must share one dtype");
    ck_assert_int_eq(xp__host_lfilter(NULL, &b, &b, &x, NULL, &y, NULL), XP_ESHAPE);
    ck_assert_str_eq(xp_errmsg(), "lfilter: y shape [2, 5] must equal x shape [2, 4]");
    ck_assert_int_eq(xp__host_lfilter(NULL, &b, &b, &x, &x, &x, NULL), XP_ESHAPE);
    ck_assert_str_eq(xp_errmsg(), "lfilter: zi shape [2, 4] must be [2, 2] (the batch "
                     "shape of x plus max(len(a), len(b)) - 1 = 2)");
    double sv[12] = {1, 2, 3, 1, 0, 0, 1, 2, 3, 0, 0, 0};
    DLTensor sos = {sv, {kDLCPU, 0}, 2, {kDLFloat, 64, 1}, ss, sst, 0};
    ck_assert_int_eq(xp__host_sosfilt(NULL, &sos, &x, NULL, &x, NULL), XP_EINVAL);
    ck_assert_str_eq(xp_errmsg(), "sosfilt: section 1 has a0 = 0 (sos[1, 3] must be "
                     "nonzero)");
    v[0] = 0;
    ck_assert_int_eq(xp__host_lfilter(NULL, &b, &b, &x, NULL, &x, NULL), XP_EINVAL);
    ck_assert_str_eq(xp_errmsg(), "lfilter: a[0] must be nonzero");
}
END_TEST

/* Every allocation failing in turn: XP_ENOMEM or success, never a crash,
 * and the result right once it succeeds. */
START_TEST(test_faults)
{
    const xp_provider *p = provider(_i);
    int64_t shapes[][2] = {{4, 300}, {1, 40000}, {16, 500}};
    for (int s = 0; s < 3; s++)
        for (int sos_ = 0; sos_ < 2; sos_++) {
            xp_dtype dt = s == 2 ? XP_FLOAT32 : XP_FLOAT64;
            int64_t n = shapes[s][0] * shapes[s][1], K = 11, tail[2] = {3, 2};
            int64_t sb = 12, sa = 5, ss[2] = {3, 6};
            double b[24], a[24], sos[36];
            rand_ba(dt, 12, 5, 91, b, a);
            rand_sos(dt, 3, 92, sos);
            double *xv = rnd(dt, n, 93);
            xp_array *ab = xpt_array(p, dt, 1, &sb, b), *aa = xpt_array(p, dt, 1, &sa, a);
            xp_array *as = xpt_array(p, dt, 2, ss, sos);
            xp_array *x = xpt_array(p, dt, 2, shapes[s], xv), *y = empty(p, dt, 2, shapes[s]);
            xp_array *zi = sos_ ? state(p, dt, 2, shapes[s], 2, tail, 94)
                                : state(p, dt, 2, shapes[s], 1, &K, 94);
            xp_array *zf = sos_ ? state(p, dt, 2, shapes[s], 2, tail, 0)
                                : state(p, dt, 2, shapes[s], 1, &K, 0);
            long k;
            for (k = 1; k < 1000; k++) {
                xp__fault_set(k);
                int rc = sos_ ? xp__sosfilt(as, x, zi, y, zf)
                              : xp__lfilter(ab, aa, x, zi, y, zf);
                long seen = xp__fault_seen();
                xp__fault_set(0);
                ck_assert_msg(rc == 0 || rc == XP_ENOMEM, "fault %ld: status %d (%s)",
                              k, rc, xp_errmsg());
                if (rc == 0 && seen < k)
                    break;
            }
            ck_assert_msg(k > 1, "no allocation was made to fail");
            if (sos_)
                check_sosfilt(dt, 3, sos, x, zi, y, zf, tol_of(dt), "sosfilt after faults");
            else
                check_lfilter(dt, 12, b, 5, a, x, zi, y, zf, tol_of(dt), "lfilter after faults");
            free(xv);
            xp_array *all[] = {ab, aa, as, x, y, zi, zf};
            for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                xp_array_free(all[i]);
        }
}
END_TEST

static Suite *filter_suite(void)
{
    Suite *s = suite_create("host_filter");
    TCase *tc = tcase_create("filter");
    int np = xpt_nproviders();
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_lfilter_orders, 0, np);
    tcase_add_loop_test(tc, test_lfilter_long, 0, np);
    tcase_add_loop_test(tc, test_sosfilt_sections, 0, np);
    tcase_add_loop_test(tc, test_sosfilt_cascade, 0, np);
    tcase_add_loop_test(tc, test_views, 0, np);
    tcase_add_loop_test(tc, test_continuation, 0, np);
    tcase_add_loop_test(tc, test_complex_real_coefs, 0, np);
    tcase_add_loop_test(tc, test_empty, 0, np);
    tcase_add_loop_test(tc, test_bandpass_segments, 0, np);
    tcase_add_loop_test(tc, test_peak_segments, 0, np);
    tcase_add_loop_test(tc, test_slow_sections_segments, 0, np);
    tcase_add_loop_test(tc, test_special, 0, np);
    tcase_add_test(tc, test_host_inplace_threads);
    tcase_add_loop_test(tc, test_errors, 0, np);
    tcase_add_test(tc, test_host_messages);
    tcase_add_loop_test(tc, test_faults, 0, np);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return xpt_run(filter_suite());
}
