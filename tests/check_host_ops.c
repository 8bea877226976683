/*
 * check_host_ops.c -- the elementwise and reduction ops (fill, unary with
 * casts, binary, affine, reduce) on every provider, every dtype, against
 * direct computations in double; strided, flipped, broadcast and empty
 * cases; error paths; and allocation failures in turn.
 */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"
#include "providers/host/host.h"

static const xp_dtype all_dtypes[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64,
                                      XP_COMPLEX128};

static int is_single(xp_dtype dt)
{
    return dt == XP_FLOAT32 || dt == XP_COMPLEX64;
}

static double tol_of(xp_dtype dt)
{
    return is_single(dt) ? 2e-6 : 1e-13;
}

/* Values per element: 2 for complex. */
static int vpe(xp_dtype dt)
{
    return xp_dtype_is_complex(dt) ? 2 : 1;
}

/* New random array of dt; *vals (if non-NULL) gets the values it holds. */
static xp_array *rnd(const xp_provider *p, xp_dtype dt, int nd, const int64_t *shape,
                     unsigned seed, double **vals)
{
    int64_t n = xp__shape_size(nd, shape) * vpe(dt);
    double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    ck_assert_ptr_nonnull(v);
    xpt_random(v, n, seed);
    xp_array *a = xpt_array(p, dt, nd, shape, v);
    free(v);
    if (vals)
        *vals = xpt_values(a);
    return a;
}

static xp_array *empty(const xp_provider *p, xp_dtype dt, int nd, const int64_t *shape)
{
    xp_array *a = NULL;
    XPT_OK(xp_array_empty(p, dt, nd, shape, &a));
    return a;
}

static double complex cval(const double *v, int cplx, int64_t i)
{
    return cplx ? CMPLX(v[2 * i], v[2 * i + 1]) : CMPLX(v[i], 0.0);
}

static void put(double *v, int cplx, int64_t i, double complex z)
{
    if (cplx) {
        v[2 * i] = creal(z);
        v[2 * i + 1] = cimag(z);
    } else {
        v[i] = creal(z);
    }
}

static void expect_close(const xp_array *a, const double *want, int64_t nvals,
                         double tol, const char *what)
{
    double *got = xpt_values(a);
    double err = xpt_rel_err(got, want, nvals);
    ck_assert_msg(err <= tol, "%s: rel err %g > %g", what, err, tol);
    free(got);
}

static int is_host(const xp_provider *p)
{
    return strcmp(xp_provider_name(p), "host") == 0;
}

/* ---- fill ----------------------------------------------------------- */

START_TEST(fill_all_dtypes)
{
    const xp_provider *p = xpt_provider(_i);
    for (int k = 0; k < 4; k++) {
        xp_dtype dt = all_dtypes[k];
        int c = vpe(dt);
        int64_t shape[2] = {3, 5};
        xp_array *a = empty(p, dt, 2, shape), *v = NULL;
        XPT_OK(xp__fill(a, 1.5, -2.25));
        double want[30];
        for (int i = 0; i < 15; i++)
            put(want, c == 2, i, CMPLX(1.5, -2.25));
        expect_close(a, want, 15 * c, 0, "fill");

        /* every other column of a, through a view */
        XPT_OK(xp__view_slice(a, 1, 0, 3, 2, &v));
        XPT_OK(xp__fill(v, -7, 3));
        for (int i = 0; i < 15; i++)
            if (i % 5 % 2 == 0)
                put(want, c == 2, i, CMPLX(-7.0, 3.0));
        expect_close(a, want, 15 * c, 0, "fill strided");
        xp_array_free(v);
        xp_array_free(a);
    }
}
END_TEST

/* ---- copy and casts ------------------------------------------------- */

START_TEST(copy_flips)
{
    const xp_provider *p = xpt_provider(_i);
    for (int k = 0; k < 4; k++) {
        xp_dtype dt = all_dtypes[k];
        int c = vpe(dt);
        int64_t shape[2] = {4, 6};
        double *xv, want[48];
        xp_array *x = rnd(p, dt, 2, shape, 11u + k, &xv), *f0, *f01, *y, *yf;
        XPT_OK(xp__view_flip(x, 0, &f0));
        XPT_OK(xp__view_flip(f0, 1, &f01));

        y = empty(p, dt, 2, shape);
        XPT_OK(xp__copy(f0, y));
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 6; j++)
                put(want, c == 2, i * 6 + j, cval(xv, c == 2, (3 - i) * 6 + j));
        expect_close(y, want, 24 * c, 0, "flip axis 0");

        XPT_OK(xp__copy(f01, y));
        for (int i = 0; i < 24; i++)
            put(want, c == 2, i, cval(xv, c == 2, 23 - i));
        expect_close(y, want, 24 * c, 0, "flip both");

        /* negative strides on the output side */
        XPT_OK(xp__view_flip(y, 1, &yf));
        XPT_OK(xp__copy(x, yf));
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 6; j++)
                put(want, c == 2, i * 6 + j, cval(xv, c == 2, i * 6 + 5 - j));
        expect_close(y, want, 24 * c, 0, "copy into flipped");

        /* a transposed (column-major) view */
        xp_array *t = NULL, *yt = empty(p, dt, 2, (int64_t[]){6, 4});
        XPT_OK(xp__view(x, 2, (int64_t[]){6, 4}, (int64_t[]){1, 6}, 0, &t));
        XPT_OK(xp__copy(t, yt));
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 4; j++)
                put(want, c == 2, i * 4 + j, cval(xv, c == 2, j * 6 + i));
        expect_close(yt, want, 24 * c, 0, "transpose");

        free(xv);
        xp_array_free(t);
        xp_array_free(yt);
        xp_array_free(yf);
        xp_array_free(y);
        xp_array_free(f01);
        xp_array_free(f0);
        xp_array_free(x);
    }
}
END_TEST

