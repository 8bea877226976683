/*
 * cuda_kernels.cu -- the CUDA provider's elementwise, reduction and
 * interpolation kernels (the filters are in cuda_filter.cu).
 *
 * Every kernel walks arbitrary element strides (negative and zero
 * included) through a small shape/stride descriptor passed by value, so no
 * operand needs to be contiguous.  Arithmetic is done in the wider of the
 * operands' precisions; complex values are (re, im) pairs of that
 * precision.  Launches go to the calling thread's stream; each slot checks
 * the launch and waits for the stream so that errors come back with it.
 */
#include <math.h>
#include <cuda_runtime.h>
#include "cuda.h"
#include "cuda_device.h"

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
        XPC_LAUNCH(blocks_for(n), NT, k_fill<double>)(base_of(dst), d, n, ISC(dt), re, im);
    else
        XPC_LAUNCH(blocks_for(n), NT, k_fill<float>)(base_of(dst), d, n, ISC(dt), re, im);
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
        XPC_LAUNCH(g, NT, k_unary<double, double>)(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
    else if (IS64(dx))
        XPC_LAUNCH(g, NT, k_unary<double, float>)(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
    else if (IS64(dy))
        XPC_LAUNCH(g, NT, k_unary<float, double>)(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
    else
        XPC_LAUNCH(g, NT, k_unary<float, float>)(op, xb, ex, ISC(dx), yb, ey, ISC(dy), n);
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
        XPC_LAUNCH(blocks_for(n), NT, k_binary<double>)(op, base_of(a), ea, ISC(da), base_of(b), eb,
                                                ISC(db), base_of(out), eo, n);
    else
        XPC_LAUNCH(blocks_for(n), NT, k_binary<float>)(op, base_of(a), ea, ISC(da), base_of(b), eb,
                                               ISC(db), base_of(out), eo, n);
    return finish("binary");
}

template <class R>
__global__ void k_affine(const char *x, Desc dx, int xc, char *y, Desc dy, int yc, int64_t n,
                         double ar, double ai, double br, double bi)
{
    /* a zero beta is left out, as on the host: numpy's x * alpha to the
     * sign of zero */
    const bool hasb = br != 0 || bi != 0;
    GRID_LOOP(i, n) {
        cx<double> v = load<R, double>(x, offset_of(dx, i), xc);
        cx<double> r = yc ? mk(ar, ai) * v : mk(ar * v.re, 0.0);
        if (hasb)
            r = yc ? r + mk(br, bi) : mk(r.re + br, 0.0);
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
        XPC_LAUNCH(blocks_for(n), NT, k_affine<double>)(base_of(x), ex, ISC(dx), base_of(y), ey,
                                                ISC(dy), n, ar, ai, br, bi);
    else
        XPC_LAUNCH(blocks_for(n), NT, k_affine<float>)(base_of(x), ex, ISC(dx), base_of(y), ey,
                                               ISC(dy), n, ar, ai, br, bi);
    return finish("affine");
}

/* ---- reduce ------------------------------------------------------------- */

/* n values a stride apart: the scratch of one thread among many, laid out
 * so that the threads of a warp touch neighbouring addresses. */
template <class W> struct Strided {
    W *p;
    int64_t s;
    __device__ __forceinline__ W &operator[](int64_t j) const { return p[j * s]; }
};

/* Quickselect in v[0..n): leaves the k-th smallest at v[k], smaller ones
 * before it and larger ones after. */
template <class W> __device__ void select_k(Strided<W> v, int64_t n, int64_t k)
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

/* Kahan-compensated sum of samples j0, j0 + step, ... below j1 of the
 * slice at xo. */
template <class R>
__device__ cx<double> kahan_sum(const char *x, int64_t xo, int64_t astride, int64_t j0,
                                int64_t j1, int64_t step, int c)
{
    cx<double> s = mk(0.0, 0.0), comp = mk(0.0, 0.0);
    for (int64_t j = j0; j < j1; j += step) {
        cx<double> v = load<R, double>(x, xo + j * astride, c) - comp;
        cx<double> t = s + v;
        comp = (t - s) - v;
        s = t;
    }
    return s;
}

/* One thread per output element (per part for complex medians).  For the
 * median the slice goes to scratch, value j of output o at
 * scratch[j nout + o]. */
template <class R>
__global__ void k_reduce(int op, const char *x, Desc dout, int64_t astride, int64_t len, int c,
                         char *y, Desc dy, int64_t nout, R *scratch)
{
    typedef double W;
    GRID_LOOP(o, nout) {
        int64_t xo = offset_of(dout, o);
        cx<W> r;
        if (op != XP_REDUCE_MEDIAN) {
            cx<W> s = kahan_sum<R>(x, xo, astride, 0, len, 1, c);
            r = s;
            if (op == XP_REDUCE_MEAN)
                r = len ? mk(s.re / len, s.im / len) : mk((W)NAN, c ? (W)NAN : (W)0);
        } else if (len == 0) {
            r = mk((W)NAN, c ? (W)NAN : (W)0);
        } else {
            W part[2] = {0, 0};
            for (int p = 0; p < (c ? 2 : 1); p++) {
                Strided<R> v = {scratch + o, nout};
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

/* Sums along long axes with few outputs: one thread per output would run
 * alone for seconds (a 4096 s strain at 16 kHz is 6.7e7 samples), so each
 * slice is dealt to P threads of its own, CHUNK samples each, thread p
 * taking every P-th sample from p (so that the threads of a warp read
 * neighbouring samples) into part[o * P + p], whose P sums a second
 * kernel adds. */
#ifndef XPC_REDUCE_CHUNK
#define XPC_REDUCE_CHUNK 4096
#endif

template <class R>
__global__ void k_sum_part(const char *x, Desc dout, int64_t astride, int64_t len, int c,
                           int64_t nout, int64_t P, cx<double> *part)
{
    GRID_LOOP(i, nout * P) {
        int64_t o, p;
        divmod(i, P, &o, &p);
        part[i] = kahan_sum<R>(x, offset_of(dout, o), astride, p, len, P, c);
    }
}

template <class R>
__global__ void k_sum_join(int op, const cx<double> *part, int64_t P, int64_t len, int c,
                           char *y, Desc dy, int64_t nout)
{
    GRID_LOOP(o, nout) {
        cx<double> s = mk(0.0, 0.0), comp = mk(0.0, 0.0);
        for (int64_t p = 0; p < P; p++) {
            cx<double> v = part[o * P + p] - comp;
            cx<double> t = s + v;
            comp = (t - s) - v;
            s = t;
        }
        if (op == XP_REDUCE_MEAN)
            s = mk(s.re / len, s.im / len);
        store<R, double>(y, offset_of(dy, o), c, s);
    }
}

template <class R>
static int sum_chunked(int op, const char *x, const Desc &dout, int64_t astride, int64_t len,
                       int c, char *y, const Desc &dy, int64_t nout)
{
    int64_t P = (len + XPC_REDUCE_CHUNK - 1) / XPC_REDUCE_CHUNK;
    void *part = NULL;
    int rc = xpc_scratch("reduce", (size_t)(nout * P) * sizeof(cx<double>), &part);
    if (rc)
        return rc;
    cx<double> *pp = (cx<double> *)part;
    XPC_LAUNCH(blocks_for(nout * P), NT, k_sum_part<R>)(x, dout, astride, len, c, nout, P, pp);
    XPC_LAUNCH(blocks_for(nout), NT, k_sum_join<R>)(op, pp, P, len, c, y, dy, nout);
    rc = finish("reduce");
    xpc_scratch_free(part);
    return rc;
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
    /* x's offsets for each output element: x with the axis cut to 1 */
    int64_t cut[MAXD];
    for (int i = 0; i < x->ndim; i++)
        cut[i] = i == axis ? 1 : x->shape[i];
    DLTensor xc = *x;
    xc.shape = cut;
    Desc dout = desc_of(&xc, x->ndim), ey = desc_of(y, y->ndim);
    if (op != XP_REDUCE_MEDIAN && len >= 2 * XPC_REDUCE_CHUNK && nout < 65536)
        return IS64(dx) ? sum_chunked<double>(op, base_of(x), dout, x->strides[axis], len,
                                              ISC(dx), base_of(y), ey, nout)
                        : sum_chunked<float>(op, base_of(x), dout, x->strides[axis], len,
                                             ISC(dx), base_of(y), ey, nout);
    void *scratch = NULL;
    if (op == XP_REDUCE_MEDIAN && len > 0
        && (rc = xpc_scratch("reduce", (size_t)(nout * len) * (IS64(dx) ? 8 : 4), &scratch)))
        return rc;
    if (IS64(dx))
        XPC_LAUNCH(blocks_for(nout), NT, k_reduce<double>)(op, base_of(x), dout, x->strides[axis], len,
                                                   ISC(dx), base_of(y), ey, nout,
                                                   (double *)scratch);
    else
        XPC_LAUNCH(blocks_for(nout), NT, k_reduce<float>)(op, base_of(x), dout, x->strides[axis], len,
                                                  ISC(dx), base_of(y), ey, nout,
                                                  (float *)scratch);
    rc = finish("reduce");
    xpc_scratch_free(scratch);
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
        XPC_LAUNCH(blocks_for(m), NT, k_interp<double>)(base_of(x), ex, base_of(xp), xp->strides[0],
                                                base_of(fp), fp->strides[0], ISC(dy),
                                                xp->shape[0], base_of(y), ey, m);
    else
        XPC_LAUNCH(blocks_for(m), NT, k_interp<float>)(base_of(x), ex, base_of(xp), xp->strides[0],
                                               base_of(fp), fp->strides[0], ISC(dy),
                                               xp->shape[0], base_of(y), ey, m);
    return finish(fn);
}
