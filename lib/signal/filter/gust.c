/*
 * gust.c -- filtfilt with Gustafsson's initial conditions (SciPy's
 * method='gust'): the forward and backward initial states that make
 * forward-backward and backward-forward filtering agree, in the least
 * squares sense, instead of padding the ends.
 *
 * The matrices depend on the coefficients alone and are built on the host:
 * O (propagates a state to the output), S, M = [S^R - O, O^R - S] and
 * W = [S^R, O^R], and the least-squares operator P = pinv(M) from a
 * Householder QR and the SVD of its R (SciPy's lstsq cut-off, so that a
 * singular M gets its minimum-norm answer).  On the provider: four filter passes, delta = y_bf -
 * y_fb, ic = delta P^T and y = y_fb + ic W^T (two gemms).
 */
#include <float.h>
#include <math.h>
#include <string.h>
#include "filter.h"

/* Direct-form II transposed over len samples (strides in elements);
 * b, a normalized, both of length k + 1; zi[k] or NULL. */
static void filter_host(const double *b, const double *a, int64_t k, const double *x,
                        int64_t xs, int64_t len, const double *zi, double *y, int64_t ys)
{
    double z[64];
    for (int64_t j = 0; j < k; j++)
        z[j] = zi ? zi[j] : 0.0;
    for (int64_t i = 0; i < len; i++) {
        double xi = x[i * xs], yi = b[0] * xi + (k ? z[0] : 0.0);
        for (int64_t j = 0; j + 1 < k; j++)
            z[j] = b[j + 1] * xi + z[j + 1] - a[j + 1] * yi;
        if (k)
            z[k - 1] = b[k] * xi - a[k] * yi;
        y[i * ys] = yi;
    }
}

/* One-sided Jacobi on the columns of A [n, n] (row-major): rotations,
 * accumulated in V [n, n], until the columns are orthogonal; then A = U S
 * (column j is u_j s_j) and the input was A V^T. */
static void jacobi_svd(int64_t n, double *A, double *V)
{
    for (int64_t i = 0; i < n * n; i++)
        V[i] = 0;
    for (int64_t i = 0; i < n; i++)
        V[i * n + i] = 1;
    for (int sweep = 0; sweep < 64; sweep++) {
        int rotated = 0;
        for (int64_t p = 0; p + 1 < n; p++)
            for (int64_t q = p + 1; q < n; q++) {
                double al = 0, be = 0, ga = 0;
                for (int64_t i = 0; i < n; i++) {
                    al += A[i * n + p] * A[i * n + p];
                    be += A[i * n + q] * A[i * n + q];
                    ga += A[i * n + p] * A[i * n + q];
                }
                if (ga == 0 || fabs(ga) <= DBL_EPSILON * sqrt(al) * sqrt(be))
                    continue;
                rotated = 1;
                double zeta = (be - al) / (2 * ga);
                double t = (zeta >= 0 ? 1.0 : -1.0) / (fabs(zeta) + sqrt(1 + zeta * zeta));
                double cs = 1 / sqrt(1 + t * t), sn = cs * t;
                for (int64_t i = 0; i < n; i++) {
                    double ap = A[i * n + p], aq = A[i * n + q];
                    A[i * n + p] = cs * ap - sn * aq;
                    A[i * n + q] = sn * ap + cs * aq;
                    double vp = V[i * n + p], vq = V[i * n + q];
                    V[i * n + p] = cs * vp - sn * vq;
                    V[i * n + q] = sn * vp + cs * vq;
                }
            }
        if (!rotated)
            break;
    }
}

/* pinv of M [r, c] (row-major, r >= c) into P [c, r], as SciPy's
 * linalg.lstsq solves (LAPACK gelsd, cond = eps): singular values below
 * eps times the largest count as zero, so a rank-deficient M, as an FIR
 * filter with b[0] = a[0] gives, has the minimum-norm solution.
 * Householder QR first, then the SVD of the small R by Jacobi:
 * pinv(M) = V S^+ U^T Q^T. */
