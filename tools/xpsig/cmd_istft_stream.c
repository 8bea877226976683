/*
 * cmd_istft_stream.c -- istft of a 2-D Z (frequencies, segments) whose
 * signal is longer than a block, written to the .npy output a block of
 * samples at a time.
 *
 * A sample of the overlap-add is its segments' windowed inverse
 * transforms, divided by their windows' squares summed: it depends on the
 * segments over it alone.  So the samples [a, b) are the library's own
 * istft (ends not cut) of the segments that reach into them, at the
 * right offset; each block reads those columns of Z (a few segments more
 * than the samples' own, those that also cover the block before) and
 * appends its samples to the output, cut by nperseg / 2 at the ends of
 * the whole where boundary says so.  Memory is a block of segments and
 * one of samples, however long the signal; the result is the one-shot
 * one to rounding (the same terms, added in another order).
 */
#include <stdlib.h>
#include <string.h>
#include "cmd_spectral.h"

typedef struct {
    int64_t rows, nseg;         /* Z's frequencies and segments */
    int64_t nperseg, step;
    int64_t edge;               /* cut off each end: nperseg / 2, or 0 */
    int64_t n;                  /* samples of the result */
} grid_t;

/* g for Z (ctx's input) and the options: 1, or 0 when it does not stream
 * (not a 2-D .npy array or HDF5 dataset in SciPy's default layout, or
 * options the one-shot route refuses). */
static int grid_of(const xpsig_ctx *ctx, const xps_istft_options *o, grid_t *g)
{
    char err[512];
    xpsig_host h = {0};
    int64_t total = -1;
    int ok = xpsig_sliceable(ctx->pos[0])
             && xpsig_read_range(ctx->pos[0], 0, 0, &h, &total, err, sizeof err) == 0
             && h.ndim == 2;
    g->rows = h.shape[0];
    xpsig_host_clear(&h);
    if (!ok || (o->freq_axis != -2 && o->freq_axis != 0)
        || (o->time_axis != -1 && o->time_axis != 1))
        return 0;
    /* SciPy's defaults */
    int64_t L = o->nperseg ? o->nperseg : o->input_onesided ? 2 * (g->rows - 1) : g->rows;
    int64_t V = o->noverlap >= 0 ? o->noverlap : L / 2;
    if (total < 1 || L < 1 || V >= L)
        return 0;
    g->nseg = total;
    g->nperseg = L;
    g->step = L - V;
    g->edge = o->boundary ? L / 2 : 0;
    g->n = (total - 1) * g->step + L - 2 * g->edge;
    /* SciPy cuts x[nperseg//2 : -(nperseg//2)]: nothing is left of it
     * when nperseg is 1 */
    if (o->boundary && g->edge == 0)
        g->n = 0;
    return g->n > 0;
}

int xpsig_istft_plan(const xpsig_ctx *ctx, const xps_istft_options *opt, const char *tfile)
{
    grid_t g;
    const char *out = ctx->output;
    if (!xpsig_streams_into(ctx, out)
        || (tfile && (!xpsig_streams_into(ctx, tfile) || strcmp(tfile, out) == 0
                      || xpsig_same_file(tfile, out))))
        return 0;
    return grid_of(ctx, opt, &g) && g.n > xpsig_stream_block();
}

typedef struct {
    xpsig_ctx *ctx;
    const char *tfile;
    double fs;
    grid_t g;
    FILE *fx, *ft;              /* the output and the times */
    size_t es;                  /* bytes per sample of the output */
    char *buf;                  /* a block's overlap-add on the host */
    size_t nbuf;
    double *tv;                 /* a block's times */
    char err[512];
} run_t;

/* The library's istft (ends kept) of segments [ka, kb) into *y. */
static int overlap_add(run_t *r, const xps_istft_options *o, int64_t ka, int64_t kb,
                       xp_array **y)
{
    xpsig_host h = {0};
    xp_array *z = NULL;
    int64_t total;
    int io = xpsig_read_range(r->ctx->pos[0], ka, kb - ka, &h, &total, r->err,
                              sizeof r->err);
    int rc = io ? xpsig_fail(r->ctx, xpsig_io_exit(io), "%s", r->err) : 0;
    if (rc == 0 && xp_array_from_host(r->ctx->provider, h.dtype, 2, h.shape, h.data, &z))
        rc = xpsig_fail_lib(r->ctx, r->ctx->pos[0]);
    xpsig_host_clear(&h);
    if (rc == 0 && xps_istft(z, o, NULL, y))
        rc = xpsig_fail_call(r->ctx, XPSIG_EXIT_DATA, "istft");
    xp_array_free(z);
    return rc;
}

