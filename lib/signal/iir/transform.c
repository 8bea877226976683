/*
 * transform.c -- frequency transformations of zeros, poles and gain
 * (lowpass prototype to lowpass, highpass, bandpass, bandstop at wo) and
 * the bilinear transform, on zpk and on transfer functions.
 */
#include <inttypes.h>
#include <string.h>
#include "iir.h"

int xps__relative_degree(const char *fn, const xps__zpk *in)
{
    if (in->np < in->nz)
        return xp_error(XP_EINVAL, "%s: improper transfer function: %" PRId64 " zeros "
                        "but %" PRId64 " poles (need at least as many poles as zeros)",
                        fn, in->nz, in->np);
    return XP_OK;
}

static xps__cplx prod_of(const xps__cplx *v, int64_t n, xps__cplx shift, double sign)
{
    xps__cplx acc = 1.0;
    for (int64_t i = 0; i < n; i++) {
        xps__cplx t = shift + sign * v[i];
        acc = i ? xps__cmul(acc, t) : t;
    }
    return acc;
}

/* Real part of prod(shift + sign z) / prod(shift + sign p): as SciPy
 * (two products, one division) unless a product overflows (high orders),
 * then factor by factor. */
static double gain_ratio(const xps__zpk *f, xps__cplx shift, double sign)
{
    double g = creal(xps__cdiv(prod_of(f->z, f->nz, shift, sign),
                               prod_of(f->p, f->np, shift, sign)));
    if (isfinite(g))
        return g;
    xps__cplx acc = 1.0;
    for (int64_t i = 0; i < f->nz || i < f->np; i++) {
        if (i < f->nz)
            acc = xps__cmul(acc, shift + sign * f->z[i]);
        if (i < f->np)
            acc = xps__cdiv(acc, shift + sign * f->p[i]);
    }
    return creal(acc);
}

/* v * m / d as numpy computes it on a complex array: the real scalars
 * become complex (m + 0j) first, so the zeros' signs (which pick the branch
 * of the square roots in lp2bp and lp2bs, hence the roots' order) are
 * numpy's: (-0 - 2j) * 1 is +0 - 2j there, -0 - 2j in C. */
static xps__cplx scale(xps__cplx v, double m, double d)
{
    xps__cplx r = xps__cmul(v, CMPLX(m, 0.0));
    return d == 1 ? r : xps__cdiv(r, CMPLX(d, 0.0));
}

void xps__lp2lp(const xps__zpk *in, double wo, xps__zpk *out)
{
    int64_t degree = in->np - in->nz;
    for (int64_t i = 0; i < in->nz; i++)
        out->z[i] = scale(in->z[i], wo, 1);
    for (int64_t i = 0; i < in->np; i++)
        out->p[i] = scale(in->p[i], wo, 1);
    out->nz = in->nz;
    out->np = in->np;
    out->k = in->k * pow(wo, (double)degree);
}

void xps__lp2hp(const xps__zpk *in, double wo, xps__zpk *out)
{
    int64_t degree = in->np - in->nz;
    for (int64_t i = 0; i < in->nz; i++)
        out->z[i] = xps__cdiv(wo, in->z[i]);
    for (int64_t i = 0; i < in->np; i++)
        out->p[i] = xps__cdiv(wo, in->p[i]);
    for (int64_t i = 0; i < degree; i++)
        out->z[in->nz + i] = 0.0;
    out->nz = in->np;
    out->np = in->np;
    out->k = in->k * gain_ratio(in, 0.0, -1.0);
}

/* Each v becomes the two roots of s^2 - 2 v s + wo^2 = 0: v +- sqrt(v^2 - wo^2). */
static void split(const xps__cplx *v, int64_t n, double wo, xps__cplx *out)
{
    for (int64_t i = 0; i < n; i++) {
        xps__cplx vi = v[i];        /* v may be out */
        xps__cplx sq = csqrt(xps__cmul(vi, vi) - wo * wo);
        out[i] = vi + sq;
        out[n + i] = vi - sq;
    }
}