static int pinv_tall(int64_t r, int64_t c, double *M, double *P)
{
    double *Q = xp__calloc((size_t)(r * c), sizeof *Q), *beta = xp__malloc((size_t)c * sizeof *beta);
    double *R = xp__calloc((size_t)(c * c), sizeof *R), *V = xp__malloc((size_t)(c * c) * sizeof *V);
    double *G = xp__calloc((size_t)(c * c), sizeof *G);
    int rc = XP_OK;
    if (!Q || !beta || !R || !V || !G) {
        rc = xp_error(XP_ENOMEM, "filtfilt: out of memory for Gustafsson's matrices");
        goto out;
    }
    /* Householder QR in place: R in the upper triangle, reflectors kept
     * as v_j = (1, M[j+1:, j]) with factors beta[j] (0: no reflection,
     * for a column that is zero from the diagonal down) */
    for (int64_t j = 0; j < c; j++) {
        double norm = 0;
        for (int64_t i = j; i < r; i++)
            norm += M[i * c + j] * M[i * c + j];
        norm = sqrt(norm);
        if (norm == 0) {
            beta[j] = 0;
            continue;
        }
        double alpha = M[j * c + j] > 0 ? -norm : norm, v0 = M[j * c + j] - alpha;
        for (int64_t i = j + 1; i < r; i++)
            M[i * c + j] /= v0;
        beta[j] = -v0 / alpha;
        M[j * c + j] = alpha;
        for (int64_t l = j + 1; l < c; l++) {
            double s = M[j * c + l];
            for (int64_t i = j + 1; i < r; i++)
                s += M[i * c + j] * M[i * c + l];
            s *= beta[j];
            M[j * c + l] -= s;
            for (int64_t i = j + 1; i < r; i++)
                M[i * c + l] -= s * M[i * c + j];
        }
    }
    /* thin Q: apply the reflectors, last first, to the first c unit columns */
    for (int64_t l = 0; l < c; l++)
        Q[l * c + l] = 1.0;
    for (int64_t j = c - 1; j >= 0; j--) {
        if (beta[j] == 0)
            continue;
        for (int64_t l = 0; l < c; l++) {
            double s = Q[j * c + l];
            for (int64_t i = j + 1; i < r; i++)
                s += M[i * c + j] * Q[i * c + l];
            s *= beta[j];
            Q[j * c + l] -= s;
            for (int64_t i = j + 1; i < r; i++)
                Q[i * c + l] -= s * M[i * c + j];
        }
    }
    for (int64_t i = 0; i < c; i++)
        for (int64_t l = i; l < c; l++)
            R[i * c + l] = M[i * c + l];
    jacobi_svd(c, R, V);                /* R now U S */
    double smax = 0, *s2 = beta;        /* beta is free: s_j^2 */
    for (int64_t j = 0; j < c; j++) {
        s2[j] = 0;
        for (int64_t i = 0; i < c; i++)
            s2[j] += R[i * c + j] * R[i * c + j];
        smax = fmax(smax, sqrt(s2[j]));
    }
    double cut = DBL_EPSILON * smax;
    /* G = pinv(R) = V S^+ U^T: G[l][i] = sum_j V[l][j] (U S)[i][j] / s_j^2 */
    for (int64_t j = 0; j < c; j++) {
        if (!(sqrt(s2[j]) > cut))
            continue;
        for (int64_t l = 0; l < c; l++) {
            double f = V[l * c + j] / s2[j];
            for (int64_t i = 0; i < c; i++)
                G[l * c + i] += f * R[i * c + j];
        }
    }
    /* P = G Q^T */
    for (int64_t l = 0; l < c; l++)
        for (int64_t i = 0; i < r; i++) {
            double s = 0;
            for (int64_t t = 0; t < c; t++)
                s += G[l * c + t] * Q[i * c + t];
            P[l * r + i] = s;
        }
out:
    xp__free(Q);
    xp__free(beta);
    xp__free(R);
    xp__free(V);
    xp__free(G);
    return rc;
}

/* pinv of M [r, c] into P [c, r].  A wide M (fewer rows than unknowns:
 * irlen or the signal shorter than the filter order) gives the minimum-norm
 * solution, as SciPy's lstsq does: pinv(M) = pinv(M^T)^T. */
static int pinv(int64_t r, int64_t c, double *M, double *P)
{
    if (r >= c)
        return pinv_tall(r, c, M, P);
    double *T = xp__malloc((size_t)(r * c) * sizeof *T), *PT = xp__calloc((size_t)(r * c), sizeof *PT);
    int rc = XP_OK;
    if (!T || !PT)
        rc = xp_error(XP_ENOMEM, "filtfilt: out of memory for Gustafsson's matrices");
    for (int64_t i = 0; rc == XP_OK && i < r; i++)
        for (int64_t j = 0; j < c; j++)
            T[j * r + i] = M[i * c + j];
    if (rc == XP_OK)
        rc = pinv_tall(c, r, T, PT);        /* PT [r, c] = pinv(M^T) */
    for (int64_t i = 0; rc == XP_OK && i < r; i++)
        for (int64_t j = 0; j < c; j++)
            P[j * r + i] = PT[i * c + j];
    xp__free(T);
    xp__free(PT);
    return rc;
}

/* Host matrices: P [2k, rows] and W [rows, 2k] with rows = m (m == n)
 * or 2m (block form). */
