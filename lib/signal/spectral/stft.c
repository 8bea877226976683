/*
 * stft.c -- scipy.signal.stft: spectrogram's complex mode over x extended
 * by nperseg / 2 samples at each end (boundary) and padded with zeros to a
 * whole number of segments (padded), times counted from x's first sample.
 *
 * Only the ends are copied: the segments that reach into an extension
 * are transformed from short extended copies of x's head and tail, the
 * others straight from x.  An extended copy is contiguous with the axis
 * last, seen through a view that puts the axis back where x has it, so
 * the result comes out in x's axis order.
 */
#include "spectral.h"

/* x along ax extended into a new contiguous E [batch..., edge + n + edge +
 * nadd] (ends per boundary, nadd zeros after), and *V: E seen in x's axis
 * order (the axis at ax). */
static int extended(const xp_array *x, int ax, int64_t edge, int64_t nadd, xps_boundary b,
                    xp_array **E, xp_array **V)
{
    static const xps_padtype pad_of[] = {XPS_PAD_NONE, XPS_PAD_EVEN, XPS_PAD_ODD,
                                         XPS_PAD_CONSTANT, XPS_PAD_NONE};
    int nd = xp_array_ndim(x);
    int64_t n = xp_array_dim(x, ax), L = 2 * edge + n + nadd, R = xp_array_size(x) / n;
    int64_t eshape[XP_MAX_NDIM], estr[XP_MAX_NDIM], vshape[XP_MAX_NDIM], vstr[XP_MAX_NDIM];
    int64_t s2[2] = {R, L}, st2[2] = {L, 1};
    xp_array *xm = NULL, *mid = NULL, *E2 = NULL, *ends = NULL, *tail = NULL;
    for (int d = 0, k = 0; d < nd; d++)
        if (d != ax)
            eshape[k++] = xp_array_dim(x, d);
    eshape[nd - 1] = L;
    xp__c_strides(nd, eshape, estr);
    for (int d = 0, k = 0; d < nd; d++) {
        vshape[d] = d == ax ? L : eshape[k];
        vstr[d] = d == ax ? 1 : estr[k];
        k += d != ax;
    }
    *E = *V = NULL;
    int rc = xp_array_empty(xp_array_provider(x), xp_array_dtype(x), nd, eshape, E);
    if (rc == XP_OK)
        rc = xp__view_axis_last(x, ax, &xm);
    if (rc == XP_OK)
        rc = xp__view_slice(*E, nd - 1, edge, n, 1, &mid);
    if (rc == XP_OK)
        rc = xp__copy(xm, mid);
    if (rc == XP_OK)
        rc = xp__view(*E, 2, s2, st2, 0, &E2);
    if (rc == XP_OK && edge > 0 && b == XPS_BOUNDARY_ZEROS) {
        xp_array *lo = NULL, *hi = NULL;
        rc = xp__view_slice(E2, 1, 0, edge, 1, &lo);
        if (rc == XP_OK)
            rc = xp__fill(lo, 0, 0);
        if (rc == XP_OK)
            rc = xp__view_slice(E2, 1, edge + n, edge, 1, &hi);
        if (rc == XP_OK)
            rc = xp__fill(hi, 0, 0);
        xp_array_free(lo);
        xp_array_free(hi);
    } else if (rc == XP_OK && edge > 0) {
        rc = xp__view_slice(E2, 1, 0, 2 * edge + n, 1, &ends);
        if (rc == XP_OK)
            rc = xps__pad_ends(ends, edge, n, pad_of[b]);
    }
    if (rc == XP_OK && nadd > 0)
        rc = xp__view_slice(E2, 1, 2 * edge + n, nadd, 1, &tail);
    if (rc == XP_OK && tail)
        rc = xp__fill(tail, 0, 0);
    if (rc == XP_OK)
        rc = xp__view(*E, nd, vshape, vstr, 0, V);
    xp_array *tmp[] = {xm, mid, E2, ends, tail};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    if (rc) {
        xp_array_free(*E);
        *E = NULL;
    }
    return rc;
}

/* The segments of the extended signal in up to three pieces, so that
 * only its ends are copied: the first k1 segments (they reach into the
 * left extension) from an extended copy of x's head, the middle ones
 * straight from x, the last from an extended copy of x's tail (the right
 * extension and the padding).  extended() on a slice extends the slice's
 * other end too; no segment of that piece reaches there.  Short signals,
 * with no middle segment, are extended whole. */
