"""The report's closing sections: methods and caveats, model and library versions.

Moved out of :mod:`analysis.present.report` (whose size is capped); the texts are unchanged.
"""

from __future__ import annotations

from analysis.compare.keyness import METHODS_NOTE as KEYNESS_METHODS
from analysis.config import SEED
from analysis.present.html import esc as _e
from analysis.present.html import table as _table

_METHODS = [
    (
        "Reading the thread",
        "The article and each comment are read from the input file as given. Empty and "
        "repeated comments are kept and flagged, never dropped; relative times such as '6 "
        "months ago' become estimated dates, marked as estimated.",
    ),
    (
        "Entities",
        "spaCy's small English pipeline finds named entities (people, groups, places, "
        "organisations). Mentions are linked to one canonical entity by a gazetteer, an "
        "alias list and fuzzy matching; misspelt or mocking names may be linked wrongly or "
        "not at all, and the small model misses and mislabels entities. Linking methods are "
        "recorded in the mentions table. The agenda ranks an entity as an actor (is_ranked) "
        "only when at least two independent places name it: two article paragraphs, comments "
        "by two different authors (two comments when authors are unknown), or the article and "
        "a comment. A single mention, or one author repeating a name, is not enough; entities "
        "below that line stay in the agenda table, flagged.",
    ),
    (
        "Tone",
        "VADER (Hutto and Gilbert 2014) scores each sentence and comment from a lexicon and "
        "rules; compound scores at or above +0.05 are labelled positive, at or below -0.05 "
        "negative. VADER cannot see sarcasm or irony, reads many slurs and coded hate speech "
        "as neutral because they are not in its lexicon, and does not score text in other "
        "languages (those comments are flagged, not scored). Tone toward an actor is the "
        "tone of the sentence that mentions it, not the writer's stance toward that actor.",
    ),
    ("Distinctive terms", KEYNESS_METHODS),
    (
        "Topics and frames",
        "Topics are found in the threads themselves: one NMF model (Lee and Seung 1999) of "
        "the article sentences and comments of every thread, with the number of topics "
        "chosen by coherence and labels from the topics' strongest words as written; too "
        "little text gives no topics, and on a thread of a few dozen comments they are "
        "exploratory. Guided topics come only from a lexicon the researcher supplies. "
        "Frames are counted with a dictionary of Policy Frames Codebook "
        "dimensions (Boydstun et al. 2014): a dictionary counts words, not meaning, so "
        "paraphrases are missed and a frame word used in another sense is counted.",
    ),
    (
        "Engagement",
        "Each annotated comment is matched to the article paragraph it shares most entities "
        "and vocabulary with; below a fixed threshold it counts as off-article. Short "
        "comments carry little vocabulary, so their match is uncertain.",
    ),
    (
        "Small numbers",
        "One thread holds a few dozen sentences and comments, so shares move by several "
        "points with each comment. Intervals of shares are Wilson score intervals (Wilson "
        "1927), which stay open at a share of 0 or 1; intervals of mean tone are seeded "
        f"percentile bootstraps (seed {SEED}); actors with too few sentences are marked 'too "
        "few to say' and not "
        "compared. Findings describe this thread only and do not generalise to other readers "
        "or outlets.",
    ),
]


def methods_section() -> str:
    """The ``<section id="methods">`` (escaped HTML)."""
    out = ['<section id="methods"><h2>Methods and caveats</h2>']
    for title, text in _METHODS:
        out.append(f"<h3>{_e(title)}</h3><p>{_e(text)}</p>")
    out.append("</section>")
    return "".join(out)


def versions_section() -> str:
    """The ``<section id="versions">``: :func:`analysis.present.provenance.versions`."""
    from analysis.present.provenance import versions

    rows = [[("", _e(r.component)), ("", _e(r.version))] for r in versions().itertuples()]
    return (
        '<section id="versions"><h2>Model and library versions</h2>'
        + _table(["Component", "Version"], rows)
        + "</section>"
    )
