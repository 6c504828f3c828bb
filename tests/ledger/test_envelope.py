"""The canonical serialisation is exactly compact JSON, so anyone can re-verify a chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from hypothesis import given
from hypothesis import strategies as st

from caseledger.domains import load_all
from caseledger.ledger import registry
from caseledger.ledger.envelope import compute_hash, format_time, parse_time
from caseledger.ledger.store import new_event_id

load_all()
text = st.text()


@given(
    fields=st.tuples(
        text,
        text,
        st.integers(1, 10**9),
        text,
        text,
        text,
        text,
        text,
        text,
        text,
        st.none() | text,
        text,
        text,
    )
)
def test_hash_is_sha256_of_the_compact_json_array(fields):
    expected = json.dumps([1, *fields], separators=(",", ":"), ensure_ascii=False)
    assert compute_hash(*fields) == hashlib.sha256(expected.encode("utf-8")).hexdigest()


@given(st.datetimes(timezones=st.timezones()))
def test_times_round_trip_as_sortable_utc_text(value):
    text_form = format_time(value)
    assert text_form.endswith("Z") and len(text_form) == 27
    assert parse_time(text_form) == value.astimezone(dt.UTC)


def test_event_ids_are_time_ordered_uuid7():
    ids = [new_event_id() for _ in range(2000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {uuid.UUID(i).version for i in ids} == {7}


def test_canonical_payload_is_validated_and_memoised_safely():
    first = registry.canonical("measure.imposed", {"measure": "bail"})
    assert first == '{"measure":"bail","replaces":"none"}'
    again = registry.canonical("measure.imposed", {"replaces": "none", "measure": "bail"})
    assert again == first
    assert registry.canonical("charge.added", {"crime_code": "1"}) != registry.canonical(
        "charge.added", {"crime_code": "theft"}
    )


@registry.event_type("test.measured", "A payload with a number, used only by the ledger tests.")
class Measured(registry.Payload):
    value: float
    note: dict[str, object] | None = None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_text_is_the_standard_librarys_byte_for_byte(data):
    expected = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert registry.canonical_json("charge.added", data) == expected  # the fast encoder
    assert registry.canonical_json("test.measured", data) == expected  # the standard one


def test_types_that_may_hold_floats_are_written_by_the_standard_library():
    assert registry.canonical_json("test.measured", {"value": 1e16}) == '{"value":1e+16}'
    assert registry.canonical_json("charge.added", {"x": "\ud800"}) == '{"x":"\ud800"}'
    assert not registry._plain("test.measured")
    assert not registry._plain("plea.statement_signed")  # carries the engine's result
    assert registry._plain("measure.imposed")
