"""All quality signals of a text, by the filter that defines them, and the rules it fails."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, fields

from tasks.quality._c4_quality import C4Quality, c4_quality
from tasks.quality._fineweb_quality import FineWebQuality, fineweb_quality
from tasks.quality._gopher_quality import GopherQuality, gopher_quality
from tasks.quality._gopher_repetition import GopherRepetition, gopher_repetition
from tasks.quality._languages import splits_words, stop_words
from tasks.quality._rules import failed_rules
from tasks.quality._words import split_words


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
        return {
            field.name: getattr(group, field.name)
            for group in (
                self.gopher_quality,
                self.gopher_repetition,
                self.fineweb_quality,
                self.c4_quality,
            )
            for field in fields(group)
        }


def quality_signals(text: str, language: str | None) -> QualitySignals:
    """The quality signals of `text`, its words split by the rules of `language`."""
    lines = text.splitlines()
    line_words = [split_words(line, language) for line in lines]
    # Words never span lines, so the text's words are its lines' words.
    words = list(itertools.chain.from_iterable(line_words)) if splits_words(language) else None
    groups = (
        gopher_quality(lines, words, stop_words(language)),
        gopher_repetition(text, words),
        fineweb_quality(text, words),
        c4_quality(lines, line_words, functools.partial(split_words, language=language)),
    )
    values = {field.name: getattr(group, field.name) for group in groups for field in fields(group)}
    return QualitySignals(*groups, flags=tuple(failed_rules(values)))
