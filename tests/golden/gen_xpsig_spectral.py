#!/usr/bin/env python3
"""Golden outputs for tests/check_xpsig_spectral.sh from scipy.signal.

Run with /opt/scipy-venv/bin/python (SciPy 1.17) from anywhere: writes the
directory xpsig_spectral/ next to this script (re-runs itself under that
interpreter when the one that runs it has no SciPy).

xpsig_spectral/
  inputs: x.txt (300 samples), y.txt (300), x2.txt (3 x 160),
          x2t.txt (160 x 3, x2 transposed), y2t.txt (x2t and noise),
          xc.txt (160 complex),
          w33.txt (a window for --window FILE);
          every value is a float32 value, so that xpsig convert --dtype
          float32 gives SciPy's float32 input exactly;
          z.txt (stft of x, nperseg 64), zt.txt (z transposed), zc.txt
          (stft of xc, nperseg 32): istft's inputs
  cases.txt: one case a line, "NAME DTYPE RTOL ARGS...": the test runs
          xpsig ARGS -o NAME.npy (input names X.npy, plus X32.npy for the
          float32 copy of X), adding -f NAME.f.npy when NAME.f.txt exists
          and -t NAME.t.npy when NAME.t.txt exists, checks that the output
          has dtype DTYPE and equals NAME.txt within RTOL (npy_compare)
  NAME.txt, NAME.f.txt, NAME.t.txt: SciPy's results, in xpsig's text form
          (%.17g; a 1-D array as a column; other shapes a 2-D array of
          both dimensions above 1 would not give get a "# shape:" line)
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
from scipy.signal._spectral_py import _median_bias

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xpsig_spectral")


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


rng = np.random.default_rng(20250101)
n = np.arange(300)
x = (np.sin(2 * np.pi * 0.1 * n) + 0.5 * rng.standard_normal(300) + 0.01 * n)
y = 0.7 * np.roll(x, 3) + 0.4 * rng.standard_normal(300)
x2 = rng.standard_normal((3, 160)) + np.linspace(0, 2, 160)
xc = rng.standard_normal(160) + 1j * rng.standard_normal(160)
f32 = lambda a: a.astype(np.complex64 if np.iscomplexobj(a) else np.float32)
x, y, x2, xc = (f32(a).astype(np.complex128 if np.iscomplexobj(a) else np.float64)
                for a in (x, y, x2, xc))
x2t = np.ascontiguousarray(x2.T)
y2t = f32(x2t + 0.5 * rng.standard_normal(x2t.shape)).astype(np.float64)
w33 = signal.get_window(("tukey", 0.25), 33)      # a window given as a file
z = signal.stft(x, nperseg=64)[2]                  # istft's inputs
zt = np.ascontiguousarray(z.T)
zc = signal.stft(xc, nperseg=32)[2]
INPUTS = {"x": x, "y": y, "x2": x2, "x2t": x2t, "y2t": y2t, "xc": xc, "w33": w33, "z": z,
          "zt": zt, "zc": zc}

cases = []


def case(name, rtol, args, out, f=None, t=None):
    out = np.asarray(out)
    dtype = {np.dtype(np.float64): "float64", np.dtype(np.float32): "float32",
             np.dtype(np.complex128): "complex128",
             np.dtype(np.complex64): "complex64"}[out.dtype]
    cases.append("%s %s %s %s" % (name, dtype, rtol, args))
    write(name, out)
    if f is not None:
        write(name + ".f", f)
    if t is not None:
        write(name + ".t", t)


def pad(a, n):
    """a zero-padded to n along the last axis: what csd does to the shorter
    input (SciPy 1.17 does it only when x and y have equal ndim)."""
    return np.concatenate([a, np.zeros(a.shape[:-1] + (n - a.shape[-1],))], axis=-1)


def median_mean(a, **kw):
    """LIGO's median-mean Welch average: mean of the bias-corrected
    medians of the even- and of the odd-numbered segments."""
    _, _, s = signal.spectrogram(a, mode="psd", **kw)
    even, odd = s[..., 0::2], s[..., 1::2]
    return 0.5 * (np.median(even, axis=-1) / _median_bias(even.shape[-1])
                  + np.median(odd, axis=-1) / _median_bias(odd.shape[-1]))


def main():
    os.makedirs(OUT, exist_ok=True)
    for k, v in INPUTS.items():
        write(k, v)
    R = "1e-10"

    # window SPEC N [--sym]
    g = signal.get_window
    case("win_hann", R, "window hann 16", g("hann", 16))
    case("win_hann_sym", R, "window hann 16 --sym", g("hann", 16, fftbins=False))
    case("win_tukey", R, "window tukey,0.25 33", g(("tukey", 0.25), 33))
    case("win_kaiser_sym", R, "window kaiser,8.6 20 --sym", g(("kaiser", 8.6), 20, False))
    case("win_beta", R, "window 8.6 20", g(8.6, 20))
    case("win_gcos", R, "window general_cosine,0.5,0.3,0.2 12",
         g(("general_cosine", [0.5, 0.3, 0.2]), 12))
    case("win_exp_sym", R, "window exponential,None,3 11 --sym",
         g(("exponential", None, 3), 11, False))
    case("win_one", R, "window hamming 1", g("hamming", 1))

    # detrend X [--type] [--bp] [--axis]
    d = signal.detrend
    case("det_linear", R, "detrend x.npy", d(x))
    case("det_constant", R, "detrend x.npy --type constant", d(x, type="constant"))
    case("det_bp", R, "detrend x.npy --bp 100,200", d(x, bp=[100, 200]))
    case("det_bp_unsorted", R, "detrend x.npy --type=linear --bp 250,40",
         d(x, bp=[250, 40]))
    case("det_2d", R, "detrend x2.npy", d(x2))
    case("det_axis0", R, "detrend x2t.npy --axis 0 --bp 50", d(x2t, axis=0, bp=[50]))
    case("det_complex", R, "detrend xc.npy --type c", d(xc, type="c"))

    # periodogram
    p = signal.periodogram
    f, P = p(x)
    case("per_default", R, "periodogram x.npy", P, f)
    f, P = p(x, fs=100, window="hann", nfft=512, scaling="spectrum")
    case("per_opts", R, "periodogram x.npy --fs 100 --window hann --nfft 512 "
         "--scaling spectrum", P, f)
    case("per_twosided", R, "periodogram x.npy --twosided --detrend linear",
         p(x, return_onesided=False, detrend="linear")[1])
    case("per_trunc", R, "periodogram x.npy --nfft 128 --detrend none",
         p(x, nfft=128, detrend=False)[1])
    case("per_axis0", R, "periodogram x2t.npy --axis 0 --window tukey,0.25",
         p(x2t, axis=0, window=("tukey", 0.25))[1])
    f, P = p(xc, fs=2)
    case("per_complex", R, "periodogram xc.npy --fs 2", P, f)

    # welch
    w = signal.welch
    f, P = w(x)
    case("welch_default", R, "welch x.npy", P, f)
    f, P = w(x, fs=2, window=("tukey", 0.25), nperseg=64, noverlap=48, nfft=100,
             detrend="linear")
    case("welch_opts", R, "welch x.npy --fs 2 --window tukey,0.25 --nperseg 64 "
         "--noverlap 48 --nfft 100 --detrend linear", P, f)
    case("welch_spectrum", R, "welch x.npy --nperseg 50 --scaling spectrum --twosided",
         w(x, nperseg=50, scaling="spectrum", return_onesided=False)[1])
    case("welch_median", R, "welch x.npy --nperseg 64 --average median",
         w(x, nperseg=64, average="median")[1])
    case("welch_median_mean", R, "welch x.npy --nperseg 64 --average median-mean",
         median_mean(x, window="hann", nperseg=64, noverlap=32))
    case("welch_axis0", R, "welch x2t.npy --axis 0 --nperseg 64",
         w(x2t, axis=0, nperseg=64)[1])
    case("welch_2d", R, "welch x2.npy --nperseg 64 --window kaiser,8.6",
         w(x2, nperseg=64, window=("kaiser", 8.6))[1])
    f, P = w(xc, nperseg=64)
    case("welch_complex", R, "welch xc.npy --nperseg 64", P, f)
    case("welch_boxcar", R, "welch x.npy --nperseg 64 --detrend none --window boxcar",
         w(x, nperseg=64, detrend=False, window="boxcar")[1])
    case("welch_winfile", R, "welch x.npy --window w33.npy",
         w(x, window=w33)[1])

    # csd, coherence
    f, P = signal.csd(x, y, nperseg=64)
    case("csd_default", R, "csd x.npy y.npy --nperseg 64", P, f)
    case("csd_median", R, "csd x.npy y.npy --nperseg 64 --average median --scaling "
         "spectrum", signal.csd(x, y, nperseg=64, average="median", scaling="spectrum")[1])
    case("csd_2d", R, "csd x2.npy y.npy --nperseg 64 --detrend linear",
         signal.csd(pad(x2, 300), y, nperseg=64, detrend="linear")[1])
    case("csd_complex", R, "csd x.npy xc.npy --nperseg 32 --twosided",
         signal.csd(x, xc, nperseg=32, return_onesided=False)[1])
    f, C = signal.coherence(x, y, nperseg=64)
    case("coh_default", R, "coherence x.npy y.npy --nperseg 64", C, f)
    case("coh_opts", R, "coherence x.npy y.npy --fs 10 --window hamming --nperseg 50 "
         "--noverlap 10 --nfft 64 --detrend linear",
         signal.coherence(x, y, fs=10, window="hamming", nperseg=50, noverlap=10,
                          nfft=64, detrend="linear")[1])
    # SciPy's coherence: the cross spectrum over the zero-padded common
    # length, each power spectrum over its own input (its csd cannot pad
    # and broadcast at once in 1.17, so build the quotient from the parts)
    Pxy = signal.csd(pad(x2, 300), y, nperseg=32)[1]
    Pxx = signal.welch(x2, nperseg=32)[1]
    Pyy = signal.welch(y, nperseg=32)[1]
    case("coh_2d", R, "coherence x2.npy y.npy --nperseg 32", np.abs(Pxy) ** 2 / Pxx / Pyy)
    case("coh_axis0", R, "coherence x2t.npy y2t.npy --axis 0 --nperseg 32 --window hamming",
         signal.coherence(x2t, y2t, axis=0, nperseg=32, window="hamming")[1])

    # spectrogram
    s = signal.spectrogram
    f, t, S = s(x)
    case("spec_default", R, "spectrogram x.npy", S, f, t)
    f, t, S = s(x, fs=4, nperseg=64)
    case("spec_psd", R, "spectrogram x.npy --nperseg 64 --fs 4", S, f, t)
    case("spec_complex", R, "spectrogram x.npy --nperseg 64 --mode complex",
         s(x, nperseg=64, mode="complex")[2])
    case("spec_magnitude", R, "spectrogram x.npy --nperseg 64 --mode magnitude "
         "--scaling spectrum", s(x, nperseg=64, mode="magnitude", scaling="spectrum")[2])
    case("spec_angle", R, "spectrogram x.npy --nperseg 64 --mode angle --detrend none",
         s(x, nperseg=64, mode="angle", detrend=False)[2])
    case("spec_phase", R, "spectrogram x.npy --nperseg 64 --mode phase --detrend none",
         s(x, nperseg=64, mode="phase", detrend=False)[2])
    case("spec_2d", R, "spectrogram x2.npy --nperseg 32 --noverlap 8 --twosided",
         s(x2, nperseg=32, noverlap=8, return_onesided=False)[2])
    case("spec_axis0", R, "spectrogram x2t.npy --axis 0 --nperseg 32 --window hann",
         s(x2t, axis=0, nperseg=32, window="hann")[2])
    f, t, S = s(xc, nperseg=32, nfft=40)
    case("spec_complex_in", R, "spectrogram xc.npy --nperseg 32 --nfft 40", S, f, t)

    # stft, istft
    st = signal.stft
    f, t, Z = st(x, nperseg=64)
    case("stft_default", R, "stft x.npy --nperseg 64", Z, f, t)
    f, t, Z = st(x, fs=2, window=("tukey", 0.25), nperseg=50, noverlap=30, nfft=64,
                 detrend="linear", boundary="odd", padded=False, scaling="psd")
    case("stft_opts", R, "stft x.npy --fs 2 --window tukey,0.25 --nperseg 50 --noverlap 30 "
         "--nfft 64 --detrend linear --boundary odd --padded false --scaling psd", Z, f, t)
    f, t, Z = st(x, nperseg=64, boundary=None)
    case("stft_none", R, "stft x.npy --nperseg 64 --boundary none", Z, f, t)
    case("stft_axis0", R, "stft x2t.npy --axis 0 --nperseg 32 --boundary even",
         st(x2t, axis=0, nperseg=32, boundary="even")[2])
    case("stft_complex_in", R, "stft xc.npy --nperseg 32 --boundary constant",
         st(xc, nperseg=32, boundary="constant")[2])
    ist = signal.istft
    t, X = ist(z)
    case("istft_default", R, "istft z.npy", X, t=t)
    t, X = ist(z, fs=4, nperseg=64, noverlap=32, window="hann", boundary=False)
    case("istft_opts", R, "istft z.npy --fs 4 --nperseg 64 --noverlap 32 --window hann "
         "--boundary false", X, t=t)
    case("istft_axes", R, "istft zt.npy --time_axis 0 --freq_axis 1",
         ist(zt, time_axis=0, freq_axis=1)[1])
    case("istft_twosided", R, "istft zc.npy --input_onesided false",
         ist(zc, input_onesided=False)[1])
    case("istft_psd", R, "istft z.npy --scaling psd --fs 2", ist(z, scaling="psd", fs=2)[1])

    # float32 input: float64 results by default, SciPy's float32 with the flag
    R32 = "2e-5"
    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    case("f32_welch", R32, "welch x32.npy --nperseg 64", w(x, nperseg=64)[1])
    case("f32_welch_out", R32, "welch x32.npy --nperseg 64 --float32-output",
         w(x32, nperseg=64)[1])
    case("f32_csd_out", R32, "csd x32.npy y32.npy --nperseg 64 --float32-output",
         signal.csd(x32, y32, nperseg=64)[1])
    case("f32_spec_out", R32, "spectrogram x32.npy --nperseg 64 --float32-output",
         s(x32, nperseg=64)[2])
    case("f32_per_out", R32, "periodogram x32.npy --float32-output", p(x32)[1])

    with open(os.path.join(OUT, "cases.txt"), "w") as fh:
        fh.write("# NAME DTYPE RTOL ARGS... (written by gen_xpsig_spectral.py)\n")
        fh.write("\n".join(cases) + "\n")


if __name__ == "__main__":
    main()
