"""Write the six notebooks in notebooks/ (outputs cleared).

The notebooks are the source of truth once written; this script documents how they were laid out
and regenerates them after a structural change: ``.venv/bin/python tools/make_notebooks.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTE = (
    "> **Content note.** Comments are shown as posted, as data for analysis. The cell below "
    "prints the note that comes with these threads (`--content-note`, or a `.note.md` file "
    "beside the input; the bundled seed has one)."
)

MD_KEYNESS = (
    "## Distinctive terms\n\nWeighted log-odds ratio with an informative Dirichlet prior "
    "(Monroe, Colaresi and Quinn 2008), against two references (the `reference` column): the "
    "article, on lemmas, and general English (wordfreq word frequencies), on words as written. "
    "|z| ≥ 1.96 is distinctive; against general English a word must also be used in at least 3 "
    "comments. A short article (a title and a blurb) leaves no comment term able to pass "
    "against it: the compare notes give the ceiling."
)
CODE_KEYNESS = (
    "keyness = tables['keyness']\n"
    "for reference, rows in keyness.groupby('reference'):\n"
    "    display(rows.sort_values('z_score', ascending=False).head(10))"
)

SETUP = """\
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.pipeline import build_tables, work_dir_for
from analysis.present import explore, figures
from analysis.present.provenance import content_note, versions

# Tables show as frames; a figure result shows as its image (PNG) when a cell ends with it.
pd.set_option("display.max_colwidth", 120)
pd.set_option("display.max_columns", 30)"""

PARAMETERS = """\
# Parameters: point these at your own thread(s). A seed-format file holds its own article;
# other formats need one article file each, in order (see the README).
INPUTS = [config.SEED_FILE]
ARTICLES = []
WORK_DIR = None  # where the tables go; None: a folder derived from INPUTS (see below)
SEED = config.SEED
THREAD_ID = None  # None: the only thread, or the pooled rows when there are several"""

BUILD = """\
# Runs ingest -> annotate -> compare (annotation is cached, so reruns are quick). Without a
# WORK_DIR the folder is derived from the inputs, so tables of another thread never mix in.
WORK_DIR = work_dir_for(INPUTS) if WORK_DIR is None else Path(WORK_DIR)
tables = build_tables(
    INPUTS, WORK_DIR, articles=ARTICLES, seed=SEED, until="{until}", log=lambda *_: None
)
sorted(tables)"""

VERSIONS = "versions()"


