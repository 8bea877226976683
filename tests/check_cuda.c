/*
 * check_cuda.c -- the CUDA provider against the host provider, op by op,
 * its transfer counts and streams; and, where the module is the tests'
 * CPU emulation (tests/cuda_emu), every CUDA, cuFFT and cuBLAS call made
 * to fail in turn.  SKIPs (77) where the provider is unavailable (no module
 * or no GPU); check_cuda_listed covers that case.
 *
 * Tolerances: 1e-12 relative for float64/complex128, 1e-5 for float32 and
 * complex64 (the kernels' summation orders differ from the host's).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "xps.h"

static const xp_provider *gpu;

/* The emulated SDK's fault control (see tests/cuda_emu/include/cuda_emu.h);
 * NULL with a real module. */
static long (*emu_fault)(int kind, long after);
static long (*emu_live_blocks)(void);
static unsigned long long (*emu_pool_threshold)(void);
enum { EMU_MALLOC, EMU_MEMCPY, EMU_LAUNCH, EMU_FFT_PLAN, EMU_FFT_EXEC, EMU_BLAS, EMU_NKINDS };
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

/* Real values v on host as dtype dt (zero imaginary parts). */
static xp_array *real_array(xp_dtype dt, int ndim, const int64_t *shape, const double *v)
{
    int64_t n = xp__shape_size(ndim, shape);
    double *w = calloc((size_t)(2 * n), sizeof *w);
    for (int64_t i = 0; i < n; i++)
        w[xp_dtype_is_complex(dt) ? 2 * i : i] = v[i];
    xp_array *a = xpt_array(xp_provider_host(), dt, ndim, shape, w);
    free(w);
    return a;
}

/* Few long rows take the chunked scan (cuda_filter.cu): the same numbers
 * as the host's plain recurrence, zi and zf included, every dtype. */
/* lfilter of the same [rows, len] signal and zi (seeds) with b, a (nb
 * each) on host and cuda: y and zf must agree.  The signal and y pairs
 * are left for the caller (to free). */
static void lfilter_agree(const char *what, xp_dtype dt, const double *b, const double *a,
                          int64_t nb, int64_t rows, int64_t len, unsigned seed, xp_array **xh,
                          xp_array **xd, xp_array **yh, xp_array **yd)
{
    int64_t cs[1] = {nb}, xs[2] = {rows, len}, zs[2] = {rows, nb - 1};
    xp_array *zh, *zd, *fh, *fd, *bd, *ad;
    xp_array *bh = real_array(dt, 1, cs, b), *ah = real_array(dt, 1, cs, a);
    char msg[96];
    XPT_OK(xp_array_to_provider(bh, gpu, &bd));
    XPT_OK(xp_array_to_provider(ah, gpu, &ad));
    pair(dt, 2, xs, seed, xh, xd);
    pair(dt, 2, zs, seed + 1, &zh, &zd);
    outs(dt, 2, xs, yh, yd);
    outs(dt, 2, zs, &fh, &fd);
    XPT_OK(xp__lfilter(bh, ah, *xh, zh, *yh, fh));
    XPT_OK(xp__lfilter(bd, ad, *xd, zd, *yd, fd));
    snprintf(msg, sizeof msg, "%s lfilter y", what);
    agree(msg, *yd, *yh, dt);
    snprintf(msg, sizeof msg, "%s lfilter zf", what);
    agree(msg, fd, fh, dt);
    xp_array *all[] = {zh, zd, fh, fd, bh, bd, ah, ad};
    free_all(all, 8);
}

/* A leaky integrator (pole 0.9995) spread over ntap taps turned by
 * phase * k (complex when phase != 0), applied to x + 1 on host and cuda:
 * of a positive input, a sum without cancellation, well conditioned in
 * float32.  y is overwritten. */
