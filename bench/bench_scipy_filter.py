"""bench_scipy_filter.py -- SciPy on the same cases as bench_filter.c.

    python3 bench_scipy_filter.py CASE FUNC [--repeat N]

CASE: ligo (16.7 M samples) or multi (64 x 2^20); FUNC: filtfilt,
sosfiltfilt, lfilter or sosfilt, with butter(4, [35, 350], 'band',
fs=4096).  Prints: case=... func=... seconds=<median> min=<min>
extra_mb=<peak RSS beyond the input> input_mb=...  Run each case in a
process of its own.
"""
import resource
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.signal as sig

CASES = {
    "ligo": (1, 4096 * 4096),
    "multi": (64, 1 << 20),
}


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    case, func = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    ch, n = CASES[case]
    b, a = sig.butter(4, [35, 350], "band", fs=4096)
    sos = sig.butter(4, [35, 350], "band", fs=4096, output="sos")
    rng = np.random.default_rng(1)
    x = rng.random((ch, n))
    x -= 0.5                    # in place: no second copy in the baseline peak
    if ch == 1:
        x = x[0]
    run = {
        "filtfilt": lambda: sig.filtfilt(b, a, x),
        "sosfiltfilt": lambda: sig.sosfiltfilt(sos, x),
        "lfilter": lambda: sig.lfilter(b, a, x),
        "sosfilt": lambda: sig.sosfilt(sos, x),
    }[func]
    base = maxrss_mb()
    run()                       # warm-up, as bench_filter does
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    peak = maxrss_mb()
    print(f"case={case} func={func} seconds={statistics.median(times):.4f} "
          f"min={min(times):.4f} extra_mb={max(peak - base, 0):.1f} "
          f"input_mb={x.nbytes / 1048576.0:.1f} scipy={scipy.__version__}")


if __name__ == "__main__":
    main()
