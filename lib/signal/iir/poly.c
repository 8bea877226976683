/*
 * poly.c -- polynomials as numpy holds them (coefficients highest power
 * first): from roots, to roots, products, and scipy.signal.normalize.
 * Roots are eigenvalues of the companion matrix, as numpy.roots computes
 * them; the eigenvalues come from LAPACK through the host provider's
 * helper, since lib/signal does not include LAPACK itself.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "iir.h"
#include "providers/host/host.h"

void xps__poly(const xps__cplx *r, int64_t n, xps__cplx *c)
{
    c[0] = 1.0;
    for (int64_t j = 0; j < n; j++) {
        xps__cplx m = -r[j];
        c[j + 1] = xps__cmul(c[j], m);
        for (int64_t i = j; i >= 1; i--)
            c[i] = c[i] + xps__cmul(c[i - 1], m);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int xps__conj_closed(const xps__cplx *r, int64_t n, double *tmp)
{
    double *im = tmp, *imc = tmp + n;
    for (int64_t i = 0; i < n; i++) {
        im[i] = cimag(r[i]);
        imc[i] = -cimag(r[i]);
    }
    qsort(im, (size_t)n, sizeof *im, cmp_double);
    qsort(imc, (size_t)n, sizeof *imc, cmp_double);
    for (int64_t i = 0; i < n; i++)
        if (im[i] != imc[i])
            return 0;
    return 1;
}

void xps__polymul(const double *a, int64_t na, const double *b, int64_t nb, double *c)
{
    for (int64_t i = 0; i < na + nb - 1; i++)
        c[i] = 0.0;
    for (int64_t i = 0; i < na; i++)
        for (int64_t j = 0; j < nb; j++)
            c[i + j] += a[i] * b[j];
}

int xps__roots(const char *fn, const double *c, int64_t n, xps__cplx *r, int64_t *nr)
{
    int64_t first = 0, last = n - 1;
    *nr = 0;
    while (first < n && c[first] == 0)
        first++;
    if (first == n)
        return XP_OK;           /* all zero: no roots, as numpy */
    while (c[last] == 0)
        last--;
    int64_t trailing = n - 1 - last;
    int64_t m = last - first;   /* degree of the stripped polynomial */
    if (m > 0) {
        size_t mm = (size_t)m * (size_t)m;
        double *A = xp__malloc((mm + 2 * (size_t)m) * sizeof *A);
        if (!A)
            return xp_error(XP_ENOMEM, "%s: out of memory for a degree %" PRId64
                            " companion matrix", fn, m);
        double *wr = A + mm, *wi = wr + m;
        memset(A, 0, mm * sizeof *A);
        for (int64_t j = 0; j < m; j++)
            A[j] = -c[first + 1 + j] / c[first];
        for (int64_t i = 1; i < m; i++)
            A[i * m + i - 1] = 1.0;
        int rc = xp__host_eigvals(m, A, wr, wi);
        if (rc) {
            xp__free(A);
            return xp_error(rc, "%s: the roots of a degree %" PRId64 " polynomial "
                            "did not converge", fn, m);
        }
        for (int64_t i = 0; i < m; i++)
            r[i] = CMPLX(wr[i], wi[i]);
        xp__free(A);
    }
    for (int64_t i = 0; i < trailing; i++)
        r[m + i] = 0.0;
    *nr = m + trailing;
    return XP_OK;
}

int xps__normalize(const char *fn, double **b, int64_t *nb, double **a, int64_t *na)
{
    double *den = *a, *num = *b;
    int64_t nd = *na, nn = *nb;
    while (nd > 0 && den[0] == 0) {
        den++;
        nd--;
    }
    if (nd == 0)
        return xp_error(XP_EINVAL, "%s: the denominator a has no nonzero coefficient", fn);
    if (nn < 1)
        return xp_error(XP_EINVAL, "%s: the numerator b is empty", fn);
    double d0 = den[0];
    for (int64_t i = 0; i < nn; i++)
        num[i] = num[i] / d0;
    for (int64_t i = 0; i < nd; i++)
        den[i] = den[i] / d0;
    /* SciPy drops leading numerator coefficients that are zero to 1e-14
     * (warning BadCoefficients), keeping at least one */
    int64_t lead = 0;
    while (lead < nn && fabs(num[lead]) <= 1e-14)
        lead++;
    if (lead == nn)
        lead--;
    *b = num + lead;
    *nb = nn - lead;
    *a = den;
    *na = nd;
    return XP_OK;
}
