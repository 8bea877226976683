/*
 * registry.c -- the providers this build knows, and finding one from a
 * name or a DLPack device type (our get_namespace).
 *
 * "cuda" is always listed but lives in a separately loaded module
 * (lib/providers/cuda): the first time anyone is handed the entry, the
 * module is dlopened once and its table and context are copied into the
 * entry.  When the module cannot be loaded the entry stays, with an empty
 * table and a probe that says why.
 */
#include "config.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xp_internal.h"
#include "providers/cuda/cuda_module.h"

/* ---- the CUDA module, loaded on demand ---------------------------------- */

static const xp_ops cuda_no_ops = {.version = XP_OPS_VERSION, .size = sizeof(xp_ops)};
static const xp_provider *cuda_module;     /* the module's provider once loaded */
static char cuda_why[768];
static pthread_once_t cuda_once = PTHREAD_ONCE_INIT;

static int cuda_probe(void *ctx, const char **why)
{
    (void)ctx;
    if (cuda_module)
        return cuda_module->probe ? cuda_module->probe(cuda_module->ctx, why) : 1;
    *why = cuda_why;
    return 0;
}

static xp_provider cuda_entry = {
    "cuda", "NVIDIA GPU: CUDA runtime, cuFFT, cuBLAS (module loaded on demand)",
    kDLCUDA, &cuda_no_ops, NULL, cuda_probe,
};

/* Try one path; 1 and cuda_module set on success, else 0 with the reason. */
static int cuda_try(const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(cuda_why, sizeof cuda_why, "cannot load the CUDA module (%s)",
                 e ? e : path);
        return 0;
    }
    xp_cuda_entry_fn entry;
    *(void **)&entry = dlsym(h, XP_CUDA_MODULE_ENTRY);
    if (!entry) {
        snprintf(cuda_why, sizeof cuda_why, "%s has no %s", path, XP_CUDA_MODULE_ENTRY);
        dlclose(h);
        return 0;
    }
    static const xp_cuda_core core = {XP_CUDA_MODULE_ABI, sizeof core, xp_error};
    const char *why = NULL;
    const xp_provider *p = entry(&core, &why);
    if (!p || !p->ops || p->ops->version < 1) {
        snprintf(cuda_why, sizeof cuda_why, "%s: %s", path, why ? why : "module refused to load");
        dlclose(h);
        return 0;
    }
    cuda_module = p;        /* the module stays loaded for the process */
    cuda_entry.ops = p->ops;
    cuda_entry.ctx = p->ctx;
    if (p->description)
        cuda_entry.description = p->description;
    return 1;
}

/* $XPSIGNAL_CUDA_MODULE alone when set; else the installed module, then
 * the build tree's (running uninstalled). */
static void cuda_load(void)
{
    const char *env = getenv("XPSIGNAL_CUDA_MODULE");
    if (env && *env) {
        cuda_try(env);
        return;
    }
#ifdef XP_HAVE_CUDA
#  ifdef XP_CUDA_PKGLIBDIR
    if (cuda_try(XP_CUDA_PKGLIBDIR "/" XP_CUDA_MODULE_FILE))
        return;
#  endif
#  ifdef XP_CUDA_BUILDDIR
    char first[sizeof cuda_why];
    memcpy(first, cuda_why, sizeof first);
    if (cuda_try(XP_CUDA_BUILDDIR "/" XP_CUDA_MODULE_FILE))
        return;
    memcpy(cuda_why, first, sizeof first);   /* report the installed path's failure */
#  endif
#else
    snprintf(cuda_why, sizeof cuda_why, "this build has no CUDA support "
             "(configure --with-cuda) and XPSIGNAL_CUDA_MODULE is not set");
#endif
}

static const xp_provider *cuda_provider(void)
{
    pthread_once(&cuda_once, cuda_load);
    return &cuda_entry;
}

/* ---- the table ---------------------------------------------------------- */

