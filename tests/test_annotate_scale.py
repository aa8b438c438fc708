"""Annotation at the edges: texts beyond max_length, long runs without whitespace, corrupt cache
entries, and the Dask schedulers (identical tables whichever process parses)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from factories import make_thread
from test_annotate import StandIn, write_inputs

from analysis import cli
from analysis import schema as S
from analysis.annotate import components
from analysis.annotate.longtext import LongRunTokenizer, chunk_bounds, run_pieces
from analysis.annotate.stage import TABLE_SPECS, annotate_corpus, annotate_dir
from analysis.errors import DiscourseError
from analysis.linking import RuleLinker

PARAGRAPH = (
    "Putin met Bennett in Sochi on Friday. The talks were long and the mood was tense. "
    "Israel wants Russia to restrain Iran in Syria! Nobody expects a quick deal?"
)


def long_comment(paragraphs: int) -> str:
    """Paragraphs of distinct sentences separated by blank lines."""
    return "\n\n".join(f"Paragraph {i}. {PARAGRAPH}" for i in range(paragraphs))


def assert_tables_equal(a: dict, b: dict) -> None:
    for name in TABLE_SPECS:
        pd.testing.assert_frame_equal(a[name], b[name])


# ---------------------------------------------------------------------- beyond max_length
def test_chunks_of_a_million_character_comment_cover_it_at_paragraph_breaks() -> None:
    text = long_comment(6000)
    text = (text * (1_048_576 // len(text) + 1))[:1_048_576]
    assert len(text) == 1_048_576
    bounds = chunk_bounds(text, 1_000_000)
    assert len(bounds) == 2
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
        assert end == start
    assert all(hi - lo <= 1_000_000 for lo, hi in bounds)
    cut = bounds[0][1]
    assert text[cut - 2 : cut] == "\n\n" and text[cut] == "P"  # after a blank line


def test_chunks_fall_back_to_sentence_ends_then_spaces_then_anywhere() -> None:
    sentences = "One short sentence here. " * 40
    (lo, cut), *_ = chunk_bounds(sentences, 100)
    assert sentences[cut - 2 : cut] == ". "
    words = "word " * 100
    assert all(words[hi - 1] == " " for _, hi in chunk_bounds(words, 64)[:-1])
    run = "x" * 250
    assert chunk_bounds(run, 100) == [(0, 100), (100, 200), (200, 250)]
    with pytest.raises(ValueError):
        chunk_bounds(run, 0)


def test_comment_beyond_max_length_is_annotated_in_chunks_and_slices_back() -> None:
    comment = long_comment(40)  # about 6,500 characters
    corpus, paragraphs = make_thread("Putin and Bennett meet", [PARAGRAPH], [comment, "Short one."])
    out = annotate_corpus(
        corpus, paragraphs, linker=StandIn(), use_cache=False, max_length=1000, progress=False
    )
    sentences = out["sentences"][out["sentences"][S.DOC_ID] == "t1/c1"]
    assert len(sentences) >= 4 * 40  # every paragraph's sentences, from every chunk
    for row in sentences.itertuples(index=False):
        assert comment[row.start_char : row.end_char] == row.text
    assert sentences[S.START_CHAR].is_monotonic_increasing
    assert sentences[S.END_CHAR].max() == len(comment)
    mentions = out["mentions"][out["mentions"][S.DOC_ID] == "t1/c1"]
    assert len(mentions) >= 40  # "Putin" in every paragraph
    for row in mentions.itertuples(index=False):
        assert comment[row.start_char : row.end_char] == row.text
    doc = out["documents"].set_index(S.DOC_ID).loc["t1/c1"]
    assert doc["is_annotated"] and doc["sentence_count"] == len(sentences)
    # cut at paragraph breaks, the chunks give the sentences one parse gives
    whole = annotate_corpus(corpus, paragraphs, linker=StandIn(), use_cache=False)
    one = whole["sentences"][whole["sentences"][S.DOC_ID] == "t1/c1"]
    assert sentences[S.TEXT].tolist() == one[S.TEXT].tolist()


# -------------------------------------------------------------------- runs without spaces
class RecordingTokenizer:
    """The stock tokenizer, recording the strings it is given."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer, self.seen = tokenizer, []

    def __call__(self, text):
        self.seen.append(text)
        return self.tokenizer(text)


