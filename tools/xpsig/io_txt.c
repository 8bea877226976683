/* io_txt.c -- whitespace-separated text, as numpy.loadtxt and savetxt do.
 *
 * One row per line; '#' starts a comment; blank lines are skipped.  A single
 * value reads as a 0-d array, a single row or a single column as 1-D, else
 * 2-D.  Complex values are written "re+imj" ("1.5-2j") and read with or
 * without numpy's parentheses; a file holding any complex value reads as
 * complex128, else float64.  Shapes the rule above cannot give back (3-D and
 * more, a 2-D array with a dimension of 1, a 1-D array of one value, empty
 * 2-D arrays) are written with a "# shape: (2, 3, 4)" comment line, rows
 * along the last axis; loadtxt skips it, we honour it when reading. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "xpsig.h"

#define SHAPE_TAG "shape:"

/* ------------------------------------------------------------- reading */

/* Parse one token: "1.5", "-2e-3", "nan", "2j", "1.5-2j", "(1.5+2j)".
 * Returns 0 and sets *cplx when the token has an imaginary part. */
static int parse_value(char *tok, double *re, double *im, int *cplx)
{
    size_t n = strlen(tok);
    char *end;

    if (tok[0] == '(' && n >= 2 && tok[n - 1] == ')') {
        tok[n - 1] = 0;
        tok++;
    }
    *re = *im = 0;
    *cplx = 0;
    if ((tok[0] == 'j' || tok[0] == 'J') && tok[1] == 0) {     /* "j" */
        *im = 1;
        *cplx = 1;
        return 0;
    }
    double v = strtod(tok, &end);
    if (end == tok)
        return -1;
    if (*end == 0) {
        *re = v;
        return 0;
    }
    *cplx = 1;
    if ((*end == 'j' || *end == 'J') && end[1] == 0) {          /* "2j" */
        *im = v;
        return 0;
    }
    if (*end != '+' && *end != '-')
        return -1;
    *re = v;
    char *s = end;
    if ((s[1] == 'j' || s[1] == 'J') && s[2] == 0) {            /* "1+j" */
        *im = *s == '-' ? -1 : 1;
        return 0;
    }
    v = strtod(s, &end);
    if (end == s || (*end != 'j' && *end != 'J') || end[1] != 0)
        return -1;
    *im = v;
    return 0;
}

/* "# shape: (2, 3)" -> ndim, shape; 1 if the comment is a shape line. */
static int parse_shape_comment(const char *c, int *ndim, int64_t *shape)
{
    while (*c == '#' || *c == ' ' || *c == '\t')
        c++;
    if (strncmp(c, SHAPE_TAG, strlen(SHAPE_TAG)) != 0)
        return 0;
    c += strlen(SHAPE_TAG);
    while (*c == ' ' || *c == '\t')
        c++;
    if (*c++ != '(')
        return -1;
    *ndim = 0;
    for (;;) {
        while (*c == ' ' || *c == '\t')
            c++;
        if (*c == ')')
            break;
        char *end;
        errno = 0;
        long long v = strtoll(c, &end, 10);
        if (end == c || v < 0 || errno || *ndim == XP_MAX_NDIM)
            return -1;
        shape[(*ndim)++] = v;
        c = end;
        while (*c == ' ' || *c == '\t')
            c++;
        if (*c == ',')
            c++;
        else if (*c != ')')
            return -1;
    }
    return 1;
}

typedef struct {
    double *re, *im;        /* im allocated at the first complex value */
    size_t n, cap;
} values;

static int push(values *v, double re, double im, int cplx)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        double *r = realloc(v->re, cap * sizeof *r);
        if (!r)
            return -1;
        v->re = r;
        if (v->im) {
            double *i = realloc(v->im, cap * sizeof *i);
            if (!i)
                return -1;
            v->im = i;
        }
        v->cap = cap;
    }
    if (cplx && !v->im) {
        v->im = calloc(v->cap, sizeof *v->im);
        if (!v->im)
            return -1;
    }
    v->re[v->n] = re;
    if (v->im)
        v->im[v->n] = im;
    v->n++;
    return 0;
}

