/*
 * check_windows.c -- the windows of lib/signal/windows against SciPy's
 * (tests/golden/windows.txt, written by tests/golden/gen_windows.py), spec
 * parsing, errors, properties, get_window on every provider, and
 * allocation failures.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"

#define TOL 1e-12           /* max |ours - SciPy| / max |SciPy| per case */

/* dpss tapers are eigenvectors of a tridiagonal T with |T| ~ M^2/4: a
 * double-precision solver (SciPy's LAPACK dstebz/dstein) is off by about
 * eps |T| / gap, which grows as M^2.  At M = 1000 SciPy's tapers are ~5e-13
 * (relative) from a 40-digit reference, ours (extended precision inverse
 * iteration) ~5e-14; at M = 1e5 SciPy's are ~2e-9 off. */
static double dpss_tol(int64_t M)
{
    double s = (double)M / 400;
    return 1e-12 * (s > 1 ? s * s : 1);
}

/* ------------------------------------------------------------ golden file */

typedef struct {
    char kind;              /* 'w', 'd' or 'g' */
    char name[64];          /* window name, or the spec text for 'g' */
    int64_t M;
    int sym;                /* sym for 'w' and 'd', fftbins for 'g' */
    int np;
    double prm[16];
    double NW;
    int64_t K;
    int norm;
    double *vals;           /* M values, K * M for 'd' */
    double *ratios;         /* K for 'd' */
} gcase;

static gcase *cases;
static int ncases;

static void load_golden(void)
{
    if (cases)
        return;
    char path[4096];
    FILE *f = xpt_golden_open("windows.txt", path, sizeof path);
    int cap = 0;
    char *line;
    while ((line = xpt_read_line(f))) {
        if (line[0] == '#' || line[0] == '\0') {
            free(line);
            continue;
        }
        if (ncases == cap) {
            cap = cap ? 2 * cap : 256;
            cases = realloc(cases, (size_t)cap * sizeof *cases);
        }
        gcase *c = &cases[ncases++];
        memset(c, 0, sizeof *c);
        c->kind = line[0];
        char *p = line + 2;
        long long M, K;
        int used = 0;
        if (c->kind == 'w') {
            ck_assert(sscanf(p, "%63s %lld %d %d%n", c->name, &M, &c->sym, &c->np,
                             &used) == 4);
            p += used;
            for (int i = 0; i < c->np; i++)
                c->prm[i] = strtod(p, &p);
            c->M = M;
            c->vals = xpt_read_values(f, NULL, c->M);
        } else if (c->kind == 'd') {
            ck_assert(sscanf(p, "%lld %lf %lld %d %d", &M, &c->NW, &K, &c->sym,
                             &c->norm) == 5);
            c->M = M;
            c->K = K;
            strcpy(c->name, "dpss");
            c->vals = malloc((size_t)(K * M + 1) * sizeof(double));
            for (int64_t k = 0; k < K; k++) {
                double *row = xpt_read_values(f, NULL, M);
                memcpy(c->vals + k * M, row, (size_t)M * sizeof(double));
                free(row);
            }
            c->ratios = xpt_read_values(f, NULL, K);
        } else {
            ck_assert(c->kind == 'g');
            ck_assert(sscanf(p, "%lld %d %n", &M, &c->sym, &used) == 2);
            c->M = M;
            snprintf(c->name, sizeof c->name, "%s", p + used);
            c->vals = xpt_read_values(f, NULL, c->M);
        }
        free(line);
    }
    fclose(f);
    ck_assert_int_gt(ncases, 1000);
}

/* max |a - b| / max |b| (0 for n = 0). */
static double err_of(const double *a, const double *b, int64_t n)
{
    return n > 0 ? xpt_rel_err(a, b, n) : 0;
}

/* Largest error seen per window name, for the report in the test log. */
typedef struct {
    char name[64];
    double err;
    int n;
} errstat;

static void note(errstat *st, int *nst, const char *name, double err)
{
    int i = 0;
    while (i < *nst && strcmp(st[i].name, name))
        i++;
    if (i == *nst) {
        snprintf(st[i].name, sizeof st[i].name, "%s", name);
        st[i].err = 0;
        st[i].n = 0;
        (*nst)++;
    }
    st[i].err = fmax(st[i].err, err);
    st[i].n++;
}

