/*
 * detrend_acc.c -- scipy.signal.detrend of a series longer than memory, in
 * two passes over its blocks.
 *
 * detrend.c fits each piece with an orthonormal basis Q [L, 2] of {1, t}:
 * c = W Q, then W -= c Q^T.  Both products split along the samples: c is
 * the sum over blocks of W_b Q_b, where Q_b holds the rows of Q that block
 * b covers, and each block is then corrected on its own by c Q_b^T.  So the
 * first pass accumulates c for every piece (gemm with beta = 1) and the
 * second subtracts it; the result is the one-shot one to rounding (c's
 * terms summed in another grouping).  Memory is a block and the fits,
 * [pieces, rows, 2] values on the provider.
 */
#include "spectral.h"

struct xps_detrend_acc {
    const xp_provider *p;
    xp_dtype dtype;
    int ndim, ax;                   /* the blocks' dims, the samples' axis */
    int64_t shape[XP_MAX_NDIM];     /* a block's shape (shape[ax] unused) */
    int64_t rows;                   /* product of the other dims */
    int64_t n;                      /* the series' length along ax */
    xps_detrend_type type;
    int64_t *edges, nedges;         /* pieces [edges[k], edges[k+1]) */
    xp_array *coef;                 /* [nedges - 1, rows, 2]: c of each piece */
    int64_t fed, applied;           /* samples seen by each pass */
    int broken;                     /* a provider error midway: fits unknown */
};

int xps_detrend_acc_begin(const xp_provider *p, xp_dtype dtype, int ndim,
                          const int64_t *shape, int axis, int64_t n, xps_detrend_type type,
                          const int64_t *bp, int64_t nbp, xps_detrend_acc **out)
{
    const char *fn = "detrend_acc_begin";
    int rc, ax;
    if (!out)
        return xp_error(XP_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!p)
        return xp_error(XP_EINVAL, "%s: provider is NULL", fn);
    if (dtype != XP_FLOAT32 && dtype != XP_FLOAT64 && dtype != XP_COMPLEX64
        && dtype != XP_COMPLEX128)
        return xp_error(XP_EDTYPE, "%s: dtype (%d) must be float32, float64, complex64 or "
                        "complex128", fn, (int)dtype);
    if (ndim < 1 || ndim > XP_MAX_NDIM || !shape)
        return xp_error(XP_ESHAPE, "%s: ndim (%d) must lie in [1, %d] with a shape", fn, ndim,
                        XP_MAX_NDIM);
    if ((rc = xp__axis(fn, axis, ndim, &ax)))
        return rc;
    if (n < 0)
        return xp_error(XP_EINVAL, "%s: n (%lld) must be >= 0", fn, (long long)n);
    int64_t rows = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0)
            return xp_error(XP_ESHAPE, "%s: shape[%d] (%lld) must be >= 0", fn, d,
                            (long long)shape[d]);
        if (d != ax)
            rows *= shape[d];
    }
    xps_detrend_acc *a = xp__malloc(sizeof *a);
    if (!a)
        return xp_error(XP_ENOMEM, "%s: out of memory", fn);
    *a = (xps_detrend_acc){.p = p, .dtype = dtype, .ndim = ndim, .ax = ax, .rows = rows,
                           .n = n, .type = type};
    for (int d = 0; d < ndim; d++)
        a->shape[d] = shape[d];
    rc = xps__detrend_edges(fn, n, axis, type, bp, nbp, &a->edges, &a->nedges);
    if (rc == XP_OK && type != XPS_DETREND_NONE) {
        int64_t cshape[3] = {a->nedges - 1, rows, 2};
        rc = xp_array_zeros(p, dtype, 3, cshape, &a->coef);
    }
    if (rc) {
        xps_detrend_acc_free(a);
        return rc;
    }
    *out = a;
    return XP_OK;
}

void xps_detrend_acc_free(xps_detrend_acc *acc)
{
    if (!acc)
        return;
    xp_array_free(acc->coef);
    xp__free(acc->edges);
    xp__free(acc);
}

/* x is a block of acc's series: its provider, dtype and shape but along
 * the axis, where it has m samples, at most the series' rest from pos. */
