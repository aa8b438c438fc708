"""ingest_paths / write_ingest / the ``discourse ingest`` command."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis import schema as S
from analysis.cli import main
from analysis.errors import DiscourseError, FormatError, InputError
from analysis.ingest.corpus import estimate_date, pseudonym
from analysis.ingest.stage import format_summary, ingest_paths, write_ingest
from analysis.tables import read_table

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = FIXTURES / "article.md"
NON_SEED = [
    "ytcd_comments.jsonl",
    "ytcd_comments_pretty.json",
    "youtube_api_page.json",
    "youtube_api_pages.json",
    "comments.csv",
    "comments.tsv",
]


@pytest.fixture(scope="module")
def seed():
    return ingest_paths([config.SEED_FILE])


def _spans_slice_back(corpus: pd.DataFrame, paragraphs: pd.DataFrame) -> None:
    texts = dict(zip(corpus[S.DOC_ID], corpus[S.TEXT], strict=True))
    for row in paragraphs.itertuples():
        assert texts[row.doc_id][row.start_char : row.end_char] == row.text


# ------------------------------------------------------------------------------------------- seed


def test_seed_gives_21_documents_in_order(seed):
    corpus = seed.corpus
    assert list(corpus.columns) == S.CORPUS.names
    assert len(corpus) == 21
    assert list(corpus["position"]) == list(range(21))
    assert list(corpus[S.DOC_KIND]) == [S.ARTICLE] + [S.COMMENT] * 20
    tid = config.SEED_FILE.stem
    assert corpus[S.DOC_ID].iloc[0] == f"{tid}/article"
    assert list(corpus[S.DOC_ID].iloc[1:]) == [f"{tid}/c{i}" for i in range(1, 21)]
    assert int(corpus["is_empty"].sum()) == 6
    assert corpus.loc[corpus["is_empty"], "text"].eq("").all()
    assert not corpus["is_reply"].any()
    assert corpus["source_record"].is_monotonic_increasing
    assert corpus["source_file"].eq("data/raw/000_72df1fd75f57f877.txt").all()
    assert corpus["published_date"].isna().all()  # no --captured-at, no dates
    # the first comment with text, exactly as the seed holds it
    c3 = corpus.set_index(S.DOC_ID).loc[f"{tid}/c3"]
    assert c3["text_raw"].startswith("Ismail Haniyeh says")
    assert seed.summary["totals"]["empty"] == 6
    assert seed.summary["totals"]["input_records"] == 20


def test_seed_article_and_paragraphs(seed):
    article = seed.corpus.iloc[0]
    assert article["title"].startswith("Israeli Prime Minister expresses 'displeasure'")
    assert article["text"].startswith(article["title"] + "\n\n")
    paras = seed.paragraphs[seed.paragraphs[S.DOC_ID] == article[S.DOC_ID]]
    assert len(paras) == 9  # title + 8 paragraphs
    assert list(paras["is_title"]) == [True] + [False] * 8
    assert paras[S.TEXT].iloc[0] == article["title"]
    assert list(paras[S.PARAGRAPH_ID]) == [f"{article[S.DOC_ID]}/p{i}" for i in range(9)]
    _spans_slice_back(seed.corpus, seed.paragraphs)
    # every non-empty comment has at least one paragraph, empty ones none
    counts = seed.paragraphs.groupby(S.DOC_ID).size()
    for row in seed.corpus.itertuples():
        assert (row.doc_id in counts.index) == (not row.is_empty)


def test_seed_captured_at_gives_estimated_dates():
    result = ingest_paths([config.SEED_FILE], captured_at="2024-06-15")
    comments = result.corpus[result.corpus[S.DOC_KIND] == S.COMMENT]
    assert comments["published_date"].eq(pd.Timestamp("2023-12-15")).all()
    assert comments["is_date_estimated"].all()
    assert not result.corpus["is_date_estimated"].iloc[0]


def test_estimate_date_calendar_months():
    when = datetime(2024, 3, 31, 12)
    assert estimate_date("1 month ago", when) == datetime(2024, 2, 29, 12)
    assert estimate_date("2 years ago", when) == datetime(2022, 3, 31, 12)
    assert estimate_date("3 weeks ago (edited)", when) == datetime(2024, 3, 10, 12)
    assert estimate_date("an hour ago", when) == datetime(2024, 3, 31, 11)
    assert estimate_date("yesterday", when) is None
    assert estimate_date("6 months ago", None) is None


# ------------------------------------------------------------------------------ all four formats


@pytest.mark.parametrize("name", NON_SEED)
def test_each_format_ingests(name):
    result = ingest_paths([FIXTURES / name], articles=[ARTICLE])
    corpus = result.corpus
    assert list(corpus.columns) == S.CORPUS.names
    assert corpus[S.DOC_KIND].iloc[0] == S.ARTICLE
    assert corpus["title"].iloc[0] == "Test article: a headline"
    assert corpus["text"].iloc[0].endswith("Second paragraph & more.")
    assert corpus["source_file"].iloc[0] == "tests/fixtures/article.md"
    assert corpus["source_format"].iloc[0] == "article"
    comments = corpus.iloc[1:]
    assert comments["is_empty"].any()
    assert comments["is_reply"].any()
    # text normalised, text_raw untouched
    assert not comments["text"].str.contains("\ufeff|&amp;|&quot;|&gt;", regex=True).any()
    assert comments["text_raw"].str.contains("\ufeff|&amp;|&gt;", regex=True).any()
    assert comments["text"].str.contains("\n\n").any() or name == "comments.tsv"
    assert (comments["like_count"] >= 1000).any()
    parents = comments["parent_id"].dropna()
    assert parents.isin(comments[S.DOC_ID]).all()
    _spans_slice_back(corpus, result.paragraphs)
    s = result.summary["totals"]
    assert s["input_records"] == len(comments) + len(result.rejects)
    assert s["replies"] == int(comments["is_reply"].sum())


def test_ytcd_flags():
    corpus = ingest_paths([FIXTURES / "ytcd_comments.jsonl"], articles=[ARTICLE]).corpus
    c = corpus.set_index("source_id")
    assert c.loc["UgzA1b2C3d4E5f6G7h8", "text"] == "First comment & a stray BOM 👍🏽"
    assert c.loc["UgzA1b2C3d4E5f6G7h8", "like_count"] == 1200
    assert c.loc["UgzA1b2C3d4E5f6G7h8.9xYzAbCdEfG", "parent_id"] == "ytcd_comments/c1"
    orphan = c.loc["UgxMissingParent1.AbCdEfGhIjK"]
    assert orphan["is_reply"] and pd.isna(orphan["parent_id"])
    dup = c.loc["UgyDup0000000000001"]
    assert dup["is_duplicate"] and dup["duplicate_of"] == "ytcd_comments/c4"
    assert not c.loc["UgwQ9r8S7t6U5v4W3x2", "is_duplicate"]
    assert c["is_date_estimated"].iloc[1:].all()  # time_parsed is the downloader's estimate


def test_api_dates_are_not_estimated():
    corpus = ingest_paths(
        [FIXTURES / "youtube_api_pages.json"], articles=[ARTICLE], captured_at="2025-01-01"
    ).corpus
    comments = corpus.iloc[1:]
    assert comments["published_date"].notna().all()
    assert not comments["is_date_estimated"].any()
    assert comments["published_date"].iloc[0] == pd.Timestamp("2024-01-02 03:04:05")
    assert comments["text"].iloc[3] == "Only <b>display</b> text\non two lines"


def test_author_pseudonyms(monkeypatch):
    paths, articles = [FIXTURES / "ytcd_comments.jsonl"], [ARTICLE]
    first = ingest_paths(paths, articles=articles).corpus
    again = ingest_paths(paths, articles=articles).corpus
    ids = first["author_id"].iloc[1:]
    assert ids.str.fullmatch(r"a_[0-9a-f]{12}").all()
    assert ids.iloc[0] == ids.iloc[4]  # same channel, same pseudonym
    assert ids.nunique() == 6
    assert list(ids) == list(again["author_id"].iloc[1:])
    assert not first["author_id"].isin(["@alice", "@bob"]).any()
    assert ids.iloc[0] == pseudonym("UCaaaaaaaaaaaaaaaaaaaaa1", salt=config.DEFAULT_PSEUDONYM_SALT)
    monkeypatch.setenv(config.PSEUDONYM_SALT_ENV, "another-secret")
    salted = ingest_paths(paths, articles=articles).corpus["author_id"].iloc[1:]
    assert not (salted.to_numpy() == ids.to_numpy()).any()
    named = ingest_paths(paths, articles=articles, keep_author_names=True).corpus
    assert named["author_id"].iloc[1] == "@alice"


def test_several_threads_one_corpus():
    result = ingest_paths(
        [config.SEED_FILE, FIXTURES / "comments.csv", FIXTURES / "ytcd_comments.jsonl"],
        articles=[ARTICLE, ARTICLE],
        thread_ids=["seed", "news", "video"],
    )
    corpus = result.corpus
    assert list(dict.fromkeys(corpus[S.THREAD_ID])) == ["seed", "news", "video"]
    assert len(corpus) == 21 + 5 + 8
    for _, thread in corpus.groupby(S.THREAD_ID, sort=False):
        assert thread[S.DOC_KIND].iloc[0] == S.ARTICLE
        assert list(thread["position"]) == list(range(len(thread)))
    assert corpus[S.DOC_ID].is_unique
    assert result.paragraphs[S.PARAGRAPH_ID].is_unique
    text = format_summary(result.summary)
    assert text.startswith("ingested 3 threads")
    for tid in ("seed", "news", "video"):
        assert f"thread {tid} " in text


def test_duplicates_are_per_thread():
    result = ingest_paths(
        [FIXTURES / "ytcd_comments.jsonl", FIXTURES / "ytcd_comments_pretty.json"],
        articles=[ARTICLE, ARTICLE],
    )
    assert int(result.corpus["is_duplicate"].sum()) == 2  # one per thread, none across threads


# ---------------------------------------------------------------------------------- usage errors


def test_thread_ids_must_be_unique(tmp_path):
    (tmp_path / "a").mkdir()
    copy = tmp_path / "a" / config.SEED_FILE.name
    copy.write_bytes(config.SEED_FILE.read_bytes())
    with pytest.raises(DiscourseError, match="thread id '000_72df1fd75f57f877' is used by both"):
        ingest_paths([config.SEED_FILE, copy])
    assert len(ingest_paths([config.SEED_FILE, copy], thread_ids=["x", "y"]).corpus) == 42
    with pytest.raises(DiscourseError, match="give one per INPUT"):
        ingest_paths([config.SEED_FILE, copy], thread_ids=["x"])
    with pytest.raises(DiscourseError, match="not usable"):
        ingest_paths([config.SEED_FILE], thread_ids=["a/b"])


def test_missing_article_is_a_clear_error():
    with pytest.raises(
        DiscourseError,
        match=r"--article: give one article file per non-seed "
        r"INPUT.*1 non-seed input\(s\) \(.*comments\.csv\)",
    ):
        ingest_paths([FIXTURES / "comments.csv"])
    with pytest.raises(DiscourseError, match="--article"):
        ingest_paths([config.SEED_FILE], articles=[ARTICLE])


def test_bad_captured_at():
    with pytest.raises(DiscourseError, match="--captured-at: expected an ISO date"):
        ingest_paths([config.SEED_FILE], captured_at="last tuesday")


# ---------------------------------------------------------------------- nothing lost: conservation


def _broken_copies(tmp_path: Path) -> dict[str, tuple[Path, int]]:
    """Each format with malformed records added: {name: (path, input records)}."""
    out = {}
    lines = (FIXTURES / "ytcd_comments.jsonl").read_text(encoding="utf-8").splitlines()
    lines[2:2] = ['{"cid": "x", "text": ', '{"cid": "y"}', "[1, 2]"]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    out["jsonl"] = (path, 10)
    doc = json.loads((FIXTURES / "ytcd_comments_pretty.json").read_text(encoding="utf-8"))
    doc["comments"] += [{"cid": "z", "text": None}, "not an object"]
    path = tmp_path / "broken_pretty.json"
    path.write_text(json.dumps(doc, indent=4), encoding="utf-8")
    out["pretty"] = (path, 9)
    pages = json.loads((FIXTURES / "youtube_api_pages.json").read_text(encoding="utf-8"))
    pages[0]["items"].append({"kind": "youtube#commentThread", "snippet": {}})
    pages[1]["items"][0]["replies"]["comments"].append({"snippet": {"likeCount": 1}})
    path = tmp_path / "broken_api.json"
    path.write_text(json.dumps(pages), encoding="utf-8")
    out["api"] = (path, 8)
    text = (FIXTURES / "comments.csv").read_text(encoding="utf-8")
    path = tmp_path / "broken.csv"
    path.write_text(
        text + "n5,someone,2024-05-03,lots,,bad likes\r\nn6,x\r\n\r\n", encoding="utf-8", newline=""
    )
    out["csv"] = (path, 6)
    return out


def test_input_records_equal_rows_plus_rejects(tmp_path):
    for name, (path, n_input) in _broken_copies(tmp_path).items():
        with pytest.raises(InputError, match=re.escape(str(path))):
            ingest_paths([path], articles=[ARTICLE])
        result = ingest_paths([path], articles=[ARTICLE], on_error="skip")
        comments = int((result.corpus[S.DOC_KIND] == S.COMMENT).sum())
        assert len(result.rejects) >= 2, name
        assert comments + len(result.rejects) == n_input, name
        assert result.summary["totals"]["rejects"] == len(result.rejects)
        assert result.rejects["reason"].str.len().gt(10).all()
        assert result.rejects["source_file"].eq(str(path)).all()
    seed = ingest_paths([config.SEED_FILE], on_error="skip")
    assert len(seed.corpus) - 1 == 20 and len(seed.rejects) == 0


# ---------------------------------------------------------------------------------------- writing


def test_write_ingest_round_trip_and_determinism(tmp_path):
    path, _ = _broken_copies(tmp_path)["jsonl"]
    result = ingest_paths([path], articles=[ARTICLE], on_error="skip")
    out = tmp_path / "out"
    write_ingest(result, out, csv=True)
    for name in (
        "corpus.parquet",
        "paragraphs.parquet",
        "corpus.csv",
        "paragraphs.csv",
        "rejects.csv",
        "ingest_summary.json",
    ):
        assert (out / name).is_file(), name
    corpus = read_table("corpus", out)
    pd.testing.assert_frame_equal(corpus, result.corpus)
    rejects = pd.read_csv(out / "rejects.csv")
    assert list(rejects.columns) == S.REJECTS.names and len(rejects) == 3
    first = (out / "corpus.parquet").read_bytes()
    write_ingest(ingest_paths([path], articles=[ARTICLE], on_error="skip"), out, csv=True)
    assert (out / "corpus.parquet").read_bytes() == first
    summary = json.loads((out / "ingest_summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["rejects"] == 3
    # a clean re-run removes the stale rejects file
    write_ingest(ingest_paths([config.SEED_FILE]), out)
    assert not (out / "rejects.csv").exists()


# -------------------------------------------------------------------------------------------- cli


def test_cli_ingest_seed(tmp_path, capsys):
    assert main(["ingest", str(config.SEED_FILE), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "documents 21: 1 article + 20 comments" in out
    assert "empty 6" in out and "duplicates 0" in out and "rejects 0" in out
    assert "dates none" in out
    assert len(read_table("corpus", tmp_path)) == 21


def test_cli_ingest_with_article_and_options(tmp_path, capsys):
    code = main(
        [
            "ingest",
            str(FIXTURES / "comments.tsv"),
            "--article",
            str(ARTICLE),
            "--captured-at",
            "2024-06-01",
            "--thread-id",
            "tsv",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "ingested thread tsv (csv" in out
    assert "dates 2024-05-30 to 2024-05-31 (2 of 3 comments dated; 2 estimated" in out
    assert read_table("corpus", tmp_path)[S.THREAD_ID].eq("tsv").all()


@pytest.mark.parametrize(
    ("argv", "pattern"),
    [
        (
            ["FIX/ytcd_comments.jsonl", "--format", "csv", "--article", "ART"],
            r"ytcd_comments\.jsonl: --format csv does not match the content",
        ),
        (["FIX/comments.csv"], r"--article: give one article file per non-seed INPUT"),
        (["FIX/missing.jsonl", "--article", "ART"], r"missing\.jsonl: file not found"),
        (["BROKEN", "--article", "ART"], r"broken\.jsonl, line 3: invalid JSON"),
        (
            ["FIX/comments.csv", "--article", "ART", "--columns", "text=nope"],
            r"comments\.csv, line 1: column 'nope' \(for text\) not found; available columns",
        ),
        (["EMPTY"], r"empty\.txt: empty file"),
    ],
)
def test_cli_errors_exit_2_with_one_line(tmp_path, capsys, argv, pattern):
    broken, _ = _broken_copies(tmp_path)["jsonl"]
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    subst = {"ART": str(ARTICLE), "BROKEN": str(broken), "EMPTY": str(empty)}
    args = [subst.get(a, a.replace("FIX", str(FIXTURES))) for a in argv]
    assert main(["ingest", *args, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("discourse ingest: error: ")
    assert re.search(pattern, err), err
    assert not (tmp_path / "out" / "corpus.parquet").exists()


def test_cli_on_error_skip_reports_rejects(tmp_path, capsys):
    broken, _ = _broken_copies(tmp_path)["jsonl"]
    code = main(
        [
            "ingest",
            str(broken),
            "--article",
            str(ARTICLE),
            "--on-error",
            "skip",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "rejects 3 (of 10 input records)" in captured.out
    assert "rejects.csv" in captured.err
    assert (tmp_path / "out" / "rejects.csv").is_file()


def test_format_error_is_a_discourse_error():
    assert issubclass(FormatError, InputError) and issubclass(InputError, DiscourseError)


def test_csv_copies_neutralise_formulas_but_not_numbers():
    from analysis.tables import neutralise_formulas

    frame = pd.DataFrame(
        {
            "text": pd.Series(
                ["=1+1", "+x", "-5", "@SUM(A1)", "\tx", "\rx", "ok", None], dtype="string"
            ),
            "like_count": pd.Series([-5, 1, 2, 3, 4, 5, 6, 7], dtype="Int64"),
        }
    )
    safe = neutralise_formulas(frame)
    assert safe["text"].tolist()[:7] == ["'=1+1", "'+x", "'-5", "'@SUM(A1)", "'\tx", "'\rx", "ok"]
    assert pd.isna(safe["text"].iloc[7])
    assert safe["like_count"].tolist() == frame["like_count"].tolist()
    assert frame["text"].iloc[0] == "=1+1"  # the input is not changed


def test_output_path_errors_are_one_line(tmp_path):
    from analysis.errors import OutputError

    result = ingest_paths([config.SEED_FILE])
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"a_file: is a file, or lies under one"):
        write_ingest(result, blocker)
    with pytest.raises(OutputError, match=r"a_file/deeper: is a file, or lies under one"):
        write_ingest(result, blocker / "deeper")
    (tmp_path / "out" / "ingest_summary.json").mkdir(parents=True)
    with pytest.raises(OutputError, match=r"ingest_summary\.json: is a folder"):
        write_ingest(result, tmp_path / "out")


DEVDATA = config.ROOT.parent / "shared" / "devdata"


def _devdata(*parts: str) -> Path:
    path = DEVDATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing")
        pytest.skip("dev data not available")
    return path


def test_fox_news_dev_file_reads_in_one_command():
    path = _devdata("fox_news", "fox-news-comments-dev.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    result = ingest_paths(
        [path],
        column_map="text=text,author=user,thread=title,article_title=title,article_text=meta",
    )
    corpus = result.corpus
    titles = list(dict.fromkeys(r["title"] for r in rows))
    articles = corpus[corpus[S.DOC_KIND] == S.ARTICLE]
    assert articles["title"].tolist() == titles  # one thread per title, in file order
    comments = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    assert len(comments) == len(rows) and len(result.rejects) == 0
    per_thread = comments.groupby(S.THREAD_ID, sort=False).size().tolist()
    assert per_thread == [sum(r["title"] == t for r in rows) for t in titles]
    first = rows[0]
    assert articles[S.TEXT].iloc[0] == f"{first['title']}\n\n{first['meta']}"
    assert not comments["author_id"].isin({r["user"] for r in rows}).any()  # pseudonymised


@pytest.mark.parametrize("name", ["Youtube01-Psy.csv", "Youtube02-KatyPerry.csv"])
def test_youtube_spam_exports_read_whole(name):
    path = _devdata("youtube_spam", name)
    result = ingest_paths(
        [path], articles=[ARTICLE], column_map="text=CONTENT,id=COMMENT_ID,author=AUTHOR,time=DATE"
    )
    stats = result.summary["threads"][0]
    assert stats["comments"] == 350 and stats["rejects"] == 0
    assert stats["dated_comments"] == 350


def test_corrupt_parquet_table_is_one_line(tmp_path):
    from analysis.errors import StageInputError

    write_ingest(ingest_paths([config.SEED_FILE]), tmp_path)
    corpus = tmp_path / "corpus.parquet"
    corpus.write_bytes(corpus.read_bytes()[:300])
    with pytest.raises(StageInputError, match=r"corpus\.parquet: table 'corpus' is not a readable"):
        read_table("corpus", tmp_path)


def test_thread_slugs_are_safe_and_stable():
    from analysis.ingest.threads import is_safe_thread_id, slugify

    assert (
        slugify("German lawmakers approve 'no means no'") == "German-lawmakers-approve-no-means-no"
    )
    assert slugify("Pooled") == "thread-Pooled"
    chinese = slugify("北京新闻")
    assert chinese.startswith("thread-") and chinese == slugify("北京新闻") != slugify("上海新闻")
    for value in ("..", "a/b", "a\nb", "pooled", "__pooled__", " x", "", "-x"):
        assert not is_safe_thread_id(value), value
    assert all(is_safe_thread_id(slugify(v)) for v in ("..", "a/b", "pooled", "北京", "x" * 300))
