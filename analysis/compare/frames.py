"""Frames: which of the Policy Frames Codebook's dimensions each side uses, by dictionary.

Method
------
The 15 frame dimensions of the Policy Frames Codebook (Boydstun, Card, Gross, Resnik and Smith
2014), the dimensions annotated in the Media Frames Corpus (Card et al. 2015): economic; capacity
and resources; morality; fairness and equality; legality, constitutionality and jurisprudence;
policy prescription and evaluation; crime and punishment; security and defense; health and safety;
quality of life; cultural identity; public opinion; political; external regulation and reputation;
other.

This is a **dictionary method**. Each unit (an article sentence, or an annotated comment as a
whole; see :mod:`analysis.compare.topics` for the units) is matched against the editable lexicon
``data/lexicons/frames.csv`` (``frame,term``; multi-word terms first, longest match wins, within
one sentence). A unit *uses* a frame when at least one of its lemmas is one of the frame's terms;
a unit can use several frames. A unit without any hit is counted under ``other`` (the codebook's
catch-all), so every unit is accounted for. A dictionary cannot see negation, sarcasm, implicit
frames, context or word sense, nor whether a speaker endorses or rejects a frame, and the term
list is its authors' judgment: shares are a transparent first pass, not comparable to frames
coded by trained annotators (the lexicon's header says more).

Tables
------
- ``frame_scores``: per unit and frame with at least one hit: ``hit_count``, ``score`` (hits per
  100 content lemmas of the unit) and the matched terms (most frequent first); a unit with no hit
  has one row with frame ``other``, ``hit_count`` 0 and no matched terms.
- ``frame_shares``: per side and frame (all 15): units using the frame over the units of the side,
  with a seeded percentile bootstrap 95% interval
  (:func:`analysis.compare.stats.bootstrap_share_ci`; the seed of each row is derived from the
  run's seed and the row's scope, side and frame, so results are reproducible with the seed and
  change with another). Shares of one side do not sum
  to 1 (a unit can use several frames). A side with no units has ``n`` 0 and NaN share and
  interval; one unit gives a share but no interval.

Scopes: every thread, plus pooled rows (``thread_id = schema.POOLED``) over all units when the
input holds more than one thread (``frame_shares`` only; ``frame_scores`` is per unit already).
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.stats import bootstrap_share_ci
from analysis.compare.units import (
    TermMatcher,
    Unit,
    comparison_units,
    read_lexicon,
    unit_scopes,
)

FRAME_LEXICON_FILE = "frames.csv"
OTHER = "other"

#: Frame ids (snake_case forms of the codebook's names), in the codebook's order.
FRAMES = (
    "economic",
    "capacity_and_resources",
    "morality",
    "fairness_and_equality",
    "legality_constitutionality_jurisprudence",
    "policy_prescription_and_evaluation",
    "crime_and_punishment",
    "security_and_defense",
    "health_and_safety",
    "quality_of_life",
    "cultural_identity",
    "public_opinion",
    "political",
    "external_regulation_and_reputation",
    OTHER,
)

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
}

#: Frames the lexicon may list (``other`` is "no hit", so it has no terms).
LEXICON_FRAMES = tuple(f for f in FRAMES if f != OTHER)


def _row_seed(seed: int | None, *keys: object) -> int | None:
    """Per-row seed from the run's seed and a stable key (CRC-32 of the key; ``None`` stays)."""
    if seed is None:
        return None
    key = zlib.crc32("\x1f".join(str(k) for k in keys).encode("utf-8"))
    return int(np.random.SeedSequence([int(seed) % (2**63), key]).generate_state(1)[0])


def read_frame_lexicon(lexicon_dir: Path = config.LEXICON_DIR) -> pd.DataFrame:
    """Read ``<lexicon_dir>/frames.csv`` (columns ``frame``, ``term``, ``line``).

    Raises:
        InputError: missing or malformed file, or a frame that is not one of
            :data:`LEXICON_FRAMES` (``other`` takes no terms).
    """
    return read_lexicon(
        Path(lexicon_dir) / FRAME_LEXICON_FILE, group_column="frame", allowed_groups=LEXICON_FRAMES
    )


