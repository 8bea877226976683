/*
 * cuda_kernels.cu -- the CUDA provider's elementwise, reduction, filter and
 * interpolation kernels.
 *
 * Every kernel walks arbitrary element strides (negative and zero
 * included) through a small shape/stride descriptor passed by value, so no
 * operand needs to be contiguous.  Arithmetic is done in the wider of the
 * operands' precisions; complex values are (re, im) pairs of that
 * precision.  Launches go to the default stream; each slot checks the
 * launch and synchronizes so that errors come back with the slot.
 */
#include <math.h>
#include <cuda_runtime.h>
#include "cuda.h"

#define NT 256
#define MAXD XP_MAX_NDIM

/* Shape and strides of a tensor (or of its batch dims). */
struct Desc {
    int ndim;
    int64_t shape[MAXD];
    int64_t strides[MAXD];
};

static Desc desc_of(const DLTensor *t, int ndim)
{
    Desc d;
    d.ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        d.shape[i] = t->shape[i];
        d.strides[i] = t->strides[i];
    }
    return d;
}

/* Element offset of linear (C-order) index i. */
__device__ __forceinline__ int64_t offset_of(const Desc &d, int64_t i)
{
    int64_t off = 0;
    for (int k = d.ndim - 1; k >= 0; k--) {
        int64_t s = d.shape[k];
        off += (i % s) * d.strides[k];
        i /= s;
    }
    return off;
}

static char *base_of(const DLTensor *t)
{
    return (char *)t->data + t->byte_offset;
}

static unsigned blocks_for(int64_t n)
{
    int64_t b = (n + NT - 1) / NT;
    return (unsigned)(b > 65535LL * 32 ? 65535LL * 32 : b);
}

/* Check the launch and wait for it; errors become XP_* statuses. */
static int finish(const char *fn)
{
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
        e = cudaDeviceSynchronize();
    return e == cudaSuccess ? XP_OK : xpc_cuda_fail(fn, "kernel", e);
}

#define GRID_LOOP(i, n) \
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (int64_t)gridDim.x * blockDim.x)

/* ---- a small complex type ---------------------------------------------- */

