/*
 * check_dlpack.c -- DLPack import and export (lib/xp/dlpack_exchange.c).
 *
 * Ownership is counted: every imported managed tensor carries a test
 * deleter that counts its calls, and each path (consumed, rejected,
 * allocation failure midway, exported and consumed again) must end with
 * the deleter called exactly once by whoever owns the tensor then.
 * Exported arrays are watched through the providers' live allocation
 * counters.  Also: strides, byte offsets, both structs, read-only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"

/* ------------------------------------------------------- test producers */

typedef struct {
    DLManagedTensor mt;
    int calls;
    int64_t shape[4], strides[4];
} legacy_t;

typedef struct {
    xp_managed_tensor_versioned mt;
    int calls;
    int64_t shape[4], strides[4];
} versioned_t;

static void count_legacy(DLManagedTensor *self)
{
    ((legacy_t *)self)->calls++;
}

static void count_versioned(xp_managed_tensor_versioned *self)
{
    ((versioned_t *)self)->calls++;
}

/* A float64 host tensor over data; strides NULL when nstrides is 0. */
static DLTensor host_tensor(void *data, int ndim, int64_t *shape, int64_t *strides,
                            uint64_t byte_offset)
{
    DLTensor t;
    memset(&t, 0, sizeof t);
    t.data = data;
    t.device.device_type = kDLCPU;
    t.device.device_id = 0;
    t.ndim = ndim;
    t.dtype.code = kDLFloat;
    t.dtype.bits = 64;
    t.dtype.lanes = 1;
    t.shape = shape;
    t.strides = strides;
    t.byte_offset = byte_offset;
    return t;
}

static void legacy_init(legacy_t *m, double *data, int ndim, const int64_t *shape,
                        const int64_t *strides, uint64_t byte_offset)
{
    memset(m, 0, sizeof *m);
    for (int d = 0; d < ndim; d++) {
        m->shape[d] = shape[d];
        if (strides)
            m->strides[d] = strides[d];
    }
    m->mt.dl_tensor = host_tensor(data, ndim, m->shape, strides ? m->strides : NULL,
                                  byte_offset);
    m->mt.manager_ctx = m;
    m->mt.deleter = count_legacy;
}

static void versioned_init(versioned_t *m, double *data, int ndim, const int64_t *shape,
                           const int64_t *strides, uint64_t byte_offset, uint64_t flags)
{
    memset(m, 0, sizeof *m);
    for (int d = 0; d < ndim; d++) {
        m->shape[d] = shape[d];
        if (strides)
            m->strides[d] = strides[d];
    }
    m->mt.version.major = 1;
    m->mt.version.minor = 0;
    m->mt.flags = flags;
    m->mt.dl_tensor = host_tensor(data, ndim, m->shape, strides ? m->strides : NULL,
                                  byte_offset);
    m->mt.manager_ctx = m;
    m->mt.deleter = count_versioned;
}

static int64_t live_allocs(const xp_provider *p)
{
    xp_provider_stats st = {.size = sizeof st};
    XPT_OK(xp_provider_stats_get(p, &st));
    return st.allocs;
}

/* ------------------------------------------------------------- the ABI */

START_TEST(versioned_struct_has_the_dlpack_1_layout)
{
    /* DLPack 1.x: {u32 major, u32 minor}, manager_ctx, deleter, u64 flags,
     * DLTensor; the first three fixed forever. */
    ck_assert_uint_eq(sizeof(xp_dlpack_version), 8);
    ck_assert_uint_eq(offsetof(xp_managed_tensor_versioned, version), 0);
    ck_assert_uint_eq(offsetof(xp_managed_tensor_versioned, manager_ctx), 8);
    ck_assert_uint_eq(offsetof(xp_managed_tensor_versioned, deleter), 8 + sizeof(void *));
    ck_assert_uint_eq(offsetof(xp_managed_tensor_versioned, flags), 8 + 2 * sizeof(void *));
    ck_assert_uint_eq(offsetof(xp_managed_tensor_versioned, dl_tensor),
                      16 + 2 * sizeof(void *));
    ck_assert(XP_DLPACK_FLAG_BITMASK_READ_ONLY == 1u);
    ck_assert(XP_DLPACK_FLAG_BITMASK_IS_COPIED == 2u);
}
END_TEST

/* ---------------------------------------------------------------- import */

