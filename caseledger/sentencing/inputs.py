"""Checking one case's input against the governing pack, before any arithmetic.

Owns: every "bad input" error of the engine: unknown crime, fact or circumstance codes (with the
allowed values), facts of the wrong type or unit, percentages outside the legal range or with the
wrong sign, a crime not in force on ``as_of``, contradictory circumstances, a leniency override
without reason or author. Returns plain tuples so the engine and the batch path stay fast.

Must never: compute a sentence, or silently repair an input (a wrong value is an error, not a
default). The only defaults are the ones the pack declares (fact defaults, mid-range percentages
and the plea ladder).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseledger.errors import InvalidInput, SafeguardViolation, UnknownCode
from caseledger.sentencing.compiled import CCirc, CCrime, Library, View

_NUM = (int, float)


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(
        f"as_of must be a date YYYY-MM-DD, got {value!r}", field="as_of", allowed="YYYY-MM-DD"
    )


def pick_view(lib: Library, raw: dict[str, Any]) -> tuple[View, CCrime, dt.date]:
    if "as_of" not in raw:
        raise InvalidInput("as_of is required", field="as_of", allowed="YYYY-MM-DD")
    on = as_date(raw["as_of"])
    jurisdiction = raw.get("jurisdiction")
    if jurisdiction is not None and not isinstance(jurisdiction, str):
        raise InvalidInput("jurisdiction must be a string", field="jurisdiction")
    view = lib.select(jurisdiction, on)
    code = raw.get("crime")
    crime = view.crimes.get(code) if isinstance(code, str) else None
    if crime is None:
        if code in view.absent_crimes:
            raise InvalidInput(
                f"crime {code!r} has no guideline in {view.pack} as of {on} "
                f"({view.absent_crimes[code]})",
                field="crime",
                allowed=", ".join(sorted(view.crimes)),
            )
        raise UnknownCode(
            f"unknown crime {code!r}", field="crime", allowed=", ".join(sorted(view.crimes))
        )
    return view, crime, on


def check_facts(crime: CCrime, given: Any) -> dict[str, Any]:
    """The crime's facts with the pack's defaults filled in; errors name the fact."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise InvalidInput("facts must be an object", field="facts")
    defs = crime.facts
    out: dict[str, Any] = {}
    for name, value in given.items():
        d = defs.get(name)
        if d is None:
            raise UnknownCode(
                f"unknown fact {name!r} for {crime.code}",
                field=f"facts.{name}",
                allowed=", ".join(sorted(defs)) or "(none)",
            )
        kind = d.type
        if kind == "boolean":
            ok = isinstance(value, bool)
            expected = "true or false"
        elif kind == "enum":
            ok = value in d.values  # type: ignore[operator]
            expected = ", ".join(d.values or [])
        else:
            ok = isinstance(value, _NUM) and not isinstance(value, bool)
            if kind == "integer" and ok and not float(value).is_integer():
                ok = False
            unit = f" in {d.unit}" if d.unit else ""
            expected = f"{'a whole number' if kind == 'integer' else 'a number'}{unit}"
            if ok and d.min is not None and value < d.min:
                raise InvalidInput(
                    f"fact {name} = {value!r} is below its minimum {d.min:g}",
                    field=f"facts.{name}",
                    allowed=f"≥ {d.min:g}{unit}",
                )
        if not ok:
            raise InvalidInput(
                f"fact {name} has the wrong type or unit: {value!r}",
                field=f"facts.{name}",
                allowed=expected,
            )
        out[name] = value
    for name in crime.required:
        if name not in out:
            raise InvalidInput(f"fact {name} is required for {crime.code}", field=f"facts.{name}")
    for name, d in defs.items():
        if name not in out:
            out[name] = d.default
    return out


def _allowed(c: CCirc, minor_crime: bool) -> tuple[float, float]:
    hi = c.minor_crime_hi if minor_crime and c.minor_crime_hi is not None else c.hi
    return (c.lo, hi)


def _signed_range(c: CCirc, lo: float, hi: float) -> str:
    return f"{-hi:g}..{-lo:g}" if c.sign < 0 else f"{lo:g}..{hi:g}"


