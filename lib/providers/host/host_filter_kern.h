/*
 * host_filter_kern.h -- the recurrences behind host_filter.c for one real
 * scalar type, as numpy's .c.src templates do it: host_filter.c includes
 * this file once per type with
 *
 *     #define T double                    (or float)
 *     #define SFX d                       (name suffix: f)
 *     #define FILT_WL 8                   (lanes: FILT_VBYTES / sizeof(T))
 *     #define FILT_REV 7, 6, ..., 0       (lane reversal for shuffles)
 *
 * Complex data use the same T for their two parts.  Everything here is
 * static; the shared definitions (filt_job, FILT_*) come from host_filter.c.
 *
 * Every kernel evaluates the transposed direct form II recurrence in one
 * fixed order, the order SciPy evaluates it in, so that one row and a
 * block of rows give SciPy's values bit for bit (segments start from
 * states found another way; see run_segments):
 *
 *   lfilter   y     = z[0] + b[0] x
 *             z[k]  = (z[k+1] + b[k+1] x) - a[k+1] y      k < K-1
 *             z[K-1] = b[K] x - a[K] y
 *   FIR       (lfilter with len(a) == 1) the same without the a terms, so
 *             that a NaN or inf stays local as in SciPy's convolution
 *   sosfilt   (per section, x <- y after each)
 *             y     = b0 x + z0
 *             z0    = (b1 x - a1 y) + z1
 *             z1    = b2 x - a2 y
 *
 * None of it may be contracted into fused multiply-adds (see host_filter.c).
 */

#define FILT_CAT_(a, b) a##_##b
#define FILT_CAT(a, b) FILT_CAT_(a, b)
#define F(name) FILT_CAT(name, SFX)

/* WL lanes of T in one block vector (GCC vector extension: lowered to
 * whatever the target has, SSE2 halves at worst). */
#define WL FILT_WL                   /* == FILT_VBYTES / sizeof(T) */
typedef T F(vec) __attribute__((vector_size(FILT_VBYTES)));
#define V F(vec)

#define FILT_INLINE static inline __attribute__((always_inline))

/* One lane of a block: a stretch of samples with its own state. */
typedef struct {
    const T *x;         /* first sample */
    T *y;               /* first output sample, NULL: do not write */
    int64_t sx, sy;     /* element strides */
    int64_t len;        /* samples; 0 for an idle lane */
    T *z;               /* [nstate] state, read at start, written at end;
                           NULL for an idle lane */
} F(lane);

/* ---- the recurrences, on scalars (S = T) or lane vectors (S = V) -------
 * Written as macros over the value type so that both share one text.  With
 * K a compile-time constant (see the switches below) GCC unrolls the k loop
 * and keeps z in registers, which takes the store-to-load round trip off
 * the critical path of the recurrence. */

#define FILT_LF_STEP(S, K, bq, aq, z, xv, yv)                              \
    do {                                                                   \
        if ((K) == 0) {                                                    \
            (yv) = (bq)[0] * (xv);                                         \
            break;                                                         \
        }                                                                  \
        (yv) = (z)[0] + (bq)[0] * (xv);                                    \
        _Pragma("GCC unroll 16")                                           \
        for (int k_ = 0; k_ < (K) - 1; k_++)                               \
            (z)[k_] = ((z)[k_ + 1] + (bq)[k_ + 1] * (xv)) - (aq)[k_ + 1] * (yv); \
        (z)[(K) - 1] = (bq)[K] * (xv) - (aq)[K] * (yv);                    \
    } while (0)

#define FILT_FIR_STEP(K, bq, z, xv, yv)                                    \
    do {                                                                   \
        (yv) = (z)[0] + (bq)[0] * (xv);                                    \
        for (int k_ = 0; k_ < (K) - 1; k_++)                               \
            (z)[k_] = (z)[k_ + 1] + (bq)[k_ + 1] * (xv);                   \
        (z)[(K) - 1] = (bq)[K] * (xv);                                     \
    } while (0)