START_TEST(legacy_import_is_consumed_once)
{
    double v[6] = {1, 2, 3, 4, 5, 6}, got[6];
    int64_t shape[2] = {2, 3};
    legacy_t m;
    legacy_init(&m, v, 2, shape, NULL, 0);
    xp_array *a = NULL;
    XPT_OK(xp_array_from_dlpack(&m.mt, &a));
    ck_assert_int_eq(m.calls, 0);
    ck_assert_int_eq(xp_array_ndim(a), 2);
    ck_assert_int_eq(xp_array_dim(a, 1), 3);
    ck_assert_int_eq(xp_array_dtype(a), XP_FLOAT64);
    ck_assert_ptr_eq(xp_array_provider(a), xp_provider_host());
    ck_assert_int_eq(xp_array_is_readonly(a), 0);
    ck_assert_ptr_eq(xp_array_dltensor(a)->data, v);     /* no copy */
    XPT_OK(xp_array_to_host(a, got, sizeof got));
    ck_assert_int_eq(memcmp(v, got, sizeof v), 0);
    /* writable: an op may write into it */
    XPT_OK(xp__fill(a, 7.0, 0.0));
    ck_assert(v[0] == 7.0 && v[5] == 7.0);
    ck_assert_int_eq(m.calls, 0);
    xp_array_free(a);
    ck_assert_int_eq(m.calls, 1);
}
END_TEST

START_TEST(versioned_import_is_consumed_once)
{
    double v[4] = {1, 2, 3, 4}, got[4];
    int64_t n = 4;
    versioned_t m;
    versioned_init(&m, v, 1, &n, NULL, 0, XP_DLPACK_FLAG_BITMASK_IS_COPIED);
    m.mt.version.minor = 3;             /* a later minor is fine */
    xp_array *a = NULL;
    XPT_OK(xp_array_from_dlpack_versioned(&m.mt, &a));
    ck_assert_int_eq(xp_array_is_readonly(a), 0);
    XPT_OK(xp_array_to_host(a, got, sizeof got));
    ck_assert_int_eq(memcmp(v, got, sizeof v), 0);
    ck_assert_int_eq(m.calls, 0);
    xp_array_free(a);
    ck_assert_int_eq(m.calls, 1);
}
END_TEST

START_TEST(null_deleter_is_allowed)
{
    double v[2] = {1, 2};
    int64_t n = 2;
    legacy_t m;
    versioned_t w;
    legacy_init(&m, v, 1, &n, NULL, 0);
    versioned_init(&w, v, 1, &n, NULL, 0, 0);
    m.mt.deleter = NULL;
    w.mt.deleter = NULL;
    xp_array *a = NULL, *b = NULL;
    XPT_OK(xp_array_from_dlpack(&m.mt, &a));
    XPT_OK(xp_array_from_dlpack_versioned(&w.mt, &b));
    xp_array_free(a);
    xp_array_free(b);
}
END_TEST

/* Each bad tensor is refused with status and a message naming the problem;
 * the deleter is not called and the caller still owns the tensor. */
static void expect_rejected(DLTensor t, int status, const char *words)
{
    legacy_t m;
    versioned_t w;
    memset(&m, 0, sizeof m);
    memset(&w, 0, sizeof w);
    m.mt.dl_tensor = t;
    m.mt.deleter = count_legacy;
    w.mt.version.major = 1;
    w.mt.dl_tensor = t;
    w.mt.deleter = count_versioned;
    xp_array *a = (xp_array *)&m;       /* must come back NULL */
    int rc = xp_array_from_dlpack(&m.mt, &a);
    ck_assert_msg(rc == status, "legacy: rc %d, want %d (%s)", rc, status, xp_errmsg());
    ck_assert_ptr_null(a);
    ck_assert_msg(strstr(xp_errmsg(), words), "message '%s' lacks '%s'", xp_errmsg(), words);
    ck_assert_msg(strstr(xp_errmsg(), "xp_array_from_dlpack"), "%s", xp_errmsg());
    ck_assert_int_eq(m.calls, 0);
    a = (xp_array *)&w;
    rc = xp_array_from_dlpack_versioned(&w.mt, &a);
    ck_assert_msg(rc == status, "versioned: rc %d, want %d (%s)", rc, status, xp_errmsg());
    ck_assert_ptr_null(a);
    ck_assert_msg(strstr(xp_errmsg(), words), "message '%s' lacks '%s'", xp_errmsg(), words);
    ck_assert_int_eq(w.calls, 0);
    /* the caller still owns them: its deleter call is the only one */
    m.mt.deleter(&m.mt);
    w.mt.deleter(&w.mt);
    ck_assert_int_eq(m.calls, 1);
    ck_assert_int_eq(w.calls, 1);
}

