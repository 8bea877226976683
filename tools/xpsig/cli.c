/* cli.c -- the option parser every subcommand shares, error lines, help. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "xpsig.h"

#define THREADS_UNSET INT_MIN

/* Options every subcommand takes (their values land in the ctx). */
enum { COMMON_PROVIDER, COMMON_OUTPUT, COMMON_THREADS, NCOMMON };
static const xpsig_opt common_help[NCOMMON] = {
    {"provider", XPSIG_OPT_STRING, NULL, "NAME", "array provider (default host; see xpsig providers)"},
    {"output", XPSIG_OPT_STRING, NULL, "FILE", "write the result to FILE (default: text on stdout)"},
    {"threads", XPSIG_OPT_INT, NULL, "T", "worker threads (default: all cores)"},
};

/* ---------------------------------------------------------- error lines */

static void vfail(const xpsig_ctx *ctx, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    for (char *c = msg; *c; c++)        /* keep it one line */
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    if (ctx && ctx->cmd)
        fprintf(stderr, "xpsig: %s: %s\n", ctx->cmd->name, msg);
    else
        fprintf(stderr, "xpsig: %s\n", msg);
}

int xpsig_fail(const xpsig_ctx *ctx, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(ctx, fmt, ap);
    va_end(ap);
    return status;
}

int xpsig_fail_lib(const xpsig_ctx *ctx, const char *what)
{
    return xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: %s", what, xp_errmsg());
}

