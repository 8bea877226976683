/* cmd_coef.c -- coefficient files (ba and sos) and the number checks of
 * the filter subcommands (see cmd_filter.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_filter.h"

/* "(3, 4)", "(6,)" into buf. */
static const char *shape_text(const xp_array *a, char *buf, size_t len)
{
    int nd = xp_array_ndim(a);
    size_t k = (size_t)snprintf(buf, len, "(");
    for (int i = 0; i < nd && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, i ? ", %lld" : "%lld",
                              (long long)xp_array_dim(a, i));
    if (k < len)
        snprintf(buf + k, len - k, nd == 1 ? ",)" : ")");
    return buf;
}

int xpsig_coef_load(const xpsig_ctx *ctx, const char *opt, const char *spec, int sos,
                    xpsig_coef *c)
{
    char err[1024], shape[160];
    xp_array *a = NULL, *d = NULL;
    int rc = xpsig_read_array(spec, xp_provider_host(), &a, err, sizeof err);
    if (rc)
        return xpsig_fail(ctx, xpsig_io_exit(rc), "%s: %s", opt, err);
    int nd = xp_array_ndim(a);
    if (xp_dtype_is_complex(xp_array_dtype(a))) {
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: %s: coefficients must be real (it holds "
                        "%s)", opt, spec, xp_dtype_name(xp_array_dtype(a)));
    } else if (!sos && !(nd == 2 && xp_array_dim(a, 0) == 2 && xp_array_dim(a, 1) >= 1)) {
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: %s must hold a 2-row array, b and a (its "
                        "shape is %s)", opt, spec, shape_text(a, shape, sizeof shape));
    } else if (sos && !((nd == 2 && xp_array_dim(a, 1) == 6 && xp_array_dim(a, 0) >= 1) ||
                        (nd == 1 && xp_array_dim(a, 0) == 6))) {
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: %s must hold an n x 6 array of "
                        "second-order sections (its shape is %s)", opt, spec,
                        shape_text(a, shape, sizeof shape));
    }
    if (rc) {
        xp_array_free(a);
        return rc;
    }
    int64_t size = xp_array_size(a);
    c->sos = sos;
    c->n = sos ? size / 6 : size / 2;
    c->c = malloc((size_t)size * sizeof *c->c);
    if (!c->c)
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    else if (xp_array_astype(a, XP_FLOAT64, &d) ||
             xp_array_to_host(d, c->c, (size_t)size * sizeof *c->c))
        rc = xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: %s: %s", opt, spec, xp_errmsg());
    xp_array_free(a);
    xp_array_free(d);
    return rc;
}

void xpsig_coef_clear(xpsig_coef *c)
{
    free(c->c);
    c->c = NULL;
    c->n = 0;
}

int xpsig_coef_array(const xpsig_ctx *ctx, int64_t rows, int64_t cols, const double *data,
                     xp_array **out)
{
    int64_t shape[2] = {rows, cols};
    if (xp_array_from_host(xp_provider_host(), XP_FLOAT64, 2, shape, data, out))
        return xpsig_fail_lib(ctx, "cannot hold the coefficients");
    return 0;
}

int xpsig_coef_design(const xpsig_ctx *ctx, xps_output output, const double *c1,
                      int64_t n1, const double *c2, int64_t n2, xp_array **out)
{
    if (output == XPS_OUTPUT_SOS)
        return xpsig_coef_array(ctx, n1, 6, c1, out);
    /* b and a as rows of one length: trailing zeros change nothing */
    int64_t n = n1 > n2 ? n1 : n2;
    double *ba = calloc((size_t)(2 * n), sizeof *ba);
    if (!ba)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    memcpy(ba, c1, (size_t)n1 * sizeof *ba);
    memcpy(ba + n, c2, (size_t)n2 * sizeof *ba);
    int rc = xpsig_coef_array(ctx, 2, n, ba, out);
    free(ba);
    return rc;
}

int xpsig_parse_form(const xpsig_ctx *ctx, const char *text, xps_output *out)
{
    *out = XPS_OUTPUT_BA;
    if (text && (xps_output_parse(text, out) || *out == XPS_OUTPUT_ZPK))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--output: '%s' must be ba or sos%s", text,
                          *out == XPS_OUTPUT_ZPK ? " (zpk is three arrays, not one file)"
                                                 : "");
    return 0;
}

/* ------------------------------------------------------------- numbers */

int xpsig_parse_number(const xpsig_ctx *ctx, const char *name, const char *text,
                       double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "%s%s '%s' is not a finite number", name,
                          name[0] == '-' ? ":" : "",
                          text);
    *out = v;
    return 0;
}

int xpsig_parse_positive(const xpsig_ctx *ctx, const char *name, const char *text,
                         const char *what, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !(v > 0) || !isfinite(v))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "%s%s '%s' must be a positive %s", name,
                          name[0] == '-' ? ":" : "",
                          text, what ? what : "number");
    *out = v;
    return 0;
}

int xpsig_parse_pair(const xpsig_ctx *ctx, const char *name, const char *text, double *v,
                     int64_t *n)
{
    const char *s = text;
    int64_t k = 0;
    for (;;) {
        char *end;
        double x = strtod(s, &end);
        if (end == s || (*end && *end != ',') || !isfinite(x) || k == 2)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "%s%s '%s' must be one number or two "
                              "separated by a comma", name, name[0] == '-' ? ":" : "", text);
        v[k++] = x;
        if (!*end)
            break;
        s = end + 1;
    }
    *n = k;
    return 0;
}
