#!/usr/bin/env python3
"""Golden values for tests/check_gw150914.c: the GW150914 demo
(examples/gw150914) computed with NumPy/SciPy, the way the GWOSC
LOSC_Event_tutorial computes it.

    /opt/scipy-venv/bin/python tests/golden/gen_gw150914.py [DATA_DIR]

DATA_DIR (default $XPS_LIGO_DATA, then ../shared/ligo next to the
repository) holds the GWOSC files.  Writes tests/golden/gw150914.txt:

    asd F H1 L1 H1MM L1MM     Welch ASD at every bin 10-2000 Hz: mean and
                              median-mean averages
    x I WH WL BH BL FH FL     at sample I: whitened, band-passed and Fig. 1
                              filtered H1 and L1 (every 64th sample and
                              every sample of 0.20-0.50 s after GPS 1126259462)
    mf DET SNR INDEX TGPS SIGMA   matched-filter peak

Only the window array, the filter designs and the recipe are shared with
the C code; every number here comes from SciPy.
"""
import os
import sys

import h5py
import numpy as np
from scipy import signal

FS = 4096
GPS_REF = 1126259462
HERE = os.path.dirname(os.path.abspath(__file__))


def data_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("XPS_LIGO_DATA"):
        return os.environ["XPS_LIGO_DATA"]
    return os.path.join(HERE, "..", "..", "..", "shared", "ligo")


def read_strain(d, det):
    with h5py.File(os.path.join(d, f"{det[0]}-{det}_LOSC_4_V2-1126259446-32.hdf5"), "r") as f:
        ds = f["strain/Strain"]
        return ds[()].astype(np.float64), float(ds.attrs["Xstart"]), float(ds.attrs["Xspacing"])


