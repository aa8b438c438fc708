"""Every table the suite writes: the names of its fields, in order, with notes where needed.

Dtypes, descriptions and allowed values come from :mod:`analysis.schema.fields`; a table only adds
what is true of a column in that table (a :class:`~analysis.schema.spec.Column` note or its own
vocabulary). Every stage ends with ``SPEC.conform(df)``, so the written tables have exactly these
columns in this order with these dtypes.
"""

from __future__ import annotations

import pandas as pd

from analysis.schema import fields as F
from analysis.schema import vocab as V
from analysis.schema.conversation import CONVERSATION_TABLES
from analysis.schema.spec import Column, TableSpec, table

AS_IN_CORPUS = "as in the corpus"
WHOLE_TEXT = "for the whole text"
OF_SENTENCE = "for the sentence"
SPAN_TEXT = "span of the document text: equals text[start_char:end_char]"
#: ``thread_id`` in the tables that also hold rows pooled across the threads of a corpus.
THREAD_OR_POOLED = Column(
    F.THREAD_ID, "or '__pooled__' (POOLED) on rows pooled across all threads of a corpus"
)

# ---------------------------------------------------------------------------------------------
# Ingest
# ---------------------------------------------------------------------------------------------
CORPUS = table(
    "corpus",
    "One row per document, the article first in each thread.",
    [
        F.THREAD_ID,
        F.DOC_ID,
        F.DOC_KIND,
        F.POSITION,
        F.SOURCE_ID,
        F.PARENT_ID,
        F.IS_REPLY,
        F.AUTHOR_ID,
        F.TITLE,
        F.PUBLISHED_TEXT,
        F.PUBLISHED_DATE,
        F.IS_DATE_ESTIMATED,
        F.IS_EDITED,
        F.LIKE_COUNT,
        F.TEXT,
        F.TEXT_RAW,
        F.IS_EMPTY,
        F.IS_DUPLICATE,
        F.DUPLICATE_OF,
        F.IS_PLACEHOLDER,
        F.IS_DUPLICATE_SOURCE_ID,
        F.SOURCE_FILE,
        F.SOURCE_FORMAT,
        F.SOURCE_RECORD,
    ],
)

PARAGRAPHS = table(
    "paragraphs",
    "Paragraphs of every document, addressable by id.",
    [
        F.THREAD_ID,
        F.DOC_ID,
        F.PARAGRAPH_ID,
        F.PARAGRAPH_INDEX,
        F.IS_TITLE,
        F.START_CHAR,
        F.END_CHAR,
        Column(F.TEXT, f"the paragraph's {SPAN_TEXT}"),
    ],
)

REJECTS = table(
    "rejects",
    "Records rejected under --on-error skip.",
    [F.SOURCE_FILE, F.SOURCE_RECORD, F.REASON, F.RECORD_RAW],
)

# ---------------------------------------------------------------------------------------------
# Annotate
# ---------------------------------------------------------------------------------------------
SENTENCES = table(
    "sentences",
    "One row per sentence of every annotated document.",
    [
        F.THREAD_ID,
        F.DOC_ID,
        F.DOC_KIND,
        F.SENTENCE_ID,
        F.SENTENCE_INDEX,
        Column(F.PARAGRAPH_ID, "the paragraph holding the sentence"),
        F.START_CHAR,
        F.END_CHAR,
        Column(F.TEXT, f"the sentence's {SPAN_TEXT}"),
        F.LEMMAS,
        F.WORDS,
        F.TOKEN_COUNT,
        Column(F.VADER_NEG, OF_SENTENCE),
        Column(F.VADER_NEU, OF_SENTENCE),
        Column(F.VADER_POS, OF_SENTENCE),
        Column(F.VADER_COMPOUND, OF_SENTENCE),
    ],
)

DOCUMENTS = table(
    "documents",
    "One row per corpus document, annotated or not (with the reason).",
    [
        F.THREAD_ID,
        F.DOC_ID,
        F.DOC_KIND,
        Column(F.POSITION, AS_IN_CORPUS),
        Column(F.IS_EMPTY, AS_IN_CORPUS),
        Column(F.IS_DUPLICATE, AS_IN_CORPUS),
        F.LANG,
        F.LANG_SCORE,
        F.IS_ENGLISH,
        F.IS_ANNOTATED,
        F.SKIP_REASON,
        Column(F.TOKEN_COUNT, "0 for empty documents"),
        F.WORD_COUNT,
        Column(F.SENTENCE_COUNT, "in the document; missing when not annotated"),
        Column(F.VADER_NEG, WHOLE_TEXT),
        Column(F.VADER_NEU, WHOLE_TEXT),
        Column(F.VADER_POS, WHOLE_TEXT),
        Column(F.VADER_COMPOUND, WHOLE_TEXT),
        F.SENTENCE_COMPOUND_MEAN,
        Column(F.SENTIMENT_LABEL, "from vader_compound at +-0.05"),
        Column(F.MENTION_COUNT, "in the document; missing when not annotated"),
    ],
)

