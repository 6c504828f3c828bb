"""From one case's ledger events to warehouse rows: an ``events`` row per event and one
``defendants`` row per defendant (the facts table documented in ``docs/warehouse.md``).

Every fact is a plain reading of the defendant's chain: dates are the legal (China Standard
Time) dates of the acts, categories are the codes in the payloads, durations are differences of
those dates, and the limit-related counts use the time limits of ``case/data/time_limits.yaml``.
A case-level event (registration, closing) belongs to the chain of the case's first defendant,
as in the generator; a case with no defendant yet has no rows.

Must never: read the database or the clock (the same chain always gives the same rows), or
guess a fact the chain does not contain (it stays null).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from caseledger.case import catalogue, clock, rules
from caseledger.warehouse.ids import warehouse_id

EPOCH = dt.date(1970, 1, 1).toordinal()
CUSTODIAL = ("criminal_detention", "arrest")
# Trial limits that the law lengthens for heavier expected sentences (the extensions of
# case/data/time_limits.yaml, counted when the expected sentence passes the threshold):
# fast-track 15 days above 1 year (CPL art 225), summary 1.5 months above 3 years (CPL art 220).
TRIAL_EXTENSION_OVER_MONTHS = {"fast_track": 12, "summary": 36}
# Prosecution review of a fast-track case: 10 days, 15 above 1 year (CPL art 172(1)).
FAST_TRACK_REVIEW_DAYS = (10, 15)
FAST_TRACK_REVIEW_OVER_MONTHS = 12
NEAR_LIMIT_DAYS = 3  # "closed in the last three days before the limit"


@dataclass(frozen=True, slots=True)
class LedgerEvent:
    """One ledger event as the export reads it (``on``: legal date, days since 1970-01-01)."""

    id: int
    case_id: str
    seq: int
    event_type: str
    on: int
    actor_id: str
    actor_role: str
    agency_code: str
    defendant_id: str | None
    payload: dict[str, Any]


_DAY_CACHE: dict[str, int] = {}


def legal_day(occurred_at: str) -> int:
    """Days since 1970-01-01 of the legal date (China Standard Time) of an envelope time."""
    key = occurred_at[:13]  # date and hour decide the legal date (a whole-hour offset)
    day = _DAY_CACHE.get(key)
    if day is None:
        utc = dt.datetime.fromisoformat(key + ":00").replace(tzinfo=dt.UTC)
        day = clock.to_legal_date(utc).toordinal() - EPOCH
        if len(_DAY_CACHE) > 100_000:
            _DAY_CACHE.clear()
        _DAY_CACHE[key] = day
    return day


@cache
def _limits() -> dict[str, int]:
    """Base limits in days (a month counts as 30 days, as in the generator)."""
    return {
        lim.id: int(lim.days or 0) + 30 * int(lim.months or 0) for lim in rules.time_limits().limits
    }


@cache
def _extension_days() -> dict[str, int]:
    ext = {"fast_track_trial": "over_one_year", "summary_trial": "over_three_years"}
    out = {}
    for lim in rules.time_limits().limits:
        for e in lim.extensions:
            if ext.get(lim.id) == e.id:
                out[lim.id] = int(e.days or 0) + 30 * int(e.months or 0)
    return out


def trial_limit_days(procedure: str, expected_months: int | None) -> int:
    lim = _limits()[f"{procedure}_trial"]
    over = TRIAL_EXTENSION_OVER_MONTHS.get(procedure)
    if over is not None and expected_months is not None and expected_months > over:
        lim += _extension_days()[f"{procedure}_trial"]
    return lim


def review_limit_days(procedure: str | None, expected_months: int | None) -> int:
    if procedure == "fast_track":
        heavier = expected_months is not None and expected_months > FAST_TRACK_REVIEW_OVER_MONTHS
        return FAST_TRACK_REVIEW_DAYS[1 if heavier else 0]
    return _limits()["prosecution_review"]


def _verdict_detail(p: dict[str, Any]) -> str | None:
    return p.get("verdict")


DETAIL: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "charge.added": lambda p: p["crime_code"],
    "measure.imposed": lambda p: p["measure"],
    "measure.ended": lambda p: p["measure"],
    "arrest.decided": lambda p: "approved" if p["approved"] else p.get("ground"),
    "defendant.withdrawn": lambda p: p["reason"],
    "case.closed": lambda p: p["reason"],
    "evidence.collected": lambda p: p["category"],
    "recording.registered": lambda p: p["purpose"],
    "plea.guilt_admitted": lambda p: p["stage"],
    "plea.counsel_assigned": lambda p: p["kind"],
    "plea.statement_signed": lambda p: p["kind"],
    "plea.agreed_without_statement": lambda p: p["kind"],
    "plea.court_decided": lambda p: p["decision"],
    "prosecution.evidence_assessed": lambda p: "sufficient" if p["sufficient"] else "insufficient",
    "prosecution.decided": lambda p: "prosecute" if p["prosecute"] else p.get("ground"),
    "trial.procedure_assigned": lambda p: p["procedure"],
    "trial.procedure_converted": lambda p: p["to_procedure"],
    "judgment.rendered": _verdict_detail,
    "appeal.filed": lambda p: p["kind"],
    "appeal.decided": lambda p: p["outcome"],
    "execution.started": lambda p: p["kind"],
    "judgment.retrial_decided": lambda p: p["outcome"],
    "quality.case_reviewed": lambda p: p["grade"],
    "deadline.extended": lambda p: p["extension_id"],
}


def detail(event: LedgerEvent) -> str | None:
    """The event's main value for the ``detail`` column (null for acts without one)."""
    fn = DETAIL.get(event.event_type)
    return fn(event.payload) if fn is not None else None


