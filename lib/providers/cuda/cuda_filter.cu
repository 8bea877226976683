/*
 * cuda_filter.cu -- lfilter and sosfilt on the GPU.
 *
 * Both are linear recurrences with a small state: K values for lfilter's
 * direct form II transposed, two per section for sosfilt.  With many rows
 * each thread runs one row.  With few long rows that would leave the GPU
 * idle, so each row is cut into P chunks of L samples and a chunked scan
 * runs the recurrence in parallel:
 *
 *   1. every chunk runs from a zero state (chunk 0 from zi) and keeps only
 *      its end state e_p;
 *   2. M = A^L, the state transition over one chunk with no input, comes
 *      from running L zero-input steps from each unit state;
 *   3. a Hillis-Steele scan over the chunks with the maps s -> M s + e_p
 *      (M squared at each level) turns every e_p into the true end state;
 *   4. every chunk runs again from its true start state, writing y, and
 *      the last one zf.
 *
 * That is twice the arithmetic of the plain recurrence on rows * P
 * threads instead of rows, and rounds like it: the scan adds terms that
 * decay as the filter's impulse response does.  Steps 2 and 3 run in
 * double precision for float data too (Wide<T>), as the host combines its
 * segments' states: a float A^L taken step by step, then squared, is off
 * by L eps for a pole near 1, more than the recurrence's own rounding;
 * the powers of step 3 are squared in double-double (see k_square).
 * Each step is a launch of its own on the thread's stream, so no kernel
 * synchronizes a block.
 *
 * Chunks are only as good as the powers of A are tame.  Those of a
 * (b, a) band-pass's companion matrix pass through entries near 1e6
 * before they decay (butter(4, [35, 350], 'band', fs=4096)): squaring them
 * loses everything (A^1024 squared out of A^256 is 1e17; it is 0.04), and
 * even exact powers amplify the rounding of a chunk's start state a
 * millionfold (3e-8 off the serial recurrence).  So the zero-input
 * response from every unit state is followed first (k_decay): if it ever
 * passes XPC_FILT_MAX, one thread runs each row, as the host provider
 * runs such a row serially.  That bound is lfilter's: in (b, a) form the
 * states carry sums far larger than the output.  Sections keep theirs at
 * the output's scale (butter(8, 0.05) as sos passes 1e7 on the way, and
 * chunks are 5e-15 off), so sosfilt only asks for a finite response.
 * If it falls below XPC_FILT_ZERO within D
 * steps and chunks can be at least D long, a chunk's true start state is
 * the previous chunk's end state from zero, and steps 2 and 3 are skipped.
 * Otherwise the scan runs, when M and its squares stay below XPC_FILT_MAX
 * too (checked on the host, S x S values).
 *
 * A thread keeps its state and the coefficients in registers when the
 * filter has at most XPC_FILT_REGS states (every loop over them is
 * unrolled to that bound, so no index is left to run time); longer ones,
 * FIR filters mostly, keep the state in scratch memory laid out so that
 * the threads of a warp touch neighbouring addresses.  Real data run in
 * real arithmetic, complex data in complex.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cuda_runtime.h>
#include "cuda.h"
#include "cuda_device.h"
#include "xp_real_view.h"

#ifndef XPC_FILT_REGS
#define XPC_FILT_REGS 16        /* most states held in registers */
#endif

/* ---- values: R for real data, cx<R> for complex ------------------------ */

/* The host and SciPy round each product and sum of a recurrence on its
 * own.  nvcc would fuse b x + z into one multiply-add, and an
 * ill-conditioned recurrence (the (b, a) band-pass above) carries that
 * difference from 1e-16 up to 1e-9; the _rn intrinsics are never fused. */
