"""scipy.signal's functions over libxpsignal, with SciPy's signatures.

Every array argument may be any DLPack producer (see _convert); results
come back as arrays of the first array argument's kind.  Differences from
SciPy, all deliberate and documented:
  - float32 input gives float64 spectra, because LIGO-scale strain (1e-21)
    has PSDs (1e-46) below float32's range where SciPy returns zeros; pass
    float32_output=True (keyword only) for SciPy's float32 result (for
    booleans and integers of up to 16 bits too, which SciPy computes in
    single precision);
  - detrend and window may not be Python callables (the work runs in C);
  - average also accepts 'median_mean' (LIGO's mean of even/odd medians);
  - a negative noverlap (SciPy's gaps between segments) is an error;
  - an empty input is an error (SciPy returns empty arrays);
  - istft's t has the length of the result's time axis (SciPy's has the
    length of its first axis, which differs for N-D input).

CUDA arrays (CuPy, PyTorch, JAX on a GPU; needs the library's CUDA
provider) are processed on their device, without host copies, and the
results are arrays of the same library on the same device.  The functions
that take arrays have a keyword-only ``stream``, DLPack's: the CUDA stream
the work is queued on, used for CUDA inputs only -- an int (a cudaStream_t,
1 for the legacy default stream, 2 for the per-thread default stream) or a
stream object (torch.cuda.Stream, cupy.cuda.Stream); None, the default,
means the legacy default stream (1), as it does in the array API.  The
input's producer is asked (``x.__dlpack__(stream=...)``) to make the data
ready on that stream first.  Every function returns with its work on the
stream finished: results are complete and any stream may use them at once.
Host arrays take stream=None only (anything else is a ValueError).
"""
import ctypes
import math
import numbers

import numpy as np

from . import _dlpack, _lib
from ._lib import lib, check
from ._convert import Inputs, Outputs, _dtype_name

_DETREND = {"constant": 1, "c": 1, "linear": 2, "l": 2}
_SCALING = {"density": 0, "spectrum": 1}
_AVERAGE = {"mean": 0, "median": 1, "median_mean": 2}
_MODE = {"psd": 0, "complex": 1, "magnitude": 2, "angle": 3, "phase": 4}
_PADTYPE = {None: 0, "odd": 1, "even": 2, "constant": 3}
_METHOD = {"pad": 0, "gust": 1}


def _choice(fn, arg, value, table):
    # exact names, as SciPy compares them ('ODD' is an error there too)
    try:
        return table[value]
    except (KeyError, TypeError):
        names = ", ".join(repr(k) for k in table if k is None or len(str(k)) > 1)
        raise ValueError("%s: %s (%r) must be one of %s" % (fn, arg, value, names)) from None


def _int_or(fn, arg, value, none):
    if value is None:
        return none
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) and not (
            isinstance(value, numbers.Real) and float(value).is_integer()):
        raise ValueError("%s: %s (%r) must be an integer" % (fn, arg, value))
    return int(value)


def _count_or(fn, arg, value, none, least):
    """A segment-length argument: None gives the C API's default sentinel
    (none); any other value must be an integer >= least, so that a user's 0
    or -1 is never taken for that default."""
    if value is None:
        return none
    v = _int_or(fn, arg, value, none)
    if v < least:
        if arg == "noverlap":
            raise ValueError("%s: noverlap (%d) must be >= 0 (negative overlaps, SciPy's "
                             "gaps between segments, are not supported)" % (fn, v))
        raise ValueError("%s: %s (%d) must be a positive integer" % (fn, arg, v))
    return v


def _detrend_code(fn, detrend):
    if detrend is False or detrend is None:
        return 0
    if callable(detrend):
        raise NotImplementedError("%s: a callable detrend is not supported (the "
                                  "segments never leave the library); use 'constant', "
                                  "'linear' or False" % fn)
    return _choice(fn, "detrend", detrend, _DETREND)


def _window_param(p):
    if p is None:
        return [math.nan]
    if isinstance(p, bool):
        return [1.0 if p else 0.0]
    if isinstance(p, numbers.Real):
        return [float(p)]
    return [float(v) for v in np.asarray(p, dtype=np.float64).ravel()]   # general_cosine a