START_TEST(test_golden_windows)
{
    load_golden();
    errstat st[64];
    int nst = 0, bad = 0;
    for (int ci = 0; ci < ncases; ci++) {
        gcase *c = &cases[ci];
        if (c->kind != 'w')
            continue;
        double *w = malloc((size_t)(c->M + 1) * sizeof(double));
        int rc = xps_window(c->name, c->prm, c->np, c->M, c->sym, w);
        double e = rc ? INFINITY : err_of(w, c->vals, c->M);
        note(st, &nst, c->name, e);
        if (!(e <= TOL) && bad++ < 10)
            fprintf(stderr, "FAIL %s M=%lld sym=%d np=%d p0=%g: rc %d (%s), err %.3g\n",
                    c->name, (long long)c->M, c->sym, c->np, c->prm[0], rc,
                    xp_errmsg(), e);
        free(w);
    }
    printf("windows: max error against SciPy per window (cases)\n");
    for (int i = 0; i < nst; i++)
        printf("  %-22s %.3g (%d)\n", st[i].name, st[i].err, st[i].n);
    ck_assert_int_eq(nst, 25);
    ck_assert_msg(bad == 0, "%d window cases beyond %g", bad, TOL);
}
END_TEST

START_TEST(test_golden_dpss)
{
    load_golden();
    double emax = 0, rmax = 0;
    int n = 0;
    for (int ci = 0; ci < ncases; ci++) {
        gcase *c = &cases[ci];
        if (c->kind != 'd')
            continue;
        double *w = malloc((size_t)(c->K * c->M + 1) * sizeof(double));
        double *r = malloc((size_t)c->K * sizeof(double));
        XPT_OK(xps_window_dpss(c->M, c->NW, c->K, c->sym, c->norm, w, r));
        for (int64_t k = 0; k < c->K; k++) {
            double e = err_of(w + k * c->M, c->vals + k * c->M, c->M);
            double er = fabs(r[k] - c->ratios[k]);
            ck_assert_msg(e <= dpss_tol(c->M) && er <= TOL,
                          "dpss M=%lld NW=%g K=%lld sym=%d norm=%d taper %lld: "
                          "err %.3g, ratio err %.3g", (long long)c->M, c->NW,
                          (long long)c->K, c->sym, c->norm, (long long)k, e, er);
            if (getenv("XPT_VERBOSE"))
                printf("    dpss M=%lld NW=%g K=%lld sym=%d norm=%d taper %lld: "
                       "%.3g, ratio %.3g\n", (long long)c->M, c->NW, (long long)c->K,
                       c->sym, c->norm, (long long)k, e, er);
            emax = fmax(emax, e);
            rmax = fmax(rmax, er);
        }
        n++;
        free(w);
        free(r);
    }
    printf("  %-22s %.3g tapers, %.3g ratios (%d cases)\n", "dpss (Kmax tapers)",
           emax, rmax, n);
    ck_assert_int_gt(n, 5);
}
END_TEST

/* get_window cases: spec text, aliases, suffixes, defaults, a bare beta. */
START_TEST(test_golden_get_window)
{
    load_golden();
    int n = 0;
    double emax = 0;
    for (int ci = 0; ci < ncases; ci++) {
        gcase *c = &cases[ci];
        if (c->kind != 'g')
            continue;
        xps_window_spec spec;
        XPT_OK(xps_window_spec_parse(c->name, &spec));
        xp_array *a = NULL;
        XPT_OK(xps_get_window(&spec, c->M, c->sym, xp_provider_host(), XP_FLOAT64, &a));
        ck_assert_int_eq(xp_array_ndim(a), 1);
        ck_assert_int_eq(xp_array_dim(a, 0), c->M);
        double *v = xpt_values(a);
        double e = err_of(v, c->vals, c->M);
        ck_assert_msg(e <= TOL, "get_window('%s', %lld, fftbins=%d): err %.3g",
                      c->name, (long long)c->M, c->sym, e);
        emax = fmax(emax, e);
        free(v);
        xp_array_free(a);
        n++;
    }
    printf("  %-22s %.3g (%d cases)\n", "get_window specs", emax, n);
    ck_assert_int_gt(n, 20);
}
END_TEST

/* ------------------------------------------------------------- properties */

static const char *const plain[] = {
    "boxcar", "triang", "parzen", "bohman", "blackman", "nuttall",
    "blackmanharris", "flattop", "bartlett", "barthann", "hamming", "hann",
    "cosine", "lanczos", "tukey", "taylor", "exponential",
};

