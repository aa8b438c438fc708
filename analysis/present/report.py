"""One self-contained HTML report: findings, figures, example comments, methods, versions.

The file opens offline in any browser and makes no request of its own: figures are embedded as
``data:`` URIs (base64 PNG), the CSS is inline, no script, font or remote resource is referenced,
and a Content-Security-Policy meta tag (``default-src 'none'; img-src data:; style-src
'unsafe-inline'``) forbids anything else. Every piece of text that comes from data (comment text,
entity names, captions, table cells) goes through :func:`html.escape` with ``quote=True``, so a
comment such as ``<script>...</script>`` is shown as text, never run.

With several threads the report adds a comparison section and a section per thread
(:mod:`analysis.present.report_threads`). The content note is the thread's own
(:func:`analysis.present.provenance.content_note`), never a fixed text.

The HTML is built in Python (no template engine is a dependency); the output is deterministic: rows
sorted, the same bytes for the same tables, figures and run date (the run date, printed in the
sources section, is the only date; figures and tables carry none).
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import schema as S
from analysis.config import VADER_NEGATIVE_THRESHOLD
from analysis.errors import StageInputError
from analysis.present.charts import MANIFEST
from analysis.present.html import CSP, CSS
from analysis.present.html import cell_count as _count
from analysis.present.html import esc as _e
from analysis.present.html import num as _num
from analysis.present.html import table as _table
from analysis.present.report_conversation import CONVERSATION_TABLES, conversation_section
from analysis.present.report_methods import methods_section, versions_section

#: Characters of comment text shown per example (the rest is cut, and marked so).
MAX_COMMENT_CHARS = 600

# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def headlines_frame(headlines: object) -> pd.DataFrame:
    """Normalise headlines given as a DataFrame, a list of dicts, or a ``headlines.json`` path.

    Returns:
        A frame with at least ``statement`` and ``source_table`` (empty when nothing was given).

    Raises:
        StageInputError: the object has no ``statement`` field.
    """
    if headlines is None:
        return pd.DataFrame(columns=["statement", "source_table"])
    if isinstance(headlines, (str, Path)):
        headlines = json.loads(Path(headlines).read_text(encoding="utf-8"))
    if isinstance(headlines, dict):
        headlines = headlines.get("headlines", headlines.get("findings", [headlines]))
    df = headlines if isinstance(headlines, pd.DataFrame) else pd.DataFrame(list(headlines))
    if df.empty:
        return pd.DataFrame(columns=["statement", "source_table"])
    if "statement" not in df.columns:
        raise StageInputError(f"headlines: expected a 'statement' field, found {list(df.columns)}")
    if "source_table" not in df.columns:
        df = df.assign(source_table=pd.NA)
    return df.reset_index(drop=True)


def _figure_entries(figures_dir: Path) -> list[dict]:
    """Figures described by ``manifest.json``; without it, every PNG with its caption file."""
    figures_dir = Path(figures_dir)
    manifest = figures_dir / MANIFEST
    if manifest.is_file():
        return json.loads(manifest.read_text(encoding="utf-8"))
    entries = []
    for png in sorted(figures_dir.glob("*.png")):
        cap = png.with_suffix(".caption.md")
        text = cap.read_text(encoding="utf-8") if cap.is_file() else ""
        lines = text.splitlines()
        title = lines[0].lstrip("# ").strip() if lines else png.stem
        alt = next(
            (ln.removeprefix("Alt text: ") for ln in lines if ln.startswith("Alt text: ")), title
        )
        body = [ln for ln in lines[1:] if ln and not ln.startswith(("- ", "Alt text: "))]
        entries.append(
            {
                "name": png.stem,
                "title": title,
                "caption": " ".join(body),
                "alt_text": alt,
                "files": {"png": png.name},
            }
        )
    return entries


def _comment_texts(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """doc_id -> comment text, from the corpus (or the sentences when the corpus is absent)."""
    corpus = tables.get("corpus")
    if corpus is not None and not corpus.empty:
        c = corpus[corpus[S.DOC_KIND] == S.COMMENT]
        return pd.Series(c[S.TEXT].to_numpy(), index=c[S.DOC_ID].astype(str).to_numpy())
    sentences = tables.get("sentences")
    if sentences is not None and not sentences.empty:
        s = sentences[sentences[S.DOC_KIND] == S.COMMENT].sort_values([S.DOC_ID, "sentence_index"])
        return s.groupby(S.DOC_ID)[S.TEXT].agg(" ".join)
    return pd.Series(dtype="object")


def _clip(text: object) -> str:
    """Comment text cut to :data:`MAX_COMMENT_CHARS` (cut before escaping), escaped."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return '<span class="missing">(text not available)</span>'
    text = str(text)
    if len(text) > MAX_COMMENT_CHARS:
        return _e(text[:MAX_COMMENT_CHARS]) + " <em>[… cut]</em>"
    return _e(text)


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def _overview(tables: dict[str, pd.DataFrame]) -> tuple[str, str]:
    """(page title, overview paragraph)."""
    corpus = tables.get("corpus")
    documents = tables.get("documents")
    title = "Article and comments"
    parts = []
    if corpus is not None and not corpus.empty:
        articles = corpus[corpus[S.DOC_KIND] == S.ARTICLE]
        titles = [t for t in articles["title"].dropna().astype(str) if t.strip()]
        if len(titles) == 1:
            title = titles[0]
        elif titles:
            title = f"{len(titles)} articles and their comments"
        comments = corpus[corpus[S.DOC_KIND] == S.COMMENT]
        parts.append(
            f"{_count(corpus[S.THREAD_ID].nunique(), 'thread')}, "
            f"{_count(len(articles), 'article')} and {_count(len(comments), 'comment')}; "
            f"empty: {int(comments['is_empty'].fillna(False).sum())}, repeating an earlier "
            f"comment: {int(comments['is_duplicate'].fillna(False).sum())}"
        )
    if documents is not None and not documents.empty:
        d = documents[documents[S.DOC_KIND] == S.COMMENT]
        not_en = int((d["skip_reason"] == "not-english").fillna(False).sum())
        annotated = int(d["is_annotated"].fillna(False).sum())
        parts.append(
            f"annotated comments: {annotated}; not scored because not in English: {not_en}"
        )
    text = "; ".join(parts) + "." if parts else "The corpus tables were not available."
    return title, text


