/* testutil.c -- see testutil.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

int xpt_nproviders(void)
{
    int n = 0;
    for (int64_t i = 0; i < xp_provider_count(); i++)
        if (xp_provider_available(xp_provider_get(i), NULL))
            n++;
    return n;
}

const xp_provider *xpt_provider(int k)
{
    for (int64_t i = 0; i < xp_provider_count(); i++) {
        const xp_provider *p = xp_provider_get(i);
        if (xp_provider_available(p, NULL) && k-- == 0)
            return p;
    }
    ck_abort_msg("no provider %d", k);
    return NULL;
}

xp_array *xpt_array(const xp_provider *p, xp_dtype dtype, int ndim,
                    const int64_t *shape, const double *vals)
{
    int64_t n = xp__shape_size(ndim, shape);
    int64_t nv = xp_dtype_is_complex(dtype) ? 2 * n : n;
    void *buf = malloc((size_t)(nv > 0 ? nv : 1) * sizeof(double));
    ck_assert_ptr_nonnull(buf);
    if (dtype == XP_FLOAT32 || dtype == XP_COMPLEX64)
        for (int64_t i = 0; i < nv; i++)
            ((float *)buf)[i] = (float)vals[i];
    else if (nv > 0)
        memcpy(buf, vals, (size_t)nv * sizeof(double));
    xp_array *a = NULL;
    XPT_OK(xp_array_from_host(p, dtype, ndim, shape, buf, &a));
    free(buf);
    return a;
}

double *xpt_values(const xp_array *a)
{
    xp_dtype dt = xp_array_dtype(a);
    int64_t n = xp_array_size(a);
    int64_t nv = xp_dtype_is_complex(dt) ? 2 * n : n;
    double *out = malloc((size_t)(nv > 0 ? nv : 1) * sizeof(double));
    ck_assert_ptr_nonnull(out);
    XPT_OK(xp_array_to_host(a, out, (size_t)(nv > 0 ? nv : 1) * sizeof(double)));
    if (dt == XP_FLOAT32 || dt == XP_COMPLEX64) {
        float *f = (float *)out;
        for (int64_t i = nv - 1; i >= 0; i--)   /* widen in place, from the end */
            out[i] = f[i];
    }
    return out;
}

double xpt_rel_err(const double *a, const double *b, int64_t n)
{
    double scale = 0, err = 0;
    for (int64_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(b[i]));
    for (int64_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (isnan(a[i]) != isnan(b[i]))
            return INFINITY;
        if (!isnan(d))
            err = fmax(err, d);
    }
    return err / (scale > 0 ? scale : 1e-300);
}

void xpt_random(double *v, int64_t n, unsigned seed)
{
    uint64_t s = 0x9E3779B97F4A7C15ull ^ seed;
    for (int64_t i = 0; i < n; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;   /* xorshift64 */
        v[i] = (double)(s >> 11) / 4503599627370496.0 - 1.0;
    }
}

int xpt_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
