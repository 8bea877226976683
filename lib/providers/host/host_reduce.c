/*
 * host_reduce.c -- sum, mean and median along one axis.
 *
 * The walker visits every output position (x's shape without the axis);
 * each run then reduces its elements along the axis.  When the axis is the
 * long-stride one (averaging segments of a spectrogram) the run adds whole
 * rows into a block of accumulators, so memory is read in order; otherwise
 * each element sums its own line pairwise, as numpy does.  Sums are kept in
 * double for every dtype.  Medians copy each line to scratch (one slice per
 * thread) and use quickselect.
 */
#include <math.h>
#include "host.h"

typedef struct {
    int op;             /* xp_reduce_op */
    int64_t n;          /* length of the axis */
    int64_t xa;         /* x's stride along the axis, in elements */
    double *scratch;    /* median: n doubles per walker thread */
} red_arg;

#define RB 2048         /* accumulators (16 KiB) when adding rows */

#ifdef _OPENMP
#define SIMD _Pragma("omp simd")    /* see host_elementwise.c */
#else
#define SIMD
#endif

static int64_t iabs64(int64_t v)
{
    return v < 0 ? -v : v;
}

/* Pairwise sum of x[0], x[st], ..., x[(n-1) st]: error grows as log n. */
#define PAIRWISE(T, P)                                                      \
    static double pairwise##P(const T *x, int64_t n, int64_t st)            \
    {                                                                       \
        if (n < 8) {                                                        \
            double s = 0;                                                   \
            for (int64_t i = 0; i < n; i++)                                 \
                s += x[i * st];                                             \
            return s;                                                       \
        }                                                                   \
        if (n > 128) {                                                      \
            int64_t h = n / 2;                                              \
            h -= h % 8;                                                     \
            return pairwise##P(x, h, st) + pairwise##P(x + h * st, n - h, st); \
        }                                                                   \
        double r[8];                                                        \
        int64_t i, n8 = n - n % 8;                                          \
        for (int q = 0; q < 8; q++)                                         \
            r[q] = x[q * st];                                               \
        for (i = 8; i < n8; i += 8)                                         \
            for (int q = 0; q < 8; q++)                                     \
                r[q] += x[(i + q) * st];                                    \
        double s = ((r[0] + r[1]) + (r[2] + r[3]))                          \
                   + ((r[4] + r[5]) + (r[6] + r[7]));                       \
        for (; i < n; i++)                                                  \
            s += x[i * st];                                                 \
        return s;                                                           \
    }

PAIRWISE(float, 32)
PAIRWISE(double, 64)

/* Sum or mean kernels: T scalar, C scalars per element (1 or 2). */
#define SUM_KERNEL(name, T, C, PW)                                          \
    static void name(int64_t m, char *const *p, const int64_t *s,           \
                     const void *arg_)                                      \
    {                                                                       \
        const red_arg *r = arg_;                                            \
        T *y = (T *)p[0];                                                   \
        const T *x = (const T *)p[1];                                       \
        const int64_t n = r->n, xa = (C) * r->xa;                           \
        const int64_t sy = (C) * s[0], sx = (C) * s[1];                     \
        const double div = r->op == XP_REDUCE_MEAN ? (double)n : 1.0;       \
        if (m == 1 || iabs64(r->xa) <= iabs64(s[1])) {                      \
            for (int64_t j = 0; j < m; j++)                                 \
                for (int c = 0; c < (C); c++)                               \
                    y[j * sy + c] = (T)(PW(x + j * sx + c, n, xa) / div);   \
            return;                                                         \
        }                                                                   \
        double acc[RB];                                                     \
        for (int64_t j0 = 0; j0 < m; j0 += RB / (C)) {                      \
            const int64_t jn = m - j0 < RB / (C) ? m - j0 : RB / (C);       \
            for (int64_t q = 0; q < jn * (C); q++)                          \
                acc[q] = 0;                                                 \
            for (int64_t k = 0; k < n; k++) {                               \
                const T *xk = x + k * xa + j0 * sx;                         \
                if (sx == (C))                                              \
                    SIMD for (int64_t q = 0; q < jn * (C); q++)             \
                        acc[q] += xk[q];                                    \
                else                                                        \
                    for (int64_t j = 0; j < jn; j++)                        \
                        for (int c = 0; c < (C); c++)                       \
                            acc[j * (C) + c] += xk[j * sx + c];             \
            }                                                               \
            for (int64_t j = 0; j < jn; j++)                                \
                for (int c = 0; c < (C); c++)                               \
                    y[(j0 + j) * sy + c] = (T)(acc[j * (C) + c] / div);     \
        }                                                                   \
    }

