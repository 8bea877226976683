"""Loading libxpsignal and declaring the C functions the package calls.

The library is found, in this order, at the path in the XPSIGNAL_LIB
environment variable, in the build tree this package sits in (in-tree
``.libs/`` or ``build/.libs/``), or where the system's loader finds
``libxpsignal.so.0``.  No compiled extension is involved: plain ctypes.

Two handles to the same library are kept: ``lib`` releases the GIL during
calls (the computations), ``pylib`` keeps it (calls that may run a
producer's DLPack deleter, which may touch Python objects).
"""
import ctypes
import ctypes.util
import os

__all__ = ["lib", "pylib", "path", "check", "XpError", "has_iir", "provider_stats",
           "set_stream"]

# -------------------------------------------------------------- finding

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.normpath(os.path.join(_HERE, "..", "..", ".."))


def _candidates():
    env = os.environ.get("XPSIGNAL_LIB")
    if env:
        yield env
        return
    for sub in (".libs", os.path.join("build", ".libs")):
        p = os.path.join(_ROOT, sub, "libxpsignal.so")
        if os.path.exists(p):
            yield p
    found = ctypes.util.find_library("xpsignal")
    if found:
        yield found
    yield "libxpsignal.so.0"


def _load():
    errors = []
    for cand in _candidates():
        try:
            return cand, ctypes.CDLL(cand), ctypes.PyDLL(cand)
        except OSError as e:
            errors.append("%s: %s" % (cand, e))
    raise ImportError("xpsignal: cannot load libxpsignal (set XPSIGNAL_LIB to the "
                      "path of libxpsignal.so): " + "; ".join(errors))


path, lib, pylib = _load()

# -------------------------------------------------------------- errors

XP_OK, XP_EINVAL, XP_ENOMEM, XP_EDTYPE, XP_ESHAPE, XP_EDEVICE, XP_EUNAVAIL, \
    XP_EIO, XP_EFORMAT, XP_EINTERNAL = range(10)


class XpError(Exception):
    """An error reported by libxpsignal; ``status`` is its XP_E* code."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class XpValueError(XpError, ValueError):
    """A wrong argument value, shape or axis."""


class XpTypeError(XpError, TypeError):
    """An unsupported dtype."""


class XpDeviceError(XpError, RuntimeError):
    """Arrays on different devices, or on a device this build cannot use."""


class XpMemoryError(XpError, MemoryError):
    """An allocation failed."""


class XpRuntimeError(XpError, RuntimeError):
    """A backend failure."""


_CLASSES = {
    XP_EINVAL: XpValueError, XP_ESHAPE: XpValueError, XP_EFORMAT: XpValueError,
    XP_EDTYPE: XpTypeError, XP_EDEVICE: XpDeviceError, XP_EUNAVAIL: XpDeviceError,
    XP_ENOMEM: XpMemoryError,
}


def error(status):
    """The exception for status, with this thread's library message."""
    msg = lib.xp_errmsg().decode("utf-8", "replace")
    if not msg:
        msg = lib.xp_strerror(status).decode()
    return _CLASSES.get(status, XpRuntimeError)(status, msg)


def check(status):
    if status != XP_OK:
        raise error(status)

# -------------------------------------------------------------- structs


class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int), ("device_id", ctypes.c_int)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8),
                ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice),
                ("ndim", ctypes.c_int), ("dtype", DLDataType),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("byte_offset", ctypes.c_uint64)]


class DLManagedTensor(ctypes.Structure):
    pass


DLManagedTensor._fields_ = [
    ("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p),
    ("deleter", ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensor)))]


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLManagedTensorVersioned(ctypes.Structure):
    pass


DLManagedTensorVersioned._fields_ = [
    ("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p),
    ("deleter", ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensorVersioned))),
    ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]

XPS_WINDOW_MAXPARAMS = 16


class WindowSpec(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("name", ctypes.c_char * 32),
                ("nparams", ctypes.c_int),
                ("params", ctypes.c_double * XPS_WINDOW_MAXPARAMS),
                ("array", ctypes.c_void_p)]


class SpectralOptions(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("fs", ctypes.c_double),
                ("window", WindowSpec), ("nperseg", ctypes.c_int64),
                ("noverlap", ctypes.c_int64), ("nfft", ctypes.c_int64),
                ("detrend", ctypes.c_int), ("return_onesided", ctypes.c_int),
                ("scaling", ctypes.c_int), ("axis", ctypes.c_int),
                ("average", ctypes.c_int), ("mode", ctypes.c_int),
                ("float32_output", ctypes.c_int), ("reserved0", ctypes.c_int),
                ("boundary", ctypes.c_int), ("padded", ctypes.c_int)]


class IstftOptions(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("fs", ctypes.c_double),
                ("window", WindowSpec), ("nperseg", ctypes.c_int64),
                ("noverlap", ctypes.c_int64), ("nfft", ctypes.c_int64),
                ("input_onesided", ctypes.c_int), ("boundary", ctypes.c_int),
                ("time_axis", ctypes.c_int), ("freq_axis", ctypes.c_int),
                ("scaling", ctypes.c_int)]


