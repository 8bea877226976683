#!/usr/bin/env python3
"""Golden vectors for tests/check_iir.c from scipy.signal's IIR design.

Run from anywhere: writes iir.txt next to this script.  Needs SciPy 1.17:
re-runs itself under /opt/scipy-venv/bin/python when the interpreter's
SciPy is missing or older.  It also re-runs itself with numpy's SIMD loops
switched off (see NO_SIMD), so the file does not depend on the CPU.

Format: a record is a header line starting with '@' followed by data lines.
A data line is NAME COUNT V1 .. VCOUNT (COUNT doubles; complex arrays as
re im pairs, so COUNT is twice their length).  Input data lines of a record
start with 'i' (ib, ia, iz, ip, ik, isos, ifreqs); the others are SciPy's
results; a line 'err 1 1' says that SciPy raised an error.  Numbers are Python's shortest round-trip repr.

  @ ap FTYPE N RP RS                 analog prototype -> z p k
  @ filt FTYPE N RP RS BTYPE ANALOG OUTPUT FS NWN WN..
                                     iirfilter -> b a | z p k | sos
  @ ord FUNC ANALOG FS NW WP.. WS.. GPASS GSTOP
                                     buttord etc. -> N wn [sens]
  @ design FTYPE ANALOG OUTPUT FS NW WP.. WS.. GPASS GSTOP
                                     iirdesign -> N, then the output
  @ notch W0 Q FS / @ peak W0 Q FS   iirnotch / iirpeak -> b a
  @ conv NAME ARGS..                 conversions (inputs i*, outputs)
  @ freqz WHOLE FS INCL NW EXPLICIT  ib ia [ifreqs] -> w h
  @ freqz_sos WHOLE FS NW EXPLICIT   isos [ifreqs] -> w h

FTYPE: butter cheby1 cheby2 ellip bessel_phase bessel_delay bessel_mag.
FS 0 means None (normalized frequencies).  RP / RS 0 when unused.
A line 'sens 1 1' marks a band-stop spec whose order search (fminbound)
ends elsewhere when the objective moves by one ulp: there only agreement
to the search's tolerance can be asked.
"""
import os
import sys
import warnings

VENV_PYTHON = "/opt/scipy-venv/bin/python"
# numpy's SIMD math (SVML on AVX-512) rounds tan, arccosh, ... differently
# from the C library; the band-stop order search can follow another path
# for one ulp.  Run numpy on its baseline loops (the C library's functions)
# so that the file does not depend on the machine that writes it.
NO_SIMD = "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"
if os.environ.get("NPY_DISABLE_CPU_FEATURES") != NO_SIMD:
    os.environ["NPY_DISABLE_CPU_FEATURES"] = NO_SIMD
    os.execv(sys.executable, [sys.executable] + sys.argv)
try:
    import scipy
    if tuple(int(x) for x in scipy.__version__.split(".")[:2]) < (1, 17):
        raise ImportError("SciPy %s is older than 1.17" % scipy.__version__)
except ImportError:
    if os.path.exists(VENV_PYTHON) and not os.environ.get("GEN_IIR_REEXEC"):
        os.environ["GEN_IIR_REEXEC"] = "1"
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    raise

import numpy as np
import scipy
from scipy import signal
import scipy.signal._filter_design as _fd

warnings.simplefilter("ignore")  # BadCoefficients for high-order ba forms

out = []


def num(x):
    return repr(float(x))


def header(*tok):
    out.append("@ " + " ".join(str(t) for t in tok))


def data(name, values, cplx=False):
    v = np.asarray(values)
    if cplx:
        v = np.asarray(v, dtype=complex).ravel()
        flat = np.empty(2 * v.size)
        flat[0::2] = v.real
        flat[1::2] = v.imag
    else:
        flat = np.asarray(v, dtype=float).ravel()
    out.append(" ".join([name, str(flat.size)] + [num(x) for x in flat]))


