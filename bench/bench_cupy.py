"""bench_cupy.py -- cupyx.scipy.signal on the same cases as bench_cuda.c.

    python3 bench_cupy.py CASE FUNC [--repeat N] [--small]

CASE: ligo16k (4096 s at 16384 Hz, nperseg 65536) or multi (64 x 2^20,
nperseg 4096); FUNC: welch, csd, spectrogram, stft, istft (hann, 50 %
overlap; istft of the stft of the series, made before the clock starts),
filtfilt, sosfiltfilt (butter(4, [35, 350], 'band', fs=4096)) or fft
(cupy.fft.rfft of the framed segments, made contiguous beforehand: a second
cuFFT reference).  Prints, like bench_cuda, for mode=device (input already
on the GPU) and mode=upload (cupy.asarray of the host input timed too):
    case=... func=... mode=... seconds=<median> min=<min> input_mb=...
or seconds=n/a why=... when CuPy or the function is missing.
"""
import statistics
import sys
import time

import numpy as np

CASES = {  # channels, n, nperseg, fs
    "ligo16k": (1, 4096 * 16384, 65536, 16384.0),
    "multi": (64, 1 << 20, 4096, 4096.0),
}
SMALL = {
    "ligo16k": (1, 16 * 4096, 4096, 16384.0),
    "multi": (4, 1 << 14, 1024, 4096.0),
}
FUNCS = ("welch", "csd", "spectrogram", "stft", "istft", "filtfilt", "sosfiltfilt", "fft")


def say_na(label, func, why):
    for mode in ("device", "upload"):
        print(f"case={label} func={func} mode={mode} seconds=n/a why={why}")


def framed(cp, x, nperseg):
    """The 50 %-overlap segments of x's last axis, contiguous: (..., nseg, nperseg)."""
    step = nperseg // 2
    nseg = (x.shape[-1] - nperseg) // step + 1
    shape = x.shape[:-1] + (nseg, nperseg)
    strides = x.strides[:-1] + (step * x.itemsize, x.itemsize)
    return cp.ascontiguousarray(cp.lib.stride_tricks.as_strided(x, shape, strides))


def filter_coefs():
    try:
        import scipy.signal as ss
    except ImportError:
        import cupyx.scipy.signal as ss
    b, a = ss.butter(4, [35, 350], "band", fs=4096)
    sos = ss.butter(4, [35, 350], "band", fs=4096, output="sos")
    return np.asarray(b), np.asarray(a), np.asarray(sos)


def make_run(cp, sig, func, nperseg, fs):
    kw = dict(fs=fs, window="hann", nperseg=nperseg, noverlap=nperseg // 2)
    if func == "fft":
        return lambda x, y: cp.fft.rfft(x, axis=-1)
    if func in ("filtfilt", "sosfiltfilt"):
        b, a, sos = (cp.asarray(v) for v in filter_coefs())
        if func == "filtfilt":
            return lambda x, y: sig.filtfilt(b, a, x)
        return lambda x, y: sig.sosfiltfilt(sos, x)
    f = getattr(sig, func)
    if func == "istft":
        return lambda x, y: f(x, **kw)
    if func == "csd":
        return lambda x, y: f(x, y, **kw)
    return lambda x, y: f(x, **kw)


def main():
    argv = sys.argv[1:]
    if len(argv) < 2 or argv[0] not in CASES or argv[1] not in FUNCS:
        sys.exit("usage: bench_cupy.py ligo16k|multi " + "|".join(FUNCS) +
                 " [--repeat N] [--small]")
    case, func = argv[0], argv[1]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    small = "--small" in argv
    ch, n, nperseg, fs = (SMALL if small else CASES)[case]
    label = case + ("_small" if small else "")
    try:
        import cupy as cp
        import cupyx.scipy.signal as sig
        cp.cuda.runtime.getDeviceCount()
    except Exception as e:  # no CuPy, or no device: the table says n/a
        print(f"bench_cupy.py: {e}", file=sys.stderr)
        return say_na(label, func, "no_cupy")
    if func != "fft" and not hasattr(sig, func):
        return say_na(label, func, "not_in_cupy_" + cp.__version__)

    rng = np.random.default_rng(1)
    shape = (ch, n) if ch > 1 else (n,)
    xh = rng.random(shape) - 0.5
    yh = rng.random(shape) - 0.5 if func == "csd" else None
    if func == "istft":         # its input: the stft of the series
        xh = cp.asnumpy(sig.stft(cp.asarray(xh), fs=fs, window="hann", nperseg=nperseg,
                                 noverlap=nperseg // 2)[2])
        cp.get_default_memory_pool().free_all_blocks()
    input_mb = (xh.nbytes + (yh.nbytes if yh is not None else 0)) / 1048576.0
    run = make_run(cp, sig, func, nperseg, fs)
    dev = cp.cuda.Device()

    def upload():
        dev.synchronize()
        t0 = time.perf_counter()
        x = cp.asarray(xh)
        y = cp.asarray(yh) if yh is not None else None
        dev.synchronize()
        return x, y, time.perf_counter() - t0

    def timed(x, y):
        dev.synchronize()
        t0 = time.perf_counter()
        run(x, y)
        dev.synchronize()
        return time.perf_counter() - t0

    # fft, as in bench_cuda: segments framed untimed, the transforms timed,
    # and the series' upload added for mode=upload
    prep = (lambda x: framed(cp, x, nperseg)) if func == "fft" else (lambda x: x)
    x, y, _ = upload()
    x = prep(x)
    timed(x, y)                 # warm-up: kernels compiled, plans made
    tdev = [timed(x, y) for _ in range(repeat)]
    del x, y
    tup = []
    for _ in range(repeat):
        x, y, tu = upload()
        tup.append(tu + timed(prep(x), y))
        del x, y
    for mode, t in (("device", tdev), ("upload", tup)):
        print(f"case={label} func={func} mode={mode} seconds={statistics.median(t):.6f} "
              f"min={min(t):.6f} input_mb={input_mb:.1f} cupy={cp.__version__}")


if __name__ == "__main__":
    main()
