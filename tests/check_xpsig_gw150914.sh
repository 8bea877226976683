#!/bin/sh
# check_xpsig_gw150914.sh -- xpsig gw150914 as a user runs it: the
# synthetic stream end to end (every output file, each saying synthetic),
# help, and the exit statuses of bad options.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
. "$top_srcdir/tests/xpsig_testlib.sh"
xpsig_setup check_xpsig_gw150914
export XP_FFTW_PLANNER=estimate

"$XPSIG" help gw150914 >"$tmp/help" 2>&1 || bad "help gw150914: status $?"
grep -q -- '--data' "$tmp/help" || bad "help gw150914 does not name --data"

# no data anywhere: it says so and runs on the synthetic stream
XPS_LIGO_DATA= "$XPSIG" gw150914 --data "$tmp/nothing" --out "$tmp/o" --no-plots \
    >"$tmp/log" 2>&1 || bad "synthetic run: status $? ($(cat "$tmp/log"))"
grep -q 'no LIGO data found' "$tmp/log" || bad "no 'no LIGO data found' in the log"
grep -q 'SYNTHETIC' "$tmp/log" || bad "the log does not say SYNTHETIC"
for f in asd_H1.txt asd_L1.txt fig1_H1.txt fig1_L1.txt snr_H1.txt snr_L1.txt; do
    [ -s "$tmp/o/$f" ] || { bad "$f missing"; continue; }
    head -1 "$tmp/o/$f" | grep -q SYNTHETIC || bad "$f does not say synthetic"
done
grep -q '"synthetic": true' "$tmp/o/summary.json" || bad "summary.json does not say synthetic"
for k in '"H1": {"snr_peak"' '"L1": {"snr_peak"' t_peak_gps asd_100Hz delay_ms network_snr; do
    grep -q "$k" "$tmp/o/summary.json" || bad "summary.json lacks $k"
done
# the Fig. 1 file covers 0.20-0.50 s
awk '!/^#/ { if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 }
     END { exit !(min <= 0.2 && max >= 0.5) }' "$tmp/o/fig1_H1.txt" ||
    bad "fig1_H1.txt does not cover 0.20-0.50 s"

# usage errors: status 2, one line on stderr
"$XPSIG" gw150914 --no-such-option >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || bad "--no-such-option: status not 2"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || bad "--no-such-option: not one line on stderr"
"$XPSIG" gw150914 --provider no-such --out "$tmp/p" >"$tmp/out" 2>"$tmp/err"
[ $? -ne 0 ] || bad "--provider no-such: status 0"
grep -q '^xpsig: ' "$tmp/err" || bad "--provider no-such: stderr '$(cat "$tmp/err")'"
# an --out that cannot be made fails before the analysis, not after it
: >"$tmp/afile"
"$XPSIG" gw150914 --synthetic --no-plots --out "$tmp/afile/o" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || bad "--out under a file: status not 1"
grep -q 'cannot create' "$tmp/err" || bad "--out under a file: stderr '$(cat "$tmp/err")'"
grep -q 'SNR' "$tmp/out" && bad "--out under a file: the analysis ran first"

exit $fail
