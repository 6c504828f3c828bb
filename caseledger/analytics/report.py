"""Self-contained HTML reports: sections of text, inline SVG charts and tables.

The page loads nothing from anywhere (no scripts, fonts or images from the network), so it
opens offline and can be archived as it is. Tables list units by code, never by value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;
padding:3px 8px;vertical-align:top}caption{text-align:left;font-weight:600;padding:4px 0}
.note{color:#555;font-size:90%}.codes{max-width:28em;word-break:break-word}
figure{margin:1em 0}
</style></head><body>
<h1>{{ title }}</h1>
<p class="note">Generated {{ generated }}. Units are compared with what chance alone would
produce; they are listed by code and never ranked.</p>
{% if sections|length > 1 %}<nav><ol>{% for s in sections %}
<li><a href="#s{{ loop.index }}">{{ s.heading }}</a></li>{% endfor %}</ol></nav>{% endif %}
{% macro body(s) %}
{% for p in s.paragraphs %}<p>{{ p }}</p>{% endfor %}
{% for svg in s.charts %}<figure>{{ svg }}</figure>{% endfor %}
{% for t in s.tables %}<table>{% if t.caption %}<caption>{{ t.caption }}</caption>{% endif %}
<tr>{% for h in t.header %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in t.rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}
</table>{% endfor %}
{% for sub in s.subsections %}<h3>{{ sub.heading }}</h3>{{ body(sub) }}{% endfor %}
{% endmacro %}
{% for s in sections %}<section id="s{{ loop.index }}"><h2>{{ s.heading }}</h2>
{{ body(s) }}</section>{% endfor %}
</body></html>
"""


@dataclass
class Table:
    header: list[str]
    rows: list[list[object]]
    caption: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # SVG text from charts.to_svg
    tables: list[Table] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)  # shown under h3 headings


def render_html(
    title: str, sections: list[Section], *, generated: dt.datetime | None = None
) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    template = env.from_string(_TEMPLATE)
    safe = [_safe(s) for s in sections]
    return template.render(
        title=title,
        sections=safe,
        generated=(generated or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
    )


def _safe(s: Section) -> Section:
    """The section with its SVG charts marked safe (they come from vl-convert, not users)."""
    charts = [Markup(_strip_xml_header(c)) for c in s.charts]
    return Section(s.heading, s.paragraphs, charts, s.tables, [_safe(x) for x in s.subsections])


def _strip_xml_header(svg: str) -> str:
    return svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg
