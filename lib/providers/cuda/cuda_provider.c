/*
 * cuda_provider.c -- the CUDA provider module's entry, memory, streams,
 * transfers and counters; the kernels live in cuda_kernels.cu and
 * cuda_filter.cu, cuFFT in cuda_fft.cu and cuda_welch.cu (the fused
 * Welch loop), cuBLAS in cuda_gemm.c.
 *
 * Arrays are plain cudaMalloc'd device memory (never managed memory) of
 * the current device; scratch is stream-ordered (cudaMallocAsync) where
 * the device supports it, and up to an eighth of the device's memory of it
 * stays in CUDA's pool between calls.  Each thread has its own stream (the default
 * stream until xp_provider_set_stream); transfers go through it and are
 * complete on return.  Live bytes are kept in a small table keyed by
 * pointer, since device memory cannot carry a host-readable size header.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cuda_runtime_api.h>
#include "cuda.h"
#include "cuda_module.h"

int (*xpc_error)(int status, const char *fmt, ...);

/* ---- small helpers shared by the module --------------------------------- */

int xpc_dtype(const DLTensor *t)
{
    DLDataType d = t->dtype;
    if (d.lanes != 1)
        return -1;
    if (d.code == kDLFloat && d.bits == 32) return 0;
    if (d.code == kDLFloat && d.bits == 64) return 1;
    if (d.code == kDLComplex && d.bits == 64) return 2;
    if (d.code == kDLComplex && d.bits == 128) return 3;
    return -1;
}

size_t xpc_dtype_size(int dt)
{
    static const size_t sz[4] = {4, 8, 8, 16};
    return dt >= 0 && dt < 4 ? sz[dt] : 0;
}

size_t xpc_batch_bytes(void)
{
    const char *e = getenv("XPSIGNAL_CUDA_BATCH_MB");
    if (e && *e) {
        char *end;
        long v = strtol(e, &end, 10);
        if (!*end && v >= 1 && v <= 65536)
            return (size_t)v << 20;
    }
    return XPC_BATCH_BYTES;
}

int64_t xpc_numel(const DLTensor *t)
{
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++)
        n *= t->shape[i];
    return n;
}

int xpc_contiguous(const DLTensor *t)
{
    int64_t s = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (t->shape[i] != 1 && t->strides[i] != s)
            return 0;
        s *= t->shape[i];
    }
    return 1;
}

int xpc_cuda_fail(const char *fn, const char *what, int err)
{
    cudaError_t e = (cudaError_t)err;
    int status = XP_EINTERNAL;
    if (e == cudaErrorMemoryAllocation)
        status = XP_ENOMEM;
    else if (e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver)
        status = XP_EUNAVAIL;
    (void)cudaGetLastError();   /* clear a sticky-free error */
    return xpc_error(status, "%s: %s failed: %s (%s)", fn, what,
                     cudaGetErrorString(e), cudaGetErrorName(e));
}

/* ---- streams ------------------------------------------------------------ */

static _Thread_local cudaStream_t thread_stream;

cudaStream_t xpc_stream(void)
{
    return thread_stream;
}

uintptr_t xpc_stream_owner(void)
{
    static _Thread_local char tag;     /* one address per live thread */
    return thread_stream == cudaStreamPerThread ? (uintptr_t)&tag : 0;
}

static int cuda_set_stream(void *ctx, void *stream)
{
    (void)ctx;
    thread_stream = (cudaStream_t)stream;
    return XP_OK;
}

int xpc_sync(const char *fn, const char *what)
{
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess)
        e = cudaStreamSynchronize(thread_stream);
    return e == cudaSuccess ? XP_OK : xpc_cuda_fail(fn, what, e);
}

int xpc_to_host(const char *fn, void *dst, const void *src, size_t n)
{
    cudaError_t e = cudaMemcpyAsync(dst, src, n, cudaMemcpyDeviceToHost, thread_stream);
    if (e != cudaSuccess)
        return xpc_cuda_fail(fn, "cudaMemcpyAsync", e);
    return xpc_sync(fn, "cudaStreamSynchronize");
}

/* ---- scratch: stream-ordered where the device has memory pools ---------- */

static int no_pools;    /* set once cudaMallocAsync said cudaErrorNotSupported */
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