#define FILT_SOS_STEP(S, NS, c, z, xv)                                     \
    do {                                                                   \
        _Pragma("GCC unroll 16")                                           \
        for (int s_ = 0; s_ < (NS); s_++) {                                \
            const T *q_ = (c) + 5 * s_;                                    \
            S y_ = q_[0] * (xv) + (z)[2 * s_];                             \
            (z)[2 * s_] = (q_[1] * (xv) - q_[3] * y_) + (z)[2 * s_ + 1];   \
            (z)[2 * s_ + 1] = q_[2] * (xv) - q_[4] * y_;                   \
            (xv) = y_;                                                     \
        }                                                                  \
    } while (0)

/* ---- one row, scalar -------------------------------------------------- */

FILT_INLINE void F(lf_row_body)(const int K, const T *restrict c,
                                const T *x, int64_t sx, T *y, int64_t sy,
                                int64_t n, T *restrict z)
{
    const T *bq = c, *aq = c + K + 1;
    for (int64_t i = 0; i < n; i++) {
        T xv = x[i * sx], yv;
        FILT_LF_STEP(T, K, bq, aq, z, xv, yv);
        y[i * sy] = yv;             /* after the read: y may be x */
    }
}

/* FIR: K >= 1, state in memory (FIR filters are long; no unrolling). */
static void F(fir_row)(int K, const T *restrict c, const T *x, int64_t sx,
                       T *y, int64_t sy, int64_t n, T *restrict z)
{
    for (int64_t i = 0; i < n; i++) {
        T xv = x[i * sx], yv;
        FILT_FIR_STEP(K, c, z, xv, yv);
        y[i * sy] = yv;
    }
}

FILT_INLINE void F(sos_row_body)(const int NS, const T *restrict c,
                                 const T *x, int64_t sx, T *y, int64_t sy,
                                 int64_t n, T *restrict z)
{
    for (int64_t i = 0; i < n; i++) {
        T xv = x[i * sx];
        FILT_SOS_STEP(T, NS, c, z, xv);
        y[i * sy] = xv;
    }
}

/* z copied into a local array of constant size: registers. */
#define FILT_ROW_CASE(body, k, nst)                                        \
    case k: {                                                              \
        T zl_[(nst) > 0 ? (nst) : 1];                                      \
        for (int i_ = 0; i_ < (nst); i_++)                                 \
            zl_[i_] = z[i_];                                               \
        body(k, c, x, sx, y, sy, n, zl_);                                  \
        for (int i_ = 0; i_ < (nst); i_++)                                 \
            z[i_] = zl_[i_];                                               \
        break;                                                             \
    }

static void F(lf_row)(int K, const T *c, const T *x, int64_t sx, T *y,
                      int64_t sy, int64_t n, T *z)
{
    switch (K) {
    FILT_ROW_CASE(F(lf_row_body), 0, 0)
    FILT_ROW_CASE(F(lf_row_body), 1, 1)
    FILT_ROW_CASE(F(lf_row_body), 2, 2)
    FILT_ROW_CASE(F(lf_row_body), 3, 3)
    FILT_ROW_CASE(F(lf_row_body), 4, 4)
    FILT_ROW_CASE(F(lf_row_body), 5, 5)
    FILT_ROW_CASE(F(lf_row_body), 6, 6)
    FILT_ROW_CASE(F(lf_row_body), 7, 7)
    FILT_ROW_CASE(F(lf_row_body), 8, 8)
    default:
        F(lf_row_body)(K, c, x, sx, y, sy, n, z);
    }
}

static void F(sos_row)(int NS, const T *c, const T *x, int64_t sx, T *y,
                       int64_t sy, int64_t n, T *z)
{
    switch (NS) {
    FILT_ROW_CASE(F(sos_row_body), 1, 2)
    FILT_ROW_CASE(F(sos_row_body), 2, 4)
    FILT_ROW_CASE(F(sos_row_body), 3, 6)
    FILT_ROW_CASE(F(sos_row_body), 4, 8)
    FILT_ROW_CASE(F(sos_row_body), 5, 10)
    FILT_ROW_CASE(F(sos_row_body), 6, 12)
    FILT_ROW_CASE(F(sos_row_body), 7, 14)
    FILT_ROW_CASE(F(sos_row_body), 8, 16)
    default:
        F(sos_row_body)(NS, c, x, sx, y, sy, n, z);
    }
}

/* ---- one row, complex (interleaved re, im; no special cases) ----------- */

