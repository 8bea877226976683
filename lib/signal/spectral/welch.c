/*
 * welch.c -- the one-shot estimators: welch, csd, coherence, periodogram.
 * Each is one accumulator fed the whole input at once.
 */
#include <stdio.h>
#include <string.h>
#include "spectral.h"

static int check_input(const char *fn, const char *name, const xp_array *x, int axis,
                       int *ax)
{
    int rc;
    if (!x)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, name);
    if ((rc = xp__axis(fn, axis, xp_array_ndim(x), ax)))
        return rc;
    if (xp_array_dim(x, *ax) == 0)
        return xp_error(XP_ESHAPE, "%s: %s is empty along axis %d", fn, name, axis);
    if (xp_array_size(x) == 0)
        return xp_error(XP_ESHAPE, "%s: %s has no elements", fn, name);
    return XP_OK;
}

static int run_one(xps_acc_kind kind, const xps_spectral_options *opt, const xp_array *x,
                   const xp_array *y, int64_t n, xp_array **f, xp_array **out)
{
    xps_spectral_acc *acc = NULL;
    const DLTensor *t = xp_array_dltensor(x);
    int rc = xps__acc_begin(kind, opt, xp_array_provider(x), xp_array_dtype(x), t->ndim,
                            t->shape, n, &acc);
    if (rc == XP_OK)
        rc = xps_spectral_acc_feed(acc, x, y);
    if (rc == XP_OK)
        rc = xps_spectral_acc_end(acc, f, out);
    xps_spectral_acc_free(acc);
    return rc;
}

static int outputs(const char *fn, xp_array **f, xp_array **out)
{
    if (!out)
        return xp_error(XP_EINVAL, "%s: output pointer is NULL", fn);
    *out = NULL;
    if (f)
        *f = NULL;
    return XP_OK;
}

int xps_welch(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
              xp_array **Pxx)
{
    int rc, ax;
    xps_spectral_options o;
    if ((rc = outputs("welch", f, Pxx)) || (rc = xps__check_options("welch", opt, &o))
        || (rc = check_input("welch", "x", x, o.axis, &ax)))
        return rc;
    return run_one(XPS_ACC_WELCH, &o, x, NULL, xp_array_dim(x, ax), f, Pxx);
}

/* x and y broadcast over their other axes, promoted to one dtype and
 * zero-padded to one length along the axis, as SciPy's csd does. */
static int pair(const char *fn, const xp_array *x, const xp_array *y, int axis,
                xp_array **xo, xp_array **yo, int64_t *n)
{
    int rc, ax, ay;
    *xo = *yo = NULL;
    if ((rc = check_input(fn, "x", x, axis, &ax)) || (rc = check_input(fn, "y", y, axis, &ay)))
        return rc;
    const xp_array *both[2] = {x, y};
    const xp_provider *p;
    if ((rc = xp_get_namespace(2, both, &p)))
        return rc;
    int nx = xp_array_ndim(x), ny = xp_array_ndim(y);
    if (nx == ny && ax == ay && xp_array_dtype(x) == xp_array_dtype(y)) {
        int same = 1;
        for (int d = 0; d < nx; d++)
            same &= xp_array_dim(x, d) == xp_array_dim(y, d);
        if (same) {     /* the common case: views, no copies */
            *n = xp_array_dim(x, ax);
            rc = xp__view_axis_last(x, ax, xo);
            if (rc == XP_OK && (rc = xp__view_axis_last(y, ay, yo))) {
                xp_array_free(*xo);
                *xo = NULL;
            }
            return rc;
        }
    }
    /* outer shapes: each array without its axis, right-aligned */
    int64_t xs[XP_MAX_NDIM], ys[XP_MAX_NDIM], shape[XP_MAX_NDIM];
    int kx = 0, ky = 0;
    for (int d = 0; d < nx; d++)
        if (d != ax)
            xs[kx++] = xp_array_dim(x, d);
    for (int d = 0; d < ny; d++)
        if (d != ay)
            ys[ky++] = xp_array_dim(y, d);
    int ko = kx > ky ? kx : ky;
    for (int i = 0; i < ko; i++) {
        int64_t a = i - (ko - kx) >= 0 ? xs[i - (ko - kx)] : 1;
        int64_t b = i - (ko - ky) >= 0 ? ys[i - (ko - ky)] : 1;
        if (a != b && a != 1 && b != 1)
            return xp_error(XP_ESHAPE, "%s: x and y cannot be broadcast together (%lld and "
                            "%lld at outer dimension %d)", fn, (long long)a, (long long)b, i);
        shape[i] = a == 1 ? b : a;
    }
    int64_t lx = xp_array_dim(x, ax), ly = xp_array_dim(y, ay);
    *n = lx > ly ? lx : ly;
    xp_dtype dx = xp_array_dtype(x), dy = xp_array_dtype(y);
    int cplx = xp_dtype_is_complex(dx) || xp_dtype_is_complex(dy);
    int dbl = xp_dtype_real(dx) == XP_FLOAT64 || xp_dtype_real(dy) == XP_FLOAT64;
    xp_dtype dt = cplx ? (dbl ? XP_COMPLEX128 : XP_COMPLEX64) : (dbl ? XP_FLOAT64 : XP_FLOAT32);
    /* each output: [outer..., n] (axis last), zero-padded, contiguous */
    int64_t full[XP_MAX_NDIM];
    for (int i = 0; i < ko; i++)
        full[i] = shape[i];
    full[ko] = *n;
    const xp_array *src[2] = {x, y};
    int axes[2] = {ax, ay};
    xp_array **dst[2] = {xo, yo};
    for (int k = 0; rc == XP_OK && k < 2; k++) {
        xp_array *m = NULL, *b = NULL, *part = NULL;
        int64_t len = xp_array_dim(src[k], axes[k]), bshape[XP_MAX_NDIM];
        for (int i = 0; i < ko; i++)
            bshape[i] = shape[i];
        bshape[ko] = len;
        rc = xp_array_zeros(p, dt, ko + 1, full, dst[k]);
        if (rc == XP_OK)
            rc = xp__view_axis_last(src[k], axes[k], &m);
        if (rc == XP_OK)
            rc = xp__view_broadcast(m, ko + 1, bshape, &b);
        if (rc == XP_OK)
            rc = xp__view_slice(*dst[k], ko, 0, len, 1, &part);
        if (rc == XP_OK)
            rc = xp__copy(b, part);
        xp_array_free(m);
        xp_array_free(b);
        xp_array_free(part);
    }
    if (rc) {
        xp_array_free(*xo);
        xp_array_free(*yo);
        *xo = *yo = NULL;
    }
    return rc;
}

