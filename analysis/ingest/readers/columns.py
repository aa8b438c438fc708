"""The ``--columns`` mapping shared by the mapped formats (CSV/TSV and generic JSON).

Keys: ``text`` (required), ``id``, ``author``, ``time``, ``likes``, ``parent``; and ``thread``
(split one file into threads by this column), ``article_title`` and ``article_text`` (build each
thread's article from columns). Keys without a mapping fall back to familiar column names
(:data:`DEFAULT_COLUMNS`); the thread and article keys are used only when mapped.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.errors import DiscourseError

COLUMN_KEYS = (
    "text",
    "id",
    "author",
    "time",
    "likes",
    "parent",
    "thread",
    "article_title",
    "article_text",
)
TEXT_COLUMNS = ("text", "comment", "comment_text", "body", "content", "message", "textoriginal")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": TEXT_COLUMNS,
    "id": ("id", "comment_id", "cid", "commentid"),
    "author": ("author", "user", "username", "user_name", "author_name", "authordisplayname"),
    "time": (
        "time",
        "date",
        "created",
        "created_at",
        "published",
        "published_at",
        "publishedat",
        "timestamp",
    ),
    "likes": ("likes", "like_count", "likecount", "votes", "upvotes", "score"),
    "parent": ("parent", "parent_id", "parentid", "reply_to", "in_reply_to"),
}


def parse_column_map(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """Parse ``'text=body,id=comment_id,...'`` into ``{'text': 'body', 'id': 'comment_id'}``.

    Raises:
        DiscourseError: an unknown key or a malformed pair.
    """
    if spec is None:
        return {}
    pairs = (
        spec.items()
        if isinstance(spec, Mapping)
        else [p.split("=", 1) if "=" in p else (p, "") for p in spec.split(",") if p.strip()]
    )
    mapping = {}
    for key, column in pairs:
        key, column = key.strip().lower(), column.strip()
        if key not in COLUMN_KEYS:
            raise DiscourseError(
                f"--columns: unknown key {key!r}; expected KEY=COLUMN pairs "
                f"with KEY one of {', '.join(COLUMN_KEYS)}"
            )
        if not column:
            raise DiscourseError(f"--columns: {key!r} has no column name; expected {key}=COLUMN")
        mapping[key] = column
    if ("article_title" in mapping or "article_text" in mapping) and "thread" not in mapping:
        raise DiscourseError(
            "--columns: article_title/article_text build one article per thread; "
            "give thread=COLUMN too (it may be the same column as article_title)"
        )
    return mapping


def resolve_columns(names: list[str], column_map: Mapping[str, str]) -> dict[str, int] | str:
    """Match mapping keys to ``names`` (a header row or a JSON object's keys).

    Exact names first, then case-insensitive; unmapped keys fall back to
    :data:`DEFAULT_COLUMNS`.

    Returns:
        ``{key: index into names}``, or an error message (what is missing, the available names).
    """
    index = {}
    lowered = {h.strip().lower(): i for i, h in reversed(list(enumerate(names)))}
    available = ", ".join(repr(h) for h in names)
    for key in COLUMN_KEYS:
        if key in column_map:
            name = column_map[key]
            if name in names:
                index[key] = names.index(name)
            elif name.strip().lower() in lowered:
                index[key] = lowered[name.strip().lower()]
            else:
                return f"column {name!r} (for {key}) not found; available columns: {available}"
        elif key in DEFAULT_COLUMNS:
            found = next((lowered[c] for c in DEFAULT_COLUMNS[key] if c in lowered), None)
            if found is not None:
                index[key] = found
    if "text" not in index:
        return (
            "no text column; expected one named "
            f"{', '.join(DEFAULT_COLUMNS['text'][:6])} or --columns text=NAME; "
            f"available columns: {available}"
        )
    return index
