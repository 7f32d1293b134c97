"""The build's C loops (kg/_native.c), compiled when a C compiler is there; without one kg
installs all the same and runs the Python versions of the same loops (same bytes, slower)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("kg._native", ["kg/_native.c"], optional=True,
                             extra_compile_args=["-O2"])])
