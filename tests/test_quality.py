"""Quality signals and rules: each rule on both sides of its threshold, in English and French.

Each text is built so that one signal lands exactly on a rule's threshold (which passes: the
published filters fail a document strictly beyond it) or one step past it; the arithmetic is
in the comments. The rest of a text's flags do not matter to the row that tests one rule.
"""

from __future__ import annotations

import pytest

from tasks.quality import (
    RULE_NAMES,
    RULES,
    UnknownRules,
    drop_rules,
    dropped_for,
    failed_rules,
    low_quality_detail,
    quality_signals,
    rules_in_detail,
)

WORDS = {
    "en": [
        "river",
        "bridge",
        "council",
        "market",
        "harbour",
        "station",
        "garden",
        "museum",
        "library",
        "school",
    ],
    "fr": [
        "rivière",
        "pont",
        "conseil",
        "marché",
        "port",
        "gare",
        "jardin",
        "musée",
        "bibliothèque",
        "école",
    ],
}
# Five sentences with stop words in each language: a passing base text.
PROSE = {
    "en": (
        "The council met on Monday to discuss the new bridge. Residents said the plans should "
        "be published. The mayor agreed with them. Work on the bridge starts in spring. It "
        "will take two years to finish."
    ),
    "fr": (
        "Le conseil s'est réuni lundi pour discuter du nouveau pont. Les habitants ont demandé "
        "la publication des plans. Le maire était d'accord avec eux. Les travaux commencent au "
        "printemps. Ils dureront deux ans."
    ),
}


def words(language: str, count: int) -> str:
    """`count` distinct words (each a vocabulary word with a number), separated by spaces."""
    vocabulary = WORDS[language]
    return " ".join(f"{vocabulary[i % 10]}{i}" for i in range(count))


