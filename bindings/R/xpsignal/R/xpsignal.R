# xpsignal: scipy.signal's spectral estimation, filtering and IIR design
# over libxpsignal, with SciPy's argument names, defaults and numbers.
#
# Signals: a numeric (or complex) vector, or a matrix with one signal per
# column (time along the rows); results keep that layout: a spectrum of a
# matrix has one column per signal.  Inputs are handed to the library
# without copying.  Where SciPy returns a tuple these return a named list
# (list(f =, Pxx =)); complex results (csd, zpk) are R complex vectors.
#
# Windows, as SciPy's window argument: a name ("hann"); a name with its
# parameters as a list (list("tukey", 0.25), list("kaiser", 8.6)) or as one
# string ("tukey,0.25"); or a numeric vector of the window's values.  A
# single number is a Kaiser beta for get_window only, as in SciPy; elsewhere
# it is a window of one value, as SciPy takes np.array([8.6]).  NULL or NA
# parameters are SciPy's None.
#
# Flags (return_onesided, analog, padded, ...) take TRUE/FALSE or a number
# (nonzero: TRUE), as Python's truth; anything else is an error.
#
# Detrend breakpoints (bp) and lengths are counts of samples, as SciPy's.

.num_text <- function(v) {
    if (is.null(v) || (length(v) == 1L && is.na(v))) return("None")
    if (is.logical(v)) return(ifelse(v, "True", "False"))
    sprintf("%.17g", as.double(v))
}

.window <- function(fn, window, beta = FALSE) {
    if (is.null(window)) return(NULL)
    if (is.character(window))
        return(paste(window, collapse = ","))
    if (is.list(window)) {
        if (!length(window) || !is.character(window[[1L]]) || length(window[[1L]]) != 1L)
            stop(fn, ": a window list must start with the window's name", call. = FALSE)
        params <- unlist(lapply(window[-1L], .num_text))
        return(paste(c(window[[1L]], params), collapse = ","))
    }
    if (is.numeric(window) && length(window) == 1L && beta)
        return(paste0("kaiser,", .num_text(window)))     # a Kaiser beta, as SciPy
    if (is.numeric(window)) {
        if (!is.null(dim(window)) && length(dim(window)) > 1L)
            stop(fn, ": a window array must be a vector", call. = FALSE)
        return(as.double(window))
    }
    stop(fn, ": window must be a name, a list(name, params...) or a numeric vector",
         call. = FALSE)
}

.flag <- function(fn, arg, value) {
    if ((is.logical(value) || is.numeric(value)) && length(value) == 1L && !is.na(value))
        return(value != 0)
    stop(sprintf("%s: %s (%s) must be TRUE or FALSE", fn, arg, deparse(value)),
         call. = FALSE)
}

.string <- function(fn, arg, value) {
    if (is.character(value) && length(value) == 1L && !is.na(value)) return(value)
    stop(sprintf("%s: %s (%s) must be one string", fn, arg, deparse(value)), call. = FALSE)
}

# fs of a design: NULL (SciPy's None: frequencies relative to Nyquist) or a
# positive number (0 would mean None to the C library)
.fs <- function(fn, fs) {
    if (is.null(fs)) return(0)
    if (is.numeric(fs) && length(fs) == 1L && is.finite(fs) && fs > 0) return(as.double(fs))
    stop(sprintf("%s: fs (%s) must be a positive number or NULL", fn, deparse(fs)),
         call. = FALSE)
}

.choice <- function(fn, arg, value, table) {
    if (is.character(value) && length(value) == 1L) {
        hit <- table[value]       # exact names, as SciPy compares them
        if (!is.na(hit)) return(unname(hit))
    }
    stop(sprintf("%s: %s (%s) must be one of %s", fn, arg, deparse(value),
                 paste0("'", names(table), "'", collapse = ", ")), call. = FALSE)
}

.int_or <- function(fn, arg, value, none) {
    if (is.null(value)) return(none)
    if (!is.numeric(value) || length(value) != 1L || !is.finite(value) ||
        value != round(value) || abs(value) > 2^53)
        stop(sprintf("%s: %s (%s) must be a whole number", fn, arg, deparse(value)),
             call. = FALSE)
    as.double(value)
}

