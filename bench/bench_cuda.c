/*
 * bench_cuda.c -- the GPU benchmark: our functions on the cuda provider,
 * with the input already on the device and with its upload counted, and
 * cuFFT alone transforming the same segments (the bound).
 *
 *   bench_cuda CASE FUNC [--repeat N] [--small]
 *     CASE: ligo16k  4096 s at 16384 Hz, nperseg 65536, 50 % overlap, hann
 *           multi    64 channels x 2^20 samples, nperseg 4096
 *     FUNC: welch | csd | spectrogram | stft | istft | filtfilt | sosfiltfilt | fft
 *           (filters: butter(4, [35, 350], 'band', fs=4096), b, a or sos;
 *           istft: of the stft of the series, made on the host before the
 *           clock starts, its upload timed in mode=upload;
 *           fft: cuFFT alone, D2Z over the framed segments, no window)
 *     --small: tiny sizes, to run the program where there is no GPU (with
 *           XPSIGNAL_CUDA_MODULE naming the emulated module)
 *
 * Prints two lines, mode=device (input on the GPU before the clock starts)
 * and mode=upload (the host->device copy of the input timed too):
 *   case=... func=... mode=... seconds=<median> min=<min> input_mb=...
 * or seconds=n/a why=... when the provider or the device is missing.
 */
#include <cuda_runtime.h>
#include <cufft.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xpsignal.h>
#include "bench_common.h"

static const bench_case cases[] = {
    {"ligo16k", 1, 4096LL * 16384, 65536, 16384},
    {"multi", 64, 1LL << 20, 4096, 4096},
};
static const bench_case small_cases[] = {
    {"ligo16k", 1, 16LL * 4096, 4096, 16384},
    {"multi", 4, 1LL << 14, 1024, 4096},
};

static const char *const funcs[] = {"welch", "csd", "spectrogram", "stft", "istft",
                                    "filtfilt", "sosfiltfilt", "fft"};

typedef struct {
    const bench_case *c;
    const char *func, *label;
    int repeat, two, dev;       /* dev: the CUDA runtime sees a device */
    bench_filter filter;
    xps_spectral_options so;
    xps_istft_options io;       /* istft: the inverse of so's stft */
    double input_mb;            /* what mode=upload copies; 0: the series */
} bench;

/* The input as the host holds it: the series (float64), or for istft its
 * stft (complex128). */
typedef struct {
    xp_dtype dtype;
    int ndim;
    int64_t shape[3];
    const void *x, *y;
    xp_array *keep;             /* the host array x points into, if any */
} host_input;

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const bench *B, const char *mode, double *t)
{
    double mb = B->input_mb > 0 ? B->input_mb
                : (B->two ? 2.0 : 1.0) * B->c->channels * B->c->n * 8 / 1048576.0;
    qsort(t, (size_t)B->repeat, sizeof *t, cmp);
    printf("case=%s func=%s mode=%s seconds=%.6f min=%.6f input_mb=%.1f\n", B->label,
           B->func, mode, t[B->repeat / 2], t[0], mb);
}

static void report_na(const bench *B, const char *why)
{
    static const char *const modes[] = {"device", "upload"};
    for (int m = 0; m < 2; m++)
        printf("case=%s func=%s mode=%s seconds=n/a why=%s\n", B->label, B->func, modes[m],
               why);
}

static void sync(const bench *B)
{
    if (B->dev)                 /* the provider returns finished; a no-op check */
        cudaDeviceSynchronize();
}