/* Transposes big enough to be walked in tiles, with an outer axis and
 * ragged tile edges. */
START_TEST(copy_transpose_tiled)
{
    const xp_provider *p = xpt_provider(_i);
    for (int k = 0; k < 4; k++) {
        xp_dtype dt = all_dtypes[k];
        int c = vpe(dt);
        int64_t shape[3] = {3, 50, 70}, tshape[3] = {3, 70, 50};
        int64_t n = 3 * 50 * 70;
        double *xv, *want = malloc((size_t)n * 2 * sizeof(double));
        xp_array *x = rnd(p, dt, 3, shape, 60u + k, &xv), *t = NULL;
        xp_array *y = empty(p, dt, 3, tshape), *z = empty(p, dt, 3, tshape);
        XPT_OK(xp__view(x, 3, tshape, (int64_t[]){3500, 1, 70}, 0, &t));
        XPT_OK(xp__copy(t, y));
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 70; i++)
                for (int j = 0; j < 50; j++)
                    put(want, c == 2, (o * 70 + i) * 50 + j,
                        cval(xv, c == 2, (o * 50 + j) * 70 + i));
        expect_close(y, want, n * c, 0, "tiled transpose");
        /* a transposed operand of a binary op */
        XPT_OK(xp__binary(XP_BINARY_SUB, y, t, z));
        for (int64_t i = 0; i < n * c; i++)
            want[i] = 0;
        expect_close(z, want, n * c, 0, "tiled binary");
        free(xv);
        free(want);
        xp_array_free(t);
        xp_array_free(x);
        xp_array_free(y);
        xp_array_free(z);
    }
}
END_TEST

START_TEST(copy_zero_strides)
{
    const xp_provider *p = xpt_provider(_i);
    for (int k = 0; k < 4; k++) {
        xp_dtype dt = all_dtypes[k];
        int c = vpe(dt);
        int64_t rowshape[1] = {6}, colshape[2] = {4, 1}, shape[2] = {4, 6};
        double *rv, *cv, want[48];
        xp_array *r = rnd(p, dt, 1, rowshape, 3u, &rv), *col = rnd(p, dt, 2, colshape, 4u, &cv);
        xp_array *rb, *cb, *y = empty(p, dt, 2, shape);
        XPT_OK(xp__view_broadcast(r, 2, shape, &rb));
        XPT_OK(xp__view_broadcast(col, 2, shape, &cb));
        XPT_OK(xp__copy(rb, y));
        for (int i = 0; i < 24; i++)
            put(want, c == 2, i, cval(rv, c == 2, i % 6));
        expect_close(y, want, 24 * c, 0, "row broadcast");
        XPT_OK(xp__copy(cb, y));
        for (int i = 0; i < 24; i++)
            put(want, c == 2, i, cval(cv, c == 2, i / 6));
        expect_close(y, want, 24 * c, 0, "column broadcast");
        free(rv);
        free(cv);
        xp_array_free(rb);
        xp_array_free(cb);
        xp_array_free(y);
        xp_array_free(r);
        xp_array_free(col);
    }
}
END_TEST

START_TEST(casts)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {3, 7};
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++) {
            xp_dtype dx = all_dtypes[a], dy = all_dtypes[b];
            double *xv, want[42];
            xp_array *x = rnd(p, dx, 2, shape, 20u + a, &xv), *y = empty(p, dy, 2, shape);
            int rc = xp__copy(x, y);
            if (xp_dtype_is_complex(dx) && !xp_dtype_is_complex(dy)) {
                ck_assert_int_eq(rc, XP_EDTYPE);
                if (is_host(p))
                    ck_assert_msg(strstr(xp_errmsg(), "unary: copy from") != NULL,
                                  "%s", xp_errmsg());
            } else {
                ck_assert_msg(rc == 0, "%s -> %s: %s", xp_dtype_name(dx),
                              xp_dtype_name(dy), xp_errmsg());
                for (int i = 0; i < 21; i++) {
                    double complex z = cval(xv, xp_dtype_is_complex(dx), i);
                    if (is_single(dy))
                        z = CMPLX((float)creal(z), (float)cimag(z));
                    put(want, xp_dtype_is_complex(dy), i, z);
                }
                expect_close(y, want, 21 * vpe(dy), 0, "cast");
            }
            free(xv);
            xp_array_free(x);
            xp_array_free(y);
        }
}
END_TEST