static int read_stream(FILE *f, const char *path, xpsig_host *h, char *err,
                       size_t errlen)
{
    values v = {0};
    char *line = NULL;
    size_t linecap = 0;
    int64_t lineno = 0, nrows = 0, ncols = 0;
    int have_shape = 0, rc = 0;
    int64_t shape[XP_MAX_NDIM];
    int ndim = 0;

    ssize_t len;
    while ((len = getline(&line, &linecap, f)) >= 0) {
        lineno++;
        if ((size_t)len != strlen(line)) {      /* the C string would end early */
            rc = xpsig_ioerr(err, errlen, XP_EFORMAT, "%s: line %" PRId64 ": a NUL byte "
                             "(not a text file?)", path, lineno);
            goto done;
        }
        char *hash = strchr(line, '#');
        if (hash) {
            if (!have_shape && nrows == 0) {
                int s = parse_shape_comment(hash, &ndim, shape);
                if (s < 0) {
                    rc = xpsig_ioerr(err, errlen, XP_EFORMAT,
                                     "%s: line %" PRId64 ": malformed shape comment",
                                     path, lineno);
                    goto done;
                }
                have_shape = s;
            }
            *hash = 0;
        }
        int64_t cols = 0;
        char *save = NULL;
        for (char *tok = strtok_r(line, " \t\r\n\v\f", &save); tok;
             tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
            double re, im;
            int cplx;
            if (parse_value(tok, &re, &im, &cplx)) {
                rc = xpsig_ioerr(err, errlen, XP_EFORMAT,
                                 "%s: line %" PRId64 ": '%s' is not a number",
                                 path, lineno, tok);
                goto done;
            }
            if (push(&v, re, im, cplx)) {
                rc = xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            cols++;
        }
        if (cols == 0)
            continue;
        if (nrows > 0 && cols != ncols) {
            rc = xpsig_ioerr(err, errlen, XP_EFORMAT,
                             "%s: line %" PRId64 ": %" PRId64 " value%s, expected %"
                             PRId64 " as in the rows before (ragged rows)",
                             path, lineno, cols, cols == 1 ? "" : "s", ncols);
            goto done;
        }
        ncols = cols;
        nrows++;
    }
    if (ferror(f)) {
        rc = xpsig_ioerr(err, errlen, XP_EIO, "%s: read error: %s", path,
                         strerror(errno));
        goto done;
    }

    if (have_shape) {
        int64_t size;
        if (xpsig_shape_size(ndim, shape, &size) || (uint64_t)size != v.n) {
            rc = xpsig_ioerr(err, errlen, XP_EFORMAT,
                             "%s: the shape comment does not match the %zu values",
                             path, v.n);
            goto done;
        }
        h->ndim = ndim;
        memcpy(h->shape, shape, sizeof shape);
    } else if (nrows == 0) {
        h->ndim = 1;
        h->shape[0] = 0;
    } else if (nrows == 1 && ncols == 1) {
        h->ndim = 0;
    } else if (nrows == 1 || ncols == 1) {
        h->ndim = 1;
        h->shape[0] = nrows * ncols;
    } else {
        h->ndim = 2;
        h->shape[0] = nrows;
        h->shape[1] = ncols;
    }

    h->dtype = v.im ? XP_COMPLEX128 : XP_FLOAT64;
    if (v.im) {
        double *z = malloc(2 * v.n * sizeof *z + 1);
        if (!z) {
            rc = xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", path);
            goto done;
        }
        for (size_t i = 0; i < v.n; i++) {
            z[2 * i] = v.re[i];
            z[2 * i + 1] = v.im[i];
        }
        h->data = z;
    } else {
        h->data = v.re ? v.re : malloc(1);
        v.re = NULL;
        if (!h->data)
            rc = xpsig_ioerr(err, errlen, XP_ENOMEM, "%s: out of memory", path);
    }
done:
    free(v.re);
    free(v.im);
    free(line);
    return rc;
}

int xpsig_txt_read(const char *path, xpsig_host *h, char *err, size_t errlen)
{
    h->data = NULL;
    h->ndim = 0;
    if (strcmp(path, "-") == 0)
        return read_stream(stdin, "<stdin>", h, err, errlen);
    FILE *f = fopen(path, "r");
    if (!f)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s", path, strerror(errno));
    int rc = read_stream(f, path, h, err, errlen);
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------- writing */

/* 1 when the loadtxt rule would not give the shape back. */
static int needs_shape_comment(const xpsig_host *h)
{
    if (h->ndim >= 3)
        return 1;
    if (h->ndim == 2)
        return h->shape[0] <= 1 || h->shape[1] <= 1;
    if (h->ndim == 1)
        return h->shape[0] == 1;
    return 0;
}

static double value_at(const xpsig_host *h, int64_t i, int part)
{
    switch (h->dtype) {
    case XP_FLOAT32: return ((const float *)h->data)[i];
    case XP_FLOAT64: return ((const double *)h->data)[i];
    case XP_COMPLEX64: return ((const float *)h->data)[2 * i + part];
    default: return ((const double *)h->data)[2 * i + part];
    }
}

static void write_stream(FILE *f, const xpsig_host *h)
{
    int64_t size = 1, rowlen;
    for (int i = 0; i < h->ndim; i++)
        size *= h->shape[i];
    if (needs_shape_comment(h)) {
        fputs("# " SHAPE_TAG " (", f);
        for (int i = 0; i < h->ndim; i++)
            fprintf(f, i ? ", %" PRId64 : "%" PRId64, h->shape[i]);
        fputs(h->ndim == 1 ? ",)\n" : ")\n", f);
    }
    /* 1-D is a column, as savetxt writes it; else rows of the last axis */
    rowlen = h->ndim >= 2 ? h->shape[h->ndim - 1] : 1;
    int cplx = xp_dtype_is_complex(h->dtype);
    for (int64_t i = 0; i < size; i++) {
        if (cplx)
            fprintf(f, "%.17g%+.17gj", value_at(h, i, 0), value_at(h, i, 1));
        else
            fprintf(f, "%.17g", value_at(h, i, 0));
        fputc((i + 1) % rowlen == 0 ? '\n' : ' ', f);
    }
}

int xpsig_txt_write(const char *path, const xpsig_host *h, char *err,
                    size_t errlen)
{
    int tostdout = strcmp(path, "-") == 0;
    FILE *f = tostdout ? stdout : fopen(path, "w");
    if (!f)
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: %s", path, strerror(errno));
    write_stream(f, h);
    int ok = !ferror(f);
    int saved = errno;
    if (tostdout) {
        if (fflush(f) != 0 && ok) {
            ok = 0;
            saved = errno;
        }
    } else if (fclose(f) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        if (!tostdout)
            remove(path);
        return xpsig_ioerr(err, errlen, XP_EIO, "%s: write error: %s",
                           tostdout ? "<stdout>" : path, strerror(saved));
    }
    return 0;
}
