/*
 * windows.h -- internals of the window functions (lib/signal/windows).
 *
 * Every window is one function of the xps__window_fn type.  It receives the
 * parameters exactly as given (the registry has already checked their count
 * against the window's table entry), applies SciPy's defaults for those left
 * out, and writes M values.  Like SciPy, a window of length M <= 1 is all
 * ones, and a periodic window (sym = 0) is the symmetric window of M + 1
 * points without its last one: xps__window_len gives that length.
 */
#ifndef XPS_WINDOWS_H
#define XPS_WINDOWS_H

#include "xp_internal.h"
#include "xps.h"

/* Longest window (and dpss Kmax * M) accepted: sizes stay far from
 * overflow in every byte count. */
#define XPS__WINDOW_MAXLEN ((int64_t)1 << 48)

typedef int (*xps__window_fn)(int64_t M, int sym, const double *prm, int nprm,
                              double *out);

/* Length of the symmetric window a window of M points is cut from. */
static inline int64_t xps__window_len(int64_t M, int sym)
{
    return sym ? M : M + 1;
}

/* out[0..M) = 1; returns XP_OK (the M <= 1 case of every window). */
int xps__window_ones(int64_t M, double *out);

/* Fixed-coefficient sum of cosines: the engine of hann, hamming, ... */
int xps__general_cosine_coefs(int64_t M, int sym, const double *a, int na,
                              double *out);

/* In-place complex DFT of n >= 1 points, interleaved (re, im), in double:
 * sign -1 forward (exp(-2 pi i jk/n)), +1 backward, unscaled.  Any n
 * (radix 2, or Bluestein through radix 2).  For design-time work on the
 * host only; the signal algorithms use the provider's FFT. */
int xps__dft(int64_t n, double *x, int sign);

/* Exponentially scaled modified Bessel function exp(-|x|) I0(x). */
double xps__i0e(double x);

/* The k largest eigenpairs of the symmetric tridiagonal matrix with
 * diagonal d[n] and off-diagonal e[n-1], largest first: values lam[k],
 * unit eigenvectors vec[k][n] (row-major, signs arbitrary). */
int xps__tridiag_top_eigen(int64_t n, const double *d, const double *e,
                           int64_t k, double *lam, double *vec);

/* The windows (one per SciPy function). */
int xps__boxcar(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__triang(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__parzen(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__bohman(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__blackman(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__nuttall(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__blackmanharris(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__flattop(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__bartlett(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__barthann(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__hamming(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__hann(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__cosine(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__exponential(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__tukey(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__taylor(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__lanczos(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__kaiser(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__kaiser_bessel_derived(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__gaussian(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__general_gaussian(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__general_cosine(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__general_hamming(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__chebwin(int64_t M, int sym, const double *prm, int nprm, double *out);
int xps__dpss(int64_t M, int sym, const double *prm, int nprm, double *out);

/* Registry lookup: the entry for name (an alias, possibly with a
 * "_symmetric" / "_periodic" suffix, which sets *sym_override to 1 / 0;
 * -1 without suffix).  NULL and an error message listing the known windows
 * when unknown; fn names the caller for the message. */
typedef struct {
    const char *names[6];       /* accepted names, the SciPy function's first */
    xps__window_fn fn;
    int min_params, max_params;
    int none_param;             /* index of the parameter that may be None (NaN), or -1 */
    const char *params;         /* parameter names, e.g. "nbar, sll, norm" */
    const char *example;        /* a spec with parameters, or NULL */
} xps__window_entry;

const xps__window_entry *xps__window_lookup(const char *fn, const char *name,
                                            int *sym_override);
/* Check the parameters against the entry: their count ("fn: window
 * 'kaiser' needs parameter beta ...") and that none is NaN but the one
 * that stands for None. */
int xps__window_check_params(const char *fn, const xps__window_entry *e,
                             const double *prm, int nprm);

#endif /* XPS_WINDOWS_H */
