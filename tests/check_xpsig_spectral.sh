#!/bin/sh
# check_xpsig_spectral.sh -- xpsig window, detrend, periodogram, welch, csd,
# coherence, spectrogram, stft, istft and bench as a user runs them: every case of
# tests/golden/xpsig_spectral/cases.txt against SciPy's results (written by
# tests/golden/gen_xpsig_spectral.py), the same on the strict provider
# (and cuda where it runs),
# file formats, option errors (exit 2) and data errors (exit 1) with their
# one-line messages, and bench's output line.  No Python at test time: the
# values are compared by tests/npy_compare.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
. "$top_srcdir/tests/xpsig_testlib.sh"
xpsig_setup check_xpsig_spectral xpsig_spectral
set -f      # case arguments are split on blanks, never globbed

# ---- inputs: SciPy's text, through xpsig convert
for n in x y x2 x2t y2t xc w33 z zt zc; do
    expect 0 convert "$GOLD/$n.txt" -o "$n.npy"
done
expect 0 convert --dtype float32 "$GOLD/x.txt" -o x32.npy
expect 0 convert --dtype float32 "$GOLD/y.txt" -o y32.npy

# ---- every golden case, on host and on the others (one thread)
ncase=0
while read -r name dtype rtol args; do
    case $name in '#'*|'') continue ;; esac
    ncase=$((ncase + 1))
    golden_case "$name" "$dtype" "$rtol" $args || continue
    # the other providers compute the same numbers (float32 ones within
    # float32's precision: their transforms may round differently)
    case $rtol in 1e-10) srtol=1e-12 ;; *) srtol=$rtol ;; esac
    for p in $OTHERS; do
        expect 0 $args --provider "$p" --threads 1 -o "$name.$p.npy"
        [ "$st" -eq 0 ] && same "$name.$p.npy" "$name.npy" --dtype "$dtype" \
            $(tol "$p" "$dtype" "$srtol")
    done
done <"$GOLD/cases.txt"
[ "$ncase" -ge 40 ] || bad "only $ncase cases in $GOLD/cases.txt"

# ---- formats: HDF5 in and out, text on stdout, options glued with = and -fFILE
expect 0 convert x.npy -o in.h5:/sig/x
expect 0 welch in.h5:/sig/x -o res.h5:/psd -fres.h5:/f
same res.h5:/psd "$GOLD/welch_default.txt" --dtype float64
same res.h5:/f "$GOLD/welch_default.f.txt"
expect 0 welch x.npy --nperseg=64 --window=hann
cp out stdout.txt
same stdout.txt "$GOLD/f32_welch.txt"
expect 0 spectrogram x.npy --nperseg 64 --fs=4 --provider=strict -o s.txt -t t.txt
same s.txt "$GOLD/spec_psd.txt"
same t.txt "$GOLD/spec_psd.t.txt"
expect 0 window hann 16 --provider strict
cp out w.txt
same w.txt "$GOLD/win_hann.txt"

# ---- long series: a 1-D .npy array or HDF5 dataset longer than a block
# (64 MB; here XPSIG_STREAM_BLOCK samples) is read a block at a time: detrend
# reads it twice (the fits, then the fits subtracted), welch,
# csd and coherence feed an accumulator, spectrogram and stft compute a
# block of segments at a time into every row of their .npy output, and
# istft reads a 2-D Z a block of segments at a time for a block of its
# samples.  Blocks of 37 and 100 samples cut segments anywhere
# (spec_default's 256-sample segments are longer than a block), and the
# golden results hold, from .npy and from HDF5 (other inputs load whole)
for n in x y x32 y32 xc z zc; do
    expect 0 convert $n.npy -o "s_$n.h5:/d"
done
while read -r name dtype rtol args; do
    case $name in
    det_linear|det_constant|det_bp|det_bp_unsorted|det_complex) ;;
    welch_default|welch_opts|welch_spectrum|welch_median|welch_median_mean|welch_complex|\
    welch_boxcar|welch_winfile|csd_default|csd_median|csd_complex|coh_default|coh_opts|\
    f32_welch|f32_welch_out|f32_csd_out) ;;
    spec_2d|spec_axis0|stft_axis0|istft_axes) continue ;;
    spec_*|stft_*|f32_spec_out|istft_*) ;;
    *) continue ;;
    esac
    stream_case "$name" "$dtype" "$rtol" $args
