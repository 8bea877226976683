/*
 * check_strict.c -- the strict provider itself: encoded handles, poison,
 * guard zones, bounds and aliasing checks, transfer and allocation
 * counters, fault injection and thread safety.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "providers/strict/strict_debug.h"
#include "xps.h"
#include "xps_iir.h"

static const xp_provider *strict(void)
{
    const xp_provider *p = xp_provider_find("strict");
    ck_assert_ptr_nonnull(p);
    return p;
}

static xp_provider_stats stats(void)
{
    xp_provider_stats st = {.size = sizeof st};
    XPT_OK(xp_provider_stats_get(strict(), &st));
    return st;
}

/* A DLTensor over a's memory with the given layout (a view the array
 * layer would not build, to reach the provider's own checks). */
static DLTensor over(const xp_array *a, int ndim, int64_t *shape,
                     int64_t *strides, uint64_t byte_offset)
{
    DLTensor t = *xp_array_dltensor(a);
    t.ndim = ndim;
    t.shape = shape;
    t.strides = strides;
    t.byte_offset = byte_offset;
    return t;
}

static xp_array *iota(int64_t n, xp_dtype dt)
{
    double *v = malloc((size_t)(2 * n) * sizeof *v);
    for (int64_t i = 0; i < 2 * n; i++)
        v[i] = (double)i;
    xp_array *a = xpt_array(strict(), dt, 1, &n, v);
    free(v);
    return a;
}

/* rc is want and the message is "strict: <op>: ...". */
#define ASSERT_FAILS(call, want, op)                                        \
    do {                                                                    \
        int rc_ = (call);                                                   \
        ck_assert_msg(rc_ == (want), "%s -> %d (%s), wanted %d", #call,     \
                      rc_, xp_errmsg(), (want));                            \
        ck_assert_msg(strncmp(xp_errmsg(), "strict: " op ": ",              \
                              strlen("strict: " op ": ")) == 0,             \
                      "message '%s' does not start with 'strict: %s: '",    \
                      xp_errmsg(), op);                                     \
    } while (0)

/* ---------------------------------------------------------------- memory */

START_TEST(handle_is_not_an_address)
{
    double v[4] = {1, 2, 3, 4}, w[4];
    int64_t n = 4;
    xp_array *a = NULL;
    XPT_OK(xp_array_from_host(strict(), XP_FLOAT64, 1, &n, v, &a));
    const DLTensor *t = xp_array_dltensor(a);
    uint64_t h = (uint64_t)(uintptr_t)t->data;

    ck_assert_int_eq(t->device.device_type, kDLExtDev);
    ck_assert(xp__strict_debug_is_handle(t->data));
    /* Non-canonical on x86-64 (bits 63..47 neither all 0 nor all 1, also
     * with 5-level paging: bits 63..56), kernel half on AArch64 (bit 55). */
    ck_assert(h >> 47 != 0 && h >> 47 != 0x1FFFF);
    ck_assert(h >> 56 != 0 && h >> 56 != 0xFF);
    ck_assert(h >> 55 & 1);
    /* The real address is an ordinary user address holding the data. */
    double *base = xp__strict_debug_base(t->data);
    ck_assert_ptr_nonnull(base);
    ck_assert_ptr_ne(base, t->data);
    ck_assert_uint_eq((uint64_t)(uintptr_t)base >> 47, 0);
    ck_assert_uint_eq(xp__strict_debug_size(t->data), sizeof v);
    ck_assert_int_eq(memcmp(base, v, sizeof v), 0);
    XPT_OK(xp_array_to_host(a, w, sizeof w));
    ck_assert_int_eq(memcmp(v, w, sizeof v), 0);
    /* Host pointers are not handles; freed handles decode to nothing. */
    ck_assert(!xp__strict_debug_is_handle(v));
    ck_assert(!xp__strict_debug_is_handle(base));
    void *stale = t->data;
    xp_array_free(a);
    ck_assert_ptr_null(xp__strict_debug_base(stale));
}
END_TEST

