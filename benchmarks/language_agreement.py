"""Per-language agreement of docprep's language detector with plain langdetect (seed 0).

Usage: python benchmarks/language_agreement.py CORPORA_DIR

Reads CORPORA_DIR/udhr (the UDHR in the languages langdetect knows: whole documents and each
<p> paragraph) and CORPORA_DIR/lingua_words (single words and word pairs, 75 languages), and
prints, per language, how often detect_languages and plain langdetect name the same language
(both null counts as agreeing; "judged" counts texts plain langdetect gives a language).
A corpus folder that is absent is skipped with a message.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tasks.language import LanguageGuess, detect_languages, langdetect_languages, reference_language

TARGET = 0.995
# UDHR files by ISO 639-3 code, for the languages langdetect has a profile for.
UDHR_LANGUAGES = {
    "afr": "af", "als": "sq", "arb": "ar", "ben": "bn", "bul": "bg", "cat": "ca", "ces": "cs",
    "cmn": "zh-cn", "cym": "cy", "dan": "da", "deu": "de", "ekk": "et", "ell": "el",
    "eng": "en", "fin": "fi", "fra": "fr", "guj": "gu", "heb": "he", "hin": "hi", "hrv": "hr",
    "hun": "hu", "ind": "id", "ita": "it", "jpn": "ja", "kan": "kn", "kor": "ko", "lit": "lt",
    "lvs": "lv", "mal": "ml", "mar": "mr", "mkd": "mk", "nld": "nl", "nob": "no", "npi": "ne",
    "pan": "pa", "pes": "fa", "pol": "pl", "por": "pt", "ron": "ro", "rus": "ru", "slk": "sk",
    "slv": "sl", "som": "so", "spa": "es", "swe": "sv", "swh": "sw", "tam": "ta", "tel": "te",
    "tgl": "tl", "tha": "th", "tur": "tr", "ukr": "uk", "urd": "ur", "vie": "vi",
}  # fmt: skip
# Scripts langdetect has no profile for (Vietnamese in Han characters, Tagalog in Baybayin).
UDHR_SKIPPED_SCRIPTS = ("-Hani", "-Tglg")
# lingua's ISO 639-1 codes that langdetect spells differently.
LINGUA_LANGUAGES = {"nb": "no", "zh": "zh-cn"}
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Tally:
    """Counts for one language at one level (documents, paragraphs, words...)."""

    texts: int = 0
    judged: int = 0  # plain langdetect names a language
    agreed: int = 0  # same language, or both null
    identical: int = 0  # same language and score
    knowable: int = 0  # judged, in a language langdetect knows
    correct_fast: int = 0
    correct_reference: int = 0

    def add(self, fast: LanguageGuess, reference: LanguageGuess, truth: str | None) -> None:
        """Count one text."""
        self.texts += 1
        self.judged += reference.language is not None
        self.agreed += fast.language == reference.language
        self.identical += fast == reference
        if truth is not None and reference.language is not None:
            self.knowable += 1
            self.correct_fast += fast.language == truth
            self.correct_reference += reference.language == truth

    @property
    def agreement(self) -> float:
        """The share of texts where the two detectors agree."""
        return self.agreed / self.texts if self.texts else 1.0


@dataclass
class Level:
    """A level of a corpus (e.g. UDHR paragraphs): tallies per language, and time spent."""

    name: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    seconds_fast: float = 0.0
    seconds_reference: float = 0.0


def main(argv: Sequence[str] | None = None) -> int:
    """Print agreement tables for the corpora found under the given folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, help="folder holding udhr/ and lingua_words/")
    corpora: Path = parser.parse_args(argv).corpora
    detect_languages(["warm-up: load the profiles before timing anything"])
    reference_language("warm-up: load the profiles before timing anything")
    for name, read in (("udhr", _udhr_levels), ("lingua_words", _lingua_levels)):
        folder = corpora / name
        if not folder.is_dir():
            print(f"{name}: {folder} not found, skipped")
            continue
        levels = read(folder)
        _print_levels(name, levels)
    return 0


