"""The CI output formats (SARIF, GitHub workflow commands, GitLab Code Quality), run through the
real CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from asynclint import __version__
from asynclint.cli import main
from asynclint.findings import ENGINE_DIAGNOSTICS, Finding
from asynclint.registry import load_rules
from asynclint.report import escape_workflow_data, escape_workflow_property, github

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"

SOURCE = "import asyncio, time\nasync def f():\n    time.sleep(1)\n    asyncio.create_task(f())\n"
CLEAN = "import asyncio\nasync def f():\n    await asyncio.sleep(1)\n"


def run(fmt: str, *paths: str, expect: int = 1) -> str:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", fmt, *paths])
    assert result.exit_code == expect, (result.exit_code, result.output, result.exception)
    return result.stdout


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A directory with one file with two findings, as the current directory (paths stay
    relative)."""
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "ok.py").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# SARIF
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert "sarif" in (schema.get("$id") or schema.get("id") or "").lower()
    cls = jsonschema.validators.validator_for(schema)  # the draft the schema declares in "$schema"
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_sarif_is_valid_and_complete(project, sarif_validator):
    log = json.loads(run("sarif", "app.py"))
    sarif_validator.validate(log)
    assert log["version"] == "2.1.0"
    (the_run,) = log["runs"]
    driver = the_run["tool"]["driver"]
    assert driver["name"] == "asynclint"
    assert driver["version"] == __version__
    assert driver["informationUri"] == "https://pypi.org/project/asynclint/"

    descriptors = {d["id"]: d for d in driver["rules"]}
    assert len(descriptors) == len(driver["rules"]), "duplicate rule ids"
    for rule in load_rules():
        d = descriptors[rule.code]
        assert d["name"] == rule.name
        assert d["shortDescription"]["text"] == rule.message
        assert d["fullDescription"]["text"] and "\n" not in d["fullDescription"]["text"]
        assert d["defaultConfiguration"]["level"] == rule.severity == "warning"
        assert d["helpUri"].endswith(f"/{rule.code}.md")
        assert d["help"]["text"].strip() and d["help"]["markdown"].strip()
        assert "```python\n" in d["help"]["markdown"]
        first_bad_line = next(line.strip() for line in rule.bad.splitlines() if line.strip())
        first_good_line = next(line.strip() for line in rule.good.splitlines() if line.strip())
        for help_text in (d["help"]["text"], d["help"]["markdown"]):
            assert first_bad_line in help_text and first_good_line in help_text
        assert d["properties"]["fixKind"] == rule.fix_kind.value
    for code, diagnostic in ENGINE_DIAGNOSTICS.items():
        assert descriptors[code]["name"] == diagnostic.name
        assert descriptors[code]["defaultConfiguration"]["level"] == diagnostic.severity
        assert diagnostic.severity == ("warning" if code == "ASL006" else "error")
        assert descriptors[code]["help"]["text"].strip()

    results = the_run["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    ] == [("ASL100", 3), ("ASL400", 4)]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "warning"
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 5,
        "endLine": 3,
        "endColumn": 18,
    }  # `time.sleep(1)`, end exclusive


def test_sarif_without_findings_is_valid_with_empty_results(project, sarif_validator):
    log = json.loads(run("sarif", "ok.py", expect=0))
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == []
    assert {d["id"] for d in log["runs"][0]["tool"]["driver"]["rules"]} >= {
        r.code for r in load_rules()
    }


