"""Words of a text as datatrove splits them: spaCy's rule-based tokenizer, rebuilt without spaCy.

datatrove's filters split words with `spacy.blank(language)`: the text is cut at white space,
then each piece loses prefixes and suffixes (punctuation, quotes, currency, units after a
number) until it is a special case or nothing more comes off, and what is left is cut at
infixes (hyphens between letters, `...`). This module applies the same rules in the same
order with the `regex` module's Unicode classes, so the signals agree with datatrove's
without loading spaCy (seconds to import, and many times slower than these signals). Most
pieces are plain (a word or a number with punctuation around it): the compiled splitter
(`_word_pieces.pyx`, built at install) splits those with the same result, and these rules the
others.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator

import regex

from tasks.quality._special_cases import SpecialCases, base_special_cases, english_special_cases

LineWords = tuple[list[str], list[int]]  # the words of some lines, where each line's words end

_compiled_line_words: Callable[..., LineWords] | None
try:  # built by `pip install` from _word_pieces.pyx; the regex rules below give the same words
    from tasks.quality._word_pieces import line_words as _compiled_line_words
except ImportError:  # a source tree that was never installed
    _compiled_line_words = None

# Characters as spaCy groups them. Uncased letters (Arabic, Hebrew, Devanagari...) count as
# both lower and upper case, as in spaCy.
_ALPHA = r"\p{L}"
_LOWER = r"\p{Ll}\p{Lo}\p{Lm}"
_UPPER = r"\p{Lu}\p{Lt}\p{Lo}\p{Lm}"
_PUNCT = r"…,:;!?¿؟¡()\[\]{}<>_#*&。？！，、；：～·।،۔؛٪"
_QUOTES = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》\u3008\u3009\u2329\u232a⟦⟧"
_HYPHEN = r"(?:-|–|—|--|---|——|~)"
_UNITS = (
    "km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz "
    "m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² "
    "дм³ см см² см³ мм мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ "
    "тб كم كم² كم³ م م² م³ سم سم² سم³ مم مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب"
)
_UNIT = "(?:" + "|".join(regex.escape(unit) for unit in _UNITS.split()) + ")"
_CURRENCY = r"(?:US\$|C\$|A\$|\p{Sc})"
_SYMBOL = r"\p{So}"  # dingbats, emoji and other symbols

# A prefix comes off the start of a piece; the first listed that matches wins.
_PREFIX = regex.compile(
    rf"^(?:[§%=—–]|\+(?![0-9])|[{_PUNCT}]|\.\.+|[{_QUOTES}]|{_CURRENCY}|{_SYMBOL})"
)
# A suffix comes off the end; the one that starts earliest wins.
_SUFFIX = regex.compile(
    rf"(?:[{_PUNCT}]|\.\.+|[{_QUOTES}]|{_SYMBOL}|'s|'S|’s|’S|—|–"
    rf"|(?<=[0-9])\+|(?<=°[FfCcKk])\.|(?<=[0-9]){_CURRENCY}|(?<=[0-9]){_UNIT}"
    rf"|(?<=[0-9{_LOWER}%²\-+{_PUNCT}|{_QUOTES}])\.|(?<=[{_UPPER}][{_UPPER}])\.)$"
)


def _infixes(hyphen_after: str) -> regex.Pattern[str]:
    """Where a piece is cut inside: ellipses, symbols, and punctuation between letters."""
    return regex.compile(
        rf"\.\.+|…|{_SYMBOL}|(?<=[0-9])[+\-*^](?=[0-9-])"
        rf"|(?<=[{_LOWER}{_QUOTES}])\.(?=[{_UPPER}{_QUOTES}])|(?<=[{_ALPHA}]),(?=[{_ALPHA}])"
        rf"|(?<=[{hyphen_after}]){_HYPHEN}(?=[{_ALPHA}])|(?<=[{_ALPHA}0-9])[:<>=/](?=[{_ALPHA}])"
    )


# English also cuts a hyphen after a digit ("5-year"); spaCy's other languages only after a letter.
_ENGLISH_INFIX = _infixes(f"{_ALPHA}0-9")
_BASE_INFIX = _infixes(_ALPHA)
_HOST = r"[A-Za-z0-9\u00a1-\uffff]"
_URL = regex.compile(
    rf"^(?:[\w+\-.]{{2,}}://)?(?:\S+(?::\S*)?@)?"
    rf"(?:(?:{_HOST}[A-Za-z0-9\u00a1-\uffff_-]{{0,62}})?{_HOST}\.)+[{_LOWER}]{{2,63}}"
    rf"(?::\d{{2,5}})?(?:[/?#]\S*)?$"
)


# Plain pieces, which the compiled splitter splits without these patterns (`_word_pieces.pyx`).
# A core of letters has nothing a prefix or suffix reads (each holds a mark, and a unit only
# follows a digit), and no infix but a `-` or `/` between letters, which it is cut at (no URL:
# one needs a `.`). A core of ASCII digits with single `.` or `,` between them has nothing any
# rule reads: no suffix ends in a digit, and the infixes' `.` and `,` stand beside letters.
# AFFIXES are spaCy's punctuation and quotes but apostrophes (`'s` is a suffix, `'cause` a
# special case): each is a whole prefix and a whole suffix by itself, whatever is beside it,
# and no longer prefix begins with one nor longer suffix ends in one. A `.` is a suffix by
# itself after a digit, a mark or a lower-case letter, and after two upper-case letters
# (ASCII only, to keep the letter cases simple). So `_split_piece` takes the marks off one at
# a time from both ends and stops at the core, unless a special case stops it first: the
# whole piece, or the core with what is left around it. No special case holds a mark of
# AFFIXES, so only a piece without them, or the core with its first mark after it, can be
# one; the compiled splitter looks those up. `_split_middle` gives the core's special case,
# or cuts it at its infixes.
AFFIXES = frozenset(char for char in _PUNCT + _QUOTES if char != "\\") - {"'", "’"}


def split_words(text: str, language: str | None) -> list[str]:
    """The words of `text` (punctuation marks included, as their own words)."""
    return line_words(text.splitlines(), language)[0]


def line_words(lines: list[str], language: str | None) -> LineWords:
    """The words of `lines`, split by the rules of `language`, and where each line's words end."""
    if _compiled_line_words is None:
        return python_line_words(lines, language)
    return _compiled_line_words(lines, _special_cases(language), AFFIXES, _regex_splitter(language))


