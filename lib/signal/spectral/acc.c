/*
 * acc.c -- Welch, CSD and coherence accumulators: constant memory over a
 * stream of any length, mergeable across threads, files and machines.
 *
 * A stream is fed in chunks along the time axis.  Segments that start in
 * one chunk and end in the next are assembled in a small staging buffer
 * from the tail kept from the previous chunk; every other segment is read
 * in place from the chunk.  Sums of |X|^2 (and conj(X) Y, |Y|^2) are kept in
 * float64 whatever the input precision; median averaging keeps each
 * segment's spectrum instead (and so cannot merge).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "spectral.h"

struct xps_spectral_acc {
    xps_acc_kind kind;
    int nin;                    /* inputs per feed: 1 or 2 */
    xps__spec s;
    const xp_provider *p;
    xp_dtype dtype;             /* of the chunks */
    int ndim, axis;
    int64_t shape[XP_MAX_NDIM]; /* a chunk's shape; shape[axis] unused */
    int64_t R;                  /* rows: product of the other axes */
    xps__segfft g[2];
    xp_array *tail[2];          /* [R, 2 nperseg]: samples of unfinished segments */
    xp_array *stage[2];         /* [R, 2 nperseg]: tail + head of the new chunk */
    int64_t tail_len;
    int64_t total, nseg;
    xp_array *sum[3];           /* [R, nfreq]: conj(X)Y or |X|^2; |X|^2; |Y|^2 */
    xp_array *P[3];             /* [cap, nfreq] block scratch, like sum */
    xp_array *red[3];           /* [cap, nfreq] block sums over segments, like sum */
    xp_array *wide[2];          /* [cap, nfreq] complex128 copies of single-precision spectra */
    int fused;                  /* the provider's welch_segments slot does the sums */
    xp_array **store;           /* median: each fed run of segments [R, n, nfreq] */
    int64_t nstore, capstore;
};

static int keeps_segments(const xps_spectral_acc *acc)
{
    return acc->kind != XPS_ACC_COHERENCE && acc->s.average != XPS_AVERAGE_MEAN;
}

/* dtype of the accumulated cross term: real for welch (|X|^2). */
static xp_dtype sum_dtype(const xps_spectral_acc *acc, int k)
{
    return k == 0 && acc->kind != XPS_ACC_WELCH ? XP_COMPLEX128 : XP_FLOAT64;
}

void xps_spectral_acc_free(xps_spectral_acc *acc)
{
    if (!acc)
        return;
    for (int k = 0; k < 2; k++) {
        xps__segfft_clear(&acc->g[k]);
        xp_array_free(acc->tail[k]);
        xp_array_free(acc->stage[k]);
        xp_array_free(acc->wide[k]);
    }
    for (int k = 0; k < 3; k++) {
        xp_array_free(acc->sum[k]);
        xp_array_free(acc->P[k]);
        xp_array_free(acc->red[k]);
    }
    for (int64_t i = 0; i < acc->nstore; i++)
        xp_array_free(acc->store[i]);
    xp__free(acc->store);
    xps__spec_clear(&acc->s);
    xp__free(acc);
}

static const char *kind_name(xps_acc_kind kind)
{
    return kind == XPS_ACC_WELCH ? "welch" : kind == XPS_ACC_CSD ? "csd" : "coherence";
}

