/*
 * check_host_fft.c -- the fft and gemm ops on every provider: FFTs against
 * a direct DFT in long double, gemm against a naive triple loop, strided
 * and negative-stride views, error messages, and fault injection; the
 * fused segment transform (segment_spectra) where a provider has it.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

static const xp_fft_kind kinds[] = { XP_FFT_R2C, XP_FFT_C2R, XP_FFT_C2C_FORWARD,
                                     XP_FFT_C2C_BACKWARD };
static const char *kind_names[] = { "R2C", "C2R", "C2C_FORWARD", "C2C_BACKWARD" };

static int64_t nin_of(xp_fft_kind kind, int64_t n)
{
    return kind == XP_FFT_C2R ? n / 2 + 1 : n;
}

static int64_t nout_of(xp_fft_kind kind, int64_t n)
{
    return kind == XP_FFT_R2C ? n / 2 + 1 : n;
}

/* dtypes of x and y for kind at one precision. */
static void fft_dtypes(xp_fft_kind kind, int single, xp_dtype *dx, xp_dtype *dy)
{
    xp_dtype r = single ? XP_FLOAT32 : XP_FLOAT64;
    xp_dtype c = single ? XP_COMPLEX64 : XP_COMPLEX128;
    *dx = kind == XP_FFT_R2C ? r : c;
    *dy = kind == XP_FFT_C2R ? r : c;
}

/* One row of the reference transform: x has len values (pairs if complex),
 * zero-padded or truncated; y gets nout values times scale. */
static void ref_row(xp_fft_kind kind, int64_t n, const double *x, int64_t len,
                    double scale, double *y)
{
    long double *re = calloc((size_t)n, sizeof *re), *im = calloc((size_t)n, sizeof *im);
    long double *cs = malloc((size_t)n * sizeof *cs), *sn = malloc((size_t)n * sizeof *sn);
    ck_assert(re && im && cs && sn);
    int64_t nin = nin_of(kind, n), nout = nout_of(kind, n);
    int64_t m = len < nin ? len : nin;
    for (int64_t j = 0; j < m; j++) {
        if (kind == XP_FFT_R2C) {
            re[j] = x[j];
        } else {
            re[j] = x[2 * j];
            im[j] = x[2 * j + 1];
        }
    }
    if (kind == XP_FFT_C2R) {
        im[0] = 0;                      /* DC and Nyquist are real */
        if (n % 2 == 0)
            im[n / 2] = 0;
        for (int64_t k = nin; k < n; k++) {
            re[k] = re[n - k];
            im[k] = -im[n - k];
        }
    }
    long double sign = (kind == XP_FFT_R2C || kind == XP_FFT_C2C_FORWARD) ? -1 : 1;
    for (int64_t j = 0; j < n; j++) {
        long double a = 2 * 3.14159265358979323846264338327950288L * j / n;
        cs[j] = cosl(a);
        sn[j] = sign * sinl(a);
    }
    for (int64_t k = 0; k < nout; k++) {
        long double ar = 0, ai = 0;
        for (int64_t j = 0; j < n; j++) {
            int64_t t = (j * k) % n;
            ar += re[j] * cs[t] - im[j] * sn[t];
            ai += re[j] * sn[t] + im[j] * cs[t];
        }
        if (kind == XP_FFT_C2R) {
            y[k] = (double)(ar * scale);
        } else {
            y[2 * k] = (double)(ar * scale);
            y[2 * k + 1] = (double)(ai * scale);
        }
    }
    free(re);
    free(im);
    free(cs);
    free(sn);
}

/* Compare y with the DFT of x (any views). */
static void compare_fft(xp_fft_kind kind, int64_t n, double scale, const xp_array *x,
                        const xp_array *y, const char *what)
{
    int xc = xp_dtype_is_complex(xp_array_dtype(x));
    int yc = xp_dtype_is_complex(xp_array_dtype(y));
    int single = xp_array_dtype(x) == XP_FLOAT32 || xp_array_dtype(x) == XP_COMPLEX64;
    int64_t len = xp_array_dim(x, -1), nout = nout_of(kind, n);
    int64_t rows = xp_array_size(y) / nout;
    double *xv = xpt_values(x), *yv = xpt_values(y);
    double *ref = malloc((size_t)(rows * nout * 2 + 1) * sizeof *ref);
    ck_assert_ptr_nonnull(ref);
    for (int64_t r = 0; r < rows; r++)
        ref_row(kind, n, xv + r * len * (xc ? 2 : 1), len, scale,
                ref + r * nout * (yc ? 2 : 1));
    double err = xpt_rel_err(yv, ref, rows * nout * (yc ? 2 : 1));
    double tol = single ? 1e-5 : 1e-12;
    ck_assert_msg(err < tol, "%s: %s %s n=%lld len=%lld rows=%lld: error %g",
                  what, kind_names[kind], xp_dtype_name(xp_array_dtype(x)),
                  (long long)n, (long long)len, (long long)rows, err);
    free(xv);
    free(yv);
    free(ref);
}

