"""Column names and dtypes of every table the suite writes.

Each table is a :class:`TableSpec`: an ordered mapping of column name to pandas dtype plus a
one-line description per column. Code refers to columns through the constants below, never through
scattered string literals, and every stage ends with ``SPEC.conform(df)`` so the written tables have
exactly these columns in this order with these dtypes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.errors import StageInputError

# ---------------------------------------------------------------------------------------------
# Column names shared by several tables
# ---------------------------------------------------------------------------------------------
THREAD_ID = "thread_id"
DOC_ID = "doc_id"
DOC_KIND = "doc_kind"
PARAGRAPH_ID = "paragraph_id"
SENTENCE_ID = "sentence_id"
MENTION_ID = "mention_id"
ENTITY_ID = "entity_id"
ENTITY_NAME = "entity_name"
TEXT = "text"
START_CHAR = "start_char"
END_CHAR = "end_char"
LABEL = "label"
LANG = "lang"
SIDE = "side"  # "article" or "comments" in comparison tables
#: corpus flag for platform placeholders ("[deleted]", "This comment has been deleted"); set by
#: ingest, excluded from analysis by compare
IS_PLACEHOLDER = "is_placeholder"

ARTICLE = "article"
COMMENT = "comment"
DOC_KINDS = (ARTICLE, COMMENT)
SIDE_ARTICLE = "article"
SIDE_COMMENTS = "comments"
SIDES = (SIDE_ARTICLE, SIDE_COMMENTS)
#: thread_id used for rows pooled across all threads of a corpus.
POOLED = "__pooled__"

SENTIMENT_LABELS = ("negative", "neutral", "positive")

#: Entity labels the suite keeps (spaCy OntoNotes labels that name actors, places and groups).
ENTITY_LABELS = (
    "PERSON",
    "NORP",
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "EVENT",
    "LAW",
    "PRODUCT",
    "WORK_OF_ART",
    "LANGUAGE",
)
LINK_METHODS = ("model", "gazetteer", "alias", "fuzzy", "flag")


@dataclass(frozen=True)
class TableSpec:
    """The columns of one table: name -> (pandas dtype, description)."""

    name: str
    columns: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    description: str = ""

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    @property
    def dtypes(self) -> dict[str, str]:
        return {name: dtype for name, (dtype, _) in self.columns.items()}

    def empty(self) -> pd.DataFrame:
        """An empty frame with this table's columns and dtypes."""
        return pd.DataFrame({n: pd.Series([], dtype=d) for n, d in self.dtypes.items()})

    def conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return a copy with exactly this table's columns, in order, cast to its dtypes.

        Raises:
            StageInputError: a column is missing.
        """
        missing = [c for c in self.names if c not in df.columns]
        if missing:
            raise StageInputError(f"table {self.name!r}: missing columns {missing}")
        out = df.loc[:, self.names].copy()
        for col, dtype in self.dtypes.items():
            if str(out[col].dtype) != dtype:
                out[col] = out[col].astype(dtype)
        return out.reset_index(drop=True)

    def check(self, df: pd.DataFrame, *, stage: str = "") -> None:
        """Raise :class:`StageInputError` when ``df`` lacks a column of this table."""
        missing = [c for c in self.names if c not in df.columns]
        if missing:
            where = f"{stage}: " if stage else ""
            raise StageInputError(
                f"{where}expected a {self.name!r} table; missing columns {missing}"
            )

    def describe(self) -> pd.DataFrame:
        """A data dictionary: column, dtype, description."""
        return pd.DataFrame(
            [(n, d, desc) for n, (d, desc) in self.columns.items()],
            columns=["column", "dtype", "description"],
        )


STR = "string"
INT = "Int64"
FLOAT = "float64"
BOOL = "boolean"
DATE = "datetime64[s]"

# ---------------------------------------------------------------------------------------------
# Ingest
# ---------------------------------------------------------------------------------------------
CORPUS = TableSpec(
    "corpus",
    {
        THREAD_ID: (STR, "thread the document belongs to (input file stem unless given)"),
        DOC_ID: (STR, "stable id: '<thread_id>/article' or '<thread_id>/c<position>'"),
        DOC_KIND: (STR, "'article' or 'comment'"),
        "position": (INT, "0 for the article, 1..n for comments in source order"),
        "source_id": (STR, "the source's own id (YouTube cid, CSV id column), if any"),
        "parent_id": (STR, "doc_id of the comment replied to; missing for top-level comments"),
        "is_reply": (BOOL, "the comment is a reply to another comment"),
        "author_id": (
            STR,
            "salted pseudonym of the author (raw name only with --keep-author-names)",
        ),
        "title": (STR, "article title (article row only)"),
        "published_text": (STR, "the time exactly as the source gave it, e.g. '6 months ago'"),
        "published_date": (DATE, "publication time (UTC); estimated from relative times"),
        "is_date_estimated": (BOOL, "published_date was computed from a relative time"),
        "is_edited": (BOOL, "the source marks the comment as edited"),
        "like_count": (INT, "likes/votes, '1.2K' expanded to 1200; missing when unknown"),
        TEXT: (STR, "normalised text for analysis (NFC, no BOM/zero-width, entities unescaped)"),
        "text_raw": (STR, "the text exactly as the source held it"),
        "is_empty": (BOOL, "no visible text after normalisation"),
        "is_duplicate": (
            BOOL,
            "same normalised text as an earlier non-empty comment in the thread",
        ),
        "duplicate_of": (STR, "doc_id of the first comment with the same text"),
        "source_file": (STR, "input file the record came from"),
        "source_format": (
            STR,
            "seed | youtube-jsonl | youtube-api | csv; 'article' for an article read from "
            "--article FILE",
        ),
        "source_record": (INT, "1-based line (seed, JSON lines, CSV) or item number (JSON)"),
    },
    "One row per document, the article first in each thread.",
)

PARAGRAPHS = TableSpec(
    "paragraphs",
    {
        THREAD_ID: (STR, "thread"),
        DOC_ID: (STR, "document"),
        PARAGRAPH_ID: (STR, "'<doc_id>/p<index>'; p0 of an article is its title"),
        "paragraph_index": (INT, "0-based index within the document"),
        "is_title": (BOOL, "the paragraph is the article title"),
        START_CHAR: (INT, "offset into the document's normalised text"),
        END_CHAR: (INT, "end offset (exclusive)"),
        TEXT: (STR, "the paragraph text; equals text[start_char:end_char]"),
    },
    "Paragraphs of every document, addressable by id.",
)

REJECTS = TableSpec(
    "rejects",
    {
        "source_file": (STR, "input file"),
        "source_record": (INT, "1-based line or record number"),
        "reason": (STR, "what was wrong and what was expected"),
        "record_raw": (STR, "the rejected record as read (truncated to 2,000 characters)"),
    },
    "Records rejected under --on-error skip.",
)

# ---------------------------------------------------------------------------------------------
# Annotate
# ---------------------------------------------------------------------------------------------
SENTENCES = TableSpec(
    "sentences",
    {
        THREAD_ID: (STR, "thread"),
        DOC_ID: (STR, "document"),
        DOC_KIND: (STR, "'article' or 'comment'"),
        SENTENCE_ID: (STR, "'<doc_id>/s<index>'"),
        "sentence_index": (INT, "0-based index within the document"),
        PARAGRAPH_ID: (STR, "paragraph holding the sentence"),
        START_CHAR: (INT, "offset into the document's normalised text"),
        END_CHAR: (INT, "end offset (exclusive)"),
        TEXT: (STR, "sentence text; equals the document text[start_char:end_char]"),
        "lemmas": (
            STR,
            "space-separated lower-case lemmas of content words (no stop words, "
            "punctuation, numbers or URLs)",
        ),
        "words": (
            STR,
            "the same content words as lemmas, as written (lower-cased surface forms, "
            "in the same order): for word frequencies and readable topic labels",
        ),
        "token_count": (INT, "spaCy tokens"),
        "vader_neg": (FLOAT, "VADER negative proportion"),
        "vader_neu": (FLOAT, "VADER neutral proportion"),
        "vader_pos": (FLOAT, "VADER positive proportion"),
        "vader_compound": (FLOAT, "VADER compound in [-1, 1]; NaN for non-English documents"),
    },
    "One row per sentence of every annotated document.",
)

DOCUMENTS = TableSpec(
    "documents",
    {
        THREAD_ID: (STR, "thread"),
        DOC_ID: (STR, "document"),
        DOC_KIND: (STR, "'article' or 'comment'"),
        "position": (INT, "as in the corpus"),
        "is_empty": (BOOL, "as in the corpus"),
        "is_duplicate": (BOOL, "as in the corpus"),
        LANG: (
            STR,
            "language code (ISO 639-1, or 639-3 where there is no 639-1 code); missing "
            "for empty documents",
        ),
        "lang_score": (FLOAT, "detector's probability for lang; NaN when the text has no letters"),
        "is_english": (BOOL, "lang == 'en' (short texts default to English, see language.py)"),
        "is_annotated": (BOOL, "sentences, sentiment and entities were computed"),
        "skip_reason": (STR, "why not annotated: empty | not-english; missing otherwise"),
        "token_count": (INT, "spaCy tokens, whitespace excluded (0 for empty documents)"),
        "word_count": (INT, "alphabetic tokens"),
        "sentence_count": (INT, "sentences; missing when not annotated"),
        "vader_neg": (FLOAT, "VADER on the whole text"),
        "vader_neu": (FLOAT, "VADER on the whole text"),
        "vader_pos": (FLOAT, "VADER on the whole text"),
        "vader_compound": (FLOAT, "VADER compound on the whole text"),
        "sentence_compound_mean": (FLOAT, "mean of the sentences' compounds"),
        "sentiment_label": (STR, "negative | neutral | positive from vader_compound at +-0.05"),
        "mention_count": (INT, "entity mentions; missing when not annotated"),
    },
    "One row per corpus document, annotated or not (with the reason).",
)

MENTIONS = TableSpec(
    "mentions",
    {
        THREAD_ID: (STR, "thread"),
        MENTION_ID: (STR, "'<doc_id>/m<index>'"),
        DOC_ID: (STR, "document"),
        DOC_KIND: (STR, "'article' or 'comment'"),
        SENTENCE_ID: (STR, "sentence holding the mention"),
        START_CHAR: (INT, "offset into the document's normalised text"),
        END_CHAR: (INT, "end offset (exclusive)"),
        TEXT: (STR, "mention text; equals the document text[start_char:end_char]"),
        LABEL: (STR, "entity label (ENTITY_LABELS)"),
        ENTITY_ID: (STR, "canonical entity id, stable across runs (slug of the canonical name)"),
        ENTITY_NAME: (STR, "canonical name"),
        "link_method": (STR, "model | gazetteer | alias | fuzzy | flag"),
        "link_score": (FLOAT, "1.0 for exact links; similarity in [0, 1] for fuzzy ones"),
        "sentence_compound": (FLOAT, "VADER compound of the sentence (entity-targeted tone)"),
    },
    "One row per entity mention.",
)

ENTITIES = TableSpec(
    "entities",
    {
        THREAD_ID: (STR, "thread, or __pooled__ for the whole corpus"),
        ENTITY_ID: (STR, "canonical entity id"),
        ENTITY_NAME: (STR, "canonical name"),
        LABEL: (STR, "entity label"),
        "aliases": (STR, "surface forms seen, ' | '-separated, most frequent first"),
        "mention_count": (INT, "mentions in the thread"),
        "article_mention_count": (INT, "mentions in the article"),
        "comment_mention_count": (INT, "mentions in comments"),
        "doc_count": (INT, "documents mentioning the entity"),
        "link_methods": (STR, "methods that produced its mentions, with counts"),
    },
    "One row per canonical entity per thread.",
)

# ---------------------------------------------------------------------------------------------
# Compare (one row set per thread, plus rows with thread_id == POOLED when a corpus has several)
# ---------------------------------------------------------------------------------------------
PRESENCE_VALUES = ("both", "article_only", "comments_only")

AGENDA = TableSpec(
    "agenda",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        ENTITY_ID: (STR, "canonical entity"),
        ENTITY_NAME: (STR, "canonical name"),
        LABEL: (STR, "entity label"),
        "article_mention_count": (INT, "mentions in the article"),
        "comment_mention_count": (INT, "mentions in the comments"),
        "article_mention_share": (FLOAT, "share of all article mentions"),
        "comment_mention_share": (FLOAT, "share of all comment mentions"),
        "mention_share_diff": (FLOAT, "comment_mention_share - article_mention_share"),
        "article_doc_share": (FLOAT, "share of article paragraphs mentioning the entity"),
        "comment_doc_share": (FLOAT, "share of annotated comments mentioning the entity"),
        "presence": (STR, "both | article_only | comments_only"),
    },
    "Agenda: who each side talks about.",
)

ACTOR_TONE = TableSpec(
    "actor_tone",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        ENTITY_ID: (STR, "canonical entity"),
        ENTITY_NAME: (STR, "canonical name"),
        SIDE: (STR, "article | comments"),
        "mention_count": (INT, "mentions on this side"),
        "sentence_count": (INT, "distinct sentences around the mentions"),
        "compound_mean": (FLOAT, "mean VADER compound of those sentences"),
        "ci_low": (FLOAT, "seeded percentile bootstrap 95% interval, lower end"),
        "ci_high": (FLOAT, "upper end"),
        "is_too_few": (BOOL, "fewer sentences than the minimum: no comparison is made"),
    },
    "Tone toward each actor, per side.",
)

TONE_SHARES = TableSpec(
    "tone_shares",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "unit": (STR, "article_sentence | comment_sentence | comment"),
        "sentiment_label": (STR, "negative | neutral | positive"),
        "count": (INT, "units with the label"),
        "n": (INT, "units in all"),
        "share": (FLOAT, "count / n"),
        "ci_low": (FLOAT, "seeded bootstrap 95% interval, lower end"),
        "ci_high": (FLOAT, "upper end"),
    },
    "Negative/neutral/positive shares of article sentences, comment sentences and comments.",
)

TONE_SUMMARY = TableSpec(
    "tone_summary",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "unit": (STR, "article_sentence | comment_sentence | comment"),
        "n": (INT, "units with a compound score"),
        "excluded_count": (
            INT,
            "units of this kind left out: not annotated, not English, or no compound score",
        ),
        "compound_mean": (FLOAT, "mean compound"),
        "ci_low": (FLOAT, "bootstrap 95% interval of the mean, lower end"),
        "ci_high": (FLOAT, "upper end"),
        "compound_median": (FLOAT, "median"),
        "compound_q1": (FLOAT, "25th percentile"),
        "compound_q3": (FLOAT, "75th percentile"),
    },
    "Distribution summary of VADER compound per unit.",
)

KEYNESS = TableSpec(
    "keyness",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "term": (STR, "lemma"),
        "article_count": (INT, "occurrences in the article"),
        "comment_count": (INT, "occurrences in the comments"),
        "log_odds_ratio": (
            FLOAT,
            "delta: comments minus article, with informative Dirichlet prior",
        ),
        "variance": (FLOAT, "approximate variance of delta"),
        "z_score": (
            FLOAT,
            "delta / sqrt(variance); > 1.96 distinctive of comments, < -1.96 article",
        ),
        SIDE: (STR, "side the term is distinctive of (sign of z), or 'neither' when |z| < 1.96"),
    },
    "Distinctive terms, Monroe, Colaresi and Quinn (2008) weighted log-odds.",
)

TOPIC_TERMS = TableSpec(
    "topic_terms",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "method": (STR, "lexicon (guided) | nmf (exploratory)"),
        "topic_id": (STR, "topic id"),
        "topic_label": (STR, "lexicon topic name, or top terms for NMF topics"),
        "term": (
            STR,
            "NMF: the lemma as written (its most frequent surface form); lexicon: the lexicon term",
        ),
        "weight": (FLOAT, "NMF component weight, or hit count for lexicon topics"),
        "rank": (INT, "1 = strongest term of the topic"),
    },
    "Terms that define each topic.",
)

TOPIC_SHARES = TableSpec(
    "topic_shares",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "method": (STR, "lexicon | nmf"),
        "topic_id": (STR, "topic id; 'none' holds units without any topic"),
        "topic_label": (STR, "topic label"),
        SIDE: (STR, "article | comments"),
        "unit_count": (INT, "units (article sentences or comments) whose main topic this is"),
        "share": (
            FLOAT,
            "share of the side's units, each unit's weight 1 split over its topics; NaN "
            "when the side has no unit",
        ),
        "is_comment_led": (BOOL, "topic's comment share exceeds its article share by a margin"),
        "is_exploratory": (BOOL, "NMF on a small thread: read as exploratory"),
    },
    "Topic shares per side.",
)

FRAME_SHARES = TableSpec(
    "frame_shares",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "frame": (STR, "Policy Frames Codebook dimension, or no_frame_term"),
        SIDE: (STR, "article | comments"),
        "unit_count": (
            INT,
            "sentences (article sentences, or comment sentences) with a lexicon hit for the "
            "frame (no_frame_term: with none)",
        ),
        "n": (INT, "sentences scored on this side"),
        "share": (FLOAT, "unit_count / n"),
        "ci_low": (FLOAT, "bootstrap 95% interval, lower end"),
        "ci_high": (FLOAT, "upper end"),
    },
    "Frame shares per side, like units: article sentences vs comment sentences (dictionary "
    "method).",
)

FRAME_DOCUMENT_SHARES = TableSpec(
    "frame_document_shares",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "frame": (STR, "Policy Frames Codebook dimension, or no_frame_term"),
        SIDE: (STR, "article | comments"),
        "unit_count": (
            INT,
            "documents (the article, or comments) with a lexicon hit for the frame "
            "(no_frame_term: with none)",
        ),
        "n": (INT, "documents scored on this side (the article side: 1 per thread)"),
        "share": (FLOAT, "unit_count / n"),
        "ci_low": (FLOAT, "bootstrap 95% interval, lower end"),
        "ci_high": (FLOAT, "upper end"),
    },
    "Frame shares per side, whole documents: the article vs each comment (dictionary method).",
)

FRAME_SCORES = TableSpec(
    "frame_scores",
    {
        THREAD_ID: (STR, "thread"),
        "unit": (STR, "sentence | document"),
        "unit_id": (STR, "sentence_id for sentence units, doc_id for document units"),
        SIDE: (STR, "article | comments"),
        "frame": (STR, "frame dimension, or no_frame_term"),
        "hit_count": (INT, "lexicon hits"),
        "score": (FLOAT, "hits per 100 content lemmas of the unit"),
        "matched_terms": (STR, "terms matched, ' | '-separated"),
    },
    "Per-unit frame hits (frames with at least one hit; a unit without any hit has one "
    "'no_frame_term' row).",
)

ENGAGEMENT = TableSpec(
    "engagement",
    {
        THREAD_ID: (STR, "thread"),
        DOC_ID: (STR, "comment"),
        PARAGRAPH_ID: (STR, "article paragraph the comment relates to most; missing if none"),
        "score": (FLOAT, "combined score in [0, 1]"),
        "entity_overlap": (FLOAT, "Jaccard overlap of canonical entities"),
        "lemma_similarity": (FLOAT, "TF-IDF cosine similarity of lemmas"),
        "is_off_article": (BOOL, "score below the documented threshold"),
        "shared_entities": (STR, "canonical names shared with the paragraph"),
    },
    "Which article paragraph each annotated comment engages, if any.",
)

OFF_ARTICLE_DRIVERS = TableSpec(
    "off_article_drivers",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        ENTITY_ID: (STR, "canonical entity"),
        ENTITY_NAME: (STR, "canonical name"),
        "off_article_comment_count": (INT, "off-article comments mentioning it"),
        "off_article_comment_share": (FLOAT, "share of off-article comments mentioning it"),
        "in_article": (BOOL, "the article mentions it at all"),
    },
    "Entities that drive off-article comments.",
)

HEADLINES = TableSpec(
    "headlines",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "finding_id": (STR, "stable id of the finding's kind"),
        "statement": (STR, "one neutral, number-backed sentence"),
        "numbers": (STR, "JSON object of the numbers quoted"),
        "source_table": (STR, "table the numbers come from"),
    },
    "Headline findings generated from the tables.",
)

ALL_TABLES = {
    spec.name: spec
    for spec in (
        CORPUS,
        PARAGRAPHS,
        REJECTS,
        SENTENCES,
        DOCUMENTS,
        MENTIONS,
        ENTITIES,
        AGENDA,
        ACTOR_TONE,
        TONE_SHARES,
        TONE_SUMMARY,
        KEYNESS,
        TOPIC_TERMS,
        TOPIC_SHARES,
        FRAME_SHARES,
        FRAME_DOCUMENT_SHARES,
        FRAME_SCORES,
        ENGAGEMENT,
        OFF_ARTICLE_DRIVERS,
        HEADLINES,
    )
}
