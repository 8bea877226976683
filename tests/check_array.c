/* check_array.c -- the array layer: arrays, views, dispatch, errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "providers/host/host.h"

static const xp_dtype all_dtypes[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64, XP_COMPLEX128};

START_TEST(roundtrip_every_dtype)
{
    const xp_provider *p = xpt_provider(_i);
    for (int k = 0; k < 4; k++) {
        xp_dtype dt = all_dtypes[k];
        int64_t shape[3] = {2, 3, 4};
        double v[48], *w;
        xpt_random(v, 48, 7u + (unsigned)k);
        if (dt == XP_FLOAT32 || dt == XP_COMPLEX64)
            for (int i = 0; i < 48; i++)
                v[i] = (float)v[i];
        xp_array *a = xpt_array(p, dt, 3, shape, v);
        ck_assert_int_eq(xp_array_ndim(a), 3);
        ck_assert_int_eq(xp_array_dim(a, -1), 4);
        ck_assert_int_eq(xp_array_dim(a, 3), -1);
        ck_assert_int_eq(xp_array_size(a), 24);
        ck_assert_int_eq(xp_array_dtype(a), dt);
        ck_assert_ptr_eq(xp_array_provider(a), p);
        ck_assert_int_eq(xp_array_dltensor(a)->device.device_type, xp_provider_device_type(p));
        w = xpt_values(a);
        ck_assert_int_eq(memcmp(v, w, (xp_dtype_is_complex(dt) ? 48 : 24) * sizeof(double)), 0);
        free(w);
        xp_array_free(a);
    }
}
END_TEST

START_TEST(zero_size_and_scalar)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {0, 5};
    xp_array *a = NULL, *s = NULL;
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 2, shape, &a));
    ck_assert_int_eq(xp_array_size(a), 0);
    XPT_OK(xp_array_to_host(a, NULL, 0));
    double one = 1.5, got = 0;
    XPT_OK(xp_array_from_host(p, XP_FLOAT64, 0, NULL, &one, &s));
    XPT_OK(xp_array_to_host(s, &got, sizeof got));
    ck_assert(got == 1.5);
    xp_array_free(a);
    xp_array_free(s);
    xp_array_free(NULL);
}
END_TEST

/* Views change only headers; a copy through them shows what they address. */
static double *through_copy(const xp_array *v)
{
    xp_array *c = NULL;
    XPT_OK(xp_array_astype(v, xp_array_dtype(v), &c));
    double *w = xpt_values(c);
    xp_array_free(c);
    return w;
}

START_TEST(views_address_the_right_elements)
{
    const xp_provider *p = xpt_provider(_i);
    double v[12];
    for (int i = 0; i < 12; i++)
        v[i] = i;
    int64_t shape[2] = {3, 4};
    xp_array *a = xpt_array(p, XP_FLOAT64, 2, shape, v), *f, *s, *t, *b, *fr, *e;
    double *w;

    XPT_OK(xp__view_flip(a, 1, &f));                /* rows reversed */
    w = through_copy(f);
    ck_assert(w[0] == 3 && w[3] == 0 && w[4] == 7 && w[11] == 8);
    free(w);

    XPT_OK(xp__view_slice(f, 0, 2, 2, -2, &s));     /* rows 2 and 0 of f */
    w = through_copy(s);
    ck_assert(w[0] == 11 && w[3] == 8 && w[4] == 3 && w[7] == 0);
    free(w);
    xp_array_free(s);

    XPT_OK(xp__view_axis_last(a, 0, &t));          /* transpose */
    ck_assert_int_eq(xp_array_dim(t, 0), 4);
    w = through_copy(t);
    ck_assert(w[0] == 0 && w[1] == 4 && w[2] == 8 && w[3] == 1);
    free(w);

    int64_t row_shape[1] = {4}, bshape[3] = {2, 3, 4};
    xp_array *row = xpt_array(p, XP_FLOAT64, 1, row_shape, v);
    XPT_OK(xp__view_broadcast(row, 3, bshape, &b));
    w = through_copy(b);
    for (int i = 0; i < 24; i++)
        ck_assert(w[i] == i % 4);
    free(w);

    int64_t lshape[1] = {10};
    xp_array *line = xpt_array(p, XP_FLOAT64, 1, lshape, v);
    XPT_OK(xp__view_frames(line, 4, 3, 3, &fr));    /* [0..3], [3..6], [6..9] */
    w = through_copy(fr);
    ck_assert(w[0] == 0 && w[4] == 3 && w[8] == 6 && w[11] == 9);
    free(w);
    ck_assert_int_eq(xp__view_frames(line, 4, 3, 4, &e), XP_ESHAPE);
    ck_assert_ptr_null(e);

    XPT_OK(xp__view_expand(line, 0, &e));
    ck_assert_int_eq(xp_array_ndim(e), 2);
    ck_assert_int_eq(xp_array_dim(e, 0), 1);

    ck_assert_int_eq(xp__view_slice(a, 1, 3, 2, 1, &s), XP_ESHAPE);
    ck_assert_msg(strstr(xp_errmsg(), "slice"), "%s", xp_errmsg());
    ck_assert_int_eq(xp__view_axis_last(a, 2, &s), XP_ESHAPE);
    ck_assert_msg(strstr(xp_errmsg(), "axis (2)"), "%s", xp_errmsg());

    xp_array *views[] = {f, t, b, fr, e, row, line, a};
    for (int i = 0; i < 8; i++)
        xp_array_free(views[i]);
}
END_TEST