/* Run y = fft(x) and compare with the DFT. */
static void check_fft(xp_fft_kind kind, int64_t n, double scale, const xp_array *x,
                      const xp_array *y, const char *what)
{
    XPT_OK(xp__fft(kind, n, scale, x, y));
    compare_fft(kind, n, scale, x, y, what);
}

/* New array of dtype/shape with random values. */
static xp_array *random_array(const xp_provider *p, xp_dtype dt, int ndim,
                              const int64_t *shape, unsigned seed)
{
    int64_t nv = xp__shape_size(ndim, shape) * (xp_dtype_is_complex(dt) ? 2 : 1);
    double *v = malloc((size_t)(nv + 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    xpt_random(v, nv, seed);
    xp_array *a = xpt_array(p, dt, ndim, shape, v);
    free(v);
    return a;
}

static xp_array *zeros(const xp_provider *p, xp_dtype dt, int ndim, const int64_t *shape)
{
    xp_array *a = NULL;
    XPT_OK(xp_array_zeros(p, dt, ndim, shape, &a));
    return a;
}

/* ---------------------------------------------------------------- FFT */

START_TEST(test_fft_dft)
{
    const xp_provider *p = xpt_provider(_i);
    static const int64_t ns[] = { 1, 2, 3, 5, 8, 16, 17, 100, 128, 1000 };
    for (int single = 0; single < 2; single++)
        for (int ki = 0; ki < 4; ki++)
            for (size_t ni = 0; ni < sizeof ns / sizeof ns[0]; ni++)
                for (int var = 0; var < 3; var++) {
                    xp_fft_kind kind = kinds[ki];
                    int64_t n = ns[ni], nat = nin_of(kind, n);
                    /* exact length, zero-padded, truncated */
                    int64_t len = var == 0 ? nat : var == 1 ? nat / 2 + 1 : nat + 3;
                    double scale = var == 0 ? 1.0 : var == 1 ? 0.5 : 1.0 / (double)n;
                    xp_dtype dx, dy;
                    fft_dtypes(kind, single, &dx, &dy);
                    int64_t xs[2] = { 2, len }, ys[2] = { 2, nout_of(kind, n) };
                    xp_array *x = random_array(p, dx, 2, xs, (unsigned)(n * 7 + var));
                    xp_array *y = zeros(p, dy, 2, ys);
                    check_fft(kind, n, scale, x, y, xp_provider_name(p));
                    xp_array_free(x);
                    xp_array_free(y);
                }
}
END_TEST

/* 3-D batches through strided, negative-stride and misaligned views. */
START_TEST(test_fft_strided)
{
    const xp_provider *p = xpt_provider(_i);
    static const int64_t ns[] = { 16, 17 };
    for (int single = 0; single < 2; single++)
        for (int ki = 0; ki < 4; ki++)
            for (int ni = 0; ni < 2; ni++) {
                xp_fft_kind kind = kinds[ki];
                int64_t n = ns[ni], len = nin_of(kind, n), nout = nout_of(kind, n);
                xp_dtype dx, dy;
                fft_dtypes(kind, single, &dx, &dy);

                /* x[::-1, ::2, ::-2] of a [3, 4, 2 len + 1] array */
                int64_t xs[3] = { 3, 4, 2 * len + 1 };
                xp_array *xb = random_array(p, dx, 3, xs, 11u + (unsigned)n);
                xp_array *x1, *x2, *x;
                XPT_OK(xp__view_slice(xb, 2, 2 * len, len, -2, &x1));
                XPT_OK(xp__view_slice(x1, 1, 0, 2, 2, &x2));
                XPT_OK(xp__view_flip(x2, 0, &x));
                /* y[::2, ::-1, ::3] of a [6, 2, 3 nout] array */
                int64_t ysh[3] = { 6, 2, 3 * nout };
                xp_array *yb = zeros(p, dy, 3, ysh);
                xp_array *y1, *y2, *y;
                XPT_OK(xp__view_slice(yb, 0, 0, 3, 2, &y1));
                XPT_OK(xp__view_flip(y1, 1, &y2));
                XPT_OK(xp__view_slice(y2, 2, 0, nout, 3, &y));
                check_fft(kind, n, 1.0, x, y, "strided");
                check_fft(kind, n, 0.25, x, y, "strided, scaled");

                /* contiguous rows that start one element off alignment */
                int64_t rows = 5, fs[1] = { 1 + rows * len }, gs[1] = { 1 + rows * nout };
                xp_array *fb = random_array(p, dx, 1, fs, 5u), *gb = zeros(p, dy, 1, gs);
                int64_t vs[2] = { rows, len }, vst[2] = { len, 1 };
                int64_t ws[2] = { rows, nout }, wst[2] = { nout, 1 };
                xp_array *f, *g;
                XPT_OK(xp__view(fb, 2, vs, vst, 1, &f));
                XPT_OK(xp__view(gb, 2, ws, wst, 1, &g));
                check_fft(kind, n, 1.0, f, g, "misaligned");

                xp_array *tofree[] = { x, x2, x1, xb, y, y2, y1, yb, f, g, fb, gb };
                for (size_t i = 0; i < sizeof tofree / sizeof tofree[0]; i++)
                    xp_array_free(tofree[i]);
            }
}
END_TEST

/* Transforms along the first axis of [len, rows] arrays (stft's and
 * istft's spectra, frequencies down a column): rows side by side, each
 * row's elements rows apart.  Longer than a copy tile, with blocks of
 * strided rows, a ragged remainder, zero-padding and truncation. */
START_TEST(test_fft_transposed)
{
    const xp_provider *p = xpt_provider(_i);
    static const int64_t ns[] = { 130, 257 };
    for (int single = 0; single < 2; single++)
        for (int ki = 0; ki < 4; ki++)
            for (int ni = 0; ni < 2; ni++)
                for (int var = 0; var < 3; var++) {
                    xp_fft_kind kind = kinds[ki];
                    int64_t n = ns[ni], nat = nin_of(kind, n), nout = nout_of(kind, n);
                    int64_t len = var == 0 ? nat : var == 1 ? nat / 2 + 1 : nat + 9;
                    int64_t rows = 37;
                    xp_dtype dx, dy;
                    fft_dtypes(kind, single, &dx, &dy);
                    int64_t xs[2] = { len, rows }, ys[2] = { nout, rows };
                    xp_array *xb = random_array(p, dx, 2, xs, (unsigned)(n + var));
                    xp_array *yb = zeros(p, dy, 2, ys);
                    int64_t vs[2] = { rows, len }, vst[2] = { 1, rows };
                    int64_t ws[2] = { rows, nout }, wst[2] = { 1, rows };
                    xp_array *x, *y;
                    XPT_OK(xp__view(xb, 2, vs, vst, 0, &x));
                    XPT_OK(xp__view(yb, 2, ws, wst, 0, &y));
                    check_fft(kind, n, var == 2 ? 0.5 : 1.0, x, y, "transposed");
                    xp_array *tofree[] = { x, y, xb, yb };
                    for (size_t i = 0; i < sizeof tofree / sizeof tofree[0]; i++)
                        xp_array_free(tofree[i]);
                }
}
END_TEST

/* Enough rows for several blocks, a ragged remainder and several threads. */
START_TEST(test_fft_blocks)
{
    const xp_provider *p = xpt_provider(_i);
    (void)xp_provider_set_threads(p, 3);   /* may be unsupported */
    for (int single = 0; single < 2; single++)
        for (int ki = 0; ki < 4; ki++) {
            xp_fft_kind kind = kinds[ki];
            int64_t n = 64, len = nin_of(kind, n), nout = nout_of(kind, n);
            xp_dtype dx, dy;
            fft_dtypes(kind, single, &dx, &dy);
            int64_t xs[3] = { 7, 111, len }, ys[3] = { 7, 111, nout };
            xp_array *x = random_array(p, dx, 3, xs, 99u), *y = zeros(p, dy, 3, ys);
            check_fft(kind, n, 1.0, x, y, "blocks");
            check_fft(kind, n, 2.0, x, y, "blocks, scaled");
            xp_array *xf, *yf;
            XPT_OK(xp__view_flip(x, 1, &xf));
            XPT_OK(xp__view_flip(y, 0, &yf));
            check_fft(kind, n, 1.0, xf, yf, "blocks, flipped");
            xp_array_free(xf);
            xp_array_free(yf);
            xp_array_free(x);
            xp_array_free(y);
        }
}
END_TEST

/* Empty input rows are all padding; an empty batch is a no-op. */
START_TEST(test_fft_empty)
{
    const xp_provider *p = xpt_provider(_i);
    for (int ki = 0; ki < 4; ki++) {
        xp_fft_kind kind = kinds[ki];
        xp_dtype dx, dy;
        fft_dtypes(kind, 0, &dx, &dy);
        int64_t xs[2] = { 3, 0 }, ys[2] = { 3, nout_of(kind, 6) };
        xp_array *x = zeros(p, dx, 2, xs), *y = random_array(p, dy, 2, ys, 1u);
        check_fft(kind, 6, 1.0, x, y, "empty rows");
        xp_array_free(x);
        xp_array_free(y);
        int64_t xs0[3] = { 2, 0, 6 }, ys0[3] = { 2, 0, nout_of(kind, 6) };
        x = zeros(p, dx, 3, xs0);
        y = zeros(p, dy, 3, ys0);
        XPT_OK(xp__fft(kind, 6, 1.0, x, y));
        xp_array_free(x);
        xp_array_free(y);
    }
}
END_TEST

/* r2c then c2r with scale 1/n, and forward then backward, give x back. */
START_TEST(test_fft_roundtrip)
{
    const xp_provider *p = xpt_provider(_i);
    for (int single = 0; single < 2; single++)
        for (int64_t n = 99; n <= 100; n++) {
            xp_dtype r = single ? XP_FLOAT32 : XP_FLOAT64;
            xp_dtype c = single ? XP_COMPLEX64 : XP_COMPLEX128;
            double tol = single ? 1e-5 : 1e-13;
            int64_t xs[2] = { 4, n }, hs[2] = { 4, n / 2 + 1 };
            xp_array *x = random_array(p, r, 2, xs, 3u), *h = zeros(p, c, 2, hs);
            xp_array *back = zeros(p, r, 2, xs);
            XPT_OK(xp__fft(XP_FFT_R2C, n, 1.0, x, h));
            XPT_OK(xp__fft(XP_FFT_C2R, n, 1.0 / (double)n, h, back));
            double *a = xpt_values(x), *b = xpt_values(back);
            ck_assert_msg(xpt_rel_err(b, a, 4 * n) < tol, "r2c/c2r n=%lld", (long long)n);
            free(a);
            free(b);

            xp_array *z = random_array(p, c, 2, xs, 4u), *Z = zeros(p, c, 2, xs);
            xp_array *zb = zeros(p, c, 2, xs);
            XPT_OK(xp__fft(XP_FFT_C2C_FORWARD, n, 1.0, z, Z));
            XPT_OK(xp__fft(XP_FFT_C2C_BACKWARD, n, 1.0 / (double)n, Z, zb));
            a = xpt_values(z);
            b = xpt_values(zb);
            ck_assert_msg(xpt_rel_err(b, a, 8 * n) < tol, "c2c n=%lld", (long long)n);
            free(a);
            free(b);
            xp_array *all[] = { x, h, back, z, Z, zb };
            for (int i = 0; i < 6; i++)
                xp_array_free(all[i]);
        }
}
END_TEST

/* XP_FFTW_PLANNER=measure plans on scratch: the input is left alone. */
START_TEST(test_fft_measure)
{
    const xp_provider *p = xpt_provider(_i);
    setenv("XP_FFTW_PLANNER", "measure", 1);
    int64_t xs[2] = { 8, 64 }, ys[2] = { 8, 33 };
    xp_array *x = random_array(p, XP_FLOAT64, 2, xs, 8u), *y = zeros(p, XP_COMPLEX128, 2, ys);
    double *before = xpt_values(x);
    check_fft(XP_FFT_R2C, 64, 1.0, x, y, "measure");
    double *after = xpt_values(x);
    ck_assert(memcmp(before, after, 8 * 64 * sizeof(double)) == 0);
    free(before);
    free(after);
    xp_array_free(x);
    xp_array_free(y);
    unsetenv("XP_FFTW_PLANNER");
}
END_TEST

/* Several caller threads at once: planning is serialized, execution is not. */
#define NCALLERS 4
typedef struct {
    xp_fft_kind kind;
    int64_t n;
    xp_array *x, *y;
    int rc;
} fft_call;

static void *fft_caller(void *arg)
{
    fft_call *c = arg;
    for (int rep = 0; rep < 20 && c->rc == 0; rep++)
        c->rc = xp__fft(c->kind, c->n, 1.0, c->x, c->y);
    return NULL;
}

START_TEST(test_fft_threads)
{
    const xp_provider *p = xpt_provider(_i);
    fft_call calls[NCALLERS * 4];
    pthread_t th[NCALLERS * 4];
    int nc = 0;
    for (int t = 0; t < NCALLERS; t++)
        for (int ki = 0; ki < 4; ki++, nc++) {
            fft_call *c = &calls[nc];
            c->kind = kinds[ki];
            c->n = 24 + 7 * (t % 2) + ki;       /* shared and private plans */
            c->rc = 0;
            xp_dtype dx, dy;
            fft_dtypes(c->kind, t >= 2, &dx, &dy);
            int64_t xs[2] = { 300, nin_of(c->kind, c->n) }, ys[2] = { 300, nout_of(c->kind, c->n) };
            c->x = random_array(p, dx, 2, xs, (unsigned)nc);
            c->y = zeros(p, dy, 2, ys);
        }
    for (int i = 0; i < nc; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, fft_caller, &calls[i]), 0);
    for (int i = 0; i < nc; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < nc; i++) {
        ck_assert_msg(calls[i].rc == 0, "caller %d: status %d", i, calls[i].rc);
        compare_fft(calls[i].kind, calls[i].n, 1.0, calls[i].x, calls[i].y, "threads");
        xp_array_free(calls[i].x);
        xp_array_free(calls[i].y);
    }
}
END_TEST

static void expect_error(int rc, const char *fn)
{
    ck_assert_msg(rc != 0, "%s: expected an error", fn);
    ck_assert_msg(strstr(xp_errmsg(), fn) != NULL, "message '%s' does not name %s",
                  xp_errmsg(), fn);
}

START_TEST(test_fft_errors)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t rs[2] = { 2, 8 }, cs[2] = { 2, 5 }, c8[2] = { 2, 8 }, bad[2] = { 3, 5 };
    xp_array *r64 = zeros(p, XP_FLOAT64, 2, rs), *c128 = zeros(p, XP_COMPLEX128, 2, cs);
    xp_array *c64 = zeros(p, XP_COMPLEX64, 2, cs), *cb = zeros(p, XP_COMPLEX128, 2, bad);
    xp_array *cc = zeros(p, XP_COMPLEX128, 2, c8), *cc64 = zeros(p, XP_COMPLEX64, 2, c8);

    XPT_OK(xp__fft(XP_FFT_R2C, 8, 1.0, r64, c128));
    expect_error(xp__fft(XP_FFT_R2C, 8, 1.0, r64, c64), "fft");      /* precision */
    expect_error(xp__fft(XP_FFT_R2C, 8, 1.0, c128, c128), "fft");    /* complex x */
    expect_error(xp__fft(XP_FFT_R2C, 8, 1.0, r64, cb), "fft");       /* batch */
    expect_error(xp__fft(XP_FFT_R2C, 10, 1.0, r64, c128), "fft");    /* y length */
    expect_error(xp__fft(XP_FFT_R2C, 0, 1.0, r64, c128), "fft");     /* n */
    expect_error(xp__fft(XP_FFT_C2R, 8, 1.0, c128, c128), "fft");    /* y complex */
    expect_error(xp__fft(XP_FFT_C2C_FORWARD, 8, 1.0, cc, cc64), "fft");
    expect_error(xp__fft(XP_FFT_C2C_BACKWARD, 8, 1.0, r64, cc), "fft");
    expect_error(xp__fft((xp_fft_kind)7, 8, 1.0, cc, cc), "fft");
    xp_array *all[] = { r64, c128, c64, cb, cc, cc64 };
    for (int i = 0; i < 6; i++)
        xp_array_free(all[i]);
}
END_TEST

