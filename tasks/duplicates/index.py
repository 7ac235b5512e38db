"""Documents' index rows (the `minhash` table) as arrays for matching."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from tasks.duplicates.minhash import Signature

Shingles = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class Indexed:
    """Documents' ids, dates, months, exact hashes, shingle counts, signatures and (when read)
    shingle sets, in step."""

    doc_ids: list[str]
    dates: list[date | None]
    months: list[str]
    text_hashes: list[str]
    sizes: npt.NDArray[np.int64]
    signatures: Signature
    shingles: list[Shingles] | None

    def __len__(self) -> int:
        return len(self.doc_ids)


def indexed(rows: pa.Table, permutations: int) -> Indexed:
    """The `minhash` rows `rows` as arrays, sorted by doc_id (shingles if `rows` has them)."""
    rows = rows.sort_by("doc_id")
    shingles = None
    if "shingles" in rows.column_names:
        column = rows["shingles"].combine_chunks()
        flat = column.values.to_numpy(zero_copy_only=False).astype(np.uint32)
        bounds = column.offsets.to_numpy()
        shingles = [flat[start:end] for start, end in itertools.pairwise(bounds)]
    return Indexed(
        doc_ids=rows["doc_id"].to_pylist(),
        dates=rows["date"].to_pylist(),
        months=rows["month"].to_pylist(),
        text_hashes=rows["text_hash"].to_pylist(),
        sizes=rows["n_shingles"].to_numpy(zero_copy_only=False).astype(np.int64),
        signatures=signature_matrix(rows["signature"], permutations),
        shingles=shingles,
    )


def signature_matrix(column: pa.ChunkedArray, permutations: int) -> Signature:
    """A `signature` column as a documents x permutations array."""
    values = pc.list_flatten(column).to_numpy(zero_copy_only=False)
    matrix: Signature = values.astype(np.uint32, copy=False).reshape(len(column), permutations)
    return matrix