START_TEST(fresh_memory_reads_as_nan)
{
    static const xp_dtype dts[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64,
                                   XP_COMPLEX128};
    for (int k = 0; k < 4; k++) {
        int64_t shape[2] = {3, 5};
        xp_array *a = NULL;
        XPT_OK(xp_array_empty(strict(), dts[k], 2, shape, &a));
        double *v = xpt_values(a);
        int nv = xp_dtype_is_complex(dts[k]) ? 30 : 15;
        for (int i = 0; i < nv; i++)
            ck_assert_msg(isnan(v[i]), "%s element %d is %g", 
                          xp_dtype_name(dts[k]), i, v[i]);
        free(v);
        xp_array_free(a);
    }
    /* float64 poison is a signalling NaN (quiet bit clear). */
    uint64_t bits = XP__STRICT_POISON;
    ck_assert_uint_eq(bits >> 52 & 0x7FF, 0x7FF);
    ck_assert_uint_eq(bits >> 51 & 1, 0);
}
END_TEST

START_TEST(guard_overwrite_after_end_is_detected)
{
    xp_array *a = iota(4, XP_FLOAT64);
    const DLTensor *t = xp_array_dltensor(a);
    unsigned char *base = xp__strict_debug_base(t->data);
    long before = xp__strict_debug_corruptions();

    XPT_OK(xp__fill(a, 1.0, 0.0));
    base[4 * sizeof(double)] ^= 0x5A;   /* one byte past the end */
    ASSERT_FAILS(xp__fill(a, 2.0, 0.0), XP_EINTERNAL, "fill");
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "guard zone after"));
    /* Still corrupt at free: counted, and the next op reports it. */
    xp_array_free(a);
    ck_assert_int_eq(xp__strict_debug_corruptions(), before + 1);
    xp_array *b = NULL;
    int64_t n = 2;
    XPT_OK(xp_array_empty(strict(), XP_FLOAT64, 1, &n, &b));
    ASSERT_FAILS(xp__fill(b, 0.0, 0.0), XP_EINTERNAL, "fill");
    XPT_OK(xp__fill(b, 0.0, 0.0));       /* reported once */
    xp_array_free(b);
    ck_assert_int_eq(stats().allocs, 0);
}
END_TEST

START_TEST(guard_overwrite_before_start_is_detected)
{
    xp_array *a = iota(3, XP_COMPLEX64), *b = iota(3, XP_COMPLEX64);
    unsigned char *base = xp__strict_debug_base(xp_array_dltensor(b)->data);
    base[-1] ^= 0xFF;
    /* a write to another array does not see b's damage ... */
    XPT_OK(xp__fill(a, 1.0, 0.0));
    /* ... a write to b does. */
    ASSERT_FAILS(xp__copy(a, b), XP_EINTERNAL, "unary");
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "guard zone before"));
    base[-1] ^= 0xFF;                   /* repaired: free is quiet */
    long before = xp__strict_debug_corruptions();
    xp_array_free(b);
    xp_array_free(a);
    ck_assert_int_eq(xp__strict_debug_corruptions(), before);
}
END_TEST

START_TEST(bad_free_is_reported_not_fatal)
{
    const xp_provider *p = strict();
    long before = xp__strict_debug_corruptions();
    xp_array *a = iota(2, XP_FLOAT64);
    void *h = NULL;
    XPT_OK(p->ops->alloc(p->ctx, 16, &h));
    p->ops->free(p->ctx, h);
    p->ops->free(p->ctx, h);            /* double free */
    p->ops->free(p->ctx, NULL);         /* allowed, like free(NULL) */
    ck_assert_int_eq(xp__strict_debug_corruptions(), before + 1);
    ASSERT_FAILS(xp__fill(a, 0, 0), XP_EINTERNAL, "fill");
    XPT_OK(xp__fill(a, 0, 0));
    xp_array_free(a);
}
END_TEST

START_TEST(zero_byte_alloc)
{
    const xp_provider *p = strict();
    void *h = NULL;
    long before = xp__strict_debug_corruptions();   /* earlier tests may corrupt on purpose */
    XPT_OK(p->ops->alloc(p->ctx, 0, &h));
    ck_assert(xp__strict_debug_is_handle(h));
    ck_assert_int_eq(stats().allocs, 1);
    p->ops->free(p->ctx, h);
    ck_assert_int_eq(stats().allocs, 0);
    ck_assert_int_eq(xp__strict_debug_corruptions(), before);
}
END_TEST

/* ------------------------------------------------------------ validation */

