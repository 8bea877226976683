# XPSignal.jl -- scipy.signal's spectral estimation, filtering and IIR design
# from libxpsignal, through ccall: no compiled glue.
#
# Load with `include("XPSignal.jl"); using .XPSignal`.  The library is found
# at run time (__init__): ENV["XPSIGNAL_LIB"] when set (a path to
# libxpsignal.so), else "libxpsignal" on the loader's search path.
#
# Two ways in, as the C API has two levels:
#  - a Vector{Float64} goes through the host-pointer conveniences
#    (xps_welch_f64, xps_filtfilt_f64, ...): plain pointers and lengths;
#  - any other strided array (a Matrix, a view, Float32, complex) goes
#    through DLPack: a DLTensor built here describes the Julia memory, in
#    place, and xp_array_wrap borrows it; results are copied into new
#    Julia arrays.
# Julia is column-major: a Matrix n x m is m signals of n samples (one per
# column), the C array [m, n]; the transform runs along the columns and a
# spectrum of a Matrix has one column per signal.  Results come back as
# SciPy's tuples, as named tuples: f, Pxx = welch(x).
#
# Status: written against the Julia manual's ccall rules and the C
# headers; not run here (no Julia on the build machine).
module XPSignal

using Libdl

export welch, csd, coherence, periodogram, spectrogram, stft, istft, check_COLA,
       check_NOLA, detrend, get_window, lfilter, sosfilt, filtfilt, sosfiltfilt, butter,
       iirdesign, XPSignalError

# ---------------------------------------------------------------- library

const _handle = Ref{Ptr{Cvoid}}(C_NULL)
const _syms = Dict{Symbol,Ptr{Cvoid}}()
const _symlock = ReentrantLock()

function __init__()
    _handle[] = Libdl.dlopen(get(ENV, "XPSIGNAL_LIB", "libxpsignal"))
    lock(_symlock) do
        empty!(_syms)
    end
    _check_layouts()
end

# The address of a library function (ccall takes a runtime pointer).
function _sym(name::Symbol)
    lock(_symlock) do
        get!(() -> Libdl.dlsym(_handle[], name), _syms, name)
    end
end

struct XPSignalError <: Exception
    status::Int             # XP_E* code
    msg::String             # the library's message
end
Base.showerror(io::IO, e::XPSignalError) = print(io, "XPSignalError: ", e.msg)

# The message is thread-local in C; nothing yields between the failing
# call and this read, so the task is still on the same thread.
function _check(rc::Integer)
    rc == 0 && return nothing
    msg = unsafe_string(ccall(_sym(:xp_errmsg), Ptr{UInt8}, ()))
    if isempty(msg)
        msg = unsafe_string(ccall(_sym(:xp_strerror), Ptr{UInt8}, (Cint,), rc))
    end
    throw(XPSignalError(Int(rc), msg))
end

version() = unsafe_string(ccall(_sym(:xp_version), Ptr{UInt8}, ()))

# ------------------------------------------------------------ C structs
# Field for field the structs of xps.h: isbits structs have C's layout.
# Enums are C ints.  _check_layouts compares sizeof with the size the
# library's _init functions write.

struct WindowSpec                       # xps_window_spec
    size::Csize_t
    name::NTuple{32,UInt8}
    nparams::Cint
    params::NTuple{16,Cdouble}          # XPS_WINDOW_MAXPARAMS
    array::Ptr{Cvoid}                   # const xp_array *
end

struct SpectralOptions                  # xps_spectral_options
    size::Csize_t
    fs::Cdouble
    window::WindowSpec
    nperseg::Int64
    noverlap::Int64
    nfft::Int64
    detrend::Cint
    return_onesided::Cint
    scaling::Cint
    axis::Cint
    average::Cint
    mode::Cint
    float32_output::Cint
    reserved0::Cint
    boundary::Cint                      # stft only (xps_boundary)
    padded::Cint
end

struct IstftOptions                     # xps_istft_options
    size::Csize_t
    fs::Cdouble
    window::WindowSpec
    nperseg::Int64
    noverlap::Int64
    nfft::Int64
    input_onesided::Cint
    boundary::Cint
    time_axis::Cint
    freq_axis::Cint
    scaling::Cint
end

struct FiltfiltOptions                  # xps_filtfilt_options
    size::Csize_t
    axis::Cint
    padtype::Cint
    padlen::Int64
    method::Cint
    irlen::Int64
end

struct DLDevice                         # dlpack.h
    device_type::Cint
    device_id::Cint
end

struct DLDataType
    code::UInt8
    bits::UInt8
    lanes::UInt16
end

struct DLTensor
    data::Ptr{Cvoid}
    device::DLDevice
    ndim::Cint
    dtype::DLDataType
    shape::Ptr{Int64}
    strides::Ptr{Int64}
    byte_offset::UInt64
end

# A copy of an immutable struct with some fields replaced.
_with(o::T; kw...) where {T} =
    T((haskey(kw, f) ? kw[f] : getfield(o, f) for f in fieldnames(T))...)