/* The default pool gives its free memory back to the system at every
 * synchronization (release threshold 0), so each call's scratch, a few
 * hundred MB for a welch, was mapped afresh every call.  Keep up to an
 * eighth of the device in it instead; a threshold someone set higher
 * stays.  Failures only cost speed: nothing to report. */
static void pool_keep(void)
{
    int dev = 0;
    size_t free_b = 0, total = 0;
    cudaMemPool_t pool;
    unsigned long long have = 0, want;
    if (cudaGetDevice(&dev) != cudaSuccess || cudaMemGetInfo(&free_b, &total) != cudaSuccess ||
        cudaDeviceGetDefaultMemPool(&pool, dev) != cudaSuccess ||
        cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &have) != cudaSuccess) {
        (void)cudaGetLastError();
        return;
    }
    want = total / 8;
    if (have < want && cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold,
                                               &want) != cudaSuccess)
        (void)cudaGetLastError();
}

int xpc_scratch(const char *fn, size_t nbytes, void **p)
{
    *p = NULL;
    pthread_once(&pool_once, pool_keep);
    cudaError_t e = cudaErrorNotSupported;
    if (!__atomic_load_n(&no_pools, __ATOMIC_RELAXED)) {
        e = cudaMallocAsync(p, nbytes ? nbytes : 1, thread_stream);
        if (e == cudaErrorNotSupported) {
            (void)cudaGetLastError();
            __atomic_store_n(&no_pools, 1, __ATOMIC_RELAXED);
        }
    }
    if (e == cudaErrorNotSupported)
        e = cudaMalloc(p, nbytes ? nbytes : 1);
    if (e != cudaSuccess) {
        *p = NULL;
        return xpc_cuda_fail(fn, "cudaMalloc (scratch)", e);
    }
    return XP_OK;
}

/* cudaFree also takes cudaMallocAsync's blocks (after a device-wide wait). */
void xpc_scratch_free(void *p)
{
    if (!p)
        return;
    if (__atomic_load_n(&no_pools, __ATOMIC_RELAXED))
        cudaFree(p);
    else if (cudaFreeAsync(p, thread_stream) != cudaSuccess) {
        (void)cudaGetLastError();   /* else the next slot's check reports it */
        cudaFree(p);
    }
}

/* ---- counters ----------------------------------------------------------- */

static int64_t n_uploads, n_downloads, n_upload_bytes, n_download_bytes;
static int64_t n_allocs, n_alloc_bytes;

#define ADD(v, d) __atomic_add_fetch(&(v), (d), __ATOMIC_RELAXED)
#define LOAD(v) __atomic_load_n(&(v), __ATOMIC_RELAXED)
#define STORE(v, x) __atomic_store_n(&(v), (x), __ATOMIC_RELAXED)

void xpc_count_transfer(int upload, int64_t bytes)
{
    if (upload) {
        ADD(n_uploads, 1);
        ADD(n_upload_bytes, bytes);
    } else {
        ADD(n_downloads, 1);
        ADD(n_download_bytes, bytes);
    }
}

static int cuda_stats(void *ctx, xp_provider_stats *st, int reset)
{
    (void)ctx;
    if (reset) {
        STORE(n_uploads, 0);
        STORE(n_downloads, 0);
        STORE(n_upload_bytes, 0);
        STORE(n_download_bytes, 0);
        return XP_OK;
    }
    st->uploads = LOAD(n_uploads);
    st->downloads = LOAD(n_downloads);
    st->upload_bytes = LOAD(n_upload_bytes);
    st->download_bytes = LOAD(n_download_bytes);
    st->allocs = LOAD(n_allocs);
    st->alloc_bytes = LOAD(n_alloc_bytes);
    return XP_OK;
}

/* ---- allocation sizes, by pointer --------------------------------------- */

typedef struct block {
    void *p;
    size_t n;
    struct block *next;
} block;

#define NBUCKET 1024
static block *buckets[NBUCKET];
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t bucket_of(const void *p)
{
    return ((uintptr_t)p >> 8) % NBUCKET;
}