/* (pr + i pi) * (qr + i qi), as numpy multiplies */
#define CMUL_RE(pr, pi, qr, qi) ((pr) * (qr) - (pi) * (qi))
#define CMUL_IM(pr, pi, qr, qi) ((pr) * (qi) + (pi) * (qr))

static void F(clf_row)(int K, int fir, const T *restrict c, const T *x,
                       int64_t sx, T *y, int64_t sy, int64_t n, T *restrict z)
{
    const T *bq = c, *aq = c + 2 * (K + 1);
    for (int64_t i = 0; i < n; i++) {
        T xr = x[2 * i * sx], xi = x[2 * i * sx + 1], yr, yi;
        if (K == 0) {
            yr = CMUL_RE(bq[0], bq[1], xr, xi);
            yi = CMUL_IM(bq[0], bq[1], xr, xi);
        } else {
            yr = z[0] + CMUL_RE(bq[0], bq[1], xr, xi);
            yi = z[1] + CMUL_IM(bq[0], bq[1], xr, xi);
            for (int k = 0; k < K - 1; k++) {
                const T *bk = bq + 2 * (k + 1), *ak = aq + 2 * (k + 1);
                z[2 * k] = z[2 * k + 2] + CMUL_RE(bk[0], bk[1], xr, xi);
                z[2 * k + 1] = z[2 * k + 3] + CMUL_IM(bk[0], bk[1], xr, xi);
                if (!fir) {
                    z[2 * k] -= CMUL_RE(ak[0], ak[1], yr, yi);
                    z[2 * k + 1] -= CMUL_IM(ak[0], ak[1], yr, yi);
                }
            }
            const T *bk = bq + 2 * K, *ak = aq + 2 * K;
            z[2 * K - 2] = CMUL_RE(bk[0], bk[1], xr, xi);
            z[2 * K - 1] = CMUL_IM(bk[0], bk[1], xr, xi);
            if (!fir) {
                z[2 * K - 2] -= CMUL_RE(ak[0], ak[1], yr, yi);
                z[2 * K - 1] -= CMUL_IM(ak[0], ak[1], yr, yi);
            }
        }
        y[2 * i * sy] = yr;
        y[2 * i * sy + 1] = yi;
    }
}

static void F(csos_row)(int NS, const T *restrict c, const T *x, int64_t sx,
                        T *y, int64_t sy, int64_t n, T *restrict z)
{
    for (int64_t i = 0; i < n; i++) {
        T xr = x[2 * i * sx], xi = x[2 * i * sx + 1];
        for (int s = 0; s < NS; s++) {
            const T *q = c + 10 * s;        /* b0 b1 b2 a1 a2, complex */
            T *w = z + 4 * s;               /* z0 (re, im), z1 (re, im) */
            T yr = CMUL_RE(q[0], q[1], xr, xi) + w[0];
            T yi = CMUL_IM(q[0], q[1], xr, xi) + w[1];
            w[0] = (CMUL_RE(q[2], q[3], xr, xi) - CMUL_RE(q[6], q[7], yr, yi)) + w[2];
            w[1] = (CMUL_IM(q[2], q[3], xr, xi) - CMUL_IM(q[6], q[7], yr, yi)) + w[3];
            w[2] = CMUL_RE(q[4], q[5], xr, xi) - CMUL_RE(q[8], q[9], yr, yi);
            w[3] = CMUL_IM(q[4], q[5], xr, xi) - CMUL_IM(q[8], q[9], yr, yi);
            xr = yr;
            xi = yi;
        }
        y[2 * i * sy] = xr;
        y[2 * i * sy + 1] = xi;
    }
}

/* ---- a block of WL lanes, one lane per vector element ------------------
 * buf[t] holds sample t of every lane; the recurrence runs on whole
 * vectors, so WL independent recurrences share each instruction and hide
 * each other's latency. */

FILT_INLINE void F(lf_block_body)(const int K, const T *restrict c,
                                  V *restrict buf, int64_t len, V *restrict z)
{
    const T *bq = c, *aq = c + K + 1;
    for (int64_t t = 0; t < len; t++) {
        V xv = buf[t], yv;
        FILT_LF_STEP(V, K, bq, aq, z, xv, yv);
        buf[t] = yv;
    }
}