def zpk_lines(z, p, k, prefix=""):
    data(prefix + "z", z, True)
    data(prefix + "p", p, True)
    data(prefix + "k", [k])


# ------------------------------------------------------------- prototypes
# (family, rp, rs) for the analog prototypes and the design grid.
PRIMARY = [("butter", 0, 0), ("cheby1", 1, 0), ("cheby2", 0, 40),
           ("ellip", 1, 40), ("bessel_phase", 0, 0)]
SECONDARY = [("cheby1", 0.1, 0), ("cheby1", 3, 0), ("cheby2", 0, 20),
             ("cheby2", 0, 80), ("ellip", 0.5, 60), ("ellip", 3, 20),
             ("ellip", 0.1, 100), ("bessel_delay", 0, 0), ("bessel_mag", 0, 0)]


def prototype(ft, n, rp, rs):
    if ft == "butter":
        return signal.buttap(n)
    if ft == "cheby1":
        return signal.cheb1ap(n, rp)
    if ft == "cheby2":
        return signal.cheb2ap(n, rs)
    if ft == "ellip":
        return signal.ellipap(n, rp, rs)
    return signal.besselap(n, norm=ft.split("_")[1])


for ft, rp, rs in PRIMARY + SECONDARY:
    orders = list(range(0, 11))
    if ft.startswith("bessel"):
        orders += [12, 16, 20, 25, 40, 51, 72]
    if ft in ("ellip", "cheby1", "cheby2", "butter"):
        orders += [14, 20]
    for n in orders:
        z, p, k = prototype(ft, n, rp, rs)
        header("ap", ft, n, num(rp), num(rs))
        zpk_lines(z, p, k)

# ----------------------------------------------------------------- designs
SCIPY_FTYPE = {"butter": "butter", "cheby1": "cheby1", "cheby2": "cheby2",
               "ellip": "ellip", "bessel_phase": "bessel_phase",
               "bessel_delay": "bessel_delay", "bessel_mag": "bessel_mag"}


def wn_for(btype, analog, fs, n):
    """Critical frequencies varied with the order so the grid covers more."""
    j = n % 3
    if analog:
        return [[0.5, 2.0, 30.0][j]] if btype in ("lowpass", "highpass") else \
            [[0.5, 2.0], [1.0, 1.5], [10.0, 300.0]][j]
    if btype in ("lowpass", "highpass"):
        w = [[0.3], [0.05], [0.8]][j]
    else:
        w = [[0.2, 0.5], [0.1, 0.12], [0.6, 0.9]][j]
    return [x * fs / 2 for x in w] if fs else w


def design(ft, n, rp, rs, btype, analog, output, fs, wn):
    kw = dict(btype=btype, analog=bool(analog), output=output,
              ftype=SCIPY_FTYPE[ft], fs=(fs or None))
    if rp:
        kw["rp"] = rp
    if rs:
        kw["rs"] = rs
    return signal.iirfilter(n, wn if len(wn) == 2 else wn[0], **kw)


def filt(ft, n, rp, rs, btype, analog, output, fs):
    wn = wn_for(btype, analog, fs, n)
    header("filt", ft, n, num(rp), num(rs), btype, analog, output, num(fs),
           len(wn), *[num(w) for w in wn])
    try:
        res = design(ft, n, rp, rs, btype, analog, output, fs, wn)
    except IndexError:
        # SciPy 1.17's zpk2sos finds no real zero for an odd-order analog
        # cheby2 / ellip bandpass; we fail the same way
        data("err", [1])
        return
    if output == "zpk":
        zpk_lines(*res)
    elif output == "ba":
        data("b", res[0])
        data("a", res[1])
    else:
        data("sos", res)


