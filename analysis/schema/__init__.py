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
        "term": (STR, "lemma"),
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
        "frame": (STR, "Policy Frames Codebook dimension"),
        SIDE: (STR, "article | comments"),
        "unit_count": (
            INT,
            "units (article sentences or comments) with a lexicon hit for the frame",
        ),
        "n": (INT, "units scored on this side"),
        "share": (FLOAT, "unit_count / n"),
        "ci_low": (FLOAT, "bootstrap 95% interval, lower end"),
        "ci_high": (FLOAT, "upper end"),
    },
    "Frame shares per side (dictionary method).",
)

FRAME_SCORES = TableSpec(
    "frame_scores",
    {
        THREAD_ID: (STR, "thread"),
        "unit_id": (STR, "sentence_id for article sentences, doc_id for comments"),
        SIDE: (STR, "article | comments"),
        "frame": (STR, "frame dimension"),
        "hit_count": (INT, "lexicon hits"),
        "score": (FLOAT, "hits per 100 content lemmas of the unit"),
        "matched_terms": (STR, "terms matched, ' | '-separated"),
    },
    "Per-unit frame hits (frames with at least one hit; a unit without any hit has one "
    "'other' row).",
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
        FRAME_SCORES,
        ENGAGEMENT,
        OFF_ARTICLE_DRIVERS,
        HEADLINES,
    )
}

# ---------------------------------------------------------------------------------------------
# Conversation (analysis.compare.conversation) and classify (analysis.classify); appended so the
# tables above keep their order
# ---------------------------------------------------------------------------------------------
LEVELS = ("top_level", "reply")

REPLY_STRUCTURE = TableSpec(
    "reply_structure",
    {
        THREAD_ID: (STR, "thread"),
        DOC_ID: (STR, "comment"),
        "position": (INT, "as in the corpus"),
        "parent_id": (STR, "doc_id of the comment replied to; missing for top-level comments"),
        "root_id": (STR, "top-level comment (or orphan) the chain starts from; missing in a cycle"),
        "depth": (INT, "0 top-level, 1 reply, 2 reply to a reply...; missing in or below a cycle"),
        "reply_count": (INT, "direct replies in the corpus"),
        "descendant_count": (INT, "replies, replies to them and so on"),
        "is_reply": (BOOL, "the comment names a parent comment"),
        "is_orphan": (BOOL, "its parent_id is not a comment of the thread (depth counted as 1)"),
        "is_in_cycle": (BOOL, "following parents leads back to the comment (bad input)"),
        "author_id": (STR, "pseudonym of the author"),
        "parent_author_id": (STR, "pseudonym of the parent comment's author"),
        "like_count": (INT, "likes as in the corpus; missing when unknown"),
        "published_date": (DATE, "as in the corpus"),
        "is_date_estimated": (BOOL, "as in the corpus"),
        "is_annotated": (BOOL, "the comment has a VADER score (annotated, English)"),
        "sentiment_label": (STR, "negative | neutral | positive; missing when not annotated"),
        "vader_compound": (FLOAT, "VADER compound of the whole comment"),
    },
    "One row per comment: its place in the reply tree.",
)

CONVERSATION_SUMMARY = TableSpec(
    "conversation_summary",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "comment_count": (INT, "comments (placeholders excluded)"),
        "top_level_count": (INT, "comments that reply to no comment"),
        "reply_count": (INT, "comments that reply to another comment"),
        "orphan_count": (INT, "replies whose parent is not in the corpus"),
        "cycle_count": (INT, "comments whose parent chain loops (bad input)"),
        "max_depth": (INT, "deepest reply level (0 when there are no replies)"),
        "replies_per_comment": (FLOAT, "mean direct replies per comment"),
        "replied_share": (FLOAT, "share of comments with at least one reply"),
        "has_likes": (BOOL, "the source gives like counts for at least one comment"),
        "like_total": (INT, "sum of likes; missing when the platform gives none"),
        "dated_count": (INT, "comments with a publication time"),
        "estimated_date_count": (INT, "of which estimated from a relative time ('2 days ago')"),
        "time_bin": (STR, "hour | day | week: the timeline's bin, chosen from the span"),
        "top_level_off_article_share": (
            FLOAT,
            "share of top-level comments relating to no article paragraph (engagement table)",
        ),
        "reply_off_article_share": (FLOAT, "the same share among replies"),
    },
    "Per-thread facts about the conversation: replies, likes, dates, problems found.",
)

