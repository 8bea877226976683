/*
 * host_fftplan.h -- the host provider's FFTW plan cache, shared by the
 * batched FFT op and the fused Welch kernel.
 */
#ifndef XP_HOST_FFTPLAN_H
#define XP_HOST_FFTPLAN_H

#include <fftw3.h>
#include "xp_ops.h"

typedef union {
    fftw_plan d;
    fftwf_plan f;
} xp__host_fftplan;

/* The cached plan for howmany contiguous rows of length n (rows of n/2+1
 * complex values on the complex side); made on first use. */
int xp__host_fft_plan(xp_fft_kind kind, int single, int n, int howmany,
                      xp__host_fftplan *out);
/* Execute p on new arrays with the plan's layout and SIMD alignment. */
void xp__host_fft_exec(xp_fft_kind kind, int single, xp__host_fftplan p,
                       void *in, void *out);

#endif
