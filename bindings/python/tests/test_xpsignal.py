"""xpsignal against SciPy, for NumPy, JAX and PyTorch inputs, and CUDA.

Runs with unittest (python3 -m unittest) or pytest.  The library comes from
$XPSIGNAL_LIB or the build tree (tests/check_python.sh sets it).  NumPy < 2
hands over legacy "dltensor" capsules, NumPy >= 2 versioned ones; JAX and
torch cases are skipped when those are not installed.

The CudaDevice cases run when the library's "cuda" provider is usable: on a
GPU, or on the CPU with XPSIGNAL_CUDA_MODULE naming the emulated module
(tests/cuda_emu/xpsignal_cuda_emu.so, which tests/check_python.sh sets for
a second run, with XPSIGNAL_TEST_REQUIRE_CUDA=1 so that they fail rather
than skip when the provider is unusable).  They need neither CuPy nor
torch: the inputs are device arrays the library makes, offered through a
minimal DLPack producer.
"""
import ctypes
import gc
import os
import sys
import unittest
from unittest import mock

import numpy as np
import scipy.signal as ss

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import xpsignal as xs                                   # noqa: E402
from xpsignal import _dlpack, _lib                      # noqa: E402

try:
    import jax
    import jax.numpy as jnp
except ImportError:                                     # pragma: no cover
    jax = None
try:
    import torch
except ImportError:                                     # pragma: no cover
    torch = None

NUMPY2 = int(np.__version__.split(".")[0]) >= 2


def rng(seed=0):
    return np.random.default_rng(seed)


class Base(unittest.TestCase):
    def close(self, got, want, rtol=1e-10, atol=0.0):
        got = np.asarray(got)
        want = np.asarray(want)
        self.assertEqual(got.shape, want.shape)
        scale = max(np.max(np.abs(want)) if want.size else 0.0, 1e-300)
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol + rtol * scale)

    def setUp(self):
        gc.collect()
        self.allocs = _lib.host_live_allocs()

    def tearDown(self):
        gc.collect()
        # every library array made during the test was freed exactly once
        self.assertEqual(_lib.host_live_allocs(), self.allocs)


