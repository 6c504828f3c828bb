"""The ``caseledger sentence`` commands through the real console script, and the JSONL batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from caseledger.sentencing import engine
from caseledger.sentencing.batch import run_batch

EXE = str(Path(sys.executable).parent / "caseledger")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, "sentence", *args], capture_output=True, text=True, input=stdin, timeout=60
    )


def test_calc_with_flags_prints_the_explanation():
    p = run("calc", "--crime", "theft", "-f", "amount_yuan=12000", "-c", "surrender=-20",
            "--plea", "investigation", "--as-of", "2024-05-01")  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "Recommendation: 4 months of criminal detention (range 3-5 months)." in p.stdout
    assert "量刑建议：拘役4个月（幅度3至5个月）。" in p.stdout


def test_calc_json_in_and_out_equals_the_python_api():
    case = {"crime": "robbery", "facts": {"amount_yuan": 3000}, "as_of": "2022-06-01",
            "circumstances": [{"code": "surrender", "pct": -20}]}  # fmt: skip
    p = run("calc", "--input", "-", "--json", stdin=json.dumps(case))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == engine.recommend(case).model_dump(mode="json")


def test_calc_bad_input_is_one_line_exit_2():
    p = run("calc", "--crime", "theft", "-f", "amount_yuan=12000", "-c", "surrender=-50",
            "--as-of", "2024-05-01")  # fmt: skip
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "field=circumstances[0].pct" in lines[0] and "allowed=-40..-0" in lines[0]


def test_batch_reports_bad_lines_and_computes_the_rest(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    good = {"id": "a", "crime": "theft", "facts": {"amount_yuan": 5000}, "as_of": "2023-01-01"}
    lines = [
        json.dumps(good),
        json.dumps({"id": "b", "crime": "larceny", "as_of": "2023-01-01"}),
        "{not json",
        "",
        json.dumps({**good, "id": "c", "plea": {"stage": "trial"}}),
    ]
    src.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b"\xff\xfe{}\n")
    dst = tmp_path / "out.jsonl"
    p = run("batch", str(src), str(dst), "--json")
    assert p.returncode == 2
    *summary, error_line = p.stdout.strip().splitlines()
    report = json.loads("\n".join(summary))
    assert (report["total"], report["ok"], report["rejected"], report["blank"]) == (6, 2, 3, 1)
    assert json.loads(error_line)["rejected"] == 3
    assert "line 6: not UTF-8 text" in p.stderr
    assert "line 2: unknown crime 'larceny'" in p.stderr
    assert "line 3: not a JSON object" in p.stderr
    assert "3 of 6 lines rejected" in p.stderr
    out = dst.read_text(encoding="utf-8").split("\n")
    assert json.loads(out[0])["id"] == "a"
    assert json.loads(out[1])["error"]["field"] == "crime" and json.loads(out[1])["line"] == 2
    assert out[3] == ""
    assert (
        json.loads(out[4])["recommendation"]
        == engine.compute({**good, "plea": {"stage": "trial"}})["recommendation"]
    )


def test_batch_all_good_exits_0(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    case = {"crime": "fraud", "facts": {"amount_yuan": 60000}, "as_of": "2024-09-01"}
    src.write_text(json.dumps(case) + "\n", encoding="utf-8")
    report = run_batch(src, tmp_path / "out.jsonl", with_text=True)
    assert (report.ok, report.rejected) == (1, 0)
    out = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert out == engine.recommend(case).model_dump(mode="json")
    p = run("batch", str(src), str(tmp_path / "o2.jsonl"))
    assert p.returncode == 0 and "1 of 1 lines computed" in p.stdout


def test_crimes_and_packs_list_as_json():
    p = run("crimes", "--as-of", "2024-09-01", "--json")
    assert p.returncode == 0, p.stderr
    assert len(json.loads(p.stdout)) == 20
    p = run("packs", "--json")
    assert {r["pack"]: r["abstract"] for r in json.loads(p.stdout)} == {
        "cn-national": True,
        "cn-fj": False,
    }


def test_batch_in_parallel_gives_the_same_file(tmp_path: Path):
    cases = [
        {"crime": "theft", "facts": {"amount_yuan": 2000 + 500 * i}, "as_of": "2023-01-01", "id": i}
        for i in range(5000)
    ]
    cases[1234] = {"crime": "theft", "facts": {"amount_yuan": -1}, "as_of": "2023-01-01"}
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    one = run_batch(src, tmp_path / "one.jsonl", workers=1)
    two = run_batch(src, tmp_path / "two.jsonl", workers=2)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert (
        (one.ok, one.rejected, one.errors)
        == (two.ok, two.rejected, two.errors)
        == (
            4999,
            1,
            [{"line": 1235, "reason": one.errors[0]["reason"]}],
        )
    )
