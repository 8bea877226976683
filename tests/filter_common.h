/*
 * filter_common.h -- what the filtering Check suites share: inputs made the
 * way tests/golden/gen_filter.py makes them, comparisons and leak checks.
 */
#ifndef XP_FILTER_COMMON_H
#define XP_FILTER_COMMON_H

#include "testutil.h"
#include "xps.h"

/* Values as gen_filter.py makes them: xpt_random(seed) over the flat
 * elements (re, im interleaved when cplx), then on the real part of element
 * i: v += offset + ramp * i / size.  A new malloc'd buffer of size (2 size
 * when cplx) doubles. */
double *xft_values(int64_t size, int cplx, unsigned seed, double offset, double ramp);
/* A new array on p with those values cast to dtype. */
xp_array *xft_input(const xp_provider *p, xp_dtype dtype, int ndim, const int64_t *shape,
                    unsigned seed, double offset, double ramp);
/* "f64:SEED:3x64[:OFFSET[:RAMP]]" -> a new array on p; NULL if malformed. */
xp_array *xft_input_text(const xp_provider *p, const char *text);
/* "f32" "f64" "c64" "c128" -> dtype; -1 if unknown. */
int xft_dtype(const char *name);

/* The array's values as doubles (see xpt_values) and their count. */
double *xft_get(const xp_array *a, int64_t *nvals);
/* max |a - b| / max |b| over two arrays of equal shape (complex as
 * interleaved parts); fails the test on a shape mismatch. */
double xft_err(const xp_array *a, const xp_array *b);
/* 1 if a holds exactly the values of b (same dtype and shape). */
int xft_same(const xp_array *a, const xp_array *b);
/* A copy of a on its provider. */
xp_array *xft_copy(const xp_array *a);

/* Live provider allocations (for leak checks). */
int64_t xft_live(const xp_provider *p);
/* Assert that the last error message contains every needle (NULL-ended). */
void xft_msg_has(const char *what, ...);

/* Filter designs used by the property and bad-input suites (SciPy's
 * output, written out): butter(4, 0.2) and cheby1(3, 1, [0.2, 0.45],
 * 'bandpass') in ba and sos form. */
extern const double xft_butter4_b[5], xft_butter4_a[5], xft_butter4_sos[2][6];
extern const double xft_cheby3band_b[7], xft_cheby3band_a[7], xft_cheby3band_sos[3][6];

#endif
