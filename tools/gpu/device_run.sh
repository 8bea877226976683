#!/bin/sh
# tools/gpu/device_run.sh -- the whole GPU validation and benchmark in one
# command, on a GPU machine, from the repository root, with .carry/ (made
# by tools/gpu/bundle.sh) carried along:   sh tools/gpu/device_run.sh
# Each step is stopped by timeout(1) (the whole within 9 minutes) and
# logged in full under $OUT (else ./gpu-out; six files):
#   1 env        nvidia-smi, the libraries found, xpsig providers
#   2 check_cuda the cuda provider against host, op by op (tests/check_cuda)
#   3 suite      tests/check_cuda_emu.sh with CUDA_MODULE = the real module
#   4 bench      bench/run_cuda: ours against cuFFT alone and CuPy
#   5 python     examples/torch_welch.py, and examples/cupy_welch.py if there
#   6 extras     time permitting: check_cuda under compute-sanitizer memcheck
#                (into 2-check_cuda.log), ncu's speed of light for a welch's
#                kernels (into 4-bench.log)
# The output ends with the summary: each step's result and the benchmark
# table.  Exit status 0 when every step passed.
# A rehearsal where there is no GPU: XPS_GPU_MODULE=/path/module (e.g. the
# emulated one) replaces the real module; XPS_GPU_SMALL=1 makes the
# benchmark tiny.
set -u
[ -f tools/gpu/device_run.sh ] || { echo "device_run.sh: run it from the repository root"; exit 2; }
root=$(pwd)
c=$root/.carry
b=$c/build
out=${OUT:-$root/gpu-out}
mkdir -p "$out" || exit 2
py=${PYTHON:-python3}
t_start=$(date +%s)
sys_ld=${LD_LIBRARY_PATH:-}

# the libraries, unpacked outside the tree (it must stay small enough to carry)
u=$(mktemp -d "${TMPDIR:-/tmp}/xps-carry.XXXXXX") || exit 2
trap 'rm -rf "$u"' EXIT
if [ -f "$c/lib.tar.xz" ] && command -v xz >/dev/null 2>&1; then
    xz -dc "$c/lib.tar.xz" | (cd "$u" && tar -xf -)
elif [ -f "$c/lib.tar.xz" ]; then
    "$py" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' \
        "$c/lib.tar.xz" "$u"
elif [ -f "$c/lib.tar.gz" ]; then
    (cd "$u" && tar -xzf "$c/lib.tar.gz")
fi
[ -x "$b/xpsig" ] && [ -d "$u/lib" ] ||
    { echo "device_run.sh: no .carry/build or .carry/lib.tar.xz: run tools/gpu/bundle.sh, carry .carry"; exit 2; }

mod=${XPS_GPU_MODULE:-$b/lib/providers/cuda/.libs/xpsignal_cuda.so}
small=
[ -n "${XPS_GPU_SMALL:-}" ] && small=--small

# CUDA's libraries that the module's run path (/usr/local/cuda/lib64)
# lacks: looked for elsewhere (other toolkits, the pip wheels' nvidia/*/lib
# in Python's site directories), 10 s at most each
cuda_dirs=
roots="/usr/local /opt /usr/lib $("$py" -c 'import site; print(" ".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null)"
for m in $(LD_LIBRARY_PATH=$sys_ld ldd "$mod" "$b/bench/bench_cuda" 2>/dev/null |
    awk '$2 == "=>" && $3 == "not" && $1 ~ /^lib(cu|nv)/ { print $1 }' | sort -u); do
    f=$(timeout 10 find $roots -name "$m" -print -quit 2>/dev/null)
    [ -n "$f" ] && cuda_dirs="$cuda_dirs:$(dirname "$f")"