# A segment length: NULL gives the C library's default (none); anything
# else must be at least least, so that a 0 or -1 is never taken for it.
.count_or <- function(fn, arg, value, none, least) {
    v <- .int_or(fn, arg, value, none)
    if (!is.null(value) && v < least) {
        if (arg == "noverlap")
            stop(sprintf("%s: noverlap (%s) must be >= 0 (negative overlaps, SciPy's gaps ",
                         fn, deparse(value)), "between segments, are not supported)",
                 call. = FALSE)
        stop(sprintf("%s: %s (%s) must be a positive integer", fn, arg, deparse(value)),
             call. = FALSE)
    }
    v
}

.signal <- function(fn, name, x) {
    y <- x
    if (is.complex(x) || is.double(x)) {
        # handed over as it is: no copy
    } else if (is.numeric(x) || is.logical(x)) {
        storage.mode(y) <- "double"
    } else {
        stop(fn, ": ", name, " must be numeric or complex", call. = FALSE)
    }
    d <- dim(y)
    if (!is.null(d) && length(d) > 2L)
        stop(fn, ": ", name, " must be a vector or a matrix (one signal per column)",
             call. = FALSE)
    y
}

.detrend_code <- function(fn, detrend) {
    if (isFALSE(detrend) || is.null(detrend)) return(0)
    .choice(fn, "detrend", detrend, c(none = 0, constant = 1, c = 1, linear = 2, l = 2))
}

.spectral <- function(kind, fn, x, y, fs, window, nperseg, noverlap, nfft, detrend,
                      return_onesided, scaling, average = "mean", mode = "psd",
                      boundary = 0, padded = 0) {
    x <- .signal(fn, "x", x)
    if (!is.null(y)) y <- .signal(fn, "y", y)
    if (!is.numeric(fs) || length(fs) != 1L)
        stop(fn, ": fs must be a number", call. = FALSE)
    opts <- list(
        fs = as.double(fs),
        nperseg = .count_or(fn, "nperseg", nperseg, 0, 1),
        noverlap = .count_or(fn, "noverlap", noverlap, -1, 0),
        nfft = .count_or(fn, "nfft", nfft, 0, 1),
        detrend = .detrend_code(fn, detrend),
        return_onesided = if (.flag(fn, "return_onesided", return_onesided)) 1 else 0,
        scaling = .choice(fn, "scaling", scaling, c(density = 0, spectrum = 1)),
        average = .choice(fn, "average", average,
                          c(mean = 0, median = 1, median_mean = 2)),
        mode = .choice(fn, "mode", mode, c(psd = 0, complex = 1, magnitude = 2,
                                           angle = 3, phase = 4)),
        boundary = boundary, padded = padded)
    .Call(C_spectral, as.integer(kind), x, y, .window(fn, window), opts)
}

# ------------------------------------------------------------- spectral

welch <- function(x, fs = 1, window = "hann", nperseg = NULL, noverlap = NULL,
                  nfft = NULL, detrend = "constant", return_onesided = TRUE,
                  scaling = "density", average = "mean") {
    r <- .spectral(0L, "welch", x, NULL, fs, window, nperseg, noverlap, nfft, detrend,
                   return_onesided, scaling, average)
    list(f = r[[1L]], Pxx = r[[2L]])
}

csd <- function(x, y, fs = 1, window = "hann", nperseg = NULL, noverlap = NULL,
                nfft = NULL, detrend = "constant", return_onesided = TRUE,
                scaling = "density", average = "mean") {
    r <- .spectral(1L, "csd", x, y, fs, window, nperseg, noverlap, nfft, detrend,
                   return_onesided, scaling, average)
    list(f = r[[1L]], Pxy = r[[2L]])
}

coherence <- function(x, y, fs = 1, window = "hann", nperseg = NULL, noverlap = NULL,
                      nfft = NULL, detrend = "constant") {
    r <- .spectral(2L, "coherence", x, y, fs, window, nperseg, noverlap, nfft, detrend,
                   TRUE, "density")
    list(f = r[[1L]], Cxy = r[[2L]])
}

periodogram <- function(x, fs = 1, window = "boxcar", nfft = NULL, detrend = "constant",
                        return_onesided = TRUE, scaling = "density") {
    if (is.null(window)) window <- "boxcar"
    r <- .spectral(3L, "periodogram", x, NULL, fs, window, NULL, NULL, nfft, detrend,
                   return_onesided, scaling)
    list(f = r[[1L]], Pxx = r[[2L]])
}

