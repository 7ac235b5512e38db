"""Profile rows of n-gram keys by hash table, compiled from _key_table.pyx."""

import numpy as np
import numpy.typing as npt

def key_table(
    keys: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]: ...
def table_rows(
    slots: npt.NDArray[np.uint64],
    rows: npt.NDArray[np.int64],
    keys: npt.NDArray[np.uint64],
    found: npt.NDArray[np.int64],
) -> None: ...
