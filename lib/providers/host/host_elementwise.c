/*
 * host_elementwise.c -- fill, unary (copy, casts, |x|^2, ...), binary and
 * affine operations on strided host tensors, and the strided walker that
 * the host kernels share.
 *
 * The walker reduces any N-d iteration to runs along one axis: it drops
 * size-1 axes, orders axes by the output's strides and merges axes that
 * are contiguous in every operand, so a C-ordered array of any shape is a
 * single run.  When an input runs across the output's rows (a transpose)
 * it walks small tiles instead, so both sides stay in cache.  Large walks
 * are split over OpenMP threads by rows, or by blocks of a few long rows.
 * Each kernel is a plain loop over one run with a branch for unit strides
 * that the compiler vectorizes.
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "host.h"

/* ---- the walker ------------------------------------------------------ */

#define PAR_MIN_WORK ((int64_t)1 << 16)   /* below this, one thread */
#define PAR_CHUNK ((int64_t)1 << 15)      /* least work worth a thread */
#define MIN_BLOCK ((int64_t)1024)         /* least work of a block of a row */
/* Tiles for transposing walks: 8 x 8 keeps the lines an across-runs
 * operand touches within one L1 set even at power-of-two strides. */
#define TILE_R ((int64_t)8)               /* runs per tile */
#define TILE_C ((int64_t)8)               /* elements per run */

typedef struct {
    int nd, nops;
    int64_t shape[XP_MAX_NDIM];
    int64_t st[3][XP_MAX_NDIM];
    char *base[3];
    int64_t esize[3];
    int64_t blk, nblk;                 /* runs are blocks of the last axis */
    int tiled;                         /* or tiles of the last two axes: */
    int64_t nrb, ncb;                  /* nrb x ncb of them per outer row */
    xp__host_rowfn fn;
    const void *arg;
} walk_plan;

static _Thread_local int walk_tid;

int xp__host_walk_tid(void)
{
    return walk_tid;
}

/* Items are (row, block) pairs in row-major order; do items [i0, i1) as
 * walker thread tid. */
static void walk_range(const walk_plan *w, int64_t i0, int64_t i1, int tid)
{
    int nd = w->nd, last = nd - 1;
    int64_t idx[XP_MAX_NDIM], off[3] = {0, 0, 0}, s[3];
    int64_t row = i0 / w->nblk, b = i0 % w->nblk, n = w->shape[last];
    walk_tid = tid;
    for (int k = 0; k < w->nops; k++)
        s[k] = w->st[k][last];
    for (int d = last - 1; d >= 0; d--) {
        idx[d] = row % w->shape[d];
        row /= w->shape[d];
        for (int k = 0; k < w->nops; k++)
            off[k] += idx[d] * w->st[k][d];
    }
    for (int64_t i = i0; i < i1; i++) {
        char *p[3];
        int64_t j0 = b * w->blk, len = n - j0 < w->blk ? n - j0 : w->blk;
        for (int k = 0; k < w->nops; k++)
            p[k] = w->base[k] + (off[k] + j0 * s[k]) * w->esize[k];
        w->fn(len, p, s, w->arg);
        if (++b < w->nblk)
            continue;
        b = 0;
        for (int d = last - 1; d >= 0; d--) {     /* odometer over the rows */
            for (int k = 0; k < w->nops; k++)
                off[k] += w->st[k][d];
            if (++idx[d] < w->shape[d])
                break;
            for (int k = 0; k < w->nops; k++)
                off[k] -= w->st[k][d] * w->shape[d];
            idx[d] = 0;
        }
    }
}

static int64_t iabs64(int64_t v)
{
    return v < 0 ? -v : v;
}

/* Items are (outer row, tile row, tile column) in row-major order: a tile
 * is up to TILE_R runs of up to TILE_C elements, so an operand read across
 * the runs touches few cache lines and pages. */