# Sxx: nfreq x nseg (SciPy's orientation), or nfreq x nseg x ncol for a matrix.
spectrogram <- function(x, fs = 1, window = list("tukey", 0.25), nperseg = NULL,
                        noverlap = NULL, nfft = NULL, detrend = "constant",
                        return_onesided = TRUE, scaling = "density", mode = "psd") {
    r <- .spectral(4L, "spectrogram", x, NULL, fs, window, nperseg, noverlap, nfft,
                   detrend, return_onesided, scaling, mode = mode)
    S <- r[[3L]]     # C [.., nfreq, nseg] -> R (nseg, nfreq, ..)
    S <- if (length(dim(S)) == 2L) t(S) else aperm(S, c(2L, 1L, 3L))
    list(f = r[[1L]], t = r[[2L]], Sxx = S)
}

# Zxx: nfreq x nseg (complex), or nfreq x nseg x ncol for a matrix, as
# spectrogram; boundary: "zeros", "even", "odd", "constant" or NULL.
stft <- function(x, fs = 1, window = "hann", nperseg = 256, noverlap = NULL, nfft = NULL,
                 detrend = FALSE, return_onesided = TRUE, boundary = "zeros",
                 padded = TRUE, scaling = "spectrum") {
    b <- if (is.null(boundary)) 0 else
        .choice("stft", "boundary", boundary, c(even = 1, odd = 2, constant = 3, zeros = 4))
    sc <- .choice("stft", "scaling", scaling, c(psd = 0, spectrum = 1))
    r <- .spectral(5L, "stft", x, NULL, fs, window, nperseg, noverlap, nfft, detrend,
                   return_onesided, c("density", "spectrum")[sc + 1], boundary = b,
                   padded = if (.flag("stft", "padded", padded)) 1 else 0)
    Z <- r[[3L]]
    Z <- if (length(dim(Z)) == 2L) t(Z) else aperm(Z, c(2L, 1L, 3L))
    list(f = r[[1L]], t = r[[2L]], Zxx = Z)
}

# Zxx as stft returns it (frequencies down the rows, segments across);
# x: a vector, or one signal per column for a 3-d Zxx.
istft <- function(Zxx, fs = 1, window = "hann", nperseg = NULL, noverlap = NULL,
                  nfft = NULL, input_onesided = TRUE, boundary = TRUE,
                  scaling = "spectrum") {
    if (!is.complex(Zxx)) {
        if (!is.numeric(Zxx)) stop("istft: Zxx must be complex or numeric", call. = FALSE)
        Zxx <- Zxx + 0i
    }
    d <- dim(Zxx)
    if (is.null(d) || length(d) < 2L || length(d) > 3L)
        stop("istft: Zxx must be a matrix (nfreq x nseg) or an nfreq x nseg x ncol array",
             call. = FALSE)
    if (!is.numeric(fs) || length(fs) != 1L)
        stop("istft: fs must be a number", call. = FALSE)
    # R's nfreq x nseg (x ncol) is column-major: the library sees
    # [(ncol,) nseg, nfreq], each segment's spectrum a contiguous row; no copy
    opts <- list(
        fs = as.double(fs),
        nperseg = .count_or("istft", "nperseg", nperseg, 0, 1),
        noverlap = .count_or("istft", "noverlap", noverlap, -1, 0),
        nfft = .count_or("istft", "nfft", nfft, 0, 1),
        input_onesided = if (.flag("istft", "input_onesided", input_onesided)) 1 else 0,
        boundary = if (.flag("istft", "boundary", boundary)) 1 else 0,
        scaling = .choice("istft", "scaling", scaling, c(psd = 0, spectrum = 1)))
    r <- .Call(C_istft, Zxx, .window("istft", window), opts)
    list(t = r[[1L]], x = r[[2L]])
}

# -------------------------------------------------------------- detrend

detrend <- function(x, type = "linear", bp = 0) {
    x <- .signal("detrend", "x", x)
    code <- .choice("detrend", "type", type, c(constant = 1, c = 1, linear = 2, l = 2))
    n <- if (is.null(dim(x))) length(x) else nrow(x)
    if (!is.numeric(bp) || anyNA(bp) || any(!is.finite(bp)) || any(bp != round(bp)))
        stop(sprintf("detrend: bp (%s) must be whole numbers", deparse(bp)), call. = FALSE)
    pts <- if (code == 2) sort(unique(as.double(bp))) else numeric(0)
    pts <- pts[pts != 0 & pts != n]      # the ends are always breakpoints
    .Call(C_detrend, x, as.integer(code), pts)
}

