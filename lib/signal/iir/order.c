/*
 * order.c -- order selection (buttord, cheb1ord, cheb2ord, ellipord) and
 * iirdesign on top of it.  The specs are mapped to an analog lowpass
 * problem: the "natural" frequency ratio nat of stopband to passband,
 * from which each family's order formula follows.  For band-stop specs
 * SciPy first moves each passband edge, within its bounds, to where the
 * required order is least (fminbound); we do the same.
 */
#include <inttypes.h>
#include "iir.h"

static const char *const ord_names[] = {"buttord", "cheb1ord", "cheb2ord", "ellipord"};

int xps__check_wp_ws(const char *fn, const double *wp, const double *ws, int64_t nw,
                     double gpass, double gstop, int analog, double fs)
{
    if (!wp || !ws)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, wp ? "ws" : "wp");
    if (nw != 1 && nw != 2)
        return xp_error(XP_EINVAL, "%s: wp and ws must have one or two values each, not %"
                        PRId64, fn, nw);
    if (!(gpass > 0) || !isfinite(gpass))
        return xp_error(XP_EINVAL, "%s: gpass (%g) must be a positive number of dB", fn, gpass);
    if (!(gstop > 0) || !isfinite(gstop))
        return xp_error(XP_EINVAL, "%s: gstop (%g) must be a positive number of dB", fn, gstop);
    if (gpass > gstop)
        return xp_error(XP_EINVAL, "%s: gpass (%g) must not exceed gstop (%g)", fn, gpass, gstop);
    if (!(fs >= 0) || !isfinite(fs))
        return xp_error(XP_EINVAL, "%s: fs (%g) must be a positive finite number, or 0 "
                        "for normalized frequencies", fn, fs);
    if (analog && fs > 0)
        return xp_error(XP_EINVAL, "%s: fs (%g) cannot be specified for an analog filter",
                        fn, fs);
    for (int64_t i = 0; i < 2 * nw; i++) {
        const char *name = i < nw ? "wp" : "ws";
        double v = i < nw ? wp[i] : ws[i - nw];
        int64_t j = i < nw ? i : i - nw;
        if (!(v > 0) || !isfinite(v))
            return xp_error(XP_EINVAL, "%s: %s[%" PRId64 "] (%g) must be positive", fn,
                            name, j, v);
        if (!analog && fs > 0 && !(v < fs / 2))
            return xp_error(XP_EINVAL, "%s: %s[%" PRId64 "] (%g) must be less than fs/2 (%g)",
                            fn, name, j, v, fs / 2);
        if (!analog && fs == 0 && !(v < 1))
            return xp_error(XP_EINVAL, "%s: %s[%" PRId64 "] (%g) must be less than 1", fn,
                            name, j, v);
    }
    if (nw == 2 && !((ws[0] < wp[0] && wp[1] < ws[1]) || (wp[0] < ws[0] && ws[1] < wp[1])))
        return xp_error(XP_EINVAL, "%s: the passband wp [%g, %g] must lie strictly inside "
                        "the stopband ws [%g, %g] or vice versa", fn, wp[0], wp[1], ws[0], ws[1]);
    return XP_OK;
}

/* ---- band-stop objective ----------------------------------------------- */

typedef struct {
    int ind;
    double passb[2], stopb[2];
    double gpass, gstop;
    xps__ordkind kind;
} bsobj;

/* Smaller of |nat| over the two stopband edges, nat of a band-stop spec. */
static double bs_nat(const double *passb, const double *stopb)
{
    double n[2];
    for (int i = 0; i < 2; i++)
        n[i] = fabs(stopb[i] * (passb[0] - passb[1]) /
                    (stopb[i] * stopb[i] - passb[0] * passb[1]));
    return n[1] < n[0] ? n[1] : n[0];
}

/* The (real-valued) order a band-stop spec needs with passband edge ind at wp. */
static double band_stop_obj(double wp, void *arg)
{
    const bsobj *o = arg;
    double pc[2] = {o->passb[0], o->passb[1]};
    pc[o->ind] = wp;
    double nat = bs_nat(pc, o->stopb);
    if (o->kind == XPS__ORD_ELLIP) {
        double GSTOP = pow(10.0, 0.1 * o->gstop), GPASS = pow(10.0, 0.1 * o->gpass);
        double arg1 = sqrt((GPASS - 1.0) / (GSTOP - 1.0));
        double arg0 = 1.0 / nat;
        double d00 = xps__ellipk(arg0 * arg0), d01 = xps__ellipk(1 - arg0 * arg0);
        double d10 = xps__ellipk(arg1 * arg1), d11 = xps__ellipk(1 - arg1 * arg1);
        return d00 * d11 / (d01 * d10);
    }
    double GSTOP = pow(10.0, 0.1 * fabs(o->gstop)), GPASS = pow(10.0, 0.1 * fabs(o->gpass));
    if (o->kind == XPS__ORD_BUTTER)
        return log10((GSTOP - 1.0) / (GPASS - 1.0)) / (2 * log10(nat));
    return acosh(sqrt((GSTOP - 1.0) / (GPASS - 1.0))) / acosh(nat);
}

/* ---- the four order functions ------------------------------------------- */

static double postprocess(double WN, int analog, double fs)
{
    double wn = analog ? WN : atan(WN) * 2.0 / M_PI;
    return fs > 0 ? wn * fs / 2 : wn;
}

static void sort_abs2(double *w)
{
    double a = fabs(w[0]), b = fabs(w[1]);
    w[0] = a < b ? a : b;
    w[1] = a < b ? b : a;
}

static double pow10m1(double x)
{
    return expm1(M_LN10 * x);
}

int xps__ord(const char *fn, xps__ordkind kind, const double *wp_in, const double *ws_in,
             int64_t nw, double gpass, double gstop, int analog, double fs, int64_t *N,
             double *Wn)
{
    int rc = xps__check_wp_ws(fn, wp_in, ws_in, nw, gpass, gstop, analog, fs);
    if (rc)
        return rc;
    if (!N || !Wn)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, N ? "Wn" : "N");
    double wp[2], ws[2], passb[2], stopb[2];
    for (int64_t i = 0; i < nw; i++) {
        wp[i] = fs > 0 ? 2 * wp_in[i] / fs : wp_in[i];
        ws[i] = fs > 0 ? 2 * ws_in[i] / fs : ws_in[i];
        passb[i] = analog ? wp[i] : tan(M_PI * wp[i] / 2.0);
        stopb[i] = analog ? ws[i] : tan(M_PI * ws[i] / 2.0);
    }
    int type = 2 * (int)(nw - 1) + 1 + (wp[0] >= ws[0]);

    /* nat, with band-stop passband edges moved first */
    double nat;
    if (type == 1) {
        nat = stopb[0] / passb[0];
    } else if (type == 2) {
        nat = passb[0] / stopb[0];
    } else if (type == 3) {
        bsobj o = {0, {passb[0], passb[1]}, {stopb[0], stopb[1]}, gpass, gstop, kind};
        if (kind == XPS__ORD_CHEB2)
            o.kind = XPS__ORD_CHEB1;        /* both use SciPy's 'cheby' objective */
        double wp0 = xps__fminbound(band_stop_obj, &o, passb[0], stopb[0] - 1e-12, 1e-5, 500);
        o.ind = 1;
        double wp1 = xps__fminbound(band_stop_obj, &o, stopb[1] + 1e-12, passb[1], 1e-5, 500);
        passb[0] = wp0;
        passb[1] = wp1;
        nat = bs_nat(passb, stopb);
    } else {
        double n[2];
        for (int i = 0; i < 2; i++)
            n[i] = fabs((stopb[i] * stopb[i] - passb[0] * passb[1]) /
                        (stopb[i] * (passb[0] - passb[1])));
        nat = n[1] < n[0] ? n[1] : n[0];
    }

    double ord, WN[2] = {passb[0], passb[1]};
    if (kind == XPS__ORD_BUTTER) {
        double GSTOP = pow(10.0, 0.1 * fabs(gstop)), GPASS = pow(10.0, 0.1 * fabs(gpass));
        ord = ceil(log10((GSTOP - 1.0) / (GPASS - 1.0)) / (2 * log10(nat)));
        double W0 = ord == 0 ? 1.0 : pow(GPASS - 1.0, -1.0 / (2.0 * ord));
        if (type == 1) {
            WN[0] = W0 * passb[0];
        } else if (type == 2) {
            WN[0] = passb[0] / W0;
        } else if (type == 3) {
            double d = passb[1] - passb[0];
            double discr = sqrt(d * d + 4 * (W0 * W0) * passb[0] * passb[1]);
            WN[0] = (d + discr) / (2 * W0);
            WN[1] = (d - discr) / (2 * W0);
            sort_abs2(WN);
        } else {
            double d = passb[1] - passb[0];
            for (int i = 0; i < 2; i++) {
                double w0 = i ? W0 : -W0;
                WN[i] = -w0 * d / 2.0 + sqrt(w0 * w0 / 4.0 * (d * d) + passb[0] * passb[1]);
            }
            sort_abs2(WN);
        }
    } else if (kind == XPS__ORD_CHEB1 || kind == XPS__ORD_CHEB2) {
        double GSTOP = pow(10.0, 0.1 * fabs(gstop)), GPASS = pow(10.0, 0.1 * fabs(gpass));
        double v = acosh(sqrt((GSTOP - 1.0) / (GPASS - 1.0)));
        ord = ceil(v / acosh(nat));
        if (kind == XPS__ORD_CHEB2 && isfinite(ord) && ord >= 1) {
            double nf = 1.0 / cosh(1.0 / ord * v);
            double d = passb[1] - passb[0];
            if (type == 1) {
                WN[0] = passb[0] / nf;
            } else if (type == 2) {
                WN[0] = passb[0] * nf;
            } else if (type == 3) {
                WN[0] = nf / 2.0 * (passb[0] - passb[1]) +
                        sqrt(nf * nf * (d * d) / 4.0 + passb[1] * passb[0]);
                WN[1] = passb[1] * passb[0] / WN[0];
            } else {
                WN[0] = 1.0 / (2.0 * nf) * (passb[0] - passb[1]) +
                        sqrt((d * d) / (4.0 * (nf * nf)) + passb[1] * passb[0]);
                WN[1] = passb[0] * passb[1] / WN[0];
            }
        }
    } else {
        double arg1_sq = pow10m1(0.1 * gpass) / pow10m1(0.1 * gstop);
        double arg0 = 1.0 / nat;
        double d00 = xps__ellipk(arg0 * arg0), d01 = xps__ellipkm1(arg0 * arg0);
        double d10 = xps__ellipk(arg1_sq), d11 = xps__ellipkm1(arg1_sq);
        ord = ceil(d00 * d11 / (d01 * d10));
    }
    if (!isfinite(ord) || ord < 0)
        return xp_error(XP_EINVAL, "%s: the specifications give no usable order (%g)",
                        fn, ord);
    /* gpass = gstop: order 0, the gain alone, except that Chebyshev II's
     * natural frequency divides by the order (SciPy: ZeroDivisionError) */
    if (ord == 0 && kind == XPS__ORD_CHEB2)
        return xp_error(XP_EINVAL, "%s: gpass (%g) equal to gstop gives order 0, which has "
                        "no Chebyshev II stopband edge", fn, gpass);
    if (ord > 100000)
        return xp_error(XP_EINVAL, "%s: the specifications need order %.0f, more than "
                        "100000", fn, ord);
    *N = (int64_t)ord;
    for (int64_t i = 0; i < nw; i++)
        Wn[i] = postprocess(WN[i], analog, fs);
    return XP_OK;
}

