/* cmd_design.c -- xpsig butter, cheby1, cheby2, ellip, bessel N WN: digital
 * IIR filters of order N (scipy.signal.butter ... bessel), written as a
 * ba or sos coefficient file (see cmd_filter.h). */
#include <errno.h>
#include <stdlib.h>
#include "cmd_filter.h"

/* What the design library function of each subcommand takes. */
enum { NEEDS_RP = 1, NEEDS_RS = 2, HAS_NORM = 4 };

typedef struct {
    const char *fn;         /* the library's name, prefix of its messages */
    xps_ftype ftype;
    unsigned flags;
} design_kind;

typedef struct {
    const design_kind *kind;
    const char *btype, *fs, *output, *rp, *rs, *norm;   /* as given, or NULL */
    int64_t N, nWn;
    double Wn[2], fsv, rpv, rsv;
    xps_btype bt;
    xps_output out;
    xps_bessel_norm nm;
    xp_array *res;
} job_t;

/* The library's bound on N (xps_iirfilter refuses more): checked here so
 * that the buffers for it are never asked for. */
#define MAX_ORDER 100000

static int parse_order(const xpsig_ctx *ctx, const char *text, int64_t *N)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || errno || v < 0)      /* 0: the gain alone, as SciPy */
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "N '%s' must be a non-negative integer",
                          text);
    if (v > MAX_ORDER)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "N '%s' must be at most %d", text,
                          MAX_ORDER);
    *N = v;
    return 0;
}

static int parse(xpsig_ctx *ctx, int argc, char **argv, job_t *j, const design_kind *kind)
{
    xpsig_opt opts[8];
    int n = 0, rc;
    j->kind = kind;
    opts[n++] = (xpsig_opt){"btype", XPSIG_OPT_STRING, &j->btype, "TYPE",
                            "lowpass, highpass, bandpass or bandstop (SciPy's aliases "
                            "too; default lowpass)"};
    if (kind->flags & NEEDS_RP)
        opts[n++] = (xpsig_opt){"rp", XPSIG_OPT_STRING, &j->rp, "DB",
                                "passband ripple in dB, > 0 (required)"};
    if (kind->flags & NEEDS_RS)
        opts[n++] = (xpsig_opt){"rs", XPSIG_OPT_STRING, &j->rs, "DB",
                                "stopband attenuation in dB, > 0 (required)"};
    if (kind->flags & HAS_NORM)
        opts[n++] = (xpsig_opt){"norm", XPSIG_OPT_STRING, &j->norm, "NORM",
                                "phase, delay or mag (default phase)"};
    opts[n++] = (xpsig_opt){"fs", XPSIG_OPT_STRING, &j->fs, "F",
                            "sampling frequency: WN in Hz, below F/2 (default: WN in "
                            "(0, 1), 1 the Nyquist frequency)"};
    opts[n++] = (xpsig_opt){"output", XPSIG_OPT_STRING, &j->output, "FORM",
                            "ba (a 2-row array b, a) or sos (n x 6) (default ba)"};
    opts[n] = (xpsig_opt){NULL, 0, NULL, NULL, NULL};
    const xpsig_spec spec = {"N WN[,WN2]", 2, 2, opts};
    if ((rc = xpsig_parse(ctx, argc, argv, &spec)) != XPSIG_RUN)
        return rc;
    if ((rc = parse_order(ctx, ctx->pos[0], &j->N)) ||
        (rc = xpsig_parse_pair(ctx, "WN", ctx->pos[1], j->Wn, &j->nWn)))
        return rc;
    j->bt = XPS_BTYPE_LOWPASS;
    if (j->btype && xps_btype_parse(j->btype, &j->bt))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--btype: '%s' is not a band type "
                          "(lowpass, highpass, bandpass, bandstop)", j->btype);
    int band = j->bt == XPS_BTYPE_BANDPASS || j->bt == XPS_BTYPE_BANDSTOP;
    if (j->nWn != (band ? 2 : 1))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "WN '%s': a %s filter needs %s",
                          ctx->pos[1], xps_btype_name(j->bt),
                          band ? "two frequencies, WN,WN2" : "one frequency");
    if ((kind->flags & NEEDS_RP) && !j->rp)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "missing --rp DB (the passband ripple "
                          "in dB)");
    if ((kind->flags & NEEDS_RS) && !j->rs)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "missing --rs DB (the stopband "
                          "attenuation in dB)");
    if (j->rp && (rc = xpsig_parse_positive(ctx, "--rp", j->rp, "number of dB", &j->rpv)))
        return rc;
    if (j->rs && (rc = xpsig_parse_positive(ctx, "--rs", j->rs, "number of dB", &j->rsv)))
        return rc;
    j->nm = XPS_BESSEL_NORM_PHASE;
    if (j->norm && xps_bessel_norm_parse(j->norm, &j->nm))
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--norm: '%s' must be phase, delay or mag",
                          j->norm);
    if ((rc = xpsig_parse_form(ctx, j->output, &j->out)))
        return rc;
    j->fsv = 0;     /* the library's "WN normalized" */
    if (j->fs && (rc = xpsig_parse_positive(ctx, "--fs", j->fs, NULL, &j->fsv)))
        return rc;
    return XPSIG_RUN;
}

