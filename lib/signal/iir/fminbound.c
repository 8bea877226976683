/*
 * fminbound.c -- bounded scalar minimisation: Brent's method (golden
 * section steps, parabolic steps when they behave), in the form SciPy's
 * optimize.fminbound runs it.  Order selection for band-stop specs depends
 * on where this stops, so each step, tolerance and tie rule follows SciPy's
 * exactly: the same function values give the same iterates.
 */
#include "iir.h"

static double sign(double x)
{
    return (x > 0) - (x < 0);
}

double xps__fminbound(double (*f)(double x, void *arg), void *arg, double x1, double x2,
                      double xatol, int maxfun)
{
    const double sqrt_eps = sqrt(2.2e-16);
    const double golden_mean = 0.5 * (3.0 - sqrt(5.0));
    double a = x1, b = x2;
    /* xf: best point so far; nfc: second best; fulc: previous second best */
    double fulc = a + golden_mean * (b - a);
    double nfc = fulc, xf = fulc;
    double rat = 0.0, e = 0.0;
    double x = xf;
    double fx = f(x, arg);
    int num = 1;
    double ffulc = fx, fnfc = fx;
    double xm = 0.5 * (a + b);
    double tol1 = sqrt_eps * fabs(xf) + xatol / 3.0;
    double tol2 = 2.0 * tol1;

    while (fabs(xf - xm) > tol2 - 0.5 * (b - a)) {
        int golden = 1;
        if (fabs(e) > tol1) {
            /* try a parabola through the three best points */
            golden = 0;
            double r = (xf - nfc) * (fx - ffulc);
            double q = (xf - fulc) * (fx - fnfc);
            double p = (xf - fulc) * q - (xf - nfc) * r;
            q = 2.0 * (q - r);
            if (q > 0.0)
                p = -p;
            q = fabs(q);
            r = e;
            e = rat;
            if (fabs(p) < fabs(0.5 * q * r) && p > q * (a - xf) && p < q * (b - xf)) {
                rat = (p + 0.0) / q;
                x = xf + rat;
                if (x - a < tol2 || b - x < tol2) {
                    double si = sign(xm - xf) + (xm - xf == 0);
                    rat = tol1 * si;
                }
            } else {
                golden = 1;
            }
        }
        if (golden) {
            e = xf >= xm ? a - xf : b - xf;
            rat = golden_mean * e;
        }
        double si = sign(rat) + (rat == 0);
        double step = fabs(rat);
        if (!(step >= tol1))
            step = tol1;
        x = xf + si * step;
        double fu = f(x, arg);
        num++;
        if (fu <= fx) {
            if (x >= xf)
                a = xf;
            else
                b = xf;
            fulc = nfc;
            ffulc = fnfc;
            nfc = xf;
            fnfc = fx;
            xf = x;
            fx = fu;
        } else {
            if (x < xf)
                a = x;
            else
                b = x;
            if (fu <= fnfc || nfc == xf) {
                fulc = nfc;
                ffulc = fnfc;
                nfc = x;
                fnfc = fu;
            } else if (fu <= ffulc || fulc == xf || fulc == nfc) {
                fulc = x;
                ffulc = fu;
            }
        }
        xm = 0.5 * (a + b);
        tol1 = sqrt_eps * fabs(xf) + xatol / 3.0;
        tol2 = 2.0 * tol1;
        if (num >= maxfun)
            break;
    }
    return xf;
}
