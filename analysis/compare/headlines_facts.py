"""The numbers behind the headline findings, for every scope at once.

Each function here reads one comparison table and returns ``{scope: facts}`` for all the scopes
asked for (every thread, and ``__pooled__``), where ``facts`` holds plain Python values: the rows a
finder quotes, already chosen. A scope's rows are what :func:`.scope.per_thread` gives (a
table's own pooled rows, or all its rows when it has none); a scope with no rows gets the facts
of an empty table. The tables are sorted once, by scope then by the finder's order (stable, so
ties keep table order, as the per-scope sorts did), and cut into one block per scope; the
statements are then written from these facts by :mod:`.headlines`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.agenda import ranked_mask, ranked_rows
from analysis.compare.frames import NO_FRAME_TERM
from analysis.compare.keyness import comment_side_ceiling
from analysis.compare.scope import usable_mask
from analysis.compare.tone import UNIT_ARTICLE_SENTENCE, UNIT_COMMENT, UNIT_COMMENT_SENTENCE

TOP_N = 3
_SCOPE = "_scope"


def labelled(frame: pd.DataFrame, scopes: Sequence[str]) -> pd.DataFrame:
    """``frame``'s rows of the given scopes, each with its scope in column ``_scope``.

    A row belongs to its own thread; when ``__pooled__`` is asked for, the table's pooled rows
    belong to it, or, when the table has none (an input table), every row once more.
    """
    tid = frame[S.THREAD_ID].astype(str).to_numpy(object)
    out = frame.assign(**{_SCOPE: tid})
    if S.POOLED in scopes and not (tid == S.POOLED).any():
        out = pd.concat([out, frame.assign(**{_SCOPE: S.POOLED})], ignore_index=True)
    return out.loc[out[_SCOPE].isin(list(scopes))]


class Blocks:
    """A table sorted once by scope then ``by``; ``block(scope)`` is that scope's rows.

    ``block(scope)`` gives ``{column: list of values}`` (Python values: int, float, str or NA)
    of the asked columns, in the sorted order; ``array(scope, column)`` a numpy slice.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        scopes: Sequence[str],
        *,
        by: Sequence[str] = (),
        ascending: Sequence[bool] = (),
        columns: Sequence[str] = (),
    ) -> None:
        rows = labelled(frame, scopes)
        rows = rows.sort_values(
            [_SCOPE, *by], ascending=[True, *ascending], kind="mergesort"
        ).reset_index(drop=True)
        self.frame = rows
        self._lists = {c: rows[c].tolist() for c in columns}
        self._spans: dict[str, tuple[int, int]] = {}
        sc = rows[_SCOPE].to_numpy(object)
        if len(sc):
            cuts = np.flatnonzero(sc[1:] != sc[:-1]) + 1
            starts, ends = np.r_[0, cuts], np.r_[cuts, len(sc)]
            self._spans = {str(sc[a]): (int(a), int(b)) for a, b in zip(starts, ends, strict=True)}

    def span(self, scope: str) -> tuple[int, int]:
        return self._spans.get(scope, (0, 0))

    def block(self, scope: str) -> dict[str, list]:
        a, b = self.span(scope)
        return {c: values[a:b] for c, values in self._lists.items()}

    def rows(self, scope: str) -> list[dict]:
        """The scope's rows as dicts of the asked columns."""
        block = self.block(scope)
        names = list(block)
        return [dict(zip(names, r, strict=True)) for r in zip(*block.values(), strict=True)]


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("boolean").fillna(False).astype(bool)


def coverage_facts(documents: pd.DataFrame, scopes: Sequence[str]) -> dict[str, dict]:
    """Per scope: article and comment counts, analysed / empty / not English / placeholders.

    A comment is analysed (a placeholder) when its doc id is among the scope's analysed
    (flagged) comment ids, as :func:`.scope.usable_doc_ids` defines them.
    """
    rows = labelled(documents, scopes)
    com = rows.loc[rows[S.DOC_KIND] == S.COMMENT]
    key = [com[_SCOPE], com[S.DOC_ID].astype(str)]
    has_flag = S.IS_PLACEHOLDER in com.columns
    usable = usable_mask(com) if len(com) else pd.Series(False, index=com.index)
    analysed = usable.groupby(key).transform("any").astype(bool)
    if has_flag and len(com):
        placeholders = _flag(com, S.IS_PLACEHOLDER).groupby(key).transform("any").astype(bool)
    else:
        placeholders = pd.Series(False, index=com.index)
    empty = com["is_empty"].fillna(False).astype(bool) & ~placeholders
    not_english = (com["skip_reason"].astype("string") == "not-english").fillna(False)
    counts = pd.DataFrame(
        {
            _SCOPE: com[_SCOPE],
            "comments": 1,
            "analysed": analysed.astype(int),
            "empty": empty.astype(int),
            "not_english": (not_english.astype(bool) & ~placeholders).astype(int),
            "placeholders": placeholders.astype(int),
        }
    )
    sums = counts.groupby(_SCOPE).sum()
    articles = (rows[S.DOC_KIND] == S.ARTICLE).groupby(rows[_SCOPE]).sum()
    out = {}
    for scope in scopes:
        got = sums.loc[scope].to_dict() if scope in sums.index else {}
        out[scope] = {k: int(got.get(k, 0)) for k in counts.columns if k != _SCOPE}
        out[scope]["articles"] = int(articles.get(scope, 0))
        out[scope]["has_placeholder_column"] = has_flag
    return out


def share_facts(tone_shares: pd.DataFrame, scopes: Sequence[str]) -> dict[str, dict | None]:
    """Per scope: the first ``negative`` row of each tone unit (None: the scope has no rows)."""
    blocks = Blocks(
        tone_shares,
        scopes,
        columns=["unit", "sentiment_label", "share", "n", "count", "ci_low", "ci_high"],
    )
    out: dict[str, dict | None] = {}
    for scope in scopes:
        rows = blocks.rows(scope)
        if not rows:
            out[scope] = None
            continue
        units: dict[str, dict] = {}
        for r in rows:
            if r["sentiment_label"] == "negative" and r["unit"] not in units:
                units[r["unit"]] = {
                    "share": _float(r["share"]),
                    "n": int(r["n"]),
                    "count": int(r["count"]),
                    "ci_low": _float(r["ci_low"]),
                    "ci_high": _float(r["ci_high"]),
                }
        out[scope] = {
            u: units.get(u) for u in (UNIT_COMMENT, UNIT_ARTICLE_SENTENCE, UNIT_COMMENT_SENTENCE)
        }
    return out


def _float(value: object) -> float:
    return float("nan") if value is None or value is pd.NA else float(value)


_AGENDA_COLUMNS = [
    S.ENTITY_ID,
    S.ENTITY_NAME,
    "comment_mention_count",
    "comment_mention_share",
    "article_mention_count",
    "article_mention_share",
    "presence",
]


