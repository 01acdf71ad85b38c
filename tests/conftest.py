"""What the tests under tests/ share: the static files that the servers they start serve."""

from pathlib import Path

import pytest

from tests.servers import collected_once, shared_by_run, start_in_background


def _static_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return collected_once(shared_by_run(tmp_path_factory, "static"))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect the static files while the first tests run, instead of when the first server starts."""
    if any("static_files" in item.fixturenames for item in session.items):
        start_in_background(lambda: _static_files(session.config._tmp_path_factory))


@pytest.fixture(scope="session")
def static_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The collected and compressed static files, made once for the whole run (`tests.servers.collected_once`)."""
    return _static_files(tmp_path_factory)
