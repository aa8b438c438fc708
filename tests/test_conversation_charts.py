"""Conversation charts: prepared numbers and titles (no drawing), then the files written."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.present.conversation_charts import (
    CONVERSATION_FIGURES,
    plot_endorsement,
    plot_hostility,
    plot_reply_tone,
    plot_timeline,
)
from analysis.present.conversation_data import (
    prepare_endorsement,
    prepare_hostility,
    prepare_reply_tone,
    prepare_timeline,
    structure_of,
)
from analysis.present.figures import FIGURES
from tests.conversation_factories import make_conversation


@pytest.fixture
def liked_thread():
    return make_conversation(
        [
            {"compound": 0.5, "likes": 1, "date": "2024-05-01 10:00"},
            {"parent": 1, "compound": -0.5, "likes": 30, "date": "2024-05-01 11:00"},
            {"parent": 2, "compound": -0.6, "likes": 9, "date": "2024-05-01 11:30"},
            {"compound": 0.4, "likes": 0, "date": "2024-05-01 14:00", "estimated": True},
            {"text": "You idiot, shut up", "compound": -0.3, "likes": 0},
        ]
    )


def test_reply_tone_title_states_both_shares(liked_thread):
    chart = prepare_reply_tone(structure_of(*liked_thread), seed=1)
    assert chart.title == "100% of replies are negative, against 33% of top-level comments"
    assert chart.n == "3 top-level comments, 2 replies"
    assert set(chart.data["group"]) == {"top_level", "reply"}


def test_reply_tone_without_replies_says_so():
    corpus, docs = make_conversation([{"compound": -0.4}, {"compound": 0.3}])
    chart = prepare_reply_tone(structure_of(corpus, docs), seed=1)
    assert chart.title.startswith("No replies: all 2 scored comments are top-level")
    assert chart.fallback and not chart.is_empty


def test_endorsement_title_and_no_likes(liked_thread):
    chart = prepare_endorsement(structure_of(*liked_thread), seed=1)
    # likes: negative 30 + 9 + 0 of 40 -> 98%; negative comments 3 of 5 -> 60%
    assert chart.title == "Negative comments hold 98% of likes and are 60% of comments"
    corpus, docs = make_conversation([{"compound": -0.4}, {"compound": 0.3}])
    none = prepare_endorsement(structure_of(corpus, docs), seed=1)
    assert none.title.startswith("No like counts on this platform")


def test_timeline_bins_fill_gaps_and_mark_estimates(liked_thread):
    chart = prepare_timeline(structure_of(*liked_thread))
    d = chart.data
    assert d["time_bin"].unique().tolist() == ["hour"]
    assert d["comment_count"].tolist() == [1, 2, 0, 0, 1]  # 10h, 11h, (12h, 13h), 14h
    assert d["is_estimated"].tolist() == [False, False, False, False, True]
    assert chart.title == "Comments peak in the hour of 2024-05-01 11:00 (2 of 4)"
    assert "1 undated left out" in chart.n


def test_timeline_without_dates_uses_source_order():
    corpus, docs = make_conversation([{"compound": -0.4}] * 5 + [{"compound": 0.3}] * 5)
    chart = prepare_timeline(structure_of(corpus, docs))
    assert chart.data["position_tenth"].tolist() == list(range(1, 11))
    assert chart.title == (
        "No publication dates; by position in the thread, 100% of the first tenth and 0% of the "
        "last tenth are negative"
    )


def test_hostility_chart_counts(liked_thread):
    chart = prepare_hostility(liked_thread[0])
    counts = chart.data.set_index("cue")["comment_count"]
    assert counts["score >= 0.5"] == 1 and counts["second-person attack"] == 1
    assert chart.title.startswith("1 of 5 comments score 0.5 or more")


def test_registered_and_written(tmp_path, liked_thread):
    assert set(CONVERSATION_FIGURES) <= set(FIGURES)
    corpus, docs = liked_thread
    for plot in (plot_reply_tone, plot_endorsement, plot_timeline):
        result = plot(corpus, documents=docs, out_dir=tmp_path)
        assert not result.is_empty
        assert {p.suffix for p in result.paths.values()} == {".png", ".svg", ".csv", ".md"}
    result = plot_hostility(corpus, out_dir=tmp_path)
    data = pd.read_csv(result.paths["csv"])
    assert list(data.columns) == ["cue", "comment_count", "n", "share"]
