/*
 * emu_cufft.c -- cuFFT emulated on the CPU with FFTW, for tests (see
 * include/cuda_emu.h).  Only the subset the CUDA provider uses: 1-D
 * batched plans with cuFFT's default (contiguous) layouts.
 */
#include <pthread.h>
#include <stdlib.h>
#include <fftw3.h>
#include "cuda_emu.h"

#define NHANDLES 256

typedef struct {
    int used, made;
    cufftType type;
    long long n, batch;
    fftw_plan pd;
    fftwf_plan pf;
} emu_plan;

static emu_plan plans[NHANDLES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The provider's host side plans with FFTW too, from other threads. */
static void make_thread_safe(void)
{
    fftw_make_planner_thread_safe();
    fftwf_make_planner_thread_safe();
}

static emu_plan *plan_of(cufftHandle h)
{
    return h >= 0 && h < NHANDLES && plans[h].used ? &plans[h] : NULL;
}

cufftResult cufftCreate(cufftHandle *h)
{
    pthread_once(&once, make_thread_safe);
    pthread_mutex_lock(&lock);
    for (int i = 0; i < NHANDLES; i++)
        if (!plans[i].used) {
            plans[i] = (emu_plan){.used = 1};
            *h = i;
            pthread_mutex_unlock(&lock);
            return CUFFT_SUCCESS;
        }
    pthread_mutex_unlock(&lock);
    return CUFFT_ALLOC_FAILED;
}

cufftResult cufftDestroy(cufftHandle h)
{
    emu_plan *p = plan_of(h);
    if (!p)
        return CUFFT_INVALID_PLAN;
    if (p->pd)
        fftw_destroy_plan(p->pd);
    if (p->pf)
        fftwf_destroy_plan(p->pf);
    pthread_mutex_lock(&lock);
    *p = (emu_plan){0};
    pthread_mutex_unlock(&lock);
    return CUFFT_SUCCESS;
}

cufftResult cufftSetStream(cufftHandle h, cudaStream_t s)
{
    if (!plan_of(h))
        return CUFFT_INVALID_PLAN;
    return cuda_emu__stream_ok(s) ? CUFFT_SUCCESS : CUFFT_INVALID_VALUE;
}

static int is_double(cufftType t)
{
    return t == CUFFT_D2Z || t == CUFFT_Z2D || t == CUFFT_Z2Z;
}

/* FFTW plans over unaligned scratch made here; executed with new arrays. */
static int plan_make(emu_plan *p)
{
    int n = (int)p->n, b = (int)p->batch, nc = n / 2 + 1;
    unsigned fl = FFTW_ESTIMATE | FFTW_UNALIGNED;
    size_t bytes = (size_t)b * (size_t)(n + 2) * 2 * sizeof(double);
    void *in = fftw_malloc(bytes), *out = fftw_malloc(bytes);
    if (!in || !out) {
        fftw_free(in);
        fftw_free(out);
        return 0;
    }
    switch (p->type) {
    case CUFFT_D2Z:
        p->pd = fftw_plan_many_dft_r2c(1, &n, b, in, NULL, 1, n, out, NULL, 1, nc, fl);
        break;
    case CUFFT_Z2D:
        p->pd = fftw_plan_many_dft_c2r(1, &n, b, in, NULL, 1, nc, out, NULL, 1, n, fl);
        break;
    case CUFFT_Z2Z:     /* the direction is chosen at execution: keep forward */
        p->pd = fftw_plan_many_dft(1, &n, b, in, NULL, 1, n, out, NULL, 1, n, FFTW_FORWARD, fl);
        break;
    case CUFFT_R2C:
        p->pf = fftwf_plan_many_dft_r2c(1, &n, b, in, NULL, 1, n, out, NULL, 1, nc, fl);
        break;
    case CUFFT_C2R:
        p->pf = fftwf_plan_many_dft_c2r(1, &n, b, in, NULL, 1, nc, out, NULL, 1, n, fl);
        break;
    case CUFFT_C2C:
        p->pf = fftwf_plan_many_dft(1, &n, b, in, NULL, 1, n, out, NULL, 1, n, FFTW_FORWARD, fl);
        break;
    }
    fftw_free(in);
    fftw_free(out);
    return p->pd || p->pf;
}

cufftResult cufftMakePlanMany64(cufftHandle h, int rank, long long *n, long long *inembed,
                                long long istride, long long idist, long long *onembed,
                                long long ostride, long long odist, cufftType type,
                                long long batch, size_t *work)
{
    emu_plan *p = plan_of(h);
    (void)istride; (void)idist; (void)ostride; (void)odist;
    if (!p)
        return CUFFT_INVALID_PLAN;
    if (rank != 1 || !n || n[0] < 1 || batch < 1 || inembed || onembed
        || n[0] > 0x7fffffff || batch > 0x7fffffff)
        return CUFFT_INVALID_VALUE;
    if (cuda_emu__fault_hit(CUDA_EMU_FFT_PLAN))
        return CUFFT_ALLOC_FAILED;
    p->type = type;
    p->n = n[0];
    p->batch = batch;
    if (!plan_make(p))
        return CUFFT_SETUP_FAILED;
    p->made = 1;
    if (work)
        *work = 0;
    return CUFFT_SUCCESS;
}

/* The plan h of type t, ready, with device buffers in and out. */
static cufftResult exec_check(cufftHandle h, cufftType t, const void *in, const void *out,
                              emu_plan **pp)
{
    emu_plan *p = plan_of(h);
    if (!p || !p->made || p->type != t)
        return CUFFT_INVALID_PLAN;
    size_t rs = is_double(t) ? sizeof(double) : sizeof(float);
    size_t b = (size_t)p->batch, n = (size_t)p->n, nc = n / 2 + 1;
    size_t ib = t == CUFFT_D2Z || t == CUFFT_R2C ? n : 2 * (t == CUFFT_Z2D || t == CUFFT_C2R ? nc : n);
    size_t ob = t == CUFFT_Z2D || t == CUFFT_C2R ? n : 2 * (t == CUFFT_D2Z || t == CUFFT_R2C ? nc : n);
    /* plans are out-of-place: FFTW's new-array execution must match them */
    if (in == out || !cuda_emu__is_device(in, b * ib * rs) || !cuda_emu__is_device(out, b * ob * rs))
        return CUFFT_INVALID_VALUE;
    if (cuda_emu__fault_hit(CUDA_EMU_FFT_EXEC))
        return CUFFT_EXEC_FAILED;
    *pp = p;
    return CUFFT_SUCCESS;
}

/* The one-way transforms: checked, then FFTW's new-array execution. */
#define EXEC_ONEWAY(NAME, TYPE, TIN, TOUT, RUN)                                \
cufftResult NAME(cufftHandle h, TIN *in, TOUT *out)                            \
{                                                                              \
    emu_plan *p;                                                               \
    cufftResult r = exec_check(h, TYPE, in, out, &p);                          \
    if (!r)                                                                    \
        RUN;                                                                   \
    return r;                                                                  \
}

EXEC_ONEWAY(cufftExecD2Z, CUFFT_D2Z, cufftDoubleReal, cufftDoubleComplex,
            fftw_execute_dft_r2c(p->pd, in, (fftw_complex *)out))
EXEC_ONEWAY(cufftExecZ2D, CUFFT_Z2D, cufftDoubleComplex, cufftDoubleReal,
            fftw_execute_dft_c2r(p->pd, (fftw_complex *)in, out))
EXEC_ONEWAY(cufftExecR2C, CUFFT_R2C, cufftReal, cufftComplex,
            fftwf_execute_dft_r2c(p->pf, in, (fftwf_complex *)out))
EXEC_ONEWAY(cufftExecC2R, CUFFT_C2R, cufftComplex, cufftReal,
            fftwf_execute_dft_c2r(p->pf, (fftwf_complex *)in, out))

/* Complex to complex in either direction.  cuFFT's inverse is unnormalized
 * with e^{+i}: done as conj(forward(conj(x))) on the forward plan (the
 * input is conjugated back afterwards). */
#define EXEC_C2C(NAME, TYPE, TC, R, RUN)                                       \
cufftResult NAME(cufftHandle h, TC *in, TC *out, int dir)                      \
{                                                                              \
    emu_plan *p;                                                               \
    cufftResult r = exec_check(h, TYPE, in, out, &p);                          \
    if (r)                                                                     \
        return r;                                                              \
    if (dir != CUFFT_FORWARD && dir != CUFFT_INVERSE)                          \
        return CUFFT_INVALID_VALUE;                                            \
    size_t n = 2 * (size_t)(p->n * p->batch);                                  \
    R *vi = (R *)in, *vo = (R *)out;                                           \
    for (size_t i = 1; dir == CUFFT_INVERSE && i < n; i += 2)                  \
        vi[i] = -vi[i];                                                        \
    RUN;                                                                       \
    for (size_t i = 1; dir == CUFFT_INVERSE && i < n; i += 2) {                \
        vi[i] = -vi[i];                                                        \
        vo[i] = -vo[i];                                                        \
    }                                                                          \
    return CUFFT_SUCCESS;                                                      \
}

EXEC_C2C(cufftExecZ2Z, CUFFT_Z2Z, cufftDoubleComplex, double,
         fftw_execute_dft(p->pd, (fftw_complex *)in, (fftw_complex *)out))
EXEC_C2C(cufftExecC2C, CUFFT_C2C, cufftComplex, float,
         fftwf_execute_dft(p->pf, (fftwf_complex *)in, (fftwf_complex *)out))
