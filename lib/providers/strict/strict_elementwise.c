/*
 * strict_elementwise.c -- unary, binary and affine: checked, then the host
 * kernels on the decoded tensors.
 */
#include "strict.h"

static int unary_dtypes(const char *fn, xp_unary_op op,
                        const xp__strict_view *x, const xp__strict_view *y)
{
    switch (op) {
    case XP_UNARY_COPY:
        if (xp__strict_is_cplx(x->dtype) && !xp__strict_is_cplx(y->dtype))
            return xp_error(XP_EDTYPE, "strict: %s: copy from complex x to "
                            "real y would drop the imaginary part", fn);
        return XP_OK;
    case XP_UNARY_ABS2:
    case XP_UNARY_ABS:
    case XP_UNARY_ANGLE:
    case XP_UNARY_REAL:
    case XP_UNARY_IMAG:
        return xp__strict_dtype_is(fn, y, xp__strict_real(x->dtype));
    case XP_UNARY_SQRT:
    case XP_UNARY_CONJ:
    case XP_UNARY_NEG:
        return xp__strict_dtype_is(fn, y, x->dtype);
    }
    return xp_error(XP_EINVAL, "strict: %s: op (%d) is not an xp_unary_op",
                    fn, (int)op);
}

int xp__strict_unary(void *ctx, xp_unary_op op, const DLTensor *x,
                     const DLTensor *y)
{
    static const char fn[] = "unary";
    xp__strict_ctx *c = ctx;
    xp__strict_view vx, vy;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "x", x, &vx))
        || (rc = xp__strict_take(c, fn, "y", y, &vy))
        || (rc = unary_dtypes(fn, op, &vx, &vy))
        || (rc = xp__strict_same_shape(fn, &vx, &vy))
        || (rc = xp__strict_writable(fn, &vy))
        || (rc = xp__strict_disjoint(fn, &vy, &vx, 0)))
        return rc;
    rc = xp__host_unary(&c->host, op, &vx.t, &vy.t);
    const xp__strict_view *out[] = {&vy};
    return xp__strict_leave(fn, rc, 1, out);
}

int xp__strict_binary(void *ctx, xp_binary_op op, const DLTensor *a,
                      const DLTensor *b, const DLTensor *out)
{
    static const char fn[] = "binary";
    xp__strict_ctx *c = ctx;
    xp__strict_view va, vb, vo;
    int rc;

    if ((rc = xp__strict_enter(c, fn)))
        return rc;
    if ((unsigned)op > XP_BINARY_MUL_CONJ)
        return xp_error(XP_EINVAL, "strict: %s: op (%d) is not an "
                        "xp_binary_op", fn, (int)op);
    if ((rc = xp__strict_take(c, fn, "a", a, &va))
        || (rc = xp__strict_take(c, fn, "b", b, &vb))
        || (rc = xp__strict_take(c, fn, "out", out, &vo))
        || (rc = xp__strict_dtype_is(fn, &vo, va.dtype)))
        return rc;
    if (vb.dtype != va.dtype && vb.dtype != xp__strict_real(va.dtype))
        return xp__strict_dtype_is(fn, &vb, va.dtype);
    if ((rc = xp__strict_same_shape(fn, &va, &vo))
        || (rc = xp__strict_same_shape(fn, &vb, &vo))
        || (rc = xp__strict_writable(fn, &vo))
        || (rc = xp__strict_disjoint(fn, &vo, &va, 1))
        || (rc = xp__strict_disjoint(fn, &vo, &vb, 0)))
        return rc;
    rc = xp__host_binary(&c->host, op, &va.t, &vb.t, &vo.t);
    const xp__strict_view *outs[] = {&vo};
    return xp__strict_leave(fn, rc, 1, outs);
}

int xp__strict_affine(void *ctx, const DLTensor *x, double alpha_re,
                      double alpha_im, double beta_re, double beta_im,
                      const DLTensor *y)
{
    static const char fn[] = "affine";
    xp__strict_ctx *c = ctx;
    xp__strict_view vx, vy;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "x", x, &vx))
        || (rc = xp__strict_take(c, fn, "y", y, &vy))
        || (rc = xp__strict_same_shape(fn, &vx, &vy)))
        return rc;
    /* y is x's dtype, or the complex dtype of a real x */
    if (vx.dtype != vy.dtype && xp__strict_real(vy.dtype) != vx.dtype)
        return xp__strict_dtype_is(fn, &vy, vx.dtype);
    if (!xp__strict_is_cplx(vy.dtype) && (alpha_im != 0 || beta_im != 0))
        return xp_error(XP_EINVAL, "strict: %s: alpha (%g%+gi) and beta "
                        "(%g%+gi) must be real for a real y", fn, alpha_re,
                        alpha_im, beta_re, beta_im);
    if ((rc = xp__strict_writable(fn, &vy))
        || (rc = xp__strict_disjoint(fn, &vy, &vx, 1)))
        return rc;
    rc = xp__host_affine(&c->host, &vx.t, alpha_re, alpha_im, beta_re,
                         beta_im, &vy.t);
    const xp__strict_view *out[] = {&vy};
    return xp__strict_leave(fn, rc, 1, out);
}