typedef struct {
    const char *name;
    int np;
    double p[3];
} named;

static const named with_params[] = {
    {"kaiser", 1, {8.6}}, {"gaussian", 1, {7}}, {"general_gaussian", 2, {1.5, 7}},
    {"general_cosine", 3, {0.42, 0.5, 0.08}}, {"general_hamming", 1, {0.6}},
    {"chebwin", 1, {100}}, {"dpss", 1, {0.8}}, {"tukey", 1, {0.3}},
    {"taylor", 3, {5, 40, 0}},
};

/* Symmetric windows are symmetric; a periodic window is the symmetric one
 * of M + 1 points without its last. */
static void check_sym_periodic(const char *name, const double *p, int np)
{
    for (int64_t M = 2; M <= 70; M += 17) {
        double *s = malloc((size_t)(M + 1) * sizeof(double));
        double *q = malloc((size_t)M * sizeof(double));
        XPT_OK(xps_window(name, p, np, M, 1, s));
        for (int64_t i = 0; i < M; i++)
            ck_assert_msg(fabs(s[i] - s[M - 1 - i]) <= 1e-14,
                          "%s M=%lld not symmetric at %lld", name, (long long)M,
                          (long long)i);
        XPT_OK(xps_window(name, p, np, M + 1, 1, s));
        XPT_OK(xps_window(name, p, np, M, 0, q));
        for (int64_t i = 0; i < M; i++)
            ck_assert_msg(fabs(q[i] - s[i]) <= 1e-14, "%s periodic M=%lld at %lld",
                          name, (long long)M, (long long)i);
        free(s);
        free(q);
    }
}

START_TEST(test_sym_periodic)
{
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        check_sym_periodic(plain[i], NULL, 0);
    for (size_t i = 0; i < sizeof with_params / sizeof with_params[0]; i++)
        check_sym_periodic(with_params[i].name, with_params[i].p, with_params[i].np);
}
END_TEST

START_TEST(test_small_lengths)
{
    double w[2] = {-7, -7};
    for (size_t i = 0; i < sizeof with_params / sizeof with_params[0]; i++)
        for (int sym = 0; sym < 2; sym++) {
            w[0] = -7;
            XPT_OK(xps_window(with_params[i].name, with_params[i].p,
                              with_params[i].np, 0, sym, w));
            ck_assert(w[0] == -7);                  /* M = 0: nothing */
            XPT_OK(xps_window(with_params[i].name, with_params[i].p,
                              with_params[i].np, 1, sym, w));
            ck_assert(w[0] == 1.0);                 /* M = 1: [1.0] */
        }
    XPT_OK(xps_window("hann", NULL, 0, 0, 1, NULL));
    /* dpss with M <= 1: all ones, ratios 1 */
    double t[3], r[3];
    XPT_OK(xps_window_dpss(1, 0.3, 3, 1, XPS_DPSS_NORM_L2, t, r));
    for (int k = 0; k < 3; k++)
        ck_assert(t[k] == 1.0 && r[k] == 1.0);
    XPT_OK(xps_window_dpss(0, 0.3, 2, 0, XPS_DPSS_NORM_L2, NULL, r));
}
END_TEST

/* Beyond SciPy: a large beta stays finite (SciPy's I0 ratio overflows). */
START_TEST(test_kaiser_large_beta)
{
    double p = 800, w[65];
    XPT_OK(xps_window("kaiser", &p, 1, 65, 1, w));
    ck_assert(w[32] == 1.0);
    for (int i = 0; i < 65; i++)
        ck_assert(isfinite(w[i]) && w[i] >= 0 && w[i] <= 1);
    ck_assert(w[0] < 1e-300 && w[20] > 0);
    /* beta = 0 is the boxcar */
    p = 0;
    XPT_OK(xps_window("kaiser", &p, 1, 65, 0, w));
    for (int i = 0; i < 65; i++)
        ck_assert(w[i] == 1.0);
}
END_TEST

/* chebwin at lengths past the golden ones: the spectrum p as chebwin
 * computes it (in double), its DFT summed directly in long double; odd,
 * even, prime and power-of-two lengths. */