function _spectral_init(which::Symbol)
    r = Ref{SpectralOptions}()
    if which === :periodogram
        ccall(_sym(:xps_periodogram_options_init), Cvoid, (Ref{SpectralOptions},), r)
    elseif which === :spectrogram
        ccall(_sym(:xps_spectrogram_options_init), Cvoid, (Ref{SpectralOptions},), r)
    elseif which === :stft
        ccall(_sym(:xps_stft_options_init), Cvoid, (Ref{SpectralOptions},), r)
    else
        ccall(_sym(:xps_welch_options_init), Cvoid, (Ref{SpectralOptions},), r)
    end
    return r[]
end

function _istft_init()
    r = Ref{IstftOptions}()
    ccall(_sym(:xps_istft_options_init), Cvoid, (Ref{IstftOptions},), r)
    return r[]
end

function _filtfilt_init()
    r = Ref{FiltfiltOptions}()
    ccall(_sym(:xps_filtfilt_options_init), Cvoid, (Ref{FiltfiltOptions},), r)
    return r[]
end

function _check_layouts()
    o = _spectral_init(:welch)
    w = o.window
    f = _filtfilt_init()
    i = _istft_init()
    if o.size != sizeof(SpectralOptions) || w.size != sizeof(WindowSpec) ||
            f.size != sizeof(FiltfiltOptions) || i.size != sizeof(IstftOptions) ||
            sizeof(DLTensor) != 48
        error("XPSignal: the C structs of this libxpsignal do not match XPSignal.jl")
    end
end

# --------------------------------------------------------- DLPack tensors

const _kDLCPU = Cint(1)     # DLPack's device type of host memory
_dltype(::Type{Float32}) = DLDataType(2, 32, 1)       # kDLFloat = 2
_dltype(::Type{Float64}) = DLDataType(2, 64, 1)
_dltype(::Type{ComplexF32}) = DLDataType(5, 64, 1)    # kDLComplex = 5
_dltype(::Type{ComplexF64}) = DLDataType(5, 128, 1)
# xp_dtype: XP_FLOAT32, XP_FLOAT64, XP_COMPLEX64, XP_COMPLEX128
const _jltype = (Float32, Float64, ComplexF32, ComplexF64)

const _Elt = Union{Float32,Float64,ComplexF32,ComplexF64}

# A borrowed Julia array: the xp_array handle and all it points into.
# Freed (the handle only; the memory is Julia's) by _free.
mutable struct _Borrowed
    handle::Ptr{Cvoid}
    tensor::Base.RefValue{DLTensor}
    shape::Vector{Int64}
    strides::Vector{Int64}
    data::Any
end

# Borrow a strided array as a C array: reversed axes, so that a Julia
# column is a C row; element strides as Julia has them.  Other arrays
# (ranges, integers, non-strided views) are converted first; the copy is
# kept in the _Borrowed.
function _borrow(x::AbstractArray)
    if x isa StridedArray && eltype(x) <: _Elt
        return _borrow_strided(x)
    end
    return _borrow_strided(eltype(x) <: Complex ? Array{ComplexF64}(x) : Array{Float64}(x))
end

function _borrow_strided(x::StridedArray{T}) where {T<:_Elt}
    shape = Int64[reverse(size(x))...]
    strides = Int64[reverse(Base.strides(x))...]
    t = Ref(DLTensor(Ptr{Cvoid}(pointer(x)), DLDevice(_kDLCPU, 0), Cint(ndims(x)),
                     _dltype(T), pointer(shape), pointer(strides), 0))
    b = _Borrowed(C_NULL, t, shape, strides, x)
    h = Ref{Ptr{Cvoid}}(C_NULL)
    GC.@preserve b begin
        _check(ccall(_sym(:xp_array_wrap), Cint, (Ref{DLTensor}, Ref{Ptr{Cvoid}}), t, h))
    end
    b.handle = h[]
    return b
end

_free(h::Ptr{Cvoid}) = ccall(_sym(:xp_array_free), Cvoid, (Ptr{Cvoid},), h)
_free(b::_Borrowed) = (_free(b.handle); b.handle = C_NULL; nothing)
_free(::Nothing) = nothing

# A new Julia array with the values of the library's array h (axes
# reversed back); h is freed.
function _take(h::Ptr{Cvoid})
    try
        t = unsafe_load(ccall(_sym(:xp_array_dltensor), Ptr{DLTensor}, (Ptr{Cvoid},), h))
        shape = [unsafe_load(t.shape, i) for i in 1:t.ndim]
        dt = Int(ccall(_sym(:xp_array_dtype), Cint, (Ptr{Cvoid},), h))
        out = Array{_jltype[dt + 1]}(undef, reverse(shape)...)
        _check(ccall(_sym(:xp_array_to_host), Cint, (Ptr{Cvoid}, Ptr{Cvoid}, Csize_t),
                     h, out, sizeof(out)))
        return out
    finally
        _free(h)
    end
end

# _take of the handle in r, which is cleared first: a later _free(r[])
# (in a finally) must not free it twice.
function _take!(r::Ref{Ptr{Cvoid}})
    h = r[]
    r[] = C_NULL
    return _take(h)
end

# ------------------------------------------------------------ arguments

