/*
 * xp.h -- the array layer of libxpsignal.
 *
 * An xp_array is a DLPack DLTensor plus ownership.  Every array lives on a
 * provider (host memory, a CUDA device, the strict test space); the provider
 * is found from the array's DLPack device and does all the work through its
 * xp_ops table.  Nothing here knows about signals.
 *
 * Conventions: every function returning int returns 0 (XP_OK) or an XP_E*
 * status; xp_errmsg() then says what was wrong.  Sizes are int64_t, counts of
 * bytes size_t.  Objects are created by the _create and _empty functions and released by the
 * matching _free function, which accepts NULL.
 */
#ifndef XP_H
#define XP_H

#include <stddef.h>
#include <stdint.h>
#include <dlpack/dlpack.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(XP_BUILDING) && defined(__GNUC__)
#define XP_API __attribute__((visibility("default")))
#else
#define XP_API
#endif

/* ---------------------------------------------------------------- status */

enum {
    XP_OK = 0,
    XP_EINVAL = 1,      /* an argument has a wrong value */
    XP_ENOMEM = 2,      /* an allocation failed */
    XP_EDTYPE = 3,      /* unsupported or mismatched dtype */
    XP_ESHAPE = 4,      /* mismatched or invalid shape, axis or strides */
    XP_EDEVICE = 5,     /* mixed devices, or no provider for a device */
    XP_EUNAVAIL = 6,    /* the provider or operation is not available */
    XP_EIO = 7,         /* a file could not be read or written */
    XP_EFORMAT = 8,     /* a file or string is malformed */
    XP_EINTERNAL = 9    /* a library or backend call failed unexpectedly */
};

XP_API const char *xp_strerror(int status);     /* never NULL */
XP_API const char *xp_errmsg(void);             /* this thread's last message, "" if none */
XP_API void xp_clear_error(void);
XP_API const char *xp_version(void);            /* "MAJOR.MINOR.PATCH" */

/* ---------------------------------------------------------------- dtypes */

typedef enum {
    XP_FLOAT32 = 0,
    XP_FLOAT64 = 1,
    XP_COMPLEX64 = 2,
    XP_COMPLEX128 = 3
} xp_dtype;

/* *out = the xp_dtype of *dt (one lane); XP_EDTYPE for any other type. */
XP_API int xp_dtype_from_dlpack(const DLDataType *dt, xp_dtype *out);
/* *out = dtype's DLPack type; XP_EDTYPE for an invalid dtype. */
XP_API int xp_dtype_to_dlpack(xp_dtype dtype, DLDataType *out);
XP_API size_t xp_dtype_size(xp_dtype dtype);     /* bytes per element */
XP_API const char *xp_dtype_name(xp_dtype dtype); /* "float64", ... */
XP_API int xp_dtype_is_complex(xp_dtype dtype);
XP_API xp_dtype xp_dtype_real(xp_dtype dtype);    /* complex128 -> float64 */
XP_API xp_dtype xp_dtype_complex(xp_dtype dtype); /* float32 -> complex64 */

#define XP_MAX_NDIM 16

/* ------------------------------------------------------------- providers */

typedef struct xp_provider xp_provider;
struct xp_ops;

XP_API int64_t xp_provider_count(void);
XP_API const xp_provider *xp_provider_get(int64_t i);           /* 0 <= i < count, else NULL */
XP_API const xp_provider *xp_provider_find(const char *name);   /* NULL if unknown */
XP_API const xp_provider *xp_provider_host(void);
XP_API const char *xp_provider_name(const xp_provider *p);
XP_API const char *xp_provider_description(const xp_provider *p);
XP_API DLDeviceType xp_provider_device_type(const xp_provider *p);
/* 1 if usable now; else 0 and *why (if non-NULL) says why */
XP_API int xp_provider_available(const xp_provider *p, const char **why);
/* worker threads for batched operations; n >= 1, or 0 for all cores */
XP_API int xp_provider_set_threads(const xp_provider *p, int n);
/* The stream the calling thread's later work on p is queued on: a
 * cudaStream_t for "cuda" (or DLPack's 1 / 2 for the legacy / per-thread
 * default stream); NULL, the default, for every provider.  A provider
 * without streams accepts only NULL (XP_EUNAVAIL otherwise). */
XP_API int xp_provider_set_stream(const xp_provider *p, void *stream);

