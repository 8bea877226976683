/*
 * xps.h -- the signal layer of libxpsignal: scipy.signal's spectral
 * estimation and filtering, written once against xp_ops.
 */
#ifndef XPS_H
#define XPS_H

#include "xp.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(XP_BUILDING) && defined(__GNUC__)
#define XPS_API __attribute__((visibility("default")))
#else
#define XPS_API
#endif

/* ---------------------------------------------------------------- windows
 * Every window of scipy.signal.windows by name, with SciPy's parameters in
 * SciPy's order and SciPy's defaults for parameters left out.  sym = 1 gives
 * the symmetric window (SciPy's sym=True, filter design); sym = 0 the
 * periodic one (get_window's default fftbins=True, spectral analysis): the
 * symmetric window of M + 1 points without its last.  M = 0 gives no
 * values, M = 1 the value 1.
 *
 * Names and parameters (SciPy's aliases are accepted too, and a suffix
 * "_symmetric" or "_periodic" overrides sym / fftbins):
 *   boxcar triang parzen bohman blackman nuttall blackmanharris flattop
 *   bartlett barthann hamming hann cosine lanczos      no parameters
 *   tukey [alpha = 0.5]
 *   exponential [center = None, tau = 1]   None is NaN; sym needs None
 *   taylor [nbar = 4, sll = 30, norm = 1]  nbar a positive integer
 *   kaiser beta, kaiser_bessel_derived beta (sym only, M even),
 *   gaussian std, general_gaussian p sig, general_hamming alpha,
 *   chebwin at, general_cosine a[0] a[1] ... (up to 16 coefficients),
 *   dpss NW (the first taper, 'approximate' norm: see xps_window_dpss). */

#define XPS_WINDOW_MAXPARAMS 16

typedef struct {
    size_t size;                        /* sizeof(xps_window_spec) */
    char name[32];                      /* "hann", "tukey", ...; "" with array */
    int nparams;                        /* 0 .. XPS_WINDOW_MAXPARAMS */
    double params[XPS_WINDOW_MAXPARAMS];
    const xp_array *array;              /* explicit 1-D window, or NULL */
} xps_window_spec;

/* spec: "hann" by default. */
XPS_API void xps_window_spec_init(xps_window_spec *spec);
/* For callers whose struct may be another version's (FFI bindings that
 * declare it themselves): initialize size bytes, the caller's sizeof, from
 * the first published layout's size on; bytes this library does not know
 * are zeroed.  The plain init writes this library's sizeof. */
XPS_API int xps_window_spec_init_sized(xps_window_spec *spec, size_t size);
/* Parse "name[,p1[,p2...]]" (e.g. "tukey,0.25", "kaiser,8.6",
 * "general_cosine,0.5,0.5", "exponential,None,3") into a whole new spec;
 * a bare number is a Kaiser beta, as in get_window(8.6, M).  Parameters
 * are numbers, None (NaN), True or False.  The name and the number of
 * parameters are checked; spec is unchanged on error. */
XPS_API int xps_window_spec_parse(const char *text, xps_window_spec *spec);
/* M values of the named window into out[M] (host memory); M >= 0;
 * params[nparams] as in the list above, None as NaN. */
XPS_API int xps_window(const char *name, const double *params, int nparams,
                       int64_t M, int sym, double *out);
/* get_window(spec, M, fftbins): a new 1-D array [M] of dtype (float32 or
 * float64) on p; M >= 1 (as SciPy's get_window).  A spec with an array
 * takes a copy of it: 1-D, length M, real, on p. */
XPS_API int xps_get_window(const xps_window_spec *spec, int64_t M, int fftbins,
                           const xp_provider *p, xp_dtype dtype, xp_array **out);

/* Normalizations of the dpss tapers (SciPy's norm argument). */
enum {
    XPS_DPSS_NORM_APPROXIMATE = 1,  /* 'approximate': SciPy's default for Kmax=None */
    XPS_DPSS_NORM_L2 = 2,           /* 2: unit energy; SciPy's default for a given Kmax */
    XPS_DPSS_NORM_SUBSAMPLE = 3     /* 'subsample' */
};

/* Slepian tapers: tapers[Kmax][M] (row-major) and, if ratios is non-NULL,
 * their concentration ratios[Kmax]; 0 < NW < M/2, 1 <= Kmax <= M (for
 * M <= 1 every value is 1).  SciPy's dpss(M, NW) with Kmax=None is
 * Kmax = 1 with XPS_DPSS_NORM_APPROXIMATE; signs as SciPy's: even tapers
 * sum positive, odd ones start positive.  norm: XPS_DPSS_NORM_*; the
 * non-L2 norms scale all tapers by one common factor, as SciPy does. */