static int run(const bench *B, const xp_array *x, const xp_array *y)
{
    xp_array *f = NULL, *P = NULL, *t = NULL;
    xps_filtfilt_options fo;
    const char *fn = B->func;
    int rc;
    xps_filtfilt_options_init(&fo);
    if (strcmp(fn, "welch") == 0)
        rc = xps_welch(x, &B->so, &f, &P);
    else if (strcmp(fn, "csd") == 0)
        rc = xps_csd(x, y, &B->so, &f, &P);
    else if (strcmp(fn, "spectrogram") == 0)
        rc = xps_spectrogram(x, &B->so, &f, &t, &P);
    else if (strcmp(fn, "stft") == 0)
        rc = xps_stft(x, &B->so, &f, &t, &P);
    else if (strcmp(fn, "istft") == 0)
        rc = xps_istft(x, &B->io, &t, &P);
    else if (strcmp(fn, "filtfilt") == 0)
        rc = xps_filtfilt(B->filter.b, B->filter.nb, B->filter.a, B->filter.na, x, &fo, &P);
    else
        rc = xps_sosfiltfilt(B->filter.sos, B->filter.nsec, x, &fo, &P);
    sync(B);
    xp_array_free(f);
    xp_array_free(P);
    xp_array_free(t);
    return rc;
}

/* What bench_xps uploads: the series, or for istft the stft of it made on
 * the host provider (SciPy's layout, [channels,] nfreq, nseg). */
static int host_input_make(bench *B, const double *hx, const double *hy, host_input *in)
{
    const bench_case *c = B->c;
    memset(in, 0, sizeof *in);
    in->dtype = XP_FLOAT64;
    in->ndim = c->channels > 1 ? 2 : 1;
    in->shape[0] = in->ndim == 2 ? c->channels : c->n;
    in->shape[1] = c->n;
    in->x = hx;
    in->y = hy;
    if (strcmp(B->func, "istft") != 0)
        return 0;
    const xp_provider *host = xp_provider_host();
    xp_array *xs = NULL, *f = NULL, *t = NULL;
    int rc = xp_array_from_host(host, XP_FLOAT64, in->ndim, in->shape, hx, &xs) ||
             xps_stft(xs, &B->so, &f, &t, &in->keep);
    xp_array_free(xs);
    xp_array_free(f);
    xp_array_free(t);
    if (rc)
        return rc;
    in->dtype = XP_COMPLEX128;
    in->ndim = xp_array_ndim(in->keep);
    for (int d = 0; d < in->ndim; d++)
        in->shape[d] = xp_array_dim(in->keep, d);
    const DLTensor *z = xp_array_dltensor(in->keep);     /* a fresh, C-ordered array */
    in->x = (const char *)z->data + z->byte_offset;
    B->input_mb = (double)xp_array_size(in->keep) * 16 / 1048576.0;
    return 0;
}

static int upload(const xp_provider *gpu, const bench *B, const host_input *in, xp_array **x,
                  xp_array **y)
{
    return xp_array_from_host(gpu, in->dtype, in->ndim, in->shape, in->x, x) ||
           (B->two && xp_array_from_host(gpu, in->dtype, in->ndim, in->shape, in->y, y));
}

/* Our function on the cuda provider: device-resident, then with upload. */
static int bench_xps(bench *B, const double *hx, const double *hy)
{
    const xp_provider *gpu = xp_provider_find("cuda");
    const char *why = "no cuda provider";
    if (!gpu || !xp_provider_available(gpu, &why)) {
        fprintf(stderr, "bench_cuda: %s\n", why);
        report_na(B, "provider_unavailable");
        return 1;
    }
    host_input in;
    xp_array *x = NULL, *y = NULL;
    double *t = malloc((size_t)B->repeat * sizeof *t);
    if (!t || host_input_make(B, hx, hy, &in) || upload(gpu, B, &in, &x, &y) ||
        run(B, x, y)) {         /* warm-up: plans, kernels, pools */
        fprintf(stderr, "bench_cuda: %s\n", xp_errmsg());
        report_na(B, "error");
        xp_array_free(x);
        xp_array_free(y);
        xp_array_free(in.keep);
        free(t);
        return 1;
    }
    for (int r = 0; r < B->repeat; r++) {
        double t0 = bench_now();
        run(B, x, y);
        t[r] = bench_now() - t0;
    }
    report(B, "device", t);
    xp_array_free(x);
    xp_array_free(y);
    int rc = 0;
    for (int r = 0; r < B->repeat && !rc; r++) {
        x = y = NULL;
        double t0 = bench_now();
        rc = upload(gpu, B, &in, &x, &y) || run(B, x, y);
        t[r] = bench_now() - t0;
        xp_array_free(x);
        xp_array_free(y);
    }
    if (rc) {
        fprintf(stderr, "bench_cuda: %s\n", xp_errmsg());
        printf("case=%s func=%s mode=upload seconds=n/a why=error\n", B->label, B->func);
    } else {
        report(B, "upload", t);
    }
    xp_array_free(in.keep);
    free(t);
    return rc;
}