def _score_units(units: list[Unit], matcher: TermMatcher) -> tuple[list[dict], list[set[str]]]:
    """frame_scores rows and, per unit, the set of frames it uses (``{"other"}`` if none)."""
    rows: list[dict] = []
    used: list[set[str]] = []
    for unit in units:
        hits = matcher.hits(unit.sentences)
        n_tokens = len(unit.tokens)
        if not hits:
            used.append({OTHER})
            rows.append(
                {
                    S.THREAD_ID: unit.thread_id,
                    "unit_id": unit.unit_id,
                    S.SIDE: unit.side,
                    "frame": OTHER,
                    "hit_count": 0,
                    "score": 0.0,
                    "matched_terms": pd.NA,
                }
            )
            continue
        used.append(set(hits))
        for frame in LEXICON_FRAMES:
            if frame not in hits:
                continue
            counts = hits[frame]
            n_hits = sum(counts.values())
            terms = sorted(counts, key=lambda t, c=counts: (-c[t], t))
            rows.append(
                {
                    S.THREAD_ID: unit.thread_id,
                    "unit_id": unit.unit_id,
                    S.SIDE: unit.side,
                    "frame": frame,
                    "hit_count": n_hits,
                    "score": 100.0 * n_hits / n_tokens,
                    "matched_terms": " | ".join(terms),
                }
            )
    return rows, used


def _share_rows(
    scope: str, units: list[Unit], used: list[set[str]], seed: int | None
) -> list[dict]:
    rows = []
    for frame in FRAMES:
        for side in S.SIDES:
            flags = np.array(
                [frame in used[i] for i, u in enumerate(units) if u.side == side], dtype=bool
            )
            n = int(flags.size)
            count = int(flags.sum())
            low, high = bootstrap_share_ci(flags, seed=_row_seed(seed, scope, side, frame))
            rows.append(
                {
                    S.THREAD_ID: scope,
                    "frame": frame,
                    S.SIDE: side,
                    "unit_count": count,
                    "n": n,
                    "share": count / n if n else float("nan"),
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    return rows


def frame_tables(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    seed: int | None = config.SEED,
    lexicon_dir: Path = config.LEXICON_DIR,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score article sentences and annotated comments on the 15 frames; compare shares by side.

    Computed per thread; when ``documents`` holds more than one thread, ``frame_shares`` also has
    pooled rows (``thread_id = schema.POOLED``) over all threads' units. See the module docstring
    for the method and what it cannot see.

    Args:
        sentences: the annotate stage's ``sentences`` table (uses ``lemmas``).
        documents: the ``documents`` table (uses ``is_annotated``, ``is_english``, ``position``).
        seed: bootstrap seed (``None``: fresh randomness, for checking that intervals depend on it).
        lexicon_dir: folder holding ``frames.csv``.

    Returns:
        ``(frame_scores, frame_shares)`` conformed to :data:`schema.FRAME_SCORES` (thread_id,
        unit_id, side, frame, hit_count, score, matched_terms; units in
        :func:`~analysis.compare.topics.comparison_units` order, frames in codebook order) and
        :data:`schema.FRAME_SHARES` (thread_id, frame, side, unit_count, n, share, ci_low,
        ci_high; every frame on both sides, by scope, frame, side).

    Raises:
        InputError: the lexicon is missing or malformed.
        StageInputError: a table lacks a needed column.
    """
    lexicon = read_frame_lexicon(lexicon_dir)
    matcher = TermMatcher(zip(lexicon["frame"], lexicon["term"], strict=True))
    units = comparison_units(sentences, documents, stage="compare.frames")
    score_rows, used = _score_units(units, matcher)
    used_of = {(u.thread_id, u.side, u.unit_id): f for u, f in zip(units, used, strict=True)}
    share_rows: list[dict] = []
    for scope, scope_units in unit_scopes(units, documents):
        scope_used = [used_of[(u.thread_id, u.side, u.unit_id)] for u in scope_units]
        share_rows += _share_rows(scope, scope_units, scope_used, seed)
    scores = (
        S.FRAME_SCORES.conform(pd.DataFrame(score_rows)) if score_rows else (S.FRAME_SCORES.empty())
    )
    shares = (
        S.FRAME_SHARES.conform(pd.DataFrame(share_rows)) if share_rows else (S.FRAME_SHARES.empty())
    )
    return scores, shares