START_TEST(bad_tensors_are_rejected_and_left_to_the_caller)
{
    double v[8] = {0};
    int64_t shape[2] = {2, 4}, neg[2] = {2, -1};
    DLTensor t;

    t = host_tensor(v, 2, shape, NULL, 0);
    t.dtype.code = kDLInt;
    t.dtype.bits = 32;
    expect_rejected(t, XP_EDTYPE, "int32 is not supported");
    t.dtype.code = kDLFloat;
    t.dtype.bits = 16;
    expect_rejected(t, XP_EDTYPE, "float16 is not supported");
    t.dtype.code = kDLBfloat;
    expect_rejected(t, XP_EDTYPE, "bfloat16");
    t.dtype.code = 6;                   /* kDLBool in DLPack 1.x */
    t.dtype.bits = 8;
    expect_rejected(t, XP_EDTYPE, "bool8");
    t.dtype.code = 99;
    expect_rejected(t, XP_EDTYPE, "type code 99");
    t.dtype.code = kDLFloat;
    t.dtype.bits = 32;
    t.dtype.lanes = 4;
    expect_rejected(t, XP_EDTYPE, "4 lanes");

    t = host_tensor(v, 2, shape, NULL, 0);
    t.device.device_type = kDLCUDA;
    t.device.device_id = 1;
    expect_rejected(t, XP_EDEVICE, "CUDA (type 2, id 1)");
    t.device.device_type = kDLVulkan;
    expect_rejected(t, XP_EDEVICE, "Vulkan");

    t = host_tensor(v, XP_MAX_NDIM + 1, shape, NULL, 0);
    expect_rejected(t, XP_ESHAPE, "ndim (17)");
    t = host_tensor(v, 2, neg, NULL, 0);
    expect_rejected(t, XP_ESHAPE, "shape[1] (-1)");
    t = host_tensor(v, 2, NULL, NULL, 0);
    expect_rejected(t, XP_EINVAL, "shape is NULL");
    t = host_tensor(NULL, 2, shape, NULL, 0);
    expect_rejected(t, XP_EINVAL, "data is NULL");
}
END_TEST

START_TEST(other_major_version_is_left_to_the_caller)
{
    double v[2] = {1, 2};
    int64_t n = 2;
    versioned_t w;
    versioned_init(&w, v, 1, &n, NULL, 0, 0);
    w.mt.version.major = 2;
    /* a later major may move every field after the deleter: poison them */
    memset(&w.mt.flags, 0xff, sizeof w.mt.flags);
    w.mt.dl_tensor.shape = NULL;
    w.mt.dl_tensor.ndim = -5;
    xp_array *a = NULL;
    ck_assert_int_eq(xp_array_from_dlpack_versioned(&w.mt, &a), XP_EINVAL);
    ck_assert_ptr_null(a);
    ck_assert_msg(strstr(xp_errmsg(), "version 2.0 is not supported"), "%s", xp_errmsg());
    ck_assert_int_eq(w.calls, 0);
    w.mt.version.major = 0;
    ck_assert_int_eq(xp_array_from_dlpack_versioned(&w.mt, &a), XP_EINVAL);
    ck_assert_int_eq(w.calls, 0);
}
END_TEST

START_TEST(null_arguments)
{
    xp_array *a = NULL;
    DLManagedTensor *mt = NULL;
    xp_managed_tensor_versioned *mv = NULL;
    ck_assert_int_eq(xp_array_from_dlpack(NULL, &a), XP_EINVAL);
    ck_assert_int_eq(xp_array_from_dlpack_versioned(NULL, &a), XP_EINVAL);
    ck_assert_int_eq(xp_array_from_dlpack(NULL, NULL), XP_EINVAL);
    ck_assert_int_eq(xp_array_to_dlpack(NULL, &mt), XP_EINVAL);
    ck_assert_int_eq(xp_array_to_dlpack_versioned(NULL, &mv), XP_EINVAL);
    ck_assert_ptr_null(mt);
    ck_assert_ptr_null(mv);
    ck_assert_int_eq(xp_array_is_readonly(NULL), 0);
    int64_t n = 1;
    XPT_OK(xp_array_zeros(xp_provider_host(), XP_FLOAT64, 1, &n, &a));
    ck_assert_int_eq(xp_array_to_dlpack(a, NULL), XP_EINVAL);
    ck_assert_int_eq(xp_array_to_dlpack_versioned(a, NULL), XP_EINVAL);
    xp_array_free(a);
}
END_TEST