def _set_window(fn, spec, window, inputs, beta=False):
    """Fill spec from SciPy's window argument: a name, a (name, params...)
    tuple, a 1-D array (kept on x's provider) or, for get_window only
    (beta), a number: Kaiser's beta."""
    if isinstance(window, numbers.Real) and not beta:
        raise ValueError("%s: window (%r) must be a name, a (name, parameters...) tuple "
                         "or a 1-D array (a bare number is get_window's Kaiser beta)"
                         % (fn, window))
    if isinstance(window, str) or isinstance(window, tuple) or isinstance(
            window, numbers.Real):
        if isinstance(window, numbers.Real):       # True too: float(True), as SciPy
            name, params = "kaiser", [float(window)]
        elif isinstance(window, str):
            name, params = window, []
        else:
            if not window or not isinstance(window[0], str):
                raise ValueError("%s: window tuple %r must start with a name" % (fn, window))
            name, params = window[0], []
            for p in window[1:]:
                params += _window_param(p)
        if len(params) > _lib.XPS_WINDOW_MAXPARAMS:
            raise ValueError("%s: window %r has more than %d parameters" %
                             (fn, name, _lib.XPS_WINDOW_MAXPARAMS))
        text = ",".join([name] + [("None" if math.isnan(v) else repr(v)) for v in params])
        check(lib.xps_window_spec_parse(text.encode(), ctypes.byref(spec)))
        return
    spec.name = b""
    spec.nparams = 0
    spec.array = inputs.add(window)


def _spectral_opts(fn, init, inputs, fs, window, nperseg, noverlap, nfft, detrend,
                   return_onesided, scaling, axis, average=None, mode=None,
                   float32_output=False):
    o = _lib.SpectralOptions()
    init(ctypes.byref(o))
    o.fs = float(fs)
    if window is not None:
        _set_window(fn, o.window, window, inputs)
    o.nperseg = _count_or(fn, "nperseg", nperseg, 0, 1)
    o.noverlap = _count_or(fn, "noverlap", noverlap, -1, 0)
    o.nfft = _count_or(fn, "nfft", nfft, 0, 1)
    o.detrend = _detrend_code(fn, detrend)
    o.return_onesided = 1 if return_onesided else 0
    o.scaling = _choice(fn, "scaling", scaling, _SCALING)
    o.axis = _int_or(fn, "axis", axis, -1)
    if average is not None:
        o.average = _choice(fn, "average", average, _AVERAGE)
    if mode is not None:
        o.mode = _choice(fn, "mode", mode, _MODE)
    o.float32_output = 1 if float32_output else 0
    return o


# ------------------------------------------------------------ spectral


def welch(x, fs=1.0, window='hann', nperseg=None, noverlap=None, nfft=None,
          detrend='constant', return_onesided=True, scaling='density', axis=-1,
          average='mean', *, float32_output=False, stream=None):
    """scipy.signal.welch: returns (f, Pxx) as arrays of x's kind."""
    with Inputs("welch", stream, x, small_float32=float32_output) as ins, \
            Outputs(x, 2) as out:
        o = _spectral_opts("welch", lib.xps_welch_options_init, ins, fs, window, nperseg,
                           noverlap, nfft, detrend, return_onesided, scaling, axis,
                           average=average, float32_output=float32_output)
        px = ins.add(x)
        check(lib.xps_welch(px, ctypes.byref(o), out.ref(0), out.ref(1)))
        return out.take()


def csd(x, y, fs=1.0, window='hann', nperseg=None, noverlap=None, nfft=None,
        detrend='constant', return_onesided=True, scaling='density', axis=-1,
        average='mean', *, float32_output=False, stream=None):
    """scipy.signal.csd: returns (f, Pxy) as arrays of x's kind.  As in SciPy,
    y the very same object as x gives welch(x): a real Pxy."""
    if y is x:
        return welch(x, fs, window, nperseg, noverlap, nfft, detrend, return_onesided,
                     scaling, axis, average, float32_output=float32_output, stream=stream)
    with Inputs("csd", stream, x, small_float32=float32_output) as ins, \
            Outputs(x, 2) as out:
        o = _spectral_opts("csd", lib.xps_welch_options_init, ins, fs, window, nperseg,
                           noverlap, nfft, detrend, return_onesided, scaling, axis,
                           average=average, float32_output=float32_output)
        px, py = ins.add(x), ins.add(y)
        check(lib.xps_csd(px, py, ctypes.byref(o), out.ref(0), out.ref(1)))
        return out.take()


