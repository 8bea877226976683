/*
 * array.c -- xp_array: a DLTensor plus who frees its memory.
 *
 * The array layer never reads element memory itself: it allocates through
 * the provider's table and moves data with its upload/download/unary ops,
 * so the same code serves host, strict and device memory.
 */
#include <string.h>
#include "xp_internal.h"

int64_t xp__shape_size(int ndim, const int64_t *shape)
{
    int64_t n = 1;
    for (int d = 0; d < ndim; d++)
        n *= shape[d];
    return n;
}

void xp__c_strides(int ndim, const int64_t *shape, int64_t *strides)
{
    int64_t s = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        strides[d] = s;
        s *= shape[d] > 1 ? shape[d] : 1;
    }
}

int xp__tensor_is_contiguous(const DLTensor *t)
{
    if (!t->strides)
        return 1;
    int64_t s = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        if (t->shape[d] > 1 && t->strides[d] != s)
            return 0;
        s *= t->shape[d] > 1 ? t->shape[d] : 1;
    }
    return 1;
}

int xp__axis(const char *fn, int axis, int ndim, int *out)
{
    if (axis < -ndim || axis >= ndim || ndim == 0)
        return xp_error(XP_ESHAPE, "%s: axis (%d) is out of range for an array of "
                        "%d dimension%s", fn, axis, ndim, ndim == 1 ? "" : "s");
    *out = axis < 0 ? axis + ndim : axis;
    return XP_OK;
}

static int check_shape(const char *fn, int ndim, const int64_t *shape)
{
    if (ndim < 0 || ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "%s: ndim (%d) must be in [0, %d]", fn, ndim,
                        XP_MAX_NDIM);
    if (ndim > 0 && !shape)
        return xp_error(XP_EINVAL, "%s: shape is NULL", fn);
    for (int d = 0; d < ndim; d++)
        if (shape[d] < 0)
            return xp_error(XP_ESHAPE, "%s: shape[%d] (%lld) must be >= 0", fn, d,
                            (long long)shape[d]);
    /* byte strides and offsets are int64: the product of the nonzero
     * extents, in bytes of the widest dtype, must fit (a zero extent does
     * not make (0, 2^62) safe: its views still stride by 2^62 elements) */
    int64_t n = 1;
    for (int d = 0; d < ndim; d++)
        if (shape[d] > 1) {
            if (n > INT64_MAX / 16 / shape[d])
                return xp_error(XP_ESHAPE, "%s: shape[%d] (%lld) makes the array too large "
                                "to address (over 2^59 elements)", fn, d,
                                (long long)shape[d]);
            n *= shape[d];
        }
    return XP_OK;
}

/* A header only: no memory, provider p, C strides. */
static xp_array *header_new(const xp_provider *p, xp_dtype dtype, int ndim,
                            const int64_t *shape)
{
    xp_array *a = xp__calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->dtype = dtype;
    a->provider = p;
    for (int d = 0; d < ndim; d++)
        a->shape[d] = shape[d];
    xp__c_strides(ndim, a->shape, a->strides);
    a->t.ndim = ndim;
    a->t.shape = a->shape;
    a->t.strides = a->strides;
    xp_dtype_to_dlpack(dtype, &a->t.dtype);
    a->t.device.device_type = p->device_type;
    a->t.device.device_id = 0;
    return a;
}

int xp_array_empty(const xp_provider *p, xp_dtype dtype, int ndim,
                   const int64_t *shape, xp_array **out)
{
    int rc;
    if (!out)
        return xp_error(XP_EINVAL, "xp_array_empty: out is NULL");
    *out = NULL;
    if (!p)
        return xp_error(XP_EINVAL, "xp_array_empty: provider is NULL");
    if (xp_dtype_size(dtype) == 0)
        return xp_error(XP_EDTYPE, "xp_array_empty: dtype (%d) is not a valid xp_dtype",
                        (int)dtype);
    if ((rc = check_shape("xp_array_empty", ndim, shape)))
        return rc;
    const char *why = NULL;
    if (!xp_provider_available(p, &why))
        return xp_error(XP_EUNAVAIL, "xp_array_empty: provider '%s' is unavailable: %s",
                        p->name, why ? why : "unknown reason");
    int64_t n = xp__shape_size(ndim, shape);
    if (n > (int64_t)(SIZE_MAX / 2 / xp_dtype_size(dtype)))
        return xp_error(XP_ENOMEM, "xp_array_empty: %lld elements of %s is too large",
                        (long long)n, xp_dtype_name(dtype));
    xp_array *a = header_new(p, dtype, ndim, shape);
    if (!a)
        return xp_error(XP_ENOMEM, "xp_array_empty: out of memory for the array header");
    rc = p->ops->alloc(p->ctx, (size_t)n * xp_dtype_size(dtype), &a->owned);
    if (rc) {
        xp__free(a);
        return rc == XP_ENOMEM
            ? xp_error(rc, "xp_array_empty: out of memory for %lld elements of %s",
                       (long long)n, xp_dtype_name(dtype))
            : rc;
    }
    a->t.data = a->owned;
    *out = a;
    return XP_OK;
}

