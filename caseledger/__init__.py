"""caseledger: criminal cases as attributed, hash-chained events, with their safeguards enforced."""

__version__ = "0.1.0"
