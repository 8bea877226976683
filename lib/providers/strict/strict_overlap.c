/*
 * strict_overlap.c -- aliasing checks: an output writes no element twice
 * and shares no byte with an input, except the exact aliasing a slot
 * allows.  Cheap tests (different blocks, disjoint byte ranges, strides
 * that nest) settle almost every call; only the rest walk the elements
 * over a bitmap of the bytes in question.
 */
#include <stdlib.h>
#include "strict.h"

typedef struct {
    uint64_t *bits;
    int64_t lo, hi;     /* bytes of the block the bitmap covers */
    int64_t g;          /* bytes per bit */
    int64_t units;      /* bits per element of the tensor being walked */
    int clash;          /* a bit was found set */
    int64_t where;      /* its byte */
} bitmap;

typedef int (*visit_fn)(bitmap *m, int64_t off);

/* Call fn for the byte offset (from the block's data) of every element of
 * v, stopping when it returns nonzero. */
static void walk(const xp__strict_view *v, visit_fn fn, bitmap *m)
{
    const DLTensor *t = &v->t;
    int64_t idx[XP_MAX_NDIM] = {0}, off = (int64_t)t->byte_offset;
    int64_t isz = (int64_t)v->isz;

    if (v->count == 0)
        return;
    for (;;) {
        if (fn(m, off))
            return;
        int d = t->ndim - 1;
        for (; d >= 0; d--) {
            off += t->strides[d] * isz;
            if (++idx[d] < t->shape[d])
                break;
            off -= t->shape[d] * t->strides[d] * isz;
            idx[d] = 0;
        }
        if (d < 0)
            return;
    }
}

static int bit_test_set(bitmap *m, int64_t unit)
{
    uint64_t mask = UINT64_C(1) << (unit & 63), *w = &m->bits[unit >> 6];
    int was = (*w & mask) != 0;
    *w |= mask;
    return was;
}

/* Mark every unit of the element at off (within [lo, hi)); note clashes. */
static int mark(bitmap *m, int64_t off)
{
    for (int64_t u = 0; u < m->units; u++) {
        int64_t b = off + u * m->g;
        if (b >= m->lo && b < m->hi && bit_test_set(m, (b - m->lo) / m->g)) {
            m->clash = 1;
            m->where = b;
            return 1;
        }
    }
    return 0;
}

/* Mark without looking (an output's own elements). */
static int mark_all(bitmap *m, int64_t off)
{
    for (int64_t u = 0; u < m->units; u++) {
        int64_t b = off + u * m->g;
        if (b >= m->lo && b < m->hi)
            bit_test_set(m, (b - m->lo) / m->g);
    }
    return 0;
}

static int probe(bitmap *m, int64_t off)
{
    for (int64_t u = 0; u < m->units; u++) {
        int64_t b = off + u * m->g, k = (b - m->lo) / m->g;
        if (b >= m->lo && b < m->hi && (m->bits[k >> 6] >> (k & 63) & 1)) {
            m->clash = 1;
            m->where = b;
            return 1;
        }
    }
    return 0;
}

static int bitmap_init(const char *fn, bitmap *m, int64_t lo, int64_t hi,
                       int64_t g)
{
    int64_t n = (hi - lo) / g;
    m->lo = lo;
    m->hi = hi;
    m->g = g;
    m->clash = 0;
    m->bits = xp__calloc((size_t)(n / 64 + 1), sizeof(uint64_t));
    if (!m->bits)
        return xp_error(XP_ENOMEM, "strict: %s: out of memory for the "
                        "overlap check", fn);
    return XP_OK;
}

static int64_t absl(int64_t v)
{
    return v < 0 ? -v : v;
}

int xp__strict_writable(const char *fn, const xp__strict_view *out)
{
    int64_t n[XP_MAX_NDIM], s[XP_MAX_NDIM], reach = 0;
    int k = 0, nested = 1;

    if (out->count <= 1)
        return XP_OK;
    for (int d = 0; d < out->t.ndim; d++) {
        if (out->t.shape[d] <= 1)
            continue;
        if (out->t.strides[d] == 0)
            return xp_error(XP_EINVAL, "strict: %s: %s has stride 0 along "
                            "axis %d (size %lld): an output element would "
                            "be written more than once", fn, out->name, d,
                            (long long)out->t.shape[d]);
        /* insertion sort by |stride| */
        int j = k++;
        while (j > 0 && absl(s[j - 1]) > absl(out->t.strides[d])) {
            n[j] = n[j - 1];
            s[j] = s[j - 1];
            j--;
        }
        n[j] = out->t.shape[d];
        s[j] = out->t.strides[d];
    }
    /* Each stride stepping past everything the finer ones reach means
     * distinct indices give distinct elements. */
    for (int j = 0; j < k && nested; j++) {
        nested = absl(s[j]) > reach;
        reach += (n[j] - 1) * absl(s[j]);
    }
    if (nested)
        return XP_OK;

    bitmap m;
    int rc = bitmap_init(fn, &m, out->lo, out->hi, (int64_t)out->isz);
    if (rc)
        return rc;
    m.units = 1;
    walk(out, mark, &m);
    xp__free(m.bits);
    if (m.clash)
        return xp_error(XP_EINVAL, "strict: %s: %s strides address the "
                        "element at byte %lld more than once: an output "
                        "element would be written twice", fn, out->name,
                        (long long)m.where);
    return XP_OK;
}

static int exactly(const xp__strict_view *a, const xp__strict_view *b)
{
    if (a->blk != b->blk || a->t.byte_offset != b->t.byte_offset
        || a->dtype != b->dtype || a->t.ndim != b->t.ndim)
        return 0;
    for (int d = 0; d < a->t.ndim; d++)
        if (a->t.shape[d] != b->t.shape[d]
            || (a->t.shape[d] > 1 && a->t.strides[d] != b->t.strides[d]))
            return 0;
    return 1;
}

int xp__strict_disjoint(const char *fn, const xp__strict_view *out,
                        const xp__strict_view *in, int alias_ok)
{
    if (!out->blk || !in->blk || out->blk != in->blk || !out->count
        || !in->count || out->hi <= in->lo || in->hi <= out->lo)
        return XP_OK;
    if (exactly(out, in)) {
        if (alias_ok)
            return XP_OK;
        return xp_error(XP_EINVAL, "strict: %s: %s is %s: this output must "
                        "not alias its inputs", fn, out->name, in->name);
    }

    /* Byte-exact test over the common range, in units of the smaller
     * element (element sizes are powers of two and offsets multiples). */
    int64_t lo = out->lo > in->lo ? out->lo : in->lo;
    int64_t hi = out->hi < in->hi ? out->hi : in->hi;
    int64_t g = (int64_t)(out->isz < in->isz ? out->isz : in->isz);
    bitmap m;
    int rc = bitmap_init(fn, &m, lo, hi, g);
    if (rc)
        return rc;
    m.units = (int64_t)out->isz / g;
    walk(out, mark_all, &m);
    m.units = (int64_t)in->isz / g;
    walk(in, probe, &m);
    xp__free(m.bits);
    if (m.clash)
        return xp_error(XP_EINVAL, "strict: %s: %s overlaps %s at byte %lld "
                        "of their allocation: %s", fn, out->name, in->name,
                        (long long)m.where,
                        alias_ok ? "it may only be exactly the same view"
                                 : "this output must not alias its inputs");
    return XP_OK;
}
