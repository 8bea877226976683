/*
 * check_host_api.c -- the _f64 conveniences (lib/signal/host_api.c) give
 * exactly what the array functions give on the host provider, check their
 * buffers and capacities, leave the input untouched, work in place (y = x)
 * where they write the caller's buffer, and survive every allocation
 * failing in turn.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"

#define N 1000

static double X[N], Y[N], X0[N];

static void setup(void)
{
    xpt_random(X, N, 11);
    xpt_random(Y, N, 12);
    for (int i = 0; i < N; i++) {
        X[i] += 0.5 * sin(0.3 * i) + 1e-3 * i;     /* a tone and a trend */
        Y[i] = 0.5 * Y[i] + 0.7 * X[i];
    }
    memcpy(X0, X, sizeof X);
}

/* x[n] as a host array. */
static xp_array *host(const double *x, int64_t n)
{
    return xpt_array(xp_provider_host(), XP_FLOAT64, 1, &n, x);
}

/* a's values equal want[nv] exactly (same code, same order). */
static void same(const xp_array *a, const double *got, int64_t nv, const char *what)
{
    int64_t n = xp_array_size(a) * (xp_dtype_is_complex(xp_array_dtype(a)) ? 2 : 1);
    ck_assert_msg(n == nv, "%s: %lld values, want %lld", what, (long long)nv, (long long)n);
    double *want = xpt_values(a);
    for (int64_t i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i] || (isnan(got[i]) && isnan(want[i])),
                      "%s[%lld]: %.17g != %.17g", what, (long long)i, got[i], want[i]);
    free(want);
}

static void untouched(void)
{
    ck_assert_msg(!memcmp(X, X0, sizeof X), "the input was written");
}

/* ------------------------------------------------------------ spectral */

typedef enum { K_WELCH, K_PERIODOGRAM, K_CSD, K_COHERENCE } kind;

static int call_f64(kind k, const xps_spectral_options *o, int64_t ny, double *f, double *P,
                    int64_t cap, int64_t *nfreq)
{
    switch (k) {
    case K_WELCH:
        return xps_welch_f64(X, N, o, f, P, cap, nfreq);
    case K_PERIODOGRAM:
        return xps_periodogram_f64(X, N, o, f, P, cap, nfreq);
    case K_CSD:
        return xps_csd_f64(X, N, Y, ny, o, f, P, cap, nfreq);
    default:
        return xps_coherence_f64(X, N, Y, ny, o, f, P, cap, nfreq);
    }
}

static int call_array(kind k, const xps_spectral_options *o, int64_t ny, xp_array **f,
                      xp_array **P)
{
    xp_array *x = host(X, N), *y = host(Y, ny);
    int rc;
    switch (k) {
    case K_WELCH:
        rc = xps_welch(x, o, f, P);
        break;
    case K_PERIODOGRAM:
        rc = xps_periodogram(x, o, f, P);
        break;
    case K_CSD:
        rc = xps_csd(x, y, o, f, P);
        break;
    default:
        rc = xps_coherence(x, y, o, f, P);
    }
    xp_array_free(x);
    xp_array_free(y);
    return rc;
}

static void init_for(kind k, xps_spectral_options *o)
{
    if (k == K_PERIODOGRAM)
        xps_periodogram_options_init(o);
    else
        xps_welch_options_init(o);
}

/* Options worth trying: defaults, and a set with every field moved. */
static void options_case(kind k, int c, xps_spectral_options *o)
{
    init_for(k, o);
    if (c == 1) {
        o->fs = 4096;
        XPT_OK(xps_window_spec_parse("tukey,0.3", &o->window));
        if (k != K_PERIODOGRAM) {
            o->nperseg = 128;
            o->noverlap = 100;
        }
        o->nfft = k == K_PERIODOGRAM ? 1200 : 200;
        o->detrend = XPS_DETREND_LINEAR;
        o->scaling = XPS_SCALING_SPECTRUM;
        if (k == K_WELCH || k == K_CSD)
            o->average = XPS_AVERAGE_MEDIAN;
    } else if (c == 2) {
        o->return_onesided = 0;
        o->axis = 0;
    }
}

static const char *kind_name[] = {"welch", "periodogram", "csd", "coherence"};

