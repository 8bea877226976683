#!/usr/bin/env python3
"""Golden vectors for tests/check_windows.c from scipy.signal.windows.

Run from anywhere: writes windows.txt next to this script.  Uses the SciPy
of the interpreter that runs it, or re-runs itself under
/opt/scipy-venv/bin/python when that one has none.  Run it with
/opt/scipy-venv/bin/python (SciPy 1.17) to reproduce the committed file.

Format, one record per case (values written with %.17g, space separated;
the value line of an M = 0 case is empty):
  w NAME M SYM NP P1 .. PNP      window NAME(M, *params, sym=SYM), then
  VALUES                         its M values (None is written nan)
  d M NW KMAX SYM NORM           dpss(M, NW, KMAX, SYM, norm, return_ratios)
  VALUES x KMAX lines            NORM: 1 'approximate', 2, 3 'subsample'
  RATIOS
  g M FFTBINS SPEC...            get_window for the xps spec text SPEC
  VALUES                         (the rest of the line, may hold spaces)
"""
import os
import sys
import warnings

VENV_PYTHON = "/opt/scipy-venv/bin/python"
try:
    import scipy  # noqa: F401
except ImportError:
    # prefer the venv's (newest) SciPy; fall back to the system one
    if os.path.exists(VENV_PYTHON) and not os.environ.get("GEN_WINDOWS_REEXEC"):
        os.environ["GEN_WINDOWS_REEXEC"] = "1"
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    raise

import numpy as np
import scipy
from scipy.signal import get_window, windows

MS = [0, 1, 2, 3, 7, 8, 16, 51, 256]
NONE = None

PLAIN = ["boxcar", "triang", "parzen", "bohman", "blackman", "nuttall",
         "blackmanharris", "flattop", "bartlett", "barthann", "hamming",
         "hann", "cosine", "lanczos"]

# name -> list of parameter tuples; the first set also runs at M = 256.
PARAMS = {
    "tukey": [(), (0.0,), (0.25,), (0.75,), (1.0,)],
    "taylor": [(), (4, 30, 1), (6, 50, 0), (1, 20, 1), (3, 100, 1), (5, 35)],
    "kaiser": [(8.6,), (0.0,), (0.5,), (5.0,), (14.0,), (40.0,)],
    "gaussian": [(7.0,), (0.5,), (1.0,), (3.5,), (20.0,)],
    "general_gaussian": [(1.5, 7.0), (1.0, 2.0), (0.5, 20.0), (3.0, 1.5)],
    "general_cosine": [(0.5, 0.5), (1, 1.942604, 1.340318, 0.440811, 0.043097),
                       (0.3, 0.2, 0.1), (1.0,)],
    "general_hamming": [(0.54,), (0.5,), (0.7,), (0.52,)],
    "chebwin": [(100.0,), (50.0,), (30.0,), (45.0,), (-60.0,), (150.0,)],
    "dpss": [(3.0,), (1.5,), (2.5,)],
}

DPSS = [  # M, NW, Kmax, sym, norm
    (64, 4.0, 7, 1, 2), (64, 4.0, 7, 0, 2),
    (51, 3.0, 5, 1, 1), (51, 3.0, 5, 0, 1),
    (100, 2.5, 4, 0, 3), (100, 2.5, 4, 1, 3),
    (256, 4.0, 8, 1, 2), (16, 2.0, 3, 1, 3), (8, 1.5, 3, 0, 1),
    (2, 0.5, 1, 1, 2), (3, 1.0, 3, 1, 2), (1000, 4.0, 3, 1, 2),
]
NORMS = {1: "approximate", 2: 2, 3: "subsample"}

GET = [  # M, fftbins, spec
    (8, 1, "hann"), (8, 1, "han"), (8, 1, "hann_symmetric"),
    (8, 0, "hann_periodic"), (9, 0, "hann"), (16, 1, "tukey"),
    (16, 1, "tukey,0.25"), (16, 1, "8.6"), (16, 0, "ksr,5"),
    (16, 1, "exponential"), (16, 0, "exponential,None,3"),
    (16, 1, "poisson,2,3"), (16, 1, "dpss,3"), (17, 0, "dpss,2.5"),
    (16, 1, "general cosine,0.5,0.5"), (16, 1, "general gaussian,1.5,7"),
    (16, 0, "kaiser bessel derived,8.6"), (16, 1, "kbd_symmetric,4"),
    (16, 1, "taylorwin,5,35,False"), (16, 1, "taylor"), (16, 1, "ones"),
    (7, 1, "triangle"), (16, 1, "cheb,80"), (16, 1, "sinc"),
    (16, 1, "halfcosine"), (12, 1, "ggs,2,3"), (12, 1, "general hamming,0.6"),
    (12, 1, "blackharr"), (12, 1, "flt"), (12, 1, "nut"), (12, 1, "bth"),
]


