"""Every indicator, defined once over the warehouse's ``defendants`` table.

Each definition says, in plain words, which defendants it counts and which date places them in a
period; the conditions are Ibis expressions, so the same definition runs on DuckDB and on Spark.
The counting unit is always the defendant (DESIGN.md, "Unit of analysis").

Must never: rank, weight or score units; nothing here knows about units at all.
"""

from __future__ import annotations

from typing import Any

from caseledger.analytics.indicators import rules
from caseledger.analytics.indicators.base import Family, Indicator, Measure, rate
from caseledger.case import rules as case_rules
from caseledger.case.enums import ArrestGround, NonProsecutionGround

S002_PLEA = 'seed 002 line 13: the plea procedure "has been applied to more than 85% of the cases"'
S002_APPEAL = (
    "seed 002 line 13: plea defendants' appeal rate about 3.5 %, "
    '"lower than other criminal cases 10 Many percentage points"'
)
S002_NON_ARREST = (
    'seed 002 line 15: "the non-arrest rate in plea cases is also 20% higher than the overall'
    ' non-arrest rate"'
)
S002_PROBATION = 'seed 002 line 15: "the court\'s probation is 7% higher than the overall"'
S002_RECOMMENDATION = (
    "seed 002 line 61: about 90 % of plea cases carry definite sentencing recommendations, "
    "confirmed by the judge"
)
S000_TARGETS = (
    "seed 000: targets for criminal detentions, arrest rates, indictment rates and guilty verdicts"
    " abolished; shown here as rates to understand, never as targets"
)


def _col(name: str) -> Any:
    return lambda t: t[name]


FAMILIES: dict[str, Family] = {
    f.id: f
    for f in (
        Family("registration", "registration date (registered_on)", _col("registered_on")),
        Family(
            "arrest_decision", "arrest decision date (arrest_decided_on)", _col("arrest_decided_on")
        ),
        Family(
            "prosecution_decision",
            "prosecution decision date (prosecution_decided_on)",
            _col("prosecution_decided_on"),
        ),
        Family("judgment", "first-instance judgment date (judgment_on)", _col("judgment_on")),
        Family(
            "disposition",
            "disposition date: registration + total_days (final judgment, non-prosecution or"
            " withdrawal)",
            lambda t: t.registered_on + t.total_days.as_interval("D"),
            value=_col("total_days"),
            value_label="days from registration to disposition (total_days)",
        ),
        Family(
            "retrial",
            "retrial decision date (retrial_on; schema version 2)",
            _col("retrial_on"),
            min_schema=2,
        ),
        Family(
            "review",
            "case-quality review date (reviewed_on; schema version 2)",
            _col("reviewed_on"),
            min_schema=2,
        ),
    )
}

# ---- denominators (shared by several indicators) -------------------------------------------

