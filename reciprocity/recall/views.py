from django.http import HttpRequest, HttpResponse

from reciprocity.lib.htmx import render_page
from reciprocity.recall.search import MAX_QUERY, QueryError, search


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    hits, problem, status = [], "", 200
    if query.strip():
        try:
            hits = search(request.user, query)
        except QueryError as error:
            problem, status = str(error), 400
    context = {"query": query[:MAX_QUERY], "hits": hits, "problem": problem, "max_query": MAX_QUERY}
    return render_page(request, "recall/index.html", context, partial="results", status=status)
