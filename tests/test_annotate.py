"""The annotation step: span integrity, skipped documents, sentiment, paragraphs, cache, streaming.

Most tests run on a small synthetic thread with a trivial stand-in for entity linking (so they
test this step, not the linker); ``test_seed_end_to_end`` runs the real ingest and real linking.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factories import make_thread
from spacy.lang.en.stop_words import STOP_WORDS

import analysis.annotate.stage as annotate
from analysis import cli, config
from analysis import schema as S
from analysis.annotate import components
from analysis.annotate.partitions import TextStore
from analysis.annotate.protocol import Linker, ThreadLinking
from analysis.annotate.sentiment import vader_scores
from analysis.errors import StageInputError
from analysis.linking import RuleLinker
from analysis.tables import read_table

FRENCH = "Je ne suis pas d'accord avec cette décision du gouvernement français."
COMMENTS = [
    "netanyahu is like the jewish version of Hitler",
    "",
    "Long Live Palestine🇵🇸❤. Long Live Russia🇷🇺.",
    FRENCH,
    "I ❤️ Putin.\n\nBut not Biden, he isn’t good.",
    "Russia will always support Israel over Iran. On the surface Russia & China show "
    "solidarity with Palestine.",
    "netanyahu is like the jewish version of Hitler",
    "😂😂",
    "   ",
]
TITLE = "Israeli Prime Minister expresses displeasure with Russia’s stance"
PARAGRAPHS = [
    "Israeli Prime Minister Naftali Bennett met Russian President Vladimir Putin. "
    "The meeting comes amid rising tensions over Syria",
    "During the meeting, Bennett raised concerns about “balanced” policies. Putin listened.",
]


def stand_in_link_thread(docs, spans, candidates, **_):
    """A trivial linker: every model span with a kept label is a mention of itself."""
    assert set(docs[S.DOC_ID]) >= set(spans[S.DOC_ID]) | set(candidates[S.DOC_ID])
    kinds = dict(zip(docs[S.DOC_ID], docs[S.DOC_KIND], strict=True))
    kept = spans[spans[S.LABEL].isin(S.ENTITY_LABELS)].reset_index(drop=True)
    mentions = pd.DataFrame(
        {
            S.THREAD_ID: docs[S.THREAD_ID].iloc[0],
            S.MENTION_ID: [f"{d}/m{i}" for i, d in enumerate(kept[S.DOC_ID])],
            S.DOC_ID: kept[S.DOC_ID],
            S.DOC_KIND: [kinds[d] for d in kept[S.DOC_ID]],
            S.START_CHAR: kept[S.START_CHAR],
            S.END_CHAR: kept[S.END_CHAR],
            S.TEXT: kept[S.TEXT],
            S.LABEL: kept[S.LABEL],
            S.ENTITY_ID: kept[S.TEXT].str.lower(),
            S.ENTITY_NAME: kept[S.TEXT],
            "link_method": "model",
            "link_score": 1.0,
        }
    )
    entities = (
        mentions.groupby([S.ENTITY_ID, S.ENTITY_NAME, S.LABEL], as_index=False)
        .size()
        .rename(columns={"size": "mention_count"})
    )
    entities[S.THREAD_ID] = docs[S.THREAD_ID].iloc[0]
    entities["aliases"] = entities[S.ENTITY_NAME]
    entities["article_mention_count"] = 0
    entities["comment_mention_count"] = entities["mention_count"]
    entities["doc_count"] = 1
    entities["link_methods"] = "model"
    for method in S.LINK_METHODS:
        entities[f"{method}_count"] = entities["mention_count"] if method == "model" else 0
    return S.MENTIONS.conform(mentions.assign(sentence_id=None, sentence_compound=np.nan)), (
        S.ENTITIES.conform(entities)
    )


class StandInLinker:
    """The annotation step's linker protocol over a table-based linker function."""

    def __init__(self, thread_id: str, link=stand_in_link_thread) -> None:
        self.thread_id, self.link_fn = thread_id, link
        self.docs: list[tuple] = []
        self.spans: list[tuple] = []
        self.cands: list[tuple] = []

    def add_doc(self, *, doc_id, is_article, position, spans=(), candidates=()) -> int:
        kind = S.ARTICLE if is_article else S.COMMENT
        self.docs.append((doc_id, kind, position))
        self.spans += [(doc_id, a, b, label) for a, b, label, _ in spans]
        self.cands += [(doc_id, a, b, pos, lemma) for a, b, pos, lemma in candidates]
        return len(self.docs) - 1

    def link(self, texts_of, rank=None) -> None:
        texts = texts_of(0, len(self.docs))
        text_of = {d[0]: t for d, t in zip(self.docs, texts, strict=True)}
        docs = pd.DataFrame(self.docs, columns=[S.DOC_ID, S.DOC_KIND, "position"])
        docs[S.THREAD_ID] = self.thread_id
        docs[S.TEXT] = texts
        spans = pd.DataFrame(self.spans, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, S.LABEL])
        spans[S.TEXT] = [text_of[d][a:b] for d, a, b, _ in self.spans]
        cands = pd.DataFrame(
            self.cands, columns=[S.DOC_ID, S.START_CHAR, S.END_CHAR, "pos", "lemma"]
        )
        cands[S.TEXT] = [text_of[d][a:b] for d, a, b, _, _ in self.cands]
        self.mentions, self._entities = self.link_fn(docs, spans, cands)

    def mention_counts(self) -> np.ndarray:
        counts = self.mentions[S.DOC_ID].value_counts()
        return np.array([int(counts.get(d[0], 0)) for d in self.docs], dtype="int64")

    def mention_rows(self, lo, hi, doc_ids, kinds) -> pd.DataFrame:
        assert doc_ids == [d[0] for d in self.docs[lo:hi]]
        order = {d: i for i, d in enumerate(doc_ids)}
        part = self.mentions[self.mentions[S.DOC_ID].isin(order)]
        return (
            part.assign(_o=part[S.DOC_ID].map(order))
            .sort_values(["_o", S.START_CHAR], kind="stable")
            .drop(columns="_o")
        )

    def entities(self) -> pd.DataFrame:
        return self._entities


