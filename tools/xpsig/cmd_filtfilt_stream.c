/*
 * cmd_filtfilt_stream.c -- filtfilt and sosfiltfilt (method pad) of a 1-D
 * series longer than a block, in two passes over the .npy output Y.
 *
 * SciPy's filtfilt filters the padded series [left, X, right] forward from
 * the steady state zi * left[0], then the reversed result from zi times
 * its last value, and keeps the middle.  Here the forward pass reads X a
 * block at a time and appends each filtered block to Y, the state carried
 * from block to block (lfilter's zi and zf); the backward pass reads Y
 * back from its end, a block at a time, filters each block reversed from
 * the state the block after it left, and writes it over itself.  Memory is
 * the padded ends (padlen samples each) and a block or two, however long
 * the series; the result is the one-shot one to round-off.  The padded
 * ends are made here as the library makes them: in float64 from X's
 * values, rounded through X's precision when that is single (SciPy pads
 * float32 input in float32).
 */
#include <complex.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_filter.h"

int xpsig_filter_step(const xpsig_coef *c, const xp_array *x, xp_array **zi, xp_array **y)
{
    xp_array *zf = NULL;
    int rc = c->sos ? xps_sosfilt(c->c, c->n, x, 0, *zi, y, &zf)
                    : xps_lfilter(c->c, c->n, c->c + c->n, c->n, x, 0, *zi, y, &zf);
    xp_array_free(*zi);
    *zi = zf;
    return rc;
}

int64_t xpsig_filtfilt_padlen(const xpsig_coef *c, const xps_filtfilt_options *opt)
{
    if (opt->padtype == XPS_PAD_NONE)
        return 0;
    if (opt->padlen >= 0)
        return opt->padlen;
    if (!c->sos)
        return 3 * c->n;
    /* SciPy: 2 nsec + 1 taps, less the sections that are really first order */
    int64_t z2 = 0, z5 = 0;
    for (int64_t s = 0; s < c->n; s++) {
        z2 += c->c[6 * s + 2] == 0;
        z5 += c->c[6 * s + 5] == 0;
    }
    return 3 * (2 * c->n + 1 - (z2 < z5 ? z2 : z5));
}

typedef struct {
    xpsig_ctx *ctx;
    const char *fn;             /* "filtfilt" or "sosfiltfilt" */
    const xpsig_coef *coef;
    const xps_filtfilt_options *opt;
    int64_t total, edge, block;
    xp_dtype out;               /* Y's dtype: float64 or complex128 */
    int cplx;
    double *zi;                 /* the steady state per unit input */
    int64_t nz;                 /* its length: k, or 2 nsec */
    xp_array *left, *right;     /* the padded ends, in Y's dtype */
    double complex start;       /* the padded series' first sample */
    FILE *f;
    int64_t data_at;            /* Y's first element, in bytes */
    char err[512];
} pass_t;

/* A library failure: the exit status after its message. */
static int lib_fail(const pass_t *t)
{
    return xpsig_fail_call(t->ctx, XPSIG_EXIT_DATA, t->fn);
}

static int io_fail(const pass_t *t, int io)
{
    return xpsig_fail(t->ctx, xpsig_io_exit(io), "%s", t->err);
}

/* Element i of host values of dtype dt as a complex double. */
static double complex value_at(const void *v, xp_dtype dt, int64_t i)
{
    switch (dt) {
    case XP_FLOAT32: return ((const float *)v)[i];
    case XP_FLOAT64: return ((const double *)v)[i];
    case XP_COMPLEX64: return ((const float complex *)v)[i];
    default: return ((const double complex *)v)[i];
    }
}

/* v rounded through dt's precision, as the library rounds padded ends. */
static double complex rounded(double complex v, xp_dtype dt)
{
    if (xp_dtype_real(dt) != XP_FLOAT32)
        return v;
    return CMPLX((double)(float)creal(v), (double)(float)cimag(v));
}

