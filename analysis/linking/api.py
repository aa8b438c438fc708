"""Linking one thread held in memory as tables (:func:`link_thread`)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.errors import StageInputError
from analysis.linking.linker import ThreadLinker
from analysis.linking.rules import LINK_DEMONYMS
from analysis.linking.spans import (
    _CANDIDATE_COLUMNS,
    _DOC_COLUMNS,
    _SPAN_COLUMNS,
    _checked_candidates,
    _checked_spans,
    _require,
)
from analysis.schema.order import thread_order


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
        lexicon_dir: folder holding aliases.csv, not_entities.csv, flags.csv, demonyms.csv and
            (optional) knowledge.csv.
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
    thread_id = _single_thread(docs)
    doc_ids, texts, kinds, positions = _ordered_docs(docs)
    doc_spans, doc_cands = _per_doc_inputs(
        spans, candidates, dict(zip(doc_ids, texts, strict=True))
    )
    linker = ThreadLinker(thread_id, lexicon_dir=lexicon_dir, link_demonyms=link_demonyms)
    for doc_id, kind, position in zip(doc_ids, kinds, positions, strict=True):
        linker.add_doc(
            is_article=kind == S.ARTICLE,
            position=position,
            spans=doc_spans.pop(doc_id, ()),
            candidates=doc_cands.pop(doc_id, ()),
        )
    linker.link(lambda lo, hi: texts[lo:hi])
    return linker.mention_rows(0, len(doc_ids), doc_ids, kinds), linker.entities()


def _single_thread(docs: pd.DataFrame) -> str:
    """The one thread id of ``docs``.

    Raises:
        StageInputError: docs hold several threads or a document id twice.
    """
    threads = sorted({str(t) for t in docs[S.THREAD_ID]})
    if len(threads) != 1:
        raise StageInputError(
            f"link_thread: expected the documents of one thread, got threads {threads[:5]}"
        )
    if docs[S.DOC_ID].duplicated().any():
        dup = docs.loc[docs[S.DOC_ID].duplicated(), S.DOC_ID].iloc[0]
        raise StageInputError(f"link_thread: document {dup!r} appears twice in docs")
    return threads[0]


def _ordered_docs(docs: pd.DataFrame) -> tuple[list[str], list[str], list[str], list]:
    """Doc ids, texts ('' for missing), kinds and positions in thread order (article first)."""
    order = thread_order(docs[S.DOC_KIND], docs["position"], docs[S.DOC_ID])
    doc_ids = [str(d) for d in docs[S.DOC_ID].iloc[order]]
    texts = ["" if pd.isna(t) else str(t) for t in docs[S.TEXT].iloc[order]]
    kinds = [str(k) for k in docs[S.DOC_KIND].iloc[order]]
    positions = pd.to_numeric(docs["position"], errors="coerce").fillna(0).iloc[order].tolist()
    return doc_ids, texts, kinds, positions


def _per_doc_inputs(
    spans: pd.DataFrame, candidates: pd.DataFrame, text_of: dict[str, str]
) -> tuple[dict[str, list], dict[str, list]]:
    """Checked model spans ``(start, end, label, row)`` and candidates per document id.

    Raises:
        StageInputError: a span or candidate names an unknown document or does not slice back
            to its text.
    """
    doc_spans: dict[str, list] = defaultdict(list)
    for i, (doc_id, start, end, label) in enumerate(_checked_spans(spans, text_of)):
        doc_spans[doc_id].append((start, end, label, i))
    doc_cands: dict[str, list] = defaultdict(list)
    for doc_id, start, end, pos, lemma in _checked_candidates(candidates, text_of):
        doc_cands[doc_id].append((start, end, pos, lemma))
    return doc_spans, doc_cands
