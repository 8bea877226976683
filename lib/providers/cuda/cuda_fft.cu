/*
 * cuda_fft.cu -- batched FFTs with cuFFT.
 *
 * The input's rows are gathered (any strides, zero-padded or truncated to
 * the transform's input length) into contiguous scratch, one cuFFT plan
 * transforms every row at once, and a second kernel scales the result and
 * scatters it into y's strides.  Plans are cached per (kind, precision, n,
 * batch, stream): a cuFFT plan's work area must not serve two executions
 * at once, and executions queued on one stream never overlap (for
 * cudaStreamPerThread, a stream per thread, the thread is in the key).  The
 * cache lock is held while a plan is queued, so two threads sharing a
 * stream share its plans safely too.
 */
#include <pthread.h>
#include <cuda_runtime.h>
#include <cufft.h>
#include "cuda.h"
#include "cuda_device.h"

/* A tensor's rows: its batch dims, and its last axis. */
struct Rows {
    Desc batch;
    int64_t len, step;
};

static Rows rows_of(const DLTensor *t)
{
    Rows r;
    r.batch = desc_of(t, t->ndim - 1);
    r.len = t->shape[t->ndim - 1];
    r.step = t->strides[t->ndim - 1];
    return r;
}

/* dst[r, j] (row length m, w reals per element) = x[r, j] for j < len, else
 * 0.  hermit: zero the imaginary parts of DC and (even n) Nyquist, which a
 * C2R transform ignores by definition. */
template <class R>
__global__ void k_gather(const char *x, Rows d, int w, R *dst, int64_t m, int64_t rows,
                         int hermit, int64_t n)
{
    GRID_LOOP(i, rows * m) {
        int64_t r, j;
        divmod(i, m, &r, &j);
        R re = 0, im = 0;
        if (j < d.len) {
            const R *p = (const R *)x + (row_off(d.batch, r) + j * d.step) * w;
            re = p[0];
            if (w == 2)
                im = p[1];
        }
        if (hermit && (j == 0 || (n % 2 == 0 && j == n / 2)))
            im = 0;
        dst[i * w] = re;
        if (w == 2)
            dst[i * w + 1] = im;
    }
}

template <class R>
__global__ void k_scatter(const R *src, int64_t m, int w, int64_t rows, double scale, char *y,
                          Rows d)
{
    GRID_LOOP(i, rows * m) {
        int64_t r, j;
        divmod(i, m, &r, &j);
        R *p = (R *)y + (row_off(d.batch, r) + j * d.step) * w;
        p[0] = (R)(src[i * w] * scale);
        if (w == 2)
            p[1] = (R)(src[i * w + 1] * scale);
    }
}

/* ---- the plan cache ----------------------------------------------------- */

#define NPLANS 32

struct plan_entry {
    int used;
    int kind, dbl;
    int64_t n, batch;
    cudaStream_t stream;
    uintptr_t owner;
    cufftHandle h;
    unsigned long stamp;
};

static plan_entry plans[NPLANS];
static unsigned long plan_clock;
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

/* cuFFT has no error strings of its own: the names of cufft.h's codes. */
static const char *cufft_name(int r)
{
    switch (r) {
    case 0x1: return "CUFFT_INVALID_PLAN";
    case 0x2: return "CUFFT_ALLOC_FAILED";
    case 0x3: return "CUFFT_INVALID_TYPE";
    case 0x4: return "CUFFT_INVALID_VALUE";
    case 0x5: return "CUFFT_INTERNAL_ERROR";
    case 0x6: return "CUFFT_EXEC_FAILED";
    case 0x7: return "CUFFT_SETUP_FAILED";
    case 0x8: return "CUFFT_INVALID_SIZE";
    case 0x9: return "CUFFT_UNALIGNED_DATA";
    case 0xB: return "CUFFT_INVALID_DEVICE";
    case 0xD: return "CUFFT_NO_WORKSPACE";
    case 0xE: return "CUFFT_NOT_IMPLEMENTED";
    case 0x10: return "CUFFT_NOT_SUPPORTED";
    case 0x11: return "CUFFT_MISSING_DEPENDENCY";
    }
    return "unknown cufftResult";
}

