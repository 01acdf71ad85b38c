"""The API's contract, shared by every app's router: error schemas, pagination, input validation, scopes.

Errors are JSON a person can read: `{"detail": "…"}` or, for invalid input,
`{"detail": [{"field": "…", "message": "…"}]}`. `config/api.py` builds the API, installs these error
answers on it with `answer_errors`, and mounts each app's router.
"""

import contextlib
import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from reciprocity.lib.forms import FIRST_YEAR, LAST_YEAR, outside_the_years


class Message(Schema):
    detail: str


class FieldError(Schema):
    field: str | None
    message: str


class FieldErrors(Schema):
    detail: list[FieldError]


# The error answers every operation may give; each route lists them so the schema tells the truth.
ERRORS: dict[int, type[Schema]] = {400: Message, 401: Message, 403: Message, 404: Message, 422: FieldErrors}


class Pages(LimitOffsetPagination):
    """`limit` 1–100 items from `offset` (0 to a million); anything else is a 422 naming the parameter."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100, description="how many items, 1 to 100")
        offset: int = Field(0, ge=0, le=1_000_000, description="how many items to skip")


def _within_the_years(value: datetime.date) -> datetime.date:
    # Days near year 1 or 9999 overflow once turned into times on the user's clock, so refuse them as the
    # pages' forms do; a custom error keeps pydantic from prefixing the message with "Value error, ".
    if problem := outside_the_years(value):
        raise PydanticCustomError("date_out_of_range", problem)
    return value


# A calendar day as a query parameter (`since`, `until`): YYYY-MM-DD in the years the pages accept.
Day = Annotated[
    datetime.date,
    AfterValidator(_within_the_years),
    Field(description=f"a day as YYYY-MM-DD, from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31, in your time zone"),
]


def validated(form: Form) -> dict[str, Any]:
    """The form's cleaned data, or InvalidInput carrying its errors as the API's field errors."""
    if not form.is_valid():
        raise InvalidInput(form)
    return form.cleaned_data


def as_form_time(value: datetime.datetime) -> str:
    """A time from JSON as the pages' forms read it: on the user's clock when it names a zone."""
    with contextlib.suppress(OverflowError):  # the calendar's first or last day moved past its edge: the form
        value = timezone.localtime(value) if value.tzinfo else value  # refuses its year anyway
    return value.strftime("%Y-%m-%d %H:%M:%S")


def term_ids(terms: QuerySet, names: list[str]) -> list[object]:
    """The ids of the user's own terms with these names; an unknown name stays one the form will refuse."""
    ids = {t.name.lower(): t.pk for t in terms}
    return [ids.get(name.lower(), f"unknown:{name}") for name in names]


def require_write(request: HttpRequest) -> None:
    """Writing needs a session or a token with the write scope (a token sets `request.token`)."""
    token = getattr(request, "token", None)
    if token is not None and not token.can_write:
        raise HttpError(403, "This token can only read. Make a token with the write scope to change data.")


class InvalidInput(Exception):
    """A form that refused the input: its errors become the API's field errors."""

    def __init__(self, form: Form) -> None:
        super().__init__("invalid input")
        self.errors = [
            {"field": field if field != "__all__" else None, "message": message}
            for field, messages in form.errors.items()
            for message in messages
        ]

    @classmethod
    def of(cls, problems: list[tuple[str | None, str]]) -> "InvalidInput":
        """Field errors found without a form: (field, message) pairs."""
        error = cls.__new__(cls)
        Exception.__init__(error, "invalid input")
        error.errors = [{"field": field, "message": message} for field, message in problems]
        return error


def answer_errors(api: NinjaAPI) -> None:
    """Make `api` answer every error as readable JSON with its status: 422, 404, 403 and 401."""

    @api.exception_handler(InvalidInput)
    def _invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        return api.create_response(request, {"detail": exc.errors}, status=422)

    @api.exception_handler(ValidationError)
    def _malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [
            {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "message": e.get("msg", "is not valid")}
            for e in exc.errors
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "You cannot do that."}, status=403)

    @api.exception_handler(AuthenticationError)
    def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": "Sign in, or send a valid token as 'Authorization: Bearer <token>'."}, status=401
        )
