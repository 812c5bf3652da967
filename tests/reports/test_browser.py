"""The rendered reports in a real browser (headless Chromium): links work, images load, nothing from the network."""

from __future__ import annotations

import pytest
from _render_runs import seed_runs

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def test_index_and_every_report_open_offline_with_all_images(tmp_path, tmp_path_factory, chromium_path):
    from playwright.sync_api import sync_playwright

    out, _ = seed_runs(tmp_path_factory)
    errors: list[str] = []
    off_file: list[str] = []
    visited: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def route(r):
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    off_file.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto((out / "index.html").as_uri())
            assert "supplywatch reports" in page.title()
            links = page.eval_on_selector_all("a[href$='.html']", "els => els.map(e => e.href)")
            report_links = [u for u in links if not u.endswith("/index.html")]
            assert len(report_links) >= 6  # 3 notebooks x 2 runs
            for url in sorted(set(links) - set(report_links)):  # each run's own index page
                page.goto(url)
                assert page.locator("a[href$='.html']").count() >= 3
            page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
            for i, url in enumerate(report_links):
                page.goto(url)
                visited.append(url)
                page.wait_for_load_state("load")
                images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
                assert images, f"{url}: no charts"
                assert all(done and width > 0 for done, width in images), f"{url}: an image did not load"
                assert page.locator("#provenance").count() == 1
                # every table fits the page's column (column names break after "_"): none runs off the side
                widths = page.eval_on_selector_all(
                    "table.sw-table", "els => els.map(t => [t.getBoundingClientRect().width, "
                    "t.closest('.sw-table-wrap').getBoundingClientRect().width])")
                assert widths and all(table <= box + 1 for table, box in widths), f"{url}: a table is wider than the page: {widths}"
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
                page.screenshot(path=str(tmp_path / f"report-{i}.png"), full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert not off_file, f"requests left file://: {off_file}"
    assert (tmp_path / "index.png").stat().st_size > 0 and len(visited) >= 6
