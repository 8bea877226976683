/*
 * spectral_mpi.c -- welch, csd and coherence with the series spread over
 * MPI ranks: each rank accumulates its own segments, the serialized
 * accumulators are merged by one MPI reduction with a user operator, and
 * the root (or every rank) finishes the estimate.
 *
 * No collective may block forever: every rank first does all its local
 * work, then the ranks agree on success with one MPI_Allreduce, and only
 * then reduce.  Nothing after the reduction talks to other ranks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xps_mpi.h"

static const char *names[] = {"welch_mpi", "csd_mpi", "coherence_mpi"};

/* The caller's options in this library's layout, never read past their
 * size: a shorter struct (an older header) keeps its size, which
 * xps_spectral_acc_begin checks as libxpsignal checks every size (its
 * helper is hidden from this library); a longer one (a newer header) is
 * taken only if the fields this library does not know are zero. */
static int copy_options(const char *fn, const xps_spectral_options *opt,
                        xps_spectral_options *out)
{
    size_t n = opt->size;
    xps_welch_options_init(out);
    memcpy(out, opt, n < sizeof *out ? n : sizeof *out);
    if (n <= sizeof *out || n > 4096)       /* 4096: libxpsignal refuses beyond */
        return XP_OK;
    const unsigned char *b = (const void *)opt;
    for (size_t i = sizeof *out; i < n; i++)
        if (b[i])
            return xp_error(XP_EINVAL, "%s: options.size (%zu) is larger than this "
                            "library's xps_spectral_options (%zu) and sets fields it does "
                            "not know", fn, n, sizeof *out);
    out->size = sizeof *out;
    return XP_OK;
}

/* SciPy's nperseg and noverlap for a series of n samples (coherence takes
 * no average: its options' average is not looked at). */
static int resolve(const char *fn, int kind, const xps_spectral_options *caller, int64_t n,
                   xps_spectral_options *out)
{
    int rc = copy_options(fn, caller, out);
    if (rc)
        return rc;
    const xps_spectral_options *opt = out;
    int64_t L = opt->nperseg;
    if (opt->window.array) {
        if (L == 0 && xp_array_ndim(opt->window.array) == 1)
            L = xp_array_dim(opt->window.array, 0);
    } else {
        if (L == 0)
            L = 256;
        if (L > n)
            L = n;
    }
    if (L < 1)
        return xp_error(XP_EINVAL, "%s: nperseg (%lld) must be > 0 (n is %lld)", fn,
                        (long long)L, (long long)n);
    out->nperseg = L;
    out->noverlap = opt->noverlap >= 0 ? opt->noverlap : L / 2;
    if (kind == XPS_ACC_COHERENCE)
        out->average = XPS_AVERAGE_MEAN;
    else if (opt->average != XPS_AVERAGE_MEAN)
        return xp_error(XP_EINVAL, "%s: average '%s' cannot be split over ranks: a median "
                        "needs every segment at once (use average 'mean')", fn,
                        opt->average == XPS_AVERAGE_MEDIAN ? "median" : "median-mean");
    return XP_OK;
}

/* A borrowed view of samples [s, s + m) along axis ax of a. */
static int range_view(const xp_array *a, int ax, int64_t s, int64_t m, DLTensor *t,
                      int64_t *shape, int64_t *strides, xp_array **out)
{
    const DLTensor *d = xp_array_dltensor(a);
    *t = *d;
    int64_t acc = 1;
    for (int i = d->ndim - 1; i >= 0; i--) {
        shape[i] = d->shape[i];
        strides[i] = d->strides ? d->strides[i] : acc;
        acc *= d->shape[i];
    }
    t->byte_offset += (uint64_t)(s * strides[ax] * (int64_t)xp_dtype_size(xp_array_dtype(a)));
    shape[ax] = m;
    t->shape = shape;
    t->strides = strides;
    return xp_array_wrap(t, out);
}

