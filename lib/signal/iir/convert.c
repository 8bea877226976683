/*
 * convert.c -- conversions between SciPy's three filter forms (transfer
 * function, zeros-poles-gain, second-order sections) and the output step
 * every design function shares.
 */
#include <inttypes.h>
#include <string.h>
#include "iir.h"

/* Real coefficients out [n + 1] of the monic polynomial with roots r [n],
 * times g.  numpy keeps the real part when the roots are closed under
 * conjugation; we also accept roots that pair up to rounding. */
static int real_poly(const char *fn, const char *what, const xps__cplx *r, int64_t n,
                     double g, double *out, xps__cplx *c, double *tmp)
{
    xps__poly(r, n, c);
    if (!xps__conj_closed(r, n, tmp)) {
        double big = 0, im = 0;
        for (int64_t i = 0; i <= n; i++) {
            big = fmax(big, cabs(c[i]));
            im = fmax(im, fabs(cimag(c[i])));
        }
        if (!(im <= 1e-9 * big))
            return xp_error(XP_EINVAL, "%s: %s are not in complex conjugate pairs: the "
                            "coefficients would be complex", fn, what);
    }
    for (int64_t i = 0; i <= n; i++)
        out[i] = g * creal(c[i]);
    return XP_OK;
}

int xps__zpk2tf(const char *fn, const xps__zpk *f, double *b, double *a)
{
    int64_t n = (f->nz > f->np ? f->nz : f->np) + 1;
    void *w = xp__malloc((size_t)n * (sizeof(xps__cplx) + 2 * sizeof(double)));
    if (!w)
        return xp_error(XP_ENOMEM, "%s: out of memory for degree %" PRId64, fn, n - 1);
    xps__cplx *c = w;
    double *tmp = (double *)(c + n);
    int rc = real_poly(fn, "the zeros", f->z, f->nz, f->k, b, c, tmp);
    if (!rc)
        rc = real_poly(fn, "the poles", f->p, f->np, 1.0, a, c, tmp);
    xp__free(w);
    return rc;
}

int xps__emit(const char *fn, const xps__zpk *f, xps_output output, int analog,
              double *c1, int64_t *n1, double *c2, int64_t *n2, double *k)
{
    int rc = XP_OK;
    if (!c1 || !n1 || (output != XPS_OUTPUT_SOS && (!c2 || !n2)) ||
        (output == XPS_OUTPUT_ZPK && !k))
        return xp_error(XP_EINVAL, "%s: an output buffer or count for output %s is NULL",
                        fn, xps_output_name(output));
    switch (output) {
    case XPS_OUTPUT_BA:
        rc = xps__zpk2tf(fn, f, c1, c2);
        if (!rc) {
            *n1 = f->nz + 1;
            *n2 = f->np + 1;
        }
        break;
    case XPS_OUTPUT_ZPK:
        xps__cplx_store(f->z, f->nz, c1);
        xps__cplx_store(f->p, f->np, c2);
        *n1 = f->nz;
        *n2 = f->np;
        *k = f->k;
        break;
    case XPS_OUTPUT_SOS:
        rc = xps__zpk2sos(fn, f, XPS_PAIRING_DEFAULT, analog, c1, n1);
        break;
    default:
        rc = xp_error(XP_EINVAL, "%s: output (%d) must be ba, zpk or sos", fn, (int)output);
    }
    return rc;
}

/* ---- public conversions ------------------------------------------------ */

int xps_zpk2tf(const double *z, int64_t nz, const double *p, int64_t np, double k,
               double *b, double *a)
{
    xps__zpk f;
    if (!b || !a)
        return xp_error(XP_EINVAL, "zpk2tf: %s is NULL", b ? "a" : "b");
    int rc = xps__zpk_load("zpk2tf", z, nz, p, np, k, 0, &f);
    if (rc)
        return rc;
    rc = xps__zpk2tf("zpk2tf", &f, b, a);
    xps__zpk_free(&f);
    return rc;
}

int xps_zpk2sos(const double *z, int64_t nz, const double *p, int64_t np, double k,
                xps_pairing pairing, int analog, double *sos, int64_t *nsec)
{
    xps__zpk f;
    if (!sos || !nsec)
        return xp_error(XP_EINVAL, "zpk2sos: %s is NULL", sos ? "nsec" : "sos");
    int rc = xps__zpk_load("zpk2sos", z, nz, p, np, k, 0, &f);
    if (rc)
        return rc;
    rc = xps__zpk2sos("zpk2sos", &f, pairing, analog, sos, nsec);
    xps__zpk_free(&f);
    return rc;
}