/* NULL marks the CUDA entry, resolved through cuda_provider(). */
static const xp_provider *const providers[] = {
    &xp__host_provider,
    &xp__strict_provider,
    NULL,
};
#define NPROVIDERS ((int64_t)(sizeof providers / sizeof providers[0]))

static const xp_provider *entry_at(int64_t i)
{
    return providers[i] ? providers[i] : cuda_provider();
}

static const char *name_at(int64_t i)
{
    return providers[i] ? providers[i]->name : cuda_entry.name;   /* name never changes */
}

int64_t xp_provider_count(void)
{
    return NPROVIDERS;
}

const xp_provider *xp_provider_get(int64_t i)
{
    return i >= 0 && i < NPROVIDERS ? entry_at(i) : NULL;
}

const xp_provider *xp_provider_find(const char *name)
{
    for (int64_t i = 0; name && i < NPROVIDERS; i++)
        if (strcmp(name_at(i), name) == 0)
            return entry_at(i);
    return NULL;
}

const xp_provider *xp_provider_host(void)
{
    return &xp__host_provider;
}

/* Host memory also arrives as pinned CUDA host memory: same provider. */
const xp_provider *xp__provider_for_device(DLDeviceType type)
{
    if (type == kDLCUDAHost)
        type = kDLCPU;
    for (int64_t i = 0; i < NPROVIDERS; i++) {
        DLDeviceType t = providers[i] ? providers[i]->device_type : cuda_entry.device_type;
        if (t == type)
            return entry_at(i);
    }
    return NULL;
}

const char *xp_provider_name(const xp_provider *p)
{
    return p ? p->name : "(null)";
}

const char *xp_provider_description(const xp_provider *p)
{
    return p ? p->description : "";
}

DLDeviceType xp_provider_device_type(const xp_provider *p)
{
    return p ? p->device_type : (DLDeviceType)0;
}

int xp_provider_available(const xp_provider *p, const char **why)
{
    const char *reason = NULL;
    int ok;
    if (!p) {
        ok = 0;
        reason = "no provider given";
    } else if (!p->ops || p->ops->version < 1 || p->ops->size < sizeof(int) + sizeof(size_t)) {
        ok = 0;
        reason = "its operations table is missing or malformed";
    } else {
        ok = p->probe ? p->probe(p->ctx, &reason) : 1;
    }
    if (why)
        *why = ok ? NULL : (reason ? reason : "unavailable");
    return ok;
}

int xp_provider_set_threads(const xp_provider *p, int n)
{
    if (!p)
        return xp_error(XP_EINVAL, "xp_provider_set_threads: provider is NULL");
    if (n < 0)
        return xp_error(XP_EINVAL, "xp_provider_set_threads: threads (%d) must be >= 0", n);
    if (!p->ops->set_threads)
        return XP_OK;   /* a provider without host threads ignores the request */
    return p->ops->set_threads(p->ctx, n);
}

XP__STRUCT_DESC(stats_desc, xp_provider_stats, alloc_bytes,
                "set it to sizeof(xp_provider_stats)");

int xp_provider_stats_get(const xp_provider *p, xp_provider_stats *st)
{
    static const char fn[] = "xp_provider_stats_get";
    if (!p || !st)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, p ? "stats" : "provider");
    if (!p->ops->stats)
        return xp_error(XP_EUNAVAIL, "%s: provider '%s' keeps no statistics", fn, p->name);
    xp_provider_stats v = {.size = sizeof v};
    int rc = p->ops->stats(p->ctx, &v, 0);
    return rc ? rc : xp__struct_out(fn, "stats", &stats_desc, &v, st);
}

int xp_provider_stats_reset(const xp_provider *p)
{
    xp_provider_stats st = {.size = sizeof st};
    if (!p)
        return xp_error(XP_EINVAL, "xp_provider_stats_reset: provider is NULL");
    if (!p->ops->stats)
        return XP_OK;
    return p->ops->stats(p->ctx, &st, 1);
}
