"""The import rules stay complete, valid and documented (data/rules.yaml, docs/warehouse.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseledger.errors import RulePackInvalid
from caseledger.warehouse import checks, rules, schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"
RULES = Path(rules.__file__).parent / "data" / "rules.yaml"
FREE_TEXT = {"detail"}  # string columns with no vocabulary or format on purpose


def doc_rows() -> dict[str, dict[str, str]]:
    """The meaning cell of each column of each table section of the docs."""
    out: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            current = line[4:].strip()
        elif line.startswith("## "):
            current = None
        elif current in schema.TABLES and (m := re.match(r"^\| `(\w+)` \| \w+ \| (.+) \|$", line)):
            out.setdefault(current, {})[m.group(1)] = m.group(2)
    return out


def test_every_schema_column_has_a_rule() -> None:
    loaded = rules.load()
    for name, table in schema.TABLES.items():
        assert list(loaded.tables[name].columns) == table.schema.names, name


def test_every_text_column_is_constrained_or_free_on_purpose() -> None:
    loaded = rules.load()
    for name, table in schema.TABLES.items():
        for field in table.schema:
            if str(field.type) != "string" or field.name in FREE_TEXT:
                continue
            rule = loaded.tables[name].column(field.name)
            assert rule.values or rule.pattern or rule.region or rule.catalogue, field.name


def test_vocabularies_are_the_documented_ones() -> None:
    rows = doc_rows()
    loaded = rules.load()
    for name in schema.TABLES:
        for col, rule in loaded.tables[name].columns.items():
            if not rule.values or col == "event_type":
                continue
            names = set(schema.TABLES[name].schema.names)
            words = set(re.findall(r"`([a-z_]+)`", rows[name][col])) - names
            assert words == set(rule.values), (name, col)


def test_event_types_are_the_ledgers() -> None:
    from caseledger.ledger import registry

    text = DOC.read_text(encoding="utf-8").split("Event types used:")[1].split("\n\n")[0]
    documented = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", text))
    accepted = set(checks.event_types())
    assert documented <= accepted
    assert accepted == {t.name for t in registry.all_types()} - {
        t.name for t in registry.all_types() if t.name.startswith("test.")
    }


def test_the_documented_rules_are_current() -> None:
    assert rules.markdown() in DOC.read_text(encoding="utf-8"), (
        "docs/warehouse.md is stale: run python -m caseledger.warehouse.rules --write"
    )


def test_the_documented_checks_are_the_checks() -> None:
    text = DOC.read_text(encoding="utf-8").split("| check | what failed |")[1].split("\n\n")[0]
    documented = re.findall(r"^\| `(\w+)` \|", text, flags=re.M)
    assert documented == list(checks.CHECKS)


BROKEN = [
    (
        "    key: [defendant_id]\n",
        "    key: [nobody]\n",
        "key names a column",
        "tables.defendants.key",
    ),
    (
        "      custody_days: {required: true, min: 0}",
        "      custody_days: {required: true, values: [a]}",
        "apply to strings only",
        "tables.defendants.columns.custody_days",
    ),
    (
        "      court_level: {values: [basic, intermediate]}",
        "      court_level: {values: [basic, intermediate], min: 1}",
        "min and max apply to integers only",
        "tables.defendants.columns.court_level",
    ),
    (
        "      detail: {}",
        "      detail: {}\n      colour: {}",
        "rule for a column the schema does not have",
        "tables.events.columns.colour",
    ),
    (
        "      plea_stage: {column: plea, is: true}",
        "      plea_stage: {column: crime_code, is: true}",
        "must name a true/false column",
        "tables.defendants.present_when.plea_stage",
    ),
    (
        "      - [recommended_range_lo, recommended_range_hi]",
        "      - [recommended_range_lo, final_on]",
        "dates only or integers only",
        "tables.defendants.order[3]",
    ),
    (
        "police_agency_id: {required: true, pattern: '^PSB[0-9]{6}$'",
        "police_agency_id: {required: true, pattern: '^PSB[0-9{6}$'",
        "not a regular expression",
        "tables.defendants.columns.police_agency_id",
    ),
    ("  min: 1980-01-01", "  min: someday", "invalid rule", "dates.min"),
]


@pytest.mark.parametrize(("old", "new", "message", "where"), BROKEN)
def test_a_broken_rules_file_names_the_key(old: str, new: str, message: str, where: str) -> None:
    text = RULES.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(RulePackInvalid, match=re.escape(message)) as err:
        rules.parse(text.replace(old, new, 1))
    assert err.value.context["key"] == where