_num(v::Nothing) = "None"
_num(v::Bool) = v ? "True" : "False"
_num(v::Real) = isnan(v) ? "None" : repr(Float64(v))
_num(v::AbstractVector) = join((_num(a) for a in v), ",")   # general_cosine a

# window: "hann", "tukey,0.25", ("tukey", 0.25) or a vector of values; a
# number (a Kaiser beta) for get_window only (beta), as SciPy.  Returns
# (spec, borrowed or nothing).
function _window(window; beta = false)
    r = Ref{WindowSpec}()
    ccall(_sym(:xps_window_spec_init), Cvoid, (Ref{WindowSpec},), r)
    text = window isa AbstractString ? String(window) :
           window isa Tuple ? join((string(window[1]), (_num(p) for p in window[2:end])...), ",") :
           window isa Real && beta ? "kaiser," * _num(window) : nothing
    if text !== nothing
        _check(ccall(_sym(:xps_window_spec_parse), Cint, (Cstring, Ref{WindowSpec}), text, r))
        return r[], nothing
    end
    window isa AbstractVector{<:Real} ||
        throw(ArgumentError("window must be a name, a (name, params...) tuple or a vector " *
                            "(a number is get_window's Kaiser beta)"))
    b = _borrow(window)
    return _with(r[]; name = ntuple(_ -> 0x00, 32), nparams = 0, array = b.handle), b
end

function _choice(fn, arg, value, table)
    v = value isa Symbol ? String(value) : value
    # exact names, as SciPy compares them ('ODD' is an error there too)
    v isa AbstractString && haskey(table, v) && return table[v]
    throw(ArgumentError("$fn: $arg ($(repr(value))) must be one of " *
                        join(("'$k'" for k in keys(table)), ", ")))
end

const _DETREND = Dict("constant" => 1, "c" => 1, "linear" => 2, "l" => 2, "none" => 0)
const _SCALING = Dict("density" => 0, "spectrum" => 1)
const _AVERAGE = Dict("mean" => 0, "median" => 1, "median_mean" => 2)
const _MODE = Dict("psd" => 0, "complex" => 1, "magnitude" => 2, "angle" => 3, "phase" => 4)
const _PADTYPE = Dict("odd" => 1, "even" => 2, "constant" => 3)
const _METHOD = Dict("pad" => 0, "gust" => 1)

_detrend_code(fn, d) = d === false || d === nothing ? 0 : _choice(fn, "detrend", d, _DETREND)

# A segment length: nothing gives the C library's default (none); a given
# value must be at least least, so that a 0 or -1 is never taken for it.
function _count(fn, arg, v, none, least)
    v === nothing && return none
    v >= least && return Int64(v)
    arg == "noverlap" && throw(ArgumentError("$fn: noverlap ($v) must be >= 0 (negative " *
                                             "overlaps, SciPy's gaps between segments, " *
                                             "are not supported)"))
    throw(ArgumentError("$fn: $arg ($v) must be a positive integer"))
end

function _spectral_options(fn, which; fs, window, nperseg, noverlap, nfft, detrend,
                           return_onesided, scaling, average = "mean", mode = "psd",
                           float32_output = false)
    o = _with(_spectral_init(which); fs = fs,
              nperseg = _count(fn, "nperseg", nperseg, 0, 1),
              noverlap = _count(fn, "noverlap", noverlap, -1, 0),
              nfft = _count(fn, "nfft", nfft, 0, 1),
              detrend = _detrend_code(fn, detrend),
              return_onesided = return_onesided ? 1 : 0,
              scaling = _choice(fn, "scaling", scaling, _SCALING),
              average = _choice(fn, "average", average, _AVERAGE),
              mode = _choice(fn, "mode", mode, _MODE),
              float32_output = float32_output ? 1 : 0, axis = -1)
    # the window last: a borrowed window array must reach the caller's finally
    window === nothing && return o, nothing
    spec, wb = _window(window)
    return _with(o; window = spec), wb
end

# --------------------------------------------------------------- spectral

# The host-pointer path: x (and y) plain Float64 vectors.
function _spectral_f64(kind::Symbol, o::SpectralOptions, x::Vector{Float64},
                       y::Union{Nothing,Vector{Float64}})
    ny = y === nothing ? 0 : length(y)
    cap = max(length(x), ny, o.nfft, 1)     # the bound xps.h gives
    f = Vector{Float64}(undef, cap)
    P = kind === :csd ? Vector{ComplexF64}(undef, cap) : Vector{Float64}(undef, cap)
    nfreq = Ref{Int64}(0)
    if kind === :welch
        rc = ccall(_sym(:xps_welch_f64), Cint,
                   (Ptr{Float64}, Int64, Ref{SpectralOptions}, Ptr{Float64}, Ptr{Cvoid},
                    Int64, Ref{Int64}), x, length(x), o, f, P, cap, nfreq)
    elseif kind === :periodogram
        rc = ccall(_sym(:xps_periodogram_f64), Cint,
                   (Ptr{Float64}, Int64, Ref{SpectralOptions}, Ptr{Float64}, Ptr{Cvoid},
                    Int64, Ref{Int64}), x, length(x), o, f, P, cap, nfreq)
    elseif kind === :csd
        rc = ccall(_sym(:xps_csd_f64), Cint,
                   (Ptr{Float64}, Int64, Ptr{Float64}, Int64, Ref{SpectralOptions},
                    Ptr{Float64}, Ptr{Cvoid}, Int64, Ref{Int64}),
                   x, length(x), y, ny, o, f, P, cap, nfreq)
    else
        rc = ccall(_sym(:xps_coherence_f64), Cint,
                   (Ptr{Float64}, Int64, Ptr{Float64}, Int64, Ref{SpectralOptions},
                    Ptr{Float64}, Ptr{Cvoid}, Int64, Ref{Int64}),
                   x, length(x), y, ny, o, f, P, cap, nfreq)
    end
    _check(rc)
    return resize!(f, nfreq[]), resize!(P, nfreq[])
