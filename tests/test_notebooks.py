"""The six notebooks: stored clean, structured alike, and executed on the seed."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED = [
    "01-corpus.ipynb",
    "02-entities.ipynb",
    "03-sentiment.ipynb",
    "04-topics-and-terms.ipynb",
    "05-framing-vs-reactions.ipynb",
    "06-conversation.ipynb",
]


def test_the_six_notebooks_exist_in_reading_order():
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_clean_and_structured(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "clear outputs"
    assert cells[0]["cell_type"] == "markdown" and "**Question.**" in "".join(cells[0]["source"])
    tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1 and "INPUTS" in "".join(tagged[0]["source"])
    assert "versions()" in "".join(cells[-1]["source"])
    sources = ["".join(c["source"]) for c in cells]
    quoting = ("comment_examples(", "hostile_examples(", "most_liked_examples(")
    shows_text = [i for i, s in enumerate(sources) if any(q in s for q in quoting)]
    for i in shows_text:
        assert any("Content note" in s for s in sources[:i]), "comment text needs a content note"
    # thin notebooks: logic lives in analysis/, so no function or class definitions here
    for source in (sources[i] for i, c in enumerate(cells) if c["cell_type"] == "code"):
        lines = [line.lstrip() for line in source.splitlines()]
        assert not any(line.startswith(("def ", "class ")) for line in lines)


def test_figure_cells_end_with_the_result_so_the_image_shows(tables_for_display):
    """A cell ending in ``.figure`` printed ``<Figure size 640x400 with 1 Axes>``; the result
    itself displays as its PNG through IPython's formatter."""
    from IPython.core.formatters import DisplayFormatter

    from analysis.present import figures

    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            source = "".join(cell["source"]).strip()
            if cell["cell_type"] == "code" and "figures.plot_" in source:
                assert not source.endswith(".figure"), (path.name, source)
                assert source.endswith(")"), (path.name, source)
    result = figures.plot_tone_shares(tables_for_display["tone_shares"])
    data, _ = DisplayFormatter().format(result)
    assert data["image/png"].startswith(b"\x89PNG") and "tone_shares" in data["text/plain"]


def test_parameters_derive_the_work_folder_from_the_inputs(tmp_path):
    from analysis.pipeline import work_dir_for

    assert work_dir_for([config.SEED_FILE]) == config.PROCESSED_DIR
    a, b = work_dir_for([tmp_path / "a.csv"]), work_dir_for([tmp_path / "b.csv"])
    assert a != b and a.parent == config.PROCESSED_DIR and a.name.startswith("a-")
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        assert "WORK_DIR = None" in "".join(params["source"])


@pytest.fixture(scope="session")
def tables_for_display():
    from figure_factories import make_tables

    return make_tables()


@pytest.fixture(scope="session", params=["seed", "two-threads"])
def corpus(request, tmp_path_factory):
    """(inputs, articles, work folder) with the tables built once per corpus."""
    from thread_files import write_two_threads

    from analysis.pipeline import build_tables

    out = tmp_path_factory.mktemp(f"nb-{request.param}")
    if request.param == "seed":
        inputs, articles = [config.SEED_FILE], []
    else:
        inputs, articles = write_two_threads(out / "input")
    build_tables(inputs, out / "work", articles=articles, until="compare", log=lambda *_: None)
    return inputs, articles, out / "work"


def _figure_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and "figures.plot_" in c.source]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_and_shows_its_figures(path, corpus):
    inputs, articles, work_dir = corpus
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    injected = nbformat.v4.new_code_cell(
        f"INPUTS = {[str(p) for p in inputs]!r}\n"
        f"ARTICLES = {[str(p) for p in articles]!r}\n"
        f"WORK_DIR = Path({str(work_dir)!r})"
    )
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, injected)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}},
    )
    client.execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    for cell in _figure_cells(nb):
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert images, f"{path.name}: figure cell shows no image: {cell.source}"
    frames = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/html" in o.get("data", {}) and "<table" in o["data"]["text/html"]
    ]
    assert frames, "tables should display as frames"
    # the last cell shows the versions table, with the spaCy pipeline in it
    last = nb.cells[-1].outputs[0]["data"]["text/plain"]
    assert "spaCy pipeline" in last
