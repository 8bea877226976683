# tests: Check suites (every algorithm test on every provider present).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_srcdir='$(top_srcdir)'; top_builddir='$(top_builddir)'; export top_srcdir top_builddir;
EXTRA_DIST += tests/check_layering.sh
TESTS += tests/check_layering.sh

# the array layer
check_PROGRAMS += tests/check_array
TESTS += tests/check_array
tests_check_array_SOURCES = tests/check_array.c tests/testutil.c tests/testutil.h
tests_check_array_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_array_LDADD = libxpcore.la $(CHECK_LIBS) -lm

# fft and gemm ops (host kernels, every provider)
check_PROGRAMS += tests/check_host_fft
TESTS += tests/check_host_fft
tests_check_host_fft_SOURCES = tests/check_host_fft.c tests/testutil.c tests/testutil.h
tests_check_host_fft_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_host_fft_LDADD = libxpcore.la $(CHECK_LIBS) -lm

# xpsig: array files (.npy, .txt, HDF5) and the tool itself
check_PROGRAMS += tests/check_npy
TESTS += tests/check_npy tests/check_xpsig.sh
EXTRA_DIST += tests/check_xpsig.sh
tests_check_npy_SOURCES = tests/check_npy.c tests/testutil.c tests/testutil.h \
	tools/xpsig/xpsig.h tools/xpsig/io.c tools/xpsig/io_npy.c \
	tools/xpsig/io_txt.c tools/xpsig/io_hdf5.c
tests_check_npy_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/xpsig
tests_check_npy_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(HDF5_CFLAGS)
tests_check_npy_LDADD = libxpcore.la $(HDF5_LIBS) $(CHECK_LIBS) -lm

# the strict test provider
check_PROGRAMS += tests/check_strict
TESTS += tests/check_strict
tests_check_strict_SOURCES = tests/check_strict.c tests/testutil.c tests/testutil.h
tests_check_strict_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_strict_LDADD = libxpcore.la $(CHECK_LIBS) -lm

# host provider: elementwise ops and reductions
check_PROGRAMS += tests/check_host_ops
TESTS += tests/check_host_ops
tests_check_host_ops_SOURCES = tests/check_host_ops.c tests/testutil.c tests/testutil.h
tests_check_host_ops_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_host_ops_LDADD = libxpcore.la $(CHECK_LIBS) -lm

# windows (lib/signal/windows) against SciPy's golden vectors
check_PROGRAMS += tests/check_windows
TESTS += tests/check_windows
tests_check_windows_SOURCES = tests/check_windows.c tests/testutil.c tests/testutil.h
tests_check_windows_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_windows_LDADD = libxpcore.la $(CHECK_LIBS) -lm
