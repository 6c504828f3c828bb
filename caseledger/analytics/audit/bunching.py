"""Deadline bunching: do a court's trials pile up in the last days before the legal limit?

Method (``shared/analytics.md`` §2.1, test 1, the local binomial test): for each judgment with
a recorded trial limit (``trial_limit_days``: CPL arts 208, 220, 225 as applied by the
warehouse), count how many days were left. Among a court's judgments that came in the last
``WINDOW + BAND`` days, the share in the last ``WINDOW`` days is compared with the share the
whole country shows for the same limit (so the expected share follows each limit's own shape of
closure times, and a slow court — more judgments late in the period on every day — is not taken
for a bunching one). The expected count of a court sums its judgments near each limit times
that limit's national share; the excess is judged by :func:`.stats.excess_check` (one-sided)
with Holm's correction across courts.

Must never: flag a court for being slow or fast overall, or order courts by their share.
"""

from __future__ import annotations

import polars as pl

from caseledger.analytics.audit import common
from caseledger.analytics.audit.common import Scope
from caseledger.analytics.audit.model import TestRun

TEST = "deadline_bunching"
VERSION = 1
TITLE = "Deadline bunching"
QUESTION = (
    "Do a court's judgments pile up in the last days before the legal trial time limit, more "
    "than the country's own pattern of closure times would put there?"
)
WINDOW = 3  # the last three days before the limit (analytics.md §2.1: last 3–7 days)
BAND = 7  # the week before the window: the reference for the window's expected share
INPUTS = ["court_id", "trial_limit_days", "trial_days", "year"]


def run(scope: Scope) -> TestRun:
    t = scope.table
    left = t.trial_limit_days - t.trial_days  # days left when judged; 0 = the last day
    near = t.filter(
        t.court_id.notnull() & t.trial_limit_days.notnull() & t.trial_days.notnull()
    ).mutate(left=left)
    near = near.filter((near.left >= 0) & (near.left < WINDOW + BAND))
    expr = near.group_by(unit=near.court_id, limit_days=near.trial_limit_days).aggregate(
        window=(near.left < WINDOW).cast("int64").sum(), near=near.count()
    )
    cells = scope.collect(expr)
    run_ = TestRun(TEST, VERSION, TITLE, QUESTION, _method(), "nothing found")
    if cells.height == 0:
        run_.status, run_.no_data = "no data", "no judgment with a recorded trial limit"
        return run_
    national = cells.group_by("limit_days").agg(
        (pl.col("window").sum() / pl.col("near").sum()).alias("share")
    )
    per_unit = (
        cells.join(national, on="limit_days")
        .group_by("unit")
        .agg(
            pl.col("near").sum().alias("records"),
            pl.col("window").sum().alias("observed"),
            (pl.col("near") * pl.col("share")).sum().alias("expected"),
        )
    )
    shares = ", ".join(
        f"{int(r['limit_days'])} days: {r['share']:.3f}"
        for r in national.sort("limit_days").iter_rows(named=True)
    )
    summary, finding = common.excess_outcome(
        test=TEST,
        version=VERSION,
        check="trial_limit",
        level="court_id",
        frame=per_unit,
        alternative="greater",
        alpha=scope.alpha,
        statistic=(
            f"judgments in the last {WINDOW} days before the trial limit, out of those in the "
            f"last {WINDOW + BAND} days, against the national share for the same limit"
        ),
        inputs=INPUTS,
        explanation=(
            f"These courts closed far more trials in the last {WINDOW} days before the legal "
            "time limit than the rest of the country does for the same limits. That is the "
            "signature of judgments dated (or hurried) to meet the deadline rather than when "
            "the case was ready."
        ),
        note=f"national share in the window by limit — {shares}",
    )
    run_.checks.append(summary)
    if finding is not None:
        run_.findings.append(finding)
        run_.status = "finding"
    return run_


def _method() -> str:
    return (
        f"local binomial test (analytics.md §2.1): share of judgments in the last {WINDOW} days "
        f"among those in the last {WINDOW + BAND}, expected from the national share per limit; "
        "Holm across courts"
    )
