"""The report's conversation section: escaped, says what is missing, uses given tables."""

from __future__ import annotations

from analysis.compare.conversation import conversation_tables
from analysis.present.report import render_report
from analysis.present.report_conversation import conversation_section
from tests.conversation_factories import make_conversation


def test_section_escapes_comment_text_and_cues():
    corpus, docs = make_conversation(
        [
            {"text": "<script>alert(1)</script> you idiot", "compound": -0.5, "likes": 3},
            {"parent": 1, "text": "Calm down", "compound": 0.1, "likes": 10},
        ]
    )
    html = conversation_section({"corpus": corpus, "documents": docs})
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Most-liked comment of each tone" in html
    assert "t1/c1 &gt; t1/c2" in html  # the chain
    assert "1 of 2 comments score 0.5 or more" in html


def test_section_says_what_is_missing():
    corpus, docs = make_conversation([{"compound": -0.5}, {"compound": 0.3}])
    html = conversation_section({"corpus": corpus, "documents": docs})
    assert "No like counts on this platform" in html
    assert "no replies" in html and "no publication dates" in html
    assert "No reply chains" in html
    assert "No corpus table" in conversation_section({})


def test_section_uses_tables_given_and_labels():
    corpus, docs = make_conversation([{"compound": -0.5, "likes": 4}, {"compound": 0.3}])
    tables = {"corpus": corpus, "documents": docs, **conversation_tables(corpus, docs)}
    tables["conversation_summary"] = tables["conversation_summary"].assign(comment_count=99)
    html = conversation_section(tables)
    assert '<td class="num">99</td>' in html  # the table passed in, not recomputed
    full = render_report({"corpus": corpus, "documents": docs}, figures_dir=".")
    assert '<section id="conversation">' in full and "<li>Conversation</li>" in full
    assert (
        full.index('id="examples"') < full.index('id="conversation"') < full.index('id="methods"')
    )


def test_section_shows_label_shares():
    import pandas as pd

    corpus, docs = make_conversation([{"compound": -0.5}])
    shares = pd.DataFrame(
        {
            "thread_id": "t1",
            "label_name": "hostile",
            "code": ["yes", "yes"],
            "side": ["article", "comments"],
            "unit_count": [1, 3],
            "n": [4, 6],
            "share": [0.25, 0.5],
            "ci_low": [0.0, 0.1],
            "ci_high": [0.6, 0.9],
            "compound_mean": [float("nan"), -0.4],
        }
    )
    html = conversation_section({"corpus": corpus, "documents": docs, "label_shares": shares})
    assert "25% (0%–60%)" in html and "-0.40" in html


def test_summary_header_matches_rows():
    corpus, docs = make_conversation([{"compound": -0.5}, {"parent": 1, "compound": 0.3}])
    html = conversation_section({"corpus": corpus, "documents": docs})
    first = html[html.index("<table>") : html.index("</table>")]
    assert first.count("<th ") == first.split("<tbody>")[1].split("</tr>")[0].count("<td ")
