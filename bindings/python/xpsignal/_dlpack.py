"""DLPack in and out of libxpsignal through PyCapsules, with ctypes only.

Import (any object with ``__dlpack__``): ask for the versioned capsule
("dltensor_versioned", ``max_version=(1, 0)``) and fall back to the legacy
one ("dltensor"); hand the managed tensor to xp_array_from_dlpack*, and on
success rename the capsule "used_dltensor[_versioned]" as the protocol asks,
so the producer's capsule destructor leaves the tensor to us: the xp_array
now calls its deleter when freed.  On failure the capsule keeps its name and
the producer's destructor frees the tensor.

CUDA arrays and streams (DLPack's stream semantics): the consumer -- this
binding -- names the stream it will use in ``__dlpack__(stream=...)``, and
the producer (CuPy, PyTorch, JAX) makes the data ready on that stream
before handing the capsule over.  The binding asks for DLPack's stream
number s (see cuda_stream_number: 1, the legacy default stream, when the
caller gave none) and queues the library's work on that same stream with
xp_provider_set_stream for the duration of the call.  Every library call
returns with its work finished, so results are complete when a function
returns and any stream of any consumer may read them at once.

Export (results): ``Exported`` has ``__dlpack__`` and ``__dlpack_device__``
and gives the consumer's ``from_dlpack`` one capsule over the library's
array (versioned when the consumer asks with max_version >= (1, 0)).  The
capsule gets no C destructor (that would need a compiled extension or a
ctypes callback run at unpredictable times); instead the Exported object
keeps the capsule and, when it is finalized, deletes a capsule nobody
consumed, renaming it first so that no late consumer can use it.

``DeviceArray`` is what a result on a device (CUDA) becomes when the input's
own library is unknown (it has ``__dlpack__`` but no ``from_dlpack`` that
the binding can find): an Exported that also tells its shape and dtype,
copies itself to NumPy with ``to_numpy()``, and can be passed back to
xpsignal's functions any number of times (they borrow it) or handed once
to another library's ``from_dlpack``.
"""
import ctypes
import numbers

import numpy as np

from . import _lib
from ._lib import lib, pylib

_PyCapsule_IsValid = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_IsValid", ctypes.pythonapi))
_PyCapsule_GetPointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object,
                                          ctypes.c_char_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi))
_PyCapsule_SetName = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.py_object, ctypes.c_char_p)(
    ("PyCapsule_SetName", ctypes.pythonapi))
_PyCapsule_New = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_char_p,
                                   ctypes.c_void_p)(("PyCapsule_New", ctypes.pythonapi))

# PyCapsule_New and PyCapsule_SetName keep the name pointer, not a copy:
# these buffers live as long as the module.
_NAMES = {n: ctypes.create_string_buffer(n) for n in (
    b"dltensor", b"used_dltensor", b"dltensor_versioned", b"used_dltensor_versioned")}

KDL_CPU, KDL_CUDA, KDL_CUDA_HOST, KDL_ROCM = 1, 2, 3, 10
_DEVICE_NAMES = {1: "CPU", 2: "CUDA", 3: "CUDA host", 4: "OpenCL", 7: "Vulkan",
                 8: "Metal", 10: "ROCm", 13: "CUDA managed", 14: "oneAPI"}

# What the imports used, for tests: capsule kind -> count.
stats = {"dltensor": 0, "dltensor_versioned": 0}


def device_of(x):
    """(device_type, device_id) of an object with __dlpack_device__, else CPU."""
    f = getattr(x, "__dlpack_device__", None)
    if f is None:
        return (KDL_CPU, 0)
    dev = f()
    return (int(dev[0]), int(dev[1]))


def check_device(x, what="input"):
    """Refuse, before any capsule is made, an array on a device this build of
    libxpsignal has no provider for (e.g. CUDA without --with-cuda)."""
    dtype, did = device_of(x)
    p = _lib.provider_for_device(dtype)
    name = _DEVICE_NAMES.get(dtype, "type %d" % dtype)
    if p is None:
        hint = ""
        if dtype in (KDL_CUDA, 13):
            hint = ("; this libxpsignal (%s) was built without the CUDA provider: "
                    "rebuild with ./configure --with-cuda, or move the array to the "
                    "host first (x.cpu(), cupy.asnumpy(x), jax.device_get(x))" % _lib.path)
        raise _lib.XpDeviceError(_lib.XP_EDEVICE, "xpsignal: %s is on a %s device (%d)%s"
                                 % (what, name, did, hint))
    why = ctypes.c_char_p()
    if not lib.xp_provider_available(p, ctypes.byref(why)):
        raise _lib.XpDeviceError(_lib.XP_EUNAVAIL, "xpsignal: %s is on a %s device but "
                                 "the provider is unavailable: %s"
                                 % (what, name, (why.value or b"?").decode()))
    if dtype == KDL_CUDA and did != 0:
        raise _lib.XpDeviceError(_lib.XP_EDEVICE, "xpsignal: %s is on CUDA device %d; "
                                 "the cuda provider serves device 0 only" % (what, did))


