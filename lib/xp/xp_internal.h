/*
 * xp_internal.h -- what the library's own layers share and users do not see.
 * Everything here has hidden visibility (xp__ prefix).
 */
#ifndef XP_INTERNAL_H
#define XP_INTERNAL_H

#include "xp.h"
#include "xp_ops.h"

struct xp_array {
    DLTensor t;                     /* t.shape, t.strides point below */
    int64_t shape[XP_MAX_NDIM];
    int64_t strides[XP_MAX_NDIM];   /* in elements, never NULL */
    xp_dtype dtype;
    const xp_provider *provider;
    void *owned;                    /* provider allocation freed with the array, or NULL */
    void (*release)(void *ctx);     /* called once on free when non-NULL (imports) */
    void *release_ctx;
    int readonly;                   /* never an op's output (DLPack READ_ONLY import); views inherit it */
};

/* ---- host memory for metadata and provider scratch (fault-injectable) --- */

void *xp__malloc(size_t n);
void *xp__calloc(size_t n, size_t size);
void xp__free(void *p);
/* 64-byte aligned; large blocks are advised to use huge pages. */
void *xp__aligned_alloc(size_t n);
void xp__aligned_free(void *p);

/* Fault injection for tests: the k-th allocation from now (k >= 1) and all
 * after it fail until reset with k = 0.  Counts every xp__ allocation and
 * every provider allocation made through the array layer. */
void xp__fault_set(long k);
long xp__fault_seen(void);     /* allocations attempted since the last set */
int xp__fault_hit(void);       /* count one allocation; 1 if it must fail */

/* ---- versioned structs ------------------------------------------------ *
 * Public option and result structs start with a size_t size, set by the
 * caller's init function (or by the caller) to sizeof as the caller's
 * header knew it.  As Linux's openat2 and clone3 do, a library accepts any
 * size from the first published layout on: a shorter struct (an older
 * header) leaves the fields it lacks at their defaults; a longer one (a
 * newer header) is accepted only if every byte this library does not know
 * is zero.  Members added later must start at or after the previous
 * layout's sizeof (pad explicitly), since an old caller's tail padding is
 * copied too. */

typedef struct {
    const char *type;       /* "xps_spectral_options" */
    const char *fix;        /* "initialize it with xps_welch_options_init" */
    size_t v1;              /* sizeof the first published layout */
    size_t cur;             /* sizeof this library's layout */
} xp__struct_desc;

/* sizeof type as of its first published layout, whose last member is
 * last: it stays put when members are appended. */
#define XP__SIZE_THROUGH(type, last)                                        \
    ((offsetof(type, last) + sizeof(((type *)0)->last) + _Alignof(type) - 1) \
     / _Alignof(type) * _Alignof(type))

/* static const xp__struct_desc var for type, whose first published layout
 * ends with member last; the build fails when type grows, pointing at the
 * rule above (then give the first layout's end here, not the new one). */