static void walk_tiles(const walk_plan *w, int64_t i0, int64_t i1, int tid)
{
    int nd = w->nd, c = nd - 1, r = nd - 2;
    int64_t s[3];
    walk_tid = tid;
    for (int k = 0; k < w->nops; k++)
        s[k] = w->st[k][c];
    for (int64_t i = i0; i < i1; i++) {
        int64_t cb = i % w->ncb, rb = i / w->ncb % w->nrb, o = i / w->ncb / w->nrb;
        int64_t off[3] = {0, 0, 0};
        for (int d = r - 1; d >= 0; d--) {
            for (int k = 0; k < w->nops; k++)
                off[k] += o % w->shape[d] * w->st[k][d];
            o /= w->shape[d];
        }
        int64_t r0 = rb * TILE_R, r1 = r0 + TILE_R, c0 = cb * TILE_C, len = TILE_C;
        if (r1 > w->shape[r])
            r1 = w->shape[r];
        if (len > w->shape[c] - c0)
            len = w->shape[c] - c0;
        for (int64_t j = r0; j < r1; j++) {
            char *p[3];
            for (int k = 0; k < w->nops; k++)
                p[k] = w->base[k]
                       + (off[k] + j * w->st[k][r] + c0 * s[k]) * w->esize[k];
            w->fn(len, p, s, w->arg);
        }
    }
}

static void walk_items(const walk_plan *w, int64_t i0, int64_t i1, int tid)
{
    if (w->tiled)
        walk_tiles(w, i0, i1, tid);
    else
        walk_range(w, i0, i1, tid);
}

void xp__host_walk(void *ctx, int ndim, const int64_t *shape, int nops,
                   char *const *base, const int64_t *const *strides,
                   const size_t *esize, int64_t cost, xp__host_rowfn fn,
                   const void *arg)
{
    walk_plan w;
    int nd = 0;
    w.nops = nops;
    w.fn = fn;
    w.arg = arg;
    for (int k = 0; k < nops; k++) {
        w.base[k] = base[k];
        w.esize[k] = (int64_t)esize[k];
    }
    /* keep axes of size > 1, ordered by decreasing |stride| of operand 0
     * (insertion sort: stable, ndim <= 16) */
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 0)
            return;
        if (shape[d] == 1)
            continue;
        int j = nd++;
        while (j > 0 && iabs64(w.st[0][j - 1]) < iabs64(strides[0][d])) {
            w.shape[j] = w.shape[j - 1];
            for (int k = 0; k < nops; k++)
                w.st[k][j] = w.st[k][j - 1];
            j--;
        }
        w.shape[j] = shape[d];
        for (int k = 0; k < nops; k++)
            w.st[k][j] = strides[k][d];
    }
    /* merge an axis into the one outside it when contiguous in all */
    int m = 0;
    for (int d = 1; d < nd; d++) {
        int merge = 1;
        for (int k = 0; k < nops; k++)
            if (w.st[k][m] != w.st[k][d] * w.shape[d])
                merge = 0;
        if (merge) {
            w.shape[m] *= w.shape[d];
            for (int k = 0; k < nops; k++)
                w.st[k][m] = w.st[k][d];
        } else {
            m++;
            w.shape[m] = w.shape[d];
            for (int k = 0; k < nops; k++)
                w.st[k][m] = w.st[k][d];
        }
    }
    if (nd == 0) {                   /* a single element */
        w.shape[0] = 1;
        for (int k = 0; k < nops; k++)
            w.st[k][0] = 0;
    }
    w.nd = nd = nd ? m + 1 : 1;

    int64_t n = w.shape[nd - 1], rows = 1;
    for (int d = 0; d < nd - 1; d++)
        rows *= w.shape[d];
    double work = (double)rows * (double)n * (double)(cost > 0 ? cost : 1);
    int nt = 1;
    if (work > (double)PAR_MIN_WORK) {
        double want = work / (double)PAR_CHUNK;
        nt = xp__host_threads(ctx);
        if (want < nt)
            nt = (int)want;
    }
    /* an operand that runs across the output's rows: walk in tiles */
    w.blk = n;
    w.nblk = 1;
    w.tiled = 0;
    for (int k = 1; k < nops && nd >= 2; k++) {
        int64_t across = iabs64(w.st[k][nd - 1]), down = iabs64(w.st[k][nd - 2]);
        if (across > TILE_C && down < across && n >= TILE_C / 2
            && w.shape[nd - 2] >= TILE_R)
            w.tiled = 1;
    }
    int64_t items;
    if (w.tiled) {
        w.nrb = (w.shape[nd - 2] + TILE_R - 1) / TILE_R;
        w.ncb = (n + TILE_C - 1) / TILE_C;
        items = rows / w.shape[nd - 2] * w.nrb * w.ncb;
    } else if (nt > 1 && rows < 4 * (int64_t)nt) {
        /* few long rows: split each into blocks so every thread has work */
        int64_t minlen = cost >= MIN_BLOCK ? 1 : MIN_BLOCK / (cost > 0 ? cost : 1);
        int64_t nblk = (4 * (int64_t)nt + rows - 1) / rows;
        int64_t maxblk = (n + minlen - 1) / minlen;
        if (nblk > maxblk)
            nblk = maxblk;
        if (nblk > 1) {
            w.blk = (n + nblk - 1) / nblk;
            w.nblk = (n + w.blk - 1) / w.blk;
        }
        items = rows * w.nblk;
    } else {
        items = rows;
    }
    if (nt > items)
        nt = (int)items;
    if (nt <= 1) {
        walk_items(&w, 0, items, 0);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
    {
        int64_t t = omp_get_thread_num(), T = omp_get_num_threads();
        walk_items(&w, items * t / T, items * (t + 1) / T, (int)t);
    }
#else
    walk_items(&w, 0, items, 0);
#endif
}

