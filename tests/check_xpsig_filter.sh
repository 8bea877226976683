#!/bin/sh
# check_xpsig_filter.sh -- xpsig butter, cheby1, cheby2, ellip, bessel,
# iirdesign, iirnotch, iirpeak, freqz, lfilter, sosfilt, filtfilt,
# sosfiltfilt and bench as a user runs them: every case of
# tests/golden/xpsig_filter/cases.txt against SciPy's results (written by
# tests/golden/gen_xpsig_filter.py), the filtering cases again on the strict
# provider (which must give the very same numbers) and on cuda where it runs
# (within 1e-12, 1e-5 in single precision), designs fed back to the
# filters, option errors (exit 2) and data errors (exit 1) with their
# one-line messages, and bench's output line.  No Python at test time: the
# values are compared by tests/npy_compare.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
. "$top_srcdir/tests/xpsig_testlib.sh"
xpsig_setup check_xpsig_filter xpsig_filter
set -f      # case arguments are split on blanks, never globbed

# ---- inputs: SciPy's text, through xpsig convert
for n in x x2 x2t xc ba_low ba_band ba_ellip sos_band sos_ellip sos_low; do
    expect 0 convert "$GOLD/$n.txt" -o "$n.npy"
done
expect 0 convert --dtype float32 "$GOLD/x.txt" -o x32.npy

# ---- every golden case; filtering (f_*) also on strict, equal to the last
# bit, and on cuda where it runs
ncase=0
while read -r name dtype rtol args; do
    case $name in '#'*|'') continue ;; esac
    ncase=$((ncase + 1))
    golden_case "$name" "$dtype" "$rtol" $args || continue
    case $name in
    f_*)
        for p in $OTHERS; do
            expect 0 $args --provider "$p" --threads 1 -o "$name.$p.npy"
            [ "$st" -eq 0 ] && same "$name.$p.npy" "$name.npy" --dtype "$dtype" \
                $(tol "$p" "$dtype" 0 --atol 0)
        done
        expect 0 $args --threads 1 -o "$name.t1.npy"
        [ "$st" -eq 0 ] && same "$name.t1.npy" "$name.npy" --rtol 0 --atol 0
        ;;
    esac
done <"$GOLD/cases.txt"
[ "$ncase" -ge 60 ] || bad "only $ncase cases in $GOLD/cases.txt"

# ---- long series: lfilter and sosfilt of a 1-D .npy or HDF5 series longer
# than a block (here XPSIG_STREAM_BLOCK samples), written to .npy, run block
# by block from each block's final state; filtfilt and sosfiltfilt forward
# so, then backward over the file (gust: in one piece).  The golden results
# again, in blocks of 37 and 100 samples: padlen 50 and 100 are longer
# than a block
expect 0 convert x.npy -o s_x.h5:/d
while read -r name dtype rtol args; do
    case $name in
    f_lfilter|f_lfilter_band|f_lfilter_complex|f_sosfilt|f_lfilter_f32) ;;
    f_*filtfilt_axis0|f_*filtfilt_2d) continue ;;
    f_filtfilt*|f_sosfiltfilt*) ;;
    *) continue ;;
    esac
    stream_case "$name" "$dtype" "$rtol" $args
done <"$GOLD/cases.txt"
# an HDF5 dataset named like a .npy file is HDF5: not streamed into a file
# of that name
XPSIG_STREAM_BLOCK=37
export XPSIG_STREAM_BLOCK
expect 0 sosfilt x.npy --sos sos_band.npy -o o.h5:/y.npy
unset XPSIG_STREAM_BLOCK
same o.h5:/y.npy "$GOLD/f_sosfilt.txt"
# an output that cannot be opened, or that fills up (/dev/full behind the
# name): status 1, the name in the message, and no partial file left
XPSIG_STREAM_BLOCK=37
export XPSIG_STREAM_BLOCK
expect 1 sosfilt x.npy --sos sos_band.npy -o nodir/y.npy;  says "nodir/y.npy"
expect 1 filtfilt x.npy --ba ba_low.npy -o nodir/y.npy;  says "nodir/y.npy"
if [ -w /dev/full ] && ln -s /dev/full full.npy; then
    expect 1 sosfilt x.npy --sos sos_band.npy -o full.npy; says "full.npy: write error"
    [ -e full.npy ] || [ -L full.npy ] && bad "a failed streamed write left full.npy"
    ln -s /dev/full full.npy
    expect 1 sosfiltfilt x.npy --sos sos_band.npy -o full.npy; says "full.npy: write error"
    [ -e full.npy ] || [ -L full.npy ] && bad "a failed two-pass write left full.npy"
