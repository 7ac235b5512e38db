"""Extraction quality of docprep's HTML path beside bare trafilatura, on real pages.

usage: python benchmarks/html_quality.py CORPORA_DIR [--limit N] [--focus FOCUS] [--pipeline-only]
                                         [--time-limit SECONDS]

Every page goes through `html_content` and `locate_paragraphs` (what makes `documents.text`)
and through bare `trafilatura.extract` with its default, favor_precision and favor_recall
settings, in the same run; below each table, the pipeline's dates: accuracy on the tuning
and the held-out half of the pages (`tuning_half`), by `date_source`, and what the wrong
ones were.
Corpora (see each folder's SOURCE.md) that are absent are skipped; nothing is copied out
of CORPORA_DIR.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasks.html import EXTRACTION_TIME_LIMIT, FOCUS, Focus, html_content
from tasks.paragraphs import locate_paragraphs
from tasks.rejection import Rejected

PIPELINE = "docprep"
BARE_SETTINGS: dict[str, dict[str, bool]] = {
    "trafilatura default": {},
    "trafilatura favor_precision": {"favor_precision": True},
    "trafilatura favor_recall": {"favor_recall": True},
}
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Output:
    """What one system made of one page: its text and publication day (ISO), if any."""

    text: str
    date: str | None
    date_source: str | None = None
    date_modified: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of a corpus (its file name) and its ground truth."""

    name: str
    data: bytes
    truth: dict[str, Any]


@dataclass
class Scores:
    """Running totals of one system on one corpus."""

    pages: int = 0
    no_text: int = 0
    seconds: float = 0.0
    word_precision: float = 0.0
    word_recall: float = 0.0
    word_f1: float = 0.0
    snippets: Counter[str] = field(default_factory=Counter)
    dated: int = 0
    right_dates: int = 0
    given_dates: int = 0
    # Pages with a known day, by where the system found its date and by half: [pages, right].
    by_date_source: defaultdict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    by_half: defaultdict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    # Pages with a known day by what the system's date was (`date_outcome`).
    date_outcomes: Counter[str] = field(default_factory=Counter)


def pipeline_output(
    data: bytes, focus: Focus = FOCUS, time_limit: float = EXTRACTION_TIME_LIMIT
) -> Output:
    """The pipeline's document text and date for a page; empty when it rejects the page."""
    try:
        content = html_content(data, focus=focus, time_limit=time_limit)
    except Rejected:
        return Output("", None)
    # `html_document` makes `documents.text` just so; its language tagging is left out here
    text, _ = locate_paragraphs(content.paragraphs)
    day = content.date.isoformat() if content.date else None
    modified = content.date_modified.isoformat() if content.date_modified else None
    return Output(text, day, content.date_source, modified)


def bare_output(data: bytes, setting: dict[str, bool]) -> Output:
    """Bare trafilatura's text (its txt output: main text, then comments) and date."""
    import trafilatura

    found = trafilatura.extract(data, output_format="json", with_metadata=True, **setting)
    if found is None:
        return Output("", None)
    record = json.loads(found)
    text = "\n".join(part for part in (record.get("text"), record.get("comments")) if part)
    return Output(text, record.get("date"))


def systems(
    focus: Focus, time_limit: float = EXTRACTION_TIME_LIMIT
) -> dict[str, Callable[[bytes], Output]]:
    """Every system compared, by name: the pipeline (with `focus`) first."""
    found: dict[str, Callable[[bytes], Output]] = {
        f"{PIPELINE} ({focus})": lambda data: pipeline_output(data, focus, time_limit)
    }
    for name, setting in BARE_SETTINGS.items():
        found[name] = lambda data, setting=setting: bare_output(data, setting)  # type: ignore[misc]
    return found


def wcxb_pages(root: Path) -> Iterator[Page]:
    """wcxb_dev_articles: pages with main text, snippets and publish date."""
    for path in sorted((root / "html").glob("*.html.gz")):
        truth_path = root / "ground-truth" / path.name.replace(".html.gz", ".json.gz")
        truth = json.loads(gzip.decompress(truth_path.read_bytes()))["ground_truth"]
        if not truth.get("publish_date"):  # unknown, not known to be undated
            truth.pop("publish_date", None)
        yield Page(path.name, path.read_bytes(), truth)


