#!/usr/bin/env python3
"""Golden vectors for tests/check_filter.c from scipy.signal's filtering
functions: lfilter, sosfilt (with and without zi), lfilter_zi, sosfilt_zi,
filtfilt (method pad with every padtype and several padlen, method gust
with several irlen) and sosfiltfilt.

Run with /opt/scipy-venv/bin/python (SciPy 1.17) to reproduce the committed
file; it writes filter.txt next to this script.

Designs: butter, cheby1 (1 dB ripple) and ellip (1 dB, 40 dB) of orders
1..8, lowpass (0.2), highpass (0.3) and bandpass (0.2, 0.45), in ba and sos
form, plus a FIR (firwin, 9 taps), ba pairs of unequal lengths (one with
a[0] = 2) and an unstable a (poles 2 and 0.5: SciPy filters it anyway).
Gustafsson's method is also run with fewer equations than unknowns (signal
or irlen shorter than the order), where SciPy's lstsq gives the
minimum-norm initial conditions.

Which cases are kept.  The test compares at 1e-10 relative, float32
input included (SciPy and libxpsignal filter it in float64 and return
float64; SciPy's float32 padded ends are reproduced).  A tolerance only means something when
SciPy's own result is far more accurate than that, so every case's float64
rounding error is estimated by running the same algorithm in long double
(80-bit) and comparing: est = max |scipy - longdouble| / max |longdouble|.
A case is kept only when est <= 1e-12 (a 100x margin: any other correct
float64 implementation lands within a few est of SciPy).  float32 cases
are kept by a stricter rule written when they were filtered in float32:
est * 2^29 (the ratio of the epsilons) plus the effect of rounding the
coefficients to float32 must be <= 1e-5, so every kept case is also far
inside 1e-10.  High-order ba
band-pass (and high-order narrow ba low-pass) designs fail this: their ba
polynomials are so ill-conditioned that SciPy differs from the exact result
at 1e-12 .. 1e-9, so they are covered in sos form only.  Dropped cases are
listed in '#' lines of the output with their estimate.

Inputs are not stored: they are made on both sides by the same generator
(tests/testutil.c's xpt_random, a xorshift64, reproduced bit for bit below).

Format ('#' lines are comments):
  b NAME NB NA          a ba design; the next line holds b (NB values),
                        the line after a (NA values), exact (repr)
  s NAME NSEC           an sos design; the next line holds NSEC*6 values
  c ID KEY=VALUE ...    a case; keys:
      fn=lfilter|sosfilt|lfilter_zi|sosfilt_zi|filtfilt|sosfiltfilt
      d=NAME          the design (ba for lfilter/filtfilt, sos otherwise)
      x=DT:SEED:SHAPE[:OFFSET[:RAMP]]   DT f32 f64 c128; SHAPE "3x64".
          Values: v = xpt_random(SEED) over the flat C-order elements
          (re, im interleaved for complex), then on the (real part of)
          element i: v += OFFSET + RAMP * i / size; then a cast to DT.
      axis=A          (default -1)
      zi=SEED         initial state of the required shape made like x
                      (same dtype; OFFSET 0); outputs y and zf
      padtype=odd|even|constant|none  padlen=N (absent: None)
      method=pad|gust irlen=N (absent: None)
      est=E           the estimated float64 (or float32) error of SciPy
  o NAME K NDIM D1 .. DNDIM   an output: y, zf or zi; K r or c (complex,
  VALUES                      re im interleaved); '%.17g' values
"""
import os
import sys

VENV_PYTHON = "/opt/scipy-venv/bin/python"
try:
    import scipy  # noqa: F401
except ImportError:
    if os.path.exists(VENV_PYTHON) and not os.environ.get("GEN_FILTER_REEXEC"):
        os.environ["GEN_FILTER_REEXEC"] = "1"
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    raise

import numpy as np
import scipy
from scipy import signal

MASK = (1 << 64) - 1
LD = np.longdouble
CLD = np.clongdouble
KEEP64 = 1e-12
KEEP32 = 1e-5
EPS_RATIO = 2.0 ** 29       # eps(float32) / eps(float64)


