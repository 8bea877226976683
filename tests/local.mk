# tests: Check suites (every algorithm test on every provider present).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_srcdir='$(top_srcdir)'; top_builddir='$(top_builddir)'; export top_srcdir top_builddir;
# what every Check program is built with: testutil (helpers, golden-file
# reader), Check and the core library
TESTUTIL = tests/testutil.c tests/testutil.h
TESTS_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
TESTS_LDADD = libxpcore.la $(CHECK_LIBS) -lm
# the xpsig test scripts' shared setup and helpers
EXTRA_DIST += tests/xpsig_testlib.sh
EXTRA_DIST += tests/check_layering.sh
TESTS += tests/check_layering.sh
# what nvcc makes of the CUDA filters (SKIP without nvcc)
EXTRA_DIST += tests/check_cuda_ptx.sh
TESTS += tests/check_cuda_ptx.sh
AM_TESTS_ENVIRONMENT += NVCC='$(NVCC)'; export NVCC;

# the array layer
check_PROGRAMS += tests/check_array
TESTS += tests/check_array
tests_check_array_SOURCES = tests/check_array.c $(TESTUTIL)
tests_check_array_CFLAGS = $(TESTS_CFLAGS)
tests_check_array_LDADD = $(TESTS_LDADD)

# fft and gemm ops (host kernels, every provider)
check_PROGRAMS += tests/check_host_fft
TESTS += tests/check_host_fft
tests_check_host_fft_SOURCES = tests/check_host_fft.c $(TESTUTIL)
tests_check_host_fft_CFLAGS = $(TESTS_CFLAGS)
tests_check_host_fft_LDADD = $(TESTS_LDADD)

# xpsig: array files (.npy, .txt, HDF5) and the tool itself
check_PROGRAMS += tests/check_npy
TESTS += tests/check_npy tests/check_xpsig.sh
EXTRA_DIST += tests/check_xpsig.sh
tests_check_npy_SOURCES = tests/check_npy.c $(TESTUTIL) \
	tools/xpsig/xpsig.h tools/xpsig/io.c tools/xpsig/io_npy.c \
	tools/xpsig/io_txt.c tools/xpsig/io_hdf5.c
tests_check_npy_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/xpsig
tests_check_npy_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(HDF5_CFLAGS)
tests_check_npy_LDADD = libxpcore.la $(HDF5_LIBS) $(CHECK_LIBS) -lm

# the strict test provider
check_PROGRAMS += tests/check_strict
TESTS += tests/check_strict
tests_check_strict_SOURCES = tests/check_strict.c $(TESTUTIL)
tests_check_strict_CFLAGS = $(TESTS_CFLAGS)
tests_check_strict_LDADD = $(TESTS_LDADD)

# host provider: elementwise ops and reductions
check_PROGRAMS += tests/check_host_ops
TESTS += tests/check_host_ops
tests_check_host_ops_SOURCES = tests/check_host_ops.c $(TESTUTIL)
tests_check_host_ops_CFLAGS = $(TESTS_CFLAGS)
tests_check_host_ops_LDADD = $(TESTS_LDADD)

# windows (lib/signal/windows) against SciPy's golden vectors
check_PROGRAMS += tests/check_windows
TESTS += tests/check_windows
tests_check_windows_SOURCES = tests/check_windows.c $(TESTUTIL)
tests_check_windows_CFLAGS = $(TESTS_CFLAGS)
tests_check_windows_LDADD = $(TESTS_LDADD)

# lfilter and sosfilt (host kernels, every provider)
check_PROGRAMS += tests/check_host_filter
TESTS += tests/check_host_filter
tests_check_host_filter_SOURCES = tests/check_host_filter.c $(TESTUTIL)
tests_check_host_filter_CFLAGS = $(TESTS_CFLAGS)
tests_check_host_filter_LDADD = $(TESTS_LDADD)
# the kernel template host_filter.c includes (until listed in lib/providers/host/local.mk)

# welch median-mean against LALSuite / PyCBC (tests/golden/gen_median_mean.py)
check_PROGRAMS += tests/check_median_mean
TESTS += tests/check_median_mean
tests_check_median_mean_SOURCES = tests/check_median_mean.c $(TESTUTIL)
tests_check_median_mean_CFLAGS = $(TESTS_CFLAGS)
tests_check_median_mean_LDADD = $(TESTS_LDADD)

