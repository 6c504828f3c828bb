"""The ``quality_reviews`` projection: one row per recorded case-quality review."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseledger.db import Base


class QualityReview(Base):
    __tablename__ = "quality_reviews"
    __table_args__ = (Index("ix_quality_reviews_defendant_id", "defendant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    defendant_id: Mapped[str] = mapped_column(ForeignKey("defendants.defendant_id"))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    reviewer_id: Mapped[str] = mapped_column(String(64))
    agency_code: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