/* Counters a provider keeps (the strict provider counts every transfer). */
typedef struct {
    size_t size;                /* sizeof(xp_provider_stats), set by caller */
    int64_t uploads;            /* host -> provider copies */
    int64_t downloads;          /* provider -> host copies */
    int64_t upload_bytes;
    int64_t download_bytes;
    int64_t allocs;             /* live provider allocations */
    int64_t alloc_bytes;        /* live provider bytes */
} xp_provider_stats;

XP_API int xp_provider_stats_get(const xp_provider *p, xp_provider_stats *st);
XP_API int xp_provider_stats_reset(const xp_provider *p);

/* ---------------------------------------------------------------- arrays */

typedef struct xp_array xp_array;

/* New uninitialized C-ordered array on p; ndim <= XP_MAX_NDIM, shape[i] >= 0. */
XP_API int xp_array_empty(const xp_provider *p, xp_dtype dtype, int ndim,
                          const int64_t *shape, xp_array **out);
XP_API int xp_array_zeros(const xp_provider *p, xp_dtype dtype, int ndim,
                          const int64_t *shape, xp_array **out);
/* New array on p holding a copy of C-ordered host data (prod(shape) elements). */
XP_API int xp_array_from_host(const xp_provider *p, xp_dtype dtype, int ndim,
                              const int64_t *shape, const void *data,
                              xp_array **out);
/* Borrow a DLTensor (any strides, NULL = C order) without copying; the
 * caller keeps it alive until the array is freed.  The provider is found
 * from t->device. */
XP_API int xp_array_wrap(const DLTensor *t, xp_array **out);
/* Copy the whole array to C-ordered host memory; nbytes >= size * elemsize. */
XP_API int xp_array_to_host(const xp_array *a, void *dst, size_t nbytes);
/* Explicit conversion: a new array on provider p with a's values (C order). */
XP_API int xp_array_to_provider(const xp_array *a, const xp_provider *p,
                                xp_array **out);
/* New C-ordered array on a's provider with a's values converted to dtype. */
XP_API int xp_array_astype(const xp_array *a, xp_dtype dtype, xp_array **out);
XP_API void xp_array_free(xp_array *a);

XP_API int xp_array_ndim(const xp_array *a);
XP_API int64_t xp_array_dim(const xp_array *a, int axis);     /* negative axis counts from the end */
XP_API int64_t xp_array_size(const xp_array *a);              /* product of the shape */
XP_API xp_dtype xp_array_dtype(const xp_array *a);
XP_API const xp_provider *xp_array_provider(const xp_array *a);
XP_API const DLTensor *xp_array_dltensor(const xp_array *a);

/* A view of a along axis: count elements from start, every step-th (step
 * != 0; negative walks backwards).  No copy: a must outlive the view, which
 * is freed with xp_array_free (that frees the header only). */
XP_API int xp_array_slice(const xp_array *a, int axis, int64_t start, int64_t count,
                          int64_t step, xp_array **out);

/* The provider all arrays share (NULL entries are skipped); XP_EDEVICE when
 * they live on different devices: never a silent copy. */
XP_API int xp_get_namespace(int n, const xp_array *const *arrays,
                            const xp_provider **out);

