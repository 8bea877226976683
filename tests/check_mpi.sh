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
exit $status