template <class W> struct cx {
    W re, im;
};
template <class W> __device__ __forceinline__ cx<W> mk(W r, W i) { cx<W> z; z.re = r; z.im = i; return z; }
template <class W> __device__ __forceinline__ cx<W> operator+(cx<W> a, cx<W> b) { return mk(a.re + b.re, a.im + b.im); }
template <class W> __device__ __forceinline__ cx<W> operator-(cx<W> a, cx<W> b) { return mk(a.re - b.re, a.im - b.im); }
template <class W> __device__ __forceinline__ cx<W> operator*(cx<W> a, cx<W> b)
{
    return mk(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
template <class W> __device__ __forceinline__ cx<W> cdiv(cx<W> a, cx<W> b, int real)
{
    if (real)
        return mk(a.re / b.re, a.im / b.re);
    /* Smith's algorithm: no overflow in |b|^2 */
    if (fabs(b.re) >= fabs(b.im)) {
        W r = b.im / b.re, d = b.re + b.im * r;
        return mk((a.re + a.im * r) / d, (a.im - a.re * r) / d);
    }
    W r = b.re / b.im, d = b.re * r + b.im;
    return mk((a.re * r + a.im) / d, (a.im * r - a.re) / d);
}

template <class R, class W> __device__ __forceinline__ cx<W> load(const char *base, int64_t off, int c)
{
    const R *p = (const R *)base + off * (c ? 2 : 1);
    return mk((W)p[0], c ? (W)p[1] : (W)0);
}
template <class R, class W> __device__ __forceinline__ void store(char *base, int64_t off, int c, cx<W> v)
{
    R *p = (R *)base + off * (c ? 2 : 1);
    p[0] = (R)v.re;
    if (c)
        p[1] = (R)v.im;
}

/* Wider of two real types. */
template <class A, class B> struct wide { typedef double T; };
template <> struct wide<float, float> { typedef float T; };

/* ---- argument checks ---------------------------------------------------- */

static int same_shape(const char *fn, const DLTensor *a, const DLTensor *b, const char *an,
                      const char *bn)
{
    int ok = a->ndim == b->ndim;
    for (int i = 0; ok && i < a->ndim; i++)
        ok = a->shape[i] == b->shape[i];
    return ok ? XP_OK : xpc_error(XP_ESHAPE, "%s: %s and %s shapes differ", fn, an, bn);
}

static int check_dt(const char *fn, const DLTensor *t, const char *name, int *dt)
{
    *dt = xpc_dtype(t);
    if (*dt < 0)
        return xpc_error(XP_EDTYPE, "%s: %s has an unsupported dtype", fn, name);
    if (t->ndim > MAXD || t->ndim < 0)
        return xpc_error(XP_ESHAPE, "%s: %s has %d dims (at most %d)", fn, name, t->ndim, MAXD);
    return XP_OK;
}

#define ISC(dt) ((dt) >= 2)
#define IS64(dt) ((dt) == 1 || (dt) == 3)

/* ---- fill --------------------------------------------------------------- */

template <class R> __global__ void k_fill(char *y, Desc d, int64_t n, int c, double re, double im)
{
    GRID_LOOP(i, n)
        store<R, double>(y, offset_of(d, i), c, mk(re, im));
}

extern "C" int xpc_fill(void *ctx, const DLTensor *dst, double re, double im)
{
    int dt, rc;
    if ((rc = check_dt("fill", dst, "dst", &dt)))
        return rc;
    int64_t n = xpc_numel(dst);
    if (n == 0)
        return XP_OK;
    Desc d = desc_of(dst, dst->ndim);
    if (IS64(dt))
        k_fill<double><<<blocks_for(n), NT>>>(base_of(dst), d, n, ISC(dt), re, im);
    else
        k_fill<float><<<blocks_for(n), NT>>>(base_of(dst), d, n, ISC(dt), re, im);
    return finish("fill");
}

/* ---- unary -------------------------------------------------------------- */

template <class W> __device__ cx<W> csqrt_(cx<W> z)
{
    if (z.im == 0 && !signbit(z.im) && z.re >= 0)
        return mk((W)sqrt(z.re), (W)0);
    W r = hypot(z.re, z.im);
    if (r == 0)
        return mk((W)0, z.im);
    W t = sqrt((r + fabs(z.re)) / 2);
    if (z.re >= 0)
        return mk(t, z.im / (2 * t));
    return mk(fabs(z.im) / (2 * t), copysign(t, z.im));
}

template <class RX, class RY>
__global__ void k_unary(int op, const char *x, Desc dx, int xc, char *y, Desc dy, int yc, int64_t n)
{
    typedef typename wide<RX, RY>::T W;
    GRID_LOOP(i, n) {
        cx<W> v = load<RX, W>(x, offset_of(dx, i), xc), r;
        switch (op) {
        case XP_UNARY_ABS2: r = mk(v.re * v.re + v.im * v.im, (W)0); break;
        case XP_UNARY_ABS: r = mk(xc ? (W)hypot(v.re, v.im) : (W)fabs(v.re), (W)0); break;
        case XP_UNARY_SQRT: r = xc ? csqrt_(v) : mk((W)sqrt(v.re), (W)0); break;
        case XP_UNARY_ANGLE: r = mk((W)atan2(v.im, v.re), (W)0); break;
        case XP_UNARY_CONJ: r = mk(v.re, -v.im); break;
        case XP_UNARY_REAL: r = mk(v.re, (W)0); break;
        case XP_UNARY_IMAG: r = mk(v.im, (W)0); break;
        case XP_UNARY_NEG: r = mk(-v.re, -v.im); break;
        default: r = v; break;  /* COPY */
        }
        store<RY, W>(y, offset_of(dy, i), yc, r);
    }
}

extern "C" int xpc_unary(void *ctx, xp_unary_op op, const DLTensor *x, const DLTensor *y)
{
    int dx, dy, rc;
    if ((rc = check_dt("unary", x, "x", &dx)) || (rc = check_dt("unary", y, "y", &dy))
        || (rc = same_shape("unary", x, y, "x", "y")))
        return rc;
    if ((unsigned)op > XP_UNARY_NEG)
        return xpc_error(XP_EINVAL, "unary: op (%d) is not an xp_unary_op", (int)op);
    int to_real = op == XP_UNARY_ABS2 || op == XP_UNARY_ABS || op == XP_UNARY_ANGLE
                  || op == XP_UNARY_REAL || op == XP_UNARY_IMAG;
    if (op == XP_UNARY_COPY) {
        if (ISC(dx) && !ISC(dy))
            return xpc_error(XP_EDTYPE, "unary: cannot cast complex x to real y");
    } else if (IS64(dx) != IS64(dy) || (to_real ? ISC(dy) : ISC(dx) != ISC(dy))) {
        return xpc_error(XP_EDTYPE, "unary: y's dtype does not fit op %d of x", (int)op);
    }
    int64_t n = xpc_numel(x);
    if (n == 0)
        return XP_OK;
    Desc ex = desc_of(x, x->ndim), ey = desc_of(y, y->ndim);
    const char *xb = base_of(x);
    char *yb = base_of(y);
    unsigned g = blocks_for(n);
    if (IS64(dx) && IS64(dy))
        k_unary<double, double><<<g, NT>>>(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
    else if (IS64(dx))
        k_unary<double, float><<<g, NT>>>(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
    else if (IS64(dy))
        k_unary<float, double><<<g, NT>>>(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
    else
        k_unary<float, float><<<g, NT>>>(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
    return finish("unary");
}

/* ---- binary and affine -------------------------------------------------- */

template <class R>
__global__ void k_binary(int op, const char *a, Desc da, int ac, const char *b, Desc db, int bc,
                         char *o, Desc dout, int64_t n)
{
    GRID_LOOP(i, n) {
        cx<R> u = load<R, R>(a, offset_of(da, i), ac), v = load<R, R>(b, offset_of(db, i), bc), r;
        switch (op) {
        case XP_BINARY_ADD: r = u + v; break;
        case XP_BINARY_SUB: r = u - v; break;
        case XP_BINARY_MUL: r = ac || bc ? u * v : mk(u.re * v.re, (R)0); break;
        case XP_BINARY_DIV: r = cdiv(u, v, !bc); break;
        default: r = bc ? u * mk(v.re, -v.im) : mk(u.re * v.re, u.im * v.re); break;
        }
        store<R, R>(o, offset_of(dout, i), ac, r);
    }
}

extern "C" int xpc_binary(void *ctx, xp_binary_op op, const DLTensor *a, const DLTensor *b,
                          const DLTensor *out)
{
    int da, db, dout, rc;
    if ((rc = check_dt("binary", a, "a", &da)) || (rc = check_dt("binary", b, "b", &db))
        || (rc = check_dt("binary", out, "out", &dout))
        || (rc = same_shape("binary", a, b, "a", "b"))
        || (rc = same_shape("binary", a, out, "a", "out")))
        return rc;
    if ((unsigned)op > XP_BINARY_MUL_CONJ)
        return xpc_error(XP_EINVAL, "binary: op (%d) is not an xp_binary_op", (int)op);
    if (dout != da || (db != da && !(ISC(da) && db == da - 2)))
        return xpc_error(XP_EDTYPE, "binary: a, b and out must share a dtype (b may be a's "
                         "real dtype)");
    int64_t n = xpc_numel(a);
    if (n == 0)
        return XP_OK;
    Desc ea = desc_of(a, a->ndim), eb = desc_of(b, b->ndim), eo = desc_of(out, out->ndim);
    if (IS64(da))
        k_binary<double><<<blocks_for(n), NT>>>(op, base_of(a), ea, ISC(da), base_of(b), eb,
                                                ISC(db), base_of(out), eo, n);
    else
        k_binary<float><<<blocks_for(n), NT>>>(op, base_of(a), ea, ISC(da), base_of(b), eb,
                                               ISC(db), base_of(out), eo, n);
    return finish("binary");
}

template <class R>
__global__ void k_affine(const char *x, Desc dx, int xc, char *y, Desc dy, int yc, int64_t n,
                         double ar, double ai, double br, double bi)
{
    GRID_LOOP(i, n) {
        cx<double> v = load<R, double>(x, offset_of(dx, i), xc);
        cx<double> r = yc ? mk(ar, ai) * v + mk(br, bi) : mk(ar * v.re + br, 0.0);
        store<R, double>(y, offset_of(dy, i), yc, r);
    }
}

extern "C" int xpc_affine(void *ctx, const DLTensor *x, double ar, double ai, double br,
                          double bi, const DLTensor *y)
{
    int dx, dy, rc;
    if ((rc = check_dt("affine", x, "x", &dx)) || (rc = check_dt("affine", y, "y", &dy))
        || (rc = same_shape("affine", x, y, "x", "y")))
        return rc;
    if (IS64(dx) != IS64(dy) || (ISC(dx) && !ISC(dy)))
        return xpc_error(XP_EDTYPE, "affine: x and y dtypes do not match");
    if (!ISC(dy) && (ai != 0 || bi != 0))
        return xpc_error(XP_EINVAL, "affine: alpha and beta must be real for a real y");
    int64_t n = xpc_numel(x);
    if (n == 0)
        return XP_OK;
    Desc ex = desc_of(x, x->ndim), ey = desc_of(y, y->ndim);
    if (IS64(dx))
        k_affine<double><<<blocks_for(n), NT>>>(base_of(x), ex, ISC(dx), base_of(y), ey,
                                                ISC(dy), n, ar, ai, br, bi);
    else
        k_affine<float><<<blocks_for(n), NT>>>(base_of(x), ex, ISC(dx), base_of(y), ey,
                                               ISC(dy), n, ar, ai, br, bi);
    return finish("affine");
}

/* ---- reduce ------------------------------------------------------------- */

/* Quickselect in v[0..n): leaves the k-th smallest at v[k], smaller ones
 * before it and larger ones after. */
template <class W> __device__ void select_k(W *v, int64_t n, int64_t k)
{
    int64_t lo = 0, hi = n - 1;
    while (hi > lo) {
        W p = v[lo + (hi - lo) / 2];
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i <= j) {
                W t = v[i]; v[i] = v[j]; v[j] = t;
                i++; j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else break;
    }
}

/* One thread per output element (per part for complex medians).  The
 * slice goes to scratch rows of length len for the median. */
template <class R>
__global__ void k_reduce(int op, const char *x, Desc dout, int64_t astride, int64_t len, int c,
                         char *y, Desc dy, int64_t nout, R *scratch)
{
    typedef double W;
    GRID_LOOP(o, nout) {
        int64_t xo = offset_of(dout, o);
        cx<W> r;
        if (op != XP_REDUCE_MEDIAN) {
            /* Kahan-compensated sum */
            cx<W> s = mk(0.0, 0.0), comp = mk(0.0, 0.0);
            for (int64_t j = 0; j < len; j++) {
                cx<W> v = load<R, W>(x, xo + j * astride, c) - comp;
                cx<W> t = s + v;
                comp = (t - s) - v;
                s = t;
            }
            r = s;
            if (op == XP_REDUCE_MEAN)
                r = len ? mk(s.re / len, s.im / len) : mk((W)NAN, c ? (W)NAN : (W)0);
        } else if (len == 0) {
            r = mk((W)NAN, c ? (W)NAN : (W)0);
        } else {
            W part[2] = {0, 0};
            for (int p = 0; p < (c ? 2 : 1); p++) {
                R *v = scratch + o * len;
                int nan = 0;
                for (int64_t j = 0; j < len; j++) {
                    cx<W> e = load<R, W>(x, xo + j * astride, c);
                    v[j] = (R)(p ? e.im : e.re);
                    nan |= isnan(v[j]);
                }
                if (nan) {
                    part[p] = NAN;
                    continue;
                }
                int64_t k = (len - 1) / 2;
                select_k<R>(v, len, k);
                W m = v[k];
                if (len % 2 == 0) {
                    W m2 = v[k + 1];
                    for (int64_t j = k + 2; j < len; j++)
                        m2 = v[j] < m2 ? v[j] : m2;
                    m = (m + m2) / 2;
                }
                part[p] = m;
            }
            r = mk(part[0], part[1]);
        }
        store<R, W>(y, offset_of(dy, o), c, r);
    }
}

extern "C" int xpc_reduce(void *ctx, xp_reduce_op op, const DLTensor *x, int axis,
                          const DLTensor *y)
{
    int dx, dy, rc;
    if ((rc = check_dt("reduce", x, "x", &dx)) || (rc = check_dt("reduce", y, "y", &dy)))
        return rc;
    if ((unsigned)op > XP_REDUCE_MEDIAN)
        return xpc_error(XP_EINVAL, "reduce: op (%d) is not an xp_reduce_op", (int)op);
    if (dx != dy)
        return xpc_error(XP_EDTYPE, "reduce: x and y must share a dtype");
    if (axis < 0)
        axis += x->ndim;
    if (axis < 0 || axis >= x->ndim)
        return xpc_error(XP_ESHAPE, "reduce: axis (%d) out of range for %d dims", axis, x->ndim);
    int ok = y->ndim == x->ndim && y->shape[axis] == 1;
    for (int i = 0; ok && i < x->ndim; i++)
        ok = i == axis || y->shape[i] == x->shape[i];
    if (!ok)
        return xpc_error(XP_ESHAPE, "reduce: y must have x's shape with shape[%d] == 1", axis);
    int64_t nout = xpc_numel(y), len = x->shape[axis];
    if (nout == 0)
        return XP_OK;
    /* x's offsets for each output element: x's strides with the axis cut to 1 */
    Desc dout = desc_of(x, x->ndim);
    dout.shape[axis] = 1;
    Desc ey = desc_of(y, y->ndim);
    void *scratch = NULL;
    if (op == XP_REDUCE_MEDIAN && len > 0
        && (rc = xpc_scratch("reduce", (size_t)(nout * len) * (IS64(dx) ? 8 : 4), &scratch)))
        return rc;
    if (IS64(dx))
        k_reduce<double><<<blocks_for(nout), NT>>>(op, base_of(x), dout, x->strides[axis], len,
                                                   ISC(dx), base_of(y), ey, nout,
                                                   (double *)scratch);
    else
        k_reduce<float><<<blocks_for(nout), NT>>>(op, base_of(x), dout, x->strides[axis], len,
                                                  ISC(dx), base_of(y), ey, nout,
                                                  (float *)scratch);
    rc = finish("reduce");
    xpc_scratch_free(scratch);
    return rc;
}

/* ---- lfilter and sosfilt: one batch row per thread ---------------------- */

/* Offsets of batch row r in a tensor of batch dims d. */
__device__ __forceinline__ int64_t row_off(const Desc &d, int64_t r)
{
    return d.ndim ? offset_of(d, r) : 0;
}

/* Normalized coefficients b[0..K], a[0..K] (padded with zeros) of length
 * K+1 each, computed by one thread. */
template <class R>
__global__ void k_lf_coef(const char *b, int64_t bs, int64_t nb, const char *a, int64_t as,
                          int64_t na, int c, int64_t K, cx<R> *out)
{
    cx<R> a0 = load<R, R>(a, 0, c);
    for (int64_t i = 0; i <= K; i++) {
        cx<R> bi = i < nb ? load<R, R>(b, i * bs, c) : mk((R)0, (R)0);
        cx<R> ai = i < na ? load<R, R>(a, i * as, c) : mk((R)0, (R)0);
        out[i] = cdiv(bi, a0, !c);
        out[K + 1 + i] = cdiv(ai, a0, !c);
    }
}

template <class R>
__global__ void k_lfilter(const cx<R> *coef, int64_t K, int c, const char *x, Desc bx,
                          int64_t xs, char *y, Desc by, int64_t ys, int64_t len,
                          const char *zi, Desc bzi, int64_t zis, char *zf, Desc bzf, int64_t zfs,
                          int64_t rows, cx<R> *state)
{
    const cx<R> *B = coef, *A = coef + K + 1;
    GRID_LOOP(r, rows) {
        cx<R> *z = state + r * (K > 0 ? K : 1);
        int64_t zo = zi ? row_off(bzi, r) : 0;
        for (int64_t i = 0; i < K; i++)
            z[i] = zi ? load<R, R>(zi, zo + i * zis, c) : mk((R)0, (R)0);
        int64_t xo = row_off(bx, r), yo = row_off(by, r);
        for (int64_t n = 0; n < len; n++) {
            cx<R> v = load<R, R>(x, xo + n * xs, c);
            cx<R> out = B[0] * v + (K > 0 ? z[0] : mk((R)0, (R)0));
            for (int64_t i = 0; i + 1 < K; i++)
                z[i] = B[i + 1] * v + z[i + 1] - A[i + 1] * out;
            if (K > 0)
                z[K - 1] = B[K] * v - A[K] * out;
            store<R, R>(y, yo + n * ys, c, out);
        }
        if (zf) {
            int64_t fo = row_off(bzf, r);
            for (int64_t i = 0; i < K; i++)
                store<R, R>(zf, fo + i * zfs, c, z[i]);
        }
    }
}

static int state_shape(const char *fn, const DLTensor *s, const DLTensor *x, int extra,
                       const int64_t *last, const char *name)
{
    int nb = x->ndim - 1;
    int ok = s->ndim == nb + extra;
    for (int i = 0; ok && i < nb; i++)
        ok = s->shape[i] == x->shape[i];
    for (int i = 0; ok && i < extra; i++)
        ok = s->shape[nb + i] == last[i];
    return ok ? XP_OK : xpc_error(XP_ESHAPE, "%s: %s must have x's batch shape plus [%lld%s",
                                  fn, name, (long long)last[0], extra > 1 ? ", 2]" : "]");
}

extern "C" int xpc_lfilter(void *ctx, const DLTensor *b, const DLTensor *a, const DLTensor *x,
                           const DLTensor *zi, const DLTensor *y, const DLTensor *zf)
{
    const char *fn = "lfilter";
    int dt, d, rc;
    if ((rc = check_dt(fn, x, "x", &dt)) || (rc = check_dt(fn, y, "y", &d)))
        return rc;
    const DLTensor *all[] = {b, a, zi, y, zf};
    for (int i = 0; i < 5; i++)
        if (all[i] && xpc_dtype(all[i]) != dt)
            return xpc_error(XP_EDTYPE, "%s: b, a, x, zi, y and zf must share one dtype", fn);
    if (b->ndim != 1 || a->ndim != 1 || b->shape[0] < 1 || a->shape[0] < 1)
        return xpc_error(XP_ESHAPE, "%s: b and a must be 1-D and non-empty", fn);
    if (x->ndim < 1 || (rc = same_shape(fn, x, y, "x", "y")))
        return rc ? rc : xpc_error(XP_ESHAPE, "%s: x must have at least 1 dim", fn);
    int64_t nb = b->shape[0], na = a->shape[0], K = (nb > na ? nb : na) - 1;
    if ((zi && (rc = state_shape(fn, zi, x, 1, &K, "zi")))
        || (zf && (rc = state_shape(fn, zf, x, 1, &K, "zf"))))
        return rc;
    /* a[0] must not be zero: checked on the host (one element) */
    double a0[2] = {0, 0};
    cudaError_t e = cudaMemcpy(a0, base_of(a), xpc_dtype_size(dt), cudaMemcpyDeviceToHost);
    if (e != cudaSuccess)
        return xpc_cuda_fail(fn, "cudaMemcpy", e);
    int zero = IS64(dt) ? a0[0] == 0 && (!ISC(dt) || a0[1] == 0)
                        : ((float *)a0)[0] == 0 && (!ISC(dt) || ((float *)a0)[1] == 0);
    if (zero)
        return xpc_error(XP_EINVAL, "%s: a[0] must not be zero", fn);
    int nbd = x->ndim - 1;
    int64_t len = x->shape[nbd], rows = 1;
    for (int i = 0; i < nbd; i++)
        rows *= x->shape[i];
    if (rows == 0)
        return XP_OK;
    size_t cs = IS64(dt) ? sizeof(cx<double>) : sizeof(cx<float>);
    void *coef = NULL, *state = NULL;
    if ((rc = xpc_scratch(fn, (size_t)(2 * (K + 1)) * cs, &coef))
        || (rc = xpc_scratch(fn, (size_t)(rows * (K > 0 ? K : 1)) * cs, &state))) {
        xpc_scratch_free(coef);
        return rc;
    }
    Desc bx = desc_of(x, nbd), by = desc_of(y, nbd), bzi = {0}, bzf = {0};
    if (zi)
        bzi = desc_of(zi, nbd);
    if (zf)
        bzf = desc_of(zf, nbd);
    int c = ISC(dt);
    int64_t zis = zi ? zi->strides[nbd] : 0, zfs = zf ? zf->strides[nbd] : 0;
    if (IS64(dt)) {
        k_lf_coef<double><<<1, 1>>>(base_of(b), b->strides[0], nb, base_of(a), a->strides[0],
                                    na, c, K, (cx<double> *)coef);
        k_lfilter<double><<<blocks_for(rows), NT>>>(
            (cx<double> *)coef, K, c, base_of(x), bx, x->strides[nbd], base_of(y), by,
            y->strides[nbd], len, zi ? base_of(zi) : NULL, bzi, zis, zf ? base_of(zf) : NULL,
            bzf, zfs, rows, (cx<double> *)state);
    } else {
        k_lf_coef<float><<<1, 1>>>(base_of(b), b->strides[0], nb, base_of(a), a->strides[0],
                                   na, c, K, (cx<float> *)coef);
        k_lfilter<float><<<blocks_for(rows), NT>>>(
            (cx<float> *)coef, K, c, base_of(x), bx, x->strides[nbd], base_of(y), by,
            y->strides[nbd], len, zi ? base_of(zi) : NULL, bzi, zis, zf ? base_of(zf) : NULL,
            bzf, zfs, rows, (cx<float> *)state);
    }
    rc = finish(fn);
    xpc_scratch_free(coef);
    xpc_scratch_free(state);
    return rc;
}

/* Sections normalized by a0: out[s*5 + 0..4] = b0 b1 b2 a1 a2. */
template <class R>
__global__ void k_sos_coef(const char *sos, int64_t s0, int64_t s1, int64_t nsec, int c,
                           cx<R> *out)
{
    for (int64_t s = 0; s < nsec; s++) {
        cx<R> a0 = load<R, R>(sos, s * s0 + 3 * s1, c);
        const int idx[5] = {0, 1, 2, 4, 5};
        for (int j = 0; j < 5; j++)
            out[s * 5 + j] = cdiv(load<R, R>(sos, s * s0 + idx[j] * s1, c), a0, !c);
    }
}

template <class R>
__global__ void k_sosfilt(const cx<R> *co, int64_t nsec, int c, const char *x, Desc bx,
                          int64_t xs, char *y, Desc by, int64_t ys, int64_t len,
                          const char *zi, Desc bzi, int64_t zi0, int64_t zi1, char *zf,
                          Desc bzf, int64_t zf0, int64_t zf1, int64_t rows, cx<R> *state)
{
    GRID_LOOP(r, rows) {
        cx<R> *z = state + r * nsec * 2;
        int64_t zo = zi ? row_off(bzi, r) : 0;
        for (int64_t s = 0; s < nsec; s++)
            for (int j = 0; j < 2; j++)
                z[s * 2 + j] = zi ? load<R, R>(zi, zo + s * zi0 + j * zi1, c) : mk((R)0, (R)0);
        int64_t xo = row_off(bx, r), yo = row_off(by, r);
        for (int64_t n = 0; n < len; n++) {
            cx<R> v = load<R, R>(x, xo + n * xs, c);
            for (int64_t s = 0; s < nsec; s++) {
                const cx<R> *k = co + s * 5;
                cx<R> out = k[0] * v + z[s * 2];
                z[s * 2] = k[1] * v + z[s * 2 + 1] - k[3] * out;
                z[s * 2 + 1] = k[2] * v - k[4] * out;
                v = out;
            }
            store<R, R>(y, yo + n * ys, c, v);
        }
        if (zf) {
            int64_t fo = row_off(bzf, r);
            for (int64_t s = 0; s < nsec; s++)
                for (int j = 0; j < 2; j++)
                    store<R, R>(zf, fo + s * zf0 + j * zf1, c, z[s * 2 + j]);
        }
    }
}

extern "C" int xpc_sosfilt(void *ctx, const DLTensor *sos, const DLTensor *x,
                           const DLTensor *zi, const DLTensor *y, const DLTensor *zf)
{
    const char *fn = "sosfilt";
    int dt, d, rc;
    if ((rc = check_dt(fn, x, "x", &dt)) || (rc = check_dt(fn, y, "y", &d)))
        return rc;
    const DLTensor *all[] = {sos, zi, y, zf};
    for (int i = 0; i < 4; i++)
        if (all[i] && xpc_dtype(all[i]) != dt)
            return xpc_error(XP_EDTYPE, "%s: sos, x, zi, y and zf must share one dtype", fn);
    if (sos->ndim != 2 || sos->shape[1] != 6 || sos->shape[0] < 1)
        return xpc_error(XP_ESHAPE, "%s: sos must be [nsec, 6] with nsec >= 1", fn);
    if (x->ndim < 1 || (rc = same_shape(fn, x, y, "x", "y")))
        return rc ? rc : xpc_error(XP_ESHAPE, "%s: x must have at least 1 dim", fn);
    int64_t nsec = sos->shape[0], last[2] = {nsec, 2};
    if ((zi && (rc = state_shape(fn, zi, x, 2, last, "zi")))
        || (zf && (rc = state_shape(fn, zf, x, 2, last, "zf"))))
        return rc;
    int nbd = x->ndim - 1;
    int64_t len = x->shape[nbd], rows = 1;
    for (int i = 0; i < nbd; i++)
        rows *= x->shape[i];
    if (rows == 0)
        return XP_OK;
    size_t cs = IS64(dt) ? sizeof(cx<double>) : sizeof(cx<float>);
    void *coef = NULL, *state = NULL;
    if ((rc = xpc_scratch(fn, (size_t)(5 * nsec) * cs, &coef))
        || (rc = xpc_scratch(fn, (size_t)(rows * nsec * 2) * cs, &state))) {
        xpc_scratch_free(coef);
        return rc;
    }
    /* a0 of every section must be nonzero: read back (nsec elements) */
    for (int64_t k = 0; k < nsec; k++) {
        double a0[2] = {0, 0};
        cudaError_t e = cudaMemcpy(a0, base_of(sos) + (k * sos->strides[0] + 3 * sos->strides[1])
                                           * (int64_t)xpc_dtype_size(dt),
                                   xpc_dtype_size(dt), cudaMemcpyDeviceToHost);
        if (e != cudaSuccess) {
            rc = xpc_cuda_fail(fn, "cudaMemcpy", e);
        } else {
            int zero = IS64(dt) ? a0[0] == 0 && (!ISC(dt) || a0[1] == 0)
                                : ((float *)a0)[0] == 0 && (!ISC(dt) || ((float *)a0)[1] == 0);
            if (zero)
                rc = xpc_error(XP_EINVAL, "%s: sos[%lld, 3] (a0) must not be zero", fn,
                               (long long)k);
        }
        if (rc) {
            xpc_scratch_free(coef);
            xpc_scratch_free(state);
            return rc;
        }
    }
    Desc bx = desc_of(x, nbd), by = desc_of(y, nbd), bzi = {0}, bzf = {0};
    if (zi)
        bzi = desc_of(zi, nbd);
    if (zf)
        bzf = desc_of(zf, nbd);
    int c = ISC(dt);
    int64_t zi0 = zi ? zi->strides[nbd] : 0, zi1 = zi ? zi->strides[nbd + 1] : 0;
    int64_t zf0 = zf ? zf->strides[nbd] : 0, zf1 = zf ? zf->strides[nbd + 1] : 0;
    if (IS64(dt)) {
        k_sos_coef<double><<<1, 1>>>(base_of(sos), sos->strides[0], sos->strides[1], nsec, c,
                                     (cx<double> *)coef);
        k_sosfilt<double><<<blocks_for(rows), NT>>>(
            (cx<double> *)coef, nsec, c, base_of(x), bx, x->strides[nbd], base_of(y), by,
            y->strides[nbd], len, zi ? base_of(zi) : NULL, bzi, zi0, zi1,
            zf ? base_of(zf) : NULL, bzf, zf0, zf1, rows, (cx<double> *)state);
    } else {
        k_sos_coef<float><<<1, 1>>>(base_of(sos), sos->strides[0], sos->strides[1], nsec, c,
                                    (cx<float> *)coef);
        k_sosfilt<float><<<blocks_for(rows), NT>>>(
            (cx<float> *)coef, nsec, c, base_of(x), bx, x->strides[nbd], base_of(y), by,
            y->strides[nbd], len, zi ? base_of(zi) : NULL, bzi, zi0, zi1,
            zf ? base_of(zf) : NULL, bzf, zf0, zf1, rows, (cx<float> *)state);
    }
    rc = finish(fn);
    xpc_scratch_free(coef);
    xpc_scratch_free(state);
    return rc;
}

/* ---- interp: one x element per thread, numpy.interp's rules ------------ */

template <class R>
__global__ void k_interp(const char *x, Desc dx, const char *X, int64_t xs, const char *F,
                         int64_t fs, int c, int64_t n, char *y, Desc dy, int64_t m)
{
    const R *Xp = (const R *)X;
    GRID_LOOP(i, m) {
        double v = ((const R *)x)[offset_of(dx, i)];
        cx<double> r;
        if (isnan(v)) {
            r = mk((double)NAN, c ? (double)NAN : 0.0);
        } else if (v <= Xp[0] || n == 1) {
            r = load<R, double>(F, 0, c);
        } else if (v >= Xp[(n - 1) * xs]) {
            r = load<R, double>(F, (n - 1) * fs, c);
        } else {
            int64_t lo = 0, hi = n - 1;
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (Xp[mid * xs] <= (R)v)
                    lo = mid;
                else
                    hi = mid;
            }
            double x0 = Xp[lo * xs], x1 = Xp[hi * xs];
            cx<double> f0 = load<R, double>(F, lo * fs, c), f1 = load<R, double>(F, hi * fs, c);
            double p[2];
            for (int k = 0; k < 2; k++) {
                double a = k ? f0.im : f0.re, b = k ? f1.im : f1.re;
                double slope = (b - a) / (x1 - x0);
                double t = slope * (v - x0) + a;
                if (isnan(t)) {
                    t = slope * (v - x1) + b;
                    if (isnan(t) && a == b)
                        t = a;
                }
                p[k] = t;
            }
            r = mk(p[0], c ? p[1] : 0.0);
        }
        store<R, double>(y, offset_of(dy, i), c, r);
    }
}

extern "C" int xpc_interp(void *ctx, const DLTensor *x, const DLTensor *xp, const DLTensor *fp,
                          const DLTensor *y)
{
    const char *fn = "interp";
    int dx, dxp, dfp, dy, rc;
    if ((rc = check_dt(fn, x, "x", &dx)) || (rc = check_dt(fn, xp, "xp", &dxp))
        || (rc = check_dt(fn, fp, "fp", &dfp)) || (rc = check_dt(fn, y, "y", &dy)))
        return rc;
    if (ISC(dx) || dxp != dx || dfp != dy || IS64(dy) != IS64(dx))
        return xpc_error(XP_EDTYPE, "%s: x and xp must share a real dtype and fp, y its "
                         "precision", fn);
    if (xp->ndim != 1 || fp->ndim != 1 || xp->shape[0] != fp->shape[0] || xp->shape[0] < 1)
        return xpc_error(XP_ESHAPE, "%s: xp and fp must be 1-D of one length >= 1", fn);
    if ((rc = same_shape(fn, x, y, "x", "y")))
        return rc;
    int64_t m = xpc_numel(x);
    if (m == 0)
        return XP_OK;
    Desc ex = desc_of(x, x->ndim), ey = desc_of(y, y->ndim);
    if (IS64(dx))
        k_interp<double><<<blocks_for(m), NT>>>(base_of(x), ex, base_of(xp), xp->strides[0],
                                                base_of(fp), fp->strides[0], ISC(dy),
                                                xp->shape[0], base_of(y), ey, m);
    else
        k_interp<float><<<blocks_for(m), NT>>>(base_of(x), ex, base_of(xp), xp->strides[0],
                                               base_of(fp), fp->strides[0], ISC(dy),
                                               xp->shape[0], base_of(y), ey, m);
    return finish(fn);
}
