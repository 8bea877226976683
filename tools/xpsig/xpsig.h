/*
 * xpsig.h -- what the parts of the xpsig command-line tool share.
 *
 * A subcommand is one entry of the table in main.c: a name, a function and a
 * line of help.  The function parses its arguments with xpsig_parse() (which
 * also handles the common options --provider, -o and --threads), reads its
 * inputs with xpsig_load(), calls the library and writes the result with
 * xpsig_save(ctx, ctx->output, result).  It returns the process exit status; every
 * failure prints exactly one line, "xpsig: <subcommand>: <message>".  A
 * subcommand that computes gives its stages instead (xpsig_stages), which
 * xpsig_run_staged runs in turn and xpsig bench times.
 *
 * Only the public xp_/xps_ API of libxpsignal is used here.
 */
#ifndef XPSIG_H
#define XPSIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "xpsignal.h"

/* Exit statuses. */
#define XPSIG_EXIT_OK 0
#define XPSIG_EXIT_DATA 1       /* unreadable or malformed data, library error */
#define XPSIG_EXIT_USAGE 2      /* unknown subcommand or option, bad argument */
#define XPSIG_RUN (-1)          /* xpsig_parse: go on and run the command */

/* ------------------------------------------------------------ subcommands */

typedef struct xpsig_ctx xpsig_ctx;

/* A subcommand split into stages, so that bench can time the computation
 * alone.  job is the subcommand's own state: job_size bytes, zeroed before
 * parse.  parse returns XPSIG_RUN or the exit status to return at once; the
 * others 0 or an exit status (after printing the error line).  compute may
 * run many times: it frees the results of the previous run first.  clear
 * frees everything the job holds (also after a failure at any stage). */
typedef struct xpsig_stages {
    size_t job_size;
    int (*parse)(xpsig_ctx *ctx, int argc, char **argv, void *job);
    int (*load)(xpsig_ctx *ctx, void *job);
    int (*compute)(xpsig_ctx *ctx, void *job);
    int (*save)(xpsig_ctx *ctx, void *job);
    void (*clear)(void *job);
} xpsig_stages;

typedef struct xpsig_cmd {
    const char *name;
    int (*run)(xpsig_ctx *ctx, int argc, char **argv);  /* argv[0] = name */
    const char *help;                                   /* one line */
    const xpsig_stages *stages;     /* NULL: run is all there is (no bench) */
} xpsig_cmd;

/* State of one subcommand run: the common options once parsed. */
struct xpsig_ctx {
    const xpsig_cmd *cmd;
    const char *provider_name;      /* --provider NAME, default "host" */
    const char *output;             /* -o FILE, NULL: text on stdout */
    int threads;                    /* --threads T, 0: all cores */
    const xp_provider *provider;    /* resolved by xpsig_parse */
    int npos;                       /* positional arguments */
    char **pos;
};

/* Subcommand functions (one file each: cmd_<name>.c). */
int xpsig_cmd_providers(xpsig_ctx *ctx, int argc, char **argv);
int xpsig_cmd_info(xpsig_ctx *ctx, int argc, char **argv);
int xpsig_cmd_convert(xpsig_ctx *ctx, int argc, char **argv);
int xpsig_cmd_bench(xpsig_ctx *ctx, int argc, char **argv);
int xpsig_cmd_gw150914(xpsig_ctx *ctx, int argc, char **argv);   /* examples/gw150914 */

/* Staged subcommands: run with xpsig_run_staged (stages.c), which takes
 * the stages from ctx->cmd. */
int xpsig_run_staged(xpsig_ctx *ctx, int argc, char **argv);
extern const xpsig_stages xpsig_window_stages, xpsig_detrend_stages,
    xpsig_periodogram_stages, xpsig_welch_stages, xpsig_csd_stages,
    xpsig_coherence_stages, xpsig_spectrogram_stages, xpsig_stft_stages, xpsig_istft_stages;

/* The table (main.c), for help listings. */
extern const xpsig_cmd xpsig_commands[];
extern const size_t xpsig_ncommands;

/* -------------------------------------------------------- option parsing */

typedef enum {
    XPSIG_OPT_FLAG,     /* --name: int *dest = 1 */
    XPSIG_OPT_STRING,   /* --name VALUE: const char **dest */
    XPSIG_OPT_INT,      /* --name N: int *dest */
    XPSIG_OPT_INT64,    /* --name N: int64_t *dest */
    XPSIG_OPT_DOUBLE    /* --name X: double *dest */
} xpsig_opt_kind;