def mediacloud_pages(root: Path) -> Iterator[Page]:
    """htmldate_mediacloud_2020: news pages with their publication day."""
    index = json.loads((root / "eval_mediacloud_2020.json").read_text())
    for item in index.values():
        path = root / "test_set" / f"{item['file']}.gz"
        if path.is_file():  # a page without a date (NaN) is right when none is found
            day = item["date"] if isinstance(item["date"], str) else None
            yield Page(item["file"], path.read_bytes(), {"publish_date": day})


def trafilatura_eval_pages(root: Path) -> Iterator[Page]:
    """trafilatura_eval: pages with snippets that must and must not appear."""
    index = json.loads((root / "tests" / "evaldata.json").read_text())
    for item in index.values():
        for folder in ("eval", "cache"):
            path = root / "tests" / folder / f"{item['file']}.gz"
            if path.is_file():
                truth = {"with": item["with"], "without": item["without"]}
                if item.get("date"):
                    truth["publish_date"] = item["date"]
                yield Page(item["file"], path.read_bytes(), truth)
                break


CORPORA: dict[str, Callable[[Path], Iterator[Page]]] = {
    "wcxb_dev_articles": wcxb_pages,
    "htmldate_mediacloud_2020": mediacloud_pages,
    "trafilatura_eval": trafilatura_eval_pages,
}


def tuning_half(name: str) -> bool:
    """Whether a page (by file name) is in the half its corpus's date rules were tuned on."""
    return hashlib.sha256(name.encode()).digest()[0] % 2 == 0


def date_outcome(output: Output, expected: str | None) -> str:
    """What a system's date was against the known day: right, missing, in `date_modified`, ..."""
    if output.date == expected:
        return "right"
    if output.date is None:
        return "missing"
    if expected is None:
        return "dated, none known"
    if expected == output.date_modified:  # the page says the known day is when it changed
        return "known day in date_modified"
    return "another date"


def score(scores: Scores, output: Output, page: Page) -> None:
    """Add one page's output to a system's totals."""
    truth = page.truth
    scores.pages += 1
    scores.no_text += not output.text
    if "main_content" in truth:
        precision, recall = word_overlap(output.text, truth["main_content"])
        scores.word_precision += precision
        scores.word_recall += recall
        scores.word_f1 += 2 * precision * recall / (precision + recall) if precision else 0.0
    text = _normalized(output.text)
    for snippet in truth.get("with", []):
        scores.snippets["with_found" if _normalized(snippet) in text else "with_missed"] += 1
    for snippet in truth.get("without", []):
        scores.snippets[
            "without_leaked" if _normalized(snippet) in text else "without_kept_out"
        ] += 1
    if "publish_date" in truth:
        expected = truth["publish_date"][:10] if truth["publish_date"] else None
        right = output.date == expected
        scores.dated += 1
        scores.right_dates += right
        scores.given_dates += output.date is not None
        for tally in (
            scores.by_date_source[output.date_source or "no date"],
            scores.by_half["tuning" if tuning_half(page.name) else "held-out"],
        ):
            tally[0] += 1
            tally[1] += right
        scores.date_outcomes[date_outcome(output, expected)] += 1


def word_overlap(predicted: str, expected: str) -> tuple[float, float]:
    """Word-level precision and recall of `predicted` against `expected` (bags of words)."""
    got, want = Counter(_words(predicted)), Counter(_words(expected))
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    return precision, recall


