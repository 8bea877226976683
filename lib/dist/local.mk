# lib/dist: welch, csd and coherence over MPI ranks.  A library of its own,
# libxpsignal_mpi, so that libxpsignal never depends on MPI.
if HAVE_MPI
lib_LTLIBRARIES += libxpsignal_mpi.la
libxpsignal_mpi_la_SOURCES = lib/dist/xps_mpi.h lib/dist/split.c lib/dist/spectral_mpi.c
libxpsignal_mpi_la_CFLAGS = $(AM_CFLAGS) $(MPI_CFLAGS)
libxpsignal_mpi_la_LIBADD = libxpsignal.la $(MPI_LIBS)
libxpsignal_mpi_la_LDFLAGS = -version-info $(XP_LT_VERSION) -no-undefined \
	-export-symbols-regex '^xps_[a-z0-9]'
pkginclude_HEADERS += lib/dist/xps_mpi.h
endif
EXTRA_DIST += lib/dist/xps_mpi.h lib/dist/split.c lib/dist/spectral_mpi.c
