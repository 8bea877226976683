"""Inputs to library arrays, library arrays back to the caller's array type.

An input is anything with ``__dlpack__`` (NumPy >= 1.22, JAX, PyTorch,
CuPy, ...) or anything NumPy can make an array of (lists, scalars).  Its
dtype must be float32, float64, complex64 or complex128; other dtypes are
converted first (integers and booleans to float64, as SciPy does) with the
array's own library, so a device array stays on its device.

Results go back through the from_dlpack of the first array argument's
library: NumPy arrays for NumPy inputs and plain Python data, torch tensors
for torch tensors, JAX arrays for JAX arrays, CuPy arrays for CuPy arrays,
and ``x.__array_namespace__().from_dlpack`` for other array-API libraries.
An object of no library the binding knows (it has ``__dlpack__`` and
nothing more) gets NumPy arrays when the results are in host memory and
``xpsignal.DeviceArray`` objects when they are on a device (NumPy cannot
hold device memory, and the binding makes no hidden copies): hand those to
any library's ``from_dlpack``, or copy them with ``.to_numpy()``.

Streams (CUDA arrays only): ``Inputs(fn, stream, like)`` passes DLPack's
stream number (see _dlpack.cuda_stream_number; 1 when stream is None) to
each CUDA input's ``__dlpack__``, so its producer makes the data ready on
that stream, and queues the library's work on it with
xp_provider_set_stream until the call is over, when it sets the default
stream (NULL) back, errors included.  Host arrays take stream=None only.
"""
import numpy as np

from . import _dlpack, _lib

_SUPPORTED = ("float32", "float64", "complex64", "complex128")


def _dtype_name(x):
    dt = getattr(x, "dtype", None)
    if dt is None:
        return None
    return str(dt).rsplit(".", 1)[-1]       # torch.float32 -> float32


def _library(x):
    mod = type(x).__module__.split(".", 1)[0]
    if mod in ("jaxlib", "jax"):
        return "jax"
    return mod


# Integers of up to 16 bits and booleans: SciPy's spectral estimators
# compute them in single precision (result_type(x, complex64)), so with
# float32_output they give float32 there; everywhere else float64.
_SMALL = ("bool", "int8", "uint8", "int16", "uint16")


def _as_supported(x, small_float32=False):
    """x, or x converted to a supported dtype by its own library
    (small_float32: small integers and booleans to float32)."""
    if isinstance(x, np.ndarray) or not hasattr(x, "__dlpack__"):
        a = np.asarray(x)
        if a.dtype.name in _SUPPORTED:
            return a
        if a.dtype.kind == "c":
            return a.astype(np.complex128)
        if a.dtype == np.float16 or (small_float32 and a.dtype.name in _SMALL):
            return a.astype(np.float32)
        return a.astype(np.float64)
    name = _dtype_name(x)
    if name is None or name in _SUPPORTED:
        return x
    single = name in ("float16", "bfloat16") or (small_float32 and name in _SMALL)
    lib = _library(x)
    if lib == "torch":
        if x.is_complex():
            return x.to(dtype=__import__("torch").complex128)
        return x.to(dtype=__import__("torch").float32 if single
                    else __import__("torch").float64)
    if lib == "jax":
        # JAX's default float: float32 unless jax_enable_x64 is set
        import jax.numpy as jnp
        if name.startswith("complex"):
            return x.astype(jnp.result_type(complex))
        return x.astype(jnp.float32 if single else jnp.result_type(float))
    ns = getattr(x, "__array_namespace__", None)
    if ns is not None:
        xp = ns()
        kind_complex = name.startswith("complex")
        target = xp.complex128 if kind_complex else (xp.float32 if single else xp.float64)
        return xp.astype(x, target)
    if hasattr(x, "astype"):
        return x.astype("float32" if single else "float64")
    return x    # let the library say what is wrong


