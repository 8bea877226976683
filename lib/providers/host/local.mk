# lib/providers/host: host memory, FFTW3 and OpenBLAS.
libxpcore_la_SOURCES += \
	lib/providers/host/host.h \
	lib/providers/host/host_provider.c \
	lib/providers/host/host_elementwise.c \
	lib/providers/host/host_reduce.c \
	lib/providers/host/host_fft.c \
	lib/providers/host/host_fftplan.h \
	lib/providers/host/host_welch.c \
	lib/providers/host/host_interp.c \
	lib/providers/host/host_gemm.c \
	lib/providers/host/host_filter.c \
	lib/providers/host/host_filter_kern.h \
	lib/providers/host/host_linalg.c
