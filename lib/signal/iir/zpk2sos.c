/*
 * zpk2sos.c -- zeros, poles and gain to second-order sections, with
 * SciPy's pairings.  Conjugate pairs are first reduced to one member
 * (imaginary part > 0) and real values kept apart; then sections are
 * filled from the last to the first, each taking the pole closest to the
 * unit circle (digital) or to the imaginary axis (analog) with the zeros
 * nearest to it, so that the last sections hold the sharpest resonances.
 */
#include <inttypes.h>
#include <string.h>
#include "iir.h"

#define CPLX_TOL (100 * 2.220446049250313e-16)

/* Stable sort of v [n] by (real, |imag|) (numpy.lexsort). */
static void sort_re_absim(xps__cplx *v, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        xps__cplx x = v[i];
        int64_t j = i;
        while (j > 0 && (creal(v[j - 1]) > creal(x) ||
                         (creal(v[j - 1]) == creal(x) && fabs(cimag(v[j - 1])) > fabs(cimag(x))))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Stable sort of v [n] by |imag|. */
static void sort_absim(xps__cplx *v, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        xps__cplx x = v[i];
        int64_t j = i;
        while (j > 0 && fabs(cimag(v[j - 1])) > fabs(cimag(x))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* SciPy's _cplxreal then concatenated: v [n] becomes the conjugate pairs'
 * members with positive imaginary part (sorted by real part), then the
 * real values (sorted); *nout the new count.  tmp [n]. */
static int cplxreal(const char *fn, const char *what, xps__cplx *v, int64_t n,
                    int64_t *nout, xps__cplx *tmp)
{
    sort_re_absim(v, n);
    int64_t nr = 0, npos = 0, nneg = 0;
    /* tmp: positive-imaginary members first, then negative, from the end */
    for (int64_t i = 0; i < n; i++) {
        if (fabs(cimag(v[i])) <= CPLX_TOL * xps__np_abs(v[i]))
            continue;
        if (cimag(v[i]) > 0)
            tmp[npos++] = v[i];
        else
            nneg++;
    }
    if (npos != nneg)
        return xp_error(XP_EINVAL, "%s: %s has a complex value with no matching conjugate",
                        fn, what);
    xps__cplx *zp = tmp, *zn = tmp + npos;
    int64_t in = 0;
    for (int64_t i = 0; i < n; i++)
        if (!(fabs(cimag(v[i])) <= CPLX_TOL * xps__np_abs(v[i])) && cimag(v[i]) < 0)
            zn[in++] = v[i];
    /* runs of equal real part are ordered by |imag| in both halves */
    int64_t i = 0;
    while (i < npos) {
        int64_t j = i;
        while (j + 1 < npos && creal(zp[j + 1]) - creal(zp[j]) <= CPLX_TOL * xps__np_abs(zp[j]))
            j++;
        if (j > i) {
            sort_absim(zp + i, j - i + 1);
            sort_absim(zn + i, j - i + 1);
        }
        i = j + 1;
    }
    for (int64_t q = 0; q < npos; q++)
        if (xps__np_abs(zp[q] - conj(zn[q])) > CPLX_TOL * xps__np_abs(zn[q]))
            return xp_error(XP_EINVAL, "%s: %s has a complex value with no matching "
                            "conjugate", fn, what);
    /* reals, in their sorted order, go after the pairs */
    xps__cplx *reals = v;       /* compacting in place is safe: nr <= i */
    for (int64_t q = 0; q < n; q++)
        if (fabs(cimag(v[q])) <= CPLX_TOL * xps__np_abs(v[q]))
            reals[nr++] = creal(v[q]);
    memmove(v + npos, reals, (size_t)nr * sizeof *v);
    for (int64_t q = 0; q < npos; q++)
        v[q] = xps__cdiv(zp[q] + conj(zn[q]), 2.0);
    *nout = npos + nr;
    return XP_OK;
}

static int is_real(xps__cplx x)
{
    return cimag(x) == 0;
}

static void del(xps__cplx *v, int64_t *n, int64_t i)
{
    memmove(v + i, v + i + 1, (size_t)(*n - i - 1) * sizeof *v);
    (*n)--;
}

/* Index of the pole to place next, among v [n] with mask (NULL: all). */
static int64_t idx_worst(const xps__cplx *v, int64_t n, int analog, int only_real)
{
    int64_t best = -1;
    double bd = 0;
    for (int64_t i = 0; i < n; i++) {
        if (only_real && !is_real(v[i]))
            continue;
        double d = analog ? fabs(creal(v[i])) : fabs(1 - xps__np_abs(v[i]));
        if (best < 0 || d < bd) {
            best = i;
            bd = d;
        }
    }
    return best;
}

/* Nearest element of v [n] to x that is real (which 1), complex (2) or
 * any (0); -1 if none.  First one on ties (a stable argsort). */
static int64_t nearest(const xps__cplx *v, int64_t n, xps__cplx x, int which)
{
    int64_t best = -1;
    double bd = 0;
    for (int64_t i = 0; i < n; i++) {
        if ((which == 1 && !is_real(v[i])) || (which == 2 && is_real(v[i])))
            continue;
        double d = xps__np_abs(v[i] - x);
        if (best < 0 || d < bd) {
            best = i;
            bd = d;
        }
    }
    return best;
}

static int64_t count_real(const xps__cplx *v, int64_t n)
{
    int64_t c = 0;
    for (int64_t i = 0; i < n; i++)
        c += is_real(v[i]);
    return c;
}

/* One section from up to two zeros and poles (conjugate pairs or reals,
 * so the coefficients are real); gain 1, right-aligned as SciPy's. */
static void section(const xps__cplx *z, int nz, const xps__cplx *p, int np, double *row)
{
    xps__cplx c[3];
    memset(row, 0, 6 * sizeof *row);
    xps__poly(z, nz, c);
    for (int i = 0; i <= nz; i++)
        row[3 - (nz + 1) + i] = creal(c[i]);
    xps__poly(p, np, c);
    for (int i = 0; i <= np; i++)
        row[6 - (np + 1) + i] = creal(c[i]);
}

int xps__zpk2sos(const char *fn, const xps__zpk *f, xps_pairing pairing, int analog,
                 double *sos, int64_t *nsec)
{
    if (pairing == XPS_PAIRING_DEFAULT)
        pairing = analog ? XPS_PAIRING_MINIMAL : XPS_PAIRING_NEAREST;
    if (pairing < XPS_PAIRING_NEAREST || pairing > XPS_PAIRING_MINIMAL)
        return xp_error(XP_EINVAL, "%s: pairing (%d) must be nearest, keep_odd or minimal",
                        fn, (int)pairing);
    if (analog && pairing != XPS_PAIRING_MINIMAL)
        return xp_error(XP_EINVAL, "%s: analog conversion needs pairing minimal", fn);
    if (!isfinite(f->k))
        return xp_error(XP_EINVAL, "%s: k (%g) must be finite", fn, f->k);
    if (f->nz == 0 && f->np == 0) {
        double row[6] = {f->k, 0, 0, 1, 0, 0}, arow[6] = {0, 0, f->k, 0, 0, 1};
        memcpy(sos, analog ? arow : row, sizeof row);
        *nsec = 1;
        return XP_OK;
    }
    int64_t nz = f->nz, np = f->np, n_sections;
    if (pairing != XPS_PAIRING_MINIMAL) {
        int64_t m = nz > np ? nz : np;
        n_sections = (m + 1) / 2;
    } else {
        if (np < nz)
            return xp_error(XP_EINVAL, "%s: analog (minimal) pairing needs at least as "
                            "many poles (%" PRId64 ") as zeros (%" PRId64 ")", fn, np, nz);
        n_sections = (np + 1) / 2;
    }
    int64_t cap = (nz > np ? nz : np) + 1;
    xps__cplx *w = xp__malloc(3 * (size_t)cap * sizeof *w);
    if (!w)
        return xp_error(XP_ENOMEM, "%s: out of memory for %" PRId64 " zeros and poles",
                        fn, cap);
    xps__cplx *z = w, *p = w + cap, *tmp = w + 2 * cap;
    memcpy(z, f->z, (size_t)nz * sizeof *z);
    memcpy(p, f->p, (size_t)np * sizeof *p);
    if (pairing != XPS_PAIRING_MINIMAL) {
        while (np < nz)
            p[np++] = 0.0;
        while (nz < np)
            z[nz++] = 0.0;
        if (np % 2 == 1 && pairing == XPS_PAIRING_NEAREST) {
            p[np++] = 0.0;
            z[nz++] = 0.0;
        }
    }
    int rc = cplxreal(fn, "z", z, nz, &nz, tmp);
    if (!rc)
        rc = cplxreal(fn, "p", p, np, &np, tmp);
    for (int64_t si = n_sections - 1; !rc && si >= 0; si--) {
        double *row = sos + 6 * si;
        int64_t i1 = idx_worst(p, np, analog, 0);
        xps__cplx p1 = p[i1], zz[2], pp[2];
        del(p, &np, i1);
        if (is_real(p1) && count_real(p, np) == 0) {
            if (pairing != XPS_PAIRING_MINIMAL || nz > 0) {
                int64_t j = nearest(z, nz, p1, 1);
                if (j < 0) {
                    rc = xp_error(XP_EINVAL, "%s: no real zero to pair with the real pole "
                                  "%g", fn, creal(p1));
                    break;
                }
                zz[0] = z[j];
                del(z, &nz, j);
                if (pairing != XPS_PAIRING_MINIMAL) {
                    zz[1] = 0.0;
                    pp[0] = p1;
                    pp[1] = 0.0;
                    section(zz, 2, pp, 2, row);
                } else {
                    section(zz, 1, &p1, 1, row);
                }
            } else {
                section(NULL, 0, &p1, 1, row);
            }
        } else if (np + 1 == nz && !is_real(p1) && count_real(p, np) == 1 &&
                   count_real(z, nz) == 1) {
            /* keep the odd real zero for the real pole's section */
            int64_t j = nearest(z, nz, p1, 2);
            zz[0] = z[j];
            zz[1] = conj(z[j]);
            del(z, &nz, j);
            pp[0] = p1;
            pp[1] = conj(p1);
            section(zz, 2, pp, 2, row);
        } else {
            pp[0] = p1;
            if (is_real(p1)) {
                int64_t j = idx_worst(p, np, analog, 1);
                pp[1] = p[j];
                del(p, &np, j);
            } else {
                pp[1] = conj(p1);
            }
            if (nz > 0) {
                int64_t j = nearest(z, nz, p1, 0);
                zz[0] = z[j];
                del(z, &nz, j);
                if (!is_real(zz[0])) {
                    zz[1] = conj(zz[0]);
                    section(zz, 2, pp, 2, row);
                } else if (nz > 0) {
                    int64_t j2 = nearest(z, nz, p1, 1);
                    if (j2 < 0) {
                        rc = xp_error(XP_EINVAL, "%s: no real zero to pair with the real "
                                      "zero %g", fn, creal(zz[0]));
                        break;
                    }
                    zz[1] = z[j2];
                    del(z, &nz, j2);
                    section(zz, 2, pp, 2, row);
                } else {
                    section(zz, 1, pp, 2, row);
                }
            } else {
                section(NULL, 0, pp, 2, row);
            }
        }
    }
    xp__free(w);
    if (rc)
        return rc;
    for (int i = 0; i < 3; i++)
        sos[i] *= f->k;
    *nsec = n_sections;
    return XP_OK;
}