int xp_array_zeros(const xp_provider *p, xp_dtype dtype, int ndim,
                   const int64_t *shape, xp_array **out)
{
    int rc = xp_array_empty(p, dtype, ndim, shape, out);
    if (rc == XP_OK && (rc = xp__fill(*out, 0.0, 0.0))) {
        xp_array_free(*out);
        *out = NULL;
    }
    return rc;
}

int xp_array_from_host(const xp_provider *p, xp_dtype dtype, int ndim,
                       const int64_t *shape, const void *data, xp_array **out)
{
    int rc = xp_array_empty(p, dtype, ndim, shape, out);
    if (rc)
        return rc;
    if (xp_array_size(*out) > 0 && !data)
        rc = xp_error(XP_EINVAL, "xp_array_from_host: data is NULL");
    else if (xp_array_size(*out) > 0)
        rc = xp__upload(data, *out);
    if (rc) {
        xp_array_free(*out);
        *out = NULL;
    }
    return rc;
}

const xp_provider *xp__provider_for_device(DLDeviceType type);

static int addressable(int type)
{
    return type == kDLCPU || type == kDLCUDA || type == kDLCUDAHost
        || type == kDLROCM || type == kDLROCMHost || type == kDLCUDAManaged;
}

/* Producers (NumPy, PyTorch) point data at the first element even when
 * negative strides put other elements below it.  Views of the array keep
 * an unsigned byte_offset from the data handle, so move the handle down to
 * the lowest element where it is an address; the first element stays
 * where it was. */
void xp__rebase(xp_array *a)
{
    int64_t low = 0;
    if (!addressable(a->t.device.device_type) || xp__shape_size(a->t.ndim, a->shape) == 0)
        return;
    for (int d = 0; d < a->t.ndim; d++)
        if (a->strides[d] < 0 && a->shape[d] > 1)
            low += (a->shape[d] - 1) * a->strides[d];
    if (low == 0)
        return;
    uint64_t down = (uint64_t)(-low) * xp_dtype_size(a->dtype);
    uintptr_t first = (uintptr_t)a->t.data + (uintptr_t)a->t.byte_offset;
    a->t.data = (void *)(first - (uintptr_t)down);
    a->t.byte_offset = down;
}

int xp_array_wrap(const DLTensor *t, xp_array **out)
{
    int rc;
    xp_dtype dtype;
    if (!out)
        return xp_error(XP_EINVAL, "xp_array_wrap: out is NULL");
    *out = NULL;
    if (!t)
        return xp_error(XP_EINVAL, "xp_array_wrap: tensor is NULL");
    if ((rc = xp__tensor_dtype(t, &dtype)))
        return rc;
    if ((rc = check_shape("xp_array_wrap", t->ndim, t->shape)))
        return rc;
    const xp_provider *p = xp__provider_for_device(t->device.device_type);
    if (!p)
        return xp_error(XP_EDEVICE, "xp_array_wrap: no provider for DLPack device type %d",
                        (int)t->device.device_type);
    xp_array *a = header_new(p, dtype, t->ndim, t->shape);
    if (!a)
        return xp_error(XP_ENOMEM, "xp_array_wrap: out of memory for the array header");
    if (t->strides)
        for (int d = 0; d < t->ndim; d++)
            a->strides[d] = t->strides[d];
    a->t.data = t->data;
    a->t.byte_offset = t->byte_offset;
    a->t.device = t->device;
    xp__rebase(a);
    *out = a;
    return XP_OK;
}

