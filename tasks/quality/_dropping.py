"""Which rules a user drops documents for, and how a dropped document's reject names them."""

from __future__ import annotations

from collections.abc import Iterable

from tasks.quality._rules import RULE_NAMES

ALL_RULES = "all"
_DETAIL_PREFIX = "fails "


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


def low_quality_detail(rules: Iterable[str]) -> str:
    """The `detail` of a document dropped for failing `rules`."""
    return _DETAIL_PREFIX + ", ".join(rules)


def rules_in_detail(detail: str) -> tuple[str, ...]:
    """The rules a `low_quality` reject's detail names."""
    return tuple(detail.removeprefix(_DETAIL_PREFIX).split(", ")) if detail else ()
