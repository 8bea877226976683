/*
 * check_iir.c -- IIR filter design (lib/signal/iir) against SciPy's golden
 * vectors (tests/golden/iir.txt, written by tests/golden/gen_iir.py), plus
 * properties, bad arguments and allocation faults.
 *
 * Tolerances (relative, norm-wise: max |got - want| / max |want|).  The
 * library follows SciPy's formulas and order of operations, so most
 * differences are rounding (1e-16 .. 1e-12):
 *  - zeros and poles are compared as multisets (each golden root matched to
 *    the nearest unused computed one), 1e-10 of the largest root; gains
 *    1e-10 relative.  Prototypes above order 10 (up to 72 for Bessel)
 *    1e-7: an order 14 elliptic filter with rp 3, rs 20 has m = 1 - 1e-7,
 *    where K(m) carries 1e-16 / (1 - m) relative error in SciPy and here.
 *  - sos 1e-10 of each row's largest coefficient.
 *  - ba coefficients 1e-10 at every order: the zeros and poles agree to
 *    ~1e-14 and are multiplied out in SciPy's order, so the coefficients
 *    agree even where the ba form itself is useless (narrow band filters
 *    of order 16 and up, for SciPy as for us); so the response of ba is
 *    compared with the response of zpk only where ba is well conditioned
 *    (order <= 6), 1e-9 of the peak.
 *  - tf2zpk: a root of multiplicity m is only defined to eps^(1/m) (the
 *    zeros at z = -1 of a digital Butterworth), so roots are compared
 *    through the polynomials they rebuild, 1e-9, and directly to 1e-3;
 *    tf2sos, whose pairing follows those roots, through its response 1e-9.
 *  - order selection: orders exactly, frequencies 1e-10.  A band-stop spec
 *    whose bounded minimisation (fminbound) ends elsewhere when the
 *    objective moves by a few ulps (the generator tries; 'sens' records)
 *    is held to 1e-4, the search's own tolerance.  All GW150914 notch
 *    specs are held to 1e-10.
 *  - freqz: w 1e-14, h 1e-12 of the peak; notch / peak 1e-14.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"

/* ------------------------------------------------------------ golden file */

typedef struct {
    char name[8];
    int64_t n;          /* doubles */
    double *v;
} gline;

typedef struct {
    int lineno;
    char *hdr;          /* the header line after "@ " */
    int ntok;
    char *tok[32];
    int nl;
    gline l[8];
} grec;

static grec *recs;
static int nrecs;

static void load_golden(void)
{
    if (recs)
        return;
    const char *top = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/golden/iir.txt", top ? top : ".");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    int cap = 0, lineno = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    grec *r = NULL;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (line[0] == '@') {
            if (nrecs == cap) {
                cap = cap ? 2 * cap : 1024;
                recs = realloc(recs, (size_t)cap * sizeof *recs);
                ck_assert_ptr_nonnull(recs);
            }
            r = &recs[nrecs++];
            memset(r, 0, sizeof *r);
            r->lineno = lineno;
            r->hdr = strdup(line + 2);
            char *copy = strdup(line + 2), *save = NULL;
            for (char *t = strtok_r(copy, " ", &save); t && r->ntok < 32;
                 t = strtok_r(NULL, " ", &save))
                r->tok[r->ntok++] = t;
            continue;
        }
        ck_assert_msg(r != NULL, "golden line %d: data before a header", lineno);
        ck_assert_msg(r->nl < 8, "golden line %d: too many data lines", lineno);
        gline *g = &r->l[r->nl++];
        char *p = line, *end;
        int used = 0;
        long long n = 0;
        ck_assert(sscanf(p, "%7s %lld%n", g->name, &n, &used) == 2);
        p += used;
        g->n = n;
        g->v = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        for (long long i = 0; i < n; i++) {
            g->v[i] = strtod(p, &end);
            ck_assert_msg(end != p, "golden line %d: short value line", lineno);
            p = end;
        }
    }
    free(line);
    fclose(f);
    ck_assert_msg(nrecs > 100, "golden: only %d records", nrecs);
}

static const gline *get(const grec *r, const char *name)
{
    for (int i = 0; i < r->nl; i++)
        if (!strcmp(r->l[i].name, name))
            return &r->l[i];
    return NULL;
}

static const gline *need(const grec *r, const char *name)
{
    const gline *g = get(r, name);
    ck_assert_msg(g != NULL, "golden line %d (%s): no '%s'", r->lineno, r->hdr, name);
    return g;
}

static double tokd(const grec *r, int i)
{
    ck_assert_msg(i < r->ntok, "golden line %d: short header", r->lineno);
    return strtod(r->tok[i], NULL);
}

static int is(const grec *r, const char *kind)
{
    return !strcmp(r->tok[0], kind);
}

/* ------------------------------------------------------------ comparison */

typedef struct {
    const char *what;
    double tol, worst;
    int fails, count;
    char where[400];
} stat;

static void note(stat *s, double err, const grec *r, const char *detail)
{
    s->count++;
    if (!(err <= s->tol)) {
        s->fails++;
        if (getenv("XPT_IIR_VERBOSE") && atoi(getenv("XPT_IIR_VERBOSE")) > 1)
            fprintf(stderr, "  %s: %.3g at line %d: @ %s\n", s->what, err,
                    r ? r->lineno : 0, r ? r->hdr : "");
    }
    if (isnan(err) || (!isnan(s->worst) && err > s->worst)) {
        s->worst = err;
        snprintf(s->where, sizeof s->where, "line %d: @ %s (%s)", r ? r->lineno : 0,
                 r ? r->hdr : "", detail ? detail : "");
    }
}

static void report(stat *s)
{
    if (getenv("XPT_IIR_VERBOSE") || s->fails)
        fprintf(stderr, "%-14s %5d cases, worst %.3g (tol %.0e) at %s\n", s->what,
                s->count, s->worst, s->tol, s->where);
    ck_assert_msg(s->fails == 0, "%s: %d of %d cases beyond %g; worst %g at %s", s->what,
                  s->fails, s->count, s->tol, s->worst, s->where);
}

/* Norm-wise distance of two multisets of complex values (interleaved):
 * each wanted value takes the nearest unused computed one. */
static double roots_err(const double *got, int64_t ngot, const double *want, int64_t nwant)
{
    if (ngot != nwant)
        return INFINITY;
    if (nwant == 0)
        return 0;
    char *used = calloc((size_t)nwant, 1);
    double scale = 0, err = 0;
    for (int64_t i = 0; i < nwant; i++)
        scale = fmax(scale, hypot(want[2 * i], want[2 * i + 1]));
    for (int64_t i = 0; i < nwant; i++) {
        int64_t best = -1;
        double bd = INFINITY;
        for (int64_t j = 0; j < ngot; j++) {
            if (used[j])
                continue;
            double d = hypot(got[2 * j] - want[2 * i], got[2 * j + 1] - want[2 * i + 1]);
            if (best < 0 || d < bd) {
                best = j;
                bd = d;
            }
        }
        used[best] = 1;
        err = fmax(err, bd);
    }
    free(used);
    return scale > 0 ? err / scale : err;
}

static double rel(double got, double want)
{
    if (got == want)
        return 0;
    return fabs(got - want) / fmax(fabs(want), 1e-300);
}

static double vec_err(const double *got, int64_t ngot, const gline *want)
{
    if (ngot != want->n)
        return INFINITY;
    return want->n ? xpt_rel_err(got, want->v, want->n) : 0;
}

/* Per-row norm-wise error of sos [nsec][6]. */
static double sos_err(const double *got, int64_t nsec, const gline *want)
{
    if (6 * nsec != want->n)
        return INFINITY;
    double err = 0;
    for (int64_t s = 0; s < nsec; s++)
        err = fmax(err, xpt_rel_err(got + 6 * s, want->v + 6 * s, 6));
    return err;
}

/* Response of zeros/poles/gain at e^jw (digital) or jw (analog). */
static void zpk_resp(const double *z, int64_t nz, const double *p, int64_t np, double k,
                     int analog, double w, double *re, double *im)
{
    double xr = analog ? 0 : cos(w), xi = analog ? w : sin(w);
    double hr = k, hi = 0;
    for (int64_t i = 0; i < nz; i++) {
        double ar = xr - z[2 * i], ai = xi - z[2 * i + 1];
        double tr = hr * ar - hi * ai;
        hi = hr * ai + hi * ar;
        hr = tr;
    }
    for (int64_t i = 0; i < np; i++) {
        double ar = xr - p[2 * i], ai = xi - p[2 * i + 1];
        double d = ar * ar + ai * ai;
        double tr = (hr * ar + hi * ai) / d;
        hi = (hi * ar - hr * ai) / d;
        hr = tr;
    }
    *re = hr;
    *im = hi;
}

