/*
 * check_filter_bad.c -- bad input to lfilter, sosfilt, their zi, filtfilt
 * and sosfiltfilt, and every allocation failing in turn, on every provider.
 *
 * Each bad call must return the right status with a message that names the
 * argument and its value, set the outputs to NULL, leave the inputs as they
 * were and hold no provider memory afterwards.  (Host-side leaks on these
 * paths are for LeakSanitizer: configure with CFLAGS=-fsanitize=address.)
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filter_common.h"

static const double *B4 = xft_butter4_b, *A4 = xft_butter4_a;
#define SOS4 (&xft_butter4_sos[0][0])

/* The state a bad call must leave behind. */
typedef struct {
    const xp_provider *p;
    int64_t live;
    const xp_array *in[3];
    xp_array *copy[3];
} guard;

static void guard_begin(guard *g, const xp_provider *p, const xp_array *a, const xp_array *b,
                        const xp_array *c)
{
    memset(g, 0, sizeof *g);
    g->p = p;
    g->in[0] = a;
    g->in[1] = b;
    g->in[2] = c;
    for (int i = 0; i < 3; i++)
        g->copy[i] = g->in[i] ? xft_copy(g->in[i]) : NULL;
    g->live = xpt_live(p);
}

/* rc is want, the message has every needle, outputs NULL, inputs intact,
 * no provider memory held. */
static void guard_end(guard *g, const char *what, int rc, int want, xp_array *y,
                      xp_array *zf, ...)
{
    ck_assert_msg(rc == want, "%s: status %d, want %d (%s)", what, rc, want, xp_errmsg());
    va_list ap;
    va_start(ap, zf);
    for (const char *needle; (needle = va_arg(ap, const char *));)
        ck_assert_msg(strstr(xp_errmsg(), needle) != NULL, "%s: message \"%s\" lacks \"%s\"",
                      what, xp_errmsg(), needle);
    va_end(ap);
    ck_assert_msg(y == NULL && zf == NULL, "%s: an output was left set", what);
    ck_assert_msg(xpt_live(g->p) == g->live, "%s: %lld provider allocations leaked", what,
                  (long long)(xpt_live(g->p) - g->live));
    for (int i = 0; i < 3; i++)
        if (g->in[i]) {
            ck_assert_msg(xpt_same(g->in[i], g->copy[i]), "%s: input %d was changed", what, i);
            xp_array_free(g->copy[i]);
        }
}

/* y and zf start as garbage so that the NULL check means something. */
#define JUNK ((xp_array *)(uintptr_t)0x10)

/* ---- unstable a: runs (no stability check, as SciPy) -------------------- */

/* SciPy filters with poles outside the unit circle and lets the output
 * grow; so do we (tests/golden/filter.txt has such cases against SciPy's
 * numbers).  Here: it runs, the output grows, stays finite, and filtfilt
 * runs too. */
START_TEST(test_unstable)
{
    const xp_provider *p = xpt_provider(_i);
    double b[2] = {1.0, 0.5}, a[3] = {1.0, -2.5, 1.0};     /* poles 2 and 0.5 */
    int64_t n = 60;
    xp_array *x = xft_input(p, XP_FLOAT64, 1, &n, 71, 1.0, 0.0), *y = NULL;
    XPT_OK(xps_lfilter(b, 2, a, 3, x, -1, NULL, &y, NULL));
    int64_t nv;
    double *v = xpt_get(y, &nv);
    ck_assert(isfinite(v[n - 1]) && fabs(v[n - 1]) > 1e15);
    free(v);
    xp_array_free(y);
    xps_filtfilt_options opt;
    xps_filtfilt_options_init(&opt);
    opt.padlen = 3;
    XPT_OK(xps_filtfilt(b, 2, a, 3, x, &opt, &y));
    xp_array_free(y);
    double zi[2];
    XPT_OK(xps_lfilter_zi(b, 2, a, 3, zi));
    xp_array_free(x);
}
END_TEST

/* ---- coefficients -------------------------------------------------------- */

typedef struct {
    const char *what;
    const double *b, *a;
    int64_t nb, na;
    const char *n1, *n2;    /* message needles */
} badba;