def word_of(length: int) -> str:
    """A word of `length` letters."""
    return ("abcdefghijklmnopqrstuvwxyz" * (length // 26 + 1))[:length]


def lines(*texts: str) -> str:
    """`texts` as lines."""
    return "\n".join(texts)


def case(rule: str, language: str, text: str, fails: bool) -> object:
    """One row of the rules table."""
    side = "fails" if fails else "passes"
    return pytest.param(rule, language, text, fails, id=f"{rule}-{language}-{side}")


def cases_for(language: str) -> list[object]:
    """Both sides of every rule whose signal does not depend on English."""
    prose = PROSE[language]
    return [
        # words that are not only punctuation: 49 < 50 fails, 50 passes
        case("gopher_short_doc", language, words(language, 49), True),
        case("gopher_short_doc", language, words(language, 50) + " . , !", False),
        # mean word length: 60 words of 3 letters is 3.0; one of them 2 letters is 2.98 < 3
        case("gopher_below_avg_threshold", language, " ".join(["abc"] * 60), False),
        case("gopher_below_avg_threshold", language, " ".join(["abc"] * 59 + ["ab"]), True),
        # 60 words of 10 letters is 10.0; one of 11 letters makes 10.02 > 10
        case("gopher_above_avg_threshold", language, " ".join([word_of(10)] * 60), False),
        case(
            "gopher_above_avg_threshold",
            language,
            " ".join([word_of(10)] * 59 + [word_of(11)]),
            True,
        ),
        # `#` per word, each `#` a word of its own: 11 / 111 <= 0.1 passes, 12 / 112 fails
        case("gopher_too_many_hashes", language, words(language, 100) + " #" * 11, False),
        case("gopher_too_many_hashes", language, words(language, 100) + " #" * 12, True),
        case("gopher_too_many_ellipsis", language, words(language, 100) + " ..." * 11, False),
        case("gopher_too_many_ellipsis", language, words(language, 100) + " …" * 12, True),
        # lines starting with a bullet: 9 of 10 is 0.9, 19 of 20 is 0.95 > 0.9
        case("gopher_too_many_bullets", language, lines(prose, *["• " + prose] * 9), False),
        case("gopher_too_many_bullets", language, lines(prose, *["- " + prose] * 19), True),
        # lines ending with an ellipsis: 3 of 10 is 0.3, 4 of 10 fails
        case(
            "gopher_too_many_end_ellipsis",
            language,
            lines(*[prose + "..."] * 3, *[prose] * 7),
            False,
        ),
        case(
            "gopher_too_many_end_ellipsis", language, lines(*[prose + "…"] * 4, *[prose] * 6), True
        ),
        # words with a letter: 80 of 100 is 0.8; 79 of 100 is below
        case("gopher_below_alpha_threshold", language, words(language, 80) + " 1987" * 20, False),
        case("gopher_below_alpha_threshold", language, words(language, 79) + " 1987" * 21, True),
        # paragraphs repeating an earlier one: 3 of 10 is 0.3; 4 of 10 fails
        case("dup_para_frac", language, "\n\n".join([*_distinct(prose, 6), *[prose] * 4]), False),
        case("dup_para_frac", language, "\n\n".join([*_distinct(prose, 5), *[prose] * 5]), True),
        # characters of the repeated paragraph (20) over the text's: 20 / (56 + 4 + 40) = 0.2
        case("dup_para_char_frac", language, "\n\n".join([word_of(56), "x" * 20, "x" * 20]), False),
        case("dup_para_char_frac", language, "\n\n".join([word_of(55), "x" * 20, "x" * 20]), True),
        case("dup_line_frac", language, lines(*_distinct(prose, 6), *[prose] * 4), False),
        case("dup_line_frac", language, lines(*_distinct(prose, 5), *[prose] * 5), True),
        # 20 / (58 + 2 + 40) = 0.2
        case("dup_line_char_frac", language, lines(word_of(58), "x" * 20, "x" * 20), False),
        case("dup_line_char_frac", language, lines(word_of(57), "x" * 20, "x" * 20), True),
        # "xx yy" (5 characters) 10 times: 50 / (60 + 190) = 0.2 passes, one character less fails
        case("top_2_gram", language, "xx yy " * 10 + word_of(190), False),
        case("top_2_gram", language, "xx yy " * 10 + word_of(189), True),
        # "xx yy zz" (8) 9 times: 72 / (81 + 319) = 0.18
        case("top_3_gram", language, "xx yy zz " * 9 + word_of(319), False),
        case("top_3_gram", language, "xx yy zz " * 9 + word_of(318), True),
        # "aa bb cc dd" (11) 8 times: 88 / (96 + 454) = 0.16
        case("top_4_gram", language, "aa bb cc dd " * 8 + word_of(454), False),
        case("top_4_gram", language, "aa bb cc dd " * 8 + word_of(453), True),
        # an n-gram of two-letter words repeated once: 2n characters over 6n + filler
        *(
            case(f"duplicated_{n}_n_grams", language, _repeated_n_gram(n, length), fails)
            for n, passing in ((5, 67), (6, 86), (7, 108), (8, 134), (9, 164), (10, 200))
            for length, fails in ((passing, False), (passing - 1, True))
        ),
        # lines ending in a sentence end: 3 of 25 is 0.12 (passes); 2 of 25 fails
        case("line_punct_ratio", language, lines(*[prose] * 3, *[words(language, 9)] * 22), False),
        case("line_punct_ratio", language, lines(*[prose] * 2, *[words(language, 9)] * 23), True),
        # lines of at most 30 characters: 67 of 100 is 0.67; 68 fails
        case("short_line_ratio", language, lines(*["short line"] * 67, *[prose] * 33), False),
        case("short_line_ratio", language, lines(*["short line"] * 68, *[prose] * 32), True),
        # one repeated line of 10 characters in 1,000: 0.01 passes; in 999 fails
        case("char_dup_ratio", language, lines("x" * 10, "x" * 10, word_of(980)), False),
        case("char_dup_ratio", language, lines("x" * 10, "x" * 10, word_of(979)), True),
        # line breaks per word: 3 for 10 words is 0.3; 4 fails
        case("list_ratio", language, lines(*words(language, 10).split(" ", 3)), False),
        case("list_ratio", language, lines(*words(language, 10).split(" ", 4)), True),
        # a kept line (a sentence end, three words) with "lorem ipsum" condemns the text
        case("lorem_ipsum", language, lines(prose, "Lorem ipsum dolor sit amet."), True),
        case("lorem_ipsum", language, lines(prose, "Lorem ipsum dolor sit amet"), False),
        case("curly_bracket", language, lines(prose, "Call f(x) { return x; } here."), True),
        case("curly_bracket", language, lines(prose, "Enable JavaScript { here }."), False),
        # sentences in the kept lines: five pass, four fail
        case("too_few_sentences", language, prose, False),
        case("too_few_sentences", language, prose.rsplit(".", 2)[0] + ".", True),
    ]


def _distinct(text: str, count: int) -> list[str]:
    """`count` different texts made from `text`."""
    return [f"{text} ({i})" for i in range(count)]


def _repeated_n_gram(n: int, length: int) -> str:
    """A text of `length` characters in which one n-gram of two-letter words occurs twice."""
    gram = " ".join((["ba", "be", "bi", "bo", "bu", "ca", "ce", "ci", "co", "cu"])[:n])
    return f"{gram} {gram} {word_of(length - 6 * n)}"


@pytest.mark.parametrize(("rule", "language", "text", "fails"), cases_for("en") + cases_for("fr"))
def test_each_rule_at_its_threshold(rule: str, language: str, text: str, fails: bool) -> None:
    assert (rule in quality_signals(text, language).flags) == fails


@pytest.mark.parametrize(
    ("text", "fails"),
    [
        (PROSE["en"], False),  # the, to, be, with
        ("Residents said plans should be published. " * 3, True),  # be only
        ("Then the plans of residents. " * 3, False),  # the, of
        ("THE PLANS OF RESIDENTS. " * 3, True),  # stop words are matched as written
    ],
)
def test_english_stop_words(text: str, fails: bool) -> None:
    assert ("gopher_enough_stop_words" in quality_signals(text, "en").flags) == fails


@pytest.mark.parametrize("language", ["fr", "de", None])
def test_no_stop_word_list_gives_null_not_a_flag(language: str | None) -> None:
    signals = quality_signals("Ein Satz ohne jedes Stoppwort hier.", language)
    assert signals.values()["gopher_stop_words"] is None
    assert "gopher_enough_stop_words" not in signals.flags


def test_the_longest_document_passes_at_100000_words_and_fails_above() -> None:
    text = " ".join(["word"] * 100_000)
    assert "gopher_long_doc" not in quality_signals(text, "en").flags
    assert "gopher_long_doc" in quality_signals(text + " word", "en").flags


@pytest.mark.parametrize("language", ["zh-cn", "ja", "th"])
def test_languages_without_spaces_get_no_word_signals(language: str) -> None:
    # Too short for Gopher in any language, but docprep does not split these words.
    signals = quality_signals("今天天气很好。", language)
    values = signals.values()
    assert values["gopher_words"] is None
    assert values["top_2_gram_frac"] is None
    assert values["list_ratio"] is None
    assert "gopher_short_doc" not in signals.flags
    assert values["line_punct_ratio"] == 1.0  # line signals still apply


def test_an_earnings_table_fails_as_a_table() -> None:
    table = lines(
        "Shr 80 cts vs 72 cts",
        "Net 55,513,000 vs 48,741,000",
        "Revs 1.2 billion vs 1.1 billion",
        "NOTE: 1986 net includes gain of 3,500,000 dlrs.",
    )
    signals = quality_signals(table, "sv")
    values = signals.values()
    # Shr 80 cts vs 72 cts | Net 55,513,000 vs 48,741,000 | Revs 1.2 billion vs 1.1 billion |
    # NOTE : 1986 net includes gain of 3,500,000 dlrs .  -> 26 words, 24 not punctuation,
    # 16 with a letter
    assert values["gopher_words"] == 24
    assert values["gopher_alpha_word_ratio"] == 16 / 26
    assert values["gopher_stop_words"] is None  # Swedish, as langdetect calls such tables
    assert values["line_punct_ratio"] == 1 / 4
    assert {"gopher_short_doc", "gopher_below_alpha_threshold", "too_few_sentences"} <= set(
        signals.flags
    )


def test_flags_follow_the_rules_order_and_read_the_values() -> None:
    signals = quality_signals("Shr 80 cts vs 72 cts", "en")
    assert list(signals.flags) == failed_rules(signals.values())
    assert list(signals.flags) == [name for name in RULE_NAMES if name in signals.flags]


def test_every_rule_reads_a_signal() -> None:
    values = quality_signals(PROSE["en"], "en").values()
    assert {rule.signal for rule in RULES} <= set(values)
    assert len(set(RULE_NAMES)) == len(RULES) == 30


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], frozenset()),
        (["list_ratio", " top_2_gram "], frozenset({"list_ratio", "top_2_gram"})),
        (["all"], frozenset(RULE_NAMES)),
    ],
)
def test_drop_rules(names: list[str], expected: frozenset[str]) -> None:
    assert drop_rules(names) == expected


def test_unknown_drop_rules_are_named() -> None:
    with pytest.raises(UnknownRules, match="short_doc"):
        drop_rules(["gopher_short_doc", "short_doc"])


def test_a_dropped_document_names_its_failing_rules_in_the_detail() -> None:
    flags = ("gopher_short_doc", "list_ratio", "too_few_sentences")
    drop = frozenset({"list_ratio", "gopher_short_doc", "top_2_gram"})
    assert dropped_for(flags, drop) == ["gopher_short_doc", "list_ratio"]
    detail = low_quality_detail(flags, drop)
    assert detail == "fails gopher_short_doc, list_ratio; also flagged: too_few_sentences"
    assert rules_in_detail(detail) == (("gopher_short_doc", "list_ratio"), flags)
    assert rules_in_detail(low_quality_detail(flags[:2], drop)) == (flags[:2], flags[:2])
    assert dropped_for(flags, frozenset({"top_2_gram"})) == []