/* Allocation failure midway: nothing consumed, nothing leaked. */
START_TEST(allocation_failure_leaves_ownership)
{
    double v[3] = {1, 2, 3};
    int64_t n = 3;
    legacy_t m;
    versioned_t w;
    legacy_init(&m, v, 1, &n, NULL, 0);
    versioned_init(&w, v, 1, &n, NULL, 0, 0);
    xp_array *a = NULL;

    xp__fault_set(1);
    ck_assert_int_eq(xp_array_from_dlpack(&m.mt, &a), XP_ENOMEM);
    ck_assert_ptr_null(a);
    xp__fault_set(1);
    ck_assert_int_eq(xp_array_from_dlpack_versioned(&w.mt, &a), XP_ENOMEM);
    xp__fault_set(0);
    ck_assert_ptr_null(a);
    ck_assert(strstr(xp_errmsg(), "memory"));
    ck_assert_int_eq(m.calls, 0);
    ck_assert_int_eq(w.calls, 0);

    /* import succeeds, export fails: the array (and so the tensor) stays ours */
    XPT_OK(xp_array_from_dlpack(&m.mt, &a));
    DLManagedTensor *out = NULL;
    xp_managed_tensor_versioned *outv = NULL;
    xp__fault_set(1);
    ck_assert_int_eq(xp_array_to_dlpack(a, &out), XP_ENOMEM);
    xp__fault_set(1);
    ck_assert_int_eq(xp_array_to_dlpack_versioned(a, &outv), XP_ENOMEM);
    xp__fault_set(0);
    ck_assert_ptr_null(out);
    ck_assert_ptr_null(outv);
    ck_assert_int_eq(m.calls, 0);
    double got[3];
    XPT_OK(xp_array_to_host(a, got, sizeof got));     /* still usable */
    ck_assert(got[2] == 3);
    xp_array_free(a);
    ck_assert_int_eq(m.calls, 1);

    /* every allocation of an export through a computation failing in turn */
    int done = 0;
    for (long k = 1; k < 64 && !done; k++) {
        versioned_init(&w, v, 1, &n, NULL, 0, 0);
        xp_array *b = NULL, *c = NULL;
        xp_managed_tensor_versioned *e = NULL;
        xp__fault_set(k);
        int rc = xp_array_from_dlpack_versioned(&w.mt, &b);
        if (rc == XP_OK)
            rc = xp_array_astype(b, XP_COMPLEX128, &c);
        if (rc == XP_OK && (rc = xp_array_to_dlpack_versioned(c, &e)) == XP_OK)
            c = NULL;                   /* e owns it now */
        xp__fault_set(0);
        ck_assert_msg(rc == XP_OK || rc == XP_ENOMEM, "k=%ld: %s", k, xp_errmsg());
        ck_assert_int_eq(w.calls, 0);   /* imported, or refused and still ours */
        if (e) {
            done = 1;
            e->deleter(e);
        }
        xp_array_free(c);
        xp_array_free(b);
        ck_assert_int_eq(w.calls, b ? 1 : 0);
    }
    ck_assert(done);
}
END_TEST

/* ------------------------------------------------------ strides, offsets */