START_TEST(wrap_borrows_host_memory)
{
    double data[6] = {1, 2, 3, 4, 5, 6}, out[6];
    int64_t shape[2] = {2, 3}, strides[2] = {-3, 1};
    DLTensor t = {.data = data, .device = {kDLCPU, 0}, .ndim = 2, .shape = shape,
                  .strides = strides, .byte_offset = 3 * sizeof(double)};
    XPT_OK(xp_dtype_to_dlpack(XP_FLOAT64, &t.dtype));
    xp_array *a = NULL;
    XPT_OK(xp_array_wrap(&t, &a));
    ck_assert_ptr_eq(xp_array_provider(a), xp_provider_host());
    XPT_OK(xp_array_to_host(a, out, sizeof out));
    ck_assert(out[0] == 4 && out[2] == 6 && out[3] == 1 && out[5] == 3);
    xp_array_free(a);                               /* borrowed: data stays */
    ck_assert(data[0] == 1);

    /* a producer that points data at the first element, the rest below */
    int64_t n3 = 3, sneg = -1;
    DLTensor r = {.data = &data[2], .device = {kDLCPU, 0}, .ndim = 1, .dtype = t.dtype,
                  .shape = &n3, .strides = &sneg};
    xp_array *rv = NULL, *fl = NULL;
    XPT_OK(xp_array_wrap(&r, &rv));
    XPT_OK(xp__view_flip(rv, 0, &fl));
    XPT_OK(xp_array_to_host(fl, out, 3 * sizeof *out));
    ck_assert(out[0] == 1 && out[1] == 2 && out[2] == 3);
    xp_array_free(fl);
    xp_array_free(rv);

    t.dtype.code = kDLInt;
    ck_assert_int_eq(xp_array_wrap(&t, &a), XP_EDTYPE);
    XPT_OK(xp_dtype_to_dlpack(XP_FLOAT64, &t.dtype));
    t.device.device_type = kDLVulkan;
    ck_assert_int_eq(xp_array_wrap(&t, &a), XP_EDEVICE);
    ck_assert_msg(strstr(xp_errmsg(), "device type 7"), "%s", xp_errmsg());
}
END_TEST