static int check_block(const char *fn, const xps_detrend_acc *acc, const xp_array *x,
                       int64_t pos, int64_t *m)
{
    if (!x)
        return xp_error(XP_EINVAL, "%s: x is NULL", fn);
    if (xp_array_provider(x) != acc->p)
        return xp_error(XP_EDEVICE, "%s: x lives on provider '%s', the accumulator on '%s'",
                        fn, xp_provider_name(xp_array_provider(x)), xp_provider_name(acc->p));
    if (xp_array_dtype(x) != acc->dtype)
        return xp_error(XP_EDTYPE, "%s: x is %s, the accumulator was begun with %s", fn,
                        xp_dtype_name(xp_array_dtype(x)), xp_dtype_name(acc->dtype));
    int same = xp_array_ndim(x) == acc->ndim;
    for (int d = 0; same && d < acc->ndim; d++)
        same = d == acc->ax || xp_array_dim(x, d) == acc->shape[d];
    if (!same)
        return xp_error(XP_ESHAPE, "%s: x must have the shape begun with, but along axis %d",
                        fn, acc->ax);
    *m = xp_array_dim(x, acc->ax);
    if (*m > acc->n - pos)
        return xp_error(XP_EINVAL, "%s: a block of %lld samples at %lld passes the series' "
                        "end (n = %lld)", fn, (long long)*m, (long long)pos,
                        (long long)acc->n);
    return XP_OK;
}

/* Refuses an accumulator that a provider error left midway. */
static int check_whole(const char *fn, const xps_detrend_acc *acc)
{
    if (!acc)
        return xp_error(XP_EINVAL, "%s: acc is NULL", fn);
    if (acc->broken)
        return xp_error(XP_EINVAL, "%s: an earlier block failed midway; the fits are lost",
                        fn);
    return XP_OK;
}

/* Basis rows made at a time: a block's whole basis would take four times
 * the block's memory (two float64 columns, then the cast).  At this size
 * detrend.c makes them on the host and uploads them; on 2^25 samples that
 * was faster than making longer ones on the provider (1.4 s against 1.8 s
 * for 2^16 rows a time, on the host provider). */
#define BASIS_ROWS 8192

/* Samples [a, b) of piece k, within the block at pos (W2 [rows, m]): the
 * basis rows there (the constant column alone for a mean) and the piece's
 * c [rows, kq]; then c += W Q (sub == 0) or W -= c Q^T (sub == 1). */
static int piece_part(xps_detrend_acc *acc, const xp_array *W2, int64_t pos, int64_t k,
                      int64_t a, int64_t b, int sub)
{
    int64_t e0 = acc->edges[k], L = acc->edges[k + 1] - e0;
    int64_t kq = acc->type == XPS_DETREND_LINEAR && L > 1 ? 2 : 1;
    int64_t cshape[2] = {acc->rows, kq}, cstr[2] = {2, 1};
    xp_array *W = NULL, *Qk = NULL, *Q = NULL, *c = NULL;
    int rc = xp__view_slice(W2, 1, a - pos, b - a, 1, &W);
    if (rc == XP_OK)
        rc = xps__detrend_basis_rows(acc->p, acc->dtype, L, a - e0, b - a, &Qk);
    if (rc == XP_OK)
        rc = xp__view_slice(Qk, 1, 0, kq, 1, &Q);
    if (rc == XP_OK)
        rc = xp__view(acc->coef, 2, cshape, cstr, k * acc->rows * 2, &c);
    if (rc == XP_OK)
        rc = sub ? xp__gemm('N', 'T', -1, 0, c, Q, 1, 0, W)     /* Q is real: T */
                 : xp__gemm('N', 'N', 1, 0, W, Q, 1, 0, c);
    xp_array_free(W);
    xp_array_free(Qk);
    xp_array_free(Q);
    xp_array_free(c);
    return rc;
}

/* piece_part for every piece that block [pos, pos + m) meets, BASIS_ROWS
 * samples at a time. */
static int each_piece(xps_detrend_acc *acc, const xp_array *W2, int64_t pos, int64_t m,
                      int sub)
{
    int rc = XP_OK;
    for (int64_t k = 0; rc == XP_OK && k + 1 < acc->nedges; k++) {
        int64_t e0 = acc->edges[k], e1 = acc->edges[k + 1];
        int64_t lo = pos > e0 ? pos : e0, hi = pos + m < e1 ? pos + m : e1;
        for (int64_t a = lo; rc == XP_OK && a < hi; a += BASIS_ROWS) {
            int64_t b = hi - a > BASIS_ROWS ? a + BASIS_ROWS : hi;
            rc = piece_part(acc, W2, pos, k, a, b, sub);
        }
    }
    return rc;
}