def xrand(n, seed):
    """tests/testutil.c's xpt_random: n values in [-1, 1)."""
    s = 0x9E3779B97F4A7C15 ^ seed
    out = np.empty(n)
    for i in range(n):
        s ^= (s << 13) & MASK
        s ^= s >> 7
        s ^= (s << 17) & MASK
        out[i] = (s >> 11) / 4503599627370496.0 - 1.0
    return out


DTYPES = {"f32": np.float32, "f64": np.float64, "c128": np.complex128}


def make(dt, seed, shape, offset=0.0, ramp=0.0):
    size = int(np.prod(shape))
    cplx = dt[0] == "c"
    w = 2 if cplx else 1
    v = xrand(size * w, seed)
    v[::w] = v[::w] + offset + ramp * np.arange(size, dtype=np.float64) / float(size)
    a = v[0::2] + 1j * v[1::2] if cplx else v
    return a.reshape(shape).astype(DTYPES[dt])


def parse_x(text):
    p = text.split(":")
    shape = tuple(int(d) for d in p[2].split("x"))
    return make(p[0], int(p[1]), shape, float(p[3]) if len(p) > 3 else 0.0,
                float(p[4]) if len(p) > 4 else 0.0)


def fmt(v):
    v = np.asarray(v)
    if np.iscomplexobj(v):
        v = np.stack([v.real, v.imag], axis=-1)
    return " ".join("%.17g" % float(t) for t in v.ravel())


def exact(v):
    return " ".join(repr(float(t)) for t in np.asarray(v).ravel())


# ------------------------------------------------------------- designs

BANDS = {"low": 0.2, "high": 0.3, "band": [0.2, 0.45]}
BTYPE = {"low": "lowpass", "high": "highpass", "band": "bandpass"}


def design(fam, order, band, output):
    w, bt = BANDS[band], BTYPE[band]
    if fam == "butter":
        return signal.butter(order, w, bt, output=output)
    if fam == "cheby1":
        return signal.cheby1(order, 1, w, bt, output=output)
    return signal.ellip(order, 1, 40, w, bt, output=output)


# ------------------------------------------- long double references
# The same algorithms as SciPy's, in 80-bit long double, to estimate how far
# SciPy's float64 result is from the exact one.

def ld(v):
    v = np.asarray(v)
    return v.astype(CLD if np.iscomplexobj(v) else LD)


def solve_ld(A, r):
    """Gaussian elimination with partial pivoting in long double."""
    A = A.astype(LD).copy()
    r = r.astype(LD).copy()
    n = len(r)
    for k in range(n):
        p = k + int(np.argmax(np.abs(A[k:, k])))
        A[[k, p]] = A[[p, k]]
        r[[k, p]] = r[[p, k]]
        for i in range(k + 1, n):
            f = A[i, k] / A[k, k]
            A[i, k:] -= f * A[k, k:]
            r[i] -= f * r[k]
    for k in range(n - 1, -1, -1):
        r[k] = (r[k] - np.dot(A[k, k + 1:], r[k + 1:])) / A[k, k]
    return r


def lfilter_zi_ld(b, a):
    b, a = ld(b), ld(a)
    n = max(len(a), len(b))
    bb = np.zeros(n, LD)
    aa = np.zeros(n, LD)
    bb[:len(b)] = b / a[0]
    aa[:len(a)] = a / a[0]
    k = n - 1
    M = np.eye(k, dtype=LD)
    M[:, 0] += aa[1:]
    for i in range(k - 1):
        M[i, i + 1] -= 1
    return solve_ld(M, bb[1:] - aa[1:] * bb[0])


def sosfilt_zi_ld(sos):
    sos = ld(sos)
    zi = np.zeros((len(sos), 2), LD)
    scale = LD(1)
    for s, row in enumerate(sos):
        zi[s] = scale * lfilter_zi_ld(row[:3], row[3:])
        scale *= row[:3].sum() / row[3:].sum()
    return zi


def ext_ld(x, padtype, padlen, ntaps, axis):
    edge = 0 if padtype is None else (3 * ntaps if padlen is None else padlen)
    if padtype is None or edge == 0:
        return edge, x
    f = {"odd": signal._arraytools.odd_ext, "even": signal._arraytools.even_ext,
         "constant": signal._arraytools.const_ext}[padtype]
    return edge, f(x, edge, axis=axis)


