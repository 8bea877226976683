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

/* Comparisons (xpt_get, xpt_array_err, xpt_same), leak checks (xpt_live)
 * and messages (xpt_msg_has): testutil.h. */

/* A copy of a on its provider. */
xp_array *xft_copy(const xp_array *a);

/* Filter designs used by the property and bad-input suites (SciPy's
 * output, written out): butter(4, 0.2) and cheby1(3, 1, [0.2, 0.45],
 * 'bandpass') in ba and sos form. */
extern const double xft_butter4_b[5], xft_butter4_a[5], xft_butter4_sos[2][6];
extern const double xft_cheby3band_b[7], xft_cheby3band_a[7], xft_cheby3band_sos[3][6];

#endif
