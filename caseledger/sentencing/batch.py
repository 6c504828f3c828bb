"""JSONL batch: one case per input line, one result per output line, bad lines reported.

Owns: :func:`run_batch`. Each line is judged exactly as :func:`engine.compute` judges a case; a
bad line produces ``{"line": N, "id": ..., "error": {...}}`` in its place (so output line N always
answers input line N) and is counted, and the other lines are still computed.

Must never: stop at the first bad line, or drop a line silently. Blank lines are the only lines
skipped, and they are counted as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseledger.errors import CaseledgerError
from caseledger.sentencing.compiled import Library, default_library
from caseledger.sentencing.engine import compute
from caseledger.sentencing.explain import explain

MAX_LISTED = 100


@dataclass
class BatchReport:
    total: int = 0
    ok: int = 0
    rejected: int = 0
    blank: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # the first MAX_LISTED


def _one(line: str, n: int, lib: Library, with_text: bool, report: BatchReport) -> str:
    case: Any = None
    try:
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _bad_json(exc) from None
        out = compute(case, lib)
        if with_text:
            out["explanation"] = explain(out)
        if isinstance(case, dict) and "id" in case:
            out["id"] = case["id"]
        report.ok += 1
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    except CaseledgerError as exc:
        report.rejected += 1
        case_id = case.get("id") if isinstance(case, dict) else None
        err = {"line": n, "id": case_id, "error": exc.to_dict()}
        if len(report.errors) < MAX_LISTED:
            report.errors.append({"line": n, "reason": exc.one_line()})
        return json.dumps(err, ensure_ascii=False, separators=(",", ":"))


def _bad_json(exc: json.JSONDecodeError) -> CaseledgerError:
    from caseledger.errors import InvalidInput

    return InvalidInput(f"not a JSON object: {exc.msg}", field="(line)", column=exc.colno)


def run_batch(
    src: Path, dst: Path, *, lib: Library | None = None, with_text: bool = False
) -> BatchReport:
    """Compute every line of ``src`` into ``dst``; returns the counts and the first errors."""
    lib = lib or default_library()
    report = BatchReport()
    with (
        src.open(encoding="utf-8") as fin,
        dst.open("w", encoding="utf-8", buffering=1 << 20) as fout,
    ):
        buf: list[str] = []
        for n, line in enumerate(fin, start=1):
            report.total += 1
            if not line.strip():
                report.blank += 1
                buf.append("")
                continue
            buf.append(_one(line, n, lib, with_text, report))
            if len(buf) >= 4096:
                fout.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fout.write("\n".join(buf) + "\n")
    return report
