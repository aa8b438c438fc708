"""Hand-built annotation tables for tests of the compare stage.

The compare stage reads the annotate stage's tables (sentences, documents, mentions, entities) plus
the ingest tables (corpus, paragraphs). These helpers build all six by hand from a small
description of a thread, so a test states exactly which sentence has which VADER compound, which
lemmas and which entity mentions, and the right answer of a comparison can be worked out on paper.

Example::

    thread = make_annotated_thread(
        article=[
            [Sent("Alice met Bob.", 0.5, entities=("Alice", "Bob"))],
            [Sent("The plan failed.", -0.4, lemmas="plan fail")],
        ],
        comments=[
            [Sent("Carol is right.", 0.6, entities=("Carol",))],
            Comment([Sent("Das ist gut.")], lang="de"),   # not English: not annotated
            [],                                            # empty comment
        ],
    )
    thread["sentences"], thread["documents"], thread["mentions"], ...

Conventions (mirroring ``analysis.schema``):

- the article is ``<thread>/article``; its paragraphs are ``p0..``; ``title=`` adds a title
  paragraph p0 (``is_title``) and the body paragraphs follow it;
- comment ``i`` (1-based) is ``<thread>/c<i>`` with one paragraph per comment;
- sentences of a paragraph are joined by one space, paragraphs by a blank line, so every offset
  slices back to the text;
- an entity mention is the first occurrence (after the previous one) of its surface text in the
  sentence; the canonical id is a slug of the canonical name;
- a non-English comment is not annotated (``skip_reason='not-english'``) and has no sentence rows
  unless ``keep_sentences=True`` (then its sentences carry NaN scores); an empty comment has
  ``skip_reason='empty'`` and no sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis import config
from analysis import schema as S

__all__ = ["Comment", "Sent", "combine_threads", "make_annotated_thread", "slug"]

_STOP = frozenset(
    "a an the and or but of to in on at for with by from is are was were be been being it its "
    "this that these those he she they we you i me him her them us my our your their his not no "
    "so as do does did have has had will would can could should than then there here what "
    "who".split()
)

MentionSpec = str | tuple[str, str] | tuple[str, str, str]


@dataclass(frozen=True)
class Sent:
    """One sentence.

    Args:
        text: the sentence text (no newlines).
        compound: its VADER compound (NaN allowed).
        lemmas: space-separated lemmas; default: lower-cased alphabetic words minus a few stop
            words.
        words: the surface forms of the lemmas (same count and order); default: the lemmas.
        entities: mentions in the sentence, each ``"Surface"`` (canonical name = surface, label
            PERSON), ``("Surface", "Canonical Name")`` or ``("Surface", "Canonical Name", "ORG")``.
    """

    text: str
    compound: float = 0.0
    lemmas: str | None = None
    entities: Sequence[MentionSpec] = ()
    words: str | None = None

    def lemma_string(self) -> str:
        if self.lemmas is not None:
            return self.lemmas
        words = (w.lower() for w in re.findall(r"[A-Za-z]+", self.text))
        return " ".join(w for w in words if w not in _STOP)


@dataclass(frozen=True)
class Comment:
    """One comment: its sentences plus the document-level fields a test may want to set.

    Args:
        sentences: the comment's sentences (``[]`` or ``""`` for an empty comment); a plain string
            is one sentence with compound 0.
        lang: ISO code; anything but ``"en"`` makes the comment not annotated.
        compound: whole-comment VADER compound; default: mean of the sentence compounds.
        parent: 1-based position of the comment this one replies to.
        keep_sentences: for a non-English comment, still write its sentence rows (NaN scores).
        placeholder: a platform placeholder ("[deleted]"): annotated like any comment, flagged
            ``is_placeholder`` in the corpus (the column is added when any comment sets this).
    """

    sentences: Sequence[Sent] | str = field(default_factory=list)
    lang: str = "en"
    compound: float | None = None
    parent: int | None = None
    keep_sentences: bool = False
    placeholder: bool = False

    def sentence_list(self) -> list[Sent]:
        if isinstance(self.sentences, str):
            return [Sent(self.sentences)] if self.sentences.strip() else []
        return list(self.sentences)


def slug(name: str) -> str:
    """Canonical entity id of a name: lower-case, non-alphanumerics collapsed to '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _mention_parts(spec: MentionSpec) -> tuple[str, str, str]:
    if isinstance(spec, str):
        return spec, spec, "PERSON"
    if len(spec) == 2:
        return spec[0], spec[1], "PERSON"
    return spec[0], spec[1], spec[2]


def _label(compound: float) -> str | None:
    if compound is None or (isinstance(compound, float) and math.isnan(compound)):
        return None
    if compound >= config.VADER_POSITIVE_THRESHOLD:
        return "positive"
    if compound <= config.VADER_NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def _as_comment(item: Comment | Sequence[Sent] | str) -> Comment:
    if isinstance(item, Comment):
        return item
    return Comment(item)


def _mean(values: Iterable[float]) -> float:
    vals = [v for v in values if not math.isnan(v)]
    return sum(vals) / len(vals) if vals else float("nan")