int xps__acc_begin(xps_acc_kind kind, const xps_spectral_options *opt,
                   const xp_provider *p, xp_dtype dtype, int ndim,
                   const int64_t *shape, int64_t n, xps_spectral_acc **out)
{
    const char *fn = kind_name(kind);
    int rc, ax;
    *out = NULL;
    if ((unsigned)kind > XPS_ACC_COHERENCE)
        return xp_error(XP_EINVAL, "spectral_acc_begin: kind (%d) is not welch, csd or "
                        "coherence", (int)kind);
    if (!p)
        return xp_error(XP_EINVAL, "%s: provider is NULL", fn);
    if (xp_dtype_size(dtype) == 0)
        return xp_error(XP_EDTYPE, "%s: dtype (%d) is not a valid xp_dtype", fn, (int)dtype);
    xps_spectral_options o;
    if ((rc = xps__check_options(fn, opt, &o)))
        return rc;
    if (kind == XPS_ACC_COHERENCE)      /* it takes no average: as xps_coherence */
        o.average = XPS_AVERAGE_MEAN;
    opt = &o;
    if (ndim < 1 || ndim > XP_MAX_NDIM - 1 || !shape)
        return xp_error(XP_ESHAPE, "%s: chunks need 1 to %d dimensions (got %d)", fn,
                        XP_MAX_NDIM - 1, ndim);
    if ((rc = xp__axis(fn, opt->axis, ndim, &ax)))
        return rc;
    /* rows, counted without overflow (2^59: an array's limit, see xp_array_empty) */
    const int64_t lim = (int64_t)1 << 59;
    int64_t R = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0 || shape[d] > lim)
            return xp_error(XP_ESHAPE, "%s: shape[%d] (%lld) must be in [0, 2^59]", fn, d,
                            (long long)shape[d]);
        if (d != ax && shape[d] && R > lim / shape[d])
            return xp_error(XP_ESHAPE, "%s: the chunks' rows (shape[%d] = %lld and those "
                            "before it) are too many", fn, d, (long long)shape[d]);
        if (d != ax)
            R *= shape[d];
    }
    if (R == 0)         /* as the one-shot estimators: an empty x is an error */
        return xp_error(XP_ESHAPE, "%s: the chunks have no rows (a dimension other than "
                        "axis is 0): x has no elements", fn);
    xps_spectral_acc *acc = xp__calloc(1, sizeof *acc);
    if (!acc)
        return xp_error(XP_ENOMEM, "%s: out of memory", fn);
    acc->kind = kind;
    acc->nin = kind == XPS_ACC_WELCH ? 1 : 2;
    acc->p = p;
    acc->dtype = dtype;
    acc->ndim = ndim;
    acc->axis = ax;
    acc->R = 1;
    for (int d = 0; d < ndim; d++) {
        acc->shape[d] = shape[d];
        if (d != ax)
            acc->R *= shape[d];
    }
    rc = xps__spec_resolve(fn, opt, n, xp_dtype_is_complex(dtype), 2, p, &acc->s);
    if (rc) {
        xp__free(acc);
        return rc;
    }
    const xps__spec *s = &acc->s;
    int64_t cap = xps__block_frames(s->nfft);
    int64_t tshape[2] = {acc->R, 2 * s->nperseg}, bshape[2] = {cap, s->nfreq};
    int single = xp_dtype_real(dtype) == XP_FLOAT32;
    for (int k = 0; rc == XP_OK && k < acc->nin; k++) {
        rc = xps__segfft_init(&acc->g[k], s, p, dtype, cap);
        if (rc == XP_OK)
            rc = xp_array_empty(p, dtype, 2, tshape, &acc->tail[k]);
        if (rc == XP_OK)
            rc = xp_array_empty(p, dtype, 2, tshape, &acc->stage[k]);
        if (rc == XP_OK && single)
            rc = xp_array_empty(p, XP_COMPLEX128, 2, bshape, &acc->wide[k]);
    }
    int nsums = kind == XPS_ACC_COHERENCE ? 3 : 1;
    int64_t sshape[2] = {acc->R, s->nfreq};
    for (int k = 0; rc == XP_OK && k < nsums; k++) {
        rc = xp_array_zeros(p, sum_dtype(acc, k), 2, sshape, &acc->sum[k]);
        if (rc == XP_OK)
            rc = xp_array_empty(p, sum_dtype(acc, k), 2, bshape, &acc->P[k]);
        if (rc == XP_OK)
            rc = xp_array_empty(p, sum_dtype(acc, k), 2, bshape, &acc->red[k]);
    }
    if (rc) {
        xps_spectral_acc_free(acc);
        return rc;
    }
    acc->fused = xp__has_welch_segments(p) && !keeps_segments(acc)
                 && !getenv("XPS_NO_FUSED");
    *out = acc;
    return XP_OK;
}

int xps_spectral_acc_begin(xps_acc_kind kind, const xps_spectral_options *opt,
                           const xp_provider *p, xp_dtype dtype, int ndim,
                           const int64_t *shape, xps_spectral_acc **out)
{
    if (!out)
        return xp_error(XP_EINVAL, "spectral_acc_begin: out is NULL");
    return xps__acc_begin(kind, opt, p, dtype, ndim, shape, -1, out);
}

