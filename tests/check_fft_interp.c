/* check_fft_interp.c -- xps_rfft/irfft/fft/ifft and xps_interp on every
 * provider: against a direct DFT, round trips, numpy.interp's rules. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include "testutil.h"
#include "xps.h"

/* direct DFT of real v[n] zero-padded/truncated to m, bins [0, nb) */
static void dft(const double *v, int64_t n, int64_t m, int64_t nb, int sign, double *out)
{
    for (int64_t k = 0; k < nb; k++) {
        long double re = 0, im = 0;
        for (int64_t j = 0; j < m && j < n; j++) {
            long double ph = sign * 2.0L * 3.14159265358979323846264338327950288L * j * k / m;
            re += v[j] * cosl(ph);
            im += v[j] * sinl(ph);
        }
        out[2 * k] = (double)re;
        out[2 * k + 1] = (double)im;
    }
}

START_TEST(rfft_matches_dft_along_each_axis)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t shape[2] = {3, 10};
    double v[30], ref[2 * 8], col[10];
    xpt_random(v, 30, 5);
    xp_array *x = xpt_array(p, XP_FLOAT64, 2, shape, v), *X = NULL, *Y = NULL;
    XPT_OK(xps_rfft(x, 12, -1, &X));                 /* zero-padded to 12 */
    ck_assert_int_eq(xp_array_dim(X, 1), 7);
    double *w = xpt_values(X);
    for (int r = 0; r < 3; r++) {
        dft(v + 10 * r, 10, 12, 7, -1, ref);
        ck_assert(xpt_rel_err(w + 14 * r, ref, 14) < 1e-13);
    }
    free(w);
    XPT_OK(xps_rfft(x, 0, 0, &Y));                   /* along axis 0, length 3 */
    ck_assert_int_eq(xp_array_dim(Y, 0), 2);
    w = xpt_values(Y);
    for (int c = 0; c < 10; c++) {
        for (int r = 0; r < 3; r++)
            col[r] = v[10 * r + c];
        dft(col, 3, 3, 2, -1, ref);
        for (int k = 0; k < 2; k++) {
            ck_assert(fabs(w[2 * (k * 10 + c)] - ref[2 * k]) < 1e-13);
            ck_assert(fabs(w[2 * (k * 10 + c) + 1] - ref[2 * k + 1]) < 1e-13);
        }
    }
    free(w);
    xp_array_free(x);
    xp_array_free(X);
    xp_array_free(Y);
}
END_TEST

START_TEST(round_trips)
{
    const xp_provider *p = xpt_provider(_i);
    int64_t n = 17;
    double v[17];
    xpt_random(v, n, 9);
    xp_array *x = xpt_array(p, XP_FLOAT64, 1, &n, v), *X = NULL, *y = NULL, *Z = NULL, *z = NULL;
    XPT_OK(xps_rfft(x, 0, -1, &X));
    XPT_OK(xps_irfft(X, n, -1, &y));                 /* odd n: give it */
    double *w = xpt_values(y);
    ck_assert(xpt_rel_err(w, v, n) < 1e-14);
    free(w);
    XPT_OK(xps_fft(x, 0, 0, &Z));                    /* real input taken as complex */
    ck_assert_int_eq(xp_array_dtype(Z), XP_COMPLEX128);
    XPT_OK(xps_ifft(Z, 0, 0, &z));
    w = xpt_values(z);
    for (int i = 0; i < n; i++) {
        ck_assert(fabs(w[2 * i] - v[i]) < 1e-14);
        ck_assert(fabs(w[2 * i + 1]) < 1e-14);
    }
    free(w);
    xp_array *bad = NULL;
    ck_assert_int_eq(xps_rfft(Z, 0, 0, &bad), XP_EDTYPE);
    ck_assert_int_eq(xps_rfft(x, -3, 0, &bad), XP_EINVAL);
    ck_assert_int_eq(xps_rfft(x, 0, 1, &bad), XP_ESHAPE);
    ck_assert_ptr_null(bad);
    xp_array *arr[] = {x, X, y, Z, z};
    for (int i = 0; i < 5; i++)
        xp_array_free(arr[i]);
}
END_TEST

START_TEST(interp_follows_numpy)
{
    const xp_provider *p = xpt_provider(_i);
    double xq[7] = {-1, 0, 0.5, 1, 2.5, 4, NAN}, xpv[3] = {0, 1, 3}, fpv[3] = {1, 3, -1};
    double want[7] = {1, 1, 2, 3, 0, -1, NAN};
    int64_t n7 = 7, n3 = 3;
    xp_array *x = xpt_array(p, XP_FLOAT64, 1, &n7, xq), *xp = xpt_array(p, XP_FLOAT64, 1, &n3, xpv);
    xp_array *fp = xpt_array(p, XP_FLOAT64, 1, &n3, fpv), *y = NULL;
    XPT_OK(xps_interp(x, xp, fp, &y));
    double *w = xpt_values(y);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(w[i] == want[i], "interp at %g: %g, want %g", xq[i], w[i], want[i]);
    ck_assert(isnan(w[6]));
    free(w);
    /* complex fp: real and imaginary parts apart */
    double fc[6] = {0, 1, 2, -1, 4, 0};
    xp_array *fpc = xpt_array(p, XP_COMPLEX128, 1, &n3, fc), *yc = NULL;
    XPT_OK(xps_interp(x, xp, fpc, &yc));
    w = xpt_values(yc);
    ck_assert(w[4] == 1 && w[5] == 0);              /* at 0.5: (1+0i) */
    ck_assert(w[8] == 3.5 && w[9] == -0.25);          /* at 2.5 */
    free(w);
    xp_array *short_fp = NULL, *bad = NULL;
    int64_t n2 = 2;
    short_fp = xpt_array(p, XP_FLOAT64, 1, &n2, fpv);
    ck_assert_int_eq(xps_interp(x, xp, short_fp, &bad), XP_ESHAPE);
    ck_assert_ptr_null(bad);
    xp_array *arr[] = {x, xp, fp, y, fpc, yc, short_fp};
    for (int i = 0; i < 7; i++)
        xp_array_free(arr[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fft_interp");
    TCase *tc = tcase_create("fft_interp");
    int np = xpt_nproviders();
    tcase_add_loop_test(tc, rfft_matches_dft_along_each_axis, 0, np);
    tcase_add_loop_test(tc, round_trips, 0, np);
    tcase_add_loop_test(tc, interp_follows_numpy, 0, np);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
