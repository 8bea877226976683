/*
 * stream.c -- xp_provider_set_stream: which stream a thread's work goes to.
 *
 * The slot is the last of the table; a table from before it is shorter
 * and means a provider without streams, as does a NULL slot.  Such a
 * provider has only one (implicit) stream, so NULL is always accepted.
 */
#include <stddef.h>
#include "xp_internal.h"

int xp_provider_set_stream(const xp_provider *p, void *stream)
{
    if (!p)
        return xp_error(XP_EINVAL, "xp_provider_set_stream: provider is NULL");
    const xp_ops *ops = p->ops;
    int has = ops && ops->size >= offsetof(xp_ops, set_stream) + sizeof ops->set_stream
              && ops->set_stream;
    if (!has)
        return stream ? xp_error(XP_EUNAVAIL, "xp_provider_set_stream: provider %s has no "
                                 "streams (stream must be NULL, got %p)", p->name, stream)
                      : XP_OK;
    return ops->set_stream(p->ctx, stream);
}
