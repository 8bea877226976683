/*
 * acc_serial.c -- an accumulator's state as bytes, so that files, sockets
 * or MPI (not a home-made protocol) can carry it between processes.
 *
 * Format, version 1, every field little-endian whatever the host:
 *
 *   0   magic "XPSACC\0\0"             8 bytes
 *   8   u32 format version (1)
 *   12  u32 byte-order mark 0x01020304 (reads 04 03 02 01)
 *   16  u32 kind, dtype, ndim, axis, onesided, detrend, scaling, average,
 *       float32_output, nsums          (10 x u32, to 56)
 *   56  f64 fs
 *   64  i64 nperseg, noverlap, nfft, nfreq, nseg, total
 *   112 u64 buffer length
 *   120 i64 shape[16]                  (to 248)
 *   248 u64 reserved (0)
 *   256 f64 window[nperseg]
 *       f64 sums: for each of nsums, [R, nfreq] values, complex ones as
 *       (re, im) pairs (csd and coherence's cross sum)
 *   end u64 FNV-1a checksum of everything before it
 *
 * Only mean-averaged accumulators serialize: a median needs every segment.
 * Samples waiting for an unfinished segment are not kept: a deserialized
 * accumulator starts a new stream if it is fed.
 */
#include <math.h>
#include <string.h>
#include "spectral.h"

#define SER_VERSION 1
#define SER_HEADER 256
#define OFF_NSEG 96
#define OFF_TOTAL 104
#define OFF_LEN 112

static const unsigned char magic[8] = {'X', 'P', 'S', 'A', 'C', 'C', 0, 0};

static void put_u64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static void put_u32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *b)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)b[i] << (8 * i);
    return v;
}

static void put_f64(unsigned char *b, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    put_u64(b, v);
}

