/*
 * exponential.c -- the exponential (Poisson) window exp(-|n - center|/tau).
 * Parameters (center, tau), defaults (None, 1).  A NaN center stands for
 * SciPy's None, the middle of the window; a symmetric window must be
 * centred, so there center must be None.
 */
#include <math.h>
#include "windows.h"

int xps__exponential(int64_t M, int sym, const double *prm, int nprm,
                     double *out)
{
    double center = nprm > 0 ? prm[0] : NAN;
    double tau = nprm > 1 ? prm[1] : 1.0;
    if (sym && !isnan(center))
        return xp_error(XP_EINVAL, "exponential: center (%g) must be None (NaN) "
                        "for a symmetric window", center);
    if (M <= 1)
        return xps__window_ones(M, out);
    int64_t N = xps__window_len(M, sym);
    if (isnan(center))
        center = (double)(N - 1) / 2;
    for (int64_t i = 0; i < M; i++)
        out[i] = exp(-fabs((double)i - center) / tau);
    return XP_OK;
}
