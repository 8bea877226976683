/*
 * detrend.c -- scipy.signal.detrend (into a new array or the caller's, x
 * itself included: SciPy's overwrite_data), and the in-place per-segment
 * detrend the spectral estimators use.
 *
 * A least-squares line over L points is the projection onto span{1, t};
 * with an orthonormal basis Q [L, 2] that is W -= (W Q) Q^T: two gemms over
 * a whole block of segments, which is what BLAS and cuBLAS are fast at.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "spectral.h"

/* Longer bases are built on the provider: uploading one would move twice
 * the signal's bytes (on a GPU, across the bus) for a line fit. */
#define BASIS_UPLOAD_MAX 8192

int xps__detrend_basis(const xp_provider *p, xp_dtype dtype, int64_t L, xp_array **Q)
{
    return xps__detrend_basis_rows(p, dtype, L, 0, L, Q);
}

int xps__detrend_basis_rows(const xp_provider *p, xp_dtype dtype, int64_t L, int64_t first,
                            int64_t count, xp_array **Q)
{
    int64_t k = L > 1 ? 2 : 1, shape[2] = {count, k};
    int cplx = xp_dtype_is_complex(dtype), w = cplx ? 2 : 1;
    double c = (L - 1) / 2.0, norm = sqrt(L * (L * (double)L - 1) / 12.0);
    xp_array *q64 = NULL, *c0 = NULL, *c1 = NULL;
    int rc = XP_OK;
    *Q = NULL;
    if (count > BASIS_UPLOAD_MAX) {
        rc = xp_array_empty(p, XP_FLOAT64, 2, shape, &q64);
        if (rc == XP_OK)
            rc = xp__view_slice(q64, 1, 0, 1, 1, &c0);
        if (rc == XP_OK)
            rc = xp__fill(c0, 1.0 / sqrt((double)L), 0);
        if (rc == XP_OK)        /* column 1, as a 1-D view */
            rc = xp__view(q64, 1, &count, &k, 1, &c1);
        if (rc == XP_OK)        /* i - (c - first) == (first + i) - c: both exact */
            rc = xps__ramp("detrend", p, c - (double)first, norm, c1);
    } else {
        double *q = xp__malloc((size_t)(2 * count * k) * sizeof *q);
        if (!q)
            return xp_error(XP_ENOMEM, "detrend: out of memory for the basis");
        memset(q, 0, (size_t)(2 * count * k) * sizeof *q);
        for (int64_t i = 0; i < count; i++) {
            q[(i * k) * w] = 1.0 / sqrt((double)L);
            if (k == 2)
                q[(i * k + 1) * w] = ((double)(first + i) - c) / norm;
        }
        rc = xp_array_from_host(p, cplx ? XP_COMPLEX128 : XP_FLOAT64, 2, shape, q, &q64);
        xp__free(q);
    }
    if (rc == XP_OK)
        rc = xp_array_astype(q64, dtype, Q);
    xp_array_free(q64);
    xp_array_free(c0);
    xp_array_free(c1);
    return rc;
}

