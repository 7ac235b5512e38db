"""The report as one self-contained HTML page: inline CSS and SVG, no script, no font, no link
to fetch, so it opens offline and travels as an e-mail or ticket attachment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Panel:
    """One chart of the report as SVG, or the sentence that stands in for it; with a note."""

    key: str
    svg: str | None = None
    note: str | None = None
    spec: str | None = None  # the hash of the chart's spec and data (`svg.chart_drawing`)


@dataclass(frozen=True)
class Section:
    """A titled group of panels."""

    title: str
    panels: list[Panel]


_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       color: #1d2330; background: #f5f6f8; }
header { background: #fff; border-bottom: 1px solid #dde1e6; padding: 1.2rem 2rem; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
.out { font-family: ui-monospace, monospace; color: #555; margin: 0 0 1rem; word-break: break-all; }
dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
     gap: .6rem 1.5rem; margin: 0; }
dt { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: #667; }
dd { margin: 0; font-size: 1.05rem; }
.notice { margin: 1rem 0 0; padding: .7rem 1rem; background: #fff6db; border: 1px solid #f0d98c;
          border-radius: 4px; }
main { padding: 0 2rem 2rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; }
.panels { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
figure { margin: 0; background: #fff; border: 1px solid #dde1e6; border-radius: 4px;
         padding: .8rem; max-width: 100%; overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption, .note { color: #555; font-size: .9rem; margin-top: .4rem; max-width: 60rem; }
p.note { margin: 0; }
footer { color: #667; font-size: .8rem; padding: 0 2rem 2rem; }
"""


def report_page(
    out: str, facts: list[tuple[str, str]], sections: list[Section], notice: str | None
) -> str:
    """The HTML of a report on the store at `out`: its facts, a notice if any, the sections."""
    items = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in facts)
    notice_html = f'<p class="notice">{escape(notice)}</p>' if notice else ""
    body = "".join(_section(section) for section in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>docprep report: {escape(out)}</title><style>{_STYLE}</style></head>"
        f'<body><header><h1>docprep report</h1><p class="out">{escape(out)}</p>'
        f"<dl>{items}</dl>{notice_html}</header>"
        f"<main>{body}</main>"
        "<footer>Charts drawn by Vega-Lite (Altair, vl-convert) from DuckDB queries over the "
        "store's Parquet files; times are UTC.</footer></body></html>\n"
    )


def _section(section: Section) -> str:
    """A section: its title and its panels side by side, wrapping."""
    panels = "".join(_panel(panel) for panel in section.panels)
    return f'<section><h2>{escape(section.title)}</h2><div class="panels">{panels}</div></section>'


# A drawn panel as `_panel` writes it: the hash of its chart's spec, then the chart's SVG.
_DRAWN = re.compile(r'<figure id="[^"]*" data-spec="([0-9a-f]{64})">(<svg\b.*?</svg>)', re.S)


def drawn_figures(page: str) -> dict[str, str]:
    """The charts of a page written by `report_page`, SVG by the hash of their spec."""
    return dict(_DRAWN.findall(page))


def _panel(panel: Panel) -> str:
    """A chart in a figure with its note as caption, or the note alone."""
    note = escape(panel.note) if panel.note else ""
    if panel.svg is None:
        return f'<p class="note" id="{escape(panel.key)}">{note}</p>'
    caption = f"<figcaption>{note}</figcaption>" if note else ""
    spec = f' data-spec="{panel.spec}"' if panel.spec else ""
    return f'<figure id="{escape(panel.key)}"{spec}>{panel.svg}{caption}</figure>'
