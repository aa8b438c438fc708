"""The tables of the conversation stage (replies, likes, time), hostility and classify.

Written by :mod:`analysis.compare.conversation` (``reply_structure`` ... ``level_actors``) and
:mod:`analysis.classify` (``hostility``, ``labels``, ``label_shares``); registered in
:data:`analysis.schema.tables.ALL_TABLES` after the comparison tables, so those keep their order.
Columns come from :mod:`analysis.schema.fields` like every other table's.
"""

from __future__ import annotations

from analysis.schema import fields as F
from analysis.schema.spec import Column, TableSpec, table

AS_IN_CORPUS = "as in the corpus"
#: ``thread_id`` of tables that also hold rows pooled across threads (as in :mod:`.tables`).
THREAD_OR_POOLED = Column(
    F.THREAD_ID, "or '__pooled__' (POOLED) on rows pooled across all threads of a corpus"
)
#: ``comment_count`` counts comments here, not term occurrences as in ``keyness``.
COMMENTS_HERE = "comments"
#: ``rank`` orders comments or entities here, not topic terms.
RANK_FIRST = "1 = first: "


def _comments(what: str) -> Column:
    return Column(F.COMMENT_COUNT, description=f"{COMMENTS_HERE} {what}")


REPLY_STRUCTURE = table(
    "reply_structure",
    "One row per comment: its place in the reply tree, likes, date and tone.",
    [
        F.THREAD_ID,
        Column(F.DOC_ID, "a comment"),
        Column(F.POSITION, AS_IN_CORPUS),
        F.PARENT_ID,
        F.ROOT_ID,
        F.DEPTH,
        Column(F.REPLY_COUNT, "direct replies to the comment in the corpus"),
        F.DESCENDANT_COUNT,
        Column(
            F.IS_REPLY,
            "its parent_id names a comment, or ingest kept it as a reply to a parent it did "
            "not capture (a parent_id naming the article counts as top-level)",
        ),
        F.IS_ORPHAN,
        F.IS_IN_CYCLE,
        Column(F.AUTHOR_ID, AS_IN_CORPUS),
        F.PARENT_AUTHOR_ID,
        Column(F.LIKE_COUNT, AS_IN_CORPUS),
        Column(F.PUBLISHED_DATE, AS_IN_CORPUS),
        Column(F.IS_DATE_ESTIMATED, AS_IN_CORPUS),
        Column(F.IS_ANNOTATED, "and the comment has a VADER compound (annotated, English)"),
        Column(F.SENTIMENT_LABEL, "of the whole comment; missing when not annotated"),
        Column(F.VADER_COMPOUND, "of the whole comment"),
    ],
)

CONVERSATION_SUMMARY = table(
    "conversation_summary",
    "Per thread (and pooled): replies, likes, dates and the problems found in reply data.",
    [
        THREAD_OR_POOLED,
        _comments("of the thread (placeholders excluded)"),
        F.TOP_LEVEL_COUNT,
        Column(F.REPLY_COUNT, "comments that reply to another comment"),
        F.ORPHAN_COUNT,
        F.CYCLE_COUNT,
        F.MAX_DEPTH,
        F.REPLIES_PER_COMMENT,
        F.REPLIED_SHARE,
        F.HAS_LIKES,
        Column(F.LIKE_TOTAL, "over all comments"),
        F.DATED_COUNT,
        F.ESTIMATED_DATE_COUNT,
        F.TIME_BIN,
        F.TOP_LEVEL_OFF_ARTICLE_SHARE,
        F.REPLY_OFF_ARTICLE_SHARE,
    ],
)

CONVERSATION_TONE = table(
    "conversation_tone",
    "Tone shares of annotated comments by reply level, depth and early vs late position.",
    [
        THREAD_OR_POOLED,
        F.GROUPING,
        F.GROUP,
        F.BASIS,
        F.SENTIMENT_LABEL,
        Column(F.COUNT, "annotated comments of the group with the label"),
        Column(F.N, "annotated comments in the group"),
        Column(F.SHARE, "count / n"),
        Column(F.CI_LOW, "of the share"),
        Column(F.CI_HIGH, "of the share"),
    ],
)

REPLY_CHAINS = table(
    "reply_chains",
    "The longest root-to-leaf reply chains per thread and how their tone moves.",
    [
        F.THREAD_ID,
        F.CHAIN_RANK,
        Column(F.ROOT_ID, "first comment of the chain"),
        F.LEAF_ID,
        _comments("in the chain"),
        F.DOC_IDS,
        Column(F.AUTHOR_COUNT, "in the chain"),
        F.COMPOUND_FIRST,
        F.COMPOUND_LAST,
        F.COMPOUND_CHANGE,
        Column(F.NEGATIVE_COUNT, "in the chain"),
    ],
)

