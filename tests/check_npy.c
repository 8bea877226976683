/* check_npy.c -- xpsig's array files: .npy, .txt and HDF5 round trips on
 * every provider, numpy's exact header bytes, and malformed files. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hdf5.h>
#include "testutil.h"
#include "xpsig.h"

static char tmpdir[256];

static const char *tmp(const char *name)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

static void put_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void put_text(const char *path, const char *text)
{
    put_file(path, text, strlen(text));
}

/* A .npy file with the given header dict (padded as numpy pads) and data. */
static void put_npy(const char *path, int major, const char *dict,
                    const void *data, size_t n)
{
    unsigned char buf[4096];
    size_t pre = major == 1 ? 10 : 12, len = strlen(dict);
    size_t hlen = len + 1;
    hlen += 64 - (pre + hlen) % 64;
    memcpy(buf, "\x93NUMPY", 6);
    buf[6] = (unsigned char)major;
    buf[7] = 0;
    for (size_t i = 0; i < pre - 8; i++)
        buf[8 + i] = (unsigned char)(hlen >> (8 * i));
    memcpy(buf + pre, dict, len);
    memset(buf + pre + len, ' ', hlen - len - 1);
    buf[pre + hlen - 1] = '\n';
    memcpy(buf + pre + hlen, data, n);
    put_file(path, buf, pre + hlen + n);
}

/* Read spec expecting failure with status and err naming path and what. */
static void expect_error(const char *spec, int status, const char *what)
{
    char err[512] = "";
    xp_array *a = (xp_array *)1;
    int rc = xpsig_read_array(spec, xp_provider_host(), &a, err, sizeof err);
    ck_assert_msg(rc == status, "%s: status %d, expected %d (%s)", spec, rc, status, err);
    ck_assert_ptr_null(a);
    ck_assert_msg(strncmp(err, tmpdir, strlen(tmpdir)) == 0,
                  "message '%s' does not name the file", err);
    ck_assert_msg(strstr(err, what), "message '%s' lacks '%s'", err, what);
}

static xp_array *read_ok(const char *spec)
{
    char err[512] = "";
    xp_array *a = NULL;
    int rc = xpsig_read_array(spec, xp_provider_host(), &a, err, sizeof err);
    ck_assert_msg(rc == 0, "%s: %s", spec, err);
    return a;
}

static void assert_shape(const xp_array *a, xp_dtype dtype, int ndim, const int64_t *shape)
{
    ck_assert_int_eq(xp_array_dtype(a), dtype);
    ck_assert_int_eq(xp_array_ndim(a), ndim);
    for (int i = 0; i < ndim; i++)
        ck_assert_int_eq(xp_array_dim(a, i), shape[i]);
}

/* ------------------------------------------------------------ round trips */

static const struct {
    int ndim;
    int64_t shape[3];
} shapes[] = {
    {0, {0}}, {1, {5}}, {2, {3, 4}}, {3, {2, 3, 4}},
    {1, {1}}, {2, {1, 4}}, {2, {4, 1}}, {1, {0}}, {2, {2, 0}}, {2, {0, 3}},
    {3, {1, 1, 1}},
};
static const xp_dtype dtypes[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64, XP_COMPLEX128};
static const char *const exts[] = {"npy", "txt", "hdf5", "h5:/grp/x"};

