"""Entity linking for one thread: canonical entities across the article and its noisy comments.

:func:`link_thread` takes the thread's documents, the spaCy NER spans and the candidate tokens the
annotation step found, and returns the ``mentions`` and ``entities`` tables. Every mention says how
it was found or linked (``link_method``):

``model``
    a span of the NER model, linked to its entity by the canonical-grouping rules below.
``gazetteer``
    a name seen elsewhere in the thread (any document, the article first), found again by a
    case-insensitive, word-bounded search the model missed ("hamas", "PUTIN").
``alias``
    a nickname, spelling, abbreviation or formal name listed in ``aliases.csv`` ("Bibi", "USA",
    "IDF"), whether the model found the span or the alias search did.
``fuzzy``
    a misspelling or sound-alike pun on a known name ("Netanyahoo", "Zelenisky"); ``link_score``
    is the Jaro-Winkler similarity of the token to the name it was linked to.
``flag``
    a flag emoji (two regional-indicator symbols, e.g. U+1F1F5 U+1F1F8 = "PS" = Palestine).

Steps, in order (each is a small public function that can be tested on its own):

1. **Clean model spans** (:func:`filter_model_spans`): keep the labels in
   :data:`analysis.schema.ENTITY_LABELS`; trim surrounding punctuation, a leading "the" and a
   trailing possessive ("Putin's" -> "Putin"); drop spans that are not entities: phrases listed in
   ``not_entities.csv`` ("lol", "Amen", "POS"), spans without a letter (punctuation, emoji), spans
   that are only a title ("President"), and all-lower-case spans made of ordinary English words
   with a label in :data:`DROP_LOWERCASE_LABELS` ("god" as PERSON) unless the name is known
   (capitalised elsewhere in the thread, or in a lexicon), and ordinary words in capitals inside
   shouted text ("GIVE US A BREAK"). Slogan prefixes are cut off ("Long Live
   Palestine" -> "Palestine"); a span joining known names ("Russia & China") is split into them.
2. **Flags** (:func:`find_flags`): regional-indicator pairs and the England/Scotland/Wales tag
   sequences become GPE mentions of the place named in ``flags.csv`` (a flag inside a kept model
   span is left to that span, so mentions never overlap).
3. **Canonical grouping** of model mentions across the thread, by :func:`name_key` (case, accents,
   spaces, hyphens and dots ignored: "AlJazeera" = "Al Jazeera"), then: alias table rows; titles
   stripped from PERSON spans ("Prime Minister Naftali Bennett" -> "Naftali Bennett",
   :data:`TITLE_PATTERN`); surname -> the one multi-word person of the thread with that surname
   ("Putin" -> "Vladimir Putin", "Assad" -> "Bashar al-Assad"; a person is a group the model
   mostly labels PERSON, or ORG with a name that :func:`looks_like_person_name`); nationality
   plurals ("Palestinian" / "Palestinians").
4. **Gazetteer and alias search** over every document (:func:`find_names`) for every form of every
   entity of the thread and every row of the alias table, masking spans already linked. Case rules
   keep ordinary words out (:func:`case_rule`): acronyms match only in capitals ("US", never "us",
   and not inside shouted text); names that are ordinary English words ("Trump", "Turkey" unless
   listed in a lexicon, "May") match only capitalised; other names match in any case. Two
   adjacent mentions that together spell a known name become one ("Justin" + "trudeau").
5. **Fuzzy and sound-alike matching** (:func:`name_similarity`, :func:`fuzzy_link`) of unlinked
   proper-noun-like tokens (POS PROPN or X, or capitalised, at least :data:`FUZZY_MIN_LENGTH`
   letters) and of one-word model entities that match no known name, against the known names: the
   thread's entity names (single words and surnames) and the alias table's names. A token that is
   an English word (:func:`is_english_word`, checked against the WordNet lemma index shipped
   inside the spaCy model, plus spaCy's stop words, with simple inflections) is never fuzzy-linked,
   nor is a demonym ("Gazans") or a name plus a suffix ("Putinism"). A pair is accepted by one of
   three rules:

   - spelling: Jaro-Winkler >= :data:`FUZZY_JW_MIN` and Indel ratio >= :data:`FUZZY_RATIO_MIN`;
     pairs of at most :data:`FUZZY_SHORT_MAX` letters also need equal Metaphone codes ("Hamaz"
     -> Hamas, but "Hamad" stays a person of its own and "Scholl" is not "Scholz");
   - sound-alike: equal Metaphone codes of at least :data:`SOUNDALIKE_MIN_CODE` letters and Indel
     ratio >= :data:`SOUNDALIKE_RATIO_MIN` ("Nutnyahoo" -> Netanyahu), or equal NYSIIS codes of at
     least :data:`NYSIIS_MIN_CODE` letters and Indel ratio >= :data:`FUZZY_RATIO_MIN` ("Kanada" ->
     Canada; NYSIIS alone is too loose: "Kagan" is not "Kagame");
   - rhyming pun: Metaphone codes of at least :data:`RHYME_MIN_CODE` letters that differ only in
     their first letter, and Indel ratio >= :data:`SOUNDALIKE_RATIO_MIN` ("Satanyawho" ->
     Netanyahu).

   A one-word model entity is linked only to an entity with more mentions, or one anchored by a
   lexicon, a longer name or the article; a model PERSON is never linked to a non-person, so two
   distinct people or a person and a group with similar names stay apart.
6. **Demonyms** (``demonyms.csv``, when ``link_demonyms``): a NORP (or GPE) mention "Russian",
   "Russians" joins the entity of the country it names only when the country itself is mentioned
   in the thread by name, alias or flag. Religious and ethnic group names are not listed.
7. **Canonical name**: the alias-table / flags-table name when the entity was reached through a
   lexicon (so "USA", "U.S." and the flag of the United States are all "United States" in every
   thread); otherwise the most complete form seen (most words), preferring mixed case, then the
   article's form, then the most frequent. ``entity_id`` is :func:`slugify` of the canonical name.
   The entity label is the lexicon label, else the label the model gave most often (ties: the
   earliest mention's).

Mentions keep the exact offsets of the text they stand for (``text == doc[start:end]``); the label
of a mention is its entity's label. Output is deterministic: rows are sorted, nothing depends on set
or hash order. The lexicons are described in ``data/lexicons/README.md``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jellyfish
import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

from analysis import config
from analysis import schema as S
from analysis.errors import InputError, StageInputError
from analysis.schema.order import thread_order

# ------------------------------------------------------------------------------------ constants
#: Lexicon file names under the lexicon folder.
ALIASES_FILE = "aliases.csv"
NOT_ENTITIES_FILE = "not_entities.csv"
FLAGS_FILE = "flags.csv"
DEMONYMS_FILE = "demonyms.csv"

#: Link methods, in the order ``entities.link_methods`` lists them.
MODEL, GAZETTEER, ALIAS, FUZZY, FLAG = S.LINK_METHODS

#: Candidate tokens shorter than this are never fuzzy-matched (nor are target names).
FUZZY_MIN_LENGTH = 4
#: Spelling rule: minimum Jaro-Winkler similarity ...
FUZZY_JW_MIN = 0.90
#: ... and minimum Indel (Levenshtein without substitutions) normalised similarity.
FUZZY_RATIO_MIN = 0.80
#: Tokens of at most this many letters also need equal Metaphone codes under the spelling rule.
FUZZY_SHORT_MAX = 6
#: Sound-alike and rhyme rules: minimum Indel similarity.
SOUNDALIKE_RATIO_MIN = 0.60
#: Sound-alike rule: minimum length of the shared Metaphone code ...
SOUNDALIKE_MIN_CODE = 4
#: ... or of the shared NYSIIS code.
NYSIIS_MIN_CODE = 5
#: Rhyme rule: minimum Metaphone code length of both words.
RHYME_MIN_CODE = 5

#: A name known only from the alias table (not mentioned in the thread) needs, besides one of the
#: three rules, equal Metaphone or NYSIIS codes: without the thread as context a look-alike is
#: weaker evidence ("Almaeda" is not "Al-Qaeda"; "Zelenisky" is "Zelenskyy").
LEXICON_TARGETS_NEED_PHONETIC = True

#: A form whose letters are all capitals and at most this many is an acronym: capitals only.
ACRONYM_MAX_LETTERS = 5
#: Forms with at most this many letters match only with their exact case.
SHORT_FORM_MAX_LETTERS = 2
#: All-lower-case model spans with these labels are dropped when every word is an English word.
DROP_LOWERCASE_LABELS = ("PERSON", "ORG", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
#: One-word mentions with these labels may be linked to a full PERSON name by surname.
SURNAME_LABELS = ("PERSON", "ORG")
#: Labels a demonym mention may carry (the model sometimes tags "GAZAN" as GPE).
DEMONYM_LABELS = ("NORP", "GPE")
#: Demonyms join the country they name when it is mentioned in the thread (see step 6).
LINK_DEMONYMS = True
#: Lower-case particles inside personal names ("Bashar al-Assad", "Osama bin Laden").
NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "ben", "bint", "van", "von", "der", "den", "de", "da", "di", "du"}
)
#: Generational suffixes ignored when taking a surname.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

_OFFICES = (
    r"prime minister|foreign minister|defen[cs]e minister|finance minister|interior minister"
    r"|secretary of state|secretary[- ]general|supreme leader|president[- ]elect|vice president"
    r"|president|pm|premier|chancellor|minister|secretary|senator|sen\.?|rep\.?|representative"
    r"|congressman|congresswoman|governor|gov\.?|mayor|ayatollah|general|gen\.?|colonel|col\.?"
    r"|admiral|commander|ambassador|chairman|chairwoman|speaker|leader|mr\.?|mrs\.?|ms\.?|dr\.?"
    r"|rabbi|imam|reverend|rev\.?|judge|justice|comrade"
)
_RANKS = r"king|queen|prince|princess|crown prince|emperor|pope|sheikh|sheik|emir|sultan|tsar|czar"
_RANKS += r"|sir|dame|lord|lady"
#: Titles stripped from the start of PERSON spans for grouping (case-insensitive). A rank
#: ("King", "Pope", "Sir") is kept when only a single given name would remain ("Pope Francis").
TITLE_PATTERN = re.compile(
    rf"^(?:(?:former|ex-?|then|late|acting|deputy|interim)\s+)*"
    rf"(?:(?:{_OFFICES}|{_RANKS})\s+)+",
    re.IGNORECASE,
)
_RANK_PATTERN = re.compile(rf"\b(?:{_RANKS})\b", re.IGNORECASE)
_TITLE_ONLY = re.compile(
    rf"^(?:(?:former|ex-?|then|late|acting|deputy|interim)\s+)*(?:(?:{_OFFICES}|{_RANKS})\s*)+$",
    re.IGNORECASE,
)

_REGIONAL_PAIR = "[\U0001f1e6-\U0001f1ff]{2}"
_TAG_FLAG = "\U0001f3f4[\U000e0061-\U000e007a]+\U000e007f"
FLAG_PATTERN = re.compile(f"{_TAG_FLAG}|{_REGIONAL_PAIR}")
_SEPARATORS = re.compile(r"\s*(?:&|\+|/|,|\band\b|\bn\b)\s*", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
_MASK = "\x00"

#: Entries kept by each memoised text helper (bounded so memory does not grow with the thread).
_TEXT_CACHE_SIZE = 32_768
#: Rows of the spans table turned into Python objects at a time.
_SPAN_SLICE_ROWS = 50_000
#: POS tags that make a candidate token proper-noun-like (fuzzy matching, the ``propn`` case rule).
PROPN_TAGS = ("PROPN", "X")

_DOC_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.DOC_KIND, "position", S.TEXT)
_SPAN_COLUMNS = (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.LABEL)
_CANDIDATE_COLUMNS = (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos")


# ------------------------------------------------------------------------------ text helpers
@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def fold(text: str) -> str:
    """Case-fold and strip accents (NFKD without combining marks): "Erdoğan" -> "erdogan"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def name_key(text: str) -> str:
    """The grouping key of a name: folded letters and digits only.

    Case, accents, spaces, hyphens, dots and apostrophes are ignored, so "U.S." and "US",
    "AlJazeera" and "Al Jazeera", "Erdoğan" and "ERDOGAN" share a key.
    """
    return "".join(ch for ch in fold(text) if ch.isalnum())