/* Every allocation made to fail in turn: ENOMEM or success, no leak. */
START_TEST(test_fft_faults)
{
    const xp_provider *p = xpt_provider(_i);
    (void)xp_provider_set_threads(p, 2);
    for (int ki = 0; ki < 4; ki++) {
        xp_fft_kind kind = kinds[ki];
        int64_t n = 77, len = nin_of(kind, n), nout = nout_of(kind, n);
        xp_dtype dx, dy;
        fft_dtypes(kind, 0, &dx, &dy);
        int64_t xs[2] = { 700, len + 2 }, ys[2] = { 700, nout };
        xp_array *xb = random_array(p, dx, 2, xs, 77u), *y = zeros(p, dy, 2, ys), *x;
        XPT_OK(xp__view_slice(xb, 1, len + 1, len, -1, &x));
        int rc = -1;
        for (long k = 1; k < 10000 && rc != 0; k++) {
            xp__fault_set(k);
            rc = xp__fft(kind, n, 0.5, x, y);
            xp__fault_set(0);
            ck_assert_msg(rc == 0 || rc == XP_ENOMEM, "fault %ld: status %d (%s)", k,
                          rc, xp_errmsg());
        }
        ck_assert_int_eq(rc, 0);
        compare_fft(kind, n, 0.5, x, y, "after faults");
        xp_array_free(x);
        xp_array_free(xb);
        xp_array_free(y);
    }
}
END_TEST

