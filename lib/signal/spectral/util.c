/* util.c -- small pieces the spectral estimators share. */
#include "spectral.h"

void xps__replace_axis(int ndim, const int64_t *shape, int axis, int64_t len,
                       int64_t *out_shape)
{
    for (int d = 0; d < ndim; d++)
        out_shape[d] = d == axis ? len : shape[d];
}

int xps__rows_view(const xp_array *x, int axis, xp_array **rows, xp_array **copy)
{
    int rc;
    xp_array *m = NULL;
    *rows = *copy = NULL;
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
    if (rc) {
        xp_array_free(*copy);
        *copy = NULL;
    }
    return rc;
}

int xps__freqs(const xp_provider *p, int64_t nfft, double fs, int onesided, xp_array **f)
{
    int64_t nf = onesided ? nfft / 2 + 1 : nfft;
    double *v = xp__malloc((size_t)(nf > 0 ? nf : 1) * sizeof *v);
    *f = NULL;
    if (!v)
        return xp_error(XP_ENOMEM, "freqs: out of memory");
    /* as numpy.fft.rfftfreq / fftfreq(nfft, d=1/fs) compute them */
    double val = 1.0 / ((double)nfft * (1.0 / fs));
    int64_t half = (nfft - 1) / 2 + 1;
    for (int64_t k = 0; k < nf; k++)
        v[k] = (double)(onesided || k < half ? k : k - nfft) * val;
    int rc = xp_array_from_host(p, XP_FLOAT64, 1, &nf, v, f);
    xp__free(v);
    return rc;
}

double xps__median_bias(int64_t n)
{
    double bias = 1.0;
    for (int64_t i = 1; i <= (n - 1) / 2; i++)
        bias += 1.0 / (2.0 * i + 1.0) - 1.0 / (2.0 * i);
    return bias;
}