end

# The DLPack path: any strided Float32/Float64/complex vector or matrix.
function _spectral_array(kind::Symbol, o::SpectralOptions, x, y)
    bx = _borrow(x)
    by = y === nothing ? nothing : _borrow(y)
    f, t, P = Ref{Ptr{Cvoid}}(C_NULL), Ref{Ptr{Cvoid}}(C_NULL), Ref{Ptr{Cvoid}}(C_NULL)
    try
        GC.@preserve bx by begin
            hx = bx.handle
            hy = by === nothing ? C_NULL : by.handle
            rc = if kind === :welch
                ccall(_sym(:xps_welch), Cint, (Ptr{Cvoid}, Ref{SpectralOptions},
                      Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}), hx, o, f, P)
            elseif kind === :periodogram
                ccall(_sym(:xps_periodogram), Cint, (Ptr{Cvoid}, Ref{SpectralOptions},
                      Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}), hx, o, f, P)
            elseif kind === :csd
                ccall(_sym(:xps_csd), Cint, (Ptr{Cvoid}, Ptr{Cvoid}, Ref{SpectralOptions},
                      Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}), hx, hy, o, f, P)
            elseif kind === :coherence
                ccall(_sym(:xps_coherence), Cint, (Ptr{Cvoid}, Ptr{Cvoid},
                      Ref{SpectralOptions}, Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}), hx, hy, o, f, P)
            elseif kind === :stft
                ccall(_sym(:xps_stft), Cint, (Ptr{Cvoid}, Ref{SpectralOptions},
                      Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}), hx, o, f, t, P)
            else
                ccall(_sym(:xps_spectrogram), Cint, (Ptr{Cvoid}, Ref{SpectralOptions},
                      Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}), hx, o, f, t, P)
            end
            _check(rc)
        end
        fv = _take!(f)
        tv = t[] == C_NULL ? nothing : _take!(t)
        Pv = _take!(P)
        return fv, tv, Pv
    finally
        _free(f[]); _free(t[]); _free(P[])      # NULL-safe, after an error
        _free(bx); _free(by)
    end
end

# wb: the borrowed window array o.window.array points into (or nothing);
# used in the finally, so it stays rooted through the calls.
function _spectral(kind, o, wb, x, y)
    try
        if x isa Vector{Float64} && (y === nothing || y isa Vector{Float64})
            f, P = _spectral_f64(kind, o, x, y)
        else
            f, _, P = _spectral_array(kind, o, x, y)
        end
        return f, P
    finally
        _free(wb)
    end
end

"""
    welch(x; fs=1.0, window="hann", nperseg=nothing, noverlap=nothing, nfft=nothing,
          detrend="constant", return_onesided=true, scaling="density", average="mean")

scipy.signal.welch: `(f=, Pxx=)`; a Matrix gives one column of Pxx per column of x.
"""
function welch(x; fs = 1.0, window = "hann", nperseg = nothing, noverlap = nothing,
               nfft = nothing, detrend = "constant", return_onesided = true,
               scaling = "density", average = "mean", float32_output = false)
    o, wb = _spectral_options("welch", :welch; fs, window, nperseg, noverlap, nfft, detrend,
                              return_onesided, scaling, average, float32_output)
    f, P = _spectral(:welch, o, wb, x, nothing)
    return (f = f, Pxx = P)
end

"""scipy.signal.csd: `(f=, Pxy=)`, Pxy complex."""
function csd(x, y; fs = 1.0, window = "hann", nperseg = nothing, noverlap = nothing,
             nfft = nothing, detrend = "constant", return_onesided = true,
             scaling = "density", average = "mean", float32_output = false)
    o, wb = _spectral_options("csd", :welch; fs, window, nperseg, noverlap, nfft, detrend,
                              return_onesided, scaling, average, float32_output)
    f, P = _spectral(:csd, o, wb, x, y)
    return (f = f, Pxy = P)
end

"""scipy.signal.coherence: `(f=, Cxy=)`."""
function coherence(x, y; fs = 1.0, window = "hann", nperseg = nothing, noverlap = nothing,
                   nfft = nothing, detrend = "constant", float32_output = false)
    o, wb = _spectral_options("coherence", :welch; fs, window, nperseg, noverlap, nfft,
                              detrend, return_onesided = true, scaling = "density",
                              float32_output)
    f, C = _spectral(:coherence, o, wb, x, y)
    return (f = f, Cxy = C)
