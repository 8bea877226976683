/*
 * cmd_filter.h -- what the filter subcommands share: IIR design (butter,
 * cheby1, cheby2, ellip, bessel, iirdesign, iirnotch, iirpeak), frequency
 * responses (freqz) and filtering (lfilter, sosfilt, filtfilt, sosfiltfilt).
 *
 * Coefficients travel in array files of two forms, as SciPy's output
 * argument names them:
 *   ba   a 2-row array: row 0 is b, row 1 is a (of equal lengths, as every
 *        digital design gives; a shorter polynomial is padded at the end
 *        with zeros, which leaves the filter unchanged)
 *   sos  an n x 6 array of second-order sections b0 b1 b2 a0 a1 a2 (a 1-D
 *        array of 6 values is one section, as numpy.atleast_2d makes it)
 * The design subcommands write them in float64; the others read them as
 * host doubles, whatever the provider of the data.
 */
#ifndef XPSIG_CMD_FILTER_H
#define XPSIG_CMD_FILTER_H

#include "xpsig.h"

extern const xpsig_stages xpsig_butter_stages, xpsig_cheby1_stages, xpsig_cheby2_stages,
    xpsig_ellip_stages, xpsig_bessel_stages, xpsig_iirdesign_stages,
    xpsig_iirnotch_stages, xpsig_iirpeak_stages, xpsig_freqz_stages,
    xpsig_lfilter_stages, xpsig_sosfilt_stages, xpsig_filtfilt_stages,
    xpsig_sosfiltfilt_stages;

/* Coefficients read from a file (host doubles). */
typedef struct {
    int sos;            /* 0: b [n], a [n]; 1: sos [n][6] */
    int64_t n;          /* coefficients per row (ba) or sections (sos) */
    double *c;          /* ba: b then a, 2 n values; sos: 6 n values */
} xpsig_coef;

/* Read the file spec (given as --ba or --sos, by opt) into *c: 0, or the
 * exit status after printing the error line. */
int xpsig_coef_load(const xpsig_ctx *ctx, const char *opt, const char *spec, int sos,
                    xpsig_coef *c);
void xpsig_coef_clear(xpsig_coef *c);

/* Long series (cmd_filtfilt_stream.c).  One block x through the filter
 * from state *zi into a new *y; *zi replaced by the state after it: the
 * library's status. */
int xpsig_filter_step(const xpsig_coef *c, const xp_array *x, xp_array **zi, xp_array **y);
/* The padding filtfilt (c->sos: sosfiltfilt) adds at each end under opt,
 * as SciPy reckons it. */
int64_t xpsig_filtfilt_padlen(const xpsig_coef *c, const xps_filtfilt_options *opt);
/* filtfilt (method pad) of the 1-D series ctx->pos[0] of total samples of
 * dtype into the .npy file ctx->output in two passes over it: 0, or the
 * exit status after the error line (the file removed).  total must be
 * greater than the padding. */
int xpsig_filtfilt_stream(xpsig_ctx *ctx, const char *fn, const xpsig_coef *coef,
                          const xps_filtfilt_options *opt, int64_t total, xp_dtype dtype);

/* A float64 host array of shape [rows, cols] holding data (row-major):
 * 0, or the exit status after printing the error line. */
int xpsig_coef_array(const xpsig_ctx *ctx, int64_t rows, int64_t cols, const double *data,
                     xp_array **out);

/* The form a design wrote (c1 [n1], c2 [n2] as xps_iirfilter writes them;
 * output BA or SOS) as the array of its coefficient file. */
int xpsig_coef_design(const xpsig_ctx *ctx, xps_output output, const double *c1,
                      int64_t n1, const double *c2, int64_t n2, xp_array **out);

/* --output FORM (text may be NULL: ba): ba or sos, not zpk, which is
 * three arrays; 0, or the usage status after the error line. */
int xpsig_parse_form(const xpsig_ctx *ctx, const char *text, xps_output *out);

/* Number checks of option values; each returns 0, or prints "--name: 'text'
 * ..." for an option ("--fs"), "NAME 'text' ..." for a positional argument
 * ("W0"), and returns the usage status. */
int xpsig_parse_number(const xpsig_ctx *ctx, const char *name, const char *text,
                       double *out);
/* A positive finite number (fs, Q, dB values). */
int xpsig_parse_positive(const xpsig_ctx *ctx, const char *name, const char *text,
                         const char *what, double *out);
/* One or two comma-separated numbers: *n gets the count. */
int xpsig_parse_pair(const xpsig_ctx *ctx, const char *name, const char *text, double *v,
                     int64_t *n);

#endif /* XPSIG_CMD_FILTER_H */
