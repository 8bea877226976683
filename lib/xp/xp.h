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

XP_API int xp_dtype_from_dlpack(DLDataType dt, xp_dtype *out);
XP_API DLDataType xp_dtype_to_dlpack(xp_dtype dtype);
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

/* The provider all arrays share (NULL entries are skipped); XP_EDEVICE when
 * they live on different devices: never a silent copy. */
XP_API int xp_get_namespace(int n, const xp_array *const *arrays,
                            const xp_provider **out);

#ifdef __cplusplus
}
#endif
#endif /* XP_H */