XPS_API int xps_window_dpss(int64_t M, double NW, int64_t Kmax, int sym,
                            int norm, double *tapers, double *ratios);

/* ------------------------------------------------------ spectral estimation
 * periodogram, welch, csd, coherence, spectrogram with scipy.signal's
 * arguments and defaults.  Inputs are any-dimensional arrays on any
 * provider; the transform runs along opt->axis and outputs are new arrays on
 * the input's provider (the caller frees them).  f and t outputs may be
 * NULL when not wanted.
 *
 * float32 input: segments are transformed in float32 but spectra are
 * accumulated and scaled in float64 and returned as float64, because
 * LIGO-scale strain (1e-21) has PSDs (1e-46) below float32's range, where
 * SciPy returns zeros; set float32_output = 1 for SciPy's float32 result. */

typedef enum {
    XPS_DETREND_NONE = 0,       /* detrend=False */
    XPS_DETREND_CONSTANT = 1,   /* subtract the mean */
    XPS_DETREND_LINEAR = 2      /* subtract the least-squares line */
} xps_detrend_type;

typedef enum {
    XPS_SCALING_DENSITY = 0,    /* V**2/Hz */
    XPS_SCALING_SPECTRUM = 1    /* V**2 */
} xps_scaling;

typedef enum {
    XPS_AVERAGE_MEAN = 0,
    XPS_AVERAGE_MEDIAN = 1,     /* with SciPy's median bias correction */
    XPS_AVERAGE_MEDIAN_MEAN = 2 /* LIGO's: mean of the even and odd medians */
} xps_average;

typedef enum {
    XPS_MODE_PSD = 0,
    XPS_MODE_COMPLEX = 1,
    XPS_MODE_MAGNITUDE = 2,
    XPS_MODE_ANGLE = 3,
    XPS_MODE_PHASE = 4
} xps_mode;

/* stft's extension of each end by nperseg / 2 samples (SciPy's boundary). */
typedef enum {
    XPS_BOUNDARY_NONE = 0,      /* None (every function but stft) */
    XPS_BOUNDARY_EVEN = 1,      /* 'even': mirrored */
    XPS_BOUNDARY_ODD = 2,       /* 'odd': mirrored through the end sample */
    XPS_BOUNDARY_CONSTANT = 3,  /* 'constant': the end sample repeated */
    XPS_BOUNDARY_ZEROS = 4      /* 'zeros': stft's default */
} xps_boundary;

typedef struct {
    size_t size;                /* sizeof(xps_spectral_options) */
    double fs;                  /* sampling frequency, > 0; 1.0 */
    xps_window_spec window;     /* "hann" (spectrogram: tukey 0.25; periodogram: boxcar) */
    int64_t nperseg;            /* 0 = None: 256, or the window array's length */
    int64_t noverlap;           /* -1 = None: nperseg / 2 (spectrogram: nperseg / 8) */
    int64_t nfft;               /* 0 = None: nperseg */
    xps_detrend_type detrend;   /* constant */
    int return_onesided;        /* 1 (complex input always gives two-sided) */
    xps_scaling scaling;        /* density */
    int axis;                   /* -1 */
    xps_average average;        /* mean (welch, csd) */
    xps_mode mode;              /* psd (spectrogram) */
    int float32_output;         /* 0: float32 input gives float64 output */
    int reserved0;              /* the first layout's tail padding: ignored */
    /* appended in 0.2 (stft only; the others require none and 0) */
    xps_boundary boundary;      /* none (stft: zeros) */
    int padded;                 /* 0 (stft: 1): zeros to a whole last segment */
} xps_spectral_options;

XPS_API void xps_welch_options_init(xps_spectral_options *opt);       /* also csd, coherence */
XPS_API void xps_periodogram_options_init(xps_spectral_options *opt);
XPS_API void xps_spectrogram_options_init(xps_spectral_options *opt);
XPS_API void xps_stft_options_init(xps_spectral_options *opt);
/* The same for callers whose struct may be another version's: see
 * xps_window_spec_init_sized. */