START_TEST(strides_and_offsets_are_honoured)
{
    /* base 0..23; a [3, 4] Fortran-ordered view starting at element 2 */
    double base[24], got[12];
    for (int i = 0; i < 24; i++)
        base[i] = i;
    int64_t shape[2] = {3, 4}, fstrides[2] = {1, 3};
    legacy_t m;
    legacy_init(&m, base, 2, shape, fstrides, 2 * sizeof(double));
    xp_array *a = NULL;
    XPT_OK(xp_array_from_dlpack(&m.mt, &a));
    XPT_OK(xp_array_to_host(a, got, sizeof got));
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            ck_assert(got[i * 4 + j] == 2 + i + 3 * j);
    xp_array_free(a);
    ck_assert_int_eq(m.calls, 1);

    /* negative and zero strides: rows reversed, a broadcast column */
    int64_t s2[2] = {-4, 0}, sh2[2] = {3, 5};
    versioned_t w;
    versioned_init(&w, base, 2, sh2, s2, 8 * sizeof(double), 0);
    XPT_OK(xp_array_from_dlpack_versioned(&w.mt, &a));
    double got2[15];
    XPT_OK(xp_array_to_host(a, got2, sizeof got2));
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 5; j++)
            ck_assert(got2[i * 5 + j] == 8 - 4 * i);
    xp_array_free(a);
    ck_assert_int_eq(w.calls, 1);

    /* NumPy's x[::-1]: data at the first element, the rest below it; views
     * the algorithms take (slices, flips, frames) must still reach them */
    double rsig[40], rx[40];
    xpt_random(rsig, 40, 3u);
    for (int i = 0; i < 40; i++)
        rx[i] = rsig[39 - i];
    int64_t n40 = 40, sm1 = -1;
    legacy_init(&m, &rsig[39], 1, &n40, &sm1, 0);
    xp_array *ri = NULL, *rr = NULL, *d1 = NULL, *d2 = NULL, *fl = NULL;
    XPT_OK(xp_array_from_dlpack(&m.mt, &ri));
    rr = xpt_array(xp_provider_host(), XP_FLOAT64, 1, &n40, rx);
    XPT_OK(xp__view_flip(ri, 0, &fl));                /* forward again */
    double *fv = xpt_values(fl);
    ck_assert_int_eq(memcmp(fv, rsig, sizeof rsig), 0);
    free(fv);
    xps_spectral_options so;
    xps_welch_options_init(&so);
    so.nperseg = 16;
    XPT_OK(xps_welch(ri, &so, NULL, &d1));
    XPT_OK(xps_welch(rr, &so, NULL, &d2));
    double *w1 = xpt_values(d1), *w2 = xpt_values(d2);
    ck_assert(xpt_rel_err(w1, w2, xp_array_size(d2)) < 1e-14);
    free(w1);
    free(w2);
    xp_array_free(fl);
    xp_array_free(d1);
    xp_array_free(d2);
    xp_array_free(rr);
    xp_array_free(ri);
    ck_assert_int_eq(m.calls, 1);

    /* an algorithm on a strided import gives what it gives on a copy */
    double sig[64], x[32];
    xpt_random(sig, 64, 11u);
    for (int i = 0; i < 32; i++)
        x[i] = sig[1 + 2 * i];
    int64_t n = 32, s1 = 2;
    legacy_init(&m, sig, 1, &n, &s1, sizeof(double));
    xp_array *imp = NULL, *ref = NULL, *y1 = NULL, *y2 = NULL;
    XPT_OK(xp_array_from_dlpack(&m.mt, &imp));
    ref = xpt_array(xp_provider_host(), XP_FLOAT64, 1, &n, x);
    XPT_OK(xps_detrend(imp, -1, XPS_DETREND_LINEAR, NULL, 0, &y1));
    XPT_OK(xps_detrend(ref, -1, XPS_DETREND_LINEAR, NULL, 0, &y2));
    double *v1 = xpt_values(y1), *v2 = xpt_values(y2);
    ck_assert(xpt_rel_err(v1, v2, 32) < 1e-14);
    free(v1);
    free(v2);
    xp_array_free(y1);
    xp_array_free(y2);
    xp_array_free(ref);
    xp_array_free(imp);
    ck_assert_int_eq(m.calls, 1);
}
END_TEST

