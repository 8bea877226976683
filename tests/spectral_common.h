/*
 * spectral_common.h -- what the spectral Check suites share: test inputs
 * made the way tests/golden/gen_spectral.py makes them, option names,
 * comparisons and leak checks.
 */
#ifndef XP_SPECTRAL_COMMON_H
#define XP_SPECTRAL_COMMON_H

#include "testutil.h"
#include "xps.h"

/* Values of an input as gen_spectral.py makes them: xpt_random(seed) over
 * the flat elements (re, im interleaved when cplx), v[i] += ramp * i / size
 * on the real part of element i, then v *= scale.  A new malloc'd buffer
 * of size (2 size when cplx) doubles. */
double *xsp_values(int64_t size, int cplx, unsigned seed, double ramp, double scale);
/* A new array on p with those values cast to dtype. */
xp_array *xsp_input(const xp_provider *p, xp_dtype dtype, int ndim, const int64_t *shape,
                    unsigned seed, double ramp, double scale);
/* "f64:SEED:3x200[:RAMP[:SCALE]]" -> a new array on p; 0 if malformed. */
xp_array *xsp_input_text(const xp_provider *p, const char *text);
/* An explicit window [len] of float64 on p: 0.5 + 0.5 |xpt_random(seed)|. */
xp_array *xsp_window_array(const xp_provider *p, unsigned seed, int64_t len);

/* Comparisons (xpt_get, xpt_array_err, xpt_same), leak checks (xpt_live)
 * and messages (xpt_msg_has): testutil.h. */

#endif