START_TEST(test_roundtrip)
{
    const xp_provider *p = xpt_provider(_i);
    char err[512];

    for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++)
        for (size_t d = 0; d < 4; d++)
            for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
                xp_dtype dt = dtypes[d];
                int ndim = shapes[s].ndim;
                const int64_t *shape = shapes[s].shape;
                int64_t n = 1;
                for (int i = 0; i < ndim; i++)
                    n *= shape[i];
                int64_t nv = xp_dtype_is_complex(dt) ? 2 * n : n;
                double vals[2 * 24 + 1];
                xpt_random(vals, nv, (unsigned)(7 * s + d));
                if (nv > 2) {       /* values text must spell out */
                    vals[0] = 1.0 / 3.0;
                    vals[1] = -1e-300;
                    vals[2] = 1e-19;
                }
                xp_array *a = xpt_array(p, dt, ndim, shape, vals);
                char spec[512];
                snprintf(spec, sizeof spec, "%s/rt_%s_%zu_%zu.%s", tmpdir, xp_provider_name(p), d, s,
                         exts[e]);
                int rc = xpsig_write_array(spec, a, err, sizeof err);
                ck_assert_msg(rc == 0, "write %s: %s", spec, err);

                xp_array *b = NULL;
                rc = xpsig_read_array(spec, p, &b, err, sizeof err);
                ck_assert_msg(rc == 0, "read %s: %s", spec, err);
                ck_assert_ptr_eq(xp_array_provider(b), p);
                /* text keeps values, not widths: float64 or complex128 */
                xp_dtype want = dt;
                if (e == 1)     /* an empty file has no complex value to show */
                    want = xp_dtype_is_complex(dt) && n ? XP_COMPLEX128 : XP_FLOAT64;
                assert_shape(b, want, ndim, shape);
                double *x = xpt_values(a), *y = xpt_values(b);
                for (int64_t i = 0; i < nv; i++)
                    ck_assert_msg(x[i] == y[i], "%s: value %lld: %.17g != %.17g", spec,
                                  (long long)i, y[i], x[i]);
                free(x);
                free(y);
                xp_array_free(a);
                xp_array_free(b);
            }
}
END_TEST

/* Our header bytes are numpy.save's, growth padding included. */
START_TEST(test_npy_header_bytes)
{
    static const char want1[] =
        "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
    static const char want2[] =
        "\x93NUMPY\x01\x00v\x00{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }";
    static const char want0[] =
        "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (), }";
    const struct { const char *want; size_t wlen; xp_dtype dt; int nd; int64_t shape[2]; } c[] = {
        {want1, sizeof want1 - 1, XP_FLOAT64, 1, {3}},
        {want2, sizeof want2 - 1, XP_COMPLEX64, 2, {2, 3}},
        {want0, sizeof want0 - 1, XP_FLOAT32, 0, {0}},
    };
    for (int k = 0; k < 3; k++) {
        double v[12] = {0};
        char err[256], path[300];
        unsigned char buf[256];
        snprintf(path, sizeof path, "%s/hdr%d.npy", tmpdir, k);
        xp_array *a = xpt_array(xp_provider_host(), c[k].dt, c[k].nd, c[k].shape, v);
        ck_assert_int_eq(xpsig_write_array(path, a, err, sizeof err), 0);
        xp_array_free(a);
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        ck_assert_uint_ge(n, 128);
        ck_assert_int_eq(memcmp(buf, c[k].want, c[k].wlen), 0);
        for (size_t i = c[k].wlen; i < 127; i++)
            ck_assert_int_eq(buf[i], ' ');
        ck_assert_int_eq(buf[127], '\n');
    }
}
END_TEST

/* ------------------------------------------------------------ .npy input */

