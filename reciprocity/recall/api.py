import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from reciprocity.lib.api import ERRORS, InvalidInput
from reciprocity.recall.search import QueryError, search

router = Router()


class SearchHit(Schema):
    kind: str
    id: int
    title: str
    date: datetime.date
    url: str
    snippet: str
    highlights: list[str]


class SearchIn(Schema):
    q: str
    limit: int = 10


@router.get("", response={200: list[SearchHit], **ERRORS}, summary="Search your own words")
def search_entries(request: HttpRequest, params: Query[SearchIn]) -> list[dict]:
    """Your reflections, repertoire items, tries and check-in notes that best answer `q`, by meaning and by
    words. `q` is plain text (operators such as quotes, `*`, `NEAR` or `-` are searched as words); `limit`
    is 1–50. A query that is empty or longer than 10,000 characters is refused with 422."""
    problems = []
    if not 1 <= params.limit <= 50:
        problems.append(("limit", "limit is a whole number from 1 to 50."))
    try:
        hits = search(request.user, params.q, limit=params.limit) if not problems else []
    except QueryError as error:
        problems.append(("q", str(error)))
    if problems:
        raise InvalidInput.of(problems)
    return [
        {
            "kind": hit.kind,
            "id": hit.obj.pk,
            "title": hit.title,
            "date": hit.when.date() if isinstance(hit.when, datetime.datetime) else hit.when,
            "url": hit.url,
            "snippet": "".join(p.text for p in hit.pieces),
            "highlights": [p.text for p in hit.pieces if p.hit],
        }
        for hit in hits
    ]
