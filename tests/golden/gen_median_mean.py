#!/usr/bin/env python3
"""Golden vectors for tests/check_median_mean.c: LIGO's median-mean PSD.

The reference is LALSuite's XLALREAL8AverageSpectrumMedianMean (through
the lal Python module) where LAL accepts the case, PyCBC's
pycbc.psd.welch(avg_method='median-mean') where it does not (an odd
number of segments), and, when neither is importable, the same definition
written out below with NumPy (mm_numpy).  Every reference is cross-checked
against the others that are available.  Run it with the interpreter of a
venv holding lalsuite, pycbc and scipy, e.g.
    python3 -m venv /opt/lal-venv && /opt/lal-venv/bin/pip install lalsuite pycbc
    /opt/lal-venv/bin/python tests/golden/gen_median_mean.py
It writes median_mean.txt next to itself.

LAL's conventions as xps_welch options: window = LAL's Hann
(XLALCreateHannREAL8Window), which is the *symmetric* Hann (SciPy's
hann(M, sym=True), our "hann_symmetric"), not welch's periodic default;
no detrending (detrend=False); stride = nperseg - noverlap; density
scaling, one-sided, DC and Nyquist not doubled (as SciPy).

Input series: x[i] = SCALE * u[i], u the xorshift64 sequence below (exactly
reproducible in C), in [-1, 1).

Format (values as Python's repr, which reads back exactly; space separated):
  c NAME NPERSEG NOVERLAP N SEED SCALE NSEG HALFBIAS SRC
  mm V0 .. V(nfreq-1)   the LIGO median-mean PSD (SRC: lal, pycbc, numpy);
                        for N longer than the segments need, the reference
                        is computed on the first (NSEG-1)*step+NPERSEG
                        samples, the ones SciPy's welch uses
  md V0 ..              scipy.signal.welch(average='median'), same options
  ms V0 ..              only where HALFBIAS is 'ln2' (a half has >= 1000
                        segments, where XLALMedianBias returns log 2):
                        median-mean with SciPy's exact median bias instead
"""
import os
import sys

import numpy as np
import scipy
import scipy.signal as ss

try:
    import lal
except ImportError:
    lal = None
try:
    import pycbc
    import pycbc.psd
    import pycbc.types
except ImportError:
    pycbc = None

FS = 4096.0
MASK = (1 << 64) - 1

# name, nperseg, nseg, extra samples past the last segment, seed, scale
CASES = [
    ("even8_256", 256, 8, 0, 1, 1.0),
    ("odd9_256", 256, 9, 0, 2, 1.0),
    ("min2_256", 256, 2, 0, 3, 1.0),
    ("odd3_256", 256, 3, 0, 4, 1.0),
    ("even20_256_strain", 256, 20, 0, 5, 1e-21),
    ("tail_even6_256", 256, 6, 100, 6, 1.0),
    ("even6_1024", 1024, 6, 0, 7, 1.0),
    ("odd7_1024", 1024, 7, 0, 8, 1.0),
    ("half999_16", 16, 1998, 0, 9, 1.0),
    ("half1000_16", 16, 2000, 0, 10, 1.0),
]


def series(n, seed, scale):
    """xorshift64 as tests/check_median_mean.c: u in [-1, 1), times scale."""
    s = 0x9E3779B97F4A7C15 ^ seed
    u = np.empty(n)
    for i in range(n):
        s ^= (s << 13) & MASK
        s ^= s >> 7
        s ^= (s << 17) & MASK
        u[i] = (s >> 11) / 4503599627370496.0 - 1.0
    return u * scale


def lal_bias(n):
    """XLALMedianBias: SciPy's series below 1000 values, log 2 from there."""
    if n >= 1000:
        return np.log(2.0)
    return scipy_bias(n)


