/*
 * host_fft.c -- batched FFTs along the last axis with FFTW3.
 *
 * The batch is cut into blocks of rows that fit in cache.  Each block is
 * gathered (strided read, zero-padding or truncation) into a contiguous,
 * aligned scratch, transformed by one "howmany" plan, and scattered (times
 * scale) into y.  Where x or y already has the scratch layout (contiguous,
 * row pitch n, SIMD-aligned) the block is read or written in place.  Blocks
 * run in parallel on OpenMP threads, each with its own scratch; one FFT is
 * never split between threads.
 *
 * Plans are cached per (kind, n, precision, rows per block) for the life of
 * the process.  Block row counts are powers of two, so a length needs at
 * most a handful of plans however the batch size varies.  The FFTW planner
 * is not thread-safe: planning holds a mutex, and execution uses the
 * new-array functions, which are.  Plans are made on scratch buffers of
 * their own, so even FFTW_MEASURE never touches user data.
 *
 * XP_FFTW_PLANNER=estimate|measure|patient (read once) chooses FFTW's
 * planning effort.  The default estimates: a measured plan of length 16384
 * runs up to 3x faster but takes 0.4 s to make (1.8 s at 131072), more
 * than one long Welch saves, so measuring pays only in long-lived
 * processes or with wisdom.  XP_FFTW_WISDOM=FILE keeps plans across
 * processes: FILE (double) and FILE.f (single) are read at start and
 * rewritten whenever a new plan is made.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fftw3.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "host.h"
#include "host_fftplan.h"

#define FFT_BLOCK_BYTES (256 * 1024)    /* target scratch per block and side */
/* Along a strided axis (an stft's [nfreq, nseg] spectra), one row's
 * elements lie a cache line or a page apart, but neighbouring rows sit
 * side by side: a block of FFT_STRIDED_ROWS rows (fewer where that would
 * pass FFT_STRIDED_BYTES of scratch) is copied FFT_TILE elements of every
 * row at a time, so each line and page fetched serves all the rows it
 * holds. */
#define FFT_STRIDED_ROWS 16
#define FFT_STRIDED_BYTES (4 * 1024 * 1024)
#define FFT_TILE 64
#define FFT_PREFETCH_RUN 4096           /* bytes of side-by-side rows prefetched as one run */
#define FFT_MAX_THREADS 256
#define FFT_SERIAL_WORK 32768           /* rows * n below which one thread runs */

typedef xp__host_fftplan fft_plan;

/* ---------------------------------------------------------- plan cache */

typedef struct fft_node {
    struct fft_node *next;
    xp_fft_kind kind;
    int single;                 /* 1: fftwf (float), 0: fftw (double) */
    int n, howmany;
    fft_plan plan;
} fft_node;

static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;
static fft_node *plan_cache;    /* reachable until exit: never freed */
static pthread_once_t fft_once = PTHREAD_ONCE_INIT;
static unsigned planner_flags = FFTW_ESTIMATE;
static char wisdom_d[4096], wisdom_f[4096 + 2];   /* files, "" when not kept */

static void fft_init(void)
{
    /* Our own planning is serialized by plan_lock; this also protects
     * FFTW planning done elsewhere in the process against ours. */
    fftw_make_planner_thread_safe();
    fftwf_make_planner_thread_safe();
    const char *s = getenv("XP_FFTW_PLANNER");
    if (s && strcmp(s, "measure") == 0)
        planner_flags = FFTW_MEASURE;
    else if (s && strcmp(s, "patient") == 0)
        planner_flags = FFTW_PATIENT;
    const char *w = getenv("XP_FFTW_WISDOM");
    if (w && *w && strlen(w) < sizeof wisdom_d) {
        snprintf(wisdom_d, sizeof wisdom_d, "%s", w);
        snprintf(wisdom_f, sizeof wisdom_f, "%s.f", w);
        fftw_import_wisdom_from_filename(wisdom_d);     /* a missing file is fine */
        fftwf_import_wisdom_from_filename(wisdom_f);
    }
}