int xps__detrend_inplace(const xp_array *W2, xps_detrend_type type, const xp_array *Q,
                         const xp_array *coef, const xp_array *mean)
{
    int64_t rows = xp_array_dim(W2, 0), L = xp_array_dim(W2, 1);
    int64_t shape2[2] = {rows, L};
    xp_array *c = NULL, *m = NULL, *mb = NULL;
    int rc = XP_OK;
    if (type == XPS_DETREND_NONE || rows == 0 || L == 0)
        return XP_OK;
    if (type == XPS_DETREND_CONSTANT) {
        int64_t mshape[2] = {rows, 1}, mstrides[2] = {1, 1};
        rc = xp__view(mean, 2, mshape, mstrides, 0, &m);
        if (rc == XP_OK)
            rc = xp__reduce(XP_REDUCE_MEAN, W2, 1, m);
        if (rc == XP_OK)
            rc = xp__view_broadcast(m, 2, shape2, &mb);
        if (rc == XP_OK)
            rc = xp__binary(XP_BINARY_SUB, W2, mb, W2);
    } else {
        int64_t k = xp_array_dim(Q, 1);
        int64_t cshape[2] = {rows, k}, cstrides[2] = {k, 1};
        rc = xp__view(coef, 2, cshape, cstrides, 0, &c);
        if (rc == XP_OK)    /* c = W Q */
            rc = xp__gemm('N', 'N', 1, 0, W2, Q, 0, 0, c);
        if (rc == XP_OK)    /* W -= c Q^T  (Q is real-valued: T, not C) */
            rc = xp__gemm('N', 'T', -1, 0, c, Q, 1, 0, W2);
    }
    xp_array_free(c);
    xp_array_free(m);
    xp_array_free(mb);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Detrend the pieces [edges[k], edges[k+1]) of the rows of W2 [R, N]. */
static int detrend_pieces(const xp_array *W2, xps_detrend_type type,
                          const int64_t *edges, int64_t nedges)
{
    const xp_provider *p = xp_array_provider(W2);
    xp_dtype dt = xp_array_dtype(W2);
    int64_t R = xp_array_dim(W2, 0), cshape[2] = {R, 2};
    xp_array *coef = NULL, *mean = NULL;
    int rc = type == XPS_DETREND_LINEAR ? xp_array_empty(p, dt, 2, cshape, &coef)
                                        : xp_array_empty(p, dt, 1, &R, &mean);
    for (int64_t k = 0; rc == XP_OK && k + 1 < nedges; k++) {
        int64_t a = edges[k], L = edges[k + 1] - a;
        xp_array *piece = NULL, *Q = NULL;
        if (L <= 0)
            continue;
        rc = xp__view_slice(W2, 1, a, L, 1, &piece);
        if (rc == XP_OK && type == XPS_DETREND_LINEAR)
            rc = xps__detrend_basis(p, dt, L, &Q);
        if (rc == XP_OK)
            rc = xps__detrend_inplace(piece, type, Q, coef, mean);
        xp_array_free(piece);
        xp_array_free(Q);
    }
    xp_array_free(coef);
    xp_array_free(mean);
    return rc;
}

int xps__detrend_edges(const char *fn, int64_t N, int axis, xps_detrend_type type,
                       const int64_t *bp, int64_t nbp, int64_t **edges, int64_t *nedges)
{
    *edges = NULL;
    if ((unsigned)type > XPS_DETREND_LINEAR)
        return xp_error(XP_EINVAL, "%s: type (%d) must be linear, constant or none", fn,
                        (int)type);
    if (nbp < 0 || (nbp > 0 && !bp))
        return xp_error(XP_EINVAL, "%s: bp is NULL with %lld breakpoints", fn, (long long)nbp);
    for (int64_t i = 0; i < nbp; i++)
        if (bp[i] < 0 || bp[i] > N)
            return xp_error(XP_EINVAL, "%s: breakpoint bp[%lld] (%lld) must lie in "
                            "[0, %lld], the length of the data along axis %d", fn,
                            (long long)i, (long long)bp[i], (long long)N, axis);
    int64_t *e = xp__malloc((size_t)(nbp + 2) * sizeof *e);
    if (!e)
        return xp_error(XP_ENOMEM, "%s: out of memory", fn);
    e[0] = 0;
    for (int64_t i = 0; i < nbp; i++)
        e[i + 1] = bp[i];
    e[nbp + 1] = N;
    qsort(e, (size_t)(nbp + 2), sizeof *e, cmp_i64);   /* duplicates: empty pieces */
    if (type == XPS_DETREND_CONSTANT) {     /* SciPy ignores bp for constant */
        e[1] = N;
        nbp = 0;
    }
    *edges = e;
    *nedges = nbp + 2;
    return XP_OK;
}

/* detrend's argument checks, shared by both forms: *ax, and the piece
 * edges *edges[*nedges] (0, the sorted breakpoints, N; free it). */
static int detrend_args(const xp_array *x, int axis, xps_detrend_type type, const int64_t *bp,
                        int64_t nbp, int *ax, int64_t **edges, int64_t *nedges)
{
    int rc;
    *edges = NULL;
    if (!x)
        return xp_error(XP_EINVAL, "detrend: data is NULL");
    if ((rc = xp__axis("detrend", axis, xp_array_ndim(x), ax)))
        return rc;
    return xps__detrend_edges("detrend", xp_array_dim(x, *ax), axis, type, bp, nbp, edges,
                              nedges);
}

/* x (axis ax moved last) copied into y's view of the same axes, unless y is
 * x itself. */
static int copy_moved(const xp_array *x, int ax, const xp_array *y)
{
    xp_array *xm = NULL, *ym = NULL;
    if (xp__same_view(x, y) || xp_array_size(x) == 0)
        return XP_OK;
    int rc = xp__view_axis_last(x, ax, &xm);
    if (rc == XP_OK)
        rc = xp__view_axis_last(y, ax, &ym);
    if (rc == XP_OK)
        rc = xp__copy(xm, ym);
    xp_array_free(xm);
    xp_array_free(ym);
    return rc;
}

/* Detrend x along ax into y (x's shape and dtype; may be x).  Where y's
 * rows along ax are unit-stride rows of one 2-D view, x is copied there
 * and detrended in place; otherwise in a contiguous copy, then copied to y
 * (a strided row would make every reduction walk memory across). */
static int detrend_to(const xp_array *x, int ax, xps_detrend_type type, const int64_t *edges,
                      int64_t nedges, const xp_array *y)
{
    int64_t N = xp_array_dim(x, ax);
    xp_array *Y2 = NULL, *xm = NULL, *work = NULL, *W2 = NULL;
    int rc = xps__rows_only(y, ax, &Y2);
    if (rc)
        return rc;
    int direct = Y2 && (N <= 1 || xp_array_dltensor(Y2)->strides[1] == 1);
    if (direct) {
        rc = copy_moved(x, ax, y);
        if (rc == XP_OK && type != XPS_DETREND_NONE && xp_array_size(x) > 0)
            rc = detrend_pieces(Y2, type, edges, nedges);
        xp_array_free(Y2);
        return rc;
    }
    xp_array_free(Y2);
    rc = xp__view_axis_last(x, ax, &xm);
    if (rc == XP_OK)
        rc = xp_array_astype(xm, xp_array_dtype(x), &work);
    if (rc == XP_OK) {
        int64_t shape2[2] = {xp_array_size(work) / (N > 0 ? N : 1), N};
        int64_t strides2[2] = {N, 1};
        rc = xp__view(work, 2, shape2, strides2, 0, &W2);
    }
    if (rc == XP_OK && type != XPS_DETREND_NONE && xp_array_size(work) > 0)
        rc = detrend_pieces(W2, type, edges, nedges);
    xp_array_free(W2);
    xp_array_free(xm);
    if (rc == XP_OK) {      /* work has x's axes moved: place it as copy_moved would */
        xp_array *ym = NULL;
        rc = xp_array_size(work) ? xp__view_axis_last(y, ax, &ym) : XP_OK;
        if (rc == XP_OK && ym)
            rc = xp__copy(work, ym);
        xp_array_free(ym);
    }
    xp_array_free(work);
    return rc;
}

int xps_detrend(const xp_array *x, int axis, xps_detrend_type type,
                const int64_t *bp, int64_t nbp, xp_array **out)
{
    int rc, ax;
    int64_t *edges = NULL, nedges = 0;
    xp_array *res = NULL;
    if (!out)
        return xp_error(XP_EINVAL, "detrend: out is NULL");
    *out = NULL;
    if ((rc = detrend_args(x, axis, type, bp, nbp, &ax, &edges, &nedges)))
        return rc;
    rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), xp_array_ndim(x),
                        xp_array_dltensor(x)->shape, &res);
    if (rc == XP_OK)
        rc = detrend_to(x, ax, type, edges, nedges, res);
    xp__free(edges);
    if (rc) {
        xp_array_free(res);
        return rc;
    }
    *out = res;
    return XP_OK;
}

int xps_detrend_into(const xp_array *x, int axis, xps_detrend_type type, const int64_t *bp,
                     int64_t nbp, const xp_array *y)
{
    int rc, ax;
    int64_t *edges = NULL, nedges = 0;
    if ((rc = detrend_args(x, axis, type, bp, nbp, &ax, &edges, &nedges)))
        return rc;
    rc = xps__check_y("detrend", x, y);
    if (rc == XP_OK)
        rc = detrend_to(x, ax, type, edges, nedges, y);
    xp__free(edges);
    return rc;
}