#define XP__STRUCT_DESC(var, type, last, fix)                                   \
    _Static_assert(XP__SIZE_THROUGH(type, last) == sizeof(type),               \
                   #type " grew: see the rule in xp_internal.h, then make this <="); \
    static const xp__struct_desc var = {#type, fix, XP__SIZE_THROUGH(type, last), \
                                        sizeof(type)}

/* The same for a type that has grown since: its first layout ended with
 * member last_v1, its current one ends with member last. */
#define XP__STRUCT_DESC_GROWN(var, type, last_v1, last, fix)                    \
    _Static_assert(XP__SIZE_THROUGH(type, last) == sizeof(type),               \
                   #type " grew again: name its new last member here");         \
    static const xp__struct_desc var = {#type, fix, XP__SIZE_THROUGH(type, last_v1), \
                                        sizeof(type)}

/* Largest size taken from a caller: beyond it, size is uninitialized
 * memory rather than a newer header (Linux refuses past a page too). */
#define XP__STRUCT_MAX 4096

/* The caller's input struct src (d->v1 <= src->size <= XP__STRUCT_MAX)
 * copied over dst, which holds the defaults; dst->size becomes d->cur.
 * fn and arg name the function and argument in messages. */
int xp__struct_in(const char *fn, const char *arg, const xp__struct_desc *d,
                  const void *src, void *dst);
/* The first min(dst->size, d->cur) bytes of the result src written to the
 * caller's output struct dst (dst->size >= d->v1), its size kept. */
int xp__struct_out(const char *fn, const char *arg, const xp__struct_desc *d,
                   const void *src, void *dst);
/* The *_init_sized functions: the first min(size, d->cur) bytes of
 * defaults into dst, zeros up to size, dst->size = size; size from d->v1
 * to XP__STRUCT_MAX. */
int xp__struct_init(const char *fn, const xp__struct_desc *d, const void *defaults,
                    void *dst, size_t size);

/* ---- small helpers --------------------------------------------------- */

/* Normalize a possibly negative axis for ndim dims; fn names the caller. */
int xp__axis(const char *fn, int axis, int ndim, int *out);
int64_t xp__shape_size(int ndim, const int64_t *shape);
void xp__c_strides(int ndim, const int64_t *shape, int64_t *strides);
int xp__tensor_dtype(const DLTensor *t, xp_dtype *out);
/* 1 if t is C-contiguous (strides of C order for all dims of size > 1). */
int xp__tensor_is_contiguous(const DLTensor *t);

/* Imports from producers that point data at the first element with
 * negative strides: move the handle down to the lowest element. */
void xp__rebase(xp_array *a);

/* ---- views: new headers over the same memory; the base must outlive them */

int xp__view(const xp_array *a, int ndim, const int64_t *shape,
             const int64_t *strides, int64_t elem_offset, xp_array **out);
/* a with axis moved to the end (others keep their order). */
int xp__view_axis_last(const xp_array *a, int axis, xp_array **out);
/* a[..., start:stop:step, ...] along axis (step != 0, python semantics for
 * already clamped start/stop: count = max(0, ceil((stop - start) / step))). */
int xp__view_slice(const xp_array *a, int axis, int64_t start, int64_t count,
                   int64_t step, xp_array **out);
/* a broadcast to ndim/shape by numpy rules (new leading dims, size-1 dims
 * stretched with stride 0). */
int xp__view_broadcast(const xp_array *a, int ndim, const int64_t *shape,
                       xp_array **out);
/* Overlapping frames along the last axis: [..., n] ->
 * [..., nframes, nperseg] with frame k starting at k * step. */
int xp__view_frames(const xp_array *a, int64_t nperseg, int64_t step,
                    int64_t nframes, xp_array **out);
/* Insert a size-1 axis at position axis (0..ndim). */
int xp__view_expand(const xp_array *a, int axis, xp_array **out);
/* a with every axis reversed in place of axis: a[..., ::-1, ...]. */
int xp__view_flip(const xp_array *a, int axis, xp_array **out);

/* ---- aliasing of caller-supplied outputs (alias.c; conservative) ---- */

/* 1 if a and b are one view: provider, dtype, data, offset, shape and the
 * strides of every axis longer than 1. */
int xp__same_view(const xp_array *a, const xp_array *b);
/* 1 if the byte ranges a and b touch on one provider intersect. */
int xp__may_overlap(const xp_array *a, const xp_array *b);
/* 1 if no two elements of a share an address (each axis, by increasing
 * |stride|, steps over the span of the smaller ones). */
int xp__writes_once(const xp_array *a);

/* ---- checked calls into the provider's table ------------------------- *
 * Each checks that all arrays share one provider and that its table has
 * the slot, then calls it.  fn names the public function for messages.   */

int xp__fill(const xp_array *y, double re, double im);
int xp__copy(const xp_array *x, const xp_array *y);
int xp__unary(xp_unary_op op, const xp_array *x, const xp_array *y);
int xp__binary(xp_binary_op op, const xp_array *a, const xp_array *b,
               const xp_array *out);
int xp__affine(const xp_array *x, double alpha_re, double alpha_im,
               double beta_re, double beta_im, const xp_array *y);
int xp__reduce(xp_reduce_op op, const xp_array *x, int axis, const xp_array *y);
int xp__fft(xp_fft_kind kind, int64_t n, double scale, const xp_array *x,
            const xp_array *y);
int xp__gemm(char transa, char transb, double alpha_re, double alpha_im,
             const xp_array *A, const xp_array *B, double beta_re,
             double beta_im, const xp_array *C);
int xp__lfilter(const xp_array *b, const xp_array *a, const xp_array *x,
                const xp_array *zi, const xp_array *y, const xp_array *zf);
int xp__sosfilt(const xp_array *sos, const xp_array *x, const xp_array *zi,
                const xp_array *y, const xp_array *zf);
/* The fused Welch slot: xp__has_welch_segments says whether p fills it. */
int xp__has_welch_segments(const xp_provider *p);
int xp__welch_segments(const xp_welch_desc *d, const xp_array *x, const xp_array *y,
                       const xp_array *w, const xp_array *sxy, const xp_array *sxx,
                       const xp_array *syy);
/* The fused segment transform: xp__has_segment_spectra says whether p
 * fills the slot. */
int xp__has_segment_spectra(const xp_provider *p);
int xp__segment_spectra(const xp_welch_desc *d, const xp_array *x, const xp_array *w,
                        const xp_array *X);
int xp__interp(const xp_array *x, const xp_array *xp, const xp_array *fp,
               const xp_array *y);
/* Host <-> provider copies of whole arrays (C-ordered host side). */
int xp__upload(const void *src, const xp_array *dst);
int xp__download(const xp_array *src, void *dst);

/* ---- the built-in providers (lib/providers) --------------------------- */

extern const xp_provider xp__host_provider;
extern const xp_provider xp__strict_provider;

#endif /* XP_INTERNAL_H */