int64_t xps_spectral_acc_segments(const xps_spectral_acc *acc)
{
    return acc ? acc->nseg : 0;
}

/* acc_serial.c's window into the accumulator (see spectral.h). */
void xps__acc_inspect(const xps_spectral_acc *acc, xps__acc_state *st)
{
    st->kind = acc->kind;
    st->s = &acc->s;
    st->dtype = acc->dtype;
    st->ndim = acc->ndim;
    st->axis = acc->axis;
    st->shape = acc->shape;
    st->R = acc->R;
    st->nseg = acc->nseg;
    st->total = acc->total;
    st->nsums = acc->kind == XPS_ACC_COHERENCE ? 3 : 1;
    st->mergeable = !keeps_segments(acc);
    for (int k = 0; k < 3; k++)
        st->sum[k] = acc->sum[k];
}

void xps__acc_set_counts(xps_spectral_acc *acc, int64_t nseg, int64_t total)
{
    acc->nseg = nseg;
    acc->total = total;
}

/* A C-contiguous [a, b, c] view at the start of buf. */
static int cview(const xp_array *buf, int64_t a, int64_t b, int64_t c, xp_array **out)
{
    int64_t shape[3] = {a, b, c}, strides[3] = {b * c, c, 1};
    return xp__view(buf, 3, shape, strides, 0, out);
}

/* rows [r0, r0+rb) and segments [s0, s0+sb) of a [R, nseg, L] view */
static int sub3(const xp_array *a, int64_t r0, int64_t rb, int64_t s0, int64_t sb,
                xp_array **out)
{
    xp_array *t = NULL;
    int rc = xp__view_slice(a, 0, r0, rb, 1, &t);
    if (rc == XP_OK)
        rc = xp__view_slice(t, 1, s0, sb, 1, out);
    xp_array_free(t);
    return rc;
}

/* Spectra of one block, widened to complex128 for single precision. */
static int block_spectrum(xps_spectral_acc *acc, int k, const xp_array *frames,
                          xp_array **X)
{
    xp_array *S = NULL;
    int rc = xps__segfft_run(&acc->g[k], frames, &S);
    if (rc || !acc->wide[k]) {
        *X = S;
        return rc;
    }
    rc = cview(acc->wide[k], xp_array_dim(S, 0), xp_array_dim(S, 1), acc->s.nfreq, X);
    if (rc == XP_OK)
        rc = xp__copy(S, *X);
    xp_array_free(S);
    return rc;
}

/* sum[k][r0 : r0+rb] += P.sum(axis=1) for a block P [rb, sb, nfreq]. */
static int add_rows(xps_spectral_acc *acc, int k, const xp_array *P, int64_t r0, int64_t rb)
{
    int64_t nf = acc->s.nfreq;
    int64_t shape[3] = {rb, 1, nf}, strides[3] = {nf, nf, 1};
    xp_array *red = NULL, *sum = NULL;
    int rc = xp__view(acc->red[k], 3, shape, strides, 0, &red);
    if (rc == XP_OK)
        rc = xp__reduce(XP_REDUCE_SUM, P, 1, red);
    if (rc == XP_OK)
        rc = xp__view(acc->sum[k], 3, shape, strides, r0 * nf, &sum);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_ADD, sum, red, sum);
    xp_array_free(red);
    xp_array_free(sum);
    return rc;
}