START_TEST(out_of_bounds_strides_are_rejected)
{
    xp_array *a = iota(10, XP_FLOAT64);
    const xp_provider *p = strict();
    int64_t shape[2], strides[2];
    DLTensor t;

    shape[0] = 10; strides[0] = 2;          /* reaches element 18 */
    t = over(a, 1, shape, strides, 0);
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_ESHAPE, "fill");
    shape[0] = 5; strides[0] = 2;           /* 0, 2, ..., 8: fine */
    t = over(a, 1, shape, strides, 0);
    XPT_OK(p->ops->fill(p->ctx, &t, 7, 0));
    shape[0] = 5; strides[0] = 2;           /* 1, ..., 9: fine */
    t = over(a, 1, shape, strides, 8);
    XPT_OK(p->ops->fill(p->ctx, &t, 7, 0));
    shape[0] = 6; strides[0] = 2;           /* 1, ..., 11: past the end */
    t = over(a, 1, shape, strides, 8);
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_ESHAPE, "fill");
    shape[0] = 3; strides[0] = -1;          /* 1, 0, -1: before the start */
    t = over(a, 1, shape, strides, 8);
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_ESHAPE, "fill");
    shape[0] = 10; strides[0] = -1;         /* 9 .. 0: a reversed view */
    t = over(a, 1, shape, strides, 72);
    XPT_OK(p->ops->fill(p->ctx, &t, 7, 0));
    shape[0] = 2; shape[1] = 5; strides[0] = 5; strides[1] = 1;
    t = over(a, 2, shape, strides, 8);      /* 1 .. 10 */
    ASSERT_FAILS(p->ops->download(p->ctx, &t, (double[10]){0}), XP_ESHAPE,
                 "download");
    shape[0] = 0; strides[0] = 1000;        /* empty: nothing addressed */
    t = over(a, 1, shape, strides, 80);
    XPT_OK(p->ops->fill(p->ctx, &t, 0, 0));
    t = over(a, 1, shape, strides, 88);     /* offset past the end */
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_ESHAPE, "fill");
    shape[0] = 2; strides[0] = 1;           /* misaligned offset */
    t = over(a, 1, shape, strides, 4);
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_EINVAL, "fill");
    shape[0] = INT64_MAX / 2; strides[0] = INT64_MAX / 2;  /* overflow */
    t = over(a, 1, shape, strides, 0);
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_ESHAPE, "fill");
    /* the array layer's wrap reaches the same check */
    shape[0] = 11; strides[0] = 1;
    t = over(a, 1, shape, strides, 0);
    xp_array *w = NULL;
    XPT_OK(xp_array_wrap(&t, &w));
    double host[11];
    ASSERT_FAILS(xp_array_to_host(w, host, sizeof host), XP_ESHAPE,
                 "download");
    xp_array_free(w);
    xp_array_free(a);
}
END_TEST

START_TEST(bad_tensors_are_rejected)
{
    xp_array *a = iota(4, XP_FLOAT64), *b = iota(4, XP_FLOAT64);
    const xp_provider *p = strict();
    int64_t shape[1] = {4}, strides[1] = {1};
    DLTensor t = over(a, 1, shape, strides, 0);
    double host[4] = {0};

    t.strides = NULL;
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_ESHAPE, "fill");
    t = over(a, 1, shape, strides, 0);
    t.device.device_type = kDLCPU;
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_EDEVICE, "fill");
    t = over(a, 1, shape, strides, 0);
    t.data = host;                          /* host memory */
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_EINVAL, "fill");
    t = over(a, 1, shape, strides, 0);
    t.data = (char *)t.data + 8;            /* inside, but not the handle */
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_EINVAL, "fill");
    t = over(a, 1, shape, strides, 0);
    t.dtype.lanes = 2;
    ASSERT_FAILS(p->ops->fill(p->ctx, &t, 0, 0), XP_EDTYPE, "fill");
    ASSERT_FAILS(p->ops->fill(p->ctx, NULL, 0, 0), XP_EINVAL, "fill");
    /* a handle given as host memory */
    t = over(a, 1, shape, strides, 0);
    ASSERT_FAILS(p->ops->upload(p->ctx, xp_array_dltensor(b)->data, &t),
                 XP_EINVAL, "upload");
    ASSERT_FAILS(p->ops->download(p->ctx, &t, xp_array_dltensor(b)->data),
                 XP_EINVAL, "download");
    /* use after free */
    DLTensor stale = over(b, 1, shape, strides, 0);
    xp_array_free(b);
    ASSERT_FAILS(p->ops->fill(p->ctx, &stale, 0, 0), XP_EINVAL, "fill");
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "not a live"));
    xp_array_free(a);
}
END_TEST

