/*
 * host_filter.c -- lfilter and sosfilt on host memory.
 *
 * Both are IIR recurrences along the last axis: serial in time, so the
 * speed comes from running several recurrences at once.
 *
 *  - Many rows: blocks of WL rows (8 doubles, 16 floats) are gathered into
 *    an interleaved buffer a chunk at a time and filtered as vectors of WL
 *    lanes; blocks go to OpenMP threads.
 *  - Few long rows: each row is cut into segments that run as lanes, and
 *    the true state at each cut is found from the segments' zero-state
 *    final states and the filter's L-step transition matrix (see
 *    run_segments in host_filter_kern.h).
 *  - Otherwise (short rows, complex coefficients): one row at a time, the
 *    state in registers for orders up to 8, rows over threads.
 *
 * Complex data under real coefficients run as real data (xp__dl_real_view).
 *
 * Every output comes from the recurrence evaluated in the same order as the
 * plain loop; only in segments do the states it starts from come another
 * way (equal to rounding).  The mode and the segment count depend on the
 * shape alone, so results do not change with the thread count.  The
 * kernels are in host_filter_kern.h, included once per real type.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "host.h"
#include "xp_real_view.h"

/* The recurrences must not be contracted into fused multiply-adds: results
 * would change with the machine.  GCC does not contract under -std=c11;
 * clang needs to be told. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#define FILT_VBYTES 64          /* bytes of one block vector: 8 doubles, 16 floats */
#define FILT_CHUNK 128          /* samples per gathered chunk: 8 KiB */
#define FILT_PAR_MIN 32768      /* state updates below which one thread runs */
#define FILT_SEG_MIN 1024       /* shortest segment worth its overhead */
#define FILT_SEG_MAXBLK 32      /* most lane blocks per segment pass */
#define FILT_SEG_MAXSTATE 32    /* larger states stay serial */
#define FILT_PHI_MAX 1e3        /* |A^n| above this: too ill-conditioned */
#define FILT_FORGET 1e-30       /* a state this small from a unit one is gone */
#define FILT_FLUSH 1e-200       /* a value this small is zero (flushed at 1e-30,
                                   the rounding would ring at 1e-25 for good) */

enum { FILT_ROWS, FILT_BLOCKS, FILT_SEGMENTS };

/* One call's work, for the kernels. */
typedef struct {
    int sos;                /* 0: lfilter, 1: sosfilt */
    int fir;                /* lfilter with len(a) == 1 and K > 0 */
    int order;              /* lfilter: K = max(na, nb) - 1; sosfilt: nsec */
    int nstate;             /* state values per row: K or 2 nsec */
    int cplx;               /* complex data: every value is two reals */
    int mode;               /* FILT_ROWS, FILT_BLOCKS, FILT_SEGMENTS */
    int nthreads;
    int64_t rows, n;        /* batch rows, samples per row */
    const DLTensor *x, *y;
    void *coef;             /* lfilter b[K+1] a[K+1]; sosfilt [nsec][b0 b1 b2 a1 a2] */
    void *z;                /* [rows][nstate]: zi in, zf out */
    char *work;             /* per-thread block scratch, work_stride bytes each */
    size_t work_stride;
    int64_t m, seglen;      /* segments: lanes per pass, segment length */
    void *p;                /* segments: [m][nstate] states */
    void *lanes;            /* segments: [m] lane descriptors */
    double *phi;            /* segments: A^L and two vectors */
} filt_job;

/* Same layout as the per-type lane structs, for sizing. */
typedef struct {
    const void *x;
    void *y;
    int64_t sx, sy, len;
    void *z;
} filt_lane_layout;

static inline void *filt_work(const filt_job *j)
{
#ifdef _OPENMP
    return j->work + (size_t)omp_get_thread_num() * j->work_stride;
#else
    return j->work;
#endif
}

