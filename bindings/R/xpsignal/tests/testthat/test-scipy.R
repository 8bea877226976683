# xpsignal against SciPy's numbers (golden.txt, from bindings/R/gen_golden.py).

read_golden <- function(path) {
    g <- list()
    for (line in readLines(path)) {
        if (!nzchar(line) || startsWith(line, "#")) next
        w <- strsplit(line, " ", fixed = TRUE)[[1L]]
        v <- as.double(w[-(1:2)])
        g[[w[2L]]] <- switch(w[1L],
            r = v,
            c = complex(real = v[c(TRUE, FALSE)], imaginary = v[c(FALSE, TRUE)]),
            m = matrix(v[-(1:2)], nrow = v[1L], ncol = v[2L], byrow = TRUE))
    }
    g
}

golden_path <- if (file.exists("golden.txt")) "golden.txt" else
    testthat::test_path("golden.txt")
G <- read_golden(golden_path)
x <- G$x
y <- G$y

# max |got - want| relative to max |want|, as the C suites measure it
close <- function(got, want, tol = 1e-10) {
    expect_equal(length(got), length(want))
    expect_equal(dim(got), dim(want))
    scale <- max(Mod(want), .Machine$double.xmin)
    err <- max(Mod(as.vector(got) - as.vector(want))) / scale
    expect_lt(err, tol)
}

test_that("welch matches SciPy", {
    r <- welch(x)
    expect_named(r, c("f", "Pxx"))
    expect_true(is.double(r$Pxx) && is.null(dim(r$Pxx)))
    close(r$f, G$welch_f)
    close(r$Pxx, G$welch_P)
    r <- welch(x, fs = 100, window = list("tukey", 0.3), nperseg = 64, noverlap = 40,
               nfft = 100, detrend = "linear", scaling = "spectrum", average = "median")
    close(r$f, G$welch_opts_f)
    close(r$Pxx, G$welch_opts_P)
    r2 <- welch(x, fs = 100, window = "tukey,0.3", nperseg = 64, noverlap = 40,
                nfft = 100, detrend = "linear", scaling = "spectrum", average = "median")
    expect_identical(r2, r)
    # a Kaiser beta for get_window only: elsewhere a window of one value
    expect_error(welch(x, window = 8.6, nperseg = 100), "window's length \\(1\\)")
    close(welch(x, window = list("kaiser", 8.6), nperseg = 100)$Pxx, G$welch_kaiser_P)
    close(welch(x, window = G$winarray)$Pxx, G$welch_winarray_P)
    r <- welch(x, nperseg = 32, return_onesided = FALSE, detrend = FALSE)
    close(r$f, G$welch_twosided_f)
    close(r$Pxx, G$welch_twosided_P)
})

test_that("a matrix holds one signal per column", {
    X <- cbind(x, y)
    r <- welch(X, nperseg = 64)
    close(r$Pxx, t(G$welch_matrix_P))
    expect_equal(dim(r$Pxx), c(33L, 2L))
    close(sosfiltfilt(G$filt_sos, X, padlen = 20), t(G$sosfiltfilt_matrix), 1e-9)
    # integer and logical input is converted
    xi <- round(10 * x)
    storage.mode(xi) <- "integer"
    expect_equal(welch(xi)$Pxx, welch(as.double(xi))$Pxx)
})

test_that("csd and coherence match SciPy", {
    r <- csd(x, y, nperseg = 64)
    expect_named(r, c("f", "Pxy"))
    expect_true(is.complex(r$Pxy))
    close(r$f, G$csd_f)
    close(r$Pxy, G$csd_P)
    close(csd(x, y[1:150], nperseg = 64)$Pxy, G$csd_short_P)
    r <- coherence(x, y, nperseg = 64)
    expect_named(r, c("f", "Cxy"))
    close(r$f, G$coherence_f)
    close(r$Cxy, G$coherence_C)
})

