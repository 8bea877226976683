/*
 * iir.h -- what the IIR design files share: complex work arrays of zeros
 * and poles, numpy-like complex helpers, elliptic functions, polynomials.
 * All host math; callers' interleaved (re, im) doubles are copied in and out.
 */
#ifndef XPS_IIR_INTERNAL_H
#define XPS_IIR_INTERNAL_H

#include <complex.h>
#include <math.h>
#include "xp_internal.h"
#include "xps.h"

typedef double complex xps__cplx;

/* Zeros, poles and gain in one allocation; z and p hold cap values each. */
typedef struct {
    xps__cplx *z, *p;
    int64_t nz, np, cap;
    double k;
} xps__zpk;

int xps__zpk_alloc(const char *fn, int64_t cap, xps__zpk *f);
void xps__zpk_free(xps__zpk *f);
/* A new zpk holding the caller's interleaved z [2 nz], p [2 np] with room for cap. */
int xps__zpk_load(const char *fn, const double *z, int64_t nz, const double *p,
                  int64_t np, double k, int64_t cap, xps__zpk *f);
/* Interleaved copies out; a NULL destination is skipped. */
void xps__cplx_store(const xps__cplx *v, int64_t n, double *out);

/* numpy's complex division (Smith's, scaled by the reciprocal), so that
 * rounding follows SciPy's closely. */
static inline xps__cplx xps__cdiv(xps__cplx a, xps__cplx b)
{
    double ar = creal(a), ai = cimag(a), br = creal(b), bi = cimag(b);
    if (fabs(br) >= fabs(bi)) {
        if (br == 0 && bi == 0)
            return CMPLX(ar / fabs(br), ai / fabs(bi));
        double rat = bi / br, scl = 1.0 / (br + bi * rat);
        return CMPLX((ar + ai * rat) * scl, (ai - ar * rat) * scl);
    }
    double rat = br / bi, scl = 1.0 / (bi + br * rat);
    return CMPLX((ar * rat + ai) * scl, (ai * rat - ar) * scl);
}

/* |v| as numpy's np.abs computes it over a complex array (its SIMD loop,
 * which SciPy's zpk2sos runs through: larger * sqrt(fma(r, r, 1)), r =
 * smaller / larger), not hypot: the two differ in the last bit, and
 * zpk2sos breaks ties among poles by it ("closest to the unit circle"). */
static inline double xps__np_abs(xps__cplx v)
{
    double a = fabs(creal(v)), b = fabs(cimag(v));
    double big = a > b ? a : b, small = a > b ? b : a;
    if (isnan(a) || isnan(b))
        return isinf(a) || isinf(b) ? INFINITY : NAN;
    if (big == 0 || small == INFINITY)
        return big;
    double r = small / big;
    return sqrt(fma(r, r, 1.0)) * big;
}

/* a * b written out, as numpy's loop (no C99 Annex G recovery). */
static inline xps__cplx xps__cmul(xps__cplx a, xps__cplx b)
{
    return CMPLX(creal(a) * creal(b) - cimag(a) * cimag(b),
                 creal(a) * cimag(b) + cimag(a) * creal(b));
}

/* Non-negative integer order checks with the public name. */
int xps__check_order(const char *fn, int64_t N, int64_t min);

/* ---- elliptic functions (ellipfun.c) ---------------------------------- */

double xps__ellipk(double m);           /* K(m), m <= 1; inf at 1, NaN above */
double xps__ellipkm1(double p);         /* K(1 - p), accurate for small p >= 0 */
/* Jacobi sn, cn, dn of u for parameter 0 <= m <= 1 (NaN outside). */
void xps__ellipj(double u, double m, double *sn, double *cn, double *dn);
/* Elliptic degree equation: the m of order n with complementary m1. */
double xps__ellipdeg(int64_t n, double m1);
/* Imaginary part of the inverse Jacobi sn of i w (SciPy's _arc_jac_sc1);
 * NaN when the Landen sequence does not converge. */
double xps__arc_jac_sc1(double w, double m);

/* ---- prototypes (proto.c, bessel.c): into f, cap >= N -------------------- */

