"""Turn one chunk's records into ``events`` rows: one row per lifecycle event.

Event types are the ledger's names (``case/events.py``, ``plea/events.py``,
``evidence/events.py``, ``quality/events.py``). Events are emitted slot by slot in legal order;
within a defendant dates never decrease along the slots, so ``seq`` (the order in the
defendant's chain) is the running count of emitted slots. Rows are then sorted by county,
date, defendant and seq. The slots are the acts ``caseledger synth --ledger`` records through
the commands (``acts.py``), in the same order, so both outputs give the same rows.

``case.registered`` is emitted once per case (on its first defendant's chain); every other
event concerns one defendant. An appeal is decided by a judge of the court above
(``appeal_judge``, see ``legal``); a retrial by the trial court with a new panel (another of
its judges). The exclusion, retrial and review events come from ``scrutiny``.

Must never: draw random numbers or emit an event whose date precedes the previous one of the
same defendant.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from caseledger.case import catalogue
from caseledger.synth import lifecycle as lc
from caseledger.synth import scrutiny as sc
from caseledger.synth.tables import (
    APPEAL,
    COURT,
    EVIDENCE_CYCLE,
    NULL,
    POLICE,
    PROC,
    QUALITY,
    RETRIAL,
    ROLES,
    Context,
    ids,
)
from caseledger.warehouse.schema import EVENTS

MAX_EVIDENCE = 10
ROLE_OF = {POLICE: 0, PROC: 1, COURT: 2, APPEAL: 2, QUALITY: 3, RETRIAL: 2}  # into ROLES


class _Builder:
    def __init__(self, rec: lc.Records, ctx: Context) -> None:
        self.rec, self.ctx, self.n = rec, ctx, rec.n
        county, pref = rec["county"], rec["prefecture"]
        inter = rec["intermediate"]
        off = ctx.agency_offset
        province = ctx.geo.county_province[county]
        self.agency = {
            POLICE: off["PSB"] + county,
            PROC: np.where(inter, off["PRO2"] + pref, off["PRO"] + county),
            COURT: np.where(inter, off["CRT2"] + pref, off["CRT"] + county),
            APPEAL: np.where(inter, off["CRT3"] + province, off["CRT2"] + pref),
        }
        self.agency[QUALITY] = self.agency[PROC]  # the procuratorate's case-management office
        self.agency[RETRIAL] = self.agency[COURT]  # the trial court, with a new panel
        o_inv, o_pro, o_judge, o_q = ctx.official_offset
        self.actor = {
            POLICE: o_inv + rec["investigator"],
            PROC: o_pro + rec["prosecutor"],
            COURT: o_judge + rec["judge_idx"],
            APPEAL: o_judge + rec["appeal_judge"],
            QUALITY: o_q + rec["quality_officer"],
            RETRIAL: o_judge + rec["retrial_judge"],
        }
        self.counter = np.zeros(self.n, dtype=np.int16)
        self.types: list[str] = []
        self.parts: list[tuple[np.ndarray, ...]] = []

    def code(self, value: str) -> int:
        return self.ctx.detail_index[value]

    def emit(
        self,
        event_type: str,
        mask: np.ndarray,
        date: np.ndarray,
        unit: int,
        detail: np.ndarray | int | None = None,
    ) -> None:
        idx = np.flatnonzero(mask)
        if not idx.size:
            return
        self.counter[idx] += 1
        seq = self.counter[idx]
        d = date[idx]
        if detail is None:
            det = np.full(idx.size, -1, np.int32)
        elif isinstance(detail, int):
            det = np.full(idx.size, detail, np.int32)
        else:
            det = detail[idx].astype(np.int32)
        actor = self.actor[unit][idx] if unit in self.actor else np.full(idx.size, -1, np.int64)
        role = np.full(idx.size, ROLE_OF[unit], np.int8)
        etype = np.full(idx.size, len(self.types), np.int16)
        self.types.append(event_type)
        self.parts.append((idx, seq, d, self.agency[unit][idx], role, actor, det, etype))


def _mandatory_recording(ctx: Context) -> np.ndarray:
    """Per crime: interrogations must be recorded (the catalogue's ``mandatory``)."""
    codes = ctx.crime_codes.to_pylist()
    return np.array([catalogue.get(c).interrogation_recording == "mandatory" for c in codes])


def _map(ctx: Context, vocab: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    table = np.array([ctx.detail_index[v] for v in vocab] + [-1], np.int32)
    return table[np.where(codes < 0, len(vocab), codes)]


def events(rec: lc.Records, ctx: Context, year: int, province: int) -> pa.Table:
    """The ``events`` rows of a chunk, sorted by county, date, defendant and seq."""
    b = _Builder(rec, ctx)
    n = rec.n
    everyone = np.ones(n, dtype=bool)
    plea, stage = rec["plea"], rec["plea_stage"]
    detained, requested, approved = rec["detained"], rec["requested"], rec["approved"]
    transferred = rec["transferred_on"] != NULL
    prosecuted, withdrawn = rec["prosecuted"], rec["withdrawn"]
    early = plea & (stage == 0)
    at_review = plea & (stage == 1) & transferred
    at_trial = plea & (stage == 2) & prosecuted
    signs = plea & (stage < 2) & transferred
    m_on, added = rec["measure_on"], rec["added_on"]

    b.emit("case.registered", rec["defendant_no"] == 1, rec["registered_on"], POLICE)
    b.emit("defendant.added", everyone, added, POLICE)
    b.emit(
        "charge.added",
        everyone,
        added,
        POLICE,
        _map(ctx, tuple(ctx.crime_codes.to_pylist()), rec["crime"]),
    )
    first = np.where(detained, 3, rec["pretrial_measure"]).astype(np.int8)
    b.emit("measure.imposed", everyone, m_on, POLICE, _map(ctx, lc.MEASURES, first))
    b.emit("plea.rights_notified", early, m_on, POLICE)
    b.emit("plea.guilt_admitted", early, m_on, POLICE, b.code("investigation"))
    b.emit("arrest.requested", requested, rec["req_on"], POLICE)
    grounds = _map(ctx, lc.NON_ARREST, rec["non_arrest_ground"])
    b.emit(
        "arrest.decided",
        requested,
        rec["dec_on"],
        PROC,
        np.where(approved, b.code("approved"), grounds),
    )
    after = np.where(requested, rec["dec_on"], rec["release_on"])
    # Bail after a refused (or no) arrest request; an approved arrest imposes itself.
    b.emit("measure.imposed", detained & ~approved, after, POLICE, b.code("bail"))
    base = np.where(requested, rec["dec_on"], np.where(detained, rec["release_on"], m_on))
    inv_end = np.where(transferred, rec["transferred_on"], rec["withdrawn_on"])
    k = rec["evidence_items"].astype(np.int64)
    confession = rec["evidence_basis"] == 1
    mandatory = _mandatory_recording(ctx)[rec["crime"]]
    first_statement = np.where(confession, 1, EVIDENCE_CYCLE.index("defendant_statement") + 1)
    for i in range(1, MAX_EVIDENCE + 1):
        when = (base + (inv_end - base) * i // (k + 1)).astype(np.int32)
        # Interrogations must be recorded in full in these cases: the recording first.
        recorded = mandatory & (first_statement == i) & (k >= i)
        b.emit("recording.registered", recorded, when, POLICE, b.code("interrogation"))
        cat = np.where(confession, b.code("defendant_statement"), b.code(EVIDENCE_CYCLE[i - 1]))
        b.emit("evidence.collected", k >= i, when, POLICE, cat)
    b.emit("defendant.withdrawn", withdrawn, rec["withdrawn_on"], POLICE, b.code("no_crime"))
    b.emit("prosecution.transferred", transferred, rec["transferred_on"], POLICE)
    rounds = rec["rounds"]
    b.emit("prosecution.returned", rounds >= 1, rec["r1_returned"], PROC)
    b.emit("prosecution.resubmitted", rounds >= 1, rec["r1_back"], POLICE)
    b.emit("prosecution.returned", rounds >= 2, rec["r2_returned"], PROC)
    b.emit("prosecution.resubmitted", rounds >= 2, rec["r2_back"], POLICE)
    start = np.where(
        rounds == 0, rec["transferred_on"], np.where(rounds == 1, rec["r1_back"], rec["r2_back"])
    )
    decided = rec["prosecution_decided_on"]
    b.emit("plea.rights_notified", at_review, start, PROC)
    b.emit("plea.guilt_admitted", at_review, start, PROC, b.code("prosecution"))
    counsel = _map(ctx, lc.COUNSEL, rec["counsel_type"])
    rec_type = _map(ctx, lc.REC_TYPES, rec["rec_type"])
    b.emit("plea.counsel_assigned", signs, start, PROC, counsel)
    b.emit("recording.registered", signs, decided, PROC, b.code("plea_consultation"))
    b.emit("plea.consultation_held", signs, decided, PROC)
    b.emit("plea.statement_signed", signs, decided, PROC, rec_type)
    category = np.array([b.code(c) for c in EVIDENCE_CYCLE] + [-1], np.int32)
    item1, item2 = rec["excl_item1"].astype(np.int64) - 1, rec["excl_item2"].astype(np.int64) - 1
    stage, excl_on = rec["excl_stage"], rec["excl_on"]
    for item in (item1, item2):
        mask = (item >= 0) & (stage == sc.REVIEW)
        b.emit("evidence.exclusion_decided", mask, excl_on, PROC, category[item])
    npg = rec["non_prosecution_ground"]
    sufficient = np.where(npg == 0, b.code("insufficient"), b.code("sufficient"))
    b.emit("prosecution.evidence_assessed", transferred, decided, PROC, sufficient)
    outcome = np.where(prosecuted, b.code("prosecute"), _map(ctx, lc.NON_PROSECUTION, npg))
    b.emit("prosecution.decided", transferred, decided, PROC, outcome)
    accepted, judged = rec["trial_accepted_on"], rec["judgment_on"]
    b.emit(
        "trial.procedure_assigned",
        prosecuted,
        accepted,
        COURT,
        _map(ctx, lc.PROCEDURES, rec["procedure"]),
    )
    b.emit("plea.rights_notified", at_trial, accepted, COURT)
    b.emit("plea.guilt_admitted", at_trial, accepted, COURT, b.code("trial"))
    # A plea first made at trial: no statement, the court decides (SPC-CPL-Interp art 356).
    b.emit("plea.counsel_assigned", at_trial, accepted, PROC, counsel)
    for item in (item1, item2):
        mask = (item >= 0) & (stage > sc.REVIEW)
        b.emit("evidence.exclusion_decided", mask, excl_on, COURT, category[item])
    decision = _map(ctx, lc.DECISIONS, rec["court_decision"])
    b.emit("plea.recommendation_revised", rec["court_decision"] == 1, judged, PROC)
    b.emit("plea.court_decided", rec["court_decision"] >= 0, judged, COURT, decision)
    b.emit("judgment.rendered", prosecuted, judged, COURT, _map(ctx, lc.VERDICTS, rec["verdict"]))
    appealed = rec["appealed"]
    b.emit(
        "appeal.filed",
        appealed,
        rec["appeal_filed_on"],
        COURT,
        _map(ctx, lc.APPEAL_KINDS, rec["appeal_kind"]),
    )
    b.emit(
        "appeal.decided",
        appealed,
        rec["appeal_decided_on"],
        APPEAL,
        _map(ctx, lc.APPEAL_OUTCOMES, rec["appeal_outcome"]),
    )
    remanded = rec["rejudged_on"] != NULL
    verdict = _map(ctx, lc.VERDICTS, rec["verdict"])
    b.emit("judgment.rendered", remanded, rec["rejudged_on"], COURT, verdict)
    # The second-instance judgment is final at once (CPL art 244): no judgment.final after it.
    b.emit("judgment.final", prosecuted & (~appealed | remanded), rec["final_on"], COURT)
    pen = rec["penalty_type"]
    kind = np.where(
        rec["probation"] | (pen == 3), b.code("community_correction"),
        np.where(pen == 4, b.code("fine"),
                 np.where(pen == 0, b.code("detention_house"), b.code("prison"))),
    )  # fmt: skip
    b.emit("execution.started", rec["execution_on"] != NULL, rec["execution_on"], COURT, kind)
    retrial_on, reviewed_on = rec["retrial_on"], rec["reviewed_on"]
    retried, reviewed = retrial_on != NULL, reviewed_on != NULL
    grade = _map(ctx, sc.GRADES, rec["review_grade"])
    review_first = reviewed & (~retried | (reviewed_on <= retrial_on))
    b.emit("quality.case_reviewed", review_first, reviewed_on, QUALITY, grade)
    outcome = _map(ctx, sc.RETRIAL_OUTCOMES, rec["retrial_outcome"])
    b.emit("judgment.retrial_decided", retried, retrial_on, RETRIAL, outcome)
    b.emit("quality.case_reviewed", reviewed & ~review_first, reviewed_on, QUALITY, grade)
    return _assemble(b, year, province)


def _assemble(b: _Builder, year: int, province: int) -> pa.Table:
    rec, ctx = b.rec, b.ctx
    idx, seq, date, agency, role, actor, det, etype = (
        np.concatenate(c) for c in zip(*b.parts, strict=True)
    )
    county = rec["county"][idx]
    if b.n < 2**22 and ctx.geo.n_counties < 2**12:
        key = (
            (county.astype(np.int64) << 44)
            | (date.astype(np.int64) << 28)
            | (idx.astype(np.int64) << 6)
            | seq.astype(np.int64)
        )
        order = np.argsort(key, kind="stable")
    else:  # pragma: no cover - only for chunks beyond 4 M defendants
        order = np.lexsort((seq, idx, date, county))
    idx, seq, date, agency = idx[order], seq[order], date[order], agency[order]
    role, actor, det, etype = role[order], actor[order], det[order], etype[order]
    cols = [
        pa.array(ids(year, province, idx)),
        pa.array(ids(year, province, rec["case"][idx])),
        pa.array(seq, pa.int16()),
        pa.array(b.types, pa.string()).take(pa.array(etype.astype(np.int32))),
        pa.array(date.astype(np.int32), pa.int32()).view(pa.date32()),
        ctx.geo.county_code.take(pa.array(rec["county"][idx])),
        ctx.agencies.take(pa.array(agency, pa.int64())),
        pa.array(list(ROLES), pa.string()).take(pa.array(role.astype(np.int32))),
        ctx.officials.take(pa.array(actor, pa.int64(), mask=actor < 0)),
        ctx.details.take(pa.array(det, pa.int32(), mask=det < 0)),
    ]
    return pa.Table.from_arrays(cols, schema=EVENTS.schema)
