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
 * decay as the filter's impulse response does.  Each step is a launch of
 * its own on the thread's stream, so no kernel synchronizes a block.
 *
 * Chunks are only as good as the powers of A are tame.  Those of a
 * (b, a) band-pass's companion matrix pass through entries near 1e6
 * before they decay (butter(4, [35, 350], 'band', fs=4096)): squaring them
 * loses everything (A^1024 squared out of A^256 is 1e17; it is 0.04), and
 * even exact powers amplify the rounding of a chunk's start state a
 * millionfold (3e-8 off the serial recurrence).  So the zero-input
 * response from every unit state is followed first (k_decay): if it ever
 * passes XPC_FILT_MAX, one thread runs each row, as the host provider
 * runs such a row serially.  If it falls below XPC_FILT_ZERO within D
 * steps and chunks can be at least D long, a chunk's true start state is
 * the previous chunk's end state from zero, and steps 2 and 3 are skipped.
 * Otherwise the scan runs, when M and its squares stay below XPC_FILT_MAX
 * too (checked on the host, S x S values).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cuda_runtime.h>
#include "cuda.h"
#include "cuda_device.h"

/* ---- the two recurrences ------------------------------------------------ */

/* lfilter: B[0..K], A[0..K] normalized by a[0] and zero padded. */
template <class R> struct LfSys {
    const cx<R> *B, *A;
    int64_t K;
    __device__ int64_t nstate() const { return K; }
    __device__ cx<R> step(cx<R> *z, cx<R> v) const
    {
        cx<R> out = B[0] * v + (K > 0 ? z[0] : mk((R)0, (R)0));
        for (int64_t i = 0; i + 1 < K; i++)
            z[i] = B[i + 1] * v + z[i + 1] - A[i + 1] * out;
        if (K > 0)
            z[K - 1] = B[K] * v - A[K] * out;
        return out;
    }
};