CONVERSATION_TONE = TableSpec(
    "conversation_tone",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "grouping": (STR, "level | depth | position"),
        "group": (
            STR,
            "top_level | reply (level); 0, 1, 2, 3+ (depth); early | late (position)",
        ),
        "basis": (STR, "reply tree | published_date | position: what the groups rest on"),
        "sentiment_label": (STR, "negative | neutral | positive"),
        "count": (INT, "annotated comments of the group with the label"),
        "n": (INT, "annotated comments in the group"),
        "share": (FLOAT, "count / n"),
        "ci_low": (FLOAT, "seeded bootstrap 95% interval, lower end"),
        "ci_high": (FLOAT, "upper end"),
    },
    "Tone shares of comments by reply level, depth and early vs late position.",
)

REPLY_CHAINS = TableSpec(
    "reply_chains",
    {
        THREAD_ID: (STR, "thread"),
        "chain_rank": (INT, "1 = longest chain of the thread"),
        "root_id": (STR, "first comment of the chain"),
        "leaf_id": (STR, "last comment (one with no reply)"),
        "comment_count": (INT, "comments in the chain"),
        "doc_ids": (STR, "the chain's comments, ' > '-separated, root first"),
        "author_count": (INT, "distinct authors in the chain"),
        "compound_first": (FLOAT, "VADER compound of the first scored comment"),
        "compound_last": (FLOAT, "VADER compound of the last scored comment"),
        "compound_change": (FLOAT, "compound_last - compound_first"),
        "negative_count": (INT, "negative comments in the chain"),
    },
    "The longest root-to-leaf reply chains per thread.",
)

EXCHANGES = TableSpec(
    "exchanges",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "author_id": (STR, "pseudonym of the replier"),
        "target_author_id": (STR, "pseudonym of the author replied to"),
        "reply_count": (INT, "replies from author to target"),
        "negative_count": (INT, "of which negative (VADER)"),
        "compound_mean": (FLOAT, "mean VADER compound of those replies"),
        "is_self_reply": (BOOL, "the author replies to their own comment"),
    },
    "Who replies to whom, by pseudonym.",
)

ENDORSEMENT = TableSpec(
    "endorsement",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "sentiment_label": (STR, "negative | neutral | positive"),
        "count": (INT, "annotated comments with the label"),
        "n": (INT, "annotated comments"),
        "share": (FLOAT, "unweighted share: count / n"),
        "like_sum": (INT, "likes on the comments with the label; missing without likes"),
        "like_total": (INT, "likes on all annotated comments"),
        "like_share": (FLOAT, "like-weighted share: like_sum / like_total; NaN without likes"),
        "like_ci_low": (FLOAT, "bootstrap 95% interval of like_share (comments resampled)"),
        "like_ci_high": (FLOAT, "upper end"),
        "has_likes": (BOOL, "the platform gave like counts"),
    },
    "Tone shares weighted by likes beside the unweighted ones: what the audience rewarded.",
)

MOST_LIKED = TableSpec(
    "most_liked",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "sentiment_label": (STR, "negative | neutral | positive"),
        "rank": (INT, "1 = most liked comment with this label"),
        DOC_ID: (STR, "comment"),
        "like_count": (INT, "likes"),
        "vader_compound": (FLOAT, "VADER compound"),
    },
    "The most-liked comments of each tone.",
)

TIMELINE = TableSpec(
    "timeline",
    {
        THREAD_ID: (STR, "thread"),
        "time_bin": (STR, "hour | day | week, chosen from the thread's span"),
        "bin_start": (DATE, "start of the bin (UTC)"),
        "comment_count": (INT, "comments published in the bin"),
        "estimated_count": (INT, "of which with an estimated date"),
        "is_estimated": (BOOL, "some of the bin's dates are estimates: drawn as estimates"),
        "n": (INT, "annotated comments in the bin"),
        "negative_share": (FLOAT, "share of annotated comments that are negative"),
        "compound_mean": (FLOAT, "mean VADER compound"),
    },
    "Comments and tone over time.",
)

