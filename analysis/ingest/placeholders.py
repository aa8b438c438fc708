"""Platform placeholders: what a site shows in place of a comment that is gone or withheld.

``"[deleted]"``, ``"[removed]"``, ``"This comment has been deleted"``, ``"Comment removed by a
moderator"``, ``"This comment violated our community guidelines"``, ``"Comment awaiting
moderation"``. They are not what anybody wrote, so the corpus flags them (``is_placeholder``) and
the comparisons leave them out.

The rules are generic shapes, not phrases taken from one export: the whole (normalised) comment
must be the notice. A bracketed status word alone (``[deleted]``, ``(removed)``); a sentence whose
subject is the comment/post/message and whose verb is a removal (``deleted``, ``removed``,
``hidden``, ``withheld``, ``flagged``...), optionally saying by whom or why; a moderation notice
(``awaiting moderation``, ``violated ... guidelines``). A comment that merely discusses deletion
("they deleted my comment again!") is not a placeholder: it has other words around the notice.
Limits: notices in other languages and site-specific wording outside these shapes are not
recognised.
"""

from __future__ import annotations

import re

_STATUS = (
    r"(?:deleted|removed|hidden|withheld|withdrawn|censored|redacted|unavailable|blocked"
    r"|flagged|moderated|suppressed|collapsed)"
)
_THING = r"(?:comment|post|message|reply|response|content|contribution|entry)"
_AGENT = r"(?:by|for|due to|because of|at the request of|pending|under)(?:\s+[^\s.!]+){1,6}"

_PATTERNS = (
    # [deleted], (removed), <comment deleted>, [comment removed by moderator]
    rf"[\[(<{{]\s*(?:{_THING}\s+)?{_STATUS}(?:\s+{_AGENT})?\s*[\])>}}]",
    # This comment has been deleted. / Comment removed by a moderator / Post was hidden
    rf"(?:this|the)?\s*{_THING}\s+(?:(?:has|had|have)\s+been|was|is|were|got)?\s*"
    rf"{_STATUS}(?:\s+{_AGENT})?",
    # Deleted by the author / Removed by moderator / Removed for violating ...
    rf"{_STATUS}\s+(?:by|for)(?:\s+[^\s.!]+){{1,6}}",
    # This comment (is) awaiting moderation / pending review
    rf"(?:this|the|your)?\s*{_THING}?\s*(?:is\s+)?(?:awaiting|pending|under|held for)\s+"
    r"(?:moderation|review|approval)",
    # This comment violated / violates our community guidelines / terms of use / policy
    rf"(?:this|the)\s+{_THING}\s+(?:has\s+been\s+)?(?:violated|violates|breached|breaches|"
    r"was found to violate)\s+[^.!\n]{0,60}(?:guidelines|policy|policies|terms|rules|standards)"
    r"[^.!\n]{0,40}",
)
_PLACEHOLDER = re.compile(
    r"\s*(?:" + "|".join(f"(?:{p})" for p in _PATTERNS) + r")\s*[.!]?\s*", re.IGNORECASE
)
#: A notice is short; a long text that happens to start like one is a comment.
MAX_PLACEHOLDER_CHARS = 200


def is_placeholder(text: str) -> bool:
    """True when the whole normalised ``text`` is a platform's deleted/removed/moderated notice."""
    return 0 < len(text) <= MAX_PLACEHOLDER_CHARS and _PLACEHOLDER.fullmatch(text) is not None