/* sosfilt: co[s*5 + 0..4] = b0 b1 b2 a1 a2 of section s, normalized. */
template <class R> struct SosSys {
    const cx<R> *co;
    int64_t nsec;
    __device__ int64_t nstate() const { return 2 * nsec; }
    __device__ cx<R> step(cx<R> *z, cx<R> v) const
    {
        for (int64_t s = 0; s < nsec; s++) {
            const cx<R> *k = co + s * 5;
            cx<R> out = k[0] * v + z[s * 2];
            z[s * 2] = k[1] * v + z[s * 2 + 1] - k[3] * out;
            z[s * 2 + 1] = k[2] * v - k[4] * out;
            v = out;
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
    int c;
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

template <class R>
__device__ void start_state(cx<R> *z, int64_t S, const StateIO &st, int64_t r, int c)
{
    int64_t o = st.zi ? row_off(st.bzi, r) : 0;
    for (int64_t j = 0; j < S; j++)
        z[j] = st.zi ? load<R, R>(st.zi, o + state_off(j, st.zi0, st.zi1, st.pairs), c)
                     : mk((R)0, (R)0);
}

template <class R>
__device__ void end_state(const cx<R> *z, int64_t S, const StateIO &st, int64_t r, int c)
{
    if (!st.zf)
        return;
    int64_t o = row_off(st.bzf, r);
    for (int64_t j = 0; j < S; j++)
        store<R, R>(st.zf, o + state_off(j, st.zf0, st.zf1, st.pairs), c, z[j]);
}

/* Samples [n0, n1) of row r through the recurrence from state z; y written
 * when write is set.  A GPU thread issues in order and a row's thread has
 * few neighbours to hide memory latency behind, so the samples are loaded
 * SPAN_AHEAD at a time before any is used (all before their outputs are
 * stored: y may be x). */
#define SPAN_AHEAD 8
template <class R, class Sys>
__device__ void run_span(const Sys &sys, const SigIO &io, int64_t r, int64_t n0, int64_t n1,
                         cx<R> *z, int write)
{
    int64_t xo = row_off(io.bx, r), yo = row_off(io.by, r), n = n0;
    for (; n + SPAN_AHEAD <= n1; n += SPAN_AHEAD) {
        cx<R> v[SPAN_AHEAD];
#pragma unroll
        for (int q = 0; q < SPAN_AHEAD; q++)
            v[q] = load<R, R>(io.x, xo + (n + q) * io.xs, io.c);
#pragma unroll
        for (int q = 0; q < SPAN_AHEAD; q++) {
            cx<R> out = sys.step(z, v[q]);
            if (write)
                store<R, R>(io.y, yo + (n + q) * io.ys, io.c, out);
        }
    }
    for (; n < n1; n++) {
        cx<R> out = sys.step(z, load<R, R>(io.x, xo + n * io.xs, io.c));
        if (write)
            store<R, R>(io.y, yo + n * io.ys, io.c, out);
    }
}

/* ---- one thread per row ------------------------------------------------- */

template <class R, class Sys>
__global__ void k_rows(Sys sys, SigIO io, StateIO st, int64_t rows, cx<R> *state)
{
    int64_t S = sys.nstate();
    GRID_LOOP(r, rows) {
        cx<R> *z = state + r * S;
        start_state(z, S, st, r, io.c);
        run_span<R>(sys, io, r, 0, io.len, z, 1);
        end_state(z, S, st, r, io.c);
    }
}

/* ---- the chunked scan --------------------------------------------------- */

/* The start state of chunk p of row r: zi's (or zero) for the first chunk,
 * else prev's (the previous chunk's end state), or zero without prev. */
template <class R>
__device__ void chunk_start(cx<R> *z, int64_t S, const StateIO &st, int64_t r, int64_t p,
                            const cx<R> *prev, int c)
{
    if (p == 0) {
        start_state(z, S, st, r, c);
        return;
    }
    for (int64_t j = 0; j < S; j++)
        z[j] = prev ? prev[j] : mk((R)0, (R)0);
}

/* 1: E[(r P + p) S ...] = end state of chunk p of row r from a zero state
 * (chunk 0 from zi). */
template <class R, class Sys>
__global__ void k_chunk_ends(Sys sys, SigIO io, StateIO st, int64_t rows, int64_t L, int64_t P,
                             cx<R> *E)
{
    int64_t S = sys.nstate();
    GRID_LOOP(i, rows * P) {
        int64_t r = i / P, p = i % P, n0 = p * L;
        cx<R> *z = E + i * S;
        chunk_start(z, S, st, r, p, (const cx<R> *)NULL, io.c);
        run_span<R>(sys, io, r, n0, n0 + L < io.len ? n0 + L : io.len, z, 0);
    }
}

/* 2: column j of M (S x S, row-major) = L zero-input steps from unit state j
 * (work: S x S scratch). */
template <class R, class Sys>
__global__ void k_transition(Sys sys, int64_t L, cx<R> *M, cx<R> *work)
{
    int64_t S = sys.nstate();
    GRID_LOOP(j, S) {
        cx<R> *z = work + j * S;
        for (int64_t k = 0; k < S; k++)
            z[k] = mk((R)(k == j), (R)0);
        for (int64_t n = 0; n < L; n++)
            sys.step(z, mk((R)0, (R)0));
        for (int64_t k = 0; k < S; k++)
            M[k * S + j] = z[k];
    }
}

/* 3, one level: out[r, p] = in[r, p] + M in[r, p - d] where p >= d; one
 * thread per state value. */
template <class R>
__global__ void k_scan_level(const cx<R> *in, cx<R> *out, const cx<R> *M, int64_t S, int64_t P,
                             int64_t d, int64_t rows)
{
    GRID_LOOP(i, rows * P * S) {
        int64_t k = i % S, q = i / S;
        cx<R> v = in[i];
        if (q % P >= d) {
            const cx<R> *prev = in + (q - d) * S, *m = M + k * S;
            for (int64_t j = 0; j < S; j++)
                v = v + m[j] * prev[j];
        }
        out[i] = v;
    }
}

/* M2 = M M. */
template <class R> __global__ void k_square(const cx<R> *M, cx<R> *M2, int64_t S)
{
    GRID_LOOP(i, S * S) {
        int64_t a = i / S, b = i % S;
        cx<R> v = mk((R)0, (R)0);
        for (int64_t j = 0; j < S; j++)
            v = v + M[a * S + j] * M[j * S + b];
        M2[i] = v;
    }
}

/* 4: chunk p again from its true start state (E of chunk p - 1), writing y;
 * the last chunk leaves zf. */
template <class R, class Sys>
__global__ void k_chunk_run(Sys sys, SigIO io, StateIO st, int64_t rows, int64_t L, int64_t P,
                            const cx<R> *E, cx<R> *state)
{
    int64_t S = sys.nstate();
    GRID_LOOP(i, rows * P) {
        int64_t r = i / P, p = i % P, n0 = p * L;
        cx<R> *z = state + i * S;
        chunk_start(z, S, st, r, p, p ? E + (i - 1) * S : NULL, io.c);
        run_span<R>(sys, io, r, n0, n0 + L < io.len ? n0 + L : io.len, z, 1);
        if (p == P - 1)
            end_state(z, S, st, r, io.c);
    }
}

#define XPC_FILT_ZERO 1e-30     /* a state this small is forgotten */
#define XPC_FILT_MAX 1e3        /* powers of A larger than this: no scan */
#define XPC_FILT_PROBE 65536    /* most zero-input steps k_decay runs */

/* nd[j] = the zero-input steps (a multiple of 16) after which the state
 * from unit state j is below XPC_FILT_ZERO in every entry, or nmax + 1
 * when that takes longer; pk[j] = the largest entry on the way (infinite
 * for NaN).  Stops early once pk[j] passes XPC_FILT_MAX. */
template <class R, class Sys>
__global__ void k_decay(Sys sys, int64_t nmax, cx<R> *work, int64_t *nd, double *pk)
{
    int64_t S = sys.nstate();
    GRID_LOOP(j, S) {
        cx<R> *z = work + j * S;
        for (int64_t k = 0; k < S; k++)
            z[k] = mk((R)(k == j), (R)0);
        int64_t found = nmax + 1;
        double peak = 1;
        for (int64_t n = 1; n <= nmax && peak <= XPC_FILT_MAX; n++) {
            sys.step(z, mk((R)0, (R)0));
            double big = 0;
            for (int64_t k = 0; k < S; k++) {
                double v = fabs((double)z[k].re), w = fabs((double)z[k].im);
                v = v > w ? v : w;
                big = v > big || v != v ? (v != v ? INFINITY : v) : big;
            }
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

/* Whether M (S x S, on the device) and its squares up to M^(2^levels)
 * stay finite and below XPC_FILT_MAX: read back and squared on the host. */
template <class R>
static int scan_is_tame(const char *fn, const cx<R> *M, int64_t S, int levels, int *tame)
{
    size_t nn = (size_t)(S * S);
    cx<R> *h = (cx<R> *)malloc(nn * sizeof *h);
    double *a = (double *)malloc(4 * nn * sizeof *a);
    if (!h || !a) {
        free(h);
        free(a);
        return xpc_error(XP_ENOMEM, "%s: out of host memory", fn);
    }
    int rc = xpc_to_host(fn, h, M, nn * sizeof *h);
    double *re = a, *im = a + nn, *t = a + 2 * nn;
    for (size_t i = 0; i < nn; i++) {
        re[i] = (double)h[i].re;
        im[i] = (double)h[i].im;
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

template <class R, class Sys>
static int run_rows(const char *fn, Sys sys, int64_t S, const SigIO &io, const StateIO &st,
                    int64_t rows)
{
    void *state = NULL;
    int rc = xpc_scratch(fn, (size_t)(rows * S) * sizeof(cx<R>), &state);
    if (rc)
        return rc;
    XPC_LAUNCH(blocks_for(rows), NT, k_rows<R, Sys>)(sys, io, st, rows, (cx<R> *)state);
    rc = finish(fn);
    xpc_scratch_free(state);
    return rc;
}

/* The filter's decay length *D (see k_decay; more than nmax if longer)
 * and the largest state entry *T on the way from a unit state. */
template <class R, class Sys>
static int decay_length(const char *fn, Sys sys, int64_t S, int64_t nmax, int64_t *D,
                        double *T)
{
    void *work = NULL, *nd = NULL, *pk = NULL;
    int64_t *h = (int64_t *)malloc((size_t)S * sizeof *h);
    double *hp = (double *)malloc((size_t)S * sizeof *hp);
    int rc = h && hp ? XP_OK : xpc_error(XP_ENOMEM, "%s: out of host memory", fn);
    if (!rc)
        rc = xpc_scratch(fn, (size_t)(S * S) * sizeof(cx<R>), &work);
    if (!rc)
        rc = xpc_scratch(fn, (size_t)S * sizeof(int64_t), &nd);
    if (!rc)
        rc = xpc_scratch(fn, (size_t)S * sizeof(double), &pk);
    if (!rc) {
        XPC_LAUNCH(blocks_for(S), NT, k_decay<R, Sys>)(sys, nmax, (cx<R> *)work,
                                                       (int64_t *)nd, (double *)pk);
        rc = finish(fn);
    }
    if (!rc)
        rc = xpc_to_host(fn, h, nd, (size_t)S * sizeof *h);
    if (!rc)
        rc = xpc_to_host(fn, hp, pk, (size_t)S * sizeof *hp);
    *D = 0;
    *T = 0;
    for (int64_t j = 0; !rc && j < S; j++) {
        *D = h[j] > *D ? h[j] : *D;
        *T = hp[j] > *T ? hp[j] : *T;
    }
    xpc_scratch_free(work);
    xpc_scratch_free(nd);
    xpc_scratch_free(pk);
    free(h);
    free(hp);
    return rc;
}

template <class R, class Sys>
static int run_filter(const char *fn, Sys sys, int64_t S, const SigIO &io, const StateIO &st,
                      int64_t rows)
{
    const size_t cs = sizeof(cx<R>);
    int64_t P = chunks_for(rows, io.len, S), D = 0;
    int rc;
    if (P == 1)
        return run_rows<R>(fn, sys, S, io, st, rows);
    int64_t L = (io.len + P - 1) / P, nmax = io.len / 2 < XPC_FILT_PROBE ? io.len / 2
                                                                           : XPC_FILT_PROBE;
    double T = 0;
    if ((rc = decay_length<R>(fn, sys, S, nmax, &D, &T)))
        return rc;
    if (!(T <= XPC_FILT_MAX))   /* chunks would amplify rounding: serial */
        return run_rows<R>(fn, sys, S, io, st, rows);
    int forgets = D <= nmax;
    if (forgets && D > L)
        L = D;                  /* chunks no shorter than the filter's memory */
    P = (io.len + L - 1) / L;
    if (P < 2)
        return run_rows<R>(fn, sys, S, io, st, rows);
    void *buf[4] = {NULL, NULL, NULL, NULL};    /* E, E', M, M' (M' also the work area) */
    size_t nE = (size_t)(rows * P * S) * cs, nM = (size_t)(S * S) * cs;
    for (int k = 0; k < (forgets ? 2 : 4) && !rc; k++)
        rc = xpc_scratch(fn, k < 2 ? nE : nM, &buf[k]);
    cx<R> *E = (cx<R> *)buf[0], *E2 = (cx<R> *)buf[1];
    cx<R> *M = (cx<R> *)buf[2], *M2 = (cx<R> *)buf[3];
    if (!rc)
        XPC_LAUNCH(blocks_for(rows * P), NT, k_chunk_ends<R, Sys>)(sys, io, st, rows, L, P, E);
    if (!rc && !forgets) {
        int levels = 0, tame = 0;
        for (int64_t d = 1; 2 * d < P; d *= 2)
            levels++;
        XPC_LAUNCH(blocks_for(S), NT, k_transition<R, Sys>)(sys, L, M, M2);
        rc = finish(fn);
        if (!rc)
            rc = scan_is_tame<R>(fn, M, S, levels, &tame);
        if (!rc && !tame) {
            for (int k = 0; k < 4; k++)
                xpc_scratch_free(buf[k]);
            return run_rows<R>(fn, sys, S, io, st, rows);
        }
        for (int64_t d = 1; !rc && d < P; d *= 2) {
            XPC_LAUNCH(blocks_for(rows * P * S), NT, k_scan_level<R>)(E, E2, M, S, P, d, rows);
            cx<R> *t = E; E = E2; E2 = t;
            if (2 * d < P) {
                XPC_LAUNCH(blocks_for(S * S), NT, k_square<R>)(M, M2, S);
                t = M; M = M2; M2 = t;
            }
        }
    }
    if (!rc) {
        XPC_LAUNCH(blocks_for(rows * P), NT, k_chunk_run<R, Sys>)(sys, io, st, rows, L, P, E,
                                                                  E2);
        rc = finish(fn);
    }
    for (int k = 0; k < 4; k++)
        xpc_scratch_free(buf[k]);
    return rc;
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
    io->c = ISC(dt);
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

/* Device scratch for n normalized coefficients of dtype dt's precision. */
static int coef_scratch(const char *fn, int dt, int64_t n, void **coef)
{
    size_t cs = IS64(dt) ? sizeof(cx<double>) : sizeof(cx<float>);
    return xpc_scratch(fn, (size_t)n * cs, coef);
}

/* ---- lfilter ------------------------------------------------------------ */

/* Normalized coefficients: out[0..K] = b / a[0], out[K+1..2K+1] = a / a[0]
 * (zero padded); one thread. */
template <class R>
__global__ void k_lf_coef(const char *b, int64_t bs, int64_t nb, const char *a, int64_t as,
                          int64_t na, int c, int64_t K, cx<R> *out)
{
    cx<R> a0 = load<R, R>(a, 0, c);
    for (int64_t i = 0; i <= K; i++) {
        cx<R> bi = i < nb ? load<R, R>(b, i * bs, c) : mk((R)0, (R)0);
        cx<R> ai = i < na ? load<R, R>(a, i * as, c) : mk((R)0, (R)0);
        out[i] = cdiv(bi, a0, !c);
        out[K + 1 + i] = cdiv(ai, a0, !c);
    }
}

template <class R>
static int lfilter_run(const DLTensor *b, const DLTensor *a, int64_t K, void *coef,
                       const SigIO &io, const StateIO &st, int64_t rows)
{
    cx<R> *co = (cx<R> *)coef;
    XPC_LAUNCH(1, 1, k_lf_coef<R>)(base_of(b), b->strides[0], b->shape[0], base_of(a),
                                   a->strides[0], a->shape[0], io.c, K, co);
    LfSys<R> sys;
    sys.B = co;
    sys.A = co + K + 1;
    sys.K = K;
    return run_filter<R>("lfilter", sys, K, io, st, rows);
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
    SigIO io;
    StateIO st;
    int64_t rows;
    void *coef = NULL;
    describe(x, y, zi, zf, 0, dt, &io, &st, &rows);
    if (rows == 0 || (rc = coef_scratch(fn, dt, 2 * (K + 1), &coef)))
        return rc;
    rc = IS64(dt) ? lfilter_run<double>(b, a, K, coef, io, st, rows)
                  : lfilter_run<float>(b, a, K, coef, io, st, rows);
    xpc_scratch_free(coef);
    return rc;
}

/* ---- sosfilt ------------------------------------------------------------ */

/* Sections normalized by a0: out[s*5 + 0..4] = b0 b1 b2 a1 a2. */
template <class R>
__global__ void k_sos_coef(const char *sos, int64_t s0, int64_t s1, int64_t nsec, int c,
                           cx<R> *out)
{
    for (int64_t s = 0; s < nsec; s++) {
        cx<R> a0 = load<R, R>(sos, s * s0 + 3 * s1, c);
        const int idx[5] = {0, 1, 2, 4, 5};
        for (int j = 0; j < 5; j++)
            out[s * 5 + j] = cdiv(load<R, R>(sos, s * s0 + idx[j] * s1, c), a0, !c);
    }
}

template <class R>
static int sosfilt_run(const DLTensor *sos, void *coef, const SigIO &io, const StateIO &st,
                       int64_t rows)
{
    cx<R> *co = (cx<R> *)coef;
    int64_t nsec = sos->shape[0];
    XPC_LAUNCH(1, 1, k_sos_coef<R>)(base_of(sos), sos->strides[0], sos->strides[1], nsec, io.c,
                                    co);
    SosSys<R> sys;
    sys.co = co;
    sys.nsec = nsec;
    return run_filter<R>("sosfilt", sys, 2 * nsec, io, st, rows);
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
    SigIO io;
    StateIO st;
    int64_t rows;
    void *coef = NULL;
    describe(x, y, zi, zf, 1, dt, &io, &st, &rows);
    if (rows == 0 || (rc = coef_scratch(fn, dt, 5 * nsec, &coef)))
        return rc;
    rc = IS64(dt) ? sosfilt_run<double>(sos, coef, io, st, rows)
                  : sosfilt_run<float>(sos, coef, io, st, rows);
    xpc_scratch_free(coef);
    return rc;
}
