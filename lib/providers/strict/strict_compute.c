/*
 * strict_compute.c -- reduce, fft and gemm: checked, then the host kernels
 * on the decoded tensors.
 */
#include "strict.h"

int xp__strict_reduce(void *ctx, xp_reduce_op op, const DLTensor *x, int axis,
                      const DLTensor *y)
{
    static const char fn[] = "reduce";
    xp__strict_ctx *c = ctx;
    xp__strict_view vx, vy;
    int rc;

    if ((rc = xp__strict_enter(c, fn)))
        return rc;
    if ((unsigned)op > XP_REDUCE_MEDIAN)
        return xp_error(XP_EINVAL, "strict: %s: op (%d) is not an "
                        "xp_reduce_op", fn, (int)op);
    if ((rc = xp__strict_take(c, fn, "x", x, &vx))
        || (rc = xp__strict_take(c, fn, "y", y, &vy))
        || (rc = xp__strict_dtype_is(fn, &vy, vx.dtype)))
        return rc;
    int nd = vx.t.ndim;
    if (axis < -nd || axis >= nd)
        return xp_error(XP_ESHAPE, "strict: %s: axis (%d) is out of range for "
                        "x of ndim %d", fn, axis, nd);
    if (axis < 0)
        axis += nd;
    int ok = vy.t.ndim == nd;
    for (int d = 0; ok && d < nd; d++)
        ok = vy.t.shape[d] == (d == axis ? 1 : vx.t.shape[d]);
    if (!ok)
        return xp_error(XP_ESHAPE, "strict: %s: y must have x's shape with 1 "
                        "along axis %d", fn, axis);
    if ((rc = xp__strict_writable(fn, &vy))
        || (rc = xp__strict_disjoint(fn, &vy, &vx, 0)))
        return rc;
    rc = xp__host_reduce(&c->host, op, &vx.t, axis, &vy.t);
    const xp__strict_view *out[] = {&vy};
    return xp__strict_leave(fn, rc, 1, out);
}

/* dtypes and the output length along the last axis for an FFT kind. */
static int fft_plan(const char *fn, xp_fft_kind kind, int64_t n,
                    const xp__strict_view *x, const xp__strict_view *y,
                    int64_t *ylast)
{
    static const char *const names[] = {"R2C", "C2R", "C2C forward",
                                        "C2C backward"};
    int want_cplx_x = kind != XP_FFT_R2C;

    if (xp__strict_is_cplx(x->dtype) != want_cplx_x)
        return xp_error(XP_EDTYPE, "strict: %s: %s wants a %s x", fn,
                        names[kind], want_cplx_x ? "complex" : "real");
    switch (kind) {
    case XP_FFT_R2C:
        *ylast = n / 2 + 1;
        return xp__strict_dtype_is(fn, y, xp__strict_cplx(x->dtype));
    case XP_FFT_C2R:
        *ylast = n;
        return xp__strict_dtype_is(fn, y, xp__strict_real(x->dtype));
    default:
        *ylast = n;
        return xp__strict_dtype_is(fn, y, x->dtype);
    }
}

int xp__strict_fft(void *ctx, xp_fft_kind kind, int64_t n, double scale,
                   const DLTensor *x, const DLTensor *y)
{
    static const char fn[] = "fft";
    xp__strict_ctx *c = ctx;
    xp__strict_view vx, vy;
    int64_t ylast;
    int rc;

    if ((rc = xp__strict_enter(c, fn)))
        return rc;
    if ((unsigned)kind > XP_FFT_C2C_BACKWARD)
        return xp_error(XP_EINVAL, "strict: %s: kind (%d) is not an "
                        "xp_fft_kind", fn, (int)kind);
    if (n < 1)
        return xp_error(XP_EINVAL, "strict: %s: n (%lld) must be positive",
                        fn, (long long)n);
    if ((rc = xp__strict_take(c, fn, "x", x, &vx))
        || (rc = xp__strict_take(c, fn, "y", y, &vy)))
        return rc;
    if (vx.t.ndim < 1)
        return xp_error(XP_ESHAPE, "strict: %s: x must have at least one "
                        "axis", fn);
    if ((rc = fft_plan(fn, kind, n, &vx, &vy, &ylast))
        || (rc = xp__strict_state_shape(fn, &vy, &vx, 1, &ylast))
        || (rc = xp__strict_writable(fn, &vy))
        || (rc = xp__strict_disjoint(fn, &vy, &vx, 0)))
        return rc;
    rc = xp__host_fft(&c->host, kind, n, scale, &vx.t, &vy.t);
    const xp__strict_view *out[] = {&vy};
    return xp__strict_leave(fn, rc, 1, out);
}

/* Rows and columns of op(M). */
static int gemm_dims(const char *fn, char trans, const char *tname,
                     const xp__strict_view *m, int64_t *rows, int64_t *cols)
{
    if (trans != 'N' && trans != 'T' && trans != 'C')
        return xp_error(XP_EINVAL, "strict: %s: %s (%d) must be 'N', 'T' or "
                        "'C'", fn, tname, trans);
    if (m->t.ndim != 2)
        return xp_error(XP_ESHAPE, "strict: %s: %s must be 2-D, not %d-D", fn,
                        m->name, (int)m->t.ndim);
    *rows = m->t.shape[trans == 'N' ? 0 : 1];
    *cols = m->t.shape[trans == 'N' ? 1 : 0];
    return XP_OK;
}

