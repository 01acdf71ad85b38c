"""“You have been here before”: past reflections closest in meaning to this one, with what helped then."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string

from reciprocity.recall import vectors
from reciprocity.recall.models import Document, Kind
from reciprocity.repertoire.models import Item
from reciprocity.therapy.models import Reflection

CLOSE = 0.4  # cosine below which two reflections are not shown as alike


@dataclass(frozen=True)
class Moment:
    reflection: Reflection
    similarity: float

    @property
    def helped(self) -> list[Item]:
        return list(self.reflection.repertoire_items.all())


def similar_moments(reflection: Reflection, *, limit: int = 3) -> list[Moment]:
    document = Document.objects.filter(
        owner_id=reflection.author_id, kind=Kind.REFLECTION, object_id=reflection.pk
    ).first()
    if document is None:
        return []
    near = vectors.nearest(
        reflection.author_id, document.as_array()[0], limit, kind=Kind.REFLECTION, exclude=document.pk, whole_only=True
    )
    near = [(pk, score) for pk, score in near if score >= CLOSE]
    object_ids = dict(Document.objects.filter(pk__in=[pk for pk, _ in near]).values_list("pk", "object_id"))
    items = Item.objects.annotate(tries=Count("trials"), mean_helped=Avg("trials__helped"))
    reflections = (
        Reflection.objects.owned_by(reflection.author)
        .filter(pk__in=object_ids.values())
        .select_related("session__client")
        .prefetch_related(Prefetch("repertoire_items", queryset=items))
    )
    by_id = {r.pk: r for r in reflections}
    return [Moment(by_id[object_ids[pk]], score) for pk, score in near if object_ids.get(pk) in by_id]


def moments_panel(request: HttpRequest, reflection: Reflection) -> str:
    """The reflection page's "You have been here before" section, or "" when no past moment is close."""
    moments = similar_moments(reflection)
    return render_to_string("recall/similar_moments.html", {"moments": moments}, request) if moments else ""
