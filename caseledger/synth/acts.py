"""One generated case, act by act, through the real service commands.

:class:`CaseWalk` turns the records of one chunk (:class:`~caseledger.synth.lifecycle.Records`)
into calls of the case, evidence, plea and quality commands, in the legal order the generator's
``events`` rows follow, with the actors, agencies and dates of the records. Every command makes
all its checks; a refusal means the generator drew a history the law does not allow, and the
caller stops.

What the records do not hold is filled in deterministically and marked synthetic: names
(``synthetic defendant <id>``), lawyers, free-text reasons, a fine's amount, and the audio-video
recordings the plea consultations and mandatory interrogation recordings need — small
placeholder files, one per purpose and defendant number, stored once in the recordings store
and registered on each case that uses them.

Must never: write to the database except through a service command, or change a record.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from functools import cache
from typing import Any

from caseledger.auth.roles import Role
from caseledger.case import catalogue, lifecycle, retrial, service, trial
from caseledger.evidence import items as evidence
from caseledger.evidence import service as recordings
from caseledger.evidence.recordings import RecordingStore
from caseledger.ledger.envelope import Actor
from caseledger.plea import service as plea
from caseledger.plea import statement
from caseledger.quality import service as quality
from caseledger.synth import facts
from caseledger.synth import lifecycle as lc
from caseledger.synth import scrutiny as sc
from caseledger.synth.geography import PROVINCES
from caseledger.synth.sentences import PENALTIES
from caseledger.synth.tables import EVIDENCE_CYCLE, Context
from caseledger.warehouse import ids

NULL = int(lc.NULL)
EPOCH = lc.EPOCH.toordinal()
Run = Callable[..., Any]
NOTICE = ["leniency_rules", "consequences", "right_to_counsel", "duty_lawyer"]
# The sentencing engine's names of penalty types (plea recommendations use them).
ENGINE_PENALTY = {
    "criminal_detention": "detention",
    "public_surveillance": "surveillance",
    "imprisonment": "imprisonment",
    "life_imprisonment": "life_imprisonment",
    "fine_only": "fine_only",
}
SUFFICIENT = "facts clear; evidence reliable and sufficient (CPL art 55) [synthetic]"
INSUFFICIENT = "evidence insufficient to prove the facts charged (CPL art 175(4)) [synthetic]"


def day(value: int) -> dt.date:
    return dt.date.fromordinal(value + EPOCH)


@cache
def _mandatory_recording(code: str) -> bool:
    return catalogue.get(code).interrogation_recording == "mandatory"


class Placeholders:
    """The placeholder recordings of a run: one small file per purpose and defendant number."""

    def __init__(self, store: RecordingStore) -> None:
        self.store = store
        self._sha: dict[tuple[str, int], str] = {}

    def sha(self, purpose: str, defendant_no: int) -> str:
        key = (purpose, defendant_no)
        sha = self._sha.get(key)
        if sha is None:
            body = (
                "caseledger synthetic recording (placeholder, no real content)\n"
                f"purpose: {purpose}\ndefendant number in the case: {defendant_no}\n"
            ).encode()
            sha = self._sha[key] = self.store.ingest(io.BytesIO(body)).sha256
        return sha


class CaseWalk:
    """The acts of the defendants of one chunk (see the module docstring)."""

    def __init__(
        self,
        rec: lc.Records,
        ctx: Context,
        year: int,
        province: int,
        store: Placeholders,
        *,
        agencies: list[str],
        officials: list[str],
    ) -> None:
        self.c = {k: v.tolist() for k, v in rec.cols.items()}
        self.n = rec.n
        self.inputs = facts.case_inputs(rec.sentencing, rec.n)
        self.ctx, self.store = ctx, store
        self.agencies, self.officials = agencies, officials
        self.crime_codes = ctx.crime_codes.to_pylist()
        self.packs = ctx.packs.to_pylist()
        off = ctx.agency_offset
        geo = ctx.geo
        c = self.c
        self.wid_base = year * 1_000_000_000 + PROVINCES[province] * 10_000_000
        o_inv, o_pro, o_judge, o_q = ctx.official_offset
        self._off = (o_inv, o_pro, o_judge, o_q)
        prov = geo.county_province.tolist()
        self._psb = [off["PSB"] + k for k in c["county"]]
        self._pro = [
            off["PRO2"] + p if inter else off["PRO"] + k
            for k, p, inter in zip(c["county"], c["prefecture"], c["intermediate"], strict=True)
        ]
        self._crt = [
            off["CRT2"] + p if inter else off["CRT"] + k
            for k, p, inter in zip(c["county"], c["prefecture"], c["intermediate"], strict=True)
        ]
        self._appeal = [
            off["CRT3"] + prov[k] if inter else off["CRT2"] + p
            for k, p, inter in zip(c["county"], c["prefecture"], c["intermediate"], strict=True)
        ]

    # -- actors -------------------------------------------------------------------------------
    def _actor(self, official: int, role: Role, agency: int) -> Actor:
        return Actor(self.officials[official], role, self.agencies[agency])

    def investigator(self, i: int) -> Actor:
        return self._actor(
            self._off[0] + self.c["investigator"][i], Role.investigator, self._psb[i]
        )

    def prosecutor(self, i: int) -> Actor:
        return self._actor(self._off[1] + self.c["prosecutor"][i], Role.prosecutor, self._pro[i])

    def judge(self, i: int) -> Actor:
        return self._actor(self._off[2] + self.c["judge_idx"][i], Role.judge, self._crt[i])

    def appeal_judge(self, i: int) -> Actor:
        """A judge of the court above the trial court (``legal`` draws one)."""
        return self._actor(self._off[2] + self.c["appeal_judge"][i], Role.judge, self._appeal[i])

    def retrial_judge(self, i: int) -> Actor:
        """Another judge of the trial court: the new panel of a retrial (CPL art 256)."""
        return self._actor(self._off[2] + self.c["retrial_judge"][i], Role.judge, self._crt[i])

    def quality_officer(self, i: int) -> Actor:
        return self._actor(
            self._off[3] + self.c["quality_officer"][i], Role.quality_officer, self._pro[i]
        )

    # -- ids ----------------------------------------------------------------------------------
    def defendant_wid(self, i: int) -> int:
        return self.wid_base + i

    def case_wid(self, i: int) -> int:
        return self.wid_base + self.c["case"][i]

    def cases(self) -> list[list[int]]:
        """The chunk's cases as lists of defendant indices (defendant number order)."""
        out: list[list[int]] = []
        last = -1
        for i, case in enumerate(self.c["case"]):
            if case != last:
                out.append([])
                last = case
            out[-1].append(i)
        return out

    def registrations(self, cases: list[list[int]]) -> tuple[list[str], set[tuple[str, int]]]:
        """The ids these cases will be registered under and their (agency, year) serial pairs,
        for :func:`caseledger.case.service.read_ahead_registrations`."""
        c = self.c
        ids_ = [ids.synthetic_case_uuid(self.case_wid(m[0])) for m in cases]
        pairs = {
            (self.agencies[self._psb[m[0]]], day(c["registered_on"][m[0]]).year) for m in cases
        }
        return ids_, pairs

    # -- the walk -----------------------------------------------------------------------------
    def walk_case(self, run: Run, members: list[int]) -> None:
        c, first = self.c, members[0]
        crime = self.crime_codes[c["crime"][first]]
        case = run(
            service.register_case,
            actor=self.investigator(first),
            reported_on=day(c["reported_on"][first]),
            summary=f"synthetic case: {crime.replace('_', ' ')}",
            at=day(c["registered_on"][first]),
            case_id=ids.synthetic_case_uuid(self.case_wid(first)),
        )
        for i in members:
            _Defendant(self, run, case.case_number, i).walk()


