/*
 * cuda_emu.h -- a CPU stand-in for the parts of the CUDA SDK that the CUDA
 * provider uses (runtime, cuFFT, cuBLAS, kernel launches), for tests only.
 *
 * The provider's own sources (lib/providers/cuda) are compiled unchanged
 * against these headers by the host compiler and linked with
 * tests/cuda_emu/emu_*.c*, so that every line of the provider but the GPU
 * itself runs in `make check` on machines without a GPU: argument checks,
 * strided kernels, plan caches, error paths.  "Device" memory is host
 * memory that the core never touches directly (the provider's device is
 * still kDLCUDA), so the layering is exercised as on a GPU.  Kernels run
 * one thread after another, which is a valid CUDA schedule for kernels
 * without __syncthreads; CUDA_EMU_SCHEDULE=reverse runs the last block and
 * thread first, as valid a schedule, so that a result that depends on the
 * order (a race, on a GPU) shows.  Launches with an invalid configuration
 * fail as on the device.  Memory comes back from cudaMalloc filled with
 * NaN bytes, as uninitialized device memory would surprise a kernel that
 * reads it.
 *
 * What it cannot show: speed, races that no whole-thread order shows
 * (threads interleaved within a kernel), and the device compiler's own
 * behaviour.  Those need a real GPU.
 */
#ifndef XP_CUDA_EMU_H
#define XP_CUDA_EMU_H

#include <stddef.h>
#include <stdint.h>

#define XP_CUDA_EMULATED 1

#ifdef __cplusplus
extern "C" {
#endif

/* ---- runtime ------------------------------------------------------------ */

typedef enum cudaError {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorInvalidDevicePointer = 17,
    cudaErrorInsufficientDriver = 35,
    cudaErrorNoDevice = 100,
    cudaErrorInvalidResourceHandle = 400,
    cudaErrorLaunchFailure = 719,
    cudaErrorNotSupported = 801
} cudaError_t;

enum cudaMemcpyKind {
    cudaMemcpyHostToHost = 0,
    cudaMemcpyHostToDevice = 1,
    cudaMemcpyDeviceToHost = 2,
    cudaMemcpyDeviceToDevice = 3,
    cudaMemcpyDefault = 4
};

typedef struct CUstream_st *cudaStream_t;
#define cudaStreamLegacy ((cudaStream_t)0x1)
#define cudaStreamPerThread ((cudaStream_t)0x2)

cudaError_t cudaGetDeviceCount(int *count);
cudaError_t cudaDriverGetVersion(int *version);
cudaError_t cudaRuntimeGetVersion(int *version);
cudaError_t cudaMalloc(void **p, size_t n);
cudaError_t cudaFree(void *p);
cudaError_t cudaMallocAsync(void **p, size_t n, cudaStream_t s);
typedef struct CUmemPoolHandle_st *cudaMemPool_t;
enum cudaMemPoolAttr { cudaMemPoolAttrReleaseThreshold = 4 };
cudaError_t cudaGetDevice(int *dev);
cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total);
cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t *pool, int dev);
cudaError_t cudaMemPoolGetAttribute(cudaMemPool_t pool, enum cudaMemPoolAttr attr, void *v);
cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, enum cudaMemPoolAttr attr, void *v);
cudaError_t cudaFreeAsync(void *p, cudaStream_t s);
cudaError_t cudaMemcpy(void *dst, const void *src, size_t n, enum cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t n, enum cudaMemcpyKind kind,
                            cudaStream_t s);
cudaError_t cudaDeviceSynchronize(void);
cudaError_t cudaStreamSynchronize(cudaStream_t s);
cudaError_t cudaStreamCreate(cudaStream_t *s);
cudaError_t cudaStreamDestroy(cudaStream_t s);
cudaError_t cudaGetLastError(void);
cudaError_t cudaPeekAtLastError(void);
const char *cudaGetErrorString(cudaError_t e);
const char *cudaGetErrorName(cudaError_t e);

