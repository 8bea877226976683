"""bench_scipy.py -- SciPy on the same cases as bench_spectral.c.

    python3 bench_scipy.py CASE FUNC [--repeat N]

Prints: case=... func=... seconds=<median> min=<min> extra_mb=<peak RSS
beyond the input> input_mb=...  Run each case in a process of its own.
"""
import resource
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.signal as sig

CASES = {
    "ligo": (1, 4096 * 4096, 16384, 4096.0),
    "ligo16k": (1, 4096 * 16384, 65536, 16384.0),
    "multi": (64, 1 << 20, 4096, 4096.0),
}


def main():
    case, func = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    ch, n, nperseg, fs = CASES[case]
    rng = np.random.default_rng(1)
    x = rng.random((ch, n)) - 0.5
    y = rng.random((ch, n)) - 0.5 if func in ("csd", "coherence") else None
    if ch == 1:
        x = x[0]
        y = y[0] if y is not None else None
    input_mb = (x.nbytes + (y.nbytes if y is not None else 0)) / 1048576.0
    kw = dict(fs=fs, window=("tukey", 0.25), nperseg=nperseg, noverlap=nperseg // 2)
    run = {
        "welch": lambda: sig.welch(x, **kw),
        "csd": lambda: sig.csd(x, y, **kw),
        "coherence": lambda: sig.coherence(x, y, **kw),
        "spectrogram": lambda: sig.spectrogram(x, **kw),
        "stft": lambda: sig.stft(x, **kw),
        "istft": lambda: sig.istft(z, **kw),
    }[func]
    z = sig.stft(x, **kw)[2] if func == "istft" else None     # not timed
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"case={case} func={func} seconds={statistics.median(times):.4f} "
          f"min={min(times):.4f} extra_mb={max(peak - base, 0):.1f} "
          f"input_mb={input_mb:.1f} scipy={scipy.__version__}")


if __name__ == "__main__":
    main()
