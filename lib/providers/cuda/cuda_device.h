/*
 * cuda_device.h -- what the CUDA provider's kernel files share: tensor
 * descriptors and their offsets, a small complex type, element loads and
 * stores in any of the four dtypes, launch sizes and argument checks.
 * CUDA C++ only (the .cu files).
 */
#ifndef XP_CUDA_DEVICE_H
#define XP_CUDA_DEVICE_H

#include <math.h>
#include "cuda.h"

#define NT 256
#define MAXD XP_MAX_NDIM

/* Shape and strides of a tensor (or of its batch dims). */
struct Desc {
    int ndim;
    int64_t shape[MAXD];
    int64_t strides[MAXD];
};

/* The first ndim dims of t, with dims of size 1 dropped and dims that step
 * as one merged: the same offsets for every C-order index, with fewer
 * divisions per element (none for a contiguous tensor). */
static inline Desc desc_of(const DLTensor *t, int ndim)
{
    Desc d;
    d.ndim = 0;
    for (int i = 0; i < ndim; i++) {
        int64_t n = t->shape[i], st = t->strides[i];
        if (n == 1)
            continue;
        if (d.ndim > 0 && d.strides[d.ndim - 1] == st * n) {
            d.shape[d.ndim - 1] *= n;
            d.strides[d.ndim - 1] = st;
            continue;
        }
        d.shape[d.ndim] = n;
        d.strides[d.ndim++] = st;
    }
    return d;
}

/* *q = i / n, *r = i % n for 0 <= i, 0 < n.  A 64-bit division is a long
 * subroutine on a GPU: 32 bits do where both numbers fit, and nothing
 * where i < n. */
__device__ __forceinline__ void divmod(int64_t i, int64_t n, int64_t *q, int64_t *r)
{
    if (i < n) {
        *q = 0;
        *r = i;
    } else if ((uint64_t)i <= 0xffffffffu && (uint64_t)n <= 0xffffffffu) {
        uint32_t q32 = (uint32_t)i / (uint32_t)n;
        *q = q32;
        *r = (int64_t)((uint32_t)i - q32 * (uint32_t)n);
    } else {
        *q = i / n;
        *r = i - *q * n;
    }
}

/* Element offset of linear (C-order) index i (i below the element count). */
__device__ __forceinline__ int64_t offset_of(const Desc &d, int64_t i)
{
    if (d.ndim <= 1)
        return d.ndim ? i * d.strides[0] : 0;
    int64_t off = 0;
    for (int k = d.ndim - 1; k >= 0; k--) {
        int64_t q, r;
        divmod(i, d.shape[k], &q, &r);
        off += r * d.strides[k];
        i = q;
    }
    return off;
}

static inline char *base_of(const DLTensor *t)
{
    return (char *)t->data + t->byte_offset;
}

static inline unsigned blocks_for(int64_t n)
{
    int64_t b = (n + NT - 1) / NT;
    return (unsigned)(b > 65535LL * 32 ? 65535LL * 32 : b);
}

/* Check the launch and wait for it; errors become XP_* statuses. */
static inline int finish(const char *fn)
{
    return xpc_sync(fn, "kernel");
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

static inline int same_shape(const char *fn, const DLTensor *a, const DLTensor *b, const char *an,
                      const char *bn)
{
    int ok = a->ndim == b->ndim;
    for (int i = 0; ok && i < a->ndim; i++)
        ok = a->shape[i] == b->shape[i];
    return ok ? XP_OK : xpc_error(XP_ESHAPE, "%s: %s and %s shapes differ", fn, an, bn);
}

static inline int check_dt(const char *fn, const DLTensor *t, const char *name, int *dt)
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

/* Offset of batch row r in a tensor of batch dims d. */
__device__ __forceinline__ int64_t row_off(const Desc &d, int64_t r)
{
    return d.ndim ? offset_of(d, r) : 0;
}

#endif /* XP_CUDA_DEVICE_H */
