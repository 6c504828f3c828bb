"""The Parquet warehouse: the analytics storage contract (schema, layout, atomic writes).

Owns the table schemas (:mod:`.schema`, versioned) and the writer (:mod:`.writer`). Must never
know how rows are produced: the synthetic generator and (later) the ledger export both hand it
Arrow tables that already match the schema.
"""
