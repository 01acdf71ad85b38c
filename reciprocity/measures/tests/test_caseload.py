import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reciprocity.measures import registry
from reciprocity.measures.selectors import caseload_plots
from reciprocity.measures.services import record_administration
from tests.builders import make_client, sign_in


def _phq9(therapist, client, total, day):
    """A PHQ-9 whose nine items add up to `total`."""
    phq9 = registry.get("phq9")
    values = [min(3, max(0, total - 3 * i)) for i in range(9)]
    answers = {item.id: value for item, value in zip(phq9.items, values, strict=True)}
    when = datetime.datetime(2026, 3, day, 10, tzinfo=datetime.UTC)
    record_administration(therapist=therapist, instrument=phq9, client=client, answers=answers, completed_at=when)


@pytest.fixture
def caseload(ana, ana_client, cara):
    """Ana: N-0007 18 → 9 (reliable recovery), N-0008 8 → 16 (deteriorated), N-0009 12 alone; Cara: S-0001 20 → 4."""
    _phq9(ana, ana_client, 18, 2)
    _phq9(ana, ana_client, 14, 9)
    _phq9(ana, ana_client, 9, 16)
    worse = make_client(ana, "N-0008")
    _phq9(ana, worse, 8, 3)
    _phq9(ana, worse, 16, 17)
    _phq9(ana, make_client(ana, "N-0009"), 12, 4)
    theirs = make_client(cara, "S-0001")
    _phq9(cara, theirs, 20, 2)
    _phq9(cara, theirs, 4, 20)


def _phq9_section(page: str) -> str:
    return page[page.index("PHQ-9 · ") :]


def test_one_point_per_client_with_two_scores_and_the_same_rows_in_the_table(as_ana, caseload):
    page = _phq9_section(as_ana.get(reverse("measures:caseload")).content.decode())
    assert page.count('<circle class="jt-point') == 2
    assert '<circle class="jt-point improved"' in page and '<circle class="jt-point deteriorated"' in page
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]+">([A-Z]-\d{4})</a></th>(.*?)</tr>', page)
    assert [code for code, _ in rows] == ["N-0007", "N-0008"]
    cells = [re.findall(r"<td>(.*?)</td>", rest) for _, rest in rows]
    assert cells[0] == ["18", "9", "-9", "-3.11", "Reliable recovery"]  # (9 − 18) / 2.89
    assert cells[1] == ["8", "16", "8", "2.76", "Reliable deterioration"]


def test_a_client_with_one_score_is_listed_not_plotted(as_ana, caseload):
    page = _phq9_section(as_ana.get(reverse("measures:caseload")).content.decode())
    assert "One score so far (not plotted): N-0009." in page
    assert "<title>N-0009" not in page


def test_the_plot_draws_the_diagonal_the_reliable_band_and_the_cut_off_both_ways(as_ana, caseload):
    page = _phq9_section(as_ana.get(reverse("measures:caseload")).content.decode())
    assert page.count('class="jt-diagonal"') == 1 and page.count('class="jt-band"') == 1
    assert page.count('class="jt-cutoff"') == 2
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # the CSP allows no inline style


def test_another_therapists_clients_never_appear(client, cara, ben, caseload):
    own = sign_in(client, cara).get(reverse("measures:caseload")).content.decode()
    assert "S-0001" in own and "N-0007" not in own and "N-0008" not in own and "N-0009" not in own
    colleague = sign_in(client, ben).get(reverse("measures:caseload")).content.decode()
    assert "N-0007" not in colleague and "S-0001" not in colleague and "jt-point" not in colleague


def test_the_caseload_is_read_in_one_query(ana, caseload):
    with CaptureQueriesContext(connection) as queries:
        plots = caseload_plots(ana)
    assert len(queries) == 1
    assert [(p.instrument.id, len(p.points), p.one_score) for p in plots] == [("phq9", 2, ["N-0009"])]


def test_the_clients_page_links_to_the_caseload(as_ana):
    assert reverse("measures:caseload") in as_ana.get(reverse("clients:index")).content.decode()
