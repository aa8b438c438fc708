"""Compare's table loading: only the corpus columns it uses are read, with the same results."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from compare_factories import Comment, Sent, make_annotated_thread
from pandas.testing import assert_frame_equal

from analysis import schema as S
from analysis.compare import CORPUS_COLUMNS, OUTPUT_TABLES, compare_dir, compare_tables
from analysis.errors import StageInputError
from analysis.tables import read_columns, read_table, write_table

ARTICLE = [
    [Sent("Mayor Ada Park opened the bridge.", 0.3, entities=(("Ada Park", "Ada Park"),))],
    [Sent("The bridge cost ten million.", 0.0), Sent("Critics called it waste.", -0.5)],
]
DELETED = Sent("This comment has been deleted.", -0.2, lemmas="comment delete")


def _tables() -> dict[str, pd.DataFrame]:
    """A thread with placeholders and two comments naming Ada Park by one author."""
    comments = [
        [Sent("Ada Park did well.", 0.6, entities=("Ada Park",))],
        Comment([DELETED], placeholder=True),
        [Sent("Ada Park is wrong about the bridge.", -0.4, entities=("Ada Park",))],
        [Sent("The bridge is ugly.", -0.4)],
        Comment([DELETED], placeholder=True),
        [Sent("Ben Cole paid for the bridge.", 0.1, entities=("Ben Cole",))],
        [Sent("Ben Cole lies.", -0.6, entities=("Ben Cole",))],
    ]
    tables = make_annotated_thread(article=ARTICLE, comments=comments, thread_id="t1")
    corpus = tables["corpus"].copy()
    same = corpus[S.DOC_ID].isin(["t1/c1", "t1/c3"])
    corpus.loc[same, S.AUTHOR_ID] = "one-person"
    return {**tables, "corpus": corpus}


def _write(tables: dict[str, pd.DataFrame], folder) -> None:
    for name, frame in tables.items():
        write_table(frame, S.ALL_TABLES[name], folder)


def test_read_columns_reads_the_listed_columns_in_spec_order_with_spec_dtypes(tmp_path):
    tables = _tables()
    _write(tables, tmp_path)
    got = read_columns("corpus", tmp_path, [S.AUTHOR_ID, S.DOC_ID, S.THREAD_ID])
    assert list(got.columns) == [S.THREAD_ID, S.DOC_ID, S.AUTHOR_ID]
    full = read_table("corpus", tmp_path)
    assert_frame_equal(got, full[[S.THREAD_ID, S.DOC_ID, S.AUTHOR_ID]], check_exact=True)
    assert (got[S.AUTHOR_ID] == "one-person").sum() == 2


def test_read_columns_leaves_out_a_column_the_file_lacks(tmp_path):
    corpus = S.CORPUS.conform(_tables()["corpus"]).drop(columns=[S.IS_PLACEHOLDER])
    pq.write_table(pa.Table.from_pandas(corpus, preserve_index=False), tmp_path / "corpus.parquet")
    got = read_columns("corpus", tmp_path, CORPUS_COLUMNS)
    assert list(got.columns) == [S.THREAD_ID, S.DOC_ID, S.AUTHOR_ID]
    assert str(got[S.DOC_ID].dtype) == S.CORPUS.dtypes[S.DOC_ID]


def test_read_columns_refuses_unknown_missing_and_stale_tables(tmp_path):
    with pytest.raises(KeyError, match="no columns"):
        read_columns("corpus", tmp_path, [S.DOC_ID, "no_such_column"])
    assert read_columns("corpus", tmp_path, [S.DOC_ID], required=False) is None
    with pytest.raises(StageInputError, match="not found; run `discourse ingest`"):
        read_columns("corpus", tmp_path, [S.DOC_ID])
    write_table(_tables()["corpus"], S.CORPUS, tmp_path, fingerprint="old")
    with pytest.raises(StageInputError, match="stale"):
        read_columns("corpus", tmp_path, [S.DOC_ID], fingerprint="new")


def test_compare_dir_reading_part_of_the_corpus_gives_the_in_memory_tables(tmp_path):
    tables = _tables()
    _write(tables, tmp_path)
    from_disk = compare_dir(tmp_path, tmp_path / "out", seed=3)
    in_memory = compare_tables(tables, seed=3)
    for name in OUTPUT_TABLES:
        assert_frame_equal(from_disk[name], in_memory[name], check_exact=True, obj=name)
    # both corpus columns compare reads change results here, so leaving one out would show
    without_flags = compare_tables(
        {**tables, "corpus": tables["corpus"].drop(columns=[S.IS_PLACEHOLDER])}, seed=3
    )
    assert not without_flags["tone_summary"].equals(in_memory["tone_summary"])
    one_each = tables["corpus"].assign(**{S.AUTHOR_ID: tables["corpus"][S.DOC_ID]})
    without_authors = compare_tables({**tables, "corpus": one_each}, seed=3)
    assert not without_authors["agenda"].equals(in_memory["agenda"])


def test_compare_tables_needs_only_the_corpus_ids():
    tables = _tables()
    slim = tables["corpus"][list(CORPUS_COLUMNS)]
    out = compare_tables({**tables, "corpus": slim}, seed=3)
    assert_frame_equal(out["agenda"], compare_tables(tables, seed=3)["agenda"], check_exact=True)
    with pytest.raises(StageInputError, match=r"'corpus' table; missing columns \['doc_id'\]"):
        compare_tables({**tables, "corpus": slim.drop(columns=[S.DOC_ID])})


def test_compare_needs_no_span_texts_and_gives_the_same_tables():
    tables = _tables()
    full = compare_tables(tables, seed=3)
    textless = {
        name: frame.drop(columns=[S.TEXT])
        if name in ("sentences", "mentions", "paragraphs")
        else frame
        for name, frame in tables.items()
    }
    slim = compare_tables(textless, seed=3)
    for name in OUTPUT_TABLES:
        assert_frame_equal(slim[name], full[name], check_exact=True, obj=name)
    # the other annotate columns are still required, with the table named
    with pytest.raises(StageInputError, match=r"'sentences' table; missing columns \['lemmas'\]"):
        compare_tables({**tables, "sentences": tables["sentences"].drop(columns=["lemmas"])})


def test_compare_dir_does_not_read_the_span_texts(tmp_path, monkeypatch):
    import analysis.compare as compare_stage

    _write(_tables(), tmp_path)
    asked: dict[str, list[str]] = {}
    real = compare_stage.read_columns

    def spy(name, in_dir, columns, **kwargs):
        asked[name] = list(columns)
        return real(name, in_dir, columns, **kwargs)

    monkeypatch.setattr(compare_stage, "read_columns", spy)
    compare_dir(tmp_path, tmp_path / "out", seed=3)
    for name in ("sentences", "mentions", "paragraphs"):
        assert S.TEXT not in asked[name]
        assert set(asked[name]) == set(S.ALL_TABLES[name].names) - {S.TEXT}