START_TEST(test_chebwin_long)
{
    const int64_t Ms[] = {1000, 1024, 1031, 2049};
    const long double pi = 3.14159265358979323846264338327950288L;
    for (size_t t = 0; t < sizeof Ms / sizeof Ms[0]; t++) {
        int64_t N = Ms[t];
        double at = 120, *w = malloc((size_t)N * sizeof(double));
        XPT_OK(xps_window("chebwin", &at, 1, N, 1, w));
        double order = N - 1.0, beta = cosh(1.0 / order * acosh(pow(10, at / 20.)));
        double *p = malloc((size_t)N * sizeof(double));
        for (int64_t k = 0; k < N; k++) {
            double x = beta * cos(M_PI * (double)k / (double)N);
            p[k] = x > 1 ? cosh(order * acosh(x))
                 : x < -1 ? (N % 2 ? 1 : -1) * cosh(order * acosh(-x))
                 : cos(order * acos(x));
        }
        double *ref = malloc((size_t)N * sizeof(double)), big = 0;
        for (int64_t i = 0; i < N; i++) {
            /* w[i] = sum_k p_k cos(2 pi k (i - (N-1)/2) / N), both parities;
             * the angle reduced exactly: 2 k (2i - N + 1) mod 4N quarters */
            long double s = 0;
            int64_t c2 = 2 * i - (N - 1);
            for (int64_t k = 0; k < N; k++) {
                int64_t q = (k * c2) % (2 * N);
                s += p[k] * cosl(pi * (long double)q / (long double)N);
            }
            ref[i] = (double)s;
            big = fmax(big, ref[i]);
        }
        for (int64_t i = 0; i < N; i++)
            ref[i] /= big;
        double e = xpt_rel_err(w, ref, N);
        ck_assert_msg(e < 1e-13, "chebwin M=%lld: err %.3g", (long long)N, e);
        if (getenv("XPT_VERBOSE"))
            printf("    chebwin M=%lld: %.3g\n", (long long)N, e);
        free(w);
        free(p);
        free(ref);
    }
}
END_TEST

/* Long dpss: orthonormal tapers, ratios decreasing toward 0 past 2NW. */
START_TEST(test_dpss_long)
{
    const int64_t M = 4096, K = 8;
    double *w = malloc((size_t)(M * K) * sizeof(double)), r[8];
    XPT_OK(xps_window_dpss(M, 4, K, 1, XPS_DPSS_NORM_L2, w, r));
    for (int64_t a = 0; a < K; a++)
        for (int64_t b = 0; b <= a; b++) {
            double s = 0;
            for (int64_t i = 0; i < M; i++)
                s += w[a * M + i] * w[b * M + i];
            ck_assert_msg(fabs(s - (a == b)) < 1e-12, "<%lld,%lld> = %.17g",
                          (long long)a, (long long)b, s);
        }
    for (int k = 0; k < 6; k++)
        ck_assert_msg(r[k] > 0.99 && r[k] <= 1 + 1e-12, "ratio %d = %g", k, r[k]);
    for (int k = 1; k < K; k++)
        ck_assert(r[k] < r[k - 1]);
    free(w);
}
END_TEST

/* ----------------------------------------------------------- spec parsing */

