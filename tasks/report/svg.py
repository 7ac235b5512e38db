"""A chart rendered to SVG text that can sit inline in a page beside other charts."""

from __future__ import annotations

import io
import re
from typing import Any

_ID = re.compile(r'\bid="([^"]+)"')


def chart_svg(chart: Any, scope: str) -> str:
    """The SVG of an Altair chart (rendered by vl-convert, offline), its ids made unique by
    `scope`.
    """
    styled = (
        chart.configure_title(fontSize=15, anchor="start", subtitleColor="#555")
        .configure_axis(labelFontSize=11, titleFontSize=12, titleFontWeight="normal")
        .configure_legend(labelFontSize=11, titleFontSize=12)
        .configure_view(stroke=None)
    )
    buffer = io.StringIO()
    styled.save(buffer, format="svg")
    return scoped_ids(buffer.getvalue(), scope)


def scoped_ids(svg: str, scope: str) -> str:
    """`svg` with each element id, and each reference to it, prefixed by `scope`.

    Vega names the gradients and clip paths of every chart alike (`gradient_0`); inline in one
    page, a reference would find the first chart's element, not its own.
    """
    for name in dict.fromkeys(_ID.findall(svg)):
        svg = svg.replace(f'id="{name}"', f'id="{scope}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{scope}-{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{scope}-{name}"')
    return svg