def median_bias(n):
    # SciPy's bias of the median of n chi^2_2 variables (relative to the mean)
    ii = 2 * np.arange(1.0, (n - 1) // 2 + 1)
    return 1 + np.sum(1.0 / (ii + 1) - 1.0 / ii)


def psds(x):
    """Welch, tutorial style: 4 s symmetric Tukey(0.25), 2 s overlap, constant
    detrend, density; mean and LIGO's median-mean averages."""
    nper = 4 * FS
    win = signal.windows.tukey(nper, 0.25, sym=True)
    kw = dict(fs=FS, window=win, nperseg=nper, noverlap=nper // 2, detrend="constant",
              scaling="density")
    f, p_mean = signal.welch(x, **kw)
    _, _, seg = signal.spectrogram(x, mode="psd", **kw)     # [nfreq, nseg]
    assert np.allclose(seg.mean(axis=1), p_mean, rtol=1e-9, atol=0)
    even, odd = seg[:, 0::2], seg[:, 1::2]
    p_mm = 0.5 * (np.median(even, axis=1) / median_bias(even.shape[1])
                  + np.median(odd, axis=1) / median_bias(odd.shape[1]))
    return f, p_mean, p_mm


def whiten(strain, f, psd, dt):
    # the tutorial's whiten(), with interp_psd = linear interpolation
    nt = len(strain)
    freqs = np.fft.rfftfreq(nt, dt)
    hf = np.fft.rfft(strain)
    norm = 1.0 / np.sqrt(1.0 / (dt * 2))
    white_hf = hf / np.sqrt(np.interp(freqs, f, psd)) * norm
    return np.fft.irfft(white_hf, n=nt)


def bandpass(white, flo=35.0, fhi=350.0):
    """The tutorial's filtfilt(bb, ab, white) / normalization, computed as
    second-order sections with filtfilt's padding (3 max(len(ab), len(bb))):
    the same filter, without the (b, a) recursion's rounding noise (which
    the check below bounds)."""
    wn = [flo * 2.0 / FS, fhi * 2.0 / FS]
    normalization = np.sqrt((fhi - flo) / (FS / 2))
    bb, ab = signal.butter(4, wn, btype="band")
    sos = signal.butter(4, wn, btype="band", output="sos")
    y = signal.sosfiltfilt(sos, white, padlen=3 * max(len(ab), len(bb))) / normalization
    y_ba = signal.filtfilt(bb, ab, white) / normalization
    noise = np.max(np.abs(y_ba - y)) / np.max(np.abs(y))
    print("band-pass: tutorial's (b, a) filtfilt vs sections: %.2e of the largest value" % noise)
    assert noise < 2e-9
    return y


def fig1_filter(x):
    """butter(4, [35, 350] Hz) then the tutorial's elliptic band-stops, each
    applied forward and backward, as second-order sections.  The tutorial
    runs every stage as filtfilt(b, a): the same filters, whose (b, a)
    recursion adds rounding noise; the check below bounds it."""
    lines = [14.0, 34.70, 35.30, 35.90, 36.70, 37.30, 40.95, 60.00, 120.00, 179.99,
             304.99, 331.49, 510.02, 1009.99]
    stops = [(f, 1.0, 0.1) for f in lines] + [(510.0, 200.0, 20.0), (331.5, 10.0, 1.0)]
    y = signal.sosfiltfilt(signal.butter(4, [35, 350], btype="band", fs=FS, output="sos"), x)
    bb, ab = signal.butter(4, [35, 350], btype="band", fs=FS)
    y_ba = signal.filtfilt(bb, ab, x)
    for f, d, d2 in stops:
        kw = dict(gpass=1, gstop=6, ftype="ellip", fs=FS)
        sos = signal.iirdesign([f - d, f + d], [f - d2, f + d2], output="sos", **kw)
        y = signal.sosfiltfilt(sos, y)
        bb, ab = signal.iirdesign([f - d, f + d], [f - d2, f + d2], output="ba", **kw)
        y_ba = signal.filtfilt(bb, ab, y_ba)
    noise = np.max(np.abs(y_ba - y)) / np.max(np.abs(y))
    print("Fig. 1: tutorial's (b, a) filtfilt stages vs sections: %.2e of the largest value"
          % noise)
    assert noise < 2e-9
    return y


def matched_filter(x, t0, f, psd, wt, wh):
    """The tutorial's matched filter; the template is the NR waveform with its
    t = 0 sample at N/2, made analytic (h+ + i hx, hx its Hilbert transform)."""
    n = len(x)
    i0 = int(np.argmin(np.abs(wt)))
    tmpl = np.zeros(n)
    s = n // 2 - i0
    tmpl[s:s + len(wh)] = wh
    dwindow = signal.windows.tukey(n, alpha=1.0 / 8)
    datafreq = np.fft.fftfreq(n) * FS
    df = np.abs(datafreq[1] - datafreq[0])
    # the analytic template's spectrum: the windowed real template's with the
    # negative frequencies dropped and the positive ones doubled
    template_fft = np.fft.fft(tmpl * dwindow) / FS
    mask = np.zeros(n)
    mask[0] = 1
    mask[n // 2] = 1
    mask[1:n // 2] = 2
    template_fft = template_fft * mask
    data_fft = np.fft.fft(x * dwindow) / FS
    power_vec = np.interp(np.abs(datafreq), f, psd)
    optimal = data_fft * template_fft.conjugate() / power_vec
    optimal_time = 2 * np.fft.ifft(optimal) * FS
    sigmasq = (template_fft * template_fft.conjugate() / power_vec).sum() * df
    sigma = np.sqrt(np.abs(sigmasq))
    snr = np.roll(optimal_time / sigma, n // 2)
    j = int(np.argmax(np.abs(snr)))
    return np.abs(snr[j]), j, t0 + j / FS - wt[i0], sigma


def main():
    d = data_dir()
    wave = np.loadtxt(os.path.join(d, "GW150914_4_NR_waveform.txt"))
    out = {}
    for det in ("H1", "L1"):
        x, t0, dt = read_strain(d, det)
        assert dt == 1.0 / FS
        f, p, pmm = psds(x)
        white = whiten(x, f, p, dt)
        out[det] = dict(t0=t0, f=f, p=p, pmm=pmm, white=white, bp=bandpass(white),
                        fig1=fig1_filter(x), mf=matched_filter(x, t0, f, p, wave[:, 0],
                                                                wave[:, 1]))
    h, l = out["H1"], out["L1"]
    n = len(h["white"])
    t = h["t0"] - GPS_REF + np.arange(n) / FS
    keep = (np.arange(n) % 64 == 0) | ((t >= 0.20 - 1e-9) & (t <= 0.50 + 1e-9))
    band = (h["f"] >= 10) & (h["f"] <= 2000)
    path = os.path.join(HERE, "gw150914.txt")
    with open(path, "w") as o:
        o.write("# GW150914 demo golden values (tests/golden/gen_gw150914.py, SciPy %s)\n"
                % __import__("scipy").__version__)
        for k in np.nonzero(band)[0]:
            o.write("asd %.2f %.11e %.11e %.11e %.11e\n"
                    % (h["f"][k], np.sqrt(h["p"][k]), np.sqrt(l["p"][k]),
                       np.sqrt(h["pmm"][k]), np.sqrt(l["pmm"][k])))
        for i in np.nonzero(keep)[0]:
            o.write("x %d %.11e %.11e %.11e %.11e %.11e %.11e\n"
                    % (i, h["white"][i], l["white"][i], h["bp"][i], l["bp"][i],
                       h["fig1"][i], l["fig1"][i]))
        for det in ("H1", "L1"):
            snr, j, tg, sigma = out[det]["mf"]
            o.write("mf %s %.12f %d %.6f %.12e\n" % (det, snr, j, tg, sigma))
    print("wrote", path)


if __name__ == "__main__":
    main()
