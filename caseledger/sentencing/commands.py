"""``caseledger sentence``: sentencing recommendations from the guideline packs.

Thin: parse options into one case dict, call the engine, print. No legal rule lives here.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from caseledger.clikit import JsonOpt, console, emit, err_console, print_json
from caseledger.errors import InvalidInput
from caseledger.sentencing import engine
from caseledger.sentencing.batch import run_batch
from caseledger.sentencing.compiled import default_library

app = typer.Typer(help="Sentencing recommendations from the published guidelines, explained.")


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _read_case(case: str | None, input_file: Path | None) -> dict[str, Any] | None:
    if case is None and input_file is None:
        return None
    if case is not None:
        text = case
    elif str(input_file) == "-":
        text = sys.stdin.read()
    else:
        text = Path(str(input_file)).read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the case is not valid JSON: {exc.msg}", field="--case") from None
    if not isinstance(raw, dict):
        raise InvalidInput("the case must be a JSON object", field="--case")
    return raw


@app.command("calc")
def calc(
    crime: Annotated[str | None, typer.Option(help="Crime code, e.g. theft.")] = None,
    fact: Annotated[
        list[str] | None, typer.Option("--fact", "-f", help="NAME=VALUE (repeat).")
    ] = None,
    circ: Annotated[
        list[str] | None,
        typer.Option("--circ", "-c", help="CODE or CODE=PCT, signed like the rule (repeat)."),
    ] = None,
    plea: Annotated[
        str | None, typer.Option(help="Plea stage: investigation, prosecution or trial.")
    ] = None,
    plea_pct: Annotated[float | None, typer.Option(help="Chosen plea discount (negative).")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Date of the act, YYYY-MM-DD (default: today).")
    ] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="e.g. CN-FJ.")] = None,
    particularly_serious: Annotated[
        bool,
        typer.Option(
            "--particularly-serious", help="Excluded from plea leniency (Plea2019 para 5)."
        ),
    ] = False,
    override_reason: Annotated[
        str | None, typer.Option(help="Reason for granting leniency anyway.")
    ] = None,
    override_by: Annotated[str | None, typer.Option(help="Who decided the override.")] = None,
    case: Annotated[
        str | None, typer.Option("--case", help="The whole case as JSON (batch format).")
    ] = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", "-i", help="A JSON case file, - for stdin.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Compute one recommendation and explain every step (EN and ZH)."""
    raw = _read_case(case, input_file)
    if raw is None:
        if crime is None:
            raise InvalidInput("give --crime (or --case/--input)", field="crime")
        facts = {}
        for item in fact or []:
            name, sep, value = item.partition("=")
            if not sep:
                raise InvalidInput(f"--fact {item!r}: expected NAME=VALUE", field="--fact")
            facts[name] = _value(value)
        circs: list[dict[str, Any]] = []
        for item in circ or []:
            code, sep, pct = item.partition("=")
            circs.append({"code": code, "pct": _value(pct)} if sep else {"code": code})
        raw = {"crime": crime, "facts": facts, "circumstances": circs,
               "as_of": as_of or dt.date.today().isoformat()}  # fmt: skip
        if jurisdiction:
            raw["jurisdiction"] = jurisdiction
        if plea:
            raw["plea"] = {"stage": plea} if plea_pct is None else {"stage": plea, "pct": plea_pct}
        if particularly_serious:
            raw["particularly_serious"] = True
        if override_reason or override_by:
            raw["leniency_override"] = {"reason": override_reason or "", "by": override_by or ""}
    rec = engine.recommend(raw)
    emit(rec, as_json, _render)


def _render(rec: Any) -> None:
    table = Table(
        title=f"{rec.crime_name.en} {rec.crime_name.zh} — tier {rec.tier.id}", show_lines=False
    )
    for col in ("step", "pct", "months", "citation", "conf"):
        table.add_column(col)
    for s in rec.steps:
        before = "" if s.months_before is None else f"{s.months_before:g} → "
        table.add_row(s.en, "" if s.pct is None else f"{s.pct:+g} %", f"{before}{s.months_after:g}",
                      s.citation, s.confidence)  # fmt: skip
    console.print(table)
    assert rec.explanation is not None
    console.print(rec.explanation.en, highlight=False)
    console.print()
    console.print(rec.explanation.zh, highlight=False)


@app.command("batch")
def batch(
    src: Annotated[
        Path, typer.Argument(help="Input JSONL, one case per line.", exists=True, dir_okay=False)
    ],
    dst: Annotated[Path, typer.Argument(help="Output JSONL, one result (or error) per line.")],
    explain: Annotated[
        bool, typer.Option("--explain", help="Add the EN/ZH explanation to each result.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Compute a JSONL file of cases; bad lines are reported and the rest still computed."""
    report = run_batch(src, dst, with_text=explain)
    summary = {
        "total": report.total,
        "ok": report.ok,
        "rejected": report.rejected,
        "blank": report.blank,
        "errors": report.errors,
    }
    if as_json:
        print_json(summary)
    else:
        console.print(f"{report.ok} of {report.total} lines computed into {dst}")
    for e in report.errors[:20]:
        err_console.print(f"line {e['line']}: {e['reason']}", highlight=False, soft_wrap=True)
    if report.rejected > 20:
        err_console.print(f"... and {report.rejected - 20} more (see the error lines in {dst})")
    if report.rejected:
        raise InvalidInput(
            f"{report.rejected} of {report.total} lines rejected",
            rejected=report.rejected,
            total=report.total,
        )


@app.command("crimes")
def crimes(
    as_of: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="e.g. CN-FJ.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Crimes with guidelines on a date: tiers, starting points, facts."""
    on = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    view = default_library().select(jurisdiction, on)
    rows = [
        {"crime": c.code, "en": c.en, "zh": c.zh, "article": c.article, "facts": sorted(c.facts),
         "tiers": [{"id": t.id, "statutory_months": [t.stat_lo, t.stat_hi],
                    "starting_point_months": [t.start_lo, t.start_hi], "source": t.start_cite.src,
                    "confidence": t.start_cite.conf} for t in c.tiers]}
        for c in view.crimes.values()
    ]  # fmt: skip

    def render(_: Any) -> None:
        table = Table(title=f"{view.pack} ({view.jurisdiction}) as of {on}")
        for col in ("crime", "name", "article", "tiers (starting point, months)"):
            table.add_column(col)
        for r in rows:
            tiers = "; ".join(
                "{} {:g}-{:g}".format(t["id"], *t["starting_point_months"]) for t in r["tiers"]
            )
            table.add_row(r["crime"], f"{r['en']} {r['zh']}", r["article"], tiers)
        console.print(table)

    emit(rows, as_json, render)


@app.command("packs")
def packs(as_json: JsonOpt = False) -> None:
    """Installed guideline packs: jurisdiction, validity, what each extends."""
    lib = default_library()
    rows = [
        {"pack": p.id, "title": p.title, "jurisdiction": p.jurisdiction, "abstract": p.abstract,
         "valid_from": p.valid_from.isoformat(), "valid_to": p.valid_to and p.valid_to.isoformat(),
         "lineage": p.lineage, "files": p.files}
        for p in lib.packs.values()
    ]  # fmt: skip

    def render(_: Any) -> None:
        table = Table()
        for col in ("pack", "jurisdiction", "valid", "extends", "title"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["pack"],
                r["jurisdiction"] + (" (abstract)" if r["abstract"] else ""),
                f"{r['valid_from']} – {r['valid_to'] or 'open'}",
                " > ".join(r["lineage"][:-1]) or "—",
                r["title"],
            )
        console.print(table)

    emit(rows, as_json, render)
