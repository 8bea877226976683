/*
 * strict_provider.c -- the strict test provider's table and context.
 *
 * Like array-api-strict for the Python array API: it computes nothing of
 * its own (the host kernels do the arithmetic) but keeps its data where
 * algorithm code cannot read it, checks every argument of every op against
 * the xp_ops contract more strictly than the host does, and counts every
 * transfer, so the test suite can show that an algorithm stays on its
 * provider and follows the contract.
 */
#include "strict.h"

static xp__strict_ctx strict_ctx = {
    .host = {.nthreads = 1},
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

/* n >= 1 threads, or 0 for all cores (as the host); starts at 1. */
static int strict_set_threads(void *ctx, int n)
{
    xp__strict_ctx *c = ctx;
    if (n < 0)
        return xp_error(XP_EINVAL, "strict: set_threads: n (%d) must be at "
                        "least 1, or 0 for all cores", n);
    __atomic_store_n(&c->host.nthreads, n, __ATOMIC_RELAXED);
    return XP_OK;
}

/* Transfer counters reset; live allocations are state, not counters. */
static int strict_stats(void *ctx, xp_provider_stats *st, int reset)
{
    xp__strict_ctx *c = ctx;

    if (st && st->size < sizeof *st)
        return xp_error(XP_EINVAL, "strict: stats: st->size (%zu) is less "
                        "than sizeof(xp_provider_stats) (%zu)", st->size,
                        sizeof *st);
    if (st) {
        st->uploads = atomic_load(&c->uploads);
        st->downloads = atomic_load(&c->downloads);
        st->upload_bytes = atomic_load(&c->upload_bytes);
        st->download_bytes = atomic_load(&c->download_bytes);
        st->allocs = atomic_load(&c->allocs);
        st->alloc_bytes = atomic_load(&c->alloc_bytes);
    }
    if (reset) {
        atomic_store(&c->uploads, 0);
        atomic_store(&c->downloads, 0);
        atomic_store(&c->upload_bytes, 0);
        atomic_store(&c->download_bytes, 0);
    }
    return XP_OK;
}

static const xp_ops strict_ops = {
    .version = XP_OPS_VERSION,
    .size = sizeof(xp_ops),
    .alloc = xp__strict_alloc,
    .free = xp__strict_free,
    .upload = xp__strict_upload,
    .download = xp__strict_download,
    .fill = xp__strict_fill,
    .unary = xp__strict_unary,
    .binary = xp__strict_binary,
    .affine = xp__strict_affine,
    .reduce = xp__strict_reduce,
    .fft = xp__strict_fft,
    .gemm = xp__strict_gemm,
    .interp = xp__strict_interp,
    .lfilter = xp__strict_lfilter,
    .sosfilt = xp__strict_sosfilt,
    .set_threads = strict_set_threads,
    .stats = strict_stats,
};

const xp_provider xp__strict_provider = {
    .name = "strict",
    .description = "strict test provider: private memory, checked "
                   "operations, counted transfers",
    .device_type = kDLExtDev,
    .ops = &strict_ops,
    .ctx = &strict_ctx,
    .probe = NULL,
};
