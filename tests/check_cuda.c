/*
 * check_cuda.c -- the CUDA provider against the host provider, op by op,
 * and its transfer counts.  SKIPs (77) where the provider is unavailable
 * (no module or no GPU); check_cuda_listed covers that case.
 *
 * Tolerances: 1e-12 relative for float64/complex128, 1e-5 for float32 and
 * complex64 (the kernels' summation orders differ from the host's).
 */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"

static const xp_provider *gpu;
static const xp_dtype dtypes[4] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64, XP_COMPLEX128};

static double tol(xp_dtype dt)
{
    return dt == XP_FLOAT64 || dt == XP_COMPLEX128 ? 1e-12 : 1e-5;
}

/* The same random values on host (*h) and cuda (*d). */
static void pair(xp_dtype dt, int ndim, const int64_t *shape, unsigned seed, xp_array **h,
                 xp_array **d)
{
    int64_t n = xp__shape_size(ndim, shape) * (xp_dtype_is_complex(dt) ? 2 : 1);
    double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    xpt_random(v, n, seed);
    *h = xpt_array(xp_provider_host(), dt, ndim, shape, v);
    XPT_OK(xp_array_to_provider(*h, gpu, d));
    free(v);
}

static void outs(xp_dtype dt, int ndim, const int64_t *shape, xp_array **h, xp_array **d)
{
    XPT_OK(xp_array_zeros(xp_provider_host(), dt, ndim, shape, h));
    XPT_OK(xp_array_zeros(gpu, dt, ndim, shape, d));
}

static void agree(const char *what, const xp_array *d, const xp_array *h, xp_dtype dt)
{
    double e = xpt_array_err(d, h);
    ck_assert_msg(e <= tol(dt), "%s (%s): error %g", what, xp_dtype_name(dt), e);
}

static void free_all(xp_array **a, int n)
{
    for (int i = 0; i < n; i++)
        xp_array_free(a[i]);
}

START_TEST(fill_unary_binary_affine)
{
    xp_dtype dt = dtypes[_i];
    int64_t shape[2] = {5, 7};
    xp_array *xh, *xd, *bh, *bd, *yh, *yd, *fh = NULL, *fd = NULL;
    pair(dt, 2, shape, 1, &xh, &xd);
    pair(dt, 2, shape, 2, &bh, &bd);
    outs(dt, 2, shape, &yh, &yd);
    XPT_OK(xp__fill(yh, 0.5, -0.25));
    XPT_OK(xp__fill(yd, 0.5, -0.25));
    agree("fill", yd, yh, dt);
    /* strided copy: a flipped view in, a cast out */
    XPT_OK(xp__view_flip(xh, 1, &fh));
    XPT_OK(xp__view_flip(xd, 1, &fd));
    XPT_OK(xp__copy(fh, yh));
    XPT_OK(xp__copy(fd, yd));
    agree("strided copy", yd, yh, dt);
    xp_dtype real = xp_dtype_real(dt);
    for (int op = XP_UNARY_ABS2; op <= XP_UNARY_NEG; op++) {
        int to_real = op == XP_UNARY_ABS2 || op == XP_UNARY_ABS || op == XP_UNARY_ANGLE
                      || op == XP_UNARY_REAL || op == XP_UNARY_IMAG;
        xp_dtype odt = to_real ? real : dt;
        xp_array *oh, *od;
        outs(odt, 2, shape, &oh, &od);
        const xp_array *src_h = op == XP_UNARY_SQRT && !xp_dtype_is_complex(dt) ? yh : fh;
        const xp_array *src_d = op == XP_UNARY_SQRT && !xp_dtype_is_complex(dt) ? yd : fd;
        if (op == XP_UNARY_SQRT && !xp_dtype_is_complex(dt)) {
            XPT_OK(xp__unary(XP_UNARY_ABS, fh, yh));
            XPT_OK(xp__unary(XP_UNARY_ABS, fd, yd));
        }
        XPT_OK(xp__unary(op, src_h, oh));
        XPT_OK(xp__unary(op, src_d, od));
        agree("unary", od, oh, odt);
        xp_array_free(oh);
        xp_array_free(od);
    }
    for (int op = XP_BINARY_ADD; op <= XP_BINARY_MUL_CONJ; op++) {
        XPT_OK(xp__binary(op, xh, bh, yh));
        XPT_OK(xp__binary(op, xd, bd, yd));
        agree("binary", yd, yh, dt);
    }
    int cplx = xp_dtype_is_complex(dt);
    XPT_OK(xp__affine(xh, 1.5, cplx ? -0.5 : 0, 0.25, cplx ? 2 : 0, yh));
    XPT_OK(xp__affine(xd, 1.5, cplx ? -0.5 : 0, 0.25, cplx ? 2 : 0, yd));
    agree("affine", yd, yh, dt);
    xp_array *all[] = {fh, fd, xh, xd, bh, bd, yh, yd};
    free_all(all, 8);
}
END_TEST