START_TEST(zero_size)
{
    const xp_provider *p = xpt_provider(_i);
    for (int k = 0; k < 4; k++) {
        xp_dtype dt = all_dtypes[k];
        int c = vpe(dt);
        int64_t s03[2] = {0, 3}, s30[2] = {3, 0}, s31[2] = {3, 1}, s13[2] = {1, 3};
        xp_array *a = empty(p, dt, 2, s03), *b = empty(p, dt, 2, s03);
        XPT_OK(xp__fill(a, 1, 0));
        XPT_OK(xp__copy(a, b));
        XPT_OK(xp__unary(XP_UNARY_NEG, a, b));
        XPT_OK(xp__binary(XP_BINARY_ADD, a, a, b));
        XPT_OK(xp__affine(a, 2, 0, 1, 0, b));
        xp_array *y13 = empty(p, dt, 2, s13);
        double want[6];
        for (int op = 0; op < 3; op++) {
            XPT_OK(xp__reduce((xp_reduce_op)op, a, 0, y13));
            for (int i = 0; i < 3; i++)
                put(want, c == 2, i, op == XP_REDUCE_SUM ? 0 : CMPLX(NAN, NAN));
            expect_close(y13, want, 3 * c, 0, "reduce over an empty axis");
        }
        xp_array *e = empty(p, dt, 2, s30), *y31 = empty(p, dt, 2, s31);
        for (int op = 0; op < 3; op++) {
            XPT_OK(xp__reduce((xp_reduce_op)op, e, -1, y31));
            for (int i = 0; i < 3; i++)
                put(want, c == 2, i, op == XP_REDUCE_SUM ? 0 : CMPLX(NAN, NAN));
            expect_close(y31, want, 3 * c, 0, "reduce over an empty last axis");
        }
        /* reducing the non-empty axis of an empty array touches nothing */
        xp_array *y03 = NULL;
        XPT_OK(xp__view(a, 2, (int64_t[]){0, 1}, (int64_t[]){1, 1}, 0, &y03));
        XPT_OK(xp__reduce(XP_REDUCE_MEDIAN, a, 1, y03));
        xp_array_free(y03);
        xp_array_free(a);
        xp_array_free(b);
        xp_array_free(e);
        xp_array_free(y13);
        xp_array_free(y31);
    }
}
END_TEST

/* ---- unary ---------------------------------------------------------- */

static double complex ref_unary(xp_unary_op op, double complex z, int cplx)
{
    switch (op) {
    case XP_UNARY_COPY:  return z;
    case XP_UNARY_ABS2:  return creal(z) * creal(z) + cimag(z) * cimag(z);
    case XP_UNARY_ABS:   return cabs(z);
    case XP_UNARY_SQRT:  return cplx ? csqrt(z) : CMPLX(sqrt(creal(z)), 0.0);
    case XP_UNARY_ANGLE: return atan2(cimag(z), creal(z));
    case XP_UNARY_CONJ:  return conj(z);
    case XP_UNARY_REAL:  return creal(z);
    case XP_UNARY_IMAG:  return cimag(z);
    case XP_UNARY_NEG:   return -z;
    }
    return NAN;
}

static int unary_to_real(xp_unary_op op)
{
    return op == XP_UNARY_ABS2 || op == XP_UNARY_ABS || op == XP_UNARY_ANGLE
           || op == XP_UNARY_REAL || op == XP_UNARY_IMAG;
}

START_TEST(unary_ops)
{
    const xp_provider *p = xpt_provider(_i);
    for (int k = 0; k < 4; k++)
        for (int op = XP_UNARY_ABS2; op <= XP_UNARY_NEG; op++) {
            xp_dtype dx = all_dtypes[k];
            xp_dtype dy = unary_to_real((xp_unary_op)op) ? xp_dtype_real(dx) : dx;
            int cx = xp_dtype_is_complex(dx), cy = xp_dtype_is_complex(dy);
            int64_t shape[2] = {5, 7}, tshape[2] = {7, 5};
            double *xv, want[70];
            xp_array *x = rnd(p, dx, 2, shape, 30u + k * 10 + op, &xv);
            xp_array *y = empty(p, dy, 2, shape), *t = NULL, *yt = empty(p, dy, 2, tshape);
            XPT_OK(xp__unary((xp_unary_op)op, x, y));
            for (int i = 0; i < 35; i++)
                put(want, cy, i, ref_unary((xp_unary_op)op, cval(xv, cx, i), cx));
            expect_close(y, want, 35 * vpe(dy), tol_of(dx), "unary");

            /* strided input: the transpose */
            XPT_OK(xp__view(x, 2, tshape, (int64_t[]){1, 7}, 0, &t));
            XPT_OK(xp__unary((xp_unary_op)op, t, yt));
            for (int i = 0; i < 7; i++)
                for (int j = 0; j < 5; j++)
                    put(want, cy, i * 5 + j,
                        ref_unary((xp_unary_op)op, cval(xv, cx, j * 7 + i), cx));
            expect_close(yt, want, 35 * vpe(dy), tol_of(dx), "unary strided");

            /* the wrong output dtype */
            xp_array *bad = empty(p, cy ? xp_dtype_real(dy) : xp_dtype_complex(dy), 2, shape);
            ck_assert_int_eq(xp__unary((xp_unary_op)op, x, bad), XP_EDTYPE);
            xp_array_free(bad);

            free(xv);
            xp_array_free(t);
            xp_array_free(yt);
            xp_array_free(x);
            xp_array_free(y);
        }
}
END_TEST

