/*
 * zi.c -- lfilter_zi and sosfilt_zi: the filter state that makes a step
 * input start in steady state, so filtfilt's ends carry no transient.
 */
#include <string.h>
#include "filter.h"

/* (I - companion(a)^T) zi = b[1:] - a[1:] b[0], with a normalized. */
int xps_lfilter_zi(const double *b, int64_t nb, const double *a, int64_t na, double *zi)
{
    int rc;
    if ((rc = xps__check_ba("lfilter_zi", b, nb, a, na)))
        return rc;
    int64_t n = nb > na ? nb : na, k = n - 1;
    if (k == 0)
        return XP_OK;
    if (!zi)
        return xp_error(XP_EINVAL, "lfilter_zi: zi is NULL");
    double *bb = xp__calloc((size_t)n, sizeof *bb), *aa = xp__calloc((size_t)n, sizeof *aa);
    double *M = xp__calloc((size_t)(k * k), sizeof *M), *rhs = xp__malloc((size_t)k * sizeof *rhs);
    if (!bb || !aa || !M || !rhs) {
        rc = xp_error(XP_ENOMEM, "lfilter_zi: out of memory");
        goto out;
    }
    for (int64_t i = 0; i < nb; i++)
        bb[i] = b[i] / a[0];
    for (int64_t i = 0; i < na; i++)
        aa[i] = a[i] / a[0];
    /* companion(a) has -a[1:] / a[0] in its first row and ones below the
     * diagonal; M = I - companion^T */
    for (int64_t i = 0; i < k; i++) {
        M[i * k + i] = 1.0;
        M[i * k + 0] += aa[i + 1];
        if (i + 1 < k)
            M[i * k + i + 1] -= 1.0;
        rhs[i] = bb[i + 1] - aa[i + 1] * bb[0];
    }
    if ((rc = xps__solve("lfilter_zi", k, M, rhs)) == XP_OK)
        memcpy(zi, rhs, (size_t)k * sizeof *zi);
out:
    xp__free(bb);
    xp__free(aa);
    xp__free(M);
    xp__free(rhs);
    return rc;
}

int xps_sosfilt_zi(const double *sos, int64_t nsec, double *zi)
{
    int rc;
    if ((rc = xps__check_sos("sosfilt_zi", sos, nsec, 0)))
        return rc;
    if (!zi)
        return xp_error(XP_EINVAL, "sosfilt_zi: zi is NULL");
    double scale = 1.0;
    for (int64_t s = 0; s < nsec; s++) {
        const double *b = sos + 6 * s, *a = b + 3;
        if ((rc = xps_lfilter_zi(b, 3, a, 3, zi + 2 * s)))
            return rc;
        zi[2 * s] *= scale;
        zi[2 * s + 1] *= scale;
        scale *= (b[0] + b[1] + b[2]) / (a[0] + a[1] + a[2]);
    }
    return XP_OK;
}
