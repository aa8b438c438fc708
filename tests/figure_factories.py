"""Synthetic comparison tables for the figure and report tests.

``make_tables()`` returns every table the figures and the report read, conformed to
``analysis.schema``, for one small thread whose comments include HTML/script payloads (to test
escaping). The numbers are made up but consistent (shares sum to one per side, counts add up).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from conversation_figure_factories import conversation_tables
from factories import make_thread

from analysis import schema as S

SCRIPT_PAYLOAD = "<script>window.__pwned = 1;</script> I disagree with Bennett"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned = 2"> Putin & "friends" said <b>so</b>'
LINK_PAYLOAD = (
    '<a href="https://example.com/x">click</a> <link rel=stylesheet href="http://e.com/s.css">'
)

ARTICLE_PARAGRAPHS = [
    "Bennett met Putin in Moscow to discuss Syria.",
    "Israel raised concerns about Iran and its nuclear programme.",
    "Russia said it keeps a balanced approach in the Middle East.",
]
COMMENTS = [
    "Netanyahu is a terrible liar and a disgrace.",
    "",
    SCRIPT_PAYLOAD,
    "Netanyahu and Hamas are both to blame, awful.",
    IMG_PAYLOAD,
    "Great article about Syria, thanks.",
    "Ceci n'est pas en anglais, c'est du français.",
    LINK_PAYLOAD,
    "Putin is smart. Russia wins.",
]

ENTITIES = [
    # id, name, label, article count, comment count
    ("bennett", "Naftali Bennett", "PERSON", 4, 1),
    ("putin", "Vladimir Putin", "PERSON", 3, 2),
    ("israel", "Israel", "GPE", 5, 0),
    ("russia", "Russia", "GPE", 4, 1),
    ("netanyahu", "Benjamin Netanyahu", "PERSON", 0, 3),
    ("hamas", "Hamas", "ORG", 0, 1),
    ("syria", "Syria", "GPE", 2, 1),
]


def _agenda(thread_id: str) -> pd.DataFrame:
    a_total = sum(e[3] for e in ENTITIES)
    c_total = sum(e[4] for e in ENTITIES)
    rows = []
    for eid, name, label, a, c in ENTITIES:
        presence = "both" if a and c else ("article_only" if a else "comments_only")
        rows.append(
            {
                S.THREAD_ID: thread_id,
                S.ENTITY_ID: eid,
                S.ENTITY_NAME: name,
                S.LABEL: label,
                "article_mention_count": a,
                "comment_mention_count": c,
                "article_mention_share": a / a_total,
                "comment_mention_share": c / c_total,
                "mention_share_diff": c / c_total - a / a_total,
                "article_doc_share": min(1.0, a / 4),
                "comment_doc_share": c / 7,
                "presence": presence,
                # Every mention in its own paragraph or comment, authors unknown.
                S.COMMENT_SUPPORT: min(c, 7),
                S.AUTHOR_SUPPORT: pd.NA,
                S.SUPPORT_COUNT: min(a, 4) + min(c, 7),
                S.IS_RANKED: min(a, 4) + min(c, 7) >= 2,
            }
        )
    return S.AGENDA.conform(pd.DataFrame(rows))


def _actor_tone(thread_id: str) -> pd.DataFrame:
    rows = []
    rng = np.random.default_rng(3)
    for eid, name, _, a, c in ENTITIES:
        for side, count in ((S.SIDE_ARTICLE, a), (S.SIDE_COMMENTS, c)):
            if count == 0:
                continue
            mean = float(np.round(rng.uniform(-0.8, 0.5), 3))
            few = count < 2
            rows.append(
                {
                    S.THREAD_ID: thread_id,
                    S.ENTITY_ID: eid,
                    S.ENTITY_NAME: name,
                    S.SIDE: side,
                    "mention_count": count,
                    "sentence_count": count,
                    "compound_mean": mean,
                    "ci_low": np.nan if few else mean - 0.2,
                    "ci_high": np.nan if few else mean + 0.15,
                    "is_too_few": few,
                }
            )
    return S.ACTOR_TONE.conform(pd.DataFrame(rows))


def _tone_shares(thread_id: str) -> pd.DataFrame:
    counts = {"article_sentence": (2, 5, 3), "comment_sentence": (6, 3, 2), "comment": (4, 2, 1)}
    rows = []
    for unit, cs in counts.items():
        n = sum(cs)
        for lab, c in zip(S.SENTIMENT_LABELS, cs, strict=True):
            share = c / n
            rows.append(
                {
                    S.THREAD_ID: thread_id,
                    "unit": unit,
                    "sentiment_label": lab,
                    "count": c,
                    "n": n,
                    "share": share,
                    "ci_low": max(0.0, share - 0.2),
                    "ci_high": min(1.0, share + 0.2),
                }
            )
    return S.TONE_SHARES.conform(pd.DataFrame(rows))


def _keyness(thread_id: str) -> pd.DataFrame:
    terms = [
        ("liar", 0, 3, 2.4),
        ("disgrace", 0, 2, 2.1),
        ("blame", 0, 2, 1.5),
        ("terrible", 0, 1, 1.1),
        ("meeting", 4, 0, -2.6),
        ("concern", 3, 0, -2.2),
        ("approach", 2, 0, -1.4),
        ("balanced", 1, 0, -0.9),
        ("syria", 2, 1, -0.3),
        ("$money", 0, 1, 0.8),
    ]
    rows = []
    for term, a, c, z in terms:
        side = "comments" if z >= 1.96 else ("article" if z <= -1.96 else "neither")
        rows.append(
            {
                S.THREAD_ID: thread_id,
                S.REFERENCE: S.REFERENCE_ARTICLE,
                "term": term,
                "article_count": a,
                "comment_count": c,
                S.COMMENT_DOC_COUNT: c,
                S.ENGLISH_PER_MILLION: float("nan"),
                "log_odds_ratio": z * 0.5,
                "variance": 0.25,
                "z_score": z,
                S.SIDE: side,
            }
        )
    # Against general English: word, uses, comments using it, per million, z.
    english = [
        ("liars", 6, 5, 2.0, 3.1),
        ("disgrace", 4, 4, 9.0, 2.3),
        ("bibi", 5, 1, 0.02, 2.2),  # one comment: not distinctive however high z is
        ("blame", 3, 3, 60.0, 1.2),
        ("people", 5, 4, 4000.0, 0.4),
        ("meeting", 1, 1, 150.0, -0.6),
    ]
    for term, c, docs, per_million, z in english:
        side = "comments" if z >= 1.96 and docs >= 3 else "neither"
        rows.append(
            {
                S.THREAD_ID: thread_id,
                S.REFERENCE: S.REFERENCE_GENERAL_ENGLISH,
                "term": term,
                "article_count": pd.NA,
                "comment_count": c,
                S.COMMENT_DOC_COUNT: docs,
                S.ENGLISH_PER_MILLION: per_million,
                "log_odds_ratio": z * 0.4,
                "variance": 0.16,
                "z_score": z,
                S.SIDE: side,
            }
        )
    return S.KEYNESS.conform(pd.DataFrame(rows))


def _topic_shares(thread_id: str) -> pd.DataFrame:
    rows = []
    spec = {"diplomacy": (3, 1), "security": (1, 2), "religion": (0, 3)}
    for method in ("lexicon", "nmf"):
        for i, (label, (a, c)) in enumerate(spec.items()):
            for side, k, tot in ((S.SIDE_ARTICLE, a, 4), (S.SIDE_COMMENTS, c, 6)):
                rows.append(
                    {
                        S.THREAD_ID: thread_id,
                        "method": method,
                        "topic_id": f"{method}{i}",
                        "topic_label": label if method == "lexicon" else f"{label} terms",
                        S.SIDE: side,
                        "unit_count": k,
                        "share": k / tot,
                        "is_comment_led": c / 6 > a / 4 + 0.1,
                        "is_exploratory": method == "nmf",
                    }
                )
    return S.TOPIC_SHARES.conform(pd.DataFrame(rows))


def _frame_shares(thread_id: str) -> pd.DataFrame:
    rows = []
    spec = {"Security and Defense": (4, 2), "Morality": (0, 3), "External Regulation": (3, 1)}
    for frame, (a, c) in spec.items():
        for side, k, n in ((S.SIDE_ARTICLE, a, 10), (S.SIDE_COMMENTS, c, 7)):
            share = k / n
            rows.append(
                {
                    S.THREAD_ID: thread_id,
                    "frame": frame,
                    S.SIDE: side,
                    "unit_count": k,
                    "n": n,
                    "share": share,
                    "ci_low": max(0.0, share - 0.15),
                    "ci_high": min(1.0, share + 0.15),
                }
            )
    return S.FRAME_SHARES.conform(pd.DataFrame(rows))


def make_tables(thread_id: str = "t1") -> dict[str, pd.DataFrame]:
    """Every table figures and report read, for one synthetic thread."""
    corpus, paragraphs = make_thread(
        "Bennett meets Putin", ARTICLE_PARAGRAPHS, COMMENTS, thread_id=thread_id
    )
    compounds = {1: -0.83, 3: -0.1, 4: -0.64, 5: -0.2, 6: 0.74, 7: np.nan, 8: 0.0, 9: 0.45}
    doc_rows, sent_rows = [], []
    for r in corpus.itertuples():
        is_article = r.doc_kind == S.ARTICLE
        empty = bool(r.is_empty)
        english = not (r.position == 7)
        annotated = not empty and english
        comp = 0.1 if is_article else compounds.get(r.position, np.nan)
        label = (
            None
            if pd.isna(comp)
            else "negative"
            if comp <= -0.05
            else "positive"
            if comp >= 0.05
            else "neutral"
        )
        doc_rows.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: r.doc_id,
                S.DOC_KIND: r.doc_kind,
                "position": r.position,
                "is_empty": empty,
                "is_duplicate": False,
                S.LANG: None if empty else ("en" if english else "fr"),
                "lang_score": None if empty else 0.9,
                "is_english": english and not empty,
                "is_annotated": annotated,
                "skip_reason": "empty" if empty else (None if english else "not-english"),
                "token_count": len(r.text.split()),
                "word_count": len(r.text.split()),
                "sentence_count": 1,
                "vader_neg": 0.1,
                "vader_neu": 0.8,
                "vader_pos": 0.1,
                "vader_compound": comp,
                "sentence_compound_mean": comp,
                "sentiment_label": label,
                "mention_count": 1,
            }
        )
        if empty:
            continue
        if is_article:
            units = [
                (p.paragraph_id, p.text, p.start_char)
                for p in paragraphs[paragraphs[S.DOC_ID] == r.doc_id].itertuples()
            ]
            comps = [0.0, -0.3, 0.2, 0.4]
        else:
            units = [(f"{r.doc_id}/p0", r.text, 0)]
            comps = [comp]
        for i, ((pid, text, start), c) in enumerate(zip(units, comps, strict=True)):
            sent_rows.append(
                {
                    S.THREAD_ID: thread_id,
                    S.DOC_ID: r.doc_id,
                    S.DOC_KIND: r.doc_kind,
                    S.SENTENCE_ID: f"{r.doc_id}/s{i}",
                    "sentence_index": i,
                    S.PARAGRAPH_ID: pid,
                    S.START_CHAR: start,
                    S.END_CHAR: start + len(text),
                    S.TEXT: text,
                    "lemmas": text.lower(),
                    "words": text.lower(),
                    "token_count": len(text.split()),
                    "vader_neg": 0.1,
                    "vader_neu": 0.8,
                    "vader_pos": 0.1,
                    "vader_compound": c,
                }
            )
    documents = S.DOCUMENTS.conform(pd.DataFrame(doc_rows))
    sentences = S.SENTENCES.conform(pd.DataFrame(sent_rows))

    mention_rows = []
    for pos, eid, name in (
        (1, "netanyahu", "Benjamin Netanyahu"),
        (3, "netanyahu", "Benjamin Netanyahu"),
        (3, "hamas", "Hamas"),
        (4, "putin", "Vladimir Putin"),
        (9, "putin", "Vladimir Putin"),
        (8, "netanyahu", "Benjamin Netanyahu"),
    ):
        doc_id = f"{thread_id}/c{pos}"
        text = corpus.loc[corpus[S.DOC_ID] == doc_id, S.TEXT].iloc[0]
        mention_rows.append(
            {
                S.THREAD_ID: thread_id,
                S.MENTION_ID: f"{doc_id}/m{len(mention_rows)}",
                S.DOC_ID: doc_id,
                S.DOC_KIND: S.COMMENT,
                S.SENTENCE_ID: f"{doc_id}/s0",
                S.START_CHAR: 0,
                S.END_CHAR: 3,
                S.TEXT: text[:3],
                S.LABEL: "PERSON",
                S.ENTITY_ID: eid,
                S.ENTITY_NAME: name,
                "link_method": "model",
                "link_score": 1.0,
                "sentence_compound": compounds.get(pos, 0.0),
            }
        )
    mentions = S.MENTIONS.conform(pd.DataFrame(mention_rows))

    eng_rows = []
    targets = {1: None, 3: 2, 4: 1, 5: 1, 6: 1, 8: None, 9: 3}
    for pos, para in targets.items():
        doc_id = f"{thread_id}/c{pos}"
        eng_rows.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: doc_id,
                S.PARAGRAPH_ID: None if para is None else f"{thread_id}/article/p{para}",
                "score": 0.05 if para is None else 0.4,
                "entity_overlap": 0.0 if para is None else 0.5,
                "lemma_similarity": 0.05 if para is None else 0.3,
                "is_off_article": para is None,
                "shared_entities": "" if para is None else "Vladimir Putin",
            }
        )
    engagement = S.ENGAGEMENT.conform(pd.DataFrame(eng_rows))

    headlines = S.HEADLINES.conform(
        pd.DataFrame(
            [
                {
                    S.THREAD_ID: thread_id,
                    "finding_id": "agenda_comments_only",
                    "statement": (
                        "Commenters mention Benjamin Netanyahu 3 times; the article never does."
                    ),
                    "numbers": json.dumps({"comment_mention_count": 3, "article_mention_count": 0}),
                    "source_table": "agenda",
                },
                {
                    S.THREAD_ID: thread_id,
                    "finding_id": "tone_negative_share",
                    "statement": (
                        "VADER labels 57% of comments negative <vs> 20% of article sentences."
                    ),
                    "numbers": json.dumps({"comment_negative_share": 0.57}),
                    "source_table": "tone_shares",
                },
            ]
        )
    )
    off_drivers = S.OFF_ARTICLE_DRIVERS.conform(
        pd.DataFrame(
            [
                {
                    S.THREAD_ID: thread_id,
                    S.ENTITY_ID: "netanyahu",
                    S.ENTITY_NAME: "Benjamin Netanyahu",
                    "off_article_comment_count": 2,
                    "off_article_comment_share": 1.0,
                    "in_article": False,
                },
            ]
        )
    )
    return {
        "corpus": corpus,
        "paragraphs": paragraphs,
        "documents": documents,
        "sentences": sentences,
        "mentions": mentions,
        "agenda": _agenda(thread_id),
        "actor_tone": _actor_tone(thread_id),
        "tone_shares": _tone_shares(thread_id),
        "keyness": _keyness(thread_id),
        "topic_shares": _topic_shares(thread_id),
        "frame_shares": _frame_shares(thread_id),
        "engagement": engagement,
        "off_article_drivers": off_drivers,
        "headlines": headlines,
        **conversation_tables(thread_id, documents),
    }


def empty_tables() -> dict[str, pd.DataFrame]:
    """Every table with its columns and no rows."""
    return {name: S.ALL_TABLES[name].empty() for name in make_tables()}