/* Scratch row lengths (elements) of the input and output of a transform. */
static int64_t fft_nin(xp_fft_kind kind, int64_t n)
{
    return kind == XP_FFT_C2R ? n / 2 + 1 : n;
}
static int64_t fft_nout(xp_fft_kind kind, int64_t n)
{
    return kind == XP_FFT_R2C ? n / 2 + 1 : n;
}

/* Make a plan for howmany contiguous rows on buffers in/out. */
static fft_plan fft_make(xp_fft_kind kind, int single, int n, int howmany,
                         void *in, void *out)
{
    fft_plan p;
    int nin = (int)fft_nin(kind, n), nout = (int)fft_nout(kind, n);
    unsigned fl = planner_flags;
    int sign = kind == XP_FFT_C2C_BACKWARD ? FFTW_BACKWARD : FFTW_FORWARD;

    if (single) {
        if (kind == XP_FFT_R2C)
            p.f = fftwf_plan_many_dft_r2c(1, &n, howmany, in, NULL, 1, nin,
                                          out, NULL, 1, nout, fl);
        else if (kind == XP_FFT_C2R)
            p.f = fftwf_plan_many_dft_c2r(1, &n, howmany, in, NULL, 1, nin,
                                          out, NULL, 1, nout, fl);
        else
            p.f = fftwf_plan_many_dft(1, &n, howmany, in, NULL, 1, nin,
                                      out, NULL, 1, nout, sign, fl);
    } else {
        if (kind == XP_FFT_R2C)
            p.d = fftw_plan_many_dft_r2c(1, &n, howmany, in, NULL, 1, nin,
                                         out, NULL, 1, nout, fl);
        else if (kind == XP_FFT_C2R)
            p.d = fftw_plan_many_dft_c2r(1, &n, howmany, in, NULL, 1, nin,
                                         out, NULL, 1, nout, fl);
        else
            p.d = fftw_plan_many_dft(1, &n, howmany, in, NULL, 1, nin,
                                     out, NULL, 1, nout, sign, fl);
    }
    return p;
}

/* The cached plan for (kind, single, n, howmany), made on first use. */
int xp__host_fft_plan(xp_fft_kind kind, int single, int n, int howmany,
                      fft_plan *out)
{
    int rc = XP_OK;
    fft_node *e;
    void *bin = NULL, *bout = NULL;
    size_t rs = single ? sizeof(float) : sizeof(double);

    pthread_once(&fft_once, fft_init);
    pthread_mutex_lock(&plan_lock);
    for (e = plan_cache; e; e = e->next)
        if (e->kind == kind && e->single == single && e->n == n &&
            e->howmany == howmany)
            break;
    if (e) {
        *out = e->plan;
        goto done;
    }
    e = xp__malloc(sizeof *e);
    bin = xp__aligned_alloc((size_t)howmany * (size_t)fft_nin(kind, n) * 2 * rs);
    bout = xp__aligned_alloc((size_t)howmany * (size_t)fft_nout(kind, n) * 2 * rs);
    if (!e || !bin || !bout) {
        rc = xp_error(XP_ENOMEM, "fft: out of memory planning a length-%d transform", n);
        xp__free(e);
        goto done;
    }
    e->kind = kind;
    e->single = single;
    e->n = n;
    e->howmany = howmany;
    e->plan = fft_make(kind, single, n, howmany, bin, bout);
    if (single ? !e->plan.f : !e->plan.d) {
        rc = xp_error(XP_EINTERNAL, "fft: FFTW could not plan a length-%d transform", n);
        xp__free(e);
        goto done;
    }
    e->next = plan_cache;
    plan_cache = e;
    if (wisdom_d[0])        /* still under plan_lock: one writer at a time */
        single ? fftwf_export_wisdom_to_filename(wisdom_f)
               : fftw_export_wisdom_to_filename(wisdom_d);
    *out = e->plan;
done:
    pthread_mutex_unlock(&plan_lock);
    xp__aligned_free(bin);
    xp__aligned_free(bout);
    return rc;
}

