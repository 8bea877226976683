/* filter_common.c -- see filter_common.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filter_common.h"

const double xft_butter4_b[5] = {0.004824343357716228, 0.019297373430864913,
                                 0.02894606014629737, 0.019297373430864913,
                                 0.004824343357716228};
const double xft_butter4_a[5] = {1.0, -2.369513007182038, 2.313988414415881,
                                 -1.054665405878568, 0.18737949236818502};
const double xft_butter4_sos[2][6] = {
    {0.004824343357716228, 0.009648686715432456, 0.004824343357716228, 1.0,
     -1.0485995763626117, 0.2961403575616696},
    {1.0, 2.0, 1.0, 1.0, -1.3209134308194264, 0.6327387928852766}};
const double xft_cheby3band_b[7] = {0.021074696837955847, 0.0, -0.06322409051386754, 0.0,
                                    0.06322409051386754, 0.0, -0.021074696837955847};
const double xft_cheby3band_a[7] = {1.0, -2.7521670013981225, 4.499128375027845,
                                    -4.679575958957474, 3.4991220972437502,
                                    -1.6342059260954336, 0.4636572126168883};
const double xft_cheby3band_sos[3][6] = {
    {0.021074696837955847, 0.042149393675911695, 0.021074696837955847, 1.0,
     -0.9389093525275967, 0.6601751512087797},
    {1.0, 0.0, -1.0, 1.0, -0.3039433062782276, 0.8019317767935678},
    {1.0, -2.0, 1.0, 1.0, -1.509314342592298, 0.8757908904581077}};

double *xft_values(int64_t size, int cplx, unsigned seed, double offset, double ramp)
{
    int64_t w = cplx ? 2 : 1, nv = w * size;
    double *v = malloc((size_t)(nv > 0 ? nv : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    xpt_random(v, nv, seed);
    if (offset != 0.0 || ramp != 0.0)
        for (int64_t i = 0; i < size; i++)
            v[w * i] = v[w * i] + offset + ramp * (double)i / (double)size;
    return v;
}

xp_array *xft_input(const xp_provider *p, xp_dtype dtype, int ndim, const int64_t *shape,
                    unsigned seed, double offset, double ramp)
{
    int64_t size = xp__shape_size(ndim, shape);
    double *v = xft_values(size, xp_dtype_is_complex(dtype), seed, offset, ramp);
    xp_array *a = xpt_array(p, dtype, ndim, shape, v);
    free(v);
    return a;
}

xp_array *xft_input_text(const xp_provider *p, const char *text)
{
    xpt_spec s = {.a = 0.0, .b = 0.0};
    if (xpt_spec_parse(text, &s))
        return NULL;
    return xft_input(p, s.dtype, s.ndim, s.shape, s.seed, s.a, s.b);
}

xp_array *xft_copy(const xp_array *a)
{
    xp_array *c = NULL;
    XPT_OK(xp_array_astype(a, xp_array_dtype(a), &c));
    return c;
}