MENTIONS = table(
    "mentions",
    "One row per entity mention.",
    [
        F.THREAD_ID,
        F.MENTION_ID,
        F.DOC_ID,
        F.DOC_KIND,
        Column(F.SENTENCE_ID, "the sentence holding the mention"),
        F.START_CHAR,
        F.END_CHAR,
        Column(F.TEXT, f"the mention's {SPAN_TEXT}"),
        F.LABEL,
        F.ENTITY_ID,
        F.ENTITY_NAME,
        F.LINK_METHOD,
        F.LINK_SCORE,
        F.SENTENCE_COMPOUND,
    ],
)

ENTITIES = table(
    "entities",
    "One row per canonical entity per thread.",
    [
        THREAD_OR_POOLED,
        F.ENTITY_ID,
        F.ENTITY_NAME,
        F.LABEL,
        F.ALIASES,
        Column(F.MENTION_COUNT, "in the thread"),
        F.ARTICLE_MENTION_COUNT,
        F.COMMENT_MENTION_COUNT,
        F.DOC_COUNT,
        F.LINK_METHODS_USED,
        F.MODEL_COUNT,
        F.GAZETTEER_COUNT,
        F.ALIAS_COUNT,
        F.FUZZY_COUNT,
        F.FLAG_COUNT,
    ],
)

# ---------------------------------------------------------------------------------------------
# Compare (one row set per thread, plus rows with thread_id == POOLED when a corpus has several)
# ---------------------------------------------------------------------------------------------
AGENDA = table(
    "agenda",
    "Agenda: who each side talks about.",
    [
        THREAD_OR_POOLED,
        F.ENTITY_ID,
        F.ENTITY_NAME,
        F.LABEL,
        F.ARTICLE_MENTION_COUNT,
        F.COMMENT_MENTION_COUNT,
        F.ARTICLE_MENTION_SHARE,
        F.COMMENT_MENTION_SHARE,
        F.MENTION_SHARE_DIFF,
        F.ARTICLE_DOC_SHARE,
        F.COMMENT_DOC_SHARE,
        F.PRESENCE,
        F.COMMENT_SUPPORT,
        F.AUTHOR_SUPPORT,
        F.SUPPORT_COUNT,
        F.IS_RANKED,
    ],
)

ACTOR_TONE = table(
    "actor_tone",
    "Tone toward each actor, per side.",
    [
        THREAD_OR_POOLED,
        F.ENTITY_ID,
        F.ENTITY_NAME,
        F.SIDE,
        Column(F.MENTION_COUNT, "on this side"),
        Column(F.SENTENCE_COUNT, "distinct sentences around the mentions on this side"),
        Column(F.COMPOUND_MEAN, "over the sentences around the mentions"),
        Column(F.CI_LOW, "of the mean"),
        Column(F.CI_HIGH, "of the mean"),
        F.IS_TOO_FEW,
    ],
)

TONE_SHARES = table(
    "tone_shares",
    "Negative/neutral/positive shares of article sentences, comment sentences and comments.",
    [
        THREAD_OR_POOLED,
        F.UNIT,
        F.SENTIMENT_LABEL,
        F.COUNT,
        Column(F.N, "units in all"),
        Column(F.SHARE, "count / n"),
        Column(F.CI_LOW, "of the share"),
        Column(F.CI_HIGH, "of the share"),
    ],
)

TONE_SUMMARY = table(
    "tone_summary",
    "Distribution summary of VADER compound per unit.",
    [
        THREAD_OR_POOLED,
        F.UNIT,
        Column(F.N, "units with a compound score"),
        F.EXCLUDED_COUNT,
        Column(F.COMPOUND_MEAN, "over the units"),
        Column(F.CI_LOW, "of the mean"),
        Column(F.CI_HIGH, "of the mean"),
        F.COMPOUND_MEDIAN,
        F.COMPOUND_Q1,
        F.COMPOUND_Q3,
    ],
)

KEYNESS = table(
    "keyness",
    "Distinctive terms, Monroe, Colaresi and Quinn (2008) weighted log-odds: the comments "
    "against the article, and against general English.",
    [
        THREAD_OR_POOLED,
        F.REFERENCE,
        F.TERM,
        Column(F.ARTICLE_COUNT, "missing against general English"),
        F.COMMENT_COUNT,
        F.COMMENT_DOC_COUNT,
        F.ENGLISH_PER_MILLION,
        Column(F.LOG_ODDS_RATIO, "against general English: comments minus general English"),
        F.VARIANCE,
        F.Z_SCORE,
        Column(
            F.SIDE,
            allowed_values=V.KEYNESS_SIDES,
            description=(
                "side the term is distinctive of (sign of z; |z| ≥ 1.96): comments, or the "
                "reference (article | general_english); 'neither' below the threshold and, "
                "against general English, for a word used in fewer than 3 comments"
            ),
        ),
    ],
)