void xp__host_fft_exec(xp_fft_kind kind, int single, fft_plan p, void *in, void *out)
{
    if (single) {
        if (kind == XP_FFT_R2C)
            fftwf_execute_dft_r2c(p.f, in, out);
        else if (kind == XP_FFT_C2R)
            fftwf_execute_dft_c2r(p.f, in, out);
        else
            fftwf_execute_dft(p.f, in, out);
    } else {
        if (kind == XP_FFT_R2C)
            fftw_execute_dft_r2c(p.d, in, out);
        else if (kind == XP_FFT_C2R)
            fftw_execute_dft_c2r(p.d, in, out);
        else
            fftw_execute_dft(p.d, in, out);
    }
}

/* 1 if p has the SIMD alignment of our (64-byte aligned) plan buffers. */
static int fft_aligned(int single, void *p)
{
    return single ? fftwf_alignment_of(p) == 0 : fftw_alignment_of(p) == 0;
}

/* ------------------------------------------------------ gather, scatter */

/* Row copies.  gather: m = min(len, n) elements at stride st, then zeros up
 * to n.  scatter: n elements to stride st, times s when scaling.  Complex
 * values are (re, im) pairs and strides count complex elements. */
#define FFT_COPIES(T, S)                                                      \
static void gather_real_##S(T *d, const T *s, int64_t len, int64_t st,        \
                            int64_t n)                                        \
{                                                                             \
    int64_t m = len < n ? len : n, i;                                         \
    if (st == 1)                                                              \
        memcpy(d, s, (size_t)m * sizeof(T));                                  \
    else                                                                      \
        for (i = 0; i < m; i++)                                               \
            d[i] = s[i * st];                                                 \
    for (i = m; i < n; i++)                                                   \
        d[i] = 0;                                                             \
}                                                                             \
static void gather_cplx_##S(T *d, const T *s, int64_t len, int64_t st,        \
                            int64_t n)                                        \
{                                                                             \
    int64_t m = len < n ? len : n, i;                                         \
    if (st == 1)                                                              \
        memcpy(d, s, (size_t)m * 2 * sizeof(T));                              \
    else                                                                      \
        for (i = 0; i < m; i++) {                                             \
            d[2 * i] = s[2 * i * st];                                         \
            d[2 * i + 1] = s[2 * i * st + 1];                                 \
        }                                                                     \
    for (i = 2 * m; i < 2 * n; i++)                                           \
        d[i] = 0;                                                             \
}                                                                             \
static void scatter_##S(T *d, int64_t st, const T *s, int64_t n, int cplx,    \
                        int scaled, T sc)                                     \
{                                                                             \
    int64_t i;                                                                \
    if (!cplx) {                                                              \
        if (st == 1 && !scaled)                                               \
            memcpy(d, s, (size_t)n * sizeof(T));                              \
        else if (st == 1)                                                     \
            for (i = 0; i < n; i++)                                           \
                d[i] = s[i] * sc;                                             \
        else if (!scaled)                                                     \
            for (i = 0; i < n; i++)                                           \
                d[i * st] = s[i];                                             \
        else                                                                  \
            for (i = 0; i < n; i++)                                           \
                d[i * st] = s[i] * sc;                                        \
    } else {                                                                  \
        if (st == 1 && !scaled)                                               \
            memcpy(d, s, (size_t)n * 2 * sizeof(T));                          \
        else if (st == 1)                                                     \
            for (i = 0; i < 2 * n; i++)                                       \
                d[i] = s[i] * sc;                                             \
        else if (!scaled)                                                     \
            for (i = 0; i < n; i++) {                                         \
                d[2 * i * st] = s[2 * i];                                     \
                d[2 * i * st + 1] = s[2 * i + 1];                             \
            }                                                                 \
        else                                                                  \
            for (i = 0; i < n; i++) {                                         \
                d[2 * i * st] = s[2 * i] * sc;                                \
                d[2 * i * st + 1] = s[2 * i + 1] * sc;                        \
            }                                                                 \
    }                                                                         \
}                                                                             \
static void scale_##S(T *d, int64_t nreal, T sc)                              \
{                                                                             \
    for (int64_t i = 0; i < nreal; i++)                                       \
        d[i] *= sc;                                                           \
}

FFT_COPIES(double, d)
FFT_COPIES(float, f)

/* ------------------------------------------------------------ the job */