static void leaky_agree(xp_dtype dt, int64_t rows, int ntap, double phase, xp_array *xh,
                        xp_array *xd, xp_array *yh, xp_array *yd)
{
    double bv[2 * 21] = {0}, av[2 * 21] = {0};
    int w = xp_dtype_is_complex(dt) ? 2 : 1;
    for (int k = 0; k < ntap; k++) {
        bv[w * k] = 5e-4 / ntap * cos(phase * k);
        if (w == 2)
            bv[w * k + 1] = 5e-4 / ntap * sin(phase * k);
    }
    av[0] = 1;
    av[w] = -0.9995;
    int64_t nt = ntap, zs[2] = {rows, ntap - 1};
    xp_array *bh = xpt_array(xp_provider_host(), dt, 1, &nt, bv);
    xp_array *ah = xpt_array(xp_provider_host(), dt, 1, &nt, av), *bd, *ad;
    xp_array *zh, *zd, *fh, *fd;
    XPT_OK(xp_array_to_provider(bh, gpu, &bd));
    XPT_OK(xp_array_to_provider(ah, gpu, &ad));
    pair(dt, 2, zs, 22, &zh, &zd);
    outs(dt, 2, zs, &fh, &fd);
    XPT_OK(xp__affine(xh, 1, 0, 1, 0, yh));
    XPT_OK(xp__affine(xd, 1, 0, 1, 0, yd));
    XPT_OK(xp__lfilter(bh, ah, yh, zh, yh, fh));
    XPT_OK(xp__lfilter(bd, ad, yd, zd, yd, fd));
    char what[64];
    snprintf(what, sizeof what, "leaky lfilter (%d taps, phase %g) y", ntap, phase);
    agree(what, yd, yh, dt);
    snprintf(what, sizeof what, "leaky lfilter (%d taps, phase %g) zf", ntap, phase);
    agree(what, fd, fh, dt);
    xp_array *all[] = {bh, ah, bd, ad, zh, zd, fh, fd};
    free_all(all, 8);
}

START_TEST(long_rows)
{
    xp_dtype dt = dtypes[_i];
    const int64_t len = 30011;      /* a short last chunk */
    double b[XPS_IIR_BUFLEN(4)], a[XPS_IIR_BUFLEN(4)], sos[XPS_IIR_BUFLEN(8)], k;
    double wn[2] = {0.05, 0.2}, wl = 0.2;
    int64_t nb, na, nsec, nz;
    XPT_OK(xps_butter(4, &wl, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, b, &nb, a, &na, &k));
    XPT_OK(xps_butter(8, wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_SOS, 0, sos, &nsec, NULL, &nz,
                      &k));
    int64_t sshape[2] = {nsec, 6};
    for (int rows = 1; rows <= 3; rows += 2) {
        int64_t ss[3] = {rows, nsec, 2};
        xp_array *xh, *xd, *yh, *yd, *sih, *sid, *sfh, *sfd;
        lfilter_agree("long", dt, b, a, nb, rows, len, 19, &xh, &xd, &yh, &yd);
        xp_array *sh = real_array(dt, 2, sshape, sos), *sd;
        XPT_OK(xp_array_to_provider(sh, gpu, &sd));
        pair(dt, 3, ss, 21, &sih, &sid);
        outs(dt, 3, ss, &sfh, &sfd);
        XPT_OK(xp__sosfilt(sh, xh, sih, yh, sfh));
        XPT_OK(xp__sosfilt(sd, xd, sid, yd, sfd));
        agree("long sosfilt y", yd, yh, dt);
        agree("long sosfilt zf", sfd, sfh, dt);
        /* a filter whose memory spans every chunk: a leaky integrator, so
         * that a missing term of the scan would show; with 20 states it
         * keeps them in memory, with complex taps it runs complex */
        leaky_agree(dt, rows, 2, 0, xh, xd, yh, yd);
        leaky_agree(dt, rows, 21, 0, xh, xd, yh, yd);
        if (xp_dtype_is_complex(dt)) {
            leaky_agree(dt, rows, 2, 0.1, xh, xd, yh, yd);
            leaky_agree(dt, rows, 21, 0.1, xh, xd, yh, yd);
        }
        /* in place, as filtfilt runs it */
        XPT_OK(xp__sosfilt(sh, xh, NULL, xh, NULL));
        XPT_OK(xp__sosfilt(sd, xd, NULL, xd, NULL));
        agree("long sosfilt in place", xd, xh, dt);
        xp_array *all[] = {xh, xd, yh, yd, sih, sid, sfh, sfd, sh, sd};
        free_all(all, 10);
    }
}
END_TEST