test_that("periodogram and spectrogram match SciPy", {
    r <- periodogram(x)
    close(r$f, G$periodogram_f)
    close(r$Pxx, G$periodogram_P)
    r <- periodogram(x, fs = 4, window = "hann", nfft = 256, detrend = "linear",
                     scaling = "spectrum")
    close(r$f, G$periodogram_opts_f)
    close(r$Pxx, G$periodogram_opts_P)
    r <- spectrogram(x, fs = 10, nperseg = 64)
    expect_named(r, c("f", "t", "Sxx"))
    close(r$f, G$spectrogram_f)
    close(r$t, G$spectrogram_t)
    close(r$Sxx, G$spectrogram_S)           # nfreq x nseg, as SciPy
    r <- spectrogram(x, nperseg = 32, noverlap = 16, mode = "magnitude", window = "hann")
    close(r$Sxx, G$spectrogram_mag_S)
    S3 <- spectrogram(cbind(x, x), fs = 10, nperseg = 64)$Sxx
    expect_equal(dim(S3), c(dim(G$spectrogram_S), 2L))
    close(S3[, , 2], G$spectrogram_S)
    Sc <- spectrogram(x, fs = 10, nperseg = 64, mode = "complex")$Sxx
    expect_true(is.complex(Sc))
})

test_that("stft and istft match SciPy", {
    zmat <- function(v, d) matrix(v, nrow = d[1L], ncol = d[2L], byrow = TRUE)
    r <- stft(x, fs = 10, nperseg = 64)
    expect_named(r, c("f", "t", "Zxx"))
    close(r$f, G$stft_f)
    close(r$t, G$stft_t)
    close(r$Zxx, zmat(G$stft_Z, G$stft_Z_dim))          # nfreq x nseg, as SciPy
    r2 <- stft(x, nperseg = 50, noverlap = 30, window = list("tukey", 0.25),
               boundary = "odd", padded = FALSE, scaling = "psd", detrend = "linear")
    close(r2$Zxx, zmat(G$stft_opts_Z, G$stft_opts_Z_dim))
    b <- istft(r$Zxx, nperseg = 64)
    expect_named(b, c("t", "x"))
    close(b$x, G$istft_x)
    close(b$t, G$istft_t)
    close(b$x[seq_along(x)], x)                          # the round trip
    # a matrix of signals: Zxx nfreq x nseg x 2, one signal per column back
    Z3 <- stft(cbind(x, 2 * x), nperseg = 64)$Zxx
    expect_equal(dim(Z3)[3], 2L)
    X3 <- istft(Z3, nperseg = 64)$x
    expect_equal(dim(X3), c(length(G$istft_x), 2L))
    close(X3[, 2], 2 * G$istft_x)
    expect_error(stft(x, boundary = "mirror"), "stft: boundary")
    expect_error(istft(r$Zxx, nperseg = 64, nfft = 32), "istft: nfft \\(32\\)")
    expect_error(istft(1:10), "istft: Zxx must be a matrix")
})

test_that("detrend and get_window match SciPy", {
    close(detrend(x), G$detrend_linear, 1e-9)
    close(detrend(x, type = "constant"), G$detrend_constant, 1e-9)
    close(detrend(x, bp = c(60, 150)), G$detrend_bp, 1e-9)
    close(get_window("hann", 16), G$window_hann16)
    close(get_window(list("tukey", 0.25), 20, fftbins = FALSE), G$window_tukey20_sym)
    close(get_window(list("kaiser", 8.6), 15), G$window_kaiser15)
    close(get_window(8.6, 15), G$window_kaiser_beta15)
    close(get_window(list("general_cosine", c(0.5, 0.3, 0.2)), 12), G$window_gc12)
})

test_that("butter and iirdesign match SciPy", {
    r <- butter(4, 0.2)
    expect_named(r, c("b", "a"))
    close(r$b, G$butter_b)
    close(r$a, G$butter_a)
    sos <- butter(3, c(10, 40), "bandpass", fs = 200, output = "sos")
    expect_equal(dim(sos), c(3L, 6L))
    close(sos, G$butter_sos)
    r <- butter(2, 0.3, "high", output = "zpk")
    expect_named(r, c("z", "p", "k"))
    expect_false(is.complex(r$z))     # SciPy's z is float64 here, p complex
    expect_true(is.complex(r$p))
    expect_true(is.complex(butter(2, c(0.2, 0.4), "bandpass", output = "zpk")$z))
    close(r$z, G$butter_z)
    close(r$p, G$butter_p)
    close(r$k, G$butter_k)
    r <- iirdesign(0.2, 0.3, 1, 40)
    close(r$b, G$iirdesign_b, 1e-8)
    close(r$a, G$iirdesign_a, 1e-8)
    close(iirdesign(c(0.2, 0.5), c(0.1, 0.6), 1, 40, ftype = "cheby2", output = "sos"),
          G$iirdesign_sos, 1e-8)
    r <- iirdesign(40, 60, 0.5, 30, ftype = "butter", fs = 200)
    close(r$b, G$iirdesign_fs_b, 1e-8)
    close(r$a, G$iirdesign_fs_a, 1e-8)
})

