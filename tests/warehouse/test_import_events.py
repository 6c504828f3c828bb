"""Event streams (JSONL): each event's defendant, case, county, dates and place in the chain."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.warehouse.conftest import Cli, read, rejects_of, rows_of, write_rows


def day(value: str, delta: int) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=delta)).isoformat()


@pytest.fixture(scope="module")
def events(source: Path) -> list[dict[str, Any]]:
    e = read(source, "events").drop("year").sort("defendant_id", "seq")
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
        for row in e.iter_rows(named=True)
    ]


@pytest.fixture
def with_defendants(cli: Cli, files: dict[str, Path], tmp_path: Path) -> Path:
    wh = tmp_path / "wh"
    cli("import", files["csv"], "--warehouse", wh, "--quiet")
    return wh


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line if isinstance(line, str) else json.dumps(line))
            fh.write("\n")
    return path


def test_each_bad_event_gives_its_reject(
    cli: Cli, with_defendants: Path, source: Path, events: list[dict[str, Any]], tmp_path: Path
) -> None:
    d = read(source, "defendants")
    registered = dict(zip(d["defendant_id"], d["registered_on"].cast(pl.String), strict=True))
    lines: list[Any] = [dict(e) for e in events[:400]]
    # a defendant whose second event is dated after its registration
    k = next(
        i
        for i in range(10, 400)
        if lines[i]["defendant_id"] == lines[i - 1]["defendant_id"]
        and lines[i - 1]["occurred_on"] > registered[lines[i]["defendant_id"]]
    )
    prev = lines[k - 1]
    other = next(
        e
        for e in lines
        if e["case_id"] != lines[4]["case_id"] and e["county_code"] != lines[6]["county_code"]
    )
    spoil: dict[int, tuple[dict[str, Any], list[tuple[str, str, str]]]] = {
        0: ({"seq": "x"}, [("seq", "type", "not an integer")]),
        1: (
            {"defendant_id": 2099650009999},
            [
                (
                    "defendant_id",
                    "defendant",
                    "unknown defendant (not in the warehouse or this import)",
                )
            ],
        ),
        2: (
            {"event_type": "case.teleported"},
            [
                (
                    "event_type",
                    "vocabulary",
                    "unknown event type (see docs/reference/events.md)",
                )
            ],
        ),
        3: (  # before the registration, hence before the previous event too
            {"occurred_on": day(registered[lines[3]["defendant_id"]], -1)},
            [
                (
                    "occurred_on",
                    "order",
                    "occurred_on is before the defendant's registered_on "
                    f"({registered[lines[3]['defendant_id']]})",
                ),
                (
                    "occurred_on",
                    "order",
                    "occurred_on is before the defendant's previous event "
                    f"(seq {lines[2]['seq']} on {lines[2]['occurred_on']})",
                ),
            ],
        ),
        4: (
            {"case_id": other["case_id"]},
            [
                (
                    "case_id",
                    "defendant",
                    f"does not match the defendant's case_id ({lines[4]['case_id']})",
                )
            ],
        ),
        5: (
            {"actor_role": "clerk"},
            [
                (
                    "actor_role",
                    "vocabulary",
                    "unknown value; expected one of: "
                    "investigator, prosecutor, judge, quality_officer",
                )
            ],
        ),
        k: (
            {"occurred_on": day(prev["occurred_on"], -1)},
            [
                (
                    "occurred_on",
                    "order",
                    "occurred_on is before the defendant's previous event "
                    f"(seq {prev['seq']} on {prev['occurred_on']})",
                )
            ],
        ),
    }
    spoil[6] = (
        {"county_code": other["county_code"]},
        [
            (
                "county_code",
                "defendant",
                f"does not match the defendant's county_code ({lines[6]['county_code']})",
            )
        ],
    )
    for i, (change, _) in spoil.items():
        lines[i].update(change)
    lines[21] = dict(lines[20])  # the same event twice
    lines.insert(30, "{not json")  # line 31
    lines.insert(31, "[1, 2]")  # line 32
    lines.insert(32, "")  # blank lines are not rows
    src = write_jsonl(tmp_path / "ev.jsonl", lines)
    cli("import", src, "--warehouse", with_defendants, "--quiet", code=2)
    got = rejects_of(tmp_path / "ev.rejects.csv")
    by_row: dict[int, set[tuple[str, str, str]]] = {}
    for r in got:
        by_row.setdefault(int(r["row"]), set()).add((r["field"], r["check"], r["reason"]))

    def line_of(i: int) -> int:  # 1-based line of original item i after the insertions
        return i + 1 + (3 if i >= 30 else 0)

    for i, (_, want) in spoil.items():
        assert by_row.pop(line_of(i)) == set(want), i
    dup = (
        f"defendant_id and seq repeated in this import: 2 rows (rows {line_of(20)}, {line_of(21)})"
    )
    for i in (20, 21):
        assert by_row.pop(line_of(i)) == {("seq", "duplicate", dup)}
    assert by_row.pop(31) == {("", "json", "not valid JSON")}
    assert by_row.pop(32) == {("", "json", "not a JSON object")}
    assert by_row == {}
    stored = read(with_defendants, "events")
    assert stored.height == 400 - len(spoil) - 2
    assert stored.select("defendant_id", "seq").is_unique().all()


def test_events_continue_a_chain_already_in_the_warehouse(
    cli: Cli, with_defendants: Path, events: list[dict[str, Any]], tmp_path: Path
) -> None:
    one = events[0]["defendant_id"]
    chain = [dict(e) for e in events if e["defendant_id"] == one]
    head, tail = chain[:-2], chain[-2:]
    cli("import", write_jsonl(tmp_path / "a.jsonl", head), "--warehouse", with_defendants, "-q")
    late = dict(tail[0], occurred_on=day(head[-1]["occurred_on"], -1))
    cli(
        "import",
        write_jsonl(tmp_path / "b.jsonl", [late]),
        "--warehouse",
        with_defendants,
        "-q",
        code=2,
    )
    (reject,) = rejects_of(tmp_path / "b.rejects.csv")
    assert reject["reason"] == (
        "occurred_on is before the defendant's previous event "
        f"(seq {head[-1]['seq']} on {head[-1]['occurred_on']})"
    )
    again = dict(head[1])
    cli(
        "import",
        write_jsonl(tmp_path / "c.jsonl", [again]),
        "--warehouse",
        with_defendants,
        "-q",
        code=2,
    )
    (reject,) = rejects_of(tmp_path / "c.rejects.csv")
    assert reject["reason"] == "defendant_id and seq already in the warehouse"
    cli("import", write_jsonl(tmp_path / "d.jsonl", tail), "--warehouse", with_defendants, "-q")
    stored = read(with_defendants, "events").filter(pl.col("defendant_id") == one)
    assert stored["seq"].sort().to_list() == [e["seq"] for e in chain]


def test_an_event_of_a_defendant_rejected_in_the_same_import(
    cli: Cli, files: dict[str, Path], events: list[dict[str, Any]], tmp_path: Path
) -> None:
    facts = rows_of(files["csv"])[:30]
    ids = {int(r["defendant_id"]) for r in facts}
    facts[0]["crime_code"] = "piracy"
    mine = [e for e in events if e["defendant_id"] in ids]
    write_rows(tmp_path / "f.csv", facts)
    write_jsonl(tmp_path / "e.jsonl", mine)
    result = cli(
        "import",
        tmp_path / "e.jsonl",
        tmp_path / "f.csv",
        "--warehouse",
        tmp_path / "wh",
        "--json",
        code=2,
    )
    report = json.loads(result.stdout)
    assert [f["table"] for f in report["files"]] == ["events", "defendants"]
    bad = int(facts[0]["defendant_id"])
    n_bad = sum(e["defendant_id"] == bad for e in mine)
    assert report["files"][0]["rejected"] == n_bad
    reasons = {
        r["reason"] for r in rejects_of(tmp_path / "e.rejects.csv") if r["file"].endswith("e.jsonl")
    }
    assert reasons == {"the defendant's row was rejected in this import"}
    assert read(tmp_path / "wh", "events").height == len(mine) - n_bad


def test_jsonl_values_as_numbers_or_text(
    cli: Cli, with_defendants: Path, events: list[dict[str, Any]], tmp_path: Path
) -> None:
    e = dict(events[0], seq=str(events[0]["seq"]), defendant_id=str(events[0]["defendant_id"]))
    f = dict(events[1], seq=1.5)
    write_jsonl(tmp_path / "e.jsonl", [e, f])
    cli("import", tmp_path / "e.jsonl", "--warehouse", with_defendants, "-q", code=2)
    (reject,) = rejects_of(tmp_path / "e.rejects.csv")
    assert (reject["row"], reject["field"], reject["reason"]) == ("2", "seq", "not an integer")
    assert read(with_defendants, "events").height == 1
