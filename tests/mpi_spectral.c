/*
 * mpi_spectral.c -- run under mpirun by check_mpi.sh with 1, 2 and 3
 * ranks: welch, csd and coherence over ranks against the single-process
 * result (segments straddle rank boundaries), a rank with nothing to do,
 * and a failing rank that makes every rank return an error.  Each rank
 * holds a little more than its range, at its own offset.  Exit 0 when
 * every check passes on this rank.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xps_mpi.h"

static int rank, size, fails;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "rank %d/%d: line %d: ", rank, size, __LINE__);   \
            fprintf(stderr, __VA_ARGS__);                                      \
            fprintf(stderr, " [%s]\n", xp_errmsg());                          \
            fails++;                                                           \
        }                                                                      \
    } while (0)

static void series(double *v, int64_t n, unsigned seed)
{
    uint64_t s = seed * 2654435761u + 1;
    for (int64_t i = 0; i < n; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        v[i] = (double)(s >> 11) / 9007199254740992.0 * 2 - 1 + 0.3 * sin(0.05 * i);
    }
}

static double *host(const xp_array *a, int64_t *n)
{
    xp_dtype dt = xp_array_dtype(a);
    *n = xp_array_size(a) * (xp_dtype_is_complex(dt) ? 2 : 1);
    double *v = malloc((size_t)*n * sizeof *v + 8);
    xp_array *d = NULL;
    xp_array_astype(a, xp_dtype_is_complex(dt) ? XP_COMPLEX128 : XP_FLOAT64, &d);
    xp_array_to_host(d, v, (size_t)*n * sizeof *v);
    xp_array_free(d);
    return v;
}

static double rel_err(const xp_array *a, const xp_array *b)
{
    int64_t na, nb;
    double *va = host(a, &na), *vb = host(b, &nb), e = 0, m = 0;
    if (na != nb) {
        free(va);
        free(vb);
        return INFINITY;
    }
    for (int64_t i = 0; i < na; i++) {
        e = fmax(e, fabs(va[i] - vb[i]));
        m = fmax(m, fabs(vb[i]));
    }
    free(va);
    free(vb);
    return e / (m > 0 ? m : 1);
}

/* rows x n series (time along the last axis); this rank's chunk holds
 * [lo, hi) with lo = start - pad, hi = start + count + pad clipped. */
static xp_array *chunk(const double *v, int rows, int64_t n, int64_t lo, int64_t hi)
{
    int64_t shape[2] = {rows, hi - lo};
    double *c = malloc((size_t)(rows * (hi - lo) + 1) * sizeof *c);
    for (int r = 0; r < rows; r++)
        memcpy(c + r * (hi - lo), v + r * n + lo, (size_t)(hi - lo) * sizeof *c);
    xp_array *a = NULL;
    xp_array_from_host(xp_provider_host(), XP_FLOAT64, 2, shape, c, &a);
    free(c);
    return a;
}

