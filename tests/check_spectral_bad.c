/*
 * check_spectral_bad.c -- the spectral estimators on bad input, on every
 * provider: each error returns its status with a message naming the
 * argument and its value, leaves the outputs NULL and the inputs as they
 * were, and leaks nothing; SciPy's silent cases (nperseg longer than the
 * input) behave as SciPy's; NaN and Inf propagate; and every allocation
 * made to fail in turn is survived.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spectral_common.h"

#define TOL 1e-12

/* One call that must fail.  The caller fills the fields, runs the call
 * between err_begin and err_end. */
typedef struct {
    const xp_provider *p;
    const xp_array *in[2];
    xp_array *copy[2];
    int64_t live;
} guard;

static void err_begin(guard *g, const xp_provider *p, const xp_array *x, const xp_array *y)
{
    memset(g, 0, sizeof *g);
    g->p = p;
    g->in[0] = x;
    g->in[1] = y;
    for (int k = 0; k < 2; k++)
        if (g->in[k])
            XPT_OK(xp_array_astype(g->in[k], xp_array_dtype(g->in[k]), &g->copy[k]));
    g->live = xpt_live(p);
    xp_clear_error();
}

/* rc must be want, the outputs NULL, inputs untouched, nothing leaked */
static void err_end(guard *g, const char *what, int rc, int want, xp_array *const *outs,
                    int nouts)
{
    ck_assert_msg(rc == want, "%s: rc %d, expected %d (%s)", what, rc, want, xp_errmsg());
    ck_assert_msg(xp_errmsg()[0] != '\0', "%s: no message", what);
    for (int k = 0; k < nouts; k++)
        ck_assert_msg(outs[k] == NULL, "%s: output %d not NULL on error", what, k);
    ck_assert_msg(xpt_live(g->p) == g->live, "%s: %lld provider allocations leaked", what,
                  (long long)(xpt_live(g->p) - g->live));
    for (int k = 0; k < 2; k++)
        if (g->in[k]) {
            ck_assert_msg(xpt_same(g->in[k], g->copy[k]), "%s: input %d modified", what, k);
            xp_array_free(g->copy[k]);
        }
}

/* sentinel for outputs: must be overwritten with NULL on error */
static xp_array *const JUNK = (xp_array *)(uintptr_t)0x10;

enum { WELCH, CSD, COHERENCE, PERIODOGRAM, SPECTROGRAM, NFN };
static const char *fn_names[] = {"welch", "csd", "coherence", "periodogram", "spectrogram"};

static void init_for(int fn, xps_spectral_options *o)
{
    if (fn == PERIODOGRAM)
        xps_periodogram_options_init(o);
    else if (fn == SPECTROGRAM)
        xps_spectrogram_options_init(o);
    else
        xps_welch_options_init(o);
}

/* Run estimator fn; f, t and out are set to JUNK first. */
static int call(int fn, const xp_array *x, const xp_array *y, const xps_spectral_options *o,
                xp_array **f, xp_array **t, xp_array **out)
{
    *f = *t = *out = JUNK;
    switch (fn) {
    case WELCH: *t = NULL; return xps_welch(x, o, f, out);
    case CSD: *t = NULL; return xps_csd(x, y, o, f, out);
    case COHERENCE: *t = NULL; return xps_coherence(x, y, o, f, out);
    case PERIODOGRAM: *t = NULL; return xps_periodogram(x, o, f, out);
    default: return xps_spectrogram(x, o, f, t, out);
    }
}

/* fn must fail with status want and a message holding both needles. */
static void expect_error(const xp_provider *p, int fn, const xp_array *x, const xp_array *y,
                         const xps_spectral_options *o, int want, const char *n1,
                         const char *n2)
{
    guard g;
    char what[128];
    snprintf(what, sizeof what, "%s (%s, %s)", fn_names[fn], n1 ? n1 : "", n2 ? n2 : "");
    err_begin(&g, p, x, y);
    xp_array *out[3];
    int rc = call(fn, x, y, o, &out[0], &out[1], &out[2]);
    err_end(&g, what, rc, want, out, 3);
    if (getenv("XSP_VERBOSE"))
        fprintf(stderr, "%-40s %s\n", what, xp_errmsg());
    if (n1)
        xpt_msg_has(what, fn_names[fn], n1, n2, NULL);
}

/* -------------------------------------------- nperseg longer than input */

/* SciPy warns and uses nperseg = the input's length; we do the same,
 * silently: the result equals the one with nperseg = n. */
START_TEST(test_nperseg_too_long)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {2, 100};
    xp_array *x = xsp_input(p, XP_FLOAT64, 2, shape, 5, 1, 1);
    xp_array *y = xsp_input(p, XP_FLOAT64, 2, shape, 6, 0, 1);
    for (int fn = 0; fn < NFN; fn++) {
        if (fn == PERIODOGRAM)
            continue;
        xps_spectral_options o, o2;
        init_for(fn, &o);
        o.nperseg = 512;
        o2 = o;
        o2.nperseg = 100;
        xp_array *f, *t, *P, *f2, *t2, *P2;
        xp_clear_error();
        XPT_OK(call(fn, x, y, &o, &f, &t, &P));
        XPT_OK(call(fn, x, y, &o2, &f2, &t2, &P2));
        ck_assert_msg(xpt_same(P, P2), "%s: nperseg 512 differs from 100", fn_names[fn]);
        ck_assert(xpt_same(f, f2));
        if (t)
            ck_assert(xpt_same(t, t2));
        ck_assert_int_eq(xp_array_dim(P, fn == SPECTROGRAM ? 1 : -1), 51);
        xp_array *all[] = {f, t, P, f2, t2, P2};
        for (int k = 0; k < 6; k++)
            xp_array_free(all[k]);
    }
    /* csd: the longer input sets n (the shorter is zero-padded) */
    int64_t s2[1] = {60}, s3[1] = {90};
    xp_array *a = xsp_input(p, XP_FLOAT64, 1, s2, 7, 0, 1);
    xp_array *b = xsp_input(p, XP_FLOAT64, 1, s3, 8, 0, 1);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    xp_array *P = NULL, *P2 = NULL;
    XPT_OK(xps_csd(a, b, &o, NULL, &P));        /* default nperseg 256 -> 90 */
    o.nperseg = 90;
    XPT_OK(xps_csd(a, b, &o, NULL, &P2));
    ck_assert(xpt_same(P, P2));
    ck_assert_int_eq(xp_array_dim(P, 0), 46);
    xp_array_free(P);
    xp_array_free(P2);
    /* a stream cannot know its length: fewer samples than nperseg is an
     * error at the end, naming both numbers */
    xps_spectral_acc *acc = NULL;
    o.nperseg = 128;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 1, s3, &acc));
    XPT_OK(xps_spectral_acc_feed(acc, b, NULL));
    guard g;
    err_begin(&g, p, b, NULL);
    xp_array *f = JUNK, *out = JUNK;
    int rc = xps_spectral_acc_end(acc, &f, &out);
    xp_array *outs[2] = {f, out};
    err_end(&g, "acc end short", rc, XP_EINVAL, outs, 2);
    xpt_msg_has("acc end short", "nperseg (128)", "90", NULL);
    xps_spectral_acc_free(acc);
    xp_array_free(a);
    xp_array_free(b);
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* ------------------------------------------- bad nperseg, noverlap, nfft */