XPS_API int xps_welch_options_init_sized(xps_spectral_options *opt, size_t size);
XPS_API int xps_periodogram_options_init_sized(xps_spectral_options *opt, size_t size);
XPS_API int xps_spectrogram_options_init_sized(xps_spectral_options *opt, size_t size);
XPS_API int xps_stft_options_init_sized(xps_spectral_options *opt, size_t size);

/* f: [nfreq] float64; Pxx: x's shape with opt->axis replaced by nfreq. */
XPS_API int xps_welch(const xp_array *x, const xps_spectral_options *opt,
                      xp_array **f, xp_array **Pxx);
/* Cross spectral density conj(X) Y; x and y broadcast over their other
 * axes, the shorter zero-padded along axis.  Pxy is complex. */
XPS_API int xps_csd(const xp_array *x, const xp_array *y,
                    const xps_spectral_options *opt, xp_array **f, xp_array **Pxy);
/* |Pxy|^2 / (Pxx Pyy), each segment's FFT used for all three. */
XPS_API int xps_coherence(const xp_array *x, const xp_array *y,
                          const xps_spectral_options *opt, xp_array **f,
                          xp_array **Cxy);
/* One segment over the whole axis; opt->nfft 0 = the axis length (shorter
 * nfft truncates the input, as SciPy). */
XPS_API int xps_periodogram(const xp_array *x, const xps_spectral_options *opt,
                            xp_array **f, xp_array **Pxx);
/* Sxx: x's shape with axis replaced by [nfreq] and a last axis [nseg];
 * complex for mode complex; t: [nseg] segment centres in seconds. */
XPS_API int xps_spectrogram(const xp_array *x, const xps_spectral_options *opt,
                            xp_array **f, xp_array **t, xp_array **Sxx);
/* scipy.signal.stft: x extended at both ends per opt->boundary, padded
 * with zeros to a whole last segment when opt->padded, then every
 * segment's spectrum scaled by sqrt(scale).  Zxx: complex, x's shape with
 * axis replaced by [nfreq] and a last axis [nseg]; t: [nseg] segment
 * centres in seconds from x's first sample. */
XPS_API int xps_stft(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
                     xp_array **t, xp_array **Zxx);
/* spectrogram and stft into the caller's result array: the shape and
 * dtype the allocating forms return (a wrong one is refused with the
 * right one in the message), on x's provider, writable, each element
 * once, no memory shared with x; f and t are new arrays (or NULL). */
XPS_API int xps_spectrogram_into(const xp_array *x, const xps_spectral_options *opt,
                                 xp_array **f, xp_array **t, const xp_array *Sxx);
XPS_API int xps_stft_into(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
                          xp_array **t, const xp_array *Zxx);

/* scipy.signal.check_COLA / check_NOLA: *ok = 1 when the window, repeated
 * every nperseg - noverlap samples, sums to a constant within tol (COLA)
 * or its squares sum above tol everywhere (NOLA: istft can invert);
 * 0 <= noverlap < nperseg; a window array must have nperseg samples.
 * SciPy's tol is 1e-10. */
XPS_API int xps_check_COLA(const xps_window_spec *window, int64_t nperseg, int64_t noverlap,
                           double tol, int *ok);
XPS_API int xps_check_NOLA(const xps_window_spec *window, int64_t nperseg, int64_t noverlap,
                           double tol, int *ok);

/* Options of istft (scipy.signal.istft's arguments), from
 * xps_istft_options_init. */
typedef struct {
    size_t size;                /* sizeof(xps_istft_options) */
    double fs;                  /* 1.0 */
    xps_window_spec window;     /* "hann" */
    int64_t nperseg;            /* 0 = None: 2 (nfreq - 1) one-sided, else nfreq */
    int64_t noverlap;           /* -1 = None: nperseg / 2 */
    int64_t nfft;               /* 0 = None: as SciPy (see xps_istft(3)) */
    int input_onesided;         /* 1: Zxx holds rfft bins, x is real */
    int boundary;               /* 1: cut nperseg / 2 samples off each end */
    int time_axis;              /* -1 */
    int freq_axis;              /* -2 */
    xps_scaling scaling;        /* spectrum ('psd' is density) */
} xps_istft_options;

XPS_API void xps_istft_options_init(xps_istft_options *opt);
XPS_API int xps_istft_options_init_sized(xps_istft_options *opt, size_t size);
/* scipy.signal.istft: the signal whose stft Zxx is, by overlap-add.  Zxx:
 * complex (real is taken as complex), >= 2 dimensions.  x: Zxx's shape
 * without freq_axis, time_axis's length replaced by the signal's; real of
 * Zxx's precision when input_onesided, else complex.  t: [that length]
 * float64 sample times. */
