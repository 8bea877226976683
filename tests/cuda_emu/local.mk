# tests/cuda_emu: the CUDA provider's own sources (lib/providers/cuda),
# unchanged, built by the host compilers against a CPU emulation of the
# CUDA SDK (include/cuda_emu.h says what it does and cannot do) into a
# module that tests load through XPSIGNAL_CUDA_MODULE.  So the provider's
# code runs in every `make check`, GPU or not, under the sanitizers too.
# A plain shared object made by this rule: libtool builds no module in the
# sanitizer pass's --disable-shared tree.

CUDA_EMU_SO = tests/cuda_emu/xpsignal_cuda_emu.so
CUDA_EMU_C = \
	lib/providers/cuda/cuda_provider.c \
	lib/providers/cuda/cuda_gemm.c \
	tests/cuda_emu/emu_cufft.c \
	tests/cuda_emu/emu_cublas.c
CUDA_EMU_CXX = \
	lib/providers/cuda/cuda_kernels.cu \
	lib/providers/cuda/cuda_filter.cu \
	lib/providers/cuda/cuda_welch.cu \
	lib/providers/cuda/cuda_fft.cu \
	tests/cuda_emu/emu_runtime.cc
CUDA_EMU_H = \
	tests/cuda_emu/include/cuda_emu.h \
	tests/cuda_emu/include/cuda_runtime.h \
	tests/cuda_emu/include/cuda_runtime_api.h \
	tests/cuda_emu/include/cufft.h \
	tests/cuda_emu/include/cublas_v2.h \
	lib/providers/cuda/cuda.h \
	lib/providers/cuda/cuda_device.h \
	lib/providers/cuda/cuda_module.h \
	lib/xp/xp.h lib/xp/xp_ops.h lib/xp/xp_real_view.h
EXTRA_DIST += $(CUDA_EMU_C) $(CUDA_EMU_CXX) $(CUDA_EMU_H) tests/cuda_emu/local.mk
check_DATA = $(CUDA_EMU_SO)
CLEANFILES += $(CUDA_EMU_SO) tests/cuda_emu/*.o tests/cuda_emu/*.log

# batches of segments of 64 KiB instead of the real module's 128 MiB, so
# that the tests' few segments go through several batches; sums in chunks
# of 4 samples instead of 4096, so that the tests' short axes take the
# chunked path too
CUDA_EMU_CPPFLAGS = -DXP_BUILDING -I$(srcdir)/tests/cuda_emu/include -I$(srcdir)/lib \
	-I$(srcdir)/lib/xp -I$(srcdir)/lib/providers/cuda -I$(top_builddir) \
	-DXPC_BATCH_BYTES='((size_t)64 << 10)' -DXPC_REDUCE_CHUNK=4 \
	$(FFTW3_CFLAGS) $(OPENBLAS_CFLAGS)
# initial-exec: the module's few thread-locals in static TLS, because
# LeakSanitizer (gcc 12, glibc 2.36) misreads a dlopened module's dynamic
# TLS and crashes at exit
CUDA_EMU_FLAGS = -fPIC -fvisibility=hidden -ftls-model=initial-exec -ffp-contract=off \
	-Wall -Wextra -Wno-unused-parameter -Wno-unknown-pragmas $(CFLAGS)

$(CUDA_EMU_SO): $(CUDA_EMU_C) $(CUDA_EMU_CXX) $(CUDA_EMU_H)
	@$(MKDIR_P) tests/cuda_emu
	$(AM_V_GEN)set -e; objs=; \
	for f in $(CUDA_EMU_C); do \
	  o=tests/cuda_emu/`basename $$f .c`.o; objs="$$objs $$o"; \
	  $(CC) -std=c11 -D_GNU_SOURCE $(CUDA_EMU_CPPFLAGS) $(CUDA_EMU_FLAGS) \
	    -c $(srcdir)/$$f -o $$o; \
	done; \
	for f in $(CUDA_EMU_CXX); do \
	  o=tests/cuda_emu/`basename $$f | sed 's/\.[a-z]*$$//'`.o; objs="$$objs $$o"; \
	  $(CXX) -x c++ -std=c++17 $(CUDA_EMU_CPPFLAGS) $(CUDA_EMU_FLAGS) \
	    -c $(srcdir)/$$f -o $$o; \
	done; \
	$(CXX) -shared $(CUDA_EMU_FLAGS) $(LDFLAGS) -o $@ $$objs $(FFTW3_THREADS_LIBS) \
	  $(FFTW3_LIBS) $(OPENBLAS_LIBS) -lpthread -lm -Wl,--no-undefined

# the suites again, with "cuda" among the providers
TESTS += tests/check_cuda_emu.sh
EXTRA_DIST += tests/check_cuda_emu.sh
