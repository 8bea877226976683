/*
 * filtfilt.c -- zero-phase filtering: forward, then backward over the
 * reversed result, each pass started in steady state on the padded ends
 * (method 'pad'), as SciPy's filtfilt and sosfiltfilt.  The signal is
 * filtered in place in the result (a new array, or the caller's y, which
 * may be x itself), with the padded ends in two small buffers and the
 * filter state carried from piece to piece, so the only memory beyond the
 * result is O(padlen); where the result's rows do not form a 2-D view, one
 * padded copy is filtered instead.  float32 and complex64 input is first
 * converted: the result is float64 or complex128, as SciPy's.
 */
#include "filter.h"

int xps__filtfilt_gust(const double *b, int64_t nb, const double *a, int64_t na,
                       const xp_array *x, const xps_filtfilt_options *opt, const xp_array *y);

/* Columns [lo, lo + n) of the 2-D a rounded to dtype ends and back, when
 * that differs from a's: SciPy pads float32 x in float32 (odd extension
 * 2 x[0] - x[i] rounded there) before filtering in float64. */
static int round_cols(const xp_array *a, int64_t lo, int64_t n, xp_dtype ends)
{
    if (ends == xp_array_dtype(a) || n == 0 || xp_array_dim(a, 0) == 0)
        return XP_OK;
    xp_array *v = NULL, *t = NULL;
    int rc = xp__view_slice(a, 1, lo, n, 1, &v);
    if (rc == XP_OK)
        rc = xp_array_empty(xp_array_provider(a), ends, 2, xp_array_dltensor(v)->shape, &t);
    if (rc == XP_OK)
        rc = xp__copy(v, t);
    if (rc == XP_OK)
        rc = xp__copy(t, v);
    xp_array_free(t);
    xp_array_free(v);
    return rc;
}

/* The moved-axis, contiguous, padded copy E of x: shape [batch..., N + 2 edge]
 * and its 2-D view E2 [R, N + 2 edge]. */
static int padded(const xp_array *x, int ax, int64_t edge, xps_padtype type,
                  xp_dtype ends, xp_array **E, xp_array **E2)
{
    int nd = xp_array_ndim(x);
    int64_t N = xp_array_dim(x, ax), shape[XP_MAX_NDIM];
    xp_array *xm = NULL, *mid = NULL;
    int rc = xp__view_axis_last(x, ax, &xm);
    *E = *E2 = NULL;
    if (rc)
        return rc;
    for (int d = 0; d < nd; d++)
        shape[d] = xp_array_dim(xm, d);
    shape[nd - 1] = N + 2 * edge;
    rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), nd, shape, E);
    if (rc == XP_OK)
        rc = xp__view_slice(*E, nd - 1, edge, N, 1, &mid);
    if (rc == XP_OK)
        rc = xp__copy(xm, mid);
    if (rc == XP_OK) {
        int64_t s2[2] = {xp_array_size(*E) / shape[nd - 1], shape[nd - 1]}, st[2] = {s2[1], 1};
        rc = xp__view(*E, 2, s2, st, 0, E2);
    }
    if (rc == XP_OK)
        rc = xps__pad_ends(*E2, edge, N, type);
    if (rc == XP_OK)
        rc = round_cols(*E2, 0, edge, ends);
    if (rc == XP_OK)
        rc = round_cols(*E2, N + edge, edge, ends);
    xp_array_free(xm);
    xp_array_free(mid);
    if (rc) {
        xp_array_free(*E2);
        xp_array_free(*E);
        *E = *E2 = NULL;
    }
    return rc;
}

/* The result: the middle N columns of E into y (x's shape). */
static int unpad(const xp_array *E, int ax, int64_t edge, const xp_array *y)
{
    xp_array *mid = NULL, *ym = NULL;
    int rc = xp__view_slice(E, xp_array_ndim(E) - 1, edge, xp_array_dim(y, ax), 1, &mid);
    if (rc == XP_OK)
        rc = xp__view_axis_last(y, ax, &ym);
    if (rc == XP_OK)
        rc = xp__copy(mid, ym);
    xp_array_free(mid);
    xp_array_free(ym);
    return rc;
}

