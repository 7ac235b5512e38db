"""All quality signals of a text, by the filter that defines them, and the rules it fails."""

from __future__ import annotations

from dataclasses import dataclass, fields

from tasks.quality._c4_quality import C4Quality, c4_quality
from tasks.quality._fineweb_quality import FineWebQuality, fineweb_quality
from tasks.quality._gopher_quality import GopherQuality, gopher_quality
from tasks.quality._gopher_repetition import GopherRepetition, gopher_repetition
from tasks.quality._languages import stop_words
from tasks.quality._parts import text_parts
from tasks.quality._rules import failed_rules

_GROUPS = (GopherQuality, GopherRepetition, FineWebQuality, C4Quality)
# Each group's signal names, in order: read once, not per document.
_NAMES = {group: tuple(field.name for field in fields(group)) for group in _GROUPS}


@dataclass(frozen=True, slots=True)
class QualitySignals:
    """The quality signals of one text, grouped by filter; each signal name is unique."""

    gopher_quality: GopherQuality
    gopher_repetition: GopherRepetition
    fineweb_quality: FineWebQuality
    c4_quality: C4Quality
    flags: tuple[str, ...]  # the rules the text fails, in RULES order; empty when it passes

    def values(self) -> dict[str, float | int | None]:
        """Every signal by name, as the `documents` table stores them."""
        return _values(
            (self.gopher_quality, self.gopher_repetition, self.fineweb_quality, self.c4_quality)
        )


def quality_signals(text: str, language: str | None) -> QualitySignals:
    """The quality signals of `text`, its words split by the rules of `language`."""
    parts = text_parts(text, language)
    groups = (
        gopher_quality(parts, stop_words(language)),
        gopher_repetition(parts),
        fineweb_quality(parts),
        c4_quality(parts, language),
    )
    return QualitySignals(*groups, flags=tuple(failed_rules(_values(groups))))


def _values(
    groups: tuple[GopherQuality, GopherRepetition, FineWebQuality, C4Quality],
) -> dict[str, float | int | None]:
    """The signals of `groups` by name."""
    return {name: getattr(group, name) for group in groups for name in _NAMES[type(group)]}
