/*
 * xpsignal.c -- .Call glue between R and libxpsignal.
 *
 * R's numeric (complex) vectors are float64 (complex128) host memory: an
 * input is borrowed as a DLTensor over REAL(x) without copying and only
 * read; results come back as new arrays whose values are copied into new
 * R vectors.  A vector is the 1-D array [n]; a matrix of nrow x ncol,
 * stored column by column, is the C-ordered array [ncol, nrow]: one
 * signal per column, time along the rows, the transform along the last C
 * axis.  A C result [a, b, ...] comes back with R dims (..., b, a), the
 * same memory.
 *
 * The arguments arrive checked and converted by R/xpsignal.R; the library
 * checks the values and says what is wrong.  Every xp_array of a call is
 * kept in a scope that an external pointer owns, so that an R error (ours,
 * or an allocation failing in R) never leaks one: the finalizer frees
 * what an early exit left.
 */
#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xps.h"

/* ------------------------------------------------------------------ scope */

#define XR_MAX 8

typedef struct {
    xp_array *arr[XR_MAX];      /* freed when the scope ends */
    int narr;
    DLTensor t[XR_MAX];         /* borrowed inputs; must outlive their arrays */
    int64_t shape[XR_MAX][3];
    int nt;
} xr_scope;

static void scope_end(SEXP holder)
{
    xr_scope *s = R_ExternalPtrAddr(holder);
    if (!s)
        return;
    for (int i = 0; i < s->narr; i++)
        xp_array_free(s->arr[i]);
    free(s);
    R_ClearExternalPtr(holder);
}

/* A new scope held by *holder, left PROTECTed (one UNPROTECT for the
 * caller): protected before the finalizer is registered, which allocates. */
static xr_scope *scope_begin(SEXP *holder)
{
    xr_scope *s = calloc(1, sizeof *s);
    if (!s)
        Rf_error("xpsignal: out of memory");
    *holder = PROTECT(R_MakeExternalPtr(s, R_NilValue, R_NilValue));
    R_RegisterCFinalizerEx(*holder, scope_end, TRUE);
    return s;
}

static void keep(xr_scope *s, xp_array *a)
{
    if (a)
        s->arr[s->narr++] = a;
}

/* The library's message as an R error; frees the scope first. */
static void NORET fail(SEXP holder, int rc)
{
    char msg[1024];
    const char *m = xp_errmsg();
    snprintf(msg, sizeof msg, "%s", m && *m ? m : xp_strerror(rc));
    scope_end(holder);
    Rf_error("%s", msg);
}

#define TRY(holder, call)                       \
    do {                                        \
        int rc_ = (call);                       \
        if (rc_)                                \
            fail(holder, rc_);                  \
    } while (0)

/* ----------------------------------------------------------- conversions */

/* Borrow x (numeric or complex vector, matrix or 3-d array) as an array
 * in s. */
static xp_array *borrow(SEXP holder, xr_scope *s, SEXP x, const char *name)
{
    int cplx = TYPEOF(x) == CPLXSXP;
    if (!cplx && TYPEOF(x) != REALSXP) {
        scope_end(holder);
        Rf_error("xpsignal: %s must be numeric or complex", name);
    }
    if (s->nt == XR_MAX || s->narr == XR_MAX) {
        scope_end(holder);
        Rf_error("xpsignal: too many arrays in one call");
    }
    DLTensor *t = &s->t[s->nt];
    int64_t *shape = s->shape[s->nt++];
    SEXP dim = Rf_getAttrib(x, R_DimSymbol);
    memset(t, 0, sizeof *t);
    if (Rf_isNull(dim)) {
        t->ndim = 1;
        shape[0] = (int64_t)XLENGTH(x);
    } else if (LENGTH(dim) <= 3) {     /* column-major: the dimensions reversed */
        t->ndim = LENGTH(dim);
        for (int d = 0; d < t->ndim; d++)
            shape[d] = INTEGER(dim)[t->ndim - 1 - d];
    } else {
        scope_end(holder);
        Rf_error("xpsignal: %s must be a vector, a matrix or an array of 3 dimensions, "
                 "not of %d", name, LENGTH(dim));
    }
    /* the library only reads inputs */
    t->data = cplx ? (void *)COMPLEX(x) : (void *)REAL(x);
    t->device.device_type = xp_provider_device_type(xp_provider_host());
    t->device.device_id = 0;
    xp_dtype_to_dlpack(cplx ? XP_COMPLEX128 : XP_FLOAT64, &t->dtype);
    t->shape = shape;
    t->strides = NULL;
    xp_array *a = NULL;
    TRY(holder, xp_array_wrap(t, &a));
    keep(s, a);
    return a;
}