/* A leaky integrator with a memory of 1e5 samples (pole 0.99999) in
 * float32 and complex64, real and complex taps, on few long rows: along
 * such a memory rounding grows on any provider (1e-5 of 1e5 samples
 * alone), so host and cuda are each held to a float64 run of the same
 * values, and cuda may be no further from it than the host, within a
 * factor 2.  The chunked scan carries the transition's powers and the
 * chunks' states in double precision for that: in float32 they were 5e-4
 * off, 30 times the host (which combines its segments in double). */
START_TEST(long_memory)
{
    xp_dtype dt = _i ? XP_COMPLEX64 : XP_FLOAT32, wide = _i ? XP_COMPLEX128 : XP_FLOAT64;
    const double pole = 0.99999;
    const int64_t len = 100003, two = 2;
    for (int taps = 0; taps < 1 + _i; taps++) {     /* complex64: real, then complex taps */
        double bv[4] = {0}, av[4] = {1, 0, 0, 0};
        int w = _i ? 2 : 1;
        for (int k = 0; k < 2; k++) {
            bv[w * k] = (float)((1 - pole) / 2 * cos(0.1 * k * taps));
            if (w == 2)
                bv[w * k + 1] = (float)((1 - pole) / 2 * sin(0.1 * k * taps));
        }
        av[w] = (float)-pole;
        for (int64_t rows = 1; rows <= 3; rows += 2) {
            int64_t xs[2] = {rows, len}, nv;
            xp_array *xh, *xd, *yh, *yd, *bd, *ad, *x64, *y64;
            xp_array *bh = xpt_array(xp_provider_host(), dt, 1, &two, bv);
            xp_array *ah = xpt_array(xp_provider_host(), dt, 1, &two, av);
            xp_array *b64 = xpt_array(xp_provider_host(), wide, 1, &two, bv);
            xp_array *a64 = xpt_array(xp_provider_host(), wide, 1, &two, av);
            XPT_OK(xp_array_to_provider(bh, gpu, &bd));
            XPT_OK(xp_array_to_provider(ah, gpu, &ad));
            pair(dt, 2, xs, 37, &xh, &xd);
            XPT_OK(xp__affine(xh, 1, 0, 1, 0, xh));     /* x + 1: no cancellation */
            XPT_OK(xp__affine(xd, 1, 0, 1, 0, xd));
            double *xv = xpt_get(xh, &nv);
            x64 = xpt_array(xp_provider_host(), wide, 2, xs, xv);
            free(xv);
            outs(dt, 2, xs, &yh, &yd);
            XPT_OK(xp_array_zeros(xp_provider_host(), wide, 2, xs, &y64));
            XPT_OK(xp__lfilter(bh, ah, xh, NULL, yh, NULL));
            XPT_OK(xp__lfilter(bd, ad, xd, NULL, yd, NULL));
            XPT_OK(xp__lfilter(b64, a64, x64, NULL, y64, NULL));
            double eh = xpt_array_err(yh, y64), ed = xpt_array_err(yd, y64);
            ck_assert_msg(ed <= fmax(2 * eh, tol(dt)),
                          "long memory (%s, %s taps, %lld rows): cuda %g off float64, "
                          "host %g", xp_dtype_name(dt), taps ? "complex" : "real",
                          (long long)rows, ed, eh);
            xp_array *all[] = {xh, xd, yh, yd, bh, ah, bd, ad, b64, a64, x64, y64};
            free_all(all, 12);
        }
    }
}
END_TEST

/* ellip(8, 1, 60, 0.002) as sections on one row of 2^20 samples: poles
 * within 2e-4 of 1, so the chunked scan squares a transition whose
 * eigenvalues sit near 1 twelve times.  Squared in double that was 1.1e-9
 * off the host (SciPy's own rounding here is 2e-12); in double-double,
 * 1.4e-11. */
