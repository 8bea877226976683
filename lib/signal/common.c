/* common.c -- shape helpers the signal layer shares. */
#include "common.h"

void xps__replace_axis(int ndim, const int64_t *shape, int axis, int64_t len,
                       int64_t *out_shape)
{
    for (int d = 0; d < ndim; d++)
        out_shape[d] = d == axis ? len : shape[d];
}

/* rows_view's work; copy NULL: never copy (*rows stays NULL instead). */
static int rows_of(const xp_array *x, int axis, xp_array **rows, xp_array **copy)
{
    int rc;
    xp_array *m = NULL;
    *rows = NULL;
    if (copy)
        *copy = NULL;
    if ((rc = xp__view_axis_last(x, axis, &m)))
        return rc;
    const DLTensor *d = xp_array_dltensor(m);
    int nd = d->ndim;
    int64_t n = d->shape[nd - 1], R = xp_array_size(m) / (n > 0 ? n : 1);
    if (n == 0)
        R = xp__shape_size(nd - 1, d->shape);
    /* innermost batch axis of size > 1 gives the row stride; the others
     * must follow it in C order */
    int64_t rstride = 0, span = 0;
    int ok = 1, seen = 0;
    for (int k = nd - 2; k >= 0; k--) {
        if (d->shape[k] == 1)
            continue;
        if (!seen) {
            seen = 1;
            rstride = d->strides[k];
            span = rstride * d->shape[k];
        } else if (d->strides[k] == span) {
            span *= d->shape[k];
        } else {
            ok = 0;
            break;
        }
    }
    const xp_array *src = m;
    if (!ok && !copy) {
        xp_array_free(m);
        return XP_OK;
    }
    if (!ok) {
        if ((rc = xp_array_astype(m, xp_array_dtype(m), copy))) {
            xp_array_free(m);
            return rc;
        }
        src = *copy;
        rstride = n;
    }
    int64_t shape2[2] = {R, n}, strides2[2] = {rstride, xp_array_dltensor(src)->strides[nd - 1]};
    rc = xp__view(src, 2, shape2, strides2, 0, rows);
    xp_array_free(m);
    if (rc && copy) {
        xp_array_free(*copy);
        *copy = NULL;
    }
    return rc;
}

int xps__rows_view(const xp_array *x, int axis, xp_array **rows, xp_array **copy)
{
    return rows_of(x, axis, rows, copy);
}

int xps__rows_only(const xp_array *x, int axis, xp_array **rows)
{
    return rows_of(x, axis, rows, NULL);
}
