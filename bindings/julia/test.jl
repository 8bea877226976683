# test.jl -- XPSignal.jl against SciPy's numbers: the golden values of the
# R package's tests (bindings/R/gen_golden.py), through both ways in (the
# host-pointer conveniences and DLPack tensors).  Prints "N passed, N
# failed" and exits 1 on a failure.
#
#   XPSIGNAL_LIB=/path/to/libxpsignal.so julia test.jl
include(joinpath(@__DIR__, "XPSignal.jl"))
using .XPSignal

function read_golden(path)
    g = Dict{String,Any}()
    for line in eachline(path)
        (isempty(line) || startswith(line, "#")) && continue
        w = split(line, ' ')
        v = parse.(Float64, w[3:end])
        g[w[2]] = w[1] == "r" ? v :
                  w[1] == "c" ? complex.(v[1:2:end], v[2:2:end]) :
                  permutedims(reshape(v[3:end], Int(v[2]), Int(v[1])))   # m: rows x cols
    end
    return g
end

const G = read_golden(joinpath(@__DIR__, "..", "R", "xpsignal", "tests", "testthat",
                               "golden.txt"))
const x = G["x"]
const y = G["y"]
passed, failed = Ref(0), Ref(0)

function near(name, got, want; tol = 1e-10)
    ok = size(got) == size(want)
    err = Inf
    if ok
        scale = max(maximum(abs, want), floatmin(Float64))
        err = maximum(abs, got .- want) / scale
        ok = err < tol
    end
    if ok
        passed[] += 1
    else
        failed[] += 1
        println("FAIL $name: size $(size(got)) vs $(size(want)), error $err")
    end
end

function check(name, cond)
    cond ? (passed[] += 1) : (failed[] += 1; println("FAIL $name"))
end

function throws(name, f, needle)
    try
        f()
        failed[] += 1
        println("FAIL $name: no error")
    catch e
        msg = e isa XPSignalError ? e.msg : sprint(showerror, e)
        check(name, occursin(needle, msg))
    end
end

# spectral: Vector{Float64} (the _f64 path) and the same as a Matrix (DLPack)
r = welch(x)
near("welch f", r.f, G["welch_f"])
near("welch Pxx", r.Pxx, G["welch_P"])
near("welch Pxx via DLPack", welch(reshape(x, :, 1)).Pxx, reshape(G["welch_P"], :, 1))
r = welch(x; fs = 100, window = ("tukey", 0.3), nperseg = 64, noverlap = 40, nfft = 100,
          detrend = "linear", scaling = "spectrum", average = "median")
near("welch opts f", r.f, G["welch_opts_f"])
near("welch opts Pxx", r.Pxx, G["welch_opts_P"])
near("welch string window", welch(x; fs = 100, window = "tukey,0.3", nperseg = 64,
      noverlap = 40, nfft = 100, detrend = "linear", scaling = "spectrum",
      average = "median").Pxx, G["welch_opts_P"])
near("welch matrix", welch(hcat(x, y); nperseg = 64).Pxx,
      permutedims(G["welch_matrix_P"]))
near("welch kaiser", welch(x; window = ("kaiser", 8.6), nperseg = 100).Pxx,
      G["welch_kaiser_P"])
throws("welch window number", () -> welch(x; window = 8.6, nperseg = 100), "Kaiser beta")
near("welch window array", welch(x; window = G["winarray"]).Pxx, G["welch_winarray_P"])
near("welch window array, DLPack", welch(view(hcat(x, x), :, 2); window = G["winarray"]).Pxx,
      G["welch_winarray_P"])
r = welch(x; nperseg = 32, return_onesided = false, detrend = false)
near("welch two-sided f", r.f, G["welch_twosided_f"])
near("welch two-sided Pxx", r.Pxx, G["welch_twosided_P"])
near("welch Float32", welch(Float32.(x)).Pxx, G["welch_P"]; tol = 1e-5)
# a strided view, no copy
near("welch strided view", welch(view(vcat(x', x'), 2, :)).Pxx, G["welch_P"])

r = csd(x, y; nperseg = 64)
near("csd f", r.f, G["csd_f"])
near("csd Pxy", r.Pxy, G["csd_P"])
check("csd complex", eltype(r.Pxy) == ComplexF64)
near("csd Pxy via DLPack", csd(reshape(x, :, 1), y; nperseg = 64).Pxy,
      reshape(G["csd_P"], :, 1))
