/*
 * check_acc_serial.c -- serialized accumulators: round trips merged equal
 * the one-shot estimate, bad buffers are refused with clear messages, and
 * every allocation failure is reported and leaks nothing.  Every provider.
 */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"

#define N 3000

static void opts(xps_spectral_options *o)
{
    xps_welch_options_init(o);
    o->nperseg = 128;
    o->noverlap = 50;
    o->fs = 2.5;
}

/* buf (malloc'd) and *len: the serialized accumulator of x[a:b] (and y). */
static unsigned char *part(const xp_provider *p, xps_acc_kind kind, const double *x,
                           const double *y, int64_t a, int64_t b, size_t *len)
{
    xps_spectral_options o;
    opts(&o);
    int64_t shape[1] = {b - a};
    xps_spectral_acc *acc = NULL;
    XPT_OK(xps_spectral_acc_begin(kind, &o, p, XP_FLOAT64, 1, shape, &acc));
    xp_array *ax = xpt_array(p, XP_FLOAT64, 1, shape, x + a);
    xp_array *ay = y ? xpt_array(p, XP_FLOAT64, 1, shape, y + a) : NULL;
    XPT_OK(xps_spectral_acc_feed(acc, ax, ay));
    XPT_OK(xps_spectral_acc_serialize(acc, NULL, 0, len));
    unsigned char *buf = malloc(*len);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(xps_spectral_acc_serialize(acc, buf, *len - 1, len), XP_EINVAL);
    XPT_OK(xps_spectral_acc_serialize(acc, buf, *len, len));
    xp_array_free(ax);
    xp_array_free(ay);
    xps_spectral_acc_free(acc);
    return buf;
}

/* Two ranges whose segments together are the whole series' (split at a
 * segment start, the first extended by nperseg - step), serialized,
 * deserialized, merged: the one-shot result to 1e-12. */
START_TEST(round_trip_merge_equals_one_shot)
{
    const xp_provider *p = xpt_provider(_i);
    double x[N], y[N];
    xpt_random(x, N, 7);
    xpt_random(y, N, 8);
    for (int kind = 0; kind <= XPS_ACC_COHERENCE; kind++) {
        const double *yy = kind == XPS_ACC_WELCH ? NULL : y;
        int64_t step = 128 - 50, k = 17, n = (N - 128) / step + 1;
        size_t la, lb;
        unsigned char *a = part(p, kind, x, yy, 0, (k - 1) * step + 128, &la);
        unsigned char *b = part(p, kind, x, yy, k * step, (n - 1) * step + 128, &lb);
        ck_assert_uint_eq(la, lb);
        xps_spectral_acc *A = NULL, *B = NULL;
        XPT_OK(xps_spectral_acc_deserialize(a, la, p, &A));
        XPT_OK(xps_spectral_acc_deserialize(b, lb, p, &B));
        ck_assert_int_eq(xps_spectral_acc_segments(A), k);
        XPT_OK(xps_spectral_acc_merge(A, B));
        ck_assert_int_eq(xps_spectral_acc_segments(A), n);
        xp_array *f = NULL, *r = NULL, *f1 = NULL, *r1 = NULL;
        XPT_OK(xps_spectral_acc_end(A, &f, &r));
        /* the same merge on the bytes */
        xps_spectral_acc *C = NULL;
        XPT_OK(xps_spectral_acc_merge_serialized(a, b, la));
        XPT_OK(xps_spectral_acc_deserialize(a, la, p, &C));
        xp_array *r2 = NULL;
        XPT_OK(xps_spectral_acc_end(C, NULL, &r2));

        xps_spectral_options o;
        opts(&o);
        int64_t shape[1] = {N};
        xp_array *ax = xpt_array(p, XP_FLOAT64, 1, shape, x);
        xp_array *ay = xpt_array(p, XP_FLOAT64, 1, shape, y);
        if (kind == XPS_ACC_WELCH)
            XPT_OK(xps_welch(ax, &o, &f1, &r1));
        else if (kind == XPS_ACC_CSD)
            XPT_OK(xps_csd(ax, ay, &o, &f1, &r1));
        else
            XPT_OK(xps_coherence(ax, ay, &o, &f1, &r1));
        ck_assert(xpt_array_err(r, r1) < 1e-12);
        ck_assert(xpt_array_err(r2, r1) < 1e-12);
        ck_assert(xpt_same(f, f1));
        xp_array *arrs[] = {ax, ay, f, r, f1, r1, r2};
        for (size_t i = 0; i < sizeof arrs / sizeof *arrs; i++)
            xp_array_free(arrs[i]);
        xps_spectral_acc_free(A);
        xps_spectral_acc_free(B);
        xps_spectral_acc_free(C);
        free(a);
        free(b);
    }
}
END_TEST