void xps__lp2bp(const xps__zpk *in, double wo, double bw, xps__zpk *out)
{
    int64_t degree = in->np - in->nz;
    int64_t nz = in->nz, np = in->np;
    for (int64_t i = 0; i < nz; i++)
        out->z[i] = scale(in->z[i], bw, 2);
    split(out->z, nz, wo, out->z);
    for (int64_t i = 0; i < np; i++)
        out->p[i] = scale(in->p[i], bw, 2);
    split(out->p, np, wo, out->p);
    for (int64_t i = 0; i < degree; i++)
        out->z[2 * nz + i] = 0.0;
    out->nz = 2 * nz + degree;
    out->np = 2 * np;
    out->k = in->k * pow(bw, (double)degree);
}

void xps__lp2bs(const xps__zpk *in, double wo, double bw, xps__zpk *out)
{
    int64_t degree = in->np - in->nz;
    int64_t nz = in->nz, np = in->np;
    double half = bw / 2;
    for (int64_t i = 0; i < nz; i++)
        out->z[i] = xps__cdiv(half, in->z[i]);
    split(out->z, nz, wo, out->z);
    for (int64_t i = 0; i < np; i++)
        out->p[i] = xps__cdiv(half, in->p[i]);
    split(out->p, np, wo, out->p);
    for (int64_t i = 0; i < degree; i++) {
        out->z[2 * nz + i] = CMPLX(0.0, wo);
        out->z[2 * nz + degree + i] = CMPLX(0.0, -wo);
    }
    out->nz = 2 * nz + 2 * degree;
    out->np = 2 * np;
    out->k = in->k * gain_ratio(in, 0.0, -1.0);
}

/* r + sign v with r taken as r + 0j, as numpy: the imaginary part is
 * 0 + im (or 0 - im), never -0 as C's real-plus-complex keeps it. */
static xps__cplx shifted(double r, xps__cplx v, double sign)
{
    return sign > 0 ? CMPLX(r + creal(v), 0.0 + cimag(v))
                    : CMPLX(r - creal(v), 0.0 - cimag(v));
}

void xps__bilinear(const xps__zpk *in, double fs, xps__zpk *out)
{
    int64_t degree = in->np - in->nz;
    double fs2 = 2.0 * fs;
    for (int64_t i = 0; i < in->nz; i++)
        out->z[i] = xps__cdiv(shifted(fs2, in->z[i], 1), shifted(fs2, in->z[i], -1));
    for (int64_t i = 0; i < in->np; i++)
        out->p[i] = xps__cdiv(shifted(fs2, in->p[i], 1), shifted(fs2, in->p[i], -1));
    for (int64_t i = 0; i < degree; i++)
        out->z[in->nz + i] = -1.0;
    out->nz = in->np;
    out->np = in->np;
    out->k = in->k * gain_ratio(in, fs2, -1.0);
}

/* ---- public zpk transforms -------------------------------------------- */

static int check_pos(const char *fn, const char *what, double v)
{
    if (!(v > 0) || !isfinite(v))
        return xp_error(XP_EINVAL, "%s: %s (%g) must be a positive finite number", fn, what, v);
    return XP_OK;
}

/* Load, transform into a second zpk of capacity cap, store. */
typedef enum { T_LP, T_HP, T_BP, T_BS, T_BILINEAR } tkind;

static int run(const char *fn, tkind kind, const double *z, int64_t nz, const double *p,
               int64_t np, double k, double a1, double a2, double *zo, int64_t *nzo,
               double *po, int64_t *npo, double *ko)
{
    xps__zpk in, out;
    int rc = xps__zpk_load(fn, z, nz, p, np, k, 0, &in);
    if (rc)
        return rc;
    rc = xps__relative_degree(fn, &in);
    if (!rc && (!zo || !po || !ko))
        rc = xp_error(XP_EINVAL, "%s: %s is NULL", fn, !zo ? "zo" : !po ? "po" : "ko");
    if (!rc)
        rc = xps__zpk_alloc(fn, 2 * np, &out);
    if (rc) {
        xps__zpk_free(&in);
        return rc;
    }
    switch (kind) {
    case T_LP: xps__lp2lp(&in, a1, &out); break;
    case T_HP: xps__lp2hp(&in, a1, &out); break;
    case T_BP: xps__lp2bp(&in, a1, a2, &out); break;
    case T_BS: xps__lp2bs(&in, a1, a2, &out); break;
    case T_BILINEAR: xps__bilinear(&in, a1, &out); break;
    }
    xps__cplx_store(out.z, out.nz, zo);
    xps__cplx_store(out.p, out.np, po);
    if (nzo)
        *nzo = out.nz;
    if (npo)
        *npo = out.np;
    *ko = out.k;
    xps__zpk_free(&out);
    xps__zpk_free(&in);
    return XP_OK;
}