REGISTERED = Measure(
    "registered", "registration", lambda t: t.defendant_id.notnull(), "defendants registered"
)
ARREST_DECIDED = Measure(
    "arrest_decided",
    "arrest_decision",
    lambda t: t.arrest_requested & t.arrest_approved.notnull(),
    "defendants whose arrest request was decided",
)
PLEA_BEFORE_ARREST_DECISION = Measure(
    "arrest_decided_after_plea",
    "arrest_decision",
    lambda t: t.arrest_requested & t.arrest_approved.notnull() & (t.plea_stage == "investigation"),
    "defendants whose arrest request was decided after a plea at the investigation stage",
)
PROSECUTION_DECIDED = Measure(
    "prosecution_decided",
    "prosecution_decision",
    lambda t: t.prosecuted.notnull(),
    "defendants with a prosecution decision (prosecuted or not)",
)
RECOMMENDED = Measure(
    "recommended",
    "prosecution_decision",
    lambda t: t.prosecuted.notnull() & t.recommendation_type.notnull(),
    "defendants with a sentencing recommendation",
)
JUDGED = Measure(
    "judged", "judgment", lambda t: t.verdict.notnull(), "defendants with a first-instance judgment"
)
JUDGED_PLEA = Measure(
    "judged_plea",
    "judgment",
    lambda t: t.verdict.notnull() & t.plea,
    "plea defendants with a first-instance judgment",
)
JUDGED_OTHER = Measure(
    "judged_other",
    "judgment",
    lambda t: t.verdict.notnull() & ~t.plea,
    "defendants without a plea with a first-instance judgment",
)
CONVICTED = Measure(
    "convicted",
    "judgment",
    lambda t: t.verdict == "convicted",
    "defendants convicted at first instance (exempted from punishment excluded)",
)
CONVICTED_PLEA = Measure(
    "convicted_plea",
    "judgment",
    lambda t: (t.verdict == "convicted") & t.plea,
    "plea defendants convicted at first instance",
)
CONVICTED_OTHER = Measure(
    "convicted_other",
    "judgment",
    lambda t: (t.verdict == "convicted") & ~t.plea,
    "defendants without a plea convicted at first instance",
)
FAST_TRACK = Measure(
    "judged_fast_track",
    "judgment",
    lambda t: t.verdict.notnull() & (t.procedure == "fast_track"),
    "defendants judged under the fast-track procedure",
)
COURT_DECIDED_RECOMMENDATION = Measure(
    "recommendation_decided",
    "judgment",
    lambda t: t.verdict.notnull() & t.court_decision.notnull(),
    "judged defendants whose sentencing recommendation the court decided on",
)
EXCLUSION_RULED = Measure(
    "evidence_ruled",
    "prosecution_decision",
    lambda t: t.prosecuted.notnull() & t.evidence_excluded.notnull(),
    "defendants with a prosecution decision whose evidence a prosecutor or court ruled on",
    min_schema=2,
)
RETRIED = Measure(
    "retried",
    "retrial",
    lambda t: t.retrial_outcome.notnull(),
    "defendants whose final judgment a retrial decided on",
    min_schema=2,
)
REVIEWED = Measure(
    "reviewed",
    "review",
    lambda t: t.review_grade.notnull(),
    "defendants whose case had an individual case-quality review",
    min_schema=2,
)
DISPOSED = Measure(
    "disposed",
    "disposition",
    lambda t: t.total_days.notnull(),
    "defendants whose case ended (final judgment, non-prosecution or withdrawal)",
)
RELEASED_WITHOUT_CONVICTION = Measure(
    "released_without_conviction",
    "disposition",
    lambda t: t.total_days.notnull() & ((t.verdict == "acquitted") | (t.prosecuted == False)),  # noqa: E712
    "defendants acquitted at first instance or not prosecuted",
)


def _fast_track_days() -> tuple[int, str]:
    limit = next(lim for lim in case_rules.time_limits().limits if lim.id == "fast_track_trial")
    return limit.days, limit.article


