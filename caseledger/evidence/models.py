"""Projection of recordings registered in the ledger (rebuilt from ``recording.registered``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseledger.db import Base


class Recording(Base):
    __tablename__ = "recordings"
    __table_args__ = (UniqueConstraint("case_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    defendant_id: Mapped[str | None] = mapped_column(
        ForeignKey("defendants.defendant_id"), nullable=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    media_type: Mapped[str] = mapped_column(String(64))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(32))
    recorded_on: Mapped[dt.date] = mapped_column(Date)


class EvidenceItem(Base):
    """An item of evidence and where its legality stands (rebuilt from ``evidence.*`` events)."""

    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("case_id", "item_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    defendant_id: Mapped[str | None] = mapped_column(
        ForeignKey("defendants.defendant_id"), nullable=True
    )
    item_no: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(2000))
    recording_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # admitted | challenged | excluded
    challenge_ground: Mapped[str | None] = mapped_column(String(500), nullable=True)
    exclusion_stage: Mapped[str | None] = mapped_column(String(32), nullable=True)
    exclusion_ground: Mapped[str | None] = mapped_column(String(500), nullable=True)
    flags: Mapped[str] = mapped_column(String(200), default="")
    collected_on: Mapped[dt.date] = mapped_column(Date)