def slugify(name: str) -> str:
    """Stable entity id of a canonical name: "Bashar al-Assad" -> "bashar-al-assad"."""
    slug = re.sub(r"[\W_]+", "-", fold(name)).strip("-")
    return slug or "entity-" + "-".join(f"{ord(c):x}" for c in name)


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t for t in re.split(r"[\s\-]+", name.strip()) if t)


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def is_acronym(form: str) -> bool:
    """All-capital forms of at most :data:`ACRONYM_MAX_LETTERS` letters, or dotted ("U.S.")."""
    letters = _letters(form)
    if not letters or not letters.isupper():
        return False
    return len(letters) <= ACRONYM_MAX_LETTERS or bool(re.search(r"\w\.\w", form))


def strip_titles(name: str, *, demonyms: Iterable[str] = ()) -> str:
    """Remove leading titles from a person's name (see :data:`TITLE_PATTERN`).

    A leading nationality before a title goes too ("Russian President Vladimir Putin" -> "Vladimir
    Putin"). The name is returned unchanged when nothing would remain, and a rank is kept when only
    one word would remain ("Pope Francis").
    """
    text = name.strip()
    words = text.split()
    if len(words) > 2 and TITLE_PATTERN.match(" ".join(words[1:]) + " "):
        if name_key(words[0]) in {name_key(d) for d in demonyms}:
            text = " ".join(words[1:])
    match = TITLE_PATTERN.match(text)
    if not match or match.end() >= len(text):
        return text
    rest = text[match.end() :].strip()
    if len(rest.split()) == 1 and _RANK_PATTERN.search(match.group(0)):
        return text
    return rest


def is_title_only(text: str) -> bool:
    """True for a span that is only a title or honorific ("President", "Prime Minister")."""
    return bool(_TITLE_ONLY.match(text.strip()))


def surname_keys(name: str) -> set[str]:
    """Keys a multi-word personal name may be referred to by alone.

    "Vladimir Putin" -> {"putin"}; "Bashar al-Assad" -> {"alassad", "assad"}; "Osama bin Laden"
    -> {"binladen", "laden"}. One-word names and surnames under three letters give nothing.
    """
    words = _tokens(name)
    while words and name_key(words[-1]) in NAME_SUFFIXES:
        words = words[:-1]
    if len(words) < 2:
        return set()
    last = name_key(words[-1])
    keys = {last} if len(last) >= 3 else set()
    i = len(words) - 1
    while i > 1 and name_key(words[i - 1]) in NAME_PARTICLES:
        i -= 1
    if i < len(words) - 1:
        keys.add(name_key("".join(words[i:])))
    return keys


def clean_span(text: str, start: int, end: int, *, keep_the: bool = False) -> tuple[int, int]:
    """Trim a span of ``text``: surrounding punctuation/space, a leading "the", a possessive.

    A trailing dot stays when the span has another dot ("U.S."). Returns new ``(start, end)``;
    ``start == end`` when nothing is left.
    """
    while True:
        s, e = start, end
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            if text[end - 1] == "." and "." in text[start : end - 1]:
                break
            end -= 1
        low = text[start:end].casefold()
        if low.endswith(("'s", "\u2019s")) and end - start > 2:
            end -= 2
        if not keep_the:
            the = re.match(r"the\s+", low)
            if the and the.end() < end - start:
                start += the.end()
        if (s, e) == (start, end):
            return start, end


