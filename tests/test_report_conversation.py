"""The report's conversation section: numbers from the tables, escaping, what is missing said."""

from __future__ import annotations

import pandas as pd
import pytest
from figure_factories import SCRIPT_PAYLOAD, make_tables

from analysis import schema as S
from analysis.present.report import render_report
from analysis.present.report_conversation import conversation_section, data_notes

NOTE = "Content note: these comments contain <b>slurs</b>."


@pytest.fixture(scope="module")
def tables():
    return make_tables()


def _section(tables) -> str:
    return conversation_section(tables, note=NOTE)


def test_comment_text_and_cues_are_escaped_under_the_note(tables):
    html = _section(tables)
    assert "<script>" not in html and "&lt;script&gt;window.__pwned" in html
    assert SCRIPT_PAYLOAD not in html
    assert "Content note: these comments contain &lt;b&gt;slurs&lt;/b&gt;." in html
    assert html.index("&lt;b&gt;slurs") < html.index("&lt;script&gt;")  # the note comes first
    assert "liar | disgrace" in html


def test_numbers_are_the_tables_cells(tables):
    html = _section(tables)
    # endorsement: 4 of 7 negative comments hold 13 of 20 likes
    assert "57% (4 of 7)" in html and "65% (40%–90%)" in html
    # the longest chain, root first, and its tone
    assert "t1/c1 &gt; t1/c3 &gt; t1/c4" in html and "-0.83 → -0.64" in html
    # hostility over the 7 comments VADER scored (c2 empty and c7 French are left out)
    assert (
        "Of the 7 comments VADER scored, 1 scores 0.5 or more for hostility; VADER labels 1 of "
        in html
    )
    assert "insult 1, second-person attack 0" in html
    # the timeline: four bins of two comments, the first one named with the tie
    assert "the most (2) in the hour starting 2024-05-01 10:00, tied with 3 other hours" in html
    assert "8 dated comments in 4 hours with comments" in html and "; 1 date estimated" in html
    assert "1 of 9 comments has no date" in html and "1 date is estimated" in html


def test_each_matched_cue_is_listed_once(tables):
    hostility = tables["hostility"].copy()
    first = hostility[S.DOC_ID] == "t1/c1"
    hostility.loc[first, S.MATCHED_TERMS] = "insult:liar | insult:liar | insult:disgrace"
    html = _section({**tables, "hostility": hostility})
    assert "insult:liar | insult:disgrace</td>" in html and "liar | insult:liar" not in html


def test_most_liked_rows_follow_their_rank(tables):
    html = _section(tables)
    most = html[html.index("Most-liked comments of each tone") :]
    most = most[: most.index("</table>")]
    assert most.index("t1/c1") < most.index("t1/c3") < most.index("t1/c6")
    assert "t1/c5" not in most  # rank 3 is not shown
    assert '<span title="t1/c1">c1</span>' in most


def test_depth_rows_are_left_out_when_every_comment_is_top_level(tables):
    html = _section(tables)
    assert "Depth 2" in html and "Depth 0" in html
    tone = tables["conversation_tone"]
    flat = tone[(tone["grouping"] != "depth") | (tone["group"] == "0")]
    assert "Depth 0" not in _section({**tables, "conversation_tone": flat})


def test_missing_tables_and_missing_platform_features_are_said(tables):
    assert "conversation tables were not produced" in conversation_section({}, note=NOTE)
    bare = dict(tables)
    bare["endorsement"] = bare["endorsement"].assign(has_likes=False)
    for name in ("reply_chains", "timeline", "hostility"):
        del bare[name]
    html = _section(bare)
    assert "No like counts on this platform or export" in html
    assert "Most-liked comments" not in html
    for name in ("reply_chains", "timeline", "hostility"):
        assert f"The {name} table was not produced." in html


def test_data_notes_name_what_the_export_lacks(tables):
    lacking = tables["conversation_summary"].iloc[0].copy()
    lacking[["reply_count", "dated_count", "estimated_date_count"]] = 0
    lacking["has_likes"] = False
    lacking["orphan_count"], lacking["cycle_count"] = 2, 1
    assert data_notes(lacking) == [
        "no replies: the source keeps no reply links, or nobody replied",
        "2 replies name a parent that is not in the corpus (orphans, counted at depth 1)",
        "1 comment sits in reply cycles (bad input): no depth for them or their replies",
        "no like counts on this platform or export: nothing is like-weighted",
        "no publication dates: no timeline",
    ]
    assert data_notes(tables["conversation_summary"].iloc[0]) == [
        "1 of 9 comments has no date (left out of the timeline)",
        "1 date is estimated from relative times (drawn as estimates)",
    ]


def _labels() -> pd.DataFrame:
    rows = [
        ("t1/c1", "hostile", "hostile", True, "hostile"),
        ("t1/c3", "hostile", "other", True, "hostile"),
        ("t1/c4", "other", "other", True, "other"),
        ("t1/c5", "other", "other", True, "other"),
        ("t1/c6", "other", None, False, None),
    ]
    return S.LABELS.conform(
        pd.DataFrame(
            {
                S.THREAD_ID: "t1",
                S.DOC_ID: [r[0] for r in rows],
                "label_name": "hostility_coded",
                "predicted_code": [r[1] for r in rows],
                "probability": 0.8,
                "positive_probability": 0.8,
                "coded_code": [r[2] for r in rows],
                "in_training_sample": [r[3] for r in rows],
                "cv_predicted_code": [r[4] for r in rows],
            }
        )
    )


def test_codes_from_a_researchers_coding_show_when_present(tables):
    assert "Codes from your own coding" not in _section(tables)
    shares = S.LABEL_SHARES.conform(
        pd.DataFrame(
            {
                S.THREAD_ID: "t1",
                "label_name": "hostility_coded",
                "code": ["hostile", "hostile"],
                S.SIDE: [S.SIDE_ARTICLE, S.SIDE_COMMENTS],
                "unit_count": [1, 3],
                "n": [4, 6],
                "share": [0.25, 0.5],
                "ci_low": [0.0, 0.1],
                "ci_high": [0.6, 0.9],
                "compound_mean": [float("nan"), -0.4],
            }
        )
    )
    html = _section({**tables, "labels": _labels(), "label_shares": shares})
    assert "Codes from your own coding" in html
    # out-of-fold predictions: c3 coded other, predicted hostile; the other three match
    assert "3 of 4 (75%)" in html and "hostile: 40%, other: 60%" in html
    assert "hostile: P 50% / R 100%; other: P 100% / R 67%" in html
    assert "25% (0%–60%)" in html and "1 of 4" in html and "-0.40" in html


def test_every_table_has_as_many_cells_as_headers(tables):
    html = _section({**tables, "labels": _labels()})
    for part in html.split("<table>")[1:]:
        head, body = part.split("<tbody>")
        for row in body.split("</tbody>")[0].split("</tr>")[:-1]:
            assert row.count("<td ") == head.count("<th "), row[:200]


def test_the_report_places_the_section_after_the_examples(tables):
    full = render_report(tables, figures_dir=".", run_date="2026-01-02")
    assert full.count('<section id="conversation">') == 1 and "<li>Conversation</li>" in full
    assert (
        full.index('id="examples"') < full.index('id="conversation"') < full.index('id="methods"')
    )
