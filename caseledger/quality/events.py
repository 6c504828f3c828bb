"""Event types of the quality domain."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from caseledger.ledger.registry import Payload, event_type


class ReviewGrade(StrEnum):
    """The four grades of a case-quality review (优质, 合格, 瑕疵, 不合格)."""

    excellent = "excellent"
    qualified = "qualified"
    flawed = "flawed"
    unqualified = "unqualified"


GRADE_DESCRIPTIONS: dict[ReviewGrade, str] = {
    ReviewGrade.excellent: "优质: handled well in substance and procedure",
    ReviewGrade.qualified: "合格: no defect that matters",
    ReviewGrade.flawed: "瑕疵: defects that did not affect the outcome",
    ReviewGrade.unqualified: "不合格: defects that affected, or could have affected, the outcome",
}


@event_type(
    "quality.case_reviewed",
    "A case-quality officer reviewed one defendant's handling and graded it, with reasons.",
)
class CaseReviewed(Payload):
    grade: ReviewGrade
    reason: str = Field(min_length=1, max_length=4000)