# ---------------------------------------------------------------------------------- lexicons
def _read_csv(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> list[dict]:
    """Rows of a lexicon CSV (lines starting with '#' are comments), with their line numbers."""
    if not path.is_file():
        raise InputError(path, f"lexicon not found; expected a CSV with columns {list(columns)}")
    rows: list[dict] = []
    header: list[str] | None = None
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            values = next(csv.reader([line]))
            if header is None:
                header = [v.strip() for v in values]
                missing = [c for c in columns if c not in header]
                if missing:
                    raise InputError(
                        path,
                        f"header lacks columns {missing}; expected {list(columns)}",
                        record=line_no,
                    )
                continue
            if len(values) != len(header):
                raise InputError(
                    path,
                    f"expected {len(header)} comma-separated fields, found {len(values)}",
                    record=line_no,
                )
            row = {k: v.strip() for k, v in zip(header, values, strict=True)}
            empty = [c for c in required if not row.get(c)]
            if empty:
                raise InputError(path, f"empty required field(s) {empty}", record=line_no)
            row["_line"] = line_no
            rows.append(row)
    if header is None:
        raise InputError(path, f"no header line; expected columns {list(columns)}")
    return rows


def _frame(rows: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    data = {c: pd.Series([r.get(c, "") for r in rows], dtype="string") for c in columns}
    return pd.DataFrame(data)


_ALIAS_COLUMNS = ("alias", "canonical_name", "label", "kind", "source", "note")
_NOT_ENTITY_COLUMNS = ("phrase", "match", "category", "note")
_NOT_ENTITY_MATCHES = ("exact", "prefix", "prefix_if_known")
_FLAG_COLUMNS = ("code", "country", "label", "note")
_DEMONYM_COLUMNS = ("demonym", "place", "note")


def load_aliases(path: Path | str) -> pd.DataFrame:
    """Read ``aliases.csv``.

    Returns:
        Columns alias, canonical_name, label, kind, source, note (strings), in file order.

    Raises:
        InputError: missing file or column, empty alias/canonical_name/label, a label outside
            ENTITY_LABELS, or one alias given two different canonical names.
    """
    path = Path(path)
    rows = _read_csv(path, _ALIAS_COLUMNS, ("alias", "canonical_name", "label"))
    seen: dict[str, str] = {}
    for row in rows:
        if row["label"] not in S.ENTITY_LABELS:
            raise InputError(
                path,
                f"label {row['label']!r} is not one of {list(S.ENTITY_LABELS)}",
                record=row["_line"],
            )
        key = name_key(row["alias"])
        if not key:
            raise InputError(path, f"alias {row['alias']!r} has no letters", record=row["_line"])
        other = seen.setdefault(key, row["canonical_name"])
        if name_key(other) != name_key(row["canonical_name"]):
            raise InputError(
                path,
                f"alias {row['alias']!r} maps to both {other!r} and {row['canonical_name']!r}",
                record=row["_line"],
            )
    return _frame(rows, _ALIAS_COLUMNS)


def load_not_entities(path: Path | str) -> pd.DataFrame:
    """Read ``not_entities.csv``.

    Returns:
        Columns phrase, match (exact | prefix | prefix_if_known), category, note.

    Raises:
        InputError: missing file or column, empty phrase, unknown match kind.
    """
    path = Path(path)
    rows = _read_csv(path, _NOT_ENTITY_COLUMNS, ("phrase", "match"))
    for row in rows:
        if row["match"] not in _NOT_ENTITY_MATCHES:
            raise InputError(
                path,
                f"match {row['match']!r} is not one of {list(_NOT_ENTITY_MATCHES)}",
                record=row["_line"],
            )
    return _frame(rows, _NOT_ENTITY_COLUMNS)


def load_flags(path: Path | str) -> pd.DataFrame:
    """Read ``flags.csv`` (flag code -> place).

    Returns:
        Columns code (ISO 3166-1 alpha-2, or GB-ENG style for subdivision flags), country, label,
        note.

    Raises:
        InputError: missing file or column, malformed or repeated code, label outside
            ENTITY_LABELS.
    """
    path = Path(path)
    rows = _read_csv(path, _FLAG_COLUMNS, ("code", "country", "label"))
    codes: set[str] = set()
    for row in rows:
        if not re.fullmatch(r"[A-Z]{2}(?:-[A-Z0-9]{1,3})?", row["code"]):
            raise InputError(
                path,
                f"code {row['code']!r} is not two capital letters (or XX-YYY)",
                record=row["_line"],
            )
        if row["code"] in codes:
            raise InputError(path, f"code {row['code']!r} is repeated", record=row["_line"])
        if row["label"] not in S.ENTITY_LABELS:
            raise InputError(
                path, f"label {row['label']!r} is not an entity label", record=row["_line"]
            )
        codes.add(row["code"])
    return _frame(rows, _FLAG_COLUMNS)


def load_demonyms(path: Path | str) -> pd.DataFrame:
    """Read ``demonyms.csv`` (nationality word -> place).

    Returns:
        Columns demonym, place, note.

    Raises:
        InputError: missing file or column, empty demonym or place.
    """
    return _frame(_read_csv(Path(path), _DEMONYM_COLUMNS, ("demonym", "place")), _DEMONYM_COLUMNS)


@dataclass(frozen=True)
class Lexicons:
    """The four lexicons, as lookups keyed by :func:`name_key`."""

    #: alias key -> (alias as written, canonical name, label)
    aliases: dict[str, tuple[str, str, str]]
    #: canonical key -> (canonical name, label), from aliases.csv and flags.csv
    canonical: dict[str, tuple[str, str]]
    #: not-entity phrase (folded, single-spaced) -> match kind
    not_entities: dict[str, str]
    #: flag code -> (place, label)
    flags: dict[str, tuple[str, str]]
    #: demonym key -> place name
    demonyms: dict[str, str]
    #: keys of every name a lexicon lists (aliases, canonical names, places, demonyms)
    curated: frozenset[str] = field(default_factory=frozenset)


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def _phrase(text: str) -> str:
    return " ".join(fold(text).split())


@lru_cache(maxsize=8)
def _load_lexicons_cached(lexicon_dir: str, _stamp: tuple) -> Lexicons:
    folder = Path(lexicon_dir)
    aliases_df = load_aliases(folder / ALIASES_FILE)
    flags_df = load_flags(folder / FLAGS_FILE)
    demonyms_df = load_demonyms(folder / DEMONYMS_FILE)
    not_df = load_not_entities(folder / NOT_ENTITIES_FILE)
    canonical: dict[str, tuple[str, str]] = {}
    for code_country, label in zip(flags_df["country"], flags_df["label"], strict=True):
        canonical.setdefault(name_key(code_country), (str(code_country), str(label)))
    aliases: dict[str, tuple[str, str, str]] = {}
    for alias, canon, label in zip(
        aliases_df["alias"], aliases_df["canonical_name"], aliases_df["label"], strict=True
    ):
        canonical.setdefault(name_key(canon), (str(canon), str(label)))
        aliases.setdefault(name_key(alias), (str(alias), str(canon), str(label)))
    flags = {
        str(c): (str(p), str(lab))
        for c, p, lab in zip(flags_df["code"], flags_df["country"], flags_df["label"], strict=True)
    }
    demonyms = {
        name_key(d): str(p)
        for d, p in zip(demonyms_df["demonym"], demonyms_df["place"], strict=True)
    }
    for place in set(demonyms.values()):
        canonical.setdefault(name_key(place), (place, "GPE"))
    not_entities = {
        _phrase(p): str(m) for p, m in zip(not_df["phrase"], not_df["match"], strict=True)
    }
    curated = frozenset(aliases) | frozenset(canonical) | frozenset(demonyms)
    return Lexicons(aliases, canonical, not_entities, flags, demonyms, curated)


def load_lexicons(lexicon_dir: Path | str = config.LEXICON_DIR) -> Lexicons:
    """Load (and cache until a file changes) the lexicons of ``lexicon_dir``.

    Raises:
        InputError: a lexicon file is missing or malformed (the message names file and line).
    """
    folder = Path(lexicon_dir)
    stamp = tuple(
        (name, (folder / name).stat().st_mtime_ns if (folder / name).is_file() else None)
        for name in (ALIASES_FILE, FLAGS_FILE, DEMONYMS_FILE, NOT_ENTITIES_FILE)
    )
    return _load_lexicons_cached(str(folder.resolve()), stamp)


# ------------------------------------------------------------------------------- word lists
@lru_cache(maxsize=1)
def _wordnet_tables() -> dict[str, frozenset[str]]:
    """Lower-case WordNet lemmas (and irregular forms) per part of speech, from the spaCy model."""
    from spacy.lookups import Lookups

    from analysis.annotate.nlp import model_location

    _, path = model_location()
    lookups = Lookups().from_disk(path / "lemmatizer" / "lookups")
    index = lookups.get_table("lemma_index")
    exc = lookups.get_table("lemma_exc")
    tables = {}
    for pos in ("noun", "verb", "adj", "adv"):
        words = set(index.get(pos, []))
        words.update(exc.get(pos, {}).keys())
        tables[pos] = frozenset(w.casefold() for w in words if w.isalpha())
    return tables


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.casefold() for w in STOP_WORDS)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every English word form known offline: WordNet lemmas of all parts of speech (the lookup
    tables inside the installed spaCy model), their irregular forms, and spaCy's stop words.

    WordNet also lists many proper names ("russia", "hamas"), so this set answers "could this be
    an ordinary word or a well-known name?"; see :func:`common_words` for the stricter set.
    """
    tables = _wordnet_tables()
    return frozenset().union(*tables.values()) | _stop_words()


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary English words: stop words and WordNet verbs, adjectives and adverbs.

    Proper names are nouns, so they are (almost) never here; "trump", "may", "chad", "us" are.
    """
    tables = _wordnet_tables()
    return tables["verb"] | tables["adj"] | tables["adv"] | _stop_words()


_SUFFIXES = (
    ("'s", ""),
    ("\u2019s", ""),
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("est", ""),
)


def _word_forms(word: str) -> set[str]:
    w = word.casefold()
    forms = {w}
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            forms.add(w[: -len(suffix)] + repl)
    return forms


def is_english_word(
    word: str, *, lemma: str | None = None, words: frozenset[str] | None = None
) -> bool:
    """True when ``word`` (or its lemma, or a simple inflection of it) is in ``words``.

    ``words`` defaults to :func:`english_words`.
    """
    words = english_words() if words is None else words
    forms = _word_forms(word)
    if lemma:
        forms |= _word_forms(lemma)
    return any(f in words for f in forms)


# ------------------------------------------------------------------------------------- flags
def flag_code(emoji: str) -> str | None:
    """The code a flag emoji spells: "🇵🇸" -> "PS"; the England flag -> "GB-ENG"; else None."""
    if re.fullmatch(_REGIONAL_PAIR, emoji):
        return "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in emoji)
    if re.fullmatch(_TAG_FLAG, emoji):
        tag = "".join(chr(ord(c) - 0xE0000) for c in emoji[1:-1]).upper()
        return f"{tag[:2]}-{tag[2:]}" if len(tag) > 2 else tag
    return None


def find_flags(
    text: str, flags: dict[str, tuple[str, str]]
) -> list[tuple[int, int, str, str, str]]:
    """Flag emoji in ``text`` with a place in ``flags``.

    Regional-indicator symbols pair up from the left ("🇵🇸🇷🇺" is two flags). Codes that are not in
    ``flags`` (and stray single indicators) give no mention.

    Returns:
        ``(start, end, code, place, label)`` tuples in text order.
    """
    out = []
    for m in FLAG_PATTERN.finditer(text):
        code = flag_code(m.group(0))
        if code in flags:
            place, label = flags[code]
            out.append((m.start(), m.end(), code, place, label))
    return out


# ------------------------------------------------------------------------------ fuzzy matching
@dataclass(frozen=True)
class Similarity:
    """How a token compares with a name."""

    jaro_winkler: float
    ratio: float
    metaphone: tuple[str, str]
    nysiis: tuple[str, str]
    rule: str | None  # "spelling" | "soundalike" | "rhyme" | None

    @property
    def accepted(self) -> bool:
        return self.rule is not None

    @property
    def sounds_alike(self) -> bool:
        """Equal Metaphone or equal NYSIIS codes."""
        return self.metaphone[0] == self.metaphone[1] or self.nysiis[0] == self.nysiis[1]


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def _ascii_letters(text: str) -> str:
    return "".join(ch for ch in fold(text) if "a" <= ch <= "z")


def name_similarity(token: str, name: str) -> Similarity:
    """Compare a token with a one-word name under the three rules of the module docstring.

    Both are folded to lower-case ASCII letters first. A token that is the name plus a suffix
    ("Putinism", "Gazans" for "Gaza") is never accepted, except a bare plural/possessive "s".
    """
    a, b = _ascii_letters(token), _ascii_letters(name)
    if not a or not b:
        return Similarity(0.0, 0.0, ("", ""), ("", ""), None)
    jw = JaroWinkler.normalized_similarity(a, b)
    ratio = Indel.normalized_similarity(a, b)
    met = (jellyfish.metaphone(a), jellyfish.metaphone(b))
    nys = (jellyfish.nysiis(a), jellyfish.nysiis(b))
    rule = None
    derived = len(a) > len(b) and a.startswith(b) and a != b + "s"
    if a == b or derived or min(len(a), len(b)) < FUZZY_MIN_LENGTH:
        rule = None
    elif (
        jw >= FUZZY_JW_MIN
        and ratio >= FUZZY_RATIO_MIN
        and (max(len(a), len(b)) > FUZZY_SHORT_MAX or met[0] == met[1])
    ):
        rule = "spelling"
    elif (
        ratio >= SOUNDALIKE_RATIO_MIN and met[0] == met[1] and len(met[0]) >= SOUNDALIKE_MIN_CODE
    ) or (ratio >= FUZZY_RATIO_MIN and nys[0] == nys[1] and len(nys[0]) >= NYSIIS_MIN_CODE):
        rule = "soundalike"
    elif (
        ratio >= SOUNDALIKE_RATIO_MIN
        and min(len(met[0]), len(met[1])) >= RHYME_MIN_CODE
        and met[0][1:] == met[1][1:]
        and met[0][0] != met[1][0]
    ):
        rule = "rhyme"
    return Similarity(jw, ratio, met, nys, rule)


@dataclass(frozen=True)
class FuzzyLink:
    """A fuzzy link of a token to a target name."""

    target: str  # the target word as given
    node: str  # the entity key it stands for
    score: float  # Jaro-Winkler similarity
    rule: str


def fuzzy_link(token: str, targets: dict[str, tuple[str, str, int]]) -> FuzzyLink | None:
    """Best accepted match of ``token`` among ``targets``.

    Args:
        token: the unlinked word.
        targets: target word key -> (word as written, entity key, priority); a lower priority
            wins (the thread's own names before the alias table's).

    Returns:
        The accepted match of the lowest priority with the highest Jaro-Winkler score (ties: the
        target key), or None. A token equal to a target is not a fuzzy match (None): exact names
        link by the other rules or not at all. A target of priority 1 or more (a name known only
        from the alias table, not mentioned in the thread) also needs equal Metaphone or NYSIIS
        codes
        (:data:`LEXICON_TARGETS_NEED_PHONETIC`).
    """
    query = _ascii_letters(token)
    if len(query) < FUZZY_MIN_LENGTH or not targets or query in targets:
        return None
    keys = list(targets)
    hits = process.extract(
        query,
        keys,
        scorer=Indel.normalized_similarity,
        score_cutoff=SOUNDALIKE_RATIO_MIN,
        limit=None,
    )
    best: tuple | None = None
    for key, _, _ in hits:
        sim = name_similarity(query, key)
        if not sim.accepted:
            continue
        word, node, priority = targets[key]
        if priority > 0 and LEXICON_TARGETS_NEED_PHONETIC and not sim.sounds_alike:
            continue
        rank = (priority, -round(sim.jaro_winkler, 12), key)
        if best is None or rank < best[0]:
            best = (rank, FuzzyLink(word, node, sim.jaro_winkler, sim.rule or ""))
    return best[1] if best else None


# --------------------------------------------------------------------------- name search
@dataclass(frozen=True)
class NameForm:
    """One searchable form of a name."""

    form: str  # as written
    node: str  # entity key it links to
    method: str  # gazetteer | alias


def case_rule(form: str, lexicons: Lexicons | None = None) -> str:
    """How a form must be cased in text to match it.

    Returns:
        ``"upper"``: acronyms ("US", "IDF") match only in capitals, and an acronym that is also an
        English word ("US", "WHO") not next to a word in capitals (shouted text).
        ``"exact"``: forms of at most :data:`SHORT_FORM_MAX_LETTERS` letters ("Xi").
        ``"capitalised"``: forms with an ordinary English word (:func:`common_words`: "Trump",
        "May", "Middle East") that no lexicon lists.
        ``"propn"``: forms made only of English nouns that no lexicon lists (WordNet lists many
        names: "putin", "hitler", but also "resistance"): capitalised, or lower case where spaCy
        tagged the token a proper noun.
        ``"any"``: everything else ("netanyahu", "hamas", "russia").
    """
    curated = lexicons.curated if lexicons is not None else frozenset()
    key = name_key(form)
    if is_acronym(form):
        return "upper"
    if len(_letters(form)) <= SHORT_FORM_MAX_LETTERS:
        return "exact"
    if key in curated:
        return "any"
    words = [name_key(w) for w in _tokens(form)]
    if key in common_words() or any(w in common_words() for w in words):
        return "capitalised"
    if all(w in english_words() for w in words):
        return "propn"
    return "any"


def _is_shouted(text: str, start: int, end: int) -> bool:
    """The nearest word of two or more letters on either side is in capitals."""
    before = [w for w in _LETTERS.findall(text[max(0, start - 60) : start]) if len(w) >= 2]
    after = [w for w in _LETTERS.findall(text[end : end + 60]) if len(w) >= 2]
    near = ([before[-1]] if before else []) + ([after[0]] if after else [])
    return any(w.isupper() for w in near)


_WORD = re.compile(r"\w+")
#: What may separate the words of one name in text: spaces, a hyphen, a dot, an apostrophe.
_GAP = re.compile(r"[ \t]+|-|\.[ \t]*|['\u2019]")


@dataclass
class _Matcher:
    by_key: dict[str, NameForm]
    rules: dict[str, str]
    prefixes: frozenset[str]


def build_matcher(forms: Iterable[NameForm], lexicons: Lexicons | None = None) -> _Matcher:
    """Index ``forms`` by :func:`name_key` (the first form per key wins) for :func:`find_names`."""
    by_key: dict[str, NameForm] = {}
    for f in forms:
        key = name_key(f.form)
        if key and key not in by_key:
            by_key[key] = f
    prefixes = frozenset(k[:i] for k in by_key for i in range(1, len(k) + 1))
    rules = {k: case_rule(f.form, lexicons) for k, f in by_key.items()}
    return _Matcher(by_key, rules, prefixes)


def find_names(
    text: str, matcher: _Matcher, *, propn: set[tuple[int, int]] | frozenset = frozenset()
) -> list[tuple[int, int, NameForm]]:
    """Occurrences of the matcher's forms in ``text`` that satisfy their :func:`case_rule`.

    Matching is word-bounded and ignores case, accents and the separators between the words of a
    name (spaces, hyphen, dot: "al-Assad" = "al Assad", "aljazeera" = "Al Jazeera"); at each word
    the longest form wins ("South America" over "America").

    Args:
        text: the document text; characters masked with NUL (linked spans) never match.
        matcher: from :func:`build_matcher`.
        propn: ``(start, end)`` of tokens spaCy tagged PROPN or X (for the ``"propn"`` rule).

    Returns:
        ``(start, end, form)`` tuples in text order.
    """
    if not matcher.by_key:
        return []
    words = list(_WORD.finditer(text))
    out = []
    i = 0
    while i < len(words):
        acc = name_key(words[i].group(0))
        best = None
        j = i
        while acc in matcher.prefixes:
            if acc in matcher.by_key:
                end = words[j].end()
                form = matcher.by_key[acc]
                dotted = "." in text[words[i].start() : end] or form.form.endswith(".")
                if dotted and text[end : end + 1] == ".":
                    end += 1
                if _case_ok(text, words[i].start(), end, acc, matcher, propn):
                    best = (words[i].start(), end, form, j)
            if j + 1 >= len(words) or not _GAP.fullmatch(
                text, words[j].end(), words[j + 1].start()
            ):
                break
            j += 1
            acc += name_key(words[j].group(0))
        if best is None:
            i += 1
            continue
        out.append(best[:3])
        i = best[3] + 1
    return out


def _case_ok(
    text: str, start: int, end: int, key: str, matcher: _Matcher, propn: set | frozenset
) -> bool:
    found = text[start:end]
    rule = matcher.rules[key]
    if rule == "upper":
        if not _letters(found).isupper():
            return False
        return not (key in english_words() and _is_shouted(text, start, end))
    if rule == "exact":
        return _letters(matcher.by_key[key].form) == _letters(found)
    if rule == "capitalised":
        return found[:1].isupper()
    if rule == "propn":
        return found[:1].isupper() or (start, end) in propn
    return True


# ------------------------------------------------------------------------- model span cleaning
def _known_keys(spans_keys: Iterable[str], lexicons: Lexicons) -> set[str]:
    return set(spans_keys) | set(lexicons.curated)


def _is_lowercase_common(text: str) -> bool:
    if any(ch.isupper() for ch in text):
        return False
    words = _LETTERS.findall(text)
    return bool(words) and all(is_english_word(w) for w in words)


def _is_shouted_common(text: str, start: int, end: int) -> bool:
    """A span in capitals made only of ordinary words, next to other capitals ("GIVE US A
    BREAK"): the model reads shouting as names."""
    span = text[start:end]
    words = _LETTERS.findall(span)
    if not words or not all(w.isupper() for w in words):
        return False
    if not all(w.casefold() in common_words() for w in words):
        return False
    return _is_shouted(text, start, end)


def _clean_one(
    text: str, start: int, end: int, label: str, lexicons: Lexicons, known: set[str] | None
) -> list[tuple[int, int, str, str]]:
    """Clean one model span. Returns ``[(start, end, action, reason)]`` (several when split)."""
    s, e = clean_span(text, start, end)
    full_s, full_e = clean_span(text, start, end, keep_the=True)
    if name_key(text[full_s:full_e]) in lexicons.aliases:
        s, e = full_s, full_e
    if s >= e or not any(ch.isalpha() for ch in text[s:e]):
        return [(start, end, "drop", "no letters")]
    phrase = _phrase(text[s:e])
    kind = lexicons.not_entities.get(phrase)
    if kind == "exact":
        return [(start, end, "drop", "not_entities.csv")]
    for prefix, match_kind in lexicons.not_entities.items():
        if match_kind == "exact" or not (phrase == prefix or phrase.startswith(prefix + " ")):
            continue
        n_more = len(prefix.split()) - 1
        rest = re.match(rf"\S+(?:\s+\S+){{{n_more}}}", text[s:e])
        cut = s + rest.end() if rest else e
        rs, re_ = clean_span(text, cut, e)
        if match_kind == "prefix_if_known":
            if known is None or rs >= re_ or name_key(text[rs:re_]) not in known:
                continue
        if rs >= re_:
            return [(start, end, "drop", "not_entities.csv")]
        return [
            (p[0], p[1], "trim", f"slogan prefix {prefix!r} removed")
            for p in _clean_one(text, rs, re_, label, lexicons, known)
            if p[2] != "drop"
        ] or [(start, end, "drop", "not_entities.csv")]
    if label == "PERSON" and is_title_only(text[s:e]):
        return [(start, end, "drop", "title only")]
    if label in DROP_LOWERCASE_LABELS and _is_lowercase_common(text[s:e]):
        key = name_key(text[s:e])
        if known is None or key not in known:
            return [(start, end, "drop", "lower-case ordinary words")]
    if known is not None and _SEPARATORS.search(text[s:e]):
        parts = []
        pos = s
        for m in _SEPARATORS.finditer(text, s, e):
            parts.append((pos, m.start()))
            pos = m.end()
        parts.append((pos, e))
        parts = [clean_span(text, a, b) for a, b in parts]
        parts = [(a, b) for a, b in parts if a < b]
        is_whole_span = len(parts) == 1 and parts[0] == (s, e)
        if parts and not is_whole_span and all(name_key(text[a:b]) in known for a, b in parts):
            return [(a, b, "split", "joined known names") for a, b in parts]
    action = "keep" if (s, e) == (start, end) else "trim"
    return [(s, e, action, "" if action == "keep" else "punctuation/the/possessive trimmed")]


def _clean_in_text(
    text: str,
    start: int,
    end: int,
    label: str,
    lexicons: Lexicons,
    known: set[str],
    memo: dict[tuple[str, str], list],
) -> list[tuple[int, int, str, str]]:
    """:func:`_clean_one` of the span ``text[start:end]`` (offsets relative to the span),
    memoised on span text and label, then dropped when it is ordinary words in shouted text."""
    span = text[start:end]
    if (span, label) not in memo:
        memo[(span, label)] = _clean_one(span, 0, len(span), label, lexicons, known)
    result = memo[(span, label)]
    if result and result[0][2] != "drop":
        a, b = result[0][0] + start, result[-1][1] + start
        if _is_shouted_common(text, a, b):
            result = [(0, len(span), "drop", "ordinary words in shouted text")]
    return result


def _clean_rows(
    texts: dict[str, str], rows: list[tuple[str, int, int, str]], lexicons: Lexicons
) -> list[tuple[str, int, int, str, int, int, str, str]]:
    """Clean spans given as (doc_id, start, end, label); memoised on span text and label."""
    first_memo: dict[tuple[str, str], list] = {}
    keys: set[str] = set()
    for doc_id, start, end, label in rows:
        if label not in S.ENTITY_LABELS:
            continue
        span = texts[doc_id][start:end]
        if (span, label) in first_memo:
            continue
        cleaned = _clean_one(span, 0, len(span), label, lexicons, None)
        first_memo[(span, label)] = cleaned
        for a, b, action, _ in cleaned:
            if action != "drop" and not _SEPARATORS.search(span[a:b]):
                keys.add(name_key(span[a:b]))
    known = _known_keys(keys, lexicons)
    memo: dict[tuple[str, str], list] = {}
    out = []
    for doc_id, start, end, label in rows:
        text = texts[doc_id]
        if label not in S.ENTITY_LABELS:
            out.append((doc_id, start, end, label, start, end, "drop", "label"))
            continue
        result = _clean_in_text(text, start, end, label, lexicons, known, memo)
        for a, b, action, reason in result:
            out.append((doc_id, start, end, label, start + a, start + b, action, reason))
    return out


def filter_model_spans(
    docs: pd.DataFrame, spans: pd.DataFrame, *, lexicons: Lexicons | None = None
) -> pd.DataFrame:
    """Clean the model's NER spans (step 1 of the module docstring).

    Args:
        docs: doc_id, text.
        spans: doc_id, start_char, end_char, label (and text).
        lexicons: defaults to :func:`load_lexicons` of the default folder.

    Returns:
        One row per resulting span, input order: doc_id, model_start, model_end, model_text,
        label, start_char, end_char, text, action (keep | trim | split | drop), reason. Rows with
        a label outside ENTITY_LABELS have action ``drop`` and reason ``label``.

    Raises:
        StageInputError: a span names an unknown document or does not slice back to its text.
    """
    lexicons = lexicons or load_lexicons()
    texts = _doc_texts(docs)
    out = _clean_rows(texts, _checked_spans(spans, texts), lexicons)
    frame = pd.DataFrame(
        out,
        columns=[
            S.DOC_ID,
            "model_start",
            "model_end",
            S.LABEL,
            S.START_CHAR,
            S.END_CHAR,
            "action",
            "reason",
        ],
    )
    frame["model_text"] = [
        texts[d][a:b]
        for d, a, b in zip(frame[S.DOC_ID], frame["model_start"], frame["model_end"], strict=True)
    ]
    frame[S.TEXT] = [
        texts[d][a:b]
        for d, a, b in zip(frame[S.DOC_ID], frame[S.START_CHAR], frame[S.END_CHAR], strict=True)
    ]
    cols = [
        S.DOC_ID,
        "model_start",
        "model_end",
        "model_text",
        S.LABEL,
        S.START_CHAR,
        S.END_CHAR,
        S.TEXT,
        "action",
        "reason",
    ]
    frame = frame.loc[:, cols]
    return frame.astype(
        {
            S.DOC_ID: "string",
            "model_text": "string",
            S.LABEL: "string",
            S.TEXT: "string",
            "action": "string",
            "reason": "string",
            "model_start": "int64",
            "model_end": "int64",
            S.START_CHAR: "int64",
            S.END_CHAR: "int64",
        }
    )


# ----------------------------------------------------------------------------- input checks
def _require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise StageInputError(f"link_thread: {what} table lacks columns {missing}")


def _doc_texts(docs: pd.DataFrame) -> dict[str, str]:
    _require(docs, (S.DOC_ID, S.TEXT), "docs")
    return {
        str(d): ("" if pd.isna(t) else str(t))
        for d, t in zip(docs[S.DOC_ID], docs[S.TEXT], strict=True)
    }


def _checked_spans(spans: pd.DataFrame, texts: dict[str, str]) -> list[tuple[str, int, int, str]]:
    _require(spans, _SPAN_COLUMNS, "spans")
    rows = []
    shared: dict[str, str] = {}  # one string object per document id and label
    # a slice of rows at a time: a long thread's spans are never all Python objects at once
    for lo in range(0, len(spans), _SPAN_SLICE_ROWS):
        part = spans.iloc[lo : lo + _SPAN_SLICE_ROWS]
        claimed = part[S.TEXT].tolist() if S.TEXT in part.columns else [None] * len(part)
        columns = (part[c].tolist() for c in (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.LABEL))
        for i, (doc_id, start, end, label, text) in enumerate(
            zip(*columns, claimed, strict=True), lo
        ):
            doc_id, start, end, label = str(doc_id), int(start), int(end), str(label)
            _check_offsets("spans", i, doc_id, start, end, text, texts)
            doc_id = shared.setdefault(doc_id, doc_id)
            rows.append((doc_id, start, end, shared.setdefault(label, label)))
    return rows


def _check_offsets(what: str, i: int, doc_id: str, start: int, end: int, claimed, texts) -> None:
    if doc_id not in texts:
        raise StageInputError(
            f"link_thread: {what} row {i} names document {doc_id!r}, which is not in docs"
        )
    text = texts[doc_id]
    if not 0 <= start < end <= len(text):
        raise StageInputError(
            f"link_thread: {what} row {i} ({doc_id}) has offsets {start}:{end}; expected "
            f"0 <= start < end <= {len(text)}"
        )
    if isinstance(claimed, str) and claimed != text[start:end]:
        raise StageInputError(
            f"link_thread: {what} row {i} ({doc_id} {start}:{end}) claims text {str(claimed)!r} "
            f"but the document has {text[start:end]!r} there"
        )


# ------------------------------------------------------------------------------ the linker
#
# A long thread's mentions are held as columns of machine integers (:class:`_Store`): document,
# start, end, and the id of the mention's *signature*. A signature (:class:`_Mention`) is what the
# linking rules read of a mention: its name key, how it was found, the model's label, its form
# and surface text, the lexicon name it reached. Threads repeat names, so a thread of 100,000
# comments has a few hundred signatures; the rules that look across the thread (grouping,
# surnames, fuzzy matching, naming) run over the signatures, each weighted by how many mentions
# have it (:meth:`ThreadLinker._view`), and the rules that look inside one document (cleaning
# spans, flags, the gazetteer search, joining, fuzzy candidates) run document by document, a
# chunk of texts at a time. The result is the same as linking a list of all mentions.

#: Phases in which mentions are found (their order is the order of the rules).
_MODEL_PHASE, _FLAG_PHASE, _SEARCH_PHASE, _JOIN_PHASE, _FUZZY_PHASE = range(5)
#: Documents per chunk of texts read by a pass.
LINK_CHUNK_DOCS = 2000


@dataclass(slots=True, eq=False)
class _Mention:
    """A mention signature, weighted by the mentions that have it in the current view."""

    key: str  # entity node key (before union)
    method: str
    score: float = 1.0
    vote: str | None = None  # label the model gave (votes for the entity label)
    fallback: str | None = None  # label to use when nothing votes
    form: str | None = None  # name form for canonical naming (None: not a naming candidate)
    via: str | None = None  # lexicon canonical key the mention reached ("anchor")
    surface: str = ""  # the text the mentions cover
    n: int = 0  # mentions with this signature
    n_article: int = 0  # of which in the article
    doc: int = 0  # thread-order rank of the first of them
    start: int = 0  # and its start offset
    sid: int = -1  # its index in the linker's signature list


class _Groups:
    """Union-find over entity keys (the root of a set is its smallest key)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, key: str) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: str) -> str:
        self.add(key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


@dataclass
class _Context:
    """What the thread-wide rules read: the weighted signatures (in thread order) and groups."""

    lexicons: Lexicons
    mentions: list[_Mention] = field(default_factory=list)
    groups: _Groups = field(default_factory=_Groups)
    fuzzy_keys: dict[str, float] = field(default_factory=dict)

    def by_root(self) -> dict[str, list[_Mention]]:
        by_key: dict[str, list[_Mention]] = defaultdict(list)
        for m in self.mentions:
            by_key[m.key].append(m)
        out: dict[str, list[_Mention]] = defaultdict(list)
        for key, ms in by_key.items():
            out[self.groups.find(key)].extend(ms)
        return out


class _Store:
    """A thread's mentions as integer columns (4 or 8 bytes a value, no Python object per row)."""

    def __init__(self) -> None:
        self.doc = array("i")
        self.start = array("i")
        self.end = array("i")
        self.sig = array("i")
        self.phase = array("b")
        self.order = array("q")  # model mentions: input order of their span (and part)
        self.alive = bytearray()

    def __len__(self) -> int:
        return len(self.alive)

    def add(self, doc: int, start: int, end: int, sig: int, phase: int, order: int = 0) -> None:
        self.doc.append(doc)
        self.start.append(start)
        self.end.append(end)
        self.sig.append(sig)
        self.phase.append(phase)
        self.order.append(order)
        self.alive.append(1)

    def columns(
        self, names: Sequence[str] = ("doc", "start", "end", "sig")
    ) -> dict[str, np.ndarray]:
        """The live mentions' columns (copies), plus ``row``: their index in the store."""
        alive = np.frombuffer(bytes(self.alive), dtype=np.uint8).view(bool)
        out = {name: np.array(getattr(self, name))[alive] for name in names}
        out["row"] = np.flatnonzero(alive).astype("int32")
        return out


def _by_doc(doc: np.ndarray, start: np.ndarray, end: np.ndarray, n_docs: int):
    """Order of rows by (doc, start, end) and, per document, its slice of that order."""
    order = np.lexsort((end, start, doc))
    bounds = np.searchsorted(doc[order], np.arange(n_docs + 1))
    return order, bounds


class ThreadLinker:
    """Links the mentions of one thread, fed a document at a time (see the module docstring).

    Feed every (English) document of the thread with :meth:`add_doc`, run :meth:`link` with a
    function that returns the texts of a range of documents, then read the results with
    :meth:`mention_rows` (a range of documents at a time) and :meth:`entities`. Only integer
    columns and the thread's distinct names are held; texts are read a chunk at a time by each
    pass.
    """

    def __init__(
        self,
        thread_id: str,
        *,
        lexicon_dir: Path | str = config.LEXICON_DIR,
        link_demonyms: bool = LINK_DEMONYMS,
        chunk_docs: int = LINK_CHUNK_DOCS,
    ) -> None:
        self.thread_id = thread_id
        self.lex = load_lexicons(lexicon_dir)
        self._demonym_keys = list(self.lex.demonyms)
        self.link_demonyms = link_demonyms
        self.chunk_docs = max(1, int(chunk_docs))
        self.ctx = _Context(self.lex)
        self.article = bytearray()
        self._codes: dict[str | None, int] = {}
        self._names: list[str | None] = []
        self.span_doc, self.span_start, self.span_end = array("i"), array("i"), array("i")
        self.span_label, self.span_order = array("i"), array("q")
        self.cand_doc, self.cand_start, self.cand_end = array("i"), array("i"), array("i")
        self.cand_pos, self.cand_lemma = array("i"), array("i")
        self.extra_doc, self.extra_start, self.extra_end = array("i"), array("i"), array("i")
        self.store = _Store()
        self._sigs: list[_Mention] = []
        self._intern: dict[tuple, int] = {}
        self._linked = False

    # ---------------------------------------------------------------------------- input
    def _code(self, value: str | None) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self._names)
            self._names.append(value)
        return code

    @property
    def n_docs(self) -> int:
        return len(self.article)

    def add_doc(
        self,
        *,
        doc_id: str | None = None,
        is_article: bool,
        position: float,
        spans: Iterable[tuple[int, int, str, int]] = (),
        candidates: Iterable[tuple[int, int, str, str | None]] = (),
    ) -> int:
        """Register the next document; returns its index.

        Args:
            doc_id: the document's id (not kept: results are read by index).
            is_article: the document is the thread's article.
            position: its position in the thread (not kept: :meth:`link` takes the order).
            spans: the model's ``(start, end, label, order)`` (``order``: the span's place in the
                thread's input, which orders the first pass's mentions).
            candidates: ``(start, end, pos, lemma)`` of candidate tokens, in input order.
        """
        d = self.n_docs
        self.article.append(1 if is_article else 0)
        for start, end, label, order in spans:
            self.span_doc.append(d)
            self.span_start.append(start)
            self.span_end.append(end)
            self.span_label.append(self._code(label))
            self.span_order.append(order)
        for start, end, pos, lemma in candidates:
            self.cand_doc.append(d)
            self.cand_start.append(start)
            self.cand_end.append(end)
            self.cand_pos.append(self._code(pos))
            self.cand_lemma.append(self._code(lemma))
        return d

    def _sig(
        self,
        key: str,
        method: str,
        score: float = 1.0,
        vote: str | None = None,
        fallback: str | None = None,
        form: str | None = None,
        via: str | None = None,
        surface: str = "",
    ) -> int:
        fields = (key, method, score, vote, fallback, form, via, surface)
        sig = self._intern.get(fields)
        if sig is None:
            sig = self._intern[fields] = len(self._sigs)
            self._sigs.append(_Mention(*fields, sid=sig))
        return sig

    def _chunks(self, texts_of: Callable[[int, int], list[str]]) -> Iterator[tuple[int, list[str]]]:
        for lo in range(0, self.n_docs, self.chunk_docs):
            hi = min(lo + self.chunk_docs, self.n_docs)
            texts = texts_of(lo, hi)
            if len(texts) != hi - lo:
                raise StageInputError(
                    f"link_thread: expected {hi - lo} texts for documents {lo}..{hi - 1}, "
                    f"got {len(texts)}"
                )
            yield lo, texts

    @staticmethod
    def _slices(doc: array, n_docs: int) -> np.ndarray:
        """Row bounds per document of rows added in document order."""
        return np.searchsorted(np.array(doc), np.arange(n_docs + 1))

    # ----------------------------------------------------------------------------- view
    def _view(self, *, joined: bool) -> None:
        """Weigh the signatures by the live mentions and order them as the rules read them.

        Before joining, mentions are in the order the rules found them (model spans in input
        order, then flags in thread order); from joining on, in thread order, with the mentions
        of fuzzy candidates last.
        """
        c = self.store.columns(("doc", "start", "end", "sig", "phase", "order"))
        sig = c["sig"]
        rank = self.rank[c["doc"]] if len(sig) else np.zeros(0, "int64")
        article = self.article_mask[c["doc"]] if len(sig) else np.zeros(0, bool)
        n_sigs = len(self._sigs)
        counts = np.bincount(sig, minlength=n_sigs)
        in_article = np.bincount(sig, weights=article.astype("int64"), minlength=n_sigs)
        first = np.lexsort((c["start"], rank))
        uniq, where = np.unique(sig[first], return_index=True)
        for m in self._sigs:
            m.n = m.n_article = 0
        for s, i in zip(uniq.tolist(), first[where].tolist(), strict=True):
            m = self._sigs[s]
            m.n, m.n_article = int(counts[s]), int(in_article[s])
            m.doc, m.start = int(rank[i]), int(c["start"][i])
        phase = c["phase"]
        if joined:
            order = np.lexsort((c["end"], c["start"], rank, phase == _FUZZY_PHASE))
        else:
            model = phase == _MODEL_PHASE
            order = np.lexsort(
                (np.where(model, 0, c["start"]), np.where(model, c["order"], rank), phase)
            )
        uniq, where = np.unique(sig[order], return_index=True)
        self.ctx.mentions = [self._sigs[s] for s in uniq[np.argsort(where)].tolist()]

    # ---------------------------------------------------------------------------- passes
    def link(
        self, texts_of: Callable[[int, int], list[str]], rank: np.ndarray | None = None
    ) -> None:
        """Run every rule of the module docstring over the thread.

        Args:
            texts_of: ``texts_of(lo, hi)`` returns the texts of documents ``lo`` .. ``hi - 1``.
            rank: each document's place in thread order (default: the order they were added).
        """
        n = self.n_docs
        self.rank = np.arange(n, dtype="int32") if rank is None else np.asarray(rank, dtype="int32")
        self.article_mask = np.frombuffer(bytes(self.article), dtype=np.uint8).astype(bool)
        self._span_bounds = self._slices(self.span_doc, n)
        self._cand_bounds = self._slices(self.cand_doc, n)
        known = self._known_names(texts_of)
        self._first_pass(texts_of, known)  # model spans, flags
        del known
        for name in ("span_doc", "span_start", "span_end", "span_label", "span_order"):
            setattr(self, name, array(getattr(self, name).typecode))  # no longer needed
        self._extra_bounds = self._slices(self.extra_doc, n)
        ctx = self.ctx
        self._view(joined=False)
        _link_aliases(ctx)
        _norp_plurals(ctx)
        _link_surnames(ctx)
        matcher = build_matcher(_gazetteer_forms(ctx), self.lex)
        self._search_pass(texts_of, matcher)
        del matcher
        self._join_pass(texts_of)
        self._view(joined=True)
        _link_surnames(ctx)
        _fuzzy_model_entities(ctx)
        self._fuzzy_pass(texts_of, _targets(ctx))
        self._view(joined=True)
        if self.link_demonyms:
            _link_demonyms(ctx)
        self._name_entities()
        self._linked = True

    def _known_names(self, texts_of: Callable[[int, int], list[str]]) -> set[str]:
        """Keys of the names the model found anywhere in the thread (for cleaning spans)."""
        lex = self.lex
        labels = set(S.ENTITY_LABELS)
        seen: set[tuple[str, str]] = set()
        keys: set[str] = set()
        bounds = self._span_bounds
        for lo, texts in self._chunks(texts_of):
            for row in range(bounds[lo], bounds[lo + len(texts)]):
                label = self._names[self.span_label[row]]
                if label not in labels:
                    continue
                text = texts[self.span_doc[row] - lo]
                span = text[self.span_start[row] : self.span_end[row]]
                if (span, label) in seen:
                    continue
                seen.add((span, label))
                for a, b, action, _ in _clean_one(span, 0, len(span), label, lex, None):
                    if action != "drop" and not _SEPARATORS.search(span[a:b]):
                        keys.add(name_key(span[a:b]))
        return _known_keys(keys, lex)

    def _first_pass(self, texts_of: Callable[[int, int], list[str]], known: set[str]) -> None:
        """Clean the model's spans into mentions; words of dropped spans become candidates;
        flags outside kept spans become mentions."""
        lex = self.lex
        labels = set(S.ENTITY_LABELS)
        memo: dict[tuple[str, str], list] = {}
        bounds = self._span_bounds
        for lo, texts in self._chunks(texts_of):
            for d in range(lo, lo + len(texts)):
                text = texts[d - lo]
                taken: list[tuple[int, int]] = []
                for row in range(bounds[d], bounds[d + 1]):
                    label = self._names[self.span_label[row]]
                    if label not in labels:
                        continue
                    start, end = self.span_start[row], self.span_end[row]
                    result = _clean_in_text(text, start, end, label, lex, known, memo)
                    for part, (a, b, action, reason) in enumerate(result):
                        if action == "drop":
                            for w in _LETTERS.finditer(text, start, end):
                                self.extra_doc.append(d)
                                self.extra_start.append(w.start())
                                self.extra_end.append(w.end())
                            continue
                        order = (self.span_order[row] << 16) | part
                        if self._model_mention(d, text, start + a, start + b, label, reason, order):
                            taken.append((start + a, start + b))
                for start, end, _code, place, flag_label in find_flags(text, lex.flags):
                    if any(a < end and start < b for a, b in taken):
                        continue
                    key = name_key(place)
                    sig = self._sig(
                        key, FLAG, fallback=flag_label, via=key, surface=text[start:end]
                    )
                    self.store.add(d, start, end, sig, _FLAG_PHASE)

    def _model_mention(
        self, d: int, text: str, start: int, end: int, label: str, reason: str, order: int
    ) -> bool:
        lex = self.lex
        surface = text[start:end]
        form = strip_titles(surface, demonyms=self._demonym_keys) if label == "PERSON" else surface
        key = name_key(form)
        if not key:
            return False
        vote = None if reason.startswith("slogan") else label
        method, via = MODEL, None
        alias = lex.aliases.get(key)
        if alias is not None:
            via = name_key(alias[1])
            method = _alias_method(key, alias[1])
        elif key in lex.canonical and _compatible(vote, lex.canonical[key][1]):
            via = key
        sig = self._sig(key, method, 1.0, vote, label, form, via, surface)
        self.store.add(d, start, end, sig, _MODEL_PHASE, order)
        return True

    def _doc_mentions(self) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        c = self.store.columns()
        order, bounds = _by_doc(c["doc"], c["start"], c["end"], self.n_docs)
        return c, order, bounds

    def _search_pass(self, texts_of: Callable[[int, int], list[str]], matcher: _Matcher) -> None:
        """Gazetteer and alias search over the text not yet linked."""
        lex, groups = self.lex, self.ctx.groups
        c, order, bounds = self._doc_mentions()
        propn_tags = {self._codes[t] for t in PROPN_TAGS if t in self._codes}
        cb = self._cand_bounds
        for lo, texts in self._chunks(texts_of):
            for d in range(lo, lo + len(texts)):
                text = texts[d - lo]
                rows = order[bounds[d] : bounds[d + 1]]
                if len(rows):
                    chars = list(text)
                    for a, b in zip(
                        c["start"][rows].tolist(), c["end"][rows].tolist(), strict=True
                    ):
                        chars[a:b] = _MASK * (b - a)
                    masked = "".join(chars)
                else:
                    masked = text
                propn = {
                    (self.cand_start[r], self.cand_end[r])
                    for r in range(cb[d], cb[d + 1])
                    if self.cand_pos[r] in propn_tags
                }
                for start, end, form in find_names(masked, matcher, propn=propn):
                    surface = text[start:end]
                    key = name_key(surface)
                    if form.method == ALIAS:
                        alias = lex.aliases.get(key)
                        canonical = (
                            alias[1] if alias else lex.canonical.get(key, (form.form, ""))[0]
                        )
                        via = name_key(canonical)
                        sig = self._sig(key, ALIAS, via=via, surface=surface)
                    else:
                        via = name_key(lex.aliases[key][1]) if key in lex.aliases else None
                        sig = self._sig(key, GAZETTEER, form=surface, via=via, surface=surface)
                        groups.union(key, form.node)
                    groups.add(key)
                    if via:
                        groups.union(key, via)
                    self.store.add(d, start, end, sig, _SEARCH_PHASE)

    def _join_pass(self, texts_of: Callable[[int, int], list[str]]) -> None:
        """Two mentions separated only by spaces that together spell a known name become one
        ("Justin" + "trudeau" -> "Justin trudeau" when "Justin Trudeau" is known)."""
        known = set(self.ctx.groups.parent)
        c, order, bounds = self._doc_mentions()
        sigs, store = self._sigs, self.store
        for lo, texts in self._chunks(texts_of):
            for d in range(lo, lo + len(texts)):
                rows = order[bounds[d] : bounds[d + 1]]
                if len(rows) < 2:
                    continue
                text = texts[d - lo]
                starts, ends = c["start"][rows].tolist(), c["end"][rows].tolist()
                ids, store_rows = c["sig"][rows].tolist(), c["row"][rows].tolist()
                i = 0
                while i + 1 < len(rows):
                    a, b = sigs[ids[i]], sigs[ids[i + 1]]
                    gap = text[ends[i] : starts[i + 1]]
                    joinable = (
                        a.method in (MODEL, GAZETTEER)
                        and b.method in (MODEL, GAZETTEER)
                        and gap.strip(" \t") == ""
                        and 0 < len(gap) <= 2
                    )
                    surface = text[starts[i] : ends[i + 1]]
                    key = name_key(surface) if joinable else ""
                    if key not in known:
                        i += 1
                        continue
                    method = MODEL if MODEL in (a.method, b.method) else GAZETTEER
                    vote = a.vote if a.vote == "PERSON" or b.vote is None else b.vote
                    sig = self._sig(
                        key,
                        method,
                        vote=vote,
                        fallback=a.fallback or b.fallback,
                        form=surface,
                        via=a.via or b.via,
                        surface=surface,
                    )
                    store.alive[store_rows[i]] = 0
                    store.alive[store_rows[i + 1]] = 0
                    store.add(d, starts[i], ends[i + 1], sig, _JOIN_PHASE)
                    i += 2

    def _fuzzy_pass(
        self, texts_of: Callable[[int, int], list[str]], targets: dict[str, tuple[str, str, int]]
    ) -> None:
        """Unlinked proper-noun-like candidate tokens -> a known name."""
        lex, groups = self.lex, self.ctx.groups
        c, order, bounds = self._doc_mentions()
        self._intern = {}  # signatures changed by the fuzzy rule are never reused
        memo: dict[tuple[str, str | None], FuzzyLink | None] = {}
        names = self._names
        cb, eb = self._cand_bounds, self._extra_bounds
        for lo, texts in self._chunks(texts_of):
            for d in range(lo, lo + len(texts)):
                if cb[d] == cb[d + 1] and eb[d] == eb[d + 1]:
                    continue
                text = texts[d - lo]
                rows = [
                    (
                        self.cand_start[r],
                        self.cand_end[r],
                        names[self.cand_pos[r]] or "",
                        names[self.cand_lemma[r]],
                    )
                    for r in range(cb[d], cb[d + 1])
                ]
                rows += [
                    (self.extra_start[r], self.extra_end[r], "X", None)
                    for r in range(eb[d], eb[d + 1])
                ]
                rows.sort(key=lambda r: (r[0], r[1]))
                taken = order[bounds[d] : bounds[d + 1]]
                occ = list(zip(c["start"][taken].tolist(), c["end"][taken].tolist(), strict=True))
                seen: set[tuple[int, int]] = set()
                for start, end, pos, lemma in rows:
                    if (start, end) in seen:
                        continue
                    seen.add((start, end))
                    token = text[start:end]
                    if not candidate_is_used(token, pos):
                        continue
                    if any(a < end and start < b for a, b in occ):
                        continue
                    memo_key = (token.casefold(), lemma)
                    if memo_key not in memo:
                        memo[memo_key] = (
                            fuzzy_link(token, targets)
                            if _fuzzy_eligible(token, lex, lemma=lemma)
                            else None
                        )
                    link = memo[memo_key]
                    if link is None:
                        continue
                    groups.add(link.node)
                    via = link.node if link.node in lex.canonical else None
                    sig = self._sig(link.node, FUZZY, link.score, via=via, surface=token)
                    self.store.add(d, start, end, sig, _FUZZY_PHASE)

    # --------------------------------------------------------------------------- results
    def _name_entities(self) -> None:
        """Name every group (groups whose names slug alike are one entity) and count it."""
        ctx, lex = self.ctx, self.lex
        for _ in range(3):
            by_slug: dict[str, str] = {}
            merged = False
            for root, ms in sorted(ctx.by_root().items()):
                slug = slugify(_choose_name(ms, lex)[0])
                if slug in by_slug:
                    ctx.groups.union(by_slug[slug], root)
                    merged = True
                by_slug.setdefault(slug, root)
            if not merged:
                break
        c = self.store.columns()
        sig_entity = np.full(len(self._sigs), -1, dtype="int32")
        self.named: list[tuple[str, str, str]] = []  # (label, entity_id, name)
        rows = []
        for e, (_root, ms) in enumerate(sorted(ctx.by_root().items())):
            name, label = _choose_name(ms, lex)
            entity_id = slugify(name)
            self.named.append((label, entity_id, name))
            for m in ms:
                sig_entity[m.sid] = e
            total = sum(m.n for m in ms)
            article = sum(m.n_article for m in ms)
            rows.append(
                {
                    S.THREAD_ID: self.thread_id,
                    S.ENTITY_ID: entity_id,
                    S.ENTITY_NAME: name,
                    S.LABEL: label,
                    "aliases": _surface_forms(ms),
                    "mention_count": total,
                    "article_mention_count": article,
                    "comment_mention_count": total - article,
                    "doc_count": 0,
                    "link_methods": _method_counts(ms),
                }
            )
        entity = sig_entity[c["sig"]]
        if len(entity):
            pairs = np.unique(entity.astype("int64") * (self.n_docs + 1) + c["doc"])
            doc_counts = np.bincount(pairs // (self.n_docs + 1), minlength=len(rows))
            for e, row in enumerate(rows):
                row["doc_count"] = int(doc_counts[e])
        self.sig_entity = sig_entity
        self._entity_rows = rows
        self._final_columns = c
        self._final, self._final_bounds = _by_doc(c["doc"], c["start"], c["end"], self.n_docs)

    def entities(self) -> pd.DataFrame:
        """The ``entities`` table: one row per entity, by mention count then entity_id."""
        if not self._linked or not self._entity_rows:
            return S.ENTITIES.empty()
        frame = pd.DataFrame(self._entity_rows).sort_values(
            ["mention_count", S.ENTITY_ID], ascending=[False, True], kind="mergesort"
        )
        return S.ENTITIES.conform(frame)

    def mention_counts(self) -> np.ndarray:
        """Mentions per document."""
        return np.diff(self._final_bounds) if self._linked else np.zeros(self.n_docs, "int64")

    def mention_rows(
        self, lo: int, hi: int, doc_ids: Sequence[str], kinds: Sequence[str]
    ) -> pd.DataFrame:
        """The ``mentions`` rows of documents ``lo`` .. ``hi - 1`` (by document, then start).

        Args:
            doc_ids, kinds: the doc_id and doc_kind of those documents.

        ``sentence_id`` and ``sentence_compound`` are left missing for the caller.
        """
        if not self._linked:
            raise StageInputError("ThreadLinker: call link() before reading mentions")
        c, order, bounds = self._final_columns, self._final, self._final_bounds
        rows = order[bounds[lo] : bounds[hi]]
        n = len(rows)
        if not n:
            return S.MENTIONS.empty()
        docs = c["doc"][rows] - lo
        per_doc = np.diff(bounds[lo : hi + 1])
        index = np.arange(n) - np.repeat(bounds[lo:hi] - bounds[lo], per_doc)
        sigs = [self._sigs[s] for s in c["sig"][rows].tolist()]
        entity = self.sig_entity[c["sig"][rows]].tolist()
        named = self.named
        doc_list = docs.tolist()
        dtypes = S.MENTIONS.dtypes

        def column(name: str, values: Iterable) -> pd.api.extensions.ExtensionArray:
            return pd.array(list(values), dtype=dtypes[name])

        frame = pd.DataFrame(
            {
                S.THREAD_ID: column(S.THREAD_ID, [self.thread_id] * n),
                S.MENTION_ID: column(
                    S.MENTION_ID,
                    (f"{doc_ids[d]}/m{i}" for d, i in zip(doc_list, index.tolist(), strict=True)),
                ),
                S.DOC_ID: column(S.DOC_ID, (doc_ids[d] for d in doc_list)),
                S.DOC_KIND: column(S.DOC_KIND, (kinds[d] for d in doc_list)),
                S.SENTENCE_ID: column(S.SENTENCE_ID, [None] * n),
                S.START_CHAR: column(S.START_CHAR, c["start"][rows].tolist()),
                S.END_CHAR: column(S.END_CHAR, c["end"][rows].tolist()),
                S.TEXT: column(S.TEXT, (m.surface for m in sigs)),
                S.LABEL: column(S.LABEL, (named[e][0] for e in entity)),
                S.ENTITY_ID: column(S.ENTITY_ID, (named[e][1] for e in entity)),
                S.ENTITY_NAME: column(S.ENTITY_NAME, (named[e][2] for e in entity)),
                "link_method": column("link_method", (m.method for m in sigs)),
                "link_score": np.fromiter((float(m.score) for m in sigs), "float64", count=n),
                "sentence_compound": np.full(n, np.nan),
            },
            copy=False,
        )
        return S.MENTIONS.conform(frame)


#: Labels that may name the same kind of thing as a lexicon label (places, states, groups):
#: a model mention anchors to a lexicon name only when the two labels are compatible, so the
#: person "Chad" does not become the country Chad.
_PLACE_LIKE = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})