START_TEST(dtypes_and_shapes_follow_the_contract)
{
    xp_array *r = iota(4, XP_FLOAT64), *r2 = iota(4, XP_FLOAT64);
    xp_array *c = iota(4, XP_COMPLEX128), *f = iota(4, XP_FLOAT32);
    xp_array *r3 = iota(3, XP_FLOAT64);
    const xp_provider *p = strict();

    ASSERT_FAILS(xp__unary(XP_UNARY_ABS, c, c), XP_EDTYPE, "unary");
    ASSERT_FAILS(xp__unary(XP_UNARY_COPY, c, r), XP_EDTYPE, "unary");
    ASSERT_FAILS(xp__unary(XP_UNARY_NEG, r, f), XP_EDTYPE, "unary");
    ASSERT_FAILS(xp__unary(XP_UNARY_COPY, r, r3), XP_ESHAPE, "unary");
    ASSERT_FAILS(p->ops->unary(p->ctx, (xp_unary_op)42, xp_array_dltensor(r),
                               xp_array_dltensor(r2)), XP_EINVAL, "unary");
    XPT_OK(xp__unary(XP_UNARY_ABS, c, r));
    XPT_OK(xp__unary(XP_UNARY_COPY, f, c));        /* widening cast */
    XPT_OK(xp__binary(XP_BINARY_MUL, c, r, c));   /* real b for complex a */
    ASSERT_FAILS(xp__binary(XP_BINARY_MUL, r, c, r2), XP_EDTYPE, "binary");
    ASSERT_FAILS(xp__binary(XP_BINARY_ADD, r, r3, r2), XP_ESHAPE, "binary");
    ASSERT_FAILS(xp__affine(r, 1, 1, 0, 0, r2), XP_EINVAL, "affine");
    ASSERT_FAILS(xp__reduce(XP_REDUCE_SUM, r, 1, r2), XP_ESHAPE, "reduce");
    ASSERT_FAILS(xp__reduce(XP_REDUCE_SUM, r, 0, r2), XP_ESHAPE, "reduce");
    ASSERT_FAILS(xp__fft(XP_FFT_R2C, 4, 1.0, c, c), XP_EDTYPE, "fft");
    ASSERT_FAILS(xp__fft(XP_FFT_R2C, 4, 1.0, r, c), XP_ESHAPE, "fft");
    ASSERT_FAILS(xp__fft(XP_FFT_C2C_FORWARD, 0, 1.0, c, c), XP_EINVAL, "fft");
    ASSERT_FAILS(xp__gemm('N', 'N', 1, 0, r, r, 0, 0, r2), XP_ESHAPE, "gemm");
    ASSERT_FAILS(xp__lfilter(r3, r, r2, NULL, c, NULL), XP_EDTYPE, "lfilter");
    xp_array *m = NULL;
    int64_t shape[2] = {2, 2};
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 2, shape, &m));
    ASSERT_FAILS(xp__sosfilt(m, r, NULL, r2, NULL), XP_ESHAPE, "sosfilt");
    xp_array_free(m);
    xp_array_free(r);
    xp_array_free(r2);
    xp_array_free(r3);
    xp_array_free(c);
    xp_array_free(f);
}
END_TEST

/* -------------------------------------------------------------- aliasing */