def _udhr_levels(folder: Path) -> list[Level]:
    """Agreement on UDHR documents and paragraphs, for languages langdetect knows."""
    documents, paragraphs = Level("documents"), Level("paragraphs")
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    for entry in index:
        language = UDHR_LANGUAGES.get(entry["iso6393"])
        if language is None or entry["bcp47"].endswith(UDHR_SKIPPED_SCRIPTS):
            continue
        if language == "zh-cn" and "Hant" in entry["bcp47"]:
            language = "zh-tw"
        file = folder / "declaration" / f"{entry['code']}.html"
        if not file.is_file():
            continue
        texts = _udhr_paragraphs(file.read_text(encoding="utf-8"))
        _compare(documents, language, ["\n\n".join(texts)])
        _compare(paragraphs, language, texts)
    return [documents, paragraphs]


def _udhr_paragraphs(page: str) -> list[str]:
    """The text of each <p> of a UDHR page."""
    texts = (html.unescape(_TAG.sub("", match)) for match in _PARAGRAPH.findall(page))
    return [" ".join(text.split()) for text in texts if text.strip()]


def _lingua_levels(folder: Path) -> list[Level]:
    """Agreement on lingua's single words and word pairs, per language."""
    levels = []
    for name in ("single-words", "word-pairs"):
        level = Level(name)
        for file in sorted((folder / name).glob("*.txt")):
            lines = file.read_text(encoding="utf-8").splitlines()
            texts = [line.strip() for line in lines if line.strip()]
            _compare(level, LINGUA_LANGUAGES.get(file.stem, file.stem), texts)
        levels.append(level)
    return levels


def _compare(level: Level, language: str, texts: list[str]) -> None:
    """Detect the texts both ways and count them under `language`."""
    fast = _timed(level, "seconds_fast", lambda: detect_languages(texts))
    reference = _timed(level, "seconds_reference", lambda: [reference_language(t) for t in texts])
    tally = level.tallies.setdefault(language, Tally())
    truth = language if language in langdetect_languages() else None
    for guess, expected in zip(fast, reference, strict=True):
        tally.add(guess, expected, truth)


def _timed(
    level: Level, attribute: str, detect: Callable[[], list[LanguageGuess]]
) -> list[LanguageGuess]:
    """The guesses `detect` returns, its CPU time added to the level's `attribute`."""
    start = time.process_time()
    guesses = detect()
    setattr(level, attribute, getattr(level, attribute) + time.process_time() - start)
    return guesses


def _print_levels(corpus: str, levels: list[Level]) -> None:
    """Print a per-language table of the levels side by side, then summary lines."""
    languages = sorted({language for level in levels for language in level.tallies})
    header = f"{'language':<9}" + "".join(
        f" | {level.name:>14} {'judged':>6} {'agree':>7}" for level in levels
    )
    print(f"\n## {corpus}\n\n{header}")
    for language in languages:
        cells = []
        for level in levels:
            tally = level.tallies.get(language, Tally())
            cells.append(f" | {tally.texts:>14} {tally.judged:>6} {tally.agreement:>7.1%}")
        print(f"{language:<9}" + "".join(cells))
    print()
    for level in levels:
        _print_summary(corpus, level)


def _print_summary(corpus: str, level: Level) -> None:
    """Print the summary lines of one level."""
    tallies = level.tallies
    total = Tally()
    for tally in tallies.values():
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    worst = sorted(tallies.items(), key=lambda item: (item[1].agreement, item[0]))[:3]
    passing = sum(tally.agreement >= TARGET for tally in tallies.values())
    label = f"{corpus} {level.name}"
    print(
        f"{label}: {total.agreed}/{total.texts} agree ({total.agreement:.2%}), "
        f"{total.judged} judged by langdetect, {total.identical} identical with score; "
        f"worst: {', '.join(f'{lang} {tally.agreement:.1%}' for lang, tally in worst)}; "
        f"languages >= {TARGET:.1%}: {passing}/{len(tallies)}"
    )
    if total.knowable:
        print(
            f"{label}: accuracy on judged texts of langdetect's languages: "
            f"fast {total.correct_fast / total.knowable:.2%}, "
            f"langdetect {total.correct_reference / total.knowable:.2%}; "
            f"CPU s: fast {level.seconds_fast:.1f}, langdetect {level.seconds_reference:.1f}"
        )


if __name__ == "__main__":
    sys.exit(main())
