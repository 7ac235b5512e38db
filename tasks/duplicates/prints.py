"""What each worker computes per document: paragraph hashes and the document's MinHash row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from tasks.documents import Document
from tasks.duplicates.minhash import Signature, minhash, shingle_hashes
from tasks.duplicates.normal_form import normal_form, normal_hash
from tasks.duplicates.rule import MatchRule
from tasks.identity import doc_id_for
from tasks.output.rows import month_partition
from tasks.output.schema import MINHASH


@dataclass(frozen=True, slots=True)
class DocumentPrint:
    """A document's normalized-text hash, shingle set, signature and paragraph hashes."""

    text_hash: str
    shingles: npt.NDArray[np.uint32]  # sorted
    signature: Signature
    paragraph_hashes: list[str]


def document_print(paragraphs: Sequence[str], rule: MatchRule) -> DocumentPrint:
    """The print of a document with these paragraphs (its text is them joined)."""
    forms = [normal_form(paragraph) for paragraph in paragraphs]
    whole = " ".join(form for form in forms if form)
    hashes = shingle_hashes(whole, rule.shingle)
    return DocumentPrint(
        text_hash=normal_hash(whole),
        shingles=hashes.astype(np.uint32),
        signature=minhash(hashes, rule.permutations),
        paragraph_hashes=[normal_hash(form) for form in forms],
    )


def minhash_rows(documents: Sequence[Document], prints: Sequence[DocumentPrint]) -> pa.Table:
    """The `minhash` rows (with their partition column) of `documents`."""
    doc_ids = [doc_id_for(doc.source) for doc in documents]
    return index_rows(doc_ids, [doc.date for doc in documents], prints)


def index_rows(
    doc_ids: Sequence[str], dates: Sequence[date | None], prints: Sequence[DocumentPrint]
) -> pa.Table:
    """The `minhash` rows of documents with these ids, dates and prints."""
    return pa.table(
        {
            "doc_id": doc_ids,
            "date": dates,
            "text_hash": [p.text_hash for p in prints],
            "n_shingles": [len(p.shingles) for p in prints],
            "signature": _lists([p.signature for p in prints]),
            "shingles": _lists([p.shingles for p in prints]),
            "month": [month_partition(day) for day in dates],
        },
        schema=MINHASH.schema,
    )


def _lists(arrays: Sequence[npt.NDArray[np.uint32]]) -> pa.Array:
    """uint32 arrays as one Arrow list array."""
    lengths = np.fromiter((len(a) for a in arrays), np.int32, len(arrays))
    offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int32)))
    values = np.concatenate(arrays) if arrays else np.empty(0, np.uint32)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values, pa.uint32()))
