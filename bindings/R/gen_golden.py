#!/usr/bin/env python3
"""Golden values for the R bindings' tests (bindings/R/xpsignal/tests).

Run with /opt/scipy-venv/bin/python (SciPy 1.17) to reproduce the
committed file; it writes xpsignal/tests/testthat/golden.txt next to this
script.  The inputs are stored too, so R need not reproduce a generator.

Format: one value list per line, '#' lines are comments:
    r NAME V1 V2 ...        real values
    c NAME RE1 IM1 ...      complex values, interleaved
    m NAME ROWS COLS V...   a real matrix, row by row (SciPy's layout)
Matrices of signals are stored with one signal per row, as SciPy sees
them; the R tests transpose (R keeps one signal per column).
"""
import os
import warnings

import numpy as np
import scipy
import scipy.signal as sig

N = 200


def fmt(v):
    return repr(float(v))


def main():
    # welch(x) with x shorter than the default nperseg: SciPy warns, then
    # shortens nperseg, as the library does silently
    warnings.filterwarnings("ignore", message="nperseg ?= ?256 is greater")
    rng = np.random.default_rng(20240611)
    t = np.arange(N)
    x = rng.standard_normal(N) + np.sin(0.3 * t) + 0.01 * t
    y = 0.5 * rng.standard_normal(N) + 0.7 * x
    X = np.vstack([x, y])                   # two signals, one per row
    lines = ["# golden values for bindings/R/xpsignal/tests, from SciPy %s by "
             "bindings/R/gen_golden.py" % scipy.__version__]

    def real(name, v):
        v = np.asarray(v, dtype=np.float64).ravel()
        lines.append("r %s %s" % (name, " ".join(fmt(a) for a in v)))

    def cplx(name, v):
        v = np.asarray(v, dtype=np.complex128).ravel()
        lines.append("c %s %s" % (name, " ".join("%s %s" % (fmt(a.real), fmt(a.imag))
                                                 for a in v)))

    def mat(name, m):
        m = np.atleast_2d(np.asarray(m, dtype=np.float64))
        lines.append("m %s %d %d %s" % (name, m.shape[0], m.shape[1],
                                        " ".join(fmt(a) for a in m.ravel())))

    real("x", x)
    real("y", y)
    win = sig.get_window("hamming", 50) * (1 + 0.1 * np.cos(np.arange(50)))
    real("winarray", win)

    # spectral
    f, P = sig.welch(x)
    real("welch_f", f)
    real("welch_P", P)
    f, P = sig.welch(x, fs=100, window=("tukey", 0.3), nperseg=64, noverlap=40, nfft=100,
                     detrend="linear", scaling="spectrum", average="median")
    real("welch_opts_f", f)
    real("welch_opts_P", P)
    f, P = sig.welch(X, nperseg=64)
    mat("welch_matrix_P", P)
    f, P = sig.welch(x, window=("kaiser", 8.6), nperseg=100)
    real("welch_kaiser_P", P)
    f, P = sig.welch(x, window=win)
    real("welch_winarray_P", P)
    f, P = sig.welch(x, nperseg=32, return_onesided=False, detrend=False)
    real("welch_twosided_f", f)
    real("welch_twosided_P", P)
    f, P = sig.csd(x, y, nperseg=64)
    real("csd_f", f)
    cplx("csd_P", P)
    f, P = sig.csd(x, y[:150], nperseg=64, window="hann")
    cplx("csd_short_P", P)
    f, C = sig.coherence(x, y, nperseg=64)
    real("coherence_f", f)
    real("coherence_C", C)
    f, P = sig.periodogram(x)
    real("periodogram_f", f)
    real("periodogram_P", P)
    f, P = sig.periodogram(x, fs=4, window="hann", nfft=256, detrend="linear",
                           scaling="spectrum")
    real("periodogram_opts_f", f)
    real("periodogram_opts_P", P)
    f, tt, S = sig.spectrogram(x, fs=10, nperseg=64)
    real("spectrogram_f", f)
    real("spectrogram_t", tt)
    mat("spectrogram_S", S)
    f, tt, S = sig.spectrogram(x, nperseg=32, noverlap=16, mode="magnitude",
                               window="hann")
    mat("spectrogram_mag_S", S)

    # stft, istft
    f, tt, Z = sig.stft(x, fs=10, nperseg=64)
    real("stft_f", f)
    real("stft_t", tt)
    cplx("stft_Z", Z)                       # nfreq x nseg, row by row
    lines.append("r stft_Z_dim %d %d" % Z.shape)
    f, tt, Z = sig.stft(x, nperseg=50, noverlap=30, window=("tukey", 0.25), boundary="odd",
                        padded=False, scaling="psd", detrend="linear")
    cplx("stft_opts_Z", Z)
    lines.append("r stft_opts_Z_dim %d %d" % Z.shape)
    tt, xr = sig.istft(sig.stft(x, nperseg=64)[2], nperseg=64)
    real("istft_t", tt)
    real("istft_x", xr)

    # detrend, windows
    real("detrend_linear", sig.detrend(x))
    real("detrend_constant", sig.detrend(x, type="constant"))
    real("detrend_bp", sig.detrend(x, bp=[60, 150]))
    real("window_hann16", sig.get_window("hann", 16))
    real("window_tukey20_sym", sig.get_window(("tukey", 0.25), 20, fftbins=False))
    real("window_kaiser15", sig.get_window(("kaiser", 8.6), 15))
    real("window_kaiser_beta15", sig.get_window(8.6, 15))
    real("window_gc12", sig.get_window(("general_cosine", [0.5, 0.3, 0.2]), 12))

    # IIR design
    b, a = sig.butter(4, 0.2)
    real("butter_b", b)
    real("butter_a", a)
    sos = sig.butter(3, [10, 40], "bandpass", fs=200, output="sos")
    mat("butter_sos", sos)
    z, p, k = sig.butter(2, 0.3, "high", output="zpk")
    cplx("butter_z", z)
    cplx("butter_p", p)
    real("butter_k", [k])
    b, a = sig.iirdesign(0.2, 0.3, 1, 40)
    real("iirdesign_b", b)
    real("iirdesign_a", a)
    sos2 = sig.iirdesign([0.2, 0.5], [0.1, 0.6], 1, 40, ftype="cheby2", output="sos")
    mat("iirdesign_sos", sos2)
    b, a = sig.iirdesign(40, 60, 0.5, 30, ftype="butter", fs=200)
    real("iirdesign_fs_b", b)
    real("iirdesign_fs_a", a)

    # filtering with butter(4, 0.2)
    b, a = sig.butter(4, 0.2)
    sos = sig.butter(4, 0.2, output="sos")
    mat("filt_sos", sos)
    real("filtfilt", sig.filtfilt(b, a, x))
    real("filtfilt_even", sig.filtfilt(b, a, x, padtype="even", padlen=30))
    real("filtfilt_nopad", sig.filtfilt(b, a, x, padtype=None))
    real("filtfilt_gust", sig.filtfilt(b, a, x, method="gust"))
    real("sosfiltfilt", sig.sosfiltfilt(sos, x))
    mat("sosfiltfilt_matrix", sig.sosfiltfilt(sos, X, padlen=20))

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xpsignal", "tests",
                       "testthat", "golden.txt")
    with open(out, "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
