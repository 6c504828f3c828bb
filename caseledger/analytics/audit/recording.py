"""Under-recording: crimes registered late, and only once they are "solved" (``shared/
analytics.md`` §2.4; the reform's registration system, seed 003).

Two signals per police agency, both within-record timing signals (the registered data alone
cannot show crimes never recorded; the volume is left to reconciliation audits):

- **registration gap**: the share of defendants registered later after the report than 90 %
  of the country's registrations (the national 90th percentile of report-to-registration
  days), against the national share above that day. The 90th rather than a higher percentile
  keeps the cut inside the ordinary pattern even when up to a tenth of all registrations are
  held back, and leaves enough late registrations everywhere to judge a unit by;
- **sure at registration**: the share of defendants whose suspect was already identified on
  or before the day of registration, against the national share for the same crimes (expected
  count = Σ over crimes of the agency's defendants × the national share for that crime).

Both are one-sided exact binomial tests (random effects if the agencies are over-dispersed),
Holm across police agencies.

Must never: take a long gap or a sure mix as proof of concealment; it is a reason to sample
the complaint logs and registration files.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from caseledger.analytics.audit import common
from caseledger.analytics.audit.common import Scope
from caseledger.analytics.audit.model import TestRun

TEST = "under_recording"
VERSION = 1
TITLE = "Under-recording"
QUESTION = (
    "Does a police agency register crimes unusually long after they are reported, or register "
    "a mix of cases that is implausibly 'sure' (the suspect already known at registration)?"
)
LEVEL = "police_agency_id"
QUANTILE = 0.90  # "later than 90 % of the country's registrations" (see the docstring)
CAP = 3660  # gaps beyond ten years are counted as ten years (keeps the aggregate small)


def run(scope: Scope) -> TestRun:
    run_ = TestRun(TEST, VERSION, TITLE, QUESTION, _method(), "nothing found")
    t = scope.table
    base = t.filter(
        t.police_agency_id.notnull(), t.registered_on.notnull(), t.reported_on.notnull()
    )
    gap = (base.registered_on - base.reported_on).cast("int64")
    lag_expr = base.mutate(gap=gap.clip(lower=0, upper=CAP))
    lags = scope.collect(lag_expr.group_by(unit=lag_expr.police_agency_id, gap=lag_expr.gap)
                         .aggregate(n=lag_expr.count()))  # fmt: skip
    sure = base.filter(base.suspect_identified_on.notnull())
    mix = scope.collect(
        sure.group_by(unit=sure.police_agency_id, crime=sure.crime_code).aggregate(
            n=sure.count(), sure=(sure.suspect_identified_on <= sure.registered_on)
            .cast("int64").sum()
        )
    )  # fmt: skip
    if lags.height == 0:
        run_.status, run_.no_data = "no data", "no registered defendant"
        return run_
    _gap(run_, scope, lags)
    if mix.height:
        _sure(run_, scope, mix)
    if run_.findings:
        run_.status = "finding"
    return run_


def _gap(run_: TestRun, scope: Scope, lags: pl.DataFrame) -> None:
    national = lags.group_by("gap").agg(pl.col("n").sum()).sort("gap")
    cum = np.cumsum(national["n"].to_numpy()) / national["n"].sum()
    cut = int(national["gap"].to_numpy()[int(np.searchsorted(cum, QUANTILE))])
    share = float(national.filter(pl.col("gap") > cut)["n"].sum() / national["n"].sum())
    per_unit = (
        lags.group_by("unit")
        .agg(
            pl.col("n").sum().alias("records"),
            pl.col("n").filter(pl.col("gap") > cut).sum().alias("observed"),
        )
        .with_columns((pl.col("records") * share).alias("expected"))
    )
    summary, finding = common.excess_outcome(
        test=TEST, version=VERSION, check="registration_gap", level=LEVEL, frame=per_unit,
        alternative="greater", alpha=scope.alpha,
        statistic=f"defendants registered more than {cut} days after the report (the national "
        f"90th percentile), against the national share {share:.4f}",
        inputs=["police_agency_id", "reported_on", "registered_on", "year"],
        explanation=(
            f"These agencies registered many more crimes more than {cut} days after they were "
            "reported than the rest of the country. Registration held back until a case looks "
            "solvable produces exactly this gap."
        ),
        note=f"late = more than {cut} days from report to registration",
    )  # fmt: skip
    run_.checks.append(summary)
    if finding is not None:
        run_.findings.append(finding)


def _sure(run_: TestRun, scope: Scope, mix: pl.DataFrame) -> None:
    by_crime = mix.group_by("crime").agg((pl.col("sure").sum() / pl.col("n").sum()).alias("p"))
    per_unit = (
        mix.join(by_crime, on="crime")
        .group_by("unit")
        .agg(
            pl.col("n").sum().alias("records"),
            pl.col("sure").sum().alias("observed"),
            (pl.col("n") * pl.col("p")).sum().alias("expected"),
        )
    )
    share = float(mix["sure"].sum() / mix["n"].sum())
    summary, finding = common.excess_outcome(
        test=TEST, version=VERSION, check="sure_at_registration", level=LEVEL, frame=per_unit,
        alternative="greater", alpha=scope.alpha,
        statistic="defendants whose suspect was identified on or before the day of "
        "registration, against the national share for the same crimes",
        inputs=["police_agency_id", "crime_code", "registered_on", "suspect_identified_on",
                "year"],
        explanation=(
            "In these agencies almost every registered case already had its suspect when it was "
            "registered — far more than the same crimes show elsewhere. Cases without a known "
            "suspect are then probably not being registered (\"record only when solvable\")."
        ),
        note=f"national share {share:.3f}, standardised by crime",
    )  # fmt: skip
    run_.checks.append(summary)
    if finding is not None:
        run_.findings.append(finding)


def _method() -> str:
    return (
        "per police agency, exact binomial tests of the share registered later than the "
        "national 90th percentile and of the share with the suspect known at registration "
        "(standardised by crime) (analytics.md §2.4); Holm across agencies"
    )
