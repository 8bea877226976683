#!/bin/sh
# check_cuda_emu.sh -- the CUDA provider's code run on the CPU.  The suites
# that loop over every usable provider, and the xpsig scripts that repeat
# their cases on the others, run again with XPSIGNAL_CUDA_MODULE naming the
# provider module built against the emulated CUDA SDK (tests/cuda_emu), so
# that "cuda" is one of the providers they check against host.  On a
# machine with a GPU the plain suites already run the real module; this
# still checks the code paths, sanitizers included, where none is.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
b=$(cd "$top_builddir" && pwd)
mod=$b/tests/cuda_emu/xpsignal_cuda_emu.so
[ -f "$mod" ] || { echo "no $mod: make check builds it"; exit 99; }
XPSIGNAL_CUDA_MODULE=$mod
export XPSIGNAL_CUDA_MODULE XP_FFTW_PLANNER=estimate

"$b/xpsig" providers | grep -Eq '^cuda +cuda +available' ||
    { echo "the emulated cuda provider is not available:"; "$b/xpsig" providers; exit 99; }

fail=0
for t in check_cuda check_array check_dlpack check_host_fft check_host_ops check_fft_interp \
         check_windows check_spectral check_spectral_props check_spectral_bad \
         check_median_mean check_acc_serial check_filter check_filter_props \
         check_filter_bad check_gw150914_synth check_gw150914; do
    if [ ! -x "$b/tests/$t" ]; then
        echo "FAIL: no $b/tests/$t"; fail=1; continue
    fi
    if "$b/tests/$t" >"$b/tests/cuda_emu/$t.log" 2>&1; then
        echo "PASS: $t ($(tail -1 "$b/tests/cuda_emu/$t.log"))"
    else
        st=$?
        if [ $st -eq 77 ]; then
            echo "SKIP: $t"
        else
            echo "FAIL: $t (status $st)"; cat "$b/tests/cuda_emu/$t.log"; fail=1
        fi
    fi
done
for s in check_xpsig.sh check_xpsig_spectral.sh check_xpsig_filter.sh; do
    if $SHELL "$top_srcdir/tests/$s" >"$b/tests/cuda_emu/$s.log" 2>&1; then
        echo "PASS: $s"
    else
        echo "FAIL: $s"; cat "$b/tests/cuda_emu/$s.log"; fail=1
    fi
done
exit $fail