START_TEST(slow_sections)
{
    static const double sos[4 * 6] = {
        0.0009973129833003717, -0.0019940220989796025, 0.0009973129833003714, 1.0,
        -1.9968877426430385, 0.996893675172626,
        1.0, -1.9999049355960123, 1.0, 1.0, -1.9982198662238901, 0.9982419727432926,
        1.0, -1.9999432216114397, 1.0, 1.0, -1.9992707215728112, 0.9993052225899387,
        1.0, -1.9999512259735064, 1.0, 1.0, -1.9997896807111533, 0.9998291027575287};
    int64_t shape[2] = {1, 1 << 20}, ss[2] = {4, 6};
    xp_array *xh, *xd, *yh, *yd, *sd;
    xp_array *sh = real_array(XP_FLOAT64, 2, ss, sos);
    XPT_OK(xp_array_to_provider(sh, gpu, &sd));
    pair(XP_FLOAT64, 2, shape, 41, &xh, &xd);
    outs(XP_FLOAT64, 2, shape, &yh, &yd);
    XPT_OK(xp__sosfilt(sh, xh, NULL, yh, NULL));
    XPT_OK(xp__sosfilt(sd, xd, NULL, yd, NULL));
    double e = xpt_array_err(yd, yh);
    ck_assert_msg(e <= 1e-10, "ellip(8) sections, one long row: cuda %g off host", e);
    xp_array *all[] = {xh, xd, yh, yd, sh, sd};
    free_all(all, 6);
}
END_TEST

/* A (b, a) band-pass on long rows: its transition powers pass through
 * entries near 1e6 before they decay, which the chunked scan's squaring
 * cannot carry (it was 5e-3 off); the chunks must instead outlast the
 * filter's memory.  Double precision only: in float32 this filter in
 * (b, a) form is ill-conditioned on any provider. */
START_TEST(bandpass_rows)
{
    xp_dtype dt = _i ? XP_COMPLEX128 : XP_FLOAT64;
    double b[XPS_IIR_BUFLEN(8)], a[XPS_IIR_BUFLEN(8)], k;
    double wn[2] = {35.0 / 2048, 350.0 / 2048};
    int64_t nb, na;
    XPT_OK(xps_butter(4, wn, 2, XPS_BTYPE_BANDPASS, 0, XPS_OUTPUT_BA, 0, b, &nb, a, &na, &k));
    for (int rows = 1; rows <= 3; rows += 2) {
        xp_array *xh, *xd, *yh, *yd;
        lfilter_agree("band-pass", dt, b, a, nb, rows, 60013, 23, &xh, &xd, &yh, &yd);
        /* both run it serially, every product and sum rounded on its own,
         * in SciPy's order: the same bits (a fused multiply-add on the
         * device would be 1e-9 off here) */
        if (dt == XP_FLOAT64)
            ck_assert_msg(xpt_same(yd, yh), "band-pass lfilter: cuda and host bits differ");
        xp_array *all[] = {xh, xd, yh, yd};
        free_all(all, 4);
    }
}
END_TEST

/* d and h agree: the same non-finite values in the same places, the rest
 * within the tolerance. */
static void agree_nonfinite(const char *what, const xp_array *d, const xp_array *h,
                            xp_dtype dt, int64_t *nonfinite)
{
    int64_t n, m;
    double *vd = xpt_get(d, &n), *vh = xpt_get(h, &m);
    ck_assert_int_eq(n, m);
    *nonfinite = 0;
    for (int64_t i = 0; i < n; i++) {
        if (isfinite(vd[i]) && isfinite(vh[i]))
            continue;
        ck_assert_msg(isnan(vd[i]) ? isnan(vh[i]) : vd[i] == vh[i],
                      "%s (%s): value %lld is %g on cuda, %g on host", what,
                      xp_dtype_name(dt), (long long)i, vd[i], vh[i]);
        vd[i] = vh[i] = 0;
        ++*nonfinite;
    }
    double e = xpt_rel_err(vd, vh, n);
    ck_assert_msg(e <= tol(dt), "%s (%s): error %g", what, xp_dtype_name(dt), e);
    free(vd);
    free(vh);
}

