#!/bin/sh
# check_cuda_ptx.sh -- what the device compiler makes of the CUDA filters,
# which the emulation (a host compiler) cannot show:
#   - no fused multiply-add (but in the double-double k_square): the host
#     and SciPy round each product and sum of a recurrence on their own, and
#     an ill-conditioned (b, a) filter carries a fused one's difference from
#     1e-16 to 1e-9;
#   - no local memory: a thread's state, coefficients and samples ahead
#     stay in registers (an array indexed at run time would live in local
#     memory, and every step of the recurrence would wait on it).
# It compiles lib/providers/cuda/cuda_filter.cu to PTX with $NVCC (from
# configure) and reads it.  SKIP (77) without nvcc.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
if [ -z "${NVCC:-}" ] || [ ! -x "$NVCC" ]; then
    echo "SKIP: no nvcc (configure found no CUDA)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_cuda_ptx.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
"$NVCC" -O2 -std=c++17 -arch=compute_90 -ptx -DXP_BUILDING -I"$top_srcdir/lib" \
    -I"$top_srcdir/lib/xp" -I"$top_builddir" "$top_srcdir/lib/providers/cuda/cuda_filter.cu" \
    -o "$tmp/filter.ptx" || { echo "FAIL: nvcc -ptx cuda_filter.cu"; exit 1; }
fail=0
entries=$(grep -c '\.entry ' "$tmp/filter.ptx")
[ "$entries" -ge 40 ] || { echo "FAIL: only $entries kernels in the PTX"; fail=1; }
# (the transition's double-double squaring, k_square, fuses on purpose: its
# products are made exact that way)
fused=$(awk '/\.entry /{e = $3} /fma\.rn\.f/ && e !~ /k_square/{n[e]++}
             END{for (k in n) print "  " k, n[k]}' "$tmp/filter.ptx")
if [ -n "$fused" ]; then
    echo "FAIL: fused multiply-adds in the filter kernels:"
    echo "$fused"
    fail=1
fi
if grep -q '__local_depot' "$tmp/filter.ptx"; then
    echo "FAIL: local memory in the filter kernels:"
    awk '/\.entry /{e = $3} /__local_depot/{print "  " e}' "$tmp/filter.ptx" | sort -u
    fail=1
fi
[ $fail -eq 0 ] && echo "PASS: $entries filter kernels, no fused multiply-add, no local memory"
exit $fail
