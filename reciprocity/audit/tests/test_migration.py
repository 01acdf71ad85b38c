"""The supervisor reads recorded before the audit trail existed move into it, and back on a reverse migration."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("sharing", "0002_alter_comment_text_alter_meeting_notes_and_more"), ("audit", "0001_events")]
AFTER = [("sharing", "0004_remove_view")]


def migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_sharing_views_become_read_events_about_the_therapist():
    try:  # whatever fails, the database goes back to the latest schema for the tests after this one
        old = migrate(BEFORE)
        User, Practice = old.get_model("practice", "User"), old.get_model("practice", "Practice")
        Supervision, View = old.get_model("sharing", "Supervision"), old.get_model("sharing", "View")
        ana, kim = User.objects.create(username="ana"), User.objects.create(username="kim")
        practice = Practice.objects.create(name="North clinic")
        supervision = Supervision.objects.create(therapist=ana, supervisor=kim, practice=practice,
                                                 accepted_at=timezone.now())  # fmt: skip
        seen = timezone.now() - datetime.timedelta(days=3)
        View.objects.create(supervision=supervision, viewer=kim, what="the list of shared items", viewed_at=seen)
        new = migrate(AFTER)
        event = new.get_model("audit", "Event").objects.get()
        assert (event.actor_id, event.subject_id, event.action, event.what, event.when) == (
            kim.pk,
            ana.pk,
            "read",
            "read the list of shared items",
            seen,
        )
        assert (event.object_kind, event.object_id) == ("sharing.supervision", str(supervision.pk))

        back = migrate(BEFORE)
        view = back.get_model("sharing", "View").objects.get()
        assert (view.viewer_id, view.what, view.viewed_at) == (kim.pk, "the list of shared items", seen)
        assert not back.get_model("audit", "Event").objects.exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
