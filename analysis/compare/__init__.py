"""Compare the article with the comments under it: the ``compare`` stage.

Reads the ingest and annotate tables and writes one tidy table per comparison, per thread and, when
the corpus holds several threads, pooled across them (``thread_id == "__pooled__"``). Each table's
method and citation is in the docstring of the module that computes it:

============================  ====================================================================
table                         method (module)
============================  ====================================================================
agenda                        mention and document shares per canonical entity, ranked as an
                              actor only when two independent places name it (:mod:`.agenda`;
                              McCombs and Shaw 1972)
actor_tone                    mean VADER compound of sentences around an entity's mentions, seeded
                              bootstrap interval, small samples flagged (:mod:`.tone`; Hutto and
                              Gilbert 2014; Efron and Tibshirani 1993)
tone_shares, tone_summary     article sentences vs comment sentences vs whole comments, shares
                              with Wilson score intervals, means with bootstrap ones (:mod:`.tone`)
keyness                       weighted log-odds ratio, informative Dirichlet prior, the
                              comments against the article and against general English
                              (:mod:`.keyness`; Monroe, Colaresi and Quinn 2008; wordfreq)
topic_terms, topic_shares     exploratory NMF fit on all threads together; guided topics from a
                              lexicon the researcher supplies (:mod:`.topics`)
frame_scores, frame_shares,   Policy Frames Codebook dictionary, article sentences vs comment
frame_document_shares         sentences and the article vs whole comments (:mod:`.frames`;
                              Boydstun et al. 2014, Card et al. 2015)
engagement,                   which article paragraph each comment relates to, off-article
off_article_drivers           comments (:mod:`.engagement`)
headlines                     statements generated from the tables above (:mod:`.headlines`)
============================  ====================================================================

Only annotated English documents enter a comparison, and never a platform placeholder
("[deleted]", flagged ``is_placeholder`` by ingest when the corpus has that column; see
:mod:`.scope`); numbers that cannot be computed (no comments, nothing in English, a single unit)
are NaN in the tables and explained by :func:`~analysis.compare.notes.compare_notes`, the printed
summary and the ``coverage`` headline.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.agenda import agenda_table
from analysis.compare.headlines import headline_findings, write_headlines
from analysis.compare.keyness import keyness_table
from analysis.compare.notes import compare_notes
from analysis.compare.scope import analysed_columns, require, with_placeholders
from analysis.compare.tone import actor_tone_table, tone_tables
from analysis.errors import StageInputError
from analysis.tables import (
    read_columns,
    read_fingerprint,
    read_table,
    release_arrow_memory,
    write_table,
)

__all__ = ["OUTPUT_TABLES", "compare_dir", "compare_notes", "compare_tables"]

#: Tables this stage writes, in order.
OUTPUT_TABLES = (
    "agenda",
    "actor_tone",
    "tone_shares",
    "tone_summary",
    "keyness",
    "topic_terms",
    "topic_shares",
    "frame_scores",
    "frame_shares",
    "frame_document_shares",
    "engagement",
    "off_article_drivers",
    "headlines",
)
REQUIRED_INPUTS = ("sentences", "documents", "mentions")
OPTIONAL_INPUTS = ("paragraphs", "entities", "corpus")
#: The corpus columns compare reads: placeholder flags (:func:`.scope.with_placeholders`) and
#: authors (:mod:`.agenda`); ``author_id`` and ``is_placeholder`` may be absent. The corpus's
#: texts (``text``, ``text_raw``: most of its memory) are not read: the methods use the
#: annotate tables.
CORPUS_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.AUTHOR_ID, S.IS_PLACEHOLDER)


def _required_columns(name: str) -> tuple[str, ...]:
    """What :func:`compare_tables` needs of input ``name``: its spec's columns but the span text
    (:func:`.scope.analysed_columns`), and of the corpus only the ids (the placeholder flag and
    authors are used when present)."""
    if name == "corpus":
        return (S.THREAD_ID, S.DOC_ID)
    return analysed_columns(S.ALL_TABLES[name])


def _inputs(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    missing = [name for name in REQUIRED_INPUTS if tables.get(name) is None]
    if missing:
        raise StageInputError(
            f"compare: missing input tables {missing}; run `discourse annotate` first"
        )
    out = {}
    for name in (*REQUIRED_INPUTS, *OPTIONAL_INPUTS):
        spec = S.ALL_TABLES[name]
        frame = tables.get(name)
        if frame is None:
            out[name] = spec.empty()
            continue
        require(frame, _required_columns(name), table=name)
        out[name] = frame
    # Platform placeholders ("[deleted]") flagged by ingest are left out of every comparison.
    out["documents"] = with_placeholders(out["documents"], out["corpus"])
    return out


def compare_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    seed: int | None = config.SEED,
    lexicon_dir: Path = config.LEXICON_DIR,
    topic_lexicon: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Every comparison table, from the ingest and annotate tables.

    Args:
        tables: input tables by name: ``sentences``, ``documents``, ``mentions`` (required),
            ``paragraphs``, ``entities``, ``corpus`` (optional).
        seed: the seed for the bootstraps of means and for NMF.
        lexicon_dir: folder with the frame lexicon.
        topic_lexicon: a ``topic,term`` CSV of the researcher's own topics (guided topics);
            ``None``: exploratory topics only.

    Returns:
        ``{name: frame}`` for every name in :data:`OUTPUT_TABLES`, each conformed to its spec.

    Raises:
        StageInputError: a required table is missing or lacks a column of its spec.
    """
    from analysis.compare.engagement import engagement_tables
    from analysis.compare.frames import frame_tables
    from analysis.compare.topics import topic_tables

    inp = _inputs(tables)
    sents, docs, ments, paras = (
        inp["sentences"],
        inp["documents"],
        inp["mentions"],
        inp["paragraphs"],
    )
    out: dict[str, pd.DataFrame] = {}
    out["agenda"] = agenda_table(
        ments, sents, docs, paras, entities=inp["entities"], corpus=inp["corpus"]
    )
    out["actor_tone"] = actor_tone_table(ments, docs, seed=seed)
    out["tone_shares"], out["tone_summary"] = tone_tables(sents, docs, seed=seed)
    out["keyness"] = keyness_table(sents, docs)
    # The topic, frame and engagement functions compute every thread, and the pooled rows,
    # themselves (see their docstrings), so they get all rows at once.
    out["topic_terms"], out["topic_shares"] = topic_tables(
        sents, docs, seed=seed, topic_lexicon=topic_lexicon
    )
    out["frame_scores"], out["frame_shares"], out["frame_document_shares"] = frame_tables(
        sents, docs, lexicon_dir=lexicon_dir
    )
    out["engagement"], out["off_article_drivers"] = engagement_tables(sents, docs, paras, ments)
    out["headlines"] = headline_findings({**inp, **out})
    return {name: out[name] for name in OUTPUT_TABLES}


