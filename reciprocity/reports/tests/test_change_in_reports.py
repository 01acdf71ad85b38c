import datetime

import pytest
from django.urls import reverse

from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.reports.tests.test_reports import text_of
from tests.builders import make_client, sign_in

OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}


def _phq9(therapist, client, value, day):
    phq9 = registry.get("phq9")
    answers = {i.id: value for i in phq9.items}
    when = datetime.datetime(2026, 10, day, 10, tzinfo=datetime.UTC)
    record_administration(therapist=therapist, instrument=phq9, client=client, answers=answers, completed_at=when)


@pytest.fixture
def courses(ana, ana_client, cara):
    _phq9(ana, ana_client, 2, 6)  # 18
    _phq9(ana, ana_client, 1, 27)  # 9
    _phq9(ana, make_client(ana, "N-0009"), 1, 8)
    theirs = make_client(cara, "S-0001")
    _phq9(cara, theirs, 2, 6)
    _phq9(cara, theirs, 0, 20)


def test_the_client_pdf_shows_the_index_and_its_formula(as_ana, ana_client, courses):
    response = as_ana.get(reverse("reports:client", args=[ana_client.code, "pdf"]), OCTOBER)
    text = text_of(response.content)
    assert "Reliable change index RCI -3.11" in text
    assert "S_diff = √(2 · (SD · √(1 − r))²)" in text
    assert "Jacobson NS, Truax P." in text and "Clinical cut-off 10 or more is in the clinical range" in text


def test_the_caseload_pdf_plots_the_own_clients_and_lists_them(as_ana, courses):
    response = as_ana.get(reverse("reports:caseload", args=["pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Caseload outcomes" in text and "N-0007 18 9 -9 -3.11 Reliable recovery" in text
    assert "One score so far (not plotted): N-0009." in text
    assert "S-0001" not in text


def test_the_caseload_report_draws_one_point_per_client(as_ana, courses):
    html = as_ana.get(reverse("reports:caseload", args=["html"])).content.decode()
    assert html.count('<circle class="jt-point') == 1 and "S-0001" not in html


def test_an_outsider_sees_none_of_the_caseload(client, ben, courses):
    html = sign_in(client, ben).get(reverse("reports:caseload", args=["html"])).content.decode()
    assert "N-0007" not in html and "S-0001" not in html and "No questionnaires about your clients yet." in html