class StandIn:
    """A :class:`analysis.annotate.protocol.Linker` whose threads are :class:`StandInLinker`."""

    def __init__(self, thread_cls=StandInLinker) -> None:
        self.thread_cls = thread_cls

    def version(self) -> str:
        return "stand-in"

    def keeps_candidate(self, text: str, pos: str | None) -> bool:
        return RuleLinker().keeps_candidate(text, pos)

    def thread(self, thread_id: str):
        return self.thread_cls(thread_id)


def test_stand_in_and_rule_linker_follow_the_protocol() -> None:
    for linker in (StandIn(), RuleLinker()):
        assert isinstance(linker, Linker)
        assert isinstance(linker.thread("t1"), ThreadLinking)


@pytest.fixture
def stand_in_linker() -> StandIn:
    return StandIn()


@pytest.fixture(scope="module")
def thread() -> tuple[pd.DataFrame, pd.DataFrame]:
    return make_thread(TITLE, PARAGRAPHS, COMMENTS)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, thread) -> dict:
    """One cached run, and a rerun from the cache with spaCy made unavailable."""
    cache_dir = tmp_path_factory.mktemp("cache")
    corpus, paragraphs = thread
    before = corpus.copy()
    first = annotate.annotate_corpus(
        corpus, paragraphs, linker=StandIn(), cache_dir=cache_dir, progress=False
    )

    def no_spacy(*args, **kwargs):
        raise AssertionError("a cached rerun must not run spaCy or link")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(components, "annotation_pipeline", no_spacy)
        second = annotate.annotate_corpus(
            corpus, paragraphs, linker=StandIn(no_spacy), cache_dir=cache_dir, progress=False
        )
    pd.testing.assert_frame_equal(corpus, before)  # the input is not modified
    return {"tables": first, "rerun": second, "cache_dir": cache_dir}


@pytest.fixture(scope="module")
def tables(run) -> dict[str, pd.DataFrame]:
    return run["tables"]


def texts_of(corpus: pd.DataFrame) -> dict[str, str]:
    return dict(zip(corpus[S.DOC_ID], corpus[S.TEXT], strict=True))