START_TEST(test_spec_parse)
{
    xps_window_spec s;
    xps_window_spec_init(&s);
    ck_assert_str_eq(s.name, "hann");
    ck_assert_int_eq(s.nparams, 0);
    ck_assert(s.size == sizeof s && s.array == NULL);

    XPT_OK(xps_window_spec_parse("tukey,0.25", &s));
    ck_assert_str_eq(s.name, "tukey");
    ck_assert_int_eq(s.nparams, 1);
    ck_assert(s.params[0] == 0.25);

    XPT_OK(xps_window_spec_parse("  kaiser , 8.6 ", &s));
    ck_assert_str_eq(s.name, "kaiser");
    ck_assert(s.nparams == 1 && s.params[0] == 8.6);

    XPT_OK(xps_window_spec_parse("8.6", &s));                /* bare beta */
    ck_assert_str_eq(s.name, "kaiser");
    ck_assert(s.nparams == 1 && s.params[0] == 8.6);

    XPT_OK(xps_window_spec_parse("general_cosine,0.5,0.5", &s));
    ck_assert_str_eq(s.name, "general_cosine");
    ck_assert(s.nparams == 2 && s.params[0] == 0.5 && s.params[1] == 0.5);

    XPT_OK(xps_window_spec_parse("exponential,None,3", &s));
    ck_assert(s.nparams == 2 && isnan(s.params[0]) && s.params[1] == 3);

    XPT_OK(xps_window_spec_parse("taylor,4,30,False", &s));
    ck_assert(s.nparams == 3 && s.params[2] == 0);

    XPT_OK(xps_window_spec_parse("general gaussian,1.5,7", &s));
    ck_assert_str_eq(s.name, "general gaussian");
    XPT_OK(xps_window_spec_parse("hann_periodic", &s));
    XPT_OK(xps_window_spec_parse("boxcar", &s));
    ck_assert_int_eq(s.nparams, 0);

    /* errors leave the spec as it was */
    xps_window_spec_init(&s);
    ck_assert_int_eq(xps_window_spec_parse("hannn", &s), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "unknown window 'hannn'; known: boxcar, triang"));
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "dpss, lanczos"));
    ck_assert_str_eq(s.name, "hann");
    ck_assert_int_eq(xps_window_spec_parse("", &s), XP_EFORMAT);
    ck_assert_int_eq(xps_window_spec_parse(" ,3", &s), XP_EFORMAT);
    ck_assert_int_eq(xps_window_spec_parse("tukey,abc", &s), XP_EFORMAT);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "'abc'"));
    ck_assert_int_eq(xps_window_spec_parse("tukey,", &s), XP_EFORMAT);
    ck_assert_int_eq(xps_window_spec_parse("tukey,nan", &s), XP_EFORMAT);
    ck_assert_int_eq(xps_window_spec_parse("kaiser", &s), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "window 'kaiser' needs parameter beta"));
    ck_assert_int_eq(xps_window_spec_parse("general_gaussian,1", &s), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "needs parameters p, sig"));
    ck_assert_int_eq(xps_window_spec_parse("hann,1", &s), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "takes no parameters"));
    ck_assert_int_eq(xps_window_spec_parse("tukey,1,2", &s), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "at most 1 parameter"));
    ck_assert_int_eq(xps_window_spec_parse("kaiser,None", &s), XP_EINVAL);
    ck_assert_int_eq(xps_window_spec_parse("hanning", &s), XP_EINVAL);
    ck_assert_int_eq(xps_window_spec_parse(
        "general_cosine,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", &s), XP_EINVAL);
    XPT_OK(xps_window_spec_parse("general_cosine,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", &s));
    ck_assert_int_eq(s.nparams, 16);
    xps_window_spec_init(&s);
    ck_assert_int_eq(xps_window_spec_parse("a_window_name_much_longer_than_31", &s),
                     XP_EINVAL);
    ck_assert_int_eq(xps_window_spec_parse(NULL, &s), XP_EINVAL);
    ck_assert_int_eq(xps_window_spec_parse("hann", NULL), XP_EINVAL);
    ck_assert_str_eq(s.name, "hann");
    xps_window_spec_init(NULL);
}
END_TEST

/* ----------------------------------------------------------------- errors */

