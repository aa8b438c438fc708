"""The HTML report: escaping, self-containment, figures embedded, and a real headless browser."""

from __future__ import annotations

import json
import os
import shutil
from html.parser import HTMLParser
from importlib import metadata

import pandas as pd
import pytest
from conversation_figure_factories import CONVERSATION_POOLED
from figure_factories import IMG_PAYLOAD, LINK_PAYLOAD, SCRIPT_PAYLOAD, make_tables

from analysis import schema as S
from analysis.errors import StageInputError
from analysis.pipeline import report as report_stage
from analysis.present.figures import MANIFEST, make_all_figures
from analysis.present.provenance import NEUTRAL_NOTE as CONTENT_NOTE
from analysis.present.report import CSP, build_report
from analysis.tables import write_table

URL_ATTRIBUTES = {
    "src",
    "href",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "xlink:href",
    "ping",
    "cite",
    "manifest",
}


class _Tags(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    tables = make_tables()
    results = make_all_figures(tables, tmp / "figures")
    path = build_report(tables, tmp / "figures", tmp / "out" / "report.html")
    return path, path.read_text(encoding="utf-8"), results, tables


def test_comment_payloads_are_escaped(built):
    _, text, _, _ = built
    assert "&lt;script&gt;window.__pwned = 1;&lt;/script&gt; I disagree with Bennett" in text
    assert "&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;" in text
    assert "Putin &amp; &quot;friends&quot; said &lt;b&gt;so&lt;/b&gt;" in text
    assert "<script" not in text.lower()
    assert "onerror=" not in text.replace("onerror=&quot;", "")
    tag_names = {t for t, _ in _tags(text)}
    assert not tag_names & {"script", "iframe", "object", "embed", "link", "base", "form", "b", "a"}
    assert "<b>so</b>" not in text


def test_no_external_resource_references(built):
    _, text, _, _ = built
    for tag, attrs in _tags(text):
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES:
                assert (value or "").startswith("data:"), f"<{tag} {name}={value[:40]!r}>"
            assert not name.startswith("on"), f"event handler attribute on <{tag}>"
    assert "url(" not in text and "@import" not in text
    # The only http(s) text is the escaped comment and the SVG namespace-free report has no links.
    assert "https://example.com/x" in text  # shown as text, from the comment
    assert 'href="https' not in text and 'src="http' not in text
    metas = [a for t, a in _tags(text) if t == "meta"]
    csp = [a["content"] for a in metas if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [CSP] and "default-src 'none'" in CSP and "img-src data:" in CSP


def test_every_figure_is_embedded_with_caption_and_alt_text(built):
    path, text, results, _ = built
    imgs = [a for t, a in _tags(text) if t == "img"]
    assert len(imgs) == len(results)
    manifest = json.loads((path.parent.parent / "figures" / MANIFEST).read_text(encoding="utf-8"))
    for img, entry, result in zip(imgs, manifest, results, strict=True):
        assert img["src"].startswith("data:image/png;base64,")
        assert img["alt"] == entry["alt_text"] == result.alt_text
        assert len(img["src"]) > 1000
    for r in results:
        assert f'id="fig-{r.name}"' in text
        assert r.title.replace("&", "&amp;").replace("'", "&#x27;") in text


def test_headlines_findings_and_versions(built):
    _, text, _, tables = built
    assert "Commenters mention Benjamin Netanyahu 3 times; the article never does." in text
    assert "&lt;vs&gt;" in text  # headline text is escaped too
    assert "(source: agenda table)" in text
    for lib in ("spacy", "pandas", "vaderSentiment", "scikit-learn", "matplotlib"):
        assert f'<td class="">{lib}</td><td class="">{metadata.version(lib)}</td>' in text
    assert "spaCy pipeline" in text
    assert "sarcasm" in text and "slurs" in text and "other languages" in text


def test_content_note_sits_right_above_the_example_comments(built):
    _, text, _, _ = built
    section = text[text.index('<section id="examples">') :]
    note = section.index(CONTENT_NOTE.replace("'", "&#x27;"))
    first_table = section.index("<table>")
    first_comment = section.index("t1/c")
    assert note < first_table and note < first_comment
    assert "Comments mentioning Benjamin Netanyahu" in section
    assert "Most negative comments" in section
    assert "Comments not scored (not English)" in section
    # The most negative comment comes first.
    assert section.index("Netanyahu is a terrible liar") < section.index("Netanyahu and Hamas are")


def test_report_is_deterministic(built, tmp_path):
    path, text, _, tables = built
    again = build_report(tables, path.parent.parent / "figures", tmp_path / "r.html")
    assert again.read_text(encoding="utf-8") == text


def test_report_without_tables_says_what_is_missing(tmp_path):
    path = build_report({}, tmp_path / "no-figures", tmp_path / "r.html")
    text = path.read_text(encoding="utf-8")
    assert "No headline findings were produced" in text
    assert "No figures found" in text
    assert "not available" in text


def test_headlines_from_json_list_and_bad_shape(tmp_path):
    js = tmp_path / "headlines.json"
    js.write_text(
        json.dumps([{"statement": "A <finding>", "source_table": "agenda", "numbers": {"x": 1}}]),
        encoding="utf-8",
    )
    text = build_report({}, tmp_path, tmp_path / "r.html", headlines=js).read_text("utf-8")
    assert "A &lt;finding&gt;" in text
    with pytest.raises(StageInputError, match="statement"):
        build_report({}, tmp_path, tmp_path / "r2.html", headlines=[{"text": "no statement"}])


def test_report_command_reads_tables(tmp_path, capsys):
    tables = make_tables()
    for name, df in tables.items():
        write_table(df, S.ALL_TABLES[name], tmp_path / "in")
    drawn = make_all_figures(tables, tmp_path / "figs")
    path = report_stage(
        in_dir=tmp_path / "in", figures_dir=tmp_path / "figs", out=tmp_path / "report.html"
    )
    assert path == tmp_path / "report.html"
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in text and text.count("data:image/png;base64,") == len(drawn)
    assert "report ->" in capsys.readouterr().out


def test_long_comments_are_cut_before_escaping(tmp_path):
    tables = make_tables()
    corpus = tables["corpus"].copy()
    long_text = "&" * 1000
    corpus.loc[corpus[S.DOC_ID] == "t1/c1", S.TEXT] = long_text
    tables["corpus"] = corpus
    text = build_report(tables, tmp_path, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&amp;" * 600 + " <em>[… cut]</em>" in text
    assert "&amp;" * 601 not in text


# ---------------------------------------------------------------------------------------------
# A real headless browser
# ---------------------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_report_renders_offline_in_headless_chromium(built):
    exe = _chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but chromium is not installed (make browser installs it)")
        pytest.skip("chromium not installed (apt-get install chromium, or `make browser`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    path, _, results, _ = built
    requests: list[str] = []
    console_errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else 0)
            page.goto(path.resolve().as_uri(), wait_until="load")
            assert page.is_visible("h1")
            assert page.inner_text("h1") == "Bennett meets Putin"
            assert "discourse report" in page.title()
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])"
            )
            assert len(images) == len(results)
            assert all(done and w == 640 and h == 400 for done, w, h in images), images
            body = page.inner_text("body")
            assert "<script>window.__pwned = 1;</script> I disagree with Bennett" in body
            assert '<img src=x onerror="window.__pwned = 2">' in body
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.evaluate("document.scripts.length") == 0
            assert CONTENT_NOTE in body
        finally:
            browser.close()
    assert requests, "the page load itself should be recorded"
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert outside == [], f"the report made network requests: {outside}"
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_payload_constants_are_in_the_synthetic_thread():
    corpus = make_tables()["corpus"]
    texts = set(corpus[S.TEXT].astype(str))
    assert {SCRIPT_PAYLOAD, IMG_PAYLOAD, LINK_PAYLOAD} <= texts
    assert isinstance(corpus, pd.DataFrame)


