"""Tier triggers: a tiny condition language over a crime's facts, compiled two ways.

Owns: parsing a ``when:`` tree from a pack, checking it names only the crime's facts and known
thresholds, and compiling it to (a) a Python predicate over a facts dict and (b) a Polars boolean
expression over fact columns, so the per-case engine and the vectorised mode decide tiers alike.

Syntax: ``{always: true}``; ``{any: [...]}``; ``{all: [...]}``; ``{FACT: {OP: VALUE}}`` with OP in
gte, gt, lte, lt, eq, in; ``{FACT: true}`` for a boolean fact. A dict with several fact keys
means all of them. VALUE may be ``"@name"``, a threshold of the crime.

Must never: contain a legal number; thresholds come from the pack.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "lt": operator.lt,
    "eq": operator.eq,
}
SYMBOL = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "=", "in": "in"}


class ConditionError(ValueError):
    """A malformed condition; the message names the offending part."""


@dataclass(frozen=True)
class Node:
    kind: str  # always | any | all | cmp
    children: tuple[Node, ...] = ()
    fact: str = ""
    op: str = ""
    value: Any = None
    ref: str | None = None  # the threshold name, for explanations


def parse(tree: Any, facts: set[str], thresholds: Mapping[str, float | None]) -> Node:
    """Parse and check ``tree``; ``thresholds`` maps names to values (None: not yet set)."""
    if not isinstance(tree, dict) or not tree:
        raise ConditionError(f"a condition must be a non-empty mapping, got {tree!r}")
    if "always" in tree:
        if tree != {"always": True}:
            raise ConditionError("'always' takes only the value true")
        return Node("always")
    if set(tree) & {"any", "all"}:
        if len(tree) != 1:
            raise ConditionError("'any'/'all' must be the only key of its mapping")
        kind, items = next(iter(tree.items()))
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{kind}' needs a non-empty list")
        return Node(kind, tuple(parse(i, facts, thresholds) for i in items))
    parts = []
    for fact, test in tree.items():
        if fact not in facts:
            raise ConditionError(f"unknown fact {fact!r} (allowed: {sorted(facts)})")
        if test is True or test is False:
            parts.append(Node("cmp", fact=fact, op="eq", value=test))
            continue
        if not isinstance(test, dict) or len(test) != 1:
            raise ConditionError(f"{fact}: expected {{op: value}} or true, got {test!r}")
        op, raw = next(iter(test.items()))
        if op not in SYMBOL:
            raise ConditionError(f"{fact}: unknown operator {op!r} (allowed: {sorted(SYMBOL)})")
        ref = None
        value = raw
        if isinstance(raw, str) and raw.startswith("@"):
            ref = raw[1:]
            if ref not in thresholds:
                raise ConditionError(f"{fact}: unknown threshold {raw!r}")
            value = thresholds[ref]
        if op == "in" and not isinstance(value, list):
            raise ConditionError(f"{fact}: 'in' needs a list")
        parts.append(Node("cmp", fact=fact, op=op, value=value, ref=ref))
    return parts[0] if len(parts) == 1 else Node("all", tuple(parts))


def refs(node: Node) -> set[str]:
    """Threshold names the condition uses."""
    out = {node.ref} if node.ref else set()
    for child in node.children:
        out |= refs(child)
    return out


def predicate(node: Node) -> Callable[[Mapping[str, Any]], bool]:
    if node.kind == "always":
        return lambda f: True
    if node.kind in ("any", "all"):
        subs = tuple(predicate(c) for c in node.children)
        if node.kind == "any":
            return lambda f: any(s(f) for s in subs)
        return lambda f: all(s(f) for s in subs)
    fact, value = node.fact, node.value
    if node.op == "in":
        members = frozenset(value)
        return lambda f: f[fact] in members
    fn = OPS[node.op]
    return lambda f: fn(f[fact], value)


def expression(node: Node) -> pl.Expr:
    if node.kind == "always":
        return pl.lit(True)
    if node.kind in ("any", "all"):
        exprs = [expression(c) for c in node.children]
        return pl.any_horizontal(exprs) if node.kind == "any" else pl.all_horizontal(exprs)
    col = pl.col(node.fact)
    if node.op == "in":
        return col.is_in(list(node.value))
    return {
        "gte": col >= node.value,
        "gt": col > node.value,
        "lte": col <= node.value,
        "lt": col < node.value,
        "eq": col == node.value,
    }[node.op]


def describe(node: Node) -> str:
    """Plain text, e.g. ``amount_yuan ≥ 2000 (large) or count ≥ 3``."""
    if node.kind == "always":
        return "always"
    if node.kind in ("any", "all"):
        joiner = " or " if node.kind == "any" else " and "
        inner = joiner.join(describe(c) for c in node.children)
        return f"({inner})" if len(node.children) > 1 else inner
    if node.op == "eq" and node.value is True:
        return node.fact
    if node.op == "eq" and node.value is False:
        return f"not {node.fact}"
    value = node.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    tail = f" ({node.ref})" if node.ref else ""
    return f"{node.fact} {SYMBOL[node.op]} {value}{tail}"