def make_annotated_thread(
    article: Sequence[Sequence[Sent]],
    comments: Sequence[Comment | Sequence[Sent] | str] = (),
    *,
    thread_id: str = "t1",
    title: Sent | str | None = None,
    article_compound: float | None = None,
    placeholder_column: bool = False,
) -> dict[str, pd.DataFrame]:
    """Build the corpus, paragraphs, sentences, documents, mentions and entities of one thread.

    Args:
        article: article body paragraphs, each a list of sentences.
        comments: comments in order: :class:`Comment`, a list of :class:`Sent`, or a string.
        thread_id: the thread id.
        title: optional title paragraph (p0 of the article).
        article_compound: whole-article compound; default: mean of its sentence compounds.
        placeholder_column: give the corpus an ``is_placeholder`` column even when no comment is
            a placeholder (it is added anyway when one is).

    Returns:
        ``{"corpus", "paragraphs", "sentences", "documents", "mentions", "entities"}`` frames, each
        conformed to its :mod:`analysis.schema` spec.
    """
    docs: list[tuple[str, str, int, list[list[Sent]], Comment]] = []
    paras = [list(p) for p in article]
    if title is not None:
        paras = [[title if isinstance(title, Sent) else Sent(title)], *paras]
    docs.append((f"{thread_id}/article", S.ARTICLE, 0, paras, Comment(compound=article_compound)))
    for pos, item in enumerate(comments, start=1):
        com = _as_comment(item)
        sents = com.sentence_list()
        docs.append((f"{thread_id}/c{pos}", S.COMMENT, pos, [sents] if sents else [], com))

    corpus_rows, para_rows, sent_rows, doc_rows, mention_rows = [], [], [], [], []
    seen_text: dict[str, str] = {}
    for doc_id, kind, pos, doc_paras, com in docs:
        english = com.lang == "en"
        pieces: list[str] = []
        offset = 0
        doc_sentences: list[tuple[Sent, str, int, int, str]] = []
        for p_index, sents in enumerate(doc_paras):
            p_text = " ".join(s.text for s in sents)
            p_start = offset
            para_rows.append(
                {
                    S.THREAD_ID: thread_id,
                    S.DOC_ID: doc_id,
                    S.PARAGRAPH_ID: f"{doc_id}/p{p_index}",
                    "paragraph_index": p_index,
                    "is_title": kind == S.ARTICLE and title is not None and p_index == 0,
                    S.START_CHAR: p_start,
                    S.END_CHAR: p_start + len(p_text),
                    S.TEXT: p_text,
                }
            )
            s_start = p_start
            for sent in sents:
                doc_sentences.append(
                    (sent, f"{doc_id}/p{p_index}", s_start, s_start + len(sent.text), sent.text)
                )
                s_start += len(sent.text) + 1
            pieces.append(p_text)
            offset += len(p_text) + 2
        text = "\n\n".join(pieces)
        empty = not text.strip()
        annotated = english and not empty
        dup_of = seen_text.get(text) if (kind == S.COMMENT and not empty) else None
        if kind == S.COMMENT and not empty and dup_of is None:
            seen_text[text] = doc_id
        write_sentences = annotated or (not empty and com.keep_sentences)

        m_index = 0
        compounds: list[float] = []
        token_total = 0
        if write_sentences:
            for s_index, (sent, para_id, start, end, s_text) in enumerate(doc_sentences):
                assert text[start:end] == s_text
                compound = float(sent.compound) if annotated else float("nan")
                compounds.append(compound)
                tokens = len(s_text.split())
                token_total += tokens
                sentence_id = f"{doc_id}/s{s_index}"
                sent_rows.append(
                    {
                        S.THREAD_ID: thread_id,
                        S.DOC_ID: doc_id,
                        S.DOC_KIND: kind,
                        S.SENTENCE_ID: sentence_id,
                        "sentence_index": s_index,
                        S.PARAGRAPH_ID: para_id,
                        S.START_CHAR: start,
                        S.END_CHAR: end,
                        S.TEXT: s_text,
                        "lemmas": sent.lemma_string() if annotated else "",
                        "words": (sent.words if sent.words is not None else sent.lemma_string())
                        if annotated
                        else "",
                        "token_count": tokens,
                        "vader_neg": float("nan") if not annotated else max(-compound, 0.0),
                        "vader_neu": float("nan") if not annotated else 1.0 - abs(compound),
                        "vader_pos": float("nan") if not annotated else max(compound, 0.0),
                        "vader_compound": compound,
                    }
                )
                if not annotated:
                    continue
                search_from = 0
                for spec in sent.entities:
                    surface, canonical, label = _mention_parts(spec)
                    found = s_text.find(surface, search_from)
                    if found < 0:
                        raise ValueError(f"mention {surface!r} not in sentence {s_text!r}")
                    search_from = found + len(surface)
                    mention_rows.append(
                        {
                            S.THREAD_ID: thread_id,
                            S.MENTION_ID: f"{doc_id}/m{m_index}",
                            S.DOC_ID: doc_id,
                            S.DOC_KIND: kind,
                            S.SENTENCE_ID: sentence_id,
                            S.START_CHAR: start + found,
                            S.END_CHAR: start + found + len(surface),
                            S.TEXT: surface,
                            S.LABEL: label,
                            S.ENTITY_ID: slug(canonical),
                            S.ENTITY_NAME: canonical,
                            "link_method": "model",
                            "link_score": 1.0,
                            "sentence_compound": compound,
                        }
                    )
                    m_index += 1

        if not annotated:
            doc_compound = float("nan")
        elif com.compound is not None:
            doc_compound = float(com.compound)
        else:
            doc_compound = _mean(compounds)
        skip = None if annotated else ("empty" if empty else "not-english")
        corpus_rows.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: doc_id,
                S.DOC_KIND: kind,
                "position": pos,
                "source_id": None,
                "parent_id": f"{thread_id}/c{com.parent}" if com.parent else None,
                "is_reply": com.parent is not None,
                "author_id": None if kind == S.ARTICLE else f"a{pos}",
                "title": (paras[0][0].text if title is not None else None)
                if kind == S.ARTICLE
                else None,
                "published_text": None,
                "published_date": pd.NaT,
                "is_date_estimated": False,
                "is_edited": False,
                "like_count": None,
                S.TEXT: text,
                "text_raw": text,
                "is_empty": empty,
                "is_duplicate": dup_of is not None,
                "duplicate_of": dup_of,
                S.IS_PLACEHOLDER: False,
                "is_duplicate_source_id": False,
                "source_file": "synthetic",
                "source_format": "synthetic",
                "source_record": pos + 1,
            }
        )
        doc_rows.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: doc_id,
                S.DOC_KIND: kind,
                "position": pos,
                "is_empty": empty,
                "is_duplicate": dup_of is not None,
                S.LANG: None if empty else com.lang,
                "lang_score": float("nan") if empty else 0.99,
                "is_english": (not empty) and english,
                "is_annotated": annotated,
                "skip_reason": skip,
                "token_count": token_total if annotated else None,
                "word_count": len(re.findall(r"[A-Za-z]+", text)) if annotated else None,
                "sentence_count": len(doc_sentences) if annotated else None,
                "vader_neg": max(-doc_compound, 0.0) if annotated else float("nan"),
                "vader_neu": 1.0 - abs(doc_compound) if annotated else float("nan"),
                "vader_pos": max(doc_compound, 0.0) if annotated else float("nan"),
                "vader_compound": doc_compound,
                "sentence_compound_mean": _mean(compounds) if annotated else float("nan"),
                "sentiment_label": _label(doc_compound) if annotated else None,
                "mention_count": m_index if annotated else None,
            }
        )

    out = {
        "corpus": S.CORPUS.conform(pd.DataFrame(corpus_rows)),
        "paragraphs": _frame(S.PARAGRAPHS, para_rows),
        "sentences": _frame(S.SENTENCES, sent_rows),
        "documents": S.DOCUMENTS.conform(pd.DataFrame(doc_rows)),
        "mentions": _frame(S.MENTIONS, mention_rows),
    }
    out["entities"] = _entities(out["mentions"], thread_id)
    flags = [d[4].placeholder for d in docs]
    if placeholder_column or any(flags):
        out["corpus"][S.IS_PLACEHOLDER] = pd.array(flags, dtype="boolean")
    return out