def test_figures_without_manifest_are_found_with_their_captions(built, tmp_path):
    path, _, results, tables = built
    figs = tmp_path / "figs"
    figs.mkdir()
    src = path.parent.parent / "figures"
    for r in results[:2]:
        for suffix in (".png", ".caption.md"):
            (figs / f"{r.name}{suffix}").write_bytes((src / f"{r.name}{suffix}").read_bytes())
    text = build_report(tables, figs, tmp_path / "r.html").read_text(encoding="utf-8")
    imgs = [a for t, a in _tags(text) if t == "img"]
    assert len(imgs) == 2
    assert {a["alt"] for a in imgs} == {r.alt_text for r in results[:2]}


# ---------------------------------------------------------------------------------------------
# Several threads
# ---------------------------------------------------------------------------------------------

SECOND_TITLE = "Library reopens after renovation"
POOLED_TABLES = (
    "agenda",
    "actor_tone",
    "tone_shares",
    "keyness",
    "topic_shares",
    "frame_shares",
    *CONVERSATION_POOLED,
)


def _two_thread_tables() -> dict[str, pd.DataFrame]:
    one, two = make_tables("t1"), make_tables("t2")
    corpus = two["corpus"].copy()
    corpus.loc[corpus[S.DOC_KIND] == S.ARTICLE, "title"] = SECOND_TITLE
    two["corpus"] = corpus
    tables = {}
    for name in one:
        parts = [one[name], two[name]]
        if name in POOLED_TABLES:
            parts.append(one[name].assign(thread_id=S.POOLED))
        tables[name] = pd.concat(parts, ignore_index=True)
    return tables


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    from analysis.pipeline import draw_figures

    tmp = tmp_path_factory.mktemp("multi")
    tables = _two_thread_tables()
    draw_figures(tables, tmp / "figures", per_thread=True, log=lambda *_: None)
    path = build_report(tables, tmp / "figures", tmp / "report.html", run_date="2026-01-02")
    return path, path.read_text(encoding="utf-8")


