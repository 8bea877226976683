/*
 * cmd_mpi.c -- `mpirun -n N xpsig welch FILE.hdf5:/dataset ... --mpi`: each
 * rank reads only its own slice of the dataset (an HDF5 hyperslab, the
 * range xps_mpi_split gives it), the ranks merge their accumulators in one
 * reduction (xps_welch_mpi), and rank 0 writes the result.
 */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_spectral.h"
#include "xps_mpi.h"

static int mpi_rank, mpi_started;

/* "FILE.hdf5:/dataset" -> path, dataset (NULL when not named). */
static int split_spec(const char *spec, char *path, size_t n, const char **dataset)
{
    const char *ext[] = {".hdf5", ".h5"};
    for (int i = 0; i < 2; i++) {
        const char *e = strstr(spec, ext[i]);
        size_t k = strlen(ext[i]);
        if (e && (e[k] == '\0' || e[k] == ':') && (size_t)(e + k - spec) < n) {
            memcpy(path, spec, (size_t)(e + k - spec));
            path[e + k - spec] = '\0';
            *dataset = e[k] == ':' ? e + k + 1 : NULL;
            return 0;
        }
    }
    return -1;
}

int xpsig_mpi_is_root(void)
{
    return mpi_rank == 0;
}

int xpsig_mpi_load(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    char path[4096], err[512] = "";
    const char *dataset = NULL;
    int size, rc = 0, any;
    xpsig_host h = {0};
    if (!mpi_started) {
        int inited;
        MPI_Initialized(&inited);
        if (!inited && MPI_Init(NULL, NULL) != MPI_SUCCESS)
            return xpsig_fail(ctx, XPSIG_EXIT_DATA, "--mpi: MPI_Init failed");
        mpi_started = !inited;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (split_spec(ctx->pos[0], path, sizeof path, &dataset))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--mpi: %s must be an HDF5 file "
                          "(FILE.hdf5:/dataset), which each rank reads a slice of",
                          ctx->pos[0]);
    /* the length first, then nperseg and noverlap as SciPy resolves them */
    int64_t total = -1, start = 0, count = 0;
    rc = xpsig_hdf5_read_range(path, dataset, 0, 0, &h, &total, err, sizeof err);
    xpsig_host_clear(&h);
    if (rc == 0) {
        int64_t L = j->opt.nperseg ? j->opt.nperseg
                    : j->opt.window.array ? xp_array_dim(j->opt.window.array, 0) : 256;
        if (L > total)
            L = total;
        int64_t ov = j->opt.noverlap >= 0 ? j->opt.noverlap : L / 2;
        j->opt.nperseg = L;
        if (L < 1 || ov >= L || xps_mpi_split(total, L, ov, mpi_rank, size, &start, &count))
            rc = XP_EINVAL, snprintf(err, sizeof err, "%s: %s", ctx->pos[0], xp_errmsg());
    }
    if (rc == 0)
        rc = xpsig_hdf5_read_range(path, dataset, start, count, &h, &total, err, sizeof err);
    if (rc == 0 && xp_array_from_host(ctx->provider, h.dtype, 1, &count, h.data, &j->x)) {
        rc = XP_ENOMEM;
        snprintf(err, sizeof err, "%s", xp_errmsg());
    }
    xpsig_host_clear(&h);
    j->mpi_offset = start;
    j->mpi_total = total;
    /* agree before any collective: a rank that cannot read fails them all */
    MPI_Allreduce(&rc, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rc)
        return xpsig_fail(ctx, xpsig_io_exit(rc), "rank %d: %s", mpi_rank, err);
    if (any)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "rank %d: another rank could not read its "
                          "slice", mpi_rank);
    return 0;
}

int xpsig_mpi_compute(xpsig_ctx *ctx, xpsig_spectral_job *j)
{
    if (xps_welch_mpi(MPI_COMM_WORLD, 0, j->x, j->mpi_offset, j->mpi_total, &j->opt,
                      j->ffile ? &j->f : NULL, &j->out))
        return xpsig_fail_call(ctx, XPSIG_EXIT_DATA, "welch_mpi");
    return 0;
}

void xpsig_mpi_finish(void)
{
    if (mpi_started) {
        MPI_Finalize();
        mpi_started = 0;
    }
}