static int fft_fail(const char *what, cufftResult r)
{
    return xpc_error(r == CUFFT_ALLOC_FAILED ? XP_ENOMEM : XP_EINTERNAL,
                     "fft: %s failed: %s (cufftResult %d)", what, cufft_name((int)r), (int)r);
}

static cufftType type_of(int kind, int dbl)
{
    switch (kind) {
    case XP_FFT_R2C: return dbl ? CUFFT_D2Z : CUFFT_R2C;
    case XP_FFT_C2R: return dbl ? CUFFT_Z2D : CUFFT_C2R;
    default: return dbl ? CUFFT_Z2Z : CUFFT_C2C;
    }
}

/* The cached plan for the thread's stream (made if missing); caller holds
 * plan_lock. */
static int plan_get(int kind, int dbl, int64_t n, int64_t batch, cufftHandle *out)
{
    cudaStream_t stream = xpc_stream();
    uintptr_t owner = xpc_stream_owner();
    plan_entry *victim = &plans[0];
    for (int i = 0; i < NPLANS; i++) {
        plan_entry *e = &plans[i];
        if (e->used && e->kind == kind && e->dbl == dbl && e->n == n && e->batch == batch
            && e->stream == stream && e->owner == owner) {
            e->stamp = ++plan_clock;
            *out = e->h;
            return XP_OK;
        }
        if (!e->used || (victim->used && e->stamp < victim->stamp))
            victim = e;
    }
    cufftHandle h;
    long long nn = n;
    size_t work = 0;
    cufftResult r = cufftCreate(&h);
    if (r != CUFFT_SUCCESS)
        return fft_fail("cufftCreate", r);
    /* contiguous rows: default (NULL) layouts, distance = row length */
    r = cufftMakePlanMany64(h, 1, &nn, NULL, 1, 0, NULL, 1, 0, type_of(kind, dbl),
                            (long long)batch, &work);
    if (r != CUFFT_SUCCESS) {
        cufftDestroy(h);
        return fft_fail("cufftMakePlanMany64", r);
    }
    if ((r = cufftSetStream(h, stream)) != CUFFT_SUCCESS) {
        cufftDestroy(h);
        return fft_fail("cufftSetStream", r);
    }
    if (victim->used) {
        /* another thread's execution may still be queued on it: cuFFT
         * does not wait before freeing the plan's work area */
        (void)cudaDeviceSynchronize();
        cufftDestroy(victim->h);
    }
    victim->used = 1;
    victim->kind = kind;
    victim->dbl = dbl;
    victim->n = n;
    victim->batch = batch;
    victim->stream = stream;
    victim->owner = owner;
    victim->h = h;
    victim->stamp = ++plan_clock;
    *out = h;
    return XP_OK;
}

static int exec(int kind, int dbl, cufftHandle h, void *in, void *out)
{
    cufftResult r;
    if (dbl) {
        if (kind == XP_FFT_R2C)
            r = cufftExecD2Z(h, (cufftDoubleReal *)in, (cufftDoubleComplex *)out);
        else if (kind == XP_FFT_C2R)
            r = cufftExecZ2D(h, (cufftDoubleComplex *)in, (cufftDoubleReal *)out);
        else
            r = cufftExecZ2Z(h, (cufftDoubleComplex *)in, (cufftDoubleComplex *)out,
                             kind == XP_FFT_C2C_FORWARD ? CUFFT_FORWARD : CUFFT_INVERSE);
    } else {
        if (kind == XP_FFT_R2C)
            r = cufftExecR2C(h, (cufftReal *)in, (cufftComplex *)out);
        else if (kind == XP_FFT_C2R)
            r = cufftExecC2R(h, (cufftComplex *)in, (cufftReal *)out);
        else
            r = cufftExecC2C(h, (cufftComplex *)in, (cufftComplex *)out,
                             kind == XP_FFT_C2C_FORWARD ? CUFFT_FORWARD : CUFFT_INVERSE);
    }
    return r == CUFFT_SUCCESS ? XP_OK : fft_fail("cufftExec", r);
}

/* One batched transform of contiguous rows in -> out (device scratch laid
 * out as cuFFT's defaults), on the thread's stream. */
