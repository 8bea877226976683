/*
 * xps_mpi.h -- welch, csd and coherence over MPI ranks (libxpsignal_mpi).
 *
 * Each rank holds a time range of one long series (every other axis whole),
 * feeds it to an accumulator, and one reduction merges the float64 sums:
 * the result equals xps_welch / xps_csd / xps_coherence of the whole series
 * up to the order of additions.  Link with -lxpsignal_mpi -lxpsignal and
 * the MPI library.  Every rank calls with the same root, n and options.
 */
#ifndef XPS_MPI_H
#define XPS_MPI_H

#include <mpi.h>
#include "xpsignal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The samples [*start, *start + *count) of a series of n samples that rank
 * (0 <= rank < size) must hold: segments (nperseg, noverlap resolved,
 * 0 <= noverlap < nperseg) are dealt out evenly, segment k to one rank
 * only, and a rank's range runs from its first segment's start to its last
 * segment's end (nperseg - step samples past its share).  *count is 0 for
 * a rank with no segment. */
XPS_API int xps_mpi_split(int64_t n, int64_t nperseg, int64_t noverlap, int rank, int size,
                          int64_t *start, int64_t *count);

/* x: this rank's chunk, samples [offset, offset + x.shape[axis]) of a series
 * of n samples along opt->axis; it must cover the rank's range from
 * xps_mpi_split (opt's nperseg and noverlap resolved as SciPy does for n).
 * root: the rank that gets f and the result, or -1 for every rank; other
 * ranks get NULLs.  average must be mean.  A failure on any rank makes
 * every rank return an error (none waits forever). */
XPS_API int xps_welch_mpi(MPI_Comm comm, int root, const xp_array *x, int64_t offset,
                          int64_t n, const xps_spectral_options *opt, xp_array **f,
                          xp_array **Pxx);
/* x and y: chunks of equal shape over the same samples. */
XPS_API int xps_csd_mpi(MPI_Comm comm, int root, const xp_array *x, const xp_array *y,
                        int64_t offset, int64_t n, const xps_spectral_options *opt,
                        xp_array **f, xp_array **Pxy);
XPS_API int xps_coherence_mpi(MPI_Comm comm, int root, const xp_array *x, const xp_array *y,
                              int64_t offset, int64_t n, const xps_spectral_options *opt,
                              xp_array **f, xp_array **Cxy);

#ifdef __cplusplus
}
#endif
#endif /* XPS_MPI_H */
