"""What the frame and topic charts share: each side's leading category, named safely."""

from __future__ import annotations

import pandas as pd

from analysis import schema as S
from analysis.present.charts.base import RESIDUAL_LABELS, pct, pretty_label


def by_side_title(data: pd.DataFrame, key: str, what: str) -> str:
    """Each side's leading category (largest share, residual categories left out)."""
    leads = {}
    for side in S.SIDES:
        sub = data[
            (data[S.SIDE] == side)
            & (data["share"] > 0)
            & ~data[key].astype(str).str.lower().isin(RESIDUAL_LABELS)
        ]
        if not sub.empty:
            leads[side] = sub.sort_values(["share", key], ascending=[False, True]).iloc[0]
    c, a = leads.get(S.SIDE_COMMENTS), leads.get(S.SIDE_ARTICLE)
    if c is None and a is None:
        return f"No {what} found on either side"
    if c is None:
        return (
            f"The article's leading {what} is {pretty_label(a[key]).lower()} "
            f"({pct(a['share'])}); the comments show none"
        )
    if a is None:
        return (
            f"The comments' leading {what} is {pretty_label(c[key]).lower()} "
            f"({pct(c['share'])}); the article shows none"
        )
    if c[key] == a[key]:
        return (
            f"{pretty_label(c[key])} is the leading {what} on both sides: article "
            f"{pct(a['share'])}, comments {pct(c['share'])}"
        )
    return (
        f"The comments' leading {what} is {pretty_label(c[key]).lower()} ({pct(c['share'])}); "
        f"the article's is {pretty_label(a[key]).lower()} ({pct(a['share'])})"
    )


def ordered(t: pd.DataFrame, key: str, order: list[str], columns: list[str]) -> pd.DataFrame:
    """The rows of the categories in ``order``, sorted by that order then side."""
    t = t[t[key].isin(order)]
    t = t.assign(_o=t[key].map({f: i for i, f in enumerate(order)}))
    return t.sort_values(["_o", S.SIDE]).reset_index(drop=True)[columns]
