"""What the frame and topic charts share: each side's leading category, named safely."""

from __future__ import annotations

import pandas as pd

from analysis import schema as S
from analysis.present.charts.base import RESIDUAL_LABELS, join_names, pct, pretty_label


def _lead(data: pd.DataFrame, side: str, key: str) -> tuple[list[str], float, float] | None:
    """A side's leading categories (several when tied), their share, the residual's largest."""
    sub = data[(data[S.SIDE] == side) & (data["share"] > 0)]
    residual = sub[key].astype(str).str.lower().isin(RESIDUAL_LABELS)
    named = sub[~residual]
    if named.empty:
        return None
    best = float(named["share"].max())
    labels = sorted(named.loc[named["share"] == best, key].astype(str))
    other = float(sub.loc[residual, "share"].max()) if residual.any() else 0.0
    return labels, best, other


def _lead_text(lead: tuple[list[str], float, float]) -> str:
    labels, share, other = lead
    names = [pretty_label(x).lower() for x in labels]
    if len(names) > 3:
        text = f"{len(names)} tied ({pct(share)} each)"
    elif len(names) > 1:
        text = f"{join_names(names)} (tied, {pct(share)} each)"
    else:
        text = f"{names[0]} ({pct(share)})"
    if other > share:
        text += f", after the catch-all category ({pct(other)})"
    elif other == share:
        text += ", level with the catch-all category"
    return text


def by_side_title(data: pd.DataFrame, key: str, what: str) -> str:
    """Each side's leading category (largest share; residual categories are not named as
    leading, but a tie with or a lead of the residual is said; ties are named)."""
    c, a = _lead(data, S.SIDE_COMMENTS, key), _lead(data, S.SIDE_ARTICLE, key)
    if c is None and a is None:
        return f"No {what} found on either side"

    def verb(lead) -> str:
        return f"leading {what}s are" if len(lead[0]) > 1 else f"leading {what} is"

    if c is None:
        return f"The article's {verb(a)} {_lead_text(a)}; the comments show none"
    if a is None:
        return f"The comments' {verb(c)} {_lead_text(c)}; the article shows none"
    if c[0] == a[0] and len(c[0]) == 1:
        text = (
            f"{pretty_label(c[0][0])} is the leading {what} on both sides: article "
            f"{pct(a[1])}, comments {pct(c[1])}"
        )
        for side, lead in (("article", a), ("comments", c)):
            if lead[2] > lead[1]:
                text += f"; in the {side} the catch-all category is larger ({pct(lead[2])})"
            elif lead[2] == lead[1]:
                text += f"; in the {side} the catch-all category is level with it"
        return text
    article_verb = "are" if len(a[0]) > 1 else "is"
    return f"The comments' {verb(c)} {_lead_text(c)}; the article's {article_verb} {_lead_text(a)}"


def ordered(t: pd.DataFrame, key: str, order: list[str], columns: list[str]) -> pd.DataFrame:
    """The rows of the categories in ``order``, sorted by that order then side."""
    t = t[t[key].isin(order)]
    t = t.assign(_o=t[key].map({f: i for i, f in enumerate(order)}))
    return t.sort_values(["_o", S.SIDE]).reset_index(drop=True)[columns]
