"""Draw the lifecycle of every defendant of one chunk (a year × province), as columns.

The result, :class:`Records`, is one record per defendant: where, who, what crime, and every
step from report to execution with its date, as numpy arrays (dates are days since
1970-01-01; :data:`NULL` marks a step that did not happen; categories are small integer codes
into the vocabularies below), plus the sentencing engine's inputs (``Records.sentencing``).
``tables`` turns records into warehouse rows and events; a ``--ledger`` output can turn the
same records into ledger events. Exclusions, retrials and reviews are drawn last, by
``scrutiny``.

Every duration stays within the base limits of ``case/data/time_limits.yaml`` (no extensions
are generated yet). Rates come from ``calibration.yaml``; where the seeds give a gap between
plea and other defendants, the other group's rate is solved from the realised counts of the
chunk so that the gap holds by construction.

Must never: loop in Python per defendant, or read global state — the same inputs always give
the same records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import polars as pl
import yaml

from caseledger.synth import draws, legal, scrutiny
from caseledger.synth.calibration import Calibration
from caseledger.synth.geography import Geography
from caseledger.synth.plants import (
    BUNCHING_SHARE,
    CONFESSION_ONLY_SHARE,
    DEVIATION_FACTOR,
    Plan,
)
from caseledger.synth.sentences import DETENTION, LIFE, PRISON, CrimeTable, Guideline, Sentencer

NULL = draws.NULL
Steps = Generator["Guideline", None, "Records"]
EPOCH = dt.date(1970, 1, 1)

PLEA_STAGES = ("investigation", "prosecution", "trial")
COUNSEL = ("duty_lawyer", "retained", "appointed")
REC_TYPES = ("definite", "range")
DECISIONS = ("adopted", "adjusted", "rejected")
NON_ARREST = ("minor_with_plea", "no_necessity", "insufficient_evidence", "no_crime")
NON_PROSECUTION = ("insufficient_evidence", "no_crime", "minor")
PROCEDURES = ("fast_track", "summary", "ordinary")
VERDICTS = ("convicted", "acquitted", "exempted")
MEASURES = ("arrest", "bail", "residential_surveillance", "criminal_detention")
APPEAL_KINDS = ("appeal", "protest")
APPEAL_OUTCOMES = ("upheld", "amended", "remanded")
COURT_LEVELS = ("basic", "intermediate")
EVIDENCE_BASIS = ("corroborated", "confession_only")


@cache
def time_limits() -> dict[str, int]:
    """Base limits in days from ``case/data/time_limits.yaml`` (a month counts as 30 days)."""
    text = resources.files("caseledger.case").joinpath("data/time_limits.yaml").read_text("utf-8")
    out: dict[str, int] = {}
    for limit in yaml.safe_load(text)["limits"]:
        out[limit["id"]] = int(limit.get("days", 0)) + 30 * int(limit.get("months", 0))
    return out


@dataclass
class Records:
    """Columns of one chunk; ``n`` defendants in storage order.

    ``sentencing`` is the sentencing engine's input table for the defendants whose guideline
    came from the engine (``row`` = index in the chunk; facts, ``c_<circumstance>``,
    ``plea_stage``, ``as_of``; see ``synth.facts``), for a ledger output to state in a plea
    statement: ``facts.case_inputs(rec.sentencing, rec.n)`` gives, per defendant, the input of
    ``engine.compute`` (None where the fallback gave the guideline).
    """

    n: int
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    sentencing: pl.DataFrame | None = None

    def __getitem__(self, key: str) -> np.ndarray:
        return self.cols[key]

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        self.cols[key] = value


@dataclass(frozen=True)
class Crimes:
    table: CrimeTable
    mix: np.ndarray  # probability per crime
    group_index: np.ndarray  # crime -> group index
    groups: list[str]
    plea_factor: np.ndarray  # per crime
    known_at_registration: np.ndarray  # per crime
    intermediate: np.ndarray  # per crime
    dangerous_driving: int
    sentencer: Sentencer


def crimes_for(
    cal: Calibration,
    table: CrimeTable,
    max_penalty: list[str],
    sentencer: Sentencer | None = None,
) -> Crimes:
    codes = table.codes
    mix_spec = dict(cal.a("crime_mix"))
    others = float(mix_spec.pop("_others"))
    rest = [c for c in codes if c not in mix_spec]
    mix = np.array([mix_spec.get(c, others / len(rest)) for c in codes], dtype=np.float64)
    groups = sorted(set(table.groups))
    gfac = cal.a("plea_rate_by_group")
    known = cal.a("suspect_known_at_registration")
    inter = cal.a("intermediate_court")
    life = [p in ("life", "death") for p in max_penalty]
    return Crimes(
        table=table,
        mix=mix / mix.sum(),
        group_index=np.array([groups.index(g) for g in table.groups]),
        groups=groups,
        plea_factor=np.array([gfac[g] for g in table.groups], dtype=np.float64),
        known_at_registration=np.array([known.get(c, known["_default"]) for c in codes]),
        intermediate=np.array(
            [
                inter.get(c, inter["_life_or_death"] if lf else inter["_default"])
                for c, lf in zip(codes, life, strict=True)
            ]
        ),
        dangerous_driving=codes.index("dangerous_driving"),
        sentencer=sentencer or Sentencer(cal, table),
    )


_uint = draws.uint
_pick = draws.pick
_where = draws.where


def draw_cases(rng: np.random.Generator, n: int, p_more: float) -> tuple[np.ndarray, np.ndarray]:
    """Case index of each of ``n`` defendants and their number within the case (1-based)."""
    sizes = np.minimum(rng.geometric(1.0 - p_more, size=int(n / (1 + p_more)) + 64), 6)
    while sizes.sum() < n:
        sizes = np.concatenate([sizes, np.minimum(rng.geometric(1.0 - p_more, size=64), 6)])
    ends = np.cumsum(sizes)
    n_cases = int(np.searchsorted(ends, n)) + 1
    sizes = sizes[:n_cases].copy()
    sizes[-1] -= int(ends[n_cases - 1] - n)
    case = np.repeat(np.arange(n_cases), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return case, (np.arange(n) - starts[case] + 1).astype(np.int16)


def generate(
    *,
    rng: np.random.Generator,
    geo: Geography,
    cal: Calibration,
    crimes: Crimes,
    plan: Plan,
    year: int,
    province: int,
    n: int,
) -> Records:
    """Records of ``n`` defendants registered in ``year`` in province index ``province``."""
    steps = generate_steps(
        rng=rng, geo=geo, cal=cal, crimes=crimes, plan=plan, year=year, province=province, n=n
    )
    return finish(steps, crimes.sentencer, [next(steps)])


def finish(steps: Steps, sentencer: Sentencer, batch: list[Guideline]) -> Records:
    """Run the engine over ``batch`` (this chunk's request among others) and finish the chunk."""
    if not all(g.done for g in batch):
        sentencer.compute(batch)
    try:
        next(steps)
    except StopIteration as stop:
        result: Records = stop.value
        return result
    raise AssertionError("generate_steps yields once")  # pragma: no cover


def generate_steps(
    *,
    rng: np.random.Generator,
    geo: Geography,
    cal: Calibration,
    crimes: Crimes,
    plan: Plan,
    year: int,
    province: int,
    n: int,
) -> Steps:
    """:func:`generate` in two steps: it yields its sentencing request (a :class:`Guideline`
    prepared by ``crimes.sentencer``) once, and returns the records after the engine filled it
    in (:meth:`Sentencer.compute`, possibly for many chunks in one call; see :func:`finish`)."""
    lim = time_limits()
    rec = Records(n)
    case, dno = draw_cases(rng, n, float(cal.a("defendants_per_case")))
    n_cases = int(case[-1]) + 1 if n else 0
    # Case-level draws: county, registration day, crime, court level, officials.
    counties = geo.province_counties[province]
    w = geo.county_weight[counties] * plan.weight_factor(geo.n_counties)[counties]
    c_county = counties[
        np.searchsorted(np.cumsum(w / w.sum()), rng.random(n_cases), side="right").clip(
            max=len(counties) - 1
        )
    ]
    first = (dt.date(year, 1, 1) - EPOCH).days
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    c_reg = first + (rng.random(n_cases) * days).astype(np.int32)
    order = np.lexsort((c_reg, c_county))
    c_county, c_reg = c_county[order], c_reg[order]
    c_crime = np.searchsorted(np.cumsum(crimes.mix), rng.random(n_cases), side="right").clip(
        max=crimes.mix.size - 1
    )
    c_inter = rng.random(n_cases) < crimes.intermediate[c_crime]
    c_pref = geo.county_prefecture[c_county]
    n_c = geo.n_counties
    c_inv = geo.investigators.draw(rng, c_county)
    c_pro = np.where(
        c_inter, geo.prosecutors.draw(rng, n_c + c_pref), geo.prosecutors.draw(rng, c_county)
    )
    c_judge = np.where(c_inter, geo.judges.draw(rng, n_c + c_pref), geo.judges.draw(rng, c_county))

    county = c_county[case]
    crime = c_crime[case]
    inter = c_inter[case]
    reg = c_reg[case]
    rec["case"], rec["defendant_no"] = case, dno
    rec["county"], rec["prefecture"], rec["crime"] = county, geo.county_prefecture[county], crime
    rec["intermediate"] = inter
    rec["investigator"], rec["prosecutor"], rec["judge_idx"] = (
        c_inv[case],
        c_pro[case],
        c_judge[case],
    )

    ur = plan.county_mask("under_recording", county)
    sz = plan.county_mask("steady_zero_non_arrest", county) & ~inter
    db = plan.county_mask("deadline_bunching", county) & ~inter
    co_pref = (
        (rec["prefecture"] == plan.targets.confession_only)
        if plan.on("confession_only")
        else np.zeros(n, dtype=bool)
    )
    dd = crime == crimes.dangerous_driving

    # Report, registration, suspect identified (analytics.md §2.4 timing signal).
    lag = np.minimum(rng.geometric(0.6, n) - 1, 5).astype(np.int32)
    lag = np.where(ur, _uint(rng, 15, 90, n), lag)
    rec["registered_on"] = reg
    rec["reported_on"] = (reg - lag).astype(np.int32)
    known = rng.random(n) < crimes.known_at_registration[crime]
    ident = reg + np.where(known, 0, 1 + np.minimum(rng.exponential(20.0, n), 180).astype(np.int32))
    ident = np.where(ur, reg - _uint(rng, 0, 3, n), ident).astype(np.int32)
    rec["suspect_identified_on"] = ident
    added = np.maximum(reg, ident)
    rec["added_on"] = added

    # Plea: rate by crime group, rescaled to the target; stage and counsel.
    f = crimes.plea_factor[crime]
    p_plea = np.clip(cal.t("plea_rate") * f / f.mean(), 0, 0.98) if n else f
    plea = rng.random(n) < p_plea
    stage = _pick(rng, list(cal.a("plea_stage").values()), n)
    counsel = _pick(rng, list(cal.a("counsel_type").values()), n)
    early = plea & (stage == 0)

    # Measures and arrest review.
    detained = rng.random(n) < np.where(ur, 0.98, cal.a("detained_share"))
    measure_on = (added + _uint(rng, 0, 2, n)).astype(np.int32)
    requested = detained & (rng.random(n) < np.where(ur, 1.0, cal.a("arrest_requested_share")))
    req_on = (measure_on + _uint(rng, 1, lim["arrest_request_after_detention"], n)).astype(np.int32)
    dec_on = (req_on + _uint(rng, 1, lim["arrest_decision"], n)).astype(np.int32)
    a_p = float(cal.a("plea_non_arrest_rate"))
    s = early[requested].mean() if requested.any() else 0.0
    q = max(0.01, a_p - cal.t("non_arrest_gap_plea") / max(1e-9, 1.0 - s))
    refused = requested & (rng.random(n) < np.where(early, a_p, q)) & ~ur & ~sz
    approved = requested & ~refused
    ground = np.where(early, _pick(rng, (0.7, 0.3), n), 1 + _pick(rng, (0.5, 0.4, 0.1), n))
    rec["non_arrest_ground"] = np.where(refused, ground, -1).astype(np.int8)
    release_on = (measure_on + _uint(rng, 1, 3, n)).astype(np.int32)
    not_detained_measure = np.where(rng.random(n) < 0.9, 1, 2)
    pretrial = np.where(approved, 0, np.where(detained, 1, not_detained_measure)).astype(np.int8)
    rec["pretrial_measure"] = pretrial
    rec["detained"], rec["requested"], rec["approved"] = detained, requested, approved
    rec["measure_on"] = measure_on
    rec["req_on"], rec["dec_on"] = _where(requested, req_on), _where(requested, dec_on)
    rec["release_on"] = _where(detained & ~requested, release_on)
    base = np.where(requested, dec_on, np.where(detained, release_on, measure_on))

    # Withdrawal, or transfer for prosecution.
    withdrawn = (rng.random(n) < cal.a("withdrawn_share")) & ~ur
    rec["withdrawn"] = withdrawn
    rec["withdrawn_on"] = _where(withdrawn, base + _uint(rng, 5, 60, n))
    inv_arrested = _uint(rng, 20, lim["investigation_custody"], n)
    inv_bail = np.where(dd, _uint(rng, 5, 45, n), _uint(rng, 15, 300, n))
    transferred = ~withdrawn
    tr_on = (base + np.where(approved, inv_arrested, inv_bail)).astype(np.int32)
    rec["transferred_on"] = _where(transferred, tr_on)
    lo, hi = cal.a("evidence_items")
    rec["evidence_items"] = _uint(rng, lo, hi, n).astype(np.int16)

    # Prosecution decision.
    np_spec = cal.a("non_prosecution")
    probs = np.where(
        plea[:, None],
        np.array(list(np_spec["plea"].values()))[None, :],
        np.array(list(np_spec["non_plea"].values()))[None, :],
    )
    u = rng.random(n)
    edges = np.cumsum(probs, axis=1)
    npg = (u[:, None] >= edges).sum(axis=1)
    confession = co_pref & transferred & (rng.random(n) < CONFESSION_ONLY_SHARE)
    not_pros = transferred & (npg < 3) & ~ur & ~confession
    prosecuted = transferred & ~not_pros
    rec["non_prosecution_ground"] = np.where(not_pros, npg, -1).astype(np.int8)
    rec["prosecuted"] = prosecuted
    stage = np.where((stage == 2) & ~prosecuted, 1, stage).astype(np.int8)
    rec["plea"], rec["plea_stage"] = plea, np.where(plea, stage, -1).astype(np.int8)
    rec["counsel_type"] = np.where(plea, counsel, -1).astype(np.int8)
    rec["evidence_basis"] = confession.astype(np.int8)

    # Verdict and the court's decision on a recommendation (drawn here: a rejected
    # recommendation needs the guideline without the plea from the same engine run).
    u = rng.random(n)
    acq = cal.t("acquittal_rate")
    verdict = np.where(u < acq, 1, np.where(u < acq + cal.a("exempted_rate"), 2, 0))
    verdict = np.where(confession, 0, verdict).astype(np.int8)
    convicted = prosecuted & (verdict == 0)
    recommended = plea & prosecuted
    decision = _pick(rng, list(cal.a("court_decision").values()), n)
    decision = np.where(verdict == 1, 2, np.where(verdict == 2, 1, decision))

    # Guideline sentence (for the recommendation, fast-track eligibility and the judgment): the
    # sentencing engine as of the transfer where its pack covers the crime, else the fallback;
    # the engine for the prosecuted and for plea defendants (whose statement states a
    # recommendation even if the case is then dropped). It runs outside, over a batch of
    # chunks (see generator): hence the yield.
    g = crimes.sentencer.prepare(
        rng,
        crime=crime,
        plea=plea,
        plea_stage=stage,
        codefendant=dno > 1,
        as_of=tr_on,
        candidates=prosecuted | (transferred & plea),
        no_plea=recommended & convicted & (decision == 2),
    )
    yield g
    assert g.done, "the sentencing engine has not run on this chunk"
    g_months, g_pen = g.months, g.penalty
    rec.sentencing = g.inputs
    rec["g_months"], rec["g_penalty"] = g_months, g_pen  # also for those never prosecuted

    # Procedure (solved so the simple-case share holds), then review and trial periods.
    eligible = plea & (stage < 2) & ~inter & (g_months <= 36) & (g_pen != LIFE)
    fast = prosecuted & eligible & (rng.random(n) < cal.a("fast_track_share_of_eligible"))
    plea_summary = prosecuted & plea & ~fast & ~inter & (rng.random(n) < 0.9)
    simple_plea = int(fast.sum() + plea_summary.sum())
    others = prosecuted & ~plea & ~inter
    x = (cal.t("simple_case_share") * prosecuted.sum() - simple_plea) / max(1, others.sum())
    summary = plea_summary | (others & (rng.random(n) < np.clip(x, 0, 1)))
    procedure = np.where(fast, 0, np.where(summary, 1, 2)).astype(np.int8)
    rec["procedure"] = np.where(prosecuted, procedure, -1).astype(np.int8)

    rounds_p = cal.a("supplementary_rounds")
    rounds = np.where(plea, _pick(rng, rounds_p["plea"], n), _pick(rng, rounds_p["non_plea"], n))
    rounds = np.where(transferred, rounds, 0).astype(np.int16)
    rec["rounds"] = rounds
    rev_limit = lim["prosecution_review"]
    sup_limit = lim["supplementary_investigation"]
    r1_ret = tr_on + _uint(rng, 5, rev_limit, n)
    r1_back = r1_ret + _uint(rng, 10, sup_limit, n)
    r2_ret = r1_back + _uint(rng, 5, rev_limit, n)
    r2_back = r2_ret + _uint(rng, 10, sup_limit, n)
    rec["r1_returned"], rec["r1_back"] = _where(rounds >= 1, r1_ret), _where(rounds >= 1, r1_back)
    rec["r2_returned"], rec["r2_back"] = _where(rounds >= 2, r2_ret), _where(rounds >= 2, r2_back)
    review_start = np.where(rounds == 0, tr_on, np.where(rounds == 1, r1_back, r2_back))
    ft_review = np.where(g_months > 12, 15, 10)
    review_limit = np.where(fast, ft_review, rev_limit).astype(np.int32)
    review_final = np.where(fast, _uint(rng, 2, ft_review, n), _uint(rng, 5, rev_limit, n))
    dec_p = (review_start + review_final).astype(np.int32)
    rec["prosecution_decided_on"] = _where(transferred, dec_p)
    near = (requested & (dec_on - req_on >= lim["arrest_decision"] - 2)).astype(np.int16)
    near += (transferred & (review_final >= review_limit - 2)).astype(np.int16)

    # Trial.
    accepted = (dec_p + _uint(rng, 1, 10, n)).astype(np.int32)
    t_limit = np.where(
        procedure == 0,
        np.where(g_months > 12, 15, lim["fast_track_trial"]),
        np.where(
            procedure == 1, np.where(g_months > 36, 45, lim["summary_trial"]), lim["ordinary_trial"]
        ),
    ).astype(np.int32)
    smooth = np.ceil(t_limit * rng.beta(2.0, 2.5, n)).astype(np.int32).clip(1)
    quick = np.where(rng.random(n) < 0.9, _uint(rng, 1, 8, n), _uint(rng, 1, t_limit, n))
    t_days = np.where(procedure == 0, quick, smooth)
    bunch = db & prosecuted & (rng.random(n) < BUNCHING_SHARE)
    t_days = np.where(bunch, t_limit - _uint(rng, 0, 2, n), t_days).astype(np.int32)
    near += (prosecuted & (t_days >= t_limit - 2)).astype(np.int16)
    judged_on = (accepted + t_days).astype(np.int32)
    rec["trial_accepted_on"] = _where(prosecuted, accepted)
    rec["trial_limit_days"] = np.where(prosecuted, t_limit, -1).astype(np.int16)
    rec["judgment_on"] = _where(prosecuted, judged_on)
    rec["trial_days"] = _where(prosecuted, t_days)

    # Verdict, recommendation, sentence.
    rec["verdict"] = np.where(prosecuted, verdict, -1).astype(np.int8)
    definite = rng.random(n) < cal.t("definite_recommendation_share")
    noise = cal.a("recommendation_noise")
    jitter = np.where(
        rng.random(n) < noise["share"], 1 + (rng.random(n) * 2 - 1) * noise["max_fraction"], 1.0
    )
    rec_m = np.maximum(np.where(g_months > 0, 1, 0), np.rint(g_months * jitter)).astype(np.int32)
    if plan.on("deviating_prosecutor"):
        dev = rec["prosecutor"] == plan.targets.deviating_prosecutor
        rec_m = np.where(dev, np.maximum(g_months + 2, np.rint(g_months * DEVIATION_FACTOR)), rec_m)
        rec_m = rec_m.astype(np.int32)
    rec["rec_type"] = np.where(recommended, np.where(definite, 0, 1), -1).astype(np.int8)
    rec["guideline_months"] = _where(prosecuted, g_months)
    rec["guideline_pack"] = np.where(prosecuted, g.pack, -1).astype(np.int8)
    rec["recommended_months"] = _where(recommended & definite, rec_m)
    rec["range_lo"] = _where(recommended & ~definite, np.floor(rec_m * 0.85))
    rec["range_hi"] = _where(recommended & ~definite, np.maximum(rec_m + 1, np.ceil(rec_m * 1.15)))
    rec["court_decision"] = np.where(recommended, decision, -1).astype(np.int8)
    step = _uint(rng, 1, 2, n) * np.where(rng.random(n) < 0.5, -1, 1)
    # A rejected recommendation: the court sentences as the guideline would without the plea
    # (the engine computes that; the fallback undoes its average discount).
    rejected = recommended & (decision == 2)
    pen = np.where(rejected, g.no_plea_penalty, g_pen).astype(np.int8)
    plea_sent = np.where(
        decision == 0,
        rec_m,
        np.where(decision == 1, np.maximum(1, rec_m + step), g.no_plea_months),
    )
    months = np.where(plea, plea_sent, g_months).astype(np.int32)
    months = np.where(pen == LIFE, 0, months)
    months = crimes.sentencer.within_frame(pen, months)
    rec["penalty_type"] = np.where(convicted, pen, -1).astype(np.int8)
    rec["sentence_months"] = _where(convicted, months)

    # Probation (CL art 72: detention or at most 3 years), gap to all convicted solved.
    eligible_p = convicted & g.probation_eligible
    eligible_p &= (pen == DETENTION) | ((pen == PRISON) & (months <= 36))
    prob_plea = eligible_p & plea & (rng.random(n) < cal.a("plea_probation_rate"))
    conv_plea, conv_other = convicted & plea, convicted & ~plea
    r_p = prob_plea.sum() / max(1, conv_plea.sum())
    r_q = r_p - cal.t("probation_gap_plea") * convicted.sum() / max(1, conv_other.sum())
    e_q = (eligible_p & ~plea).sum() / max(1, conv_other.sum())
    p_q = np.clip(r_q / max(e_q, 1e-9), 0, 1)
    probation = prob_plea | (eligible_p & ~plea & (rng.random(n) < p_q))
    rec["probation"] = probation
    pm = np.where(
        pen == DETENTION, np.clip(months * 2, 2, 12), np.clip(np.ceil(months * 1.5), 12, 60)
    )
    rec["probation_months"] = _where(probation, pm)

    # Appeal, finality, execution.
    p_app = np.where(
        plea, cal.t("appeal_rate_plea"), cal.t("appeal_rate_plea") + cal.t("appeal_gap_non_plea")
    )
    appealed = prosecuted & (rng.random(n) < p_app)
    kind = (rng.random(n) < cal.a("appeal_kind_protest")).astype(np.int8)
    outcome = _pick(rng, list(cal.a("appeal_outcome").values()), n)
    filed = judged_on + _uint(rng, 1, lim["appeal_window"], n)
    decided_a = filed + _uint(rng, 20, lim["second_instance"], n)
    rec["appealed"] = appealed
    rec["appeal_kind"] = np.where(appealed, kind, -1).astype(np.int8)
    rec["appeal_outcome"] = np.where(appealed, outcome, -1).astype(np.int8)
    rec["appeal_filed_on"] = _where(appealed, filed)
    rec["appeal_decided_on"] = _where(appealed, decided_a)
    final_on = np.where(appealed, decided_a, judged_on + lim["appeal_window"] + 1)
    rec["final_on"] = _where(prosecuted, final_on)
    rec["execution_on"] = _where(convicted, final_on + _uint(rng, 1, 7, n))

    # Custody and durations.
    end = np.where(prosecuted, judged_on, np.where(transferred, dec_p, rec["withdrawn_on"]))
    custody = np.where(
        approved,
        end - measure_on,
        np.where(requested, dec_on - measure_on, release_on - measure_on),
    )
    rec["custody_days"] = np.where(detained, custody, 0).astype(np.int32)
    rec["investigation_days"] = _where(transferred, tr_on - reg)
    rec["review_days"] = _where(transferred, dec_p - tr_on)
    closed = np.where(prosecuted, final_on, end)
    rec["total_days"] = (closed - reg).astype(np.int32)
    rec["near_limit_count"] = near
    rec["overdue_count"] = np.zeros(n, dtype=np.int16)
    rec["flag_count"] = (near + confession).astype(np.int16)

    # Exclusion of evidence, retrial and case-quality review (after the facts; see scrutiny).
    scrutiny.draw(rng, rec, cal, geo)
    # Within what the law allows and the ledger records (see legal).
    legal.apply(rng, rec, cal, geo)
    return rec
