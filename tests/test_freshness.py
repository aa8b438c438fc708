"""Stage stamps (analysis.freshness), compare's reuse in the pipeline, and per-thread splitting."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from compare_factories import Sent, combine_threads, make_annotated_thread

from analysis import freshness, pipeline
from analysis import schema as S
from analysis.compare import OUTPUT_TABLES, compare_tables
from analysis.compare.scope import ThreadRows, per_thread
from analysis.tables import corpus_fingerprint, write_table


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_key_follows_input_bytes_and_options(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.parquet", "one")
    key = freshness.stage_key("compare", inputs=[a], options={"seed": 1})
    assert key == freshness.stage_key("compare", inputs=[a], options={"seed": 1})
    assert key != freshness.stage_key("compare", inputs=[a], options={"seed": 2})
    assert key != freshness.stage_key("figures", inputs=[a], options={"seed": 1})
    _write(a, "two")
    assert key != freshness.stage_key("compare", inputs=[a], options={"seed": 1})
    missing = freshness.stage_key("compare", inputs=[tmp_path / "b.parquet"], options={})
    _write(tmp_path / "b.parquet", "")
    assert missing != freshness.stage_key("compare", inputs=[tmp_path / "b.parquet"], options={})


def test_fresh_only_with_the_same_key_and_unchanged_outputs(tmp_path: Path) -> None:
    out = _write(tmp_path / "table.csv", "x\n1\n")
    assert not freshness.is_fresh(tmp_path, "compare", "k")  # never recorded
    freshness.record(tmp_path, "compare", "k", [out])
    assert freshness.is_fresh(tmp_path, "compare", "k")
    assert not freshness.is_fresh(tmp_path, "compare", "other key")
    _write(out, "x\n2\n")
    assert not freshness.is_fresh(tmp_path, "compare", "k")  # an output was edited
    freshness.record(tmp_path, "compare", "k", [out])
    out.unlink()
    assert not freshness.is_fresh(tmp_path, "compare", "k")  # an output was deleted
    _write(out, "x\n2\n")
    freshness.record(tmp_path, "compare", "k", [out])
    freshness.forget(tmp_path, "compare")
    assert not freshness.is_fresh(tmp_path, "compare", "k")
    (tmp_path / freshness.STAMP_DIR / "compare.json").write_text("{not json", encoding="utf-8")
    assert not freshness.is_fresh(tmp_path, "compare", "k")  # a broken stamp: rerun


def _two_threads() -> dict[str, pd.DataFrame]:
    return combine_threads(
        make_annotated_thread(
            article=[[Sent("Alice met Bob.", 0.5, entities=("Alice", "Bob"))]],
            comments=[[Sent("Bob is wrong.", -0.6, entities=("Bob",))], [Sent("Fine.", 0.2)]],
            thread_id="t1",
        ),
        make_annotated_thread(
            article=[[Sent("The plan failed.", -0.4, lemmas="plan fail")]],
            comments=[[Sent("Carol is right.", 0.6, entities=("Carol",))]],
            thread_id="t2",
        ),
    )


def _workspace(folder: Path) -> Path:
    tables = _two_threads()
    stamp = corpus_fingerprint(tables["corpus"])
    for name in ("corpus", "paragraphs", "sentences", "documents", "mentions", "entities"):
        write_table(tables[name], S.ALL_TABLES[name], folder, fingerprint=stamp)
    return folder


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))
    }


def test_compare_reuse_skips_fresh_tables_and_reruns_stale_ones(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    lines: list[str] = []
    first = pipeline.compare(in_dir=ws, reuse=True, log=lines.append)
    before = _digests(ws)
    lines.clear()
    again = pipeline.compare(in_dir=ws, reuse=True, log=lines.append)
    assert any("outputs are fresh" in line for line in lines)
    assert _digests(ws) == before
    for name in OUTPUT_TABLES:
        pd.testing.assert_frame_equal(again[name], first[name], check_dtype=False)
    # Without reuse (the single-stage command) it recomputes.
    lines.clear()
    pipeline.compare(in_dir=ws, log=lines.append)
    assert not any("outputs are fresh" in line for line in lines)
    # A changed option, or a deleted output, reruns the stage even with reuse.
    lines.clear()
    pipeline.compare(in_dir=ws, reuse=True, seed=7, log=lines.append)
    assert not any("outputs are fresh" in line for line in lines)
    pipeline.compare(in_dir=ws, reuse=True, log=lines.append)  # back to the default seed
    (ws / "agenda.parquet").unlink()
    lines.clear()
    pipeline.compare(in_dir=ws, reuse=True, log=lines.append)
    assert not any("outputs are fresh" in line for line in lines)
    assert _digests(ws) == before


def test_thread_rows_equal_per_thread_filters() -> None:
    rng = np.random.default_rng(0)
    ids = rng.choice(["b", "a", "c", S.POOLED], size=40).astype(object)
    ids[3] = None
    frame = pd.DataFrame(
        {S.THREAD_ID: pd.array(ids, dtype="string"), "x": np.arange(40)},
        index=rng.permutation(40),
    )
    rows = ThreadRows(frame)
    for scope in ("a", "b", "c", "absent", S.POOLED):
        pd.testing.assert_frame_equal(rows(scope), per_thread(frame, scope))
    no_pooled = frame[frame[S.THREAD_ID] != S.POOLED]
    pd.testing.assert_frame_equal(ThreadRows(no_pooled)(S.POOLED), no_pooled)


@pytest.mark.parametrize("order", [["t1", "t2"], ["t2", "t1"]])
def test_compare_tables_do_not_depend_on_row_order(order: list[str]) -> None:
    """Splitting by thread gives the tables of the per-thread filters whatever the row order."""
    tables = _two_threads()
    shuffled = {
        name: pd.concat([per_thread(t, tid) for tid in order], ignore_index=True)
        if S.THREAD_ID in t.columns
        else t
        for name, t in tables.items()
    }
    expected, got = compare_tables(tables), compare_tables(shuffled)
    for name in ("agenda", "actor_tone", "tone_shares", "keyness", "headlines"):
        pd.testing.assert_frame_equal(got[name], expected[name])


def test_most_frequent_counts_and_breaks_ties_alphabetically() -> None:
    from analysis.compare.tone import most_frequent

    frame = pd.DataFrame(
        {
            "k": pd.array(["b", "a", "a", "b", None, "c", "c", "a"], dtype="string"),
            "v": pd.array(["y", "x", "z", "x", "q", None, "w", "z"], dtype="string"),
        }
    )
    got = most_frequent(frame, "k", "v")
    assert got.to_dict() == {"a": "z", "b": "x", "c": "w"}  # a: z twice; b: x/y tie -> x
    assert list(got.index) == ["a", "b", "c"] and got.index.name == "k"


def test_thread_sources_one_row_per_thread_in_corpus_order() -> None:
    from analysis.present.provenance import thread_sources

    corpus = pd.DataFrame(
        {
            S.THREAD_ID: ["t2", "t2", "t1", "t2", "t1"],
            S.DOC_KIND: [S.ARTICLE, S.COMMENT, S.COMMENT, S.COMMENT, S.ARTICLE],
            "title": [None, None, None, None, "Title one"],
            "source_file": ["a2.md", "c2.csv", "c1.csv", "c2b.csv", "a1.md"],
            "source_format": ["md", "csv", "csv", "csv", "md"],
        }
    )
    got = thread_sources(corpus)
    assert list(got[S.THREAD_ID]) == ["t2", "t1"]
    assert list(got["title"]) == ["", "Title one"]
    assert list(got["source_file"]) == ["c2.csv", "c1.csv"]  # the first comment's file
    assert list(got["comment_count"]) == [2, 1]
