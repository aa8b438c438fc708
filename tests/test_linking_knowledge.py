"""The knowledge base of well-known entities (``data/lexicons/knowledge.csv``,
``analysis.linking.knowledge``) and the strong-spelling fuzzy rule, on synthetic comments written
for these tests: what must link and what must not."""

from __future__ import annotations

import shutil

import pytest
from test_linking import run, thread_only_lexicons

from analysis import config
from analysis import schema as S
from analysis.errors import InputError
from analysis.linking import fuzzy as link_fuzzy
from analysis.linking import knowledge as link_knowledge
from analysis.linking import lexicons as link_lexicons

HEADER = "form,canonical_name,label,kind,category,source,note\n"


def linked(mentions, text):
    """(entity name, link method) of the mentions whose text is ``text``."""
    rows = mentions[mentions[S.TEXT] == text]
    return list(zip(rows[S.ENTITY_NAME], rows[S.LINK_METHOD], strict=True))


def lexicon_copy(tmp_path, knowledge_rows):
    folder = tmp_path / "lex"
    shutil.copytree(config.LEXICON_DIR, folder)
    (folder / link_knowledge.KNOWLEDGE_FILE).write_text(
        HEADER + "".join(knowledge_rows), encoding="utf-8"
    )
    return folder


# ----------------------------------------------------------------------------------- the table
def test_shipped_table_loads_and_every_row_names_its_criterion_and_source():
    frame = link_knowledge.load_knowledge(config.LEXICON_DIR / link_knowledge.KNOWLEDGE_FILE)
    assert len(frame) > 400
    assert set(frame["category"]) <= set(link_knowledge.CATEGORIES)
    assert frame["source"].str.startswith("wikipedia:").all()
    # every UN member state is there (193 members and observers, two only by an unambiguous form)
    assert (frame["category"].isin(["un_member", "un_observer"])).sum() >= 191
    # forms left out on purpose (ambiguous or ordinary-word bare names) are not listed
    forms = {f.casefold() for f in frame["form"]}
    assert not forms & {
        "georgia",
        "amazon",
        "apple",
        "bush",
        "clinton",
        "fox",
        "who",
        "chad",
        "jordan",
    }


def test_table_errors_name_the_file_and_line(tmp_path):
    bad_label = lexicon_copy(tmp_path / "a", ["Zorbia,Zorbia,PLANET,name,un_member,wikipedia:X,\n"])
    with pytest.raises(InputError, match=r"knowledge\.csv, line 2: label 'PLANET'"):
        link_lexicons.load_lexicons(bad_label)
    bad_category = lexicon_copy(tmp_path / "b", ["Zorbia,Zorbia,GPE,name,planets,wikipedia:X,\n"])
    with pytest.raises(InputError, match=r"line 2: category 'planets'"):
        link_lexicons.load_lexicons(bad_category)
    two_names = lexicon_copy(
        tmp_path / "c",
        ["Zorbia,Zorbia,GPE,name,un_member,wikipedia:X,\n",
         "Zorbia,Quuxland,GPE,name,un_member,wikipedia:X,\n"],
    )  # fmt: skip
    with pytest.raises(InputError, match=r"line 3: form 'Zorbia' maps to both"):
        link_lexicons.load_lexicons(two_names)
    # a form the alias table gives another entity ("Bibi" is Benjamin Netanyahu there)
    clash = lexicon_copy(tmp_path / "d", ["Bibi,Bibi Andersson,PERSON,name,us_nominee,wp:X,\n"])
    with pytest.raises(InputError, match=r"knowledge\.csv, line 2: .*aliases\.csv gives"):
        link_lexicons.load_lexicons(clash)


def test_missing_table_is_an_empty_knowledge_base(tmp_path):
    lex = link_lexicons.load_lexicons(thread_only_lexicons(tmp_path))
    assert lex.knowledge == {}


# ------------------------------------------------------------------------------- case rules
@pytest.mark.parametrize(
    ("form", "ordinary"),
    [("steam", True), ("roar", True), ("bush", True), ("apple", True), ("us", True),
     ("turkey", True), ("Trump", True), ("twitch", True),
     ("asia", False), ("Facebook", False), ("obama", False), ("japan", False),
     ("twitter", False), ("Zorbia", False), ("social security", False), ("The Who", True)],
)  # fmt: skip
def test_ordinary_form_is_a_word_english_inflects(form, ordinary):
    assert link_knowledge.is_ordinary_form(form) is ordinary


