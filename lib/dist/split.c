/*
 * split.c -- which samples each rank needs so that every Welch segment is
 * computed by exactly one rank.
 */
#include "xps_mpi.h"

int xps_mpi_split(int64_t n, int64_t nperseg, int64_t noverlap, int rank, int size,
                  int64_t *start, int64_t *count)
{
    if (!start || !count)
        return xp_error(XP_EINVAL, "mpi_split: %s is NULL", start ? "count" : "start");
    *start = *count = 0;
    if (n < 0)
        return xp_error(XP_EINVAL, "mpi_split: n (%lld) must be >= 0", (long long)n);
    if (nperseg < 1)
        return xp_error(XP_EINVAL, "mpi_split: nperseg (%lld) must be > 0", (long long)nperseg);
    if (noverlap < 0 || noverlap >= nperseg)
        return xp_error(XP_EINVAL, "mpi_split: noverlap (%lld) must be >= 0 and less than "
                        "nperseg (%lld)", (long long)noverlap, (long long)nperseg);
    if (size < 1 || rank < 0 || rank >= size)
        return xp_error(XP_EINVAL, "mpi_split: rank (%d) must be in [0, size (%d))", rank,
                        size);
    int64_t step = nperseg - noverlap;
    int64_t nseg = n >= nperseg ? (n - nperseg) / step + 1 : 0;
    /* segments [k0, k1) to this rank: shares differ by at most one */
    int64_t k0 = nseg / size * rank + (rank < nseg % size ? rank : nseg % size);
    int64_t k1 = k0 + nseg / size + (rank < nseg % size);
    if (k1 > k0) {
        *start = k0 * step;
        *count = (k1 - k0 - 1) * step + nperseg;
    } else {
        *start = nseg * step < n ? nseg * step : n;
    }
    return XP_OK;
}
