/*
 * check_spectral.c -- periodogram, welch, csd, coherence, spectrogram,
 * stft, istft, detrend, check_COLA and check_NOLA against SciPy's results
 * (tests/golden/spectral.txt, written by tests/golden/gen_spectral.py) on
 * every provider.
 *
 * Tolerance, max |ours - SciPy| / max |SciPy| per output: 1e-10 for
 * double precision; 1e-4 when the data are single precision (SciPy then
 * computes in float32; we transform in float32 and accumulate in float64).
 * Angles are compared modulo 2 pi (a bin whose imaginary part is a signed
 * zero may read pi on one side and -pi on the other).
 *
 * Each case also checks the output's shape and dtype, that the inputs are
 * untouched and no provider memory is left behind; every third case leaves
 * out f (and t).  Welch, csd and coherence cases that suit a stream are run
 * a second time through an accumulator fed three chunks, and every
 * detrend case through xps_detrend_acc (three blocks, two passes; in place
 * for odd case numbers).  XSP_VERBOSE=1 in
 * the environment prints the largest errors seen.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spectral_common.h"

#define TOL64 1e-10
#define TOL32 1e-4
#define MAXKEYS 24
#define MAXOUT 3

typedef struct {
    char name[4];
    int cplx, ndim;
    int64_t shape[XP_MAX_NDIM];
    int64_t nvals;
    double *v;
} gout;

typedef struct {
    int id;
    int nkeys;
    char *key[MAXKEYS], *val[MAXKEYS];
    char *line;                 /* owns the key and value strings */
    int nout;
    gout out[MAXOUT];
} gcase;

static gcase *cases;
static int ncases;

/* ------------------------------------------------------------ golden file */

static void parse_case(gcase *c, char *line)
{
    char *save = NULL, *tok;
    memset(c, 0, sizeof *c);
    c->line = line;
    strtok_r(line, " ", &save);                     /* "c" */
    tok = strtok_r(NULL, " ", &save);
    ck_assert_ptr_nonnull(tok);
    c->id = atoi(tok);
    while ((tok = strtok_r(NULL, " ", &save))) {
        char *eq = strchr(tok, '=');
        ck_assert_msg(eq && c->nkeys < MAXKEYS, "golden case %d: bad key '%s'", c->id, tok);
        *eq = '\0';
        c->key[c->nkeys] = tok;
        c->val[c->nkeys++] = eq + 1;
    }
}

static void parse_output(gcase *c, char *head, FILE *f)
{
    ck_assert_msg(c->nout < MAXOUT, "golden case %d: too many outputs", c->id);
    gout *o = &c->out[c->nout++];
    char kind;
    int used = 0;
    ck_assert(sscanf(head, "o %3s %c %d%n", o->name, &kind, &o->ndim, &used) == 3);
    o->cplx = kind == 'c';
    int64_t size = 1;
    char *p = head + used, *end;
    for (int d = 0; d < o->ndim; d++) {
        o->shape[d] = strtoll(p, &end, 10);
        p = end;
        size *= o->shape[d];
    }
    o->nvals = o->cplx ? 2 * size : size;
    o->v = xpt_read_values(f, NULL, o->nvals);
}

static void load_golden(void)
{
    if (cases)
        return;
    char path[4096];
    FILE *f = xpt_golden_open("spectral.txt", path, sizeof path);
    int cap = 0;
    char *line;
    while ((line = xpt_read_line(f))) {
        if (line[0] == 'c') {
            if (ncases == cap) {
                cap = cap ? 2 * cap : 512;
                cases = realloc(cases, (size_t)cap * sizeof *cases);
            }
            parse_case(&cases[ncases++], line);
            continue;
        }
        if (line[0] == 'o') {
            ck_assert_msg(ncases > 0, "golden: output before any case");
            parse_output(&cases[ncases - 1], line, f);
        }
        free(line);
    }
    fclose(f);
    ck_assert_msg(ncases > 400, "golden: only %d cases in %s", ncases, path);
}