/* Index lists for the in-register transposes: even and odd blocks of
 * size s of two vectors, interleaved (see transpose in the kernels). */
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define FILT_SHUFFLE 1
#endif
#endif
#ifndef FILT_SHUFFLE
#define FILT_SHUFFLE 0
#endif
#define FILT_8E1 0, 8, 2, 10, 4, 12, 6, 14
#define FILT_8O1 1, 9, 3, 11, 5, 13, 7, 15
#define FILT_8E2 0, 1, 8, 9, 4, 5, 12, 13
#define FILT_8O2 2, 3, 10, 11, 6, 7, 14, 15
#define FILT_8E4 0, 1, 2, 3, 8, 9, 10, 11
#define FILT_8O4 4, 5, 6, 7, 12, 13, 14, 15
#define FILT_16E1 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30
#define FILT_16O1 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31
#define FILT_16E2 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29
#define FILT_16O2 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31
#define FILT_16E4 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27
#define FILT_16O4 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31
#define FILT_16E8 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define FILT_16O8 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31

#define T double
#define SFX d
#define FILT_WL 8
#define FILT_REV 7, 6, 5, 4, 3, 2, 1, 0
#include "host_filter_kern.h"
#undef T
#undef SFX
#undef FILT_WL
#undef FILT_REV
#define T float
#define SFX f
#define FILT_WL 16
#define FILT_REV 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
#include "host_filter_kern.h"
#undef T
#undef SFX
#undef FILT_WL
#undef FILT_REV

/* ---- argument checks ---------------------------------------------------- */

static const char *shape_str(char *buf, size_t cap, int ndim, const int64_t *shape)
{
    size_t o = 0;
    o += (size_t)snprintf(buf + o, cap - o, "[");
    for (int d = 0; d < ndim && o < cap; d++)
        o += (size_t)snprintf(buf + o, cap - o, d ? ", %lld" : "%lld",
                              (long long)shape[d]);
    if (o < cap)
        snprintf(buf + o, cap - o, "]");
    return buf;
}

static int need(const char *op, const char *name, const DLTensor *t)
{
    return t ? XP_OK : xp_error(XP_EINVAL, "%s: %s is NULL", op, name);
}

/* t (if given) has dtype dt; x's own dtype must be one of the four. */
static int check_dtype(const char *op, const char *name, const DLTensor *t,
                       const DLTensor *x, xp_dtype *dt)
{
    xp_dtype d;
    if (xp_dtype_from_dlpack(&x->dtype, dt))
        return xp_error(XP_EDTYPE, "%s: x has an unsupported dtype (DLPack code "
                        "%u, bits %u, lanes %u)", op, x->dtype.code,
                        x->dtype.bits, x->dtype.lanes);
    if (!t || t == x)
        return XP_OK;
    if (xp_dtype_from_dlpack(&t->dtype, &d) || d != *dt)
        return xp_error(XP_EDTYPE, "%s: %s dtype (%s) differs from x dtype (%s): "
                        "all arrays must share one dtype", op, name,
                        xp_dtype_from_dlpack(&t->dtype, &d) ? "unsupported"
                                                           : xp_dtype_name(d),
                        xp_dtype_name(*dt));
    return XP_OK;
}

/* s (if given) has shape batch(x) + tail[0..ntail). */
static int check_state(const char *op, const char *name, const DLTensor *s,
                       const DLTensor *x, int ntail, const int64_t *tail,
                       const char *what)
{
    int nb = x->ndim - 1, ok;
    char got[160], want[160];
    int64_t w[XP_MAX_NDIM + 1];
    if (!s)
        return XP_OK;
    for (int d = 0; d < nb; d++)
        w[d] = x->shape[d];
    for (int i = 0; i < ntail; i++)
        w[nb + i] = tail[i];
    ok = s->ndim == nb + ntail;
    for (int d = 0; ok && d < nb + ntail; d++)
        ok = s->shape[d] == w[d];
    if (ok)
        return XP_OK;
    return xp_error(XP_ESHAPE, "%s: %s shape %s must be %s (the batch shape of x "
                    "plus %s)", op, name, shape_str(got, sizeof got, s->ndim, s->shape),
                    shape_str(want, sizeof want, nb + ntail, w), what);
}