/* ---- binary --------------------------------------------------------- */

static double complex ref_binary(xp_binary_op op, double complex a, double complex b)
{
    switch (op) {
    case XP_BINARY_ADD:      return a + b;
    case XP_BINARY_SUB:      return a - b;
    case XP_BINARY_MUL:      return a * b;
    case XP_BINARY_DIV:      return a / b;
    case XP_BINARY_MUL_CONJ: return a * conj(b);
    }
    return NAN;
}

/* out = op(a, b) for b of shape bshape broadcast to [5,7], and in place. */
static void check_binary(const xp_provider *p, xp_binary_op op, xp_dtype da,
                         xp_dtype db, int bnd, const int64_t *bshape, unsigned seed)
{
    int64_t shape[2] = {5, 7};
    int ca = xp_dtype_is_complex(da), cb = xp_dtype_is_complex(db);
    double *av, *bv, want[70];
    xp_array *a = rnd(p, da, 2, shape, seed, &av), *b0 = rnd(p, db, bnd, bshape, seed + 1, &bv);
    xp_array *b = NULL, *out = empty(p, da, 2, shape);
    XPT_OK(xp__view_broadcast(b0, 2, shape, &b));
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 7; j++) {
            int64_t bi = bnd == 1 ? j : bshape[1] == 1 ? i : i * 7 + j;
            put(want, ca, i * 7 + j,
                ref_binary(op, cval(av, ca, i * 7 + j), cval(bv, cb, bi)));
        }
    XPT_OK(xp__binary(op, a, b, out));
    expect_close(out, want, 35 * vpe(da), 4 * tol_of(da), "binary");
    XPT_OK(xp__binary(op, a, b, a));             /* out aliases a */
    expect_close(a, want, 35 * vpe(da), 4 * tol_of(da), "binary in place");
    free(av);
    free(bv);
    xp_array_free(a);
    xp_array_free(b0);
    xp_array_free(b);
    xp_array_free(out);
}

START_TEST(binary_ops)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t full[2] = {5, 7}, row[1] = {7}, col[2] = {5, 1};
    for (int k = 0; k < 4; k++)
        for (int op = XP_BINARY_ADD; op <= XP_BINARY_MUL_CONJ; op++) {
            xp_dtype da = all_dtypes[k];
            unsigned seed = 100u + 10u * k + op;
            check_binary(p, (xp_binary_op)op, da, da, 2, full, seed);
            check_binary(p, (xp_binary_op)op, da, da, 1, row, seed);
            check_binary(p, (xp_binary_op)op, da, da, 2, col, seed);
            if (xp_dtype_is_complex(da)) {
                check_binary(p, (xp_binary_op)op, da, xp_dtype_real(da), 2, full, seed);
                check_binary(p, (xp_binary_op)op, da, xp_dtype_real(da), 1, row, seed);
            }
        }
}
END_TEST

/* ---- affine --------------------------------------------------------- */

START_TEST(affine_ops)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[3] = {2, 3, 4};
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++) {
            xp_dtype dx = all_dtypes[a], dy = all_dtypes[b];
            int cx = xp_dtype_is_complex(dx), cy = xp_dtype_is_complex(dy);
            /* real x into complex y: a host extension the contract leaves open */
            if (dy != dx && !(cy && dx == xp_dtype_real(dy) && is_host(p)))
                continue;
            double complex alpha = cy ? CMPLX(0.75, -1.25) : 0.75;
            double complex beta = cy ? CMPLX(-0.5, 2.0) : -0.5;
            double *xv, want[48];
            xp_array *x = rnd(p, dx, 3, shape, 40u + a, &xv), *y = empty(p, dy, 3, shape);
            XPT_OK(xp__affine(x, creal(alpha), cimag(alpha), creal(beta), cimag(beta), y));
            for (int i = 0; i < 24; i++)
                put(want, cy, i, alpha * cval(xv, cx, i) + beta);
            expect_close(y, want, 24 * vpe(dy), tol_of(dy), "affine");
            if (dx == dy) {
                XPT_OK(xp__affine(x, creal(alpha), cimag(alpha), creal(beta),
                                  cimag(beta), x));
                expect_close(x, want, 24 * vpe(dy), tol_of(dy), "affine in place");
            }
            if (!cy)
                ck_assert_int_eq(xp__affine(x, 1, 0.5, 0, 0, y), XP_EINVAL);
            free(xv);
            xp_array_free(x);
            xp_array_free(y);
        }
}
END_TEST

/* numpy's x * alpha to the sign of zero: a zero beta is not added (which
 * would turn -0.0 into +0.0); complex x times a real alpha is the complex
 * product, whose imaginary part re * 0 + im * alpha carries re's sign */