/* An FIR filter (len(a) == 1) with more states than a thread holds in
 * registers, on few long rows (chunks) and on many short ones (a thread
 * each): its states live in memory.  Its a terms are left out as on the
 * host, so an inf in x stays within the filter's length, as in SciPy's
 * convolution, instead of making every later output NaN. */
START_TEST(fir_rows)
{
    xp_dtype dt = dtypes[_i];
    enum { NTAP = 41 };
    const int64_t shapes[2][2] = {{2, 30011}, {4100, 60}};
    double bv[NTAP], one = 1;
    xpt_random(bv, NTAP, 31);
    int64_t nt = NTAP, n1 = 1;
    xp_array *bh = real_array(dt, 1, &nt, bv), *ah = real_array(dt, 1, &n1, &one), *bd, *ad;
    XPT_OK(xp_array_to_provider(bh, gpu, &bd));
    XPT_OK(xp_array_to_provider(ah, gpu, &ad));
    for (int c = 0; c < 2; c++) {
        int64_t rows = shapes[c][0], len = shapes[c][1], zs[2] = {rows, NTAP - 1};
        int64_t n = rows * len * (xp_dtype_is_complex(dt) ? 2 : 1), nonfinite = 0;
        double *v = malloc((size_t)n * sizeof *v);
        int64_t at = (rows / 2 * len + (len > 4 * NTAP ? len / 3 : 10)) * (n / (rows * len));
        xpt_random(v, n, 32);
        v[at] = INFINITY;               /* one inf within a row */
        v[n - 1] = -INFINITY;           /* and one at the very end */
        xp_array *xh = xpt_array(xp_provider_host(), dt, 2, shapes[c], v), *xd;
        free(v);
        XPT_OK(xp_array_to_provider(xh, gpu, &xd));
        xp_array *zh, *zd, *yh, *yd, *fh, *fd;
        pair(dt, 2, zs, 33, &zh, &zd);
        outs(dt, 2, shapes[c], &yh, &yd);
        outs(dt, 2, zs, &fh, &fd);
        XPT_OK(xp__lfilter(bh, ah, xh, zh, yh, fh));
        XPT_OK(xp__lfilter(bd, ad, xd, zd, yd, fd));
        agree_nonfinite("FIR lfilter y", yd, yh, dt, &nonfinite);
        /* the first inf reaches NTAP outputs, the last one the last (in
         * one part of each when complex: the other stays finite) */
        ck_assert_msg(nonfinite == NTAP + 1, "%lld non-finite outputs", (long long)nonfinite);
        agree_nonfinite("FIR lfilter zf", fd, fh, dt, &nonfinite);
        if (xp_dtype_is_complex(dt)) {
            /* complex taps: complex arithmetic, states in memory too */
            xp_array *ch, *cd;
            pair(dt, 1, &nt, 34, &ch, &cd);
            XPT_OK(xp__lfilter(ch, ah, xh, zh, yh, fh));
            XPT_OK(xp__lfilter(cd, ad, xd, zd, yd, fd));
            agree_nonfinite("complex FIR lfilter y", yd, yh, dt, &nonfinite);
            agree_nonfinite("complex FIR lfilter zf", fd, fh, dt, &nonfinite);
            xp_array *taps[] = {ch, cd};
            free_all(taps, 2);
        }
        xp_array *all[] = {xh, xd, zh, zd, yh, yd, fh, fd};
        free_all(all, 8);
    }
    xp_array *coef[] = {bh, bd, ah, ad};
    free_all(coef, 4);
}
END_TEST

/* A NaN or an inf in x stays in an IIR filter's state for good, as SciPy
 * has it: the chunked paths (chunks that forget their start state, and the
 * scan) must not drop it.  butter(4, 0.2) forgets within a chunk; the
 * leaky integrator takes the scan. */