typedef struct {
    const char *name;       /* long name without "--" (one letter: "-f"); NULL ends a list */
    xpsig_opt_kind kind;
    void *dest;             /* written when the option is given */
    const char *metavar;    /* "N", "NAME" in help; ignored for flags */
    const char *help;       /* one line */
} xpsig_opt;

typedef struct {
    const char *args;       /* positional synopsis for help: "IN", "FILE..." */
    int min_pos, max_pos;   /* positional count bounds; max_pos < 0: no limit */
    const xpsig_opt *opts;  /* subcommand options, NULL-terminated, or NULL */
} xpsig_spec;

/* Parse argv[1..argc-1]: "--name VALUE", "--name=VALUE", "--flag", "-o FILE"
 * (and "-x FILE", "-xFILE" for an option of one letter), positionals ("-"
 * and negative numbers count as positionals), "--" ends options.  Handles
 * the common options and -h/--help, resolves the provider and sets its
 * threads.  A subcommand option named "output" takes --output for itself
 * (the designs' --output ba|sos); -o FILE stays the output file.  Returns
 * XPSIG_RUN, or the exit status to return at once (0 after printing help,
 * else after printing the error line). */
int xpsig_parse(xpsig_ctx *ctx, int argc, char **argv, const xpsig_spec *spec);