/* state [R, ...zshape] = zi (broadcast) * column col of E2 (broadcast) */
static int scaled_state(const xp_array *Z, const xp_array *E2, int64_t col, const xp_array *st)
{
    int nd = xp_array_ndim(st);
    int64_t shape[XP_MAX_NDIM], cstr[XP_MAX_NDIM];
    xp_array *zb = NULL, *c = NULL;
    for (int d = 0; d < nd; d++) {
        shape[d] = xp_array_dim(st, d);
        cstr[d] = 0;
    }
    cstr[0] = xp_array_dltensor(E2)->strides[0];
    int rc = xp__view_broadcast(Z, nd, shape, &zb);
    if (rc == XP_OK)    /* E2[:, col] broadcast over the state's other axes */
        rc = xp__view(E2, nd, shape, cstr, col * xp_array_dltensor(E2)->strides[1], &c);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_MUL, zb, c, st);
    xp_array_free(zb);
    xp_array_free(c);
    return rc;
}

/* Forward then backward pass in place over E2 [R, L]. */
typedef struct {
    const xp_array *B, *A, *S;  /* ba or sos coefficients on the provider */
} coefs;

static int pass(const coefs *c, const xp_array *x, const xp_array *zi)
{
    return c->S ? xp__sosfilt(c->S, x, zi, x, NULL) : xp__lfilter(c->B, c->A, x, zi, x, NULL);
}

/* Filter pieces src[i] [R, *] into dst[i] in order, as one signal (dst
 * may be src: in place): the state goes from zi through s1 and s2 in turn
 * (an op's zf may not be its zi). */
static int chained(const coefs *c, xp_array *const *src, xp_array *const *dst, int n,
                   const xp_array *zi, const xp_array *s1, const xp_array *s2)
{
    const xp_array *cur = zi;
    int rc = XP_OK;
    for (int i = 0; rc == XP_OK && i < n; i++) {
        const xp_array *nxt = i + 1 == n ? NULL : cur == s1 ? s2 : s1;
        if (xp_array_dim(src[i], 1) == 0)
            continue;
        rc = c->S ? xp__sosfilt(c->S, src[i], cur, dst[i], nxt)
                  : xp__lfilter(c->B, c->A, src[i], cur, dst[i], nxt);
        if (nxt)
            cur = nxt;
    }
    return rc;
}

/* Forward over [left, X, right] with X's filtered values into M (X may
 * be M), backward over the reversed [right, M] (the left end's backward
 * pass is never seen): in place but for X. */
static int pieces_both_ways(const coefs *c, const xp_array *Z, const xp_array *left,
                            const xp_array *X, const xp_array *M, const xp_array *right,
                            const xp_array *st, const xp_array *s1, const xp_array *s2)
{
    int64_t edge = xp_array_dim(left, 1);
    const xp_array *first = edge ? left : X, *last = edge ? right : M;
    xp_array *fr = NULL, *fm = NULL;
    xp_array *fsrc[3] = {(xp_array *)left, (xp_array *)X, (xp_array *)right};
    xp_array *fdst[3] = {(xp_array *)left, (xp_array *)M, (xp_array *)right};
    int rc = scaled_state(Z, first, 0, st);
    if (rc == XP_OK)
        rc = chained(c, fsrc, fdst, 3, st, s1, s2);
    if (rc == XP_OK)
        rc = scaled_state(Z, last, xp_array_dim(last, 1) - 1, st);
    if (rc == XP_OK)
        rc = xp__view_flip(right, 1, &fr);
    if (rc == XP_OK)
        rc = xp__view_flip(M, 1, &fm);
    xp_array *bwd[2] = {fr, fm};
    if (rc == XP_OK)
        rc = chained(c, bwd, bwd, 2, st, s1, s2);
    xp_array_free(fr);
    xp_array_free(fm);
    return rc;
}

/* The in-place route: the forward pass reads x's rows and writes y's
 * (x is copied into y first only when its rows do not form a 2-D view),
 * the backward pass runs in y; XP_EUNAVAIL (no message, nothing written)
 * when y's rows do not form a 2-D view, for the caller to take the padded
 * copy instead.  zdims: the state's shape after its rows ([k] or
 * [nsec, 2]). */
