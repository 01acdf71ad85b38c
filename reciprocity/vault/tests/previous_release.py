"""A database as the previous release left it, for the upgrade test: that release's migrations, and a text
in every encrypted column it had, written through its own models (the historical models of its migration
state, which encrypt as its code did). Run in a subprocess on a database of the test's own:

    python -m reciprocity.vault.tests.previous_release build   # prints {column: text planted}
    python -m reciprocity.vault.tests.previous_release read    # prints {column: [texts read now]}

When a release ships, NODES becomes the last migration of each app in it.
"""

import datetime
import json
import os
import sys

NODES = [
    ("audit", "0001_events"),
    ("clients", "0001_initial"),
    ("development", "0002_alter_activity_note_alter_activity_title_and_more"),
    ("insights", "0002_figures"),
    ("measures", "0003_alter_administration_note"),
    ("peers", "0002_alter_post_text_alter_reply_text"),
    ("practice", "0004_sign_in_protection"),
    ("recall", "0006_term_statistics"),
    ("repertoire", "0002_alter_item_options_alter_item_description_and_more"),
    ("sharing", "0004_remove_view"),
    ("therapy", "0002_alter_reflection_carry_home_alter_reflection_gave_me"),
    ("vault", "0001_encrypt_existing_text"),
]


# Apps that release did not have: left unmigrated here, so the upgrade adds them as it will on a clinic's database.
NEW_SINCE = {"prompts"}


def _text(column: str) -> str:
    return f"Written by the previous release into {column}: still here? ü"


def build() -> dict[str, str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    ours = {app for app, _ in NODES} | NEW_SINCE
    targets = NODES + [node for node in executor.loader.graph.leaf_nodes() if node[0] not in ours]  # Django's own
    executor.migrate(targets)
    apps = executor.loader.project_state(targets, at_end=True).apps
    model = apps.get_model
    day, now = datetime.date(2026, 3, 2), datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    practice = model("practice", "Practice").objects.create(name="North")
    ana = model("practice", "User").objects.create(username="ana", password="!")
    kim = model("practice", "User").objects.create(username="kim", password="!")
    t = _text
    model("practice", "TwoFactor").objects.create(user=ana, secret=t("practice.twofactor.secret"))
    client = model("clients", "Client").objects.create(therapist=ana, code="N-0001")
    session = model("therapy", "Session").objects.create(client=client, starts_at=now)
    ratings = dict.fromkeys(
        ("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing", "boundaries"), 3
    )
    reflection = model("therapy", "Reflection").objects.create(author=ana, session=session, occurred_at=now, **ratings,
        gave_me=t("therapy.reflection.gave_me"), carry_home=t("therapy.reflection.carry_home"))  # fmt: skip
    model("measures", "Administration").objects.create(therapist=ana, client=client, instrument_id="phq9",
        instrument_version="1", source="therapist", answers={}, note=t("measures.administration.note"))  # fmt: skip
    item = model("repertoire", "Item").objects.create(owner=ana, title=t("repertoire.item.title"),
                                                      description=t("repertoire.item.description"))  # fmt: skip
    model("repertoire", "Trial").objects.create(item=item, tried_on=day, helped=3,
        situation=t("repertoire.trial.situation"), note=t("repertoire.trial.note"))  # fmt: skip
    model("development", "Goal").objects.create(owner=ana, title=t("development.goal.title"),
                                                note=t("development.goal.note"))  # fmt: skip
    model("development", "Support").objects.create(owner=ana, kind="therapy", day=day,
                                                   note=t("development.support.note"))  # fmt: skip
    model("development", "Activity").objects.create(owner=ana, kind="course", day=day, hours=2,
        title=t("development.activity.title"), note=t("development.activity.note"))  # fmt: skip
    supervision = model("sharing", "Supervision").objects.create(therapist=ana, supervisor=kim, practice=practice)
    share = model("sharing", "Share").objects.create(supervision=supervision, kind="reflection",
                                                     reflection=reflection, text=t("sharing.share.text"))  # fmt: skip
    model("sharing", "Comment").objects.create(share=share, author=kim, text=t("sharing.comment.text"))
    model("sharing", "Meeting").objects.create(supervision=supervision, created_by=kim, held_on=day,
                                               notes=t("sharing.meeting.notes"))  # fmt: skip
    group = model("peers", "Group").objects.create(name="Peers", practice=practice, created_by=ana)
    post = model("peers", "Post").objects.create(group=group, author=ana, text=t("peers.post.text"))
    model("peers", "Reply").objects.create(post=post, author=kim, text=t("peers.reply.text"))
    model("recall", "Document").objects.create(owner=ana, kind="reflection", object_id=1, owner_token="x",
        terms="", vector=t("recall.document.vector").encode(), model="m", digest="d", updated_at=now)  # fmt: skip
    return {
        f"{m._meta.label_lower}.{f.name}": t(f"{m._meta.label_lower}.{f.name}")
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if f.__class__.__name__.startswith("Encrypted")
    }


def read() -> dict[str, list[str]]:
    from reciprocity.vault.fields import encrypted_fields

    found = {}
    for model, fields in encrypted_fields():
        for field in fields:
            values = model._base_manager.values_list(field.attname, flat=True)
            found[f"{model._meta.label_lower}.{field.name}"] = [
                value.decode() if isinstance(value, bytes) else value for value in values if value
            ]
    return found


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.config.settings")
    import django

    django.setup()
    print(json.dumps({"build": build, "read": read}[sys.argv[1]]()))