def _headlines_section(headlines: pd.DataFrame, *, per_thread: bool = False) -> str:
    out = ['<section id="findings"><h2>Headline findings</h2>']
    if headlines.empty and per_thread:
        out.append(
            "<p>No finding pools the threads; each thread's own findings are in its section "
            "below.</p></section>"
        )
        return "".join(out)
    if headlines.empty:
        out.append(
            '<p class="missing">No headline findings were produced (the headlines table '
            "is missing or empty).</p></section>"
        )
        return "".join(out)
    out.append('<ul class="findings">')
    for r in headlines.itertuples(index=False):
        src = getattr(r, "source_table", None)
        src_html = f' <span class="src">(source: {_e(src)} table)</span>' if _e(src) else ""
        out.append(f"<li>{_e(r.statement)}{src_html}</li>")
    out.append(
        '</ul><p class="src">Each statement is generated from the tables; the numbers it '
        "quotes are in the named table.</p></section>"
    )
    return "".join(out)


def _figures_section(figures_dir: Path) -> str:
    entries = [e for e in _figure_entries(figures_dir) if e.get("name") != "thread_comparison"]
    out = ['<section id="figures"><h2>Figures</h2>']
    if not entries:
        out.append(f'<p class="missing">No figures found in {_e(figures_dir)}.</p>')
    for entry in entries:
        name = str(entry.get("name", ""))
        png = Path(figures_dir) / entry.get("files", {}).get("png", f"{name}.png")
        out.append(f'<figure id="fig-{_e(name)}">')
        if png.is_file():
            data = base64.b64encode(png.read_bytes()).decode("ascii")
            out.append(
                f'<img src="data:image/png;base64,{data}" width="640" height="400" '
                f'alt="{_e(entry.get("alt_text") or entry.get("title"))}">'
            )
        else:
            out.append(f'<p class="missing">Figure file {_e(png.name)} is missing.</p>')
        files = ", ".join(sorted(entry.get("files", {}).values()))
        out.append(
            f"<figcaption><strong>{_e(entry.get('title'))}</strong> "
            f"{_e(entry.get('caption'))} "
            f'<span class="files">Files in the figures folder: {_e(files)}.</span>'
            "</figcaption></figure>"
        )
    out.append("</section>")
    return "".join(out)


