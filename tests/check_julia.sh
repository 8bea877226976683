#!/bin/sh
# check_julia.sh -- the Julia bindings (bindings/julia/XPSignal.jl, ccall
# only) on the libxpsignal.so just built: the example, then test.jl against
# SciPy's golden values.  SKIP (77) when julia is not on PATH (JULIA picks
# another) or no shared library was built.
JULIA=${JULIA:-julia}
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
lib=$builddir/.libs/libxpsignal.so

if ! command -v "$JULIA" >/dev/null 2>&1; then
    echo "SKIP: julia is not on PATH"
    exit 77
fi
if [ ! -f "$lib" ]; then
    echo "SKIP: $lib was not built (configured with --disable-shared?)"
    exit 77
fi
for rt in libasan libubsan; do
    p=$(ldd "$lib" 2>/dev/null | awk -v rt="$rt" 'index($1, rt) == 1 { print $3 }')
    [ -n "$p" ] && preload="${preload:+$preload:}$p"
done
if [ -n "$preload" ]; then
    LD_PRELOAD=$preload
    ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export LD_PRELOAD ASAN_OPTIONS
fi
XPSIGNAL_LIB=$(cd "$(dirname "$lib")" && pwd)/libxpsignal.so
export XPSIGNAL_LIB
"$JULIA" --startup-file=no "$srcdir/bindings/julia/example.jl" || exit 1
exec "$JULIA" --startup-file=no "$srcdir/bindings/julia/test.jl"
