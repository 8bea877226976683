/*
 * strict_transfer.c -- host <-> strict copies (counted) and fill.
 */
#include "strict.h"

/* A host-side pointer must be host memory, not one of our handles. */
static int host_side(const char *fn, const char *name, const void *p,
                     int64_t count)
{
    if (count > 0 && !p)
        return xp_error(XP_EINVAL, "strict: %s: %s is NULL", fn, name);
    if (p && xp__strict_debug_is_handle(p))
        return xp_error(XP_EINVAL, "strict: %s: %s (%p) is a strict handle, "
                        "not host memory", fn, name, p);
    return XP_OK;
}

/* The C-ordered host buffer p shaped as v (strides written to cs).  The
 * host kernels copy; host_upload/download are not used because they would
 * count the transfer as the host provider's. */
static const DLTensor *host_side_tensor(const xp__strict_view *v,
                                        const void *p, DLTensor *h,
                                        int64_t *cs)
{
    *h = v->t;
    h->data = (void *)p;
    h->byte_offset = 0;
    h->strides = cs;
    xp__c_strides(v->t.ndim, v->t.shape, cs);
    return h;
}

int xp__strict_upload(void *ctx, const void *src, const DLTensor *dst)
{
    static const char fn[] = "upload";
    xp__strict_ctx *c = ctx;
    xp__strict_view d;
    int64_t cs[XP_MAX_NDIM];
    DLTensor h;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "dst", dst, &d))
        || (rc = xp__strict_writable(fn, &d))
        || (rc = host_side(fn, "src", src, d.count)))
        return rc;
    rc = xp__host_unary(&c->host, XP_UNARY_COPY,
                        host_side_tensor(&d, src, &h, cs), &d.t);
    const xp__strict_view *out[] = {&d};
    rc = xp__strict_leave(fn, rc, 1, out);
    if (!rc) {
        atomic_fetch_add(&c->uploads, 1);
        atomic_fetch_add(&c->upload_bytes,
                         (long long)(d.count * (int64_t)d.isz));
    }
    return rc;
}

int xp__strict_download(void *ctx, const DLTensor *src, void *dst)
{
    static const char fn[] = "download";
    xp__strict_ctx *c = ctx;
    xp__strict_view s;
    int64_t cs[XP_MAX_NDIM];
    DLTensor h;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "src", src, &s))
        || (rc = host_side(fn, "dst", dst, s.count)))
        return rc;
    rc = xp__host_unary(&c->host, XP_UNARY_COPY, &s.t,
                        host_side_tensor(&s, dst, &h, cs));
    if (!rc) {
        atomic_fetch_add(&c->downloads, 1);
        atomic_fetch_add(&c->download_bytes,
                         (long long)(s.count * (int64_t)s.isz));
    }
    return rc;
}

int xp__strict_fill(void *ctx, const DLTensor *dst, double re, double im)
{
    static const char fn[] = "fill";
    xp__strict_ctx *c = ctx;
    xp__strict_view d;
    int rc;

    if ((rc = xp__strict_enter(c, fn))
        || (rc = xp__strict_take(c, fn, "dst", dst, &d))
        || (rc = xp__strict_writable(fn, &d)))
        return rc;
    rc = xp__host_fill(&c->host, &d.t, re, im);
    const xp__strict_view *out[] = {&d};
    return xp__strict_leave(fn, rc, 1, out);
}