def python_line_words(lines: list[str], language: str | None) -> LineWords:
    """The words of `lines` and where each line's words end, every piece split by the regex
    rules: what the compiled splitter must equal."""
    split = _regex_splitter(language)
    words: list[str] = []
    ends: list[int] = []
    for line in lines:
        words.extend(itertools.chain.from_iterable(map(split, line.split())))
        ends.append(len(words))
    return words, ends


def _regex_splitter(language: str | None) -> Callable[[str], tuple[str, ...]]:
    """What splits one piece into words by the regex rules of `language`."""
    return _english_piece_words if language == "en" else _base_piece_words


def _special_cases(language: str | None) -> SpecialCases:
    """The special cases of `language`."""
    return english_special_cases() if language == "en" else base_special_cases()


# Pieces recur (`U.S.`, hyphenated words): each is split by the rules once per process.
@functools.lru_cache(maxsize=65_536)
def _english_piece_words(piece: str) -> tuple[str, ...]:
    """The words of one piece of English text between spaces."""
    return _piece_words(piece, english_special_cases(), _ENGLISH_INFIX.finditer)


@functools.lru_cache(maxsize=65_536)
def _base_piece_words(piece: str) -> tuple[str, ...]:
    """The words of one piece of text between spaces, in a language other than English."""
    return _piece_words(piece, base_special_cases(), _BASE_INFIX.finditer)


def _piece_words(
    piece: str,
    special: SpecialCases,
    infixes: Callable[[str], Iterator[regex.Match[str]]],
) -> tuple[str, ...]:
    """The words of one piece: a special case, or its affixes split off and its middle cut."""
    if piece in special:
        return special[piece]
    if piece.isalpha():  # nothing can come off or be cut
        return (piece,)
    return tuple(_split_piece(piece, special, infixes))


def _split_piece(
    piece: str,
    special: SpecialCases,
    infixes: Callable[[str], Iterator[regex.Match[str]]],
) -> list[str]:
    """The words of one piece: its prefixes, its middle cut at infixes, its suffixes."""
    prefixes: list[str] = []
    suffixes: list[str] = []
    rest = piece
    while rest and rest not in special:
        size = len(rest)
        prefix = _PREFIX.search(rest)
        pre = prefix.end() if prefix else 0
        if pre and rest[pre:] in special:
            prefixes.append(rest[:pre])
            rest = rest[pre:]
            break
        suffix = _SUFFIX.search(rest[pre:])  # its look-behinds do not see the prefix
        suf = len(rest) - pre - suffix.start() if suffix else 0
        if suf and rest[:-suf] in special:
            suffixes.append(rest[-suf:])
            rest = rest[:-suf]
            break
        if pre and suf and pre + suf <= len(rest):
            prefixes.append(rest[:pre])
            suffixes.append(rest[-suf:])
            rest = rest[pre:-suf]
        elif pre:
            prefixes.append(rest[:pre])
            rest = rest[pre:]
        elif suf:
            suffixes.append(rest[-suf:])
            rest = rest[:-suf]
        if len(rest) == size:
            break
    suffixes.reverse()
    return prefixes + _split_middle(rest, special, infixes) + suffixes


def _split_middle(
    rest: str,
    special: SpecialCases,
    infixes: Callable[[str], Iterator[regex.Match[str]]],
) -> list[str]:
    """What is left of a piece once its affixes are off, cut at its infixes."""
    if not rest:
        return []
    if rest in special:
        return list(special[rest])
    if _URL.match(rest):
        return [rest]
    words: list[str] = []
    start = 0
    for match in infixes(rest):
        if match.start() == 0:  # an infix at the very start stays attached, as in spaCy
            continue
        if match.start() != start:
            words.append(rest[start : match.start()])
        if match.end() != match.start():
            words.append(match.group())
        start = match.end()
    if rest[start:]:
        words.append(rest[start:])
    return words