EXCHANGES = table(
    "exchanges",
    "Who replies to whom, by pseudonym.",
    [
        THREAD_OR_POOLED,
        Column(F.AUTHOR_ID, "the replier"),
        F.TARGET_AUTHOR_ID,
        Column(F.REPLY_COUNT, "replies from author_id to target_author_id"),
        Column(F.NEGATIVE_COUNT, "of those replies"),
        Column(F.COMPOUND_MEAN, "of those replies"),
        F.IS_SELF_REPLY,
    ],
)

ENDORSEMENT = table(
    "endorsement",
    "Tone shares weighted by likes beside the unweighted ones: what the audience rewarded.",
    [
        THREAD_OR_POOLED,
        F.SENTIMENT_LABEL,
        Column(F.COUNT, "annotated comments with the label"),
        Column(F.N, "annotated comments"),
        Column(F.SHARE, "unweighted: count / n"),
        F.LIKE_SUM,
        Column(F.LIKE_TOTAL, "over the annotated comments"),
        F.LIKE_SHARE,
        F.LIKE_CI_LOW,
        F.LIKE_CI_HIGH,
        F.HAS_LIKES,
    ],
)

MOST_LIKED = table(
    "most_liked",
    "The most-liked annotated comments of each tone.",
    [
        THREAD_OR_POOLED,
        F.SENTIMENT_LABEL,
        Column(F.RANK, description=f"{RANK_FIRST}the most liked comment with this label"),
        Column(F.DOC_ID, "a comment"),
        F.LIKE_COUNT,
        Column(F.VADER_COMPOUND, "of the whole comment"),
    ],
)

TIMELINE = table(
    "timeline",
    "Comments and tone over time, per bin; threads are binned apart (no pooled rows).",
    [
        F.THREAD_ID,
        F.TIME_BIN,
        F.BIN_START,
        _comments("published in the bin"),
        F.ESTIMATED_COUNT,
        F.IS_ESTIMATED,
        Column(F.N, "annotated comments in the bin"),
        F.NEGATIVE_SHARE,
        F.COMPOUND_MEAN,
    ],
)

LEVEL_ACTORS = table(
    "level_actors",
    "Who top-level comments and replies talk about (the most mentioned entities per level).",
    [
        THREAD_OR_POOLED,
        F.LEVEL,
        F.ENTITY_ID,
        F.ENTITY_NAME,
        _comments("of this level mentioning the entity"),
        Column(F.N, "comments of this level"),
        Column(F.SHARE, "comment_count / n"),
        Column(F.RANK, description=f"{RANK_FIRST}the most mentioned entity at this level"),
    ],
)

HOSTILITY = table(
    "hostility",
    "Offline hostility score per document, each component in its own column.",
    [
        F.THREAD_ID,
        F.DOC_ID,
        F.DOC_KIND,
        F.HOSTILITY_SCORE,
        F.INSULT_COUNT,
        F.SECOND_PERSON_ATTACK_COUNT,
        F.SLUR_COUNT,
        F.DEHUMANISING_COUNT,
        F.PROFANITY_COUNT,
        F.THREAT_COUNT,
        F.GROUP_TARGET_COUNT,
        F.SHOUTING_SHARE,
        F.HOSTILITY_SCORE_WITHOUT_TARGET,
        Column(F.MATCHED_TERMS, "as '<component>:<text matched>'"),
        F.IS_HOSTILE,
    ],
)

LABELS = table(
    "labels",
    "Codes predicted for every comment by a classifier trained on a researcher's coding.",
    [
        F.THREAD_ID,
        Column(F.DOC_ID, "a comment"),
        F.LABEL_NAME,
        F.PREDICTED_CODE,
        F.PROBABILITY,
        F.POSITIVE_PROBABILITY,
        F.CODED_CODE,
        F.IN_TRAINING_SAMPLE,
        F.CV_PREDICTED_CODE,
    ],
)

LABEL_SHARES = table(
    "label_shares",
    "Predicted code shares of the article's body paragraphs and of the comments, with tone.",
    [
        THREAD_OR_POOLED,
        F.LABEL_NAME,
        F.CODE,
        Column(F.SIDE, "article: its body paragraphs; comments: the comments"),
        Column(F.UNIT_COUNT, "units predicted with the code"),
        Column(F.N, "units predicted on this side"),
        Column(F.SHARE, "unit_count / n"),
        Column(F.CI_LOW, "of the share"),
        Column(F.CI_HIGH, "of the share"),
        Column(F.COMPOUND_MEAN, "of the comments with the code (comments side); NaN otherwise"),
    ],
)

#: The tables of this module in data-flow order (appended to ``ALL_TABLES``).
CONVERSATION_TABLES: tuple[TableSpec, ...] = (
    REPLY_STRUCTURE,
    CONVERSATION_SUMMARY,
    CONVERSATION_TONE,
    REPLY_CHAINS,
    EXCHANGES,
    ENDORSEMENT,
    MOST_LIKED,
    TIMELINE,
    LEVEL_ACTORS,
    HOSTILITY,
    LABELS,
    LABEL_SHARES,
)
