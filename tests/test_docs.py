"""Documentation stays true: the generated reference equals the committed one, every command
takes --json, and the README opens with the two commands."""

from __future__ import annotations

from pathlib import Path

import typer.main

from caseledger import reference
from caseledger.cli import app

ROOT = Path(__file__).resolve().parent.parent


def test_reference_docs_are_current():
    for name, text in reference.generate().items():
        committed = (ROOT / "docs" / "reference" / name).read_text(encoding="utf-8")
        assert committed == text, (
            f"docs/reference/{name} is stale: run python -m caseledger.reference"
        )


def test_every_command_takes_json():
    missing = []

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{path} {name}")
            return
        if not any("--json" in getattr(p, "opts", []) for p in cmd.params):
            missing.append(path)

    walk(typer.main.get_command(app), "caseledger")
    assert missing == []


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ")[0]
    assert "make demo" in head and "make test" in head
