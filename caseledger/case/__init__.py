"""Cases and defendants: registration, charges and the defendant lifecycle.

Owns the case-number sequence, the crime catalogue (data), the defendant state machine (one
transition table), the Criminal Procedure Law time limits (data) and the projections ``cases``,
``defendants``, ``charges`` and ``deadlines``. Every command checks its legal preconditions and
then appends events through the ledger; it never writes a projection row directly and never
refuses to register a reported case (registration is not screening: a case can only be closed
later, with a recorded reason).
"""