def twice(filt, zi, x, axis, edge):
    """Forward-backward over the extended x with states zi * end value."""
    x = np.moveaxis(x, axis, -1)
    zshape = zi.shape
    z0 = zi.reshape(zshape[:-1] + (1,) * (x.ndim - 1) + zshape[-1:]) * x[..., :1]
    y = filt(x, z0)
    z1 = zi.reshape(zshape[:-1] + (1,) * (x.ndim - 1) + zshape[-1:]) * y[..., -1:]
    y = filt(y[..., ::-1], z1)[..., ::-1]
    if edge:
        y = y[..., edge:-edge]
    return np.moveaxis(y, -1, axis)


def filtfilt_ld(b, a, x, axis, padtype, padlen):
    b, a, x = ld(b), ld(a), ld(x)
    edge, e = ext_ld(x, padtype, padlen, max(len(a), len(b)), axis)
    zi = lfilter_zi_ld(b, a)
    return twice(lambda v, z: signal.lfilter(b, a, v, axis=-1, zi=z)[0], zi, e, axis, edge)


def sosfiltfilt_ld(sos, x, axis, padtype, padlen):
    sos, x = ld(sos), ld(x)
    n = len(sos)
    ntaps = 2 * n + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum())
    edge, e = ext_ld(x, padtype, padlen, ntaps, axis)
    zi = sosfilt_zi_ld(sos)
    ev = np.moveaxis(e, axis, -1)

    def state(endv):            # the end values [..., 1] -> states [n, ..., 2]
        return zi.reshape((n,) + (1,) * (ev.ndim - 1) + (2,)) * endv[None]
    y = signal.sosfilt(sos, ev, axis=-1, zi=state(ev[..., :1]))[0]
    y = signal.sosfilt(sos, y[..., ::-1], axis=-1, zi=state(y[..., -1:]))[0][..., ::-1]
    if edge:
        y = y[..., edge:-edge]
    return np.moveaxis(y, -1, axis)


def qr_ld(M):
    """Thin QR of a full column rank M by Gram-Schmidt with
    reorthogonalization, in long double."""
    m, c = M.shape
    Q = np.zeros((m, c), LD)
    R = np.zeros((c, c), LD)
    for j in range(c):
        v = M[:, j].copy()
        for _ in range(2):
            h = Q[:, :j].T @ v
            v -= Q[:, :j] @ h
            R[:j, j] += h
        R[j, j] = np.sqrt(np.sum(v * v))
        Q[:, j] = v / R[j, j]
    return Q, R


def lstsq_ld(M, B):
    """The least-squares solution of M X = B (the minimum-norm one when M
    is wide, as LAPACK's gelsd gives for full row rank), long double."""
    M = M.astype(LD)
    r, c = M.shape
    if r >= c:
        Q, R = qr_ld(M)
        rhs = Q.T @ B
        X = np.zeros((c,) + B.shape[1:], B.dtype)
        for j in range(c - 1, -1, -1):
            X[j] = (rhs[j] - R[j, j + 1:] @ X[j + 1:]) / R[j, j]
        return X
    Q, R = qr_ld(M.T)               # M = R^T Q^T: X = Q R^-T B
    T = np.zeros(B.shape, B.dtype)
    for j in range(r):
        T[j] = (B[j] - R[:j, j] @ T[:j]) / R[j, j]
    return Q @ T