class FiltfiltOptions(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("axis", ctypes.c_int),
                ("padtype", ctypes.c_int), ("padlen", ctypes.c_int64),
                ("method", ctypes.c_int), ("irlen", ctypes.c_int64)]

# -------------------------------------------------------------- prototypes

_vp = ctypes.c_void_p
_pvp = ctypes.POINTER(ctypes.c_void_p)
_i64 = ctypes.c_int64
_pi64 = ctypes.POINTER(ctypes.c_int64)
_pd = ctypes.POINTER(ctypes.c_double)
_int = ctypes.c_int
_d = ctypes.c_double


def _proto(handle, name, restype, *argtypes):
    f = getattr(handle, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


for _h in (lib, pylib):
    _proto(_h, "xp_array_free", None, _vp)
    _proto(_h, "xp_array_from_dlpack", _int, _vp, _pvp)
    _proto(_h, "xp_array_from_dlpack_versioned", _int, _vp, _pvp)
    _proto(_h, "xp_array_to_dlpack", _int, _vp, _pvp)
    _proto(_h, "xp_array_to_dlpack_versioned", _int, _vp, _pvp)

_proto(lib, "xp_errmsg", ctypes.c_char_p)
_proto(lib, "xp_strerror", ctypes.c_char_p, _int)
_proto(lib, "xp_version", ctypes.c_char_p)
_proto(lib, "xp_array_dltensor", ctypes.POINTER(DLTensor), _vp)
_proto(lib, "xp_array_is_readonly", _int, _vp)
_proto(lib, "xp_array_from_host", _int, _vp, _int, _int, _pi64, _vp, _pvp)
_proto(lib, "xp_provider_count", _i64)
_proto(lib, "xp_provider_get", _vp, _i64)
_proto(lib, "xp_provider_host", _vp)
_proto(lib, "xp_provider_name", ctypes.c_char_p, _vp)
_proto(lib, "xp_provider_device_type", _int, _vp)
_proto(lib, "xp_provider_available", _int, _vp, ctypes.POINTER(ctypes.c_char_p))
_proto(lib, "xp_provider_find", _vp, ctypes.c_char_p)
_proto(lib, "xp_array_to_host", _int, _vp, _vp, ctypes.c_size_t)
_proto(lib, "xp_array_astype", _int, _vp, _int, _pvp)
_proto(lib, "xp_array_wrap", _int, ctypes.POINTER(DLTensor), _pvp)
_proto(lib, "xp_array_size", _i64, _vp)
_proto(lib, "xp_array_dtype", _int, _vp)
_proto(lib, "xp_array_provider", _vp, _vp)
# Optional: a library from before streams lacks it (then only NULL is valid).
if hasattr(lib, "xp_provider_set_stream"):
    _proto(lib, "xp_provider_set_stream", _int, _vp, _vp)

_proto(lib, "xps_window_spec_init", None, ctypes.POINTER(WindowSpec))
_proto(lib, "xps_window_spec_parse", _int, ctypes.c_char_p, ctypes.POINTER(WindowSpec))
_proto(lib, "xps_get_window", _int, ctypes.POINTER(WindowSpec), _i64, _int, _vp, _int, _pvp)
for _n in ("xps_welch_options_init", "xps_periodogram_options_init",
           "xps_spectrogram_options_init", "xps_stft_options_init"):
    _proto(lib, _n, None, ctypes.POINTER(SpectralOptions))
_proto(lib, "xps_istft_options_init", None, ctypes.POINTER(IstftOptions))
_pso = ctypes.POINTER(SpectralOptions)
_proto(lib, "xps_welch", _int, _vp, _pso, _pvp, _pvp)
_proto(lib, "xps_periodogram", _int, _vp, _pso, _pvp, _pvp)
_proto(lib, "xps_csd", _int, _vp, _vp, _pso, _pvp, _pvp)
_proto(lib, "xps_coherence", _int, _vp, _vp, _pso, _pvp, _pvp)
_proto(lib, "xps_spectrogram", _int, _vp, _pso, _pvp, _pvp, _pvp)
_proto(lib, "xps_stft", _int, _vp, _pso, _pvp, _pvp, _pvp)
_proto(lib, "xps_istft", _int, _vp, ctypes.POINTER(IstftOptions), _pvp, _pvp)
for _n in ("xps_check_COLA", "xps_check_NOLA"):
    _proto(lib, _n, _int, ctypes.POINTER(WindowSpec), _i64, _i64, _d, ctypes.POINTER(_int))
_proto(lib, "xps_detrend", _int, _vp, _int, _int, _pi64, _i64, _pvp)
_proto(lib, "xps_detrend_into", _int, _vp, _int, _int, _pi64, _i64, _vp)
_proto(lib, "xps_filtfilt_options_init", None, ctypes.POINTER(FiltfiltOptions))
_proto(lib, "xps_filtfilt", _int, _pd, _i64, _pd, _i64, _vp,
       ctypes.POINTER(FiltfiltOptions), _pvp)
_proto(lib, "xps_sosfiltfilt", _int, _pd, _i64, _vp, ctypes.POINTER(FiltfiltOptions), _pvp)

_pint = ctypes.POINTER(ctypes.c_int)

# IIR design: present once lib/signal/iir is built into the library.
has_iir = all(hasattr(lib, n) for n in ("xps_butter", "xps_iirdesign", "xps_btype_parse",
                                        "xps_ftype_parse", "xps_output_parse"))
if has_iir:
    _proto(lib, "xps_btype_parse", _int, ctypes.c_char_p, _pint)
    _proto(lib, "xps_ftype_parse", _int, ctypes.c_char_p, _pint)
    _proto(lib, "xps_output_parse", _int, ctypes.c_char_p, _pint)
    _proto(lib, "xps_iir_buflen", _i64, _i64)
    _proto(lib, "xps_butter", _int, _i64, _pd, _i64, _int, _int, _int, _d,
           _pd, _pi64, _pd, _pi64, _pd)
    _proto(lib, "xps_iirdesign", _int, _pd, _pd, _i64, _d, _d, _int, _int, _int, _d,
           _i64, _pd, _pi64, _pd, _pi64, _pd, _pi64)
    for _n in ("xps_buttord", "xps_cheb1ord", "xps_cheb2ord", "xps_ellipord"):
        _proto(lib, _n, _int, _pd, _pd, _i64, _d, _d, _int, _d, _pi64, _pd)


def _check_layouts():
    """The option structs mirrored above must match the library's: each
    init function writes its own sizeof into .size."""
    for cls, init in ((SpectralOptions, lib.xps_welch_options_init),
                      (IstftOptions, lib.xps_istft_options_init),
                      (WindowSpec, lib.xps_window_spec_init),
                      (FiltfiltOptions, lib.xps_filtfilt_options_init)):
        buf = (ctypes.c_char * (ctypes.sizeof(cls) + 256))()
        init(ctypes.cast(buf, ctypes.POINTER(cls)))
        got = ctypes.c_size_t.from_buffer(buf).value
        if got != ctypes.sizeof(cls):
            raise ImportError("xpsignal: %s is %d bytes in %s but %d here: the "
                              "library and the bindings disagree" %
                              (cls.__name__, got, path, ctypes.sizeof(cls)))


_check_layouts()


class ProviderStats(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t)] + [(n, ctypes.c_int64) for n in (
        "uploads", "downloads", "upload_bytes", "download_bytes", "allocs",
        "alloc_bytes")]