done <"$GOLD/cases.txt"
# a streamed detrend checks its breakpoints before it writes anything
XPSIG_STREAM_BLOCK=37
export XPSIG_STREAM_BLOCK
rm -f refused.npy
expect 1 detrend x.npy --bp 5000 -o refused.npy; says "detrend.*bp\\[0\\] \\(5000\\)"
[ -e refused.npy ] && bad "a refused streamed detrend left refused.npy"
unset XPSIG_STREAM_BLOCK
# spectrogram and stft streamed equal the one-shot result (which the golden
# cases hold to SciPy) for every mode, overlap, boundary and padding, with
# segments that end a sample before the series does (nperseg 33, step 13)
awk 'BEGIN { for (i = 0; i < 1000; i++) print sin(i * 0.013) * 3 + ((i * 7919) % 1009) / 1009 }' \
    >long.txt
expect 0 convert long.txt -o long.npy
expect 0 convert --dtype complex128 long.npy -o longz.npy
for args in "spectrogram long.npy --nperseg 64 --mode phase" \
    "spectrogram long.npy --nperseg 33 --noverlap 20 --mode angle --detrend linear" \
    "spectrogram longz.npy --nperseg 64 --noverlap 0 --mode complex --nfft 80" \
    "spectrogram long.npy --nperseg 300 --mode magnitude --twosided --fs 3" \
    "stft long.npy --nperseg 33 --noverlap 20 --boundary even" \
    "stft long.npy --nperseg 33 --noverlap 20 --boundary odd --padded false" \
    "stft long.npy --nperseg 64 --boundary constant --window tukey,0.3 --fs 7" \
    "stft longz.npy --nperseg 64 --noverlap 50 --boundary zeros" \
    "stft long.npy --nperseg 33 --noverlap 0 --boundary none" \
    "stft long.npy --nperseg 300 --noverlap 299 --boundary odd --scaling psd"; do
    expect 0 $args -o whole.npy -f whole.f.npy -t whole.t.npy
    for b in 37 100 999; do
        XPSIG_STREAM_BLOCK=$b
        export XPSIG_STREAM_BLOCK
        expect 0 $args -o part.npy -f part.f.npy -t part.t.npy
        unset XPSIG_STREAM_BLOCK
        [ "$st" -eq 0 ] || continue
        for k in "" .f .t; do
            "$CMP" --rtol 1e-13 "part$k.npy" "whole$k.npy" 2>cmp.err ||
                bad "$args (block $b)$k: $(cat cmp.err)"
        done
    done
