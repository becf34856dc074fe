"""ASL4xx/ASL7xx behaviour that fixtures cannot show: fix availability, per-framework defaults,
and editor edits that carry one complete fix each."""

from __future__ import annotations

import libcst as cst

from asynclint import testing


def lint(text: str, *codes: str, explicit=(), fix=False, edits=False):
    """Not selected explicitly unless said: the rules run as they do by default."""
    return testing.lint(text, *codes, explicit=explicit, fix=fix, edits=edits, dedent=False)


DANGLING = (
    "import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    "
    "asyncio.create_task(work())\n"
)


def test_dangling_task_fix_is_withheld_when_the_set_name_is_taken():
    text = DANGLING.replace("import asyncio\n", "import asyncio\n_background_tasks = []\n")
    result = lint(text, "ASL400")
    assert [(f.code, f.fix) for f in result.findings] == [("ASL400", None)]


def test_dangling_task_fix_reuses_an_existing_set():
    text = DANGLING.replace("import asyncio\n", "import asyncio\n_background_tasks = set()\n")
    result = lint(text, "ASL400", fix=True)
    assert result.fixed_text.count("_background_tasks = set()") == 1
    assert (
        "    _background_tasks.add(task)\n    task.add_done_callback(_background_tasks.discard)\n"
        in result.fixed_text
    )


def test_each_dangling_task_edit_is_a_complete_change():
    text = DANGLING + "\nasync def other():\n    asyncio.ensure_future(work())\n"
    result = lint(text, "ASL400", edits=True)
    assert len(result.findings) == 2
    for finding in result.findings:
        inserted = "".join(edit["content"] for edit in finding.edits)
        assert inserted.count("_background_tasks = set()") == 1
        assert inserted.count("_background_tasks.add(task)") == 1


def test_fixing_every_dangling_task_defines_the_set_once():
    text = (
        DANGLING + "\nasync def other():\n    asyncio.ensure_future(work())\n    "
        "asyncio.ensure_future(work())\n"
    )
    result = lint(text, "ASL400", fix=True)
    assert result.fixed_text.count("_background_tasks = set()") == 1
    assert result.fixed_text.count("_background_tasks.add(task)") == 3
    cst.parse_module(result.fixed_text)
    assert lint(result.fixed_text, "ASL400").findings == []


CLEANUP = (
    "{imp}\n\nasync def main(stream):\n    try:\n        await stream.receive()\n    "
    "finally:\n        await stream.send(b'bye')\n"
)


def test_unshielded_cleanup_is_on_by_default_only_for_trio_and_anyio():
    for framework, expected in (("trio", 1), ("anyio", 1), ("asyncio", 0)):
        result = lint(CLEANUP.format(imp=f"import {framework}"), "ASL703")
        assert len(result.findings) == expected, framework
    selected = lint(CLEANUP.format(imp="import asyncio"), "ASL703", explicit={"ASL703"})
    assert [f.code for f in selected.findings] == ["ASL703"]
