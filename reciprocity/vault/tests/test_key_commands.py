"""The key commands never lose a key and never touch the operator's keys: `keys open --force` refuses to replace
a key file holding keys the sealed copy lacks and keeps what it replaces; `keys export` and `keys open` say when
the folder is missing; `rotate-key` with ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE only re-encrypts, after the
operator put a new key first (docs/deploy.md#keys); the keys come from one place, not two."""

import io
import re
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from reciprocity.vault import keyring
from reciprocity.vault.cipher import key_id_of
from tests.builders import make_reflection


@pytest.fixture
def passphrase(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "passphrase"
    path.write_text("correct horse battery staple\n")
    return path


def _export(path, passphrase) -> None:  # type: ignore[no-untyped-def]
    call_command("keys", "export", "-o", str(path), "--passphrase-file", str(passphrase), stdout=io.StringIO())


def _open_over(sealed, output, passphrase) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("keys", "open", str(sealed), "-o", str(output), "--force", "--passphrase-file", passphrase, stdout=out)
    return out.getvalue()


def _backups_beside(path):  # type: ignore[no-untyped-def]
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def test_opening_a_copy_made_before_a_rotation_over_the_live_keys_is_refused(own_keys, tmp_path, passphrase):
    old = keyring.keyring().primary
    _export(before := tmp_path / "before.txt", passphrase)
    current = keyring.new_key()
    keyring.write_key_file(own_keys, [current])  # as after `rotate-key`: the old key retired, a new one live
    live = own_keys.read_bytes()
    with pytest.raises(CommandError, match=f"holds key\\(s\\) {current[0]}, which .* does not") as refused:
        _open_over(before, own_keys, passphrase)
    assert refused.value.returncode == 2 and "Nothing was written" in str(refused.value)
    assert own_keys.read_bytes() == live and _backups_beside(own_keys) == []
    assert old not in own_keys.read_text()


def test_a_key_with_the_same_id_but_other_bytes_is_not_replaced_either(own_keys, tmp_path, passphrase):
    key_id = keyring.keyring().primary
    _export(sealed := tmp_path / "copy.txt", passphrase)
    keyring.write_key_file(own_keys, [(key_id, keyring.new_key()[1])])
    live = own_keys.read_bytes()
    with pytest.raises(CommandError, match=f"holds key\\(s\\) {key_id}, .*other bytes"):
        _open_over(sealed, own_keys, passphrase)
    assert own_keys.read_bytes() == live and _backups_beside(own_keys) == []


def test_opening_a_copy_with_every_key_keeps_the_file_it_replaces_beside_it(own_keys, tmp_path, passphrase):
    keyring.keyring()
    _export(sealed := tmp_path / "copy.txt", passphrase)
    live = own_keys.read_bytes()
    own_keys.write_bytes(live + b"# a note the operator wrote\n")
    out = _open_over(sealed, own_keys, passphrase)
    (kept,) = _backups_beside(own_keys)
    assert kept.read_bytes() == live + b"# a note the operator wrote\n" and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert own_keys.read_bytes() == live and f"kept as {kept}" in out
    _open_over(sealed, own_keys, passphrase)
    assert len(_backups_beside(own_keys)) == 2  # an earlier copy is never overwritten


def test_export_and_open_into_a_missing_folder_say_so_and_write_nothing(own_keys, tmp_path, passphrase):
    keyring.keyring()
    missing = tmp_path / "no such folder"
    with pytest.raises(CommandError, match=f"The folder {re.escape(str(missing))} does not exist") as refused:
        _export(missing / "keys.txt", passphrase)
    assert refused.value.returncode == 2
    _export(sealed := tmp_path / "keys.txt", passphrase)
    with pytest.raises(CommandError, match=f"The folder {re.escape(str(missing))} does not exist"):
        call_command("keys", "open", str(sealed), "-o", str(missing / "k"), "--passphrase-file", str(passphrase))
    assert not missing.exists()
    with pytest.raises(CommandError, match="is a folder"):
        call_command("keys", "open", str(sealed), "-o", str(tmp_path), "--force", "--passphrase-file", passphrase)


def _keys_in_a_file(monkeypatch, path, entries) -> bytes:  # type: ignore[no-untyped-def]
    path.write_text(keyring.format_keys(entries))
    path.chmod(0o400)  # the operator's secret, read-only for the app
    monkeypatch.setenv("ENCRYPTION_KEYS_FILE", str(path))
    keyring.forget()
    return path.read_bytes()


def _stored_key_ids() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT gave_me FROM therapy_reflection")
        return {key_id_of(value) for (value,) in cursor.fetchall()}


def test_rotating_keys_from_a_file_re_encrypts_and_leaves_the_file_to_the_operator(
    own_keys, tmp_path, monkeypatch, ana_session
):
    old, new = keyring.new_key(), keyring.new_key()
    secret = tmp_path / "secrets" / "encryption_keys"
    secret.parent.mkdir()
    _keys_in_a_file(monkeypatch, secret, [old])
    make_reflection(ana_session, gave_me="under the old key")
    given = _keys_in_a_file(monkeypatch, secret, [new, old])  # the new key put first, as docs/deploy.md says
    out = io.StringIO()
    call_command("rotate-key", "--grace", "0", stdout=out)
    assert _stored_key_ids() == {new[0]}
    assert secret.read_bytes() == given and stat.S_IMODE(secret.stat().st_mode) == 0o400
    assert sorted(p.name for p in secret.parent.iterdir()) == ["encryption_keys"]
    assert not (own_keys.parent / "retired.keys").exists()
    assert f"remove keys {old[0]} from {secret}" in out.getvalue() and "backup" in out.getvalue()


def test_a_single_key_from_a_file_is_not_rotated_and_the_file_is_not_written(
    own_keys, tmp_path, monkeypatch, ana_session
):
    only = keyring.new_key()
    given = _keys_in_a_file(monkeypatch, secret := tmp_path / "encryption_keys", [only])
    make_reflection(ana_session, gave_me="under the only key")
    refusal = f"{re.escape(str(secret))}, which holds one key .*Add a new key"
    with pytest.raises(CommandError, match=refusal) as refused:
        call_command("rotate-key", "--grace", "0", stdout=io.StringIO())
    assert refused.value.returncode == 2 and "--print-new-key" in str(refused.value)
    assert secret.read_bytes() == given and _stored_key_ids() == {only[0]}


def test_a_single_key_in_the_environment_is_not_rotated(own_keys, monkeypatch, ana_session):
    only = keyring.new_key()
    monkeypatch.setenv("ENCRYPTION_KEYS", keyring.format_keys([only]).strip())
    keyring.forget()
    make_reflection(ana_session, gave_me="under the only key")
    with pytest.raises(CommandError, match=r"ENCRYPTION_KEYS, which holds one key .*Add a new key first"):
        call_command("rotate-key", "--grace", "0", stdout=io.StringIO())
    assert _stored_key_ids() == {only[0]}


def test_keys_from_both_the_environment_and_a_file_are_refused(own_keys, tmp_path, monkeypatch, passphrase):
    monkeypatch.setenv("ENCRYPTION_KEYS", keyring.format_keys([keyring.new_key()]).strip())
    monkeypatch.setenv("ENCRYPTION_KEYS_FILE", str(tmp_path / "nonexistent"))
    keyring.forget()
    both = re.escape("Both ENCRYPTION_KEYS and ENCRYPTION_KEYS_FILE are set; keep one.")
    with pytest.raises(ImproperlyConfigured, match=both):
        keyring.keyring(fresh=True)
    with pytest.raises(CommandError, match=both):
        _export(tmp_path / "keys.txt", passphrase)
    assert not (tmp_path / "keys.txt").exists()
    with pytest.raises(CommandError, match=both):
        call_command("keys", "check", stdout=io.StringIO())


@pytest.mark.django_db
def test_keys_check_asks_every_stored_text_not_only_the_key_check(own_keys, ana_session):
    """A database whose key check opens but whose text is partly under a key no longer configured (restored
    from a backup taken while a rotation ran) is not reported as fine."""
    make_reflection(ana_session, gave_me="under the first key")
    call_command("keys", "check", stdout=io.StringIO())
    old = keyring.keyring(fresh=True).primary
    keyring.begin_rotation()
    new = keyring.keyring(fresh=True).primary
    keyring.write_key_file(own_keys, [(new, keyring.keyring().keys[new])])  # the old key gone, its text not moved
    keyring.forget()
    out = io.StringIO()
    with pytest.raises(CommandError, match=rf"sealed with key {old}, which is not among the keys"):
        call_command("keys", "check", stdout=out)
    assert "Keys from" in out.getvalue()


def test_a_key_id_is_ascii_letters_and_digits_of_at_most_16():
    """The id is cut out of every stored value by its length in bytes: another script's letters would not fit."""
    key = "A" * 43 + "="  # 32 bytes in base64
    assert keyring.parse_keys(f"k3y0ne:{key}", "test") == [("k3y0ne", b"\0" * 32)]
    for bad in ("ключ", "k" * 17, "k-1"):
        with pytest.raises(ImproperlyConfigured, match="not id:base64key"):
            keyring.parse_keys(f"{bad}:{key}", "test")


@pytest.mark.django_db
def test_opening_a_copy_adds_its_retired_keys_to_a_retired_file_already_there(own_keys, tmp_path, passphrase):
    keyring.keyring(fresh=True)
    call_command("rotate-key", "--grace", "0", stdout=io.StringIO())  # the first key is retired
    retired_in_copy = dict(keyring.parse_keys(keyring.retired_keys_path().read_text(), "retired.keys"))
    _export(tmp_path / "copy.txt", passphrase)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = keyring.new_key()
    keyring.write_key_file(elsewhere / "retired.keys", [other])  # a retired key of its own, kept there
    call_command("keys", "open", str(tmp_path / "copy.txt"), "-o", str(elsewhere / "encryption.keys"),
                 "--passphrase-file", str(passphrase), stdout=io.StringIO())  # fmt: skip
    kept = dict(keyring.parse_keys((elsewhere / "retired.keys").read_text(), "retired.keys"))
    assert kept == {other[0]: other[1], **retired_in_copy}
