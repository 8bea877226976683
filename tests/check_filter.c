/*
 * check_filter.c -- lfilter, sosfilt, their zi, filtfilt (pad and gust)
 * and sosfiltfilt against SciPy's golden vectors (tests/golden/filter.txt,
 * written by tests/golden/gen_filter.py), on every provider.
 *
 * Tolerance: 1e-10 relative to the largest reference value, edges
 * included.  float32 input gives a float64 result computed in float64, as
 * SciPy's (its result_type with the float64 coefficients), so the float32
 * cases are held to 1e-10 too.  The generator keeps only cases whose own float64 rounding
 * error, estimated against a long double run, is below 1e-12, so a 1e-10
 * failure is ours; that leaves out the ba form of high-order band-pass and
 * narrow low-pass designs (their sos form is tested).
 *
 * Each case also checks the output's dtype and shape, that x and zi are
 * left untouched and that no provider memory is leaked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filter_common.h"

/* ---- the golden file --------------------------------------------------- */

typedef struct {
    char name[32];
    int sos;                /* 0: b[nb], a[na]; 1: c[6 nsec] */
    int64_t nb, na;
    double *b, *a;
} design;

typedef struct {
    char name[8];
    int cplx, ndim;
    int64_t shape[XP_MAX_NDIM];
    int64_t nvals;
    double *v;
} output;

typedef struct {
    int id;
    char desc[256];         /* the case line, for messages */
    char fn[16], d[32], x[64];
    int axis, has_zi;
    unsigned zi;
    xps_padtype padtype;
    int64_t padlen, irlen;
    xps_filtfilt_method method;
    int nout;
    output out[2];
} gcase;

static design *g_designs;
static int g_ndesigns;
static gcase *g_cases;
static int g_ncases;

static void parse_case(gcase *c, char *line)
{
    char *save = NULL, *tok;
    memset(c, 0, sizeof *c);
    snprintf(c->desc, sizeof c->desc, "%s", line);
    c->desc[strcspn(c->desc, "\n")] = 0;
    c->axis = -1;
    c->padtype = XPS_PAD_ODD;
    c->padlen = -1;
    c->irlen = -1;
    c->method = XPS_FILTFILT_PAD;
    strtok_r(line, " \n", &save);                       /* "c" */
    c->id = atoi(strtok_r(NULL, " \n", &save));
    while ((tok = strtok_r(NULL, " \n", &save))) {
        char *eq = strchr(tok, '=');
        ck_assert_msg(eq != NULL, "golden: bad key %s", tok);
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(tok, "fn"))
            snprintf(c->fn, sizeof c->fn, "%s", v);
        else if (!strcmp(tok, "d"))
            snprintf(c->d, sizeof c->d, "%s", v);
        else if (!strcmp(tok, "x"))
            snprintf(c->x, sizeof c->x, "%s", v);
        else if (!strcmp(tok, "axis"))
            c->axis = atoi(v);
        else if (!strcmp(tok, "zi")) {
            c->has_zi = 1;
            c->zi = (unsigned)strtoul(v, NULL, 10);
        } else if (!strcmp(tok, "padtype"))
            c->padtype = !strcmp(v, "odd") ? XPS_PAD_ODD : !strcmp(v, "even") ? XPS_PAD_EVEN
                       : !strcmp(v, "constant") ? XPS_PAD_CONSTANT : XPS_PAD_NONE;
        else if (!strcmp(tok, "padlen"))
            c->padlen = strtoll(v, NULL, 10);
        else if (!strcmp(tok, "method"))
            c->method = !strcmp(v, "gust") ? XPS_FILTFILT_GUST : XPS_FILTFILT_PAD;
        else if (!strcmp(tok, "irlen"))
            c->irlen = strtoll(v, NULL, 10);
        else
            ck_assert_msg(!strcmp(tok, "est"), "golden: unknown key %s", tok);
    }
}

