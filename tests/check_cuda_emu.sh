#!/bin/sh
# check_cuda_emu.sh -- the CUDA provider's code run on the CPU.  The suites
# that loop over every usable provider, and the xpsig scripts that repeat
# their cases on the others, run again with XPSIGNAL_CUDA_MODULE naming the
# provider module built against the emulated CUDA SDK (tests/cuda_emu), so
# that "cuda" is one of the providers they check against host.  On a
# machine with a GPU the plain suites already run the real module; this
# still checks the code paths, sanitizers included, where none is, and
# repeats a few suites with the emulator's reverse schedule.
# CUDA_MODULE=/path/xpsignal_cuda.so runs the same list with that module
# instead (the real one on a GPU machine: tools/gpu/device_run.sh);
# CUDA_LOGDIR says where the logs go (default: BUILD/tests/cuda_emu);
# CUDA_TEST_TIMEOUT=SECONDS stops a hung program (timeout(1)) there.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
b=$(cd "$top_builddir" && pwd)
mod=${CUDA_MODULE:-$b/tests/cuda_emu/xpsignal_cuda_emu.so}
if [ ! -f "$mod" ]; then
    if [ -n "${CUDA_MODULE:-}" ]; then echo "no $mod (CUDA_MODULE)"; else echo "no $mod: make check builds it"; fi
    exit 99
fi
logs=${CUDA_LOGDIR:-$b/tests/cuda_emu}
mkdir -p "$logs" || exit 99
echo "check_cuda_emu.sh: cuda module $mod"
lim=
[ -n "${CUDA_TEST_TIMEOUT:-}" ] && lim="timeout $CUDA_TEST_TIMEOUT"
XPSIGNAL_CUDA_MODULE=$mod
export XPSIGNAL_CUDA_MODULE XP_FFTW_PLANNER=estimate

"$b/xpsig" providers | grep -Eq '^cuda +cuda +available' ||
    { echo "the cuda provider of $mod is not available:"; "$b/xpsig" providers; exit 99; }

fail=0
# run NAME LOG SUMMARY COMMAND...: PASS/SKIP (77)/FAIL, the log shown on a
# failure; SUMMARY set: the log's last line follows PASS
run() {
    name=$1 log=$2 summary=$3; shift 3
    if $lim "$@" >"$log" 2>&1; then
        echo "PASS: $name${summary:+ ($(tail -1 "$log"))}"
    else
        st=$?
        if [ $st -eq 77 ]; then
            echo "SKIP: $name"
        else
            echo "FAIL: $name (status $st)"; cat "$log"; fail=1
        fi
    fi
}
for t in check_cuda check_array check_dlpack check_host_fft check_host_ops check_fft_interp \
         check_windows check_spectral check_spectral_props check_spectral_bad \
         check_median_mean check_acc_serial check_filter check_filter_props \
         check_filter_bad check_gw150914_synth check_gw150914; do
    if [ ! -x "$b/tests/$t" ]; then
        echo "FAIL: no $b/tests/$t"; fail=1; continue
    fi
    run "$t" "$logs/$t.log" 1 "$b/tests/$t"
done
# and the Python binding's tests, whose CudaDevice class runs only where a
# cuda provider is usable (SKIP, 77, without NumPy and SciPy)
for s in check_xpsig.sh check_xpsig_spectral.sh check_xpsig_filter.sh check_python.sh; do
    run "$s" "$logs/$s.log" '' "${SHELL:-/bin/sh}" "$top_srcdir/tests/$s"
done
# the emulated module only: kernels again with the last block and thread
# run first; a result that depended on the order would be a race on a GPU
if [ -z "${CUDA_MODULE:-}" ]; then
    for t in check_cuda check_spectral check_filter check_filter_props; do
        run "$t, reverse schedule" "$logs/$t.reverse.log" 1 \
            env CUDA_EMU_SCHEDULE=reverse "$b/tests/$t"
    done
fi
# the demo through xpsig on the synthetic stream: cuda's summary says what
# host's says, to the digits it prints
out=$(mktemp -d "${TMPDIR:-/tmp}/check_cuda_emu.XXXXXX") || exit 99
for p in host cuda; do
    XPS_LIGO_DATA= "$b/xpsig" gw150914 --provider "$p" --data "$out/none" --out "$out/$p" \
        --no-plots >"$out/$p.log" 2>&1 || { echo "FAIL: xpsig gw150914 --provider $p"; fail=1; }
done
for p in host cuda; do
    grep -v -e '"provider"' -e analysis_seconds "$out/$p/summary.json" >"$out/$p.json"
done
if ! cmp -s "$out/host.json" "$out/cuda.json"; then
    echo "FAIL: xpsig gw150914 --provider cuda differs from host"
    diff "$out/host/summary.json" "$out/cuda/summary.json"
    fail=1
else
    echo "PASS: xpsig gw150914 --provider cuda"
fi
rm -rf "$out"
exit $fail