__device__ __forceinline__ double mul_(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ double add_(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ double sub_(double a, double b) { return __dsub_rn(a, b); }
__device__ __forceinline__ float mul_(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ float add_(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ float sub_(float a, float b) { return __fsub_rn(a, b); }
/* (coefficient) x (value), in the host's order: re = pr qr - pi qi,
 * im = pr qi + pi qr */
template <class R> __device__ __forceinline__ cx<R> mul_(cx<R> p, cx<R> q)
{
    return mk(sub_(mul_(p.re, q.re), mul_(p.im, q.im)), add_(mul_(p.re, q.im), mul_(p.im, q.re)));
}
template <class R> __device__ __forceinline__ cx<R> add_(cx<R> a, cx<R> b)
{
    return mk(add_(a.re, b.re), add_(a.im, b.im));
}
template <class R> __device__ __forceinline__ cx<R> sub_(cx<R> a, cx<R> b)
{
    return mk(sub_(a.re, b.re), sub_(a.im, b.im));
}
__device__ __forceinline__ double div_(double a, double b) { return a / b; }
__device__ __forceinline__ float div_(float a, float b) { return a / b; }
/* p / d as the host normalizes coefficients: parts by a real d, else
 * p conj(d) / |d|^2 */
template <class R> __device__ __forceinline__ cx<R> div_(cx<R> p, cx<R> d)
{
    if (d.im == 0)
        return mk(p.re / d.re, p.im / d.re);
    R den = add_(mul_(d.re, d.re), mul_(d.im, d.im));
    return mk(add_(mul_(p.re, d.re), mul_(p.im, d.im)) / den,
              sub_(mul_(p.im, d.re), mul_(p.re, d.im)) / den);
}

/* v as a value of t's type (imaginary part 0) */
__device__ __forceinline__ void set_real(double &t, double v) { t = v; }
__device__ __forceinline__ void set_real(float &t, double v) { t = (float)v; }
template <class R> __device__ __forceinline__ void set_real(cx<R> &t, double v) { t = mk((R)v, (R)0); }
template <class T> __device__ __forceinline__ T of_real(double v)
{
    T t;
    set_real(t, v);
    return t;
}

/* The type the chunked scan combines states in: double precision for
 * float data too, as the host provider combines its segments' states.
 * conv(t, v) stores v in t's type. */
template <class T> struct Wide {
    typedef double W;
};
template <class R> struct Wide<cx<R> > {
    typedef cx<double> W;
};
__device__ __forceinline__ void conv(double &t, double v) { t = v; }
__device__ __forceinline__ void conv(double &t, float v) { t = v; }
__device__ __forceinline__ void conv(float &t, double v) { t = (float)v; }
__device__ __forceinline__ void conv(float &t, float v) { t = v; }
template <class R, class Q> __device__ __forceinline__ void conv(cx<R> &t, cx<Q> v)
{
    conv(t.re, v.re);
    conv(t.im, v.im);
}

/* element off (in elements of T) of the array at base */
template <class R> __device__ __forceinline__ void ld(R &t, const char *base, int64_t off)
{
    t = ((const R *)base)[off];
}
template <class R> __device__ __forceinline__ void ld(cx<R> &t, const char *base, int64_t off)
{
    const R *p = (const R *)base + 2 * off;
    t = mk(p[0], p[1]);
}
template <class R> __device__ __forceinline__ void put(char *base, int64_t off, R v)
{
    ((R *)base)[off] = v;
}
template <class R> __device__ __forceinline__ void put(char *base, int64_t off, cx<R> v)
{
    R *p = (R *)base + 2 * off;
    p[0] = v.re;
    p[1] = v.im;
}
template <class T> __device__ __forceinline__ T ldv(const char *base, int64_t off)
{
    T t;
    ld(t, base, off);
    return t;
}

/* the larger magnitude of the parts; infinite for NaN */
__device__ __forceinline__ double big_of(double v) { return v != v ? INFINITY : fabs(v); }
__device__ __forceinline__ double big_of(float v) { return big_of((double)v); }
template <class R> __device__ __forceinline__ double big_of(cx<R> v)
{
    double a = big_of(v.re), b = big_of(v.im);
    return a > b ? a : b;
}

/* ---- where a thread's values live --------------------------------------- */

/* N values in registers (N > 0), or in memory at p[j * s] (N == 0). */
template <class T, int N> struct Vals {
    T v[N];
    __device__ __forceinline__ T &operator[](int64_t j) { return v[j]; }
};
template <class T> struct Vals<T, 0> {
    T *p;
    int64_t s;
    __device__ __forceinline__ T &operator[](int64_t j) { return p[j * s]; }
};

/* The bound of a loop over n of the values of a Vals<., N>: N itself when
 * they are registers, so that the loop unrolls (it breaks at n). */
#define UPTO(N, n) ((N) ? (int64_t)(N) : (int64_t)(n))
/* for (j = 0; j < S; j++) over the states of machine type M, unrolled to
 * its capacity when they are registers */
#define FOR_STATES(j, M, S) \
    _Pragma("unroll") for (int64_t j = 0; j < UPTO(M::cap, S); j++) if (j >= (S)) break; else

/* ---- the two recurrences ------------------------------------------------ */

/* Each is a descriptor (what the kernels take: the normalized coefficients
 * on the device) and a machine built from it in each thread, with N
 * states in registers (0: in memory at zmem[j * zs]). */

/* lfilter: co = B[0..K] then A[0..K], normalized by a[0]; fir: len(a) == 1,
 * whose a terms are left out as the host leaves them (an inf input stays
 * local, as in SciPy's convolution). */
template <class T> struct LfDesc {
    /* chunks need every state from a unit one below XPC_FILT_MAX (see
     * the top) */
    static constexpr bool bounded_peak = true;
    const T *co;
    int64_t K;
    int fir;
    __host__ __device__ int64_t nstate() const { return K; }
    __host__ __device__ int64_t ncoef() const { return 2 * (K + 1); }
    /* the same filter over coefficients c of another type */
    template <class U> LfDesc<U> with(const U *c) const
    {
        LfDesc<U> e;
        e.co = c;
        e.K = K;
        e.fir = fir;
        return e;
    }
};

template <class T, int N> struct Lf {
    static const int cap = N;
    template <class U> using with = Lf<U, N>;
    Vals<T, N ? N + 1 : 0> b, a, z;
    int64_t K;
    int fir;
    __device__ __forceinline__ Lf(const LfDesc<T> &d, T *zmem, int64_t zs) : K(d.K), fir(d.fir)
    {
        if constexpr (N > 0) {
#pragma unroll
            for (int64_t i = 0; i <= N; i++) {
                if (i > K)
                    break;
                b[i] = d.co[i];
                a[i] = d.co[K + 1 + i];
            }
        } else {
            b.p = (T *)d.co;
            b.s = 1;
            a.p = (T *)d.co + K + 1;
            a.s = 1;
            z.p = zmem;
            z.s = zs;
        }
    }
    __device__ __forceinline__ int64_t nstate() const { return K; }
    /* y = z0 + b0 x; z[k] = (z[k+1] + b[k+1] x) - a[k+1] y; z[K-1] = b[K] x - a[K] y */
    __device__ __forceinline__ T step(T v)
    {
        if (K == 0)
            return mul_(b[0], v);
        T out = add_(z[0], mul_(b[0], v));
#pragma unroll
        for (int64_t i = 0; i < UPTO(N, K); i++) {
            if (i >= K)
                break;
            T t = mul_(b[i + 1], v);
            if (i + 1 < K)
                t = add_(z[i + 1], t);
            z[i] = fir ? t : sub_(t, mul_(a[i + 1], out));
        }
        return out;
    }
};

/* sosfilt: co[s*5 + 0..4] = b0 b1 b2 a1 a2 of section s, normalized. */
template <class T> struct SosDesc {
    /* sections' states are of the output's scale: no bound on the way */
    static constexpr bool bounded_peak = false;
    const T *co;
    int64_t nsec;
    __host__ __device__ int64_t nstate() const { return 2 * nsec; }
    __host__ __device__ int64_t ncoef() const { return 5 * nsec; }
    template <class U> SosDesc<U> with(const U *c) const
    {
        SosDesc<U> e;
        e.co = c;
        e.nsec = nsec;
        return e;
    }
};

template <class T, int N> struct Sos {
    static const int cap = N;
    template <class U> using with = Sos<U, N>;
    Vals<T, N / 2 * 5> c;
    Vals<T, N> z;
    int64_t nsec;
    __device__ __forceinline__ Sos(const SosDesc<T> &d, T *zmem, int64_t zs) : nsec(d.nsec)
    {
        if constexpr (N > 0) {
#pragma unroll
            for (int64_t i = 0; i < N / 2 * 5; i++) {
                if (i >= 5 * nsec)
                    break;
                c[i] = d.co[i];
            }
        } else {
            c.p = (T *)d.co;
            c.s = 1;
            z.p = zmem;
            z.s = zs;
        }
    }
    __device__ __forceinline__ int64_t nstate() const { return 2 * nsec; }
    /* per section, v <- y after each:
     * y = b0 v + z0; z0 = (b1 v - a1 y) + z1; z1 = b2 v - a2 y */
    __device__ __forceinline__ T step(T v)
    {
#pragma unroll
        for (int64_t s = 0; s < UPTO(N / 2, nsec); s++) {
            if (s >= nsec)
                break;
            T y = add_(mul_(c[5 * s], v), z[2 * s]);
            z[2 * s] = add_(sub_(mul_(c[5 * s + 1], v), mul_(c[5 * s + 3], y)), z[2 * s + 1]);
            z[2 * s + 1] = sub_(mul_(c[5 * s + 2], v), mul_(c[5 * s + 4], y));
            v = y;
        }
        return v;
    }
};

/* Where x, y and the states are.  State j of a row sits at j * s0 (lfilter)
 * or (j / 2) * s0 + (j % 2) * s1 (sosfilt's [nsec, 2]). */
struct SigIO {
    const char *x;
    Desc bx;
    int64_t xs;
    char *y;
    Desc by;
    int64_t ys, len;
};

struct StateIO {
    const char *zi;
    Desc bzi;
    int64_t zi0, zi1;
    char *zf;
    Desc bzf;
    int64_t zf0, zf1;
    int pairs;
};

__device__ __forceinline__ int64_t state_off(int64_t j, int64_t s0, int64_t s1, int pairs)
{
    return pairs ? (j >> 1) * s0 + (j & 1) * s1 : j * s0;
}

/* m's state: zero, unit state u, or from[0..S) (from may be NULL: zero;
 * of T or of Wide<T>). */
template <class T, class M, class F>
__device__ __forceinline__ void set_state(M &m, int64_t u, const F *from)
{
    int64_t S = m.nstate();
    FOR_STATES(j, M, S) {
        if (from)
            conv(m.z[j], from[j]);
        else
            m.z[j] = of_real<T>(j == u);
    }
}

/* m's state from row r of zi (zero without zi) */
template <class T, class M>
__device__ __forceinline__ void start_state(M &m, const StateIO &st, int64_t r)
{
    if (!st.zi) {
        set_state<T>(m, -1, (const T *)NULL);
        return;
    }
    int64_t S = m.nstate(), o = row_off(st.bzi, r);
    FOR_STATES(j, M, S) {
        m.z[j] = ldv<T>(st.zi, o + state_off(j, st.zi0, st.zi1, st.pairs));
    }
}

/* m's state into row r of zf (if any) */
template <class T, class M>
__device__ __forceinline__ void end_state(M &m, const StateIO &st, int64_t r)
{
    if (!st.zf)
        return;
    int64_t S = m.nstate(), o = row_off(st.bzf, r);
    FOR_STATES(j, M, S) {
        put(st.zf, o + state_off(j, st.zf0, st.zf1, st.pairs), m.z[j]);
    }
}

/* The largest magnitude in m's state; infinite when one is NaN or inf. */
template <class M> __device__ __forceinline__ double state_big(M &m)
{
    int64_t S = m.nstate();
    double big = 0;
    FOR_STATES(k, M, S) {
        double v = big_of(m.z[k]);
        big = v > big ? v : big;
    }
    return big;
}

/* m's state into to[0..S) (of T or of Wide<T>) */
template <class M, class F> __device__ __forceinline__ void save_state(M &m, F *to)
{
    int64_t S = m.nstate();
    FOR_STATES(j, M, S) {
        conv(to[j], m.z[j]);
    }
}

/* Ask L2 for the line at p ahead of its use: a row run by one thread has
 * few neighbours to hide DRAM latency behind.  A hint; nothing emulated. */
__device__ __forceinline__ void prefetch_l2(const void *p)
{
#ifndef XP_CUDA_EMULATED
    asm volatile("prefetch.global.L2 [%0];" ::"l"(p));
#endif
}

/* Samples [n0, n1) of row r through m; y written when write is set.  A GPU
 * thread issues in order and a row run by one thread has few neighbours
 * to hide memory latency behind, so samples come SPAN at a time, each
 * span's loads issued before the previous span is filtered (and after
 * that span's samples were read: y may be x), and L2 is asked for the
 * samples PREFETCH_AHEAD on. */
#define SPAN 8
#define PREFETCH_AHEAD 512
template <class T, class M>
__device__ __forceinline__ void run_span(M &m, const SigIO &io, int64_t r, int64_t n0,
                                         int64_t n1, int write)
{
    int64_t xo = row_off(io.bx, r), yo = row_off(io.by, r), n = n0;
    T v[SPAN], w[SPAN];
    if (n + SPAN <= n1) {
#pragma unroll
        for (int q = 0; q < SPAN; q++)
            v[q] = ldv<T>(io.x, xo + (n + q) * io.xs);
    }
    for (; n + SPAN <= n1; n += SPAN) {
        int more = n + 2 * SPAN <= n1;
        if (more) {
#pragma unroll
            for (int q = 0; q < SPAN; q++)
                w[q] = ldv<T>(io.x, xo + (n + SPAN + q) * io.xs);
        }
        if (n + PREFETCH_AHEAD < n1)
            prefetch_l2((const T *)io.x + xo + (n + PREFETCH_AHEAD) * io.xs);
#pragma unroll
        for (int q = 0; q < SPAN; q++) {
            T out = m.step(v[q]);
            if (write)
                put(io.y, yo + (n + q) * io.ys, out);
        }
        if (more) {
#pragma unroll
            for (int q = 0; q < SPAN; q++)
                v[q] = w[q];
        }
    }
    for (; n < n1; n++) {
        T out = m.step(ldv<T>(io.x, xo + n * io.xs));
        if (write)
            put(io.y, yo + n * io.ys, out);
    }
}

/* ---- one thread per row ------------------------------------------------- */

/* mem: the states when M keeps them in memory, state j of row r at
 * mem[j * rows + r] */
template <class T, class M, class D>
__global__ void k_rows(D d, SigIO io, StateIO st, int64_t rows, T *mem)
{
    GRID_LOOP(r, rows) {
        M m(d, mem + r, rows);
        start_state<T>(m, st, r);
        run_span<T>(m, io, r, 0, io.len, 1);
        end_state<T>(m, st, r);
    }
}

/* ---- the chunked scan --------------------------------------------------- */

/* The start state of chunk p of row r: zi's (or zero) for the first chunk,
 * else prev's (the previous chunk's end state, of Wide<T>), or zero
 * without prev. */
template <class T, class M, class W>
__device__ __forceinline__ void chunk_start(M &m, const StateIO &st, int64_t r, int64_t p,
                                            const W *prev)
{
    if (p == 0)
        start_state<T>(m, st, r);
    else
        set_state<T>(m, -1, prev);
}

/* *flag = 0; one thread. */
__global__ void k_clear(int *flag)
{
    *flag = 0;
}

/* v[0..n) = 0; one thread (n is S x S). */
template <class W> __global__ void k_clear_n(W *v, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        v[i] = of_real<W>(0);
}

/* 1: E[(r P + p) S ...] = end state of chunk p of row r from a zero state
 * (chunk 0 from zi); *bad = 1 where one is not finite (every such thread
 * writes the same value). */
template <class T, class M, class D, class W>
__global__ void k_chunk_ends(D d, SigIO io, StateIO st, int64_t rows, int64_t L, int64_t P,
                             W *E, T *mem, int *bad)
{
    int64_t S = d.nstate();
    GRID_LOOP(i, rows * P) {
        int64_t r = i / P, p = i % P, n0 = p * L;
        M m(d, mem + i, rows * P);
        chunk_start<T>(m, st, r, p, (const W *)NULL);
        run_span<T>(m, io, r, n0, n0 + L < io.len ? n0 + L : io.len, 0);
        save_state(m, E + i * S);
        if (!(state_big(m) < INFINITY))
            *bad = 1;
    }
}

/* 2: column j of Mt (S x S, row-major) = L zero-input steps from unit
 * state j; run in Wide<T> (M, D and T are the wide machine's). */
template <class T, class M, class D>
__global__ void k_transition(D d, int64_t L, T *Mt, T *mem)
{
    int64_t S = d.nstate();
    GRID_LOOP(j, S) {
        M m(d, mem + j, S);
        set_state<T>(m, j, (const T *)NULL);
        for (int64_t n = 0; n < L; n++)
            m.step(of_real<T>(0));
        FOR_STATES(k, M, S) {
            Mt[k * S + j] = m.z[k];
        }
    }
}

/* 3, one level: out[r, p] = in[r, p] + Mt in[r, p - d] where p >= d; one
 * thread per state value. */
template <class T>
__global__ void k_scan_level(const T *in, T *out, const T *Mt, int64_t S, int64_t P, int64_t d,
                             int64_t rows)
{
    GRID_LOOP(i, rows * P * S) {
        int64_t k = i % S, q = i / S;
        T v = in[i];
        if (q % P >= d) {
            const T *prev = in + (q - d) * S, *m = Mt + k * S;
            for (int64_t j = 0; j < S; j++)
                v = add_(v, mul_(m[j], prev[j]));
        }
        out[i] = v;
    }
}

/* ---- double-double, for the transition's powers -------------------------
 * Squared in double, a transition whose eigenvalues sit near 1 loses a
 * digit or so a level: ellip(8, 1, 60, 0.002) as sections on 2^20 samples
 * (12 levels) came out 1.1e-9 off SciPy, whose own rounding is 2e-12.  So
 * the powers are kept as hi + lo, each product made exact by a fused
 * multiply-add (the one place one belongs here), and only the first
 * power's own rounding grows with the levels. */
struct dd {
    double hi, lo;
};
__device__ __forceinline__ dd dd_of(double hi, double lo)
{
    dd r;
    r.hi = hi;
    r.lo = lo;
    return r;
}
/* s + e with |e| small against s, renormalized */
__device__ __forceinline__ dd dd_norm(double s, double e)
{
    double h = __dadd_rn(s, e);
    return dd_of(h, __dsub_rn(e, __dsub_rn(h, s)));
}
__device__ __forceinline__ dd dd_add(dd a, dd b)
{
    double s = __dadd_rn(a.hi, b.hi), bb = __dsub_rn(s, a.hi);
    double e = __dadd_rn(__dsub_rn(a.hi, __dsub_rn(s, bb)), __dsub_rn(b.hi, bb));
    return dd_norm(s, __dadd_rn(e, __dadd_rn(a.lo, b.lo)));
}
__device__ __forceinline__ dd dd_mul(dd a, dd b)
{
    double p = __dmul_rn(a.hi, b.hi), e = __fma_rn(a.hi, b.hi, -p);
    return dd_norm(p, __dadd_rn(e, __dadd_rn(__dmul_rn(a.hi, b.lo), __dmul_rn(a.lo, b.hi))));
}
__device__ __forceinline__ dd dd_neg(dd a) { return dd_of(-a.hi, -a.lo); }

/* acc += a b on values of W held as (hi, lo) pairs of W */
__device__ __forceinline__ void dd_muladd(dd *acc, double ah, double al, double bh, double bl)
{
    acc[0] = dd_add(acc[0], dd_mul(dd_of(ah, al), dd_of(bh, bl)));
}
__device__ __forceinline__ void dd_muladd(dd *acc, cx<double> ah, cx<double> al, cx<double> bh,
                                          cx<double> bl)
{
    dd ar = dd_of(ah.re, al.re), ai = dd_of(ah.im, al.im);
    dd br = dd_of(bh.re, bl.re), bi = dd_of(bh.im, bl.im);
    acc[0] = dd_add(acc[0], dd_add(dd_mul(ar, br), dd_neg(dd_mul(ai, bi))));
    acc[1] = dd_add(acc[1], dd_add(dd_mul(ar, bi), dd_mul(ai, br)));
}
__device__ __forceinline__ void dd_put(const dd *acc, double *h, double *l)
{
    *h = acc[0].hi;
    *l = acc[0].lo;
}
__device__ __forceinline__ void dd_put(const dd *acc, cx<double> *h, cx<double> *l)
{
    *h = mk(acc[0].hi, acc[1].hi);
    *l = mk(acc[0].lo, acc[1].lo);
}

/* (M2, L2) = (Mt + Lt)^2 in double-double: W's high and low parts. */
template <class W>
__global__ void k_square(const W *Mt, const W *Lt, W *M2, W *L2, int64_t S)
{
    GRID_LOOP(i, S * S) {
        int64_t a = i / S, b = i % S;
        dd acc[2] = {dd_of(0, 0), dd_of(0, 0)};
        for (int64_t j = 0; j < S; j++)
            dd_muladd(acc, Mt[a * S + j], Lt[a * S + j], Mt[j * S + b], Lt[j * S + b]);
        dd_put(acc, M2 + i, L2 + i);
    }
}

/* 4: chunk p again from its true start state (E of chunk p - 1, rounded
 * to T), writing y; the last chunk leaves zf. */
template <class T, class M, class D, class W>
__global__ void k_chunk_run(D d, SigIO io, StateIO st, int64_t rows, int64_t L, int64_t P,
                            const W *E, T *mem)
{
    int64_t S = d.nstate();
    GRID_LOOP(i, rows * P) {
        int64_t r = i / P, p = i % P, n0 = p * L;
        M m(d, mem + i, rows * P);
        chunk_start<T>(m, st, r, p, p ? E + (i - 1) * S : (const W *)NULL);
        run_span<T>(m, io, r, n0, n0 + L < io.len ? n0 + L : io.len, 1);
        if (p == P - 1)
            end_state<T>(m, st, r);
    }
}

/* out[0..n) = in[0..n) in W's type */
template <class T, class W> __global__ void k_widen(const T *in, W *out, int64_t n)
{
    GRID_LOOP(i, n) {
        conv(out[i], in[i]);
    }
}

#define XPC_FILT_ZERO 1e-30     /* a state this small is forgotten */
#define XPC_FILT_MAX 1e3        /* powers of A larger than this: no scan */
#define XPC_FILT_PROBE 65536    /* most zero-input steps k_decay runs */

/* nd[j] = the zero-input steps (a multiple of 16) after which the state
 * from unit state j is below XPC_FILT_ZERO in every entry, or nmax + 1
 * when that takes longer; pk[j] = the largest entry on the way (infinite
 * for NaN).  Stops early once pk[j] is infinite or, for a bounded peak,
 * passes XPC_FILT_MAX. */
template <class T, class M, class D>
__global__ void k_decay(D d, int64_t nmax, T *mem, int64_t *nd, double *pk)
{
    int64_t S = d.nstate();
    const double cap = D::bounded_peak ? XPC_FILT_MAX : INFINITY;
    GRID_LOOP(j, S) {
        M m(d, mem + j, S);
        set_state<T>(m, j, (const T *)NULL);
        int64_t found = nmax + 1;
        double peak = 1;
        for (int64_t n = 1; n <= nmax && peak <= cap && peak < INFINITY; n++) {
            m.step(of_real<T>(0));
            double big = state_big(m);
            peak = big > peak ? big : peak;
            if (n % 16 == 0 && big < XPC_FILT_ZERO) {
                found = n;
                break;
            }
        }
        nd[j] = found;
        pk[j] = peak;
    }
}

/* ---- running a filter --------------------------------------------------- */

/* A value type's real type and parts (host side too). */
template <class T> struct Parts {
    typedef T R;
    static const int n = 1;
};
template <class R_> struct Parts<cx<R_> > {
    typedef R_ R;
    static const int n = 2;
};

/* Whether Mt (S x S, on the device) and its squares up to Mt^(2^levels)
 * stay finite and below XPC_FILT_MAX: read back and squared on the host. */
template <class T>
static int scan_is_tame(const char *fn, const T *Mt, int64_t S, int levels, int *tame)
{
    typedef typename Parts<T>::R R;
    const int np = Parts<T>::n;
    size_t nn = (size_t)(S * S);
    R *h = (R *)malloc(nn * sizeof(T));
    double *a = (double *)malloc(4 * nn * sizeof *a);
    if (!h || !a) {
        free(h);
        free(a);
        return xpc_error(XP_ENOMEM, "%s: out of host memory", fn);
    }
    int rc = xpc_to_host(fn, h, Mt, nn * sizeof(T));
    double *re = a, *im = a + nn, *t = a + 2 * nn;
    for (size_t i = 0; i < nn; i++) {
        re[i] = (double)h[i * np];
        im[i] = np == 2 ? (double)h[i * np + 1] : 0.0;
    }
    *tame = 1;
    for (int lev = 0; !rc && *tame; lev++) {
        for (size_t i = 0; i < nn && *tame; i++)
            *tame = fabs(re[i]) <= XPC_FILT_MAX && fabs(im[i]) <= XPC_FILT_MAX;
        if (lev == levels)
            break;
        for (int64_t r = 0; r < S; r++)          /* (re, im) <- (re, im)^2 */
            for (int64_t c = 0; c < S; c++) {
                double sr = 0, si = 0;
                for (int64_t k = 0; k < S; k++) {
                    double ar = re[r * S + k], ai = im[r * S + k];
                    double br = re[k * S + c], bi = im[k * S + c];
                    sr += ar * br - ai * bi;
                    si += ar * bi + ai * br;
                }
                t[r * S + c] = sr;
                t[nn + r * S + c] = si;
            }
        memcpy(re, t, 2 * nn * sizeof *re);
    }
    free(h);
    free(a);
    return rc;
}

/* Chunks per row: enough threads to fill a GPU (about 64 K in all), chunks
 * of at least 256 samples; 1 (the plain path) for many rows or no state. */
static int64_t chunks_for(int64_t rows, int64_t len, int64_t S)
{
    if (S == 0 || rows >= 4096)
        return 1;
    int64_t P = ((int64_t)1 << 16) / rows, most = len / 256;
    if (P > most)
        P = most;
    return P >= 4 ? P : 1;
}

/* Scratch for n threads' states when M keeps them in memory (*mem stays
 * NULL when they are registers). */
template <class T, class M>
static int state_scratch(const char *fn, int64_t n, int64_t S, void **mem)
{
    *mem = NULL;
    return M::cap || n * S == 0 ? XP_OK : xpc_scratch(fn, (size_t)(n * S) * sizeof(T), mem);
}

template <class T, class M, class D>
static int run_rows(const char *fn, const D &d, const SigIO &io, const StateIO &st, int64_t rows)
{
    void *mem = NULL;
    int rc = state_scratch<T, M>(fn, rows, d.nstate(), &mem);
    if (rc)
        return rc;
    XPC_LAUNCH(blocks_for(rows), NT, k_rows<T, M, D>)(d, io, st, rows, (T *)mem);
    rc = finish(fn);
    xpc_scratch_free(mem);
    return rc;
}

/* The filter's decay length *Dl (see k_decay; more than nmax if longer)
 * and the largest state entry *Tp on the way from a unit state. */
template <class T, class M, class D>
static int decay_length(const char *fn, const D &d, int64_t nmax, int64_t *Dl, double *Tp)
{
    int64_t S = d.nstate();
    void *mem = NULL, *nd = NULL, *pk = NULL;
    int64_t *h = (int64_t *)malloc((size_t)S * sizeof *h);
    double *hp = (double *)malloc((size_t)S * sizeof *hp);
    int rc = h && hp ? XP_OK : xpc_error(XP_ENOMEM, "%s: out of host memory", fn);
    if (!rc)
        rc = state_scratch<T, M>(fn, S, S, &mem);
    if (!rc)
        rc = xpc_scratch(fn, (size_t)S * sizeof(int64_t), &nd);
    if (!rc)
        rc = xpc_scratch(fn, (size_t)S * sizeof(double), &pk);
    if (!rc) {
        XPC_LAUNCH(blocks_for(S), NT, k_decay<T, M, D>)(d, nmax, (T *)mem, (int64_t *)nd,
                                                        (double *)pk);
        rc = finish(fn);
    }
    if (!rc)
        rc = xpc_to_host(fn, h, nd, (size_t)S * sizeof *h);
    if (!rc)
        rc = xpc_to_host(fn, hp, pk, (size_t)S * sizeof *hp);
    *Dl = 0;
    *Tp = 0;
    for (int64_t j = 0; !rc && j < S; j++) {
        *Dl = h[j] > *Dl ? h[j] : *Dl;
        *Tp = hp[j] > *Tp ? hp[j] : *Tp;
    }
    xpc_scratch_free(mem);
    xpc_scratch_free(nd);
    xpc_scratch_free(pk);
    free(h);
    free(hp);
    return rc;
}

template <class T, class M, class D>
static int run_filter(const char *fn, const D &d, const SigIO &io, const StateIO &st,
                      int64_t rows)
{
    int64_t S = d.nstate(), P = chunks_for(rows, io.len, S), Dl = 0;
    int rc;
    if (P == 1)
        return run_rows<T, M>(fn, d, io, st, rows);
    int64_t L = (io.len + P - 1) / P, nmax = io.len / 2 < XPC_FILT_PROBE ? io.len / 2
                                                                           : XPC_FILT_PROBE;
    double Tp = 0;
    if ((rc = decay_length<T, M>(fn, d, nmax, &Dl, &Tp)))
        return rc;
    /* chunks would amplify rounding, or drop a NaN: serial */
    if (!(Tp < INFINITY) || (D::bounded_peak && !(Tp <= XPC_FILT_MAX)))
        return run_rows<T, M>(fn, d, io, st, rows);
    int forgets = Dl <= nmax;
    if (forgets && Dl > L)
        L = Dl;                 /* chunks no shorter than the filter's memory */
    P = (io.len + L - 1) / L;
    if (P < 2)
        return run_rows<T, M>(fn, d, io, st, rows);
    /* In Wide<T>: E, E' (end states), Mt, Mt' (transition powers), the
     * coefficients and the transition's states; then a flag and the
     * threads' states (T). */
    typedef typename Wide<T>::W W;
    typedef typename M::template with<W> MW;
    enum { NBUF = 9 };
    void *buf[NBUF] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}, *mem = NULL;
    size_t nE = (size_t)(rows * P * S) * sizeof(W), nM = (size_t)(S * S) * sizeof(W);
    size_t nC = (size_t)d.ncoef() * sizeof(W);
    for (int k = 0; k < 4 && !rc; k++)
        if (k < 1 || !forgets)
            rc = xpc_scratch(fn, k < 2 ? nE : nM, &buf[k]);
    if (!rc && !forgets)
        rc = xpc_scratch(fn, nC, &buf[4]);
    if (!rc && !forgets)
        rc = state_scratch<W, MW>(fn, S, S, &buf[5]);
    for (int k = 7; k < 9 && !rc && !forgets; k++)     /* the powers' low parts */
        rc = xpc_scratch(fn, nM, &buf[k]);
    if (!rc)
        rc = xpc_scratch(fn, sizeof(int), &buf[6]);
    if (!rc)
        rc = state_scratch<T, M>(fn, rows * P, S, &mem);
    W *E = (W *)buf[0], *E2 = (W *)buf[1], *Mt = (W *)buf[2], *M2 = (W *)buf[3];
    W *Lt = (W *)buf[7], *L2 = (W *)buf[8];
    int bad = 0, tame = 1;
    if (!rc) {
        XPC_LAUNCH(1, 1, k_clear)((int *)buf[6]);
        XPC_LAUNCH(blocks_for(rows * P), NT, k_chunk_ends<T, M, D, W>)(d, io, st, rows, L, P,
                                                                       E, (T *)mem,
                                                                       (int *)buf[6]);
        if (!(rc = finish(fn)))
            rc = xpc_to_host(fn, &bad, buf[6], sizeof bad);
    }
    /* A NaN or inf stays in the serial recurrence's state for good (0 NaN is
     * NaN), which chunks that forget their start, or mix it through the
     * transition's powers, would not reproduce: such a call runs serially
     * (nothing is written yet: y may be x). */
    int levels = 0;
    for (int64_t gap = 1; 2 * gap < P; gap *= 2)
        levels++;
    if (!rc && !bad && !forgets) {
        int64_t nc = d.ncoef();
        XPC_LAUNCH(blocks_for(nc), NT, k_widen<T, W>)(d.co, (W *)buf[4], nc);
        typedef decltype(d.with((const W *)NULL)) DW;
        DW dw = d.with((const W *)buf[4]);
        XPC_LAUNCH(blocks_for(S), NT, k_transition<W, MW, DW>)(dw, L, Mt, (W *)buf[5]);
        rc = finish(fn);
        if (!rc)
            rc = scan_is_tame<W>(fn, Mt, S, levels, &tame);
    }
    if (!rc && (bad || !tame)) {
        for (int k = 0; k < NBUF; k++)
            xpc_scratch_free(buf[k]);
        xpc_scratch_free(mem);
        return run_rows<T, M>(fn, d, io, st, rows);
    }
    if (!rc && !forgets) {
        for (int64_t gap = 1; !rc && gap < P; gap *= 2) {
            XPC_LAUNCH(blocks_for(rows * P * S), NT, k_scan_level<W>)(E, E2, Mt, S, P, gap,
                                                                      rows);
            W *t = E;
            E = E2;
            E2 = t;
            if (2 * gap < P) {
                if (gap == 1)       /* the first power's low part: zero */
                    XPC_LAUNCH(1, 1, k_clear_n<W>)(Lt, S * S);
                XPC_LAUNCH(blocks_for(S * S), NT, k_square<W>)(Mt, Lt, M2, L2, S);
                t = Mt;
                Mt = M2;
                M2 = t;
                t = Lt;
                Lt = L2;
                L2 = t;
            }
        }
    }
    if (!rc) {
        XPC_LAUNCH(blocks_for(rows * P), NT, k_chunk_run<T, M, D, W>)(d, io, st, rows, L, P, E,
                                                                      (T *)mem);
        rc = finish(fn);
    }
    for (int k = 0; k < NBUF; k++)
        xpc_scratch_free(buf[k]);
    xpc_scratch_free(mem);
    return rc;
}

/* The machine for d: states in registers when there are few enough (half
 * as many for complex values, which take two registers each), else in
 * memory. */
template <class T, template <class, int> class Mach, class D>
static int run_any(const char *fn, const D &d, const SigIO &io, const StateIO &st,
                   int64_t rows)
{
    const int cap = Parts<T>::n == 2 ? XPC_FILT_REGS / 2 : XPC_FILT_REGS;
    if (d.nstate() <= cap)
        return run_filter<T, Mach<T, cap> >(fn, d, io, st, rows);
    return run_filter<T, Mach<T, 0> >(fn, d, io, st, rows);
}

/* ---- argument checks ---------------------------------------------------- */

/* Whether the element at device address p (dtype dt) is zero; read back,
 * since a[0] and the sections' a0 are checked before any launch. */
static int element_is_zero(const char *fn, const char *p, int dt, int *zero)
{
    union {
        double d[2];
        float f[2];
    } v = {{0, 0}};
    int rc = xpc_to_host(fn, &v, p, xpc_dtype_size(dt));
    if (!rc)
        *zero = IS64(dt) ? v.d[0] == 0 && (!ISC(dt) || v.d[1] == 0)
                         : v.f[0] == 0 && (!ISC(dt) || v.f[1] == 0);
    return rc;
}

static int state_shape(const char *fn, const DLTensor *s, const DLTensor *x, int extra,
                       const int64_t *last, const char *name)
{
    int nb = x->ndim - 1;
    int ok = s->ndim == nb + extra;
    for (int i = 0; ok && i < nb; i++)
        ok = s->shape[i] == x->shape[i];
    for (int i = 0; ok && i < extra; i++)
        ok = s->shape[nb + i] == last[i];
    return ok ? XP_OK : xpc_error(XP_ESHAPE, "%s: %s must have x's batch shape plus [%lld%s",
                                  fn, name, (long long)last[0], extra > 1 ? ", 2]" : "]");
}

/* x, y and the states' places; rows = the batch size. */
static void describe(const DLTensor *x, const DLTensor *y, const DLTensor *zi,
                     const DLTensor *zf, int pairs, int dt, SigIO *io, StateIO *st,
                     int64_t *rows)
{
    int nbd = x->ndim - 1;
    *rows = 1;
    for (int i = 0; i < nbd; i++)
        *rows *= x->shape[i];
    io->x = base_of(x);
    io->bx = desc_of(x, nbd);
    io->xs = x->strides[nbd];
    io->y = base_of(y);
    io->by = desc_of(y, nbd);
    io->ys = y->strides[nbd];
    io->len = x->shape[nbd];
    *st = StateIO();
    st->pairs = pairs;
    if (zi) {
        st->zi = base_of(zi);
        st->bzi = desc_of(zi, nbd);
        st->zi0 = zi->strides[nbd];
        st->zi1 = pairs ? zi->strides[nbd + 1] : 0;
    }
    if (zf) {
        st->zf = base_of(zf);
        st->bzf = desc_of(zf, nbd);
        st->zf0 = zf->strides[nbd];
        st->zf1 = pairs ? zf->strides[nbd + 1] : 0;
    }
}

/* Device scratch for n normalized coefficients of dtype dt. */
static int coef_scratch(const char *fn, int dt, int64_t n, void **coef)
{
    return xpc_scratch(fn, (size_t)n * xpc_dtype_size(dt), coef);
}

/* ---- complex data through a real filter ----------------------------------
 * With real coefficients the real and imaginary parts of complex data are
 * two independent real recurrences, as the host provider runs them (the
 * values complex arithmetic gives, with its 0 * im terms dropped: an inf
 * in one part leaves the other finite).  Each complex tensor is then seen
 * as its real parts with an axis of 2 (re, im) inserted before x's last
 * axis: one more batch axis (xp__dl_real_view). */

/* flag[0] = 0 when a value of complex t (coefficients: few) has a nonzero
 * imaginary part; one thread. */
template <class R> __global__ void k_imag_zero(const char *t, Desc d, int64_t n, int *flag)
{
    for (int64_t i = 0; i < n; i++)
        if (((const R *)t)[2 * offset_of(d, i) + 1] != 0) {
            *flag = 0;
            return;
        }
    *flag = 1;
}

/* *yes = whether every value of complex t (dtype dt) is real. */
static int imag_all_zero(const char *fn, const DLTensor *t, int dt, int *yes)
{
    void *flag = NULL;
    int h = 0, rc = xpc_scratch(fn, sizeof(int), &flag);
    if (rc)
        return rc;
    Desc d = desc_of(t, t->ndim);
    if (IS64(dt))
        XPC_LAUNCH(1, 1, k_imag_zero<double>)(base_of(t), d, xpc_numel(t), (int *)flag);
    else
        XPC_LAUNCH(1, 1, k_imag_zero<float>)(base_of(t), d, xpc_numel(t), (int *)flag);
    if (!(rc = finish(fn)))
        rc = xpc_to_host(fn, &h, flag, sizeof h);
    xpc_scratch_free(flag);
    *yes = h;
    return rc;
}

/* x, y, zi and zf as real, their views kept in v[0..3]: the (re, im) axis
 * goes before x's last axis, one more batch axis. */
static void data_as_real(const DLTensor **x, const DLTensor **y, const DLTensor **zi,
                         const DLTensor **zf, xp__real_view *v)
{
    int pos = (*x)->ndim - 1;
    *x = xp__dl_real_view(*x, pos, &v[0]);
    *y = xp__dl_real_view(*y, pos, &v[1]);
    *zi = xp__dl_real_view(*zi, pos, &v[2]);
    *zf = xp__dl_real_view(*zf, pos, &v[3]);
}

/* ---- lfilter ------------------------------------------------------------ */

/* Normalized coefficients: out[0..K] = b / a[0], out[K+1..2K+1] = a / a[0]
 * (zero padded); one thread. */
template <class T>
__global__ void k_lf_coef(const char *b, int64_t bs, int64_t nb, const char *a, int64_t as,
                          int64_t na, int64_t K, T *out)
{
    T a0 = ldv<T>(a, 0);
    for (int64_t i = 0; i <= K; i++) {
        T bi = i < nb ? ldv<T>(b, i * bs) : of_real<T>(0);
        T ai = i < na ? ldv<T>(a, i * as) : of_real<T>(0);
        out[i] = div_(bi, a0);
        out[K + 1 + i] = div_(ai, a0);
    }
}

template <class T>
static int lfilter_run(const DLTensor *b, const DLTensor *a, int64_t K, void *coef,
                       const SigIO &io, const StateIO &st, int64_t rows)
{
    LfDesc<T> d;
    d.co = (const T *)coef;
    d.K = K;
    d.fir = a->shape[0] == 1 && K > 0;
    XPC_LAUNCH(1, 1, k_lf_coef<T>)(base_of(b), b->strides[0], b->shape[0], base_of(a),
                                   a->strides[0], a->shape[0], K, (T *)coef);
    return run_any<T, Lf>("lfilter", d, io, st, rows);
}

extern "C" int xpc_lfilter(void *ctx, const DLTensor *b, const DLTensor *a, const DLTensor *x,
                           const DLTensor *zi, const DLTensor *y, const DLTensor *zf)
{
    const char *fn = "lfilter";
    int dt, d, rc;
    if ((rc = check_dt(fn, x, "x", &dt)) || (rc = check_dt(fn, y, "y", &d)))
        return rc;
    const DLTensor *all[] = {b, a, zi, y, zf};
    for (int i = 0; i < 5; i++)
        if (all[i] && xpc_dtype(all[i]) != dt)
            return xpc_error(XP_EDTYPE, "%s: b, a, x, zi, y and zf must share one dtype", fn);
    if (b->ndim != 1 || a->ndim != 1 || b->shape[0] < 1 || a->shape[0] < 1)
        return xpc_error(XP_ESHAPE, "%s: b and a must be 1-D and non-empty", fn);
    if (x->ndim < 1 || (rc = same_shape(fn, x, y, "x", "y")))
        return rc ? rc : xpc_error(XP_ESHAPE, "%s: x must have at least 1 dim", fn);
    int64_t nb = b->shape[0], na = a->shape[0], K = (nb > na ? nb : na) - 1;
    if ((zi && (rc = state_shape(fn, zi, x, 1, &K, "zi")))
        || (zf && (rc = state_shape(fn, zf, x, 1, &K, "zf"))))
        return rc;
    int zero = 0;
    if ((rc = element_is_zero(fn, base_of(a), dt, &zero)))
        return rc;
    if (zero)
        return xpc_error(XP_EINVAL, "%s: a[0] must not be zero", fn);
    int realb = 0, reala = 0;
    xp__real_view v[6];
    if (ISC(dt) && !(rc = imag_all_zero(fn, b, dt, &realb)) && realb
        && !(rc = imag_all_zero(fn, a, dt, &reala)) && reala) {
        b = xp__dl_real_view(b, -1, &v[4]);
        a = xp__dl_real_view(a, -1, &v[5]);
        data_as_real(&x, &y, &zi, &zf, v);
        dt -= 2;
    }
    if (rc)
        return rc;
    SigIO io;
    StateIO st;
    int64_t rows;
    void *coef = NULL;
    describe(x, y, zi, zf, 0, dt, &io, &st, &rows);
    if (rows == 0 || (rc = coef_scratch(fn, dt, 2 * (K + 1), &coef)))
        return rc;
    switch (dt) {
    case 0: rc = lfilter_run<float>(b, a, K, coef, io, st, rows); break;
    case 1: rc = lfilter_run<double>(b, a, K, coef, io, st, rows); break;
    case 2: rc = lfilter_run<cx<float> >(b, a, K, coef, io, st, rows); break;
    default: rc = lfilter_run<cx<double> >(b, a, K, coef, io, st, rows); break;
    }
    xpc_scratch_free(coef);
    return rc;
}

/* ---- sosfilt ------------------------------------------------------------ */

/* Sections normalized by a0: out[s*5 + 0..4] = b0 b1 b2 a1 a2. */
template <class T>
__global__ void k_sos_coef(const char *sos, int64_t s0, int64_t s1, int64_t nsec, T *out)
{
    const int idx[5] = {0, 1, 2, 4, 5};
    for (int64_t s = 0; s < nsec; s++) {
        T a0 = ldv<T>(sos, s * s0 + 3 * s1);
        for (int j = 0; j < 5; j++)
            out[s * 5 + j] = div_(ldv<T>(sos, s * s0 + idx[j] * s1), a0);
    }
}

template <class T>
static int sosfilt_run(const DLTensor *sos, void *coef, const SigIO &io, const StateIO &st,
                       int64_t rows)
{
    SosDesc<T> d;
    d.co = (const T *)coef;
    d.nsec = sos->shape[0];
    XPC_LAUNCH(1, 1, k_sos_coef<T>)(base_of(sos), sos->strides[0], sos->strides[1], d.nsec,
                                    (T *)coef);
    return run_any<T, Sos>("sosfilt", d, io, st, rows);
}

extern "C" int xpc_sosfilt(void *ctx, const DLTensor *sos, const DLTensor *x,
                           const DLTensor *zi, const DLTensor *y, const DLTensor *zf)
{
    const char *fn = "sosfilt";
    int dt, d, rc;
    if ((rc = check_dt(fn, x, "x", &dt)) || (rc = check_dt(fn, y, "y", &d)))
        return rc;
    const DLTensor *all[] = {sos, zi, y, zf};
    for (int i = 0; i < 4; i++)
        if (all[i] && xpc_dtype(all[i]) != dt)
            return xpc_error(XP_EDTYPE, "%s: sos, x, zi, y and zf must share one dtype", fn);
    if (sos->ndim != 2 || sos->shape[1] != 6 || sos->shape[0] < 1)
        return xpc_error(XP_ESHAPE, "%s: sos must be [nsec, 6] with nsec >= 1", fn);
    if (x->ndim < 1 || (rc = same_shape(fn, x, y, "x", "y")))
        return rc ? rc : xpc_error(XP_ESHAPE, "%s: x must have at least 1 dim", fn);
    int64_t nsec = sos->shape[0], last[2] = {nsec, 2};
    if ((zi && (rc = state_shape(fn, zi, x, 2, last, "zi")))
        || (zf && (rc = state_shape(fn, zf, x, 2, last, "zf"))))
        return rc;
    /* a0 of every section must be nonzero: read back (nsec elements) */
    for (int64_t k = 0; k < nsec; k++) {
        int64_t at = (k * sos->strides[0] + 3 * sos->strides[1]) * (int64_t)xpc_dtype_size(dt);
        int zero = 0;
        if ((rc = element_is_zero(fn, base_of(sos) + at, dt, &zero)))
            return rc;
        if (zero)
            return xpc_error(XP_EINVAL, "%s: sos[%lld, 3] (a0) must not be zero", fn,
                             (long long)k);
    }
    int real = 0;
    xp__real_view v[5];
    if (ISC(dt) && !(rc = imag_all_zero(fn, sos, dt, &real)) && real) {
        sos = xp__dl_real_view(sos, -1, &v[4]);
        data_as_real(&x, &y, &zi, &zf, v);
        dt -= 2;
    }
    if (rc)
        return rc;
    SigIO io;
    StateIO st;
    int64_t rows;
    void *coef = NULL;
    describe(x, y, zi, zf, 1, dt, &io, &st, &rows);
    if (rows == 0 || (rc = coef_scratch(fn, dt, 5 * nsec, &coef)))
        return rc;
    switch (dt) {
    case 0: rc = sosfilt_run<float>(sos, coef, io, st, rows); break;
    case 1: rc = sosfilt_run<double>(sos, coef, io, st, rows); break;
    case 2: rc = sosfilt_run<cx<float> >(sos, coef, io, st, rows); break;
    default: rc = sosfilt_run<cx<double> >(sos, coef, io, st, rows); break;
    }
    xpc_scratch_free(coef);
    return rc;
}
