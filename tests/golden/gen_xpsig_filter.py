#!/usr/bin/env python3
"""Golden outputs for tests/check_xpsig_filter.sh from scipy.signal.

Run with /opt/scipy-venv/bin/python (SciPy 1.17) from anywhere: writes the
directory xpsig_filter/ next to this script (re-runs itself under that
interpreter when the one that runs it has no SciPy).

xpsig_filter/
  inputs: x.txt (400 samples), x2.txt (3 x 200), x2t.txt (200 x 3, x2
          transposed), xc.txt (200 complex);
          coefficient files as xpsig reads them: ba_*.txt (2 rows, b and a)
          and sos_*.txt (n x 6 sections), SciPy's own designs, so that the
          filtering cases do not depend on xpsig's designs
  cases.txt: one case a line, "NAME DTYPE RTOL ARGS...": the test runs
          xpsig ARGS -o NAME.npy (inputs as NAME.npy converted from
          NAME.txt), adding -f NAME.f.npy when NAME.f.txt exists, checks
          that the output has dtype DTYPE and equals NAME.txt within RTOL
          (npy_compare).  Names starting with "f_" filter data: the test
          also runs them on the strict provider and wants the same numbers
  NAME.txt, NAME.f.txt: SciPy's results, in xpsig's text form (%.17g; a
          1-D array as a column; other shapes that text would not give
          back get a "# shape:" line)
"""
import os
import sys

VENV_PYTHON = "/opt/scipy-venv/bin/python"
try:
    import scipy  # noqa: F401
except ImportError:
    if os.path.exists(VENV_PYTHON) and not os.environ.get("GEN_XPSIG_REEXEC"):
        os.environ["GEN_XPSIG_REEXEC"] = "1"
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    raise

import numpy as np
from scipy import signal

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xpsig_filter")


def fmt(v):
    if np.iscomplexobj(v):
        r, i = float(v.real), float(v.imag)
        return "%.17g%s%.17gj" % (r, "-" if np.signbit(i) else "+", abs(i))
    return "%.17g" % float(v)


def write(name, a):
    """a in the text form xpsig reads back with the same shape."""
    a = np.asarray(a)
    if a.dtype in (np.float32, np.complex64):
        a = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)
    lines = []
    plain = a.ndim == 1 and a.size > 1 or a.ndim == 2 and min(a.shape) > 1
    if not plain:
        lines.append("# shape: (%s)" % ", ".join(str(n) for n in a.shape)
                     + ("," if a.ndim == 1 else ""))
    if a.ndim == 1:
        lines += [fmt(v) for v in a]
    else:
        for row in a.reshape(-1, a.shape[-1]):
            lines.append(" ".join(fmt(v) for v in row))
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def ba(b, a):
    """A coefficient file's array: b and a as rows of one length."""
    n = max(len(b), len(a))
    return np.vstack([np.pad(b, (0, n - len(b))), np.pad(a, (0, n - len(a)))])


rng = np.random.default_rng(20250202)
n = np.arange(400)
x = np.sin(2 * np.pi * 0.02 * n) + 0.5 * rng.standard_normal(400) + 0.005 * n
x2 = rng.standard_normal((3, 200)) + np.linspace(0, 2, 200)
x2t = np.ascontiguousarray(x2.T)
xc = rng.standard_normal(200) + 1j * rng.standard_normal(200)
# float32 values, so that xpsig convert --dtype float32 gives them exactly
x = x.astype(np.float32).astype(np.float64)

COEF = {
    "ba_low": ba(*signal.butter(4, 0.2)),
    "ba_band": ba(*signal.butter(4, [35, 350], "band", fs=4096)),
    "ba_ellip": ba(*signal.ellip(3, 1, 40, 0.3, "high")),
    "sos_band": signal.butter(4, [35, 350], "band", fs=4096, output="sos"),
    "sos_ellip": signal.ellip(6, 0.5, 60, [0.1, 0.4], "bandpass", output="sos"),
    "sos_low": signal.cheby1(5, 1, 0.25, output="sos"),
}
INPUTS = {"x": x, "x2": x2, "x2t": x2t, "xc": xc}
INPUTS.update(COEF)

cases = []