const char *xp__host_shape_str(int ndim, const int64_t *shape, char *buf)
{
    size_t len = 0, cap = XP__HOST_SHAPE_BUF;
    buf[len++] = '[';
    for (int d = 0; d < ndim && d < XP_MAX_NDIM && len < cap; d++)
        len += (size_t)snprintf(buf + len, cap - len, d ? ",%lld" : "%lld",
                                (long long)shape[d]);
    if (len < cap - 1) {
        buf[len++] = ']';
        buf[len] = '\0';
    } else {
        buf[cap - 1] = '\0';
    }
    return buf;
}

/* ---- argument checks ------------------------------------------------- */

static int check_tensor(const char *fn, const char *name, const DLTensor *t,
                        xp_dtype *dt)
{
    if (!t)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, name);
    if (xp__tensor_dtype(t, dt))
        return xp_error(XP_EDTYPE, "%s: %s has DLPack type (code %u, bits %u, "
                        "lanes %u), not one of float32, float64, complex64, "
                        "complex128", fn, name, t->dtype.code, t->dtype.bits,
                        t->dtype.lanes);
    if (t->ndim < 0 || t->ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "%s: %s ndim (%d) must be in 0..%d", fn, name,
                        t->ndim, XP_MAX_NDIM);
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] < 0) {
            char b[XP__HOST_SHAPE_BUF];
            return xp_error(XP_ESHAPE, "%s: %s shape %s has a negative size", fn,
                            name, xp__host_shape_str(t->ndim, t->shape, b));
        }
    return XP_OK;
}

static int check_same_shape(const char *fn, const char *na, const DLTensor *a,
                            const char *nb, const DLTensor *b)
{
    char ba[XP__HOST_SHAPE_BUF], bb[XP__HOST_SHAPE_BUF];
    int same = a->ndim == b->ndim;
    for (int d = 0; same && d < a->ndim; d++)
        same = a->shape[d] == b->shape[d];
    if (same)
        return XP_OK;
    return xp_error(XP_ESHAPE, "%s: %s and %s shapes differ (%s vs %s)", fn, na, nb,
                    xp__host_shape_str(a->ndim, a->shape, ba),
                    xp__host_shape_str(b->ndim, b->shape, bb));
}

/* t's strides, or C-order strides in buf when t has none. */
static const int64_t *strides_of(const DLTensor *t, int64_t *buf)
{
    if (t->strides)
        return t->strides;
    xp__c_strides(t->ndim, t->shape, buf);
    return buf;
}

/* Walk up to three tensors of t[0]'s shape with kernel fn. */
static void walk_tensors(void *ctx, int nops, const DLTensor *const *t,
                         const xp_dtype *dt, xp__host_rowfn fn, const void *arg)
{
    int64_t sbuf[3][XP_MAX_NDIM];
    const int64_t *st[3];
    char *base[3];
    size_t es[3];
    for (int k = 0; k < nops; k++) {
        st[k] = strides_of(t[k], sbuf[k]);
        base[k] = xp__base(t[k]);
        es[k] = xp_dtype_size(dt[k]);
    }
    xp__host_walk(ctx, t[0]->ndim, t[0]->shape, nops, base, st, es, 1, fn, arg);
}