static int check_signal(const char *op, const DLTensor *x, const DLTensor *y)
{
    char sx[160], sy[160];
    int ok = x->ndim == y->ndim;
    if (x->ndim < 1)
        return xp_error(XP_ESHAPE, "%s: x must have at least one axis (got 0-d)", op);
    for (int d = 0; ok && d < x->ndim; d++)
        ok = x->shape[d] == y->shape[d];
    if (!ok)
        return xp_error(XP_ESHAPE, "%s: y shape %s must equal x shape %s", op,
                        shape_str(sy, sizeof sy, y->ndim, y->shape),
                        shape_str(sx, sizeof sx, x->ndim, x->shape));
    return XP_OK;
}

/* Element i of a 1-d or 2-d coefficient tensor as (re, im). */
static void coef_at(const DLTensor *t, xp_dtype dt, int64_t off, double *re,
                    double *im)
{
    const char *p = xp__base(t);
    *im = 0;
    switch (dt) {
    case XP_FLOAT32: *re = ((const float *)p)[off]; break;
    case XP_FLOAT64: *re = ((const double *)p)[off]; break;
    case XP_COMPLEX64:
        *re = ((const float *)p)[2 * off];
        *im = ((const float *)p)[2 * off + 1];
        break;
    default:
        *re = ((const double *)p)[2 * off];
        *im = ((const double *)p)[2 * off + 1];
    }
}

/* ---- coefficients and state -------------------------------------------- */

/* q = p / d in T precision, complex when cplx (pairs). */
#define FILT_DIV(T, cplx, p, d, q)                                          \
    do {                                                                   \
        if (!(cplx)) {                                                     \
            (q)[0] = (p)[0] / (d)[0];                                      \
        } else if ((d)[1] == 0) {                                          \
            (q)[0] = (p)[0] / (d)[0];                                      \
            (q)[1] = (p)[1] / (d)[0];                                      \
        } else {                                                           \
            T den_ = (d)[0] * (d)[0] + (d)[1] * (d)[1];                    \
            T re_ = ((p)[0] * (d)[0] + (p)[1] * (d)[1]) / den_;            \
            (q)[1] = ((p)[1] * (d)[0] - (p)[0] * (d)[1]) / den_;           \
            (q)[0] = re_;                                                  \
        }                                                                  \
    } while (0)

/* Address of element off (may be negative) of t, elements esz bytes. */
static char *elem(const DLTensor *t, int64_t off, size_t esz)
{
    return xp__base(t) + off * (ptrdiff_t)esz;
}

/* Normalized coefficients into j->coef.  lfilter: b and a zero-padded to
 * K + 1, divided by a[0]; sosfilt: b0 b1 b2 a1 a2 of each section divided
 * by its a0.  In the dtype's own precision, as SciPy normalizes. */
static void load_coef(filt_job *j, xp_dtype dt, const DLTensor *b,
                      const DLTensor *a, const DLTensor *sos)
{
    size_t esz = xp_dtype_size(dt);
    int single = dt == XP_FLOAT32 || dt == XP_COMPLEX64, w = j->cplx ? 2 : 1;
    int ncoef = j->sos ? 5 * j->order : 2 * (j->order + 1);

    for (int i = 0; i < ncoef; i++) {
        const char *pc, *pd;            /* the coefficient and its divisor */
        if (j->sos) {
            int s = i / 5, c = i % 5;
            pc = elem(sos, s * sos->strides[0] + (c < 3 ? c : c + 1) * sos->strides[1], esz);
            pd = elem(sos, s * sos->strides[0] + 3 * sos->strides[1], esz);
        } else {
            int k = i % (j->order + 1);
            const DLTensor *t = i <= j->order ? b : a;
            if (k >= t->shape[0]) {             /* zero padding */
                memset((char *)j->coef + (size_t)i * esz, 0, esz);
                continue;
            }
            pc = elem(t, k * t->strides[0], esz);
            pd = elem(a, 0, esz);
        }
        if (single) {
            float p[2], d[2], *q = (float *)j->coef + (size_t)i * w;
            memcpy(p, pc, esz);
            memcpy(d, pd, esz);
            FILT_DIV(float, j->cplx, p, d, q);
        } else {
            double p[2], d[2], *q = (double *)j->coef + (size_t)i * w;
            memcpy(p, pc, esz);
            memcpy(d, pd, esz);
            FILT_DIV(double, j->cplx, p, d, q);
        }
    }
}

