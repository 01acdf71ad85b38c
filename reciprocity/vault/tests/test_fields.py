import io

import pytest
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection

from reciprocity.therapy.models import Reflection
from reciprocity.vault import keyring
from reciprocity.vault.cipher import key_id_of
from reciprocity.vault.fields import EncryptedTextField, encrypted_fields
from reciprocity.vault.rotation import stale_count
from tests.builders import make_reflection, make_session


def stored(reflection: Reflection) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT gave_me, carry_home FROM therapy_reflection WHERE id = %s", [reflection.pk])
        return cursor.fetchone()


def test_every_free_text_column_is_encrypted():
    found = {f"{model._meta.label}.{f.name}" for model, fields in encrypted_fields() for f in fields}
    assert found >= {
        "therapy.Reflection.gave_me", "therapy.Reflection.carry_home", "measures.Administration.note",
        "repertoire.Item.title", "repertoire.Item.description", "repertoire.Trial.situation", "repertoire.Trial.note",
        "development.Activity.title", "development.Activity.note", "development.Goal.title", "development.Goal.note",
        "development.Support.note", "sharing.Share.text", "sharing.Comment.text", "sharing.Meeting.notes",
        "peers.Post.text", "peers.Reply.text",
    }  # fmt: skip


def test_text_is_stored_as_ciphertext_and_read_back_plain(own_keys, ana_session):
    reflection = make_reflection(ana_session, gave_me="Patience with my sister.", carry_home="")
    gave, carry = stored(reflection)
    assert gave.startswith("enc1:") and "sister" not in gave and carry == ""
    assert Reflection.objects.get(pk=reflection.pk).gave_me == "Patience with my sister."
    assert list(Reflection.objects.values_list("gave_me", flat=True)) == ["Patience with my sister."]
    assert Reflection.objects.filter(carry_home="").count() == 1  # emptiness can still be asked


def test_asking_the_database_about_encrypted_words_fails_loudly(ana_reflection):
    with pytest.raises(FieldError, match="encrypted"):
        list(Reflection.objects.filter(gave_me__icontains="sister"))
    with pytest.raises(FieldError, match="encrypted"):
        list(Reflection.objects.filter(gave_me__startswith="Patience"))


def rows_under(key_id: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT gave_me FROM therapy_reflection")
        return sum(1 for (value,) in cursor.fetchall() if key_id_of(value) == key_id)


def test_rotate_key_re_encrypts_everything_and_retires_the_old_key(own_keys, ana_client):
    texts = [f"Reflection number {n}" for n in range(7)]
    reflections = [make_reflection(make_session(ana_client), gave_me=t) for t in texts]
    old = keyring.keyring().primary
    with connection.cursor() as cursor:  # one row written before encryption was switched on
        cursor.execute("UPDATE therapy_reflection SET carry_home = 'plain old text' WHERE id = %s", [reflections[0].pk])
    call_command("rotate-key", "--grace", "0", stdout=(out := io.StringIO()))
    new = keyring.keyring().primary
    assert new != old and rows_under(new) == 7 and rows_under(old) == 0 and stale_count() == 0
    assert stored(reflections[0])[1].startswith(f"enc1:{new}:")
    assert [Reflection.objects.get(pk=r.pk).gave_me for r in reflections] == texts
    assert Reflection.objects.get(pk=reflections[0].pk).carry_home == "plain old text"
    assert list(keyring.keyring().keys) == [new]
    assert old in (own_keys.parent / "retired.keys").read_text()
    assert f"Every text is under {new}" in out.getvalue()


def test_an_interrupted_rotation_resumes_with_the_same_new_key(own_keys, ana_client):
    reflections = [make_reflection(make_session(ana_client), gave_me=f"Entry {n}") for n in range(3)]
    old = keyring.keyring().primary
    new = keyring.begin_rotation()  # as if the command had been killed right after adding its key
    make_reflection(make_session(ana_client), gave_me="written during the rotation")
    assert set(keyring.keyring().keys) == {old, new} and stale_count() == 3 * 2  # two texts each
    assert Reflection.objects.get(pk=reflections[0].pk).gave_me == "Entry 0"  # old rows still read
    call_command("rotate-key", "--grace", "0", stdout=io.StringIO())
    assert keyring.keyring().primary == new and rows_under(new) == 4 and stale_count() == 0


def test_keys_from_the_environment_are_rotated_to_the_first_and_the_old_is_named(own_keys, monkeypatch, ana_session):
    first, second = keyring.new_key(), keyring.new_key()
    monkeypatch.setenv("ENCRYPTION_KEYS", keyring.format_keys([second]))
    keyring.forget()
    reflection = make_reflection(ana_session, gave_me="under the second key")
    monkeypatch.setenv("ENCRYPTION_KEYS", keyring.format_keys([first, second]).replace("\n", ","))
    keyring.forget()
    out = io.StringIO()
    call_command("rotate-key", "--grace", "0", stdout=out)
    assert stored(reflection)[0].startswith(f"enc1:{first[0]}:")
    assert f"remove keys {second[0]} from ENCRYPTION_KEYS" in out.getvalue()


def test_rotate_key_refuses_a_negative_grace(own_keys):
    with pytest.raises(CommandError, match="zero or more"):
        call_command("rotate-key", "--grace", "-1")


def test_an_encrypted_title_still_gets_a_one_line_input():
    from reciprocity.repertoire.models import Item

    field = Item._meta.get_field("title")
    assert isinstance(field, EncryptedTextField)
    assert field.formfield().widget.input_type == "text" and field.formfield().max_length == 160


def test_bulk_update_encrypts_each_value(ana_client):
    reflections = [make_reflection(make_session(ana_client), gave_me="") for _ in range(3)]
    reflections[1].gave_me = "only the second"
    Reflection.objects.bulk_update(reflections, ["gave_me"])
    assert [r.gave_me for r in Reflection.objects.order_by("pk")] == ["", "only the second", ""]
    assert stored(reflections[1])[0].startswith("enc1:")


def test_search_vectors_are_encrypted_and_rotated_too(own_keys, ana_client):
    import numpy as np

    from reciprocity.recall.embedding import DIMENSIONS
    from reciprocity.recall.models import Document

    vector = np.arange(2 * DIMENSIONS, dtype="<f4") / 1000
    document = Document.objects.create(
        owner=ana_client.therapist, kind="reflection", object_id=1, owner_token="t", terms="", vector=vector.tobytes(),
        model="m", digest="d", updated_at=ana_client.started_on.isoformat() + "T00:00Z",
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector FROM recall_document WHERE id = %s", [document.pk])
        raw = bytes(cursor.fetchone()[0])
    assert raw.startswith(f"enc1:{keyring.keyring().primary}:".encode()) and vector.tobytes() not in raw
    assert np.array_equal(Document.objects.get(pk=document.pk).as_array().ravel(), vector)
    call_command("rotate-key", "--grace", "0", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector FROM recall_document WHERE id = %s", [document.pk])
        assert bytes(cursor.fetchone()[0]).startswith(f"enc1:{keyring.keyring().primary}:".encode())
    assert np.array_equal(Document.objects.get(pk=document.pk).as_array().ravel(), vector)