def test_several_threads_get_a_section_each_and_a_comparison(multi):
    _, text = multi
    sections = [a for t, a in _tags(text) if t == "section" and "thread" in (a.get("class") or "")]
    assert [a["data-thread"] for a in sections] == ["t1", "t2"]
    t2 = text[text.index('data-thread="t2"') :]
    t2 = t2[: t2.index("</section>")]
    assert SECOND_TITLE in t2 and "Captured" in t2 and "Comments file" in t2
    assert t2.count("data:image/png;base64,") >= 1, "the thread's own figures are embedded"
    comparison = text[text.index('<section id="comparison">') :]
    comparison = comparison[: comparison.index("</section>")]
    assert "Bennett meets Putin" in comparison and "Library reopens" in comparison
    assert "data:image/png;base64," in comparison
    assert "Report generated on 2026-01-02" in text
    # the pooled findings lead; each thread's own findings sit in its section
    assert '<section id="sources">' in text


def test_content_note_follows_the_thread(tmp_path):
    tables = make_tables()
    plain = build_report(tables, tmp_path, tmp_path / "a.html").read_text(encoding="utf-8")
    assert CONTENT_NOTE in plain and "antisemitic" not in plain
    note = tmp_path / "note.md"
    note.write_text("Contains slurs quoted from the thread.\n", encoding="utf-8")
    given = build_report(tables, tmp_path, tmp_path / "b.html", content_note=note)
    assert "Contains slurs quoted from the thread." in given.read_text(encoding="utf-8")
    source = tmp_path / "mine.csv"
    source.write_text("text\nhello\n", encoding="utf-8")
    (tmp_path / "mine.note.md").write_text("Sidecar note.\n", encoding="utf-8")
    corpus = tables["corpus"].assign(source_file=str(source))
    sidecar = build_report({**tables, "corpus": corpus}, tmp_path, tmp_path / "c.html")
    assert "Sidecar note." in sidecar.read_text(encoding="utf-8")


def test_seed_ships_its_note_beside_the_raw_input():
    from analysis import config
    from analysis.present.provenance import content_note

    assert "hate speech" in content_note(inputs=[config.SEED_FILE])


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_multi_thread_report_in_headless_chromium(multi, width, tmp_path):
    exe = _chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but chromium is not installed (make browser installs it)")
        pytest.skip("chromium not installed (apt-get install chromium, or `make browser`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    path, _ = multi
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.resolve().as_uri(), wait_until="load")
            titles = page.eval_on_selector_all(
                "section.thread", "els => els.map(e => e.querySelector('h2').innerText)"
            )
            assert titles == ["Thread: Bennett meets Putin", f"Thread: {SECOND_TITLE}"]
            assert page.evaluate("document.scripts.length") == 0
            # nothing wider than the screen: tables scroll inside their box, images shrink
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"page is {overflow}px wide at {width}px"
            page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=False)
        finally:
            browser.close()
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert outside == [], f"the report made network requests: {outside}"


def test_article_urls_and_capture_dates_reach_sources_and_captions(tmp_path):
    from analysis.present.provenance import caption_lines, save_article_urls, thread_sources

    tables = _two_thread_tables()
    (tmp_path / "ingest_summary.json").write_text(
        json.dumps({"captured_at": "2024-05-01T00:00:00", "threads": []}), encoding="utf-8"
    )
    save_article_urls(tmp_path, ["https://example.org/one"], ["t1", "t2"])
    sources = thread_sources(tables["corpus"], tmp_path)
    assert list(sources["article_url"]) == ["https://example.org/one", ""]
    lines = caption_lines(sources)
    assert "https://example.org/one" in lines[0] and "captured 2024-05-01" in lines[0]
    assert SECOND_TITLE in lines[1] and lines[-1].startswith("Software: discourse-analytics")
    text = build_report(
        tables, tmp_path, tmp_path / "r.html", work_dir=tmp_path, run_date="2026-02-03"
    ).read_text(encoding="utf-8")
    assert "https://example.org/one" in text and "2024-05-01" in text
    with pytest.raises(ValueError):
        save_article_urls(tmp_path, ["a", "b", "c"], ["t1", "t2"])