/* Results of pair() have the axis last; move it back to where x had it. */
static int move_back(const xp_array *r, int ndim_out, int axis, xp_array **out)
{
    int ax, rc;
    if ((rc = xp__axis("csd", axis, ndim_out, &ax)))
        return rc;
    if (ax == ndim_out - 1) {
        *out = (xp_array *)r;
        return XP_OK;
    }
    int64_t shape[XP_MAX_NDIM];
    for (int d = 0, k = 0; d < ndim_out; d++)
        shape[d] = d == ax ? xp_array_dim(r, -1) : xp_array_dim(r, k++);
    xp_array *res = NULL, *mv = NULL;
    rc = xp_array_empty(xp_array_provider(r), xp_array_dtype(r), ndim_out, shape, &res);
    if (rc == XP_OK)
        rc = xp__view_axis_last(res, ax, &mv);
    if (rc == XP_OK)
        rc = xp__copy(r, mv);
    xp_array_free(mv);
    xp_array_free((xp_array *)r);
    if (rc) {
        xp_array_free(res);
        return rc;
    }
    *out = res;
    return XP_OK;
}

static int two_inputs(xps_acc_kind kind, const char *fn, const xp_array *x,
                      const xp_array *y, const xps_spectral_options *opt, xp_array **f,
                      xp_array **out)
{
    int rc;
    int64_t n = 0;
    xp_array *xx = NULL, *yy = NULL, *r = NULL;
    xps_spectral_options o;
    if ((rc = outputs(fn, f, out)) || (rc = xps__check_options(fn, opt, &o)))
        return rc;
    int axis = o.axis;
    if ((rc = pair(fn, x, y, axis, &xx, &yy, &n)))
        return rc;
    o.axis = -1;
    if (kind == XPS_ACC_COHERENCE)
        o.average = XPS_AVERAGE_MEAN;
    rc = run_one(kind, &o, xx, yy, n, f, &r);
    xp_array_free(xx);
    xp_array_free(yy);
    if (rc == XP_OK)
        rc = move_back(r, xp_array_ndim(r), axis, out);
    if (rc && f) {
        xp_array_free(*f);
        *f = NULL;
    }
    return rc;
}

int xps_csd(const xp_array *x, const xp_array *y, const xps_spectral_options *opt,
            xp_array **f, xp_array **Pxy)
{
    return two_inputs(XPS_ACC_CSD, "csd", x, y, opt, f, Pxy);
}

/* Messages of the estimators a function is built on name the caller. */
static int renamed(int rc, const char *from, const char *to)
{
    const char *m = xp_errmsg();
    size_t k = strlen(from);
    if (rc && !strncmp(m, from, k) && m[k] == ':') {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", m + k);
        xp_error(rc, "%s%s", to, msg);
    }
    return rc;
}

/* SciPy's coherence is csd(x, y) over the longer length (the shorter input
 * zero-padded) but welch(x) and welch(y) each over its own length: when
 * the lengths differ, the three come from separate estimates. */
