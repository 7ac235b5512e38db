"""Language detection: expected languages, null for short text, and langdetect's answers."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import pytest

import tasks.language._detection as detection
import tasks.language._estimation as estimation
import tasks.language._ngrams as ngrams
from tasks.language import (
    UNKNOWN,
    LanguageGuess,
    detect_language,
    detect_languages,
    estimated_languages,
    reference_language,
)
from tasks.language._ngrams import ngram_keys
from tasks.language._trials import trial_probabilities

SENTENCES = [
    ("en", "The committee will publish its final report on the new railway line next month."),
    ("fr", "Le gouvernement a présenté mercredi un projet de loi sur la réforme des retraites."),
    ("de", "Die Bundesregierung will die Förderung für erneuerbare Energien deutlich erhöhen."),
    ("es", "El ayuntamiento aprobó ayer el presupuesto para la renovación del mercado central."),
    ("it", "Il governo ha approvato ieri sera il decreto sulle nuove regole per le pensioni."),
    ("pt", "O governo anunciou ontem um novo programa de apoio às pequenas empresas do país."),
    ("nl", "De gemeenteraad heeft gisteren ingestemd met de bouw van een nieuwe brug."),
    ("ru", "Правительство утвердило новый план развития общественного транспорта в городе."),
    ("uk", "Уряд затвердив новий план розвитку громадського транспорту в місті."),
    ("el", "Η κυβέρνηση ανακοίνωσε χθες νέα μέτρα για τη στήριξη των μικρών επιχειρήσεων."),
    ("zh-cn", "市政府昨天宣布了一项新的公共交通发展计划，预计明年开始实施。"),
    ("ar", "أعلنت الحكومة أمس عن خطة جديدة لتطوير النقل العام في المدينة."),
    ("ja", "政府は昨日、公共交通の新しい計画を発表しました。来年から実施される予定です。"),
    ("ko", "정부는 어제 대중교통 발전을 위한 새로운 계획을 발표했습니다."),
]
TOO_SHORT = [
    "",
    "Hello",
    "Ein kurzer Satz.",  # 13 letters
    "2024-11-02 12:30 +0100 #42 ... 1,234.56",
    "  \n\t  ",
]
MIXED = [
    "Apple Inc. reported record sales in China, said CEO Tim Cook.",
    "NATO and the EU met in Brussels on Monday to discuss the crisis.",
    "Москва (Reuters) - Центральный банк России повысил ключевую ставку до 21 процента.",
    "Visit https://example.com/news or write to press@example.com for the full statement today",
    "la la la la la la la la la la la la la la la la la la la",
    "Ünïcödé Çharacters ÀÉÎÕÜ and the quick brown fox jumps over the lazy dog",
    "Dit is een Nederlandse zin, und das ist ein deutscher Satz, and this is English.",
]
# Languages langdetect has no profile for: some of its trials run to the iteration limit.
UNPROFILED = [
    "Ĉiuj homoj estas denaske liberaj kaj egalaj laŭ digno kaj rajtoj.",
    "Gizaki guztiak aske jaiotzen dira, duintasun eta eskubide berberak dituztela.",
    "Omnes homines dignitate et iure liberi et pares nascuntur.",
]


@pytest.mark.parametrize(("expected", "text"), SENTENCES)
def test_language_of_a_sentence(expected: str, text: str) -> None:
    guess = detect_language(text)
    assert guess.language == expected
    assert guess.score is not None and 0.5 < guess.score <= 1.0


@pytest.mark.parametrize("text", TOO_SHORT)
def test_too_short_text_has_no_language(text: str) -> None:
    assert detect_language(text) == UNKNOWN
    assert reference_language(text) == UNKNOWN


def test_text_without_known_ngrams_has_no_language() -> None:
    # Enough letters, but langdetect removes URLs and e-mail addresses before it looks.
    text = "https://example.com/abcdefghijklmnopqrstuvwxyz"
    assert detect_language(text) == UNKNOWN


@pytest.mark.parametrize("text", [text for _, text in SENTENCES] + MIXED)
def test_same_answer_twice(text: str) -> None:
    # Estimated afresh each time (not answered from what the process remembers), and the
    # remembered answer is the estimate's.
    assert estimated_languages([text]) == estimated_languages([text])
    assert detect_language(text) == estimated_languages([text])[0]


@pytest.mark.parametrize("text", [text for _, text in SENTENCES] + MIXED + UNPROFILED)
def test_same_language_and_score_as_plain_langdetect(text: str) -> None:
    assert detect_language(text) == reference_language(text)


def test_long_text_same_as_plain_langdetect() -> None:
    # Longer than the 10,000 characters langdetect reads, in two languages.
    text = " ".join(s for _, s in SENTENCES[:2]) * 60 + " " + SENTENCES[2][1] * 40
    assert len(text) > 10_000
    assert detect_language(text) == reference_language(text)


def test_batch_answers_each_text_as_alone() -> None:
    texts = [text for _, text in SENTENCES] + TOO_SHORT + MIXED
    # Estimated together, each as if estimated alone and afresh.
    assert estimated_languages(texts) == [estimated_languages([text])[0] for text in texts]
    assert detect_languages(texts) == estimated_languages(texts)


def test_repeated_texts_answer_as_alone() -> None:
    texts = [text for _, text in SENTENCES[:3]] * 3 + MIXED[:2]
    assert detect_languages(texts) == [reference_language(text) for text in texts]
    assert detect_languages(texts[::-1]) == [reference_language(text) for text in texts[::-1]]


def test_large_batch_answers_as_plain_langdetect() -> None:
    # More texts than are estimated together, each sentence cut at a different word.
    sentences = [text for _, text in SENTENCES] + MIXED + UNPROFILED
    texts = [" ".join(sentence.split()[start:]) for start in range(0, 15) for sentence in sentences]
    assert len(texts) > 300
    assert detect_languages(texts) == [reference_language(text) for text in texts]


def test_batch_of_nothing() -> None:
    assert detect_languages([]) == []
    assert detect_languages(["", "Hi"]) == [UNKNOWN, UNKNOWN]


def test_guess_is_a_language_code_and_a_probability() -> None:
    guess = detect_language(SENTENCES[0][1])
    assert guess == LanguageGuess("en", guess.score)
    assert isinstance(guess.score, float)


def test_the_installed_package_runs_langdetects_trials_compiled() -> None:
    assert estimation.compiled(), "tasks/language/_trials.pyx is not built: run `make install`"


def test_compiled_trials_answer_as_the_numpy_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [text for _, text in SENTENCES] + MIXED + UNPROFILED
    texts = [" ".join(sentence.split()[start:]) for start in range(0, 12) for sentence in sentences]
    texts.append(" ".join(s for _, s in SENTENCES) * 30)  # long: many draws in every trial
    compiled = estimated_languages(texts)
    monkeypatch.setattr(estimation, "_compiled_trials", None)
    assert estimated_languages(texts) == compiled
    assert compiled == [reference_language(text) for text in texts]


def _known_rows(text: str) -> np.ndarray:
    """The profile rows of the n-grams langdetect draws from for `text`, in its order."""
    keys, _ = ngram_keys([text])
    rows = detection._profiles().rows_of(keys)
    return rows[rows >= 0]


def _langdetect_probabilities(text: str) -> list[float]:
    """Plain langdetect's probability of every language for `text`, unrounded."""
    detector = detection._factory().create()
    detector.append(text)
    detector.get_probabilities()
    return list(detector.langprob)