def _compatible(model_label: str | None, lexicon_label: str) -> bool:
    if model_label is None or model_label == lexicon_label:
        return True
    return model_label in _PLACE_LIKE and lexicon_label in _PLACE_LIKE


def _alias_method(key: str, canonical: str) -> str:
    """ "alias" unless the alias is the canonical name itself or its surname."""
    canon_key = name_key(canonical)
    return MODEL if key == canon_key or key in surname_keys(canonical) else ALIAS


def _link_aliases(ctx: _Context) -> None:
    """Union every mention key that is an alias with its canonical name's key."""
    for m in ctx.mentions:
        ctx.groups.add(m.key)
        if m.via is not None:
            ctx.groups.union(m.key, m.via)


def _norp_plurals(ctx: _Context) -> None:
    """Group nationality words: demonyms of one place; "Xs" with "X" for other NORP names."""
    lex = ctx.lexicons
    norp_keys = sorted({m.key for m in ctx.mentions if m.vote == "NORP" and m.method == MODEL})
    by_place: dict[str, list[str]] = defaultdict(list)
    for key in sorted({m.key for m in ctx.mentions if m.key in lex.demonyms}):
        by_place[name_key(lex.demonyms[key])].append(key)
    for keys in by_place.values():
        for other in keys[1:]:
            ctx.groups.union(keys[0], other)
    present = set(norp_keys)
    for key in norp_keys:
        if key.endswith("s") and key[:-1] in present and key not in lex.demonyms:
            ctx.groups.union(key, key[:-1])