START_TEST(overlapping_outputs_are_rejected)
{
    xp_array *a = iota(8, XP_FLOAT64), *b = iota(8, XP_FLOAT64);
    const xp_provider *p = strict();
    int64_t n4[1] = {4}, n3[1] = {3}, s1[1] = {1}, s2[1] = {2}, s0[1] = {0};
    DLTensor x = over(a, 1, n4, s1, 0), y;

    y = over(a, 1, n4, s1, 8);              /* elements 1..4 vs 0..3 */
    ASSERT_FAILS(p->ops->unary(p->ctx, XP_UNARY_COPY, &x, &y), XP_EINVAL,
                 "unary");
    y = over(a, 1, n4, s1, 32);             /* 4..7: disjoint */
    XPT_OK(p->ops->unary(p->ctx, XP_UNARY_COPY, &x, &y));
    x = over(a, 1, n4, s2, 0);              /* evens */
    y = over(a, 1, n4, s2, 8);              /* odds: interleaved, disjoint */
    XPT_OK(p->ops->unary(p->ctx, XP_UNARY_NEG, &x, &y));
    x = over(a, 1, n3, s2, 0);              /* 0 2 4 */
    y = over(a, 1, n3, s2, 16);             /* 2 4 6: evens again, shifted */
    ASSERT_FAILS(p->ops->unary(p->ctx, XP_UNARY_NEG, &x, &y), XP_EINVAL,
                 "unary");
    x = over(a, 1, n4, s2, 0);
    y = x;                                   /* unary may not alias at all */
    ASSERT_FAILS(p->ops->unary(p->ctx, XP_UNARY_NEG, &x, &y), XP_EINVAL,
                 "unary");

    /* binary: out may be exactly a, nothing else */
    DLTensor ta = over(a, 1, n4, s1, 0), tb = over(b, 1, n4, s1, 0);
    XPT_OK(p->ops->binary(p->ctx, XP_BINARY_ADD, &ta, &tb, &ta));
    ASSERT_FAILS(p->ops->binary(p->ctx, XP_BINARY_ADD, &ta, &tb, &tb),
                 XP_EINVAL, "binary");
    y = over(a, 1, n4, s1, 8);
    ASSERT_FAILS(p->ops->binary(p->ctx, XP_BINARY_ADD, &ta, &tb, &y),
                 XP_EINVAL, "binary");
    /* affine: y may be exactly x */
    XPT_OK(p->ops->affine(p->ctx, &ta, 2, 0, 1, 0, &ta));
    ASSERT_FAILS(p->ops->affine(p->ctx, &ta, 2, 0, 1, 0, &y), XP_EINVAL,
                 "affine");

    /* an output that writes an element twice */
    y = over(b, 1, n4, s0, 0);
    ASSERT_FAILS(p->ops->unary(p->ctx, XP_UNARY_COPY, &x, &y), XP_EINVAL,
                 "unary");
    int64_t n22[2] = {2, 2}, s11[2] = {1, 1}, s12[2] = {1, 2};
    y = over(b, 2, n22, s11, 0);            /* 0 1 / 1 2 */
    ASSERT_FAILS(p->ops->fill(p->ctx, &y, 0, 0), XP_EINVAL, "fill");
    y = over(b, 2, n22, s12, 0);            /* transposed: 0 2 / 1 3, fine */
    XPT_OK(p->ops->fill(p->ctx, &y, 0, 0));
    /* a broadcast input is fine */
    x = over(a, 1, n4, s0, 0);
    y = over(b, 1, n4, s1, 0);
    XPT_OK(p->ops->unary(p->ctx, XP_UNARY_COPY, &x, &y));
    xp_array_free(a);
    xp_array_free(b);
}
END_TEST

START_TEST(filter_outputs_alias_only_exactly)
{
    double bv[2] = {0.5, 0.5}, av[1] = {1};
    int64_t two = 2, one = 1, n = 8;
    const xp_provider *p = strict();
    xp_array *b = xpt_array(p, XP_FLOAT64, 1, &two, bv);
    xp_array *a = xpt_array(p, XP_FLOAT64, 1, &one, av);
    xp_array *x = iota(n, XP_FLOAT64), *y = NULL, *zf = NULL, *a0 = NULL;
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &n, &y));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &one, &zf));
    /* in place (y is exactly x) is allowed; a shifted overlap is not */
    xp_array *x1 = NULL, *x2 = NULL;
    XPT_OK(xp__view_slice(x, 0, 0, n - 1, 1, &x1));
    XPT_OK(xp__view_slice(x, 0, 1, n - 1, 1, &x2));
    ASSERT_FAILS(xp__lfilter(b, a, x1, NULL, x2, NULL), XP_EINVAL, "lfilter");
    xp_array_free(x1);
    xp_array_free(x2);
    xp_array *xc = iota(n, XP_FLOAT64);
    XPT_OK(xp__lfilter(b, a, xc, NULL, xc, NULL));
    double *vc = xpt_values(xc);
    ck_assert(vc[0] == 0 && vc[1] == 0.5 && vc[7] == 6.5);
    free(vc);
    xp_array_free(xc);
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 1, &one, &a0));
    ASSERT_FAILS(xp__lfilter(b, a0, x, NULL, y, NULL), XP_EINVAL, "lfilter");
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "a[0]"));
    XPT_OK(xp__lfilter(b, a, x, NULL, y, zf));
    double *v = xpt_values(y), *z = xpt_values(zf);
    ck_assert(v[0] == 0 && v[1] == 0.5 && v[7] == 6.5);
    ck_assert(z[0] == 3.5);
    free(v);
    free(z);
    xp_array_free(b);
    xp_array_free(a);
    xp_array_free(a0);
    xp_array_free(x);
    xp_array_free(y);
    xp_array_free(zf);
}
END_TEST

/* --------------------------------------------------------- computing */