/* Accumulate nfr frames of each input: F[k] are [R, nfr, nperseg] views. */
static int process_frames(xps_spectral_acc *acc, xp_array *const *F, int64_t nfr)
{
    const xps__spec *s = &acc->s;
    int64_t R = acc->R, cap = acc->g[0].cap;
    int64_t Rb = R < cap ? R : cap, Sb = cap / Rb;
    xp_array *store = NULL;
    int rc = XP_OK;
    if (nfr <= 0)
        return XP_OK;
    if (keeps_segments(acc)) {
        int64_t shape[3] = {R, nfr, s->nfreq};
        if (acc->nstore == acc->capstore) {
            int64_t c = acc->capstore ? 2 * acc->capstore : 8;
            xp_array **more = xp__malloc((size_t)c * sizeof *more);
            if (!more)
                return xp_error(XP_ENOMEM, "%s: out of memory", s->fn);
            if (acc->nstore)
                memcpy(more, acc->store, (size_t)acc->nstore * sizeof *more);
            xp__free(acc->store);
            acc->store = more;
            acc->capstore = c;
        }
        if ((rc = xp_array_empty(acc->p, sum_dtype(acc, 0), 3, shape, &store)))
            return rc;
    }
    for (int64_t r0 = 0; rc == XP_OK && r0 < R; r0 += Rb) {
        int64_t rb = R - r0 < Rb ? R - r0 : Rb;
        for (int64_t s0 = 0; rc == XP_OK && s0 < nfr; s0 += Sb) {
            int64_t sb = nfr - s0 < Sb ? nfr - s0 : Sb;
            xp_array *f[2] = {NULL, NULL}, *X[2] = {NULL, NULL}, *P[3] = {NULL, NULL, NULL};
            xp_array *dst = NULL;
            for (int k = 0; rc == XP_OK && k < acc->nin; k++) {
                rc = sub3(F[k], r0, rb, s0, sb, &f[k]);
                if (rc == XP_OK)
                    rc = block_spectrum(acc, k, f[k], &X[k]);
            }
            int nsums = acc->kind == XPS_ACC_COHERENCE ? 3 : 1;
            for (int k = 0; rc == XP_OK && k < nsums; k++)
                rc = cview(acc->P[k], rb, sb, s->nfreq, &P[k]);
            if (rc == XP_OK) {
                if (acc->kind == XPS_ACC_WELCH)
                    rc = xp__unary(XP_UNARY_ABS2, X[0], P[0]);
                else    /* SciPy's csd is conj(X) Y */
                    rc = xp__binary(XP_BINARY_MUL_CONJ, X[1], X[0], P[0]);
            }
            if (rc == XP_OK && acc->kind == XPS_ACC_COHERENCE) {
                rc = xp__unary(XP_UNARY_ABS2, X[0], P[1]);
                if (rc == XP_OK)
                    rc = xp__unary(XP_UNARY_ABS2, X[1], P[2]);
            }
            if (rc == XP_OK && store) {
                rc = sub3(store, r0, rb, s0, sb, &dst);
                if (rc == XP_OK)
                    rc = xp__copy(P[0], dst);
            }
            for (int k = 0; rc == XP_OK && !store && k < nsums; k++)
                rc = add_rows(acc, k, P[k], r0, rb);
            xp_array_free(dst);
            for (int k = 0; k < 2; k++) {
                xp_array_free(f[k]);
                xp_array_free(X[k]);
            }
            for (int k = 0; k < 3; k++)
                xp_array_free(P[k]);
        }
    }
    if (rc) {
        xp_array_free(store);
        return rc;
    }
    if (store)
        acc->store[acc->nstore++] = store;
    acc->nseg += nfr;
    return XP_OK;
}

/* cols [c0, c0+n) of a 2-D view */
static int cols(const xp_array *a, int64_t c0, int64_t n, xp_array **out)
{
    return xp__view_slice(a, 1, c0, n, 1, out);
}

/* The provider's fused Welch loop over nfr frames from column o. */
static int fused_frames(xps_spectral_acc *acc, xp_array *const *A, int64_t o, int64_t span,
                        int64_t nfr)
{
    const xps__spec *s = &acc->s;
    xp_welch_desc d = {sizeof d, s->nperseg, s->step, nfr, s->nfft, (int)s->detrend,
                       s->onesided};
    xp_array *v[2] = {NULL, NULL};
    int rc = XP_OK;
    for (int k = 0; rc == XP_OK && k < acc->nin; k++)
        rc = cols(A[k], o, span, &v[k]);
    if (rc == XP_OK)
        rc = xp__welch_segments(&d, v[0], v[1], acc->g[0].window, acc->sum[0], acc->sum[1],
                                acc->sum[2]);
    if (rc == XP_OK)
        acc->nseg += nfr;
    xp_array_free(v[0]);
    xp_array_free(v[1]);
    return rc;
}