static const char *get(const gcase *c, const char *key)
{
    for (int i = 0; i < c->nkeys; i++)
        if (!strcmp(c->key[i], key))
            return c->val[i];
    return NULL;
}

static const gout *output(const gcase *c, const char *name)
{
    for (int i = 0; i < c->nout; i++)
        if (!strcmp(c->out[i].name, name))
            return &c->out[i];
    ck_abort_msg("golden case %d: no output %s", c->id, name);
    return NULL;
}

/* ---------------------------------------------------------------- options */

static int pick(const gcase *c, const char *key, const char *const *names, int n)
{
    const char *v = get(c, key);
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i]))
            return i;
    ck_abort_msg("golden case %d: %s=%s unknown", c->id, key, v);
    return 0;
}

/* The segment keys both option structs have, where the case gives them. */
static void segment_keys(const gcase *c, int64_t *nperseg, int64_t *noverlap, int64_t *nfft,
                         double *fs)
{
    const char *v;
    if ((v = get(c, "nperseg")))
        *nperseg = strtoll(v, NULL, 10);
    if ((v = get(c, "noverlap")))
        *noverlap = strtoll(v, NULL, 10);
    if ((v = get(c, "nfft")))
        *nfft = strtoll(v, NULL, 10);
    if ((v = get(c, "fs")))
        *fs = strtod(v, NULL);
}

/* The case's options; *warr becomes the window array (or NULL). */
static void make_options(const gcase *c, const char *fn, const xp_provider *p,
                         xps_spectral_options *o, xp_array **warr)
{
    static const char *const det[] = {"none", "constant", "linear"};
    static const char *const scl[] = {"density", "spectrum"};
    static const char *const avg[] = {"mean", "median", "median_mean"};
    static const char *const mode[] = {"psd", "complex", "magnitude", "angle", "phase"};
    static const char *const bnd[] = {"none", "even", "odd", "constant", "zeros"};
    const char *v;
    if (!strcmp(fn, "periodogram"))
        xps_periodogram_options_init(o);
    else if (!strcmp(fn, "spectrogram"))
        xps_spectrogram_options_init(o);
    else if (!strcmp(fn, "stft"))
        xps_stft_options_init(o);
    else
        xps_welch_options_init(o);
    *warr = NULL;
    if ((v = get(c, "window")))
        XPT_OK(xps_window_spec_parse(v, &o->window));
    if ((v = get(c, "warr"))) {
        unsigned seed;
        long long len;
        ck_assert(sscanf(v, "%u:%lld", &seed, &len) == 2);
        *warr = xsp_window_array(p, seed, len);
        o->window.array = *warr;
    }
    segment_keys(c, &o->nperseg, &o->noverlap, &o->nfft, &o->fs);
    if ((v = get(c, "axis")))
        o->axis = atoi(v);
    if ((v = get(c, "onesided")))
        o->return_onesided = atoi(v);
    if ((v = get(c, "f32out")))
        o->float32_output = atoi(v);
    if (get(c, "detrend"))
        o->detrend = (xps_detrend_type)pick(c, "detrend", det, 3);
    if (get(c, "scaling"))
        o->scaling = (xps_scaling)pick(c, "scaling", scl, 2);
    if (get(c, "average"))
        o->average = (xps_average)pick(c, "average", avg, 3);
    if (get(c, "mode"))
        o->mode = (xps_mode)pick(c, "mode", mode, 5);
    if (get(c, "boundary"))
        o->boundary = (xps_boundary)pick(c, "boundary", bnd, 5);
    if ((v = get(c, "padded")))
        o->padded = atoi(v);
}

/* istft's options from the case. */
static void make_istft_options(const gcase *c, xps_istft_options *o)
{
    static const char *const scl[] = {"density", "spectrum"};
    const char *v;
    xps_istft_options_init(o);
    if ((v = get(c, "window")))
        XPT_OK(xps_window_spec_parse(v, &o->window));
    segment_keys(c, &o->nperseg, &o->noverlap, &o->nfft, &o->fs);
    if ((v = get(c, "onesided")))
        o->input_onesided = atoi(v);
    if ((v = get(c, "iboundary")))
        o->boundary = atoi(v);
    if ((v = get(c, "taxis")))
        o->time_axis = atoi(v);
    if ((v = get(c, "faxis")))
        o->freq_axis = atoi(v);
    if (get(c, "scaling"))
        o->scaling = (xps_scaling)pick(c, "scaling", scl, 2);
}

