"""The reply tree of each thread: depth, roots, replies, chains, exchanges and a network export.

Comments are the corpus rows with ``doc_kind == "comment"`` (platform placeholders excluded when the
corpus has :data:`analysis.schema.IS_PLACEHOLDER`); tone comes from the ``documents`` table
(whole-comment VADER compound and label, annotated English comments only).

Bad reply data is reported, never fatal:

- an **orphan** names a ``parent_id`` that is not a comment of its thread (deleted, not captured,
  or from another thread), or carries ``is_reply`` with no ``parent_id`` (how ingest keeps a reply
  whose parent it did not capture). It counts as a reply of depth 1, is the root of its own chain,
  and is flagged ``is_orphan``. A ``parent_id`` equal to the thread's article counts as top-level.
- a **cycle** (a comment that is, through its parents, its own ancestor, including a comment that
  names itself) has no root: ``is_in_cycle`` is set, and ``depth`` and ``root_id`` are missing for
  the comments in the cycle and every reply below it.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.scope import placeholder_ids, require
from analysis.errors import StageInputError

#: Columns the conversation analyses need from the corpus.
CORPUS_COLUMNS = (
    S.THREAD_ID,
    S.DOC_ID,
    S.DOC_KIND,
    S.POSITION,
    S.PARENT_ID,
    S.IS_REPLY,
    S.AUTHOR_ID,
    S.LIKE_COUNT,
    S.PUBLISHED_DATE,
    S.IS_DATE_ESTIMATED,
)
TONE_COLUMNS = (S.IS_ANNOTATED, S.SENTIMENT_LABEL, S.VADER_COMPOUND)


def comment_rows(corpus: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The comments of ``corpus`` with their tone from ``documents``.

    Returns:
        One row per comment (placeholders dropped), columns :data:`CORPUS_COLUMNS` (minus
        ``doc_kind``) plus ``is_annotated``, ``sentiment_label``, ``vader_compound`` (missing when
        ``documents`` is ``None`` or the comment was not annotated), in thread and position order.

    Raises:
        StageInputError: the corpus lacks one of :data:`CORPUS_COLUMNS`.
    """
    require(corpus, CORPUS_COLUMNS, stage="conversation", table="corpus")
    rows = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    rows = rows[~rows[S.DOC_ID].astype(str).isin(placeholder_ids(rows))]
    out = rows.loc[:, [c for c in CORPUS_COLUMNS if c != S.DOC_KIND]].copy()
    if documents is not None and len(documents):
        S.DOCUMENTS.check(documents, stage="conversation")
        tone = documents.loc[:, [S.DOC_ID, *TONE_COLUMNS]].copy()
        tone[S.IS_ANNOTATED] = (
            tone[S.IS_ANNOTATED].fillna(False).astype(bool) & tone[S.VADER_COMPOUND].notna()
        )
        out = out.merge(tone, on=S.DOC_ID, how="left")
    else:
        out[S.IS_ANNOTATED] = False
        out[S.SENTIMENT_LABEL] = pd.NA
        out[S.VADER_COMPOUND] = np.nan
    out[S.IS_ANNOTATED] = out[S.IS_ANNOTATED].fillna(False).astype(bool)
    out.loc[~out[S.IS_ANNOTATED], [S.SENTIMENT_LABEL, S.VADER_COMPOUND]] = [pd.NA, np.nan]
    out = out.sort_values([S.THREAD_ID, S.POSITION], kind="stable").reset_index(drop=True)
    return out


def _walk(doc: str, parent_of: dict[str, str], known: set[str]) -> tuple[list[str], bool]:
    """The ancestors of ``doc`` (doc first) and whether the walk met a cycle."""
    path, seen = [doc], {doc}
    node = doc
    while node in parent_of and parent_of[node] in known:
        node = parent_of[node]
        if node in seen:
            return path, True
        path.append(node)
        seen.add(node)
    return path, False


def _thread_tree(rows: pd.DataFrame) -> pd.DataFrame:
    """Depth, root, orphan and cycle flags for the comments of one thread (see module doc)."""
    docs = rows[S.DOC_ID].astype(str).tolist()
    known = set(docs)
    article = f"{rows[S.THREAD_ID].iloc[0]}/article"
    parent_of = {
        d: str(p)
        for d, p in zip(docs, rows[S.PARENT_ID], strict=True)
        if not pd.isna(p) and str(p) != article
    }
    # Ingest keeps a reply whose parent it did not capture as is_reply with no parent_id.
    unnamed = {
        d
        for d, p, flag in zip(docs, rows[S.PARENT_ID], rows[S.IS_REPLY], strict=True)
        if pd.isna(p) and not pd.isna(flag) and bool(flag)
    }
    orphans = {d for d, p in parent_of.items() if p not in known} | unnamed
    graph = nx.DiGraph()
    graph.add_nodes_from(docs)
    graph.add_edges_from((p, d) for d, p in parent_of.items() if p in known)
    in_cycle: set[str] = set()
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1 or any(graph.has_edge(n, n) for n in component):
            in_cycle |= component
    depth, root = {}, {}
    for d in docs:
        path, loops = _walk(d, parent_of, known)
        top = path[-1]
        if loops or top in in_cycle:
            depth[d], root[d] = pd.NA, pd.NA
            continue
        depth[d] = len(path) - 1 + (1 if top in orphans else 0)
        root[d] = top
    acyclic = graph.copy()
    acyclic.remove_edges_from([(u, v) for u, v in graph.edges if u in in_cycle and v in in_cycle])
    # Each comment has one parent, so without the cycles' own edges the graph is a forest:
    # descendants add up from the leaves in one pass (linear, also on long chains).
    below = dict.fromkeys(docs, 0)
    for node in reversed(list(nx.topological_sort(acyclic))):
        below[node] = sum(below[c] + 1 for c in acyclic.successors(node))
    return pd.DataFrame(
        {
            S.DOC_ID: docs,
            S.ROOT_ID: [root[d] for d in docs],
            S.DEPTH: [depth[d] for d in docs],
            S.REPLY_COUNT: [graph.out_degree(d) - int(graph.has_edge(d, d)) for d in docs],
            S.DESCENDANT_COUNT: [below[d] for d in docs],
            S.IS_ORPHAN: [d in orphans for d in docs],
            S.IS_IN_CYCLE: [d in in_cycle for d in docs],
        }
    )


def reply_structure(comments: pd.DataFrame) -> pd.DataFrame:
    """Place every comment in its thread's reply tree.

    Args:
        comments: :func:`comment_rows` output.

    Returns:
        The ``reply_structure`` table (:data:`analysis.schema.REPLY_STRUCTURE`): ``root_id``,
        ``depth`` (0 top-level), ``reply_count`` (direct replies), ``descendant_count``,
        ``is_reply``, ``is_orphan``, ``is_in_cycle``, ``parent_author_id`` and the comment's
        likes, date and tone.
    """
    if comments.empty:
        return S.REPLY_STRUCTURE.empty()
    parts = [_thread_tree(rows) for _, rows in comments.groupby(S.THREAD_ID, sort=True)]
    out = comments.merge(pd.concat(parts, ignore_index=True), on=S.DOC_ID, how="left")
    out[S.IS_REPLY] = (
        out[S.PARENT_ID].notna()
        & (out[S.PARENT_ID].astype("string") != out[S.THREAD_ID].astype("string") + "/article")
    ) | out[S.IS_ORPHAN].astype(bool)
    authors = comments.set_index(S.DOC_ID)[S.AUTHOR_ID]
    out[S.PARENT_AUTHOR_ID] = out[S.PARENT_ID].map(authors)
    return S.REPLY_STRUCTURE.conform(out)


def thread_summary(structure: pd.DataFrame) -> dict[str, object]:
    """Counts of one thread's (or the pooled) reply structure, likes and dates.

    Returns:
        The ``conversation_summary`` columns except ``thread_id`` and ``time_bin``.
    """
    n = len(structure)
    likes = structure[S.LIKE_COUNT]
    has_likes = bool(likes.notna().any())
    depth = structure[S.DEPTH].dropna()
    dated = structure[S.PUBLISHED_DATE].notna()
    return {
        S.COMMENT_COUNT: n,
        S.TOP_LEVEL_COUNT: int((~structure[S.IS_REPLY].astype(bool)).sum()),
        S.REPLY_COUNT: int(structure[S.IS_REPLY].astype(bool).sum()),
        S.ORPHAN_COUNT: int(structure[S.IS_ORPHAN].astype(bool).sum()),
        S.CYCLE_COUNT: int(structure[S.IS_IN_CYCLE].astype(bool).sum()),
        S.MAX_DEPTH: int(depth.max()) if len(depth) else 0,
        S.REPLIES_PER_COMMENT: float(structure[S.REPLY_COUNT].mean()) if n else np.nan,
        S.REPLIED_SHARE: float((structure[S.REPLY_COUNT] > 0).mean()) if n else np.nan,
        S.HAS_LIKES: has_likes,
        S.LIKE_TOTAL: int(likes.sum()) if has_likes else pd.NA,
        S.DATED_COUNT: int(dated.sum()),
        S.ESTIMATED_DATE_COUNT: int(
            (dated & structure[S.IS_DATE_ESTIMATED].fillna(False).astype(bool)).sum()
        ),
    }