void xps__buttap(int64_t N, xps__zpk *f);
void xps__cheb1ap(int64_t N, double rp, xps__zpk *f);
void xps__cheb2ap(int64_t N, double rs, xps__zpk *f);
int xps__ellipap(const char *fn, int64_t N, double rp, double rs, xps__zpk *f);
int xps__besselap(const char *fn, int64_t N, xps_bessel_norm norm, xps__zpk *f);

/* ---- frequency transforms (transform.c): out != in; np >= nz checked ---- */

int xps__relative_degree(const char *fn, const xps__zpk *in);
void xps__lp2lp(const xps__zpk *in, double wo, xps__zpk *out);     /* cap nz, np */
void xps__lp2hp(const xps__zpk *in, double wo, xps__zpk *out);     /* cap np */
void xps__lp2bp(const xps__zpk *in, double wo, double bw, xps__zpk *out); /* cap 2 np */
void xps__lp2bs(const xps__zpk *in, double wo, double bw, xps__zpk *out); /* cap 2 np */
void xps__bilinear(const xps__zpk *in, double fs, xps__zpk *out); /* cap np */

/* ---- polynomials (poly.c) --------------------------------------------- */

/* Monic polynomial c [n + 1] with roots r [n] (numpy.poly). */
void xps__poly(const xps__cplx *r, int64_t n, xps__cplx *c);
/* 1 if the n roots are closed under conjugation exactly (numpy.poly's test
 * for a real result); sorts a scratch copy: tmp [2 n]. */
int xps__conj_closed(const xps__cplx *r, int64_t n, double *tmp);
/* Roots of c [n] (highest power first) as numpy.roots: leading and
 * trailing zeros stripped (the latter give roots at 0), companion-matrix
 * eigenvalues.  r [n - 1]; *nr the count. */
int xps__roots(const char *fn, const double *c, int64_t n, xps__cplx *r, int64_t *nr);
/* scipy.signal.normalize for one numerator: strips a's leading zeros,
 * divides both by a[0], drops b's leading near-zeros (|.| <= 1e-14, at
 * least one kept).  In place: *b moves forward, *nb / *na shrink. */
int xps__normalize(const char *fn, double **b, int64_t *nb, double **a, int64_t *na);
/* c [na + nb - 1] = a * b. */
void xps__polymul(const double *a, int64_t na, const double *b, int64_t nb, double *c);

/* ---- forms (convert.c, zpk2sos.c) --------------------------------------- */

/* Real b [nz + 1], a [np + 1] from f (XP_EINVAL if not conjugate-closed). */
int xps__zpk2tf(const char *fn, const xps__zpk *f, double *b, double *a);
/* sos [max(1, (max(nz, np) + 1) / 2)][6]. */
int xps__zpk2sos(const char *fn, const xps__zpk *f, xps_pairing pairing, int analog,
                 double *sos, int64_t *nsec);
/* Write f in the requested form into the design buffers (see xps_iir.h). */
int xps__emit(const char *fn, const xps__zpk *f, xps_output output, int analog,
              double *c1, int64_t *n1, double *c2, int64_t *n2, double *k);

/* ---- design (design.c) ------------------------------------------------ */

int xps__iirfilter(const char *fn, int64_t N, const double *Wn, int64_t nWn,
                   double rp, double rs, xps_btype btype, int analog,
                   xps_ftype ftype, xps_output output, double fs, double *c1,
                   int64_t *n1, double *c2, int64_t *n2, double *k);

/* ---- order selection (order.c) ---------------------------------------- */

typedef enum { XPS__ORD_BUTTER, XPS__ORD_CHEB1, XPS__ORD_CHEB2, XPS__ORD_ELLIP } xps__ordkind;

int xps__check_wp_ws(const char *fn, const double *wp, const double *ws, int64_t nw,
                     double gpass, double gstop, int analog, double fs);
int xps__ord(const char *fn, xps__ordkind kind, const double *wp, const double *ws,
             int64_t nw, double gpass, double gstop, int analog, double fs,
             int64_t *N, double *Wn);

/* SciPy's optimize.fminbound (bounded Brent): minimum of f on [x1, x2]. */
double xps__fminbound(double (*f)(double x, void *arg), void *arg, double x1,
                      double x2, double xatol, int maxfun);

#endif /* XPS_IIR_INTERNAL_H */