XPS_API int xps_istft(const xp_array *Zxx, const xps_istft_options *opt, xp_array **t,
                      xp_array **x);

/* ---------------------------------------------------------- accumulators
 * Welch and CSD over a stream: begin with the options and the shape of one
 * chunk (any length along opt->axis), feed chunks in order (segments that
 * span chunks are handled), merge accumulators of independent streams with
 * equal options, end to get what xps_welch / xps_csd would give for the
 * whole stream.  Memory is a few segments, whatever the stream's length
 * (median averaging keeps every segment's spectrum and cannot merge). */

typedef struct xps_spectral_acc xps_spectral_acc;

/* kind: what end() returns. */
typedef enum {
    XPS_ACC_WELCH = 0,          /* feed(acc, x, NULL) -> Pxx */
    XPS_ACC_CSD = 1,            /* feed(acc, x, y)    -> Pxy */
    XPS_ACC_COHERENCE = 2       /* feed(acc, x, y)    -> Cxy */
} xps_acc_kind;

/* shape: a chunk's shape (its length along opt->axis is ignored); opt->nperseg
 * must be given (> 0) or come from a window array; dtype of the chunks. */
XPS_API int xps_spectral_acc_begin(xps_acc_kind kind, const xps_spectral_options *opt,
                                   const xp_provider *p, xp_dtype dtype, int ndim,
                                   const int64_t *shape, xps_spectral_acc **out);
XPS_API int xps_spectral_acc_feed(xps_spectral_acc *acc, const xp_array *x,
                                  const xp_array *y);
/* into += from; both begun with equal kind, options, shapes and dtype. */
XPS_API int xps_spectral_acc_merge(xps_spectral_acc *into, const xps_spectral_acc *from);
/* Segments accumulated so far. */
XPS_API int64_t xps_spectral_acc_segments(const xps_spectral_acc *acc);
XPS_API int xps_spectral_acc_end(xps_spectral_acc *acc, xp_array **f, xp_array **out);
XPS_API void xps_spectral_acc_free(xps_spectral_acc *acc);
/* The state of a mean-averaged accumulator as bytes, to cross processes
 * (files, sockets, MPI): a versioned little-endian format with a checksum
 * holding the kind, resolved options, window, shape, dtype, counts and the
 * float64 sums.  buf NULL: only *len (the size needed) is set; else cap >=
 * *len.  Median averaging cannot serialize (XP_EINVAL).  Samples of an
 * unfinished segment are not kept. */
XPS_API int xps_spectral_acc_serialize(const xps_spectral_acc *acc, void *buf, size_t cap,
                                       size_t *len);
/* A new accumulator on p from len bytes of xps_spectral_acc_serialize;
 * XP_EFORMAT for a truncated, corrupted or other-version buffer. */
XPS_API int xps_spectral_acc_deserialize(const void *buf, size_t len, const xp_provider *p,
                                         xps_spectral_acc **out);
/* into += from on two serialized buffers of equal len and setup, in place
 * (a reduction operator for MPI and the like); the checksum is renewed. */
XPS_API int xps_spectral_acc_merge_serialized(void *into, const void *from, size_t len);

/* --------------------------------------------------------------- detrend */

/* scipy.signal.detrend(data, axis, type, bp, overwrite_data=False): a new
 * array; bp: nbp sorted breakpoints (indices along axis) for linear. */
XPS_API int xps_detrend(const xp_array *x, int axis, xps_detrend_type type,
                        const int64_t *bp, int64_t nbp, xp_array **out);
/* The same into the caller's y: x's shape, dtype and provider, writable,
 * each element once; y may be x itself (in place: overwrite_data=True),
 * else shares no memory with it. */
XPS_API int xps_detrend_into(const xp_array *x, int axis, xps_detrend_type type,
                             const int64_t *bp, int64_t nbp, const xp_array *y);

/* detrend of a series too long for memory, n samples along axis, given in
 * blocks (any lengths there, in order) twice: feed every block (the fits),
 * then apply to every block again (y = the block detrended; y may be x).
 * shape: a block's shape (its length along axis ignored); the blocks live
 * on p and have dtype dtype.  Memory: the fits, [pieces, rows, 2] values. */