/* One case: kind over n samples of rows series, root, and a fault. */
static void one(int kind, int rows, int64_t n, int64_t nperseg, int64_t noverlap, int root,
                int fail_rank)
{
    const char *name[] = {"welch", "csd", "coherence"};
    double *x = malloc((size_t)(rows * n) * sizeof *x), *y = malloc((size_t)(rows * n) * sizeof *y);
    series(x, rows * n, 1);
    series(y, rows * n, 2);
    for (int64_t i = 0; i < rows * n; i++)
        y[i] += 0.5 * x[i];
    xps_spectral_options o;
    xps_welch_options_init(&o);
    o.nperseg = nperseg;
    o.noverlap = noverlap;
    o.fs = 100;
    int64_t start, count;
    xps_mpi_split(n, nperseg, noverlap >= 0 ? noverlap : nperseg / 2, rank, size, &start,
                  &count);
    int64_t lo = start > 7 ? start - 7 : 0, hi = start + count + 5 < n ? start + count + 5 : n;
    if (rank == fail_rank)
        lo = start + 1 < hi ? start + 1 : hi;   /* misses its first sample */
    xp_array *cx = chunk(x, rows, n, lo, hi), *cy = chunk(y, rows, n, lo, hi);
    xp_array *f = NULL, *r = NULL;
    int rc = kind == 0 ? xps_welch_mpi(MPI_COMM_WORLD, root, cx, lo, n, &o, &f, &r)
           : kind == 1 ? xps_csd_mpi(MPI_COMM_WORLD, root, cx, cy, lo, n, &o, &f, &r)
                       : xps_coherence_mpi(MPI_COMM_WORLD, root, cx, cy, lo, n, &o, &f, &r);
    if (fail_rank >= 0 && fail_rank < size) {
        CHECK(rc != 0 && !r && !f, "%s: rank %d failed but this rank got %d", name[kind],
              fail_rank, rc);
        if (rank != fail_rank)
            CHECK(strstr(xp_errmsg(), "failed"), "%s: message", name[kind]);
    } else if (root >= 0 && rank != root) {
        CHECK(rc == 0 && !r && !f, "%s: non-root rank got rc %d or a result", name[kind], rc);
    } else {
        CHECK(rc == 0 && r && f, "%s n=%lld root=%d: rc %d", name[kind], (long long)n, root,
              rc);
        int64_t shape[2] = {rows, n};
        xp_array *ax = NULL, *ay = NULL, *f1 = NULL, *r1 = NULL;
        xp_array_from_host(xp_provider_host(), XP_FLOAT64, 2, shape, x, &ax);
        xp_array_from_host(xp_provider_host(), XP_FLOAT64, 2, shape, y, &ay);
        int rc1 = kind == 0 ? xps_welch(ax, &o, &f1, &r1)
                : kind == 1 ? xps_csd(ax, ay, &o, &f1, &r1) : xps_coherence(ax, ay, &o, &f1, &r1);
        CHECK(rc1 == 0, "one-shot %s", name[kind]);
        if (rc == 0 && rc1 == 0) {
            double e = rel_err(r, r1);
            CHECK(e < 1e-12, "%s n=%lld nperseg=%lld: relative error %g", name[kind],
                  (long long)n, (long long)nperseg, e);
            CHECK(rel_err(f, f1) == 0, "%s: frequencies differ", name[kind]);
        }
        xp_array_free(ax);
        xp_array_free(ay);
        xp_array_free(f1);
        xp_array_free(r1);
    }
    xp_array_free(f);
    xp_array_free(r);
    xp_array_free(cx);
    xp_array_free(cy);
    free(x);
    free(y);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    /* split: every segment exactly once, ranges inside the series */
    for (int64_t n = 0; n < 400; n += 13)
        for (int s = 1; s <= 4; s++) {
            int64_t covered = 0, st, ct, nseg = n >= 64 ? (n - 64) / 24 + 1 : 0;
            for (int r = 0; r < s; r++) {
                CHECK(xps_mpi_split(n, 64, 40, r, s, &st, &ct) == 0, "split");
                CHECK(st >= 0 && st + ct <= n, "split range");
                CHECK(ct == 0 || st % 24 == 0, "split start");
                covered += ct ? (ct - 64) / 24 + 1 : 0;
            }
            CHECK(covered == nseg, "split n=%lld size=%d: %lld of %lld segments",
                  (long long)n, s, (long long)covered, (long long)nseg);
        }
    CHECK(xps_mpi_split(10, 8, 8, 0, 1, &(int64_t){0}, &(int64_t){0}) == XP_EINVAL,
          "noverlap == nperseg accepted");

    /* lengths whose segments straddle rank boundaries, all kinds and roots */
    int64_t lens[] = {1000, 1037, 4099};
    for (int kind = 0; kind < 3; kind++)
        for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
            one(kind, 1, lens[i], 128, 100, -1, -1);
            one(kind, 2, lens[i], 100, -1, 0, -1);
            one(kind, 1, lens[i], 64, 0, size - 1, -1);
        }
    /* ranks with nothing to do: 2 segments over up to 3 ranks */
    one(0, 1, 300, 200, 100, -1, -1);
    one(2, 1, 250, 250, 100, 0, -1);
    /* a failing rank: every rank errs, none hangs */
    one(0, 1, 1037, 128, 64, -1, size - 1);
    one(1, 1, 1037, 128, 64, 0, 0);
    /* median refused on every rank */
    {
        xps_spectral_options o;
        xps_welch_options_init(&o);
        o.average = XPS_AVERAGE_MEDIAN;
        xp_array *c = chunk((double[1000]){0}, 1, 1000, 0, 1000), *f = NULL, *r = NULL;
        int rc = xps_welch_mpi(MPI_COMM_WORLD, -1, c, 0, 1000, &o, &f, &r);
        CHECK(rc == XP_EINVAL && (rank != 0 || strstr(xp_errmsg(), "median")), "median: %d",
              rc);
        xp_array_free(c);
    }
    /* coherence takes no average: median is not refused for it */
    {
        xps_spectral_options o;
        xps_welch_options_init(&o);
        o.average = XPS_AVERAGE_MEDIAN;
        double v[1000];
        series(v, 1000, 4);
        xp_array *c = chunk(v, 1, 1000, 0, 1000), *f = NULL, *r = NULL;
        int rc = xps_coherence_mpi(MPI_COMM_WORLD, -1, c, c, 0, 1000, &o, &f, &r);
        CHECK(rc == 0, "coherence with average median: %d (%s)", rc, xp_errmsg());
        xp_array_free(f);
        xp_array_free(r);
        /* ranks that disagree on the options (fs) or on n: every rank errs */
        if (size > 1) {
            xps_welch_options_init(&o);
            o.nperseg = 100;
            o.fs = rank == size - 1 ? 2.0 : 1.0;
            f = r = NULL;
            rc = xps_welch_mpi(MPI_COMM_WORLD, 0, c, 0, 1000, &o, &f, &r);
            CHECK(rc == XP_EINVAL && strstr(xp_errmsg(), "disagree on the options"),
                  "fs differs on one rank: %d (%s)", rc, xp_errmsg());
            xp_array_free(f);
            xp_array_free(r);
            o.fs = 1.0;
            f = r = NULL;
            rc = xps_welch_mpi(MPI_COMM_WORLD, 0, c, 0, rank == 0 ? 999 : 1000, &o, &f, &r);
            CHECK(rc == XP_EINVAL && strstr(xp_errmsg(), "disagree on n"),
                  "n differs on rank 0: %d (%s)", rc, xp_errmsg());
            xp_array_free(f);
            xp_array_free(r);
        }
        xp_array_free(c);
    }
    /* options from a newer header: taken while their new fields are zero;
     * from one older than the first layout: refused */
    {
        struct {
            xps_spectral_options o;
            unsigned char newer[16];
        } big;
        memset(&big, 0, sizeof big);
        xps_welch_options_init(&big.o);
        big.o.nperseg = 100;
        xps_spectral_options plain = big.o;
        big.o.size = sizeof big;
        double v[1000];
        series(v, 1000, 3);
        xp_array *c = chunk(v, 1, 1000, 0, 1000), *f = NULL, *r0 = NULL, *r1 = NULL;
        CHECK(xps_welch_mpi(MPI_COMM_WORLD, -1, c, 0, 1000, &plain, &f, &r0) == 0, "plain");
        xp_array_free(f);
        CHECK(xps_welch_mpi(MPI_COMM_WORLD, -1, c, 0, 1000, &big.o, &f, &r1) == 0, "newer");
        CHECK(r0 && r1 && rel_err(r0, r1) == 0, "newer options change the result");
        xp_array_free(f);
        xp_array_free(r0);
        xp_array_free(r1);
        big.newer[7] = 1;
        int rc = xps_welch_mpi(MPI_COMM_WORLD, -1, c, 0, 1000, &big.o, &f, &r1);
        CHECK(rc == XP_EINVAL && (rank != 0 || strstr(xp_errmsg(), "sets fields it does not "
              "know")), "newer options with new fields: %d", rc);
        plain.size = 8;
        rc = xps_welch_mpi(MPI_COMM_WORLD, -1, c, 0, 1000, &plain, &f, &r1);
        CHECK(rc == XP_EINVAL && (rank != 0 || strstr(xp_errmsg(), "options.size (8)")),
              "options.size 8: %d", rc);
        xp_array_free(c);
    }

    int all = 0;
    MPI_Allreduce(&fails, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0)
        printf("mpi_spectral: %d ranks, %d failures\n", size, all);
    MPI_Finalize();
    return all ? 1 : 0;
}
