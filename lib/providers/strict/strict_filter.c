/*
 * strict_filter.c -- lfilter and sosfilt: checked, then the host kernels
 * on the decoded tensors.  Optional state tensors (zi, zf) may be NULL.
 */
#include <string.h>
#include "strict.h"

/* Take an optional tensor: NULL gives an empty view (blk == NULL). */
static int take_opt(xp__strict_ctx *c, const char *fn, const char *name,
                    const DLTensor *t, xp__strict_view *v)
{
    if (!t) {
        memset(v, 0, sizeof *v);
        v->name = name;
        return XP_OK;
    }
    return xp__strict_take(c, fn, name, t, v);
}

static const DLTensor *host_or_null(const xp__strict_view *v)
{
    return v->blk ? &v->t : NULL;
}

/* The optional state s (if given) is x's dtype and has shape
 * batch(x) + tail. */
static int check_state(const char *fn, const xp__strict_view *s,
                       const xp__strict_view *x, int ntail,
                       const int64_t *tail)
{
    int rc;
    if (!s->blk)
        return XP_OK;
    if ((rc = xp__strict_dtype_is(fn, s, x->dtype)))
        return rc;
    return xp__strict_state_shape(fn, s, x, ntail, tail);
}

/* Outputs y and zf (may be absent) against every input and each other;
 * y may be exactly the input x (in-place filtering), in[xi]. */
static int check_outputs(const char *fn, const xp__strict_view *y,
                         const xp__strict_view *zf, int nin,
                         const xp__strict_view *const *in, int xi)
{
    int rc;
    if ((rc = xp__strict_writable(fn, y)) || (rc = xp__strict_writable(fn, zf)))
        return rc;
    for (int i = 0; i < nin; i++)
        if ((rc = xp__strict_disjoint(fn, y, in[i], i == xi))
            || (rc = xp__strict_disjoint(fn, zf, in[i], 0)))
            return rc;
    return xp__strict_disjoint(fn, zf, y, 0);
}

static int nonzero(const xp__strict_view *v, int64_t elem)
{
    double re, im;
    xp__strict_read(v, elem, &re, &im);
    return re != 0 || im != 0;
}

int xp__strict_lfilter(void *ctx, const DLTensor *b, const DLTensor *a,
                       const DLTensor *x, const DLTensor *zi,
                       const DLTensor *y, const DLTensor *zf)
{
    static const char fn[] = "lfilter";
    xp__strict_ctx *c = ctx;
    xp__strict_view vb, va, vx, vzi, vy, vzf;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "b", b, &vb))
        || (rc = xp__strict_take(c, fn, "a", a, &va))
        || (rc = xp__strict_take(c, fn, "x", x, &vx))
        || (rc = take_opt(c, fn, "zi", zi, &vzi))
        || (rc = xp__strict_take(c, fn, "y", y, &vy))
        || (rc = take_opt(c, fn, "zf", zf, &vzf)))
        return rc;
    if (vb.t.ndim != 1 || vb.t.shape[0] < 1 || va.t.ndim != 1
        || va.t.shape[0] < 1)
        return xp_error(XP_ESHAPE, "strict: %s: b and a must be 1-D with at "
                        "least one coefficient each", fn);
    if (vx.t.ndim < 1)
        return xp_error(XP_ESHAPE, "strict: %s: x must have at least one "
                        "axis", fn);
    int64_t nb = vb.t.shape[0], na = va.t.shape[0];
    int64_t k = (na > nb ? na : nb) - 1;
    if ((rc = xp__strict_dtype_is(fn, &vb, vx.dtype))
        || (rc = xp__strict_dtype_is(fn, &va, vx.dtype))
        || (rc = xp__strict_dtype_is(fn, &vy, vx.dtype))
        || (rc = xp__strict_same_shape(fn, &vx, &vy))
        || (rc = check_state(fn, &vzi, &vx, 1, &k))
        || (rc = check_state(fn, &vzf, &vx, 1, &k)))
        return rc;
    if (!nonzero(&va, 0))
        return xp_error(XP_EINVAL, "strict: %s: a[0] must not be zero", fn);
    const xp__strict_view *in[] = {&vb, &va, &vx, &vzi};
    if ((rc = check_outputs(fn, &vy, &vzf, 4, in, 2)))
        return rc;
    rc = xp__host_lfilter(&c->host, &vb.t, &va.t, &vx.t, host_or_null(&vzi),
                          &vy.t, host_or_null(&vzf));
    const xp__strict_view *out[] = {&vy, &vzf};
    return xp__strict_leave(fn, rc, 2, out);
}

int xp__strict_sosfilt(void *ctx, const DLTensor *sos, const DLTensor *x,
                       const DLTensor *zi, const DLTensor *y,
                       const DLTensor *zf)
{
    static const char fn[] = "sosfilt";
    xp__strict_ctx *c = ctx;
    xp__strict_view vs, vx, vzi, vy, vzf;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "sos", sos, &vs))
        || (rc = xp__strict_take(c, fn, "x", x, &vx))
        || (rc = take_opt(c, fn, "zi", zi, &vzi))
        || (rc = xp__strict_take(c, fn, "y", y, &vy))
        || (rc = take_opt(c, fn, "zf", zf, &vzf)))
        return rc;
    if (vs.t.ndim != 2 || vs.t.shape[0] < 1 || vs.t.shape[1] != 6)
        return xp_error(XP_ESHAPE, "strict: %s: sos must have shape "
                        "(nsections, 6) with nsections >= 1", fn);
    if (vx.t.ndim < 1)
        return xp_error(XP_ESHAPE, "strict: %s: x must have at least one "
                        "axis", fn);
    int64_t tail[2] = {vs.t.shape[0], 2};
    if ((rc = xp__strict_dtype_is(fn, &vs, vx.dtype))
        || (rc = xp__strict_dtype_is(fn, &vy, vx.dtype))
        || (rc = xp__strict_same_shape(fn, &vx, &vy))
        || (rc = check_state(fn, &vzi, &vx, 2, tail))
        || (rc = check_state(fn, &vzf, &vx, 2, tail)))
        return rc;
    for (int64_t i = 0; i < tail[0]; i++)
        if (!nonzero(&vs, i * vs.t.strides[0] + 3 * vs.t.strides[1]))
            return xp_error(XP_EINVAL, "strict: %s: sos[%lld, 3] (a0) must "
                            "not be zero", fn, (long long)i);
    const xp__strict_view *in[] = {&vs, &vx, &vzi};
    if ((rc = check_outputs(fn, &vy, &vzf, 3, in, 1)))
        return rc;
    rc = xp__host_sosfilt(&c->host, &vs.t, &vx.t, host_or_null(&vzi), &vy.t,
                          host_or_null(&vzf));
    const xp__strict_view *out[] = {&vy, &vzf};
    return xp__strict_leave(fn, rc, 2, out);
}