START_TEST(test_bad_segments)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 200;
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 9, 0, 1);
    xp_array *y = xsp_input(p, XP_FLOAT64, 1, &n, 10, 0, 1);
    for (int fn = 0; fn < NFN; fn++) {
        xps_spectral_options o;
        if (fn != PERIODOGRAM) {
            init_for(fn, &o);
            o.nperseg = 32;
            o.noverlap = 32;
            expect_error(p, fn, x, y, &o, XP_EINVAL, "noverlap (32)", "nperseg (32)");
            o.noverlap = 40;
            expect_error(p, fn, x, y, &o, XP_EINVAL, "noverlap (40)", "nperseg (32)");
            o.noverlap = -5;
            expect_error(p, fn, x, y, &o, XP_EINVAL, "noverlap (-5)", NULL);
            o.noverlap = -1;
            o.nfft = 16;
            expect_error(p, fn, x, y, &o, XP_EINVAL, "nfft (16)", "nperseg (32)");
            o.nfft = 0;
            o.nperseg = -3;
            expect_error(p, fn, x, y, &o, XP_EINVAL, "nperseg (-3)", NULL);
            /* noverlap checked against the shortened nperseg, as SciPy */
            init_for(fn, &o);
            o.nperseg = 400;
            o.noverlap = 250;
            expect_error(p, fn, x, y, &o, XP_EINVAL, "noverlap (250)", "nperseg (200)");
        }
        init_for(fn, &o);
        o.nfft = -1;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "nfft (-1)", NULL);
        init_for(fn, &o);
        o.fs = 0;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "fs (0)", NULL);
        o.fs = NAN;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "fs (nan)", NULL);
        init_for(fn, &o);
        o.axis = 1;
        expect_error(p, fn, x, y, &o, XP_ESHAPE, "axis", "1");
        o.axis = -2;
        expect_error(p, fn, x, y, &o, XP_ESHAPE, "axis", "-2");
        init_for(fn, &o);
        o.detrend = (xps_detrend_type)7;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "detrend (7)", NULL);
        init_for(fn, &o);
        o.scaling = (xps_scaling)5;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "scaling (5)", NULL);
        init_for(fn, &o);
        o.average = (xps_average)9;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "average (9)", NULL);
        init_for(fn, &o);
        o.mode = (xps_mode)11;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "mode (11)", NULL);
        init_for(fn, &o);
        o.size = 8;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "size (8)", NULL);
        expect_error(p, fn, x, y, NULL, XP_EINVAL, "NULL", NULL);
        init_for(fn, &o);
        expect_error(p, fn, NULL, y, &o, XP_EINVAL, "x", "NULL");
        if (fn == CSD || fn == COHERENCE)
            expect_error(p, fn, x, NULL, &o, XP_EINVAL, "y", "NULL");
        /* a NULL output pointer */
        xp_clear_error();
        int rc = fn == WELCH ? xps_welch(x, &o, NULL, NULL)
               : fn == CSD ? xps_csd(x, y, &o, NULL, NULL)
               : fn == COHERENCE ? xps_coherence(x, y, &o, NULL, NULL)
               : fn == PERIODOGRAM ? xps_periodogram(x, &o, NULL, NULL)
               : xps_spectrogram(x, &o, NULL, NULL, NULL);
        ck_assert_int_eq(rc, XP_EINVAL);
    }
    /* median-mean needs two segments */
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.average = XPS_AVERAGE_MEDIAN_MEAN;
    o.nperseg = 150;
    expect_error(p, WELCH, x, NULL, &o, XP_EINVAL, "median-mean", "(got 1)");
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* ------------------------------------------------------------- windows */

START_TEST(test_bad_window)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 200;
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 11, 0, 1);
    xp_array *y = xsp_input(p, XP_FLOAT64, 1, &n, 12, 0, 1);
    for (int fn = 0; fn < NFN; fn++) {
        xps_spectral_options o;
        init_for(fn, &o);
        o.nperseg = 32;
        strcpy(o.window.name, "nosuchwindow");
        o.window.nparams = 0;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "window", "nosuchwindow");
        strcpy(o.window.name, "kaiser");        /* needs beta */
        expect_error(p, fn, x, y, &o, XP_EINVAL, "kaiser", "beta");
        XPT_OK(xps_window_spec_parse("kbd,4", &o.window));     /* symmetric only */
        expect_error(p, fn, x, y, &o, XP_EINVAL, "kaiser_bessel_derived", NULL);
        init_for(fn, &o);
        o.window.size = 3;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "window.size", NULL);
        /* window arrays: length must equal nperseg; 1-D; real */
        init_for(fn, &o);
        xp_array *w = xsp_window_array(p, 13, fn == PERIODOGRAM ? 150 : 40);
        o.window.array = w;
        o.nperseg = fn == PERIODOGRAM ? 0 : 32;
        expect_error(p, fn, x, y, &o, XP_EINVAL, fn == PERIODOGRAM ? "150" : "nperseg (32)",
                     fn == PERIODOGRAM ? "200" : "40");
        int64_t s2[2] = {4, 8};
        xp_array *w2 = xsp_input(p, XP_FLOAT64, 2, s2, 14, 0, 1);
        o.window.array = w2;
        o.nperseg = 0;
        expect_error(p, fn, x, y, &o, XP_ESHAPE, "window", "1-D");
        int64_t m = fn == PERIODOGRAM ? 200 : 40;
        xp_array *wc = xsp_input(p, XP_COMPLEX128, 1, &m, 15, 0, 1);
        o.window.array = wc;
        expect_error(p, fn, x, y, &o, XP_EDTYPE, "window", "complex128");
        /* a window array longer than the input: SciPy refuses too */
        if (fn != PERIODOGRAM) {
            xp_array *wl = xsp_window_array(p, 16, 300);
            init_for(fn, &o);
            o.window.array = wl;
            expect_error(p, fn, x, y, &o, XP_EINVAL, "300", "200");
            xp_array_free(wl);
        }
        xp_array_free(w);
        xp_array_free(w2);
        xp_array_free(wc);
    }
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* ------------------------------------------------ options.size versions */

/* The first published layout's size: through float32_output (0.1). */
#define V1 (offsetof(xps_spectral_options, reserved0) + sizeof(int))

/* Options as a caller built against a newer header passes them: longer,
 * with fields this library does not know after ours. */
typedef struct {
    xps_spectral_options o;
    unsigned char newer[24];
} newer_options;

/* The results of fn with o equal those with the plain options. */
static void same_as_plain(const xp_provider *p, int fn, const xp_array *x, const xp_array *y,
                          const xps_spectral_options *o)
{
    xps_spectral_options plain;
    init_for(fn, &plain);
    plain.nperseg = 32;
    xp_array *r[2][3];
    XPT_OK(call(fn, x, y, &plain, &r[0][0], &r[0][1], &r[0][2]));
    XPT_OK(call(fn, x, y, o, &r[1][0], &r[1][1], &r[1][2]));
    for (int k = 0; k < 3; k++) {
        ck_assert_msg(r[0][k] ? xpt_same(r[0][k], r[1][k]) : r[1][k] == NULL, "%s: output %d "
                      "differs", fn_names[fn], k);
        xp_array_free(r[0][k]);
        xp_array_free(r[1][k]);
    }
}

