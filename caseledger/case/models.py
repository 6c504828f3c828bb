"""Projection tables of the case domain: current state, rebuilt from events at any time.

Every row has a ``version`` that grows with each event that changes it (for optimistic
concurrency in the API) and the ``last_seq`` of the case event that last touched it. Personal
details live in ``personal_data``, outside the hashed events, so that a legally required erasure
does not break a chain; events carry only ``person_ref``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseledger.db import Base


class Case(Base):
    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_number: Mapped[str] = mapped_column(String(48), unique=True)
    agency_code: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    reported_on: Mapped[dt.date] = mapped_column(Date)
    registered_on: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    close_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    defendant_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    last_seq: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("agency_code", "year", "serial"),)


class Defendant(Base):
    __tablename__ = "defendants"
    __table_args__ = (
        UniqueConstraint("case_id", "defendant_no"),
        Index("ix_defendants_stage", "stage"),
    )

    defendant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    defendant_no: Mapped[int] = mapped_column(Integer)
    person_ref: Mapped[str] = mapped_column(String(64))
    age_at_offence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stage: Mapped[str] = mapped_column(String(32))
    stage_since: Mapped[dt.date] = mapped_column(Date)
    measure: Mapped[str] = mapped_column(String(32), default="none")
    measure_since: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    detained_days: Mapped[int] = mapped_column(Integer, default=0)
    arrest_decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    arrest_refusal_ground: Mapped[str | None] = mapped_column(String(32), nullable=True)
    returns: Mapped[int] = mapped_column(Integer, default=0)
    evidence_sufficient: Mapped[bool | None] = mapped_column(nullable=True)
    prosecution_decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    non_prosecution_ground: Mapped[str | None] = mapped_column(String(32), nullable=True)
    procedure: Mapped[str | None] = mapped_column(String(16), nullable=True)
    expected_sentence_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)
    penalty_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    term_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    probation: Mapped[bool | None] = mapped_column(nullable=True)
    judged_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    served_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    appeal_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    appeal_outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    final_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    retrial_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    retrial_outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    last_seq: Mapped[int] = mapped_column(Integer)


class Charge(Base):
    __tablename__ = "charges"
    __table_args__ = (UniqueConstraint("defendant_id", "crime_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    defendant_id: Mapped[str] = mapped_column(ForeignKey("defendants.defendant_id"))
    crime_code: Mapped[str] = mapped_column(String(64))
    charged_on: Mapped[dt.date] = mapped_column(Date)


class Deadline(Base):
    """A running legal time limit of a defendant, recomputed on each of its events."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("defendant_id", "limit_id"),
        Index("ix_deadlines_due_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"))
    defendant_id: Mapped[str] = mapped_column(ForeignKey("defendants.defendant_id"))
    limit_id: Mapped[str] = mapped_column(String(48))
    started_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    extended_days: Mapped[int] = mapped_column(Integer, default=0)
    extended_months: Mapped[int] = mapped_column(Integer, default=0)
    extensions: Mapped[str] = mapped_column(String(200), default="")
    article: Mapped[str] = mapped_column(String(64))


class PersonalData(Base):
    """Names and identifiers, outside the hash chain; erasable without breaking it."""

    __tablename__ = "personal_data"

    person_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    id_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    salt: Mapped[str] = mapped_column(String(32))
