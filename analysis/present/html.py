"""HTML pieces the report is built from: the page style, escaping, numbers, tables.

Everything that comes from data goes through :func:`esc` (``html.escape`` with ``quote=True``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #1a1a1a; background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 760px; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin-bottom: 0.3rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.6rem; }
.lede { color: #444; margin-top: 0; }
.note { background: #fff4e5; border-left: 4px solid #E69F00; padding: .6rem .9rem; margin: 1rem 0; }
.findings li { margin-bottom: .5rem; }
.src { color: #666; font-size: .85em; }
figure { margin: 1.6rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: #333; }
figcaption .files { color: #666; font-size: .85em; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.id { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.text { white-space: pre-wrap; overflow-wrap: break-word; }
td { overflow-wrap: normal; word-break: normal; hyphens: manual; }
.scroll { overflow-x: auto; max-width: 100%; }
.missing { color: #8a4b00; }
nav ol { columns: 2; font-size: .95rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: break-word; min-width: 0; }
section.thread { border-top: 3px solid #0072B2; margin-top: 2.5rem; }
@media (max-width: 600px) {
  main { padding: 1rem .6rem 3rem; }
  nav ol { columns: 1; padding-left: 1.2rem; }
  h1 { font-size: 1.3rem; }
  table { font-size: .8rem; }
  th, td { padding: .25rem .3rem; }
  dl.facts { grid-template-columns: 1fr; }
}
"""


def esc(value: object) -> str:
    """HTML-escape any value (missing values become an empty string)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def cell_count(n: int, noun: str) -> str:
    """``1 comment``, ``2 comments``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def num(value: object, fmt: str = "{:+.2f}") -> str:
    """A number formatted and escaped; missing -> ``n/a``."""
    try:
        if value is None or pd.isna(value):
            return "n/a"
    except (TypeError, ValueError):
        return esc(value)
    return esc(fmt.format(float(value)))


def table(headers: Sequence[str], rows: Iterable[Sequence[tuple[str, str]]]) -> str:
    """An HTML table; each cell is ``(css class, already-escaped html)``."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="{cls}">{cell}</td>' for cls, cell in row) + "</tr>"
        for row in rows
    )
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        "</table></div>"
    )