START_TEST(ops_compute_through_the_host_kernels)
{
    const xp_provider *p = strict();
    xp_array *x = iota(8, XP_FLOAT64), *y = NULL, *s = NULL, *rev = NULL;
    int64_t n = 8, one = 1, nf = 5;
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &n, &y));
    XPT_OK(xp__affine(x, 2, 0, 1, 0, y));               /* 2i + 1 */
    XPT_OK(xp__view_flip(y, 0, &rev));
    xp_array *r = NULL;
    XPT_OK(xp_array_astype(rev, XP_FLOAT64, &r));      /* strided copy */
    double *v = xpt_values(r);
    for (int i = 0; i < 8; i++)
        ck_assert(v[i] == 2 * (7 - i) + 1);
    free(v);
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &one, &s));
    XPT_OK(xp__reduce(XP_REDUCE_SUM, y, 0, s));
    v = xpt_values(s);
    ck_assert(v[0] == 64);
    free(v);
    xp_array *f = NULL;
    XPT_OK(xp_array_empty(p, XP_COMPLEX128, 1, &nf, &f));
    XPT_OK(xp__fft(XP_FFT_R2C, 8, 1.0, x, f));
    v = xpt_values(f);
    ck_assert(fabs(v[0] - 28) < 1e-12 && fabs(v[1]) < 1e-12);
    ck_assert(fabs(v[8] + 4) < 1e-12 && fabs(v[9]) < 1e-12);
    free(v);
    xp_array_free(f);
    xp_array_free(r);
    xp_array_free(rev);
    xp_array_free(s);
    xp_array_free(y);
    xp_array_free(x);
    ck_assert_int_eq(stats().allocs, 0);
}
END_TEST

/* ------------------------------------------------------------ counters */

/* Bytes an algorithm moves between host and strict on an input of n
 * samples (it is the one test per algorithm; its results are freed). */
static int64_t moved_by(int which, int64_t n)
{
    double *v = malloc((size_t)n * sizeof *v);
    for (int64_t i = 0; i < n; i++)
        v[i] = sin(0.01 * (double)i) + 1e-3 * (double)(i % 7);
    xp_array *x = xpt_array(strict(), XP_FLOAT64, 1, &n, v), *f = NULL, *t = NULL, *r = NULL;
    free(v);
    xps_spectral_options o;
    xps_filtfilt_options fo;
    xps_filtfilt_options_init(&fo);
    double b[XPS_IIR_BUFLEN(4)], a[XPS_IIR_BUFLEN(4)], sos[XPS_IIR_BUFLEN(8)], k,
        wn[2] = {0.05, 0.3};
    int64_t nb, na, nsec, nz;
    XPT_OK(xps_butter(4, wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_BA, 0, b, &nb, a, &na, &k));
    XPT_OK(xps_butter(4, wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_SOS, 0, sos, &nsec, NULL,
                      &nz, &k));
    xp_array *Z = NULL, *zf = NULL, *zt = NULL;
    xps_istft_options io;
    xps_istft_options_init(&io);
    io.nperseg = 1024;
    if (which == 6) {           /* istft's input: an stft made beforehand */
        xps_stft_options_init(&o);
        o.nperseg = 1024;
        XPT_OK(xps_stft(x, &o, &zf, &zt, &Z));
    }
    XPT_OK(xp_provider_stats_reset(strict()));
    switch (which) {
    case 0:
        xps_welch_options_init(&o);
        o.nperseg = 1024;
        XPT_OK(xps_welch(x, &o, &f, &r));
        break;
    case 1:
        xps_spectrogram_options_init(&o);
        o.nperseg = 1024;
        XPT_OK(xps_spectrogram(x, &o, &f, &t, &r));
        break;
    case 2:
        xps_stft_options_init(&o);
        o.nperseg = 1024;
        XPT_OK(xps_stft(x, &o, &f, &t, &r));
        break;
    case 3:
        XPT_OK(xps_detrend(x, -1, XPS_DETREND_LINEAR, NULL, 0, &r));
        break;
    case 4:
        XPT_OK(xps_filtfilt(b, nb, a, na, x, &fo, &r));
        break;
    case 5:
        XPT_OK(xps_sosfiltfilt(sos, nsec, x, &fo, &r));
        break;
    default:
        XPT_OK(xps_istft(Z, &io, &t, &r));
        break;
    }
    xp_provider_stats st = stats();
    xp_array_free(Z);
    xp_array_free(zf);
    xp_array_free(zt);
    xp_array_free(x);
    xp_array_free(f);
    xp_array_free(t);
    xp_array_free(r);
    return st.upload_bytes + st.download_bytes;
}

