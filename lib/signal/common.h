/*
 * common.h -- what every algorithm of the signal layer shares: the array
 * layer's internals and a few shape helpers.
 */
#ifndef XPS_COMMON_H
#define XPS_COMMON_H

#include "xp_internal.h"
#include "xps.h"

/* x as a 2-D [rows, n] view with axis last; *copy holds a contiguous copy
 * when the other axes cannot be merged (free both). */
int xps__rows_view(const xp_array *x, int axis, xp_array **rows, xp_array **copy);
/* The same without copying: *rows NULL when the axes cannot be merged. */
int xps__rows_only(const xp_array *x, int axis, xp_array **rows);
/* Shape of the result: shape with axis replaced by len; into out_shape. */
void xps__replace_axis(int ndim, const int64_t *shape, int axis, int64_t len,
                       int64_t *out_shape);
/* The caller's spec as this library's xps_window_spec (the size rule of
 * xp__struct_in); fn and arg name the function and argument in messages. */
int xps__window_spec_in(const char *fn, const char *arg, const xps_window_spec *spec,
                        xps_window_spec *out);
#endif /* XPS_COMMON_H */