class NumpySpectral(Base):
    def test_welch_defaults_and_options(self):
        x = rng().standard_normal(3000)
        for kw in ({}, dict(fs=10e3, nperseg=1024), dict(nperseg=200, noverlap=50, nfft=256),
                   dict(window=("tukey", 0.3), nperseg=128, detrend="linear"),
                   dict(window="hamming", nperseg=100, scaling="spectrum", detrend=False),
                   dict(nperseg=64, average="median"), dict(window=("kaiser", 8.6), nperseg=90),
                   dict(nperseg=64, return_onesided=False)):
            f, p = xs.welch(x, **kw)
            f0, p0 = ss.welch(x, **kw)
            self.assertIsInstance(p, np.ndarray)
            self.close(f, f0)
            self.close(p, p0)

    def test_welch_nd_axis_strided_and_window_array(self):
        x = rng(1).standard_normal((4, 1000, 3))
        f, p = xs.welch(x, nperseg=128, axis=1)
        self.close(p, ss.welch(x, nperseg=128, axis=1)[1])
        xt = x[:, ::2, :].transpose(2, 0, 1)                # non-contiguous, strided
        self.assertFalse(xt.flags.c_contiguous)
        self.close(xs.welch(xt, nperseg=100)[1], ss.welch(xt, nperseg=100)[1])
        rev = x[0, ::-1, 1]                                  # negative stride
        self.close(xs.welch(rev, nperseg=100)[1], ss.welch(rev, nperseg=100)[1])
        w = ss.get_window("blackman", 150)
        self.close(xs.welch(x[1, :, 0], window=w)[1], ss.welch(x[1, :, 0], window=w)[1])

    def test_complex_float32_lists_and_ints(self):
        z = rng(2).standard_normal(800) + 1j * rng(3).standard_normal(800)
        self.close(xs.welch(z, nperseg=128)[1], ss.welch(z, nperseg=128)[1])
        x32 = rng(4).standard_normal(1000).astype(np.float32)
        f, p = xs.welch(x32, nperseg=128)
        self.assertEqual(p.dtype, np.float64)                # no float32 underflow
        self.close(p, ss.welch(x32, nperseg=128)[1], rtol=1e-5)
        p32 = xs.welch(x32, nperseg=128, float32_output=True)[1]
        self.assertEqual(p32.dtype, np.float32)
        self.close(p32, ss.welch(x32, nperseg=128)[1], rtol=1e-5)
        ints = list(range(50)) * 20
        self.close(xs.welch(ints, nperseg=64)[1], ss.welch(np.asarray(ints), nperseg=64)[1])
        self.close(xs.welch(np.arange(500) % 7, nperseg=64)[1],
                   ss.welch(np.arange(500) % 7, nperseg=64)[1])
        # SciPy computes small integers and booleans in single precision
        # (result_type(x, complex64)): float32_output gives its float32 then
        for dt in (np.int16, np.uint8, np.bool_, np.int32):
            v = (np.arange(600) % 9).astype(dt)
            want = ss.welch(v, nperseg=64)[1]
            got = xs.welch(v, nperseg=64, float32_output=True)[1]
            self.assertEqual(got.dtype, want.dtype, dt)
            self.close(got, want, rtol=1e-5)
            self.assertEqual(xs.welch(v, nperseg=64)[1].dtype, np.float64)

    def test_readonly_input(self):
        x = rng(5).standard_normal(600)
        x.flags.writeable = False
        self.close(xs.welch(x, nperseg=64)[1], ss.welch(x, nperseg=64)[1])
        self.close(xs.detrend(x), ss.detrend(x))

    def test_memmap_input(self):
        # a memory-mapped .npy (read-only) is read where it lies
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.npy")
            np.save(path, rng(15).standard_normal(5000))
            x = np.load(path, mmap_mode="r")
            self.assertIsInstance(x, np.memmap)
            self.close(xs.welch(x, nperseg=256)[1], ss.welch(x, nperseg=256)[1])
            self.close(xs.spectrogram(x, nperseg=128)[2], ss.spectrogram(x, nperseg=128)[2])
            del x

    def test_csd_coherence_periodogram_spectrogram(self):
        x = rng(6).standard_normal((2, 2048))
        y = rng(7).standard_normal((2, 2048)) + 0.5 * x
        for kw in ({}, dict(nperseg=300, noverlap=100, fs=50.0, scaling="spectrum")):
            self.close(xs.csd(x, y, **kw)[1], ss.csd(x, y, **kw)[1])
        self.close(xs.coherence(x, y, nperseg=128)[1], ss.coherence(x, y, nperseg=128)[1])
        for kw in ({}, dict(window="hann", nfft=3000, fs=4.0), dict(scaling="spectrum")):
            f, p = xs.periodogram(x, **kw)
            f0, p0 = ss.periodogram(x, **kw)
            self.close(f, f0)
            self.close(p, p0)
        for mode in ("psd", "complex", "magnitude", "angle", "phase"):
            f, t, s = xs.spectrogram(x, fs=100.0, nperseg=128, mode=mode)
            f0, t0, s0 = ss.spectrogram(x, fs=100.0, nperseg=128, mode=mode)
            self.close(f, f0)
            self.close(t, t0)
            self.close(s, s0, rtol=1e-9)

    def test_stft_and_istft(self):
        x = rng(30).standard_normal((2, 1000))
        for kw in ({}, dict(nperseg=100, noverlap=70, boundary="odd", padded=False),
                   dict(nperseg=64, boundary=None, scaling="psd", fs=8.0),
                   dict(nperseg=64, window=("tukey", 0.3), nfft=80, detrend="linear"),
                   dict(nperseg=64, return_onesided=False, boundary="even")):
            f, t, z = xs.stft(x, **kw)
            f0, t0, z0 = ss.stft(x, **kw)
            self.close(f, f0)
            self.close(t, t0)
            self.close(z, z0)
            ikw = {k: v for k, v in kw.items()
                   if k in ("nperseg", "noverlap", "window", "nfft", "fs", "scaling")}
            ikw["input_onesided"] = kw.get("return_onesided", True)
            ikw["boundary"] = kw.get("boundary", "zeros") is not None
            t, y = xs.istft(z0, **ikw)
            t0, y0 = ss.istft(z0, **ikw)
            self.close(y, y0, rtol=1e-9)
            self.assertEqual(t.shape, (y.shape[-1],))
        # along the first axis, and back with the axes named
        f, t, z = xs.stft(x.T, nperseg=128, axis=0)
        self.close(z, ss.stft(x.T, nperseg=128, axis=0)[2])
        t, y = xs.istft(z, nperseg=128, time_axis=-1, freq_axis=0)
        self.close(y[:, :1000], x)
        with self.assertRaisesRegex(ValueError, "stft: boundary .'mirror'. must be one of"):
            xs.stft(x, boundary="mirror")
        with self.assertRaisesRegex(ValueError, "istft: time_axis .0. and freq_axis .0."):
            xs.istft(z, time_axis=0, freq_axis=0)
        for win, nps, nov in (("hann", 120, 90), ("hann", 120, 0), ("boxcar", 10, 9),
                              (("tukey", 0.25), 100, 25), (ss.get_window("hamming", 64), 64, 32)):
            self.assertIs(xs.check_COLA(win, nps, nov), bool(ss.check_COLA(win, nps, nov)))
            self.assertIs(xs.check_NOLA(win, nps, nov), bool(ss.check_NOLA(win, nps, nov)))
        with self.assertRaisesRegex(ValueError, "check_NOLA: noverlap .64. must be less"):
            xs.check_NOLA("hann", 64, 64)

    def test_detrend_and_get_window(self):
        x = rng(8).standard_normal((3, 400)) + np.linspace(0, 5, 400)
        self.close(xs.detrend(x), ss.detrend(x))
        self.close(xs.detrend(x, type="constant"), ss.detrend(x, type="constant"))
        self.close(xs.detrend(x, bp=[100, 250]), ss.detrend(x, bp=[100, 250]))
        self.close(xs.detrend(x.T, axis=0), ss.detrend(x.T, axis=0))
        # overwrite_data: a writable array is detrended where it lies (a
        # strided view too); anything else gets a new array
        for want_type, view in (("linear", lambda a: a), ("constant", lambda a: a.T[::2])):
            w = x.copy()
            v = view(w)
            want = ss.detrend(v, axis=0 if v is not w else -1, type=want_type)
            got = xs.detrend(v, axis=0 if v is not w else -1, type=want_type,
                             overwrite_data=True)
            self.assertIs(got, v)
            self.close(v, want)
        ro = x.copy()
        ro.flags.writeable = False
        got = xs.detrend(ro, overwrite_data=True)
        self.assertIsNot(got, ro)
        self.close(got, ss.detrend(x))
        np.testing.assert_array_equal(ro, x)
        ints = np.arange(40) ** 2 % 7      # converted to float64: a new array
        self.close(xs.detrend(ints, overwrite_data=True), ss.detrend(ints))
        np.testing.assert_array_equal(ints, np.arange(40) ** 2 % 7)
        for win, n, fftbins in (("hann", 64, True), (("kaiser", 8.6), 51, False),
                                (("tukey", 0.25), 100, True), (("dpss", 3.0), 64, True),
                                (("general_gaussian", 1.5, 7), 33, True), (4.0, 20, True)):
            self.close(xs.get_window(win, n, fftbins=fftbins),
                       ss.get_window(win, n, fftbins=fftbins), rtol=1e-12)

    def test_errors_speak_scipy(self):
        x = np.zeros(1000)
        with self.assertRaisesRegex(ValueError, "noverlap"):
            xs.welch(x, nperseg=512, noverlap=600)
        with self.assertRaisesRegex(ValueError, "scaling"):
            xs.welch(x, scaling="bogus")
        with self.assertRaises(ValueError):
            xs.get_window("no_such_window", 10)
        with self.assertRaises(NotImplementedError):
            xs.welch(x, detrend=lambda s: s)
        with self.assertRaises(xs.XpError):
            xs.welch(x, axis=3)
        # SciPy's values, never the C API's default sentinels (0, -1)
        for kw in (dict(nperseg=0), dict(nperseg=64, nfft=0), dict(nperseg=64, noverlap=-1)):
            with self.assertRaisesRegex(ValueError, list(kw)[-1]):
                xs.welch(x, **kw)
            with self.assertRaisesRegex(ValueError, list(kw)[-1]):
                xs.stft(x, **kw)
        with self.assertRaisesRegex(ValueError, "noverlap"):
            xs.istft(xs.stft(x, nperseg=64)[2], nperseg=64, noverlap=-1)
        # a design's fs is None or positive (0 is not None)
        if xs._has_iir:
            with self.assertRaisesRegex(ValueError, "fs"):
                xs.butter(2, 0.3, fs=0)
        # csd(x, x) of the very same object is SciPy's real welch(x)
        got, want = xs.csd(x + 1.0, x + 1.0)[1], ss.csd(x + 1.0, x + 1.0)[1]
        self.assertEqual(got.dtype, want.dtype)
        y = rng(5).standard_normal(1000)
        got, want = xs.csd(y, y)[1], ss.csd(y, y)[1]
        self.assertEqual(got.dtype, want.dtype)
        self.close(got, want)
        # True is a number to get_window: Kaiser's beta 1
        self.close(xs.get_window(True, 16), ss.get_window(True, 16))
        # a bare number is get_window's Kaiser beta only
        with self.assertRaisesRegex(ValueError, "window"):
            xs.welch(x, window=8.6)
        self.close(xs.get_window(8.6, 64), ss.get_window(8.6, 64))


