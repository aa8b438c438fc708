"""Knowledge of well-known entities: ``knowledge.csv`` and how its forms may be matched.

``aliases.csv`` lists nicknames and spellings of actors that recur in news threads; it says
nothing about the many entities every English thread may name without the model catching them:
"asia", "facebook", "obama" written in lower case, "GOP", "IRS". ``knowledge.csv`` is a general
knowledge base of such entities, chosen by external criteria written down per row (``category``)
and sourced per row (``source``), **not** from the dev or seed threads:

======================  ========================================================================
category                criterion
======================  ========================================================================
un_member, un_observer  every UN member state and the two observer states, by the common short
                        name of ``flags.csv``, plus common formal and former names
continent_region        the continents and the major world regions named on Wikipedia
platform                the online platforms of Wikipedia's "List of most-visited websites" and
                        "List of social platforms with at least 100 million active users"
technology_company      the largest technology companies by revenue and their flagship products
video_game              the best-selling and most-played video games (Wikipedia's lists)
us_president            US presidents (all since 1945, and the most cited earlier ones)
us_vice_president       US vice presidents since 1953
us_nominee              major-party presidential and vice-presidential nominees since 1988
world_leader            heads of state or government of G20 members since 2005, best known
religion, scripture     Wikipedia's "Major religious groups" and their religious texts
religious_figure        founders of those religions
us_federal              major US federal agencies (Wikipedia's list of federal agencies)
us_federal_programme    the largest US federal social programmes and their laws
us_party                the US political parties with ballot access in most states
international_org       the best-known intergovernmental and international organisations
news_outlet             US national networks and newspapers, the BBC, the wire agencies
language                languages of Wikipedia's "List of languages by total number of speakers"
                        by a name that is only the language (endonyms: "Deutsch", "Español")
======================  ========================================================================

A form is listed only when, in English news usage, it names that entity and nothing else of
note: a bare form whose English Wikipedia title is a disambiguation page or another topic is left
out ("Georgia", "Amazon", "Apple", "Bush", "Clinton", "Kennedy", "Fox", "WHO", "AP"), as are state
names that are also common given names ("Chad", "Jordan"), given names alone ("Hillary"), and
metonyms, slurs, puns and contested renamings (as in ``aliases.csv``). Rows join the alias table:
a mention whose text is a listed form links to ``canonical_name`` with ``link_method = alias``,
every form is searched in every thread (the alias search of :mod:`analysis.linking`), and the
one-word forms are fuzzy targets (:func:`analysis.linking.fuzzy.fuzzy_link`: a misspelling of a
name the thread does not mention links when it sounds alike or is spelled very closely, and only
one lexicon entity matches).

**Case rules** (:func:`knowledge_case_rule`). A written form that is also a common English word
in that form needs more evidence than the table:

- :func:`is_ordinary_form`: one word that is a stop word or a WordNet adjective or adverb
  ("arctic"), or a WordNet noun or verb that English inflects as an ordinary word: its most
  frequent regular inflection (plural, -s, -ed, -ing) is at least 1/30 as frequent as the word
  itself in general English (``wordfreq``, Zipf gap below
  :data:`INFLECTION_ZIPF_GAP`: "turkey"/"turkeys", "steam"/"steamed", "trump"/"trumps",
  "twitch"/"twitching"). WordNet lists many names and words alike, but names are rarely inflected
  ("asia", "china", "japan", "islam", "twitter"/"twittering" are not ordinary). A form of several
  words is ordinary only when every word is a stop word.
- An ordinary form matches only where it is written as a name (capitalised, not opening a
  sentence, not shouted), or in lower case where the thread itself shows the name (the model
  found it written as a name :data:`analysis.linking.rules.ATTESTED_MIN` times and spaCy tagged
  the token a proper noun, or the thread writes it as a name five times as often as in lower
  case: :func:`analysis.linking.casing.lower_case_ok`). Ordinary forms are not "curated" names, so
  a lower-case model span of one is judged like any other common word.
- Acronyms match in capitals only when they are of two letters and an English word ("IG") or
  of more letters and a common word (a stop word or WordNet verb, adjective or adverb, or
  ordinary as above: "ICE", "SNAP"); a two-letter acronym that is no English word ("FB", "YT")
  matches in capitals or all in lower case ("fb", not "Fb"); other acronyms in any case ("fbi").
- Other forms match in any case ("facebook", "obama", "asia", "social security").

Limits: the table knows well-known entities only; a lower-case mention of anything else (a small
band, a YouTuber, a game outside the lists) still needs the thread to name it. Ordinary-word
names ("steam", "roar", "bush") stay unlinked in lower case without thread evidence, by design.
The inflection test misjudges names whose plural is another word or name ("France"/"Frances",
"Cameroon"/"Cameroons": ordinary, so their lower-case forms need thread evidence) and uninflected
words ("google" as a verb is rarely inflected, so "google it" links to Google). Rows were
written from the sources named in each row and reflect usage up to 2024. A lower-case
misspelling spaCy does not tag a proper noun ("instagraml" as a noun) is fuzzy-matched only when
it has at least six letters, is no English word and is spelled close to the name (the spelling
rule: :func:`analysis.linking.fuzzy.is_lower_case_candidate`), and never when it is a name plus
an English ending. Measured in
``bench/eval_linking.py`` (gold recall of lower-case, misspelled and nickname mentions).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
from wordfreq import zipf_frequency

from analysis import schema as S
from analysis.errors import InputError
from analysis.linking.names import (
    _letters,
    _stop_words,
    _tokens,
    _wordnet_tables,
    common_words,
    english_words,
    is_acronym,
    name_key,
)

#: File name under the lexicon folder.
KNOWLEDGE_FILE = "knowledge.csv"
#: Columns of ``knowledge.csv``.
KNOWLEDGE_COLUMNS = ("form", "canonical_name", "label", "kind", "category", "source", "note")
#: Allowed ``kind`` values (as in ``aliases.csv``, plus ``name`` for the canonical form itself).
KINDS = (
    "name",
    "nickname",
    "spelling",
    "abbreviation",
    "formal_name",
    "former_name",
    "short_name",
)
#: Allowed ``category`` values: the external criteria of the module docstring.
CATEGORIES = (
    "un_member",
    "un_observer",
    "continent_region",
    "platform",
    "technology_company",
    "video_game",
    "us_president",
    "us_vice_president",
    "us_nominee",
    "world_leader",
    "religion",
    "scripture",
    "religious_figure",
    "us_federal",
    "us_federal_programme",
    "us_party",
    "international_org",
    "news_outlet",
    "language",
)
#: A WordNet word with an inflection within this many Zipf units of it is an ordinary word
#: (1.5: the inflection is at least 1/30 as frequent as the word).
INFLECTION_ZIPF_GAP = 1.5


def load_knowledge(path: Path | str) -> pd.DataFrame:
    """Read ``knowledge.csv``.

    Returns:
        Columns form, canonical_name, label, kind, category, source, note (strings) and line (the
        file line, int), in file order. A missing file gives an empty table (the knowledge base is
        optional).

    Raises:
        InputError: missing column, empty form/canonical_name/label/category/source, a label
            outside ENTITY_LABELS, an unknown kind or category, a form without letters or digits,
            or one form given two canonical names.
    """
    from analysis.linking.lexicons import _frame, _read_csv

    path = Path(path)
    if not path.is_file():
        return _frame([], KNOWLEDGE_COLUMNS).assign(line=pd.Series([], dtype="int64"))
    required = ("form", "canonical_name", "label", "category", "source")
    rows = _read_csv(path, KNOWLEDGE_COLUMNS, required)
    seen: dict[str, str] = {}
    for row in rows:
        line = row["_line"]
        for column, allowed in (("label", S.ENTITY_LABELS), ("category", CATEGORIES)):
            if row[column] not in allowed:
                raise InputError(
                    path, f"{column} {row[column]!r} is not one of {list(allowed)}", record=line
                )
        if row["kind"] and row["kind"] not in KINDS:
            raise InputError(path, f"kind {row['kind']!r} is not one of {list(KINDS)}", record=line)
        key = name_key(row["form"])
        if not key:
            raise InputError(path, f"form {row['form']!r} has no letters", record=line)
        other = seen.setdefault(key, row["canonical_name"])
        if name_key(other) != name_key(row["canonical_name"]):
            raise InputError(
                path,
                f"form {row['form']!r} maps to both {other!r} and {row['canonical_name']!r}",
                record=line,
            )
    lines = pd.Series([r["_line"] for r in rows], dtype="int64")
    return _frame(rows, KNOWLEDGE_COLUMNS).assign(line=lines)


#: Compass points: a region named by one at its end ("Middle East") has a regular adjective in
#: "-ern" ("Middle Eastern"), which names the region, not a people (:func:`regular_adjectives`).
COMPASS_POINTS = frozenset(
    {"east", "west", "north", "south", "northeast", "northwest", "southeast", "southwest"}
)
#: Labels of the places whose compass adjective is derived.
COMPASS_LABELS = frozenset({"LOC", "GPE"})


def regular_adjectives(form: str, label: str) -> list[str]:
    """The adjectives English forms by rule from a place name, as mentions of that place.

    Only one rule is general enough: a name of two or more words ending in a compass point
    (:data:`COMPASS_POINTS`) takes "-ern" ("Middle East" -> "Middle Eastern", "Far East" -> "Far
    Eastern"), written in the case of the name's last word. A one-word compass name ("West") is
    left alone ("Western" also names a film genre and a culture), and so are demonyms in "-n",
    "-i" ("Asian", "Israeli"): those name peoples, kept apart from places (``demonyms.csv``).

    Returns:
        The derived forms (empty when no rule applies).
    """
    words = _tokens(form)
    if label not in COMPASS_LABELS or len(words) < 2 or words[-1].casefold() not in COMPASS_POINTS:
        return []
    last = words[-1]
    ending = "ERN" if last.isupper() else "ern"
    return [form[: len(form) - len(last)] + last + ending] if form.endswith(last) else []


def _inflections(word: str) -> set[str]:
    """Regular plural / third-person, past and -ing forms of ``word`` (with e-drop and the
    doubled final consonant: "steam" -> steams, steamed, steaming; "snap" -> snapped)."""
    if word.endswith(("s", "sh", "ch", "x", "z")):
        plural = word + "es"
    elif word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        plural = word[:-1] + "ies"
    else:
        plural = word + "s"
    stem = word[:-1] if word.endswith("e") else word
    out = {plural, stem + "ed", stem + "ing"}
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        if word[-3] not in "aeiou":
            out |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return out


@lru_cache(maxsize=4096)
def is_ordinary_form(form: str) -> bool:
    """Whether ``form`` written in lower case is a common English word (module docstring).

    One word: a stop word, a WordNet adjective or adverb ("arctic"), or a WordNet noun or verb
    used as an ordinary word, which is inflected: its most frequent regular inflection (plural,
    -s, -ed, -ing) is within :data:`INFLECTION_ZIPF_GAP` Zipf units of the word itself
    ("steam"/"steamed", "apple"/"apples", "trump"/"trumps"). Proper names are rarely inflected
    ("asia", "japan", "twitter"/"twittering" are not ordinary). Several words: every word a stop
    word, else not ordinary.
    """
    words = [w.casefold() for w in _tokens(form)]
    if not words:
        return False
    if len(words) > 1:
        return all(w in _stop_words() for w in words)
    word = "".join(ch for ch in words[0] if ch.isalnum())
    tables = _wordnet_tables()
    if word in _stop_words() or word in tables["adj"] or word in tables["adv"]:
        return True  # adjectives and adverbs are not inflected like nouns and verbs
    if word not in english_words():
        return False
    own = zipf_frequency(word, "en")
    best = max(zipf_frequency(w, "en") for w in _inflections(word))
    return own > 0 and own - best < INFLECTION_ZIPF_GAP


def knowledge_case_rule(form: str) -> str:
    """The :func:`analysis.linking.search.case_rule` of a knowledge form.

    Returns:
        ``"upper"`` (acronyms of two letters that are English words, "IG", or of more letters
        that are ordinary words, "ICE", "SNAP"),
        ``"upper_or_lower"`` (two-letter acronyms that are no English word: "FB", "fb", not
        "Fb"), ``"exact"`` (other forms of at most two letters), ``"named"`` (ordinary forms,
        :func:`is_ordinary_form`) or ``"any"``.
    """
    key = name_key(form)
    letters = _letters(form)
    if is_acronym(form):
        if len(letters) <= 2:
            return "upper" if key in english_words() else "upper_or_lower"
        return "upper" if key in common_words() or is_ordinary_form(key) else "any"
    if len(letters) <= 2:
        return "exact"
    return "named" if is_ordinary_form(form) else "any"
