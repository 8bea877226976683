/*
 * filter.h -- what the filtering functions share: coefficient checks and
 * uploads, and the padded-signal helpers of filtfilt.
 */
#ifndef XPS_FILTER_H
#define XPS_FILTER_H

#include "common.h"

/* nb, na >= 1, finite, a[0] != 0. */
int xps__check_ba(const char *fn, const double *b, int64_t nb, const double *a,
                  int64_t na);
/* nsec >= 1, finite, every a0 != 0; with a0_one, every a0 == 1 (SciPy's
 * sosfilt and sosfiltfilt refuse other values; sosfilt_zi divides by them). */
int xps__check_sos(const char *fn, const double *sos, int64_t nsec, int a0_one);
/* n host doubles as a new array of dtype on p (shape given). */
int xps__upload_coef(const xp_provider *p, xp_dtype dtype, int ndim, const int64_t *shape,
                     const double *v, xp_array **out);
/* The dtype SciPy's filters return for x and float64 coefficients
 * (np.result_type): float32 -> float64, complex64 -> complex128.  Filtering
 * in float32 with rounded coefficients can make a stable (b, a) unstable. */
xp_dtype xps__filter_dtype(xp_dtype x);
/* x in that dtype: *xw = x itself, or a converted copy also put in *tmp
 * (NULL otherwise), which the caller frees. */
int xps__filter_input(const xp_array *x, const xp_array **xw, xp_array **tmp);

/* Solve the dense system A x = rhs (n x n, row-major; A and rhs are
 * overwritten); partial pivoting.  XP_EINVAL if singular. */
int xps__solve(const char *fn, int64_t n, double *A, double *rhs);

/* The pad length SciPy uses: 0 for padtype none, else padlen or 3 ntaps;
 * an error unless n > edge. */
int xps__pad_length(const char *fn, const xps_filtfilt_options *opt, int64_t ntaps,
                    int64_t n, int64_t *edge);
/* The caller's opt checked and copied into *out as this library's struct
 * (see xp__struct_in): use *out from then on. */
int xps__check_filtfilt_options(const char *fn, const xps_filtfilt_options *opt,
                                xps_filtfilt_options *out);

#endif