static void load(void)
{
    if (g_cases)
        return;
    char path[4096];
    FILE *f = xpt_golden_open("filter.txt", path, sizeof path);
    char *line = NULL;
    size_t cap = 0;
    int dcap = 0, ccap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (line[0] == 'b' || line[0] == 's') {
            if (g_ndesigns == dcap) {
                dcap = dcap ? 2 * dcap : 64;
                g_designs = realloc(g_designs, (size_t)dcap * sizeof *g_designs);
                ck_assert_ptr_nonnull(g_designs);
            }
            design *d = &g_designs[g_ndesigns++];
            memset(d, 0, sizeof *d);
            long long n1 = 0, n2 = 0;
            ck_assert(sscanf(line + 2, "%31s %lld %lld", d->name, &n1, &n2) >= 2);
            d->sos = line[0] == 's';
            d->nb = n1;
            d->na = n2;
            d->b = xpt_read_values(f, NULL, d->sos ? 6 * d->nb : d->nb);
            if (!d->sos)
                d->a = xpt_read_values(f, NULL, d->na);
        } else if (line[0] == 'c') {
            if (g_ncases == ccap) {
                ccap = ccap ? 2 * ccap : 256;
                g_cases = realloc(g_cases, (size_t)ccap * sizeof *g_cases);
                ck_assert_ptr_nonnull(g_cases);
            }
            parse_case(&g_cases[g_ncases++], line);
        } else if (line[0] == 'o') {
            gcase *c = &g_cases[g_ncases - 1];
            ck_assert(c->nout < 2);
            output *o = &c->out[c->nout++];
            char kind;
            int pos = 0;
            ck_assert(sscanf(line + 2, "%7s %c %d%n", o->name, &kind, &o->ndim, &pos) == 3);
            o->cplx = kind == 'c';
            char *s = line + 2 + pos, *end;
            int64_t size = 1;
            for (int d = 0; d < o->ndim; d++, s = end) {
                o->shape[d] = strtoll(s, &end, 10);
                size *= o->shape[d];
            }
            o->nvals = o->cplx ? 2 * size : size;
            o->v = xpt_read_values(f, NULL, o->nvals);
        }
    }
    free(line);
    fclose(f);
    ck_assert_msg(g_ncases > 900, "golden: only %d cases", g_ncases);
}

static const design *find_design(const char *name)
{
    for (int i = 0; i < g_ndesigns; i++)
        if (!strcmp(g_designs[i].name, name))
            return &g_designs[i];
    ck_abort_msg("golden: no design %s", name);
    return NULL;
}

/* ---- running one case -------------------------------------------------- */

/* got against the reference output: dtype (float64 or complex128 whatever
 * x's precision), shape and values. */
static void compare(const gcase *c, const output *o, const xp_array *got, xp_dtype dt,
                    const char *pname)
{
    xp_dtype want = xp_dtype_is_complex(dt) ? XP_COMPLEX128 : XP_FLOAT64;
    ck_assert_msg(got != NULL, "case %d (%s): no %s", c->id, pname, o->name);
    ck_assert_msg(xp_array_dtype(got) == want, "case %d (%s): %s is %s for x %s", c->id,
                  pname, o->name, xp_dtype_name(xp_array_dtype(got)), xp_dtype_name(dt));
    ck_assert_msg(xp_array_ndim(got) == o->ndim, "case %d (%s): %s has %d dims, want %d",
                  c->id, pname, o->name, xp_array_ndim(got), o->ndim);
    for (int d = 0; d < o->ndim; d++)
        ck_assert_msg(xp_array_dim(got, d) == o->shape[d], "case %d (%s): %s dim %d is %lld, "
                      "want %lld", c->id, pname, o->name, d, (long long)xp_array_dim(got, d),
                      (long long)o->shape[d]);
    int64_t n;
    double *v = xpt_get(got, &n);
    ck_assert_int_eq(n, o->nvals);
    double e = xpt_rel_err(v, o->v, n), tol = 1e-10;
    if (getenv("XFT_VERBOSE"))      /* how close, for the record */
        fprintf(stderr, "case %d %s %s %s err %.2e\n", c->id, pname, c->fn,
                xp_dtype_name(dt), e);
    ck_assert_msg(e <= tol, "case %d on %s: %s off by %.3g (tolerance %.0e): %s", c->id,
                  pname, o->name, e, tol, c->desc);
    free(v);
}

