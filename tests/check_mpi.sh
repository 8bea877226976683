#!/bin/sh
# check_mpi.sh -- welch, csd and coherence over 1, 2 and 3 MPI ranks
# (tests/mpi_spectral.c); SKIP (77) without libxpsignal_mpi or mpirun.
set -u
: "${top_builddir:=.}"
prog="$top_builddir/tests/mpi_spectral"
[ -x "$prog" ] || { echo "SKIP: libxpsignal_mpi not built (configure --with-mpi)"; exit 77; }
command -v mpirun >/dev/null 2>&1 || { echo "SKIP: no mpirun"; exit 77; }
# Open MPI keeps its own allocations (hwloc, component names) until exit:
# in a sanitizer build those are not our leaks, so leak checking is off
# here (check_acc_serial covers our code's memory with it on).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
# CI runs as root; a single machine needs neither a network nor a hostfile
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
status=0
for n in 1 2 3; do
    if ! timeout 300 mpirun --allow-run-as-root --oversubscribe -n $n "$prog"; then
        echo "FAIL: mpi_spectral with $n ranks"
        status=1
    fi
done

# mpirun -n N xpsig welch FILE.hdf5:/dataset --mpi (and csd, coherence of
# two datasets): each rank reads its own slice; the result equals the
# single-process one
xpsig="$top_builddir/xpsig"
cmp="$top_builddir/tests/npy_compare"
if [ -x "$xpsig" ] && [ -x "$cmp" ]; then
    tmp=$(mktemp -d) || exit 99
    awk 'BEGIN { s = 12345; for (i = 0; i < 5000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
         printf "%.17g\n", s / 2147483648.0 - 0.5 + 1e-4 * i } }' > "$tmp/x.txt"
    "$xpsig" convert "$tmp/x.txt" -o "$tmp/x.h5:/strain/Strain" || status=1
    "$xpsig" welch "$tmp/x.h5:/strain/Strain" --fs 4096 --nperseg 300 --noverlap 120 \
        -o "$tmp/ref.npy" -f "$tmp/fref.npy" || status=1
    for n in 1 2 3; do
        if ! timeout 300 mpirun --allow-run-as-root --oversubscribe -n $n "$xpsig" welch \
                "$tmp/x.h5:/strain/Strain" --fs 4096 --nperseg 300 --noverlap 120 --mpi \
                -o "$tmp/mpi$n.npy" -f "$tmp/f$n.npy" ||
           ! "$cmp" --rtol 1e-12 "$tmp/mpi$n.npy" "$tmp/ref.npy" ||
           ! "$cmp" --rtol 0 "$tmp/f$n.npy" "$tmp/fref.npy"; then
            echo "FAIL: xpsig welch --mpi with $n ranks"
            status=1
        fi
    done
    # csd and coherence: two datasets of one file, the same slice of each
    awk 'BEGIN { s = 777; for (i = 0; i < 5000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
         printf "%.17g\n", s / 2147483648.0 - 0.5 + 0.3 * sin(i / 7.0) } }' > "$tmp/y.txt"
    "$xpsig" convert "$tmp/y.txt" -o "$tmp/y.h5:/strain/Strain" || status=1
    for fn in csd coherence; do
        "$xpsig" $fn "$tmp/x.h5:/strain/Strain" "$tmp/y.h5:/strain/Strain" --fs 4096 \
            --nperseg 300 --noverlap 120 -o "$tmp/ref_$fn.npy" -f "$tmp/fref_$fn.npy" || status=1
        for n in 1 2 3; do
            if ! timeout 300 mpirun --allow-run-as-root --oversubscribe -n $n "$xpsig" $fn \
                    "$tmp/x.h5:/strain/Strain" "$tmp/y.h5:/strain/Strain" --fs 4096 \
                    --nperseg 300 --noverlap 120 --mpi -o "$tmp/mpi_$fn$n.npy" \
                    -f "$tmp/f_$fn$n.npy" ||
               ! "$cmp" --rtol 1e-12 "$tmp/mpi_$fn$n.npy" "$tmp/ref_$fn.npy" ||
               ! "$cmp" --rtol 0 "$tmp/f_$fn$n.npy" "$tmp/fref_$fn.npy"; then
                echo "FAIL: xpsig $fn --mpi with $n ranks"
                status=1
            fi
        done
    done
    # a .npy file is read in slices too
    "$xpsig" convert "$tmp/x.h5:/strain/Strain" -o "$tmp/x.npy" || status=1
    timeout 120 mpirun --allow-run-as-root --oversubscribe -n 2 "$xpsig" welch "$tmp/x.npy" \
        --nperseg 300 --mpi -o "$tmp/mpinpy.npy" || status=1
    "$xpsig" welch "$tmp/x.npy" --nperseg 300 -o "$tmp/refnpy.npy" || status=1
    if ! "$cmp" --rtol 1e-12 "$tmp/mpinpy.npy" "$tmp/refnpy.npy"; then
        echo "FAIL: xpsig welch --mpi on a .npy file"
        status=1
    fi
    # series of different lengths are refused on every rank, as a usage error
    head -n 4000 "$tmp/y.txt" > "$tmp/short.txt"
    "$xpsig" convert "$tmp/short.txt" -o "$tmp/short.h5:/s" || status=1
    timeout 120 mpirun --allow-run-as-root --oversubscribe -n 2 "$xpsig" csd \
        "$tmp/x.h5:/strain/Strain" "$tmp/short.h5:/s" --nperseg 300 --mpi \
        -o "$tmp/no.npy" 2> "$tmp/err.txt"
    rc=$?
    if [ $rc -ne 2 ] || ! grep -q 'X has 5000 samples and Y 4000' "$tmp/err.txt"; then
        echo "FAIL: xpsig csd --mpi on unequal lengths: status $rc, said:"
        cat "$tmp/err.txt"
        status=1
    fi
    # a rank that cannot read makes every rank fail, none hangs
    if timeout 120 mpirun --allow-run-as-root --oversubscribe -n 2 "$xpsig" welch \
            "$tmp/missing.h5:/x" --nperseg 300 --mpi -o "$tmp/no.npy" 2>/dev/null; then
        echo "FAIL: xpsig welch --mpi on a missing file succeeded"
        status=1
    fi
    rm -rf "$tmp"
    echo "xpsig welch, csd and coherence --mpi: 1, 2 and 3 ranks checked"
fi
exit $status