typedef struct {
    xp_fft_kind kind;
    int single;
    int64_t n, nin, nout;       /* length; scratch row lengths in, out */
    int in_cplx, out_cplx;
    size_t isz, osz;            /* bytes per element of x, y */
    const DLTensor *x, *y;
    int64_t xlen, xst, yst;     /* x last length; last strides */
    double scale;
    int x_direct, y_direct;     /* layout allows in-place use (alignment aside) */
    int64_t B, nfull, rem;      /* rows per full block, full blocks, leftover */
    fft_plan plans[32];         /* by log2 of a block's row count */
} fft_job;

static int ilog2(int64_t v)
{
    int k = 0;
    while (v > 1) {
        v >>= 1;
        k++;
    }
    return k;
}

static int64_t floor_pow2(int64_t v)
{
    return v < 1 ? 1 : (int64_t)1 << ilog2(v);
}

static int popcount64(int64_t v)
{
    int c = 0;
    for (; v; v &= v - 1)
        c++;
    return c;
}

/* Block k: nfull blocks of B rows, then the leftover rows split into
 * descending powers of two. */
static void fft_block(const fft_job *J, int64_t k, int64_t *r0, int64_t *cnt)
{
    int64_t r = k < J->nfull ? k * J->B : J->nfull * J->B;
    *cnt = J->B;
    if (k >= J->nfull) {
        int64_t j = k - J->nfull;
        for (int64_t bit = J->B >> 1; bit; bit >>= 1) {
            if (!(J->rem & bit))
                continue;
            if (j-- == 0) {
                *cnt = bit;
                break;
            }
            r += bit;
        }
    }
    *r0 = r;
}

static char *fft_x_block(const fft_job *J, int64_t r0)
{
    return xp__base(J->x) + r0 * J->n * (int64_t)J->isz;
}

static char *fft_y_block(const fft_job *J, int64_t r0)
{
    return xp__base(J->y) + r0 * J->nout * (int64_t)J->osz;
}

/* len elements of x at stride st from s into d, then zeros up to n. */
static void gather_row(const fft_job *J, char *d, const char *s, int64_t len, int64_t n)
{
    if (J->single) {
        if (J->in_cplx)
            gather_cplx_f((float *)d, (const float *)s, len, J->xst, n);
        else
            gather_real_f((float *)d, (const float *)s, len, J->xst, n);
    } else {
        if (J->in_cplx)
            gather_cplx_d((double *)d, (const double *)s, len, J->xst, n);
        else
            gather_real_d((double *)d, (const double *)s, len, J->xst, n);
    }
}

/* Rows r0 .. r0 + cnt - 1 of x into dst [cnt][nin], tile by tile when
 * strided (FFT_TILE).  A strided row's elements lie a page or more apart,
 * too far for the hardware prefetchers, so each tile would wait on memory
 * line after line: while one tile is copied, the lines of the next are
 * asked for, as one run across the rows where the rows sit side by side
 * (istft's transform of an stft's [nfreq, nseg] spectra: the copy took
 * 0.080 s of its 0.28 s, now 0.055 s).  The prefetch stays written out
 * here: in a function of its own, GCC deems it pure and drops the call. */