int xp_array_to_host(const xp_array *a, void *dst, size_t nbytes)
{
    if (!a || (!dst && xp_array_size(a) > 0))
        return xp_error(XP_EINVAL, "xp_array_to_host: %s is NULL", a ? "dst" : "array");
    size_t need = (size_t)xp_array_size(a) * xp_dtype_size(a->dtype);
    if (nbytes < need)
        return xp_error(XP_EINVAL, "xp_array_to_host: nbytes (%zu) is less than the "
                        "array's %zu bytes", nbytes, need);
    return need ? xp__download(a, dst) : XP_OK;
}

int xp_array_to_provider(const xp_array *a, const xp_provider *p, xp_array **out)
{
    int rc;
    if (!out)
        return xp_error(XP_EINVAL, "xp_array_to_provider: out is NULL");
    *out = NULL;
    if (!a || !p)
        return xp_error(XP_EINVAL, "xp_array_to_provider: %s is NULL", a ? "provider" : "array");
    if (p == a->provider)
        return xp_array_astype(a, a->dtype, out);
    size_t nbytes = (size_t)xp_array_size(a) * xp_dtype_size(a->dtype);
    void *buf = xp__aligned_alloc(nbytes);
    if (!buf)
        return xp_error(XP_ENOMEM, "xp_array_to_provider: out of memory for %zu bytes", nbytes);
    rc = nbytes ? xp__download(a, buf) : XP_OK;
    if (rc == XP_OK)
        rc = xp_array_from_host(p, a->dtype, a->t.ndim, a->shape, buf, out);
    xp__aligned_free(buf);
    return rc;
}

int xp_array_astype(const xp_array *a, xp_dtype dtype, xp_array **out)
{
    if (!out)
        return xp_error(XP_EINVAL, "xp_array_astype: out is NULL");
    *out = NULL;
    if (!a)
        return xp_error(XP_EINVAL, "xp_array_astype: array is NULL");
    if (xp_dtype_is_complex(a->dtype) && !xp_dtype_is_complex(dtype))
        return xp_error(XP_EDTYPE, "xp_array_astype: cannot cast %s to %s "
                        "(take the real part or the magnitude explicitly)",
                        xp_dtype_name(a->dtype), xp_dtype_name(dtype));
    int rc = xp_array_empty(a->provider, dtype, a->t.ndim, a->shape, out);
    if (rc == XP_OK && xp_array_size(a) > 0 && (rc = xp__copy(a, *out))) {
        xp_array_free(*out);
        *out = NULL;
    }
    return rc;
}

void xp_array_free(xp_array *a)
{
    if (!a)
        return;
    if (a->owned)
        a->provider->ops->free(a->provider->ctx, a->owned);
    if (a->release)
        a->release(a->release_ctx);
    xp__free(a);
}

int xp_array_ndim(const xp_array *a)
{
    return a ? a->t.ndim : -1;
}

int64_t xp_array_dim(const xp_array *a, int axis)
{
    if (!a || axis < -a->t.ndim || axis >= a->t.ndim)
        return -1;
    return a->shape[axis < 0 ? axis + a->t.ndim : axis];
}

int64_t xp_array_size(const xp_array *a)
{
    return a ? xp__shape_size(a->t.ndim, a->shape) : 0;
}

xp_dtype xp_array_dtype(const xp_array *a)
{
    return a ? a->dtype : XP_FLOAT64;
}

const xp_provider *xp_array_provider(const xp_array *a)
{
    return a ? a->provider : NULL;
}

const DLTensor *xp_array_dltensor(const xp_array *a)
{
    return a ? &a->t : NULL;
}

int xp_get_namespace(int n, const xp_array *const *arrays, const xp_provider **out)
{
    const xp_array *first = NULL;
    if (!out)
        return xp_error(XP_EINVAL, "get_namespace: out is NULL");
    *out = NULL;
    for (int i = 0; i < n; i++) {
        const xp_array *a = arrays[i];
        if (!a)
            continue;
        if (!first) {
            first = a;
            continue;
        }
        if (a->provider != first->provider
            || a->t.device.device_id != first->t.device.device_id)
            return xp_error(XP_EDEVICE, "get_namespace: arrays live on different "
                            "devices (%s:%d and %s:%d); convert explicitly with "
                            "xp_array_to_provider", first->provider->name,
                            first->t.device.device_id, a->provider->name,
                            a->t.device.device_id);
    }
    if (!first)
        return xp_error(XP_EINVAL, "get_namespace: no array given");
    *out = first->provider;
    return XP_OK;
}
