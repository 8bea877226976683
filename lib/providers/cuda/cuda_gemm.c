/*
 * cuda_gemm.c -- gemm through cuBLAS.
 *
 * cuBLAS is column-major; our tensors are row-major with element strides.
 * A row-major matrix with strides (ld, 1) read column-major is its
 * transpose V = A^T, so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T
 * on those views with the same op letter: N(V) = A^T = op(A)^T for 'N',
 * T(V) = A for 'T', and C(V) = conj(A) = op(A)^T for 'C'.  Operands in any
 * other layout (column-major views, negative or zero strides) are first
 * copied into row-major scratch; C is then copied back.
 */
#include <pthread.h>
#include <stdlib.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include "cuda.h"

/* cuBLAS handles, one per stream (per thread for cudaStreamPerThread): a
 * handle's workspace must not serve two streams at once.  A handle is only
 * used under the lock, which also keeps two threads on one stream from
 * sharing it at once. */
#define NHANDLES 16

static struct {
    int used;
    cudaStream_t stream;
    uintptr_t owner;
    cublasHandle_t h;
    unsigned long stamp;
} handles[NHANDLES];
static unsigned long handle_clock;
static pthread_mutex_t handle_lock = PTHREAD_MUTEX_INITIALIZER;

/* The thread stream's handle (made if missing); caller holds handle_lock. */
static cublasStatus_t handle_get(cublasHandle_t *out)
{
    cudaStream_t stream = xpc_stream();
    uintptr_t owner = xpc_stream_owner();
    int victim = 0;
    for (int i = 0; i < NHANDLES; i++) {
        if (handles[i].used && handles[i].stream == stream && handles[i].owner == owner) {
            handles[i].stamp = ++handle_clock;
            *out = handles[i].h;
            return CUBLAS_STATUS_SUCCESS;
        }
        if (!handles[i].used || (handles[victim].used && handles[i].stamp < handles[victim].stamp))
            victim = i;
    }
    cublasHandle_t h;
    cublasStatus_t s = cublasCreate(&h);
    if (s != CUBLAS_STATUS_SUCCESS)
        return s;
    if ((s = cublasSetStream(h, stream)) != CUBLAS_STATUS_SUCCESS) {
        cublasDestroy(h);
        return s;
    }
    if (handles[victim].used)
        cublasDestroy(handles[victim].h);
    handles[victim].used = 1;
    handles[victim].stream = stream;
    handles[victim].owner = owner;
    handles[victim].h = h;
    handles[victim].stamp = ++handle_clock;
    *out = h;
    return CUBLAS_STATUS_SUCCESS;
}

static int blas_fail(const char *what, cublasStatus_t s)
{
    return xpc_error(s == CUBLAS_STATUS_ALLOC_FAILED ? XP_ENOMEM : XP_EINTERNAL,
                     "gemm: %s failed: %s (%s)", what, cublasGetStatusString(s),
                     cublasGetStatusName(s));
}

/* Row-major with unit inner stride: ld is the row stride (one that
 * cuBLAS's int cannot hold makes a copy too). */
static int row_major(const DLTensor *t, int64_t *ld)
{
    int64_t r = t->shape[0], c = t->shape[1];
    int64_t minld = c > 1 ? c : 1;
    if (c > 1 && t->strides[1] != 1)
        return 0;
    if (r > 1 && (t->strides[0] < minld || t->strides[0] > INT32_MAX))
        return 0;
    *ld = r > 1 ? t->strides[0] : minld;
    return 1;
}

typedef struct {
    DLTensor t;
    int64_t strides[2];
    void *buf;
    int64_t ld;
} operand;

/* t itself, or a row-major scratch copy of it (copy_in: fill the copy). */
static int prepare(const DLTensor *t, int copy_in, operand *o)
{
    o->t = *t;
    o->buf = NULL;
    if (row_major(t, &o->ld))
        return XP_OK;
    int dt = xpc_dtype(t);
    size_t n = (size_t)(t->shape[0] * t->shape[1]) * xpc_dtype_size(dt);
    int rc = xpc_scratch("gemm", n, &o->buf);
    if (rc)
        return rc;
    o->strides[0] = t->shape[1];
    o->strides[1] = 1;
    o->t.data = o->buf;
    o->t.byte_offset = 0;
    o->t.strides = o->strides;
    o->ld = t->shape[1] > 1 ? t->shape[1] : 1;
    return copy_in ? xpc_unary(NULL, XP_UNARY_COPY, t, &o->t) : XP_OK;
}

static cublasOperation_t view_op(char t)
{
    return t == 'N' ? CUBLAS_OP_N : t == 'T' ? CUBLAS_OP_T : CUBLAS_OP_C;
}