static int in_place(const coefs *c, const xp_array *Z, int nz, const int64_t *zdims,
                    const xp_array *x, int ax, int64_t edge, xps_padtype type,
                    xp_dtype ends, const xp_array *y)
{
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    xp_array *M = NULL, *X = NULL, *xm = NULL, *ym = NULL;
    xp_array *L = NULL, *Rr = NULL, *st = NULL, *s1 = NULL, *s2 = NULL;
    int rc = xps__rows_only(y, ax, &M);
    if (rc == XP_OK && !M)
        return XP_EUNAVAIL;
    int64_t R = rc == XP_OK ? xp_array_dim(M, 0) : 0;
    int64_t pshape[2] = {R, edge}, sshape[3] = {R, zdims[0], nz > 1 ? zdims[1] : 0};
    if (rc == XP_OK && !xp__same_view(x, y))
        rc = xps__rows_only(x, ax, &X);
    if (rc == XP_OK && !xp__same_view(x, y) && !X) {
        rc = xp__view_axis_last(x, ax, &xm);
        if (rc == XP_OK)
            rc = xp__view_axis_last(y, ax, &ym);
        if (rc == XP_OK)
            rc = xp__copy(xm, ym);
    }
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 2, pshape, &L);
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 2, pshape, &Rr);
    if (rc == XP_OK)    /* the ends are read before anything is filtered */
        rc = xps__pad_pieces(X ? X : M, L, Rr, type);
    if (rc == XP_OK)
        rc = round_cols(L, 0, edge, ends);
    if (rc == XP_OK)
        rc = round_cols(Rr, 0, edge, ends);
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 1 + nz, sshape, &st);
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 1 + nz, sshape, &s1);
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 1 + nz, sshape, &s2);
    if (rc == XP_OK && R > 0)
        rc = pieces_both_ways(c, Z, L, X ? X : M, M, Rr, st, s1, s2);
    xp_array *tmp[] = {M, X, xm, ym, L, Rr, st, s1, s2};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    return rc;
}

static int both_ways(const coefs *c, const xp_array *Z, const xp_array *E2, const xp_array *st)
{
    int64_t L = xp_array_dim(E2, 1);
    xp_array *rev = NULL;
    int rc = scaled_state(Z, E2, 0, st);
    if (rc == XP_OK)
        rc = pass(c, E2, st);
    if (rc == XP_OK)
        rc = scaled_state(Z, E2, L - 1, st);
    if (rc == XP_OK)
        rc = xp__view_flip(E2, 1, &rev);
    if (rc == XP_OK)
        rc = pass(c, rev, st);
    xp_array_free(rev);
    return rc;
}

/* The filter along ax of x into y: in place in y where its rows allow,
 * else through one padded copy.  Z: the steady-state zi [1, ...zdims]. */
static int forward_backward(const coefs *c, const xp_array *Z, int nz, const int64_t *zdims,
                            const xp_array *x, int ax, int64_t edge, xps_padtype type,
                            xp_dtype ends, const xp_array *y)
{
    int rc = in_place(c, Z, nz, zdims, x, ax, edge, type, ends, y);
    if (rc != XP_EUNAVAIL)
        return rc;
    xp_array *E = NULL, *E2 = NULL, *st = NULL;
    rc = padded(x, ax, edge, type, ends, &E, &E2);
    int64_t sshape[3] = {E2 ? xp_array_dim(E2, 0) : 0, zdims[0], nz > 1 ? zdims[1] : 0};
    if (rc == XP_OK)
        rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), 1 + nz, sshape, &st);
    if (rc == XP_OK && xp_array_size(E2) > 0)
        rc = both_ways(c, Z, E2, st);
    if (rc == XP_OK)
        rc = unpad(E, ax, edge, y);
    xp_array_free(st);
    xp_array_free(E2);
    xp_array_free(E);
    return rc;
}