/* Response of b/a at e^jw (digital, powers of e^-jw) or jw (analog). */
static void ba_resp(const double *b, int64_t nb, const double *a, int64_t na, int analog,
                    double w, double *re, double *im)
{
    double xr, xi;
    if (analog) {
        xr = 0;
        xi = w;
    } else {
        xr = cos(w);
        xi = sin(w);
    }
    /* Horner in x = jw (analog, highest power first) or in e^jw over z^-k:
     * B(z)/A(z) with z^(n-1) factors cancelling when lengths are equal;
     * digital: sum b_k z^-k = z^-(nb-1) sum b_k z^(nb-1-k). */
    double br = 0, bi = 0, ar = 0, ai = 0;
    for (int64_t i = 0; i < nb; i++) {
        double t = br * xr - bi * xi + b[i];
        bi = br * xi + bi * xr;
        br = t;
    }
    for (int64_t i = 0; i < na; i++) {
        double t = ar * xr - ai * xi + a[i];
        ai = ar * xi + ai * xr;
        ar = t;
    }
    double d = ar * ar + ai * ai;
    double hr = (br * ar + bi * ai) / d, hi = (bi * ar - br * ai) / d;
    if (!analog && nb != na) {
        /* times z^(na - nb) */
        int64_t e = na - nb;
        double c = cos((double)e * w), s = sin((double)e * w);
        double t = hr * c - hi * s;
        hi = hr * s + hi * c;
        hr = t;
    }
    *re = hr;
    *im = hi;
}

/* Max over a frequency grid of |H_ba - H_zpk| / max |H_zpk|. */
static double ba_vs_zpk(const double *b, int64_t nb, const double *a, int64_t na,
                        const double *z, int64_t nz, const double *p, int64_t np, double k,
                        int analog, double wscale)
{
    double peak = 0, err = 0;
    for (int i = 0; i < 200; i++) {
        double w = analog ? wscale * pow(10.0, -2 + 4.0 * i / 199) : M_PI * (i + 0.5) / 200;
        double r1, i1, r2, i2;
        ba_resp(b, nb, a, na, analog, w, &r1, &i1);
        zpk_resp(z, nz, p, np, k, analog, w, &r2, &i2);
        peak = fmax(peak, hypot(r2, i2));
        err = fmax(err, hypot(r1 - r2, i1 - i2));
    }
    return err / peak;
}

/* ------------------------------------------------------------ parsing */

START_TEST(test_parse)
{
    xps_btype b;
    xps_ftype f;
    xps_output o;
    xps_bessel_norm nm;
    xps_pairing pr;
    const char *lows[] = {"l", "low", "lowpass", "LP", "LowPass"};
    for (int i = 0; i < 5; i++) {
        XPT_OK(xps_btype_parse(lows[i], &b));
        ck_assert_int_eq(b, XPS_BTYPE_LOWPASS);
    }
    const char *bands[][2] = {{"band", "bandpass"}, {"pass", "bandpass"}, {"bp", "bandpass"},
                              {"bs", "bandstop"}, {"bands", "bandstop"}, {"stop", "bandstop"},
                              {"h", "highpass"}, {"hp", "highpass"}, {"high", "highpass"}};
    for (int i = 0; i < 9; i++) {
        XPT_OK(xps_btype_parse(bands[i][0], &b));
        ck_assert_str_eq(xps_btype_name(b), bands[i][1]);
    }
    const char *fts[][2] = {{"butter", "butter"}, {"butterworth", "butter"},
                            {"cheby1", "cheby1"}, {"chebyshev1", "cheby1"},
                            {"chebyshevi", "cheby1"}, {"cheby2", "cheby2"},
                            {"chebyshevII", "cheby2"}, {"chebyshev2", "cheby2"},
                            {"ellip", "ellip"}, {"elliptic", "ellip"}, {"cauer", "ellip"},
                            {"bessel", "bessel"}, {"bessel_phase", "bessel"},
                            {"bessel_delay", "bessel_delay"}, {"Bessel_Mag", "bessel_mag"}};
    for (int i = 0; i < 15; i++) {
        XPT_OK(xps_ftype_parse(fts[i][0], &f));
        ck_assert_str_eq(xps_ftype_name(f), fts[i][1]);
    }
    XPT_OK(xps_output_parse("SOS", &o));
    ck_assert_int_eq(o, XPS_OUTPUT_SOS);
    ck_assert_str_eq(xps_output_name(XPS_OUTPUT_ZPK), "zpk");
    XPT_OK(xps_bessel_norm_parse("delay", &nm));
    ck_assert_int_eq(nm, XPS_BESSEL_NORM_DELAY);
    XPT_OK(xps_pairing_parse("keep_odd", &pr));
    ck_assert_int_eq(pr, XPS_PAIRING_KEEP_ODD);
    XPT_OK(xps_pairing_parse("none", &pr));
    ck_assert_int_eq(pr, XPS_PAIRING_DEFAULT);

    b = XPS_BTYPE_HIGHPASS;
    ck_assert_int_eq(xps_btype_parse("lowish", &b), XP_EINVAL);
    ck_assert_int_eq(b, XPS_BTYPE_HIGHPASS);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "'lowish'"));
    ck_assert_int_eq(xps_ftype_parse("chebyshev3", &f), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "ftype"));
    ck_assert_int_eq(xps_output_parse("tf", &o), XP_EINVAL);
    ck_assert_int_eq(xps_bessel_norm_parse(NULL, &nm), XP_EINVAL);
    ck_assert_int_eq(xps_pairing_parse("closest", &pr), XP_EINVAL);
    ck_assert_str_eq(xps_btype_name((xps_btype)9), "?");
    ck_assert_str_eq(xps_ftype_name((xps_ftype)-1), "?");
    ck_assert_str_eq(xps_output_name((xps_output)3), "?");
    ck_assert_int_eq(xps_iir_buflen(4), XPS_IIR_BUFLEN(4));
}
END_TEST

/* ------------------------------------------------------------ prototypes */

static int ftype_of(const char *s)
{
    xps_ftype f;
    ck_assert_msg(xps_ftype_parse(s, &f) == 0, "golden ftype %s", s);
    return f;
}

START_TEST(test_golden_ap)
{
    load_golden();
    stat sz = {"ap zeros/poles", 1e-10, 0, 0, 0, ""}, sk = {"ap gain", 1e-10, 0, 0, 0, ""};
    stat hz = {"ap N>10 z/p", 1e-7, 0, 0, 0, ""}, hk = {"ap N>10 gain", 1e-7, 0, 0, 0, ""};
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        if (!is(r, "ap"))
            continue;
        int ft = ftype_of(r->tok[1]);
        int64_t N = (int64_t)tokd(r, 2);
        double rp = tokd(r, 3), rs = tokd(r, 4);
        double *z = malloc(sizeof(double) * (size_t)(2 * N + 2));
        double *p = malloc(sizeof(double) * (size_t)(2 * N + 2));
        int64_t nz = -1, np = -1;
        double k = NAN;
        int rc;
        switch (ft) {
        case XPS_FTYPE_BUTTER: rc = xps_buttap(N, z, &nz, p, &np, &k); break;
        case XPS_FTYPE_CHEBY1: rc = xps_cheb1ap(N, rp, z, &nz, p, &np, &k); break;
        case XPS_FTYPE_CHEBY2: rc = xps_cheb2ap(N, rs, z, &nz, p, &np, &k); break;
        case XPS_FTYPE_ELLIP: rc = xps_ellipap(N, rp, rs, z, &nz, p, &np, &k); break;
        default:
            rc = xps_besselap(N, ft == XPS_FTYPE_BESSEL ? XPS_BESSEL_NORM_PHASE :
                              ft == XPS_FTYPE_BESSEL_DELAY ? XPS_BESSEL_NORM_DELAY :
                              XPS_BESSEL_NORM_MAG, z, &nz, p, &np, &k);
        }
        ck_assert_msg(rc == 0, "line %d: %s -> %s", r->lineno, r->hdr, xp_errmsg());
        const gline *gz = need(r, "z"), *gp = need(r, "p"), *gk = need(r, "k");
        note(N > 10 ? &hz : &sz, fmax(roots_err(z, nz, gz->v, gz->n / 2),
                                      roots_err(p, np, gp->v, gp->n / 2)), r, NULL);
        note(N > 10 ? &hk : &sk, rel(k, gk->v[0]), r, NULL);
        free(z);
        free(p);
    }
    report(&sz);
    report(&sk);
    report(&hz);
    report(&hk);
}
END_TEST