class NumpyFiltering(Base):
    def test_filtfilt_and_sosfiltfilt(self):
        x = rng(9).standard_normal((3, 500))
        b, a = ss.butter(4, 0.2)
        sos = ss.butter(6, [0.1, 0.3], btype="band", output="sos")
        self.close(xs.filtfilt(b, a, x), ss.filtfilt(b, a, x), rtol=1e-9)
        self.close(xs.filtfilt(b, a, x.T, axis=0, padtype="even", padlen=20),
                   ss.filtfilt(b, a, x.T, axis=0, padtype="even", padlen=20), rtol=1e-9)
        self.close(xs.filtfilt(b, a, x, padtype=None), ss.filtfilt(b, a, x, padtype=None),
                   rtol=1e-9)
        self.close(xs.filtfilt(b, a, x, method="gust"), ss.filtfilt(b, a, x, method="gust"),
                   rtol=1e-8)
        self.close(xs.sosfiltfilt(sos, x), ss.sosfiltfilt(sos, x), rtol=1e-9)
        self.close(xs.sosfiltfilt(sos, x[:, ::2], padtype="constant"),
                   ss.sosfiltfilt(sos, x[:, ::2], padtype="constant"), rtol=1e-9)
        # irlen is read for gust only; one section may be a 1-D sos
        self.close(xs.filtfilt(b, a, x, irlen=0), ss.filtfilt(b, a, x, irlen=0), rtol=1e-9)
        self.close(xs.sosfiltfilt(sos[0], x), ss.sosfiltfilt(sos[0], x), rtol=1e-9)
        # SciPy pads only for padlen > 0: -1 is no padding there, not None
        for pl in (-1, -5):
            self.close(xs.filtfilt(b, a, x, padlen=pl), ss.filtfilt(b, a, x, padlen=pl),
                       rtol=1e-9)
            self.close(xs.sosfiltfilt(sos, x, padlen=pl), ss.sosfiltfilt(sos, x, padlen=pl),
                       rtol=1e-9)

    def test_filtfilt_errors_speak_scipy(self):
        x = rng(9).standard_normal(100)
        b, a = ss.butter(2, 0.2)
        # names are compared exactly, as SciPy compares them
        for kw in (dict(padtype="ODD"), dict(method="Gust")):
            with self.assertRaisesRegex(ValueError, list(kw)[0]):
                xs.filtfilt(b, a, x, **kw)
            with self.assertRaises(ValueError):
                ss.filtfilt(b, a, x, **kw)
        with self.assertRaisesRegex(ValueError, "scaling"):
            xs.welch(x, scaling="Density")
        # a negative irlen fails in SciPy too (never the C API's None)
        with self.assertRaisesRegex(ValueError, "irlen"):
            xs.filtfilt(b, a, x, method="gust", irlen=-1)

    def test_float32_filtered_in_float64(self):
        # SciPy's result_type: float32 data, float64 coefficients -> float64.
        # In float32 butter(8, 0.05)'s (b, a) is unstable.
        x = rng(10).standard_normal(2000).astype(np.float32)
        b, a = ss.butter(8, 0.05)
        sos = ss.butter(8, 0.05, output="sos")
        for got, want in ((xs.filtfilt(b, a, x), ss.filtfilt(b, a, x)),
                          (xs.sosfiltfilt(sos, x), ss.sosfiltfilt(sos, x))):
            self.assertEqual(got.dtype, np.float64)
            self.close(got, want, rtol=1e-7)

    @unittest.skipUnless(xs._has_iir, "libxpsignal built without IIR design")
    def test_butter_and_iirdesign(self):
        for args, kw in (((4, 0.2), {}), ((3, [0.1, 0.4], "band"), {}),
                         ((5, 100.0, "high"), dict(fs=1000.0)), ((4, 0.3), dict(output="sos")),
                         ((2, 0.25), dict(output="zpk"))):
            got, want = xs.butter(*args, **kw), ss.butter(*args, **kw)
            if kw.get("output") == "zpk":
                self.close(np.sort_complex(got[0]), np.sort_complex(want[0]))
                self.close(np.sort_complex(got[1]), np.sort_complex(want[1]))
                self.close(got[2], want[2])
            elif kw.get("output") == "sos":
                self.close(got, want, rtol=1e-9)
            else:
                self.close(got[0], want[0], rtol=1e-9)
                self.close(got[1], want[1], rtol=1e-9)
        for ftype in ("ellip", "butter", "cheby1", "cheby2"):
            got = xs.iirdesign(0.2, 0.3, 1, 40, ftype=ftype, output="sos")
            want = ss.iirdesign(0.2, 0.3, 1, 40, ftype=ftype, output="sos")
            self.close(got, want, rtol=1e-7)
        got = xs.iirdesign([100, 200], [50, 300], 2, 30, fs=1000.0)
        want = ss.iirdesign([100, 200], [50, 300], 2, 30, fs=1000.0)
        self.close(got[0], want[0], rtol=1e-7)
        self.close(got[1], want[1], rtol=1e-7)
        # order 0 is the gain alone; iirdesign reaches it when gpass == gstop
        for got, want in ((xs.butter(0, 0.2), ss.butter(0, 0.2)),
                          (xs.iirdesign(0.2, 0.3, 2, 2), ss.iirdesign(0.2, 0.3, 2, 2))):
            self.close(got[0], want[0])
            self.close(got[1], want[1])
        # zpk in SciPy's dtypes: real zeros where its transforms keep them real
        for args in ((3, 0.2), (3, 0.2, "high"), (3, [0.2, 0.4], "band"), (2, 2.0, "low", True)):
            got, want = xs.butter(*args, output="zpk"), ss.butter(*args, output="zpk")
            self.assertEqual((got[0].dtype, got[1].dtype), (want[0].dtype, want[1].dtype), args)
        for ftype, wp, ws in (("cheby1", 0.2, 0.3), ("ellip", 0.2, 0.3),
                              ("butter", [0.2, 0.5], [0.1, 0.6])):
            got = xs.iirdesign(wp, ws, 1, 40, ftype=ftype, output="zpk")
            want = ss.iirdesign(wp, ws, 1, 40, ftype=ftype, output="zpk")
            self.assertEqual((got[0].dtype, got[1].dtype), (want[0].dtype, want[1].dtype), ftype)