def agenda_facts(agenda: pd.DataFrame, scopes: Sequence[str]) -> dict[str, dict]:
    """Per scope: row count, total comment mentions (every row), the most mentioned actor (None
    when no comment names a ranked one) and the actors named only in the comments (most
    mentioned first, their summed mention share in that order). Only rows ranked as actors
    (``is_ranked``, :func:`analysis.compare.agenda.ranked_rows`; all rows of a table without
    the column) can be the top actor or a comments-only actor; ``unranked`` counts the others
    that comments name."""
    frame = agenda.assign(
        _cmc=agenda["comment_mention_count"].fillna(0), _ranked=ranked_mask(agenda)
    )
    blocks = Blocks(
        frame,
        scopes,
        by=["_cmc", S.ENTITY_ID],
        ascending=[False, True],
        columns=[*_AGENDA_COLUMNS, "_cmc", "_ranked"],
    )
    share = blocks.frame["comment_mention_share"].to_numpy(dtype=np.float64, na_value=np.nan)
    only_mask = (blocks.frame["presence"] == "comments_only").fillna(False).to_numpy(bool)
    only_mask &= blocks.frame["_ranked"].to_numpy(bool)
    out = {}
    for scope in scopes:
        rows = blocks.rows(scope)
        a, b = blocks.span(scope)
        named = [r for r in rows if r["_cmc"] > 0 and r["_ranked"]]
        only = [r for r, m in zip(rows, only_mask[a:b], strict=True) if m]
        picked = share[a:b][only_mask[a:b]]
        # the sum pandas takes of the scope's sorted rows (NaN as 0), same values, same order
        only_share = float(np.where(np.isnan(picked), 0.0, picked).sum()) if only else 0.0
        out[scope] = {
            "row_count": len(rows),
            "total": int(sum(r["_cmc"] for r in rows)),
            "top": named[0] if named else None,
            "unranked": sum(1 for r in rows if r["_cmc"] > 0 and not r["_ranked"]),
            "only": only,
            "only_share": only_share,
        }
    return out


def actor_tone_facts(actor_tone: pd.DataFrame, scopes: Sequence[str]) -> dict[str, dict]:
    """Per scope: the actors with a mean on both sides (enough sentences), the one whose tone
    differs most (ties: entity id, then name) with its article and comment rows."""
    ok = actor_tone.loc[~actor_tone["is_too_few"].fillna(True).astype(bool)]
    rows = labelled(ok, scopes)
    out: dict[str, dict] = {s: {"compared": 0} for s in scopes}
    if rows.empty:
        return out
    wide = rows.pivot_table(
        index=[_SCOPE, S.ENTITY_ID, S.ENTITY_NAME],
        columns=S.SIDE,
        values="compound_mean",
        aggfunc="first",
    )
    for side in S.SIDES:
        if side not in wide.columns:
            wide[side] = np.nan
    wide = wide.dropna(subset=list(S.SIDES)).reset_index()
    wide["_gap"] = (wide[S.SIDE_COMMENTS] - wide[S.SIDE_ARTICLE]).abs()
    wide = wide.sort_values(
        [_SCOPE, "_gap", S.ENTITY_ID, S.ENTITY_NAME],
        ascending=[True, False, True, True],
        kind="mergesort",
    )
    counts = wide.groupby(_SCOPE).size()
    tops = wide.drop_duplicates(_SCOPE)[[_SCOPE, S.ENTITY_ID, S.ENTITY_NAME]]
    cols = ["compound_mean", "ci_low", "ci_high", "sentence_count"]
    sides = rows.drop_duplicates([_SCOPE, S.ENTITY_ID, S.SIDE])[
        [_SCOPE, S.ENTITY_ID, S.SIDE, *cols]
    ]
    for side in S.SIDES:
        on_side = sides.loc[sides[S.SIDE] == side].drop(columns=S.SIDE)
        tops = tops.merge(on_side.rename(columns={c: f"{side}:{c}" for c in cols}), how="left")
    for r in tops.to_dict("records"):
        scope = r[_SCOPE]
        out[scope] = {
            "compared": int(counts[scope]),
            "entity_id": str(r[S.ENTITY_ID]),
            "entity_name": r[S.ENTITY_NAME],
            **{side: {c: r[f"{side}:{c}"] for c in cols} for side in S.SIDES},
        }
    return out


def _heads(
    frame: pd.DataFrame, scopes: Sequence[str], *, descending: bool, columns: Sequence[str]
) -> dict[str, list[dict]]:
    """The first :data:`TOP_N` rows of each scope by z (``descending`` or not), then term."""
    blocks = Blocks(
        frame,
        scopes,
        by=["z_score", "term"],
        ascending=[not descending, True],
        columns=columns,
    )
    return {scope: blocks.rows(scope)[:TOP_N] for scope in scopes}


