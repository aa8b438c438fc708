"""The fixed vocabularies of the suite: every value a categorical column may hold, in one module.

Code compares against these constants rather than repeating string literals, and the table specs
take their ``allowed_values`` from here, so :meth:`analysis.schema.TableSpec.validate` and the code
that writes a column agree on what it may contain. Everything is re-exported by
:mod:`analysis.schema` (``S.ARTICLE``, ``S.SIDES``, ``S.LINK_METHODS``, ...).

Vocabularies that users edit (frame and topic names from ``data/lexicons/``, input formats from the
reader registry, language codes) are deliberately not here: they are open sets.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- doc_kind
ARTICLE = "article"
COMMENT = "comment"
#: ``doc_kind`` values: the one article of a thread and its comments.
DOC_KINDS = (ARTICLE, COMMENT)

# --------------------------------------------------------------------------- side
SIDE_ARTICLE = "article"
SIDE_COMMENTS = "comments"
#: The two sides every comparison sets against each other (``side`` column).
SIDES = (SIDE_ARTICLE, SIDE_COMMENTS)
#: ``keyness.side`` for a term distinctive of neither side (|z| below the threshold).
SIDE_NEITHER = "neither"
KEYNESS_SIDES = (*SIDES, SIDE_NEITHER)

# --------------------------------------------------------------------------- scope
#: ``thread_id`` of rows pooled across all threads of a corpus; every other scope is one thread,
#: named by its own ``thread_id``.
POOLED = "__pooled__"
SCOPE_POOLED = POOLED

# --------------------------------------------------------------------------- unit
#: The units tone is compared over (``unit`` column of tone_shares and tone_summary): article
#: sentences, comment sentences, and whole comments.
UNIT_ARTICLE_SENTENCE = "article_sentence"
UNIT_COMMENT_SENTENCE = "comment_sentence"
UNIT_COMMENT = "comment"
UNITS = (UNIT_ARTICLE_SENTENCE, UNIT_COMMENT_SENTENCE, UNIT_COMMENT)

# --------------------------------------------------------------------------- sentiment_label
SENTIMENT_NEGATIVE = "negative"
SENTIMENT_NEUTRAL = "neutral"
SENTIMENT_POSITIVE = "positive"
#: VADER's three classes, from the compound score at the thresholds in :mod:`analysis.config`.
SENTIMENT_LABELS = (SENTIMENT_NEGATIVE, SENTIMENT_NEUTRAL, SENTIMENT_POSITIVE)

# --------------------------------------------------------------------------- presence
PRESENCE_BOTH = "both"
PRESENCE_ARTICLE_ONLY = "article_only"
PRESENCE_COMMENTS_ONLY = "comments_only"
#: ``agenda.presence``: which sides mention an entity.
PRESENCE_VALUES = (PRESENCE_BOTH, PRESENCE_ARTICLE_ONLY, PRESENCE_COMMENTS_ONLY)

# --------------------------------------------------------------------------- label
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

# --------------------------------------------------------------------------- link_method
LINK_MODEL = "model"
LINK_GAZETTEER = "gazetteer"
LINK_ALIAS = "alias"
LINK_FUZZY = "fuzzy"
LINK_FLAG = "flag"
#: How a mention was found or linked, in the order the linker tries them (the order matters:
#: ``analysis.linking`` unpacks it and the explore tables list methods in it).
LINK_METHODS = (LINK_MODEL, LINK_GAZETTEER, LINK_ALIAS, LINK_FUZZY, LINK_FLAG)

# --------------------------------------------------------------------------- skip_reason
SKIP_EMPTY = "empty"
SKIP_NOT_ENGLISH = "not-english"
#: ``documents.skip_reason``: why a document was not annotated (missing when it was).
SKIP_REASONS = (SKIP_EMPTY, SKIP_NOT_ENGLISH)

# --------------------------------------------------------------------------- topic method
TOPIC_METHOD_LEXICON = "lexicon"
TOPIC_METHOD_NMF = "nmf"
#: ``method`` of the topic tables: guided (lexicon) or exploratory (NMF) topics.
TOPIC_METHODS = (TOPIC_METHOD_LEXICON, TOPIC_METHOD_NMF)

# --------------------------------------------------------------------------- frame
FRAME_OTHER = "other"
#: A unit with no lexicon hit: not the codebook's "other" frame (a coder's judgment no word list
#: can make), only the absence of a listed word.
FRAME_NO_TERM = "no_frame_term"
#: ``frame`` values: the 14 scored dimensions of the Policy Frames Codebook (Boydstun et al.
#: 2014) as snake_case ids, in the codebook's order, and ``no_frame_term``.
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
    FRAME_NO_TERM,
)
#: ``unit`` of ``frame_scores``: sentences and whole documents are scored apart.
FRAME_UNITS = ("sentence", "document")

# --------------------------------------------------------------------------- conversation
LEVEL_TOP = "top_level"
LEVEL_REPLY = "reply"
#: Reply levels: comments that reply to no comment, and replies (``level_actors.level``).
LEVELS = (LEVEL_TOP, LEVEL_REPLY)
#: ``conversation_tone.grouping``: what the comments are grouped by.
CONVERSATION_GROUPINGS = ("level", "depth", "position")
#: ``conversation_tone.group``: a reply level, a depth (3+ pooled), or the early/late half.
CONVERSATION_GROUPS = (LEVEL_TOP, LEVEL_REPLY, "0", "1", "2", "3+", "early", "late")
#: ``conversation_tone.basis``: what a grouping rests on (``mixed``: threads pooled with both).
GROUP_BASES = ("reply tree", "published_date", "position", "mixed")
#: ``time_bin``: the timeline's bin, chosen from a thread's span.
TIME_BINS = ("hour", "day", "week")

#: Every vocabulary by name, for tests and data dictionaries.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "DOC_KINDS": DOC_KINDS,
    "SIDES": SIDES,
    "KEYNESS_SIDES": KEYNESS_SIDES,
    "UNITS": UNITS,
    "SENTIMENT_LABELS": SENTIMENT_LABELS,
    "PRESENCE_VALUES": PRESENCE_VALUES,
    "ENTITY_LABELS": ENTITY_LABELS,
    "LINK_METHODS": LINK_METHODS,
    "SKIP_REASONS": SKIP_REASONS,
    "TOPIC_METHODS": TOPIC_METHODS,
    "FRAMES": FRAMES,
    "FRAME_UNITS": FRAME_UNITS,
    "LEVELS": LEVELS,
    "CONVERSATION_GROUPINGS": CONVERSATION_GROUPINGS,
    "CONVERSATION_GROUPS": CONVERSATION_GROUPS,
    "GROUP_BASES": GROUP_BASES,
    "TIME_BINS": TIME_BINS,
}