/* A new R vector (with dims for 2 or more dimensions) holding a's values. */
static SEXP to_r(SEXP holder, const xp_array *a)
{
    const DLTensor *t = xp_array_dltensor(a);
    xp_dtype dt = xp_array_dtype(a);
    if (dt != XP_FLOAT64 && dt != XP_COMPLEX128) {
        scope_end(holder);
        Rf_error("xpsignal: unexpected result dtype %s", xp_dtype_name(dt));
    }
    int cplx = dt == XP_COMPLEX128;
    R_xlen_t n = (R_xlen_t)xp_array_size(a);
    SEXP v = PROTECT(Rf_allocVector(cplx ? CPLXSXP : REALSXP, n));
    if (n > 0) {
        int rc = xp_array_to_host(a, cplx ? (void *)COMPLEX(v) : (void *)REAL(v),
                                  (size_t)n * xp_dtype_size(dt));
        if (rc) {
            UNPROTECT(1);
            fail(holder, rc);
        }
    }
    if (t->ndim >= 2) {
        SEXP dim = PROTECT(Rf_allocVector(INTSXP, t->ndim));
        for (int d = 0; d < t->ndim; d++)
            INTEGER(dim)[d] = (int)t->shape[t->ndim - 1 - d];
        Rf_setAttrib(v, R_DimSymbol, dim);
        UNPROTECT(1);
    }
    UNPROTECT(1);
    return v;
}

/* A numeric field of the named list opts; missing is a bug in the R side. */
static double field(SEXP holder, SEXP opts, const char *name)
{
    SEXP names = Rf_getAttrib(opts, R_NamesSymbol);
    for (R_xlen_t i = 0; i < XLENGTH(opts); i++)
        if (!strcmp(CHAR(STRING_ELT(names, i)), name))
            return Rf_asReal(VECTOR_ELT(opts, i));
    scope_end(holder);
    Rf_error("xpsignal: internal: option '%s' missing", name);
}

/* window: NULL (keep the default), a string for xps_window_spec_parse,
 * or a numeric vector (the window's values, borrowed). */
static void set_window(SEXP holder, xr_scope *s, SEXP window, xps_window_spec *spec)
{
    if (Rf_isNull(window))
        return;
    if (TYPEOF(window) == STRSXP && XLENGTH(window) == 1) {
        TRY(holder, xps_window_spec_parse(CHAR(STRING_ELT(window, 0)), spec));
        return;
    }
    xps_window_spec_init(spec);
    spec->name[0] = '\0';
    spec->array = borrow(holder, s, window, "window");
}

static SEXP list2(SEXP a, SEXP b)
{
    SEXP l = PROTECT(Rf_allocVector(VECSXP, 2));
    SET_VECTOR_ELT(l, 0, a);
    SET_VECTOR_ELT(l, 1, b);
    UNPROTECT(1);
    return l;
}

/* -------------------------------------------------------------- spectral */

enum { K_WELCH, K_CSD, K_COHERENCE, K_PERIODOGRAM, K_SPECTROGRAM, K_STFT };