START_TEST(nonfinite_rows)
{
    xp_dtype dt = dtypes[_i];
    double b[XPS_IIR_BUFLEN(4)], a[XPS_IIR_BUFLEN(4)], sos[XPS_IIR_BUFLEN(4)], k, wl = 0.2;
    int64_t nb, na, nsec, nz;
    XPT_OK(xps_butter(4, &wl, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_BA, 0, b, &nb, a, &na, &k));
    XPT_OK(xps_butter(4, &wl, 1, XPS_BTYPE_LOWPASS, 0, XPS_OUTPUT_SOS, 0, sos, &nsec, NULL,
                      &nz, &k));
    const double lb[2] = {5e-4, 0}, la[2] = {1, -0.9995};
    for (int rows = 1; rows <= 3; rows += 2) {
        const int64_t len = 100003, shape[2] = {rows, len};
        int64_t n = rows * len * (xp_dtype_is_complex(dt) ? 2 : 1), w = n / (rows * len);
        double *v = malloc((size_t)n * sizeof *v);
        xpt_random(v, n, 41);
        v[1000 * w] = NAN;                              /* row 0 */
        v[((rows - 1) * len + 5000) * w] = INFINITY;    /* the last row */
        xp_array *xh = xpt_array(xp_provider_host(), dt, 2, shape, v), *xd;
        free(v);
        XPT_OK(xp_array_to_provider(xh, gpu, &xd));
        for (int f = 0; f < 3; f++) {
            const double *fb = f == 0 ? b : lb, *fa = f == 0 ? a : la;
            int64_t fn = f == 0 ? nb : 2, sshape[2] = {nsec, 6}, cs[1] = {fn}, nonfinite;
            xp_array *yh, *yd, *ch = NULL, *cd = NULL, *ah = NULL, *ad = NULL;
            outs(dt, 2, shape, &yh, &yd);
            if (f == 1) {
                ch = real_array(dt, 2, sshape, sos);
                XPT_OK(xp_array_to_provider(ch, gpu, &cd));
                XPT_OK(xp__sosfilt(ch, xh, NULL, yh, NULL));
                XPT_OK(xp__sosfilt(cd, xd, NULL, yd, NULL));
            } else {
                ch = real_array(dt, 1, cs, fb);
                ah = real_array(dt, 1, cs, fa);
                XPT_OK(xp_array_to_provider(ch, gpu, &cd));
                XPT_OK(xp_array_to_provider(ah, gpu, &ad));
                XPT_OK(xp__lfilter(ch, ah, xh, NULL, yh, NULL));
                XPT_OK(xp__lfilter(cd, ad, xd, NULL, yd, NULL));
            }
            const char *what[3] = {"butter lfilter", "butter sosfilt", "leaky lfilter"};
            agree_nonfinite(what[f], yd, yh, dt, &nonfinite);
            /* from the NaN on, row 0 is NaN to its end (in one part when
             * complex) */
            ck_assert_msg(nonfinite >= len - 1000, "%s: %lld non-finite values", what[f],
                          (long long)nonfinite);
            xp_array *all[] = {yh, yd, ch, cd, ah, ad};
            free_all(all, 6);
        }
        xp_array_free(xh);
        xp_array_free(xd);
    }
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

/* XPSIGNAL_CUDA_BATCH_MB sets the fused loops' batch of segments (1 MiB:
 * one batch here, where the emulated module's default makes several);
 * values that are not 1 to 65536 leave the default.  The spectra agree
 * with the host's whatever the batch. */
START_TEST(batch_budget)
{
    const char *vals[] = {"1", "0", "65537", "12x", ""};
    int64_t shape[2] = {3, 20000};
    xp_array *xh, *xd, *ph = NULL;
    pair(XP_COMPLEX128, 2, shape, 17, &xh, &xd);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = 1000;
    o.detrend = XPS_DETREND_LINEAR;
    o.return_onesided = 0;
    XPT_OK(xps_welch(xh, &o, NULL, &ph));
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++) {
        xp_array *pd = NULL;
        setenv("XPSIGNAL_CUDA_BATCH_MB", vals[k], 1);
        XPT_OK(xps_welch(xd, &o, NULL, &pd));
        char what[48];
        snprintf(what, sizeof what, "welch, batch '%s' MiB", vals[k]);
        agree(what, pd, ph, XP_FLOAT64);
        xp_array_free(pd);
    }
    unsetenv("XPSIGNAL_CUDA_BATCH_MB");
    xp_array *all[] = {xh, xd, ph};
    free_all(all, 3);
}
END_TEST

