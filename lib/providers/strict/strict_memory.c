/*
 * strict_memory.c -- the strict provider's allocations: guard zones,
 * poison, encoded handles and the registry of live blocks.
 *
 * A handle is the real address XOR a key.  On 64-bit targets the key sets
 * bit 62 (bit 63 stays clear), which no canonical x86-64 address has with
 * 4- or 5-level paging, and bit 55, which on AArch64 (where the top byte
 * is ignored) selects the kernel half.  Either way a load through a handle
 * faults at once.  Bits 56..61 carry a generation so that a stale handle to
 * a reused address does not come back to life.
 */
#include <string.h>
#include "strict.h"

#if UINTPTR_MAX > 0xFFFFFFFFu
#define KEY (UINT64_C(1) << 62 | UINT64_C(1) << 55)
#define GEN_SHIFT 56
#define GEN_MASK UINT64_C(0x3F)
#else
#define KEY UINT64_C(0xC0000000)    /* the kernel's part of a 3G/1G split */
#define GEN_SHIFT 0
#define GEN_MASK UINT64_C(0)
#endif

#define FREED_BYTE 0xDD

static size_t bucket_of(uint64_t h)
{
    h ^= h >> 29;
    h *= UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 52) & (XP__STRICT_BUCKETS - 1);
}

static char *front_guard(const xp__strict_block *b)
{
    return b->data - XP__STRICT_GUARD;
}

static void poison(char *p, size_t n)
{
    const uint64_t v = XP__STRICT_POISON;
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        memcpy(p + i, &v, 8);
    if (i < n)
        memcpy(p + i, &v, n - i);
}

int xp__strict_alloc(void *ctx, size_t nbytes, void **data)
{
    xp__strict_ctx *c = ctx;
    const size_t extra = XP__STRICT_HEADER + 2 * XP__STRICT_GUARD;

    if (!data)
        return xp_error(XP_EINVAL, "strict: alloc: data is NULL");
    *data = NULL;
    if (nbytes > SIZE_MAX - extra)
        return xp_error(XP_ENOMEM, "strict: alloc: %zu bytes is too large",
                        nbytes);
    char *raw = xp__aligned_alloc(nbytes + extra);
    if (!raw)
        return xp_error(XP_ENOMEM, "strict: alloc: out of memory for %zu bytes",
                        nbytes);

    xp__strict_block *b = (xp__strict_block *)raw;
    b->data = raw + XP__STRICT_HEADER + XP__STRICT_GUARD;
    b->size = nbytes;
    memset(front_guard(b), XP__STRICT_GUARD_BYTE, XP__STRICT_GUARD);
    memset(b->data + nbytes, XP__STRICT_GUARD_BYTE, XP__STRICT_GUARD);
    poison(b->data, nbytes);

    uint64_t gen = atomic_fetch_add(&c->generation, 1u) & GEN_MASK;
    b->handle = (uint64_t)(uintptr_t)b->data ^ (KEY | gen << GEN_SHIFT);

    size_t k = bucket_of(b->handle);
    pthread_mutex_lock(&c->lock);
    b->next = c->buckets[k];
    c->buckets[k] = b;
    pthread_mutex_unlock(&c->lock);

    atomic_fetch_add(&c->allocs, 1);
    atomic_fetch_add(&c->alloc_bytes, (long long)nbytes);
    *data = (void *)(uintptr_t)b->handle;
    return XP_OK;
}

xp__strict_block *xp__strict_lookup(xp__strict_ctx *c, uint64_t h)
{
    pthread_mutex_lock(&c->lock);
    xp__strict_block *b = c->buckets[bucket_of(h)];
    while (b && b->handle != h)
        b = b->next;
    pthread_mutex_unlock(&c->lock);
    return b;
}

static xp__strict_block *unlink_block(xp__strict_ctx *c, uint64_t h)
{
    pthread_mutex_lock(&c->lock);
    xp__strict_block **pp = &c->buckets[bucket_of(h)];
    while (*pp && (*pp)->handle != h)
        pp = &(*pp)->next;
    xp__strict_block *b = *pp;
    if (b)
        *pp = b->next;
    pthread_mutex_unlock(&c->lock);
    return b;
}

/* Bytes of p[0..n) that differ from the guard pattern; *first: the first. */
static size_t damaged(const char *p, size_t n, size_t *first)
{
    size_t bad = 0;
    for (size_t i = n; i-- > 0;)
        if ((unsigned char)p[i] != XP__STRICT_GUARD_BYTE) {
            bad++;
            *first = i;
        }
    return bad;
}

int xp__strict_guard_check(const char *fn, const xp__strict_block *b)
{
    size_t first = 0, bad;

    bad = damaged(b->data + b->size, XP__STRICT_GUARD, &first);
    if (bad)
        return xp_error(XP_EINTERNAL,
                        "strict: %s: guard zone after the %zu-byte allocation "
                        "%#llx was overwritten (%zu bytes changed, the first "
                        "%zu bytes past its end)", fn, b->size,
                        (unsigned long long)b->handle, bad, first);
    bad = damaged(front_guard(b), XP__STRICT_GUARD, &first);
    if (bad)
        return xp_error(XP_EINTERNAL,
                        "strict: %s: guard zone before the %zu-byte allocation "
                        "%#llx was overwritten (%zu bytes changed, the first "
                        "%zu bytes before its start)", fn, b->size,
                        (unsigned long long)b->handle, bad,
                        (size_t)XP__STRICT_GUARD - first);
    return XP_OK;
}

/* free cannot return a status: what it finds is counted, left in this
 * thread's message, and reported by the next op (xp__strict_enter). */
static void found_at_free(xp__strict_ctx *c)
{
    atomic_fetch_add(&c->corruptions, 1);
    atomic_fetch_add(&c->pending, 1);
}

void xp__strict_free(void *ctx, void *data)
{
    xp__strict_ctx *c = ctx;

    if (!data)
        return;
    xp__strict_block *b = unlink_block(c, (uint64_t)(uintptr_t)data);
    if (!b) {
        found_at_free(c);
        xp_error(XP_EINVAL, "strict: free: %p is not a live strict allocation "
                 "(freed twice, or never allocated here)", data);
        return;
    }
    if (xp__strict_guard_check("free", b))
        found_at_free(c);
    atomic_fetch_sub(&c->allocs, 1);
    atomic_fetch_sub(&c->alloc_bytes, (long long)b->size);
    /* Scribble over the block so that a stale decoded pointer reads junk. */
    memset(b, FREED_BYTE, XP__STRICT_HEADER + 2 * XP__STRICT_GUARD + b->size);
    xp__aligned_free(b);
}

/* ---- test hooks (strict_debug.h) ----------------------------------------- */

static xp__strict_ctx *strict_ctx(void)
{
    return xp__strict_provider.ctx;
}

void *xp__strict_debug_base(const void *handle)
{
    xp__strict_block *b = xp__strict_lookup(strict_ctx(),
                                            (uint64_t)(uintptr_t)handle);
    return b ? b->data : NULL;
}

size_t xp__strict_debug_size(const void *handle)
{
    xp__strict_block *b = xp__strict_lookup(strict_ctx(),
                                            (uint64_t)(uintptr_t)handle);
    return b ? b->size : 0;
}

int xp__strict_debug_is_handle(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p;
    return h != 0 && (h & KEY) == KEY && (h >> 63) == 0;
}

long xp__strict_debug_corruptions(void)
{
    return atomic_load(&strict_ctx()->corruptions);
}