/* Print "xpsig: <cmd>: <message>" (newlines flattened) on stderr; return status. */
int xpsig_fail(const xpsig_ctx *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a failed library call: "<what>: <xp_errmsg()>"; returns 1. */
int xpsig_fail_lib(const xpsig_ctx *ctx, const char *what);
/* The same for a library function whose message starts with its own name
 * fn ("welch: ..."): that prefix is not repeated; returns status. */
int xpsig_fail_call(const xpsig_ctx *ctx, int status, const char *fn);

/* xpsig_read_array / xpsig_write_array on ctx's provider, printing the
 * error line on failure: 0, or the exit status to return.  xpsig_save
 * brings an array of another provider to the host (xp_array_to_provider)
 * before writing it. */
int xpsig_load(const xpsig_ctx *ctx, const char *spec, xp_array **out);
int xpsig_save(const xpsig_ctx *ctx, const char *spec, const xp_array *a);

/* Print the tool's usage (subcommand list) on f. */
void xpsig_usage(FILE *f);

/* ------------------------------------------------------------- array I/O */

/* Read the array named by spec onto provider p.  spec is a file name whose
 * extension picks the format: .npy, .txt (or "-" for text on stdin),
 * .hdf5 / .h5 with an optional ":/dataset".  On failure returns an XP_E*
 * status (XP_EINVAL: unrecognized name, XP_EIO: cannot read, XP_EFORMAT:
 * malformed, else a library status) and writes "FILE: problem" into err. */
int xpsig_read_array(const char *spec, const xp_provider *p, xp_array **out,
                     char *err, size_t errlen);
/* Write a to the file named by spec (format by extension as above; NULL or
 * "-" writes text to stdout).  Same statuses and message as reading. */
int xpsig_write_array(const char *spec, const xp_array *a, char *err,
                      size_t errlen);
/* Exit status for an I/O status: usage for XP_EINVAL, else data. */
int xpsig_io_exit(int status);

/* A C-ordered host copy of an array: what the format readers and writers
 * exchange.  data is malloc'd (never NULL, even when size is 0). */
typedef struct {
    xp_dtype dtype;
    int ndim;
    int64_t shape[XP_MAX_NDIM];
    void *data;
} xpsig_host;

/* size = product of the shape; 0 and *size set, or -1 on overflow. */
int xpsig_shape_size(int ndim, const int64_t *shape, int64_t *size);
void xpsig_host_clear(xpsig_host *h);   /* frees data; h may be reused */

/* Samples [start, start + count) of the 1-D array spec names (.npy, or
 * an HDF5 dataset): a block of a long series, or one MPI rank's share;
 * of a 2-D array, those columns of every row (a block of segments).
 * *total gets the length of the last axis once it is known.  Statuses as
 * for reading. */
int xpsig_read_range(const char *spec, int64_t start, int64_t count, xpsig_host *h,
                     int64_t *total, char *err, size_t errlen);
/* 1 when spec names a .npy file (by the rules above: "f.h5:/y.npy" is an
 * HDF5 dataset). */
int xpsig_is_npy(const char *spec);
/* 1 when the files specs a and b name (datasets aside) both exist and are
 * one file (one device and inode: links and other spellings too). */
int xpsig_same_file(const char *a, const char *b);
/* 1 when spec names a format xpsig_read_range reads (.npy, HDF5). */
int xpsig_sliceable(const char *spec);
/* Long series (cmd_stream.c).  The length (and dtype, if asked) of the
 * 1-D series spec names; -1 with err when it cannot be read or is not 1-D,
 * -2 when spec is neither .npy nor HDF5. */
int64_t xpsig_series_length(const char *spec, xp_dtype *dtype, char *err, size_t nerr);
/* Samples [start, start + count) of that series into *out on p; an XP_E*
 * status and err on failure. */
int xpsig_series_slice(const xp_provider *p, const char *spec, int64_t start, int64_t count,
                       xp_array **out, char *err, size_t nerr);
/* Samples per block of a streamed series: 2^23, or XPSIG_STREAM_BLOCK. */
int64_t xpsig_stream_block(void);
/* 1 when a long series may be streamed into the file spec names: a .npy
 * file, and not the input ctx->pos[0] (by any name), which would be
 * overwritten while it is still being read. */
int xpsig_streams_into(const xpsig_ctx *ctx, const char *spec);
/* The whole of a on the host, in *buf (grown to fit; *nbuf its size), for
 * a block written to the output file: 0, or the exit status after the
 * error line naming that file. */
int xpsig_block_to_host(const xpsig_ctx *ctx, const xp_array *a, char **buf, size_t *nbuf);
/* The 1-D block a, the next samples of a series of total, appended to the
 * .npy output ctx->output, which *f holds open (opened, for a's dtype, when
 * NULL); *buf, *nbuf as xpsig_block_to_host.  0, or the exit status
 * after the message. */
int xpsig_stream_append(const xpsig_ctx *ctx, FILE **f, int64_t total, const xp_array *a,
                        char **buf, size_t *nbuf);

/* Format back ends (io_npy.c, io_txt.c, io_hdf5.c).  name is the file name
 * for messages; errors are written into err as "name: problem". */
int xpsig_npy_read(const char *path, xpsig_host *h, char *err, size_t errlen);
int xpsig_npy_write(const char *path, const xpsig_host *h, char *err, size_t errlen);
/* A .npy file of the given shape (ndim <= XP_MAX_NDIM) written a block at
 * a time: begin writes the header, append the data, end closes it (ok 0:
 * after a failure) and removes the file unless every write succeeded. */
int xpsig_npy_begin(const char *path, xp_dtype dtype, int ndim, const int64_t *shape,
                    FILE **f, char *err, size_t errlen);
int xpsig_npy_append(FILE *f, const char *path, const void *data, size_t nbytes, char *err,
                     size_t errlen);
int xpsig_npy_end(FILE *f, const char *path, int ok, char *err, size_t errlen);
/* nbytes at byte offset of such a file (ftello after begin: the first
 * element), read back or written over: a two-pass filter's second pass. */
int xpsig_npy_pread(FILE *f, const char *path, int64_t offset, void *data, size_t nbytes,
                    char *err, size_t errlen);
int xpsig_npy_pwrite(FILE *f, const char *path, int64_t offset, const void *data,
                     size_t nbytes, char *err, size_t errlen);
/* Samples [start, start + count) of a 1-D .npy array (a block of a long
 * series), or those columns of a 2-D one; *total gets the length of the
 * last axis once the header is read. */
int xpsig_npy_read_range(const char *path, int64_t start, int64_t count, xpsig_host *h,
                         int64_t *total, char *err, size_t errlen);
int xpsig_txt_read(const char *path, xpsig_host *h, char *err, size_t errlen);
int xpsig_txt_write(const char *path, const xpsig_host *h, char *err, size_t errlen);
/* dataset may be NULL: "/data" for writing; for reading "/data" or the
 * file's only float or complex dataset. */
int xpsig_hdf5_read(const char *path, const char *dataset, xpsig_host *h,
                    char *err, size_t errlen);
/* Samples [start, start + count) of a 1-D dataset, or those columns of a
 * 2-D one (xpsig_read_range); *total gets the length of the last axis
 * (also on failure once it is known). */
int xpsig_hdf5_read_range(const char *path, const char *dataset, int64_t start,
                          int64_t count, xpsig_host *h, int64_t *total, char *err,
                          size_t errlen);
int xpsig_hdf5_write(const char *path, const char *dataset,
                     const xpsig_host *h, char *err, size_t errlen);

/* snprintf into err, returning status (for the back ends). */
int xpsig_ioerr(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif /* XPSIG_H */
