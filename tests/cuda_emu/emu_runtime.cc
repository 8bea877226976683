/*
 * emu_runtime.cc -- the CUDA runtime emulated on the CPU for tests (see
 * include/cuda_emu.h): device memory, copies, streams, errors, launch
 * checks and fault injection.
 *
 * Device blocks are kept in a table so that a copy from or to an address
 * that no cudaMalloc returned fails with cudaErrorInvalidValue, as mixing
 * up host and device pointers would on a GPU.
 */
#include <stdlib.h>
#include <string.h>
#include <mutex>
#include <map>
#include "cuda_emu.h"

thread_local uint3 threadIdx, blockIdx;
thread_local dim3 blockDim, gridDim;

static std::mutex lock;
static std::map<const char *, size_t> blocks;      /* device block -> size */
static thread_local cudaError_t last_error = cudaSuccess;
static long fault_after[CUDA_EMU_NKINDS] = {-1, -1, -1, -1, -1, -1};
static long fault_count[CUDA_EMU_NKINDS];

/* A stream is a small heap object whose first word is this mark. */
static const unsigned stream_mark = 0x5743u;
struct CUstream_st { unsigned mark; };

extern "C" {

long cuda_emu_fault(int kind, long after)
{
    if (kind < 0 || kind >= CUDA_EMU_NKINDS)
        return -1;
    std::lock_guard<std::mutex> g(lock);
    fault_after[kind] = after;
    return fault_count[kind];
}

long cuda_emu_live_blocks(void)
{
    std::lock_guard<std::mutex> g(lock);
    return (long)blocks.size();
}

int cuda_emu__fault_hit(int kind)
{
    std::lock_guard<std::mutex> g(lock);
    if (fault_after[kind] < 0)
        return 0;
    if (fault_after[kind]-- > 0)
        return 0;
    fault_count[kind]++;
    return 1;
}

void cuda_emu__set_error(cudaError_t e)
{
    if (last_error == cudaSuccess)
        last_error = e;
}

/* 1 if [p, p + n) lies inside one device block. */
int cuda_emu__is_device(const void *p, size_t n)
{
    const char *c = (const char *)p;
    std::lock_guard<std::mutex> g(lock);
    auto it = blocks.upper_bound(c);
    if (it == blocks.begin())
        return 0;
    --it;
    return c >= it->first && (size_t)(c - it->first) + n <= (it->second ? it->second : 1);
}

int cuda_emu__stream_ok(cudaStream_t s)
{
    return !s || s == cudaStreamLegacy || s == cudaStreamPerThread || s->mark == stream_mark;
}

cudaError_t cudaGetDeviceCount(int *count)
{
    if (!count)
        return cudaErrorInvalidValue;
    *count = 1;
    return cudaSuccess;
}

/* The emulated driver runs the emulated runtime: one version for both. */
cudaError_t cudaDriverGetVersion(int *version)
{
    if (!version)
        return cudaErrorInvalidValue;
    *version = 12000;
    return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int *version)
{
    return cudaDriverGetVersion(version);
}

cudaError_t cudaMalloc(void **p, size_t n)
{
    if (!p)
        return cudaErrorInvalidValue;
    *p = NULL;
    if (cuda_emu__fault_hit(CUDA_EMU_MALLOC)) {
        cuda_emu__set_error(cudaErrorMemoryAllocation);
        return cudaErrorMemoryAllocation;
    }
    char *m = (char *)malloc(n ? n : 1);
    if (!m)
        return cudaErrorMemoryAllocation;
    memset(m, 0xff, n);         /* NaN in every float format */
    std::lock_guard<std::mutex> g(lock);
    blocks[m] = n;
    *p = m;
    return cudaSuccess;
}

cudaError_t cudaFree(void *p)
{
    if (!p)
        return cudaSuccess;
    {
        std::lock_guard<std::mutex> g(lock);
        auto it = blocks.find((const char *)p);
        if (it == blocks.end())
            return cudaErrorInvalidDevicePointer;
        blocks.erase(it);
    }
    free(p);
    return cudaSuccess;
}

cudaError_t cudaMallocAsync(void **p, size_t n, cudaStream_t s)
{
    return cuda_emu__stream_ok(s) ? cudaMalloc(p, n) : cudaErrorInvalidResourceHandle;
}

/* One device with one pool, which only remembers its release threshold
 * (memory is malloc'd whatever it says). */
static unsigned long long pool_threshold;
static const size_t emu_total = (size_t)16 << 30;

cudaError_t cudaGetDevice(int *dev)
{
    if (!dev)
        return cudaErrorInvalidValue;
    *dev = 0;
    return cudaSuccess;
}

cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total)
{
    if (!free_bytes || !total)
        return cudaErrorInvalidValue;
    *total = emu_total;
    *free_bytes = emu_total;
    return cudaSuccess;
}

cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t *pool, int dev)
{
    if (!pool || dev != 0)
        return cudaErrorInvalidValue;
    *pool = (cudaMemPool_t)&pool_threshold;
    return cudaSuccess;
}

