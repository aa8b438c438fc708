"""Conversation charts: numbers, titles and fallbacks from small tables with known answers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import schema as S
from analysis.present.charts import REGISTRY, make_all_figures
from analysis.present.charts import endorsement as endorsement_chart
from analysis.present.charts import hostility as hostility_chart
from analysis.present.charts import reply_tone as reply_tone_chart
from analysis.present.charts import timeline as timeline_chart

CONVERSATION_CHARTS = ("reply_tone", "endorsement", "timeline", "hostility")

CUE_COUNTS = [c for c in S.HOSTILITY.names if c.endswith("_count")]


def _conform(spec: S.TableSpec, rows) -> pd.DataFrame:
    """``rows`` as a table of ``spec``; columns a test does not need are left missing (NA)."""
    df = pd.DataFrame(rows)
    return spec.conform(df.assign(**{c: None for c in spec.names if c not in df.columns}))


def _tone(groups: dict[str, tuple[int, int, int]], *, ci: dict | None = None, thread="t1"):
    """conversation_tone level rows: group -> (negative, neutral, positive) counts."""
    rows = []
    for group, counts in groups.items():
        n = sum(counts)
        for label, count in zip(S.SENTIMENT_LABELS, counts, strict=True):
            low, high = (ci or {}).get((group, label), (0.0, 1.0))
            rows.append(
                {
                    S.THREAD_ID: thread,
                    "grouping": "level",
                    "group": group,
                    "basis": "reply tree",
                    "sentiment_label": label,
                    "count": count,
                    "n": n,
                    "share": count / n if n else float("nan"),
                    "ci_low": low if n else float("nan"),
                    "ci_high": high if n else float("nan"),
                }
            )
    return _conform(S.CONVERSATION_TONE, pd.DataFrame(rows))


def _endorsement(counts: dict[str, tuple[int, int]], *, has_likes=True):
    """endorsement rows: label -> (comments, likes on them)."""
    n = sum(c for c, _ in counts.values())
    total = sum(likes for _, likes in counts.values())
    rows = [
        {
            S.THREAD_ID: "t1",
            "sentiment_label": label,
            "count": count,
            "n": n,
            "share": count / n,
            "like_sum": likes if has_likes else None,
            "like_total": total if has_likes else None,
            "like_share": likes / total if has_likes and total else float("nan"),
            "like_ci_low": float("nan"),
            "like_ci_high": float("nan"),
            "has_likes": has_likes,
        }
        for label, (count, likes) in counts.items()
    ]
    return _conform(S.ENDORSEMENT, pd.DataFrame(rows))


def _structure(labels: list[str | None], *, thread="t1", dated: int = 0):
    """reply_structure rows, one per label (None: not scored), the first ``dated`` with dates."""
    rows = [
        {
            S.THREAD_ID: thread,
            S.DOC_ID: f"{thread}/c{i + 1}",
            "position": i + 1,
            "depth": 0,
            "reply_count": 0,
            "descendant_count": 0,
            "is_reply": False,
            "is_orphan": False,
            "is_in_cycle": False,
            "published_date": pd.Timestamp("2024-05-01 10:00") if i < dated else pd.NaT,
            "is_date_estimated": False,
            "is_annotated": label is not None,
            "sentiment_label": label,
            "vader_compound": {"negative": -0.5, "positive": 0.5}.get(label, 0.0),
        }
        for i, label in enumerate(labels)
    ]
    return _conform(S.REPLY_STRUCTURE, pd.DataFrame(rows))


def _timeline(bins: list[tuple[str, int, int, int, bool]], *, unit="hour", thread="t1"):
    """timeline rows: (bin start, comments, scored, negative, estimated)."""
    rows = [
        {
            S.THREAD_ID: thread,
            "time_bin": unit,
            "bin_start": pd.Timestamp(start),
            "comment_count": count,
            "estimated_count": count if est else 0,
            "is_estimated": est,
            "n": n,
            "negative_share": neg / n if n else float("nan"),
            "compound_mean": 0.0,
        }
        for start, count, n, neg, est in bins
    ]
    return _conform(S.TIMELINE, pd.DataFrame(rows)) if rows else S.TIMELINE.empty()


# --- reply tone ------------------------------------------------------------------------------


def test_reply_tone_compares_negative_shares_and_says_when_intervals_overlap():
    apart = {("reply", "negative"): (0.8, 1.0), ("top_level", "negative"): (0.0, 0.6)}
    data = reply_tone_chart.prepare(
        {"conversation_tone": _tone({"top_level": (1, 0, 2), "reply": (2, 0, 0)}, ci=apart)}
    )
    assert data.title == "100% of replies are negative, against 33% of top-level comments"
    assert data.n == "3 scored top-level comments, 2 scored replies"
    assert list(data.data["group"]) == ["top_level"] * 3 + ["reply"] * 3
    assert list(data.data.columns) == reply_tone_chart.COLUMNS
    close = {("reply", "negative"): (0.5, 1.0), ("top_level", "negative"): (0.0, 0.7)}
    data = reply_tone_chart.prepare(
        {"conversation_tone": _tone({"top_level": (1, 0, 2), "reply": (2, 0, 0)}, ci=close)}
    )
    assert data.title.endswith("; the 95% intervals overlap")


def test_reply_tone_equal_shares_are_named_as_equal():
    data = reply_tone_chart.prepare(
        {"conversation_tone": _tone({"top_level": (1, 1, 0), "reply": (2, 1, 1)})}
    )
    assert data.title == "Replies and top-level comments are as often negative (50% each)"
    assert data.n == "2 scored top-level comments, 4 scored replies"


def test_reply_tone_without_replies_says_so_and_plots_nothing():
    data = reply_tone_chart.prepare(
        {"conversation_tone": _tone({"top_level": (2, 1, 1), "reply": (0, 0, 0)})}
    )
    assert data.is_empty and "none of the scored comments is a reply" in data.reason
    assert data.title.startswith("Nothing to show") and data.data.empty


def test_reply_tone_with_replies_only():
    data = reply_tone_chart.prepare(
        {"conversation_tone": _tone({"top_level": (0, 0, 0), "reply": (1, 0, 3)})}
    )
    assert data.title == "All 4 scored comments are replies; 25% of them are negative"
    assert data.n == "4 scored replies" and set(data.data["group"]) == {"reply"}


# --- endorsement -----------------------------------------------------------------------------


def test_endorsement_sets_share_of_likes_beside_share_of_comments():
    tables = {
        "endorsement": _endorsement({"negative": (3, 39), "neutral": (0, 0), "positive": (2, 1)})
    }
    data = endorsement_chart.prepare(tables)
    assert data.title == "Negative comments hold 98% of likes and are 60% of scored comments"
    assert data.n == "5 scored comments, 40 likes"
    assert data.data.set_index("sentiment_label")["like_sum"].tolist() == [39, 0, 1]


def test_endorsement_names_the_tone_the_audience_rewarded_and_ties():
    counts = {"negative": (1, 2), "neutral": (2, 2), "positive": (5, 16)}
    data = endorsement_chart.prepare({"endorsement": _endorsement(counts)})
    assert data.title == "Positive comments hold 80% of likes and are 62% of scored comments"
    tied = {"negative": (1, 5), "neutral": (1, 0), "positive": (3, 5)}
    data = endorsement_chart.prepare({"endorsement": _endorsement(tied)})
    assert data.title == "Likes split evenly between negative and positive comments (50% each)"


def test_endorsement_without_likes_or_with_no_like_says_so():
    none = endorsement_chart.prepare(
        {
            "endorsement": _endorsement(
                {"negative": (1, 0), "neutral": (1, 0), "positive": (1, 0)}, has_likes=False
            )
        }
    )
    assert none.is_empty and "no like counts" in none.reason
    zero = endorsement_chart.prepare(
        {"endorsement": _endorsement({"negative": (1, 0), "neutral": (1, 0), "positive": (1, 0)})}
    )
    assert zero.is_empty and zero.reason == "no scored comment has a like"


# --- timeline --------------------------------------------------------------------------------


def test_timeline_fills_empty_hours_and_marks_estimates():
    timeline = _timeline(
        [
            ("2024-05-01 10:00", 1, 1, 0, False),
            ("2024-05-01 11:00", 2, 2, 1, False),
            ("2024-05-01 14:00", 1, 1, 1, True),
        ]
    )
    structure = _structure(["positive", "negative", "neutral", "negative", None], dated=4)
    data = timeline_chart.prepare({"timeline": timeline, "reply_structure": structure})
    d = data.data
    assert d["comment_count"].tolist() == [1, 2, 0, 0, 1]  # 10h, 11h, 12h, 13h, 14h
    assert d["is_estimated"].tolist() == [False, False, False, False, True]
    assert d["negative_count"].tolist() == [0, 1, 0, 0, 1]
    assert d["negative_share"].isna().tolist() == [False, False, True, True, False]
    assert data.title == "Comments peak in the hour of 2024-05-01 11:00 (2 of 4 dated comments)"
    assert data.n == "4 dated comments (1 undated left out)"
    assert "hatched" in data.subtitle


def test_timeline_names_a_tied_peak():
    timeline = _timeline(
        [("2024-05-01", 3, 3, 0, False), ("2024-05-03", 3, 3, 3, False)], unit="day"
    )
    data = timeline_chart.prepare({"timeline": timeline})
    assert (
        data.title
        == "At most 3 comments in any day, reached in 2 days (6 dated comments over 3 days)"
    )
    assert "hatched" not in data.subtitle


def test_timeline_without_dates_falls_back_to_source_order():
    structure = _structure(["negative"] * 5 + ["positive"] * 4 + [None])
    data = timeline_chart.prepare({"timeline": _timeline([]), "reply_structure": structure})
    assert data.data["position_tenth"].tolist() == list(range(1, 11))
    assert data.data["comment_count"].tolist() == [1] * 10
    assert data.n == "10 comments (9 scored for tone)"
    assert data.title == (
        "No publication dates; in source order, 100% of the first half's scored comments are "
        "negative (5 of 5), 0% of the second half's (0 of 4)"
    )


def test_timeline_of_several_threads_uses_position_in_each_thread():
    one = _structure(["negative", "negative", "positive", "positive"], thread="t1", dated=4)
    two = _structure(["negative", "positive"], thread="t2", dated=2)
    timeline = pd.concat(
        [
            _timeline([("2024-05-01 10:00", 4, 4, 2, False)], thread="t1"),
            _timeline([("2024-06-01 10:00", 2, 2, 1, False)], thread="t2"),
        ],
        ignore_index=True,
    )
    data = timeline_chart.prepare(
        {"timeline": timeline, "reply_structure": pd.concat([one, two], ignore_index=True)}
    )
    assert data.title.startswith("2 threads share no clock; in source order, 100% of the first")
    assert "(3 of 3)" in data.title and "(0 of 3)" in data.title
    alone = timeline_chart.prepare(
        {"timeline": timeline, "reply_structure": pd.concat([one, two])}, thread_id="t2"
    )
    assert alone.title.startswith("Comments peak in the hour of 2024-06-01 10:00 (2 of 2")


# --- hostility -------------------------------------------------------------------------------


def _hostility_tables():
    cues = {
        "c1": {"hostility_score": 0.85, "slur_count": 1, "is_hostile": True},
        "c2": {"hostility_score": 0.7, "second_person_attack_count": 1, "is_hostile": True},
        "c3": {"hostility_score": 0.25, "group_target_count": 1},
        "c4": {"hostility_score": 0.0, "shouting_share": 0.9},
        "c5": {"hostility_score": 0.0},  # empty: VADER did not score it
    }
    counts = dict.fromkeys(CUE_COUNTS, 0)
    rows = [
        {
            S.THREAD_ID: "t1",
            S.DOC_ID: "t1/article",
            S.DOC_KIND: S.ARTICLE,
            "hostility_score": 0.9,
            **counts,
            "shouting_share": 0.0,
            "is_hostile": True,
        }
    ]
    for doc, values in cues.items():
        rows.append(
            {
                S.THREAD_ID: "t1",
                S.DOC_ID: f"t1/{doc}",
                S.DOC_KIND: S.COMMENT,
                **counts,
                "shouting_share": 0.0,
                "is_hostile": False,
                **values,
            }
        )
    hostility = _conform(S.HOSTILITY, pd.DataFrame(rows))
    documents = _conform(
        S.DOCUMENTS,
        pd.DataFrame(
            {
                S.THREAD_ID: "t1",
                S.DOC_ID: ["t1/c1", "t1/c2", "t1/c3", "t1/c4", "t1/c5"],
                S.DOC_KIND: S.COMMENT,
                "is_annotated": [True, True, True, True, False],
                "sentiment_label": ["neutral", "negative", "negative", "positive", None],
            }
        ),
    )
    return {"hostility": hostility, "documents": documents}


def test_hostility_counts_flagged_comments_beside_vader():
    data = hostility_chart.prepare(_hostility_tables())
    assert data.title == (
        "2 of 4 comments score 0.5 or more for hostility; VADER labels 1 of them negative"
    )
    by = data.data.set_index("measure")
    assert by.loc["hostility score 0.5 or more", "comment_count"] == 2  # the article is left out
    assert by.loc["VADER: negative", ["comment_count", "n"]].tolist() == [2, 4]
    assert by.loc["slur", "comment_count"] == 1 and by.loc["insult", "comment_count"] == 0
    assert by.loc["shouting (over half in capitals)", "comment_count"] == 1
    assert by.loc["group mentioned (not hostile alone)", "comment_count"] == 1
    assert set(by["n"]) == {4}  # every bar counts the comments VADER scored
    assert data.n == "4 scored comments (1 not scored by VADER left out)"


def test_hostility_without_documents_or_flags():
    tables = _hostility_tables()
    alone = hostility_chart.prepare({"hostility": tables["hostility"]})
    assert alone.title == "2 of 5 comments score 0.5 or more for hostility"
    assert alone.n == "5 comments" and "VADER: negative" not in set(alone.data["measure"])
    one = tables["hostility"].assign(is_hostile=tables["hostility"][S.DOC_ID] == "t1/c1")
    data = hostility_chart.prepare({"hostility": one, "documents": tables["documents"]})
    assert data.title == (
        "1 of 4 comments scores 0.5 or more for hostility; VADER does not label it negative"
    )
    calm = tables["hostility"].assign(is_hostile=False)
    data = hostility_chart.prepare({"hostility": calm, "documents": tables["documents"]})
    assert data.title == (
        "None of 4 comments scores 0.5 or more for hostility; VADER labels 2 negative"
    )


# --- registry and files ----------------------------------------------------------------------


def test_conversation_charts_are_registered_and_skip_cleanly(tmp_path):
    assert set(CONVERSATION_CHARTS) <= set(REGISTRY)
    results = {r.name: r for r in make_all_figures({"corpus": S.CORPUS.empty()}, tmp_path)}
    for name in CONVERSATION_CHARTS:
        assert results[name].is_empty and "table was not produced" in results[name].reason
        assert (tmp_path / f"{name}.csv").read_text(encoding="utf-8").count("\n") <= 1


def test_conversation_charts_write_their_files(tmp_path):
    tables = {
        "conversation_tone": _tone({"top_level": (1, 0, 2), "reply": (2, 0, 0)}),
        "endorsement": _endorsement({"negative": (3, 39), "neutral": (0, 0), "positive": (2, 1)}),
        "timeline": _timeline([("2024-05-01 10:00", 1, 1, 0, False)]),
        "reply_structure": _structure(["positive"], dated=1),
        **_hostility_tables(),
    }
    results = {r.name: r for r in make_all_figures(tables, tmp_path)}
    for name in CONVERSATION_CHARTS:
        assert not results[name].is_empty, results[name].reason
        for suffix in (".png", ".svg", ".csv", ".caption.md"):
            assert (tmp_path / f"{name}{suffix}").is_file()
    csv = pd.read_csv(tmp_path / "hostility.csv")
    assert list(csv.columns) == hostility_chart.COLUMNS and csv["comment_count"].iloc[0] == 2


@pytest.mark.parametrize("chart", CONVERSATION_CHARTS)
def test_a_missing_thread_is_an_error(chart):
    from analysis.errors import StageInputError

    tables = {
        "conversation_tone": _tone({"top_level": (1, 0, 2), "reply": (2, 0, 0)}),
        "endorsement": _endorsement({"negative": (3, 39), "neutral": (0, 0), "positive": (2, 1)}),
        "timeline": _timeline([("2024-05-01 10:00", 1, 1, 0, False)]),
        **_hostility_tables(),
    }
    with pytest.raises(StageInputError, match="t9"):
        REGISTRY[chart].prepare(tables, thread_id="t9")


def test_figures_stage_draws_without_the_conversation_tables(tmp_path):
    """A workspace from `discourse compare` alone: the conversation charts say so, the rest draw;
    a missing comparison table is still an error."""
    from figure_factories import make_tables

    from analysis.errors import StageInputError
    from analysis.pipeline import figures as figures_stage
    from analysis.tables import write_table

    conversation = {spec.name for spec in S.CONVERSATION_TABLES}
    for name, df in make_tables().items():
        if name not in conversation:
            write_table(df, S.ALL_TABLES[name], tmp_path / "in")
    results = {r.name: r for r in figures_stage(in_dir=tmp_path / "in", log=lambda *_: None)}
    for name in CONVERSATION_CHARTS:
        assert results[name].is_empty and "was not produced" in results[name].reason
    assert not results["tone_shares"].is_empty
    (tmp_path / "in" / "keyness.parquet").unlink()
    with pytest.raises(StageInputError, match="keyness"):
        figures_stage(in_dir=tmp_path / "in", log=lambda *_: None)


def test_the_chart_uses_the_scorers_thresholds():
    """The chart names '0.5' and 'over half in capitals' without importing the scorer (and
    scikit-learn with it); this keeps the words equal to the scorer's constants."""
    from analysis.classify import hostility

    assert hostility_chart.SHOUTING_FROM == hostility.SHOUT_FROM
    assert (
        hostility.THRESHOLD == 0.5 and "0.5" in hostility_chart.prepare(_hostility_tables()).title
    )