int xpc_gemm(void *ctx, char ta, char tb, double ar, double ai,
             const DLTensor *A, const DLTensor *B, double br, double bi,
             const DLTensor *C)
{
    (void)ctx;
    if ((ta != 'N' && ta != 'T' && ta != 'C') || (tb != 'N' && tb != 'T' && tb != 'C'))
        return xpc_error(XP_EINVAL, "gemm: transa/transb ('%c', '%c') must be 'N', 'T' or 'C'",
                         ta, tb);
    if (A->ndim != 2 || B->ndim != 2 || C->ndim != 2)
        return xpc_error(XP_ESHAPE, "gemm: A, B and C must be 2-D (got %d, %d, %d)",
                         A->ndim, B->ndim, C->ndim);
    int dt = xpc_dtype(C);
    if (dt < 0 || xpc_dtype(A) != dt || xpc_dtype(B) != dt)
        return xpc_error(XP_EDTYPE, "gemm: A, B and C must share one dtype");
    if (dt < 2 && (ai != 0 || bi != 0))
        return xpc_error(XP_EINVAL, "gemm: alpha and beta must be real for real matrices "
                         "(alpha = %g%+gi, beta = %g%+gi)", ar, ai, br, bi);
    int64_t m = ta == 'N' ? A->shape[0] : A->shape[1];
    int64_t k = ta == 'N' ? A->shape[1] : A->shape[0];
    int64_t kb = tb == 'N' ? B->shape[0] : B->shape[1];
    int64_t n = tb == 'N' ? B->shape[1] : B->shape[0];
    if (k != kb || C->shape[0] != m || C->shape[1] != n)
        return xpc_error(XP_ESHAPE, "gemm: op(A) [%lld, %lld] op(B) [%lld, %lld] does not "
                         "give C [%lld, %lld]", (long long)m, (long long)k, (long long)kb,
                         (long long)n, (long long)C->shape[0], (long long)C->shape[1]);
    if (m == 0 || n == 0)
        return XP_OK;
    if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX)
        return xpc_error(XP_ESHAPE, "gemm: dimensions exceed cuBLAS's int range");
    operand a, b, c;
    a.buf = b.buf = c.buf = NULL;
    int rc = prepare(A, 1, &a);
    if (!rc)
        rc = prepare(B, 1, &b);
    if (!rc)
        rc = prepare(C, br != 0 || bi != 0, &c);
    if (rc)
        goto out;

    pthread_mutex_lock(&handle_lock);
    cublasHandle_t handle;
    cublasStatus_t s = handle_get(&handle);
    if (s != CUBLAS_STATUS_SUCCESS) {
        pthread_mutex_unlock(&handle_lock);
        rc = blas_fail("cublasCreate", s);
        goto out;
    }
    int M = (int)n, N = (int)m, K = (int)k;   /* of C^T = op(B)^T op(A)^T */
    int lda = (int)a.ld, ldb = (int)b.ld, ldc = (int)c.ld;
    cublasOperation_t opb = view_op(tb), opa = view_op(ta);
    char *pa = (char *)a.t.data + a.t.byte_offset;
    char *pb = (char *)b.t.data + b.t.byte_offset;
    char *pc = (char *)c.t.data + c.t.byte_offset;
    switch (dt) {
    case 0: {
        float al = (float)ar, be = (float)br;
        s = cublasSgemm(handle, opb, opa, M, N, K, &al, (float *)pb, ldb, (float *)pa, lda,
                        &be, (float *)pc, ldc);
        break;
    }
    case 1:
        s = cublasDgemm(handle, opb, opa, M, N, K, &ar, (double *)pb, ldb, (double *)pa, lda,
                        &br, (double *)pc, ldc);
        break;
    case 2: {
        cuComplex al = {(float)ar, (float)ai}, be = {(float)br, (float)bi};
        s = cublasCgemm(handle, opb, opa, M, N, K, &al, (cuComplex *)pb, ldb,
                        (cuComplex *)pa, lda, &be, (cuComplex *)pc, ldc);
        break;
    }
    default: {
        cuDoubleComplex al = {ar, ai}, be = {br, bi};
        s = cublasZgemm(handle, opb, opa, M, N, K, &al, (cuDoubleComplex *)pb, ldb,
                        (cuDoubleComplex *)pa, lda, &be, (cuDoubleComplex *)pc, ldc);
        break;
    }
    }
    pthread_mutex_unlock(&handle_lock);
    if (s != CUBLAS_STATUS_SUCCESS)
        rc = blas_fail("cublas?gemm", s);
    else if (c.buf)
        rc = xpc_unary(NULL, XP_UNARY_COPY, &c.t, C);
    if (!rc)
        rc = xpc_sync("gemm", "kernel");
out:
    /* stream-ordered: freed after the queued work that uses it */
    xpc_scratch_free(a.buf);
    xpc_scratch_free(b.buf);
    xpc_scratch_free(c.buf);
    return rc;
}