START_TEST(mixed_providers_are_an_error)
{
    const xp_provider *host = xp_provider_find("host"), *strict = xp_provider_find("strict");
    double v[4] = {1, 2, 3, 4};
    int64_t n = 4;
    xp_array *a = xpt_array(host, XP_FLOAT64, 1, &n, v);
    xp_array *b = xpt_array(strict, XP_FLOAT64, 1, &n, v);
    const xp_array *both[] = {a, NULL, b};
    const xp_provider *p = NULL;
    ck_assert_int_eq(xp_get_namespace(3, both, &p), XP_EDEVICE);
    ck_assert_msg(strstr(xp_errmsg(), "host") && strstr(xp_errmsg(), "strict"), "%s", xp_errmsg());
    XPT_OK(xp_get_namespace(2, both, &p));
    ck_assert_ptr_eq(p, host);
    ck_assert_int_eq(xp__binary(XP_BINARY_ADD, a, b, a), XP_EDEVICE);
    ck_assert_msg(strstr(xp_errmsg(), "binary:"), "%s", xp_errmsg());

    /* explicit conversion is the way across */
    xp_array *c = NULL;
    XPT_OK(xp_array_to_provider(b, host, &c));
    XPT_OK(xp__binary(XP_BINARY_ADD, a, c, c));
    double *w = xpt_values(c);
    ck_assert(w[0] == 2 && w[3] == 8);
    free(w);
    xp_array_free(a);
    xp_array_free(b);
    xp_array_free(c);
}
END_TEST

START_TEST(astype_and_conversion)
{
    const xp_provider *p = xpt_provider(_i);
    double v[3] = {0.5, -1.25, 3};
    int64_t n = 3;
    xp_array *a = xpt_array(p, XP_FLOAT32, 1, &n, v), *z = NULL, *r = NULL;
    XPT_OK(xp_array_astype(a, XP_COMPLEX128, &z));
    double *w = xpt_values(z);
    ck_assert(w[0] == 0.5 && w[1] == 0 && w[2] == -1.25 && w[5] == 0);
    free(w);
    ck_assert_int_eq(xp_array_astype(z, XP_FLOAT64, &r), XP_EDTYPE);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(xp_errmsg(), "complex128 to float64"), "%s", xp_errmsg());
    for (int i = 0; i < xpt_nproviders(); i++) {    /* usable providers only */
        XPT_OK(xp_array_to_provider(z, xpt_provider(i), &r));
        w = xpt_values(r);
        ck_assert(w[4] == 3);
        free(w);
        xp_array_free(r);
    }
    xp_array_free(a);
    xp_array_free(z);
}
END_TEST

START_TEST(bad_arguments_name_themselves)
{
    const xp_provider *p = xp_provider_host();
    xp_array *a = (xp_array *)1;
    int64_t shape[2] = {2, -1};
    ck_assert_int_eq(xp_array_empty(p, XP_FLOAT64, 2, shape, &a), XP_ESHAPE);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(xp_errmsg(), "xp_array_empty: shape[1] (-1) must be >= 0");
    /* byte strides must fit int64 even when another extent is 0 */
    int64_t huge[2][2] = {{0, (int64_t)1 << 62}, {(int64_t)1 << 30, (int64_t)1 << 30}};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(xp_array_empty(p, XP_FLOAT64, 2, huge[i], &a), XP_ESHAPE);
        ck_assert_ptr_null(a);
        ck_assert_msg(strstr(xp_errmsg(), "too large to address"), "%s", xp_errmsg());
    }
    ck_assert_int_eq(xp_array_empty(p, XP_FLOAT64, XP_MAX_NDIM + 1, shape, &a), XP_ESHAPE);
    ck_assert_int_eq(xp_array_empty(p, (xp_dtype)9, 1, shape, &a), XP_EDTYPE);
    ck_assert_int_eq(xp_array_empty(NULL, XP_FLOAT64, 1, shape, &a), XP_EINVAL);
    ck_assert_int_eq(xp_array_empty(p, XP_FLOAT64, 1, shape, NULL), XP_EINVAL);
    for (int s = 0; s <= XP_EINTERNAL + 1; s++)
        ck_assert(strlen(xp_strerror(s)) > 0);
    xp_clear_error();
    ck_assert_str_eq(xp_errmsg(), "");
    ck_assert_ptr_null(xp_provider_find("nonesuch"));
    ck_assert_ptr_null(xp_provider_get(-1));
    ck_assert_str_eq(xp_dtype_name(XP_COMPLEX64), "complex64");
    ck_assert_int_eq(xp_dtype_size(XP_COMPLEX128), 16);
    ck_assert_int_eq(xp_dtype_real(XP_COMPLEX64), XP_FLOAT32);
    ck_assert_int_eq(xp_dtype_complex(XP_FLOAT64), XP_COMPLEX128);
}
END_TEST

