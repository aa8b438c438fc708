"""Entity linking (analysis.linking) on small hand-built threads that are not the seed.

Most tests build the docs/spans/candidates frames by hand, exactly as the annotation step passes
them, so no spaCy model runs; one integration test runs the real pipeline on a few sentences.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analysis import config
from analysis import schema as S
from analysis.errors import InputError, StageInputError
from analysis.linking import RuleLinker
from analysis.linking import api as link_api
from analysis.linking import fuzzy as link_fuzzy
from analysis.linking import lexicons as link_lexicons
from analysis.linking import names as link_names
from analysis.linking import rules as link_rules
from analysis.linking import search as link_search
from analysis.linking import spans as link_spans
from analysis.linking import store as link_store

STOP = {"the", "and", "is", "a", "an", "of", "to", "in", "on", "for", "with", "he", "she", "it"}


def thread(texts, spans=(), *, pos=None, thread_id="t9"):
    """Frames for a thread: texts[0] is the article; spans are (doc index, substring, label[, n]).

    Candidates are every alphabetic token of >= 3 letters outside the spans that is not a stop
    word, tagged PROPN when capitalised (or as ``pos`` says), like the annotation step's.
    """
    pos = pos or {}
    doc_ids = [f"{thread_id}/article"] + [f"{thread_id}/c{i}" for i in range(1, len(texts))]
    docs = pd.DataFrame(
        {
            S.THREAD_ID: thread_id,
            S.DOC_ID: doc_ids,
            S.DOC_KIND: [S.ARTICLE] + [S.COMMENT] * (len(texts) - 1),
            "position": range(len(texts)),
            S.TEXT: pd.Series(texts, dtype="string"),
        }
    )
    span_rows = []
    for spec in spans:
        i, sub, label = spec[:3]
        nth = spec[3] if len(spec) > 3 else 0
        starts = [m.start() for m in re.finditer(re.escape(sub), texts[i])]
        start = starts[nth]
        span_rows.append((doc_ids[i], start, start + len(sub), sub, label))
    spans_df = pd.DataFrame(
        span_rows, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, S.LABEL]
    )
    covered = {(d, k) for d, a, b, _, _ in span_rows for k in range(a, b)}
    cand_rows = []
    for i, text in enumerate(texts):
        for m in re.finditer(r"[^\W\d_]+", text):
            word = m.group(0)
            if len(word) < 3 or word.lower() in STOP or (doc_ids[i], m.start()) in covered:
                continue
            tag = pos.get(word, "PROPN" if word[0].isupper() else "NOUN")
            cand_rows.append((doc_ids[i], m.start(), m.end(), word, tag, word.lower()))
    cands = pd.DataFrame(
        cand_rows, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos", "lemma"]
    )
    return docs, spans_df, cands


def run(texts, spans=(), **kwargs):
    pos = kwargs.pop("pos", None)
    return link_api.link_thread(*thread(texts, spans, pos=pos), **kwargs)


def thread_only_lexicons(tmp_path):
    """The lexicon folder without the knowledge base (``knowledge.csv``), for tests of the rules
    that read only the thread and the alias table."""
    folder = tmp_path / "lex_no_knowledge"
    shutil.copytree(config.LEXICON_DIR, folder)
    (folder / "knowledge.csv").unlink()
    return folder


def entity_of(mentions, text, doc_suffix=None):
    rows = mentions[mentions[S.TEXT] == text]
    if doc_suffix is not None:
        rows = rows[rows[S.DOC_ID].str.endswith(doc_suffix)]
    assert len(rows), f"no mention {text!r}"
    return rows.iloc[0]


def check_integrity(docs, mentions, entities):
    texts = dict(zip(docs[S.DOC_ID], docs[S.TEXT], strict=True))
    assert list(mentions.columns) == S.MENTIONS.names
    assert list(entities.columns) == S.ENTITIES.names
    for row in mentions.itertuples(index=False):
        assert texts[row.doc_id][row.start_char : row.end_char] == row.text
    assert set(mentions[S.LABEL]) <= set(S.ENTITY_LABELS)
    assert set(mentions["link_method"]) <= set(S.LINK_METHODS)
    assert mentions["link_score"].between(0, 1).all()
    for doc_id, group in mentions.groupby(S.DOC_ID):
        group = group.sort_values(S.START_CHAR)
        assert (group[S.START_CHAR].to_numpy()[1:] >= group[S.END_CHAR].to_numpy()[:-1]).all()
        expected = [f"{doc_id}/m{i}" for i in range(len(group))]
        assert group[S.MENTION_ID].tolist() == expected
    counts = mentions.groupby(S.ENTITY_ID).size()
    assert (
        dict(zip(entities[S.ENTITY_ID], entities["mention_count"], strict=True)) == counts.to_dict()
    )
    assert entities[S.ENTITY_ID].is_unique


# ------------------------------------------------------------------------------ small functions
def test_name_key_and_slug():
    assert link_names.name_key("U.S.") == link_names.name_key("US") == "us"
    assert (
        link_names.name_key("Al-Jazeera")
        == link_names.name_key("AlJazeera")
        == link_names.name_key("al jazeera")
    )
    assert link_names.name_key("Erdoğan") == "erdogan"
    assert link_names.slugify("Bashar al-Assad") == "bashar-al-assad"
    assert link_names.slugify("Recep Tayyip Erdoğan") == "recep-tayyip-erdogan"


def test_strip_titles_and_surnames():
    assert link_names.strip_titles("Prime Minister Naftali Bennett") == "Naftali Bennett"
    assert link_names.strip_titles("President Putin") == "Putin"
    assert link_names.strip_titles("Mr. Scholz") == "Scholz"
    assert link_names.strip_titles("Russian President Vladimir Putin", demonyms=["Russian"]) == (
        "Vladimir Putin"
    )
    assert (
        link_names.strip_titles("Pope Francis") == "Pope Francis"
    )  # one given name: keep the rank
    assert link_names.strip_titles("President") == "President"
    assert link_names.is_title_only("Prime Minister") and not link_names.is_title_only(
        "Prime Minister Modi"
    )
    assert link_names.surname_keys("Vladimir Putin") == {"putin"}
    assert link_names.surname_keys("Bashar al-Assad") == {"assad", "alassad"}
    assert link_names.surname_keys("Joseph R. Biden Jr.") == {"biden", "rbiden"}  # "R. Biden"
    assert link_names.surname_keys("Putin") == set()


def test_clean_span_trims_possessive_the_and_punctuation():
    text = "the Middle East's and U.S. and (Putin’s)"
    a, b = link_names.clean_span(text, 0, 17)
    assert text[a:b] == "Middle East"
    start = text.index("U.S.")
    a, b = link_names.clean_span(text, start, start + 4)
    assert text[a:b] == "U.S."
    start = text.index("(")
    a, b = link_names.clean_span(text, start, len(text))
    assert text[a:b] == "Putin"


def test_flag_code_and_find_flags():
    assert link_lexicons.flag_code("🇵🇸") == "PS"
    assert link_lexicons.flag_code("🇷🇺") == "RU"
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert link_lexicons.flag_code(england) == "GB-ENG"
    lex = link_lexicons.load_lexicons()
    text = "Long live 🇵🇸🇷🇺 and " + england + " and a stray 🇦"
    found = link_lexicons.find_flags(text, lex.flags)
    assert [(f[2], f[3]) for f in found] == [
        ("PS", "Palestine"),
        ("RU", "Russia"),
        ("GB-ENG", "England"),
    ]
    for start, end, *_ in found:
        assert link_lexicons.flag_code(text[start:end]) is not None


def test_english_word_checks():
    assert link_names.is_english_word("Pudding") and link_names.is_english_word("PUTTING")
    assert link_names.is_english_word("Reprobated", lemma="reprobate")
    assert not link_names.is_english_word("Nutnyahoo")
    assert "trump" in link_names.common_words() and "resistance" not in link_names.common_words()
    lex = link_lexicons.load_lexicons()
    assert link_search.case_rule("US", lex) == "upper"
    assert link_search.case_rule("Trump", lex) == "named"  # a frequent English word
    assert link_search.case_rule("Hamas", lex) == "any"  # listed in aliases.csv
    assert link_search.case_rule("Resistance", lex) == "named"
    assert link_search.case_rule("Kigali", lex) == "propn"  # a rare WordNet noun
    assert link_search.case_rule("Kagame", lex) == "any"


# -------------------------------------------------------------------------- fuzzy rules
@pytest.mark.parametrize(
    ("token", "name", "rule"),
    [
        ("Orbaan", "Orban", "spelling"),
        ("Lukachenko", "Lukashenko", "spelling"),
        ("Zuckerburg", "Zuckerberg", "spelling"),
        ("Makron", "Macron", "spelling"),
        ("Hamaz", "Hamas", "spelling"),
        ("Nethanyahoo", "Netanyahu", "soundalike"),
        ("Kanada", "Canada", "soundalike"),
        ("Satanyahu", "Netanyahu", "rhyme"),
    ],
)
def test_name_similarity_accepts(token, name, rule):
    sim = link_fuzzy.name_similarity(token, name)
    assert sim.rule == rule
    assert 0 < sim.jaro_winkler <= 1


@pytest.mark.parametrize(
    ("token", "name"),
    [
        ("Hamad", "Hamas"),  # a different person: Metaphone differs on a short name
        ("Scholl", "Scholz"),
        ("Kagan", "Kagame"),
        ("Gazans", "Gaza"),  # derived word, not a misspelling
        ("Scholzism", "Scholz"),
        ("Orbanistan", "Orban"),
        ("Natalie", "Netanyahu"),
        ("Nathan", "Netanyahu"),
        ("Putnam", "Putin"),
        ("Python", "Putin"),
        ("Ghazi", "Gaza"),
        ("Moscow", "Mosul"),
        ("Bayern", "Biden"),
        ("Kenyatta", "Kenya"),
        ("Putin", "Putin"),  # identical is exact, not fuzzy
    ],
)
def test_name_similarity_rejects(token, name):
    assert not link_fuzzy.name_similarity(token, name).accepted


def test_fuzzy_link_prefers_thread_names_and_needs_sound_for_lexicon_names():
    targets = {
        "netanyahu": ("Netanyahu", "netanyahu", 0),
        "netanyahou": ("Netanyahou", "benjaminnetanyahu", 1),
        "alqaeda": ("AlQaeda", "alqaeda", 1),
    }
    link = link_fuzzy.fuzzy_link("Nutnyahoo", targets)
    assert link is not None and link.node == "netanyahu" and link.rule == "soundalike"
    assert link_fuzzy.fuzzy_link("Almaeda", targets) is None  # looks like, does not sound like
    assert link_fuzzy.fuzzy_link("Netanyahu", targets) is None  # exact name: not fuzzy


# ------------------------------------------------------------------------------- lexicons
def test_lexicon_files_are_well_formed():
    aliases = link_lexicons.load_aliases(config.LEXICON_DIR / link_lexicons.ALIASES_FILE)
    flags = link_lexicons.load_flags(config.LEXICON_DIR / link_lexicons.FLAGS_FILE)
    demonyms = link_lexicons.load_demonyms(config.LEXICON_DIR / link_lexicons.DEMONYMS_FILE)
    not_entities = link_lexicons.load_not_entities(
        config.LEXICON_DIR / link_lexicons.NOT_ENTITIES_FILE
    )
    assert 50 <= len(aliases) <= 150
    assert set(aliases["label"]) <= set(S.ENTITY_LABELS)
    assert aliases["source"].str.startswith("wikipedia:").all()
    iso = flags[flags["code"].str.fullmatch(r"[A-Z]{2}")]
    assert len(iso) >= 249 and flags["code"].is_unique
    countries = set(flags["country"])
    for name in (
        "Russia",
        "Iran",
        "Syria",
        "United States",
        "United Kingdom",
        "Palestine",
        "Israel",
        "Ukraine",
    ):
        assert name in countries
    gpe_canonicals = set(aliases.loc[aliases["label"] == "GPE", "canonical_name"])
    assert {"United States", "United Kingdom", "Russia", "China", "Turkey"} <= gpe_canonicals
    assert {"United States", "United Kingdom", "Russia", "China", "Turkey"} <= countries
    assert "Jewish" not in set(demonyms["demonym"]) and "Arab" not in set(demonyms["demonym"])
    assert {"long live", "lol", "amen", "pos"} <= set(not_entities["phrase"].str.lower())


def test_malformed_lexicon_names_file_and_line(tmp_path):
    folder = tmp_path / "lex"
    shutil.copytree(config.LEXICON_DIR, folder)
    path = folder / link_lexicons.ALIASES_FILE
    path.write_text(
        path.read_text(encoding="utf-8") + "Foo,Bar,NOT_A_LABEL,nickname,x,\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"aliases\.csv, line \d+: label 'NOT_A_LABEL'"):
        link_lexicons.load_lexicons(folder)
    (folder / link_lexicons.FLAGS_FILE).unlink()
    with pytest.raises(InputError, match="flags.csv"):
        link_lexicons.load_flags(folder / link_lexicons.FLAGS_FILE)


def test_edited_alias_table_is_used(tmp_path):
    folder = tmp_path / "lex"
    shutil.copytree(config.LEXICON_DIR, folder)
    path = folder / link_lexicons.ALIASES_FILE
    path.write_text(
        path.read_text(encoding="utf-8")
        + "Kagz,Paul Kagame,PERSON,nickname,test,invented for the test\n",
        encoding="utf-8",
    )
    texts = ["Rwanda votes", "kagz again"]
    mentions, _ = run(texts, lexicon_dir=folder)
    row = entity_of(mentions, "kagz")
    assert row[S.ENTITY_NAME] == "Paul Kagame" and row["link_method"] == "alias"
    mentions, _ = run(texts)
    assert "kagz" not in set(mentions[S.TEXT])


# --------------------------------------------------------------------- canonical grouping
GROUPING = [
    "Chancellor Olaf Scholz meets Viktor Orban\n\nOlaf Scholz said Scholz's plan stands. "
    "Orban disagreed.",
    "SCHOLZ is finished",
    "Mr. Scholz again? orban laughs",
    "I think scholz lost",
]
GROUPING_SPANS = [
    (0, "Olaf Scholz", "PERSON"),
    (0, "Viktor Orban", "PERSON"),
    (0, "Olaf Scholz", "PERSON", 1),
    (0, "Scholz's", "PERSON"),
    (0, "Orban", "PERSON", 1),
    (1, "SCHOLZ", "ORG"),
    (2, "Mr. Scholz", "PERSON"),
    (3, "scholz", "PERSON"),
]


def test_canonical_grouping_surname_title_possessive_case():
    docs, spans, cands = thread(GROUPING, GROUPING_SPANS)
    mentions, entities = link_api.link_thread(docs, spans, cands)
    check_integrity(docs, mentions, entities)
    scholz = mentions[mentions[S.ENTITY_ID] == "olaf-scholz"]
    assert set(scholz[S.TEXT]) == {"Olaf Scholz", "Scholz", "SCHOLZ", "Mr. Scholz", "scholz"}
    assert set(scholz[S.LABEL]) == {"PERSON"}  # the ORG tag of "SCHOLZ" is outvoted
    assert set(scholz["link_method"]) == {"model"}
    row = entities.set_index(S.ENTITY_ID).loc["olaf-scholz"]
    assert row[S.ENTITY_NAME] == "Olaf Scholz"
    assert row["article_mention_count"] == 3 and row["comment_mention_count"] == 3
    assert row["doc_count"] == 4
    # the possessive is trimmed off the mention
    assert "Scholz's" not in set(mentions[S.TEXT])
    # lower-case "orban" (not a model span) joins Viktor Orban through the gazetteer
    orban = entity_of(mentions, "orban")
    assert orban[S.ENTITY_NAME] == "Viktor Orban" and orban["link_method"] == "gazetteer"


def test_two_people_with_one_surname_are_not_merged():
    texts = ["Boris Johnson and Mike Johnson spoke", "Johnson is wrong"]
    spans = [
        (0, "Boris Johnson", "PERSON"),
        (0, "Mike Johnson", "PERSON"),
        (1, "Johnson", "PERSON"),
    ]
    mentions, entities = run(texts, spans)
    assert entity_of(mentions, "Johnson")[S.ENTITY_NAME] == "Johnson"
    assert {"boris-johnson", "mike-johnson", "johnson"} <= set(entities[S.ENTITY_ID])


def test_adjacent_split_name_is_joined():
    texts = ["Prime Minister Justin Trudeau spoke.", "Justin trudeau should resign"]
    spans = [(0, "Justin Trudeau", "PERSON"), (1, "Justin", "ORG")]
    mentions, _ = run(texts, spans)
    row = entity_of(mentions, "Justin trudeau")
    assert row[S.ENTITY_NAME] == "Justin Trudeau"


def test_demonyms_join_the_country_only_when_asked_and_it_is_mentioned():
    texts = [
        "Kenya and Uganda sign a deal",
        "Kenyans are happy",
        "The Japanese disagree",
        "Jewish groups and Israelis react",
        "Israel responds",
    ]
    spans = [
        (0, "Kenya", "GPE"),
        (0, "Uganda", "GPE"),
        (1, "Kenyans", "NORP"),
        (2, "Japanese", "NORP"),
        (3, "Jewish", "NORP"),
        (3, "Israelis", "NORP"),
        (4, "Israel", "GPE"),
    ]
    mentions, entities = run(texts, spans, link_demonyms=True)
    assert entity_of(mentions, "Kenyans")[S.ENTITY_NAME] == "Kenya"
    assert entity_of(mentions, "Israelis")[S.ENTITY_NAME] == "Israel"
    japanese = entity_of(mentions, "Japanese")
    assert japanese[S.ENTITY_NAME] == "Japanese" and japanese[S.LABEL] == "NORP"
    assert entity_of(mentions, "Jewish")[S.ENTITY_NAME] == "Jewish"  # never a country
    mentions, _ = run(texts, spans)  # by default a group is not its state
    kenyans = entity_of(mentions, "Kenyans")
    assert kenyans[S.ENTITY_NAME] == "Kenyans" and kenyans[S.LABEL] == "NORP"
    assert entity_of(mentions, "Israelis")[S.ENTITY_NAME] == "Israelis"


def test_compound_span_of_known_names_is_split():
    texts = ["Russia and China vote", "Russia & China are allies"]
    spans = [(0, "Russia", "GPE"), (0, "China", "GPE"), (1, "Russia & China", "ORG")]
    mentions, _ = run(texts, spans)
    c1 = mentions[mentions[S.DOC_ID] == "t9/c1"]
    assert c1[S.TEXT].tolist() == ["Russia", "China"]
    assert c1[S.ENTITY_NAME].tolist() == ["Russia", "China"]


# ---------------------------------------------------------------- gazetteer, alias, acronyms
def test_gazetteer_finds_lower_case_and_shouted_names_but_not_ordinary_words():
    texts = [
        "Kagame and Trump met in Kigali. Paul Kagame spoke to Trump.",
        "kagame again!! KAGAME must go",
        "I trump your argument. But Trump is right",
        "kigali is lovely",
        "The Resistance said so; resistance is futile",
    ]
    spans = [
        (0, "Kagame", "PERSON"),
        (0, "Trump", "PERSON"),
        (0, "Trump", "PERSON", 1),
        (0, "Kigali", "GPE"),
        (0, "Paul Kagame", "PERSON"),
        (4, "Resistance", "ORG"),
    ]
    # "kigali" and "resistance" are WordNet nouns: lower case links only where spaCy said PROPN
    mentions, _ = run(texts, spans, pos={"kigali": "PROPN"})
    c1 = mentions[mentions[S.DOC_ID] == "t9/c1"]
    assert c1[S.TEXT].tolist() == ["kagame", "KAGAME"]
    assert set(c1[S.ENTITY_NAME]) == {"Paul Kagame"} and set(c1["link_method"]) == {"gazetteer"}
    c2 = mentions[mentions[S.DOC_ID] == "t9/c2"]
    assert c2[S.TEXT].tolist() == ["Trump"]  # "trump" the verb is not linked
    assert entity_of(mentions, "kigali")[S.ENTITY_NAME] == "Kigali"
    assert mentions[mentions[S.DOC_ID] == "t9/c4"][S.TEXT].tolist() == ["Resistance"]


def test_surname_of_full_name_is_a_gazetteer_form():
    texts = ["Paul Kagame won.", "kagame rigged it"]
    mentions, _ = run(texts, [(0, "Paul Kagame", "PERSON")])
    row = entity_of(mentions, "kagame")
    assert row[S.ENTITY_NAME] == "Paul Kagame" and row["link_method"] == "gazetteer"


def test_alias_path_model_span_and_text_search():
    texts = [
        "Talks in Cairo",
        "Bibi met BoJo",
        "bibi and the IDF. Netanyahu denied it",
        "the USA and the U.S.A. disagree with the UK",
    ]
    spans = [
        (0, "Cairo", "GPE"),
        (1, "Bibi", "PERSON"),
        (1, "BoJo", "ORG"),
        (2, "Netanyahu", "PERSON"),
    ]
    mentions, entities = run(texts, spans)
    check_integrity(*thread(texts, spans)[:1], mentions, entities)
    for text, name in [
        ("Bibi", "Benjamin Netanyahu"),
        ("BoJo", "Boris Johnson"),
        ("bibi", "Benjamin Netanyahu"),
        ("IDF", "Israel Defense Forces"),
        ("USA", "United States"),
        ("U.S.A.", "United States"),
        ("UK", "United Kingdom"),
    ]:
        row = entity_of(mentions, text)
        assert row[S.ENTITY_NAME] == name and row["link_method"] == "alias", text
    assert entity_of(mentions, "BoJo")[S.LABEL] == "PERSON"  # the lexicon's label wins
    # the surname joins the alias's full name because the person is in the thread
    row = entity_of(mentions, "Netanyahu")
    assert row[S.ENTITY_NAME] == "Benjamin Netanyahu" and row["link_method"] == "model"


def test_acronym_that_is_a_word_needs_capitals_and_no_shouting(tmp_path):
    texts = ["Trade news", "the US and Canada", "let us go", "GIVE US A BREAK PLEASE"]
    spans = [(3, "US", "GPE"), (3, "BREAK", "GPE")]
    mentions, _ = run(texts, spans, lexicon_dir=thread_only_lexicons(tmp_path))
    assert mentions[S.TEXT].tolist() == ["US"]
    assert mentions[S.DOC_ID].tolist() == ["t9/c1"]


# ----------------------------------------------------------------------------------- fuzzy
def test_fuzzy_misspelling_and_soundalike_of_thread_names():
    texts = [
        "Viktor Orban and Alexander Lukashenko met. Lukashenko praised Orban.",
        "Orbaan is a clown",
        "Lukachenko again",
        "Orbanistan and Gazans and Natalie",
    ]
    spans = [
        (0, "Viktor Orban", "PERSON"),
        (0, "Alexander Lukashenko", "PERSON"),
        (0, "Lukashenko", "PERSON", 1),
        (0, "Orban", "PERSON", 1),
    ]
    docs, spans_df, cands = thread(texts, spans)
    mentions, entities = link_api.link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    row = entity_of(mentions, "Orbaan")
    assert row[S.ENTITY_NAME] == "Viktor Orban" and row["link_method"] == "fuzzy"
    assert 0.9 <= row["link_score"] < 1
    row = entity_of(mentions, "Lukachenko")
    assert row[S.ENTITY_NAME] == "Alexander Lukashenko" and row["link_method"] == "fuzzy"
    assert mentions[mentions[S.DOC_ID] == "t9/c3"].empty


def test_fuzzy_pun_tagged_by_the_model_joins_the_person():
    texts = [
        "Debate",
        "Netanyahu spoke. Netanyahu left.",
        "Satanyahu again",
        "Nethanyahoo lies",
        "Hamad said so. Hamas denied.",
    ]
    spans = [
        (1, "Netanyahu", "PERSON"),
        (1, "Netanyahu", "PERSON", 1),
        (2, "Satanyahu", "GPE"),
        (3, "Nethanyahoo", "ORG"),
        (4, "Hamad", "PERSON"),
        (4, "Hamas", "ORG"),
    ]
    mentions, _ = run(texts, spans)
    for text in ("Satanyahu", "Nethanyahoo"):
        row = entity_of(mentions, text)
        assert row[S.ENTITY_NAME] == "Netanyahu" and row["link_method"] == "fuzzy", text
        assert row[S.LABEL] == "PERSON"
    assert entity_of(mentions, "Hamad")[S.ENTITY_NAME] == "Hamad"
    assert entity_of(mentions, "Hamas")[S.ENTITY_NAME] == "Hamas"


def test_fuzzy_against_alias_table_names():
    texts = ["War news", "Zelenskyi spoke", "Zelenisky spoke"]
    mentions, _ = run(texts, [(2, "Zelenisky", "PERSON")])
    assert entity_of(mentions, "Zelenskyi")["link_method"] == "alias"
    row = entity_of(mentions, "Zelenisky")
    assert row[S.ENTITY_NAME] == "Volodymyr Zelenskyy" and row["link_method"] == "fuzzy"


NEGATIVE_WORDS = (
    "Pudding Bidet Hammer Israelites Gazelle Machine PUTTING Biding Hamper Natalie Nathan Python "
    "Putnam Santa Sanity Macaroni Micron Mosul Russell Rusty Iranian Syrup Serial Benedict Hamlet "
    "Scholar Scholl Kagan Karma Kenyatta Ghazi Gazans Patina Paton Orbit Orbital Lukewarm Ukulele "
    "Hamburg Gazette Nation Bennet"
).split()


def test_fuzzy_does_not_link_ordinary_or_other_words():
    article = "Putin, Biden, Hamas, Israel, Gaza, Macron, Scholz, Kagame, Kenya, Orban and Iran."
    names = [
        "Putin",
        "Biden",
        "Hamas",
        "Israel",
        "Gaza",
        "Macron",
        "Scholz",
        "Kagame",
        "Kenya",
        "Orban",
        "Iran",
    ]
    labels = {"Hamas": "ORG", "Israel": "GPE", "Gaza": "GPE", "Kenya": "GPE", "Iran": "GPE"}
    spans = [(0, n, labels.get(n, "PERSON")) for n in names]
    words = [w for w in NEGATIVE_WORDS if w != "Bennet"]
    texts = [article] + [f"{w} is here" for w in words]
    mentions, _ = run(texts, spans, pos={w: "PROPN" for w in words})
    comment_mentions = mentions[mentions[S.DOC_KIND] == S.COMMENT]
    assert comment_mentions.empty, comment_mentions[[S.TEXT, S.ENTITY_NAME]].to_string()


# ------------------------------------------------------------------------- flags, not-entities
def test_flag_becomes_a_country_mention_and_joins_the_written_name():
    texts = ["Ukraine and Russia", "Slava 🇺🇦🇺🇦!", "🇷🇺 forever", "ukraine will win 🇪🇺"]
    spans = [(0, "Ukraine", "GPE"), (0, "Russia", "GPE")]
    docs, spans_df, cands = thread(texts, spans)
    mentions, entities = link_api.link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    flags = mentions[mentions["link_method"] == "flag"]
    assert flags[S.TEXT].tolist() == ["🇺🇦", "🇺🇦", "🇷🇺", "🇪🇺"]
    assert flags[S.ENTITY_NAME].tolist() == ["Ukraine", "Ukraine", "Russia", "European Union"]
    assert flags[S.LABEL].tolist() == ["GPE", "GPE", "GPE", "ORG"]
    ukraine = entities.set_index(S.ENTITY_ID).loc["ukraine"]
    assert ukraine["mention_count"] == 4  # article, two flags, and "ukraine" (gazetteer)
    assert ukraine["link_methods"] == "model:1 | gazetteer:1 | flag:2"


def test_flag_alone_makes_an_entity_without_any_span():
    mentions, entities = run(["Headline", "🇵🇸"])
    assert entities[S.ENTITY_NAME].tolist() == ["Palestine"]
    assert mentions["link_method"].tolist() == ["flag"]


def test_not_entities_are_dropped_or_trimmed():
    texts = [
        "Kenya votes",
        "Long Live Kenya 🇰🇪. lol Amen",
        "Long Live Freedom",
        "god help us. ❤️❤️",
        "President thinks so",
        "Free Kenya and Free Syrian Army",
    ]
    spans = [
        (0, "Kenya", "GPE"),
        (1, "Long Live Kenya", "PERSON"),
        (1, "lol", "ORG"),
        (1, "Amen", "PERSON"),
        (2, "Long Live", "PERSON"),
        (3, "god", "PERSON"),
        (3, "❤️❤️", "ORG"),
        (4, "President", "PERSON"),
        (5, "Free Kenya", "ORG"),
        (5, "Free Syrian Army", "ORG"),
    ]
    docs, spans_df, cands = thread(texts, spans)
    mentions, entities = link_api.link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    names = set(entities[S.ENTITY_NAME])
    assert not names & {"Long Live", "Long Live Kenya", "lol", "Amen", "God", "President"}
    c1 = mentions[mentions[S.DOC_ID] == "t9/c1"]
    assert c1[S.TEXT].tolist() == ["Kenya", "🇰🇪"]
    assert set(c1[S.ENTITY_NAME]) == {"Kenya"} and set(c1[S.LABEL]) == {"GPE"}
    c5 = mentions[mentions[S.DOC_ID] == "t9/c5"]
    assert c5[S.TEXT].tolist() == ["Kenya", "Free Syrian Army"]
    cleaned = link_spans.filter_model_spans(docs, spans_df)
    dropped = cleaned[cleaned["action"] == "drop"]
    assert set(dropped["model_text"]) == {"lol", "Amen", "Long Live", "god", "❤️❤️", "President"}


# --------------------------------------------------------------------- integrity, determinism
def test_determinism_and_input_order_do_not_matter():
    docs, spans, cands = thread(GROUPING, GROUPING_SPANS)
    first = link_api.link_thread(docs, spans, cands)
    again = link_api.link_thread(docs, spans, cands)
    shuffled = link_api.link_thread(
        docs.sample(frac=1, random_state=1),
        spans.sample(frac=1, random_state=2),
        cands.sample(frac=1, random_state=3),
    )
    for a, b, c in zip(first, again, shuffled, strict=True):
        assert_frame_equal(a, b)
        assert_frame_equal(a, c)
    assert docs.equals(thread(GROUPING, GROUPING_SPANS)[0])  # inputs untouched


def test_empty_inputs_give_empty_tables_with_the_right_columns():
    docs, spans, cands = thread(["Nothing to see", "really nothing"])
    for frames in [(docs.iloc[0:0], spans, cands), (docs, spans.iloc[0:0], cands.iloc[0:0])]:
        mentions, entities = link_api.link_thread(*frames)
        assert mentions.empty and entities.empty
        assert_frame_equal(mentions, S.MENTIONS.empty())
        assert_frame_equal(entities, S.ENTITIES.empty())


def test_bad_input_raises_stage_input_error():
    docs, spans, cands = thread(["Kenya votes", "ok"], [(0, "Kenya", "GPE")])
    bad = spans.assign(end_char=spans[S.END_CHAR] + 1)
    with pytest.raises(StageInputError, match="claims text 'Kenya'"):
        link_api.link_thread(docs, bad, cands)
    with pytest.raises(StageInputError, match="not in docs"):
        link_api.link_thread(docs, spans.assign(doc_id="t9/c99"), cands)
    with pytest.raises(StageInputError, match="lacks columns"):
        link_api.link_thread(docs, spans.drop(columns=[S.LABEL]), cands)
    two = pd.concat([docs, docs.assign(thread_id="other", doc_id=docs[S.DOC_ID] + "x")])
    with pytest.raises(StageInputError, match="one thread"):
        link_api.link_thread(two, spans, cands)


# ------------------------------------------------------------------------ real pipeline
def _annotate_like(nlp, texts, thread_id="it"):
    doc_ids = [f"{thread_id}/article"] + [f"{thread_id}/c{i}" for i in range(1, len(texts))]
    spans, cands = [], []
    for doc_id, doc in zip(doc_ids, nlp.pipe(texts), strict=True):
        inside = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        spans += [(doc_id, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
        cands += [
            (doc_id, t.idx, t.idx + len(t), t.text, t.pos_, t.lemma_)
            for t in doc
            if t.i not in inside and t.is_alpha and not t.is_stop and len(t) >= 3
        ]
    docs = pd.DataFrame(
        {
            S.THREAD_ID: thread_id,
            S.DOC_ID: doc_ids,
            S.DOC_KIND: [S.ARTICLE] + [S.COMMENT] * (len(texts) - 1),
            "position": range(len(texts)),
            S.TEXT: texts,
        }
    )
    return (
        docs,
        pd.DataFrame(spans, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, S.LABEL]),
        pd.DataFrame(cands, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos", "lemma"]),
    )


def test_integration_with_the_real_pipeline(nlp):
    texts = [
        "German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin on Monday. "
        "Scholz said Germany and France would work together.",
        "scholz is weak lol",
        "Long Live France 🇫🇷🇫🇷",
        "Macron's plan will fail. MACRON out!",
        "Germany 🇩🇪 deserves better than Scholtz",
    ]
    docs, spans, cands = _annotate_like(nlp, texts)
    mentions, entities = link_api.link_thread(docs, spans, cands)
    check_integrity(docs, mentions, entities)
    assert "Long Live" not in set(entities[S.ENTITY_NAME])
    by_name = mentions.groupby(S.ENTITY_NAME)[S.TEXT].apply(set).to_dict()
    assert {"🇫🇷", "France"} <= by_name["France"]
    assert {"🇩🇪", "Germany"} <= by_name["Germany"]
    assert {"Olaf Scholz", "scholz"} <= by_name["Olaf Scholz"]
    assert {"Macron", "MACRON"} <= by_name["Emmanuel Macron"]
    assert "Scholtz" in by_name["Olaf Scholz"]


# ------------------------------------------------------------------------------- properties
_WORDS = [
    "Putin",
    "putin",
    "PUTIN",
    "Putn",
    "Long",
    "Live",
    "lol",
    "US",
    "us",
    "the",
    "Russia",
    "Russians",
    "🇷🇺",
    "🇦",
    "❤️",
    "'s",
    "&",
    "Mr.",
    "U.S.",
    "Hamas",
    "hamas",
    "Gaza",
    "-",
    "Bibi",
    "Nutnyahoo",
    "Netanyahu",
    "and",
    ",",
    ".",
    "!!",
    "Zelenisky",
    "Kenyans",
    "\n\n",
]


def random_thread(
    thread_id: str, docs_words: list[list[str]], picks: list[tuple]
) -> tuple[pd.DataFrame, list[tuple], set[tuple[int, int]]]:
    """A thread of the given words and the non-overlapping model spans of ``picks`` (doc, first
    word, words, label): ``(docs, spans, taken)``, ``taken`` the (doc, char) cells spanned."""
    texts = [" ".join(words) for words in docs_words]
    doc_ids = [f"{thread_id}/article"] + [f"{thread_id}/c{i}" for i in range(1, len(texts))]
    spans, taken = [], set()
    for d, w, n, label in picks:
        if d >= len(texts) or w >= len(docs_words[d]):
            continue
        words = docs_words[d]
        start = len(" ".join(words[:w])) + (1 if w else 0)
        end = len(" ".join(words[: w + n]))
        cells = {(d, k) for k in range(start, end)}
        if end <= start or taken & cells:
            continue
        taken |= cells
        spans.append((doc_ids[d], start, end, texts[d][start:end], label))
    docs = pd.DataFrame(
        {
            S.THREAD_ID: thread_id,
            S.DOC_ID: doc_ids,
            S.DOC_KIND: [S.ARTICLE] + [S.COMMENT] * (len(texts) - 1),
            "position": range(len(texts)),
            S.TEXT: texts,
        }
    )
    return docs, spans, taken


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs_words=st.lists(st.lists(st.sampled_from(_WORDS), max_size=12), min_size=1, max_size=4),
    picks=st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(0, 11),
            st.integers(1, 3),
            st.sampled_from(["PERSON", "ORG", "GPE", "NORP", "DATE", "LOC"]),
        ),
        max_size=8,
    ),
)
def test_any_thread_links_with_integrity(docs_words, picks):
    docs, spans, _ = random_thread("p", docs_words, picks)
    texts, doc_ids = docs[S.TEXT].tolist(), docs[S.DOC_ID].tolist()
    spans_df = pd.DataFrame(spans, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, S.LABEL])
    cands = pd.DataFrame(
        [
            (doc_ids[i], m.start(), m.end(), m.group(0), "PROPN", m.group(0).lower())
            for i, t in enumerate(texts)
            for m in re.finditer(r"[^\W\d_]{3,}", t)
        ],
        columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos", "lemma"],
    )
    mentions, entities = link_api.link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    again = link_api.link_thread(docs, spans_df, cands)
    assert_frame_equal(mentions, again[0])
    assert_frame_equal(entities, again[1])


_TAGS = ["PROPN", "X", "NOUN", "VERB", "ADJ"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs_words=st.lists(st.lists(st.sampled_from(_WORDS), max_size=12), min_size=1, max_size=5),
    picks=st.lists(
        st.tuples(
            st.integers(0, 4),
            st.integers(0, 11),
            st.integers(1, 3),
            st.sampled_from(["PERSON", "ORG", "GPE", "NORP", "DATE"]),
        ),
        max_size=8,
    ),
    tags=st.lists(st.sampled_from(_TAGS), min_size=60, max_size=60),
)
def test_unused_candidates_can_be_dropped_before_linking(docs_words, picks, tags):
    """The annotation step passes only the candidates :func:`candidate_is_used` keeps (long
    threads hold mostly lower-case ordinary words): linking must give the same tables."""
    docs, spans, taken = random_thread("q", docs_words, picks)
    texts, doc_ids = docs[S.TEXT].tolist(), docs[S.DOC_ID].tolist()
    rows = [
        (doc_ids[i], m.start(), m.end(), m.group(0), m.group(0).lower())
        for i, t in enumerate(texts)
        for m in re.finditer(r"[^\W\d_]{3,}", t)
        if not {(i, k) for k in range(m.start(), m.end())} & taken  # outside model spans
    ]
    cands = pd.DataFrame(
        [(d, a, b, t, tags[j % len(tags)], lemma) for j, (d, a, b, t, lemma) in enumerate(rows)],
        columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos", "lemma"],
    )
    spans_df = pd.DataFrame(spans, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, S.LABEL])
    used = pd.Series(
        [
            link_rules.candidate_is_used(t, p)
            for t, p in zip(cands[S.TEXT], cands["pos"], strict=True)
        ],
        index=cands.index,
        dtype=bool,
    )
    full = link_api.link_thread(docs, spans_df, cands)
    kept = link_api.link_thread(docs, spans_df, cands[used])
    assert_frame_equal(full[0], kept[0])
    assert_frame_equal(full[1], kept[1])


def test_candidate_is_used_keeps_proper_noun_like_tokens():
    assert link_rules.candidate_is_used("Netanyahoo", "NOUN")  # capitalised
    assert link_rules.candidate_is_used("hamaz", "PROPN")
    assert link_rules.candidate_is_used("zelensky", "X")
    assert not link_rules.candidate_is_used("weak", "ADJ")
    assert not link_rules.candidate_is_used("putn", None)


def test_annotation_passes_only_used_candidates_and_tables_do_not_change(monkeypatch, nlp):
    """The annotation step drops the candidates linking ignores; its four tables are the same as
    when every candidate is passed (long threads: most candidates are ordinary words)."""
    from factories import make_thread

    from analysis.annotate import stage as annotate

    corpus, paragraphs = make_thread(
        "Scholz meets Macron in Berlin",
        ["German Chancellor Olaf Scholz met Emmanuel Macron in Berlin. Scholz spoke first."],
        [
            "scholz is weak and macron is weaker",
            "Scholtz again?? Makron will fold",
            "Long Live France 🇫🇷 honestly",
            "the chancellor should resign today",
            "so Shcolz lied, typical",  # misspellings the model does not tag: candidates
            "Makrone? never",
            "i mean Skolz lol",
            "",
        ],
    )
    text_of = dict(zip(corpus[S.DOC_ID], corpus[S.TEXT], strict=True))

    class Recording(RuleLinker):
        """The rule linker, recording the candidates it is fed; optionally keeping them all."""

        def __init__(self, keep_all: bool) -> None:
            super().__init__()
            self.keep_all, self.seen = keep_all, []

        def keeps_candidate(self, text, pos):
            return True if self.keep_all else super().keeps_candidate(text, pos)

        def thread(self, thread_id):
            linking, seen = super().thread(thread_id), self.seen
            add_doc = linking.add_doc

            def recording_add_doc(**kwargs):
                seen.extend(
                    (text_of[kwargs["doc_id"]][a:b], pos) for a, b, pos, _ in kwargs["candidates"]
                )
                return add_doc(**kwargs)

            linking.add_doc = recording_add_doc
            return linking

    options = {"use_cache": False, "progress": False, "chunk_size": 2}
    filtering = Recording(keep_all=False)
    filtered = annotate.annotate_corpus(corpus, paragraphs, linker=filtering, **options)
    kept = filtering.seen
    assert len(kept) and all(link_rules.candidate_is_used(t, p) for t, p in kept)
    # pass every candidate from the annotation step; linking itself still applies its filter
    passing = Recording(keep_all=True)
    unfiltered = annotate.annotate_corpus(corpus, paragraphs, linker=passing, **options)
    assert len(passing.seen) > len(kept)  # the ordinary words were passed this time
    assert (filtered["mentions"]["link_method"] == link_store.FUZZY).any()  # candidates were linked
    for name in annotate.TABLE_SPECS:
        assert_frame_equal(filtered[name], unfiltered[name])