/* .Call(C_spectral, kind, x, y, window, opts): list(f, P) or list(f, t, S). */
static SEXP xr_spectral(SEXP kind_, SEXP x, SEXP y, SEXP window, SEXP opts)
{
    int kind = Rf_asInteger(kind_);
    SEXP holder;
    xr_scope *s = scope_begin(&holder);
    xps_spectral_options o;
    if (kind == K_PERIODOGRAM)
        xps_periodogram_options_init(&o);
    else if (kind == K_SPECTROGRAM)
        xps_spectrogram_options_init(&o);
    else if (kind == K_STFT)
        xps_stft_options_init(&o);
    else
        xps_welch_options_init(&o);
    set_window(holder, s, window, &o.window);
    o.fs = field(holder, opts, "fs");
    o.nperseg = (int64_t)field(holder, opts, "nperseg");
    o.noverlap = (int64_t)field(holder, opts, "noverlap");
    o.nfft = (int64_t)field(holder, opts, "nfft");
    o.detrend = (xps_detrend_type)(int)field(holder, opts, "detrend");
    o.return_onesided = (int)field(holder, opts, "return_onesided");
    o.scaling = (xps_scaling)(int)field(holder, opts, "scaling");
    o.average = (xps_average)(int)field(holder, opts, "average");
    o.mode = (xps_mode)(int)field(holder, opts, "mode");
    o.boundary = (xps_boundary)(int)field(holder, opts, "boundary");
    o.padded = (int)field(holder, opts, "padded");
    o.axis = -1;

    xp_array *ax = borrow(holder, s, x, "x"), *ay = NULL;
    if (kind == K_CSD || kind == K_COHERENCE)
        ay = borrow(holder, s, y, "y");
    xp_array *f = NULL, *t = NULL, *P = NULL;
    int rc;
    switch (kind) {
    case K_WELCH:
        rc = xps_welch(ax, &o, &f, &P);
        break;
    case K_CSD:
        rc = xps_csd(ax, ay, &o, &f, &P);
        break;
    case K_COHERENCE:
        rc = xps_coherence(ax, ay, &o, &f, &P);
        break;
    case K_PERIODOGRAM:
        rc = xps_periodogram(ax, &o, &f, &P);
        break;
    case K_STFT:
        rc = xps_stft(ax, &o, &f, &t, &P);
        break;
    default:
        rc = xps_spectrogram(ax, &o, &f, &t, &P);
    }
    keep(s, f);
    keep(s, t);
    keep(s, P);
    if (rc)
        fail(holder, rc);
    SEXP out = PROTECT(Rf_allocVector(VECSXP, t ? 3 : 2));
    SET_VECTOR_ELT(out, 0, to_r(holder, f));
    if (t)
        SET_VECTOR_ELT(out, 1, to_r(holder, t));
    SET_VECTOR_ELT(out, t ? 2 : 1, to_r(holder, P));
    scope_end(holder);
    UNPROTECT(2);
    return out;
}

/* .Call(C_istft, Z, window, opts): list(t, x).  Z is R's nfreq x nseg
 * (x nchan): C's [(nchan,) nseg, nfreq], time then frequency last. */
static SEXP xr_istft(SEXP Z, SEXP window, SEXP opts)
{
    SEXP holder;
    xr_scope *s = scope_begin(&holder);
    xps_istft_options o;
    xps_istft_options_init(&o);
    set_window(holder, s, window, &o.window);
    o.fs = field(holder, opts, "fs");
    o.nperseg = (int64_t)field(holder, opts, "nperseg");
    o.noverlap = (int64_t)field(holder, opts, "noverlap");
    o.nfft = (int64_t)field(holder, opts, "nfft");
    o.input_onesided = (int)field(holder, opts, "input_onesided");
    o.boundary = (int)field(holder, opts, "boundary");
    o.scaling = (xps_scaling)(int)field(holder, opts, "scaling");
    o.time_axis = -2;
    o.freq_axis = -1;
    xp_array *az = borrow(holder, s, Z, "Zxx"), *t = NULL, *x = NULL;
    int rc = xps_istft(az, &o, &t, &x);
    keep(s, t);
    keep(s, x);
    if (rc)
        fail(holder, rc);
    SEXP out = PROTECT(list2(to_r(holder, t), to_r(holder, x)));
    scope_end(holder);
    UNPROTECT(2);
    return out;
}

