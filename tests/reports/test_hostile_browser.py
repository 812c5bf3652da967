"""The hostile corpus rendered and opened in headless Chromium: no injected script runs, every payload
shows as text, nothing is fetched from outside ``file://``.

The corpus (tests/test_hostile_corpus.py) carries markup in every field a report shows, a user
gazetteer whose actor names are markup, a corpus folder and a file name that are markup, and a
``keyword`` parameter that is markup. It is rendered once per session; the HTML checks run without
Chromium, the browser checks skip cleanly when it is absent.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from _render_runs import run_cli
from test_hostile_corpus import (
    ACTOR_NAME,
    DIR_PAYLOAD,
    build_hostile_corpus,
    expected_texts,
    write_hostile_gazetteer,
)

from supplywatch.reports.index import list_runs

pytestmark = [pytest.mark.slow]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
KEYWORD = "Gallium<script>document.body.dataset.pwned='keyword'</script>"
#: Markup that must never appear unescaped in any written HTML file.
RAW_MARKUP = re.compile(r"<(?:script>document|img src=x|svg onload|iframe)|href=[\"']?javascript:", re.I)


@pytest.fixture(scope="session")
def hostile_render(tmp_path_factory) -> dict:
    """Render the hostile corpus once (CLI, fresh process) with the markup gazetteer and keyword."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = build_hostile_corpus(root)
    gazetteer = write_hostile_gazetteer(root / "actors <b>.yaml")
    out = root / "out"
    proc = run_cli("render", str(corpus), "--out", str(out), "-p", "gazetteer", str(gazetteer),
                   "-p", "keyword", KEYWORD, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (run,) = list_runs(out)
    return {"out": out, "run": run, "run_dir": out / run["run_id"], "corpus": corpus}


def _pages(render: dict) -> list[Path]:
    run_dir = render["run_dir"]
    return [render["out"] / "index.html", render["out"] / "latest.html", run_dir / "index.html",
            *sorted(p for p in run_dir.glob("*.html") if p.name != "index.html")]


def test_every_notebook_rendered_with_the_user_gazetteer(hostile_render):
    run = hostile_render["run"]
    assert run["status"] == "ok" and [nb["status"] for nb in run["notebooks"]] == ["ok"] * 3
    assert run["parameters"]["gazetteer"].endswith("actors <b>.yaml")
    mentions = (hostile_render["run_dir"] / "tables" / "02-mentions-by-actor-and-kind.csv").read_text(encoding="utf-8")
    assert ACTOR_NAME in mentions  # the user's gazetteer reached the notebooks


def test_no_written_html_holds_raw_markup_from_the_input(hostile_render):
    pages = [p for p in _pages(hostile_render) if p.name != "latest.html"]
    assert len(pages) == 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = RAW_MARKUP.findall(text)
        assert not found, f"{page.name}: unescaped {found[:3]}"
    index = (hostile_render["out"] / "index.html").read_text(encoding="utf-8")
    assert DIR_PAYLOAD not in index and DIR_PAYLOAD in htmllib.unescape(index)  # there, escaped


def test_every_page_in_chromium_runs_no_injected_script_and_shows_the_payloads(hostile_render, chromium_path,
                                                                              tmp_path):
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    errors: list[str] = []
    off_file: list[str] = []
    texts: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})

            def on_dialog(dialog):
                dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            def route(r):
                if r.request.url.startswith(("file://", "data:")):
                    r.continue_()
                else:
                    off_file.append(r.request.url)
                    r.abort()

            page.on("dialog", on_dialog)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.route("**/*", route)
            for path in _pages(hostile_render):
                page.goto(path.as_uri())
                if path.name == "latest.html":  # redirects (meta refresh) to the latest run's page
                    page.wait_for_url(f"**/{hostile_render['run']['run_id']}/index.html")
                page.wait_for_load_state("load")
                page.wait_for_timeout(300)  # let failed-image onerror handlers fire, if any were markup
                state = page.evaluate("""() => ({
                    pwned: document.body.getAttribute('data-pwned'),
                    marked: document.querySelectorAll('[data-pwned]').length,
                    handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
                    jsLinks: document.querySelectorAll('a[href^="javascript:" i],iframe,embed,object').length,
                    injected: [...document.scripts].filter(s => s.textContent.includes('pwned')).length,
                    text: document.body.innerText,
                })""")
                name = path.stem if path.parent == hostile_render["run_dir"] else f"{path.parent.name}/{path.name}"
                assert state["pwned"] is None and state["marked"] == 0, f"{name}: an injected script ran"
                assert state["handlers"] == 0 and state["jsLinks"] == 0 and state["injected"] == 0, (name, state)
                texts[name] = state["text"]
                page.screenshot(path=str(tmp_path / f"{path.stem}.png"), full_page=True)
        finally:
            browser.close()
    assert not dialogs, f"an injected script opened a dialog: {dialogs}"
    assert not errors, errors
    assert not off_file, f"requests left file://: {off_file}"
    for notebook, payloads in expected_texts().items():
        for payload in payloads:
            assert payload in texts[notebook], f"{notebook}: {payload!r} is not visible as text"
    assert "Gallium<script>" in texts["01-corpus-overview"]  # the keyword parameter, as text
    index = texts["out/index.html"]
    assert DIR_PAYLOAD in index and KEYWORD in index  # corpus path and parameters, as text