START_TEST(affine_signed_zeros)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 2;
    double rv[2] = {-0.0, 3.0}, cv[4] = {-1.0, -0.0, 1.0, -0.0};
    xp_array *r = xpt_array(p, XP_FLOAT64, 1, &n, rv), *ry = empty(p, XP_FLOAT64, 1, &n);
    xp_array *c = xpt_array(p, XP_COMPLEX128, 1, &n, cv), *cy = empty(p, XP_COMPLEX128, 1, &n);
    XPT_OK(xp__affine(r, 2, 0, 0, 0, ry));
    XPT_OK(xp__affine(c, 2, 0, 0, 0, cy));
    int64_t m;
    double *y = xpt_get(ry, &m), *z = xpt_get(cy, &m);
    ck_assert_msg(y[0] == 0 && signbit(y[0]) && y[1] == 6, "real: %g %g", y[0], y[1]);
    ck_assert_msg(z[0] == -2 && signbit(z[1]) && z[2] == 2 && !signbit(z[3]),
                  "complex: %g%+gj %g%+gj", z[0], z[1], z[2], z[3]);
    free(y);
    free(z);
    xp_array *tmp[] = {r, ry, c, cy};
    for (int i = 0; i < 4; i++)
        xp_array_free(tmp[i]);
}
END_TEST

/* ---- reduce --------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double ref_median(double *v, int64_t n)
{
    if (n == 0)
        return NAN;
    for (int64_t i = 0; i < n; i++)
        if (isnan(v[i]))
            return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reference reduction of C-ordered values xv of shape[nd] along ax. */
static void ref_reduce(xp_reduce_op op, const double *xv, int cplx, int nd,
                       const int64_t *shape, int ax, double *out)
{
    int64_t n = shape[ax], inner = 1, outer = 1;
    for (int d = ax + 1; d < nd; d++)
        inner *= shape[d];
    for (int d = 0; d < ax; d++)
        outer *= shape[d];
    double *line = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++)
            for (int c = 0; c <= cplx; c++) {
                double s = 0;
                for (int64_t k = 0; k < n; k++) {
                    int64_t e = (o * n + k) * inner + i;
                    line[k] = xv[cplx ? 2 * e + c : e];
                    s += line[k];
                }
                double r = op == XP_REDUCE_SUM ? s
                           : op == XP_REDUCE_MEAN ? s / (double)n : ref_median(line, n);
                int64_t e = o * inner + i;
                out[cplx ? 2 * e + c : e] = r;
            }
    free(line);
}

static void check_reduce(const xp_provider *p, xp_dtype dt, int nd,
                         const int64_t *shape, int axis, int with_nan,
                         int transposed, unsigned seed)
{
    int cplx = xp_dtype_is_complex(dt), ax = axis < 0 ? axis + nd : axis;
    int64_t n = xp__shape_size(nd, shape), yshape[XP_MAX_NDIM];
    double *v = malloc((size_t)n * 2 * sizeof(double)), *xv;
    xpt_random(v, n * 2, seed);
    if (with_nan) {
        v[n / 3 * vpe(dt)] = NAN;                       /* a real part */
        if (cplx)
            v[2 * (n / 2) + 1] = NAN;                   /* an imaginary part */
    }
    xp_array *x, *base = NULL;
    if (transposed) {
        /* x is the reversed-axes view of a C-ordered array */
        int64_t bshape[XP_MAX_NDIM], st[XP_MAX_NDIM], bst[XP_MAX_NDIM];
        for (int d = 0; d < nd; d++)
            bshape[d] = shape[nd - 1 - d];
        xp__c_strides(nd, bshape, bst);
        for (int d = 0; d < nd; d++)
            st[d] = bst[nd - 1 - d];
        base = xpt_array(p, dt, nd, bshape, v);
        XPT_OK(xp__view(base, nd, shape, st, 0, &x));
        xp_array *c = NULL;
        XPT_OK(xp_array_astype(x, dt, &c));
        xv = xpt_values(c);
        xp_array_free(c);
    } else {
        x = xpt_array(p, dt, nd, shape, v);
        xv = xpt_values(x);
    }
    memcpy(yshape, shape, (size_t)nd * sizeof *shape);
    yshape[ax] = 1;
    int64_t ny = xp__shape_size(nd, yshape) * vpe(dt);
    double *want = malloc((size_t)(ny > 0 ? ny : 1) * sizeof(double));
    xp_array *y = empty(p, dt, nd, yshape);
    for (int op = 0; op < 3; op++) {
        XPT_OK(xp__reduce((xp_reduce_op)op, x, axis, y));
        ref_reduce((xp_reduce_op)op, xv, cplx, nd, shape, ax, want);
        double *got = xpt_values(y);
        double err = xpt_rel_err(got, want, ny);
        double tol = (is_single(dt) ? 1e-6 : 1e-13) * (op == XP_REDUCE_MEDIAN ? 1 : 10);
        ck_assert_msg(err <= tol, "reduce op %d %s nd %d axis %d nan %d transposed %d: "
                      "rel err %g", op, xp_dtype_name(dt), nd, axis, with_nan,
                      transposed, err);
        free(got);
    }
    free(want);
    free(v);
    free(xv);
    xp_array_free(y);
    if (base)
        xp_array_free(x);
    xp_array_free(base ? base : x);
}