typedef struct xps_detrend_acc xps_detrend_acc;
XPS_API int xps_detrend_acc_begin(const xp_provider *p, xp_dtype dtype, int ndim,
                                  const int64_t *shape, int axis, int64_t n,
                                  xps_detrend_type type, const int64_t *bp, int64_t nbp,
                                  xps_detrend_acc **out);
XPS_API int xps_detrend_acc_feed(xps_detrend_acc *acc, const xp_array *x);
XPS_API int xps_detrend_acc_apply(xps_detrend_acc *acc, const xp_array *x,
                                  const xp_array *y);
XPS_API void xps_detrend_acc_free(xps_detrend_acc *acc);

/* ------------------------------------------------------------- filtering
 * lfilter, sosfilt, filtfilt, sosfiltfilt along any axis of an array on
 * any provider, with real coefficients given as host doubles (designs come
 * from the host-side IIR functions).  b[nb], a[na]: a[0] != 0; sos[nsec][6]
 * rows (b0 b1 b2 a0 a1 a2).  x is float32, float64, complex64 or
 * complex128; outputs are new arrays on x's provider, float64 or complex128
 * (the work runs there, as SciPy's result_type with float64 coefficients). */

/* y = lfilter(b, a, x, axis, zi).  zi (or NULL): x's shape with axis
 * replaced by max(na, nb) - 1; zf (may be NULL): the final state, same
 * shape, returned only when zi is given (as SciPy). */
XPS_API int xps_lfilter(const double *b, int64_t nb, const double *a, int64_t na,
                        const xp_array *x, int axis, const xp_array *zi,
                        xp_array **y, xp_array **zf);
/* sosfilt; zi (or NULL): x's shape with axis replaced by 2 and a leading
 * axis nsec ([nsec, ..., 2, ...] as SciPy). */
XPS_API int xps_sosfilt(const double *sos, int64_t nsec, const xp_array *x, int axis,
                        const xp_array *zi, xp_array **y, xp_array **zf);
/* The same into the caller's arrays: y of x's shape and provider in the
 * result's dtype (float64 or complex128), any strides writing each element
 * once, or x itself (in place, for a float64 or complex128 x); zf (or NULL;
 * needs zi) of zi's shape in the result's dtype, or zi itself. */
XPS_API int xps_lfilter_into(const double *b, int64_t nb, const double *a, int64_t na,
                             const xp_array *x, int axis, const xp_array *zi,
                             const xp_array *y, const xp_array *zf);
XPS_API int xps_sosfilt_into(const double *sos, int64_t nsec, const xp_array *x, int axis,
                             const xp_array *zi, const xp_array *y, const xp_array *zf);
/* Steady-state initial state for a step input: zi[max(na, nb) - 1]. */
XPS_API int xps_lfilter_zi(const double *b, int64_t nb, const double *a, int64_t na,
                           double *zi);
/* zi[nsec][2]. */
XPS_API int xps_sosfilt_zi(const double *sos, int64_t nsec, double *zi);

typedef enum {
    XPS_PAD_NONE = 0,       /* padtype=None */
    XPS_PAD_ODD = 1,        /* odd extension (SciPy's default) */
    XPS_PAD_EVEN = 2,
    XPS_PAD_CONSTANT = 3
} xps_padtype;

typedef enum {
    XPS_FILTFILT_PAD = 0,   /* method='pad' */
    XPS_FILTFILT_GUST = 1   /* method='gust': Gustafsson's initial conditions */
} xps_filtfilt_method;

typedef struct {
    size_t size;            /* sizeof(xps_filtfilt_options) */
    int axis;               /* -1 */
    xps_padtype padtype;    /* odd */
    int64_t padlen;         /* -1 = None: 3 * ntaps */
    xps_filtfilt_method method; /* pad (filtfilt only) */
    int64_t irlen;          /* -1 = None: the whole signal (gust only) */
} xps_filtfilt_options;

XPS_API void xps_filtfilt_options_init(xps_filtfilt_options *opt);
/* See xps_window_spec_init_sized. */
XPS_API int xps_filtfilt_options_init_sized(xps_filtfilt_options *opt, size_t size);
/* Zero-phase forward-backward filter; x's length along axis must exceed
 * the pad length. */
XPS_API int xps_filtfilt(const double *b, int64_t nb, const double *a, int64_t na,
                         const xp_array *x, const xps_filtfilt_options *opt,
                         xp_array **y);
XPS_API int xps_sosfiltfilt(const double *sos, int64_t nsec, const xp_array *x,
                            const xps_filtfilt_options *opt, xp_array **y);