/* The state zi * v on the provider: shape [k] or [nsec, 2], Y's dtype. */
static int state(const pass_t *t, double complex v, xp_array **zi)
{
    int64_t n = t->nz, shape[2] = {t->coef->sos ? t->coef->n : n, 2};
    double *h = malloc((size_t)(n ? 2 * n : 1) * sizeof *h);
    if (!h)
        return xpsig_fail(t->ctx, XPSIG_EXIT_DATA, "%s: out of memory", t->fn);
    for (int64_t i = 0; i < n; i++)
        if (t->cplx) {
            h[2 * i] = t->zi[i] * creal(v);
            h[2 * i + 1] = t->zi[i] * cimag(v);
        } else {
            h[i] = t->zi[i] * creal(v);
        }
    int rc = xp_array_from_host(t->ctx->provider, t->out, t->coef->sos ? 2 : 1, shape, h, zi);
    free(h);
    return rc ? xpsig_fail_lib(t->ctx, t->fn) : 0;
}

/* One end of the padded series from the edge + 1 samples of X next to it
 * (head: X's first, or tail: its last), as SciPy's odd_ext, even_ext and
 * const_ext make it: nearest padded sample first for the right end, the
 * farthest first for the left. */
static int make_end(pass_t *t, const xpsig_host *h, int right, xp_array **out)
{
    int64_t e = t->edge, shape[1] = {e};
    double complex *v = malloc((size_t)(e ? e : 1) * sizeof *v);
    if (!v)
        return xpsig_fail(t->ctx, XPSIG_EXIT_DATA, "%s: out of memory", t->fn);
    double complex x0 = value_at(h->data, h->dtype, right ? e : 0);
    for (int64_t i = 0; i < e; i++) {
        /* left: x[e - i], ..., x[1] mirrored about x[0]; right: x[-2 - i] */
        double complex m = value_at(h->data, h->dtype, right ? e - 1 - i : e - i);
        double complex p = t->opt->padtype == XPS_PAD_ODD    ? CMPLX(2 * creal(x0) - creal(m),
                                                                     2 * cimag(x0) - cimag(m))
                           : t->opt->padtype == XPS_PAD_EVEN ? m
                                                             : x0;
        v[i] = rounded(p, h->dtype);
    }
    if (!right)
        t->start = e ? v[0] : x0;
    double *r = t->cplx ? NULL : malloc((size_t)(e ? e : 1) * sizeof *r);
    int rc = 0;
    if (t->cplx) {
        rc = xp_array_from_host(t->ctx->provider, XP_COMPLEX128, 1, shape, v, out);
    } else if (r) {
        for (int64_t i = 0; i < e; i++)
            r[i] = creal(v[i]);
        rc = xp_array_from_host(t->ctx->provider, XP_FLOAT64, 1, shape, r, out);
    }
    free(v);
    free(r);
    if (!t->cplx && !r)
        return xpsig_fail(t->ctx, XPSIG_EXIT_DATA, "%s: out of memory", t->fn);
    return rc ? xpsig_fail_lib(t->ctx, t->fn) : 0;
}

/* The edge + 1 samples at one end of X (into *h) and the padded end made
 * from them. */
static int read_end(pass_t *t, int right, xpsig_host *h)
{
    int64_t n = t->edge + 1, total;
    int io = xpsig_read_range(t->ctx->pos[0], right ? t->total - n : 0, n, h, &total, t->err,
                              sizeof t->err);
    if (io)
        return io_fail(t, io);
    return make_end(t, h, right, right ? &t->right : &t->left);
}

/* The library's own checks of the coefficients and options, on the
 * first edge + 1 samples: its messages, word for word, before any output. */
static int preflight(const pass_t *t, const xpsig_host *head)
{
    int64_t n = t->edge + 1;
    xp_array *x = NULL, *y = NULL;
    const double *c = t->coef->c;
    int rc = xp_array_from_host(t->ctx->provider, head->dtype, 1, &n, head->data, &x);
    if (rc == 0)
        rc = t->coef->sos ? xps_sosfiltfilt(c, t->coef->n, x, t->opt, &y)
                          : xps_filtfilt(c, t->coef->n, c + t->coef->n, t->coef->n, x, t->opt,
                                         &y);
    xp_array_free(x);
    xp_array_free(y);
    return rc ? lib_fail(t) : 0;
}

