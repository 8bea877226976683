/*
 * tridiag.c -- selected eigenpairs of a real symmetric tridiagonal matrix:
 * eigenvalues by bisection on Sturm sequence counts, eigenvectors by
 * inverse iteration on a pivoted LU factorization of T - lambda I, made
 * orthogonal to the vectors already found (the method of LAPACK's
 * dstebz + dstein, written here so the signal layer needs no LAPACK).
 */
#include <float.h>
#include <math.h>
#include <string.h>
#include "windows.h"

/* Inverse iteration runs in x87 extended precision where the platform has
 * it cheaply: the eigenvector error of a double solve, eps |T| / gap, is
 * large for dpss (|T| ~ M^2/4, gaps ~ 10), and 11 more bits make our
 * vectors those of the (double) matrix to well below SciPy's own error. */
#if LDBL_MANT_DIG == 64
typedef long double xreal;
#define XEPS LDBL_EPSILON
#define xfabs fabsl
#define xsqrt sqrtl
#else
typedef double xreal;
#define XEPS DBL_EPSILON
#define xfabs fabs
#define xsqrt sqrt
#endif

/* Number of eigenvalues of T below x. */
static int64_t sturm_count(int64_t n, const double *d, const double *e2,
                           double x, double pivmin)
{
    int64_t count = 0;
    double q = d[0] - x;
    if (fabs(q) < pivmin)
        q = -pivmin;
    count += q < 0;
    for (int64_t i = 1; i < n; i++) {
        q = d[i] - x - e2[i - 1] / q;
        if (fabs(q) < pivmin)
            q = -pivmin;
        count += q < 0;
    }
    return count;
}

/* The idx-th smallest eigenvalue (0-based) within [lo, hi]. */
static double bisect(int64_t n, const double *d, const double *e2,
                     int64_t idx, double lo, double hi, double pivmin)
{
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (hi - lo <= 2 * DBL_EPSILON * fmax(fabs(lo), fabs(hi)) + pivmin
            || mid <= lo || mid >= hi)
            break;
        if (sturm_count(n, d, e2, mid, pivmin) > idx)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}

/* Workspace of one inverse iteration: LU of T - lambda I with row
 * interchanges (as LAPACK's dgttrf): U has diagonals u0, u1, u2. */
typedef struct {
    xreal *l, *u0, *u1, *u2;
    unsigned char *swap;
} lu_t;

static void lu_factor(int64_t n, const double *d, const double *e,
                      xreal lambda, xreal tiny, lu_t *f)
{
    for (int64_t i = 0; i < n; i++) {
        f->u0[i] = d[i] - lambda;
        f->u1[i] = i < n - 1 ? e[i] : 0;
        f->u2[i] = 0;
        f->l[i] = i < n - 1 ? e[i] : 0;
    }
    for (int64_t i = 0; i < n - 1; i++) {
        if (xfabs(f->u0[i]) >= xfabs(f->l[i])) {
            f->swap[i] = 0;
            xreal m = f->u0[i] != 0 ? f->l[i] / f->u0[i] : 0;
            f->l[i] = m;
            f->u0[i + 1] -= m * f->u1[i];
        } else {
            f->swap[i] = 1;
            xreal m = f->u0[i] / f->l[i];
            f->u0[i] = f->l[i];
            f->l[i] = m;
            xreal t = f->u1[i];
            f->u1[i] = f->u0[i + 1];
            f->u0[i + 1] = t - m * f->u0[i + 1];
            if (i < n - 2) {
                f->u2[i] = f->u1[i + 1];
                f->u1[i + 1] = -m * f->u1[i + 1];
            }
        }
    }
    /* A shift on an eigenvalue makes U singular: nudge tiny pivots. */
    for (int64_t i = 0; i < n; i++)
        if (xfabs(f->u0[i]) < tiny)
            f->u0[i] = f->u0[i] < 0 ? -tiny : tiny;
}

