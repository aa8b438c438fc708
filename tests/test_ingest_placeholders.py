"""Placeholders: flagged when the whole comment is the notice, not when it discusses one."""

from __future__ import annotations

import pytest

from analysis.ingest.placeholders import is_placeholder


@pytest.mark.parametrize(
    "text",
    [
        "[deleted]",
        "[removed]",
        "(deleted)",
        "[comment removed by moderator]",
        "This comment has been deleted",
        "This comment has been deleted.",
        "This comment was removed by a moderator.",
        "Comment deleted by user",
        "This post was removed for violating the rules",
        "Message hidden",
        "Removed by the author",
        "This comment is awaiting moderation",
        "This comment violated our community guidelines.",
        "THIS COMMENT HAS BEEN REMOVED",
    ],
)
def test_notices_are_placeholders(text):
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "deleted",  # a bare word may be a reply ("deleted?")
        "removed",
        "they deleted my comment again!",
        "my comment was deleted",
        "I removed it",
        "This comment section is wild",
        "The post office is closed",
        "my reply was hidden because of trolls and i am angry about it lol",
        "[deleted] " + "but here is what I said: " * 10,
    ],
)
def test_comments_about_deletion_are_not(text):
    assert not is_placeholder(text)
