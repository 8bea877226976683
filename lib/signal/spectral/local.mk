# lib/signal/spectral: periodogram, welch, csd, coherence, spectrogram,
# stft and istft, detrend and the streaming accumulators.
libxpcore_la_SOURCES += \
	lib/signal/spectral/spectral.h \
	lib/signal/spectral/options.c \
	lib/signal/spectral/util.c \
	lib/signal/spectral/ramp.c \
	lib/signal/spectral/detrend.c \
	lib/signal/spectral/detrend_acc.c \
	lib/signal/spectral/segfft.c \
	lib/signal/spectral/acc.c \
	lib/signal/spectral/acc_serial.c \
	lib/signal/spectral/welch.c \
	lib/signal/spectral/spectrogram.c \
	lib/signal/spectral/stft.c \
	lib/signal/spectral/istft.c \
	lib/signal/spectral/cola.c
