/*
 * cmd_stream.c -- welch, csd and coherence of series longer than memory:
 * a 1-D .npy array or HDF5 dataset longer than one block is read a block
 * at a time and fed to an accumulator (xps_spectral_acc), which carries
 * the segments that straddle two blocks; memory is a block and a few
 * segments, however long the file.  The result is the one-shot one to
 * rounding (the same segments, summed in another order).  Also the series
 * lengths and slices --mpi reads (cmd_mpi.c).
 */
#include <stdlib.h>
#include "cmd_spectral.h"

/* Samples per block (2^23: 64 MB of float64); XPSIG_STREAM_BLOCK sets
 * another, so that tests can stream small files. */
#define STREAM_BLOCK ((int64_t)1 << 23)

int64_t xpsig_stream_block(void)
{
    const char *e = getenv("XPSIG_STREAM_BLOCK");
    char *end;
    long long v = e ? strtoll(e, &end, 10) : 0;
    return e && end != e && !*end && v > 0 ? v : STREAM_BLOCK;
}

int64_t xpsig_series_length(const char *spec, xp_dtype *dtype, char *err, size_t nerr)
{
    int64_t total = -1;
    xpsig_host h = {0};
    if (!xpsig_sliceable(spec))
        return -2;
    if (xpsig_read_range(spec, 0, 0, &h, &total, err, nerr))
        total = -1;
    else if (h.ndim != 1)
        total = -1;         /* a 2-D array is read in columns, not as a series */
    else if (dtype)
        *dtype = h.dtype;
    xpsig_host_clear(&h);
    return total;
}

int xpsig_series_slice(const xp_provider *p, const char *spec, int64_t start, int64_t count,
                       xp_array **out, char *err, size_t nerr)
{
    int64_t total;
    xpsig_host h = {0};
    int rc = xpsig_read_range(spec, start, count, &h, &total, err, nerr);
    if (rc == 0 && xp_array_from_host(p, h.dtype, 1, &count, h.data, out))
        rc = xpsig_ioerr(err, nerr, XP_ENOMEM, "%s", xp_errmsg());
    xpsig_host_clear(&h);
    return rc;
}

int xpsig_streams_into(const xpsig_ctx *ctx, const char *spec)
{
    return spec && xpsig_is_npy(spec) && !xpsig_same_file(ctx->pos[0], spec);
}

int xpsig_block_to_host(const xpsig_ctx *ctx, const xp_array *a, char **buf, size_t *nbuf)
{
    size_t nbytes = (size_t)xp_array_size(a) * xp_dtype_size(xp_array_dtype(a));
    if (nbytes > *nbuf) {
        free(*buf);
        *nbuf = 0;
        if (!(*buf = malloc(nbytes)))
            return xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: out of memory", ctx->output);
        *nbuf = nbytes;
    }
    return xp_array_to_host(a, *buf, nbytes) ? xpsig_fail_lib(ctx, ctx->output) : 0;
}

int xpsig_stream_append(const xpsig_ctx *ctx, FILE **f, int64_t total, const xp_array *a,
                        char **buf, size_t *nbuf)
{
    char err[512] = "";
    xp_dtype dt = xp_array_dtype(a);
    int io = *f ? 0 : xpsig_npy_begin(ctx->output, dt, 1, &total, f, err, sizeof err);
    if (io)
        return xpsig_fail(ctx, xpsig_io_exit(io), "%s", err);
    int rc = xpsig_block_to_host(ctx, a, buf, nbuf);
    size_t nbytes = (size_t)xp_array_size(a) * xp_dtype_size(dt);
    if (rc == 0 && (io = xpsig_npy_append(*f, ctx->output, *buf, nbytes, err, sizeof err)))
        rc = xpsig_fail(ctx, xpsig_io_exit(io), "%s", err);
    return rc;
}

void xpsig_series_nperseg(xpsig_spectral_job *j, int64_t total)
{
    int64_t L = j->opt.nperseg ? j->opt.nperseg
                : j->opt.window.array ? xp_array_dim(j->opt.window.array, 0) : 256;
    j->opt.nperseg = L < total ? L : total;     /* SciPy: nperseg = len(x) */
}

int xpsig_stream_plan(const xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    char err[512];
    int64_t total = -1;
    xp_dtype dt[2];
    if (j->kind->streams != XPSIG_STREAM_ACC || (j->axis != -1 && j->axis != 0))
        return 0;
    for (int i = 0; i < j->kind->ninputs; i++) {
        int64_t n = xpsig_series_length(ctx->pos[i], &dt[i], err, sizeof err);
        /* not a 1-D .npy or dataset, unreadable, or what SciPy would pad
         * or promote to match: the usual load says what it makes of them */
        if (n < 0 || (i > 0 && (n != total || dt[i] != dt[0])))
            return 0;
        total = n;
    }
    if (total <= xpsig_stream_block())
        return 0;
    j->stream_total = total;
    j->stream_dtype = dt[0];
    return 1;
}

int xpsig_stream_compute(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    char err[512] = "";
    int64_t block = xpsig_stream_block(), shape[1] = {0};
    xps_spectral_acc *acc = NULL;
    xp_array *x = NULL, *y = NULL;
    xpsig_series_nperseg(j, j->stream_total);
    if (xps_spectral_acc_begin(j->kind->acc, &j->opt, ctx->provider, j->stream_dtype, 1,
                               shape, &acc))
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, j->kind->fn);
    int rc = 0;
    for (int64_t s = 0; rc == 0 && s < j->stream_total; s += block) {
        int64_t n = j->stream_total - s < block ? j->stream_total - s : block;
        int io = xpsig_series_slice(ctx->provider, ctx->pos[0], s, n, &x, err, sizeof err);
        if (io == 0 && j->kind->ninputs == 2)
            io = xpsig_series_slice(ctx->provider, ctx->pos[1], s, n, &y, err, sizeof err);
        if (io)
            rc = xpsig_fail(ctx, xpsig_io_exit(io), "%s", err);
        else if (xps_spectral_acc_feed(acc, x, y))
            rc = xpsig_fail_call(ctx, XPSIG_EXIT_DATA, j->kind->fn);
        xp_array_free(x);
        xp_array_free(y);
        x = y = NULL;
    }
    if (rc == 0 && xps_spectral_acc_end(acc, j->ffile ? &j->f : NULL, &j->out))
        rc = xpsig_fail_call(ctx, XPSIG_EXIT_DATA, j->kind->fn);
    xps_spectral_acc_free(acc);
    return rc;
}