/* Forward: [left, X, right] from zi * its first sample; X's part appended
 * to Y, right's result into *yright.  *last gets the last filtered value,
 * where the backward pass starts. */
static int forward(pass_t *t, xp_array **zi, xp_array **yright, double complex *last)
{
    size_t esize = xp_dtype_size(t->out);
    int64_t most = t->total < t->block ? t->total : t->block;
    void *h = malloc((size_t)(most > t->edge ? most : t->edge) * esize);   /* edge < total */
    xp_array *x = NULL, *y = NULL;
    int rc = h ? state(t, t->start, zi)
               : xpsig_fail(t->ctx, XPSIG_EXIT_DATA, "%s: out of memory", t->fn);
    if (rc == 0 && t->edge && xpsig_filter_step(t->coef, t->left, zi, &y))
        rc = lib_fail(t);
    xp_array_free(y);
    y = NULL;
    for (int64_t s = 0; rc == 0 && s < t->total; s += t->block) {
        int64_t m = t->total - s < t->block ? t->total - s : t->block;
        int io = xpsig_series_slice(t->ctx->provider, t->ctx->pos[0], s, m, &x, t->err,
                                    sizeof t->err);
        if (io)
            rc = io_fail(t, io);
        else if (xpsig_filter_step(t->coef, x, zi, &y))
            rc = lib_fail(t);
        else if (xp_array_to_host(y, h, (size_t)m * esize))
            rc = xpsig_fail_lib(t->ctx, t->ctx->output);
        else if ((io = xpsig_npy_append(t->f, t->ctx->output, h, (size_t)m * esize, t->err,
                                        sizeof t->err)))
            rc = io_fail(t, io);
        else if (s + m == t->total)
            *last = value_at(h, t->out, m - 1);
        xp_array_free(x);
        xp_array_free(y);
        x = y = NULL;
    }
    if (rc == 0 && t->edge) {
        int64_t e = t->edge;
        if (xpsig_filter_step(t->coef, t->right, zi, yright))
            rc = lib_fail(t);
        else if (xp_array_to_host(*yright, h, (size_t)e * esize))
            rc = xpsig_fail_lib(t->ctx, t->fn);
        else
            *last = value_at(h, t->out, e - 1);
    }
    free(h);
    return rc;
}

/* a reversed along its one axis (a view) */
static int reversed(const pass_t *t, const xp_array *a, xp_array **r)
{
    int64_t n = xp_array_dim(a, 0);
    return xp_array_slice(a, 0, n ? n - 1 : 0, n, -1, r) ? xpsig_fail_lib(t->ctx, t->fn) : 0;
}

/* One backward step: values a of Y through the filter in reversed order
 * from *zi; the result, back in Y's order, into host h (h NULL: not kept). */
static int backward_step(const pass_t *t, const xp_array *a, xp_array **zi, void *h)
{
    xp_array *ra = NULL, *ry = NULL, *y = NULL;
    size_t nbytes = (size_t)xp_array_dim(a, 0) * xp_dtype_size(t->out);
    int rc = reversed(t, a, &ra);
    if (rc == 0 && xpsig_filter_step(t->coef, ra, zi, &ry))
        rc = lib_fail(t);
    if (rc == 0 && h && (rc = reversed(t, ry, &y)) == 0 && xp_array_to_host(y, h, nbytes))
        rc = xpsig_fail_lib(t->ctx, t->ctx->output);
    xp_array_free(ra);
    xp_array_free(y);
    xp_array_free(ry);
    return rc;
}

/* Backward: the reversed [right's forward result, Y] from zi * last, Y
 * read back a block at a time from its end and written over itself. */