def _build() -> list[Indicator]:
    out: list[Indicator] = []
    add = out.append

    # ---- time -----------------------------------------------------------------------------
    add(
        Indicator(
            id="disposition_days",
            title="Registration to disposition, days (median and 90th percentile of defendants)",
            definition=(
                "Days from the registration of the case to the end of the defendant's case (final"
                " judgment, non-prosecution or withdrawal), as exact quantiles of the defendants'"
                " day counts: the smallest day count reached by at least 50 % (90 %) of them."
            ),
            kind="quantiles",
            family="disposition",
            agency="police",
            denominator=DISPOSED,
            quantiles=(50, 90),
            source=(
                'seed 001 line 7 ("case handling quality, efficiency and effectiveness"); seed 004'
                ' line 38 ("litigation efficiency")'
            ),
            topic="time",
        )
    )

    # ---- custody and arrest ------------------------------------------------------------------
    add(
        rate(
            "criminal_detention_rate",
            title="Criminal detention rate",
            definition="Share of registered defendants placed in criminal detention.",
            denominator=REGISTERED,
            condition=lambda t: t.detained,
            agency="police",
            source=S000_TARGETS,
            topic="custody",
        )
    )
    add(
        rate(
            "pretrial_detention_rate",
            title="Pre-trial detention rate",
            definition=(
                "Share of defendants with a prosecution decision who were held in custody"
                " (arrested) until trial rather than on bail or under residential surveillance."
            ),
            denominator=PROSECUTION_DECIDED,
            condition=lambda t: t.pretrial_measure == "arrest",
            agency="procuratorate",
            source=(
                'seed 004 line 43 ("reduced the application of compulsory measures of custody")'
            ),
            topic="custody",
        )
    )
    add(
        rate(
            "non_arrest_rate",
            title="Non-arrest rate",
            definition="Share of decided arrest requests that the procuratorate refused.",
            denominator=ARREST_DECIDED,
            condition=lambda t: ~t.arrest_approved,
            agency="procuratorate",
            source=f"{S000_TARGETS}; seed 004 line 43 (132,081 arrests rejected in 2016)",
            topic="custody",
        )
    )
    for ground in ArrestGround:
        add(
            rate(
                f"non_arrest_rate.{ground.value}",
                title=f"Non-arrest rate, ground {ground.value}",
                definition=(
                    f"Share of decided arrest requests refused on the ground {ground.value!r}."
                ),
                denominator=ARREST_DECIDED,
                condition=lambda t, g=ground.value: (
                    (~t.arrest_approved) & (t.non_arrest_ground == g)
                ),
                agency="procuratorate",
                source="CPL arts 81, 90 (grounds); seed 004 line 43",
                topic="custody",
            )
        )
    add(
        rate(
            "non_arrest_rate.plea",
            title="Non-arrest rate after a plea",
            definition=(
                "Share of decided arrest requests refused, among suspects who had pleaded guilty"
                " at the investigation stage (before the decision)."
            ),
            denominator=PLEA_BEFORE_ARREST_DECISION,
            condition=lambda t: ~t.arrest_approved,
            agency="procuratorate",
            source=S002_NON_ARREST,
            topic="plea",
        )
    )

    # ---- prosecution -----------------------------------------------------------------------
    add(
        rate(
            "non_prosecution_rate",
            title="Non-prosecution rate",
            definition="Share of defendants with a prosecution decision who were not prosecuted.",
            denominator=PROSECUTION_DECIDED,
            condition=lambda t: t.prosecuted == False,  # noqa: E712
            agency="procuratorate",
            source=f"{S000_TARGETS}; seed 004 line 43 (26,670 not prosecuted in 2016)",
            topic="prosecution",
        )
    )
    for ground in NonProsecutionGround:
        add(
            rate(
                f"non_prosecution_rate.{ground.value}",
                title=f"Non-prosecution rate, ground {ground.value}",
                definition=(
                    "Share of defendants with a prosecution decision not prosecuted on the ground"
                    f" {ground.value!r}."
                ),
                denominator=PROSECUTION_DECIDED,
                condition=lambda t, g=ground.value: (
                    (t.prosecuted == False)  # noqa: E712
                    & (t.non_prosecution_ground == g)
                ),
                agency="procuratorate",
                source="CPL arts 16, 175(4), 177; seed 002 line 31; seed 004 line 43",
                topic="prosecution",
            )
        )

    # ---- plea --------------------------------------------------------------------------------
    add(
        rate(
            "plea_rate",
            title="Plea application rate",
            definition=(
                "Share of defendants with a prosecution decision who admitted guilt and accepted"
                " punishment (at any stage)."
            ),
            denominator=PROSECUTION_DECIDED,
            condition=lambda t: t.plea,
            agency="procuratorate",
            source=S002_PLEA,
            topic="plea",
        )
    )
    for stage in ("investigation", "prosecution", "trial"):
        add(
            rate(
                f"plea_rate.{stage}",
                title=f"Plea application rate, {stage} stage",
                definition=(
                    "Share of defendants with a prosecution decision whose plea was entered at the"
                    f" {stage} stage."
                ),
                denominator=PROSECUTION_DECIDED,
                condition=lambda t, s=stage: t.plea & (t.plea_stage == s),
                agency="procuratorate",
                source=S002_PLEA,
                topic="plea",
            )
        )
    add(
        rate(
            "definite_recommendation_share",
            title="Definite-recommendation share",
            definition=(
                "Share of sentencing recommendations that are definite (one term) rather than a"
                " range."
            ),
            denominator=RECOMMENDED,
            condition=lambda t: t.recommendation_type == "definite",
            agency="procuratorate",
            source=S002_RECOMMENDATION,
            topic="plea",
        )
    )
    add(
        rate(
            "recommendation_adoption_rate",
            title="Recommendation adoption rate",
            definition=(
                "Share of sentencing recommendations decided by the court that it adopted as"
                " recommended (not adjusted or rejected)."
            ),
            denominator=COURT_DECIDED_RECOMMENDATION,
            condition=lambda t: t.court_decision == "adopted",
            agency="court",
            source=S002_RECOMMENDATION,
            topic="plea",
        )
    )

    # ---- trial -------------------------------------------------------------------------------
    add(
        rate(
            "acquittal_rate",
            title="Acquittal rate",
            definition="Share of defendants with a first-instance judgment who were acquitted.",
            denominator=JUDGED,
            condition=lambda t: t.verdict == "acquitted",
            agency="court",
            source="seed 000 (825 acquitted of 1.16 million defendants in 2013)",
            topic="trial",
        )
    )
    add(
        rate(
            "appeal_rate",
            title="Appeal rate",
            definition="Share of judged defendants whose judgment was appealed or protested.",
            denominator=JUDGED,
            condition=lambda t: t.appealed,
            agency="court",
            source=S002_APPEAL,
            topic="trial",
        )
    )
    for name, den, who in (
        ("plea", JUDGED_PLEA, "plea defendants"),
        ("other", JUDGED_OTHER, "defendants without a plea"),
    ):
        add(
            rate(
                f"appeal_rate.{name}",
                title=f"Appeal rate, {who}",
                definition=f"Share of judged {who} whose judgment was appealed or protested.",
                denominator=den,
                condition=lambda t: t.appealed,
                agency="court",
                source=S002_APPEAL,
                topic="plea",
            )
        )
    add(
        rate(
            "probation_rate",
            title="Probation rate",
            definition="Share of convicted defendants whose sentence was suspended (probation).",
            denominator=CONVICTED,
            condition=lambda t: t.probation,
            agency="court",
            source=S002_PROBATION,
            topic="trial",
        )
    )
    for name, den, who in (
        ("plea", CONVICTED_PLEA, "plea defendants"),
        ("other", CONVICTED_OTHER, "defendants without a plea"),
    ):
        add(
            rate(
                f"probation_rate.{name}",
                title=f"Probation rate, {who}",
                definition=f"Share of convicted {who} whose sentence was suspended (probation).",
                denominator=den,
                condition=lambda t: t.probation,
                agency="court",
                source=S002_PROBATION,
                topic="plea",
            )
        )
    add(
        rate(
            "fast_track_share",
            title="Fast-track share",
            definition="Share of judged defendants tried under the fast-track procedure.",
            denominator=JUDGED,
            condition=lambda t: t.procedure == "fast_track",
            agency="court",
            source=(
                'seed 002 line 35 ("about 90% of the cases are simple cases"); seed 004 line 38'
            ),
            topic="trial",
        )
    )
    days, article = _fast_track_days()
    add(
        rate(
            "fast_track_within_limit",
            title=f"Fast-track trials within {days} days",
            definition=(
                f"Share of fast-track trials judged within {days} days of the court's acceptance"
                f" ({article})."
            ),
            denominator=FAST_TRACK,
            condition=lambda t, d=days: t.trial_days <= d,
            agency="court",
            source=(
                f'{article} ({days} days); seed 004 line 38 ("concluded over 90 percent of cases'
                ' within ten days of filing")'
            ),
            topic="trial",
        )
    )

    # ---- exclusions, corrections and reviews (warehouse schema version 2) -----------------------
    add(
        rate(
            "evidence_exclusion_rate",
            title="Evidence exclusions",
            definition=(
                "Share of defendants with a prosecution decision who had at least one evidence"
                " item excluded as illegally obtained, by the prosecutor at review or later by the"
                " court (dated by the prosecution decision)."
            ),
            denominator=EXCLUSION_RULED,
            condition=lambda t: t.evidence_excluded > 0,
            agency="procuratorate",
            source=(
                "CPL art 56; seed 004 line 40 and seed 003 line 33 (2,624 arrests withheld and 870"
                " not prosecuted through exclusion of illegally obtained evidence since 2013)"
            ),
            topic="correction",
            min_schema=2,
        )
    )
    add(
        rate(
            "corrected_conviction_rate",
            title="Corrected convictions",
            definition=(
                "Share of retrials of a final judgment that corrected the conviction (sentence"
                " amended or defendant acquitted) rather than upholding it."
            ),
            denominator=RETRIED,
            condition=lambda t: t.retrial_outcome.isin(["amended", "acquitted"]),
            agency="court",
            source=(
                "CPL arts 252-258 (trial supervision); seed 004 line 41 (37 wrongful convictions"
                " of 61 people corrected 2013-2017); seed 000 (overturned convictions)"
            ),
            topic="correction",
            min_schema=2,
        )
    )
    for grade in ("excellent", "qualified", "flawed", "unqualified"):
        add(
            rate(
                f"review_grade.{grade}",
                title=f"Case-quality review grade {grade}",
                definition=f"Share of reviewed defendants whose case was graded {grade!r}.",
                denominator=REVIEWED,
                condition=lambda t, g=grade: t.review_grade == g,
                agency="procuratorate",
                source=(
                    'seed 001 lines 1-2 ("cases that did not meet quality standards";'
                    ' "micro-level case quality assessments")'
                ),
                topic="correction",
                min_schema=2,
            )
        )

    # ---- quality checks ------------------------------------------------------------------------
    def check(
        cid: str, title: str, definition: str, den: Measure, cond: Any, agency: str
    ) -> Indicator:
        return rate(
            f"check.{cid}",
            title=title,
            definition=definition,
            denominator=den,
            condition=cond,
            agency=agency,
            source=rules.rule(cid).source,
            topic="quality check",
            rule=rules.rule(cid),
        )

    add(
        check(
            "near_limit_closure",
            "Closures near a legal limit",
            "Share of disposed defendants with at least one stage (arrest decision, prosecution"
            f" review, trial) closed in the last {rules.threshold('near_limit_closure')} days"
            " before its legal limit.",
            DISPOSED,
            lambda t: t.near_limit_count >= 1,
            "police",
        )
    )
    add(
        check(
            "overdue_stage",
            "Stages closed after their legal limit",
            "Share of disposed defendants with at least one stage closed after its legal limit.",
            DISPOSED,
            lambda t: t.overdue_count > rules.threshold("overdue_stage"),
            "police",
        )
    )
    add(
        check(
            "confession_only_conviction",
            "Convictions on a confession alone",
            "Share of convicted defendants whose evidence basis is the confession alone.",
            CONVICTED,
            lambda t: t.evidence_basis == "confession_only",
            "court",
        )
    )
    long_days = rules.threshold("long_custody_release")
    add(
        check(
            "long_custody_release",
            "Long custody, then acquittal or non-prosecution",
            f"Share of defendants acquitted or not prosecuted who had been in custody more than"
            f" {long_days} days.",
            RELEASED_WITHOUT_CONVICTION,
            lambda t, d=long_days: t.custody_days > d,
            "procuratorate",
        )
    )
    rounds = rules.threshold("two_supplementary_rounds")
    add(
        check(
            "two_supplementary_rounds",
            "Returned twice for supplementary investigation",
            f"Share of defendants with a prosecution decision whose case was returned to the police"
            f" {rounds} times for supplementary investigation.",
            PROSECUTION_DECIDED,
            lambda t, r=rounds: t.supplementary_rounds >= r,
            "police",
        )
    )
    lag = rules.threshold("registration_lag")
    add(
        check(
            "registration_lag",
            "Late registration",
            f"Share of registered defendants whose case was registered more than {lag} days after"
            " the crime was reported.",
            REGISTERED,
            lambda t, d=lag: t.registered_on.delta(t.reported_on, unit="day") > d,
            "police",
        )
    )
    add(
        check(
            "suspect_known_at_registration",
            "Suspect known at registration",
            "Share of registered defendants identified as suspects on or before the day the case"
            " was registered.",
            REGISTERED,
            lambda t: t.suspect_identified_on <= t.registered_on,
            "police",
        )
    )
    return out


INDICATORS: tuple[Indicator, ...] = tuple(_build())
