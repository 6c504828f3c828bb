"""Law-as-data files load, carry their citations, and broken files give clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from caseledger.case import catalogue, rules
from caseledger.case.catalogue import _load
from caseledger.errors import RulePackInvalid

BROKEN = Path(__file__).parent / "broken_rules"
EXPECTED = yaml.safe_load((BROKEN / "expected.yaml").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_time_limit_files_give_their_error(name):
    with pytest.raises(RulePackInvalid) as info:
        rules.load_file(BROKEN / name, rules.TimeLimits)
    want = EXPECTED[name]
    assert want["message"] in info.value.message
    assert info.value.context["file"].endswith(name)
    assert info.value.context.get("key") == want["key"]


def test_every_rule_has_an_article():
    assert all(lim.article.startswith("CPL") for lim in rules.time_limits().limits)
    for proc in rules.procedure_rules().procedures.values():
        assert all(r.article for r in [*proc.requires, *proc.excludes])
    assert all(f.article for f in rules.penalties().penalties.values())


def test_catalogue_has_the_shared_crime_codes_with_sources():
    crimes = catalogue.catalogue()
    for code in (
        "theft",
        "fraud",
        "dangerous_driving",
        "intentional_injury",
        "robbery",
        "traffic_accident",
        "drug_trafficking",
        "helping_information_network_crime",
        "picking_quarrels",
        "opening_casino",
    ):
        assert crimes[code].source and crimes[code].iccs_code
    assert crimes["intentional_homicide"].life_or_death_possible
    assert crimes["dangerous_driving"].max_penalty == "detention"


def test_broken_catalogue_rows_name_line_and_field():
    header = (
        "code,name_en,name_zh,cl_article,crime_group,iccs_code,iccs_label,max_penalty,"
        "negligent,interrogation_recording,source,confidence\n"
    )
    good = "theft,Theft,盗窃罪,264,property,0502,Theft,life,false,depends,CL 264,C\n"
    with pytest.raises(RulePackInvalid) as info:
        _load(header + good + good.replace("life", "forever"), "crimes.csv")
    assert info.value.context["line"] == 3 and info.value.context["field"] == "max_penalty"
    with pytest.raises(RulePackInvalid, match="duplicate"):
        _load(header + good + good, "crimes.csv")
