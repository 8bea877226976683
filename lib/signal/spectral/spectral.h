/*
 * spectral.h -- what the spectral estimators share: resolved options, the
 * segment transformer (frames -> detrend -> window -> FFT), row views.
 */
#ifndef XPS_SPECTRAL_H
#define XPS_SPECTRAL_H

#include "common.h"

/* Options after SciPy's defaults and checks, for one input length. */
typedef struct {
    const char *fn;             /* public name for messages: "welch", ... */
    double fs;
    int64_t nperseg, noverlap, step, nfft, nfreq;
    int onesided;
    xps_detrend_type detrend;
    xps_scaling scaling;
    xps_average average;
    xps_mode mode;
    int float32_output;
    double *win;                /* host copy of the window [nperseg] (xp__malloc) */
    double win_sum, win_sum2;   /* sum(w), sum(w^2) */
} xps__spec;

/* Resolve opt for an input of length n along the axis (n < 0: unknown, a
 * stream: nperseg must then be explicit).  complex_in forces two-sided.
 * nperseg_default: 256 (SciPy's for every estimator).  noverlap_default_div:
 * 2 for welch, 8 for spectrogram.  p: where a window array must live. */
int xps__spec_resolve(const char *fn, const xps_spectral_options *opt, int64_t n,
                      int complex_in, int noverlap_default_div,
                      const xp_provider *p, xps__spec *s);
void xps__spec_clear(xps__spec *s);
/* The window's nperseg values into a new host buffer *out (xp__free):
 * get_window's periodic form of the named window, or the caller's 1-D
 * real array on p, whose length sets *nperseg when it is 0 and must equal
 * it otherwise. */
int xps__window_values(const char *fn, const xps_window_spec *w, int64_t *nperseg,
                       const xp_provider *p, double **out);
/* 1 / (fs sum w^2) for density, 1 / (sum w)^2 for spectrum. */
double xps__spec_scale(const xps__spec *s);
/* The caller's opt checked and copied into *out as this library's struct
 * (see xp__struct_in): use *out from then on. */
int xps__check_options(const char *fn, const xps_spectral_options *opt,
                       xps_spectral_options *out);

/* The segment transformer: spectra of a block of frames. */
typedef struct {
    const xps__spec *s;
    const xp_provider *p;
    xp_dtype work_dtype;        /* real (one-sided) or complex, of the input precision */
    xp_dtype spec_dtype;        /* complex of the input precision */
    int64_t cap;                /* frames per block */
    xp_array *window;           /* [nperseg], real of the input precision */
    xp_array *work;             /* [cap * nperseg] */
    xp_array *spec;             /* [cap * nfreq] */
    xp_array *Q;                /* linear detrend basis [nperseg, 2] (or NULL) */
    xp_array *coef;             /* [cap, 2] */
    xp_array *mean;             /* [cap] constant detrend */
    xp_array *edge;             /* [cap] complex: real input, two-sided (see segfft.c) */
} xps__segfft;

int xps__segfft_init(xps__segfft *g, const xps__spec *s, const xp_provider *p,
                     xp_dtype in_dtype, int64_t cap);
void xps__segfft_clear(xps__segfft *g);
/* frames: [rows, nseg, nperseg] view with rows * nseg <= cap; *spectra
 * becomes a new [rows, nseg, nfreq] view into g->spec (free it). */
int xps__segfft_run(xps__segfft *g, const xp_array *frames, xp_array **spectra);
/* Frames per block so a block's spectra stay near 1 MiB. */
int64_t xps__block_frames(int64_t nfft);

/* Detrend the rows of the 2-D view W [rows, L] (any strides, real or
 * complex) in place.  Q: basis from xps__detrend_basis (linear only);
 * coef: [>= rows, 2] scratch; mean: [>= rows] scratch, both contiguous. */