class Inputs:
    """Library arrays for the call's array arguments, freed on exit.

    fn names the function in messages; stream is the caller's stream=
    argument and like the first array argument (argument name what): a
    stream with a like that is not a CUDA array is a ValueError."""

    def __init__(self, fn="xpsignal", stream=None, like=None, what="x", small_float32=False):
        self.small_float32 = small_float32
        self.ptrs = []
        self.keep = []                  # DeviceArrays borrowed by ptrs
        self.fn = fn
        self.stream = stream
        self._number = None             # DLPack's stream number, once known
        self._streamed = None           # the provider whose stream was set
        if like is not None and _dlpack.is_cuda(like):
            self._number = _dlpack.cuda_stream_number(fn, stream)
        elif stream is not None:
            dev = _dlpack.device_of(like) if like is not None else (_dlpack.KDL_CPU, 0)
            raise ValueError("%s: stream (%r) applies to CUDA arrays only, and %s is on "
                             "a %s device: pass stream=None" % (
                                 fn, stream, what,
                                 _dlpack._DEVICE_NAMES.get(dev[0], "type %d" % dev[0])))

    def _use_stream(self):
        """The stream number for a CUDA input, set on the cuda provider for
        this thread (once per call)."""
        if self._number is None:
            self._number = _dlpack.cuda_stream_number(self.fn, self.stream)
        if self._streamed is None:
            p = _lib.provider_for_device(_dlpack.KDL_CUDA)
            self._streamed = p          # reset in __exit__ even if this fails
            _lib.set_stream(p, self._number)
        return self._number

    def add(self, x):
        if isinstance(x, _dlpack.DeviceArray):
            # our own result: borrowed (not consumed), complete already
            _dlpack.check_device(x)
            if _dlpack.is_cuda(x):
                self._use_stream()
            ptr = x.borrow()
            self.keep.append(x)
            self.ptrs.append(ptr)
            return ptr
        x = _as_supported(x, self.small_float32)
        if isinstance(x, np.ndarray):
            try:
                ptr = _dlpack.import_array(x)
            except BufferError:
                # NumPy < 2 cannot export read-only (or byte-swapped) arrays
                # through the legacy capsule: work on a private copy.
                ptr = _dlpack.import_array(np.array(x, dtype=x.dtype.newbyteorder("=")))
        elif _dlpack.is_cuda(x):
            _dlpack.check_device(x)     # an unusable device: refused before the stream
            ptr = _dlpack.import_array(x, stream=self._use_stream())
        else:
            ptr = _dlpack.import_array(x)
        self.ptrs.append(ptr)
        return ptr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        ptrs, self.ptrs = self.ptrs, []
        try:
            for p in ptrs:
                _dlpack.free_array(p)
        finally:
            self.keep = []
            p, self._streamed = self._streamed, None
            if p is not None:
                _lib.set_stream(p, None)
        return False


def _numpy_or_device(e):
    """from_dlpack for inputs of no known library: NumPy for host results,
    DeviceArray for device results (NumPy cannot hold device memory)."""
    if e.__dlpack_device__()[0] in (_dlpack.KDL_CPU, _dlpack.KDL_CUDA_HOST):
        return np.from_dlpack(e)
    return _dlpack.DeviceArray.take(e)


def _from_dlpack_for(x):
    """The from_dlpack that makes arrays of x's kind."""
    lib = _library(x)
    if lib == "numpy" or not hasattr(x, "__dlpack__"):
        return np.from_dlpack
    if lib == "torch":
        import torch
        return torch.from_dlpack
    if lib == "jax":
        import jax.numpy as jnp
        return jnp.from_dlpack
    if lib == "cupy":
        import cupy
        return cupy.from_dlpack
    ns = getattr(x, "__array_namespace__", None)
    if ns is not None and hasattr(ns(), "from_dlpack"):
        return ns().from_dlpack
    return _numpy_or_device


class Outputs:
    """Pointers the library fills, returned as arrays of like's kind."""

    def __init__(self, like, n):
        import ctypes
        self._from = _from_dlpack_for(like)
        self.slots = [ctypes.c_void_p() for _ in range(n)]

    def ref(self, i):
        import ctypes
        return ctypes.byref(self.slots[i])

    def take(self):
        out = []
        slots, self.slots = self.slots, []
        try:
            for i, s in enumerate(slots):
                ptr, s.value = s.value, None
                out.append(_dlpack.export(ptr, self._from))
        finally:
            for s in slots:
                if s.value:
                    _dlpack.free_array(s.value)
                    s.value = None
        return tuple(out)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for s in self.slots:            # an error left some filled
            if s.value:
                _dlpack.free_array(s.value)
                s.value = None
        return False
