"""The import rules: what each warehouse column's values must follow, kept as data.

``data/rules.yaml`` adds to the schema (names and types, :mod:`.schema`) what a type cannot say:
required columns, documented vocabularies, formats, bounds (with their legal source), region
codes, the crime catalogue, columns present only when another is true, and the order of dates.
Loaded once and validated against the schema, so a rule cannot name a column that does not
exist or ask a date for a vocabulary; errors name the file and the key.

Must never: hold validation code (that is :mod:`.checks`), or a legal number without its source.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources
from typing import Literal

import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from caseledger.errors import RulePackInvalid
from caseledger.warehouse.schema import TABLES

FILE = "caseledger/warehouse/data/rules.yaml"


class ColumnRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    required: bool = False
    values: tuple[str, ...] | None = None
    pattern: str | None = None
    format: str | None = None
    min: int | None = None
    max: int | None = None
    source: str | None = None
    region: Literal["county", "prefecture", "province"] | None = None
    catalogue: (
        Literal["crime_code", "crime_group", "sentencing_pack", "ledger_event_type"] | None
    ) = None


class PresentWhen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str
    is_: bool | Literal["present"] = Field(alias="is")


class TableRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: tuple[str, ...]
    columns: dict[str, ColumnRule]
    present_when: dict[str, PresentWhen] = {}
    order: tuple[tuple[str, ...], ...] = ()

    def column(self, name: str) -> ColumnRule:
        """The rule of ``name``; a column without one is checked for its type only."""
        return self.columns.get(name) or ColumnRule()


class DateBounds(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min: dt.date
    max: dt.date
    source: str


class Provinces(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    codes: tuple[str, ...]
    source: str


class Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    dates: DateBounds
    province_prefixes: Provinces
    tables: dict[str, TableRules]


def _fail(message: str, key: str) -> RulePackInvalid:
    return RulePackInvalid(message, file=FILE, key=key)


def _check_against_schema(rules: Rules) -> None:
    for name, table in rules.tables.items():
        if name not in TABLES:
            raise _fail("rules for a table the schema does not have", f"tables.{name}")
        schema = TABLES[name].schema
        for col, rule in table.columns.items():
            key = f"tables.{name}.columns.{col}"
            if col not in schema.names:
                raise _fail("rule for a column the schema does not have", key)
            typ = schema.field(col).type
            text = pa.types.is_string(typ)
            if not text and (rule.values or rule.pattern or rule.region or rule.catalogue):
                raise _fail("values, pattern, region and catalogue apply to strings only", key)
            if not pa.types.is_integer(typ) and (rule.min is not None or rule.max is not None):
                raise _fail("min and max apply to integers only", key)
            if rule.pattern is not None:
                try:
                    re.compile(rule.pattern)
                except re.error as exc:
                    raise _fail(f"pattern is not a regular expression: {exc}", key) from None
        for col, cond in table.present_when.items():
            key = f"tables.{name}.present_when.{col}"
            if col not in schema.names or cond.column not in schema.names:
                raise _fail("present_when names a column the schema does not have", key)
            if cond.is_ != "present" and not pa.types.is_boolean(schema.field(cond.column).type):
                raise _fail("present_when true/false must name a true/false column", key)
        for i, chain in enumerate(table.order):
            key = f"tables.{name}.order[{i}]"
            if any(c not in schema.names for c in chain):
                raise _fail("order names a column the schema does not have", key)
            kinds = {str(schema.field(c).type) for c in chain}
            if len(kinds) != 1 or not all(
                pa.types.is_date(schema.field(c).type) or pa.types.is_integer(schema.field(c).type)
                for c in chain
            ):
                raise _fail("an order chain must hold dates only or integers only", key)
        if any(c not in schema.names for c in table.key):
            raise _fail("key names a column the schema does not have", f"tables.{name}.key")


def parse(text: str) -> Rules:
    """Rules from YAML text, validated against the schema."""
    try:
        data = yaml.safe_load(text)
        rules = Rules.model_validate(data)
    except yaml.YAMLError as exc:
        raise RulePackInvalid(f"not valid YAML: {exc}", file=FILE) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise _fail(f"invalid rule: {err['msg']}", ".".join(str(p) for p in err["loc"])) from None
    _check_against_schema(rules)
    return rules


@cache
def load() -> Rules:
    """The rules shipped with caseledger (``data/rules.yaml``)."""
    text = resources.files("caseledger.warehouse").joinpath("data/rules.yaml").read_text("utf-8")
    return parse(text)


BEGIN = "<!-- import rules: generated by python -m caseledger.warehouse.rules; do not edit -->"
END = "<!-- end of import rules -->"


def _cell(rule: ColumnRule) -> str:
    parts = []
    if rule.values:
        parts.append(", ".join(f"`{v}`" for v in rule.values))
    if rule.pattern:
        parts.append(f"`{rule.format or rule.pattern}` (regex `{rule.pattern}`)")
    if rule.min is not None or rule.max is not None:
        lo = "" if rule.min is None else f"≥ {rule.min}"
        hi = "" if rule.max is None else f"≤ {rule.max}"
        parts.append(" and ".join(p for p in (lo, hi) if p))
    if rule.source:
        parts.append(f"({rule.source})")
    if rule.region:
        parts.append(f"{rule.region} code (GB/T 2260 structure)")
    if rule.catalogue == "crime_code":
        parts.append("a code of the crime catalogue (`caseledger crimes`)")
    if rule.catalogue == "crime_group":
        parts.append("the catalogue's group of `crime_code`")
    if rule.catalogue == "sentencing_pack":
        parts.append("a sentencing pack (`caseledger sentence packs`, not abstract)")
    if rule.catalogue == "ledger_event_type":
        parts.append("an event type of the ledger ([reference/events.md](reference/events.md))")
    return "; ".join(parts) or "—"


def markdown(rules: Rules | None = None) -> str:
    """The rules as the Markdown block of ``docs/warehouse.md`` (between :data:`BEGIN`/``END``)."""
    rules = rules or load()
    out = [BEGIN, ""]
    out.append(
        f"Dates: from {rules.dates.min} to {rules.dates.max} ({rules.dates.source}). "
        f"Province prefixes: {', '.join(rules.province_prefixes.codes)} "
        f"({rules.province_prefixes.source})."
    )
    for name, table in rules.tables.items():
        out += ["", f"#### {name}", "", f"Key: {', '.join(f'`{k}`' for k in table.key)}.", ""]
        out += ["| column | type | required | values |", "|---|---|---|---|"]
        for f in TABLES[name].schema:
            rule = table.column(f.name)
            typ = str(f.type).replace("[day]", "")
            req = "yes" if rule.required else ""
            cell = _cell(rule).replace("|", "\\|")
            out.append(f"| `{f.name}` | {typ} | {req} | {cell} |")
        if table.present_when:
            out += ["", "Present exactly when:", ""]
            for col, cond in table.present_when.items():
                state = "given" if cond.is_ == "present" else str(cond.is_).lower()
                out.append(f"- `{col}`: `{cond.column}` is {state}")
        if table.order:
            out += ["", "In order (each not below the nearest given column before it):", ""]
            for chain in table.order:
                out.append("- " + " ≤ ".join(f"`{c}`" for c in chain))
    out += ["", END]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    import sys
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"
    if sys.argv[1:] == ["--write"]:
        text = doc.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        doc.write_text(head + markdown() + tail, encoding="utf-8")
    else:
        print(markdown())
