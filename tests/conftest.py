import pytest


@pytest.fixture
def isolated_cli(tmp_path, monkeypatch):
    """Run commands from tmp_path, without the findings cache (it would write into the cwd)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASYNCLINT_NO_CACHE", "1")