/* cuFFT alone: the series' segments framed on the device, BATCH at a time
 * (framing not timed), one D2Z plan per batch size (cufftMakePlanMany64,
 * which the tests' emulated cuFFT has too); times the transforms
 * (device) and the series' upload plus the transforms (upload). */
enum { BATCH = 256, SMALL_BATCH = 8 };

static const char *cu_name(cudaError_t e) { return cudaGetErrorName(e); }

static int bench_fft(bench *B, const double *hx, int batch)
{
    const bench_case *c = B->c;
    int64_t L = c->nperseg, step = L / 2, nseg = (c->n - L) / step + 1;
    long long total = c->channels * nseg, nf = L / 2 + 1, n = L;
    long long bsz = total < batch ? total : batch, rem = total % bsz;
    size_t work = 0;
    size_t bytes = (size_t)(c->channels * c->n) * sizeof(double);
    double *dx = NULL, *din = NULL, *tdev = NULL, *tup = NULL;
    cufftDoubleComplex *dout = NULL;
    cufftHandle pb = 0, pr = 0;
    int have_pb = 0, have_pr = 0, ok = 0;
    const char *why = NULL;
    cudaError_t e;
    cufftResult fr = CUFFT_SUCCESS;

    tdev = malloc((size_t)B->repeat * sizeof *tdev);
    tup = malloc((size_t)B->repeat * sizeof *tup);
    if (!tdev || !tup) {
        why = "out_of_host_memory";
        goto done;
    }
    if ((e = cudaMalloc((void **)&dx, bytes)) != cudaSuccess ||
        (e = cudaMalloc((void **)&din, (size_t)bsz * L * sizeof *din)) != cudaSuccess ||
        (e = cudaMalloc((void **)&dout, (size_t)bsz * nf * sizeof *dout)) != cudaSuccess) {
        why = cu_name(e);
        goto done;
    }
    if ((fr = cufftCreate(&pb)) != CUFFT_SUCCESS)
        goto done;
    have_pb = 1;
    if ((fr = cufftMakePlanMany64(pb, 1, &n, NULL, 1, n, NULL, 1, nf, CUFFT_D2Z, bsz,
                                  &work)) != CUFFT_SUCCESS)
        goto done;
    if (rem) {
        if ((fr = cufftCreate(&pr)) != CUFFT_SUCCESS)
            goto done;
        have_pr = 1;
        if ((fr = cufftMakePlanMany64(pr, 1, &n, NULL, 1, n, NULL, 1, nf, CUFFT_D2Z, rem,
                                      &work)) != CUFFT_SUCCESS)
            goto done;
    }
    for (int r = -1; r < B->repeat; r++) {  /* r = -1: warm-up */
        double t0 = bench_now();
        if ((e = cudaMemcpy(dx, hx, bytes, cudaMemcpyHostToDevice)) != cudaSuccess) {
            why = cu_name(e);
            goto done;
        }
        double tu = bench_now() - t0, tf = 0;
        for (long long g0 = 0; g0 < total; g0 += bsz) {
            long long m = total - g0 < bsz ? total - g0 : bsz;
            for (long long j = 0; j < m; j++) {
                long long g = g0 + j, ch = g / nseg, k = g % nseg;
                cudaMemcpyAsync(din + j * L, dx + ch * c->n + k * step,
                                (size_t)L * sizeof *din, cudaMemcpyDeviceToDevice, 0);
            }
            if ((e = cudaDeviceSynchronize()) != cudaSuccess) {
                why = cu_name(e);
                goto done;
            }
            double t1 = bench_now();
            if ((fr = cufftExecD2Z(m == bsz ? pb : pr, din, dout)) != CUFFT_SUCCESS)
                goto done;
            if ((e = cudaDeviceSynchronize()) != cudaSuccess) {
                why = cu_name(e);
                goto done;
            }
            tf += bench_now() - t1;
        }
        if (r >= 0) {
            tdev[r] = tf;
            tup[r] = tu + tf;
        }
    }
    ok = 1;
done:
    if (ok) {
        report(B, "device", tdev);
        report(B, "upload", tup);
    } else {
        char buf[32];
        if (!why) {
            snprintf(buf, sizeof buf, "cufft_error_%d", (int)fr);
            why = buf;
        }
        report_na(B, why);
    }
    if (have_pb)
        cufftDestroy(pb);
    if (have_pr)
        cufftDestroy(pr);
    cudaFree(dx);
    cudaFree(din);
    cudaFree(dout);
    free(tdev);
    free(tup);
    return ok ? 0 : 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_cuda ligo16k|multi welch|csd|spectrogram|stft|istft|"
                    "filtfilt|sosfiltfilt|fft [--repeat N] [--small]\n");
    return 2;
}