static int cuda_alloc(void *ctx, size_t nbytes, void **data)
{
    (void)ctx;
    *data = NULL;
    block *b = malloc(sizeof *b);
    if (!b)
        return xpc_error(XP_ENOMEM, "alloc: out of host memory");
    void *p = NULL;
    cudaError_t e = cudaMalloc(&p, nbytes ? nbytes : 1);   /* 0 bytes: still freeable */
    if (e != cudaSuccess) {
        free(b);
        (void)cudaGetLastError();
        return xpc_error(e == cudaErrorMemoryAllocation ? XP_ENOMEM : XP_EINTERNAL,
                         "alloc: cudaMalloc of %zu bytes failed: %s", nbytes,
                         cudaGetErrorString(e));
    }
    b->p = p;
    b->n = nbytes;
    pthread_mutex_lock(&blocks_lock);
    b->next = buckets[bucket_of(p)];
    buckets[bucket_of(p)] = b;
    pthread_mutex_unlock(&blocks_lock);
    ADD(n_allocs, 1);
    ADD(n_alloc_bytes, (int64_t)nbytes);
    *data = p;
    return XP_OK;
}

static void cuda_free(void *ctx, void *data)
{
    (void)ctx;
    if (!data)
        return;
    block *found = NULL;
    pthread_mutex_lock(&blocks_lock);
    for (block **pp = &buckets[bucket_of(data)]; *pp; pp = &(*pp)->next)
        if ((*pp)->p == data) {
            found = *pp;
            *pp = found->next;
            break;
        }
    pthread_mutex_unlock(&blocks_lock);
    if (found) {
        ADD(n_allocs, -1);
        ADD(n_alloc_bytes, -(int64_t)found->n);
        free(found);
    }
    cudaFree(data);
}

/* ---- host transfers ----------------------------------------------------- */

/* A C-ordered device tensor of t's shape and dtype over buf. */
static void contiguous_like(const DLTensor *t, void *buf, int64_t *strides, DLTensor *out)
{
    *out = *t;
    out->data = buf;
    out->byte_offset = 0;
    int64_t s = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        strides[i] = s;
        s *= t->shape[i];
    }
    out->strides = strides;
}

static int transfer(int upload, const void *host_src, const DLTensor *t, void *host_dst)
{
    const char *fn = upload ? "upload" : "download";
    int dt = xpc_dtype(t);
    if (dt < 0)
        return xpc_error(XP_EDTYPE, "%s: unsupported dtype", fn);
    if (t->ndim > 32)
        return xpc_error(XP_ESHAPE, "%s: ndim (%d) too large", fn, t->ndim);
    size_t nbytes = (size_t)xpc_numel(t) * xpc_dtype_size(dt);
    if (nbytes == 0)
        return XP_OK;
    char *dev = (char *)t->data + t->byte_offset;
    void *tmp = NULL;
    int rc;
    if (!xpc_contiguous(t)) {
        /* gather or scatter through a contiguous device copy */
        rc = xpc_scratch(fn, nbytes, &tmp);
        if (rc)
            return rc;
    }
    int64_t strides[32];
    DLTensor c;
    if (tmp)
        contiguous_like(t, tmp, strides, &c);
    cudaError_t e;
    if (upload) {
        e = cudaMemcpyAsync(tmp ? tmp : dev, host_src, nbytes, cudaMemcpyHostToDevice,
                            thread_stream);
        if (e != cudaSuccess)
            rc = xpc_cuda_fail(fn, "cudaMemcpyAsync", e);
        else
            rc = tmp ? xpc_unary(NULL, XP_UNARY_COPY, &c, t) : XP_OK;
        if (!rc)
            rc = xpc_sync(fn, "cudaStreamSynchronize");
    } else {
        rc = tmp ? xpc_unary(NULL, XP_UNARY_COPY, t, &c) : XP_OK;
        if (!rc)
            rc = xpc_to_host(fn, host_dst, tmp ? tmp : dev, nbytes);
    }
    xpc_scratch_free(tmp);
    if (!rc)
        xpc_count_transfer(upload, (int64_t)nbytes);
    return rc;
}

static int cuda_upload(void *ctx, const void *src, const DLTensor *dst)
{
    (void)ctx;
    return transfer(1, src, dst, NULL);
}

static int cuda_download(void *ctx, const DLTensor *src, void *dst)
{
    (void)ctx;
    return transfer(0, NULL, src, dst);
}

/* ---- probe and entry ---------------------------------------------------- */

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static int probe_ok;
static char probe_why[256];

/* The GPUs NVML sees, or -1 when NVML cannot say.  NVML, unlike
 * cudaGetDeviceCount, does not initialize CUDA, and a process that forks
 * after initializing CUDA leaves its children unable to use it: the probe
 * runs in Check's parent process before it forks each test, and in Python
 * programs before multiprocessing forks. */
