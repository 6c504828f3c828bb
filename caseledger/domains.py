"""Imports every domain that registers event types, projectors or tables, in one place."""

from __future__ import annotations


def load_all() -> None:
    import caseledger.case.events
    import caseledger.case.models
    import caseledger.case.projector
    import caseledger.evidence.events
    import caseledger.evidence.items
    import caseledger.evidence.models
    import caseledger.evidence.service
    import caseledger.ledger.models
    import caseledger.plea.events
    import caseledger.plea.projector
    import caseledger.quality.events
    import caseledger.quality.models
    import caseledger.quality.service  # noqa: F401
