import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from reciprocity.lib.api import ERRORS, Day, Pages
from reciprocity.lib.dates import on_local_days
from reciprocity.measures import registry
from reciprocity.measures.fhir import questionnaire_response
from reciprocity.measures.models import Administration
from reciprocity.measures.selectors import get_administration_for

router = Router()


class InstrumentOut(Schema):
    id: str
    short_name: str
    name: str
    audience: str
    items: int
    licence: str


class ScaleScoreOut(Schema):
    score: float | None
    band: str
    prorated: bool = Field(False, description="scored with unanswered items filled in by the manual's rule")
    missing: int = Field(0, description="how many of the scale's items were unanswered")
    bands: dict[str, str] = Field(
        default_factory=dict, description="every published banding, by scheme id, where the scale has several"
    )


class ResponseOut(Schema):
    id: int
    instrument: str
    instrument_version: str
    client: str | None
    completed_at: datetime.datetime
    source: str
    answers: dict[str, int | None] = Field(description="as given, in `coding`; null for an unanswered item")
    coding: str = Field(description="the published coding of the answers; empty: the questionnaire's own numbering")
    language: str = Field(
        description="the language (BCP-47) of the version answered: the questionnaire file's own, or a translation "
        "the practice added; the answers and scores are the questionnaire's either way"
    )
    total: float | None
    band: str
    prorated: bool = Field(description="whether any scale was scored with unanswered items filled in")
    scales: dict[str, ScaleScoreOut]
    flags: list[str]

    @staticmethod
    def resolve_instrument(a: Administration) -> str:
        return a.instrument_id

    @staticmethod
    def resolve_client(a: Administration) -> str | None:
        return a.client.code if a.client else None

    @staticmethod
    def resolve_scales(a: Administration) -> dict:
        return a.scale_scores

    @staticmethod
    def resolve_prorated(a: Administration) -> bool:
        return a.is_prorated


@router.get("/instruments", response={200: list[InstrumentOut], **ERRORS}, summary="The questionnaires")
def list_instruments(request: HttpRequest) -> list[dict]:
    return [
        {"id": i.id, "short_name": i.short_name, "name": i.name, "audience": i.audience, "items": len(i.items),
         "licence": i.licence.name}
        for i in sorted(registry.all_instruments().values(), key=lambda i: i.id)
    ]  # fmt: skip


@router.get(
    "/responses", response={200: list[ResponseOut], **ERRORS}, summary="Questionnaire answers with their scores"
)
@paginate(Pages)
def list_responses(
    request: HttpRequest,
    about: str = "all",
    instrument: str = "",
    since: Day | None = None,
    until: Day | None = None,
) -> object:
    """`about`: clients, self (your own check-ins) or all; `instrument`: an instrument id; `since`/`until`: dates
    (inclusive, in your time zone)."""
    responses = on_local_days(Administration.objects.owned_by(request.user).select_related("client"), "completed_at",
                        since, until)  # fmt: skip
    if about == "clients":
        responses = responses.of_clients()
    elif about == "self":
        responses = responses.own_checkins()
    if instrument:
        responses = responses.filter(instrument_id=instrument)
    return responses


@router.get(
    "/responses/{response_id}", response={200: ResponseOut, **ERRORS}, summary="One questionnaire's answers and scores"
)
def get_response(request: HttpRequest, response_id: int) -> Administration:
    return get_administration_for(request.user, response_id)


@router.get(
    "/responses/{response_id}/fhir", response={200: dict, **ERRORS}, summary="As a FHIR R4 QuestionnaireResponse"
)
def get_response_fhir(request: HttpRequest, response_id: int) -> JsonResponse:
    """Answers 404 also when the questionnaire answered is no longer installed: there is then nothing to export."""
    administration = get_administration_for(request.user, response_id)
    try:
        instrument = registry.get(administration.instrument_id)
    except registry.UnknownInstrument:
        message = gettext(
            "The questionnaire {instrument} is no longer installed, so these answers cannot be exported as FHIR."
        )
        raise HttpError(404, message.format(instrument=administration.instrument_id)) from None
    return JsonResponse(questionnaire_response(administration, instrument))