START_TEST(test_options_size)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 200;
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 17, 0, 1);
    xp_array *y = xsp_input(p, XP_FLOAT64, 1, &n, 18, 0, 1);
    char small[128], large[128];
    for (int fn = 0; fn < NFN; fn++) {
        newer_options big;
        memset(&big, 0, sizeof big);
        init_for(fn, &big.o);
        big.o.nperseg = 32;
        big.o.size = sizeof big;
        same_as_plain(p, fn, x, y, &big.o);
        big.newer[5] = 1;
        snprintf(large, sizeof large, "options.size (%zu) is larger than this library's "
                 "xps_spectral_options (%zu) and sets fields it does not know", sizeof big,
                 sizeof big.o);
        expect_error(p, fn, x, y, &big.o, XP_EINVAL, large, NULL);

        xps_spectral_options o;
        init_for(fn, &o);
        o.size = V1 - 8;
        snprintf(small, sizeof small, "%s: options.size (%zu) is less than the first "
                 "version of xps_spectral_options (%zu bytes)", fn_names[fn], V1 - 8, V1);
        expect_error(p, fn, x, y, &o, XP_EINVAL, small, "xps_welch_options_init");
        /* a caller of the first layout: what follows it is not read (here
         * garbage, as in an old caller's memory) */
        init_for(fn, &o);
        o.nperseg = 32;
        o.size = V1;
        memset((char *)&o + offsetof(xps_spectral_options, reserved0), 0xa5, sizeof o - V1 + 4);
        same_as_plain(p, fn, x, y, &o);
        o.size = (size_t)-1;        /* uninitialized: refused, not read */
        expect_error(p, fn, x, y, &o, XP_EINVAL, "options.size (", "not the size of any");
        /* the window is held by value: its size cannot grow there */
        init_for(fn, &o);
        o.window.size = sizeof o.window + 8;
        expect_error(p, fn, x, y, &o, XP_EINVAL, "window.size (", "by value");
    }
    /* the sized inits: a newer caller's struct gets defaults and zeros in
     * the tail it owns (and the same results); a shorter one is refused */
    typedef int (*sized_init)(xps_spectral_options *, size_t);
    static const sized_init inits[4] = {xps_welch_options_init_sized,
                                        xps_periodogram_options_init_sized,
                                        xps_spectrogram_options_init_sized,
                                        xps_stft_options_init_sized};
    static const char *const init_names[4] = {"xps_welch_options_init_sized",
                                              "xps_periodogram_options_init_sized",
                                              "xps_spectrogram_options_init_sized",
                                              "xps_stft_options_init_sized"};
    typedef void (*plain_init)(xps_spectral_options *);
    static const plain_init plains[4] = {xps_welch_options_init, xps_periodogram_options_init,
                                         xps_spectrogram_options_init, xps_stft_options_init};
    for (int k = 0; k < 4; k++) {
        struct {
            newer_options n;
            unsigned char canary[8];
        } s;
        memset(&s, 0xa5, sizeof s);
        XPT_OK(inits[k](&s.n.o, sizeof s.n));
        ck_assert_uint_eq(s.n.o.size, sizeof s.n);
        for (size_t i = 0; i < sizeof s.n.newer; i++)
            ck_assert_uint_eq(s.n.newer[i], 0);
        for (size_t i = 0; i < sizeof s.canary; i++)
            ck_assert_uint_eq(s.canary[i], 0xa5);
        xps_spectral_options plain;
        plains[k](&plain);
        ck_assert_str_eq(s.n.o.window.name, plain.window.name);
        ck_assert_int_eq(s.n.o.noverlap, plain.noverlap);
        ck_assert_int_eq(s.n.o.boundary, plain.boundary);
        ck_assert_int_eq(s.n.o.padded, plain.padded);
        if (k == 0) {
            s.n.o.nperseg = 32;
            for (int fn = 0; fn < NFN; fn++)
                if (strcmp(fn_names[fn], "periodogram") && strcmp(fn_names[fn], "spectrogram"))
                    same_as_plain(p, fn, x, y, &s.n.o);
        }
        ck_assert_int_eq(inits[k](&plain, V1 - 8), XP_EINVAL);
        xpt_msg_has(init_names[k], init_names[k], "size (", "not the size of any", NULL);
        ck_assert_int_eq(inits[k](NULL, sizeof plain), XP_EINVAL);
    }
    /* stft given the first layout: boundary and padded take stft's defaults */
    xps_spectral_options sa, sb;
    xps_stft_options_init(&sa);
    sa.nperseg = 32;
    sb = sa;
    sb.size = V1;
    memset((char *)&sb + offsetof(xps_spectral_options, reserved0), 0xa5, sizeof sb - V1 + 4);
    xp_array *Za = NULL, *Zb = NULL;
    XPT_OK(xps_stft(x, &sa, NULL, NULL, &Za));
    XPT_OK(xps_stft(x, &sb, NULL, NULL, &Zb));
    ck_assert(xpt_same(Za, Zb));
    xp_array_free(Za);
    xp_array_free(Zb);
    /* accumulators follow the same rule */
    newer_options big;
    memset(&big, 0, sizeof big);
    xps_welch_options_init(&big.o);
    big.o.nperseg = 32;
    big.o.size = sizeof big;
    xps_spectral_acc *acc = NULL;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &big.o, p, XP_FLOAT64, 1, &n, &acc));
    xps_spectral_acc_free(acc);
    big.newer[23] = 0xff;
    acc = (xps_spectral_acc *)JUNK;
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &big.o, p, XP_FLOAT64, 1, &n, &acc),
                     XP_EINVAL);
    ck_assert_ptr_null(acc);
    xpt_msg_has("acc newer", "welch: options.size", "sets fields it does not know", NULL);
    xp_array_free(x);
    xp_array_free(y);
}
END_TEST

/* ----------------------------------------------------------- empty input */

START_TEST(test_empty)
{
    const xp_provider *p = xpt_provider(_i);
    const int64_t shapes[3][2] = {{0, 0}, {3, 0}, {0, 100}};
    const int ndims[3] = {1, 2, 2};
    int64_t n = 100;
    xp_array *full = xsp_input(p, XP_FLOAT64, 1, &n, 16, 0, 1);
    for (int s = 0; s < 3; s++) {
        xp_array *e = NULL;
        XPT_OK(xp_array_zeros(p, XP_FLOAT64, ndims[s], shapes[s], &e));
        for (int fn = 0; fn < NFN; fn++) {
            xps_spectral_options o;
            init_for(fn, &o);
            expect_error(p, fn, e, full, &o, XP_ESHAPE, "x", NULL);
            if (fn == CSD || fn == COHERENCE)
                expect_error(p, fn, full, e, &o, XP_ESHAPE, "y", NULL);
        }
        /* detrend of nothing is nothing (as SciPy) */
        xp_array *d = NULL;
        XPT_OK(xps_detrend(e, -1, XPS_DETREND_LINEAR, NULL, 0, &d));
        ck_assert_int_eq(xp_array_size(d), 0);
        ck_assert_int_eq(xp_array_ndim(d), ndims[s]);
        xp_array_free(d);
        /* accumulators take empty chunks */
        int64_t sh[2] = {3, 0};
        xps_spectral_options o;
        xps_welch_options_init(&o);
        o.nperseg = 16;
        xps_spectral_acc *acc = NULL;
        XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 2, sh, &acc));
        if (s == 1)
            XPT_OK(xps_spectral_acc_feed(acc, e, NULL));
        ck_assert_int_eq(xps_spectral_acc_segments(acc), 0);
        xps_spectral_acc_free(acc);
        xp_array_free(e);
    }
    xp_array_free(full);
}
END_TEST

/* ------------------------------------------------------------ NaN, Inf */