cudaError_t cudaMemPoolGetAttribute(cudaMemPool_t pool, enum cudaMemPoolAttr attr, void *v)
{
    if (pool != (cudaMemPool_t)&pool_threshold || attr != cudaMemPoolAttrReleaseThreshold || !v)
        return cudaErrorInvalidValue;
    std::lock_guard<std::mutex> g(lock);
    *(unsigned long long *)v = pool_threshold;
    return cudaSuccess;
}

cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, enum cudaMemPoolAttr attr, void *v)
{
    if (pool != (cudaMemPool_t)&pool_threshold || attr != cudaMemPoolAttrReleaseThreshold || !v)
        return cudaErrorInvalidValue;
    std::lock_guard<std::mutex> g(lock);
    pool_threshold = *(const unsigned long long *)v;
    return cudaSuccess;
}

unsigned long long cuda_emu_pool_threshold(void)
{
    std::lock_guard<std::mutex> g(lock);
    return pool_threshold;
}

cudaError_t cudaFreeAsync(void *p, cudaStream_t s)
{
    return cuda_emu__stream_ok(s) ? cudaFree(p) : cudaErrorInvalidResourceHandle;
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t n, enum cudaMemcpyKind kind)
{
    if (n == 0)
        return cudaSuccess;
    int dd = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    int sd = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    if (kind == cudaMemcpyDefault) {
        dd = cuda_emu__is_device(dst, n);
        sd = cuda_emu__is_device(src, n);
    }
    if (!dst || !src || (unsigned)kind > cudaMemcpyDefault
        || dd != cuda_emu__is_device(dst, n) || sd != cuda_emu__is_device(src, n)) {
        cuda_emu__set_error(cudaErrorInvalidValue);
        return cudaErrorInvalidValue;
    }
    if (cuda_emu__fault_hit(CUDA_EMU_MEMCPY)) {
        cuda_emu__set_error(cudaErrorLaunchFailure);
        return cudaErrorLaunchFailure;
    }
    memmove(dst, src, n);
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t n, enum cudaMemcpyKind kind,
                            cudaStream_t s)
{
    return cuda_emu__stream_ok(s) ? cudaMemcpy(dst, src, n, kind)
                                  : cudaErrorInvalidResourceHandle;
}

cudaError_t cudaDeviceSynchronize(void)
{
    return cudaSuccess;     /* kernels ran when launched */
}

cudaError_t cudaStreamSynchronize(cudaStream_t s)
{
    return cuda_emu__stream_ok(s) ? cudaSuccess : cudaErrorInvalidResourceHandle;
}

cudaError_t cudaStreamCreate(cudaStream_t *s)
{
    if (!s)
        return cudaErrorInvalidValue;
    *s = new CUstream_st{stream_mark};
    return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t s)
{
    if (!s || s == cudaStreamLegacy || s == cudaStreamPerThread || s->mark != stream_mark)
        return cudaErrorInvalidResourceHandle;
    s->mark = 0;
    delete s;
    return cudaSuccess;
}

cudaError_t cudaGetLastError(void)
{
    cudaError_t e = last_error;
    last_error = cudaSuccess;
    return e;
}

cudaError_t cudaPeekAtLastError(void)
{
    return last_error;
}

const char *cudaGetErrorName(cudaError_t e)
{
    switch (e) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorInvalidDevicePointer: return "cudaErrorInvalidDevicePointer";
    case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
    case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
    case cudaErrorNotSupported: return "cudaErrorNotSupported";
    }
    return "cudaErrorUnknown";
}

const char *cudaGetErrorString(cudaError_t e)
{
    switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidDevicePointer: return "invalid device pointer";
    case cudaErrorInsufficientDriver:
        return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    case cudaErrorNotSupported: return "operation not supported";
    }
    return "unknown error";
}

} /* extern "C" */

int cuda_emu__reverse(void)
{
    static const int rev = [] {
        const char *e = getenv("CUDA_EMU_SCHEDULE");
        return e && !strcmp(e, "reverse");
    }();
    return rev;
}

int cuda_emu__launch_ok(dim3 grid, dim3 block, size_t shmem, cudaStream_t s)
{
    unsigned long long threads = (unsigned long long)block.x * block.y * block.z;
    if (!cuda_emu__stream_ok(s)) {
        cuda_emu__set_error(cudaErrorInvalidResourceHandle);
        return 0;
    }
    if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.x > 0x7fffffffu
        || grid.y > 65535 || grid.z > 65535 || threads == 0 || threads > 1024
        || block.z > 64 || shmem > 48 * 1024) {
        cuda_emu__set_error(cudaErrorInvalidConfiguration);
        return 0;
    }
    if (cuda_emu__fault_hit(CUDA_EMU_LAUNCH)) {
        cuda_emu__set_error(cudaErrorLaunchFailure);
        return 0;
    }
    return 1;
}