static double get_f64(const unsigned char *b)
{
    uint64_t v = get_u64(b);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static uint64_t fnv1a(const unsigned char *b, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

/* doubles held by sum k: complex cross sums count twice */
static int64_t sum_doubles(int kind, int k, int64_t R, int64_t nfreq)
{
    return R * nfreq * (k == 0 && kind != XPS_ACC_WELCH ? 2 : 1);
}

/* The decoded header of a buffer that passed every check. */
typedef struct {
    uint32_t kind, dtype, ndim, axis, onesided, detrend, scaling, average, f32, nsums;
    double fs;
    int64_t nperseg, noverlap, nfft, nfreq, nseg, total;
    int64_t shape[XP_MAX_NDIM];
    int64_t R, nsumvals;        /* rows; doubles over all sums */
} header;

static size_t total_len(int64_t nperseg, int64_t nsumvals)
{
    return SER_HEADER + 8 * (size_t)nperseg + 8 * (size_t)nsumvals + 8;
}

int xps_spectral_acc_serialize(const xps_spectral_acc *acc, void *buf, size_t cap,
                               size_t *len)
{
    const char *fn = "spectral_acc_serialize";
    if (!acc || !len)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, acc ? "len" : "accumulator");
    xps__acc_state st;
    xps__acc_inspect(acc, &st);
    const xps__spec *s = st.s;
    if (!st.mergeable)
        return xp_error(XP_EINVAL, "%s: average '%s' cannot be serialized: a median needs "
                        "every segment at once and cannot be merged (use average 'mean')",
                        s->fn, s->average == XPS_AVERAGE_MEDIAN ? "median" : "median-mean");
    int64_t nvals = 0;
    for (int k = 0; k < st.nsums; k++)
        nvals += sum_doubles(st.kind, k, st.R, s->nfreq);
    size_t n = total_len(s->nperseg, nvals);
    *len = n;
    if (!buf)
        return XP_OK;
    if (cap < n)
        return xp_error(XP_EINVAL, "%s: buffer too small (%zu bytes, %zu needed)", fn, cap, n);
    double *vals = nvals ? xp__malloc((size_t)nvals * sizeof *vals) : NULL;
    if (nvals && !vals)
        return xp_error(XP_ENOMEM, "%s: out of memory", fn);
    int rc = XP_OK;
    for (int64_t k = 0, o = 0; rc == XP_OK && k < st.nsums; k++) {
        int64_t m = sum_doubles(st.kind, k, st.R, s->nfreq);
        rc = xp_array_to_host(st.sum[k], vals + o, (size_t)m * sizeof *vals);
        o += m;
    }
    if (rc) {
        xp__free(vals);
        return rc;
    }
    unsigned char *b = buf;
    memset(b, 0, SER_HEADER);
    memcpy(b, magic, 8);
    put_u32(b + 8, SER_VERSION);
    put_u32(b + 12, 0x01020304u);
    uint32_t u[10] = {st.kind, st.dtype, (uint32_t)st.ndim, (uint32_t)st.axis,
                      (uint32_t)s->onesided, s->detrend, s->scaling, s->average,
                      (uint32_t)s->float32_output, (uint32_t)st.nsums};
    for (int i = 0; i < 10; i++)
        put_u32(b + 16 + 4 * i, u[i]);
    put_f64(b + 56, s->fs);
    int64_t iv[6] = {s->nperseg, s->noverlap, s->nfft, s->nfreq, st.nseg, st.total};
    for (int i = 0; i < 6; i++)
        put_u64(b + 64 + 8 * i, (uint64_t)iv[i]);
    put_u64(b + OFF_LEN, n);
    for (int d = 0; d < st.ndim; d++)   /* the length along axis is a chunk's: 0 */
        put_u64(b + 120 + 8 * d, d == st.axis ? 0 : (uint64_t)st.shape[d]);
    unsigned char *p = b + SER_HEADER;
    for (int64_t i = 0; i < s->nperseg; i++, p += 8)
        put_f64(p, s->win[i]);
    for (int64_t i = 0; i < nvals; i++, p += 8)
        put_f64(p, vals[i]);
    put_u64(p, fnv1a(b, n - 8));
    xp__free(vals);
    return XP_OK;
}

/* Check a buffer and decode its header: every failure says what is wrong. */
static int parse(const char *fn, const void *buf, size_t len, header *h)
{
    const unsigned char *b = buf;
    if (!buf)
        return xp_error(XP_EINVAL, "%s: buffer is NULL", fn);
    if (len < SER_HEADER + 8)
        return xp_error(XP_EFORMAT, "%s: buffer is truncated (%zu bytes, a header needs %d)",
                        fn, len, SER_HEADER + 8);
    if (memcmp(b, magic, 8))
        return xp_error(XP_EFORMAT, "%s: not a serialized spectral accumulator (bad magic)",
                        fn);
    uint32_t ver = get_u32(b + 8);
    if (ver != SER_VERSION)
        return xp_error(XP_EFORMAT, "%s: format version %u is not supported (this library "
                        "reads version %d)", fn, ver, SER_VERSION);
    if (get_u32(b + 12) != 0x01020304u)
        return xp_error(XP_EFORMAT, "%s: byte-order mark is wrong: the buffer was not "
                        "written little-endian by xps_spectral_acc_serialize", fn);
    uint64_t n = get_u64(b + OFF_LEN);
    if (n != len)
        return xp_error(XP_EFORMAT, "%s: buffer is %zu bytes but its header says %llu "
                        "(truncated or padded)", fn, len, (unsigned long long)n);
    if (get_u64(b + len - 8) != fnv1a(b, len - 8))
        return xp_error(XP_EFORMAT, "%s: checksum mismatch: the buffer is corrupted", fn);
    uint32_t *u[10] = {&h->kind, &h->dtype, &h->ndim, &h->axis, &h->onesided, &h->detrend,
                       &h->scaling, &h->average, &h->f32, &h->nsums};
    for (int i = 0; i < 10; i++)
        *u[i] = get_u32(b + 16 + 4 * i);
    h->fs = get_f64(b + 56);
    int64_t *iv[6] = {&h->nperseg, &h->noverlap, &h->nfft, &h->nfreq, &h->nseg, &h->total};
    for (int i = 0; i < 6; i++)
        *iv[i] = (int64_t)get_u64(b + 64 + 8 * i);
    /* a valid checksum over nonsense: still refuse it */
    if (h->kind > XPS_ACC_COHERENCE || h->nsums != (h->kind == XPS_ACC_COHERENCE ? 3u : 1u)
        || h->ndim < 1 || h->ndim > XP_MAX_NDIM - 1 || h->axis >= h->ndim
        || h->average != XPS_AVERAGE_MEAN || h->nperseg < 1 || h->nfreq < 1
        || h->nseg < 0 || h->total < 0 || !(h->fs > 0))
        return xp_error(XP_EFORMAT, "%s: header holds invalid values", fn);
    /* every count is bounded by the doubles the buffer holds before any
     * product is formed: a crafted header (the checksum is no secret) must
     * not overflow the size arithmetic below or in the caller */
    int64_t avail = (int64_t)((len - SER_HEADER - 8) / 8);
    if (h->nperseg > avail || h->nfreq > avail)
        return xp_error(XP_EFORMAT, "%s: header's nperseg or nfreq exceeds the buffer", fn);
    if (h->nfft < h->nperseg || h->nfreq != (h->onesided ? h->nfft / 2 + 1 : h->nfft))
        return xp_error(XP_EFORMAT, "%s: header's nfft (%lld), nperseg and nfreq disagree",
                        fn, (long long)h->nfft);
    h->R = 1;
    for (int d = 0; d < (int)h->ndim; d++) {
        h->shape[d] = (int64_t)get_u64(b + 120 + 8 * d);
        if (h->shape[d] < 0 || h->shape[d] > ((int64_t)1 << 59))
            return xp_error(XP_EFORMAT, "%s: header holds a shape out of range", fn);
        if (d != (int)h->axis && h->shape[d] && h->R > avail / h->shape[d])
            return xp_error(XP_EFORMAT, "%s: header's shape exceeds the buffer", fn);
        if (d != (int)h->axis)
            h->R *= h->shape[d];
    }
    /* the sums hold R nfreq doubles (welch), twice that (csd's complex
     * sum) or four times (coherence: the cross sum and two real ones) */
    int64_t per = h->kind == XPS_ACC_WELCH ? 1 : h->kind == XPS_ACC_CSD ? 2 : 4;
    if (h->R && h->nfreq > avail / per / h->R)
        return xp_error(XP_EFORMAT, "%s: header's shape and nfreq exceed the buffer", fn);
    h->nsumvals = 0;
    for (int k = 0; k < (int)h->nsums; k++)
        h->nsumvals += sum_doubles((int)h->kind, k, h->R, h->nfreq);
    if (total_len(h->nperseg, h->nsumvals) != len)
        return xp_error(XP_EFORMAT, "%s: buffer length (%zu) does not match its shape and "
                        "options", fn, len);
    return XP_OK;
}

int xps_spectral_acc_deserialize(const void *buf, size_t len, const xp_provider *p,
                                 xps_spectral_acc **out)
{
    const char *fn = "spectral_acc_deserialize";
    header h;
    int rc;
    if (!out)
        return xp_error(XP_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!p)
        return xp_error(XP_EINVAL, "%s: provider is NULL", fn);
    if ((rc = parse(fn, buf, len, &h)))
        return rc;
    const unsigned char *b = buf;
    double *win = xp__malloc((size_t)h.nperseg * sizeof *win);
    double *vals = h.nsumvals ? xp__malloc((size_t)h.nsumvals * sizeof *vals) : NULL;
    xp_array *w = NULL, *sum = NULL;
    xps_spectral_acc *acc = NULL;
    if (!win || (h.nsumvals && !vals)) {
        rc = xp_error(XP_ENOMEM, "%s: out of memory", fn);
        goto done;
    }
    for (int64_t i = 0; i < h.nperseg; i++)
        win[i] = get_f64(b + SER_HEADER + 8 * i);
    for (int64_t i = 0; i < h.nsumvals; i++)
        vals[i] = get_f64(b + SER_HEADER + 8 * (h.nperseg + i));
    rc = xp_array_from_host(p, XP_FLOAT64, 1, &h.nperseg, win, &w);
    if (rc)
        goto done;
    /* begin again from the resolved options: the window travels as values */
    xps_spectral_options opt;
    xps_welch_options_init(&opt);
    opt.fs = h.fs;
    opt.window.array = w;
    opt.nperseg = h.nperseg;
    opt.noverlap = h.noverlap;
    opt.nfft = h.nfft;
    opt.detrend = (xps_detrend_type)h.detrend;
    opt.return_onesided = (int)h.onesided;
    opt.scaling = (xps_scaling)h.scaling;
    opt.axis = (int)h.axis;
    opt.average = XPS_AVERAGE_MEAN;
    opt.float32_output = (int)h.f32;
    rc = xps__acc_begin((xps_acc_kind)h.kind, &opt, p, (xp_dtype)h.dtype, (int)h.ndim,
                        h.shape, -1, &acc);
    if (rc)
        goto done;
    xps__acc_state st;
    xps__acc_inspect(acc, &st);
    if (st.s->nfreq != h.nfreq || st.s->onesided != (int)h.onesided) {
        rc = xp_error(XP_EFORMAT, "%s: nfreq (%lld) or onesided (%u) do not follow from the "
                      "options", fn, (long long)h.nfreq, h.onesided);
        goto done;
    }
    for (int64_t k = 0, o = 0; rc == XP_OK && k < st.nsums; k++) {
        int64_t shape[2] = {st.R, h.nfreq};
        rc = xp_array_from_host(p, xp_array_dtype(st.sum[k]), 2, shape, vals + o, &sum);
        if (rc == XP_OK)
            rc = xp__copy(sum, st.sum[k]);
        xp_array_free(sum);
        sum = NULL;
        o += sum_doubles(st.kind, (int)k, st.R, h.nfreq);
    }
    if (rc == XP_OK)
        xps__acc_set_counts(acc, h.nseg, h.total);
done:
    xp_array_free(w);
    xp__free(win);
    xp__free(vals);
    if (rc)
        xps_spectral_acc_free(acc);
    else
        *out = acc;
    return rc;
}

int xps_spectral_acc_merge_serialized(void *into, const void *from, size_t len)
{
    const char *fn = "spectral_acc_merge_serialized";
    header a, c;
    int rc;
    if (!into || !from)
        return xp_error(XP_EINVAL, "%s: buffer is NULL", fn);
    if ((rc = parse(fn, into, len, &a)) || (rc = parse(fn, from, len, &c)))
        return rc;
    unsigned char *b = into;
    const unsigned char *f = from;
    /* the same setup: every byte but the counts, up to the sums */
    size_t vals = SER_HEADER + 8 * (size_t)a.nperseg;
    if (memcmp(b, f, OFF_NSEG) || memcmp(b + OFF_LEN, f + OFF_LEN, vals - OFF_LEN))
        return xp_error(XP_EINVAL, "%s: accumulators differ in kind, options, dtype or shape "
                        "and cannot be merged", fn);
    if (c.nseg > INT64_MAX - a.nseg || c.total > INT64_MAX - a.total)
        return xp_error(XP_EFORMAT, "%s: segment or sample counts overflow", fn);
    put_u64(b + OFF_NSEG, (uint64_t)(a.nseg + c.nseg));
    put_u64(b + OFF_TOTAL, (uint64_t)(a.total + c.total));
    for (int64_t i = 0; i < a.nsumvals; i++) {
        size_t o = vals + 8 * (size_t)i;
        put_f64(b + o, get_f64(b + o) + get_f64(f + o));
    }
    put_u64(b + len - 8, fnv1a(b, len - 8));
    return XP_OK;
}
