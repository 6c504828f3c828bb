"""The plea-leniency ("admit guilt and accept punishment", 认罪认罚) procedure and its safeguards.

Owns the plea events of a defendant and the ``pleas`` projection. Its commands enforce, rather
than advise: no plea statement without counsel present (and never a duty lawyer in place of a
retained defender), without a recorded consultation whose file is in the recording store and
still hashes to what the ledger holds, or with a recommendation other than the sentencing
engine's for the recorded facts unless the deviation is attributed and reasoned; no leniency for
a case the rules exclude unless a prosecutor's attributed override, which flags the case for
quality review. A plea never replaces the evidence assessment that a prosecution needs
(:func:`caseledger.case.lifecycle.check_evidence_assessment`).
"""
