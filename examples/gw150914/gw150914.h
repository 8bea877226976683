/*
 * gw150914.h -- the GW150914 demo: the GWOSC "LOSC Event tutorial" and the
 * discovery paper's Fig. 1, written against libxpsignal's public API.
 *
 * gw150914_run() is the whole pipeline (xpsig gw150914 calls only it).  The
 * steps below it are what it is made of, one file each, for readers who
 * copy them and for the tests:
 *
 *   data.c     find and read the GWOSC files (HDF5 strain, NR waveform)
 *   synth.c    a seeded synthetic stream when no data are found
 *   asd.c      Welch PSD (symmetric Tukey window, 4 s segments)
 *   whiten.c   whitening by the PSD in the frequency domain
 *   bandpass.c Butterworth band-pass of the whitened data
 *   fig1.c     the paper's Fig. 1 filter: band-pass plus line notches
 *   matched.c  matched filter against the NR waveform: SNR time series
 *   plots.c    gnuplot scripts and PNGs
 *   textout.c  the text outputs (asd_*.txt, fig1_*.txt, snr_*.txt)
 *   summary.c  summary.json
 *   arith.c    elementwise arithmetic through the provider's xp_ops table
 *   run.c      gw150914_run: the steps in order
 *
 * All numeric work runs on the chosen provider (host, strict, ...); results
 * come back to the host only to be written and plotted.  Every function
 * returns 0 or an XP_E* status with xp_errmsg() saying what went wrong.
 */
#ifndef GW150914_H
#define GW150914_H

#include <stdint.h>
#include <stdio.h>
#include "xpsignal.h"

typedef struct {
    const char *data_dir;   /* --data DIR; NULL: $XPS_LIGO_DATA, then data/ligo */
    const char *out_dir;    /* --out DIR; NULL: out/gw150914 */
    const char *provider;   /* --provider NAME; NULL: host */
    int synthetic;          /* 1: do not look for data, use the synthetic stream */
    int plots;              /* 1: draw the PNGs with gnuplot (when installed) */
    FILE *log;              /* progress lines; NULL: quiet */
} gw150914_options;

/* Defaults: everything NULL, synthetic 0, plots 1, log stdout. */
void gw150914_options_init(gw150914_options *opt);
/* The whole pipeline: read (or synthesize), analyse, write into out_dir. */
int gw150914_run(const gw150914_options *opt);

/* ------------------------------------------------------------------ steps */

#define GW_FS 4096.0            /* the GWOSC files' sampling rate, Hz */
#define GW_GPS_REF 1126259462.0 /* Fig. 1's time origin */
#define GW_T_EVENT 1126259462.42 /* where the plots centre on the event */
#define GW_NDET 2

/* One detector's strain as read (host memory). */
typedef struct {
    char name[4];               /* "H1", "L1" */
    double t0;                  /* GPS time of the first sample (Xstart) */
    double dt;                  /* sample spacing, s (Xspacing) */
    int64_t n;
    double *h;                  /* n strain samples */
} gw_strain;

/* A waveform sampled at the data's rate; t = 0 at its reference time
 * (the NR waveform's peak). */
typedef struct {
    int64_t n;
    double *t, *h;              /* n times (s) and strains */
} gw_waveform;

typedef struct {
    gw_strain det[GW_NDET];     /* H1, L1 */
    gw_waveform wave;
    int synthetic;
    double inj_gps[GW_NDET];    /* synthetic: GPS time of the injection's t = 0 */
    char dir[1024];             /* where the files came from ("" if synthetic) */
    char fig1_dir[1024];        /* holds fig1-observed-{H,L}.txt, or "" */
} gw_dataset;

/* data.c.  The first of dir, $XPS_LIGO_DATA, data/ligo that holds both
 * HDF5 files and the waveform, into found; 0 if none does. */
int gw_find_data(const char *dir, char *found, size_t len);
int gw_read_strain(const char *path, const char *name, gw_strain *s);
int gw_read_waveform(const char *path, gw_waveform *w);
/* The three files from dir. */
int gw_load(const char *dir, gw_dataset *d);
/* A published Fig. 1 series (time, strain x 1e21); *n rows. */
int gw_read_columns(const char *path, double **t, double **y, int64_t *n);
void gw_dataset_clear(gw_dataset *d);

/* synth.c.  32 s of coloured Gaussian noise with lines and an injected
 * chirp per detector, from a seed, made on p; d->wave is the chirp (the
 * template) and d->inj_gps the times of its t = 0. */
int gw_synthesize(const xp_provider *p, uint64_t seed, gw_dataset *d);
/* The analytic Advanced-LIGO-like ASD the synthetic noise follows. */
double gw_synth_asd(double f);

