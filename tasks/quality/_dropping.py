"""Which rules a user drops documents for, and how a dropped document's reject names them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tasks.quality._rules import RULE_NAMES

ALL_RULES = "all"
_DETAIL_PREFIX = "fails "
_ALSO = "; also flagged: "


class UnknownRules(ValueError):
    """Rule names that are not quality rules."""


def drop_rules(names: Iterable[str]) -> frozenset[str]:
    """The rules named (`all` for every one); UnknownRules names any that is not a rule."""
    names = [name.strip() for name in names if name.strip()]
    if ALL_RULES in names:
        return frozenset(RULE_NAMES)
    unknown = sorted(set(names) - set(RULE_NAMES))
    if unknown:
        raise UnknownRules(
            f"unknown quality rule(s): {', '.join(unknown)}; the rules are {', '.join(RULE_NAMES)} "
            f"(or {ALL_RULES})"
        )
    return frozenset(names)


def dropped_for(flags: Iterable[str], drop: frozenset[str]) -> list[str]:
    """The rules among a document's `flags` that it is dropped for (empty: it is kept)."""
    return [flag for flag in flags if flag in drop]


def low_quality_detail(flags: Sequence[str], drop: frozenset[str]) -> str:
    """The `detail` of a document with these `flags` dropped for the rules in `drop` it fails:
    those rules, then the document's other flags."""
    others = [flag for flag in flags if flag not in drop]
    also = f"{_ALSO}{', '.join(others)}" if others else ""
    return _DETAIL_PREFIX + ", ".join(dropped_for(flags, drop)) + also


def rules_in_detail(detail: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rules a `low_quality` reject's detail says it was dropped for, and all its flags."""
    dropped, _, others = detail.removeprefix(_DETAIL_PREFIX).partition(_ALSO)
    dropped_rules = tuple(dropped.split(", ")) if dropped else ()
    other_rules = set(others.split(", ")) if others else set()
    everything = set(dropped_rules) | other_rules
    return dropped_rules, tuple(name for name in RULE_NAMES if name in everything)
