"""ASL101-ASL109 beyond the fixtures: the catalogue's lookups (used by ASL110 too) and the calls a
project declares blocking in its configuration."""

from __future__ import annotations

from asynclint.registry import load_rules
from asynclint.rules.blocking.catalogue import CATALOGUE, blocking_entry, blocking_method
from asynclint.testing import lint

RULES = tuple(rule for rule in load_rules() if rule.code.startswith("ASL10"))


def findings_of(text: str, blocking_calls=()):
    result = lint(text, *RULES, path="app.py", catalogues={"blocking-calls": dict(blocking_calls)})
    return [(finding.line, finding.code, finding.message) for finding in result.findings]


def test_lookups_by_qualified_name_and_by_type_method():
    assert blocking_entry("subprocess.run").code == "ASL102"
    assert blocking_entry("asyncio.sleep") is None
    assert blocking_method("requests.Session", "get").code == "ASL101"
    assert blocking_method("io.TextIOWrapper", "read").code == "ASL103"
    assert blocking_method("io.TextIOWrapper", "fileno") is None


def test_wildcard_types_keep_their_exceptions():
    assert blocking_method("redis.Redis", "hgetall").code == "ASL107"
    assert blocking_method("redis.Redis", "pipeline") is None
    assert blocking_method("redis.Redis", "_private") is None
    assert blocking_method("botocore.client.BaseClient", "put_object").code == "ASL107"
    assert blocking_method("botocore.client.BaseClient", "get_paginator") is None


def test_every_entry_advises_every_framework():
    for name, entry in CATALOGUE.items():
        assert entry.code in {f"ASL10{digit}" for digit in range(1, 10)}, name
        for framework in ("asyncio", "trio", "anyio"):
            assert entry.advice(framework), (name, framework)


def test_configured_blocking_calls_are_reported_with_their_advice():
    source = (
        "import mylib\n\nasync def handler():\n    return mylib.fetch(1)\n\ndef sync():\n "
        "   mylib.fetch(2)\n"
    )
    assert findings_of(source) == []
    findings = findings_of(source, [("mylib.fetch", "use mylib.afetch")])
    assert [(line, code) for line, code, _ in findings] == [(4, "ASL101")]
    assert "use mylib.afetch" in findings[0][2]


def test_configured_methods_use_the_receiver_type():
    source = (
        "import mylib\n\nasync def handler():\n    client = mylib.Client()\n    client.query('x')\n"
        "    client.other()\n"
    )
    findings = findings_of(source, [("mylib.Client.query", "use mylib.AsyncClient")])
    assert [(line, code) for line, code, _ in findings] == []  # the class is unknown: never guessed


def test_configured_text_overrides_a_catalogued_call_under_its_own_code():
    source = "import subprocess\n\nasync def build():\n    subprocess.run(['make'])\n"
    findings = findings_of(source, [("subprocess.run", "use our runner.run_async")])
    assert [(line, code) for line, code, _ in findings] == [(4, "ASL102")]
    assert "use our runner.run_async" in findings[0][2]