FILT_INLINE void F(fir_block_body)(const int K, const T *restrict c,
                                   V *restrict buf, int64_t len, V *restrict z)
{
    for (int64_t t = 0; t < len; t++) {
        V xv = buf[t], yv;
        FILT_FIR_STEP(K, c, z, xv, yv);
        buf[t] = yv;
    }
}

FILT_INLINE void F(sos_block_body)(const int NS, const T *restrict c,
                                   V *restrict buf, int64_t len, V *restrict z)
{
    for (int64_t t = 0; t < len; t++) {
        V xv = buf[t];
        FILT_SOS_STEP(V, NS, c, z, xv);
        buf[t] = xv;
    }
}

#define FILT_BLOCK_CASE(body, k, nst)                                      \
    case k: {                                                              \
        V zl_[(nst) > 0 ? (nst) : 1];                                      \
        for (int i_ = 0; i_ < (nst); i_++)                                 \
            zl_[i_] = z[i_];                                               \
        body(k, c, buf, len, zl_);                                         \
        for (int i_ = 0; i_ < (nst); i_++)                                 \
            z[i_] = zl_[i_];                                               \
        break;                                                             \
    }

/* Run len samples of buf through the filter of j (in place). */
FILT_INLINE void F(block_run)(const filt_job *j, V *buf, int64_t len,
                                     V *z)
{
    const T *c = j->coef;
    if (j->fir) {
        F(fir_block_body)(j->order, c, buf, len, z);
    } else if (!j->sos) {
        switch (j->order) {
        FILT_BLOCK_CASE(F(lf_block_body), 0, 0)
        FILT_BLOCK_CASE(F(lf_block_body), 1, 1)
        FILT_BLOCK_CASE(F(lf_block_body), 2, 2)
        FILT_BLOCK_CASE(F(lf_block_body), 3, 3)
        FILT_BLOCK_CASE(F(lf_block_body), 4, 4)
        FILT_BLOCK_CASE(F(lf_block_body), 5, 5)
        FILT_BLOCK_CASE(F(lf_block_body), 6, 6)
        FILT_BLOCK_CASE(F(lf_block_body), 7, 7)
        FILT_BLOCK_CASE(F(lf_block_body), 8, 8)
        default:
            F(lf_block_body)(j->order, c, buf, len, z);
        }
    } else {
        switch (j->order) {
        FILT_BLOCK_CASE(F(sos_block_body), 1, 2)
        FILT_BLOCK_CASE(F(sos_block_body), 2, 4)
        FILT_BLOCK_CASE(F(sos_block_body), 3, 6)
        FILT_BLOCK_CASE(F(sos_block_body), 4, 8)
        FILT_BLOCK_CASE(F(sos_block_body), 5, 10)
        FILT_BLOCK_CASE(F(sos_block_body), 6, 12)
        FILT_BLOCK_CASE(F(sos_block_body), 7, 14)
        FILT_BLOCK_CASE(F(sos_block_body), 8, 16)
        default:
            F(sos_block_body)(j->order, c, buf, len, z);
        }
    }
}

/* ---- moving lanes in and out of the interleaved buffer ---------------- */

#if FILT_SHUFFLE
/* Transpose WL x WL in place (r[l] = WL samples of lane l <-> r[t] = sample
 * t of every lane): log2(WL) rounds of pairwise block interleaves. */
#define FILT_TSTAGE(r, s, ev, od)                                          \
    _Pragma("GCC unroll 16")                                               \
    for (int i_ = 0; i_ < WL; i_++)                                        \
        if (!(i_ & (s))) {                                                 \
            V a_ = (r)[i_], b_ = (r)[i_ + (s)];                            \
            (r)[i_] = __builtin_shufflevector(a_, b_, ev);                 \
            (r)[i_ + (s)] = __builtin_shufflevector(a_, b_, od);           \
        }

FILT_INLINE void F(transpose)(V *r)
{
#if FILT_WL == 8
    FILT_TSTAGE(r, 1, FILT_8E1, FILT_8O1)
    FILT_TSTAGE(r, 2, FILT_8E2, FILT_8O2)
    FILT_TSTAGE(r, 4, FILT_8E4, FILT_8O4)
#else
    FILT_TSTAGE(r, 1, FILT_16E1, FILT_16O1)
    FILT_TSTAGE(r, 2, FILT_16E2, FILT_16O2)
    FILT_TSTAGE(r, 4, FILT_16E4, FILT_16O4)
    FILT_TSTAGE(r, 8, FILT_16E8, FILT_16O8)
#endif
}
#undef FILT_TSTAGE

