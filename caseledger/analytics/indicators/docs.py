"""Generate ``docs/indicators.md`` from the registry, so the reference cannot drift.

``python -m caseledger.analytics.indicators.docs`` rewrites the file; a test fails when the
committed file differs from what this module renders.
"""

from __future__ import annotations

from pathlib import Path

from caseledger.analytics.indicators import FAMILIES, all_indicators
from caseledger.analytics.indicators.base import AGENCY_COLUMNS, Indicator

TARGET = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"
TOPICS = ("time", "custody", "prosecution", "plea", "trial", "correction", "quality check")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _entry(i: Indicator) -> str:
    lines = [f"### `{i.id}` — {i.title}", "", i.definition, ""]
    qs = ", ".join(f"q{q}" for q in i.quantiles)
    rows = [
        ("kind", "rate" if i.kind == "rate" else f"quantiles of days: {qs} (nearest rank)"),
        ("unit of count", i.unit),
        ("dated by", FAMILIES[i.family].dated_by),
        ("agency (level `agency`)", f"{i.agency} (`{AGENCY_COLUMNS[i.agency]}`)"),
        ("denominator", f"`{i.denominator.name}`: {i.denominator.description}"),
    ]
    if i.numerator is not None:
        rows.append(("numerator", f"`{i.numerator.name}`: the denominator's defendants counted"))
    if i.rule is not None:
        r = i.rule
        rows.append(("rule", f"{r.rule_id} version {r.version}, threshold {r.threshold}"))
    rows.append(("minimum cases for a funnel category", str(i.min_denominator)))
    if i.min_schema > 1:
        rows.append(("warehouse schema", f"version {i.min_schema} or later"))
    rows.append(("source", i.source))
    lines += ["| | |", "|---|---|"] + [f"| {k} | {_cell(v)} |" for k, v in rows]
    return "\n".join(lines) + "\n"


def render() -> str:
    out = [
        "# Indicators",
        "",
        "Generated from `caseledger/analytics/indicators/` by"
        " `python -m caseledger.analytics.indicators.docs`; do not edit.",
        "",
        "Every indicator counts **defendants**. A rate is numerator / denominator, both counted"
        " among the defendants dated in the period by the indicator's date; quantiles of days are"
        " exact (the smallest day count reached by at least q % of the defendants). Units are"
        " compared with funnel plots and followed over time (see [analytics.md](analytics.md));"
        " no indicator is a target and nothing ranks units.",
        "",
        "## Dates",
        "",
        "| family | dated by |",
        "|---|---|",
    ]
    out += [f"| `{f.id}` | {_cell(f.dated_by)} |" for f in FAMILIES.values()]
    for topic in TOPICS:
        group = [i for i in all_indicators() if i.topic == topic]
        if not group:
            continue
        out += ["", f"## {topic.capitalize()}", ""]
        out += [f"- `{i.id}` — {i.title}" for i in group]
        for i in group:
            out += ["", _entry(i).rstrip("\n")]
    return "\n".join(out) + "\n"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
