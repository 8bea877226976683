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
/* E [rows, edge + n + edge] holds x in its middle columns: write the
 * left and right extensions (odd, even or constant) in place (filter/pad.c;
 * filtfilt's padding and stft's boundary). */
int xps__pad_ends(const xp_array *E, int64_t edge, int64_t n, xps_padtype type);
/* The same with the signal M [rows, n] and the ends left, right
 * [rows, edge] in separate arrays. */
int xps__pad_pieces(const xp_array *M, const xp_array *left, const xp_array *right,
                    xps_padtype type);
/* A caller's output o (argument name) for fn (the _into forms): on x's
 * provider, of dtype dt and the shape of like (like_name in messages),
 * writable, each element written once. */
int xps__check_out(const char *fn, const char *name, const xp_array *o, const xp_array *x,
                   xp_dtype dt, const xp_array *like, const char *like_name);
/* y of an _into form: x's shape and dtype, as xps__check_out, and sharing
 * no memory with x unless it is x's very view (in place). */
int xps__check_y(const char *fn, const xp_array *x, const xp_array *y);
/* The same for a y of dtype dt (a filter's result dtype). */
int xps__check_y_as(const char *fn, const xp_array *x, const xp_array *y, xp_dtype dt);
#endif /* XPS_COMMON_H */
