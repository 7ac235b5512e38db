"""langdetect's n-gram keys in one pass, compiled from _ngram_scan.pyx."""

import numpy as np
import numpy.typing as npt

def scanned_keys(
    codes: npt.NDArray[np.uint64],
    owners: npt.NDArray[np.int64],
    separators: npt.NDArray[np.uint8],
    normalized: npt.NDArray[np.uint64],
    upper: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]: ...
