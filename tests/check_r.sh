#!/bin/sh
# check_r.sh -- the R package (bindings/R/xpsignal) against SciPy's golden
# values, on the libxpsignal.so just built: R CMD INSTALL into a temporary
# library with PKG_CPPFLAGS / PKG_LIBS pointing at this tree, then its
# testthat tests.  SKIP (77) without R or testthat, or when no shared
# library was built.  R picks the R front end (default: R on PATH).
R=${R:-R}
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
lib=$builddir/.libs/libxpsignal.so

if ! command -v "$R" >/dev/null 2>&1 || ! command -v Rscript >/dev/null 2>&1; then
    echo "SKIP: R is not installed (Debian: apt-get install r-base-core r-cran-testthat)"
    exit 77
fi
if ! Rscript -e 'quit(status = !requireNamespace("testthat", quietly = TRUE))' \
        >/dev/null 2>&1; then
    echo "SKIP: the R package testthat is not installed (Debian: r-cran-testthat)"
    exit 77
fi
if [ ! -f "$lib" ]; then
    echo "SKIP: $lib was not built (configured with --disable-shared?)"
    exit 77
fi

abs() { (cd "$1" && pwd); }
src=$(abs "$srcdir")
libdir=$(abs "$builddir/.libs")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_r.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

# A sanitizer build: its runtime must come before R's own allocations,
# and R's leaks at exit are not ours.
for rt in libasan libubsan; do
    p=$(ldd "$lib" 2>/dev/null | awk -v rt="$rt" 'index($1, rt) == 1 { print $3 }')
    [ -n "$p" ] && preload="${preload:+$preload:}$p"
done

# R CMD INSTALL builds in the package's folder: build a copy, so the
# source tree stays untouched (and may be read-only, as in distcheck).
cp -R "$src/bindings/R/xpsignal" "$tmp/xpsignal" && chmod -R u+w "$tmp/xpsignal" || exit 99
mkdir "$tmp/lib" || exit 99
PKG_CPPFLAGS="-I$src/lib -I$src/lib/xp -I$src/lib/signal"
PKG_LIBS="-L$libdir -lxpsignal -Wl,-rpath,$libdir"
export PKG_CPPFLAGS PKG_LIBS
if ! "$R" CMD INSTALL --no-multiarch --no-test-load --library="$tmp/lib" \
        "$tmp/xpsignal" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    echo "FAIL: R CMD INSTALL"
    exit 1
fi

if [ -n "$preload" ]; then
    LD_PRELOAD=$preload
    ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export LD_PRELOAD ASAN_OPTIONS
fi
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
R_LIBS=$tmp/lib
export LD_LIBRARY_PATH R_LIBS
cd "$tmp/xpsignal/tests/testthat" || exit 99
exec Rscript -e '
library(testthat)
library(xpsignal)
r <- as.data.frame(test_dir(".", reporter = "summary", stop_on_failure = FALSE))
nf <- sum(r$failed) + sum(r$error)
cat(sprintf("%d passed, %d failed, %d skipped\n",
            sum(r$nb) - sum(r$failed) - sum(r$skipped), nf, sum(r$skipped)))
quit(status = if (nf > 0) 1 else 0)'