/* --------------------------------------------------------- DLPack exchange
 * Arrays cross library boundaries (PyTorch, CuPy, JAX, NumPy, another C
 * library) as DLPack managed tensors, without copying.  Two structs exist:
 * the legacy DLManagedTensor of DLPack 0.x and the versioned struct of
 * DLPack 1.x, which adds an ABI version and flags (read-only, copied).
 *
 * Ownership, as DLPack's rule says (whoever holds the managed tensor calls
 * its deleter exactly once):
 *  - import (xp_array_from_dlpack*): on success the new array owns the
 *    managed tensor and calls its deleter exactly once, when the array is
 *    freed with xp_array_free (never before); the caller must neither call
 *    the deleter nor touch the tensor afterwards.  On any failure *out is
 *    NULL, the deleter has not been called and the caller still owns the
 *    tensor (it must call the deleter itself, also when the versioned
 *    struct's major version is not supported, as DLPack asks of consumers).
 *  - export (xp_array_to_dlpack*): on success the managed tensor takes the
 *    array over: the caller must no longer use or free the array, and the
 *    consumer calls the deleter exactly once, which frees the array (and,
 *    for an imported array, calls the original deleter in turn).  On
 *    failure *out is NULL and the caller still owns the array.
 *
 * Any strides (negative and zero included, NULL meaning C order) and any
 * byte_offset are accepted on import.  Only float32, float64, complex64
 * and complex128 with one lane are supported (XP_EDTYPE otherwise), and
 * only devices of a provider in this build (XP_EDEVICE otherwise, e.g. a
 * CUDA tensor without the CUDA provider; XP_EUNAVAIL if the provider is
 * unusable here).  Where negative strides put elements below the first one
 * (NumPy's x[::-1]), the array's data handle is moved down to the lowest
 * element and byte_offset leads to the first (address devices only: CPU,
 * CUDA, ROCm).  Exported tensors always carry explicit element strides.
 *
 * A read-only array (imported with XP_DLPACK_FLAG_BITMASK_READ_ONLY) is
 * never written: every operation given it as an output fails with
 * XP_EINVAL; views of it are read-only too, and it is exported only as a
 * versioned tensor carrying the flag.
 *
 * The versioned struct comes from the installed dlpack.h when that is
 * DLPack 1.x; older headers (Debian's 0.6) lack it, and the ABI-compatible
 * layout of the DLPack 1.x specification is declared here under xp_ names.
 */

/* The DLPack ABI version this library reads and writes (1.0). */
#define XP_DLPACK_MAJOR_VERSION 1
#define XP_DLPACK_MINOR_VERSION 0

/* Flags of the versioned struct (DLPACK_FLAG_BITMASK_* in DLPack 1.x). */
#define XP_DLPACK_FLAG_BITMASK_READ_ONLY ((uint64_t)1 << 0) /* must not be written */
#define XP_DLPACK_FLAG_BITMASK_IS_COPIED ((uint64_t)1 << 1) /* producer made a copy */

#if defined(DLPACK_MAJOR_VERSION) && DLPACK_MAJOR_VERSION == 1
typedef DLPackVersion xp_dlpack_version;
typedef DLManagedTensorVersioned xp_managed_tensor_versioned;
#else
/* DLPackVersion of DLPack 1.x. */
typedef struct {
    uint32_t major;             /* a different major changes the layout below */
    uint32_t minor;
} xp_dlpack_version;

/* DLManagedTensorVersioned of DLPack 1.x: version, manager_ctx and deleter
 * keep their place in every major version, so a consumer can always call
 * the deleter. */
typedef struct xp_managed_tensor_versioned {
    xp_dlpack_version version;  /* of the producer's ABI */
    void *manager_ctx;          /* the producer's; may be NULL */
    /* frees the whole struct and what it manages; may be NULL */
    void (*deleter)(struct xp_managed_tensor_versioned *self);
    uint64_t flags;             /* XP_DLPACK_FLAG_BITMASK_* */
    DLTensor dl_tensor;
} xp_managed_tensor_versioned;
#endif

/* Import a legacy (DLPack 0.x) managed tensor without copying; mt and its
 * dl_tensor stay valid until its deleter is called.  Ownership: see above. */
XP_API int xp_array_from_dlpack(DLManagedTensor *mt, xp_array **out);
/* Import a versioned (DLPack 1.x) managed tensor without copying;
 * mt->version.major must be 1 (XP_EINVAL otherwise, caller keeps mt); the
 * READ_ONLY flag makes a read-only array.  Ownership: see above. */
XP_API int xp_array_from_dlpack_versioned(xp_managed_tensor_versioned *mt,
                                          xp_array **out);
/* Export a as a legacy managed tensor, without copying; a must not be
 * read-only (the legacy struct cannot say so: XP_EINVAL).  Success hands a
 * over to *out: see above. */
XP_API int xp_array_to_dlpack(xp_array *a, DLManagedTensor **out);
/* Export a as a versioned managed tensor (version 1.0; READ_ONLY set for a
 * read-only array), without copying.  Success hands a over to *out. */
XP_API int xp_array_to_dlpack_versioned(xp_array *a, xp_managed_tensor_versioned **out);
/* 1 if a must not be written (imported read-only, or a view of such), else 0. */
XP_API int xp_array_is_readonly(const xp_array *a);

#ifdef __cplusplus
}
#endif
#endif /* XP_H */