/* DLPack types go in and out by pointer (FFIs pass no structs by value). */
START_TEST(dtype_dlpack_by_pointer)
{
    for (size_t k = 0; k < sizeof all_dtypes / sizeof all_dtypes[0]; k++) {
        DLDataType dt;
        xp_dtype d = (xp_dtype)-1;
        XPT_OK(xp_dtype_to_dlpack(all_dtypes[k], &dt));
        ck_assert_int_eq(dt.lanes, 1);
        ck_assert_int_eq(dt.bits, 8 * xp_dtype_size(all_dtypes[k]));
        XPT_OK(xp_dtype_from_dlpack(&dt, &d));
        ck_assert_int_eq(d, all_dtypes[k]);
    }
    DLDataType dt = {kDLInt, 32, 1}, before = {7, 7, 7}, out = before;
    xp_dtype d = XP_COMPLEX64;
    ck_assert_int_eq(xp_dtype_from_dlpack(&dt, &d), XP_EDTYPE);
    ck_assert_str_eq(xp_errmsg(), "xp_dtype_from_dlpack: dt (code 0, bits 32, lanes 1) is "
                     "not one of float32, float64, complex64, complex128");
    ck_assert_int_eq(d, XP_COMPLEX64);
    dt = (DLDataType){kDLFloat, 32, 4};
    ck_assert_int_eq(xp_dtype_from_dlpack(&dt, &d), XP_EDTYPE);
    ck_assert_msg(strstr(xp_errmsg(), "lanes 4"), "%s", xp_errmsg());
    ck_assert_int_eq(xp_dtype_from_dlpack(NULL, &d), XP_EINVAL);
    ck_assert_str_eq(xp_errmsg(), "xp_dtype_from_dlpack: dt is NULL");
    ck_assert_int_eq(xp_dtype_from_dlpack(&dt, NULL), XP_EINVAL);
    ck_assert_str_eq(xp_errmsg(), "xp_dtype_from_dlpack: out is NULL");
    ck_assert_int_eq(xp_dtype_to_dlpack((xp_dtype)9, &out), XP_EDTYPE);
    ck_assert_str_eq(xp_errmsg(), "xp_dtype_to_dlpack: dtype (9) is not a valid xp_dtype");
    ck_assert(out.code == before.code && out.bits == before.bits && out.lanes == before.lanes);
    ck_assert_int_eq(xp_dtype_to_dlpack((xp_dtype)-1, &out), XP_EDTYPE);
    ck_assert_int_eq(xp_dtype_to_dlpack(XP_FLOAT64, NULL), XP_EINVAL);
    ck_assert_str_eq(xp_errmsg(), "xp_dtype_to_dlpack: out is NULL");
}
END_TEST

/* xp_provider_stats is an output struct: a caller's struct from an older
 * header (shorter than the first layout: refused) or a newer one (longer:
 * only what this library knows is written). */
START_TEST(stats_struct_sizes)
{
    const xp_provider *p = xpt_provider(_i);
    xp_provider_stats st = {.size = sizeof st};
    XPT_OK(xp_provider_stats_get(p, &st));
    struct {
        xp_provider_stats st;
        int64_t newer[2];
    } big;
    memset(&big, 0x5a, sizeof big);
    big.st.size = sizeof big;
    XPT_OK(xp_provider_stats_get(p, &big.st));
    ck_assert_uint_eq(big.st.size, sizeof big);
    ck_assert_int_eq(big.st.allocs, st.allocs);
    ck_assert_int_eq(big.st.uploads, st.uploads);
    ck_assert(big.newer[0] == 0x5a5a5a5a5a5a5a5a && big.newer[1] == big.newer[0]);
    xp_provider_stats small;
    memset(&small, 0x5a, sizeof small);
    small.size = sizeof small - 8;
    ck_assert_int_eq(xp_provider_stats_get(p, &small), XP_EINVAL);
    char msg[160];
    snprintf(msg, sizeof msg, "xp_provider_stats_get: stats.size (%zu) is less than the "
             "first version of xp_provider_stats (%zu bytes): set it to sizeof(xp_provider_stats)",
             sizeof small - 8, sizeof small);
    ck_assert_str_eq(xp_errmsg(), msg);
    ck_assert(small.alloc_bytes == 0x5a5a5a5a5a5a5a5a);
}
END_TEST