/* Unit-stride lanes, forwards (+1) or backwards (-1, as filtfilt's second
 * pass reads): move WL samples of lane l between memory and r[l]. */
FILT_INLINE void F(load_run)(V *v, const T *x, int64_t sx, int64_t i)
{
    if (sx == 1) {
        memcpy(v, x + i, sizeof *v);
        return;
    }
    memcpy(v, x - (i + WL - 1), sizeof *v);
    *v = __builtin_shufflevector(*v, *v, FILT_REV);
}

FILT_INLINE void F(store_run)(T *y, int64_t sy, int64_t i, const V *v)
{
    V w = *v;
    if (sy != 1)
        w = __builtin_shufflevector(w, w, FILT_REV);
    memcpy(sy == 1 ? y + i : y - (i + WL - 1), &w, sizeof w);
}
#endif

/* buf[0..len) <- samples t0.. of every lane (0 for idle lanes).  act[l]:
 * lane l has data in this chunk. */
FILT_INLINE void F(gather)(const F(lane) *ln, const int *act, int nact,
                           V *restrict buf, int64_t t0, int64_t len)
{
    int64_t t = 0;
    int ilv = nact == WL, unit = 1;
    for (int l = 0; l < WL; l++) {
        if (!act[l])
            continue;
        ilv = ilv && ln[l].x == ln[0].x + l && ln[l].sx == ln[0].sx;
        unit = unit && (ln[l].sx == 1 || ln[l].sx == -1);
    }
    if (ilv) {                      /* lanes already interleaved in memory */
        const T *x = ln[0].x + t0 * ln[0].sx;
        for (; t < len; t++)
            memcpy(&buf[t], x + t * ln[0].sx, sizeof(V));
        return;
    }
#if FILT_SHUFFLE
    if (unit && 2 * nact >= WL) {
        for (; t + WL <= len; t += WL) {
            V r[WL];
            _Pragma("GCC unroll 16")
            for (int l = 0; l < WL; l++) {
                if (act[l])
                    F(load_run)(&r[l], ln[l].x, ln[l].sx, t0 + t);
                else
                    r[l] = (V){0};
            }
            F(transpose)(r);
            _Pragma("GCC unroll 16")
            for (int i = 0; i < WL; i++)
                buf[t + i] = r[i];
        }
    }
#endif
    for (int l = 0; l < WL; l++) {
        const T *x = ln[l].x + (t0 + t) * ln[l].sx;
        int64_t sx = ln[l].sx;
        if (act[l])
            for (int64_t u = t; u < len; u++)
                buf[u][l] = x[(u - t) * sx];
        else
            for (int64_t u = t; u < len; u++)
                buf[u][l] = 0;
    }
}

/* Samples t0.. of the lanes with an output <- buf[0..len). */
FILT_INLINE void F(scatter)(const F(lane) *ln, const int *act, V *restrict buf,
                            int64_t t0, int64_t len)
{
    int64_t t = 0;
    int nout = 0, ilv = 1, unit = 1;
    for (int l = 0; l < WL; l++) {
        if (!act[l] || !ln[l].y) {
            ilv = 0;
            continue;
        }
        nout++;
        ilv = ilv && ln[l].y == ln[0].y + l && ln[l].sy == ln[0].sy;
        unit = unit && (ln[l].sy == 1 || ln[l].sy == -1);
    }
    if (ilv) {
        T *y = ln[0].y + t0 * ln[0].sy;
        for (; t < len; t++)
            memcpy(y + t * ln[0].sy, &buf[t], sizeof(V));
        return;
    }
#if FILT_SHUFFLE
    if (unit && 2 * nout >= WL) {
        for (; t + WL <= len; t += WL) {
            V r[WL];
            _Pragma("GCC unroll 16")
            for (int i = 0; i < WL; i++)
                r[i] = buf[t + i];
            F(transpose)(r);
            _Pragma("GCC unroll 16")
            for (int l = 0; l < WL; l++)
                if (act[l] && ln[l].y)
                    F(store_run)(ln[l].y, ln[l].sy, t0 + t, &r[l]);
        }
    }
#endif
    for (int l = 0; l < WL; l++) {
        if (!act[l] || !ln[l].y)
            continue;
        T *y = ln[l].y + (t0 + t) * ln[l].sy;
        int64_t sy = ln[l].sy;
        for (int64_t u = t; u < len; u++)
            y[(u - t) * sy] = buf[u][l];
    }
}

