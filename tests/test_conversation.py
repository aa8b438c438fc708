"""Known-answer tests of the conversation tables on synthetic threads."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conversation_factories import combine, make_conversation

from analysis import schema as S
from analysis.compare.conversation import (
    conversation_dir,
    conversation_notes,
    conversation_tables,
)
from analysis.compare.conversation.structure import reply_network, write_reply_network
from analysis.compare.conversation.timeline import choose_bin
from analysis.compare.conversation.tone import weighted_share_ci
from analysis.tables import write_table


def _by_doc(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index(S.DOC_ID)


@pytest.fixture
def turning_chain():
    """c1 top-level positive; c2 replies neutral; c3 and c4 reply negatively; c5 top-level."""
    return make_conversation(
        [
            {"compound": 0.6, "author": "ann"},
            {"parent": 1, "compound": 0.0, "author": "bob"},
            {"parent": 2, "compound": -0.5, "author": "ann"},
            {"parent": 3, "compound": -0.8, "author": "bob"},
            {"compound": 0.4, "author": "cat"},
            {"parent": 1, "compound": 0.3, "author": "cat"},
        ]
    )


def test_reply_chain_turning_negative(turning_chain):
    out = conversation_tables(*turning_chain)
    s = _by_doc(out["reply_structure"])
    assert s["depth"].tolist() == [0, 1, 2, 3, 0, 1]
    assert s["root_id"].tolist() == ["t1/c1"] * 4 + ["t1/c5", "t1/c1"]
    assert s["reply_count"].tolist() == [2, 1, 1, 0, 0, 0]
    assert s.loc["t1/c1", "descendant_count"] == 4
    assert s.loc["t1/c4", "parent_author_id"] == "ann"

    chains = out["reply_chains"]
    top = chains.iloc[0]
    assert top["doc_ids"] == "t1/c1 > t1/c2 > t1/c3 > t1/c4"
    assert top["comment_count"] == 4 and top["author_count"] == 2
    assert top["compound_change"] == pytest.approx(-1.4)
    assert top["negative_count"] == 2
    assert chains["comment_count"].tolist() == [4, 2]  # c5 alone is no chain

    tone = out["conversation_tone"].set_index(["grouping", "group", "sentiment_label"])
    assert tone.loc[("level", "top_level", "positive"), "share"] == 1.0
    assert tone.loc[("level", "reply", "negative"), "count"] == 2
    assert tone.loc[("level", "reply", "negative"), "n"] == 4
    assert tone.loc[("level", "reply", "negative"), "share"] == 0.5
    assert tone.loc[("depth", "3+", "negative"), "share"] == 1.0
    low, high = tone.loc[("level", "reply", "negative"), ["ci_low", "ci_high"]]
    assert 0.0 <= low <= 0.5 <= high <= 1.0

    summary = out["conversation_summary"].iloc[0]
    assert (summary["top_level_count"], summary["reply_count"]) == (2, 4)
    assert summary["max_depth"] == 3
    assert summary["replies_per_comment"] == pytest.approx(4 / 6)
    assert summary["replied_share"] == pytest.approx(3 / 6)


def test_exchanges_by_pseudonym(turning_chain):
    ex = conversation_tables(*turning_chain)["exchanges"]
    pairs = {(r.author_id, r.target_author_id): r for r in ex.itertuples()}
    assert pairs[("bob", "ann")].reply_count == 2  # c2 -> c1, c4 -> c3
    assert pairs[("bob", "ann")].negative_count == 1
    assert pairs[("ann", "bob")].reply_count == 1
    assert pairs[("cat", "ann")].reply_count == 1
    assert ex["reply_count"].sum() == 4
    assert ex.iloc[0]["author_id"] == "bob"  # most replies first


def test_cycles_and_orphans_reported_not_fatal():
    corpus, docs = make_conversation(
        [
            {"compound": 0.1},  # c1 top-level
            {"parent": 3, "compound": -0.2},  # c2 <-> c3: a cycle
            {"parent": 2, "compound": -0.2},
            {"parent": 2, "compound": 0.0},  # c4 hangs below the cycle
            {"parent": "t1/c99", "compound": -0.6},  # c5: orphan
            {"parent": 5, "compound": -0.7},  # c6 replies to the orphan
            {"parent": 7, "compound": 0.0},  # c7 names itself
        ]
    )
    out = conversation_tables(corpus, docs)
    s = _by_doc(out["reply_structure"])
    assert s["is_in_cycle"].tolist() == [False, True, True, False, False, False, True]
    assert s.loc[["t1/c2", "t1/c3", "t1/c4", "t1/c7"], "depth"].isna().all()
    assert s.loc[["t1/c2", "t1/c3", "t1/c4"], "root_id"].isna().all()
    assert s.loc["t1/c5", "is_orphan"] and s.loc["t1/c5", "depth"] == 1
    assert s.loc["t1/c6", "depth"] == 2 and s.loc["t1/c6", "root_id"] == "t1/c5"
    assert s.loc["t1/c7", "reply_count"] == 0
    summary = out["conversation_summary"].iloc[0]
    assert (summary["orphan_count"], summary["cycle_count"]) == (1, 3)
    notes = " ".join(conversation_notes(out["conversation_summary"])["t1"])
    assert "1 replies have a parent that is not in the corpus" in notes
    assert "3 comments form reply cycles" in notes
    chains = out["reply_chains"]
    assert chains.iloc[0]["doc_ids"] == "t1/c5 > t1/c6"
    assert not chains["doc_ids"].str.contains("c2|c3|c4|c7").any()


def test_like_weighted_share_differs_from_unweighted():
    # 1 negative comment with 90 likes, 3 positive comments with 10 likes in all.
    corpus, docs = make_conversation(
        [
            {"compound": -0.6, "likes": 90},
            {"compound": 0.5, "likes": 5},
            {"compound": 0.5, "likes": 5},
            {"compound": 0.5, "likes": 0},
            {"compound": None, "likes": 1000},  # not annotated: not counted
        ]
    )
    out = conversation_tables(corpus, docs)
    e = out["endorsement"].set_index("sentiment_label")
    assert e.loc["negative", "share"] == 0.25
    assert e.loc["negative", "like_share"] == pytest.approx(0.9)
    assert e.loc["positive", "like_share"] == pytest.approx(0.1)
    assert e.loc["negative", "like_total"] == 100
    assert e.loc["negative", "like_ci_low"] <= 0.9 <= e.loc["negative", "like_ci_high"]
    assert e["has_likes"].all()
    liked = out["most_liked"]
    assert liked[liked["sentiment_label"] == "negative"]["doc_id"].tolist() == ["t1/c1"]
    pos = liked[liked["sentiment_label"] == "positive"]
    assert pos["doc_id"].tolist() == ["t1/c2", "t1/c3"]  # 0 likes are not "most liked"


def test_no_likes_on_platform_is_said_not_zero(turning_chain):
    out = conversation_tables(*turning_chain)
    e = out["endorsement"]
    assert not e["has_likes"].any()
    assert e["like_share"].isna().all() and e["like_sum"].isna().all()
    assert e["share"].notna().all()
    notes = conversation_notes(out["conversation_summary"])["t1"]
    assert any("no likes on this platform" in n for n in notes)


def test_weighted_share_ci_degenerate_cases():
    assert np.isnan(weighted_share_ci(np.array([1.0, 0.0]), np.array([0.0, 0.0]))[0])
    low, high = weighted_share_ci(np.array([1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0]))
    assert low == high == 1.0


def test_timeline_across_days_with_estimates():
    corpus, docs = make_conversation(
        [
            {"date": "2024-03-01 09:10", "compound": -0.5},
            {"date": "2024-03-01 22:00", "compound": 0.5},
            {"date": "2024-03-03 08:00", "compound": -0.4, "estimated": True},
            {"date": "2024-03-05 12:00", "compound": -0.3},
            {"date": None, "compound": 0.2},
        ]
    )
    out = conversation_tables(corpus, docs)
    tl = out["timeline"]
    assert tl["time_bin"].unique().tolist() == ["day"]
    assert tl["bin_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-01",
        "2024-03-03",
        "2024-03-05",
    ]
    assert tl["comment_count"].tolist() == [2, 1, 1]
    assert tl["is_estimated"].tolist() == [False, True, False]
    assert tl["negative_share"].tolist() == [0.5, 1.0, 1.0]
    summary = out["conversation_summary"].iloc[0]
    assert (summary["dated_count"], summary["estimated_date_count"]) == (4, 1)
    assert summary["time_bin"] == "day"
    notes = conversation_notes(out["conversation_summary"])["t1"]
    assert any("1 comments without a date" in n for n in notes)
    # position split: with a missing date, early/late falls back to source order
    tone = out["conversation_tone"]
    assert set(tone[tone["grouping"] == "position"]["basis"]) == {"position"}


def test_bins_follow_the_span():
    ts = pd.Series(pd.to_datetime(["2024-01-01 00:00", "2024-01-02 12:00"]))
    assert choose_bin(ts) == "hour"
    assert choose_bin(pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"]))) == "day"
    assert choose_bin(pd.Series(pd.to_datetime(["2024-01-01", "2024-12-01"]))) == "week"
    assert choose_bin(pd.Series([pd.NaT])) is None


def test_early_late_by_date_not_position():
    # listed newest first: position order is the reverse of time order
    corpus, docs = make_conversation(
        [
            {"date": "2024-03-04", "compound": -0.5},
            {"date": "2024-03-03", "compound": -0.5},
            {"date": "2024-03-02", "compound": 0.5},
            {"date": "2024-03-01", "compound": 0.5},
        ]
    )
    tone = conversation_tables(corpus, docs)["conversation_tone"]
    pos = tone[tone["grouping"] == "position"].set_index(["group", "sentiment_label"])
    assert pos.loc[("late", "negative"), "share"] == 1.0
    assert pos.loc[("early", "positive"), "share"] == 1.0
    assert set(pos["basis"]) == {"published_date"}


def test_pooled_rows_and_network_export(tmp_path, turning_chain):
    other = make_conversation([{"compound": -0.2, "author": "ann"}, {"parent": 1}], thread_id="t2")
    corpus, docs = combine(turning_chain, other)
    out = conversation_tables(corpus, docs)
    summary = out["conversation_summary"].set_index(S.THREAD_ID)
    assert summary.loc[S.POOLED, "comment_count"] == 8
    assert summary.loc[S.POOLED, "reply_count"] == 5
    ex = out["exchanges"]
    assert ex[ex[S.THREAD_ID] == S.POOLED]["reply_count"].sum() == 5
    graph = reply_network(out["reply_structure"])
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 5
    assert graph.has_edge("t1/c4", "t1/c3")
    for suffix, read in ((".gexf", nx.read_gexf), (".graphml", nx.read_graphml)):
        back = read(write_reply_network(out["reply_structure"], tmp_path / f"g{suffix}"))
        assert back.number_of_edges() == 5
    authors = reply_network(out["reply_structure"], kind="authors")
    assert authors["bob"]["ann"]["weight"] == 2


def test_empty_and_articles_only():
    corpus, docs = make_conversation([])
    out = conversation_tables(corpus, docs)
    assert out["reply_structure"].empty and out["timeline"].empty
    assert list(out["reply_structure"].columns) == S.REPLY_STRUCTURE.names


def test_structure_without_documents(turning_chain):
    out = conversation_tables(turning_chain[0], None)
    assert out["reply_structure"]["depth"].tolist() == [0, 1, 2, 3, 0, 1]
    assert (out["conversation_tone"]["n"] == 0).all()


def test_conversation_dir_writes_tables_and_networks(tmp_path, turning_chain):
    corpus, docs = turning_chain
    write_table(corpus, S.CORPUS, tmp_path)
    write_table(docs, S.DOCUMENTS, tmp_path)
    outputs = conversation_dir(tmp_path, tmp_path / "out")
    for name in outputs:
        assert (tmp_path / "out" / f"{name}.parquet").is_file()
    assert (tmp_path / "out" / "reply_network.gexf").is_file()


def test_actors_and_off_article_share_by_level(turning_chain):
    corpus, docs = turning_chain
    mentions = pd.DataFrame(
        {
            S.DOC_ID: ["t1/c1", "t1/c2", "t1/c2", "t1/c3", "t1/c5"],
            S.ENTITY_ID: ["putin", "putin", "putin", "biden", "biden"],
            S.ENTITY_NAME: [
                "Vladimir Putin",
                "Vladimir Putin",
                "Vladimir Putin",
                "Joe Biden",
                "Joe Biden",
            ],
        }
    )
    engagement = pd.DataFrame(
        {
            S.DOC_ID: ["t1/c1", "t1/c5", "t1/c2", "t1/c3", "t1/c4", "t1/c6"],
            "is_off_article": [False, True, True, True, True, False],
        }
    )
    out = conversation_tables(corpus, docs, mentions=mentions, engagement=engagement)
    actors = out["level_actors"].set_index(["level", S.ENTITY_ID])
    assert actors.loc[("top_level", "biden"), "comment_count"] == 1
    assert actors.loc[("top_level", "biden"), "share"] == 0.5
    assert actors.loc[("reply", "putin"), "comment_count"] == 1  # c2 counted once
    assert actors.loc[("reply", "putin"), "n"] == 4
    summary = out["conversation_summary"].iloc[0]
    assert summary["top_level_off_article_share"] == 0.5
    assert summary["reply_off_article_share"] == 0.75


def test_every_table_holds_only_vocabulary_values(turning_chain):
    """Categorical columns (level, grouping, group, basis, time_bin) stay inside the schema's
    vocabularies, pooled rows included (their time_bin is missing, not '')."""
    other = make_conversation(
        [{"compound": -0.2, "date": "2024-03-01 10:00"}, {"parent": 1, "date": "2024-03-01 12:00"}],
        thread_id="t2",
    )
    out = conversation_tables(*combine(turning_chain, other))
    for name, table in out.items():
        S.ALL_TABLES[name].validate(table, stage="test")
    summary = out["conversation_summary"].set_index(S.THREAD_ID)
    assert pd.isna(summary.loc[S.POOLED, S.TIME_BIN]) and pd.isna(summary.loc["t1", S.TIME_BIN])
    assert summary.loc["t2", S.TIME_BIN] == "hour"
    assert set(out["conversation_tone"][S.BASIS]) <= set(S.GROUP_BASES)


def test_placeholders_are_left_out_and_their_replies_become_orphans():
    corpus, docs = make_conversation(
        [{"compound": 0.5}, {"placeholder": True, "text": "[deleted]"}, {"parent": 2}]
    )
    out = conversation_tables(corpus, docs)
    s = _by_doc(out["reply_structure"])
    assert "t1/c2" not in s.index
    assert bool(s.loc["t1/c3", S.IS_ORPHAN]) and s.loc["t1/c3", S.DEPTH] == 1
    assert out["conversation_summary"].iloc[0][S.COMMENT_COUNT] == 2


def test_conversation_command_writes_tables_and_says_what_is_missing(tmp_path, capsys):
    from analysis.cli import main

    corpus, docs = make_conversation([{"compound": 0.5}, {"parent": 1, "compound": -0.6}])
    write_table(corpus, S.CORPUS, tmp_path)
    write_table(docs, S.DOCUMENTS, tmp_path)
    assert main(["conversation", "--in", str(tmp_path), "--out", str(tmp_path / "o"), "--csv"]) == 0
    out = capsys.readouterr().out
    assert "no likes on this platform" in out and "no publication dates" in out
    assert "hostility" in out
    for name in {t.name for t in S.CONVERSATION_TABLES} - {"labels", "label_shares"}:
        assert (tmp_path / "o" / f"{name}.csv").is_file(), name


def test_conversation_command_without_corpus_is_one_line(tmp_path, capsys):
    from analysis.cli import main

    assert main(["conversation", "--in", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "corpus" in err[0] and "discourse ingest" in err[0]


def test_reply_without_captured_parent_is_an_orphan_reply():
    """Ingest keeps a reply whose parent it did not capture as is_reply with no parent_id (the
    YouTube API's replies page without its top-level comment): a reply at depth 1, not top-level."""
    corpus, docs = make_conversation([{"compound": 0.1}, {"orphan": True}, {"parent": 2}])
    out = conversation_tables(corpus, docs)
    s = _by_doc(out["reply_structure"])
    assert s[S.IS_REPLY].tolist() == [False, True, True]
    assert s[S.IS_ORPHAN].tolist() == [False, True, False]
    assert s[S.DEPTH].tolist() == [0, 1, 2]
    assert s.loc["t1/c3", S.ROOT_ID] == "t1/c2"
    summary = out["conversation_summary"].iloc[0]
    assert (summary[S.REPLY_COUNT], summary[S.ORPHAN_COUNT], summary[S.MAX_DEPTH]) == (2, 1, 2)
    assert "no replies" not in " ".join(conversation_notes(out["conversation_summary"])["t1"])