static int transform(const xp_array *x, int ax, const xps__spec *s, int64_t edge, int64_t nadd,
                     xps_boundary b, xp_array **f, xp_array **t, xp_array **Zxx,
                     const xp_array *into)
{
    int64_t n = xp_array_dim(x, ax), L = n + 2 * edge + nadd, st = s->step;
    int64_t nseg = (L - s->nperseg) / st + 1;
    /* middle segments k1 <= k < k2 lie in x: k st - edge >= 0 and
     * k st - edge + nperseg <= n */
    int64_t k1 = (edge + st - 1) / st, k2 = (n + edge - s->nperseg) / st + 1;
    if (k2 > nseg)
        k2 = nseg;
    int shift = b != XPS_BOUNDARY_NONE;
    if (edge == 0 && nadd == 0)
        return xps__spectrogram_pieces(x, ax, s, shift, 1, &x, f, t, Zxx, into, "Zxx");
    xp_array *E[2] = {NULL, NULL}, *V[2] = {NULL, NULL}, *part[3] = {NULL, NULL, NULL};
    xp_array *head = NULL, *tail = NULL;
    const xp_array *pieces[3];
    int np = 0, rc = XP_OK;
    if (k1 >= k2) {
        rc = extended(x, ax, edge, nadd, b, &E[0], &V[0]);
        pieces[np++] = V[0];
    } else {
        if (k1 > 0) {               /* extended coordinates [0, (k1 - 1) st + nperseg) */
            int64_t span = (k1 - 1) * st + s->nperseg;
            rc = xp__view_slice(x, ax, 0, span < n ? span : n, 1, &head);
            if (rc == XP_OK)
                rc = extended(head, ax, edge, 0, b, &E[0], &V[0]);
            if (rc == XP_OK)
                rc = xp__view_slice(V[0], ax, 0, span, 1, &part[0]);
            pieces[np++] = part[0];
        }
        if (rc == XP_OK)            /* x [k1 st - edge, (k2 - 1) st - edge + nperseg) */
            rc = xp__view_slice(x, ax, k1 * st - edge, (k2 - k1 - 1) * st + s->nperseg, 1,
                                &part[1]);
        if (rc == XP_OK)
            pieces[np++] = part[1];
        if (rc == XP_OK && k2 < nseg) {
            /* from x's sample k2 st - edge on; the slice starts early enough
             * for its own left extension to fit */
            int64_t from = k2 * st - edge, a = from < n - edge - 1 ? from : n - edge - 1;
            if (a < 0)
                a = 0;
            rc = xp__view_slice(x, ax, a, n - a, 1, &tail);
            if (rc == XP_OK)
                rc = extended(tail, ax, edge, nadd, b, &E[1], &V[1]);
            if (rc == XP_OK)
                rc = xp__view_slice(V[1], ax, edge + from - a, L - k2 * st, 1, &part[2]);
            pieces[np++] = part[2];
        }
    }
    if (rc == XP_OK)
        rc = xps__spectrogram_pieces(x, ax, s, shift, np, pieces, f, t, Zxx, into, "Zxx");
    xp_array *tmp[] = {E[0], E[1], V[0], V[1], part[0], part[1], part[2], head, tail};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    return rc;
}

/* stft and stft_into: a new *Zxx, or into the caller's (into). */
static int stft(const xp_array *x, const xps_spectral_options *opt, xp_array **f, xp_array **t,
                xp_array **Zxx, const xp_array *into)
{
    int rc, ax;
    xps_spectral_options o;
    xps__spec s;
    xp_array *none = NULL;
    if ((rc = xps__spectrogram_setup("stft", x, opt, 2, &o, f, t, into ? &none : Zxx, &ax,
                                     &s)))
        return rc;
    int64_t n = xp_array_dim(x, ax);
    s.mode = XPS_MODE_COMPLEX;
    xps_boundary b = o.boundary;
    /* SciPy's order: the segments are fixed on x, then x is extended.
     * nperseg <= n, so the mirrored ends (at most n - 1 samples) fit. */
    int64_t edge = b == XPS_BOUNDARY_NONE ? 0 : s.nperseg / 2, nadd = 0;
    if (o.padded) {
        int64_t over = (n + 2 * edge - s.nperseg) % s.step;      /* python's modulo */
        nadd = (over ? s.step - over : 0) % s.nperseg;
    }
    rc = transform(x, ax, &s, edge, nadd, b, f, t, Zxx, into);
    xps__spec_clear(&s);
    return rc;
}

int xps_stft(const xp_array *x, const xps_spectral_options *opt, xp_array **f, xp_array **t,
             xp_array **Zxx)
{
    return stft(x, opt, f, t, Zxx, NULL);
}

int xps_stft_into(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
                  xp_array **t, const xp_array *Zxx)
{
    if (!Zxx)
        return xp_error(XP_EINVAL, "stft: Zxx is NULL");
    return stft(x, opt, f, t, NULL, Zxx);
}
