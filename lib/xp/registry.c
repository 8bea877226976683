/*
 * registry.c -- the providers this build knows, and finding one from a
 * name or a DLPack device type (our get_namespace).
 */
#include <string.h>
#include "xp_internal.h"

static const xp_provider *const providers[] = {
    &xp__host_provider,
    &xp__strict_provider,
};
#define NPROVIDERS ((int64_t)(sizeof providers / sizeof providers[0]))

int64_t xp_provider_count(void)
{
    return NPROVIDERS;
}

const xp_provider *xp_provider_get(int64_t i)
{
    return i >= 0 && i < NPROVIDERS ? providers[i] : NULL;
}

const xp_provider *xp_provider_find(const char *name)
{
    for (int64_t i = 0; name && i < NPROVIDERS; i++)
        if (strcmp(providers[i]->name, name) == 0)
            return providers[i];
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
    for (int64_t i = 0; i < NPROVIDERS; i++)
        if (providers[i]->device_type == type)
            return providers[i];
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

int xp_provider_stats_get(const xp_provider *p, xp_provider_stats *st)
{
    if (!p || !st)
        return xp_error(XP_EINVAL, "xp_provider_stats_get: %s is NULL", p ? "stats" : "provider");
    if (st->size != sizeof *st)
        return xp_error(XP_EINVAL, "xp_provider_stats_get: stats.size (%zu) must be "
                        "sizeof(xp_provider_stats) (%zu)", st->size, sizeof *st);
    if (!p->ops->stats)
        return xp_error(XP_EUNAVAIL, "xp_provider_stats_get: provider '%s' keeps no "
                        "statistics", p->name);
    return p->ops->stats(p->ctx, st, 0);
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
