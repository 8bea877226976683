/*
 * cmd_segments_stream.c -- spectrogram and stft of a 1-D series longer
 * than a block, written to the .npy output a block of segments at a time.
 *
 * A segment's spectrum depends on its own samples only, and for stft on
 * the extended ends and the zero padding where it reaches them.  So the
 * segments [k0, k1) are the library's own result on a slice of the
 * series that
 *   - starts a whole number of steps before them, so that its segments
 *     fall where the series' do;
 *   - starts at the series' first sample, or far enough before them that
 *     the end stft makes up on its left is not theirs;
 *   - ends at the series' last sample (extended and padded there as the
 *     whole series is), or past the last of them;
 *   - and holds at least one segment, so that nothing is cut to fit.
 * The result is (nfreq, nseg) with time the unit-stride axis, so each
 * block's columns are written into every row of the output in place.
 * Memory is a block of samples and one of spectra, however long the
 * series; the numbers are the one-shot ones (each segment goes through the
 * same operations).
 */
#include <stdlib.h>
#include "cmd_spectral.h"

/* The segments of a series of n samples, as SciPy lays them out. */
typedef struct {
    int64_t n, nperseg, step;
    int64_t edge;               /* stft's extension of each end: nperseg / 2, or 0 */
    int shift;                  /* stft extends the ends: times count from x[0] */
    int64_t nseg;
} grid_t;

/* g for j's options on n samples: 1, or 0 when they do not stream (a
 * segment as long as the series, an overlap not below nperseg: the
 * one-shot route cuts or refuses them). */
static int grid_of(const xpsig_spectral_job *j, int64_t n, grid_t *g)
{
    const xps_spectral_options *o = &j->opt;
    int stft = (j->kind->mask & XPSIG_SP_BOUNDARY) != 0;
    int64_t L = o->nperseg ? o->nperseg
                : o->window.array ? xp_array_dim(o->window.array, 0) : 256;
    int64_t V = o->noverlap >= 0 ? o->noverlap : L / j->kind->noverlap_div;
    if (L >= n || V >= L)
        return 0;
    g->n = n;
    g->nperseg = L;
    g->step = L - V;
    g->shift = stft && o->boundary != XPS_BOUNDARY_NONE;
    g->edge = g->shift ? L / 2 : 0;
    int64_t m = n + 2 * g->edge;
    if (stft && o->padded) {
        int64_t over = (m - L) % g->step;
        m += (over ? g->step - over : 0) % L;
    }
    g->nseg = (m - L) / g->step + 1;
    return 1;
}

/* The slice [*p, *q) for segments [k0, k1) (the rules at the top): its
 * result holds them from column k0 - *p / step on. */
static void slice_of(const grid_t *g, int64_t k0, int64_t k1, int64_t *p, int64_t *q)
{
    int64_t m = k0 - (g->edge + g->step - 1) / g->step;
    if (m < 0)
        m = 0;
    int64_t end = (k1 - 1) * g->step - g->edge + g->nperseg;
    if (end < m * g->step + g->nperseg)
        end = m * g->step + g->nperseg;
    *q = end < g->n ? end : g->n;
    if (*q - m * g->step < g->nperseg)     /* only at the series' end */
        m = (*q - g->nperseg) / g->step;
    *p = m * g->step;
}

int xpsig_segments_plan(const xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    char err[512];
    grid_t g;
    if (j->kind->streams != XPSIG_STREAM_SEGMENTS || (j->axis != -1 && j->axis != 0)
        || !xpsig_streams_into(ctx, ctx->output))
        return 0;
    int64_t n = xpsig_series_length(ctx->pos[0], &j->stream_dtype, err, sizeof err);
    if (n <= xpsig_stream_block() || !grid_of(j, n, &g))
        return 0;
    j->stream_total = n;
    return 1;
}

/* SciPy's times, as the library makes them: arange(nperseg/2, ..., step)
 * / fs, less (nperseg/2) / fs after stft's extension. */
static int save_times(xpsig_ctx *ctx, const xpsig_spectral_job *j, const grid_t *g)
{
    xp_array *t = NULL;
    double *tv = malloc((size_t)g->nseg * sizeof *tv);
    if (!tv)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: out of memory", j->tfile);
    for (int64_t k = 0; k < g->nseg; k++) {
        tv[k] = ((double)g->nperseg / 2 + (double)(k * g->step)) / j->opt.fs;
        if (g->shift)       /* by half a sample when nperseg is 1 and edge 0 */
            tv[k] -= ((double)g->nperseg / 2) / j->opt.fs;
    }
    int64_t n = g->nseg;
    int rc = xp_array_from_host(ctx->provider, XP_FLOAT64, 1, &n, tv, &t)
                 ? xpsig_fail_lib(ctx, j->tfile) : xpsig_save(ctx, j->tfile, t);
    xp_array_free(t);
    free(tv);
    return rc;
}

typedef struct {
    xpsig_ctx *ctx;
    xpsig_spectral_job *j;
    grid_t g;
    FILE *f;
    int64_t data_at;            /* the output's first element, in bytes */
    int64_t nfreq;
    size_t es;                  /* bytes per element */
    char *buf;                  /* a block's spectra on the host */
    size_t nbuf;
    char err[512];
} run_t;