fi
# the library's own checks and messages, before anything is written
printf '1 2\n0 1\n' >zeroa.txt
printf '1 0 0 2 1 0\n' >a2.txt
rm -f y.npy
expect 1 sosfiltfilt x.npy --sos a2.txt -o y.npy
says "sosfiltfilt: sos\\[0\\]\\[3\\] \\(2\\), a0 of section 0, must be 1"
[ -e y.npy ] && bad "a refused two-pass filter left y.npy"
expect 1 filtfilt x.npy --ba ba_low.npy --padlen 400 -o y.npy; says "filtfilt: .*padlen"
expect 1 filtfilt xc.npy --ba zeroa.txt -o y.npy; says "filtfilt: a\\[0\\] \\(0\\) must be nonzero"
# the output is the input (by name, or through a link): read whole first,
# not overwritten while it is still being read
cp x.npy same.npy
expect 0 sosfilt same.npy --sos sos_band.npy -o same.npy
[ "$st" -eq 0 ] && same same.npy "$GOLD/f_sosfilt.txt"
cp x.npy same.npy
if ln -s same.npy link.npy; then
    expect 0 lfilter link.npy --ba ba_low.npy -o same.npy
    [ "$st" -eq 0 ] && same same.npy "$GOLD/f_lfilter.txt"
fi
cp x.npy same.npy
expect 0 sosfiltfilt same.npy --sos sos_band.npy -o same.npy
[ "$st" -eq 0 ] && same same.npy "$GOLD/f_sosfiltfilt.txt"
unset XPSIG_STREAM_BLOCK

# ---- a design fed to the filters: xpsig's own coefficients give SciPy's output
expect 0 butter 4 35,350 --btype bandpass --fs 4096 --output sos -o sos.npy
expect 0 sosfiltfilt x.npy --sos sos.npy -o y.npy
same y.npy "$GOLD/f_sosfiltfilt.txt"
expect 0 butter 4 0.2 -o ba.h5:/filter/ba
expect 0 filtfilt x.npy --ba ba.h5:/filter/ba -o y.txt
same y.txt "$GOLD/f_filtfilt.txt"
expect 0 cheby1 5 0.25 --rp 1 --output=sos -o sos5.npy
expect 0 sosfilt x2t.npy --sos sos5.npy --axis 0 --provider strict -o y.npy
same y.npy "$GOLD/f_sosfilt_axis0.txt"
# -o and --output are two things for a design, one for the others
expect 0 butter 2 0.3 --output sos -o s.npy
expect 0 info s.npy
grep -q 's.npy: float64 (1, 6)' out || bad "butter --output sos: $(cat out)"
expect 0 lfilter x.npy --ba ba_low.npy --output y.npy
same y.npy "$GOLD/f_lfilter.txt"
# text on stdout, and a 1-D array of 6 values is one section
expect 0 iirnotch 60 30 --fs 1000
cp out notch.txt
same notch.txt "$GOLD/d_notch.txt"
expect 0 butter 2 0.3 --output sos -o s.txt
grep -v '^#' s.txt | tr -s ' ' '\n' >s1.txt
expect 0 sosfilt x.npy --sos s1.txt -o y1.npy
expect 0 sosfilt x.npy --sos s.txt -o y2.npy
same y1.npy y2.npy --rtol 0 --atol 0

# ---- help names every option of the contract (helps: xpsig_testlib.sh)
common="--provider --threads"
helps butter --btype --fs --output -o $common
helps cheby1 --btype --rp --fs --output -o $common
helps cheby2 --btype --rs --fs --output -o $common
helps ellip --btype --rp --rs --fs --output -o $common
helps bessel --btype --norm --fs --output -o $common
helps iirdesign --wp --ws --gpass --gstop --ftype --fs --output -o $common
helps iirnotch --fs -o, $common
helps iirpeak --fs -o, $common
helps freqz --ba --sos --worN --whole --fs -f -o, $common
helps lfilter --ba --axis -o, $common
helps sosfilt --sos --axis -o, $common
helps filtfilt --ba --padtype --padlen --method --irlen --axis -o, $common
helps sosfiltfilt --sos --padtype --padlen --axis -o, $common
expect 0 --help
for c in butter cheby1 cheby2 ellip bessel iirdesign iirnotch iirpeak freqz lfilter \
    sosfilt filtfilt sosfiltfilt; do
    grep -q "^  $c " out || bad "xpsig --help does not list $c"
