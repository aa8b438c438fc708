"""Figures: files, determinism, titles from data, empty inputs, style isolation, references."""

from __future__ import annotations

import json

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from conversation_figure_factories import CONVERSATION_POOLED
from figure_factories import empty_tables, make_tables
from matplotlib.image import imread
from matplotlib.testing.compare import compare_images

from analysis import config
from analysis import schema as S
from analysis.errors import StageInputError
from analysis.pipeline import figures as figures_stage
from analysis.present.figures import (
    FIGURES,
    MANIFEST,
    agenda_title,
    figure_style,
    make_all_figures,
    plot_actor_tone,
    plot_distinctive_terms,
    plot_entity_salience,
    select_thread,
)
from analysis.tables import write_table

SUFFIXES = (".png", ".svg", ".csv", ".caption.md")
FIGURE_NAMES = list(FIGURES)
#: RMS tolerance (0-255 scale) for images regenerated on another machine.
IMAGE_TOLERANCE = 2.0


@pytest.fixture(scope="module")
def tables():
    return make_tables()


@pytest.fixture(scope="module")
def figures(tables, tmp_path_factory):
    out = tmp_path_factory.mktemp("figs_a")
    return out, make_all_figures(tables, out)


def test_every_figure_has_png_svg_csv_caption_at_fixed_size(figures):
    out, results = figures
    assert [r.name for r in results] == list(FIGURES)
    for r in results:
        assert not r.is_empty, r.reason
        for suffix in SUFFIXES:
            assert (out / f"{r.name}{suffix}").is_file(), f"{r.name}{suffix} missing"
        height, width = imread(out / f"{r.name}.png").shape[:2]
        assert (width, height) == (640, 400)
        assert (out / f"{r.name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [m["name"] for m in manifest] == list(FIGURES)
    assert all(m["alt_text"] and m["caption"] for m in manifest)


def test_caption_states_n_method_and_source(figures):
    out, results = figures
    for r in results:
        text = (out / f"{r.name}.caption.md").read_text(encoding="utf-8")
        assert text.startswith(f"# {r.title}\n")
        assert f"- n: {r.n}" in text and any(ch.isdigit() for ch in r.n)
        assert "- Source: thread t1, " in text and "table" in r.source
        assert f"- Method: {r.method}" in text
        assert "Alt text: " in text


def test_csv_holds_the_plotted_numbers(figures, tables):
    out, _ = figures
    salience = pd.read_csv(out / "entity_salience.csv")
    agenda = tables["agenda"].set_index(S.ENTITY_ID)
    for r in salience.itertuples():
        prefix = "article" if r.side == S.SIDE_ARTICLE else "comment"
        assert r.mention_count == agenda.loc[r.entity_id, f"{prefix}_mention_count"]
        assert r.mention_share == pytest.approx(
            agenda.loc[r.entity_id, f"{prefix}_mention_share"], abs=1e-6
        )
    engagement = pd.read_csv(out / "engagement.csv", keep_default_na=False)
    assert engagement["comment_count"].sum() == len(tables["engagement"])
    off = engagement[engagement["is_off_article"].astype(str) == "True"]
    assert off["comment_count"].tolist() == [int(tables["engagement"]["is_off_article"].sum())]


def test_rerun_gives_identical_csv_and_matching_images(tables, figures, tmp_path):
    out_a, _ = figures
    out_b = tmp_path / "figs_b"
    make_all_figures(tables, out_b)
    for name in FIGURES:
        for suffix in (".csv", ".caption.md", ".svg"):
            a, b = out_a / f"{name}{suffix}", out_b / f"{name}{suffix}"
            assert a.read_bytes() == b.read_bytes(), f"{name}{suffix} differs on rerun"
        assert compare_images(str(out_a / f"{name}.png"), str(out_b / f"{name}.png"), tol=0) is None
    assert (out_a / MANIFEST).read_bytes() == (out_b / MANIFEST).read_bytes()


def test_files_carry_no_date_or_software_stamp(figures):
    out, _ = figures
    for name in FIGURES:
        svg = (out / f"{name}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg and "Matplotlib v" not in svg
        assert b"Software" not in (out / f"{name}.png").read_bytes()


def test_agenda_title_follows_the_numbers(tables):
    agenda = tables["agenda"]
    assert agenda_title(agenda) == (
        "Commenters mention Benjamin Netanyahu most; the article never does (it mentions Israel "
        "most)"
    )
    both = agenda.copy()
    both.loc[both[S.ENTITY_ID] == "israel", "comment_mention_count"] = 9
    assert agenda_title(both) == (
        "Israel leads mentions on both sides; commenters also name Benjamin Netanyahu 3 times, "
        "the article never"
    )
    shared = both[both["article_mention_count"] > 0]
    assert agenda_title(shared) == (
        "Israel is the most-mentioned entity in both the article and comments"
    )
    assert agenda_title(agenda.iloc[0:0]) == "No entity is mentioned on either side"


def test_actor_tone_labels_too_few_rows_instead_of_plotting_them(tables):
    res = plot_actor_tone(tables["actor_tone"])
    few = res.data[res.data["is_too_few"]]
    assert len(few) > 0
    ax = res.figure.axes[0]
    assert sum(t.get_text().count("too few to say") for t in ax.texts) == len(few)
    points = [line for line in ax.lines if line.get_marker() == "o"]
    n_points = sum(len(line.get_xdata()) for line in points)
    assert n_points == int((~res.data["is_too_few"]).sum())
    # The title never names a too-few row.
    title_entity = res.title.split(" mentioning ")[1].split(" have ")[0]
    rows = res.data[res.data[S.ENTITY_NAME] == title_entity]
    assert not rows[rows[S.SIDE] == S.SIDE_COMMENTS]["is_too_few"].any()


def test_terms_are_data_not_mathtext(tables):
    res = plot_distinctive_terms(tables["keyness"])
    ticks = [t.get_text() for t in res.figure.axes[0].get_yticklabels()]
    assert "$money" in ticks
    res.png_bytes()  # would raise on a mathtext parse error


def test_empty_tables_give_a_nothing_to_show_figure(tmp_path):
    results = make_all_figures(empty_tables(), tmp_path)
    assert all(r.is_empty and r.reason for r in results)
    for r in results:
        for suffix in SUFFIXES:
            assert (tmp_path / f"{r.name}{suffix}").is_file()
        assert r.title.startswith("Nothing to show")
        csv = (tmp_path / f"{r.name}.csv").read_text(encoding="utf-8")
        assert csv.count("\n") == 1  # header only
        assert r.reason in (tmp_path / f"{r.name}.caption.md").read_text(encoding="utf-8")


def test_missing_table_is_reported_in_its_figure(tmp_path):
    tables = make_tables()
    del tables["keyness"]
    results = {r.name: r for r in make_all_figures(tables, tmp_path)}
    assert results["distinctive_terms"].is_empty
    assert "keyness" in results["distinctive_terms"].reason
    assert not results["entity_salience"].is_empty


def test_wrong_table_raises_stage_input_error(tables):
    with pytest.raises(StageInputError, match="agenda"):
        plot_entity_salience(tables["keyness"])


def test_select_thread_prefers_pooled_rows_and_refuses_to_guess():
    one = make_tables("t1")["agenda"]
    two = make_tables("t2")["agenda"]
    pooled = one.assign(thread_id=S.POOLED)
    rows, label = select_thread(pd.concat([one, two, pooled]), table="agenda")
    assert set(rows[S.THREAD_ID]) == {S.POOLED} and label == "2 threads pooled"
    with pytest.raises(StageInputError, match="thread_id"):
        select_thread(pd.concat([one, two]), table="agenda")
    rows, _ = select_thread(pd.concat([one, two]), "t2", table="agenda")
    assert set(rows[S.THREAD_ID]) == {"t2"}
    eng = pd.concat([make_tables("t1")["engagement"], make_tables("t2")["engagement"]])
    rows, _ = select_thread(eng, table="engagement", has_pooled=False)
    assert len(rows) == len(eng)
    with pytest.raises(StageInputError, match="t3"):
        select_thread(one, "t3", table="agenda")


def test_style_stays_inside_the_context_manager(tables):
    before = {
        k: mpl.rcParams[k]
        for k in (
            "font.size",
            "axes.prop_cycle",
            "svg.hashsalt",
            "axes.spines.top",
            "text.parse_math",
        )
    }
    with figure_style():
        assert mpl.rcParams["svg.hashsalt"] == "discourse-analytics"
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0].lower() == "#0072b2"
    plot_entity_salience(tables["agenda"])
    after = {k: mpl.rcParams[k] for k in before}
    assert after == before


def test_no_pyplot_state_and_notebook_display(tables):
    import matplotlib.pyplot as plt

    res = plot_entity_salience(tables["agenda"])  # no out_dir: nothing written
    assert res.paths == {}
    assert res._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == []


def test_figures_command_reads_tables_from_a_folder(tmp_path, capsys):
    tables = make_tables()
    for name, df in tables.items():
        write_table(df, S.ALL_TABLES[name], tmp_path / "in")
    results = figures_stage(in_dir=tmp_path / "in", out=tmp_path / "out")
    assert len(results) == len(FIGURES)
    assert len(list((tmp_path / "out").glob("*.png"))) == len(FIGURES)
    assert f"{len(FIGURES)} figures" in capsys.readouterr().out
    (tmp_path / "in" / "keyness.parquet").unlink()
    with pytest.raises(StageInputError, match="keyness"):
        figures_stage(in_dir=tmp_path / "in", out=tmp_path / "out")


@pytest.mark.slow
def test_reference_figures_reproduce(tmp_path):
    """Regenerate the figures from the raw seed and compare them with the committed figures/."""
    ref = config.FIGURES_DIR
    ref_files = sorted(p for p in ref.iterdir() if p.is_file() and not p.name.startswith("."))
    if not any(p.suffix == ".csv" for p in ref_files):
        pytest.fail(f"no reference figures in {ref}; run `make figures` and commit them")
    from analysis.pipeline import build_tables, draw_figures

    work = tmp_path / "processed"
    tables = build_tables([config.SEED_FILE], work, log=lambda *a, **k: None)
    out = tmp_path / "figures"
    draw_figures(tables, out, in_dir=work, log=lambda *a, **k: None)  # as `make figures` does
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in ref_files]
    for p in ref_files:
        new = out / p.name
        if p.suffix == ".png":
            diff = compare_images(str(p), str(new), tol=IMAGE_TOLERANCE)
            assert diff is None, diff
        elif p.suffix in (".csv", ".md", ".json"):
            assert new.read_text(encoding="utf-8") == p.read_text(encoding="utf-8"), (
                f"{p.name} differs from the committed reference"
            )
    assert np.isfinite(IMAGE_TOLERANCE)


