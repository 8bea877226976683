#!/usr/bin/env python3
"""Welch's PSD of a torch tensor through libxpsignal, checked against SciPy.

The example this library started from:

    f, Pxx = welch(torch.rand(3000), fs=10e3, nperseg=1024)

returns torch tensors (the data crosses into the C library and back by
DLPack, without copies) equal to scipy.signal.welch on the same numbers.

When torch sees a GPU, the same call on a CUDA tensor
(torch.rand(3000, device='cuda', dtype=torch.float64)) runs on the GPU and
returns CUDA tensors, equal to SciPy's to 1e-12; the example says whether
the library copied anything between host and device (it moves only the
window and the frequencies up, and nothing down), and repeats the call on a
side stream of torch's (``stream=`` names it: torch makes the input ready on
it, the library queues its work on it, and the results are complete when
welch returns).  A libxpsignal built without the CUDA provider refuses the
CUDA tensor with a message saying so, which the example prints.

Run from the source tree after building, e.g.
    XPSIGNAL_LIB=build/.libs/libxpsignal.so PYTHONPATH=bindings/python \\
        python3 examples/torch_welch.py

Exit status: 0 when it ran, 77 (skipped) without PyTorch, 1 on a mismatch.
"""
import os
import sys

import numpy as np
import scipy.signal

try:
    import torch
except ImportError:
    print("torch_welch.py: this example needs PyTorch (pip install torch); skipped")
    sys.exit(77)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "bindings", "python"))
import xpsignal                                           # noqa: E402


def host_copies(before, after):
    """What the library copied between host and device between two
    xpsignal.provider_stats("cuda") snapshots."""
    return {k: after[k] - before[k] for k in ("uploads", "upload_bytes", "downloads",
                                              "download_bytes")}


def cuda_case():
    torch.manual_seed(1)
    xc = torch.rand(3000, device="cuda", dtype=torch.float64)
    f_ref, P_ref = scipy.signal.welch(xc.cpu().numpy(), fs=10e3, nperseg=1024)
    try:
        before = xpsignal.provider_stats("cuda")
        fc, Pc = xpsignal.welch(xc, fs=10e3, nperseg=1024)
        after = xpsignal.provider_stats("cuda")
    except xpsignal.XpDeviceError as e:
        print("CUDA tensor: %s" % e)
        return
    assert isinstance(Pc, torch.Tensor) and Pc.is_cuda and fc.is_cuda, (fc, Pc)
    np.testing.assert_allclose(fc.cpu().numpy(), f_ref, rtol=1e-12)
    np.testing.assert_allclose(Pc.cpu().numpy(), P_ref, rtol=1e-12)
    moved = host_copies(before, after)
    nbytes = xc.numel() * xc.element_size()
    print("welch(torch.rand(3000, device='cuda', dtype=torch.float64)): %s on %s, "
          "equal to SciPy to 1e-12" % (Pc.dtype, Pc.device))
    print("  host <-> device copies by the library: %d up (%d bytes: window, "
          "frequencies), %d down (%d bytes); the input (%d bytes) %s"
          % (moved["uploads"], moved["upload_bytes"], moved["downloads"],
             moved["download_bytes"], nbytes,
             "was not copied to the host" if moved["download_bytes"] == 0
             and moved["upload_bytes"] < nbytes else "MAY have been copied"))

    # the same on a side stream: torch makes xc ready on it (DLPack), the
    # library works on it, and the results are complete on return
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        fs_, Ps = xpsignal.welch(xc, fs=10e3, nperseg=1024, stream=s)
    np.testing.assert_allclose(Ps.cpu().numpy(), P_ref, rtol=1e-12)
    print("  again on a side stream (stream=torch.cuda.Stream()): equal")


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
        cuda_case()
    else:
        print("no CUDA device for torch: the CUDA tensor case is skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
