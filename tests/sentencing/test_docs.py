"""docs/sentencing.md is generated from the packs: it must equal what the generator writes now,
and it must name every crime, fact, circumstance and alias."""

from __future__ import annotations

import datetime as dt

from caseledger.sentencing import docs
from caseledger.sentencing.engine import STEP_KINDS


def test_committed_docs_equal_the_generated_ones():
    committed = docs.TARGET.read_text(encoding="utf-8")
    assert committed == docs.render(), (
        "docs/sentencing.md is stale: python -m caseledger.sentencing.docs"
    )


def test_every_code_is_documented(lib):
    text = docs.TARGET.read_text(encoding="utf-8")
    view = lib.select(None, dt.date(2024, 9, 1))
    for code, crime in view.crimes.items():
        assert f"### `{code}`" in text
        for fact in crime.facts:
            assert f"`{fact}`" in text
        for circ in crime.circumstances:
            assert f"`{circ}`" in text
        for alias in crime.aliases:
            assert f"`{alias}`" in text
    for kind in STEP_KINDS:
        assert f"`{kind}`" in text
