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
  and side: units using the frame over the side's units, with a seeded percentile bootstrap 95%
  interval (:func:`analysis.compare.stats.bootstrap_share_ci`; seed derived from the run's seed
  and the row's scope, unit, side and frame). Shares of one side do not sum to 1 (a unit can use
  several frames). A side with no units has ``n`` 0 and NaN share and interval; one unit gives a
  share but no interval.

Scopes: every thread, plus pooled rows (``thread_id = schema.POOLED``) over all units when the
input holds more than one thread (the share tables; ``frame_scores`` is per unit already).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.stats import bootstrap_share_cis, derive_seed
from analysis.compare.units import (
    UNIT_DOCUMENT,
    UNIT_SENTENCE,
    TermMatcher,
    Unit,
    document_units,
    read_lexicon,
    sentence_units,
    unit_scopes,
)

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


def _score_units(
    units: list[Unit], matcher: TermMatcher, unit_kind: str
) -> tuple[list[dict], list[set[str]]]:
    """frame_scores rows and, per unit, the frames it uses (``{NO_FRAME_TERM}`` if none)."""
    rows: list[dict] = []
    used: list[set[str]] = []
    for unit in units:
        hits = matcher.hits(unit.sentences)
        base = {S.THREAD_ID: unit.thread_id, "unit": unit_kind, "unit_id": unit.unit_id}
        if not hits:
            used.append({NO_FRAME_TERM})
            rows.append(
                {
                    **base,
                    S.SIDE: unit.side,
                    "frame": NO_FRAME_TERM,
                    "hit_count": 0,
                    "score": 0.0,
                    "matched_terms": pd.NA,
                }
            )
            continue
        used.append(set(hits))
        n_tokens = len(unit.tokens)
        for frame in LEXICON_FRAMES:
            if frame not in hits:
                continue
            counts = hits[frame]
            n_hits = sum(counts.values())
            terms = sorted(counts, key=lambda t, c=counts: (-c[t], t))
            rows.append(
                {
                    **base,
                    S.SIDE: unit.side,
                    "frame": frame,
                    "hit_count": n_hits,
                    "score": 100.0 * n_hits / n_tokens,
                    "matched_terms": " | ".join(terms),
                }
            )
    return rows, used


def _share_rows(
    scope: str, unit_kind: str, units: list[Unit], used: list[set[str]], seed: int | None
) -> list[dict]:
    """Share rows of every frame and side (the seed also keys on the unit kind).

    The intervals are :func:`analysis.compare.stats.bootstrap_share_ci`'s, drawn for all rows at
    once by :func:`~analysis.compare.stats.bootstrap_share_cis` (each row from its own generator,
    seeded as before, so the values are the same).
    """
    rows = []
    for frame in FRAMES:
        for side in S.SIDES:
            flags = [frame in used[i] for i, u in enumerate(units) if u.side == side]
            n, count = len(flags), sum(flags)
            rows.append(
                {
                    S.THREAD_ID: scope,
                    "frame": frame,
                    S.SIDE: side,
                    "unit_count": count,
                    "n": n,
                    "share": count / n if n else float("nan"),
                }
            )
    seeds = [derive_seed(seed, scope, unit_kind, r[S.SIDE], r["frame"]) for r in rows]
    low, high = bootstrap_share_cis([r["unit_count"] for r in rows], [r["n"] for r in rows], seeds)
    for r, lo, hi in zip(rows, low.tolist(), high.tolist(), strict=True):
        r["ci_low"], r["ci_high"] = lo, hi
    return rows


def frame_tables(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    seed: int | None = config.SEED,
    lexicon_dir: Path = config.LEXICON_DIR,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Score sentences and whole documents on the frames; compare shares by side, like with like.

    Computed per thread; when ``documents`` holds more than one thread, the share tables also
    have pooled rows (``thread_id = schema.POOLED``) over all threads' units. See the module
    docstring for the method, its measured agreement and what it cannot see.

    Args:
        sentences: the annotate stage's ``sentences`` table (uses ``lemmas``).
        documents: the ``documents`` table (uses ``is_annotated``, ``is_english``, ``position``).
        seed: bootstrap seed (``None``: fresh randomness, for checking that intervals depend on it).
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
    by_kind = {
        UNIT_SENTENCE: sentence_units(sentences, documents, stage="compare.frames"),
        UNIT_DOCUMENT: document_units(sentences, documents, stage="compare.frames"),
    }
    score_rows: list[dict] = []
    shares: dict[str, pd.DataFrame] = {}
    for kind, units in by_kind.items():
        rows, used = _score_units(units, matcher, kind)
        score_rows += rows
        used_of = {(u.thread_id, u.unit_id): f for u, f in zip(units, used, strict=True)}
        share_rows: list[dict] = []
        for scope, scope_units in unit_scopes(units, documents):
            scope_used = [used_of[(u.thread_id, u.unit_id)] for u in scope_units]
            share_rows += _share_rows(scope, kind, scope_units, scope_used, seed)
        spec = S.FRAME_SHARES if kind == UNIT_SENTENCE else S.FRAME_DOCUMENT_SHARES
        shares[kind] = spec.conform(pd.DataFrame(share_rows)) if share_rows else spec.empty()
    scores = (
        S.FRAME_SCORES.conform(pd.DataFrame(score_rows)) if score_rows else S.FRAME_SCORES.empty()
    )
    return scores, shares[UNIT_SENTENCE], shares[UNIT_DOCUMENT]