end

"""scipy.signal.periodogram: `(f=, Pxx=)`."""
function periodogram(x; fs = 1.0, window = "boxcar", nfft = nothing, detrend = "constant",
                     return_onesided = true, scaling = "density", float32_output = false)
    o, wb = _spectral_options("periodogram", :periodogram; fs,
                              window = window === nothing ? "boxcar" : window,
                              nperseg = nothing, noverlap = nothing, nfft, detrend,
                              return_onesided, scaling, float32_output)
    f, P = _spectral(:periodogram, o, wb, x, nothing)
    return (f = f, Pxx = P)
end

"""
scipy.signal.spectrogram: `(f=, t=, Sxx=)`, Sxx nfreq x nseg as SciPy's
(nfreq x nseg x m for a Matrix of m signals).  Always the DLPack path.
"""
function spectrogram(x; fs = 1.0, window = ("tukey", 0.25), nperseg = nothing,
                     noverlap = nothing, nfft = nothing, detrend = "constant",
                     return_onesided = true, scaling = "density", mode = "psd",
                     float32_output = false)
    o, wb = _spectral_options("spectrogram", :spectrogram; fs, window, nperseg, noverlap,
                              nfft, detrend, return_onesided, scaling, mode, float32_output)
    try
        f, t, S = _spectral_array(:spectrogram, o, x, nothing)
        return (f = f, t = t, Sxx = _freq_first(S))
    finally
        _free(wb)
    end
end

const _BOUNDARY = Dict("even" => 1, "odd" => 2, "constant" => 3, "zeros" => 4)
const _STFT_SCALING = Dict("psd" => 0, "spectrum" => 1)

# C [.., nfreq, nseg] came back as Julia (nseg, nfreq, ..): SciPy's order.
_freq_first(S) = ndims(S) == 2 ? permutedims(S, (2, 1)) : permutedims(S, (2, 1, 3))

"""
    stft(x; fs=1.0, window="hann", nperseg=256, noverlap=nothing, nfft=nothing,
         detrend=false, return_onesided=true, boundary="zeros", padded=true,
         scaling="spectrum")

scipy.signal.stft: `(f=, t=, Zxx=)`, Zxx complex nfreq x nseg (nfreq x nseg x m
for a Matrix of m signals).  boundary: "zeros", "even", "odd", "constant" or
nothing; scaling: "spectrum" or "psd".
"""
function stft(x; fs = 1.0, window = "hann", nperseg = 256, noverlap = nothing,
              nfft = nothing, detrend = false, return_onesided = true, boundary = "zeros",
              padded = true, scaling = "spectrum")
    b = boundary === nothing ? 0 : _choice("stft", "boundary", boundary, _BOUNDARY)
    sc = _choice("stft", "scaling", scaling, _STFT_SCALING)
    o, wb = _spectral_options("stft", :stft; fs, window, nperseg, noverlap, nfft, detrend,
                              return_onesided, scaling = sc == 1 ? "spectrum" : "density",
                              mode = "complex")
    try
        f, t, Z = _spectral_array(:stft, _with(o; boundary = b, padded = padded ? 1 : 0),
                                  x, nothing)
        return (f = f, t = t, Zxx = _freq_first(Z))
    finally
        _free(wb)
    end
end

"""
    istft(Zxx; fs=1.0, window="hann", nperseg=nothing, noverlap=nothing, nfft=nothing,
          input_onesided=true, boundary=true, scaling="spectrum")

scipy.signal.istft of Zxx as stft returns it (frequencies down the rows,
segments across; a third axis for several signals): `(t=, x=)`, x a
Vector (a Matrix with one signal per column for a 3-d Zxx).
"""
function istft(Zxx::AbstractArray; fs = 1.0, window = "hann", nperseg = nothing,
               noverlap = nothing, nfft = nothing, input_onesided = true, boundary = true,
               scaling = "spectrum")
    ndims(Zxx) in (2, 3) ||
        throw(ArgumentError("istft: Zxx must be a matrix (nfreq x nseg) or an " *
                            "nfreq x nseg x m array"))
    spec, wb = _window(window)
    # Julia's nfreq x nseg (x m) is column-major: the library sees
    # [(m,) nseg, nfreq], each segment's spectrum a contiguous row
    o = _with(_istft_init(); fs = Float64(fs), window = spec,
              nperseg = _count("istft", "nperseg", nperseg, 0, 1),
              noverlap = _count("istft", "noverlap", noverlap, -1, 0),
              nfft = _count("istft", "nfft", nfft, 0, 1),
              input_onesided = input_onesided ? 1 : 0, boundary = boundary ? 1 : 0,
              time_axis = -2, freq_axis = -1,
              scaling = _choice("istft", "scaling", scaling, _STFT_SCALING))
    bz = _borrow(eltype(Zxx) <: Complex ? Zxx : Array{ComplexF64}(Zxx))
    t, xr = Ref{Ptr{Cvoid}}(C_NULL), Ref{Ptr{Cvoid}}(C_NULL)
    try
        GC.@preserve bz wb begin
            _check(ccall(_sym(:xps_istft), Cint, (Ptr{Cvoid}, Ref{IstftOptions},
                         Ref{Ptr{Cvoid}}, Ref{Ptr{Cvoid}}), bz.handle, o, t, xr))
        end
        return (t = _take!(t), x = _take!(xr))
    finally
        _free(t[]); _free(xr[])
        _free(bz); _free(wb)
    end
