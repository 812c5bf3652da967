"""The exploratory path as a user meets it: JupyterLab from the project's .venv, in headless Chromium.

JupyterLab is started on a free loopback port with a token, 02-actor-mentions is opened (a copy,
so nothing is saved into the committed notebook), all cells run on the project's ``supplywatch``
kernel, and the test checks what the user sees: no error output, the charts as images, the mentions
table; then ``top_n`` is edited to 5 in the parameters cell and a re-run gives five bars. The
server is stopped by its pid (its whole session, kernels included) also when a check fails.
A test of the test runs a fixture notebook that raises and expects the same checks to fail.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from supplywatch.config import NOTEBOOKS_DIR, REPORTS_DIR

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
from _render_runs import FIXTURE_NOTEBOOKS as FIXTURES  # noqa: E402
#: JupyterLab itself: the one installed beside this interpreter (the project's .venv under `make test`).
JUPYTER = Path(sys.executable).parent / "jupyter"
#: Notebook cells stay in the page while scrolled away, so every output can be checked.
SETTINGS = {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
            "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                              "checkForUpdates": False}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The folder each running JupyterLab serves, by its URL.
_LAB_ROOTS: dict[str, Path] = {}


@contextmanager
def jupyter_lab(root: Path, tmp: Path):
    """A JupyterLab server on a free loopback port with a token; stopped by its pid whatever happens."""
    if not JUPYTER.exists():
        pytest.skip(f"JupyterLab is not installed beside {sys.executable} (make venv installs it)")
    settings = tmp / "lab-settings"
    for rel, value in SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")}
    log = open(tmp / "jupyterlab.log", "w", encoding="utf-8")
    server = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True",
         "--MappingKernelManager.default_kernel_name=supplywatch"],  # as `make lab` starts it
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"JupyterLab did not start: {(tmp / 'jupyterlab.log').read_text()[-2000:]}")
            time.sleep(0.5)
        _LAB_ROOTS[url] = root
        yield url, token
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)  # the server and the kernels it started (same session)
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        except ProcessLookupError:
            pass
        log.close()


_NOTEBOOK = "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
_KERNEL = ("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
           " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
           " return k && k.status === 'idle' ? k.name : null; }")
#: Done when the kernel is idle and every code cell ran, or one raised ("run all" stops there).
_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const cells = w.content.widgets.map(c => c.model).filter(m => m.type === 'code');
  const ran = cells.filter(m => m.executionCount !== null).length;
  const failed = cells.some(m => m.outputs.toJSON().some(o => o.output_type === 'error'));
  return ran === cells.length || (failed && ran > 0);
}"""
_ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(c => c.model)
  .filter(m => m.type === 'code')
  .flatMap(m => m.outputs.toJSON().filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))"""


#: The kernel the notebook's metadata names; when JupyterLab started another one (its session can
#: start before the notebook's model is read: seen once on a fresh clone's first JupyterLab start), the
#: kernel is changed to it, as a user does with Kernel > Change Kernel.
_USE_NAMED_KERNEL = """async (want) => {
  const w = window.jupyterapp.shell.currentWidget;
  if (want && w.sessionContext.session.kernel.name !== want) {
    await w.sessionContext.changeKernel({name: want});
  }
  return want;
}"""


def open_notebook(page, url: str, token: str, name: str) -> str:
    """Open ``name`` in JupyterLab and wait for the kernel its metadata names; returns the kernel's name."""
    page.goto(f"{url}/lab/tree/{name}?token={token}")
    page.wait_for_function(_NOTEBOOK, timeout=120_000)
    page.wait_for_function(_KERNEL, timeout=120_000)
    # the name as the file on disk has it (JupyterLab rewrites the open model's metadata to the kernel it started)
    spec = json.loads((_LAB_ROOTS[url] / name).read_text(encoding="utf-8"))["metadata"].get("kernelspec", {})
    page.evaluate(_USE_NAMED_KERNEL, spec.get("name", ""))
    return page.wait_for_function(_KERNEL, timeout=120_000).json_value()


_RUN_ALL = "() => window.jupyterapp.commands.execute('notebook:run-all-cells')"
#: The kernel is idle and no code cell has run: a "Run All" sent while the notebook was still being
#: set up was dropped (seen once in a full test run on a loaded machine), so it is sent again.
_NOTHING_RAN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.content.widgets.map(c => c.model)
    .filter(m => m.type === 'code').every(m => m.executionCount === null);
}"""


def run_all(page, *, timeout_s: float = 300) -> list[str]:
    """Run all cells as a user does (Run > Run All Cells); returns the error outputs (``ename: evalue``)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout_s
    page.evaluate(_RUN_ALL)
    while True:
        try:
            page.wait_for_function(_FINISHED, timeout=20_000, polling=250)
            break
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
            if page.evaluate(_NOTHING_RAN):
                page.evaluate(_RUN_ALL)
    return page.evaluate(_ERRORS)


