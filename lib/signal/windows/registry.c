/*
 * registry.c -- window names as scipy.signal.get_window knows them, and
 * the two entry points that build a window by name: xps_window (values
 * into a host buffer) and xps_get_window (a new array on a provider).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "common.h"
#include "windows.h"

/* Order of SciPy's __all__; names as get_window accepts them. */
static const xps__window_entry table[] = {
    {{"boxcar", "box", "ones", "rect", "rectangular"}, xps__boxcar, 0, 0, -1, "", NULL},
    {{"triang", "triangle", "tri"}, xps__triang, 0, 0, -1, "", NULL},
    {{"parzen", "parz", "par"}, xps__parzen, 0, 0, -1, "", NULL},
    {{"bohman", "bman", "bmn"}, xps__bohman, 0, 0, -1, "", NULL},
    {{"blackman", "black", "blk"}, xps__blackman, 0, 0, -1, "", NULL},
    {{"nuttall", "nutl", "nut"}, xps__nuttall, 0, 0, -1, "", NULL},
    {{"blackmanharris", "blackharr", "bkh"}, xps__blackmanharris, 0, 0, -1, "", NULL},
    {{"flattop", "flat", "flt"}, xps__flattop, 0, 0, -1, "", NULL},
    {{"bartlett", "bart", "brt"}, xps__bartlett, 0, 0, -1, "", NULL},
    {{"barthann", "brthan", "bth"}, xps__barthann, 0, 0, -1, "", NULL},
    {{"hamming", "hamm", "ham"}, xps__hamming, 0, 0, -1, "", NULL},
    {{"kaiser", "ksr"}, xps__kaiser, 1, 1, -1, "beta", "kaiser,8.6"},
    {{"kaiser_bessel_derived", "kaiser bessel derived", "kbd"},
     xps__kaiser_bessel_derived, 1, 1, -1, "beta", "kaiser_bessel_derived,8.6"},
    {{"gaussian", "gauss", "gss"}, xps__gaussian, 1, 1, -1, "std", "gaussian,7"},
    {{"general_cosine", "general cosine"}, xps__general_cosine,
     1, XPS_WINDOW_MAXPARAMS, -1, "a[0], a[1], ...", "general_cosine,0.5,0.5"},
    {{"general_gaussian", "general gaussian", "general gauss", "general_gauss", "ggs"},
     xps__general_gaussian, 2, 2, -1, "p, sig", "general_gaussian,1.5,7"},
    {{"general_hamming", "general hamming"}, xps__general_hamming, 1, 1, -1,
     "alpha", "general_hamming,0.54"},
    {{"chebwin", "cheb"}, xps__chebwin, 1, 1, -1, "at", "chebwin,100"},
    {{"cosine", "halfcosine"}, xps__cosine, 0, 0, -1, "", NULL},
    {{"hann", "han"}, xps__hann, 0, 0, -1, "", NULL},
    {{"exponential", "poisson"}, xps__exponential, 0, 2, 0, "center, tau",
     "exponential,None,3"},
    {{"tukey", "tuk"}, xps__tukey, 0, 1, -1, "alpha", "tukey,0.25"},
    {{"taylor", "taylorwin"}, xps__taylor, 0, 3, -1, "nbar, sll, norm", "taylor,4,30,1"},
    {{"dpss"}, xps__dpss, 1, 1, -1, "NW", "dpss,3"},
    {{"lanczos", "sinc"}, xps__lanczos, 0, 0, -1, "", NULL},
};

#define NTABLE ((int)(sizeof table / sizeof table[0]))

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

const xps__window_entry *xps__window_lookup(const char *fn, const char *name,
                                            int *sym_override)
{
    size_t n = strlen(name);
    int sym = -1;
    if (ends_with(name, n, "_symmetric")) {
        sym = 1;
        n -= strlen("_symmetric");
    } else if (ends_with(name, n, "_periodic")) {
        sym = 0;
        n -= strlen("_periodic");
    }
    for (int i = 0; i < NTABLE; i++)
        for (int j = 0; table[i].names[j]; j++)
            if (strlen(table[i].names[j]) == n
                && memcmp(table[i].names[j], name, n) == 0) {
                if (sym_override)
                    *sym_override = sym;
                return &table[i];
            }
    char known[400];
    size_t len = 0;
    known[0] = '\0';
    for (int i = 0; i < NTABLE && len < sizeof known; i++)
        len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
                                i ? ", " : "", table[i].names[0]);
    xp_error(XP_EINVAL, "%s: unknown window '%.40s'; known: %s (SciPy's aliases "
             "and the suffixes _periodic, _symmetric are accepted too)",
             fn, name, known);
    return NULL;
}