static int nvml_count(void)
{
#ifdef XP_CUDA_EMULATED
    return -1;      /* the emulated SDK's own count, whatever the machine has */
#else
    const char *vis = getenv("CUDA_VISIBLE_DEVICES");
    if (vis && (!*vis || !strncmp(vis, "-1", 2) || !strcmp(vis, "NoDevFiles")))
        return 0;
    void *h = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return -1;
    int (*init)(void), (*count)(unsigned *), (*shutdown)(void);
    *(void **)&init = dlsym(h, "nvmlInit_v2");
    *(void **)&count = dlsym(h, "nvmlDeviceGetCount_v2");
    *(void **)&shutdown = dlsym(h, "nvmlShutdown");
    unsigned n = 0;
    int r = -1;
    if (init && count && shutdown && init() == 0) {
        if (count(&n) == 0)
            r = (int)n;
        shutdown();
    }
    return r;       /* h stays open: NVML is not meant to be unloaded */
#endif
}

/* 0 when the driver can run this module's CUDA runtime (same major
 * version or newer); neither call initializes CUDA. */
static int driver_ok(void)
{
    int drv = 0, rt = 0;
    if (cudaDriverGetVersion(&drv) != cudaSuccess || cudaRuntimeGetVersion(&rt) != cudaSuccess)
        return 0;   /* let cudaGetDeviceCount say what is wrong */
    if (drv == 0) {
        snprintf(probe_why, sizeof probe_why, "no CUDA driver is installed");
        return -1;
    }
    if (drv / 1000 < rt / 1000) {
        snprintf(probe_why, sizeof probe_why, "the CUDA driver supports CUDA %d.%d, older "
                 "than the module's runtime (CUDA %d.%d)", drv / 1000, drv % 1000 / 10,
                 rt / 1000, rt % 1000 / 10);
        return -1;
    }
    return 0;
}

static void probe_run(void)
{
    if (driver_ok())
        return;
    int n = nvml_count();
    if (n > 0) {
        probe_ok = 1;
        return;
    }
    if (n == 0) {
        snprintf(probe_why, sizeof probe_why, "no CUDA device found");
        return;
    }
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        snprintf(probe_why, sizeof probe_why, "no usable CUDA device (%s: %s)",
                 cudaGetErrorName(e), cudaGetErrorString(e));
        (void)cudaGetLastError();
    } else if (n < 1) {
        snprintf(probe_why, sizeof probe_why, "no CUDA device found");
    } else {
        probe_ok = 1;
    }
}

static int cuda_probe(void *ctx, const char **why)
{
    (void)ctx;
    pthread_once(&probe_once, probe_run);
    if (!probe_ok && why)
        *why = probe_why;
    return probe_ok;
}

static const xp_ops cuda_ops = {
    .version = XP_OPS_VERSION,
    .size = sizeof(xp_ops),
    .alloc = cuda_alloc,
    .free = cuda_free,
    .upload = cuda_upload,
    .download = cuda_download,
    .fill = xpc_fill,
    .unary = xpc_unary,
    .binary = xpc_binary,
    .affine = xpc_affine,
    .reduce = xpc_reduce,
    .fft = xpc_fft,
    .gemm = xpc_gemm,
    .lfilter = xpc_lfilter,
    .sosfilt = xpc_sosfilt,
    .set_threads = NULL,        /* no host threads: the request is ignored */
    .stats = cuda_stats,
    .welch_segments = xpc_welch_segments,
    .interp = xpc_interp,
    .set_stream = cuda_set_stream,
    .segment_spectra = xpc_segment_spectra,
};

static const xp_provider cuda_provider = {
    "cuda", "NVIDIA GPU: CUDA runtime, cuFFT, cuBLAS (streams: xp_provider_set_stream)",
    kDLCUDA, &cuda_ops, NULL, cuda_probe,
};

__attribute__((visibility("default")))
const xp_provider *xp_cuda_module_entry(const xp_cuda_core *core, const char **why);

const xp_provider *xp_cuda_module_entry(const xp_cuda_core *core, const char **why)
{
    if (!core || core->abi != XP_CUDA_MODULE_ABI || core->size < sizeof *core || !core->error) {
        if (why)
            *why = "module and library disagree on the module ABI";
        return NULL;
    }
    xpc_error = core->error;
    return &cuda_provider;
}