/* tf2zpk into f (allocated here; free it): b [nb], a [na] are not changed. */
static int tf2zpk(const char *fn, const double *b, int64_t nb, const double *a,
                  int64_t na, xps__zpk *f)
{
    if (nb < 1 || na < 1 || !b || !a)
        return xp_error(XP_EINVAL, "%s: b (%" PRId64 " coefficients) and a (%" PRId64
                        ") must be non-empty", fn, nb, na);
    double *w = xp__malloc((size_t)(nb + na) * sizeof *w);
    if (!w)
        return xp_error(XP_ENOMEM, "%s: out of memory for %" PRId64 " coefficients", fn,
                        nb + na);
    memcpy(w, b, (size_t)nb * sizeof *w);
    memcpy(w + nb, a, (size_t)na * sizeof *w);
    double *bb = w, *aa = w + nb;
    int rc = xps__normalize(fn, &bb, &nb, &aa, &na);
    if (!rc)
        rc = xps__zpk_alloc(fn, (nb > na ? nb : na), f);
    if (rc) {
        xp__free(w);
        return rc;
    }
    double k = bb[0];
    for (int64_t i = 0; i < nb; i++)
        bb[i] = bb[i] / k;
    rc = nb >= 2 ? xps__roots(fn, bb, nb, f->z, &f->nz) : XP_OK;
    if (!rc)
        rc = na >= 2 ? xps__roots(fn, aa, na, f->p, &f->np) : XP_OK;
    f->k = k;
    xp__free(w);
    if (rc)
        xps__zpk_free(f);
    return rc;
}

int xps_tf2zpk(const double *b, int64_t nb, const double *a, int64_t na, double *z,
               int64_t *nz, double *p, int64_t *np, double *k)
{
    xps__zpk f;
    if (!z || !p || !k)
        return xp_error(XP_EINVAL, "tf2zpk: %s is NULL", !z ? "z" : !p ? "p" : "k");
    int rc = tf2zpk("tf2zpk", b, nb, a, na, &f);
    if (rc)
        return rc;
    xps__cplx_store(f.z, f.nz, z);
    xps__cplx_store(f.p, f.np, p);
    if (nz)
        *nz = f.nz;
    if (np)
        *np = f.np;
    *k = f.k;
    xps__zpk_free(&f);
    return XP_OK;
}

int xps_tf2sos(const double *b, int64_t nb, const double *a, int64_t na,
               xps_pairing pairing, int analog, double *sos, int64_t *nsec)
{
    xps__zpk f;
    if (!sos || !nsec)
        return xp_error(XP_EINVAL, "tf2sos: %s is NULL", sos ? "nsec" : "sos");
    int rc = tf2zpk("tf2sos", b, nb, a, na, &f);
    if (rc)
        return rc;
    rc = xps__zpk2sos("tf2sos", &f, pairing, analog, sos, nsec);
    xps__zpk_free(&f);
    return rc;
}

static int check_sos(const char *fn, const double *sos, int64_t nsec)
{
    if (nsec < 1 || !sos)
        return xp_error(XP_EINVAL, "%s: nsec (%" PRId64 ") must be >= 1", fn, nsec);
    return XP_OK;
}

/* c [n] without leading zeros; an all-zero c becomes [0] (numpy poly1d). */
static const double *trim_front(const double *c, int64_t *n)
{
    static const double zero = 0.0;
    while (*n > 0 && c[0] == 0) {
        c++;
        (*n)--;
    }
    if (*n == 0) {
        *n = 1;
        return &zero;
    }
    return c;
}

int xps_sos2tf(const double *sos, int64_t nsec, double *b, int64_t *nb, double *a,
               int64_t *na)
{
    int rc = check_sos("sos2tf", sos, nsec);
    if (rc)
        return rc;
    if (!b || !a || !nb || !na)
        return xp_error(XP_EINVAL, "sos2tf: an output is NULL");
    size_t len = 2 * (size_t)nsec + 1;
    double *w = xp__malloc(2 * len * sizeof *w);
    if (!w)
        return xp_error(XP_ENOMEM, "sos2tf: out of memory for %" PRId64 " sections", nsec);
    for (int part = 0; part < 2; part++) {
        double *acc = part ? a : b, *t = w;
        int64_t n = 1;
        acc[0] = 1.0;
        for (int64_t s = 0; s < nsec; s++) {
            int64_t n1 = n, n2 = 3;
            const double *c1 = trim_front(acc, &n1);
            const double *c2 = trim_front(sos + 6 * s + 3 * part, &n2);
            xps__polymul(c1, n1, c2, n2, t);
            n = n1 + n2 - 1;
            memcpy(acc, t, (size_t)n * sizeof *acc);
        }
        if (part)
            *na = n;
        else
            *nb = n;
    }
    xp__free(w);
    return XP_OK;
}

int xps_sos2zpk(const double *sos, int64_t nsec, double *z, double *p, double *k)
{
    int rc = check_sos("sos2zpk", sos, nsec);
    if (rc)
        return rc;
    if (!z || !p || !k)
        return xp_error(XP_EINVAL, "sos2zpk: %s is NULL", !z ? "z" : !p ? "p" : "k");
    memset(z, 0, 4 * (size_t)nsec * sizeof *z);
    memset(p, 0, 4 * (size_t)nsec * sizeof *p);
    double g = 1.0;
    for (int64_t s = 0; s < nsec; s++) {
        xps__zpk f;
        rc = tf2zpk("sos2zpk", sos + 6 * s, 3, sos + 6 * s + 3, 3, &f);
        if (rc)
            return rc;
        xps__cplx_store(f.z, f.nz, z + 4 * s);
        xps__cplx_store(f.p, f.np, p + 4 * s);
        g *= f.k;
        xps__zpk_free(&f);
    }
    *k = g;
    return XP_OK;
}
