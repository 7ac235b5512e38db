"""How often each date signal of a page is right: the figures behind tasks/html/_publication_date.

usage: python benchmarks/date_signals.py CORPORA_DIR [--half tuning|held-out] [--limit N]

For every page with a known publication day in the development corpora of html_quality.py,
the dates the page states (`date_clues`) and htmldate's own search (trafilatura's metadata
date, the resolver's fallback) are scored on one half of the pages (`tuning_half`; the rules
were chosen on the tuning half): per signal, how often its first date on a page is the
publication day; then htmldate alone against the resolver, per corpus; and the cost of the
resolver per page beside htmldate's search in the same run; then the bound on what any
resolver keeping the rule could get right (`written_days.py`). Absent corpora are skipped.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.html_quality import CORPORA, Page, tuning_half  # noqa: E402
from benchmarks.written_days import Written, page_text, where_written  # noqa: E402
from tasks.html import (  # noqa: E402
    MAX_HTML_BYTES,
    Clue,
    date_clues,
    html_markup,
    latest_publication,
    publication_date,
)
from tasks.rejection import Rejected  # noqa: E402


@dataclass(frozen=True)
class Scored:
    """One page's clues, htmldate's date and the resolver's, against the known day."""

    corpus: str
    truth: date | None
    clues: list[Clue]
    htmldate: date | None
    resolved: date | None
    written: Written | None  # where the page writes its known day (None: it has none)


def scored_page(corpus: str, page: Page, latest: date) -> tuple[Scored, float, float] | None:
    """A page scored, with the seconds htmldate's search and the resolver took; None if unread."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    try:
        markup, _ = html_markup(page.data, MAX_HTML_BYTES)
    except Rejected:  # the pipeline would reject it too
        return None
    tree = load_html(markup)
    if tree is None:
        return None
    started = time.perf_counter()
    params = {"original_date": True, "extensive_search": True, "max_date": latest.isoformat()}
    metadata = extract_metadata(tree, date_config=params)
    searched = time.perf_counter()
    clues = date_clues(tree, metadata.url)
    fallback = date.fromisoformat(metadata.date) if metadata.date else None
    resolved = publication_date(clues, fallback, latest)
    done = time.perf_counter()
    truth = _known_day(page)
    written = None if truth is None else where_written(page_text(markup), truth)
    return (
        Scored(corpus, truth, clues, fallback, resolved.day, written),
        searched - started,
        done - searched,
    )


def _known_day(page: Page) -> date | None:
    """The page's known publication day (None: known to have none)."""
    expected = page.truth["publish_date"]
    return date.fromisoformat(expected[:10]) if expected else None


def _readable_truth(page: Page) -> bool:
    """Whether the page's known day is a full date (a few are written `2022-01.26`)."""
    try:
        _known_day(page)
    except ValueError:
        return False
    return True


def signal_report(pages: list[Scored]) -> list[str]:
    """Per signal (published or modified): pages that have it and how often its day is right."""
    tally: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for page in pages:
        seen: set[str] = set()
        for clue in page.clues:
            name = f"{clue.signal.name.lower()}{' (modified)' if clue.modified else ''}"
            if name not in seen:
                seen.add(name)
                tally[name][0] += 1
                tally[name][1] += clue.day == page.truth
    lines = ["| signal | pages with it | its first day right |", "|---|---:|---:|"]
    for name, (count, right) in sorted(tally.items(), key=lambda item: -item[1][1] / item[1][0]):
        lines.append(f"| {name} | {count} | {right / count:.3f} |")
    return lines


def _by_corpus(pages: list[Scored]) -> dict[str, list[Scored]]:
    """The scored pages of each corpus, corpora in the order first met."""
    by_corpus: defaultdict[str, list[Scored]] = defaultdict(list)
    for page in pages:
        by_corpus[page.corpus].append(page)
    return by_corpus