def notebook(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = cells
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"
    return nb


def params_cell() -> nbformat.NotebookNode:
    cell = new_code_cell(PARAMETERS)
    cell.metadata["tags"] = ["parameters"]
    return cell


def head(title: str, question: str, until: str) -> list:
    return [
        new_markdown_cell(f"# {title}\n\n**Question.** {question}"),
        new_code_cell(SETUP),
        params_cell(),
        new_code_cell(BUILD.format(until=until)),
    ]


def tail() -> list:
    return [
        new_markdown_cell("## Versions\n\nThe model and library versions behind these numbers."),
        new_code_cell(VERSIONS),
    ]


NOTEBOOKS = {
    "01-corpus.ipynb": head(
        "01 · What is in the thread?",
        "How many documents does the thread hold, how many comments are empty, duplicated or "
        "replies, how long are they and when were they written? Nothing is dropped: every "
        "input record is a row, flagged when empty or duplicate.",
        "ingest",
    )
    + [
        new_markdown_cell("## Counts per thread"),
        new_code_cell("explore.corpus_overview(tables['corpus'])"),
        new_markdown_cell(
            "## Comment lengths\n\nWords per non-empty comment. A few long comments can carry "
            "most of the words; keep that in mind when reading per-word statistics."
        ),
        new_code_cell("explore.comment_lengths(tables['corpus'])"),
        new_markdown_cell(
            "## Every document\n\nFlags, not text: `is_empty`, `is_duplicate`, `is_reply`, "
            "and the time as the source gave it (`published_text`). Relative times become "
            "dates only when a capture date is given, and are then flagged as estimates."
        ),
        new_code_cell(
            "tables['corpus'][['doc_id', 'doc_kind', 'position', 'published_text', "
            "'published_date', 'is_date_estimated', 'is_reply', 'is_empty', 'is_duplicate', "
            "'like_count', 'source_record']]"
        ),
        new_markdown_cell(
            "## Article paragraphs\n\n`p0` is the title; paragraphs are addressable by id."
        ),
        new_code_cell(
            "paras = tables['paragraphs']\n"
            "paras[paras['doc_id'].str.endswith('/article')][['paragraph_id', 'is_title', 'text']]"
        ),
    ]
    + tail(),
    "02-entities.ipynb": head(
        "02 · Who is talked about?",
        "Which actors does the article mention, which do the commenters mention, and which "
        "actors appear only in the comments? How was each mention found or linked?",
        "compare",
    )
    + [
        new_markdown_cell(
            "## Salience: article vs comments\n\nShare of each side's entity mentions. Mentions "
            "are grouped into canonical entities across the thread (see `analysis/linking/`)."
        ),
        new_code_cell("figures.plot_entity_salience(tables['agenda'], thread_id=THREAD_ID)"),
        new_code_cell(
            "agenda = tables['agenda']\n"
            "agenda.sort_values('comment_mention_count', ascending=False).head(15)"
        ),
        new_markdown_cell("## Actors only the commenters mention"),
        new_code_cell(
            "agenda[agenda['presence'] == 'comments_only'][['entity_name', 'label', "
            "'comment_mention_count', 'comment_doc_share']]"
        ),
        new_markdown_cell(
            "## How mentions were linked\n\n`model`: spaCy's NER; `gazetteer`: a name seen "
            "elsewhere in the thread, matched case-insensitively; `alias`: the editable alias "
            "table `data/lexicons/aliases.csv`; `fuzzy`: spelling or sound-alike match with its "
            "score; `flag`: a flag emoji."
        ),
        new_code_cell("explore.link_method_counts(tables['mentions'])"),
        new_code_cell(
            "linked = tables['mentions']\n"
            "linked[linked['link_method'] != 'model'][['doc_id', 'text', 'entity_name', "
            "'link_method', 'link_score']]"
        ),
        new_code_cell("tables['entities'].sort_values('mention_count', ascending=False).head(15)"),
    ]
    + tail(),
    "03-sentiment.ipynb": head(
        "03 · In what tone?",
        "Is the comments' tone more negative than the article's, and how does each side speak "
        "about the same actor? What can VADER not see?",
        "compare",
    )
    + [
        new_markdown_cell(
            "## Article sentences vs comments\n\nVADER's compound saturates on long texts, so the "
            "article is compared sentence by sentence with the comments' sentences and with whole "
            "comments. Intervals: Wilson score, 95%."
        ),
        new_code_cell("figures.plot_tone_shares(tables['tone_shares'], thread_id=THREAD_ID)"),
        new_code_cell("tables['tone_shares']"),
        new_code_cell("figures.plot_sentence_tone(tables['sentences'], thread_id=THREAD_ID)"),
        new_code_cell("tables['tone_summary']"),
        new_markdown_cell(
            "## Tone toward each actor\n\nMean compound of the sentences that mention the actor. "
            'Small samples are flagged "too few to say" and not compared.'
        ),
        new_code_cell(
            "figures.plot_actor_tone(tables['actor_tone'], mentions=tables['mentions'], "
            "thread_id=THREAD_ID)"
        ),
        new_code_cell("tables['actor_tone']"),
        new_markdown_cell(
            "## What VADER cannot see\n\nVADER is a lexicon of words and rules. It cannot see "
            "sarcasm (the made-up sentence below scores positive), has no entry for most slurs "
            "and coded hate, and is English-only: non-English documents get no score (NaN), "
            "never 0."
        ),
        new_code_cell(
            "from analysis.annotate.sentiment import vader_scores\n\n"
            "sarcastic = 'Great, just great. Another brilliant war.'\n"
            "plain = 'What a wonderful policy.'\n"
            "pd.DataFrame(\n"
            "    [(t, vader_scores(t)[3]) for t in (sarcastic, plain)],\n"
            "    columns=['text', 'compound'],\n"
            ")"
        ),
        new_code_cell("explore.not_scored(tables['documents'])"),
        new_markdown_cell("## The most negative comments\n\n" + NOTE),
        new_code_cell("print(content_note(inputs=INPUTS))"),
        new_code_cell("explore.comment_examples(tables['corpus'], tables['documents'], n=5)"),
    ]
    + tail(),
    "04-topics-and-terms.ipynb": head(
        "04 · Which words and topics belong to each side?",
        "Which terms are distinctive of the comments rather than the article, which topics do "
        "the comments bring that the article does not?",
        "compare",
    )
    + [
        new_markdown_cell(MD_KEYNESS),
        new_code_cell("figures.plot_distinctive_terms(tables['keyness'], thread_id=THREAD_ID)"),
        new_code_cell("figures.plot_distinctive_english(tables['keyness'], thread_id=THREAD_ID)"),
        new_code_cell(CODE_KEYNESS),
        new_markdown_cell(
            "## Topics\n\nGuided topics from the editable lexicon `data/lexicons/topics.csv`, and "
            "NMF on TF-IDF of lemmas. On a small thread the NMF topics are exploratory "
            "(`is_exploratory`)."
        ),
        new_code_cell("figures.plot_topic_shares(tables['topic_shares'], thread_id=THREAD_ID)"),
        new_code_cell("tables['topic_shares']"),
        new_code_cell(
            "terms = tables['topic_terms']\n"
            "terms[terms['rank'] <= 5].pivot_table(index=['method', 'topic_label'], "
            "values='term', aggfunc=', '.join)"
        ),
        new_markdown_cell("## Topics carried mostly by the comments"),
        new_code_cell(
            "shares = tables['topic_shares']\n"
            "shares[shares['is_comment_led']][['method', 'topic_label', 'side', 'share']]"
        ),
    ]
    + tail(),
    "05-framing-vs-reactions.ipynb": head(
        "05 · Framing vs reactions",
        "Which frames does the article use and which do the commenters use? Which article "
        "paragraphs draw responses, and how many comments do not engage the article at all?",
        "compare",
    )
    + [
        new_markdown_cell(
            "## Frames\n\nA dictionary method over the 15 dimensions of the Policy Frames Codebook "
            "(Boydstun et al. 2014). It counts lexicon words; it cannot see negation, irony or "
            "framing done without those words. Read shares as indicative."
        ),
        new_code_cell("figures.plot_frame_shares(tables['frame_shares'], thread_id=THREAD_ID)"),
        new_code_cell("tables['frame_shares']"),
        new_markdown_cell(
            "## Which paragraphs draw responses\n\nEach comment is anchored to the article "
            "paragraph it shares most entities and lemmas with; below a documented threshold it is "
            "off-article (see `analysis/compare/engagement.py`)."
        ),
        new_code_cell(
            "figures.plot_engagement(tables['engagement'], paragraphs=tables['paragraphs'], "
            "thread_id=THREAD_ID)"
        ),
        new_code_cell("tables['engagement']"),
        new_markdown_cell("## What drives off-article comments"),
        new_code_cell("tables['off_article_drivers']"),
        new_markdown_cell(
            "## Headline findings\n\nGenerated from the tables (never written by hand); each "
            "names the table its numbers come from."
        ),
        new_code_cell("tables['headlines'][['statement', 'source_table']]"),
    ]
    + tail(),
    "06-conversation.ipynb": head(
        "06 · How does the conversation behave?",
        "Do replies turn more negative than top-level comments, which comments did the audience "
        "endorse with likes, how does the tone move over time, and how much of the thread is "
        "hostile in ways VADER cannot see? Replies, likes and dates need an export that keeps "
        "them (YouTube API, or a CSV with parent, likes and time columns); the seed has none, "
        "and each analysis then says so.",
        "compare",
    )
    + [
        new_markdown_cell(
            "## What the data hold\n\nOne row per thread (and the pooled rows): comments, "
            "replies, depth, orphans (a parent not in the corpus), cycles, likes, dates. The "
            "notes say what the export lacks; the analyses below then say so instead of "
            "showing zeros."
        ),
        new_code_cell("tables['conversation_summary']"),
        new_code_cell("explore.conversation_notes(tables['conversation_summary'])"),
        new_markdown_cell(
            "## Replies vs top-level comments\n\nTone is VADER on the whole comment; bars are "
            "Wilson score 95% intervals. The table adds depth and the earlier vs later half."
        ),
        new_code_cell("figures.plot_reply_tone(tables['conversation_tone'], thread_id=THREAD_ID)"),
        new_code_cell("tables['conversation_tone']"),
        new_code_cell("tables['reply_chains']"),
        new_markdown_cell(
            "## What the audience endorsed\n\nLike-weighted shares weigh each comment by its "
            "likes. Likes accumulate with time on the page, so this mixes approval with "
            "position."
        ),
        new_code_cell("figures.plot_endorsement(tables['endorsement'], thread_id=THREAD_ID)"),
        new_code_cell("tables['endorsement']"),
        new_markdown_cell(
            "## Over time\n\nBins are hours up to a two-day span, days up to 90 days, weeks "
            "beyond; bins holding a date estimated from a relative time are hatched. Without "
            "dates (or with several threads, which share no clock) comments are drawn by "
            "position in the source."
        ),
        new_code_cell(
            "figures.plot_timeline(tables['timeline'], "
            "reply_structure=tables['reply_structure'], thread_id=THREAD_ID)"
        ),
        new_code_cell("tables['timeline']"),
        new_markdown_cell(
            "## Hostility VADER cannot see\n\nAn offline score from cues (insults, "
            "second-person attacks, slurs, dehumanising terms, profanity, threats, shouting, "
            "group mentions); each cue is a column of the `hostility` table, so you can see why "
            "a comment scored. On 859 Fox News comments with human hate labels it reaches ROC "
            "AUC 0.61 against VADER's 0.53, and 136 of the 206 hateful comments carry no cue at "
            "all (`bench/eval_hostility.py`): a screening aid for finding comments to read, not "
            "a verdict."
        ),
        new_code_cell(
            "figures.plot_hostility(tables['hostility'], documents=tables['documents'], "
            "thread_id=THREAD_ID)"
        ),
        new_markdown_cell("## The comments behind the numbers\n\n" + NOTE),
        new_code_cell("print(content_note(inputs=INPUTS))"),
        new_code_cell("explore.hostile_examples(tables['hostility'], tables['corpus'], n=5)"),
        new_code_cell("explore.most_liked_examples(tables['most_liked'], tables['corpus'])"),
        new_markdown_cell(
            "## Your own coding\n\nCode a sample of comments by hand (a CSV of `doc_id` and a "
            "code column), then train and apply a classifier: `discourse classify --labels "
            "coded.csv --label NAME`. Its cross-validated figures print there; the `labels` "
            "table it writes shows here when present."
        ),
        new_code_cell(
            "tables.get('labels', 'No labels table: run discourse classify on a coded sample.')"
        ),
    ]
    + tail(),
}


def main() -> None:
    out = ROOT / "notebooks"
    out.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nbformat.write(notebook(cells), out / name)
        print("wrote", out / name)


if __name__ == "__main__":
    main()