START_TEST(test_errors)
{
    double w[16], p[2] = {3, 1};
    ck_assert_int_eq(xps_window("hannn", NULL, 0, 8, 1, w), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "get_window: unknown window 'hannn'; known: boxcar"));
    ck_assert_int_eq(xps_window(NULL, NULL, 0, 8, 1, w), XP_EINVAL);
    ck_assert_int_eq(xps_window("hann", NULL, 0, -1, 1, w), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "M (-1)"));
    ck_assert_int_eq(xps_window("hann", NULL, 0, 8, 1, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_window("kaiser", NULL, 0, 8, 1, w), XP_EINVAL);
    ck_assert_int_eq(xps_window("kaiser", NULL, 1, 8, 1, w), XP_EINVAL);
    ck_assert_int_eq(xps_window("kaiser", p, -1, 8, 1, w), XP_EINVAL);
    ck_assert_int_eq(xps_window("hann", p, 1, 8, 1, w), XP_EINVAL);
    ck_assert_int_eq(xps_window("gaussian", p, 2, 8, 1, w), XP_EINVAL);
    /* exponential: a symmetric window must be centred */
    ck_assert_int_eq(xps_window("exponential", p, 2, 8, 1, w), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "center"));
    XPT_OK(xps_window("exponential", p, 2, 8, 0, w));
    /* kaiser_bessel_derived: symmetric and even only */
    ck_assert_int_eq(xps_window("kbd", p, 1, 8, 0, w), XP_EINVAL);
    ck_assert_int_eq(xps_window("kbd", p, 1, 7, 1, w), XP_EINVAL);
    ck_assert_int_eq(xps_window("kbd", p, 1, 1, 1, w), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "must be even"));
    XPT_OK(xps_window("kbd_symmetric", p, 1, 8, 0, w));
    /* taylor: nbar a positive integer */
    double tp[1] = {2.5};
    ck_assert_int_eq(xps_window("taylor", tp, 1, 8, 1, w), XP_EINVAL);
    tp[0] = 0;
    ck_assert_int_eq(xps_window("taylor", tp, 1, 8, 1, w), XP_EINVAL);
    /* dpss */
    double nw = 4;
    ck_assert_int_eq(xps_window("dpss", &nw, 1, 8, 1, w), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "NW (4) must be less than M/2 (4)"));
    nw = -1;
    ck_assert_int_eq(xps_window("dpss", &nw, 1, 8, 1, w), XP_EINVAL);
    double t[64];
    ck_assert_int_eq(xps_window_dpss(8, 2, 9, 1, XPS_DPSS_NORM_L2, t, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_window_dpss(8, 2, 0, 1, XPS_DPSS_NORM_L2, t, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_window_dpss(8, 2, 2, 1, 0, t, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_window_dpss(-1, 2, 2, 1, XPS_DPSS_NORM_L2, t, NULL), XP_EINVAL);
    ck_assert_int_eq(xps_window_dpss(8, 2, 2, 1, XPS_DPSS_NORM_L2, NULL, NULL), XP_EINVAL);

    /* get_window */
    const xp_provider *h = xp_provider_host();
    xps_window_spec s;
    xps_window_spec_init(&s);
    xp_array *a = (xp_array *)&s;       /* must be reset to NULL on error */
    ck_assert_int_eq(xps_get_window(&s, 0, 1, h, XP_FLOAT64, &a), XP_EINVAL);
    ck_assert_ptr_null(a);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "M (0) must be a positive integer"));
    ck_assert_int_eq(xps_get_window(&s, 8, 1, h, XP_COMPLEX128, &a), XP_EDTYPE);
    ck_assert_int_eq(xps_get_window(&s, 8, 1, NULL, XP_FLOAT64, &a), XP_EINVAL);
    ck_assert_int_eq(xps_get_window(NULL, 8, 1, h, XP_FLOAT64, &a), XP_EINVAL);
    ck_assert_int_eq(xps_get_window(&s, 8, 1, h, XP_FLOAT64, NULL), XP_EINVAL);
    s.size = 8;
    ck_assert_int_eq(xps_get_window(&s, 8, 1, h, XP_FLOAT64, &a), XP_EINVAL);
    char msg[160];
    snprintf(msg, sizeof msg, "get_window: spec.size (8) is less than the first "
             "version of xps_window_spec (%zu bytes): initialize it with xps_window_spec_init", sizeof s);
    ck_assert_str_eq(xp_errmsg(), msg);
    /* a spec from a newer header: longer, accepted while its new fields are 0 */
    struct {
        xps_window_spec s;
        unsigned char newer[16];
    } big;
    memset(&big, 0, sizeof big);
    XPT_OK(xps_window_spec_parse("tukey,0.3", &big.s));
    big.s.size = sizeof big;
    xp_array *w0 = NULL, *w1 = NULL;
    XPT_OK(xps_get_window(&big.s, 9, 1, h, XP_FLOAT64, &w1));
    big.s.size = sizeof big.s;
    XPT_OK(xps_get_window(&big.s, 9, 1, h, XP_FLOAT64, &w0));
    ck_assert(xpt_same(w0, w1));
    xp_array_free(w0);
    xp_array_free(w1);
    big.s.size = sizeof big;
    big.newer[15] = 1;
    ck_assert_int_eq(xps_get_window(&big.s, 9, 1, h, XP_FLOAT64, &a), XP_EINVAL);
    ck_assert_ptr_null(a);
    snprintf(msg, sizeof msg, "get_window: spec.size (%zu) is larger than this library's "
             "xps_window_spec (%zu) and sets fields it does not know", sizeof big,
             sizeof big.s);
    ck_assert_msg(strstr(xp_errmsg(), msg), "%s", xp_errmsg());
    /* the sized init: "hann" with zeros in the newer caller's tail */
    memset(&big, 0xa5, sizeof big);
    XPT_OK(xps_window_spec_init_sized(&big.s, sizeof big));
    ck_assert_uint_eq(big.s.size, sizeof big);
    ck_assert_str_eq(big.s.name, "hann");
    for (size_t i = 0; i < sizeof big.newer; i++)
        ck_assert_uint_eq(big.newer[i], 0);
    XPT_OK(xps_get_window(&big.s, 9, 1, h, XP_FLOAT64, &w1));
    xp_array_free(w1);
    ck_assert_int_eq(xps_window_spec_init_sized(&s, 8), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "xps_window_spec_init_sized: size (8) is not the size"),
                  "%s", xp_errmsg());
    xps_window_spec_init(&s);
    s.name[0] = '\0';
    ck_assert_int_eq(xps_get_window(&s, 8, 1, h, XP_FLOAT64, &a), XP_EINVAL);
    strcpy(s.name, "kaiser");
    ck_assert_int_eq(xps_get_window(&s, 8, 1, h, XP_FLOAT64, &a), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "needs parameter beta"));
    strcpy(s.name, "kbd");          /* periodic by default: SciPy refuses too */
    s.nparams = 1;
    s.params[0] = 4;
    ck_assert_int_eq(xps_get_window(&s, 8, 1, h, XP_FLOAT64, &a), XP_EINVAL);
    ck_assert_ptr_null(a);
}
END_TEST