class FakeProducer:
    """A foreign array: only __dlpack__ and __dlpack_device__, over x."""

    def __init__(self, x, device=(1, 0), legacy=False):
        self.x, self.device, self.legacy, self.exports = x, device, legacy, 0

    def __dlpack_device__(self):
        return self.device

    def __dlpack__(self, stream=None, max_version=None, **kw):
        self.exports += 1
        if self.legacy or max_version is None:
            return self.x.__dlpack__()
        return self.x.__dlpack__(max_version=max_version)


class Protocol(Base):
    def test_capsule_kind(self):
        before = dict(_dlpack.stats)
        xs.detrend(np.ones(10))
        kind = "dltensor_versioned" if NUMPY2 else "dltensor"
        self.assertEqual(_dlpack.stats[kind], before[kind] + 1)
        xs.detrend(FakeProducer(np.ones(10), legacy=True))
        self.assertEqual(_dlpack.stats["dltensor"], before["dltensor"] + 1 + (not NUMPY2))

    def test_inputs_are_released(self):
        x = rng(10).standard_normal(1000)
        n0 = sys.getrefcount(x)
        for _ in range(3):
            xs.welch(x, nperseg=100)
            xs.csd(x, x, nperseg=100)
        self.assertEqual(sys.getrefcount(x), n0)

    def test_results_own_their_memory(self):
        x = rng(11).standard_normal(1000)
        f, p = xs.welch(x, nperseg=100)
        self.assertEqual(_lib.host_live_allocs(), self.allocs + 2)
        p2 = p.copy()
        del f
        gc.collect()
        self.assertEqual(_lib.host_live_allocs(), self.allocs + 1)
        np.testing.assert_array_equal(p, p2)               # still valid
        del p
        gc.collect()
        self.assertEqual(_lib.host_live_allocs(), self.allocs)

    def test_foreign_producer_and_rejected_dtype(self):
        x = rng(12).standard_normal(500)
        fp = FakeProducer(x)
        f, p = xs.welch(fp, nperseg=64)
        self.assertIsInstance(p, np.ndarray)              # unknown kind: NumPy
        self.close(p, ss.welch(x, nperseg=64)[1])
        ints = np.arange(100, dtype=np.int32)
        n0 = sys.getrefcount(ints)
        with self.assertRaisesRegex(TypeError, "int32 is not supported"):
            xs.welch(FakeProducer(ints), nperseg=16)
        gc.collect()
        # refused: the producer's own capsule destructor let go of the array
        self.assertEqual(sys.getrefcount(ints), n0)

    def test_cuda_guard(self):
        fp = FakeProducer(np.zeros(10), device=(2, 0))
        if _lib.provider_for_device(2) is None:
            with self.assertRaisesRegex(xs.XpDeviceError, "CUDA device.*without the CUDA"):
                xs.welch(fp)
            self.assertEqual(fp.exports, 0)               # refused before any capsule
        elif not xs.provider_available("cuda"):
            with self.assertRaisesRegex(xs.XpDeviceError, "CUDA device but.*unavailable"):
                xs.welch(fp, stream=2)
            self.assertEqual(fp.exports, 0)

    def test_stream_only_for_cuda(self):
        x = rng(15).standard_normal(300)
        fp = FakeProducer(x)
        calls = (lambda s: xs.welch(x, nperseg=64, stream=s),
                 lambda s: xs.csd(x, x, nperseg=64, stream=s),
                 lambda s: xs.coherence(x, x, nperseg=64, stream=s),
                 lambda s: xs.spectrogram(x, nperseg=64, stream=s),
                 lambda s: xs.periodogram(list(x), stream=s),
                 lambda s: xs.detrend(fp, stream=s),
                 lambda s: xs.filtfilt([1.0], [1.0, -0.5], x, stream=s),
                 lambda s: xs.sosfiltfilt([[1.0, 0, 0, 1.0, -0.5, 0]], x, stream=s))
        for call in calls:
            for s in (1, 2, 0):
                with self.assertRaisesRegex(ValueError, "stream.*CUDA arrays only.*CPU"):
                    call(s)
        self.assertEqual(fp.exports, 0)                   # refused before any capsule
        for call in calls:
            call(None)
        # host and strict have no streams: the library takes only NULL
        _lib.set_stream(_lib.lib.xp_provider_host(), None)
        with self.assertRaises(xs.XpDeviceError):
            _lib.set_stream(_lib.lib.xp_provider_host(), 1)

    def test_unconsumed_export_is_deleted(self):
        ptr = _dlpack.Exported(None)
        self.assertRaises(BufferError, ptr.__dlpack__)
        # a library array exported, its capsule never consumed
        with _dlpack_input(np.arange(6.0)) as p:
            import ctypes
            out = ctypes.c_void_p()
            _lib.check(_lib.lib.xps_detrend(p, -1, 1, None, 0, ctypes.byref(out)))
        self.assertEqual(_lib.host_live_allocs(), self.allocs + 1)
        e = _dlpack.Exported(out.value)
        cap = e.__dlpack__(max_version=(1, 0))
        self.assertIn("dltensor_versioned", repr(cap))
        self.assertRaises(BufferError, e.__dlpack__)      # once only
        e.close()
        self.assertIn("used_dltensor_versioned", repr(cap))
        self.assertEqual(_lib.host_live_allocs(), self.allocs)
        del cap, e

    def test_consumer_failure_releases(self):
        def bad_from_dlpack(obj):
            obj.__dlpack__()
            raise RuntimeError("consumer failed")
        with _dlpack_input(np.arange(6.0)) as p:
            import ctypes
            out = ctypes.c_void_p()
            _lib.check(_lib.lib.xps_detrend(p, -1, 1, None, 0, ctypes.byref(out)))
        with self.assertRaisesRegex(RuntimeError, "consumer failed"):
            _dlpack.export(out.value, bad_from_dlpack)
        self.assertEqual(_lib.host_live_allocs(), self.allocs)


