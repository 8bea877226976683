/* version.c -- the library's version string (its only own source; the
 * rest comes from libxpcore.la). */
#include "config.h"
#include "xp.h"

const char *xp_version(void)
{
    return PACKAGE_VERSION;
}