int xpsig_fail_call(const xpsig_ctx *ctx, int status, const char *fn)
{
    const char *msg = xp_errmsg();
    size_t n = strlen(fn);
    if (strncmp(msg, fn, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        msg += n + 2;
    return xpsig_fail(ctx, status, "%s", *msg ? msg : "failed");
}

int xpsig_load(const xpsig_ctx *ctx, const char *spec, xp_array **out)
{
    char err[1024];
    int rc = xpsig_read_array(spec, ctx->provider, out, err, sizeof err);
    return rc ? xpsig_fail(ctx, xpsig_io_exit(rc), "%s", err) : 0;
}

int xpsig_save(const xpsig_ctx *ctx, const char *spec, const xp_array *a)
{
    char err[1024];
    xp_array *h = NULL;
    const xp_provider *host = xp_provider_host();
    if (xp_array_provider(a) != host) {   /* explicit conversion back */
        if (xp_array_to_provider(a, host, &h))
            return xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: cannot copy the result to the "
                              "host: %s", spec ? spec : "-", xp_errmsg());
        a = h;
    }
    int rc = xpsig_write_array(spec, a, err, sizeof err);
    xp_array_free(h);
    return rc ? xpsig_fail(ctx, xpsig_io_exit(rc), "%s", err) : 0;
}

/* ------------------------------------------------------------------ help */

/* The subcommand's own option of this long name, or NULL.  A subcommand
 * may take --output for itself (the design commands' --output ba|sos):
 * -o FILE then remains the common output file. */
static const xpsig_opt *own_option(const xpsig_spec *spec, const char *name)
{
    for (const xpsig_opt *o = spec ? spec->opts : NULL; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

/* common: o is the common option entry; short_only: print -o alone. */
static void print_opt(FILE *f, const xpsig_opt *o, int common, int short_only)
{
    char lhs[64];
    if (o->kind == XPSIG_OPT_FLAG)
        snprintf(lhs, sizeof lhs, "--%s", o->name);
    else if (o->name[0] && !o->name[1])
        snprintf(lhs, sizeof lhs, "-%s %s", o->name, o->metavar ? o->metavar : "VALUE");
    else if (common && strcmp(o->name, "output") == 0)
        snprintf(lhs, sizeof lhs, short_only ? "-o %s" : "-o, --output %s", o->metavar);
    else
        snprintf(lhs, sizeof lhs, "--%s %s", o->name, o->metavar ? o->metavar : "VALUE");
    fprintf(f, "  %-22s %s\n", lhs, o->help ? o->help : "");
}

void xpsig_usage(FILE *f)
{
    fprintf(f, "usage: xpsig SUBCOMMAND [options] [args]\n"
               "       xpsig --version | --help | help SUBCOMMAND\n\n"
               "Signal processing on array files (.npy, .txt, .hdf5) with libxpsignal.\n\n"
               "subcommands:\n");
    for (size_t i = 0; i < xpsig_ncommands; i++)
        fprintf(f, "  %-12s %s\n", xpsig_commands[i].name, xpsig_commands[i].help);
    fprintf(f, "\ncommon options:\n");
    for (int i = 0; i < NCOMMON; i++)
        print_opt(f, &common_help[i], 1, 0);
    fprintf(f, "\nSee xpsig(1) and xpsig SUBCOMMAND --help.\n");
}

static void command_help(const xpsig_ctx *ctx, const xpsig_spec *spec)
{
    printf("usage: xpsig %s [options]%s%s\n%s\n", ctx->cmd->name,
           spec->args && *spec->args ? " " : "", spec->args ? spec->args : "",
           ctx->cmd->help);
    if (spec->opts && spec->opts[0].name) {
        printf("\noptions:\n");
        for (const xpsig_opt *o = spec->opts; o->name; o++)
            print_opt(stdout, o, 0, 0);
    }
    printf("\ncommon options:\n");
    for (int i = 0; i < NCOMMON; i++)
        print_opt(stdout, &common_help[i], 1,
                  i == COMMON_OUTPUT && own_option(spec, "output"));
    printf("  %-22s %s\n", "-h, --help", "show this help");
}

/* --------------------------------------------------------------- values */

static int set_value(const xpsig_ctx *ctx, const char *name, xpsig_opt_kind kind,
                     void *dest, const char *val)
{
    char *end;
    errno = 0;
    switch (kind) {
    case XPSIG_OPT_STRING:
        *(const char **)dest = val;
        return 0;
    case XPSIG_OPT_INT:
    case XPSIG_OPT_INT64: {
        long long v = strtoll(val, &end, 10);
        if (end == val || *end)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE,
                              "--%s: '%s' is not an integer", name, val);
        if (errno || (kind == XPSIG_OPT_INT && (v <= INT_MIN || v > INT_MAX)))
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--%s: '%s' is out of range (at most %s)",
                              name, val, kind == XPSIG_OPT_INT ? "2^31 - 1" : "2^63 - 1");
        if (kind == XPSIG_OPT_INT)
            *(int *)dest = (int)v;
        else
            *(int64_t *)dest = v;
        return 0;
    }
    case XPSIG_OPT_DOUBLE: {
        double v = strtod(val, &end);
        if (end == val || *end)
            return xpsig_fail(ctx, XPSIG_EXIT_USAGE,
                              "--%s: '%s' is not a number", name, val);
        *(double *)dest = v;
        return 0;
    }
    case XPSIG_OPT_FLAG:
        *(int *)dest = 1;
        return 0;
    }
    return XPSIG_EXIT_USAGE;
}

/* "-5", "-.5", "-" are positionals, not options. */
static int is_positional(const char *a)
{
    if (a[0] != '-' || a[1] == 0)
        return 1;
    return (a[1] >= '0' && a[1] <= '9') || (a[1] == '.' && a[2] >= '0' && a[2] <= '9');
}

/* ------------------------------------------------------- provider setup */

static int setup_provider(xpsig_ctx *ctx)
{
    const char *why = NULL;
    const xp_provider *p = xp_provider_find(ctx->provider_name);

    if (!p) {
        char list[512] = "";
        size_t len = 0;
        for (int64_t i = 0; i < xp_provider_count() && len < sizeof list; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                    xp_provider_name(xp_provider_get(i)));
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "unknown provider '%s' (providers: %s)",
                          ctx->provider_name, list);
    }
    if (!xp_provider_available(p, &why))
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "provider %s is unavailable: %s",
                          ctx->provider_name, why ? why : "no reason given");
    if (ctx->threads == THREADS_UNSET) {
        /* all cores; a provider without threads of its own may refuse */
        ctx->threads = 0;
        xp_provider_set_threads(p, 0);
        xp_clear_error();
    } else if (ctx->threads < 0) {
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE,
                          "--threads: %d must be at least 1 (0: all cores)", ctx->threads);
    } else if (xp_provider_set_threads(p, ctx->threads)) {
        return xpsig_fail_lib(ctx, "--threads");
    }
    ctx->provider = p;
    return XPSIG_RUN;
}