static int64_t count_nonfinite(const xp_array *a, int64_t *total)
{
    int64_t n, bad = 0;
    double *v = xpt_get(a, &n);
    for (int64_t i = 0; i < n; i++)
        bad += !isfinite(v[i]);
    free(v);
    *total = n;
    return bad;
}

/* A NaN or Inf at sample 37 of 256 spoils the segments holding it: the
 * averages become NaN (mean and median alike, as numpy's), a spectrogram
 * only in those segments' columns; nothing crashes. */
START_TEST(test_nan_inf)
{
    const xp_provider *p = xpt_provider(_i);
    const double bad[2] = {NAN, INFINITY};
    int64_t n = 256;
    for (int b = 0; b < 2; b++) {
        double *v = xsp_values(n, 0, 17, 0, 1);
        v[37] = bad[b];
        xp_array *x = xpt_array(p, XP_FLOAT64, 1, &n, v);
        xp_array *y = xsp_input(p, XP_FLOAT64, 1, &n, 18, 0, 1);
        free(v);
        for (int fn = 0; fn < NFN; fn++)
            for (int av = 0; av < 3; av++) {
                if (av && fn != WELCH && fn != CSD)
                    continue;
                xps_spectral_options o;
                init_for(fn, &o);
                o.nperseg = 64;
                o.noverlap = 32;
                o.average = (xps_average)av;
                guard g;
                err_begin(&g, p, x, y);
                xp_array *f, *t, *P;
                int rc = call(fn, x, y, &o, &f, &t, &P);
                ck_assert_msg(rc == 0, "%s with %g: %s", fn_names[fn], bad[b], xp_errmsg());
                int64_t tot, nf = count_nonfinite(P, &tot);
                if (fn == SPECTROGRAM) {
                    /* segments 0 and 1 (starts 0 and 32) hold sample 37 */
                    int64_t nseg = xp_array_dim(P, 1), nfreq = xp_array_dim(P, 0);
                    int64_t k;
                    double *sv = xpt_get(P, &k);
                    for (int64_t i = 0; i < nfreq; i++)
                        for (int64_t s = 0; s < nseg; s++)
                            ck_assert_msg(isfinite(sv[i * nseg + s]) == (s >= 2),
                                          "spectrogram %g: bin %lld segment %lld: %g", bad[b],
                                          (long long)i, (long long)s, sv[i * nseg + s]);
                    free(sv);
                } else {
                    ck_assert_msg(nf == tot, "%s average %d with %g: %lld of %lld values "
                                  "non-finite", fn_names[fn], av, bad[b], (long long)nf,
                                  (long long)tot);
                }
                xp_array_free(f);
                xp_array_free(t);
                xp_array_free(P);
                for (int k = 0; k < 2; k++)
                    xp_array_free(g.copy[k]);
            }
        /* detrend: only the piece holding the bad sample is spoiled */
        xp_array *D = NULL;
        const int64_t bp[1] = {100};
        XPT_OK(xps_detrend(x, -1, XPS_DETREND_LINEAR, bp, 1, &D));
        int64_t k;
        double *dv = xpt_get(D, &k);
        for (int64_t i = 0; i < n; i++)
            ck_assert_msg(isfinite(dv[i]) == (i >= 100), "detrend %g: sample %lld: %g", bad[b],
                          (long long)i, dv[i]);
        free(dv);
        xp_array_free(D);
        xp_array_free(x);
        xp_array_free(y);
    }
}
END_TEST

/* -------------------------------------------------- csd: x and y shapes */

START_TEST(test_bad_pair)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t sa[2] = {3, 100}, sb[2] = {4, 100}, sc[3] = {2, 3, 100}, sd[2] = {100, 4};
    xp_array *a = xsp_input(p, XP_FLOAT64, 2, sa, 19, 0, 1);
    xp_array *b = xsp_input(p, XP_FLOAT64, 2, sb, 20, 0, 1);
    xp_array *c = xsp_input(p, XP_FLOAT64, 3, sc, 21, 0, 1);
    xp_array *d = xsp_input(p, XP_FLOAT64, 2, sd, 22, 0, 1);
    for (int fn = CSD; fn <= COHERENCE; fn++) {
        xps_spectral_options o;
        init_for(fn, &o);
        o.nperseg = 32;
        expect_error(p, fn, a, b, &o, XP_ESHAPE, "broadcast", "(3 and 4");
        expect_error(p, fn, c, b, &o, XP_ESHAPE, "broadcast", "(3 and 4");
        o.axis = 0;     /* a along axis 0 has outer shape [100] */
        expect_error(p, fn, a, d, &o, XP_ESHAPE, "broadcast", "100");
    }
    /* coherence of unequal lengths: the csd broadcasts but the psds
     * [nfreq, 4] and [nfreq] do not (SciPy fails there too) */
    int64_t n150 = 150;
    xp_array *e = xsp_input(p, XP_FLOAT64, 1, &n150, 23, 0, 1);
    xps_spectral_options oc;
    xps_welch_options_init(&oc);
    oc.nperseg = 32;
    oc.axis = 0;
    expect_error(p, COHERENCE, d, e, &oc, XP_ESHAPE, "100", "150");
    xp_array_free(e);
    /* inputs on two providers: never a silent copy */
    if (xpt_nproviders() > 1) {
        const xp_provider *q = xpt_provider((_i + 1) % xpt_nproviders());
        xp_array *bq = NULL;
        XPT_OK(xp_array_to_provider(a, q, &bq));
        for (int fn = CSD; fn <= COHERENCE; fn++) {
            xps_spectral_options o;
            init_for(fn, &o);
            o.nperseg = 32;
            guard g;
            err_begin(&g, p, a, NULL);
            xp_array *f, *t, *P;
            int rc = call(fn, a, bq, &o, &f, &t, &P);
            xp_array *outs[2] = {f, P};
            err_end(&g, "two providers", rc, XP_EDEVICE, outs, 2);
        }
        xp_array_free(bq);
    }
    xp_array_free(a);
    xp_array_free(b);
    xp_array_free(c);
    xp_array_free(d);
}
END_TEST

/* ------------------------------------------------------ detrend, acc */

START_TEST(test_bad_detrend)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 100;
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 23, 1, 1), *D = JUNK;
    const int64_t bp_hi[1] = {500}, bp_neg[2] = {10, -4};
    guard g;
    err_begin(&g, p, x, NULL);
    int rc = xps_detrend(x, -1, XPS_DETREND_LINEAR, bp_hi, 1, &D);
    err_end(&g, "detrend bp 500", rc, XP_EINVAL, &D, 1);
    xpt_msg_has("detrend bp 500", "detrend", "bp[0] (500)", NULL);
    err_begin(&g, p, x, NULL);
    D = JUNK;
    rc = xps_detrend(x, -1, XPS_DETREND_LINEAR, bp_neg, 2, &D);
    err_end(&g, "detrend bp -4", rc, XP_EINVAL, &D, 1);
    xpt_msg_has("detrend bp -4", "bp[1] (-4)", NULL);
    err_begin(&g, p, x, NULL);
    D = JUNK;
    rc = xps_detrend(x, -1, (xps_detrend_type)4, NULL, 0, &D);
    err_end(&g, "detrend type 4", rc, XP_EINVAL, &D, 1);
    xpt_msg_has("detrend type 4", "type (4)", NULL);
    err_begin(&g, p, x, NULL);
    D = JUNK;
    rc = xps_detrend(x, 3, XPS_DETREND_LINEAR, NULL, 0, &D);
    err_end(&g, "detrend axis 3", rc, XP_ESHAPE, &D, 1);
    xpt_msg_has("detrend axis 3", "axis", "3", NULL);
    err_begin(&g, p, NULL, NULL);
    D = JUNK;
    rc = xps_detrend(NULL, -1, XPS_DETREND_LINEAR, NULL, 0, &D);
    err_end(&g, "detrend NULL", rc, XP_EINVAL, &D, 1);
    /* type none copies */
    XPT_OK(xps_detrend(x, -1, XPS_DETREND_NONE, NULL, 0, &D));
    ck_assert(xpt_same(D, x));
    xp_array_free(D);
    xp_array_free(x);
}
END_TEST

