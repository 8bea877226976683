/*
 * ellipfun.c -- the elliptic functions the elliptic filter needs: complete
 * integral K by the arithmetic-geometric mean, Jacobi sn cn dn by the AGM
 * and its descending recurrence (Abramowitz & Stegun 16.4), the degree
 * equation through the nome, and the inverse of sn on the imaginary axis
 * by Landen's transformation.  Parameters are m = k^2, as in SciPy.
 */
#include <float.h>
#include "iir.h"

/* K = pi / (2 AGM(1, b)), the AGM carried in long double so that K comes
 * out correctly rounded nearly always (in double it drifts by a few ulps,
 * enough to send the band-stop order search another way). */
static double k_of(long double b)
{
    const long double half_pi = 1.57079632679489661923132169163975144L;
    long double a = 1.0L;
    for (int i = 0; i < 64; i++) {
        if (fabsl(a - b) <= LDBL_EPSILON * a)
            break;
        long double t = 0.5L * (a + b);
        b = sqrtl(a * b);
        a = t;
    }
    return (double)(half_pi / (0.5L * (a + b)));
}

double xps__ellipk(double m)
{
    if (isnan(m) || m > 1)
        return NAN;
    if (m == 1)
        return INFINITY;
    return k_of(sqrtl(1.0L - (long double)m));
}

double xps__ellipkm1(double p)
{
    if (isnan(p) || p < 0)
        return NAN;
    if (p == 0)
        return INFINITY;
    if (isinf(p))
        return 0.0;
    return k_of(sqrtl((long double)p));
}

/* Near the ends of [0, 1] the AGM loses digits or does not start; there
 * the first-order expansions in m (16.13) and in 1 - m (16.15) are exact
 * to rounding. */
#define ELLIPJ_SMALL 1e-9
#define ELLIPJ_NEAR1 (1.0 - 1e-10)

void xps__ellipj(double u, double m, double *sn, double *cn, double *dn)
{
    if (isnan(u) || isnan(m) || m < 0 || m > 1) {
        *sn = *cn = *dn = NAN;
        return;
    }
    if (m < ELLIPJ_SMALL) {
        double s = sin(u), c = cos(u);
        double d = 0.25 * m * (u - s * c);
        *sn = s - d * c;
        *cn = c + d * s;
        *dn = 1.0 - 0.5 * m * s * s;
        return;
    }
    if (m >= ELLIPJ_NEAR1) {
        double m1 = 1.0 - m;
        double ch = cosh(u), th = tanh(u), sech = 1.0 / ch;
        double sc = sinh(u) * ch;
        *sn = th + 0.25 * m1 * (sc - u) * sech * sech;
        *cn = sech - 0.25 * m1 * (sc - u) * th * sech;
        *dn = sech + 0.25 * m1 * (sc + u) * th * sech;
        return;
    }
    /* Descend a_i, c_i until c / a is below rounding, then climb back
     * with phi_{i-1} = (phi_i + asin(c_i / a_i sin phi_i)) / 2. */
    double a[20], c[20];
    double b = sqrt(1.0 - m), twon = 1.0;
    int i = 0;
    a[0] = 1.0;
    c[0] = sqrt(m);
    while (fabs(c[i] / a[i]) > DBL_EPSILON / 2 && i < 19) {
        double ai = a[i];
        i++;
        c[i] = 0.5 * (ai - b);
        a[i] = 0.5 * (ai + b);
        b = sqrt(ai * b);
        twon *= 2.0;
    }
    double phi = twon * a[i] * u, prev = phi;
    for (; i > 0; i--) {
        prev = phi;
        phi = 0.5 * (asin(c[i] * sin(phi) / a[i]) + phi);
    }
    *sn = sin(phi);
    *cn = cos(phi);
    *dn = *cn / cos(prev - phi);
}

/* m of the filter from its order n and m1 = k1^2 through the nome
 * q = q1^(1/n): k = 4 sqrt(q) (sum q^(j(j+1)) / (1 + 2 sum q^(j^2)))^2. */
double xps__ellipdeg(int64_t n, double m1)
{
    double K1 = xps__ellipk(m1), K1p = xps__ellipkm1(m1);
    double q1 = exp(-M_PI * K1p / K1);
    double q = pow(q1, 1.0 / (double)n);
    double t[8], s[8];
    for (int j = 0; j < 8; j++) {
        t[j] = pow(q, (double)(j * (j + 1)));
        s[j] = pow(q, (double)((j + 1) * (j + 1)));
    }
    /* the eight-term sums in numpy's order */
    double num = ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
    double den = 1.0 + 2.0 * (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])));
    return 16.0 * q * pow(num / den, 4.0);
}

/* sn(z, m) = i w has z = i v; Landen's descending moduli k_0 = sqrt(m),
 * k_{n+1} = (1 - k'_n) / (1 + k'_n) reach 0 in a few steps, and along them
 * the argument maps as w_{n+1} = 2 w_n / ((1 + k_{n+1})(1 + sqrt(1 + k_n^2 w_n^2)))
 * (written for w on the imaginary axis, where it stays); then
 * v = K 2/pi asinh(w_last) with K = pi/2 prod (1 + k_n). */
double xps__arc_jac_sc1(double w, double m)
{
    double k = sqrt(m);
    if (!(k <= 1))
        return NAN;
    if (k == 1)
        return atan(w);
    double ks[16];
    int nk = 0;
    ks[nk++] = k;
    while (ks[nk - 1] != 0) {
        double kn = ks[nk - 1];
        double kp = sqrt((1 - kn) * (1 + kn));
        ks[nk++] = (1 - kp) / (1 + kp);
        if (nk > 11)
            return NAN;         /* SciPy: Landen transformation not converging */
    }
    double prod = 1.0;
    for (int i = 1; i < nk; i++)
        prod *= 1 + ks[i];
    double K = prod * M_PI / 2;
    double v = w;
    for (int i = 0; i + 1 < nk; i++) {
        double kv = ks[i] * v;
        v = 2 * v / ((1 + ks[i + 1]) * (1 + sqrt(1 + kv * kv)));
    }
    return K * (2 / M_PI * asinh(v));
}
