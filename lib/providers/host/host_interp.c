/*
 * host_interp.c -- numpy.interp: piecewise-linear interpolation of the
 * table (xp, fp) at the points x, by binary search (x need not be sorted).
 */
#include <math.h>
#include "host.h"

/* Index j with xp[j] <= v < xp[j+1], for xp[0] <= v < xp[n-1]. */
#define SEARCH(T)                                                              \
    int64_t lo = 0, hi = n - 1;                                                \
    while (hi - lo > 1) {                                                      \
        int64_t mid = lo + (hi - lo) / 2;                                      \
        if (X[mid * xs] <= (T)v)                                               \
            lo = mid;                                                          \
        else                                                                   \
            hi = mid;                                                          \
    }

#define INTERP(NAME, T, CPLX)                                                  \
static void NAME(const T *x, int64_t xst, const T *X, int64_t xs, const T *F,  \
                 int64_t fs, int64_t n, T *y, int64_t yst, int64_t m)          \
{                                                                              \
    int w = CPLX ? 2 : 1;                                                      \
    for (int64_t i = 0; i < m; i++) {                                          \
        double v = x[i * xst];                                                 \
        T *out = y + i * yst * w;                                              \
        if (isnan(v)) {                                                        \
            for (int p = 0; p < w; p++)                                        \
                out[p] = (T)NAN;                                               \
            continue;                                                          \
        }                                                                      \
        if (v <= X[0] || n == 1) {                                             \
            for (int p = 0; p < w; p++)                                        \
                out[p] = F[p];                                                 \
            continue;                                                          \
        }                                                                      \
        if (v >= X[(n - 1) * xs]) {                                            \
            for (int p = 0; p < w; p++)                                        \
                out[p] = F[(n - 1) * fs * w + p];                              \
            continue;                                                          \
        }                                                                      \
        SEARCH(T)                                                              \
        double x0 = X[lo * xs], x1 = X[hi * xs];                               \
        for (int p = 0; p < w; p++) {                                          \
            double f0 = F[lo * fs * w + p], f1 = F[hi * fs * w + p];           \
            double slope = (f1 - f0) / (x1 - x0);                              \
            double r = slope * (v - x0) + f0;                                  \
            /* numpy: where the slope is not finite, fall back */              \
            if (isnan(r)) {                                                    \
                r = slope * (v - x1) + f1;                                     \
                if (isnan(r) && f0 == f1)                                      \
                    r = f0;                                                    \
            }                                                                  \
            out[p] = (T)r;                                                     \
        }                                                                      \
    }                                                                          \
}
INTERP(interp_d, double, 0)
INTERP(interp_f, float, 0)
INTERP(interp_z, double, 1)
INTERP(interp_c, float, 1)

int xp__host_interp(void *ctx, const DLTensor *x, const DLTensor *xp, const DLTensor *fp,
                    const DLTensor *y)
{
    xp_dtype dx, dxp, dfp, dy;
    int rc;
    (void)ctx;
    if ((rc = xp__tensor_dtype(x, &dx)) || (rc = xp__tensor_dtype(xp, &dxp))
        || (rc = xp__tensor_dtype(fp, &dfp)) || (rc = xp__tensor_dtype(y, &dy)))
        return rc;
    if (xp_dtype_is_complex(dx) || dxp != dx || dfp != dy || xp_dtype_real(dy) != dx)
        return xp_error(XP_EDTYPE, "interp: x and xp must share a real dtype and fp, y its "
                        "precision (got x %s, xp %s, fp %s, y %s)", xp_dtype_name(dx),
                        xp_dtype_name(dxp), xp_dtype_name(dfp), xp_dtype_name(dy));
    if (xp->ndim != 1 || fp->ndim != 1 || xp->shape[0] != fp->shape[0] || xp->shape[0] < 1)
        return xp_error(XP_ESHAPE, "interp: xp and fp must be 1-D of one length >= 1");
    if (x->ndim != y->ndim)
        return xp_error(XP_ESHAPE, "interp: x and y shapes differ");
    for (int d = 0; d < x->ndim; d++)
        if (x->shape[d] != y->shape[d])
            return xp_error(XP_ESHAPE, "interp: x and y shapes differ");
    int64_t n = xp->shape[0], rows = xp__rows(x), m = xp__last_len(x);
    if (rows * m == 0)
        return XP_OK;
    int cplx = xp_dtype_is_complex(dy), single = dx == XP_FLOAT32;
    size_t es = xp_dtype_size(dy);
    for (int64_t r = 0; r < rows; r++) {
        const char *xb = xp__base(x) + xp__row_offset(x, r) * xp_dtype_size(dx);
        char *yb = xp__base(y) + xp__row_offset(y, r) * es;
        int64_t xst = xp__last_stride(x), yst = xp__last_stride(y);
        int64_t xs = xp->strides[0], fs = fp->strides[0];
        if (single && cplx)
            interp_c((const float *)xb, xst, (const float *)xp__base(xp), xs,
                     (const float *)xp__base(fp), fs, n, (float *)yb, yst, m);
        else if (single)
            interp_f((const float *)xb, xst, (const float *)xp__base(xp), xs,
                     (const float *)xp__base(fp), fs, n, (float *)yb, yst, m);
        else if (cplx)
            interp_z((const double *)xb, xst, (const double *)xp__base(xp), xs,
                     (const double *)xp__base(fp), fs, n, (double *)yb, yst, m);
        else
            interp_d((const double *)xb, xst, (const double *)xp__base(xp), xs,
                     (const double *)xp__base(fp), fs, n, (double *)yb, yst, m);
    }
    return XP_OK;
}
