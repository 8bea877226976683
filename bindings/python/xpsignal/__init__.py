"""xpsignal: scipy.signal's spectral estimation and filtering on any array.

A ctypes binding of libxpsignal (no compiled extension).  The functions
take SciPy's arguments and defaults and accept any object with
``__dlpack__`` -- NumPy (>= 1.22) arrays, PyTorch tensors, JAX arrays,
CuPy arrays -- as well as lists and scalars.  The data is not copied on
the way in (DLPack) nor on the way out: results come back as arrays of the
first array argument's library, through its own ``from_dlpack``::

    >>> import torch, xpsignal
    >>> f, Pxx = xpsignal.welch(torch.rand(3000), fs=10e3, nperseg=1024)
    >>> type(Pxx)
    <class 'torch.Tensor'>

Arrays must live on a device this build has a provider for (host memory
always; CUDA once the library is built with the CUDA provider); others are
refused with XpDeviceError before anything is exported.  A CUDA array (a
CuPy array, a CUDA torch tensor) is processed on its device and the results
stay there, as arrays of its library, without host copies; ``stream=``
(keyword only, CUDA inputs only) names the CUDA stream, DLPack-style (None:
the legacy default stream), and every function returns with its work
finished.  Results on a device for an input of a library the binding does
not know come back as ``DeviceArray`` (hand it to a ``from_dlpack``, or
``.to_numpy()``).  ``provider_stats("cuda")`` counts the library's host <->
device copies.

The library is loaded from $XPSIGNAL_LIB, the build tree, or the system
(see xpsignal._lib).  Where the numbers differ from SciPy's on purpose, the
docstring of xpsignal._api says so.
"""
from ._lib import (XpError, XpValueError, XpTypeError, XpDeviceError, XpMemoryError,
                   XpRuntimeError, has_iir as _has_iir, path as library_path, lib as _clib,
                   provider_stats, provider_available)
from ._dlpack import DeviceArray
from ._api import (welch, csd, coherence, periodogram, spectrogram, stft, istft, detrend,
                   check_COLA, check_NOLA, get_window, filtfilt, sosfiltfilt, butter,
                   iirdesign)

__version__ = _clib.xp_version().decode()

__all__ = ["welch", "csd", "coherence", "periodogram", "spectrogram", "stft", "istft",
           "check_COLA", "check_NOLA", "detrend",
           "get_window", "filtfilt", "sosfiltfilt", "butter", "iirdesign",
           "XpError", "XpValueError", "XpTypeError", "XpDeviceError", "XpMemoryError",
           "XpRuntimeError", "library_path", "DeviceArray", "provider_stats",
           "provider_available"]
