/*
 * freqz.c -- frequency response of a digital filter as a transfer function
 * or as second-order sections: H(e^jw) = B(e^-jw) / A(e^-jw), evaluated by
 * Horner's rule at each frequency.
 */
#include <inttypes.h>
#include "iir.h"

/* c[0] + c[1] x + ... + c[n-1] x^(n-1) (numpy.polynomial's polyval). */
static xps__cplx polyval(const double *c, int64_t n, xps__cplx x)
{
    xps__cplx acc = c[n - 1];
    for (int64_t i = n - 2; i >= 0; i--)
        acc = c[i] + xps__cmul(acc, x);
    return acc;
}

/* Frequency i of nw in rad/sample: freqs[i] converted, or numpy's
 * linspace over [0, pi) ([0, pi] with include_nyquist, [0, 2 pi) whole). */
static double grid_point(int64_t i, int64_t nw, const double *freqs, int whole,
                         double fs, int include_nyquist)
{
    if (freqs)
        return 2 * M_PI * freqs[i] / fs;
    double last = whole ? 2 * M_PI : M_PI;
    int endpoint = include_nyquist && !whole;
    int64_t div = endpoint ? nw - 1 : nw;
    if (endpoint && nw > 1 && i == nw - 1)
        return last;
    return div > 0 ? (double)i * (last / (double)div) : 0.0;
}

static int check_common(const char *fn, int64_t nw, double *fs, double *h)
{
    if (*fs == 0)
        *fs = 2 * M_PI;
    if (!(*fs > 0) || !isfinite(*fs))
        return xp_error(XP_EINVAL, "%s: fs (%g) must be a positive finite number", fn, *fs);
    if (nw < 0)
        return xp_error(XP_EINVAL, "%s: worN (%" PRId64 ") must be nonnegative", fn, nw);
    if (nw > 0 && !h)
        return xp_error(XP_EINVAL, "%s: h is NULL", fn);
    return XP_OK;
}

int xps_freqz(const double *b, int64_t nb, const double *a, int64_t na, int64_t nw,
              const double *freqs, int whole, double fs, int include_nyquist, double *w,
              double *h)
{
    const char *fn = "freqz";
    static const double one = 1.0;
    int rc = check_common(fn, nw, &fs, h);
    if (rc)
        return rc;
    if (nb < 1 || !b)
        return xp_error(XP_EINVAL, "freqz: b must have at least one coefficient (nb %" PRId64
                        ")", nb);
    if (!a && na == 0) {
        a = &one;
        na = 1;
    }
    if (na < 1 || !a)
        return xp_error(XP_EINVAL, "freqz: a must have at least one coefficient (na %" PRId64
                        ")", na);
    for (int64_t i = 0; i < nw; i++) {
        double wi = grid_point(i, nw, freqs, whole, fs, include_nyquist);
        xps__cplx zm1 = cexp(CMPLX(0.0, -wi));
        xps__cplx hv = xps__cdiv(polyval(b, nb, zm1), polyval(a, na, zm1));
        h[2 * i] = creal(hv);
        h[2 * i + 1] = cimag(hv);
        if (w)
            w[i] = wi * (fs / (2 * M_PI));
    }
    return XP_OK;
}

int xps_freqz_sos(const double *sos, int64_t nsec, int64_t nw, const double *freqs,
                  int whole, double fs, double *w, double *h)
{
    const char *fn = "freqz_sos";
    int rc = check_common(fn, nw, &fs, h);
    if (rc)
        return rc;
    if (nsec < 1 || !sos)
        return xp_error(XP_EINVAL, "%s: cannot compute frequencies with no sections "
                        "(nsec %" PRId64 ")", fn, nsec);
    for (int64_t s = 0; s < nsec; s++)
        if (sos[6 * s + 3] != 1)
            return xp_error(XP_EINVAL, "%s: sos[%" PRId64 "][3] (%g) must be 1", fn, s,
                            sos[6 * s + 3]);
    for (int64_t i = 0; i < nw; i++) {
        double wi = grid_point(i, nw, freqs, whole, fs, 0);
        xps__cplx zm1 = cexp(CMPLX(0.0, -wi));
        xps__cplx hv = 1.0;
        for (int64_t s = 0; s < nsec; s++) {
            const double *row = sos + 6 * s;
            xps__cplx hs = xps__cdiv(polyval(row, 3, zm1), polyval(row + 3, 3, zm1));
            hv = xps__cmul(hv, hs);
        }
        h[2 * i] = creal(hv);
        h[2 * i + 1] = cimag(hv);
        if (w)
            w[i] = wi * (fs / (2 * M_PI));
    }
    return XP_OK;
}

int xps_sosfreqz(const double *sos, int64_t nsec, int64_t nw, const double *freqs,
                 int whole, double fs, double *w, double *h)
{
    return xps_freqz_sos(sos, nsec, nw, freqs, whole, fs, w, h);
}
