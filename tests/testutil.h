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
#include <stdio.h>
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

/* An input as the golden files name it: "DT:SEED:SHAPE[:A[:B]]", DT one of
 * f32 f64 c64 c128, SHAPE like 3x200. */
typedef struct {
    xp_dtype dtype;
    unsigned seed;
    int ndim;
    int64_t shape[XP_MAX_NDIM];
    double a, b;            /* left as they were when not given */
} xpt_spec;
/* Parses text into *s; 0, or -1 if malformed. */
int xpt_spec_parse(const char *text, xpt_spec *s);

/* ---------------------------------------------------- comparing arrays */

/* The array's values as doubles (see xpt_values) and their count. */
double *xpt_get(const xp_array *a, int64_t *nvals);
/* max |a - b| / max |b| over two arrays of equal shape (complex compared
 * as interleaved parts); fails the test on a shape mismatch. */
double xpt_array_err(const xp_array *a, const xp_array *b);
/* 1 if a holds exactly the values of b (same dtype and shape; NaN equals
 * NaN); fails the test on a shape mismatch. */
int xpt_same(const xp_array *a, const xp_array *b);
/* Live provider allocations (for leak checks). */
int64_t xpt_live(const xp_provider *p);
/* Assert that the last error message contains every needle (NULL-ended). */
void xpt_msg_has(const char *what, ...);

/* ------------------------------------------------------- golden files */

/* $top_srcdir/tests/golden/NAME (top_srcdir "." when unset) opened for
 * reading, its path left in path[cap]; fails the test if it cannot be. */
FILE *xpt_golden_open(const char *name, char *path, size_t cap);
/* The next line without its newline, malloc'd; NULL at the end. */
char *xpt_read_line(FILE *f);
/* The next line's n numbers in a new malloc'd buffer; with a tag the line
 * must read "TAG v0 v1 ...".  Fails the test on a short or missing line. */
double *xpt_read_values(FILE *f, const char *tag, int64_t n);

/* Remove a folder of plain files a test wrote (mkdtemp), and the folder. */
void xpt_remove_dir(const char *dir);

/* Run a suite; returns the process exit status for automake. */
int xpt_run(Suite *s);

#define XPT_OK(call)                                                   \
    do {                                                               \
        int xpt_rc_ = (call);                                          \
        ck_assert_msg(xpt_rc_ == 0, "%s -> %d: %s", #call, xpt_rc_,    \
                      xp_errmsg());                                    \
    } while (0)

#endif