def looks_like_person_name(name: str) -> bool:
    """Two to four capitalised words, none an ordinary English word ("Olaf Scholz", "Bashar
    al-Assad"; not "General Motors" or "Bank of England")."""
    words = [w for w in _tokens(name) if name_key(w) not in NAME_PARTICLES]
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(name_key(w) in common_words() for w in words)
    )


def _group_names(ctx: _Context) -> dict[str, set[str]]:
    """root -> multi-word personal names of the group (its forms and lexicon names).

    A group counts when the model mostly labels it PERSON, or ORG (a frequent mislabel of
    people) with a name that :func:`looks_like_person_name`.
    """
    names: dict[str, set[str]] = defaultdict(set)
    lex = ctx.lexicons
    for root, ms in ctx.by_root().items():
        label = _majority_label(ms, lex)
        if label not in SURNAME_LABELS:
            continue
        for m in ms:
            if m.via in lex.canonical:
                canon, canon_label = lex.canonical[m.via]
                if canon_label == "PERSON" and len(_tokens(canon)) > 1:
                    names[root].add(canon)
            if not m.form or len(_tokens(m.form)) < 2 or m.vote not in SURNAME_LABELS:
                continue
            if label == "PERSON" or looks_like_person_name(m.form):
                names[root].add(m.form)
    return names