/* ------------------------------------------------------------ designs */

START_TEST(test_golden_filt)
{
    load_golden();
    stat sz = {"filt z/p", 1e-10, 0, 0, 0, ""}, sk = {"filt k", 1e-10, 0, 0, 0, ""};
    stat ss = {"filt sos", 1e-10, 0, 0, 0, ""}, sb = {"filt ba", 1e-10, 0, 0, 0, ""};
    stat sr = {"filt ba=zpk", 1e-9, 0, 0, 0, ""};
    stat se = {"filt errors", 0, 0, 0, 0, ""};
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        if (!is(r, "filt"))
            continue;
        int ft = ftype_of(r->tok[1]);
        int64_t N = (int64_t)tokd(r, 2);
        double rp = tokd(r, 3), rs = tokd(r, 4);
        xps_btype bt;
        xps_output out;
        XPT_OK(xps_btype_parse(r->tok[5], &bt));
        int analog = (int)tokd(r, 6);
        XPT_OK(xps_output_parse(r->tok[7], &out));
        double fs = tokd(r, 8);
        int64_t nwn = (int64_t)tokd(r, 9);
        double wn[2] = {tokd(r, 10), nwn > 1 ? tokd(r, 11) : 0};
        int64_t len = xps_iir_buflen(N);
        double *c1 = malloc(sizeof(double) * (size_t)len), *c2 = malloc(sizeof(double) * (size_t)len);
        int64_t n1 = -1, n2 = -1;
        double k = NAN;
        int rc = xps_iirfilter(N, wn, nwn, rp, rs, bt, analog, (xps_ftype)ft, out, fs,
                               c1, &n1, c2, &n2, &k);
        if (get(r, "err")) {
            note(&se, rc != 0 ? 0 : 1, r, "SciPy fails, so must we");
            free(c1);
            free(c2);
            continue;
        }
        ck_assert_msg(rc == 0, "line %d: %s -> %s", r->lineno, r->hdr, xp_errmsg());
        if (out == XPS_OUTPUT_ZPK) {
            const gline *gz = need(r, "z"), *gp = need(r, "p"), *gk = need(r, "k");
            note(&sz, fmax(roots_err(c1, n1, gz->v, gz->n / 2),
                           roots_err(c2, n2, gp->v, gp->n / 2)), r, NULL);
            note(&sk, rel(k, gk->v[0]), r, NULL);
        } else if (out == XPS_OUTPUT_SOS) {
            note(&ss, sos_err(c1, n1, need(r, "sos")), r, NULL);
        } else {
            const gline *gb = need(r, "b"), *ga = need(r, "a");
            double e = fmax(vec_err(c1, n1, gb), vec_err(c2, n2, ga));
            int order = (int)(ga->n - 1);
            note(&sb, e, r, NULL);
            /* where the ba form is well conditioned (order <= 6), its
             * response is the response of our zeros and poles */
            if (order <= 6) {
                double *z = malloc(sizeof(double) * (size_t)len);
                double *p = malloc(sizeof(double) * (size_t)len);
                int64_t nz, np;
                double kk;
                XPT_OK(xps_iirfilter(N, wn, nwn, rp, rs, bt, analog, (xps_ftype)ft,
                                     XPS_OUTPUT_ZPK, fs, z, &nz, p, &np, &kk));
                note(&sr, ba_vs_zpk(c1, n1, c2, n2, z, nz, p, np, kk, analog, wn[0]), r,
                     NULL);
                free(z);
                free(p);
            }
        }
        free(c1);
        free(c2);
    }
    report(&sz);
    report(&sk);
    report(&ss);
    report(&sb);
    report(&sr);
    report(&se);
}
END_TEST

/* ------------------------------------------------------- order selection */

typedef int (*ordfn)(const double *, const double *, int64_t, double, double, int, double,
                     int64_t *, double *);

START_TEST(test_golden_ord)
{
    load_golden();
    stat sn = {"ord N", 0, 0, 0, 0, ""}, sw = {"ord Wn", 1e-10, 0, 0, 0, ""};
    stat ssw = {"ord Wn (sens)", 1e-4, 0, 0, 0, ""};
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        if (!is(r, "ord"))
            continue;
        ordfn f = !strcmp(r->tok[1], "buttord") ? xps_buttord :
                  !strcmp(r->tok[1], "cheb1ord") ? xps_cheb1ord :
                  !strcmp(r->tok[1], "cheb2ord") ? xps_cheb2ord : xps_ellipord;
        int analog = (int)tokd(r, 2);
        double fs = tokd(r, 3);
        int64_t nw = (int64_t)tokd(r, 4);
        double wp[2], ws[2], Wn[2];
        for (int j = 0; j < nw; j++) {
            wp[j] = tokd(r, 5 + j);
            ws[j] = tokd(r, 5 + (int)nw + j);
        }
        double gp = tokd(r, 5 + 2 * (int)nw), gs = tokd(r, 6 + 2 * (int)nw);
        int64_t N = -1;
        int rc = f(wp, ws, nw, gp, gs, analog, fs, &N, Wn);
        ck_assert_msg(rc == 0, "line %d: %s -> %s", r->lineno, r->hdr, xp_errmsg());
        note(&sn, N == (int64_t)need(r, "N")->v[0] ? 0 : 1, r, NULL);
        note(get(r, "sens") ? &ssw : &sw, vec_err(Wn, nw, need(r, "wn")), r, NULL);
    }
    report(&sn);
    report(&sw);
    report(&ssw);
}
END_TEST

START_TEST(test_golden_design)
{
    load_golden();
    stat sn = {"design N", 0, 0, 0, 0, ""}, sz = {"design z/p", 1e-10, 0, 0, 0, ""};
    stat sk = {"design k", 1e-10, 0, 0, 0, ""}, ss = {"design sos", 1e-10, 0, 0, 0, ""};
    stat sb = {"design ba", 1e-10, 0, 0, 0, ""}, sv = {"design (sens)", 1e-4, 0, 0, 0, ""};
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        if (!is(r, "design"))
            continue;
        int sens = get(r, "sens") != NULL;
        int ft = ftype_of(r->tok[1]);
        int analog = (int)tokd(r, 2);
        xps_output out;
        XPT_OK(xps_output_parse(r->tok[3], &out));
        double fs = tokd(r, 4);
        int64_t nw = (int64_t)tokd(r, 5);
        double wp[2], ws[2];
        for (int j = 0; j < nw; j++) {
            wp[j] = tokd(r, 6 + j);
            ws[j] = tokd(r, 6 + (int)nw + j);
        }
        double gp = tokd(r, 6 + 2 * (int)nw), gs = tokd(r, 7 + 2 * (int)nw);
        int64_t cap = 6 * 64;
        double c1[6 * 64], c2[6 * 64], k = NAN;
        int64_t n1 = -1, n2 = -1, N = -1;
        int rc = xps_iirdesign(wp, ws, nw, gp, gs, analog, (xps_ftype)ft, out, fs, cap, c1,
                               &n1, c2, &n2, &k, &N);
        ck_assert_msg(rc == 0, "line %d: %s -> %s", r->lineno, r->hdr, xp_errmsg());
        note(&sn, N == (int64_t)need(r, "N")->v[0] ? 0 : 1, r, NULL);
        if (out == XPS_OUTPUT_ZPK) {
            const gline *gz = need(r, "z"), *gp2 = need(r, "p"), *gk = need(r, "k");
            note(sens ? &sv : &sz, fmax(roots_err(c1, n1, gz->v, gz->n / 2),
                                        roots_err(c2, n2, gp2->v, gp2->n / 2)), r, NULL);
            note(sens ? &sv : &sk, rel(k, gk->v[0]), r, NULL);
        } else if (out == XPS_OUTPUT_SOS) {
            note(sens ? &sv : &ss, sos_err(c1, n1, need(r, "sos")), r, NULL);
        } else {
            note(sens ? &sv : &sb, fmax(vec_err(c1, n1, need(r, "b")),
                                        vec_err(c2, n2, need(r, "a"))), r, NULL);
        }
    }
    report(&sn);
    report(&sz);
    report(&sk);
    report(&ss);
    report(&sb);
    report(&sv);
}
END_TEST

