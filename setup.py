"""docprep's compiled modules; everything else about the package is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import setup

setup(ext_modules=cythonize(["tasks/quality/_n_grams.pyx", "tasks/language/_trials.pyx"], quiet=True))