/* .Call(C_detrend, x, type, bp): bp integer breakpoints (samples before each). */
static SEXP xr_detrend(SEXP x, SEXP type, SEXP bp)
{
    SEXP holder;
    xr_scope *s = scope_begin(&holder);
    xp_array *ax = borrow(holder, s, x, "x"), *ay = NULL;
    R_xlen_t nbp = XLENGTH(bp);
    int64_t pts[64];
    if (nbp > 64) {
        scope_end(holder);
        Rf_error("detrend: at most 64 breakpoints (got %lld)", (long long)nbp);
    }
    for (R_xlen_t i = 0; i < nbp; i++)
        pts[i] = (int64_t)REAL(bp)[i];
    int rc = xps_detrend(ax, -1, (xps_detrend_type)Rf_asInteger(type), pts, (int64_t)nbp,
                         &ay);
    keep(s, ay);
    if (rc)
        fail(holder, rc);
    SEXP out = to_r(holder, ay);
    scope_end(holder);
    UNPROTECT(1);
    return out;
}

/* .Call(C_get_window, window, Nx, fftbins). */
static SEXP xr_get_window(SEXP window, SEXP Nx, SEXP fftbins)
{
    SEXP holder;
    xr_scope *s = scope_begin(&holder);
    xps_window_spec spec;
    xps_window_spec_init(&spec);
    set_window(holder, s, window, &spec);
    xp_array *w = NULL;
    int rc = xps_get_window(&spec, (int64_t)Rf_asReal(Nx), Rf_asLogical(fftbins),
                            xp_provider_host(), XP_FLOAT64, &w);
    keep(s, w);
    if (rc)
        fail(holder, rc);
    SEXP out = to_r(holder, w);
    scope_end(holder);
    UNPROTECT(1);
    return out;
}

/* ------------------------------------------------------------- filtering */

static void filtfilt_opts(SEXP holder, SEXP opts, xps_filtfilt_options *o)
{
    xps_filtfilt_options_init(o);
    o->padtype = (xps_padtype)(int)field(holder, opts, "padtype");
    o->padlen = (int64_t)field(holder, opts, "padlen");
    o->method = (xps_filtfilt_method)(int)field(holder, opts, "method");
    o->irlen = (int64_t)field(holder, opts, "irlen");
    o->axis = -1;
}

/* .Call(C_filtfilt, b, a, x, opts) with real coefficient vectors. */
static SEXP xr_filtfilt(SEXP b, SEXP a, SEXP x, SEXP opts)
{
    SEXP holder;
    xr_scope *s = scope_begin(&holder);
    xps_filtfilt_options o;
    filtfilt_opts(holder, opts, &o);
    xp_array *ax = borrow(holder, s, x, "x"), *ay = NULL;
    int rc = xps_filtfilt(REAL(b), (int64_t)XLENGTH(b), REAL(a), (int64_t)XLENGTH(a), ax, &o,
                          &ay);
    keep(s, ay);
    if (rc)
        fail(holder, rc);
    SEXP out = to_r(holder, ay);
    scope_end(holder);
    UNPROTECT(1);
    return out;
}

/* .Call(C_sosfiltfilt, sos, x, opts): sos the row-major [nsec][6] values. */
static SEXP xr_sosfiltfilt(SEXP sos, SEXP x, SEXP opts)
{
    SEXP holder;
    xr_scope *s = scope_begin(&holder);
    xps_filtfilt_options o;
    filtfilt_opts(holder, opts, &o);
    xp_array *ax = borrow(holder, s, x, "x"), *ay = NULL;
    int rc = xps_sosfiltfilt(REAL(sos), (int64_t)(XLENGTH(sos) / 6), ax, &o, &ay);
    keep(s, ay);
    if (rc)
        fail(holder, rc);
    SEXP out = to_r(holder, ay);
    scope_end(holder);
    UNPROTECT(1);
    return out;
}

