import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        default=False,
        help="rewrite fixtures/*.fixed.py from the engine's output (review the diff, then commit)",
    )


@pytest.fixture(autouse=True, scope="session")
def private_user_cache(tmp_path_factory):
    """The per-user cache key lives in a directory of the test session, never the real one."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    yield
    patch.undo()


@pytest.fixture
def isolated_cli(tmp_path, monkeypatch):
    """Run commands from tmp_path, without the findings cache (it would write into the cwd)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASYNCLINT_NO_CACHE", "1")