BTYPES = ["lowpass", "highpass", "bandpass", "bandstop"]
# Every order 1..10 for lowpass and highpass; band filters (twice the
# order) at fewer orders, to keep the file small.
BAND_ORDERS = (1, 2, 3, 5, 7, 10)
for ft, rp, rs in PRIMARY:
    for n in range(1, 11):
        for btype in BTYPES:
            band = btype.startswith("band")
            for analog in (0, 1):
                if not band or n in BAND_ORDERS:
                    filt(ft, n, rp, rs, btype, analog, "zpk", 0)
                if n in ((1, 3, 6, 10) if band else (1, 2, 3, 4, 7, 10)):
                    filt(ft, n, rp, rs, btype, analog, "sos", 0)
                if n in ((1, 4, 10) if band else (1, 2, 5, 9)):
                    filt(ft, n, rp, rs, btype, analog, "ba", 0)
            if n in (2, 5):
                filt(ft, n, rp, rs, btype, 0, "zpk", 1000.0)
                filt(ft, n, rp, rs, btype, 0, "sos", 4096.0)
for ft, rp, rs in SECONDARY:
    for n in range(1, 11):
        filt(ft, n, rp, rs, "lowpass", 0, "zpk", 0)
        if n in (2, 5, 9):
            filt(ft, n, rp, rs, "bandstop", 0, "zpk", 0)
        if n in (3, 8):
            filt(ft, n, rp, rs, "highpass", 1, "zpk", 0)
            filt(ft, n, rp, rs, "bandpass", 1, "zpk", 0)
            filt(ft, n, rp, rs, "bandpass", 0, "sos", 0)
            filt(ft, n, rp, rs, "lowpass", 0, "ba", 0)

# --------------------------------------------------------- order selection
_band_stop_obj = _fd.band_stop_obj


def ord_sensitive(func, *args, **kw):
    """True if changes of a few ulps in the band-stop objective (ours and
    SciPy's elliptic integrals differ by as much) move the result."""
    base = func(*args, **kw)
    rng = np.random.default_rng(7)
    for ulps in (1, 3, 8):
        for pattern in ("up", "down", "alternate", "random", "random"):
            count = [0]
            signs = rng.choice([-1.0, 1.0], size=1000)

            def obj(*a, ulps=ulps, pattern=pattern, signs=signs):
                v = _band_stop_obj(*a)
                i = count[0]
                count[0] += 1
                s = {"up": 1.0, "down": -1.0, "alternate": 1.0 if i % 2 else -1.0,
                     "random": signs[i % 1000]}[pattern]
                return v * (1 + s * ulps * 2.0 ** -52)
            _fd.band_stop_obj = obj
            try:
                other = func(*args, **kw)
            finally:
                _fd.band_stop_obj = _band_stop_obj
            if other[0] != base[0] or not np.allclose(other[1], base[1], rtol=1e-12, atol=0):
                return True
    return False


ORD = {"buttord": signal.buttord, "cheb1ord": signal.cheb1ord,
       "cheb2ord": signal.cheb2ord, "ellipord": signal.ellipord}
ORD_SPECS = [  # wp, ws, gpass, gstop, analog, fs
    ([0.2], [0.3], 3, 40, 0, 0), ([0.3], [0.2], 1, 60, 0, 0),
    ([0.2, 0.5], [0.1, 0.6], 2, 50, 0, 0), ([0.1, 0.6], [0.2, 0.5], 1, 40, 0, 0),
    ([0.05], [0.07], 0.5, 30, 0, 0), ([0.6, 0.65], [0.55, 0.7], 1, 80, 0, 0),
    ([0.2, 0.3], [0.24, 0.26], 0.1, 20, 0, 0), ([0.45, 0.5], [0.2, 0.8], 3, 30, 0, 0),
    ([100], [150], 3, 40, 0, 1000.0), ([300, 600], [200, 700], 1, 45, 0, 2000.0),
    ([60, 200], [80, 150], 1, 30, 0, 1000.0), ([2.0], [3.0], 1, 40, 1, 0),
    ([5.0], [2.0], 3, 60, 1, 0), ([10.0, 30.0], [5.0, 40.0], 1, 40, 1, 0),
    ([5.0, 40.0], [10.0, 30.0], 2, 35, 1, 0), ([13 / 2048, 15 / 2048],
                                               [13.9 / 2048, 14.1 / 2048], 1, 6, 0, 0),
]
for fname, func in ORD.items():
    for wp, ws, gp, gs, analog, fs in ORD_SPECS:
        n, wn = func(wp if len(wp) == 2 else wp[0], ws if len(ws) == 2 else ws[0],
                     gp, gs, analog=bool(analog), fs=(fs or None))
        header("ord", fname, analog, num(fs), len(wp), *[num(x) for x in wp + ws],
               num(gp), num(gs))
        data("N", [n])
        data("wn", np.atleast_1d(wn))
        if ord_sensitive(func, wp if len(wp) == 2 else wp[0], ws if len(ws) == 2 else ws[0],
                         gp, gs, analog=bool(analog), fs=(fs or None)):
            data("sens", [1])