START_TEST(reduce_ops)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t s2[2] = {6, 7}, s3[3] = {3, 4, 5}, s3b[3] = {4, 1, 6};
    for (int k = 0; k < 4; k++) {
        xp_dtype dt = all_dtypes[k];
        for (int nan = 0; nan < 2; nan++)
            for (int tr = 0; tr < 2; tr++) {
                unsigned seed = 200u + 4u * k + 2u * nan + tr;
                check_reduce(p, dt, 2, s2, 0, nan, tr, seed);   /* even count */
                check_reduce(p, dt, 2, s2, 1, nan, tr, seed);   /* odd count */
                check_reduce(p, dt, 2, s2, -1, nan, tr, seed);
                for (int ax = -1; ax < 3; ax++)
                    check_reduce(p, dt, 3, s3, ax, nan, tr, seed);
                check_reduce(p, dt, 3, s3b, 1, nan, tr, seed);  /* axis of size 1 */
            }
    }
}
END_TEST

/* Large enough for the threaded and blocked paths. */
START_TEST(reduce_large)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t s[2] = {301, 517}, s3[3] = {7, 160, 97}, wide[2] = {5, 2500};
    for (int k = 0; k < 4; k++) {
        check_reduce(p, all_dtypes[k], 2, wide, 0, 1, 0, 330u + k);
        check_reduce(p, all_dtypes[k], 2, s, 0, 0, 0, 300u + k);
        check_reduce(p, all_dtypes[k], 2, s, 1, 0, 1, 310u + k);
        check_reduce(p, all_dtypes[k], 3, s3, 1, 1, 0, 320u + k);
    }
}
END_TEST

/* Median with many ties, sorted and reversed lines (quickselect edges). */
START_TEST(median_patterns)
{
    const xp_provider *p = xpt_provider(_i);
    enum { N = 1000 };
    int64_t shape[2] = {4, N}, yshape[2] = {4, 1};
    static double v[4 * N];
    for (int i = 0; i < N; i++) {
        v[i] = i;                  /* sorted */
        v[N + i] = N - i;          /* reversed */
        v[2 * N + i] = i % 3;      /* ties */
        v[3 * N + i] = 5;          /* constant */
    }
    xp_array *x = xpt_array(p, XP_FLOAT64, 2, shape, v), *y = empty(p, XP_FLOAT64, 2, yshape);
    XPT_OK(xp__reduce(XP_REDUCE_MEDIAN, x, 1, y));
    double want[4] = {(N / 2 - 1 + N / 2) / 2.0, (N / 2 + N / 2 + 1) / 2.0, 1, 5};
    expect_close(y, want, 4, 0, "median patterns");
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* ---- errors --------------------------------------------------------- */

static void expect_err(int rc, int want, const xp_provider *p, const char *msg)
{
    ck_assert_msg(rc == want, "got %d, want %d (%s)", rc, want, xp_errmsg());
    if (is_host(p) && msg)
        ck_assert_msg(strstr(xp_errmsg(), msg) != NULL, "message '%s' lacks '%s'",
                      xp_errmsg(), msg);
}

START_TEST(errors)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t s34[2] = {3, 4}, s35[2] = {3, 5}, s3[1] = {3}, s31[2] = {3, 1};
    xp_array *a = rnd(p, XP_FLOAT64, 2, s34, 1, NULL), *b = empty(p, XP_FLOAT64, 2, s35);
    xp_array *c = empty(p, XP_COMPLEX128, 2, s34), *f = empty(p, XP_FLOAT32, 2, s34);
    xp_array *v = empty(p, XP_FLOAT64, 1, s3), *r = empty(p, XP_FLOAT64, 2, s31);

    expect_err(xp__copy(a, b), XP_ESHAPE, p,
               "unary: x and y shapes differ ([3,4] vs [3,5])");
    expect_err(xp__unary(XP_UNARY_ABS, a, v), XP_ESHAPE, p, "unary: x and y shapes differ");
    expect_err(xp__copy(c, a), XP_EDTYPE, p,
               "unary: copy from complex128 to float64 would drop the imaginary part");
    expect_err(xp__unary(XP_UNARY_ABS, c, c), XP_EDTYPE, p, "abs of complex128");
    expect_err(xp__unary((xp_unary_op)99, a, a), XP_EINVAL, p, "unknown op");
    expect_err(xp__binary(XP_BINARY_ADD, a, b, a), XP_ESHAPE, p, "a and b shapes differ");
    expect_err(xp__binary(XP_BINARY_ADD, a, a, b), XP_ESHAPE, p, "a and out shapes differ");
    expect_err(xp__binary(XP_BINARY_MUL, a, f, a), XP_EDTYPE, p, "b dtype (float32)");
    expect_err(xp__binary(XP_BINARY_MUL, a, c, a), XP_EDTYPE, p, "b dtype (complex128)");
    expect_err(xp__binary(XP_BINARY_MUL, c, a, a), XP_EDTYPE, p, "out dtype (float64)");
    expect_err(xp__binary(XP_BINARY_MUL, f, f, a), XP_EDTYPE, p, "out dtype");
    expect_err(xp__affine(a, 1, 0, 0, 0, b), XP_ESHAPE, p, "affine: x and y shapes differ");
    expect_err(xp__affine(c, 1, 0, 0, 0, a), XP_EDTYPE, p, "affine: y dtype");
    expect_err(xp__affine(a, 1, 0, 0, 1, a), XP_EINVAL, p, "must be real");
    expect_err(xp__reduce(XP_REDUCE_SUM, a, 1, b), XP_ESHAPE, p,
               "reduce: y shape [3,5] must be x's shape [3,4] with axis 1 of size 1");
    expect_err(xp__reduce(XP_REDUCE_SUM, a, 2, r), XP_ESHAPE, p, "axis (2)");
    expect_err(xp__reduce(XP_REDUCE_SUM, a, -3, r), XP_ESHAPE, p, "axis (-3)");
    expect_err(xp__reduce(XP_REDUCE_SUM, a, 1, v), XP_ESHAPE, p, "reduce: y shape");
    xp_array *rc = empty(p, XP_COMPLEX128, 2, s31);
    expect_err(xp__reduce(XP_REDUCE_MEAN, a, 1, rc), XP_EDTYPE, p, "reduce: y dtype");
    expect_err(xp__reduce((xp_reduce_op)7, a, 1, r), XP_EINVAL, p, "unknown op");
    XPT_OK(xp__reduce(XP_REDUCE_SUM, a, -1, r));

    xp_array_free(rc);
    xp_array_free(a);
    xp_array_free(b);
    xp_array_free(c);
    xp_array_free(f);
    xp_array_free(v);
    xp_array_free(r);
}
END_TEST

