# lib/providers/strict: the test provider (private memory, checked ops).
libxpcore_la_SOURCES += \
	lib/providers/strict/strict.h \
	lib/providers/strict/strict_debug.h \
	lib/providers/strict/strict_provider.c \
	lib/providers/strict/strict_memory.c \
	lib/providers/strict/strict_check.c \
	lib/providers/strict/strict_overlap.c \
	lib/providers/strict/strict_transfer.c \
	lib/providers/strict/strict_elementwise.c \
	lib/providers/strict/strict_compute.c \
	lib/providers/strict/strict_filter.c
