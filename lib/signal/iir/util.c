/*
 * util.c -- complex work arrays for the IIR design code and the checks
 * every entry point shares.
 */
#include <inttypes.h>
#include <string.h>
#include "iir.h"

int xps__zpk_alloc(const char *fn, int64_t cap, xps__zpk *f)
{
    memset(f, 0, sizeof *f);
    if (cap < 1)
        cap = 1;
    if (cap > INT64_MAX / (int64_t)(2 * sizeof(xps__cplx)))
        return xp_error(XP_ENOMEM, "%s: %" PRId64 " zeros and poles are too many", fn, cap);
    f->z = xp__malloc((size_t)cap * 2 * sizeof(xps__cplx));
    if (!f->z)
        return xp_error(XP_ENOMEM, "%s: out of memory for %" PRId64 " zeros and poles",
                        fn, cap);
    f->p = f->z + cap;
    f->cap = cap;
    f->k = 1.0;
    return XP_OK;
}

void xps__zpk_free(xps__zpk *f)
{
    if (f) {
        xp__free(f->z);
        memset(f, 0, sizeof *f);
    }
}

int xps__zpk_load(const char *fn, const double *z, int64_t nz, const double *p,
                  int64_t np, double k, int64_t cap, xps__zpk *f)
{
    if (nz < 0 || np < 0)
        return xp_error(XP_EINVAL, "%s: counts of zeros (%" PRId64 ") and poles (%" PRId64
                        ") must be >= 0", fn, nz, np);
    if ((nz && !z) || (np && !p))
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, (nz && !z) ? "z" : "p");
    int64_t need = nz > np ? nz : np;
    int rc = xps__zpk_alloc(fn, cap > need ? cap : need, f);
    if (rc)
        return rc;
    for (int64_t i = 0; i < nz; i++)
        f->z[i] = CMPLX(z[2 * i], z[2 * i + 1]);
    for (int64_t i = 0; i < np; i++)
        f->p[i] = CMPLX(p[2 * i], p[2 * i + 1]);
    f->nz = nz;
    f->np = np;
    f->k = k;
    return XP_OK;
}

void xps__cplx_store(const xps__cplx *v, int64_t n, double *out)
{
    if (!out)
        return;
    for (int64_t i = 0; i < n; i++) {
        out[2 * i] = creal(v[i]);
        out[2 * i + 1] = cimag(v[i]);
    }
}

int xps__check_order(const char *fn, int64_t N, int64_t min)
{
    if (N < min)
        return xp_error(XP_EINVAL, "%s: order N (%" PRId64 ") must be >= %" PRId64,
                        fn, N, min);
    /* far beyond any filter double precision can hold, and keeps sizes sane */
    if (N > 100000)
        return xp_error(XP_EINVAL, "%s: order N (%" PRId64 ") must be <= 100000", fn, N);
    return XP_OK;
}

int64_t xps_iir_buflen(int64_t N)
{
    return N < 0 ? 6 : XPS_IIR_BUFLEN(N);
}
