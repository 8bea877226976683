#!/bin/sh
# tools/gpu/bundle.sh -- gathers into .carry/ (ignored) what a GPU machine
# lent for a few minutes needs to run tools/gpu/device_run.sh there: the
# build's programs (xpsig, the test programs tests/check_cuda_emu.sh runs,
# npy_compare, the benchmarks), libxpsignal, the real CUDA module, and every
# shared library they use beyond glibc and CUDA's own (the GPU machine
# brings those, matched to its driver), stripped.
#   sh tools/gpu/bundle.sh [BUILD_DIR]       (default: build)
# Run from the repository root after `make` in BUILD_DIR (configured with
# CUDA); it builds the test programs (make check TESTS=) itself.
#   .carry/build/       BUILD's layout: xpsig, tests/, bench/, .libs/, the module
#   .carry/lib.tar.xz   lib/: the libraries (OpenBLAS alone is 36 MB unpacked:
#                       packed, the whole fits the 64 MiB a run carries);
#                       lib/compat/ holds libstdc++ and libgcc_s, used there
#                       only where the system's are too old
#   .carry/pylibs.txt   the libraries libxpsignal.so itself needs
set -u
top=$(pwd)
[ -f tools/gpu/bundle.sh ] || { echo "bundle.sh: run it from the repository root" >&2; exit 2; }
build=${1:-build}
[ -x "$build/xpsig" ] || { echo "bundle.sh: no $build/xpsig: build first" >&2; exit 2; }
mod=$build/lib/providers/cuda/.libs/xpsignal_cuda.so
[ -f "$mod" ] || { echo "bundle.sh: no $mod: configure did not find CUDA" >&2; exit 2; }
[ -x "$build/bench/bench_cuda" ] || { echo "bundle.sh: no $build/bench/bench_cuda" >&2; exit 2; }
echo "bundle.sh: building the test programs (make check TESTS=)"
make -C "$build" check TESTS= >/dev/null 2>&1 || { echo "bundle.sh: make check TESTS= failed" >&2; exit 1; }

c=$top/.carry
rm -rf "$c"
mkdir -p "$c/build/tests" "$c/build/bench" "$c/build/.libs" \
    "$c/build/lib/providers/cuda/.libs" "$c/lib/compat" || exit 1

# real FILE: the ELF behind a libtool wrapper script, else FILE
real() {
    if [ "$(head -c 2 "$1")" = '#!' ]; then
        d=$(dirname "$1") n=$(basename "$1")
        if [ -f "$d/.libs/$n" ]; then echo "$d/.libs/$n"; else echo "$d/.libs/lt-$n"; fi
    else
        echo "$1"
    fi
}
# put SRC DEST: a stripped copy
put() {
    strip --strip-unneeded -o "$2" "$1" 2>/dev/null || cp -L "$1" "$2" || exit 1
    chmod +x "$2"
}

put "$(real "$build/xpsig")" "$c/build/xpsig"
tests=$(sed -n '/^for t in/,/; do$/p' tests/check_cuda_emu.sh | tr -s ' \\;' '\n\n\n' |
    grep '^check_')
for t in $tests npy_compare; do
    [ -x "$build/tests/$t" ] || { echo "bundle.sh: no $build/tests/$t" >&2; exit 1; }
    put "$build/tests/$t" "$c/build/tests/$t"
done
for p in bench_cuda bench_spectral bench_filter; do
    [ -e "$build/bench/$p" ] && put "$(real "$build/bench/$p")" "$c/build/bench/$p"
done
for l in libxpsignal libxpsignal_mpi; do
    [ -f "$build/.libs/$l.so.0" ] && put "$build/.libs/$l.so.0" "$c/build/.libs/$l.so.0"
done
ln -s libxpsignal.so.0 "$c/build/.libs/libxpsignal.so"
put "$mod" "$c/build/lib/providers/cuda/.libs/xpsignal_cuda.so"

# the libraries: what ldd resolves for every ELF above, less glibc, the
# dynamic loader, CUDA's and ours
LD_LIBRARY_PATH=$build/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    find "$c/build" -type f -exec ldd {} + 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 } $2 == "=>" && $3 == "not" { print $1, "-" }' |
    sort -u >"$c/deps.txt"
missing=
while read -r name path; do
    case $name in
    linux-vdso*|ld-linux*|libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|\
    libresolv.so.*|libutil.so.*|libmvec.so.*|libanl.so.*|libnsl.so.*|libBrokenLocale.so.*|\
    libcuda.so.*|libcudart.so.*|libcufft*.so.*|libcublas*.so.*|libnvJitLink.so.*|\
    libnvrtc*.so.*|libxpsignal*.so.*) continue ;;
    libstdc++.so.*|libgcc_s.so.*) dest=$c/lib/compat/$name ;;
    *) dest=$c/lib/$name ;;
    esac
    if [ "$path" = - ]; then missing="$missing $name"; continue; fi
    [ -f "$dest" ] || put "$path" "$dest"
done <"$c/deps.txt"
[ -z "$missing" ] || echo "bundle.sh: not found here (left out):$missing"
LD_LIBRARY_PATH=$c/lib:$c/lib/compat ldd "$c/build/.libs/libxpsignal.so.0" 2>/dev/null |
    awk '$3 ~ /\/\.carry\/lib\// && $3 !~ /compat/ { n = $3; sub(/.*\/\.carry\//, "", n); print n }' \
    >"$c/pylibs.txt"

{
    echo "built $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -n) from $build"
    echo "commit $(git rev-parse --short HEAD 2>/dev/null), $(git status --short | wc -l) paths changed"
    echo "cuda module needs: $(ldd "$mod" | awk '/cu(da|fft|blas)/ { print $1 }' | tr '\n' ' ')"
    (cd "$c" && find build lib -type f | sort | xargs ls -l | awk '{ print $5, $9 }')
} >"$c/MANIFEST"
echo "bundle.sh: packing $(du -sm "$c/lib" | cut -f1) MiB of libraries (xz -9: a minute)"
if command -v xz >/dev/null 2>&1; then
    (cd "$c" && tar -cf - lib | xz -9 >lib.tar.xz) || exit 1
else
    (cd "$c" && tar -czf lib.tar.gz lib) || exit 1
fi
rm -rf "${c:?}/lib"
size=$(du -sm "$c" | cut -f1)
echo "bundle.sh: $c: $(find "$c" -type f | wc -l) files, $size MiB (du -sm)"
[ "$size" -le 50 ] || echo "bundle.sh: WARNING: over 50 MiB; the tree and .carry travel in 64 MiB"