/* ---- kernels ---------------------------------------------------------- *
 * Unit-stride loops are marked omp simd: gcc's -O2 cost model leaves most
 * of them scalar otherwise.  Iterations are independent even in place, as
 * each reads its inputs before it writes the same element.
 */
#ifdef _OPENMP
#define SIMD _Pragma("omp simd")
#else
#define SIMD
#endif

/*
 * Scalars are float or double; a complex element is two of them.  In the
 * bodies Y/O is the output element, X/A/B the inputs; PRE runs once.    */

#define K1(name, TY, CY, TX, CX, PRE, BODY)                                \
    static void name(int64_t n, char *const *p, const int64_t *s,          \
                     const void *arg_)                                     \
    {                                                                      \
        TY *y_ = (TY *)p[0];                                               \
        const TX *x_ = (const TX *)p[1];                                   \
        (void)arg_;                                                        \
        PRE;                                                               \
        if (s[0] == 1 && s[1] == 1) {                                      \
            SIMD for (int64_t i = 0; i < n; i++) {                         \
                TY *Y = y_ + (CY) * i;                                     \
                const TX *X = x_ + (CX) * i;                               \
                BODY;                                                      \
            }                                                              \
        } else {                                                           \
            const int64_t sy = (CY) * s[0], sx = (CX) * s[1];              \
            for (int64_t i = 0; i < n; i++) {                              \
                TY *Y = y_ + sy * i;                                       \
                const TX *X = x_ + sx * i;                                 \
                BODY;                                                      \
            }                                                              \
        }                                                                  \
    }

#define K2(name, T, CA, CB, BODY)                                          \
    static void name(int64_t n, char *const *p, const int64_t *s,          \
                     const void *arg_)                                     \
    {                                                                      \
        T *o_ = (T *)p[0];                                                 \
        const T *a_ = (const T *)p[1], *b_ = (const T *)p[2];              \
        (void)arg_;                                                        \
        if (s[0] == 1 && s[1] == 1 && s[2] == 1) {                         \
            SIMD for (int64_t i = 0; i < n; i++) {                         \
                T *O = o_ + (CA) * i;                                      \
                const T *A = a_ + (CA) * i, *B = b_ + (CB) * i;            \
                BODY;                                                      \
            }                                                              \
        } else if (s[0] == 1 && s[1] == 1 && s[2] == 0) {                  \
            SIMD for (int64_t i = 0; i < n; i++) {                         \
                T *O = o_ + (CA) * i;                                      \
                const T *A = a_ + (CA) * i, *B = b_;                       \
                BODY;                                                      \
            }                                                              \
        } else {                                                           \
            const int64_t so = (CA) * s[0], sa = (CA) * s[1],              \
                          sb = (CB) * s[2];                                \
            for (int64_t i = 0; i < n; i++) {                              \
                T *O = o_ + so * i;                                        \
                const T *A = a_ + sa * i, *B = b_ + sb * i;                \
                BODY;                                                      \
            }                                                              \
        }                                                                  \
    }

/* Fill: arg is double[2] (re, im). */
#define KFILL(name, T, C, BODY)                                            \
    static void name(int64_t n, char *const *p, const int64_t *s,          \
                     const void *arg_)                                     \
    {                                                                      \
        T *y_ = (T *)p[0];                                                 \
        const T re = (T)((const double *)arg_)[0];                         \
        const T im = (T)((const double *)arg_)[1];                         \
        (void)im;                                                          \
        const int64_t sy = (C) * s[0];                                     \
        if (s[0] == 1)                                                     \
            SIMD for (int64_t i = 0; i < n; i++) {                         \
                T *Y = y_ + (C) * i;                                       \
                BODY;                                                      \
            }                                                              \
        else                                                               \
            for (int64_t i = 0; i < n; i++) {                              \
                T *Y = y_ + sy * i;                                        \
                BODY;                                                      \
            }                                                              \
    }

KFILL(fill_f32, float, 1, Y[0] = re)
KFILL(fill_f64, double, 1, Y[0] = re)
KFILL(fill_c64, float, 2, Y[0] = re; Y[1] = im)
KFILL(fill_c128, double, 2, Y[0] = re; Y[1] = im)

static const xp__host_rowfn fill_k[4] = {fill_f32, fill_f64, fill_c64, fill_c128};

