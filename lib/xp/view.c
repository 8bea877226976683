/*
 * view.c -- new headers over the same memory: slices, axis moves,
 * broadcasts, overlapping frames.  Only shape, strides and byte_offset
 * change; the data handle is never touched (it may not be an address).
 * A view does not own memory: its base must outlive it.
 */
#include "xp_internal.h"

int xp__view(const xp_array *a, int ndim, const int64_t *shape,
             const int64_t *strides, int64_t elem_offset, xp_array **out)
{
    *out = NULL;
    if (ndim < 0 || ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "view: ndim (%d) must be in [0, %d]", ndim, XP_MAX_NDIM);
    int64_t off = (int64_t)a->t.byte_offset + elem_offset * (int64_t)xp_dtype_size(a->dtype);
    if (off < 0)
        return xp_error(XP_ESHAPE, "view: first element lies before the data pointer");
    xp_array *v = xp__calloc(1, sizeof *v);
    if (!v)
        return xp_error(XP_ENOMEM, "view: out of memory for an array header");
    *v = *a;
    v->owned = NULL;
    v->release = NULL;
    v->release_ctx = NULL;
    for (int d = 0; d < ndim; d++) {
        v->shape[d] = shape[d];
        v->strides[d] = strides[d];
    }
    v->t.ndim = ndim;
    v->t.shape = v->shape;
    v->t.strides = v->strides;
    v->t.byte_offset = (uint64_t)off;
    *out = v;
    return XP_OK;
}

int xp__view_axis_last(const xp_array *a, int axis, xp_array **out)
{
    *out = NULL;
    int ax, rc, nd = a->t.ndim, k = 0;
    int64_t shape[XP_MAX_NDIM], strides[XP_MAX_NDIM];
    if ((rc = xp__axis("view", axis, nd, &ax)))
        return rc;
    for (int d = 0; d < nd; d++)
        if (d != ax) {
            shape[k] = a->shape[d];
            strides[k++] = a->strides[d];
        }
    shape[k] = a->shape[ax];
    strides[k] = a->strides[ax];
    return xp__view(a, nd, shape, strides, 0, out);
}

int xp__view_slice(const xp_array *a, int axis, int64_t start, int64_t count,
                   int64_t step, xp_array **out)
{
    *out = NULL;
    int ax, rc;
    int64_t shape[XP_MAX_NDIM], strides[XP_MAX_NDIM];
    if ((rc = xp__axis("slice", axis, a->t.ndim, &ax)))
        return rc;
    int64_t n = a->shape[ax];
    if (step == 0 || count < 0 || (count > 0 && (start < 0 || start >= n
            || start + (count - 1) * step < 0 || start + (count - 1) * step >= n)))
        return xp_error(XP_ESHAPE, "slice: [%lld, step %lld, count %lld] is outside "
                        "an axis of length %lld", (long long)start, (long long)step,
                        (long long)count, (long long)n);
    for (int d = 0; d < a->t.ndim; d++) {
        shape[d] = a->shape[d];
        strides[d] = a->strides[d];
    }
    shape[ax] = count;
    strides[ax] = a->strides[ax] * step;
    return xp__view(a, a->t.ndim, shape, strides,
                    count > 0 ? start * a->strides[ax] : 0, out);
}

int xp__view_broadcast(const xp_array *a, int ndim, const int64_t *shape,
                       xp_array **out)
{
    *out = NULL;
    int64_t strides[XP_MAX_NDIM];
    int lead = ndim - a->t.ndim;
    if (lead < 0 || ndim > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "broadcast: cannot broadcast %d dimensions to %d",
                        a->t.ndim, ndim);
    for (int d = 0; d < ndim; d++) {
        int s = d - lead;
        if (s < 0)
            strides[d] = 0;
        else if (a->shape[s] == shape[d])
            strides[d] = a->strides[s];
        else if (a->shape[s] == 1)
            strides[d] = 0;
        else
            return xp_error(XP_ESHAPE, "broadcast: dimension %d of size %lld cannot "
                            "broadcast to %lld", s, (long long)a->shape[s],
                            (long long)shape[d]);
    }
    return xp__view(a, ndim, shape, strides, 0, out);
}

int xp__view_frames(const xp_array *a, int64_t nperseg, int64_t step,
                    int64_t nframes, xp_array **out)
{
    *out = NULL;
    int nd = a->t.ndim;
    int64_t shape[XP_MAX_NDIM], strides[XP_MAX_NDIM];
    if (nd < 1 || nd + 1 > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "frames: need 1 to %d dimensions, got %d",
                        XP_MAX_NDIM - 1, nd);
    int64_t n = a->shape[nd - 1];
    if (nperseg < 1 || step < 1 || nframes < 0
        || (nframes > 0 && (nframes - 1) * step + nperseg > n))
        return xp_error(XP_ESHAPE, "frames: %lld frames of %lld with step %lld do not "
                        "fit in %lld samples", (long long)nframes, (long long)nperseg,
                        (long long)step, (long long)n);
    for (int d = 0; d < nd - 1; d++) {
        shape[d] = a->shape[d];
        strides[d] = a->strides[d];
    }
    int64_t s = a->strides[nd - 1];
    shape[nd - 1] = nframes;
    strides[nd - 1] = s * step;
    shape[nd] = nperseg;
    strides[nd] = s;
    return xp__view(a, nd + 1, shape, strides, 0, out);
}

int xp__view_expand(const xp_array *a, int axis, xp_array **out)
{
    *out = NULL;
    int nd = a->t.ndim;
    int64_t shape[XP_MAX_NDIM], strides[XP_MAX_NDIM];
    if (axis < 0 || axis > nd || nd + 1 > XP_MAX_NDIM)
        return xp_error(XP_ESHAPE, "expand: axis (%d) out of range for %d dimensions",
                        axis, nd);
    for (int d = 0, k = 0; d <= nd; d++) {
        if (d == axis) {
            shape[d] = 1;
            strides[d] = 0;
        } else {
            shape[d] = a->shape[k];
            strides[d] = a->strides[k++];
        }
    }
    return xp__view(a, nd + 1, shape, strides, 0, out);
}

int xp__view_flip(const xp_array *a, int axis, xp_array **out)
{
    *out = NULL;
    int ax, rc;
    if ((rc = xp__axis("flip", axis, a->t.ndim, &ax)))
        return rc;
    int64_t n = a->shape[ax];
    if (n == 0)
        return xp__view(a, a->t.ndim, a->shape, a->strides, 0, out);
    return xp__view_slice(a, ax, n - 1, n, -1, out);
}

int xp_array_slice(const xp_array *a, int axis, int64_t start, int64_t count, int64_t step,
                   xp_array **out)
{
    if (!out)
        return xp_error(XP_EINVAL, "xp_array_slice: out is NULL");
    *out = NULL;
    if (!a)
        return xp_error(XP_EINVAL, "xp_array_slice: array is NULL");
    return xp__view_slice(a, axis, start, count, step, out);
}
