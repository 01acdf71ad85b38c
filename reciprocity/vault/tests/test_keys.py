"""Keys that cannot be lost silently: the canary refuses wrong keys before anything is written, in-process and
for every command and server started by the `reciprocity` command; a sealed copy of the keys opens only with
its passphrase."""

import base64
import io
import secrets
import stat

import pytest
from django.core.management import CommandError, call_command

from reciprocity.cli import main
from reciprocity.practice.models import User
from reciprocity.therapy.models import Reflection
from reciprocity.vault import keyring
from reciprocity.vault.canary import DOCS, KeysMismatch, require_keys, verify
from reciprocity.vault.models import KeyCanary


def _other_key(key_id: str = "0ther000") -> str:
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


def _use_keys(monkeypatch, value: str) -> None:
    monkeypatch.setenv("ENCRYPTION_KEYS", value)
    keyring.forget()


@pytest.mark.django_db
def test_the_canary_is_sealed_at_first_start_and_refuses_other_keys(own_keys, monkeypatch, capsys):
    assert verify(create=False) == "unsealed" and not KeyCanary.objects.exists()
    require_keys()
    assert "keys export" in capsys.readouterr().err and KeyCanary.objects.count() == 1
    assert verify() == "ok"
    require_keys()
    assert capsys.readouterr().err == ""  # said once, at first start
    ours = own_keys.read_text().strip()
    primary = ours.split(":")[0]

    _use_keys(monkeypatch, _other_key())  # a new key in place of the lost one
    with pytest.raises(KeysMismatch, match=f"sealed with key {primary}, which is not among the keys") as refused:
        verify()
    assert DOCS in str(refused.value) and "ENCRYPTION_KEYS (key 0ther000)" in str(refused.value)
    _use_keys(monkeypatch, _other_key(primary))  # the same id, other bytes
    with pytest.raises(KeysMismatch, match=f"The key {primary} in ENCRYPTION_KEYS is not the key"):
        verify()
    _use_keys(monkeypatch, f"{_other_key()},{ours}")  # a new primary with the old key kept: as after a rotation
    assert verify() == "ok"


@pytest.mark.django_db
def test_a_database_without_a_canary_is_checked_by_its_stored_text(own_keys, monkeypatch, ana_reflection):
    ours = own_keys.read_text().strip()
    _use_keys(monkeypatch, _other_key())
    with pytest.raises(KeysMismatch, match=f"sealed with key {ours.split(':')[0]}"):
        verify()
    assert not KeyCanary.objects.exists()  # nothing was sealed under the wrong key
    _use_keys(monkeypatch, ours)
    assert verify() == "created" and Reflection.objects.get().gave_me == "Patience with my sister."


def test_a_sealed_copy_of_the_keys_opens_only_with_its_passphrase(own_keys, tmp_path, capsys):
    keyring.keyring()  # the key file is made
    (own_keys.parent / "retired.keys").write_text(_other_key("retired1") + "\n")
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("correct horse battery staple\n")
    sealed = tmp_path / "safe" / "keys.txt"
    sealed.parent.mkdir()
    call_command("keys", "export", "-o", str(sealed), "--passphrase-file", str(passphrase))
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    text = sealed.read_text()
    assert own_keys.read_text().split(":")[1].strip() not in text and "BEGIN RECIPROCITY KEYS" in text
    with pytest.raises(CommandError, match="exists already"):
        call_command("keys", "export", "-o", str(sealed), "--passphrase-file", str(passphrase))

    wrong = tmp_path / "wrong"
    wrong.write_text("correct horse battery stapler")
    (tmp_path / "back").mkdir()
    with pytest.raises(CommandError, match="passphrase does not open") as refused:
        call_command("keys", "open", str(sealed), "-o", str(tmp_path / "back" / "k"), "--passphrase-file", str(wrong))
    assert refused.value.returncode == 2 and list((tmp_path / "back").iterdir()) == []
    call_command("keys", "open", str(sealed), "-o", str(tmp_path / "back" / "k"), "--passphrase-file", str(passphrase))
    assert (tmp_path / "back" / "k").read_text() == own_keys.read_text()
    assert (tmp_path / "back" / "retired.keys").read_text().startswith("retired1:")
    with pytest.raises(CommandError, match="give --force"):
        call_command("keys", "open", str(sealed), "-o", str(tmp_path / "back" / "k"), "--passphrase-file", passphrase)

    short = tmp_path / "short"
    short.write_text("too short")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("keys", "export", "-o", str(tmp_path / "new"), "--passphrase-file", str(short))
    damaged = tmp_path / "damaged"
    damaged.write_text(text.replace(text.splitlines()[3][:8], "AAAAAAAA"))
    with pytest.raises(CommandError, match="passphrase does not open this file \\(or the file was altered\\)"):
        call_command("keys", "open", str(damaged), "-o", str(tmp_path / "x"), "--passphrase-file", str(passphrase))


@pytest.mark.django_db(transaction=True)  # a command closes its connections when it ends, as in production
def test_every_writing_command_and_the_server_stop_before_writing_under_a_lost_key(own_keys, monkeypatch, capsys):
    """Through `reciprocity` itself (cli.main), as a shell, systemd or the container's entrypoint run it."""
    password = io.StringIO("a long enough password\n")
    monkeypatch.setattr("sys.stdin", password)
    assert main(["createuser", "ana", "--password-stdin"]) == 0
    assert "keys export" in capsys.readouterr().err  # the first start says to keep the keys
    ours = own_keys.read_text().strip()

    _use_keys(monkeypatch, _other_key())  # as when the key file was not mounted and a new one was made
    for command in (["createuser", "ben", "--password-stdin"], ["demo"], ["serve", "--port", "1"], ["worker"],
                    ["figures", "--rebuild"], ["migrate"], ["rotate-key"]):  # fmt: skip
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert "stopped before writing anything" in err and DOCS in err and "Traceback" not in err
    with pytest.raises(SystemExit) as checked:
        main(["keys", "check"])
    assert checked.value.code == 2 and "is not among the keys" in capsys.readouterr().err
    assert not User.objects.filter(username="ben").exists() and KeyCanary.objects.count() == 1

    _use_keys(monkeypatch, ours)  # the right key back: all is well again
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["createuser", "ben", "--password-stdin"]) == 0 and capsys.readouterr().err == ""