START_TEST(every_dtype_and_zero_size)
{
    static const struct { uint8_t code, bits; xp_dtype dt; } k[] = {
        {kDLFloat, 32, XP_FLOAT32}, {kDLFloat, 64, XP_FLOAT64},
        {kDLComplex, 64, XP_COMPLEX64}, {kDLComplex, 128, XP_COMPLEX128},
    };
    double buf[8] = {0};
    for (int i = 0; i < 4; i++) {
        int64_t n = 2;
        legacy_t m;
        legacy_init(&m, buf, 1, &n, NULL, 0);
        m.mt.dl_tensor.dtype.code = k[i].code;
        m.mt.dl_tensor.dtype.bits = k[i].bits;
        xp_array *a = NULL;
        XPT_OK(xp_array_from_dlpack(&m.mt, &a));
        ck_assert_int_eq(xp_array_dtype(a), k[i].dt);
        xp_array_free(a);
        ck_assert_int_eq(m.calls, 1);
    }
    int64_t shape[2] = {0, 3};
    versioned_t w;
    versioned_init(&w, NULL, 2, shape, NULL, 0, 0);
    xp_array *a = NULL;
    XPT_OK(xp_array_from_dlpack_versioned(&w.mt, &a));
    ck_assert_int_eq(xp_array_size(a), 0);
    xp_array_free(a);
    ck_assert_int_eq(w.calls, 1);
    /* a 0-d scalar */
    legacy_t s;
    legacy_init(&s, buf, 0, NULL, NULL, 0);
    XPT_OK(xp_array_from_dlpack(&s.mt, &a));
    ck_assert_int_eq(xp_array_ndim(a), 0);
    ck_assert_int_eq(xp_array_size(a), 1);
    xp_array_free(a);
    ck_assert_int_eq(s.calls, 1);
}
END_TEST

/* ------------------------------------------------------------- read-only */

START_TEST(readonly_is_never_written)
{
    const xp_provider *h = xp_provider_host();
    double v[8] = {1, 2, 3, 4, 5, 6, 7, 8}, keep[8];
    memcpy(keep, v, sizeof v);
    int64_t n = 8, shape2[2] = {2, 4}, one[2] = {2, 1};
    versioned_t w;
    versioned_init(&w, v, 1, &n, NULL, 0, XP_DLPACK_FLAG_BITMASK_READ_ONLY);
    xp_array *r = NULL, *b = NULL, *s = NULL, *c = NULL, *r2 = NULL, *red = NULL;
    XPT_OK(xp_array_from_dlpack_versioned(&w.mt, &r));
    ck_assert_int_eq(xp_array_is_readonly(r), 1);
    XPT_OK(xp_array_zeros(h, XP_FLOAT64, 1, &n, &b));

    /* read: fine */
    XPT_OK(xp__copy(r, b));
    XPT_OK(xp__binary(XP_BINARY_ADD, r, r, b));
    XPT_OK(xp__affine(r, 2, 0, 1, 0, b));

    /* written: refused, whatever the op */
    ck_assert_int_eq(xp__fill(r, 0, 0), XP_EINVAL);
    ck_assert_msg(strstr(xp_errmsg(), "fill: output array is read-only"), "%s", xp_errmsg());
    ck_assert_int_eq(xp__copy(b, r), XP_EINVAL);
    ck_assert_int_eq(xp__unary(XP_UNARY_NEG, r, r), XP_EINVAL);
    ck_assert_int_eq(xp__binary(XP_BINARY_MUL, r, b, r), XP_EINVAL);
    ck_assert_int_eq(xp__affine(r, 2, 0, 0, 0, r), XP_EINVAL);
    ck_assert_int_eq(xp__upload(keep, r), XP_EINVAL);
    double bc[2] = {1, 0}, ac[1] = {1};
    xp_array *fb = xpt_array(h, XP_FLOAT64, 1, (int64_t[]){2}, bc);
    xp_array *fa = xpt_array(h, XP_FLOAT64, 1, (int64_t[]){1}, ac);
    ck_assert_int_eq(xp__lfilter(fb, fa, b, NULL, r, NULL), XP_EINVAL);
    xp_array_free(fb);
    xp_array_free(fa);

    /* views inherit it */
    XPT_OK(xp__view_slice(r, 0, 1, 3, 2, &s));
    ck_assert_int_eq(xp_array_is_readonly(s), 1);
    ck_assert_int_eq(xp__fill(s, 0, 0), XP_EINVAL);
    xp_array_free(s);

    /* 2-D read-only: reduce and fft into it refused, out of it fine */
    versioned_t w2;
    versioned_init(&w2, v, 2, shape2, NULL, 0, XP_DLPACK_FLAG_BITMASK_READ_ONLY);
    XPT_OK(xp_array_from_dlpack_versioned(&w2.mt, &r2));
    XPT_OK(xp_array_zeros(h, XP_FLOAT64, 2, one, &red));
    XPT_OK(xp__reduce(XP_REDUCE_SUM, r2, 1, red));
    ck_assert_int_eq(xp__reduce(XP_REDUCE_SUM, r2, 1, r2), XP_EINVAL);
    XPT_OK(xp_array_zeros(h, XP_COMPLEX128, 2, (int64_t[]){2, 3}, &c));
    XPT_OK(xp__fft(XP_FFT_R2C, 4, 1.0, r2, c));
    ck_assert_int_eq(xp__fft(XP_FFT_C2R, 4, 1.0, c, r2), XP_EINVAL);
    ck_assert_int_eq(memcmp(v, keep, sizeof v), 0);

    /* an algorithm reads it happily; outputs are new, writable arrays */
    xp_array *d = NULL;
    XPT_OK(xps_detrend(r, -1, XPS_DETREND_CONSTANT, NULL, 0, &d));
    ck_assert_int_eq(xp_array_is_readonly(d), 0);
    xp_array_free(d);
    ck_assert_int_eq(memcmp(v, keep, sizeof v), 0);

    /* export: legacy refused (it cannot say read-only), versioned says it */
    DLManagedTensor *lt = NULL;
    ck_assert_int_eq(xp_array_to_dlpack(r, &lt), XP_EINVAL);
    ck_assert_ptr_null(lt);
    ck_assert_msg(strstr(xp_errmsg(), "read-only"), "%s", xp_errmsg());
    xp_managed_tensor_versioned *vt = NULL;
    XPT_OK(xp_array_to_dlpack_versioned(r, &vt));
    ck_assert(vt->flags & XP_DLPACK_FLAG_BITMASK_READ_ONLY);
    /* the consumer imports it again: still read-only */
    xp_array *again = NULL;
    XPT_OK(xp_array_from_dlpack_versioned(vt, &again));
    ck_assert_int_eq(xp_array_is_readonly(again), 1);
    ck_assert_int_eq(w.calls, 0);
    xp_array_free(again);              /* -> vt's deleter -> r freed -> w's deleter */
    ck_assert_int_eq(w.calls, 1);

    xp_array_free(c);
    xp_array_free(red);
    xp_array_free(r2);
    xp_array_free(b);
    ck_assert_int_eq(w2.calls, 1);
}
END_TEST