def _surname_index(ctx: _Context) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    names = _group_names(ctx)
    index: dict[str, set[str]] = defaultdict(set)
    for root, group_names in names.items():
        for name in group_names:
            for k in surname_keys(name):
                index[k].add(root)
    return index, names


def _link_surnames(ctx: _Context) -> None:
    """One-word (or particle + surname) PERSON/ORG mentions -> the one full name with it."""
    index, _ = _surname_index(ctx)
    for root, ms in sorted(ctx.by_root().items()):
        if _majority_label(ms, ctx.lexicons) not in (None, *SURNAME_LABELS):
            continue
        keys = {m.key for m in ms if m.method in (MODEL, GAZETTEER) and m.form}
        for key in sorted(keys):
            targets = {ctx.groups.find(t) for t in index.get(key, set())}
            targets.discard(ctx.groups.find(root))
            if len(targets) == 1:
                ctx.groups.union(root, targets.pop())
                break


def _gazetteer_forms(ctx: _Context) -> list[NameForm]:
    """Forms of every entity of the thread (first seen first), then every alias-table name."""
    lex = ctx.lexicons
    forms: list[NameForm] = []
    seen: set[str] = set()

    def add(form: str, node: str, method: str) -> None:
        key = name_key(form)
        if key and key not in seen and len(_letters(form)) >= 2:
            seen.add(key)
            forms.append(NameForm(form, node, method))

    by_root = ctx.by_root()
    for _root, ms in sorted(by_root.items(), key=lambda kv: min((m.doc, m.start) for m in kv[1])):
        for m in sorted(ms, key=lambda m: (m.doc, m.start)):
            if m.form and m.method in (MODEL, ALIAS):
                add(m.form, m.key, GAZETTEER if m.method == MODEL else ALIAS)
        for m in ms:
            if m.via in lex.canonical:
                add(lex.canonical[m.via][0], m.via, GAZETTEER)
    # surnames of full names never seen alone (not when ordinary words or shared by two people)
    index, names = _surname_index(ctx)
    for key, roots in sorted(index.items()):
        if len(roots) != 1 or key in seen or key in english_words():
            continue
        root = next(iter(roots))
        for name in sorted(names[root]):
            words = _tokens(name)
            if name_key(words[-1]) == key:
                add(words[-1], root, GAZETTEER)
    alias_canonicals = []
    for alias, canon, _label in lex.aliases.values():
        add(alias, name_key(canon), ALIAS)
        alias_canonicals.append(canon)
    for canon in alias_canonicals:
        add(canon, name_key(canon), ALIAS)
    return forms


