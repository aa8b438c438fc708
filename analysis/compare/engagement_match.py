"""Engagement scores of every thread at once: grouped passes instead of a loop over threads.

:func:`engagement_rows` computes what :mod:`.engagement` describes (each comment's best article
paragraph, its score, overlap, similarity and shared entities) for all threads together: one sort
of each input table, one TF-IDF matrix and one entity incidence matrix for the whole corpus, and
numpy segment reductions for the best paragraph of each comment. The cost grows with the comments
and the paragraph pairs, not with the number of threads.

Identity with a per-thread fit
------------------------------
Every column of the two matrices is keyed by *(thread, term)* or *(thread, entity)*, so the
products are block-diagonal: a comment meets only its own thread's paragraphs. The TF-IDF values
are those of scikit-learn's ``TfidfVectorizer(analyzer=str.split)`` fitted on one thread's
paragraphs and comments, float for float: the same integer counts, the same smoothed idf
``log((n + 1) / (df + 1)) + 1`` with ``n`` and ``df`` counted in the thread, the same l2 routine
(:func:`sklearn.preprocessing.normalize`), and each row's terms stored in the order of their first
appearance in the thread (the order the vectorizer leaves them in), so every sum of squares and
every dot product adds the same numbers in the same order. The regression test
``tests/test_engagement_grouped.py`` checks a multi-thread corpus against one run per thread.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.scope import usable_mask
from analysis.compare.token_codes import code_tokens

#: Weights of the two evidence kinds in the combined score (they sum to 1).
ENTITY_WEIGHT = 0.5
LEMMA_WEIGHT = 0.5

_SEP = "\x1f"


#: The columns of each input that engagement reads.
_SENTENCE_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.SENTENCE_ID, "sentence_index", S.PARAGRAPH_ID,
                     "lemmas")  # fmt: skip
_MENTION_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.SENTENCE_ID, S.ENTITY_ID)
_PARAGRAPH_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.PARAGRAPH_ID, "paragraph_index")


def _key(frame: pd.DataFrame) -> pd.Series:
    """``thread_id <US> doc_id`` per row (a document is named within its thread)."""
    return frame[S.THREAD_ID].astype(str) + _SEP + frame[S.DOC_ID].astype(str)


def _usable_rows(
    sentences: pd.DataFrame, documents: pd.DataFrame, mentions: pd.DataFrame, threads: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, set[str]]:
    """Usable comments (by thread, position), sentences (by thread, doc, index), linked
    mentions, and the keys of the usable articles."""
    rank = {t: i for i, t in enumerate(threads)}
    # only the columns engagement reads: the assign, filter and sort below copy what they get
    sentences = sentences[list(_SENTENCE_COLUMNS)]
    mentions = mentions[list(_MENTION_COLUMNS)]
    docs = documents.loc[usable_mask(documents) & documents[S.THREAD_ID].notna()]
    docs = docs.assign(_t=docs[S.THREAD_ID].astype(str).map(rank), _key=_key(docs))
    docs = docs.loc[docs["_t"].notna()]
    usable = set(docs["_key"])
    article_keys = set(docs.loc[docs[S.DOC_KIND] == S.ARTICLE, "_key"])
    comments = docs.loc[docs[S.DOC_KIND] == S.COMMENT].sort_values(
        ["_t", "position", S.DOC_ID], kind="stable"
    )
    sents = sentences.assign(_key=_key(sentences))
    sents = sents.loc[sents["_key"].isin(usable) & sents[S.THREAD_ID].notna()]
    sents = sents.assign(_t=sents[S.THREAD_ID].astype(str).map(rank)).sort_values(
        ["_t", S.DOC_ID, "sentence_index"], kind="stable"
    )
    ments = mentions.assign(_key=_key(mentions))
    ments = ments.loc[mentions[S.ENTITY_ID].notna() & ments["_key"].isin(usable)]
    return comments, sents, ments, article_keys


def _joined_lemmas(keys: list, lemmas: list) -> dict:
    """The non-blank lemmas joined per key, rows in order (missing keys skipped)."""
    parts: dict = {}
    for k, v in zip(keys, lemmas, strict=True):
        if k is None:
            continue
        texts = parts.setdefault(k, [])
        if not pd.isna(v) and str(v).strip():
            texts.append(str(v))
    return {k: " ".join(t) for k, t in parts.items()}


def _slots(
    paragraphs: pd.DataFrame,
    sents: pd.DataFrame,
    ments: pd.DataFrame,
    article_keys: set[str],
    threads: list[str],
) -> tuple[list[list[str]], dict, dict]:
    """Per thread, the article's paragraph ids in order (a sentence's paragraph missing from the
    paragraphs table added at the end); ``(thread, paragraph) -> lemma text`` and
    ``(thread, paragraph) -> entity ids``."""
    paragraphs = paragraphs[list(_PARAGRAPH_COLUMNS)]  # not the texts
    paras = paragraphs.loc[_key(paragraphs).isin(article_keys)].sort_values(
        [S.DOC_ID, "paragraph_index"], kind="stable"
    )
    slot_ids: dict[str, list[str]] = {t: [] for t in threads}
    for tid, pid in zip(
        paras[S.THREAD_ID].astype(str), paras[S.PARAGRAPH_ID].astype(str), strict=True
    ):
        if tid in slot_ids:
            slot_ids[tid].append(pid)
    art = sents.loc[sents["_key"].isin(article_keys)]
    tids = art[S.THREAD_ID].astype(str).tolist()
    pids = art[S.PARAGRAPH_ID].astype("string").tolist()
    seen = {t: set(ids) for t, ids in slot_ids.items()}
    for tid, pid in zip(tids, pids, strict=True):
        if pid is not pd.NA and pid not in seen[tid]:
            seen[tid].add(pid)
            slot_ids[tid].append(pid)
    text = _joined_lemmas(
        [None if p is pd.NA else (t, p) for t, p in zip(tids, pids, strict=True)],
        art["lemmas"].tolist(),
    )
    # an article mention belongs to the paragraph of its sentence (the last row of a sentence id)
    para_of = dict(zip(zip(tids, art[S.SENTENCE_ID].astype(str), strict=True), pids, strict=True))
    entities: dict = {}
    art_ments = ments.loc[ments["_key"].isin(article_keys)]
    for tid, sid, eid in zip(
        art_ments[S.THREAD_ID].astype(str),
        art_ments[S.SENTENCE_ID].astype("string"),
        art_ments[S.ENTITY_ID].astype(str),
        strict=True,
    ):
        pid = para_of.get((tid, str(sid))) if sid is not pd.NA else None
        if pid is not None and pid is not pd.NA:
            entities.setdefault((tid, str(pid)), set()).add(eid)
    return [slot_ids[t] for t in threads], text, entities


def _incidence(rows: np.ndarray, keys: np.ndarray, n_rows: int) -> object:
    """A CSR matrix counting each ``(row, key)``; columns number the keys in first-seen order.

    ``keys`` are int64 codes; each row's entries are stored by column (first-seen order).
    """
    from scipy import sparse

    cols, uniques = pd.factorize(keys, sort=False)
    matrix = sparse.csr_matrix(
        (np.ones(len(cols)), (rows, cols)), shape=(n_rows, max(len(uniques), 1))
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix, uniques


def _tokens(texts: list[str], doc_thread: np.ndarray, keep: np.ndarray) -> tuple:
    """Rows, ``thread * width + term`` codes and the width, for every whitespace token of the
    docs whose thread is kept (terms numbered in first-seen order, a chunk of docs at a time)."""
    vocab: dict[str, int] = {}
    counts, terms = code_tokens(texts, vocab, keep=keep[doc_thread])
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
    width = max(len(vocab), 1)
    return rows, doc_thread[rows].astype(np.int64) * width + terms, width


def _tfidf(texts: list[str], doc_thread: np.ndarray, fitted: np.ndarray) -> object:
    """L2-normalised TF-IDF rows, the idf of each (thread, term) counted within its thread.

    ``fitted`` marks the threads whose vectorizer is fitted (the others get zero rows).
    """
    from sklearn.preprocessing import normalize

    rows, keys, width = _tokens(texts, doc_thread, fitted)
    matrix, uniques = _incidence(rows, keys, len(texts))
    thread_of_col = np.asarray(uniques, dtype=np.int64) // width
    docs_in = np.bincount(doc_thread, minlength=len(fitted))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])[: len(uniques)]
    df = df.astype(np.float64)
    df += 1.0
    idf = (docs_in[thread_of_col] + 1).astype(np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    matrix.data *= idf[matrix.indices]
    return normalize(matrix, norm="l2", copy=False)


def _pair_values(product: object, pair_start: np.ndarray, slot_start: np.ndarray) -> np.ndarray:
    """A block-diagonal ``comments x slots`` product laid out as the pair vector."""
    coo = product.tocoo()
    out = np.zeros(int(pair_start[-1]))
    out[pair_start[coo.row] + coo.col - slot_start[coo.row]] = coo.data
    return out


def _best(scores: np.ndarray, pair_start: np.ndarray) -> np.ndarray:
    """Pair index of each comment's first maximum (ties: the earlier paragraph)."""
    starts = pair_start[:-1]
    top = np.maximum.reduceat(scores, starts)
    lengths = np.diff(pair_start)
    local = np.arange(len(scores)) - np.repeat(starts, lengths)
    first = np.where(scores == np.repeat(top, lengths), local, np.iinfo(np.int64).max)
    return starts + np.minimum.reduceat(first, starts)