/* --------------------------------------------------------------- gemm */

static const xp_dtype all_dtypes[] = { XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64,
                                       XP_COMPLEX128 };

/* An r x c matrix with random values stored in one of three ways:
 * 0 C order, 1 column-major (transposed view), 2 negative and non-unit
 * strides (copied by the op).  Arrays to free go to keep[0..2]. */
static xp_array *make_mat(const xp_provider *p, xp_dtype dt, int64_t r, int64_t c,
                          int how, unsigned seed, xp_array **keep)
{
    keep[0] = keep[1] = keep[2] = NULL;
    if (how == 0) {
        int64_t s[2] = { r, c };
        return keep[0] = random_array(p, dt, 2, s, seed);
    }
    if (how == 1) {
        int64_t s[2] = { c, r }, vs[2] = { r, c }, vst[2] = { 1, r };
        keep[0] = random_array(p, dt, 2, s, seed);
        XPT_OK(xp__view(keep[0], 2, vs, vst, 0, &keep[1]));
        return keep[1];
    }
    int64_t s[2] = { r, 2 * c + 1 };
    keep[0] = random_array(p, dt, 2, s, seed);
    XPT_OK(xp__view_slice(keep[0], 1, 2 * c, c, -2, &keep[1]));
    XPT_OK(xp__view_flip(keep[1], 0, &keep[2]));
    return keep[2];
}