START_TEST(test_bad_ba)
{
    const xp_provider *p = xpt_provider(_i);
    static const double a0[3] = {0.0, 1.0, 0.5}, bnan[3] = {1.0, NAN, 0.5};
    static const double ainf[3] = {1.0, 0.2, INFINITY}, aninf[2] = {1.0, -INFINITY};
    static const double one[1] = {1.0};
    badba cases[] = {
        {"a[0] == 0", B4, a0, 5, 3, "a[0]", "(0)"},
        {"empty b", B4, A4, 0, 5, "b is empty", "nb = 0"},
        {"empty a", B4, A4, 5, 0, "a is empty", "na = 0"},
        {"NULL b", NULL, A4, 5, 5, "b is NULL", "nb = 5"},
        {"NULL a", B4, NULL, 5, 3, "a is NULL", "na = 3"},
        {"negative nb", B4, A4, -2, 5, "b is empty", "nb = -2"},
        {"NaN b", bnan, one, 3, 1, "b[1]", "nan"},
        {"Inf a", B4, ainf, 5, 3, "a[2]", "inf"},
        {"-Inf a", B4, aninf, 5, 2, "a[1]", "-inf"},
    };
    int64_t shape[2] = {3, 40}, zs[2] = {3, 4};
    xp_array *x = xft_input(p, XP_FLOAT64, 2, shape, 81, 0.5, 0.0);
    xp_array *zi = xft_input(p, XP_FLOAT64, 2, zs, 82, 0.0, 0.0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const badba *c = &cases[i];
        guard g;
        xp_array *y = JUNK, *zf = JUNK;
        guard_begin(&g, p, x, zi, NULL);
        int rc = xps_lfilter(c->b, c->nb, c->a, c->na, x, -1, zi, &y, &zf);
        guard_end(&g, c->what, rc, XP_EINVAL, y, zf, "lfilter", c->n1, c->n2, NULL);
        for (int m = 0; m < 2; m++) {
            xps_filtfilt_options opt;
            xps_filtfilt_options_init(&opt);
            opt.method = (xps_filtfilt_method)m;
            y = JUNK;
            guard_begin(&g, p, x, NULL, NULL);
            rc = xps_filtfilt(c->b, c->nb, c->a, c->na, x, &opt, &y);
            guard_end(&g, c->what, rc, XP_EINVAL, y, NULL, "filtfilt", c->n1, c->n2, NULL);
        }
        double z[8] = {0};
        xp_clear_error();
        ck_assert_int_eq(xps_lfilter_zi(c->b, c->nb, c->a, c->na, z), XP_EINVAL);
        xpt_msg_has(c->what, "lfilter_zi", c->n1, c->n2, NULL);
    }
    xp_array_free(x);
    xp_array_free(zi);
}
END_TEST