/* opt checked and copied into *o; *ax: its axis of x. */
static int common_checks(const char *fn, const xp_array *x, const xps_filtfilt_options *opt,
                         xps_filtfilt_options *o, int *ax)
{
    int rc;
    if ((rc = xps__check_filtfilt_options(fn, opt, o)))
        return rc;
    if (!x)
        return xp_error(XP_EINVAL, "%s: x is NULL", fn);
    return xp__axis(fn, o->axis, xp_array_ndim(x), ax);
}

/* A new array of x's shape for the allocating forms, in the result's dtype
 * (float64 or complex128, as SciPy). */
static int new_like(const xp_array *x, xp_array **out)
{
    return xp_array_empty(xp_array_provider(x), xps__filter_dtype(xp_array_dtype(x)),
                          xp_array_ndim(x), xp_array_dltensor(x)->shape, out);
}

/* The allocating forms' end: out to *y on success, freed on failure. */
static int settle(int rc, xp_array *out, xp_array **y)
{
    if (rc)
        xp_array_free(out);
    else
        *y = out;
    return rc;
}

/* filtfilt of checked arguments (x already in y's dtype, its padded ends
 * rounded to dtype ends) into y. */
static int filtfilt_in(const double *b, int64_t nb, const double *a, int64_t na,
                       const xp_array *x, int ax, const xps_filtfilt_options *opt,
                       xp_dtype ends, const xp_array *y)
{
    if (opt->method == XPS_FILTFILT_GUST)
        return xps__filtfilt_gust(b, nb, a, na, x, opt, y);
    int64_t ntaps = nb > na ? nb : na, k = ntaps - 1, edge;
    int rc;
    if ((rc = xps__pad_length("filtfilt", opt, ntaps, xp_array_dim(x, ax), &edge)))
        return rc;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    double *zi = xp__calloc((size_t)(k > 0 ? k : 1), sizeof *zi);
    xp_array *Z = NULL, *B = NULL, *A = NULL;
    if (!zi)
        return xp_error(XP_ENOMEM, "filtfilt: out of memory");
    int64_t zshape[2] = {1, k};
    rc = xps_lfilter_zi(b, nb, a, na, zi);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 2, zshape, zi, &Z);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &nb, b, &B);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &na, a, &A);
    coefs c = {B, A, NULL};
    if (rc == XP_OK)
        rc = forward_backward(&c, Z, 1, &k, x, ax, edge, opt->padtype, ends, y);
    xp_array_free(Z);
    xp_array_free(B);
    xp_array_free(A);
    xp__free(zi);
    return rc;
}

/* filtfilt of checked arguments into y, x first converted to y's dtype. */
static int filtfilt_to(const double *b, int64_t nb, const double *a, int64_t na,
                       const xp_array *x, int ax, const xps_filtfilt_options *opt,
                       const xp_array *y)
{
    const xp_array *xw;
    xp_array *xc;
    int rc = xps__filter_input(x, &xw, &xc);
    if (rc == XP_OK)
        rc = filtfilt_in(b, nb, a, na, xw, ax, opt, xp_array_dtype(x), y);
    xp_array_free(xc);
    return rc;
}

int xps_filtfilt(const double *b, int64_t nb, const double *a, int64_t na, const xp_array *x,
                 const xps_filtfilt_options *opt, xp_array **y)
{
    int rc, ax;
    xps_filtfilt_options o;
    if (!y)
        return xp_error(XP_EINVAL, "filtfilt: y is NULL");
    *y = NULL;
    if ((rc = common_checks("filtfilt", x, opt, &o, &ax))
        || (rc = xps__check_ba("filtfilt", b, nb, a, na)))
        return rc;
    xp_array *out = NULL;
    if ((rc = new_like(x, &out)) == XP_OK)
        rc = filtfilt_to(b, nb, a, na, x, ax, &o, out);
    return settle(rc, out, y);
}

int xps_filtfilt_into(const double *b, int64_t nb, const double *a, int64_t na,
                      const xp_array *x, const xps_filtfilt_options *opt, const xp_array *y)
{
    int rc, ax;
    xps_filtfilt_options o;
    if ((rc = common_checks("filtfilt", x, opt, &o, &ax))
        || (rc = xps__check_ba("filtfilt", b, nb, a, na))
        || (rc = xps__check_y_as("filtfilt", x, y, xps__filter_dtype(xp_array_dtype(x)))))
        return rc;
    return filtfilt_to(b, nb, a, na, x, ax, &o, y);
}

