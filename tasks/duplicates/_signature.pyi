"""MinHash signatures without the shingles x permutations array, compiled from _signature.pyx."""

import numpy as np
import numpy.typing as npt

def signature_into(
    hashes: npt.NDArray[np.uint64],
    a: npt.NDArray[np.uint64],
    b: npt.NDArray[np.uint64],
    signature: npt.NDArray[np.uint32],
) -> None: ...