/* A 2-D float32 batch along axis 0 survives the trip bit for bit. */
START_TEST(round_trip_is_exact)
{
    const xp_provider *p = xpt_provider(_i);
    double x[2 * 500];
    xpt_random(x, 1000, 3);
    xps_spectral_options o;
    opts(&o);
    o.axis = 0;
    o.detrend = XPS_DETREND_LINEAR;
    o.scaling = XPS_SCALING_SPECTRUM;
    int64_t shape[2] = {500, 2};
    xps_spectral_acc *a = NULL, *b = NULL;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT32, 2, shape, &a));
    xp_array *ax = xpt_array(p, XP_FLOAT32, 2, shape, x);
    XPT_OK(xps_spectral_acc_feed(a, ax, NULL));
    size_t len;
    XPT_OK(xps_spectral_acc_serialize(a, NULL, 0, &len));
    unsigned char *buf = malloc(len);
    XPT_OK(xps_spectral_acc_serialize(a, buf, len, &len));
    XPT_OK(xps_spectral_acc_deserialize(buf, len, p, &b));
    /* a deserialized accumulator merges with one begun here */
    xps_spectral_acc *d = NULL;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT32, 2, shape, &d));
    XPT_OK(xps_spectral_acc_merge(b, d));
    xps_spectral_acc_free(d);
    xp_array *r1 = NULL, *r2 = NULL;
    XPT_OK(xps_spectral_acc_end(a, NULL, &r1));
    XPT_OK(xps_spectral_acc_end(b, NULL, &r2));
    ck_assert(xpt_same(r1, r2));
    /* merging with an accumulator of other options is refused */
    xps_spectral_acc *c = NULL;
    o.scaling = XPS_SCALING_DENSITY;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT32, 2, shape, &c));
    ck_assert_int_eq(xps_spectral_acc_merge(b, c), XP_EINVAL);
    xpt_msg_has("cannot be merged", NULL);
    xp_array_free(ax);
    xp_array_free(r1);
    xp_array_free(r2);
    xps_spectral_acc_free(a);
    xps_spectral_acc_free(b);
    xps_spectral_acc_free(c);
    free(buf);
}
END_TEST

