"""Evidence: audio-video recordings (content-addressed files) and, later, the evidence registry.

The recording store owns the files; the ledger stores only their SHA-256 and metadata. A file
is never kept under a name that is not its hash, never half-written under its final name, and
never held in memory whole.
"""