def _example_rows(
    doc_ids: Sequence[str],
    docs: pd.DataFrame,
    texts: pd.Series,
    extra: dict[str, str] | None = None,
) -> list[list[tuple[str, str]]]:
    compound = (
        dict(zip(docs[S.DOC_ID].astype(str), docs[S.VADER_COMPOUND], strict=True))
        if docs is not None and not docs.empty
        else {}
    )
    threads = {str(d).rpartition("/")[0] for d in docs[S.DOC_ID]} if docs is not None else set()
    rows = []
    for doc_id in doc_ids:
        # One thread: the comment's own part of the id (c10) is enough; several: the full id.
        shown = doc_id.rpartition("/")[2] if len(threads) <= 1 else doc_id
        row = [
            ("id", f'<span title="{_e(doc_id)}">{_e(shown)}</span>'),
            ("num", _num(compound.get(doc_id))),
        ]
        if extra is not None:
            row.append(("", _e(extra.get(doc_id, ""))))
        row.append(("text", _clip(texts.get(doc_id))))
        rows.append(row)
    return rows


HEADERS = ["Comment", "Tone (VADER compound)", "Text"]


def _negative_block(
    comments: pd.DataFrame, docs: pd.DataFrame, texts: pd.Series, max_examples: int
) -> tuple:
    """The most negative comments, taken in turn from each thread."""
    headers = HEADERS
    scored = comments[comments[S.VADER_COMPOUND].notna()].copy()
    scored = scored.assign(_c=scored[S.VADER_COMPOUND].astype("float64"))
    neg = scored[scored["_c"] <= VADER_NEGATIVE_THRESHOLD].sort_values(["_c", S.DOC_ID])
    picked = spread_over_threads(list(neg[S.DOC_ID].astype(str)), max_examples)
    several = len({d.rpartition("/")[0] for d in picked}) > 1
    return (
        "Most negative comments",
        f"Shown: {_shown(len(picked), len(neg))} labelled negative, lowest VADER compound "
        "first"
        + (", taken in turn from each thread" if several else "")
        + ". VADER scores words, not intent.",
        headers,
        _example_rows(picked, docs, texts),
    )


def _comments_only_block(
    tables: dict[str, pd.DataFrame], docs: pd.DataFrame, texts: pd.Series, max_examples: int
) -> tuple | None:
    """Comments naming the entity the comments mention most and the article never does."""
    agenda = tables.get("agenda")
    mentions = tables.get("mentions")
    if agenda is not None and not agenda.empty:
        only = agenda[(agenda["presence"] == "comments_only") & (agenda[S.THREAD_ID] != S.POOLED)]
        if only.empty:
            only = agenda[agenda["presence"] == "comments_only"]
        only = only.sort_values(["comment_mention_count", S.ENTITY_NAME], ascending=[False, True])
        if not only.empty and mentions is not None and not mentions.empty:
            top = only.iloc[0]
            m = mentions[
                (mentions[S.ENTITY_ID] == top[S.ENTITY_ID]) & (mentions[S.DOC_KIND] == S.COMMENT)
            ]
            ids = sorted(set(m[S.DOC_ID].astype(str)), key=_doc_order)
            quoted = m[m[S.DOC_ID].astype(str).isin(ids[:max_examples])].groupby(S.DOC_ID)[S.TEXT]
            forms = quoted.agg(lambda t: " | ".join(sorted(set(t.astype(str)))))
            return (
                f"Comments mentioning {top[S.ENTITY_NAME]}",
                f"{top[S.ENTITY_NAME]} is the entity the comments mention most "
                f"({_count(int(top['comment_mention_count']), 'mention')}) that the article "
                f"never mentions; shown: {_shown(min(len(ids), max_examples), len(ids))} "
                "naming it.",
                ["Comment", "Tone (VADER compound)", "Written as", "Text"],
                _example_rows(ids[:max_examples], docs, texts, extra=forms.to_dict()),
            )
    return None