int xps_lp2lp_zpk(const double *z, int64_t nz, const double *p, int64_t np, double k,
                  double wo, double *zo, int64_t *nzo, double *po, int64_t *npo, double *ko)
{
    int rc = check_pos("lp2lp_zpk", "wo", wo);
    return rc ? rc : run("lp2lp_zpk", T_LP, z, nz, p, np, k, wo, 0, zo, nzo, po, npo, ko);
}

int xps_lp2hp_zpk(const double *z, int64_t nz, const double *p, int64_t np, double k,
                  double wo, double *zo, int64_t *nzo, double *po, int64_t *npo, double *ko)
{
    int rc = check_pos("lp2hp_zpk", "wo", wo);
    return rc ? rc : run("lp2hp_zpk", T_HP, z, nz, p, np, k, wo, 0, zo, nzo, po, npo, ko);
}

int xps_lp2bp_zpk(const double *z, int64_t nz, const double *p, int64_t np, double k,
                  double wo, double bw, double *zo, int64_t *nzo, double *po,
                  int64_t *npo, double *ko)
{
    int rc = check_pos("lp2bp_zpk", "wo", wo);
    if (!rc)
        rc = check_pos("lp2bp_zpk", "bw", bw);
    return rc ? rc : run("lp2bp_zpk", T_BP, z, nz, p, np, k, wo, bw, zo, nzo, po, npo, ko);
}

int xps_lp2bs_zpk(const double *z, int64_t nz, const double *p, int64_t np, double k,
                  double wo, double bw, double *zo, int64_t *nzo, double *po,
                  int64_t *npo, double *ko)
{
    int rc = check_pos("lp2bs_zpk", "wo", wo);
    if (!rc)
        rc = check_pos("lp2bs_zpk", "bw", bw);
    return rc ? rc : run("lp2bs_zpk", T_BS, z, nz, p, np, k, wo, bw, zo, nzo, po, npo, ko);
}

int xps_bilinear_zpk(const double *z, int64_t nz, const double *p, int64_t np, double k,
                     double fs, double *zd, int64_t *nzd, double *pd, int64_t *npd,
                     double *kd)
{
    int rc = check_pos("bilinear_zpk", "fs", fs);
    return rc ? rc : run("bilinear_zpk", T_BILINEAR, z, nz, p, np, k, fs, 0, zd, nzd, pd,
                         npd, kd);
}

/* ---- bilinear on a transfer function ----------------------------------- *
 * With N = max(len a, len b) - 1, a coefficient c_q of s^q becomes
 * c_q ((z + 1)/f)^(N - q) ((z - 1) f)^q, f = sqrt(2 fs); polynomials are
 * built lowest power first, as numpy.polynomial does, then reversed. */

/* c [n] lowest first: drop exactly-zero highest coefficients (keep one). */
static int64_t trimseq(const double *c, int64_t n)
{
    while (n > 1 && c[n - 1] == 0)
        n--;
    return n;
}

/* out = base^e for a degree-1 base (lowest power first), multiplying one
 * factor at a time as numpy's Polynomial power does; tmp as large as out. */
static int64_t polypow1(const double *base, int64_t e, double *out, double *tmp)
{
    int64_t n = 1;
    out[0] = 1.0;
    if (e >= 1) {
        out[0] = base[0];
        out[1] = base[1];
        n = 2;
    }
    for (int64_t i = 2; i <= e; i++) {
        xps__polymul(out, n, base, 2, tmp);
        n = trimseq(tmp, n + 1);
        memcpy(out, tmp, (size_t)n * sizeof *out);
    }
    return n;
}