@pytest.mark.parametrize("outputs", [estimation._COMPILED_OUTPUTS, 8])
def test_compiled_trials_are_langdetects_to_the_last_bit(
    outputs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 8 outputs: the generator's table runs out and grows again and again on every text.
    monkeypatch.setattr(estimation, "_COMPILED_OUTPUTS", outputs)
    texts = [text for _, text in SENTENCES[:6]] + MIXED[:2] + [SENTENCES[0][1] * 40]
    for text in texts:
        rows = _known_rows(text)
        found = estimation.language_probabilities(
            rows, np.array([len(rows)]), detection._profiles().probabilities, 0
        )
        assert found[0].tolist() == _langdetect_probabilities(text)


def test_compiled_trials_sum_as_python_3_12_when_asked() -> None:
    # Python 3.12's sum() of floats compensates (Neumaier): the compiled trials do the same
    # when told to. Checked against langdetect's own loop with such a sum.
    text = MIXED[0]
    rows = _known_rows(text)
    probabilities = detection._profiles().probabilities
    result = np.empty((1, probabilities.shape[1]))
    outputs = estimation._raw_outputs(0, estimation._COMPILED_OUTPUTS)
    counts = np.array([len(rows)], dtype=np.int64)
    assert trial_probabilities(rows.astype(np.int64), counts, probabilities, outputs, result, True)
    assert result[0].tolist() == _detect_block(rows.tolist(), probabilities, _neumaier_sum)
    # The copy of langdetect's loop is langdetect's, with the running Python's own sum().
    assert _detect_block(rows.tolist(), probabilities, sum) == _langdetect_probabilities(text)


def _neumaier_sum(values: list[float]) -> float:
    """sum() of floats as Python 3.12 computes it."""
    total = correction = 0.0
    for value in values:
        added = total + value
        if abs(total) >= abs(value):
            correction += (total - added) + value
        else:
            correction += (value - added) + total
        total = added
    return total + correction if correction and math.isfinite(correction) else total


def _detect_block(rows: list[int], probabilities: np.ndarray, add: Callable[..., float]) -> list:
    """langdetect's `Detector._detect_block` over known n-gram rows, summing with `add`."""
    table = probabilities.tolist()
    languages = len(table[0])
    generator = random.Random(0)
    found = [0.0] * languages
    for _ in range(7):
        prob = [1.0 / languages] * languages
        alpha = 0.5 + generator.gauss(0.0, 1.0) * 0.05
        draw = 0
        while True:
            word = table[generator.choice(rows)]
            weight = alpha / 10000
            for index in range(languages):
                prob[index] *= weight + word[index]
            if draw % 5 == 0:
                total, largest = add(prob), 0.0
                for index in range(languages):
                    value = prob[index] / total
                    largest = max(largest, value)
                    prob[index] = value
                if largest > 0.99999 or draw >= 1000:
                    break
            draw += 1
        for index in range(languages):
            found[index] += prob[index] / 7
    return found


def test_the_profiles_keys_are_found_in_a_compiled_hash_table() -> None:
    profiles = detection._profiles()
    assert profiles.table is not None, "tasks/language/_key_table.pyx is not built: make install"
    sentences = [text for _, text in SENTENCES] + MIXED + UNPROFILED + TOO_SHORT
    keys, _ = ngram_keys(sentences)
    generator = np.random.default_rng(18)
    unknown = generator.integers(0, 2**63, size=20_000, dtype=np.uint64)
    near = profiles.keys[generator.integers(0, len(profiles.keys), size=20_000)] + np.uint64(1)
    for asked in (keys, profiles.keys, unknown, near, np.zeros(3, np.uint64), keys[:0]):
        assert np.array_equal(profiles.rows_of(asked), profiles.searched_rows(asked))
    assert np.array_equal(profiles.rows_of(profiles.keys), np.arange(len(profiles.keys)))


def test_compiled_ngram_scan_gives_the_numpy_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ngrams._scanned_keys is not None, "tasks/language/_ngram_scan.pyx is not built"
    sentences = [text for _, text in SENTENCES] + MIXED + UNPROFILED + TOO_SHORT
    # Capitals in a row, separators between texts, spaces in runs and at the edges, Latin
    # letters in mostly non-Latin text, Vietnamese marks, one text alone and none at all.
    sentences += ["ABC Def GHi jKL", "  a  b  ", "Tiếng Việt có dấu", "x", "Ωmega ΣΙΓΜΑ sigma"]
    generator = random.Random(18)
    alphabet = "aAbBzZ éÉßẞ ЖжΩω中文 .,-'" + "".join(map(chr, range(0x1E00, 0x1E10)))
    randoms = ["".join(generator.choices(alphabet, k=generator.randrange(60))) for _ in range(300)]
    batches = [sentences, randoms, [sentences[0]], [], ["", ""]]
    compiled = [ngram_keys(texts) for texts in batches]
    monkeypatch.setattr(ngrams, "_scanned_keys", None)
    for texts, (keys, owners) in zip(batches, compiled, strict=True):
        numpy_keys, numpy_owners = ngram_keys(texts)
        assert np.array_equal(keys, numpy_keys) and np.array_equal(owners, numpy_owners)
        assert keys.dtype == numpy_keys.dtype
