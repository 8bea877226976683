/* io_npy.c -- NumPy .npy files (format versions 1.0, 2.0 and 3.0).
 *
 * A .npy file is the magic "\x93NUMPY", a major and minor version byte, the
 * header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), then
 * a Python dict literal such as
 *     {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
 * padded with spaces and a newline, then the raw C-ordered data.  We read
 * little-endian float32/float64/complex64/complex128 in C order and write
 * exactly what numpy.save writes for them (version 1.0, 64-byte aligned). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xpsig.h"

#define NPY_MAGIC "\x93NUMPY"
#define NPY_ALIGN 64
#define NPY_MAX_HEADER (1 << 20)    /* numpy itself refuses far less */
#define NPY_GROWTH_DIGITS 21        /* numpy pads so shape[0] may grow */

static const struct {
    const char *code;   /* descr without the byte order character */
    xp_dtype dtype;
} npy_types[] = {
    {"f4", XP_FLOAT32}, {"f8", XP_FLOAT64},
    {"c8", XP_COMPLEX64}, {"c16", XP_COMPLEX128},
};

static int host_is_little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

/* ------------------------------------------------------- header parsing */

typedef struct {
    const char *s;      /* NUL-terminated header text */
    const char *path;
    char *err;
    size_t errlen;
} parser;

static void skip_ws(parser *ps)
{
    while (*ps->s == ' ' || *ps->s == '\t' || *ps->s == '\n' || *ps->s == '\r')
        ps->s++;
}

static int bad_header(parser *ps, const char *what)
{
    return xpsig_ioerr(ps->err, ps->errlen, XP_EFORMAT,
                       "%s: malformed .npy header: %s", ps->path, what);
}

/* A quoted Python string ('...' or "...", no escapes) into buf. */
static int parse_string(parser *ps, char *buf, size_t n)
{
    char q = *ps->s;
    if (q != '\'' && q != '"')
        return bad_header(ps, "expected a quoted string");
    const char *end = strchr(ps->s + 1, q);
    if (!end)
        return bad_header(ps, "unterminated string");
    size_t len = (size_t)(end - ps->s - 1);
    if (len >= n)
        return bad_header(ps, "string too long");
    memcpy(buf, ps->s + 1, len);
    buf[len] = 0;
    ps->s = end + 1;
    return 0;
}

static int parse_descr(parser *ps, xp_dtype *dtype)
{
    char d[64];
    if (*ps->s == '[')
        return xpsig_ioerr(ps->err, ps->errlen, XP_EFORMAT,
                           "%s: unsupported dtype (structured array)", ps->path);
    if (parse_string(ps, d, sizeof d))
        return XP_EFORMAT;
    const char *code = d;
    if (d[0] == '>' || d[0] == '!')
        return xpsig_ioerr(ps->err, ps->errlen, XP_EFORMAT,
                           "%s: big-endian data ('%s') is not supported", ps->path, d);
    if (d[0] == '<' || d[0] == '=')
        code++;
    for (size_t i = 0; i < sizeof npy_types / sizeof npy_types[0]; i++) {
        if (strcmp(code, npy_types[i].code) == 0) {
            *dtype = npy_types[i].dtype;
            return 0;
        }
    }
    return xpsig_ioerr(ps->err, ps->errlen, XP_EFORMAT,
                       "%s: unsupported dtype '%s' (supported: <f4, <f8, <c8, <c16)",
                       ps->path, d);
}

static int parse_bool(parser *ps, int *v)
{
    if (strncmp(ps->s, "True", 4) == 0) {
        *v = 1;
        ps->s += 4;
    } else if (strncmp(ps->s, "False", 5) == 0) {
        *v = 0;
        ps->s += 5;
    } else {
        return bad_header(ps, "fortran_order is not True or False");
    }
    return 0;
}

