/*
 * design.c -- iirfilter and the named designs: an analog lowpass
 * prototype, moved to the critical frequencies (pre-warped for digital
 * filters), then the bilinear transform, then the requested form.
 */
#include <inttypes.h>
#include "iir.h"

static int check_wn(const char *fn, const double *Wn, int64_t nWn, xps_btype btype,
                    int analog, double fs, double *wn)
{
    int band = btype == XPS_BTYPE_BANDPASS || btype == XPS_BTYPE_BANDSTOP;
    if (!Wn)
        return xp_error(XP_EINVAL, "%s: Wn is NULL", fn);
    if (nWn != (band ? 2 : 1))
        return xp_error(XP_EINVAL, "%s: Wn has %" PRId64 " values; a %s filter needs %s",
                        fn, nWn, xps_btype_name(btype),
                        band ? "2 (start and stop frequencies)" : "1 (one critical frequency)");
    if (!(fs >= 0) || !isfinite(fs))
        return xp_error(XP_EINVAL, "%s: fs (%g) must be a positive finite number, or 0 "
                        "for normalized frequencies", fn, fs);
    if (analog && fs > 0)
        return xp_error(XP_EINVAL, "%s: fs (%g) cannot be specified for an analog filter",
                        fn, fs);
    for (int64_t i = 0; i < nWn; i++) {
        double w = Wn[i];
        if (!isfinite(w) || !(w > 0)) {
            if (analog)
                return xp_error(XP_EINVAL, "%s: Wn[%" PRId64 "] (%g) must be a positive "
                                "finite frequency", fn, i, w);
        }
        wn[i] = fs > 0 ? w / (fs / 2) : w;
        if (!analog && !(wn[i] > 0 && wn[i] < 1)) {
            if (fs > 0)
                return xp_error(XP_EINVAL, "%s: Wn[%" PRId64 "] (%g) must be in (0, fs/2) "
                                "= (0, %g)", fn, i, w, fs / 2);
            return xp_error(XP_EINVAL, "%s: Wn[%" PRId64 "] (%g) must be in (0, 1)", fn, i, w);
        }
    }
    if (band && !(Wn[0] < Wn[1]))
        return xp_error(XP_EINVAL, "%s: Wn[0] (%g) must be less than Wn[1] (%g)", fn,
                        Wn[0], Wn[1]);
    return XP_OK;
}

static int check_db(const char *fn, const char *what, double v)
{
    if (!(v > 0) || !isfinite(v))
        return xp_error(XP_EINVAL, "%s: %s (%g) must be a positive number of dB", fn, what, v);
    return XP_OK;
}

int xps__iirfilter(const char *fn, int64_t N, const double *Wn, int64_t nWn, double rp,
                   double rs, xps_btype btype, int analog, xps_ftype ftype,
                   xps_output output, double fs, double *c1, int64_t *n1, double *c2,
                   int64_t *n2, double *k)
{
    double wn[2];
    int rc = xps__check_order(fn, N, 0);     /* order 0: the gain alone, as SciPy */
    if (rc)
        return rc;
    if (btype < XPS_BTYPE_LOWPASS || btype > XPS_BTYPE_BANDSTOP)
        return xp_error(XP_EINVAL, "%s: btype (%d) must be lowpass, highpass, bandpass or "
                        "bandstop", fn, (int)btype);
    if (ftype < XPS_FTYPE_BUTTER || ftype > XPS_FTYPE_BESSEL_MAG)
        return xp_error(XP_EINVAL, "%s: ftype (%d) is not an IIR filter type", fn, (int)ftype);
    if (output < XPS_OUTPUT_BA || output > XPS_OUTPUT_SOS)
        return xp_error(XP_EINVAL, "%s: output (%d) must be ba, zpk or sos", fn, (int)output);
    rc = check_wn(fn, Wn, nWn, btype, analog, fs, wn);
    if (rc)
        return rc;
    /* as SciPy, a negative rp or rs is refused whether the type uses it or not */
    if (rp < 0 || rs < 0)
        return check_db(fn, rp < 0 ? "rp" : "rs", rp < 0 ? rp : rs);
    if (ftype == XPS_FTYPE_CHEBY1 || ftype == XPS_FTYPE_ELLIP)
        rc = check_db(fn, "rp", rp);
    if (!rc && (ftype == XPS_FTYPE_CHEBY2 || ftype == XPS_FTYPE_ELLIP))
        rc = check_db(fn, "rs", rs);
    if (rc)
        return rc;

    xps__zpk a, b;
    rc = xps__zpk_alloc(fn, 2 * N + 2, &a);
    if (rc)
        return rc;
    rc = xps__zpk_alloc(fn, 2 * N + 2, &b);
    if (rc) {
        xps__zpk_free(&a);
        return rc;
    }
    switch (ftype) {
    case XPS_FTYPE_BUTTER: xps__buttap(N, &a); break;
    case XPS_FTYPE_CHEBY1: xps__cheb1ap(N, rp, &a); break;
    case XPS_FTYPE_CHEBY2: xps__cheb2ap(N, rs, &a); break;
    case XPS_FTYPE_ELLIP: rc = xps__ellipap(fn, N, rp, rs, &a); break;
    case XPS_FTYPE_BESSEL: rc = xps__besselap(fn, N, XPS_BESSEL_NORM_PHASE, &a); break;
    case XPS_FTYPE_BESSEL_DELAY: rc = xps__besselap(fn, N, XPS_BESSEL_NORM_DELAY, &a); break;
    case XPS_FTYPE_BESSEL_MAG: rc = xps__besselap(fn, N, XPS_BESSEL_NORM_MAG, &a); break;
    }
    if (rc)
        goto done;

    /* pre-warp digital frequencies for the bilinear transform at fs = 2 */
    double warped[2];
    for (int64_t i = 0; i < nWn; i++)
        warped[i] = analog ? wn[i] : 2 * 2.0 * tan(M_PI * wn[i] / 2.0);
    switch (btype) {
    case XPS_BTYPE_LOWPASS: xps__lp2lp(&a, warped[0], &b); break;
    case XPS_BTYPE_HIGHPASS: xps__lp2hp(&a, warped[0], &b); break;
    case XPS_BTYPE_BANDPASS:
    case XPS_BTYPE_BANDSTOP: {
        double bw = warped[1] - warped[0], wo = sqrt(warped[0] * warped[1]);
        if (btype == XPS_BTYPE_BANDPASS)
            xps__lp2bp(&a, wo, bw, &b);
        else
            xps__lp2bs(&a, wo, bw, &b);
        break;
    }
    }
    xps__zpk *f = &b;
    if (!analog) {
        xps__bilinear(&b, 2.0, &a);
        f = &a;
    }
    if (!isfinite(f->k)) {
        rc = xp_error(XP_EINVAL, "%s: the gain of the order %" PRId64 " %s filter is not "
                      "finite (%g): beyond double precision", fn, N, xps_btype_name(btype),
                      f->k);
        goto done;
    }
    rc = xps__emit(fn, f, output, analog, c1, n1, c2, n2, k);
done:
    xps__zpk_free(&b);
    xps__zpk_free(&a);
    return rc;
}

