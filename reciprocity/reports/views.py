from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.views.decorators.http import require_http_methods

from reciprocity.audit.models import Action
from reciprocity.audit.services import record
from reciprocity.clients.models import Client
from reciprocity.clients.selectors import get_client_for
from reciprocity.lib.htmx import render_page
from reciprocity.lib.security import allow_inline_style
from reciprocity.reports import content
from reciprocity.reports.forms import PeriodForm
from reciprocity.reports.render import INLINE_STYLES, render_html, render_pdf
from reciprocity.sharing.models import Supervision
from reciprocity.sharing.selectors import supervision_of


def index(request: HttpRequest) -> HttpResponse:
    context = {
        "form": PeriodForm(),
        "clients": Client.objects.owned_by(request.user).active().order_by("code"),
        "supervisions": Supervision.objects.active().involving(request.user).select_related("therapist", "supervisor"),
    }
    return render_page(request, "reports/index.html", context)


def _deliver(request: HttpRequest, template: str, context: dict, name: str, fmt: str) -> HttpResponse:
    if fmt == "html":
        return allow_inline_style(HttpResponse(render_html(template, context)), *INLINE_STYLES)
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _period(request: HttpRequest, data: QueryDict | None = None) -> content.Period | HttpResponse:
    form = PeriodForm(request.GET if data is None else data)
    if not form.is_valid():
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        return render_page(request, "reports/refused.html", {"problem": problems}, status=400)
    return form.cleaned_data["period"]


def monthly(request: HttpRequest, fmt: str) -> HttpResponse:
    period = _period(request)
    if isinstance(period, HttpResponse):
        return period
    context = content.monthly(request.user, period)
    what = f"made the monthly report of {period.logged} ({fmt.upper()})"
    record(Action.EXPORT, what, subject=request.user, request=request)
    return _deliver(request, "reports/monthly.html", context, f"reciprocity-{period.start:%Y-%m}", fmt)


@require_http_methods(["GET", "POST"])
def packet(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The packet, once its maker has seen what the PII guard would withhold.

    A GET whose packet would withhold something shows the review instead; its form POSTs the details
    confirmed as not identifying (in the body, so they never reach an address or a log).
    """
    supervision = supervision_of(request.user, pk)
    if not supervision.is_active:
        raise Http404("No such supervision.")
    period = _period(request, request.POST if request.method == "POST" else request.GET)
    if isinstance(period, HttpResponse):
        return period
    confirmed = set(request.POST.getlist("confirm"))
    context = content.packet(supervision, period, confirmed)
    if context["withheld"] and request.method == "GET":
        review = {"supervision": supervision, "period": period, "fmt": fmt, "withheld": context["withheld"]}
        return render_page(request, "reports/packet_review.html", review)
    what = f"made the supervision packet of {period.logged} ({fmt.upper()})"
    record(Action.EXPORT, what, subject=supervision.therapist, request=request, obj=supervision)
    return _deliver(request, "reports/packet.html", context, f"supervision-packet-{period.start:%Y-%m-%d}", fmt)


def client(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    own = get_client_for(request.user, code)
    period = _period(request)
    if isinstance(period, HttpResponse):
        return period
    context = content.client_report(own, period)
    what = f"made the progress report of {own.code} for {period.logged} ({fmt.upper()})"
    record(Action.EXPORT, what, subject=request.user, request=request, obj=own)
    return _deliver(request, "reports/client.html", context, f"progress-{own.code}", fmt)


def caseload(request: HttpRequest, fmt: str) -> HttpResponse:
    context = content.caseload(request.user)
    record(Action.EXPORT, f"made the caseload outcomes report ({fmt.upper()})", subject=request.user, request=request)
    return _deliver(request, "reports/caseload.html", context, "caseload-outcomes", fmt)
