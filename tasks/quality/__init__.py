"""Quality signals of a document's text and the published filter rules it fails.

The signals and rules are those of Gopher (quality and repetition), FineWeb and C4 as
datatrove computes them with its default thresholds, so that a document's `quality_flags`
name exactly the rules a FineWeb-style pipeline would filter it by.
"""

from tasks.quality._dropping import (
    ALL_RULES,
    UnknownRules,
    drop_rules,
    dropped_for,
    low_quality_detail,
    rules_in_detail,
)
from tasks.quality._rules import RULE_NAMES, RULES, Rule, SignalValues, failed_rules
from tasks.quality._signals import QualitySignals, quality_signals

__all__ = [
    "ALL_RULES",
    "RULES",
    "RULE_NAMES",
    "QualitySignals",
    "Rule",
    "SignalValues",
    "UnknownRules",
    "drop_rules",
    "dropped_for",
    "failed_rules",
    "low_quality_detail",
    "quality_signals",
    "rules_in_detail",
]
