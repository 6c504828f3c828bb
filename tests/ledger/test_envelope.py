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
    before = dt.datetime.now(dt.UTC)
    ids = [new_event_id() for _ in range(2000)]
    after = dt.datetime.now(dt.UTC)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    parsed = [uuid.UUID(i) for i in ids]
    assert {u.version for u in parsed} == {7} and {u.variant for u in parsed} == {uuid.RFC_4122}
    assert all(str(u) == i for u, i in zip(parsed, ids, strict=True))  # canonical text form
    # The first 48 bits are the Unix time in milliseconds.
    ms = [u.int >> 80 for u in parsed]
    assert int(before.timestamp() * 1000) - 1 <= ms[0] <= ms[-1] <= after.timestamp() * 1000 + 1
    # The random part varies (62 bits each; the variant nibble takes all four values).
    assert len({i[19] for i in ids}) == 4 and len({i[-12:] for i in ids}) == len(ids)


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


def _json_values(leaves: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )


plain_leaves = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text()
json_values = _json_values(plain_leaves)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_text_is_the_standard_librarys_byte_for_byte(data):
    expected = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert registry.canonical_json("charge.added", data) == expected  # the fast encoder
    assert registry.canonical_json("test.measured", data) == expected  # checked for floats


# Floats of every kind: NaN and infinities, tiny and huge magnitudes, and the everyday ones
# (months, percentages) that the fast encoder writes.
any_float = (
    st.floats()
    | st.floats(min_value=-1e-3, max_value=1e-3)
    | st.decimals(min_value=-1000, max_value=1000, places=2).map(float)
)
json_values_with_floats = _json_values(plain_leaves | any_float)


@given(st.dictionaries(st.text(max_size=8), json_values_with_floats, max_size=6))
def test_canonical_text_with_floats_is_the_standard_librarys_byte_for_byte(data):
    expected = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert registry.canonical_json("test.measured", data) == expected


def test_floats_where_the_encoders_differ_are_written_by_the_standard_library():
    for value, text in [
        (1e16, "1e+16"),
        (1e-05, "1e-05"),
        (1.5e-07, "1.5e-07"),
        (-0.00009, "-9e-05"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
        (0.0001, "0.0001"),
        (3.8499999999999996, "3.8499999999999996"),
    ]:
        assert registry.canonical_json("test.measured", {"value": value}) == f'{{"value":{text}}}'


def test_types_that_may_hold_floats_are_written_by_the_standard_library():
    assert registry.canonical_json("test.measured", {"value": 1e16}) == '{"value":1e+16}'
    assert registry.canonical_json("charge.added", {"x": "\ud800"}) == '{"x":"\ud800"}'
    assert not registry._plain("test.measured")
    assert not registry._plain("plea.statement_signed")  # carries the engine's result
    assert registry._plain("measure.imposed")