int xp__strict_gemm(void *ctx, char transa, char transb, double alpha_re,
                    double alpha_im, const DLTensor *A, const DLTensor *B,
                    double beta_re, double beta_im, const DLTensor *C)
{
    static const char fn[] = "gemm";
    xp__strict_ctx *c = ctx;
    xp__strict_view va, vb, vc;
    int64_t m, k, k2, n;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "A", A, &va))
        || (rc = xp__strict_take(c, fn, "B", B, &vb))
        || (rc = xp__strict_take(c, fn, "C", C, &vc))
        || (rc = xp__strict_dtype_is(fn, &vb, va.dtype))
        || (rc = xp__strict_dtype_is(fn, &vc, va.dtype))
        || (rc = gemm_dims(fn, transa, "transa", &va, &m, &k))
        || (rc = gemm_dims(fn, transb, "transb", &vb, &k2, &n)))
        return rc;
    if (vc.t.ndim != 2)
        return xp_error(XP_ESHAPE, "strict: %s: C must be 2-D, not %d-D", fn,
                        (int)vc.t.ndim);
    if (k != k2 || vc.t.shape[0] != m || vc.t.shape[1] != n)
        return xp_error(XP_ESHAPE, "strict: %s: op(A) is %lldx%lld, op(B) "
                        "%lldx%lld and C %lldx%lld", fn, (long long)m,
                        (long long)k, (long long)k2, (long long)n,
                        (long long)vc.t.shape[0], (long long)vc.t.shape[1]);
    if (!xp__strict_is_cplx(va.dtype) && (alpha_im != 0 || beta_im != 0))
        return xp_error(XP_EINVAL, "strict: %s: alpha (%g%+gi) and beta "
                        "(%g%+gi) must be real for real matrices", fn,
                        alpha_re, alpha_im, beta_re, beta_im);
    if ((rc = xp__strict_writable(fn, &vc))
        || (rc = xp__strict_disjoint(fn, &vc, &va, 0))
        || (rc = xp__strict_disjoint(fn, &vc, &vb, 0)))
        return rc;
    rc = xp__host_gemm(&c->host, transa, transb, alpha_re, alpha_im, &va.t,
                       &vb.t, beta_re, beta_im, &vc.t);
    const xp__strict_view *out[] = {&vc};
    return xp__strict_leave(fn, rc, 1, out);
}

int xp__strict_interp(void *ctx, const DLTensor *x, const DLTensor *xp, const DLTensor *fp,
                      const DLTensor *y)
{
    static const char fn[] = "interp";
    xp__strict_ctx *c = ctx;
    xp__strict_view vx, vxp, vfp, vy;
    int rc;

    if ((rc = xp__strict_enter(c, fn)))
        return rc;
    if ((rc = xp__strict_take(c, fn, "x", x, &vx))
        || (rc = xp__strict_take(c, fn, "xp", xp, &vxp))
        || (rc = xp__strict_take(c, fn, "fp", fp, &vfp))
        || (rc = xp__strict_take(c, fn, "y", y, &vy)))
        return rc;
    if (xp__strict_is_cplx(vx.dtype) || vxp.dtype != vx.dtype || vfp.dtype != vy.dtype
        || xp__strict_real(vy.dtype) != vx.dtype)
        return xp_error(XP_EDTYPE, "strict: %s: x and xp must share a real dtype, fp and y "
                        "its precision", fn);
    if (vxp.t.ndim != 1 || vfp.t.ndim != 1 || vxp.t.shape[0] != vfp.t.shape[0]
        || vxp.t.shape[0] < 1)
        return xp_error(XP_ESHAPE, "strict: %s: xp and fp must be 1-D of one length >= 1", fn);
    if ((rc = xp__strict_same_shape(fn, &vx, &vy)) || (rc = xp__strict_writable(fn, &vy))
        || (rc = xp__strict_disjoint(fn, &vy, &vx, 0))
        || (rc = xp__strict_disjoint(fn, &vy, &vxp, 0))
        || (rc = xp__strict_disjoint(fn, &vy, &vfp, 0)))
        return rc;
    /* xp must increase: a contract the host kernel relies on */
    for (int64_t i = 1; i < vxp.t.shape[0]; i++) {
        double a, b, im;
        xp__strict_read(&vxp, i - 1, &a, &im);
        xp__strict_read(&vxp, i, &b, &im);
        if (!(b >= a))
            return xp_error(XP_EINVAL, "strict: %s: xp is not increasing at %lld", fn,
                            (long long)i);
    }
    rc = xp__host_interp(&c->host, &vx.t, &vxp.t, &vfp.t, &vy.t);
    const xp__strict_view *out[] = {&vy};
    return xp__strict_leave(fn, rc, 1, out);
}