get_window <- function(window, Nx, fftbins = TRUE) {
    .Call(C_get_window, .window("get_window", window, beta = TRUE),
          .int_or("get_window", "Nx", Nx, 0), .flag("get_window", "fftbins", fftbins))
}

# ------------------------------------------------------------ filtering

.coefs <- function(fn, name, v) {
    if (is.complex(v) || !is.numeric(v))
        stop(fn, ": ", name, " must be real numbers", call. = FALSE)
    as.double(v)
}

.filtfilt_opts <- function(fn, padtype, padlen, method = "pad", irlen = NULL) {
    list(padtype = if (is.null(padtype)) 0 else
             .choice(fn, "padtype", padtype, c(odd = 1, even = 2, constant = 3)),
         # SciPy pads only when padlen > 0 (the C library's -1 is NULL)
         padlen = if (is.null(padlen)) -1 else max(.int_or(fn, "padlen", padlen, -1), 0),
         method = .choice(fn, "method", method, c(pad = 0, gust = 1)),
         irlen = .irlen(fn, irlen))
}

# a negative irlen fails in SciPy too: never the C library's -1 (NULL)
.irlen <- function(fn, irlen) {
    v <- .int_or(fn, "irlen", irlen, -1)
    if (!is.null(irlen) && v <= 0)
        stop(sprintf("%s: irlen (%s) must be positive, or NULL for the whole signal", fn,
                     deparse(irlen)), call. = FALSE)
    v
}

filtfilt <- function(b, a, x, padtype = "odd", padlen = NULL, method = "pad",
                     irlen = NULL) {
    .Call(C_filtfilt, .coefs("filtfilt", "b", b), .coefs("filtfilt", "a", a),
          .signal("filtfilt", "x", x),
          .filtfilt_opts("filtfilt", padtype, padlen, method, irlen))
}

# sos: a matrix with one section (b0 b1 b2 a0 a1 a2) per row, as SciPy's.
sosfiltfilt <- function(sos, x, padtype = "odd", padlen = NULL) {
    if (is.null(dim(sos))) sos <- matrix(sos, nrow = 1L)
    if (ncol(sos) != 6L)
        stop(sprintf("sosfiltfilt: sos must have 6 columns, got %d", ncol(sos)),
             call. = FALSE)
    .Call(C_sosfiltfilt, .coefs("sosfiltfilt", "sos", t(sos)),     # row by row
          .signal("sosfiltfilt", "x", x), .filtfilt_opts("sosfiltfilt", padtype, padlen))
}

# ----------------------------------------------------------- IIR design

# real_zeros: SciPy's z is float64, as for Butterworth, Chebyshev I and
# Bessel low- and high-pass designs (lp2bp and lp2bs make zeros complex).
.design <- function(r, output, real_zeros = FALSE) {
    switch(tolower(output),
           ba = list(b = r[[1L]], a = r[[2L]]),
           zpk = list(z = if (real_zeros) Re(r[[1L]]) else r[[1L]], p = r[[2L]], k = r[[3L]]),
           r)      # sos: an nsec x 6 matrix
}

butter <- function(N, Wn, btype = "low", analog = FALSE, output = "ba", fs = NULL) {
    r <- .Call(C_butter, .int_or("butter", "N", N, 0), as.double(Wn),
               .string("butter", "btype", btype), .flag("butter", "analog", analog),
               .string("butter", "output", output), .fs("butter", fs))
    .design(r, output, length(Wn) == 1L)
}

iirdesign <- function(wp, ws, gpass, gstop, analog = FALSE, ftype = "ellip",
                      output = "ba", fs = NULL) {
    r <- .Call(C_iirdesign, as.double(wp), as.double(ws), as.double(gpass),
               as.double(gstop), .flag("iirdesign", "analog", analog),
               .string("iirdesign", "ftype", ftype), .string("iirdesign", "output", output),
               .fs("iirdesign", fs))
    .design(r, output, length(wp) == 1L && is.character(ftype) &&
                       tolower(ftype) %in% c("butter", "butterworth", "cheby1", "chebyshev1",
                                             "chebyi"))
}

xpsignal_version <- function() .Call(C_version)