START_TEST(bad_buffers_are_refused)
{
    const xp_provider *p = xpt_provider(_i);
    double x[N];
    xpt_random(x, N, 5);
    size_t len;
    unsigned char *buf = part(p, XPS_ACC_CSD, x, x, 0, 1000, &len);
    unsigned char *bad = malloc(len);
    xps_spectral_acc *acc = NULL;
    struct { size_t at; unsigned char v; size_t len; const char *msg; } cases[] = {
        {0, 'Y', 0, "bad magic"},
        {8, 2, 0, "format version 2"},
        {12, 1, 0, "byte-order"},
        {300, 0x55, 0, "checksum"},
        {len - 1, 0x55, 0, "checksum"},
        {0, 0, len - 8, "truncated"},
        {0, 0, 100, "truncated"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memcpy(bad, buf, len);
        size_t n = cases[i].len ? cases[i].len : len;
        if (!cases[i].len)
            bad[cases[i].at] ^= cases[i].v;
        if (cases[i].at == 8)
            bad[8] = 2;
        if (cases[i].at == 12) {   /* big-endian mark */
            bad[12] = 1, bad[13] = 2, bad[14] = 3, bad[15] = 4;
        }
        ck_assert_int_eq(xps_spectral_acc_deserialize(bad, n, p, &acc), XP_EFORMAT);
        ck_assert_ptr_null(acc);
        xpt_msg_has(cases[i].msg, NULL);
        ck_assert_msg(strstr(xp_errmsg(), "spectral_acc_deserialize: "), "%s", xp_errmsg());
    }
    ck_assert_int_eq(xps_spectral_acc_deserialize(NULL, len, p, &acc), XP_EINVAL);
    ck_assert_int_eq(xps_spectral_acc_deserialize(buf, len, NULL, &acc), XP_EINVAL);
    /* byte merges refuse a different setup */
    size_t l2;
    unsigned char *w = part(p, XPS_ACC_WELCH, x, NULL, 0, 1000, &l2);
    memcpy(bad, buf, len);
    ck_assert_int_eq(xps_spectral_acc_merge_serialized(bad, w, len < l2 ? len : l2),
                     XP_EFORMAT);
    free(w);
    free(bad);
    free(buf);
}
END_TEST

START_TEST(median_does_not_serialize)
{
    const xp_provider *p = xpt_provider(_i);
    xps_spectral_options o;
    opts(&o);
    int64_t shape[1] = {10};
    for (int avg = XPS_AVERAGE_MEDIAN; avg <= XPS_AVERAGE_MEDIAN_MEAN; avg++) {
        o.average = avg;
        xps_spectral_acc *acc = NULL;
        size_t len = 0;
        XPT_OK(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 1, shape, &acc));
        ck_assert_int_eq(xps_spectral_acc_serialize(acc, NULL, 0, &len), XP_EINVAL);
        xpt_msg_has(avg == XPS_AVERAGE_MEDIAN ? "'median'" : "'median-mean'",
                    "cannot be serialized", NULL);
        xps_spectral_acc_free(acc);
    }
}
END_TEST

/* A header with a valid checksum (FNV-1a is no secret) over sizes that
 * overflow the size arithmetic or ask for gigabytes: refused before any
 * allocation.  u64 little-endian field at, the value, its checksum redone. */
static uint64_t fnv(const unsigned char *b, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

static void put64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

START_TEST(crafted_sizes_are_refused)
{
    const xp_provider *p = xpt_provider(_i);
    double x[N];
    xpt_random(x, N, 6);
    size_t len;
    unsigned char *buf = part(p, XPS_ACC_WELCH, x, NULL, 0, 1000, &len);
    unsigned char *bad = malloc(len);
    struct { size_t at; uint64_t v; const char *msg; } cases[] = {
        {64, 128 + ((uint64_t)1 << 61), "nperseg or nfreq exceeds the buffer"},
        {88, (uint64_t)1 << 61, "nperseg or nfreq exceeds the buffer"},   /* nfreq */
        {80, (uint64_t)1 << 28, "nfft (268435456), nperseg and nfreq disagree"},
        {96, (uint64_t)-5, "invalid values"},                             /* nseg < 0 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memcpy(bad, buf, len);
        put64(bad + cases[i].at, cases[i].v);
        put64(bad + len - 8, fnv(bad, len - 8));
        xps_spectral_acc *acc = NULL;
        ck_assert_int_eq(xps_spectral_acc_deserialize(bad, len, p, &acc), XP_EFORMAT);
        ck_assert_ptr_null(acc);
        xpt_msg_has(cases[i].msg, NULL);
    }
    /* counts that would overflow when two buffers are merged */
    unsigned char *b2 = malloc(len);
    memcpy(bad, buf, len);
    memcpy(b2, buf, len);
    put64(bad + 96, (uint64_t)INT64_MAX - 1);
    put64(bad + len - 8, fnv(bad, len - 8));
    ck_assert_int_eq(xps_spectral_acc_merge_serialized(b2, bad, len), XP_EFORMAT);
    xpt_msg_has("counts overflow", NULL);
    free(b2);
    free(bad);
    free(buf);
}
END_TEST

/* Rows beyond what an array can hold, or none, are refused at begin. */
START_TEST(begin_refuses_impossible_rows)
{
    const xp_provider *p = xpt_provider(_i);
    xps_spectral_options o;
    opts(&o);
    int64_t huge[3] = {(int64_t)1 << 40, (int64_t)1 << 40, 100}, none[2] = {0, 100};
    xps_spectral_acc *acc = NULL;
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 3, huge, &acc),
                     XP_ESHAPE);
    xpt_msg_has("too many", NULL);
    ck_assert_ptr_null(acc);
    ck_assert_int_eq(xps_spectral_acc_begin(XPS_ACC_WELCH, &o, p, XP_FLOAT64, 2, none, &acc),
                     XP_ESHAPE);
    xpt_msg_has("no rows", NULL);
    ck_assert_ptr_null(acc);
}
END_TEST