def fmt(values):
    return " ".join("%.17g" % v for v in np.asarray(values, dtype=float).ravel())


def fmt_param(p):
    return "nan" if p is None else "%.17g" % p


def window_cases(out):
    for name in PLAIN + list(PARAMS):
        for k, prm in enumerate(PARAMS.get(name, [()])):
            for M in MS:
                if M == 256 and k > 0:
                    continue
                if name == "dpss" and M > 1 and prm[0] >= M / 2:
                    continue
                for sym in (1, 0):
                    func = getattr(windows, name)
                    if name == "general_cosine":
                        w = func(M, list(prm), sym=bool(sym))
                    elif name == "taylor" and len(prm) > 2:
                        w = func(M, prm[0], prm[1], bool(prm[2]), sym=bool(sym))
                    else:
                        w = func(M, *prm, sym=bool(sym))
                    out.write("w %s %d %d %d %s\n%s\n" % (
                        name, M, sym, len(prm), " ".join(map(fmt_param, prm)),
                        fmt(w)))
    for beta in (4.0, 8.6, 0.5):                 # symmetric, even M only
        for M in (0, 2, 8, 16, 256):
            w = windows.kaiser_bessel_derived(M, beta, sym=True)
            out.write("w kaiser_bessel_derived %d 1 1 %s\n%s\n"
                      % (M, fmt_param(beta), fmt(w)))
    for prm in [(), (NONE, 3.0)]:                 # center must be None if sym
        for M in MS:
            for sym in (1, 0):
                w = windows.exponential(M, *prm, sym=bool(sym))
                out.write("w exponential %d %d %d %s\n%s\n" % (
                    M, sym, len(prm), " ".join(map(fmt_param, prm)), fmt(w)))
    for prm in [(NONE, 0.5), (2.0, 1.5), (0.0, 4.0)]:
        for M in MS:
            w = windows.exponential(M, *prm, sym=False)
            out.write("w exponential %d 0 %d %s\n%s\n" % (
                M, len(prm), " ".join(map(fmt_param, prm)), fmt(w)))


def dpss_cases(out):
    for M, NW, K, sym, norm in DPSS:
        w, r = windows.dpss(M, NW, K, sym=bool(sym), norm=NORMS[norm],
                            return_ratios=True)
        w = np.atleast_2d(w)
        out.write("d %d %.17g %d %d %d\n" % (M, NW, K, sym, norm))
        for row in w:
            out.write(fmt(row) + "\n")
        out.write(fmt(np.atleast_1d(r)) + "\n")


def scipy_spec(spec):
    parts = [s.strip() for s in spec.split(",")]
    if len(parts) == 1:
        try:
            return float(spec)
        except ValueError:
            return parts[0]
    words = {"None": None, "True": True, "False": False}
    args = [words[s] if s in words else int(s) if s.lstrip("-").isdigit()
            else float(s) for s in parts[1:]]
    if parts[0] in ("general cosine", "general_cosine"):
        return (parts[0], args)
    return tuple([parts[0]] + args)


def get_cases(out):
    for M, fftbins, spec in GET:
        try:
            w = get_window(scipy_spec(spec), M, fftbins=bool(fftbins))
        except ValueError:      # older SciPy: no _symmetric/_periodic suffix
            continue
        out.write("g %d %d %s\n%s\n" % (M, fftbins, spec, fmt(w)))


def main():
    warnings.simplefilter("ignore")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "windows.txt")
    with open(path, "w") as out:
        out.write("# scipy.signal.windows golden vectors, SciPy %s, numpy %s; "
                  "written by gen_windows.py\n" % (scipy.__version__, np.__version__))
        window_cases(out)
        dpss_cases(out)
        get_cases(out)


if __name__ == "__main__":
    main()