/* ---------------------------------------------------------------- export */

START_TEST(legacy_export_frees_the_array_once)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t before = live_allocs(p);
    int64_t shape[2] = {2, 3};
    double v[6] = {1, 2, 3, 4, 5, 6};
    xp_array *a = xpt_array(p, XP_FLOAT32, 2, shape, v);
    ck_assert_int_eq(live_allocs(p), before + 1);
    DLManagedTensor *mt = NULL;
    XPT_OK(xp_array_to_dlpack(a, &mt));
    const DLTensor *t = &mt->dl_tensor;
    ck_assert_int_eq(t->ndim, 2);
    ck_assert(t->shape[0] == 2 && t->shape[1] == 3);
    ck_assert_ptr_nonnull(t->strides);
    ck_assert(t->strides[0] == 3 && t->strides[1] == 1);
    ck_assert(t->dtype.code == kDLFloat && t->dtype.bits == 32 && t->dtype.lanes == 1);
    ck_assert_int_eq(t->device.device_type, xp_provider_device_type(p));
    ck_assert_ptr_nonnull(mt->deleter);
    if (p == xp_provider_host()) {  /* host data is an address the consumer reads */
        const float *f = (const float *)((const char *)t->data + t->byte_offset);
        ck_assert(f[0] == 1.0f && f[5] == 6.0f);
    }
    ck_assert_int_eq(live_allocs(p), before + 1);
    mt->deleter(mt);
    ck_assert_int_eq(live_allocs(p), before);
}
END_TEST