/* ---- cuFFT -------------------------------------------------------------- */

typedef int cufftHandle;
typedef float cufftReal;
typedef double cufftDoubleReal;
typedef struct { float x, y; } cufftComplex;
typedef struct { double x, y; } cufftDoubleComplex;

typedef enum cufftResult_t {
    CUFFT_SUCCESS = 0,
    CUFFT_INVALID_PLAN = 1,
    CUFFT_ALLOC_FAILED = 2,
    CUFFT_INVALID_VALUE = 4,
    CUFFT_INTERNAL_ERROR = 5,
    CUFFT_EXEC_FAILED = 6,
    CUFFT_SETUP_FAILED = 7
} cufftResult;

typedef enum cufftType_t {
    CUFFT_R2C = 0x2a, CUFFT_C2R = 0x2c, CUFFT_C2C = 0x29,
    CUFFT_D2Z = 0x6a, CUFFT_Z2D = 0x6c, CUFFT_Z2Z = 0x69
} cufftType;

#define CUFFT_FORWARD (-1)
#define CUFFT_INVERSE 1

cufftResult cufftCreate(cufftHandle *h);
cufftResult cufftDestroy(cufftHandle h);
cufftResult cufftSetStream(cufftHandle h, cudaStream_t s);
cufftResult cufftMakePlanMany64(cufftHandle h, int rank, long long *n, long long *inembed,
                                long long istride, long long idist, long long *onembed,
                                long long ostride, long long odist, cufftType type,
                                long long batch, size_t *work);
cufftResult cufftExecR2C(cufftHandle h, cufftReal *in, cufftComplex *out);
cufftResult cufftExecC2R(cufftHandle h, cufftComplex *in, cufftReal *out);
cufftResult cufftExecC2C(cufftHandle h, cufftComplex *in, cufftComplex *out, int dir);
cufftResult cufftExecD2Z(cufftHandle h, cufftDoubleReal *in, cufftDoubleComplex *out);
cufftResult cufftExecZ2D(cufftHandle h, cufftDoubleComplex *in, cufftDoubleReal *out);
cufftResult cufftExecZ2Z(cufftHandle h, cufftDoubleComplex *in, cufftDoubleComplex *out,
                         int dir);

/* ---- cuBLAS ------------------------------------------------------------- */

typedef struct cublasContext *cublasHandle_t;
typedef struct { float x, y; } cuComplex;
typedef struct { double x, y; } cuDoubleComplex;

typedef enum {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_ALLOC_FAILED = 3,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_EXECUTION_FAILED = 13
} cublasStatus_t;

typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 } cublasOperation_t;

cublasStatus_t cublasCreate(cublasHandle_t *h);
cublasStatus_t cublasDestroy(cublasHandle_t h);
cublasStatus_t cublasSetStream(cublasHandle_t h, cudaStream_t s);
const char *cublasGetStatusString(cublasStatus_t s);
const char *cublasGetStatusName(cublasStatus_t s);
cublasStatus_t cublasSgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                           int m, int n, int k, const float *alpha, const float *A, int lda,
                           const float *B, int ldb, const float *beta, float *C, int ldc);
cublasStatus_t cublasDgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                           int m, int n, int k, const double *alpha, const double *A, int lda,
                           const double *B, int ldb, const double *beta, double *C, int ldc);
cublasStatus_t cublasCgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                           int m, int n, int k, const cuComplex *alpha, const cuComplex *A,
                           int lda, const cuComplex *B, int ldb, const cuComplex *beta,
                           cuComplex *C, int ldc);
cublasStatus_t cublasZgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                           int m, int n, int k, const cuDoubleComplex *alpha,
                           const cuDoubleComplex *A, int lda, const cuDoubleComplex *B,
                           int ldb, const cuDoubleComplex *beta, cuDoubleComplex *C, int ldc);