int xps_iirfilter(int64_t N, const double *Wn, int64_t nWn, double rp, double rs,
                  xps_btype btype, int analog, xps_ftype ftype, xps_output output,
                  double fs, double *c1, int64_t *n1, double *c2, int64_t *n2, double *k)
{
    return xps__iirfilter("iirfilter", N, Wn, nWn, rp, rs, btype, analog, ftype, output,
                          fs, c1, n1, c2, n2, k);
}

int xps_butter(int64_t N, const double *Wn, int64_t nWn, xps_btype btype, int analog,
               xps_output output, double fs, double *c1, int64_t *n1, double *c2,
               int64_t *n2, double *k)
{
    return xps__iirfilter("butter", N, Wn, nWn, 0, 0, btype, analog, XPS_FTYPE_BUTTER,
                          output, fs, c1, n1, c2, n2, k);
}

int xps_cheby1(int64_t N, double rp, const double *Wn, int64_t nWn, xps_btype btype,
               int analog, xps_output output, double fs, double *c1, int64_t *n1,
               double *c2, int64_t *n2, double *k)
{
    return xps__iirfilter("cheby1", N, Wn, nWn, rp, 0, btype, analog, XPS_FTYPE_CHEBY1,
                          output, fs, c1, n1, c2, n2, k);
}

int xps_cheby2(int64_t N, double rs, const double *Wn, int64_t nWn, xps_btype btype,
               int analog, xps_output output, double fs, double *c1, int64_t *n1,
               double *c2, int64_t *n2, double *k)
{
    return xps__iirfilter("cheby2", N, Wn, nWn, 0, rs, btype, analog, XPS_FTYPE_CHEBY2,
                          output, fs, c1, n1, c2, n2, k);
}

int xps_ellip(int64_t N, double rp, double rs, const double *Wn, int64_t nWn,
              xps_btype btype, int analog, xps_output output, double fs, double *c1,
              int64_t *n1, double *c2, int64_t *n2, double *k)
{
    return xps__iirfilter("ellip", N, Wn, nWn, rp, rs, btype, analog, XPS_FTYPE_ELLIP,
                          output, fs, c1, n1, c2, n2, k);
}

int xps_bessel(int64_t N, const double *Wn, int64_t nWn, xps_btype btype, int analog,
               xps_output output, xps_bessel_norm norm, double fs, double *c1,
               int64_t *n1, double *c2, int64_t *n2, double *k)
{
    xps_ftype ft;
    switch (norm) {
    case XPS_BESSEL_NORM_PHASE: ft = XPS_FTYPE_BESSEL; break;
    case XPS_BESSEL_NORM_DELAY: ft = XPS_FTYPE_BESSEL_DELAY; break;
    case XPS_BESSEL_NORM_MAG: ft = XPS_FTYPE_BESSEL_MAG; break;
    default:
        return xp_error(XP_EINVAL, "bessel: norm (%d) must be phase, delay or mag", (int)norm);
    }
    return xps__iirfilter("bessel", N, Wn, nWn, 0, 0, btype, analog, ft, output, fs,
                          c1, n1, c2, n2, k);
}
