"""Caches that can be trusted: nothing in `.asynclint_cache` runs, hides a finding or redirects a
write, whoever put it there (a pull request, a restored CI cache, a planted link)."""

from __future__ import annotations

import os
import pickle
import stat
import sys

import pytest
from cli_helpers import finding_lines, read_sealed, run, write, write_sealed

from asynclint import storage
from asynclint.cache import CACHE_DIR
from asynclint.storage import machine_key, seal, seal_payload

HELPER = "def read_settings(path):\n    with open(path) as handle:\n        return handle.read()\n"
APP = """import asyncio

from helpers import read_settings


async def main():
    await asyncio.sleep(0)
    return read_settings("app.toml")
"""
EXPECTED = [("app.py", 8, "ASL110")]
OUTLINES = "outlines-v5.json"
FINDINGS = "findings-v2.json"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    write(root / "helpers.py", HELPER)
    write(root / "app.py", APP)
    monkeypatch.chdir(root)
    monkeypatch.delenv("ASYNCLINT_NO_CACHE", raising=False)
    return root


def check(*args):
    """The (path, line, code) of each finding of a cached run, and the run's result."""
    result = run("check", "--jobs", "1", "--select", "ASL110", *args, "app.py", "helpers.py")
    return [(path, line, code) for path, line, _, code, _ in finding_lines(result.stdout)], result


