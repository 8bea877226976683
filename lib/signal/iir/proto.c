/*
 * proto.c -- analog lowpass prototypes with cutoff 1 rad/s: Butterworth,
 * Chebyshev I and II, elliptic (Cauer).  Expressions keep SciPy's order of
 * operations so results agree to rounding.
 */
#include <inttypes.h>
#include "iir.h"

#define ELLIP_EPSILON 2e-16     /* SciPy's EPSILON for dropping sn = 0 */

static double pow10m1(double x)
{
    return expm1(M_LN10 * x);
}

/* Product of -v[i], i < n, in order. */
static xps__cplx prod_neg(const xps__cplx *v, int64_t n)
{
    xps__cplx acc = 1.0;
    for (int64_t i = 0; i < n; i++)
        acc = i ? xps__cmul(acc, -v[i]) : -v[i];
    return acc;
}

void xps__buttap(int64_t N, xps__zpk *f)
{
    double rscale = 1.0 / (2.0 * (double)N);
    for (int64_t i = 0; i < N; i++) {
        double m = (double)(-N + 1 + 2 * i);
        double theta = (M_PI * m) * rscale;
        f->p[i] = CMPLX(-cos(theta), -sin(theta));
    }
    f->nz = 0;
    f->np = N;
    f->k = 1.0;
}

void xps__cheb1ap(int64_t N, double rp, xps__zpk *f)
{
    f->nz = 0;
    f->np = N;
    if (N == 0) {
        f->k = pow(10.0, -rp / 20);
        return;
    }
    double eps = sqrt(pow(10.0, 0.1 * rp) - 1.0);
    double mu = 1.0 / (double)N * asinh(1 / eps);
    for (int64_t i = 0; i < N; i++) {
        double m = (double)(-N + 1 + 2 * i);
        double theta = M_PI * m / (double)(2 * N);
        f->p[i] = -csinh(CMPLX(mu, theta));
    }
    double k = creal(prod_neg(f->p, N));
    if (N % 2 == 0)
        k = k / sqrt(1 + eps * eps);
    f->k = k;
}

void xps__cheb2ap(int64_t N, double rs, xps__zpk *f)
{
    f->nz = f->np = 0;
    f->k = 1.0;
    if (N == 0)
        return;
    double de = 1.0 / sqrt(pow(10.0, 0.1 * rs) - 1);
    double mu = asinh(1.0 / de) / (double)N;
    /* zeros at i / sin(m pi / 2N), m odd-symmetric without 0 */
    int64_t nz = 0;
    for (int64_t m = -N + 1; m < N; m += 2) {
        if (m == 0)
            continue;
        double s = sin((double)m * M_PI / (double)(2 * N));
        f->z[nz++] = xps__cdiv(CMPLX(0.0, 1.0), s);
    }
    for (int64_t i = 0; i < N; i++) {
        double m = (double)(-N + 1 + 2 * i);
        double theta = M_PI * m / (double)(2 * N);
        f->p[i] = xps__cdiv(-1.0, csinh(CMPLX(mu, theta)));
    }
    f->nz = nz;
    f->np = N;
    f->k = creal(xps__cdiv(prod_neg(f->p, N), prod_neg(f->z, nz)));
}

int xps__ellipap(const char *fn, int64_t N, double rp, double rs, xps__zpk *f)
{
    f->nz = f->np = 0;
    if (N == 0) {
        f->k = pow(10.0, -rp / 20);
        return XP_OK;
    }
    if (N == 1) {
        double p = -sqrt(1.0 / pow10m1(0.1 * rp));
        f->p[0] = p;
        f->np = 1;
        f->k = -p;
        return XP_OK;
    }
    double eps_sq = pow10m1(0.1 * rp);
    double eps = sqrt(eps_sq);
    double ck1_sq = eps_sq / pow10m1(0.1 * rs);
    if (ck1_sq == 0)
        return xp_error(XP_EINVAL, "%s: cannot design a filter with rp (%g) and rs (%g)",
                        fn, rp, rs);
    double val0 = xps__ellipk(ck1_sq);
    double m = xps__ellipdeg(N, ck1_sq);
    double capk = xps__ellipk(m);
    double r = xps__arc_jac_sc1(1.0 / eps, ck1_sq);
    double v0 = capk * r / ((double)N * val0);
    double sv, cv, dv;
    xps__ellipj(v0, 1 - m, &sv, &cv, &dv);
    if (!isfinite(m) || !isfinite(capk) || !isfinite(v0) || !isfinite(sv))
        return xp_error(XP_EINVAL, "%s: cannot design an order %" PRId64 " elliptic filter "
                        "with rp (%g) and rs (%g)", fn, N, rp, rs);

    /* one of each conjugate pair first, as SciPy, then the conjugates */
    int64_t nz = 0, np = 0;
    double sqm = sqrt(m);
    for (int64_t j = 1 - N % 2; j < N; j += 2) {
        double s, c, d;
        xps__ellipj((double)j * capk / (double)N, m, &s, &c, &d);
        if (fabs(s) > ELLIP_EPSILON)
            f->z[nz++] = CMPLX(0.0, 1.0 / (sqm * s));
        double dsv = d * sv;
        f->p[np++] = xps__cdiv(-CMPLX(c * d * sv * cv, s * dv), 1 - dsv * dsv);
    }
    for (int64_t i = 0, n = nz; i < n; i++)
        f->z[nz++] = conj(f->z[i]);
    if (N % 2) {
        double ss = 0;
        for (int64_t i = 0; i < np; i++)
            ss += creal(f->p[i]) * creal(f->p[i]) + cimag(f->p[i]) * cimag(f->p[i]);
        double tol = ELLIP_EPSILON * sqrt(ss);
        for (int64_t i = 0, n = np; i < n; i++)
            if (fabs(cimag(f->p[i])) > tol)
                f->p[np++] = conj(f->p[i]);
    } else {
        for (int64_t i = 0, n = np; i < n; i++)
            f->p[np++] = conj(f->p[i]);
    }
    f->nz = nz;
    f->np = np;
    double k = creal(xps__cdiv(prod_neg(f->p, np), prod_neg(f->z, nz)));
    if (N % 2 == 0)
        k = k / sqrt(1 + eps_sq);
    f->k = k;
    return XP_OK;
}