int xps__detrend_inplace(const xp_array *W, xps_detrend_type type,
                         const xp_array *Q, const xp_array *coef,
                         const xp_array *mean);
/* Orthonormal basis of {1, t} over L points ([L, 2]; [L, 1] when L == 1). */
int xps__detrend_basis(const xp_provider *p, xp_dtype dtype, int64_t L,
                       xp_array **Q);
/* Rows [first, first + count) of that basis, the same values. */
int xps__detrend_basis_rows(const xp_provider *p, xp_dtype dtype, int64_t L, int64_t first,
                            int64_t count, xp_array **Q);
/* detrend's pieces for a series of N samples, checked as fn:
 * *edges[*nedges] = 0, the sorted breakpoints, N (constant: 0, N; free
 * it with xp__free).  axis only names the axis in messages. */
int xps__detrend_edges(const char *fn, int64_t N, int axis, xps_detrend_type type,
                       const int64_t *bp, int64_t nbp, int64_t **edges, int64_t *nedges);

/* spectrogram's and stft's checks, as fn: the outputs set to NULL, opt
 * checked into *o, *ax, and *s resolved for x (default noverlap nperseg /
 * noverlap_div) with nperseg <= x's length (clear s after success). */
int xps__spectrogram_setup(const char *fn, const xp_array *x, const xps_spectral_options *opt,
                           int noverlap_div, xps_spectral_options *o, xp_array **f,
                           xp_array **t, xp_array **out, int *ax, xps__spec *s);
/* spectrogram's work after its checks, for resolved s: *Sxx (x's shape,
 * axis ax -> nfreq, plus nseg) from the segments of npieces (<= 4)
 * arrays of x's shape but their own length along ax (each >= nperseg),
 * the segments of each following those of the one before (stft splits
 * its extended signal so); new *f and *t unless NULL.  shift: times less
 * nperseg / 2 samples (stft's boundary extension).  into (else NULL): the
 * caller's result array instead of a new *Sxx, checked first, called
 * name in messages. */
int xps__spectrogram_pieces(const xp_array *x, int ax, const xps__spec *s, int shift,
                            int npieces, const xp_array *const *pieces, xp_array **f,
                            xp_array **t, xp_array **Sxx, const xp_array *into,
                            const char *name);

/* Frequencies [nfreq] float64 on p: rfftfreq or fftfreq(nfft, 1/fs). */
int xps__freqs(const xp_provider *p, int64_t nfft, double fs, int onesided,
               xp_array **f);
/* out [L] (float64 on p, any stride) = (i - c) / d for i < L, as numpy
 * computes (arange(L) - c) / d, made on the provider (ramp.c); fn names
 * the caller in messages. */
int xps__ramp(const char *fn, const xp_provider *p, double c, double d,
              const xp_array *out);
/* xps_spectral_acc_begin for an input of known length n (-1: a stream). */
int xps__acc_begin(xps_acc_kind kind, const xps_spectral_options *opt,
                   const xp_provider *p, xp_dtype dtype, int ndim,
                   const int64_t *shape, int64_t n, xps_spectral_acc **out);
/* What acc_serial.c reads of an accumulator (views, owned by it). */
typedef struct {
    xps_acc_kind kind;
    const xps__spec *s;
    xp_dtype dtype;
    int ndim, axis;
    const int64_t *shape;       /* [ndim]; shape[axis] unused */
    int64_t R, nseg, total;
    int nsums;                  /* 1, or 3 for coherence */
    int mergeable;              /* 0 for median averaging */
    xp_array *sum[3];           /* [R, nfreq] float64 / complex128 sums */
} xps__acc_state;
void xps__acc_inspect(const xps_spectral_acc *acc, xps__acc_state *st);
void xps__acc_set_counts(xps_spectral_acc *acc, int64_t nseg, int64_t total);
/* SciPy's median bias for n periodograms. */
double xps__median_bias(int64_t n);

#endif /* XPS_SPECTRAL_H */
