import pytest

from reciprocity.vault import keyring


@pytest.fixture
def own_keys(settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A key file of this test's own, so rotating it touches no other test's keys."""
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("ENCRYPTION_KEYS_FILE", raising=False)
    settings.DATA_DIR = tmp_path
    keyring.forget()
    yield tmp_path / "encryption.keys"
    keyring.forget()
