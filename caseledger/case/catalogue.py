"""The crime catalogue: every chargeable crime, kept as data in ``data/crimes.csv``.

Columns: code, English and Chinese names, Criminal Law article, crime group, ICCS code and
label (UNODC International Classification of Crime for Statistical Purposes, for international
comparison), the heaviest penalty, whether the crime is negligent, whether interrogations must be
recorded (CPL art 123; MPS-Rules art 208), the source and a confidence mark (C read in the text,
R recalled; see ``shared/law/README.md``). Loaded once, validated row by row.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from caseledger.errors import RulePackInvalid, UnknownCode

CrimeGroup = Literal[
    "public_safety",
    "economic_order",
    "person_rights",
    "property",
    "social_order",
    "drugs",
    "corruption",
    "dereliction",
]
CRIME_GROUPS: tuple[str, ...] = get_args(CrimeGroup)


class Crime(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name_en: str
    name_zh: str
    cl_article: str
    crime_group: CrimeGroup
    iccs_code: str
    iccs_label: str
    max_penalty: str
    negligent: bool
    interrogation_recording: Literal["mandatory", "depends", "optional"]
    source: str
    confidence: Literal["C", "C17", "R"]

    @field_validator("code")
    @classmethod
    def _snake(cls, value: str) -> str:
        if not value.replace("_", "").isalnum() or value.lower() != value:
            raise ValueError("must be lower-case snake_case")
        return value

    @field_validator("max_penalty")
    @classmethod
    def _penalty(cls, value: str) -> str:
        if value not in ("death", "life", "detention") and not value.isdigit():
            raise ValueError("must be death, life, detention or a number of years")
        return value

    @property
    def life_or_death_possible(self) -> bool:
        return self.max_penalty in ("death", "life")


def _load(text: str, name: str) -> dict[str, Crime]:
    crimes: dict[str, Crime] = {}
    reader = csv.DictReader(text.splitlines())
    for line_no, row in enumerate(reader, start=2):
        try:
            crime = Crime.model_validate(row)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise RulePackInvalid(
                f"crime catalogue row invalid: {err['msg']}",
                file=name,
                line=line_no,
                field=".".join(str(p) for p in err["loc"]),
            ) from None
        if crime.code in crimes:
            raise RulePackInvalid("duplicate crime code", file=name, line=line_no, code=crime.code)
        crimes[crime.code] = crime
    return crimes


@cache
def catalogue() -> dict[str, Crime]:
    text = (Path(__file__).parent / "data" / "crimes.csv").read_text("utf-8")
    return _load(text, "caseledger/case/data/crimes.csv")


def get(code: str, **context: object) -> Crime:
    crimes = catalogue()
    if code not in crimes:
        raise UnknownCode(
            f"unknown crime code {code!r}; see `caseledger crimes` for the catalogue",
            field="crime_code",
            **context,
        )
    return crimes[code]
