import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from reciprocity.lib.api import ERRORS, Pages, require_write, validated
from reciprocity.repertoire.forms import ItemForm, TrialForm
from reciprocity.repertoire.models import Item, Trial
from reciprocity.repertoire.selectors import get_item_for, repertoire_of
from reciprocity.repertoire.services import add_item, log_trial

router = Router()


class TrialOut(Schema):
    id: int
    tried_on: datetime.date
    situation: str
    helped: int
    note: str


class ItemOut(Schema):
    id: int
    title: str
    description: str
    origin: str
    reflection: int | None
    dimensions: list[str]
    tags: list[str]
    trials: list[TrialOut]

    @staticmethod
    def resolve_reflection(item: Item) -> int | None:
        return item.reflection_id

    @staticmethod
    def resolve_trials(item: Item) -> list[Trial]:
        return list(item.trials.all())


class ItemIn(Schema):
    title: str
    description: str = ""
    origin: str = "client_work"
    dimensions: list[str] = []
    tags: list[str] = []


class TrialIn(Schema):
    tried_on: datetime.date
    situation: str
    helped: int
    note: str = ""


@router.get("", response={200: list[ItemOut], **ERRORS}, summary="Your repertoire: what helped most first")
@paginate(Pages)
def list_items(request: HttpRequest) -> list[Item]:
    """Items tried on yourself, ranked by how much they helped on average; then the ones never tried."""
    ranked = repertoire_of(request.user)
    return Item.objects.none() if not ranked.total else [*ranked.tried, *ranked.untried]


@router.get("/{item_id}", response={200: ItemOut, **ERRORS}, summary="One repertoire item with its tries")
def get_item(request: HttpRequest, item_id: int) -> Item:
    return get_item_for(request.user, item_id)


@router.post("", response={201: ItemOut, **ERRORS}, summary="Add an item to your repertoire")
def create_item(request: HttpRequest, payload: ItemIn) -> Status:
    require_write(request)
    data = payload.dict() | {"tags": ", ".join(payload.tags)}
    cleaned = validated(ItemForm(data))
    return Status(201, add_item(owner=request.user, **cleaned))


@router.post("/{item_id}/trials", response={201: TrialOut, **ERRORS}, summary="Log trying an item on yourself")
def create_trial(request: HttpRequest, item_id: int, payload: TrialIn) -> Status:
    """`helped` is 1 (not at all) to 5 (a great deal); the date may not be in the future."""
    require_write(request)
    item = get_item_for(request.user, item_id)
    cleaned = validated(TrialForm(payload.dict()))
    return Status(201, log_trial(item, by=request.user, **cleaned))
