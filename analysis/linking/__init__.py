"""Entity linking: mentions -> canonical entities across a thread.

Annotation drives the rules through the :class:`analysis.annotate.protocol.Linker` protocol;
:class:`RuleLinker` is the implementation the pipeline and the command line pass in. Modules:
:mod:`~analysis.linking.names` (keys, titles, word lists), :mod:`~analysis.linking.lexicons`,
:mod:`~analysis.linking.spans` (cleaning model spans), :mod:`~analysis.linking.search`
(gazetteer), :mod:`~analysis.linking.fuzzy`, :mod:`~analysis.linking.rules` (thread-wide rules),
:mod:`~analysis.linking.naming`, :mod:`~analysis.linking.store`, :mod:`~analysis.linking.shapes`
(span shapes that never name), :mod:`~analysis.linking.casing` (the thread's case profile),
:mod:`~analysis.linking.labels` (label evidence), :mod:`~analysis.linking.linker`
(:class:`ThreadLinker`), :mod:`~analysis.linking.joining` (adjacent mentions) and
:mod:`~analysis.linking.api` (:func:`link_thread`).

:func:`link_thread` takes the thread's documents, the spaCy NER spans and the candidate tokens the
annotation step found, and returns the ``mentions`` and ``entities`` tables. Every mention says how
it was found or linked (``link_method``):

``model``
    a span of the NER model, linked to its entity by the canonical-grouping rules below: the
    span's own name (case, accents and spacing aside: "katy perry" with "Katy Perry", "asia"
    with the knowledge base's "Asia"), its surname or first name in the thread, its title
    stripped. When another rule picks the entity of a model span, the method is that rule's
    (an alias "Bibi", a misspelling "Katty Purry" -> ``fuzzy``): the column records how the
    entity was chosen, and a model span counts as ``model`` only when its text names it.
``gazetteer``
    a name seen elsewhere in the thread (any document, the article first), found again by a
    case-insensitive, word-bounded search the model missed ("hamas", "PUTIN").
``alias``
    a nickname, spelling, abbreviation or formal name listed in ``aliases.csv`` ("Bibi", "USA",
    "IDF"), or a form of a well-known entity in ``knowledge.csv`` ("asia", "fb", "GOP";
    :mod:`~analysis.linking.knowledge`), whether the model found the span or the alias search did.
``fuzzy``
    a misspelling or sound-alike pun on a known name ("Netanyahoo", "Zelenisky"); ``link_score``
    is the Jaro-Winkler similarity of the token to the name it was linked to.
``flag``
    a flag emoji (two regional-indicator symbols, e.g. U+1F1F5 U+1F1F8 = "PS" = Palestine).

Steps, in order (each is a small public function that can be tested on its own):

1. **Clean model spans** (:func:`filter_model_spans`): keep the labels in
   :data:`analysis.schema.ENTITY_LABELS`; trim surrounding punctuation, a leading "the" and a
   trailing possessive ("Putin's" -> "Putin"); drop spans that are not entities: phrases listed in
   ``not_entities.csv`` ("lol", "Amen", "POS"), spans without a letter (punctuation, emoji), spans
   that are only a title ("President"), and all-lower-case spans made of ordinary English words
   with a label in :data:`DROP_LOWERCASE_LABELS` ("god" as PERSON) unless the name is known
   (capitalised elsewhere in the thread, or in a lexicon) and its words are not ordinary English
   ("house" beside "the House" is dropped: the case profile decides where it may match in lower
   case, step 4), and ordinary words in capitals inside shouted text ("GIVE US A BREAK").
   Slogan prefixes are cut off ("Long Live Palestine" -> "Palestine"); a span joining known
   names ("Russia & China") is split into them.
   Also (:mod:`~analysis.linking.noise`): a span overlapping a URL, bare domain, e-mail address,
   @handle or hashtag is dropped, and nothing inside one is ever matched later; spans of only
   pronouns and other stop words ("I am", "I'd") are dropped; "anti-X" and "pro-X" become X;
   spaced dashes split a span ("PSY - GANGNAM STYLE"); stop words, adverbs and chat noise at the
   start ("This song", "Thankfully Obama", "LOL Marian") and chat noise or one- and two-letter
   lower-case words at either end ("iPhone IMO", "s Samsung") are cut off. Span shapes that
   never name (:mod:`~analysis.linking.shapes`): laughter ("hahaha"), glued page or user names
   ("FunnyTortsPics"), phrases with a first- or second-person pronoun ("Suscribe My Channel
   Please"; not titles of works), a lone adverb ("Honorably"), counts ("7 Billion Views"), an
   ordinary word repeated ("Great Great"), a holiday labelled EVENT ("New Year's Eve": a date)
   and the holder of an ideology labelled NORP ("Communist", "socialists": an "-ism" WordNet
   lists; parties' members such as "Democrats" stay) are dropped; a name repeated ("KATY KATY
   KATY"), a known name followed by numbers or emoticons ("Katy Perry 600") or led by a shouted
   or lower-case verb ("VOTE KATY") or followed by ordinary words after a lexicon name ("ITunes
   Gift": :mod:`~analysis.linking.tails`) is cut to the name; "non-X" becomes X like "anti-X". A
   span ending in the head of a word split by a space ("Han nity") or a lower-case prefix of the
   next word ("un employed", "un-edited") is dropped
   (:func:`~analysis.linking.shapes.split_word_tail`), and so is a known name glued to a plural
   noun, a fandom ("Katycats" beside "Katy"; the singular too when the plural is a span of the
   thread), a lower-case ordinary word spelling a capitals-only lexicon acronym ("us"), and an
   acronym no lexicon lists said as a sentence of its own ("GFY!!":
   :func:`~analysis.linking.shapes.is_exclamation`).
2. **Flags** (:func:`find_flags`): regional-indicator pairs and the England/Scotland/Wales tag
   sequences become GPE mentions of the place named in ``flags.csv`` (a flag inside a kept model
   span is left to that span, so mentions never overlap).
3. **Canonical grouping** of model mentions across the thread, by :func:`name_key` (case, accents,
   spaces, hyphens and dots ignored: "AlJazeera" = "Al Jazeera"), then: alias table rows; titles
   stripped from PERSON spans ("Prime Minister Naftali Bennett" -> "Naftali Bennett",
   :data:`TITLE_PATTERN`); surname -> the one multi-word person of the thread with that surname
   ("Putin" -> "Vladimir Putin", "Assad" -> "Bashar al-Assad", "E. Lee" -> "Robert E Lee": a
   middle initial may lead the surname, and makes a name of ordinary words a person's; or the
   one holding four fifths
   of the mentions of all people sharing the name, :func:`rules._dominant`; a person is a group
   the model mostly labels PERSON, or ORG with a name that :func:`looks_like_person_name` and
   holds no ordinary English word, so "Globe" never becomes "Boston Globe"; a group named only by
   ordinary words lends no surname); after the search, a one-word PERSON joins the one person of
   the thread whose full name starts with it ("Katy" -> "Katy Perry"; the full name may be the
   lexicon's name of a group the thread reached: "Donald" -> "Donald Trump" via "Trump") unless it
   is also a surname
   there or two people share it (the same four-fifths rule decides between them); nationality
   plurals ("Palestinian" / "Palestinians").
4. **Gazetteer and alias search** over every document (:func:`find_names`) for every form of every
   entity of the thread and every row of the alias table, masking spans already linked. A model
   form made only of ordinary English words (``wordfreq`` Zipf frequency with WordNet,
   :func:`~analysis.linking.noise.is_common_phrase`: "Please", "This song", "Bush") seeds the
   search only when the model found it twice or more and at least once written as a name
   (capitalised, not opening a sentence, not shouted); such a form then matches only where it is
   written as a name (case rule ``named``). A form of words frequent in general English that
   WordNet does not list (:func:`~analysis.linking.noise.is_frequent_phrase`: "Xoxo", "Dept",
   "Remix") seeds it only when the model found it twice, or once written as a name, or its group
   is anchored elsewhere (:func:`rules.seeds_gazetteer`); it matches in lower case only when the
   thread names it twice or the article, a flag or a lexicon anchors its entity
   (:func:`~analysis.linking.casing.unattested_frequent`); and such a surname spreads only from a
   full name written as a person's (:func:`rules.surname_spreads`). A one-word form met as
   several words in text needs them capitalised ("just in" is not "Justin"). Other case rules
   keep ordinary words out (:func:`case_rule`): acronyms match only in capitals ("US", never "us",
   and not inside shouted text); names that are ordinary English words ("Trump", "Turkey" unless
   listed in a lexicon, "May") match only capitalised; other names match in any case. Two
   adjacent mentions that together spell a known name become one ("Justin" + "trudeau"), and so
   do a mention that is no ordinary word and the next word when they spell a known name of
   more words ("Gangnam" + "style" beside "Gangnam Style", "Katy" + "perry"; not "Confederate"
   + "flag": :mod:`~analysis.linking.joining`).
5. **Fuzzy and sound-alike matching** (:func:`name_similarity`, :func:`fuzzy_link`) of unlinked
   proper-noun-like tokens (POS PROPN or X, or capitalised, at least :data:`FUZZY_MIN_LENGTH`
   letters; or lower-case, at least six letters and no English word, linked by the spelling
   rule only: "instagraml", :func:`~analysis.linking.fuzzy.is_lower_case_candidate`) and of
   one-word model entities that match no known name, against the known names: the thread's
   entity names (single words and surnames) and the alias table's names. A token that is an
   English word (:func:`is_english_word`, checked against the WordNet lemma index shipped inside
   the spaCy model, plus spaCy's stop words, with simple inflections) is never fuzzy-linked, nor
   is a demonym ("Gazans"), a name plus a suffix ("Putinism", "YouTuber"; a last letter typed
   twice is a typo: "Obamaa") or a name's singular ("hoplophobe" beside "Hoplophobes"). A pair
   is accepted by one of three rules:

   - spelling: Jaro-Winkler >= :data:`FUZZY_JW_MIN` and Indel ratio >= :data:`FUZZY_RATIO_MIN`;
     pairs of at most :data:`FUZZY_SHORT_MAX` letters also need equal Metaphone codes ("Hamaz"
     -> Hamas, but "Hamad" stays a person of its own and "Scholl" is not "Scholz");
   - sound-alike: equal Metaphone codes of at least :data:`SOUNDALIKE_MIN_CODE` letters and Indel
     ratio >= :data:`SOUNDALIKE_RATIO_MIN` ("Nutnyahoo" -> Netanyahu), or equal NYSIIS codes of at
     least :data:`NYSIIS_MIN_CODE` letters and Indel ratio >= :data:`FUZZY_RATIO_MIN` ("Kanada" ->
     Canada; NYSIIS alone is too loose: "Kagan" is not "Kagame");
   - rhyming pun: Metaphone codes of at least :data:`RHYME_MIN_CODE` letters that differ only in
     their first letter, and Indel ratio >= :data:`SOUNDALIKE_RATIO_MIN` ("Satanyawho" ->
     Netanyahu).

   A one-word model entity is linked only to an entity with more mentions, or one anchored by a
   lexicon, a longer name or the article; a model PERSON is never linked to a non-person, so two
   distinct people or a person and a group with similar names stay apart.
6. **Demonyms**: groups ("Palestinians", "Russians", NORP) are entities of their own, apart from
   the state, unless the alias table maps them to it. With ``link_demonyms=True``
   (``demonyms.csv``) a NORP (or GPE) mention joins the entity of the country it names when the
   country itself is mentioned in the thread by name, alias or flag.
7. **Unjustified groups** (threads of 10+ documents, :func:`rules.unjustified_roots`): a group whose
   every form is ordinary English, that the model never found written as a name, whose words are
   part of no name written elsewhere in the thread, and that no lexicon anchors ("Guy" opening a
   sentence, "AGAIN") is left unlinked (a fuzzy link to the group is no evidence of a name:
   :func:`rules.own_mentions`). NORP and LANGUAGE groups are kept. The thread's own case profile
   (:mod:`~analysis.linking.casing`, counted before the search) adds rules: a common-word group
   found by the model in fewer than three documents is left unlinked when the thread writes each of
   its forms (with its singular or plural) in lower case more often than as a name ("Song", "State",
   "Welfare", "States" beside "state"); an acronym group the thread also writes with a plural "s"
   ("TG" beside "TGs") is left unlinked; in threads of 10+ documents a one-off of a word general
   English never saw, never written as a name there ("andrijamatf", "Awesum" opening a comment), is
   left unlinked. The same profile lets a common-word name that the thread writes as a name five
   times or more, five times as often as in lower case, match in lower case too (step 4); a
   form holding a word that is no ordinary word in lower case ("harvey milk", "gangnam style":
   :mod:`~analysis.linking.lowernames`) needs only two named uses and no more lower-case ones.
8. **Canonical name**: the alias-table / flags-table name when the entity was reached through a
   lexicon (so "USA", "U.S." and the flag of the United States are all "United States" in every
   thread); otherwise the most frequent full clean form (:func:`naming.full_clean_forms`: never
   another form with non-name words around it, "Thankfully Obama"; a clean longer form such as
   "Barack Obama" beats "Obama"), preferring mixed case (a short form in capitals counts as an
   acronym unless the group also writes it capitalised: "PSY" beside "Psy" is "Psy"), then the
   most frequent, then the article's form. ``entity_id`` is :func:`slugify` of the canonical name.
   The entity label is the lexicon label, else the label the model gave most often (ties: the
   earliest mention's; :mod:`~analysis.linking.labels`): a PERSON or ORG span standing as a
   title after its artist ("Katy Perry - Roar (Official)") votes WORK_OF_ART, and an ORG group
   named only by the given name of a lexicon person ("Justin", as in "Justin Trudeau") is a
   PERSON.

Mentions keep the exact offsets of the text they stand for (``text == doc[start:end]``), their
``link_method`` and ``link_score``; the label of a mention is its entity's label; the entities
table counts each entity's mentions per method (``model_count`` ... ``flag_count``).
``RuleLinker(propagate=False)`` skips steps 4 and 5 (the baseline of ``bench/eval_linking.py``).

Limits (measured in ``bench/eval_linking.py``): the rules decide "ordinary word" from general
English frequencies, so a name that is also a frequent word ("Bill", "Trump") spreads only with
case evidence and a lower-case mention of it stays unlinked; a first name, nickname or misspelling
links only when the thread, the alias table or the knowledge base names its entity (puns,
given names and entities outside the knowledge base's lists stay unlinked: "barry" for Obama,
"Orange Clown", a small band); labels are the model's but for the two rules of step 8. Output
is deterministic: rows are sorted, nothing depends on set or hash order. The lexicons are
described in ``data/lexicons/README.md``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis import config
from analysis.linking.api import link_thread
from analysis.linking.linker import ThreadLinker
from analysis.linking.rules import candidate_is_used

__all__ = ["RuleLinker", "ThreadLinker", "candidate_is_used", "link_thread"]


class RuleLinker:
    """The suite's rule-based linker (an :class:`analysis.annotate.protocol.Linker`).

    Args:
        lexicon_dir: folder of the alias, demonym, flag and not-entity lists.
        propagate: run the passes that spread names through the thread (gazetteer and alias
            search, joining, fuzzy matching); ``False`` keeps the model's spans, flags and the
            grouping rules only (the baseline of ``bench/eval_linking.py``).
    """

    def __init__(
        self, *, lexicon_dir: Path | str = config.LEXICON_DIR, propagate: bool = True
    ) -> None:
        self.lexicon_dir = Path(lexicon_dir)
        self.propagate = propagate

    def version(self) -> str:
        """sha256 over every module of this package and every lexicon file (the link cache key)."""
        package = Path(__file__).parent
        parts = [p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py"))]
        if self.lexicon_dir.is_dir():
            for path in sorted(p for p in self.lexicon_dir.rglob("*") if p.is_file()):
                parts += [path.relative_to(self.lexicon_dir).as_posix(), path.read_bytes().hex()]
        digest = hashlib.sha256(b"propagate" if self.propagate else b"model-only")
        for part in parts:
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def keeps_candidate(self, text: str, pos: str | None) -> bool:
        return candidate_is_used(text, pos)

    def thread(self, thread_id: str) -> ThreadLinker:
        return ThreadLinker(thread_id, lexicon_dir=self.lexicon_dir, propagate=self.propagate)