/* --------------------------------------------------------------- compare */

/* max |a_i - b_i| / max(max |b|, floor); angles: the distance of a_i - b_i
 * to the nearest multiple of 2 pi */
static double err_of(const double *a, const double *b, int64_t n, int angles, double floor)
{
    double scale = floor, err = 0;
    for (int64_t i = 0; i < n; i++) {
        if (isnan(a[i]) != isnan(b[i]) || isinf(a[i]) != isinf(b[i]))
            return INFINITY;
        double d = fabs(a[i] - b[i]);
        if (angles)
            d = fabs(d - 2 * M_PI * nearbyint(d / (2 * M_PI)));
        scale = fmax(scale, fabs(b[i]));
        if (!isnan(d))
            err = fmax(err, d);
    }
    return err == 0 ? 0 : err / (scale > 0 ? scale : 1e-300);
}

/* Compare an output with the golden one: shape, dtype, values.  Returns
 * the error, or INFINITY with *why set on a shape or dtype mismatch. */
static double compare(const xp_array *a, const gout *g, xp_dtype want, int angles,
                      double floor, char *why, size_t nwhy)
{
    if (xp_array_ndim(a) != g->ndim) {
        snprintf(why, nwhy, "%s: ndim %d, SciPy %d", g->name, xp_array_ndim(a), g->ndim);
        return INFINITY;
    }
    for (int d = 0; d < g->ndim; d++)
        if (xp_array_dim(a, d) != g->shape[d]) {
            snprintf(why, nwhy, "%s: dim %d is %lld, SciPy %lld", g->name, d,
                     (long long)xp_array_dim(a, d), (long long)g->shape[d]);
            return INFINITY;
        }
    if (xp_array_dtype(a) != want) {
        snprintf(why, nwhy, "%s: dtype %s, expected %s", g->name,
                 xp_dtype_name(xp_array_dtype(a)), xp_dtype_name(want));
        return INFINITY;
    }
    int64_t n;
    double *v = xpt_get(a, &n);
    ck_assert_int_eq(n, g->nvals);
    double e = err_of(v, g->v, n, angles, floor);
    free(v);
    return e;
}

/* ------------------------------------------------------------------- run */

typedef struct {
    int failed, run, acc;
    double worst[2];            /* largest error of a passing case: double, single */
    char report[4096];
    size_t len;
} tally;