def test_files_of_figures_no_longer_drawn_are_removed(tmp_path):
    (tmp_path / "old_chart.png").write_bytes(b"x")
    (tmp_path / "old_chart.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / MANIFEST).write_text(json.dumps([{"name": "old_chart"}]), encoding="utf-8")
    make_all_figures(make_tables(), tmp_path)
    assert not (tmp_path / "old_chart.png").exists() and not (tmp_path / "old_chart.csv").exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_several_threads_use_pooled_rows(tmp_path):
    one, two = make_tables("t1"), make_tables("t2")
    pooled_tables = (
        "agenda",
        "actor_tone",
        "tone_shares",
        "keyness",
        "topic_shares",
        "frame_shares",
        *CONVERSATION_POOLED,
    )
    tables = {}
    for name in one:
        parts = [one[name], two[name]]
        if name in pooled_tables:
            parts.append(one[name].assign(thread_id=S.POOLED))
        tables[name] = pd.concat(parts, ignore_index=True)
    results = make_all_figures(tables, tmp_path)
    assert not any(r.is_empty for r in results)
    # the registered charts pool; the comparison of the two threads is added after them
    assert [r.name for r in results] == [*FIGURES, "thread_comparison"]
    assert all(r.source.startswith("2 threads pooled") for r in results[:-1])
    assert results[-1].source.startswith("2 threads,")
    engagement = pd.read_csv(tmp_path / "engagement.csv", keep_default_na=False)
    assert engagement["comment_count"].sum() == len(tables["engagement"])
    # paragraphs are pooled by position across the articles, not listed per thread
    assert not any(label.startswith(("t1 ", "t2 ")) for label in engagement["label"])
    assert "across the articles" in results[FIGURE_NAMES.index("engagement")].title


def test_actor_tone_marks_a_side_that_never_mentions_the_actor(tables):
    tone = tables["actor_tone"]
    zero = tone[tone[S.ENTITY_ID] == "netanyahu"].assign(
        side=S.SIDE_ARTICLE,
        mention_count=0,
        sentence_count=0,
        compound_mean=float("nan"),
        ci_low=float("nan"),
        ci_high=float("nan"),
        is_too_few=True,
    )
    res = plot_actor_tone(pd.concat([tone, zero], ignore_index=True))
    texts = [t.get_text() for t in res.figure.axes[0].texts]
    assert "article: not mentioned" in texts
    assert not any("(n=0)" in t for t in texts)


def test_every_chart_prepares_its_numbers_without_drawing(tables, figures, monkeypatch):
    """prepare() alone gives the title, n and CSV rows the finished figure carries."""
    from matplotlib.figure import Figure

    from analysis.present.charts import REGISTRY, ChartData

    _, results = figures
    finished = {r.name: r for r in results}

    def no_figures(*args, **kwargs):
        raise AssertionError("prepare() drew something")

    monkeypatch.setattr(Figure, "__init__", no_figures)
    for name, chart in REGISTRY.items():
        data = chart.prepare_from(tables)
        assert isinstance(data, ChartData) and data.name == name
        assert data.title == finished[name].title
        assert data.n == finished[name].n
        pd.testing.assert_frame_equal(
            data.data.reset_index(drop=True), finished[name].data, check_dtype=False
        )


def test_a_new_chart_registers_and_is_drawn(tables, tmp_path):
    from analysis.present.charts import REGISTRY, ChartData, register

    def prepare(tables, *, thread_id=None, name="corpus_size"):
        n = int((tables["corpus"][S.DOC_KIND] == S.COMMENT).sum())
        data = pd.DataFrame({"comment_count": [n]})
        return ChartData(
            name=name,
            title=f"{n} comments",
            subtitle="Comments in the corpus",
            source="corpus table",
            method="count",
            what="One bar.",
            n=f"{n} comments",
            alt_text="One bar.",
            data=data,
        )

    def draw(ax, data):
        ax.bar([0], data.data["comment_count"])

    register("corpus_size", tables=("corpus",), prepare=prepare, draw=draw)
    try:
        with pytest.raises(ValueError, match="twice"):
            register("corpus_size", tables=("corpus",), prepare=prepare, draw=draw)
        results = make_all_figures(tables, tmp_path)
        assert results[-1].name == "corpus_size" and not results[-1].is_empty
        assert (tmp_path / "corpus_size.png").is_file()
        missing = make_all_figures({k: v for k, v in tables.items() if k != "corpus"}, tmp_path)
        assert missing[-1].is_empty and "corpus table was not produced" in missing[-1].reason
    finally:
        del REGISTRY["corpus_size"]


def test_figures_for_one_thread_go_to_their_own_folder(tmp_path):
    one, two = make_tables("t1"), make_tables("t2")
    pooled = (
        "agenda",
        "actor_tone",
        "tone_shares",
        "keyness",
        "topic_shares",
        "frame_shares",
        *CONVERSATION_POOLED,
    )
    for name in one:
        parts = [one[name], two[name]]
        if name in pooled:
            parts.append(one[name].assign(thread_id=S.POOLED))
        write_table(pd.concat(parts, ignore_index=True), S.ALL_TABLES[name], tmp_path)
    results = figures_stage(in_dir=tmp_path, thread_ids=["t2"], log=lambda *_: None)
    assert (tmp_path / "figures" / "manifest.json").is_file() and results
    own = tmp_path / "figures" / "threads" / "t2"
    manifest = json.loads((own / MANIFEST).read_text(encoding="utf-8"))
    assert [m["name"] for m in manifest] == list(FIGURES)
    assert all(m["source"].startswith("thread t2") for m in manifest)
    assert not (tmp_path / "figures" / "threads" / "t1").exists()
    caption = (own / "engagement.caption.md").read_text(encoding="utf-8")
    assert "- Thread t2" in caption and "- Software: discourse-analytics" in caption
    with pytest.raises(StageInputError, match="t9"):
        figures_stage(in_dir=tmp_path, thread_ids=["t9"], log=lambda *_: None)


def test_distinctive_english_charts_only_the_general_english_rows(tables):
    from analysis.present.charts import REGISTRY

    data = REGISTRY["distinctive_english"].prepare_from(tables)
    d = data.data.set_index("term")
    # liars and disgrace passed; bibi has z 2.2 but is used in one comment only: grey.
    assert list(d.index) == ["liars", "disgrace", "bibi", "blame", "people"]
    assert d["is_distinctive"].tolist() == [True, True, False, False, False]
    assert data.title.startswith("2 comment words are used distinctively more than in general")
    assert "general English" in data.source and "wordfreq" in data.method
    article = REGISTRY["distinctive_terms"].prepare_from(tables)
    assert "liars" not in set(article.data["term"]) and "against the article" in article.subtitle
    assert "reference: the article" in article.source


def test_entities_named_in_one_place_are_not_shown_as_top_actors(tables):
    """An unranked entity (``is_ranked`` False: one paragraph or one author) is left out of the
    salience bars and the thread comparison's top actor, though its mentions stay in the totals."""
    from analysis.present.charts import entity_salience, thread_comparison

    agenda = tables["agenda"].copy()
    rows = agenda[agenda[S.THREAD_ID] != S.POOLED]
    top = rows.sort_values("comment_mention_count", ascending=False).iloc[0]
    before = entity_salience.prepare({"agenda": agenda})
    assert top[S.ENTITY_NAME] in set(before.data[S.ENTITY_NAME])
    assert thread_comparison.top_actors(agenda)[top[S.THREAD_ID]][0] == top[S.ENTITY_NAME]
    agenda.loc[agenda[S.ENTITY_ID] == top[S.ENTITY_ID], S.IS_RANKED] = False
    after = entity_salience.prepare({"agenda": agenda})
    assert top[S.ENTITY_NAME] not in set(after.data[S.ENTITY_NAME])
    assert after.plot["n_comments"] == before.plot["n_comments"]
    assert thread_comparison.top_actors(agenda)[top[S.THREAD_ID]][0] != top[S.ENTITY_NAME]
