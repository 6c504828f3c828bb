"""Turn one chunk's :class:`~caseledger.synth.lifecycle.Records` into warehouse tables.

Owns the mapping from records to the ``defendants`` rows and to the ``events`` rows (one per
lifecycle event, named after the ledger's event types), the id scheme and the in-file sort
order. Ids are readable: ``defendant_id`` = year·10⁹ + province prefix·10⁷ + serial, and
``case_id`` likewise with the case serial, so an id tells its cohort year and province.

Must never: draw random numbers (all randomness is in ``lifecycle``), or change a record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from caseledger.synth import lifecycle as lc
from caseledger.synth import scrutiny as sc
from caseledger.synth.geography import PROVINCES, Geography
from caseledger.synth.sentences import PENALTIES
from caseledger.warehouse.schema import DEFENDANTS

NULL = lc.NULL
EVIDENCE_CYCLE = sc.EVIDENCE_CYCLE
ROLES = ("investigator", "prosecutor", "judge", "quality_officer")
POLICE, PROC, COURT, APPEAL, QUALITY, RETRIAL = range(6)


def ids(year: int, province: int, serial: np.ndarray) -> np.ndarray:
    return (year * 1_000_000_000 + PROVINCES[province] * 10_000_000 + serial).astype(np.int64)


def _date(a: np.ndarray) -> pa.Array:
    return pa.array(a.astype(np.int32), pa.int32(), mask=a == NULL).view(pa.date32())


def _int(a: np.ndarray, typ: pa.DataType, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(a, typ, mask=null)


def _cat(vocab: tuple[str, ...] | list[str], codes: np.ndarray) -> pa.Array:
    idx = pa.array(codes.astype(np.int32), pa.int32(), mask=codes < 0)
    return pa.array(list(vocab), pa.string()).take(idx)


def _take(values: pa.Array, idx: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return values.take(pa.array(idx, pa.int64(), mask=null))


def _bool(a: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(a, pa.bool_(), mask=null)


@dataclass(frozen=True)
class Context:
    geo: Geography
    crime_codes: pa.Array
    crime_groups: pa.Array
    agencies: pa.Array  # PSB, PRO, CRT (by county), PRO2, CRT2 (by prefecture), CRT3
    agency_offset: dict[str, int]
    officials: pa.Array  # investigators, prosecutors, judges, quality officers
    official_offset: tuple[int, int, int, int]
    details: pa.Array
    detail_index: dict[str, int]
    packs: pa.Array  # sentencing pack ids (``guideline_pack``)


def context(
    geo: Geography,
    crime_codes: list[str],
    crime_groups: list[str],
    packs: tuple[str, ...] = (),
) -> Context:
    kinds = ("PSB", "PRO", "CRT", "PRO2", "CRT2", "CRT3")
    offsets, pos = {}, 0
    for k in kinds:
        offsets[k] = pos
        pos += len(geo.agency_ids[k])
    agencies = pa.concat_arrays([geo.agency_ids[k] for k in kinds])
    o1 = len(geo.investigators.ids)
    o2 = o1 + len(geo.prosecutors.ids)
    o3 = o2 + len(geo.judges.ids)
    officials = pa.concat_arrays(
        [geo.investigators.ids, geo.prosecutors.ids, geo.judges.ids, geo.quality_officers.ids]
    )
    vocab: list[str] = []
    for group in (
        lc.MEASURES, lc.NON_ARREST, lc.NON_PROSECUTION, lc.PROCEDURES, lc.VERDICTS,
        lc.DECISIONS, lc.REC_TYPES, lc.COUNSEL, lc.PLEA_STAGES, lc.APPEAL_KINDS,
        lc.APPEAL_OUTCOMES, EVIDENCE_CYCLE, sc.RETRIAL_OUTCOMES, sc.GRADES, tuple(crime_codes),
        ("approved", "prosecute", "sufficient", "insufficient", "no_crime", "prison",
         "community_correction", "fine", "detention_house", "interrogation",
         "plea_consultation"),
    ):  # fmt: skip
        vocab.extend(v for v in group if v not in vocab)
    return Context(
        geo=geo,
        crime_codes=pa.array(crime_codes),
        crime_groups=pa.array(crime_groups),
        agencies=agencies,
        agency_offset=offsets,
        officials=officials,
        official_offset=(0, o1, o2, o3),
        details=pa.array(vocab),
        detail_index={v: i for i, v in enumerate(vocab)},
        packs=pa.array(list(packs), pa.string()),
    )


def defendants(rec: lc.Records, ctx: Context, year: int, province: int) -> pa.Table:
    """The ``defendants`` rows of a chunk, in storage order."""
    geo, n = ctx.geo, rec.n
    county, pref, inter = rec["county"], rec["prefecture"], rec["intermediate"]
    prosecuted, transferred = rec["prosecuted"], rec["transferred_on"] != NULL
    court = np.where(inter, ctx.agency_offset["CRT2"] + pref, ctx.agency_offset["CRT"] + county)
    pro = np.where(inter, ctx.agency_offset["PRO2"] + pref, ctx.agency_offset["PRO"] + county)
    _, o_pro, o_judge, _ = ctx.official_offset
    plea = rec["plea"]
    cols = {
        "defendant_id": pa.array(ids(year, province, np.arange(n))),
        "case_id": pa.array(ids(year, province, rec["case"])),
        "defendant_no": pa.array(rec["defendant_no"], pa.int16()),
        "province_code": _take(geo.province_code, geo.county_province[county]),
        "prefecture_code": _take(geo.prefecture_code, pref),
        "county_code": _take(geo.county_code, county),
        "police_agency_id": _take(ctx.agencies, ctx.agency_offset["PSB"] + county),
        "procuratorate_id": _take(ctx.agencies, pro, ~transferred & ~rec["requested"]),
        "court_id": _take(ctx.agencies, court, ~prosecuted),
        "court_level": _cat(lc.COURT_LEVELS, np.where(prosecuted, inter, -1)),
        "investigator_id": _take(ctx.officials, rec["investigator"]),
        "prosecutor_id": _take(
            ctx.officials, o_pro + rec["prosecutor"], ~transferred & ~rec["requested"]
        ),
        "judge_id": _take(ctx.officials, o_judge + rec["judge_idx"], ~prosecuted),
        "crime_code": _take(ctx.crime_codes, rec["crime"]),
        "crime_group": _take(ctx.crime_groups, rec["crime"]),
        "reported_on": _date(rec["reported_on"]),
        "registered_on": _date(rec["registered_on"]),
        "suspect_identified_on": _date(rec["suspect_identified_on"]),
        "detained": _bool(rec["detained"]),
        "detained_on": _date(np.where(rec["detained"], rec["measure_on"], NULL)),
        "arrest_requested": _bool(rec["requested"]),
        "arrest_decided_on": _date(rec["dec_on"]),
        "arrest_approved": _bool(rec["approved"], ~rec["requested"]),
        "non_arrest_ground": _cat(lc.NON_ARREST, rec["non_arrest_ground"]),
        "pretrial_measure": _cat(lc.MEASURES, rec["pretrial_measure"]),
        "custody_days": pa.array(rec["custody_days"], pa.int32()),
        "withdrawn": _bool(rec["withdrawn"]),
        "transferred_on": _date(rec["transferred_on"]),
        "supplementary_rounds": _int(rec["rounds"], pa.int16(), ~transferred),
        "evidence_items": pa.array(rec["evidence_items"], pa.int16()),
        "evidence_basis": _cat(lc.EVIDENCE_BASIS, np.where(transferred, rec["evidence_basis"], -1)),
        "evidence_excluded": _int(rec["evidence_excluded"], pa.int16(), ~transferred),
        "prosecution_decided_on": _date(rec["prosecution_decided_on"]),
        "prosecuted": _bool(prosecuted, ~transferred),
        "non_prosecution_ground": _cat(lc.NON_PROSECUTION, rec["non_prosecution_ground"]),
        "plea": _bool(plea),
        "plea_stage": _cat(lc.PLEA_STAGES, rec["plea_stage"]),
        "counsel_type": _cat(lc.COUNSEL, rec["counsel_type"]),
        "recommendation_type": _cat(lc.REC_TYPES, rec["rec_type"]),
        "guideline_months": _int(
            rec["guideline_months"], pa.int32(), rec["guideline_months"] == NULL
        ),
        "guideline_pack": _take(ctx.packs, rec["guideline_pack"], rec["guideline_pack"] < 0),
        "recommended_months": _int(
            rec["recommended_months"], pa.int32(), rec["recommended_months"] == NULL
        ),
        "recommended_range_lo": _int(rec["range_lo"], pa.int32(), rec["range_lo"] == NULL),
        "recommended_range_hi": _int(rec["range_hi"], pa.int32(), rec["range_hi"] == NULL),
        "court_decision": _cat(lc.DECISIONS, rec["court_decision"]),
        "recommendation_adopted": _bool(rec["court_decision"] == 0, rec["court_decision"] < 0),
        "procedure": _cat(lc.PROCEDURES, rec["procedure"]),
        "trial_accepted_on": _date(rec["trial_accepted_on"]),
        "trial_limit_days": _int(rec["trial_limit_days"], pa.int16(), ~prosecuted),
        "judgment_on": _date(rec["judgment_on"]),
        "verdict": _cat(lc.VERDICTS, rec["verdict"]),
        "penalty_type": _cat(PENALTIES, rec["penalty_type"]),
        "sentence_months": _int(rec["sentence_months"], pa.int32(), rec["sentence_months"] == NULL),
        "probation": _bool(rec["probation"], rec["sentence_months"] == NULL),
        "probation_months": _int(
            rec["probation_months"], pa.int32(), rec["probation_months"] == NULL
        ),
        "appealed": _bool(rec["appealed"], ~prosecuted),
        "appeal_kind": _cat(lc.APPEAL_KINDS, rec["appeal_kind"]),
        "appeal_outcome": _cat(lc.APPEAL_OUTCOMES, rec["appeal_outcome"]),
        "final_on": _date(rec["final_on"]),
        "retrial_on": _date(rec["retrial_on"]),
        "retrial_outcome": _cat(sc.RETRIAL_OUTCOMES, rec["retrial_outcome"]),
        "investigation_days": _int(rec["investigation_days"], pa.int32(), ~transferred),
        "review_days": _int(rec["review_days"], pa.int32(), ~transferred),
        "trial_days": _int(rec["trial_days"], pa.int32(), ~prosecuted),
        "total_days": pa.array(rec["total_days"], pa.int32()),
        "near_limit_count": pa.array(rec["near_limit_count"], pa.int16()),
        "overdue_count": pa.array(rec["overdue_count"], pa.int16()),
        "flag_count": pa.array(rec["flag_count"], pa.int16()),
        "reviewed_on": _date(rec["reviewed_on"]),
        "review_grade": _cat(sc.GRADES, rec["review_grade"]),
    }
    return pa.Table.from_arrays(list(cols.values()), schema=DEFENDANTS.schema)
