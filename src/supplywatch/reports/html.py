"""Executed notebook -> one self-contained HTML file, with the run's provenance at its end.

nbconvert's ``lab`` template, minus everything it would load from a CDN (require.js, MathJax,
Mermaid, widget managers): its CSS is inlined and images are embedded as data URIs, so a report
opens offline and can be mailed as one file. Code cells are hidden unless ``show_code``.
The provenance footer is built with jinja2 autoescaping, so nothing in it can inject markup.

Example:
    >>> html = notebook_to_html("reports/x/01-corpus-overview.ipynb", provenance={"run": "x"})  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

#: nbconvert template: the lab template without any script loaded from the network.
_NBCONVERT_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
{%- set alt = output | get_metadata('alt', 'image/png') -%}
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="{{ (alt or 'chart') | escape_html }}">
</div>
{%- endblock data_png -%}
{%- block extra_css -%}
<style type="text/css">
body { max-width: 1100px; margin: 0 auto; }
.jp-RenderedHTMLCommon table { font-size: 12px; }
.sw-table-wrap { max-width: 100%; overflow-x: auto; }
.jp-RenderedHTMLCommon table.sw-table td, .jp-RenderedHTMLCommon table.sw-table th {
  vertical-align: top; text-align: left; white-space: normal; max-width: 36em; }
.sw-provenance { margin: 2em 1em; padding: 1em; border-top: 2px solid #1f5a8a; font: 12px/1.5 sans-serif; }
.sw-provenance th { text-align: left; padding-right: 1em; vertical-align: top; }
.sw-provenance td { font-family: monospace; overflow-wrap: anywhere; }
.sw-findings { font-size: 15px; line-height: 1.6; background: #eef5fb; border-left: 4px solid #1f5a8a;
  padding: .6em 1em .6em 2em; margin: .5em 0 1.5em; }
.sw-chart-data { font-size: 12px; margin-top: 0; }
</style>
{%- endblock extra_css -%}
"""

_FOOTER = jinja2.Environment(autoescape=True).from_string("""
<footer class="sw-provenance" id="provenance">
<h2>Provenance</h2>
<table>
{%- for key, value in rows %}
<tr><th>{{ key }}</th><td>{{ value }}</td></tr>
{%- endfor %}
</table>
<p><a href="../index.html">All runs</a> · <a href="run.json">run.json</a></p>
</footer>
""")

#: Tags a browser fetches by itself when they point at the network (escaped text never forms a tag).
_EXTERNAL_TAG_RE = re.compile(
    r"""<(?:script|img|link|iframe|source|video|audio|embed|object|input)\b[^>]*?"""
    r"""\b(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//""",
    re.I,
)
#: Inside <style>: url(...) and @import pointing at the network.
_EXTERNAL_CSS_RE = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?\s*(?:https?:)?//)""", re.I)
_STYLE_RE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)


def external_references(html: str) -> list[str]:
    """Snippets of ``html`` that would make a browser load something from the network (should be none)."""
    found = [m.group(0)[:120] for m in _EXTERNAL_TAG_RE.finditer(html)]
    for style in _STYLE_RE.finditer(html):
        found += [style.group(1)[max(m.start() - 40, 0): m.end() + 60] for m in _EXTERNAL_CSS_RE.finditer(style.group(1))]
    return found


@lru_cache(maxsize=2)
def _exporter(show_code: bool):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"supplywatch.html.j2": _NBCONVERT_TEMPLATE})],
        embed_images=True,
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
    )
    exporter.template_file = "supplywatch.html.j2"
    return exporter


def footer_html(provenance: Mapping[str, Any]) -> str:
    """The provenance as an escaped HTML table (nested values flattened to ``key: value`` text)."""
    rows = []
    for key, value in provenance.items():
        if isinstance(value, Mapping):
            value = "; ".join(f"{k}={v}" for k, v in value.items()) or "(none)"
        rows.append((key, value))
    return _FOOTER.render(rows=rows)


def notebook_to_html(notebook: str | os.PathLike, *, provenance: Mapping[str, Any], show_code: bool = False) -> str:
    """Convert an executed notebook to self-contained HTML with ``provenance`` at its end.

    Raises:
        RenderError: the converted HTML would load something from the network.
    """
    import nbformat

    from supplywatch.exceptions import RenderError

    nb = nbformat.read(str(notebook), as_version=4)
    title = next((c.source.lstrip("# ").splitlines()[0] for c in nb.cells
                  if c.cell_type == "markdown" and c.source.startswith("# ")), Path(notebook).stem)
    nb.metadata["title"] = title
    for cell in nb.cells:  # papermill gives its injected cell a random id; the HTML must not vary
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    body, _ = _exporter(show_code).from_notebook_node(nb, resources={"metadata": {"name": Path(notebook).stem}})
    at = body.rfind("</body>")
    body = body[:at] + footer_html(provenance) + body[at:] if at >= 0 else body + footer_html(provenance)
    leaks = external_references(body)
    if leaks:
        raise RenderError(f"{notebook}: the HTML would load from the network: {leaks[0]!r}")
    return body
