/*
 * bessel.c -- the Bessel-Thomson prototype.  Its poles are 1/x for the
 * zeros x of the Bessel polynomial y_N, found as SciPy does: Campos and
 * Calderon's asymptotic starting values, Aberth-Ehrlich iteration on all
 * of them at once, a Newton polish of each, then conjugate symmetry
 * enforced.  SciPy iterates on kve(N + 1/2, 1/x) = sqrt(pi x / 2) y_N(x);
 * the Newton step of that function equals 2 x y / (y + 2 x y'), which we
 * evaluate from the recurrence
 *     y_k = (2k - 1) x y_{k-1} + y_{k-2},   y_0 = 1, y_1 = 1 + x
 * continued to the left half-plane as below.
 */
#include <inttypes.h>
#include <string.h>
#include "iir.h"

/* y_n(x) and y_{n-1}(x) by the forward recurrence: stable for Re x >= 0,
 * where y_k is the dominant solution. */
static void y_forward(int64_t n, xps__cplx x, xps__cplx *yn, xps__cplx *yn1)
{
    xps__cplx y0 = 1.0, y1 = 1.0 + x;
    if (n == 0) {
        *yn = 1.0;
        *yn1 = 1.0;         /* y_{-1} = y_0 */
        return;
    }
    for (int64_t k = 2; k <= n; k++) {
        xps__cplx y2 = (double)(2 * k - 1) * xps__cmul(x, y1) + y0;
        y0 = y1;
        y1 = y2;
    }
    *yn = y1;
    *yn1 = y0;
}

/* y_n(x) and y_{n-1}(x).  The zeros lie in Re x < 0, where the forward
 * recurrence loses everything to cancellation near them.  There, with
 * u = -x and w = 1/u in the right half-plane, the closed forms of the
 * half-integer Bessel functions give
 *     y_n(x) = (1 - e^{-2w}) I_{n+1/2}(w) / I_{1/2}(w) + (-1)^n e^{-2w} y_n(u)
 * (K continued to the left half-plane through I, both evaluated where
 * they are well conditioned): the I ratio comes from Miller's backward
 * recurrence of
 * r_m = I_{m+1/2} / I_{m-1/2} = 1 / ((2m + 1) / w + r_{m+1}), and y_n(u)
 * from the forward recurrence, both accurate to rounding. */
static void bessel_y(int64_t n, xps__cplx x, xps__cplx *yn, xps__cplx *yn1)
{
    if (creal(x) >= 0 || n == 0) {
        y_forward(n, x, yn, yn1);
        return;
    }
    xps__cplx u = -x, w = xps__cdiv(1.0, u);
    xps__cplx yun, yun1;
    y_forward(n, u, &yun, &yun1);
    double aw = cabs(w);
    int64_t M = 2 * (int64_t)fmax((double)n, fmin(aw, 1e6)) + 40;
    xps__cplx r = 0.0, R = 1.0, rn = 1.0;
    for (int64_t m = M; m >= 1; m--) {
        r = xps__cdiv(1.0, xps__cdiv((double)(2 * m + 1), w) + r);
        if (m <= n)
            R = xps__cmul(R, r);
        if (m == n)
            rn = r;
    }
    xps__cplx e2 = cexp(-2.0 * w), one_e2 = 1.0 - e2;
    double sn = n % 2 ? -1.0 : 1.0;
    *yn = xps__cmul(one_e2, R) + sn * xps__cmul(e2, yun);
    *yn1 = xps__cmul(one_e2, xps__cdiv(R, rn)) - sn * xps__cmul(e2, yun1);
}

/* The Newton step f / f' at x for f = kve(N + 1/2, 1/x), using
 * x^2 y_n' = (n x - 1) y_n + y_{n-1}. */
static xps__cplx newton_step(int64_t N, xps__cplx x)
{
    xps__cplx yn, yn1;
    if (N == 0)
        return 0.0;
    bessel_y(N, x, &yn, &yn1);
    xps__cplx num = 2.0 * xps__cmul(xps__cmul(x, x), yn);
    xps__cplx den = xps__cmul(x, yn) + 2.0 * xps__cmul((double)N * x - 1.0, yn) + 2.0 * yn1;
    return xps__cdiv(num, den);
}

/* Campos & Calderon (2011) starting values for the zeros of y_n. */
static void campos_zeros(int64_t n, xps__cplx *x)
{
    if (n == 1) {
        x[0] = -1.0;
        return;
    }
    double nn = (double)n;
    double s = ((((1 * nn - 3) * nn + 0) * nn + 2) * nn + 0) * nn + 0;
    double b3 = (-8 * nn + 16) / s;
    double b2 = ((12 * nn - 12) * nn - 24) / s;
    double b1 = (((-2 * nn - 12) * nn + 24) * nn + 8) / s;
    double b0 = ((((-1 * nn + 5) * nn + 0) * nn - 6) * nn + 0) / s;
    double r = ((1 * nn + 2) * nn + 0) * nn + 0;
    double a1 = (-6 * nn - 6) / r;
    double a2 = 6 / r;
    for (int64_t i = 0; i < n; i++) {
        double k = (double)(i + 1);
        double xr = (a2 * k + a1) * k + 0;
        double xi = ((b3 * k + b2) * k + b1) * k + b0;
        x[i] = CMPLX(xr, xi);
    }
}

/* Aberth-Ehrlich: every zero moves by its Newton step corrected for the
 * repulsion of the others, all from the same old iterate. */