START_TEST(test_spectral)
{
    kind k = (kind)_i;
    int cplx = k == K_CSD;
    for (int c = 0; c < 4; c++) {
        xps_spectral_options o;
        options_case(k, c < 3 ? c : 0, &o);
        /* c == 3: NULL options (the defaults); csd and coherence with a shorter y */
        const xps_spectral_options *op = c == 3 ? NULL : &o;
        int64_t ny = c == 3 ? N - 300 : N;
        xp_array *f = NULL, *P = NULL;
        XPT_OK(call_array(k, &o, ny, &f, &P));
        int64_t nf = xp_array_size(P), nfreq = -1;
        double *fb = malloc((size_t)nf * sizeof *fb), *Pb = malloc((size_t)nf * 2 * sizeof *Pb);
        /* too small: the size comes back, nothing is written */
        Pb[0] = -7;
        ck_assert_int_eq(call_f64(k, op, ny, fb, Pb, nf - 1, &nfreq), XP_ESHAPE);
        ck_assert_int_eq(nfreq, nf);
        ck_assert(Pb[0] == -7);
        ck_assert_msg(strstr(xp_errmsg(), "cap") != NULL, "%s", xp_errmsg());
        XPT_OK(call_f64(k, op, ny, fb, Pb, nf, &nfreq));
        ck_assert_int_eq(nfreq, nf);
        same(f, fb, nf, "f");
        same(P, Pb, cplx ? 2 * nf : nf, kind_name[k]);
        /* f is optional; the bound in the header holds */
        int64_t bound = o.nfft > N ? o.nfft : N;
        ck_assert_int_le(nf, bound);
        XPT_OK(call_f64(k, op, ny, NULL, Pb, bound, &nfreq));
        same(P, Pb, cplx ? 2 * nf : nf, kind_name[k]);
        untouched();
        xp_array_free(f);
        xp_array_free(P);
        free(fb);
        free(Pb);
    }
}
END_TEST

START_TEST(test_spectral_errors)
{
    double f[600], P[1200];
    int64_t nfreq = 5;
    xps_spectral_options o;
    xps_welch_options_init(&o);
    ck_assert_int_eq(xps_welch_f64(X, N, &o, f, NULL, 600, &nfreq), XP_EINVAL);
    ck_assert_int_eq(xps_welch_f64(X, N, &o, f, P, 600, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_welch_f64(NULL, N, &o, f, P, 600, &nfreq), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "x is NULL") != NULL, "%s", xp_errmsg());
    ck_assert_int_eq(nfreq, 0);
    ck_assert_int_eq(xps_welch_f64(X, -3, &o, f, P, 600, &nfreq), XP_ESHAPE);
    ck_assert_int_eq(xps_welch_f64(X, N, &o, f, P, -1, &nfreq), XP_ESHAPE);
    ck_assert_int_eq(xps_welch_f64(X, 0, &o, f, P, 600, &nfreq), XP_ESHAPE);
    ck_assert_int_eq(xps_csd_f64(X, N, NULL, N, &o, f, P, 600, &nfreq), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "y is NULL") != NULL, "%s", xp_errmsg());
    /* the array function's own checks and messages */
    o.noverlap = 300;
    ck_assert_int_eq(xps_welch_f64(X, N, &o, f, P, 600, &nfreq), XP_EINVAL);
    ck_assert_str_eq(xp_errmsg(), "welch: noverlap (300) must be less than nperseg (256)");
    xps_welch_options_init(&o);
    o.axis = 1;
    ck_assert_int_eq(xps_welch_f64(X, N, &o, f, P, 600, &nfreq), XP_ESHAPE);
    o.axis = -1;
    o.size = 8;
    ck_assert_int_eq(xps_periodogram_f64(X, N, &o, f, P, 600, &nfreq), XP_EINVAL);
}
END_TEST

/* ------------------------------------------------------------ detrend */