/* ---- public entry points ---------------------------------------------- */

static int store(const xps__zpk *f, double *z, int64_t *nz, double *p, int64_t *np,
                 double *k)
{
    xps__cplx_store(f->z, f->nz, z);
    xps__cplx_store(f->p, f->np, p);
    if (nz)
        *nz = f->nz;
    if (np)
        *np = f->np;
    if (k)
        *k = f->k;
    return XP_OK;
}

static int check_db(const char *fn, const char *what, double v)
{
    if (!(v > 0) || !isfinite(v))
        return xp_error(XP_EINVAL, "%s: %s (%g) must be a positive number of dB", fn, what, v);
    return XP_OK;
}

static int check_out(const char *fn, double *z, double *p)
{
    if (!z || !p)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, z ? "p" : "z");
    return XP_OK;
}

int xps_buttap(int64_t N, double *z, int64_t *nz, double *p, int64_t *np, double *k)
{
    xps__zpk f;
    int rc = xps__check_order("buttap", N, 0);
    if (!rc)
        rc = check_out("buttap", z, p);
    if (!rc)
        rc = xps__zpk_alloc("buttap", N, &f);
    if (rc)
        return rc;
    xps__buttap(N, &f);
    store(&f, z, nz, p, np, k);
    xps__zpk_free(&f);
    return XP_OK;
}

int xps_cheb1ap(int64_t N, double rp, double *z, int64_t *nz, double *p, int64_t *np,
                double *k)
{
    xps__zpk f;
    int rc = xps__check_order("cheb1ap", N, 0);
    if (!rc)
        rc = check_db("cheb1ap", "rp", rp);
    if (!rc)
        rc = check_out("cheb1ap", z, p);
    if (!rc)
        rc = xps__zpk_alloc("cheb1ap", N, &f);
    if (rc)
        return rc;
    xps__cheb1ap(N, rp, &f);
    store(&f, z, nz, p, np, k);
    xps__zpk_free(&f);
    return XP_OK;
}

int xps_cheb2ap(int64_t N, double rs, double *z, int64_t *nz, double *p, int64_t *np,
                double *k)
{
    xps__zpk f;
    int rc = xps__check_order("cheb2ap", N, 0);
    if (!rc)
        rc = check_db("cheb2ap", "rs", rs);
    if (!rc)
        rc = check_out("cheb2ap", z, p);
    if (!rc)
        rc = xps__zpk_alloc("cheb2ap", N, &f);
    if (rc)
        return rc;
    xps__cheb2ap(N, rs, &f);
    store(&f, z, nz, p, np, k);
    xps__zpk_free(&f);
    return XP_OK;
}

int xps_ellipap(int64_t N, double rp, double rs, double *z, int64_t *nz, double *p,
                int64_t *np, double *k)
{
    xps__zpk f;
    int rc = xps__check_order("ellipap", N, 0);
    if (!rc)
        rc = check_db("ellipap", "rp", rp);
    if (!rc)
        rc = check_db("ellipap", "rs", rs);
    if (!rc)
        rc = check_out("ellipap", z, p);
    if (!rc)
        rc = xps__zpk_alloc("ellipap", N, &f);
    if (rc)
        return rc;
    rc = xps__ellipap("ellipap", N, rp, rs, &f);
    if (!rc)
        store(&f, z, nz, p, np, k);
    xps__zpk_free(&f);
    return rc;
}

int xps_besselap(int64_t N, xps_bessel_norm norm, double *z, int64_t *nz, double *p,
                 int64_t *np, double *k)
{
    xps__zpk f;
    int rc = xps__check_order("besselap", N, 0);
    if (!rc && (norm < XPS_BESSEL_NORM_PHASE || norm > XPS_BESSEL_NORM_MAG))
        rc = xp_error(XP_EINVAL, "besselap: norm (%d) must be phase, delay or mag", (int)norm);
    if (!rc)
        rc = check_out("besselap", z, p);
    if (!rc)
        rc = xps__zpk_alloc("besselap", N, &f);
    if (rc)
        return rc;
    rc = xps__besselap("besselap", N, norm, &f);
    if (!rc)
        store(&f, z, nz, p, np, k);
    xps__zpk_free(&f);
    return rc;
}