static int gust_matrices(const double *b, const double *a, int64_t k, int64_t m, int full,
                         double **Pout, double **Wout, int64_t *rows_out)
{
    int64_t rows = full ? m : 2 * m, c = 2 * k;
    double *O = xp__calloc((size_t)(m * k), sizeof *O), *S = xp__calloc((size_t)(m * k), sizeof *S);
    double *M = xp__calloc((size_t)(rows * c), sizeof *M), *W = xp__calloc((size_t)(rows * c), sizeof *W);
    double *P = xp__calloc((size_t)(rows * c), sizeof *P), *zi = xp__calloc((size_t)k, sizeof *zi);
    double *zero = xp__calloc((size_t)m, sizeof *zero), *col = xp__malloc((size_t)m * sizeof *col);
    int rc = XP_OK;
    if (!O || !S || !M || !W || !P || !zi || !zero || !col) {
        rc = xp_error(XP_ENOMEM, "filtfilt: out of memory for Gustafsson's matrices");
        goto out;
    }
    zi[0] = 1.0;
    filter_host(b, a, k, zero, 1, m, zi, O, k);         /* O[:, 0] */
    for (int64_t j = 1; j < k; j++)
        for (int64_t i = j; i < m; i++)
            O[i * k + j] = O[(i - j) * k];
    for (int64_t j = 0; j < k; j++) {                   /* S = lfilter(O[::-1]) */
        for (int64_t i = 0; i < m; i++)
            col[i] = O[(m - 1 - i) * k + j];
        filter_host(b, a, k, col, 1, m, NULL, S + j, k);
    }
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < k; j++) {
            double sr = S[(m - 1 - i) * k + j], o = O[i * k + j];
            double orr = O[(m - 1 - i) * k + j], s = S[i * k + j];
            int64_t r1 = i, r2 = full ? i : m + i, c2 = k + j;
            M[r1 * c + j] = sr - o;
            M[r2 * c + c2] = orr - s;
            W[r1 * c + j] = sr;
            W[r2 * c + c2] = orr;
        }
    rc = pinv(rows, c, M, P);
out:
    xp__free(O);
    xp__free(S);
    xp__free(M);
    xp__free(zi);
    xp__free(zero);
    xp__free(col);
    if (rc) {
        xp__free(P);
        xp__free(W);
        return rc;
    }
    *Pout = P;
    *Wout = W;
    *rows_out = rows;
    return XP_OK;
}

static int run_passes(const xp_array *B, const xp_array *A, const xp_array *F,
                      const xp_array *G)
{
    xp_array *fr = NULL, *gr = NULL;
    int rc = xp__view_flip(F, 1, &fr);
    if (rc == XP_OK)
        rc = xp__view_flip(G, 1, &gr);
    if (rc == XP_OK)        /* F: forward, then backward: y_fb */
        rc = xp__lfilter(B, A, F, NULL, F, NULL);
    if (rc == XP_OK)
        rc = xp__lfilter(B, A, fr, NULL, fr, NULL);
    if (rc == XP_OK)        /* G: backward, then forward: y_bf */
        rc = xp__lfilter(B, A, gr, NULL, gr, NULL);
    if (rc == XP_OK)
        rc = xp__lfilter(B, A, G, NULL, G, NULL);
    if (rc == XP_OK)        /* G = delta = y_bf - y_fb */
        rc = xp__binary(XP_BINARY_SUB, G, F, G);
    xp_array_free(fr);
    xp_array_free(gr);
    return rc;
}

/* cols [c0, c0 + n) of a 2-D array */
static int cols(const xp_array *a, int64_t c0, int64_t n, xp_array **out)
{
    return xp__view_slice(a, 1, c0, n, 1, out);
}

/* F += ic W^T (on the ends only when m < n); ic = delta P^T. */
static int correct(const xp_array *F, const xp_array *G, const xp_array *P,
                   const xp_array *W, const xp_array *ic, int64_t m, int full)
{
    int64_t n = xp_array_dim(F, 1), rows = xp_array_dim(W, 0);
    int rc;
    if (full) {
        rc = xp__gemm('N', 'T', 1, 0, G, P, 0, 0, ic);
        if (rc == XP_OK)
            rc = xp__gemm('N', 'T', 1, 0, ic, W, 1, 0, F);
        return rc;
    }
    xp_array *g1 = NULL, *g2 = NULL, *p1 = NULL, *p2 = NULL, *f1 = NULL, *f2 = NULL;
    xp_array *w1 = NULL, *w2 = NULL;
    rc = cols(G, 0, m, &g1);
    if (rc == XP_OK)
        rc = cols(G, n - m, m, &g2);
    if (rc == XP_OK)
        rc = cols(P, 0, m, &p1);
    if (rc == XP_OK)
        rc = cols(P, m, m, &p2);
    if (rc == XP_OK)
        rc = xp__gemm('N', 'T', 1, 0, g1, p1, 0, 0, ic);
    if (rc == XP_OK)
        rc = xp__gemm('N', 'T', 1, 0, g2, p2, 1, 0, ic);
    if (rc == XP_OK)
        rc = cols(F, 0, m, &f1);
    if (rc == XP_OK)
        rc = cols(F, n - m, m, &f2);
    if (rc == XP_OK)
        rc = xp__view_slice(W, 0, 0, m, 1, &w1);
    if (rc == XP_OK)
        rc = xp__view_slice(W, 0, m, rows - m, 1, &w2);
    if (rc == XP_OK)
        rc = xp__gemm('N', 'T', 1, 0, ic, w1, 1, 0, f1);
    if (rc == XP_OK)
        rc = xp__gemm('N', 'T', 1, 0, ic, w2, 1, 0, f2);
    xp_array *tmp[] = {g1, g2, p1, p2, f1, f2, w1, w2};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    return rc;
}

