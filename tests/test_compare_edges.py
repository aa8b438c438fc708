"""Edge threads and the orchestration: nothing crashes, missing numbers are NaN and explained."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread

from analysis import schema as S
from analysis.cli import main
from analysis.compare import OUTPUT_TABLES, compare_dir, compare_notes, compare_tables
from analysis.errors import StageInputError
from analysis.tables import read_table, write_table

ARTICLE = [
    [Sent("Mayor Ada Park opened the bridge.", 0.3, entities=(("Ada Park", "Ada Park"),))],
    [Sent("The bridge cost ten million.", 0.0), Sent("Critics called it waste.", -0.5)],
]


def thread(comments, article=ARTICLE, thread_id="t1") -> dict[str, pd.DataFrame]:
    return make_annotated_thread(article=article, comments=comments, thread_id=thread_id)


EDGES = {
    "no_comments": thread([]),
    "one_comment": thread([[Sent("Ada Park did well.", 0.6, entities=("Ada Park",))]]),
    "only_empty_comments": thread(["", "", ""]),
    "only_non_english": thread(
        [Comment([Sent("Das ist gut.")], lang="de"), Comment("C'est la vie.", lang="fr")]
    ),
    "only_non_english_with_sentences": thread(
        [Comment([Sent("Das ist gut.")], lang="de", keep_sentences=True)]
    ),
    "one_sentence_article": thread(
        [[Sent("Good bridge.", 0.4)], [Sent("Bad bridge.", -0.4)]],
        article=[[Sent("Ada Park opened a bridge.", 0.1, entities=("Ada Park",))]],
    ),
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, pd.DataFrame]]:
    return {name: compare_tables(tables) for name, tables in EDGES.items()}


@pytest.mark.parametrize("name", list(EDGES))
def test_edge_thread_gives_every_table_conformed(results, name):
    out = results[name]
    assert list(out) == list(OUTPUT_TABLES)
    for table_name, frame in out.items():
        assert list(frame.columns) == S.ALL_TABLES[table_name].names, table_name
    heads = out["headlines"]
    assert 1 <= len(heads) <= 8
    assert heads.iloc[0]["finding_id"] == "coverage"
    for raw in heads["numbers"]:
        json.loads(raw)


def comment_summary(out: dict[str, pd.DataFrame]) -> pd.Series:
    return out["tone_summary"].set_index("unit").loc["comment"]


def statement(out: dict[str, pd.DataFrame], finding_id: str) -> str:
    heads = out["headlines"].set_index("finding_id")
    return heads.loc[finding_id, "statement"]


@pytest.mark.parametrize(
    ("name", "excluded", "reason"),
    [
        ("no_comments", 0, "no comments"),
        ("only_empty_comments", 3, "none of the 3 comments is analysed"),
        ("only_non_english", 2, "none of the 2 comments is analysed"),
        ("only_non_english_with_sentences", 1, "the one comment is not analysed"),
    ],
)
def test_threads_without_analysed_comments_say_why(results, name, excluded, reason):
    out = results[name]
    row = comment_summary(out)
    assert row["n"] == 0 and row["excluded_count"] == excluded
    assert math.isnan(row["compound_mean"]) and math.isnan(row["ci_low"])
    shares = out["tone_shares"]
    assert shares.loc[shares["unit"] == "comment", "share"].isna().all()
    notes = compare_notes(out)["t1"]
    assert any(reason in note for note in notes), notes
    assert "share of negative comments is missing" in statement(out, "negative_share")
    assert out["engagement"].empty
    assert out["agenda"]["comment_mention_count"].sum() == 0
    assert (out["agenda"]["presence"] == "article_only").all()
    assert out["keyness"]["z_score"].isna().all()
    assert "not computed" in statement(out, "distinctive_terms")


def test_coverage_statement_counts_left_out_comments(results):
    assert "0 of 3 comments are analysed (left out: 3 empty)" in statement(
        results["only_empty_comments"], "coverage"
    )
    assert "0 of 2 comments are analysed (left out: 2 not in English)" in statement(
        results["only_non_english"], "coverage"
    )
    assert "there are no comments" in statement(results["no_comments"], "coverage")


def test_non_english_sentences_are_excluded_and_counted(results):
    summary = results["only_non_english_with_sentences"]["tone_summary"].set_index("unit")
    assert summary.loc["comment_sentence", "n"] == 0
    assert summary.loc["comment_sentence", "excluded_count"] == 1


def test_one_comment_gives_share_without_interval(results):
    out = results["one_comment"]
    row = comment_summary(out)
    assert row["n"] == 1
    assert row["compound_mean"] == pytest.approx(0.6)
    assert math.isnan(row["ci_low"]) and math.isnan(row["ci_high"])
    assert any("one analysed comment" in n for n in compare_notes(out)["t1"])
    assert "no interval: fewer than two units" in statement(out, "negative_share")
    agenda = out["agenda"].set_index(S.ENTITY_ID)
    assert agenda.loc["ada-park", "presence"] == "both"
    assert agenda.loc["ada-park", "comment_doc_share"] == 1.0


def test_one_sentence_article(results):
    out = results["one_sentence_article"]
    summary = out["tone_summary"].set_index("unit")
    assert summary.loc["article_sentence", "n"] == 1
    assert math.isnan(summary.loc["article_sentence", "ci_low"])
    assert summary.loc["comment", "n"] == 2
    assert not math.isnan(summary.loc["comment", "ci_low"])
    assert any("article has one sentence" in n for n in compare_notes(out)["t1"])
    assert out["agenda"].set_index(S.ENTITY_ID).loc["ada-park", "article_doc_share"] == 1.0
    tone = out["actor_tone"]
    assert tone["is_too_few"].all()


def test_edge_threads_pooled_together():
    tables = combine_threads(
        *(
            make_annotated_thread(article=ARTICLE, comments=c, thread_id=tid)
            for tid, c in (("a", []), ("b", ["", ""]), ("c", [[Sent("Fine.", 0.2)]]))
        )
    )
    out = compare_tables(tables)
    summary = out["tone_summary"]
    pooled = summary[(summary[S.THREAD_ID] == S.POOLED) & (summary["unit"] == "comment")].iloc[0]
    assert pooled["n"] == 1 and pooled["excluded_count"] == 2
    assert set(out["headlines"][S.THREAD_ID]) == {"a", "b", "c", S.POOLED}
    assert list(compare_notes(out))[-1] == S.POOLED


def test_compare_is_deterministic_and_leaves_inputs_alone():
    tables = EDGES["one_sentence_article"]
    before = {k: v.copy() for k, v in tables.items()}
    first, second = compare_tables(tables, seed=3), compare_tables(tables, seed=3)
    for name in OUTPUT_TABLES:
        pd.testing.assert_frame_equal(first[name], second[name])
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_missing_input_table_raises():
    tables = dict(EDGES["one_comment"])
    del tables["mentions"]
    with pytest.raises(StageInputError, match="mentions"):
        compare_tables(tables)
    broken = dict(EDGES["one_comment"])
    broken["documents"] = broken["documents"].drop(columns=["is_annotated"])
    with pytest.raises(StageInputError, match="is_annotated"):
        compare_tables(broken)


def write_inputs(tables: dict[str, pd.DataFrame], folder) -> None:
    for name, frame in tables.items():
        write_table(frame, S.ALL_TABLES[name], folder)


def test_compare_dir_writes_every_table_and_headline_files(tmp_path):
    src = tmp_path / "in"
    write_inputs(EDGES["one_sentence_article"], src)
    out_dir = tmp_path / "out"
    outputs = compare_dir(src, out_dir, seed=5, csv=True)
    for name in OUTPUT_TABLES:
        assert (out_dir / f"{name}.parquet").is_file()
        assert (out_dir / f"{name}.csv").is_file()
        pd.testing.assert_frame_equal(read_table(name, out_dir), outputs[name])
    assert (out_dir / "headlines.md").read_text(encoding="utf-8").startswith("# Headline")
    records = json.loads((out_dir / "headlines.json").read_text(encoding="utf-8"))
    assert len(records) == len(outputs["headlines"])


def test_compare_command_prints_summary_and_fails_cleanly(tmp_path, capsys):
    write_inputs(EDGES["no_comments"], tmp_path)
    assert main(["compare", "--in", str(tmp_path), "--seed", "9"]) == 0
    printed = capsys.readouterr().out
    assert "agenda" in printed and "headline findings" in printed
    assert "note [t1]: no comments" in printed
    assert (tmp_path / "tone_shares.parquet").is_file()
    (tmp_path / "sentences.parquet").unlink()
    assert main(["compare", "--in", str(tmp_path)]) == 2
    assert "sentences" in capsys.readouterr().err


# --------------------------------------------------------------------------- the seed thread


def check_headlines_against_tables(outputs: dict[str, pd.DataFrame]) -> int:
    """Every quoted number is found in its source table; returns the findings checked."""
    checked = 0
    for _, row in outputs["headlines"].iterrows():
        thread, numbers = row[S.THREAD_ID], json.loads(row["numbers"])
        table = outputs.get(row["source_table"])
        if table is not None and S.THREAD_ID in table:
            table = table[table[S.THREAD_ID] == thread]
        kind = row["finding_id"]
        if kind == "negative_share":
            shares = table.set_index(["unit", "sentiment_label"])
            for unit in ("comment", "article_sentence", "comment_sentence"):
                got = shares.loc[(unit, "negative")]
                assert numbers[f"{unit}_n"] == got["n"]
                assert numbers[f"{unit}_negative_share"] == pytest.approx(got["share"], abs=1e-6)
                assert f"{100 * got['share']:.0f}%" in row["statement"]
        elif kind == "top_comment_actor":
            agenda = table.set_index(S.ENTITY_ID)
            top = agenda.loc[numbers["entity_id"]]
            ranked = agenda[agenda[S.IS_RANKED].astype(bool)]
            assert numbers["comment_mention_count"] == ranked["comment_mention_count"].max()
            assert numbers["comment_mention_count"] == top["comment_mention_count"]
            assert numbers["article_mention_count"] == top["article_mention_count"]
            assert top[S.ENTITY_NAME] in row["statement"]
        elif kind == "comments_only_actors":
            only = (table["presence"] == "comments_only") & table[S.IS_RANKED].astype(bool)
            assert numbers["comments_only_count"] == only.sum()
            assert (
                numbers["unranked_count"]
                == ((table["comment_mention_count"] > 0) & ~table[S.IS_RANKED].astype(bool)).sum()
            )
        elif kind == "actor_tone_gap" and numbers.get("entity_id"):
            tone = table[table[S.ENTITY_ID] == numbers["entity_id"]].set_index(S.SIDE)
            assert numbers["article_compound_mean"] == pytest.approx(
                tone.loc[S.SIDE_ARTICLE, "compound_mean"], abs=1e-6
            )
            assert not tone["is_too_few"].any()
        elif kind == "distinctive_terms":
            key = table[table[S.REFERENCE] == S.REFERENCE_ARTICLE].set_index("term")
            for side in ("comments", "article"):
                for term, z in numbers.get(side, {}).items():
                    assert z == pytest.approx(key.loc[term, "z_score"], abs=1e-6)
            english = table[table[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH].set_index("term")
            for term, z in numbers.get("general_english", {}).items():
                assert english.loc[term, S.SIDE] == S.SIDE_COMMENTS
                assert z == pytest.approx(english.loc[term, "z_score"], abs=1e-6)
        elif kind == "off_article_share":
            assert numbers["comment_n"] == len(table)
            assert numbers["off_article_count"] == table["is_off_article"].sum()
        elif kind == "dominant_frame":
            for side in S.SIDES:
                if numbers.get(side) and numbers[side].get("frame"):
                    frames = table[(table[S.SIDE] == side) & (table["frame"] != "no_frame_term")]
                    assert numbers[side]["share"] == pytest.approx(frames["share"].max(), abs=1e-6)
        elif kind == "coverage":
            assert numbers["comment_count"] == numbers["analysed_comment_count"] + numbers[
                "empty_comment_count"
            ] + numbers["non_english_comment_count"] + numbers["other_skipped_count"] + numbers.get(
                "placeholder_comment_count", 0
            )
        checked += 1
    return checked


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory, seed_path):
    folder = tmp_path_factory.mktemp("seed")
    assert main(["ingest", str(seed_path), "--out", str(folder)]) == 0
    assert main(["annotate", "--in", str(folder), "--no-cache"]) == 0
    return folder, compare_dir(folder, folder, seed=11)


def test_seed_thread_every_table_written_and_headlines_match(seed_outputs):
    folder, outputs = seed_outputs
    for name in OUTPUT_TABLES:
        assert (folder / f"{name}.parquet").is_file(), name
    assert 5 <= len(outputs["headlines"]) <= 8
    assert check_headlines_against_tables(outputs) == len(outputs["headlines"])
    # 14 of the 20 comments are non-empty; the empty ones are excluded and counted.
    summary = outputs["tone_summary"].set_index("unit")
    assert summary.loc["comment", "n"] + summary.loc["comment", "excluded_count"] == 20
    agenda = outputs["agenda"]
    assert agenda["article_mention_share"].sum() == pytest.approx(1.0)
    assert agenda["comment_mention_share"].sum() == pytest.approx(1.0)
    records = json.loads((folder / "headlines.json").read_text(encoding="utf-8"))
    assert [r["statement"] for r in records] == outputs["headlines"]["statement"].tolist()


# ------------------------------------------------------------------------------ placeholders

DELETED = Sent("This comment has been deleted.", -0.2, lemmas="comment delete")


def _with_placeholders(column: bool = True) -> dict[str, pd.DataFrame]:
    comments = [
        [Sent("Ada Park did well.", 0.6, entities=("Ada Park",))],
        Comment([DELETED], placeholder=column),
        [Sent("The bridge is ugly.", -0.4)],
        Comment([DELETED], placeholder=column),
    ]
    return thread(comments)


def test_placeholders_flagged_in_the_corpus_are_left_out_and_counted():
    tables = _with_placeholders()
    assert tables["corpus"][S.IS_PLACEHOLDER].sum() == 2
    out = compare_tables(tables)
    summary = out["tone_summary"].set_index("unit")
    assert summary.loc["comment", "n"] == 2
    assert summary.loc["comment", "excluded_count"] == 2
    assert "delete" not in set(out["keyness"]["term"])
    assert not out["frame_scores"]["unit_id"].astype(str).str.startswith("t1/c2").any()
    assert set(out["engagement"][S.DOC_ID]) == {"t1/c1", "t1/c3"}
    coverage = out["headlines"].set_index("finding_id").loc["coverage"]
    assert "2 platform placeholders" in coverage["statement"]
    assert json.loads(coverage["numbers"])["placeholder_comment_count"] == 2
    assert any("placeholder" in n for n in compare_notes(out)["t1"])


def test_unflagged_placeholders_are_ordinary_comments():
    tables = _with_placeholders(column=False)
    assert not tables["corpus"][S.IS_PLACEHOLDER].any()
    out = compare_tables(tables)
    assert out["tone_summary"].set_index("unit").loc["comment", "n"] == 4
    assert "delete" in set(out["keyness"]["term"])
    coverage = out["headlines"].set_index("finding_id").loc["coverage"]
    assert json.loads(coverage["numbers"])["placeholder_comment_count"] == 0
    assert "placeholder" not in coverage["statement"]


def test_placeholder_flag_on_documents_is_honoured_too():
    tables = _with_placeholders(column=False)
    docs = tables["documents"].copy()
    docs[S.IS_PLACEHOLDER] = pd.array(docs[S.DOC_ID] == "t1/c2", dtype="boolean")
    out = compare_tables({**tables, "documents": docs})
    assert out["tone_summary"].set_index("unit").loc["comment", "n"] == 3


def test_usable_doc_ids_is_one_rule_whatever_the_columns():
    from analysis.compare.scope import usable_doc_ids

    docs = _with_placeholders(column=False)["documents"]
    assert usable_doc_ids(docs) == {"t1/article", "t1/c1", "t1/c2", "t1/c3", "t1/c4"}
    no_lang = docs.drop(columns=["is_english"])
    assert usable_doc_ids(no_lang) == usable_doc_ids(docs)
    unknown = docs.assign(is_english=pd.array([True, None, True, True, True], dtype="boolean"))
    assert "t1/c1" not in usable_doc_ids(unknown)


def test_notes_say_when_the_article_is_too_short_and_topics_need_more_text():
    short = thread(
        [[Sent(f"People say the bridge fails {i}.", -0.1)] for i in range(30)],
        article=[[Sent("Bridge opens.", 0.0)]],
    )
    notes = compare_notes(compare_tables(short))["t1"]
    assert any("too few for any comment term to be distinctive" in n for n in notes), notes
    tiny = compare_notes(compare_tables(EDGES["one_comment"]))["t1"]
    assert any("too little text for exploratory topics" in n for n in tiny), tiny


def test_cli_topic_lexicon_applies_guided_topics(tmp_path):
    tables = thread([[Sent("The bridge cost ten million.", 0.0)], [Sent("Waste.", -0.3)]])
    for name, frame in tables.items():
        write_table(frame, S.ALL_TABLES[name], tmp_path)
    lexicon = tmp_path / "mine.csv"
    lexicon.write_text("topic,term\nmoney,cost\nmoney,million\n", encoding="utf-8")
    assert main(["compare", "--in", str(tmp_path), "--topic-lexicon", str(lexicon)]) == 0
    shares = read_table("topic_shares", tmp_path)
    assert "money" in set(shares["topic_id"])
    assert main(["compare", "--in", str(tmp_path)]) == 0
    assert "lexicon" not in set(read_table("topic_shares", tmp_path)["method"])


def test_ids_in_is_astype_str_isin_including_missing_ids():
    """scope.ids_in gives what ``ids.astype(str).isin(wanted)`` gives (it replaces that call):
    for Arrow strings, objects, numbers, and missing ids with and without a missing wanted id."""
    from analysis.compare.scope import ids_in

    cases = [
        pd.Series(["t1/c1", "t1/c2", None, "t2/article", "t1/c1"], dtype="string"),
        pd.Series(["t1/c1", "t1/c2", None, "t2/article"], dtype=object),
        pd.Series([1, 2, 3]),
        pd.Series([], dtype="string"),
    ]
    wanted_sets = [{"t1/c1", "t2/article", "1"}, {"t1/c2", float("nan")}, set(), ["3", "t1/c1"]]
    for ids in cases:
        for wanted in wanted_sets:
            expected = ids.astype(str).isin(wanted).to_numpy(dtype=bool)
            got = ids_in(ids, wanted)
            assert got.dtype == bool and got.tolist() == expected.tolist(), (ids, wanted)