/* ------------------------------------------------------------ IIR design
 * Host-side coefficient math: plain buffers, no arrays, no scope. */

static void NORET iir_fail(int rc)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", *xp_errmsg() ? xp_errmsg() : xp_strerror(rc));
    Rf_error("%s", msg);
}

/* The designed form as R values: list(b, a), list(z, p, k) or an
 * nsec x 6 matrix. */
static SEXP design_result(xps_output out, const double *c1, int64_t n1, const double *c2,
                          int64_t n2, double k)
{
    if (out == XPS_OUTPUT_SOS) {
        SEXP m = PROTECT(Rf_allocMatrix(REALSXP, (int)n1, 6));
        for (int64_t i = 0; i < n1; i++)
            for (int j = 0; j < 6; j++)
                REAL(m)[i + j * n1] = c1[6 * i + j];
        UNPROTECT(1);
        return m;
    }
    if (out == XPS_OUTPUT_BA) {
        SEXP b = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n1));
        SEXP a = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n2));
        memcpy(REAL(b), c1, (size_t)n1 * sizeof(double));
        memcpy(REAL(a), c2, (size_t)n2 * sizeof(double));
        SEXP l = list2(b, a);
        UNPROTECT(2);
        return l;
    }
    SEXP z = PROTECT(Rf_allocVector(CPLXSXP, (R_xlen_t)n1));
    SEXP p = PROTECT(Rf_allocVector(CPLXSXP, (R_xlen_t)n2));
    for (int64_t i = 0; i < n1; i++) {
        COMPLEX(z)[i].r = c1[2 * i];
        COMPLEX(z)[i].i = c1[2 * i + 1];
    }
    for (int64_t i = 0; i < n2; i++) {
        COMPLEX(p)[i].r = c2[2 * i];
        COMPLEX(p)[i].i = c2[2 * i + 1];
    }
    SEXP l = PROTECT(Rf_allocVector(VECSXP, 3));
    SET_VECTOR_ELT(l, 0, z);
    SET_VECTOR_ELT(l, 1, p);
    SET_VECTOR_ELT(l, 2, Rf_ScalarReal(k));
    UNPROTECT(3);
    return l;
}

/* SciPy's names of a band type, filter type or output form. */
static xps_btype btype_of(SEXP name)
{
    xps_btype v = XPS_BTYPE_LOWPASS;
    int rc = xps_btype_parse(CHAR(STRING_ELT(name, 0)), &v);
    if (rc)
        iir_fail(rc);
    return v;
}

static xps_ftype ftype_of(SEXP name)
{
    xps_ftype v = XPS_FTYPE_ELLIP;
    int rc = xps_ftype_parse(CHAR(STRING_ELT(name, 0)), &v);
    if (rc)
        iir_fail(rc);
    return v;
}

static xps_output output_of(SEXP name)
{
    xps_output v = XPS_OUTPUT_BA;
    int rc = xps_output_parse(CHAR(STRING_ELT(name, 0)), &v);
    if (rc)
        iir_fail(rc);
    return v;
}

/* .Call(C_butter, N, Wn, btype, analog, output, fs): fs 0 = SciPy's None. */
static SEXP xr_butter(SEXP N_, SEXP Wn, SEXP btype, SEXP analog, SEXP output, SEXP fs)
{
    int64_t N = (int64_t)Rf_asReal(N_);
    xps_btype bt = btype_of(btype);
    xps_output out = output_of(output);
    int64_t cap = xps_iir_buflen(N > 0 ? N : 0);
    double *c1 = (double *)R_alloc((size_t)cap, sizeof(double));
    double *c2 = (double *)R_alloc((size_t)cap, sizeof(double));
    int64_t n1 = 0, n2 = 0;
    double k = 0;
    int rc = xps_butter(N, REAL(Wn), (int64_t)XLENGTH(Wn), bt, Rf_asLogical(analog), out,
                        Rf_asReal(fs), c1, &n1, c2, &n2, &k);
    if (rc)
        iir_fail(rc);
    return design_result(out, c1, n1, c2, n2, k);
}