def test_charts_read_the_tables_the_conversation_stage_computes():
    """End to end on a synthetic thread: a reply chain that turns negative, likes on the
    negative replies, dates across hours (one estimated, one missing), one second-person attack."""
    from conversation_factories import make_conversation

    from analysis.classify.hostility import hostility_table
    from analysis.compare.conversation import conversation_tables

    corpus, documents = make_conversation(
        [
            {"compound": 0.5, "likes": 1, "date": "2024-05-01 10:00"},
            {"parent": 1, "compound": -0.5, "likes": 30, "date": "2024-05-01 11:00"},
            {"parent": 2, "compound": -0.6, "likes": 9, "date": "2024-05-01 11:30"},
            {"compound": 0.4, "likes": 0, "date": "2024-05-01 14:00", "estimated": True},
            {"text": "You idiot, shut up", "compound": -0.3, "likes": 0},
        ]
    )
    tables = {
        **conversation_tables(corpus, documents, seed=1),
        "hostility": hostility_table(corpus),
        "documents": documents,
    }
    data = {name: REGISTRY[name].prepare_from(tables) for name in CONVERSATION_CHARTS}
    assert data["reply_tone"].title.startswith(
        "100% of replies are negative, against 33% of top-level comments"
    )
    assert data["reply_tone"].n == "3 scored top-level comments, 2 scored replies"
    # likes: the negative comments hold 30 + 9 + 0 of 40
    assert data["endorsement"].title == (
        "Negative comments hold 98% of likes and are 60% of scored comments"
    )
    assert data["timeline"].data["comment_count"].tolist() == [1, 2, 0, 0, 1]
    assert data["timeline"].data["is_estimated"].tolist() == [False] * 4 + [True]
    assert data["timeline"].title == (
        "Comments peak in the hour of 2024-05-01 11:00 (2 of 4 dated comments)"
    )
    assert data["timeline"].n == "4 dated comments (1 undated left out)"
    assert data["hostility"].title == (
        "1 of 5 comments scores 0.5 or more for hostility; VADER labels it negative"
    )