def gust_ld(b, a, x, axis, irlen):
    """Gustafsson's filtfilt (as SciPy's _filtfilt_gust) in long double."""
    b, a, x = ld(b), ld(a), ld(x)
    k = max(len(a), len(b)) - 1
    x = np.moveaxis(x, axis, -1)
    n = x.shape[-1]
    m = n if irlen is None or n <= 2 * irlen else irlen
    z = np.zeros(k, LD)
    z[0] = 1
    O = np.zeros((m, k), LD)
    O[:, 0] = signal.lfilter(b, a, np.zeros(m, LD), zi=z)[0]
    for j in range(1, k):
        O[j:, j] = O[:-j, 0]
    S = signal.lfilter(b, a, O[::-1], axis=0)
    if m == n:
        M = np.hstack((S[::-1] - O, O[::-1] - S))
        W = np.hstack((S[::-1], O[::-1]))
    else:
        M = np.zeros((2 * m, 2 * k), LD)
        W = np.zeros((2 * m, 2 * k), LD)
        M[:m, :k], M[m:, k:] = S[::-1] - O, O[::-1] - S
        W[:m, :k], W[m:, k:] = S[::-1], O[::-1]
    yfb = signal.lfilter(b, a, signal.lfilter(b, a, x)[..., ::-1])[..., ::-1]
    ybf = signal.lfilter(b, a, signal.lfilter(b, a, x[..., ::-1])[..., ::-1])
    d = ybf - yfb
    if m < n:
        d = np.concatenate((d[..., :m], d[..., -m:]), axis=-1)
    d2 = d.reshape(-1, d.shape[-1]).T
    ic = lstsq_ld(M, d2).T.reshape(d.shape[:-1] + (2 * k,))
    wic = ic @ W.T
    y = yfb.copy()
    if m == n:
        y += wic
    else:
        y[..., :m] += wic[..., :m]
        y[..., -m:] += wic[..., -m:]
    return np.moveaxis(y, -1, axis)


def relerr(a, ref):
    a = np.asarray(a)
    ref = np.asarray(ref)
    s = np.max(np.abs(ref)) if ref.size else 0
    if ref.size == 0:
        return 0.0
    return float(np.max(np.abs(a.astype(ref.dtype) - ref)) / (s if s > 0 else 1e-300))


# ------------------------------------------------------------- cases

class Out:
    def __init__(self):
        self.lines = []
        self.dropped = []
        self.nid = 0
        self.designs = {}

    def ba(self, name, b, a):
        if name not in self.designs:
            self.designs[name] = (np.asarray(b, float), np.asarray(a, float))
            self.lines.append("b %s %d %d" % (name, len(b), len(a)))
            self.lines.append(exact(b))
            self.lines.append(exact(a))
        return name

    def sos(self, name, sos):
        if name not in self.designs:
            self.designs[name] = np.asarray(sos, float)
            self.lines.append("s %s %d" % (name, len(sos)))
            self.lines.append(exact(sos))
        return name

    def case(self, desc, est, single, outs):
        keep = est <= (KEEP32 if single else KEEP64)
        if not keep:
            self.dropped.append("# dropped (est %.1e): %s" % (est, desc))
            return
        self.nid += 1
        self.lines.append("c %d %s est=%.1e" % (self.nid, desc, est))
        for name, v in outs:
            v = np.asarray(v)
            self.lines.append("o %s %s %d %s" % (name, "c" if np.iscomplexobj(v) else "r",
                                                  v.ndim, " ".join(str(d) for d in v.shape)))
            self.lines.append(fmt(v))


def f32_est(est64, ref, requant):
    """est for a float32 run: float64 rounding scaled by the epsilon ratio
    plus the effect of float32 coefficients (requant: the float64 result
    with coefficients rounded to float32)."""
    return est64 * EPS_RATIO + relerr(requant, ref)


def r32(v):
    return np.asarray(v, np.float32).astype(np.float64)


def zi_state(xdt, seed, shape):
    return make(xdt, seed, shape)


def add_lfilter(out, name, b, a, xtext, axis=-1, zseed=None):
    x = parse_x(xtext)
    xdt = xtext.split(":")[0]
    k = max(len(a), len(b)) - 1
    desc = "fn=lfilter d=%s x=%s axis=%d" % (name, xtext, axis)
    if zseed is not None:
        zs = list(x.shape)
        zs[axis] = k
        zi = zi_state(xdt, zseed, tuple(zs))
        desc += " zi=%d" % zseed
        y, zf = signal.lfilter(b, a, x, axis=axis, zi=zi)
        yl, zl = signal.lfilter(ld(b), ld(a), ld(x), axis=axis, zi=ld(zi))
        est = max(relerr(y, yl), relerr(zf, zl))
        outs = [("y", y), ("zf", zf)]
        if xdt == "f32":
            yq, zq = signal.lfilter(r32(b), r32(a), x, axis=axis, zi=zi)
            est = max(f32_est(est, y, yq), f32_est(est, zf, zq))
    else:
        y = signal.lfilter(b, a, x, axis=axis)
        est = relerr(y, signal.lfilter(ld(b), ld(a), ld(x), axis=axis))
        outs = [("y", y)]
        if xdt == "f32":
            est = f32_est(est, y, signal.lfilter(r32(b), r32(a), x, axis=axis))
    out.case(desc, est, xdt == "f32", outs)