/* The GW150914 notches of the GWOSC tutorial: order 1 elliptic band-stops
 * whose passband edges fminbound moved; check the response meets the specs
 * (<= 1 dB loss at the moved passband edges, >= 6 dB at the stop edges). */
START_TEST(test_gw150914_notches)
{
    /* the golden notch designs (gpass 1, gstop 6) must all be held to full
     * precision: none may be path-sensitive */
    load_golden();
    int ngw = 0;
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        if (is(r, "design") && r->ntok == 12 && tokd(r, 10) == 1 && tokd(r, 11) == 6) {
            ngw++;
            ck_assert_msg(!get(r, "sens"), "line %d: GW150914 notch %s is path-sensitive",
                          r->lineno, r->hdr);
        }
    }
    ck_assert_int_eq(ngw, 2 * 16 + 4);      /* 16 notches twice, one spec x 4 ftypes */
    const double f0[] = {14.0, 34.70, 35.30, 35.90, 36.70, 37.30, 40.95, 60.00, 120.00,
                         179.99, 304.99, 331.49, 510.02, 1009.99};
    const double nyq = 2048;
    for (int i = 0; i < 14; i++) {
        double wp[2] = {(f0[i] - 1) / nyq, (f0[i] + 1) / nyq};
        double ws[2] = {(f0[i] - 0.1) / nyq, (f0[i] + 0.1) / nyq};
        double sos[6 * 8], w[4], h[8], Wn[2];
        int64_t nsec, N;
        XPT_OK(xps_ellipord(wp, ws, 2, 1, 6, 0, 0, &N, Wn));
        ck_assert_int_eq(N, 1);
        XPT_OK(xps_iirdesign(wp, ws, 2, 1, 6, 0, XPS_FTYPE_ELLIP, XPS_OUTPUT_SOS, 0, 6 * 8,
                             sos, &nsec, NULL, NULL, NULL, &N));
        ck_assert_int_eq(nsec, 1);
        double fq[4] = {Wn[0] * nyq, Wn[1] * nyq, ws[0] * nyq, ws[1] * nyq};
        XPT_OK(xps_freqz_sos(sos, nsec, 4, fq, 0, 2 * nyq, w, h));
        for (int j = 0; j < 4; j++) {
            double db = 20 * log10(hypot(h[2 * j], h[2 * j + 1]));
            if (j < 2)
                ck_assert_msg(db >= -1 - 1e-9, "notch %g: %g dB at passband edge %g", f0[i],
                              db, fq[j]);
            else
                ck_assert_msg(db <= -6 + 1e-9, "notch %g: %g dB at stop edge %g", f0[i], db,
                              fq[j]);
        }
    }
}
END_TEST

/* ------------------------------------------------------------ notch, peak */

START_TEST(test_golden_notch)
{
    load_golden();
    stat s = {"notch/peak", 1e-14, 0, 0, 0, ""};
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        if (!is(r, "notch") && !is(r, "peak"))
            continue;
        double b[3], a[3];
        int rc = (is(r, "notch") ? xps_iirnotch : xps_iirpeak)(tokd(r, 1), tokd(r, 2),
                                                               tokd(r, 3), b, a);
        ck_assert_msg(rc == 0, "line %d: %s -> %s", r->lineno, r->hdr, xp_errmsg());
        note(&s, fmax(vec_err(b, 3, need(r, "b")), vec_err(a, 3, need(r, "a"))), r, NULL);
    }
    report(&s);
}
END_TEST

/* ------------------------------------------------------------ conversions */

START_TEST(test_golden_conv)
{
    load_golden();
    stat sc = {"conv", 1e-10, 0, 0, 0, ""}, sr = {"conv tf2zpk/sos", 1e-9, 0, 0, 0, ""};
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        if (!is(r, "conv"))
            continue;
        const char *name = r->tok[1];
        double z[256], p[256], b[256], a[256], sos[6 * 64], k = NAN;
        int64_t nz = -1, np = -1, nb = -1, na = -1, nsec = -1;
        const gline *iz = get(r, "iz"), *ip = get(r, "ip"), *ik = get(r, "ik");
        const gline *ib = get(r, "ib"), *ia = get(r, "ia"), *is = get(r, "isos");
        int rc;
        double err = 0;
        if (!strcmp(name, "zpk2tf")) {
            rc = xps_zpk2tf(iz->v, iz->n / 2, ip->v, ip->n / 2, ik->v[0], b, a);
            err = fmax(vec_err(b, iz->n / 2 + 1, need(r, "b")),
                       vec_err(a, ip->n / 2 + 1, need(r, "a")));
        } else if (!strcmp(name, "zpk2sos")) {
            xps_pairing pr;
            XPT_OK(xps_pairing_parse(r->tok[2], &pr));
            rc = xps_zpk2sos(iz->v, iz->n / 2, ip->v, ip->n / 2, ik->v[0], pr,
                             (int)tokd(r, 3), sos, &nsec);
            if (!rc)
                err = sos_err(sos, nsec, need(r, "sos"));
        } else if (!strcmp(name, "tf2sos")) {
            /* the roots of b and a decide the sections; clustered (multiple)
             * roots come out of any eigensolver differently at 1e-4, so
             * compare the responses */
            xps_pairing pr;
            XPT_OK(xps_pairing_parse(r->tok[2], &pr));
            rc = xps_tf2sos(ib->v, ib->n, ia->v, ia->n, pr, (int)tokd(r, 3), sos, &nsec);
            const gline *gs = need(r, "sos");
            if (!rc) {
                double w[64], h1[128], h2[128];
                note(&sr, nsec == gs->n / 6 ? 0 : INFINITY, r, "sections");
                XPT_OK(xps_freqz_sos(sos, nsec, 64, NULL, 0, 0, w, h1));
                XPT_OK(xps_freqz_sos(gs->v, gs->n / 6, 64, NULL, 0, 0, w, h2));
                note(&sr, xpt_rel_err(h1, h2, 128), r, "tf2sos response");
                continue;
            }
        } else if (!strcmp(name, "tf2zpk")) {
            /* roots compared through the polynomials they make (roots of
             * multiplicity m are only defined to eps^(1/m)), and loosely */
            rc = xps_tf2zpk(ib->v, ib->n, ia->v, ia->n, z, &nz, p, &np, &k);
            const gline *gz = need(r, "z"), *gp = need(r, "p");
            if (!rc) {
                double c1[256], c2[256], d1[256], d2[256];
                note(&sr, 1e-6 * fmax(roots_err(z, nz, gz->v, gz->n / 2),
                                      roots_err(p, np, gp->v, gp->n / 2)), r, "roots");
                note(&sr, rel(k, need(r, "k")->v[0]), r, "k");
                XPT_OK(xps_zpk2tf(z, nz, p, np, k, c1, c2));
                XPT_OK(xps_zpk2tf(gz->v, gz->n / 2, gp->v, gp->n / 2, need(r, "k")->v[0],
                                  d1, d2));
                note(&sr, fmax(xpt_rel_err(c1, d1, nz + 1), xpt_rel_err(c2, d2, np + 1)), r,
                     "polynomials");
                continue;
            }
        } else if (!strcmp(name, "sos2tf")) {
            rc = xps_sos2tf(is->v, is->n / 6, b, &nb, a, &na);
            if (!rc)
                err = fmax(vec_err(b, nb, need(r, "b")), vec_err(a, na, need(r, "a")));
        } else if (!strcmp(name, "sos2zpk")) {
            rc = xps_sos2zpk(is->v, is->n / 6, z, p, &k);
            nz = np = 2 * (is->n / 6);
        } else if (!strcmp(name, "bilinear")) {
            rc = xps_bilinear(ib->v, ib->n, ia->v, ia->n, tokd(r, 2), b, &nb, a, &na);
            if (!rc)
                err = fmax(vec_err(b, nb, need(r, "b")), vec_err(a, na, need(r, "a")));
        } else {
            int64_t n_z = iz->n / 2, n_p = ip->n / 2;
            double x = tokd(r, 2), y = r->ntok > 3 ? tokd(r, 3) : 0;
            if (!strcmp(name, "bilinear_zpk"))
                rc = xps_bilinear_zpk(iz->v, n_z, ip->v, n_p, ik->v[0], x, z, &nz, p, &np, &k);
            else if (!strcmp(name, "lp2lp_zpk"))
                rc = xps_lp2lp_zpk(iz->v, n_z, ip->v, n_p, ik->v[0], x, z, &nz, p, &np, &k);
            else if (!strcmp(name, "lp2hp_zpk"))
                rc = xps_lp2hp_zpk(iz->v, n_z, ip->v, n_p, ik->v[0], x, z, &nz, p, &np, &k);
            else if (!strcmp(name, "lp2bp_zpk"))
                rc = xps_lp2bp_zpk(iz->v, n_z, ip->v, n_p, ik->v[0], x, y, z, &nz, p, &np, &k);
            else if (!strcmp(name, "lp2bs_zpk"))
                rc = xps_lp2bs_zpk(iz->v, n_z, ip->v, n_p, ik->v[0], x, y, z, &nz, p, &np, &k);
            else
                ck_abort_msg("golden line %d: unknown conversion %s", r->lineno, name);
        }
        ck_assert_msg(rc == 0, "line %d: %s -> %s", r->lineno, r->hdr, xp_errmsg());
        if (get(r, "z") && get(r, "k")) {
            const gline *gz = need(r, "z"), *gp = need(r, "p");
            err = fmax(fmax(roots_err(z, nz, gz->v, gz->n / 2),
                            roots_err(p, np, gp->v, gp->n / 2)),
                       rel(k, need(r, "k")->v[0]));
        }
        note(&sc, err, r, name);
    }
    report(&sc);
    report(&sr);
}
END_TEST

