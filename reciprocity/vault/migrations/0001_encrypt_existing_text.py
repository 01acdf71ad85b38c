"""Encrypts what was written before encryption at rest (texts, search vectors): every encrypted column, in batches."""

from django.db import migrations


def encrypt_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from reciprocity.vault.fields import EncryptedField
    from reciprocity.vault.rotation import reencrypt_model

    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            reencrypt_model(model, fields)


class Migration(migrations.Migration):
    atomic = False  # each batch commits on its own, as in `reciprocity rotate-key`

    dependencies = [
        ("development", "0002_alter_activity_note_alter_activity_title_and_more"),
        ("measures", "0003_alter_administration_note"),
        ("peers", "0002_alter_post_text_alter_reply_text"),
        ("repertoire", "0002_alter_item_options_alter_item_description_and_more"),
        ("sharing", "0002_alter_comment_text_alter_meeting_notes_and_more"),
        ("therapy", "0002_alter_reflection_carry_home_alter_reflection_gave_me"),
        ("recall", "0005_alter_document_vector"),
    ]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