def _exclusion_detail(e: LedgerEvent, categories: dict[int, str]) -> str | None:
    """The excluded item's evidence category; ``admitted`` when the decision keeps the item."""
    if not e.payload["excluded"]:
        return "admitted"
    return categories.get(e.payload["item_no"])


def county_of(agency_code: str) -> str | None:
    """``PSB110105`` → ``110105``: agencies are coded by their region (see ``synth.geography``)."""
    digits = agency_code[3:]
    return digits if len(digits) == 6 and digits.isdigit() else None


@dataclass(frozen=True, slots=True)
class CaseRows:
    """What one case contributes: its cohort year, ``events`` rows (tuples in the schema's
    column order) and ``defendants`` rows (dicts by column name)."""

    year: int | None
    events: list[tuple[Any, ...]]
    defendants: list[dict[str, Any]]


def case_rows(events: Sequence[LedgerEvent], *, since: int = 0) -> CaseRows:
    """Rows of one case from all its events (in chain order).

    ``since`` is the watermark of an earlier export: only ``events`` rows not exported then are
    returned — those of events above it, and all of a defendant added above it (a case-level
    event recorded before the first defendant goes out with that defendant). ``defendants``
    rows are returned for every defendant: each is recomputed from the whole chain.
    """
    case_level = [e for e in events if e.defendant_id is None]
    per: dict[str, list[LedgerEvent]] = {}
    number: dict[str, int] = {}
    added: dict[str, int] = {}
    for e in events:
        if e.defendant_id is not None:
            per.setdefault(e.defendant_id, []).append(e)
            if e.event_type == "defendant.added":
                number[e.defendant_id] = e.payload["defendant_no"]
                added[e.defendant_id] = e.id
    registered = next((e for e in case_level if e.event_type == "case.registered"), None)
    if registered is None:
        return CaseRows(None, [], [])
    year = dt.date.fromordinal(registered.on + EPOCH).year
    county = county_of(registered.agency_code)
    case_wid = warehouse_id(registered.case_id)
    categories = {
        e.payload["item_no"]: e.payload["category"]
        for e in events
        if e.event_type == "evidence.collected"
    }
    ev_rows: list[tuple[Any, ...]] = []
    d_rows: list[dict[str, Any]] = []
    for d_id in sorted(per, key=lambda k: number.get(k, 10**9)):
        if d_id not in number:
            continue  # events of a defendant not (yet) added: nothing to attribute them to
        chain = per[d_id]
        if number[d_id] == 1:
            chain = sorted([*case_level, *chain], key=lambda e: e.seq)
        d_wid = warehouse_id(d_id)
        fresh = added[d_id] > since
        for i, e in enumerate(chain, start=1):
            if not fresh and e.id <= since:
                continue
            ev_rows.append(
                (
                    d_wid,
                    case_wid,
                    i,
                    e.event_type,
                    e.on,
                    county,
                    e.agency_code,
                    e.actor_role,
                    e.actor_id,
                    _exclusion_detail(e, categories)
                    if e.event_type == "evidence.exclusion_decided"
                    else detail(e),
                )
            )
        d_rows.append(_Facts(d_wid, case_wid, number[d_id], registered, county).fold(chain))
    return CaseRows(year, ev_rows, d_rows)


