/*
 * dlpack_exchange.c -- xp_array in and out of DLPack managed tensors.
 *
 * Import puts a header over the producer's memory and keeps the managed
 * tensor in the array's release hook, so xp_array_free calls its deleter,
 * once.  Export wraps the array in a managed tensor whose deleter frees
 * the array.  Nothing is copied either way.  Every check runs before the
 * one allocation that can fail, so a failure leaves the caller's tensor
 * or array exactly as it was.
 */
#include <string.h>
#include "xp_internal.h"

const xp_provider *xp__provider_for_device(DLDeviceType type);

static const char *device_name(int type)
{
    switch (type) {
    case kDLCPU: return "CPU";
    case kDLCUDA: return "CUDA";
    case kDLCUDAHost: return "CUDA host";
    case kDLOpenCL: return "OpenCL";
    case kDLVulkan: return "Vulkan";
    case kDLMetal: return "Metal";
    case kDLVPI: return "VPI";
    case kDLROCM: return "ROCm";
    case kDLROCMHost: return "ROCm host";
    case kDLExtDev: return "ExtDev";
    case kDLCUDAManaged: return "CUDA managed";
    case 14: return "oneAPI";
    case 15: return "WebGPU";
    case 16: return "Hexagon";
    default: return "unknown";
    }
}

static const char *dtype_code_name(unsigned code)
{
    switch (code) {
    case kDLInt: return "int";
    case kDLUInt: return "uint";
    case kDLFloat: return "float";
    case kDLBfloat: return "bfloat";
    case kDLComplex: return "complex";
    case 6: return "bool";
    default: return NULL;
    }
}

#define SUPPORTED "(float32, float64, complex64 and complex128 are)"

/* Everything about t that can be wrong, checked before any allocation. */
static int check_tensor(const char *fn, const DLTensor *t, const xp_provider **prov)
{
    xp_dtype dt;
    if (xp_dtype_from_dlpack(&t->dtype, &dt) != XP_OK) {
        const char *name = dtype_code_name(t->dtype.code);
        unsigned bits = t->dtype.bits, lanes = t->dtype.lanes;
        if (lanes != 1)
            return xp_error(XP_EDTYPE, "%s: vector dtype with %u lanes is not "
                            "supported " SUPPORTED, fn, lanes);
        if (!name)
            return xp_error(XP_EDTYPE, "%s: DLPack type code %u (%u bits) is not "
                            "supported " SUPPORTED, fn, (unsigned)t->dtype.code, bits);
        return xp_error(XP_EDTYPE, "%s: dtype %s%u is not supported " SUPPORTED,
                        fn, name, bits);
    }
    if (t->ndim < 0 || t->ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "%s: ndim (%d) must be in [0, %d]", fn, t->ndim,
                        XP_MAX_NDIM);
    if (t->ndim > 0 && !t->shape)
        return xp_error(XP_EINVAL, "%s: shape is NULL for %d dimensions", fn, t->ndim);
    int64_t n = 1;
    for (int d = 0; d < t->ndim; d++) {
        if (t->shape[d] < 0)
            return xp_error(XP_ESHAPE, "%s: shape[%d] (%lld) must be >= 0", fn, d,
                            (long long)t->shape[d]);
        n *= t->shape[d];
    }
    if (n > 0 && !t->data)
        return xp_error(XP_EINVAL, "%s: data is NULL for %lld elements", fn,
                        (long long)n);
    const xp_provider *p = xp__provider_for_device(t->device.device_type);
    const char *why = NULL;
    /* CUDA: the provider works on device 0 only (on the caller's stream), and
     * a CUDA tensor with no usable provider is a device we cannot serve. */
    if (p && t->device.device_type == kDLCUDA
        && (t->device.device_id != 0 || !xp_provider_available(p, &why)))
        return xp_error(XP_EDEVICE, "%s: no usable provider for DLPack device %s "
                        "(type %d, id %d): %s%s", fn, device_name(t->device.device_type),
                        (int)t->device.device_type, t->device.device_id,
                        why ? "the cuda provider is unavailable: " : "the cuda provider "
                        "serves device 0 only", why ? why : "");
    if (!p)
        return xp_error(XP_EDEVICE, "%s: no provider in this build for DLPack device "
                        "%s (type %d, id %d)", fn, device_name(t->device.device_type),
                        (int)t->device.device_type, t->device.device_id);
    if (!xp_provider_available(p, &why))
        return xp_error(XP_EUNAVAIL, "%s: provider '%s' for DLPack device %s is "
                        "unavailable: %s", fn, p->name,
                        device_name(t->device.device_type), why ? why : "unknown reason");
    *prov = p;
    return XP_OK;
}

/* Devices whose data handle is a plain address. */
/* A header over t's memory (strides NULL: C order); NULL when out of memory. */
static xp_array *header_over(const xp_provider *p, const DLTensor *t)
{
    xp_array *a = xp__calloc(1, sizeof *a);
    if (!a)
        return NULL;
    xp_dtype_from_dlpack(&t->dtype, &a->dtype);
    a->provider = p;
    for (int d = 0; d < t->ndim; d++)
        a->shape[d] = t->shape[d];
    if (t->strides)
        for (int d = 0; d < t->ndim; d++)
            a->strides[d] = t->strides[d];
    else
        xp__c_strides(t->ndim, a->shape, a->strides);
    a->t = *t;
    a->t.shape = a->shape;
    a->t.strides = a->strides;
    xp__rebase(a);
    return a;
}