/* sosfiltfilt of checked arguments (x already in y's dtype, its padded
 * ends rounded to dtype ends) into y. */
static int sosfiltfilt_in(const double *sos, int64_t nsec, const xp_array *x, int ax,
                          const xps_filtfilt_options *opt, xp_dtype ends,
                          const xp_array *y)
{
    int rc;
    if (opt->method != XPS_FILTFILT_PAD)
        return xp_error(XP_EINVAL, "sosfiltfilt: method must be pad (SciPy's sosfiltfilt has "
                        "no gust)");
    /* SciPy: 2 nsec + 1 taps, less the sections that are really first order */
    int64_t z2 = 0, z5 = 0, edge;
    for (int64_t s = 0; s < nsec; s++) {
        z2 += sos[6 * s + 2] == 0;
        z5 += sos[6 * s + 5] == 0;
    }
    int64_t ntaps = 2 * nsec + 1 - (z2 < z5 ? z2 : z5);
    if ((rc = xps__pad_length("sosfiltfilt", opt, ntaps, xp_array_dim(x, ax), &edge)))
        return rc;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    double *zi = xp__malloc((size_t)(2 * nsec) * sizeof *zi);
    xp_array *Z = NULL, *S = NULL;
    if (!zi)
        return xp_error(XP_ENOMEM, "sosfiltfilt: out of memory");
    int64_t zshape[3] = {1, nsec, 2}, cshape[2] = {nsec, 6}, zdims[2] = {nsec, 2};
    rc = xps_sosfilt_zi(sos, nsec, zi);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 3, zshape, zi, &Z);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 2, cshape, sos, &S);
    coefs c = {NULL, NULL, S};
    if (rc == XP_OK)
        rc = forward_backward(&c, Z, 2, zdims, x, ax, edge, opt->padtype, ends, y);
    xp_array_free(Z);
    xp_array_free(S);
    xp__free(zi);
    return rc;
}

/* sosfiltfilt of checked arguments into y, x first converted to y's dtype. */
static int sosfiltfilt_to(const double *sos, int64_t nsec, const xp_array *x, int ax,
                          const xps_filtfilt_options *opt, const xp_array *y)
{
    const xp_array *xw;
    xp_array *xc;
    int rc = xps__filter_input(x, &xw, &xc);
    if (rc == XP_OK)
        rc = sosfiltfilt_in(sos, nsec, xw, ax, opt, xp_array_dtype(x), y);
    xp_array_free(xc);
    return rc;
}

int xps_sosfiltfilt(const double *sos, int64_t nsec, const xp_array *x,
                    const xps_filtfilt_options *opt, xp_array **y)
{
    int rc, ax;
    xps_filtfilt_options o;
    if (!y)
        return xp_error(XP_EINVAL, "sosfiltfilt: y is NULL");
    *y = NULL;
    if ((rc = common_checks("sosfiltfilt", x, opt, &o, &ax))
        || (rc = xps__check_sos("sosfiltfilt", sos, nsec, 1)))
        return rc;
    xp_array *out = NULL;
    if ((rc = new_like(x, &out)) == XP_OK)
        rc = sosfiltfilt_to(sos, nsec, x, ax, &o, out);
    return settle(rc, out, y);
}

int xps_sosfiltfilt_into(const double *sos, int64_t nsec, const xp_array *x,
                         const xps_filtfilt_options *opt, const xp_array *y)
{
    int rc, ax;
    xps_filtfilt_options o;
    if ((rc = common_checks("sosfiltfilt", x, opt, &o, &ax))
        || (rc = xps__check_sos("sosfiltfilt", sos, nsec, 1))
        || (rc = xps__check_y_as("sosfiltfilt", x, y,
                                 xps__filter_dtype(xp_array_dtype(x)))))
        return rc;
    return sosfiltfilt_to(sos, nsec, x, ax, &o, y);
}