test_that("filtfilt and sosfiltfilt match SciPy", {
    ba <- butter(4, 0.2)
    close(filtfilt(ba$b, ba$a, x), G$filtfilt, 1e-9)
    close(filtfilt(ba$b, ba$a, x, padtype = "even", padlen = 30), G$filtfilt_even, 1e-9)
    close(filtfilt(ba$b, ba$a, x, padtype = NULL), G$filtfilt_nopad, 1e-9)
    # SciPy pads only when padlen > 0: a negative padlen is no padding
    close(filtfilt(ba$b, ba$a, x, padlen = -1), G$filtfilt_nopad, 1e-9)
    expect_error(filtfilt(ba$b, ba$a, x, method = "gust", irlen = -1), "irlen")
    expect_error(filtfilt(ba$b, ba$a, x, padtype = "ODD"), "padtype")
    close(filtfilt(ba$b, ba$a, x, method = "gust"), G$filtfilt_gust, 1e-9)
    close(sosfiltfilt(G$filt_sos, x), G$sosfiltfilt, 1e-9)
    close(sosfiltfilt(butter(4, 0.2, output = "sos"), x), G$sosfiltfilt, 1e-9)
})

test_that("double input reaches the library without a copy", {
    skip_if_not(capabilities("profmem"), "R built without memory profiling")
    z <- x + 0
    tracemem(z)
    out <- capture.output(r1 <- welch(z, nperseg = 64), r2 <- filtfilt(c(1, 1) / 2, 1, z),
                          r3 <- csd(z, z, nperseg = 64), r4 <- detrend(z))
    untracemem(z)
    expect_false(any(grepl("tracemem", out)))
})

test_that("inputs are not modified and errors carry the library's message", {
    x0 <- x + 0           # a distinct copy to compare against
    welch(x, nperseg = 64)
    filtfilt(c(1, 1) / 2, 1, x)
    detrend(x)
    expect_identical(x, x0)
    expect_error(welch(x, nperseg = 64, noverlap = 64),
                 "welch: noverlap (64) must be less than nperseg (64)", fixed = TRUE)
    expect_error(welch(x, window = "nosuchwindow"), "nosuchwindow")
    expect_error(welch(x, scaling = "loud"), "scaling")
    expect_error(butter(4, 1.2), "butter: Wn")
    expect_error(butter(4, 0.2, btype = "sideways"), "sideways")
    expect_error(filtfilt(c(1, 2), 1, x[1:3]), "filtfilt")
    expect_error(welch(array(0, c(2, 2, 2))), "vector or a matrix")
    # SciPy's values, never the library's default sentinels (0, -1)
    expect_error(welch(x, nperseg = 0), "nperseg \\(0\\) must be a positive integer")
    expect_error(welch(x, nperseg = 64, nfft = 0), "nfft \\(0\\)")
    expect_error(welch(x, nperseg = 64, noverlap = -1), "noverlap \\(-1\\)")
    expect_error(welch(x, nperseg = Inf), "whole number")
    expect_error(detrend(x, bp = 10.5), "bp")
    expect_error(detrend(x, bp = NA), "bp")
    # flags: TRUE/FALSE or a number (Python's truth), nothing else
    expect_equal(length(welch(x, nperseg = 16, return_onesided = 1)$f), 9L)
    expect_equal(length(welch(x, nperseg = 16, return_onesided = 0)$f), 16L)
    expect_error(welch(x, return_onesided = "yes"), "return_onesided")
    expect_error(welch(x, return_onesided = NA), "return_onesided")
    expect_equal(butter(2, 3, analog = 1)$a, butter(2, 3, analog = TRUE)$a)
    # strings are one string; fs of a design is NULL or positive
    expect_error(butter(2, 0.3, btype = character(0)), "btype")
    expect_error(butter(2, 0.3, output = NULL), "output")
    expect_error(iirdesign(0.2, 0.3, 1, 40, ftype = character(0)), "ftype")
    expect_error(butter(2, 0.3, fs = 0), "fs \\(0\\)")
    expect_error(welch("a"), "numeric")
    expect_match(xpsignal_version(), "^[0-9]+\\.[0-9]+\\.[0-9]+$")
})