START_TEST(test_bad_sos)
{
    const xp_provider *p = xpt_provider(_i);
    double s0[12], snan[12], sinf[12];
    memcpy(s0, SOS4, sizeof s0);
    memcpy(snan, SOS4, sizeof snan);
    memcpy(sinf, SOS4, sizeof sinf);
    s0[9] = 0.0;            /* sos[1][3]: a0 of the second section */
    snan[4] = NAN;          /* sos[0][4] */
    sinf[8] = -INFINITY;    /* sos[1][2] */
    struct {
        const char *what;
        const double *sos;
        int64_t nsec;
        const char *n1, *n2;
    } cases[] = {
        {"a0 == 0", s0, 2, "sos[1][3]", "(0)"},
        {"no sections", SOS4, 0, "no sections", "nsec 0"},
        {"NULL sos", NULL, 2, "sos", "NULL"},
        {"NaN", snan, 2, "sos[0][4]", "nan"},
        {"-Inf", sinf, 2, "sos[1][2]", "-inf"},
    };
    int64_t shape[2] = {40, 3}, zs[3] = {2, 2, 3};
    xp_array *x = xft_input(p, XP_FLOAT64, 2, shape, 83, 0.5, 0.0);
    xp_array *zi = xft_input(p, XP_FLOAT64, 3, zs, 84, 0.0, 0.0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        guard g;
        xp_array *y = JUNK, *zf = JUNK;
        guard_begin(&g, p, x, zi, NULL);
        int rc = xps_sosfilt(cases[i].sos, cases[i].nsec, x, 0, zi, &y, &zf);
        guard_end(&g, cases[i].what, rc, XP_EINVAL, y, zf, "sosfilt", cases[i].n1,
                  cases[i].n2, NULL);
        xps_filtfilt_options opt;
        xps_filtfilt_options_init(&opt);
        opt.axis = 0;
        y = JUNK;
        guard_begin(&g, p, x, NULL, NULL);
        rc = xps_sosfiltfilt(cases[i].sos, cases[i].nsec, x, &opt, &y);
        guard_end(&g, cases[i].what, rc, XP_EINVAL, y, NULL, "sosfiltfilt", cases[i].n1,
                  cases[i].n2, NULL);
        double z[8];
        ck_assert_int_eq(xps_sosfilt_zi(cases[i].sos, cases[i].nsec, z), XP_EINVAL);
        xpt_msg_has(cases[i].what, "sosfilt_zi", cases[i].n1, cases[i].n2, NULL);
    }
    /* a0 = 2: SciPy's sosfilt and sosfiltfilt refuse it ("sos[:, 3] should
     * be all ones"); its sosfilt_zi divides by it */
    double s2[12], z[8];
    memcpy(s2, SOS4, sizeof s2);
    s2[9] = 2.0;
    guard g;
    xp_array *y = JUNK, *zf = JUNK;
    guard_begin(&g, p, x, zi, NULL);
    int rc = xps_sosfilt(s2, 2, x, 0, zi, &y, &zf);
    guard_end(&g, "a0 == 2", rc, XP_EINVAL, y, zf, "sosfilt", "sos[1][3]", "(2)", "must be 1",
              NULL);
    xps_filtfilt_options opt;
    xps_filtfilt_options_init(&opt);
    opt.axis = 0;
    y = JUNK;
    guard_begin(&g, p, x, NULL, NULL);
    rc = xps_sosfiltfilt(s2, 2, x, &opt, &y);
    guard_end(&g, "a0 == 2", rc, XP_EINVAL, y, NULL, "sosfiltfilt", "sos[1][3]", "(2)",
              "must be 1", NULL);
    XPT_OK(xps_sosfilt_zi(s2, 2, z));
    xp_array_free(x);
    xp_array_free(zi);
}
END_TEST

/* ---- padlen against the signal's length --------------------------------- */

