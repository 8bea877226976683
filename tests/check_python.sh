#!/bin/sh
# check_python.sh -- the Python bindings (bindings/python/xpsignal) against
# SciPy, on the libxpsignal.so just built.  SKIP (77) when the interpreter
# lacks NumPy >= 1.22 or SciPy, or when no shared library was built.
# PYTHON picks the interpreter (default /usr/bin/python3).
PY=${PYTHON:-/usr/bin/python3}
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
lib=$builddir/.libs/libxpsignal.so

if [ ! -x "$PY" ]; then
    echo "SKIP: no Python interpreter at $PY"
    exit 77
fi
if ! "$PY" -c 'import numpy, scipy.signal, sys
sys.exit(tuple(map(int, numpy.__version__.split(".")[:2])) < (1, 22))' 2>/dev/null; then
    echo "SKIP: $PY lacks NumPy >= 1.22 (for DLPack) or SciPy"
    exit 77
fi
if [ ! -f "$lib" ]; then
    echo "SKIP: $lib was not built (configured with --disable-shared?)"
    exit 77
fi

# A sanitizer build: its runtime must be loaded before the interpreter's
# own allocations, and Python's leaks at exit are not ours.
preload=
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
PYTHONPATH=$srcdir/bindings/python${PYTHONPATH:+:$PYTHONPATH}
PYTHONDONTWRITEBYTECODE=1
export XPSIGNAL_LIB PYTHONPATH PYTHONDONTWRITEBYTECODE
exec "$PY" -m unittest discover -v -s "$srcdir/bindings/python/tests" -p 'test_*.py'
