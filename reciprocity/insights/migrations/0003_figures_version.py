import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    """A version token for every therapist who already has figures, so what is read from them can be
    remembered from now on rather than after their next write."""
    WeekFigures = apps.get_model("insights", "WeekFigures")
    FiguresVersion = apps.get_model("insights", "FiguresVersion")
    therapists = WeekFigures.objects.values_list("therapist_id", flat=True).distinct()
    FiguresVersion.objects.bulk_create(
        [FiguresVersion(therapist_id=therapist, token=uuid.uuid4().hex) for therapist in therapists], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_figures"),
        ("practice", "0005_user_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresVersion",
            fields=[
                (
                    "therapist",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="figures_version",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