/* The library's result for segments [k0, k1) into *out (freqs into j->f
 * when first). */
static int compute_block(run_t *r, int64_t k0, int64_t k1, int64_t *col, xp_array **out)
{
    xpsig_spectral_job *j = r->j, b = *j;
    int64_t p, q;
    slice_of(&r->g, k0, k1, &p, &q);
    *col = k0 - p / r->g.step;
    b.x = b.f = b.t = b.out = NULL;
    b.tfile = NULL;
    b.ffile = k0 == 0 ? j->ffile : NULL;
    b.opt.nperseg = r->g.nperseg;
    b.opt.padded = q == r->g.n && j->opt.padded;    /* stft's zeros: at the end only */
    int io = xpsig_series_slice(r->ctx->provider, r->ctx->pos[0], p, q - p, &b.x, r->err,
                                sizeof r->err);
    if (io)
        return xpsig_fail(r->ctx, xpsig_io_exit(io), "%s", r->err);
    int rc = j->kind->call(&b) ? xpsig_fail_call(r->ctx, XPSIG_EXIT_DATA, j->kind->fn) : 0;
    xp_array_free(b.x);
    if (rc) {
        xp_array_free(b.f);
        xp_array_free(b.out);
        return rc;
    }
    if (k0 == 0)
        j->f = b.f;
    *out = b.out;
    return 0;
}

/* The output's header, once the first block says its dtype and rows. */
static int begin_output(run_t *r, const xp_array *first)
{
    xp_dtype dt = xp_array_dtype(first);
    int64_t shape[2] = {xp_array_dim(first, 0), r->g.nseg};
    r->nfreq = shape[0];
    r->es = xp_dtype_size(dt);
    int io = xpsig_npy_begin(r->ctx->output, dt, 2, shape, &r->f, r->err, sizeof r->err);
    off_t at = r->f ? ftello(r->f) : -1;
    if (io == 0 && at < 0)
        io = xpsig_ioerr(r->err, sizeof r->err, XP_EIO, "%s: cannot tell the position",
                         r->ctx->output);
    r->data_at = at;
    return io ? xpsig_fail(r->ctx, xpsig_io_exit(io), "%s", r->err) : 0;
}

/* Columns [col, col + k1 - k0) of the block's result s into columns
 * [k0, k1) of every row of the output. */
static int write_block(run_t *r, const xp_array *s, int64_t col, int64_t k0, int64_t k1)
{
    int64_t ncol = xp_array_dim(s, 1);
    if (xp_array_ndim(s) != 2 || xp_array_dim(s, 0) != r->nfreq || col < 0
        || col + (k1 - k0) > ncol)      /* the slicing above is wrong: say so, write nothing */
        return xpsig_fail(r->ctx, XPSIG_EXIT_DATA, "%s: segments [%lld, %lld) are not in "
                          "their block's result (a bug: please report it)", r->j->kind->fn,
                          (long long)k0, (long long)k1);
    int rc = xpsig_block_to_host(r->ctx, s, &r->buf, &r->nbuf);
    if (rc)
        return rc;
    for (int64_t row = 0; row < r->nfreq; row++) {
        int io = xpsig_npy_pwrite(r->f, r->ctx->output,
                                  r->data_at + (row * r->g.nseg + k0) * (int64_t)r->es,
                                  r->buf + (size_t)(row * ncol + col) * r->es,
                                  (size_t)(k1 - k0) * r->es, r->err, sizeof r->err);
        if (io)
            return xpsig_fail(r->ctx, xpsig_io_exit(io), "%s", r->err);
    }
    return 0;
}

int xpsig_segments_save(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    run_t r = {ctx, j, {0}, NULL, 0, 0, 0, NULL, 0, ""};
    grid_of(j, j->stream_total, &r.g);
    /* segments per block: about a block of samples, and of spectra */
    int64_t block = xpsig_stream_block(), nfft = j->opt.nfft ? j->opt.nfft : r.g.nperseg;
    int64_t kb = (block - r.g.nperseg) / r.g.step + 1;
    if (kb > block / nfft)
        kb = block / nfft;
    if (kb < 1)
        kb = 1;
    int rc = 0;
    for (int64_t k0 = 0; rc == 0 && k0 < r.g.nseg; k0 += kb) {
        int64_t k1 = r.g.nseg - k0 < kb ? r.g.nseg : k0 + kb, col;
        xp_array *s = NULL;
        rc = compute_block(&r, k0, k1, &col, &s);
        if (rc == 0 && !r.f)
            rc = begin_output(&r, s);
        if (rc == 0)
            rc = write_block(&r, s, col, k0, k1);
        xp_array_free(s);
    }
    if (r.f && xpsig_npy_end(r.f, ctx->output, rc == 0, r.err, sizeof r.err) && rc == 0)
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s", r.err);
    free(r.buf);
    if (rc == 0 && j->ffile)
        rc = xpsig_save(ctx, j->ffile, j->f);
    if (rc == 0 && j->tfile)
        rc = save_times(ctx, j, &r.g);
    return rc;
}
