/*
 * alias.c -- what a caller's output array may share with the inputs.
 *
 * Functions that write into arrays the caller passes (the _into forms)
 * must refuse an output that writes one element twice, or that shares
 * memory with an input other than by being exactly that input (in place).
 * The tests here are conservative: byte ranges and nested strides, never a
 * walk over the elements.
 */
#include <stdlib.h>
#include "xp_internal.h"

/* Lowest and one-past-highest byte a's elements touch, from its data
 * pointer's address; 0 when a has no elements. */
static int byte_range(const xp_array *a, uintptr_t *lo, uintptr_t *hi)
{
    const DLTensor *t = &a->t;
    int64_t min = 0, max = 0;
    for (int d = 0; d < t->ndim; d++) {
        if (t->shape[d] == 0)
            return 0;
        int64_t span = (t->shape[d] - 1) * t->strides[d];
        if (span < 0)
            min += span;
        else
            max += span;
    }
    int64_t es = (int64_t)xp_dtype_size(a->dtype);
    uintptr_t base = (uintptr_t)t->data + (uintptr_t)t->byte_offset;
    *lo = base + (uintptr_t)(min * es);
    *hi = base + (uintptr_t)((max + 1) * es);
    return 1;
}

int xp__same_view(const xp_array *a, const xp_array *b)
{
    const DLTensor *s = &a->t, *t = &b->t;
    if (a->provider != b->provider || a->dtype != b->dtype || s->data != t->data
        || s->byte_offset != t->byte_offset || s->ndim != t->ndim)
        return 0;
    for (int d = 0; d < s->ndim; d++)
        if (s->shape[d] != t->shape[d] || (s->shape[d] > 1 && s->strides[d] != t->strides[d]))
            return 0;
    return 1;
}

int xp__may_overlap(const xp_array *a, const xp_array *b)
{
    uintptr_t alo, ahi, blo, bhi;
    if (a->provider != b->provider || !byte_range(a, &alo, &ahi) || !byte_range(b, &blo, &bhi))
        return 0;
    return alo < bhi && blo < ahi;
}

static int by_abs_stride(const void *p, const void *q)
{
    const int64_t *x = p, *y = q;
    int64_t a = llabs(x[0]), b = llabs(y[0]);
    return (a > b) - (a < b);
}

int xp__writes_once(const xp_array *a)
{
    const DLTensor *t = &a->t;
    int64_t dims[XP_MAX_NDIM][2];
    int n = 0;
    for (int d = 0; d < t->ndim; d++) {
        if (t->shape[d] == 0)
            return 1;
        if (t->shape[d] > 1) {
            dims[n][0] = t->strides[d];
            dims[n++][1] = t->shape[d];
        }
    }
    qsort(dims, (size_t)n, sizeof dims[0], by_abs_stride);
    /* each axis must step over everything the smaller ones span */
    int64_t span = 1;
    for (int k = 0; k < n; k++) {
        int64_t s = llabs(dims[k][0]);
        if (s < span)
            return 0;
        span = s * (dims[k][1] - 1) + span;
    }
    return 1;
}
