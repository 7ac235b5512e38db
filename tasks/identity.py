"""Stable ids and content hashes: what planning needs, without the text steps' libraries."""

from __future__ import annotations

import hashlib


def doc_id_for(source: str) -> str:
    """The stable id of the document read from `source` (the same across content changes)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:32]


def content_sha256(data: bytes) -> str:
    """The hex SHA-256 of an input's bytes."""
    return hashlib.sha256(data).hexdigest()
