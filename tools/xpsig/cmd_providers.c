/* cmd_providers.c -- xpsig providers: the registry, one provider a line. */
#include <errno.h>
#include <string.h>
#include "xpsig.h"

static const char *device_name(DLDeviceType t)
{
    switch (t) {
    case kDLCPU: return "cpu";
    case kDLCUDA: return "cuda";
    case kDLCUDAHost: return "cuda_host";
    case kDLCUDAManaged: return "cuda_managed";
    case kDLOpenCL: return "opencl";
    case kDLVulkan: return "vulkan";
    case kDLMetal: return "metal";
    case kDLVPI: return "vpi";
    case kDLROCM: return "rocm";
    case kDLROCMHost: return "rocm_host";
    case kDLExtDev: return "ext_dev";
    default: return "unknown";
    }
}

int xpsig_cmd_providers(xpsig_ctx *ctx, int argc, char **argv)
{
    static const xpsig_spec spec = {"", 0, 0, NULL};
    int rc = xpsig_parse(ctx, argc, argv, &spec);
    if (rc != XPSIG_RUN)
        return rc;

    FILE *f = stdout;
    if (ctx->output && strcmp(ctx->output, "-") != 0) {
        f = fopen(ctx->output, "w");
        if (!f)
            return xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: %s", ctx->output, strerror(errno));
    }
    int64_t n = xp_provider_count();
    int wname = 4;
    for (int64_t i = 0; i < n; i++) {
        int len = (int)strlen(xp_provider_name(xp_provider_get(i)));
        if (len > wname)
            wname = len;
    }
    /* name, device type, availability, description */
    for (int64_t i = 0; i < n; i++) {
        const xp_provider *p = xp_provider_get(i);
        const char *why = NULL;
        char status[256];
        if (xp_provider_available(p, &why))
            snprintf(status, sizeof status, "available");
        else
            snprintf(status, sizeof status, "unavailable: %s", why ? why : "unknown reason");
        const char *desc = xp_provider_description(p);
        fprintf(f, "%-*s  %-8s  %-11s  %s\n", wname, xp_provider_name(p),
                device_name(xp_provider_device_type(p)), status, desc ? desc : "");
    }
    if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
        return xpsig_fail(ctx, XPSIG_EXIT_DATA, "%s: write error: %s",
                          ctx->output ? ctx->output : "<stdout>", strerror(errno));
    return XPSIG_EXIT_OK;
}