# --------------------------------------------------------------- iirdesign
def iirdesign(ft, analog, output, fs, wp, ws, gp, gs):
    ordfunc = ORD[{"butter": "buttord", "cheby1": "cheb1ord", "cheby2": "cheb2ord",
                   "ellip": "ellipord"}[ft]]
    ordargs = (wp if len(wp) == 2 else wp[0], ws if len(ws) == 2 else ws[0], gp, gs)
    N = ordfunc(*ordargs, analog=bool(analog), fs=(fs or None))[0]
    res = signal.iirdesign(wp if len(wp) == 2 else wp[0], ws if len(ws) == 2 else ws[0],
                           gp, gs, analog=bool(analog), ftype=ft, output=output,
                           fs=(fs or None))
    header("design", ft, analog, output, num(fs), len(wp), *[num(x) for x in wp + ws],
           num(gp), num(gs))
    data("N", [N])
    if ord_sensitive(ordfunc, *ordargs, analog=bool(analog), fs=(fs or None)):
        data("sens", [1])
    if output == "zpk":
        zpk_lines(*res)
    elif output == "ba":
        data("b", res[0])
        data("a", res[1])
    else:
        data("sos", res)


for ft in ("butter", "cheby1", "cheby2", "ellip"):
    for i, (wp, ws, gp, gs, analog, fs) in enumerate(ORD_SPECS):
        iirdesign(ft, analog, ["zpk", "sos", "ba"][i % 3], fs, wp, ws, gp, gs)

# GW150914 notches exactly as the GWOSC tutorial (LOSC_Event_tutorial's
# iir_bandstops) calls iirdesign: edges (f -+ df) / nyq, (f -+ df2) / nyq,
# no fs, gpass 1, gstop 6, ellip, zpk; and the same specs given in Hz.
fs_gw = 4096
nyq = 0.5 * fs_gw
NOTCHES = [(f, 1, 0.1) for f in (14.0, 34.70, 35.30, 35.90, 36.70, 37.30, 40.95,
                                  60.00, 120.00, 179.99, 304.99, 331.49, 510.02,
                                  1009.99)] + [(510, 200, 20), (331.5, 10, 1)]
for f, df, df2 in NOTCHES:
    wp = [(f - df) / nyq, (f + df) / nyq]
    ws = [(f - df2) / nyq, (f + df2) / nyq]
    iirdesign("ellip", 0, "zpk", 0, wp, ws, 1, 6)
    iirdesign("ellip", 0, "sos", fs_gw, [f - df, f + df], [f - df2, f + df2], 1, 6)

# ------------------------------------------------------------- notch, peak
for w0, Q, fs in [(0.1, 30, 2.0), (0.5, 1, 2.0), (60, 30, 1000), (120, 35, 4096),
                  (0.9, 0.5, 2.0), (1000, 10, 44100), (0.0, 5, 2.0), (1.0, 5, 2.0)]:
    for kind, func in (("notch", signal.iirnotch), ("peak", signal.iirpeak)):
        b, a = func(w0, Q, fs=fs)
        header(kind, num(w0), num(Q), num(fs))
        data("b", b)
        data("a", a)

