"""Projector of the plea procedure: how each plea event changes the ``pleas`` row."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from caseledger.case.projector import local_date
from caseledger.ledger.models import Event
from caseledger.ledger.projection import projector, register_tables
from caseledger.plea.models import Plea

register_tables(Plea.__table__)  # type: ignore[arg-type]


def _row(session: Session, event: Event) -> Plea:
    plea = session.get(Plea, event.defendant_id)
    if plea is None:
        plea = Plea(
            defendant_id=event.defendant_id,
            case_id=event.case_id,
            status="notified",
            consultations=0,
            override=False,
            deviates=False,
            leniency_excluded=False,
            quality_flags="",
            version=0,
        )
        session.add(plea)
    plea.version += 1
    return plea


@projector("plea.rights_notified")
def _notified(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.rights_notified_on = plea.rights_notified_on or local_date(event)


@projector("plea.guilt_admitted")
def _admitted(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.admitted_stage = p["stage"]
    plea.status = "admitted"
    plea.withdrawn_on = None


@projector("plea.counsel_assigned")
def _counsel(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.counsel_kind = p["kind"]
    plea.counsel_id = p["lawyer_id"]
    if p["kind"] == "retained":
        plea.retained_counsel_id = p["lawyer_id"]


@projector("plea.consultation_held")
def _consulted(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.consultations += 1
    plea.last_consultation_on = local_date(event)


@projector("plea.leniency_override")
def _override(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.override = True
    plea.quality_flags = _flag(plea.quality_flags, "leniency_override")


@projector("plea.statement_signed", "plea.agreed_without_statement")
def _agreed(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    signed = event.event_type == "plea.statement_signed"
    plea.status = "signed" if signed else "agreed"
    plea.statement = "signed" if signed else "not_required"
    plea.not_required_ground = None if signed else p["ground"]
    plea.recommendation_kind = p["kind"]
    plea.definite_months = p.get("definite_months")
    low_high = p.get("range_months") or [None, None]
    plea.range_low, plea.range_high = low_high[0], low_high[1]
    plea.penalty_type = p["penalty_type"]
    plea.deviates = p.get("deviation_reason") is not None
    plea.leniency_excluded = bool(p["recommendation"].get("leniency_excluded"))
    plea.signed_on = local_date(event)
    if p.get("engine_definite_months") is None:
        plea.quality_flags = _flag(plea.quality_flags, "no_guideline")
    elif plea.deviates:
        plea.quality_flags = _flag(plea.quality_flags, "deviates_from_guideline")


@projector("plea.withdrawn")
def _withdrawn(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.status = "withdrawn"
    plea.withdrawn_on = local_date(event)
    plea.admitted_stage = None
    plea.definite_months = plea.range_low = plea.range_high = None
    plea.recommendation_kind = plea.statement = None


@projector("plea.recommendation_revised")
def _revised(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.status = "revised"
    plea.definite_months = p["definite_months"]
    plea.recommendation_kind = "definite"


@projector("plea.court_decided")
def _decided(session: Session, event: Event, p: dict[str, Any]) -> None:
    plea = _row(session, event)
    plea.status = "decided"
    plea.court_decision = p["decision"]
    plea.rejection_ground = p.get("ground")


def _flag(flags: str, flag: str) -> str:
    return ",".join(sorted({*filter(None, flags.split(",")), flag}))