def check_circumstances(
    crime: CCrime, given: Any, minor_crime: bool
) -> list[tuple[CCirc, float, str | None]]:
    """(circumstance, signed pct, code as given) in the pack's order."""
    if given is None:
        given = []
    if not isinstance(given, list):
        raise InvalidInput("circumstances must be a list", field="circumstances")
    table = crime.circumstances
    seen: dict[str, tuple[CCirc, float, str | None]] = {}
    for i, item in enumerate(given):
        where = f"circumstances[{i}]"
        if isinstance(item, str):
            item = {"code": item}
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise InvalidInput("each circumstance needs a code", field=f"{where}.code")
        extra = set(item) - {"code", "pct"}
        if extra:
            raise InvalidInput(
                f"unknown key(s) {sorted(extra)} in a circumstance",
                field=where,
                allowed="code, pct",
            )
        given_code = item["code"]
        code = crime.aliases.get(given_code, given_code)
        c = table.get(code)
        if c is None:
            raise UnknownCode(
                f"unknown circumstance {given_code!r} for {crime.code}",
                field=f"{where}.code",
                allowed=", ".join(sorted([*table, *crime.aliases])),
            )
        if c.via_plea:
            raise InvalidInput(
                "give the plea as the input's 'plea' (with its stage), not as a circumstance",
                field=f"{where}.code",
            )
        if c.not_for_negligent and crime.negligent:
            raise InvalidInput(
                f"{code} does not apply to a negligent crime ({crime.code})",
                field=f"{where}.code",
            )
        if c.only_for_negligent and not crime.negligent:
            raise InvalidInput(f"{code} applies only to negligent crimes", field=f"{where}.code")
        if code in seen:
            raise InvalidInput(f"circumstance {code} given twice", field=f"{where}.code")
        lo, hi = _allowed(c, minor_crime)
        pct = item.get("pct")
        if pct is None:
            signed = c.sign * ((c.lo + c.hi) / 2)
        else:
            if not isinstance(pct, _NUM) or isinstance(pct, bool):
                raise InvalidInput(
                    f"pct of {code} must be a number",
                    field=f"{where}.pct",
                    allowed=_signed_range(c, lo, hi),
                )
            magnitude = pct * c.sign
            if magnitude < lo or magnitude > hi or (pct != 0 and (pct > 0) != (c.sign > 0)):
                rule = "mitigating is negative" if c.sign < 0 else "aggravating is positive"
                raise InvalidInput(
                    f"pct {pct:g} of {code} is outside its legal range (signed like the rule: "
                    f"{rule})",
                    field=f"{where}.pct",
                    allowed=_signed_range(c, lo, hi),
                )
            signed = float(pct)
        seen[code] = (c, signed, given_code if given_code != code else None)
    for code, (c, _, _) in seen.items():
        clash = [x for x in c.incompatible_with if x in seen]
        if clash:
            raise InvalidInput(
                f"{code} cannot be combined with {', '.join(clash)} ({c.cite.note or c.cite.src})",
                field="circumstances",
            )
    return sorted(seen.values(), key=lambda t: t[0].order)


def check_plea(
    view: View, crime: CCrime, raw: dict[str, Any]
) -> tuple[str | None, float, bool, dict[str, str] | None]:
    """(stage, signed pct, excluded, override) for the plea; stage None if there is no plea."""
    plea = raw.get("plea")
    serious = raw.get("particularly_serious", False)
    if not isinstance(serious, bool):
        raise InvalidInput(
            "particularly_serious must be true or false", field="particularly_serious"
        )
    override = raw.get("leniency_override")
    if override is not None:
        if not serious:
            raise InvalidInput(
                "leniency_override is only for cases marked particularly_serious",
                field="leniency_override",
            )
        if not isinstance(override, dict):
            raise InvalidInput("leniency_override must be {reason, by}", field="leniency_override")
        reason = override.get("reason")
        by = override.get("by")
        if not (isinstance(reason, str) and reason.strip() and isinstance(by, str) and by.strip()):
            raise SafeguardViolation(
                "a leniency override in a particularly serious case needs a reason and who "
                "decided it (Plea2019 para 5)",
                field="leniency_override",
                allowed="{reason: non-empty text, by: who decided}",
            )
        override = {"reason": reason.strip(), "by": by.strip()}
    if plea is None:
        return None, 0.0, False, override
    if not isinstance(plea, dict):
        raise InvalidInput("plea must be {stage, pct?} or null", field="plea")
    extra = set(plea) - {"stage", "pct"}
    if extra:
        raise InvalidInput(
            f"unknown key(s) {sorted(extra)} in plea", field="plea", allowed="stage, pct"
        )
    stage = plea.get("stage")
    if stage not in view.ladder:
        raise InvalidInput(
            f"unknown plea stage {stage!r}", field="plea.stage", allowed=", ".join(view.ladder)
        )
    cap = view.ladder[stage]
    pct = plea.get("pct")
    if pct is None:
        signed = -cap
    else:
        if not isinstance(pct, _NUM) or isinstance(pct, bool) or not -cap <= pct <= 0:
            raise InvalidInput(
                f"plea pct {pct!r} is outside the {stage} stage's range",
                field="plea.pct",
                allowed=f"{-cap:g}..0",
            )
        signed = float(pct)
    excluded = serious and override is None
    return stage, signed, excluded, override