START_TEST(test_detrend)
{
    int64_t bp[2] = {200, 700};
    for (int t = 0; t < 3; t++)
        for (int withbp = 0; withbp < 2; withbp++) {
            xp_array *x = host(X, N), *want = NULL;
            int64_t nbp = withbp && t == XPS_DETREND_LINEAR ? 2 : 0;
            XPT_OK(xps_detrend(x, -1, (xps_detrend_type)t, bp, nbp, &want));
            double y[N];
            XPT_OK(xps_detrend_f64(X, N, (xps_detrend_type)t, bp, nbp, y));
            same(want, y, N, "detrend");
            untouched();
            xp_array_free(x);
            xp_array_free(want);
        }
    double y[4];
    ck_assert_int_eq(xps_detrend_f64(X, 4, XPS_DETREND_LINEAR, NULL, 0, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_detrend_f64(X, 4, (xps_detrend_type)7, NULL, 0, y), XP_EINVAL);
}
END_TEST

/* ---------------------------------------------------------- filtering */

/* butter(4, 0.2) and its sos form, by the library. */
static double B[5], A[5], SOS[2][6];

static void design(void)
{
    double wn = 0.2;
    int64_t nb, na, nsec;
    XPT_OK(xps_butter(4, &wn, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, B, &nb, A, &na, NULL));
    ck_assert(nb == 5 && na == 5);
    double c1[XPS_IIR_BUFLEN(4)];
    XPT_OK(xps_butter(4, &wn, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_SOS, 0, c1, &nsec, NULL,
                      NULL, NULL));
    ck_assert(nsec == 2);
    memcpy(SOS, c1, sizeof SOS);
}

START_TEST(test_lfilter)
{
    design();
    xp_array *x = host(X, N);
    double zi[4] = {0.1, -0.2, 0.3, 0.05}, y[N], zf[4];
    int64_t zs = 4;
    xp_array *azi = host(zi, zs), *want = NULL, *wantzf = NULL;
    /* without state */
    XPT_OK(xps_lfilter(B, 5, A, 5, x, -1, NULL, &want, NULL));
    XPT_OK(xps_lfilter_f64(B, 5, A, 5, X, N, NULL, y, NULL));
    same(want, y, N, "lfilter");
    /* zf without zi: from rest, same y */
    XPT_OK(xps_lfilter_f64(B, 5, A, 5, X, N, NULL, y, zf));
    same(want, y, N, "lfilter (zf only)");
    xp_array_free(want);
    xp_array *zero = NULL;
    XPT_OK(xp_array_zeros(xp_provider_host(), XP_FLOAT64, 1, &zs, &zero));
    XPT_OK(xps_lfilter(B, 5, A, 5, x, -1, zero, &want, &wantzf));
    same(wantzf, zf, 4, "lfilter zf (zero zi)");
    xp_array_free(want);
    xp_array_free(wantzf);
    xp_array_free(zero);
    /* with state */
    XPT_OK(xps_lfilter(B, 5, A, 5, x, -1, azi, &want, &wantzf));
    XPT_OK(xps_lfilter_f64(B, 5, A, 5, X, N, zi, y, zf));
    same(want, y, N, "lfilter zi");
    same(wantzf, zf, 4, "lfilter zf");
    XPT_OK(xps_lfilter_f64(B, 5, A, 5, X, N, zi, y, NULL));
    same(want, y, N, "lfilter zi, no zf");
    untouched();
    xp_array_free(want);
    xp_array_free(wantzf);
    xp_array_free(azi);
    xp_array_free(x);
    ck_assert_int_eq(xps_lfilter_f64(B, 0, A, 5, X, N, NULL, y, NULL), XP_ESHAPE);
    ck_assert_int_eq(xps_lfilter_f64(B, 5, A, 5, X, N, NULL, NULL, NULL), XP_EINVAL);
    double a0[2] = {0, 1};
    ck_assert_int_eq(xps_lfilter_f64(B, 5, a0, 2, X, N, NULL, y, NULL), XP_EINVAL);
}
END_TEST

START_TEST(test_sosfilt)
{
    design();
    xp_array *x = host(X, N);
    double zi[4] = {0.1, -0.2, 0.3, 0.05}, y[N], zf[4];
    int64_t zshape[2] = {2, 2};
    xp_array *azi = xpt_array(xp_provider_host(), XP_FLOAT64, 2, zshape, zi);
    xp_array *want = NULL, *wantzf = NULL;
    XPT_OK(xps_sosfilt(&SOS[0][0], 2, x, -1, NULL, &want, NULL));
    XPT_OK(xps_sosfilt_f64(&SOS[0][0], 2, X, N, NULL, y, NULL));
    same(want, y, N, "sosfilt");
    XPT_OK(xps_sosfilt_f64(&SOS[0][0], 2, X, N, NULL, y, zf));
    same(want, y, N, "sosfilt (zf only)");
    xp_array_free(want);
    XPT_OK(xps_sosfilt(&SOS[0][0], 2, x, -1, azi, &want, &wantzf));
    XPT_OK(xps_sosfilt_f64(&SOS[0][0], 2, X, N, zi, y, zf));
    same(want, y, N, "sosfilt zi");
    same(wantzf, zf, 4, "sosfilt zf");
    untouched();
    xp_array_free(want);
    xp_array_free(wantzf);
    xp_array_free(azi);
    xp_array_free(x);
    ck_assert_int_eq(xps_sosfilt_f64(NULL, 2, X, N, NULL, y, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_sosfilt_f64(&SOS[0][0], 0, X, N, NULL, y, NULL), XP_ESHAPE);
}
END_TEST

START_TEST(test_filtfilt)
{
    design();
    xp_array *x = host(X, N);
    double y[N];
    for (int c = 0; c < 4; c++) {
        xps_filtfilt_options o;
        xps_filtfilt_options_init(&o);
        if (c == 1) {
            o.padtype = XPS_PAD_EVEN;
            o.padlen = 40;
        } else if (c == 2) {
            o.method = XPS_FILTFILT_GUST;
        } else if (c == 3) {
            o.padtype = XPS_PAD_NONE;
            o.axis = 0;
        }
        xp_array *want = NULL;
        XPT_OK(xps_filtfilt(B, 5, A, 5, x, &o, &want));
        XPT_OK(xps_filtfilt_f64(B, 5, A, 5, X, N, &o, y));
        same(want, y, N, "filtfilt");
        if (c == 0) {
            XPT_OK(xps_filtfilt_f64(B, 5, A, 5, X, N, NULL, y));
            same(want, y, N, "filtfilt (NULL options)");
        }
        xp_array_free(want);
        if (c == 2)
            continue;
        XPT_OK(xps_sosfiltfilt(&SOS[0][0], 2, x, &o, &want));
        XPT_OK(xps_sosfiltfilt_f64(&SOS[0][0], 2, X, N, c ? &o : NULL, y));
        same(want, y, N, "sosfiltfilt");
        xp_array_free(want);
    }
    untouched();
    xp_array_free(x);
    /* too short for the pad */
    ck_assert_int_eq(xps_filtfilt_f64(B, 5, A, 5, X, 10, NULL, y), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "filtfilt") == xp_errmsg(), "%s", xp_errmsg());
    ck_assert_int_eq(xps_sosfiltfilt_f64(NULL, 2, X, N, NULL, y), XP_EINVAL);
    ck_assert_int_eq(xps_filtfilt_f64(B, 5, A, 5, X, N, NULL, NULL), XP_EINVAL);
}
END_TEST

/* ------------------------------------------------------------ in place */

/* y = x: the filters and detrend write into the caller's buffer, so a
 * buffer filtered in place holds what a separate y would; lfilter's zf may
 * be its zi (a stream's state in one buffer).  A y that overlaps x other
 * than exactly is refused, and x is then untouched. */
START_TEST(test_in_place)
{
    design();
    static double w[N], want[N];
    double zi[4] = {0.1, -0.2, 0.3, 0.05}, z[4], wantzf[4];
    for (int c = 0; c < 5; c++) {
        memcpy(w, X, sizeof w);
        memcpy(z, zi, sizeof z);
        switch (c) {
        case 0:
            XPT_OK(xps_detrend_f64(X, N, XPS_DETREND_LINEAR, NULL, 0, want));
            XPT_OK(xps_detrend_f64(w, N, XPS_DETREND_LINEAR, NULL, 0, w));
            break;
        case 1:
            XPT_OK(xps_lfilter_f64(B, 5, A, 5, X, N, zi, want, wantzf));
            XPT_OK(xps_lfilter_f64(B, 5, A, 5, w, N, z, w, z));
            ck_assert(!memcmp(z, wantzf, sizeof z));
            break;
        case 2:
            XPT_OK(xps_sosfilt_f64(&SOS[0][0], 2, X, N, zi, want, wantzf));
            XPT_OK(xps_sosfilt_f64(&SOS[0][0], 2, w, N, z, w, z));
            ck_assert(!memcmp(z, wantzf, sizeof z));
            break;
        case 3:
            XPT_OK(xps_filtfilt_f64(B, 5, A, 5, X, N, NULL, want));
            XPT_OK(xps_filtfilt_f64(B, 5, A, 5, w, N, NULL, w));
            break;
        default:
            XPT_OK(xps_sosfiltfilt_f64(&SOS[0][0], 2, X, N, NULL, want));
            XPT_OK(xps_sosfiltfilt_f64(&SOS[0][0], 2, w, N, NULL, w));
        }
        ck_assert_msg(!memcmp(w, want, sizeof w), "case %d: in place differs", c);
    }
    untouched();
    memcpy(w, X, sizeof w);
    ck_assert_int_eq(xps_filtfilt_f64(B, 5, A, 5, w, N - 1, NULL, w + 1), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "y shares memory with x"), "%s", xp_errmsg());
    ck_assert_int_eq(xps_detrend_f64(w + 1, N - 1, XPS_DETREND_LINEAR, NULL, 0, w), XP_EINVAL);
    ck_assert_int_eq(xps_lfilter_f64(B, 5, A, 5, X, N, w, w, NULL), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "y shares memory with zi"), "%s", xp_errmsg());
    ck_assert(!memcmp(w, X, sizeof w));
}
END_TEST