/* Element offset of state value k of batch row r in zi/zf. */
static int64_t state_off(const filt_job *j, const DLTensor *t, int64_t r, int k)
{
    int nb = j->x->ndim - 1;
    int64_t off = 0;
    for (int d = nb - 1; d >= 0; d--) {
        int64_t n = t->shape[d];
        off += (r % n) * t->strides[d];
        r /= n;
    }
    if (j->sos)
        return off + (k / 2) * t->strides[nb] + (k % 2) * t->strides[nb + 1];
    return off + k * t->strides[nb];
}

/* j->z <- zi (zeros without it), or zf <- j->z. */
static void move_state(const filt_job *j, const DLTensor *t, size_t esz, int in)
{
    for (int64_t r = 0; r < j->rows; r++)
        for (int k = 0; k < j->nstate; k++) {
            char *zs = (char *)j->z + ((size_t)r * j->nstate + k) * esz;
            if (!t && in)
                memset(zs, 0, esz);
            else if (in)
                memcpy(zs, elem(t, state_off(j, t, r, k), esz), esz);
            else
                memcpy(elem(t, state_off(j, t, r, k), esz), zs, esz);
        }
}

/* ---- planning and running ------------------------------------------------ */

/* ---- complex data through a real filter -------------------------------
 * With real coefficients the real and imaginary parts of complex data are
 * two independent real recurrences (the same values the complex arithmetic
 * gives, 0 * im terms dropped), so complex data get the vectorized real
 * kernels by viewing each complex tensor as its real parts with an axis of
 * 2 (re, im) inserted before x's last axis: one more batch axis. */

/* 1 if every coefficient of t (1-d or 2-d) has a zero imaginary part. */
static int real_coefs(const DLTensor *t, xp_dtype dt)
{
    int64_t n0 = t->shape[0], n1 = t->ndim > 1 ? t->shape[1] : 1;
    int64_t s1 = t->ndim > 1 ? t->strides[1] : 0;
    for (int64_t i = 0; i < n0; i++)
        for (int64_t k = 0; k < n1; k++) {
            double re, im;
            coef_at(t, dt, i * t->strides[0] + k * s1, &re, &im);
            if (im != 0)
                return 0;
        }
    return 1;
}

static size_t up64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

