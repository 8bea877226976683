# lib/signal: the algorithms, written only against xp_ops.
pkginclude_HEADERS += lib/signal/xps.h
libxpcore_la_SOURCES += \
	lib/signal/common.h \
	lib/signal/common.c \
	lib/signal/windows/windows.h \
	lib/signal/windows/registry.c \
	lib/signal/windows/spec.c \
	lib/signal/windows/basic.c \
	lib/signal/windows/triangular.c \
	lib/signal/windows/cosine_sums.c \
	lib/signal/windows/tukey.c \
	lib/signal/windows/exponential.c \
	lib/signal/windows/gaussian.c \
	lib/signal/windows/kaiser.c \
	lib/signal/windows/taylor.c \
	lib/signal/windows/chebwin.c \
	lib/signal/windows/dft.c \
	lib/signal/windows/tridiag.c \
	lib/signal/windows/dpss.c
libxpcore_la_SOURCES += lib/signal/host_api.c