/* acc [N + 1] = sum_q c_q zp1^(N - q) zm1^q over c [nc] (highest first);
 * w: 4 scratch vectors of N + 2 doubles. */
static int64_t tf_bilinear(const double *c, int64_t nc, int64_t N, double fac,
                           double *acc, double *w)
{
    const double zp1[2] = {1 / fac, 1 / fac}, zm1[2] = {-fac, fac};
    double *t1 = w, *t2 = w + (N + 2), *zq = w + 2 * (N + 2), *tmp = w + 3 * (N + 2);
    int64_t nacc = 1;
    acc[0] = 0.0;
    for (int64_t q = 0; q < nc; q++) {
        double cq = c[nc - 1 - q];
        int64_t n1 = polypow1(zp1, N - q, t1, tmp);
        for (int64_t i = 0; i < n1; i++)
            t1[i] = cq * t1[i];
        n1 = trimseq(t1, n1);
        if (q >= 1) {
            int64_t n2 = polypow1(zm1, q, zq, tmp);
            xps__polymul(t1, n1, zq, n2, t2);
            n1 = trimseq(t2, n1 + n2 - 1);
            memcpy(t1, t2, (size_t)n1 * sizeof *t1);
        }
        int64_t nmax = nacc > n1 ? nacc : n1;
        for (int64_t i = nacc; i < nmax; i++)
            acc[i] = 0.0;
        for (int64_t i = 0; i < n1; i++)
            acc[i] = acc[i] + t1[i];
        nacc = trimseq(acc, nmax);
    }
    return nacc;
}

int xps_bilinear(const double *b, int64_t nb, const double *a, int64_t na, double fs,
                 double *bz, int64_t *nbz, double *az, int64_t *naz)
{
    const char *fn = "bilinear";
    int rc = check_pos(fn, "fs", fs);
    if (rc)
        return rc;
    if (nb < 1 || na < 1 || !b || !a)
        return xp_error(XP_EINVAL, "%s: b (%" PRId64 " coefficients) and a (%" PRId64
                        ") must be non-empty", fn, nb, na);
    if (!bz || !az)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, bz ? "az" : "bz");
    /* leading zeros go first (numpy trim_zeros 'f') */
    while (nb > 0 && b[0] == 0) {
        b++;
        nb--;
    }
    while (na > 0 && a[0] == 0) {
        a++;
        na--;
    }
    if (na == 0)
        return xp_error(XP_EINVAL, "%s: the denominator a has no nonzero coefficient", fn);
    int64_t N = (na > nb ? na : nb) - 1;
    double fac = sqrt(fs * 2);
    /* num, den, rb, ra and 4 scratch vectors, N + 2 doubles each */
    size_t len = (size_t)(N + 2);
    double *w = xp__malloc(8 * len * sizeof *w);
    if (!w)
        return xp_error(XP_ENOMEM, "%s: out of memory for order %" PRId64, fn, N);
    double *num = w, *den = w + len, *rb = w + 2 * len, *ra = w + 3 * len;
    int64_t nn = 1;
    num[0] = 0.0;
    if (nb)
        nn = tf_bilinear(b, nb, N, fac, num, w + 4 * len);
    int64_t nd = tf_bilinear(a, na, N, fac, den, w + 4 * len);
    /* highest power first */
    for (int64_t i = 0; i < nn; i++)
        rb[i] = num[nn - 1 - i];
    for (int64_t i = 0; i < nd; i++)
        ra[i] = den[nd - 1 - i];
    double *pb = rb, *pa = ra;
    rc = xps__normalize(fn, &pb, &nn, &pa, &nd);
    if (!rc) {
        memcpy(bz, pb, (size_t)nn * sizeof *bz);
        memcpy(az, pa, (size_t)nd * sizeof *az);
        if (nbz)
            *nbz = nn;
        if (naz)
            *naz = nd;
    }
    xp__free(w);
    return rc;
}
