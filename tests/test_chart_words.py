"""Titles and captions that are safe to quote, regenerated from prepare() on synthetic threads
built with ties and small n, and legible with any number of threads."""

from __future__ import annotations

import re

import pandas as pd
from figure_factories import make_tables

from analysis import schema as S
from analysis.present.charts import COMPARISON, REGISTRY, make_all_figures, thread_comparison
from analysis.present.charts import engagement as engagement_chart
from analysis.present.finish import render

#: "1 comments", "(1 mentions)", "1 sentences": a count of one with a plural noun.
ONE_PLURAL = re.compile(
    r"(?<![\d.,])1 (?:[a-z]+ )?(comments|mentions|sentences|terms|threads|rows)\b"
)


def _words(data) -> list[str]:
    return [data.title, data.subtitle, data.what, data.n, data.alt_text]


def _all_words(tables) -> dict[str, str]:
    return {
        name: " | ".join(_words(chart.prepare_from(tables))) for name, chart in REGISTRY.items()
    }


def _tied_tables() -> dict[str, pd.DataFrame]:
    t = make_tables()
    agenda = t["agenda"].copy()
    # Netanyahu and Putin tie for the comments' most-mentioned entity.
    agenda.loc[agenda[S.ENTITY_ID].isin(["netanyahu", "putin"]), "comment_mention_count"] = 3
    t["agenda"] = agenda
    frames = t["frame_shares"].copy()
    comments = frames[S.SIDE] == S.SIDE_COMMENTS
    top = frames.loc[comments, "share"].max()
    first_two = frames[comments].sort_values("frame").index[:2]
    frames.loc[first_two, "share"] = top
    t["frame_shares"] = frames
    eng = t["engagement"].copy()
    on = eng[~eng["is_off_article"].astype(bool)].index
    pids = sorted(
        t["paragraphs"].loc[lambda p: p[S.DOC_ID].str.endswith("/article"), S.PARAGRAPH_ID]
    )
    # two comments at each of two paragraphs: a tie for "draws the most"
    for i, row in enumerate(on[:4]):
        eng.loc[row, S.PARAGRAPH_ID] = pids[1 + i % 2]
    eng.loc[on[4:], "is_off_article"] = True
    t["engagement"] = eng
    return t


def test_ties_are_named_as_ties():
    words = _all_words(_tied_tables())
    title = REGISTRY["entity_salience"].prepare_from(_tied_tables()).title
    assert "Benjamin Netanyahu and Vladimir Putin (tied, 3 each)" in title
    assert "tied" in REGISTRY["frame_shares"].prepare_from(_tied_tables()).title
    eng = REGISTRY["engagement"].prepare_from(_tied_tables()).title
    assert "tie for the most (2 each)" in eng and "paragraphs 1 and 2" in eng
    assert all(not ONE_PLURAL.search(w) for w in words.values()), words


def _single_comment_tables() -> dict[str, pd.DataFrame]:
    t = make_tables()
    eng = t["engagement"].iloc[:1].assign(is_off_article=True)
    t["engagement"] = eng
    agenda = t["agenda"].copy()
    agenda["comment_mention_count"] = 0
    agenda.loc[agenda[S.ENTITY_ID] == "hamas", "comment_mention_count"] = 1
    agenda["comment_mention_share"] = (agenda["comment_mention_count"] > 0).astype(float)
    t["agenda"] = agenda
    sentences = t["sentences"]
    keep = (sentences[S.DOC_KIND] == S.ARTICLE) | (
        sentences[S.DOC_ID] == sentences.loc[sentences[S.DOC_KIND] == S.COMMENT, S.DOC_ID].iloc[0]
    )
    t["sentences"] = sentences[keep].head(len(sentences[sentences[S.DOC_KIND] == S.ARTICLE]) + 1)
    return t


def test_small_n_has_plural_agreement():
    tables = _single_comment_tables()
    words = _all_words(tables)
    assert all(not ONE_PLURAL.search(w) for w in words.values()), words
    eng = REGISTRY["engagement"].prepare_from(tables)
    assert eng.title.startswith("1 of 1 comment relates to no article paragraph"), eng.title
    assert eng.n == "1 annotated comment"
    sal = REGISTRY["entity_salience"].prepare_from(tables)
    assert "1 comment mention" in sal.n and "1 comment mentions" not in sal.n