/* Filter WL lanes together: gather a chunk of every lane into buf
 * (interleaved), run it, scatter it back.  Chunks end where a lane ends,
 * so each lane's state is saved exactly after its last sample and every
 * lane is either busy or idle for a whole chunk.  work holds FILT_CHUNK +
 * nstate vectors.  Cloned for wider vector units: everything it calls is
 * inlined. */
XP__SIMD_CLONES static void F(block)(const filt_job *j, const F(lane) *ln, void *work)
{
    V *buf = work, *z = buf + FILT_CHUNK;
    int ns = j->nstate;
    int64_t maxlen = 0;

    for (int k = 0; k < ns; k++)
        for (int l = 0; l < WL; l++)
            z[k][l] = ln[l].z ? ln[l].z[k] : 0;
    for (int l = 0; l < WL; l++)
        if (ln[l].len > maxlen)
            maxlen = ln[l].len;

    for (int64_t t0 = 0, t1; t0 < maxlen; t0 = t1) {
        int act[WL], nact = 0;
        t1 = t0 + FILT_CHUNK < maxlen ? t0 + FILT_CHUNK : maxlen;
        for (int l = 0; l < WL; l++)
            if (ln[l].len > t0 && ln[l].len < t1)
                t1 = ln[l].len;
        for (int l = 0; l < WL; l++)
            nact += act[l] = ln[l].len >= t1;
        F(gather)(ln, act, nact, buf, t0, t1 - t0);
        F(block_run)(j, buf, t1 - t0, z);
        F(scatter)(ln, act, buf, t0, t1 - t0);
        for (int l = 0; l < WL; l++)
            if (ln[l].len == t1 && ln[l].z)
                for (int k = 0; k < ns; k++)
                    ln[l].z[k] = z[k][l];
    }
}

/* ---- drivers ------------------------------------------------------------ */

static inline const T *F(xrow)(const filt_job *j, int64_t r)
{
    return (const T *)xp__base(j->x) + (j->cplx ? 2 : 1) * xp__row_offset(j->x, r);
}

static inline T *F(yrow)(const filt_job *j, int64_t r)
{
    return (T *)xp__base(j->y) + (j->cplx ? 2 : 1) * xp__row_offset(j->y, r);
}

/* One row at a time, rows spread over threads. */
static void F(run_rows)(const filt_job *j)
{
    int64_t sx = xp__last_stride(j->x), sy = xp__last_stride(j->y);
#ifdef _OPENMP
#pragma omp parallel for num_threads(j->nthreads) schedule(dynamic, 1) if (j->nthreads > 1)
#endif
    for (int64_t r = 0; r < j->rows; r++) {
        const T *x = F(xrow)(j, r);
        T *y = F(yrow)(j, r);
        T *z = (T *)j->z + r * j->nstate * (j->cplx ? 2 : 1);
        if (j->cplx && j->sos)
            F(csos_row)(j->order, j->coef, x, sx, y, sy, j->n, z);
        else if (j->cplx)
            F(clf_row)(j->order, j->fir, j->coef, x, sx, y, sy, j->n, z);
        else if (j->sos)
            F(sos_row)(j->order, j->coef, x, sx, y, sy, j->n, z);
        else if (j->fir)
            F(fir_row)(j->order, j->coef, x, sx, y, sy, j->n, z);
        else
            F(lf_row)(j->order, j->coef, x, sx, y, sy, j->n, z);
    }
}