def add_sosfilt(out, name, sos, xtext, axis=-1, zseed=None):
    x = parse_x(xtext)
    xdt = xtext.split(":")[0]
    desc = "fn=sosfilt d=%s x=%s axis=%d" % (name, xtext, axis)
    if zseed is not None:
        zs = list(x.shape)
        zs[axis] = 2
        zi = zi_state(xdt, zseed, tuple([len(sos)] + zs))
        desc += " zi=%d" % zseed
        y, zf = signal.sosfilt(sos, x, axis=axis, zi=zi)
        yl, zl = signal.sosfilt(ld(sos), ld(x), axis=axis, zi=ld(zi))
        est = max(relerr(y, yl), relerr(zf, zl))
        outs = [("y", y), ("zf", zf)]
        if xdt == "f32":
            yq, zq = signal.sosfilt(r32(sos), x, axis=axis, zi=zi)
            est = max(f32_est(est, y, yq), f32_est(est, zf, zq))
    else:
        y = signal.sosfilt(sos, x, axis=axis)
        est = relerr(y, signal.sosfilt(ld(sos), ld(x), axis=axis))
        outs = [("y", y)]
        if xdt == "f32":
            est = f32_est(est, y, signal.sosfilt(r32(sos), x, axis=axis))
    out.case(desc, est, xdt == "f32", outs)


def add_zi(out, name, d):
    if isinstance(d, tuple):
        b, a = d
        if max(len(a), len(b)) < 2:
            return
        zi = signal.lfilter_zi(b, a)
        out.case("fn=lfilter_zi d=%s" % name, relerr(zi, lfilter_zi_ld(b, a)), False,
                 [("zi", zi)])
    else:
        zi = signal.sosfilt_zi(d)
        out.case("fn=sosfilt_zi d=%s" % name, relerr(zi, sosfilt_zi_ld(d)), False,
                 [("zi", zi)])


def ff_desc(fn, name, xtext, axis, padtype, padlen, method, irlen):
    s = "fn=%s d=%s x=%s axis=%d" % (fn, name, xtext, axis)
    if method == "gust":
        s += " method=gust"
        if irlen is not None:
            s += " irlen=%d" % irlen
        return s
    s += " padtype=%s" % (padtype or "none")
    if padlen is not None:
        s += " padlen=%d" % padlen
    return s


def add_filtfilt(out, name, b, a, xtext, axis=-1, padtype="odd", padlen=None,
                 method="pad", irlen=None):
    x = parse_x(xtext)
    xdt = xtext.split(":")[0]
    if method == "gust":
        y = signal.filtfilt(b, a, x, axis=axis, method="gust", irlen=irlen)
        yl = gust_ld(b, a, x, axis, irlen)
        yq = signal.filtfilt(r32(b), r32(a), x, axis=axis, method="gust", irlen=irlen)
    else:
        y = signal.filtfilt(b, a, x, axis=axis, padtype=padtype, padlen=padlen)
        yl = filtfilt_ld(b, a, x, axis, padtype, padlen)
        yq = signal.filtfilt(r32(b), r32(a), x, axis=axis, padtype=padtype, padlen=padlen)
    est = relerr(y, yl)
    if xdt == "f32":
        est = f32_est(est, y, yq)
    out.case(ff_desc("filtfilt", name, xtext, axis, padtype, padlen, method, irlen), est,
             xdt == "f32", [("y", y)])


def add_sosfiltfilt(out, name, sos, xtext, axis=-1, padtype="odd", padlen=None):
    x = parse_x(xtext)
    xdt = xtext.split(":")[0]
    y = signal.sosfiltfilt(sos, x, axis=axis, padtype=padtype, padlen=padlen)
    est = relerr(y, sosfiltfilt_ld(sos, x, axis, padtype, padlen))
    if xdt == "f32":
        est = f32_est(est, y, signal.sosfiltfilt(r32(sos), x, axis=axis, padtype=padtype,
                                                 padlen=padlen))
    out.case(ff_desc("sosfiltfilt", name, xtext, axis, padtype, padlen, "pad", None), est,
             xdt == "f32", [("y", y)])


