/*
 * cmd_spectral.h -- what the spectral subcommands (periodogram, welch, csd,
 * coherence, spectrogram, stft) share: one job type, option parsing into
 * xps_spectral_options, and the load / compute / save stages.  Each
 * cmd_<name>.c only says which options it takes and which library
 * function it calls.
 */
#ifndef XPSIG_CMD_SPECTRAL_H
#define XPSIG_CMD_SPECTRAL_H

#include "xpsig.h"

/* The options a subcommand takes (a mask of these). */
enum {
    XPSIG_SP_FS = 1u << 0,
    XPSIG_SP_WINDOW = 1u << 1,
    XPSIG_SP_NPERSEG = 1u << 2,
    XPSIG_SP_NOVERLAP = 1u << 3,
    XPSIG_SP_NFFT = 1u << 4,
    XPSIG_SP_DETREND = 1u << 5,
    XPSIG_SP_SCALING = 1u << 6,
    XPSIG_SP_TWOSIDED = 1u << 7,
    XPSIG_SP_AVERAGE = 1u << 8,
    XPSIG_SP_AXIS = 1u << 9,
    XPSIG_SP_MODE = 1u << 10,
    XPSIG_SP_FLOAT32 = 1u << 11,
    XPSIG_SP_FREQS = 1u << 12,      /* -f FILE */
    XPSIG_SP_TIMES = 1u << 13,      /* -t FILE */
    XPSIG_SP_MPI = 1u << 14,        /* --mpi: under mpirun, a slice per rank */
    XPSIG_SP_BOUNDARY = 1u << 15,   /* stft's --boundary */
    XPSIG_SP_PADDED = 1u << 16      /* stft's --padded */
};

/* How a subcommand takes a 1-D series longer than a block (kind.streams). */
enum {
    XPSIG_STREAM_NONE = 0,          /* read whole */
    XPSIG_STREAM_ACC = 1,           /* fed to an accumulator (cmd_stream.c) */
    XPSIG_STREAM_SEGMENTS = 2       /* blocks of segments into a .npy output
                                     * (cmd_segments_stream.c) */
};

typedef struct xpsig_spectral_job xpsig_spectral_job;

/* One spectral subcommand. */
typedef struct {
    const char *fn;                 /* the library's name, "welch": prefix of its messages */
    unsigned mask;                  /* XPSIG_SP_* */
    int ninputs;                    /* 1 (X) or 2 (X Y) */
    void (*init)(xps_spectral_options *opt);    /* SciPy's defaults */
    const char *window_default;     /* for help: "hann" */
    const char *noverlap_default;   /* for help: "nperseg/2" */
    const char *nfft_help;          /* NULL: the usual */
    /* the computation: j->x (j->y), j->opt into j->f, j->out (j->t) */
    int (*call)(xpsig_spectral_job *j);
    int psd_scaling;                /* --scaling takes psd, not density (stft) */
    int streams;                    /* XPSIG_STREAM_* */
    xps_acc_kind acc;               /* ACC: into this accumulator */
    int noverlap_div;               /* SEGMENTS: noverlap is nperseg / this by default */
} xpsig_spectral_kind;

struct xpsig_spectral_job {
    const xpsig_spectral_kind *kind;
    /* option values as given, NULL when not */
    const char *fs, *window, *nperseg, *noverlap, *nfft, *detrend, *scaling,
        *average, *mode, *ffile, *tfile, *boundary, *padded;
    int axis, twosided, float32_output;
    const char *window_file;        /* --window names an array file */
    char help_window[96], help_noverlap[96], help_detrend[96], help_scaling[96];
    xps_spectral_options opt;
    xp_array *x, *y, *win;          /* inputs, on ctx's provider */
    xp_array *f, *t, *out;          /* results of the last compute */
    int mpi;                        /* --mpi */
    int64_t mpi_offset, mpi_total;  /* this rank's first sample; the series' length */
    int64_t stream_total;           /* > 0: X (and Y) streamed, this long */
    xp_dtype stream_dtype;
};

