# lib/signal/iir: IIR filter design on the host (analog prototypes, design,
# order selection, form conversions, frequency response).
pkginclude_HEADERS += lib/signal/xps_iir.h
libxpcore_la_SOURCES += \
	lib/signal/iir/iir.h \
	lib/signal/iir/util.c \
	lib/signal/iir/parse.c \
	lib/signal/iir/ellipfun.c \
	lib/signal/iir/proto.c \
	lib/signal/iir/bessel.c \
	lib/signal/iir/poly.c \
	lib/signal/iir/transform.c \
	lib/signal/iir/convert.c \
	lib/signal/iir/zpk2sos.c \
	lib/signal/iir/design.c \
	lib/signal/iir/fminbound.c \
	lib/signal/iir/order.c \
	lib/signal/iir/notch.c \
	lib/signal/iir/freqz.c