def _anchored(ms: list[_Mention]) -> bool:
    return any(
        m.via is not None
        or m.method == FLAG
        or m.n_article > 0
        or (m.form is not None and len(_tokens(m.form)) > 1)
        for m in ms
    )


def _targets(ctx: _Context) -> dict[str, tuple[str, str, int]]:
    """Fuzzy targets: folded word -> (word, entity key, priority 0 thread / 1 alias table).

    A thread entity contributes its one-word forms, the surname of its multi-word personal names
    and the letters of its other multi-word names ("aljazeera"); the alias table contributes its
    one-word aliases and names and the surnames of its people. Words shared by two entities of the
    same priority are left out. Demonyms and fuzzy-linked forms are never targets.
    """
    lex = ctx.lexicons
    out: dict[str, tuple[str, str, int]] = {}
    ambiguous: set[str] = set()

    def add(word: str, node: str, priority: int, person: bool) -> None:
        words = _tokens(word)
        if len(words) > 1:
            word = words[-1] if person else "".join(words)
        key = _ascii_letters(word)
        if len(key) < FUZZY_MIN_LENGTH or key in lex.demonyms or key in ambiguous:
            return
        if key in out:
            if ctx.groups.find(out[key][1]) != ctx.groups.find(node) and out[key][2] == priority:
                ambiguous.add(key)
                del out[key]
            return
        out[key] = (word, node, priority)

    for root, ms in sorted(ctx.by_root().items()):
        person = _majority_label(ms, lex) == "PERSON"
        done: set[tuple] = set()
        for m in sorted(ms, key=lambda m: (m.doc, m.start)):
            if (m.via, m.form, m.method, m.key) in done:
                continue
            done.add((m.via, m.form, m.method, m.key))
            if m.via in lex.canonical:
                add(lex.canonical[m.via][0], root, 0, lex.canonical[m.via][1] == "PERSON")
            if m.form is None or m.method == FUZZY or m.key in ctx.fuzzy_keys:
                continue
            if m.key not in lex.demonyms:
                add(m.form, root, 0, person)
    for alias, canon, label in lex.aliases.values():
        node = name_key(canon)
        add(alias, node, 1, label == "PERSON")
        add(canon, node, 1, label == "PERSON")
    return out