static void fft_gather(const fft_job *J, int64_t r0, int64_t cnt, char *dst)
{
    char *xb = xp__base(J->x);
    int64_t isz = (int64_t)J->isz, m = J->xlen < J->nin ? J->xlen : J->nin;
    int64_t tile = J->xst == 1 ? m : FFT_TILE, step = J->xst * isz;
    /* bytes from row r0's element to row r0 + cnt - 1's, plus one element */
    int64_t run = (xp__row_offset(J->x, r0 + cnt - 1) - xp__row_offset(J->x, r0)) * isz + isz;
    int ahead = J->xst != 1 && run > 0 && run <= FFT_PREFETCH_RUN;
    for (int64_t j0 = 0; j0 < m; j0 += tile) {
        int64_t len = m - j0 < tile ? m - j0 : tile;
        if (ahead && j0 + tile < m) {
            const char *next = xb + (xp__row_offset(J->x, r0) + (j0 + tile) * J->xst) * isz;
            int64_t nlen = m - j0 - tile < tile ? m - j0 - tile : tile;
            for (int64_t j = 0; j < nlen; j++)
                for (int64_t b = 0; b < run; b += 64)
                    __builtin_prefetch(next + j * step + b, 0, 2);
        }
        for (int64_t i = 0; i < cnt; i++) {
            const char *src = xb + (xp__row_offset(J->x, r0 + i) + j0 * J->xst) * isz;
            gather_row(J, dst + (i * J->nin + j0) * isz, src, len, len);
        }
    }
    for (int64_t i = 0; i < cnt; i++) {
        char *d = dst + i * J->nin * isz;
        memset(d + m * isz, 0, (size_t)((J->nin - m) * isz));    /* zero-padding */
        if (J->kind == XP_FFT_C2R) {
            /* A real signal's DC and Nyquist bins are real: their imaginary
             * parts are ignored (as numpy's irfft does). */
            int64_t nyq = J->n % 2 == 0 ? J->n / 2 : 0;
            if (J->single) {
                ((float *)d)[1] = 0;
                ((float *)d)[2 * nyq + 1] = 0;
            } else {
                ((double *)d)[1] = 0;
                ((double *)d)[2 * nyq + 1] = 0;
            }
        }
    }
}

/* src [cnt][nout] into rows r0 .. of y, scaled, tile by tile when strided. */
static void fft_scatter(const fft_job *J, int64_t r0, int64_t cnt, const char *src)
{
    char *yb = xp__base(J->y);
    int scaled = J->scale != 1.0;
    int64_t osz = (int64_t)J->osz, tile = J->yst == 1 ? J->nout : FFT_TILE;
    for (int64_t j0 = 0; j0 < J->nout; j0 += tile) {
        int64_t len = J->nout - j0 < tile ? J->nout - j0 : tile;
        for (int64_t i = 0; i < cnt; i++) {
            char *d = yb + (xp__row_offset(J->y, r0 + i) + j0 * J->yst) * osz;
            const char *s = src + (i * J->nout + j0) * osz;
            if (J->single)
                scatter_f((float *)d, J->yst, (const float *)s, len, J->out_cplx,
                          scaled, (float)J->scale);
            else
                scatter_d((double *)d, J->yst, (const double *)s, len, J->out_cplx,
                          scaled, J->scale);
        }
    }
}

static int fft_x_in_place(const fft_job *J, int64_t r0)
{
    return J->x_direct && fft_aligned(J->single, fft_x_block(J, r0));
}

static int fft_y_in_place(const fft_job *J, int64_t r0)
{
    return J->y_direct && fft_aligned(J->single, fft_y_block(J, r0));
}

/* Transform block k using scratch sin/sout where the block needs them. */
static void fft_run_block(const fft_job *J, int64_t k, char *sin, char *sout)
{
    int64_t r0, cnt;
    fft_block(J, k, &r0, &cnt);
    char *in = sin, *out = sout;

    if (fft_x_in_place(J, r0))
        in = fft_x_block(J, r0);
    else
        fft_gather(J, r0, cnt, sin);
    if (fft_y_in_place(J, r0))
        out = fft_y_block(J, r0);

    xp__host_fft_exec(J->kind, J->single, J->plans[ilog2(cnt)], in, out);

    if (out == sout) {
        fft_scatter(J, r0, cnt, sout);
    } else if (J->scale != 1.0) {
        int64_t nreal = cnt * J->nout * (J->out_cplx ? 2 : 1);
        if (J->single)
            scale_f((float *)out, nreal, (float)J->scale);
        else
            scale_d((double *)out, nreal, J->scale);
    }
}

/* ------------------------------------------------------- validation */

static const char *kind_name(xp_fft_kind kind)
{
    switch (kind) {
    case XP_FFT_R2C: return "R2C";
    case XP_FFT_C2R: return "C2R";
    case XP_FFT_C2C_FORWARD: return "C2C_FORWARD";
    case XP_FFT_C2C_BACKWARD: return "C2C_BACKWARD";
    }
    return "?";
}

