/* arith.c -- small conveniences over the library's array arithmetic
 * (xp_affine, xp_reduce): the work stays where the arrays live. */
#include <stdlib.h>
#include <string.h>
#include "gw150914.h"

/* y = alpha x + beta with real scalars: the demo's common case. */
int gw_affine(const xp_array *x, double alpha, double beta, const xp_array *y)
{
    return xp_affine(x, alpha, 0, beta, 0, y);
}

/* The sum of a 1-D array, on the host. */
int gw_sum(const xp_array *x, double *sum)
{
    int64_t one = 1;
    xp_array *s = NULL;
    int rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), 1, &one, &s);
    if (rc == XP_OK)
        rc = xp_reduce(XP_REDUCE_SUM, x, 0, s);
    if (rc == XP_OK)
        rc = xp_array_to_host(s, sum, sizeof *sum);
    xp_array_free(s);
    return rc;
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