class CreatesFile:
    """A pickle that creates a file when it is loaded."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def test_a_pickle_planted_in_the_cache_never_runs(project, tmp_path):
    proof = tmp_path / "proof"
    pickle.loads(pickle.dumps(CreatesFile(proof)))
    assert proof.exists()  # the payload works when unpickled
    assert check()[0] == EXPECTED
    cache = project / CACHE_DIR
    marker = tmp_path / "pwned"
    payload = pickle.dumps(CreatesFile(marker))
    names = [
        "outlines-v4.pickle",
        OUTLINES,
        "findings-v1.json",
        FINDINGS,
        "libraries-v4/python-3.11.7.pickle",
        *(
            str(path.relative_to(cache))
            for path in cache.glob("libraries-v5/*.json")  # every library file of the first run
        ),
    ]
    assert len(names) > 5
    for name in names:
        write(cache / name, "")
        (cache / name).write_bytes(payload)
    assert check()[0] == EXPECTED
    assert check()[0] == EXPECTED
    assert not marker.exists()


def forged_outlines(project):
    """The outline cache as asynclint wrote it, but claiming read_settings() calls nothing."""
    stored = read_sealed(project / CACHE_DIR / OUTLINES, "outlines")
    (helper,) = [row for row in stored if row[2] == "helpers"]
    functions = helper[3][3]
    assert [f[0] for f in functions] == ["read_settings"] and functions[0][5]
    functions[0][5] = []  # no calls
    return stored


@pytest.mark.parametrize("forgery", ["plain", "other key", "altered after sealing"])
def test_a_forged_outline_does_not_hide_a_blocking_helper(project, forgery):
    assert check()[0] == EXPECTED
    cache = project / CACHE_DIR
    forged = forged_outlines(project)
    if forgery == "plain":
        data = seal(os.urandom(32), "outlines", forged).partition(b"\n")[2]  # the JSON alone
    elif forgery == "other key":  # made on another machine: a CI cache restored, a committed file
        data = seal(os.urandom(32), "outlines", forged)
    else:
        genuine = (cache / OUTLINES).read_bytes()
        header = genuine.partition(b"\n")[0]
        data = header + b"\n" + seal(machine_key(), "outlines", forged).partition(b"\n")[2]
    (cache / OUTLINES).write_bytes(data)
    (cache / FINDINGS).unlink()  # findings must come from the (forged) outlines
    assert check()[0] == EXPECTED
    # The same forgery sealed with this user's key is believed: the key is what protects.
    write_sealed(cache / OUTLINES, "outlines", forged)
    (cache / FINDINGS).unlink()
    assert check()[0] == []


@pytest.mark.parametrize("forgery", ["plain", "other key"])
def test_a_forged_findings_cache_does_not_hide_findings(project, forgery):
    assert check()[0] == EXPECTED
    path = project / CACHE_DIR / FINDINGS
    stored = read_sealed(path, "findings")
    for entry in stored["files"].values():
        entry[1] = []  # "no findings"
    sealed = seal(os.urandom(32), "findings", stored)
    path.write_bytes(sealed.partition(b"\n")[2] if forgery == "plain" else sealed)
    assert check()[0] == EXPECTED
    write_sealed(path, "findings", stored)
    assert check()[0] == []  # believed only when sealed with this user's key


MALFORMED = {
    "wrong types": b'{"a": [1, 2, 3]}',
    "wrong widths": b'[["x", "y"]]',
    "deep nesting": b"[" * 200_000 + b"]" * 200_000,
    "huge number": b'[["d", "helpers.py", "helpers", ["helpers", "helpers.py", {}, [["f", 0, '
    + str(10**40).encode()
    + b', 0, [], []]], [], [], ""]]]',
    "lone surrogate": b'[["d", "helpers.py", "helpers", ["\\ud800", "helpers.py", {}, [], [], '
    b'[], ""]]]',
    "long text": b'[["' + b"x" * 100_000 + b'", "p", "m", null]]',
    "not JSON": b"\xff\xfe{{{",
}


@pytest.mark.parametrize("damage", sorted(MALFORMED))
def test_malformed_cache_files_are_ignored_and_rebuilt(project, damage):
    assert check()[0] == EXPECTED
    cache = project / CACHE_DIR
    payload = MALFORMED[damage]
    key = machine_key()
    for kind, name in [("outlines", OUTLINES), ("findings", FINDINGS)] + [
        ("library", str(path.relative_to(cache))) for path in cache.glob("libraries-v5/*.json")
    ]:
        (cache / name).write_bytes(seal_payload(key, kind, payload))
    findings, result = check()
    assert findings == EXPECTED and result.exit_code == 1  # a traceback would fail the test
    assert read_sealed(cache / OUTLINES, "outlines") is not None  # rebuilt
    assert check()[0] == EXPECTED


def test_no_write_goes_through_a_link_planted_in_the_cache(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    victim = write(elsewhere / "victim.txt", "precious\n")
    (elsewhere / "dir").mkdir()
    cache = project / CACHE_DIR
    cache.mkdir()
    for name in (OUTLINES, FINDINGS, ".gitignore"):
        (cache / name).symlink_to(victim)
    (cache / "libraries-v5").symlink_to(elsewhere / "dir", target_is_directory=True)
    for _ in range(2):
        assert check()[0] == EXPECTED
    assert victim.read_text() == "precious\n"
    assert list((elsewhere / "dir").iterdir()) == []
    assert sorted(p.name for p in elsewhere.iterdir()) == ["dir", "victim.txt"]
    # The planted links in the cache were replaced by files (rename does not follow a link).
    assert (cache / OUTLINES).is_file() and not (cache / OUTLINES).is_symlink()


def test_a_cache_directory_that_is_a_link_is_not_used(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    findings, result = check()
    assert findings == EXPECTED
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "symbolic link" in warnings[0]
    assert list(elsewhere.iterdir()) == []
    assert run("check", "--show-settings", "app.py").stdout.count("cache: off") == 1


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a directory away needs root"
)
def test_a_cache_directory_of_another_user_is_not_used(project):
    cache = project / CACHE_DIR
    cache.mkdir()
    os.chown(cache, 12345, 12345)
    findings, result = check()
    assert findings == EXPECTED
    assert "belongs to another user" in result.stderr
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_key_others_can_read_disables_the_cache(project, tmp_path, monkeypatch):
    home = tmp_path / "home-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    key = write(home / "asynclint" / storage.KEY_NAME, os.urandom(32).hex())
    key.chmod(0o644)
    findings, result = check()
    assert findings == EXPECTED
    assert "caching disabled" in result.stderr and "chmod 600" in result.stderr
    assert not (project / CACHE_DIR).exists()


def test_the_key_is_made_once_private_and_outside_the_project(project, tmp_path, monkeypatch):
    home = tmp_path / "fresh-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    check()
    key = home / "asynclint" / storage.KEY_NAME
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_text()
    check()
    assert key.read_text() == first and len(bytes.fromhex(first)) == 32
    assert not any(path.name == storage.KEY_NAME for path in project.rglob("*"))


def test_clean_removes_the_cache_and_only_the_link_when_it_is_one(project, tmp_path):
    check()
    assert (project / CACHE_DIR).is_dir()
    result = run("clean")
    assert result.exit_code == 0 and "Removed" in result.stdout
    assert not (project / CACHE_DIR).exists()
    assert "No cache" in run("clean").stdout
    elsewhere = write(tmp_path / "elsewhere" / "keep.txt", "keep\n")
    (project / CACHE_DIR).symlink_to(elsewhere.parent, target_is_directory=True)
    run("clean")
    assert not os.path.lexists(project / CACHE_DIR) and elsewhere.read_text() == "keep\n"


@pytest.mark.parametrize("metadata", [False, True])
def test_a_library_changed_in_place_is_outlined_again(project, tmp_path, monkeypatch, metadata):
    environment = tmp_path / "env"
    site = environment / "lib" / f"python3.{sys.version_info[1]}" / "site-packages"
    library = write(site / "fakelib" / "__init__.py", "def work():\n    return 1\n")
    if metadata:  # an editable install: the version stays, the code changes
        write(site / "fakelib-1.0.dist-info" / "METADATA", "Name: fakelib\nVersion: 1.0\n")
        write(site / "fakelib-1.0.dist-info" / "top_level.txt", "fakelib\n")
    monkeypatch.setenv("VIRTUAL_ENV", str(environment))
    write(project / "job.py", "import fakelib\n\n\nasync def main():\n    fakelib.work()\n")

    def lint():
        result = run("check", "--jobs", "1", "--select", "ASL200", "job.py")
        return [(line, code) for _, line, _, code, _ in finding_lines(result.stdout)]

    assert lint() == []
    assert lint() == []  # from the caches
    library.write_text("async def work():\n    return 1\n")
    assert lint() == [(5, "ASL200")]


def test_python_m_does_not_import_modules_from_the_linted_directory(tmp_path):
    import subprocess

    marker = tmp_path / "imported"
    write(tmp_path / "click" / "__init__.py", f"open({str(marker)!r}, 'w').close()\n")
    write(tmp_path / "app.py", "import time\n\n\nasync def f():\n    time.sleep(1)\n")
    result = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "--no-cache", "app.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "ASL100" in result.stdout
    assert not marker.exists()


def test_without_directory_descriptors_the_cache_still_works_and_refuses_links(
    project, tmp_path, monkeypatch
):
    monkeypatch.setattr(storage, "_FD_PATHS", False)  # as on Windows
    assert check()[0] == EXPECTED
    cache = project / CACHE_DIR
    assert (cache / ".gitignore").is_file() and any(cache.glob("libraries-v5/*.json"))
    assert read_sealed(cache / FINDINGS, "findings") is not None and check()[0] == EXPECTED
    run("clean")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache.symlink_to(elsewhere, target_is_directory=True)
    assert check()[0] == EXPECTED and list(elsewhere.iterdir()) == []