_CEILING = ["article_count", "comment_count"]


def keyness_facts(keyness: pd.DataFrame, scopes: Sequence[str]) -> dict[str, dict]:
    """Per scope: the article-reference rows' count, whether any has a z, the top terms of each
    side, the article's lemma count, the comment-side ceiling and the general-English tops."""
    ref = keyness[S.REFERENCE]
    article = keyness.loc[(ref == S.REFERENCE_ARTICLE).fillna(False)]
    english = keyness.loc[
        (ref == S.REFERENCE_GENERAL_ENGLISH).fillna(False) & keyness["z_score"].notna()
    ]
    cols = ["term", "z_score"]
    side = article[S.SIDE]
    com = _heads(
        article.loc[(side == S.SIDE_COMMENTS).fillna(False)], scopes, descending=True, columns=cols
    )
    art = _heads(
        article.loc[(side == S.SIDE_ARTICLE).fillna(False)], scopes, descending=False, columns=cols
    )
    eng_side = english[S.SIDE]
    eng = _heads(
        english.loc[(eng_side == S.SIDE_COMMENTS).fillna(False)],
        scopes,
        descending=True,
        columns=cols,
    )
    # only the columns the ceiling reads, so each scope's block is a cheap slice
    counts = article[[S.THREAD_ID, "z_score", "article_count", "comment_count"]]
    blocks = Blocks(counts, scopes, columns=["z_score", "article_count"])
    has_english = set(labelled(english, scopes)[_SCOPE])
    out = {}
    for scope in scopes:
        block = blocks.block(scope)
        valid = any(not np.isnan(z) for z in block["z_score"])
        facts = {
            "term_count": len(block["z_score"]),
            "valid": valid,
            "comments": com[scope],
            "article": art[scope],
            "english": eng[scope] if scope in has_english else None,
        }
        if valid:
            a, b = blocks.span(scope)
            facts["ceiling"] = comment_side_ceiling(
                blocks.frame.iloc[a:b, [blocks.frame.columns.get_loc(c) for c in _CEILING]]
            )
            facts["article_lemmas"] = int(sum(block["article_count"]))
        out[scope] = facts
    return out


def _ranked_drivers(drivers: pd.DataFrame, agenda: pd.DataFrame | None) -> pd.DataFrame:
    """The driver rows whose entity ranks as an actor in that scope's agenda (``is_ranked``);
    all rows when there is no agenda or it lacks the column."""
    if agenda is None or S.IS_RANKED not in agenda.columns:
        return drivers
    keys = pd.MultiIndex.from_frame(ranked_rows(agenda)[[S.THREAD_ID, S.ENTITY_ID]].astype(str))
    mine = pd.MultiIndex.from_frame(drivers[[S.THREAD_ID, S.ENTITY_ID]].astype(str))
    return drivers.loc[mine.isin(keys)]


def engagement_facts(
    engagement: pd.DataFrame,
    drivers: pd.DataFrame | None,
    scopes: Sequence[str],
    agenda: pd.DataFrame | None = None,
) -> dict[str, dict]:
    """Per scope: analysed comments, off-article ones and the top driver (None without one);
    with ``agenda``, only entities ranked as actors there can be the top driver."""
    rows = labelled(engagement, scopes)
    off = (
        rows["is_off_article"].fillna(False).astype(bool).groupby(rows[_SCOPE]).agg(["size", "sum"])
    )
    top: dict[str, dict] = {}
    if drivers is not None:
        named = _ranked_drivers(drivers, agenda)
        named = named.loc[named["off_article_comment_count"].fillna(0) > 0]
        blocks = Blocks(
            named,
            scopes,
            by=["off_article_comment_count", S.ENTITY_ID],
            ascending=[False, True],
            columns=[S.ENTITY_ID, S.ENTITY_NAME, "off_article_comment_count"],
        )
        top = {s: r[0] for s in scopes if (r := blocks.rows(s))}
    return {
        scope: {
            "n": int(off.loc[scope, "size"]) if scope in off.index else 0,
            "off": int(off.loc[scope, "sum"]) if scope in off.index else 0,
            "top_driver": top.get(scope),
            "has_drivers": drivers is not None,
        }
        for scope in scopes
    }