def _chain(leaf: str, parent: dict[str, str], root: str) -> list[str]:
    path = [leaf]
    while path[-1] != root and path[-1] in parent:
        path.append(parent[path[-1]])
    return path[::-1]


def reply_chains(structure: pd.DataFrame, *, top_n: int = 5) -> pd.DataFrame:
    """The ``top_n`` longest root-to-leaf chains of every thread (ties: earlier leaf first).

    Chains of a single comment are left out; comments in or below a cycle have no chain.

    Returns:
        The ``reply_chains`` table (:data:`analysis.schema.REPLY_CHAINS`); ``compound_first`` and
        ``compound_last`` are the first and last *scored* comments of the chain (NaN when fewer
        than one is scored), ``compound_change`` their difference.
    """
    rows = []
    for thread, t in structure.groupby(S.THREAD_ID, sort=True):
        parent = {d: p for d, p in zip(t[S.DOC_ID], t[S.PARENT_ID], strict=True) if not pd.isna(p)}
        by_doc = t.set_index(S.DOC_ID)
        leaves = t[(t[S.REPLY_COUNT] == 0) & t[S.DEPTH].notna() & (t[S.DEPTH] > 0)]
        leaves = leaves.sort_values([S.DEPTH, S.POSITION], ascending=[False, True])
        for rank, leaf in enumerate(leaves.head(top_n).itertuples(index=False), start=1):
            chain = _chain(leaf.doc_id, parent, leaf.root_id)
            part = by_doc.loc[chain]
            scores = part[S.VADER_COMPOUND].dropna()
            first = float(scores.iloc[0]) if len(scores) else np.nan
            last = float(scores.iloc[-1]) if len(scores) else np.nan
            rows.append(
                {
                    S.THREAD_ID: thread,
                    S.CHAIN_RANK: rank,
                    S.ROOT_ID: chain[0],
                    S.LEAF_ID: chain[-1],
                    S.COMMENT_COUNT: len(chain),
                    S.DOC_IDS: " > ".join(chain),
                    S.AUTHOR_COUNT: int(part[S.AUTHOR_ID].nunique()),
                    S.COMPOUND_FIRST: first,
                    S.COMPOUND_LAST: last,
                    S.COMPOUND_CHANGE: last - first,
                    S.NEGATIVE_COUNT: int((part[S.SENTIMENT_LABEL] == S.SENTIMENT_NEGATIVE).sum()),
                }
            )
    if not rows:
        return S.REPLY_CHAINS.empty()
    return S.REPLY_CHAINS.conform(pd.DataFrame(rows))


def exchange_table(structure: pd.DataFrame, *, pooled: bool = False) -> pd.DataFrame:
    """Who replies to whom: one row per (thread, replier, author replied to).

    Replies whose parent is missing or whose authors are unknown are left out (an orphan has no
    one to reply to). With ``pooled`` (several threads), rows over all threads are added with
    ``thread_id == "__pooled__"``.

    Returns:
        The ``exchanges`` table (:data:`analysis.schema.EXCHANGES`), most replies first.
    """
    pairs = structure[
        structure[S.IS_REPLY].astype(bool)
        & structure[S.AUTHOR_ID].notna()
        & structure[S.PARENT_AUTHOR_ID].notna()
    ]
    frames = [pairs]
    if pooled and len(pairs):
        frames.append(pairs.assign(**{S.THREAD_ID: S.POOLED}))
    both = pd.concat(frames, ignore_index=True)
    if both.empty:
        return S.EXCHANGES.empty()
    both = both.assign(is_negative=both[S.SENTIMENT_LABEL] == S.SENTIMENT_NEGATIVE)
    out = (
        both.groupby([S.THREAD_ID, S.AUTHOR_ID, S.PARENT_AUTHOR_ID], sort=True)
        .agg(
            reply_count=(S.DOC_ID, "size"),
            negative_count=("is_negative", "sum"),
            compound_mean=(S.VADER_COMPOUND, "mean"),
        )
        .reset_index()
        .rename(columns={S.PARENT_AUTHOR_ID: S.TARGET_AUTHOR_ID})
    )
    out[S.IS_SELF_REPLY] = out[S.AUTHOR_ID] == out[S.TARGET_AUTHOR_ID]
    out = out.sort_values(
        [S.THREAD_ID, S.REPLY_COUNT, S.AUTHOR_ID, S.TARGET_AUTHOR_ID],
        ascending=[True, False, True, True],
    )
    return S.EXCHANGES.conform(out)


