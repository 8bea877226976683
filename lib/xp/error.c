/* error.c -- status codes and the thread-local message that explains them. */
#include <stdarg.h>
#include <stdio.h>
#include "xp_internal.h"

static _Thread_local char xp_message[512];

const char *xp_strerror(int status)
{
    switch (status) {
    case XP_OK:        return "success";
    case XP_EINVAL:    return "invalid argument";
    case XP_ENOMEM:    return "out of memory";
    case XP_EDTYPE:    return "unsupported or mismatched dtype";
    case XP_ESHAPE:    return "invalid or mismatched shape";
    case XP_EDEVICE:   return "arrays on different or unknown devices";
    case XP_EUNAVAIL:  return "provider or operation not available";
    case XP_EIO:       return "input/output error";
    case XP_EFORMAT:   return "malformed input";
    case XP_EINTERNAL: return "internal error";
    default:           return "unknown status";
    }
}

const char *xp_errmsg(void)
{
    return xp_message;
}

void xp_clear_error(void)
{
    xp_message[0] = '\0';
}

int xp_error(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(xp_message, sizeof xp_message, fmt, ap);
    va_end(ap);
    return status;
}
