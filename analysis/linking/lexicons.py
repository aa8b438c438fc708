"""The linking word lists: aliases, not-entities, flags, demonyms and the knowledge base of
well-known entities (``data/lexicons/``, :mod:`analysis.linking.knowledge`)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.errors import InputError
from analysis.linking.knowledge import (
    KNOWLEDGE_FILE,
    knowledge_case_rule,
    load_knowledge,
    regular_adjectives,
)
from analysis.linking.names import _TEXT_CACHE_SIZE, fold, name_key

#: Lexicon file names under the lexicon folder.
ALIASES_FILE = "aliases.csv"
NOT_ENTITIES_FILE = "not_entities.csv"
FLAGS_FILE = "flags.csv"
DEMONYMS_FILE = "demonyms.csv"

_REGIONAL_PAIR = "[\U0001f1e6-\U0001f1ff]{2}"
_TAG_FLAG = "\U0001f3f4[\U000e0061-\U000e007a]+\U000e007f"
FLAG_PATTERN = re.compile(f"{_TAG_FLAG}|{_REGIONAL_PAIR}")


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
    #: keys of every name a lexicon lists (aliases, canonical names, places, demonyms), except
    #: knowledge-base forms that are ordinary English words ("twitter", "trump")
    curated: frozenset[str] = field(default_factory=frozenset)
    #: knowledge-base form key -> its case rule
    #: (:func:`~analysis.linking.knowledge.knowledge_case_rule`)
    knowledge: dict[str, str] = field(default_factory=dict)


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
    knowledge = _add_knowledge(folder / KNOWLEDGE_FILE, aliases, canonical)
    ordinary = {k for k, rule in knowledge.items() if rule in ("named", "upper")}
    curated |= frozenset(knowledge.keys() - ordinary)
    return Lexicons(aliases, canonical, not_entities, flags, demonyms, curated, knowledge)


def _add_knowledge(
    path: Path, aliases: dict[str, tuple[str, str, str]], canonical: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """Merge ``knowledge.csv`` into the alias and canonical lookups (the alias table wins where
    both list a form with the same canonical name); returns form key -> case rule.

    Raises:
        InputError: a form the alias table gives another canonical name (file and line named).
    """
    frame = load_knowledge(path)
    rules: dict[str, str] = {}
    for form, canon, label, line in zip(
        frame["form"], frame["canonical_name"], frame["label"], frame["line"], strict=True
    ):
        key, canon_key = name_key(form), name_key(canon)
        known = aliases.get(key)
        if known is not None and name_key(known[1]) != canon_key:
            raise InputError(
                path,
                f"form {form!r} names {canon!r} but {ALIASES_FILE} gives {known[1]!r}",
                record=int(line),
            )
        canonical.setdefault(canon_key, (str(canon), str(label)))
        aliases.setdefault(key, (str(form), str(canonical[canon_key][0]), str(label)))
        rules[key] = knowledge_case_rule(str(form))
        for adjective in regular_adjectives(str(form), str(label)):  # "Middle Eastern"
            adj_key = name_key(adjective)
            if adj_key not in aliases and adj_key not in rules:
                aliases[adj_key] = (adjective, *aliases[key][1:])
                rules[adj_key] = knowledge_case_rule(adjective)
    return rules


def load_lexicons(lexicon_dir: Path | str = config.LEXICON_DIR) -> Lexicons:
    """Load (and cache until a file changes) the lexicons of ``lexicon_dir``.

    Raises:
        InputError: a lexicon file is missing or malformed (the message names file and line).
    """
    folder = Path(lexicon_dir)
    stamp = tuple(
        (name, (folder / name).stat().st_mtime_ns if (folder / name).is_file() else None)
        for name in (ALIASES_FILE, FLAGS_FILE, DEMONYMS_FILE, NOT_ENTITIES_FILE, KNOWLEDGE_FILE)
    )
    return _load_lexicons_cached(str(folder.resolve()), stamp)


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