def _fuzzy_eligible(word: str, lex: Lexicons, *, lemma: str | None = None) -> bool:
    letters = _ascii_letters(word)
    if len(letters) < FUZZY_MIN_LENGTH or len(_tokens(word)) != 1:
        return False
    key = name_key(word)
    if key in lex.demonyms or key in lex.aliases or key in lex.canonical:
        return False
    if _phrase(word) in lex.not_entities:
        return False
    return not is_english_word(word, lemma=lemma)


def _majority_label(ms: list[_Mention], lex: Lexicons) -> str | None:
    votes: Counter = Counter()
    for m in ms:
        if m.vote and m.method != FUZZY:
            votes[m.vote] += m.n
    if votes:
        return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    for m in ms:
        if m.via in lex.canonical:
            return lex.canonical[m.via][1]
    return None


def _fuzzy_model_entities(ctx: _Context) -> None:
    """One-word model entities that match no known name -> a similar, better-attested entity."""
    lex = ctx.lexicons
    by_root = ctx.by_root()
    info = {root: (sum(m.n for m in ms), _anchored(ms)) for root, ms in by_root.items()}
    targets = _targets(ctx)
    person_roots = set(_group_names(ctx))
    lexicon_words = {k for k, v in _targets(_Context(lex)).items() if v[2] > 0}
    for root, ms in sorted(by_root.items()):
        keys = {m.key for m in ms}
        if len(keys) != 1 or any(m.via or m.method not in (MODEL, GAZETTEER) for m in ms):
            continue
        forms = [m.form for m in ms if m.method == MODEL and m.form]
        if not forms or not all(_fuzzy_eligible(f, lex) for f in forms):
            continue
        if _ascii_letters(forms[0]) in lexicon_words:
            continue  # exactly a lexicon name (e.g. a surname): exact, not fuzzy
        source_label = _majority_label(ms, lex)
        if source_label == "NORP":
            continue
        count = info[root][0]

        def strong(node: str, root: str = root, count: int = count) -> bool:
            target_root = ctx.groups.find(node)
            if target_root == ctx.groups.find(root):
                return False
            if target_root not in info:
                return True  # a lexicon name not (yet) mentioned in the thread
            n, anchored = info[target_root]
            return anchored or n > count

        allowed = {k: v for k, v in targets.items() if strong(v[1])}
        link = fuzzy_link(forms[0], allowed)
        if link is None:
            continue
        target_ms = by_root.get(ctx.groups.find(link.node), [])
        target_label = (
            _majority_label(target_ms, lex)
            if target_ms
            else (lex.canonical[link.node][1] if link.node in lex.canonical else None)
        )
        person_like = ctx.groups.find(link.node) in person_roots
        if source_label == "PERSON" and target_label not in (None, "PERSON") and not person_like:
            continue
        ctx.groups.union(root, link.node)
        ctx.fuzzy_keys[next(iter(keys))] = link.score
        if link.node in lex.canonical:
            for m in ms:
                m.via = link.node
    for m in ctx.mentions:
        if m.key in ctx.fuzzy_keys:
            m.method = FUZZY
            m.score = ctx.fuzzy_keys[m.key]


def candidate_is_used(text: str, pos: str | None) -> bool:
    """Whether :func:`link_thread` can use a candidate token at all.

    Only proper-noun-like tokens matter: those tagged :data:`PROPN_TAGS` (fuzzy matching and the
    ``propn`` case rule of the gazetteer search) and capitalised ones (fuzzy matching). Callers
    may drop the other candidates before linking (on long threads most tokens are ordinary
    lower-case words); the output is the same as long as no two candidates share a span.
    """
    return pos in PROPN_TAGS or text[:1].isupper()


def _link_demonyms(ctx: _Context) -> None:
    """A demonym group joins its place when the place is mentioned by name, alias or flag."""
    lex = ctx.lexicons
    by_root = ctx.by_root()
    place_present: dict[str, str] = {}
    for root, ms in by_root.items():
        for m in ms:
            if m.key not in lex.demonyms and m.method != FUZZY:
                place_present.setdefault(m.key, root)
                if m.via:
                    place_present.setdefault(m.via, root)
    for root, ms in sorted(by_root.items()):
        keys = {m.key for m in ms}
        if not keys or not all(k in lex.demonyms for k in keys):
            continue
        if any(m.vote not in (None, *DEMONYM_LABELS) for m in ms):
            continue
        places = {name_key(lex.demonyms[k]) for k in keys}
        if len(places) != 1:
            continue
        place = places.pop()
        if place in place_present:
            ctx.groups.union(root, place_present[place])


def _choose_name(ms: list[_Mention], lex: Lexicons) -> tuple[str, str]:
    """(canonical name, label) of one group of mentions (step 7)."""
    via_counts: Counter = Counter()
    votes: Counter = Counter()
    for m in ms:
        if m.via and m.via in lex.canonical:
            via_counts[m.via] += m.n
        if m.vote and m.key not in lex.demonyms and m.method != FUZZY:
            votes[m.vote] += m.n
    first = min(ms, key=lambda m: (m.doc, m.start))
    if via_counts:
        anchor = sorted(via_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        name, label = lex.canonical[anchor]
        return name, label
    if votes:
        top = max(votes.values())
        ordered = sorted(ms, key=lambda m: (m.doc, m.start))
        label = next(m.vote for m in ordered if m.vote and votes.get(m.vote) == top)
    else:
        label = first.fallback or first.vote or "ORG"
    forms = [m for m in ms if m.form and m.method in (MODEL, GAZETTEER)]
    non_demonym = [m for m in forms if m.key not in lex.demonyms]
    forms = non_demonym or forms or [first]
    stats: dict[str, list] = {}
    for m in sorted(forms, key=lambda m: (m.doc, m.start)):
        form = " ".join((m.form or "").split())
        st = stats.setdefault(form, [0, False, (m.doc, m.start)])
        st[0] += m.n
        st[1] = st[1] or m.n_article > 0

    def casing(form: str) -> int:
        letters = _letters(form)
        if letters.islower():
            return 2
        if letters.isupper() and not is_acronym(form):
            return 1
        return 0

    best = min(
        stats,
        key=lambda f: (-len(_tokens(f)), casing(f), not stats[f][1], -stats[f][0], stats[f][2], f),
    )
    if _letters(best).islower():
        best = " ".join(w[:1].upper() + w[1:] for w in best.split(" "))
    return best, label


def _method_counts(ms: list[_Mention]) -> str:
    counts: Counter = Counter()
    for m in ms:
        counts[m.method] += m.n
    return " | ".join(f"{meth}:{counts[meth]}" for meth in S.LINK_METHODS if counts[meth])


def _surface_forms(ms: list[_Mention]) -> str:
    counts: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in sorted(ms, key=lambda m: (m.doc, m.start)):
        surface = m.surface
        counts[surface] += m.n
        first.setdefault(surface, (m.doc, m.start))
    return " | ".join(sorted(counts, key=lambda s: (-counts[s], first[s], s)))


def link_thread(
    docs: pd.DataFrame,
    spans: pd.DataFrame,
    candidates: pd.DataFrame,
    *,
    lexicon_dir: Path | str = config.LEXICON_DIR,
    link_demonyms: bool = LINK_DEMONYMS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Link the entity mentions of one thread (see the module docstring for the steps).

    A convenience over :class:`ThreadLinker` for tables held in memory (the annotation step feeds
    the linker document by document instead).

    Args:
        docs: thread_id, doc_id, doc_kind ('article' | 'comment'), position, text: the thread's
            annotated (English) documents.
        spans: doc_id, start_char, end_char, text, label: the NER model's spans (any label).
        candidates: doc_id, start_char, end_char, text, pos, lemma: alphabetic tokens outside
            model spans (not stop words) that may be names the model missed.
        lexicon_dir: folder holding aliases.csv, not_entities.csv, flags.csv and demonyms.csv.
        link_demonyms: let "Russians" (NORP) join "Russia" when Russia is mentioned.

    Returns:
        ``(mentions, entities)``. ``mentions`` conforms to :data:`analysis.schema.MENTIONS`
        (``sentence_id`` and ``sentence_compound`` left missing for the caller): thread_id,
        mention_id ('<doc_id>/m<index>', index from 0 in start order), doc_id, doc_kind,
        start_char, end_char, text (== the document's text[start_char:end_char]), label,
        entity_id, entity_name, link_method, link_score. Rows are ordered by document (article
        first, then position) and start offset. ``entities`` conforms to
        :data:`analysis.schema.ENTITIES`, one row per entity with at least one mention, ordered by
        mention_count (descending) then entity_id.

    Raises:
        StageInputError: a table lacks a column, docs hold several threads, or a span or
            candidate names an unknown document or does not slice back to its text.
        InputError: a lexicon file is missing or malformed.
    """
    _require(docs, _DOC_COLUMNS, "docs")
    _require(spans, _SPAN_COLUMNS, "spans")
    _require(candidates, _CANDIDATE_COLUMNS, "candidates")
    if not len(docs):
        return S.MENTIONS.empty(), S.ENTITIES.empty()
    threads = sorted({str(t) for t in docs[S.THREAD_ID]})
    if len(threads) != 1:
        raise StageInputError(
            f"link_thread: expected the documents of one thread, got threads {threads[:5]}"
        )
    if docs[S.DOC_ID].duplicated().any():
        dup = docs.loc[docs[S.DOC_ID].duplicated(), S.DOC_ID].iloc[0]
        raise StageInputError(f"link_thread: document {dup!r} appears twice in docs")
    order = thread_order(docs[S.DOC_KIND], docs["position"], docs[S.DOC_ID])
    doc_ids = [str(d) for d in docs[S.DOC_ID].iloc[order]]
    texts = ["" if pd.isna(t) else str(t) for t in docs[S.TEXT].iloc[order]]
    kinds = [str(k) for k in docs[S.DOC_KIND].iloc[order]]
    positions = pd.to_numeric(docs["position"], errors="coerce").fillna(0).iloc[order].tolist()
    text_of = dict(zip(doc_ids, texts, strict=True))
    doc_spans: dict[str, list] = defaultdict(list)
    for i, (doc_id, start, end, label) in enumerate(_checked_spans(spans, text_of)):
        doc_spans[doc_id].append((start, end, label, i))
    doc_cands: dict[str, list] = defaultdict(list)
    for doc_id, start, end, pos, lemma in _checked_candidates(candidates, text_of):
        doc_cands[doc_id].append((start, end, pos, lemma))
    del text_of
    linker = ThreadLinker(threads[0], lexicon_dir=lexicon_dir, link_demonyms=link_demonyms)
    for doc_id, kind, position in zip(doc_ids, kinds, positions, strict=True):
        linker.add_doc(
            is_article=kind == S.ARTICLE,
            position=position,
            spans=doc_spans.pop(doc_id, ()),
            candidates=doc_cands.pop(doc_id, ()),
        )
    linker.link(lambda lo, hi: texts[lo:hi])
    return linker.mention_rows(0, len(doc_ids), doc_ids, kinds), linker.entities()


def _checked_candidates(
    candidates: pd.DataFrame, texts: dict[str, str]
) -> Iterator[tuple[str, int, int, str, str | None]]:
    """(doc_id, start, end, pos, lemma) of the candidate tokens, checked against the texts."""
    n = len(candidates)
    lemmas = candidates["lemma"].tolist() if "lemma" in candidates.columns else [None] * n
    columns = (candidates[c].tolist() for c in (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos"))
    for i, (d, a, b, t, pos, lemma) in enumerate(zip(*columns, lemmas, strict=True)):
        _check_offsets("candidates", i, str(d), int(a), int(b), t, texts)
        yield (
            str(d),
            int(a),
            int(b),
            pos if isinstance(pos, str) else "",
            lemma if isinstance(lemma, str) else None,
        )