@pytest.mark.parametrize(
    ("form", "rule"),
    [("FB", "upper_or_lower"), ("IG", "upper"), ("ICE", "upper"), ("SNAP", "upper"),
     ("FBI", "any"), ("Trump", "named"), ("Turkey", "named"), ("Asia", "any"),
     ("Google Translate", "any"), ("Xi", "exact")],
)  # fmt: skip
def test_knowledge_case_rule(form, rule):
    assert link_knowledge.knowledge_case_rule(form) == rule


# ---------------------------------------------------------------------------------- linking
def test_lower_case_form_of_a_known_entity_links_without_the_thread_naming_it():
    texts = ["Weather report", "i moved to asia last year", "posted on facebook and fb too"]
    mentions, entities = run(texts)
    assert linked(mentions, "asia") == [("Asia", "alias")]
    assert linked(mentions, "facebook") == [("Facebook", "alias")]
    assert linked(mentions, "fb") == [("Facebook", "alias")]
    assert set(entities[S.ENTITY_NAME]) == {"Asia", "Facebook"}


def test_the_knowledge_base_is_what_links_them(tmp_path):
    texts = ["Weather report", "i moved to asia last year", "posted on facebook and fb too"]
    mentions, _ = run(texts, lexicon_dir=thread_only_lexicons(tmp_path))
    assert mentions.empty


def test_a_surname_the_table_lists_is_named_by_its_canonical_name():
    mentions, entities = run(["Budget news", "what did obama say", "Obama said no"])
    assert list(entities[S.ENTITY_NAME]) == ["Barack Obama"]
    assert mentions[S.TEXT].tolist() == ["obama", "Obama"]


def test_ordinary_word_forms_need_to_be_written_as_names():
    texts = [
        "Holiday news",
        "we ate turkey and played a trump card",
        "let us go, Fb said nothing",
        "They flew to Turkey, and Trump spoke.",
    ]
    mentions, _ = run(texts)
    assert mentions[S.TEXT].tolist() == ["Turkey", "Trump"]
    assert linked(mentions, "Trump") == [("Donald Trump", "alias")]


def test_strong_thread_evidence_lets_an_ordinary_form_link_in_lower_case():
    named = [f"I read it in Politico today, {i}." for i in range(5)]
    mentions, _ = run(["Media news", *named, "and politico again"])
    assert linked(mentions, "politico") == [("Politico", "alias")]
    mentions, _ = run(["Media news", "and politico again"])
    assert mentions.empty


def test_a_form_inside_a_url_or_handle_never_links():
    mentions, _ = run(["Links", "see www.facebook.com/page or @asia_fan"])
    assert mentions.empty


# ------------------------------------------------------------------------------------ fuzzy
TARGETS = {"zorbinator": ("Zorbinator", "zorbinator", 1)}


def test_a_very_close_misspelling_of_a_lexicon_name_links_without_equal_phonetics():
    sim = link_fuzzy.name_similarity("zorbinatol", "zorbinator")
    assert sim.accepted and not sim.sounds_alike  # the phonetic rule alone would refuse it
    link = link_fuzzy.fuzzy_link("zorbinatol", TARGETS)
    assert link is not None and link.node == "zorbinator"
    # a looser spelling (Jaro-Winkler 0.92) still needs equal phonetic codes
    assert link_fuzzy.fuzzy_link("zorbixatol", TARGETS) is None


def test_a_misspelling_close_to_two_lexicon_entities_does_not_link():
    rival = {"zorbimatox": ("Zorbimatox", "zorbimatox", 1)}
    link = link_fuzzy.fuzzy_link("zorbinatol", TARGETS | rival)  # the rival is not close
    assert link is not None and link.node == "zorbinator"
    twin = {"zorbinatos": ("Zorbinatos", "zorbinatos", 1)}
    assert link_fuzzy.fuzzy_link("zorbinatol", TARGETS | twin) is None  # as close to both
