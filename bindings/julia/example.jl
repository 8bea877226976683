# example.jl -- XPSignal.jl in a few lines: the PSD of a noisy tone, a
# zero-phase low-pass filter, two signals at once, and an error.
#
#   XPSIGNAL_LIB=/path/to/libxpsignal.so julia example.jl
include(joinpath(@__DIR__, "XPSignal.jl"))
using .XPSignal
using Random

Random.seed!(1)
fs = 1024.0
t = (0:16383) ./ fs
x = sin.(2π * 100 .* t) .+ 0.5 .* randn(length(t))

# Welch's PSD: a Vector{Float64} goes through xps_welch_f64, plain pointers
f, Pxx = welch(x; fs = fs, nperseg = 1024)
peak = f[argmax(Pxx)]
println("welch: $(length(f)) frequencies, peak at $peak Hz")
@assert isapprox(peak, 100.0)

# The PSD integrates to the variance (Parseval), up to the windowing
df = f[2] - f[1]
println("welch: power $(sum(Pxx) * df), variance $(sum(abs2, x .- sum(x) / length(x)) / length(x))")

# A Butterworth low-pass at 50 Hz, applied forward and backward
b, a = butter(4, 50; fs = fs)
y = filtfilt(b, a, x)
f2, Pyy = welch(y; fs = fs, nperseg = 1024)
println("filtfilt: power at 100 Hz down from $(Pxx[101]) to $(Pyy[101])")
@assert Pyy[101] < 1e-3 * Pxx[101]

# Two signals at once: a Matrix goes through DLPack (a DLTensor over the
# Julia memory, no copy); one column of Pxx per column of X
X = hcat(x, y)
f3, P2 = welch(X; fs = fs, nperseg = 1024)
println("welch of a $(size(X)) matrix: Pxx is $(size(P2))")
@assert size(P2) == (513, 2) && P2[:, 1] ≈ Pxx && P2[:, 2] ≈ Pyy

sos = butter(4, 50; fs = fs, output = "sos")
@assert sosfiltfilt(sos, x) ≈ y
S = spectrogram(x; fs = fs, nperseg = 256)
println("spectrogram: Sxx is $(size(S.Sxx)) (frequencies x segments)")

# Errors carry the library's message
try
    welch(x; nperseg = 256, noverlap = 300)
catch e
    e isa XPSignalError || rethrow()
    println("error, as expected: ", e.msg)
end
println("example.jl: done")