/* op(M)[i][j] from M's values v (r x c, C order, pairs if complex). */
static void op_at(const double *v, int64_t c, int cplx, char t, int64_t i, int64_t j,
                  long double *re, long double *im)
{
    int64_t idx = t == 'N' ? i * c + j : j * c + i;
    if (cplx) {
        *re = v[2 * idx];
        *im = t == 'C' ? -v[2 * idx + 1] : v[2 * idx + 1];
    } else {
        *re = v[idx];
        *im = 0;
    }
}

static void check_gemm(const xp_provider *p, xp_dtype dt, char ta, char tb, int ha,
                       int hb, int hc)
{
    int64_t m = 3, n = 4, k = 5;
    int cplx = xp_dtype_is_complex(dt);
    int64_t ar = ta == 'N' ? m : k, ac = ta == 'N' ? k : m;
    int64_t br = tb == 'N' ? k : n, bc = tb == 'N' ? n : k;
    xp_array *ka[3], *kb[3], *kc[3];
    xp_array *A = make_mat(p, dt, ar, ac, ha, 1u, ka);
    xp_array *B = make_mat(p, dt, br, bc, hb, 2u, kb);
    xp_array *C = make_mat(p, dt, m, n, hc, 3u, kc);
    double alr = 0.7, ali = cplx ? 0.3 : 0, ber = -0.4, bei = cplx ? 0.2 : 0;
    double *av = xpt_values(A), *bv = xpt_values(B), *c0 = xpt_values(C);
    XPT_OK(xp__gemm(ta, tb, alr, ali, A, B, ber, bei, C));
    double *cv = xpt_values(C);
    double ref[2 * 3 * 4];
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            long double sr = 0, si = 0, xr, xi, yr, yi;
            for (int64_t l = 0; l < k; l++) {
                op_at(av, ac, cplx, ta, i, l, &xr, &xi);
                op_at(bv, bc, cplx, tb, l, j, &yr, &yi);
                sr += xr * yr - xi * yi;
                si += xr * yi + xi * yr;
            }
            long double cr, ci;
            op_at(c0, n, cplx, 'N', i, j, &cr, &ci);
            long double rr = alr * sr - ali * si + ber * cr - bei * ci;
            long double ri = alr * si + ali * sr + ber * ci + bei * cr;
            if (cplx) {
                ref[2 * (i * n + j)] = (double)rr;
                ref[2 * (i * n + j) + 1] = (double)ri;
            } else {
                ref[i * n + j] = (double)rr;
            }
        }
    double err = xpt_rel_err(cv, ref, m * n * (cplx ? 2 : 1));
    double tol = (dt == XP_FLOAT32 || dt == XP_COMPLEX64) ? 1e-5 : 1e-12;
    ck_assert_msg(err < tol, "%s gemm %s %c%c layouts %d%d%d: error %g",
                  xp_provider_name(p), xp_dtype_name(dt), ta, tb, ha, hb, hc, err);
    free(av);
    free(bv);
    free(c0);
    free(cv);
    for (int i = 2; i >= 0; i--) {
        xp_array_free(ka[i]);
        xp_array_free(kb[i]);
        xp_array_free(kc[i]);
    }
}