done

# ---- usage errors: exit 2, one line naming the option and the value
expect 2 butter -1 0.2;                      says "butter: N '-1' must be a non-negative integer"
# order 0 is the gain alone, as in SciPy: [1], [1]; one section [k 0 0 1 0 0]
expect 0 butter 0 0.2 -o b0.npy
printf '# shape: (2, 1)\n1\n1\n' >b0.txt
same b0.npy b0.txt --rtol 0 --atol 0
expect 0 cheby1 0 0.2 --rp 1 --output sos -o c0.npy
printf '# shape: (1, 6)\n%s\n' '0.89125093813374556 0 0 1 0 0' >c0.txt
same c0.npy c0.txt --rtol 1e-15
expect 2 butter 4.5 0.2;                     says "N '4.5'"
expect 2 butter 200000 0.2;                  says "N '200000'"
expect 2 butter 4 abc;                       says "butter: WN 'abc'"
expect 2 butter 4 0.1,0.2,0.3;               says "WN '0.1,0.2,0.3'"
expect 2 butter 4 0.2 --btype band;          says "WN '0.2': a bandpass filter needs two"
expect 2 butter 4 0.1,0.2;                   says "WN '0.1,0.2': a lowpass filter needs one"
expect 2 butter 4 1.2;                       says "Wn\\[0\\] \\(1.2\\) must be in \\(0, 1\\)"
expect 2 butter 4 0;                         says "Wn\\[0\\] \\(0\\)"
expect 2 butter 4 0.3,0.2 --btype bs;        says "Wn\\[0\\] \\(0.3\\) must be less than Wn\\[1\\] \\(0.2\\)"
expect 2 butter 4 600 --fs 1000;             says "Wn\\[0\\] \\(600\\) must be in \\(0, fs/2\\)"
expect 2 butter 4 0.2 --btype sideways;      says "--btype: 'sideways'"
expect 2 butter 4 0.2 --output zpk;          says "--output: 'zpk' must be ba or sos"
expect 2 butter 4 0.2 --output xyz;          says "--output: 'xyz'"
expect 2 butter 4 0.2 --fs 0;                says "--fs: '0'"
expect 2 butter 4 0.2 --fs abc;              says "--fs: 'abc'"
expect 2 butter 4 0.2 --fs inf;              says "--fs: 'inf'"
expect 2 butter 4 0.2 --rp 1;                says "unknown option --rp"
expect 2 butter 4;                           says "missing argument"
expect 2 butter 4 0.2 0.3;                   says "unexpected argument '0.3'"
expect 2 cheby1 4 0.2;                       says "cheby1: missing --rp"
expect 2 cheby1 4 0.2 --rp -1;               says "--rp: '-1'"
expect 2 cheby1 4 0.2 --rp 1 --rs 40;        says "unknown option --rs"
expect 2 cheby2 4 0.2;                       says "cheby2: missing --rs"
expect 2 cheby2 4 0.2 --rs 0;                says "--rs: '0'"
expect 2 ellip 4 0.2 --rp 1;                 says "ellip: missing --rs"
expect 2 ellip 4 0.2 --rs 40;                says "ellip: missing --rp"
expect 2 ellip 4 0.2 --rp 1 --rs x;          says "--rs: 'x'"
expect 2 bessel 4 0.2 --norm energy;         says "bessel: --norm: 'energy'"
expect 2 butter 4 0.2 --norm phase;          says "unknown option --norm"
expect 2 iirdesign --wp 0.2 --ws 0.3 --gpass 1; says "iirdesign: missing --gstop"
expect 2 iirdesign --ws 0.3 --gpass 1 --gstop 40; says "missing --wp"
expect 2 iirdesign --wp 0.2,0.3 --ws 0.1 --gpass 1 --gstop 40; says "--ws: '0.1' must have as many values as --wp '0.2,0.3'"
expect 2 iirdesign --wp a --ws 0.3 --gpass 1 --gstop 40; says "--wp: 'a'"
expect 2 iirdesign --wp 0.2 --ws 0.3 --gpass 0 --gstop 40; says "--gpass: '0'"
expect 2 iirdesign --wp 0.2 --ws 0.3 --gpass 1 --gstop 40 --ftype bessel; says "--ftype: 'bessel'"
expect 2 iirdesign --wp 0.2 --ws 0.3 --gpass 1 --gstop 40 --ftype fir; says "--ftype: 'fir'"
expect 2 iirdesign --wp 0.2 --ws 0.3 --gpass 40 --gstop 1; says "iirdesign: gpass \\(40\\) must not exceed gstop \\(1\\)"
expect 2 iirdesign --wp 1.5 --ws 0.3 --gpass 1 --gstop 40; says "wp\\[0\\] \\(1.5\\)"
expect 2 iirdesign --wp 0.2 --ws 0.3 --gpass 1 --gstop 40 --output zpk; says "--output: 'zpk'"
expect 2 iirdesign x.npy --wp 0.2 --ws 0.3 --gpass 1 --gstop 40; says "unexpected argument 'x.npy'"
expect 2 iirnotch 60 0 --fs 1000;            says "iirnotch: Q '0'"
expect 2 iirnotch abc 30;                    says "W0 'abc'"
expect 2 iirnotch 600 30 --fs 1000;          says "iirnotch: w0 \\(600\\)"
expect 2 iirpeak 0.5 30 --fs 0;              says "iirpeak: --fs: '0'"
expect 2 iirpeak 0.5;                        says "missing argument"
expect 2 freqz;                              says "freqz: missing --ba FILE or --sos FILE"
expect 2 freqz --ba ba_low.npy --sos sos_low.npy; says "not both"
expect 2 freqz --ba ba_low.npy --worN -1;    says "--worN: '-1'"
expect 0 freqz --ba ba_low.npy --worN 0 -o h0.npy -f w0.npy   # SciPy: empty arrays
expect 0 info h0.npy w0.npy
grep -q 'h0.npy: complex128 (0,)' out && grep -q 'w0.npy: float64 (0,)' out ||
    bad "freqz --worN 0: $(cat out)"
