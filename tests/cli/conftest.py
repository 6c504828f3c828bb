"""Fixtures of the CLI tests: the environment of a user of a fresh, initialised store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def env(db_url: str, home: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CASELEDGER_")}
    return {**base, "CASELEDGER_DATABASE_URL": db_url, "CASELEDGER_HOME": str(home)}