/* "(2, 3)" for the first nd axes of t. */
static const char *shape_str(char *buf, size_t cap, const DLTensor *t, int nd)
{
    size_t len = 0;
    buf[0] = '\0';
    len += (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < nd && len < cap; d++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%lld", d ? ", " : "",
                                (long long)t->shape[d]);
    if (len < cap)
        snprintf(buf + len, cap - len, nd == 1 ? ",)" : ")");
    return buf;
}

static int fft_check(xp_fft_kind kind, int64_t n, const DLTensor *x,
                     const DLTensor *y, xp_dtype *dxo, xp_dtype *dyo)
{
    xp_dtype dx, dy;
    char b1[200], b2[200];

    if (kind != XP_FFT_R2C && kind != XP_FFT_C2R && kind != XP_FFT_C2C_FORWARD &&
        kind != XP_FFT_C2C_BACKWARD)
        return xp_error(XP_EINVAL, "fft: kind (%d) is not R2C, C2R, C2C_FORWARD "
                        "or C2C_BACKWARD", (int)kind);
    if (n < 1)
        return xp_error(XP_EINVAL, "fft: n (%lld) must be at least 1", (long long)n);
    if (n > INT_MAX)
        return xp_error(XP_EINVAL, "fft: n (%lld) is larger than FFTW allows (%d)",
                        (long long)n, INT_MAX);
    if (xp__tensor_dtype(x, &dx) != XP_OK)
        return xp_error(XP_EDTYPE, "fft: x has an unsupported dtype");
    if (xp__tensor_dtype(y, &dy) != XP_OK)
        return xp_error(XP_EDTYPE, "fft: y has an unsupported dtype");
    int ok;
    switch (kind) {
    case XP_FFT_R2C:
        ok = !xp_dtype_is_complex(dx) && dy == xp_dtype_complex(dx);
        break;
    case XP_FFT_C2R:
        ok = xp_dtype_is_complex(dx) && dy == xp_dtype_real(dx);
        break;
    default:
        ok = xp_dtype_is_complex(dx) && dy == dx;
        break;
    }
    if (!ok)
        return xp_error(XP_EDTYPE, "fft: %s needs %s (got x %s, y %s)", kind_name(kind),
                        kind == XP_FFT_R2C ? "real x and y of its complex dtype"
                        : kind == XP_FFT_C2R ? "complex x and y of its real dtype"
                        : "complex x and y of one dtype",
                        xp_dtype_name(dx), xp_dtype_name(dy));
    if (x->ndim < 1 || y->ndim < 1)
        return xp_error(XP_ESHAPE, "fft: x (%d-d) and y (%d-d) need at least one axis",
                        x->ndim, y->ndim);
    if (x->ndim != y->ndim)
        return xp_error(XP_ESHAPE, "fft: x (%d-d) and y (%d-d) must have the same "
                        "number of axes", x->ndim, y->ndim);
    for (int d = 0; d < x->ndim - 1; d++)
        if (x->shape[d] != y->shape[d])
            return xp_error(XP_ESHAPE, "fft: batch shapes of x %s and y %s differ",
                            shape_str(b1, sizeof b1, x, x->ndim - 1),
                            shape_str(b2, sizeof b2, y, y->ndim - 1));
    int64_t want = fft_nout(kind, n), ylen = xp__last_len(y);
    if (ylen != want)
        return xp_error(XP_ESHAPE, "fft: y last axis (%lld) must be %s (%lld) for %s "
                        "with n = %lld", (long long)ylen,
                        kind == XP_FFT_R2C ? "n/2+1" : "n", (long long)want,
                        kind_name(kind), (long long)n);
    *dxo = dx;
    *dyo = dy;
    return XP_OK;
}

/* ------------------------------------------------------------ the op */

