"""Event types: each has a name, a pydantic payload model and a plain-language description.

Domains register their types at import (``@event_type("arrest.decided", "...")``); the ledger
refuses an append whose type is unknown or whose payload the model does not validate. The
registry also feeds ``docs/events.md`` and the test that every event type is documented.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError

from caseledger.errors import InvalidInput


class Payload(BaseModel):
    """Base of every event payload: strict about unknown fields, immutable once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class EventType:
    name: str
    model: type[Payload]
    description: str


_REGISTRY: dict[str, EventType] = {}

P = TypeVar("P", bound=type[Payload])


def event_type(name: str, description: str) -> Callable[[P], P]:
    """Class decorator registering ``name`` with its payload model."""

    def register(model: P) -> P:
        if name in _REGISTRY and _REGISTRY[name].model is not model:
            raise RuntimeError(f"event type {name!r} registered twice")
        _REGISTRY[name] = EventType(name, model, description)
        model.event_type = name  # type: ignore[attr-defined]
        return model

    return register


def get(name: str) -> EventType:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise InvalidInput(
            f"unknown event type {name!r}", allowed=", ".join(sorted(_REGISTRY))
        ) from None


def all_types() -> list[EventType]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


_MEMO: dict[tuple[str, str], str] = {}
_MEMO_LIMIT = 20_000
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def validate(name: str, payload: BaseModel | dict[str, Any]) -> dict[str, Any]:
    """Validate a payload against its type's model; return its JSON-ready dict."""
    return _validate(name, payload)


def canonical(name: str, payload: BaseModel | dict[str, Any]) -> str:
    """Validate a payload and return its canonical JSON text (sorted keys, no spaces).

    Validation is a pure function of (type, payload), so for JSON-plain payloads the result is
    remembered (bounded): the commands and imports repeat the same small payloads many times.
    """
    if isinstance(payload, dict):
        # repr is a cheap memo key: equal reprs mean equal dicts (a different key order is
        # only a miss), and validation is what makes the canonical text, so it is always right.
        key = (name, repr(payload))
        hit = _MEMO.get(key)
        if hit is None:
            hit = _CANONICAL.encode(_validate(name, payload))
            if len(_MEMO) >= _MEMO_LIMIT:
                _MEMO.clear()
            _MEMO[key] = hit
        return hit
    return _CANONICAL.encode(_validate(name, payload))


def canonical_json(name: str, data: dict[str, Any]) -> str:
    """Canonical JSON text of a payload as :func:`validate` returns it (sorted keys, no spaces,
    UTF-8 characters kept): byte for byte what ``json.dumps`` gives.

    orjson writes it, several times faster, and the standard library where the two could
    differ. They differ only in floating-point numbers: a NaN or an infinity (orjson writes
    ``null``) and a magnitude below 1e-4 (orjson ``0.00001`` or ``1e-7``, the standard library
    ``1e-05`` and ``1e-07``); and orjson refuses an integer beyond 64 bits or a lone surrogate.
    For a type whose schema admits no float the text is therefore always orjson's; otherwise it
    is kept only if it holds no such small number (no ``0.0000`` and no digit before ``e-``) and
    reads back equal to the payload (a NaN or infinity would not). Property tests check the
    equality.
    """
    try:
        text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return _CANONICAL.encode(data)
    plain = _PLAIN.get(name)
    if plain is None:
        plain = _plain(name)
    if not plain and (_small_float(text) or orjson.loads(text) != data):
        return _CANONICAL.encode(data)
    return text.decode()


def _small_float(text: bytes) -> bool:
    """Whether orjson's ``text`` may hold a float below 1e-4 in magnitude: ``0.0000`` or a
    digit before ``e-`` (a string that holds them by chance only sends the payload to the
    standard library)."""
    # Substring search (memchr-fast) rather than a regular expression, which would try a match
    # at every byte of a long payload.
    if b"0.0000" in text:
        return True
    i = text.find(b"e-")
    while i > 0:
        if 48 <= text[i - 1] <= 57:  # an ASCII digit
            return True
        i = text.find(b"e-", i + 2)
    return False


_PLAIN: dict[str, bool] = {}


def _plain(name: str) -> bool:
    schema = get(name).model.model_json_schema()
    _PLAIN[name] = plain = not _may_hold_float(schema, schema.get("$defs", {}))
    return plain


def _may_hold_float(schema: Any, defs: dict[str, Any]) -> bool:
    """Whether a JSON schema admits a non-integer number anywhere (or anything at all)."""
    if isinstance(schema, bool):
        return schema
    if "$ref" in schema:
        return _may_hold_float(defs[schema["$ref"].split("/")[-1]], defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return any(_may_hold_float(s, defs) for s in schema[key])
    if "enum" in schema or "const" in schema:
        return any(isinstance(v, float) for v in schema.get("enum", [schema.get("const")]))
    kind = schema.get("type")
    if kind is None or kind == "number" or (isinstance(kind, list) and "number" in kind):
        return True
    if kind == "object":
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", not props)
        return any(_may_hold_float(s, defs) for s in props.values()) or (
            extra is not False and _may_hold_float(extra, defs)
        )
    if kind == "array":
        return _may_hold_float(schema.get("items", True), defs) or any(
            _may_hold_float(s, defs) for s in schema.get("prefixItems", [])
        )
    return False


def _validate(name: str, payload: BaseModel | dict[str, Any]) -> dict[str, Any]:
    model = get(name).model
    if isinstance(payload, BaseModel):
        if not isinstance(payload, model):
            raise InvalidInput(
                f"payload for {name} must be {model.__name__}", got=type(payload).__name__
            )
        # What model_dump(mode="json") calls, without its wrapper (every event passes here).
        return payload.__pydantic_serializer__.to_python(payload, mode="json")  # type: ignore[no-any-return]
    try:
        return model.model_validate(payload).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "payload"
        raise InvalidInput(
            f"invalid payload for {name}: {first['msg']}", event_type=name, field=field
        ) from None
