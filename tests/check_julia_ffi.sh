#!/bin/sh
# check_julia_ffi.sh -- the Julia binding (bindings/julia/XPSignal.jl)
# against the C API without Julia, which cannot be installed here: every
# ccall's symbol, arity and types against the prototypes of lib/xpsignal.h,
# every struct mirror against its C struct (members, offsetof, sizeof; see
# tests/julia_ffi.py), every enum, dtype and DLPack code it hard-codes
# against C's value.  XPSIGNAL_JL checks another copy of the file.  SKIP
# (77) without python3 or a C compiler ($CC, else cc).
: "${top_builddir:=.}" "${top_srcdir:=.}"
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || { echo "SKIP: no $PYTHON"; exit 77; }
# make check passes configure's compiler and CPPFLAGS (dlpack.h may be
# outside the default include path)
CC=${JULIA_FFI_CC:-${CC:-cc}}
CPPFLAGS=${JULIA_FFI_CPPFLAGS-$CPPFLAGS}
command -v "${CC%% *}" >/dev/null 2>&1 || { echo "SKIP: no C compiler ($CC)"; exit 77; }
export CC CPPFLAGS
# the library's exports are checked too where a shared library was built
exec "$PYTHON" "$top_srcdir/tests/julia_ffi.py" --srcdir "$top_srcdir" \
    --lib "$top_builddir/.libs/libxpsignal.so" \
    "${XPSIGNAL_JL:-$top_srcdir/bindings/julia/XPSignal.jl}"