START_TEST(versioned_export_frees_the_array_once)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t before = live_allocs(p);
    int64_t n = 5;
    double v[10] = {1, -1, 2, -2, 3, -3, 4, -4, 5, -5};
    xp_array *a = xpt_array(p, XP_COMPLEX128, 1, &n, v);
    xp_managed_tensor_versioned *mt = NULL;
    XPT_OK(xp_array_to_dlpack_versioned(a, &mt));
    ck_assert_uint_eq(mt->version.major, 1);
    ck_assert_uint_eq(mt->version.minor, 0);
    ck_assert(mt->flags == 0);
    ck_assert(mt->dl_tensor.dtype.code == kDLComplex && mt->dl_tensor.dtype.bits == 128);
    ck_assert(mt->dl_tensor.strides && mt->dl_tensor.strides[0] == 1);
    ck_assert_int_eq(live_allocs(p), before + 1);
    mt->deleter(mt);
    ck_assert_int_eq(live_allocs(p), before);
}
END_TEST

/* Export, then import in "another library": the array comes back whole,
 * and freeing the import frees the original exactly once. */
START_TEST(export_import_round_trip)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t before = live_allocs(p);
    int64_t shape[2] = {3, 4};
    double v[12];
    xpt_random(v, 12, 5u);
    xp_array *a = xpt_array(p, XP_FLOAT64, 2, shape, v), *b = NULL, *c = NULL, *sl = NULL;
    /* a strided view exported over its base: shape, strides and offset travel */
    XPT_OK(xp__view_slice(a, 1, 3, 2, -2, &sl));  /* columns 3 and 1 */
    xp_managed_tensor_versioned *vt = NULL;
    XPT_OK(xp_array_to_dlpack_versioned(sl, &vt));
    XPT_OK(xp_array_from_dlpack_versioned(vt, &b));
    ck_assert_ptr_eq(xp_array_provider(b), p);
    double *w = xpt_values(b);
    for (int i = 0; i < 3; i++) {
        ck_assert(w[2 * i] == v[4 * i + 3]);
        ck_assert(w[2 * i + 1] == v[4 * i + 1]);
    }
    free(w);
    xp_array_free(b);                  /* frees the view through vt's deleter */

    DLManagedTensor *lt = NULL;
    XPT_OK(xp_array_to_dlpack(a, &lt));
    XPT_OK(xp_array_from_dlpack(lt, &c));
    w = xpt_values(c);
    ck_assert_int_eq(memcmp(w, v, sizeof v), 0);
    free(w);
    ck_assert_int_eq(live_allocs(p), before + 1);
    xp_array_free(c);                  /* frees a through lt's deleter */
    ck_assert_int_eq(live_allocs(p), before);
}
END_TEST

/* An import re-exported: the original producer's deleter runs once, when
 * the last consumer lets go. */
START_TEST(reexported_import_calls_the_producer_once)
{
    double v[4] = {4, 3, 2, 1};
    int64_t n = 4;
    legacy_t m;
    legacy_init(&m, v, 1, &n, NULL, 0);
    xp_array *a = NULL;
    XPT_OK(xp_array_from_dlpack(&m.mt, &a));
    xp_managed_tensor_versioned *vt = NULL;
    XPT_OK(xp_array_to_dlpack_versioned(a, &vt));
    ck_assert_ptr_eq(vt->dl_tensor.data, v);
    ck_assert_int_eq(m.calls, 0);
    vt->deleter(vt);
    ck_assert_int_eq(m.calls, 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("dlpack");
    TCase *tc = tcase_create("import");
    tcase_add_test(tc, versioned_struct_has_the_dlpack_1_layout);
    tcase_add_test(tc, legacy_import_is_consumed_once);
    tcase_add_test(tc, versioned_import_is_consumed_once);
    tcase_add_test(tc, null_deleter_is_allowed);
    tcase_add_test(tc, bad_tensors_are_rejected_and_left_to_the_caller);
    tcase_add_test(tc, other_major_version_is_left_to_the_caller);
    tcase_add_test(tc, null_arguments);
    tcase_add_test(tc, allocation_failure_leaves_ownership);
    tcase_add_test(tc, strides_and_offsets_are_honoured);
    tcase_add_test(tc, every_dtype_and_zero_size);
    tcase_add_test(tc, readonly_is_never_written);
    suite_add_tcase(s, tc);
    tc = tcase_create("export");
    tcase_add_loop_test(tc, legacy_export_frees_the_array_once, 0, xpt_nproviders());
    tcase_add_loop_test(tc, versioned_export_frees_the_array_once, 0, xpt_nproviders());
    tcase_add_loop_test(tc, export_import_round_trip, 0, xpt_nproviders());
    tcase_add_test(tc, reexported_import_calls_the_producer_once);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return xpt_run(suite());
}
