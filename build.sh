#!/bin/sh
# build.sh -- the README's Quick start.
#   ./build.sh demo    install what is missing, build, run the GW150914 demo
#                      (real GWOSC data when found: $XPS_LIGO_DATA, data/ligo;
#                      a synthetic stream otherwise)
#   ./build.sh check   install what is missing, build, run every test suite
#                      (plain, then under AddressSanitizer + UBSan)
# Debian packages are installed with apt-get when missing (root, or sudo).
set -eu
cd "$(dirname "$0")"
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

PACKAGES="build-essential autoconf automake libtool pkg-config libdlpack-dev
libfftw3-dev libopenblas-dev liblapacke-dev libhdf5-dev check libsubunit-dev
gnuplot-nox python3 python3-numpy python3-scipy r-base-core r-cran-testthat
libopenmpi-dev openmpi-bin"

install_deps() {
    missing=""
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "build.sh: installing$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
}

# configure_in DIR [configure args...]: an out-of-tree build in DIR.
configure_in() {
    dir=$1; shift
    [ -x configure ] || autoreconf -fi
    mkdir -p "$dir"
    if [ ! -f "$dir/Makefile" ]; then
        (cd "$dir" && "$top/configure" -q "$@")
    fi
}

case "${1:-}" in
demo)
    install_deps
    configure_in build
    make -C build -j"$jobs"
    ./build/xpsig providers
    ./build/xpsig gw150914 --out out/gw150914
    echo "build.sh: plots and tables are in out/gw150914 (asd.png, strain.png, fig1.png, spectrogram.png, snr.png)"
    ;;
check)
    install_deps
    configure_in build
    make -C build -j"$jobs" check
    san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    configure_in build-asan --disable-shared CFLAGS="-g -O1 $san" LDFLAGS="$san"
    ASAN_OPTIONS=detect_leaks=1 CK_FORK=no make -C build-asan -j"$jobs" check
    ;;
*)
    echo "usage: ./build.sh demo | ./build.sh check" >&2
    exit 2
    ;;
esac