static void bad(tally *t, const gcase *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bad(tally *t, const gcase *c, const char *fmt, ...)
{
    t->failed++;
    if (t->len + 200 >= sizeof t->report)
        return;
    t->len += (size_t)snprintf(t->report + t->len, sizeof t->report - t->len, "\n  case %d: ",
                               c->id);
    va_list ap;
    va_start(ap, fmt);
    t->len += (size_t)vsnprintf(t->report + t->len, sizeof t->report - t->len, fmt, ap);
    va_end(ap);
}

static int single(xp_dtype d)
{
    return xp_dtype_real(d) == XP_FLOAT32;
}

static int64_t *parse_bp(const char *s, int64_t *n)
{
    int64_t *bp = malloc(32 * sizeof *bp);
    *n = 0;
    for (char *end; s && *s && *n < 32; s = *end ? end + 1 : end) {
        bp[(*n)++] = strtoll(s, &end, 10);
        if (end == s)
            break;
    }
    return bp;
}

/* The same estimate from an accumulator fed three chunks (boundaries at odd
 * places along the axis); NULL when the case does not suit a stream: no
 * explicit nperseg, nperseg longer than the input, or x and y differing. */
static xp_array *via_accumulator(const char *fn, const xp_array *x, const xp_array *y,
                                 const xps_spectral_options *o)
{
    xps_acc_kind kind = !strcmp(fn, "welch") ? XPS_ACC_WELCH
                      : !strcmp(fn, "csd") ? XPS_ACC_CSD : XPS_ACC_COHERENCE;
    int ax = o->axis < 0 ? o->axis + xp_array_ndim(x) : o->axis;
    int64_t n = xp_array_dim(x, ax);
    int64_t L = o->window.array ? xp_array_dim(o->window.array, 0) : o->nperseg;
    if (L <= 0 || L > n)
        return NULL;
    if (y) {
        if (xp_array_dtype(y) != xp_array_dtype(x) || xp_array_ndim(y) != xp_array_ndim(x))
            return NULL;
        for (int d = 0; d < xp_array_ndim(x); d++)
            if (xp_array_dim(x, d) != xp_array_dim(y, d))
                return NULL;
    }
    xps_spectral_options oa = *o;
    if (kind == XPS_ACC_COHERENCE)
        oa.average = XPS_AVERAGE_MEAN;
    const DLTensor *t = xp_array_dltensor(x);
    xps_spectral_acc *acc = NULL;
    xp_array *out = NULL;
    XPT_OK(xps_spectral_acc_begin(kind, &oa, xp_array_provider(x), xp_array_dtype(x),
                                  t->ndim, t->shape, &acc));
    int64_t b[4] = {0, n / 3, 2 * n / 3 + 1, n};
    for (int k = 0; k < 3; k++) {
        xp_array *vx = NULL, *vy = NULL;
        int64_t len = b[k + 1] - b[k];
        XPT_OK(xp__view_slice(x, ax, len ? b[k] : 0, len, 1, &vx));
        if (y)
            XPT_OK(xp__view_slice(y, ax, len ? b[k] : 0, len, 1, &vy));
        XPT_OK(xps_spectral_acc_feed(acc, vx, vy));
        xp_array_free(vx);
        xp_array_free(vy);
    }
    XPT_OK(xps_spectral_acc_end(acc, NULL, &out));
    xps_spectral_acc_free(acc);
    return out;
}

/* detrend through xps_detrend_acc: x fed in three blocks along the axis,
 * then each block applied into a new array (inplace: into a copy of x,
 * each block of it detrended in place). */
static xp_array *detrend_via_accumulator(const xp_array *x, int axis, xps_detrend_type type,
                                         const int64_t *bp, int64_t nbp, int inplace)
{
    const DLTensor *t = xp_array_dltensor(x);
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    int ax = axis < 0 ? axis + t->ndim : axis;
    int64_t n = t->shape[ax], third = 2 * n / 3 + 1;
    int64_t b[4] = {0, n / 3, third < n ? third : n, n};
    xps_detrend_acc *acc = NULL;
    xp_array *out = NULL;
    XPT_OK(xps_detrend_acc_begin(p, dt, t->ndim, t->shape, axis, n, type, bp, nbp, &acc));
    if (inplace)
        XPT_OK(xp_array_astype(x, dt, &out));
    else
        XPT_OK(xp_array_empty(p, dt, t->ndim, t->shape, &out));
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < 3; k++) {
            xp_array *vx = NULL, *vy = NULL;
            int64_t len = b[k + 1] - b[k];
            XPT_OK(xp__view_slice(pass && inplace ? out : x, ax, b[k], len, 1, &vx));
            XPT_OK(xp__view_slice(out, ax, b[k], len, 1, &vy));
            if (pass)
                XPT_OK(xps_detrend_acc_apply(acc, vx, vy));
            else
                XPT_OK(xps_detrend_acc_feed(acc, vx));
            xp_array_free(vx);
            xp_array_free(vy);
        }
    xps_detrend_acc_free(acc);
    return out;
}

