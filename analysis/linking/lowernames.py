"""Lower-case uses of a thread's names that are no ordinary word in lower case.

The case rules of :func:`analysis.linking.search.case_rule` keep the lower-case uses of some
forms out: forms of words frequent in general English ("named",
:func:`~analysis.linking.noise.is_common_phrase`: "Harvey Milk", "Taylor Swift"), with an
ordinary word ("capitalised": "Gangnam Style") or of English nouns ("propn"). They link in
lower case only when the thread names them
:data:`~analysis.linking.casing.LOWER_MIN_NAMED` times and five times as often as it writes them in
lower case (:func:`~analysis.linking.casing.lower_case_ok`). Frequency cannot tell a name from
"roar", "steam" or "white house"; inflection can. An ordinary noun or verb is used in its
inflected forms ("steams", "steamed"), a name hardly ever ("harveys", "gangnamed"):
:func:`~analysis.linking.knowledge.is_ordinary_form`, the knowledge base's test of lower-case
forms. :func:`lower_case_names` lets such a form match in lower case when one of its words is no
ordinary word by that test and the thread writes the form as a name at least :data:`NAMED_MIN`
times and at least as often as in lower case: a lower-case run of words holding a name is the
name written carelessly ("harvey milk", "gangnam style", "vextrona swift"). One-word forms
qualify only under the "capitalised" and "propn" rules: a single word frequent in general
English ("Twitter", "Bible") keeps the stricter thresholds and the tagger's proper-noun tag, as
its lower case alone may be the word ("the bird's twitter").

Limits: a name made only of ordinary words ("White House", "Trump", "Roar") keeps its
lower-case uses out however the thread writes it; so does a name written in lower case more
often than capitalised.
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.linking.knowledge import is_ordinary_form
from analysis.linking.lexicons import Lexicons
from analysis.linking.names import _tokens, is_acronym, name_key
from analysis.linking.search import NameForm, case_rule

#: Named uses (capitalised, not opening a sentence, not shouted) a form needs in the thread.
NAMED_MIN = 2
#: The case rules whose lower-case uses this rule may admit (:func:`case_rule`) ...
RELAXED_RULES = frozenset({"named", "capitalised", "propn"})
#: ... for a one-word form: a single word frequent in general English ("named": "Twitter",
#: "Bible") keeps the stricter thresholds of :func:`~analysis.linking.casing.lower_case_ok` and
#: the tagger's proper-noun tag (``named_propn``): alone, its lower case may be the word.
RELAXED_ONE_WORD_RULES = frozenset({"capitalised", "propn"})
#: Letters a word needs: shorter words are too often chat abbreviations in lower case.
MIN_WORD_LETTERS = 3


def _no_ordinary_word(form: str) -> bool:
    """The form is no ordinary English phrase in lower case: a word that is no ordinary word
    (:func:`is_ordinary_form`), or several words of which one is none ("harvey milk", "taylor
    swift": a lower-case run of words holding a name is that name; "white house" is not). An
    acronym never is ("WHO", "US": their lower case is a word of its own)."""
    words = _tokens(form)
    if not words or is_acronym(form) or not all(w.isalpha() for w in words):
        return False
    return any(len(w) >= MIN_WORD_LETTERS and not is_ordinary_form(w) for w in words)


def lower_case_names(
    gazetteer: Iterable[NameForm], profile: dict[str, tuple[int, int]], lex: Lexicons
) -> frozenset[str]:
    """Keys of gazetteer forms that may also match in lower case (module docstring).

    Args:
        gazetteer: the thread's searchable forms.
        profile: the thread's case profile (``name_key`` -> (named, lower-case) uses,
            :func:`analysis.linking.casing.case_profile`).
        lex: the lexicons (their case rules decide which forms are kept from lower case).
    """
    out = set()
    for f in gazetteer:
        key = name_key(f.form)
        named, lower = profile.get(key, (0, 0))
        if named < NAMED_MIN or lower > named:
            continue
        rules = RELAXED_RULES if len(_tokens(f.form)) > 1 else RELAXED_ONE_WORD_RULES
        if case_rule(f.form, lex) in rules and _no_ordinary_word(f.form):
            out.add(key)
    return frozenset(out)
