/* common.c -- shape helpers and output checks the signal layer shares. */
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

int xps__check_out(const char *fn, const char *name, const xp_array *o, const xp_array *x,
                   xp_dtype dt, const xp_array *like, const char *like_name)
{
    if (xp_array_provider(o) != xp_array_provider(x))
        return xp_error(XP_EDEVICE, "%s: %s lives on provider '%s', x on '%s'", fn, name,
                        xp_provider_name(xp_array_provider(o)),
                        xp_provider_name(xp_array_provider(x)));
    if (xp_array_dtype(o) != dt && dt == xp_array_dtype(x))
        return xp_error(XP_EDTYPE, "%s: %s is %s, expected %s (x's dtype)", fn, name,
                        xp_dtype_name(xp_array_dtype(o)), xp_dtype_name(dt));
    if (xp_array_dtype(o) != dt)
        return xp_error(XP_EDTYPE, "%s: %s is %s, expected %s (the result's dtype for %s x)",
                        fn, name, xp_dtype_name(xp_array_dtype(o)), xp_dtype_name(dt),
                        xp_dtype_name(xp_array_dtype(x)));
    int nd = xp_array_ndim(like);
    int same = xp_array_ndim(o) == nd;
    for (int d = 0; same && d < nd; d++)
        same = xp_array_dim(o, d) == xp_array_dim(like, d);
    if (!same)
        return xp_error(XP_ESHAPE, "%s: %s must have the shape of %s", fn, name, like_name);
    if (xp_array_is_readonly(o))
        return xp_error(XP_EINVAL, "%s: %s is read-only", fn, name);
    if (!xp__writes_once(o))
        return xp_error(XP_EINVAL, "%s: %s writes some element twice (zero or overlapping "
                        "strides)", fn, name);
    return XP_OK;
}

int xps__check_y(const char *fn, const xp_array *x, const xp_array *y)
{
    return xps__check_y_as(fn, x, y, xp_array_dtype(x));
}

int xps__check_y_as(const char *fn, const xp_array *x, const xp_array *y, xp_dtype dt)
{
    int rc;
    if (!y)
        return xp_error(XP_EINVAL, "%s: y is NULL", fn);
    if ((rc = xps__check_out(fn, "y", y, x, dt, x, "x")))
        return rc;
    if (!xp__same_view(y, x) && xp__may_overlap(y, x))
        return xp_error(XP_EINVAL, "%s: y shares memory with x (only y = x, in place, is "
                        "allowed)", fn);
    return XP_OK;
}
