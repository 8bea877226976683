/* spectral_common.c -- see spectral_common.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spectral_common.h"

double *xsp_values(int64_t size, int cplx, unsigned seed, double ramp, double scale)
{
    int64_t w = cplx ? 2 : 1, nv = w * size;
    double *v = malloc((size_t)(nv > 0 ? nv : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    xpt_random(v, nv, seed);
    if (ramp != 0.0)
        for (int64_t i = 0; i < size; i++)
            v[w * i] = v[w * i] + ramp * (double)i / (double)size;
    if (scale != 1.0)
        for (int64_t i = 0; i < nv; i++)
            v[i] = v[i] * scale;
    return v;
}

xp_array *xsp_input(const xp_provider *p, xp_dtype dtype, int ndim, const int64_t *shape,
                    unsigned seed, double ramp, double scale)
{
    int64_t size = 1;
    for (int d = 0; d < ndim; d++)
        size *= shape[d];
    double *v = xsp_values(size, xp_dtype_is_complex(dtype), seed, ramp, scale);
    xp_array *a = xpt_array(p, dtype, ndim, shape, v);
    free(v);
    return a;
}

xp_array *xsp_input_text(const xp_provider *p, const char *text)
{
    xpt_spec s = {.a = 0.0, .b = 1.0};
    if (xpt_spec_parse(text, &s))
        return NULL;
    return xsp_input(p, s.dtype, s.ndim, s.shape, s.seed, s.a, s.b);
}

xp_array *xsp_window_array(const xp_provider *p, unsigned seed, int64_t len)
{
    double *v = malloc((size_t)(len > 0 ? len : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    xpt_random(v, len, seed);
    for (int64_t i = 0; i < len; i++)
        v[i] = 0.5 + 0.5 * fabs(v[i]);
    xp_array *a = xpt_array(p, XP_FLOAT64, 1, &len, v);
    free(v);
    return a;
}