int main(int argc, char **argv)
{
    static bench B;
    int small = 0;
    if (argc < 3)
        return usage();
    B.repeat = 3;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--small") == 0)
            small = 1;
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            B.repeat = atoi(argv[++i]);
        else
            return usage();
    }
    const bench_case *tab = small ? small_cases : cases;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], tab[i].name) == 0)
            B.c = &tab[i];
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (strcmp(argv[2], funcs[i]) == 0)
            B.func = funcs[i];
    if (!B.c || !B.func || B.repeat < 1)
        return usage();
    char label[64];
    snprintf(label, sizeof label, "%s%s", B.c->name, small ? "_small" : "");
    B.label = label;
    B.two = strcmp(B.func, "csd") == 0;

    int ndev = 0;
    cudaError_t e = cudaGetDeviceCount(&ndev);
    B.dev = e == cudaSuccess && ndev > 0;

    if (bench_filter_design("bench_cuda", &B.filter))
        return 1;
    int stft = strcmp(B.func, "stft") == 0 || strcmp(B.func, "istft") == 0;
    if (strcmp(B.func, "spectrogram") == 0)
        xps_spectrogram_options_init(&B.so);
    else if (stft)
        xps_stft_options_init(&B.so);
    else
        xps_welch_options_init(&B.so);
    B.so.fs = B.c->fs;
    B.so.nperseg = B.c->nperseg;
    B.so.noverlap = B.c->nperseg / 2;
    xps_window_spec_parse("hann", &B.so.window);
    xps_istft_options_init(&B.io);
    B.io.fs = B.c->fs;
    B.io.nperseg = B.c->nperseg;
    B.io.noverlap = B.c->nperseg / 2;

    int64_t total = B.c->channels * B.c->n;
    double *hx = malloc((size_t)total * sizeof *hx);
    double *hy = B.two ? malloc((size_t)total * sizeof *hy) : NULL;
    if (!hx || (B.two && !hy))
        return 1;
    bench_fill(hx, total, 1);
    if (hy)
        bench_fill(hy, total, 2);
    int rc = 0;
    if (strcmp(B.func, "fft") != 0)
        rc = bench_xps(&B, hx, hy);
    else if (B.dev)
        rc = bench_fft(&B, hx, small ? SMALL_BATCH : BATCH);
    else                        /* no GPU: said, not an error of this program */
        report_na(&B, cu_name(e != cudaSuccess ? e : cudaErrorNoDevice));
    free(hx);
    free(hy);
    return rc;
}
