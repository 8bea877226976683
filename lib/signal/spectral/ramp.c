/*
 * ramp.c -- (i - c) / d for i = 0 .. L-1, made on the provider.
 *
 * detrend's line basis and istft's sample times are as long as a segment
 * or the whole signal; uploading them would move that many values (on a
 * GPU, across the bus).  The integers i are the outer sum of a coarse ramp
 * (0, B, 2B, ...) and a fine one (0 .. B-1), B near sqrt(L), both exact,
 * so that only 2 sqrt(L) values are uploaded; then the same correctly
 * rounded subtraction and division numpy makes on each element.
 */
#include <math.h>
#include "spectral.h"

/* One value as a 0-stride view of shape [L]. */
static int scalar_over(const xp_provider *p, double v, int64_t L, xp_array **a,
                       xp_array **b)
{
    int64_t one = 1;
    int rc = xp_array_from_host(p, XP_FLOAT64, 1, &one, &v, a);
    return rc ? rc : xp__view_broadcast(*a, 1, &L, b);
}

/* dst [rows, cols] = coarse[k0 + i] + fine[j]: coarse and fine are 1-D. */
static int outer_sum(const xp_array *coarse, int64_t k0, const xp_array *fine,
                     const xp_array *dst)
{
    int64_t rows = xp_array_dim(dst, 0), cols = xp_array_dim(dst, 1);
    int64_t shape[2] = {rows, cols}, cshape[2] = {rows, 1}, cstr[2] = {1, 1};
    xp_array *c = NULL, *f = NULL, *cb = NULL, *fb = NULL;
    int rc = xp__view(coarse, 2, cshape, cstr, k0, &c);
    if (rc == XP_OK)
        rc = xp__view_slice(fine, 0, 0, cols, 1, &f);
    if (rc == XP_OK)
        rc = xp__view_broadcast(c, 2, shape, &cb);
    if (rc == XP_OK)
        rc = xp__view_broadcast(f, 2, shape, &fb);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_ADD, cb, fb, dst);
    xp_array *tmp[] = {c, f, cb, fb};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    return rc;
}

int xps__ramp(const char *fn, const xp_provider *p, double c, double d,
              const xp_array *out)
{
    int64_t L = xp_array_dim(out, 0), s = xp_array_dltensor(out)->strides[0];
    if (L == 0)
        return XP_OK;
    int64_t B = (int64_t)ceil(sqrt((double)L)), nb = L / B, rem = L - nb * B;
    double *h = xp__malloc((size_t)(nb + 1 + B) * sizeof *h);
    if (!h)
        return xp_error(XP_ENOMEM, "%s: out of memory for a ramp of %lld values", fn,
                        (long long)L);
    for (int64_t i = 0; i <= nb; i++)
        h[i] = (double)(i * B);
    for (int64_t j = 0; j < B; j++)
        h[nb + 1 + j] = (double)j;
    int64_t ncoarse = nb + 1;
    xp_array *co = NULL, *fi = NULL, *body = NULL, *tail = NULL;
    xp_array *c0 = NULL, *cb = NULL, *d0 = NULL, *db = NULL;
    int rc = xp_array_from_host(p, XP_FLOAT64, 1, &ncoarse, h, &co);
    if (rc == XP_OK)
        rc = xp_array_from_host(p, XP_FLOAT64, 1, &B, h + nb + 1, &fi);
    if (rc == XP_OK && nb > 0) {            /* out[i B + j] = i B + j */
        int64_t shape[2] = {nb, B}, strides[2] = {B * s, s};
        rc = xp__view(out, 2, shape, strides, 0, &body);
        if (rc == XP_OK)
            rc = outer_sum(co, 0, fi, body);
    }
    if (rc == XP_OK && rem > 0) {           /* the last, short row */
        int64_t shape[2] = {1, rem}, strides[2] = {rem * s, s};
        rc = xp__view(out, 2, shape, strides, nb * B * s, &tail);
        if (rc == XP_OK)
            rc = outer_sum(co, nb, fi, tail);
    }
    /* i - 0 is i: no pass for it */
    if (rc == XP_OK && c != 0 && (rc = scalar_over(p, c, L, &c0, &cb)) == XP_OK)
        rc = xp__binary(XP_BINARY_SUB, out, cb, out);
    if (rc == XP_OK && (rc = scalar_over(p, d, L, &d0, &db)) == XP_OK)
        rc = xp__binary(XP_BINARY_DIV, out, db, out);
    xp_array *tmp[] = {co, fi, body, tail, c0, cb, d0, db};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    xp__free(h);
    return rc;
}
