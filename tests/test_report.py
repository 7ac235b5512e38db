"""`docprep report`: the page over stores written by real runs, checked against DuckDB reads."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from tasks.identity import doc_id_for
from tasks.output import recorded_runs
from tasks.report import corpus_report, datasets, load_report_engine, queries, signals
from tasks.report.datasets import store_views
from tasks.report.location import report_address
from tasks.report.page import drawn_figures
from tasks.report.queries import FOLDER, nice_bin_width
from tasks.report.svg import is_plain_drawing, scoped_ids
from tasks.storage import Folder, output_lock
from tasks.storage.ownership import MARKER, check_output_folder
from tests.duckdb_reads import rows
from tests.inputs import FRENCH, GERMAN, story

pytestmark = pytest.mark.usefixtures("prefect_server")

REPO = Path(__file__).resolve().parent.parent
# Each chart of a store with documents and rejects, by its figure's id.
CHARTS = ("per-day", "folders-per-week", "languages", "formats", "folders", "lengths")
CHARTS += ("rejects", "runs", "quality")
LATER = date(2030, 1, 1)  # "today" for the queries: after every date of the source


def source_files() -> dict[str, bytes]:
    """Documents in three folders and at the top, one undated and one far off; two rejects."""
    return {
        "wire/a1.txt": story("2024-11-01", "the harbour"),
        "wire/a2.txt": story("2024-11-01", "the harbour plan"),
        "wire/a3.txt": story("2024-11-05", "the library"),
        "blogs/b1.txt": f"date 2024-10-28 {GERMAN}".encode(),
        "blogs/b2.txt": f"date 2024-11-03 {FRENCH}".encode(),
        "old.txt": story("0024-03-05", "the aqueduct"),
        "pages/undated.html": (REPO / "tests/fixtures/html/undated.html").read_bytes(),
        "bad/empty.txt": b"",
        "bad/no_header.txt": b"no header here, only a sentence or two of text",
    }


def write_source(root: Path, files: dict[str, bytes]) -> Path:
    """`files` written under `root`."""
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, prefect_server: str) -> Path:
    """OUT after one `docprep run` over the source above."""
    root = tmp_path_factory.mktemp("report")
    source = write_source(root / "source", source_files())
    assert main(["run", str(source), "--output", str(root / "out")]) == EXIT_OK
    return root / "out"


@pytest.fixture(scope="module")
def signals_store(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the store whose documents carry chosen quality flags, and whose clusters are
    set by hand: a1 and a2 one story.
    """
    out = shutil.copytree(store, tmp_path_factory.mktemp("signals") / "out")
    flags = {"wire/a1.txt": ["gopher_short_doc"], "wire/a2.txt": ["gopher_short_doc", "top_2_gram"]}
    for path in out.glob("documents/month=*/part-0.parquet"):
        table = pq.read_table(path)
        table = table.drop_columns(["quality_flags"])
        sources = table.column("source").to_pylist()
        table = table.append_column(
            "quality_flags", pa.array([flags.get(s, []) for s in sources], pa.list_(pa.string()))
        )
        pq.write_table(table, path)
    clusters = {doc_id_for("wire/a1.txt"): "harbour", doc_id_for("wire/a2.txt"): "harbour"}
    for path in out.glob("duplicates/month=*/part-0.parquet"):
        table = pq.read_table(path)
        ids = table.column("doc_id").to_pylist()
        column = pa.array([clusters.get(doc_id, doc_id) for doc_id in ids], pa.string())
        table = table.set_column(table.schema.get_field_index("cluster_id"), "cluster_id", column)
        pq.write_table(table, path)
    return out


def facts(page: str) -> dict[str, str]:
    """The header's values by label."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page)
    return {html.unescape(label): html.unescape(value) for label, value in pairs}


def figures(page: str) -> dict[str, str]:
    """Each figure's markup by its id."""
    return dict(re.findall(r'<figure id="([^"]+)"[^>]*>(.*?)</figure>', page, flags=re.S))


def notes(page: str) -> str:
    """The text of the page's notes and captions."""
    found = re.findall(r'<(?:p class="(?:note|notice)"[^>]*|figcaption)>(.*?)</', page)
    return html.unescape(" ".join(found))


