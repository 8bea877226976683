/* testutil.c -- see testutil.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include "testutil.h"

int xpt_nproviders(void)
{
    int n = 0;
    for (int64_t i = 0; i < xp_provider_count(); i++)
        if (xp_provider_available(xp_provider_get(i), NULL))
            n++;
    return n;
}

const xp_provider *xpt_provider(int k)
{
    for (int64_t i = 0; i < xp_provider_count(); i++) {
        const xp_provider *p = xp_provider_get(i);
        if (xp_provider_available(p, NULL) && k-- == 0)
            return p;
    }
    ck_abort_msg("no provider %d", k);
    return NULL;
}

xp_array *xpt_array(const xp_provider *p, xp_dtype dtype, int ndim,
                    const int64_t *shape, const double *vals)
{
    int64_t n = xp__shape_size(ndim, shape);
    int64_t nv = xp_dtype_is_complex(dtype) ? 2 * n : n;
    void *buf = malloc((size_t)(nv > 0 ? nv : 1) * sizeof(double));
    ck_assert_ptr_nonnull(buf);
    if (dtype == XP_FLOAT32 || dtype == XP_COMPLEX64)
        for (int64_t i = 0; i < nv; i++)
            ((float *)buf)[i] = (float)vals[i];
    else if (nv > 0)
        memcpy(buf, vals, (size_t)nv * sizeof(double));
    xp_array *a = NULL;
    XPT_OK(xp_array_from_host(p, dtype, ndim, shape, buf, &a));
    free(buf);
    return a;
}

double *xpt_values(const xp_array *a)
{
    xp_dtype dt = xp_array_dtype(a);
    int64_t n = xp_array_size(a);
    int64_t nv = xp_dtype_is_complex(dt) ? 2 * n : n;
    double *out = malloc((size_t)(nv > 0 ? nv : 1) * sizeof(double));
    ck_assert_ptr_nonnull(out);
    XPT_OK(xp_array_to_host(a, out, (size_t)(nv > 0 ? nv : 1) * sizeof(double)));
    if (dt == XP_FLOAT32 || dt == XP_COMPLEX64) {
        float *f = (float *)out;
        for (int64_t i = nv - 1; i >= 0; i--)   /* widen in place, from the end */
            out[i] = f[i];
    }
    return out;
}

double xpt_rel_err(const double *a, const double *b, int64_t n)
{
    double scale = 0, err = 0;
    for (int64_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(b[i]));
    for (int64_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (isnan(a[i]) != isnan(b[i]))
            return INFINITY;
        if (!isnan(d))
            err = fmax(err, d);
    }
    return err / (scale > 0 ? scale : 1e-300);
}

void xpt_random(double *v, int64_t n, unsigned seed)
{
    uint64_t s = 0x9E3779B97F4A7C15ull ^ seed;
    for (int64_t i = 0; i < n; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;   /* xorshift64 */
        v[i] = (double)(s >> 11) / 4503599627370496.0 - 1.0;
    }
}

int xpt_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int xpt_spec_parse(const char *text, xpt_spec *s)
{
    static const char *names[] = {"f32", "f64", "c64", "c128"};
    static const xp_dtype dts[] = {XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64, XP_COMPLEX128};
    char buf[128], *save = NULL;
    if (strlen(text) >= sizeof buf)
        return -1;
    strcpy(buf, text);
    char *dt = strtok_r(buf, ":", &save), *seed = strtok_r(NULL, ":", &save);
    char *shp = strtok_r(NULL, ":", &save), *a = strtok_r(NULL, ":", &save);
    char *b = a ? strtok_r(NULL, ":", &save) : NULL;
    int k = 0;
    while (dt && k < 4 && strcmp(dt, names[k]))
        k++;
    if (!dt || !seed || !shp || k == 4)
        return -1;
    s->dtype = dts[k];
    s->seed = (unsigned)strtoul(seed, NULL, 10);
    s->ndim = 0;
    for (char *t = shp, *end; *t && s->ndim < XP_MAX_NDIM; t = *end ? end + 1 : end) {
        s->shape[s->ndim++] = strtoll(t, &end, 10);
        if (end == t)
            return -1;
    }
    if (a)
        s->a = strtod(a, NULL);
    if (b)
        s->b = strtod(b, NULL);
    return 0;
}

double *xpt_get(const xp_array *a, int64_t *nvals)
{
    int64_t n = xp_array_size(a);
    *nvals = xp_dtype_is_complex(xp_array_dtype(a)) ? 2 * n : n;
    return xpt_values(a);
}

static void same_shape(const xp_array *a, const xp_array *b)
{
    ck_assert_int_eq(xp_array_ndim(a), xp_array_ndim(b));
    for (int d = 0; d < xp_array_ndim(a); d++)
        ck_assert_int_eq(xp_array_dim(a, d), xp_array_dim(b, d));
    ck_assert_int_eq(xp_dtype_is_complex(xp_array_dtype(a)),
                     xp_dtype_is_complex(xp_array_dtype(b)));
}

double xpt_array_err(const xp_array *a, const xp_array *b)
{
    same_shape(a, b);
    int64_t na, nb;
    double *va = xpt_get(a, &na), *vb = xpt_get(b, &nb);
    double e = xpt_rel_err(va, vb, na);
    free(va);
    free(vb);
    return e;
}

int xpt_same(const xp_array *a, const xp_array *b)
{
    same_shape(a, b);
    if (xp_array_dtype(a) != xp_array_dtype(b))
        return 0;
    int64_t na, nb;
    double *va = xpt_get(a, &na), *vb = xpt_get(b, &nb);
    int same = 1;
    for (int64_t i = 0; i < na; i++)
        if (!(va[i] == vb[i] || (isnan(va[i]) && isnan(vb[i]))))
            same = 0;
    free(va);
    free(vb);
    return same;
}

int64_t xpt_live(const xp_provider *p)
{
    xp_provider_stats st;
    memset(&st, 0, sizeof st);
    st.size = sizeof st;
    XPT_OK(xp_provider_stats_get(p, &st));
    return st.allocs;
}

void xpt_msg_has(const char *what, ...)
{
    const char *msg = xp_errmsg();
    va_list ap;
    va_start(ap, what);
    for (const char *needle; (needle = va_arg(ap, const char *));)
        ck_assert_msg(strstr(msg, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", what,
                      msg, needle);
    va_end(ap);
}

FILE *xpt_golden_open(const char *name, char *path, size_t cap)
{
    const char *top = getenv("top_srcdir");
    snprintf(path, cap, "%s/tests/golden/%s", top ? top : ".", name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    return f;
}

char *xpt_read_line(FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

double *xpt_read_values(FILE *f, const char *tag, int64_t n)
{
    char *line = xpt_read_line(f), *p = line, *end;
    if (tag) {
        size_t tl = strlen(tag);
        ck_assert_msg(line && strncmp(line, tag, tl) == 0 && line[tl] == ' ',
                      "golden: expected a '%s' line", tag);
        p = line + tl;
    }
    ck_assert_msg(line != NULL, "golden: missing value line");
    double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (int64_t i = 0; i < n; i++, p = end) {
        v[i] = strtod(p, &end);
        ck_assert_msg(end != p, "golden: short %s%s%sline", tag ? "'" : "", tag ? tag : "",
                      tag ? "' " : "value ");
    }
    free(line);
    return v;
}

void xpt_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[2048];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d)
        closedir(d);
    rmdir(dir);
}
