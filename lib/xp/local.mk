# lib/xp: the array layer (arrays, dtypes, errors, registry, checked ops).
pkginclude_HEADERS += lib/xp/xp.h lib/xp/xp_ops.h
libxpcore_la_SOURCES += \
	lib/xp/xp_internal.h \
	lib/xp/xp_real_view.h \
	lib/xp/error.c \
	lib/xp/struct_size.c \
	lib/xp/dtype.c \
	lib/xp/memory.c \
	lib/xp/array.c \
	lib/xp/view.c \
	lib/xp/alias.c \
	lib/xp/registry.c \
	lib/xp/stream.c \
	lib/xp/ops_call.c \
	lib/xp/dlpack_exchange.c