static void aberth(int64_t n, xps__cplx *x, xps__cplx *alpha, xps__cplx *beta)
{
    for (int iter = 0; iter < 50; iter++) {
        int done = 1;
        for (int64_t k = 0; k < n; k++) {
            alpha[k] = -newton_step(n, x[k]);
            if (!(cabs(alpha[k]) <= 1e-15))
                done = 0;
        }
        for (int64_t k = 0; k < n; k++) {
            xps__cplx b = 0.0;
            for (int64_t j = k + 1; j < n; j++)
                b += xps__cdiv(1.0, x[k] - x[j]);
            xps__cplx b2 = 0.0;
            for (int64_t j = 0; j < k; j++)
                b2 += xps__cdiv(1.0, x[k] - x[j]);
            beta[k] = b + b2;
        }
        for (int64_t k = 0; k < n; k++)
            x[k] += xps__cdiv(alpha[k], 1.0 + xps__cmul(alpha[k], beta[k]));
        if (done)
            break;
    }
}

/* SciPy's optimize.newton secant iteration for the -3 dB frequency of
 * |k / prod(jw - p)| from 1.5 (tolerance 1.48e-8, 50 iterations). */
static double cutoff(const xps__cplx *p, int64_t n, double k, double w)
{
    xps__cplx prod = 1.0;
    for (int64_t i = 0; i < n; i++) {
        xps__cplx t = CMPLX(0.0, w) - p[i];
        prod = i ? xps__cmul(prod, t) : t;
    }
    return cabs(xps__cdiv(k, prod)) - 1 / sqrt(2.0);
}

static double norm_factor(const xps__cplx *p, int64_t n, double k)
{
    double p0 = 1.5, p1 = 1.5 * (1 + 1e-4);
    p1 += p1 >= 0 ? 1e-4 : -1e-4;
    double q0 = cutoff(p, n, k, p0), q1 = cutoff(p, n, k, p1);
    if (fabs(q1) < fabs(q0)) {
        double t = p0; p0 = p1; p1 = t;
        t = q0; q0 = q1; q1 = t;
    }
    double x = p1;
    for (int iter = 0; iter < 50; iter++) {
        if (q1 == q0)
            return (p1 + p0) / 2.0;
        if (fabs(q1) > fabs(q0))
            x = (-q0 / q1 * p1 + p0) / (1 - q0 / q1);
        else
            x = (-q1 / q0 * p0 + p1) / (1 - q1 / q0);
        if (fabs(x - p1) <= 1.48e-8)
            return x;
        p0 = p1;
        q0 = q1;
        p1 = x;
        q1 = cutoff(p, n, k, p1);
    }
    return NAN;
}

int xps__besselap(const char *fn, int64_t N, xps_bessel_norm norm, xps__zpk *f)
{
    f->nz = 0;
    f->np = 0;
    f->k = 1.0;
    if (N == 0)
        return XP_OK;
    xps__cplx *work = xp__malloc(3 * (size_t)N * sizeof *work);
    if (!work)
        return xp_error(XP_ENOMEM, "%s: out of memory for %" PRId64 " Bessel zeros", fn, N);
    xps__cplx *x = work, *alpha = work + N, *beta = work + 2 * N;

    campos_zeros(N, x);
    aberth(N, x, alpha, beta);
    for (int64_t i = 0; i < N; i++) {
        xps__cplx p0 = x[i];
        for (int iter = 0; iter < 50; iter++) {
            xps__cplx step = newton_step(N, p0);
            xps__cplx p = p0 - step;
            if (step == 0 || cabs(p - p0) <= 1e-15) {
                p0 = p;
                break;
            }
            p0 = p;
        }
        alpha[i] = p0;
    }
    xps__cplx sum = 0.0;
    for (int64_t i = 0; i < N; i++) {
        x[i] = xps__cdiv(alpha[i] + conj(alpha[N - 1 - i]), 2.0);
        sum += x[i];
    }
    int finite = 1;
    for (int64_t i = 0; i < N; i++)
        finite &= isfinite(creal(x[i])) && isfinite(cimag(x[i]));
    if (!finite || cabs(sum + 1.0) > 1e-12) {
        xp__free(work);
        return xp_error(XP_EINTERNAL, "%s: the zeros of the order %" PRId64 " Bessel "
                        "polynomial did not converge", fn, N);
    }
    for (int64_t i = 0; i < N; i++)
        f->p[i] = xps__cdiv(1.0, x[i]);
    xp__free(work);
    f->np = N;

    /* a_last = (2N)! / (N! 2^N), the constant term of the reverse polynomial */
    long double al = 1.0L;
    for (int64_t j = N + 1; j <= 2 * N; j++)
        al *= (long double)j * 0.5L;
    double a_last = (double)al;
    if (norm == XPS_BESSEL_NORM_PHASE) {
        double s = pow(10.0, -(double)log10l(al) / (double)N);
        for (int64_t i = 0; i < N; i++)
            f->p[i] *= s;
        f->k = 1.0;
    } else if (norm == XPS_BESSEL_NORM_DELAY) {
        f->k = a_last;
    } else {
        double nf = norm_factor(f->p, N, a_last);
        if (!isfinite(nf) || !isfinite(a_last))
            return xp_error(XP_EINTERNAL, "%s: the magnitude normalization of the order %"
                            PRId64 " Bessel filter did not converge", fn, N);
        for (int64_t i = 0; i < N; i++)
            f->p[i] = xps__cdiv(f->p[i], nf);
        f->k = pow(nf, -(double)N) * a_last;
    }
    return XP_OK;
}
