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

int xft_dtype(const char *name)
{
    static const char *names[] = {"f32", "f64", "c64", "c128"};
    static const xp_dtype dts[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64, XP_COMPLEX128};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i]))
            return (int)dts[i];
    return -1;
}

xp_array *xft_input_text(const xp_provider *p, const char *text)
{
    char buf[128], *save = NULL;
    if (strlen(text) >= sizeof buf)
        return NULL;
    strcpy(buf, text);
    char *dt = strtok_r(buf, ":", &save), *seed = strtok_r(NULL, ":", &save);
    char *shp = strtok_r(NULL, ":", &save), *off = strtok_r(NULL, ":", &save);
    char *ramp = off ? strtok_r(NULL, ":", &save) : NULL;
    if (!dt || !seed || !shp || xft_dtype(dt) < 0)
        return NULL;
    int64_t shape[XP_MAX_NDIM];
    int ndim = 0;
    for (char *s = shp, *end; *s && ndim < XP_MAX_NDIM; s = *end ? end + 1 : end) {
        shape[ndim++] = strtoll(s, &end, 10);
        if (end == s)
            return NULL;
    }
    return xft_input(p, (xp_dtype)xft_dtype(dt), ndim, shape,
                     (unsigned)strtoul(seed, NULL, 10), off ? strtod(off, NULL) : 0.0,
                     ramp ? strtod(ramp, NULL) : 0.0);
}

double *xft_get(const xp_array *a, int64_t *nvals)
{
    int64_t n = xp_array_size(a);
    *nvals = xp_dtype_is_complex(xp_array_dtype(a)) ? 2 * n : n;
    return xpt_values(a);
}

static void same_shape(const xp_array *a, const xp_array *b)
{
    ck_assert_int_eq(xp_array_ndim(a), xp_array_ndim(b));
    for (int d = 0; d < xp_array_ndim(a); d++)
        ck_assert_int_eq(xp_array_dim(a, d), xp_array_dim(b, d));
    ck_assert_int_eq(xp_dtype_is_complex(xp_array_dtype(a)),
                     xp_dtype_is_complex(xp_array_dtype(b)));
}

double xft_err(const xp_array *a, const xp_array *b)
{
    same_shape(a, b);
    int64_t na, nb;
    double *va = xft_get(a, &na), *vb = xft_get(b, &nb);
    double e = xpt_rel_err(va, vb, na);
    free(va);
    free(vb);
    return e;
}

int xft_same(const xp_array *a, const xp_array *b)
{
    same_shape(a, b);
    if (xp_array_dtype(a) != xp_array_dtype(b))
        return 0;
    int64_t na, nb;
    double *va = xft_get(a, &na), *vb = xft_get(b, &nb);
    int same = 1;
    for (int64_t i = 0; i < na; i++)
        if (!(va[i] == vb[i] || (isnan(va[i]) && isnan(vb[i]))))
            same = 0;
    free(va);
    free(vb);
    return same;
}

xp_array *xft_copy(const xp_array *a)
{
    xp_array *c = NULL;
    XPT_OK(xp_array_astype(a, xp_array_dtype(a), &c));
    return c;
}

int64_t xft_live(const xp_provider *p)
{
    xp_provider_stats st;
    memset(&st, 0, sizeof st);
    st.size = sizeof st;
    XPT_OK(xp_provider_stats_get(p, &st));
    return st.allocs;
}

void xft_msg_has(const char *what, ...)
{
    const char *msg = xp_errmsg();
    va_list ap;
    va_start(ap, what);
    for (const char *needle; (needle = va_arg(ap, const char *));)
        ck_assert_msg(strstr(msg, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", what,
                      msg, needle);
    va_end(ap);
}