static int coherence_unequal(const xp_array *x, const xp_array *y,
                             const xps_spectral_options *opt, xp_array **f, xp_array **Cxy)
{
    xps_spectral_options o = *opt;
    o.average = XPS_AVERAGE_MEAN;
    o.float32_output = 0;
    xp_array *Pxy = NULL, *Pxx = NULL, *Pyy = NULL, *bx = NULL, *by = NULL, *C = NULL;
    int rc = renamed(two_inputs(XPS_ACC_CSD, "coherence", x, y, &o, f, &Pxy), "csd",
                     "coherence");
    /* a complex input makes csd two-sided: the other's welch too, as for
     * that input cast to complex */
    xps_spectral_options ow = o;
    if (xp_dtype_is_complex(xp_array_dtype(x)) || xp_dtype_is_complex(xp_array_dtype(y)))
        ow.return_onesided = 0;
    if (rc == XP_OK)
        rc = renamed(xps_welch(x, &ow, NULL, &Pxx), "welch", "coherence");
    if (rc == XP_OK)
        rc = renamed(xps_welch(y, &ow, NULL, &Pyy), "welch", "coherence");
    const DLTensor *t = rc == XP_OK ? xp_array_dltensor(Pxy) : NULL;
    if (rc == XP_OK && (rc = xp__view_broadcast(Pxx, t->ndim, t->shape, &bx)) == XP_OK)
        rc = xp__view_broadcast(Pyy, t->ndim, t->shape, &by);
    if (rc && rc != XP_ENOMEM && Pyy)
        rc = xp_error(XP_ESHAPE, "coherence: the spectra of x and y (lengths %lld and "
                      "%lld) do not broadcast together", (long long)xp_array_dim(x, opt->axis),
                      (long long)xp_array_dim(y, opt->axis));
    if (rc == XP_OK)
        rc = xp_array_empty(xp_array_provider(Pxy), XP_FLOAT64, t->ndim, t->shape, &C);
    if (rc == XP_OK)
        rc = xp__unary(XP_UNARY_ABS2, Pxy, C);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_DIV, C, bx, C);
    if (rc == XP_OK)
        rc = xp__binary(XP_BINARY_DIV, C, by, C);
    if (rc == XP_OK && opt->float32_output && xp_dtype_real(xp_array_dtype(x)) == XP_FLOAT32
        && xp_dtype_real(xp_array_dtype(y)) == XP_FLOAT32) {
        xp_array *c32 = NULL;
        rc = xp_array_astype(C, XP_FLOAT32, &c32);
        xp_array_free(C);
        C = c32;
    }
    xp_array *tmp[] = {Pxy, Pxx, Pyy, bx, by};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    if (rc) {
        xp_array_free(C);
        if (f) {
            xp_array_free(*f);
            *f = NULL;
        }
        return rc;
    }
    *Cxy = C;
    return XP_OK;
}

int xps_coherence(const xp_array *x, const xp_array *y, const xps_spectral_options *opt,
                  xp_array **f, xp_array **Cxy)
{
    int rc, ax, ay;
    xps_spectral_options o;
    if ((rc = outputs("coherence", f, Cxy)) || (rc = xps__check_options("coherence", opt, &o))
        || (rc = check_input("coherence", "x", x, o.axis, &ax))
        || (rc = check_input("coherence", "y", y, o.axis, &ay)))
        return rc;
    if (xp_array_dim(x, ax) != xp_array_dim(y, ay))
        return coherence_unequal(x, y, &o, f, Cxy);
    return two_inputs(XPS_ACC_COHERENCE, "coherence", x, y, &o, f, Cxy);
}

int xps_periodogram(const xp_array *x, const xps_spectral_options *opt, xp_array **f,
                    xp_array **Pxx)
{
    int rc, ax;
    xps_spectral_options given;
    if ((rc = outputs("periodogram", f, Pxx))
        || (rc = xps__check_options("periodogram", opt, &given))
        || (rc = check_input("periodogram", "x", x, given.axis, &ax)))
        return rc;
    opt = &given;
    /* SciPy: one segment over the axis; a shorter nfft truncates the input */
    int64_t n = xp_array_dim(x, ax);
    xps_spectral_options o = given;
    xp_array *cut = NULL;
    const xp_array *in = x;
    if (opt->nfft == 0 || opt->nfft == n) {
        o.nperseg = n;
    } else if (opt->nfft > n) {
        o.nperseg = n;
    } else {
        if ((rc = xp__view_slice(x, ax, 0, opt->nfft, 1, &cut)))
            return rc;
        in = cut;
        o.nperseg = opt->nfft;
        o.nfft = 0;
        n = opt->nfft;
    }
    /* (a window that is not 1-D is refused with its own message later) */
    if (opt->window.array && xp_array_ndim(opt->window.array) == 1
        && xp_array_dim(opt->window.array, 0) != o.nperseg) {
        xp_array_free(cut);
        return xp_error(XP_EINVAL, "periodogram: the window's length (%lld) must equal "
                        "the number of samples used (%lld)",
                        (long long)xp_array_dim(opt->window.array, 0), (long long)o.nperseg);
    }
    o.noverlap = 0;
    o.average = XPS_AVERAGE_MEAN;
    rc = run_one(XPS_ACC_WELCH, &o, in, NULL, n, f, Pxx);
    xp_array_free(cut);
    return renamed(rc, "welch", "periodogram");
}
