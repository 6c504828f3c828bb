"""Confession-only convictions: clusters of convictions resting on a confession alone
(``shared/analytics.md`` §2.5; seed 000: forced confessions under conviction targets; CPL art
55 (2018): with only the defendant's statement and no other evidence, guilt cannot be found —
the article number is recalled, not from shared/law).

Per prefecture, the share of convictions whose recorded evidence basis is ``confession_only``
against the national share; one-sided exact binomial test (random effects if the prefectures
are over-dispersed), Holm across prefectures. The prefecture is the unit because a practice
of this kind spreads across the police, procuratorates and courts of an area.

Must never: treat a confession-only conviction as wrongful — it is a reason to review the file.
"""

from __future__ import annotations

import polars as pl

from caseledger.analytics.audit import common
from caseledger.analytics.audit.common import Scope
from caseledger.analytics.audit.model import TestRun

TEST = "confession_only"
VERSION = 1
TITLE = "Confession-only convictions"
QUESTION = (
    "Are convictions resting on a confession alone clustered in some areas, beyond what the "
    "national share would give?"
)
LEVEL = "prefecture_code"


def run(scope: Scope) -> TestRun:
    run_ = TestRun(TEST, VERSION, TITLE, QUESTION, _method(), "nothing found")
    t = scope.table
    rows = t.filter(t.prefecture_code.notnull(), t.verdict == "convicted",
                    t.evidence_basis.notnull())  # fmt: skip
    cells = scope.collect(
        rows.group_by(unit=rows.prefecture_code).aggregate(
            records=rows.count(),
            observed=(rows.evidence_basis == "confession_only").cast("int64").sum(),
        )
    )
    if cells.height == 0:
        run_.status, run_.no_data = "no data", "no conviction with a recorded evidence basis"
        return run_
    share = float(cells["observed"].sum() / cells["records"].sum())
    per_unit = cells.with_columns((pl.col("records") * share).alias("expected"))
    summary, finding = common.excess_outcome(
        test=TEST, version=VERSION, check="convictions", level=LEVEL, frame=per_unit,
        alternative="greater", alpha=scope.alpha,
        statistic=f"convictions on a confession alone, against the national share {share:.5f}",
        inputs=["prefecture_code", "verdict", "evidence_basis", "year"],
        explanation=(
            "These prefectures convict on a confession alone far more often than the rest of "
            "the country. The law requires other evidence (CPL art 55); a cluster like this can "
            "mean confessions are being relied on — or obtained — in place of investigation."
        ),
    )  # fmt: skip
    run_.checks.append(summary)
    if finding is not None:
        run_.findings.append(finding)
        run_.status = "finding"
    return run_


def _method() -> str:
    return (
        "per prefecture, one-sided exact binomial test of the share of convictions on a "
        "confession alone against the national share (analytics.md §2.5); Holm across "
        "prefectures"
    )
