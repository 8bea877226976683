/* cuda_runtime.h -- the CUDA SDK header, emulated on the CPU for tests: see cuda_emu.h. */
#include "cuda_emu.h"
