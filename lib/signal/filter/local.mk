# lib/signal/filter: lfilter, sosfilt, their steady states, filtfilt and
# sosfiltfilt (pad and Gustafsson's method).
libxpcore_la_SOURCES += \
	lib/signal/filter/filter.h \
	lib/signal/filter/coef.c \
	lib/signal/filter/zi.c \
	lib/signal/filter/lfilter.c \
	lib/signal/filter/pad.c \
	lib/signal/filter/filtfilt.c \
	lib/signal/filter/gust.c