/* ------------------------------------------------------------ freqz */

START_TEST(test_golden_freqz)
{
    load_golden();
    stat sw = {"freqz w", 1e-14, 0, 0, 0, ""}, sh = {"freqz h", 1e-12, 0, 0, 0, ""};
    for (int i = 0; i < nrecs; i++) {
        const grec *r = &recs[i];
        int sos = is(r, "freqz_sos");
        if (!is(r, "freqz") && !sos)
            continue;
        int whole = (int)tokd(r, 1);
        double fs = tokd(r, 2);
        int incl = sos ? 0 : (int)tokd(r, 3);
        int64_t nw = (int64_t)tokd(r, sos ? 3 : 4);
        int explicit = (int)tokd(r, sos ? 4 : 5);
        const gline *fq = explicit ? need(r, "ifreqs") : NULL;
        double *w = malloc(sizeof(double) * (size_t)(nw + 1));
        double *h = malloc(sizeof(double) * (size_t)(2 * nw + 2));
        int rc;
        if (sos) {
            const gline *g = need(r, "isos");
            rc = xps_freqz_sos(g->v, g->n / 6, nw, fq ? fq->v : NULL, whole, fs, w, h);
        } else {
            const gline *b = need(r, "ib"), *a = need(r, "ia");
            rc = xps_freqz(b->v, b->n, a->v, a->n, nw, fq ? fq->v : NULL, whole, fs, incl,
                           w, h);
        }
        ck_assert_msg(rc == 0, "line %d: %s -> %s", r->lineno, r->hdr, xp_errmsg());
        note(&sw, vec_err(w, nw, need(r, "w")), r, NULL);
        note(&sh, vec_err(h, 2 * nw, need(r, "h")), r, NULL);
        free(w);
        free(h);
    }
    report(&sw);
    report(&sh);
}
END_TEST

/* ------------------------------------------------------------ properties */

/* Roots in SciPy's order, not only as a set: v (interleaved) against want
 * element by element at 1e-12. */
static void same_order(const char *what, const double *v, int64_t n, const double *want,
                       int64_t nwant)
{
    ck_assert_msg(n == nwant, "%s: %lld roots, want %lld", what, (long long)n,
                  (long long)nwant);
    for (int64_t i = 0; i < 2 * n; i++)
        ck_assert_msg(fabs(v[i] - want[i]) <= 1e-12, "%s: root %lld is %.17g%+.17gj, SciPy "
                      "has %.17g%+.17gj there", what, (long long)(i / 2), v[i & ~1],
                      v[i | 1], want[i & ~1], want[i | 1]);
}

/* The band transforms split each root v into v +- sqrt(v^2 - wo^2); which
 * one comes first follows the sign of a zero imaginary part, and numpy's
 * v * bw / 2 turns bw into bw + 0j first ((-0 - 2j) * 1 is +0 - 2j there).
 * Band-pass zpk designs therefore list their roots in SciPy's order. */
START_TEST(test_band_root_order)
{
    double z[8], p[8], k;
    int64_t nz, np;
    const double z0[2] = {-0.0, -2.0}, p0[2] = {-1.0, 0.0};
    XPT_OK(xps_lp2bp_zpk(z0, 1, p0, 1, 1.0, 1.0, 1.0, z, &nz, p, &np, &k));
    const double wz[] = {0, -2.414213562373095, 0, 0.41421356237309515};
    const double wp[] = {-0.5, -0.8660254037844386, -0.5, 0.8660254037844386};
    same_order("lp2bp_zpk zeros", z, nz, wz, 2);
    same_order("lp2bp_zpk poles", p, np, wp, 2);
    const double Wn[2] = {0.2, 0.4};
    XPT_OK(xps_cheby2(2, 40, Wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_ZPK, 0, z, &nz, p,
                      &np, &k));
    const double cz[] = {0.16481188113084344, -0.986325019371461,
                         0.16481188113084344, 0.986325019371461,
                         0.8557656275759735, 0.5173636928307785,
                         0.8557656275759735, -0.5173636928307785};
    const double cp[] = {0.6234449736395096, 0.7418254163060667,
                         0.6234449736395096, -0.7418254163060667,
                         0.5727166658762692, -0.7796616958680239,
                         0.5727166658762692, 0.7796616958680239};
    same_order("cheby2 band-pass zeros", z, nz, cz, 4);
    same_order("cheby2 band-pass poles", p, np, cp, 4);
    ck_assert(fabs(k - 0.011353393934590278) <= 1e-12 * k);
}
END_TEST

/* zpk2sos places first the pole closest to the unit circle by numpy's
 * array |p| (larger * sqrt(1 + r^2) with an FMA), not hypot: here the
 * -0.9988 pair is 1 + 1.1e-16 by numpy, exactly 1 by hypot, and the
 * -0.7906 pair exactly 1 by both, so SciPy takes the latter first (it
 * ends in the last row).  714 of 3000 random sets with unit-circle poles
 * came out in another row order before. */
START_TEST(test_zpk2sos_ties)
{
    const double z[16] = {-0.22137040254535675, 0.7993927783456989,
                          -0.22137040254535675, -0.7993927783456989,
                          0.11005708970782338, 0.9826370854011228,
                          0.11005708970782338, -0.9826370854011228,
                          0.18350644005001865, 0.3312774241047777,
                          0.18350644005001865, -0.3312774241047777,
                          0.0, 0.0, -0.1383138780172157, 0.0};
    const double p[14] = {0.2408848280221393, 0.05787635505736041,
                          0.2408848280221393, -0.05787635505736041,
                          -0.9987841380183542, 0.04929752167130834,
                          -0.9987841380183542, -0.04929752167130834,
                          -0.7905835006282637, 0.6123542508502413,
                          -0.7905835006282637, -0.6123542508502413,
                          1.1183409036144665, 0.0};
    const double want[4][6] = {
        {-1.7209626246976781, 0.37880827594032707, -1.6825648587253565, 1.0,
         -0.4817696560442786, 0.06137517284598128},
        {1.0, -0.3670128801000373, 0.14341934526132782, 1.0, -1.1183409036144665, 0.0},
        {1.0, 0.1383138780172157, 0.0, 1.0, 1.9975682760367084, 1.0},
        {1.0, 0.4427408050907135, 0.6880336691943489, 1.0, 1.5811670012565273, 1.0}};
    double sos[4 * 6];
    int64_t nsec = 0;
    XPT_OK(xps_zpk2sos(z, 8, p, 7, -1.7209626246976781, XPS_PAIRING_NEAREST, 0, sos, &nsec));
    ck_assert_int_eq(nsec, 4);
    for (int i = 0; i < 24; i++)
        ck_assert_msg(fabs(sos[i] - want[i / 6][i % 6]) <= 1e-12,
                      "sos[%d][%d] is %.17g, SciPy %.17g", i / 6, i % 6, sos[i],
                      want[i / 6][i % 6]);
}
END_TEST

/* zpk -> sos -> zpk and zpk -> ba -> zpk give the filter back; the three
 * forms have one frequency response. */