/* Same-dtype copies move whole elements; contiguous runs are a memcpy. */
typedef struct {
    uint64_t w[2];
} u128;

#define KCOPY(name, E)                                                     \
    static void name(int64_t n, char *const *p, const int64_t *s,          \
                     const void *arg_)                                     \
    {                                                                      \
        E *y = (E *)p[0];                                                  \
        const E *x = (const E *)p[1];                                      \
        (void)arg_;                                                        \
        if (s[0] == 1 && s[1] == 1) {                                      \
            memcpy(y, x, (size_t)n * sizeof(E));                           \
        } else {                                                           \
            const int64_t sy = s[0], sx = s[1];                            \
            for (int64_t i = 0; i < n; i++)                                \
                y[sy * i] = x[sx * i];                                     \
        }                                                                  \
    }

KCOPY(copy_4, uint32_t)
KCOPY(copy_8, uint64_t)
KCOPY(copy_16, u128)

K1(cast_f32_f64, double, 1, float, 1, , Y[0] = X[0])
K1(cast_f64_f32, float, 1, double, 1, , Y[0] = (float)X[0])
K1(cast_f32_c64, float, 2, float, 1, , Y[0] = X[0]; Y[1] = 0)
K1(cast_f32_c128, double, 2, float, 1, , Y[0] = X[0]; Y[1] = 0)
K1(cast_f64_c64, float, 2, double, 1, , Y[0] = (float)X[0]; Y[1] = 0)
K1(cast_f64_c128, double, 2, double, 1, , Y[0] = X[0]; Y[1] = 0)
K1(cast_c64_c128, double, 2, float, 2, , Y[0] = X[0]; Y[1] = X[1])
K1(cast_c128_c64, float, 2, double, 2, , Y[0] = (float)X[0]; Y[1] = (float)X[1])

/* copy_k[x dtype][y dtype]; NULL: complex -> real, not allowed. */
static const xp__host_rowfn copy_k[4][4] = {
    [XP_FLOAT32] = {copy_4, cast_f32_f64, cast_f32_c64, cast_f32_c128},
    [XP_FLOAT64] = {cast_f64_f32, copy_8, cast_f64_c64, cast_f64_c128},
    [XP_COMPLEX64] = {NULL, NULL, copy_8, cast_c64_c128},
    [XP_COMPLEX128] = {NULL, NULL, cast_c128_c64, copy_16},
};

/* Unary kernels of one precision: T scalar, S libm suffix ("f" or empty),
 * SU the CMPLX suffix, P name suffix.  Real x, then complex x. */
