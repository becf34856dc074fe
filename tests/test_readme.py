"""The README is part of the product: its rule table and its rule example must stay true."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst

from asynclint.engine import FileSettings, Linter
from asynclint.findings import ENGINE_DIAGNOSTICS
from asynclint.registry import load_rules
from asynclint.source import decode

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def table_rows():
    return {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| (ASL\d{3}) \| ([a-z0-9-]+) \|", README, re.M)
    }


def test_rule_table_lists_every_rule_and_diagnostic():
    expected = {rule.code: rule.name for rule in load_rules()}
    expected.update({code: d.name for code, d in ENGINE_DIAGNOSTICS.items()})
    assert table_rows() == expected


def test_rule_table_states_defaults_and_fixes():
    for rule in load_rules():
        row = next(line for line in README.splitlines() if line.startswith(f"| {rule.code} |"))
        assert row.rstrip().endswith("| on |" if rule.default else "| off |")
        assert row.split("|")[4].strip().startswith(rule.fix_kind.value)


def test_the_rule_written_in_the_readme_works():
    block = re.search(r"```python\n((?:(?!```).)*?class BlockingInput.*?)```", README, re.S).group(
        1
    )
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    rule = namespace["BlockingInput"]
    rule.check_metadata()
    source = decode(
        b"import asyncio\n\nasync def ask():\n    name = input('name? ')\n    return name\n",
        "ask.py",
    )
    result = Linter().lint_source(source, FileSettings((rule,)), fix=True, unsafe_fixes=True)
    assert [
        (f.line, f.code) for f in Linter().lint_source(source, FileSettings((rule,))).findings
    ] == [(4, "ASL950")]
    assert "name = await asyncio.to_thread(input, 'name? ')" in result.fixed_text
    cst.parse_module(result.fixed_text)


def block_after(marker: str) -> str:
    """The fenced block that follows ``<!-- marker: ... -->`` in the README."""
    match = re.search(rf"<!-- {marker}:[^>]*-->\n```[a-z]*\n(.*?)```", README, re.S)
    assert match, f"no block marked {marker!r} in the README"
    return match.group(1)


def test_the_peers_codes_table_is_the_published_mapping():
    from asynclint.config import peer_table

    section = README.split("### The peers' codes", 1)[1].split("\n## ", 1)[0]
    documented = {}
    for peers, ours in re.findall(r"^\| ((?:[A-Z]+\d+(?:, )?)+) \| (.+?) \|$", section, re.M):
        codes = tuple(re.findall(r"ASL\d{3}", ours))
        for peer in peers.split(", "):
            documented[peer] = codes
    assert documented == dict(peer_table())


def test_every_check_option_and_config_key_is_documented():
    from asynclint.cli import check
    from asynclint.config import KNOWN_KEYS

    for parameter in check.params:
        for option in getattr(parameter, "opts", ()):
            if option.startswith("--"):
                assert f"`{option}" in README, option
    for key in KNOWN_KEYS:
        assert re.search(rf"^{re.escape(key)} = |\[tool\.asynclint\.{key}\]", README, re.M), key


def test_the_github_actions_job_installs_the_project_first_and_uploads_sarif():
    import yaml

    workflow = yaml.safe_load(block_after("github-actions"))
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    runs = [step.get("run", "") for step in steps]
    project = next(i for i, run in enumerate(runs) if run.startswith("pip install -e ."))
    tool = next(i for i, run in enumerate(runs) if run.startswith("pip install asynclint"))
    first_lint = next(i for i, run in enumerate(runs) if run.startswith("asynclint check"))
    assert project < tool < first_lint
    sarif = next(run for run in runs if "--format sarif" in run)
    upload = next(
        step
        for step in steps
        if step.get("uses", "").startswith("github/codeql-action/upload-sarif")
    )
    assert sarif.endswith(f"> {upload['with']['sarif_file']}") and "--exit-zero" in sarif
    assert runs.index(sarif) < steps.index(upload)
    assert "security-events" in job["permissions"]


def test_the_vs_code_recipe_is_a_loadable_extension(tmp_path):
    import json
    import shutil
    import subprocess

    package = json.loads(block_after("vscode-package"))
    assert package["main"] == "extension.js" and package["publisher"]
    assert "onLanguage:python" in package["activationEvents"]
    assert "vscode-languageclient" in package["dependencies"]
    script = block_after("vscode-extension")
    assert '{ command: "asynclint", args: ["server"] }' in script
    node = shutil.which("node")
    if node is None:
        return
    (tmp_path / "extension.js").write_text(script)
    checked = subprocess.run(
        [node, "--check", str(tmp_path / "extension.js")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