/* detrend_acc_begin fails with status want and a message holding needle,
 * leaving *out NULL and nothing allocated. */
static void begin_fails(const xp_provider *p, xp_dtype dt, int ndim, const int64_t *shape,
                        int axis, int64_t n, int type, const int64_t *bp, int64_t nbp,
                        int want, const char *needle)
{
    xps_detrend_acc *a = (xps_detrend_acc *)JUNK;
    guard g;
    err_begin(&g, p, NULL, NULL);
    int rc = xps_detrend_acc_begin(p, dt, ndim, shape, axis, n, (xps_detrend_type)type, bp,
                                   nbp, &a);
    err_end(&g, needle, rc, want, NULL, 0);
    ck_assert_msg(a == NULL, "%s: acc not NULL on error", needle);
    xpt_msg_has(needle, "detrend_acc_begin", needle, NULL);
}

/* The two-pass detrend: its arguments, blocks of another dtype or shape,
 * past the series' end, out of pass order; type none copies. */
START_TEST(test_bad_detrend_acc)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {3, 100}, n = 100, ten = 10;
    const int64_t bp_hi[1] = {101};
    begin_fails(p, XP_FLOAT64, 2, shape, -1, -1, XPS_DETREND_LINEAR, NULL, 0, XP_EINVAL,
                "n (-1)");
    begin_fails(p, XP_FLOAT64, 2, shape, 2, n, XPS_DETREND_LINEAR, NULL, 0, XP_ESHAPE,
                "axis");
    begin_fails(p, XP_FLOAT64, 0, shape, -1, n, XPS_DETREND_LINEAR, NULL, 0, XP_ESHAPE,
                "ndim (0)");
    begin_fails(p, (xp_dtype)99, 2, shape, -1, n, XPS_DETREND_LINEAR, NULL, 0, XP_EDTYPE,
                "dtype (99)");
    begin_fails(p, XP_FLOAT64, 2, shape, -1, n, 4, NULL, 0, XP_EINVAL, "type (4)");
    begin_fails(p, XP_FLOAT64, 2, shape, -1, n, XPS_DETREND_LINEAR, bp_hi, 1, XP_EINVAL,
                "bp[0] (101)");
    begin_fails(p, XP_FLOAT64, 2, shape, -1, n, XPS_DETREND_LINEAR, NULL, 2, XP_EINVAL,
                "bp is NULL");
    ck_assert_int_eq(xps_detrend_acc_begin(p, XP_FLOAT64, 2, shape, -1, n,
                                           XPS_DETREND_LINEAR, NULL, 0, NULL), XP_EINVAL);
    xpt_msg_has("detrend_acc_begin out NULL", "out is NULL", NULL);

    xps_detrend_acc *a = NULL;
    xp_array *x = xsp_input(p, XP_FLOAT64, 2, shape, 31, 1, 1), *x32 = NULL, *y = NULL;
    xp_array *blk = NULL, *other = NULL;
    int64_t oshape[2] = {2, 10};
    XPT_OK(xps_detrend_acc_begin(p, XP_FLOAT64, 2, shape, -1, n, XPS_DETREND_LINEAR, NULL, 0,
                                 &a));
    XPT_OK(xp__view_slice(x, 1, 0, 10, 1, &blk));
    XPT_OK(xp_array_astype(blk, XP_FLOAT32, &x32));
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 2, oshape, &other));
    ck_assert_int_eq(xps_detrend_acc_apply(a, blk, blk), XP_EINVAL);
    xpt_msg_has("apply before the first pass ends", "detrend_acc_apply", "0 of the series' 100",
                NULL);
    ck_assert_int_eq(xps_detrend_acc_feed(a, x32), XP_EDTYPE);
    xpt_msg_has("feed float32", "detrend_acc_feed", "float32", "float64", NULL);
    ck_assert_int_eq(xps_detrend_acc_feed(a, other), XP_ESHAPE);
    xpt_msg_has("feed 2 rows", "detrend_acc_feed", "shape", NULL);
    ck_assert_int_eq(xps_detrend_acc_feed(a, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_detrend_acc_feed(NULL, x), XP_EINVAL);
    XPT_OK(xps_detrend_acc_feed(a, blk));
    ck_assert_int_eq(xps_detrend_acc_feed(a, x), XP_EINVAL);   /* 10 + 100 > 100 */
    xpt_msg_has("feed past the end", "100 samples at 10", "n = 100", NULL);
    xp_array *rest = NULL;
    XPT_OK(xp__view_slice(x, 1, 10, 90, 1, &rest));
    XPT_OK(xps_detrend_acc_feed(a, rest));
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 2, oshape, &y));
    ck_assert_int_eq(xps_detrend_acc_apply(a, blk, y), XP_ESHAPE);     /* y [2, 10] */
    ck_assert_int_eq(xps_detrend_acc_apply(a, blk, NULL), XP_EINVAL);
    XPT_OK(xps_detrend_acc_apply(a, blk, blk));                         /* in place */
    ck_assert_int_eq(xps_detrend_acc_feed(a, blk), XP_EINVAL);
    xpt_msg_has("feed after apply", "second pass", NULL);
    XPT_OK(xps_detrend_acc_apply(a, rest, rest));
    ck_assert_int_eq(xps_detrend_acc_apply(a, blk, blk), XP_EINVAL);   /* past the end */
    xpt_msg_has("apply past the end", "detrend_acc_apply", "10 samples at 100", NULL);
    xps_detrend_acc_free(a);
    xps_detrend_acc_free(NULL);

    /* type none: apply copies */
    int64_t s1[1] = {10}, st1[1] = {1};
    xp_array *src = NULL, *row = NULL;
    XPT_OK(xps_detrend_acc_begin(p, XP_FLOAT64, 1, &ten, 0, 10, XPS_DETREND_NONE, NULL, 0,
                                 &a));
    XPT_OK(xp__view(x, 1, s1, st1, 0, &src));
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 1, &ten, &row));
    XPT_OK(xps_detrend_acc_feed(a, src));
    XPT_OK(xps_detrend_acc_apply(a, src, row));
    ck_assert(xpt_same(row, src));
    xps_detrend_acc_free(a);
    xp_array *all[] = {x, x32, y, blk, other, rest, row, src};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        xp_array_free(all[k]);
}
END_TEST

/* stft: a window array longer than x, boundary and padded out of range or
 * given to another estimator; istft: its geometry, SciPy's checks;
 * check_COLA and check_NOLA: theirs. */