/* ---------------------------------------------------- fault injection */

static int run_all(int which, double *out, double *out2)
{
    xps_spectral_options o;
    int64_t nfreq;
    double zi[4] = {0.1, -0.2, 0.3, 0.05};
    int64_t bp[1] = {300};
    xps_welch_options_init(&o);
    o.average = XPS_AVERAGE_MEDIAN;
    switch (which) {
    case 0:
        return xps_welch_f64(X, N, &o, out2, out, N, &nfreq);
    case 1:
        return xps_csd_f64(X, N, Y, N - 100, &o, out2, out, N, &nfreq);
    case 2:
        return xps_coherence_f64(X, N, Y, N, NULL, out2, out, N, &nfreq);
    case 3:
        return xps_periodogram_f64(X, N, NULL, out2, out, N, &nfreq);
    case 4:
        return xps_detrend_f64(X, N, XPS_DETREND_LINEAR, bp, 1, out);
    case 5:
        return xps_lfilter_f64(B, 5, A, 5, X, N, NULL, out, out2);
    case 6:
        return xps_sosfilt_f64(&SOS[0][0], 2, X, N, zi, out, out2);
    case 7:
        return xps_filtfilt_f64(B, 5, A, 5, X, N, NULL, out);
    default:
        return xps_sosfiltfilt_f64(&SOS[0][0], 2, X, N, NULL, out);
    }
}

