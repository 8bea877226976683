/*
 * check_gw150914.c -- the GW150914 demo (examples/gw150914) on the real
 * GWOSC files, on every provider:
 *   - the Welch ASD (mean and median-mean), the whitened, the band-passed
 *     and the Fig. 1 filtered series equal SciPy's (tests/golden/
 *     gen_gw150914.py) to 1e-8;
 *   - the matched filter finds both detectors' peaks where the tutorial
 *     does (H1 near SNR 18, L1 near 13, 7 +- 1 ms apart);
 *   - the Fig. 1 series correlates with the paper's at r >= 0.99;
 *   - every provider gives the host's numbers;
 *   - gw150914_run writes every output file.
 * The files are found through $XPS_LIGO_DATA, else ../shared/ligo next to
 * top_srcdir; without them the test is skipped (exit 77), never passed.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "gw150914.h"

#define TOL 1e-8
#define T_EVENT 1126259462.42

static char data_dir[1024];
static gw_dataset data;

/* ------------------------------------------------------------ golden */

typedef struct {
    int64_t nasd, nx;
    double *asd;            /* [nasd][5]: f, H1, L1, H1 mm, L1 mm */
    int64_t *xi;            /* [nx] sample index */
    double *x;              /* [nx][6]: white H L, bp H L, fig1 H L */
    double mf_snr[2], mf_t[2], mf_sigma[2];
    int64_t mf_index[2];
} golden;

static golden G;