static void lu_solve(int64_t n, const lu_t *f, xreal *x)
{
    for (int64_t i = 0; i < n - 1; i++) {
        if (f->swap[i]) {
            xreal t = x[i];
            x[i] = x[i + 1];
            x[i + 1] = t - f->l[i] * x[i];
        } else {
            x[i + 1] -= f->l[i] * x[i];
        }
    }
    for (int64_t i = n - 1; i >= 0; i--) {
        xreal s = x[i];
        if (i + 1 < n)
            s -= f->u1[i] * x[i + 1];
        if (i + 2 < n)
            s -= f->u2[i] * x[i + 2];
        x[i] = s / f->u0[i];
    }
}

static void normalize(int64_t n, xreal *x)
{
    xreal big = 0, s = 0;
    for (int64_t i = 0; i < n; i++)
        if (xfabs(x[i]) > big)
            big = xfabs(x[i]);
    if (big == 0)
        return;
    for (int64_t i = 0; i < n; i++) {
        x[i] /= big;
        s += x[i] * x[i];
    }
    s = xsqrt(s);
    for (int64_t i = 0; i < n; i++)
        x[i] /= s;
}

int xps__tridiag_top_eigen(int64_t n, const double *d, const double *e,
                           int64_t k, double *lam, double *vec)
{
    size_t nd = (size_t)n;
    double *e2 = xp__malloc(nd * sizeof(double));
    xreal *xb = xp__malloc(6 * nd * sizeof(xreal) + nd);
    if (!e2 || !xb) {
        xp__free(e2);
        xp__free(xb);
        return xp_error(XP_ENOMEM, "dpss: out of memory for the eigenproblem "
                        "(M = %lld)", (long long)n);
    }
    lu_t f = {xb, xb + nd, xb + 2 * nd, xb + 3 * nd, (unsigned char *)(xb + 6 * nd)};
    xreal *x = xb + 4 * nd, *prev = xb + 5 * nd;

    double lo = INFINITY, hi = -INFINITY, emax2 = 0, tnorm = 0;
    for (int64_t i = 0; i < n; i++) {
        double r = (i > 0 ? fabs(e[i - 1]) : 0) + (i < n - 1 ? fabs(e[i]) : 0);
        lo = fmin(lo, d[i] - r);
        hi = fmax(hi, d[i] + r);
        tnorm = fmax(tnorm, fabs(d[i]) + r);
        if (i < n - 1) {
            e2[i] = e[i] * e[i];
            emax2 = fmax(emax2, e2[i]);
        }
    }
    double pivmin = DBL_MIN * fmax(1.0, emax2);
    double pad = 2 * DBL_EPSILON * fmax(fabs(lo), fabs(hi)) + pivmin;
    lo -= pad;
    hi += pad;
    xreal tiny = XEPS * (xreal)fmax(tnorm, DBL_MIN);

    uint64_t seed = 0x2545F4914F6CDD1Dull;
    for (int64_t j = 0; j < k; j++) {
        double lj = bisect(n, d, e2, n - 1 - j, lo, hi, pivmin);
        double *v = vec + (size_t)j * nd;
        lam[j] = lj;
        if (n == 1) {
            v[0] = 1;
            continue;
        }
        lu_factor(n, d, e, lj, tiny, &f);
        for (int64_t i = 0; i < n; i++) {   /* a start with no symmetry */
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
            x[i] = (xreal)(seed >> 11) * 0x1.0p-53 * 2 - 1;
        }
        for (int it = 0; it < 8; it++) {
            memcpy(prev, x, nd * sizeof(xreal));
            lu_solve(n, &f, x);
            for (int64_t q = 0; q < j; q++) {   /* Gram-Schmidt */
                const double *u = vec + (size_t)q * nd;
                xreal dot = 0;
                for (int64_t i = 0; i < n; i++)
                    dot += u[i] * x[i];
                for (int64_t i = 0; i < n; i++)
                    x[i] -= dot * u[i];
            }
            normalize(n, x);
            xreal dot = 0, diff = 0;
            for (int64_t i = 0; i < n; i++)
                dot += x[i] * prev[i];
            for (int64_t i = 0; i < n; i++) {
                xreal dd = xfabs(x[i] - (dot < 0 ? -prev[i] : prev[i]));
                if (dd > diff)
                    diff = dd;
            }
            if (it >= 1 && diff < 4 * XEPS)
                break;
        }
        for (int64_t i = 0; i < n; i++)
            v[i] = (double)x[i];
    }
    xp__free(e2);
    xp__free(xb);
    return XP_OK;
}