/* This rank's part: an accumulator over its range, serialized into *buf. */
static int local_part(int kind, const char *fn, int rank, int size, const xp_array *x,
                      const xp_array *y, int64_t offset, int64_t n,
                      const xps_spectral_options *opt, unsigned char **buf, size_t *len)
{
    xps_spectral_options o;
    xps_spectral_acc *acc = NULL;
    xp_array *vx = NULL, *vy = NULL;
    int64_t start, count, shape[2][XP_MAX_NDIM], strides[2][XP_MAX_NDIM];
    DLTensor t[2];
    int rc;
    if (!x || !opt || (kind != XPS_ACC_WELCH && !y))
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, !opt ? "opt" : !x ? "x" : "y");
    if (n < 0 || offset < 0)
        return xp_error(XP_EINVAL, "%s: n (%lld) and offset (%lld) must be >= 0", fn,
                        (long long)n, (long long)offset);
    if ((rc = resolve(fn, kind, opt, n, &o)))
        return rc;
    int nd = xp_array_ndim(x);
    if (y) {
        int same = xp_array_ndim(y) == nd;
        for (int d = 0; same && d < nd; d++)
            same = xp_array_dim(y, d) == xp_array_dim(x, d);
        if (!same)
            return xp_error(XP_ESHAPE, "%s: x and y chunks differ in shape", fn);
    }
    int ax = o.axis < 0 ? o.axis + nd : o.axis;
    const DLTensor *dx = xp_array_dltensor(x);
    rc = xps_spectral_acc_begin((xps_acc_kind)kind, &o, xp_array_provider(x),
                                xp_array_dtype(x), nd, dx->shape, &acc);
    if (rc == XP_OK)
        rc = xps_mpi_split(n, o.nperseg, o.noverlap, rank, size, &start, &count);
    if (rc == XP_OK && start == 0 && count == 0 && rank == 0)
        rc = xp_error(XP_EINVAL, "%s: no complete segment: %lld samples are fewer than "
                      "nperseg (%lld)", fn, (long long)n, (long long)o.nperseg);
    int64_t have = rc == XP_OK ? xp_array_dim(x, ax) : 0;
    if (rc == XP_OK && count > 0 && (start < offset || start + count > offset + have))
        rc = xp_error(XP_EINVAL, "%s: rank %d holds samples [%lld, %lld) but needs [%lld, "
                      "%lld) (see xps_mpi_split)", fn, rank, (long long)offset,
                      (long long)(offset + have), (long long)start, (long long)(start + count));
    if (rc == XP_OK && count > 0) {
        rc = range_view(x, ax, start - offset, count, &t[0], shape[0], strides[0], &vx);
        if (rc == XP_OK && y)
            rc = range_view(y, ax, start - offset, count, &t[1], shape[1], strides[1], &vy);
        if (rc == XP_OK)
            rc = xps_spectral_acc_feed(acc, vx, vy);
    }
    if (rc == XP_OK)
        rc = xps_spectral_acc_serialize(acc, NULL, 0, len);
    if (rc == XP_OK && *len > INT_MAX)
        rc = xp_error(XP_EINVAL, "%s: accumulator state (%zu bytes) is over MPI's 2 GiB "
                      "count limit", fn, *len);
    if (rc == XP_OK && !(*buf = malloc(*len)))
        rc = xp_error(XP_ENOMEM, "%s: out of memory", fn);
    if (rc == XP_OK)
        rc = xps_spectral_acc_serialize(acc, *buf, *len, len);
    xp_array_free(vx);
    xp_array_free(vy);
    xps_spectral_acc_free(acc);
    return rc;
}

/* FNV-1a of a serialized accumulator's setup: the bytes that must be the
 * same on every rank (format version 1 of xps_spectral_acc_serialize: its
 * 256-byte header but the counts at [96, 112), then the window of nperseg
 * doubles, nperseg being the little-endian int64 at 64; not the sums). */
static long long setup_hash(const unsigned char *b, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u, nperseg = 0;
    if (!b || len < 264)
        return 0;
    for (int i = 0; i < 8; i++)
        nperseg |= (uint64_t)b[64 + i] << (8 * i);
    size_t end = nperseg < (len - 264) / 8 ? 256 + 8 * (size_t)nperseg : len - 8;
    for (size_t i = 0; i < end; i++)
        if (i < 96 || i >= 112)
            h = (h ^ b[i]) * 0x100000001b3u;
    return (long long)(h >> 1);       /* non-negative, so that max(-h) reads min(h) */
}

/* The MPI user operator: inout += in, one serialized accumulator per
 * element.  It cannot fail aloud: a failed merge spoils the magic so that
 * deserializing the result reports it. */
static void merge_op(void *in, void *inout, int *n, MPI_Datatype *type)
{
    int sz = 0;
    MPI_Type_size(*type, &sz);
    for (int i = 0; i < *n; i++) {
        unsigned char *b = (unsigned char *)inout + (size_t)i * sz;
        if (xps_spectral_acc_merge_serialized(b, (unsigned char *)in + (size_t)i * sz,
                                              (size_t)sz))
            b[0] = 0;
    }
}

