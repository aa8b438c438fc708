"""The report's thread-aware parts: sources and provenance, a section per thread, the comparison.

With one thread the report keeps its single-thread layout and adds the sources table; with
several it adds a comparison section (a table and the ``thread_comparison`` small multiples) and
one section per thread with its article title, source file, capture date, counts, its own
headlines and, when drawn (``discourse figures --per-thread`` or ``--thread ID``), its figures.
At most :data:`MAX_THREAD_SECTIONS` thread sections are written; the comparison table lists every
thread.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pandas as pd

from analysis import schema as S
from analysis.compare.scope import ThreadRows
from analysis.present.charts import MANIFEST
from analysis.present.charts.thread_comparison import comparison_table
from analysis.present.html import cell_count, esc, num, table

MAX_THREAD_SECTIONS = 50
COMPARISON_FIGURE = "thread_comparison"


def thread_anchor(thread_id: str) -> str:
    """A safe ``id`` attribute for a thread's section."""
    return "thread-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(thread_id))


def thread_folder(thread_id: str) -> str:
    """The sub-folder of ``figures/threads/`` holding a thread's own figures."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in str(thread_id)) or "_"


def figure_html(entry: dict, folder: Path, *, heading: str = "") -> str:
    """One ``<figure>`` with its PNG embedded as a ``data:`` URI and its caption."""
    name = str(entry.get("name", ""))
    png = Path(folder) / entry.get("files", {}).get("png", f"{name}.png")
    out = [f'<figure id="{esc(heading + "fig-" + name)}">']
    if png.is_file():
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        out.append(
            f'<img src="data:image/png;base64,{data}" width="640" height="400" '
            f'alt="{esc(entry.get("alt_text") or entry.get("title"))}">'
        )
    else:
        out.append(f'<p class="missing">Figure file {esc(png.name)} is missing.</p>')
    files = ", ".join(sorted(entry.get("files", {}).values()))
    out.append(
        f"<figcaption><strong>{esc(entry.get('title'))}</strong> "
        f"{esc(entry.get('caption'))} "
        f'<span class="files">Files in the figures folder: {esc(files)}.</span>'
        "</figcaption></figure>"
    )
    return "".join(out)


def _manifest(folder: Path) -> list[dict]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []
    return data if isinstance(data, list) else []


def sources_section(sources: pd.DataFrame, *, run_date: str) -> str:
    """Where the threads come from, and when this report was made."""
    rows = [
        [
            ("id", esc(r.thread_id)),
            ("", esc(r.title) or '<span class="missing">(no title)</span>'),
            ("", esc(r.article_url) or "not given"),
            ("", esc(r.source_file) + (f" ({esc(r.source_format)})" if r.source_format else "")),
            ("", esc(r.captured_at) or "not given"),
        ]
        for r in sources.itertuples(index=False)
    ]
    return (
        '<section id="sources"><h2>Sources</h2>'
        + table(["Thread", "Article", "Article URL", "Comments file", "Captured"], rows)
        + f'<p class="src">Report generated on {esc(run_date)}; the figures and tables carry '
        "no date, so reruns on the same input give the same files.</p></section>"
    )


def comparison_section(tables: dict[str, pd.DataFrame], figures_dir: Path) -> str:
    """The threads side by side: a table of every thread and the small-multiples figure."""
    data = comparison_table(tables)
    rows = []
    for r in data.itertuples(index=False):
        interval = (
            f" [{num(r.ci_low, '{:.0%}')}, {num(r.ci_high, '{:.0%}')}]"
            if pd.notna(r.ci_low)
            else ""
        )
        rows.append(
            [
                ("", esc(r.label)),
                ("num", esc(r.comment_count)),
                ("num", num(r.negative_share, "{:.0%}") + interval),
                (
                    "",
                    esc(r.top_actor)
                    + (f" ({r.top_actor_mentions})" if r.top_actor_mentions else ""),
                ),
                ("num", num(r.off_article_share, "{:.0%}")),
            ]
        )
    out = [
        '<section id="comparison"><h2>Threads compared</h2>',
        "<p>Each thread on its own terms: the share of its comments VADER labels negative (95% "
        "Wilson score interval), the entity its comments mention most (ties named) and the share "
        "of its annotated comments that relate to no article paragraph.</p>",
        table(
            ["Thread", "Comments", "Negative comments", "Top actor in comments", "Off-article"],
            rows,
        ),
    ]
    entry = next((e for e in _manifest(figures_dir) if e.get("name") == COMPARISON_FIGURE), None)
    if entry is not None:
        out.append(figure_html(entry, figures_dir))
    out.append("</section>")
    return "".join(out)


def _facts(source: pd.Series, corpus: pd.DataFrame, documents: pd.DataFrame | None) -> str:
    tid = source[S.THREAD_ID]
    com = corpus[(corpus[S.THREAD_ID].astype(str) == tid) & (corpus[S.DOC_KIND] == S.COMMENT)]
    facts = [
        ("Thread id", esc(tid)),
        ("Comments file", esc(source["source_file"])),
        ("Article file", esc(source["article_file"]) or "inside the comments file"),
        ("Article URL", esc(source["article_url"]) or "not given"),
        ("Captured", esc(source["captured_at"]) or "not given"),
        (
            "Comments",
            f"{cell_count(len(com), 'comment')}; empty: "
            f"{int(com['is_empty'].fillna(False).sum())}; repeating an earlier one: "
            f"{int(com['is_duplicate'].fillna(False).sum())}",
        ),
    ]
    if documents is not None and not documents.empty:
        d = documents[
            (documents[S.THREAD_ID].astype(str) == tid) & (documents[S.DOC_KIND] == S.COMMENT)
        ]
        facts.append(
            ("Annotated", cell_count(int(d["is_annotated"].fillna(False).sum()), "comment"))
        )
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


def thread_sections(
    tables: dict[str, pd.DataFrame],
    sources: pd.DataFrame,
    headlines: pd.DataFrame,
    figures_dir: Path,
) -> str:
    """One ``<section class="thread">`` per thread (at most :data:`MAX_THREAD_SECTIONS`)."""
    corpus = tables.get("corpus")
    if corpus is None or len(sources) < 2:
        return ""
    out = []
    # Each table split by thread once (not one full-table filter per thread and table).
    documents = tables.get("documents")
    corpus_rows = ThreadRows(corpus)
    document_rows = ThreadRows(documents) if documents is not None else None
    headline_rows = ThreadRows(headlines) if S.THREAD_ID in headlines else None
    for _, source in sources.head(MAX_THREAD_SECTIONS).iterrows():
        tid = source[S.THREAD_ID]
        title = source["title"] or tid
        out.append(
            f'<section class="thread" id="{thread_anchor(tid)}" data-thread="{esc(tid)}">'
            f'<h2>Thread: <span class="thread-title">{esc(title)}</span></h2>'
        )
        docs = document_rows(str(tid)) if document_rows is not None else None
        if docs is not None and docs.empty:
            docs = documents  # no rows of this thread: _facts finds none and says so
        out.append(_facts(source, corpus_rows(str(tid)), docs))
        own = headline_rows(str(tid)) if headline_rows is not None else headlines.iloc[0:0]
        if own.empty:
            out.append('<p class="missing">No headline findings for this thread.</p>')
        else:
            out.append('<h3>Findings</h3><ul class="findings">')
            out.extend(f"<li>{esc(r.statement)}</li>" for r in own.itertuples(index=False))
            out.append("</ul>")
        folder = Path(figures_dir) / "threads" / thread_folder(tid)
        entries = _manifest(folder)
        if entries:
            out.append("<h3>Figures</h3>")
            out.extend(
                figure_html(e, folder, heading=thread_anchor(tid) + "-")
                for e in entries
                if not e.get("is_empty")
            )
        else:
            out.append(
                '<p class="src">This thread\'s own figures were not drawn; '
                f"<code>discourse figures --out DIR --thread {esc(tid)}</code> (or "
                "<code>--per-thread</code>) draws them.</p>"
            )
        out.append("</section>")
    if len(sources) > MAX_THREAD_SECTIONS:
        rest = len(sources) - MAX_THREAD_SECTIONS
        out.append(
            f'<p class="src">{cell_count(rest, "more thread")} are listed in the comparison '
            "table only.</p>"
        )
    return "".join(out)