_proto(lib, "xp_provider_stats_get", _int, _vp, ctypes.POINTER(ProviderStats))
_proto(lib, "xp_provider_stats_reset", _int, _vp)


def provider(name):
    """The provider called name ("host", "strict", "cuda"); XpValueError if
    this build has none of that name."""
    p = lib.xp_provider_find(name.encode() if isinstance(name, str) else name)
    if not p:
        names = [lib.xp_provider_name(lib.xp_provider_get(i)).decode()
                 for i in range(lib.xp_provider_count())]
        raise XpValueError(XP_EINVAL, "xpsignal: no provider %r in this libxpsignal "
                           "(it has %s)" % (name, ", ".join(names)))
    return p


def provider_available(name):
    """True when provider name exists in this build and is usable now."""
    p = lib.xp_provider_find(name.encode())
    return bool(p) and bool(lib.xp_provider_available(p, None))


def provider_stats(name="host"):
    """The counters of provider name, as a dict: uploads and downloads (copies
    between host memory and the provider's, made by the library) with their
    bytes, and the live allocations (allocs, alloc_bytes)."""
    st = ProviderStats(size=ctypes.sizeof(ProviderStats))
    check(lib.xp_provider_stats_get(provider(name), ctypes.byref(st)))
    return {n: getattr(st, n) for n, _ in ProviderStats._fields_[1:]}


def host_live_allocs():
    """Live allocations of the host provider (tests watch it for leaks)."""
    return provider_stats("host")["allocs"]


def set_stream(p, stream):
    """Queue this thread's later work on provider p on stream: a DLPack
    stream number (an int: a cudaStream_t, or 1 / 2 for CUDA's legacy /
    per-thread default stream), or None for the default stream."""
    f = getattr(lib, "xp_provider_set_stream", None)
    if f is None:
        # a library from before streams works on the default stream, which
        # for CUDA is the legacy default stream (DLPack's 1)
        if stream is None or stream == 1:
            return
        raise XpDeviceError(XP_EUNAVAIL, "xpsignal: this libxpsignal (%s) has no "
                            "xp_provider_set_stream: streams are not supported" % path)
    check(f(p, ctypes.c_void_p(stream)))


def provider_for_device(device_type):
    """The provider for a DLPack device type, or None (CUDA host memory is host)."""
    if device_type == 3:        # kDLCUDAHost
        device_type = 1
    for i in range(lib.xp_provider_count()):
        p = lib.xp_provider_get(i)
        if lib.xp_provider_device_type(p) == device_type:
            return p
    return None