/* An algorithm on provider data moves what its options and coefficients
 * need (a window, a few constants, a filter's states, spectrogram's segment
 * times, detrend's ramp and istft's sample times as 2 sqrt(n) values),
 * never the data: the bytes moved grow by far less than the input does,
 * and stay far below it. */
START_TEST(algorithms_move_little)
{
    static const char *const names[] = {"welch", "spectrogram", "stft", "detrend",
                                        "filtfilt", "sosfiltfilt", "istft"};
    int64_t small = moved_by(_i, 1 << 15), big = moved_by(_i, 1 << 17);
    int64_t grown = (int64_t)8 * ((1 << 17) - (1 << 15));      /* input bytes added */
    ck_assert_msg(big - small < grown / 64, "%s moved %lld bytes on 2^15 samples, %lld on "
                  "2^17", names[_i], (long long)small, (long long)big);
    ck_assert_msg(big < (1 << 15), "%s moved %lld bytes (input: %lld)", names[_i],
                  (long long)big, (long long)(8 << 17));
}
END_TEST

START_TEST(transfers_are_counted)
{
    double v[6] = {1, 2, 3, 4, 5, 6}, w[6];
    int64_t n = 6;
    xp_array *a = NULL, *h = NULL, *s = NULL;

    XPT_OK(xp_provider_stats_reset(strict()));
    xp_provider_stats st = stats();
    ck_assert_int_eq(st.uploads, 0);
    ck_assert_int_eq(st.downloads, 0);
    XPT_OK(xp_array_from_host(strict(), XP_FLOAT64, 1, &n, v, &a));
    st = stats();
    ck_assert_int_eq(st.uploads, 1);
    ck_assert_int_eq(st.upload_bytes, 48);
    ck_assert_int_eq(st.downloads, 0);
    ck_assert_int_eq(st.allocs, 1);
    ck_assert_int_eq(st.alloc_bytes, 48);
    XPT_OK(xp_array_to_host(a, w, sizeof w));
    st = stats();
    ck_assert_int_eq(st.downloads, 1);
    ck_assert_int_eq(st.download_bytes, 48);
    /* strict -> host is a download; host -> strict an upload */
    XPT_OK(xp_array_to_provider(a, xp_provider_host(), &h));
    XPT_OK(xp_array_to_provider(h, strict(), &s));
    st = stats();
    ck_assert_int_eq(st.downloads, 2);
    ck_assert_int_eq(st.uploads, 2);
    ck_assert_int_eq(st.allocs, 2);
    /* ops on the provider move nothing */
    XPT_OK(xp__binary(XP_BINARY_ADD, a, s, a));
    ck_assert_int_eq(stats().uploads, 2);
    ck_assert_int_eq(stats().downloads, 2);
    /* reset clears the counters, not the live allocations */
    XPT_OK(xp_provider_stats_reset(strict()));
    st = stats();
    ck_assert_int_eq(st.uploads + st.downloads + st.upload_bytes
                     + st.download_bytes, 0);
    ck_assert_int_eq(st.allocs, 2);
    xp_array_free(a);
    xp_array_free(h);
    xp_array_free(s);
    st = stats();
    ck_assert_int_eq(st.allocs, 0);
    ck_assert_int_eq(st.alloc_bytes, 0);
}
END_TEST

START_TEST(no_live_allocations_after_freeing)
{
    xp_array *arr[6] = {0}, *views[3] = {0};
    int64_t shape[2] = {4, 6};
    long before = xp__strict_debug_corruptions();
    for (int i = 0; i < 6; i++)
        XPT_OK(xp_array_zeros(strict(), i % 2 ? XP_COMPLEX64 : XP_FLOAT64, 2,
                              shape, &arr[i]));
    XPT_OK(xp__view_axis_last(arr[0], 0, &views[0]));
    XPT_OK(xp__view_frames(arr[1], 3, 2, 2, &views[1]));
    XPT_OK(xp__view_slice(arr[2], 1, 5, 3, -2, &views[2]));
    xp_provider_stats st = stats();
    ck_assert_int_eq(st.allocs, 6);
    ck_assert_int_eq(st.alloc_bytes, 3 * 24 * 8 + 3 * 24 * 8);
    for (int i = 0; i < 3; i++)
        xp_array_free(views[i]);
    ck_assert_int_eq(stats().allocs, 6);
    for (int i = 0; i < 6; i++)
        xp_array_free(arr[i]);
    st = stats();
    ck_assert_int_eq(st.allocs, 0);
    ck_assert_int_eq(st.alloc_bytes, 0);
    ck_assert_int_eq(xp__strict_debug_corruptions(), before);
}
END_TEST

