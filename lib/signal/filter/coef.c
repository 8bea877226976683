/* coef.c -- checking and uploading filter coefficients, the dtype the
 * filters work in (float64 or complex128, as SciPy), a small solver. */
#include <math.h>
#include <string.h>
#include "filter.h"

int xps__check_ba(const char *fn, const double *b, int64_t nb, const double *a, int64_t na)
{
    if (nb < 1)
        return xp_error(XP_EINVAL, "%s: b is empty (nb = %lld)", fn, (long long)nb);
    if (na < 1)
        return xp_error(XP_EINVAL, "%s: a is empty (na = %lld)", fn, (long long)na);
    if (!b || !a)
        return xp_error(XP_EINVAL, "%s: %s is NULL (%s = %lld)", fn, b ? "a" : "b",
                        b ? "na" : "nb", (long long)(b ? na : nb));
    for (int64_t i = 0; i < nb; i++)
        if (!isfinite(b[i]))
            return xp_error(XP_EINVAL, "%s: b[%lld] (%g) is not finite", fn, (long long)i, b[i]);
    for (int64_t i = 0; i < na; i++)
        if (!isfinite(a[i]))
            return xp_error(XP_EINVAL, "%s: a[%lld] (%g) is not finite", fn, (long long)i, a[i]);
    if (a[0] == 0)
        return xp_error(XP_EINVAL, "%s: a[0] (%g) must be nonzero", fn, a[0]);
    return XP_OK;
}

int xps__check_sos(const char *fn, const double *sos, int64_t nsec, int a0_one)
{
    if (nsec < 1)
        return xp_error(XP_EINVAL, "%s: sos has no sections (nsec %lld)", fn, (long long)nsec);
    if (!sos)
        return xp_error(XP_EINVAL, "%s: sos is NULL (nsec %lld)", fn, (long long)nsec);
    for (int64_t i = 0; i < 6 * nsec; i++)
        if (!isfinite(sos[i]))
            return xp_error(XP_EINVAL, "%s: sos[%lld][%lld] (%g) is not finite", fn,
                            (long long)(i / 6), (long long)(i % 6), sos[i]);
    for (int64_t s = 0; s < nsec; s++) {
        double a0 = sos[6 * s + 3];
        if (a0 == 0 || (a0_one && a0 != 1))
            return xp_error(XP_EINVAL, "%s: sos[%lld][3] (%.17g), a0 of section %lld, must be "
                            "%s", fn, (long long)s, a0, (long long)s,
                            a0_one ? "1 (SciPy: sos[:, 3] should be all ones)" : "nonzero");
    }
    return XP_OK;
}

int xps__upload_coef(const xp_provider *p, xp_dtype dtype, int ndim, const int64_t *shape,
                     const double *v, xp_array **out)
{
    xp_array *d = NULL;
    int rc = xp_array_from_host(p, XP_FLOAT64, ndim, shape, v, &d);
    *out = NULL;
    if (rc == XP_OK)
        rc = xp_array_astype(d, dtype, out);
    xp_array_free(d);
    return rc;
}

int xps__solve(const char *fn, int64_t n, double *A, double *rhs)
{
    for (int64_t k = 0; k < n; k++) {
        int64_t piv = k;
        for (int64_t i = k + 1; i < n; i++)
            if (fabs(A[i * n + k]) > fabs(A[piv * n + k]))
                piv = i;
        if (A[piv * n + k] == 0)
            return xp_error(XP_EINVAL, "%s: the filter's steady-state system is singular", fn);
        if (piv != k) {
            for (int64_t j = 0; j < n; j++) {
                double t = A[k * n + j];
                A[k * n + j] = A[piv * n + j];
                A[piv * n + j] = t;
            }
            double t = rhs[k];
            rhs[k] = rhs[piv];
            rhs[piv] = t;
        }
        for (int64_t i = k + 1; i < n; i++) {
            double f = A[i * n + k] / A[k * n + k];
            for (int64_t j = k; j < n; j++)
                A[i * n + j] -= f * A[k * n + j];
            rhs[i] -= f * rhs[k];
        }
    }
    for (int64_t k = n - 1; k >= 0; k--) {
        double s = rhs[k];
        for (int64_t j = k + 1; j < n; j++)
            s -= A[k * n + j] * rhs[j];
        rhs[k] = s / A[k * n + k];
    }
    return XP_OK;
}

xp_dtype xps__filter_dtype(xp_dtype x)
{
    return xp_dtype_is_complex(x) ? XP_COMPLEX128 : XP_FLOAT64;
}

int xps__filter_input(const xp_array *x, const xp_array **xw, xp_array **tmp)
{
    xp_dtype dt = xps__filter_dtype(xp_array_dtype(x));
    *tmp = NULL;
    *xw = x;
    if (xp_array_dtype(x) == dt)
        return XP_OK;
    int rc = xp_array_astype(x, dt, tmp);
    if (rc == XP_OK)
        *xw = *tmp;
    return rc;
}
