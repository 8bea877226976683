/* arith.c -- elementwise arithmetic for the demo.
 *
 * The library's public API has transforms, filters and estimators but no
 * "multiply these two arrays": for that we call the provider's own xp_ops
 * table (public in xp_ops.h) on the arrays' DLPack tensors, so the work
 * stays where the arrays live. */
#include <stdlib.h>
#include <string.h>
#include "gw150914.h"

/* The provider all arrays share, with the slot checked by the caller. */
static int provider_of(const char *fn, int n, const xp_array *const *a,
                       const xp_provider **p)
{
    int rc = xp_get_namespace(n, a, p);
    if (rc == XP_OK && !*p)
        rc = xp_error(XP_EINVAL, "%s: no array given", fn);
    return rc;
}

int gw_unary(xp_unary_op op, const xp_array *x, const xp_array *y)
{
    const xp_array *a[] = {x, y};
    const xp_provider *p;
    int rc = provider_of("gw_unary", 2, a, &p);
    if (rc)
        return rc;
    if (!p->ops->unary)
        return xp_error(XP_EUNAVAIL, "gw_unary: provider '%s' has no unary op", p->name);
    return p->ops->unary(p->ctx, op, xp_array_dltensor(x), xp_array_dltensor(y));
}

int gw_binary(xp_binary_op op, const xp_array *a, const xp_array *b, const xp_array *out)
{
    const xp_array *arr[] = {a, b, out};
    const xp_provider *p;
    int rc = provider_of("gw_binary", 3, arr, &p);
    if (rc)
        return rc;
    if (!p->ops->binary)
        return xp_error(XP_EUNAVAIL, "gw_binary: provider '%s' has no binary op", p->name);
    return p->ops->binary(p->ctx, op, xp_array_dltensor(a), xp_array_dltensor(b),
                          xp_array_dltensor(out));
}

int gw_affine(const xp_array *x, double alpha, double beta, const xp_array *y)
{
    const xp_array *a[] = {x, y};
    const xp_provider *p;
    int rc = provider_of("gw_affine", 2, a, &p);
    if (rc)
        return rc;
    if (!p->ops->affine)
        return xp_error(XP_EUNAVAIL, "gw_affine: provider '%s' has no affine op", p->name);
    return p->ops->affine(p->ctx, xp_array_dltensor(x), alpha, 0, beta, 0,
                          xp_array_dltensor(y));
}

int gw_sum(const xp_array *x, double *sum)
{
    const xp_provider *p = xp_array_provider(x);
    int64_t one = 1;
    xp_array *s = NULL;
    if (!p->ops->reduce)
        return xp_error(XP_EUNAVAIL, "gw_sum: provider '%s' has no reduce op", p->name);
    int rc = xp_array_empty(p, xp_array_dtype(x), 1, &one, &s);
    if (rc == XP_OK)
        rc = p->ops->reduce(p->ctx, XP_REDUCE_SUM, xp_array_dltensor(x), 0,
                            xp_array_dltensor(s));
    if (rc == XP_OK)
        rc = xp_array_to_host(s, sum, sizeof *sum);
    xp_array_free(s);
    return rc;
}

int gw_slice(const xp_array *a, int64_t start, int64_t n, int64_t step, xp_array **out)
{
    const DLTensor *t = xp_array_dltensor(a);
    if (t->ndim != 1 || start < 0 || n < 0 || step < 1
        || (n > 0 && start + (n - 1) * step >= t->shape[0]))
        return xp_error(XP_ESHAPE, "gw_slice: [%lld : +%lld : %lld] is outside the array",
                        (long long)start, (long long)n, (long long)step);
    /* a borrowed tensor over the same memory: data and byte_offset stay
     * the provider's business, we only move the offset */
    DLTensor v = *t;
    int64_t shape = n, stride = t->strides[0] * step;
    v.shape = &shape;
    v.strides = &stride;
    v.byte_offset += (uint64_t)(start * t->strides[0]) * (t->dtype.bits / 8) * t->dtype.lanes;
    return xp_array_wrap(&v, out);
}

int gw_upload(const xp_provider *p, const double *v, int64_t n, xp_array **out)
{
    return xp_array_from_host(p, XP_FLOAT64, 1, &n, v, out);
}

int gw_download(const xp_array *a, double **out)
{
    size_t nb = (size_t)xp_array_size(a) * xp_dtype_size(xp_array_dtype(a));
    *out = malloc(nb ? nb : 1);
    if (!*out)
        return xp_error(XP_ENOMEM, "gw_download: out of memory for %zu bytes", nb);
    int rc = xp_array_to_host(a, *out, nb);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}
