"""langdetect's seeded trials, compiled from _trials.pyx."""

import numpy as np
import numpy.typing as npt

def trial_probabilities(
    rows: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    probabilities: npt.NDArray[np.float64],
    outputs: npt.NDArray[np.uint32],
    result: npt.NDArray[np.float64],
    compensated: bool,
) -> bool: ...