HOSTILITY_COMPONENTS = (
    "insult",
    "second_person_attack",
    "slur",
    "dehumanising",
    "profanity",
    "threat",
    "group_target",
    "shouting",
)

HOSTILITY = TableSpec(
    "hostility",
    {
        THREAD_ID: (STR, "thread"),
        DOC_ID: (STR, "document"),
        DOC_KIND: (STR, "'article' or 'comment'"),
        "hostility_score": (FLOAT, "0-1: noisy-OR of the components' evidence (see hostility.py)"),
        **{
            f"{c}_count": (INT, f"{c.replace('_', ' ')} cues found")
            for c in HOSTILITY_COMPONENTS
            if c != "shouting"
        },
        "shouting_share": (FLOAT, "share of letters in all-caps words of 3+ letters"),
        "hostility_score_without_target": (
            FLOAT,
            "the score from the hostile cues alone (group_target left out)",
        ),
        "matched_terms": (STR, "cues matched, ' | '-separated"),
        "is_hostile": (BOOL, "hostility_score >= the documented threshold"),
    },
    "Offline hostility score per document, each component in its own column.",
)

LABELS = TableSpec(
    "labels",
    {
        THREAD_ID: (STR, "thread"),
        DOC_ID: (STR, "comment"),
        "label_name": (STR, "the code the model was trained on (--label)"),
        "predicted_code": (STR, "the most probable code; missing for empty comments"),
        "probability": (FLOAT, "probability of predicted_code"),
        "positive_probability": (
            FLOAT,
            "probability of the positive code (binary coding); NaN otherwise",
        ),
        "coded_code": (STR, "the researcher's code, for documents in the coded sample"),
        "in_training_sample": (BOOL, "the document was coded and trained on"),
        "cv_predicted_code": (
            STR,
            "out-of-fold prediction for coded documents (the honest estimate); missing otherwise",
        ),
    },
    "Codes predicted for every comment by a classifier trained on a researcher's coding.",
)

LEVEL_ACTORS = TableSpec(
    "level_actors",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "level": (STR, "top_level | reply"),
        ENTITY_ID: (STR, "canonical entity"),
        ENTITY_NAME: (STR, "canonical name"),
        "comment_count": (INT, "comments of this level mentioning the entity"),
        "n": (INT, "comments of this level"),
        "share": (FLOAT, "comment_count / n"),
        "rank": (INT, "1 = most mentioned at this level"),
    },
    "Who top-level comments and replies talk about.",
)

LABEL_SHARES = TableSpec(
    "label_shares",
    {
        THREAD_ID: (STR, "thread, or __pooled__"),
        "label_name": (STR, "the coding (--label)"),
        "code": (STR, "a code of the coding"),
        SIDE: (STR, "article (body paragraphs) | comments"),
        "unit_count": (INT, "units predicted with the code"),
        "n": (INT, "units predicted on this side"),
        "share": (FLOAT, "unit_count / n"),
        "ci_low": (FLOAT, "seeded bootstrap 95% interval, lower end"),
        "ci_high": (FLOAT, "upper end"),
        "compound_mean": (
            FLOAT,
            "mean VADER compound of the comments with the code (comments side); NaN otherwise",
        ),
    },
    "Predicted code shares of the article's paragraphs and of the comments, with comment tone.",
)

ALL_TABLES.update(
    {
        spec.name: spec
        for spec in (
            LABEL_SHARES,
            LEVEL_ACTORS,
            REPLY_STRUCTURE,
            CONVERSATION_SUMMARY,
            CONVERSATION_TONE,
            REPLY_CHAINS,
            EXCHANGES,
            ENDORSEMENT,
            MOST_LIKED,
            TIMELINE,
            HOSTILITY,
            LABELS,
        )
    }
)