extern "C" int xpc_fft_rows(int kind, int dbl, int64_t n, int64_t batch, void *in, void *out)
{
    pthread_mutex_lock(&plan_lock);
    cufftHandle h = 0;
    int rc = plan_get(kind, dbl, n, batch, &h);
    if (!rc)
        rc = exec(kind, dbl, h, in, out);
    pthread_mutex_unlock(&plan_lock);
    return rc;
}

extern "C" int xpc_fft(void *ctx, xp_fft_kind kind, int64_t n, double scale,
                       const DLTensor *x, const DLTensor *y)
{
    int dx = xpc_dtype(x), dy = xpc_dtype(y);
    if ((unsigned)kind > XP_FFT_C2C_BACKWARD)
        return xpc_error(XP_EINVAL, "fft: kind (%d) is not an xp_fft_kind", (int)kind);
    if (n < 1)
        return xpc_error(XP_EINVAL, "fft: n (%lld) must be >= 1", (long long)n);
    int want_x = kind == XP_FFT_R2C ? 0 : 2, want_y = kind == XP_FFT_C2R ? 0 : 2;
    if (dx < 0 || dy < 0 || (dx & 2) != want_x || (dy & 2) != want_y || (dx & 1) != (dy & 1))
        return xpc_error(XP_EDTYPE, "fft: x and y dtypes do not fit this transform kind");
    if (x->ndim < 1 || x->ndim > MAXD || y->ndim != x->ndim)
        return xpc_error(XP_ESHAPE, "fft: x and y must have one number of dims (1 to %d)", MAXD);
    for (int i = 0; i + 1 < x->ndim; i++)
        if (x->shape[i] != y->shape[i])
            return xpc_error(XP_ESHAPE, "fft: x and y batch shapes differ");
    int64_t nin = kind == XP_FFT_C2R ? n / 2 + 1 : n;      /* elements read per row */
    int64_t nout = kind == XP_FFT_R2C ? n / 2 + 1 : n;     /* elements written per row */
    if (y->shape[y->ndim - 1] != nout)
        return xpc_error(XP_ESHAPE, "fft: y's last axis (%lld) must be %lld",
                         (long long)y->shape[y->ndim - 1], (long long)nout);
    int64_t batch = 1;
    for (int i = 0; i + 1 < x->ndim; i++)
        batch *= x->shape[i];
    if (batch == 0)
        return XP_OK;
    int dbl = dx & 1;
    size_t rs = dbl ? 8 : 4;
    int wi = kind == XP_FFT_R2C ? 1 : 2, wo = kind == XP_FFT_C2R ? 1 : 2;
    /* C2R/R2C buffers are sized for n/2+1 complex = n+2 reals */
    size_t in_bytes = (size_t)(batch * nin * wi) * rs, out_bytes = (size_t)(batch * nout * wo) * rs;
    void *in = NULL, *out = NULL;
    int rc = xpc_scratch("fft", in_bytes, &in);
    if (!rc)
        rc = xpc_scratch("fft", out_bytes, &out);
    if (rc)
        goto done;
    {
        Rows rx = rows_of(x), ry = rows_of(y);
        const char *xb = (const char *)x->data + x->byte_offset;
        char *yb = (char *)y->data + y->byte_offset;
        int hermit = kind == XP_FFT_C2R;
        if (dbl)
            XPC_LAUNCH(blocks_for(batch * nin), NT, k_gather<double>)(xb, rx, wi, (double *)in, nin,
                                                              batch, hermit, n);
        else
            XPC_LAUNCH(blocks_for(batch * nin), NT, k_gather<float>)(xb, rx, wi, (float *)in, nin,
                                                             batch, hermit, n);
        cudaError_t e = cudaGetLastError();
        if (e != cudaSuccess) {
            rc = xpc_cuda_fail("fft", "gather kernel", e);
            goto done;
        }
        rc = xpc_fft_rows(kind, dbl, n, batch, in, out);
        if (rc)
            goto done;
        if (dbl)
            XPC_LAUNCH(blocks_for(batch * nout), NT, k_scatter<double>)((double *)out, nout, wo, batch,
                                                                scale, yb, ry);
        else
            XPC_LAUNCH(blocks_for(batch * nout), NT, k_scatter<float>)((float *)out, nout, wo, batch,
                                                               scale, yb, ry);
        rc = xpc_sync("fft", "kernel");
    }
done:
    xpc_scratch_free(in);
    xpc_scratch_free(out);
    return rc;
}