START_TEST(test_roundtrips)
{
    double Wn[2] = {0.2, 0.45};
    int64_t len = xps_iir_buflen(6);
    double z[200], p[200], k, sos[200], b[200], a[200], z2[200], p2[200], k2;
    double w1[64], h1[128], h2[128], h3[128];
    int64_t nz, np, nsec, nb, na, nz2, np2;
    ck_assert_int_le(len, 200);
    XPT_OK(xps_ellip(6, 0.5, 50, Wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_ZPK, 0, z, &nz, p,
                     &np, &k));
    XPT_OK(xps_zpk2sos(z, nz, p, np, k, XPS_PAIRING_DEFAULT, 0, sos, &nsec));
    ck_assert_int_eq(nsec, 6);
    XPT_OK(xps_sos2zpk(sos, nsec, z2, p2, &k2));
    ck_assert_double_le(roots_err(p2, 2 * nsec, p, np), 1e-12);
    ck_assert_double_le(roots_err(z2, 2 * nsec, z, nz), 1e-7);     /* double zeros */
    ck_assert_double_le(rel(k2, k), 1e-12);
    XPT_OK(xps_sos2tf(sos, nsec, b, &nb, a, &na));
    ck_assert_int_eq(nb, 13);
    ck_assert_int_eq(na, 13);
    XPT_OK(xps_freqz(b, nb, a, na, 64, NULL, 0, 0, 0, w1, h1));
    XPT_OK(xps_freqz_sos(sos, nsec, 64, NULL, 0, 0, w1, h2));
    XPT_OK(xps_sosfreqz(sos, nsec, 64, NULL, 0, 0, w1, h3));
    ck_assert_double_le(xpt_rel_err(h1, h2, 128), 1e-9);
    ck_assert_double_eq(xpt_rel_err(h3, h2, 128), 0);
    /* tf2zpk of the ba form gives the poles back */
    XPT_OK(xps_tf2zpk(b, nb, a, na, z2, &nz2, p2, &np2, &k2));
    ck_assert_int_eq(np2, 12);
    ck_assert_double_le(roots_err(p2, np2, p, np), 1e-8);
    ck_assert_double_le(rel(k2, k), 1e-12);
    /* tf2sos gives the same response */
    XPT_OK(xps_tf2sos(b, nb, a, na, XPS_PAIRING_NEAREST, 0, sos, &nsec));
    XPT_OK(xps_freqz_sos(sos, nsec, 64, NULL, 0, 0, w1, h3));
    ck_assert_double_le(xpt_rel_err(h3, h2, 128), 1e-8);
    /* analog forms: sos with minimal pairing keeps the response */
    double Wa = 3.0;
    XPT_OK(xps_cheby2(5, 40, &Wa, 1, XPS_BTYPE_LOWPASS, 1, XPS_OUTPUT_ZPK, 0, z, &nz, p,
                      &np, &k));
    XPT_OK(xps_cheby2(5, 40, &Wa, 1, XPS_BTYPE_LOWPASS, 1, XPS_OUTPUT_SOS, 0, sos, &nsec,
                      NULL, NULL, NULL));
    ck_assert_int_eq(nsec, 3);
    XPT_OK(xps_sos2tf(sos, nsec, b, &nb, a, &na));
    ck_assert_double_le(ba_vs_zpk(b, nb, a, na, z, nz, p, np, k, 1, 3.0), 1e-12);
}
END_TEST

/* Outputs have the documented sizes, and each design function is
 * iirfilter with its ftype. */
START_TEST(test_sizes_and_aliases)
{
    double Wn[2] = {0.1, 0.3}, c1[6 * 12], c2[6 * 12], d1[6 * 12], d2[6 * 12], k, k2;
    int64_t n1, n2, m1, m2;
    for (int64_t N = 1; N <= 10; N++) {
        XPT_OK(xps_ellip(N, 1, 40, Wn, 2, XPS_BTYPE_BANDSTOP, 0, XPS_OUTPUT_ZPK, 0, c1, &n1,
                         c2, &n2, &k));
        ck_assert_int_eq(n1, 2 * N);
        ck_assert_int_eq(n2, 2 * N);
        XPT_OK(xps_ellip(N, 1, 40, Wn, 2, XPS_BTYPE_BANDSTOP, 0, XPS_OUTPUT_SOS, 0, c1, &n1,
                         NULL, NULL, NULL));
        ck_assert_int_eq(n1, N);
        XPT_OK(xps_butter(N, Wn, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_SOS, 0, c1, &n1, NULL,
                          NULL, NULL));
        ck_assert_int_eq(n1, (N + 1) / 2);
        XPT_OK(xps_cheby1(N, 2, Wn, 2, XPS_BTYPE_BANDPASS, 1, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, NULL));
        ck_assert_int_eq(n2, 2 * N + 1);
        ck_assert_int_eq(n1, N + 1);                 /* analog: N zeros at 0 */
        XPT_OK(xps_iirfilter(N, Wn, 2, 2, 0, XPS_BTYPE_BANDPASS, 1, XPS_FTYPE_CHEBY1,
                             XPS_OUTPUT_BA, 0, d1, &m1, d2, &m2, NULL));
        ck_assert_int_eq(m1, n1);
        ck_assert_mem_eq(c1, d1, sizeof(double) * (size_t)n1);
        ck_assert_mem_eq(c2, d2, sizeof(double) * (size_t)n2);
        XPT_OK(xps_bessel(N, Wn, 1, XPS_BTYPE_HIGHPASS, 0, XPS_OUTPUT_ZPK,
                          XPS_BESSEL_NORM_MAG, 100.0, c1, &n1, c2, &n2, &k));
        XPT_OK(xps_iirfilter(N, Wn, 1, 0, 0, XPS_BTYPE_HIGHPASS, 0, XPS_FTYPE_BESSEL_MAG,
                             XPS_OUTPUT_ZPK, 100.0, d1, &m1, d2, &m2, &k2));
        ck_assert_mem_eq(c2, d2, sizeof(double) * (size_t)(2 * n2));
        ck_assert_double_eq(k, k2);
    }
}
END_TEST

/* ------------------------------------------------------------ bad input */

