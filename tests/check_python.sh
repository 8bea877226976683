#!/bin/sh
# check_python.sh -- the Python bindings (bindings/python/xpsignal) against
# SciPy, on the libxpsignal.so just built.  SKIP (77) when the interpreter
# lacks NumPy >= 1.22 or SciPy, or when no shared library was built.
# PYTHON picks the interpreter (default /usr/bin/python3).
#
# The suite runs twice: as the environment has it (the CUDA cases run where
# the library finds a GPU and skip elsewhere), then with XPSIGNAL_CUDA_MODULE
# naming the emulated CUDA module (tests/cuda_emu, built by make check), so
# that the CUDA path -- device arrays in and out, DLPack streams, no host
# copies -- runs on the CPU; XPSIGNAL_TEST_REQUIRE_CUDA makes those cases
# fail, not skip, if the provider is unusable there.  The examples run too
# (they skip, 77, without PyTorch / CuPy).
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
fail=0
echo "== the suite, as the environment has it"
"$PY" -m unittest discover -v -s "$srcdir/bindings/python/tests" -p 'test_*.py' || fail=1

emu=$(cd "$builddir" && pwd)/tests/cuda_emu/xpsignal_cuda_emu.so
if [ -f "$emu" ]; then
    echo "== the suite again, with the emulated CUDA provider ($emu)"
    XPSIGNAL_CUDA_MODULE=$emu XPSIGNAL_TEST_REQUIRE_CUDA=1 XP_FFTW_PLANNER=estimate \
        "$PY" -m unittest discover -v -s "$srcdir/bindings/python/tests" \
        -p 'test_*.py' || fail=1
else
    echo "NOTE: no $emu (make check builds it): the CUDA cases ran only where a GPU is"
fi

for ex in torch_welch.py cupy_welch.py; do
    [ -f "$srcdir/examples/$ex" ] || continue
    echo "== examples/$ex"
    "$PY" "$srcdir/examples/$ex"
    st=$?
    case $st in
    0|77) ;;
    *) echo "FAIL: examples/$ex (status $st)"; fail=1 ;;
    esac
done
exit $fail
