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
/* "f32" "f64" "c64" "c128" -> dtype; -1 if unknown. */
int xsp_dtype(const char *name);

/* The array's values as doubles (see xpt_values) and their count. */
double *xsp_get(const xp_array *a, int64_t *nvals);
/* max |a - b| / max |b| over two arrays of equal shape (complex compared
 * as interleaved parts); fails the test on a shape mismatch. */
double xsp_array_err(const xp_array *a, const xp_array *b);
/* 1 if a holds exactly the values of b (same dtype and shape). */
int xsp_same(const xp_array *a, const xp_array *b);

/* Live provider allocations (for leak checks). */
int64_t xsp_live(const xp_provider *p);

/* Assert that the last error message contains every needle (NULL-ended). */
void xsp_msg_has(const char *what, ...);

#endif
