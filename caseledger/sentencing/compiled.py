"""Packs compiled for fast evaluation, and the library that picks one by jurisdiction and date.

Owns: flattening a validated :class:`~caseledger.sentencing.packs.Pack` into plain, frozen
lookup structures *as of* a date (items outside their validity dates are left out), caching one
compiled view per (pack, period), and :meth:`Library.select`, the only place that decides which
pack governs a case.

Must never: change a figure. Compilation copies numbers from the pack; it only resolves threshold
references (``@large``) to the pack's values and orders circumstances as the pack lists them.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from caseledger.errors import InvalidInput
from caseledger.sentencing import conditions
from caseledger.sentencing.packs import Pack, _threshold_value, load_all
from caseledger.sentencing.packschema import Circumstance, Crime, FactDef, Sourced

PROVENANCE = {
    "statute": "statute",
    "national_guideline": "national",
    "judicial_interpretation": "judicial_interpretation",
    "national_rule": "national",
    "provincial_rule": "provincial",
    "local_practice": "local_practice",
    "assumption": "assumed",
}


@dataclass(frozen=True, slots=True)
class Cite:
    """Where a figure comes from: ``src`` (document + item), confidence and provenance."""

    src: str
    conf: str
    provenance: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CCirc:
    code: str
    en: str
    zh: str
    sign: int  # -1 mitigating, +1 aggravating
    lo: float
    hi: float
    minor_crime_hi: float | None
    tier: int
    modal: str
    reduction: bool
    reduction_src: str | None
    min_months: float | None
    excluded_by: tuple[str, ...]
    incompatible_with: tuple[str, ...]
    not_for_negligent: bool
    only_for_negligent: bool
    via_plea: bool
    order: int
    cite: Cite


@dataclass(frozen=True, slots=True)
class CIncrement:
    id: str
    fact: str
    over: float
    over_ref: str | None
    per: float
    inv: float  # 1 / per, see engine.PCT
    months: float
    cite: Cite


@dataclass(frozen=True, slots=True)
class CTier:
    id: str
    level: int
    en: str
    zh: str
    penalties: tuple[str, ...]
    stat_lo: float
    stat_hi: float
    stat_cite: Cite
    start_lo: float
    start_hi: float
    start_cite: Cite
    node: conditions.Node
    test: Any  # facts -> bool
    increments: tuple[CIncrement, ...]
    floor_if_reduced: float  # CL 63: the next lower tier's minimum, or the frame's floor
    reduced_penalties: tuple[str, ...]  # penalties open once reduced into the lower tier


@dataclass(frozen=True, slots=True)
class CFine:
    min_yuan: float
    fact: str
    factor: float
    fallback_max_yuan: float
    cite: Cite


@dataclass(frozen=True, slots=True)
class CCrime:
    code: str
    en: str
    zh: str
    article: str
    negligent: bool
    probation_strict: bool
    facts: dict[str, FactDef]
    required: tuple[str, ...]
    tiers: tuple[CTier, ...]
    circumstances: dict[str, CCirc]  # general + crime-specific, valid as of the view
    aliases: dict[str, str]
    fine: CFine | None
    thresholds: dict[str, tuple[float, Cite]]
    cite: Cite


@dataclass(frozen=True, slots=True)
class View:
    """One pack as of one period: everything the engine reads, precomputed."""

    pack: str
    title: str
    jurisdiction: str
    lineage: tuple[str, ...]
    period: tuple[dt.date, dt.date | None]
    crimes: dict[str, CCrime]
    absent_crimes: dict[str, str]  # code -> why it is not in force on this date
    frame: dict[str, tuple[float, float, Cite]]
    probation: Any
    probation_cite: Cite
    margin_pct: float
    margin_lo: float  # 1 - margin
    margin_hi: float  # 1 + margin
    margin_cite: Cite
    tier1_multiply: bool
    tier1_cite: Cite
    rounding_cite: Cite
    pick_min: bool
    pick_cite: Cite
    widths: tuple[tuple[float | None, int], ...]
    widths_cite: Cite
    ladder: dict[str, float]
    ladder_cite: Cite
    group_members: frozenset[str]
    group_plus: frozenset[str]
    group_cap: float
    group_plus_cap: float
    group_minor_cap: float
    group_cite: Cite
    documents: dict[str, Any]


def _valid(item: Any, on: dt.date) -> bool:
    start = getattr(item, "valid_from", None)
    end = getattr(item, "valid_to", None)
    return (start is None or start <= on) and (end is None or on <= end)


def _breakpoints(pack: Pack) -> list[dt.date]:
    dates: set[dt.date] = set()

    def visit(item: Any) -> None:
        for name in ("valid_from",):
            if getattr(item, name, None):
                dates.add(item.valid_from)
        if getattr(item, "valid_to", None):
            dates.add(item.valid_to + dt.timedelta(days=1))

    for crime in pack.crimes.values():
        visit(crime)
        for tier in crime.tiers:
            visit(tier)
            visit(tier.statutory)
            if tier.start:
                visit(tier.start)
            for inc in tier.increments:
                visit(inc)
        for circ in crime.circumstances.values():
            visit(circ)
    for circ in pack.circumstances.values():
        visit(circ)
    return sorted(dates)


class Compiler:
    def __init__(self, pack: Pack) -> None:
        self.pack = pack

    def cite(self, item: Sourced) -> Cite:
        kind = self.pack.documents[item.doc].kind
        return Cite(item.src, item.conf, PROVENANCE[kind], item.note)

    def circ(self, code: str, c: Circumstance, order: int) -> CCirc:
        return CCirc(
            code=code,
            en=c.en,
            zh=c.zh,
            sign=-1 if c.dir == "mitigating" else 1,
            lo=float(c.min_pct or 0),
            hi=float(c.max_pct or 0),
            minor_crime_hi=c.minor_crime_max_pct,
            tier=c.tier,
            modal=c.modal,
            reduction=c.reduction,
            reduction_src=c.reduction_src,
            min_months=c.min_months,
            excluded_by=tuple(c.excluded_by),
            incompatible_with=tuple(c.incompatible_with),
            not_for_negligent=c.not_for_negligent,
            only_for_negligent=c.only_for_negligent,
            via_plea=c.via_plea_field,
            order=order,
            cite=self.cite(c),
        )

    def crime(self, code: str, c: Crime, on: dt.date, general: dict[str, CCirc]) -> CCrime:
        p = self.pack
        facts = {n: p.facts[n] for n in c.facts}
        facts.update({n: f for n, f in p.facts.items() if f.general})
        thresholds = {
            n: (float(v), self.cite(t))
            for n, t in c.thresholds.items()
            if (v := _threshold_value(t)) is not None
        }
        values = {n: v for n, (v, _) in thresholds.items()}
        tiers = [t for t in c.tiers if _valid(t, on)]
        frame_floor = {"surveillance": 0.0, "detention": p.penalty_frame["detention"].months[0]}
        compiled = []
        for tier in tiers:
            assert tier.start is not None
            lower = [t for t in tiers if t.level == tier.level - 1]
            if lower:
                floor = float(lower[0].statutory.months[0])
                reduced_penalties = tuple(lower[0].penalties)
            else:
                imp_floor = p.penalty_frame["imprisonment"].months[0]
                floor = float(min(frame_floor.get(x, imp_floor) for x in tier.penalties))
                reduced_penalties = tuple(tier.penalties)
            node = conditions.parse(tier.when, set(facts), values)
            incs = tuple(
                CIncrement(
                    id=i.id,
                    fact=i.fact,
                    over=float(values[i.over[1:]]) if isinstance(i.over, str) else float(i.over),
                    over_ref=i.over[1:] if isinstance(i.over, str) else None,
                    per=float(i.per),
                    inv=1 / float(i.per),
                    months=float(i.months),
                    cite=self.cite(i),
                )
                for i in tier.increments
                if _valid(i, on)
            )
            compiled.append(
                CTier(
                    id=tier.id,
                    level=tier.level,
                    en=tier.en,
                    zh=tier.zh,
                    penalties=tuple(tier.penalties),
                    stat_lo=float(tier.statutory.months[0]),
                    stat_hi=float(tier.statutory.months[1]),
                    stat_cite=self.cite(tier.statutory),
                    start_lo=float(tier.start.months[0]),
                    start_hi=float(tier.start.months[1]),
                    start_cite=self.cite(tier.start),
                    node=node,
                    test=conditions.predicate(node),
                    increments=incs,
                    floor_if_reduced=floor,
                    reduced_penalties=reduced_penalties,
                )
            )
        circs = dict(general)
        n = len(general)
        for i, (ccode, circ) in enumerate(c.circumstances.items()):
            if _valid(circ, on):
                circs[ccode] = self.circ(ccode, circ, n + i)
        aliases: dict[str, str] = {}
        for ccode, circ in {**p.circumstances, **c.circumstances}.items():
            for alias in circ.aliases:
                target = circ.alias_negligent if c.negligent and circ.alias_negligent else ccode
                aliases[alias] = target
        fine = None
        if c.fine is not None:
            f = c.fine
            fine = CFine(f.min_yuan, f.fact, f.factor, f.fallback_max_yuan, self.cite(f))
        return CCrime(
            code=code,
            en=c.en,
            zh=c.zh,
            article=c.article,
            negligent=c.negligent,
            probation_strict=c.probation_strict,
            facts=facts,
            required=tuple(c.required_facts),
            tiers=tuple(compiled),
            circumstances=circs,
            aliases=aliases,
            fine=fine,
            thresholds=thresholds,
            cite=self.cite(c),
        )

    def view(self, on: dt.date, period: tuple[dt.date, dt.date | None]) -> View:
        p = self.pack
        pol = p.policy
        general = {
            code: self.circ(code, c, i)
            for i, (code, c) in enumerate(p.circumstances.items())
            if _valid(c, on)
        }
        crimes, absent = {}, {}
        for code, crime in p.crimes.items():
            if _valid(crime, on):
                crimes[code] = self.crime(code, crime, on, general)
            else:
                absent[code] = (
                    f"in force from {crime.valid_from}"
                    if crime.valid_from and on < crime.valid_from
                    else f"in force until {crime.valid_to}"
                )
        group = pol["plea_group"]
        assert p.probation is not None
        return View(
            pack=p.id,
            title=p.title,
            jurisdiction=p.jurisdiction,
            lineage=tuple(p.lineage),
            period=period,
            crimes=crimes,
            absent_crimes=absent,
            frame={
                k: (float(v.months[0]), float(v.months[1]), self.cite(v))
                for k, v in p.penalty_frame.items()
            },
            probation=p.probation,
            probation_cite=self.cite(p.probation),
            margin_pct=float(pol["judicial_margin_pct"].value),
            margin_lo=1 - float(pol["judicial_margin_pct"].value) / 100,
            margin_hi=1 + float(pol["judicial_margin_pct"].value) / 100,
            margin_cite=self.cite(pol["judicial_margin_pct"]),
            tier1_multiply=pol["tier1_combination"].value == "multiply",
            tier1_cite=self.cite(pol["tier1_combination"]),
            rounding_cite=self.cite(pol["rounding"]),
            pick_min=pol["starting_point_pick"].value == "min",
            pick_cite=self.cite(pol["starting_point_pick"]),
            widths=tuple(
                (b["below_months"], int(b["width_months"])) for b in pol["range_widths"].value
            ),
            widths_cite=self.cite(pol["range_widths"]),
            ladder={k: float(v) for k, v in pol["plea_ladder"].value.items()},
            ladder_cite=self.cite(pol["plea_ladder"]),
            group_members=frozenset(group.members),
            group_plus=frozenset(group.plus_members),
            group_cap=float(group.cap_pct),
            group_plus_cap=float(group.plus_cap_pct),
            group_minor_cap=float(group.minor_crime_cap_pct),
            group_cite=self.cite(group),
            documents=dict(p.documents),
        )


class Library:
    """All packs found in some folders; selects and caches compiled views."""

    def __init__(self, dirs: list[Path] | None = None) -> None:
        self.packs = load_all(dirs)
        self.selectable = {pid: p for pid, p in self.packs.items() if not p.abstract}
        self._points = {pid: _breakpoints(p) for pid, p in self.selectable.items()}
        self._views: dict[tuple[str, int], View] = {}
        self.select = lru_cache(maxsize=4096)(self._select)

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({p.jurisdiction for p in self.selectable.values()})

    def view(self, pack_id: str, on: dt.date) -> View:
        points = self._points[pack_id]
        idx = bisect.bisect_right(points, on)
        key = (pack_id, idx)
        view = self._views.get(key)
        if view is None:
            pack = self.selectable[pack_id]
            start = points[idx - 1] if idx else pack.valid_from
            end = points[idx] - dt.timedelta(days=1) if idx < len(points) else pack.valid_to
            view = Compiler(pack).view(on, (max(start, pack.valid_from), end))
            self._views[key] = view
        return view

    def _select(self, jurisdiction: str | None, as_of: dt.date) -> View:
        """The view governing a case; errors name the field and what is allowed."""
        if jurisdiction is None:
            if len(self.jurisdictions) != 1:
                raise InvalidInput(
                    "jurisdiction is required: several provincial packs are installed",
                    field="jurisdiction",
                    allowed=", ".join(self.jurisdictions),
                )
            jurisdiction = self.jurisdictions[0]
        candidates = [p for p in self.selectable.values() if p.jurisdiction == jurisdiction]
        if not candidates:
            raise InvalidInput(
                f"no guideline pack for jurisdiction {jurisdiction!r}",
                field="jurisdiction",
                allowed=", ".join(self.jurisdictions),
            )
        for pack in candidates:
            if pack.valid_from <= as_of and (pack.valid_to is None or as_of <= pack.valid_to):
                return self.view(pack.id, as_of)
        covered = "; ".join(f"{p.id}: {p.valid_from} to {p.valid_to or 'open'}" for p in candidates)
        raise InvalidInput(
            f"no guideline pack covers as_of {as_of} in {jurisdiction}",
            field="as_of",
            allowed=covered,
        )


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The shipped packs, loaded once per process."""
    return Library()
