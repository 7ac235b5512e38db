"""Words of a text as datatrove splits them: spaCy's rule-based tokenizer, rebuilt without spaCy.

datatrove's filters split words with `spacy.blank(language)`: the text is cut at white space,
then each piece loses prefixes and suffixes (punctuation, quotes, currency, units after a
number) until it is a special case or nothing more comes off, and what is left is cut at
infixes (hyphens between letters, `...`). This module applies the same rules in the same
order with the `regex` module's Unicode classes, so the signals agree with datatrove's
without loading spaCy (seconds to import, and many times slower than these signals).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator

import regex

from tasks.quality._special_cases import SpecialCases, base_special_cases, english_special_cases

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


def split_words(text: str, language: str | None) -> list[str]:
    """The words of `text` (punctuation marks included, as their own words)."""
    return list(itertools.chain.from_iterable(map(piece_splitter(language), text.split())))


def piece_splitter(language: str | None) -> Callable[[str], tuple[str, ...]]:
    """What splits one piece of text between spaces into words, by the rules of `language`."""
    return _english_piece_words if language == "en" else _base_piece_words


# Pieces recur (words, numbers, words with their comma): each is split once per process.
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
