/* io.c -- array files: pick the format from the name, move the values
 * between the host copy the back ends exchange and an array on a provider. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "xpsig.h"

typedef enum { FMT_NONE, FMT_NPY, FMT_TXT, FMT_HDF5 } fmt;

int xpsig_ioerr(char *err, size_t errlen, int status, const char *fmt, ...)
{
    va_list ap;
    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return status;
}

int xpsig_io_exit(int status)
{
    return status == XP_EINVAL ? XPSIG_EXIT_USAGE : XPSIG_EXIT_DATA;
}

int xpsig_shape_size(int ndim, const int64_t *shape, int64_t *size)
{
    int64_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return -1;
        if (shape[i] && n > INT64_MAX / 16 / shape[i])  /* room for bytes */
            return -1;
        n *= shape[i];
    }
    *size = n;
    return 0;
}

void xpsig_host_clear(xpsig_host *h)
{
    free(h->data);
    h->data = NULL;
}

static int ends_with(const char *s, size_t n, const char *ext)
{
    size_t m = strlen(ext);
    return n >= m && strncasecmp(s + n - m, ext, m) == 0;
}

/* Split spec into a file name (malloc'd) and, for HDF5, a dataset path
 * pointing into spec ("FILE.h5:/group/name"). */
static fmt parse_spec(const char *spec, char **path, const char **dataset)
{
    size_t n = strlen(spec);
    *dataset = NULL;
    /* the first ':' that follows an HDF5 extension separates the dataset */
    for (const char *c = strchr(spec, ':'); c; c = strchr(c + 1, ':')) {
        size_t k = (size_t)(c - spec);
        if (ends_with(spec, k, ".h5") || ends_with(spec, k, ".hdf5")) {
            *path = strndup(spec, k);
            *dataset = c[1] ? c + 1 : NULL;
            return FMT_HDF5;
        }
    }
    *path = strdup(spec);
    if (ends_with(spec, n, ".h5") || ends_with(spec, n, ".hdf5"))
        return FMT_HDF5;
    if (ends_with(spec, n, ".npy"))
        return FMT_NPY;
    if (ends_with(spec, n, ".txt") || strcmp(spec, "-") == 0)
        return FMT_TXT;
    return FMT_NONE;
}

/* The format spec names, by the rules of parse_spec. */
static fmt format_of(const char *spec)
{
    char *path = NULL;
    const char *dataset;
    fmt f = parse_spec(spec, &path, &dataset);
    free(path);
    return f;
}

int xpsig_is_npy(const char *spec)
{
    return format_of(spec) == FMT_NPY;
}

int xpsig_same_file(const char *a, const char *b)
{
    char *pa = NULL, *pb = NULL;
    const char *da, *db;
    struct stat sa, sb;
    parse_spec(a, &pa, &da);
    parse_spec(b, &pb, &db);
    int same = pa && pb && stat(pa, &sa) == 0 && stat(pb, &sb) == 0
               && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    free(pa);
    free(pb);
    return same;
}

int xpsig_sliceable(const char *spec)
{
    fmt f = format_of(spec);
    return f == FMT_NPY || f == FMT_HDF5;
}

int xpsig_read_range(const char *spec, int64_t start, int64_t count, xpsig_host *h,
                     int64_t *total, char *err, size_t errlen)
{
    char *path = NULL;
    const char *dataset;
    fmt f = parse_spec(spec, &path, &dataset);
    int rc;
    h->data = NULL;
    h->ndim = 0;
    if (!path)
        return xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", spec);
    if (f == FMT_NPY)
        rc = xpsig_npy_read_range(path, start, count, h, total, err, errlen);
    else if (f == FMT_HDF5)
        rc = xpsig_hdf5_read_range(path, dataset, start, count, h, total, err, errlen);
    else
        rc = xpsig_ioerr(err, errlen, XP_EINVAL, "%s: only .npy files and HDF5 datasets "
                         "are read in slices", spec);
    free(path);
    return rc;
}

static int bad_name(const char *spec, char *err, size_t errlen)
{
    return xpsig_ioerr(err, errlen, XP_EINVAL,
                       "%s: unknown file format (use .npy, .txt, .hdf5 or .h5)",
                       spec);
}

int xpsig_read_array(const char *spec, const xp_provider *p, xp_array **out,
                     char *err, size_t errlen)
{
    xpsig_host h = {0};
    char *path = NULL;
    const char *dataset;
    int rc;

    *out = NULL;
    fmt f = parse_spec(spec, &path, &dataset);
    if (!path)
        return xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", spec);
    switch (f) {
    case FMT_NPY: rc = xpsig_npy_read(path, &h, err, errlen); break;
    case FMT_TXT: rc = xpsig_txt_read(path, &h, err, errlen); break;
    case FMT_HDF5: rc = xpsig_hdf5_read(path, dataset, &h, err, errlen); break;
    default: rc = bad_name(spec, err, errlen); break;
    }
    free(path);
    if (rc)
        return rc;
    rc = xp_array_from_host(p, h.dtype, h.ndim, h.shape, h.data, out);
    if (rc)
        xpsig_ioerr(err, errlen, rc, "%s: cannot place array on provider %s: %s",
                    spec, xp_provider_name(p), xp_errmsg());
    xpsig_host_clear(&h);
    return rc;
}

int xpsig_write_array(const char *spec, const xp_array *a, char *err,
                      size_t errlen)
{
    xpsig_host h = {0};
    char *path = NULL;
    const char *dataset;
    int64_t size;
    int rc;

    if (!spec)
        spec = "-";
    fmt f = parse_spec(spec, &path, &dataset);
    if (!path)
        return xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", spec);
    if (f == FMT_NONE) {
        free(path);
        return bad_name(spec, err, errlen);
    }
    h.dtype = xp_array_dtype(a);
    h.ndim = xp_array_ndim(a);
    for (int i = 0; i < h.ndim; i++)
        h.shape[i] = xp_array_dim(a, i);
    size = xp_array_size(a);
    size_t nbytes = (size_t)size * xp_dtype_size(h.dtype);
    h.data = malloc(nbytes ? nbytes : 1);
    if (!h.data) {
        free(path);
        return xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory (%zu bytes)",
                           spec, nbytes);
    }
    rc = size ? xp_array_to_host(a, h.data, nbytes) : 0;
    if (rc)
        xpsig_ioerr(err, errlen, rc, "%s: cannot copy array to host: %s", spec,
                    xp_errmsg());
    else if (f == FMT_NPY)
        rc = xpsig_npy_write(path, &h, err, errlen);
    else if (f == FMT_TXT)
        rc = xpsig_txt_write(path, &h, err, errlen);
    else
        rc = xpsig_hdf5_write(path, dataset, &h, err, errlen);
    xpsig_host_clear(&h);
    free(path);
    return rc;
}
