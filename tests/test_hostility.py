"""Known answers of the offline hostility score (rule-based: exact values)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis import schema as S
from analysis.classify.hostility import (
    WEIGHTS,
    hostility_table,
    read_hostility_lexicon,
    score_text,
    shouting_share,
)
from analysis.errors import InputError


@pytest.fixture(scope="module")
def lexicon():
    return read_hostility_lexicon()


def _noisy_or(**hits: float) -> float:
    keep = 1.0
    for component, n in hits.items():
        keep *= (1.0 - WEIGHTS[component]) ** n
    return 1.0 - keep


def test_no_cue_scores_zero(lexicon):
    r = score_text("Thanks for the clear report, I learned a lot today.", lexicon)
    assert r["hostility_score"] == 0.0 and r["matched_terms"] == ""


def test_second_person_insult(lexicon):
    r = score_text("You idiot.", lexicon)
    assert (r["insult_count"], r["second_person_attack_count"]) == (1, 1)
    assert r["hostility_score"] == pytest.approx(_noisy_or(insult=1, second_person_attack=1))
    r = score_text("you're such a pathetic liar", lexicon)
    assert r["second_person_attack_count"] == 1 and r["insult_count"] == 2
    assert score_text("Are you stupid?", lexicon)["second_person_attack_count"] == 1
    assert score_text("Shut up and read it", lexicon)["second_person_attack_count"] == 1


def test_insult_about_a_third_person_is_not_second_person(lexicon):
    r = score_text("The minister is a liar.", lexicon)
    assert r["insult_count"] == 1 and r["second_person_attack_count"] == 0
    assert r["hostility_score"] == pytest.approx(WEIGHTS["insult"])


def test_dehumanising_threat_and_generalisation(lexicon):
    r = score_text("These people are vermin and should be hanged.", lexicon)
    assert r["dehumanising_count"] == 1 and r["threat_count"] == 1
    assert r["hostility_score"] == pytest.approx(_noisy_or(dehumanising=1, threat=1))
    r = score_text("All immigrants are the same", lexicon)
    assert r["dehumanising_count"] == 1  # a generaliser with a group noun
    assert r["group_target_count"] == 1
    r = score_text("Immigrants arrived in the city.", lexicon)
    assert r["dehumanising_count"] == 0 and r["group_target_count"] == 1
    assert r["hostility_score"] == pytest.approx(WEIGHTS["group_target"])
    assert r["hostility_score_without_target"] == 0.0
    assert score_text("kill them all", lexicon)["threat_count"] == 1


def test_words_match_whole_words_with_plurals(lexicon):
    assert score_text("idiots everywhere", lexicon)["insult_count"] == 1
    assert score_text("an idiotsyncratic moronically long word", lexicon)["insult_count"] == 0
    assert score_text("Scunthorpe and classic assessments", lexicon)["profanity_count"] == 0


def test_profanity_including_masked(lexicon):
    assert score_text("what the f*** is this shit", lexicon)["profanity_count"] == 2


def test_shouting():
    # IS and A are too short to count: 17 of 20 letters
    assert shouting_share("THIS IS A TOTAL DISGRACE") == pytest.approx(17 / 20)
    assert shouting_share("The FBI and the CIA") == 0.0  # two acronyms are not shouting
    assert shouting_share("") == 0.0


def test_shouting_contributes_scaled(lexicon):
    r = score_text("STOP LYING NOW EVERYONE", lexicon)
    assert r["shouting_share"] == 1.0
    assert r["hostility_score"] == pytest.approx(WEIGHTS["shouting"])


def test_more_cues_never_lower_the_score(lexicon):
    base = score_text("This policy is wrong", lexicon)["hostility_score"]
    more = score_text("This policy is wrong, you moron", lexicon)["hostility_score"]
    assert more > base


def test_table_columns_and_threshold(lexicon):
    corpus = pd.DataFrame(
        {
            S.THREAD_ID: ["t1", "t1", "t1"],
            S.DOC_ID: ["t1/article", "t1/c1", "t1/c2"],
            S.DOC_KIND: [S.ARTICLE, S.COMMENT, S.COMMENT],
            S.TEXT: ["The council met.", "You idiot, you are a disgrace", None],
        }
    )
    table = hostility_table(corpus)
    assert list(table.columns) == S.HOSTILITY.names
    assert table["hostility_score"].between(0, 1).all()
    assert table["is_hostile"].tolist() == [False, True, False]
    assert "second_person_attack:you idiot" in table.loc[1, "matched_terms"]


def test_lexicon_errors_name_file_and_line(tmp_path):
    (tmp_path / "hostility.csv").write_text(
        "# header\nterm,component,source,note\nidiot,insult,curated,\nfoo,rudeness,curated,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"hostility\.csv, line 4: unknown component 'rudeness'"):
        read_hostility_lexicon(tmp_path)
    (tmp_path / "hostility.csv").write_text("term,component\nidiot,insult\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        read_hostility_lexicon(tmp_path)
    with pytest.raises(InputError, match="not found"):
        read_hostility_lexicon(tmp_path / "nowhere")


def test_every_lexicon_row_names_a_source():
    text = (config.LEXICON_DIR / "hostility.csv").read_text(encoding="utf-8")
    rows = [ln for ln in text.splitlines() if ln and not ln.startswith("#")][1:]
    sources = {ln.split(",")[2] for ln in rows}
    assert all(s == "curated" or s.startswith("hurtlex-1.2:") for s in sources)