def accuracy_report(pages: list[Scored]) -> list[str]:
    """Per corpus: htmldate's search alone against the resolver, and how many pages each dated."""
    lines = [
        "| corpus | pages | htmldate alone | resolver | dated: htmldate, resolver |",
        "|---|---:|---:|---:|---:|",
    ]
    for corpus, scored in _by_corpus(pages).items():
        count = Counter[str]()
        for page in scored:
            count["htmldate"] += page.htmldate == page.truth
            count["resolver"] += page.resolved == page.truth
            count["htmldate dated"] += page.htmldate is not None
            count["resolver dated"] += page.resolved is not None
        n = len(scored)
        lines.append(
            f"| {corpus} | {n} | {count['htmldate'] / n:.3f} | {count['resolver'] / n:.3f} | "
            f"{count['htmldate dated']}, {count['resolver dated']} |"
        )
    return lines


# Why a page is one no resolver keeping issue 17's rule could date right.
NOWHERE = "written nowhere"
CHANGE = "a change, beside a publication day"


def unreachable(page: Scored) -> str | None:
    """Why no resolver that keeps issue 17's rule could date `page` right, if none could."""
    if page.resolved == page.truth or page.written is None:
        return None
    if page.written is Written.NOWHERE:
        return NOWHERE
    # The rule: a day the page gives for a change is not taken where it states a publication
    # day (a visible update is taken only where it states none).
    published = {clue.day for clue in page.clues if not clue.modified}
    modified = {clue.day for clue in page.clues if clue.modified}
    as_update = page.written is Written.AS_UPDATE or page.truth in modified
    if as_update and published and page.truth not in published:
        return CHANGE
    return None


def bound_report(pages: list[Scored]) -> list[str]:
    """Per corpus: the pages no resolver could date right, and the resolver's share of the rest."""
    lines = [
        "| corpus | pages | resolver right | missed: day written nowhere | missed: a change, "
        "beside a publication day | bound | right where reachable |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for corpus, scored in _by_corpus(pages).items():
        why = Counter(unreachable(page) for page in scored)
        right = sum(page.resolved == page.truth for page in scored)
        reachable = why[None]
        lines.append(
            f"| {corpus} | {len(scored)} | {right} ({right / len(scored):.3f}) | "
            f"{why[NOWHERE]} | {why[CHANGE]} | "
            f"{reachable / len(scored):.3f} | {right / max(reachable, 1):.3f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Score every page of the chosen half and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, help="folder holding the corpora")
    parser.add_argument("--half", choices=("tuning", "held-out"), default="tuning")
    parser.add_argument("--limit", type=int, default=None, help="pages per corpus (default: all)")
    args = parser.parse_args(argv)
    latest = latest_publication(datetime.now(UTC))
    pages: list[Scored] = []
    seconds = [0.0, 0.0]
    for corpus, read in CORPORA.items():
        root = args.corpora / corpus
        if not root.is_dir():
            print(f"skipping {corpus}: {root} not found", file=sys.stderr)
            continue
        for number, page in enumerate(read(root)):
            if args.limit is not None and number >= args.limit:
                break
            wanted = tuning_half(page.name) == (args.half == "tuning")
            if not wanted or "publish_date" not in page.truth or not _readable_truth(page):
                continue
            found = scored_page(corpus, page, latest)
            if found is not None:
                pages.append(found[0])
                seconds[0] += found[1]
                seconds[1] += found[2]
    if not pages:
        return 0
    per_page = [1000 * part / len(pages) for part in seconds]
    print(f"### Date signals, {args.half} half ({len(pages)} pages with a known day)\n")
    print("\n".join(signal_report(pages)) + "\n")
    print("\n".join(accuracy_report(pages)) + "\n")
    print(
        "The bound: the share of pages a resolver that keeps issue 17's rule could date right "
        "(all but the missed pages whose known day the page writes nowhere, or only as a "
        "change beside a publication day)\n"
    )
    print("\n".join(bound_report(pages)) + "\n")
    print(
        f"ms per page: htmldate's search (trafilatura's metadata) {per_page[0]:.1f}, "
        f"resolver (date_clues and publication_date) {per_page[1]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
