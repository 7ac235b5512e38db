"""docprep's compiled modules; everything else about the package is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

# No fused multiply-add: the compiled modules must round every step as Python does (the
# language trials reproduce langdetect's floating-point results bit for bit).
_EXACT = ["-ffp-contract=off"]
MODULES = {
    "tasks.quality._line_counts": "tasks/quality/_line_counts.pyx",
    "tasks.quality._n_grams": "tasks/quality/_n_grams.pyx",
    "tasks.quality._word_classes": "tasks/quality/_word_classes.pyx",
    "tasks.quality._word_pieces": "tasks/quality/_word_pieces.pyx",
    "tasks.language._trials": "tasks/language/_trials.pyx",
    "tasks.language._key_table": "tasks/language/_key_table.pyx",
    "tasks.language._ngram_scan": "tasks/language/_ngram_scan.pyx",
    "tasks.duplicates._signature": "tasks/duplicates/_signature.pyx",
}

setup(
    ext_modules=cythonize(
        [Extension(name, [source], extra_compile_args=_EXACT) for name, source in MODULES.items()],
        quiet=True,
    )
)
