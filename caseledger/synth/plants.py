"""The planted problems: switchable, each confined to one unit, none in a clean run.

A plant is a name, a one-line description and a target unit chosen from the seed. The
lifecycle asks :class:`Plan` whether a defendant falls in an active plant's unit and, if so,
draws that step differently; nothing else changes. The manifest records which units were
planted so a test (or a person grading an analysis) can check what was found.

The shapes follow ``shared/analytics.md`` §2: registration lag and "record only when solvable"
(§2.4), bunching before a legal limit (§2.1), a too-steady zero rate (§2.2), a confession as the
only evidence (§2.5); the deviating prosecutor is the sentencing-consistency case (seed 002,
line 61: supervision of prosecutors' discretion).

Must never: let one plant change the data of another plant's unit, or act when switched off.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from caseledger.errors import UnknownCode
from caseledger.synth.geography import Geography

PLANTS: dict[str, str] = {
    "under_recording": "one county's police register late and only 'sure' cases: long report-to-"
    "registration lag, suspect known at registration, almost no non-arrest or non-prosecution, "
    "fewer registrations",
    "deadline_bunching": "one basic court closes most trials in the last three days before the "
    "legal time limit",
    "steady_zero_non_arrest": "one procuratorate approves every arrest request: 0 % non-arrest, "
    "month after month",
    "deviating_prosecutor": "one prosecutor recommends about 50 % more than the guidelines give",
    "confession_only": "one prefecture convicts a quarter of its defendants on a confession alone",
}
PLANT_SALT = 0x504C414E  # "PLAN": keeps plant choice independent of the data streams

# Effect sizes (what makes each problem visible; kept here, next to the descriptions).
UNDER_RECORDING_VOLUME = 0.6
BUNCHING_SHARE = 0.6
DEVIATION_FACTOR = 1.5
CONFESSION_ONLY_SHARE = 0.25


@dataclass(frozen=True)
class Targets:
    """The unit each plant would hit (chosen whether or not the plant is active)."""

    under_recording: int  # county
    deadline_bunching: int  # county (its basic court)
    steady_zero_non_arrest: int  # county (its procuratorate)
    deviating_prosecutor: int  # global prosecutor index
    confession_only: int  # prefecture


def choose_targets(geo: Geography, seed: int) -> Targets:
    """Distinct, busy units (top tenth by volume, so a problem is visible) picked from ``seed``."""
    rng = np.random.default_rng([seed, PLANT_SALT])
    busy = np.flatnonzero(geo.county_weight >= np.quantile(geo.county_weight, 0.9))
    picks = rng.choice(busy, size=4, replace=False)
    ur, db, sz, dp = (int(x) for x in picks)
    pros = geo.prosecutors
    prosecutor = int(pros.start[dp])  # the first prosecutor of that county procuratorate
    used = {int(geo.county_prefecture[c]) for c in picks}
    prefs = [p for p in range(int(geo.county_prefecture.max()) + 1) if p not in used]
    pref_weight = np.bincount(geo.county_prefecture, weights=geo.county_weight)
    prefs = [p for p in prefs if pref_weight[p] >= np.median(pref_weight)]
    confession = int(prefs[int(rng.integers(len(prefs)))])
    return Targets(ur, db, sz, prosecutor, confession)


@dataclass(frozen=True)
class Plan:
    active: frozenset[str]
    targets: Targets
    extra: dict[str, object] = field(default_factory=dict)

    def on(self, name: str) -> bool:
        return name in self.active

    def county_mask(self, name: str, county: np.ndarray) -> np.ndarray:
        """Defendants in the county targeted by ``name`` (all False when it is off)."""
        if name not in self.active:
            return np.zeros(county.size, dtype=bool)
        return county == getattr(self.targets, name)

    def weight_factor(self, n_counties: int) -> np.ndarray:
        factor = np.ones(n_counties)
        if self.on("under_recording"):
            factor[self.targets.under_recording] = UNDER_RECORDING_VOLUME
        return factor

    def describe(self, geo: Geography) -> dict[str, dict[str, str]]:
        """Active plants and their units, for the manifest."""
        t = self.targets
        units = {
            "under_recording": {
                "police_agency_id": geo.agency_ids["PSB"][t.under_recording].as_py()
            },
            "deadline_bunching": {"court_id": geo.agency_ids["CRT"][t.deadline_bunching].as_py()},
            "steady_zero_non_arrest": {
                "procuratorate_id": geo.agency_ids["PRO"][t.steady_zero_non_arrest].as_py()
            },
            "deviating_prosecutor": {
                "prosecutor_id": geo.prosecutors.ids[t.deviating_prosecutor].as_py()
            },
            "confession_only": {"prefecture_code": geo.prefecture_code[t.confession_only].as_py()},
        }
        return {name: units[name] for name in sorted(self.active)}


def make_plan(names: list[str] | tuple[str, ...], geo: Geography, seed: int) -> Plan:
    """A plan for the named plants; unknown names are an error listing the known ones."""
    for name in names:
        if name not in PLANTS:
            raise UnknownCode(
                f"unknown plant {name!r}", allowed=", ".join(sorted(PLANTS)), field="--plant"
            )
    return Plan(active=frozenset(names), targets=choose_targets(geo, seed))