#define EXPECT_ERR(call, status, text)                                          \
    do {                                                                        \
        int rc_ = (call);                                                       \
        ck_assert_msg(rc_ == (status), "%s -> %d, want %d (%s)", #call, rc_,    \
                      (status), xp_errmsg());                                   \
        ck_assert_msg(strstr(xp_errmsg(), (text)) != NULL,                      \
                      "%s: message '%s' lacks '%s'", #call, xp_errmsg(), (text)); \
    } while (0)

/* Order 0, as SciPy: no poles or zeros, the gain alone (1, or 10^(-rp/20)
 * for the types with passband ripple), whatever the band and transform;
 * ba [k] / [1], sos one section k (digital: [k 0 0 1 0 0]; analog: the
 * constant in s, [0 0 k 0 0 1]).  iirdesign gets there when gpass = gstop. */
START_TEST(test_order_zero)
{
    double c1[12], c2[12], k, Wn[2] = {0.2, 0.4}, aWn[2] = {2, 4};
    int64_t n1, n2, N = -1;
    static const xps_ftype types[] = {XPS_FTYPE_BUTTER, XPS_FTYPE_CHEBY1, XPS_FTYPE_CHEBY2,
                                      XPS_FTYPE_ELLIP, XPS_FTYPE_BESSEL};
    for (int t = 0; t < 5; t++)
        for (int bt = XPS_BTYPE_LOWPASS; bt <= XPS_BTYPE_BANDSTOP; bt++)
            for (int analog = 0; analog < 2; analog++) {
                int64_t nw = bt >= XPS_BTYPE_BANDPASS ? 2 : 1;
                double want = types[t] == XPS_FTYPE_CHEBY1 || types[t] == XPS_FTYPE_ELLIP
                                  ? pow(10.0, -1.0 / 20) : 1.0;
                ck_assert_int_eq(xps_iirfilter(0, analog ? aWn : Wn, nw, 1, 40, (xps_btype)bt,
                                               analog, types[t], XPS_OUTPUT_BA, 0, c1, &n1, c2,
                                               &n2, &k), XP_OK);
                ck_assert(n1 == 1 && n2 == 1);
                ck_assert_double_eq_tol(c1[0], want, 1e-15);
                ck_assert_double_eq(c2[0], 1.0);
                ck_assert_int_eq(xps_iirfilter(0, analog ? aWn : Wn, nw, 1, 40, (xps_btype)bt,
                                               analog, types[t], XPS_OUTPUT_ZPK, 0, c1, &n1,
                                               c2, &n2, &k), XP_OK);
                ck_assert(n1 == 0 && n2 == 0);
                ck_assert_double_eq_tol(k, want, 1e-15);
                ck_assert_int_eq(xps_iirfilter(0, analog ? aWn : Wn, nw, 1, 40, (xps_btype)bt,
                                               analog, types[t], XPS_OUTPUT_SOS, 0, c1, &n1,
                                               c2, &n2, &k), XP_OK);
                ck_assert_int_eq(n1, 1);
                for (int i = 0; i < 6; i++) {
                    double e = i == (analog ? 2 : 0) ? want : i == (analog ? 5 : 3) ? 1 : 0;
                    ck_assert_double_eq_tol(c1[i], e, 1e-15);
                }
            }
    double wp[1] = {0.2}, ws[1] = {0.3};
    ck_assert_int_eq(xps_iirdesign(wp, ws, 1, 2, 2, 0, XPS_FTYPE_BUTTER, XPS_OUTPUT_BA, 0, 12,
                                   c1, &n1, c2, &n2, &k, &N), XP_OK);
    ck_assert(N == 0 && n1 == 1 && n2 == 1 && c1[0] == 1 && c2[0] == 1);
    ck_assert_int_eq(xps_iirdesign(wp, ws, 1, 2, 2, 0, XPS_FTYPE_ELLIP, XPS_OUTPUT_BA, 0, 12,
                                   c1, &n1, c2, &n2, &k, &N), XP_OK);
    ck_assert(N == 0 && n1 == 1);
    ck_assert_double_eq_tol(c1[0], pow(10.0, -2.0 / 20), 1e-15);
}
END_TEST

START_TEST(test_errors)
{
    double c1[120], c2[120], k, z[40], p[40], sos[60], b[20], a[20], w[8], h[16];
    int64_t n1, n2, N;
    double bad1[2] = {0.2, 1.2}, bad0[1] = {0.0}, rev[2] = {0.4, 0.2}, ok2[2] = {0.2, 0.4};
    double ok1[1] = {0.3}, neg[1] = {-1.0};
    EXPECT_ERR(xps_butter(4, bad1, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "butter: Wn[1] (1.2) must be in (0, 1)");
    EXPECT_ERR(xps_butter(4, bad0, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "butter: Wn[0] (0) must be in (0, 1)");
    double hz[1] = {3000};
    EXPECT_ERR(xps_cheby1(4, 1, hz, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 4096, c1, &n1,
                          c2, &n2, &k), XP_EINVAL, "cheby1: Wn[0] (3000) must be in (0, fs/2)");
    EXPECT_ERR(xps_butter(4, ok2, 2, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "butter: Wn has 2 values; a lowpass filter needs 1");
    EXPECT_ERR(xps_butter(4, ok1, 1, XPS_BTYPE_BANDSTOP, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "Wn has 1 values; a bandstop filter needs 2");
    EXPECT_ERR(xps_butter(4, rev, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "butter: Wn[0] (0.4) must be less than Wn[1] (0.2)");
    EXPECT_ERR(xps_butter(-1, ok1, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "butter: order N (-1) must be >= 0");
    EXPECT_ERR(xps_ellip(-2, 1, 40, ok1, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1,
                         c2, &n2, &k), XP_EINVAL, "ellip: order N (-2) must be >= 0");
    EXPECT_ERR(xps_cheby1(4, 0, ok1, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "cheby1: rp (0) must be a positive number of dB");
    EXPECT_ERR(xps_cheby2(4, -3, ok1, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "cheby2: rs (-3) must be a positive");
    EXPECT_ERR(xps_ellip(4, 1, 0, ok1, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, c1, &n1,
                         c2, &n2, &k), XP_EINVAL, "ellip: rs (0)");
    EXPECT_ERR(xps_butter(4, neg, 1, XPS_BTYPE_LOWPASS, 1, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "butter: Wn[0] (-1) must be a positive");
    EXPECT_ERR(xps_butter(4, ok1, 1, XPS_BTYPE_LOWPASS, 1, XPS_OUTPUT_BA, 100, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "cannot be specified for an analog filter");
    EXPECT_ERR(xps_iirfilter(4, ok1, 1, 1, 1, (xps_btype)7, 0, XPS_FTYPE_BUTTER,
                             XPS_OUTPUT_BA, 0, c1, &n1, c2, &n2, &k), XP_EINVAL, "btype (7)");
    EXPECT_ERR(xps_iirfilter(4, ok1, 1, 1, 1, XPS_BTYPE_LOWPASS, 0, (xps_ftype)12,
                             XPS_OUTPUT_BA, 0, c1, &n1, c2, &n2, &k), XP_EINVAL, "ftype (12)");
    EXPECT_ERR(xps_iirfilter(4, ok1, 1, 1, 1, XPS_BTYPE_LOWPASS, 0, XPS_FTYPE_BUTTER,
                             (xps_output)5, 0, c1, &n1, c2, &n2, &k), XP_EINVAL, "output (5)");
    EXPECT_ERR(xps_bessel(4, ok1, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA,
                          (xps_bessel_norm)4, 0, c1, &n1, c2, &n2, &k), XP_EINVAL, "norm (4)");
    /* SciPy refuses a negative rp or rs even where the type does not use it */
    EXPECT_ERR(xps_iirfilter(4, ok1, 1, -1, 0, XPS_BTYPE_LOWPASS, 0, XPS_FTYPE_BUTTER,
                             XPS_OUTPUT_BA, 0, c1, &n1, c2, &n2, &k), XP_EINVAL, "rp (-1)");
    EXPECT_ERR(xps_iirfilter(4, ok1, 1, 1, -2, XPS_BTYPE_LOWPASS, 0, XPS_FTYPE_CHEBY1,
                             XPS_OUTPUT_BA, 0, c1, &n1, c2, &n2, &k), XP_EINVAL, "rs (-2)");
    EXPECT_ERR(xps_butter(4, ok1, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_ZPK, 0, c1, &n1, c2,
                          &n2, NULL), XP_EINVAL, "NULL");
    EXPECT_ERR(xps_butter(4, NULL, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_ZPK, 0, c1, &n1, c2,
                          &n2, &k), XP_EINVAL, "Wn is NULL");

    /* prototypes */
    EXPECT_ERR(xps_buttap(-1, z, &n1, p, &n2, &k), XP_EINVAL, "buttap: order N (-1)");
    EXPECT_ERR(xps_cheb1ap(3, -1, z, &n1, p, &n2, &k), XP_EINVAL, "cheb1ap: rp (-1)");
    EXPECT_ERR(xps_ellipap(3, 1, NAN, z, &n1, p, &n2, &k), XP_EINVAL, "ellipap: rs (nan)");
    EXPECT_ERR(xps_besselap(3, (xps_bessel_norm)-1, z, &n1, p, &n2, &k), XP_EINVAL,
               "besselap: norm (-1)");

    /* order selection and iirdesign */
    double wp[2] = {0.2, 0.5}, ws[2] = {0.1, 0.6}, wsx[2] = {0.3, 0.6}, big[1] = {1.5};
    EXPECT_ERR(xps_buttord(wp, ws, 3, 1, 40, 0, 0, &N, c1), XP_EINVAL,
               "buttord: wp and ws must have one or two values each, not 3");
    EXPECT_ERR(xps_cheb1ord(wp, ws, 2, 0, 40, 0, 0, &N, c1), XP_EINVAL, "cheb1ord: gpass (0)");
    EXPECT_ERR(xps_cheb2ord(wp, ws, 2, 50, 40, 0, 0, &N, c1), XP_EINVAL,
               "cheb2ord: gpass (50) must not exceed gstop (40)");
    EXPECT_ERR(xps_ellipord(wp, wsx, 2, 1, 40, 0, 0, &N, c1), XP_EINVAL,
               "must lie strictly inside the stopband");
    EXPECT_ERR(xps_ellipord(big, ws, 1, 1, 40, 0, 0, &N, c1), XP_EINVAL,
               "ellipord: wp[0] (1.5) must be less than 1");
    EXPECT_ERR(xps_buttord(wp, ws, 2, 1, 40, 0, 1.0, &N, c1), XP_EINVAL,
               "buttord: wp[1] (0.5) must be less than fs/2 (0.5)");
    EXPECT_ERR(xps_iirdesign(wp, ws, 2, 3, 3, 0, XPS_FTYPE_CHEBY2, XPS_OUTPUT_BA, 0, 120,
                             c1, &n1, c2, &n2, &k, &N), XP_EINVAL,
               "iirdesign: gpass (3) equal to gstop gives order 0, which has no Chebyshev II");
    EXPECT_ERR(xps_iirdesign(wp, ws, 2, 1, 40, 0, XPS_FTYPE_BESSEL, XPS_OUTPUT_BA, 0, 120,
                             c1, &n1, c2, &n2, &k, &N), XP_EINVAL,
               "iirdesign: ftype bessel has no order selection");
    EXPECT_ERR(xps_iirdesign(wp, ws, 2, 1, 40, 0, XPS_FTYPE_BUTTER, XPS_OUTPUT_BA, 0, 6,
                             c1, &n1, c2, &n2, &k, &N), XP_ESHAPE, "iirdesign: the order");

    /* notch, peak */
    EXPECT_ERR(xps_iirnotch(1.5, 30, 2, b, a), XP_EINVAL,
               "iirnotch: w0 (1.5) must be in [0, fs/2] = [0, 1]");
    EXPECT_ERR(xps_iirpeak(60, 0, 1000, b, a), XP_EINVAL, "iirpeak: Q (0)");
    EXPECT_ERR(xps_iirpeak(60, 30, -1, b, a), XP_EINVAL, "iirpeak: fs (-1)");

    /* conversions */
    double zc[2] = {0.5, 0.5};   /* one complex zero without its conjugate */
    EXPECT_ERR(xps_zpk2tf(zc, 1, NULL, 0, 1, b, a), XP_EINVAL, "zpk2tf: the zeros are not in "
               "complex conjugate pairs");
    EXPECT_ERR(xps_zpk2sos(zc, 1, zc, 1, 1, XPS_PAIRING_NEAREST, 0, sos, &n1), XP_EINVAL,
               "zpk2sos: z has a complex value with no matching conjugate");
    double zr[4] = {0.5, 0, 0.25, 0};
    EXPECT_ERR(xps_zpk2sos(zr, 2, zr, 1, 1, XPS_PAIRING_MINIMAL, 1, sos, &n1), XP_EINVAL,
               "zpk2sos: analog (minimal) pairing needs at least as many poles (1) as zeros (2)");
    EXPECT_ERR(xps_zpk2sos(zr, 1, zr, 1, 1, XPS_PAIRING_NEAREST, 1, sos, &n1), XP_EINVAL,
               "analog conversion needs pairing minimal");
    EXPECT_ERR(xps_zpk2sos(zr, 1, zr, 1, 1, (xps_pairing)9, 0, sos, &n1), XP_EINVAL,
               "pairing (9)");
    EXPECT_ERR(xps_lp2hp_zpk(zr, 2, zr, 1, 1, 1.0, z, &n1, p, &n2, &k), XP_EINVAL,
               "lp2hp_zpk: improper transfer function");
    EXPECT_ERR(xps_lp2bp_zpk(zr, 1, zr, 1, 1, 1.0, 0, z, &n1, p, &n2, &k), XP_EINVAL,
               "lp2bp_zpk: bw (0)");
    EXPECT_ERR(xps_bilinear_zpk(zr, 1, zr, 1, 1, -2, z, &n1, p, &n2, &k), XP_EINVAL,
               "bilinear_zpk: fs (-2)");
    double zeros3[3] = {0, 0, 0};
    EXPECT_ERR(xps_tf2zpk(b, 1, zeros3, 3, z, &n1, p, &n2, &k), XP_EINVAL,
               "tf2zpk: the denominator a has no nonzero coefficient");
    EXPECT_ERR(xps_bilinear(zeros3, 3, zeros3, 3, 1.0, b, &n1, a, &n2), XP_EINVAL,
               "bilinear: the denominator a has no nonzero coefficient");
    EXPECT_ERR(xps_sos2tf(sos, 0, b, &n1, a, &n2), XP_EINVAL, "sos2tf: nsec (0)");
    double sos2[6] = {1, 0, 0, 2, 0, 0};
    EXPECT_ERR(xps_freqz_sos(sos2, 1, 4, NULL, 0, 0, w, h), XP_EINVAL,
               "freqz_sos: sos[0][3] (2) must be 1");
    EXPECT_ERR(xps_freqz(b, 0, a, 1, 4, NULL, 0, 0, 0, w, h), XP_EINVAL, "freqz: b must have");
    EXPECT_ERR(xps_freqz(zr, 1, zr, 1, -4, NULL, 0, 0, 0, w, h), XP_EINVAL,
               "freqz: worN (-4) must be nonnegative");
}
END_TEST

/* ------------------------------------------------------ allocation faults */

typedef int (*faultfn)(void);

static int f_ellip_ba(void)
{
    double wn[2] = {0.2, 0.3}, c1[60], c2[60], k;
    int64_t n1, n2;
    return xps_ellip(6, 1, 40, wn, 2, XPS_BTYPE_BANDSTOP, 0, XPS_OUTPUT_BA, 0, c1, &n1, c2,
                     &n2, &k);
}

static int f_cheby2_sos(void)
{
    double wn[2] = {0.2, 0.3}, c1[60], c2[60], k;
    int64_t n1, n2;
    return xps_cheby2(5, 40, wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_SOS, 0, c1, &n1, c2,
                      &n2, &k);
}

static int f_bessel(void)
{
    double wn[1] = {0.2}, c1[60], c2[60], k;
    int64_t n1, n2;
    return xps_bessel(7, wn, 1, XPS_BTYPE_HIGHPASS, 0, XPS_OUTPUT_ZPK, XPS_BESSEL_NORM_MAG, 0,
                      c1, &n1, c2, &n2, &k);
}

static int f_iirdesign(void)
{
    double wp[2] = {13 / 2048.0, 15 / 2048.0}, ws[2] = {13.9 / 2048, 14.1 / 2048};
    double c1[60], c2[60], k;
    int64_t n1, n2, N;
    return xps_iirdesign(wp, ws, 2, 1, 6, 0, XPS_FTYPE_ELLIP, XPS_OUTPUT_SOS, 0, 60, c1, &n1,
                         c2, &n2, &k, &N);
}

static int f_tf(void)
{
    double b[5] = {1, 2, 3, 2, 1}, a[4] = {1, -0.5, 0.25, -0.1}, z[8], p[8], k, sos[30];
    double bz[8], az[8], w[4], h[8];
    int64_t nz, np, ns, nb, na;
    int rc = xps_tf2zpk(b, 5, a, 4, z, &nz, p, &np, &k);
    if (!rc)
        rc = xps_tf2sos(b, 5, a, 4, XPS_PAIRING_KEEP_ODD, 0, sos, &ns);
    if (!rc)
        rc = xps_sos2tf(sos, ns, bz, &nb, az, &na);
    if (!rc)
        rc = xps_sos2zpk(sos, ns, z, p, &k);
    if (!rc)
        rc = xps_bilinear(a, 4, b, 5, 10.0, bz, &nb, az, &na);
    if (!rc)
        rc = xps_freqz_sos(sos, ns, 4, NULL, 1, 0, w, h);
    if (!rc)
        rc = xps_lp2bs_zpk(p, 1, z, 2, 1.0, 2.0, 0.5, bz, &nb, az, &na, &k);
    return rc;
}

START_TEST(test_faults)
{
    faultfn fns[] = {f_ellip_ba, f_cheby2_sos, f_bessel, f_iirdesign, f_tf};
    for (int f = 0; f < 5; f++) {
        ck_assert_int_eq(fns[f](), 0);
        long k;
        for (k = 1; k < 200; k++) {
            xp__fault_set(k);
            int rc = fns[f]();
            long seen = xp__fault_seen();
            xp__fault_set(0);
            if (rc == 0) {
                ck_assert_int_lt(seen, k);   /* done before the fault fired */
                break;
            }
            ck_assert_msg(rc == XP_ENOMEM, "function %d, fault %ld: rc %d (%s)", f, k, rc,
                          xp_errmsg());
        }
        ck_assert_msg(k > 1 && k < 200, "function %d: faults %ld", f, k);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("iir");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_parse);
    tcase_add_test(tc, test_golden_ap);
    tcase_add_test(tc, test_golden_filt);
    tcase_add_test(tc, test_golden_ord);
    tcase_add_test(tc, test_golden_design);
    tcase_add_test(tc, test_gw150914_notches);
    tcase_add_test(tc, test_golden_notch);
    tcase_add_test(tc, test_golden_conv);
    tcase_add_test(tc, test_golden_freqz);
    suite_add_tcase(s, tc);
    tc = tcase_create("properties");
    tcase_add_test(tc, test_roundtrips);
    tcase_add_test(tc, test_band_root_order);
    tcase_add_test(tc, test_zpk2sos_ties);
    tcase_add_test(tc, test_sizes_and_aliases);
    tcase_add_test(tc, test_order_zero);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_faults);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