/* ---- the emulator's own controls (for tests) ----------------------------
 * Make the call of the given kind that comes after `after` successful ones
 * fail once (after < 0: never); returns how many calls of that kind
 * failed so far.  Tests reach it with dlsym on the module. */
enum {
    CUDA_EMU_MALLOC, CUDA_EMU_MEMCPY, CUDA_EMU_LAUNCH, CUDA_EMU_FFT_PLAN, CUDA_EMU_FFT_EXEC,
    CUDA_EMU_BLAS, CUDA_EMU_NKINDS
};
__attribute__((visibility("default"))) long cuda_emu_fault(int kind, long after);
/* Live device blocks (leak checks in tests). */
__attribute__((visibility("default"))) long cuda_emu_live_blocks(void);
/* The release threshold the default pool was given (cudaMemPoolSetAttribute). */
__attribute__((visibility("default"))) unsigned long long cuda_emu_pool_threshold(void);

/* Hidden helpers shared by the emulator's files. */
int cuda_emu__fault_hit(int kind);
int cuda_emu__is_device(const void *p, size_t n);
void cuda_emu__set_error(cudaError_t e);
int cuda_emu__stream_ok(cudaStream_t s);

#ifdef __cplusplus
}

/* ---- kernels ------------------------------------------------------------ */

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline

/* Arithmetic intrinsics that the device never fuses into multiply-adds;
 * the emulator's host build fuses nothing (-ffp-contract=off). */
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
/* a b + c rounded once (double-double products) */
inline double __fma_rn(double a, double b, double c) { return __builtin_fma(a, b, c); }

struct uint3 { unsigned x, y, z; };
struct dim3 {
    unsigned x, y, z;
    dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
};
extern thread_local uint3 threadIdx, blockIdx;
extern thread_local dim3 blockDim, gridDim;

/* 1 when the launch configuration is valid, else 0 with the error set. */
int cuda_emu__launch_ok(dim3 grid, dim3 block, size_t shmem, cudaStream_t s);
/* 1 when CUDA_EMU_SCHEDULE=reverse: blocks and threads run last first. */
int cuda_emu__reverse(void);

/* kernel<<<grid, block, shmem, stream>>>(args) becomes
 * cuda_emu_launch(grid, block, shmem, stream, &kernel)(args). */
template <class... P> struct cuda_emu_kernel {
    void (*k)(P...);
    dim3 grid, block;
    size_t shmem;
    cudaStream_t stream;
    template <class... A> void operator()(A... a) const
    {
        if (!cuda_emu__launch_ok(grid, block, shmem, stream))
            return;
        gridDim = grid;
        blockDim = block;
        /* the reverse schedule is as valid: a kernel whose result depends
         * on the order has a race on a GPU */
        const unsigned r = cuda_emu__reverse() ? ~0u : 0u;
        auto at = [r](unsigned i, unsigned n) { return r ? n - 1 - i : i; };
        for (unsigned bz = 0; bz < grid.z; bz++)
            for (unsigned by = 0; by < grid.y; by++)
                for (unsigned bx = 0; bx < grid.x; bx++)
                    for (unsigned tz = 0; tz < block.z; tz++)
                        for (unsigned ty = 0; ty < block.y; ty++)
                            for (unsigned tx = 0; tx < block.x; tx++) {
                                blockIdx = uint3{at(bx, grid.x), at(by, grid.y), at(bz, grid.z)};
                                threadIdx = uint3{at(tx, block.x), at(ty, block.y),
                                                  at(tz, block.z)};
                                k(a...);
                            }
    }
};

template <class... P>
cuda_emu_kernel<P...> cuda_emu_launch(dim3 grid, dim3 block, size_t shmem, cudaStream_t s,
                                      void (*k)(P...))
{
    return cuda_emu_kernel<P...>{k, grid, block, shmem, s};
}
#endif /* __cplusplus */

#endif /* XP_CUDA_EMU_H */