def doc_row(tables, doc_id: str) -> pd.Series:
    docs = tables["documents"]
    return docs[docs[S.DOC_ID] == doc_id].iloc[0]


# ------------------------------------------------------------------------------------ tables
def test_four_tables_conform_to_their_specs(tables) -> None:
    for name, spec in annotate.TABLE_SPECS.items():
        assert list(tables[name].columns) == spec.names
        assert {c: str(t) for c, t in tables[name].dtypes.items()} == spec.dtypes


def test_one_document_row_per_corpus_document_in_order(tables, thread) -> None:
    corpus, _ = thread
    assert tables["documents"][S.DOC_ID].tolist() == corpus[S.DOC_ID].tolist()


def test_sentences_slice_back_exactly(tables, thread) -> None:
    texts = texts_of(thread[0])
    sentences = tables["sentences"]
    assert len(sentences) > 0
    for row in sentences.itertuples(index=False):
        assert texts[row.doc_id][row.start_char : row.end_char] == row.text
        assert row.text == row.text.strip() and row.text
        assert "\n\n" not in row.text
    assert sentences[S.SENTENCE_ID].is_unique
    for doc_id, group in sentences.groupby(S.DOC_ID):
        assert group["sentence_index"].tolist() == list(range(len(group)))
        assert (group[S.SENTENCE_ID] == doc_id + "/s" + group["sentence_index"].astype(str)).all()
        assert (group[S.START_CHAR].diff().dropna() > 0).all()


def test_mentions_slice_back_and_sit_in_their_sentence(tables, thread) -> None:
    texts = texts_of(thread[0])
    mentions, sentences = tables["mentions"], tables["sentences"]
    assert len(mentions) > 0
    by_id = sentences.set_index(S.SENTENCE_ID)
    for row in mentions.itertuples(index=False):
        assert texts[row.doc_id][row.start_char : row.end_char] == row.text
        sentence = by_id.loc[row.sentence_id]
        assert sentence[S.DOC_ID] == row.doc_id
        assert sentence[S.START_CHAR] <= row.start_char < sentence[S.END_CHAR]
        assert row.sentence_compound == sentence["vader_compound"]


def test_every_non_empty_english_comment_has_sentences_and_sentiment(tables) -> None:
    docs, sentences = tables["documents"], tables["sentences"]
    english = docs[docs["is_annotated"]]
    assert (english[S.DOC_KIND] == S.COMMENT).sum() == 6
    for row in english.itertuples(index=False):
        n = (sentences[S.DOC_ID] == row.doc_id).sum()
        assert n >= 1 and n == row.sentence_count
        assert not math.isnan(row.vader_compound)
        assert row.sentiment_label in S.SENTIMENT_LABELS
        assert row.lang == "en" and row.is_english


def test_empty_documents_keep_their_row_unannotated(tables) -> None:
    docs = tables["documents"]
    empty = docs[docs["is_empty"]]
    assert empty[S.DOC_ID].tolist() == ["t1/c2", "t1/c9"]  # "" and whitespace only
    assert (empty["skip_reason"] == annotate.SKIP_EMPTY).all()
    assert not empty["is_annotated"].any()
    assert empty[S.LANG].isna().all()
    assert empty[["vader_neg", "vader_neu", "vader_pos", "vader_compound"]].isna().all().all()
    assert empty["sentiment_label"].isna().all()
    assert (empty["token_count"] == 0).all()
    assert not set(empty[S.DOC_ID]) & set(tables["sentences"][S.DOC_ID])
    assert not set(empty[S.DOC_ID]) & set(tables["mentions"][S.DOC_ID])


def test_non_english_documents_keep_their_row_with_nan_sentiment(tables) -> None:
    row = doc_row(tables, "t1/c4")
    assert row[S.LANG] == "fr"
    assert row["lang_score"] > 0.5
    assert not row["is_english"] and not row["is_annotated"]
    assert row["skip_reason"] == annotate.SKIP_NOT_ENGLISH
    for col in ("vader_neg", "vader_neu", "vader_pos", "vader_compound", "sentence_compound_mean"):
        assert math.isnan(row[col])  # missing, never 0
    assert pd.isna(row["sentiment_label"])
    assert pd.isna(row["sentence_count"]) and pd.isna(row["mention_count"])
    assert row["token_count"] > 0
    assert "t1/c4" not in set(tables["sentences"][S.DOC_ID])
    assert "t1/c4" not in set(tables["mentions"][S.DOC_ID])