# ------------------------------------------------------------- conversions
rng = np.random.default_rng(1234)

conv_zpks = [signal.ellip(4, 1, 40, 0.3, output="zpk"),
             signal.butter(5, [0.2, 0.4], "bandpass", output="zpk"),
             signal.cheby2(3, 30, 0.6, "highpass", output="zpk"),
             signal.cheby1(3, 1, [0.1, 0.5], "bandstop", output="zpk"),
             signal.butter(3, 2.0, analog=True, output="zpk"),
             signal.ellip(3, 1, 30, [1.0, 3.0], "bandpass", analog=True, output="zpk"),
             (np.array([0.5, -0.3]), np.array([0.2 + 0.3j, 0.2 - 0.3j, 0.7]), 2.0),
             (np.array([1.0, 1.0, -1.0]), np.array([0.9, 0.5 + 0.5j, 0.5 - 0.5j,
                                                    -0.2]), 0.5),
             (np.array([]), np.array([0.3, 0.6, -0.5]), 1.5),
             (np.array([0.1j, -0.1j, 2.0]), np.array([0.5, 0.4, 0.3]), 3.0),
             (np.array([]), np.array([]), 2.5)]
for idx, (z, p, k) in enumerate(conv_zpks):
    analog = 1 if idx in (4, 5) else 0
    header("conv", "zpk2tf")
    zpk_lines(z, p, k, "i")
    b, a = signal.zpk2tf(z, p, k)
    data("b", np.real(b))
    data("a", np.real(a))
    pairings = ["minimal"] if analog else ["nearest", "keep_odd", "minimal"]
    for pairing in pairings:
        if pairing == "minimal" and not analog and len(z) > len(p):
            continue
        header("conv", "zpk2sos", pairing, analog)
        zpk_lines(z, p, k, "i")
        data("sos", signal.zpk2sos(z, p, k, pairing=pairing, analog=bool(analog)))

conv_tfs = [signal.butter(4, 0.3), signal.cheby1(5, 0.5, [0.2, 0.6], "bandpass"),
            signal.ellip(3, 1, 50, 0.4, "highpass"), ([0.0, 0.0, 1.0, 0.5], [1.0, 0.2]),
            ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]), ([0.0, 1e-16, 2.0, 1.0], [2.0, 1.0, 0.5]),
            ([3.0], [1.0, -0.5]), ([1.0, 0.0, 0.0], [1.0, -0.1, 0.0])]
for b, a in conv_tfs:
    header("conv", "tf2zpk")
    data("ib", b)
    data("ia", a)
    zpk_lines(*signal.tf2zpk(b, a))
    for pairing in ("nearest", "keep_odd"):
        header("conv", "tf2sos", pairing, 0)
        data("ib", b)
        data("ia", a)
        data("sos", signal.tf2sos(b, a, pairing=pairing))

conv_sos = [signal.ellip(6, 1, 50, 0.3, output="sos"),
            signal.butter(3, [0.2, 0.3], "bandstop", output="sos"),
            np.array([[1.0, 2.0, 1.0, 1.0, -0.5, 0.1], [0.0, 1.0, 0.5, 1.0, 0.3, 0.0],
                      [0.0, 0.0, 2.0, 1.0, 0.0, 0.0]]),
            signal.cheby2(5, 40, 3.0, analog=True, output="sos")]
for sos in conv_sos:
    header("conv", "sos2tf")
    data("isos", sos)
    b, a = signal.sos2tf(sos)
    data("b", b)
    data("a", a)
    header("conv", "sos2zpk")
    data("isos", sos)
    zpk_lines(*signal.sos2zpk(sos))

bil_tfs = [([1.0], [1.0, 1.4142135623730951, 1.0]), ([1.0, 0.0], [1.0, 2.0, 5.0]),
           ([0.5, 1.0, 2.0], [1.0, 3.0, 3.0, 1.0]), ([0.0, 2.0], [1.0, 3.0]),
           signal.cheby1(4, 1, 5.0, analog=True)]