SUM_KERNEL(sum_f32, float, 1, pairwise32)
SUM_KERNEL(sum_f64, double, 1, pairwise64)
SUM_KERNEL(sum_c64, float, 2, pairwise32)
SUM_KERNEL(sum_c128, double, 2, pairwise64)

/* Move the k-th smallest of a[0..n-1] to a[k], with a[0..k-1] <= a[k] <=
 * a[k+1..n-1] (a holds no NaN).  Hoare partition around a median of three. */
static void select_kth(double *a, int64_t n, int64_t k)
{
    int64_t lo = 0, hi = n - 1;
    while (hi - lo >= 16) {
        int64_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
        double t;
#define SWAP(u, v) (t = a[u], a[u] = a[v], a[v] = t)
        if (a[mid] < a[lo])
            SWAP(mid, lo);
        if (a[hi] < a[mid]) {
            SWAP(hi, mid);
            if (a[mid] < a[lo])
                SWAP(mid, lo);
        }
        double pivot = a[mid];
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                SWAP(i, j);
                i++;
                j--;
            }
        }
#undef SWAP
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;     /* a[j+1..i-1] all equal the pivot */
    }
    for (int64_t i = lo + 1; i <= hi; i++) {    /* short range: insertion sort */
        double v = a[i];
        int64_t j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/* numpy's median of a[0..n-1] (destroys a): NaN if any is NaN or n == 0,
 * the mean of the two middle values for even n. */
static double median_of(double *a, int64_t n, int has_nan)
{
    if (n == 0 || has_nan)
        return NAN;
    int64_t k = n / 2;
    select_kth(a, n, k);
    if (n % 2)
        return a[k];
    double lo = a[0];
    for (int64_t i = 1; i < k; i++)
        lo = a[i] > lo ? a[i] : lo;
    return (lo + a[k]) / 2;
}

/* Median kernels: complex takes the median of real and imaginary parts
 * apart, as SciPy's welch does. */
#define MEDIAN_KERNEL(name, T, C)                                           \
    static void name(int64_t m, char *const *p, const int64_t *s,           \
                     const void *arg_)                                      \
    {                                                                       \
        const red_arg *r = arg_;                                            \
        T *y = (T *)p[0];                                                   \
        const T *x = (const T *)p[1];                                       \
        const int64_t n = r->n, xa = (C) * r->xa;                           \
        const int64_t sy = (C) * s[0], sx = (C) * s[1];                     \
        double *w = r->scratch + (int64_t)xp__host_walk_tid() * n;          \
        for (int64_t j = 0; j < m; j++)                                     \
            for (int c = 0; c < (C); c++) {                                 \
                const T *xj = x + j * sx + c;                               \
                int has_nan = 0;                                            \
                for (int64_t k = 0; k < n; k++) {                           \
                    w[k] = xj[k * xa];                                      \
                    has_nan |= isnan(w[k]);                                 \
                }                                                           \
                y[j * sy + c] = (T)median_of(w, n, has_nan);                \
            }                                                               \
    }

MEDIAN_KERNEL(median_f32, float, 1)
MEDIAN_KERNEL(median_f64, double, 1)
MEDIAN_KERNEL(median_c64, float, 2)
MEDIAN_KERNEL(median_c128, double, 2)

static const xp__host_rowfn sum_k[4] = {sum_f32, sum_f64, sum_c64, sum_c128};
static const xp__host_rowfn median_k[4] = {median_f32, median_f64, median_c64,
                                           median_c128};

static int check(const char *name, const DLTensor *t, xp_dtype *dt)
{
    if (!t)
        return xp_error(XP_EINVAL, "reduce: %s is NULL", name);
    if (xp__tensor_dtype(t, dt))
        return xp_error(XP_EDTYPE, "reduce: %s has DLPack type (code %u, bits %u, "
                        "lanes %u), not one of float32, float64, complex64, "
                        "complex128", name, t->dtype.code, t->dtype.bits,
                        t->dtype.lanes);
    if (t->ndim < 0 || t->ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "reduce: %s ndim (%d) must be in 0..%d", name,
                        t->ndim, XP_MAX_NDIM);
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] < 0) {
            char b[XP__HOST_SHAPE_BUF];
            return xp_error(XP_ESHAPE, "reduce: %s shape %s has a negative size",
                            name, xp__host_shape_str(t->ndim, t->shape, b));
        }
    return XP_OK;
}

