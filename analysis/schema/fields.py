"""Every column of every table, declared once: name, pandas dtype, description, allowed values.

Modelled on PUDL's field metadata: a column means the same thing in every table that has it, so
it is described once here, and a table (:mod:`analysis.schema.tables`) only lists the names it
holds, with a short note where the column needs one in that table (``side`` in ``keyness`` may
also be ``neither``; ``doc_id`` in ``engagement`` is always a comment).

Each declaration also binds a constant (``VADER_COMPOUND = "vader_compound"``) so code names columns
through ``S.VADER_COMPOUND`` instead of repeating string literals. To add a column: declare it here,
then list it in the tables that hold it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from analysis.schema import vocab as V

# pandas dtypes of the written tables
STR = "string"
INT = "Int64"
FLOAT = "float64"
BOOL = "boolean"
DATE = "datetime64[s]"
DTYPES = (STR, INT, FLOAT, BOOL, DATE)


@dataclass(frozen=True)
class Field:
    """One column: its name, pandas dtype, a description true in every table, its allowed values.

    ``allowed_values`` is ``None`` for open columns; for a categorical column it is the vocabulary
    (from :mod:`analysis.schema.vocab`) that every non-missing value must belong to.
    """

    name: str
    dtype: str
    description: str
    allowed_values: tuple[str, ...] | None = None


class FieldRegistry(Mapping[str, Field]):
    """Name -> :class:`Field`, refusing a second declaration of a name."""

    def __init__(self) -> None:
        self._fields: dict[str, Field] = {}

    def declare(
        self,
        name: str,
        dtype: str,
        description: str,
        allowed_values: tuple[str, ...] | None = None,
    ) -> str:
        """Register a field and return its name (so ``X = FIELDS.declare("x", ...)`` binds both).

        Raises:
            ValueError: the name is declared already, the dtype is unknown or the description empty.
        """
        if name in self._fields:
            raise ValueError(f"field {name!r} is declared twice")
        if dtype not in DTYPES:
            raise ValueError(f"field {name!r}: dtype {dtype!r} is not one of {list(DTYPES)}")
        if not description.strip():
            raise ValueError(f"field {name!r} has no description")
        self._fields[name] = Field(name, dtype, description, allowed_values)
        return name

    def __getitem__(self, name: str) -> Field:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


#: The one registry of columns.
FIELDS = FieldRegistry()
_f = FIELDS.declare

# ---------------------------------------------------------------------------------- ids and spans
THREAD_ID = _f("thread_id", STR, "thread the row belongs to (the input file stem unless given)")
DOC_ID = _f(
    "doc_id", STR, "document id, stable: '<thread_id>/article' or '<thread_id>/c<position>'"
)
DOC_KIND = _f("doc_kind", STR, "'article' or 'comment'", V.DOC_KINDS)
PARAGRAPH_ID = _f(
    "paragraph_id", STR, "paragraph id, '<doc_id>/p<index>'; p0 of an article is its title"
)
SENTENCE_ID = _f("sentence_id", STR, "sentence id, '<doc_id>/s<index>'")
MENTION_ID = _f("mention_id", STR, "mention id, '<doc_id>/m<index>'")
START_CHAR = _f("start_char", INT, "offset into the document's normalised text")
END_CHAR = _f("end_char", INT, "end offset into the document's normalised text (exclusive)")
TEXT = _f(
    "text",
    STR,
    "text used for analysis, normalised (NFC, no BOM or zero-width characters, HTML entities "
    "unescaped)",
)

# ----------------------------------------------------------------------------------------- corpus
POSITION = _f("position", INT, "0 for the article, 1..n for comments in source order")
SOURCE_ID = _f("source_id", STR, "the source's own id (YouTube cid, CSV id column), if any")
PARENT_ID = _f("parent_id", STR, "doc_id of the comment replied to; missing for top-level comments")
IS_REPLY = _f("is_reply", BOOL, "the comment is a reply to another comment")
AUTHOR_ID = _f(
    "author_id", STR, "salted pseudonym of the author (raw name only with --keep-author-names)"
)
TITLE = _f("title", STR, "article title (article row only)")
PUBLISHED_TEXT = _f(
    "published_text", STR, "the time exactly as the source gave it, e.g. '6 months ago'"
)
PUBLISHED_DATE = _f("published_date", DATE, "publication time (UTC); estimated from relative times")
IS_DATE_ESTIMATED = _f(
    "is_date_estimated", BOOL, "published_date was computed from a relative time"
)
IS_EDITED = _f("is_edited", BOOL, "the source marks the comment as edited")
LIKE_COUNT = _f("like_count", INT, "likes/votes, '1.2K' expanded to 1200; missing when unknown")
TEXT_RAW = _f("text_raw", STR, "the text exactly as the source held it")
IS_EMPTY = _f("is_empty", BOOL, "no visible text after normalisation")
IS_DUPLICATE = _f(
    "is_duplicate", BOOL, "same normalised text as an earlier non-empty comment in the thread"
)
DUPLICATE_OF = _f("duplicate_of", STR, "doc_id of the first comment with the same text")
#: corpus flag for platform placeholders ("[deleted]", "This comment has been deleted"); set by
#: ingest, excluded from analysis by compare.
IS_PLACEHOLDER = _f(
    "is_placeholder",
    BOOL,
    "the text is a platform placeholder ('[deleted]', 'This comment has been deleted', a "
    "moderation notice), not something a commenter wrote",
)
IS_DUPLICATE_SOURCE_ID = _f(
    "is_duplicate_source_id",
    BOOL,
    "an earlier comment in the thread has the same source_id (replies naming it attach to the "
    "first)",
)
SOURCE_FILE = _f("source_file", STR, "input file the record came from")
SOURCE_FORMAT = _f(
    "source_format",
    STR,
    "seed | youtube-jsonl | youtube-api | csv | json; 'article' for an article read from "
    "--article FILE",
)
SOURCE_RECORD = _f(
    "source_record", INT, "1-based line (seed, JSON lines, CSV) or item number (JSON) of the record"
)

# ---------------------------------------------------------------------------- paragraphs, rejects
PARAGRAPH_INDEX = _f("paragraph_index", INT, "0-based index within the document")
IS_TITLE = _f("is_title", BOOL, "the paragraph is the article title")
REASON = _f("reason", STR, "what was wrong and what was expected")
RECORD_RAW = _f("record_raw", STR, "the rejected record as read (truncated to 2,000 characters)")

# --------------------------------------------------------------------------- sentences, documents
SENTENCE_INDEX = _f("sentence_index", INT, "0-based index within the document")
LEMMAS = _f(
    "lemmas",
    STR,
    "space-separated lower-case lemmas of content words (no stop words, punctuation, numbers "
    "or URLs)",
)
WORDS = _f(
    "words",
    STR,
    "the same content words as lemmas, as written (lower-cased surface forms, in the same "
    "order): for word frequencies and readable topic labels",
)
TOKEN_COUNT = _f("token_count", INT, "spaCy tokens, whitespace excluded")
VADER_NEG = _f("vader_neg", FLOAT, "VADER negative proportion")
VADER_NEU = _f("vader_neu", FLOAT, "VADER neutral proportion")
VADER_POS = _f("vader_pos", FLOAT, "VADER positive proportion")
VADER_COMPOUND = _f(
    "vader_compound", FLOAT, "VADER compound in [-1, 1]; NaN where no score was computed"
)
LANG = _f(
    "lang",
    STR,
    "language code (ISO 639-1, or 639-3 where there is no 639-1 code); missing for empty documents",
)
LANG_SCORE = _f(
    "lang_score", FLOAT, "detector's probability for lang; NaN when the text has no letters"
)
IS_ENGLISH = _f(
    "is_english", BOOL, "lang == 'en' (short texts default to English, see language.py)"
)
IS_ANNOTATED = _f("is_annotated", BOOL, "sentences, sentiment and entities were computed")
SKIP_REASON = _f(
    "skip_reason", STR, "why not annotated: empty | not-english; missing otherwise", V.SKIP_REASONS
)
WORD_COUNT = _f("word_count", INT, "alphabetic tokens")
SENTENCE_COUNT = _f("sentence_count", INT, "number of sentences")
SENTENCE_COMPOUND_MEAN = _f(
    "sentence_compound_mean", FLOAT, "mean of the document's sentences' VADER compounds"
)
SENTIMENT_LABEL = _f("sentiment_label", STR, "negative | neutral | positive", V.SENTIMENT_LABELS)
MENTION_COUNT = _f("mention_count", INT, "number of entity mentions")

# ----------------------------------------------------------------------------- mentions, entities
LABEL = _f("label", STR, "entity label (ENTITY_LABELS)", V.ENTITY_LABELS)
ENTITY_ID = _f(
    "entity_id", STR, "canonical entity id, stable across runs (slug of the canonical name)"
)
ENTITY_NAME = _f("entity_name", STR, "canonical name of the entity")
LINK_METHOD = _f("link_method", STR, "model | gazetteer | alias | fuzzy | flag", V.LINK_METHODS)
MODEL_COUNT = _f("model_count", INT, "mentions of the entity linked by the model method")
GAZETTEER_COUNT = _f(
    "gazetteer_count", INT, "mentions of the entity linked by the gazetteer method"
)
ALIAS_COUNT = _f("alias_count", INT, "mentions of the entity linked by the alias method")
FUZZY_COUNT = _f("fuzzy_count", INT, "mentions of the entity linked by the fuzzy method")
FLAG_COUNT = _f("flag_count", INT, "mentions of the entity linked by the flag method")
LINK_SCORE = _f("link_score", FLOAT, "1.0 for exact links; similarity in [0, 1] for fuzzy ones")
SENTENCE_COMPOUND = _f(
    "sentence_compound", FLOAT, "VADER compound of the sentence (entity-targeted tone)"
)
ALIASES = _f("aliases", STR, "surface forms seen, ' | '-separated, most frequent first")
ARTICLE_MENTION_COUNT = _f("article_mention_count", INT, "mentions in the article")
COMMENT_MENTION_COUNT = _f("comment_mention_count", INT, "mentions in the comments")
DOC_COUNT = _f("doc_count", INT, "documents mentioning the entity")
LINK_METHODS_USED = _f(
    "link_methods",
    STR,
    "methods that produced its mentions, with counts ('model:3 | fuzzy:1', in LINK_METHODS order)",
)

# ----------------------------------------------------------------------------------- agenda, tone
ARTICLE_MENTION_SHARE = _f("article_mention_share", FLOAT, "share of all article mentions")
COMMENT_MENTION_SHARE = _f("comment_mention_share", FLOAT, "share of all comment mentions")
MENTION_SHARE_DIFF = _f(
    "mention_share_diff", FLOAT, "comment_mention_share - article_mention_share"
)
ARTICLE_DOC_SHARE = _f(
    "article_doc_share", FLOAT, "share of article paragraphs mentioning the entity"
)
COMMENT_DOC_SHARE = _f(
    "comment_doc_share", FLOAT, "share of annotated comments mentioning the entity"
)
PRESENCE = _f("presence", STR, "both | article_only | comments_only", V.PRESENCE_VALUES)
COMMENT_SUPPORT = _f("comment_support", INT, "distinct analysed comments mentioning the entity")
AUTHOR_SUPPORT = _f(
    "author_support", INT, "distinct known authors of those comments; missing when none is known"
)
SUPPORT_COUNT = _f(
    "support_count",
    INT,
    "independent places naming the entity: article paragraphs plus comment authors (a comment "
    "whose author is unknown counts as its own author)",
)
IS_RANKED = _f(
    "is_ranked",
    BOOL,
    "support_count >= 2: ranked as an actor (top-actor lists, headlines); rows below the line "
    "stay in the table, flagged",
)
SIDE = _f("side", STR, "side of the comparison: article | comments", V.SIDES)
COMPOUND_MEAN = _f("compound_mean", FLOAT, "mean VADER compound")
CI_LOW = _f(
    "ci_low",
    FLOAT,
    "95% interval, lower end (of a share: Wilson score; of a mean: seeded percentile bootstrap)",
)
CI_HIGH = _f("ci_high", FLOAT, "the same interval, upper end")
IS_TOO_FEW = _f("is_too_few", BOOL, "fewer sentences than the minimum: no comparison is made")
UNIT = _f("unit", STR, "comparison unit: article_sentence | comment_sentence | comment", V.UNITS)
COUNT = _f("count", INT, "units with the label")
N = _f("n", INT, "number of units")
SHARE = _f("share", FLOAT, "share in [0, 1]")
EXCLUDED_COUNT = _f(
    "excluded_count",
    INT,
    "units of this kind left out: not annotated, not English, or no compound score",
)
COMPOUND_MEDIAN = _f("compound_median", FLOAT, "median VADER compound")
COMPOUND_Q1 = _f("compound_q1", FLOAT, "25th percentile of VADER compound")
COMPOUND_Q3 = _f("compound_q3", FLOAT, "75th percentile of VADER compound")

# -------------------------------------------------------------------------------- keyness, topics
TERM = _f(
    "term",
    STR,
    "the term: a lemma (keyness against the article); a word as written, lower-cased (keyness "
    "against general English); the lemma as written, its most frequent surface form (NMF "
    "topics); the lexicon term (guided topics)",
)
REFERENCE = _f(
    "reference",
    STR,
    "what the comments are compared with: article (the thread's article) | general_english "
    "(wordfreq English word frequencies)",
    V.KEYNESS_REFERENCES,
)
ARTICLE_COUNT = _f("article_count", INT, "occurrences in the article")
COMMENT_COUNT = _f("comment_count", INT, "occurrences in the comments")
COMMENT_DOC_COUNT = _f("comment_doc_count", INT, "comments that use the term")
ENGLISH_PER_MILLION = _f(
    "english_per_million",
    FLOAT,
    "the word's general-English frequency per million content words (wordfreq 'en'); NaN "
    "against the article",
)
LOG_ODDS_RATIO = _f(
    "log_odds_ratio", FLOAT, "delta: comments minus article, with informative Dirichlet prior"
)
VARIANCE = _f("variance", FLOAT, "approximate variance of delta")
Z_SCORE = _f(
    "z_score", FLOAT, "delta / sqrt(variance); ≥ 1.96 distinctive of comments, ≤ -1.96 article"
)
METHOD = _f("method", STR, "topic method: lexicon (guided) | nmf (exploratory)", V.TOPIC_METHODS)
TOPIC_ID = _f("topic_id", STR, "topic id")
TOPIC_LABEL = _f("topic_label", STR, "lexicon topic name, or top terms for NMF topics")
WEIGHT = _f("weight", FLOAT, "NMF component weight, or hit count for lexicon topics")
RANK = _f("rank", INT, "1 = strongest term of the topic")
UNIT_COUNT = _f("unit_count", INT, "units (article sentences or comments)")
IS_COMMENT_LED = _f(
    "is_comment_led", BOOL, "topic's comment share exceeds its article share by a margin"
)
IS_EXPLORATORY = _f("is_exploratory", BOOL, "NMF on a small thread: read as exploratory")

# ----------------------------------------------------------------------------------------- frames
FRAME = _f(
    "frame",
    STR,
    "Policy Frames Codebook dimension (snake_case), or 'no_frame_term' for no lexicon hit",
    V.FRAMES,
)
UNIT_ID = _f("unit_id", STR, "sentence_id for sentence units, doc_id for document units")
HIT_COUNT = _f("hit_count", INT, "lexicon hits")
SCORE = _f("score", FLOAT, "score of the row; each table that has one says what it measures")
MATCHED_TERMS = _f("matched_terms", STR, "terms matched, ' | '-separated")

# ------------------------------------------------------------------------------------- engagement
ENTITY_OVERLAP = _f("entity_overlap", FLOAT, "Jaccard overlap of canonical entities")
LEMMA_SIMILARITY = _f("lemma_similarity", FLOAT, "TF-IDF cosine similarity of lemmas")
IS_OFF_ARTICLE = _f("is_off_article", BOOL, "score below the documented threshold")
SHARED_ENTITIES = _f("shared_entities", STR, "canonical names shared with the paragraph")
OFF_ARTICLE_COMMENT_COUNT = _f(
    "off_article_comment_count", INT, "off-article comments mentioning it"
)
OFF_ARTICLE_COMMENT_SHARE = _f(
    "off_article_comment_share", FLOAT, "share of off-article comments mentioning it"
)
IN_ARTICLE = _f("in_article", BOOL, "the article mentions it at all")

# -------------------------------------------------------------------------------------- headlines
FINDING_ID = _f("finding_id", STR, "stable id of the finding's kind")
STATEMENT = _f("statement", STR, "one neutral, number-backed sentence")
NUMBERS = _f("numbers", STR, "JSON object of the numbers quoted")
SOURCE_TABLE = _f("source_table", STR, "table the numbers come from")

# ----------------------------------------------------------------------- conversation: reply tree
ROOT_ID = _f(
    "root_id", STR, "top-level comment (or orphan) a reply chain starts from; missing in a cycle"
)
DEPTH = _f("depth", INT, "0 top-level, 1 reply, 2 reply to a reply...; missing in or below a cycle")
REPLY_COUNT = _f("reply_count", INT, "replies counted (each table's note says which)")
DESCENDANT_COUNT = _f("descendant_count", INT, "replies, replies to them and so on")
IS_ORPHAN = _f(
    "is_orphan", BOOL, "its parent_id is not a comment of the thread (counted at depth 1)"
)
IS_IN_CYCLE = _f("is_in_cycle", BOOL, "following parents leads back to the comment (bad input)")
PARENT_AUTHOR_ID = _f("parent_author_id", STR, "pseudonym of the parent comment's author")
TARGET_AUTHOR_ID = _f("target_author_id", STR, "pseudonym of the author replied to")
IS_SELF_REPLY = _f("is_self_reply", BOOL, "the author replies to their own comment")
TOP_LEVEL_COUNT = _f("top_level_count", INT, "comments that reply to no comment")
ORPHAN_COUNT = _f("orphan_count", INT, "replies whose parent is not in the corpus")
CYCLE_COUNT = _f("cycle_count", INT, "comments whose parent chain loops (bad input)")
MAX_DEPTH = _f("max_depth", INT, "deepest reply level (0 when there are no replies)")
REPLIES_PER_COMMENT = _f("replies_per_comment", FLOAT, "mean direct replies per comment")
REPLIED_SHARE = _f("replied_share", FLOAT, "share of comments with at least one reply")
TOP_LEVEL_OFF_ARTICLE_SHARE = _f(
    "top_level_off_article_share",
    FLOAT,
    "share of top-level comments relating to no article paragraph (engagement table)",
)
REPLY_OFF_ARTICLE_SHARE = _f(
    "reply_off_article_share",
    FLOAT,
    "share of replies relating to no article paragraph (engagement table)",
)
CHAIN_RANK = _f("chain_rank", INT, "1 = longest chain of the thread")
LEAF_ID = _f("leaf_id", STR, "last comment of the chain (one with no reply)")
DOC_IDS = _f("doc_ids", STR, "the chain's comments, ' > '-separated, root first")
AUTHOR_COUNT = _f("author_count", INT, "distinct authors")
COMPOUND_FIRST = _f("compound_first", FLOAT, "VADER compound of the first scored comment")
COMPOUND_LAST = _f("compound_last", FLOAT, "VADER compound of the last scored comment")
COMPOUND_CHANGE = _f("compound_change", FLOAT, "compound_last - compound_first")
NEGATIVE_COUNT = _f("negative_count", INT, "comments VADER labels negative")
LEVEL = _f("level", STR, "reply level: top_level | reply", V.LEVELS)
GROUPING = _f(
    "grouping",
    STR,
    "what comments are grouped by: level | depth | position",
    V.CONVERSATION_GROUPINGS,
)
GROUP = _f(
    "group",
    STR,
    "top_level | reply (level); 0, 1, 2, 3+ (depth); early | late (position)",
    V.CONVERSATION_GROUPS,
)
BASIS = _f(
    "basis",
    STR,
    "what the groups rest on: reply tree | published_date | position (mixed: pooled threads "
    "of both kinds)",
    V.GROUP_BASES,
)

# -------------------------------------------------------------------- conversation: likes, time
HAS_LIKES = _f("has_likes", BOOL, "the source gives like counts for at least one comment")
LIKE_SUM = _f("like_sum", INT, "likes on the comments with the label; missing without likes")
LIKE_TOTAL = _f("like_total", INT, "sum of likes; missing when the platform gives none")
LIKE_SHARE = _f(
    "like_share", FLOAT, "like-weighted share: like_sum / like_total; NaN without likes"
)
LIKE_CI_LOW = _f(
    "like_ci_low", FLOAT, "seeded bootstrap 95% interval of like_share (comments resampled), lower"
)
LIKE_CI_HIGH = _f("like_ci_high", FLOAT, "the same interval, upper end")
DATED_COUNT = _f("dated_count", INT, "comments with a publication time")
ESTIMATED_DATE_COUNT = _f(
    "estimated_date_count", INT, "dated comments whose time was estimated from a relative time"
)
TIME_BIN = _f(
    "time_bin",
    STR,
    "hour | day | week: the timeline's bin, chosen from the thread's span; missing when no "
    "comment is dated or the row is pooled",
    V.TIME_BINS,
)
BIN_START = _f("bin_start", DATE, "start of the time bin (UTC)")
ESTIMATED_COUNT = _f("estimated_count", INT, "comments of the bin with an estimated date")
IS_ESTIMATED = _f("is_estimated", BOOL, "some of the bin's dates are estimates: drawn as estimates")
NEGATIVE_SHARE = _f("negative_share", FLOAT, "share of annotated comments that are negative")

# --------------------------------------------------------------------------- hostility
HOSTILITY_SCORE = _f(
    "hostility_score",
    FLOAT,
    "0-1: noisy-OR of the hostility cues' evidence (analysis.classify.hostility); a screening "
    "measure, not a verdict",
)
INSULT_COUNT = _f("insult_count", INT, "insult words aimed at people")
SECOND_PERSON_ATTACK_COUNT = _f(
    "second_person_attack_count", INT, "insults or dismissals addressed to the reader"
)
SLUR_COUNT = _f("slur_count", INT, "identity-based slurs")
DEHUMANISING_COUNT = _f("dehumanising_count", INT, "dehumanising terms and group generalisations")
PROFANITY_COUNT = _f("profanity_count", INT, "swear words, masked ones included")
THREAT_COUNT = _f("threat_count", INT, "calls for or wishes of violence")
GROUP_TARGET_COUNT = _f("group_target_count", INT, "identity-group mentions (not hostile alone)")
SHOUTING_SHARE = _f("shouting_share", FLOAT, "share of letters in all-caps words of 3+ letters")
HOSTILITY_SCORE_WITHOUT_TARGET = _f(
    "hostility_score_without_target",
    FLOAT,
    "the score from the hostile cues alone (group_target left out)",
)
IS_HOSTILE = _f("is_hostile", BOOL, "hostility_score >= the documented threshold (0.5)")

# --------------------------------------------------------------------------- classify
LABEL_NAME = _f("label_name", STR, "the coding the model was trained on (--label)")
CODE = _f("code", STR, "a code of the coding")
PREDICTED_CODE = _f("predicted_code", STR, "the most probable code; missing for empty comments")
PROBABILITY = _f("probability", FLOAT, "the model's probability of predicted_code")
POSITIVE_PROBABILITY = _f(
    "positive_probability", FLOAT, "probability of the positive code (binary coding); NaN otherwise"
)
CODED_CODE = _f("coded_code", STR, "the researcher's code, for documents in the coded sample")
IN_TRAINING_SAMPLE = _f("in_training_sample", BOOL, "the document was coded and trained on")
CV_PREDICTED_CODE = _f(
    "cv_predicted_code",
    STR,
    "out-of-fold prediction for coded documents (the honest estimate); missing otherwise",
)

del _f
