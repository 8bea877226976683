/*
 * spec.c -- window specifications: SciPy's get_window argument (a name,
 * a (name, params...) tuple, or a bare number for a Kaiser beta) as a
 * struct, and its text form "name[,p1[,p2...]]".
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "common.h"
#include "windows.h"

XP__STRUCT_DESC(spec_desc, xps_window_spec, array,
                "initialize it with xps_window_spec_init");

void xps_window_spec_init(xps_window_spec *spec)
{
    if (!spec)
        return;
    memset(spec, 0, sizeof *spec);
    spec->size = sizeof *spec;
    strcpy(spec->name, "hann");
}

int xps_window_spec_init_sized(xps_window_spec *spec, size_t size)
{
    xps_window_spec d;
    xps_window_spec_init(&d);
    return xp__struct_init("xps_window_spec_init_sized", &spec_desc, &d, spec, size);
}

int xps__window_spec_in(const char *fn, const char *arg, const xps_window_spec *spec,
                        xps_window_spec *out)
{
    xps_window_spec_init(out);
    return xp__struct_in(fn, arg, &spec_desc, spec, out);
}

/* The token [s, end) without surrounding white space. */
static void trim(const char **s, const char **end)
{
    while (*s < *end && isspace((unsigned char)**s))
        (*s)++;
    while (*end > *s && isspace((unsigned char)(*end)[-1]))
        (*end)--;
}

/* A parameter: a number as strtod reads it, None (NaN), True or False. */
static int parse_param(const char *s, size_t n, double *v)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (!strcasecmp(tmp, "none")) {
        *v = NAN;
        return 0;
    }
    if (!strcasecmp(tmp, "true") || !strcasecmp(tmp, "false")) {
        *v = tmp[0] == 't' || tmp[0] == 'T';
        return 0;
    }
    char *end;
    *v = strtod(tmp, &end);
    return *end == '\0' && !isnan(*v) ? 0 : -1;
}

int xps_window_spec_parse(const char *text, xps_window_spec *spec)
{
    static const char fn[] = "xps_window_spec_parse";
    if (!text || !spec)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, text ? "spec" : "text");
    xps_window_spec s;
    xps_window_spec_init(&s);
    s.name[0] = '\0';

    const char *p = text;
    int ntok = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *a = p, *b = comma ? comma : p + strlen(p);
        trim(&a, &b);
        size_t n = (size_t)(b - a);
        if (ntok == 0) {
            if (n == 0)
                return xp_error(XP_EFORMAT, "%s: no window name in '%.60s'", fn, text);
            if (n >= sizeof s.name)
                return xp_error(XP_EINVAL, "%s: window name '%.*s' is too long "
                                "(at most %zu characters)", fn, (int)(n < 60 ? n : 60),
                                a, sizeof s.name - 1);
            memcpy(s.name, a, n);
            s.name[n] = '\0';
        } else {
            if (s.nparams == XPS_WINDOW_MAXPARAMS)
                return xp_error(XP_EINVAL, "%s: more than %d parameters in '%.60s'",
                                fn, XPS_WINDOW_MAXPARAMS, text);
            if (parse_param(a, n, &s.params[s.nparams]))
                return xp_error(XP_EFORMAT, "%s: parameter %d ('%.*s') of '%.60s' "
                                "is not a number, None, True or False", fn, ntok,
                                (int)(n < 40 ? n : 40), a, text);
            s.nparams++;
        }
        ntok++;
        if (!comma)
            break;
        p = comma + 1;
    }

    /* A bare number is a Kaiser beta, as in get_window(8.6, M). */
    double beta;
    if (ntok == 1 && !parse_param(s.name, strlen(s.name), &beta) && !isnan(beta)
        && strcasecmp(s.name, "true") && strcasecmp(s.name, "false")) {
        strcpy(s.name, "kaiser");
        s.params[0] = beta;
        s.nparams = 1;
    }
    const xps__window_entry *e = xps__window_lookup("get_window", s.name, NULL);
    if (!e)
        return XP_EINVAL;
    int rc = xps__window_check_params("get_window", e, s.params, s.nparams);
    if (rc)
        return rc;
    *spec = s;
    return XP_OK;
}