/* The zi input: the state's shape (x's with axis -> k, sosfilt's leading
 * nsec), values made like x's without offset. */
static xp_array *make_zi(const xp_provider *p, const gcase *c, const xp_array *x,
                         int64_t lead, int64_t k)
{
    int nd = xp_array_ndim(x), off = lead ? 1 : 0, ax = c->axis < 0 ? c->axis + nd : c->axis;
    int64_t shape[XP_MAX_NDIM];
    if (lead)
        shape[0] = lead;
    for (int d = 0; d < nd; d++)
        shape[d + off] = d == ax ? k : xp_array_dim(x, d);
    return xft_input(p, xp_array_dtype(x), nd + off, shape, c->zi, 0.0, 0.0);
}

static void run_case(const xp_provider *p, const gcase *c)
{
    const design *d = find_design(c->d);
    const char *pname = xp_provider_name(p);
    if (!strcmp(c->fn, "lfilter_zi") || !strcmp(c->fn, "sosfilt_zi")) {
        const output *o = &c->out[0];
        double *zi = calloc((size_t)o->nvals + 1, sizeof *zi);
        ck_assert_ptr_nonnull(zi);
        if (d->sos)
            XPT_OK(xps_sosfilt_zi(d->b, d->nb, zi));
        else
            XPT_OK(xps_lfilter_zi(d->b, d->nb, d->a, d->na, zi));
        double e = xpt_rel_err(zi, o->v, o->nvals);
        ck_assert_msg(e <= 1e-10, "case %d: zi off by %.3g: %s", c->id, e, c->desc);
        free(zi);
        return;
    }
    xp_array *x = xft_input_text(p, c->x);
    ck_assert_msg(x != NULL, "case %d: bad x %s", c->id, c->x);
    xp_array *x0 = xft_copy(x), *zi = NULL, *zi0 = NULL, *y = NULL, *zf = NULL;
    xp_dtype dt = xp_array_dtype(x);
    int64_t live = xpt_live(p);
    xps_filtfilt_options opt;
    xps_filtfilt_options_init(&opt);
    opt.axis = c->axis;
    opt.padtype = c->padtype;
    opt.padlen = c->padlen;
    opt.method = c->method;
    opt.irlen = c->irlen;
    if (!strcmp(c->fn, "lfilter")) {
        ck_assert(!d->sos);
        if (c->has_zi) {
            zi = make_zi(p, c, x, 0, (d->nb > d->na ? d->nb : d->na) - 1);
            zi0 = xft_copy(zi);
            live = xpt_live(p);
        }
        XPT_OK(xps_lfilter(d->b, d->nb, d->a, d->na, x, c->axis, zi, &y, zi ? &zf : NULL));
    } else if (!strcmp(c->fn, "sosfilt")) {
        ck_assert(d->sos);
        if (c->has_zi) {
            zi = make_zi(p, c, x, d->nb, 2);
            zi0 = xft_copy(zi);
            live = xpt_live(p);
        }
        XPT_OK(xps_sosfilt(d->b, d->nb, x, c->axis, zi, &y, zi ? &zf : NULL));
    } else if (!strcmp(c->fn, "filtfilt")) {
        ck_assert(!d->sos);
        XPT_OK(xps_filtfilt(d->b, d->nb, d->a, d->na, x, &opt, &y));
    } else {
        ck_assert_str_eq(c->fn, "sosfiltfilt");
        ck_assert(d->sos);
        XPT_OK(xps_sosfiltfilt(d->b, d->nb, x, &opt, &y));
    }
    compare(c, &c->out[0], y, dt, pname);
    ck_assert_msg((zf != NULL) == (c->nout == 2), "case %d: zf %s", c->id,
                  zf ? "unexpected" : "missing");
    if (zf)
        compare(c, &c->out[1], zf, dt, pname);
    ck_assert_msg(xpt_same(x, x0), "case %d on %s: x was changed", c->id, pname);
    if (zi)
        ck_assert_msg(xpt_same(zi, zi0), "case %d on %s: zi was changed", c->id, pname);
    ck_assert_int_eq(xpt_live(p), live + 1 + (zf != NULL));
    xp_array *all[] = {x, x0, zi, zi0, y, zf};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}