static int run(void *ctx, const char *op, filt_job *j, xp_dtype dt,
               const DLTensor *b, const DLTensor *a, const DLTensor *sos,
               const DLTensor *zi, const DLTensor *zf)
{
    size_t esz = xp_dtype_size(dt), rsz = j->cplx ? esz / 2 : esz;
    int wl = (int)(FILT_VBYTES / rsz), ns = j->nstate;
    int nt = xp__host_threads(ctx);
    double work = (double)j->rows * (double)j->n * (ns + 1);
    int64_t ncoef = j->sos ? 5 * j->order : 2 * (j->order + 1);

    if (nt < 1 || work < FILT_PAR_MIN)
        nt = 1;
    /* Segments of each row when rows are too few to fill half a block and
     * long enough; blocks of rows when there are enough rows; else one row
     * at a time.  The choice and the segment count depend on the shape
     * only, never on the thread count, so results do not either. */
    int64_t nblk = (j->rows + wl - 1) / wl, nseg = 0;
    if (!j->cplx && ns > 0 && (ns <= FILT_SEG_MAXSTATE || (j->fir && ns < FILT_SEG_MIN)))
        nseg = j->n / FILT_SEG_MIN / (wl + 1);    /* lane blocks a row fills */
    if (nseg > FILT_SEG_MAXBLK)
        nseg = FILT_SEG_MAXBLK;
    j->mode = FILT_ROWS;
    if (nseg >= 1 && 2 * j->rows < wl) {
        j->mode = FILT_SEGMENTS;
        j->m = nseg * wl;
        j->seglen = j->n / (j->m + 1);
        if (nt > nseg)
            nt = (int)nseg;
    } else if (!j->cplx && ns > 0 && 2 * j->rows >= wl) {
        j->mode = FILT_BLOCKS;
        if (nt > nblk)
            nt = (int)nblk;
    } else if (nt > j->rows) {
        nt = (int)(j->rows > 0 ? j->rows : 1);
    }
    j->nthreads = nt;

    /* one allocation: coef | z | work | p | lanes | phi */
    size_t o_coef = 0;
    size_t o_z = o_coef + up64((size_t)ncoef * esz);
    size_t o_work = o_z + up64((size_t)j->rows * ns * esz);
    j->work_stride = j->mode == FILT_ROWS ? 0
                     : up64((size_t)(FILT_CHUNK + ns) * FILT_VBYTES);
    size_t o_p = o_work + (size_t)nt * j->work_stride, o_lanes = o_p, o_phi = o_p,
           total = o_p;
    if (j->mode == FILT_SEGMENTS) {
        o_lanes = o_p + up64((size_t)j->m * ns * esz);
        o_phi = o_lanes + up64((size_t)j->m * sizeof(filt_lane_layout));
        total = o_phi;
        if (!j->fir)            /* A^L and two vectors */
            total += ((size_t)ns * ns + 2 * (size_t)ns) * sizeof(double);
    }
    char *mem = xp__aligned_alloc(total);
    if (!mem)
        return xp_error(XP_ENOMEM, "%s: out of memory for %zu bytes of scratch",
                        op, total);
    j->coef = mem + o_coef;
    j->z = mem + o_z;
    j->work = mem + o_work;
    j->p = mem + o_p;
    j->lanes = mem + o_lanes;
    j->phi = (double *)(mem + o_phi);

    load_coef(j, dt, b, a, sos);
    move_state(j, zi, esz, 1);
    if (j->n > 0) {
        if (rsz == sizeof(double))
            run_d(j);
        else
            run_f(j);
    }
    if (zf)
        move_state(j, zf, esz, 0);
    xp__aligned_free(mem);
    return XP_OK;
}

int xp__host_lfilter(void *ctx, const DLTensor *b, const DLTensor *a,
                     const DLTensor *x, const DLTensor *zi, const DLTensor *y,
                     const DLTensor *zf)
{
    static const char op[] = "lfilter";
    xp_dtype dt;
    int rc;
    if ((rc = need(op, "b", b)) || (rc = need(op, "a", a))
        || (rc = need(op, "x", x)) || (rc = need(op, "y", y))
        || (rc = check_dtype(op, "b", b, x, &dt))
        || (rc = check_dtype(op, "a", a, x, &dt))
        || (rc = check_dtype(op, "zi", zi, x, &dt))
        || (rc = check_dtype(op, "y", y, x, &dt))
        || (rc = check_dtype(op, "zf", zf, x, &dt)))
        return rc;
    if (b->ndim != 1 || a->ndim != 1)
        return xp_error(XP_ESHAPE, "%s: %s must be 1-D (got %d dimensions)", op,
                        b->ndim != 1 ? "b" : "a", b->ndim != 1 ? b->ndim : a->ndim);
    int64_t nb = b->shape[0], na = a->shape[0];
    if (nb < 1 || na < 1)
        return xp_error(XP_ESHAPE, "%s: %s must have at least one coefficient "
                        "(got %lld)", op, nb < 1 ? "b" : "a",
                        (long long)(nb < 1 ? nb : na));
    int64_t K = (na > nb ? na : nb) - 1;
    if (K > 1 << 20)
        return xp_error(XP_ESHAPE, "%s: filter order %lld is too large", op,
                        (long long)K);
    char what[96];
    snprintf(what, sizeof what, "max(len(a), len(b)) - 1 = %lld", (long long)K);
    if ((rc = check_signal(op, x, y))
        || (rc = check_state(op, "zi", zi, x, 1, &K, what))
        || (rc = check_state(op, "zf", zf, x, 1, &K, what)))
        return rc;
    double re, im;
    coef_at(a, dt, 0, &re, &im);
    if (re == 0 && im == 0)
        return xp_error(XP_EINVAL, "%s: a[0] must be nonzero", op);

    filt_job j = {0};
    xp__real_view v[6];
    if (xp_dtype_is_complex(dt) && real_coefs(b, dt) && real_coefs(a, dt)) {
        int pos = x->ndim - 1;
        b = xp__dl_real_view(b, -1, &v[0]);
        a = xp__dl_real_view(a, -1, &v[1]);
        zi = xp__dl_real_view(zi, pos, &v[2]);
        zf = xp__dl_real_view(zf, pos, &v[3]);
        x = xp__dl_real_view(x, pos, &v[4]);
        y = xp__dl_real_view(y, pos, &v[5]);
        dt = xp_dtype_real(dt);
    }
    j.order = (int)K;
    j.nstate = (int)K;
    j.fir = na == 1 && K > 0;
    j.cplx = xp_dtype_is_complex(dt);
    j.rows = xp__rows(x);
    j.n = xp__last_len(x);
    j.x = x;
    j.y = y;
    return run(ctx, op, &j, dt, b, a, NULL, zi, zf);
}