/* Frames of the 2-D views A[k] starting at column o: process nfr of them. */
static int frames_at(xps_spectral_acc *acc, xp_array *const *A, int64_t o, int64_t nfr)
{
    xp_array *F[2] = {NULL, NULL}, *tmp = NULL;
    int rc = XP_OK;
    if (nfr <= 0)
        return XP_OK;
    int64_t span = (nfr - 1) * acc->s.step + acc->s.nperseg;
    if (acc->fused)
        return fused_frames(acc, A, o, span, nfr);
    for (int k = 0; rc == XP_OK && k < acc->nin; k++) {
        rc = cols(A[k], o, span, &tmp);
        if (rc == XP_OK)
            rc = xp__view_frames(tmp, acc->s.nperseg, acc->s.step, nfr, &F[k]);
        xp_array_free(tmp);
        tmp = NULL;
    }
    if (rc == XP_OK)
        rc = process_frames(acc, F, nfr);
    xp_array_free(F[0]);
    xp_array_free(F[1]);
    return rc;
}

/* dst[:, d0 : d0+n] = src[:, s0 : s0+n] for each input */
static int copy_cols(xp_array *const *dst, int64_t d0, xp_array *const *src, int64_t s0,
                     int64_t n, int nin)
{
    int rc = XP_OK;
    for (int k = 0; rc == XP_OK && n > 0 && k < nin; k++) {
        xp_array *d = NULL, *s = NULL;
        rc = cols(dst[k], d0, n, &d);
        if (rc == XP_OK)
            rc = cols(src[k], s0, n, &s);
        if (rc == XP_OK)
            rc = xp__copy(s, d);
        xp_array_free(d);
        xp_array_free(s);
    }
    return rc;
}

/* Feed m samples of each input given as 2-D [R, m] views. */
static int feed_rows(xps_spectral_acc *acc, xp_array *const *A, int64_t m)
{
    const int64_t L = acc->s.nperseg, step = acc->s.step;
    int64_t next = 0;   /* offset in this chunk where the next segment starts */
    int rc = XP_OK;
    if (acc->tail_len > 0) {
        /* segments starting in the tail: complete them with the chunk's head */
        int64_t t = acc->tail_len, c = m < L ? m : L, Ls = t + c;
        if ((rc = copy_cols(acc->tail, t, A, 0, c, acc->nin)))
            return rc;
        int64_t starts = (t - 1) / step + 1, fit = Ls >= L ? (Ls - L) / step + 1 : 0;
        int64_t ks = starts < fit ? starts : fit;
        if ((rc = frames_at(acc, acc->tail, 0, ks)))
            return rc;
        if (ks < starts) {
            /* the chunk ran out first: keep what the next segment needs */
            rc = copy_cols(acc->stage, 0, acc->tail, ks * step, Ls - ks * step, acc->nin);
            if (rc)
                return rc;
            for (int k = 0; k < acc->nin; k++) {
                xp_array *swap = acc->tail[k];
                acc->tail[k] = acc->stage[k];
                acc->stage[k] = swap;
            }
            acc->tail_len = Ls - ks * step;
            acc->total += m;
            return XP_OK;
        }
        next = ks * step - t;
        acc->tail_len = 0;
    }
    int64_t nfr = next + L <= m ? (m - next - L) / step + 1 : 0;
    if ((rc = frames_at(acc, A, next, nfr)))
        return rc;
    next += nfr * step;
    if (next < m) {
        if ((rc = copy_cols(acc->tail, 0, A, next, m - next, acc->nin)))
            return rc;
        acc->tail_len = m - next;
    }
    acc->total += m;
    return XP_OK;
}