static void release_legacy(void *ctx)
{
    DLManagedTensor *mt = ctx;
    if (mt->deleter)
        mt->deleter(mt);
}

static void release_versioned(void *ctx)
{
    xp_managed_tensor_versioned *mt = ctx;
    if (mt->deleter)
        mt->deleter(mt);
}

int xp_array_from_dlpack(DLManagedTensor *mt, xp_array **out)
{
    const char *fn = "xp_array_from_dlpack";
    const xp_provider *p;
    int rc;
    if (!out)
        return xp_error(XP_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!mt)
        return xp_error(XP_EINVAL, "%s: managed tensor is NULL", fn);
    if ((rc = check_tensor(fn, &mt->dl_tensor, &p)))
        return rc;
    xp_array *a = header_over(p, &mt->dl_tensor);
    if (!a)
        return xp_error(XP_ENOMEM, "%s: out of memory for the array header", fn);
    a->release = release_legacy;
    a->release_ctx = mt;
    *out = a;
    return XP_OK;
}

int xp_array_from_dlpack_versioned(xp_managed_tensor_versioned *mt, xp_array **out)
{
    const char *fn = "xp_array_from_dlpack_versioned";
    const xp_provider *p;
    int rc;
    if (!out)
        return xp_error(XP_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!mt)
        return xp_error(XP_EINVAL, "%s: managed tensor is NULL", fn);
    /* Only version, manager_ctx and deleter may be read under another major. */
    if (mt->version.major != XP_DLPACK_MAJOR_VERSION)
        return xp_error(XP_EINVAL, "%s: DLPack version %u.%u is not supported "
                        "(this library reads %d.x); the caller must call the deleter",
                        fn, (unsigned)mt->version.major, (unsigned)mt->version.minor,
                        XP_DLPACK_MAJOR_VERSION);
    if ((rc = check_tensor(fn, &mt->dl_tensor, &p)))
        return rc;
    xp_array *a = header_over(p, &mt->dl_tensor);
    if (!a)
        return xp_error(XP_ENOMEM, "%s: out of memory for the array header", fn);
    a->readonly = (mt->flags & XP_DLPACK_FLAG_BITMASK_READ_ONLY) != 0;
    a->release = release_versioned;
    a->release_ctx = mt;
    *out = a;
    return XP_OK;
}

/* ------------------------------------------------------------------ export
 * The managed tensor and the array it owns travel together; the tensor's
 * shape and strides point into the array's header, which lives as long. */

typedef struct {
    DLManagedTensor mt;
    xp_array *array;
} export_legacy;

typedef struct {
    xp_managed_tensor_versioned mt;
    xp_array *array;
} export_versioned;

static void delete_legacy(DLManagedTensor *self)
{
    export_legacy *e = (export_legacy *)self;   /* mt is the first member */
    if (!e)
        return;
    xp_array_free(e->array);
    xp__free(e);
}

static void delete_versioned(xp_managed_tensor_versioned *self)
{
    export_versioned *e = (export_versioned *)self;
    if (!e)
        return;
    xp_array_free(e->array);
    xp__free(e);
}

static int check_export(const char *fn, const xp_array *a, const void *out)
{
    if (!out)
        return xp_error(XP_EINVAL, "%s: out is NULL", fn);
    if (!a)
        return xp_error(XP_EINVAL, "%s: array is NULL", fn);
    return XP_OK;
}

int xp_array_to_dlpack(xp_array *a, DLManagedTensor **out)
{
    const char *fn = "xp_array_to_dlpack";
    int rc = check_export(fn, a, out);
    if (rc)
        return rc;
    *out = NULL;
    if (a->readonly)
        return xp_error(XP_EINVAL, "%s: the array is read-only and a legacy "
                        "DLManagedTensor cannot say so; export it with "
                        "xp_array_to_dlpack_versioned", fn);
    export_legacy *e = xp__calloc(1, sizeof *e);
    if (!e)
        return xp_error(XP_ENOMEM, "%s: out of memory for the managed tensor", fn);
    e->array = a;
    e->mt.dl_tensor = a->t;
    e->mt.manager_ctx = a;
    e->mt.deleter = delete_legacy;
    *out = &e->mt;
    return XP_OK;
}

int xp_array_to_dlpack_versioned(xp_array *a, xp_managed_tensor_versioned **out)
{
    const char *fn = "xp_array_to_dlpack_versioned";
    int rc = check_export(fn, a, out);
    if (rc)
        return rc;
    *out = NULL;
    export_versioned *e = xp__calloc(1, sizeof *e);
    if (!e)
        return xp_error(XP_ENOMEM, "%s: out of memory for the managed tensor", fn);
    e->array = a;
    e->mt.version.major = XP_DLPACK_MAJOR_VERSION;
    e->mt.version.minor = XP_DLPACK_MINOR_VERSION;
    e->mt.manager_ctx = a;
    e->mt.deleter = delete_versioned;
    e->mt.flags = a->readonly ? XP_DLPACK_FLAG_BITMASK_READ_ONLY : 0;
    e->mt.dl_tensor = a->t;
    *out = &e->mt;
    return XP_OK;
}

int xp_array_is_readonly(const xp_array *a)
{
    return a ? a->readonly != 0 : 0;
}