START_TEST(allocation_faults_leak_nothing)
{
    double v[5] = {1, 2, 3, 4, 5};
    int64_t n = 5;
    int rc = -1;
    long k;
    for (k = 1; k < 100; k++) {
        xp_array *a = NULL;
        xp__fault_set(k);
        rc = xp_array_from_host(strict(), XP_FLOAT64, 1, &n, v, &a);
        xp__fault_set(0);
        if (rc == XP_OK) {
            xp_array_free(a);
            break;
        }
        ck_assert_int_eq(rc, XP_ENOMEM);
        ck_assert_ptr_null(a);
        ck_assert_int_eq(stats().allocs, 0);
    }
    ck_assert_int_eq(rc, XP_OK);
    ck_assert_int_ge(k, 3);         /* header, then the strict block failed */
    /* the provider's own alloc slot */
    const xp_provider *p = strict();
    void *h = (void *)1;
    xp__fault_set(1);
    ASSERT_FAILS(p->ops->alloc(p->ctx, 64, &h), XP_ENOMEM, "alloc");
    xp__fault_set(0);
    ck_assert_ptr_null(h);
    ck_assert_int_eq(stats().allocs, 0);
}
END_TEST

/* ------------------------------------------------------------- threads */

#define NTHREADS 4
#define NROUNDS 200

static void *worker(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    double v[16], w[16];
    for (int r = 0; r < NROUNDS; r++) {
        int64_t n = 1 + (int64_t)((seed + (unsigned)r) % 16);
        xpt_random(v, n, seed * 1000u + (unsigned)r);
        xp_array *a = NULL;
        if (xp_array_from_host(strict(), XP_FLOAT64, 1, &n, v, &a))
            return (void *)1;
        int bad = xp_array_to_host(a, w, sizeof w)
                  || memcmp(v, w, (size_t)n * sizeof *v);
        xp_array_free(a);
        if (bad)
            return (void *)1;
    }
    return NULL;
}

START_TEST(threads_share_the_provider)
{
    pthread_t th[NTHREADS];
    XPT_OK(xp_provider_stats_reset(strict()));
    for (int i = 0; i < NTHREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, worker,
                                        (void *)(uintptr_t)(i + 1)), 0);
    for (int i = 0; i < NTHREADS; i++) {
        void *ret;
        pthread_join(th[i], &ret);
        ck_assert_ptr_null(ret);
    }
    xp_provider_stats st = stats();
    ck_assert_int_eq(st.uploads, NTHREADS * NROUNDS);
    ck_assert_int_eq(st.downloads, NTHREADS * NROUNDS);
    ck_assert_int_eq(st.upload_bytes, st.download_bytes);
    ck_assert_int_eq(st.allocs, 0);
    ck_assert_int_eq(st.alloc_bytes, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("strict");
    TCase *tc = tcase_create("memory");
    tcase_add_test(tc, handle_is_not_an_address);
    tcase_add_loop_test(tc, algorithms_move_little, 0, 7);
    tcase_add_test(tc, fresh_memory_reads_as_nan);
    tcase_add_test(tc, guard_overwrite_after_end_is_detected);
    tcase_add_test(tc, guard_overwrite_before_start_is_detected);
    tcase_add_test(tc, bad_free_is_reported_not_fatal);
    tcase_add_test(tc, zero_byte_alloc);
    suite_add_tcase(s, tc);
    tc = tcase_create("validation");
    tcase_add_test(tc, out_of_bounds_strides_are_rejected);
    tcase_add_test(tc, bad_tensors_are_rejected);
    tcase_add_test(tc, dtypes_and_shapes_follow_the_contract);
    tcase_add_test(tc, overlapping_outputs_are_rejected);
    tcase_add_test(tc, filter_outputs_alias_only_exactly);
    tcase_add_test(tc, ops_compute_through_the_host_kernels);
    suite_add_tcase(s, tc);
    tc = tcase_create("counters");
    tcase_add_test(tc, transfers_are_counted);
    tcase_add_test(tc, no_live_allocations_after_freeing);
    tcase_add_test(tc, allocation_faults_leak_nothing);
    tcase_add_test(tc, threads_share_the_provider);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