#define UNARY_FAMILY(T, S, SU, P)                                           \
    K1(u_abs2_r##P, T, 1, T, 1, , Y[0] = X[0] * X[0])                       \
    K1(u_abs_r##P, T, 1, T, 1, , Y[0] = fabs##S(X[0]))                      \
    K1(u_sqrt_r##P, T, 1, T, 1, , Y[0] = sqrt##S(X[0]))                     \
    K1(u_angle_r##P, T, 1, T, 1, , Y[0] = atan2##S((T)0, X[0]))             \
    K1(u_imag_r##P, T, 1, T, 1, , Y[0] = 0; (void)X)                                 \
    K1(u_neg_r##P, T, 1, T, 1, , Y[0] = -X[0])                              \
    K1(u_abs2_c##P, T, 1, T, 2, , Y[0] = X[0] * X[0] + X[1] * X[1])         \
    K1(u_abs_c##P, T, 1, T, 2, , Y[0] = hypot##S(X[0], X[1]))               \
    K1(u_sqrt_c##P, T, 2, T, 2, ,                                           \
       T _Complex z = csqrt##S(CMPLX##SU(X[0], X[1]));                      \
       Y[0] = creal##S(z); Y[1] = cimag##S(z))                              \
    K1(u_angle_c##P, T, 1, T, 2, , Y[0] = atan2##S(X[1], X[0]))             \
    K1(u_conj_c##P, T, 2, T, 2, , Y[0] = X[0]; Y[1] = -X[1])                \
    K1(u_real_c##P, T, 1, T, 2, , Y[0] = X[0])                              \
    K1(u_imag_c##P, T, 1, T, 2, , Y[0] = X[1])                              \
    K1(u_neg_c##P, T, 2, T, 2, , Y[0] = -X[0]; Y[1] = -X[1])

UNARY_FAMILY(float, f, F, 32)
UNARY_FAMILY(double, , , 64)

/* unary_k[op][x dtype]; COPY is handled by copy_k. */
static const xp__host_rowfn unary_k[9][4] = {
    [XP_UNARY_ABS2] = {u_abs2_r32, u_abs2_r64, u_abs2_c32, u_abs2_c64},
    [XP_UNARY_ABS] = {u_abs_r32, u_abs_r64, u_abs_c32, u_abs_c64},
    [XP_UNARY_SQRT] = {u_sqrt_r32, u_sqrt_r64, u_sqrt_c32, u_sqrt_c64},
    [XP_UNARY_ANGLE] = {u_angle_r32, u_angle_r64, u_angle_c32, u_angle_c64},
    [XP_UNARY_CONJ] = {copy_4, copy_8, u_conj_c32, u_conj_c64},
    [XP_UNARY_REAL] = {copy_4, copy_8, u_real_c32, u_real_c64},
    [XP_UNARY_IMAG] = {u_imag_r32, u_imag_r64, u_imag_c32, u_imag_c64},
    [XP_UNARY_NEG] = {u_neg_r32, u_neg_r64, u_neg_c32, u_neg_c64},
};

/* Complex division as Smith's method (no spurious overflow); a zero divisor
 * gives the infinities and NaNs of a componentwise division by zero. */
#define CDIV(T, S)                                                         \
    T ar = A[0]; T ai = A[1]; T br = B[0]; T bi = B[1];                    \
    T abr = fabs##S(br); T abi = fabs##S(bi);                              \
    if (abr >= abi) {                                                      \
        if (abr == 0) {                                                    \
            O[0] = ar / abr; O[1] = ai / abr;                              \
        } else {                                                           \
            T r = bi / br; T d = br + bi * r;                              \
            O[0] = (ar + ai * r) / d; O[1] = (ai - ar * r) / d;            \
        }                                                                  \
    } else {                                                               \
        T r = br / bi; T d = bi + br * r;                                  \
        O[0] = (ar * r + ai) / d; O[1] = (ai * r - ar) / d;                \
    }

/* Binary kernels of one precision: _r real, _c complex, _cr complex a with
 * real b.  Inputs are read into locals first: out may alias a. */
#define BINARY_FAMILY(T, S, P)                                              \
    K2(b_add_r##P, T, 1, 1, O[0] = A[0] + B[0])                             \
    K2(b_sub_r##P, T, 1, 1, O[0] = A[0] - B[0])                             \
    K2(b_mul_r##P, T, 1, 1, O[0] = A[0] * B[0])                             \
    K2(b_div_r##P, T, 1, 1, O[0] = A[0] / B[0])                             \
    K2(b_add_c##P, T, 2, 2, T re = A[0] + B[0]; T im = A[1] + B[1];         \
       O[0] = re; O[1] = im)                                                \
    K2(b_sub_c##P, T, 2, 2, T re = A[0] - B[0]; T im = A[1] - B[1];         \
       O[0] = re; O[1] = im)                                                \
    K2(b_mul_c##P, T, 2, 2, T ar = A[0]; T ai = A[1];                       \
       T br = B[0]; T bi = B[1];                                            \
       O[0] = ar * br - ai * bi; O[1] = ar * bi + ai * br)                  \
    K2(b_div_c##P, T, 2, 2, CDIV(T, S))                                     \
    K2(b_mulc_c##P, T, 2, 2, T ar = A[0]; T ai = A[1];                      \
       T br = B[0]; T bi = B[1];                                            \
       O[0] = ar * br + ai * bi; O[1] = ai * br - ar * bi)                  \
    K2(b_add_cr##P, T, 2, 1, T re = A[0] + B[0]; T im = A[1];               \
       O[0] = re; O[1] = im)                                                \
    K2(b_sub_cr##P, T, 2, 1, T re = A[0] - B[0]; T im = A[1];               \
       O[0] = re; O[1] = im)                                                \
    K2(b_mul_cr##P, T, 2, 1, T b = B[0]; T re = A[0] * b; T im = A[1] * b;  \
       O[0] = re; O[1] = im)                                                \
    K2(b_div_cr##P, T, 2, 1, T b = B[0]; T re = A[0] / b; T im = A[1] / b;  \
       O[0] = re; O[1] = im)

BINARY_FAMILY(float, f, 32)
BINARY_FAMILY(double, , 64)

/* binary_k[op][a dtype][b real for complex a] */
static const xp__host_rowfn binary_k[5][4][2] = {
    [XP_BINARY_ADD] = {{b_add_r32}, {b_add_r64}, {b_add_c32, b_add_cr32},
                       {b_add_c64, b_add_cr64}},
    [XP_BINARY_SUB] = {{b_sub_r32}, {b_sub_r64}, {b_sub_c32, b_sub_cr32},
                       {b_sub_c64, b_sub_cr64}},
    [XP_BINARY_MUL] = {{b_mul_r32}, {b_mul_r64}, {b_mul_c32, b_mul_cr32},
                       {b_mul_c64, b_mul_cr64}},
    [XP_BINARY_DIV] = {{b_div_r32}, {b_div_r64}, {b_div_c32, b_div_cr32},
                       {b_div_c64, b_div_cr64}},
    [XP_BINARY_MUL_CONJ] = {{b_mul_r32}, {b_mul_r64}, {b_mulc_c32, b_mul_cr32},
                            {b_mulc_c64, b_mul_cr64}},
};

/* Affine: arg is double[4] (alpha re, im, beta re, im); the arithmetic is
 * in double, rounded once to the output.  A zero beta is left out, not
 * added: y is then numpy's x * alpha to the sign of zero (-0.0 + 0.0
 * would be +0.0), which shows in the angles of SciPy's scaled spectra. */
#define AFF_PRE                                                            \
    const double *P_ = arg_;                                               \
    const double ar = P_[0]; const double ai = P_[1];                      \
    const double br = P_[2]; const double bi = P_[3];                      \
    const int hasb = br != 0 || bi != 0;                                   \
    (void)ai; (void)bi

#define AFF_PLUS(v, b) (hasb ? (v) + (b) : (v))

#define AFFINE_FAMILY(T, P)                                                 \
    K1(aff_r##P, T, 1, T, 1, AFF_PRE, Y[0] = (T)AFF_PLUS(ar * X[0], br))   \
    K1(aff_c##P, T, 2, T, 2, AFF_PRE,                                       \
       double xr = X[0]; double xi = X[1];                                  \
       Y[0] = (T)AFF_PLUS(ar * xr - ai * xi, br);                           \
       Y[1] = (T)AFF_PLUS(ar * xi + ai * xr, bi))                           \
    K1(aff_rc##P, T, 2, T, 1, AFF_PRE,      /* x as x + 0i, as numpy */  \
       double xr = X[0]; Y[0] = (T)AFF_PLUS(ar * xr - ai * 0.0, br);        \
       Y[1] = (T)AFF_PLUS(ar * 0.0 + ai * xr, bi))

AFFINE_FAMILY(float, 32)
AFFINE_FAMILY(double, 64)

/* ---- the operations ---------------------------------------------------- */

int xp__host_fill(void *ctx, const DLTensor *dst, double re, double im)
{
    xp_dtype dt;
    int rc = check_tensor("fill", "dst", dst, &dt);
    if (rc)
        return rc;
    double arg[2] = {re, im};
    const DLTensor *t[1] = {dst};
    walk_tensors(ctx, 1, t, &dt, fill_k[dt], arg);
    return XP_OK;
}

static const char *const unary_names[9] = {
    "copy", "abs2", "abs", "sqrt", "angle", "conj", "real", "imag", "neg"};

int xp__host_unary(void *ctx, xp_unary_op op, const DLTensor *x, const DLTensor *y)
{
    xp_dtype dx, dy;
    int rc;
    if ((unsigned)op > XP_UNARY_NEG)
        return xp_error(XP_EINVAL, "unary: unknown op (%d)", (int)op);
    if ((rc = check_tensor("unary", "x", x, &dx))
        || (rc = check_tensor("unary", "y", y, &dy))
        || (rc = check_same_shape("unary", "x", x, "y", y)))
        return rc;
    xp__host_rowfn fn;
    if (op == XP_UNARY_COPY) {
        fn = copy_k[dx][dy];
        if (!fn)
            return xp_error(XP_EDTYPE, "unary: copy from %s to %s would drop the "
                            "imaginary part", xp_dtype_name(dx), xp_dtype_name(dy));
    } else {
        int to_real = op == XP_UNARY_ABS2 || op == XP_UNARY_ABS
                      || op == XP_UNARY_ANGLE || op == XP_UNARY_REAL
                      || op == XP_UNARY_IMAG;
        xp_dtype want = to_real ? xp_dtype_real(dx) : dx;
        if (dy != want)
            return xp_error(XP_EDTYPE, "unary: %s of %s x needs y of dtype %s (got %s)",
                            unary_names[op], xp_dtype_name(dx), xp_dtype_name(want),
                            xp_dtype_name(dy));
        fn = unary_k[op][dx];
    }
    const DLTensor *t[2] = {y, x};
    xp_dtype d[2] = {dy, dx};
    walk_tensors(ctx, 2, t, d, fn, NULL);
    return XP_OK;
}

static const char *const binary_names[5] = {"add", "sub", "mul", "div", "mul_conj"};

int xp__host_binary(void *ctx, xp_binary_op op, const DLTensor *a,
                    const DLTensor *b, const DLTensor *out)
{
    xp_dtype da, db, dout;
    int rc;
    if ((unsigned)op > XP_BINARY_MUL_CONJ)
        return xp_error(XP_EINVAL, "binary: unknown op (%d)", (int)op);
    if ((rc = check_tensor("binary", "a", a, &da))
        || (rc = check_tensor("binary", "b", b, &db))
        || (rc = check_tensor("binary", "out", out, &dout))
        || (rc = check_same_shape("binary", "a", a, "b", b))
        || (rc = check_same_shape("binary", "a", a, "out", out)))
        return rc;
    int breal = db != da;
    if (breal && !(xp_dtype_is_complex(da) && db == xp_dtype_real(da)))
        return xp_error(XP_EDTYPE, "binary: %s: b dtype (%s) must be a's (%s)%s%s",
                        binary_names[op], xp_dtype_name(db), xp_dtype_name(da),
                        xp_dtype_is_complex(da) ? " or its real dtype " : "",
                        xp_dtype_is_complex(da) ? xp_dtype_name(xp_dtype_real(da)) : "");
    if (dout != da)
        return xp_error(XP_EDTYPE, "binary: %s: out dtype (%s) must be a's (%s)",
                        binary_names[op], xp_dtype_name(dout), xp_dtype_name(da));
    const DLTensor *t[3] = {out, a, b};
    xp_dtype d[3] = {dout, da, db};
    walk_tensors(ctx, 3, t, d, binary_k[op][da][breal], NULL);
    return XP_OK;
}

int xp__host_affine(void *ctx, const DLTensor *x, double alpha_re,
                    double alpha_im, double beta_re, double beta_im,
                    const DLTensor *y)
{
    xp_dtype dx, dy;
    int rc;
    if ((rc = check_tensor("affine", "x", x, &dx))
        || (rc = check_tensor("affine", "y", y, &dy))
        || (rc = check_same_shape("affine", "x", x, "y", y)))
        return rc;
    if (dy != dx && !(xp_dtype_is_complex(dy) && dx == xp_dtype_real(dy)))
        return xp_error(XP_EDTYPE, "affine: y dtype (%s) must be x's (%s)%s",
                        xp_dtype_name(dy), xp_dtype_name(dx),
                        xp_dtype_is_complex(dx) ? "" : " or its complex dtype");
    if (!xp_dtype_is_complex(dy) && (alpha_im != 0 || beta_im != 0))
        return xp_error(XP_EINVAL, "affine: alpha (%g%+gj) and beta (%g%+gj) must be "
                        "real for real y (%s)", alpha_re, alpha_im, beta_re, beta_im,
                        xp_dtype_name(dy));
    xp__host_rowfn fn;
    switch (dy) {
    case XP_FLOAT32:    fn = aff_r32; break;
    case XP_FLOAT64:    fn = aff_r64; break;
    case XP_COMPLEX64:  fn = dx == dy ? aff_c32 : aff_rc32; break;
    default:            fn = dx == dy ? aff_c64 : aff_rc64; break;
    }
    double arg[4] = {alpha_re, alpha_im, beta_re, beta_im};
    const DLTensor *t[2] = {y, x};
    xp_dtype d[2] = {dy, dx};
    walk_tensors(ctx, 2, t, d, fn, arg);
    return XP_OK;
}