def _off_article_block(
    tables: dict[str, pd.DataFrame], docs: pd.DataFrame, texts: pd.Series, max_examples: int
) -> tuple | None:
    """Comments below the engagement threshold for every paragraph."""
    headers = HEADERS
    engagement = tables.get("engagement")
    if engagement is not None and not engagement.empty:
        off = engagement[engagement["is_off_article"].fillna(False).astype(bool)]
        ids = sorted(off[S.DOC_ID].astype(str), key=_doc_order)
        picked = spread_over_threads(ids, max_examples)
        return (
            "Comments that relate to no article paragraph",
            f"{len(ids)} of {_count(len(engagement), 'annotated comment')} "
            f"{'scores' if len(ids) == 1 else 'score'} below the engagement threshold for every "
            f"paragraph; {len(picked)} of {len(ids)} shown.",
            headers,
            _example_rows(picked, docs, texts),
        )
    return None


def _not_scored_block(
    comments: pd.DataFrame, docs: pd.DataFrame, texts: pd.Series, max_examples: int
) -> tuple | None:
    """Comments VADER cannot score because they are not in English."""
    not_en = comments[comments["skip_reason"] == "not-english"]
    if not not_en.empty:
        ids = sorted(not_en[S.DOC_ID].astype(str), key=_doc_order)
        langs = dict(zip(not_en[S.DOC_ID].astype(str), not_en[S.LANG].astype(str), strict=True))
        return (
            "Comments not scored (not English)",
            f"{_count(len(ids), 'comment')} detected as another language "
            f"({min(len(ids), max_examples)} shown); VADER's English lexicon cannot score "
            "them, so they have no tone.",
            ["Comment", "Tone (VADER compound)", "Language", "Text"],
            _example_rows(ids[:max_examples], docs, texts, extra=langs),
        )
    return None


def _examples_section(tables: dict[str, pd.DataFrame], *, max_examples: int, note: str) -> str:
    texts = _comment_texts(tables)
    docs = tables.get("documents")
    docs = docs if docs is not None else S.DOCUMENTS.empty()
    comments = docs[docs[S.DOC_KIND] == S.COMMENT]
    blocks = [
        _negative_block(comments, docs, texts, max_examples),
        _comments_only_block(tables, docs, texts, max_examples),
        _off_article_block(tables, docs, texts, max_examples),
        _not_scored_block(comments, docs, texts, max_examples),
    ]
    blocks = [b for b in blocks if b is not None]
    out = [
        '<section id="examples"><h2>Example comments per finding</h2>',
        f'<p class="note" role="note">{_e(note)}</p>',
    ]
    for title, lede, hdrs, rows in blocks:
        out.append(f"<h3>{_e(title)}</h3><p>{_e(lede)}</p>")
        out.append(_table(hdrs, rows) if rows else '<p class="missing">No such comments.</p>')
    if not blocks:
        out.append('<p class="missing">The tables needed for examples were not available.</p>')
    out.append("</section>")
    return "".join(out)


def _shown(k: int, n: int) -> str:
    """``"5 of 12 comments"``, or ``"the 3 comments"`` when all are shown."""
    if k == n:
        return f"the {_count(n, 'comment')}" if n != 1 else "the 1 comment"
    return f"{k} of {_count(n, 'comment')}"


def spread_over_threads(doc_ids: Sequence[str], k: int) -> list[str]:
    """Up to ``k`` ids, taken in turn from each thread (in order within a thread), so examples
    do not all come from the largest thread."""
    by_thread: dict[str, list[str]] = {}
    for doc_id in doc_ids:
        by_thread.setdefault(str(doc_id).rpartition("/")[0], []).append(str(doc_id))
    queues = list(by_thread.values())
    picked: list[str] = []
    while len(picked) < k and any(queues):
        for q in queues:
            if q and len(picked) < k:
                picked.append(q.pop(0))
    return picked


def _doc_order(doc_id: str) -> tuple[str, int, str]:
    thread, _, rest = str(doc_id).rpartition("/")
    digits = rest[1:] if rest[:1] == "c" else ""
    return (thread, int(digits) if digits.isdigit() else -1, str(doc_id))


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def _contents(*, threads: int) -> str:
    items = ["Headline findings", "Figures"]
    if threads > 1:
        items += ["Threads compared", f"One section per thread ({threads})"]
    items += ["Example comments per finding", "Conversation", "Sources", "Methods and caveats"]
    items += ["Model and library versions"]
    return (
        '<nav aria-label="Contents"><ol>'
        + "".join(f"<li>{_e(i)}</li>" for i in items)
        + "</ol></nav>"
    )