def coherence(x, y, fs=1.0, window='hann', nperseg=None, noverlap=None, nfft=None,
              detrend='constant', axis=-1, *, float32_output=False, stream=None):
    """scipy.signal.coherence: returns (f, Cxy) as arrays of x's kind."""
    with Inputs("coherence", stream, x, small_float32=float32_output) as ins, \
            Outputs(x, 2) as out:
        o = _spectral_opts("coherence", lib.xps_welch_options_init, ins, fs, window,
                           nperseg, noverlap, nfft, detrend, True, 'density', axis,
                           float32_output=float32_output)
        px, py = ins.add(x), ins.add(y)
        check(lib.xps_coherence(px, py, ctypes.byref(o), out.ref(0), out.ref(1)))
        return out.take()


def periodogram(x, fs=1.0, window='boxcar', nfft=None, detrend='constant',
                return_onesided=True, scaling='density', axis=-1, *,
                float32_output=False, stream=None):
    """scipy.signal.periodogram: returns (f, Pxx) as arrays of x's kind."""
    with Inputs("periodogram", stream, x, small_float32=float32_output) as ins, \
            Outputs(x, 2) as out:
        if window is None:
            window = 'boxcar'
        o = _spectral_opts("periodogram", lib.xps_periodogram_options_init, ins, fs,
                           window, None, None, nfft, detrend, return_onesided, scaling,
                           axis, float32_output=float32_output)
        px = ins.add(x)
        check(lib.xps_periodogram(px, ctypes.byref(o), out.ref(0), out.ref(1)))
        return out.take()


def spectrogram(x, fs=1.0, window=('tukey', .25), nperseg=None, noverlap=None,
                nfft=None, detrend='constant', return_onesided=True,
                scaling='density', axis=-1, mode='psd', *, float32_output=False,
                stream=None):
    """scipy.signal.spectrogram: returns (f, t, Sxx) as arrays of x's kind."""
    with Inputs("spectrogram", stream, x, small_float32=float32_output) as ins, \
            Outputs(x, 3) as out:
        o = _spectral_opts("spectrogram", lib.xps_spectrogram_options_init, ins, fs,
                           window, nperseg, noverlap, nfft, detrend, return_onesided,
                           scaling, axis, mode=mode, float32_output=float32_output)
        px = ins.add(x)
        check(lib.xps_spectrogram(px, ctypes.byref(o), out.ref(0), out.ref(1),
                                  out.ref(2)))
        return out.take()


_BOUNDARY = {None: 0, "even": 1, "odd": 2, "constant": 3, "zeros": 4}
_STFT_SCALING = {"psd": 0, "spectrum": 1}


def stft(x, fs=1.0, window='hann', nperseg=256, noverlap=None, nfft=None, detrend=False,
         return_onesided=True, boundary='zeros', padded=True, axis=-1, scaling='spectrum',
         *, float32_output=False, stream=None):
    """scipy.signal.stft: returns (f, t, Zxx) as arrays of x's kind."""
    with Inputs("stft", stream, x, small_float32=float32_output) as ins, \
            Outputs(x, 3) as out:
        o = _spectral_opts("stft", lib.xps_stft_options_init, ins, fs, window, nperseg,
                           noverlap, nfft, detrend, return_onesided, "density", axis,
                           float32_output=float32_output)
        o.scaling = _choice("stft", "scaling", scaling, _STFT_SCALING)
        o.boundary = _choice("stft", "boundary", boundary, _BOUNDARY)
        o.padded = 1 if padded else 0
        px = ins.add(x)
        check(lib.xps_stft(px, ctypes.byref(o), out.ref(0), out.ref(1), out.ref(2)))
        return out.take()


def istft(Zxx, fs=1.0, window='hann', nperseg=None, noverlap=None, nfft=None,
          input_onesided=True, boundary=True, time_axis=-1, freq_axis=-2,
          scaling='spectrum', *, stream=None):
    """scipy.signal.istft: returns (t, x) as arrays of Zxx's kind (t has
    as many samples as x along its time axis)."""
    with Inputs("istft", stream, Zxx, "Zxx") as ins, Outputs(Zxx, 2) as out:
        o = _lib.IstftOptions()
        lib.xps_istft_options_init(ctypes.byref(o))
        o.fs = float(fs)
        if window is not None:
            _set_window("istft", o.window, window, ins)
        o.nperseg = _count_or("istft", "nperseg", nperseg, 0, 1)
        o.noverlap = _count_or("istft", "noverlap", noverlap, -1, 0)
        o.nfft = _count_or("istft", "nfft", nfft, 0, 1)
        o.input_onesided = 1 if input_onesided else 0
        o.boundary = 1 if boundary else 0
        o.time_axis = _int_or("istft", "time_axis", time_axis, -1)
        o.freq_axis = _int_or("istft", "freq_axis", freq_axis, -2)
        o.scaling = _choice("istft", "scaling", scaling, _STFT_SCALING)
        pz = ins.add(Zxx)
        check(lib.xps_istft(pz, ctypes.byref(o), out.ref(0), out.ref(1)))
        return out.take()


