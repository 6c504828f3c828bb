"""The Parquet warehouse: the analytics storage contract (schema, layout, atomic writes).

Owns the table schemas (:mod:`.schema`, versioned), the writer (:mod:`.writer`), transactions
(:mod:`.transaction`) and the export from the ledger: :mod:`.facts` (a case's chain to rows),
:mod:`.ids` (ledger UUIDs to int64) and :mod:`.export` (incremental, with a watermark). The
storage modules must never know how rows are produced: the synthetic generator and the export
both hand them Arrow tables that already match the schema.
"""
