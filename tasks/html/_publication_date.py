"""The publication day of an HTML page, chosen from the dates it states (`_date_clues.py`)."""

# The precedence and the agreement rule were chosen by measurement on the tuning half of the
# development corpora: benchmarks/README.md ("Publication dates") and benchmarks/date_signals.py.

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum

from tasks.documents import DateSource

# Before this nothing was published on the web; an earlier "date" is a birth date or a typo.
EARLIEST = date(1990, 1, 1)
# A page's day is written in its own time zone, which can be a day ahead of UTC.
_TIME_ZONE_SLACK = timedelta(days=1)


class Signal(IntEnum):
    """A kind of place that states a date, by precedence: the first present wins."""

    # Ranked by how often each was right, where a page had it, on the tuning half of the
    # development corpora: URL 0.96, Open Graph 0.93, byline <time> 0.93, other <meta> 0.91,
    # text after the headline 0.90, JSON-LD 0.89 (benchmarks/date_signals.py).

    URL = 0
    OPEN_GRAPH = 1  # article:published_time and og:* keys
    TIME = 2
    META = 3  # other <meta> names, itemprop microdata
    BYLINE = 4
    JSONLD = 5


@dataclass(frozen=True, slots=True)
class Clue:
    """A date the page states: the day, the kind of place, and whether it dates a change."""

    day: date
    signal: Signal
    modified: bool
    # The key that holds it (`article:published_time`, `NewsArticle.datePublished`, ...).
    key: str
    # The day read in the other order where the page writes two numbers up to 12 (`03-09-2026`).
    other_order: date | None = None

    @property
    def source(self) -> DateSource:
        """The `date_source` value of this clue."""
        return _SOURCES[self.signal]


_SOURCES = {
    Signal.URL: DateSource.HTML_URL,
    Signal.OPEN_GRAPH: DateSource.HTML_META,
    Signal.TIME: DateSource.HTML_TIME,
    Signal.META: DateSource.HTML_META,
    Signal.BYLINE: DateSource.HTML_BYLINE,
    Signal.JSONLD: DateSource.HTML_JSONLD,
}


# The signals a reader of the page sees: its byline's <time> and the text after the headline.
_VISIBLE = frozenset({Signal.TIME, Signal.BYLINE})


@dataclass(frozen=True, slots=True)
class PublicationDate:
    """A page's publication day, the signal it came from, and the day it says it changed."""

    day: date | None
    source: DateSource | None
    modified: date | None


def latest_publication(run_started: datetime, fetched_at: datetime | None = None) -> date:
    """The last day a page can say it was published: its fetch (if known) or the run's start."""
    bound = run_started if fetched_at is None else min(fetched_at, run_started)
    return bound.date() + _TIME_ZONE_SLACK


def publication_date(clues: list[Clue], fallback: date | None, latest: date) -> PublicationDate:
    """The page's publication day chosen from its `clues`, else htmldate's `fallback`."""
    # A day before 1990 or after `latest` is never taken; a modified date is never taken for
    # the publication day, and is kept as `modified` when it does not precede it.
    plausible = [clue for clue in clues if EARLIEST <= clue.day <= latest]
    modified = _first_by_signal([clue for clue in plausible if clue.modified])
    published = [clue for clue in plausible if not clue.modified]
    chosen = _in_order(_agreed(_first_by_signal(published)), published)
    # A page that states no publication day but shows readers when it was updated is dated
    # by that: right 15 times in 22 where htmldate's search was right 9 (tuning half).
    shown = next((clue for clue in modified if clue.signal in _VISIBLE), None)
    if chosen is not None:
        day, source = chosen.day, chosen.source
    elif shown is not None:
        return PublicationDate(shown.day, shown.source, shown.day)
    elif fallback is not None and EARLIEST <= fallback <= latest:
        day, source = fallback, DateSource.HTML_BODY
    else:
        return PublicationDate(None, None, modified[0].day if modified else None)
    changed = next((clue.day for clue in modified if clue.day >= day), None)
    return PublicationDate(day, source, changed)


def _first_by_signal(clues: list[Clue]) -> list[Clue]:
    """The first clue (in page order) of each signal present, by precedence."""
    first: dict[Signal, Clue] = {}
    for clue in clues:
        first.setdefault(clue.signal, clue)
    return [first[signal] for signal in sorted(first)]


def _in_order(chosen: Clue | None, published: list[Clue]) -> Clue | None:
    """The chosen clue, unless it reads a day-month order another clue reads the other way."""
    # `03-09-2026` is 3 September or March 9: a page that also writes "2026-03-09" (or
    # "March 9") settles it, unless another clue writes the chosen day unambiguously.
    if chosen is None or chosen.other_order is None:
        return chosen
    plain = [clue for clue in published if clue.other_order is None]
    if any(clue.day == chosen.day for clue in plain):
        return chosen
    return next((clue for clue in plain if clue.day == chosen.other_order), chosen)


def _agreed(candidates: list[Clue]) -> Clue | None:
    """The first candidate, unless it stands alone against a day two others agree on."""
    if not candidates:
        return None
    votes = Counter(clue.day for clue in candidates)
    day, count = votes.most_common(1)[0]
    if votes[candidates[0].day] == 1 and count >= 2:
        return next(clue for clue in candidates if clue.day == day)
    return candidates[0]