PADS = [(p, l) for p in ("odd", "even", "constant") for l in (0, 5, None)] + [(None, None)]


def main():
    out = Out()
    seed = 1000
    all_designs = []
    for fam in ("butter", "cheby1", "ellip"):
        for band in ("low", "high", "band"):
            for order in range(1, 9):
                nm = "%s%d%s" % (fam, order, band)
                b, a = design(fam, order, band, "ba")
                sos = design(fam, order, band, "sos")
                all_designs.append((fam, band, order, nm, b, a, sos))
    # per design: lfilter and sosfilt with and without zi, the steady states
    for i, (fam, band, order, nm, b, a, sos) in enumerate(all_designs):
        seed += 10
        nb = out.ba(nm + "_ba", b, a)
        ns = out.sos(nm + "_sos", sos)
        add_lfilter(out, nb, b, a, "f64:%d:48:0.5" % seed)
        add_sosfilt(out, ns, sos, "f64:%d:48:0.5" % (seed + 1))
        if i % 2:
            add_lfilter(out, nb, b, a, "f64:%d:2x32" % (seed + 2), -1, seed + 3)
            add_sosfilt(out, ns, sos, "f64:%d:32x2" % (seed + 4), 0, seed + 5)
        else:
            add_lfilter(out, nb, b, a, "f64:%d:32x2" % (seed + 2), 0, seed + 3)
            add_sosfilt(out, ns, sos, "f64:%d:2x32" % (seed + 4), -1, seed + 5)
        add_zi(out, nb, (b, a))
        add_zi(out, ns, sos)
        if order in (2, 4):        # other dtypes on a subset
            add_lfilter(out, nb, b, a, "f32:%d:40:0.5" % (seed + 6))
            add_sosfilt(out, ns, sos, "f32:%d:40:0.5" % (seed + 6))
            add_lfilter(out, nb, b, a, "c128:%d:40" % (seed + 7), -1, seed + 8)
            add_sosfilt(out, ns, sos, "c128:%d:40" % (seed + 7), -1, seed + 9)
    # odd shapes of ba: FIR, unequal lengths, a[0] != 1
    fir = signal.firwin(9, 0.3)
    out.ba("fir9", fir, [1.0])
    ub, ua = [0.5, 0.25], [1.0, -0.6, 0.2, -0.05]
    out.ba("uneq", ub, ua)
    out.ba("uneq2", [0.2, 0.3, 0.1, 0.05, 0.02], [2.0, -0.8])
    extra = [("fir9", fir, [1.0]), ("uneq", ub, ua), ("uneq2", [0.2, 0.3, 0.1, 0.05, 0.02], [2.0, -0.8])]
    for nm, b, a in extra:
        seed += 10
        add_lfilter(out, nm, b, a, "f64:%d:48:0.5" % seed)
        add_lfilter(out, nm, b, a, "f64:%d:3x20" % (seed + 1), -1, seed + 2)
        add_zi(out, nm, (b, a))
    # unstable a (poles 2 and 0.5): SciPy filters anyway, the output grows
    ua2 = [1.0, -2.5, 1.0]
    out.ba("unstable", [1.0, 0.5], ua2)
    seed += 10
    add_lfilter(out, "unstable", [1.0, 0.5], ua2, "f64:%d:30:0.5" % seed)
    add_lfilter(out, "unstable", [1.0, 0.5], ua2, "f64:%d:2x20" % (seed + 1), -1, seed + 2)
    add_zi(out, "unstable", ([1.0, 0.5], ua2))
    add_filtfilt(out, "unstable", [1.0, 0.5], ua2, "f64:%d:20:1.0" % seed, -1, None)
    add_filtfilt(out, "unstable", [1.0, 0.5], ua2, "f64:%d:20:1.0" % seed, -1, "odd", 3)
    # filtfilt / sosfiltfilt: every padtype and padlen, both methods
    ff = [d for d in all_designs if (d[1], d[2]) in
          (("low", 1), ("low", 4), ("low", 8), ("high", 3), ("band", 2), ("band", 6))]
    ff_ba = [(d[3] + "_ba", d[4], d[5]) for d in ff] + extra
    for nm, b, a in ff_ba:
        seed += 10
        xt = "f64:%d:64:1.0:0.5" % seed
        for padtype, padlen in PADS:
            add_filtfilt(out, nm, b, a, xt, -1, padtype, padlen)
        for irlen in (None, 10, 25, 40):
            add_filtfilt(out, nm, b, a, xt, -1, method="gust", irlen=irlen)
    for d in ff:
        seed += 10
        xt = "f64:%d:64:1.0:0.5" % seed
        for padtype, padlen in PADS:
            add_sosfiltfilt(out, d[3] + "_sos", d[6], xt, -1, padtype, padlen)
    # N-d along each axis, other dtypes
    for nm, b, a in [("butter4low_ba", *design("butter", 4, "low", "ba")),
                     ("cheby12band_ba", *design("cheby1", 2, "band", "ba")),
                     ("uneq", ub, ua)]:
        for k, (shape, axis) in enumerate((("3x64", -1), ("64x3", 0), ("2x64x3", 1))):
            seed += 10
            xt = "f64:%d:%s:1.0:0.5" % (seed, shape)
            add_filtfilt(out, nm, b, a, xt, axis)
            add_filtfilt(out, nm, b, a, xt, axis, "even", 5)
            add_filtfilt(out, nm, b, a, xt, axis, method="gust")
            add_filtfilt(out, nm, b, a, xt, axis, method="gust", irlen=20)
        for dt in ("f32", "c128"):
            seed += 10
            xt = "%s:%d:2x64:1.0:0.5" % (dt, seed)
            add_filtfilt(out, nm, b, a, xt, -1)
            add_filtfilt(out, nm, b, a, xt, -1, "constant", 0)
            add_filtfilt(out, nm, b, a, xt, -1, method="gust")
            add_filtfilt(out, nm, b, a, xt, -1, method="gust", irlen=15)
    for nm, sos in [("butter4low_sos", design("butter", 4, "low", "sos")),
                    ("ellip6band_sos", design("ellip", 6, "band", "sos")),
                    ("cheby18low_sos", design("cheby1", 8, "low", "sos"))]:
        for k, (shape, axis) in enumerate((("3x64", -1), ("64x3", 0), ("2x64x3", 1))):
            seed += 10
            xt = "f64:%d:%s:1.0:0.5" % (seed, shape)
            add_sosfiltfilt(out, nm, sos, xt, axis)
            add_sosfiltfilt(out, nm, sos, xt, axis, "even", 5)
            add_sosfilt(out, nm, sos, xt, axis, seed + 1)
        for dt in ("f32", "c128"):
            seed += 10
            xt = "%s:%d:2x64:1.0:0.5" % (dt, seed)
            add_sosfiltfilt(out, nm, sos, xt, -1)
            add_sosfiltfilt(out, nm, sos, xt, -1, None)
    for nm, b, a in [("butter4low_ba", *design("butter", 4, "low", "ba"))]:
        seed += 10
        add_lfilter(out, nm, b, a, "f64:%d:2x40x3:0.3" % seed, 1, seed + 1)
    # gust with fewer equations than unknowns (signal or irlen shorter than
    # the order): SciPy's lstsq gives the minimum-norm initial conditions
    for nm, b, a in [("butter4low_ba", *design("butter", 4, "low", "ba")),
                     ("cheby12band_ba", *design("cheby1", 2, "band", "ba"))]:
        seed += 10
        add_filtfilt(out, nm, b, a, "f64:%d:2x6:1.0" % seed, -1, method="gust")
        add_filtfilt(out, nm, b, a, "f64:%d:2x30:1.0" % seed, -1, method="gust", irlen=3)
        add_filtfilt(out, nm, b, a, "c128:%d:3x7" % seed, -1, method="gust")

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filter.txt")
    with open(path, "w") as f:
        f.write("# scipy.signal filtering golden vectors, SciPy %s, numpy %s; written by "
                "gen_filter.py\n" % (scipy.__version__, np.__version__))
        f.write("# %d cases kept; %d dropped as too ill-conditioned for the tolerance\n"
                % (out.nid, len(out.dropped)))
        for line in out.dropped:
            f.write(line + "\n")
        for line in out.lines:
            f.write(line + "\n")
    print("%s: %d cases, %d dropped" % (path, out.nid, len(out.dropped)))


if __name__ == "__main__":
    main()