static void run_case(const gcase *c, const xp_provider *p, tally *t)
{
    const char *fn = get(c, "fn");
    char why[256] = "";
    xp_array *x = xsp_input_text(p, get(c, "x")), *y = NULL, *warr = NULL;
    ck_assert_msg(x != NULL, "case %d: bad x", c->id);
    if (get(c, "y"))
        ck_assert_msg((y = xsp_input_text(p, get(c, "y"))) != NULL, "case %d: bad y", c->id);
    xp_array *x0 = NULL, *y0 = NULL;        /* copies to check inputs are untouched */
    XPT_OK(xp_array_astype(x, xp_array_dtype(x), &x0));
    if (y)
        XPT_OK(xp_array_astype(y, xp_array_dtype(y), &y0));
    xps_spectral_options o;
    make_options(c, fn, p, &o, &warr);
    int64_t live = xpt_live(p);
    /* every third case leaves out f (and t) */
    int want_f = c->id % 3 != 0;
    xp_array *f = NULL, *tt = NULL, *R = NULL, *A = NULL;
    int rc;
    xp_clear_error();
    if (!strcmp(fn, "welch"))
        rc = xps_welch(x, &o, want_f ? &f : NULL, &R);
    else if (!strcmp(fn, "csd"))
        rc = xps_csd(x, y, &o, want_f ? &f : NULL, &R);
    else if (!strcmp(fn, "coherence"))
        rc = xps_coherence(x, y, &o, want_f ? &f : NULL, &R);
    else if (!strcmp(fn, "periodogram"))
        rc = xps_periodogram(x, &o, want_f ? &f : NULL, &R);
    else if (!strcmp(fn, "spectrogram"))
        rc = xps_spectrogram(x, &o, want_f ? &f : NULL, want_f ? &tt : NULL, &R);
    else if (!strcmp(fn, "stft"))
        rc = xps_stft(x, &o, want_f ? &f : NULL, want_f ? &tt : NULL, &R);
    else {
        static const char *const types[] = {"none", "constant", "linear"};
        int64_t nbp = 0, *bp = parse_bp(get(c, "bp"), &nbp);
        int type = get(c, "type") ? pick(c, "type", types, 3) : XPS_DETREND_LINEAR;
        const char *ax = get(c, "axis");
        rc = xps_detrend(x, ax ? atoi(ax) : -1, (xps_detrend_type)type, bp, nbp, &R);
        if (rc == XP_OK)
            A = detrend_via_accumulator(x, ax ? atoi(ax) : -1, (xps_detrend_type)type, bp,
                                        nbp, c->id % 2);
        free(bp);
    }
    t->run++;
    if (rc) {
        bad(t, c, "%s -> %d: %s", fn, rc, xp_errmsg());
    } else {
        /* expected dtypes: float64 unless asked for float32 with float32 data */
        xp_dtype in = xp_array_dtype(x);
        if (y && !single(xp_array_dtype(y)))
            in = xp_dtype_is_complex(in) ? XP_COMPLEX128 : XP_FLOAT64;
        int sp = single(in) && (o.float32_output || !strcmp(fn, "detrend"));
        const gout *g = output(c, !strcmp(fn, "detrend") ? "D" :
                               !strcmp(fn, "spectrogram") || !strcmp(fn, "stft") ? "S" : "P");
        xp_dtype want = g->cplx ? (sp ? XP_COMPLEX64 : XP_COMPLEX128)
                                : (sp ? XP_FLOAT32 : XP_FLOAT64);
        int angles = o.mode >= XPS_MODE_ANGLE && !strcmp(fn, "spectrogram");
        double tol = single(xp_array_dtype(x)) || (y && single(xp_array_dtype(y))) ? TOL32
                                                                                  : TOL64;
        /* detrend of 1 or 2 points leaves rounding noise: measure the
         * error against the data's size */
        double floor = 0;
        if (!strcmp(fn, "detrend")) {
            int64_t nx;
            double *xv = xpt_get(x, &nx);
            for (int64_t i = 0; i < nx; i++)
                floor = fmax(floor, fabs(xv[i]));
            free(xv);
        }
        double e = compare(R, g, want, angles, floor, why, sizeof why);
        if (e <= tol && e > t->worst[tol == TOL32])
            t->worst[tol == TOL32] = e;
        if (!(e <= tol))
            bad(t, c, "%s %s: error %.3g > %.0e %s", fn, g->name, e, tol, why);
        if (!strcmp(fn, "welch") || !strcmp(fn, "csd") || !strcmp(fn, "coherence"))
            A = via_accumulator(fn, x, y, &o);
        if (A && !((e = compare(A, g, want, 0, floor, why, sizeof why)) <= tol))
            bad(t, c, "%s accumulator %s: error %.3g > %.0e %s", fn, g->name, e, tol, why);
        t->acc += A != NULL;
        if (f && !((e = compare(f, output(c, "f"), XP_FLOAT64, 0, 0, why, sizeof why))
                   <= 1e-13))
            bad(t, c, "f: error %.3g %s", e, why);
        if (tt && !((e = compare(tt, output(c, "t"), XP_FLOAT64, 0, 0, why, sizeof why))
                    <= 1e-13))
            bad(t, c, "t: error %.3g %s", e, why);
    }
    xp_array_free(f);
    xp_array_free(tt);
    xp_array_free(R);
    xp_array_free(A);
    if (xpt_live(p) != live)
        bad(t, c, "%lld provider allocations leaked", (long long)(xpt_live(p) - live));
    if (!xpt_same(x, x0) || (y && !xpt_same(y, y0)))
        bad(t, c, "an input was modified");
    xp_array_free(x);
    xp_array_free(y);
    xp_array_free(x0);
    xp_array_free(y0);
    xp_array_free(warr);
}

