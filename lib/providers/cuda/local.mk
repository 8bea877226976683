# lib/providers/cuda: the CUDA provider module (built --with-cuda; a later
# issue fills it).  configure already detects nvcc and defines XP_HAVE_CUDA.