static int load(xpsig_ctx *ctx, void *job)
{
    return 0;
}

static int compute(xpsig_ctx *ctx, void *job)
{
    job_t *j = job;
    const design_kind *k = j->kind;
    xp_array_free(j->res);
    j->res = NULL;
    int64_t cap = XPS_IIR_BUFLEN(j->N), n1 = 0, n2 = 0;
    double *c1 = malloc((size_t)cap * sizeof *c1), *c2 = malloc((size_t)cap * sizeof *c2);
    int rc;
    if (!c1 || !c2) {
        free(c1);
        free(c2);
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");
    }
    /* the named functions, so that their messages carry their names */
    switch (k->ftype) {
    case XPS_FTYPE_CHEBY1:
        rc = xps_cheby1(j->N, j->rpv, j->Wn, j->nWn, j->bt, 0, j->out, j->fsv, c1, &n1, c2,
                        &n2, NULL);
        break;
    case XPS_FTYPE_CHEBY2:
        rc = xps_cheby2(j->N, j->rsv, j->Wn, j->nWn, j->bt, 0, j->out, j->fsv, c1, &n1, c2,
                        &n2, NULL);
        break;
    case XPS_FTYPE_ELLIP:
        rc = xps_ellip(j->N, j->rpv, j->rsv, j->Wn, j->nWn, j->bt, 0, j->out, j->fsv, c1,
                       &n1, c2, &n2, NULL);
        break;
    case XPS_FTYPE_BESSEL:
        rc = xps_bessel(j->N, j->Wn, j->nWn, j->bt, 0, j->out, j->nm, j->fsv, c1, &n1, c2,
                        &n2, NULL);
        break;
    default:
        rc = xps_butter(j->N, j->Wn, j->nWn, j->bt, 0, j->out, j->fsv, c1, &n1, c2, &n2,
                        NULL);
        break;
    }
    if (rc)     /* nothing here but the arguments: a bad value is a usage error */
        rc = xpsig_fail_call(ctx, rc == XP_EINVAL ? XPSIG_EXIT_USAGE : XPSIG_EXIT_DATA,
                             k->fn);
    else
        rc = xpsig_coef_design(ctx, j->out, c1, n1, c2, n2, &j->res);
    free(c1);
    free(c2);
    return rc;
}

static int save(xpsig_ctx *ctx, void *job)
{
    return xpsig_save(ctx, ctx->output, ((job_t *)job)->res);
}

static void clear(void *job)
{
    job_t *j = job;
    xp_array_free(j->res);
    j->res = NULL;
}

#define DESIGN(name, ftype, flags)                                                   \
    static const design_kind name##_kind = {#name, ftype, flags};                     \
    static int name##_parse(xpsig_ctx *ctx, int argc, char **argv, void *job)         \
    {                                                                                 \
        return parse(ctx, argc, argv, job, &name##_kind);                             \
    }                                                                                 \
    const xpsig_stages xpsig_##name##_stages = {sizeof(job_t), name##_parse, load,    \
                                                compute, save, clear};

DESIGN(butter, XPS_FTYPE_BUTTER, 0)
DESIGN(cheby1, XPS_FTYPE_CHEBY1, NEEDS_RP)
DESIGN(cheby2, XPS_FTYPE_CHEBY2, NEEDS_RS)
DESIGN(ellip, XPS_FTYPE_ELLIP, NEEDS_RP | NEEDS_RS)
DESIGN(bessel, XPS_FTYPE_BESSEL, HAS_NORM)