/* Open the output (and the times) once the first block says the dtype. */
static int begin(run_t *r, xp_dtype dt)
{
    int io = xpsig_npy_begin(r->ctx->output, dt, 1, &r->g.n, &r->fx, r->err, sizeof r->err);
    if (io == 0 && r->tfile)
        io = xpsig_npy_begin(r->tfile, XP_FLOAT64, 1, &r->g.n, &r->ft, r->err, sizeof r->err);
    r->es = xp_dtype_size(dt);
    return io ? xpsig_fail(r->ctx, xpsig_io_exit(io), "%s", r->err) : 0;
}

/* Samples [from, from + n) of the block's overlap-add y, the result's
 * samples [j0, j0 + n), appended to the output (and their times). */
static int append(run_t *r, const xp_array *y, int64_t from, int64_t j0, int64_t n)
{
    if (xp_array_ndim(y) != 1 || from < 0 || from + n > xp_array_dim(y, 0))
        return xpsig_fail(r->ctx, XPSIG_EXIT_DATA, "istft: samples [%lld, %lld) are not in "
                          "their block's result (a bug: please report it)", (long long)j0,
                          (long long)(j0 + n));
    int rc = xpsig_block_to_host(r->ctx, y, &r->buf, &r->nbuf);
    if (rc)
        return rc;
    int io = xpsig_npy_append(r->fx, r->ctx->output, r->buf + (size_t)from * r->es,
                              (size_t)n * r->es, r->err, sizeof r->err);
    if (io == 0 && r->ft) {
        for (int64_t i = 0; i < n; i++)
            r->tv[i] = (double)(j0 + i) / r->fs;    /* numpy: arange(n) / fs */
        io = xpsig_npy_append(r->ft, r->tfile, r->tv, (size_t)n * sizeof *r->tv, r->err,
                              sizeof r->err);
    }
    return io ? xpsig_fail(r->ctx, xpsig_io_exit(io), "%s", r->err) : 0;
}

int xpsig_istft_stream(xpsig_ctx *ctx, const xps_istft_options *opt, const char *tfile)
{
    run_t r = {ctx, tfile, opt->fs, {0}, NULL, NULL, 0, NULL, 0, NULL, ""};
    grid_of(ctx, opt, &r.g);
    const int64_t L = r.g.nperseg, S = r.g.step;
    /* samples per block: a block of them, and a block of Z's values read */
    int64_t block = xpsig_stream_block(), reach = (L + S - 1) / S;
    int64_t cols = block / r.g.rows > reach + 1 ? block / r.g.rows : reach + 1;
    int64_t chunk = (cols - reach) * S < block ? (cols - reach) * S : block;
    xps_istft_options o = *opt;
    o.nperseg = L;
    o.noverlap = L - S;
    o.boundary = 0;             /* the ends are cut here, where the whole's are */
    int rc = 0;
    if (tfile && !(r.tv = malloc((size_t)chunk * sizeof *r.tv)))
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: out of memory", tfile);
    for (int64_t j0 = 0; rc == 0 && j0 < r.g.n; j0 += chunk) {
        int64_t j1 = r.g.n - j0 < chunk ? r.g.n : j0 + chunk;
        /* before the cut: samples [a, b), over which segments [ka, kb) reach */
        int64_t a = j0 + r.g.edge, b = j1 + r.g.edge;
        int64_t ka = a < L ? 0 : (a - L) / S + 1, kb = (b + S - 1) / S;
        xp_array *y = NULL;
        rc = overlap_add(&r, &o, ka, kb < r.g.nseg ? kb : r.g.nseg, &y);
        if (rc == 0 && !r.fx)
            rc = begin(&r, xp_array_dtype(y));
        if (rc == 0)
            rc = append(&r, y, a - ka * S, j0, j1 - j0);
        xp_array_free(y);
    }
    if (r.fx && xpsig_npy_end(r.fx, ctx->output, rc == 0, r.err, sizeof r.err) && rc == 0)
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s", r.err);
    if (r.ft && xpsig_npy_end(r.ft, tfile, rc == 0, r.err, sizeof r.err) && rc == 0)
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s", r.err);
    if (rc && r.fx)
        remove(ctx->output);    /* the times failed after the output was whole */
    free(r.buf);
    free(r.tv);
    return rc;
}
