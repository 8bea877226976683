/*
 * memory.c -- host allocations of the library, with fault injection.
 *
 * Every allocation the library makes for itself (array headers, scratch)
 * goes through here, so a test can make the k-th one fail and check that
 * the caller returns XP_ENOMEM and leaks nothing.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "xp_internal.h"

static atomic_long fault_at;    /* 0: off; else the allocation number that fails */
static atomic_long fault_seen;

void xp__fault_set(long k)
{
    atomic_store(&fault_seen, 0);
    atomic_store(&fault_at, k > 0 ? k : 0);
}

long xp__fault_seen(void)
{
    return atomic_load(&fault_seen);
}

int xp__fault_hit(void)
{
    long k = atomic_load(&fault_at);
    long n = atomic_fetch_add(&fault_seen, 1) + 1;
    return k > 0 && n >= k;
}

void *xp__malloc(size_t n)
{
    return xp__fault_hit() ? NULL : malloc(n ? n : 1);
}

void *xp__calloc(size_t n, size_t size)
{
    return xp__fault_hit() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void xp__free(void *p)
{
    free(p);
}

/* Blocks this large ask the kernel for transparent huge pages: first touch
 * of fresh 4 KiB pages costs more than the work done on them. */
#define XP_HUGE_THRESHOLD ((size_t)4 << 20)
#define XP_HUGE_ALIGN ((size_t)2 << 20)

void *xp__aligned_alloc(size_t n)
{
    if (xp__fault_hit())
        return NULL;
    void *p = NULL;
    size_t align = n >= XP_HUGE_THRESHOLD ? XP_HUGE_ALIGN : 64;
    if (posix_memalign(&p, align, n ? n : 1) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (n >= XP_HUGE_THRESHOLD)
        madvise(p, n - n % XP_HUGE_ALIGN, MADV_HUGEPAGE);
#endif
    return p;
}

void xp__aligned_free(void *p)
{
    free(p);
}
