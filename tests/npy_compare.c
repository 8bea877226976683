/*
 * npy_compare -- do two array files (.npy, .txt, .h5:/dataset) hold the same
 * shape and values within a tolerance?  For the shell tests of xpsig.
 *
 *   npy_compare [--rtol R] [--atol A | --normwise] [--dtype D] GOT EXPECTED
 *
 * Passes when every element has |got - expected| <= atol + rtol |expected|
 * (complex values by their modulus; NaN equals NaN).  rtol defaults to
 * 1e-10, atol to 1e-3 rtol max|expected|: bins far below the largest value
 * are held to an absolute bound; --normwise sets atol to rtol max|expected|,
 * the normwise bound that suits results rounded in another order (cuda's
 * against host's).  --dtype D also requires GOT's dtype to be
 * D (text files read as float64 or complex128).  Exit 0 when they agree,
 * 1 when they do not (one line on stderr says where), 2 on a usage or file
 * error.
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xpsig.h"

/* The file's values as complex doubles (malloc'd), its dtype and shape. */
static int load(const char *spec, xp_dtype *dt, int *nd, int64_t *shape,
                double complex **out, int64_t *n)
{
    char err[1024];
    xp_array *a = NULL, *c = NULL;
    if (xpsig_read_array(spec, xp_provider_host(), &a, err, sizeof err)) {
        fprintf(stderr, "npy_compare: %s\n", err);
        return -1;
    }
    *dt = xp_array_dtype(a);
    *nd = xp_array_ndim(a);
    for (int i = 0; i < *nd; i++)
        shape[i] = xp_array_dim(a, i);
    *n = xp_array_size(a);
    *out = malloc((size_t)(*n ? *n : 1) * sizeof **out);
    int rc = !*out || xp_array_astype(a, XP_COMPLEX128, &c) ||
             (*n && xp_array_to_host(c, *out, (size_t)*n * sizeof **out));
    xp_array_free(a);
    xp_array_free(c);
    if (rc) {
        fprintf(stderr, "npy_compare: %s: cannot read values: %s\n", spec, xp_errmsg());
        free(*out);
        return -1;
    }
    return 0;
}

static void print_shape(FILE *f, int nd, const int64_t *s)
{
    fputc('(', f);
    for (int i = 0; i < nd; i++)
        fprintf(f, i ? ", %lld" : "%lld", (long long)s[i]);
    fputs(nd == 1 ? ",)" : ")", f);
}

int main(int argc, char **argv)
{
    double rtol = 1e-10, atol = -1;
    int normwise = 0;
    const char *want_dtype = NULL, *file[2];
    int nfile = 0;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--rtol"))
            rtol = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--atol"))
            atol = atof(argv[++i]);
        else if (!strcmp(argv[i], "--normwise"))
            normwise = 1;
        else if (i + 1 < argc && !strcmp(argv[i], "--dtype"))
            want_dtype = argv[++i];
        else if (nfile < 2 && (argv[i][0] != '-' || !argv[i][1]))
            file[nfile++] = argv[i];
        else
            nfile = 3;
    }
    if (nfile != 2) {
        fprintf(stderr, "usage: npy_compare [--rtol R] [--atol A | --normwise] [--dtype D] "
                "GOT EXPECTED\n");
        return 2;
    }

    xp_dtype dt[2];
    int nd[2];
    int64_t shape[2][XP_MAX_NDIM], n[2];
    double complex *v[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++)
        if (load(file[k], &dt[k], &nd[k], shape[k], &v[k], &n[k])) {
            free(v[0]);
            return 2;
        }
    int rc = 0;
    if (want_dtype && strcmp(want_dtype, xp_dtype_name(dt[0])) != 0) {
        fprintf(stderr, "npy_compare: %s: dtype %s, expected %s\n", file[0],
                xp_dtype_name(dt[0]), want_dtype);
        rc = 1;
    }
    if (!rc && (nd[0] != nd[1] || memcmp(shape[0], shape[1], (size_t)nd[0] * sizeof(int64_t)))) {
        fprintf(stderr, "npy_compare: %s: shape ", file[0]);
        print_shape(stderr, nd[0], shape[0]);
        fprintf(stderr, ", expected ");
        print_shape(stderr, nd[1], shape[1]);
        fprintf(stderr, " (%s)\n", file[1]);
        rc = 1;
    }
    if (!rc) {
        double big = 0;
        for (int64_t i = 0; i < n[1]; i++)
            if (cabs(v[1][i]) > big)
                big = cabs(v[1][i]);
        if (normwise)
            atol = rtol * big;
        else if (atol < 0)
            atol = 1e-3 * rtol * big;
        int64_t bad = 0, first = -1;
        for (int64_t i = 0; i < n[0]; i++) {
            double complex g = v[0][i], e = v[1][i];
            int gnan = isnan(creal(g)) || isnan(cimag(g));
            int enan = isnan(creal(e)) || isnan(cimag(e));
            double d = cabs(g - e);
            if (gnan || enan ? gnan != enan : !(d <= atol + rtol * cabs(e))) {
                if (first < 0)
                    first = i;
                bad++;
            }
        }
        if (bad) {
            fprintf(stderr, "npy_compare: %s: %lld of %lld values differ from %s; first at "
                    "flat index %lld: %.17g%+.17gj, expected %.17g%+.17gj (rtol %g, atol %g)\n",
                    file[0], (long long)bad, (long long)n[0], file[1], (long long)first,
                    creal(v[0][first]), cimag(v[0][first]), creal(v[1][first]),
                    cimag(v[1][first]), rtol, atol);
            rc = 1;
        }
    }
    free(v[0]);
    free(v[1]);
    return rc;
}