near("csd short y", csd(x, y[1:150]; nperseg = 64).Pxy, G["csd_short_P"])
r = coherence(x, y; nperseg = 64)
near("coherence f", r.f, G["coherence_f"])
near("coherence Cxy", r.Cxy, G["coherence_C"])

r = periodogram(x)
near("periodogram f", r.f, G["periodogram_f"])
near("periodogram Pxx", r.Pxx, G["periodogram_P"])
r = periodogram(x; fs = 4, window = "hann", nfft = 256, detrend = "linear",
                scaling = "spectrum")
near("periodogram opts", r.Pxx, G["periodogram_opts_P"])

r = spectrogram(x; fs = 10, nperseg = 64)
near("spectrogram f", r.f, G["spectrogram_f"])
near("spectrogram t", r.t, G["spectrogram_t"])
near("spectrogram Sxx", r.Sxx, G["spectrogram_S"])
near("spectrogram magnitude", spectrogram(x; nperseg = 32, noverlap = 16,
      mode = "magnitude", window = "hann").Sxx, G["spectrogram_mag_S"])
S3 = spectrogram(hcat(x, x); fs = 10, nperseg = 64).Sxx
near("spectrogram matrix", S3[:, :, 2], G["spectrogram_S"])

# stft, istft: Zxx nfreq x nseg as SciPy's (the golden file lists it row by row)
rowmajor(v, d) = permutedims(reshape(v, Int(d[2]), Int(d[1])))
r = stft(x; fs = 10, nperseg = 64)
near("stft f", r.f, G["stft_f"])
near("stft t", r.t, G["stft_t"])
near("stft Zxx", r.Zxx, rowmajor(G["stft_Z"], G["stft_Z_dim"]))
near("stft options", stft(x; nperseg = 50, noverlap = 30, window = ("tukey", 0.25),
                          boundary = "odd", padded = false, scaling = "psd",
                          detrend = "linear").Zxx,
     rowmajor(G["stft_opts_Z"], G["stft_opts_Z_dim"]))
Zs = r.Zxx
b = istft(Zs; nperseg = 64)
near("istft x", b.x, G["istft_x"])
near("istft t", b.t, G["istft_t"])
near("istft round trip", b.x[1:length(x)], x)
Z3 = stft(hcat(x, 2 .* x); nperseg = 64).Zxx
check("stft matrix", ndims(Z3) == 3 && size(Z3, 3) == 2)
X3 = istft(Z3; nperseg = 64).x
near("istft matrix", X3[:, 2], 2 .* G["istft_x"])
check("check_COLA", check_COLA("hann", 120, 60) && !check_COLA("hann", 120, 50))
check("check_NOLA", check_NOLA("hann", 256, 1) && !check_NOLA("hann", 256, 0))

# detrend, windows
near("detrend linear", detrend(x), G["detrend_linear"]; tol = 1e-9)
near("detrend constant", detrend(x; type = "constant"), G["detrend_constant"]; tol = 1e-9)
near("detrend bp", detrend(x; bp = [60, 150]), G["detrend_bp"]; tol = 1e-9)
near("detrend matrix", detrend(hcat(x, x); bp = [60, 150])[:, 1], G["detrend_bp"];
      tol = 1e-9)
near("hann", get_window("hann", 16), G["window_hann16"])
near("tukey sym", get_window(("tukey", 0.25), 20; fftbins = false), G["window_tukey20_sym"])
near("kaiser", get_window(("kaiser", 8.6), 15), G["window_kaiser15"])
near("kaiser beta", get_window(8.6, 15), G["window_kaiser_beta15"])
near("general_cosine", get_window(("general_cosine", [0.5, 0.3, 0.2]), 12),
      G["window_gc12"])

# IIR design
r = butter(4, 0.2)
near("butter b", r.b, G["butter_b"])
near("butter a", r.a, G["butter_a"])
near("butter sos", butter(3, [10, 40]; btype = "bandpass", fs = 200, output = "sos"),
      G["butter_sos"])
r = butter(2, 0.3; btype = "high", output = "zpk")
near("butter z", r.z, G["butter_z"])
near("butter p", r.p, G["butter_p"])
near("butter k", [r.k], G["butter_k"])
# SciPy's dtypes: real zeros here (float64), complex ones for a band
check("butter high zpk: real z", r.z isa Vector{Float64})
check("butter band zpk: complex z",
      butter(2, [0.2, 0.4]; btype = "bandpass", output = "zpk").z isa Vector{ComplexF64})