done
# istft streamed equals the one-shot istft of the same Z (to rounding:
# the same terms added in another order, normwise where the window's
# squares nearly vanish), for one- and two-sided Z, with and without the
# cut ends; its times are the same numbers
for args in "long.npy --nperseg 64|" \
    "long.npy --nperseg 33 --noverlap 20 --boundary none|--nperseg 33 --noverlap 20 --boundary false" \
    "longz.npy --nperseg 64 --noverlap 50 --boundary even --twosided|--noverlap 50 --input_onesided false" \
    "long.npy --nperseg 300 --noverlap 0 --window tukey,0.3 --scaling psd --fs 3 --padded false|--nperseg 300 --noverlap 0 --window tukey,0.3 --scaling psd --fs 3"; do
    expect 0 stft ${args%%|*} -o Z.npy
    expect 0 istft Z.npy ${args#*|} -o whole.npy -t whole.t.npy
    for b in 37 100 999; do
        XPSIG_STREAM_BLOCK=$b
        export XPSIG_STREAM_BLOCK
        expect 0 istft Z.npy ${args#*|} -o part.npy -t part.t.npy
        unset XPSIG_STREAM_BLOCK
        [ "$st" -eq 0 ] || continue
        "$CMP" --normwise --rtol 1e-13 part.npy whole.npy 2>cmp.err ||
            bad "istft ${args#*|} (block $b): $(cat cmp.err)"
        "$CMP" --rtol 0 --atol 0 part.t.npy whole.t.npy 2>cmp.err ||
            bad "istft ${args#*|} (block $b) t: $(cat cmp.err)"
    done
done
# nperseg 1: stft's times still move back by half a sample (SciPy
# subtracts (nperseg/2)/fs though no sample is added), and istft's cut
# x[0:-0] leaves nothing
awk 'BEGIN { for (i = 0; i < 40; i++) print i % 7 }' >a40.txt
expect 0 convert a40.txt -o a40.npy
expect 0 stft a40.npy --nperseg 1 -o whole.npy -t whole.t.npy
expect 0 stft a40.npy --nperseg 1 --twosided -o Z1.npy
XPSIG_STREAM_BLOCK=17
export XPSIG_STREAM_BLOCK
expect 0 stft a40.npy --nperseg 1 -o part.npy -t part.t.npy
[ "$st" -eq 0 ] && same part.t.npy whole.t.npy --rtol 0 --atol 0
expect 0 istft Z1.npy --input_onesided false -o part.npy -t part.t.npy
unset XPSIG_STREAM_BLOCK
expect 0 info Z1.npy part.npy part.t.npy
[ "$(grep -c ' (0,)$' out)" -eq 2 ] && grep -q ' (1, 40)$' out ||
    bad "istft of a (1, 40) Z with nperseg 1: $(cat out), expected shapes (0,)"
# the same on the other providers (blocks go to the device and back)
expect 0 stft long.npy --nperseg 64 -o Zp.npy
for p in $OTHERS; do
    for args in "spectrogram long.npy --nperseg 64 --mode phase" \
        "stft long.npy --nperseg 33 --noverlap 20 --boundary odd" "istft Zp.npy"; do
        expect 0 $args -o whole.npy
        XPSIG_STREAM_BLOCK=100
        export XPSIG_STREAM_BLOCK
        expect 0 $args --provider "$p" -o part.npy
        unset XPSIG_STREAM_BLOCK
        [ "$st" -eq 0 ] && same part.npy whole.npy $(tol "$p" float64 1e-13 --normwise)
    done
done
XPSIG_STREAM_BLOCK=37
export XPSIG_STREAM_BLOCK
# the library's checks and messages, before anything is written
rm -f part.npy part.t.npy
expect 1 istft Z.npy --nperseg 300 --nfft 200 -o part.npy -t part.t.npy
says "istft: nfft \\(200\\) must be greater than or equal to nperseg \\(300\\)"
[ -e part.npy ] || [ -e part.t.npy ] && bad "a refused streamed istft left its output"
if [ -w /dev/full ] && ln -s /dev/full full.t.npy; then
    expect 1 istft Z.npy --nperseg 300 --noverlap 0 -o part.npy -t full.t.npy
    says "full.t.npy: write error"
    [ -e part.npy ] && bad "a failed streamed istft left part.npy"
    rm -f full.t.npy
fi
rm -f part.npy
expect 1 spectrogram long.npy --nperseg 64 --nfft 32 -o part.npy
says "spectrogram: nfft \\(32\\) must be greater than or equal to nperseg \\(64\\)"
[ -e part.npy ] && bad "a refused streamed spectrogram left part.npy"
expect 1 stft long.npy --nperseg 64 -o nodir/part.npy; says "nodir/part.npy"
if [ -w /dev/full ] && ln -s /dev/full full.npy; then
    expect 1 spectrogram long.npy --nperseg 64 -o full.npy; says "full.npy: write error"
    [ -e full.npy ] || [ -L full.npy ] && bad "a failed streamed spectrogram left full.npy"
fi
# the output is the input: read whole first
cp long.npy same.npy
expect 0 stft same.npy --nperseg 64 -o same.npy
unset XPSIG_STREAM_BLOCK
expect 0 stft long.npy --nperseg 64 -o whole.npy
same same.npy whole.npy --rtol 0 --atol 0

# ---- help names every option of the contract (helps: xpsig_testlib.sh)
common="--provider --threads -o,"
helps window --sym $common
helps detrend --type --bp --axis $common
helps periodogram --fs --window --nfft --detrend --scaling --twosided --axis \
    --float32-output -f $common
helps welch --fs --window --nperseg --noverlap --nfft --detrend --scaling --twosided \
    --average --axis --float32-output -f $common
helps csd --fs --window --nperseg --noverlap --nfft --detrend --scaling --twosided \
    --average --axis --float32-output -f $common
helps coherence --fs --window --nperseg --noverlap --nfft --detrend --axis -f $common
helps spectrogram --fs --window --nperseg --noverlap --nfft --detrend --scaling \
    --twosided --mode --axis --float32-output -f -t $common
helps stft --fs --window --nperseg --noverlap --nfft --detrend --scaling --twosided \
    --boundary --padded --axis --float32-output -f -t $common
helps istft --fs --window --nperseg --noverlap --nfft --input_onesided --boundary \
    --time_axis --freq_axis --scaling -t $common
expect 0 --help
for c in window detrend periodogram welch csd coherence spectrogram stft istft bench; do
    grep -q "^  $c " out || bad "xpsig --help does not list $c"
done

# ---- usage errors: exit 2, one line naming the option and the value
expect 2 welch x.npy --nperseg 0;            says "welch: --nperseg: '0'"
expect 2 welch x.npy --nperseg abc;          says "--nperseg: 'abc'"
expect 2 welch x.npy --noverlap -1;          says "--noverlap: '-1'"
expect 2 welch x.npy --nperseg 64 --noverlap 64; says "--noverlap: '64' .*nperseg \\(64\\)"
expect 1 welch x.npy --nperseg 64 --nfft 32; says "welch: nfft \\(32\\) must be greater than or equal to nperseg \\(64\\)"
# nfft is held against nperseg once that is cut to the input's length, as
# in SciPy: welch(x30, nperseg=64, nfft=32) is welch(x30, nperseg=30, nfft=32)
awk 'BEGIN { for (i = 0; i < 30; i++) print sin(i * 0.7) + i / 10 }' >x30.txt
# coherence of a real and a complex input of different lengths: as for the
# real one cast to complex (the welch of each two-sided)
expect 0 convert --dtype complex128 x.npy -o xz.npy
expect 0 convert --dtype complex128 x30.txt -o x30z.npy
expect 0 coherence x30.txt xz.npy --nperseg 16 -o c1.npy
expect 0 coherence x30z.npy xz.npy --nperseg 16 -o c2.npy
same c1.npy c2.npy --rtol 1e-14
for f in welch spectrogram stft; do
    expect 0 $f x30.txt --nperseg 64 --nfft 32 -o n64.npy
    expect 0 $f x30.txt --nperseg 30 --nfft 32 -o n30.npy
    same n64.npy n30.npy --rtol 0 --atol 0
done
# lengths past what int64 byte counts hold: an error, not an overflow
for f in welch stft; do
    expect 1 $f x.npy --nperseg 16 --nfft 2305843009213693953; says "too large to address"
done
expect 2 welch x.npy --nfft 0;               says "--nfft: '0'"
expect 2 welch x.npy --window nosuch;        says "--window: 'nosuch': unknown window"
expect 2 welch x.npy --window tukey,x;       says "--window: 'tukey,x'"
expect 2 welch x.npy --window kaiser;        says "--window: 'kaiser'"
expect 2 welch x.npy --fs 0;                 says "--fs: '0'"
expect 2 welch x.npy --fs -2;                says "--fs: '-2'"
expect 2 welch x.npy --fs inf;               says "--fs: 'inf'"
expect 2 periodogram x.npy --fs abc;         says "periodogram: --fs: 'abc'"
expect 2 welch x.npy --scaling power;        says "--scaling: 'power'"
expect 2 csd x.npy y.npy --average mode;     says "csd: --average: 'mode'"
expect 2 welch x.npy --detrend quadratic;    says "--detrend: 'quadratic'"
expect 2 spectrogram x.npy --mode power;     says "spectrogram: --mode: 'power'"
expect 2 welch x.npy --axis one;             says "--axis: 'one'"
expect 2 stft x.npy --boundary mirror;       says "stft: --boundary: 'mirror'"
expect 2 stft x.npy --padded maybe;          says "stft: --padded: 'maybe' must be true or false"
expect 2 stft x.npy --scaling density;       says "stft: --scaling: 'density' must be psd or spectrum"
expect 2 welch x.npy --boundary zeros;       says "unknown option --boundary"
expect 2 istft z.npy --input_onesided 2;     says "istft: --input_onesided: '2'"
expect 2 istft z.npy --scaling density;      says "istft: --scaling: 'density'"
expect 2 istft z.npy --time_axis x;          says "--time_axis: 'x'"
expect 2 welch x.npy --mode psd;             says "unknown option --mode"
expect 2 periodogram x.npy --nperseg 64;     says "unknown option --nperseg"
expect 2 coherence x.npy y.npy --scaling spectrum; says "unknown option --scaling"
expect 2 coherence x.npy y.npy --average median;   says "unknown option --average"
expect 2 welch x.npy -t t.npy;               says "unknown option -t"
expect 2 welch x.npy --f f.npy;              says "unknown option --f"
expect 2 welch x.npy -f;                     says "-f: missing value"
# a forgotten value is not taken from the option after it
expect 2 welch x.npy --window -o o.npy;      says "--window: missing value \\(the next argument, -o, is an option"
expect 2 welch x.npy -o --nperseg 8;         says "-o: missing value .*as -oVALUE"
expect 0 welch x.npy --axis -1 --nperseg 64 -o o.npy
expect 2 welch x.npy --float32-output=1;     says "--float32-output takes no value"
expect 2 coherence x.npy;                    says "missing argument"
expect 2 welch x.npy y.npy;                  says "unexpected argument 'y.npy'"
expect 2 welch x.csv;                        says "unknown file format"
expect 2 welch x.npy -o p.csv;               says "unknown file format"
expect 2 welch x.npy --provider nosuch;      says "unknown provider 'nosuch'"
expect 2 detrend x.npy --type quadratic;     says "--type: 'quadratic'"
expect 2 detrend x.npy --bp 1,x;             says "--bp: '1,x'"
expect 2 detrend x.npy --bp -5;              says "--bp: '-5'"
# constant ignores bp, unread, as SciPy; SciPy's one-letter detrend types
expect 0 detrend x.npy --type constant --bp -5 -o dc1.npy
expect 0 detrend x.npy --type c -o dc2.npy
same dc1.npy dc2.npy --rtol 0 --atol 0
expect 0 welch x.npy --nperseg 64 --detrend l -o wl1.npy
expect 0 welch x.npy --nperseg 64 --detrend linear -o wl2.npy
same wl1.npy wl2.npy --rtol 0 --atol 0
expect 2 window hann 0;                      says "window: N '0'"
expect 2 window hann -3;                     says "N '-3'"
expect 2 window hann 2.5;                    says "N '2.5'"
expect 2 window nosuch 8;                    says "SPEC 'nosuch': unknown window"
expect 2 window kaiser 8;                    says "SPEC 'kaiser'"
expect 2 window hann;                        says "missing argument"
expect 2 window hann 8 9;                    says "unexpected argument '9'"
expect 2 window kaiser_bessel_derived,3 7;   says "SPEC 'kaiser_bessel_derived,3', N 7: "
expect 0 window kaiser_bessel_derived,3 8 --sym

# ---- data errors: exit 1, one line
expect 1 welch missing.npy;                  says "welch: missing.npy: "
expect 1 csd x.npy missing.npy;              says "csd: missing.npy: "
expect 1 welch x.npy --axis 2;               says "welch: axis \\(2\\)"
expect 1 welch x.npy --noverlap 300;         says "welch: noverlap \\(300\\) must be less than nperseg \\(256\\)"
expect 1 welch x.npy --nfft 100;             says "welch: nfft \\(100\\)"
expect 1 csd x2.npy x2t.npy --nperseg 32;    says "csd: x and y cannot be broadcast"
expect 1 welch x.npy --window x2.npy;        says "--window: x2.npy"
expect 1 welch x.npy --window w33.npy --nperseg 64; says "nperseg \\(64\\)"
expect 1 welch x.npy --window missing.npy;   says "missing.npy"
expect 1 welch x.npy --nperseg 300 --average median-mean; says "median-mean"
expect 1 detrend x.npy --bp 400;             says "detrend: breakpoint"
expect 1 istft x.npy;                        says "istft: Zxx must have at least 2 dimensions"
# istft takes a window array file, as stft does
expect 0 window hann 64 -o w64.npy
expect 0 stft x.npy --nperseg 64 -o z64.npy
expect 0 istft z64.npy --window w64.npy -o iw1.npy
expect 0 istft z64.npy --window hann -o iw2.npy
same iw1.npy iw2.npy --rtol 0 --atol 0
expect 1 istft z64.npy --window x.npy;       says "istft: nperseg \\(64\\) does not equal the window's length"
expect 1 istft z.npy --time_axis 0 --freq_axis 0; says "istft: time_axis \\(0\\) and freq_axis"
expect 1 istft z.npy --nperseg 64 --nfft 32; says "istft: nfft \\(32\\)"
expect 1 stft x.npy --window w33.npy --nperseg 64; says "stft: nperseg \\(64\\)"
expect 1 detrend x.npy --axis 1;             says "detrend: axis"
expect 1 welch x.npy -o nodir/p.npy;         says "nodir/p.npy"
expect 1 spectrogram x.npy --provider strict -o nodir/s.npy
[ -e p.csv ] && bad "a failed run left p.csv"

# ---- bench: one line "median_s=... min_s=..." and no file written
benchline() {
    [ "$(wc -l <out)" -eq 1 ] || bad "bench $*: $(wc -l <out) lines on stdout"
    grep -Eqx 'median_s=[0-9.eE+-]+ min_s=[0-9.eE+-]+( [a-z_0-9]+=[^ ]+)*' out ||
        bad "bench $*: '$(cat out)'"
    awk '{ split($1, m, "="); split($2, n, "="); exit !(n[2] + 0 <= m[2] + 0) }' out ||
        bad "bench $*: min_s above median_s: $(cat out)"
    [ -s err ] && bad "bench $*: stderr '$(cat err)'"
    return 0
}
expect 0 bench welch x.npy --nperseg 64 --repeat 3 -o b.npy -f bf.npy
benchline welch
grep -q ' repeat=3' out || bad "bench --repeat 3: $(cat out)"
[ -e b.npy ] || [ -e bf.npy ] && bad "bench wrote an output file"
expect 0 bench spectrogram x.npy --threads 1
benchline spectrogram
grep -q ' repeat=5' out || bad "bench default repeat: $(cat out)"
expect 0 bench --repeat=2 csd x.npy y.npy --provider strict
benchline csd
grep -q ' provider=strict' out || bad "bench provider: $(cat out)"
expect 0 bench coherence x.npy y.npy --nperseg 32 --repeat 1;  benchline coherence
expect 0 bench periodogram x32.npy --float32-output;            benchline periodogram
expect 0 bench detrend x2.npy --bp 50 --repeat 4;               benchline detrend
expect 0 bench window kaiser,8.6 1024 --sym;                    benchline window
expect 0 bench --help
grep -q 'usage: xpsig bench' out || bad "bench --help: $(head -1 out)"
expect 0 help bench
expect 0 bench welch --help
grep -q 'usage: xpsig bench welch' out || bad "bench welch --help: $(head -1 out)"
expect 2 bench;                              says "bench: missing COMMAND"
expect 2 bench nosuch x.npy;                 says "bench: nosuch: unknown subcommand"
expect 2 bench providers;                    says "bench: providers cannot be timed"
expect 2 bench welch x.npy --repeat 0;       says "--repeat: '0'"
expect 2 bench welch x.npy --repeat;         says "--repeat: missing value"
expect 2 bench welch x.npy --nperseg 0;      says "bench welch: --nperseg: '0'"
expect 1 bench welch missing.npy;            says "bench welch: missing.npy"
expect 1 bench welch x.npy --axis 3;         says "bench welch: axis"

exit $fail
