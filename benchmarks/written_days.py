"""Where a page writes a given day: nowhere, only as a change ("Updated ..."), or otherwise.

Bounds what any date resolver can reach on a corpus: a known day the page never writes
cannot be found, and one it writes only as an update may not be taken for the publication
day (issue 17's rule). The search is plain text over the page's markup (attributes, scripts
and JSON included) in common spellings of seven languages. It errs both ways: a spelling it
does not know counts a day as unwritten, and a mention of the day anywhere (another
story's) counts it as written.
"""

from __future__ import annotations

import html
import re
from datetime import date
from enum import StrEnum

# The resolver's words for a change serve here too, in markup as in text (`dateModified`,
# `article:modified_time`, "Last updated:", "Aktualisiert am").
from tasks.html._date_clues import UPDATED_WORDS

_MONTHS = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
# Words that make it the day of the page: the nearest label before a day decides.
_PUBLISH = re.compile(
    r"publi|creat|erschien|veröffentl|posted|written|issued|erstellt|pubdate|datum"
    r"|(?<![a-z_])date\b"  # not "update", "update_date"
)
_LABEL_REACH = 40


class Written(StrEnum):
    """Where a page writes a day."""

    NOWHERE = "nowhere"
    AS_UPDATE = "only as an update"
    WRITTEN = "written"


def page_text(markup: str) -> str:
    """The page's markup with entities resolved, white space made single, in lower case."""
    return " ".join(html.unescape(markup).split()).lower()


def where_written(text: str, day: date) -> Written:
    """Where `text` (from `page_text`) writes `day`: nowhere, only as an update, or otherwise."""
    found = False
    for spelling in spellings(day):
        start = text.find(spelling)
        while start >= 0:
            before = text[max(0, start - _LABEL_REACH) : start]
            if _boundary(text, start, spelling):
                found = True
                if not _labelled_update(before):
                    return Written.WRITTEN
            start = text.find(spelling, start + 1)
    return Written.AS_UPDATE if found else Written.NOWHERE


def _boundary(text: str, start: int, spelling: str) -> bool:
    """Whether the spelling at `start` is not part of a longer number (`12.3.20201`)."""
    end = start + len(spelling)
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isdigit() and spelling[0].isdigit()) and not (
        after.isdigit() and spelling[-1].isdigit()
    )


def _labelled_update(before: str) -> bool:
    """Whether the nearest label in the text before a day marks a change."""
    update = [match.end() for match in UPDATED_WORDS.finditer(before)]
    publish = [match.end() for match in _PUBLISH.finditer(before)]
    return bool(update) and (not publish or max(update) > max(publish))


def spellings(day: date) -> list[str]:
    """The ways pages write `day`, in lower case: ISO, compact, numeric orders, month names."""
    y, m, d = day.year, day.month, day.day
    suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    found = {
        f"{y}-{m:02}-{d:02}",
        f"{y}/{m:02}/{d:02}",
        f"{y}.{m:02}.{d:02}",
        f"{y}/{m}/{d}",
        f"{y}{m:02}{d:02}",
        f"{y}年{m}月{d}日",
        f"{d:02}.{m:02}.{y % 100:02}",
    }
    for first, second in ((d, m), (m, d)):  # day-month and month-day orders
        for a in (f"{first}", f"{first:02}"):
            for b in (f"{second}", f"{second:02}"):
                found |= {f"{a}.{b}.{y}", f"{a}/{b}/{y}", f"{a}-{b}-{y}"}
    for names in _MONTHS.values():
        name = names.split()[m - 1]
        for month in {name, name[:3], f"{name[:3]}."}:
            for day_written in {f"{d}", f"{d:02}", f"{d}{suffix}"}:
                found |= {
                    f"{month} {day_written}, {y}",
                    f"{month} {day_written} {y}",
                    f"{day_written} {month} {y}",
                    f"{day_written} {month}, {y}",
                    f"{y} {month} {day_written}",
                    f"{day_written}. {month} {y}",
                    f"{day_written} de {month} de {y}",
                    f"{day_written} of {month} {y}",
                    f"{day_written}-{month}-{y}",
                }
    return sorted(found)