def compare_dir(
    in_dir: Path,
    out_dir: Path | None = None,
    *,
    seed: int | None = config.SEED,
    csv: bool = False,
    lexicon_dir: Path = config.LEXICON_DIR,
    topic_lexicon: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Read the input tables from ``in_dir``, compare, write every table to ``out_dir``.

    Also writes ``headlines.md`` and ``headlines.json``.

    Returns:
        The comparison tables by name (:data:`OUTPUT_TABLES`).

    Raises:
        StageInputError: an input table is missing (naming the step that writes it).
    """
    in_dir = Path(in_dir)
    out_dir = Path(out_dir) if out_dir is not None else in_dir
    stamp = read_fingerprint(in_dir)
    # every column but the span texts, which no comparison reads (.scope.analysed_columns)
    tables = {
        name: read_columns(name, in_dir, analysed_columns(S.ALL_TABLES[name]), fingerprint=stamp)
        for name in (*REQUIRED_INPUTS, "paragraphs")
    }
    optional = {
        "entities": read_table("entities", in_dir, required=False, fingerprint=stamp),
        # only the columns compare reads, not the texts
        "corpus": read_columns("corpus", in_dir, CORPUS_COLUMNS, required=False, fingerprint=stamp),
    }
    tables.update({name: table for name, table in optional.items() if table is not None})
    release_arrow_memory()  # the read buffers, freed, would stay resident for the whole stage
    outputs = compare_tables(
        tables, seed=seed, lexicon_dir=lexicon_dir, topic_lexicon=topic_lexicon
    )
    for name in OUTPUT_TABLES:
        write_table(outputs[name], S.ALL_TABLES[name], out_dir, csv=csv, fingerprint=stamp)
    write_headlines(outputs["headlines"], out_dir)
    return outputs


def format_summary(outputs: Mapping[str, pd.DataFrame], out_dir: Path) -> str:
    """A short plain-text summary: rows per table, notes per thread, the headline statements."""
    lines = [f"compare: {len(OUTPUT_TABLES)} tables -> {out_dir}"]
    for name in OUTPUT_TABLES:
        lines.append(f"  {name:<20} {len(outputs[name]):>6} rows")
    for thread, thread_notes in compare_notes(outputs).items():
        for note in thread_notes:
            lines.append(f"  note [{thread}]: {note}")
    heads = outputs["headlines"]
    if not heads.empty:
        lines.append(f"headline findings ({Path(out_dir) / 'headlines.md'}):")
        for _, row in heads.iterrows():
            lines.append(f"  [{row[S.THREAD_ID]}] {row['statement']}")
    return "\n".join(lines)