def test_sarif_engine_diagnostic_and_absolute_and_odd_paths(project, sarif_validator):
    (project / "bad syntax.py").write_text("async def f(:\n", encoding="utf-8")
    absolute = str(project / "app.py")
    log = json.loads(run("sarif", "bad syntax.py", absolute, "missing.py"))
    sarif_validator.validate(log)
    results = log["runs"][0]["results"]
    by_rule = {}
    for result in results:
        by_rule.setdefault(result["ruleId"], []).append(result)
    syntax = by_rule["ASL001"][0]
    assert syntax["level"] == "error"
    assert syntax["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "bad%20syntax.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert by_rule["ASL003"][0]["level"] == "error"
    assert by_rule["ASL100"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": Path(absolute).as_uri()
    }


def test_the_schema_rejects_a_broken_log(project, sarif_validator):
    """Guard against a schema file that accepts anything."""
    log = json.loads(run("sarif", "app.py"))
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator.validate(log)
    log = json.loads(run("sarif", "app.py"))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator.validate(log)


# GitHub workflow commands
# --------------------------------------------------------------------------


def test_github_lines(project):
    assert run("github", "app.py").splitlines() == [
        "::warning file=app.py,line=3,col=5,endLine=3,endColumn=18,title=ASL100 blocking-sleep::"
        "time.sleep() blocks the event loop; use 'await asyncio.sleep(...)'",
        "::warning file=app.py,line=4,col=5,endLine=4,endColumn=29,title=ASL400 dangling-task::"
        "task returned by create_task() is dropped; keep a reference until it is done",
    ]
    assert run("github", "ok.py", expect=0) == ""


def test_sarif_level_and_github_annotation_agree(project):
    """Both come from the one severity of each code: rules warn, engine diagnostics are errors."""
    (project / "bad.py").write_text("async def f(:\n", encoding="utf-8")
    (project / "unused.py").write_text("import time  # noqa: ASL100\n", encoding="utf-8")
    paths = ["app.py", "bad.py", "unused.py", "missing.py", "--extend-select", "ASL006"]
    sarif_levels = [
        (r["ruleId"], r["level"]) for r in json.loads(run("sarif", *paths))["runs"][0]["results"]
    ]
    commands = {"error": "error", "warning": "warning", "note": "notice"}
    github_levels = [
        (line.split("title=")[1].split(" ")[0], line[2:].split(" ")[0])
        for line in run("github", *paths).splitlines()
    ]
    assert [(code, commands[level]) for code, level in sarif_levels] == github_levels
    assert sorted(set(sarif_levels)) == [
        ("ASL001", "error"),
        ("ASL003", "error"),
        ("ASL006", "warning"),
        ("ASL100", "warning"),
        ("ASL400", "warning"),
    ]


def test_github_escaping():
    assert escape_workflow_data("100% done,: ok\r\nnext") == "100%25 done,: ok%0D%0Anext"
    assert escape_workflow_property("a,b:c%d\ne\rf") == "a%2Cb%3Ac%25d%0Ae%0Df"
    assert escape_workflow_data("%0A") == "%250A"  # already-escaped-looking text is escaped again


def test_github_escapes_paths_and_messages():
    finding = Finding("dir,x/a:b%.py", 2, 1, 2, 4, "ASL100", "blocking-sleep", "50% of\nit: a, b")
    from io import StringIO

    out = StringIO()
    github([finding], out)
    assert out.getvalue() == (
        "::warning file=dir%2Cx/a%3Ab%25.py,line=2,col=1,endLine=2,endColumn=4,title=ASL100 "
        "blocking-sleep"
        "::50%25 of%0Ait: a, b\n"
    )


# GitLab Code Quality
# -------------------------------------------------------------------------------


def test_gitlab_report(project):
    first = json.loads(run("gitlab", "app.py", "missing.py"))
    second = json.loads(run("gitlab", "app.py", "missing.py"))
    assert first == second
    assert isinstance(first, list) and len(first) == 3
    for issue in first:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys()
        assert issue["description"].startswith(issue["check_name"] + " ")
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert len({issue["fingerprint"] for issue in first}) == len(first)
    by_code = {issue["check_name"]: issue for issue in first}
    assert by_code["ASL100"]["severity"] == "major"
    assert by_code["ASL100"]["location"] == {"path": "app.py", "lines": {"begin": 3, "end": 3}}
    assert by_code["ASL003"]["severity"] == "critical"
    expected = hashlib.sha256(
        f"app.py:ASL100:{by_code['ASL100']['description'][7:]}:0".encode()
    ).hexdigest()
    assert by_code["ASL100"]["fingerprint"] == expected
    assert json.loads(run("gitlab", "ok.py", expect=0)) == []


def test_gitlab_fingerprints_survive_moved_code_and_tell_duplicates_apart(project):
    before = {i["check_name"]: i["fingerprint"] for i in json.loads(run("gitlab", "app.py"))}
    (project / "app.py").write_text("# a comment\n\n" + SOURCE, encoding="utf-8")
    moved = json.loads(run("gitlab", "app.py"))
    assert {i["check_name"]: i["fingerprint"] for i in moved} == before
    assert moved[0]["location"]["lines"]["begin"] == 5

    (project / "app.py").write_text(SOURCE + "    time.sleep(2)\n", encoding="utf-8")
    twice = [i for i in json.loads(run("gitlab", "app.py")) if i["check_name"] == "ASL100"]
    assert len(twice) == 2 and twice[0]["fingerprint"] == before["ASL100"]
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]