START_TEST(test_padlen)
{
    const xp_provider *p = xpt_provider(_i);
    /* SciPy: "The length of the input vector x must be greater than padlen,
     * which is N."; ours names the axis length, padlen and its value. */
    struct {
        int64_t n, padlen;
        xps_padtype padtype;
        const char *len, *val;
    } cases[] = {
        {10, 10, XPS_PAD_ODD, "(10)", "padlen, which is 10"},
        {10, 25, XPS_PAD_EVEN, "(10)", "padlen, which is 25"},
        {15, -1, XPS_PAD_ODD, "(15)", "padlen, which is 15"},      /* 3 * 5 taps */
        {12, -1, XPS_PAD_CONSTANT, "(12)", "padlen, which is 15"},
        {0, -1, XPS_PAD_NONE, "(0)", "padlen, which is 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t shape[2] = {2, cases[i].n};
        xp_array *x = xft_input(p, XP_FLOAT32, 2, shape, 85, 0.0, 0.0), *y = JUNK;
        xps_filtfilt_options opt;
        xps_filtfilt_options_init(&opt);
        opt.padlen = cases[i].padlen;
        opt.padtype = cases[i].padtype;
        guard g;
        guard_begin(&g, p, x, NULL, NULL);
        int rc = xps_filtfilt(B4, 5, A4, 5, x, &opt, &y);
        guard_end(&g, "filtfilt padlen", rc, XP_EINVAL, y, NULL, "filtfilt", cases[i].len,
                  cases[i].val, NULL);
        y = JUNK;
        guard_begin(&g, p, x, NULL, NULL);
        rc = xps_sosfiltfilt(SOS4, 2, x, &opt, &y);    /* 2 sections: 5 taps too */
        guard_end(&g, "sosfiltfilt padlen", rc, XP_EINVAL, y, NULL, "sosfiltfilt",
                  cases[i].len, cases[i].val, NULL);
        xp_array_free(x);
    }
    /* one more sample is enough */
    int64_t n = 16;
    xp_array *x = xft_input(p, XP_FLOAT64, 1, &n, 86, 0.0, 0.0), *y = NULL;
    xps_filtfilt_options opt;
    xps_filtfilt_options_init(&opt);
    XPT_OK(xps_filtfilt(B4, 5, A4, 5, x, &opt, &y));
    xp_array_free(y);
    XPT_OK(xps_sosfiltfilt(SOS4, 2, x, &opt, &y));
    xp_array_free(y);
    xp_array_free(x);
}
END_TEST

/* ---- zi: shape, provider, dtype ----------------------------------------- */

START_TEST(test_bad_zi)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {3, 40};
    xp_array *x = xft_input(p, XP_FLOAT64, 2, shape, 87, 0.5, 0.0);
    struct {
        int ndim;
        int64_t shape[3];
        int sos;
        const char *n1, *n2;
    } cases[] = {
        {2, {3, 5}, 0, "zi has 5 along dimension 1", "expected 4"},
        {2, {2, 4}, 0, "zi has 2 along dimension 0", "expected 3"},
        {1, {4}, 0, "zi has 1 dimensions", "expected 2"},
        {3, {1, 3, 4}, 0, "zi has 3 dimensions", "expected 2"},
        {3, {3, 3, 2}, 1, "zi has 3 sections", "sos 2"},
        {3, {2, 3, 3}, 1, "zi has 3 along dimension 2", "expected 2"},
        {3, {2, 2, 2}, 1, "zi has 2 along dimension 1", "expected 3"},
        {2, {3, 2}, 1, "zi has 2 dimensions", "expected 3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xp_array *zi = xft_input(p, XP_FLOAT64, cases[i].ndim, cases[i].shape, 88, 0, 0);
        xp_array *y = JUNK, *zf = JUNK;
        guard g;
        guard_begin(&g, p, x, zi, NULL);
        int rc = cases[i].sos ? xps_sosfilt(SOS4, 2, x, -1, zi, &y, &zf)
                              : xps_lfilter(B4, 5, A4, 5, x, -1, zi, &y, &zf);
        guard_end(&g, cases[i].n1, rc, XP_ESHAPE, y, zf, cases[i].n1, cases[i].n2, NULL);
        xp_array_free(zi);
    }
    /* zi on another provider: an error, never a silent copy */
    for (int k = 0; k < xpt_nproviders(); k++) {
        const xp_provider *q = xpt_provider(k);
        if (q == p)
            continue;
        int64_t zs[2] = {3, 4}, ss[3] = {2, 3, 2};
        xp_array *zi = xft_input(q, XP_FLOAT64, 2, zs, 89, 0, 0);
        xp_array *szi = xft_input(q, XP_FLOAT64, 3, ss, 89, 0, 0);
        xp_array *y = JUNK, *zf = JUNK;
        guard g;
        guard_begin(&g, p, x, NULL, NULL);
        int64_t qlive = xpt_live(q);
        int rc = xps_lfilter(B4, 5, A4, 5, x, -1, zi, &y, &zf);
        guard_end(&g, "zi elsewhere", rc, XP_EDEVICE, y, zf, "lfilter", "zi",
                  xp_provider_name(q), xp_provider_name(p), NULL);
        y = zf = JUNK;
        guard_begin(&g, p, x, NULL, NULL);
        rc = xps_sosfilt(SOS4, 2, x, -1, szi, &y, &zf);
        guard_end(&g, "sos zi elsewhere", rc, XP_EDEVICE, y, zf, "sosfilt", "zi",
                  xp_provider_name(q), xp_provider_name(p), NULL);
        ck_assert_int_eq(xpt_live(q), qlive);
        xp_array_free(zi);
        xp_array_free(szi);
    }
    /* a complex zi with a real x: SciPy would give a complex y; we keep
     * x's dtype, so this is an error rather than a dropped imaginary part */
    int64_t zs[2] = {3, 4};
    xp_array *zc = xft_input(p, XP_COMPLEX128, 2, zs, 90, 0, 0), *y = JUNK, *zf = JUNK;
    guard g;
    guard_begin(&g, p, x, zc, NULL);
    int rc = xps_lfilter(B4, 5, A4, 5, x, -1, zc, &y, &zf);
    guard_end(&g, "complex zi", rc, XP_EDTYPE, y, zf, "lfilter", "zi", "complex128",
              "float64", NULL);
    xp_array_free(zc);
    /* a float32 zi with float64 x is cast (as SciPy's result_type would) */
    xp_array *z32 = xft_input(p, XP_FLOAT32, 2, zs, 91, 0, 0), *z64 = NULL, *y2 = NULL, *zf2 = NULL;
    XPT_OK(xp_array_astype(z32, XP_FLOAT64, &z64));
    XPT_OK(xps_lfilter(B4, 5, A4, 5, x, -1, z32, &y, &zf));
    XPT_OK(xps_lfilter(B4, 5, A4, 5, x, -1, z64, &y2, &zf2));
    ck_assert(xpt_same(y, y2) && xpt_same(zf, zf2));
    ck_assert_int_eq(xp_array_dtype(zf), XP_FLOAT64);
    xp_array *all[] = {z32, z64, y, zf, y2, zf2, x};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}
END_TEST

/* ---- options, axis, NULL arguments -------------------------------------- */

START_TEST(test_bad_options)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {3, 40};
    xp_array *x = xft_input(p, XP_FLOAT64, 2, shape, 92, 0.5, 0.0);
    struct {
        const char *field;
        int64_t value;
        int rc;
        const char *n1, *n2;
        int sos_only;
    } cases[] = {
        {"size", 8, XP_EINVAL, "options.size (8)", "xps_filtfilt_options_init", 0},
        {"padtype", 7, XP_EINVAL, "padtype (7)", "odd", 0},
        {"padtype", -1, XP_EINVAL, "padtype (-1)", "odd", 0},
        {"padlen", -2, XP_EINVAL, "padlen (-2)", ">= 0", 0},
        {"method", 2, XP_EINVAL, "method (2)", "gust", 0},
        {"irlen", 0, XP_EINVAL, "irlen (0)", "positive", 0},
        {"irlen", -5, XP_EINVAL, "irlen (-5)", "positive", 0},
        {"axis", 2, XP_ESHAPE, "axis", "2", 0},
        {"axis", -3, XP_ESHAPE, "axis", "-3", 0},
        {"method", XPS_FILTFILT_GUST, XP_EINVAL, "sosfiltfilt", "method must be pad", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int sos = 0; sos < 2; sos++) {
            if (cases[i].sos_only && !sos)
                continue;
            xps_filtfilt_options opt;
            xps_filtfilt_options_init(&opt);
            const char *f = cases[i].field;
            if (!strcmp(f, "size"))
                opt.size = (size_t)cases[i].value;
            else if (!strcmp(f, "padtype"))
                opt.padtype = (xps_padtype)cases[i].value;
            else if (!strcmp(f, "padlen"))
                opt.padlen = cases[i].value;
            else if (!strcmp(f, "method"))
                opt.method = (xps_filtfilt_method)cases[i].value;
            else if (!strcmp(f, "irlen")) {
                opt.irlen = cases[i].value;
                opt.method = sos ? XPS_FILTFILT_PAD : XPS_FILTFILT_GUST;
            } else
                opt.axis = (int)cases[i].value;
            if (sos && !strcmp(f, "irlen"))
                continue;       /* sosfiltfilt has no irlen */
            xp_array *y = JUNK;
            guard g;
            guard_begin(&g, p, x, NULL, NULL);
            int rc = sos ? xps_sosfiltfilt(SOS4, 2, x, &opt, &y)
                         : xps_filtfilt(B4, 5, A4, 5, x, &opt, &y);
            guard_end(&g, f, rc, cases[i].rc, y, NULL, cases[i].n1, cases[i].n2, NULL);
        }
    /* as SciPy: irlen is read for gust only, padtype and padlen for pad only */
    for (int m = 0; m < 2; m++) {
        xps_filtfilt_options o, od;
        xps_filtfilt_options_init(&o);
        xps_filtfilt_options_init(&od);
        o.method = od.method = m ? XPS_FILTFILT_GUST : XPS_FILTFILT_PAD;
        if (m) {
            o.padtype = (xps_padtype)7;
            o.padlen = -2;
        } else {
            o.irlen = 0;
        }
        xp_array *y1 = NULL, *y2 = NULL;
        XPT_OK(xps_filtfilt(B4, 5, A4, 5, x, &o, &y1));
        XPT_OK(xps_filtfilt(B4, 5, A4, 5, x, &od, &y2));
        ck_assert_msg(xpt_same(y1, y2), "method %d: an unused option changed the result", m);
        xp_array_free(y1);
        xp_array_free(y2);
    }
    /* NULL arguments */
    xps_filtfilt_options opt;
    xps_filtfilt_options_init(&opt);
    xp_array *y = JUNK, *zf = JUNK;
    ck_assert_int_eq(xps_filtfilt(B4, 5, A4, 5, x, NULL, &y), XP_EINVAL);
    xpt_msg_has("NULL opt", "filtfilt", "options", NULL);
    ck_assert_ptr_null(y);
    ck_assert_int_eq(xps_filtfilt(B4, 5, A4, 5, NULL, &opt, &y), XP_EINVAL);
    xpt_msg_has("NULL x", "filtfilt", "x is NULL", NULL);
    ck_assert_int_eq(xps_sosfiltfilt(SOS4, 2, x, &opt, NULL), XP_EINVAL);
    xpt_msg_has("NULL y", "sosfiltfilt", "y is NULL", NULL);
    ck_assert_int_eq(xps_lfilter(B4, 5, A4, 5, NULL, -1, NULL, &y, &zf), XP_EINVAL);
    xpt_msg_has("NULL x", "lfilter", "x is NULL", NULL);
    ck_assert_ptr_null(y);
    ck_assert_ptr_null(zf);
    ck_assert_int_eq(xps_lfilter(B4, 5, A4, 5, x, 3, NULL, &y, NULL), XP_ESHAPE);
    xpt_msg_has("lfilter axis", "lfilter", "axis", "3", NULL);
    ck_assert_int_eq(xps_sosfilt(SOS4, 2, x, -3, NULL, &y, NULL), XP_ESHAPE);
    xpt_msg_has("sosfilt axis", "sosfilt", "axis", "-3", NULL);
    ck_assert_int_eq(xps_lfilter_zi(B4, 5, A4, 5, NULL), XP_EINVAL);
    xpt_msg_has("NULL zi", "lfilter_zi", "zi", NULL);
    ck_assert_int_eq(xps_sosfilt_zi(SOS4, 2, NULL), XP_EINVAL);
    xpt_msg_has("NULL zi", "sosfilt_zi", "zi", NULL);
    xps_filtfilt_options_init(NULL);        /* harmless */
    xp_array_free(x);
}
END_TEST

/* ---- options.size: older (shorter) and newer (longer) callers ------------ */

/* Options as a caller built against a newer header passes them. */
typedef struct {
    xps_filtfilt_options o;
    unsigned char newer[16];
} newer_options;

static int ff_run(int sos, const xp_array *x, const xps_filtfilt_options *o, xp_array **y)
{
    *y = JUNK;
    return sos ? xps_sosfiltfilt(SOS4, 2, x, o, y) : xps_filtfilt(B4, 5, A4, 5, x, o, y);
}

START_TEST(test_options_size)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {3, 40};
    xp_array *x = xft_input(p, XP_FLOAT64, 2, shape, 93, 0.5, 0.0);
    const char *fn[2] = {"filtfilt", "sosfiltfilt"};
    char msg[160];
    for (int sos = 0; sos < 2; sos++) {
        xps_filtfilt_options plain;
        xps_filtfilt_options_init(&plain);
        newer_options big;
        memset(&big, 0, sizeof big);
        xps_filtfilt_options_init(&big.o);
        big.o.size = sizeof big;
        xp_array *y0 = NULL, *y1 = NULL;
        XPT_OK(ff_run(sos, x, &plain, &y0));
        XPT_OK(ff_run(sos, x, &big.o, &y1));
        ck_assert_msg(xpt_same(y0, y1), "%s: newer options change the result", fn[sos]);
        xp_array_free(y0);
        xp_array_free(y1);

        guard g;
        big.newer[0] = 2;
        guard_begin(&g, p, x, NULL, NULL);
        int rc = ff_run(sos, x, &big.o, &y1);
        snprintf(msg, sizeof msg, "%s: options.size (%zu) is larger than this library's "
                 "xps_filtfilt_options (%zu) and sets fields it does not know", fn[sos],
                 sizeof big, sizeof big.o);
        guard_end(&g, "newer", rc, XP_EINVAL, y1, NULL, msg, NULL);

        /* the sized init: defaults, zeros in the newer caller's tail */
        memset(&big, 0xa5, sizeof big);
        XPT_OK(xps_filtfilt_options_init_sized(&big.o, sizeof big));
        ck_assert_uint_eq(big.o.size, sizeof big);
        for (size_t i = 0; i < sizeof big.newer; i++)
            ck_assert_uint_eq(big.newer[i], 0);
        XPT_OK(ff_run(sos, x, &big.o, &y1));
        XPT_OK(ff_run(sos, x, &plain, &y0));
        ck_assert_msg(xpt_same(y0, y1), "%s: sized init changes the result", fn[sos]);
        xp_array_free(y0);
        xp_array_free(y1);
        ck_assert_int_eq(xps_filtfilt_options_init_sized(&big.o, sizeof plain - 8), XP_EINVAL);
        xpt_msg_has("init_sized", "xps_filtfilt_options_init_sized: size (", "not the size",
                    NULL);

        plain.size = sizeof plain - 8;
        guard_begin(&g, p, x, NULL, NULL);
        rc = ff_run(sos, x, &plain, &y1);
        snprintf(msg, sizeof msg, "%s: options.size (%zu) is less than the first "
                 "version of xps_filtfilt_options (%zu bytes)", fn[sos], sizeof plain - 8, sizeof plain);
        guard_end(&g, "older", rc, XP_EINVAL, y1, NULL, msg, "xps_filtfilt_options_init",
                  NULL);
    }
    xp_array_free(x);
}
END_TEST