int xpsig_spectral_parse(xpsig_ctx *ctx, int argc, char **argv, xpsig_spectral_job *j,
                         const xpsig_spectral_kind *kind);
int xpsig_spectral_load(xpsig_ctx *ctx, void *job);
int xpsig_spectral_compute(xpsig_ctx *ctx, void *job);
int xpsig_spectral_save(xpsig_ctx *ctx, void *job);
void xpsig_spectral_clear(void *job);

/* --mpi (cmd_mpi.c, or refusals when xpsig is built without MPI): read
 * this rank's slice (of X and Y), compute with xps_welch_mpi, xps_csd_mpi or
 * xps_coherence_mpi, write on rank 0 only. */
int xpsig_mpi_load(xpsig_ctx *ctx, xpsig_spectral_job *j);
int xpsig_mpi_compute(xpsig_ctx *ctx, xpsig_spectral_job *j);
int xpsig_mpi_is_root(void);
void xpsig_mpi_finish(void);

/* Long series (cmd_stream.c): when X (and Y) are 1-D .npy arrays or HDF5
 * datasets of one length and dtype longer than a block, and the
 * subcommand streams, plan returns 1 (load nothing) and compute reads and
 * feeds them a block at a time. */
int xpsig_stream_plan(const xpsig_ctx *ctx, xpsig_spectral_job *j);
int xpsig_stream_compute(xpsig_ctx *ctx, xpsig_spectral_job *j);
/* The same for spectrogram and stft into a .npy output (-o): plan returns
 * 1 (load nothing) when X is such a series, longer than a block and than
 * nperseg, and save computes and writes -o, -f and -t a block of segments
 * at a time. */
int xpsig_segments_plan(const xpsig_ctx *ctx, xpsig_spectral_job *j);
int xpsig_segments_save(xpsig_ctx *ctx, xpsig_spectral_job *j);
/* istft (cmd_istft_stream.c): plan returns 1 when Z is a 2-D .npy array
 * or HDF5 dataset (frequencies, segments) whose signal is longer than a
 * block and the output (and tfile, if any) are .npy files; stream then
 * reads Z a block of segments at a time and writes the output and the
 * times as it goes. */
int xpsig_istft_plan(const xpsig_ctx *ctx, const xps_istft_options *opt, const char *tfile);
int xpsig_istft_stream(xpsig_ctx *ctx, const xps_istft_options *opt, const char *tfile);
/* SciPy's nperseg for a series of total samples into j->opt.nperseg: the
 * given one, the window array's length, or 256; at most total. */
void xpsig_series_nperseg(xpsig_spectral_job *j, int64_t total);

/* Shared option checks (also for detrend and window).  Each returns 0, or
 * prints "--name: 'text' ..." and returns the usage status. */
int xpsig_parse_count(const xpsig_ctx *ctx, const char *name, const char *text,
                      int64_t min, int64_t *out);
/* "true"/"false" (also True, False, 1, 0) into *out. */
int xpsig_parse_bool(const xpsig_ctx *ctx, const char *name, const char *text, int *out);
/* A library message without its "function: " prefix. */
const char *xpsig_errmsg_body(void);
/* 1 when --window's text names an array file (by the extensions io.c
 * knows: w.npy, w.txt, f.h5:/win), not a window spec. */
int xpsig_is_window_file(const char *s);
/* The window array file (NULL: none) into *win and spec->array: 0, or
 * the exit status after the error line (it must hold a real 1-D array). */
int xpsig_load_window(xpsig_ctx *ctx, const char *file, xp_array **win,
                      xps_window_spec *spec);

/* The stages table entry of a spectral subcommand whose parse is p. */
#define XPSIG_SPECTRAL_STAGES(p)                                              \
    {sizeof(xpsig_spectral_job), (p), xpsig_spectral_load,                    \
     xpsig_spectral_compute, xpsig_spectral_save, xpsig_spectral_clear}

#endif /* XPSIG_CMD_SPECTRAL_H */