# spectral estimators: SciPy golden vectors (tests/golden/gen_spectral.py),
# properties and accumulators, bad input and allocation faults
SPECTRAL_TEST_COMMON = tests/spectral_common.c tests/spectral_common.h $(TESTUTIL)
check_PROGRAMS += tests/check_spectral tests/check_spectral_props tests/check_spectral_bad
TESTS += tests/check_spectral tests/check_spectral_props tests/check_spectral_bad
tests_check_spectral_SOURCES = tests/check_spectral.c $(SPECTRAL_TEST_COMMON)
tests_check_spectral_CFLAGS = $(TESTS_CFLAGS)
tests_check_spectral_LDADD = $(TESTS_LDADD)
tests_check_spectral_props_SOURCES = tests/check_spectral_props.c $(SPECTRAL_TEST_COMMON)
tests_check_spectral_props_CFLAGS = $(TESTS_CFLAGS)
tests_check_spectral_props_LDADD = $(TESTS_LDADD)
tests_check_spectral_bad_SOURCES = tests/check_spectral_bad.c $(SPECTRAL_TEST_COMMON)
tests_check_spectral_bad_CFLAGS = $(TESTS_CFLAGS)
tests_check_spectral_bad_LDADD = $(TESTS_LDADD)

# xpsig spectral subcommands and bench against SciPy's golden outputs
# (tests/golden/gen_xpsig_spectral.py); npy_compare compares array files
check_PROGRAMS += tests/npy_compare
TESTS += tests/check_xpsig_spectral.sh
EXTRA_DIST += tests/check_xpsig_spectral.sh
tests_npy_compare_SOURCES = tests/npy_compare.c \
	tools/xpsig/xpsig.h tools/xpsig/io.c tools/xpsig/io_npy.c \
	tools/xpsig/io_txt.c tools/xpsig/io_hdf5.c
tests_npy_compare_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/xpsig
tests_npy_compare_CFLAGS = $(AM_CFLAGS) $(HDF5_CFLAGS)
tests_npy_compare_LDADD = libxpcore.la $(HDF5_LIBS) -lm

# filtering (lib/signal/filter): SciPy golden vectors (tests/golden/gen_filter.py),
# properties, bad input and allocation faults (tests/golden is distributed whole)
FILTER_TEST_COMMON = tests/filter_common.c tests/filter_common.h $(TESTUTIL)
check_PROGRAMS += tests/check_filter tests/check_filter_props tests/check_filter_bad
TESTS += tests/check_filter tests/check_filter_props tests/check_filter_bad
tests_check_filter_SOURCES = tests/check_filter.c $(FILTER_TEST_COMMON)
tests_check_filter_CFLAGS = $(TESTS_CFLAGS)
tests_check_filter_LDADD = $(TESTS_LDADD)
tests_check_filter_props_SOURCES = tests/check_filter_props.c $(FILTER_TEST_COMMON)
tests_check_filter_props_CFLAGS = $(TESTS_CFLAGS)
tests_check_filter_props_LDADD = $(TESTS_LDADD)
tests_check_filter_bad_SOURCES = tests/check_filter_bad.c $(FILTER_TEST_COMMON)
tests_check_filter_bad_CFLAGS = $(TESTS_CFLAGS)
tests_check_filter_bad_LDADD = $(TESTS_LDADD)

# IIR design (lib/signal/iir) against SciPy's golden vectors
# (tests/golden/gen_iir.py), properties, bad input and allocation faults
check_PROGRAMS += tests/check_iir
TESTS += tests/check_iir
tests_check_iir_SOURCES = tests/check_iir.c $(TESTUTIL)
tests_check_iir_CFLAGS = $(TESTS_CFLAGS)
tests_check_iir_LDADD = $(TESTS_LDADD)

# DLPack import/export (lib/xp/dlpack_exchange.c): ownership, read-only, strides
check_PROGRAMS += tests/check_dlpack
TESTS += tests/check_dlpack
tests_check_dlpack_SOURCES = tests/check_dlpack.c $(TESTUTIL)
tests_check_dlpack_CFLAGS = $(TESTS_CFLAGS)
tests_check_dlpack_LDADD = $(TESTS_LDADD)

# Python bindings (bindings/python, ctypes + DLPack) against SciPy; SKIP
# without NumPy/SciPy in /usr/bin/python3 (or $PYTHON)
TESTS += tests/check_python.sh tests/check_python_pypi.sh
EXTRA_DIST += tests/check_python.sh tests/check_python_pypi.sh bindings/python/xpsignal/__init__.py \
	bindings/python/xpsignal/_lib.py bindings/python/xpsignal/_dlpack.py \
	bindings/python/xpsignal/_convert.py bindings/python/xpsignal/_api.py \
	bindings/python/tests/test_xpsignal.py examples/torch_welch.py examples/cupy_welch.py

# numpy.fft helpers and interp
check_PROGRAMS += tests/check_fft_interp
TESTS += tests/check_fft_interp
tests_check_fft_interp_SOURCES = tests/check_fft_interp.c $(TESTUTIL)
tests_check_fft_interp_CFLAGS = $(TESTS_CFLAGS)
tests_check_fft_interp_LDADD = $(TESTS_LDADD)

# the _f64 host-pointer conveniences (lib/signal/host_api.c) against the array API
check_PROGRAMS += tests/check_host_api
TESTS += tests/check_host_api
tests_check_host_api_SOURCES = tests/check_host_api.c $(TESTUTIL)
tests_check_host_api_CFLAGS = $(TESTS_CFLAGS)
tests_check_host_api_LDADD = $(TESTS_LDADD)

