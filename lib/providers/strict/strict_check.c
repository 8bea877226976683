/*
 * strict_check.c -- validation of the tensors handed to the strict
 * provider: device, dtype, shape and strides, and that every element lies
 * inside the one live allocation the data handle names.  Messages read
 * "strict: <op>: <argument> ...".
 */
#include <stdio.h>
#include <string.h>
#include "strict.h"

static const char *dtype_name(xp_dtype d)
{
    static const char *const names[] = {"float32", "float64", "complex64",
                                        "complex128"};
    return (unsigned)d < 4 ? names[d] : "?";
}

/* "(3, 4)" into buf. */
static const char *dims(char *buf, size_t cap, int n, const int64_t *v)
{
    size_t k = 0;
    k += (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < n && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, i ? ", %lld" : "%lld",
                              (long long)v[i]);
    if (k < cap)
        snprintf(buf + k, cap - k, n == 1 ? ",)" : ")");
    return buf;
}

int xp__strict_enter(xp__strict_ctx *c, const char *fn)
{
    long n = atomic_exchange(&c->pending, 0);
    if (n)
        return xp_error(XP_EINTERNAL, "strict: %s: %ld corrupted guard zone(s) "
                        "or bad free(s) were found when freeing earlier "
                        "allocations", fn, n);
    return XP_OK;
}

static int decode_dtype(DLDataType dt, xp_dtype *out, size_t *isz)
{
    if (dt.lanes != 1)
        return -1;
    if (dt.code == kDLFloat && dt.bits == 32)
        *out = XP_FLOAT32;
    else if (dt.code == kDLFloat && dt.bits == 64)
        *out = XP_FLOAT64;
    else if (dt.code == kDLComplex && dt.bits == 64)
        *out = XP_COMPLEX64;
    else if (dt.code == kDLComplex && dt.bits == 128)
        *out = XP_COMPLEX128;
    else
        return -1;
    *isz = dt.bits / 8;
    return 0;
}

/* Element span [lo, hi] (in elements from the first) addressed by t,
 * which has at least one element; -1 on overflow. */
static int span(const DLTensor *t, int64_t *lo, int64_t *hi)
{
    *lo = *hi = 0;
    for (int d = 0; d < t->ndim; d++) {
        int64_t step;
        if (__builtin_mul_overflow(t->shape[d] - 1, t->strides[d], &step))
            return -1;
        if (__builtin_add_overflow(step < 0 ? *lo : *hi, step,
                                   step < 0 ? lo : hi))
            return -1;
    }
    return 0;
}

/* Bounds of the elements of v->t in bytes from the block's data. */
static int bounds(const char *fn, xp__strict_view *v)
{
    const DLTensor *t = v->orig;
    const xp__strict_block *b = v->blk;
    char s1[XP_MAX_NDIM * 22 + 4], s2[XP_MAX_NDIM * 22 + 4];
    int64_t lo, hi, off = (int64_t)t->byte_offset, isz = (int64_t)v->isz;

    if (t->byte_offset > (uint64_t)b->size)
        return xp_error(XP_ESHAPE, "strict: %s: %s byte_offset (%llu) is past "
                        "the end of its %zu-byte allocation", fn, v->name,
                        (unsigned long long)t->byte_offset, b->size);
    if (v->count == 0) {
        v->lo = v->hi = off;
        return XP_OK;
    }
    if (span(t, &lo, &hi) || __builtin_mul_overflow(lo, isz, &lo)
        || __builtin_add_overflow(hi, 1, &hi)
        || __builtin_mul_overflow(hi, isz, &hi) || __builtin_add_overflow(hi, off, &hi))
        return xp_error(XP_ESHAPE, "strict: %s: %s shape %s with strides %s "
                        "overflows", fn, v->name,
                        dims(s1, sizeof s1, t->ndim, t->shape),
                        dims(s2, sizeof s2, t->ndim, t->strides));
    lo += off;
    if (lo < 0 || hi > (int64_t)b->size)
        return xp_error(XP_ESHAPE, "strict: %s: %s shape %s with strides %s "
                        "and byte_offset %lld addresses bytes [%lld, %lld), "
                        "outside its %zu-byte allocation", fn, v->name,
                        dims(s1, sizeof s1, t->ndim, t->shape),
                        dims(s2, sizeof s2, t->ndim, t->strides),
                        (long long)off, (long long)lo, (long long)hi, b->size);
    v->lo = lo;
    v->hi = hi;
    return XP_OK;
}

