/*
 * cuda_module.h -- the one entry point between the core and the separately
 * loaded CUDA provider module (xpsignal_cuda.so).
 *
 * libxpsignal never links the CUDA runtime: the registry dlopens the module
 * on demand and calls its entry with the few core services the module needs.
 * The module reports errors through the core's own xp_error (passed here)
 * so that the message lands in the caller's thread state even when the
 * core is linked statically into the program that loads the module.
 */
#ifndef XP_CUDA_MODULE_H
#define XP_CUDA_MODULE_H

#include "xp_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XP_CUDA_MODULE_ABI 1
#define XP_CUDA_MODULE_ENTRY "xp_cuda_module_entry"
#define XP_CUDA_MODULE_FILE "xpsignal_cuda.so"

typedef struct {
    int abi;                /* XP_CUDA_MODULE_ABI */
    size_t size;            /* sizeof(xp_cuda_core) */
    int (*error)(int status, const char *fmt, ...);
} xp_cuda_core;

/* Returns the provider, or NULL with *why set (static string) when the
 * module cannot serve this core (ABI mismatch). */
typedef const xp_provider *(*xp_cuda_entry_fn)(const xp_cuda_core *core,
                                               const char **why);

#ifdef __cplusplus
}
#endif
#endif /* XP_CUDA_MODULE_H */
