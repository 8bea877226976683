#!/usr/bin/env python3
"""Golden vectors for tests/check_spectral.c from scipy.signal's spectral
estimators: periodogram, welch, csd, coherence, spectrogram, stft, istft
and detrend.

Run with /opt/scipy-venv/bin/python (SciPy 1.17) to reproduce the committed
file; it writes spectral.txt next to this script.

Inputs are not stored: they are made on both sides by the same generator
(tests/testutil.c's xpt_random, a xorshift64, reproduced bit for bit
below), so the file holds only each case's description and SciPy's
results.

Format (one record per case; '#' lines are comments):
  c ID KEY=VALUE ...          a case; the keys, in any order:
      fn=welch|csd|coherence|periodogram|spectrogram|stft|istft|detrend
         |check_COLA|check_NOLA (keys window or warr, nperseg, noverlap,
         tol; output B: [1.0] for True, [0.0] for False)
      x=DTYPE:SEED:SHAPE[:RAMP[:SCALE]]   (also y= for csd and coherence)
          DTYPE f32 f64 c64 c128; SHAPE dims joined by 'x' ("3x200").
          Values: v = xpt_random(SEED) over the flat C-order elements
          (re, im interleaved for complex), then v[i] += RAMP * i / size
          on the (real part of) element i, then v *= SCALE, then a cast
          to DTYPE.
      window=SPEC     xps_window_spec_parse text ("tukey,0.25")
      warr=SEED:LEN   an explicit window array: 0.5 + 0.5 * |xpt_random|
      nperseg noverlap nfft fs axis onesided(0/1) f32out(0/1)
      detrend=none|constant|linear  scaling=density|spectrum
      average=mean|median|median_mean  mode=psd|complex|magnitude|angle|phase
      type=linear|constant bp=B1,B2,...   (detrend)
      boundary=none|even|odd|constant|zeros padded=0/1   (stft)
      For stft and istft scaling=density is SciPy's 'psd'.  istft's input
      is its first output Z (Zxx) as written, of dtype zdt=c64|c128 (c128
      when left out); its keys: nperseg noverlap nfft window fs scaling,
      onesided (input_onesided), iboundary=0/1 (boundary, 1 when left
      out), taxis, faxis (time_axis, freq_axis).
      ref64=1         SciPy ran on the float64 values of the float32 input
      Keys left out take the function's defaults (the _options_init ones).
  o NAME K NDIM D1 .. DNDIM   an output (f, t, then the result P / S / D);
  VALUES                      K: r real, c complex (re, im interleaved)
median_mean (LIGO's average of the bias-corrected medians of the even and
odd segments) is not in SciPy: its reference is built here from SciPy's
per-segment spectra (spectrogram, mode 'complex').
"""
import os
import sys
import warnings

VENV_PYTHON = "/opt/scipy-venv/bin/python"
try:
    import scipy  # noqa: F401
except ImportError:
    if os.path.exists(VENV_PYTHON) and not os.environ.get("GEN_SPECTRAL_REEXEC"):
        os.environ["GEN_SPECTRAL_REEXEC"] = "1"
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    raise

import numpy as np
import scipy
from scipy import signal

MASK = (1 << 64) - 1
DTYPES = {"f32": np.float32, "f64": np.float64, "c64": np.complex64,
          "c128": np.complex128}


def xrand(n, seed):
    """tests/testutil.c's xpt_random: n values in [-1, 1)."""
    s = 0x9E3779B97F4A7C15 ^ seed
    out = np.empty(n)
    for i in range(n):
        s ^= (s << 13) & MASK
        s ^= s >> 7
        s ^= (s << 17) & MASK
        out[i] = (s >> 11) / 4503599627370496.0 - 1.0
    return out


def make_input(text):
    parts = text.split(":")
    dt, seed = parts[0], int(parts[1])
    shape = tuple(int(d) for d in parts[2].split("x"))
    ramp = float(parts[3]) if len(parts) > 3 else 0.0
    scale = float(parts[4]) if len(parts) > 4 else 1.0
    size = int(np.prod(shape))
    cplx = dt[0] == "c"
    v = xrand(size * (2 if cplx else 1), seed)
    if ramp != 0.0:
        w = 2 if cplx else 1
        v[::w] = v[::w] + ramp * np.arange(size, dtype=np.float64) / float(size)
    if scale != 1.0:
        v = v * scale
    if cplx:
        a = v[0::2] + 1j * v[1::2]
    else:
        a = v
    return a.reshape(shape).astype(DTYPES[dt])


