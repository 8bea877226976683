# xpsig_testlib.sh -- sourced by the xpsig test scripts (check_xpsig*.sh):
# where the tool is, a scratch folder as the working directory, and helpers
# that run xpsig and check its exit status and one-line messages.
#
#   : "${top_builddir:=.}" "${top_srcdir:=.}"
#   . "$top_srcdir/tests/xpsig_testlib.sh"
#   xpsig_setup NAME [GOLDEN]
#
# xpsig_setup sets XPSIG (the tool, an absolute path), tmp (a new folder,
# removed on exit, now the working directory), fail=0 and OTHERS (the
# providers besides host that run here: strict, and cuda where `xpsig
# providers` says it is available: a GPU, or the emulated module that
# tests/check_cuda_emu.sh names in XPSIGNAL_CUDA_MODULE); with GOLDEN (a
# folder under tests/golden holding cases.txt) also GOLD and CMP
# (tests/npy_compare).  A missing tool or file is a hard error (exit 99).
# The script ends with: exit $fail

xpsig_setup() {
    XPSIG=$(cd "$top_builddir" && pwd)/xpsig
    [ -x "$XPSIG" ] || { echo "no $XPSIG: build it first"; exit 99; }
    if [ $# -gt 1 ]; then
        CMP=$(cd "$top_builddir" && pwd)/tests/npy_compare
        GOLD=$(cd "$top_srcdir" && pwd)/tests/golden/$2
        [ -x "$CMP" ] || { echo "no $CMP: make check builds it"; exit 99; }
        [ -f "$GOLD/cases.txt" ] || { echo "no $GOLD/cases.txt"; exit 99; }
    fi
    OTHERS=strict
    "$XPSIG" providers 2>/dev/null | grep -Eq '^cuda +[a-z_]+ +available' && OTHERS="strict cuda"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 99
    trap 'rm -rf "$tmp"' EXIT
    cd "$tmp" || exit 99
    fail=0
}

bad() { echo "FAIL: $*"; fail=1; }

# x ARGS...: run xpsig, keeping stdout (out), stderr (err) and the status (st)
x() { "$XPSIG" "$@" >out 2>err; st=$?; }

# expect STATUS ARGS...: the status, and for a failure exactly one stderr
# line "xpsig: ..." and nothing on stdout
expect() {
    want=$1; shift
    x "$@"
    [ "$st" -eq "$want" ] || bad "xpsig $*: status $st, expected $want ($(cat err))"
    if [ "$want" -ne 0 ]; then
        [ "$(wc -l <err)" -eq 1 ] || bad "xpsig $*: $(wc -l <err) lines on stderr, expected 1"
        grep -q '^xpsig: ' err || bad "xpsig $*: stderr '$(cat err)'"
        [ -s out ] && bad "xpsig $*: wrote to stdout on failure"
    fi
    return 0
}

# tol PROVIDER DTYPE RTOL [OPTION...]: npy_compare's tolerance options for a
# result on PROVIDER against host's: the strict provider's is RTOL and the
# OPTIONs; cuda's kernels round differently (fused multiply-adds, other
# summation orders), so at least 1e-12 in double and 1e-5 in single
# precision, normwise (relative to the largest value)
tol() {
    case $1 in
    cuda)
        case $2 in float32|complex64) floor=1e-5 ;; *) floor=1e-12 ;; esac
        echo "--normwise --rtol $(awk -v a="$3" -v b="$floor" 'BEGIN { print (a > b ? a : b) }')" ;;
    *)
        r=$3; shift 3; echo "--rtol $r $*" ;;
    esac
}

# says PATTERN: the last error line matches (grep -E)
says() { grep -Eq -- "$1" err || bad "message '$(cat err)' lacks '$1'"; }

# same GOT EXPECTED [npy_compare options]
same() {
    g=$1 e=$2; shift 2
    "$CMP" "$@" "$g" "$e" 2>cmp.err || bad "$(cat cmp.err)"
}

# helps CMD OPTION...: xpsig CMD --help gives its usage line and lists
# every OPTION
helps() {
    cmd=$1; shift
    expect 0 "$cmd" --help
    grep -q "^usage: xpsig $cmd " out || bad "$cmd --help: $(head -1 out)"
    for o in "$@"; do
        grep -q -- "^  $o " out || bad "$cmd --help lacks $o"
    done
}

# stream_case NAME DTYPE RTOL ARGS...: a golden case run streamed, with
# XPSIG_STREAM_BLOCK at 37 and 100 samples, from its .npy inputs and from
# their HDF5 copies s_IN.h5 where the script made them, each against
# $GOLD/NAME.txt (and the frequencies and times against NAME.f.txt and
# NAME.t.txt where SciPy's are there)
stream_case() {
    sc_name=$1 sc_dtype=$2 sc_rtol=$3; shift 3
    sc_h5=
    for a in "$@"; do
        case $a in *.npy) [ -f "s_${a%.npy}.h5" ] && a=s_${a%.npy}.h5 ;; esac
        sc_h5="$sc_h5 $a"
    done
    for b in 37 100; do
        XPSIG_STREAM_BLOCK=$b
        export XPSIG_STREAM_BLOCK
        for sc_in in n h; do
            sc_out=$sc_name.$sc_in$b sc_extra=
            for sc_k in f t; do
                [ -f "$GOLD/$sc_name.$sc_k.txt" ] && sc_extra="$sc_extra -$sc_k $sc_out.$sc_k.npy"
            done
            if [ $sc_in = n ]; then
                expect 0 "$@" $sc_extra -o "$sc_out.npy"
            else
                expect 0 $sc_h5 $sc_extra -o "$sc_out.npy"
            fi
            [ "$st" -eq 0 ] || continue
            same "$sc_out.npy" "$GOLD/$sc_name.txt" --dtype "$sc_dtype" --rtol "$sc_rtol"
            for sc_k in f t; do
                [ -f "$GOLD/$sc_name.$sc_k.txt" ] &&
                    same "$sc_out.$sc_k.npy" "$GOLD/$sc_name.$sc_k.txt" --dtype float64
            done
        done
        unset XPSIG_STREAM_BLOCK
    done
}

# golden_case NAME DTYPE RTOL ARGS...: one line of $GOLD/cases.txt: xpsig
# ARGS -o NAME.npy (with -f NAME.f.npy, -t NAME.t.npy where SciPy's f, t
# are there), compared with $GOLD/NAME.txt and its .f.txt, .t.txt; status
# 1 when xpsig failed (already reported)
golden_case() {
    gc_name=$1 gc_dtype=$2 gc_rtol=$3; shift 3
    gc_extra=
    [ -f "$GOLD/$gc_name.f.txt" ] && gc_extra="-f $gc_name.f.npy"
    [ -f "$GOLD/$gc_name.t.txt" ] && gc_extra="$gc_extra -t $gc_name.t.npy"
    expect 0 "$@" $gc_extra -o "$gc_name.npy"
    [ "$st" -eq 0 ] || return 1
    same "$gc_name.npy" "$GOLD/$gc_name.txt" --rtol "$gc_rtol" --dtype "$gc_dtype"
    for gc_k in f t; do
        [ -f "$GOLD/$gc_name.$gc_k.txt" ] &&
            same "$gc_name.$gc_k.npy" "$GOLD/$gc_name.$gc_k.txt" --dtype float64
    done
    return 0
}
