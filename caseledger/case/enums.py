"""States and codes of the defendant lifecycle, each with a plain-language description.

The descriptions are used by ``caseledger case show``, the docs and (later) the web pages, so
a state means the same thing everywhere.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where a defendant's case stands in the Criminal Procedure Law sequence."""

    investigation = "investigation"
    arrest_review = "arrest_review"
    prosecution_review = "prosecution_review"
    supplementary_investigation = "supplementary_investigation"
    awaiting_trial = "awaiting_trial"
    trial = "trial"
    judged = "judged"
    appeal = "appeal"
    final = "final"
    executing = "executing"
    not_prosecuted = "not_prosecuted"
    withdrawn = "withdrawn"


STAGE_DESCRIPTIONS: dict[Stage, str] = {
    Stage.investigation: "under investigation by the police (侦查)",
    Stage.arrest_review: "the procuratorate is reviewing a request to approve arrest (审查逮捕)",
    Stage.prosecution_review: "transferred to the procuratorate for prosecution review (审查起诉)",
    Stage.supplementary_investigation: "returned to the police for supplementary investigation "
    "(退回补充侦查)",
    Stage.awaiting_trial: "indicted; the court has not yet chosen the trial procedure (提起公诉)",
    Stage.trial: "on trial at first instance under a chosen procedure (审判)",
    Stage.judged: "first-instance judgment given; the appeal window is open (一审判决)",
    Stage.appeal: "on appeal or protest at second instance (二审)",
    Stage.final: "the judgment has taken legal effect (生效)",
    Stage.executing: "the sentence is being executed (执行)",
    Stage.not_prosecuted: "the procuratorate decided not to prosecute (不起诉)",
    Stage.withdrawn: "the case against this person was withdrawn (撤销案件)",
}

TERMINAL_STAGES = frozenset({Stage.final, Stage.executing, Stage.not_prosecuted, Stage.withdrawn})
PRE_TRIAL_STAGES = frozenset(
    {
        Stage.investigation,
        Stage.arrest_review,
        Stage.prosecution_review,
        Stage.supplementary_investigation,
        Stage.awaiting_trial,
    }
)


class Measure(StrEnum):
    """Compulsory measures (强制措施), CPL ch. 6."""

    none = "none"
    criminal_detention = "criminal_detention"
    arrest = "arrest"
    bail = "bail"
    residential_surveillance = "residential_surveillance"


MEASURE_DESCRIPTIONS: dict[Measure, str] = {
    Measure.none: "no compulsory measure",
    Measure.criminal_detention: "criminal detention (刑事拘留), CPL arts 82-86",
    Measure.arrest: "arrested and held in custody (逮捕), CPL arts 80-81",
    Measure.bail: "bail pending trial (取保候审), CPL arts 66-79",
    Measure.residential_surveillance: "residential surveillance (监视居住), CPL arts 74-79",
}

CUSTODIAL = frozenset({Measure.criminal_detention, Measure.arrest})


class ArrestGround(StrEnum):
    """Why arrest was not approved (CPL arts 81, 90; SPP-Rules 139-140)."""

    no_crime = "no_crime"
    insufficient_evidence = "insufficient_evidence"
    no_necessity = "no_necessity"
    minor_with_plea = "minor_with_plea"


class NonProsecutionGround(StrEnum):
    """Grounds for not prosecuting (CPL arts 16, 175(4), 177)."""

    no_crime = "no_crime"
    insufficient_evidence = "insufficient_evidence"
    minor = "minor"


NON_PROSECUTION_BASIS: dict[NonProsecutionGround, str] = {
    NonProsecutionGround.no_crime: "CPL art 177(1) (no crime or a CPL art 16 ground)",
    NonProsecutionGround.insufficient_evidence: "CPL art 175(4) (evidence insufficient)",
    NonProsecutionGround.minor: "CPL art 177(2) (minor circumstances, no punishment needed)",
}


class Procedure(StrEnum):
    fast_track = "fast_track"
    summary = "summary"
    ordinary = "ordinary"


class Verdict(StrEnum):
    convicted = "convicted"
    acquitted = "acquitted"
    exempted = "exempted"


class PenaltyType(StrEnum):
    """Principal penalties (CL art 33) and a fine alone (CL art 34)."""

    public_surveillance = "public_surveillance"
    criminal_detention = "criminal_detention"
    imprisonment = "imprisonment"
    life_imprisonment = "life_imprisonment"
    death_suspended = "death_suspended"
    death = "death"
    fine_only = "fine_only"


class AppealKind(StrEnum):
    appeal = "appeal"
    protest = "protest"


class AppealOutcome(StrEnum):
    upheld = "upheld"
    amended = "amended"
    remanded = "remanded"


class RetrialOutcome(StrEnum):
    """Outcome of a retrial of a final judgment (trial supervision, CPL arts 252-258)."""

    upheld = "upheld"
    amended = "amended"
    acquitted = "acquitted"


class RetrialInitiator(StrEnum):
    """Who set the retrial going: a party's petition (CPL art 252-253), the court itself
    (president and judicial committee or a higher court, CPL art 254(1)-(2)) or a procuratorate
    protest (CPL art 254(3)-(4))."""

    petition = "petition"
    court = "court"
    protest = "protest"


class CloseReason(StrEnum):
    """Why a case is closed. A case is never refused at registration, only closed later."""

    no_crime = "no_crime"
    not_liable = "not_liable"
    concluded = "concluded"
    merged = "merged"


class CourtLevel(StrEnum):
    basic = "basic"
    intermediate = "intermediate"
    high = "high"
    supreme = "supreme"
