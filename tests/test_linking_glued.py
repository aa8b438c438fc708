"""Names glued to something else: a word joined by a slash to a channel handle
("YouTube/codytolleson") is an address, and a form followed by a glued "+" ("Google+") is
another name. Synthetic text only."""

from __future__ import annotations

import pandas as pd

from analysis.linking.noise import noise_spans
from analysis.linking.search import NameForm, build_matcher, find_names
from analysis.linking.spans import filter_model_spans


def _noise(text: str) -> list[str]:
    return [text[a:b] for a, b in noise_spans(text)]


def test_a_word_slashed_to_a_made_up_handle_is_an_address() -> None:
    assert _noise("YouTube/qwzvortlex for awesome videos") == ["YouTube/qwzvortlex"]
    assert _noise("find me at twitch/brm_plaxo42!") == ["twitch/brm_plaxo42"]


def test_slashed_names_and_words_are_no_address() -> None:
    # a capitalised or frequent word after the slash: two names or two words, not a handle
    assert _noise("Israel/Palestine, Trump/pence and/or he/she, AC/DC") == []
    assert _noise("YouTube/channel") == []


def test_model_span_inside_a_channel_address_is_dropped() -> None:
    text = "YouTube/qwzvortlex for awesome videos. I like YouTube a lot"
    docs = pd.DataFrame({"doc_id": ["d1"], "text": [text]})
    second = text.rindex("YouTube")
    spans = pd.DataFrame(
        {
            "doc_id": ["d1", "d1"],
            "start_char": [0, second],
            "end_char": [7, second + 7],
            "label": ["ORG", "ORG"],
            "text": ["YouTube", "YouTube"],
        }
    )
    out = filter_model_spans(docs, spans)
    assert list(out["action"]) == ["drop", "keep"]


def test_a_glued_plus_makes_another_name() -> None:
    matcher = build_matcher([NameForm("Zorbly", "zorbly", "gazetteer")])
    text = "check my Zorbly+ page, Zorbly is fine, Zorbly+ again"
    found = [text[a:b] for a, b, _ in find_names(text, matcher)]
    assert found == ["Zorbly"]
    assert [a for a, _, _ in find_names(text, matcher)] == [text.index("Zorbly is")]


def _actions(text: str, spans: list[tuple[str, str]]) -> list[str]:
    """filter_model_spans actions for the first occurrence of each (span text, label)."""
    starts = [text.index(s) for s, _ in spans]
    frame = pd.DataFrame(
        {
            "doc_id": ["d1"] * len(spans),
            "start_char": starts,
            "end_char": [a + len(s) for a, (s, _) in zip(starts, spans, strict=True)],
            "label": [lab for _, lab in spans],
            "text": [s for s, _ in spans],
        }
    )
    docs = pd.DataFrame({"doc_id": ["d1"], "text": [text]})
    return list(filter_model_spans(docs, frame)["action"])


def test_a_known_names_agent_noun_is_no_mention_of_it() -> None:
    text = "I love Zorbly. I am a small Zorblyer and these Zorblyers and Kwexxers follow Kwex."
    spans = [("Zorbly", "ORG"), ("Zorblyer", "ORG"), ("Zorblyers", "ORG"), ("Kwexxers", "ORG"),
             ("Kwex", "ORG")]  # fmt: skip
    assert _actions(text, spans) == ["keep", "drop", "drop", "drop", "keep"]


def test_agent_noun_rule_spares_persons_groups_and_unknown_stems() -> None:
    text = "Vorpa said Vorpaer and the Vorpaers came, then Qintaler spoke."
    spans = [("Vorpa", "GPE"), ("Vorpaer", "PERSON"), ("Vorpaers", "NORP"), ("Qintaler", "ORG")]
    assert _actions(text, spans) == ["keep", "keep", "keep", "keep"]
