/*
 * cuda.h -- internals of the CUDA provider module (C and CUDA C++ alike).
 *
 * Everything runs on the default stream of the current device; a slot
 * returns after its work is queued and its host-visible results (errors,
 * downloads) are complete, so callers never synchronize themselves.
 * Tensors are DLTensors of device kDLCUDA with element strides.
 */
#ifndef XP_CUDA_H
#define XP_CUDA_H

#include <stddef.h>
#include <stdint.h>
#include "xp_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XPC_HIDDEN __attribute__((visibility("hidden")))

/* The core's xp_error, handed over by the module entry. */
extern XPC_HIDDEN int (*xpc_error)(int status, const char *fmt, ...);

/* dtype of t: 0 float32, 1 float64, 2 complex64, 3 complex128; -1 other. */
XPC_HIDDEN int xpc_dtype(const DLTensor *t);
XPC_HIDDEN size_t xpc_dtype_size(int dt);
XPC_HIDDEN int64_t xpc_numel(const DLTensor *t);
XPC_HIDDEN int xpc_contiguous(const DLTensor *t);
/* Map a cudaError_t (as int) to an XP_E* status with the CUDA message. */
XPC_HIDDEN int xpc_cuda_fail(const char *fn, const char *what, int err);
/* Device scratch (cudaMalloc); NULL and an XP_ENOMEM error on failure. */
XPC_HIDDEN int xpc_scratch(const char *fn, size_t nbytes, void **p);
XPC_HIDDEN void xpc_scratch_free(void *p);
XPC_HIDDEN void xpc_count_transfer(int upload, int64_t bytes);

/* Slots (cuda_kernels.cu, cuda_fft.cu, cuda_gemm.c). */
XPC_HIDDEN int xpc_fill(void *ctx, const DLTensor *dst, double re, double im);
XPC_HIDDEN int xpc_unary(void *ctx, xp_unary_op op, const DLTensor *x, const DLTensor *y);
XPC_HIDDEN int xpc_binary(void *ctx, xp_binary_op op, const DLTensor *a,
                          const DLTensor *b, const DLTensor *out);
XPC_HIDDEN int xpc_affine(void *ctx, const DLTensor *x, double ar, double ai,
                          double br, double bi, const DLTensor *y);
XPC_HIDDEN int xpc_reduce(void *ctx, xp_reduce_op op, const DLTensor *x, int axis,
                          const DLTensor *y);
XPC_HIDDEN int xpc_fft(void *ctx, xp_fft_kind kind, int64_t n, double scale,
                       const DLTensor *x, const DLTensor *y);
XPC_HIDDEN void xpc_fft_cache_clear(void);
XPC_HIDDEN int xpc_gemm(void *ctx, char ta, char tb, double ar, double ai,
                        const DLTensor *A, const DLTensor *B, double br, double bi,
                        const DLTensor *C);
XPC_HIDDEN int xpc_lfilter(void *ctx, const DLTensor *b, const DLTensor *a,
                           const DLTensor *x, const DLTensor *zi, const DLTensor *y,
                           const DLTensor *zf);
XPC_HIDDEN int xpc_sosfilt(void *ctx, const DLTensor *sos, const DLTensor *x,
                           const DLTensor *zi, const DLTensor *y, const DLTensor *zf);
XPC_HIDDEN int xpc_interp(void *ctx, const DLTensor *x, const DLTensor *xp,
                          const DLTensor *fp, const DLTensor *y);

#ifdef __cplusplus
}
#endif
#endif /* XP_CUDA_H */