def _frame(spec: S.TableSpec, rows: list[dict]) -> pd.DataFrame:
    return spec.conform(pd.DataFrame(rows)) if rows else spec.empty()


def _entities(mentions: pd.DataFrame, thread_id: str) -> pd.DataFrame:
    if mentions.empty:
        return S.ENTITIES.empty()
    rows = []
    for (entity_id, name), grp in mentions.groupby([S.ENTITY_ID, S.ENTITY_NAME], sort=True):
        aliases = grp[S.TEXT].value_counts()
        rows.append(
            {
                S.THREAD_ID: thread_id,
                S.ENTITY_ID: entity_id,
                S.ENTITY_NAME: name,
                S.LABEL: grp[S.LABEL].iloc[0],
                "aliases": " | ".join(aliases.index.astype(str)),
                "mention_count": len(grp),
                "article_mention_count": int((grp[S.DOC_KIND] == S.ARTICLE).sum()),
                "comment_mention_count": int((grp[S.DOC_KIND] == S.COMMENT).sum()),
                "doc_count": grp[S.DOC_ID].nunique(),
                "link_methods": f"model:{len(grp)}",
                **{f"{m}_count": len(grp) if m == "model" else 0 for m in S.LINK_METHODS},
            }
        )
    return S.ENTITIES.conform(pd.DataFrame(rows))


def combine_threads(*threads: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Concatenate several threads' tables into one multi-thread corpus (same keys)."""
    keys = threads[0].keys()
    return {
        key: pd.concat([t[key] for t in threads], ignore_index=True)
        if any(len(t[key]) for t in threads)
        else threads[0][key]
        for key in keys
    }
