"""Syndicated copies of an article, made the ways outlets make them."""

from __future__ import annotations

import random

FIRST_LINE = "WRAPUP 2-Drones hit Russian oil depot as Ukraine steps up attacks"
BYLINE = "By Anna Keller and Tom Price, Staff Reporters"
FOOTER = "Subscribe to our morning newsletter for the day's top stories. All rights reserved."
OTHER_STORY = (
    "The city council approved the new budget on Tuesday after a long debate about school "
    "funding, road repairs and the cost of the new library, which opens next spring."
)


def edited(paragraphs: list[str], edit: str, rng: random.Random) -> list[str]:
    """The article with one kind of syndication edit applied."""
    if edit == "first line":
        return [FIRST_LINE, *paragraphs]
    if edit == "byline":
        return [paragraphs[0], BYLINE, *paragraphs[1:]]
    if edit == "dropped last paragraph":
        return paragraphs[:-1]
    if edit == "added paragraph":
        return [*paragraphs[:3], OTHER_STORY, *paragraphs[3:]]
    if edit == "footer":
        return [*paragraphs, FOOTER]
    if edit == "5% of words substituted":
        words = [p.split() for p in paragraphs]
        places = [(p, w) for p, ws in enumerate(words) for w in range(len(ws))]
        for p, w in rng.sample(places, len(places) // 20):
            words[p][w] = rng.choice(["market", "officials", "Tuesday", "report", "prices"])
        return [" ".join(ws) for ws in words]
    raise ValueError(edit)


EDITS = [
    "first line",
    "byline",
    "dropped last paragraph",
    "added paragraph",
    "footer",
    "5% of words substituted",
]
