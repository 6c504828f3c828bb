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
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}
.note{color:#555;font-size:90%}
</style></head><body>
<h1>{{ title }}</h1>
<p class="note">Generated {{ generated }}. Units are compared with what chance alone would
produce; they are listed by code and never ranked.</p>
{% for s in sections %}<section><h2>{{ s.heading }}</h2>
{% for p in s.paragraphs %}<p>{{ p }}</p>{% endfor %}
{% for svg in s.charts %}<figure>{{ svg }}</figure>{% endfor %}
{% for t in s.tables %}<table><tr>{% for h in t.header %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in t.rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}
</table>{% endfor %}</section>{% endfor %}
</body></html>
"""


@dataclass
class Table:
    header: list[str]
    rows: list[list[object]]


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # SVG text from charts.to_svg
    tables: list[Table] = field(default_factory=list)


def render_html(
    title: str, sections: list[Section], *, generated: dt.datetime | None = None
) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    template = env.from_string(_TEMPLATE)
    safe = [
        Section(s.heading, s.paragraphs, [Markup(_strip_xml_header(c)) for c in s.charts], s.tables)
        for s in sections
    ]
    return template.render(
        title=title,
        sections=safe,
        generated=(generated or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
    )


def _strip_xml_header(svg: str) -> str:
    return svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg
