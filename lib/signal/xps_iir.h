/*
 * xps_iir.h -- IIR filter design of libxpsignal: scipy.signal's analog
 * prototypes, filter design, order selection, form conversions and
 * frequency responses, with SciPy's names, arguments and numbers.
 *
 * This is coefficient math on the host: plain double arrays in the
 * caller's buffers, no xp_array, no provider.  Conventions:
 *  - complex values (zeros, poles, responses) are interleaved (re, im)
 *    pairs: "z: [2 nz]" holds nz complex zeros in 2 nz doubles;
 *  - counts written come back through int64_t pointers;
 *  - SciPy's three forms (its output argument):
 *      BA   b [nb], a [na]: polynomial coefficients, highest power first
 *      ZPK  zeros z [nz], poles p [np] (complex), real gain k
 *      SOS  sos [nsec][6], row-major rows b0 b1 b2 a0 a1 a2 with a0 = 1;
 *  - digital critical frequencies are in (0, 1), 1 the Nyquist frequency
 *    (fs = 0, SciPy's fs=None), or in (0, fs/2) Hz when fs > 0; analog
 *    ones are angular frequencies (rad/s) > 0 and need fs = 0;
 *  - errors return XP_E* with a message naming the argument and its value
 *    ("butter: Wn[1] (1.2) must be in (0, 1)"); outputs are then undefined.
 * Included by xps.h.
 */
#ifndef XPS_IIR_H
#define XPS_IIR_H

#include "xps.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ names */

typedef enum {
    XPS_BTYPE_LOWPASS = 0,
    XPS_BTYPE_HIGHPASS = 1,
    XPS_BTYPE_BANDPASS = 2,
    XPS_BTYPE_BANDSTOP = 3
} xps_btype;

typedef enum {
    XPS_FTYPE_BUTTER = 0,
    XPS_FTYPE_CHEBY1 = 1,
    XPS_FTYPE_CHEBY2 = 2,
    XPS_FTYPE_ELLIP = 3,
    XPS_FTYPE_BESSEL = 4,           /* 'bessel' = 'bessel_phase' */
    XPS_FTYPE_BESSEL_DELAY = 5,
    XPS_FTYPE_BESSEL_MAG = 6
} xps_ftype;

typedef enum {
    XPS_OUTPUT_BA = 0,
    XPS_OUTPUT_ZPK = 1,
    XPS_OUTPUT_SOS = 2
} xps_output;

/* besselap / bessel norm. */
typedef enum {
    XPS_BESSEL_NORM_PHASE = 0,
    XPS_BESSEL_NORM_DELAY = 1,
    XPS_BESSEL_NORM_MAG = 2
} xps_bessel_norm;

/* zpk2sos / tf2sos pairing; DEFAULT is SciPy's None: 'minimal' for analog,
 * 'nearest' for digital. */
typedef enum {
    XPS_PAIRING_DEFAULT = 0,
    XPS_PAIRING_NEAREST = 1,
    XPS_PAIRING_KEEP_ODD = 2,
    XPS_PAIRING_MINIMAL = 3
} xps_pairing;

/* Parse SciPy's names, case-insensitive, SciPy's aliases included; XP_EINVAL
 * for an unknown name, *out unchanged.  btype: band bandpass pass bp bs
 * bandstop bands stop l low lowpass lp h high highpass hp. */
XPS_API int xps_btype_parse(const char *name, xps_btype *out);
/* ftype: butter butterworth cheby1 chebyshev1 chebyshevi cheby2 chebyshev2
 * chebyshevii ellip elliptic cauer bessel bessel_phase bessel_delay bessel_mag. */
XPS_API int xps_ftype_parse(const char *name, xps_ftype *out);
/* output: ba zpk sos. */
XPS_API int xps_output_parse(const char *name, xps_output *out);
/* norm: phase delay mag. */
XPS_API int xps_bessel_norm_parse(const char *name, xps_bessel_norm *out);
/* pairing: nearest keep_odd minimal, or none / default. */
XPS_API int xps_pairing_parse(const char *name, xps_pairing *out);
/* Canonical names ("lowpass", "ellip", "bessel_delay", "sos", ...); "?" if invalid. */
XPS_API const char *xps_btype_name(xps_btype btype);
XPS_API const char *xps_ftype_name(xps_ftype ftype);
XPS_API const char *xps_output_name(xps_output output);

/* ------------------------------------------------------ filter design
 * A design writes one form into two caller buffers c1, c2 and the gain k:
 *   BA:  c1 = b [*n1], c2 = a [*n2]                 (k unused, may be NULL)
 *   ZPK: c1 = z [2 *n1], c2 = p [2 *n2], *k = gain
 *   SOS: c1 = sos [*n1][6]                          (c2, n2, k unused, may be NULL)
 * For order N, c1 and c2 need XPS_IIR_BUFLEN(N) doubles each (band filters
 * have order 2N: up to 2N zeros and poles, N sections). */
#define XPS_IIR_BUFLEN(N) (6 * (int64_t)(N) + 6)
/* XPS_IIR_BUFLEN(N) for FFI callers; N >= 0. */
XPS_API int64_t xps_iir_buflen(int64_t N);

/* scipy.signal.iirfilter: order N >= 1; Wn [nWn], nWn 1 (low/high) or 2
 * (band, Wn[0] < Wn[1]); rp > 0 dB (cheby1, ellip), rs > 0 dB (cheby2,
 * ellip), ignored otherwise; analog 0/1; fs >= 0 (0: Wn normalized). */
XPS_API int xps_iirfilter(int64_t N, const double *Wn, int64_t nWn, double rp,
                          double rs, xps_btype btype, int analog, xps_ftype ftype,
                          xps_output output, double fs, double *c1, int64_t *n1,
                          double *c2, int64_t *n2, double *k);
/* butter(N, Wn, btype, analog, output, fs): as xps_iirfilter. */
XPS_API int xps_butter(int64_t N, const double *Wn, int64_t nWn, xps_btype btype,
                       int analog, xps_output output, double fs, double *c1,
                       int64_t *n1, double *c2, int64_t *n2, double *k);
/* cheby1(N, rp, Wn, ...): rp > 0 dB passband ripple. */
XPS_API int xps_cheby1(int64_t N, double rp, const double *Wn, int64_t nWn,
                       xps_btype btype, int analog, xps_output output, double fs,
                       double *c1, int64_t *n1, double *c2, int64_t *n2, double *k);
/* cheby2(N, rs, Wn, ...): rs > 0 dB stopband attenuation. */
XPS_API int xps_cheby2(int64_t N, double rs, const double *Wn, int64_t nWn,
                       xps_btype btype, int analog, xps_output output, double fs,
                       double *c1, int64_t *n1, double *c2, int64_t *n2, double *k);
/* ellip(N, rp, rs, Wn, ...): rp > 0, rs > 0 dB. */
XPS_API int xps_ellip(int64_t N, double rp, double rs, const double *Wn, int64_t nWn,
                      xps_btype btype, int analog, xps_output output, double fs,
                      double *c1, int64_t *n1, double *c2, int64_t *n2, double *k);
/* bessel(N, Wn, btype, analog, output, norm, fs). */
XPS_API int xps_bessel(int64_t N, const double *Wn, int64_t nWn, xps_btype btype,
                       int analog, xps_output output, xps_bessel_norm norm, double fs,
                       double *c1, int64_t *n1, double *c2, int64_t *n2, double *k);

/* scipy.signal.iirdesign: passband wp [nw] and stopband ws [nw] edges, nw 1
 * or 2 (bandpass: ws outside wp; bandstop: ws inside wp; the band type
 * follows as in SciPy), 0 < gpass <= gstop dB; ftype butter, cheby1,
 * cheby2 or ellip.  c1, c2 hold cap doubles each (XP_ESHAPE if the
 * designed filter needs more: XPS_IIR_BUFLEN of the order from the *ord
 * function); *order (may be NULL) gets the order chosen. */
XPS_API int xps_iirdesign(const double *wp, const double *ws, int64_t nw,
                          double gpass, double gstop, int analog, xps_ftype ftype,
                          xps_output output, double fs, int64_t cap, double *c1,
                          int64_t *n1, double *c2, int64_t *n2, double *k,
                          int64_t *order);

/* ------------------------------------------------------ order selection
 * buttord, cheb1ord, cheb2ord, ellipord(wp, ws, gpass, gstop, analog, fs):
 * wp, ws [nw] as for xps_iirdesign; *N the lowest order meeting the specs,
 * Wn [nw] the natural frequencies to give the design function (in Hz when
 * fs > 0).  Band-stop specs move the passband edges by SciPy's bounded
 * scalar minimisation (fminbound, xtol 1e-5, 500 evaluations). */
XPS_API int xps_buttord(const double *wp, const double *ws, int64_t nw, double gpass,
                        double gstop, int analog, double fs, int64_t *N, double *Wn);
XPS_API int xps_cheb1ord(const double *wp, const double *ws, int64_t nw, double gpass,
                         double gstop, int analog, double fs, int64_t *N, double *Wn);
XPS_API int xps_cheb2ord(const double *wp, const double *ws, int64_t nw, double gpass,
                         double gstop, int analog, double fs, int64_t *N, double *Wn);
XPS_API int xps_ellipord(const double *wp, const double *ws, int64_t nw, double gpass,
                         double gstop, int analog, double fs, int64_t *N, double *Wn);

/* ------------------------------------------------- analog prototypes
 * Lowpass prototypes with cutoff 1 rad/s; N >= 0; z [2N], p [2N]. */

/* buttap(N): no zeros, N poles on the unit circle, k = 1. */
XPS_API int xps_buttap(int64_t N, double *z, int64_t *nz, double *p, int64_t *np,
                       double *k);
/* cheb1ap(N, rp): rp > 0 dB ripple; no zeros. */
XPS_API int xps_cheb1ap(int64_t N, double rp, double *z, int64_t *nz, double *p,
                        int64_t *np, double *k);
/* cheb2ap(N, rs): rs > 0 dB; N - N % 2 zeros on the imaginary axis. */
XPS_API int xps_cheb2ap(int64_t N, double rs, double *z, int64_t *nz, double *p,
                        int64_t *np, double *k);
/* ellipap(N, rp, rs): rp > 0, rs > 0 dB; N - N % 2 zeros. */
XPS_API int xps_ellipap(int64_t N, double rp, double rs, double *z, int64_t *nz,
                        double *p, int64_t *np, double *k);
/* besselap(N, norm): no zeros. */
XPS_API int xps_besselap(int64_t N, xps_bessel_norm norm, double *z, int64_t *nz,
                         double *p, int64_t *np, double *k);

/* ---------------------------------------------------- notch and peak
 * iirnotch / iirpeak(w0, Q, fs): second-order sections b [3], a [3];
 * 0 <= w0 <= fs/2, Q > 0, fs > 0 (0 means SciPy's default 2.0). */
XPS_API int xps_iirnotch(double w0, double Q, double fs, double *b, double *a);
XPS_API int xps_iirpeak(double w0, double Q, double fs, double *b, double *a);

/* --------------------------------------------------------- conversions */

/* zpk2tf: b [nz + 1], a [np + 1].  Roots must pair as complex conjugates
 * (real coefficients; XP_EINVAL otherwise). */
XPS_API int xps_zpk2tf(const double *z, int64_t nz, const double *p, int64_t np,
                       double k, double *b, double *a);
/* tf2zpk: nb >= 1, na >= 1 (a not all zero); z [2 (nb - 1)], p [2 (na - 1)].
 * Roots are companion-matrix eigenvalues (LAPACK dgeev), as numpy.roots. */
XPS_API int xps_tf2zpk(const double *b, int64_t nb, const double *a, int64_t na,
                       double *z, int64_t *nz, double *p, int64_t *np, double *k);
/* zpk2sos: sos [max(1, (max(nz, np) + 1) / 2)][6]; analog needs pairing
 * MINIMAL (or DEFAULT) and np >= nz. */
XPS_API int xps_zpk2sos(const double *z, int64_t nz, const double *p, int64_t np,
                        double k, xps_pairing pairing, int analog, double *sos,
                        int64_t *nsec);
/* tf2sos: sos [max(1, max(nb, na) / 2)][6]. */
XPS_API int xps_tf2sos(const double *b, int64_t nb, const double *a, int64_t na,
                       xps_pairing pairing, int analog, double *sos, int64_t *nsec);
/* sos2tf: nsec >= 1; b [2 nsec + 1], a [2 nsec + 1] (leading zeros of a
 * section are dropped, as SciPy's polymul does). */
XPS_API int xps_sos2tf(const double *sos, int64_t nsec, double *b, int64_t *nb,
                       double *a, int64_t *na);
/* sos2zpk: nsec >= 1; z [2 * 2 nsec], p [2 * 2 nsec]: always 2 nsec each,
 * a section of lower degree padded with zeros at 0, as SciPy. */
XPS_API int xps_sos2zpk(const double *sos, int64_t nsec, double *z, double *p,
                        double *k);
/* bilinear(b, a, fs): fs > 0; bz, az [max(nb, na)]. */
XPS_API int xps_bilinear(const double *b, int64_t nb, const double *a, int64_t na,
                         double fs, double *bz, int64_t *nbz, double *az,
                         int64_t *naz);
/* bilinear_zpk(z, p, k, fs): np >= nz, fs > 0; zd [2 np], pd [2 np]. */
XPS_API int xps_bilinear_zpk(const double *z, int64_t nz, const double *p, int64_t np,
                             double k, double fs, double *zd, int64_t *nzd,
                             double *pd, int64_t *npd, double *kd);
/* lp2lp_zpk(z, p, k, wo): np >= nz, wo > 0; zo [2 nz], po [2 np]. */
XPS_API int xps_lp2lp_zpk(const double *z, int64_t nz, const double *p, int64_t np,
                          double k, double wo, double *zo, int64_t *nzo, double *po,
                          int64_t *npo, double *ko);
/* lp2hp_zpk: np >= nz, wo > 0; zo [2 np], po [2 np]. */
XPS_API int xps_lp2hp_zpk(const double *z, int64_t nz, const double *p, int64_t np,
                          double k, double wo, double *zo, int64_t *nzo, double *po,
                          int64_t *npo, double *ko);
/* lp2bp_zpk(z, p, k, wo, bw): np >= nz, wo > 0, bw > 0; zo [2 (nz + np)], po [2 * 2 np]. */
XPS_API int xps_lp2bp_zpk(const double *z, int64_t nz, const double *p, int64_t np,
                          double k, double wo, double bw, double *zo, int64_t *nzo,
                          double *po, int64_t *npo, double *ko);
/* lp2bs_zpk(z, p, k, wo, bw): np >= nz, wo > 0, bw > 0; zo [2 * 2 np], po [2 * 2 np]. */
XPS_API int xps_lp2bs_zpk(const double *z, int64_t nz, const double *p, int64_t np,
                          double k, double wo, double bw, double *zo, int64_t *nzo,
                          double *po, int64_t *npo, double *ko);

/* -------------------------------------------------- frequency response
 * freqz(b, a, worN, whole, fs, include_nyquist): w [nw] in the units of fs,
 * h [2 nw] complex.  freqs NULL: nw >= 0 frequencies equally spaced over
 * [0, fs/2) ([0, fs/2] with include_nyquist, [0, fs) with whole); else the
 * nw frequencies freqs [nw] (whole, include_nyquist ignored).  a may be
 * NULL with na = 0 (a = 1).  fs > 0, or 0 for SciPy's default 2 pi
 * (w in rad/sample). */
XPS_API int xps_freqz(const double *b, int64_t nb, const double *a, int64_t na,
                      int64_t nw, const double *freqs, int whole, double fs,
                      int include_nyquist, double *w, double *h);
/* freqz_sos(sos, worN, whole, fs): nsec >= 1, sos[i][3] = 1; as xps_freqz. */
XPS_API int xps_freqz_sos(const double *sos, int64_t nsec, int64_t nw,
                          const double *freqs, int whole, double fs, double *w,
                          double *h);
/* sosfreqz: SciPy's older name of freqz_sos. */
XPS_API int xps_sosfreqz(const double *sos, int64_t nsec, int64_t nw,
                         const double *freqs, int whole, double fs, double *w,
                         double *h);

#ifdef __cplusplus
}
#endif
#endif /* XPS_IIR_H */
