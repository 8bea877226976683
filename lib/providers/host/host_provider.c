/*
 * host_provider.c -- the host provider: plain host memory, worked on by
 * the kernels of host_*.c (FFTW3 and OpenBLAS behind fft and gemm).
 *
 * Its context holds only the worker thread count; the counters are global
 * because there is one host provider.  Every allocation carries a small
 * header with its size so that free can keep the live byte count.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "host.h"

/* Header in front of each block; 64 bytes keep the data 64-byte aligned. */
#define HOST_HDR ((size_t)64)

static xp__host_ctx host_ctx = {0};    /* nthreads 0: not set, use all cores */

static int64_t n_uploads, n_downloads, n_upload_bytes, n_download_bytes;
static int64_t n_allocs, n_alloc_bytes;

#define ADD(v, d) __atomic_add_fetch(&(v), (d), __ATOMIC_RELAXED)
#define GET(v) __atomic_load_n(&(v), __ATOMIC_RELAXED)
#define SET(v, x) __atomic_store_n(&(v), (x), __ATOMIC_RELAXED)

static int online_cores(void)
{
    static int cores;   /* cached; a benign race writes the same value */
    int n = __atomic_load_n(&cores, __ATOMIC_RELAXED);
    if (n < 1) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c < 1 ? 1 : c > 4096 ? 4096 : (int)c;
        __atomic_store_n(&cores, n, __ATOMIC_RELAXED);
    }
    return n;
}

/* ctx is NULL or an xp__host_ctx (the strict provider passes the host's). */
int xp__host_threads(void *ctx)
{
    xp__host_ctx *c = ctx;
    int n = c ? __atomic_load_n(&c->nthreads, __ATOMIC_RELAXED) : 0;
    return n >= 1 ? n : online_cores();
}

int xp__host_set_threads(void *ctx, int n)
{
    xp__host_ctx *c = ctx ? ctx : &host_ctx;
    if (n < 0)
        return xp_error(XP_EINVAL, "set_threads: threads (%d) must be >= 1, or 0 "
                        "for all cores", n);
    __atomic_store_n(&c->nthreads, n, __ATOMIC_RELAXED);
    return XP_OK;
}

int xp__host_alloc(void *ctx, size_t nbytes, void **data)
{
    (void)ctx;
    *data = NULL;
    if (nbytes > SIZE_MAX - HOST_HDR)
        return xp_error(XP_ENOMEM, "alloc: %zu bytes is too large", nbytes);
    char *p = xp__aligned_alloc(nbytes + HOST_HDR);
    if (!p)
        return xp_error(XP_ENOMEM, "alloc: out of host memory (%zu bytes)", nbytes);
    *(size_t *)p = nbytes;
    ADD(n_allocs, 1);
    ADD(n_alloc_bytes, (int64_t)nbytes);
    *data = p + HOST_HDR;
    return XP_OK;
}

void xp__host_free(void *ctx, void *data)
{
    (void)ctx;
    if (!data)
        return;
    char *p = (char *)data - HOST_HDR;
    ADD(n_allocs, -1);
    ADD(n_alloc_bytes, -(int64_t)*(size_t *)p);
    xp__aligned_free(p);
}

/* t's element count and byte size, with the C-ordered strides of its shape
 * written to cstrides; fails on a dtype the host does not know. */
static int dense_layout(const char *fn, const DLTensor *t, int64_t *cstrides,
                        int64_t *nbytes)
{
    xp_dtype dt;
    if (xp__tensor_dtype(t, &dt))
        return xp_error(XP_EDTYPE, "%s: DLPack type (code %u, bits %u, lanes %u) "
                        "is not one of float32, float64, complex64, complex128",
                        fn, t->dtype.code, t->dtype.bits, t->dtype.lanes);
    if (t->ndim < 0 || t->ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "%s: ndim (%d) must be in 0..%d", fn, t->ndim,
                        XP_MAX_NDIM);
    xp__c_strides(t->ndim, t->shape, cstrides);
    *nbytes = xp__shape_size(t->ndim, t->shape) * (int64_t)xp_dtype_size(dt);
    return XP_OK;
}

int xp__host_upload(void *ctx, const void *src, const DLTensor *dst)
{
    int64_t cs[XP_MAX_NDIM], nbytes;
    int rc = dense_layout("upload", dst, cs, &nbytes);
    if (rc)
        return rc;
    DLTensor s = *dst;
    s.data = (void *)src;
    s.byte_offset = 0;
    s.strides = cs;
    rc = xp__host_unary(ctx, XP_UNARY_COPY, &s, dst);
    if (rc == XP_OK) {
        ADD(n_uploads, 1);
        ADD(n_upload_bytes, nbytes);
    }
    return rc;
}

int xp__host_download(void *ctx, const DLTensor *src, void *dst)
{
    int64_t cs[XP_MAX_NDIM], nbytes;
    int rc = dense_layout("download", src, cs, &nbytes);
    if (rc)
        return rc;
    DLTensor d = *src;
    d.data = dst;
    d.byte_offset = 0;
    d.strides = cs;
    rc = xp__host_unary(ctx, XP_UNARY_COPY, src, &d);
    if (rc == XP_OK) {
        ADD(n_downloads, 1);
        ADD(n_download_bytes, nbytes);
    }
    return rc;
}

/* Reset clears the transfer counters; the live allocation counts are a
 * gauge of what exists and are never cleared. */
int xp__host_stats(void *ctx, xp_provider_stats *st, int reset)
{
    (void)ctx;
    if (st) {
        xp_provider_stats v = {.size = st->size};
        v.uploads = GET(n_uploads);
        v.downloads = GET(n_downloads);
        v.upload_bytes = GET(n_upload_bytes);
        v.download_bytes = GET(n_download_bytes);
        v.allocs = GET(n_allocs);
        v.alloc_bytes = GET(n_alloc_bytes);
        size_t n = st->size < sizeof v ? st->size : sizeof v;
        if (n > sizeof v.size)
            memcpy((char *)st + sizeof v.size, (char *)&v + sizeof v.size,
                   n - sizeof v.size);
    }
    if (reset) {
        SET(n_uploads, 0);
        SET(n_downloads, 0);
        SET(n_upload_bytes, 0);
        SET(n_download_bytes, 0);
    }
    return XP_OK;
}

static const xp_ops host_ops = {
    .version = XP_OPS_VERSION,
    .size = sizeof(xp_ops),
    .alloc = xp__host_alloc,
    .free = xp__host_free,
    .upload = xp__host_upload,
    .download = xp__host_download,
    .fill = xp__host_fill,
    .unary = xp__host_unary,
    .binary = xp__host_binary,
    .affine = xp__host_affine,
    .reduce = xp__host_reduce,
    .fft = xp__host_fft,
    .gemm = xp__host_gemm,
    .lfilter = xp__host_lfilter,
    .sosfilt = xp__host_sosfilt,
    .set_threads = xp__host_set_threads,
    .stats = xp__host_stats,
    .welch_segments = xp__host_welch_segments,
    .interp = xp__host_interp,
    .segment_spectra = xp__host_segment_spectra,
};

const xp_provider xp__host_provider = {
    .name = "host",
    .description = "host memory: FFTW3, OpenBLAS and OpenMP-threaded C kernels",
    .device_type = kDLCPU,
    .ops = &host_ops,
    .ctx = &host_ctx,
    .probe = NULL,
};