class _dlpack_input:
    def __init__(self, x):
        self.x = x

    def __enter__(self):
        self.p = _dlpack.import_array(self.x)
        return self.p

    def __exit__(self, *a):
        _dlpack.free_array(self.p)


@unittest.skipIf(jax is None, "jax is not installed")
class Jax(Base):
    def test_welch_returns_jax(self):
        x = jnp.asarray(rng(13).standard_normal(3000).astype(np.float32))
        f, p = xs.welch(x, fs=10e3, nperseg=1024)
        self.assertIsInstance(p, jax.Array)
        f0, p0 = ss.welch(np.asarray(x), fs=10e3, nperseg=1024)
        self.close(np.asarray(f), f0, rtol=1e-6)
        self.close(np.asarray(p), p0, rtol=1e-5)

    def test_filters_and_detrend(self):
        xn = rng(14).standard_normal((2, 300)).astype(np.float32)
        x = jnp.asarray(xn)
        b, a = ss.butter(3, 0.3)
        y = xs.filtfilt(jnp.asarray(b), jnp.asarray(a), x)
        self.assertIsInstance(y, jax.Array)
        self.close(np.asarray(y), ss.filtfilt(b, a, xn), rtol=1e-4)
        d = xs.detrend(x)
        self.assertIsInstance(d, jax.Array)
        self.close(np.asarray(d), ss.detrend(xn), rtol=1e-4, atol=1e-5)
        z = xs.stft(x, nperseg=64)[2]
        self.assertIsInstance(z, jax.Array)
        self.close(np.asarray(z), ss.stft(xn, nperseg=64)[2], rtol=1e-5)
        y = xs.istft(z, nperseg=64)[1]
        self.assertIsInstance(y, jax.Array)
        self.close(np.asarray(y)[:, :300], xn, rtol=1e-5, atol=1e-5)
        ints = jnp.arange(200) % 5
        self.close(np.asarray(xs.welch(ints, nperseg=32)[1]),
                   ss.welch(np.asarray(ints), nperseg=32)[1], rtol=1e-5)


