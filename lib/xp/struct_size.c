/*
 * struct_size.c -- the size rule of the public option and result structs
 * (see "versioned structs" in xp_internal.h): any size from the first
 * published layout on, defaults for what an older caller lacks, zeros
 * required in what a newer caller adds.
 */
#include <string.h>
#include "xp_internal.h"

static size_t struct_size(const void *s)
{
    size_t n;
    memcpy(&n, s, sizeof n);
    return n;
}

static int struct_too_small(const char *fn, const char *arg, const xp__struct_desc *d,
                            size_t n)
{
    return xp_error(XP_EINVAL, "%s: %s.size (%zu) is less than the first version of %s "
                    "(%zu bytes): %s", fn, arg, n, d->type, d->v1, d->fix);
}

int xp__struct_in(const char *fn, const char *arg, const xp__struct_desc *d,
                  const void *src, void *dst)
{
    size_t n = struct_size(src);
    if (n < d->v1)
        return struct_too_small(fn, arg, d, n);
    if (n > XP__STRUCT_MAX)
        return xp_error(XP_EINVAL, "%s: %s.size (%zu) is not the size of any %s (at most "
                        "%d): %s", fn, arg, n, d->type, XP__STRUCT_MAX, d->fix);
    const unsigned char *b = src;
    for (size_t i = d->cur; i < n; i++)
        if (b[i])
            return xp_error(XP_EINVAL, "%s: %s.size (%zu) is larger than this library's "
                            "%s (%zu) and sets fields it does not know (byte %zu is %u)",
                            fn, arg, n, d->type, d->cur, i, (unsigned)b[i]);
    memcpy(dst, src, n < d->cur ? n : d->cur);
    memcpy(dst, &d->cur, sizeof d->cur);
    return XP_OK;
}

int xp__struct_out(const char *fn, const char *arg, const xp__struct_desc *d,
                   const void *src, void *dst)
{
    size_t n = struct_size(dst);
    if (n < d->v1)
        return struct_too_small(fn, arg, d, n);
    if (n > d->cur)
        n = d->cur;
    memcpy((char *)dst + sizeof n, (const char *)src + sizeof n, n - sizeof n);
    return XP_OK;
}

int xp__struct_init(const char *fn, const xp__struct_desc *d, const void *defaults,
                    void *dst, size_t size)
{
    if (!dst)
        return xp_error(XP_EINVAL, "%s: the %s pointer is NULL", fn, d->type);
    if (size < d->v1 || size > XP__STRUCT_MAX)
        return xp_error(XP_EINVAL, "%s: size (%zu) is not the size of any %s (from %zu, "
                        "its first version, to %d bytes)", fn, size, d->type, d->v1,
                        XP__STRUCT_MAX);
    size_t n = size < d->cur ? size : d->cur;
    memcpy(dst, defaults, n);
    memset((char *)dst + n, 0, size - n);
    memcpy(dst, &size, sizeof size);
    return XP_OK;
}
