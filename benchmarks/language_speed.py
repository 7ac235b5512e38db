"""Language detection speed on seed-shaped text: plain langdetect against docprep's detector.

Usage: python benchmarks/language_speed.py [--documents-per-language N] [--repeats N]

Builds seed-shaped documents (11 paragraphs of one or two news-style sentences, about 2.5 KB
of text) in eight languages from the sentences below, then times in one run, per document:
the document alone, its paragraphs, and both, with plain langdetect (seed 0), with
detect_language one text per call, and with detect_languages one call per document (as
tasks/documents.py calls it). Times are process CPU time, the best of --repeats.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Sequence

from tasks.language import LanguageGuess, estimated_languages, reference_language

PARAGRAPHS_PER_DOCUMENT = 11  # as in seeds/
SENTENCES = {
    "en": [
        "The city council approved a new budget on Tuesday after months of debate over "
        "funding for public transport and road repairs.",
        "Officials said the plan would add more buses to the busiest routes and extend "
        "evening service by two hours starting next spring.",
        "Critics argued that the increase in property taxes would hit families and small "
        "businesses that are still recovering from the downturn.",
        "The mayor defended the decision, saying that the city could not afford to delay "
        "investments that residents have requested for years.",
        "A local business group welcomed the vote but warned that construction work should "
        "not block access to shops in the historic centre.",
        "The final version of the budget will be published online next week, together with "
        "a detailed schedule of the planned works.",
    ],
    "fr": [
        "Le conseil municipal a adopté mardi un nouveau budget après des mois de débats sur "
        "le financement des transports publics et l'entretien des routes.",
        "Selon les responsables, le plan prévoit davantage de bus sur les lignes les plus "
        "fréquentées et un service prolongé de deux heures le soir.",
        "Les opposants estiment que la hausse de la taxe foncière pèsera sur les familles et "
        "les petits commerces qui peinent encore à se relever de la crise.",
        "Le maire a défendu sa décision en affirmant que la ville ne pouvait plus retarder "
        "des investissements réclamés depuis des années par les habitants.",
        "Une association de commerçants a salué le vote, tout en demandant que les travaux "
        "ne bloquent pas l'accès aux magasins du centre historique.",
        "La version définitive du budget sera publiée en ligne la semaine prochaine, avec un "
        "calendrier détaillé des chantiers prévus.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag nach monatelangen Diskussionen über die Finanzierung "
        "des Nahverkehrs und die Sanierung der Straßen einen neuen Haushalt beschlossen.",
        "Nach Angaben der Verwaltung sollen auf den am stärksten genutzten Linien mehr Busse "
        "fahren und die Abendverbindungen um zwei Stunden verlängert werden.",
        "Kritiker bemängeln, dass die höhere Grundsteuer Familien und kleine Betriebe "
        "belastet, die sich noch immer nicht von der Krise erholt haben.",
        "Der Bürgermeister verteidigte die Entscheidung und sagte, die Stadt könne die seit "
        "Jahren geforderten Investitionen nicht länger aufschieben.",
        "Ein Verband der Einzelhändler begrüßte den Beschluss, warnte aber davor, dass die "
        "Bauarbeiten den Zugang zu den Geschäften in der Altstadt versperren.",
        "Die endgültige Fassung des Haushalts wird in der kommenden Woche zusammen mit einem "
        "genauen Zeitplan der geplanten Arbeiten im Internet veröffentlicht.",
    ],
    "es": [
        "El ayuntamiento aprobó el martes un nuevo presupuesto tras meses de debate sobre la "
        "financiación del transporte público y el arreglo de las calles.",
        "Según los responsables, el plan añadirá más autobuses en las líneas con más viajeros "
        "y ampliará el servicio nocturno dos horas a partir de la primavera.",
        "Los críticos sostienen que la subida del impuesto sobre bienes inmuebles afectará a "
        "las familias y a los pequeños comercios que aún se recuperan de la crisis.",
        "El alcalde defendió la decisión y aseguró que la ciudad no podía seguir aplazando "
        "unas inversiones que los vecinos reclaman desde hace años.",
        "Una asociación de comerciantes celebró la votación, aunque pidió que las obras no "
        "impidan el acceso a las tiendas del casco histórico.",
        "La versión definitiva del presupuesto se publicará en internet la próxima semana, "
        "junto con un calendario detallado de las obras previstas.",
    ],
    "it": [
        "Il consiglio comunale ha approvato martedì un nuovo bilancio dopo mesi di "
        "discussioni sul finanziamento dei trasporti pubblici e sulla manutenzione delle strade.",
        "Secondo i funzionari il piano prevede più autobus sulle linee più affollate e un "
        "servizio serale prolungato di due ore a partire dalla primavera.",
        "I critici sostengono che l'aumento delle imposte sugli immobili peserà sulle famiglie "
        "e sui piccoli negozi che non si sono ancora ripresi dalla crisi.",
        "Il sindaco ha difeso la decisione, affermando che la città non poteva più rinviare "
        "investimenti che i cittadini chiedono da anni.",
        "Un'associazione di commercianti ha accolto con favore il voto, ma ha chiesto che i "
        "cantieri non blocchino l'accesso ai negozi del centro storico.",
        "La versione definitiva del bilancio sarà pubblicata online la prossima settimana "
        "insieme a un calendario dettagliato dei lavori previsti.",
    ],
    "ru": [
        "Во вторник городской совет после нескольких месяцев споров о финансировании "
        "общественного транспорта и ремонте дорог утвердил новый бюджет.",
        "По словам чиновников, на самых загруженных маршрутах появится больше автобусов, а "
        "вечерние рейсы будут ходить на два часа дольше.",
        "Критики считают, что повышение налога на недвижимость ударит по семьям и малому "
        "бизнесу, который до сих пор не оправился от кризиса.",
        "Мэр защитил это решение, заявив, что город больше не может откладывать вложения, "
        "которых жители требуют уже много лет.",
        "Объединение предпринимателей одобрило голосование, но попросило, чтобы стройка не "
        "перекрывала доступ к магазинам в историческом центре.",
        "Окончательная версия бюджета вместе с подробным графиком работ будет опубликована "
        "в интернете на следующей неделе.",
    ],
    "zh-cn": [
        "市议会星期二在就公共交通经费和道路维修问题争论了几个月之后，通过了新的预算。",
        "官员表示，该计划将在最繁忙的线路上增加公交车，并从明年春天起把晚间服务延长两个小时。",
        "批评者认为，提高房产税将给仍在从经济低迷中恢复的家庭和小企业带来压力。",
        "市长为这一决定辩护说，居民多年来一直要求的投资，城市已经不能再推迟了。",
        "当地商会对投票结果表示欢迎，但提醒施工不应妨碍人们进入历史中心的商店。",
        "预算的最终版本将于下周在网上公布，同时公布计划工程的详细时间表。",
    ],
    "ar": [
        "وافق مجلس المدينة يوم الثلاثاء على ميزانية جديدة بعد أشهر من النقاش حول تمويل "
        "النقل العام وإصلاح الطرق.",
        "وقال المسؤولون إن الخطة ستضيف المزيد من الحافلات على الخطوط الأكثر ازدحاما وتمدد "
        "الخدمة المسائية ساعتين اعتبارا من الربيع المقبل.",
        "ويرى المنتقدون أن زيادة ضريبة العقارات ستثقل كاهل الأسر والمتاجر الصغيرة التي لم "
        "تتعاف بعد من الأزمة.",
        "ودافع رئيس البلدية عن القرار قائلا إن المدينة لا تستطيع تأجيل استثمارات يطالب بها "
        "السكان منذ سنوات.",
        "ورحبت جمعية للتجار بالتصويت لكنها حذرت من أن تعيق أعمال البناء الوصول إلى المحلات "
        "في وسط المدينة التاريخي.",
        "وستنشر النسخة النهائية من الميزانية على الإنترنت الأسبوع المقبل مع جدول زمني مفصل "
        "للأشغال المخطط لها.",
    ],
}

Detector = Callable[[list[str]], list[LanguageGuess]]


def detect_afresh(texts: list[str]) -> list[LanguageGuess]:
    """Languages estimated with no answer remembered from earlier calls: the estimate's cost."""
    return estimated_languages(texts)