START_TEST(test_bad_stft)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 40, zs[2] = {33, 9}, z1[1] = {33}, zone[2] = {1, 9};
    xp_array *x = xsp_input(p, XP_FLOAT64, 1, &n, 24, 0, 1), *f = JUNK, *t = JUNK, *Z = JUNK;
    xp_array *w64 = xsp_window_array(p, 6, 64), *w40 = xsp_window_array(p, 7, 40);
    xp_array *outs[3];
    xps_spectral_options o;
    guard g;
    struct {
        const char *what;
        int fn;                 /* SPECTROGRAM, WELCH, or -1 for stft */
        int field;              /* 0 window array, 1 boundary, 2 padded */
        int value;
        const char *msg;
    } sc[] = {
        {"stft window 64 > 40", -1, 0, 0, "stft: window is longer than the input (64 > 40)"},
        {"stft boundary 9", -1, 1, 9, "stft: boundary (9) must be none, even, odd"},
        {"welch padded", WELCH, 2, 1, "welch: boundary and padded apply to stft only"},
        {"spectrogram boundary", SPECTROGRAM, 1, XPS_BOUNDARY_ZEROS,
         "spectrogram: boundary and padded apply to stft only"},
    };
    for (size_t k = 0; k < sizeof sc / sizeof sc[0]; k++) {
        if (sc[k].fn < 0)
            xps_stft_options_init(&o);
        else
            init_for(sc[k].fn, &o);
        if (sc[k].field == 0)
            o.window.array = w64;
        if (sc[k].field == 1)
            o.boundary = (xps_boundary)sc[k].value;
        if (sc[k].field == 2)
            o.padded = sc[k].value;
        err_begin(&g, p, x, NULL);
        f = t = Z = JUNK;
        int rc = sc[k].fn < 0 ? xps_stft(x, &o, &f, &t, &Z)
                              : call(sc[k].fn, x, x, &o, &f, &t, &Z);
        outs[0] = f, outs[1] = t, outs[2] = Z;
        err_end(&g, sc[k].what, rc, XP_EINVAL, outs, sc[k].fn == WELCH ? 2 : 3);
        xpt_msg_has(sc[k].what, sc[k].msg, NULL);
    }

    xps_istft_options io;
    xp_array *Zc = NULL, *Z1 = NULL, *Zone = NULL, *X = JUNK, *tt = JUNK;
    XPT_OK(xp_array_zeros(p, XP_COMPLEX128, 2, zs, &Zc));
    XPT_OK(xp_array_zeros(p, XP_COMPLEX128, 1, z1, &Z1));
    XPT_OK(xp_array_zeros(p, XP_COMPLEX128, 2, zone, &Zone));
    struct {
        const char *what;
        int field;              /* which option to spoil */
        int64_t value;
        int want;
        const char *msg;
    } ic[] = {
        {"istft 1-D", 0, 0, XP_ESHAPE, "at least 2 dimensions (got 1)"},
        {"istft same axes", 1, 0, XP_EINVAL, "time_axis (0) and freq_axis (0) must differ"},
        {"istft one frequency", 0, 0, XP_EINVAL, "nperseg (0, from 1 frequencies)"},
        {"istft nfft < nperseg", 3, 30, XP_EINVAL, "nfft (30) must be greater than or equal "
         "to nperseg (64)"},
        {"istft noverlap", 4, 64, XP_EINVAL, "noverlap (64) must be less than nperseg (64)"},
        {"istft window length", 5, 0, XP_EINVAL, "nperseg (64) does not equal the window's "
         "length (40)"},
        {"istft scaling", 6, 7, XP_EINVAL, "scaling (7)"},
        {"istft default nfft < nperseg", 7, 3, XP_EINVAL, "nfft (0, the default from Zxx's 1 "
         "frequencies) must be greater than or equal to nperseg (3)"},
    };
    for (size_t k = 0; k < sizeof ic / sizeof ic[0]; k++) {
        xp_array *in = k == 0 ? Z1 : k == 2 || ic[k].field == 7 ? Zone : Zc;
        xps_istft_options_init(&io);
        if (ic[k].field == 1)
            io.time_axis = io.freq_axis = 0;
        if (ic[k].field == 3)
            io.nfft = ic[k].value;
        if (ic[k].field == 4)
            io.noverlap = ic[k].value;
        if (ic[k].field == 5)
            io.window.array = w40;
        if (ic[k].field == 6)
            io.scaling = (xps_scaling)ic[k].value;
        if (ic[k].field == 7)
            io.nperseg = ic[k].value;
        err_begin(&g, p, in, NULL);
        X = tt = JUNK;
        int rc = xps_istft(in, &io, &tt, &X);
        outs[0] = tt, outs[1] = X;
        err_end(&g, ic[k].what, rc, ic[k].want, outs, 2);
        xpt_msg_has(ic[k].what, "istft", ic[k].msg, NULL);
    }
    /* check_COLA, check_NOLA: SciPy's checks, and the window's length */
    xps_window_spec ws;
    xps_window_spec_init(&ws);
    int ok = 7;
    ck_assert_int_eq(xps_check_COLA(&ws, 0, 0, 1e-10, &ok), XP_EINVAL);
    xpt_msg_has("COLA nperseg 0", "check_COLA: nperseg (0) must be a positive integer", NULL);
    ck_assert_int_eq(ok, 0);
    ck_assert_int_eq(xps_check_NOLA(&ws, 64, 64, 1e-10, &ok), XP_EINVAL);
    xpt_msg_has("NOLA noverlap 64", "check_NOLA: noverlap (64) must be less than nperseg (64)",
                NULL);
    ck_assert_int_eq(xps_check_COLA(&ws, 64, -1, 1e-10, &ok), XP_EINVAL);
    xpt_msg_has("COLA noverlap -1", "noverlap (-1) must be a nonnegative integer", NULL);
    ws.array = w40;
    ck_assert_int_eq(xps_check_NOLA(&ws, 64, 32, 1e-10, &ok), XP_EINVAL);
    xpt_msg_has("NOLA window 40", "check_NOLA: nperseg (64) does not equal the window's "
                "length (40)", NULL);
    ck_assert_int_eq(xps_check_COLA(&ws, 40, 20, 1e-10, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_check_COLA(NULL, 40, 20, 1e-10, &ok), XP_EINVAL);
    xp_array *all[] = {x, w64, w40, Zc, Z1, Zone};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        xp_array_free(all[k]);
}
END_TEST