static int check_chunk(const xps_spectral_acc *acc, const char *name, const xp_array *x)
{
    const char *fn = acc->s.fn;
    if (!x)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, name);
    if (xp_array_provider(x) != acc->p)
        return xp_error(XP_EDEVICE, "%s: %s lives on provider '%s', the accumulator on '%s'",
                        fn, name, xp_provider_name(xp_array_provider(x)),
                        xp_provider_name(acc->p));
    if (xp_array_dtype(x) != acc->dtype)
        return xp_error(XP_EDTYPE, "%s: %s has dtype %s, the accumulator %s", fn, name,
                        xp_dtype_name(xp_array_dtype(x)), xp_dtype_name(acc->dtype));
    if (xp_array_ndim(x) != acc->ndim)
        return xp_error(XP_ESHAPE, "%s: %s has %d dimensions, the accumulator %d", fn, name,
                        xp_array_ndim(x), acc->ndim);
    for (int d = 0; d < acc->ndim; d++)
        if (d != acc->axis && xp_array_dim(x, d) != acc->shape[d])
            return xp_error(XP_ESHAPE, "%s: %s has %lld along axis %d, the accumulator %lld",
                            fn, name, (long long)xp_array_dim(x, d), d,
                            (long long)acc->shape[d]);
    return XP_OK;
}

int xps_spectral_acc_feed(xps_spectral_acc *acc, const xp_array *x, const xp_array *y)
{
    int rc;
    if (!acc)
        return xp_error(XP_EINVAL, "spectral_acc_feed: accumulator is NULL");
    if ((rc = check_chunk(acc, "x", x)))
        return rc;
    if (acc->nin == 2 && (rc = check_chunk(acc, "y", y)))
        return rc;
    if (acc->nin == 1 && y)
        return xp_error(XP_EINVAL, "%s: y must be NULL for a welch accumulator", acc->s.fn);
    int64_t m = xp_array_dim(x, acc->axis);
    if (acc->nin == 2 && xp_array_dim(y, acc->axis) != m)
        return xp_error(XP_ESHAPE, "%s: x and y chunks differ in length (%lld and %lld)",
                        acc->s.fn, (long long)m, (long long)xp_array_dim(y, acc->axis));
    if (m == 0 || acc->R == 0)
        return XP_OK;
    xp_array *A[2] = {NULL, NULL}, *copy[2] = {NULL, NULL};
    const xp_array *in[2] = {x, y};
    rc = XP_OK;
    for (int k = 0; rc == XP_OK && k < acc->nin; k++)
        rc = xps__rows_view(in[k], acc->axis, &A[k], &copy[k]);
    if (rc == XP_OK)
        rc = feed_rows(acc, A, m);
    for (int k = 0; k < 2; k++) {
        xp_array_free(A[k]);
        xp_array_free(copy[k]);
    }
    return rc;
}

static int same_setup(const xps_spectral_acc *a, const xps_spectral_acc *b)
{
    const xps__spec *s = &a->s, *t = &b->s;
    if (a->kind != b->kind || a->dtype != b->dtype || a->p != b->p || a->R != b->R
        || a->axis != b->axis || a->ndim != b->ndim || s->fs != t->fs
        || s->nperseg != t->nperseg || s->noverlap != t->noverlap || s->nfft != t->nfft
        || s->onesided != t->onesided || s->detrend != t->detrend
        || s->scaling != t->scaling || s->average != t->average
        || s->float32_output != t->float32_output)
        return 0;
    for (int d = 0; d < a->ndim; d++)
        if (d != a->axis && a->shape[d] != b->shape[d])
            return 0;
    return memcmp(s->win, t->win, (size_t)s->nperseg * sizeof *s->win) == 0;
}

int xps_spectral_acc_merge(xps_spectral_acc *into, const xps_spectral_acc *from)
{
    if (!into || !from)
        return xp_error(XP_EINVAL, "spectral_acc_merge: accumulator is NULL");
    const char *fn = into->s.fn;
    if (keeps_segments(into) || keeps_segments(from))
        return xp_error(XP_EINVAL, "%s: average '%s' cannot be merged: a median needs every "
                        "segment at once (use average 'mean')", fn,
                        into->s.average == XPS_AVERAGE_MEDIAN ? "median" : "median-mean");
    if (!same_setup(into, from))
        return xp_error(XP_EINVAL, "%s: accumulators differ in kind, options, dtype, "
                        "provider or shape and cannot be merged", fn);
    int nsums = into->kind == XPS_ACC_COHERENCE ? 3 : 1;
    for (int k = 0; k < nsums; k++) {
        int rc = xp__binary(XP_BINARY_ADD, into->sum[k], from->sum[k], into->sum[k]);
        if (rc)
            return rc;
    }
    into->nseg += from->nseg;
    into->total += from->total;
    return XP_OK;
}

