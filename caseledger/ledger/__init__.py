"""The ledger: the only writer of events, and the truth every projection is rebuilt from.

It owns the event envelope and its canonical hash, the registry of event types and their
payload schemas, appending (gapless per-case sequence numbers, one winner per sequence number),
reading, verification of every chain, and signed checkpoints over all chain heads.

It must never update or delete an event (the database refuses it with triggers), never accept a
payload its event type does not validate, and never know what a case or a plea is: domains
register their event types and projectors here and call :func:`caseledger.ledger.store.append`.
"""
