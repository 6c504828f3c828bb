"""Loading guideline packs: parse, validate against the schema, resolve ``extends``, cross-check.

Owns: turning ``guidelines/*.yaml`` into validated :class:`Pack` objects (a file merged over the
packs it extends), and every error a pack author can make, reported as
:class:`~caseledger.errors.RulePackInvalid` naming the file, the key and what is wrong.

Must never: invent or default a legal figure. A province may only narrow or fill in what the
national pack leaves open: a threshold inside the national range, a starting point inside the
national one, a percentage range inside the national one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from caseledger.errors import RulePackInvalid
from caseledger.sentencing import conditions
from caseledger.sentencing.packschema import (
    Circumstance,
    Crime,
    Document,
    FactDef,
    PackFile,
    PenaltyFrame,
    Policy,
    Probation,
    Sourced,
    Tier,
)

GUIDELINES = Path(__file__).parent / "guidelines"
POLICY_FIELDS = tuple(Policy.model_fields)


@dataclass
class Pack:
    """A pack after ``extends`` is resolved: everything the engine needs, validated."""

    id: str
    title: str
    jurisdiction: str
    abstract: bool
    valid_from: dt.date
    valid_to: dt.date | None
    files: list[str]
    documents: dict[str, Document]
    penalty_frame: dict[str, PenaltyFrame]
    probation: Probation | None
    policy: dict[str, Any]
    facts: dict[str, FactDef]
    circumstances: dict[str, Circumstance]
    crimes: dict[str, Crime]
    lineage: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # merged key -> key in the last file


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that refuses duplicate keys (PyYAML silently keeps the last one).

    libyaml's parser where PyYAML has it (about five times faster; the packs are read at every
    start of ``synth`` and of the engine), with the same safe constructors."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if not str(p).startswith("function-after"))


def read_file(path: Path) -> PackFile:
    """Parse and schema-check one file; errors name the file, the key and the problem."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RulePackInvalid(
            f"{path.name}: not valid YAML ({getattr(exc, 'problem', exc)})",
            file=path.name,
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(raw, dict):
        raise RulePackInvalid(f"{path.name}: a pack must be a mapping", file=path.name)
    try:
        return PackFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = _where(first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = "unknown key"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RulePackInvalid(
            f"{path.name}: {key}: {msg}{more}", file=path.name, key=key, problem=msg
        ) from None


class _Checker:
    """Cross-field checks on a merged pack; ``fail`` names file and key."""

    def __init__(self, pack: Pack, file: str) -> None:
        self.pack = pack
        self.file = file

    def fail(self, key: str, problem: str, **context: Any) -> None:
        for merged, original in self.pack.origins.items():
            if key == merged or key.startswith(merged + "."):
                key = original + key[len(merged) :]
                break
        raise RulePackInvalid(
            f"{self.file}: {key}: {problem}", file=self.file, key=key, problem=problem, **context
        )

    def source(self, key: str, item: Sourced | None) -> None:
        if item is None:
            return
        doc = self.pack.documents.get(item.doc)
        if doc is None:
            self.fail(
                f"{key}.src",
                f"unknown document {item.doc!r}",
                allowed=", ".join(sorted(self.pack.documents)),
            )
        elif doc.kind == "assumption" and not item.note:
            self.fail(f"{key}.note", "an assumed figure must give its reasoning in 'note'")

    def check(self) -> None:
        p = self.pack
        for code, frame in p.penalty_frame.items():
            self.source(f"penalty_frame.{code}", frame)
        self.source("probation", p.probation)
        for name in POLICY_FIELDS:
            self.source(f"policy.{name}", p.policy.get(name))
        known = set(p.circumstances)
        self._policy_refs(known)
        aliases: dict[str, str] = {}
        for code, circ in p.circumstances.items():
            self._circumstance(f"circumstances.{code}", circ, known, aliases)
        for code, crime in p.crimes.items():
            self._crime(code, crime, known, aliases)

    def _policy_refs(self, known: set[str]) -> None:
        p = self.pack
        group = p.policy.get("plea_group")
        if group is not None:
            for m in [*group.members, *group.plus_members]:
                if m not in known:
                    self.fail("policy.plea_group", f"unknown circumstance {m!r}")
        if p.probation is not None:
            for m in [*p.probation.excluded_circumstances, *p.probation.mandatory_circumstances]:
                if m not in known:
                    self.fail("probation", f"unknown circumstance {m!r}")
            for f in [*p.probation.excluded_facts, *p.probation.mandatory_facts]:
                if f not in p.facts:
                    self.fail("probation", f"unknown fact {f!r}")
        ladder = p.policy.get("plea_ladder")
        plea = p.circumstances.get("plea")
        if ladder is not None:
            value = ladder.value
            stages = {"investigation", "prosecution", "trial"}
            if not isinstance(value, dict) or set(value) != stages:
                self.fail("policy.plea_ladder.value", f"needs exactly the stages {sorted(stages)}")
            cap = plea.max_pct if plea and plea.max_pct is not None else 100
            for stage, pct in value.items():
                if not isinstance(pct, int | float) or not 0 <= pct <= cap:
                    self.fail(
                        f"policy.plea_ladder.value.{stage}",
                        f"{pct} is outside the national cap for the plea alone (0-{cap:g} %)",
                        expected=f"0..{cap:g}",
                    )
        choices = {
            "tier1_combination": {"multiply", "sum"},
            "rounding": {"half_up"},
            "starting_point_pick": {"min", "mid"},
        }
        for name, allowed in choices.items():
            setting = p.policy.get(name)
            if setting is not None and setting.value not in allowed:
                self.fail(
                    f"policy.{name}.value",
                    f"{setting.value!r} is not one of {sorted(allowed)}",
                    allowed=", ".join(sorted(allowed)),
                )
        margin = p.policy.get("judicial_margin_pct")
        if margin is not None and not (
            isinstance(margin.value, int | float) and 0 <= margin.value <= 100
        ):
            self.fail("policy.judicial_margin_pct.value", "must be a percentage 0-100")
        widths = p.policy.get("range_widths")
        if widths is not None:
            from caseledger.sentencing.packschema import RangeWidth

            try:
                bands = [RangeWidth.model_validate(b) for b in widths.value]
            except (ValidationError, TypeError):
                self.fail("policy.range_widths.value", "a list of {below_months, width_months}")
            if not bands or bands[-1].below_months is not None:
                self.fail("policy.range_widths.value", "the last band needs below_months: null")

    def _circumstance(
        self, key: str, circ: Circumstance, known: set[str], aliases: dict[str, str]
    ) -> None:
        self.source(key, circ)
        if circ.reduction_src and circ.reduction_src.split(" ", 1)[0] not in self.pack.documents:
            self.fail(f"{key}.reduction_src", "unknown document")
        for ref in [*circ.excluded_by, *circ.incompatible_with]:
            if ref not in known:
                self.fail(key, f"refers to unknown circumstance {ref!r}")
        if circ.alias_negligent and circ.alias_negligent not in known:
            self.fail(f"{key}.alias_negligent", f"unknown circumstance {circ.alias_negligent!r}")
        code = key.rsplit(".", 1)[1]
        for alias in circ.aliases:
            if alias in known or alias in aliases:
                self.fail(f"{key}.aliases", f"alias {alias!r} is already a code or an alias")
            aliases[alias] = code

    def _crime(self, code: str, crime: Crime, known: set[str], aliases: dict[str, str]) -> None:
        key = f"crimes.{code}"
        self.source(key, crime)
        self.source(f"{key}.fine", crime.fine)
        facts = set(crime.facts) | {n for n, f in self.pack.facts.items() if f.general}
        for name in [*crime.facts, *crime.required_facts]:
            if name not in self.pack.facts:
                self.fail(
                    f"{key}.facts", f"unknown fact {name!r}", allowed=", ".join(self.pack.facts)
                )
        if crime.fine and crime.fine.fact not in facts:
            self.fail(f"{key}.fine.fact", f"{crime.fine.fact!r} is not a fact of the crime")
        for name, th in crime.thresholds.items():
            self.source(f"{key}.thresholds.{name}", th)
            if th.range and th.range[0] > th.range[1]:
                self.fail(f"{key}.thresholds.{name}.range", "reversed")
            if th.range and th.value is not None and not th.range[0] <= th.value <= th.range[1]:
                self.fail(
                    f"{key}.thresholds.{name}.value",
                    f"{th.value:g} is outside the national range {th.range[0]:g}-{th.range[1]:g}",
                    expected=f"{th.range[0]:g}..{th.range[1]:g}",
                )
        values = {n: _threshold_value(t) for n, t in crime.thresholds.items()}
        ids = set()
        for i, tier in enumerate(crime.tiers):
            tkey = f"{key}.tiers.{tier.id}"
            if tier.id in ids:
                self.fail(tkey, "duplicate tier id")
            ids.add(tier.id)
            self._tier(tkey, tier, facts, values, i)
        for ccode, circ in crime.circumstances.items():
            if ccode in known or ccode in aliases:
                self.fail(f"{key}.circumstances.{ccode}", "clashes with a general circumstance")
            self._circumstance(f"{key}.circumstances.{ccode}", circ, known | {ccode}, aliases)

    def _tier(self, key: str, tier: Tier, facts: set[str], values: dict[str, Any], i: int) -> None:
        self.source(f"{key}.statutory", tier.statutory)
        self.source(f"{key}.start", tier.start)
        for p in tier.penalties:
            if p not in self.pack.penalty_frame:
                self.fail(f"{key}.penalties", f"no penalty_frame for {p!r}")
        if tier.start is not None:
            lo, hi = tier.statutory.months
            if not (lo <= tier.start.months[0] and tier.start.months[1] <= hi):
                self.fail(
                    f"{key}.start.months",
                    f"starting point {list(tier.start.months)} is outside the statutory "
                    f"range {[lo, hi]}",
                )
        try:
            conditions.parse(tier.when, facts, values)
        except conditions.ConditionError as exc:
            self.fail(f"{key}.when", str(exc))
        for j, inc in enumerate(tier.increments):
            ikey = f"{key}.increments.{j}"
            self.source(ikey, inc)
            if inc.fact not in facts:
                self.fail(f"{ikey}.fact", f"{inc.fact!r} is not a fact of the crime")
            if isinstance(inc.over, str) and (
                not inc.over.startswith("@") or inc.over[1:] not in values
            ):
                self.fail(f"{ikey}.over", f"unknown threshold {inc.over!r}")


def _threshold_value(th: Any) -> float | None:
    if th.value is not None:
        return th.value
    if th.range and th.range[0] == th.range[1]:
        return th.range[0]  # a national fixed figure needs no provincial choice
    return None


def _merge(parent: Pack, child: PackFile, file: str) -> Pack:
    def fail(key: str, problem: str, **ctx: Any) -> None:
        raise RulePackInvalid(
            f"{file}: {key}: {problem}", file=file, key=key, problem=problem, **ctx
        )

    for section in ("documents", "facts", "circumstances", "crimes"):
        for code in getattr(child, section):
            if code in getattr(parent, section):
                fail(f"{section}.{code}", f"already defined by {parent.id}; use an override")
    origins: dict[str, str] = {}
    circumstances = {**parent.circumstances, **child.circumstances}
    for code, ov in child.circumstance_overrides.items():
        origins[f"circumstances.{code}"] = f"circumstance_overrides.{code}"
        base = circumstances.get(code)
        if base is None:
            fail(f"circumstance_overrides.{code}", "no such circumstance in the extended pack")
            raise AssertionError
        _check_inside(fail, f"circumstance_overrides.{code}", base, ov.min_pct, ov.max_pct)
        circumstances[code] = base.model_copy(
            update=_sourced_update(ov, min_pct=ov.min_pct, max_pct=ov.max_pct)
        )
    crimes = {**parent.crimes, **child.crimes}
    for code, ov in child.crime_overrides.items():
        base_crime = crimes.get(code)
        if base_crime is None:
            fail(f"crime_overrides.{code}", "no such crime in the extended pack")
            raise AssertionError
        thresholds = dict(base_crime.thresholds)
        for name in ov.thresholds:
            origins[f"crimes.{code}.thresholds.{name}"] = (
                f"crime_overrides.{code}.thresholds.{name}"
            )
        for tid in ov.tiers:
            origins[f"crimes.{code}.tiers.{tid}"] = f"crime_overrides.{code}.tiers.{tid}"
        for name, th in ov.thresholds.items():
            if name not in thresholds:
                fail(f"crime_overrides.{code}.thresholds.{name}", "no such threshold")
            if th.value is None:
                fail(f"crime_overrides.{code}.thresholds.{name}.value", "a province sets a value")
            thresholds[name] = th.model_copy(update={"range": thresholds[name].range})
        tiers = []
        by_id = {t.id: t for t in base_crime.tiers}
        for tid in ov.tiers:
            if tid not in by_id:
                fail(
                    f"crime_overrides.{code}.tiers.{tid}", "no such tier", allowed=", ".join(by_id)
                )
        for tier in base_crime.tiers:
            tov = ov.tiers.get(tier.id)
            if tov is not None:
                update: dict[str, Any] = {}
                if tov.start is not None:
                    if tier.start is not None and not (
                        tier.start.months[0] <= tov.start.months[0]
                        and tov.start.months[1] <= tier.start.months[1]
                    ):
                        fail(
                            f"crime_overrides.{code}.tiers.{tier.id}.start.months",
                            f"{list(tov.start.months)} is outside the national starting point "
                            f"{list(tier.start.months)}",
                        )
                    update["start"] = tov.start
                if tov.increments is not None:
                    update["increments"] = tov.increments
                tier = tier.model_copy(update=update)
            tiers.append(tier)
        specific = dict(base_crime.circumstances)
        for ccode, cov in ov.circumstances.items():
            if ccode not in specific:
                fail(f"crime_overrides.{code}.circumstances.{ccode}", "no such circumstance")
            _check_inside(
                fail,
                f"crime_overrides.{code}.circumstances.{ccode}",
                specific[ccode],
                cov.min_pct,
                cov.max_pct,
            )
            specific[ccode] = specific[ccode].model_copy(
                update=_sourced_update(cov, min_pct=cov.min_pct, max_pct=cov.max_pct)
            )
        crimes[code] = base_crime.model_copy(
            update={"thresholds": thresholds, "tiers": tiers, "circumstances": specific}
        )
    policy = dict(parent.policy)
    for name in POLICY_FIELDS:
        value = getattr(child.policy, name)
        if value is not None:
            policy[name] = value
    return Pack(
        id=child.pack,
        title=child.title,
        jurisdiction=child.jurisdiction,
        abstract=child.abstract,
        valid_from=child.valid_from,
        valid_to=child.valid_to,
        files=[*parent.files, file],
        documents={**parent.documents, **child.documents},
        penalty_frame={**parent.penalty_frame, **child.penalty_frame},
        probation=child.probation or parent.probation,
        policy=policy,
        facts={**parent.facts, **child.facts},
        circumstances=circumstances,
        crimes=crimes,
        lineage=[*parent.lineage, child.pack],
        origins=origins,
    )


def _sourced_update(ov: Sourced, **extra: Any) -> dict[str, Any]:
    return {"src": ov.src, "conf": ov.conf, "note": ov.note, **extra}


def _check_inside(fail: Any, key: str, base: Circumstance, lo: float, hi: float) -> None:
    if (
        base.min_pct is not None
        and base.max_pct is not None
        and not (base.min_pct <= lo and hi <= base.max_pct)
    ):
        fail(
            key,
            f"range {lo:g}-{hi:g} % widens the national {base.min_pct:g}-{base.max_pct:g} %",
            expected=f"{base.min_pct:g}..{base.max_pct:g}",
        )


def _empty(pf: PackFile, file: str) -> Pack:
    return Pack(
        id=pf.pack,
        title=pf.title,
        jurisdiction=pf.jurisdiction,
        abstract=pf.abstract,
        valid_from=pf.valid_from,
        valid_to=pf.valid_to,
        files=[file],
        documents=dict(pf.documents),
        penalty_frame=dict(pf.penalty_frame),
        probation=pf.probation,
        policy={n: getattr(pf.policy, n) for n in POLICY_FIELDS if getattr(pf.policy, n)},
        facts=dict(pf.facts),
        circumstances=dict(pf.circumstances),
        crimes=dict(pf.crimes),
        lineage=[pf.pack],
    )


def check_complete(pack: Pack) -> None:
    """A pack that can be selected must leave nothing open."""
    file = pack.files[-1]

    def fail(key: str, problem: str) -> None:
        raise RulePackInvalid(
            f"{file}: {key}: {problem} (pack {pack.id} is not abstract, so it must be complete)",
            file=file,
            key=key,
            problem=problem,
        )

    for name in POLICY_FIELDS:
        if pack.policy.get(name) is None:
            fail(f"policy.{name}", "missing")
    for penalty in ("imprisonment", "detention", "surveillance"):
        if penalty not in pack.penalty_frame:
            fail(f"penalty_frame.{penalty}", "missing")
    if pack.probation is None:
        fail("probation", "missing")
    for code, circ in pack.circumstances.items():
        if circ.min_pct is None:
            fail(
                f"circumstances.{code}", "no percentage range (supply it in circumstance_overrides)"
            )
    for code, crime in pack.crimes.items():
        for name, th in crime.thresholds.items():
            if _threshold_value(th) is None:
                fail(f"crimes.{code}.thresholds.{name}", "no value (supply it in crime_overrides)")
        for tier in crime.tiers:
            if tier.start is None:
                fail(
                    f"crimes.{code}.tiers.{tier.id}.start",
                    "no starting point (supply it in crime_overrides)",
                )
        for ccode, circ in crime.circumstances.items():
            if circ.min_pct is None:
                fail(f"crimes.{code}.circumstances.{ccode}", "no percentage range")


def load_all(dirs: list[Path] | None = None) -> dict[str, Pack]:
    """Every pack in ``dirs`` (default: the shipped ``guidelines/``), merged and validated."""
    files: dict[str, tuple[PackFile, str]] = {}
    for d in dirs or [GUIDELINES]:
        for path in sorted(d.glob("*.yaml")):
            pf = read_file(path)
            if pf.pack in files:
                raise RulePackInvalid(
                    f"{path.name}: pack: {pf.pack!r} is also defined in {files[pf.pack][1]}",
                    file=path.name,
                    key="pack",
                )
            files[pf.pack] = (pf, path.name)
    packs: dict[str, Pack] = {}

    def build(pid: str, chain: tuple[str, ...]) -> Pack:
        if pid in packs:
            return packs[pid]
        pf, file = files[pid]
        if pf.extends is None:
            pack = _empty(pf, file)
        else:
            if pf.extends not in files:
                raise RulePackInvalid(
                    f"{file}: extends: unknown pack {pf.extends!r}",
                    file=file,
                    key="extends",
                    allowed=", ".join(sorted(files)),
                )
            if pf.extends in chain:
                raise RulePackInvalid(
                    f"{file}: extends: cycle {' -> '.join((*chain, pid))}", file=file, key="extends"
                )
            pack = _merge(build(pf.extends, (*chain, pid)), pf, file)
        _Checker(pack, file).check()
        if not pack.abstract:
            check_complete(pack)
        packs[pid] = pack
        return pack

    for pid in files:
        build(pid, ())
    return packs