/* All kept segment spectra as one [R, nseg, nfreq] array. */
static int gather_store(xps_spectral_acc *acc, xp_array **all)
{
    int64_t shape[3] = {acc->R, acc->nseg, acc->s.nfreq};
    int rc = xp_array_empty(acc->p, sum_dtype(acc, 0), 3, shape, all);
    for (int64_t i = 0, s0 = 0; rc == XP_OK && i < acc->nstore; i++) {
        int64_t n = xp_array_dim(acc->store[i], 1);
        xp_array *dst = NULL;
        rc = xp__view_slice(*all, 1, s0, n, 1, &dst);
        if (rc == XP_OK)
            rc = xp__copy(acc->store[i], dst);
        xp_array_free(dst);
        s0 += n;
    }
    if (rc) {
        xp_array_free(*all);
        *all = NULL;
    }
    return rc;
}

/* LAL's XLALMedianBias, used by LIGO's median-mean (LAL and PyCBC): SciPy's
 * series below 1000 values, its limit log 2 from there on (SciPy's median
 * keeps summing; the two differ by 7e-4 at 1000). */
static double lal_median_bias(int64_t n)
{
    return n >= 1000 ? 0.69314718055994530942 : xps__median_bias(n);
}

/* res [R, 1, nfreq] = median over segments [start::2 or ::1]; *bias_out its
 * bias, SciPy's or (lal) LAL's */
static int median_of(const xp_array *all, int64_t start, int64_t step, int lal,
                     const xp_array *res, double *bias_out)
{
    int64_t n = (xp_array_dim(all, 1) - start + step - 1) / step;
    xp_array *v = NULL;
    int rc = xp__view_slice(all, 1, start, n, step, &v);
    if (rc == XP_OK)
        rc = xp__reduce(XP_REDUCE_MEDIAN, v, 1, res);
    xp_array_free(v);
    *bias_out = lal ? lal_median_bias(n) : xps__median_bias(n);
    return rc;
}

/* The averaged, scaled [R, nfreq] result of a welch or csd accumulator. */
static int average(xps_spectral_acc *acc, const xp_array *res)
{
    const xps__spec *s = &acc->s;
    double scale = xps__spec_scale(s);
    int64_t rshape[3] = {acc->R, 1, s->nfreq}, rstr[3] = {s->nfreq, s->nfreq, 1};
    xp_array *r3 = NULL, *all = NULL, *odd = NULL;
    int rc;
    if (s->average == XPS_AVERAGE_MEAN)
        return xp__affine(acc->sum[0], scale / (double)acc->nseg, 0, 0, 0, res);
    if (s->average == XPS_AVERAGE_MEDIAN_MEAN && acc->nseg < 2)
        return xp_error(XP_EINVAL, "%s: average 'median-mean' needs at least 2 segments "
                        "(got %lld)", s->fn, (long long)acc->nseg);
    double b0, b1;
    rc = gather_store(acc, &all);
    if (rc == XP_OK)
        rc = xp__view(res, 3, rshape, rstr, 0, &r3);
    if (rc == XP_OK && s->average == XPS_AVERAGE_MEDIAN) {
        rc = median_of(all, 0, 1, 0, r3, &b0);
        if (rc == XP_OK)
            rc = xp__affine(res, scale / b0, 0, 0, 0, res);
    } else if (rc == XP_OK) {
        /* LIGO's median-mean: the medians of the even- and of the
         * odd-numbered segments, each bias-corrected, averaged */
        rc = xp_array_empty(acc->p, sum_dtype(acc, 0), 3, rshape, &odd);
        if (rc == XP_OK)
            rc = median_of(all, 0, 2, 1, r3, &b0);
        if (rc == XP_OK)
            rc = median_of(all, 1, 2, 1, odd, &b1);
        if (rc == XP_OK)
            rc = xp__affine(r3, scale / (2 * b0), 0, 0, 0, r3);
        if (rc == XP_OK)
            rc = xp__affine(odd, scale / (2 * b1), 0, 0, 0, odd);
        if (rc == XP_OK)
            rc = xp__binary(XP_BINARY_ADD, r3, odd, r3);
    }
    xp_array_free(r3);
    xp_array_free(all);
    xp_array_free(odd);
    return rc;
}