def case(name, rtol, args, out, f=None):
    out = np.asarray(out)
    dtype = {np.dtype(np.float64): "float64", np.dtype(np.float32): "float32",
             np.dtype(np.complex128): "complex128",
             np.dtype(np.complex64): "complex64"}[out.dtype]
    cases.append("%s %s %s %s" % (name, dtype, rtol, args))
    write(name, out)
    if f is not None:
        write(name + ".f", f)


def design(name, rtol, args, res):
    """A design case: res is SciPy's (b, a) or sos array."""
    case(name, rtol, args, ba(*res) if isinstance(res, tuple) else res)


def main():
    os.makedirs(OUT, exist_ok=True)
    for k, v in INPUTS.items():
        write(k, v)
    R = "1e-10"
    s = signal

    # butter, cheby1, cheby2, ellip, bessel N WN
    design("d_butter_low", R, "butter 4 0.2", s.butter(4, 0.2))
    design("d_butter_high_sos", R, "butter 4 0.2 --btype high --output sos",
           s.butter(4, 0.2, "high", output="sos"))
    design("d_butter_band", R, "butter 4 35,350 --btype bandpass --fs 4096",
           s.butter(4, [35, 350], "bandpass", fs=4096))
    design("d_butter_band_sos", R, "butter 4 35,350 --btype band --fs 4096 --output sos",
           s.butter(4, [35, 350], "band", fs=4096, output="sos"))
    design("d_butter_stop", R, "butter 3 0.2,0.4 --btype bandstop",
           s.butter(3, [0.2, 0.4], "bandstop"))
    design("d_butter_alias_hp", R, "butter 2 0.3 --btype hp", s.butter(2, 0.3, "hp"))
    design("d_butter_alias_pass", R, "butter 2 0.1,0.3 --btype=pass --output=sos",
           s.butter(2, [0.1, 0.3], "pass", output="sos"))
    design("d_butter_alias_stop", R, "butter 2 0.1,0.3 --btype stop",
           s.butter(2, [0.1, 0.3], "stop"))
    design("d_butter_alias_case", R, "butter 3 0.1,0.3 --btype Band",
           s.butter(3, [0.1, 0.3], "Band"))
    design("d_butter_alias_l", R, "butter 5 100 --btype l --fs 1000 --output sos",
           s.butter(5, 100, "l", fs=1000, output="sos"))
    design("d_butter_odd", R, "butter 7 0.45", s.butter(7, 0.45))
    design("d_cheby1_low", R, "cheby1 5 0.3 --rp 1", s.cheby1(5, 1, 0.3))
    design("d_cheby1_stop_sos", R, "cheby1 4 100,200 --rp 0.5 --btype bandstop --fs 1000 "
           "--output sos", s.cheby1(4, 0.5, [100, 200], "bandstop", fs=1000, output="sos"))
    design("d_cheby2_high", R, "cheby2 6 0.25 --rs 40 --btype highpass",
           s.cheby2(6, 40, 0.25, "highpass"))
    design("d_cheby2_pass_sos", R, "cheby2 4 0.2,0.5 --rs 60 --btype pass --output sos",
           s.cheby2(4, 60, [0.2, 0.5], "pass", output="sos"))
    design("d_ellip_low", R, "ellip 5 0.3 --rp 1 --rs 50", s.ellip(5, 1, 50, 0.3))
    design("d_ellip_bs_sos", R, "ellip 4 0.1,0.4 --rp 0.5 --rs 60 --btype bs --output sos",
           s.ellip(4, 0.5, 60, [0.1, 0.4], "bs", output="sos"))
    design("d_ellip_high_sos", R, "ellip 6 100 --rp 1 --rs 80 --fs 1000 --btype h "
           "--output sos", s.ellip(6, 1, 80, 100, "h", fs=1000, output="sos"))
    design("d_bessel_low", R, "bessel 4 0.2", s.bessel(4, 0.2))
    design("d_bessel_delay", R, "bessel 5 0.3 --norm delay", s.bessel(5, 0.3, norm="delay"))
    design("d_bessel_band_mag_sos", R, "bessel 3 0.2,0.4 --btype band --norm mag "
           "--output sos", s.bessel(3, [0.2, 0.4], "band", norm="mag", output="sos"))
    design("d_bessel_high", R, "bessel 4 50 --fs 1000 --btype high",
           s.bessel(4, 50, "high", fs=1000))

    # iirdesign
    design("d_iirdesign_ellip", R, "iirdesign --wp 0.2 --ws 0.3 --gpass 1 --gstop 40",
           s.iirdesign(0.2, 0.3, 1, 40))
    design("d_iirdesign_butter_sos", R, "iirdesign --wp 0.2 --ws 0.3 --gpass 1 --gstop 40 "
           "--ftype butter --output sos",
           s.iirdesign(0.2, 0.3, 1, 40, ftype="butter", output="sos"))
    design("d_iirdesign_cheby1_high", R, "iirdesign --wp 0.3 --ws 0.2 --gpass 0.5 "
           "--gstop 30 --ftype cheby1", s.iirdesign(0.3, 0.2, 0.5, 30, ftype="cheby1"))
    design("d_iirdesign_cheby2_band", R, "iirdesign --wp 100,200 --ws 50,250 --gpass 1 "
           "--gstop 40 --ftype cheby2 --fs 1000 --output sos",
           s.iirdesign([100, 200], [50, 250], 1, 40, ftype="cheby2", fs=1000, output="sos"))
    design("d_iirdesign_ellip_stop", R, "iirdesign --wp 0.1,0.5 --ws 0.2,0.4 --gpass 1 "
           "--gstop 50 --output sos", s.iirdesign([0.1, 0.5], [0.2, 0.4], 1, 50, output="sos"))
    design("d_iirdesign_butter_stop", R, "iirdesign --wp 0.1,0.5 --ws 0.2,0.4 --gpass 3 "
           "--gstop 30 --ftype butter",
           s.iirdesign([0.1, 0.5], [0.2, 0.4], 3, 30, ftype="butter"))

    # iirnotch, iirpeak
    design("d_notch", R, "iirnotch 60 30 --fs 1000", s.iirnotch(60, 30, fs=1000))
    design("d_notch_default_fs", R, "iirnotch 0.1 35", s.iirnotch(0.1, 35))
    design("d_peak", R, "iirpeak 60 30 --fs 1000", s.iirpeak(60, 30, fs=1000))
    design("d_peak_default_fs", R, "iirpeak 0.3 10", s.iirpeak(0.3, 10))

    # freqz: H (complex128) and -f W
    w, h = s.freqz(*signal.butter(4, 0.2))
    case("z_ba_default", R, "freqz --ba ba_low.npy", h, w)
    w, h = s.freqz(*signal.butter(4, [35, 350], "band", fs=4096), worN=100, whole=True,
                   fs=4096)
    # the ba form of this narrow band-pass is ill-conditioned near its poles:
    # SciPy's FFT and our Horner evaluation agree to 1e-10, not better
    case("z_ba_whole", "1e-8", "freqz --ba ba_band.npy --worN 100 --whole --fs 4096", h, w)
    w, h = s.freqz_sos(COEF["sos_band"], worN=256, fs=4096)
    case("z_sos", R, "freqz --sos sos_band.npy --worN 256 --fs 4096", h, w)
    w, h = s.freqz_sos(COEF["sos_ellip"], worN=64, whole=True)
    case("z_sos_whole", R, "freqz --sos sos_ellip.npy --worN 64 --whole", h, w)
    case("z_ba_ellip", R, "freqz --ba ba_ellip.npy --worN=33",
         s.freqz(COEF["ba_ellip"][0], COEF["ba_ellip"][1], worN=33)[1])

    # lfilter, sosfilt, filtfilt, sosfiltfilt (f_*: also on the strict provider)
    b, a = COEF["ba_low"]
    bb, ab = COEF["ba_band"]
    case("f_lfilter", R, "lfilter x.npy --ba ba_low.npy", s.lfilter(b, a, x))
    case("f_lfilter_band", R, "lfilter x.npy --ba ba_band.npy", s.lfilter(bb, ab, x))
    case("f_lfilter_2d", R, "lfilter x2.npy --ba ba_ellip.npy",
         s.lfilter(COEF["ba_ellip"][0], COEF["ba_ellip"][1], x2))
    case("f_lfilter_axis0", R, "lfilter x2t.npy --ba ba_low.npy --axis 0",
         s.lfilter(b, a, x2t, axis=0))
    case("f_lfilter_complex", R, "lfilter xc.npy --ba ba_low.npy", s.lfilter(b, a, xc))
    case("f_sosfilt", R, "sosfilt x.npy --sos sos_band.npy", s.sosfilt(COEF["sos_band"], x))
    case("f_sosfilt_2d", R, "sosfilt x2.npy --sos sos_ellip.npy",
         s.sosfilt(COEF["sos_ellip"], x2))
    case("f_sosfilt_axis0", R, "sosfilt x2t.npy --sos sos_low.npy --axis 0",
         s.sosfilt(COEF["sos_low"], x2t, axis=0))
    case("f_filtfilt", R, "filtfilt x.npy --ba ba_low.npy", s.filtfilt(b, a, x))
    # its steady state solves a system of condition 1e10: SciPy's own
    # solve and lstsq differ by 1e-7 in zi
    case("f_filtfilt_band", "1e-7", "filtfilt x.npy --ba ba_band.npy", s.filtfilt(bb, ab, x))
    case("f_filtfilt_even", R, "filtfilt x.npy --ba ba_low.npy --padtype even",
         s.filtfilt(b, a, x, padtype="even"))
    case("f_filtfilt_constant", R, "filtfilt x.npy --ba ba_low.npy --padtype constant "
         "--padlen 50", s.filtfilt(b, a, x, padtype="constant", padlen=50))
    case("f_filtfilt_none", R, "filtfilt x.npy --ba ba_low.npy --padtype none",
         s.filtfilt(b, a, x, padtype=None))
    case("f_filtfilt_padlen0", R, "filtfilt x.npy --ba ba_low.npy --padlen 0",
         s.filtfilt(b, a, x, padlen=0))
    case("f_filtfilt_gust", R, "filtfilt x.npy --ba ba_low.npy --method gust",
         s.filtfilt(b, a, x, method="gust"))
    case("f_filtfilt_gust_irlen", R, "filtfilt x.npy --ba ba_low.npy --method gust "
         "--irlen 60", s.filtfilt(b, a, x, method="gust", irlen=60))
    case("f_filtfilt_axis0", R, "filtfilt x2t.npy --ba ba_ellip.npy --axis 0",
         s.filtfilt(COEF["ba_ellip"][0], COEF["ba_ellip"][1], x2t, axis=0))
    case("f_filtfilt_2d", R, "filtfilt x2.npy --ba ba_low.npy --padtype odd --padlen 20",
         s.filtfilt(b, a, x2, padlen=20))
    case("f_filtfilt_complex", R, "filtfilt xc.npy --ba ba_low.npy", s.filtfilt(b, a, xc))
    case("f_sosfiltfilt", R, "sosfiltfilt x.npy --sos sos_band.npy",
         s.sosfiltfilt(COEF["sos_band"], x))
    case("f_sosfiltfilt_even", R, "sosfiltfilt x.npy --sos sos_ellip.npy --padtype even "
         "--padlen 100", s.sosfiltfilt(COEF["sos_ellip"], x, padtype="even", padlen=100))
    case("f_sosfiltfilt_none", R, "sosfiltfilt x.npy --sos sos_low.npy --padtype none",
         s.sosfiltfilt(COEF["sos_low"], x, padtype=None))
    case("f_sosfiltfilt_constant", R, "sosfiltfilt x.npy --sos sos_low.npy --padtype "
         "constant", s.sosfiltfilt(COEF["sos_low"], x, padtype="constant"))
    case("f_sosfiltfilt_axis0", R, "sosfiltfilt x2t.npy --sos sos_low.npy --axis 0",
         s.sosfiltfilt(COEF["sos_low"], x2t, axis=0))
    case("f_sosfiltfilt_complex", R, "sosfiltfilt xc.npy --sos sos_ellip.npy",
         s.sosfiltfilt(COEF["sos_ellip"], xc))
    # float32 data is filtered in float64, with a float64 result: SciPy's
    # result_type with the float64 coefficients
    x32 = x.astype(np.float32)
    case("f_sosfiltfilt_f32", R, "sosfiltfilt x32.npy --sos sos_low.npy",
         s.sosfiltfilt(COEF["sos_low"], x32))
    case("f_lfilter_f32", R, "lfilter x32.npy --ba ba_low.npy", s.lfilter(b, a, x32))

    with open(os.path.join(OUT, "cases.txt"), "w") as fh:
        fh.write("# NAME DTYPE RTOL ARGS... (written by gen_xpsig_filter.py)\n")
        fh.write("\n".join(cases) + "\n")


if __name__ == "__main__":
    main()