def render_report(
    tables: dict[str, pd.DataFrame],
    figures_dir: Path,
    *,
    headlines: object = None,
    max_examples: int = 5,
    content_note: str | Path | None = None,
    work_dir: Path | None = None,
    run_date: str | None = None,
) -> str:
    """The report as an HTML string (see :func:`build_report`)."""
    from analysis.present import report_threads as threads
    from analysis.present.provenance import content_note as note_for
    from analysis.present.provenance import thread_sources

    if headlines is None:
        headlines = tables.get("headlines")
    heads = headlines_frame(headlines)
    sources = thread_sources(tables.get("corpus"), work_dir)
    note = note_for(content_note, inputs=list(sources["source_file"]))
    run_date = run_date or datetime.date.today().isoformat()
    title, overview = _overview(tables)
    multi = len(sources) > 1
    pooled = (
        heads[heads[S.THREAD_ID].astype(str) == S.POOLED]
        if multi and S.THREAD_ID in heads
        else heads
    )
    body = "".join(
        [
            f"<header><h1>{_e(title)}</h1>",
            '<p class="lede">'
            + (
                "How the articles frame their stories and how the comments under them react: "
                if multi
                else "How the article frames the story and how the comments under it react: "
            )
            + "who is mentioned, in what tone, with which words, topics and frames.</p>",
            f"<p>{_e(overview)}</p>",
            f'<p class="note" role="note">{_e(note)}</p></header>',
            _contents(threads=len(sources)),
            _headlines_section(pooled if multi else heads, per_thread=multi and not heads.empty),
            _figures_section(Path(figures_dir)),
            threads.comparison_section(tables, Path(figures_dir)) if multi else "",
            threads.thread_sections(tables, sources, heads, Path(figures_dir)),
            _examples_section(tables, max_examples=max_examples, note=note),
            conversation_section(tables, note=note),
            threads.sources_section(sources, run_date=run_date),
            methods_section(),
            versions_section(),
            f'<footer><p class="src">{_e(note)}</p></footer>',
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} — discourse report</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def build_report(
    tables: dict[str, pd.DataFrame],
    figures_dir: Path,
    out_path: Path,
    *,
    headlines: object = None,
    max_examples: int = 5,
    content_note: str | Path | None = None,
    work_dir: Path | None = None,
    run_date: str | None = None,
) -> Path:
    """Write the self-contained HTML report.

    Args:
        tables: table name -> DataFrame; uses corpus (or sentences), documents, mentions, agenda,
            engagement, tone_shares and headlines when present, and says so when one is missing.
        figures_dir: folder holding the figures and ``manifest.json`` from
            :func:`analysis.present.charts.make_all_figures` (and ``threads/<id>/`` for
            per-thread figures).
        out_path: the HTML file to write.
        headlines: findings as a DataFrame (schema ``headlines``), a list of dicts with
            ``statement`` (and ``source_table``), or a path to ``headlines.json``; default: the
            ``headlines`` table.
        max_examples: comments shown per finding.
        content_note: the note above quoted comments (text or a file); default: sidecar
            ``.note.md`` files beside the inputs, else a neutral line.
        work_dir: the workspace (ingest summary, article URLs) for the sources section.
        run_date: the date printed in the report (default: today); nothing else is dated.

    Returns:
        ``out_path``.

    Raises:
        StageInputError: headlines without a ``statement`` field.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    html_text = render_report(
        tables,
        figures_dir,
        headlines=headlines,
        max_examples=max_examples,
        content_note=content_note,
        work_dir=work_dir,
        run_date=run_date,
    )
    out_path.write_text(html_text, encoding="utf-8", newline="\n")
    return out_path


REPORT_TABLES = (
    "corpus",
    "sentences",
    "documents",
    "mentions",
    "agenda",
    "engagement",
    "headlines",
    "tone_shares",
    *CONVERSATION_TABLES,
)