/* One-sided PSDs count the negative frequencies twice: all bins but DC
 * and (for even nfft) Nyquist. */
static int double_one_sided(const xps__spec *s, const xp_array *res)
{
    int64_t n = s->nfft % 2 ? s->nfreq - 1 : s->nfreq - 2;
    xp_array *v = NULL;
    if (!s->onesided || n <= 0)
        return XP_OK;
    int rc = xp__view_slice(res, 1, 1, n, 1, &v);
    if (rc == XP_OK)
        rc = xp__affine(v, 2, 0, 0, 0, v);
    xp_array_free(v);
    return rc;
}

/* Coherence |Sxy|^2 / (Sxx Syy): scale, count and doubling cancel. */
static int coherence_of(xps_spectral_acc *acc, const xp_array *res)
{
    int rc = xp__unary(XP_UNARY_ABS2, acc->sum[0], res);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_DIV, res, acc->sum[1], res);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_DIV, res, acc->sum[2], res);
    return rc;
}

/* Copy the [R, nfreq] result into a new array of the chunks' shape with the
 * axis replaced by nfreq, in the caller's dtype. */
static int shape_result(const xps_spectral_acc *acc, const xp_array *res, xp_array **out)
{
    int64_t shape[XP_MAX_NDIM];
    xp_dtype dt = xp_array_dtype(res);
    if (acc->s.float32_output && xp_dtype_real(acc->dtype) == XP_FLOAT32)
        dt = xp_dtype_is_complex(dt) ? XP_COMPLEX64 : XP_FLOAT32;
    xps__replace_axis(acc->ndim, acc->shape, acc->axis, acc->s.nfreq, shape);
    xp_array *moved = NULL, *src = NULL;
    int64_t mshape[XP_MAX_NDIM], mstr[XP_MAX_NDIM];
    int rc = xp_array_empty(acc->p, dt, acc->ndim, shape, out);
    if (rc == XP_OK)
        rc = xp__view_axis_last(*out, acc->axis, &moved);
    if (rc == XP_OK) {
        /* res is C-contiguous [R, nfreq]: view it with the moved shape */
        for (int d = 0; d < acc->ndim; d++)
            mshape[d] = xp_array_dim(moved, d);
        xp__c_strides(acc->ndim, mshape, mstr);
        rc = xp__view(res, acc->ndim, mshape, mstr, 0, &src);
    }
    if (rc == XP_OK)
        rc = xp__copy(src, moved);
    xp_array_free(moved);
    xp_array_free(src);
    if (rc) {
        xp_array_free(*out);
        *out = NULL;
    }
    return rc;
}

int xps_spectral_acc_end(xps_spectral_acc *acc, xp_array **f, xp_array **out)
{
    int rc;
    if (!acc || !out)
        return xp_error(XP_EINVAL, "spectral_acc_end: %s is NULL", acc ? "out" : "accumulator");
    *out = NULL;
    if (f)
        *f = NULL;
    const xps__spec *s = &acc->s;
    if (acc->nseg == 0)
        return xp_error(XP_EINVAL, "%s: no complete segment: %lld samples are fewer than "
                        "nperseg (%lld)", s->fn, (long long)acc->total,
                        (long long)s->nperseg);
    int64_t rshape[2] = {acc->R, s->nfreq};
    xp_dtype rdt = acc->kind == XPS_ACC_CSD ? XP_COMPLEX128 : XP_FLOAT64;
    xp_array *res = NULL;
    rc = xp_array_empty(acc->p, rdt, 2, rshape, &res);
    if (rc == XP_OK && acc->kind == XPS_ACC_COHERENCE) {
        rc = coherence_of(acc, res);
    } else if (rc == XP_OK) {
        rc = average(acc, res);
        if (rc == XP_OK)
            rc = double_one_sided(s, res);
    }
    if (rc == XP_OK)
        rc = shape_result(acc, res, out);
    if (rc == XP_OK && f && (rc = xps__freqs(acc->p, s->nfft, s->fs, s->onesided, f))) {
        xp_array_free(*out);
        *out = NULL;
    }
    xp_array_free(res);
    return rc;
}
