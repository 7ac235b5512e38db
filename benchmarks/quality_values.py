"""Every quality signal and flag of a set of texts, saved, or compared with a saved set.

Usage: python benchmarks/quality_values.py CORPORA_DIR (--save FILE | --compare FILE)

The texts: 500 seed-shaped documents, every Reuters-21578 item and WCXB article text that
docprep reads (as `quality_agreement.py` reads them), and a few edge cases, each in its
detected language. `--save` writes the texts and their values to FILE; `--compare` computes
the values of FILE's texts again and prints how many differ, and the first few that do. A
change that must keep every value exact (a faster implementation) is checked by saving
before it and comparing after.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.corpus import sample_article, write_corpus  # noqa: E402
from benchmarks.quality_agreement import reuters_documents, wcxb_documents  # noqa: E402
from tasks.documents import text_document  # noqa: E402
from tasks.quality import quality_signals  # noqa: E402

Values = tuple[dict[str, float | int | None], tuple[str, ...]]
_EDGE_CASES = (
    "",
    "a",
    "\n\n",
    "word " * 60,
    "# # # ...\n- x\n- y\n...",
    "lorem ipsum dolor sit amet.\n{ a b c }.",
    "x\r\ny\u2028z... \n\n\nw",
    "The end.\n\n\n\nThe end.\n The end.",
)


def texts(corpora: Path) -> list[tuple[str, str | None]]:
    """The texts and languages whose values are compared."""
    found: list[tuple[str, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="docprep-quality-values-") as work:
        for path in write_corpus(Path(work), 500, sample_article()):
            document = text_document(str(path), path.read_bytes())
            found.append((document.text, document.language.language))
    for reader in (reuters_documents, wcxb_documents):
        found += [(document.text, document.language.language) for document in reader(corpora)]
    found += [(text, language) for text in _EDGE_CASES for language in ("en", "fr", None, "ja")]
    return found


def values_of(text: str, language: str | None) -> Values:
    """The signals and flags of one text."""
    signals = quality_signals(text, language)
    return signals.values(), signals.flags


def main() -> None:
    """Save the values, or compare them with saved ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path)
    action.add_argument("--compare", type=Path)
    args = parser.parse_args()
    if args.save:
        found = texts(args.corpora)
        saved = [values_of(text, language) for text, language in found]
        args.save.write_bytes(pickle.dumps((found, saved)))
        print(f"{len(found)} texts saved to {args.save}")
        return
    found, saved = pickle.loads(args.compare.read_bytes())
    differ = 0
    for (text, language), before in zip(found, saved, strict=True):
        after = values_of(text, language)
        if after != before:
            differ += 1
            if differ <= 5:
                changed = {k: (before[0][k], v) for k, v in after[0].items() if before[0][k] != v}
                print(f"{language} {text[:60]!r}: {changed}, flags {before[1]} -> {after[1]}")
    print(f"{len(found)} texts, {differ} differ")


if __name__ == "__main__":
    main()