done
LD_LIBRARY_PATH=$b/.libs:$u/lib$cuda_dirs${sys_ld:+:$sys_ld}
export LD_LIBRARY_PATH
# our libstdc++ and libgcc_s only where the system's are missing or older
compat=
if ldd "$mod" "$b/xpsig" 2>&1 | grep -Eq "(GLIBCXX|CXXABI|GCC)_[0-9.]*' not found|lib(stdc\+\+|gcc_s)[^ ]* => not found"; then
    compat=:$u/lib/compat
    LD_LIBRARY_PATH=$b/.libs:$u/lib$compat$cuda_dirs${sys_ld:+:$sys_ld}
fi
# CK_FORK=no: Check forks a child per test by default, and a child cannot
# use CUDA once its parent has initialized it (the suites' main() asks
# whether the cuda provider is available); one CUDA start-up per program
# instead of one per test is also minutes less
XPSIGNAL_CUDA_MODULE=$mod top_builddir=$b top_srcdir=$root CK_FORK=no
export XPSIGNAL_CUDA_MODULE top_builddir top_srcdir CK_FORK

fail=0 soft='' steps=''
# step NAME SECONDS LOG COMMAND...: runs it under timeout, output into LOG;
# a failure fails the run unless soft is set
step() {
    name=$1 lim=$2 log=$3; shift 3
    t0=$(date +%s)
    echo "=== $name: $*" | tee -a "$log"
    timeout -k 10 "$lim" "$@" >>"$log" 2>&1
    st=$?
    case $st in
    0) res=PASS ;;
    77) res=SKIP ;;
    124|137) res="FAIL (timed out after $lim s)" ;;
    *) res="FAIL (status $st)" ;;
    esac
    case $res in FAIL*) [ -n "$soft" ] && res="$res, info only" || fail=1 ;; esac
    line=$(printf '%-11s %-40s %4ss' "$name" "$res" "$(($(date +%s) - t0))")
    echo "$line"
    steps="$steps$line
"
}

# 1 env
log=$out/1-env.log
: >"$log"
{
    echo "date: $(date -u)  host: $(uname -a)"
    echo "module: $mod"
    echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
    head -3 "$c/MANIFEST" 2>/dev/null
} >>"$log"
soft=1
step nvidia-smi 15 "$log" env LD_LIBRARY_PATH="$sys_ld" sh -c 'nvidia-smi && nvidia-smi -L'
step ldd 10 "$log" ldd "$mod" "$b/xpsig" "$b/bench/bench_cuda"
soft=''
step providers 20 "$log" "$b/xpsig" providers
for l in "$(grep -E '^GPU 0:' "$log" | tail -1)" \
    "$(grep -E '^cuda +cuda ' "$log" | tail -1 | cut -c1-300)"; do
    [ -n "$l" ] && steps="$steps$l
"
done

# 2 the op-by-op test, real module
step check_cuda 45 "$out/2-check_cuda.log" "$b/tests/check_cuda"

# 3 the suites with cuda among the providers
log=$out/3-suite.log
: >"$log"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xps-gpu.XXXXXX") || exit 2
step suite 140 "$log" env CUDA_MODULE="$mod" CUDA_LOGDIR="$tmp" CUDA_TEST_TIMEOUT=45 \
    sh tests/check_cuda_emu.sh
