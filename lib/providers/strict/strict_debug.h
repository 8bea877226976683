/*
 * strict_debug.h -- test-only hooks into the strict provider.  Tests use
 * them to corrupt memory on purpose and to look behind the encoded handles;
 * nothing in the library may call them.
 */
#ifndef XP_STRICT_DEBUG_H
#define XP_STRICT_DEBUG_H

#include <stddef.h>
#include <stdint.h>

/* The real address of the user bytes behind a live handle, or NULL. */
void *xp__strict_debug_base(const void *handle);
/* The user size of the live allocation behind handle, or 0. */
size_t xp__strict_debug_size(const void *handle);
/* 1 if p looks like a strict handle: a non-canonical address carrying the
 * provider's key bits (live or not). */
int xp__strict_debug_is_handle(const void *p);
/* Guard-zone corruptions and bad frees found by free since start. */
long xp__strict_debug_corruptions(void);

/* Poison patterns: fresh memory is filled with XP__STRICT_POISON (a
 * signalling NaN as float64; NaN in both float32 halves); guard zones with
 * XP__STRICT_GUARD_BYTE. */
#define XP__STRICT_POISON UINT64_C(0x7FF4DEAD7FA4DEAD)
#define XP__STRICT_GUARD_BYTE 0xFD

#endif /* XP_STRICT_DEBUG_H */
