"""The roles that act on a case (DESIGN.md, "Who uses it"). Every event records one."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    investigator = "investigator"
    prosecutor = "prosecutor"
    judge = "judge"
    defence_counsel = "defence_counsel"
    quality_officer = "quality_officer"
    supervisor = "supervisor"
    analyst = "analyst"
    administrator = "administrator"
    system = "system"


ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.investigator: "police investigator: registers cases, records detention and evidence, "
    "requests arrest approval",
    Role.prosecutor: "prosecutor: reviews arrest and prosecution, runs plea consultations",
    Role.judge: "judge: chooses the procedure, records judgments",
    Role.defence_counsel: "defence counsel or duty lawyer: acts for their clients",
    Role.quality_officer: "case-quality officer: reviews individual cases",
    Role.supervisor: "people's supervisor: reviews selected decisions",
    Role.analyst: "analyst: macro analysis on de-identified data",
    Role.administrator: "system administrator",
    Role.system: "caseledger itself (imports, migrations)",
}
