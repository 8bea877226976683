#!/usr/bin/env python3
"""Welch's PSD of a torch tensor through libxpsignal, checked against SciPy.

The example this library started from:

    f, Pxx = welch(torch.rand(3000), fs=10e3, nperseg=1024)

returns torch tensors (the data crosses into the C library and back by
DLPack, without copies) equal to scipy.signal.welch on the same numbers.

Run from the source tree after building, e.g.
    XPSIGNAL_LIB=build/.libs/libxpsignal.so PYTHONPATH=bindings/python \\
        python3 examples/torch_welch.py

A CUDA tensor (or a CuPy array) would be processed on its device without a
host copy once libxpsignal is built with its CUDA provider; a build without
it refuses such input with a message saying so, which this example shows
when a GPU is present.
"""
import os
import sys

import numpy as np
import scipy.signal

try:
    import torch
except ImportError:
    sys.exit("torch_welch.py: this example needs PyTorch (pip install torch)")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "bindings", "python"))
import xpsignal                                           # noqa: E402


def main():
    torch.manual_seed(0)
    x = torch.rand(3000)
    f, Pxx = xpsignal.welch(x, fs=10e3, nperseg=1024)
    assert isinstance(f, torch.Tensor) and isinstance(Pxx, torch.Tensor)

    f_ref, P_ref = scipy.signal.welch(x.numpy(), fs=10e3, nperseg=1024)
    # x is float32: SciPy computes in float32, libxpsignal accumulates and
    # returns float64 (pass float32_output=True for SciPy's dtype)
    np.testing.assert_allclose(f.numpy(), f_ref, rtol=1e-12)
    np.testing.assert_allclose(Pxx.numpy(), P_ref, rtol=2e-5, atol=1e-7 * P_ref.max())
    print("welch(torch.rand(3000), fs=10e3, nperseg=1024): %s %s, %d frequencies, "
          "max |Pxx - SciPy| / max Pxx = %.2g"
          % (type(Pxx).__name__, Pxx.dtype, f.shape[0],
             float(np.max(np.abs(Pxx.numpy() - P_ref)) / P_ref.max())))

    if torch.cuda.is_available():
        xc = x.cuda()
        try:
            fc, Pc = xpsignal.welch(xc, fs=10e3, nperseg=1024)
        except xpsignal.XpDeviceError as e:
            print("CUDA tensor: %s" % e)
        else:
            assert Pc.is_cuda
            np.testing.assert_allclose(Pc.cpu().numpy(), P_ref, rtol=2e-5,
                                       atol=1e-7 * P_ref.max())
            print("CUDA tensor: result stays on %s" % Pc.device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