int xp__strict_take(xp__strict_ctx *c, const char *fn, const char *name,
                    const DLTensor *t, xp__strict_view *v)
{
    memset(v, 0, sizeof *v);
    v->name = name;
    v->orig = t;
    if (!t)
        return xp_error(XP_EINVAL, "strict: %s: %s is NULL", fn, name);
    if (t->device.device_type != kDLExtDev || t->device.device_id != 0)
        return xp_error(XP_EDEVICE, "strict: %s: %s is on device (%d, %d), "
                        "not the strict provider's (%d, 0)", fn, name,
                        (int)t->device.device_type, (int)t->device.device_id,
                        (int)kDLExtDev);
    if (t->ndim < 0 || t->ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "strict: %s: %s ndim (%d) must be in "
                        "[0, %d]", fn, name, (int)t->ndim, XP_MAX_NDIM);
    if (t->ndim > 0 && !t->shape)
        return xp_error(XP_ESHAPE, "strict: %s: %s shape is NULL", fn, name);
    if (t->ndim > 0 && !t->strides)
        return xp_error(XP_ESHAPE, "strict: %s: %s strides is NULL (the "
                        "strict provider wants explicit strides)", fn, name);
    if (decode_dtype(t->dtype, &v->dtype, &v->isz))
        return xp_error(XP_EDTYPE, "strict: %s: %s dtype (code %u, bits %u, "
                        "lanes %u) is not float32, float64, complex64 or "
                        "complex128", fn, name, (unsigned)t->dtype.code,
                        (unsigned)t->dtype.bits, (unsigned)t->dtype.lanes);
    v->count = 1;
    for (int d = 0; d < t->ndim; d++) {
        if (t->shape[d] < 0)
            return xp_error(XP_ESHAPE, "strict: %s: %s shape[%d] (%lld) is "
                            "negative", fn, name, d, (long long)t->shape[d]);
        if (__builtin_mul_overflow(v->count, t->shape[d], &v->count))
            return xp_error(XP_ESHAPE, "strict: %s: %s has too many elements",
                            fn, name);
    }
    if (!t->data)
        return xp_error(XP_EINVAL, "strict: %s: %s data is NULL", fn, name);
    if (!xp__strict_debug_is_handle(t->data))
        return xp_error(XP_EINVAL, "strict: %s: %s data (%p) is not a strict "
                        "handle (host memory given to the strict provider?)",
                        fn, name, t->data);
    v->blk = xp__strict_lookup(c, (uint64_t)(uintptr_t)t->data);
    if (!v->blk)
        return xp_error(XP_EINVAL, "strict: %s: %s data (%p) is not a live "
                        "strict allocation (freed already?)", fn, name,
                        t->data);
    if (t->byte_offset % v->isz)
        return xp_error(XP_EINVAL, "strict: %s: %s byte_offset (%llu) is not "
                        "a multiple of its element size (%zu)", fn, name,
                        (unsigned long long)t->byte_offset, v->isz);
    int rc = bounds(fn, v);
    if (rc)
        return rc;
    v->t = *t;
    v->t.data = v->blk->data;
    v->t.device.device_type = kDLCPU;
    v->t.device.device_id = 0;
    return XP_OK;
}

int xp__strict_same_shape(const char *fn, const xp__strict_view *a,
                          const xp__strict_view *b)
{
    int same = a->t.ndim == b->t.ndim;
    for (int d = 0; same && d < a->t.ndim; d++)
        same = a->t.shape[d] == b->t.shape[d];
    if (same)
        return XP_OK;
    char s1[XP_MAX_NDIM * 22 + 4], s2[XP_MAX_NDIM * 22 + 4];
    return xp_error(XP_ESHAPE, "strict: %s: %s shape %s and %s shape %s "
                    "differ", fn, a->name,
                    dims(s1, sizeof s1, a->t.ndim, a->t.shape), b->name,
                    dims(s2, sizeof s2, b->t.ndim, b->t.shape));
}

int xp__strict_dtype_is(const char *fn, const xp__strict_view *a,
                        xp_dtype want)
{
    if (a->dtype == want)
        return XP_OK;
    return xp_error(XP_EDTYPE, "strict: %s: %s is %s, expected %s", fn,
                    a->name, dtype_name(a->dtype), dtype_name(want));
}

int xp__strict_state_shape(const char *fn, const xp__strict_view *s,
                           const xp__strict_view *x, int ntail,
                           const int64_t *tail)
{
    int64_t want[XP_MAX_NDIM + 2];
    int nb = x->t.ndim - 1, n = nb + ntail, same;

    for (int d = 0; d < nb; d++)
        want[d] = x->t.shape[d];
    for (int d = 0; d < ntail; d++)
        want[nb + d] = tail[d];
    same = s->t.ndim == n;
    for (int d = 0; same && d < n; d++)
        same = s->t.shape[d] == want[d];
    if (same)
        return XP_OK;
    char s1[XP_MAX_NDIM * 22 + 48], s2[XP_MAX_NDIM * 22 + 48];
    return xp_error(XP_ESHAPE, "strict: %s: %s shape %s must be %s (the "
                    "batch shape of %s, then %d more)", fn, s->name,
                    dims(s1, sizeof s1, s->t.ndim, s->t.shape),
                    dims(s2, sizeof s2, n, want), x->name, ntail);
}

void xp__strict_read(const xp__strict_view *v, int64_t elem, double *re,
                     double *im)
{
    const char *p = (const char *)v->t.data + v->t.byte_offset
                    + elem * (int64_t)v->isz;
    float f[2];
    double d[2];

    *im = 0;
    switch (v->dtype) {
    case XP_FLOAT32: memcpy(f, p, 4); *re = f[0]; break;
    case XP_FLOAT64: memcpy(d, p, 8); *re = d[0]; break;
    case XP_COMPLEX64: memcpy(f, p, 8); *re = f[0]; *im = f[1]; break;
    default: memcpy(d, p, 16); *re = d[0]; *im = d[1]; break;
    }
}

int xp__strict_leave(const char *fn, int rc, int nout,
                     const xp__strict_view *const *out)
{
    for (int i = 0; i < nout; i++)
        if (out[i] && out[i]->blk) {
            int g = xp__strict_guard_check(fn, out[i]->blk);
            if (g)
                return g;
        }
    return rc;
}
