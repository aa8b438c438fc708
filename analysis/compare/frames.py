"""Frames: which of the Policy Frames Codebook's dimensions each side uses, by dictionary.

Method
------
The frame dimensions of the Policy Frames Codebook (Boydstun, Card, Gross, Resnik and Smith
2014), the dimensions annotated in the Media Frames Corpus (Card et al. 2015): economic; capacity
and resources; morality; fairness and equality; legality, constitutionality and jurisprudence;
policy prescription and evaluation; crime and punishment; security and defense; health and safety;
quality of life; cultural identity; public opinion; political; external regulation and reputation
(the codebook's 15th, "other", is a coder's judgment no word list can make, so it is not scored).

This is a **dictionary method**. Each unit is matched against the editable lexicon
``data/lexicons/frames.csv`` (``frame,term``; multi-word terms first, longest match wins, within
one sentence). A unit *uses* a frame when at least one of its lemmas is one of the frame's terms;
a unit can use several frames. A unit without any hit is counted under :data:`NO_FRAME_TERM`
("no frame term"): it is not the codebook's "other" frame, only the absence of a listed word.

Like units: the two sides are compared on units of the same kind, so a long comment is not set
against one article sentence, and each table says its unit:

- ``frame_shares``: each article sentence against each comment sentence;
- ``frame_document_shares``: the article as a whole against each comment as a whole (the article
  side then has one unit per thread: its share is 0 or 1 and has no interval);
- ``frame_scores`` has both kinds of unit, in its ``unit`` column (``sentence`` | ``document``).

Measured agreement and limits
-----------------------------
``bench/eval_frames.py`` compares the lexicon with frames hand-coded against the codebook's
definitions on sentences sampled (seeded) from the Fox News dev articles and comments
(``tests/gold/frames/coded.csv``; one coder, who also maintains the lexicon, so the check is if
anything favourable to it). It prints per-frame precision and recall, Cohen's kappa and a
majority-class baseline; read those figures before quoting a share. Measured (120 sentences, 10 from
articles): micro-averaged precision 0.57, recall 0.36; Cohen's kappa per frame from -0.02 (policy
prescription, health and safety: missed) to 0.70 (crime and punishment); "no frame term" against
sentences coded as using no frame: precision 0.58, recall 0.91, kappa 0.48 (majority baseline: kappa
0). So the lexicon misses most frames (it sees words, coders see meaning: welfare talk without
"cost" or "tax" is economic), and a share of "no frame term" overstates how many units use none.
What a dictionary cannot see: negation ("this is not about money" counts as economic), sarcasm and
irony, frames implied without the words (a family's rent is economic without saying "cost"), word
sense ("strike", "party", "right"), who speaks and whether they endorse or reject the frame. The
terms are the lexicon authors' judgment, each in one frame only. Insults and hostility, common in
comments, carry no frame word and fall under "no frame term". Shares are a transparent first pass,
not comparable to frames coded by trained annotators.

Tables
------
- ``frame_scores``: per unit (``unit`` sentence or document) and frame with at least one hit:
  ``hit_count``, ``score`` (hits per 100 content lemmas of the unit) and the matched terms (most
  frequent first); a unit with no hit has one row with frame ``no_frame_term``, ``hit_count`` 0.
- ``frame_shares`` and ``frame_document_shares``: per scope, frame (the 14 and ``no_frame_term``)
  and side: units using the frame over the side's units, with a Wilson score 95% interval
  (Wilson 1927; :func:`analysis.compare.stats.wilson_share_ci`). Shares of one side do not sum
  to 1 (a unit can use several frames). A side with no units has ``n`` 0 and NaN share and
  interval; one unit gives a share but no interval.

Scopes: every thread, plus pooled rows (``thread_id = schema.POOLED``) over all units when the
input holds more than one thread (the share tables; ``frame_scores`` is per unit already).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.scope import scopes
from analysis.compare.stats import wilson_share_cis
from analysis.compare.units import (
    UNIT_DOCUMENT,
    UNIT_SENTENCE,
    TermMatcher,
    UnitRows,
    read_lexicon,
    side_of,
    unit_rows,
)

#: One scored unit: thread, unit id, side, its number of lemmas, its matched terms (or None).
_Scored = tuple[str, str, str, int, "Counter[str] | None"]

FRAME_LEXICON_FILE = "frames.csv"
#: A unit with no lexicon hit: not the codebook's "other" frame, only no listed word.
NO_FRAME_TERM = S.FRAME_NO_TERM
#: The codebook's catch-all dimension (coders' judgment; not scored by the dictionary).
OTHER = S.FRAME_OTHER

#: The frame dimensions the lexicon scores (snake_case forms of the codebook's names), in the
#: codebook's order: the schema's frame vocabulary without "no frame term".
LEXICON_FRAMES = tuple(f for f in S.FRAMES if f != NO_FRAME_TERM)
#: The 15 dimensions of the codebook.
CODEBOOK_FRAMES = (*LEXICON_FRAMES, OTHER)
#: Frame values of the tables: the 14 scored dimensions, then "no frame term".
FRAMES = S.FRAMES

#: Display names, as the codebook writes them.
FRAME_LABELS = {
    "economic": "Economic",
    "capacity_and_resources": "Capacity and resources",
    "morality": "Morality",
    "fairness_and_equality": "Fairness and equality",
    "legality_constitutionality_jurisprudence": "Legality, constitutionality and jurisprudence",
    "policy_prescription_and_evaluation": "Policy prescription and evaluation",
    "crime_and_punishment": "Crime and punishment",
    "security_and_defense": "Security and defense",
    "health_and_safety": "Health and safety",
    "quality_of_life": "Quality of life",
    "cultural_identity": "Cultural identity",
    "public_opinion": "Public opinion",
    "political": "Political",
    "external_regulation_and_reputation": "External regulation and reputation",
    OTHER: "Other",
    NO_FRAME_TERM: "No frame term",
}


def read_frame_lexicon(lexicon_dir: Path = config.LEXICON_DIR) -> pd.DataFrame:
    """Read ``<lexicon_dir>/frames.csv`` (columns ``frame``, ``term``, ``line``).

    Raises:
        InputError: missing or malformed file, or a frame that is not one of
            :data:`LEXICON_FRAMES` (``other`` and ``no_frame_term`` take no terms).
    """
    return read_lexicon(
        Path(lexicon_dir) / FRAME_LEXICON_FILE, group_column="frame", allowed_groups=LEXICON_FRAMES
    )


def _unit_hits(rows: UnitRows, matcher: TermMatcher) -> dict[str, list[_Scored]]:
    """Per kind of unit, in unit order: ``(thread, unit id, side, lemma count, terms)``.

    Every sentence row is matched once; a document's terms are the sum of its sentences' (terms
    are matched within one sentence, so this is what matching the document gives). ``terms``
    is None for a unit without any.
    """
    first = matcher.first
    terms = [
        (matcher.terms_in((lem,)) or None) if not first.isdisjoint(lem) else None
        for lem in rows.lemmas
    ]
    sentence = [
        (rows.thread[i], rows.sentence_id[i], side_of(rows.kind[i]), len(rows.lemmas[i]), terms[i])
        for i in rows.sentence_order
    ]
    document = []
    for thread, doc_id, side, at in rows.documents:
        found = [terms[i] for i in at if terms[i]]
        total = found[0] if len(found) == 1 else sum(found, Counter()) if found else None
        document.append((thread, doc_id, side, sum(len(rows.lemmas[i]) for i in at), total))
    return {UNIT_SENTENCE: sentence, UNIT_DOCUMENT: document}


def _score_units(
    units: list[_Scored], matcher: TermMatcher, unit_kind: str
) -> tuple[list[tuple], np.ndarray]:
    """frame_scores rows (:data:`_SCORE_COLUMNS`) and, per unit, the frames it uses (a units x
    :data:`FRAMES` boolean matrix; :data:`NO_FRAME_TERM` when none)."""
    rows: list[tuple] = []
    used = np.zeros((len(units), len(FRAMES)), dtype=bool)
    column_of = {f: j for j, f in enumerate(FRAMES)}
    for u, (thread, unit_id, side, n_tokens, found) in enumerate(units):
        if not found:
            used[u, column_of[NO_FRAME_TERM]] = True
            rows.append((thread, unit_kind, unit_id, side, NO_FRAME_TERM, 0, 0.0, pd.NA))
            continue
        hits: dict[str, Counter[str]] = {}  # as TermMatcher.hits
        for term, count in found.items():
            for group in matcher.groups_of[tuple(term.split())]:
                hits.setdefault(group, Counter())[term] += count
        for frame in LEXICON_FRAMES:
            if frame not in hits:
                continue
            used[u, column_of[frame]] = True
            counts = hits[frame]
            n_hits = sum(counts.values())
            terms = sorted(counts, key=lambda t, c=counts: (-c[t], t))
            score = 100.0 * n_hits / n_tokens
            rows.append((thread, unit_kind, unit_id, side, frame, n_hits, score, " | ".join(terms)))
    return rows, used


_SCORE_COLUMNS = (S.THREAD_ID, "unit", "unit_id", S.SIDE, "frame", "hit_count", "score",
                  "matched_terms")  # fmt: skip


def _share_table(
    scope_list: list[str],
    unit_kind: str,
    threads: list[str],
    sides: list[str],
    used: np.ndarray,
) -> pd.DataFrame:
    """Share rows of every scope, frame and side, counted for all scopes at once.

    A thread scope counts the units of that thread, the pooled scope every unit. Each interval
    is the Wilson score interval of the row's count and n
    (:func:`analysis.compare.stats.wilson_share_cis`, all rows in one call).
    """
    k, n_frames, n_sides = len(scope_list), len(FRAMES), len(S.SIDES)
    code_of = {t: i for i, t in enumerate(scope_list) if t != S.POOLED}
    code = np.array([code_of.get(t, -1) for t in threads], dtype=np.int64)
    side = np.array([S.SIDES.index(x) for x in sides], dtype=np.int64)
    if S.POOLED in scope_list:  # every unit, whatever its thread
        code = np.concatenate([code, np.full(len(threads), scope_list.index(S.POOLED))])
        side, used = np.concatenate([side, side]), np.concatenate([used, used])
    keep = code >= 0
    key = code[keep] * n_sides + side[keep]
    n = np.bincount(key, minlength=k * n_sides).reshape(k, 1, n_sides)
    count = np.stack(
        [np.bincount(key, weights=used[keep, j], minlength=k * n_sides) for j in range(n_frames)],
        axis=1,
    ).astype(np.int64)  # (k * sides, frames) integer counts
    count = count.reshape(k, n_sides, n_frames).transpose(0, 2, 1)  # scope, frame, side
    n = np.broadcast_to(n, count.shape).ravel()
    count = count.ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, count / np.maximum(n, 1), np.nan)
    scope_col = np.repeat(np.asarray(scope_list, dtype=object), n_frames * n_sides)
    frame_col = np.tile(np.repeat(np.asarray(FRAMES, dtype=object), n_sides), k)
    side_col = np.tile(np.asarray(S.SIDES, dtype=object), k * n_frames)
    low, high = wilson_share_cis(count, n)
    table = pd.DataFrame(
        {
            S.THREAD_ID: scope_col,
            "frame": frame_col,
            S.SIDE: side_col,
            "unit_count": count,
            "n": n,
            "share": share,
            "ci_low": low,
            "ci_high": high,
        }
    )
    spec = S.FRAME_SHARES if unit_kind == UNIT_SENTENCE else S.FRAME_DOCUMENT_SHARES
    return spec.conform(table) if k else spec.empty()


def frame_tables(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    lexicon_dir: Path = config.LEXICON_DIR,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Score sentences and whole documents on the frames; compare shares by side, like with like.

    Computed per thread; when ``documents`` holds more than one thread, the share tables also
    have pooled rows (``thread_id = schema.POOLED``) over all threads' units. See the module
    docstring for the method, its measured agreement and what it cannot see.

    Args:
        sentences: the annotate stage's ``sentences`` table (uses ``lemmas``).
        documents: the ``documents`` table (uses ``is_annotated``, ``is_english``, ``position``).
        lexicon_dir: folder holding ``frames.csv``.

    Returns:
        ``(frame_scores, frame_shares, frame_document_shares)``: :data:`schema.FRAME_SCORES`
        (thread_id, unit, unit_id, side, frame, hit_count, score, matched_terms; sentence units
        first, each kind article first, frames in codebook order); :data:`schema.FRAME_SHARES`
        (article sentences vs comment sentences) and :data:`schema.FRAME_DOCUMENT_SHARES` (the
        article vs each comment, whole), both with thread_id, frame, side, unit_count, n, share,
        ci_low, ci_high: every frame of :data:`FRAMES` on both sides, by scope, frame, side.

    Raises:
        InputError: the lexicon is missing or malformed.
        StageInputError: a table lacks a needed column.
    """
    lexicon = read_frame_lexicon(lexicon_dir)
    matcher = TermMatcher(zip(lexicon["frame"], lexicon["term"], strict=True))
    by_kind = _unit_hits(unit_rows(sentences, documents, stage="compare.frames"), matcher)
    scope_list = scopes(documents)
    score_rows: list[tuple] = []
    shares: dict[str, pd.DataFrame] = {}
    for kind, units in by_kind.items():
        rows, used = _score_units(units, matcher, kind)
        score_rows += rows
        threads, sides = [u[0] for u in units], [u[2] for u in units]
        shares[kind] = _share_table(scope_list, kind, threads, sides, used)
    scores = pd.DataFrame(score_rows, columns=list(_SCORE_COLUMNS))
    scores = S.FRAME_SCORES.conform(scores) if score_rows else S.FRAME_SCORES.empty()
    return scores, shares[UNIT_SENTENCE], shares[UNIT_DOCUMENT]
