"""The markdown report a run publishes as its Prefect artifact."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flows.report import run_markdown
from tasks.summary import RunCounts, RunSummary


def _summary(**changes: object) -> RunSummary:
    """A run that processed 10 inputs in 4 seconds."""
    fields: dict[str, object] = {
        "run_id": "run-1",
        "source": "/data/in",
        "output": "/data/out",
        "discovered": 12,
        "counts": RunCounts(
            documents=7,
            paragraphs=40,
            rejects=Counter({"missing_date": 2, "empty": 1}),
            languages=Counter({"en": 5, "de": 2}),
        ),
        "unchanged": 2,
        "pruned": 0,
        "skipped": {"other file type": 3},
        "elapsed_seconds": 4.0,
        "dates": (date(2024, 1, 3), date(2024, 11, 2)),
    }
    return RunSummary(**{**fields, **changes})  # type: ignore[arg-type]


def _rows(markdown: str) -> dict[str, str]:
    """The name and value cells of the report's table."""
    rows = [line.strip("|").split(" | ") for line in markdown.splitlines() if line.startswith("| ")]
    return {name.strip(): value.strip() for name, value in rows}


def test_report_table_counts_what_the_run_did() -> None:
    rows = _rows(run_markdown(_summary()))

    assert rows["inputs"] == "12 found, 10 processed, 2 unchanged"
    assert rows["documents"] == "7"
    assert rows["paragraphs"] == "40"
    assert rows["rejects"] == "3"
    assert rows["rejects: missing_date"] == "2"
    assert rows["rejects: empty"] == "1"
    assert rows["languages"] == "en 5, de 2"
    assert rows["date range"] == "2024-01-03 to 2024-11-02"
    assert rows["docs/s"] == "2.5"
    assert rows["skipped"] == "other file type 3"


def test_report_of_a_run_with_nothing_new() -> None:
    summary = _summary(counts=RunCounts(), dates=None, elapsed_seconds=0.0, skipped={})
    rows = _rows(run_markdown(summary))

    assert rows["documents"] == "0"
    assert rows["date range"] == "-"
    assert rows["languages"] == "-"
    assert rows["docs/s"] == "0.0"
    assert not any(name.startswith("rejects:") for name in rows)


def test_report_keeps_its_table_intact_around_pipes() -> None:
    markdown = run_markdown(_summary(source="/data/a|b"))

    assert "| source | /data/a\\|b |" in markdown.splitlines()


def test_report_links_the_stores_html_report() -> None:
    linked = _rows(run_markdown(_summary(report="file:///data/my%20out/report.html")))
    unwritten = _rows(run_markdown(_summary()))

    assert linked["report"] == "[report.html](file:///data/my%20out/report.html)"
    assert unwritten["report"] == "not written"