/* A contiguous [R, n] copy of x with axis last, as a 2-D array, plus the
 * N-d moved view of the result layout. */
static int rows_copy(const xp_array *x, int ax, xp_array **C, xp_array **C2)
{
    xp_array *xm = NULL;
    int rc = xp__view_axis_last(x, ax, &xm);
    *C = *C2 = NULL;
    if (rc == XP_OK)
        rc = xp_array_astype(xm, xp_array_dtype(x), C);
    if (rc == XP_OK) {
        int64_t n = xp_array_dim(x, ax), s2[2] = {xp_array_size(x) / n, n}, st[2] = {n, 1};
        rc = xp__view(*C, 2, s2, st, 0, C2);
    }
    xp_array_free(xm);
    return rc;
}

int xps__filtfilt_gust(const double *b, int64_t nb, const double *a, int64_t na,
                       const xp_array *x, const xps_filtfilt_options *opt, const xp_array *y)
{
    int rc, ax;
    if ((rc = xp__axis("filtfilt", opt->axis, xp_array_ndim(x), &ax)))
        return rc;
    const xp_provider *p = xp_array_provider(x);
    xp_dtype dt = xp_array_dtype(x);
    int64_t k = (nb > na ? nb : na) - 1, n = xp_array_dim(x, ax);
    if (k > 64)
        return xp_error(XP_EINVAL, "filtfilt: method gust supports filter orders up to 64 "
                        "(got %lld)", (long long)k);
    if (n == 0 || xp_array_size(x) == 0)
        return xp_error(XP_ESHAPE, "filtfilt: x is empty");
    double bn[65] = {0}, an[65] = {0};
    for (int64_t i = 0; i < nb; i++)
        bn[i] = b[i] / a[0];
    for (int64_t i = 0; i < na; i++)
        an[i] = a[i] / a[0];
    xp_array *F = NULL, *F2 = NULL, *G = NULL, *G2 = NULL, *om = NULL;
    if (k == 0)     /* no state: the filter is a gain, applied twice */
        return xp__affine(x, bn[0] * bn[0], 0, 0, 0, y);
    /* n <= 2 irlen, written so that a huge irlen cannot overflow */
    int64_t m = opt->irlen < 0 || n - opt->irlen <= opt->irlen ? n : opt->irlen;
    int full = m == n;
    double *Ph = NULL, *Wh = NULL;
    int64_t rows = 0;
    if ((rc = gust_matrices(bn, an, k, m, full, &Ph, &Wh, &rows)))
        return rc;
    int64_t pshape[2] = {2 * k, rows}, wshape[2] = {rows, 2 * k};
    int64_t nbk = k + 1;
    xp_array *P = NULL, *W = NULL, *B = NULL, *A = NULL, *ic = NULL;
    rc = xps__upload_coef(p, dt, 2, pshape, Ph, &P);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 2, wshape, Wh, &W);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &nbk, bn, &B);
    if (rc == XP_OK)
        rc = xps__upload_coef(p, dt, 1, &nbk, an, &A);
    if (rc == XP_OK)
        rc = rows_copy(x, ax, &F, &F2);
    if (rc == XP_OK)
        rc = rows_copy(x, ax, &G, &G2);
    int64_t ishape[2] = {xp_array_dim(F2 ? F2 : x, 0), 2 * k};
    if (rc == XP_OK)
        rc = xp_array_empty(p, dt, 2, ishape, &ic);
    if (rc == XP_OK)
        rc = run_passes(B, A, F2, G2);
    if (rc == XP_OK)
        rc = correct(F2, G2, P, W, ic, m, full);
    if (rc == XP_OK)    /* F is a copy of x: y may be x */
        rc = xp__view_axis_last(y, ax, &om);
    if (rc == XP_OK)
        rc = xp__copy(F, om);
    xp_array *tmp[] = {F, F2, G, G2, om, P, W, B, A, ic};
    for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
        xp_array_free(tmp[i]);
    xp__free(Ph);
    xp__free(Wh);
    return rc;
}