def _days(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else b - a


class _Facts:
    """The ``defendants`` row of one defendant, folded from its chain."""

    def __init__(
        self, d_wid: int, case_wid: int, no: int, registered: LedgerEvent, county: str | None
    ) -> None:
        self.d_wid, self.case_wid, self.no, self.county = d_wid, case_wid, no, county
        self.reg = registered
        self.v: dict[str, Any] = {}
        self.measure: str | None = None
        self.custody_from: int | None = None
        self.custody = 0
        self.custody_closed = False
        self.items: list[str] = []
        self.excluded = 0
        self.review_start: int | None = None
        self.arrest_requested_on: int | None = None

    # -- custody: detention and arrest, up to the first-instance judgment or release ----------
    def _custody_end(self, on: int) -> None:
        if self.custody_from is not None:
            self.custody += on - self.custody_from
            self.custody_from = None

    def _measure(self, measure: str, on: int) -> None:
        self.measure = measure
        if self.custody_closed:
            return
        if measure in CUSTODIAL:
            if self.custody_from is None:
                self.custody_from = on
        else:
            self._custody_end(on)

    def _first(self, key: str, value: Any) -> None:
        if key not in self.v:
            self.v[key] = value

    def fold(self, chain: Iterable[LedgerEvent]) -> dict[str, Any]:
        v = self.v
        for e in chain:
            t, p, on = e.event_type, e.payload, e.on
            if t == "defendant.added":
                v["added_on"] = on
                v["investigator_id"] = e.actor_id
            elif t == "charge.added":
                self._first("crime_code", p["crime_code"])
            elif t == "measure.imposed":
                if p["measure"] == "criminal_detention":
                    self._first("detained_on", on)
                self._measure(p["measure"], on)
                if not self._pretrial_over():
                    v["pretrial_measure"] = p["measure"]
            elif t == "measure.ended":
                self.measure = None
                self._custody_end(on)
            elif t == "arrest.requested":
                self.arrest_requested_on = on
                v["arrest_requested"] = True
            elif t == "arrest.decided":
                self._prosecutor(e)
                v["arrest_decided_on"] = on
                v["arrest_approved"] = p["approved"]
                v["non_arrest_ground"] = None if p["approved"] else p.get("ground")
                v["arrest_decision_days"] = _days(self.arrest_requested_on, on)
                then = "arrest" if p["approved"] else p.get("then_measure") or "none"
                if then == "none":
                    self.measure = None
                    self._custody_end(on)
                else:
                    self._measure(then, on)
                    v["pretrial_measure"] = then
            elif t == "defendant.withdrawn":
                v["withdrawn"] = True
                v["withdrawn_on"] = on
                self._custody_end(on)
                self.custody_closed = True
            elif t == "prosecution.transferred":
                self._first("transferred_on", on)
                self.review_start = on
                v["rounds"] = 0
            elif t == "prosecution.returned":
                self._prosecutor(e)
                v["rounds"] = v.get("rounds", 0) + 1
            elif t == "prosecution.resubmitted":
                self.review_start = on
            elif t == "evidence.collected":
                self.items.append(p["category"])
            elif t == "evidence.exclusion_decided":
                self.excluded += 1 if p["excluded"] else 0
            elif t == "prosecution.evidence_assessed":
                self._prosecutor(e)
            elif t == "prosecution.decided":
                self._prosecutor(e)
                v["prosecution_decided_on"] = on
                v["prosecuted"] = p["prosecute"]
                v["non_prosecution_ground"] = None if p["prosecute"] else p.get("ground")
                v["review_period"] = _days(self.review_start, on)
                if not p["prosecute"]:
                    self._custody_end(on)
                    self.custody_closed = True
            elif t == "plea.guilt_admitted":
                v["plea"], v["plea_stage"] = True, p["stage"]
            elif t == "plea.withdrawn":
                v["plea"], v["plea_stage"] = False, None
                for key in ("recommendation_type", "recommended_months", "range"):
                    v.pop(key, None)
            elif t == "plea.counsel_assigned":
                v["counsel_type"] = p["kind"]
            elif t in ("plea.statement_signed", "plea.agreed_without_statement"):
                self._prosecutor(e)
                v["recommendation_type"] = p["kind"]
                v["recommended_months"] = p.get("definite_months")
                v["range"] = p.get("range_months")
                v["engine_months"] = p.get("engine_definite_months")
                v["pack"] = p.get("recommendation", {}).get("pack")
            elif t == "plea.court_decided":
                v["court_decision"] = p["decision"]
            elif t == "trial.procedure_assigned":
                if "procedure" not in v:
                    v["court_id"], v["judge_id"] = e.agency_code, e.actor_id
                    v["court_level"] = p["court_level"]
                    v["trial_accepted_on"] = on
                    v["expected_months"] = p.get("expected_sentence_months")
                    v["expected_pack"] = p["conditions"].get("expected_sentence_pack")
                v["procedure"] = p["procedure"]
            elif t == "trial.procedure_converted":
                v["procedure"] = p["to_procedure"]
            elif t == "judgment.rendered":
                if "judgment_on" not in v:
                    v["judgment_on"] = on
                    v["judgment"] = p
                    self._custody_end(on)
                    self.custody_closed = True
            elif t == "appeal.filed":
                if "appealed" not in v:
                    v["appealed"], v["appeal_kind"] = True, p["kind"]
            elif t == "appeal.decided":
                self._first("appeal_outcome", p["outcome"])
                if p["outcome"] != "remanded":
                    self._first("final_on", on)
            elif t == "judgment.final":
                self._first("final_on", on)
            elif t == "judgment.retrial_decided":
                v["retrial_on"], v["retrial_outcome"] = on, p["outcome"]
            elif t == "quality.case_reviewed":
                v["reviewed_on"], v["review_grade"] = on, p["grade"]
            elif e.actor_role == "prosecutor":
                self._prosecutor(e)
        return self._row()

    def _pretrial_over(self) -> bool:
        v = self.v
        return bool(v.get("withdrawn") or "prosecution_decided_on" in v or "judgment_on" in v)

    def _prosecutor(self, e: LedgerEvent) -> None:
        if e.actor_role == "prosecutor" and "prosecutor_id" not in self.v:
            self.v["prosecutor_id"] = e.actor_id
            self.v["procuratorate_id"] = e.agency_code

    def _row(self) -> dict[str, Any]:
        v, reg = self.v, self.reg
        county = self.county
        crime = v.get("crime_code")
        transferred_on = v.get("transferred_on")
        transferred = transferred_on is not None
        prosecuted = v.get("prosecuted") if "prosecution_decided_on" in v else None
        tried = "trial_accepted_on" in v
        j: dict[str, Any] = v.get("judgment") or {}
        verdict = j.get("verdict")
        convicted = verdict == "convicted"
        penalty = j.get("penalty_type") if convicted else None
        term = j.get("term_months") if convicted else None
        sentence = (
            (0 if penalty in ("life_imprisonment", "fine_only") else term) if convicted else None
        )
        probation = bool(j.get("probation")) if convicted else None
        procedure = v.get("procedure")
        expected = v.get("expected_months")
        rng = v.get("range") or (None, None)
        decision = v.get("court_decision")
        if self.items and transferred:
            only_statements = all(c == "defendant_statement" for c in self.items)
            basis = "confession_only" if only_statements else "corroborated"
        else:
            basis = None
        near = overdue = 0
        checks: list[tuple[int | None, int]] = []
        if v.get("arrest_requested") and "arrest_decided_on" in v:
            checks.append((v.get("arrest_decision_days"), _limits()["arrest_decision"]))
        if "prosecution_decided_on" in v:
            checks.append((v.get("review_period"), review_limit_days(procedure, expected)))
        trial_limit = trial_limit_days(procedure, expected) if tried and procedure else None
        trial_days = _days(v.get("trial_accepted_on"), v.get("judgment_on"))
        if trial_limit is not None and trial_days is not None:
            checks.append((trial_days, trial_limit))
        for days, limit in checks:
            if days is None:
                continue
            if days > limit:
                overdue += 1
            elif days >= limit - (NEAR_LIMIT_DAYS - 1):
                near += 1
        if v.get("withdrawn"):
            end = v.get("withdrawn_on")
        elif prosecuted is False:
            end = v.get("prosecution_decided_on")
        else:
            end = v.get("final_on")
        custody = self.custody
        if self.custody_from is not None and not self.custody_closed:
            custody = None  # still in custody: the count is not final yet
        confession_conviction = 1 if basis == "confession_only" and convicted else 0
        return {
            "defendant_id": self.d_wid,
            "case_id": self.case_wid,
            "defendant_no": self.no,
            "province_code": None if county is None else county[:2] + "0000",
            "prefecture_code": None if county is None else county[:4] + "00",
            "county_code": county,
            "police_agency_id": reg.agency_code,
            "procuratorate_id": v.get("procuratorate_id"),
            "court_id": v.get("court_id"),
            "court_level": v.get("court_level"),
            "investigator_id": v.get("investigator_id"),
            "prosecutor_id": v.get("prosecutor_id"),
            "judge_id": v.get("judge_id"),
            "crime_code": crime,
            "crime_group": None if crime is None else catalogue.get(crime).crime_group,
            "reported_on": _date(reg.payload["reported_on"]),
            "registered_on": reg.on,
            "suspect_identified_on": v.get("added_on"),
            "detained": "detained_on" in v,
            "detained_on": v.get("detained_on"),
            "arrest_requested": bool(v.get("arrest_requested")),
            "arrest_decided_on": v.get("arrest_decided_on"),
            "arrest_approved": v.get("arrest_approved"),
            "non_arrest_ground": v.get("non_arrest_ground"),
            "pretrial_measure": v.get("pretrial_measure"),
            "custody_days": custody,
            "withdrawn": bool(v.get("withdrawn")),
            "transferred_on": transferred_on,
            "supplementary_rounds": v.get("rounds") if transferred else None,
            "evidence_items": len(self.items),
            "evidence_excluded": self.excluded if transferred else None,
            "evidence_basis": basis,
            "prosecution_decided_on": v.get("prosecution_decided_on"),
            "prosecuted": prosecuted,
            "non_prosecution_ground": v.get("non_prosecution_ground"),
            "plea": bool(v.get("plea")),
            "plea_stage": v.get("plea_stage") if v.get("plea") else None,
            "counsel_type": v.get("counsel_type") if v.get("plea") else None,
            "recommendation_type": v.get("recommendation_type"),
            "guideline_months": _guideline(v) if prosecuted else None,
            "guideline_pack": _guideline_pack(v) if prosecuted else None,
            "recommended_months": v.get("recommended_months"),
            "recommended_range_lo": rng[0],
            "recommended_range_hi": rng[1],
            "court_decision": decision,
            "recommendation_adopted": None if decision is None else decision == "adopted",
            "procedure": procedure,
            "trial_accepted_on": v.get("trial_accepted_on"),
            "trial_limit_days": trial_limit,
            "judgment_on": v.get("judgment_on"),
            "verdict": verdict,
            "penalty_type": penalty,
            "sentence_months": sentence,
            "probation": probation,
            "probation_months": j.get("probation_months") if probation else None,
            "appealed": bool(v.get("appealed")) if tried else None,
            "appeal_kind": v.get("appeal_kind"),
            "appeal_outcome": v.get("appeal_outcome"),
            "final_on": v.get("final_on"),
            "investigation_days": _days(reg.on, transferred_on),
            "review_days": _days(transferred_on, v.get("prosecution_decided_on")),
            "trial_days": trial_days,
            "total_days": _days(reg.on, end),
            "near_limit_count": near,
            "overdue_count": overdue,
            "flag_count": near + confession_conviction,
            "retrial_on": v.get("retrial_on"),
            "retrial_outcome": v.get("retrial_outcome"),
            "reviewed_on": v.get("reviewed_on"),
            "review_grade": v.get("review_grade"),
        }


def _guideline(v: dict[str, Any]) -> int | None:
    """What the guidelines give: the expected sentence the court recorded with the procedure,
    else the engine's result in the plea statement."""
    if v.get("expected_months") is not None:
        return int(v["expected_months"])
    return v.get("engine_months")


def _guideline_pack(v: dict[str, Any]) -> str | None:
    """The pack the guideline months came from (as recorded with them)."""
    if v.get("expected_months") is not None:
        return v.get("expected_pack")
    return v.get("pack")


def _date(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal() - EPOCH
