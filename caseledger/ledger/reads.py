"""How the write unit reads: a case's rows and chain head in one go, then from memory.

Owns the reading half of :class:`caseledger.ledger.unit.Unit`. The first time a transaction needs
a case, every projection table's rows of that case and the chain head are read together (one
round trip on PostgreSQL); :meth:`Reads.prefetch` does the same for many cases at once (after
one more round trip that finds their ids). Rows
read are instances of the mapped classes held by the unit; a row already held keeps its
instance, which may have changed in memory, and a row deleted in memory stays deleted.

It must never change a row: changes go through the unit, which keeps the undo log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table

from caseledger.ledger.envelope import GENESIS_HASH
from caseledger.ledger.tables import TableSQL, run_many

if TYPE_CHECKING:
    from caseledger.ledger.unit import Unit

M = TypeVar("M")
_MODELS: dict[Table, type] = {}


def _model_of(table: Table) -> type | None:
    if not _MODELS:
        from caseledger.db import Base

        _MODELS.update({m.local_table: m.class_ for m in Base.registry.mappers})  # type: ignore[misc]
    return _MODELS.get(table)


class Reads:
    """The reading methods of the write unit (a mixin of :class:`Unit`)."""

    def rows(self: Unit, model: type[M], case_id: str) -> list[M]:
        """All rows of ``model`` for a case, in storage order (do not change the list)."""
        t = self._t(model)
        found = self._lists.get((t.table, case_id))
        if found is None:
            self.load_cases([case_id])
            found = self._lists.get((t.table, case_id))
            if found is None:  # not a projection table: read on its own
                rows = (
                    []
                    if case_id in self._fresh
                    else run_many(self.driver, self.sqlite, [t.case_query(self.mark, [case_id])])[0]
                )
                found = self._lists[(t.table, case_id)] = self._adopt_all(t, rows)
        return found

    def get(self: Unit, model: type[M], *key: Any, case_id: str | None = None) -> M | None:
        """The row with this natural key (e.g. ``get(Defendant, defendant_id)``), or None.

        Give the row's ``case_id`` when the key does not contain it: the case's rows are then
        read together (or not at all for a new case) and a missing row costs no query.
        """
        t = self._t(model)
        obj = self._objs.get(t.table, {}).get(key)
        if obj is not None or (t.table, key) in self._gone:
            return obj
        if t.case_col is not None:
            if case_id is None and t.case_in_key is not None:
                case_id = key[t.case_in_key]
            if case_id is not None:
                if (t.table, case_id) not in self._lists:
                    self.rows(model, case_id)
                    return self._objs.get(t.table, {}).get(key)
                return None
        rows = run_many(self.driver, self.sqlite, [(t.by_key_sql, key)])[0]
        return self._adopt_all(t, rows)[0] if rows else None

    def find(self: Unit, model: type[M], column: str, value: Any) -> M | None:
        """The row whose unique, never-changing ``column`` equals ``value``, or None."""
        t = self._t(model)
        obj = self._indexed(t, column).get(value)
        if obj is None:
            self.prefetch(model, column, [value])
            obj = self._indexed(t, column).get(value)
        return obj

    def prefetch(self: Unit, model: type, column: str, values: Iterable[Any]) -> None:
        """Read ahead the cases whose ``model`` row has ``column`` in ``values`` (e.g. case
        numbers), all together (two round trips on PostgreSQL: their ids, then their rows);
        commands then find them in memory."""
        t = self._t(model)
        index = self._indexed(t, column)
        wanted = list(dict.fromkeys(v for v in values if v not in index))
        if not wanted:
            return
        q = self.dialect.identifier_preparer.quote
        marks = ", ".join([self.mark] * len(wanted))
        if t.case_col is None or t not in self._bundle_tables():
            sql = f"SELECT {', '.join(q(c) for c in t.all_columns)} FROM {t.name}"
            rows = run_many(
                self.driver, self.sqlite, [(f"{sql} WHERE {q(column)} IN ({marks})", wanted)]
            )
            self._adopt_all(t, rows[0])
            return
        # The case ids first, then the cases' rows by id. On PostgreSQL that is two round
        # trips instead of one, and still half the time: nine queries each finding the cases
        # again through this lookup (two levels deep for rows keyed by defendant) cost the
        # server 3.1 ms for 50 cases, the lookup and the nine queries by id 1.35 ms (measured).
        lookup = f"SELECT {q('case_id')} FROM {t.name} WHERE {q(column)} IN ({marks})"
        found = run_many(self.driver, self.sqlite, [(lookup, wanted)])[0]
        self.load_cases([r[0] for r in found])

    def load_cases(self: Unit, case_ids: Iterable[str]) -> None:
        """Read the projection rows and chain heads of these cases (one round trip on
        PostgreSQL); cases already held or new are skipped."""
        wanted = []
        for case_id in dict.fromkeys(case_ids):
            if case_id in self._loaded:
                continue
            if case_id in self._fresh:
                self._hold(case_id, {}, None)
            else:
                wanted.append(case_id)
        if wanted:
            self._load(wanted)

    def head(self: Unit, case_id: str) -> tuple[int, str]:
        """The case chain's last sequence number and hash, appended events included."""
        found = self._heads.get(case_id)
        if found is None:
            self.load_cases([case_id])
            found = self._heads[case_id]
        return found

    def events(
        self: Unit, case_id: str, defendant_id: str, event_type: str
    ) -> list[tuple[Any, ...]]:
        """``(seq, event_type, occurred_at, actor_id, payload)`` of a defendant's events of one
        type, stored and appended, in chain order."""
        out: list[tuple[Any, ...]] = []
        if case_id not in self._fresh:
            out = [
                tuple(r)
                for r in run_many(
                    self.driver,
                    self.sqlite,
                    [(self._events_sql, (case_id, defendant_id, event_type))],
                )[0]
            ]
        out += [
            (e.seq, e.event_type, e.occurred_at, e.actor_id, e.payload)
            for e in self._case_events.get(case_id, ())
            if e.defendant_id == defendant_id and e.event_type == event_type
        ]
        return out

    def acted(self: Unit, case_id: str, actor_id: str, *, ignore: str) -> bool:
        """Whether an event of the case (stored or appended) is by ``actor_id``, events of type
        ``ignore`` aside; without making the unit write what it holds."""
        if any(
            e.actor_id == actor_id and e.event_type != ignore
            for e in self._case_events.get(case_id, ())
        ):
            return True
        if case_id in self._fresh:
            return False
        sql = (
            f"SELECT 1 FROM events WHERE case_id = {self.mark} AND actor_id = {self.mark} "
            f"AND event_type <> {self.mark} LIMIT 1"
        )
        return bool(run_many(self.driver, self.sqlite, [(sql, (case_id, actor_id, ignore))])[0])

    def _bundle_tables(self: Unit) -> list[TableSQL]:
        """The projection tables with a case_id: what is read when a case is first needed."""
        if self._bundle is None:
            from caseledger.ledger.projection import projection_tables

            models = [_model_of(t) for t in projection_tables() if "case_id" in t.c]
            self._bundle = [self._t(m) for m in models if m is not None]
        return self._bundle

    def _load(self: Unit, ids: list[str]) -> None:
        """Read the rows and chain heads of these cases (held even when the database has
        nothing for them)."""
        tables = self._bundle_tables()
        cases_sql = ", ".join([self.mark] * len(ids))
        source = f"(VALUES {', '.join([f'({self.mark})'] * len(ids))}) AS c (case_id)"
        queries = [t.case_query(cases_sql, ids) for t in tables]
        queries.append((self._head_sql.format(case=cases_sql, source=source), ids))
        results = run_many(self.driver, self.sqlite, queries)
        found: dict[str, dict[TableSQL, list[Any]]] = {}
        for t, rows in zip(tables, results, strict=False):
            for row in rows:
                found.setdefault(row[t.case_index], {}).setdefault(t, []).append(row)
        heads = {row[0]: (row[1], row[2]) for row in results[-1]}
        for case_id in heads.keys() - found.keys():
            found[case_id] = {}  # a chain without projection rows
        for case_id in ids:
            found.setdefault(case_id, {})  # a case with no events yet
        for case_id, rows in found.items():
            if case_id not in self._loaded:
                self._hold(case_id, rows, heads.get(case_id))

    def _hold(
        self: Unit, case_id: str, rows: dict[TableSQL, list[Any]], head: tuple[int, str] | None
    ) -> None:
        lists = self._lists
        for t in self._bundle_tables():
            found = rows.get(t)
            lists[(t.table, case_id)] = self._adopt_all(t, found) if found else []
        self._heads.setdefault(case_id, head or (0, GENESIS_HASH))
        self._loaded.add(case_id)

    def _indexed(self: Unit, t: TableSQL, column: str) -> dict[Any, Any]:
        index = self._index.get((t.table, column))
        if index is None:
            index = self._index[(t.table, column)] = {
                o.__dict__[column]: o for o in self._objs.get(t.table, {}).values()
            }
            self._indexes_of.setdefault(t.table, []).append((column, index))
        return index

    def _adopt_all(self: Unit, t: TableSQL, rows: list[Any]) -> list[Any]:
        """The instances for driver rows; a row already held keeps its instance (it may
        have changed in memory), a row deleted in memory stays deleted."""
        objs = self._objs.setdefault(t.table, {})
        indexes = self._indexes_of.get(t.table, ())
        out = []
        for row in rows:
            key, values = t.build(row)
            obj = objs.get(key)
            if obj is None:
                if (t.table, key) in self._gone:
                    continue
                obj = objs[key] = t.new_instance(values)
                for column, index in indexes:
                    index[values[column]] = obj
            out.append(obj)
        return out