/* ------------------------------------------------ get_window per provider */

static const char *const loop_specs[] = {
    "hann", "hamming,", "tukey,0.25", "kaiser,8.6", "dpss,3", "chebwin,80",
    "blackmanharris", "general_cosine,0.5,0.3,0.2", "taylor", "exponential",
    "flattop_symmetric",
};

START_TEST(test_get_window_providers)
{
    const xp_provider *p = xpt_provider(_i);
    const xp_dtype dts[2] = {XP_FLOAT32, XP_FLOAT64};
    const int64_t Ms[3] = {1, 16, 257};
    for (size_t si = 0; si < sizeof loop_specs / sizeof loop_specs[0]; si++) {
        xps_window_spec s;
        int rc = xps_window_spec_parse(loop_specs[si], &s);
        if (si == 1) {          /* a trailing comma is an empty parameter */
            ck_assert_int_eq(rc, XP_EFORMAT);
            continue;
        }
        XPT_OK(rc);
        for (int d = 0; d < 2; d++)
            for (int mi = 0; mi < 3; mi++)
                for (int fftbins = 0; fftbins < 2; fftbins++) {
                    int64_t M = Ms[mi];
                    double *ref = malloc((size_t)M * sizeof(double));
                    XPT_OK(xps_window(s.name, s.params, s.nparams, M, !fftbins, ref));
                    xp_array *a = NULL;
                    XPT_OK(xps_get_window(&s, M, fftbins, p, dts[d], &a));
                    ck_assert_ptr_eq(xp_array_provider(a), p);
                    ck_assert_int_eq(xp_array_dtype(a), dts[d]);
                    ck_assert_int_eq(xp_array_ndim(a), 1);
                    ck_assert_int_eq(xp_array_dim(a, 0), M);
                    double *v = xpt_values(a);
                    for (int64_t i = 0; i < M; i++) {
                        double want = dts[d] == XP_FLOAT32 ? (double)(float)ref[i] : ref[i];
                        ck_assert_msg(v[i] == want, "%s on %s %s M=%lld [%lld]: %.17g != %.17g",
                                      loop_specs[si], xp_provider_name(p),
                                      xp_dtype_name(dts[d]), (long long)M,
                                      (long long)i, v[i], want);
                    }
                    free(v);
                    free(ref);
                    xp_array_free(a);
                }
    }
}
END_TEST

