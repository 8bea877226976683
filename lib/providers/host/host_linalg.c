/*
 * host_linalg.c -- small dense linear algebra on host memory for the
 * signal layer's coefficient math (polynomial roots of filter design).
 * LAPACK lives here so that lib/signal includes no LAPACK header.
 */
#include <inttypes.h>
#include <limits.h>
#include <lapacke.h>
#include "host.h"

int xp__host_eigvals(int64_t n, const double *A_rowmajor, double *wr, double *wi)
{
    if (n < 0 || n > INT_MAX / 2)
        return xp_error(XP_EINVAL, "eigvals: n (%" PRId64 ") must be in [0, %d]", n,
                        INT_MAX / 2);
    if (n == 0)
        return XP_OK;
    if (!A_rowmajor || !wr || !wi)
        return xp_error(XP_EINVAL, "eigvals: NULL matrix or output");
    if ((size_t)n > SIZE_MAX / sizeof(double) / (size_t)n)
        return xp_error(XP_ENOMEM, "eigvals: a %" PRId64 " x %" PRId64 " matrix is too large",
                        n, n);
    /* LAPACK's own column-major layout: no hidden copy inside LAPACKE, and
     * every allocation goes through xp__malloc (fault injection reaches it) */
    size_t nn = (size_t)n * (size_t)n;
    double *a = xp__malloc(nn * sizeof *a);
    if (!a)
        return xp_error(XP_ENOMEM, "eigvals: out of memory for a %" PRId64 " x %" PRId64
                        " matrix", n, n);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++)
            a[j * n + i] = A_rowmajor[i * n + j];
    lapack_int N = (lapack_int)n, info;
    double q = 0, vdummy = 0;
    info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, 'N', 'N', N, a, N, wr, wi, &vdummy, 1,
                              &vdummy, 1, &q, -1);
    lapack_int lwork = info == 0 && q >= 1 ? (lapack_int)q : 4 * N;
    if (lwork < 4 * N)
        lwork = 4 * N;
    double *work = xp__malloc((size_t)lwork * sizeof *work);
    if (!work) {
        xp__free(a);
        return xp_error(XP_ENOMEM, "eigvals: out of memory for LAPACK workspace");
    }
    info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, 'N', 'N', N, a, N, wr, wi, &vdummy, 1,
                              &vdummy, 1, work, lwork);
    xp__free(work);
    xp__free(a);
    if (info > 0)
        return xp_error(XP_EINTERNAL, "eigvals: the QR algorithm did not converge "
                        "(dgeev info %d)", (int)info);
    if (info < 0)
        return xp_error(XP_EINTERNAL, "eigvals: dgeev argument %d was invalid", (int)-info);
    return XP_OK;
}