int xp__host_fft(void *ctx, xp_fft_kind kind, int64_t n, double scale,
                 const DLTensor *x, const DLTensor *y)
{
    fft_job J;
    xp_dtype dx = XP_FLOAT64, dy = XP_FLOAT64;
    int rc = fft_check(kind, n, x, y, &dx, &dy);
    if (rc)
        return rc;
    int64_t rows = xp__rows(x);
    if (rows == 0)
        return XP_OK;
    pthread_once(&fft_once, fft_init);

    memset(&J, 0, sizeof J);
    J.kind = kind;
    J.single = dx == XP_FLOAT32 || dx == XP_COMPLEX64;
    J.n = n;
    J.nin = fft_nin(kind, n);
    J.nout = fft_nout(kind, n);
    J.in_cplx = kind != XP_FFT_R2C;
    J.out_cplx = kind != XP_FFT_C2R;
    J.isz = xp_dtype_size(dx);
    J.osz = xp_dtype_size(dy);
    J.x = x;
    J.y = y;
    J.xlen = xp__last_len(x);
    J.xst = xp__last_stride(x);
    J.yst = xp__last_stride(y);
    J.scale = scale;
    /* c2r destroys its input: it always reads a scratch copy. */
    J.x_direct = kind != XP_FFT_C2R && J.xlen == n && xp__tensor_is_contiguous(x);
    J.y_direct = xp__tensor_is_contiguous(y);

    int nt = xp__host_threads(ctx);
    if (nt < 1)
        nt = 1;
    if (nt > FFT_MAX_THREADS)
        nt = FFT_MAX_THREADS;
    if (rows * n < FFT_SERIAL_WORK)
        nt = 1;
    int64_t rowb = J.nin * (int64_t)J.isz;
    if (J.nout * (int64_t)J.osz > rowb)
        rowb = J.nout * (int64_t)J.osz;
    int64_t B = floor_pow2(FFT_BLOCK_BYTES / rowb);
    if ((J.xst != 1 || J.yst != 1) && B < FFT_STRIDED_ROWS) {
        int64_t most = floor_pow2(FFT_STRIDED_BYTES / rowb);
        B = most >= FFT_STRIDED_ROWS ? FFT_STRIDED_ROWS : most > B ? most : B;
    }
    int64_t share = floor_pow2(rows / nt);      /* give every thread a block */
    J.B = B < share ? B : share;
    J.nfull = rows / J.B;
    J.rem = rows % J.B;
    int64_t nblocks = J.nfull + popcount64(J.rem);
    if (nt > nblocks)
        nt = (int)nblocks;

    if (J.nfull > 0 && (rc = xp__host_fft_plan(kind, J.single, (int)n, (int)J.B,
                                          &J.plans[ilog2(J.B)])))
        return rc;
    for (int64_t bit = 1; bit < J.B; bit <<= 1)
        if ((J.rem & bit) && (rc = xp__host_fft_plan(kind, J.single, (int)n, (int)bit,
                                                &J.plans[ilog2(bit)])))
            return rc;

    /* Scratch only for the sides some block cannot use in place. */
    int need_in = 0, need_out = 0;
    for (int64_t k = 0; k < nblocks && !(need_in && need_out); k++) {
        int64_t r0, cnt;
        fft_block(&J, k, &r0, &cnt);
        need_in |= !fft_x_in_place(&J, r0);
        need_out |= !fft_y_in_place(&J, r0);
    }
    char *sin[FFT_MAX_THREADS] = { 0 }, *sout[FFT_MAX_THREADS] = { 0 };
    size_t in_bytes = (size_t)(J.B * J.nin) * J.isz;
    size_t out_bytes = (size_t)(J.B * J.nout) * J.osz;
    for (int t = 0; t < nt; t++) {
        if ((need_in && !(sin[t] = xp__aligned_alloc(in_bytes))) ||
            (need_out && !(sout[t] = xp__aligned_alloc(out_bytes)))) {
            rc = xp_error(XP_ENOMEM, "fft: out of memory for scratch (%zu bytes)",
                          in_bytes + out_bytes);
            goto done;
        }
    }

#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(dynamic) if (nt > 1)
#endif
    for (int64_t k = 0; k < nblocks; k++) {
#ifdef _OPENMP
        int t = omp_get_thread_num();
#else
        int t = 0;
#endif
        fft_run_block(&J, k, sin[t], sout[t]);
    }

done:
    for (int t = 0; t < nt; t++) {
        xp__aligned_free(sin[t]);
        xp__aligned_free(sout[t]);
    }
    return rc;
}