/* An explicit window array: validated and copied. */
START_TEST(test_get_window_array)
{
    const xp_provider *p = xpt_provider(_i);
    double vals[5] = {0.1, 0.5, 1, 0.5, 0.1};
    int64_t n5 = 5, sh2[2] = {1, 5};
    xp_array *src = xpt_array(p, XP_FLOAT64, 1, &n5, vals);
    xps_window_spec s;
    xps_window_spec_init(&s);
    s.name[0] = '\0';
    s.array = src;
    for (int d = 0; d < 2; d++) {
        xp_dtype dt = d ? XP_FLOAT64 : XP_FLOAT32;
        xp_array *a = NULL;
        XPT_OK(xps_get_window(&s, 5, 1, p, dt, &a));
        ck_assert(a != src);
        ck_assert_int_eq(xp_array_dtype(a), dt);
        double *v = xpt_values(a);
        for (int i = 0; i < 5; i++)
            ck_assert(v[i] == (d ? vals[i] : (double)(float)vals[i]));
        free(v);
        xp_array_free(a);
    }
    xp_array *a = NULL;
    ck_assert_int_eq(xps_get_window(&s, 6, 1, p, XP_FLOAT64, &a), XP_ESHAPE);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "length 5, expected 6"));
    xp_array *two = xpt_array(p, XP_FLOAT64, 2, sh2, vals);
    s.array = two;
    ck_assert_int_eq(xps_get_window(&s, 5, 1, p, XP_FLOAT64, &a), XP_ESHAPE);
    xp_array_free(two);
    double cv[10] = {0};
    xp_array *cplx = xpt_array(p, XP_COMPLEX128, 1, &n5, cv);
    s.array = cplx;
    ck_assert_int_eq(xps_get_window(&s, 5, 1, p, XP_FLOAT64, &a), XP_EDTYPE);
    xp_array_free(cplx);
    /* an array on another provider is an error, never a silent copy */
    for (int j = 0; j < xpt_nproviders(); j++) {
        const xp_provider *q = xpt_provider(j);
        if (q == p)
            continue;
        s.array = src;
        ck_assert_int_eq(xps_get_window(&s, 5, 1, q, XP_FLOAT64, &a), XP_EDEVICE);
        ck_assert_ptr_null(a);
    }
    xp_array_free(src);
}
END_TEST

/* ----------------------------------------------------- allocation faults */

static void faults_get_window(const xp_provider *p, const char *text, int64_t M)
{
    xps_window_spec s;
    XPT_OK(xps_window_spec_parse(text, &s));
    for (long k = 1; k < 100; k++) {
        xp_array *a = NULL;
        xp__fault_set(k);
        int rc = xps_get_window(&s, M, 1, p, XP_FLOAT32, &a);
        xp__fault_set(0);
        if (rc == 0) {
            ck_assert_ptr_nonnull(a);
            xp_array_free(a);
            ck_assert_int_gt(k, 1);
            return;
        }
        ck_assert_msg(rc == XP_ENOMEM, "%s, fault %ld: rc %d (%s)", text, k, rc,
                      xp_errmsg());
        ck_assert_ptr_null(a);
    }
    ck_abort_msg("%s: still failing after 100 faults", text);
}

START_TEST(test_faults)
{
    const xp_provider *p = xpt_provider(_i);
    faults_get_window(p, "hann", 64);
    faults_get_window(p, "chebwin,90", 51);
    faults_get_window(p, "taylor,6", 64);
    faults_get_window(p, "dpss,3", 64);
    /* xps_window_dpss with ratios: eigen workspace and FFTs */
    double t[3 * 63], r[3];
    for (long k = 1; k < 100; k++) {
        xp__fault_set(k);
        int rc = xps_window_dpss(63, 3, 3, 0, XPS_DPSS_NORM_SUBSAMPLE, t, r);
        xp__fault_set(0);
        if (rc == 0)
            break;
        ck_assert_int_eq(rc, XP_ENOMEM);
    }
}
END_TEST

static Suite *windows_suite(void)
{
    Suite *s = suite_create("windows");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_golden_windows);
    tcase_add_test(tc, test_golden_dpss);
    tcase_add_test(tc, test_golden_get_window);
    suite_add_tcase(s, tc);

    tc = tcase_create("properties");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_sym_periodic);
    tcase_add_test(tc, test_small_lengths);
    tcase_add_test(tc, test_kaiser_large_beta);
    tcase_add_test(tc, test_chebwin_long);
    tcase_add_test(tc, test_dpss_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("api");
    tcase_add_test(tc, test_spec_parse);
    tcase_add_test(tc, test_errors);
    tcase_add_loop_test(tc, test_get_window_providers, 0, xpt_nproviders());
    tcase_add_loop_test(tc, test_get_window_array, 0, xpt_nproviders());
    tcase_add_loop_test(tc, test_faults, 0, xpt_nproviders());
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return xpt_run(windows_suite());
}