for f in "$tmp"/*.log; do
    [ -f "$f" ] && { echo "=== $(basename "$f")"; cat "$f"; } >>"$log"
done
rm -rf "$tmp"

# 4 the benchmark
log=$out/4-bench.log
: >"$log"
step bench 170 "$log" env PYTHON="$py" sh bench/run_cuda "$b" --repeat 3 --timeout 60 \
    --budget 150 $small

# 5 Python: PyTorch, CuPy; libxpsignal's own libraries only on the path (Python's
# own modules keep the system's)
log=$out/5-python.log
: >"$log"
pylib=$(mktemp -d "${TMPDIR:-/tmp}/xps-pylib.XXXXXX") || exit 2
while read -r l; do ln -s "$u/$l" "$pylib/"; done <"$c/pylibs.txt"
for ex in torch_welch cupy_welch; do
    [ -f "examples/$ex.py" ] || continue
    step "$ex" 40 "$log" env LD_LIBRARY_PATH="$pylib$compat$cuda_dirs${sys_ld:+:$sys_ld}" \
        PYTHONPATH="$root/bindings/python" XPSIGNAL_LIB="$b/.libs/libxpsignal.so" \
        PYTHONUNBUFFERED=1 "$py" "examples/$ex.py"
done
rm -rf "$pylib"

# 6 time permitting (the whole stays within $deadline s), info only: the
# op-by-op test under compute-sanitizer's memcheck (appended to
# 2-check_cuda.log), and Nsight Compute's speed-of-light figures for the
# first 20 kernels of a full-size welch, its first batch (appended to
# 4-bench.log)
deadline=${XPS_GPU_DEADLINE:-540}
# extra NAME SECONDS LOG COMMAND...: step, within the time left
extra() {
    name=$1 lim=$2 log=$3; shift 3
    left=$((deadline - ($(date +%s) - t_start)))
    [ "$left" -lt "$lim" ] && lim=$left
    if [ "$lim" -lt 15 ]; then
        line=$(printf '%-11s %-40s %4ss' "$name" "skipped: out of time" 0)
        echo "$line"
        steps="$steps$line
"
        return
    fi
    soft=1
    step "$name" "$lim" "$log" "$@"
    soft=''
}
cs=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null)
ncu=$(command -v ncu || ls /usr/local/cuda/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
if [ -n "$cs" ]; then
    extra memcheck 50 "$out/2-check_cuda.log" "$cs" --tool memcheck --leak-check full \
        --error-exitcode 1 "$b/tests/check_cuda"
fi
if [ -n "$ncu" ] && [ -z "$small" ]; then
    extra ncu 50 "$out/4-bench.log" "$ncu" --section SpeedOfLight --launch-count 20 \
        "$b/bench/bench_cuda" ligo16k welch --repeat 1
fi

# the summary, last: what comes back is the end of the output
{
    echo "######## summary ($(($(date +%s) - t_start)) s; logs in $out)"
    printf '%s' "$steps"
    echo "---- suite (3-suite.log)"
    grep -E '^(PASS|FAIL|SKIP)' "$out/3-suite.log" | head -40 | cut -c1-200
    echo "---- check_cuda (2-check_cuda.log)"
    grep -E '^[0-9]+%|:[EF]:' "$out/2-check_cuda.log" | head -20
    echo "---- first failures"
    grep -hE ':[EF]:|^FAIL|Traceback|[A-Za-z]Error|error while|not found' \
        "$out/2-check_cuda.log" "$out/3-suite.log" "$out/5-python.log" | head -20 |
        cut -c1-200
    echo "---- python (5-python.log)"
    grep -v '^===' "$out/5-python.log" | tail -10 | cut -c1-200
    echo "---- benchmark (4-bench.log)"
    awk '/^GPU benchmark/ { on = 1 } on { print }
        on && /^welch \(ligo16k\) by batch/ { getline; print; exit }' "$out/4-bench.log"
    if grep -q '^=== memcheck' "$out/2-check_cuda.log"; then
        echo "---- memcheck (2-check_cuda.log)"
        sed -n '/^=== memcheck/,$p' "$out/2-check_cuda.log" | grep -E 'ERROR SUMMARY|LEAK SUMMARY|^[0-9]+%|Invalid|out of bounds' | head -8
    fi
    if grep -q '^=== ncu' "$out/4-bench.log"; then
        echo "---- ncu: kernel, duration, memory and compute throughput (4-bench.log)"
        sed -n '/^=== ncu/,$p' "$out/4-bench.log" | awk '
            /^  [A-Za-z_].*\(/ { k = $0; sub(/\(.*/, "", k); n = split(k, w, " "); k = w[n] }
            / Duration / { d = $(NF-1) " " $NF }
            / Memory Throughput / && $NF != "" { m = $NF }
            / Compute \(SM\) Throughput / { printf "%-28s %14s  mem %6s%%  sm %6s%%\n", substr(k, 1, 28), d, m, $NF }' | head -14
    fi
} >"$out/summary.txt"
echo
cat "$out/summary.txt"
exit $fail