@unittest.skipIf(torch is None, "torch is not installed")
class Torch(Base):
    def test_welch_returns_torch(self):
        torch.manual_seed(0)
        x = torch.rand(3000)
        f, p = xs.welch(x, fs=10e3, nperseg=1024)
        self.assertIsInstance(p, torch.Tensor)
        f0, p0 = ss.welch(x.numpy(), fs=10e3, nperseg=1024)
        self.close(f.numpy(), f0, rtol=1e-6)
        self.close(p.numpy(), p0, rtol=1e-5)

    def test_strided_and_double(self):
        x = torch.randn(4, 1000, dtype=torch.float64)
        xt = x.t()[::3]
        f, p = xs.welch(xt, nperseg=64, axis=0)
        self.assertIsInstance(p, torch.Tensor)
        self.close(p.numpy(), ss.welch(xt.numpy(), nperseg=64, axis=0)[1])


# ------------------------------------------------------------ CUDA

REQUIRE_CUDA = os.environ.get("XPSIGNAL_TEST_REQUIRE_CUDA") == "1"
KDL_CUDA = 2


def _cuda_why():
    """None when the cuda provider is usable, else why not."""
    p = _lib.lib.xp_provider_find(b"cuda")
    if not p:
        return "this libxpsignal has no cuda provider"
    why = ctypes.c_char_p()
    if not _lib.lib.xp_provider_available(p, ctypes.byref(why)):
        return "cuda provider unavailable: %s" % (why.value or b"?").decode()
    return None


CUDA_WHY = _cuda_why()


class CudaProducer:
    """A foreign CUDA array, of no library the binding knows: each
    __dlpack__ hands over a fresh device copy of the data (made on the
    device by the library, so no host transfer), and records the stream the
    consumer asked for.  legacy: a producer from before DLPack 1.0's
    max_version (it refuses the keyword)."""

    def __init__(self, a, legacy=False):
        self.src = xs.DeviceArray.from_numpy(a, "cuda")
        self.legacy = legacy
        self.streams = []
        self._exported = []         # an Exported deletes its capsule if dropped unconsumed

    def __dlpack_device__(self):
        return self.src.device

    def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
        if self.legacy and max_version is not None:
            raise TypeError("__dlpack__() got an unexpected keyword argument 'max_version'")
        self.streams.append(stream)
        ptr = self.src._ptr
        out = ctypes.c_void_p()
        _lib.check(_lib.lib.xp_array_astype(ptr, _lib.lib.xp_array_dtype(ptr),
                                            ctypes.byref(out)))
        e = _dlpack.Exported(out.value)
        self._exported.append(e)
        return e.__dlpack__(max_version=max_version)