def test_skip_reason_is_missing_exactly_for_annotated_documents(tables) -> None:
    docs = tables["documents"]
    assert (docs["skip_reason"].isna() == docs["is_annotated"]).all()
    assert set(docs["skip_reason"].dropna()) <= {annotate.SKIP_EMPTY, annotate.SKIP_NOT_ENGLISH}


def test_sentence_and_document_vader_match_vader_on_the_text(tables, thread) -> None:
    texts = texts_of(thread[0])
    for row in tables["sentences"].itertuples(index=False):
        assert (row.vader_neg, row.vader_neu, row.vader_pos, row.vader_compound) == vader_scores(
            row.text
        )
    docs = tables["documents"]
    for row in docs[docs["is_annotated"]].itertuples(index=False):
        assert (row.vader_neg, row.vader_neu, row.vader_pos, row.vader_compound) == vader_scores(
            texts[row.doc_id]
        )
        compounds = tables["sentences"].loc[
            tables["sentences"][S.DOC_ID] == row.doc_id, "vader_compound"
        ]
        assert row.sentence_compound_mean == pytest.approx(compounds.mean())


def test_heart_emoji_scores_but_stored_text_is_untouched(tables) -> None:
    sentences = tables["sentences"]
    heart = sentences[sentences[S.TEXT] == "I ❤️ Putin."].iloc[0]
    assert "\ufe0f" in heart[S.TEXT]
    assert heart["vader_compound"] > 0.5


def test_sentiment_label_follows_the_compound(tables) -> None:
    docs = tables["documents"]
    annotated = docs[docs["is_annotated"]]
    for row in annotated.itertuples(index=False):
        if row.vader_compound >= config.VADER_POSITIVE_THRESHOLD:
            assert row.sentiment_label == "positive"
        elif row.vader_compound <= config.VADER_NEGATIVE_THRESHOLD:
            assert row.sentiment_label == "negative"
        else:
            assert row.sentiment_label == "neutral"


def test_sentences_map_to_the_paragraph_holding_them(tables, thread) -> None:
    _, paragraphs = thread
    sentences = tables["sentences"]
    assert sentences[S.PARAGRAPH_ID].notna().all()
    merged = sentences.merge(
        paragraphs[[S.PARAGRAPH_ID, S.DOC_ID, S.START_CHAR, S.END_CHAR]],
        on=S.PARAGRAPH_ID,
        suffixes=("", "_p"),
    )
    assert len(merged) == len(sentences)
    assert (merged[S.DOC_ID] == merged[S.DOC_ID + "_p"]).all()
    assert (merged[S.START_CHAR] >= merged[S.START_CHAR + "_p"]).all()
    assert (merged[S.END_CHAR] <= merged[S.END_CHAR + "_p"]).all()
    article = sentences[sentences[S.DOC_ID] == "t1/article"]
    assert article.iloc[0][S.TEXT] == TITLE
    assert article.iloc[0][S.PARAGRAPH_ID] == "t1/article/p0"
    # the title and the first paragraph have no full stop between them: still two sentences
    assert set(article[S.PARAGRAPH_ID]) == {"t1/article/p0", "t1/article/p1", "t1/article/p2"}
    two_paragraphs = sentences[sentences[S.DOC_ID] == "t1/c5"]
    assert two_paragraphs[S.PARAGRAPH_ID].tolist()[0] == "t1/c5/p0"
    assert two_paragraphs[S.PARAGRAPH_ID].tolist()[-1] == "t1/c5/p1"


def test_lemmas_are_lower_case_content_words(tables) -> None:
    lemmas = " ".join(tables["sentences"]["lemmas"]).split()
    assert lemmas
    for lemma in lemmas:
        assert lemma == lemma.lower()
        assert lemma.isalpha()
    assert not {"the", "is", "of", "with", "he"} & set(lemmas)
    assert "meeting" in lemmas or "meet" in lemmas
    assert len(set(lemmas) & STOP_WORDS) < len(set(lemmas)) / 10