TOPIC_TERMS = table(
    "topic_terms",
    "Terms that define each topic.",
    [
        THREAD_OR_POOLED,
        F.METHOD,
        F.TOPIC_ID,
        F.TOPIC_LABEL,
        F.TERM,
        F.WEIGHT,
        F.RANK,
    ],
)

TOPIC_SHARES = table(
    "topic_shares",
    "Topic shares per side.",
    [
        THREAD_OR_POOLED,
        F.METHOD,
        Column(F.TOPIC_ID, "'none' holds units without any topic"),
        F.TOPIC_LABEL,
        F.SIDE,
        Column(F.UNIT_COUNT, "whose main topic this is"),
        Column(
            F.SHARE,
            description="share of the side's units, each unit's weight 1 split over its "
            "topics; NaN when the side has no unit",
        ),
        F.IS_COMMENT_LED,
        F.IS_EXPLORATORY,
    ],
)

FRAME_SHARES = table(
    "frame_shares",
    "Frame shares per side, like units: article sentences vs comment sentences (dictionary "
    "method).",
    [
        THREAD_OR_POOLED,
        F.FRAME,
        F.SIDE,
        Column(
            F.UNIT_COUNT,
            description="sentences (article sentences, or comment sentences) with a lexicon hit "
            "for the frame (no_frame_term: with none)",
        ),
        Column(F.N, "sentences scored on this side"),
        Column(F.SHARE, "unit_count / n"),
        Column(F.CI_LOW, "of the share"),
        Column(F.CI_HIGH, "of the share"),
    ],
)

FRAME_DOCUMENT_SHARES = table(
    "frame_document_shares",
    "Frame shares per side, whole documents: the article vs each comment (dictionary method).",
    [
        THREAD_OR_POOLED,
        F.FRAME,
        F.SIDE,
        Column(
            F.UNIT_COUNT,
            description="documents (the article, or comments) with a lexicon hit for the frame "
            "(no_frame_term: with none)",
        ),
        Column(F.N, "documents scored on this side (the article side: 1 per thread)"),
        Column(F.SHARE, "unit_count / n"),
        Column(F.CI_LOW, "of the share"),
        Column(F.CI_HIGH, "of the share"),
    ],
)

FRAME_SCORES = table(
    "frame_scores",
    "Per-unit frame hits (frames with at least one hit; a unit without any hit has one "
    "'no_frame_term' row).",
    [
        F.THREAD_ID,
        Column(
            F.UNIT,
            description="sentence | document: what was scored",
            allowed_values=V.FRAME_UNITS,
        ),
        F.UNIT_ID,
        F.SIDE,
        F.FRAME,
        F.HIT_COUNT,
        Column(F.SCORE, description="hits per 100 content lemmas of the unit"),
        F.MATCHED_TERMS,
    ],
)

ENGAGEMENT = table(
    "engagement",
    "Which article paragraph each annotated comment engages, if any.",
    [
        F.THREAD_ID,
        Column(F.DOC_ID, "the comment"),
        Column(
            F.PARAGRAPH_ID, "the article paragraph the comment relates to most; missing if none"
        ),
        Column(F.SCORE, description="combined score in [0, 1]"),
        F.ENTITY_OVERLAP,
        F.LEMMA_SIMILARITY,
        F.IS_OFF_ARTICLE,
        F.SHARED_ENTITIES,
    ],
)

OFF_ARTICLE_DRIVERS = table(
    "off_article_drivers",
    "Entities that drive off-article comments.",
    [
        THREAD_OR_POOLED,
        F.ENTITY_ID,
        F.ENTITY_NAME,
        F.OFF_ARTICLE_COMMENT_COUNT,
        F.OFF_ARTICLE_COMMENT_SHARE,
        F.IN_ARTICLE,
    ],
)

HEADLINES = table(
    "headlines",
    "Headline findings generated from the tables.",
    [THREAD_OR_POOLED, F.FINDING_ID, F.STATEMENT, F.NUMBERS, F.SOURCE_TABLE],
)

#: Every table by name, in data-flow order.
ALL_TABLES: dict[str, TableSpec] = {
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
        *CONVERSATION_TABLES,
    )
}


def data_dictionary() -> pd.DataFrame:
    """Every table's data dictionary in one frame, in :data:`ALL_TABLES` order.

    Returns:
        Columns: table, column, dtype, description, allowed_values (as in
        :meth:`~analysis.schema.spec.TableSpec.describe`).
    """
    frames = [spec.describe().assign(table=name) for name, spec in ALL_TABLES.items()]
    out = pd.concat(frames, ignore_index=True)
    return out.loc[:, ["table", "column", "dtype", "description", "allowed_values"]]
