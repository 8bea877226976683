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
"""
import numpy as np

from . import _dlpack

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


def _as_supported(x):
    """x, or x converted to a supported dtype by its own library."""
    if isinstance(x, np.ndarray) or not hasattr(x, "__dlpack__"):
        a = np.asarray(x)
        if a.dtype.name in _SUPPORTED:
            return a
        if a.dtype.kind == "c":
            return a.astype(np.complex128)
        if a.dtype == np.float16:
            return a.astype(np.float32)
        return a.astype(np.float64)
    name = _dtype_name(x)
    if name is None or name in _SUPPORTED:
        return x
    lib = _library(x)
    if lib == "torch":
        if x.is_complex():
            return x.to(dtype=__import__("torch").complex128)
        return x.to(dtype=__import__("torch").float32 if name in ("float16", "bfloat16")
                    else __import__("torch").float64)
    if lib == "jax":
        # JAX's default float: float32 unless jax_enable_x64 is set
        import jax.numpy as jnp
        if name.startswith("complex"):
            return x.astype(jnp.result_type(complex))
        return x.astype(jnp.float32 if name in ("float16", "bfloat16")
                        else jnp.result_type(float))
    ns = getattr(x, "__array_namespace__", None)
    if ns is not None:
        xp = ns()
        kind_complex = name.startswith("complex")
        target = xp.complex128 if kind_complex else (
            xp.float32 if name in ("float16", "bfloat16") else xp.float64)
        return xp.astype(x, target)
    if hasattr(x, "astype"):
        return x.astype("float64")
    return x    # let the library say what is wrong


class Inputs:
    """Library arrays for the call's array arguments, freed on exit."""

    def __init__(self):
        self.ptrs = []

    def add(self, x):
        x = _as_supported(x)
        if isinstance(x, np.ndarray):
            try:
                ptr = _dlpack.import_array(x)
            except BufferError:
                # NumPy < 2 cannot export read-only (or byte-swapped) arrays
                # through the legacy capsule: work on a private copy.
                ptr = _dlpack.import_array(np.array(x, dtype=x.dtype.newbyteorder("=")))
        else:
            ptr = _dlpack.import_array(x)
        self.ptrs.append(ptr)
        return ptr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        ptrs, self.ptrs = self.ptrs, []
        for p in ptrs:
            _dlpack.free_array(p)
        return False


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
    return np.from_dlpack


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
