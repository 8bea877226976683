# tools/xpsig: the command-line tool (public API of libxpsignal only).
bin_PROGRAMS += xpsig
xpsig_SOURCES = \
	tools/xpsig/xpsig.h \
	tools/xpsig/main.c \
	tools/xpsig/cli.c \
	tools/xpsig/io.c \
	tools/xpsig/io_npy.c \
	tools/xpsig/io_txt.c \
	tools/xpsig/io_hdf5.c \
	tools/xpsig/cmd_providers.c \
	tools/xpsig/cmd_info.c \
	tools/xpsig/cmd_convert.c \
	tools/xpsig/stages.c \
	tools/xpsig/cmd_spectral.h \
	tools/xpsig/cmd_spectral.c \
	tools/xpsig/cmd_segments_stream.c \
	tools/xpsig/cmd_stream.c \
	tools/xpsig/cmd_window.c \
	tools/xpsig/cmd_detrend.c \
	tools/xpsig/cmd_periodogram.c \
	tools/xpsig/cmd_welch.c \
	tools/xpsig/cmd_csd.c \
	tools/xpsig/cmd_coherence.c \
	tools/xpsig/cmd_spectrogram.c \
	tools/xpsig/cmd_stft.c \
	tools/xpsig/cmd_istft.c \
	tools/xpsig/cmd_istft_stream.c \
	tools/xpsig/cmd_filter.h \
	tools/xpsig/cmd_coef.c \
	tools/xpsig/cmd_design.c \
	tools/xpsig/cmd_iirdesign.c \
	tools/xpsig/cmd_notch.c \
	tools/xpsig/cmd_freqz.c \
	tools/xpsig/cmd_filter.c \
	tools/xpsig/cmd_filtfilt_stream.c \
	tools/xpsig/cmd_gw150914.c \
	tools/xpsig/cmd_bench.c
xpsig_CPPFLAGS = -I$(top_srcdir)/lib -I$(top_srcdir)/lib/xp \
	-I$(top_srcdir)/lib/signal -I$(top_builddir) -I$(top_srcdir)/tools/xpsig \
	-I$(top_srcdir)/examples/gw150914
xpsig_CFLAGS = $(AM_CFLAGS) $(HDF5_CFLAGS)
xpsig_LDADD = examples/gw150914/libgw150914.la libxpsignal.la $(HDF5_LIBS) -lm
# --mpi: with libxpsignal_mpi when configure found MPI
EXTRA_DIST += tools/xpsig/cmd_mpi.c
if HAVE_MPI
xpsig_SOURCES += tools/xpsig/cmd_mpi.c
xpsig_CPPFLAGS += -DXPSIG_MPI -I$(top_srcdir)/lib/dist
xpsig_CFLAGS += $(MPI_CFLAGS)
xpsig_LDADD += libxpsignal_mpi.la $(MPI_LIBS)
endif