int xps__window_check_params(const char *fn, const xps__window_entry *e,
                             const double *prm, int nprm)
{
    const char *name = e->names[0];
    if (nprm < 0 || nprm > XPS_WINDOW_MAXPARAMS)
        return xp_error(XP_EINVAL, "%s: nparams (%d) must be in [0, %d]", fn,
                        nprm, XPS_WINDOW_MAXPARAMS);
    if (nprm > 0 && !prm)
        return xp_error(XP_EINVAL, "%s: params is NULL with nparams = %d", fn, nprm);
    if (e->max_params == 0 && nprm > 0)
        return xp_error(XP_EINVAL, "%s: window '%s' takes no parameters (got %d)",
                        fn, name, nprm);
    if (nprm < e->min_params)
        return xp_error(XP_EINVAL, "%s: window '%s' needs parameter%s %s "
                        "(e.g. \"%s\")", fn, name, e->min_params > 1 ? "s" : "",
                        e->params, e->example);
    if (nprm > e->max_params)
        return xp_error(XP_EINVAL, "%s: window '%s' takes at most %d parameter%s "
                        "(%s), got %d", fn, name, e->max_params,
                        e->max_params > 1 ? "s" : "", e->params, nprm);
    for (int i = 0; i < nprm; i++)
        if (isnan(prm[i]) && i != e->none_param)
            return xp_error(XP_EINVAL, "%s: parameter %d of window '%s' is NaN "
                            "(None)", fn, i + 1, name);
    return XP_OK;
}

int xps_window(const char *name, const double *params, int nparams,
               int64_t M, int sym, double *out)
{
    if (!name)
        return xp_error(XP_EINVAL, "get_window: window name is NULL");
    int sym_override;
    const xps__window_entry *e = xps__window_lookup("get_window", name, &sym_override);
    if (!e)
        return XP_EINVAL;
    int rc = xps__window_check_params("get_window", e, params, nparams);
    if (rc)
        return rc;
    if (M < 0 || M > XPS__WINDOW_MAXLEN)
        return xp_error(XP_EINVAL, "get_window: M (%lld) must be in [0, 2^48]",
                        (long long)M);
    if (M > 0 && !out)
        return xp_error(XP_EINVAL, "get_window: out is NULL");
    if (sym_override >= 0)
        sym = sym_override;
    return e->fn(M, sym != 0, params, nparams, out);
}

int xps_get_window(const xps_window_spec *caller_spec, int64_t M, int fftbins,
                   const xp_provider *p, xp_dtype dtype, xp_array **out)
{
    if (!out)
        return xp_error(XP_EINVAL, "get_window: out is NULL");
    *out = NULL;
    if (!caller_spec)
        return xp_error(XP_EINVAL, "get_window: spec is NULL");
    xps_window_spec local;
    const xps_window_spec *spec = &local;
    int rc = xps__window_spec_in("get_window", "spec", caller_spec, &local);
    if (rc)
        return rc;
    if (!p)
        return xp_error(XP_EINVAL, "get_window: provider is NULL");
    if (dtype != XP_FLOAT32 && dtype != XP_FLOAT64)
        return xp_error(XP_EDTYPE, "get_window: dtype (%s) must be float32 or "
                        "float64", xp_dtype_name(dtype));
    if (M < 1 || M > XPS__WINDOW_MAXLEN)
        return xp_error(XP_EINVAL, "get_window: M (%lld) must be a positive "
                        "integer (at most 2^48)", (long long)M);

    if (spec->array) {
        const xp_array *a = spec->array;
        if (xp_array_ndim(a) != 1)
            return xp_error(XP_ESHAPE, "get_window: window array must be 1-D "
                            "(ndim is %d)", xp_array_ndim(a));
        if (xp_array_dim(a, 0) != M)
            return xp_error(XP_ESHAPE, "get_window: window array has length %lld, "
                            "expected %lld", (long long)xp_array_dim(a, 0),
                            (long long)M);
        if (xp_array_provider(a) != p)
            return xp_error(XP_EDEVICE, "get_window: window array lives on "
                            "provider '%s', not '%s'",
                            xp_provider_name(xp_array_provider(a)),
                            xp_provider_name(p));
        if (xp_dtype_is_complex(xp_array_dtype(a)))
            return xp_error(XP_EDTYPE, "get_window: window array must be real "
                            "(dtype is %s)", xp_dtype_name(xp_array_dtype(a)));
        return xp_array_astype(a, dtype, out);
    }
    if (!spec->name[0])
        return xp_error(XP_EINVAL, "get_window: spec has neither a name nor an array");
    if (!memchr(spec->name, '\0', sizeof spec->name))
        return xp_error(XP_EINVAL, "get_window: spec.name is not terminated");

    double *w = xp__malloc((size_t)M * sizeof(double));
    if (!w)
        return xp_error(XP_ENOMEM, "get_window: out of memory (M = %lld)",
                        (long long)M);
    rc = xps_window(spec->name, spec->params, spec->nparams, M, !fftbins, w);
    if (!rc && dtype == XP_FLOAT32) {
        for (int64_t i = 0; i < M; i++) {   /* narrow in place, front to back */
            float f = (float)w[i];
            memcpy((char *)w + (size_t)i * sizeof f, &f, sizeof f);
        }
    }
    if (!rc)
        rc = xp_array_from_host(p, dtype, 1, &M, w, out);
    xp__free(w);
    return rc;
}
