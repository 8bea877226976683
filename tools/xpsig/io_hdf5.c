/* io_hdf5.c -- HDF5 datasets ("FILE.h5:/group/name").
 *
 * Real data are float32/float64 datasets of any rank (a scalar dataspace is
 * a 0-d array); complex data are compound {r, i} of two floats, the layout
 * h5py writes.  HDF5 converts byte order and chunked or compressed storage
 * by itself.  Writing into an existing HDF5 file adds or replaces the
 * dataset and keeps the rest of the file, as h5py's "a" mode does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hdf5.h>
#include "xpsig.h"

#define DEFAULT_DATASET "/data"

/* The innermost message of HDF5's error stack, to say why a call failed. */
static herr_t first_error(unsigned n, const H5E_error2_t *e, void *data)
{
    char *buf = data;
    if (n == 0 && e->desc)
        snprintf(buf, 128, " (%s)", e->desc);
    return 0;
}

static const char *h5_reason(char buf[128])
{
    buf[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_error, buf);
    H5Eclear2(H5E_DEFAULT);
    return buf;
}

/* Memory type for dtype: native float/double, or compound {r, i}. */
static hid_t mem_type(xp_dtype dtype, int little_endian_file)
{
    int single = dtype == XP_FLOAT32 || dtype == XP_COMPLEX64;
    hid_t part = little_endian_file ? (single ? H5T_IEEE_F32LE : H5T_IEEE_F64LE)
                                    : (single ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE);
    if (!xp_dtype_is_complex(dtype))
        return H5Tcopy(part);
    size_t s = single ? 4 : 8;
    hid_t t = H5Tcreate(H5T_COMPOUND, 2 * s);
    if (t < 0)
        return t;
    if (H5Tinsert(t, "r", 0, part) < 0 || H5Tinsert(t, "i", s, part) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* The dtype a dataset's file type maps to; -1 if none. */
static int file_dtype(hid_t type, xp_dtype *dtype, const char **what)
{
    H5T_class_t cls = H5Tget_class(type);
    size_t size = H5Tget_size(type);

    *what = "unsupported datatype";
    if (cls == H5T_FLOAT) {
        if (size == 4 || size == 8) {
            *dtype = size == 4 ? XP_FLOAT32 : XP_FLOAT64;
            return 0;
        }
        *what = "unsupported float size (need 4 or 8 bytes)";
        return -1;
    }
    if (cls == H5T_INTEGER)
        *what = "unsupported datatype (integer; need float32, float64 or complex)";
    if (cls != H5T_COMPOUND)
        return -1;
    *what = "unsupported compound datatype (need complex as {r, i})";
    if (H5Tget_nmembers(type) != 2)
        return -1;
    int ok = 1;
    size_t msize[2];
    for (unsigned i = 0; i < 2; i++) {
        char *name = H5Tget_member_name(type, i);
        hid_t mt = H5Tget_member_type(type, i);
        ok = ok && name && strcmp(name, i ? "i" : "r") == 0 && mt >= 0 &&
             H5Tget_class(mt) == H5T_FLOAT;
        msize[i] = mt >= 0 ? H5Tget_size(mt) : 0;
        if (mt >= 0)
            H5Tclose(mt);
        H5free_memory(name);
    }
    if (!ok || msize[0] != msize[1] || (msize[0] != 4 && msize[0] != 8))
        return -1;
    *dtype = msize[0] == 4 ? XP_COMPLEX64 : XP_COMPLEX128;
    return 0;
}

/* 1 if a dataset's type is one we read. */
static int readable(hid_t ds)
{
    xp_dtype dtype;
    const char *what;
    hid_t type = H5Dget_type(ds);
    if (type < 0)
        return 0;
    int ok = file_dtype(type, &dtype, &what) == 0;
    H5Tclose(type);
    return ok;
}

/* The float and complex datasets of a file, found by walking its groups
 * (depth-limited: hard links may form cycles). */
typedef struct {
    int found, full;
    char first[300];
    char list[240];     /* the first few names, for the error message */
} walk;

static void walk_group(hid_t g, const char *prefix, int depth, walk *w)
{
    H5G_info_t gi;
    if (depth > 8 || H5Gget_info(g, &gi) < 0)
        return;
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char link[256], full[300];
        ssize_t len = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                         link, sizeof link, H5P_DEFAULT);
        if (len < 0 || (size_t)len >= sizeof link)
            continue;
        snprintf(full, sizeof full, "%s/%s", prefix, link);
        hid_t obj = H5Oopen(g, link, H5P_DEFAULT);
        if (obj < 0)
            continue;
        H5I_type_t t = H5Iget_type(obj);
        if (t == H5I_DATASET && readable(obj)) {
            if (w->found++ == 0)
                snprintf(w->first, sizeof w->first, "%s", full);
            size_t n = strlen(w->list);
            if (w->full) {
                /* listed enough */
            } else if (n + strlen(full) + 8 < sizeof w->list) {
                snprintf(w->list + n, sizeof w->list - n, "%s%s", n ? ", " : "", full);
            } else {
                strcat(w->list, ", ...");
                w->full = 1;
            }
        } else if (t == H5I_GROUP) {
            walk_group(obj, full, depth + 1, w);
        }
        H5Oclose(obj);
    }
}