static int run(int kind, MPI_Comm comm, int root, const xp_array *x, const xp_array *y,
               int64_t offset, int64_t n, const xps_spectral_options *opt, xp_array **f,
               xp_array **out)
{
    const char *fn = names[kind];
    int rank = 0, size = 1, rc = XP_OK;
    unsigned char *buf = NULL;
    size_t len = 0;
    if (f)
        *f = NULL;
    if (out)
        *out = NULL;
    if (MPI_Comm_rank(comm, &rank) != MPI_SUCCESS || MPI_Comm_size(comm, &size) != MPI_SUCCESS)
        return xp_error(XP_EINVAL, "%s: comm is not a valid communicator", fn);
    if (!out)
        rc = xp_error(XP_EINVAL, "%s: out is NULL", fn);
    else if (root < -1 || root >= size)
        rc = xp_error(XP_EINVAL, "%s: root (%d) must be -1 or a rank below %d", fn, root,
                      size);
    else
        rc = local_part(kind, fn, rank, size, x, y, offset, n, opt, &buf, &len);

    /* agree: any failure (and which rank); equal lengths, roots, n and
     * setups (max of v and of -v: all equal when max v = -max -v) */
    long long hs = rc ? 0 : setup_hash(buf, len);
    long long v[10] = {rc ? rc : 0, rc ? rank : -1, (long long)len, -(long long)len, root,
                       -(long long)root, (long long)n, -(long long)n, hs, -hs};
    if (MPI_Allreduce(MPI_IN_PLACE, v, 10, MPI_LONG_LONG, MPI_MAX, comm) != MPI_SUCCESS) {
        free(buf);
        return xp_error(XP_EINTERNAL, "%s: MPI_Allreduce failed", fn);
    }
    if (rc || v[0]) {
        free(buf);
        if (rc)
            return rc;
        return xp_error((int)v[0], "%s: rank %lld failed (%s); every rank returns an error",
                        fn, v[1], xp_strerror((int)v[0]));
    }
    if (v[2] != -v[3] || v[4] != -v[5] || v[6] != -v[7] || v[8] != -v[9]) {
        free(buf);
        return xp_error(XP_EINVAL, "%s: ranks disagree on %s", fn,
                        v[4] != -v[5] ? "root" : v[6] != -v[7] ? "n, the series' length"
                        : "the options, shape or dtype");
    }

    MPI_Datatype type;
    MPI_Op op;
    int ok = MPI_Type_contiguous((int)len, MPI_BYTE, &type) == MPI_SUCCESS;
    ok = ok && MPI_Type_commit(&type) == MPI_SUCCESS;
    ok = ok && MPI_Op_create(merge_op, 1, &op) == MPI_SUCCESS;
    if (ok && root < 0)
        ok = MPI_Allreduce(MPI_IN_PLACE, buf, 1, type, op, comm) == MPI_SUCCESS;
    else if (ok)
        ok = MPI_Reduce(rank == root ? MPI_IN_PLACE : buf, rank == root ? buf : NULL, 1, type,
                        op, root, comm) == MPI_SUCCESS;
    MPI_Op_free(&op);
    MPI_Type_free(&type);
    if (!ok) {
        free(buf);
        return xp_error(XP_EINTERNAL, "%s: the MPI reduction failed", fn);
    }
    if (root >= 0 && rank != root) {
        free(buf);
        return XP_OK;
    }
    xps_spectral_acc *acc = NULL;
    rc = xps_spectral_acc_deserialize(buf, len, xp_array_provider(x), &acc);
    free(buf);
    if (rc) {
        char why[256];
        snprintf(why, sizeof why, "%s", xp_errmsg());
        return xp_error(rc, "%s: the ranks' accumulators could not be merged (%s)", fn, why);
    }
    rc = xps_spectral_acc_end(acc, f, out);
    xps_spectral_acc_free(acc);
    return rc;
}

int xps_welch_mpi(MPI_Comm comm, int root, const xp_array *x, int64_t offset, int64_t n,
                  const xps_spectral_options *opt, xp_array **f, xp_array **Pxx)
{
    return run(XPS_ACC_WELCH, comm, root, x, NULL, offset, n, opt, f, Pxx);
}

int xps_csd_mpi(MPI_Comm comm, int root, const xp_array *x, const xp_array *y, int64_t offset,
                int64_t n, const xps_spectral_options *opt, xp_array **f, xp_array **Pxy)
{
    return run(XPS_ACC_CSD, comm, root, x, y, offset, n, opt, f, Pxy);
}

int xps_coherence_mpi(MPI_Comm comm, int root, const xp_array *x, const xp_array *y,
                      int64_t offset, int64_t n, const xps_spectral_options *opt,
                      xp_array **f, xp_array **Cxy)
{
    return run(XPS_ACC_COHERENCE, comm, root, x, y, offset, n, opt, f, Cxy);
}
