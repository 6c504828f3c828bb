"""Warehouse table schemas, with a version number.

Owns the column names and Arrow types of every warehouse table, the partition key and the sort
order inside files. ``docs/warehouse.md`` documents each column; a test compares the document
with :data:`TABLES`, so the two cannot drift. Bump :data:`SCHEMA_VERSION` on any change a reader
could notice (a column added, removed, renamed or retyped).

Versions: 1 — the first synthetic warehouse. 2 — ``defendants`` gains ``evidence_excluded``,
``guideline_pack``, ``retrial_on``, ``retrial_outcome``, ``reviewed_on`` and ``review_grade``;
``events`` gains the types ``evidence.exclusion_decided``, ``judgment.retrial_decided`` and
``quality.case_reviewed`` and the actor role ``quality_officer``.

Must never: read or write files, or hold generator logic.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = 2
PARTITION_KEY = "year"

_S = pa.string()
_D = pa.date32()
_B = pa.bool_()
_I16 = pa.int16()
_I32 = pa.int32()
_I64 = pa.int64()


@dataclass(frozen=True)
class Table:
    """One warehouse table: its Arrow schema, the sort order of rows inside each file and the
    target number of rows per row group."""

    name: str
    schema: pa.Schema
    sort_by: tuple[str, ...]
    row_group_rows: int


DEFENDANTS = Table(
    name="defendants",
    schema=pa.schema(
        [
            ("defendant_id", _I64),
            ("case_id", _I64),
            ("defendant_no", _I16),
            ("province_code", _S),
            ("prefecture_code", _S),
            ("county_code", _S),
            ("police_agency_id", _S),
            ("procuratorate_id", _S),
            ("court_id", _S),
            ("court_level", _S),
            ("investigator_id", _S),
            ("prosecutor_id", _S),
            ("judge_id", _S),
            ("crime_code", _S),
            ("crime_group", _S),
            ("reported_on", _D),
            ("registered_on", _D),
            ("suspect_identified_on", _D),
            ("detained", _B),
            ("detained_on", _D),
            ("arrest_requested", _B),
            ("arrest_decided_on", _D),
            ("arrest_approved", _B),
            ("non_arrest_ground", _S),
            ("pretrial_measure", _S),
            ("custody_days", _I32),
            ("withdrawn", _B),
            ("transferred_on", _D),
            ("supplementary_rounds", _I16),
            ("evidence_items", _I16),
            ("evidence_basis", _S),
            ("evidence_excluded", _I16),
            ("prosecution_decided_on", _D),
            ("prosecuted", _B),
            ("non_prosecution_ground", _S),
            ("plea", _B),
            ("plea_stage", _S),
            ("counsel_type", _S),
            ("recommendation_type", _S),
            ("guideline_months", _I32),
            ("guideline_pack", _S),
            ("recommended_months", _I32),
            ("recommended_range_lo", _I32),
            ("recommended_range_hi", _I32),
            ("court_decision", _S),
            ("recommendation_adopted", _B),
            ("procedure", _S),
            ("trial_accepted_on", _D),
            ("trial_limit_days", _I16),
            ("judgment_on", _D),
            ("verdict", _S),
            ("penalty_type", _S),
            ("sentence_months", _I32),
            ("probation", _B),
            ("probation_months", _I32),
            ("appealed", _B),
            ("appeal_kind", _S),
            ("appeal_outcome", _S),
            ("final_on", _D),
            ("retrial_on", _D),
            ("retrial_outcome", _S),
            ("investigation_days", _I32),
            ("review_days", _I32),
            ("trial_days", _I32),
            ("total_days", _I32),
            ("near_limit_count", _I16),
            ("overdue_count", _I16),
            ("flag_count", _I16),
            ("reviewed_on", _D),
            ("review_grade", _S),
        ]
    ),
    sort_by=("county_code", "registered_on", "defendant_id"),
    row_group_rows=500_000,
)

EVENTS = Table(
    name="events",
    schema=pa.schema(
        [
            ("defendant_id", _I64),
            ("case_id", _I64),
            ("seq", _I16),
            ("event_type", _S),
            ("occurred_on", _D),
            ("county_code", _S),
            ("agency_id", _S),
            ("actor_role", _S),
            ("actor_id", _S),
            ("detail", _S),
        ]
    ),
    sort_by=("county_code", "occurred_on", "defendant_id", "seq"),
    row_group_rows=1_000_000,
)

TABLES: dict[str, Table] = {t.name: t for t in (DEFENDANTS, EVENTS)}


def manifest_tables() -> dict[str, dict[str, object]]:
    """The tables as JSON-ready data for the warehouse manifest (``_schema.json``)."""
    return {
        t.name: {
            "partition_by": [PARTITION_KEY],
            "sort_by": list(t.sort_by),
            "row_group_rows": t.row_group_rows,
            "columns": [{"name": f.name, "type": str(f.type)} for f in t.schema],
        }
        for t in TABLES.values()
    }
