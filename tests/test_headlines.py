"""Headline findings: generated from the tables, numbers that match them, no comment text."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from compare_factories import Sent, make_annotated_thread

from analysis import schema as S
from analysis.compare.agenda import agenda_table
from analysis.compare.headlines import MAX_FINDINGS, headline_findings, write_headlines
from analysis.compare.keyness import keyness_table
from analysis.compare.tone import actor_tone_table, tone_tables

ARTICLE_VALUES = [0.4, 0.2, -0.1, 0.3, 0.0, 0.5]
COMMENT_VALUES = [-0.7, -0.6, -0.2, -0.9, 0.1]


def rich_thread() -> dict[str, pd.DataFrame]:
    """Eve: 6 article sentences and 5 comments; Frank only in comments; Gil only in the article."""
    article = [
        [Sent(f"Eve opened hall {i}.", v, lemmas="eve open hall budget", entities=("Eve",))]
        for i, v in enumerate(ARTICLE_VALUES)
    ] + [[Sent("Gil signed it.", 0.0, lemmas="gil sign", entities=("Gil",))]]
    comments = [
        [
            Sent(
                f"Eve and Frank plot number {i}.",
                v,
                lemmas="eve frank plot scam scam",
                entities=("Eve", "Frank"),
            )
        ]
        for i, v in enumerate(COMMENT_VALUES)
    ] + [[Sent("Frank again here.", -0.5, lemmas="frank scam", entities=("Frank",))]]
    return make_annotated_thread(article=article, comments=comments, title="Hall opens")


def other_tables(thread_id: str = "t1") -> dict[str, pd.DataFrame]:
    """Frame, topic and engagement tables written by hand (their own tests live elsewhere)."""
    sentence = [
        ("economic", "article", 5, 8, 5 / 8, 0.3, 0.9),
        ("morality", "article", 1, 8, 1 / 8, 0.0, 0.4),
        ("no_frame_term", "article", 6, 8, 6 / 8, 0.5, 1.0),
        ("economic", "comments", 1, 6, 1 / 6, 0.0, 0.5),
        ("morality", "comments", 4, 6, 4 / 6, 0.3, 1.0),
        ("no_frame_term", "comments", 1, 6, 1 / 6, 0.0, 0.5),
    ]
    frame_shares = pd.DataFrame(
        [(thread_id, *row) for row in sentence], columns=S.FRAME_SHARES.names
    )
    topic_shares = pd.DataFrame(
        [
            (thread_id, "lexicon", "money", "Money", "article", 6, 0.75, False, False),
            (thread_id, "lexicon", "money", "Money", "comments", 1, 0.2, False, False),
            (thread_id, "lexicon", "plots", "Plots", "article", 0, 0.05, True, False),
            (thread_id, "lexicon", "plots", "Plots", "comments", 5, 0.7, True, False),
        ],
        columns=S.TOPIC_SHARES.names,
    )
    engagement = pd.DataFrame(
        [(thread_id, f"{thread_id}/c{i}", pd.NA, 0.05, 0.0, 0.05, True, "") for i in range(1, 5)]
        + [
            (thread_id, f"{thread_id}/c{i}", f"{thread_id}/article/p1", 0.5, 0.5, 0.5, False, "Eve")
            for i in range(5, 7)
        ],
        columns=S.ENGAGEMENT.names,
    )
    drivers = pd.DataFrame(
        [(thread_id, "frank", "Frank", 4, 1.0, False), (thread_id, "eve", "Eve", 3, 0.75, True)],
        columns=S.OFF_ARTICLE_DRIVERS.names,
    )
    return {
        "frame_shares": S.FRAME_SHARES.conform(frame_shares),
        "topic_shares": S.TOPIC_SHARES.conform(topic_shares),
        "engagement": S.ENGAGEMENT.conform(engagement),
        "off_article_drivers": S.OFF_ARTICLE_DRIVERS.conform(drivers),
    }


def all_tables() -> dict[str, pd.DataFrame]:
    t = rich_thread()
    out = dict(t)
    out["agenda"] = agenda_table(t["mentions"], t["sentences"], t["documents"], t["paragraphs"])
    out["actor_tone"] = actor_tone_table(t["mentions"], t["documents"])
    out["tone_shares"], out["tone_summary"] = tone_tables(t["sentences"], t["documents"])
    out["keyness"] = keyness_table(t["sentences"], t["documents"])
    out.update(other_tables())
    return out


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return all_tables()


@pytest.fixture(scope="module")
def findings(tables) -> dict[str, tuple[str, dict, str]]:
    heads = headline_findings(tables)
    return {
        r["finding_id"]: (r["statement"], json.loads(r["numbers"]), r["source_table"])
        for _, r in heads.iterrows()
    }


def test_between_five_and_eight_findings_each_from_a_table(tables):
    heads = headline_findings(tables)
    assert list(heads.columns) == S.HEADLINES.names
    assert 5 <= len(heads) <= MAX_FINDINGS
    assert heads["finding_id"].is_unique
    assert set(heads["source_table"]) <= set(tables)
    assert (heads[S.THREAD_ID] == "t1").all()


def test_negative_share_numbers_match_tone_shares(tables, findings):
    text, numbers, source = findings["negative_share"]
    assert source == "tone_shares"
    shares = tables["tone_shares"].set_index(["unit", "sentiment_label"])
    com, art = shares.loc[("comment", "negative")], shares.loc[("article_sentence", "negative")]
    assert numbers["comment_negative_share"] == pytest.approx(com["share"], abs=1e-6)
    assert numbers["comment_n"] == com["n"] == 6
    assert numbers["comment_ci_low"] == pytest.approx(com["ci_low"], abs=1e-6)
    assert numbers["comment_ci_high"] == pytest.approx(com["ci_high"], abs=1e-6)
    assert numbers["article_sentence_negative_share"] == pytest.approx(art["share"], abs=1e-6)
    assert numbers["article_sentence_n"] == art["n"] == 8  # title + 7 sentences
    assert f"{100 * com['share']:.0f}% of 6 analysed comments" in text
    assert f"{100 * art['share']:.0f}% of 8 article sentences" in text
    sent = shares.loc[("comment_sentence", "negative")]
    assert numbers["comment_sentence_negative_share"] == pytest.approx(sent["share"], abs=1e-6)
    assert numbers["comment_sentence_n"] == sent["n"] == 6
    assert f"{100 * sent['share']:.0f}% of 6 comment sentences" in text


def test_actor_findings_match_agenda(tables, findings):
    agenda = tables["agenda"].set_index(S.ENTITY_ID)
    text, numbers, source = findings["top_comment_actor"]
    assert source == "agenda"
    assert numbers["entity_id"] == agenda["comment_mention_count"].idxmax() == "frank"
    assert numbers["comment_mention_count"] == agenda.loc["frank", "comment_mention_count"] == 6
    assert numbers["comment_mention_total"] == agenda["comment_mention_count"].sum() == 11
    assert "the article does not mention this actor" in text
    text, numbers, _ = findings["comments_only_actors"]
    assert numbers["comments_only_count"] == int((agenda["presence"] == "comments_only").sum())
    assert numbers["top"] == {"frank": 6}
    assert "Frank (6)" in text


def test_actor_tone_gap_matches_actor_tone(tables, findings):
    text, numbers, _ = findings["actor_tone_gap"]
    tone = tables["actor_tone"]
    eve = tone[tone[S.ENTITY_ID] == "eve"].set_index(S.SIDE)
    assert numbers["entity_id"] == "eve"
    assert numbers["article_compound_mean"] == pytest.approx(sum(ARTICLE_VALUES) / 6, abs=1e-6)
    assert numbers["comment_compound_mean"] == pytest.approx(
        eve.loc[S.SIDE_COMMENTS, "compound_mean"], abs=1e-6
    )
    assert numbers["comment_ci_low"] == pytest.approx(eve.loc[S.SIDE_COMMENTS, "ci_low"], abs=1e-6)
    assert f"{sum(COMMENT_VALUES) / 5:+.2f} in the comments" in text


def test_distinctive_terms_match_keyness(tables, findings):
    text, numbers, _ = findings["distinctive_terms"]
    keyness = tables["keyness"]
    key = keyness[keyness[S.REFERENCE] == S.REFERENCE_ARTICLE].set_index("term")
    assert numbers["comments"]  # 'scam' and 'frank' are comment-only terms
    for term, z in numbers["comments"].items():
        assert key.loc[term, S.SIDE] == S.SIDE_COMMENTS
        assert z == pytest.approx(key.loc[term, "z_score"], abs=1e-6)
    for term, z in numbers["article"].items():
        assert key.loc[term, S.SIDE] == S.SIDE_ARTICLE
        assert z == pytest.approx(key.loc[term, "z_score"], abs=1e-6)
    top = max(numbers["comments"], key=numbers["comments"].get)
    assert f"'{top}'" in text
    # The general-English sentence names only words that passed against general English.
    english = keyness[keyness[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH].set_index("term")
    passed = english[english[S.SIDE] == S.SIDE_COMMENTS]
    assert set(numbers["general_english"]) <= set(passed.index)
    assert len(numbers["general_english"]) == min(3, len(passed))
    for term, z in numbers["general_english"].items():
        assert z == pytest.approx(english.loc[term, "z_score"], abs=1e-6)
        assert english.loc[term, S.COMMENT_DOC_COUNT] >= numbers["min_comments"]
    if passed.empty:
        assert "No comment word is distinctive against general English" in text
        assert "more than general English" not in text
    else:
        assert "more than general English" in text


def test_a_short_article_headline_gives_the_ceiling_and_the_english_words():
    # An article of one short sentence, comments that keep using an unlisted word and "flag".
    comments = [
        [Sent(f"u{i}", lemmas="zorblax flag people", words="zorblax flag people")]
        for i in range(12)
    ]
    t = make_annotated_thread(
        article=[[Sent("a", lemmas="state flag law", words="state flag law")]], comments=comments
    )
    key = keyness_table(t["sentences"], t["documents"])
    found = {
        row["finding_id"]: row for _, row in headline_findings({**t, "keyness": key}).iterrows()
    }
    text = found["distinctive_terms"]["statement"]
    numbers = json.loads(found["distinctive_terms"]["numbers"])
    assert "no comment lemma can reach z = 1.96 (at most z = " in text
    assert numbers["comment_z_ceiling"] < 1.96
    assert "Commenters used 'zorblax'" in text and "more than general English" in text
    assert "zorblax" in numbers["general_english"]


def test_engagement_frame_topic_findings_match(findings):
    # 8 candidate kinds fill the cap before the topics finding; it is tested separately below.
    text, numbers, _ = findings["off_article_share"]
    assert numbers["off_article_count"] == 4 and numbers["comment_n"] == 6
    assert numbers["top_driver"] == {"entity_id": "frank", "comment_count": 4}
    assert "4 of 6 analysed comments (67%)" in text
    text, numbers, _ = findings["dominant_frame"]
    assert numbers["article"]["frame"] == "economic"  # "no frame term" is not a candidate
    assert numbers["article"]["share"] == pytest.approx(5 / 8)
    assert numbers["comments"]["frame"] == "morality"
    assert "economic in the article sentences (5 of 8, 62%)" in text
    assert "morality in the comment sentences (4 of 6, 67%)" in text


def test_comment_led_topics_when_room(tables):
    heads = headline_findings(tables, max_findings=20)
    row = heads[heads["finding_id"] == "comment_led_topics"].iloc[0]
    numbers = json.loads(row["numbers"])
    assert numbers["topics"] == {"plots": {"comments": 0.7, "article": 0.05}}
    assert "Plots (70% of comment topic weight against 5% in the article)" in row["statement"]


def test_statements_quote_no_comment_text(tables):
    heads = headline_findings(tables)
    comment_sentences = tables["sentences"]
    comment_sentences = comment_sentences[comment_sentences[S.DOC_KIND] == S.COMMENT][S.TEXT]
    for statement in heads["statement"]:
        for sentence in comment_sentences:
            assert sentence not in statement


def test_findings_are_deterministic_and_follow_the_tables(tables):
    pd.testing.assert_frame_equal(headline_findings(tables), headline_findings(tables))
    changed = dict(tables)
    shares = tables["tone_shares"].copy()
    mask = (shares["unit"] == "comment") & (shares["sentiment_label"] == "negative")
    shares.loc[mask, "share"] = 0.123
    changed["tone_shares"] = shares
    heads = headline_findings(changed).set_index("finding_id")
    assert "12% of 6 analysed comments" in heads.loc["negative_share", "statement"]


def test_absent_tables_are_skipped(tables):
    heads = headline_findings({"tone_shares": tables["tone_shares"]})
    assert heads["finding_id"].tolist() == ["negative_share"]
    assert headline_findings({}).empty


def test_write_headlines_markdown_and_json(tables, tmp_path):
    heads = headline_findings(tables)
    md_path, json_path = write_headlines(heads, tmp_path)
    md = md_path.read_text(encoding="utf-8")
    assert md.startswith("# Headline findings")
    assert "quote no comment text" in md
    for statement in heads["statement"]:
        assert statement in md
    records = json.loads(json_path.read_text(encoding="utf-8"))
    assert [r["statement"] for r in records] == heads["statement"].tolist()
    assert [r["numbers"] for r in records] == [json.loads(n) for n in heads["numbers"]]
    again = tmp_path / "again"
    write_headlines(heads, again)
    assert (again / "headlines.md").read_bytes() == md_path.read_bytes()


def test_numbers_are_valid_json_without_nan(tables):
    for raw in headline_findings(tables)["numbers"]:
        numbers = json.loads(raw)

        def walk(value: object) -> None:
            if isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, float):
                assert not math.isnan(value)

        walk(numbers)


def _actor_findings(tables) -> dict[str, tuple[str, dict]]:
    heads = headline_findings(tables, max_findings=20)
    return {
        r["finding_id"]: (r["statement"], json.loads(r["numbers"]))
        for _, r in heads.iterrows()
        if r["finding_id"] in ("top_comment_actor", "comments_only_actors")
    }


def test_an_entity_named_in_one_place_is_not_the_top_or_a_comments_only_actor(tables):
    """Frank (the comments' most mentioned, comments only) marked as named in one place: the
    headlines pass over him to the next ranked actor, while totals keep his mentions."""
    agenda = tables["agenda"].copy()
    assert bool(agenda.loc[agenda[S.ENTITY_ID] == "frank", S.IS_RANKED].iloc[0])
    agenda.loc[agenda[S.ENTITY_ID] == "frank", S.IS_RANKED] = False
    found = _actor_findings({**tables, "agenda": agenda})
    text, numbers = found["top_comment_actor"]
    assert numbers["entity_id"] == "eve"
    assert numbers["comment_mention_total"] == 11 and numbers["unranked_count"] == 1
    text, numbers = found["comments_only_actors"]
    assert numbers["comments_only_count"] == 0 and "frank" not in numbers["top"]
    assert text.startswith("Every actor the commenters name in two or more independent places")


def test_no_ranked_actor_is_said_so(tables):
    agenda = tables["agenda"].assign(**{S.IS_RANKED: False})
    text, numbers = _actor_findings({**tables, "agenda": agenda})["top_comment_actor"]
    assert "two or more independent places" in text and "2 entities named in one place" in text
    assert numbers["unranked_count"] == 2


def test_off_article_driver_is_a_ranked_actor(tables):
    """Frank drives the off-article comments (4); marked as named in one place, the finding
    names the next driver that ranks (Eve, 3) and the off-article counts stay the same."""
    agenda = tables["agenda"].copy()
    agenda.loc[agenda[S.ENTITY_ID] == "frank", S.IS_RANKED] = False
    heads = headline_findings({**tables, "agenda": agenda}, max_findings=20)
    row = heads[heads["finding_id"] == "off_article_share"].iloc[0]
    numbers = json.loads(row["numbers"])
    assert numbers["top_driver"] == {"entity_id": "eve", "comment_count": 3}
    assert numbers["off_article_count"] == 4 and "Eve" in row["statement"]
