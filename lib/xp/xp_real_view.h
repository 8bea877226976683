/*
 * xp_real_view.h -- a complex DLPack tensor seen as real numbers, for the
 * providers' filters: with real coefficients, the real and imaginary parts
 * of complex data are two independent real recurrences, so each complex
 * operand becomes its real parts with one more axis, of the two parts.
 * Header only (static inline), for C and C++ alike: the CUDA module shares
 * it without linking the core.
 */
#ifndef XP_REAL_VIEW_H
#define XP_REAL_VIEW_H

#include "xp.h"

typedef struct {
    DLTensor t;
    int64_t shape[XP_MAX_NDIM + 1], strides[XP_MAX_NDIM + 1];
} xp__real_view;

/* Complex t (NULL: NULL) as real, kept in v: an axis of 2 (re, im) with
 * stride 1 inserted before axis pos, or only the real parts (pos < 0, for
 * coefficients whose imaginary parts are zero). */
static inline const DLTensor *xp__dl_real_view(const DLTensor *t, int pos, xp__real_view *v)
{
    int nd = 0;
    if (!t)
        return NULL;
    v->t = *t;
    v->t.dtype.code = kDLFloat;
    v->t.dtype.bits = (uint8_t)(t->dtype.bits / 2);
    v->t.dtype.lanes = 1;
    for (int d = 0; d < t->ndim; d++) {
        if (d == pos) {
            v->shape[nd] = 2;
            v->strides[nd++] = 1;
        }
        v->shape[nd] = t->shape[d];
        v->strides[nd++] = 2 * t->strides[d];
    }
    v->t.ndim = nd;
    v->t.shape = v->shape;
    v->t.strides = v->strides;
    return &v->t;
}

#endif /* XP_REAL_VIEW_H */