START_TEST(test_faults)
{
    design();
    int which = _i;
    double *want = calloc(2 * N, sizeof *want), *want2 = calloc(N, sizeof *want2);
    double *got = calloc(2 * N, sizeof *got), *got2 = calloc(N, sizeof *got2);
    XPT_OK(run_all(which, want, want2));
    long f;
    for (f = 1; f < 10000; f++) {
        xp__fault_set(f);
        int rc = run_all(which, got, got2);
        long seen = xp__fault_seen();
        xp__fault_set(0);
        untouched();
        if (rc == XP_OK) {
            ck_assert_msg(!memcmp(got, want, 2 * N * sizeof *got), "case %d: wrong after "
                          "fault %ld", which, f);
            ck_assert(!memcmp(got2, want2, N * sizeof *got2));
            if (seen < f)
                break;
            continue;
        }
        ck_assert_msg(rc == XP_ENOMEM, "case %d fault %ld: %d %s", which, f, rc, xp_errmsg());
    }
    ck_assert_msg(f > 1 && f < 10000, "case %d: %ld allocations", which, f);
    free(want);
    free(want2);
    free(got);
    free(got2);
}
END_TEST

int main(void)
{
    setup();
    Suite *s = suite_create("host_api");
    TCase *tc = tcase_create("f64");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_spectral, K_WELCH, K_COHERENCE + 1);
    tcase_add_test(tc, test_spectral_errors);
    tcase_add_test(tc, test_detrend);
    tcase_add_test(tc, test_lfilter);
    tcase_add_test(tc, test_sosfilt);
    tcase_add_test(tc, test_filtfilt);
    tcase_add_test(tc, test_in_place);
    tcase_add_loop_test(tc, test_faults, 0, 9);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
