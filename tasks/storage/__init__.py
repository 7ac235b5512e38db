"""Where SOURCE and OUT live (local or S3), and what docprep may write under OUT.

Apart from `tasks.output`, so the command line checks OUT before pyarrow's Parquet loads.
"""

from tasks.storage.folder import Folder, check_location
from tasks.storage.locks import OutputBusy, check_not_busy, output_lock
from tasks.storage.ownership import (
    DamagedOutput,
    OutputRefused,
    check_output_folder,
    claim_output_folder,
    damaged,
)

__all__ = [
    "DamagedOutput",
    "Folder",
    "OutputBusy",
    "OutputRefused",
    "check_location",
    "check_not_busy",
    "check_output_folder",
    "claim_output_folder",
    "damaged",
    "output_lock",
]