/* ---- every allocation failing in turn ------------------------------------ */

typedef enum { F_PAD, F_GUST, F_GUST_IRLEN, F_SOSFF, F_LFILTER, F_SOSFILT } fkind;

static int fcall_run(fkind k, const xp_array *x, const xp_array *zi, xp_array **y,
                     xp_array **zf)
{
    xps_filtfilt_options opt;
    xps_filtfilt_options_init(&opt);
    opt.axis = 0;
    switch (k) {
    case F_PAD:
        opt.padtype = XPS_PAD_EVEN;
        return xps_filtfilt(xft_cheby3band_b, 7, xft_cheby3band_a, 7, x, &opt, y);
    case F_GUST:
        opt.method = XPS_FILTFILT_GUST;
        return xps_filtfilt(B4, 5, A4, 5, x, &opt, y);
    case F_GUST_IRLEN:
        opt.method = XPS_FILTFILT_GUST;
        opt.irlen = 12;
        return xps_filtfilt(xft_cheby3band_b, 7, xft_cheby3band_a, 7, x, &opt, y);
    case F_SOSFF:
        return xps_sosfiltfilt(&xft_cheby3band_sos[0][0], 3, x, &opt, y);
    case F_LFILTER:
        return xps_lfilter(B4, 5, A4, 5, x, 0, zi, y, zf);
    case F_SOSFILT:
        return xps_sosfilt(SOS4, 2, x, 0, zi, y, zf);
    }
    return -1;
}

