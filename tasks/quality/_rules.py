"""The published filter rules as datatrove applies them by default: a flag per failed rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

GOPHER_QUALITY = "GopherQualityFilter"
GOPHER_REPETITION = "GopherRepetitionFilter"
FINEWEB_QUALITY = "FineWebQualityFilter"
C4_QUALITY = "C4QualityFilter"

SignalValues = Mapping[str, float | int | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A filter rule: the flag it raises (datatrove's name), its filter, signal and threshold."""

    name: str
    filter: str
    signal: str
    threshold: float
    below: bool = False  # a document fails below the threshold; otherwise above it


# datatrove's defaults (0.10.1), in the order each filter checks them.
RULES: tuple[Rule, ...] = (
    Rule("gopher_short_doc", GOPHER_QUALITY, "gopher_words", 50, below=True),
    Rule("gopher_long_doc", GOPHER_QUALITY, "gopher_words", 100_000),
    Rule("gopher_below_avg_threshold", GOPHER_QUALITY, "gopher_mean_word_length", 3, below=True),
    Rule("gopher_above_avg_threshold", GOPHER_QUALITY, "gopher_mean_word_length", 10),
    Rule("gopher_too_many_hashes", GOPHER_QUALITY, "gopher_hash_ratio", 0.1),
    Rule("gopher_too_many_ellipsis", GOPHER_QUALITY, "gopher_ellipsis_ratio", 0.1),
    Rule("gopher_too_many_bullets", GOPHER_QUALITY, "gopher_bullet_line_ratio", 0.9),
    Rule("gopher_too_many_end_ellipsis", GOPHER_QUALITY, "gopher_ellipsis_line_ratio", 0.3),
    Rule(
        "gopher_below_alpha_threshold", GOPHER_QUALITY, "gopher_alpha_word_ratio", 0.8, below=True
    ),
    Rule("gopher_enough_stop_words", GOPHER_QUALITY, "gopher_stop_words", 2, below=True),
    Rule("dup_para_frac", GOPHER_REPETITION, "dup_para_frac", 0.3),
    Rule("dup_para_char_frac", GOPHER_REPETITION, "dup_para_char_frac", 0.2),
    Rule("dup_line_frac", GOPHER_REPETITION, "dup_line_frac", 0.3),
    Rule("dup_line_char_frac", GOPHER_REPETITION, "dup_line_char_frac", 0.2),
    Rule("top_2_gram", GOPHER_REPETITION, "top_2_gram_frac", 0.2),
    Rule("top_3_gram", GOPHER_REPETITION, "top_3_gram_frac", 0.18),
    Rule("top_4_gram", GOPHER_REPETITION, "top_4_gram_frac", 0.16),
    Rule("duplicated_5_n_grams", GOPHER_REPETITION, "dup_5_gram_frac", 0.15),
    Rule("duplicated_6_n_grams", GOPHER_REPETITION, "dup_6_gram_frac", 0.14),
    Rule("duplicated_7_n_grams", GOPHER_REPETITION, "dup_7_gram_frac", 0.13),
    Rule("duplicated_8_n_grams", GOPHER_REPETITION, "dup_8_gram_frac", 0.12),
    Rule("duplicated_9_n_grams", GOPHER_REPETITION, "dup_9_gram_frac", 0.11),
    Rule("duplicated_10_n_grams", GOPHER_REPETITION, "dup_10_gram_frac", 0.10),
    Rule("line_punct_ratio", FINEWEB_QUALITY, "line_punct_ratio", 0.12, below=True),
    Rule("short_line_ratio", FINEWEB_QUALITY, "short_line_ratio", 0.67),
    Rule("char_dup_ratio", FINEWEB_QUALITY, "char_dup_ratio", 0.01),
    Rule("list_ratio", FINEWEB_QUALITY, "list_ratio", 0.3),
    Rule("lorem_ipsum", C4_QUALITY, "c4_lorem_ipsum_lines", 0),
    Rule("curly_bracket", C4_QUALITY, "c4_curly_bracket_lines", 0),
    Rule("too_few_sentences", C4_QUALITY, "c4_sentences", 5, below=True),
)
RULE_NAMES: tuple[str, ...] = tuple(rule.name for rule in RULES)


# What failed_rules reads of each rule, taken out once: the rules are checked per document.
_CHECKS = tuple((rule.name, rule.signal, rule.threshold, rule.below) for rule in RULES)


def failed_rules(values: SignalValues) -> list[str]:
    """The names of the rules a document with these signal values fails, in RULES order: a
    value strictly beyond the threshold fails, a null never does."""
    failed = []
    for name, signal, threshold, below in _CHECKS:
        value = values[signal]
        if value is not None and (value < threshold if below else value > threshold):
            failed.append(name)
    return failed
