/* data.c -- the GWOSC files: where they are and how to read them.
 *
 * H-H1_LOSC_4_V2-1126259446-32.hdf5 and its L1 twin hold /strain/Strain,
 * 32 s at 4096 Hz, with the GPS start (Xstart) and the spacing (Xspacing) as
 * attributes; GW150914_4_NR_waveform.txt has two columns, time (s, 0 at the
 * peak) and strain.  data/ligo/fetch downloads them. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <hdf5.h>
#include "gw150914.h"

static const char *const strain_file[GW_NDET] = {
    "H-H1_LOSC_4_V2-1126259446-32.hdf5", "L-L1_LOSC_4_V2-1126259446-32.hdf5"};
static const char *const det_name[GW_NDET] = {"H1", "L1"};
static const char wave_file[] = "GW150914_4_NR_waveform.txt";

static int readable(const char *dir, const char *name)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static int holds_data(const char *dir)
{
    return dir && *dir && readable(dir, strain_file[0]) && readable(dir, strain_file[1])
           && readable(dir, wave_file);
}

int gw_find_data(const char *dir, char *found, size_t len)
{
    const char *cand[] = {dir, getenv("XPS_LIGO_DATA"), "data/ligo"};
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        if (holds_data(cand[i])) {
            snprintf(found, len, "%s", cand[i]);
            return 1;
        }
    return 0;
}

/* A scalar attribute of ds as a double (HDF5 converts integers). */
static int read_attr(hid_t ds, const char *path, const char *name, double *v)
{
    hid_t a = H5Aexists(ds, name) > 0 ? H5Aopen(ds, name, H5P_DEFAULT) : -1;
    herr_t e = a >= 0 ? H5Aread(a, H5T_NATIVE_DOUBLE, v) : -1;
    if (a >= 0)
        H5Aclose(a);
    return e < 0 ? xp_error(XP_EFORMAT, "%s: /strain/Strain has no numeric attribute %s",
                            path, name)
                 : XP_OK;
}

int gw_read_strain(const char *path, const char *name, gw_strain *s)
{
    int rc = XP_OK;
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);      /* we report errors ourselves */
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return xp_error(XP_EIO, "%s: cannot open as HDF5", path);
    hid_t ds = H5Dopen2(f, "/strain/Strain", H5P_DEFAULT);
    hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
    hsize_t n = 0;
    if (ds < 0 || sp < 0 || H5Sget_simple_extent_ndims(sp) != 1
        || H5Sget_simple_extent_dims(sp, &n, NULL) < 0 || n < 16)
        rc = xp_error(XP_EFORMAT, "%s: no 1-D dataset /strain/Strain", path);
    if (rc == XP_OK)
        rc = read_attr(ds, path, "Xstart", &s->t0);
    if (rc == XP_OK)
        rc = read_attr(ds, path, "Xspacing", &s->dt);
    if (rc == XP_OK && !(s->dt > 0))
        rc = xp_error(XP_EFORMAT, "%s: Xspacing (%g) must be positive", path, s->dt);
    if (rc == XP_OK && !(s->h = malloc(n * sizeof *s->h)))
        rc = xp_error(XP_ENOMEM, "%s: out of memory for %llu samples", path,
                      (unsigned long long)n);
    if (rc == XP_OK && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, s->h) < 0)
        rc = xp_error(XP_EIO, "%s: cannot read /strain/Strain", path);
    s->n = (int64_t)n;
    if (sp >= 0)
        H5Sclose(sp);
    if (ds >= 0)
        H5Dclose(ds);
    H5Fclose(f);
    if (rc) {
        free(s->h);
        s->h = NULL;
    }
    return rc;
}

int gw_read_columns(const char *path, double **t, double **y, int64_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return xp_error(XP_EIO, "%s: %s", path, strerror(errno));
    int64_t cap = 0, k = 0;
    double *a = NULL, *b = NULL;
    char line[512];
    int rc = XP_OK;
    while (rc == XP_OK && fgets(line, sizeof line, f)) {
        double u, v;
        if (line[0] == '#' || sscanf(line, "%lf %lf", &u, &v) != 2)
            continue;
        if (k == cap) {
            cap = cap ? 2 * cap : 4096;
            double *na = realloc(a, (size_t)cap * sizeof *a);
            if (na)
                a = na;
            double *nb = na ? realloc(b, (size_t)cap * sizeof *b) : NULL;
            if (nb)
                b = nb;
            if (!na || !nb) {
                rc = xp_error(XP_ENOMEM, "%s: out of memory", path);
                break;
            }
        }
        a[k] = u;
        b[k] = v;
        k++;
    }
    fclose(f);
    if (rc == XP_OK && k < 2)
        rc = xp_error(XP_EFORMAT, "%s: expected two columns of numbers", path);
    if (rc) {
        free(a);
        free(b);
        return rc;
    }
    *t = a;
    *y = b;
    *n = k;
    return XP_OK;
}

int gw_read_waveform(const char *path, gw_waveform *w)
{
    memset(w, 0, sizeof *w);
    return gw_read_columns(path, &w->t, &w->h, &w->n);
}

int gw_load(const char *dir, gw_dataset *d)
{
    char path[2048];
    int rc = XP_OK;
    memset(d, 0, sizeof *d);
    snprintf(d->dir, sizeof d->dir, "%s", dir);
    for (int i = 0; rc == XP_OK && i < GW_NDET; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, strain_file[i]);
        rc = gw_read_strain(path, det_name[i], &d->det[i]);
    }
    if (rc == XP_OK) {
        snprintf(path, sizeof path, "%s/%s", dir, wave_file);
        rc = gw_read_waveform(path, &d->wave);
    }
    if (rc == XP_OK && (d->det[0].n != d->det[1].n || d->det[0].t0 != d->det[1].t0
                        || d->det[0].dt != d->det[1].dt))
        rc = xp_error(XP_EFORMAT, "%s: the H1 and L1 files cover different times", dir);
    if (rc == XP_OK && fabs((d->wave.t[1] - d->wave.t[0]) - d->det[0].dt) > 1e-3 * d->det[0].dt)
        rc = xp_error(XP_EFORMAT, "%s/%s: the waveform is not sampled at the data's rate",
                      dir, wave_file);
    if (rc == XP_OK && d->wave.n > d->det[0].n / 2)
        rc = xp_error(XP_EFORMAT, "%s/%s: the waveform (%lld samples) is longer than half "
                      "the data", dir, wave_file, (long long)d->wave.n);
    if (rc == XP_OK && readable(dir, "fig1-observed-H.txt") && readable(dir, "fig1-observed-L.txt"))
        snprintf(d->fig1_dir, sizeof d->fig1_dir, "%s", dir);
    if (rc)
        gw_dataset_clear(d);
    return rc;
}

void gw_dataset_clear(gw_dataset *d)
{
    for (int i = 0; i < GW_NDET; i++)
        free(d->det[i].h);
    free(d->wave.t);
    free(d->wave.h);
    memset(d, 0, sizeof *d);
}