def test_mention_counts_and_entities(tables) -> None:
    docs, mentions = tables["documents"], tables["mentions"]
    counts = mentions[S.DOC_ID].value_counts()
    for row in docs[docs["is_annotated"]].itertuples(index=False):
        assert row.mention_count == counts.get(row.doc_id, 0)
    assert set(mentions[S.LABEL]) <= set(S.ENTITY_LABELS)
    assert len(tables["entities"]) > 0


def test_duplicate_comment_is_annotated_like_the_original(tables) -> None:
    docs = tables["documents"].set_index(S.DOC_ID)
    assert docs.loc["t1/c7", "is_duplicate"]
    assert docs.loc["t1/c7", "is_annotated"]
    cols = ["vader_compound", "token_count", "sentence_count", "mention_count"]
    assert docs.loc["t1/c7", cols].tolist() == docs.loc["t1/c1", cols].tolist()


def test_emoji_only_comment_is_english_and_scored(tables) -> None:
    row = doc_row(tables, "t1/c8")
    assert row[S.LANG] == "en" and row["is_annotated"]
    assert row["vader_compound"] > 0  # VADER reads 😂 as "face with tears of joy"


# ------------------------------------------------------------------------- tokenisation
def test_flag_emoji_stays_one_token() -> None:
    nlp = components.annotation_pipeline()
    assert nlp.pipe_names[0] == components.FLAG_COMPONENT  # before the models see the tokens
    assert "parser" not in nlp.component_names
    assert "senter" in nlp.pipe_names
    doc = nlp("Long Live Palestine🇵🇸❤. Long Live Russia🇷🇺. 🇺🇸🇮🇱 (🇵🇸) a 🇵 b")
    tokens = [t.text for t in doc]
    for flag in ("🇵🇸", "🇷🇺", "🇺🇸", "🇮🇱"):
        assert flag in tokens
    assert "🇵" in tokens  # a lone regional indicator is left alone
    assert not [t for t in tokens if len(t) == 1 and 0x1F1E6 <= ord(t) <= 0x1F1FF and t != "🇵"]
    assert "".join(t.text_with_ws for t in doc) == doc.text


def test_blank_line_always_starts_a_sentence() -> None:
    doc = components.annotation_pipeline()(
        "The meeting was long and\n\nthe talks went on for hours"
    )
    starts = [s.start_char for s in doc.sents]
    assert doc.text.index("the talks") in starts


# ------------------------------------------------------------------------------- cache
def test_cached_rerun_gives_identical_tables_without_spacy(run) -> None:
    for name in annotate.TABLE_SPECS:
        pd.testing.assert_frame_equal(run["tables"][name], run["rerun"][name])
    assert (Path(run["cache_dir"]) / "annotate.sqlite").is_file()


def test_no_cache_run_is_identical_and_deterministic(tables, thread, stand_in_linker) -> None:
    corpus, paragraphs = thread
    fresh = annotate.annotate_corpus(
        corpus, paragraphs, linker=stand_in_linker, use_cache=False, progress=False
    )
    for name in annotate.TABLE_SPECS:
        pd.testing.assert_frame_equal(tables[name], fresh[name])


def test_small_chunks_give_the_same_tables(tables, thread, stand_in_linker) -> None:
    corpus, paragraphs = thread
    chunked = annotate.annotate_corpus(
        corpus,
        paragraphs,
        linker=stand_in_linker,
        use_cache=False,
        chunk_size=2,
        batch_size=3,
        progress=False,
    )
    for name in annotate.TABLE_SPECS:
        pd.testing.assert_frame_equal(tables[name], chunked[name])


def test_two_workers_give_the_same_tables(tables, thread, stand_in_linker) -> None:
    corpus, paragraphs = thread
    parallel = annotate.annotate_corpus(
        corpus,
        paragraphs,
        linker=stand_in_linker,
        use_cache=False,
        workers=2,
        batch_size=2,
        progress=False,
    )
    for name in annotate.TABLE_SPECS:
        pd.testing.assert_frame_equal(tables[name], parallel[name])