def is_cuda(x):
    """True for an object whose __dlpack_device__ says CUDA memory."""
    return device_of(x)[0] == KDL_CUDA


def cuda_stream_number(fn, stream):
    """DLPack's number for the CUDA stream the caller named with stream=:
    None gives 1 (the legacy default stream, which is what None means for
    CUDA in the array API); an int is taken as it is (a cudaStream_t, or 1 /
    2 for the legacy / per-thread default stream); a stream object
    (__cuda_stream__, torch's .cuda_stream, CuPy's .ptr) gives its handle,
    the null handle of a default-stream object meaning 1.  0 (ambiguous in
    DLPack) and -1 (no synchronization: the library would not know which
    stream the data is ready on) are refused."""
    if stream is None:
        return 1
    if isinstance(stream, bool):
        raise TypeError("%s: stream (%r) must be an int or a CUDA stream object"
                        % (fn, stream))
    if isinstance(stream, numbers.Integral):
        s = int(stream)
        if s == 0:
            raise ValueError("%s: stream=0 is ambiguous in DLPack: pass 1 for CUDA's "
                             "legacy default stream, 2 for the per-thread default "
                             "stream, or a cudaStream_t" % fn)
        if s < 0:
            raise ValueError("%s: stream (%d) must be positive: the library must know "
                             "the stream the data is ready on (-1, no "
                             "synchronization, is not supported)" % (fn, s))
        return s
    f = getattr(stream, "__cuda_stream__", None)
    if f is not None:
        h = f()
        h = h[1] if isinstance(h, tuple) else h     # (protocol version, handle)
    elif hasattr(stream, "cuda_stream"):            # torch.cuda.Stream
        h = stream.cuda_stream
    elif hasattr(stream, "ptr"):                    # cupy.cuda.Stream
        h = stream.ptr
    else:
        raise TypeError("%s: stream (%r) must be an int (DLPack's stream number) or a "
                        "CUDA stream object" % (fn, stream))
    return int(h) or 1          # the null stream is the legacy default stream


def _capsule(x, stream=None):
    """x's capsule, versioned when x can make one; stream (an int, for
    device arrays only) is the stream the producer must make x ready on."""
    kw = {} if stream is None else {"stream": stream}
    try:
        return x.__dlpack__(max_version=(1, 0), **kw)
    except TypeError:               # a producer older than DLPack 1.0's protocol
        return x.__dlpack__(**kw)


def import_array(x, stream=None):
    """An xp_array pointer (int) over x's memory; the caller frees it with
    free_array.  x must have __dlpack__ (see convert.as_dlpack); stream (a
    DLPack stream number, device arrays only) is passed to x.__dlpack__."""
    check_device(x)
    cap = _capsule(x, stream)
    out = ctypes.c_void_p()
    for name, fn in ((b"dltensor_versioned", pylib.xp_array_from_dlpack_versioned),
                     (b"dltensor", pylib.xp_array_from_dlpack)):
        if _PyCapsule_IsValid(cap, name):
            mt = _PyCapsule_GetPointer(cap, name)
            _lib.check(fn(mt, ctypes.byref(out)))   # failure: the producer still owns it
            _PyCapsule_SetName(cap, _NAMES[b"used_" + name])
            stats[name.decode()] += 1
            return out.value
    raise TypeError("xpsignal: %s.__dlpack__() did not return a DLPack capsule "
                    "('dltensor' or 'dltensor_versioned')" % type(x).__name__)


def free_array(ptr):
    """Free an xp_array; for an import, this runs the producer's deleter
    (with the GIL held, as some producers need)."""
    if ptr:
        pylib.xp_array_free(ptr)