/* Rows in blocks of WL lanes, blocks spread over threads. */
static void F(run_blocks)(const filt_job *j)
{
    int64_t sx = xp__last_stride(j->x), sy = xp__last_stride(j->y);
    int64_t nblk = (j->rows + WL - 1) / WL;
#ifdef _OPENMP
#pragma omp parallel for num_threads(j->nthreads) schedule(dynamic, 1) if (j->nthreads > 1)
#endif
    for (int64_t blk = 0; blk < nblk; blk++) {
        F(lane) ln[WL];
        for (int l = 0; l < WL; l++) {
            int64_t r = blk * WL + l;
            if (r < j->rows)
                ln[l] = (F(lane)){F(xrow)(j, r), F(yrow)(j, r), sx, sy, j->n,
                                  (T *)j->z + r * j->nstate};
            else
                ln[l] = (F(lane)){NULL, NULL, 0, 0, 0, NULL};
        }
        F(block)(j, ln, filt_work(j));
    }
}

/* Lanes lane[0..m) (m a multiple of WL) in blocks over threads.  Static
 * schedule: a thread's pass-2 blocks then mostly read what its pass-1
 * blocks brought into its cache. */
static void F(run_lanes)(const filt_job *j, const F(lane) *lane, int64_t m)
{
#ifdef _OPENMP
#pragma omp parallel for num_threads(j->nthreads) schedule(static) if (j->nthreads > 1)
#endif
    for (int64_t blk = 0; blk < m / WL; blk++)
        F(block)(j, lane + blk * WL, filt_work(j));
}

/* One zero-input step of the filter, in double, from each of the ns
 * states held as the columns of E (E[i * ns + k]: value i of column k),
 * in place: per column the operations, and their order, of the
 * recurrence; the inner loops run across columns, so they vectorize. */
static void F(step0_all)(const filt_job *j, double *E)
{
    const T *c = j->coef;
    int K = j->order, ns = j->nstate;
    double y[FILT_SEG_MAXSTATE], xv[FILT_SEG_MAXSTATE];
    if (!j->sos) {
        const T *aq = c + K + 1;
        for (int k = 0; k < ns; k++)
            y[k] = E[k];
        for (int i = 0; i < K - 1; i++) {
            double ai = (double)aq[i + 1];
            for (int k = 0; k < ns; k++)
                E[i * ns + k] = E[(i + 1) * ns + k] - ai * y[k];
        }
        double aK = -(double)aq[K];
        for (int k = 0; k < ns; k++)
            E[(K - 1) * ns + k] = aK * y[k];
        return;
    }
    for (int k = 0; k < ns; k++)
        xv[k] = 0;
    for (int s = 0; s < K; s++) {
        const T *q = c + 5 * s;
        double q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3], q4 = q[4];
        double *z0 = E + 2 * s * ns, *z1 = z0 + ns;
        for (int k = 0; k < ns; k++) {
            double yv = q0 * xv[k] + z0[k];
            z0[k] = (q1 * xv[k] - q3 * yv) + z1[k];
            z1[k] = q2 * xv[k] - q4 * yv;
            xv[k] = yv;
        }
    }
}

/* j->phi[0] = A^L (the state after L zero samples as a linear map of the
 * state before), column k by L zero-input steps from unit state k, each
 * rounded as the recurrence rounds.  Squaring A would pass through the
 * powers' peak and keep its rounding in a decayed A^L: 5e-9 off SciPy for
 * ellip(10, 1, 60, 0.3) in (b, a) form, whose powers reach 4e4, and
 * 4e-9 for ellip(12, 1, 60, 0.002) in sections.
 *
 * Returns 0, and the caller runs the plain recurrence, when A^L is not
 * finite or the segment fix-up would amplify rounding: when A^L passes
 * FILT_PHI_MAX and, for lfilter, when a state passes it on the way.  In
 * (b, a) form the states carry sums far larger than the output, and a
 * start state's rounding comes out multiplied by the peak (8e-11 off
 * SciPy at 4e4, 2e-1 at 1e8); the sections' states are of the output's
 * scale (3e-14 off at peaks of 1e9).  Once every state is below
 * FILT_FORGET, A^L is zero. */