/* ---- transfers, stats, threads -------------------------------------- */

START_TEST(host_transfers_and_stats)
{
    const xp_provider *p = xp_provider_host();
    xp_provider_stats st = {.size = sizeof st}, st0 = {.size = sizeof st};
    XPT_OK(xp_provider_stats_get(p, &st0));
    XPT_OK(xp_provider_stats_reset(p));
    XPT_OK(xp_provider_stats_get(p, &st));
    ck_assert_int_eq(st.uploads, 0);
    ck_assert_int_eq(st.downloads, 0);
    ck_assert_int_eq(st.allocs, st0.allocs);

    int64_t shape[2] = {5, 6};
    double v[30], w[30];
    for (int i = 0; i < 30; i++)
        v[i] = i;
    xp_array *a = NULL, *f = NULL;
    XPT_OK(xp_array_from_host(p, XP_FLOAT64, 2, shape, v, &a));
    XPT_OK(xp_provider_stats_get(p, &st));
    ck_assert_int_eq(st.uploads, 1);
    ck_assert_int_eq(st.upload_bytes, 240);
    ck_assert_int_eq(st.allocs, st0.allocs + 1);
    ck_assert_int_ge(st.alloc_bytes, st0.alloc_bytes + 240);
    ck_assert_uint_eq((uintptr_t)xp_array_dltensor(a)->data % 64, 0);

    /* download of a strided view goes straight to C order */
    XPT_OK(xp__view_flip(a, 1, &f));
    XPT_OK(xp_array_to_host(f, w, sizeof w));
    for (int i = 0; i < 30; i++)
        ck_assert(w[i] == v[i / 6 * 6 + 5 - i % 6]);
    XPT_OK(xp_provider_stats_get(p, &st));
    ck_assert_int_eq(st.downloads, 1);
    ck_assert_int_eq(st.download_bytes, 240);

    /* upload into the flipped view */
    XPT_OK(xp__upload(v, f));
    XPT_OK(xp_array_to_host(a, w, sizeof w));
    for (int i = 0; i < 30; i++)
        ck_assert(w[i] == v[i / 6 * 6 + 5 - i % 6]);

    xp_array_free(f);
    xp_array_free(a);
    XPT_OK(xp_provider_stats_get(p, &st));
    ck_assert_int_eq(st.allocs, st0.allocs);
    ck_assert_int_eq(st.alloc_bytes, st0.alloc_bytes);

    /* zero bytes is a valid, freeable allocation */
    void *z = NULL;
    XPT_OK(p->ops->alloc(p->ctx, 0, &z));
    ck_assert_ptr_nonnull(z);
    p->ops->free(p->ctx, z);
    p->ops->free(p->ctx, NULL);
}
END_TEST

START_TEST(host_threads_agree)
{
    const xp_provider *p = xp_provider_host();
    int64_t shape[2] = {64, 4099}, ys[2] = {1, 4099};
    double *xv;
    xp_array *x = rnd(p, XP_COMPLEX128, 2, shape, 77u, &xv);
    xp_array *y1 = empty(p, XP_COMPLEX128, 2, shape), *y4 = empty(p, XP_COMPLEX128, 2, shape);
    xp_array *m1 = empty(p, XP_COMPLEX128, 2, ys), *m4 = empty(p, XP_COMPLEX128, 2, ys);
    XPT_OK(xp_provider_set_threads(p, 1));
    ck_assert_int_eq(xp__host_threads(p->ctx), 1);
    XPT_OK(xp__binary(XP_BINARY_MUL_CONJ, x, x, y1));
    XPT_OK(xp__reduce(XP_REDUCE_MEDIAN, x, 0, m1));
    XPT_OK(xp_provider_set_threads(p, 4));
    ck_assert_int_eq(xp__host_threads(p->ctx), 4);
    XPT_OK(xp__binary(XP_BINARY_MUL_CONJ, x, x, y4));
    XPT_OK(xp__reduce(XP_REDUCE_MEDIAN, x, 0, m4));
    XPT_OK(xp_provider_set_threads(p, 0));
    ck_assert_int_ge(xp__host_threads(p->ctx), 1);
    ck_assert_int_eq(xp_provider_set_threads(p, -1), XP_EINVAL);
    double *a = xpt_values(y1), *b = xpt_values(y4);
    ck_assert_int_eq(memcmp(a, b, 64 * 4099 * 2 * sizeof(double)), 0);
    free(a);
    free(b);
    a = xpt_values(m1);
    b = xpt_values(m4);
    ck_assert_int_eq(memcmp(a, b, 4099 * 2 * sizeof(double)), 0);
    free(a);
    free(b);
    free(xv);
    xp_array_free(x);
    xp_array_free(y1);
    xp_array_free(y4);
    xp_array_free(m1);
    xp_array_free(m4);
}
END_TEST

