#!/bin/sh
# check_xpsig.sh -- the xpsig tool as a user runs it: --version, providers,
# help, exit statuses with their one-line messages, format conversions, and
# (when /usr/bin/python3 has numpy) files numpy writes come back identical.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
. "$top_srcdir/tests/xpsig_testlib.sh"
xpsig_setup check_xpsig

# ---- version, help, providers
expect 0 --version
grep -Eqx 'xpsig \(libxpsignal\) [0-9]+\.[0-9]+\.[0-9]+' "$tmp/out" ||
    bad "--version printed '$(cat "$tmp/out")'"
expect 0 --help
grep -q 'providers' "$tmp/out" || bad "--help does not list providers"
expect 0 help
grep -q 'convert' "$tmp/out" || bad "help does not list convert"
expect 0 help convert
grep -q 'usage: xpsig convert' "$tmp/out" || bad "help convert"
expect 0 info --help
grep -q -- '--provider' "$tmp/out" || bad "info --help lacks the common options"
expect 0 providers
grep -Eq '^host +[a-z_]+ +available' "$tmp/out" || bad "providers lacks host: $(cat "$tmp/out")"
grep -Eq '^strict ' "$tmp/out" || bad "providers lacks strict"
expect 0 providers --provider strict --threads 1

# ---- usage errors: exit 2, one line
expect 2
expect 2 nosuch
grep -q '^xpsig: nosuch: unknown subcommand' "$tmp/err" || bad "unknown subcommand: $(cat "$tmp/err")"
expect 2 --bogus
expect 2 help nosuch
expect 2 providers --bogus
grep -q '^xpsig: providers: unknown option --bogus' "$tmp/err" || bad "unknown option: $(cat "$tmp/err")"
expect 2 providers extra
expect 2 convert
expect 2 convert a.npy b.npy
expect 2 info --provider
expect 2 info --provider nosuch x.npy
grep -q 'host' "$tmp/err" || bad "unknown provider does not list the providers"
expect 2 info --threads many x.npy
expect 2 info --threads -3 x.npy
expect 2 info --threads 2147483648 x.npy; says "--threads: '2147483648' is out of range"
expect 2 info -q x.npy
expect 2 info x.csv
expect 2 convert --dtype int8 x.txt

# ---- data errors: exit 1, one line naming the subcommand and the file
expect 1 info "$tmp/missing.npy"
grep -q "^xpsig: info: $tmp/missing.npy: " "$tmp/err" || bad "missing file: $(cat "$tmp/err")"
printf 'not numpy' >"$tmp/junk.npy"
expect 1 convert "$tmp/junk.npy" -o "$tmp/o.npy"
printf '1 2\n3\n' >"$tmp/ragged.txt"
expect 1 info "$tmp/ragged.txt"
grep -q 'line 2' "$tmp/err" || bad "ragged: $(cat "$tmp/err")"
printf '1 2\0 9\n3 4\n' >"$tmp/nul.txt"      # not two rows of two: an error
expect 1 info "$tmp/nul.txt"
grep -q 'line 1: a NUL byte' "$tmp/err" || bad "NUL: $(cat "$tmp/err")"

# ---- conversions through every format and both providers
printf '# two rows\n1 2 3\n4.5 -6 1e-19\n' >"$tmp/a.txt"
for p in host $OTHERS; do
    expect 0 convert --provider "$p" "$tmp/a.txt" -o "$tmp/a_$p.npy"
    expect 0 convert --provider="$p" "$tmp/a_$p.npy" -o "$tmp/a_$p.h5:/g/a"
    expect 0 convert --provider "$p" "$tmp/a_$p.h5:/g/a" "-o$tmp/b_$p.txt"
    expect 0 convert --provider "$p" "$tmp/b_$p.txt"
    cmp -s "$tmp/out" "$tmp/b_$p.txt" || bad "stdout text differs from -o text ($p)"
    printf '1 2 3\n4.5 -6 9.9999999999999998e-20\n' | cmp -s - "$tmp/b_$p.txt" ||
        bad "round trip through npy/h5/txt on $p: $(cat "$tmp/b_$p.txt")"
