/*
 * parse.c -- SciPy's names for band types, filter types, output forms,
 * Bessel normalizations and section pairings, with SciPy's aliases.
 */
#include <strings.h>
#include "iir.h"

typedef struct {
    const char *name;
    int value;
} entry;

static int lookup(const char *what, const char *name, const entry *t, int n, int *out)
{
    if (!name)
        return xp_error(XP_EINVAL, "%s: the name is NULL", what);
    for (int i = 0; i < n; i++)
        if (!strcasecmp(name, t[i].name)) {
            *out = t[i].value;
            return XP_OK;
        }
    return xp_error(XP_EINVAL, "%s: unknown name '%s'", what, name);
}

#define COUNT(t) ((int)(sizeof(t) / sizeof((t)[0])))

static const entry btypes[] = {
    {"band", XPS_BTYPE_BANDPASS}, {"bandpass", XPS_BTYPE_BANDPASS},
    {"pass", XPS_BTYPE_BANDPASS}, {"bp", XPS_BTYPE_BANDPASS},
    {"bs", XPS_BTYPE_BANDSTOP}, {"bandstop", XPS_BTYPE_BANDSTOP},
    {"bands", XPS_BTYPE_BANDSTOP}, {"stop", XPS_BTYPE_BANDSTOP},
    {"l", XPS_BTYPE_LOWPASS}, {"low", XPS_BTYPE_LOWPASS},
    {"lowpass", XPS_BTYPE_LOWPASS}, {"lp", XPS_BTYPE_LOWPASS},
    {"high", XPS_BTYPE_HIGHPASS}, {"highpass", XPS_BTYPE_HIGHPASS},
    {"h", XPS_BTYPE_HIGHPASS}, {"hp", XPS_BTYPE_HIGHPASS},
};

static const entry ftypes[] = {
    {"butter", XPS_FTYPE_BUTTER}, {"butterworth", XPS_FTYPE_BUTTER},
    {"cauer", XPS_FTYPE_ELLIP}, {"elliptic", XPS_FTYPE_ELLIP}, {"ellip", XPS_FTYPE_ELLIP},
    {"bessel", XPS_FTYPE_BESSEL}, {"bessel_phase", XPS_FTYPE_BESSEL},
    {"bessel_delay", XPS_FTYPE_BESSEL_DELAY}, {"bessel_mag", XPS_FTYPE_BESSEL_MAG},
    {"cheby1", XPS_FTYPE_CHEBY1}, {"chebyshev1", XPS_FTYPE_CHEBY1},
    {"chebyshevi", XPS_FTYPE_CHEBY1},
    {"cheby2", XPS_FTYPE_CHEBY2}, {"chebyshev2", XPS_FTYPE_CHEBY2},
    {"chebyshevii", XPS_FTYPE_CHEBY2},
};

static const entry outputs[] = {
    {"ba", XPS_OUTPUT_BA}, {"zpk", XPS_OUTPUT_ZPK}, {"sos", XPS_OUTPUT_SOS},
};

static const entry norms[] = {
    {"phase", XPS_BESSEL_NORM_PHASE}, {"delay", XPS_BESSEL_NORM_DELAY},
    {"mag", XPS_BESSEL_NORM_MAG},
};

static const entry pairings[] = {
    {"nearest", XPS_PAIRING_NEAREST}, {"keep_odd", XPS_PAIRING_KEEP_ODD},
    {"minimal", XPS_PAIRING_MINIMAL}, {"none", XPS_PAIRING_DEFAULT},
    {"default", XPS_PAIRING_DEFAULT},
};

int xps_btype_parse(const char *name, xps_btype *out)
{
    int v = 0, rc = lookup("btype", name, btypes, COUNT(btypes), &v);
    if (rc)
        return xp_error(rc, "btype: '%s' is not a band type (lowpass, highpass, bandpass, "
                        "bandstop)", name ? name : "(null)");
    if (out)
        *out = (xps_btype)v;
    return XP_OK;
}

int xps_ftype_parse(const char *name, xps_ftype *out)
{
    int v = 0, rc = lookup("ftype", name, ftypes, COUNT(ftypes), &v);
    if (rc)
        return xp_error(rc, "ftype: '%s' is not an IIR filter type (butter, cheby1, "
                        "cheby2, ellip, bessel)", name ? name : "(null)");
    if (out)
        *out = (xps_ftype)v;
    return XP_OK;
}

int xps_output_parse(const char *name, xps_output *out)
{
    int v = 0, rc = lookup("output", name, outputs, COUNT(outputs), &v);
    if (rc)
        return xp_error(rc, "output: '%s' is not an output form (ba, zpk, sos)",
                        name ? name : "(null)");
    if (out)
        *out = (xps_output)v;
    return XP_OK;
}

int xps_bessel_norm_parse(const char *name, xps_bessel_norm *out)
{
    int v = 0, rc = lookup("norm", name, norms, COUNT(norms), &v);
    if (rc)
        return xp_error(rc, "norm: '%s' is not a Bessel normalization (phase, delay, mag)",
                        name ? name : "(null)");
    if (out)
        *out = (xps_bessel_norm)v;
    return XP_OK;
}

int xps_pairing_parse(const char *name, xps_pairing *out)
{
    int v = 0, rc = lookup("pairing", name, pairings, COUNT(pairings), &v);
    if (rc)
        return xp_error(rc, "pairing: '%s' is not a pairing (nearest, keep_odd, minimal)",
                        name ? name : "(null)");
    if (out)
        *out = (xps_pairing)v;
    return XP_OK;
}

const char *xps_btype_name(xps_btype btype)
{
    static const char *const names[] = {"lowpass", "highpass", "bandpass", "bandstop"};
    return (int)btype >= 0 && (int)btype < 4 ? names[btype] : "?";
}

const char *xps_ftype_name(xps_ftype ftype)
{
    static const char *const names[] = {"butter", "cheby1", "cheby2", "ellip",
                                        "bessel", "bessel_delay", "bessel_mag"};
    return (int)ftype >= 0 && (int)ftype < 7 ? names[ftype] : "?";
}

const char *xps_output_name(xps_output output)
{
    static const char *const names[] = {"ba", "zpk", "sos"};
    return (int)output >= 0 && (int)output < 3 ? names[output] : "?";
}