/* With no dataset named: "/data", else the file's only float or complex
 * dataset (a GWOSC strain file has one: /strain/Strain). */
static int pick_dataset(hid_t file, const char *path, char *name, size_t n,
                        char *err, size_t errlen)
{
    walk w = {0};

    if (H5Lexists(file, DEFAULT_DATASET, H5P_DEFAULT) > 0) {
        snprintf(name, n, "%s", DEFAULT_DATASET);
        return 0;
    }
    walk_group(file, "", 0, &w);
    H5Eclear2(H5E_DEFAULT);
    if (w.found == 1) {
        snprintf(name, n, "%s", w.first);
        return 0;
    }
    if (w.found == 0)
        return xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: the file holds no float or complex dataset", path);
    return xpsig_ioerr(err, errlen, XP_EINVAL,
                       "%s: name the dataset as %s:/NAME (%d float or complex datasets: %s)",
                       path, path, w.found, w.list);
}

static int read_dataset(hid_t ds, const char *path, const char *name,
                        xpsig_host *h, char *err, size_t errlen)
{
    char why[128];
    const char *what;
    int rc = 0;
    hid_t type = H5Dget_type(ds), space = H5Dget_space(ds), mt = -1;

    if (type < 0 || space < 0) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: cannot read the dataset%s",
                         path, name, h5_reason(why));
        goto done;
    }
    if (file_dtype(type, &h->dtype, &what)) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: %s", path, name, what);
        goto done;
    }
    H5S_class_t sc = H5Sget_simple_extent_type(space);
    int ndim = sc == H5S_SCALAR ? 0 : H5Sget_simple_extent_ndims(space);
    if (sc == H5S_NULL || sc == H5S_NO_CLASS || ndim < 0) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: dataset has no data (null dataspace)",
                         path, name);
        goto done;
    }
    if (ndim > XP_MAX_NDIM) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT,
                         "%s:%s: arrays of more than %d dimensions are not supported",
                         path, name, XP_MAX_NDIM);
        goto done;
    }
    hsize_t dims[XP_MAX_NDIM];
    if (ndim > 0)
        H5Sget_simple_extent_dims(space, dims, NULL);
    h->ndim = ndim;
    for (int i = 0; i < ndim; i++)
        h->shape[i] = (int64_t)dims[i];
    int64_t size;
    if (xpsig_shape_size(ndim, h->shape, &size)) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: shape too large", path, name);
        goto done;
    }
    size_t nbytes = (size_t)size * xp_dtype_size(h->dtype);
    h->data = malloc(nbytes ? nbytes : 1);
    if (!h->data) {
        rc = xpsig_ioerr(err, errlen, XP_ENOMEM, "%s:%s: out of memory (%zu bytes)",
                         path, name, nbytes);
        goto done;
    }
    mt = mem_type(h->dtype, 0);
    if (mt < 0 || (size && H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, h->data) < 0)) {
        xpsig_host_clear(h);
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: cannot read the data%s",
                         path, name, h5_reason(why));
    }
done:
    if (mt >= 0)
        H5Tclose(mt);
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