# xpsig filter subcommands (IIR design, freqz, lfilter ... sosfiltfilt) and
# bench against SciPy's golden outputs (tests/golden/gen_xpsig_filter.py)
TESTS += tests/check_xpsig_filter.sh
EXTRA_DIST += tests/check_xpsig_filter.sh

# R (bindings/R/xpsignal, .Call glue) and Julia (bindings/julia, ccall)
# bindings against SciPy's golden values; SKIP without R + testthat or julia
TESTS += tests/check_r.sh tests/check_julia.sh
EXTRA_DIST += tests/check_r.sh tests/check_julia.sh bindings/R/gen_golden.py \
	bindings/R/xpsignal/DESCRIPTION bindings/R/xpsignal/NAMESPACE \
	bindings/R/xpsignal/R/xpsignal.R bindings/R/xpsignal/src/xpsignal.c \
	bindings/R/xpsignal/src/Makevars bindings/R/xpsignal/tests/testthat.R \
	bindings/R/xpsignal/tests/testthat/test-scipy.R \
	bindings/R/xpsignal/tests/testthat/golden.txt \
	bindings/julia/XPSignal.jl bindings/julia/example.jl bindings/julia/test.jl
# XPSignal.jl's ccalls and struct mirrors against the C headers, statically
# (Julia cannot be installed here); the configured compiler and CPPFLAGS
# find dlpack.h as configure did
TESTS += tests/check_julia_ffi.sh
EXTRA_DIST += tests/check_julia_ffi.sh tests/julia_ffi.py
AM_TESTS_ENVIRONMENT += JULIA_FFI_CC='$(CC)'; JULIA_FFI_CPPFLAGS='$(CPPFLAGS)'; \
	export JULIA_FFI_CC JULIA_FFI_CPPFLAGS;

# the GW150914 demo (examples/gw150914): SciPy parity, the event, Fig. 1
# on the real files (SKIP without them; $XPS_LIGO_DATA), the synthetic
# stream always, and xpsig gw150914 (tests/golden/gen_gw150914.py)
check_PROGRAMS += tests/check_gw150914 tests/check_gw150914_synth
TESTS += tests/check_gw150914 tests/check_gw150914_synth tests/check_xpsig_gw150914.sh
EXTRA_DIST += tests/check_xpsig_gw150914.sh
tests_check_gw150914_SOURCES = tests/check_gw150914.c $(TESTUTIL)
tests_check_gw150914_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/examples/gw150914
tests_check_gw150914_CFLAGS = $(TESTS_CFLAGS)
tests_check_gw150914_LDADD = examples/gw150914/libgw150914.la libxpcore.la $(CHECK_LIBS) -lm
tests_check_gw150914_synth_SOURCES = tests/check_gw150914_synth.c $(TESTUTIL)
tests_check_gw150914_synth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/examples/gw150914
tests_check_gw150914_synth_CFLAGS = $(TESTS_CFLAGS)
tests_check_gw150914_synth_LDADD = examples/gw150914/libgw150914.la libxpcore.la \
	$(CHECK_LIBS) -lm

# serialized accumulators (lib/signal/spectral/acc_serial.c) and
# welch/csd/coherence over MPI ranks (lib/dist, SKIP without MPI)
check_PROGRAMS += tests/check_acc_serial
TESTS += tests/check_acc_serial tests/check_mpi.sh
EXTRA_DIST += tests/check_mpi.sh tests/mpi_spectral.c
tests_check_acc_serial_SOURCES = tests/check_acc_serial.c tests/testutil.c tests/testutil.h
tests_check_acc_serial_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_acc_serial_LDADD = libxpcore.la $(CHECK_LIBS) -lm
if HAVE_MPI
check_PROGRAMS += tests/mpi_spectral
tests_mpi_spectral_SOURCES = tests/mpi_spectral.c
tests_mpi_spectral_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib/dist
tests_mpi_spectral_CFLAGS = $(AM_CFLAGS) $(MPI_CFLAGS)
tests_mpi_spectral_LDADD = libxpsignal_mpi.la libxpsignal.la $(MPI_LIBS) -lm
endif

# cuda: the provider is always listed (check_cuda_listed runs everywhere);
# check_cuda compares it with host op by op and SKIPs (77) without a GPU.
check_PROGRAMS += tests/check_cuda_listed tests/check_cuda
TESTS += tests/check_cuda_listed tests/check_cuda
tests_check_cuda_listed_SOURCES = tests/check_cuda_listed.c tests/testutil.c tests/testutil.h
tests_check_cuda_listed_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_cuda_listed_LDADD = libxpcore.la $(CHECK_LIBS) -lm
tests_check_cuda_SOURCES = tests/check_cuda.c tests/testutil.c tests/testutil.h
tests_check_cuda_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_cuda_LDADD = libxpcore.la $(CHECK_LIBS) -lm

# every exported function has a man page, and every page is installed
TESTS += tests/check_manpages.sh
EXTRA_DIST += tests/check_manpages.sh
