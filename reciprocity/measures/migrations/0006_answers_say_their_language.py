"""Answers and client links say the language of the version answered.

Every row so far was answered in its instrument's own file, so it takes that file's language: "en" unless
the file (read as it is now, as 0005 does) names another. A row whose file was removed keeps "en".
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from reciprocity.measures import registry

    for model in ("Administration", "ClientLink"):
        rows = apps.get_model("measures", model).objects
        for instrument_id in rows.values_list("instrument_id", flat=True).distinct().order_by():
            try:
                language = registry.get(instrument_id).language
            except registry.UnknownInstrument:
                continue  # a practice's own instrument file was removed; its rows keep the default
            if language != "en":
                rows.filter(instrument_id=instrument_id).update(language=language)


class Migration(migrations.Migration):
    dependencies = [("measures", "0005_scale_scores_say_prorated")]

    operations = [
        migrations.AddField(
            model_name="administration",
            name="language",
            field=models.CharField(default="en", max_length=35),
        ),
        migrations.AddField(
            model_name="clientlink",
            name="language",
            field=models.CharField(default="en", max_length=35),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