START_TEST(test_gemm)
{
    const xp_provider *p = xpt_provider(_i);
    static const char ops[] = "NTC";
    for (int d = 0; d < 4; d++)
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                for (int h = 0; h < 27; h++)
                    check_gemm(p, all_dtypes[d], ops[a], ops[b], h % 3, h / 3 % 3, h / 9);
}
END_TEST

/* k = 0 leaves C = beta C; m = 0 or n = 0 do nothing. */
START_TEST(test_gemm_empty)
{
    const xp_provider *p = xpt_provider(_i);
    for (int d = 0; d < 4; d++) {
        xp_dtype dt = all_dtypes[d];
        int cplx = xp_dtype_is_complex(dt);
        int64_t sa[2] = { 3, 0 }, sb[2] = { 0, 4 }, sc[2] = { 3, 4 };
        xp_array *A = zeros(p, dt, 2, sa), *B = zeros(p, dt, 2, sb);
        xp_array *C = random_array(p, dt, 2, sc, 5u);
        double *c0 = xpt_values(C);
        XPT_OK(xp__gemm('N', 'N', 1.0, 0, A, B, 0.5, 0, C));
        double *c1 = xpt_values(C);
        for (int i = 0; i < 12 * (cplx ? 2 : 1); i++)
            ck_assert_msg(fabs(c1[i] - 0.5 * c0[i]) < 1e-6, "%s k=0: C[%d] %g vs %g",
                          xp_dtype_name(dt), i, c1[i], 0.5 * c0[i]);
        free(c0);
        free(c1);
        xp_array_free(A);
        xp_array_free(B);
        xp_array_free(C);

        int64_t s0[2] = { 0, 2 }, s2[2] = { 2, 4 }, sc0[2] = { 0, 4 };
        A = zeros(p, dt, 2, s0);
        B = zeros(p, dt, 2, s2);
        C = zeros(p, dt, 2, sc0);
        XPT_OK(xp__gemm('N', 'N', 1.0, 0, A, B, 0.5, 0, C));
        xp_array_free(A);
        xp_array_free(B);
        xp_array_free(C);
    }
}
END_TEST