/* Read outside any test (in main): 0, or -1 after saying what is wrong. */
static int load_golden(void)
{
    char path[2048], line[512];
    const char *top = getenv("top_srcdir");
    snprintf(path, sizeof path, "%s/tests/golden/gw150914.txt", top ? top : ".");
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("cannot open %s\n", path);
        return -1;
    }
    int64_t ca = 0, cx = 0;
    int bad = 0;
    while (!bad && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "asd ", 4)) {
            if (G.nasd == ca) {
                ca = ca ? 2 * ca : 8192;
                double *na = realloc(G.asd, (size_t)ca * 5 * sizeof *G.asd);
                if (!na) {
                    bad = 1;
                    break;
                }
                G.asd = na;
            }
            double *a = G.asd + 5 * G.nasd++;
            bad = sscanf(line + 4, "%lf %lf %lf %lf %lf", a, a + 1, a + 2, a + 3, a + 4) != 5;
        } else if (!strncmp(line, "x ", 2)) {
            if (G.nx == cx) {
                cx = cx ? 2 * cx : 4096;
                double *nx = realloc(G.x, (size_t)cx * 6 * sizeof *G.x);
                if (nx)
                    G.x = nx;
                int64_t *ni = nx ? realloc(G.xi, (size_t)cx * sizeof *G.xi) : NULL;
                if (ni)
                    G.xi = ni;
                if (!nx || !ni) {
                    bad = 1;
                    break;
                }
            }
            double *v = G.x + 6 * G.nx;
            long long i;
            bad = sscanf(line + 2, "%lld %lf %lf %lf %lf %lf %lf", &i, v, v + 1, v + 2, v + 3,
                         v + 4, v + 5) != 7;
            G.xi[G.nx++] = i;
        } else if (!strncmp(line, "mf ", 3)) {
            char det[8];
            double snr, t, sigma;
            long long idx;
            bad = sscanf(line + 3, "%7s %lf %lld %lf %lf", det, &snr, &idx, &t, &sigma) != 5;
            int k = strcmp(det, "H1") == 0 ? 0 : 1;
            G.mf_snr[k] = snr;
            G.mf_index[k] = idx;
            G.mf_t[k] = t;
            G.mf_sigma[k] = sigma;
        }
    }
    fclose(f);
    if (bad || G.nasd < 7000 || G.nx < 2000) {
        printf("%s: malformed (%s)\n", path, line);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------- checks */

static double elementwise_rel(const double *a, const double *b, int64_t n)
{
    double e = 0;
    for (int64_t i = 0; i < n; i++)
        e = fmax(e, fabs(a[i] - b[i]) / fabs(b[i]));
    return e;
}

static void check_asd(const gw_det_result *r, int det)
{
    double *got = malloc((size_t)G.nasd * 2 * sizeof *got);
    double *want = malloc((size_t)G.nasd * 2 * sizeof *want);
    ck_assert(got && want);
    double df = r->f[1] - r->f[0];
    for (int64_t k = 0; k < G.nasd; k++) {
        const double *g = G.asd + 5 * k;
        int64_t bin = (int64_t)llround(g[0] / df);
        ck_assert_double_eq_tol(r->f[bin], g[0], 1e-9);
        got[k] = sqrt(r->psd[bin]);
        got[G.nasd + k] = sqrt(r->psd_mm[bin]);
        want[k] = g[1 + det];
        want[G.nasd + k] = g[3 + det];
    }
    double e_mean = elementwise_rel(got, want, G.nasd);
    double e_mm = elementwise_rel(got + G.nasd, want + G.nasd, G.nasd);
    printf("  %s ASD 10-2000 Hz vs SciPy: mean %.2e, median-mean %.2e (per bin)\n",
           r->s->name, e_mean, e_mm);
    ck_assert_msg(e_mean < TOL, "%s ASD (mean) differs from SciPy by %g", r->s->name, e_mean);
    ck_assert_msg(e_mm < TOL, "%s ASD (median-mean) differs from SciPy by %g", r->s->name,
                  e_mm);
    free(got);
    free(want);
}

static void check_series(const gw_det_result *r, int det)
{
    const char *names[3] = {"whitened", "band-passed", "Fig. 1"};
    const double *series[3] = {r->white, r->bp, r->fig1};
    double *got = malloc((size_t)G.nx * sizeof *got), *want = malloc((size_t)G.nx * sizeof *want);
    ck_assert(got && want);
    for (int s = 0; s < 3; s++) {
        for (int64_t k = 0; k < G.nx; k++) {
            got[k] = series[s][G.xi[k]];
            want[k] = G.x[6 * k + 2 * s + det];
        }
        double e = xpt_rel_err(got, want, G.nx);
        printf("  %s %s vs SciPy: %.2e (of the largest value)\n", r->s->name, names[s], e);
        ck_assert_msg(e < TOL, "%s %s series differs from SciPy by %g", r->s->name, names[s],
                      e);
    }
    free(got);
    free(want);
}

static void check_matched(const gw_det_result *r, int det)
{
    const gw_peak *pk = &r->peak;
    ck_assert_int_eq(pk->index, G.mf_index[det]);
    ck_assert_msg(fabs(pk->snr / G.mf_snr[det] - 1) < TOL, "%s SNR %.10f, SciPy %.10f",
                  r->s->name, pk->snr, G.mf_snr[det]);
    ck_assert_msg(fabs(pk->sigma / G.mf_sigma[det] - 1) < TOL, "%s sigma %.10g, SciPy %.10g",
                  r->s->name, pk->sigma, G.mf_sigma[det]);
    ck_assert_double_eq_tol(pk->t_gps, G.mf_t[det], 2e-6);
}

/* ---------------------------------------------------------- tests */

START_TEST(test_parity)
{
    const xp_provider *p = xpt_provider(_i);
    gw_results r;
    printf("provider %s:\n", xp_provider_name(p));
    XPT_OK(gw_analyse(p, &data, &r));
    for (int det = 0; det < GW_NDET; det++) {
        check_asd(&r.det[det], det);
        check_series(&r.det[det], det);
        check_matched(&r.det[det], det);
    }
    gw_results_clear(&r);
}
END_TEST

/* What the tutorial and the paper find. */
START_TEST(test_event)
{
    const xp_provider *p = xpt_provider(_i);
    gw_results r;
    XPT_OK(gw_analyse(p, &data, &r));
    const gw_peak *h = &r.det[0].peak, *l = &r.det[1].peak;
    printf("provider %s: H1 SNR %.3f at %.6f, L1 SNR %.3f at %.6f, delay %.3f ms, network "
           "SNR %.3f, Fig. 1 r = %.5f (H1), %.5f (L1), %.2f s\n", xp_provider_name(p), h->snr,
           h->t_gps, l->snr, l->t_gps, r.delay_ms, r.network_snr, r.fig1_r[0], r.fig1_r[1],
           r.seconds);
    ck_assert_msg(h->snr > 17 && h->snr < 19.5, "H1 SNR %g", h->snr);
    ck_assert_msg(l->snr > 12 && l->snr < 14.5, "L1 SNR %g", l->snr);
    /* L1 sees the wave 7 ms before H1: the two peaks cannot both lie
     * within 2 ms of one time (they are at +2.65 and -4.43 ms from .42).
     * Their mean is within 2 ms of it, each within 5 ms. */
    ck_assert_msg(fabs(0.5 * (h->t_gps + l->t_gps) - T_EVENT) <= 2e-3, "mean peak %.6f",
                  0.5 * (h->t_gps + l->t_gps));
    ck_assert_msg(fabs(h->t_gps - T_EVENT) <= 5e-3, "H1 peak at %.6f", h->t_gps);
    ck_assert_msg(fabs(l->t_gps - T_EVENT) <= 5e-3, "L1 peak at %.6f", l->t_gps);
    ck_assert_msg(h->t_gps > l->t_gps, "L1 must see it first");
    ck_assert_msg(fabs(r.delay_ms - 7) <= 1, "delay %g ms", r.delay_ms);
    ck_assert_double_eq_tol(r.network_snr, hypot(h->snr, l->snr), 1e-12);
    ck_assert_msg(r.fig1_r[0] >= 0.99, "H1 Fig. 1 r = %g", r.fig1_r[0]);
    ck_assert_msg(r.fig1_r[1] >= 0.99, "L1 Fig. 1 r = %g", r.fig1_r[1]);
    gw_results_clear(&r);
}
END_TEST

/* Every provider gives the host's numbers (to round-off). */
START_TEST(test_providers_agree)
{
    gw_results a, b;
    XPT_OK(gw_analyse(xp_provider_host(), &data, &a));
    for (int i = 0; i < xpt_nproviders(); i++) {
        const xp_provider *p = xpt_provider(i);
        if (p == xp_provider_host())
            continue;
        XPT_OK(gw_analyse(p, &data, &b));
        for (int det = 0; det < GW_NDET; det++) {
            const gw_det_result *x = &a.det[det], *y = &b.det[det];
            ck_assert_int_eq(x->peak.index, y->peak.index);
            ck_assert_double_eq_tol(x->peak.snr, y->peak.snr, 1e-10 * x->peak.snr);
            ck_assert_double_eq_tol(x->peak.t_gps, y->peak.t_gps, 1e-9);
            ck_assert(xpt_rel_err(y->psd, x->psd, x->nf) < 1e-12);
            ck_assert(xpt_rel_err(y->white, x->white, x->s->n) < 1e-10);
            ck_assert(xpt_rel_err(y->bp, x->bp, x->s->n) < 1e-10);
            ck_assert(xpt_rel_err(y->fig1, x->fig1, x->s->n) < 1e-10);
            ck_assert(xpt_rel_err(y->snr, x->snr, 2 * x->s->n) < 1e-10);
        }
        ck_assert_double_eq_tol(a.delay_ms, b.delay_ms, 1e-6);
        ck_assert_double_eq_tol(a.network_snr, b.network_snr, 1e-9);
        printf("provider %s gives the host's numbers\n", xp_provider_name(p));
        gw_results_clear(&b);
    }
    gw_results_clear(&a);
}
END_TEST

static int file_has(const char *dir, const char *name, const char *text)
{
    enum { MAX = 1 << 18 };
    char path[2048], *buf = malloc(MAX);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(buf);
    size_t n = f ? fread(buf, 1, MAX - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    /* binary files (PNG) may hold NULs early: look at the start only then */
    int ok = n > 0 && (!text || strstr(buf, text) != NULL);
    free(buf);
    return ok;
}

/* The first column's smallest and largest values. */
static void time_range(const char *dir, const char *name, double *t0, double *t1)
{
    char path[2048], line[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s missing", path);
    *t0 = INFINITY;
    *t1 = -INFINITY;
    double t;
    while (fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, "%lf", &t) == 1) {
            *t0 = fmin(*t0, t);
            *t1 = fmax(*t1, t);
        }
    fclose(f);
}

/* The program as xpsig runs it: every output, in the contract's form. */
START_TEST(test_run)
{
    char dir[] = "/tmp/check_gw150914.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    gw150914_options o;
    gw150914_options_init(&o);
    o.data_dir = data_dir;
    o.out_dir = dir;
    o.log = NULL;
    XPT_OK(gw150914_run(&o));
    const char *files[] = {"asd_H1.txt", "asd_L1.txt", "fig1_H1.txt", "fig1_L1.txt",
                           "snr_H1.txt", "snr_L1.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_msg(file_has(dir, files[i], "GW150914"), "%s missing", files[i]);
    ck_assert(file_has(dir, "summary.json", "\"H1\": {\"snr_peak\": "));
    ck_assert(file_has(dir, "summary.json", "\"synthetic\": false"));
    ck_assert(file_has(dir, "summary.json", "\"network_snr\": "));
    for (int det = 0; det < GW_NDET; det++) {
        char name[32];
        double t0, t1;
        snprintf(name, sizeof name, "fig1_%s.txt", det ? "L1" : "H1");
        time_range(dir, name, &t0, &t1);
        ck_assert_msg(t0 <= 0.2 && t1 >= 0.5, "%s covers %g-%g s", name, t0, t1);
    }
    if (system("gnuplot -e 'set terminal png' >/dev/null 2>&1") == 0) {
        const char *png[] = {"asd.png", "strain.png", "phases.png", "fig1.png",
                             "spectrogram.png", "snr.png"};
        for (size_t i = 0; i < sizeof png / sizeof png[0]; i++)
            ck_assert_msg(file_has(dir, png[i], "PNG"), "%s missing", png[i]);
    }
    xpt_remove_dir(dir);
}
END_TEST

static int find_data(void)
{
    const char *env = getenv("XPS_LIGO_DATA"), *top = getenv("top_srcdir");
    char cand[1024];
    if (env && *env)
        snprintf(cand, sizeof cand, "%s", env);
    else
        snprintf(cand, sizeof cand, "%s/../shared/ligo", top ? top : ".");
    /* gw_find_data tries its argument first, then other places: only the
     * place named above counts here */
    return gw_find_data(cand, data_dir, sizeof data_dir) && strcmp(data_dir, cand) == 0;
}

int main(void)
{
    if (!find_data()) {
        printf("SKIP: GW150914 files not found ($XPS_LIGO_DATA, ../shared/ligo)\n");
        return 77;
    }
    /* the transforms are planned once per length; measuring them is slow */
    setenv("XP_FFTW_PLANNER", "estimate", 0);
    if (gw_load(data_dir, &data) != XP_OK) {
        printf("%s: %s\n", data_dir, xp_errmsg());
        return 1;
    }
    printf("data: %s\n", data_dir);
    if (load_golden()) {
        gw_dataset_clear(&data);
        return 1;
    }
    Suite *s = suite_create("gw150914");
    TCase *tc = tcase_create("real data");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_parity, 0, xpt_nproviders());
    tcase_add_loop_test(tc, test_event, 0, xpt_nproviders());
    tcase_add_test(tc, test_providers_agree);
    tcase_add_test(tc, test_run);
    suite_add_tcase(s, tc);
    int rc = xpt_run(s);
    gw_dataset_clear(&data);
    free(G.asd);
    free(G.x);
    free(G.xi);
    return rc;
}
