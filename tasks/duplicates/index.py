"""Documents' index rows (the `minhash` table) as arrays for matching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from tasks.duplicates.minhash import Signature
from tasks.duplicates.similarity import Counts


@dataclass(frozen=True)
class Indexed:
    """Documents' ids, dates, months, exact hashes, shingle counts and signatures, in step."""

    doc_ids: list[str]
    dates: list[date | None]
    months: list[str]
    text_hashes: list[str]
    sizes: Counts
    signatures: Signature

    def __len__(self) -> int:
        return len(self.doc_ids)


def indexed(rows: pa.Table, permutations: int) -> Indexed:
    """The `minhash` rows `rows` as arrays, sorted by doc_id."""
    rows = rows.sort_by("doc_id")
    values = pc.list_flatten(rows["signature"]).to_numpy(zero_copy_only=False)
    return Indexed(
        doc_ids=rows["doc_id"].to_pylist(),
        dates=rows["date"].to_pylist(),
        months=rows["month"].to_pylist(),
        text_hashes=rows["text_hash"].to_pylist(),
        sizes=rows["n_shingles"].to_numpy(zero_copy_only=False).astype(np.int64),
        signatures=values.astype(np.uint32).reshape(len(rows), permutations),
    )


def selected(index: Indexed, positions: npt.NDArray[np.int64]) -> Indexed:
    """The documents of `index` at `positions`."""
    chosen = positions.tolist()
    return Indexed(
        doc_ids=[index.doc_ids[i] for i in chosen],
        dates=[index.dates[i] for i in chosen],
        months=[index.months[i] for i in chosen],
        text_hashes=[index.text_hashes[i] for i in chosen],
        sizes=index.sizes[positions],
        signatures=index.signatures[positions],
    )