/* Block x's values (axis ax last) as rows [rows, m] with unit stride
 * along them, in *W2: where y has such rows, a view of y, x copied there
 * first unless y is x; else a contiguous copy of x (*copied set: write it
 * to y with put_back).  Feeding passes y = x. */
static int rows_of_block(const xps_detrend_acc *acc, const xp_array *x, const xp_array *y,
                         int64_t m, xp_array **W2, xp_array **copied)
{
    xp_array *Y2 = NULL, *ym = NULL;
    *W2 = *copied = NULL;
    int rc = xps__rows_only(y, acc->ax, &Y2);
    if (rc)
        return rc;
    if (Y2 && (m <= 1 || xp_array_dltensor(Y2)->strides[1] == 1)) {
        *W2 = Y2;
        return xp__same_view(x, y) ? XP_OK : xp__copy(x, y);
    }
    xp_array_free(Y2);
    int64_t shape2[2] = {acc->rows, m}, strides2[2] = {m, 1};
    rc = xp__view_axis_last(x, acc->ax, &ym);
    if (rc == XP_OK)
        rc = xp_array_astype(ym, acc->dtype, copied);
    if (rc == XP_OK)
        rc = xp__view(*copied, 2, shape2, strides2, 0, W2);
    xp_array_free(ym);
    return rc;
}

static int put_back(const xps_detrend_acc *acc, const xp_array *copied, const xp_array *y)
{
    xp_array *ym = NULL;
    int rc = xp__view_axis_last(y, acc->ax, &ym);
    if (rc == XP_OK)
        rc = xp__copy(copied, ym);
    xp_array_free(ym);
    return rc;
}

int xps_detrend_acc_feed(xps_detrend_acc *acc, const xp_array *x)
{
    const char *fn = "detrend_acc_feed";
    int64_t m = 0;
    int rc = check_whole(fn, acc);
    if (rc)
        return rc;
    if (acc->applied > 0)
        return xp_error(XP_EINVAL, "%s: the second pass (apply) has begun", fn);
    rc = check_block(fn, acc, x, acc->fed, &m);
    if (rc || m == 0 || acc->rows == 0 || acc->type == XPS_DETREND_NONE) {
        if (rc == XP_OK)
            acc->fed += m;
        return rc;
    }
    xp_array *W2 = NULL, *copied = NULL;
    rc = rows_of_block(acc, x, x, m, &W2, &copied);
    if (rc == XP_OK && (rc = each_piece(acc, W2, acc->fed, m, 0)))
        acc->broken = 1;
    xp_array_free(W2);
    xp_array_free(copied);
    if (rc == XP_OK)
        acc->fed += m;
    return rc;
}

int xps_detrend_acc_apply(xps_detrend_acc *acc, const xp_array *x, const xp_array *y)
{
    const char *fn = "detrend_acc_apply";
    int64_t m = 0;
    int rc = check_whole(fn, acc);
    if (rc)
        return rc;
    if (acc->fed != acc->n)
        return xp_error(XP_EINVAL, "%s: the first pass (feed) saw %lld of the series' %lld "
                        "samples", fn, (long long)acc->fed, (long long)acc->n);
    rc = check_block(fn, acc, x, acc->applied, &m);
    if (rc == XP_OK)
        rc = !y ? xp_error(XP_EINVAL, "%s: y is NULL", fn) : xps__check_y(fn, x, y);
    if (rc == XP_OK && m > 0 && acc->rows > 0 && acc->type == XPS_DETREND_NONE
        && !xp__same_view(x, y))
        rc = xp__copy(x, y);
    if (rc || m == 0 || acc->rows == 0 || acc->type == XPS_DETREND_NONE) {
        if (rc == XP_OK)
            acc->applied += m;
        return rc;
    }
    xp_array *W2 = NULL, *copied = NULL;
    rc = rows_of_block(acc, x, y, m, &W2, &copied);
    if (rc == XP_OK)
        rc = each_piece(acc, W2, acc->applied, m, 1);
    if (rc == XP_OK && copied)
        rc = put_back(acc, copied, y);
    xp_array_free(W2);
    xp_array_free(copied);
    if (rc == XP_OK)
        acc->applied += m;
    return rc;
}
