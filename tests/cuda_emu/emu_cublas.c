/*
 * emu_cublas.c -- cuBLAS's gemm emulated on the CPU with OpenBLAS's cblas,
 * for tests (see include/cuda_emu.h).  Column-major, as cuBLAS.
 */
#include <stdlib.h>
#include <cblas.h>
#include "cuda_emu.h"

static const unsigned handle_mark = 0xb1a5u;
struct cublasContext { unsigned mark; };

cublasStatus_t cublasCreate(cublasHandle_t *h)
{
    if (!h)
        return CUBLAS_STATUS_INVALID_VALUE;
    *h = malloc(sizeof **h);
    if (!*h)
        return CUBLAS_STATUS_ALLOC_FAILED;
    (*h)->mark = handle_mark;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t h)
{
    if (!h || h->mark != handle_mark)
        return CUBLAS_STATUS_NOT_INITIALIZED;
    h->mark = 0;
    free(h);
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t h, cudaStream_t s)
{
    if (!h || h->mark != handle_mark)
        return CUBLAS_STATUS_NOT_INITIALIZED;
    return cuda_emu__stream_ok(s) ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
}

const char *cublasGetStatusName(cublasStatus_t s)
{
    switch (s) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    }
    return "CUBLAS_STATUS_UNKNOWN";
}

const char *cublasGetStatusString(cublasStatus_t s)
{
    switch (s) {
    case CUBLAS_STATUS_SUCCESS: return "success";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "the library was not initialized";
    case CUBLAS_STATUS_ALLOC_FAILED: return "the resource allocation failed";
    case CUBLAS_STATUS_INVALID_VALUE: return "an invalid numeric value was used as an argument";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "the GPU program failed to execute";
    }
    return "unknown error";
}

static enum CBLAS_TRANSPOSE op_of(cublasOperation_t t)
{
    return t == CUBLAS_OP_N ? CblasNoTrans : t == CUBLAS_OP_T ? CblasTrans : CblasConjTrans;
}

/* cuBLAS's argument rules, and device pointers for the three matrices
 * (extents from the leading dimensions). */
static cublasStatus_t check(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
                            int m, int n, int k, const void *A, int lda, const void *B, int ldb,
                            const void *C, int ldc, size_t es)
{
    if (!h || h->mark != handle_mark)
        return CUBLAS_STATUS_NOT_INITIALIZED;
    if ((unsigned)ta > CUBLAS_OP_C || (unsigned)tb > CUBLAS_OP_C || m < 0 || n < 0 || k < 0)
        return CUBLAS_STATUS_INVALID_VALUE;
    int ar = ta == CUBLAS_OP_N ? m : k, ac = ta == CUBLAS_OP_N ? k : m;
    int br = tb == CUBLAS_OP_N ? k : n, bc = tb == CUBLAS_OP_N ? n : k;
    if (lda < (ar > 1 ? ar : 1) || ldb < (br > 1 ? br : 1) || ldc < (m > 1 ? m : 1))
        return CUBLAS_STATUS_INVALID_VALUE;
    if (m == 0 || n == 0)
        return CUBLAS_STATUS_SUCCESS;
    if ((k > 0 && (!cuda_emu__is_device(A, ((size_t)(ac - 1) * lda + ar) * es)
                   || !cuda_emu__is_device(B, ((size_t)(bc - 1) * ldb + br) * es)))
        || !cuda_emu__is_device(C, ((size_t)(n - 1) * ldc + m) * es))
        return CUBLAS_STATUS_INVALID_VALUE;
    if (cuda_emu__fault_hit(CUDA_EMU_BLAS))
        return CUBLAS_STATUS_EXECUTION_FAILED;
    return CUBLAS_STATUS_SUCCESS;
}

/* The four gemms: checked, then cblas; real ones take scalars by value,
 * complex ones by pointer, as cblas does. */
#define GEMM(NAME, T, CBLAS, SCALAR)                                           \
cublasStatus_t NAME(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, \
                    int m, int n, int k, const T *alpha, const T *A, int lda,  \
                    const T *B, int ldb, const T *beta, T *C, int ldc)         \
{                                                                              \
    cublasStatus_t s = check(h, ta, tb, m, n, k, A, lda, B, ldb, C, ldc, sizeof *C); \
    if (!s && m && n)                                                          \
        CBLAS(CblasColMajor, op_of(ta), op_of(tb), m, n, k, SCALAR(alpha), A, lda, B, \
              ldb, SCALAR(beta), C, ldc);                                      \
    return s;                                                                  \
}
#define BY_VALUE(p) (*(p))
#define BY_POINTER(p) (p)

GEMM(cublasSgemm, float, cblas_sgemm, BY_VALUE)
GEMM(cublasDgemm, double, cblas_dgemm, BY_VALUE)
GEMM(cublasCgemm, cuComplex, cblas_cgemm, BY_POINTER)
GEMM(cublasZgemm, cuDoubleComplex, cblas_zgemm, BY_POINTER)