/* A provider whose table predates a slot: the wrapper refuses, by name. */
START_TEST(old_tables_lack_newer_slots)
{
    xp_ops old = *xp__host_provider.ops;
    old.size = offsetof(xp_ops, fill);              /* a table that ends before fill */
    xp__host_ctx ctx = {1};
    const xp_provider fake = {"old", "a version-1 table cut short", kDLCPU, &old, &ctx, NULL};
    int64_t n = 2;
    xp_array *a = NULL;
    XPT_OK(xp_array_empty(&fake, XP_FLOAT64, 1, &n, &a));
    ck_assert_int_eq(xp__fill(a, 0, 0), XP_EUNAVAIL);
    ck_assert_msg(strstr(xp_errmsg(), "fill: provider 'old'"), "%s", xp_errmsg());
    xp_array_free(a);
}
END_TEST

START_TEST(allocation_failures_leak_nothing)
{
    const xp_provider *p = xpt_provider(_i);
    double v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    int64_t n = 8;
    int succeeded = 0;
    for (long k = 1; k < 64 && !succeeded; k++) {
        xp_array *a = NULL, *b = NULL;
        xp__fault_set(k);
        int rc = xp_array_from_host(p, XP_FLOAT64, 1, &n, v, &a);
        if (rc == XP_OK)
            rc = xp_array_to_provider(a, xp_provider_host(), &b);
        xp__fault_set(0);
        ck_assert_msg(rc == XP_OK || rc == XP_ENOMEM, "k=%ld rc=%d %s", k, rc, xp_errmsg());
        if (rc == XP_OK)
            succeeded = 1;
        else
            ck_assert_msg(strstr(xp_errmsg(), "memory"), "k=%ld: %s", k, xp_errmsg());
        xp_array_free(a);
        xp_array_free(b);
    }
    ck_assert(succeeded);
}
END_TEST

/* The public checked calls: arithmetic on a slice, where the array lives. */
START_TEST(public_arithmetic_on_views)
{
    const xp_provider *p = xpt_provider(_i);
    double v[6] = {1, 2, 3, 4, 5, 6}, s = 0;
    int64_t n = 6, one = 1;
    xp_array *x = xpt_array(p, XP_FLOAT64, 1, &n, v), *h = NULL, *sum = NULL, *r = NULL;
    XPT_OK(xp_array_slice(x, 0, 5, 3, -2, &h));         /* x[5], x[3], x[1] */
    XPT_OK(xp_affine(h, 10, 0, 1, 0, h));
    xp_array_free(h);
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 1, &one, &sum));
    XPT_OK(xp_reduce(XP_REDUCE_SUM, x, 0, sum));
    XPT_OK(xp_array_to_host(sum, &s, sizeof s));
    ck_assert(s == 1 + 21 + 3 + 41 + 5 + 61);
    XPT_OK(xp_array_zeros(p, XP_FLOAT64, 1, &n, &r));
    XPT_OK(xp_binary(XP_BINARY_MUL, x, x, r));
    XPT_OK(xp_unary(XP_UNARY_NEG, r, x));
    double *w = xpt_values(x);
    ck_assert(w[0] == -1 && w[1] == -441 && w[5] == -3721);
    free(w);
    ck_assert_int_eq(xp_unary(XP_UNARY_NEG, x, NULL), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "xp_unary: array argument 2"), "%s", xp_errmsg());
    ck_assert_int_eq(xp_array_slice(x, 0, 4, 3, 1, &h), XP_ESHAPE);
    ck_assert_ptr_null(h);
    xp_array_free(sum);
    xp_array_free(r);
    xp_array_free(x);
}
END_TEST