def _shared(
    comment_ents: dict, slot_ents: list, best_slot: np.ndarray, names: dict[str, str]
) -> list:
    """`` | ``-joined names of the entities a comment shares with its best paragraph (or NA)."""
    out: list = [pd.NA] * len(best_slot)
    for ci, ents in comment_ents.items():
        common = ents & slot_ents[best_slot[ci]]
        if common:
            shared = sorted((names.get(e, e) for e in common), key=lambda n: (n.lower(), n))
            out[ci] = " | ".join(shared)
    return out


def _comment_evidence(
    comments: pd.DataFrame, sents: pd.DataFrame, ments: pd.DataFrame
) -> tuple[list[str], dict[int, set[str]]]:
    """Each comment's lemma text (by row) and the entities each names (row -> entity ids)."""
    com_text = _joined_lemmas(sents["_key"].tolist(), sents["lemmas"].tolist())
    c_keys = comments["_key"].tolist()
    row_of = {k: i for i, k in enumerate(c_keys)}
    c_ents: dict[int, set[str]] = {}
    for k, eid in zip(ments["_key"], ments[S.ENTITY_ID].astype(str), strict=True):
        if k in row_of:
            c_ents.setdefault(row_of[k], set()).add(eid)
    return [com_text.get(k, "") for k in c_keys], c_ents


