"""The facts and circumstances of each generated defendant's crime, as the sentencing packs need
them.

Owns reading ``sentencing_facts`` and ``sentencing_circumstances`` from ``calibration.yaml``
(checked against the governing pack: every crime, fact, value and circumstance must exist there)
and drawing them, column by column, into the table format of
:func:`caseledger.sentencing.vector.recommend_frame`: one column per fact (null: not a fact of
that row's crime), one Float64 column ``c_<code>`` per circumstance (NaN: present with the
pack's mid-range percentage; null: absent), ``plea_stage``, ``as_of`` and ``jurisdiction``.
:func:`case_input` turns one row back into the per-case input of
``caseledger.sentencing.engine.compute`` (for a plea statement, or to check the vectorised
result); :func:`case_inputs` does it for a whole chunk.

Must never: hold a rate (they are in the YAML), or give a crime facts that do not reach its
lowest tier (each variant names the facts of one tier).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from caseledger.errors import RulePackInvalid
from caseledger.sentencing.compiled import Library
from caseledger.sentencing.packs import Pack
from caseledger.synth.calibration import Calibration
from caseledger.synth.draws import pick

FILE = "calibration.yaml"
NUMBER_KINDS = ("pareto", "uniform", "more")


@dataclass(frozen=True)
class FactKind:
    name: str
    type: str  # number, integer, boolean, enum
    values: tuple[str, ...]  # enum values
    grams: bool  # quantities in grams keep two decimals; other numbers are whole


@dataclass(frozen=True)
class Circ:
    code: str
    plea: float
    non_plea: float
    by_crime: dict[str, float]
    crimes: frozenset[str] | None  # None: every crime the pack allows it for
    unless: tuple[str, ...]
    codefendant: bool
    excluded_crimes: frozenset[str]  # ruled out by the pack (negligent / not negligent)


@dataclass(frozen=True)
class FactPlan:
    """What to draw for each crime, checked against the pack."""

    jurisdiction: str
    pack: str
    crimes: dict[str, tuple[tuple[float, ...], tuple[dict[str, Any], ...]]]  # weights, facts
    kinds: dict[str, FactKind]  # every fact any variant sets
    circumstances: tuple[Circ, ...]


def _bad(message: str, key: str) -> RulePackInvalid:
    return RulePackInvalid(f"calibration invalid: {message}", file=FILE, key=key)


def _check_value(kind: FactKind, spec: Any, key: str) -> None:
    if isinstance(spec, dict):
        if kind.type == "enum":
            choice = spec.get("choice")
            if set(spec) != {"choice"} or not isinstance(choice, dict):
                raise _bad("an enum fact takes a value or {choice: {value: weight}}", key)
            for v in choice:
                if v not in kind.values:
                    raise _bad(f"{v!r} is not a value of {kind.name}", key)
            return
        if kind.type not in ("number", "integer"):
            raise _bad(f"{kind.name} takes a plain value", key)
        if kind.type == "boolean" or not any(k in spec for k in NUMBER_KINDS):
            raise _bad("a number is {pareto: [min, tail]}, {uniform: [lo, hi]} or {more: ..}", key)
        return
    ok = {
        "boolean": isinstance(spec, bool),
        "enum": spec in kind.values,
        "number": isinstance(spec, int | float) and not isinstance(spec, bool),
        "integer": isinstance(spec, int) and not isinstance(spec, bool),
    }[kind.type]
    if not ok:
        raise _bad(f"{spec!r} is not a valid value of {kind.name} ({kind.type})", key)


def _pack(lib: Library, jurisdiction: str) -> Pack:
    for pack in lib.selectable.values():
        if pack.jurisdiction == jurisdiction:
            return pack
    raise _bad(f"no sentencing pack for jurisdiction {jurisdiction!r}", "sentencing_jurisdiction")


def plan(cal: Calibration, lib: Library) -> FactPlan:
    """The checked fact plan; errors name the calibration key."""
    jurisdiction = str(cal.a("sentencing_jurisdiction"))
    pack = _pack(lib, jurisdiction)
    crimes: dict[str, tuple[tuple[float, ...], tuple[dict[str, Any], ...]]] = {}
    kinds: dict[str, FactKind] = {}
    for code, variants in cal.a("sentencing_facts").items():
        key = f"assumptions.sentencing_facts.value.{code}"
        crime = pack.crimes.get(code)
        if crime is None:
            raise _bad(f"crime {code!r} is not in pack {pack.id}", key)
        allowed = set(crime.facts) | {n for n, f in pack.facts.items() if f.general}
        weights, facts = [], []
        for i, v in enumerate(variants):
            for name, spec in v["facts"].items():
                if name not in allowed:
                    raise _bad(f"{name!r} is not a fact of {code}", f"{key}[{i}].{name}")
                d = pack.facts[name]
                kind = FactKind(name, d.type, tuple(d.values or ()), d.unit == "g")
                kinds[name] = kind
                _check_value(kind, spec, f"{key}[{i}].{name}")
            weights.append(float(v["w"]))
            facts.append(dict(v["facts"]))
        crimes[code] = (tuple(weights), tuple(facts))
    circs = []
    for code, c in cal.a("sentencing_circumstances").items():
        key = f"assumptions.sentencing_circumstances.value.{code}"
        known = pack.circumstances.get(code)
        if known is None or known.via_plea_field:
            raise _bad(f"{code!r} is not a general circumstance of pack {pack.id}", key)
        for other in c.get("unless", []):
            if other not in {ci.code for ci in circs}:
                raise _bad(f"unless names {other!r}, which is not listed before {code}", key)
        ruled_out = frozenset(
            name
            for name, crime in pack.crimes.items()
            if (known.not_for_negligent and crime.negligent)
            or (known.only_for_negligent and not crime.negligent)
        )
        circs.append(
            Circ(
                code=code,
                plea=float(c["plea"]),
                non_plea=float(c["non_plea"]),
                by_crime={k: float(v) for k, v in c.get("by_crime", {}).items()},
                crimes=frozenset(c["crimes"]) if "crimes" in c else None,
                unless=tuple(c.get("unless", [])),
                codefendant=bool(c.get("codefendant", False)),
                excluded_crimes=ruled_out,
            )
        )
    return FactPlan(jurisdiction, pack.id, crimes, kinds, tuple(circs))


def _number(rng: np.random.Generator, spec: dict[str, Any], n: int) -> np.ndarray:
    if "pareto" in spec:
        lo, tail = spec["pareto"]
        x = lo * np.exp(tail * rng.standard_exponential(n))
    elif "uniform" in spec:
        lo, hi = spec["uniform"]
        x = lo + np.floor(rng.random(n) * (hi - lo + 1))
    else:
        p, most = spec["more"]
        x = 1.0 + (rng.random((n, int(most) - 1)) < p).sum(axis=1)
    if "max" in spec:
        x = np.minimum(x, spec["max"])
    return x


def _value(rng: np.random.Generator, kind: FactKind, spec: Any, n: int) -> np.ndarray:
    """Values of one fact for ``n`` rows: float64 (numbers), bool, or enum index (int8)."""
    if kind.type == "enum":
        if isinstance(spec, dict):
            choice = spec["choice"]
            return np.array([kind.values.index(v) for v in choice], np.int8)[
                pick(rng, list(choice.values()), n)
            ]
        return np.full(n, kind.values.index(spec), np.int8)
    if kind.type == "boolean":
        return np.full(n, bool(spec))
    if not isinstance(spec, dict):
        return np.full(n, float(spec))
    x = _number(rng, spec, n)
    return np.round(x, 2) if kind.grams else np.floor(x)


def draw(
    rng: np.random.Generator,
    fp: FactPlan,
    *,
    crime_codes: list[str],
    crime: np.ndarray,
    rows: np.ndarray,
    plea_stage: np.ndarray,
    codefendant: np.ndarray,
    as_of: np.ndarray,
) -> pl.DataFrame:
    """The engine's input table for ``rows`` (defendant indices, in order), plus ``row``.

    ``crime``, ``plea_stage`` (-1: no plea, else an index into investigation, prosecution,
    trial), ``codefendant`` and ``as_of`` (days since 1970-01-01) are per defendant of the
    chunk; every row's crime must be in ``fp.crimes``.
    """
    m = rows.size
    c = crime[rows]
    plea = plea_stage[rows] >= 0
    dtypes = {"enum": np.int8, "boolean": np.bool_}
    values = {name: np.zeros(m, dtypes.get(k.type, np.float64)) for name, k in fp.kinds.items()}
    is_set = {name: np.zeros(m, bool) for name in fp.kinds}
    circ_on = {ci.code: np.zeros(m, bool) for ci in fp.circumstances}
    for code, (weights, variants) in fp.crimes.items():
        at = np.flatnonzero(c == crime_codes.index(code))
        if not at.size:
            continue
        variant = pick(rng, weights, at.size)
        for vi, facts in enumerate(variants):
            sub = at[variant == vi]
            for name, spec in facts.items():
                values[name][sub] = _value(rng, fp.kinds[name], spec, sub.size)
                is_set[name][sub] = True
    for ci in fp.circumstances:
        # Per crime of the catalogue: the share with and without a plea (0: not allowed).
        shares = np.zeros((2, len(crime_codes)))
        for k, code in enumerate(crime_codes):
            if (ci.crimes is None or code in ci.crimes) and code not in ci.excluded_crimes:
                shares[:, k] = ci.by_crime.get(code, ci.non_plea), ci.by_crime.get(code, ci.plea)
        p = shares[plea.astype(np.int64), c]
        for other in ci.unless:
            p = np.where(circ_on[other], 0.0, p)
        if ci.codefendant:
            p = np.where(codefendant[rows], p, 0.0)
        circ_on[ci.code] = rng.random(m) < p
    cols: dict[str, pa.Array] = {
        "row": pa.array(rows.astype(np.int64)),
        "crime": pa.array(list(crime_codes), pa.string()).take(pa.array(c.astype(np.int32))),
        "as_of": pa.array(as_of[rows].astype(np.int32), pa.int32()).view(pa.date32()),
        "jurisdiction": pa.array([fp.jurisdiction], pa.string()).take(
            pa.array(np.zeros(m, np.int32))
        ),
    }
    for name, k in fp.kinds.items():
        mask = ~is_set[name]
        if k.type == "enum":
            idx = pa.array(values[name].astype(np.int32), pa.int32(), mask=mask)
            cols[name] = pa.array(list(k.values), pa.string()).take(idx)
        else:
            typ = pa.bool_() if k.type == "boolean" else pa.float64()
            cols[name] = pa.array(values[name], typ, mask=mask)
    nan = np.full(m, np.nan)
    for ci in fp.circumstances:
        cols[f"c_{ci.code}"] = pa.array(nan, pa.float64(), mask=~circ_on[ci.code])
    stages = pa.array(["investigation", "prosecution", "trial"], pa.string())
    st = plea_stage[rows].astype(np.int32)
    cols["plea_stage"] = stages.take(pa.array(st, pa.int32(), mask=st < 0))
    frame = pl.from_arrow(pa.table(cols))
    assert isinstance(frame, pl.DataFrame)
    return frame


CONTROL = frozenset({"row", "crime", "as_of", "jurisdiction", "plea_stage"})


def case_input(row: dict[str, Any]) -> dict[str, Any]:
    """One row of :func:`draw`'s table as the per-case input of ``engine.compute`` (the
    ``sentencing_input`` of a plea statement): crime, ``as_of``, jurisdiction, the facts set,
    the circumstances present (the pack's mid-range percentage) and the plea's stage."""
    as_of = row["as_of"]
    return {
        "crime": row["crime"],
        "as_of": as_of.isoformat() if isinstance(as_of, dt.date) else as_of,
        "jurisdiction": row["jurisdiction"],
        "facts": {
            k: v
            for k, v in row.items()
            if k not in CONTROL and not k.startswith("c_") and v is not None
        },
        "circumstances": [k[2:] for k, v in row.items() if k.startswith("c_") and v is not None],
        "plea": None if row.get("plea_stage") is None else {"stage": row["plea_stage"]},
    }


def case_inputs(inputs: pl.DataFrame | None, n: int) -> list[dict[str, Any] | None]:
    """Per defendant of a chunk (``n``), :func:`case_input` of its row of ``inputs``
    (``Records.sentencing``), or None where the engine did not compute its guideline."""
    out: list[dict[str, Any] | None] = [None] * n
    if inputs is not None:
        for row in inputs.iter_rows(named=True):
            out[row["row"]] = case_input(row)
    return out