/* welch, csd and coherence of one long series split over five threads:
 * the threads add into the rows they share in a fixed order, so every run
 * gives the same bits (they used to add under a lock, in whatever order
 * the threads finished: 4 runs in 5 differed with 3 threads). */
START_TEST(host_welch_runs_agree)
{
    const xp_provider *p = xp_provider_host();
    int64_t n = 300000;
    double *xv = NULL, *yv = NULL;
    xp_array *x = rnd(p, XP_FLOAT64, 1, &n, 78u, &xv), *y = rnd(p, XP_FLOAT64, 1, &n, 79u, &yv);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = 512;
    XPT_OK(xp_provider_set_threads(p, 5));
    for (int kind = 0; kind < 3; kind++) {
        double *first = NULL;
        for (int run = 0; run < 6; run++) {
            xp_array *f = NULL, *r = NULL;
            XPT_OK(kind == 0   ? xps_welch(x, &o, &f, &r)
                   : kind == 1 ? xps_csd(x, y, &o, &f, &r)
                               : xps_coherence(x, y, &o, &f, &r));
            int64_t m;
            double *v = xpt_get(r, &m);
            if (!first)
                first = v;
            else {
                ck_assert_msg(!memcmp(first, v, (size_t)m * sizeof *v), "kind %d: run %d "
                              "differs from the first", kind, run);
                free(v);
            }
            xp_array_free(f);
            xp_array_free(r);
        }
        free(first);
    }
    XPT_OK(xp_provider_set_threads(p, 0));
    free(xv);
    free(yv);
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* ---- allocation failures ------------------------------------------------ */

START_TEST(fault_injection)
{
    const xp_provider *p = xpt_provider(_i);
    xp_provider_stats st0 = {.size = sizeof st0}, st = {.size = sizeof st};
    int have_stats = xp_provider_stats_get(p, &st0) == 0;
    int64_t shape[2] = {9, 40}, ys[2] = {9, 1};
    double v[720];
    xpt_random(v, 720, 5u);
    int done = 0;
    for (long k = 1; k < 200 && !done; k++) {
        xp_array *x = NULL, *y = NULL;
        xp__fault_set(k);
        int rc = xp_array_from_host(p, XP_COMPLEX64, 2, shape, v, &x);
        if (rc == 0)
            rc = xp_array_empty(p, XP_COMPLEX64, 2, ys, &y);
        if (rc == 0)
            rc = xp__reduce(XP_REDUCE_MEDIAN, x, 1, y);
        done = xp__fault_seen() < k;     /* nothing failed: every path seen */
        xp__fault_set(0);
        ck_assert_msg(rc == 0 || rc == XP_ENOMEM, "k=%ld rc=%d %s", k, rc, xp_errmsg());
        ck_assert_msg(done ? rc == 0 : rc == XP_ENOMEM, "k=%ld rc=%d", k, rc);
        xp_array_free(x);
        xp_array_free(y);
        if (have_stats) {
            XPT_OK(xp_provider_stats_get(p, &st));
            ck_assert_int_eq(st.allocs, st0.allocs);
            ck_assert_int_eq(st.alloc_bytes, st0.alloc_bytes);
        }
    }
    ck_assert(done);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("host_ops");
    TCase *tc = tcase_create("ops");
    tcase_set_timeout(tc, 120);
    int np = xpt_nproviders();
    tcase_add_loop_test(tc, fill_all_dtypes, 0, np);
    tcase_add_loop_test(tc, copy_flips, 0, np);
    tcase_add_loop_test(tc, copy_transpose_tiled, 0, np);
    tcase_add_loop_test(tc, copy_zero_strides, 0, np);
    tcase_add_loop_test(tc, casts, 0, np);
    tcase_add_loop_test(tc, zero_size, 0, np);
    tcase_add_loop_test(tc, unary_ops, 0, np);
    tcase_add_loop_test(tc, binary_ops, 0, np);
    tcase_add_loop_test(tc, affine_ops, 0, np);
    tcase_add_loop_test(tc, affine_signed_zeros, 0, np);
    tcase_add_loop_test(tc, reduce_ops, 0, np);
    tcase_add_loop_test(tc, reduce_large, 0, np);
    tcase_add_loop_test(tc, median_patterns, 0, np);
    tcase_add_loop_test(tc, errors, 0, np);
    tcase_add_loop_test(tc, fault_injection, 0, np);
    tcase_add_test(tc, host_transfers_and_stats);
    tcase_add_test(tc, host_threads_agree);
    tcase_add_test(tc, host_welch_runs_agree);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