def engagement_rows(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    threads: list[str],
    names: dict[str, str],
    threshold: float,
) -> pd.DataFrame:
    """Engagement rows of every usable comment of ``threads`` (see :mod:`.engagement`).

    Returns:
        A frame with the columns of :data:`schema.ENGAGEMENT` (not yet conformed), threads in
        the order given, comments by position then doc id; a thread whose article has no
        paragraph with lemmas or entities gets NaN scores and a missing verdict.
    """
    comments, sents, ments, article_keys = _usable_rows(sentences, documents, mentions, threads)
    slot_ids, slot_text, slot_entities = _slots(paragraphs, sents, ments, article_keys, threads)
    # the scorable paragraphs: some lemma text or some entity
    slots = [
        [p for p in ids if slot_text.get((threads[t], p)) or slot_entities.get((threads[t], p))]
        for t, ids in enumerate(slot_ids)
    ]
    c_thread = comments["_t"].to_numpy(dtype=np.int64)
    c_tid = comments[S.THREAD_ID].astype(str).tolist()
    c_doc = comments[S.DOC_ID].astype(str).tolist()
    c_texts, c_ents = _comment_evidence(comments, sents, ments)
    n_slots = np.array([len(s) for s in slots], dtype=np.int64)
    slot_thread = np.repeat(np.arange(len(threads)), n_slots)
    slot_pid = [p for ids in slots for p in ids]
    slot_texts = [
        slot_text.get((threads[t], p), "") for t, p in zip(slot_thread, slot_pid, strict=True)
    ]
    slot_ents = [
        slot_entities.get((threads[t], p), set())
        for t, p in zip(slot_thread, slot_pid, strict=True)
    ]
    scored = n_slots[c_thread] > 0
    out = pd.DataFrame(
        {
            S.THREAD_ID: c_tid,
            S.DOC_ID: c_doc,
            S.PARAGRAPH_ID: pd.array([pd.NA] * len(c_doc), dtype="string"),
            "score": np.nan,
            "entity_overlap": np.nan,
            "lemma_similarity": np.nan,
            "is_off_article": pd.array([pd.NA] * len(c_doc), dtype="boolean"),
            "shared_entities": pd.array([pd.NA] * len(c_doc), dtype="string"),
        }
    )
    if not scored.any():
        return out
    pair_n = np.where(scored, n_slots[c_thread], 0)
    sc = np.flatnonzero(scored)
    # only scored comments take part in pairs
    pair_start = np.concatenate([[0], np.cumsum(pair_n[sc])])
    slot_start = np.concatenate([[0], np.cumsum(n_slots)])[c_thread[sc]]
    cosine = _cosine_pairs(c_texts, c_thread, slot_texts, slot_thread, sc, pair_start, slot_start)
    overlap = _jaccard_pairs(c_ents, c_thread, slot_ents, slot_thread, sc, pair_start, slot_start)
    scores = ENTITY_WEIGHT * overlap + LEMMA_WEIGHT * cosine
    best = _best(scores, pair_start)
    score = scores[best]
    anchored = score > 0
    best_slot = slot_start + (best - pair_start[:-1])
    pids = np.array(slot_pid, dtype=object)[best_slot] if len(slot_pid) else np.array([])
    out.loc[sc, S.PARAGRAPH_ID] = np.where(anchored, pids, None)
    out.loc[sc, "score"] = score
    out.loc[sc, "entity_overlap"] = np.where(anchored, overlap[best], 0.0)
    out.loc[sc, "lemma_similarity"] = np.where(anchored, cosine[best], 0.0)
    out.loc[sc, "is_off_article"] = score < threshold
    sub_ents = {i: c_ents[c] for i, c in enumerate(sc) if c in c_ents}
    shared = _shared(sub_ents, slot_ents, best_slot, names)
    out.loc[sc, "shared_entities"] = pd.array(shared, dtype="string")
    return out