START_TEST(test_faults)
{
    const xp_provider *p = xpt_provider(_i);
    static const char *names[] = {"filtfilt pad", "filtfilt gust", "filtfilt gust irlen",
                                  "sosfiltfilt", "lfilter zi", "sosfilt zi"};
    xp_dtype dts[2] = {XP_FLOAT64, XP_COMPLEX64};
    for (int d = 0; d < 2; d++)
        for (int k = F_PAD; k <= F_SOSFILT; k++) {
            int64_t shape[3] = {64, 2, 3}, zl[3] = {4, 2, 3}, zs[4] = {2, 2, 2, 3};
            xp_array *x = xft_input(p, dts[d], 3, shape, 93, 0.5, 0.0), *zi = NULL;
            if (k == F_LFILTER)
                zi = xft_input(p, dts[d], 3, zl, 94, 0, 0);
            else if (k == F_SOSFILT)
                zi = xft_input(p, dts[d], 4, zs, 94, 0, 0);
            xp_array *want = NULL, *wantz = NULL;
            XPT_OK(fcall_run((fkind)k, x, zi, &want, zi ? &wantz : NULL));
            guard g;
            long f;
            for (f = 1; f < 5000; f++) {
                xp_array *y = JUNK, *zf = JUNK;
                guard_begin(&g, p, x, zi, NULL);
                xp__fault_set(f);
                int rc = fcall_run((fkind)k, x, zi, &y, zi ? &zf : NULL);
                long seen = xp__fault_seen();
                xp__fault_set(0);
                if (rc == XP_OK) {
                    ck_assert_msg(xpt_same(y, want), "%s: wrong after fault %ld", names[k], f);
                    if (zi)
                        ck_assert_msg(xpt_same(zf, wantz), "%s: zf wrong after fault %ld",
                                      names[k], f);
                    xp_array_free(y);
                    xp_array_free(zi ? zf : NULL);
                    for (int i = 0; i < 3; i++)
                        xp_array_free(g.copy[i]);
                    if (seen < f)
                        break;
                    continue;
                }
                if (!zi)
                    zf = NULL;
                guard_end(&g, names[k], rc, XP_ENOMEM, y, zf, NULL);
            }
            ck_assert_msg(f > 1 && f < 5000, "%s: %ld allocations", names[k], f);
            if (getenv("XFT_VERBOSE"))
                fprintf(stderr, "%s %s %s: %ld allocations\n", xp_provider_name(p),
                        xp_dtype_name(dts[d]), names[k], f - 1);
            xp_array_free(want);
            xp_array_free(wantz);
            xp_array_free(x);
            xp_array_free(zi);
        }
    /* the host-side steady states */
    double z[8], zw[8];
    XPT_OK(xps_sosfilt_zi(&xft_cheby3band_sos[0][0], 3, zw));
    long f;
    for (f = 1; f < 100; f++) {
        xp__fault_set(f);
        int rc = xps_sosfilt_zi(&xft_cheby3band_sos[0][0], 3, z);
        long seen = xp__fault_seen();
        xp__fault_set(0);
        ck_assert(rc == XP_OK || rc == XP_ENOMEM);
        if (rc == XP_OK && seen < f)
            break;
    }
    ck_assert(f > 1 && memcmp(z, zw, sizeof(double) * 6) == 0);
}
END_TEST

static Suite *bad_suite(void)
{
    Suite *s = suite_create("filter_bad");
    TCase *tc = tcase_create("bad");
    int np = xpt_nproviders();
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_unstable, 0, np);
    tcase_add_loop_test(tc, test_bad_ba, 0, np);
    tcase_add_loop_test(tc, test_bad_sos, 0, np);
    tcase_add_loop_test(tc, test_padlen, 0, np);
    tcase_add_loop_test(tc, test_bad_zi, 0, np);
    tcase_add_loop_test(tc, test_bad_options, 0, np);
    tcase_add_loop_test(tc, test_options_size, 0, np);
    tcase_add_loop_test(tc, test_faults, 0, np);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return xpt_run(bad_suite());
}