/* .Call(C_iirdesign, wp, ws, gpass, gstop, analog, ftype, output, fs). */
static SEXP xr_iirdesign(SEXP wp, SEXP ws, SEXP gpass, SEXP gstop, SEXP analog, SEXP ftype,
                         SEXP output, SEXP fs)
{
    xps_ftype ft = ftype_of(ftype);
    xps_output out = output_of(output);
    int64_t nw = (int64_t)XLENGTH(wp);
    if (XLENGTH(ws) != nw)
        Rf_error("iirdesign: wp and ws must have the same length (%lld and %lld)",
                 (long long)nw, (long long)XLENGTH(ws));
    int an = Rf_asLogical(analog);
    double gp = Rf_asReal(gpass), gs = Rf_asReal(gstop), fsv = Rf_asReal(fs);
    /* the order, hence the buffers' size, from the matching order function */
    int64_t order = 1;
    double wn[2];
    int rc = XP_OK;
    switch (ft) {
    case XPS_FTYPE_BUTTER:
        rc = xps_buttord(REAL(wp), REAL(ws), nw, gp, gs, an, fsv, &order, wn);
        break;
    case XPS_FTYPE_CHEBY1:
        rc = xps_cheb1ord(REAL(wp), REAL(ws), nw, gp, gs, an, fsv, &order, wn);
        break;
    case XPS_FTYPE_CHEBY2:
        rc = xps_cheb2ord(REAL(wp), REAL(ws), nw, gp, gs, an, fsv, &order, wn);
        break;
    case XPS_FTYPE_ELLIP:
        rc = xps_ellipord(REAL(wp), REAL(ws), nw, gp, gs, an, fsv, &order, wn);
        break;
    default:
        break;  /* iirdesign refuses it with its own message */
    }
    if (rc)
        iir_fail(rc);
    int64_t cap = xps_iir_buflen(order > 1 ? order : 1);
    double *c1 = (double *)R_alloc((size_t)cap, sizeof(double));
    double *c2 = (double *)R_alloc((size_t)cap, sizeof(double));
    int64_t n1 = 0, n2 = 0, got = 0;
    double k = 0;
    rc = xps_iirdesign(REAL(wp), REAL(ws), nw, gp, gs, an, ft, out, fsv, cap, c1, &n1, c2, &n2,
                       &k, &got);
    if (rc)
        iir_fail(rc);
    return design_result(out, c1, n1, c2, n2, k);
}

/* .Call(C_version) */
static SEXP xr_version(void)
{
    return Rf_mkString(xp_version());
}

/* ---------------------------------------------------------- registration */

/* (through void (*)(void), the generic function pointer type, so that
 * -Wcast-function-type is quiet) */
#define CALLDEF(name, fn, n) {#name, (DL_FUNC)(void (*)(void))&fn, n}

static const R_CallMethodDef calls[] = {
    CALLDEF(C_spectral, xr_spectral, 5),
    CALLDEF(C_istft, xr_istft, 3),
    CALLDEF(C_detrend, xr_detrend, 3),
    CALLDEF(C_get_window, xr_get_window, 3),
    CALLDEF(C_filtfilt, xr_filtfilt, 4),
    CALLDEF(C_sosfiltfilt, xr_sosfiltfilt, 3),
    CALLDEF(C_butter, xr_butter, 6),
    CALLDEF(C_iirdesign, xr_iirdesign, 8),
    CALLDEF(C_version, xr_version, 0),
    {NULL, NULL, 0}
};

void R_init_xpsignal(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, calls, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