/* A tuple of non-negative ints: (), (3,), (2, 3); Python 2's 3L accepted. */
static int parse_shape(parser *ps, int *ndim, int64_t *shape)
{
    if (*ps->s != '(')
        return bad_header(ps, "shape is not a tuple");
    ps->s++;
    *ndim = 0;
    for (;;) {
        skip_ws(ps);
        if (*ps->s == ')')
            break;
        if (*ps->s < '0' || *ps->s > '9')
            return bad_header(ps, "shape holds something other than a non-negative integer");
        int64_t v = 0;
        while (*ps->s >= '0' && *ps->s <= '9') {
            if (v > (INT64_MAX - 9) / 10)
                return bad_header(ps, "shape value too large");
            v = v * 10 + (*ps->s++ - '0');
        }
        if (*ps->s == 'L')
            ps->s++;
        if (*ndim == XP_MAX_NDIM)
            return xpsig_ioerr(ps->err, ps->errlen, XP_EFORMAT,
                               "%s: arrays of more than %d dimensions are not supported",
                               ps->path, XP_MAX_NDIM);
        shape[(*ndim)++] = v;
        skip_ws(ps);
        if (*ps->s == ',')
            ps->s++;
        else if (*ps->s != ')')
            return bad_header(ps, "shape tuple is not closed");
    }
    ps->s++;
    return 0;
}

static int parse_header(parser *ps, xpsig_host *h)
{
    int have_descr = 0, have_order = 0, have_shape = 0, fortran = 0;
    char key[32];

    skip_ws(ps);
    if (*ps->s != '{')
        return bad_header(ps, "not a dict");
    ps->s++;
    for (;;) {
        skip_ws(ps);
        if (*ps->s == '}')
            break;
        if (parse_string(ps, key, sizeof key))
            return XP_EFORMAT;
        skip_ws(ps);
        if (*ps->s != ':')
            return bad_header(ps, "expected ':' after a key");
        ps->s++;
        skip_ws(ps);
        int rc;
        if (strcmp(key, "descr") == 0) {
            rc = parse_descr(ps, &h->dtype);
            have_descr = 1;
        } else if (strcmp(key, "fortran_order") == 0) {
            rc = parse_bool(ps, &fortran);
            have_order = 1;
        } else if (strcmp(key, "shape") == 0) {
            rc = parse_shape(ps, &h->ndim, h->shape);
            have_shape = 1;
        } else {
            return xpsig_ioerr(ps->err, ps->errlen, XP_EFORMAT,
                               "%s: malformed .npy header: unexpected key '%s'",
                               ps->path, key);
        }
        if (rc)
            return rc;
        skip_ws(ps);
        if (*ps->s == ',')
            ps->s++;
        else if (*ps->s != '}')
            return bad_header(ps, "expected ',' or '}'");
    }
    ps->s++;
    skip_ws(ps);
    if (*ps->s)
        return bad_header(ps, "text after the dict");
    if (!have_descr || !have_order || !have_shape)
        return bad_header(ps, "missing descr, fortran_order or shape");
    if (fortran)
        return xpsig_ioerr(ps->err, ps->errlen, XP_EFORMAT,
                           "%s: fortran_order True is not supported (save a C-ordered array)",
                           ps->path);
    return 0;
}

/* ---------------------------------------------------------------- read */

