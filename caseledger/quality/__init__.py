"""Case quality: individual case-quality reviews (案件质量评查), recorded in the ledger.

Owns the ``quality.case_reviewed`` event, its projection ``quality_reviews`` and the review
command. Seed 001 moves prosecutorial management from data indicators and rankings to case
quality: macro-level analysis combined with *micro-level assessment of individual cases*. A
review grades one defendant's handling (``excellent``, ``qualified``, ``flawed``,
``unqualified``) with its reasons, by a case-quality officer who did not handle the case.

Must never: rank or score units, officials or regions against each other; change a case's
legal state (a review is an assessment, not a decision in the case); or let anyone review a
case they acted in.
"""