def longest_run(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


@pytest.mark.parametrize("n", [300, 1200, 4800])
def test_emoji_runs_reach_the_tokenizer_in_bounded_pieces(n: int) -> None:
    """The work is linear: the stock tokenizer sees each character once, in runs of at most
    max_run characters however long the emoji run (its cost per run is quadratic)."""
    stock = components.annotation_pipeline().tokenizer.tokenizer
    recording = RecordingTokenizer(stock)
    text = "so funny " + "😂🤣❤️👍🏽" * (n // 4) + " lol 🇵🇸🇮🇱" + "!" * n
    doc = LongRunTokenizer(recording, max_run=50)(text)
    assert doc.text == text
    assert sum(len(s) for s in recording.seen) == len(text)
    assert max(longest_run(s) for s in recording.seen) <= 50
    if n <= 300:  # small enough for the stock tokenizer: the same tokens
        assert [t.text for t in doc] == [t.text for t in stock(text)]


def test_run_pieces_keep_emoji_sequences_whole() -> None:
    family = "👨\u200d👩\u200d👧"  # joined by zero-width joiners
    text = (family + "👍🏽" + "❤️") * 40
    for _lo, hi in run_pieces(text, max_run=20):
        assert text[hi - 1 : hi] != "\u200d"  # never cut after a joiner
        assert hi == len(text) or text[hi] not in ("\u200d", "\ufe0f", "🏽")
    assert "".join(text[lo:hi] for lo, hi in run_pieces(text, max_run=20)) == text


def test_emoji_spam_comment_is_annotated() -> None:
    corpus, paragraphs = make_thread("Title here", ["Body text."], ["😂" * 3000 + " Putin lol"])
    out = annotate_corpus(corpus, paragraphs, linker=StandIn(), use_cache=False, progress=False)
    doc = out["documents"].set_index(S.DOC_ID).loc["t1/c1"]
    assert doc["is_annotated"] and doc["token_count"] >= 3000
    assert doc["vader_compound"] > 0.5


# --------------------------------------------------------------------------- corrupt cache
@pytest.fixture(scope="module")
def thread():
    return make_thread(
        "Putin and Bennett meet",
        [PARAGRAPH],
        ["Putin is strong.", "I like Bennett.\n\nBut not Putin.", "Russia and Iran, again?"],
    )


def corrupt(cache_dir: Path, sql: str) -> int:
    with sqlite3.connect(cache_dir / "annotate.sqlite") as db:
        return db.execute(sql).rowcount


def test_bad_json_and_wrong_shaped_records_are_rebuilt(tmp_path: Path, thread) -> None:
    in_dir = write_inputs(tmp_path / "in", *thread)
    first = annotate_dir(in_dir, tmp_path / "a", linker=StandIn(), cache_dir=tmp_path / "c")
    before = {name: pd.read_parquet(path) for name, path in first["paths"].items()}
    rows = "SELECT key FROM records ORDER BY key LIMIT {} OFFSET {}"
    assert corrupt(tmp_path / "c", f"UPDATE records SET value = '{{not json' "
                   f"WHERE key IN ({rows.format(1, 0)})") == 1  # fmt: skip
    assert corrupt(tmp_path / "c", f"""UPDATE records SET value = '{{"lang": "en", "sents": 3}}'
                   WHERE key IN ({rows.format(1, 1)})""") == 1  # fmt: skip
    assert corrupt(tmp_path / "c", f"""UPDATE records SET value = '[1, 2]'
                   WHERE key IN ({rows.format(1, 2)})""") == 1  # fmt: skip
    again = annotate_dir(in_dir, tmp_path / "b", linker=StandIn(), cache_dir=tmp_path / "c")
    assert again["rebuilt"] == 3 and again["parsed"] == 3
    for name, path in again["paths"].items():
        pd.testing.assert_frame_equal(pd.read_parquet(path), before[name])
    third = annotate_dir(in_dir, tmp_path / "b", linker=StandIn(), cache_dir=tmp_path / "c")
    assert third["rebuilt"] == 0 and third["parsed"] == 0  # replaced by good records


def test_bad_parquet_blob_of_cached_entities_is_relinked(tmp_path: Path, thread) -> None:
    first = annotate_corpus(*thread, linker=StandIn(), cache_dir=tmp_path, progress=False)
    assert corrupt(tmp_path, "UPDATE thread_links SET entities = x'00ff00'") == 1
    again = annotate_corpus(*thread, linker=StandIn(), cache_dir=tmp_path, progress=False)
    assert_tables_equal(first, again)


def test_bad_parquet_blob_of_cached_mentions_is_one_clear_error(
    tmp_path: Path, thread, capsys
) -> None:
    in_dir = write_inputs(tmp_path, *thread)
    assert cli.main(["annotate", "--in", str(in_dir)]) == 0  # the rule linker
    cache = tmp_path / ".cache" / "annotate"
    assert corrupt(cache, "UPDATE thread_link_parts SET mentions = x'0102'") >= 1
    capsys.readouterr()
    assert cli.main(["annotate", "--in", str(in_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "annotate.sqlite" in err and "rm " in err
    assert "Traceback" not in err
    with pytest.raises(DiscourseError, match="rm .*annotate.sqlite"):
        annotate_dir(in_dir, linker=RuleLinker())


def test_unreadable_cache_file_is_one_clear_error(tmp_path: Path, thread, capsys) -> None:
    in_dir = write_inputs(tmp_path, *thread)
    cache = tmp_path / ".cache" / "annotate"
    cache.mkdir(parents=True)
    (cache / "annotate.sqlite").write_bytes(b"this is not a database" * 100)
    assert cli.main(["annotate", "--in", str(in_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert "annotate.sqlite" in err and "rm " in err and "Traceback" not in err


# ------------------------------------------------------------------------------------ Dask
def _dask():
    """``distributed``, or a skip (a failure under CI=true, where dask is installed)."""
    try:
        import distributed
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("dask[distributed] is not installed")
    return distributed


@pytest.fixture(scope="module")
def one_process(thread) -> dict:
    return annotate_corpus(*thread, linker=StandIn(), use_cache=False, progress=False)


def test_local_cluster_gives_the_same_tables(thread, one_process) -> None:
    _dask()
    out = annotate_corpus(
        *thread,
        linker=StandIn(),
        use_cache=False,
        scheduler="local-cluster",
        workers=2,
        batch_size=2,
        progress=False,
    )
    assert_tables_equal(one_process, out)


def test_tcp_scheduler_started_on_loopback_gives_the_same_tables(
    tmp_path: Path, thread, one_process, capsys
) -> None:
    distributed = _dask()
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        out = annotate_corpus(
            *thread, linker=StandIn(), use_cache=False, scheduler=address, progress=False
        )
        assert_tables_equal(one_process, out)
        in_dir = write_inputs(tmp_path, *thread)
        args = ["annotate", "--in", str(in_dir), "--no-cache", "--scheduler", address]
        assert cli.main(args) == 0
    rules = annotate_corpus(*thread, linker=RuleLinker(), use_cache=False, progress=False)
    for name in TABLE_SPECS:  # the command line links with the rule linker
        got = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(S.ALL_TABLES[name].conform(got), rules[name])


def test_unknown_scheduler_and_unreachable_cluster_are_clear_errors(thread) -> None:
    with pytest.raises(DiscourseError, match="unknown scheduler"):
        annotate_corpus(*thread, linker=StandIn(), use_cache=False, scheduler="threads")
    _dask()
    with pytest.raises(DiscourseError, match="no Dask scheduler"):
        annotate_corpus(*thread, linker=StandIn(), use_cache=False, scheduler="tcp://127.0.0.1:9")
