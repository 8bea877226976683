#!/bin/sh
# check_python_pypi.sh -- the Python binding tests again with PyPI's NumPy 2
# (versioned DLPack capsules) and JAX's CPU wheels (a second, independent
# producer), in the interpreter $XPS_PYPI_PYTHON (.ci/run makes that venv).
# SKIP (77) when it is not set or lacks JAX.
if [ -z "${XPS_PYPI_PYTHON:-}" ]; then
    echo "SKIP: XPS_PYPI_PYTHON is not set (a venv with numpy>=2, scipy, jax[cpu])"
    exit 77
fi
if ! "$XPS_PYPI_PYTHON" -c 'import jax, numpy, sys
sys.exit(int(numpy.__version__.split(".")[0]) < 2)' 2>/dev/null; then
    echo "SKIP: $XPS_PYPI_PYTHON lacks JAX or NumPy 2"
    exit 77
fi
PYTHON=$XPS_PYPI_PYTHON
export PYTHON
exec sh "${top_srcdir:-.}/tests/check_python.sh"