START_TEST(test_npy_variants)
{
    double v[6] = {1, 2, 3, 4, 5, 6};
    const int64_t s23[2] = {2, 3}, s3[1] = {3};
    xp_array *a;

    /* versions 2.0 and 3.0, other key order, double quotes, '=' and bare codes */
    put_npy(tmp("v2.npy"), 2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", v, 48);
    a = read_ok(tmp("v2.npy"));
    assert_shape(a, XP_FLOAT64, 2, s23);
    xp_array_free(a);
    put_npy(tmp("v3.npy"), 3, "{\"shape\": (3,), \"fortran_order\": False, \"descr\": \"=f8\"}", v, 24);
    a = read_ok(tmp("v3.npy"));
    assert_shape(a, XP_FLOAT64, 1, s3);
    double *x = xpt_values(a);
    ck_assert(x[0] == 1 && x[2] == 3);
    free(x);
    xp_array_free(a);
    put_npy(tmp("bare.npy"), 1, "{'descr':'c16','fortran_order':False,'shape':(3L,)}", v, 48);
    a = read_ok(tmp("bare.npy"));
    assert_shape(a, XP_COMPLEX128, 1, s3);
    xp_array_free(a);
    /* a 1-d array of length 1 on fortran order False with trailing data */
    put_npy(tmp("trail.npy"), 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", v, 16);
    a = read_ok(tmp("trail.npy"));
    ck_assert_int_eq(xp_array_size(a), 1);
    xp_array_free(a);
}
END_TEST

START_TEST(test_npy_malformed)
{
    double v[6] = {0};
    const char *d;

    put_file(tmp("magic.npy"), "\x93NUMPZ\x01\x00\x10\x00{}              \n", 27);
    expect_error(tmp("magic.npy"), XP_EFORMAT, "bad magic");
    put_text(tmp("short.npy"), "\x93NU");
    expect_error(tmp("short.npy"), XP_EFORMAT, "bad magic");
    put_file(tmp("hdrcut.npy"), "\x93NUMPY\x01\x00\x76\x00{'descr'", 17);
    expect_error(tmp("hdrcut.npy"), XP_EFORMAT, "truncated .npy header");
    put_npy(tmp("vers.npy"), 4, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", v, 24);
    expect_error(tmp("vers.npy"), XP_EFORMAT, "version 4.0");

    d = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    put_npy(tmp("trunc.npy"), 1, d, v, 47);
    expect_error(tmp("trunc.npy"), XP_EFORMAT, "truncated .npy data (47 of 48 bytes)");
    put_npy(tmp("big.npy"), 1, "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", v, 24);
    expect_error(tmp("big.npy"), XP_EFORMAT, "big-endian");
    put_npy(tmp("fort.npy"), 1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", v, 48);
    expect_error(tmp("fort.npy"), XP_EFORMAT, "fortran_order True");
    put_npy(tmp("int.npy"), 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", v, 12);
    expect_error(tmp("int.npy"), XP_EFORMAT, "unsupported dtype '<i4'");
    put_npy(tmp("f2.npy"), 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", v, 6);
    expect_error(tmp("f2.npy"), XP_EFORMAT, "unsupported dtype");
    put_npy(tmp("rec.npy"), 1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (3,), }", v, 24);
    expect_error(tmp("rec.npy"), XP_EFORMAT, "structured");
    put_npy(tmp("neg.npy"), 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }", v, 24);
    expect_error(tmp("neg.npy"), XP_EFORMAT, "malformed .npy header");
    put_npy(tmp("nokey.npy"), 1, "{'descr': '<f8', 'shape': (3,), }", v, 24);
    expect_error(tmp("nokey.npy"), XP_EFORMAT, "missing");
    put_npy(tmp("extra.npy"), 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1}", v, 24);
    expect_error(tmp("extra.npy"), XP_EFORMAT, "unexpected key 'x'");
    put_npy(tmp("nodict.npy"), 1, "['descr', '<f8']", v, 24);
    expect_error(tmp("nodict.npy"), XP_EFORMAT, "not a dict");
    put_npy(tmp("open.npy"), 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,", v, 24);
    expect_error(tmp("open.npy"), XP_EFORMAT, "malformed .npy header");
    put_npy(tmp("bool.npy"), 1, "{'descr': '<f8', 'fortran_order': 0, 'shape': (3,), }", v, 24);
    expect_error(tmp("bool.npy"), XP_EFORMAT, "fortran_order");
    put_npy(tmp("huge.npy"), 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }", v, 24);
    expect_error(tmp("huge.npy"), XP_EFORMAT, "truncated .npy data");

    expect_error(tmp("missing.npy"), XP_EIO, "No such file");
    expect_error(tmp("x.csv"), XP_EINVAL, "unknown file format");
}
END_TEST

/* ------------------------------------------------------------ text input */

START_TEST(test_txt_read)
{
    xp_array *a;
    double *x;

    put_text(tmp("t1.txt"), "# header\n\n1 2 3  # trailing\n4\t5 6\r\n");
    a = read_ok(tmp("t1.txt"));
    assert_shape(a, XP_FLOAT64, 2, (int64_t[]){2, 3});
    x = xpt_values(a);
    ck_assert(x[0] == 1 && x[3] == 4 && x[5] == 6);
    free(x);
    xp_array_free(a);

    put_text(tmp("row.txt"), "1 2 3 4\n");
    a = read_ok(tmp("row.txt"));
    assert_shape(a, XP_FLOAT64, 1, (int64_t[]){4});
    xp_array_free(a);
    put_text(tmp("col.txt"), "1\n2\n-inf\nnan\n");
    a = read_ok(tmp("col.txt"));
    assert_shape(a, XP_FLOAT64, 1, (int64_t[]){4});
    x = xpt_values(a);
    ck_assert(x[2] < -1e308 && x[3] != x[3]);
    free(x);
    xp_array_free(a);
    put_text(tmp("one.txt"), "  2.5e-19 \n");
    a = read_ok(tmp("one.txt"));
    assert_shape(a, XP_FLOAT64, 0, NULL);
    xp_array_free(a);
    put_text(tmp("empty.txt"), "# nothing\n");
    a = read_ok(tmp("empty.txt"));
    assert_shape(a, XP_FLOAT64, 1, (int64_t[]){0});
    xp_array_free(a);

    /* complex in every spelling; one complex token makes the file complex */
    const char *c = "1 (1.5+2j) 2j -1-0.5J\n3e2 j 1+j 4-j\n";
    put_file(tmp("cplx.txt"), c, strlen(c));
    a = read_ok(tmp("cplx.txt"));
    assert_shape(a, XP_COMPLEX128, 2, (int64_t[]){2, 4});
    x = xpt_values(a);
    const double want[16] = {1, 0, 1.5, 2, 0, 2, -1, -0.5, 300, 0, 0, 1, 1, 1, 4, -1};
    for (int i = 0; i < 16; i++)
        ck_assert_msg(x[i] == want[i], "value %d: %g != %g", i, x[i], want[i]);
    free(x);
    xp_array_free(a);
}
END_TEST

START_TEST(test_txt_malformed)
{
    const char *r = "1 2 3\n# c\n4 5 6\n7 8\n";
    put_file(tmp("ragged.txt"), r, strlen(r));
    expect_error(tmp("ragged.txt"), XP_EFORMAT, "line 4: 2 values, expected 3");
    r = "1 2\n3 x\n";
    put_file(tmp("word.txt"), r, strlen(r));
    expect_error(tmp("word.txt"), XP_EFORMAT, "line 2: 'x' is not a number");
    r = "1 2+3\n";
    put_file(tmp("noj.txt"), r, strlen(r));
    expect_error(tmp("noj.txt"), XP_EFORMAT, "'2+3' is not a number");
    r = "# shape: (2, 2)\n1 2 3\n";
    put_file(tmp("shape.txt"), r, strlen(r));
    expect_error(tmp("shape.txt"), XP_EFORMAT, "shape comment does not match");
    r = "# shape: (2, x)\n1 2\n";
    put_file(tmp("shape2.txt"), r, strlen(r));
    expect_error(tmp("shape2.txt"), XP_EFORMAT, "malformed shape comment");
    expect_error(tmp("missing.txt"), XP_EIO, "No such file");
}
END_TEST

/* ------------------------------------------------------------------ HDF5 */

static void put_h5_int(const char *path, const char *name)
{
    hsize_t dims[1] = {3};
    int v[3] = {1, 2, 3};
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t s = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(f, name, H5T_STD_I32LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(d);
    H5Sclose(s);
    H5Fclose(f);
}

START_TEST(test_hdf5)
{
    char err[512], spec[600];
    double v[4] = {1, 2, 3, 4};
    const int64_t s4[1] = {4}, s2[2] = {2, 2};
    xp_array *a = xpt_array(xp_provider_host(), XP_FLOAT64, 1, s4, v);
    xp_array *b = xpt_array(xp_provider_host(), XP_FLOAT32, 2, s2, v);

    /* default name /data; a second dataset joins the file; big-endian storage
     * is HDF5's to convert */
    ck_assert_int_eq(xpsig_write_array(tmp("two.h5"), a, err, sizeof err), 0);
    snprintf(spec, sizeof spec, "%s:/g/h/b", tmp("two.h5"));
    ck_assert_int_eq(xpsig_write_array(spec, b, err, sizeof err), 0);
    xp_array *c = read_ok(tmp("two.h5"));           /* /data */
    assert_shape(c, XP_FLOAT64, 1, s4);
    xp_array_free(c);
    c = read_ok(spec);
    assert_shape(c, XP_FLOAT32, 2, s2);
    xp_array_free(c);
    /* replacing a dataset */
    ck_assert_int_eq(xpsig_write_array(spec, a, err, sizeof err), 0);
    c = read_ok(spec);
    assert_shape(c, XP_FLOAT64, 1, s4);
    xp_array_free(c);

    /* the only dataset of a file is found without a name */
    snprintf(spec, sizeof spec, "%s:/strain", tmp("one.hdf5"));
    ck_assert_int_eq(xpsig_write_array(spec, b, err, sizeof err), 0);
    c = read_ok(tmp("one.hdf5"));
    assert_shape(c, XP_FLOAT32, 2, s2);
    xp_array_free(c);

    snprintf(spec, sizeof spec, "%s:/deep/er/x", tmp("nested.h5"));
    ck_assert_int_eq(xpsig_write_array(spec, b, err, sizeof err), 0);
    c = read_ok(tmp("nested.h5"));
    assert_shape(c, XP_FLOAT32, 2, s2);
    xp_array_free(c);

    /* errors */
    snprintf(spec, sizeof spec, "%s:/nope", tmp("two.h5"));
    expect_error(spec, XP_EFORMAT, "no dataset '/nope'");
    put_h5_int(tmp("int.h5"), "/data");
    expect_error(tmp("int.h5"), XP_EFORMAT, "integer");
    put_h5_int(tmp("int2.h5"), "/n");
    expect_error(tmp("int2.h5"), XP_EFORMAT, "no float or complex dataset");
    put_text(tmp("junk.h5"), "not hdf5 at all");
    expect_error(tmp("junk.h5"), XP_EFORMAT, "cannot open as HDF5");
    expect_error(tmp("missing.h5"), XP_EIO, "No such file");
    /* several datasets, none /data: the name is needed */
    snprintf(spec, sizeof spec, "%s:/x", tmp("many.h5"));
    ck_assert_int_eq(xpsig_write_array(spec, a, err, sizeof err), 0);
    snprintf(spec, sizeof spec, "%s:/y", tmp("many.h5"));
    ck_assert_int_eq(xpsig_write_array(spec, a, err, sizeof err), 0);
    expect_error(tmp("many.h5"), XP_EINVAL, "2 float or complex datasets: /x, /y");

    xp_array_free(a);
    xp_array_free(b);
}
END_TEST

/* --------------------------------------------------------------- driver */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/check_npy.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 99;
    }
    Suite *s = suite_create("xpsig array files");
    TCase *tc = tcase_create("io");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_roundtrip, 0, xpt_nproviders());
    tcase_add_test(tc, test_npy_header_bytes);
    tcase_add_test(tc, test_npy_variants);
    tcase_add_test(tc, test_npy_malformed);
    tcase_add_test(tc, test_txt_read);
    tcase_add_test(tc, test_txt_malformed);
    tcase_add_test(tc, test_hdf5);
    suite_add_tcase(s, tc);
    int rc = xpt_run(s);
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