/* asd.c.  Welch PSD of x (1-D) as the tutorial: 4 s segments, 2 s overlap,
 * scipy.signal.windows.tukey(4 fs, 0.25) (symmetric), constant detrend,
 * density; average XPS_AVERAGE_MEAN or XPS_AVERAGE_MEDIAN_MEAN. */
int gw_psd(const xp_array *x, double fs, xps_average average, xp_array **f,
           xp_array **psd);

/* whiten.c.  The tutorial's whiten(): rfft, divide by sqrt(PSD(f)) and
 * multiply by sqrt(2 dt), irfft to n = len(x). */
int gw_whiten(const xp_array *x, double dt, const xp_array *f, const xp_array *psd,
              xp_array **white);

/* bandpass.c.  The tutorial's filtfilt(butter(4, [flo, fhi] * 2 / fs, 'band'))
 * (run as second-order sections), divided by sqrt((fhi - flo) / (fs / 2)). */
int gw_bandpass(const xp_array *white, double fs, double flo, double fhi,
                xp_array **out);

/* fig1.c.  The paper's Fig. 1 filter on raw strain: butter(4, [35, 350] Hz)
 * and the elliptic band-stops, each applied forward and backward. */
int gw_fig1_filter(const xp_array *x, double fs, xp_array **out);

/* matched.c. */
typedef struct {
    int64_t index;              /* data sample aligned with the waveform's t = 0 */
    double snr;                 /* |SNR| there */
    double phase;               /* arg SNR there, rad */
    double t_gps;               /* GPS time at which the waveform's t = 0 lies */
    double sigma;               /* sqrt(template power over the PSD) */
} gw_peak;
/* The tutorial's matched filter: complex SNR [n] (complex128) of x against
 * the waveform w placed in an array of x's length, rolled so that sample j
 * is the SNR with w's t = 0 at data sample j; t0 = x's first sample's GPS.
 * f, psd: the Welch PSD. */
int gw_matched_filter(const xp_array *x, double t0, double fs, const xp_array *f,
                      const xp_array *psd, const gw_waveform *w, xp_array **snr,
                      gw_peak *peak);

/* arith.c: conveniences over xp_affine and xp_reduce.
 * y = alpha x + beta (y may be x). */
int gw_affine(const xp_array *x, double alpha, double beta, const xp_array *y);
/* Sum of a real 1-D array. */
int gw_sum(const xp_array *x, double *sum);
/* A new array on p holding a copy of n host doubles. */
int gw_upload(const xp_provider *p, const double *v, int64_t n, xp_array **out);
/* A new malloc'd host copy of a (float64 or complex128, interleaved). */
int gw_download(const xp_array *a, double **out);

/* ------------------------------------------------- results on the host */

/* What run.c computes for one detector, brought to the host to be written
 * and plotted. */
typedef struct {
    const gw_strain *s;
    int64_t nf;
    double *f, *psd, *psd_mm;   /* Welch: mean and median-mean, [nf] */
    double *windowed;           /* raw x Tukey(1/8) [n] */
    double *white, *bp, *fig1;  /* whitened, band-passed, Fig. 1 filtered [n] */
    int64_t nph;
    double *ph_raw, *ph_win;    /* Fourier phases (rfft) without/with window [nph] */
    double *snr;                /* complex SNR, interleaved [2 n] */
    gw_peak peak;
    int64_t sg_nf, sg_nt;       /* spectrogram of the whitened data */
    double *sg_f, *sg_t, *sg;   /* [sg_nf], [sg_nt] (s from GW_GPS_REF), [sg_nf][sg_nt] */
} gw_det_result;

typedef struct {
    const gw_dataset *d;
    const char *provider;
    gw_det_result det[GW_NDET];
    double delay_ms;            /* t_peak(H1) - t_peak(L1) */
    double network_snr;
    double fig1_r[GW_NDET];     /* correlation with the published Fig. 1 (NAN: none) */
    double seconds;             /* run time of the analysis */
} gw_results;

/* run.c: every step for both detectors on p (no files written). */
int gw_analyse(const xp_provider *p, const gw_dataset *d, gw_results *r);
void gw_results_clear(gw_results *r);

/* textout.c. */
int gw_write_text(const char *dir, const gw_results *r);
/* summary.c. */
int gw_write_summary(const char *dir, const gw_results *r);
/* plots.c: scripts and PNGs; gnuplot missing is not an error (*drawn 0). */
int gw_plots(const char *dir, const gw_results *r, FILE *log, int *drawn);

#endif /* GW150914_H */