START_TEST(test_bad_acc)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {2, 100}, other[2] = {3, 100}, n1 = 100;
    xps_spectral_options o;
    xps_welch_options_init(&o);
    xps_spectral_acc *acc = (xps_spectral_acc *)JUNK;
    /* nperseg must be given for a stream */
    int rc = xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 2, shape, &acc);
    ck_assert_int_eq(rc, XP_EINVAL);
    ck_assert_ptr_null(acc);
    xpt_msg_has("acc nperseg", "nperseg", NULL);
    o.nperseg = 32;
    o.noverlap = 32;
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 2, shape, &acc),
                     XP_EINVAL);
    xpt_msg_has("acc noverlap", "noverlap (32)", "nperseg (32)", NULL);
    o.noverlap = -1;
    ck_assert_int_eq(xps_spectral_acc_begin((xps_acc_kind)7, &o, p, XP_FLOAT64, 2, shape,
                                            &acc), XP_EINVAL);
    xpt_msg_has("acc kind", "kind (7)", NULL);
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 0, shape, &acc),
                     XP_ESHAPE);
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, NULL, XP_FLOAT64, 2, shape,
                                            &acc), XP_EINVAL);
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, (xp_dtype)9, 2, shape,
                                            &acc), XP_EDTYPE);
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 2, shape, NULL),
                     XP_EINVAL);

    /* chunks that do not fit the accumulator */
    int64_t live = xpt_live(p);
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_CSD, &o, p, XP_FLOAT64, 2, shape, &acc));
    xp_array *x = xsp_input(p, XP_FLOAT64, 2, shape, 24, 0, 1);
    xp_array *xo = xsp_input(p, XP_FLOAT64, 2, other, 25, 0, 1);
    xp_array *x32 = xsp_input(p, XP_FLOAT32, 2, shape, 26, 0, 1);
    xp_array *x1 = xsp_input(p, XP_FLOAT64, 1, &n1, 27, 0, 1);
    int64_t s50[2] = {2, 50};
    xp_array *xs = xsp_input(p, XP_FLOAT64, 2, s50, 28, 0, 1);
    ck_assert_int_eq(xps_spectral_acc_feed(acc, x, NULL), XP_EINVAL);
    xpt_msg_has("acc y NULL", "y", "NULL", NULL);
    ck_assert_int_eq(xps_spectral_acc_feed(acc, xo, x), XP_ESHAPE);
    xpt_msg_has("acc shape", "x", "3", "2", NULL);
    ck_assert_int_eq(xps_spectral_acc_feed(acc, x, x32), XP_EDTYPE);
    xpt_msg_has("acc dtype", "float32", "float64", NULL);
    ck_assert_int_eq(xps_spectral_acc_feed(acc, x1, x1), XP_ESHAPE);
    xpt_msg_has("acc ndim", "1", "2", NULL);
    ck_assert_int_eq(xps_spectral_acc_feed(acc, x, xs), XP_ESHAPE);
    xpt_msg_has("acc lengths", "100", "50", NULL);
    ck_assert_int_eq(xps_spectral_acc_feed(NULL, x, x), XP_EINVAL);
    xps_spectral_acc *wa = NULL;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 2, shape, &wa));
    ck_assert_int_eq(xps_spectral_acc_feed(wa, x, x), XP_EINVAL);
    xpt_msg_has("welch acc with y", "y", "NULL", NULL);
    xps_spectral_acc_free(wa);
    if (xpt_nproviders() > 1) {
        xp_array *xq = NULL;
        XPT_OK(xp_array_to_provider(x, xpt_provider((_i + 1) % xpt_nproviders()), &xq));
        ck_assert_int_eq(xps_spectral_acc_feed(acc, xq, x), XP_EDEVICE);
        xp_array_free(xq);
    }
    /* nothing was taken in: the accumulator still works */
    ck_assert_int_eq(xps_spectral_acc_segments(acc), 0);
    XPT_OK(xps_spectral_acc_feed(acc, x, x));
    xp_array *P = NULL, *ref = NULL;
    XPT_OK(xps_spectral_acc_end(acc, NULL, &P));
    XPT_OK(xps_csd(x, x, &o, NULL, &ref));
    ck_assert_double_le(xpt_array_err(P, ref), TOL);
    ck_assert_int_eq(xps_spectral_acc_end(acc, NULL, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_spectral_acc_end(NULL, NULL, &P), XP_EINVAL);
    xp_array_free(P);
    xp_array_free(ref);
    xps_spectral_acc_free(acc);
    xps_spectral_acc_free(NULL);
    ck_assert_int_eq(xps_spectral_acc_segments(NULL), 0);
    xp_array *all[] = {x, xo, x32, x1, xs};
    for (int k = 0; k < 5; k++)
        xp_array_free(all[k]);
    ck_assert_int_eq(xpt_live(p), live);
}
END_TEST

/* ------------------------------------------------- allocation failures */

/* Run body with the k-th allocation failing, k = 1, 2, ... until it
 * succeeds: each failure must be XP_ENOMEM with outputs NULL and nothing
 * left allocated; the final run must equal the fault-free result. */
typedef int (*body_fn)(const xp_provider *p, const xp_array *x, const xp_array *y,
                       int variant, xp_array **out);

static int body_estimator(const xp_provider *p, const xp_array *x, const xp_array *y,
                          int variant, xp_array **out)
{
    (void)p;
    xps_spectral_options o;
    int fn = variant % 10, extra = variant / 10;
    init_for(fn, &o);
    o.nperseg = 24;
    o.nfft = 30;
    o.detrend = extra ? XPS_DETREND_LINEAR : XPS_DETREND_CONSTANT;
    if (fn == WELCH || fn == CSD)
        o.average = (xps_average)extra;
    if (fn == SPECTROGRAM)
        o.mode = extra ? XPS_MODE_PHASE : XPS_MODE_PSD;
    if (fn == PERIODOGRAM)
        o.nfft = 0;
    xp_array *f = NULL, *t = NULL, *ys = NULL;
    if (fn == COHERENCE && extra) {     /* unequal lengths: a separate path */
        int rc = xp__view_slice(y, -1, 0, 170, 1, &ys);
        if (rc) {                       /* (the view's header is an allocation too) */
            *out = NULL;
            return rc;
        }
    }
    int rc = call(fn, x, ys ? ys : y, &o, &f, &t, out);
    xp_array_free(ys);
    if (rc == XP_OK) {
        ck_assert(f != NULL);
        if (fn == SPECTROGRAM)
            ck_assert(t != NULL);
    } else {
        ck_assert(f == NULL && t == NULL && *out == NULL);
    }
    xp_array_free(f);
    xp_array_free(t);
    return rc;
}

static int body_detrend(const xp_provider *p, const xp_array *x, const xp_array *y,
                        int variant, xp_array **out)
{
    (void)p;
    (void)y;
    const int64_t bp[2] = {40, 90};
    return xps_detrend(x, -1, variant ? XPS_DETREND_LINEAR : XPS_DETREND_CONSTANT, bp, 2, out);
}

/* detrend through xps_detrend_acc, blocks of 37, 1 and 162 samples: the
 * mean (variant 0) or lines between breakpoints 40 and 90 (variant 1) */
static int body_detrend_acc(const xp_provider *p, const xp_array *x, const xp_array *y,
                            int variant, xp_array **out)
{
    (void)y;
    const int64_t bp[2] = {40, 90}, bounds[4] = {0, 37, 38, 200};
    const DLTensor *t = xp_array_dltensor(x);
    xps_detrend_acc *a = NULL;
    xp_array *r = NULL;
    *out = NULL;
    int rc = xps_detrend_acc_begin(p, xp_array_dtype(x), t->ndim, t->shape, -1, 200,
                                   variant ? XPS_DETREND_LINEAR : XPS_DETREND_CONSTANT, bp, 2,
                                   &a);
    if (rc == XP_OK)
        rc = xp_array_empty(p, xp_array_dtype(x), t->ndim, t->shape, &r);
    for (int pass = 0; rc == XP_OK && pass < 2; pass++)
        for (int k = 0; rc == XP_OK && k < 3; k++) {
            xp_array *vx = NULL, *vy = NULL;
            int64_t len = bounds[k + 1] - bounds[k];
            rc = xp__view_slice(x, -1, bounds[k], len, 1, &vx);
            if (rc == XP_OK)
                rc = xp__view_slice(r, -1, bounds[k], len, 1, &vy);
            if (rc == XP_OK)
                rc = pass ? xps_detrend_acc_apply(a, vx, vy) : xps_detrend_acc_feed(a, vx);
            xp_array_free(vx);
            xp_array_free(vy);
        }
    xps_detrend_acc_free(a);
    if (rc)
        xp_array_free(r);
    else
        *out = r;
    return rc;
}

/* stft (variant 0: zeros and padded; 1: odd, not padded), or istft of
 * a stft (variant 2) */