def scipy_bias(n):
    b = 1.0
    for i in range(1, (n - 1) // 2 + 1):
        b += 1.0 / (2 * i + 1) - 1.0 / (2 * i)
    return b


def segment_psds(x, nperseg, step, win):
    """One-sided density periodograms of every segment, [nseg, nfreq]."""
    _, _, sxx = ss.spectrogram(x, FS, window=win, nperseg=nperseg,
                               noverlap=nperseg - step, detrend=False,
                               scaling="density", mode="psd")
    return sxx.T


def mm_numpy(P, bias):
    even, odd = P[0::2], P[1::2]
    return 0.5 * (np.median(even, 0) / bias(len(even))
                  + np.median(odd, 0) / bias(len(odd)))


def mm_lal(x, nperseg, step):
    ts = lal.CreateREAL8TimeSeries("x", lal.LIGOTimeGPS(0), 0.0, 1.0 / FS,
                                   lal.DimensionlessUnit, len(x))
    ts.data.data = x
    sp = lal.CreateREAL8FrequencySeries("psd", lal.LIGOTimeGPS(0), 0.0,
                                        FS / nperseg, lal.DimensionlessUnit,
                                        nperseg // 2 + 1)
    win = lal.CreateHannREAL8Window(nperseg)
    plan = lal.CreateForwardREAL8FFTPlan(nperseg, 0)
    lal.REAL8AverageSpectrumMedianMean(sp, ts, nperseg, step, win, plan)
    return sp.data.data.copy()


def mm_pycbc(x, nperseg, step, win):
    ts = pycbc.types.TimeSeries(x, delta_t=1.0 / FS)
    return pycbc.psd.welch(ts, seg_len=nperseg, seg_stride=step, window=win,
                           avg_method="median-mean").numpy()


def rel(a, b):
    return float(np.max(np.abs(a - b) / np.abs(b)))


def fmt(v):
    """shortest text that reads back as the same double"""
    return " ".join(repr(float(t)) for t in v)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "median_mean.txt")
    versions = ["scipy %s" % scipy.__version__, "numpy %s" % np.__version__]
    if lal is not None:
        versions.append("lal %s" % lal.__version__)
    if pycbc is not None:
        versions.append("pycbc %s" % pycbc.__version__)
    lines = ["# LIGO median-mean PSD golden vectors (%s); written by "
             "gen_median_mean.py" % ", ".join(versions)]
    for name, L, nseg, extra, seed, scale in CASES:
        step = L // 2
        used = (nseg - 1) * step + L
        n = used + extra
        x = series(n, seed, scale)
        xu = x[:used]
        win = ss.windows.hann(L, sym=True)
        P = segment_psds(xu, L, step, win)
        assert P.shape[0] == nseg
        ref_np = mm_numpy(P, lal_bias)
        refs = {"numpy": ref_np}
        if lal is not None:
            wl = lal.CreateHannREAL8Window(L).data.data
            assert np.max(np.abs(wl - win)) < 1e-15
            if nseg % 2 == 0:
                refs["lal"] = mm_lal(xu, L, step)
            else:   # LAL: "the number of segments must be even"
                try:
                    mm_lal(xu, L, step)
                    raise AssertionError("LAL accepted an odd segment count")
                except RuntimeError:
                    pass
        if pycbc is not None:
            refs["pycbc"] = mm_pycbc(xu, L, step, win)
        for k, v in refs.items():
            err = rel(v, ref_np)
            assert err < 1e-12, (name, k, err)
        src = next(k for k in ("lal", "pycbc", "numpy") if k in refs)
        _, md = ss.welch(x, FS, window=win, nperseg=L, noverlap=L - step,
                         detrend=False, scaling="density", average="median")
        ms = mm_numpy(P, scipy_bias)
        half = "ln2" if nseg // 2 >= 1000 else "exact"
        lines.append("c %s %d %d %d %d %r %d %s %s"
                     % (name, L, L - step, n, seed, scale, nseg, half, src))
        lines.append("mm " + fmt(refs[src]))
        lines.append("md " + fmt(md))
        if half == "ln2":
            lines.append("ms " + fmt(ms))
        print("%-20s nseg %5d src %-5s max rel: %s" % (
            name, nseg, src, ", ".join("%s %.2g" % (k, rel(v, ref_np))
                                       for k, v in refs.items())),
              file=sys.stderr)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
