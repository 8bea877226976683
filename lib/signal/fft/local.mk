# lib/signal/fft: numpy.fft's rfft, irfft, fft, ifft along any axis, and
# numpy.interp (whitening needs both).
libxpcore_la_SOURCES += lib/signal/fft/fft.c