class Exported:
    """One library array offered to a consumer's from_dlpack, once."""

    __slots__ = ("_ptr", "_capsule", "_mt", "_versioned")

    def __init__(self, ptr):
        self._ptr = ptr             # the xp_array until exported
        self._capsule = None
        self._mt = None
        self._versioned = False

    def __dlpack_device__(self):
        if not self._ptr:
            raise BufferError("xpsignal: the array was already exported")
        t = lib.xp_array_dltensor(self._ptr).contents
        return (t.device.device_type, t.device.device_id)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        # stream (the consumer's) is ignored, safely: every library call
        # returns with its work finished on its stream (see the module's
        # docstring), so the data is ready for any stream, and DLPack asks
        # nothing more of a producer whose data is complete.
        if not self._ptr:
            raise BufferError("xpsignal: the array was already exported")
        if dl_device is not None and tuple(int(v) for v in dl_device) != \
                self.__dlpack_device__():
            raise BufferError("xpsignal: cannot export to device %r" % (dl_device,))
        if copy:
            raise BufferError("xpsignal: export with copy=True is not supported")
        versioned = max_version is not None and int(max_version[0]) >= 1
        mt = ctypes.c_void_p()
        if versioned:
            _lib.check(pylib.xp_array_to_dlpack_versioned(self._ptr, ctypes.byref(mt)))
            name = b"dltensor_versioned"
        else:
            _lib.check(pylib.xp_array_to_dlpack(self._ptr, ctypes.byref(mt)))
            name = b"dltensor"
        self._ptr = None            # mt owns the array now
        self._mt, self._versioned = mt.value, versioned
        try:
            cap = _PyCapsule_New(mt.value, _NAMES[name], None)
        except BaseException:
            self._delete()
            raise
        self._capsule = cap
        return cap

    def _delete(self):
        cls = _lib.DLManagedTensorVersioned if self._versioned else _lib.DLManagedTensor
        p = ctypes.cast(self._mt, ctypes.POINTER(cls))
        self._mt = None
        p.contents.deleter(p)

    def close(self):
        """Release whatever no consumer took: the array never exported, or
        the managed tensor of a capsule never consumed."""
        if self._ptr:
            ptr, self._ptr = self._ptr, None
            free_array(ptr)
        cap, self._capsule = self._capsule, None
        if cap is not None and self._mt:
            name = b"dltensor_versioned" if self._versioned else b"dltensor"
            if _PyCapsule_IsValid(cap, name):           # nobody consumed it
                _PyCapsule_SetName(cap, _NAMES[b"used_" + name])
                self._delete()
            self._mt = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


_NP_DTYPES = {0: np.float32, 1: np.float64, 2: np.complex64, 3: np.complex128}


class DeviceArray(Exported):
    """A library array on a device, for inputs whose library is unknown.

    ``shape``, ``dtype`` (a NumPy dtype), ``ndim``, ``size`` and ``device``
    (``__dlpack_device__()``) describe it; ``to_numpy()`` copies it to a new
    NumPy array through the library; xpsignal's functions take it as input
    without consuming it (their results are DeviceArrays too); another
    library's ``from_dlpack`` takes it over, once (it is empty afterwards).
    Its memory is freed when it is garbage collected (or by ``close()``).
    ``DeviceArray.from_numpy(a, "cuda")`` uploads a NumPy array.
    """

    __slots__ = ()

    @classmethod
    def take(cls, exported):
        """A DeviceArray owning what the Exported exported still owns."""
        ptr, exported._ptr = exported._ptr, None
        if not ptr:
            raise BufferError("xpsignal: the array was already exported")
        return cls(ptr)

    @classmethod
    def from_numpy(cls, a, provider="cuda"):
        """A copy of a (float32/64 or complex64/128; others are converted as
        the functions convert them) on the provider called provider."""
        a = np.asarray(a)
        if a.dtype.name not in ("float32", "float64", "complex64", "complex128"):
            a = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
        a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("="))
        code = {np.dtype(v): k for k, v in _NP_DTYPES.items()}[a.dtype]
        shape = (ctypes.c_int64 * max(a.ndim, 1))(*a.shape)
        out = ctypes.c_void_p()
        _lib.check(lib.xp_array_from_host(_lib.provider(provider), code, a.ndim, shape,
                                          a.ctypes.data, ctypes.byref(out)))
        return cls(out.value)

    def _tensor(self):
        if not self._ptr:
            raise BufferError("xpsignal: the array was exported (or closed)")
        return lib.xp_array_dltensor(self._ptr).contents

    @property
    def shape(self):
        t = self._tensor()
        return tuple(t.shape[i] for i in range(t.ndim))

    @property
    def ndim(self):
        return self._tensor().ndim

    @property
    def size(self):
        self._tensor()
        return int(lib.xp_array_size(self._ptr))

    @property
    def dtype(self):
        self._tensor()
        return np.dtype(_NP_DTYPES[lib.xp_array_dtype(self._ptr)])

    @property
    def device(self):
        return self.__dlpack_device__()

    def to_numpy(self):
        """A new C-ordered NumPy array with the values (a device-to-host copy)."""
        out = np.empty(self.shape, dtype=self.dtype)
        _lib.check(lib.xp_array_to_host(self._ptr, out.ctypes.data, out.nbytes))
        return out

    def borrow(self):
        """A new xp_array over this one's memory (no copy), for an input;
        the caller frees it with free_array while this DeviceArray lives."""
        self._tensor()              # refuses an exported array
        t = lib.xp_array_dltensor(self._ptr)
        out = ctypes.c_void_p()
        _lib.check(lib.xp_array_wrap(t, ctypes.byref(out)))
        return out.value

    def __repr__(self):
        if not self._ptr:
            return "xpsignal.DeviceArray(<exported>)"
        dev = self.device
        return "xpsignal.DeviceArray(shape=%s, dtype=%s, device=(%s, %d))" % (
            self.shape, self.dtype, _DEVICE_NAMES.get(dev[0], dev[0]), dev[1])


def export(ptr, from_dlpack):
    """The library array ptr as the consumer's array, via its from_dlpack;
    ptr is released whatever happens."""
    e = Exported(ptr)
    try:
        return from_dlpack(e)
    finally:
        e.close()