START_TEST(providers_are_listed)
{
    ck_assert_int_ge(xp_provider_count(), 2);
    ck_assert_ptr_nonnull(xp_provider_find("host"));
    ck_assert_ptr_nonnull(xp_provider_find("strict"));
    const char *why = "unset";
    ck_assert(xp_provider_available(xp_provider_host(), &why));
    ck_assert_ptr_null(why);
    ck_assert_int_eq(xp_provider_device_type(xp_provider_find("strict")), kDLExtDev);
    XPT_OK(xp_provider_set_threads(xp_provider_host(), 1));
    XPT_OK(xp_provider_set_threads(xp_provider_host(), 0));
    ck_assert_int_eq(xp_provider_set_threads(xp_provider_host(), -2), XP_EINVAL);
}
END_TEST

/* The aliasing tests behind the _into forms: which views write each
 * element once, which share bytes, which are one view. */
START_TEST(aliasing_of_views)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {4, 6}, tshape[2] = {6, 4}, tstr[2] = {1, 6}, n = 24, one = 1;
    xp_array *a = NULL, *b = NULL, *t = NULL, *fl = NULL, *fr = NULL, *bc = NULL;
    xp_array *lo = NULL, *hi = NULL, *mid = NULL, *s1 = NULL;
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 2, shape, &a));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 1, &one, &s1));
    XPT_OK(xp_array_empty(p, XP_FLOAT64, 2, shape, &b));
    XPT_OK(xp__view(a, 2, tshape, tstr, 0, &t));            /* a transposed */
    XPT_OK(xp__view_flip(a, 1, &fl));                        /* a[:, ::-1] */
    xp_array *flat = NULL;
    XPT_OK(xp__view(a, 1, &n, (int64_t[]){1}, 0, &flat));
    XPT_OK(xp__view_frames(flat, 6, 3, 7, &fr));             /* overlapping frames */
    XPT_OK(xp__view_broadcast(s1, 1, &n, &bc));              /* one element, 24 times */
    XPT_OK(xp__view_slice(flat, 0, 0, 12, 1, &lo));
    XPT_OK(xp__view_slice(flat, 0, 12, 12, 1, &hi));
    XPT_OK(xp__view_slice(flat, 0, 6, 12, 1, &mid));
    ck_assert(xp__writes_once(a) && xp__writes_once(t) && xp__writes_once(fl));
    ck_assert(!xp__writes_once(fr) && !xp__writes_once(bc));
    ck_assert(xp__may_overlap(a, t) && xp__may_overlap(lo, mid) && xp__may_overlap(mid, hi));
    ck_assert(!xp__may_overlap(lo, hi) && !xp__may_overlap(a, b));
    ck_assert(xp__same_view(a, a) && !xp__same_view(a, t) && !xp__same_view(lo, mid));
    xp_array *all[] = {a, b, t, fl, fr, bc, lo, hi, mid, s1, flat};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        xp_array_free(all[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("array");
    TCase *tc = tcase_create("array");
    int np = xpt_nproviders();
    tcase_add_loop_test(tc, roundtrip_every_dtype, 0, np);
    tcase_add_loop_test(tc, zero_size_and_scalar, 0, np);
    tcase_add_loop_test(tc, views_address_the_right_elements, 0, np);
    tcase_add_test(tc, wrap_borrows_host_memory);
    tcase_add_test(tc, mixed_providers_are_an_error);
    tcase_add_loop_test(tc, astype_and_conversion, 0, np);
    tcase_add_test(tc, bad_arguments_name_themselves);
    tcase_add_test(tc, dtype_dlpack_by_pointer);
    tcase_add_loop_test(tc, stats_struct_sizes, 0, np);
    tcase_add_test(tc, old_tables_lack_newer_slots);
    tcase_add_loop_test(tc, allocation_failures_leak_nothing, 0, np);
    tcase_add_loop_test(tc, public_arithmetic_on_views, 0, np);
    tcase_add_test(tc, providers_are_listed);
    tcase_add_loop_test(tc, aliasing_of_views, 0, np);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