START_TEST(reductions)
{
    xp_dtype dt = dtypes[_i];
    int64_t shape[2] = {6, 9};
    xp_array *xh, *xd;
    pair(dt, 2, shape, 3, &xh, &xd);
    for (int axis = 0; axis < 2; axis++)
        for (int op = XP_REDUCE_SUM; op <= XP_REDUCE_MEDIAN; op++) {
            int64_t os[2] = {axis ? 6 : 1, axis ? 1 : 9};
            xp_array *yh, *yd;
            outs(dt, 2, os, &yh, &yd);
            XPT_OK(xp__reduce(op, xh, axis, yh));
            XPT_OK(xp__reduce(op, xd, axis, yd));
            agree("reduce", yd, yh, dt);
            xp_array_free(yh);
            xp_array_free(yd);
        }
    xp_array_free(xh);
    xp_array_free(xd);
}
END_TEST

START_TEST(ffts)
{
    int dbl = _i;
    xp_dtype r = dbl ? XP_FLOAT64 : XP_FLOAT32, c = dbl ? XP_COMPLEX128 : XP_COMPLEX64;
    static const int64_t ns[3] = {16, 10, 23};     /* equal, truncated, padded */
    for (int k = 0; k < 3; k++) {
        int64_t n = ns[k];
        for (int kind = XP_FFT_R2C; kind <= XP_FFT_C2C_BACKWARD; kind++) {
            int64_t xs[2] = {3, 16}, ys[2] = {3, kind == XP_FFT_R2C ? n / 2 + 1 : n};
            xp_array *xh, *xd, *yh, *yd;
            pair(kind == XP_FFT_R2C ? r : c, 2, xs, 4, &xh, &xd);
            outs(kind == XP_FFT_C2R ? r : c, 2, ys, &yh, &yd);
            XPT_OK(xp__fft(kind, n, 0.5, xh, yh));
            XPT_OK(xp__fft(kind, n, 0.5, xd, yd));
            agree("fft", yd, yh, r);
            xp_array *all[] = {xh, xd, yh, yd};
            free_all(all, 4);
        }
    }
}
END_TEST

START_TEST(gemms)
{
    xp_dtype dt = dtypes[_i];
    const char ops[3] = {'N', 'T', 'C'};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            char ta = ops[i], tb = ops[j];
            int64_t as[2] = {ta == 'N' ? 4 : 5, ta == 'N' ? 5 : 4};
            int64_t bs[2] = {tb == 'N' ? 5 : 3, tb == 'N' ? 3 : 5};
            int64_t cs[2] = {4, 3};
            xp_array *ah, *ad, *bh, *bd, *ch, *cd;
            pair(dt, 2, as, 5, &ah, &ad);
            pair(dt, 2, bs, 6, &bh, &bd);
            pair(dt, 2, cs, 7, &ch, &cd);
            int cplx = xp_dtype_is_complex(dt);
            XPT_OK(xp__gemm(ta, tb, 1.25, cplx ? 0.5 : 0, ah, bh, 0.5, 0, ch));
            XPT_OK(xp__gemm(ta, tb, 1.25, cplx ? 0.5 : 0, ad, bd, 0.5, 0, cd));
            agree("gemm", cd, ch, dt);
            xp_array *all[] = {ah, ad, bh, bd, ch, cd};
            free_all(all, 6);
        }
}
END_TEST