static int F(transition)(const filt_job *j, int64_t L)
{
    int ns = j->nstate;
    size_t nn = (size_t)ns * ns;
    double *P = j->phi, bound = j->sos ? HUGE_VAL : FILT_PHI_MAX;

    for (size_t i = 0; i < nn; i++)
        P[i] = i % (size_t)(ns + 1) == 0;
    for (int64_t n = 0; n < L; n++) {
        double big = 0;
        F(step0_all)(j, P);
        for (size_t i = 0; i < nn; i++) {
            double v = fabs(P[i]);
            if (!(v <= bound))
                return 0;
            big = v > big ? v : big;
            if (v < FILT_FLUSH)     /* before it is subnormal: 100 times slower */
                P[i] = 0;
        }
        if (big < FILT_FORGET) {
            for (size_t i = 0; i < nn; i++)
                P[i] = 0;
            break;
        }
    }
    for (size_t i = 0; i < nn; i++)
        if (!(fabs(P[i]) <= FILT_PHI_MAX))
            return 0;
    return 1;
}

/* One long row in segments, for when there are too few rows to fill a
 * block.  The row is cut into m + 1 segments of L samples (the last takes
 * the rest).  Pass 1 runs segment 0 from the true state (writing y) and
 * segments 1..m-1 from zero state, all at once; their final states F_j
 * give the true state at every boundary, S_{j+1} = F_j + A^L S_j, in a
 * short sequential sweep.  Pass 2 then runs segments 1..m from those
 * states, writing y.  Every output is thus the plain recurrence from a
 * state that differs from the sequential one only by rounding. */
static void F(run_segments)(const filt_job *j, int64_t r)
{
    int ns = j->nstate;
    int64_t m = j->m, L = j->seglen, n = j->n;
    int64_t sx = xp__last_stride(j->x), sy = xp__last_stride(j->y);
    const T *x = F(xrow)(j, r);
    T *y = F(yrow)(j, r);
    T *zrow = (T *)j->z + r * ns;
    T *P = j->p;                         /* [m][ns] */
    F(lane) *lane = j->lanes;            /* [m] */
    double *phi = j->phi, *s = phi + (size_t)ns * ns, *sn = s + ns;

    for (int k = 0; k < ns; k++)
        P[k] = zrow[k];
    for (int64_t q = 1; q < m; q++)
        for (int k = 0; k < ns; k++)
            P[q * ns + k] = 0;
    for (int64_t q = 0; q < m; q++)
        lane[q] = (F(lane)){x + q * L * sx, q ? NULL : y, sx, sy, L, P + q * ns};
    F(run_lanes)(j, lane, m);

    /* P[q] <- S_{q+1}: P[0] already is S_1.  An FIR filter forgets its
     * state within K < L samples, so there F_q is S_{q+1} exactly.  Zero
     * entries of A^L still multiply: a NaN in the state spreads as in the
     * plain recurrence. */
    for (int k = 0; k < ns && !j->fir; k++)
        s[k] = (double)P[k];
    for (int64_t q = 1; q < m && !j->fir; q++) {
        for (int k = 0; k < ns; k++) {
            double acc = (double)P[q * ns + k];
            for (int i = 0; i < ns; i++)
                acc += phi[k * ns + i] * s[i];
            sn[k] = acc;
        }
        for (int k = 0; k < ns; k++) {
            s[k] = sn[k];
            P[q * ns + k] = (T)sn[k];
        }
    }

    for (int64_t q = 0; q < m; q++) {
        int64_t start = (q + 1) * L;
        lane[q] = (F(lane)){x + start * sx, y + start * sy, sx, sy,
                            q == m - 1 ? n - start : L, P + q * ns};
    }
    F(run_lanes)(j, lane, m);
    for (int k = 0; k < ns; k++)
        zrow[k] = P[(m - 1) * ns + k];
}

static void F(run)(filt_job *j)
{
    if (j->mode == FILT_SEGMENTS) {
        if (j->fir || F(transition)(j, j->seglen)) {
            for (int64_t r = 0; r < j->rows; r++)
                F(run_segments)(j, r);
            return;
        }
        j->mode = FILT_ROWS;
    }
    if (j->mode == FILT_BLOCKS)
        F(run_blocks)(j);
    else
        F(run_rows)(j);
}

#undef F
#undef WL
#undef V
#undef FILT_CAT
#undef FILT_CAT_
#undef FILT_INLINE
#undef FILT_LF_STEP
#undef FILT_SOS_STEP
#undef FILT_FIR_STEP
#undef FILT_ROW_CASE
#undef FILT_BLOCK_CASE
#undef CMUL_RE
#undef CMUL_IM