/* An istft case: its input is its first output Z (SciPy's stft). */
static void run_istft_case(const gcase *c, const xp_provider *p, tally *t)
{
    const gout *gz = output(c, "Z");
    const char *zdt = get(c, "zdt");
    xp_dtype dz = zdt && !strcmp(zdt, "c64") ? XP_COMPLEX64 : XP_COMPLEX128;
    xp_array *Z = xpt_array(p, dz, gz->ndim, gz->shape, gz->v), *Z0 = NULL, *tt = NULL;
    xp_array *X = NULL;
    XPT_OK(xp_array_astype(Z, dz, &Z0));
    xps_istft_options o;
    make_istft_options(c, &o);
    int64_t live = xpt_live(p);
    char why[256] = "";
    int want_t = c->id % 3 != 0;
    int rc = xps_istft(Z, &o, want_t ? &tt : NULL, &X);
    t->run++;
    if (rc) {
        bad(t, c, "istft -> %d: %s", rc, xp_errmsg());
    } else {
        const gout *g = output(c, "X");
        xp_dtype want = g->cplx ? dz : xp_dtype_real(dz);
        double tol = dz == XP_COMPLEX64 ? TOL32 : TOL64;
        double e = compare(X, g, want, 0, 0, why, sizeof why);
        if (e <= tol && e > t->worst[tol == TOL32])
            t->worst[tol == TOL32] = e;
        if (!(e <= tol))
            bad(t, c, "istft X: error %.3g > %.0e %s", e, tol, why);
        if (tt && !((e = compare(tt, output(c, "t"), XP_FLOAT64, 0, 0, why, sizeof why))
                    <= 1e-13))
            bad(t, c, "t: error %.3g %s", e, why);
    }
    xp_array_free(X);
    xp_array_free(tt);
    if (xpt_live(p) != live)
        bad(t, c, "%lld provider allocations leaked", (long long)(xpt_live(p) - live));
    if (!xpt_same(Z, Z0))
        bad(t, c, "the input was modified");
    xp_array_free(Z);
    xp_array_free(Z0);
}

