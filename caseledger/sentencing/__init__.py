"""Sentencing recommendations computed from the published guidelines, every step explained.

The guidelines are data: ``guidelines/cn-national.yaml`` (SG2021 and SG2024-II, abstract) and
provincial packs that extend it (``guidelines/cn-fj.yaml``), each figure with its source,
confidence label (C / C17 / R) and validity dates. See ``docs/sentencing.md`` (generated).

Python API (notebooks, the plea procedure)::

    from caseledger.sentencing import engine, SentencingInput

    rec = engine.recommend(SentencingInput(
        crime="theft", facts={"amount_yuan": 12000},
        circumstances=[{"code": "surrender", "pct": -20}],
        plea={"stage": "investigation"}, as_of="2024-05-01"))
    rec.recommendation.definite_months, rec.penalty_type, rec.explanation.en
    rec.model_dump(mode="json")          # what a ledger event stores

    engine.recommend({...})              # a plain dict is accepted too
    engine.compute({...})                # the fast path: a JSON-ready dict, no explanation

Vectorised mode (millions of past cases, Polars)::

    from caseledger.sentencing import vector
    out = vector.recommend_frame(frame)  # same rules, recommendation columns added

Errors are :class:`~caseledger.errors.InvalidInput` / ``UnknownCode`` (bad input: they name the
``field`` and the ``allowed`` values), ``SafeguardViolation`` (a leniency override without reason
or author) and ``RulePackInvalid`` (a broken pack: ``file``, ``key``, ``problem``).

Modules: ``packschema`` (pack file schema), ``packs`` (load, extends, cross-checks),
``compiled`` (views as of a date, pack selection), ``conditions`` (tier triggers), ``inputs``
(input checks), ``engine`` (the four steps), ``explain`` (EN/ZH text), ``vector`` (Polars),
``batch`` (JSONL), ``docs`` (docs/sentencing.md), ``commands`` (CLI).

This package never imports the ledger or the case domain.
"""

from __future__ import annotations

from caseledger.sentencing.schemas import Recommendation, SentencingInput

__all__ = ["Recommendation", "SentencingInput"]