expect 2 freqz --ba ba_low.npy --worN 2305843009213693953; says "too large \\(at most 2\\^48\\)"
expect 2 freqz --ba ba_low.npy --fs -1;      says "--fs: '-1'"
expect 2 freqz --ba ba_low.npy --whole=1;    says "--whole takes no value"
expect 2 lfilter x.npy;                      says "lfilter: missing --ba FILE"
expect 2 lfilter x.npy --sos sos_low.npy;    says "unknown option --sos"
expect 2 lfilter --ba ba_low.npy;            says "missing argument"
expect 2 lfilter x.npy --ba ba_low.npy --axis one; says "--axis: 'one'"
expect 2 sosfilt x.npy;                      says "sosfilt: missing --sos FILE"
expect 2 sosfilt x.npy --ba ba_low.npy;      says "unknown option --ba"
expect 2 filtfilt x.npy --ba ba_low.npy --padtype zero; says "filtfilt: --padtype: 'zero'"
expect 2 filtfilt x.npy --ba ba_low.npy --padlen 1.5; says "--padlen: '1.5' must be an integer"
# a negative padlen is no padding, as in SciPy
expect 0 filtfilt x.npy --ba ba_low.npy --padlen -1 -o pm1.npy
expect 0 filtfilt x.npy --ba ba_low.npy --padlen 0 -o p0.npy
same pm1.npy p0.npy --rtol 0 --atol 0
expect 0 sosfiltfilt x.npy --sos sos_low.npy --padlen -7 -o pm7.npy
same pm7.npy "$GOLD/f_sosfiltfilt_none.txt"
expect 2 filtfilt x.npy --ba ba_low.npy --padlen x;  says "--padlen: 'x'"
expect 2 filtfilt x.npy --ba ba_low.npy --method fast; says "--method: 'fast'"
expect 2 filtfilt x.npy --ba ba_low.npy --irlen 0; says "--irlen: '0'"
# an irlen past any length means the whole line (no overflow on the way)
expect 0 filtfilt x.npy --ba ba_low.npy --method gust --irlen 4611686018427387905 -o g1.npy
expect 0 filtfilt x.npy --ba ba_low.npy --method gust -o g2.npy
cmp -s g1.npy g2.npy || bad "gust with a huge irlen differs from the whole line"
expect 2 sosfiltfilt x.npy --sos sos_low.npy --method gust; says "unknown option --method"
expect 2 sosfiltfilt x.npy --sos sos_low.npy --padtype odd1; says "sosfiltfilt: --padtype: 'odd1'"
expect 2 lfilter x.npy --ba c.csv;           says "unknown file format"
expect 2 lfilter x.npy --ba ba_low.npy --provider nosuch; says "unknown provider 'nosuch'"

