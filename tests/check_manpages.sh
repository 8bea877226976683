#!/bin/sh
# check_manpages.sh -- every function libxpsignal exports has a man page
# (man/man3/NAME.3, the page itself or a .so link to it), every link
# points at a page that exists, and man/local.mk installs every page.  SKIPs where no shared library was built.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
lib=$top_builddir/.libs/libxpsignal.so
[ -f "$lib" ] || { echo "SKIP: no $lib (static build)"; exit 77; }
command -v nm >/dev/null 2>&1 || { echo "SKIP: no nm"; exit 77; }
fail=0
n=0
for sym in $(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }'); do
    n=$((n + 1))
    [ -f "$top_srcdir/man/man3/$sym.3" ] || { echo "FAIL: $sym has no man/man3/$sym.3"; fail=1; }
done
[ "$n" -ge 100 ] || { echo "FAIL: only $n exported functions found in $lib"; fail=1; }
for page in "$top_srcdir"/man/man3/*.3; do
    target=$(sed -n 's/^\.so //p' "$page")
    [ -z "$target" ] || [ -f "$top_srcdir/man/$target" ] ||
        { echo "FAIL: $page links to missing $target"; fail=1; }
    grep -Eq "man/man3/${page##*/}( |$)" "$top_srcdir/man/local.mk" ||
        { echo "FAIL: man/local.mk does not install man3/${page##*/}"; fail=1; }
done
echo "$n exported functions, each with a man page"
exit $fail