static int backward(pass_t *t, const xp_array *yright, double complex last, xp_array **zi)
{
    size_t esize = xp_dtype_size(t->out);
    int64_t nb = (t->total + t->block - 1) / t->block;
    void *h = malloc((size_t)(t->total < t->block ? t->total : t->block) * esize);
    xp_array *a = NULL;
    xp_array_free(*zi);
    *zi = NULL;
    int rc = h ? state(t, last, zi)
               : xpsig_fail(t->ctx, XPSIG_EXIT_DATA, "%s: out of memory", t->fn);
    if (rc == 0 && yright)
        rc = backward_step(t, yright, zi, NULL);
    for (int64_t b = nb - 1; rc == 0 && b >= 0; b--) {
        int64_t s = b * t->block, m = t->total - s < t->block ? t->total - s : t->block;
        int64_t at = t->data_at + s * (int64_t)esize;
        size_t nbytes = (size_t)m * esize;
        int io = xpsig_npy_pread(t->f, t->ctx->output, at, h, nbytes, t->err, sizeof t->err);
        if (io)
            rc = io_fail(t, io);
        else if (xp_array_from_host(t->ctx->provider, t->out, 1, &m, h, &a))
            rc = xpsig_fail_lib(t->ctx, t->fn);
        else if ((rc = backward_step(t, a, zi, h)) == 0
                 && (io = xpsig_npy_pwrite(t->f, t->ctx->output, at, h, nbytes, t->err,
                                           sizeof t->err)))
            rc = io_fail(t, io);
        xp_array_free(a);
        a = NULL;
    }
    free(h);
    return rc;
}

/* The steady state per unit input, from the library (lfilter_zi, sosfilt_zi). */
static int steady_state(pass_t *t)
{
    const xpsig_coef *c = t->coef;
    t->nz = c->sos ? 2 * c->n : c->n - 1;
    t->zi = malloc((size_t)(t->nz ? t->nz : 1) * sizeof *t->zi);
    if (!t->zi)
        return xpsig_fail(t->ctx, XPSIG_EXIT_DATA, "%s: out of memory", t->fn);
    int rc = c->sos ? xps_sosfilt_zi(c->c, c->n, t->zi)
                    : xps_lfilter_zi(c->c, c->n, c->c + c->n, c->n, t->zi);
    return rc ? lib_fail(t) : 0;
}

int xpsig_filtfilt_stream(xpsig_ctx *ctx, const char *fn, const xpsig_coef *coef,
                          const xps_filtfilt_options *opt, int64_t total, xp_dtype dtype)
{
    pass_t t = {.ctx = ctx, .fn = fn, .coef = coef, .opt = opt, .total = total,
                .edge = xpsig_filtfilt_padlen(coef, opt), .block = xpsig_stream_block(),
                .cplx = xp_dtype_is_complex(dtype)};
    xpsig_host head = {0}, tail = {0};
    xp_array *zi = NULL, *yright = NULL;
    double complex last = 0;
    t.out = t.cplx ? XP_COMPLEX128 : XP_FLOAT64;
    int rc = read_end(&t, 0, &head);
    if (rc == 0)
        rc = preflight(&t, &head);
    if (rc == 0)
        rc = read_end(&t, 1, &tail);
    if (rc == 0)
        rc = steady_state(&t);
    if (rc == 0) {
        int io = xpsig_npy_begin(ctx->output, t.out, 1, &total, &t.f, t.err, sizeof t.err);
        off_t at = t.f ? ftello(t.f) : -1;
        if (io == 0 && at < 0)
            io = xpsig_ioerr(t.err, sizeof t.err, XP_EIO, "%s: cannot tell the position",
                             ctx->output);
        t.data_at = at;
        if (io)
            rc = io_fail(&t, io);
    }
    if (rc == 0)
        rc = forward(&t, &zi, &yright, &last);
    if (rc == 0)
        rc = backward(&t, yright, last, &zi);
    if (t.f && xpsig_npy_end(t.f, ctx->output, rc == 0, t.err, sizeof t.err) && rc == 0)
        rc = io_fail(&t, XP_EIO);
    xpsig_host_clear(&head);
    xpsig_host_clear(&tail);
    xp_array_free(zi);
    xp_array_free(yright);
    xp_array_free(t.left);
    xp_array_free(t.right);
    free(t.zi);
    return rc;
}