/* The header into h (dtype, ndim, shape; no data), f left at the data. */
static int read_header(FILE *f, const char *path, xpsig_host *h, char *err, size_t errlen)
{
    unsigned char pre[10];
    size_t got = fread(pre, 1, sizeof pre, f);
    if (got < 8 || memcmp(pre, NPY_MAGIC, 6) != 0)
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: not a .npy file (bad magic)", path);
    int major = pre[6], minor = pre[7];
    size_t lensize = major == 1 ? 2 : 4, hlen;
    if (major < 1 || major > 3 || minor != 0)
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: unsupported .npy format version %d.%d", path,
                           major, minor);
    unsigned char lb[4];
    memcpy(lb, pre + 8, got - 8);
    if (got - 8 < lensize && fread(lb + (got - 8), 1, lensize - (got - 8), f)
                             != lensize - (got - 8))
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: truncated .npy header", path);
    if (major == 1) {
        hlen = (size_t)lb[0] | (size_t)lb[1] << 8;
    } else {
        hlen = (size_t)lb[0] | (size_t)lb[1] << 8 | (size_t)lb[2] << 16 |
               (size_t)lb[3] << 24;
    }
    if (hlen > NPY_MAX_HEADER)
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: .npy header too long (%zu bytes)", path, hlen);
    char *text = malloc(hlen + 1);
    if (!text)
        return xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", path);
    if (fread(text, 1, hlen, f) != hlen) {
        free(text);
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: truncated .npy header", path);
    }
    text[hlen] = 0;
    if (strlen(text) != hlen) {
        free(text);
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: malformed .npy header: NUL byte", path);
    }
    parser ps = {text, path, err, errlen};
    int rc = parse_header(&ps, h);
    free(text);
    return rc;
}

static int read_file(FILE *f, const char *path, xpsig_host *h, char *err,
                     size_t errlen)
{
    int rc = read_header(f, path, h, err, errlen);
    if (rc)
        return rc;
    int64_t size;
    if (xpsig_shape_size(h->ndim, h->shape, &size))
        return xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: shape too large", path);
    size_t nbytes = (size_t)size * xp_dtype_size(h->dtype);

    /* Check a regular file's length before allocating what the header claims. */
    struct stat st;
    long pos = ftell(f);
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && pos >= 0 &&
        (uint64_t)(st.st_size - pos) < nbytes)
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: truncated .npy data (%" PRId64 " of %zu bytes)",
                           path, (int64_t)(st.st_size - pos), nbytes);
    h->data = malloc(nbytes ? nbytes : 1);
    if (!h->data)
        return xpsig_ioerr(err, errlen, XP_ENOMEM,
                           "%s: out of memory (%zu bytes)", path, nbytes);
    size_t got = fread(h->data, 1, nbytes, f);
    if (got != nbytes) {
        xpsig_host_clear(h);
        if (ferror(f))
            return xpsig_ioerr(err, errlen, XP_EIO, "%s: read error: %s", path,
                               strerror(errno));
        return xpsig_ioerr(err, errlen, XP_EFORMAT,
                           "%s: truncated .npy data (%zu of %zu bytes)", path,
                           got, nbytes);
    }
    return 0;
}

/* path opened for reading into *f, h emptied: 0 or the status. */
static int open_npy(const char *path, xpsig_host *h, FILE **f, char *err, size_t errlen)
{
    h->data = NULL;
    h->ndim = 0;
    if (!host_is_little_endian())
        return xpsig_ioerr(err, errlen, XP_EUNAVAIL,
                           "%s: .npy files need a little-endian host", path);
    if (!(*f = fopen(path, "rb")))
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s", path, strerror(errno));
    return 0;
}

int xpsig_npy_read(const char *path, xpsig_host *h, char *err, size_t errlen)
{
    FILE *f;
    int rc = open_npy(path, h, &f, err, errlen);
    if (rc)
        return rc;
    rc = read_file(f, path, h, err, errlen);
    fclose(f);
    return rc;
}