class _Defendant:
    """The acts of one defendant, in the order of ``synth/events.py``."""

    def __init__(self, w: CaseWalk, run: Run, number: str, i: int) -> None:
        self.w, self.run, self.number, self.i = w, run, number, i
        self.no = w.c["defendant_no"][i]
        self.items: list[int] = []  # case item numbers of this defendant's evidence, in order
        self.excluded: set[int] = set()

    def v(self, key: str) -> Any:
        return self.w.c[key][self.i]

    def d(self, key: str) -> dt.date:
        return day(self.w.c[key][self.i])

    def act(self, fn: Callable[..., Any], actor: Actor, on: dt.date, **kwargs: Any) -> Any:
        return self.run(
            fn, actor=actor, case_number=self.number, defendant_no=self.no, at=on, **kwargs
        )

    def walk(self) -> None:
        w, i = self.w, self.i
        inv, pro, judge = w.investigator(i), w.prosecutor(i), w.judge(i)
        crime = w.crime_codes[self.v("crime")]
        wid = w.defendant_wid(i)
        self.run(
            service.add_defendant,
            actor=inv,
            case_number=self.number,
            defendant=service.NewDefendant(
                name=f"synthetic defendant {wid}",
                charges=[crime],
                defendant_id=ids.synthetic_defendant_uuid(wid),
            ),
            at=self.d("added_on"),
        )
        detained, requested, approved = self.v("detained"), self.v("requested"), self.v("approved")
        plea_on, stage = self.v("plea"), self.v("plea_stage")
        m_on = self.d("measure_on")
        first = "criminal_detention" if detained else lc.MEASURES[self.v("pretrial_measure")]
        self.act(lifecycle.impose_measure, inv, m_on, measure=first)
        if plea_on and stage == 0:
            self.act(plea.notify_rights, inv, m_on, items=NOTICE)
            self.act(plea.admit_guilt, inv, m_on)
        if requested:
            self.act(lifecycle.request_arrest, inv, self.d("req_on"))
            ground = None if approved else lc.NON_ARREST[self.v("non_arrest_ground")]
            dec_on = self.d("dec_on")
            self.act(lifecycle.decide_arrest, pro, dec_on, approved=approved, ground=ground)
            if not approved:
                self.act(lifecycle.impose_measure, inv, dec_on, measure="bail")
        elif detained:
            self.act(lifecycle.impose_measure, inv, self.d("release_on"), measure="bail")
        self._evidence(inv, crime)
        if self.v("withdrawn"):
            self.act(lifecycle.withdraw_defendant, inv, self.d("withdrawn_on"), reason="no_crime")
            return
        self.act(lifecycle.transfer_for_prosecution, inv, self.d("transferred_on"))
        rounds = self.v("rounds")
        for r in range(1, rounds + 1):
            self.act(
                lifecycle.return_for_supplementary_investigation,
                pro,
                self.d(f"r{r}_returned"),
                reason="facts to be verified [synthetic]",
            )
            self.act(lifecycle.resubmit, inv, self.d(f"r{r}_back"))
        start = self.d("transferred_on" if rounds == 0 else f"r{rounds}_back")
        decided = self.d("prosecution_decided_on")
        if plea_on and stage == 1:
            self.act(plea.notify_rights, pro, start, items=NOTICE)
            self.act(plea.admit_guilt, pro, start)
        if plea_on and stage < 2:
            lawyer = self._counsel(pro, start)
            self._consult_and_sign(pro, decided, lawyer, crime)
        self._exclusions(pro, sc.REVIEW)
        npg = self.v("non_prosecution_ground")
        prosecuted = self.v("prosecuted")
        self.act(
            lifecycle.assess_evidence,
            pro,
            decided,
            sufficient=npg != 0,
            reasoning=SUFFICIENT if npg != 0 else INSUFFICIENT,
        )
        self.act(
            lifecycle.decide_prosecution,
            pro,
            decided,
            prosecute=prosecuted,
            ground=None if prosecuted else lc.NON_PROSECUTION[npg],
            evidence=self._citable(),
        )
        if prosecuted:
            self._trial(pro, judge, crime)
        self._after(prosecuted)

    def _evidence(self, inv: Actor, crime: str) -> None:
        base = (
            self.v("dec_on")
            if self.v("requested")
            else self.v("release_on")
            if self.v("detained")
            else self.v("measure_on")
        )
        end = self.v("transferred_on") if not self.v("withdrawn") else self.v("withdrawn_on")
        k = self.v("evidence_items")
        confession = self.v("evidence_basis") == 1
        recorded = _mandatory_recording(crime)
        recording: str | None = None
        for n in range(1, k + 1):
            on = day(base + (end - base) * n // (k + 1))
            category = "defendant_statement" if confession else EVIDENCE_CYCLE[n - 1]
            statement = category == "defendant_statement"
            if statement and recorded and recording is None:
                recording = self.w.store.sha("interrogation", self.no)
                self._register(inv, on, recording, "interrogation", 3600)
            item = self.act(
                evidence.collect,
                inv,
                on,
                category=category,
                description=f"synthetic {category.replace('_', ' ')}",
                method="collected in the investigation [synthetic]",
                recording_sha256=recording if statement else None,
            )
            self.items.append(item.item_no)

    def _register(self, actor: Actor, on: dt.date, sha: str, purpose: str, secs: int) -> None:
        self.act(
            recordings.register_recording,
            actor,
            on,
            store=self.w.store.store,
            sha256=sha,
            media_type="video/mp4",
            duration_seconds=secs,
            purpose=purpose,
            participants=[{"role": actor.role.value, "id": actor.id}],
        )

    def _counsel(self, pro: Actor, on: dt.date) -> str:
        kind = lc.COUNSEL[self.v("counsel_type")]
        county = self.w.agencies[self.w._psb[self.i]][3:]
        lawyer = f"LAW{county}-{kind[0].upper()}{self.w.defendant_wid(self.i) % 97 + 1:03d}"
        office = "legal aid centre [synthetic]" if kind != "retained" else "law firm [synthetic]"
        self.act(plea.assign_counsel, pro, on, kind=kind, lawyer_id=lawyer, office=office)
        return lawyer

    def _consult_and_sign(self, pro: Actor, on: dt.date, lawyer: str, crime: str) -> None:
        sha = self.w.store.sha("plea_consultation", self.no)
        self._register(pro, on, sha, "plea_consultation", 1800)
        store = self.w.store.store
        self.act(
            plea.hold_consultation,
            pro,
            on,
            store=store,
            participants=[
                {"role": "prosecutor", "id": pro.id},
                {"role": "defence_counsel", "id": lawyer},
            ],
            defence_opinion="agrees with the proposed recommendation [synthetic]",
            recording_sha256=sha,
        )
        kind = lc.REC_TYPES[self.v("rec_type")]
        guideline = self.v("g_months")
        data = self._sentencing_input(crime)
        gap = statement.guideline_gap(data)
        args: dict[str, Any] = {}
        if kind == "definite":
            months = self.v("recommended_months")
            args["definite_months"] = months
            if months != guideline:
                args["deviation_reason"] = (
                    f"{months} months instead of the guideline's {guideline} [synthetic]"
                )
        else:
            args["range_months"] = (self.v("range_lo"), self.v("range_hi"))
            args["range_reason"] = "complex circumstances (SPP-Rules art 275) [synthetic]"
        if gap is not None:
            args["penalty_type"] = ENGINE_PENALTY.get(self._penalty(), "imprisonment")
            args.setdefault(
                "deviation_reason",
                "no guideline covers the case; the general method of SG2021 [synthetic]",
            )
        self.act(
            statement.sign_statement,
            pro,
            on,
            store=store,
            counsel_present=lawyer,
            sentencing_input=data,
            **args,
        )

    def _pack(self) -> str | None:
        code = self.v("guideline_pack")
        return self.w.packs[code] if code >= 0 else None

    def _penalty(self) -> str:
        """The penalty type the guideline months are of (drawn for every defendant)."""
        return PENALTIES[self.v("g_penalty")]

    def _sentencing_input(self, crime: str) -> dict[str, Any]:
        """The engine's input the generator drew (facts, circumstances, as of the transfer);
        the crime and date alone where no pack covers them."""
        drawn = self.w.inputs[self.i]
        if drawn is not None:
            return drawn
        return {"crime": crime, "as_of": self.d("transferred_on").isoformat()}

    def _exclusions(self, actor: Actor, which: int) -> None:
        stage = self.v("excl_stage")
        if stage < 0 or (stage == sc.REVIEW) != (which == sc.REVIEW):
            return
        on = self.d("excl_on")
        for key in ("excl_item1", "excl_item2"):
            n = self.v(key)
            if n < 0:
                continue
            item = self.items[n - 1]
            self.act(
                evidence.decide_exclusion,
                actor,
                on,
                item_no=item,
                excluded=True,
                stage=sc.EXCLUSION_STAGES[stage],
                ground="obtained illegally, as the defence showed (CPL art 56) [synthetic]",
            )
            self.excluded.add(item)

    def _citable(self) -> list[int]:
        return [n for n in self.items if n not in self.excluded]

    def _trial(self, pro: Actor, judge: Actor, crime: str) -> None:
        accepted, judged = self.d("trial_accepted_on"), self.d("judgment_on")
        plea_on, stage = self.v("plea"), self.v("plea_stage")
        procedure = lc.PROCEDURES[self.v("procedure")]
        facts = trial.ProcedureFacts(
            court_level="intermediate" if self.v("intermediate") else "basic",
            expected_sentence_months=self.v("guideline_months"),
            expected_sentence_pack=self._pack(),
            facts_clear_evidence_sufficient=True,
            pleaded=bool(plea_on and stage < 2),
            admits_crime=True,
            agrees_to_procedure=True,
        )
        self.act(trial.assign_procedure, judge, accepted, procedure=procedure, facts=facts)
        if plea_on and stage == 2:
            self.act(plea.notify_rights, judge, accepted, items=NOTICE)
            self.act(plea.admit_guilt, judge, accepted)
            self._counsel(pro, accepted)
        self._exclusions(judge, sc.TRIAL)
        verdict = lc.VERDICTS[self.v("verdict")]
        decision = self.v("court_decision")
        if decision >= 0 and not (plea_on and stage == 2):
            name = lc.DECISIONS[decision]
            if name == "adjusted":
                months = self.v("sentence_months") if verdict == "convicted" else 0
                self.act(
                    plea.revise_recommendation,
                    pro,
                    judged,
                    definite_months=max(0, months if months != NULL else 0),
                    reason="adjusted at the court's request (CPL art 201(2)) [synthetic]",
                )
            ground = None
            if name == "rejected":
                ground = "not_a_crime" if verdict == "acquitted" else "denies_facts"
            self.act(plea.court_decide, judge, judged, decision=name, ground=ground)
        self._judgment(judge, judged, verdict)

    def _judgment(self, judge: Actor, on: dt.date, verdict: str) -> None:
        args: dict[str, Any] = {"verdict": verdict, "evidence": self._citable()}
        if verdict == "convicted":
            penalty = PENALTIES[self.v("penalty_type")]
            months = self.v("sentence_months")
            args["penalty_type"] = penalty
            if penalty not in ("life_imprisonment", "fine_only"):
                args["term_months"] = months
            if penalty == "fine_only":
                args["fine_yuan"] = 1000 * (1 + self.w.defendant_wid(self.i) % 20)
            if self.v("probation"):
                args["probation"] = True
                args["probation_months"] = self.v("probation_months")
        self.act(trial.render_judgment, judge, on, **args)

    def _after(self, prosecuted: bool) -> None:
        i, w = self.i, self.w
        judge = w.judge(i)
        if prosecuted:
            if self.v("appealed"):
                self.act(
                    trial.file_appeal,
                    judge,
                    self.d("appeal_filed_on"),
                    kind=lc.APPEAL_KINDS[self.v("appeal_kind")],
                )
                outcome = lc.APPEAL_OUTCOMES[self.v("appeal_outcome")]
                self.act(
                    trial.decide_appeal,
                    w.appeal_judge(i),
                    self.d("appeal_decided_on"),
                    outcome=outcome,
                    **(self._lighter() if outcome == "amended" else {}),
                )
                if outcome == "remanded":  # judged again at first instance (CPL art 239)
                    self._judgment(judge, self.d("rejudged_on"), lc.VERDICTS[self.v("verdict")])
                    self.act(trial.declare_final, judge, self.d("final_on"))
            else:
                self.act(trial.declare_final, judge, self.d("final_on"))
            if self.v("execution_on") != NULL:
                self.act(trial.start_execution, judge, self.d("execution_on"))
        retried = self.v("retrial_on") != NULL
        reviewed = self.v("reviewed_on") != NULL
        review_first = reviewed and (not retried or self.v("reviewed_on") <= self.v("retrial_on"))
        if review_first:
            self._review()
        if retried:
            outcome = sc.RETRIAL_OUTCOMES[self.v("retrial_outcome")]
            self.act(
                retrial.decide_retrial,
                w.retrial_judge(i),
                self.d("retrial_on"),
                outcome=outcome,
                initiated_by=sc.RETRIAL_INITIATORS[self.v("retrial_initiator")],
                reason="error in the final judgment (CPL art 253) [synthetic]",
                **(self._lighter() if outcome == "amended" else {}),
            )
        if reviewed and not review_first:
            self._review()

    def _lighter(self) -> dict[str, Any]:
        """An amended sentence: the same verdict, the term a tenth shorter within its frame."""
        verdict = lc.VERDICTS[self.v("verdict")]
        if verdict != "convicted":
            return {"verdict": verdict}
        penalty = PENALTIES[self.v("penalty_type")]
        out: dict[str, Any] = {"verdict": verdict, "penalty_type": penalty}
        months = self.v("sentence_months")
        if penalty not in ("life_imprisonment", "fine_only"):
            low = {"criminal_detention": 1, "public_surveillance": 3, "imprisonment": 6}[penalty]
            out["term_months"] = max(low, months - max(1, months // 10))
        if penalty == "fine_only":
            out["fine_yuan"] = 1000 * (1 + self.w.defendant_wid(self.i) % 20)
        if self.v("probation"):
            out["probation"] = True
            out["probation_months"] = self.v("probation_months")
        return out

    def _review(self) -> None:
        finding = sc.FINDINGS[self.v("review_finding")]
        self.act(
            quality.review_case,
            self.w.quality_officer(self.i),
            self.d("reviewed_on"),
            grade=sc.GRADES[self.v("review_grade")],
            reason=f"case-quality review; finding: {finding.replace('_', ' ')} [synthetic]",
        )
