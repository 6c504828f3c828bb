"""``caseledger import`` through the CLI: clean files, idempotence, and the rejects it must give."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from caseledger.warehouse import schema, transaction, writer
from tests.warehouse.conftest import Cli, key, read, rejects_of, rows_of, write_rows


def same_rows(a: pl.DataFrame, b: pl.DataFrame, table: str) -> bool:
    cols = schema.TABLES[table].schema.names
    return a.select(cols).sort(key(table)).equals(b.select(cols).sort(key(table)))


def snapshot(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}


def test_synthetic_files_import_complete_and_unchanged(
    cli: Cli, source: Path, files: dict[str, Path], tmp_path: Path
) -> None:
    wh = tmp_path / "wh"
    result = cli("import", files["csv"], files["jsonl"], "--warehouse", wh, "--json")
    report = json.loads(result.stdout)
    assert report["created"] is True and report["rejected"] == 0 and report["rejects_file"] is None
    assert [f["status"] for f in report["files"]] == ["imported", "imported"]
    for table in ("defendants", "events"):
        mine, theirs = read(wh, table), read(source, table)
        assert same_rows(mine, theirs, table), table
        assert (
            mine.group_by("year")
            .len()
            .sort("year")
            .equals(theirs.group_by("year").len().sort("year"))
        )
    manifest = writer.read_manifest(wh)
    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    batch = manifest["state"]["import"]["batches"][report["files"][0]["sha256"]]
    assert batch["imported"] == read(source, "defendants").height and batch["rejected"] == 0
    assert transaction.verify(wh) == []
    assert not (files["csv"].parent / "defendants.rejects.csv").exists()


def test_v2_columns_are_imported(
    files: dict[str, Path], source: Path, cli: Cli, tmp_path: Path
) -> None:
    d = read(source, "defendants")
    assert d["review_grade"].drop_nulls().len() and d["evidence_excluded"].drop_nulls().len()
    wh = tmp_path / "wh"
    cli("import", files["parquet"], "--warehouse", wh, "--quiet")
    mine = read(wh, "defendants")
    v2 = ["evidence_excluded", "retrial_on", "retrial_outcome", "reviewed_on", "review_grade"]
    cols = ["defendant_id", *v2]
    assert mine.select(cols).sort("defendant_id").equals(d.select(cols).sort("defendant_id"))


def test_a_rerun_imports_nothing_twice(cli: Cli, files: dict[str, Path], tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    cli("import", files["csv"], files["jsonl"], "--warehouse", wh, "--quiet")
    before = snapshot(wh)
    report = json.loads(
        cli("import", files["jsonl"], files["csv"], "--warehouse", wh, "--json").stdout
    )
    assert [f["status"] for f in report["files"]] == ["already imported"] * 2
    assert report["imported"] == report["rejected"] == 0
    assert snapshot(wh) == before  # not even a new manifest


def test_the_same_rows_in_another_file_are_rejected_as_duplicates(
    cli: Cli, files: dict[str, Path], source: Path, tmp_path: Path
) -> None:
    wh = tmp_path / "wh"
    rows = rows_of(files["csv"])
    write_rows(tmp_path / "first.csv", rows[:1000])
    cli("import", tmp_path / "first.csv", "--warehouse", wh, "--quiet")
    write_rows(tmp_path / "second.csv", rows[900:1100])  # 100 old, 100 new
    result = cli(
        "import",
        tmp_path / "second.csv",
        "--warehouse",
        wh,
        "--rejects",
        tmp_path / "r.csv",
        "--new-regions",  # the first 1,000 rows do not cover every county
        code=2,
    )
    assert result.stderr.strip().splitlines() == [
        f"error: 100 of 200 rows rejected, 100 imported [rejects={tmp_path / 'r.csv'}]"
    ]
    rejects = rejects_of(tmp_path / "r.csv")
    assert [r["row"] for r in rejects] == [str(i) for i in range(1, 101)]
    year = rows[900]["registered_on"][:4]
    assert rejects[0] == {
        "file": str(tmp_path / "second.csv"),
        "row": "1",
        "field": "defendant_id",
        "check": "duplicate",
        "value": rows[900]["defendant_id"],
        "reason": f"already in the warehouse (year={year})",
    }
    assert read(wh, "defendants").height == 1100
    assert read(wh, "defendants")["defendant_id"].is_unique().all()


def test_parquet_facts_are_checked_like_csv(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    d = pl.read_parquet(files["parquet"]).head(50)
    d = d.with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(pl.lit("piracy"))
        .otherwise(pl.col("crime_code"))
        .alias("crime_code"),
        pl.col("custody_days").cast(pl.Int64),  # a wider type is fine while values fit
    )
    d.write_parquet(tmp_path / "f.parquet")
    cli("import", tmp_path / "f.parquet", "--warehouse", tmp_path / "wh", "--quiet", code=2)
    assert [
        (r["row"], r["field"], r["reason"]) for r in rejects_of(tmp_path / "f.rejects.csv")
    ] == [("4", "crime_code", "unknown crime code (see caseledger crimes)")]
    assert read(tmp_path / "wh", "defendants").height == 49


def test_import_into_another_schema_version_is_refused(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    wh = tmp_path / "wh"
    with transaction.open(wh, create=True):
        pass
    manifest = json.loads((wh / "_schema.json").read_text())
    manifest["schema_version"] = 1 if schema.SCHEMA_VERSION != 1 else 99
    (wh / "_schema.json").write_text(json.dumps(manifest))
    result = cli("import", files["csv"], "--warehouse", wh, "--quiet", code=2)
    (line,) = result.stderr.strip().splitlines()
    assert f"the warehouse has schema version {manifest['schema_version']}" in line
    assert "defendants" not in {p.name for p in wh.iterdir()}


def test_a_busy_warehouse_is_one_clear_line(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    import subprocess
    import sys

    wh = tmp_path / "wh"
    holder = (
        "import sys, time\nfrom caseledger.warehouse import transaction\n"
        "with transaction.open(sys.argv[1], create=True):\n"
        "    print('locked', flush=True); time.sleep(30)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder, str(wh)], stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
            result = cli("import", files["csv"], "--warehouse", wh, "--quiet", code=2)
            (line,) = result.stderr.strip().splitlines()
            assert "being written by another process" in line and f"pid={proc.pid}" in line
        finally:
            proc.kill()


def test_json_report_and_progress_stay_apart(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    result = cli("import", files["csv"], "--warehouse", tmp_path / "wh", "--json")
    report = json.loads(result.stdout)
    assert set(report) >= {"warehouse", "files", "rows", "imported", "rejected", "seconds"}
    quiet = cli("import", files["csv"], "--warehouse", tmp_path / "wh", "--quiet")
    assert quiet.stdout == "" and quiet.stderr == ""


def test_missing_file_and_wrong_extension_are_one_line(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    for name, message in (("nope.csv", "no such file"), ("notes.txt", "unknown file type")):
        result = cli("import", tmp_path / name, "--warehouse", tmp_path / "wh", code=2)
        (line,) = result.stderr.strip().splitlines()
        assert message in line
    assert not (tmp_path / "wh").exists()


def test_known_regions_of_the_warehouse(cli: Cli, files: dict[str, Path], tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    rows = rows_of(files["csv"])
    counties = {r["county_code"] for r in rows[:-1]}
    cli("import", write_rows(tmp_path / "a.csv", rows[:-1]), "--warehouse", wh, "--quiet")
    new = next(
        f"{p}{c:02d}"
        for p in sorted({r["prefecture_code"][:4] for r in rows})
        for c in range(1, 99)
        if f"{p}{c:02d}" not in counties
    )
    last = dict(rows[-1])
    pref = new[:4] + "00"
    last.update(
        county_code=new,
        prefecture_code=pref,
        province_code=new[:2] + "0000",
        police_agency_id=f"PSB{new}",
        investigator_id=f"PSB{new}-I0001",
    )
    for col, prefix in (("procuratorate_id", "PRO"), ("court_id", "CRT")):
        if last[col]:
            last[col] = prefix + (new if last[col][3:] == rows[-1]["county_code"] else pref)
    for col, agency in (("prosecutor_id", "procuratorate_id"), ("judge_id", "court_id")):
        if last[col]:
            last[col] = last[agency] + last[col][9:]
    write_rows(tmp_path / "b.csv", [last])
    cli("import", tmp_path / "b.csv", "--warehouse", wh, "--quiet", code=2)
    (reject,) = rejects_of(tmp_path / "b.rejects.csv")
    assert reject["field"] == "county_code" and reject["value"] == new
    assert reject["reason"].startswith(f"not among the {len(counties)} counties of the warehouse")
    cli("import", tmp_path / "b.csv", "--warehouse", wh, "--quiet", "--new-regions")
    assert read(wh, "defendants").height == len(rows)


def test_events_before_their_defendants_are_imported_on_the_next_run(
    cli: Cli, files: dict[str, Path], source: Path, tmp_path: Path
) -> None:
    wh = tmp_path / "wh"
    d = read(source, "defendants").drop("year")
    half = d.head(d.height // 2)
    half.write_csv(tmp_path / "half.csv")
    cli("import", tmp_path / "half.csv", "--warehouse", wh, "--quiet")
    first = json.loads(cli("import", files["jsonl"], "--warehouse", wh, "--json", code=2).stdout)[
        "files"
    ][0]
    events = read(source, "events")
    known = events.filter(pl.col("defendant_id").is_in(half["defendant_id"].implode()))
    assert first["imported"] == known.height and first["rejected"] == events.height - known.height
    reasons = {r["reason"] for r in rejects_of(files["jsonl"].with_name("events.rejects.csv"))}
    assert reasons == {"unknown defendant (not in the warehouse or this import)"}
    # the first half are duplicates now; the second half brings counties the first lacked
    cli("import", files["csv"], "--warehouse", wh, "--quiet", "--new-regions", code=2)
    again = json.loads(cli("import", files["jsonl"], "--warehouse", wh, "--json").stdout)
    (f,) = again["files"]
    assert f["status"] == "retried"
    assert (f["imported_before"], f["imported"], f["rejected"]) == (
        known.height,
        events.height - known.height,
        0,
    )
    assert same_rows(read(wh, "events"), events, "events")
    third = json.loads(cli("import", files["jsonl"], "--warehouse", wh, "--json").stdout)
    assert third["files"][0]["status"] == "already imported"


def test_a_warehouse_import_creates_nothing_on_refusal(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    rows = rows_of(files["csv"])[:10]
    fields = [c for c in rows[0] if c != "crime_group"]
    write_rows(tmp_path / "f.csv", rows, fields)
    result = cli("import", tmp_path / "f.csv", "--warehouse", tmp_path / "wh", code=2)
    assert result.stderr.strip().splitlines() == [
        "error: file refused, nothing imported: column missing from the file (defendants table) "
        f"[file={tmp_path / 'f.csv'}, column=crime_group, rejects={tmp_path / 'f.rejects.csv'}]"
    ]
    assert rejects_of(tmp_path / "f.rejects.csv") == [
        {
            "file": str(tmp_path / "f.csv"),
            "row": "",
            "field": "crime_group",
            "check": "column",
            "value": "",
            "reason": "column missing from the file (defendants table)",
        }
    ]
    assert not (tmp_path / "wh").exists()


def test_unknown_and_repeated_columns_refuse_the_file(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    rows = rows_of(files["csv"])[:3]
    for r in rows:
        r["colour"] = "red"
    write_rows(tmp_path / "f.csv", rows)
    cli("import", tmp_path / "f.csv", "--warehouse", tmp_path / "wh", code=2)
    assert [(r["field"], r["reason"]) for r in rejects_of(tmp_path / "f.rejects.csv")] == [
        ("colour", "unknown column for the defendants table")
    ]
    text = files["csv"].read_text().splitlines()
    header = text[0] + ",crime_code"
    (tmp_path / "g.csv").write_text("\n".join([header, *(t + ",theft" for t in text[1:4])]) + "\n")
    cli("import", tmp_path / "g.csv", "--warehouse", tmp_path / "wh", code=2)
    assert [(r["field"], r["reason"]) for r in rejects_of(tmp_path / "g.rejects.csv")] == [
        ("crime_code", "column appears more than once in the header")
    ]


def test_a_record_with_the_wrong_number_of_fields(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    lines = files["csv"].read_text().splitlines()
    body = lines[1:21]
    body[4] = ",".join(body[4].split(",")[:-3])  # row 5 loses three fields
    body[9] = body[9] + ",extra"  # row 10 has one too many
    (tmp_path / "f.csv").write_text("\n".join([lines[0], *body]) + "\n")
    cli("import", tmp_path / "f.csv", "--warehouse", tmp_path / "wh", "--quiet", code=2)
    width = len(lines[0].split(","))
    got = [(r["row"], r["check"], r["reason"]) for r in rejects_of(tmp_path / "f.rejects.csv")]
    assert got == [
        ("5", "fields", f"has {width - 3} fields, the header has {width}"),
        ("10", "fields", f"has {width + 1} fields, the header has {width}"),
    ]
    ids = read(tmp_path / "wh", "defendants")["defendant_id"].sort().to_list()
    expected = sorted(int(b.split(",")[0]) for i, b in enumerate(body) if i not in (4, 9))
    assert ids == expected


def test_the_rejects_file_is_atomic_and_where_asked(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    rows = rows_of(files["csv"])[:5]
    rows[2]["verdict"] = "guilty"
    write_rows(tmp_path / "f.csv", rows)
    target = tmp_path / "out" / "rej.csv"
    result = cli(
        "import", tmp_path / "f.csv", "--warehouse", tmp_path / "wh", "--rejects", target, code=2
    )
    assert "cannot write the rejects file there" in result.stderr
    assert not (tmp_path / "wh").exists()
    target.parent.mkdir()
    cli("import", tmp_path / "f.csv", "--warehouse", tmp_path / "wh", "--rejects", target, code=2)
    assert [p.name for p in target.parent.iterdir()] == ["rej.csv"]
    assert rejects_of(target)[0]["value"] == "guilty"


def test_copying_a_warehouse_keeps_its_import_state(
    cli: Cli, files: dict[str, Path], tmp_path: Path
) -> None:
    cli("import", files["csv"], "--warehouse", tmp_path / "a", "--quiet")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    report = json.loads(cli("import", files["csv"], "--warehouse", tmp_path / "b", "--json").stdout)
    assert report["files"][0]["status"] == "already imported"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_empty_file(cli: Cli, files: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    if fmt == "csv":
        (tmp_path / "f.csv").write_text(files["csv"].read_text().splitlines()[0] + "\n")
    else:
        (tmp_path / "f.jsonl").write_text("")
    result = cli("import", tmp_path / f"f.{fmt}", "--warehouse", tmp_path / "wh", "--json")
    assert json.loads(result.stdout)["rows"] == 0
