# bench: our estimators against SciPy and against FFTW alone (bench/run).
# bench_common: command line, clock, peak memory, input and report
BENCH_COMMON = bench/bench_common.c bench/bench_common.h
noinst_PROGRAMS += bench/bench_spectral
bench_bench_spectral_SOURCES = bench/bench_spectral.c $(BENCH_COMMON)
bench_bench_spectral_CFLAGS = $(AM_CFLAGS) $(FFTW3_CFLAGS) $(OPENMP_CFLAGS)
bench_bench_spectral_LDFLAGS = $(OPENMP_CFLAGS)
bench_bench_spectral_LDADD = libxpsignal.la $(FFTW3_LIBS) -lm
EXTRA_DIST += bench/run bench/bench_scipy.py

# filtering: filtfilt and sosfiltfilt against SciPy (bench/run_filter)
noinst_PROGRAMS += bench/bench_filter
bench_bench_filter_SOURCES = bench/bench_filter.c $(BENCH_COMMON)
bench_bench_filter_LDADD = libxpsignal.la -lm
EXTRA_DIST += bench/run_filter bench/bench_scipy_filter.py

# the GPU benchmark (bench/run_cuda): ours on the cuda provider against
# cuFFT alone and CuPy; tools/gpu: the kit that runs it, and the GPU
# checks, on a machine lent for a few minutes
EXTRA_DIST += bench/run_cuda bench/bench_cupy.py tools/gpu/bundle.sh tools/gpu/device_run.sh
if HAVE_CUDA
noinst_PROGRAMS += bench/bench_cuda
bench_bench_cuda_SOURCES = bench/bench_cuda.c $(BENCH_COMMON)
bench_bench_cuda_CPPFLAGS = $(AM_CPPFLAGS) -I$(CUDA_HOME)/include
bench_bench_cuda_LDADD = libxpsignal.la -L$(CUDA_HOME)/lib64 -lcufft -lcudart -lm
bench_bench_cuda_LDFLAGS = -Wl,-rpath,$(CUDA_HOME)/lib64
endif