def test_one_threshold_notation_and_n_counts_distinct_units():
    tables = make_tables()
    words = _all_words(tables)
    assert not any("|z| >" in w or "|z| > " in w for w in words.values())
    tone = REGISTRY["actor_tone"].prepare_from(tables)
    mentions = tables["mentions"]
    shown = set(tone.data[S.ENTITY_ID])
    m = mentions[mentions[S.ENTITY_ID].isin(shown)]
    n_comment = m.loc[m[S.DOC_KIND] == S.COMMENT, S.SENTENCE_ID].nunique()
    assert f"{n_comment} comment sentence" in tone.n
    # one unit per comparison: sentences against sentences
    shares = REGISTRY["tone_shares"].prepare_from(tables)
    assert "of comment sentences negative, against" in shares.title
    topics = REGISTRY["topic_shares"].prepare_from(tables)
    assert "topic weight" in topics.subtitle


def _many_threads(n_threads: int) -> dict[str, pd.DataFrame]:
    rows, corpus, paragraphs = [], [], []
    for i in range(n_threads):
        tid = f"thread{i:03d}"
        corpus.append(
            {
                S.THREAD_ID: tid,
                S.DOC_ID: f"{tid}/article",
                S.DOC_KIND: S.ARTICLE,
                "title": f"Article number {i} about something long enough to cut",
            }
        )
        for k in range(12):
            paragraphs.append(
                {
                    S.THREAD_ID: tid,
                    S.DOC_ID: f"{tid}/article",
                    S.PARAGRAPH_ID: f"{tid}/article/p{k}",
                    S.TEXT: f"Paragraph {k}",
                }
            )
        for c in range(1 + i % 4):
            corpus.append(
                {
                    S.THREAD_ID: tid,
                    S.DOC_ID: f"{tid}/c{c + 1}",
                    S.DOC_KIND: S.COMMENT,
                    "title": None,
                }
            )
            rows.append(
                {
                    S.THREAD_ID: tid,
                    S.DOC_ID: f"{tid}/c{c + 1}",
                    S.PARAGRAPH_ID: f"{tid}/article/p{(i + c) % 12}",
                    "is_off_article": c == 2,
                    "score": 0.5,
                    "entity_overlap": 0.0,
                    "lemma_similarity": 0.5,
                    "shared_entities": "",
                }
            )
    return {
        "engagement": S.ENGAGEMENT.conform(pd.DataFrame(rows)),
        "paragraphs": pd.DataFrame(paragraphs),
        "corpus": pd.DataFrame(corpus),
    }


def test_two_hundred_threads_stay_legible(tmp_path):
    tables = _many_threads(200)
    data = REGISTRY["engagement"].prepare_from(tables)
    assert len(data.data) <= engagement_chart.MAX_BARS + 1
    assert "pooled by their position" in data.what
    assert data.data["comment_count"].sum() == len(tables["engagement"])
    comparison = thread_comparison.prepare(tables)
    assert len(comparison.plot["shown"]) == thread_comparison.MAX_THREADS
    assert f"Shown: {thread_comparison.MAX_THREADS} of 200 threads" in comparison.what
    for chart, prepared in ((REGISTRY["engagement"], data), (COMPARISON, comparison)):
        figure = render(chart, prepared).figure
        labels = [t.get_text() for ax in figure.axes for t in ax.get_yticklabels()]
        assert 0 < len([x for x in labels if x]) <= engagement_chart.MAX_BARS + 1, chart.name


def test_a_long_single_article_is_capped():
    tables = _many_threads(1)
    paragraphs = pd.DataFrame(
        [
            {
                S.THREAD_ID: "thread000",
                S.DOC_ID: "thread000/article",
                S.PARAGRAPH_ID: f"thread000/article/p{k}",
                S.TEXT: f"Paragraph {k}",
            }
            for k in range(40)
        ]
    )
    data = REGISTRY["engagement"].prepare_from({**tables, "paragraphs": paragraphs})
    assert len(data.data) == engagement_chart.MAX_BARS + 1
    assert "other paragraphs" in data.data["label"].iloc[-2]
    assert "Shown: 13 of 40 paragraphs" in data.what


def test_captions_repeat_the_prepared_words(tmp_path):
    tables = _tied_tables()
    results = {r.name: r for r in make_all_figures(tables, tmp_path)}
    for name, chart in REGISTRY.items():
        data = chart.prepare_from(tables)
        caption = (tmp_path / f"{name}.caption.md").read_text(encoding="utf-8")
        assert caption.startswith(f"# {data.title}\n")
        assert f"- n: {data.n}" in caption and results[name].title == data.title
