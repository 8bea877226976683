/*
 * testutil.h -- shared helpers for the Check suites.
 *
 * Algorithm and op tests loop over every provider usable here
 * (tcase_add_loop_test(tc, fn, 0, xpt_nproviders())): host, strict, and
 * cuda when a GPU is present.  Values move through double arrays; complex
 * values are interleaved (re, im) pairs.
 */
#ifndef XP_TESTUTIL_H
#define XP_TESTUTIL_H

#include <check.h>
#include "xp_internal.h"

int xpt_nproviders(void);
const xp_provider *xpt_provider(int i);

/* New array on p of dtype/shape from doubles (prod(shape) values, twice
 * that for complex dtypes).  Fails the test on error. */
xp_array *xpt_array(const xp_provider *p, xp_dtype dtype, int ndim,
                    const int64_t *shape, const double *vals);
/* All of a as doubles (interleaved for complex) in a new malloc'd buffer. */
double *xpt_values(const xp_array *a);
/* max |a_i - b_i| / max(max |b|, tiny) over n doubles */
double xpt_rel_err(const double *a, const double *b, int64_t n);
/* Deterministic pseudo-random values in [-1, 1). */
void xpt_random(double *v, int64_t n, unsigned seed);

/* Run a suite; returns the process exit status for automake. */
int xpt_run(Suite *s);

#define XPT_OK(call)                                                   \
    do {                                                               \
        int xpt_rc_ = (call);                                          \
        ck_assert_msg(xpt_rc_ == 0, "%s -> %d: %s", #call, xpt_rc_,    \
                      xp_errmsg());                                    \
    } while (0)

#endif
