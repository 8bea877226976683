# examples/gw150914: the GW150914 demo (GWOSC tutorial and the paper's
# Fig. 1) as a small library of readable steps; xpsig gw150914 calls
# gw150914_run.  Public API of libxpsignal only.
noinst_LTLIBRARIES += examples/gw150914/libgw150914.la
examples_gw150914_libgw150914_la_SOURCES = \
	examples/gw150914/gw150914.h \
	examples/gw150914/arith.c \
	examples/gw150914/data.c \
	examples/gw150914/synth.c \
	examples/gw150914/asd.c \
	examples/gw150914/whiten.c \
	examples/gw150914/bandpass.c \
	examples/gw150914/fig1.c \
	examples/gw150914/matched.c \
	examples/gw150914/textout.c \
	examples/gw150914/summary.c \
	examples/gw150914/plots.c \
	examples/gw150914/run.c
examples_gw150914_libgw150914_la_CFLAGS = $(AM_CFLAGS) $(HDF5_CFLAGS)
examples_gw150914_libgw150914_la_LIBADD = $(HDF5_LIBS) -lm