/* The same into the caller's y: x's shape and provider in the result's
 * dtype (float64 or complex128), writable, each element once; y may be x
 * itself (in place, for a float64 or complex128 x), else shares no memory
 * with it. */
XPS_API int xps_filtfilt_into(const double *b, int64_t nb, const double *a, int64_t na,
                              const xp_array *x, const xps_filtfilt_options *opt,
                              const xp_array *y);
XPS_API int xps_sosfiltfilt_into(const double *sos, int64_t nsec, const xp_array *x,
                                 const xps_filtfilt_options *opt, const xp_array *y);

/* ------------------------------------------------ transforms, interpolation
 * numpy.fft.rfft / irfft / fft / ifft along axis, norm "backward" (the
 * inverses divide by n); n = 0 takes numpy's default (the axis length; for
 * irfft 2 (m - 1)), otherwise the input is zero-padded or truncated to n.
 * Real input to fft/ifft/irfft is taken as complex.  Results are new
 * arrays on x's provider of x's precision. */
XPS_API int xps_rfft(const xp_array *x, int64_t n, int axis, xp_array **out);
XPS_API int xps_irfft(const xp_array *x, int64_t n, int axis, xp_array **out);
XPS_API int xps_fft(const xp_array *x, int64_t n, int axis, xp_array **out);
XPS_API int xps_ifft(const xp_array *x, int64_t n, int axis, xp_array **out);
/* numpy.interp(x, xp, fp): xp [n] increasing, fp [n] real or complex; out
 * has x's shape, float64 (complex128 for complex fp), on x's provider. */
XPS_API int xps_interp(const xp_array *x, const xp_array *xp, const xp_array *fp,
                       xp_array **out);

#include "xps_iir.h"

/* ----------------------------------------------- host-pointer conveniences
 * The most used functions on plain double arrays in the caller's memory,
 * for FFI callers (Julia's ccall, R, ctypes) that build no DLPack tensor:
 * a 1-D input of n samples, run on the host provider, results copied into
 * the caller's buffers.  The input is borrowed, never copied nor written.
 * opt may be NULL for SciPy's defaults; opt->axis must be -1 or 0.
 * Spectral outputs: f [cap] (may be NULL), Pxx, Cxy [cap], Pxy [2 cap]
 * (interleaved complex); *nfreq gets the number of frequencies, at most
 * max(n, opt->nfft) (csd, coherence: max(nx, ny, opt->nfft)); a smaller
 * cap gives XP_ESHAPE with *nfreq set and nothing written. */
XPS_API int xps_welch_f64(const double *x, int64_t n, const xps_spectral_options *opt,
                          double *f, double *Pxx, int64_t cap, int64_t *nfreq);
XPS_API int xps_periodogram_f64(const double *x, int64_t n, const xps_spectral_options *opt,
                                double *f, double *Pxx, int64_t cap, int64_t *nfreq);
XPS_API int xps_csd_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                        const xps_spectral_options *opt, double *f, double *Pxy,
                        int64_t cap, int64_t *nfreq);
XPS_API int xps_coherence_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                              const xps_spectral_options *opt, double *f, double *Cxy,
                              int64_t cap, int64_t *nfreq);
/* y [n]; bp [nbp] breakpoints as xps_detrend. */
XPS_API int xps_detrend_f64(const double *x, int64_t n, xps_detrend_type type,
                            const int64_t *bp, int64_t nbp, double *y);
/* y [n]; zi (or NULL) and zf (or NULL) [max(na, nb) - 1]; a zf wanted
 * without zi starts from the zero state. */
XPS_API int xps_lfilter_f64(const double *b, int64_t nb, const double *a, int64_t na,
                            const double *x, int64_t n, const double *zi, double *y,
                            double *zf);
/* y [n]; zi (or NULL) and zf (or NULL) [nsec][2]. */
XPS_API int xps_sosfilt_f64(const double *sos, int64_t nsec, const double *x, int64_t n,
                            const double *zi, double *y, double *zf);
/* y [n]. */
XPS_API int xps_filtfilt_f64(const double *b, int64_t nb, const double *a, int64_t na,
                             const double *x, int64_t n, const xps_filtfilt_options *opt,
                             double *y);
XPS_API int xps_sosfiltfilt_f64(const double *sos, int64_t nsec, const double *x,
                                int64_t n, const xps_filtfilt_options *opt, double *y);

#ifdef __cplusplus
}
#endif
#endif /* XPS_H */
