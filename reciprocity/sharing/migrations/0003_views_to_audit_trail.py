"""The supervisor's reads, recorded until now as sharing views, move into the audit trail (one record of access)."""

from django.db import migrations


def views_to_events(apps, schema_editor):  # type: ignore[no-untyped-def]
    View = apps.get_model("sharing", "View")
    Event = apps.get_model("audit", "Event")
    rows = View.objects.select_related("supervision").order_by("pk").iterator(chunk_size=2000)
    batch = []
    for view in rows:
        batch.append(Event(
            when=view.viewed_at, action="read", actor_id=view.viewer_id, subject_id=view.supervision.therapist_id,
            what=f"read {view.what}"[:200],
            object_kind="sharing.share" if view.share_id else "sharing.supervision",
            object_id=str(view.share_id or view.supervision_id),
        ))  # fmt: skip
        if len(batch) >= 2000:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)


def events_to_views(apps, schema_editor):  # type: ignore[no-untyped-def]
    View = apps.get_model("sharing", "View")
    Event = apps.get_model("audit", "Event")
    Supervision = apps.get_model("sharing", "Supervision")
    Share = apps.get_model("sharing", "Share")
    reads = Event.objects.filter(action="read", object_kind__in=["sharing.share", "sharing.supervision"])
    for event in reads.iterator(chunk_size=2000):
        share = Share.objects.filter(pk=event.object_id).first() if event.object_kind == "sharing.share" else None
        supervision_id = share.supervision_id if share else int(event.object_id)
        if event.actor_id and Supervision.objects.filter(pk=supervision_id).exists():
            View.objects.create(supervision_id=supervision_id, share=share, viewer_id=event.actor_id,
                                what=event.what.removeprefix("read ")[:120], viewed_at=event.when)  # fmt: skip
    reads.delete()  # they are views again; migrating forward once more moves them back without doubling them


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0002_alter_comment_text_alter_meeting_notes_and_more"),
        ("audit", "0001_events"),
    ]

    operations = [migrations.RunPython(views_to_events, events_to_views)]
