import io
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from reciprocity.vault import keyring
from reciprocity.vault.cipher import (
    CHUNK,
    DecryptionError,
    decrypt_stream,
    decrypt_text,
    encrypt_stream,
    encrypt_text,
    key_id_of,
)


def test_the_key_file_is_generated_private_and_text_round_trips(own_keys):
    sealed = encrypt_text("what the session gave me", aad="therapy.reflection.gave_me")
    assert stat.S_IMODE(own_keys.stat().st_mode) == 0o600
    assert "session" not in sealed and key_id_of(sealed) == keyring.keyring().primary
    assert decrypt_text(sealed, aad="therapy.reflection.gave_me") == "what the session gave me"
    assert encrypt_text("same") != encrypt_text("same")  # a fresh nonce every time


def test_altered_or_moved_ciphertext_is_refused(own_keys):
    sealed = encrypt_text("private", aad="therapy.reflection.gave_me")
    with pytest.raises(DecryptionError, match="altered or belongs elsewhere"):
        decrypt_text(sealed, aad="therapy.reflection.carry_home")  # copied into another column
    flipped = sealed[:-4] + ("A" if sealed[-4] != "A" else "B") + sealed[-3:]
    with pytest.raises(DecryptionError):
        decrypt_text(flipped, aad="therapy.reflection.gave_me")


def test_text_under_a_key_we_do_not_have_names_the_key(own_keys):
    sealed = encrypt_text("private")
    own_keys.write_text(keyring.format_keys([keyring.new_key()]))
    keyring.forget()
    with pytest.raises(DecryptionError, match=f"The key '{key_id_of(sealed)}' is not in"):
        decrypt_text(sealed)


def test_keys_from_the_environment_come_first_and_bad_ones_stop_start_up(own_keys, monkeypatch):
    entries = [keyring.new_key(), keyring.new_key()]
    monkeypatch.setenv("ENCRYPTION_KEYS", keyring.format_keys(entries).replace("\n", ","))
    keyring.forget()
    assert keyring.keyring().primary == entries[0][0] and keyring.keyring().path is None
    assert not own_keys.exists()
    monkeypatch.setenv("ENCRYPTION_KEYS", "abc:c2hvcnQ=")
    keyring.forget()
    with pytest.raises(ImproperlyConfigured, match="32-byte key"):
        keyring.keyring()


def test_a_file_round_trips_in_chunks_and_any_damage_is_refused(own_keys):
    data = os.urandom(2 * CHUNK + 123)
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(data), sealed, aad=b"backup")
    blob = sealed.getvalue()
    restored = io.BytesIO()
    decrypt_stream(io.BytesIO(blob), restored, aad=b"backup")
    assert restored.getvalue() == data

    header = len(b"RCPVAULT1\n") + 16
    first = header + 4 + 12 + CHUNK + 16  # one whole sealed chunk
    damaged = {
        "cut short": blob[:first],  # whole chunks, but not the last one
        "cut mid-chunk": blob[:-10],
        "altered": blob[:100] + bytes([blob[100] ^ 1]) + blob[101:],
        "extended": blob + b"x",
        "not ours": b"PK\x03\x04" + blob[4:],
    }
    for name, candidate in damaged.items():
        with pytest.raises(DecryptionError):
            decrypt_stream(io.BytesIO(candidate), io.BytesIO(), aad=b"backup")
            pytest.fail(f"a file {name} was accepted")
    with pytest.raises(DecryptionError):
        decrypt_stream(io.BytesIO(blob), io.BytesIO(), aad=b"another purpose")


def test_an_empty_file_round_trips(own_keys):
    sealed, restored = io.BytesIO(), io.BytesIO()
    encrypt_stream(io.BytesIO(b""), sealed)
    decrypt_stream(io.BytesIO(sealed.getvalue()), restored)
    assert restored.getvalue() == b""