int xps_buttord(const double *wp, const double *ws, int64_t nw, double gpass, double gstop,
                int analog, double fs, int64_t *N, double *Wn)
{
    return xps__ord(ord_names[XPS__ORD_BUTTER], XPS__ORD_BUTTER, wp, ws, nw, gpass, gstop,
                    analog, fs, N, Wn);
}

int xps_cheb1ord(const double *wp, const double *ws, int64_t nw, double gpass, double gstop,
                 int analog, double fs, int64_t *N, double *Wn)
{
    return xps__ord(ord_names[XPS__ORD_CHEB1], XPS__ORD_CHEB1, wp, ws, nw, gpass, gstop,
                    analog, fs, N, Wn);
}

int xps_cheb2ord(const double *wp, const double *ws, int64_t nw, double gpass, double gstop,
                 int analog, double fs, int64_t *N, double *Wn)
{
    return xps__ord(ord_names[XPS__ORD_CHEB2], XPS__ORD_CHEB2, wp, ws, nw, gpass, gstop,
                    analog, fs, N, Wn);
}

int xps_ellipord(const double *wp, const double *ws, int64_t nw, double gpass, double gstop,
                 int analog, double fs, int64_t *N, double *Wn)
{
    return xps__ord(ord_names[XPS__ORD_ELLIP], XPS__ORD_ELLIP, wp, ws, nw, gpass, gstop,
                    analog, fs, N, Wn);
}

/* ---- iirdesign ---------------------------------------------------------- */

int xps_iirdesign(const double *wp, const double *ws, int64_t nw, double gpass,
                  double gstop, int analog, xps_ftype ftype, xps_output output, double fs,
                  int64_t cap, double *c1, int64_t *n1, double *c2, int64_t *n2, double *k,
                  int64_t *order)
{
    const char *fn = "iirdesign";
    xps__ordkind kind;
    switch (ftype) {
    case XPS_FTYPE_BUTTER: kind = XPS__ORD_BUTTER; break;
    case XPS_FTYPE_CHEBY1: kind = XPS__ORD_CHEB1; break;
    case XPS_FTYPE_CHEBY2: kind = XPS__ORD_CHEB2; break;
    case XPS_FTYPE_ELLIP: kind = XPS__ORD_ELLIP; break;
    case XPS_FTYPE_BESSEL:
    case XPS_FTYPE_BESSEL_DELAY:
    case XPS_FTYPE_BESSEL_MAG:
        return xp_error(XP_EINVAL, "%s: ftype %s has no order selection; use iirfilter",
                        fn, xps_ftype_name(ftype));
    default:
        return xp_error(XP_EINVAL, "%s: ftype (%d) is not an IIR filter type", fn, (int)ftype);
    }
    int64_t N;
    double Wn[2];
    int rc = xps__ord(fn, kind, wp, ws, nw, gpass, gstop, analog, fs, &N, Wn);
    if (rc)
        return rc;
    if (order)
        *order = N;
    if (cap < XPS_IIR_BUFLEN(N))
        return xp_error(XP_ESHAPE, "%s: the order %" PRId64 " design needs buffers of %"
                        PRId64 " doubles; cap is %" PRId64, fn, N, XPS_IIR_BUFLEN(N), cap);
    xps_btype btype;
    if (nw == 1)
        btype = wp[0] >= ws[0] ? XPS_BTYPE_HIGHPASS : XPS_BTYPE_LOWPASS;
    else
        btype = wp[0] >= ws[0] ? XPS_BTYPE_BANDPASS : XPS_BTYPE_BANDSTOP;
    return xps__iirfilter(fn, N, Wn, nw, gpass, gstop, btype, analog, ftype, output, fs,
                          c1, n1, c2, n2, k);
}