def _check_overlap(fn, c_fn, window, nperseg, noverlap, tol):
    spec = _lib.WindowSpec()
    lib.xps_window_spec_init(ctypes.byref(spec))
    ok = ctypes.c_int(0)
    with Inputs(fn) as ins:
        _set_window(fn, spec, window, ins)
        check(c_fn(ctypes.byref(spec), _int_or(fn, "nperseg", nperseg, 0),
                   _int_or(fn, "noverlap", noverlap, 0), float(tol), ctypes.byref(ok)))
    return bool(ok.value)


def check_COLA(window, nperseg, noverlap, tol=1e-10):
    """scipy.signal.check_COLA: whether the window is constant overlap-add."""
    return _check_overlap("check_COLA", lib.xps_check_COLA, window, nperseg, noverlap, tol)


def check_NOLA(window, nperseg, noverlap, tol=1e-10):
    """scipy.signal.check_NOLA: whether istft can invert stft with this window."""
    return _check_overlap("check_NOLA", lib.xps_check_NOLA, window, nperseg, noverlap, tol)


def _writable_in_place(x):
    """Whether x is memory the caller owns and lets us write, in a dtype the
    library takes as it is: a writable NumPy array, a torch tensor or a CuPy
    array of float32/64 or complex64/128 (JAX arrays are immutable)."""
    name = _dtype_name(x)
    if name not in ("float32", "float64", "complex64", "complex128"):
        return False
    if isinstance(x, np.ndarray):
        return x.flags.writeable and x.dtype.isnative
    lib = type(x).__module__.split(".", 1)[0]
    if lib == "torch":
        return not x.requires_grad
    return lib == "cupy"


def detrend(data, axis=-1, type='linear', bp=0, overwrite_data=False, *, stream=None):
    """scipy.signal.detrend: a new array of data's kind.  With
    overwrite_data=True and data a writable NumPy array, torch tensor or
    CuPy array of a float or complex dtype, data itself is detrended in
    place and returned (SciPy treats the flag as a hint; any other data
    gets a new array)."""
    code = _choice("detrend", "type", type, _DETREND)
    in_place = bool(overwrite_data) and _writable_in_place(data)
    with Inputs("detrend", stream, data, "data") as ins, Outputs(data, 1) as out:
        px = ins.add(data)
        n = lib.xp_array_dltensor(px).contents
        ax = _int_or("detrend", "axis", axis, -1)
        N = n.shape[ax % n.ndim] if n.ndim and -n.ndim <= ax < n.ndim else 0
        pts = sorted({int(b) for b in np.atleast_1d(np.asarray(bp)).ravel()}) \
            if code == 2 else []
        pts = [b for b in pts if b != 0 and b != N]     # the ends are always there
        arr = (ctypes.c_int64 * max(len(pts), 1))(*pts)
        if in_place:
            check(lib.xps_detrend_into(px, ax, code, arr, len(pts), px))
            return data
        check(lib.xps_detrend(px, ax, code, arr, len(pts), out.ref(0)))
        return out.take()[0]


def get_window(window, Nx, fftbins=True):
    """scipy.signal.get_window: a float64 NumPy array [Nx]."""
    spec = _lib.WindowSpec()
    lib.xps_window_spec_init(ctypes.byref(spec))
    with Inputs("get_window") as ins, Outputs(np.empty(0), 1) as out:
        _set_window("get_window", spec, window, ins, beta=True)
        check(lib.xps_get_window(ctypes.byref(spec), _int_or("get_window", "Nx", Nx, 0),
                                 1 if fftbins else 0, lib.xp_provider_host(), 1,
                                 out.ref(0)))
        return out.take()[0]


# ------------------------------------------------------------ filtering