/* ---------------------------------------------------------------- parse */

int xpsig_parse(xpsig_ctx *ctx, int argc, char **argv, const xpsig_spec *spec)
{
    int only_pos = 0, rc;

    ctx->provider_name = "host";
    ctx->output = NULL;
    ctx->threads = THREADS_UNSET;
    ctx->provider = NULL;
    ctx->npos = 0;
    ctx->pos = calloc((size_t)argc + 1, sizeof *ctx->pos);
    if (!ctx->pos)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "out of memory");

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || is_positional(a)) {
            ctx->pos[ctx->npos++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            command_help(ctx, spec);
            return XPSIG_EXIT_OK;
        }
        /* the name, and a value glued on by "=" (or to -o) */
        char name[64];
        const char *val = NULL;
        if (a[1] == 'o') {                  /* -o FILE, -oFILE */
            snprintf(name, sizeof name, "output");
            if (a[2])
                val = a + 2;
        } else if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            if (n >= sizeof name)
                n = sizeof name - 1;
            memcpy(name, a + 2, n);
            name[n] = 0;
            if (eq)
                val = eq + 1;
        } else {                            /* -x VALUE, -xVALUE: one letter */
            name[0] = a[1];
            name[1] = 0;
            if (a[2])
                val = a + 2;
        }

        /* find it: common options first, then the subcommand's */
        xpsig_opt_kind kind;
        void *dest;
        if (strcmp(name, "provider") == 0) {
            kind = XPSIG_OPT_STRING;
            dest = &ctx->provider_name;
        } else if (strcmp(name, "output") == 0 &&
                   (a[1] == 'o' || !own_option(spec, "output"))) {
            kind = XPSIG_OPT_STRING;
            dest = &ctx->output;
        } else if (strcmp(name, "threads") == 0) {
            kind = XPSIG_OPT_INT;
            dest = &ctx->threads;
        } else {
            const xpsig_opt *o = spec->opts;
            while (o && o->name && strcmp(o->name, name) != 0)
                o++;
            /* one-letter names go with one dash, long ones with two */
            if (o && o->name && (a[1] == '-') != (o->name[1] != 0))
                o = NULL;
            if (!o || !o->name)
                return xpsig_fail(ctx, XPSIG_EXIT_USAGE,
                                  "unknown option %s (see xpsig %s --help)", a,
                                  ctx->cmd->name);
            kind = o->kind;
            dest = o->dest;
        }
        if (kind == XPSIG_OPT_FLAG) {
            if (val)
                return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "--%s takes no value", name);
        } else if (!val) {
            if (i + 1 >= argc)
                return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "%s: missing value", a);
            /* "--window -o y.npy": the value was forgotten, not "-o"
             * (negative numbers and "-" look positional and are taken) */
            if (!is_positional(argv[i + 1]))
                return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "%s: missing value (the next "
                                  "argument, %s, is an option; give a value that begins "
                                  "with '-' glued on, as %s%sVALUE)", a, argv[i + 1],
                                  a[1] == '-' ? a : "", a[1] == '-' ? "=" : a);
            val = argv[++i];
        }
        if ((rc = set_value(ctx, name, kind, dest, val)))
            return rc;
    }

    if (ctx->npos < spec->min_pos)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "missing argument%s%s (see xpsig %s --help)",
                          spec->args ? ": " : "", spec->args ? spec->args : "",
                          ctx->cmd->name);
    if (spec->max_pos >= 0 && ctx->npos > spec->max_pos)
        return xpsig_fail(ctx, XPSIG_EXIT_USAGE, "unexpected argument '%s'",
                          ctx->pos[spec->max_pos]);
    return setup_provider(ctx);
}
