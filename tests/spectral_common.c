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

int xsp_dtype(const char *name)
{
    if (!strcmp(name, "f32"))
        return XP_FLOAT32;
    if (!strcmp(name, "f64"))
        return XP_FLOAT64;
    if (!strcmp(name, "c64"))
        return XP_COMPLEX64;
    if (!strcmp(name, "c128"))
        return XP_COMPLEX128;
    return -1;
}

xp_array *xsp_input_text(const xp_provider *p, const char *text)
{
    char buf[128], *save = NULL;
    if (strlen(text) >= sizeof buf)
        return NULL;
    strcpy(buf, text);
    char *dt = strtok_r(buf, ":", &save), *seed = strtok_r(NULL, ":", &save);
    char *shp = strtok_r(NULL, ":", &save), *ramp = strtok_r(NULL, ":", &save);
    char *scale = ramp ? strtok_r(NULL, ":", &save) : NULL;
    if (!dt || !seed || !shp || xsp_dtype(dt) < 0)
        return NULL;
    int64_t shape[XP_MAX_NDIM];
    int ndim = 0;
    for (char *s = shp, *end; *s && ndim < XP_MAX_NDIM; s = *end ? end + 1 : end) {
        shape[ndim++] = strtoll(s, &end, 10);
        if (end == s)
            return NULL;
    }
    return xsp_input(p, (xp_dtype)xsp_dtype(dt), ndim, shape,
                     (unsigned)strtoul(seed, NULL, 10), ramp ? strtod(ramp, NULL) : 0.0,
                     scale ? strtod(scale, NULL) : 1.0);
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

double *xsp_get(const xp_array *a, int64_t *nvals)
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

double xsp_array_err(const xp_array *a, const xp_array *b)
{
    same_shape(a, b);
    int64_t na, nb;
    double *va = xsp_get(a, &na), *vb = xsp_get(b, &nb);
    double e = xpt_rel_err(va, vb, na);
    free(va);
    free(vb);
    return e;
}

int xsp_same(const xp_array *a, const xp_array *b)
{
    same_shape(a, b);
    if (xp_array_dtype(a) != xp_array_dtype(b))
        return 0;
    int64_t na, nb;
    double *va = xsp_get(a, &na), *vb = xsp_get(b, &nb);
    int same = 1;
    for (int64_t i = 0; i < na; i++)
        if (!(va[i] == vb[i] || (isnan(va[i]) && isnan(vb[i]))))
            same = 0;
    free(va);
    free(vb);
    return same;
}

int64_t xsp_live(const xp_provider *p)
{
    xp_provider_stats st;
    memset(&st, 0, sizeof st);
    st.size = sizeof st;
    XPT_OK(xp_provider_stats_get(p, &st));
    return st.allocs;
}

void xsp_msg_has(const char *what, ...)
{
    const char *msg = xp_errmsg();
    va_list ap;
    va_start(ap, what);
    for (const char *needle; (needle = va_arg(ap, const char *));)
        ck_assert_msg(strstr(msg, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", what,
                      msg, needle);
    va_end(ap);
}