static int body_stft(const xp_provider *p, const xp_array *x, const xp_array *y, int variant,
                     xp_array **out)
{
    (void)p;
    (void)y;
    xps_spectral_options o;
    xps_stft_options_init(&o);
    o.nperseg = 40;
    if (variant == 1) {
        o.boundary = XPS_BOUNDARY_ODD;
        o.padded = 0;
    }
    if (variant < 2)
        return xps_stft(x, &o, NULL, NULL, out);
    xp_array *Z = NULL, *t = NULL;
    xps_istft_options io;
    xps_istft_options_init(&io);
    io.nperseg = 40;
    *out = NULL;
    int rc = xps_stft(x, &o, NULL, NULL, &Z);
    if (rc == XP_OK)
        rc = xps_istft(Z, &io, &t, out);
    xp_array_free(Z);
    xp_array_free(t);
    return rc;
}

/* begin, feed three chunks (x and y), merge a second accumulator, end */
static int body_acc(const xp_provider *p, const xp_array *x, const xp_array *y, int variant,
                    xp_array **out)
{
    xps_acc_kind kind = (xps_acc_kind)(variant % 3);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = 24;
    o.detrend = XPS_DETREND_LINEAR;
    o.average = variant >= 3 && kind != XPS_ACC_COHERENCE ? XPS_AVERAGE_MEDIAN : XPS_AVERAGE_MEAN;
    const DLTensor *t = xp_array_dltensor(x);
    xps_spectral_acc *a = NULL, *b = NULL;
    const xp_array *yy = kind == XPS_ACC_WELCH ? NULL : y;
    const int64_t bounds[4] = {0, 37, 38, 150};
    xp_array *vx = NULL, *vy = NULL;
    *out = NULL;
    int rc = xps_spectral_acc_begin(kind, &o, p, xp_array_dtype(x), t->ndim, t->shape, &a);
    for (int k = 0; rc == XP_OK && k < 3; k++) {
        int64_t len = bounds[k + 1] - bounds[k];
        rc = xp__view_slice(x, -1, bounds[k], len, 1, &vx);
        if (rc == XP_OK && yy)
            rc = xp__view_slice(yy, -1, bounds[k], len, 1, &vy);
        if (rc == XP_OK)
            rc = xps_spectral_acc_feed(a, vx, vy);
        xp_array_free(vx);
        xp_array_free(vy);
        vx = vy = NULL;
    }
    if (rc == XP_OK && o.average == XPS_AVERAGE_MEAN) {
        rc = xps_spectral_acc_begin(kind, &o, p, xp_array_dtype(x), t->ndim, t->shape, &b);
        if (rc == XP_OK)
            rc = xp__view_slice(x, -1, 150, 50, 1, &vx);
        if (rc == XP_OK && yy)
            rc = xp__view_slice(yy, -1, 150, 50, 1, &vy);
        if (rc == XP_OK)
            rc = xps_spectral_acc_feed(b, vx, vy);
        if (rc == XP_OK)
            rc = xps_spectral_acc_merge(a, b);
    }
    if (rc == XP_OK)
        rc = xps_spectral_acc_end(a, NULL, out);
    xp_array_free(vx);
    xp_array_free(vy);
    xps_spectral_acc_free(a);
    xps_spectral_acc_free(b);
    return rc;
}

static void fault_loop(const xp_provider *p, const char *what, body_fn body, int variant,
                       xp_dtype dt)
{
    int64_t shape[2] = {2, 200};
    xp_array *x = xsp_input(p, dt, 2, shape, 29, 1, 1);
    xp_array *y = xsp_input(p, dt, 2, shape, 30, 0, 1);
    xp_array *ref = NULL;
    XPT_OK(body(p, x, y, variant, &ref));
    int64_t live = xpt_live(p);
    for (long k = 1; k < 5000; k++) {
        xp_array *out = NULL;
        xp__fault_set(k);
        int rc = body(p, x, y, variant, &out);
        xp__fault_set(0);
        if (rc == XP_OK) {
            ck_assert_msg(k > 1, "%s: no allocation to fail", what);
            if (getenv("XSP_VERBOSE"))
                fprintf(stderr, "%s on %s: %ld allocations failed in turn\n", what,
                        xp_provider_name(p), k - 1);
            ck_assert_msg(xpt_same(out, ref), "%s: result after faults differs", what);
            xp_array_free(out);
            xp_array_free(ref);
            xp_array_free(x);
            xp_array_free(y);
            return;
        }
        ck_assert_msg(rc == XP_ENOMEM, "%s, fault %ld: rc %d (%s)", what, k, rc, xp_errmsg());
        ck_assert_msg(out == NULL, "%s, fault %ld: output not NULL", what, k);
        ck_assert_msg(xpt_live(p) == live, "%s, fault %ld: %lld provider allocations leaked",
                      what, k, (long long)(xpt_live(p) - live));
    }
    ck_abort_msg("%s: still failing after 5000 faults", what);
}

START_TEST(test_faults)
{
    const xp_provider *p = xpt_provider(_i);
    char what[64];
    for (int fn = 0; fn < NFN; fn++)
        for (int extra = 0; extra < (fn == PERIODOGRAM ? 1 : 2); extra++) {
            snprintf(what, sizeof what, "%s variant %d", fn_names[fn], extra);
            fault_loop(p, what, body_estimator, fn + 10 * extra, XP_FLOAT64);
        }
    fault_loop(p, "welch float32", body_estimator, WELCH, XP_FLOAT32);
    fault_loop(p, "spectrogram complex64", body_estimator, SPECTROGRAM, XP_COMPLEX64);
    fault_loop(p, "stft", body_stft, 0, XP_FLOAT64);
    fault_loop(p, "stft odd", body_stft, 1, XP_COMPLEX128);
    fault_loop(p, "istft", body_stft, 2, XP_FLOAT32);
    fault_loop(p, "detrend constant", body_detrend, 0, XP_FLOAT64);
    fault_loop(p, "detrend linear", body_detrend, 1, XP_FLOAT64);
    fault_loop(p, "detrend_acc constant", body_detrend_acc, 0, XP_FLOAT64);
    fault_loop(p, "detrend_acc linear", body_detrend_acc, 1, XP_COMPLEX128);
    for (int v = 0; v < 5; v++) {
        snprintf(what, sizeof what, "accumulator variant %d", v);
        fault_loop(p, what, body_acc, v, v == 1 ? XP_FLOAT32 : XP_FLOAT64);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spectral_bad");
    TCase *tc = tcase_create("bad");
    tcase_set_timeout(tc, 120);
    int np = xpt_nproviders();
    tcase_add_loop_test(tc, test_nperseg_too_long, 0, np);
    tcase_add_loop_test(tc, test_bad_segments, 0, np);
    tcase_add_loop_test(tc, test_bad_window, 0, np);
    tcase_add_loop_test(tc, test_options_size, 0, np);
    tcase_add_loop_test(tc, test_empty, 0, np);
    tcase_add_loop_test(tc, test_nan_inf, 0, np);
    tcase_add_loop_test(tc, test_bad_pair, 0, np);
    tcase_add_loop_test(tc, test_bad_detrend, 0, np);
    tcase_add_loop_test(tc, test_bad_detrend_acc, 0, np);
    tcase_add_loop_test(tc, test_bad_stft, 0, np);
    tcase_add_loop_test(tc, test_bad_acc, 0, np);
    tcase_add_loop_test(tc, test_faults, 0, np);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