DETECTORS: dict[str, Detector] = {
    "plain langdetect": lambda texts: [reference_language(text) for text in texts],
    "detect_language, one text per call": lambda texts: [detect_afresh([t])[0] for t in texts],
    "detect_languages, one call per document": detect_afresh,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Time the three ways of detecting languages and print ms and speed-ups."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents-per-language", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args(argv)
    documents = [
        document
        for sentences in SENTENCES.values()
        for document in seed_shaped_documents(sentences, options.documents_per_language)
    ]
    paragraphs = sum(len(document) - 1 for document in documents)
    characters = sum(len(document[0]) for document in documents) // len(documents)
    print(
        f"{len(documents)} documents in {len(SENTENCES)} languages ({', '.join(SENTENCES)}), "
        f"{characters} characters and {PARAGRAPHS_PER_DOCUMENT} paragraphs each; "
        f"CPU time, best of {options.repeats}"
    )
    for detect in DETECTORS.values():
        detect(["warm-up: load the profiles before timing anything"])
    best: dict[str, list[float]] = {name: [math.inf] * 3 for name in DETECTORS}
    answers: dict[str, list[LanguageGuess]] = {}
    for _ in range(options.repeats):
        for name, detect in DETECTORS.items():
            document_s = _seconds(detect, [document[:1] for document in documents])
            paragraph_s = _seconds(detect, [document[1:] for document in documents])
            combined_s = _seconds(detect, documents)
            times = [document_s, paragraph_s * len(documents) / paragraphs, combined_s]
            best[name] = [min(old, new) for old, new in zip(best[name], times, strict=True)]
            answers[name] = [guess for document in documents for guess in detect(document)]
    plain = best["plain langdetect"]
    print(f"\n{'':<40} {'ms/document':>11} {'ms/paragraph':>12} {'ms/document+paragraphs':>22}")
    for name, (document_s, paragraph_s, combined_s) in best.items():
        per_document = 1000 / len(documents)
        print(
            f"{name:<40} {document_s * per_document:>11.2f} {paragraph_s * per_document:>12.3f} "
            f"{combined_s * per_document:>13.2f} ({plain[2] / combined_s:4.1f}x)"
        )
    print(
        f"\nspeed-up of one detect_languages call per document over plain langdetect: "
        f"documents {plain[0] / best[name][0]:.1f}x, paragraphs {plain[1] / best[name][1]:.1f}x, "
        f"document+paragraphs {plain[2] / best[name][2]:.1f}x"
    )
    same = all(guesses == answers["plain langdetect"] for guesses in answers.values())
    print(f"same answers (language and score) as plain langdetect: {same}")
    return 0


def seed_shaped_documents(sentences: list[str], count: int) -> list[list[str]]:
    """`count` documents, as [text, *paragraphs]: 11 paragraphs of one or two sentences, each
    document starting one sentence later."""
    documents = []
    for shift in range(count):
        paragraphs = []
        for index in range(PARAGRAPHS_PER_DOCUMENT):
            first = sentences[(index + shift) % len(sentences)]
            second = sentences[(index + shift + 1) % len(sentences)]
            paragraphs.append(first if index % 3 == 2 else f"{first} {second}")
        documents.append(["\n\n".join(paragraphs), *paragraphs])
    return documents


def _seconds(detect: Detector, batches: list[list[str]]) -> float:
    """The CPU seconds `detect` takes over the batches, one call per batch."""
    start = time.process_time()
    for texts in batches:
        detect(texts)
    return time.process_time() - start


if __name__ == "__main__":
    sys.exit(main())