def _cosine_pairs(c_texts, c_thread, slot_texts, slot_thread, sc, pair_start, slot_start):
    """TF-IDF cosine of each scored comment with each scorable paragraph of its thread."""
    n_threads = int(max(c_thread.max(initial=-1), slot_thread.max(initial=-1))) + 1
    has_comment = np.zeros(n_threads, dtype=bool)
    has_para = np.zeros(n_threads, dtype=bool)
    has_comment[[c_thread[i] for i in sc if c_texts[i]]] = True
    has_para[[t for t, text in zip(slot_thread, slot_texts, strict=True) if text]] = True
    fitted = has_comment & has_para
    texts = slot_texts + [c_texts[i] for i in sc]
    doc_thread = np.concatenate([slot_thread, c_thread[sc]]).astype(np.int64)
    matrix = _tfidf(texts, doc_thread, fitted)
    paras, coms = matrix[: len(slot_texts)], matrix[len(slot_texts) :]
    product = coms @ paras.T
    product.data = np.clip(product.data, 0.0, 1.0)
    return _pair_values(product, pair_start, slot_start)


def _jaccard_pairs(c_ents, c_thread, slot_ents, slot_thread, sc, pair_start, slot_start):
    """Jaccard overlap of the entity sets of each scored comment and each paragraph slot."""
    slot_list = [sorted(e) for e in slot_ents]
    com_list = [sorted(c_ents.get(ci, ())) for ci in sc]
    names, _ = pd.factorize(np.array(list(chain.from_iterable(slot_list + com_list)), dtype=object))
    width = int(names.max(initial=0)) + 1
    n_slot_ents = np.fromiter((len(e) for e in slot_list), np.int64, len(slot_list))
    n_com_ents = np.fromiter((len(e) for e in com_list), np.int64, len(com_list))
    slot_rows = np.repeat(np.arange(len(slot_list), dtype=np.int64), n_slot_ents)
    com_rows = np.repeat(np.arange(len(com_list), dtype=np.int64), n_com_ents)
    keys = np.concatenate(
        [
            slot_thread[slot_rows].astype(np.int64) * width + names[: len(slot_rows)],
            c_thread[sc][com_rows].astype(np.int64) * width + names[len(slot_rows) :],
        ]
    )
    both, _ = _incidence(
        np.concatenate([slot_rows, com_rows + len(slot_list)]),
        keys,
        len(slot_list) + len(com_list),
    )
    paras, coms = both[: len(slot_list)], both[len(slot_list) :]
    common = _pair_values(coms @ paras.T, pair_start, slot_start)
    lengths = np.diff(pair_start)
    local = np.arange(int(pair_start[-1])) - np.repeat(pair_start[:-1], lengths)
    size_c = np.repeat(n_com_ents, lengths).astype(np.float64)
    size_p = n_slot_ents[np.repeat(slot_start, lengths) + local].astype(np.float64)
    union = size_c + size_p - common
    return np.divide(common, union, out=np.zeros_like(common), where=union > 0)