/* DLPack's legacy (1) and per-thread (2) default streams, one per thread at
 * once: each thread's work goes to its own stream and gives host's result. */
struct stream_job {
    void *stream;
    const xp_array *x;
    xp_array *pxx;
    int rc;
};

static void *stream_worker(void *arg)
{
    struct stream_job *j = arg;
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = 128;
    o.detrend = XPS_DETREND_LINEAR;
    j->rc = xp_provider_set_stream(gpu, j->stream);
    for (int k = 0; !j->rc && k < 3; k++) {
        xp_array_free(j->pxx);
        j->pxx = NULL;
        j->rc = xps_welch(j->x, &o, NULL, &j->pxx);
    }
    if (!j->rc)
        j->rc = xp_provider_set_stream(gpu, NULL);
    return NULL;
}

START_TEST(streams)
{
    int64_t n = 3000;
    xp_array *xh, *xd, *ph = NULL;
    pair(XP_FLOAT64, 1, &n, 17, &xh, &xd);
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = 128;
    o.detrend = XPS_DETREND_LINEAR;
    XPT_OK(xps_welch(xh, &o, NULL, &ph));
    struct stream_job jobs[2] = {{(void *)1, xd, NULL, 0}, {(void *)2, xd, NULL, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, stream_worker, &jobs[i]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        XPT_OK(jobs[i].rc);
        agree("welch on a stream", jobs[i].pxx, ph, XP_FLOAT64);
        xp_array_free(jobs[i].pxx);
    }
    /* providers without streams take only NULL */
    XPT_OK(xp_provider_set_stream(xp_provider_host(), NULL));
    ck_assert_int_eq(xp_provider_set_stream(xp_provider_host(), (void *)1), XP_EUNAVAIL);
    xpt_msg_has("set_stream", "xp_provider_set_stream", "provider host has no streams", NULL);
    ck_assert_int_eq(xp_provider_set_stream(NULL, NULL), XP_EINVAL);
    xpt_msg_has("set_stream NULL", "provider is NULL", NULL);
    xp_array *all[] = {xh, xd, ph};
    free_all(all, 3);
}
END_TEST

/* What the fault loop runs: a welch with linear detrend (gemm), an
 * sosfiltfilt and a complex spectrogram, every result freed. */
static int workload(const xp_array *x, int64_t nperseg)
{
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = nperseg;
    o.detrend = XPS_DETREND_LINEAR;
    xp_array *f = NULL, *t = NULL, *r = NULL;
    int rc = xps_welch(x, &o, &f, &r);
    xp_array_free(f);
    xp_array_free(r);
    f = r = NULL;
    if (rc)
        return rc;
    const double sos[12] = {0.2, 0.4, 0.2, 1, -0.5, 0.25, 1, -1, 0, 1, -0.9, 0};
    xps_filtfilt_options fo;
    xps_filtfilt_options_init(&fo);
    if ((rc = xps_sosfiltfilt(sos, 2, x, &fo, &r)))
        return rc;
    xp_array_free(r);
    r = NULL;
    xps_spectrogram_options_init(&o);
    o.nperseg = nperseg;
    o.mode = XPS_MODE_COMPLEX;
    rc = xps_spectrogram(x, &o, &f, &t, &r);
    xp_array_free(f);
    xp_array_free(t);
    xp_array_free(r);
    return rc;
}

/* Each kind of SDK call fails in turn, at every position: the workload
 * fails with a message naming the failed call, leaks nothing on the device
 * or in the provider, and runs again once the faults stop. */
START_TEST(sdk_faults)
{
    static const char *const kinds[EMU_NKINDS] = {"malloc", "memcpy", "launch", "fft plan",
                                                  "fft exec", "blas"};
    /* what the message must name: the CUDA, cuFFT or cuBLAS error */
    static const char *const says[EMU_NKINDS] = {"out of memory", "cudaErrorLaunchFailure",
                                                 "cudaErrorLaunchFailure",
                                                 "CUFFT_ALLOC_FAILED", "CUFFT_EXEC_FAILED",
                                                 "CUBLAS_STATUS_EXECUTION_FAILED"};
    int kind = _i;
    if (!emu_fault)
        return;     /* a real GPU: nothing to inject */
    int64_t n = 700;
    xp_array *xd, *xh;
    pair(XP_FLOAT64, 1, &n, 18, &xh, &xd);
    int64_t live = xpt_live(gpu), blocks = emu_live_blocks();
    long hits = emu_fault(kind, -1), after;
    for (after = 0; after < 2000; after++) {
        /* a new FFT length each time, so that plans are made, not reused */
        int64_t nperseg = 40 + after % 200;
        emu_fault(kind, after);
        int rc = workload(xd, nperseg);
        long now = emu_fault(kind, -1);
        ck_assert_int_eq(xpt_live(gpu), live);
        ck_assert_int_eq(emu_live_blocks(), blocks);
        if (now == hits) {      /* no call of this kind was left to fail */
            XPT_OK(rc);
            break;
        }
        hits = now;
        ck_assert_msg(rc != XP_OK, "%s fault %ld: the workload succeeded", kinds[kind], after);
        const char *msg = xp_errmsg();
        ck_assert_msg(strstr(msg, says[kind]) != NULL, "%s fault %ld: message '%s' lacks '%s'",
                      kinds[kind], after, msg, says[kind]);
        if (kind == EMU_MALLOC)
            ck_assert_msg(rc == XP_ENOMEM, "malloc fault %ld: status %d (%s)", after, rc, msg);
    }
    ck_assert_msg(after > 0 || kind == EMU_FFT_PLAN || kind == EMU_BLAS,
                  "%s: the workload made no such call", kinds[kind]);
    ck_assert_msg(after < 2000, "%s: faults never stopped", kinds[kind]);
    xp_array_free(xd);
    xp_array_free(xh);
}
END_TEST

/* Scratch stays in CUDA's pool between calls: the provider raised the
 * default pool's release threshold (0, give everything back at each
 * synchronization) to an eighth of the device's memory, 16 GiB emulated. */
START_TEST(scratch_pool_kept)
{
    if (!emu_pool_threshold)
        return;     /* a real GPU: the runtime's own state, not ours to read */
    int64_t n = 5000;
    xp_array *xd, *xh;
    pair(XP_FLOAT64, 1, &n, 21, &xh, &xd);
    XPT_OK(workload(xd, 256));
    ck_assert_uint_eq(emu_pool_threshold(), ((unsigned long long)16 << 30) / 8);
    xp_array_free(xd);
    xp_array_free(xh);
}
END_TEST

/* The emulated SDK's controls, when XPSIGNAL_CUDA_MODULE names it. */
static void find_emulator(void)
{
    const char *path = getenv("XPSIGNAL_CUDA_MODULE");
    void *h = path ? dlopen(path, RTLD_NOW | RTLD_NOLOAD) : NULL;
    if (!h)
        return;
    *(void **)&emu_fault = dlsym(h, "cuda_emu_fault");
    *(void **)&emu_live_blocks = dlsym(h, "cuda_emu_live_blocks");
    *(void **)&emu_pool_threshold = dlsym(h, "cuda_emu_pool_threshold");
    if (!emu_fault || !emu_live_blocks || !emu_pool_threshold)
        emu_fault = NULL, emu_pool_threshold = NULL;
    dlclose(h);     /* the registry's own reference keeps it loaded */
}

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
    tcase_add_loop_test(tc, long_rows, 0, 4);
    tcase_add_loop_test(tc, long_memory, 0, 2);
    tcase_add_loop_test(tc, bandpass_rows, 0, 2);
    tcase_add_test(tc, slow_sections);
    tcase_add_loop_test(tc, fir_rows, 0, 4);
    tcase_add_loop_test(tc, nonfinite_rows, 0, 4);
    tcase_add_loop_test(tc, interps, 0, 4);
    tcase_add_test(tc, welch_stays_on_device);
    tcase_add_test(tc, batch_budget);
    tcase_add_test(tc, streams);
    find_emulator();
    tcase_add_loop_test(tc, sdk_faults, 0, EMU_NKINDS);
    tcase_add_test(tc, scratch_pool_kept);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