def test_cache_key_changes_with_versions(tmp_path: Path) -> None:
    from analysis.annotate.cache import AnnotationCache, namespace

    settings = dict(components.cache_settings())
    other = {**settings, "model_version": "0.0.0"}
    assert namespace(settings) != namespace(other)
    with AnnotationCache(tmp_path, namespace=namespace(settings)) as a:
        record = {
            "lang": "en",
            "lang_score": 0.5,
            "lang_rule": "détected",
            "tokens": 2,
            "words": 1,
            "vader": [0.0, 1.0, 0.0, 0.0],
            "sents": [[0, 5, 1, "hello", 0.0, 1.0, 0.0, 0.0, "hello"]],
            "ents": [],
            "cands": [[0, 5, "INTJ", None]],
        }
        a.put_many({a.key("hello"): record})
        assert a.get_many([a.key("hello")]) == {a.key("hello"): record}
        with AnnotationCache(tmp_path, namespace=namespace(other)) as b:
            assert b.key("hello") != a.key("hello")
            assert b.get_many([b.key("hello")]) == {}


# ---------------------------------------------------------------------- files and errors
def write_inputs(folder: Path, corpus: pd.DataFrame, paragraphs: pd.DataFrame) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(folder / "corpus.parquet", index=False)
    paragraphs.to_parquet(folder / "paragraphs.parquet", index=False)
    return folder


def test_annotate_dir_streams_tables_equal_to_the_in_memory_ones(
    tmp_path: Path, tables, thread, stand_in_linker
) -> None:
    in_dir = write_inputs(tmp_path / "in", *thread)
    summary = annotate.annotate_dir(
        in_dir, tmp_path / "out", linker=stand_in_linker, csv=True, chunk_size=3
    )
    for name in annotate.TABLE_SPECS:
        pd.testing.assert_frame_equal(read_table(name, tmp_path / "out"), tables[name])
        assert (tmp_path / "out" / f"{name}.csv").is_file()
    csv = pd.read_csv(tmp_path / "out" / "sentences.csv")
    assert len(csv) == len(tables["sentences"])
    assert summary["documents"] == 10 and summary["annotated"] == 7
    assert summary["empty"] == 2 and summary["non_english"] == 1
    assert summary["sentences"] == len(tables["sentences"])
    assert summary["mentions"] == len(tables["mentions"])
    assert summary["parsed"] == 7  # 8 non-empty texts, one repeated
    assert (tmp_path / "out" / ".cache" / "annotate" / "annotate.sqlite").is_file()
    assert not list((tmp_path / "out").glob(".annotate-*"))  # no temporary folder left

    again = annotate.annotate_dir(in_dir, tmp_path / "out", linker=stand_in_linker)
    assert again["parsed"] == 0 and again["cache_hits"] == 8 and again["link_cache_hits"] == 1


