"""Read-only case commands: ``case show``, ``case list``, ``overdue`` and ``crimes``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from caseledger.case import catalogue, clock, queries
from caseledger.case.commands import CaseArg, app
from caseledger.clikit import JsonOpt, console, emit
from caseledger.context import open_database


@app.command("show")
def show(case_number: CaseArg, as_json: JsonOpt = False) -> None:
    """The case file: defendants, running time limits and the full event timeline."""
    db = open_database()
    with db.read() as session:
        view = queries.show_case(session, case_number)
    emit(view, as_json, _render_case)


def _render_case(view: queries.CaseView) -> None:
    console.print(
        f"[bold]{view.case_number}[/]  {view.status}"
        f"{' (' + view.close_reason + ')' if view.close_reason else ''}  "
        f"reported {view.reported_on}, registered {view.registered_on} by {view.agency_code}"
    )
    console.print(f"  {view.summary}")
    for d in view.defendants:
        console.print(
            f"\n[bold]Defendant {d.defendant_no}[/]: {d.name}"
            f"{f', age {d.age_at_offence} at the offence' if d.age_at_offence is not None else ''}"
            f"; charges: {', '.join(d.charges) or 'none'}"
        )
        console.print(f"  stage: {d.stage} since {d.stage_since} — {d.stage_description}")
        since = f" since {d.measure_since}" if d.measure_since else ""
        console.print(f"  measure: {d.measure}{since}; days in custody: {d.detained_days}")
        if d.verdict:
            console.print(
                f"  judgment: {d.verdict} {d.penalty_type or ''} "
                f"{str(d.term_months) + ' months' if d.term_months else ''}"
                f"{' with probation' if d.probation else ''}"
            )
        for dl in d.deadlines:
            late = f" [red]OVERDUE by {dl.overdue_days} days[/]" if dl.overdue_days else ""
            console.print(f"  time limit {dl.limit_id}: due {dl.due_on} ({dl.article}){late}")
    table = Table(title="Timeline", show_lines=False)
    for col in ("#", "occurred", "act", "def.", "actor", "role", "agency", "legal basis"):
        table.add_column(col, overflow="fold")
    for t in view.timeline:
        table.add_row(
            str(t.seq),
            t.occurred_at.date().isoformat(),
            t.event_type,
            str(t.defendant_no or ""),
            t.actor_id,
            t.actor_role,
            t.agency_code,
            t.legal_basis,
        )
    console.print(table)


@app.command("list")
def list_cmd(
    limit: Annotated[int, typer.Option(help="How many cases.")] = 50,
    status: Annotated[str | None, typer.Option(help="open or closed.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Cases, newest registrations first."""
    db = open_database()
    with db.read() as session:
        rows = queries.list_cases(session, limit=limit, status=status)

    def render(items: list[queries.CaseSummary]) -> None:
        table = Table()
        for col in ("case", "status", "registered", "defendants", "summary"):
            table.add_column(col)
        for c in items:
            table.add_row(
                c.case_number,
                c.status,
                c.registered_on.isoformat(),
                str(c.defendants),
                c.summary[:60],
            )
        console.print(table)

    emit(rows, as_json, render)


def overdue(
    as_of: Annotated[str | None, typer.Option(help="Date to judge by (default today).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every running legal time limit that has passed."""
    day = clock.parse_date(as_of, field="as_of") if as_of else None
    db = open_database()
    with db.read() as session:
        rows = queries.overdue(session, as_of=day)

    def render(items: list[queries.OverdueItem]) -> None:
        if not items:
            console.print("no time limit has passed")
            return
        table = Table(title=f"{len(items)} time limit(s) passed")
        for col in ("case", "def.", "stage", "measure", "limit", "due", "days over", "article"):
            table.add_column(col)
        for r in items:
            table.add_row(
                r.case_number,
                str(r.defendant_no),
                r.stage,
                r.measure,
                r.limit_id,
                r.due_on.isoformat(),
                str(r.overdue_days),
                r.article,
            )
        console.print(table)

    emit(rows, as_json, render)


def crimes(as_json: JsonOpt = False) -> None:
    """The crime catalogue: codes, names, articles, groups and ICCS codes."""
    rows = list(catalogue.catalogue().values())

    def render(items: list[catalogue.Crime]) -> None:
        table = Table()
        for col in ("code", "name", "罪名", "CL art", "group", "ICCS", "max"):
            table.add_column(col)
        for c in items:
            table.add_row(
                c.code,
                c.name_en,
                c.name_zh,
                c.cl_article,
                c.crime_group,
                c.iccs_code,
                c.max_penalty,
            )
        console.print(table)

    emit(rows, as_json, render)