@unittest.skipIf(CUDA_WHY and not REQUIRE_CUDA, CUDA_WHY or "")
class CudaDevice(Base):
    """Device arrays in, device arrays out, on the caller's stream."""

    def setUp(self):
        if CUDA_WHY:
            self.fail("XPSIGNAL_TEST_REQUIRE_CUDA=1 but " + CUDA_WHY)
        super().setUp()
        self.dev_allocs = xs.provider_stats("cuda")["allocs"]

    def tearDown(self):
        self.__dict__.pop("producers", None)
        super().tearDown()
        # every device array made by a call was freed too
        self.assertEqual(xs.provider_stats("cuda")["allocs"], self.dev_allocs)

    def on_device(self, a, legacy=False):
        p = CudaProducer(np.asarray(a), legacy)
        self.__dict__.setdefault("producers", []).append(p)
        return p

    def host(self, d):
        self.assertIsInstance(d, xs.DeviceArray)
        self.assertEqual(d.device, (KDL_CUDA, 0))
        return d.to_numpy()

    def test_spectral_on_device_with_streams(self):
        x = rng(20).standard_normal((2, 3000))
        y = rng(21).standard_normal((2, 3000)) + 0.3 * x
        px, py = self.on_device(x), self.on_device(y)
        for stream, asked in ((None, 1), (1, 1), (2, 2)):
            f, p = xs.welch(px, fs=10e3, nperseg=1024, stream=stream)
            f0, p0 = ss.welch(x, fs=10e3, nperseg=1024)
            self.close(self.host(f), f0, rtol=1e-12)
            self.close(self.host(p), p0, rtol=1e-12)
            self.assertEqual(px.streams[-1], asked)       # the producer synchronized there
            f, c = xs.csd(px, py, nperseg=256, noverlap=100, stream=stream)
            self.close(self.host(c), ss.csd(x, y, nperseg=256, noverlap=100)[1], rtol=1e-12)
            self.assertEqual((px.streams[-1], py.streams[-1]), (asked, asked))
        self.close(self.host(xs.coherence(px, py, nperseg=128, stream=2)[1]),
                   ss.coherence(x, y, nperseg=128)[1], rtol=1e-12)
        self.close(self.host(xs.periodogram(px, window="hann")[1]),
                   ss.periodogram(x, window="hann")[1], rtol=1e-12)
        f, t, sxx = xs.spectrogram(px, fs=100.0, nperseg=128, stream=1)
        self.close(self.host(sxx), ss.spectrogram(x, fs=100.0, nperseg=128)[2], rtol=1e-12)
        self.close(self.host(t), ss.spectrogram(x, fs=100.0, nperseg=128)[1], rtol=1e-12)
        self.close(self.host(xs.detrend(px, stream=2)), ss.detrend(x), rtol=1e-12)
        f, t, z = xs.stft(px, nperseg=128, boundary="odd", stream=1)
        z0 = ss.stft(x, nperseg=128, boundary="odd")[2]
        self.close(self.host(z), z0, rtol=1e-12)
        self.close(self.host(xs.istft(self.on_device(z0), nperseg=128, stream=2)[1]),
                   ss.istft(z0, nperseg=128)[1], rtol=1e-12)
        # a window array on the device too
        w = ss.get_window("blackman", 150)
        self.close(self.host(xs.welch(px, window=self.on_device(w), stream=2)[1]),
                   ss.welch(x, window=w)[1], rtol=1e-12)
        # the same as the host path on the same numbers
        self.close(self.host(xs.welch(px, nperseg=300, stream=2)[1]),
                   xs.welch(x, nperseg=300)[1], rtol=1e-12)

    def test_filters_on_device(self):
        x = rng(22).standard_normal((3, 2000))
        px = self.on_device(x)
        b, a = ss.butter(4, 0.2)
        sos = ss.butter(6, [0.1, 0.3], btype="band", output="sos")
        for stream, asked in ((None, 1), (2, 2)):
            self.close(self.host(xs.filtfilt(b, a, px, stream=stream)),
                       ss.filtfilt(b, a, x), rtol=1e-12)
            self.assertEqual(px.streams[-1], asked)
            self.close(self.host(xs.sosfiltfilt(sos, px, stream=stream)),
                       ss.sosfiltfilt(sos, x), rtol=1e-12)
            self.assertEqual(px.streams[-1], asked)
        self.close(self.host(xs.filtfilt(b, a, px, method="gust", stream=1)),
                   ss.filtfilt(b, a, x, method="gust"), rtol=1e-9)
        # coefficients given as device arrays are read on the host
        self.close(self.host(xs.sosfiltfilt(xs.DeviceArray.from_numpy(sos), px)),
                   ss.sosfiltfilt(sos, x), rtol=1e-12)

    def test_no_host_copy_of_the_input(self):
        n = 1 << 16
        x = rng(23).standard_normal(n)
        px = self.on_device(x)
        sos = ss.butter(4, 0.1, output="sos")
        for call in (lambda: xs.welch(px, nperseg=4096, stream=2),
                     lambda: xs.csd(px, px, nperseg=4096),
                     lambda: xs.sosfiltfilt(sos, px, stream=2)):
            before = xs.provider_stats("cuda")
            out = call()
            after = xs.provider_stats("cuda")
            up = after["upload_bytes"] - before["upload_bytes"]
            down = after["download_bytes"] - before["download_bytes"]
            # windows, frequencies and filter states may go up; the data never
            # comes down nor goes up again
            self.assertLess(up, x.nbytes // 4)
            self.assertLess(down, x.nbytes // 4)
            del out

    def test_stream_set_for_the_call_and_reset(self):
        x = rng(24).standard_normal(1000)
        px = self.on_device(x)
        calls = []
        real = _lib.set_stream

        def record(p, s):
            calls.append((_lib.lib.xp_provider_name(p).decode(), s))
            return real(p, s)
        with mock.patch.object(_lib, "set_stream", side_effect=record):
            xs.welch(px, nperseg=100)
            self.assertEqual(calls, [("cuda", 1), ("cuda", None)])
            del calls[:]
            xs.filtfilt([1.0], [1.0, -0.5], px, stream=2)
            self.assertEqual(calls, [("cuda", 2), ("cuda", None)])
            del calls[:]
            with self.assertRaisesRegex(ValueError, "noverlap"):      # a library error
                xs.welch(px, nperseg=100, noverlap=200, stream=2)
            self.assertEqual(calls, [("cuda", 2), ("cuda", None)])
            del calls[:]
            with self.assertRaisesRegex(xs.XpError, "same|device"):    # mixed devices
                xs.csd(px, x, nperseg=100, stream=2)
            self.assertEqual(calls, [("cuda", 2), ("cuda", None)])
            del calls[:]
            xs.welch(x, nperseg=100)                                  # host: untouched
            self.assertEqual(calls, [])

    def test_stream_values(self):
        x = rng(25).standard_normal(500)
        px = self.on_device(x)
        want = ss.welch(x, nperseg=64)[1]

        class CudaStreamProtocol:
            def __init__(self, h):
                self.h = h

            def __cuda_stream__(self):
                return (0, self.h)

        class CupyLikeStream:
            ptr = 0                 # the null stream: legacy default

        for s, asked in ((CudaStreamProtocol(2), 2), (CupyLikeStream(), 1)):
            self.close(self.host(xs.welch(px, nperseg=64, stream=s)[1]), want, rtol=1e-12)
            self.assertEqual(px.streams[-1], asked)
        n = len(px.streams)
        for bad, exc in ((0, ValueError), (-1, ValueError), (True, TypeError),
                         ("2", TypeError), (2.0, TypeError)):
            with self.assertRaises(exc):
                xs.welch(px, nperseg=64, stream=bad)
        self.assertEqual(len(px.streams), n)             # refused before any capsule

    def test_other_cuda_device_refused(self):
        fp = FakeProducer(np.zeros(10), device=(KDL_CUDA, 1))
        with self.assertRaisesRegex(xs.XpDeviceError, "device 1.*device 0 only"):
            xs.welch(fp, stream=2)
        self.assertEqual(fp.exports, 0)                   # refused before any capsule

    def test_legacy_producer_gets_the_stream(self):
        x = rng(26).standard_normal(700)
        px = self.on_device(x, legacy=True)
        before = dict(_dlpack.stats)
        self.close(self.host(xs.welch(px, nperseg=64, stream=2)[1]),
                   ss.welch(x, nperseg=64)[1], rtol=1e-12)
        self.assertEqual(px.streams, [2])
        self.assertEqual(_dlpack.stats["dltensor"], before["dltensor"] + 1)

    def test_device_array_results(self):
        x = rng(27).standard_normal(1200)
        d = xs.DeviceArray.from_numpy(x)
        self.assertEqual((d.shape, d.ndim, d.size, d.dtype), ((1200,), 1, 1200,
                                                              np.dtype(np.float64)))
        self.assertIn("CUDA", repr(d))
        # our own device arrays are borrowed, not consumed: usable again
        p1 = xs.welch(d, nperseg=128)[1]
        p2 = xs.welch(d, nperseg=128, stream=2)[1]
        np.testing.assert_array_equal(p1.to_numpy(), p2.to_numpy())
        self.close(xs.detrend(xs.detrend(d)).to_numpy(), ss.detrend(x), rtol=1e-12)
        self.close(d.to_numpy(), x, rtol=0)
        # a consumer takes a result over once, whatever stream it names
        ptr = _dlpack.import_array(_ConsumerAsks(p1, stream=123456789))
        try:
            self.assertEqual(lib_host(ptr, p2.shape).tolist(), p2.to_numpy().tolist())
        finally:
            _dlpack.free_array(ptr)
        self.assertRaises(BufferError, p1.__dlpack__)
        self.assertRaises(BufferError, xs.welch, p1)
        self.assertIn("exported", repr(p1))
        # NumPy cannot take device memory: it refuses (and drops the capsule,
        # which frees the array: tearDown checks that nothing leaked)
        with self.assertRaises((BufferError, RuntimeError, TypeError)):
            np.from_dlpack(p2)
        del d, p1, p2


class _ConsumerAsks:
    """Hands obj's capsule on, asking for a given consumer stream."""

    def __init__(self, obj, stream):
        self.obj, self.stream = obj, stream

    def __dlpack_device__(self):
        return self.obj.__dlpack_device__()

    def __dlpack__(self, max_version=None, stream=None):
        return self.obj.__dlpack__(stream=self.stream, max_version=max_version)


def lib_host(ptr, shape):
    out = np.empty(shape)
    _lib.check(_lib.lib.xp_array_to_host(ptr, out.ctypes.data, out.nbytes))
    return out


if __name__ == "__main__":
    unittest.main()
