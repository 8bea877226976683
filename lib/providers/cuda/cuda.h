/*
 * cuda.h -- internals of the CUDA provider module (C and CUDA C++ alike).
 *
 * Every slot queues its work on the calling thread's stream (set with
 * xp_provider_set_stream; the default stream otherwise) and returns once
 * that stream has drained, so errors come back with the slot that caused
 * them and callers never synchronize themselves.  Scratch memory is
 * stream-ordered.  Tensors are DLTensors of device kDLCUDA with element
 * strides.
 */
#ifndef XP_CUDA_H
#define XP_CUDA_H

#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>
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
/* The calling thread's stream; NULL is the default stream. */
XPC_HIDDEN cudaStream_t xpc_stream(void);
/* With xpc_stream(), the key of what the calling thread may share with
 * others (cached cuFFT plans, cuBLAS handles): 0, except for
 * cudaStreamPerThread, which names another stream in every thread. */
XPC_HIDDEN uintptr_t xpc_stream_owner(void);
/* Wait for the thread's stream; an error from it (or from the last
 * launch) becomes an XP_* status naming fn and what. */
XPC_HIDDEN int xpc_sync(const char *fn, const char *what);
/* n bytes from device src to host dst on the thread's stream, complete
 * on return. */
XPC_HIDDEN int xpc_to_host(const char *fn, void *dst, const void *src, size_t n);

/* Scratch for one batch of segments in the fused Welch and spectrogram
 * loops (cuda_welch.cu): $XPSIGNAL_CUDA_BATCH_MB MiB when it is a whole
 * number from 1 to 65536, else XPC_BATCH_BYTES. */
#ifndef XPC_BATCH_BYTES
#define XPC_BATCH_BYTES ((size_t)128 << 20)
#endif
XPC_HIDDEN size_t xpc_batch_bytes(void);

/* Slots (cuda_kernels.cu, cuda_filter.cu, cuda_fft.cu, cuda_welch.cu,
 * cuda_gemm.c). */
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
/* A batched transform (kind an xp_fft_kind, dbl 0/1) of length n over
 * contiguous rows of scratch, with cached plans; no scaling. */
XPC_HIDDEN int xpc_fft_rows(int kind, int dbl, int64_t n, int64_t batch, void *in, void *out);
XPC_HIDDEN int xpc_welch_segments(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                                  const DLTensor *y, const DLTensor *w, const DLTensor *sxy,
                                  const DLTensor *sxx, const DLTensor *syy);
XPC_HIDDEN int xpc_segment_spectra(void *ctx, const xp_welch_desc *d, const DLTensor *x,
                                   const DLTensor *w, const DLTensor *X);
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

/* kernel<<<grid, block, 0, stream>>>(args), written
 * XPC_LAUNCH(grid, block, kernel)(args) so that the tests' CPU emulation of
 * the SDK (tests/cuda_emu), built by a host compiler, runs the same code. */
#ifdef XP_CUDA_EMULATED
#define XPC_LAUNCH(grid, block, ...) \
    cuda_emu_launch((grid), (block), 0, xpc_stream(), &__VA_ARGS__)
#else
#define XPC_LAUNCH(grid, block, ...) __VA_ARGS__<<<(grid), (block), 0, xpc_stream()>>>
#endif
#endif /* __cplusplus */
#endif /* XP_CUDA_H */