int xpsig_npy_read_range(const char *path, int64_t start, int64_t count, xpsig_host *h,
                         int64_t *total, char *err, size_t errlen)
{
    FILE *f;
    int rc = open_npy(path, h, &f, err, errlen);
    if (rc)
        return rc;
    rc = read_header(f, path, h, err, errlen);
    size_t esize = rc == 0 ? xp_dtype_size(h->dtype) : 1;
    int64_t size = 0, rows = 1, cols = 0;
    struct stat st;
    off_t at = ftello(f);
    if (rc == 0 && h->ndim != 1 && h->ndim != 2)
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: not a 1-D or 2-D array (%d "
                         "dimensions)", path, h->ndim);
    else if (rc == 0 && (xpsig_shape_size(h->ndim, h->shape, &size) || at < 0
                         || fstat(fileno(f), &st) != 0
                         || (uint64_t)(st.st_size - at) / esize < (uint64_t)size))
        rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: truncated .npy data", path);
    if (rc == 0) {
        rows = h->ndim == 2 ? h->shape[0] : 1;
        *total = cols = h->shape[h->ndim - 1];
        if (start < 0 || count < 0 || start > *total - count)
            rc = xpsig_ioerr(err, errlen, XP_EINVAL, "%s: samples [%lld, %lld) lie outside "
                             "its %lld", path, (long long)start, (long long)(start + count),
                             (long long)*total);
    }
    if (rc == 0 && !(h->data = malloc(count && rows ? (size_t)(rows * count) * esize : 1)))
        rc = xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", path);
    for (int64_t r = 0; rc == 0 && r < rows && count; r++) {
        char *to = (char *)h->data + (size_t)(r * count) * esize;
        if (fseeko(f, at + (off_t)(r * cols + start) * (off_t)esize, SEEK_SET) != 0
            || fread(to, esize, (size_t)count, f) != (size_t)count) {
            xpsig_host_clear(h);
            rc = xpsig_ioerr(err, errlen, XP_EIO, "%s: cannot read samples [%lld, %lld)%s%s",
                             path, (long long)start, (long long)(start + count),
                             ferror(f) ? ": " : "", ferror(f) ? strerror(errno) : "");
        }
    }
    if (rc == 0)
        h->shape[h->ndim - 1] = count;
    fclose(f);
    return rc;
}

/* --------------------------------------------------------------- write */

/* The header dict exactly as numpy.save writes it; returns its length. */
static int format_header(const xpsig_host *h, char *buf, size_t n)
{
    const char *code = "f8";
    for (size_t i = 0; i < sizeof npy_types / sizeof npy_types[0]; i++)
        if (npy_types[i].dtype == h->dtype)
            code = npy_types[i].code;
    size_t len = (size_t)snprintf(buf, n, "{'descr': '<%s', 'fortran_order': False, 'shape': (",
                                  code);
    for (int i = 0; i < h->ndim; i++)
        len += (size_t)snprintf(buf + len, n - len, i ? ", %" PRId64 : "%" PRId64,
                                h->shape[i]);
    len += (size_t)snprintf(buf + len, n - len, "%s), }", h->ndim == 1 ? "," : "");
    if (h->ndim > 0) {
        char first[24];
        int digits = snprintf(first, sizeof first, "%" PRId64, h->shape[0]);
        for (int i = digits; i < NPY_GROWTH_DIGITS; i++)
            buf[len++] = ' ';
    }
    buf[len] = 0;
    return (int)len;
}

/* The file's first bytes for h's dtype and shape into out (at least
 * 1024 + NPY_ALIGN bytes): magic, version 1.0, the header's length and
 * the header padded to NPY_ALIGN; returns their count. */
static size_t preamble(const xpsig_host *h, char *out)
{
    char *header = out + 10;
    size_t len = (size_t)format_header(h, header, 1024 - NPY_ALIGN - 1);
    size_t hlen = len + 1;      /* with the final newline */
    size_t pad = NPY_ALIGN - (10 + hlen) % NPY_ALIGN;
    memset(header + len, ' ', pad);
    header[len + pad] = '\n';
    hlen += pad;
    memcpy(out, NPY_MAGIC, 6);
    out[6] = 1;
    out[7] = 0;
    out[8] = (char)(hlen & 0xff);
    out[9] = (char)(hlen >> 8);
    return 10 + hlen;
}