def _plain(value: object) -> object:
    """A value GEXF/GraphML can store: missing -> '', numpy scalars -> Python."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value if isinstance(value, bool | int | float | str) else str(value)


def reply_network(structure: pd.DataFrame, *, kind: str = "comments") -> nx.DiGraph:
    """The reply network as a directed graph (edges point from the reply to what it answers).

    Args:
        structure: the ``reply_structure`` table.
        kind: ``"comments"`` (a node per comment with thread, depth, likes and tone attributes)
            or ``"authors"`` (a node per pseudonym, edges weighted by replies).

    Returns:
        A :class:`networkx.DiGraph` whose attributes are plain strings and numbers (missing
        values are empty strings), ready for GEXF or GraphML.

    Raises:
        StageInputError: an unknown ``kind``.
    """
    graph = nx.DiGraph()
    if kind == "comments":
        attrs = [S.THREAD_ID, S.DEPTH, S.REPLY_COUNT, S.LIKE_COUNT, S.SENTIMENT_LABEL]
        attrs += [S.VADER_COMPOUND, S.AUTHOR_ID, S.IS_ORPHAN, S.IS_IN_CYCLE]
        for row in structure.itertuples(index=False):
            graph.add_node(row.doc_id, **{a: _plain(getattr(row, a)) for a in attrs})
        for row in structure[structure[S.IS_REPLY].astype(bool)].itertuples(index=False):
            if row.parent_id in graph:
                graph.add_edge(row.doc_id, row.parent_id)
        return graph
    if kind == "authors":
        for row in exchange_table(structure).itertuples(index=False):
            for a in (row.author_id, row.target_author_id):
                graph.add_node(a)
            graph.add_edge(
                row.author_id,
                row.target_author_id,
                weight=int(row.reply_count),
                negative_count=int(row.negative_count),
            )
        return graph
    raise StageInputError(f"reply network: kind must be 'comments' or 'authors', got {kind!r}")


def write_reply_network(structure: pd.DataFrame, path: Path, *, kind: str = "comments") -> Path:
    """Write :func:`reply_network` as GEXF (``.gexf``) or GraphML (``.graphml``) for Gephi.

    Returns:
        ``path``.

    Raises:
        StageInputError: the suffix is neither ``.gexf`` nor ``.graphml``.
    """
    path = Path(path)
    graph = reply_network(structure, kind=kind)
    if path.suffix == ".gexf":
        nx.write_gexf(graph, path)
    elif path.suffix == ".graphml":
        nx.write_graphml(graph, path)
    else:
        raise StageInputError(f"{path}: reply network files end in .gexf or .graphml")
    return path


def level_actors(structure: pd.DataFrame, mentions: pd.DataFrame, *, top_n: int = 5) -> list[dict]:
    """The ``top_n`` entities most mentioned by top-level comments and by replies.

    Returns:
        ``level_actors`` rows without ``thread_id`` (ties: name order).
    """
    rows: list[dict] = []
    docs = structure.set_index(S.DOC_ID)[S.IS_REPLY].astype(bool)
    ment = mentions[mentions[S.DOC_ID].isin(docs.index)]
    for level, is_reply in ((S.LEVEL_TOP, False), (S.LEVEL_REPLY, True)):
        ids = docs[docs == is_reply].index
        n = len(ids)
        part = ment[ment[S.DOC_ID].isin(ids)].drop_duplicates([S.DOC_ID, S.ENTITY_ID])
        counts = part.groupby([S.ENTITY_ID, S.ENTITY_NAME]).size().reset_index(name=S.COMMENT_COUNT)
        counts = counts.sort_values([S.COMMENT_COUNT, S.ENTITY_NAME], ascending=[False, True])
        for rank, r in enumerate(counts.head(top_n).itertuples(index=False), start=1):
            rows.append(
                {
                    S.LEVEL: level,
                    S.ENTITY_ID: r.entity_id,
                    S.ENTITY_NAME: r.entity_name,
                    S.COMMENT_COUNT: int(r.comment_count),
                    S.N: n,
                    S.SHARE: r.comment_count / n if n else np.nan,
                    S.RANK: rank,
                }
            )
    return rows


def off_article_shares(structure: pd.DataFrame, engagement: pd.DataFrame) -> dict[str, float]:
    """Share of top-level comments and of replies that relate to no article paragraph.

    Returns:
        ``{"top_level_off_article_share", "reply_off_article_share"}`` (NaN when no comment of
        the level is in the engagement table).
    """
    off = engagement.set_index(S.DOC_ID)[S.IS_OFF_ARTICLE]
    out = {}
    columns = ((S.TOP_LEVEL_OFF_ARTICLE_SHARE, False), (S.REPLY_OFF_ARTICLE_SHARE, True))
    for column, is_reply in columns:
        ids = structure.loc[structure[S.IS_REPLY].astype(bool) == is_reply, S.DOC_ID]
        flags = off.reindex(ids).dropna().astype(bool)
        out[column] = float(flags.mean()) if len(flags) else np.nan
    return out
