#!/usr/bin/env python3
"""Welch's PSD of a CuPy array through libxpsignal, on the GPU, against SciPy.

    x = cupy.random.default_rng(0).random(3000)         # float64, on the GPU
    f, Pxx = xpsignal.welch(x, fs=10e3, nperseg=1024)

returns CuPy arrays on the same device (the data crosses into the C library
and back by DLPack; nothing is copied to the host), equal to
scipy.signal.welch on the same numbers to 1e-12.  The example says whether
the library copied anything between host and device (the library's
counters, xpsignal.provider_stats("cuda"): it moves only the window and the
frequencies up, and nothing down), then repeats the call on a non-blocking
CuPy stream: ``stream=`` names it, CuPy makes the input ready on it (DLPack's
stream handshake), the library queues its work on it, and the results are
complete when welch returns, for any stream to read.

Needs CuPy, a GPU, and libxpsignal built with its CUDA provider
(./configure --with-cuda).  Run from the source tree after building, e.g.
    XPSIGNAL_LIB=build/.libs/libxpsignal.so PYTHONPATH=bindings/python \\
        python3 examples/cupy_welch.py

Exit status: 0 when it ran, 77 (skipped, with the reason) without CuPy, a
GPU or the library's CUDA provider, 1 on a mismatch.
"""
import os
import sys

import numpy as np
import scipy.signal

SKIP = 77


def skip(why):
    print("cupy_welch.py: %s; skipped" % why)
    sys.exit(SKIP)


try:
    import cupy
except ImportError:
    skip("this example needs CuPy (pip install cupy-cuda12x or cupy-cuda13x, as your CUDA)")
try:
    if cupy.cuda.runtime.getDeviceCount() < 1:
        skip("no CUDA device")
except cupy.cuda.runtime.CUDARuntimeError as e:
    skip("no usable CUDA device (%s)" % e)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "bindings", "python"))
import xpsignal                                           # noqa: E402


def main():
    x = cupy.random.default_rng(0).random(3000)          # float64
    f_ref, P_ref = scipy.signal.welch(cupy.asnumpy(x), fs=10e3, nperseg=1024)
    try:
        before = xpsignal.provider_stats("cuda")
        f, Pxx = xpsignal.welch(x, fs=10e3, nperseg=1024)
        after = xpsignal.provider_stats("cuda")
    except xpsignal.XpDeviceError as e:
        skip(str(e))
    assert isinstance(f, cupy.ndarray) and isinstance(Pxx, cupy.ndarray), (f, Pxx)
    assert Pxx.device.id == x.device.id
    np.testing.assert_allclose(cupy.asnumpy(f), f_ref, rtol=1e-12)
    np.testing.assert_allclose(cupy.asnumpy(Pxx), P_ref, rtol=1e-12)
    up = after["upload_bytes"] - before["upload_bytes"]
    down = after["download_bytes"] - before["download_bytes"]
    print("welch(cupy float64 [3000], fs=10e3, nperseg=1024): cupy.ndarray %s on "
          "device %d, %d frequencies, equal to SciPy to 1e-12"
          % (Pxx.dtype, Pxx.device.id, f.shape[0]))
    print("  host <-> device copies by the library: %d bytes up (window, frequencies), "
          "%d bytes down; the input (%d bytes) %s"
          % (up, down, x.nbytes, "was not copied to the host"
             if down == 0 and up < x.nbytes else "MAY have been copied"))

    s = cupy.cuda.Stream(non_blocking=True)
    with s:
        y = x * 1.0                                        # made on s
        f2, P2 = xpsignal.welch(y, fs=10e3, nperseg=1024, stream=s)
    np.testing.assert_allclose(cupy.asnumpy(P2), P_ref, rtol=1e-12)
    print("  again on a non-blocking stream (stream=cupy.cuda.Stream()): equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