r = iirdesign(0.2, 0.3, 1, 40)
near("iirdesign b", r.b, G["iirdesign_b"]; tol = 1e-8)
near("iirdesign a", r.a, G["iirdesign_a"]; tol = 1e-8)
near("iirdesign sos", iirdesign([0.2, 0.5], [0.1, 0.6], 1, 40; ftype = "cheby2",
      output = "sos"), G["iirdesign_sos"]; tol = 1e-8)
r = iirdesign(40, 60, 0.5, 30; ftype = "butter", fs = 200)
near("iirdesign fs b", r.b, G["iirdesign_fs_b"]; tol = 1e-8)

# filtering
ba = butter(4, 0.2)
near("filtfilt", filtfilt(ba.b, ba.a, x), G["filtfilt"]; tol = 1e-9)
near("filtfilt even", filtfilt(ba.b, ba.a, x; padtype = "even", padlen = 30),
      G["filtfilt_even"]; tol = 1e-9)
near("filtfilt no pad", filtfilt(ba.b, ba.a, x; padtype = nothing), G["filtfilt_nopad"];
      tol = 1e-9)
# SciPy pads only when padlen > 0: a negative padlen is no padding
near("filtfilt padlen -1", filtfilt(ba.b, ba.a, x; padlen = -1), G["filtfilt_nopad"];
      tol = 1e-9)
throws("filtfilt irlen -1", () -> filtfilt(ba.b, ba.a, x; method = "gust", irlen = -1),
       "irlen")
throws("filtfilt padtype ODD", () -> filtfilt(ba.b, ba.a, x; padtype = "ODD"), "padtype")
near("filtfilt gust", filtfilt(ba.b, ba.a, x; method = "gust"), G["filtfilt_gust"];
      tol = 1e-9)
near("filtfilt matrix", filtfilt(ba.b, ba.a, hcat(x, x))[:, 2], G["filtfilt"]; tol = 1e-9)
sos = G["filt_sos"]
near("sosfiltfilt", sosfiltfilt(sos, x), G["sosfiltfilt"]; tol = 1e-9)
near("sosfiltfilt matrix", sosfiltfilt(sos, hcat(x, y); padlen = 20),
      permutedims(G["sosfiltfilt_matrix"]); tol = 1e-9)
# lfilter and sosfilt: their own consistency (a run in two halves with the state)
r1 = lfilter(ba.b, ba.a, x[1:100]; zi = zeros(4))
r2 = lfilter(ba.b, ba.a, x[101:end]; zi = r1.zf)
near("lfilter state", vcat(r1.y, r2.y), lfilter(ba.b, ba.a, x).y)
s1 = sosfilt(sos, x[1:100]; zi = zeros(2, 2))
s2 = sosfilt(sos, x[101:end]; zi = s1.zf)
near("sosfilt state", vcat(s1.y, s2.y), sosfilt(sos, x).y; tol = 1e-12)
near("sosfilt = lfilter", sosfilt(sos, x).y, lfilter(ba.b, ba.a, x).y; tol = 1e-9)

# inputs untouched, errors with the library's message
x0 = copy(x)
welch(x; nperseg = 64); filtfilt(ba.b, ba.a, x); detrend(x); welch(reshape(x, :, 1))
check("input untouched", x == x0)
throws("noverlap", () -> welch(x; nperseg = 64, noverlap = 64),
       "welch: noverlap (64) must be less than nperseg (64)")
throws("window name", () -> welch(x; window = "nosuchwindow"), "nosuchwindow")
throws("scaling", () -> welch(x; scaling = "loud"), "scaling")
throws("butter Wn", () -> butter(4, 1.2), "butter: Wn")
throws("stft boundary", () -> stft(x; boundary = "mirror"), "stft: boundary")
throws("istft nfft", () -> istft(Zs; nperseg = 64, nfft = 32), "istft: nfft (32)")
throws("filtfilt short", () -> filtfilt([1.0, 2.0], 1.0, x[1:3]), "filtfilt")
throws("nperseg 0", () -> welch(x; nperseg = 0), "nperseg (0) must be a positive integer")
throws("nfft 0", () -> welch(x; nperseg = 64, nfft = 0), "nfft (0)")
throws("noverlap -1", () -> welch(x; nperseg = 64, noverlap = -1), "noverlap (-1)")
throws("design fs 0", () -> butter(2, 0.3; fs = 0), "fs (0)")
check("version", occursin(r"^\d+\.\d+\.\d+$", XPSignal.version()))

println("$(passed[]) passed, $(failed[]) failed")
exit(failed[] == 0 ? 0 : 1)