end

# check_COLA and check_NOLA: one C call each, on the window's spec.
function _check_overlap(fn::Symbol, window, nperseg, noverlap, tol)
    spec, wb = _window(window)
    ok = Ref{Cint}(0)
    try
        GC.@preserve wb begin
            _check(ccall(_sym(fn), Cint, (Ref{WindowSpec}, Int64, Int64, Cdouble, Ref{Cint}),
                         spec, nperseg, noverlap, tol, ok))
        end
        return ok[] != 0
    finally
        _free(wb)
    end
end

"""scipy.signal.check_COLA(window, nperseg, noverlap; tol=1e-10): a Bool."""
check_COLA(window, nperseg::Integer, noverlap::Integer; tol = 1e-10) =
    _check_overlap(:xps_check_COLA, window, nperseg, noverlap, tol)

"""scipy.signal.check_NOLA(window, nperseg, noverlap; tol=1e-10): a Bool."""
check_NOLA(window, nperseg::Integer, noverlap::Integer; tol = 1e-10) =
    _check_overlap(:xps_check_NOLA, window, nperseg, noverlap, tol)

# ---------------------------------------------------------------- detrend

"""
    detrend(x; type="linear", bp=Int[])

scipy.signal.detrend along the columns; bp: breakpoints, counts of samples
before each break, as SciPy's.
"""
function detrend(x; type = "linear", bp = Int[])
    code = _choice("detrend", "type", type, Dict("constant" => 1, "c" => 1,
                                                 "linear" => 2, "l" => 2))
    n = size(x, 1)
    pts = code == 2 ? Int64[b for b in sort(unique(bp)) if b != 0 && b != n] : Int64[]
    if x isa Vector{Float64}
        y = similar(x)
        _check(ccall(_sym(:xps_detrend_f64), Cint,
                     (Ptr{Float64}, Int64, Cint, Ptr{Int64}, Int64, Ptr{Float64}),
                     x, length(x), code, pts, length(pts), y))
        return y
    end
    b = _borrow(x)
    out = Ref{Ptr{Cvoid}}(C_NULL)
    try
        GC.@preserve b pts begin
            _check(ccall(_sym(:xps_detrend), Cint,
                         (Ptr{Cvoid}, Cint, Cint, Ptr{Int64}, Int64, Ref{Ptr{Cvoid}}),
                         b.handle, -1, code, pts, length(pts), out))
        end
        return _take!(out)
    finally
        _free(out[])
        _free(b)
    end
end

"""scipy.signal.get_window(window, Nx; fftbins=true): a Vector{Float64}."""
function get_window(window, Nx::Integer; fftbins::Bool = true)
    spec, wb = _window(window; beta = true)
    out = Ref{Ptr{Cvoid}}(C_NULL)
    try
        GC.@preserve wb begin
            host = ccall(_sym(:xp_provider_host), Ptr{Cvoid}, ())
            _check(ccall(_sym(:xps_get_window), Cint,
                         (Ref{WindowSpec}, Int64, Cint, Ptr{Cvoid}, Cint, Ref{Ptr{Cvoid}}),
                         spec, Nx, fftbins ? 1 : 0, host, 1, out))   # 1: XP_FLOAT64
        end
        return _take!(out)
    finally
        _free(out[])
        _free(wb)
    end
end

# -------------------------------------------------------------- filtering

_coefs(v::Real) = [Float64(v)]
_coefs(v) = eltype(v) <: Complex ?
    throw(ArgumentError("coefficients must be real")) : Vector{Float64}(vec(v))
# SciPy's sos [nsec, 6] as C's row-major [nsec][6]: the rows one after another.
_sos(sos::AbstractMatrix) = size(sos, 2) == 6 ? Vector{Float64}(vec(permutedims(sos))) :
    throw(ArgumentError("sos must have 6 columns (b0 b1 b2 a0 a1 a2), got $(size(sos, 2))"))

"""
    lfilter(b, a, x; zi=nothing) -> (y=, zf=)

scipy.signal.lfilter on a Vector{Float64}; zf is nothing unless zi is given.
"""
function lfilter(b, a, x::AbstractVector{<:Real}; zi = nothing)
    b, a, x = _coefs(b), _coefs(a), Vector{Float64}(x)
    y = similar(x)
    zf = zi === nothing ? nothing : Vector{Float64}(undef, max(length(a), length(b)) - 1)
    z = zi === nothing ? nothing : Vector{Float64}(zi)
    _check(ccall(_sym(:xps_lfilter_f64), Cint,
                 (Ptr{Float64}, Int64, Ptr{Float64}, Int64, Ptr{Float64}, Int64,
                  Ptr{Float64}, Ptr{Float64}, Ptr{Float64}),
                 b, length(b), a, length(a), x, length(x),
                 z === nothing ? C_NULL : z, y, zf === nothing ? C_NULL : zf))
    return (y = y, zf = zf)