def frame_facts(frame_shares: pd.DataFrame, scopes: Sequence[str]) -> dict[str, dict]:
    """Per scope and side: the number of sentences and the most frequent frame (share, then
    frame id; ``no_frame_term`` is not a candidate), None when no frame term occurs."""
    rows = labelled(frame_shares, scopes)
    n_max = rows.groupby([_SCOPE, S.SIDE])["n"].max()
    candidates = rows.loc[
        rows["share"].notna()
        & (rows["unit_count"].fillna(0) > 0)
        & (rows["frame"] != NO_FRAME_TERM).fillna(False)
    ]
    best = candidates.sort_values(
        [_SCOPE, S.SIDE, "share", "frame"], ascending=[True, True, False, True], kind="mergesort"
    ).drop_duplicates([_SCOPE, S.SIDE])
    tops = {
        (r[_SCOPE], r[S.SIDE]): r
        for r in best[[_SCOPE, S.SIDE, "frame", "share", "unit_count", "n"]].to_dict("records")
    }
    out: dict[str, dict] = {}
    for scope in scopes:
        out[scope] = {}
        for side in S.SIDES:
            n = n_max.get((scope, side), pd.NA)
            out[scope][side] = {"n": 0 if n is pd.NA else int(n), "top": tops.get((scope, side))}
    return out


def topic_facts(topic_shares: pd.DataFrame, scopes: Sequence[str]) -> dict[str, dict | None]:
    """Per scope (None: no topic rows): the method used (lexicon when present, else the first)
    and the comment-led topics, the comments' lead over the article largest first."""
    rows = labelled(topic_shares, scopes)
    rows = rows.assign(_method=rows["method"].astype(str))
    has_lexicon = (rows["_method"] == "lexicon").groupby(rows[_SCOPE]).any()
    first = rows.groupby(_SCOPE)["_method"].first()
    chosen = pd.Series(np.where(has_lexicon, "lexicon", first), index=first.index)
    rows = rows.loc[
        rows["_method"].to_numpy(object) == chosen.reindex(rows[_SCOPE]).to_numpy(object)
    ]
    led = rows.loc[rows["is_comment_led"].fillna(False).astype(bool), [_SCOPE, "topic_id"]]
    led_keys = set(zip(led[_SCOPE], led["topic_id"], strict=True))
    if rows.empty:
        return {scope: None for scope in scopes}
    wide = rows.pivot_table(
        index=[_SCOPE, "topic_id", "topic_label"], columns=S.SIDE, values="share", aggfunc="first"
    )
    for side in S.SIDES:
        if side not in wide.columns:
            wide[side] = np.nan
    wide = wide.reset_index()
    wide = wide.loc[[k in led_keys for k in zip(wide[_SCOPE], wide["topic_id"], strict=True)]]
    wide = wide.assign(_gap=wide[S.SIDE_COMMENTS].fillna(0) - wide[S.SIDE_ARTICLE].fillna(0))
    wide = wide.sort_values(
        [_SCOPE, "_gap", "topic_id", "topic_label"],
        ascending=[True, False, True, True],
        kind="mergesort",
    )
    picked: dict[str, list[dict]] = {}
    for r in wide[[_SCOPE, "topic_id", "topic_label", *S.SIDES]].to_dict("records"):
        picked.setdefault(r[_SCOPE], []).append(r)
    return {
        scope: (
            {"method": str(chosen[scope]), "led": picked.get(scope, [])}
            if scope in chosen.index
            else None
        )
        for scope in scopes
    }