/* A check_COLA or check_NOLA case: the answer is SciPy's (B: 1 or 0). */
static void run_cola_case(const gcase *c, const xp_provider *p, tally *t)
{
    const char *fn = get(c, "fn"), *v;
    xps_window_spec w;
    xps_window_spec_init(&w);
    xp_array *warr = NULL;
    if ((v = get(c, "window")))
        XPT_OK(xps_window_spec_parse(v, &w));
    if ((v = get(c, "warr"))) {
        unsigned seed;
        long long len;
        ck_assert(sscanf(v, "%u:%lld", &seed, &len) == 2);
        w.array = warr = xsp_window_array(p, seed, len);
    }
    int64_t nperseg = strtoll(get(c, "nperseg"), NULL, 10);
    int64_t noverlap = strtoll(get(c, "noverlap"), NULL, 10);
    double tol = strtod(get(c, "tol"), NULL);
    int ok = -1;
    int rc = !strcmp(fn, "check_COLA") ? xps_check_COLA(&w, nperseg, noverlap, tol, &ok)
                                       : xps_check_NOLA(&w, nperseg, noverlap, tol, &ok);
    int want = output(c, "B")->v[0] != 0;
    t->run++;
    if (rc)
        bad(t, c, "%s -> %d: %s", fn, rc, xp_errmsg());
    else if (ok != want)
        bad(t, c, "%s says %d, SciPy %d", fn, ok, want);
    xp_array_free(warr);
}

static void run_fn(const char *fn, int ref64, int prov)
{
    load_golden();
    const xp_provider *p = xpt_provider(prov);
    tally t;
    memset(&t, 0, sizeof t);
    for (int i = 0; i < ncases; i++) {
        const gcase *c = &cases[i];
        if (strcmp(get(c, "fn"), fn) || (get(c, "ref64") != NULL) != ref64)
            continue;
        if (!strcmp(fn, "istft"))
            run_istft_case(c, p, &t);
        else if (!strncmp(fn, "check_", 6))
            run_cola_case(c, p, &t);
        else
            run_case(c, p, &t);
    }
    ck_assert_msg(t.run > 0, "no golden cases for %s", fn);
    if (getenv("XSP_VERBOSE"))
        fprintf(stderr, "%s%s on %s: %d cases (%d also by accumulator), largest error "
                "%.3g (double), %.3g (single)\n", fn, ref64 ? " (LIGO scale)" : "",
                xp_provider_name(p), t.run, t.acc, t.worst[0], t.worst[1]);
    ck_assert_msg(t.failed == 0, "%s on %s: %d of %d cases fail:%s", fn,
                  xp_provider_name(p), t.failed, t.run, t.report);
}

START_TEST(test_welch) { run_fn("welch", 0, _i); }
END_TEST
START_TEST(test_csd) { run_fn("csd", 0, _i); }
END_TEST
START_TEST(test_coherence) { run_fn("coherence", 0, _i); }
END_TEST
START_TEST(test_periodogram) { run_fn("periodogram", 0, _i); }
END_TEST
START_TEST(test_spectrogram) { run_fn("spectrogram", 0, _i); }
END_TEST
START_TEST(test_stft) { run_fn("stft", 0, _i); }
END_TEST
START_TEST(test_istft) { run_fn("istft", 0, _i); }
END_TEST
START_TEST(test_detrend) { run_fn("detrend", 0, _i); }
END_TEST
START_TEST(test_cola_nola)
{
    run_fn("check_COLA", 0, _i);
    run_fn("check_NOLA", 0, _i);
}
END_TEST

/* float32 strain near 1e-21: float64 output vs SciPy on the float64 data */
START_TEST(test_ligo_scale)
{
    run_fn("welch", 1, _i);
    run_fn("csd", 1, _i);
    run_fn("periodogram", 1, _i);
    run_fn("spectrogram", 1, _i);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spectral_golden");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 120);
    int np = xpt_nproviders();
    tcase_add_loop_test(tc, test_welch, 0, np);
    tcase_add_loop_test(tc, test_csd, 0, np);
    tcase_add_loop_test(tc, test_coherence, 0, np);
    tcase_add_loop_test(tc, test_periodogram, 0, np);
    tcase_add_loop_test(tc, test_spectrogram, 0, np);
    tcase_add_loop_test(tc, test_stft, 0, np);
    tcase_add_loop_test(tc, test_istft, 0, np);
    tcase_add_loop_test(tc, test_detrend, 0, np);
    tcase_add_loop_test(tc, test_cola_nola, 0, np);
    tcase_add_loop_test(tc, test_ligo_scale, 0, np);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
