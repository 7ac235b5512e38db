"""Seed-shaped benchmark documents (a date header, ~12 news paragraphs) in several languages."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

SENTENCES: dict[str, list[str]] = {
    "de": [
        "Die Regierung kündigte am Freitag neue Maßnahmen zur Unterstützung der Wirtschaft an.",
        "Nach Angaben der Behörden wurden in der Nacht mehrere Drohnen abgefangen.",
        "Der Bürgermeister erklärte, dass die Straße in der nächsten Woche wieder geöffnet werde.",
        "Experten rechnen damit, dass die Preise für Energie im Winter weiter steigen.",
        "Die Opposition kritisierte den Plan als unzureichend und forderte Neuwahlen.",
        "In mehreren Regionen kam es zu Stromausfällen, die bis zum Morgen andauerten.",
        "Ein Sprecher des Ministeriums wollte sich zu den Berichten nicht äußern.",
        "Die Verhandlungen sollen nach Angaben beider Seiten im Dezember fortgesetzt werden.",
    ],
    "fr": [
        "Le gouvernement a annoncé vendredi de nouvelles mesures pour soutenir l'économie.",
        "Selon les autorités, plusieurs drones ont été interceptés pendant la nuit.",
        "Le maire a déclaré que la route serait rouverte la semaine prochaine.",
        "Les experts s'attendent à ce que les prix de l'énergie continuent d'augmenter cet hiver.",
        "L'opposition a jugé le plan insuffisant et réclamé des élections anticipées.",
        "Des coupures d'électricité ont touché plusieurs régions jusqu'au matin.",
        "Un porte-parole du ministère n'a pas souhaité commenter ces informations.",
        "Les négociations doivent reprendre en décembre, selon les deux parties.",
    ],
    "es": [
        "El gobierno anunció el viernes nuevas medidas para apoyar la economía.",
        "Según las autoridades, varios drones fueron interceptados durante la noche.",
        "El alcalde afirmó que la carretera se volverá a abrir la próxima semana.",
        "Los expertos esperan que los precios de la energía sigan subiendo este invierno.",
        "La oposición calificó el plan de insuficiente y pidió elecciones anticipadas.",
        "Varias regiones sufrieron cortes de electricidad que duraron hasta la mañana.",
        "Un portavoz del ministerio no quiso comentar las informaciones.",
        "Las negociaciones se reanudarán en diciembre, según ambas partes.",
    ],
    "ru": [
        "Правительство в пятницу объявило о новых мерах поддержки экономики.",
        "По данным властей, ночью были перехвачены несколько беспилотников.",
        "Мэр заявил, что дорогу снова откроют на следующей неделе.",
        "Эксперты ожидают, что цены на энергию этой зимой продолжат расти.",
        "Оппозиция назвала план недостаточным и потребовала досрочных выборов.",
        "В нескольких регионах до утра не было электричества.",
        "Представитель министерства отказался комментировать эти сообщения.",
        "Переговоры, по словам обеих сторон, продолжатся в декабре.",
    ],
}
PARAGRAPHS_PER_DOC = 12
SENTENCES_PER_PARAGRAPH = (2, 4)


def sample_article() -> str:
    """The text of the repository's sample article, the shape every benchmark document takes."""
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    return next(seeds.glob("*.txt")).read_text()


def english_paragraphs(seed_text: str) -> list[str]:
    """The seed article's paragraphs, its header removed."""
    body = (
        seed_text.split(" ", 2)[2] if seed_text.lstrip().lower().startswith("date") else seed_text
    )
    return [p.strip() for p in body.strip().split("\n\n") if p.strip()]


def write_corpus(root: Path, n_docs: int, seed_text: str, *, seed: int = 7) -> list[Path]:
    """Write `n_docs` seed-shaped documents under `root` in nested folders; their paths."""
    rng = random.Random(seed)
    english = english_paragraphs(seed_text)
    languages = ["en", *SENTENCES]
    paths: list[Path] = []
    for i in range(n_docs):
        language = languages[i % len(languages)]
        if language == "en":
            paragraphs = rng.sample(english, len(english))
        else:
            pool = SENTENCES[language]
            paragraphs = [
                " ".join(rng.sample(pool, rng.randint(*SENTENCES_PER_PARAGRAPH)))
                for _ in range(PARAGRAPHS_PER_DOC)
            ]
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
        path = root / f"{i % 100:02d}" / f"doc-{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"date {day.isoformat()} " + "\n\n".join(paragraphs) + "\n")
        paths.append(path)
    return paths
