/*
 * cmd_mpi.c -- `mpirun -n N xpsig welch FILE.hdf5:/dataset ... --mpi` (and
 * csd, coherence with two series; .npy files too): each rank reads only its
 * own slice of the data (the range xps_mpi_split gives it), the ranks
 * merge their accumulators in one reduction (xps_welch_mpi, xps_csd_mpi,
 * xps_coherence_mpi), and rank 0 writes the result.
 */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_spectral.h"
#include "xps_mpi.h"

static int mpi_rank, mpi_started;

int xpsig_mpi_is_root(void)
{
    return mpi_rank == 0;
}

int xpsig_mpi_load(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    char err[512] = "";
    int size, rc = 0, any, usage = 0;
    if (!mpi_started) {
        int inited;
        MPI_Initialized(&inited);
        if (!inited && MPI_Init(NULL, NULL) != MPI_SUCCESS)
            return xpsig_fail(ctx, XPSIG_EXIT_DATA, "--mpi: MPI_Init failed");
        mpi_started = !inited;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    /* the lengths first (X and Y must be the same series length), then
     * nperseg and noverlap as SciPy resolves them */
    int64_t total = -1, start = 0, count = 0;
    for (int i = 0; i < j->kind->ninputs && rc == 0; i++) {
        int64_t n = xpsig_series_length(ctx->pos[i], NULL, err, sizeof err);
        if (n == -2)
            snprintf(err, sizeof err, "--mpi: %s must be a .npy file or an HDF5 dataset "
                     "(FILE.hdf5:/dataset), which each rank reads a slice of", ctx->pos[i]);
        if (n < 0) {
            rc = XP_EINVAL;
            usage = n == -2;
        } else if (i > 0 && n != total) {
            rc = XP_EINVAL;
            usage = 1;
            snprintf(err, sizeof err, "--mpi: X has %lld samples and Y %lld; they must be "
                     "equally long", (long long)total, (long long)n);
        }
        total = n;
    }
    if (rc == 0) {
        xpsig_series_nperseg(j, total);
        int64_t L = j->opt.nperseg, ov = j->opt.noverlap >= 0 ? j->opt.noverlap : L / 2;
        if (L < 1 || ov >= L || xps_mpi_split(total, L, ov, mpi_rank, size, &start, &count))
            rc = XP_EINVAL, snprintf(err, sizeof err, "%s: %s", ctx->pos[0], xp_errmsg());
    }
    if (rc == 0)
        rc = xpsig_series_slice(ctx->provider, ctx->pos[0], start, count, &j->x, err,
                              sizeof err);
    if (rc == 0 && j->kind->ninputs == 2)
        rc = xpsig_series_slice(ctx->provider, ctx->pos[1], start, count, &j->y, err,
                              sizeof err);
    j->mpi_offset = start;
    j->mpi_total = total;
    /* agree before any collective: a rank that cannot read fails them all */
    MPI_Allreduce(&rc, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rc)
        return xpsig_fail(ctx, usage ? XPSIG_EXIT_USAGE : xpsig_io_exit(rc), "rank %d: %s",
                          mpi_rank, err);
    if (any)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "rank %d: another rank could not read its "
                          "slice", mpi_rank);
    return 0;
}

int xpsig_mpi_compute(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    xp_array **f = j->ffile ? &j->f : NULL;
    int rc;
    if (j->kind->ninputs == 1)
        rc = xps_welch_mpi(MPI_COMM_WORLD, 0, j->x, j->mpi_offset, j->mpi_total, &j->opt, f,
                           &j->out);
    else if (strcmp(j->kind->fn, "coherence") == 0)
        rc = xps_coherence_mpi(MPI_COMM_WORLD, 0, j->x, j->y, j->mpi_offset, j->mpi_total,
                               &j->opt, f, &j->out);
    else
        rc = xps_csd_mpi(MPI_COMM_WORLD, 0, j->x, j->y, j->mpi_offset, j->mpi_total, &j->opt,
                         f, &j->out);
    if (rc) {
        char fn[32];
        snprintf(fn, sizeof fn, "%s_mpi", j->kind->fn);
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, fn);
    }
    return 0;
}

void xpsig_mpi_finish(void)
{
    if (mpi_started) {
        MPI_Finalize();
        mpi_started = 0;
    }
}
