"""DLPack in and out of libxpsignal through PyCapsules, with ctypes only.

Import (any object with ``__dlpack__``): ask for the versioned capsule
("dltensor_versioned", ``max_version=(1, 0)``) and fall back to the legacy
one ("dltensor"); hand the managed tensor to xp_array_from_dlpack*, and on
success rename the capsule "used_dltensor[_versioned]" as the protocol asks,
so the producer's capsule destructor leaves the tensor to us: the xp_array
now calls its deleter when freed.  On failure the capsule keeps its name and
the producer's destructor frees the tensor.

Export (results): ``Exported`` has ``__dlpack__`` and ``__dlpack_device__``
and gives the consumer's ``from_dlpack`` one capsule over the library's
array (versioned when the consumer asks with max_version >= (1, 0)).  The
capsule gets no C destructor (that would need a compiled extension or a
ctypes callback run at unpredictable times); instead the Exported object
keeps the capsule and, when it is finalized, deletes a capsule nobody
consumed, renaming it first so that no late consumer can use it.
"""
import ctypes

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


def _capsule(x):
    """x's capsule, versioned when x can make one."""
    try:
        return x.__dlpack__(max_version=(1, 0))
    except TypeError:               # a producer older than DLPack 1.0's protocol
        return x.__dlpack__()


def import_array(x):
    """An xp_array pointer (int) over x's memory; the caller frees it with
    free_array.  x must have __dlpack__ (see convert.as_dlpack)."""
    check_device(x)
    cap = _capsule(x)
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


def export(ptr, from_dlpack):
    """The library array ptr as the consumer's array, via its from_dlpack;
    ptr is released whatever happens."""
    e = Exported(ptr)
    try:
        return from_dlpack(e)
    finally:
        e.close()