end

"""sosfilt(sos, x; zi=nothing) -> (y=, zf=); zi, zf nsec x 2 as SciPy's."""
function sosfilt(sos::AbstractMatrix, x::AbstractVector{<:Real}; zi = nothing)
    s, x = _sos(sos), Vector{Float64}(x)
    nsec = size(sos, 1)
    y = similar(x)
    z = zi === nothing ? nothing : Vector{Float64}(vec(permutedims(zi)))
    zf = zi === nothing ? nothing : Vector{Float64}(undef, 2nsec)
    _check(ccall(_sym(:xps_sosfilt_f64), Cint,
                 (Ptr{Float64}, Int64, Ptr{Float64}, Int64, Ptr{Float64}, Ptr{Float64},
                  Ptr{Float64}),
                 s, nsec, x, length(x), z === nothing ? C_NULL : z, y,
                 zf === nothing ? C_NULL : zf))
    return (y = y, zf = zf === nothing ? nothing : permutedims(reshape(zf, 2, nsec)))
end

function _filtfilt_options(fn; padtype, padlen, method = "pad", irlen = nothing)
    return _with(_filtfilt_init();
                 padtype = padtype === nothing ? 0 : _choice(fn, "padtype", padtype, _PADTYPE),
                 # SciPy pads only when padlen > 0 (the C API's -1 is nothing)
                 padlen = padlen === nothing ? -1 : max(padlen, 0),
                 method = _choice(fn, "method", method, _METHOD),
                 irlen = irlen === nothing ? -1 : _irlen(fn, irlen), axis = -1)
end

# a negative irlen fails in SciPy too: never the C API's -1 (nothing)
_irlen(fn, v) = v > 0 ? v : throw(ArgumentError("$fn: irlen ($v) must be positive, or " *
                                                "nothing for the whole signal"))

"""
    filtfilt(b, a, x; padtype="odd", padlen=nothing, method="pad", irlen=nothing)

scipy.signal.filtfilt along the columns of x.
"""
function filtfilt(b, a, x; padtype = "odd", padlen = nothing, method = "pad",
                  irlen = nothing)
    b, a = _coefs(b), _coefs(a)
    o = _filtfilt_options("filtfilt"; padtype, padlen, method, irlen)
    if x isa Vector{Float64}
        y = similar(x)
        _check(ccall(_sym(:xps_filtfilt_f64), Cint,
                     (Ptr{Float64}, Int64, Ptr{Float64}, Int64, Ptr{Float64}, Int64,
                      Ref{FiltfiltOptions}, Ptr{Float64}),
                     b, length(b), a, length(a), x, length(x), o, y))
        return y
    end
    bx = _borrow(x)
    out = Ref{Ptr{Cvoid}}(C_NULL)
    try
        GC.@preserve bx begin
            _check(ccall(_sym(:xps_filtfilt), Cint,
                         (Ptr{Float64}, Int64, Ptr{Float64}, Int64, Ptr{Cvoid},
                          Ref{FiltfiltOptions}, Ref{Ptr{Cvoid}}),
                         b, length(b), a, length(a), bx.handle, o, out))
        end
        return _take!(out)
    finally
        _free(out[])
        _free(bx)
    end
end

"""sosfiltfilt(sos, x; padtype="odd", padlen=nothing) along the columns of x."""
function sosfiltfilt(sos::AbstractMatrix, x; padtype = "odd", padlen = nothing)
    s = _sos(sos)
    nsec = size(sos, 1)
    o = _filtfilt_options("sosfiltfilt"; padtype, padlen)
    if x isa Vector{Float64}
        y = similar(x)
        _check(ccall(_sym(:xps_sosfiltfilt_f64), Cint,
                     (Ptr{Float64}, Int64, Ptr{Float64}, Int64, Ref{FiltfiltOptions},
                      Ptr{Float64}), s, nsec, x, length(x), o, y))
        return y
    end
    bx = _borrow(x)
    out = Ref{Ptr{Cvoid}}(C_NULL)
    try
        GC.@preserve bx begin
            _check(ccall(_sym(:xps_sosfiltfilt), Cint,
                         (Ptr{Float64}, Int64, Ptr{Cvoid}, Ref{FiltfiltOptions},
                          Ref{Ptr{Cvoid}}), s, nsec, bx.handle, o, out))
        end
        return _take!(out)
    finally
        _free(out[])
        _free(bx)
    end
end

# ------------------------------------------------------------- IIR design
# Plain host buffers: no arrays.

function _parse_enum(fsym::Symbol, value)
    r = Ref{Cint}(0)
    s = String(value isa Symbol ? String(value) : value)
    if fsym === :xps_btype_parse
        _check(ccall(_sym(:xps_btype_parse), Cint, (Cstring, Ref{Cint}), s, r))
    elseif fsym === :xps_ftype_parse
        _check(ccall(_sym(:xps_ftype_parse), Cint, (Cstring, Ref{Cint}), s, r))
    else
        _check(ccall(_sym(:xps_output_parse), Cint, (Cstring, Ref{Cint}), s, r))
    end
    return r[]
