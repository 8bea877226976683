#!/bin/sh
# The layering rule of DESIGN.md: nothing under lib/signal/ reaches FFTW,
# BLAS, LAPACK or CUDA directly; algorithms see providers only via xp_ops.
src=${top_srcdir:-.}/lib/signal
[ -d "$src" ] || { echo "no $src"; exit 99; }
bad=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?(fftw3[^">]*|cblas[^">]*|openblas[^">]*|lapacke[^">]*|cuda[^">]*|cufft[^">]*|cublas[^">]*|curand[^">]*|nvrtc[^">]*)\.h[">]' "$src")
if [ -n "$bad" ]; then
    echo "lib/signal includes provider headers:"
    echo "$bad"
    exit 1
fi
# Nor does it call their symbols behind an include's back.
bad=$(grep -rnE '\b(fftwf?_[a-z_]+|cblas_[a-z]+|LAPACKE_[a-z_]+|cuda[A-Z][A-Za-z]+|cufft[A-Z][A-Za-z]+|cublas[A-Z][A-Za-z]+)[[:space:]]*\(' "$src")
if [ -n "$bad" ]; then
    echo "lib/signal calls provider functions:"
    echo "$bad"
    exit 1
fi
echo "lib/signal: no FFTW, BLAS, LAPACK or CUDA includes or calls"
exit 0
