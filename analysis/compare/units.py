"""The units topics and frames count, and the word lists they match.

Units
-----
- **sentence units**: each sentence of the article (title included) and each sentence of an
  annotated comment, one unit each (:data:`UNIT_SENTENCE`);
- **document units**: the article as a whole and each annotated comment as a whole
  (:data:`UNIT_DOCUMENT`);
- **comparison units** (topics): each article sentence and each comment as a whole: a comment is
  the commenter's unit of speech and most comments are one or two sentences.

Only documents :func:`analysis.compare.scope.usable_doc_ids` admits count (annotated, English,
not a platform placeholder). A unit holds its sentences' ``lemmas`` and ``words`` (the same
content words as written) token by token.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.scope import ids_in, require, usable_doc_ids
from analysis.errors import InputError

UNIT_SENTENCE = "sentence"
UNIT_DOCUMENT = "document"
UNIT_KINDS = (UNIT_SENTENCE, UNIT_DOCUMENT)

_SENTENCE_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.DOC_KIND, S.SENTENCE_ID, "sentence_index", "lemmas")
_DOCUMENT_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.DOC_KIND, "position", "is_annotated")


@dataclass(frozen=True, slots=True)  # slots: one per sentence or comment, no __dict__ each
class Unit:
    """One unit: its lemma tokens (and surface forms) per sentence.

    ``sentences`` holds the lemma tokens of each sentence, ``words`` the same tokens as written
    (empty tuples when the sentences table has no ``words`` column or they do not line up).
    """

    thread_id: str
    unit_id: str
    side: str
    sentences: tuple[tuple[str, ...], ...]
    words: tuple[tuple[str, ...], ...] = ()

    @property
    def tokens(self) -> list[str]:
        return [tok for sent in self.sentences for tok in sent]

    def surface_pairs(self) -> list[tuple[str, str]]:
        """``(lemma, word)`` pairs of the sentences whose words line up with their lemmas."""
        out: list[tuple[str, str]] = []
        for lem, wrd in zip(self.sentences, self.words, strict=False):
            if len(lem) == len(wrd):
                out.extend(zip(lem, wrd, strict=True))
        return out


def _split(value: object) -> tuple[str, ...]:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ()
    return tuple(str(value).split())


def _token_tuples(values: list, pool: dict[str, str]) -> list[tuple[str, ...]]:
    """The tokens of each value (:func:`_split`), every distinct token one shared string from
    ``pool`` (filled as it goes): a thread's tokens are mostly repeats, and one string object
    per token made the units of 100,000 comments several hundred MB."""
    get = pool.setdefault
    out = []
    for value in values:
        parts = value.split() if isinstance(value, str) else _split(value)
        out.append(tuple(map(get, parts, parts)))
    return out


_ID_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.DOC_KIND)


def _shared(values: list[str], pool: dict[str, str]) -> list[str]:
    """``values`` with each distinct string one object from ``pool`` (a thread's id and a
    document's id repeat on each of its sentences)."""
    get = pool.setdefault
    return list(map(get, values, values))


def _usable_sentences(
    sentences: pd.DataFrame, documents: pd.DataFrame, stage: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    require(sentences, _SENTENCE_COLUMNS, stage=stage, table="sentences")
    require(documents, _DOCUMENT_COLUMNS, stage=stage, table="documents")
    usable = usable_doc_ids(documents)
    # only the columns the units read: the filter and sort below copy what they are given
    # (the sentence texts were most of it)
    cols = [*_SENTENCE_COLUMNS, *([S.WORDS] if S.WORDS in sentences.columns else [])]
    sentences = sentences[cols]
    sents = sentences.loc[ids_in(sentences[S.DOC_ID], usable)]
    sents = sents.sort_values(
        [S.THREAD_ID, S.DOC_ID, "sentence_index", S.SENTENCE_ID], kind="stable"
    )
    docs = documents.loc[ids_in(documents[S.DOC_ID], usable)].sort_values(
        [S.THREAD_ID, "position", S.DOC_ID], kind="stable"
    )
    return sents, docs


@dataclass(frozen=True)
class UnitRows:
    """The usable sentence rows, read and split into tokens once, and both kinds of unit as
    positions into them (what :func:`sentence_units` and :func:`document_units` return).

    Attributes:
        thread, doc, kind, sentence_id: per sentence row (strings).
        lemmas, words: per sentence row, the tokens (``words`` empty when the column is absent).
        sentence_order: the rows of the sentence units, in their order.
        documents: per document unit, in order: ``(thread, doc_id, side, rows)`` with ``rows``
            the positions of its sentence rows (in sentence order; none for a comment without
            sentences).
    """

    thread: list[str]
    doc: list[str]
    kind: list[str]
    sentence_id: list[str]
    lemmas: list[tuple[str, ...]]
    words: list[tuple[str, ...]]
    sentence_order: list[int]
    documents: list[tuple[str, str, str, list[int]]]


def unit_rows(
    sentences: pd.DataFrame, documents: pd.DataFrame, *, stage: str = "compare"
) -> UnitRows:
    """The usable sentences and the order of the sentence and document units over them.

    Raises:
        StageInputError: a table lacks a column this needs.
    """
    sents, docs = _usable_sentences(sentences, documents, stage)
    pool: dict[str, str] = {}
    # each column's texts are a temporary: only their tokens are kept
    lemmas = _token_tuples(sents["lemmas"].tolist(), pool)
    words = _token_tuples(
        sents["words"].tolist() if "words" in sents.columns else [None] * len(sents), pool
    )
    thread, doc, kind = (_shared(sents[c].astype(str).tolist(), pool) for c in _ID_COLUMNS)
    order = {d: i for i, d in enumerate(docs[S.DOC_ID].astype(str).tolist())}
    ranked = sorted(
        range(len(doc)), key=lambda i: (kind[i] != S.ARTICLE, thread[i], order.get(doc[i], 0))
    )
    by_doc: dict[str, list[int]] = {}
    for i, d in enumerate(doc):
        by_doc.setdefault(d, []).append(i)
    docs = docs.loc[docs[S.DOC_KIND].isin(S.DOC_KINDS)]
    docs = docs.assign(_c=(docs[S.DOC_KIND] != S.ARTICLE)).sort_values(
        ["_c", S.THREAD_ID, "position", S.DOC_ID], kind="stable"
    )
    return UnitRows(
        thread=thread,
        doc=doc,
        kind=kind,
        sentence_id=sents[S.SENTENCE_ID].astype(str).tolist(),
        lemmas=lemmas,
        words=words,
        sentence_order=[i for i in ranked if kind[i] in S.DOC_KINDS],
        documents=[
            (str(t), str(d), side_of(str(k)), by_doc.get(str(d), []))
            for t, d, k in zip(
                docs[S.THREAD_ID].tolist(),
                docs[S.DOC_ID].tolist(),
                docs[S.DOC_KIND].tolist(),
                strict=True,
            )
        ],
    )


def side_of(kind: str) -> str:
    """The side of a document kind: ``article`` for the article, else ``comments``."""
    return S.SIDE_ARTICLE if kind == S.ARTICLE else S.SIDE_COMMENTS


def _sentence_units(rows: UnitRows) -> list[Unit]:
    return [
        Unit(
            rows.thread[i],
            rows.sentence_id[i],
            side_of(rows.kind[i]),
            (rows.lemmas[i],),
            (rows.words[i],),
        )
        for i in rows.sentence_order
    ]


def _document_units(rows: UnitRows) -> list[Unit]:
    return [
        Unit(
            thread,
            doc_id,
            side,
            tuple(rows.lemmas[i] for i in at),
            tuple(rows.words[i] for i in at),
        )
        for thread, doc_id, side, at in rows.documents
    ]


def sentence_units(
    sentences: pd.DataFrame, documents: pd.DataFrame, *, stage: str = "compare"
) -> list[Unit]:
    """Every sentence of the usable article and comments, article first, then comments.

    Order: article sentences (by thread, document, index), then comment sentences (by thread,
    comment position, index).

    Raises:
        StageInputError: a table lacks a column this needs.
    """
    return _sentence_units(unit_rows(sentences, documents, stage=stage))


def document_units(
    sentences: pd.DataFrame, documents: pd.DataFrame, *, stage: str = "compare"
) -> list[Unit]:
    """The usable article and comments as whole documents (article first, then comments).

    A comment with no sentence rows is still a unit, with no lemmas.

    Raises:
        StageInputError: a table lacks a column this needs.
    """
    return _document_units(unit_rows(sentences, documents, stage=stage))


def comparison_units(
    sentences: pd.DataFrame, documents: pd.DataFrame, *, stage: str = "compare"
) -> list[Unit]:
    """Article sentences and whole comments (the topic units), article sentences first.

    Raises:
        StageInputError: a table lacks a column this needs.
    """
    rows = unit_rows(sentences, documents, stage=stage)
    article = [u for u in _sentence_units(rows) if u.side == S.SIDE_ARTICLE]
    comments = [u for u in _document_units(rows) if u.side == S.SIDE_COMMENTS]
    return article + comments


def unit_scopes(units: list[Unit], documents: pd.DataFrame) -> list[tuple[str, list[Unit]]]:
    """``(scope id, units)`` for each scope of :func:`analysis.compare.scope.scopes`.

    The units are grouped by thread in one pass (each thread's units in their given order).
    """
    from analysis.compare.scope import scopes

    by_thread: dict[object, list[Unit]] = {}
    for u in units:
        by_thread.setdefault(u.thread_id, []).append(u)
    out = []
    for scope in scopes(documents):
        if scope == S.POOLED:
            out.append((scope, list(units)))
        else:
            out.append((scope, list(by_thread.get(scope, []))))
    return out


def surface_forms(units: Iterable[Unit]) -> dict[str, str]:
    """The most frequent written form of each lemma (ties: alphabetical first)."""
    counts: dict[str, Counter[str]] = {}
    for unit in units:
        for lemma, word in unit.surface_pairs():
            counts.setdefault(lemma, Counter())[word] += 1
    return {lem: min(c, key=lambda w, c=c: (-c[w], w)) for lem, c in counts.items()}


# ---------------------------------------------------------------------------------- lexicons


def read_lexicon(
    path: Path, *, group_column: str, allowed_groups: Iterable[str] | None = None
) -> pd.DataFrame:
    """Read a ``<group>,term`` lexicon CSV (lines starting with ``#`` are comments).

    Terms are lower-cased and their whitespace collapsed; exact duplicate rows are dropped.

    Returns:
        Columns ``group_column``, ``term``, ``line`` (1-based line in the file), in file order.

    Raises:
        InputError: the file is missing or empty, the header is not ``<group_column>,term``, a row
            does not have two fields, a field is empty, or a group is not one of
            ``allowed_groups``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, f"lexicon not found (expected a CSV '{group_column},term')")
    allowed = None if allowed_groups is None else set(allowed_groups)
    rows: list[tuple[str, str, int]] = []
    header_seen = False
    seen: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [
            (i, line)
            for i, line in enumerate(fh, start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    for (lineno, _), fields in zip(lines, csv.reader(line for _, line in lines), strict=True):
        fields = [f.strip() for f in fields]
        if not header_seen:
            if fields != [group_column, "term"]:
                raise InputError(
                    path,
                    f"expected the header '{group_column},term', got {','.join(fields)!r}",
                    record=lineno,
                )
            header_seen = True
            continue
        if len(fields) != 2 or not fields[0] or not fields[1]:
            raise InputError(
                path,
                f"expected two non-empty fields '{group_column},term', got {','.join(fields)!r}",
                record=lineno,
            )
        group, term = fields[0], " ".join(fields[1].lower().split())
        if allowed is not None and group not in allowed:
            raise InputError(
                path,
                f"unknown {group_column} {group!r}; expected one of {', '.join(sorted(allowed))}",
                record=lineno,
            )
        if (group, term) in seen:
            continue
        seen.add((group, term))
        rows.append((group, term, lineno))
    if not rows:
        raise InputError(path, f"lexicon has no '{group_column},term' rows")
    return pd.DataFrame(rows, columns=[group_column, "term", "line"])


class TermMatcher:
    """Counts lexicon hits in lemma sequences: longest match first, within one sentence.

    A term listed under several groups counts once for each of them.
    """

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self.groups_of: dict[tuple[str, ...], list[str]] = {}
        for group, term in terms:
            key = tuple(term.split())
            if key and group not in self.groups_of.setdefault(key, []):
                self.groups_of[key].append(group)
        self.max_len = max((len(k) for k in self.groups_of), default=1)
        #: first tokens of the terms: no term can start at any other token
        self.first = frozenset(k[0] for k in self.groups_of)

    def terms_in(self, sentences: Iterable[Sequence[str]]) -> Counter[str]:
        """Matched terms (space-joined) and their counts.

        Scans each sentence left to right; at a token that starts some term it takes the longest
        term there and jumps past it. Tokens that start no term are skipped after one set
        look-up, and a sentence without any such token is skipped whole.
        """
        found: Counter[str] = Counter()
        first = self.first
        for tokens in sentences:
            if first.isdisjoint(tokens):
                continue
            i = 0
            while i < len(tokens):
                if tokens[i] not in first:
                    i += 1
                    continue
                for n in range(min(self.max_len, len(tokens) - i), 0, -1):
                    key = tuple(tokens[i : i + n])
                    if key in self.groups_of:
                        found[" ".join(key)] += 1
                        i += n
                        break
                else:
                    i += 1
        return found

    def hits(self, sentences: Iterable[Sequence[str]]) -> dict[str, Counter[str]]:
        """``{group: Counter(term -> hits)}`` for the groups with at least one hit."""
        out: dict[str, Counter[str]] = {}
        for term, count in self.terms_in(sentences).items():
            for group in self.groups_of[tuple(term.split())]:
                out.setdefault(group, Counter())[term] += count
        return out
