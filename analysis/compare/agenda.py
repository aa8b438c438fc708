"""Agenda: whom the article talks about and whom the commenters talk about.

Method
------
Agenda-setting research compares the salience of objects (here: actors, places, groups) in the
news with their salience in the audience (McCombs and Shaw 1972); salience is measured, as in
content-analytic work, by mention frequency. The unit is the canonical entity of the annotate
stage (the ``mentions`` table's ``entity_id``), so "Mr Biden", "Biden" and "Joe Biden" count as one.

Per entity and thread:

- ``article_mention_share`` / ``comment_mention_share``: its mentions over all entity mentions on
  that side (each side's shares sum to 1 when the side has any mention);
- ``mention_share_diff``: comment share minus article share (positive: the commenters give the
  actor more of their attention than the article does);
- ``article_doc_share``: share of the article's paragraphs (title included, as the title is part
  of what the article says) holding at least one mention; a mention belongs to the paragraph of its
  sentence, or, when that is missing, to the paragraph whose character span holds its offset;
- ``comment_doc_share``: share of annotated comments mentioning it;
- ``presence``: ``both``, ``article_only`` or ``comments_only``.

Which entities rank as actors
-----------------------------
A named-entity model makes occasional false positives (a common word read as a name); one of them,
repeated inside one comment or spread by a thread-wide gazetteer from one place, must not become a
"top actor". So an entity is **ranked** (``is_ranked``) only when at least :data:`MIN_SUPPORT`
independent places name it (``support_count``): each article paragraph that mentions it counts
once, and each comment author who mentions it counts once (a comment whose author is unknown
counts as its own author; when the corpus has no authors, each comment counts once). Two comments
by one author (spam, a copy-pasted comment) are one place. Rows below the line stay in the table,
flagged ``is_ranked = False``, with their counts and shares (the shares' denominators still count
every mention); top-actor lists, headlines and charts read only ranked rows.
``comment_support`` is the number of distinct comments mentioning the entity and
``author_support`` the number of distinct known authors among them (missing when none is known).

Only annotated English documents count. A share is NaN when its denominator is zero (no article
mentions, no annotated comments), never 0: "nothing to divide" is not "not mentioned".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.scope import Stacked, ThreadRows, analysed_columns, require, stacked_scopes
from analysis.compare.tone import most_frequent_by

#: An entity ranks as an actor only when at least this many independent places name it (article
#: paragraphs plus comment authors): a single mention, or one author repeating a word, is not
#: evidence that a model's span is an actor. Two is the least that rules out a single source.
MIN_SUPPORT = 2


#: The mention columns :func:`agenda_table` reads.
_MENTION_COLUMNS = (
    S.THREAD_ID,
    S.DOC_ID,
    S.DOC_KIND,
    S.SENTENCE_ID,
    S.START_CHAR,
    S.ENTITY_ID,
    S.ENTITY_NAME,
    S.LABEL,
)


def _pair_codes(*pairs: tuple[np.ndarray, pd.Series]) -> list[np.ndarray]:
    """One int64 code per row for each ``(scope code, ids)`` pair, equal exactly when the scope
    codes are equal and the ids are equal as strings (``astype(str)``, so a missing id matches a
    missing id written the same way), comparable across the pairs."""
    ids = pd.concat([pd.Series(i).reset_index(drop=True) for _, i in pairs], ignore_index=True)
    values, width = _text_codes(ids)
    out, start = [], 0
    for code, part in pairs:
        stop = start + len(part)
        out.append(np.asarray(code, dtype="int64") * width + values[start:stop])
        start = stop
    return out


def _text_codes(ids: pd.Series) -> tuple[np.ndarray, int]:
    """``(codes, width)``: codes in ``[0, width)`` equal exactly where ``ids.astype(str)`` are.

    Pandas strings are factorised as they are (fast); their missing values take the code of
    the text ``str(pd.NA)`` (what ``astype(str)`` writes for them). Other dtypes go through the
    conversion.
    """
    if not isinstance(ids.dtype, pd.StringDtype):
        values, uniques = pd.factorize(ids.to_numpy(dtype=object).astype(str))
        return values.astype("int64"), len(uniques) + 1
    values, uniques = pd.factorize(ids)
    same = np.flatnonzero(np.asarray(uniques, dtype=object) == str(pd.NA))
    missing = int(same[0]) if len(same) else len(uniques)
    return np.where(values < 0, missing, values).astype("int64"), len(uniques) + 1


def _mention_paragraphs(
    ments: pd.DataFrame, code: np.ndarray, sentences: Stacked, paragraphs: ThreadRows, scopes: list
) -> pd.Series:
    """paragraph_id of each mention (positional), from the sentences of the mention's scope.

    A mention belongs to the paragraph of its sentence (the first sentence row with that id in
    the scope), or, when that is missing, to the first paragraph of its document whose character
    span holds its offset.
    """
    frame = sentences.frame
    sentence_keys, mention_keys = _pair_codes(
        (sentences.code, frame[S.SENTENCE_ID]), (code, ments[S.SENTENCE_ID])
    )
    first_keys, first = np.unique(sentence_keys, return_index=True)
    where = pd.Index(first_keys).get_indexer(mention_keys)
    found = np.full(len(where), None, dtype=object)
    hit = where >= 0
    found[hit] = frame[S.PARAGRAPH_ID].to_numpy(dtype=object)[first][where[hit]]
    para = pd.Series(found, dtype=object).astype("string")
    for i in np.flatnonzero(para.isna().to_numpy(dtype=bool)):
        scope_paragraphs = paragraphs(scopes[code[i]])
        doc_id, start = ments[S.DOC_ID].iloc[i], ments[S.START_CHAR].iloc[i]
        if scope_paragraphs.empty or pd.isna(start):
            continue
        hit = scope_paragraphs[
            (scope_paragraphs[S.DOC_ID] == doc_id)
            & (scope_paragraphs[S.START_CHAR] <= start)
            & (scope_paragraphs[S.END_CHAR] > start)
        ]
        if not hit.empty:
            para.iloc[i] = hit[S.PARAGRAPH_ID].iloc[0]
    return para


def _article_paragraph_counts(
    documents: Stacked, sentences: Stacked, paragraphs: Stacked
) -> np.ndarray:
    """Per scope: distinct paragraph ids of the usable article (from paragraphs and sentences)."""
    docs = documents.frame
    is_article = documents.usable & (docs[S.DOC_KIND] == S.ARTICLE).fillna(False).to_numpy(bool)
    articles, *doc_keys = _pair_codes(
        (documents.code[is_article], docs[S.DOC_ID][is_article]),
        *((table.code, table.frame[S.DOC_ID]) for table in (paragraphs, sentences)),
    )
    codes, ids = [], []
    for table, keys in zip((paragraphs, sentences), doc_keys, strict=True):
        frame = table.frame
        inside = np.isin(keys, articles) & frame[S.PARAGRAPH_ID].notna().to_numpy(dtype=bool)
        codes.append(table.code[inside])
        ids.append(frame[S.PARAGRAPH_ID].to_numpy(dtype=object)[inside])
    seen = set(
        zip(np.concatenate(codes).tolist(), (str(i) for i in np.concatenate(ids)), strict=True)
    )
    counts = np.zeros(len(documents.scopes), dtype="int64")
    for code, _ in seen:
        counts[code] += 1
    return counts


def _entity_labels(
    ments: pd.DataFrame, code: np.ndarray, entities: pd.DataFrame | None, scopes: list
) -> dict[tuple, object]:
    """``{(scope code, entity_id): label}``: the mentions' most frequent label, overridden by the
    entities table's (the scope's rows; every row for the pooled scope; first row per entity)."""
    out = most_frequent_by(code, ments[S.ENTITY_ID], ments[S.LABEL])
    if entities is None or entities.empty:
        return out
    known = entities.dropna(subset=[S.LABEL])
    per_thread: dict[str, dict[str, str]] = {}
    pooled: dict[str, str] = {}
    for tid, e, label in zip(
        known[S.THREAD_ID].astype(str),
        known[S.ENTITY_ID].astype(str),
        known[S.LABEL].astype(str),
        strict=True,
    ):
        per_thread.setdefault(tid, {}).setdefault(e, label)
        pooled.setdefault(e, label)
    for k, scope in enumerate(scopes):
        found = pooled if scope == S.POOLED else per_thread.get(scope, {})
        out.update({(k, e): label for e, label in found.items()})
    return out


def _text_or_none(frame: pd.DataFrame, column: str) -> np.ndarray:
    """``column`` as an object array of strings, ``None`` where missing or absent."""
    if column not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    values = frame[column]
    missing = values.isna().to_numpy(dtype=bool)
    out = values.astype(str).to_numpy(dtype=object)
    out[missing] = None
    return out


def actor_support(
    mentions: pd.DataFrame,
    *,
    by: Sequence[str] = (S.ENTITY_ID,),
    min_support: int = MIN_SUPPORT,
) -> pd.DataFrame:
    """How many independent places name each entity, and whether it ranks as an actor.

    The rule of the module docstring ("Which entities rank as actors"), as one function the
    agenda and the linking benchmark share.

    Args:
        mentions: one row per mention with the ``by`` columns, ``doc_kind`` and ``doc_id``;
            optional ``paragraph_id`` (the article paragraph of an article mention; without it
            the article counts as one place) and ``author_id`` (a comment's author; missing or
            absent: each comment its own author). Rows with a missing ``by`` value are skipped.
        by: the columns naming an entity (``("thread_id", "entity_id")`` for several threads).
        min_support: places needed to rank.

    Returns:
        One row per ``by`` key: the ``by`` columns, comment_support (distinct comments),
        author_support (distinct known authors of those comments, ``<NA>`` when none is known),
        support_count (article paragraphs plus comment authors), is_ranked
        (``support_count >= min_support``).
    """
    by = list(by)
    kind = mentions[S.DOC_KIND]
    is_com = (kind == S.COMMENT).fillna(False).to_numpy(dtype=bool)
    is_art = (kind == S.ARTICLE).fillna(False).to_numpy(dtype=bool)
    docs = np.array([f"{d}" for d in mentions[S.DOC_ID].tolist()], dtype=object)
    authors = _text_or_none(mentions, S.AUTHOR_ID)
    paras = _text_or_none(mentions, S.PARAGRAPH_ID)
    has_author, has_para = pd.notna(authors), pd.notna(paras)
    source = np.where(has_para, "p\x1f" + paras.astype(str), "d\x1f" + docs)
    source = np.where(
        is_com, np.where(has_author, "a\x1f" + authors.astype(str), "c\x1f" + docs), source
    )
    frame = mentions[by].assign(
        _source=np.where(is_art | is_com, source, None),
        _comment=np.where(is_com, docs, None),
        _author=np.where(is_com & has_author, authors, None),
    )
    grouped = frame.groupby(by, sort=True)
    group = grouped.ngroup().fillna(-1).to_numpy(dtype="int64")  # -1: a missing key
    keys = grouped.size().index
    out = pd.DataFrame(
        {
            S.COMMENT_SUPPORT: _distinct_per_group(group, keys, frame["_comment"]),
            S.AUTHOR_SUPPORT: _distinct_per_group(group, keys, frame["_author"]),
            S.SUPPORT_COUNT: _distinct_per_group(group, keys, frame["_source"]),
        }
    ).reset_index()
    out[S.AUTHOR_SUPPORT] = out[S.AUTHOR_SUPPORT].astype("Int64").mask(out[S.AUTHOR_SUPPORT] == 0)
    out[S.IS_RANKED] = out[S.SUPPORT_COUNT] >= min_support
    return out


def _distinct_per_group(group: np.ndarray, keys: pd.Index, values: pd.Series) -> pd.Series:
    """``groupby(...)[values].nunique()`` from the rows' group numbers (``ngroup``; -1 skipped)
    on integer codes: distinct non-missing values per group, on the groups' index ``keys``."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    ok = (group >= 0) & (codes >= 0)
    width = len(uniques) + 1
    pairs = np.unique(group[ok] * width + codes[ok])
    counts = np.bincount(pairs // width, minlength=len(keys)).astype("int64")
    return pd.Series(counts, index=keys)


def agenda_table(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    corpus: pd.DataFrame | None = None,
    pooled: bool = True,
) -> pd.DataFrame:
    """Agenda per canonical entity: shares of mentions and documents on each side.

    Args:
        mentions: the ``mentions`` table (one or several threads).
        sentences: the ``sentences`` table (for each mention's paragraph).
        documents: the ``documents`` table (only annotated English documents count).
        paragraphs: the ``paragraphs`` table (the article's paragraphs are the denominator of
            ``article_doc_share``).
        entities: the ``entities`` table, if available (preferred source of each entity's label).
        corpus: the ``corpus`` table, if available (its ``author_id``: two comments by one
            author are one place of support; without it each comment counts once).
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        :data:`schema.AGENDA`: thread_id, entity_id, entity_name, label, article_mention_count,
        comment_mention_count, article_mention_share, comment_mention_share, mention_share_diff,
        article_doc_share, comment_doc_share, presence, comment_support, author_support,
        support_count, is_ranked (see "Which entities rank as actors"; every entity keeps its
        row). Rows sorted by total mentions (descending), then entity_id.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    for spec, frame in (
        (S.MENTIONS, mentions),
        (S.SENTENCES, sentences),
        (S.DOCUMENTS, documents),
        (S.PARAGRAPHS, paragraphs),
    ):
        require(frame, analysed_columns(spec), table=spec.name)
    has_entities = entities is not None and not entities.empty
    # Only the columns read below are stacked (each scope copies its rows).
    mention_rows = stacked_scopes(
        mentions[list(_MENTION_COLUMNS)].copy(deep=False), documents, pooled=pooled
    )
    positions, _ = mention_rows.bounds(mention_rows.usable)
    if not len(positions):
        return S.AGENDA.empty()
    ments = mention_rows.frame.iloc[positions].reset_index(drop=True)
    code = mention_rows.code[positions]
    scope_list = mention_rows.scopes
    sentence_rows = stacked_scopes(
        sentences[[S.THREAD_ID, S.DOC_ID, S.SENTENCE_ID, S.PARAGRAPH_ID]], documents, pooled=pooled
    )
    ments["_paragraph"] = _mention_paragraphs(
        ments, code, sentence_rows, ThreadRows(paragraphs), scope_list
    )
    document_rows = stacked_scopes(
        documents[[S.THREAD_ID, S.DOC_ID, S.DOC_KIND]], documents, pooled=pooled
    )
    paragraph_ids = paragraphs[[S.THREAD_ID, S.DOC_ID, S.PARAGRAPH_ID]]
    n_paragraphs = _article_paragraph_counts(
        document_rows, sentence_rows, stacked_scopes(paragraph_ids, documents, pooled=pooled)
    )
    is_comment = (document_rows.frame[S.DOC_KIND] == S.COMMENT).fillna(False).to_numpy(bool)
    n_comments = np.bincount(
        document_rows.code[document_rows.usable & is_comment], minlength=len(scope_list)
    )
    out = _agenda_counts(ments, code, n_paragraphs, n_comments)
    names = most_frequent_by(code, ments[S.ENTITY_ID], ments[S.ENTITY_NAME])
    labels = _entity_labels(ments, code, entities if has_entities else None, scope_list)
    keys = list(zip(out["_code"].tolist(), out[S.ENTITY_ID].tolist(), strict=True))
    out[S.ENTITY_NAME] = pd.array([names.get(key, pd.NA) for key in keys], dtype="string")
    out[S.LABEL] = [labels.get(key, pd.NA) for key in keys]
    out[S.THREAD_ID] = np.asarray(scope_list, dtype=object)[out["_code"].to_numpy()]
    out = _with_support(out, ments, code, _authors_of(ments, corpus))
    return S.AGENDA.conform(out.drop(columns="_code"))


def _authors_of(ments: pd.DataFrame, corpus: pd.DataFrame | None) -> pd.Series:
    """The corpus's ``author_id`` of each mention's document (missing when unknown)."""
    if corpus is None or corpus.empty or S.AUTHOR_ID not in corpus.columns:
        return pd.Series(pd.NA, index=ments.index, dtype="string")
    known = corpus.dropna(subset=[S.AUTHOR_ID]).drop_duplicates(S.DOC_ID)
    author_of = pd.Series(
        known[S.AUTHOR_ID].astype(str).to_numpy(), index=known[S.DOC_ID].astype(str).to_numpy()
    )
    return ments[S.DOC_ID].astype(str).map(author_of).astype("string")


def _with_support(
    out: pd.DataFrame, ments: pd.DataFrame, code: np.ndarray, authors: pd.Series
) -> pd.DataFrame:
    """``out`` with the :func:`actor_support` columns of each (scope, entity)."""
    rows = pd.DataFrame(
        {
            "_code": code,
            S.ENTITY_ID: ments[S.ENTITY_ID].to_numpy(dtype=object),
            S.DOC_KIND: ments[S.DOC_KIND].to_numpy(dtype=object),
            S.DOC_ID: ments[S.DOC_ID].to_numpy(dtype=object),
            S.PARAGRAPH_ID: ments["_paragraph"].to_numpy(dtype=object),
            S.AUTHOR_ID: authors.to_numpy(dtype=object),
        }
    )
    support = actor_support(rows, by=("_code", S.ENTITY_ID))
    support[S.ENTITY_ID] = support[S.ENTITY_ID].astype(str)
    index = pd.MultiIndex.from_arrays([out["_code"], out[S.ENTITY_ID].astype(str)])
    found = support.set_index(["_code", S.ENTITY_ID]).reindex(index)
    out = out.copy()
    out[S.COMMENT_SUPPORT] = found[S.COMMENT_SUPPORT].fillna(0).to_numpy(dtype="int64")
    out[S.AUTHOR_SUPPORT] = found[S.AUTHOR_SUPPORT].astype("Int64").to_numpy()
    out[S.SUPPORT_COUNT] = found[S.SUPPORT_COUNT].fillna(0).to_numpy(dtype="int64")
    out[S.IS_RANKED] = found[S.IS_RANKED].fillna(False).to_numpy(dtype=bool)
    return out


def _agenda_counts(
    ments: pd.DataFrame, code: np.ndarray, n_paragraphs: np.ndarray, n_comments: np.ndarray
) -> pd.DataFrame:
    """The count and share columns of every (scope, entity), sorted as the agenda is: by scope
    code, then total mentions (descending), then entity_id; ``_code`` holds the scope code."""
    entity = ments[S.ENTITY_ID].astype(str).to_numpy(dtype=object)
    valid = ments[S.ENTITY_ID].notna().to_numpy(dtype=bool)
    kind = ments[S.DOC_KIND]
    is_art = (kind == S.ARTICLE).fillna(False).to_numpy(dtype=bool)
    is_com = (kind == S.COMMENT).fillna(False).to_numpy(dtype=bool)
    n_scopes = len(n_paragraphs)
    total_art = np.bincount(code[is_art], minlength=n_scopes)
    total_com = np.bincount(code[is_com], minlength=n_scopes)
    frame = pd.DataFrame({"_code": code, S.ENTITY_ID: entity})
    out = frame.drop_duplicates().reset_index(drop=True)
    index = pd.MultiIndex.from_frame(out)

    def per_entity(rows: np.ndarray, column: str | None) -> np.ndarray:
        sub = frame[rows & valid].assign(_v=ments.loc[rows & valid, column] if column else 0)
        grouped = sub.groupby(["_code", S.ENTITY_ID])["_v"]
        counted = grouped.nunique() if column else grouped.size()
        return counted.reindex(index, fill_value=0).to_numpy(dtype="int64")

    out["article_mention_count"] = per_entity(is_art, None)
    out["comment_mention_count"] = per_entity(is_com, None)
    c = out["_code"].to_numpy()
    nan = float("nan")
    for side, totals in (("article", total_art), ("comment", total_com)):
        counts = out[f"{side}_mention_count"].to_numpy(dtype="float64")
        denom = totals[c]
        out[f"{side}_mention_share"] = np.where(denom > 0, counts / np.maximum(denom, 1), nan)
    out["mention_share_diff"] = out["comment_mention_share"] - out["article_mention_share"]
    paras = per_entity(is_art, "_paragraph").astype("float64")
    docs = per_entity(is_com, S.DOC_ID).astype("float64")
    out["article_doc_share"] = np.where(
        n_paragraphs[c] > 0, paras / np.maximum(n_paragraphs[c], 1), nan
    )
    out["comment_doc_share"] = np.where(n_comments[c] > 0, docs / np.maximum(n_comments[c], 1), nan)
    a, m = out["article_mention_count"] > 0, out["comment_mention_count"] > 0
    out["presence"] = np.where(a & m, "both", np.where(a, "article_only", "comments_only"))
    total = out["article_mention_count"] + out["comment_mention_count"]
    order = np.lexsort((out[S.ENTITY_ID].to_numpy(dtype=str), -total.to_numpy(), c))
    return out.iloc[order].reset_index(drop=True)


def ranked_rows(agenda: pd.DataFrame) -> pd.DataFrame:
    """The agenda rows ranked as actors (``is_ranked``), for top-actor lists and headlines.

    A frame without the column (built by hand, or by an older version) is returned whole.
    Totals and shares must still be read from all rows: unranked entities' mentions count in
    every denominator.
    """
    return agenda[ranked_mask(agenda)]


def ranked_mask(agenda: pd.DataFrame) -> pd.Series:
    """Per agenda row: is it ranked as an actor (``is_ranked``; missing counts as not ranked).

    Returns:
        A boolean Series on ``agenda``'s index; all True when the frame lacks the column.
    """
    if S.IS_RANKED not in agenda.columns:
        return pd.Series(True, index=agenda.index)
    return agenda[S.IS_RANKED].fillna(False).astype(bool)


def presence_lists(agenda: pd.DataFrame, *, thread_id: str) -> dict[str, list[str]]:
    """Names of the ranked actors (:func:`ranked_rows`) per presence value for one thread, most
    mentioned first.

    Returns:
        ``{"both": [...], "article_only": [...], "comments_only": [...]}``.
    """
    agenda = ranked_rows(agenda)
    rows = agenda[agenda[S.THREAD_ID] == thread_id]
    out: dict[str, list[str]] = {}
    for value in S.PRESENCE_VALUES:
        sub = rows[rows["presence"] == value]
        total = sub["article_mention_count"].astype("float64") + sub[
            "comment_mention_count"
        ].astype("float64")
        order = np.lexsort((sub[S.ENTITY_ID].astype(str).to_numpy(), -total.to_numpy()))
        out[value] = [str(sub[S.ENTITY_NAME].iloc[i]) for i in order]
    return out