def check_runs_clean(page) -> None:
    """What a user checks after "Run All": no error output (in the model and on the page)."""
    errors = run_all(page)
    shown = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in shown.all_inner_texts() if "Traceback" in t or "Error" in t]
    assert not errors and not tracebacks, f"cells raised: {errors or tracebacks}"


def _images(page) -> list[list]:
    return page.eval_on_selector_all(".jp-OutputArea-output img",
                                     "els => els.map(e => [e.complete, e.naturalWidth, e.src.length])")


def _set_top_n(page, value: int) -> None:
    """Edit the parameters cell as a user does: click the ``top_n`` line, replace it, leave the editor."""
    page.evaluate("""() => {
      const nb = window.jupyterapp.shell.currentWidget.content;
      const i = nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes('top_n: int ='));
      nb.activeCellIndex = i;
      return nb.scrollToItem(i, 'start');
    }""")
    line = page.locator(".jp-Cell.jp-mod-active .cm-line", has_text="top_n: int =")
    line.scroll_into_view_if_needed()
    line.click()
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    page.keyboard.insert_text(f"top_n: int = {value}  # how many bars / rows each chart and ranking keeps")
    page.keyboard.press("Escape")


@pytest.fixture()
def lab_root(tmp_path: Path) -> Path:
    """A folder holding copies of the notebook under test and the raising fixture (nothing is saved
    into the committed notebooks)."""
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "02-actor-mentions.ipynb", root)
    shutil.copy(FIXTURES / "02-raises.ipynb", root / "raises.ipynb")
    return root


@pytest.fixture()
def browser_page(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            yield page
        finally:
            browser.close()


def test_actor_mentions_runs_in_jupyterlab_on_the_project_kernel(lab_root, tmp_path, browser_page):
    page = browser_page
    chart_csv = REPORTS_DIR / "lab" / "figures" / "02-mentions-by-actor.csv"
    with jupyter_lab(lab_root, tmp_path) as (url, token):
        kernel = open_notebook(page, url, token, "02-actor-mentions.ipynb")
        assert kernel == "supplywatch"  # the notebook's kernelspec: the project's .venv kernel
        started = time.monotonic()
        check_runs_clean(page)
        seconds = time.monotonic() - started
        images = _images(page)
        assert len(images) >= 5 and all(done and width > 0 for done, width, _ in images), images
        headers = page.eval_on_selector_all("table.sw-table thead th", "els => els.map(e => e.textContent.trim())")
        assert {"actor", "actor_type", "total"} <= set(headers)  # the mentions-by-actor-and-kind table
        findings = page.locator("ul.sw-findings li").all_inner_texts()
        assert findings and "mentioned most" in findings[0]
        import pandas as pd

        before = pd.read_csv(chart_csv)
        assert len(before) > 5  # the seed mentions more than five actors
        first_image = images[0][2]

        _set_top_n(page, 5)
        check_runs_clean(page)
        after = pd.read_csv(chart_csv)
        assert len(after) == 5 and after["actor"].tolist() == before["actor"].head(5).tolist()
        assert _images(page)[0][2] != first_image  # the chart on the page changed too
        page.screenshot(path=str(tmp_path / "lab.png"), full_page=True)
    assert seconds < 120, f"the seed took {seconds:.0f} s in JupyterLab"


def test_the_lab_check_fails_when_a_cell_raises(lab_root, tmp_path, browser_page):
    """The test of the test: the same checks on a notebook that raises must fail, naming the error."""
    with jupyter_lab(lab_root, tmp_path) as (url, token):
        open_notebook(browser_page, url, token, "raises.ipynb")
        with pytest.raises(AssertionError, match="fixture notebook failed on purpose"):
            check_runs_clean(browser_page)


def test_the_server_is_stopped_when_a_check_fails(lab_root, tmp_path):
    """The server (and its kernels) are stopped by pid even when the body raises."""
    with pytest.raises(RuntimeError, match="a check failed"):
        with jupyter_lab(lab_root, tmp_path) as (url, token):
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as response:
                assert response.status == 200
            with urllib.request.urlopen(f"{url}/api/kernelspecs?token={token}", timeout=5) as response:
                specs = json.load(response)
            assert specs["default"] == "supplywatch" and "supplywatch" in specs["kernelspecs"]
            raise RuntimeError("a check failed")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