int xpsig_hdf5_read(const char *path, const char *dataset, xpsig_host *h,
                    char *err, size_t errlen)
{
    char why[128], name[300];
    int rc;

    h->data = NULL;
    h->ndim = 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s", path, strerror(errno));
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: cannot open as HDF5%s",
                           path, h5_reason(why));
    if (dataset) {
        snprintf(name, sizeof name, "%s", dataset);
    } else if ((rc = pick_dataset(file, path, name, sizeof name, err, errlen))) {
        H5Fclose(file);
        return rc;
    }
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    if (ds < 0) {
        H5Eclear2(H5E_DEFAULT);
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: no dataset '%s'", path, name);
    } else {
        rc = read_dataset(ds, path, name, h, err, errlen);
        H5Dclose(ds);
    }
    H5Fclose(file);
    return rc;
}

/* ------------------------------------------------------------- writing */

/* Whether the object at name is a dataset (a group or a named type is
 * not: writing there must not delete it). */
static int is_dataset(hid_t file, const char *name)
{
    hid_t o = H5Oopen(file, name, H5P_DEFAULT);
    if (o < 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    int yes = H5Iget_type(o) == H5I_DATASET;
    H5Oclose(o);
    return yes;
}

static int write_dataset(hid_t file, const char *path, const char *name,
                         const xpsig_host *h, char *err, size_t errlen)
{
    char why[128];
    hsize_t dims[XP_MAX_NDIM];
    hid_t space, ft = -1, mt = -1, lcpl = -1, ds = -1;
    int rc = 0;

    for (int i = 0; i < h->ndim; i++)
        dims[i] = (hsize_t)h->shape[i];
    space = h->ndim ? H5Screate_simple(h->ndim, dims, NULL) : H5Screate(H5S_SCALAR);
    ft = mem_type(h->dtype, 1);
    mt = mem_type(h->dtype, 0);
    lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (space < 0 || ft < 0 || mt < 0 || lcpl < 0 ||
        H5Pset_create_intermediate_group(lcpl, 1) < 0) {
        rc = xpsig_ioerr(err, errlen, XP_EINTERNAL, "%s: HDF5 setup failed%s", path,
                         h5_reason(why));
        goto done;
    }
    if (H5Lexists(file, name, H5P_DEFAULT) > 0 && !is_dataset(file, name)) {
        rc = xpsig_ioerr(err, errlen, XP_EIO, "%s: '%s' exists and is not a dataset (only a "
                         "dataset is replaced)", path, name);
        goto done;
    }
    if (H5Lexists(file, name, H5P_DEFAULT) > 0 && H5Ldelete(file, name, H5P_DEFAULT) < 0) {
        rc = xpsig_ioerr(err, errlen, XP_EIO, "%s: cannot replace '%s'%s", path, name,
                         h5_reason(why));
        goto done;
    }
    H5Eclear2(H5E_DEFAULT);
    ds = H5Dcreate2(file, name, ft, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    if (ds < 0) {
        rc = xpsig_ioerr(err, errlen, XP_EIO, "%s: cannot create dataset '%s'%s", path,
                         name, h5_reason(why));
        goto done;
    }
    int64_t size;
    xpsig_shape_size(h->ndim, h->shape, &size);
    if (size && H5Dwrite(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, h->data) < 0)
        rc = xpsig_ioerr(err, errlen, XP_EIO, "%s: cannot write dataset '%s'%s", path,
                         name, h5_reason(why));
done:
    if (ds >= 0)
        H5Dclose(ds);
    if (lcpl >= 0)
        H5Pclose(lcpl);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

int xpsig_hdf5_write(const char *path, const char *dataset,
                     const xpsig_host *h, char *err, size_t errlen)
{
    char why[128];
    const char *name = dataset ? dataset : DEFAULT_DATASET;
    size_t n = strlen(name);
    hid_t file;

    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (n == 0 || name[n - 1] == '/')
        return xpsig_ioerr(err, errlen, XP_EINVAL, "%s: bad dataset name '%s'", path,
                           name);
    /* add to an existing HDF5 file; replace anything else */
    errno = 0;
    if (access(path, F_OK) == 0 && H5Fis_hdf5(path) > 0)
        file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    else
        file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0) {
        int e = errno;      /* the system's words are shorter than HDF5's */
        h5_reason(why);
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: cannot open for writing%s%s%s",
                           path, e ? " (" : why, e ? strerror(e) : "", e ? ")" : "");
    }
    int rc = write_dataset(file, path, name, h, err, errlen);
    if (H5Fclose(file) < 0 && !rc)
        rc = xpsig_ioerr(err, errlen, XP_EIO, "%s: write error%s", path, h5_reason(why));
    return rc;
}

/* ------- columns of a 1-D or 2-D dataset (a block of a series, an MPI rank's) */

int xpsig_hdf5_read_range(const char *path, const char *dataset, int64_t start,
                          int64_t count, xpsig_host *h, int64_t *total, char *err,
                          size_t errlen)
{
    char why[128], name[300];
    const char *what;
    int rc = 0;
    hid_t file = -1, ds = -1, type = -1, space = -1, mem = -1, mt = -1;

    h->data = NULL;
    h->ndim = 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s", path, strerror(errno));
    if ((file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
        return xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: cannot open as HDF5%s", path,
                           h5_reason(why));
    if (dataset)
        snprintf(name, sizeof name, "%s", dataset);
    else if ((rc = pick_dataset(file, path, name, sizeof name, err, errlen)))
        goto done;
    if ((ds = H5Dopen2(file, name, H5P_DEFAULT)) < 0) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: no dataset '%s'", path, name);
        goto done;
    }
    type = H5Dget_type(ds);
    space = H5Dget_space(ds);
    if (type < 0 || space < 0 || file_dtype(type, &h->dtype, &what)) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: cannot read the dataset", path, name);
        goto done;
    }
    hsize_t dims[2] = {1, 0};
    int nd = H5Sget_simple_extent_ndims(space);
    if ((nd != 1 && nd != 2) || H5Sget_simple_extent_dims(space, dims + 2 - nd, NULL) < 0) {
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: not a 1-D or 2-D dataset (slices "
                         "are read of those only)", path, name);
        goto done;
    }
    *total = (int64_t)dims[1];
    if (start < 0 || count < 0 || start + count > (int64_t)dims[1]) {
        rc = xpsig_ioerr(err, errlen, XP_EINVAL, "%s:%s: samples [%lld, %lld) lie outside the "
                         "dataset's %lld", path, name, (long long)start,
                         (long long)(start + count), (long long)dims[1]);
        goto done;
    }
    if (dims[0] > ((hsize_t)1 << 59) / (hsize_t)(count ? count : 1)) {
        rc = xpsig_ioerr(err, errlen, XP_ENOMEM, "%s:%s: too large", path, name);
        goto done;
    }
    h->ndim = nd;
    h->shape[0] = (int64_t)dims[0];
    h->shape[nd - 1] = count;
    h->data = malloc(count && dims[0] ? (size_t)(dims[0] * (hsize_t)count)
                                            * xp_dtype_size(h->dtype) : 1);
    if (!h->data) {
        rc = xpsig_ioerr(err, errlen, XP_ENOMEM, "%s:%s: out of memory", path, name);
        goto done;
    }
    hsize_t off[2] = {0, (hsize_t)start}, cnt[2] = {dims[0], (hsize_t)count};
    mt = mem_type(h->dtype, 0);
    mem = H5Screate_simple(nd, cnt + 2 - nd, NULL);
    if (count && dims[0]
        && (mt < 0 || mem < 0
            || H5Sselect_hyperslab(space, H5S_SELECT_SET, off + 2 - nd, NULL, cnt + 2 - nd,
                                   NULL) < 0
            || H5Dread(ds, mt, mem, space, H5P_DEFAULT, h->data) < 0)) {
        xpsig_host_clear(h);
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s:%s: cannot read samples [%lld, %lld)%s",
                         path, name, (long long)start, (long long)(start + count),
                         h5_reason(why));
    }
done:
    H5Eclear2(H5E_DEFAULT);
    if (mem >= 0)
        H5Sclose(mem);
    if (mt >= 0)
        H5Tclose(mt);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    if (ds >= 0)
        H5Dclose(ds);
    H5Fclose(file);
    return rc;
}
