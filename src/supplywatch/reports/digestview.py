"""The digest shown to people: the "What changed" section of the index and of the first report.

Everything is escaped by jinja2's autoescaping (titles, names and sentences are corpus text). The
section says when there is nothing to compare yet, lists how many items of each kind changed, and
shows the first :data:`SHOWN` of each with a link to ``digest.json``, which has them all.

Example:
    >>> show_digest(output_dir)          # in a report notebook                # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import jinja2

from supplywatch.reports.digest import DIGEST_FILE, KINDS, read_digest

#: How many items of each kind the HTML shows (digest.json has them all).
SHOWN = 10

_TITLES = {
    "new_actors": "New actors (first seen)",
    "new_claims": "New claims",
    "changed_figures": "Changed figures (moved by 1 point or more)",
    "mention_spikes": "Mention spikes",
    "articles_new": "New articles",
    "articles_changed": "Articles changed (same doc_id, new content)",
    "articles_gone": "Articles gone",
}
_COLUMNS = {
    "new_actors": ["actor", "actor_type", "mentions", "stories", "first_doc_id"],
    "new_claims": ["holder", "value", "qualifier", "metric", "commodity", "stories", "doc_id", "sentence"],
    "changed_figures": ["holder", "metric", "commodity", "previous_value", "value", "change_pp", "stories"],
    "mention_spikes": ["actor", "period", "mentions", "trailing_mean", "ratio", "stories"],
    "articles_new": ["doc_id", "date", "title"],
    "articles_changed": ["doc_id", "title"],
    "articles_gone": ["doc_id", "date", "title"],
}

_TEMPLATE = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""
<section class="sw-digest" id="what-changed">
<h2>What changed</h2>
{% if digest is none %}
<p>No digest here: <code>supplywatch render</code> writes one into every run folder, comparing the run with the
previous successful run of the same corpus folder and parameters.</p>
{% else %}
<p>{{ digest.message }}
{%- if digest.previous_run %} Compared with run <code>{{ digest.previous_run.run_id }}</code>
({{ digest.previous_run.started }}).{% endif %}
{%- if digest.status == "compared" %} {{ digest.articles }} article(s) in {{ digest.stories }} distinct stor{{ 'y' if digest.stories == 1 else 'ies' }}
(near-duplicate copies counted once).{% endif %}</p>
{% if digest.status == "compared" %}
<ul>
{% for kind in kinds %}<li>{{ titles[kind] }}: <strong>{{ digest.counts[kind] }}</strong></li>
{% endfor %}
</ul>
{% for kind in kinds if digest[kind] %}
<h3>{{ titles[kind] }}</h3>
<div class="sw-table-wrap"><table class="sw-table">
<thead><tr>{% for c in columns[kind] %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for item in digest[kind][:shown] %}<tr>{% for c in columns[kind] %}<td>{{ '' if item[c] is none else item[c] }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table></div>
{% if digest.counts[kind] > shown %}<p><em>{{ shown }} of {{ digest.counts[kind] }} shown; {{ link }} has all of them.</em></p>{% endif %}
{% endfor %}
{% endif %}
<p><em>Machine-readable: <a href="{{ href }}">{{ link }}</a>.</em></p>
{% endif %}
</section>
""")


def what_changed_html(digest: Mapping[str, Any] | None, *, href: str = DIGEST_FILE) -> str:
    """The "What changed" section as HTML (escaped); ``href`` links the digest.json it shows."""
    return _TEMPLATE.render(digest=digest, kinds=KINDS, titles=_TITLES, columns=_COLUMNS, shown=SHOWN,
                            href=href, link=DIGEST_FILE)


def show_digest(output_dir: str | os.PathLike = "") -> None:
    """Show the run's "What changed" section in a report notebook (reads ``output_dir/digest.json``)."""
    from IPython.display import HTML, display

    digest = read_digest(output_dir) if str(output_dir or "").strip() else None
    display(HTML(what_changed_html(digest)))


def summary_lines(digest: Mapping[str, Any]) -> list[str]:
    """The digest as plain-text lines (for the terminal)."""
    lines = [digest["message"]]
    if digest.get("status") != "compared":
        return lines
    for kind in KINDS:
        lines.append(f"{_TITLES[kind]}: {digest['counts'][kind]}")
        for item in digest[kind][:SHOWN]:
            lines.append("  " + "; ".join(f"{c}={item.get(c)}" for c in _COLUMNS[kind]
                                          if item.get(c) not in (None, "") and c != "sentence"))
        if digest["counts"][kind] > SHOWN:
            lines.append(f"  ... {digest['counts'][kind] - SHOWN} more (--json lists them all)")
    return lines