int xpsig_npy_begin(const char *path, xp_dtype dtype, int ndim, const int64_t *shape,
                    FILE **out, char *err, size_t errlen)
{
    char pre[1024 + NPY_ALIGN + 10];
    xpsig_host h = {dtype, ndim, {0}, NULL};
    memcpy(h.shape, shape, (size_t)ndim * sizeof *shape);
    *out = NULL;
    if (!host_is_little_endian())
        return xpsig_ioerr(err, errlen, XP_EUNAVAIL,
                           "%s: .npy files need a little-endian host", path);
    size_t len = preamble(&h, pre);
    FILE *f = fopen(path, "w+b");      /* read back by two-pass filters */
    if (!f)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s", path, strerror(errno));
    *out = f;
    return xpsig_npy_append(f, path, pre, len, err, errlen);
}

/* pread and pwrite go to the descriptor: through stdio, every seek would
 * flush, and a write into a read-write stream first reads the rest of its
 * buffer (a spectrogram writes each row's columns at their own offset:
 * hundreds of thousands of small writes).  What stdio still holds is
 * flushed first: its failure is a write error either way.  One of in (read
 * into) and out (written from) is given. */
static int positioned(FILE *f, const char *path, int64_t offset, void *in, const void *out,
                      size_t nbytes, char *err, size_t errlen)
{
    if (fflush(f) != 0)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: write error: %s", path, strerror(errno));
    for (size_t done = 0; done < nbytes;) {
        off_t at = (off_t)(offset + (int64_t)done);
        ssize_t r = out ? pwrite(fileno(f), (const char *)out + done, nbytes - done, at)
                        : pread(fileno(f), (char *)in + done, nbytes - done, at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s error: %s", path,
                               out ? "write" : "read", r < 0 ? strerror(errno)
                               : out ? "nothing written" : "file too short");
        done += (size_t)r;
    }
    return 0;
}

int xpsig_npy_pread(FILE *f, const char *path, int64_t offset, void *data, size_t nbytes,
                    char *err, size_t errlen)
{
    return positioned(f, path, offset, data, NULL, nbytes, err, errlen);
}

int xpsig_npy_pwrite(FILE *f, const char *path, int64_t offset, const void *data,
                     size_t nbytes, char *err, size_t errlen)
{
    return positioned(f, path, offset, NULL, data, nbytes, err, errlen);
}

int xpsig_npy_append(FILE *f, const char *path, const void *data, size_t nbytes, char *err,
                     size_t errlen)
{
    if (nbytes && fwrite(data, 1, nbytes, f) != nbytes)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: write error: %s", path, strerror(errno));
    return 0;
}

int xpsig_npy_end(FILE *f, const char *path, int ok, char *err, size_t errlen)
{
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        saved = errno;
        xpsig_ioerr(err, errlen, XP_EIO, "%s: write error: %s", path, strerror(saved));
    }
    if (!ok)
        remove(path);       /* no truncated file left behind */
    return ok ? 0 : XP_EIO;
}

int xpsig_npy_write(const char *path, const xpsig_host *h, char *err,
                    size_t errlen)
{
    char pre[1024 + NPY_ALIGN + 10];
    int64_t size;

    if (!host_is_little_endian())
        return xpsig_ioerr(err, errlen, XP_EUNAVAIL,
                           "%s: .npy files need a little-endian host", path);
    if (xpsig_shape_size(h->ndim, h->shape, &size))
        return xpsig_ioerr(err, errlen, XP_EINVAL, "%s: shape too large", path);
    size_t nbytes = (size_t)size * xp_dtype_size(h->dtype);
    /* 16 dims of at most 20 digits fit easily in 1024 bytes with padding */
    size_t len = preamble(h, pre);
    FILE *f = fopen(path, "wb");
    if (!f)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s", path, strerror(errno));
    int ok = fwrite(pre, 1, len, f) == len && fwrite(h->data, 1, nbytes, f) == nbytes;
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        remove(path);
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: write error: %s", path,
                           strerror(saved));
    }
    return 0;
}
