"""The ``pleas`` projection: where each defendant's plea procedure stands."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseledger.db import Base


class Plea(Base):
    __tablename__ = "pleas"

    defendant_id: Mapped[str] = mapped_column(
        ForeignKey("defendants.defendant_id"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    status: Mapped[str] = mapped_column(String(24))
    rights_notified_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    admitted_stage: Mapped[str | None] = mapped_column(String(16), nullable=True)
    counsel_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    counsel_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    retained_counsel_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    consultations: Mapped[int] = mapped_column(Integer, default=0)
    last_consultation_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    override: Mapped[bool] = mapped_column(default=False)
    statement: Mapped[str | None] = mapped_column(String(16), nullable=True)
    not_required_ground: Mapped[str | None] = mapped_column(String(40), nullable=True)
    recommendation_kind: Mapped[str | None] = mapped_column(String(8), nullable=True)
    definite_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    range_low: Mapped[int | None] = mapped_column(Integer, nullable=True)
    range_high: Mapped[int | None] = mapped_column(Integer, nullable=True)
    penalty_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    deviates: Mapped[bool] = mapped_column(default=False)
    leniency_excluded: Mapped[bool] = mapped_column(default=False)
    signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    court_decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    rejection_ground: Mapped[str | None] = mapped_column(String(32), nullable=True)
    quality_flags: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