START_TEST(filters)
{
    xp_dtype dt = dtypes[_i];
    int64_t xs[2] = {3, 40}, zs[2] = {3, 3}, ss[3] = {3, 2, 2}, cs[1] = {4}, sos_s[2] = {2, 6};
    xp_array *xh, *xd, *bh, *bd, *ah, *ad, *zh, *zd, *yh, *yd, *fh, *fd;
    pair(dt, 2, xs, 8, &xh, &xd);
    pair(dt, 1, cs, 9, &bh, &bd);
    pair(dt, 1, cs, 10, &ah, &ad);
    XPT_OK(xp__affine(ah, 0.1, 0, 0, 0, ah));     /* a stable-ish denominator */
    XPT_OK(xp__affine(ad, 0.1, 0, 0, 0, ad));
    xp_array *one_h, *one_d, *a0h, *a0d;
    XPT_OK(xp__view_slice(ah, 0, 0, 1, 1, &a0h));
    XPT_OK(xp__view_slice(ad, 0, 0, 1, 1, &a0d));
    XPT_OK(xp__fill(a0h, 1, 0));
    XPT_OK(xp__fill(a0d, 1, 0));
    one_h = a0h, one_d = a0d;
    pair(dt, 2, zs, 11, &zh, &zd);
    outs(dt, 2, xs, &yh, &yd);
    outs(dt, 2, zs, &fh, &fd);
    XPT_OK(xp__lfilter(bh, ah, xh, zh, yh, fh));
    XPT_OK(xp__lfilter(bd, ad, xd, zd, yd, fd));
    agree("lfilter y", yd, yh, dt);
    agree("lfilter zf", fd, fh, dt);
    xp_array *sh, *sd, *sih, *sid, *sfh, *sfd;
    pair(dt, 2, sos_s, 12, &sh, &sd);
    pair(dt, 3, ss, 13, &sih, &sid);
    outs(dt, 3, ss, &sfh, &sfd);
    XPT_OK(xp__sosfilt(sh, xh, sih, yh, sfh));
    XPT_OK(xp__sosfilt(sd, xd, sid, yd, sfd));
    agree("sosfilt y", yd, yh, dt);
    agree("sosfilt zf", sfd, sfh, dt);
    xp_array *all[] = {one_h, one_d, xh, xd, bh, bd, ah, ad, zh, zd, yh, yd, fh, fd,
                       sh, sd, sih, sid, sfh, sfd};
    free_all(all, 20);
}
END_TEST

START_TEST(interps)
{
    xp_dtype dt = dtypes[_i], real = xp_dtype_real(dt);
    double xpv[6] = {-1, -0.5, 0, 0.2, 0.7, 1};
    int64_t n = 6, xs = 25;
    xp_array *xph = xpt_array(xp_provider_host(), real, 1, &n, xpv), *xpd;
    XPT_OK(xp_array_to_provider(xph, gpu, &xpd));
    xp_array *fh, *fd, *xh, *xd, *yh, *yd;
    pair(dt, 1, &n, 14, &fh, &fd);
    pair(real, 1, &xs, 15, &xh, &xd);
    XPT_OK(xp__affine(xh, 1.3, 0, 0, 0, xh));     /* some outside [-1, 1] */
    XPT_OK(xp__affine(xd, 1.3, 0, 0, 0, xd));
    outs(dt, 1, &xs, &yh, &yd);
    XPT_OK(xp__interp(xh, xph, fh, yh));
    XPT_OK(xp__interp(xd, xpd, fd, yd));
    agree("interp", yd, yh, dt);
    xp_array *all[] = {xph, xpd, fh, fd, xh, xd, yh, yd};
    free_all(all, 8);
}
END_TEST

/* Welch on device-resident data moves none of the data across the bus. */
START_TEST(welch_stays_on_device)
{
    int64_t n = 4096;
    xp_array *xh, *xd, *ph = NULL, *pd = NULL;
    pair(XP_FLOAT64, 1, &n, 16, &xh, &xd);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = 256;
    XPT_OK(xp_provider_stats_reset(gpu));
    XPT_OK(xps_welch(xd, &o, NULL, &pd));
    xp_provider_stats st = {.size = sizeof st};
    XPT_OK(xp_provider_stats_get(gpu, &st));
    int64_t data = n * 8;
    ck_assert_msg(st.upload_bytes < data && st.download_bytes < data,
                  "welch moved %lld up, %lld down (data %lld bytes)",
                  (long long)st.upload_bytes, (long long)st.download_bytes, (long long)data);
    XPT_OK(xps_welch(xh, &o, NULL, &ph));
    agree("welch", pd, ph, XP_FLOAT64);
    xp_array *all[] = {xh, xd, ph, pd};
    free_all(all, 4);
}
END_TEST

int main(void)
{
    gpu = xp_provider_find("cuda");
    const char *why = NULL;
    if (!gpu || !xp_provider_available(gpu, &why)) {
        printf("SKIP: cuda provider unavailable: %s\n", why ? why : "not listed");
        return 77;
    }
    Suite *s = suite_create("cuda");
    TCase *tc = tcase_create("cuda");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, fill_unary_binary_affine, 0, 4);
    tcase_add_loop_test(tc, reductions, 0, 4);
    tcase_add_loop_test(tc, ffts, 0, 2);
    tcase_add_loop_test(tc, gemms, 0, 4);
    tcase_add_loop_test(tc, filters, 0, 4);
    tcase_add_loop_test(tc, interps, 0, 4);
    tcase_add_test(tc, welch_stays_on_device);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