def test_a_run_writes_the_report_into_its_store(store: Path) -> None:
    page = (store / "report.html").read_text()

    assert facts(page)["documents"] == "7"
    assert sorted(figures(page)) == sorted([*CHARTS, "duplicates"])
    unmarked = shutil.copytree(store, store.parent / "unmarked")
    (unmarked / MARKER).unlink()
    check_output_folder(Folder(unmarked))  # a store from before the marker, with its report


def test_report_header_counts_what_duckdb_reads(store: Path, tmp_path: Path) -> None:
    before = {path: path.stat().st_mtime_ns for path in store.rglob("*")}
    target = tmp_path / "elsewhere" / "corpus.html"

    assert main(["report", str(store), "--html", str(target)]) == EXIT_OK
    header = facts(target.read_text())

    assert {path: path.stat().st_mtime_ns for path in store.rglob("*")} == before
    ((documents, paragraphs, words, first, last, undated),) = rows(
        store,
        "SELECT count(*), sum(n_paragraphs), sum(n_words), min(date), max(date), "
        "count(*) FILTER (WHERE date IS NULL) FROM {documents}",
    )
    ((rejects,),) = rows(store, "SELECT count(*) FROM {rejects}")
    assert header["documents"] == f"{documents:,}"
    assert header["paragraphs"] == f"{paragraphs:,}"
    assert header["words"] == f"{words:,}"
    assert header["rejects"] == f"{rejects} ({rejects / (documents + rejects):.1%} of inputs)"
    assert header["document dates"] == f"{first} to {last}"
    assert header["undated documents"] == str(undated)
    (run,) = recorded_runs(Folder(store)).to_pylist()
    assert header["last run"].startswith(run["started_at"].strftime("%Y-%m-%d %H:%M UTC, cli: "))
    assert f"{run['processed']} processed in" in header["last run"]


def test_report_draws_each_chart_and_says_what_is_absent(store: Path) -> None:
    page = (store / "report.html").read_text()
    drawn = figures(page)

    for chart in CHARTS:
        assert drawn[chart].startswith("<svg"), chart
    said = notes(page)
    assert "quality_flags" not in said  # a run's documents carry them
    assert "`duplicates` table yet" not in said  # every run clusters its documents
    assert "Distinct stories per day appear" not in said
    assert "Not drawn: 1 document dated outside these days." in said  # the year 24
    assert "Not drawn: 2 more folders" not in said  # four folders: all drawn


def test_report_fetches_nothing(store: Path) -> None:
    page = (store / "report.html").read_text()

    for fetching in ("<script", "<link", "<img", "<iframe", "src=", "@import", "url(http"):
        assert fetching not in page
    assert set(re.findall(r'href="(.)', page)) <= {"#"}
    # Only the SVG namespaces name another host, and a namespace is never fetched.
    hosts = set(re.findall(r"https?://([^/\"' ]+)", page))
    assert hosts <= {"www.w3.org"}


def test_documents_per_day_counts_every_day_of_the_window(store: Path) -> None:
    with store_views(Folder(store)) as views:
        window = queries.day_window(views, LATER)
        assert window is not None
        per_day = queries.documents_per_day(views, window).to_pylist()

    assert (window.start, window.end, window.outside) == (date(2024, 10, 28), date(2024, 11, 5), 1)
    dated = {"2024-10-28": 1, "2024-11-01": 2, "2024-11-03": 1, "2024-11-05": 1}
    days = [date(2024, 10, 28) + timedelta(days=n) for n in range(9)]
    assert [row["day"] for row in per_day] == [day.isoformat() for day in days]
    assert {row["day"]: row["documents"] for row in per_day if row["documents"]} == dated


def test_the_timeline_ends_at_the_last_date_not_in_the_future(store: Path) -> None:
    with store_views(Folder(store)) as views:
        window = queries.day_window(views, date(2024, 11, 2))

    assert window is not None
    assert (window.start, window.end, window.outside) == (date(2024, 10, 28), date(2024, 11, 1), 3)


