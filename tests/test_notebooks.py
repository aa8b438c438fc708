"""The five notebooks: stored clean, structured alike, and executed on the seed."""

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


def test_the_five_notebooks_exist_in_reading_order():
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
    shows_text = [i for i, s in enumerate(sources) if "comment_examples(" in s]
    for i in shows_text:
        assert any("Content note" in s for s in sources[:i]), "comment text needs a content note"
    # thin notebooks: logic lives in analysis/, so no function or class definitions here
    for source in (sources[i] for i, c in enumerate(cells) if c["cell_type"] == "code"):
        lines = [line.lstrip() for line in source.splitlines()]
        assert not any(line.startswith(("def ", "class ")) for line in lines)


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory):
    from analysis.pipeline import build_tables

    out = tmp_path_factory.mktemp("nb-work")
    build_tables([config.SEED_FILE], out, until="compare", log=lambda *_: None)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_on_the_seed(path, work_dir):
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    injected = nbformat.v4.new_code_cell(f"WORK_DIR = Path({str(work_dir)!r})")
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
    # the last cell shows the versions table, with the spaCy pipeline in it
    last = nb.cells[-1].outputs[0]["data"]["text/plain"]
    assert "spaCy pipeline" in last