def _host_coefs(fn, name, v, ndim=1):
    # coefficients are a few numbers the C code reads on the host: a device
    # array's own library copies them over (torch .cpu(), CuPy .get(), JAX
    # and others through __array__)
    if isinstance(v, _dlpack.DeviceArray):
        v = v.to_numpy()
    elif hasattr(v, "__dlpack__") and not isinstance(v, np.ndarray):
        if hasattr(v, "cpu"):
            v = v.cpu()
        elif _dlpack.device_of(v)[0] != _dlpack.KDL_CPU:
            v = v.get() if hasattr(v, "get") else np.asarray(v)
        if not isinstance(v, np.ndarray):
            v = np.from_dlpack(v)
    a = np.asarray(v)
    if a.dtype.kind == "c":
        raise TypeError("%s: %s must be real (complex coefficients are not supported)"
                        % (fn, name))
    a = np.ascontiguousarray(a, dtype=np.float64)
    if ndim == 1:
        a = np.atleast_1d(a)
    else:                           # SciPy takes one section as a 1-D sos
        a = np.atleast_2d(a)
    if a.ndim != ndim:
        raise ValueError("%s: %s must be %d-D, got shape %s" % (fn, name, ndim, a.shape))
    return a


def _ptr(a):
    return a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))


def _filtfilt_opts(fn, axis, padtype, padlen, method="pad", irlen=None):
    o = _lib.FiltfiltOptions()
    lib.xps_filtfilt_options_init(ctypes.byref(o))
    o.axis = _int_or(fn, "axis", axis, -1)
    o.method = _choice(fn, "method", method, _METHOD)
    # as SciPy: padtype and padlen are read for method 'pad' only, irlen
    # for 'gust' only
    if method == "pad":
        o.padtype = _choice(fn, "padtype", padtype, _PADTYPE)
        # SciPy pads only when padlen > 0: a negative padlen is no padding
        # (the C API's -1 is None, the default)
        o.padlen = max(_int_or(fn, "padlen", padlen, -1), 0) if padlen is not None else -1
    else:
        o.irlen = _int_or(fn, "irlen", irlen, -1)
        if irlen is not None and o.irlen < 0:
            raise ValueError("%s: irlen (%d) must be positive, or None for the whole signal"
                             % (fn, o.irlen))
    return o


def filtfilt(b, a, x, axis=-1, padtype='odd', padlen=None, method='pad', irlen=None, *,
             stream=None):
    """scipy.signal.filtfilt with real coefficients b, a: an array of x's kind."""
    b = _host_coefs("filtfilt", "b", b)
    a = _host_coefs("filtfilt", "a", a)
    o = _filtfilt_opts("filtfilt", axis, padtype, padlen, method, irlen)
    with Inputs("filtfilt", stream, x) as ins, Outputs(x, 1) as out:
        px = ins.add(x)
        check(lib.xps_filtfilt(_ptr(b), b.size, _ptr(a), a.size, px, ctypes.byref(o),
                               out.ref(0)))
        return out.take()[0]


def sosfiltfilt(sos, x, axis=-1, padtype='odd', padlen=None, *, stream=None):
    """scipy.signal.sosfiltfilt with real sections sos [nsec, 6]."""
    sos = _host_coefs("sosfiltfilt", "sos", sos, ndim=2)
    if sos.shape[1] != 6:
        raise ValueError("sosfiltfilt: sos must have shape (n_sections, 6), got %s"
                         % (sos.shape,))
    o = _filtfilt_opts("sosfiltfilt", axis, padtype, padlen)
    with Inputs("sosfiltfilt", stream, x) as ins, Outputs(x, 1) as out:
        px = ins.add(x)
        check(lib.xps_sosfiltfilt(_ptr(sos), sos.shape[0], px, ctypes.byref(o),
                                  out.ref(0)))
        return out.take()[0]


# ------------------------------------------------------------ IIR design


def _need_iir(fn):
    if not _lib.has_iir:
        raise NotImplementedError("%s: this libxpsignal (%s) has no IIR design "
                                  "(lib/signal/iir is not built in)" % (fn, _lib.path))


def _parse(fn, parse, arg, value):
    out = ctypes.c_int()
    if not isinstance(value, str):
        raise ValueError("%s: %s (%r) must be a string" % (fn, arg, value))
    check(parse(value.encode(), ctypes.byref(out)))
    return out.value


def _design_result(output, c1, n1, c2, n2, k, real_zeros=False):
    """The C design's buffers as SciPy's result.  real_zeros: SciPy's z is
    float64, as for Butterworth, Chebyshev I and Bessel low- and high-pass
    designs (their zeros, none or at -1 and 1, stay real through lp2lp,
    lp2hp and bilinear; lp2bp and lp2bs make them complex)."""
    if output == 0:                                     # ba
        return c1[:n1.value].copy(), c2[:n2.value].copy()
    if output == 1:                                     # zpk
        z = c1[:2 * n1.value].view(np.complex128).copy()
        p = c2[:2 * n2.value].view(np.complex128).copy()
        return (z.real.copy() if real_zeros else z), p, float(k.value)
    return c1[:6 * n1.value].reshape(n1.value, 6).copy()


def _freqs(fn, name, v):
    a = np.atleast_1d(np.asarray(v, dtype=np.float64)).ravel()
    if a.size not in (1, 2):
        raise ValueError("%s: %s must have 1 or 2 values, got %d" % (fn, name, a.size))
    return np.ascontiguousarray(a)


def _design_fs(fn, fs):
    """None (frequencies relative to Nyquist) as the C library's 0; a given
    fs must be positive, as SciPy checks (0 would silently mean None)."""
    if fs is None:
        return 0.0
    v = float(fs)
    if not (v > 0 and math.isfinite(v)):
        raise ValueError("%s: fs (%r) must be a positive number or None" % (fn, fs))
    return v


def butter(N, Wn, btype='low', analog=False, output='ba', fs=None):
    """scipy.signal.butter: (b, a), (z, p, k) or sos as NumPy arrays."""
    _need_iir("butter")
    bt = _parse("butter", lib.xps_btype_parse, "btype", btype)
    out = _parse("butter", lib.xps_output_parse, "output", output)
    N = _int_or("butter", "N", N, 0)
    wn = _freqs("butter", "Wn", Wn)
    cap = max(int(lib.xps_iir_buflen(max(N, 0))), 1)
    c1, c2 = np.zeros(cap), np.zeros(cap)
    n1, n2, k = ctypes.c_int64(), ctypes.c_int64(), ctypes.c_double()
    check(lib.xps_butter(N, _ptr(wn), wn.size, bt, 1 if analog else 0, out,
                         _design_fs("butter", fs), _ptr(c1), ctypes.byref(n1),
                         _ptr(c2), ctypes.byref(n2), ctypes.byref(k)))
    return _design_result(out, c1, n1, c2, n2, k, real_zeros=bt in (0, 1))


def iirdesign(wp, ws, gpass, gstop, analog=False, ftype='ellip', output='ba', fs=None):
    """scipy.signal.iirdesign: (b, a), (z, p, k) or sos as NumPy arrays."""
    _need_iir("iirdesign")
    ft = _parse("iirdesign", lib.xps_ftype_parse, "ftype", ftype)
    out = _parse("iirdesign", lib.xps_output_parse, "output", output)
    wp_, ws_ = _freqs("iirdesign", "wp", wp), _freqs("iirdesign", "ws", ws)
    if wp_.size != ws_.size:
        raise ValueError("iirdesign: wp and ws must have the same length")
    fsv = _design_fs("iirdesign", fs)
    an = 1 if analog else 0
    # the order (so the buffers' size) from the matching order function
    ordfn = {0: "xps_buttord", 1: "xps_cheb1ord", 2: "xps_cheb2ord", 3: "xps_ellipord"}
    order = ctypes.c_int64(0)
    if ft in ordfn:
        wn = np.zeros(2)
        check(getattr(lib, ordfn[ft])(_ptr(wp_), _ptr(ws_), wp_.size, float(gpass),
                                      float(gstop), an, fsv, ctypes.byref(order), _ptr(wn)))
    cap = int(lib.xps_iir_buflen(max(order.value, 1)))
    c1, c2 = np.zeros(cap), np.zeros(cap)
    n1, n2, k, got = ctypes.c_int64(), ctypes.c_int64(), ctypes.c_double(), ctypes.c_int64()
    check(lib.xps_iirdesign(_ptr(wp_), _ptr(ws_), wp_.size, float(gpass), float(gstop), an,
                            ft, out, fsv, cap, _ptr(c1), ctypes.byref(n1), _ptr(c2),
                            ctypes.byref(n2), ctypes.byref(k), ctypes.byref(got)))
    return _design_result(out, c1, n1, c2, n2, k, real_zeros=ft in (0, 1, 4, 5, 6)
                          and wp_.size == 1)