def test_documents_by_folder_language_and_format_match_duckdb(store: Path) -> None:
    with store_views(Folder(store)) as views:
        folders = queries.documents_by(views, FOLDER, limit=2)
        languages = queries.documents_by(views, "language")
        formats = queries.documents_by(views, "format")

    assert folders.top.to_pylist() == [
        {"value": "wire", "documents": 3},
        {"value": "blogs", "documents": 2},
    ]
    assert (folders.other_values, folders.other_documents) == (2, 2)  # old.txt, pages/
    expected = rows(
        store,
        "SELECT coalesce(language, 'unknown'), count(*) AS n FROM {documents} "
        "GROUP BY 1 ORDER BY n DESC, 1",
    )
    assert [(row["value"], row["documents"]) for row in languages.top.to_pylist()] == expected
    assert {row["value"]: row["documents"] for row in formats.top.to_pylist()} == {
        "txt": 6,
        "html": 1,
    }


def test_word_histogram_puts_each_document_in_its_bin(store: Path) -> None:
    with store_views(Folder(store)) as views:
        histogram = queries.word_histogram(views)

    words = [n for (n,) in rows(store, "SELECT n_words FROM {documents}")]
    width = histogram.width
    expected: dict[int, int] = {}
    for n in words:
        start = min(n // width, queries.HISTOGRAM_BINS) * width
        expected[start] = expected.get(start, 0) + 1
    assert {row["start"]: row["documents"] for row in histogram.bins.to_pylist()} == expected
    assert all(row["end"] == row["start"] + width for row in histogram.bins.to_pylist())


@pytest.mark.parametrize(
    ("largest", "width"),
    [(0, 1), (29, 1), (30, 1), (31, 2), (60, 2), (61, 5), (600, 20), (601, 50), (3e5, 10_000)],
)
def test_bin_width_is_a_round_number_giving_at_most_30_bins(largest: float, width: int) -> None:
    assert nice_bin_width(largest) == width


@pytest.mark.parametrize(
    ("svg", "scoped"),
    [
        ('<svg><g id="a"/></svg>', '<svg><g id="c-a"/></svg>'),
        (
            '<linearGradient id="gradient_0"/><rect fill="url(#gradient_0)"/>',
            '<linearGradient id="c-gradient_0"/><rect fill="url(#c-gradient_0)"/>',
        ),
        (
            '<clipPath id="clip1"/><use href="#clip1"/>',
            '<clipPath id="c-clip1"/><use href="#c-clip1"/>',
        ),
        ('<rect fill="url(#elsewhere)"/>', '<rect fill="url(#elsewhere)"/>'),
    ],
)
def test_svg_ids_are_scoped_to_their_chart(svg: str, scoped: str) -> None:
    assert scoped_ids(svg, "c") == scoped


def test_report_address_is_a_file_uri_locally(tmp_path: Path) -> None:
    out = tmp_path / "my store"

    assert report_address(Folder(out)) == (out / "report.html").as_uri()
    assert "%20" in report_address(Folder(out))


def test_quality_flags_and_clusters_are_drawn_once_the_store_holds_them(
    signals_store: Path, tmp_path: Path
) -> None:
    assert main(["report", str(signals_store), "--html", str(tmp_path / "r.html")]) == EXIT_OK
    page = (tmp_path / "r.html").read_text()

    assert sorted(figures(page)) == sorted([*CHARTS, "duplicates"])
    assert "column yet" not in notes(page)
    assert facts(page)["duplicate copies"] == "1 (14.3%)"  # a2 copies a1: 1 of 7 documents
    with store_views(Folder(signals_store)) as views:
        counts, clean = signals.quality_flag_counts(views)
        clusters = signals.largest_clusters(views).to_pylist()
        window = queries.day_window(views, LATER)
        assert window is not None
        stories = signals.stories_per_day(views, queries.window_days(window)).to_pylist()
    assert counts.to_pylist() == [
        {"rule": "gopher_short_doc", "documents": 2},
        {"rule": "top_2_gram", "documents": 1},
    ]
    assert clean == 5
    earliest = min(["wire/a1.txt", "wire/a2.txt"], key=doc_id_for)  # same day: by doc_id
    ((title,),) = rows(
        signals_store,
        f"SELECT coalesce(title, source) FROM {{documents}} WHERE source = '{earliest}'",
    )
    assert clusters == [{"cluster_id": "harbour", "story": title, "copies": 2}]
    by_day = {row["day"]: row["stories"] for row in stories}
    assert (by_day["2024-11-01"], by_day["2024-11-03"], by_day["2024-10-29"]) == (1, 1, 0)


def test_a_report_held_in_memory_is_the_one_read_file_by_file(
    signals_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its views are held in memory up to HELD_ROWS rows; above, each query reads the files.
    out = Folder(shutil.copytree(signals_store, tmp_path / "out"))
    now = datetime(2030, 1, 1, tzinfo=UTC)
    out.delete_file("report.html")  # nothing taken from an earlier page: every chart drawn
    held = corpus_report(out, now)
    monkeypatch.setattr(datasets, "HELD_ROWS", 0)
    read = corpus_report(out, now)

    # Each chart's spec hash covers its data; vl-convert numbers gradients per process.
    assert list(drawn_figures(held)) == list(drawn_figures(read))
    assert len(drawn_figures(held)) == len([*CHARTS, "duplicates"])
    assert (facts(held), notes(held)) == (facts(read), notes(read))


def test_a_report_draws_again_only_the_charts_whose_data_changed(
    signals_store: Path, tmp_path: Path
) -> None:
    # The copy's report.html is the one its run wrote, before its flags and clusters were set:
    # each chart of it is marked, so that a chart taken from it rather than drawn is seen.
    out = shutil.copytree(signals_store, tmp_path / "out")
    earlier = (out / "report.html").read_text()
    marked = re.sub(
        r'(<figure id="([^"]+)" data-spec="[0-9a-f]{64}"><svg\b[^>]*>)',
        r"\1<desc>earlier \2</desc>",
        earlier,
    )
    assert marked.count("<desc>earlier ") == len(figures(earlier)) == len(CHARTS) + 1
    (out / "report.html").write_text(marked)

    assert main(["report", str(out)]) == EXIT_OK
    page = (out / "report.html").read_text()

    taken = {key for key, figure in figures(page).items() if f"<desc>earlier {key}<" in figure}
    # Its runs, rejects and documents are as before; its flags and clusters are new.
    assert taken == set(CHARTS) - {"quality"}
    assert "top_2_gram" in figures(page)["quality"]
    fresh = tmp_path / "fresh.html"
    assert main(["report", str(signals_store), "--html", str(fresh)]) == EXIT_OK
    unmarked = re.sub(r"<desc>earlier [^<]*</desc>", "", page)
    assert unmarked == fresh.read_text().replace(str(signals_store), str(out))


@pytest.mark.parametrize(
    "edit",
    [
        ("<svg ", '<svg onload ="alert(1)" '),
        ("<svg ", "<svg ONLOAD=alert(1) "),
        ("</svg>", '<a href="javascript:alert(1)"><text>x</text></a></svg>'),
        ("</svg>", "<script>alert(1)</script></svg>"),
        ("</svg>", '<foreignObject><iframe srcdoc="x"/></foreignObject></svg>'),
        ("</svg>", '<animate attributeName="href" to="javascript:alert(1)"/></svg>'),
        ("</svg>", "<style>@import url(https://example.org/x.css)</style></svg>"),
        ("</svg>", '<rect fill="url(https://example.org/x)"/></svg>'),
        ("</svg>", '<image href="https://example.org/x.png"/></svg>'),
        ("</svg>", "<!-- a comment --></svg>"),
        ("</svg>", '<g id="unclosed">'),  # not well-formed
    ],
)
def test_an_edited_chart_is_never_carried_into_a_new_report(
    store: Path, tmp_path: Path, edit: tuple[str, str]
) -> None:
    out = shutil.copytree(store, tmp_path / "out")
    page = (out / "report.html").read_text()
    drawn = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert len(drawn) == len(figures(page)) and all(map(is_plain_drawing, drawn))
    runs = re.findall(r"<svg\b.*?</svg>", figures(page)["runs"], flags=re.S)[0]
    edited = runs.replace(edit[0], edit[1], 1)
    assert not is_plain_drawing(edited)
    (out / "report.html").write_text(page.replace(runs, edited))

    assert main(["report", str(out)]) == EXIT_OK
    new = (out / "report.html").read_text()

    assert edit[1] not in new
    assert figures(new)["runs"].startswith("<svg")


def test_report_of_an_empty_folder_is_a_clear_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()

    assert main(["report", str(out)]) == EXIT_OK
    page = (out / "report.html").read_text()

    assert "holds no documents and no rejects yet" in notes(page)
    assert figures(page) == {}
    assert "No runs recorded yet." in notes(page)
    check_output_folder(Folder(out))  # now a store, with its marker: a run may fill it


def test_report_of_a_store_with_only_rejects(tmp_path: Path) -> None:
    bad = {name: data for name, data in source_files().items() if name.startswith("bad/")}
    source = write_source(tmp_path / "source", bad)
    assert main(["run", str(source), "--output", str(tmp_path / "out")]) == EXIT_OK

    assert main(["report", str(tmp_path / "out")]) == EXIT_OK
    page = (tmp_path / "out" / "report.html").read_text()

    assert "every input was rejected" in notes(page)
    assert "No documents yet." in notes(page)
    assert sorted(figures(page)) == ["rejects", "runs"]
    assert facts(page)["rejects"] == "2 (100.0% of inputs)"


def test_report_does_not_write_into_a_store_a_run_is_writing(store: Path, tmp_path: Path) -> None:
    before = (store / "report.html").read_bytes()

    with output_lock(Folder(store)):  # a run is writing OUT
        assert main(["report", str(store)]) == EXIT_FAILED
        assert main(["report", str(store), "--html", str(tmp_path / "r.html")]) == EXIT_OK
    assert (store / "report.html").read_bytes() == before
    assert "<svg" in (tmp_path / "r.html").read_text()


def test_report_leaves_folders_it_did_not_make_alone(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")

    assert main(["report", str(mine)]) == EXIT_USAGE
    assert main(["report", str(tmp_path / "missing")]) == EXIT_USAGE
    assert [path.name for path in mine.iterdir()] == ["notes.txt"]
    assert not (tmp_path / "missing").exists()


# Debian's chromium in the machine's closed network: no first-run, sync or update traffic.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/report-screenshot.png")


def test_report_opens_in_chromium_offline_with_every_chart_drawn(
    signals_store: Path, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed: `make test` installs it as root with apt-get")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev) not installed")
    report = tmp_path / "report.html"
    assert main(["report", str(signals_store), "--html", str(report)]) == EXIT_OK
    console: list[str] = []
    requests: list[str] = []

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri(), wait_until="load")
        drawn = page.evaluate(
            """() => [...document.querySelectorAll('figure')].map(figure => {
                const svg = figure.querySelector('svg');
                const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
                const marks = svg ? [...svg.querySelectorAll('.role-mark path, .role-mark line')]
                    .filter(mark => mark.getBoundingClientRect().width > 0
                                 || mark.getBoundingClientRect().height > 0).length : 0;
                return {id: figure.id, width: box.width, height: box.height, marks: marks};
            })"""
        )
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    shutil.copyfile(tmp_path / "report.png", SCREENSHOT)

    assert console == []
    assert requests == [report.as_uri()]
    assert sorted(chart["id"] for chart in drawn) == sorted([*CHARTS, "duplicates"])
    for chart in drawn:
        assert chart["width"] > 200 and chart["height"] > 50, chart
        assert chart["marks"] > 0, chart
    assert (tmp_path / "report.png").stat().st_size > 20_000


def test_the_report_engine_loads_ahead_of_a_report(store: Path, tmp_path: Path) -> None:
    # What a run's flow process does while its workers process batches (flows/ingest.py). In
    # a fresh process, where nothing has loaded the report's libraries yet:
    check = (
        "import sys; from tasks.report import load_report_engine; "
        "wanted = {'altair', 'duckdb', 'tasks.report.corpus'}; "
        "before = wanted & set(sys.modules); load_report_engine(); "
        "print(sorted(before), sorted(wanted - set(sys.modules)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.split() == ["[]", "[]"]  # none loaded before, none missing after
    load_report_engine()
    out = Folder(shutil.copytree(store, tmp_path / "out"))
    out.delete_file("report.html")

    page = corpus_report(out, datetime(2030, 1, 1, tzinfo=UTC))

    assert set(CHARTS) <= set(figures(page))
    assert all(is_plain_drawing(svg) for svg in drawn_figures(page).values())