def report(corpus: str, results: dict[str, Scores]) -> str:
    """A Markdown table of one corpus's scores, one row per system."""
    any_scores = next(iter(results.values()))
    columns: list[tuple[str, Callable[[Scores], str]]] = [
        ("pages", lambda s: str(s.pages)),
        ("no text", lambda s: str(s.no_text)),
    ]
    if corpus == "wcxb_dev_articles":
        columns += [
            ("word P", lambda s: _share(s.word_precision, s.pages)),
            ("word R", lambda s: _share(s.word_recall, s.pages)),
            ("word F1", lambda s: _share(s.word_f1, s.pages)),
        ]
    if any_scores.snippets:
        columns += [
            ("with found", lambda s: _share(s.snippets["with_found"], _with(s))),
            ("without leaked", lambda s: _share(s.snippets["without_leaked"], _without(s))),
        ]
    if corpus == "trafilatura_eval":
        columns += [("snippet F1", _snippet_f1)]
    if any_scores.dated:
        columns += [
            ("date acc", lambda s: f"{_share(s.right_dates, s.dated)} of {s.dated}"),
            ("dated", lambda s: _share(s.given_dates, s.dated)),
        ]
    columns += [("s/page", lambda s: f"{s.seconds / max(s.pages, 1):.3f}")]
    lines = [
        f"### {corpus}",
        "",
        "| system | " + " | ".join(name for name, _ in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for system, scores in results.items():
        lines.append(f"| {system} | " + " | ".join(cell(scores) for _, cell in columns) + " |")
    pipeline = next((scores for system, scores in results.items() if PIPELINE in system), None)
    if pipeline is not None and pipeline.dated:
        lines += ["", *date_report(pipeline)]
    return "\n".join(lines)


def date_report(scores: Scores) -> list[str]:
    """The pipeline's dates on pages with a known day: by half, by source, and the misses."""
    halves = ", ".join(
        f"{half} {_share(scores.by_half[half][1], scores.by_half[half][0])} of "
        f"{scores.by_half[half][0]}"
        for half in ("tuning", "held-out")
    )
    tallies = sorted(scores.by_date_source.items(), key=lambda item: -item[1][0])
    sources = ", ".join(f"{name} {n} ({_share(right, n)} right)" for name, (n, right) in tallies)
    outcomes = ", ".join(f"{name} {n}" for name, n in scores.date_outcomes.most_common())
    return [
        f"- {PIPELINE} date accuracy by half: {halves}",
        f"- by date_source: {sources}",
        f"- outcomes: {outcomes}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Score every present corpus under CORPORA_DIR and print one table per corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, help="folder holding the corpora")
    parser.add_argument("--limit", type=int, default=None, help="pages per corpus (default: all)")
    parser.add_argument(
        "--focus", type=Focus, default=FOCUS, choices=list(Focus), help="the pipeline's focus"
    )
    parser.add_argument(
        "--pipeline-only", action="store_true", help="leave bare trafilatura out (faster)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=EXTRACTION_TIME_LIMIT,
        help="seconds a page may take in the pipeline (raise it on a loaded machine)",
    )
    args = parser.parse_args(argv)
    compared = systems(args.focus, args.time_limit)
    if args.pipeline_only:
        compared = dict(itertools.islice(compared.items(), 1))
    for corpus, pages in CORPORA.items():
        root = args.corpora / corpus
        if not root.is_dir():
            print(f"skipping {corpus}: {root} not found", file=sys.stderr)
            continue
        results: dict[str, Scores] = defaultdict(Scores)
        for number, page in enumerate(pages(root)):
            if args.limit is not None and number >= args.limit:
                break
            for system, run in compared.items():
                started = time.perf_counter()
                output = run(page.data)
                results[system].seconds += time.perf_counter() - started
                score(results[system], output, page)
            if (number + 1) % 100 == 0:
                print(f"{corpus}: {number + 1} pages", file=sys.stderr, flush=True)
        print(report(corpus, results) + "\n", flush=True)
    return 0


def _words(text: str) -> list[str]:
    """The lower-cased words of `text`."""
    return _WORDS.findall(text.lower())


def _normalized(text: str) -> str:
    """`text` with every run of white space made one space, for snippet matching."""
    return " ".join(text.split())


def _with(scores: Scores) -> int:
    """How many must-appear snippets were checked."""
    return scores.snippets["with_found"] + scores.snippets["with_missed"]


def _without(scores: Scores) -> int:
    """How many must-not-appear snippets were checked."""
    return scores.snippets["without_leaked"] + scores.snippets["without_kept_out"]


def _snippet_f1(scores: Scores) -> str:
    """F1 of snippets: found `with` snippets against leaked `without` ones and missed ones."""
    found, leaked = scores.snippets["with_found"], scores.snippets["without_leaked"]
    precision = found / (found + leaked) if found + leaked else 0.0
    recall = found / _with(scores) if _with(scores) else 0.0
    return f"{2 * precision * recall / (precision + recall):.3f}" if precision + recall else "-"


def _share(part: float, whole: int) -> str:
    """`part / whole` with three decimals, or `-` when there is nothing to divide."""
    return f"{part / whole:.3f}" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