def window_array(text):
    seed, n = (int(t) for t in text.split(":"))
    return 0.5 + 0.5 * np.abs(xrand(n, seed))


def scipy_window(spec):
    """xps_window_spec_parse text -> SciPy's get_window argument."""
    parts = [s.strip() for s in spec.split(",")]
    if len(parts) == 1:
        try:
            return float(spec)
        except ValueError:
            return parts[0]
    words = {"None": None, "True": True, "False": False}
    args = [words[s] if s in words else int(s) if s.lstrip("-").isdigit()
            else float(s) for s in parts[1:]]
    if parts[0] == "general_cosine":
        return (parts[0], args)
    return tuple([parts[0]] + args)


def fmt(a):
    a = np.asarray(a)
    single = a.dtype in (np.float32, np.complex64)
    if np.iscomplexobj(a):
        v = np.stack([a.real, a.imag], axis=-1).ravel()
    else:
        v = a.ravel()
    if single:
        return " ".join("%.9g" % float(t) for t in v)
    return " ".join(repr(float(t)) for t in v)


def median_bias(n):
    ii_2 = 2 * np.arange(1., (n - 1) // 2 + 1)
    return 1 + np.sum(1. / (ii_2 + 1) - 1. / ii_2)


def segment_spectra(x, kw):
    """Per-segment complex spectra [..., nfreq, nseg] (axis last), scaled so
    conj(Sx) Sy is one segment's csd before one-sided doubling."""
    return signal.spectrogram(x, mode="complex", **kw)


def median_mean(x, y, kw, same):
    """LIGO's median-mean average from SciPy's per-segment spectra."""
    skw = {k: v for k, v in kw.items() if k != "average"}
    skw.setdefault("window", "hann")
    ax = skw.setdefault("axis", -1)
    n = max(x.shape[ax], y.shape[ax])
    if hasattr(skw["window"], "size"):
        nps = len(skw["window"])
    else:
        nps = min(skw.get("nperseg", 256), n)
    skw.setdefault("noverlap", nps // 2)        # welch's default, not spectrogram's
    nfft = skw.get("nfft", nps)
    dt = np.result_type(x, y)                  # csd computes in the common dtype
    x, y = x.astype(dt), y.astype(dt)
    cplx = np.iscomplexobj(x)
    onesided = skw.get("return_onesided", True) and not cplx
    skw["return_onesided"] = onesided
    f, _, Sx = segment_spectra(x, skw)
    _, _, Sy = segment_spectra(y, skw)
    P = np.conj(Sx) * Sy                        # [..., nseg]; frequency at fa
    fa = ax - 1 if ax < 0 else ax
    if onesided:
        P = np.moveaxis(P, fa, -1)
        if nfft % 2:
            P[..., 1:] *= 2
        else:
            P[..., 1:-1] *= 2
        P = np.moveaxis(P, -1, fa)

    def med(Q):
        return np.median(Q.real, axis=-1) + 1j * np.median(Q.imag, axis=-1)

    ev, od = P[..., 0::2], P[..., 1::2]
    R = 0.5 * (med(ev) / median_bias(ev.shape[-1]) + med(od) / median_bias(od.shape[-1]))
    # sanity: the same path with one median must give SciPy's own median
    whole = med(P) / median_bias(P.shape[-1])
    ref = signal.csd(x, y, average="median", **skw)[1]
    tol = 1e-4 if dt in (np.float32, np.complex64) else 1e-12
    assert np.allclose(whole, ref, rtol=tol, atol=tol * np.abs(ref).max()), "median path"
    R = R.astype(np.result_type(dt, np.complex64))
    return f, (R.real if same else R)


class Writer:
    def __init__(self, out):
        self.out = out
        self.n = 0

    def case(self, keys, outputs):
        self.n += 1
        self.out.write("c %d %s\n" % (self.n, " ".join("%s=%s" % kv for kv in keys)))
        for name, a in outputs:
            a = np.asarray(a)
            kind = "c" if np.iscomplexobj(a) else "r"
            self.out.write("o %s %s %d %s\n%s\n" % (name, kind, a.ndim,
                                                     " ".join(map(str, a.shape)), fmt(a)))


def scipy_kwargs(fn, keys):
    """Our keys -> SciPy keyword arguments (x, y, window arrays apart)."""
    kw = {}
    for k, v in keys:
        if k in ("fn", "x", "y", "f32out", "ref64", "bp", "type", "zdt"):
            continue
        if k == "boundary":
            kw["boundary"] = None if v == "none" else v
        elif k == "padded":
            kw["padded"] = bool(int(v))
        elif k == "iboundary":
            kw["boundary"] = bool(int(v))
        elif k == "taxis":
            kw["time_axis"] = int(v)
        elif k == "faxis":
            kw["freq_axis"] = int(v)
        if k == "window":
            kw["window"] = scipy_window(v)
        elif k == "warr":
            kw["window"] = window_array(v)
        elif k in ("boundary", "padded", "iboundary", "taxis", "faxis"):
            continue
        elif k in ("nperseg", "noverlap", "nfft", "axis"):
            kw[k] = int(v)
        elif k == "fs":
            kw["fs"] = float(v)
        elif k == "detrend":
            kw["detrend"] = False if v == "none" else v
        elif k == "onesided":
            kw["input_onesided" if fn == "istft" else "return_onesided"] = bool(int(v))
        elif k == "scaling" and fn in ("stft", "istft"):
            kw[k] = "psd" if v == "density" else v
        elif k in ("scaling", "average", "mode"):
            kw[k] = v
        else:
            raise KeyError(k)
    return kw


def run(w, fn, x, y=None, **opts):
    keys = [("fn", fn), ("x", x)]
    if y is not None:
        keys.append(("y", y))
    keys += [(k, str(v)) for k, v in opts.items()]
    X = make_input(x)
    Y = make_input(y) if y is not None else None
    if opts.get("ref64"):
        X = X.astype(np.complex128 if np.iscomplexobj(X) else np.float64)
    kw = scipy_kwargs(fn, keys)
    if fn == "detrend":
        bp = [int(b) for b in opts["bp"].split(",")] if "bp" in opts else 0
        D = signal.detrend(X, axis=kw.get("axis", -1), type=opts.get("type", "linear"),
                           bp=bp)
        w.case(keys, [("D", D)])
        return
    if fn == "spectrogram":
        f, t, S = signal.spectrogram(X, **kw)
        w.case(keys, [("f", f), ("t", t), ("S", S)])
        return
    if fn == "stft":
        f, t, S = signal.stft(X, **kw)
        w.case(keys, [("f", f), ("t", t), ("S", S)])
        return
    if fn == "periodogram":
        f, P = signal.periodogram(X, **kw)
    elif fn == "welch":
        if kw.get("average") == "median_mean":
            f, P = median_mean(X, X, kw, True)
        else:
            f, P = signal.welch(X, **kw)
    elif fn == "csd":
        if kw.get("average") == "median_mean":
            f, P = median_mean(X, Y, kw, False)
        else:
            f, P = signal.csd(X, Y, **kw)
    elif fn == "coherence":
        f, P = signal.coherence(X, Y, **kw)
    else:
        raise ValueError(fn)
    w.case(keys, [("f", f), ("P", P)])


# ------------------------------------------------------------------ cases

WINDOWS = ["boxcar", "triang", "parzen", "bohman", "blackman", "nuttall",
           "blackmanharris", "flattop", "bartlett", "barthann", "hamming", "hann",
           "cosine", "lanczos", "tukey", "tukey,0.25", "exponential",
           "exponential,None,3", "taylor", "taylor,6,50,False", "kaiser,8.6",
           "gaussian,7", "general_gaussian,1.5,7", "general_hamming,0.54",
           "chebwin,100", "general_cosine,0.5,0.5",
           "general_cosine,1,1.942604,1.340318,0.440811,0.043097", "dpss,3",
           "hann_periodic", "tukey_periodic,0.25", "hann_symmetric"]

COMBOS = [(sc, os_, dt, av)
          for sc in ("density", "spectrum") for os_ in (1, 0)
          for dt in ("none", "constant", "linear")
          for av in ("mean", "median", "median_mean")]


def combo(i):
    sc, os_, dt, av = COMBOS[i % len(COMBOS)]
    return dict(scaling=sc, onesided=os_, detrend=dt, average=av)


def welch_cases(w):
    seed = 100
    for win in WINDOWS:                       # every window, even and odd nperseg
        seed += 1
        run(w, "welch", "f64:%d:257" % seed, window=win, nperseg=32)
        run(w, "welch", "f64:%d:200" % seed, window=win, nperseg=33, noverlap=10,
            onesided=0)
    run(w, "welch", "f64:140:300", warr="141:48")
    run(w, "welch", "f64:142:300", warr="143:31", nperseg=31, noverlap=5, nfft=40)
    # lengths: nperseg dividing n or not, nfft > nperseg (even, odd),
    # noverlap 0 and nperseg - 1, nperseg > n (shortened), nperseg 1
    shapes = [(256, 64, None, None), (255, 64, None, None), (1000, 100, None, None),
              (300, 64, 0, None), (300, 64, 63, None), (301, 33, None, 50),
              (301, 32, None, 45), (100, None, None, None), (50, 64, None, None),
              (7, 7, None, None), (64, 16, 15, 17)]
    i = 0
    for k, (n, nps, nov, nfft) in enumerate(shapes):
        reps = len(COMBOS) if k < 3 else 6
        for r in range(reps):
            opts = combo(i)
            i += 1
            if nps is not None:
                opts["nperseg"] = nps
            if nov is not None:
                opts["noverlap"] = nov
            if nfft is not None:
                opts["nfft"] = nfft
            if opts["average"] == "median_mean":
                nps_ = min(nps or 256, n)
                nov_ = nov if nov is not None else nps_ // 2
                if (n - nov_) // (nps_ - nov_) < 2:
                    opts["average"] = "median"
            run(w, "welch", "f64:%d:%d:%s" % (200 + i, n, "0.5" if i % 2 else "0"),
                **opts)
    run(w, "welch", "f64:250:40", nperseg=1, noverlap=0, detrend="none")
    run(w, "welch", "f64:251:40", nperseg=1, noverlap=0, onesided=0, detrend="none")
    for fs in (1000.0, 16384.0, 0.5):
        run(w, "welch", "f64:252:500", fs=fs, nperseg=100)
    # N-d along axis 0, -1 and a middle one
    for k, (x, ax) in enumerate([("3x200", -1), ("200x3", 0), ("2x150x3", 1),
                                 ("2x150x3", -2), ("3x1x120", -1), ("1x120", -1)]):
        for r in range(4):
            opts = combo(7 * k + 5 * r)
            run(w, "welch", "f64:%d:%s:1" % (300 + 4 * k + r, x), axis=ax, nperseg=32,
                **opts)
    # dtypes
    for k, dt in enumerate(("f32", "c128", "c64")):
        for r in range(6):
            opts = combo(11 * k + 7 * r)
            run(w, "welch", "%s:%d:300:0.5" % (dt, 400 + 10 * k + r), nperseg=64, **opts)
        run(w, "welch", "%s:%d:100x3" % (dt, 420 + k), nperseg=20, axis=0,
            average="median", detrend="linear")
    run(w, "welch", "f32:430:300", nperseg=64, f32out=1)
    run(w, "welch", "c64:431:300", nperseg=64, f32out=1, average="median")


def csd_cases(w):
    for r in range(12):
        opts = combo(5 * r + 1)
        run(w, "csd", "f64:%d:300:0.3" % (500 + r), "f64:%d:300" % (520 + r), nperseg=48,
            **opts)
    # unequal lengths (the shorter is zero-padded), both ways
    run(w, "csd", "f64:540:300", "f64:541:250", nperseg=64)
    run(w, "csd", "f64:542:230", "f64:543:300", nperseg=64, noverlap=20, nfft=70)
    # broadcasting over the other axes
    run(w, "csd", "f64:544:3x256", "f64:545:256", nperseg=64)
    run(w, "csd", "f64:546:2x1x200", "f64:547:3x200", nperseg=50, average="median")
    run(w, "csd", "f64:548:200x3", "f64:549:200x1", nperseg=40, axis=0, detrend="linear")
    run(w, "csd", "f64:550:1x200", "f64:551:2x200", nperseg=40, axis=-1, onesided=0)
    run(w, "csd", "f64:552:3x120x2", "f64:553:3x120x2", nperseg=30, axis=1,
        scaling="spectrum")
    # dtypes and their promotion
    for k, (dx, dy) in enumerate([("c128", "c128"), ("c64", "c64"), ("f32", "f32"),
                                  ("f32", "f64"), ("c128", "f64"), ("c64", "c128")]):
        for r in range(3):
            opts = combo(13 * k + 5 * r)
            run(w, "csd", "%s:%d:256:0.2" % (dx, 560 + 5 * k + r),
                "%s:%d:256" % (dy, 600 + 5 * k + r), nperseg=64, **opts)
    run(w, "csd", "f32:640:256", "f32:641:256", nperseg=64, f32out=1)
    for win in ("boxcar", "flattop", "kaiser,8.6", "dpss,3", "tukey,0.25"):
        run(w, "csd", "f64:650:211", "f64:651:211", nperseg=40, window=win)
    run(w, "csd", "f64:652:300", "f64:653:300", warr="654:40")


def coherence_cases(w):
    for r, (nps, nov, nfft, det) in enumerate([(64, None, None, "constant"),
                                               (64, 0, None, "linear"),
                                               (33, 32, None, "none"),
                                               (48, None, 64, "constant"),
                                               (31, 10, 45, "linear")]):
        run(w, "coherence", "f64:%d:400" % (700 + r), "f64:%d:400:1" % (710 + r),
            nperseg=nps, detrend=det, **({} if nov is None else {"noverlap": nov}),
            **({} if nfft is None else {"nfft": nfft}))
    # (boxcar with a detrend leaves DC as rounding noise: 0/0 coherence)
    for win in ("boxcar", "hamming", "chebwin,100", "general_gaussian,1.5,7"):
        run(w, "coherence", "f64:720:300", "f64:721:300", nperseg=50, window=win,
            **({"detrend": "none"} if win == "boxcar" else {}))
    run(w, "coherence", "f64:722:3x256", "f64:723:256", nperseg=64)
    run(w, "coherence", "f64:724:256x2", "f64:725:256x2", nperseg=64, axis=0)
    run(w, "coherence", "c128:726:256", "c128:727:256", nperseg=64)
    run(w, "coherence", "c64:728:256", "c64:729:256", nperseg=64)
    run(w, "coherence", "f32:730:256", "f32:731:256", nperseg=64, fs=100.0)
    run(w, "coherence", "f64:732:300", "f64:733:300", warr="734:40")
    # unequal lengths: csd over the longer (zero-padded), each psd over its own
    run(w, "coherence", "f64:735:300", "f64:736:250", nperseg=64)
    run(w, "coherence", "f64:737:3x230", "f64:738:3x300", nperseg=50, noverlap=10)
    run(w, "coherence", "f64:739:230x2", "f64:740:300x2", nperseg=40, axis=0,
        detrend="linear")
    run(w, "coherence", "c128:741:200", "c128:742:260", nperseg=32)
    run(w, "coherence", "f32:743:260", "f32:744:200", nperseg=32)
    run(w, "coherence", "f32:745:260", "f32:746:200", nperseg=32, f32out=1)
    run(w, "coherence", "f32:747:256", "f32:748:256", nperseg=32, f32out=1, axis=0)


def periodogram_cases(w):
    for k, win in enumerate(WINDOWS):
        run(w, "periodogram", "f64:%d:%d" % (800 + k, 64 if k % 2 else 65), window=win)
    i = 0
    for n in (64, 65):
        for nfft in (None, n, 100, 101, 40, 41):
            for r in range(3):
                sc, os_, dt, _ = COMBOS[(7 * i) % len(COMBOS)]
                i += 1
                opts = dict(scaling=sc, onesided=os_, detrend=dt)
                if nfft is not None:
                    opts["nfft"] = nfft
                run(w, "periodogram", "f64:%d:%d:1" % (850 + i, n), **opts)
    run(w, "periodogram", "f64:900:3x64", axis=-1, detrend="linear")
    run(w, "periodogram", "f64:901:64x3", axis=0, scaling="spectrum")
    run(w, "periodogram", "f64:902:2x50x3", axis=1, nfft=64, onesided=0)
    for k, dt in enumerate(("f32", "c128", "c64")):
        run(w, "periodogram", "%s:%d:100:0.5" % (dt, 910 + k))
        run(w, "periodogram", "%s:%d:100" % (dt, 915 + k), window="hann", nfft=128,
            scaling="spectrum", detrend="linear")
    run(w, "periodogram", "f64:920:64", warr="921:64")
    run(w, "periodogram", "f32:923:100", f32out=1, detrend="linear")
    run(w, "periodogram", "c64:924:2x100", f32out=1, axis=1)
    run(w, "periodogram", "f64:922:64", fs=1000.0, window="flattop")


SPEC_MODES = ("psd", "complex", "magnitude", "angle", "phase")


def spectrogram_cases(w):
    i = 0
    for mode in SPEC_MODES:
        for os_ in (1, 0):
            for sc in ("density", "spectrum"):
                i += 1
                run(w, "spectrogram", "f64:%d:300:0.5" % (1000 + i), nperseg=64,
                    mode=mode, onesided=os_, scaling=sc,
                    detrend=("constant", "linear", "none")[i % 3])
    run(w, "spectrogram", "f64:1030:1000")                   # all defaults
    run(w, "spectrogram", "f64:1031:100", nperseg=500)       # shortened
    run(w, "spectrogram", "f64:1032:100", nperseg=16, noverlap=15)
    run(w, "spectrogram", "f64:1033:100", nperseg=16, noverlap=0, nfft=21)
    run(w, "spectrogram", "f64:1034:101", nperseg=15, nfft=32, mode="complex")
    for k, win in enumerate(WINDOWS[::3]):
        run(w, "spectrogram", "f64:%d:150" % (1040 + k), nperseg=40, window=win)
    run(w, "spectrogram", "f64:1060:150", warr="1061:40", mode="magnitude")
    for k, mode in enumerate(SPEC_MODES):
        run(w, "spectrogram", "f64:%d:3x160" % (1070 + k), nperseg=32, mode=mode)
        run(w, "spectrogram", "f64:%d:160x3" % (1080 + k), nperseg=32, mode=mode, axis=0)
        run(w, "spectrogram", "c128:%d:160" % (1090 + k), nperseg=32, mode=mode,
            detrend="linear")
    run(w, "spectrogram", "f64:1100:2x100x3", nperseg=20, axis=1)
    run(w, "spectrogram", "c64:1101:200", nperseg=32)
    run(w, "spectrogram", "c64:1102:200", nperseg=32, mode="complex")
    for k, mode in enumerate(("psd", "complex", "magnitude")):
        run(w, "spectrogram", "f32:%d:200" % (1110 + k), nperseg=32, mode=mode)
        run(w, "spectrogram", "f32:%d:200" % (1115 + k), nperseg=32, mode=mode, f32out=1)
    run(w, "spectrogram", "f64:1120:400", nperseg=64, fs=2048.0, mode="psd")


def detrend_cases(w):
    for k, bp in enumerate([None, "50", "30,70", "70,30", "0", "100", "1,99",
                            "10,20,30,40,50,60,70,80,90", "50,50"]):
        for typ in ("linear", "constant"):
            opts = dict(type=typ)
            if bp is not None:
                opts["bp"] = bp
            run(w, "detrend", "f64:%d:100:3" % (1200 + k), **opts)
    run(w, "detrend", "f64:1220:3x100:2", bp="40", axis=-1)
    run(w, "detrend", "f64:1221:100x3:2", bp="40,41", axis=0)
    run(w, "detrend", "f64:1222:2x50x3:2", axis=1, type="constant")
    run(w, "detrend", "f64:1223:1", type="linear")
    run(w, "detrend", "f64:1224:2", type="linear")
    for k, dt in enumerate(("f32", "c128", "c64")):
        run(w, "detrend", "%s:%d:100:2" % (dt, 1230 + k), bp="33")
        run(w, "detrend", "%s:%d:4x25:2" % (dt, 1235 + k), type="constant", axis=0)


def ligo_cases(w):
    # float32 strain near 1e-21: SciPy's float32 result underflows, ours
    # (float64 by default) must match SciPy run on the float64 data
    x, y = "f32:1300:2048:0:1e-21", "f32:1301:2048:0:3e-21"
    run(w, "welch", x, nperseg=256, ref64=1)
    run(w, "welch", x, nperseg=256, average="median", ref64=1)
    run(w, "welch", x, nperseg=256, detrend="linear", scaling="spectrum", ref64=1)
    run(w, "periodogram", "f32:1302:512:0:1e-21", window="hann", ref64=1)
    run(w, "spectrogram", "f32:1303:1024:0:1e-21", nperseg=128, ref64=1)
    # csd: ref64 applies to x only, so give it a float64 y
    run(w, "csd", x, "f64:1304:2048:0:1e-21", nperseg=256, ref64=1)


def stft_cases(w):
    # every boundary, padded or not, lengths that fit the steps or not
    k = 1400
    for b in ("zeros", "none", "even", "odd", "constant"):
        for padded in (1, 0):
            for n, nps, nov in ((128, 32, None), (125, 32, None), (151, 33, 20)):
                k += 1
                run(w, "stft", "f64:%d:%d:0.5" % (k, n), nperseg=nps, boundary=b,
                    padded=padded, **({} if nov is None else {"noverlap": nov}))
    run(w, "stft", "f64:1440:600")                                   # all defaults
    run(w, "stft", "f64:1441:100")                                    # nperseg shortened
    run(w, "stft", "f64:1442:300", nperseg=64, nfft=100, detrend="linear")
    run(w, "stft", "f64:1443:300", nperseg=64, scaling="density", fs=512.0,
        window="tukey,0.3")
    run(w, "stft", "f64:1444:300", nperseg=64, onesided=0)
    run(w, "stft", "f64:1445:200", warr="1446:40", nperseg=40, boundary="odd")
    run(w, "stft", "f64:1447:60", nperseg=31, noverlap=30)
    run(w, "stft", "f64:1448:3x160", nperseg=32)
    run(w, "stft", "f64:1449:160x3", nperseg=32, axis=0, boundary="even")
    run(w, "stft", "f64:1450:2x100x3", nperseg=20, axis=1)
    run(w, "stft", "c128:1451:160", nperseg=32, detrend="constant")
    run(w, "stft", "f32:1452:200", nperseg=32)
    run(w, "stft", "f32:1453:200", nperseg=32, f32out=1)
    run(w, "stft", "c64:1454:200", nperseg=32, f32out=1)


def istft_case(w, x, zdt="c128", stft_kw=None, **opts):
    """An istft case: Zxx is SciPy's stft of input x (stft_kw), written as
    the case's first output, then SciPy's istft of it with opts."""
    keys = [("fn", "istft"), ("zdt", zdt)] + [(k, str(v)) for k, v in opts.items()]
    X = make_input(x)
    skw = scipy_kwargs("stft", list((stft_kw or {}).items()))
    Z = signal.stft(X, **skw)[2].astype(DTYPES[zdt])
    kw = scipy_kwargs("istft", keys)
    t, R = signal.istft(Z, **kw)
    if R.ndim > 1:              # SciPy's t counts x.shape[0]; ours the time axis
        ta = kw.get("time_axis", -1) % Z.ndim
        ta -= kw.get("freq_axis", -2) % Z.ndim < ta
        t = np.arange(R.shape[ta]) / kw.get("fs", 1.0)
    w.case(keys, [("Z", Z), ("t", t), ("X", R)])


def istft_cases(w):
    istft_case(w, "f64:1500:400")
    for b in ("zeros", "even", "odd", "constant"):
        istft_case(w, "f64:1501:300", stft_kw={"nperseg": "64", "boundary": b},
                   nperseg=64)
    istft_case(w, "f64:1502:300", stft_kw={"nperseg": "64", "boundary": "none"},
               nperseg=64, iboundary=0)
    istft_case(w, "f64:1503:300", stft_kw={"nperseg": "64", "noverlap": "48"},
               nperseg=64, noverlap=48)
    istft_case(w, "f64:1504:300", stft_kw={"nperseg": "50", "nfft": "64"}, nperseg=50,
               nfft=64)
    istft_case(w, "f64:1505:300", stft_kw={"nperseg": "33"}, nperseg=33)
    istft_case(w, "f64:1506:300", stft_kw={"nperseg": "32", "window": "tukey,0.3",
                                           "scaling": "density", "fs": "100.0"},
               nperseg=32, window="tukey,0.3", scaling="density", fs=100.0)
    istft_case(w, "c128:1507:200", stft_kw={"nperseg": "32"}, nperseg=32, onesided=0)
    istft_case(w, "f64:1508:2x120", stft_kw={"nperseg": "32"}, nperseg=32)
    istft_case(w, "f64:1509:120x2", stft_kw={"nperseg": "32", "axis": "0"}, nperseg=32,
               taxis=-1, faxis=0)
    istft_case(w, "f64:1510:2x80x3", stft_kw={"nperseg": "20", "axis": "1"}, nperseg=20,
               taxis=3, faxis=1)
    istft_case(w, "f64:1511:200", zdt="c64", stft_kw={"nperseg": "32"}, nperseg=32)
    istft_case(w, "f64:1512:200", stft_kw={"nperseg": "16", "noverlap": "4"}, nperseg=16,
               noverlap=4)                  # NOLA fails at the ends: no division there


def cola_cases(w):
    specs = [("boxcar", 100, 0), ("boxcar", 100, 50), ("hann", 120, 60), ("hann", 120, 90),
             ("hann", 120, 0), ("hann", 121, 60), ("hann_symmetric", 120, 60),
             ("hamming", 64, 32), ("blackman", 64, 32), ("blackman", 60, 40),
             ("tukey,0.25", 100, 10), ("tukey,0.25", 100, 25), ("bartlett", 64, 32),
             ("triang", 65, 33), ("kaiser,8.6", 64, 48), ("hann", 7, 3), ("hann", 1, 0),
             ("boxcar", 10, 9)]
    for fn, check in (("check_COLA", signal.check_COLA), ("check_NOLA", signal.check_NOLA)):
        for win, nps, nov in specs:
            for tol in (1e-10, 1e-3):
                keys = [("fn", fn), ("window", win), ("nperseg", str(nps)),
                        ("noverlap", str(nov)), ("tol", repr(tol))]
                ok = check(scipy_window(win), nps, nov, tol=tol)
                w.case(keys, [("B", np.array([1.0 if ok else 0.0]))])
        for seed, nps, nov in ((1600, 40, 20), (1601, 33, 11)):
            keys = [("fn", fn), ("warr", "%d:%d" % (seed, nps)), ("nperseg", str(nps)),
                    ("noverlap", str(nov)), ("tol", "1e-10")]
            ok = check(window_array("%d:%d" % (seed, nps)), nps, nov)
            w.case(keys, [("B", np.array([1.0 if ok else 0.0]))])


def main():
    warnings.simplefilter("ignore")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spectral.txt")
    with open(path, "w") as out:
        out.write("# scipy.signal spectral golden vectors, SciPy %s, numpy %s; "
                  "written by gen_spectral.py\n" % (scipy.__version__, np.__version__))
        w = Writer(out)
        welch_cases(w)
        csd_cases(w)
        coherence_cases(w)
        periodogram_cases(w)
        spectrogram_cases(w)
        detrend_cases(w)
        ligo_cases(w)
        stft_cases(w)
        istft_cases(w)
        cola_cases(w)
    print("%s: %d cases, %d bytes" % (path, w.n, os.path.getsize(path)))


if __name__ == "__main__":
    main()