done
expect 0 info "$tmp/a_host.npy" "$tmp/a_host.h5:/g/a"
grep -q 'float64 (2, 3)' "$tmp/out" || bad "info: $(cat "$tmp/out")"
expect 2 info "$tmp/a_host.npy" -o "$tmp/info.txt"
says "info: -o: info prints to stdout"
# a dataset of the same name is replaced; a group is not (its data would go)
expect 0 convert "$tmp/a.txt" -o "$tmp/a_host.h5:/g/a"
expect 1 convert "$tmp/a.txt" -o "$tmp/a_host.h5:/g"
says "'/g' exists and is not a dataset"
expect 0 info "$tmp/a_host.h5:/g/a"
expect 0 convert --dtype complex64 "$tmp/a.txt" -o "$tmp/c.npy"
expect 0 info "$tmp/c.npy"
grep -q 'complex64 (2, 3)' "$tmp/out" || bad "convert --dtype: $(cat "$tmp/out")"

# ---- numpy (and h5py) interoperability
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import numpy' 2>/dev/null; then
    "$PY" - "$tmp" <<'EOF' || bad "numpy could not write the test files"
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(1)
for dt in ('f4', 'f8', 'c8', 'c16'):
    for nd, shape in enumerate([(), (5,), (3, 4), (2, 3, 4)]):
        a = rng.standard_normal(shape) + (1j * rng.standard_normal(shape) if dt[0] == 'c' else 0)
        np.save('%s/np_%s_%d.npy' % (d, dt, nd), np.asarray(a, dtype='<' + dt))
np.save(d + '/np_f8_big.npy', np.zeros((7, 0)))
EOF
    for f in "$tmp"/np_*.npy; do
        out=${f%.npy}.out.npy
        expect 0 convert "$f" -o "$out"
        cmp -s "$f" "$out" || bad "$(basename "$f") not written back identical"
        expect 0 convert "$f" -o "${f%.npy}.txt"
        expect 0 convert "${f%.npy}.txt" -o "${f%.npy}.txt.npy"
    done
    # numpy reads what we write (text included) with the same values
    "$PY" - "$tmp" <<'EOF' || bad "numpy disagrees with our files"
import sys, glob, numpy as np
d = sys.argv[1]
for f in sorted(glob.glob(d + '/np_*_[0-9].npy')):
    a = np.load(f)
    b = np.load(f[:-4] + '.txt.npy')
    assert b.shape == a.shape and np.array_equal(a.astype(b.dtype), b), f
    if a.ndim in (1, 2) and a.shape[0] > 1:
        t = np.loadtxt(f[:-4] + '.txt', dtype=b.dtype)
        assert np.array_equal(t, b), f
EOF
    if "$PY" -c 'import h5py' 2>/dev/null; then
        "$PY" - "$tmp" <<'EOF' || bad "h5py could not write the test file"
import sys, numpy as np, h5py
d = sys.argv[1]
with h5py.File(d + '/py.h5', 'w') as f:
    f['z'] = (np.arange(6) + 0.5j * np.arange(6)).reshape(2, 3).astype('c8')
    f.create_dataset('grp/s', data=np.arange(4.0), dtype='>f8', compression='gzip', chunks=(2,))
EOF
        expect 0 convert "$tmp/py.h5:/z" -o "$tmp/z.npy"
        expect 0 convert "$tmp/py.h5:/grp/s" -o "$tmp/s.npy"
        expect 0 convert "$tmp/z.npy" -o "$tmp/back.h5:/zz"
        "$PY" - "$tmp" <<'EOF' || bad "HDF5 values differ from h5py's"
import sys, numpy as np, h5py
d = sys.argv[1]
with h5py.File(d + '/py.h5', 'r') as f:
    z, s = f['z'][...], f['grp/s'][...]
assert np.array_equal(np.load(d + '/z.npy'), z) and np.load(d + '/z.npy').dtype == np.complex64
assert np.array_equal(np.load(d + '/s.npy'), s)
with h5py.File(d + '/back.h5', 'r') as f:
    assert np.array_equal(f['zz'][...], z) and f['zz'].dtype == np.complex64
EOF
    else
        echo "SKIP: h5py checks (no h5py in $PY)"
    fi
else
    echo "SKIP: numpy checks (no $PY with numpy)"
fi

exit $fail
