"""Older questionnaires say whether each scale was prorated, and carry every published banding.

Each stored scale score gains "prorated" and "missing" (counted from the stored answers) and, where the
instrument's file gives a scale several bandings, "bands". The score itself is never recomputed. The
instrument files are read as they are now: they are data, and the rows' scores came from them.
"""

from django.db import migrations

BATCH = 500


def _completed(entry: dict, scale, answers: dict) -> dict:
    from reciprocity.measures.scoring import band_in

    missing = sum(1 for item_id in scale.items if answers.get(item_id) is None)
    score = entry.get("score")
    completed = {**entry, "prorated": bool(missing) and score is not None, "missing": missing}
    if scale.has_several_bandings and score is not None:
        completed["bands"] = {scheme.id: band_in(scheme.bands, score).label for scheme in scale.band_schemes}
    return completed


def forwards(apps, schema_editor):
    from reciprocity.measures import registry

    Administration = apps.get_model("measures", "Administration")
    changed = []
    for administration in Administration.objects.only("pk", "instrument_id", "answers", "scale_scores").iterator():
        try:
            instrument = registry.get(administration.instrument_id)
        except registry.UnknownInstrument:
            continue  # a practice's own instrument file was removed; its rows stay as they are
        scores = dict(administration.scale_scores)
        for scale in instrument.scales:
            if scale.id in scores and "prorated" not in scores[scale.id]:
                scores[scale.id] = _completed(scores[scale.id], scale, administration.answers or {})
        if scores != administration.scale_scores:
            administration.scale_scores = scores
            changed.append(administration)
    # Written after reading: SQLite does not isolate a table being iterated from writes to it.
    Administration.objects.bulk_update(changed, ["scale_scores"], batch_size=BATCH)


def backwards(apps, schema_editor):
    Administration = apps.get_model("measures", "Administration")
    changed = []
    for administration in Administration.objects.only("pk", "scale_scores").iterator():
        kept = {
            scale_id: {k: v for k, v in entry.items() if k not in {"prorated", "missing", "bands"}}
            for scale_id, entry in administration.scale_scores.items()
        }
        if kept != administration.scale_scores:
            administration.scale_scores = kept
            changed.append(administration)
    Administration.objects.bulk_update(changed, ["scale_scores"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_administration_coding")]

    operations = [migrations.RunPython(forwards, backwards)]