def test_command_prints_a_summary(tmp_path: Path, thread, stand_in_linker, capsys) -> None:
    in_dir = write_inputs(tmp_path, *thread)
    assert cli.main(["annotate", "--in", str(in_dir), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "annotated 7 of 10 documents" in out
    assert "2 empty, 1 not English" in out
    assert (tmp_path / "documents.parquet").is_file()
    assert not (tmp_path / ".cache").exists()  # --no-cache writes no cache


def test_missing_corpus_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert cli.main(["annotate", "--in", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "corpus.parquet" in err and "ingest" in err


def test_missing_column_and_duplicate_ids_are_errors(thread) -> None:
    corpus, paragraphs = thread
    with pytest.raises(StageInputError, match="missing columns"):
        annotate.annotate_corpus(
            corpus.drop(columns=[S.TEXT]), paragraphs, linker=StandIn(), use_cache=False
        )
    doubled = pd.concat([corpus, corpus.iloc[[1]]], ignore_index=True)
    with pytest.raises(StageInputError, match="t1/c1"):
        annotate.annotate_corpus(doubled, paragraphs, linker=StandIn(), use_cache=False)


def test_bad_options_are_errors(thread) -> None:
    from analysis.errors import DiscourseError

    with pytest.raises(DiscourseError, match="workers"):
        annotate.annotate_corpus(*thread, linker=StandIn(), workers=0, use_cache=False)


def test_empty_corpus_gives_empty_tables(stand_in_linker) -> None:
    out = annotate.annotate_corpus(
        S.CORPUS.empty(), S.PARAGRAPHS.empty(), linker=stand_in_linker, use_cache=False
    )
    for name, spec in annotate.TABLE_SPECS.items():
        assert list(out[name].columns) == spec.names and len(out[name]) == 0


# ---------------------------------------------------------------- seed, real linking
def test_seed_end_to_end(tmp_path: Path) -> None:
    from analysis.ingest.stage import ingest_paths

    result = ingest_paths([config.SEED_FILE])
    out = annotate.annotate_corpus(
        result.corpus, result.paragraphs, linker=RuleLinker(), cache_dir=tmp_path, progress=False
    )
    docs, sentences, mentions = out["documents"], out["sentences"], out["mentions"]
    texts = texts_of(result.corpus)
    assert len(docs) == len(result.corpus) == 21
    comments = docs[docs[S.DOC_KIND] == S.COMMENT]
    assert comments["is_empty"].sum() == 6
    non_empty = comments[~comments["is_empty"]]
    assert non_empty["is_annotated"].all()  # the seed's comments are all English
    assert set(non_empty[S.DOC_ID]) <= set(sentences[S.DOC_ID])
    assert non_empty["vader_compound"].notna().all()
    for frame in (sentences, mentions):
        for row in frame.itertuples(index=False):
            assert texts[row.doc_id][row.start_char : row.end_char] == row.text
    assert mentions[S.SENTENCE_ID].notna().all()
    for row in sentences.itertuples(index=False):  # surface forms beside the lemmas
        words, lemmas = row.words.split(), row.lemmas.split()
        assert len(words) == len(lemmas)
        assert all(w in row.text.lower() for w in words)
    assert (sentences["words"] != sentences["lemmas"]).any()  # "said" -> "say" and the like
    assert set(mentions["link_method"]) <= set(S.LINK_METHODS)
    assert "flag" in set(mentions["link_method"])
    assert len(out["entities"]) > 0
    rerun = annotate.annotate_corpus(
        result.corpus, result.paragraphs, linker=RuleLinker(), cache_dir=tmp_path, progress=False
    )
    for name in annotate.TABLE_SPECS:
        pd.testing.assert_frame_equal(out[name], rerun[name])


def test_text_store_round_trips_texts_and_reads_safely_from_threads() -> None:
    """The on-disk store of corpus texts gives back every text exactly (any Unicode, empty,
    lone surrogates), in any order, also when two threads read at once (the worker pool's task
    thread reads while the main thread does)."""
    from concurrent.futures import ThreadPoolExecutor

    texts = ["", "plain", "Ünïcödé 🇵🇸❤️", "\ud800 lone surrogate", "line\n\nbreak", "x" * 5000]
    texts = [f"{i}:{t}" if i % 7 else t for i, t in enumerate(texts * 400)]
    store = TextStore()
    try:
        store.append(texts[:1000])
        store.append(texts[1000:])
        assert len(store) == len(texts)
        assert store.take(range(len(texts))) == texts
        rows = np.array([5, 6, 7, 100, 2, 2, 2399])
        assert store.take(rows) == [texts[r] for r in rows]
        assert store.take([]) == []

        def read(seed: int) -> bool:
            rng = np.random.default_rng(seed)
            for _ in range(50):
                lo = int(rng.integers(0, len(texts) - 50))
                picked = np.sort(rng.choice(np.arange(lo, lo + 50), size=20, replace=False))
                if store.take(picked) != [texts[r] for r in picked]:
                    return False
            return True

        with ThreadPoolExecutor(4) as pool:
            assert all(pool.map(read, range(8)))
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["not parquet", "mangled page"])
def test_corrupt_corpus_is_one_line_naming_the_file(tmp_path: Path, thread, capsys, damage):
    in_dir = write_inputs(tmp_path, *thread)
    path = in_dir / "corpus.parquet"
    data = path.read_bytes()
    if damage == "not parquet":
        path.write_bytes(b"not parquet at all")
    else:  # the footer is intact, a data page in the middle is not
        path.write_bytes(data[:8] + b"\0" * 300 + data[308:])
    assert cli.main(["annotate", "--out", str(in_dir), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err and "not a readable Parquet file" in err and "discourse ingest" in err