/* ---- the tests --------------------------------------------------------- */

/* Every case whose fn is one of fns (space separated), on provider _i. */
static void run_fns(int pi, const char *fns)
{
    const xp_provider *p = xpt_provider(pi);
    int n = 0;
    load();
    for (int i = 0; i < g_ncases; i++) {
        char want[24];
        snprintf(want, sizeof want, " %s ", g_cases[i].fn);
        char list[128];
        snprintf(list, sizeof list, " %s ", fns);
        if (!strstr(list, want))
            continue;
        run_case(p, &g_cases[i]);
        n++;
    }
    ck_assert_msg(n > 0, "no golden cases for %s", fns);
}

START_TEST(test_lfilter)
{
    run_fns(_i, "lfilter");
}
END_TEST

START_TEST(test_sosfilt)
{
    run_fns(_i, "sosfilt");
}
END_TEST

START_TEST(test_zi)
{
    run_fns(_i, "lfilter_zi sosfilt_zi");
}
END_TEST

START_TEST(test_filtfilt)
{
    run_fns(_i, "filtfilt");
}
END_TEST

START_TEST(test_sosfiltfilt)
{
    run_fns(_i, "sosfiltfilt");
}
END_TEST

/* The grid the brief asks for is really there (guards against a generator
 * that silently drops a whole family). */
START_TEST(test_coverage)
{
    int pads[4] = {0}, gust = 0, gust_irlen = 0, ax0 = 0, ax_mid = 0, f32 = 0, c128 = 0;
    int padlen0 = 0, padlen5 = 0, sosff = 0, zi = 0, band_sos = 0;
    load();
    for (int i = 0; i < g_ncases; i++) {
        const gcase *c = &g_cases[i];
        int ff = !strcmp(c->fn, "filtfilt") || !strcmp(c->fn, "sosfiltfilt");
        if (ff && c->method == XPS_FILTFILT_PAD)
            pads[c->padtype]++;
        gust += c->method == XPS_FILTFILT_GUST;
        gust_irlen += c->method == XPS_FILTFILT_GUST && c->irlen > 0;
        ax0 += ff && c->axis == 0;
        ax_mid += ff && c->axis == 1 && strchr(strchr(c->x, 'x') + 1, 'x') != NULL;
        f32 += ff && !strncmp(c->x, "f32", 3);
        c128 += ff && !strncmp(c->x, "c128", 4);
        padlen0 += ff && c->padlen == 0;
        padlen5 += ff && c->padlen == 5;
        sosff += !strcmp(c->fn, "sosfiltfilt");
        zi += c->has_zi;
        band_sos += !strcmp(c->fn, "sosfilt") && strstr(c->d, "8band") != NULL;
    }
    for (int t = 0; t < 4; t++)
        ck_assert_msg(pads[t] >= 10, "padtype %d: %d cases", t, pads[t]);
    ck_assert_int_ge(gust, 40);
    ck_assert_int_ge(gust_irlen, 20);
    ck_assert_int_ge(ax0, 6);
    ck_assert_int_ge(ax_mid, 6);
    ck_assert_int_ge(f32, 6);
    ck_assert_int_ge(c128, 6);
    ck_assert_int_ge(padlen0, 20);
    ck_assert_int_ge(padlen5, 20);
    ck_assert_int_ge(sosff, 100);
    ck_assert_int_ge(zi, 100);
    ck_assert_int_ge(band_sos, 6);
}
END_TEST

static Suite *filter_suite(void)
{
    Suite *s = suite_create("filter");
    TCase *tc = tcase_create("golden");
    int np = xpt_nproviders();
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_coverage);
    tcase_add_loop_test(tc, test_zi, 0, np);
    tcase_add_loop_test(tc, test_lfilter, 0, np);
    tcase_add_loop_test(tc, test_sosfilt, 0, np);
    tcase_add_loop_test(tc, test_filtfilt, 0, np);
    tcase_add_loop_test(tc, test_sosfiltfilt, 0, np);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return xpt_run(filter_suite());
}
