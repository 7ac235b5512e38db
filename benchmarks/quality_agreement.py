"""How often docprep's quality flags agree with datatrove's filters, run beside them.

Usage: python benchmarks/quality_agreement.py CORPORA_DIR [--limit N]

Needs datatrove (0.10.1) and spaCy, which datatrove's English word tokenizer uses, in the
environment that runs it, beside docprep; they are never docprep's dependencies:

    python3 -m venv /tmp/quality-bench && /tmp/quality-bench/bin/pip install -e . \
        'datatrove==0.10.1' 'spacy>=3.8' regex

Documents: every Reuters-21578 item with a body (CORPORA_DIR/reuters21578), written as a
dated text file (its indented paragraphs as paragraphs) and read by docprep; and the article
texts (`main_content`) of CORPORA_DIR/wcxb_dev_articles, read as an HTML page's extracted
paragraphs. Each document's text and language are docprep's. datatrove's
GopherQualityFilter, GopherRepetitionFilter, FineWebQualityFilter and C4QualityFilter run
with their defaults on the same text. Per corpus and filter it prints the share of documents
where docprep's pass/fail (any flag of that filter's rules) equals datatrove's, and of the
documents datatrove fails, the share whose docprep flags include datatrove's reason.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from tasks.cleaning import clean_text  # noqa: E402
from tasks.documents import Content, Document, document_from, text_document  # noqa: E402
from tasks.paragraphs import split_paragraphs  # noqa: E402
from tasks.quality import RULES  # noqa: E402
from tasks.rejection import Rejected  # noqa: E402

TARGET = 0.99
FILTERS = (
    "GopherQualityFilter",
    "GopherRepetitionFilter",
    "FineWebQualityFilter",
    "C4QualityFilter",
)
_ITEM = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\">(.*?)</REUTERS>", re.DOTALL)
_DATE = re.compile(r"<DATE>\s*(\d+)-([A-Z]{3})-(\d{4})")
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


@dataclass
class Tally:
    """One filter's agreement on one corpus."""

    documents: int = 0
    same: int = 0  # docprep passes exactly when datatrove passes
    failed: int = 0  # datatrove fails
    reason_flagged: int = 0  # ... and docprep's flags include datatrove's reason
    disagreements: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, reason: str | None, flags: set[str]) -> None:
        """Count one document: datatrove's reason to fail it (None: passes), docprep's flags."""
        self.documents += 1
        self.same += (reason is None) == (not flags)
        if reason is not None:
            self.failed += 1
            self.reason_flagged += reason in flags
        if (reason is None) != (not flags) or (reason is not None and reason not in flags):
            self.disagreements[reason or "pass", ",".join(sorted(flags)) or "pass"] += 1


def reuters_files(corpora: Path) -> Iterator[tuple[str, bytes]]:
    """Each Reuters-21578 item with a body as a dated text file (its indented paragraphs as
    paragraphs, the seed's shape): its name and bytes."""
    for path in sorted((corpora / "reuters21578").glob("reut2-*.sgm.gz")):
        for item in _ITEM.finditer(gzip.decompress(path.read_bytes()).decode("latin-1")):
            body, day = _BODY.search(item.group(2)), _DATE.search(item.group(2))
            if not body or not day:
                continue
            # A paragraph begins on an indented line.
            paragraphs = re.split(r"\n(?=[ \t])", html.unescape(body.group(1)))
            month = _MONTHS.index(day.group(2)) + 1
            header = f"date {day.group(3)}-{month:02d}-{int(day.group(1)):02d}"
            data = (header + "\n\n" + "\n\n".join(paragraphs)).encode()
            yield f"reuters/{item.group(1)}.txt", data


def reuters_documents(corpora: Path) -> Iterator[Document]:
    """Each Reuters-21578 item with a body, as docprep reads it from a dated text file."""
    for source, data in reuters_files(corpora):
        try:
            yield text_document(source, data)
        except Rejected:
            continue


def wcxb_documents(corpora: Path) -> Iterator[Document]:
    """The article text of each WCXB page, as docprep keeps an extracted page's paragraphs."""
    for path in sorted((corpora / "wcxb_dev_articles" / "ground-truth").glob("*.json.gz")):
        truth = json.loads(gzip.decompress(path.read_bytes()))["ground_truth"]
        paragraphs = split_paragraphs(clean_text(truth.get("main_content", "")))
        if paragraphs:
            content = Content("html", "utf-8", paragraphs, None, None)
            yield document_from(f"wcxb/{path.name}", b"", content)


def main() -> None:
    """Run both over the corpora and print the agreement per corpus and filter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--limit", type=int, help="at most this many documents per corpus")
    args = parser.parse_args()
    try:
        from datatrove.data import Document as Page
        from datatrove.pipeline import filters
    except ImportError:
        print("skipped: datatrove is not installed (see the usage in this script's docstring)")
        return
    reference = {name: getattr(filters, name)() for name in FILTERS}
    rules_of = {name: {rule.name for rule in RULES if rule.filter == name} for name in FILTERS}
    corpora = {"reuters21578": reuters_documents, "wcxb_dev_articles": wcxb_documents}
    for corpus, documents in corpora.items():
        if not (args.corpora / corpus).is_dir():
            print(f"{corpus}: skipped, not found under {args.corpora}")
            continue
        tallies = {name: Tally() for name in FILTERS}
        languages: Counter[str] = Counter()
        for count, document in enumerate(documents(args.corpora)):
            if args.limit is not None and count >= args.limit:
                break
            languages[document.language.language or "unknown"] += 1
            flags = set(document.quality.flags)
            for name, reference_filter in reference.items():
                verdict = reference_filter.filter(Page(text=document.text, id=document.source))
                reason = None if verdict is True else verdict[1]
                tallies[name].add(reason, flags & rules_of[name])
        report(corpus, tallies, languages)


def report(corpus: str, tallies: dict[str, Tally], languages: Counter[str]) -> None:
    """Print one corpus's table."""
    documents = next(iter(tallies.values())).documents
    top = ", ".join(f"{language} {n}" for language, n in languages.most_common(4))
    print(f"\n{corpus}: {documents} documents ({top})")
    print("| filter | agree | datatrove fails | docprep flags its reason |")
    print("|---|---:|---:|---:|")
    for name, tally in tallies.items():
        agree = tally.same / tally.documents if tally.documents else 1.0
        reason = tally.reason_flagged / tally.failed if tally.failed else 1.0
        mark = "" if agree >= TARGET else " (below 99%)"
        print(f"| {name} | {agree:.2%}{mark} | {tally.failed} | {reason:.2%} |")
    for name, tally in tallies.items():
        for (theirs, ours), n in tally.disagreements.most_common(3):
            print(f"  {name}: datatrove {theirs}, docprep {ours}: {n}")


if __name__ == "__main__":
    main()