for b, a in bil_tfs:
    for fs in (1.0, 10.0, 44100.0):
        header("conv", "bilinear", num(fs))
        data("ib", b)
        data("ia", a)
        bz, az = signal.bilinear(b, a, fs=fs)
        data("b", bz)
        data("a", az)

lp_zpks = [signal.buttap(4), signal.cheb1ap(3, 1), signal.cheb2ap(5, 40),
           signal.ellipap(4, 0.5, 50), signal.besselap(3),
           (np.array([-2.0]), np.array([-1.0, -3.0 + 1j, -3.0 - 1j]), 4.0)]
for z, p, k in lp_zpks:
    for fs in (2.0, 100.0):
        header("conv", "bilinear_zpk", num(fs))
        zpk_lines(z, p, k, "i")
        zpk_lines(*signal.bilinear_zpk(z, p, k, fs))
    for wo in (1.0, 25.0):
        for name, func in (("lp2lp_zpk", signal.lp2lp_zpk), ("lp2hp_zpk", signal.lp2hp_zpk)):
            header("conv", name, num(wo))
            zpk_lines(z, p, k, "i")
            zpk_lines(*func(z, p, k, wo))
        for bw in (0.5, 4.0):
            for name, func in (("lp2bp_zpk", signal.lp2bp_zpk),
                               ("lp2bs_zpk", signal.lp2bs_zpk)):
                header("conv", name, num(wo), num(bw))
                zpk_lines(z, p, k, "i")
                zpk_lines(*func(z, p, k, wo, bw))

# ------------------------------------------------------ frequency response
fz_tfs = [signal.butter(4, 0.3), signal.ellip(5, 1, 40, [0.2, 0.4], "bandpass"),
          ([0.25, 0.5, 0.25], [1.0]), (rng.standard_normal(9), [1.0]),
          ([1.0, -1.0], [1.0, -0.9])]
for b, a in fz_tfs:
    for whole, fs, incl, nw in [(0, 0, 0, 16), (1, 0, 0, 16), (0, 0, 1, 17),
                                (0, 1000.0, 0, 12), (1, 4096.0, 0, 9), (0, 2.0, 1, 1),
                                (0, 0, 0, 0), (1, 0, 1, 7)]:
        w, h = signal.freqz(b, a, worN=nw, whole=bool(whole), fs=(fs or 2 * np.pi),
                            include_nyquist=bool(incl))
        header("freqz", whole, num(fs), incl, nw, 0)
        data("ib", b)
        data("ia", a)
        data("w", w)
        data("h", h, True)
    freqs = np.array([0.0, 10.0, 55.5, 120.0, 250.0, 499.0])
    w, h = signal.freqz(b, a, worN=freqs, fs=1000.0)
    header("freqz", 0, num(1000.0), 0, len(freqs), 1)
    data("ib", b)
    data("ia", a)
    data("ifreqs", freqs)
    data("w", w)
    data("h", h, True)

for sos in conv_sos[:3]:
    for whole, fs, nw in [(0, 0, 16), (1, 0, 10), (0, 500.0, 8)]:
        w, h = signal.freqz_sos(sos, worN=nw, whole=bool(whole), fs=(fs or 2 * np.pi))
        header("freqz_sos", whole, num(fs), nw, 0)
        data("isos", sos)
        data("w", w)
        data("h", h, True)
    freqs = np.array([0.01, 0.5, 1.0, 3.0])
    w, h = signal.freqz_sos(sos, worN=freqs, fs=2 * np.pi)
    header("freqz_sos", 0, num(0.0), len(freqs), 1)
    data("isos", sos)
    data("ifreqs", freqs)
    data("w", w)
    data("h", h, True)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "iir.txt"), "w") as f:
    f.write("# scipy.signal IIR design golden vectors, SciPy %s, numpy %s; "
            "written by gen_iir.py\n" % (scipy.__version__, np.__version__))
    f.write("\n".join(out) + "\n")