START_TEST(test_gemm_errors)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t s23[2] = { 2, 3 }, s34[2] = { 3, 4 }, s24[2] = { 2, 4 }, s44[2] = { 4, 4 };
    xp_array *A = zeros(p, XP_FLOAT64, 2, s23), *B = zeros(p, XP_FLOAT64, 2, s34);
    xp_array *C = zeros(p, XP_FLOAT64, 2, s24), *D = zeros(p, XP_FLOAT64, 2, s44);
    xp_array *Cf = zeros(p, XP_FLOAT32, 2, s24);
    XPT_OK(xp__gemm('N', 'N', 1, 0, A, B, 0, 0, C));
    expect_error(xp__gemm('T', 'N', 1, 0, A, B, 0, 0, C), "gemm");   /* inner */
    expect_error(xp__gemm('N', 'N', 1, 0, A, B, 0, 0, D), "gemm");   /* C shape */
    expect_error(xp__gemm('N', 'N', 1, 0, A, B, 0, 0, Cf), "gemm");  /* dtype */
    expect_error(xp__gemm('X', 'N', 1, 0, A, B, 0, 0, C), "gemm");   /* op */
    expect_error(xp__gemm('N', 'N', 1, 1, A, B, 0, 0, C), "gemm");   /* complex alpha */
    xp_array *all[] = { A, B, C, D, Cf };
    for (int i = 0; i < 5; i++)
        xp_array_free(all[i]);
}
END_TEST

START_TEST(test_gemm_faults)
{
    const xp_provider *p = xpt_provider(_i);
    xp_array *ka[3], *kb[3], *kc[3];
    xp_array *A = make_mat(p, XP_COMPLEX128, 3, 5, 2, 1u, ka);
    xp_array *B = make_mat(p, XP_COMPLEX128, 4, 5, 2, 2u, kb);
    xp_array *C = make_mat(p, XP_COMPLEX128, 3, 4, 2, 3u, kc);
    int rc = -1;
    for (long k = 1; k < 1000 && rc != 0; k++) {
        xp__fault_set(k);
        rc = xp__gemm('N', 'C', 1, 0, A, B, 0.5, 0, C);
        xp__fault_set(0);
        ck_assert_msg(rc == 0 || rc == XP_ENOMEM, "fault %ld: status %d (%s)", k, rc,
                      xp_errmsg());
    }
    ck_assert_int_eq(rc, 0);
    for (int i = 2; i >= 0; i--) {
        xp_array_free(ka[i]);
        xp_array_free(kb[i]);
        xp_array_free(kc[i]);
    }
}
END_TEST

/* ------------------------------------------------- segment_spectra */

/* The fused segment transform, where a provider has it, against the
 * reference DFT of each segment detrended and windowed here: real to
 * one-sided and two-sided, complex, float32, every detrend, a transposed
 * X; then its argument checks. */