/* coherence takes no average: whatever its options say, its accumulator
 * serializes, deserializes and merges as bytes. */
START_TEST(coherence_ignores_average)
{
    const xp_provider *p = xpt_provider(_i);
    double x[N], y[N];
    xpt_random(x, N, 9);
    xpt_random(y, N, 10);
    xps_spectral_options o;
    opts(&o);
    o.average = XPS_AVERAGE_MEDIAN;
    int64_t shape[1] = {1000};
    xps_spectral_acc *acc = NULL, *back = NULL;
    XPT_OK(xps_spectral_acc_begin(XPS_ACC_COHERENCE, &o, p, XP_FLOAT64, 1, shape, &acc));
    xp_array *ax = xpt_array(p, XP_FLOAT64, 1, shape, x), *ay = xpt_array(p, XP_FLOAT64, 1,
                                                                          shape, y);
    XPT_OK(xps_spectral_acc_feed(acc, ax, ay));
    size_t len;
    XPT_OK(xps_spectral_acc_serialize(acc, NULL, 0, &len));
    unsigned char *b = malloc(len), *c = malloc(len);
    XPT_OK(xps_spectral_acc_serialize(acc, b, len, &len));
    memcpy(c, b, len);
    XPT_OK(xps_spectral_acc_deserialize(b, len, p, &back));
    XPT_OK(xps_spectral_acc_merge_serialized(c, b, len));
    XPT_OK(xps_spectral_acc_merge(acc, back));      /* begun with median: the same setup */
    xp_array_free(ax);
    xp_array_free(ay);
    xps_spectral_acc_free(acc);
    xps_spectral_acc_free(back);
    free(b);
    free(c);
}
END_TEST

START_TEST(allocation_failures_leak_nothing)
{
    const xp_provider *p = xpt_provider(_i);
    double x[N];
    xpt_random(x, N, 9);
    size_t len;
    unsigned char *buf = part(p, XPS_ACC_COHERENCE, x, x + 1, 0, 1500, &len);
    int64_t live = xpt_live(p);
    int done = 0;
    for (long k = 1; k < 400 && !done; k++) {
        xps_spectral_acc *acc = NULL;
        size_t l2 = 0;
        unsigned char *out = malloc(len);
        xp__fault_set(k);
        int rc = xps_spectral_acc_deserialize(buf, len, p, &acc);
        if (rc)
            ck_assert_ptr_null(acc);
        else
            rc = xps_spectral_acc_serialize(acc, out, len, &l2);
        xp__fault_set(0);
        ck_assert_msg(rc == XP_OK || rc == XP_ENOMEM, "k=%ld rc=%d %s", k, rc, xp_errmsg());
        if (rc == XP_OK) {
            done = 1;
            ck_assert_uint_eq(l2, len);
            ck_assert(memcmp(out, buf, len) == 0);
        }
        xps_spectral_acc_free(acc);
        free(out);
        ck_assert_int_eq(xpt_live(p), live);
    }
    ck_assert(done);
    free(buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("acc_serial");
    TCase *tc = tcase_create("acc_serial");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, round_trip_merge_equals_one_shot, 0, xpt_nproviders());
    tcase_add_loop_test(tc, round_trip_is_exact, 0, xpt_nproviders());
    tcase_add_loop_test(tc, bad_buffers_are_refused, 0, xpt_nproviders());
    tcase_add_loop_test(tc, median_does_not_serialize, 0, xpt_nproviders());
    tcase_add_loop_test(tc, allocation_failures_leak_nothing, 0, xpt_nproviders());
    tcase_add_loop_test(tc, crafted_sizes_are_refused, 0, xpt_nproviders());
    tcase_add_loop_test(tc, begin_refuses_impossible_rows, 0, xpt_nproviders());
    tcase_add_loop_test(tc, coherence_ignores_average, 0, xpt_nproviders());
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