int xp__host_sosfilt(void *ctx, const DLTensor *sos, const DLTensor *x,
                     const DLTensor *zi, const DLTensor *y, const DLTensor *zf)
{
    static const char op[] = "sosfilt";
    xp_dtype dt;
    int rc;
    char s[160];
    if ((rc = need(op, "sos", sos)) || (rc = need(op, "x", x))
        || (rc = need(op, "y", y))
        || (rc = check_dtype(op, "sos", sos, x, &dt))
        || (rc = check_dtype(op, "zi", zi, x, &dt))
        || (rc = check_dtype(op, "y", y, x, &dt))
        || (rc = check_dtype(op, "zf", zf, x, &dt)))
        return rc;
    if (sos->ndim != 2 || sos->shape[1] != 6 || sos->shape[0] < 1)
        return xp_error(XP_ESHAPE, "%s: sos must have shape [nsections, 6] with "
                        "nsections >= 1 (got %s)", op,
                        shape_str(s, sizeof s, sos->ndim, sos->shape));
    int64_t nsec = sos->shape[0];
    if (nsec > 1 << 19)
        return xp_error(XP_ESHAPE, "%s: %lld sections are too many", op,
                        (long long)nsec);
    int64_t tail[2] = {nsec, 2};
    if ((rc = check_signal(op, x, y))
        || (rc = check_state(op, "zi", zi, x, 2, tail, "[nsections, 2]"))
        || (rc = check_state(op, "zf", zf, x, 2, tail, "[nsections, 2]")))
        return rc;
    for (int64_t i = 0; i < nsec; i++) {
        double re, im;
        coef_at(sos, dt, i * sos->strides[0] + 3 * sos->strides[1], &re, &im);
        if (re == 0 && im == 0)
            return xp_error(XP_EINVAL, "%s: section %lld has a0 = 0 (sos[%lld, 3] "
                            "must be nonzero)", op, (long long)i, (long long)i);
    }

    filt_job j = {0};
    xp__real_view v[5];
    if (xp_dtype_is_complex(dt) && real_coefs(sos, dt)) {
        int pos = x->ndim - 1;
        sos = xp__dl_real_view(sos, -1, &v[0]);
        zi = xp__dl_real_view(zi, pos, &v[1]);
        zf = xp__dl_real_view(zf, pos, &v[2]);
        x = xp__dl_real_view(x, pos, &v[3]);
        y = xp__dl_real_view(y, pos, &v[4]);
        dt = xp_dtype_real(dt);
    }
    j.sos = 1;
    j.order = (int)nsec;
    j.nstate = 2 * (int)nsec;
    j.cplx = xp_dtype_is_complex(dt);
    j.rows = xp__rows(x);
    j.n = xp__last_len(x);
    j.x = x;
    j.y = y;
    return run(ctx, op, &j, dt, NULL, NULL, sos, zi, zf);
}