end

# real_zeros: SciPy's z is float64, as for Butterworth, Chebyshev I and
# Bessel low- and high-pass designs (lp2bp and lp2bs make zeros complex).
function _design_result(out::Cint, c1, n1, c2, n2, k, real_zeros::Bool = false)
    if out == 0                                         # ba
        return (b = c1[1:n1], a = c2[1:n2])
    elseif out == 1                                     # zpk
        z = [complex(c1[2i-1], c1[2i]) for i in 1:n1]
        p = [complex(c2[2i-1], c2[2i]) for i in 1:n2]
        return (z = real_zeros ? real.(z) : z, p = p, k = k)
    end
    return permutedims(reshape(c1[1:6n1], 6, n1))       # sos: nsec x 6
end

_wn(v) = (w = Vector{Float64}(vcat(v)); length(w) in (1, 2) ? w :
          throw(ArgumentError("critical frequencies must be 1 or 2 values")))

"""
    butter(N, Wn; btype="low", analog=false, output="ba", fs=nothing)

scipy.signal.butter: `(b=, a=)`, `(z=, p=, k=)` or an nsec x 6 sos matrix.
"""
# A design's fs: nothing (frequencies relative to Nyquist: the C library's
# 0) or a positive number, as SciPy checks (0 must not mean nothing).
function _design_fs(fn, fs)
    fs === nothing && return 0.0
    v = Float64(fs)
    v > 0 && isfinite(v) && return v
    throw(ArgumentError("$fn: fs ($fs) must be a positive number or nothing"))
end

function butter(N::Integer, Wn; btype = "low", analog::Bool = false, output = "ba",
                fs = nothing)
    bt = _parse_enum(:xps_btype_parse, btype)
    out = _parse_enum(:xps_output_parse, output)
    wn = _wn(Wn)
    cap = ccall(_sym(:xps_iir_buflen), Int64, (Int64,), max(N, 0))
    c1, c2 = zeros(cap), zeros(cap)
    n1, n2, k = Ref{Int64}(0), Ref{Int64}(0), Ref{Cdouble}(0)
    _check(ccall(_sym(:xps_butter), Cint,
                 (Int64, Ptr{Float64}, Int64, Cint, Cint, Cint, Cdouble, Ptr{Float64},
                  Ref{Int64}, Ptr{Float64}, Ref{Int64}, Ref{Cdouble}),
                 N, wn, length(wn), bt, analog ? 1 : 0, out,
                 _design_fs("butter", fs), c1, n1, c2, n2, k))
    return _design_result(out, c1, n1[], c2, n2[], k[], bt == 0 || bt == 1)
end

"""
    iirdesign(wp, ws, gpass, gstop; analog=false, ftype="ellip", output="ba", fs=nothing)

scipy.signal.iirdesign, results as butter's.
"""
function iirdesign(wp, ws, gpass, gstop; analog::Bool = false, ftype = "ellip",
                   output = "ba", fs = nothing)
    ft = _parse_enum(:xps_ftype_parse, ftype)
    out = _parse_enum(:xps_output_parse, output)
    p, s = _wn(wp), _wn(ws)
    length(p) == length(s) || throw(ArgumentError("iirdesign: wp and ws differ in length"))
    fsv = _design_fs("iirdesign", fs)
    an = analog ? Cint(1) : Cint(0)
    # the order, hence the buffers' size, from the matching order function
    order, wn = Ref{Int64}(1), zeros(2)
    ordfn = ft == 0 ? :xps_buttord : ft == 1 ? :xps_cheb1ord : ft == 2 ? :xps_cheb2ord :
            ft == 3 ? :xps_ellipord : nothing
    if ordfn !== nothing
        _check(ccall(_sym(ordfn), Cint,
                     (Ptr{Float64}, Ptr{Float64}, Int64, Cdouble, Cdouble, Cint, Cdouble,
                      Ref{Int64}, Ptr{Float64}),
                     p, s, length(p), gpass, gstop, an, fsv, order, wn))
    end
    cap = ccall(_sym(:xps_iir_buflen), Int64, (Int64,), max(order[], 1))
    c1, c2 = zeros(cap), zeros(cap)
    n1, n2, k, got = Ref{Int64}(0), Ref{Int64}(0), Ref{Cdouble}(0), Ref{Int64}(0)
    _check(ccall(_sym(:xps_iirdesign), Cint,
                 (Ptr{Float64}, Ptr{Float64}, Int64, Cdouble, Cdouble, Cint, Cint, Cint,
                  Cdouble, Int64, Ptr{Float64}, Ref{Int64}, Ptr{Float64}, Ref{Int64},
                  Ref{Cdouble}, Ref{Int64}),
                 p, s, length(p), gpass, gstop, an, ft, out, fsv, cap, c1, n1, c2, n2, k,
                 got))
    return _design_result(out, c1, n1[], c2, n2[], k[], (ft == 0 || ft == 1) && length(p) == 1)
end

end # module