int xp__host_reduce(void *ctx, xp_reduce_op op, const DLTensor *x, int axis,
                    const DLTensor *y)
{
    xp_dtype dx, dy;
    int rc, ax;
    if ((unsigned)op > XP_REDUCE_MEDIAN)
        return xp_error(XP_EINVAL, "reduce: unknown op (%d)", (int)op);
    if ((rc = check("x", x, &dx)) || (rc = check("y", y, &dy))
        || (rc = xp__axis("reduce", axis, x->ndim, &ax)))
        return rc;
    if (dy != dx)
        return xp_error(XP_EDTYPE, "reduce: y dtype (%s) must be x's (%s)",
                        xp_dtype_name(dy), xp_dtype_name(dx));
    int ok = y->ndim == x->ndim;
    for (int d = 0; ok && d < x->ndim; d++)
        ok = y->shape[d] == (d == ax ? 1 : x->shape[d]);
    if (!ok) {
        char bx[XP__HOST_SHAPE_BUF], by[XP__HOST_SHAPE_BUF];
        return xp_error(XP_ESHAPE, "reduce: y shape %s must be x's shape %s with "
                        "axis %d of size 1", xp__host_shape_str(y->ndim, y->shape, by),
                        xp__host_shape_str(x->ndim, x->shape, bx), ax);
    }

    int64_t xc[XP_MAX_NDIM], yc[XP_MAX_NDIM];
    const int64_t *xs = x->strides, *ys = y->strides;
    if (!xs) {
        xp__c_strides(x->ndim, x->shape, xc);
        xs = xc;
    }
    if (!ys) {
        xp__c_strides(y->ndim, y->shape, yc);
        ys = yc;
    }
    /* the output positions: every axis but ax */
    int64_t shape[XP_MAX_NDIM], sx[XP_MAX_NDIM], sy[XP_MAX_NDIM];
    int nd = 0;
    for (int d = 0; d < x->ndim; d++)
        if (d != ax) {
            shape[nd] = x->shape[d];
            sx[nd] = xs[d];
            sy[nd] = ys[d];
            nd++;
        }
    int64_t nout = xp__shape_size(nd, shape);
    if (nout == 0)
        return XP_OK;

    red_arg r = {.op = op, .n = x->shape[ax], .xa = xs[ax], .scratch = NULL};
    /* fix the thread count so the scratch matches the walker's threads */
    xp__host_ctx fixed = {.nthreads = xp__host_threads(ctx)};
    if (fixed.nthreads > nout)
        fixed.nthreads = (int)nout;     /* the walker never uses more */
    xp__host_rowfn fn = sum_k[dx];
    if (op == XP_REDUCE_MEDIAN) {
        size_t nslots = (size_t)fixed.nthreads * (size_t)(r.n > 0 ? r.n : 1);
        r.scratch = xp__malloc(nslots * sizeof(double));
        if (!r.scratch)
            return xp_error(XP_ENOMEM, "reduce: out of memory for median scratch "
                            "(%zu doubles)", nslots);
        fn = median_k[dx];
    }
    char *base[2] = {xp__base(y), xp__base(x)};
    const int64_t *st[2] = {sy, sx};
    size_t es[2] = {xp_dtype_size(dy), xp_dtype_size(dx)};
    xp__host_walk(&fixed, nd, shape, 2, base, st, es, r.n > 0 ? r.n : 1, fn, &r);
    xp__free(r.scratch);
    return XP_OK;
}