# ---- data errors: exit 1, one line
printf '1 2\n0 1\n' >zeroa.txt
printf '1 0 0 0 1 0\n' >a0.txt
printf '1 0 0 2 1 0\n' >a2.txt
expect 1 lfilter x.npy --ba missing.npy;     says "lfilter: --ba: missing.npy"
expect 1 lfilter missing.npy --ba ba_low.npy; says "lfilter: missing.npy"
expect 1 lfilter x.npy --ba sos_low.npy;     says "--ba: sos_low.npy must hold a 2-row array, b and a \\(its shape is \\(3, 6\\)\\)"
expect 1 filtfilt x.npy --ba x.npy;          says "--ba: x.npy must hold a 2-row array"
expect 1 sosfilt x.npy --sos ba_low.npy;     says "--sos: ba_low.npy must hold an n x 6 array"
expect 1 lfilter x.npy --ba xc.npy;          says "--ba: xc.npy: coefficients must be real"
expect 1 lfilter x.npy --ba zeroa.txt;       says "lfilter: a\\[0\\] \\(0\\) must be nonzero"
expect 1 sosfilt x.npy --sos a0.txt;         says "sosfilt: sos\\[0\\]\\[3\\]"
expect 1 sosfiltfilt x.npy --sos a2.txt;     says "sosfiltfilt: sos\\[0\\]\\[3\\] \\(2\\), a0 of section 0, must be 1"
expect 1 lfilter x.npy --ba ba_low.npy --axis 1; says "lfilter: axis"
expect 1 filtfilt x.npy --ba ba_low.npy --padlen 400; says "filtfilt: .*padlen"
expect 1 sosfiltfilt x.npy --sos sos_low.npy --padlen 500; says "sosfiltfilt: .*padlen"
expect 1 filtfilt x.npy --ba ba_low.npy --method gust --axis -2; says "filtfilt: axis"
expect 1 freqz --ba missing.npy;             says "freqz: --ba: missing.npy"
expect 1 freqz --sos a0.txt;                 says "freqz"
expect 1 butter 4 0.2 -o nodir/c.npy;        says "nodir/c.npy"
expect 1 filtfilt x.npy --ba ba_low.npy --provider strict -o nodir/y.npy; says "nodir/y.npy"

# ---- bench: one line "median_s=... min_s=..." and no file written
benchline() {
    [ "$(wc -l <out)" -eq 1 ] || bad "bench $*: $(wc -l <out) lines on stdout"
    grep -Eqx 'median_s=[0-9.eE+-]+ min_s=[0-9.eE+-]+( [a-z_0-9]+=[^ ]+)*' out ||
        bad "bench $*: '$(cat out)'"
    [ -s err ] && bad "bench $*: stderr '$(cat err)'"
    return 0
}
expect 0 bench filtfilt x.npy --ba ba_low.npy --repeat 3 -o b.npy
benchline filtfilt
grep -q ' repeat=3' out || bad "bench --repeat 3: $(cat out)"
[ -e b.npy ] && bad "bench wrote an output file"
expect 0 bench sosfiltfilt x2.npy --sos sos_ellip.npy --threads 1;  benchline sosfiltfilt
expect 0 bench lfilter x.npy --ba ba_low.npy --provider strict;    benchline lfilter
grep -q ' provider=strict' out || bad "bench provider: $(cat out)"
expect 0 bench sosfilt x2t.npy --sos sos_low.npy --axis 0 --repeat 2; benchline sosfilt
expect 0 bench filtfilt x.npy --ba ba_low.npy --method gust;       benchline filtfilt gust
expect 0 bench butter 8 0.1,0.2 --btype band --output sos;         benchline butter
expect 0 bench iirdesign --wp 0.2 --ws 0.3 --gpass 1 --gstop 60;   benchline iirdesign
expect 0 bench freqz --sos sos_ellip.npy --worN 4096;              benchline freqz
expect 0 bench --help
for c in filtfilt sosfiltfilt lfilter sosfilt; do
    grep -q " $c" out || bad "bench --help does not list $c"
done
expect 0 bench filtfilt --help
grep -q 'usage: xpsig bench filtfilt' out || bad "bench filtfilt --help: $(head -1 out)"
expect 2 bench filtfilt x.npy;               says "bench filtfilt: missing --ba"
expect 2 bench sosfiltfilt x.npy --sos sos_low.npy --padtype zero; says "bench sosfiltfilt: --padtype: 'zero'"
expect 1 bench lfilter x.npy --ba ba_low.npy --axis 3; says "bench lfilter: axis"

exit $fail