START_TEST(test_segment_spectra)
{
    const xp_provider *p = xpt_provider(_i);
    if (!xp__has_segment_spectra(p))
        return;
    enum { R = 2, N = 70, L = 16, STEP = 6, NSEG = 9, NFFT = 20 };
    struct { xp_dtype dt; int onesided; } cases[] = {
        {XP_FLOAT64, 1}, {XP_FLOAT64, 0}, {XP_COMPLEX128, 0}, {XP_FLOAT32, 1}};
    double w[L], xv[2 * R * N];
    for (int i = 0; i < L; i++)
        w[i] = 0.5 + 0.25 * sin(0.3 * i);
    xpt_random(xv, 2 * R * N, 17);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (int det = 0; det < 3; det++)
            for (int transposed = 0; transposed < 2; transposed++) {
                xp_dtype dt = cases[c].dt, cdt = xp_dtype_complex(dt);
                int cplx = xp_dtype_is_complex(dt), os = cases[c].onesided;
                int64_t nf = os ? NFFT / 2 + 1 : NFFT, xs[2] = {R, N}, wl = L;
                int64_t full[3] = {R, transposed ? nf : NSEG, transposed ? NSEG : nf};
                int64_t vs[3] = {R, NSEG, nf}, vst[3] = {NSEG * nf, transposed ? 1 : nf,
                                                         transposed ? NSEG : 1};
                xp_array *x = xpt_array(p, dt, 2, xs, xv), *wa = xpt_array(p, xp_dtype_real(dt),
                                                                          1, &wl, w);
                xp_array *Xb = NULL, *X = NULL;
                XPT_OK(xp_array_empty(p, cdt, 3, full, &Xb));
                XPT_OK(xp__view(Xb, 3, vs, vst, 0, &X));
                xp_welch_desc d = {sizeof d, L, STEP, NSEG, NFFT, det, os};
                XPT_OK(xp__segment_spectra(&d, x, wa, X));
                int64_t n;
                double *got = xpt_get(X, &n), err = 0, big = 0;
                for (int64_t r = 0; r < R; r++)
                    for (int64_t k = 0; k < NSEG; k++) {
                        /* the segment, as complex pairs, detrended, windowed */
                        double seg[2 * L], want[2 * NFFT];
                        for (int part = 0; part < 2; part++) {
                            double s = 0, t = 0, mid = (L - 1) / 2.0;
                            for (int i = 0; i < L; i++) {
                                double v = cplx ? xv[2 * (r * N + k * STEP + i) + part]
                                                : part ? 0 : xv[r * N + k * STEP + i];
                                if (dt == XP_FLOAT32)
                                    v = (float)v;
                                seg[2 * i + part] = v;
                                s += v;
                                t += (i - mid) * v;
                            }
                            double m = det ? s / L : 0;
                            double b = det == 2 ? t / (L * ((double)L * L - 1) / 12.0) : 0;
                            for (int i = 0; i < L; i++)
                                seg[2 * i + part] = (seg[2 * i + part] - m - b * (i - mid)) * w[i];
                        }
                        ref_row(XP_FFT_C2C_FORWARD, NFFT, seg, L, 1.0, want);
                        for (int64_t f = 0; f < nf; f++)
                            for (int part = 0; part < 2; part++) {
                                double g = got[2 * ((r * NSEG + k) * nf + f) + part];
                                double e = fabs(g - want[2 * f + part]);
                                err = e > err ? e : err;
                                big = fabs(want[2 * f + part]) > big ? fabs(want[2 * f + part])
                                                                     : big;
                            }
                    }
                double tol = dt == XP_FLOAT32 ? 1e-5 : 1e-13;
                ck_assert_msg(err <= tol * big, "%s onesided %d detrend %d transposed %d: "
                              "error %g of %g", xp_dtype_name(dt), os, det, transposed, err, big);
                free(got);
                xp_array_free(X);
                xp_array_free(Xb);
                xp_array_free(wa);
                xp_array_free(x);
            }

    /* argument checks, each naming the slot and what is wrong */
    int64_t xs[2] = {R, N}, wl = L, good[3] = {R, NSEG, NFFT / 2 + 1}, bad[3] = {R, NSEG, 5};
    xp_array *x = NULL, *xc = NULL, *wa = NULL, *X = NULL, *Xbad = NULL, *Xreal = NULL;
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 2, xs, &x));
    XPT_OK(xp_array_empty(p, XP_COMPLEX128, 2, xs, &xc));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &wl, &wa));
    XPT_OK(xp_array_empty(p, XP_COMPLEX128, 3, good, &X));
    XPT_OK(xp_array_empty(p, XP_COMPLEX128, 3, bad, &Xbad));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 3, good, &Xreal));
    XPT_OK(xp__fill(wa, 1, 0));
    XPT_OK(xp__fill(x, 1, 0));
    xp_welch_desc d = {sizeof d, L, STEP, NSEG, NFFT, 1, 1};
    ck_assert_int_eq(xp__segment_spectra(&d, x, wa, Xbad), XP_ESHAPE);
    xpt_msg_has("X", "segment_spectra", "must be [2, 9, 11] complex128", NULL);
    ck_assert_int_eq(xp__segment_spectra(&d, x, wa, Xreal), XP_ESHAPE);
    xpt_msg_has("segment_spectra", "complex128", NULL);
    ck_assert_int_eq(xp__segment_spectra(&d, xc, wa, X), XP_EINVAL);
    xpt_msg_has("segment_spectra", "complex input needs onesided = 0", NULL);
    d.nseg = NSEG + 2;
    ck_assert_int_eq(xp__segment_spectra(&d, x, wa, X), XP_ESHAPE);
    xpt_msg_has("segment_spectra", "11 segments do not fit in 70 samples", NULL);
    d.nseg = NSEG;
    d.size = sizeof d + 8;
    ck_assert_int_eq(xp__segment_spectra(&d, x, wa, X), XP_EINVAL);
    xpt_msg_has("segment_spectra", "invalid descriptor", NULL);
    d.size = sizeof d;
    d.nperseg = L - 1;
    ck_assert_int_eq(xp__segment_spectra(&d, x, wa, X), XP_ESHAPE);
    xpt_msg_has("segment_spectra", "w must be [nperseg]", NULL);
    xp_array *tmp[] = {x, xc, wa, X, Xbad, Xreal};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("host_fft");
    TCase *tc = tcase_create("fft");
    int np = xpt_nproviders();
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_fft_dft, 0, np);
    tcase_add_loop_test(tc, test_fft_strided, 0, np);
    tcase_add_loop_test(tc, test_fft_transposed, 0, np);
    tcase_add_loop_test(tc, test_fft_blocks, 0, np);
    tcase_add_loop_test(tc, test_fft_empty, 0, np);
    tcase_add_loop_test(tc, test_fft_roundtrip, 0, np);
    tcase_add_loop_test(tc, test_fft_measure, 0, np);
    tcase_add_loop_test(tc, test_fft_threads, 0, np);
    tcase_add_loop_test(tc, test_fft_errors, 0, np);
    tcase_add_loop_test(tc, test_fft_faults, 0, np);
    tcase_add_loop_test(tc, test_segment_spectra, 0, np);
    suite_add_tcase(s, tc);
    TCase *tg = tcase_create("gemm");
    tcase_set_timeout(tg, 120);
    tcase_add_loop_test(tg, test_gemm, 0, np);
    tcase_add_loop_test(tg, test_gemm_empty, 0, np);
    tcase_add_loop_test(tg, test_gemm_errors, 0, np);
    tcase_add_loop_test(tg, test_gemm_faults, 0, np);
    suite_add_tcase(s, tg);
    return s;
}

int main(void)
{
    return xpt_run(suite());
}
