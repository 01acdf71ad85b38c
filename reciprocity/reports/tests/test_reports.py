import datetime
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from reciprocity.development.models import Activity
from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.practice.models import Role
from reciprocity.repertoire.services import add_item, log_trial
from reciprocity.sharing import services as sharing
from tests.builders import make_reflection, make_session, make_user, sign_in

OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 10, day, hour, tzinfo=datetime.UTC)


@pytest.fixture
def october(ana, ana_client):
    """Three reflections, a check-in, a try and some development in October 2026."""
    for day, empathy in ((5, 4), (12, 2), (19, 3)):
        make_reflection(make_session(ana_client, starts_at=_at(day)), ratings={"empathy": empathy},
                        gave_me=f"Day {day}: the client's courage moved me.")  # fmt: skip
    who5 = registry.get("who5")
    record_administration(therapist=ana, instrument=who5, answers={i.id: 3 for i in who5.items}, completed_at=_at(20))
    item = add_item(owner=ana, title="Paced breathing")
    log_trial(item, by=ana, tried_on=datetime.date(2026, 10, 22), situation="Before a call.", helped=5)
    Activity.objects.create(owner=ana, kind="supervision", day=datetime.date(2026, 10, 9), title="Group", hours=2)
    phq9 = registry.get("phq9")
    for day, value in ((6, 2), (27, 1)):
        answers = {i.id: value for i in phq9.items}
        record_administration(therapist=ana, instrument=phq9, client=ana_client, answers=answers, completed_at=_at(day))


def test_the_monthly_report_states_the_figures_of_the_database(as_ana, october):
    response = as_ana.get(reverse("reports:monthly", args=["pdf"]), OCTOBER)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "My reciprocity · October 2026" in text
    assert "3 reflections (3 on sessions)" in text
    assert "Empathy 3.00" in text  # (4 + 2 + 3) / 3
    assert "WHO-5 Well-being (raw score) 15 (Adequate well-being)" in text  # five items of 3
    assert "Paced breathing 22 Oct 5 of 5" in text
    assert "2 h" in text and "Day 5: the client's courage moved me." in text


def test_a_month_with_nothing_in_it_says_so(as_ana, october):
    text = text_of(
        as_ana.get(reverse("reports:monthly", args=["pdf"]), {"start": "2025-02-01", "end": "2025-02-28"}).content
    )
    assert "Nothing was recorded in February 2025" in text


def test_the_client_report_shows_the_trajectory_and_its_change(as_ana, ana_client, october):
    response = as_ana.get(reverse("reports:client", args=[ana_client.code, "pdf"]), OCTOBER)
    text = text_of(response.content)
    assert "Progress of N-0007" in text and "PHQ-9" in text
    assert "Reliable recovery: 18 → 9" in text  # reliable improvement that also leaves the clinical range


def test_the_supervision_packet_holds_shared_items_only(client, ana, north, october):
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR, full_name="Kim Adler")
    supervision = sharing.accept(sharing.invite(ana, kim), kim)
    shared = make_reflection(author=ana, gave_me="Private words never shared.")
    share = sharing.share_reflection(supervision, shared, by=ana, text="What I chose to share.")
    sharing.comment(share, by=kim, text="Thank you for this.")
    sign_in(client, kim)
    today = datetime.date.today()
    period = {"start": (today - datetime.timedelta(days=3)).isoformat(), "end": today.isoformat()}
    text = text_of(client.get(reverse("reports:packet", args=[supervision.pk, "pdf"]), period).content)
    assert "What I chose to share." in text and "Thank you for this." in text
    assert "Private words never shared." not in text and "courage moved me" not in text
    sharing.revoke(share, by=ana)
    text = text_of(client.get(reverse("reports:packet", args=[supervision.pk, "pdf"]), period).content)
    assert "What I chose to share." not in text and "Nothing was shared" in text


def test_bad_requests_are_refused_and_nothing_is_made(client, as_ana, ana_client, ben, october):
    backwards = as_ana.get(reverse("reports:monthly", args=["pdf"]), {"start": "2026-10-31", "end": "2026-10-01"})
    assert backwards.status_code == 400 and "ends (01 Oct 2026) before it starts" in backwards.content.decode()
    assert as_ana.get(reverse("reports:monthly", args=["pdf"]), {"start": "soon"}).status_code == 400
    client.force_login(ben)
    assert client.get(reverse("reports:client", args=[ana_client.code, "pdf"]), OCTOBER).status_code == 404


def test_the_report_command(tmp_path, ana, october):
    target = tmp_path / "october.pdf"
    out = StringIO()
    call_command("report", "monthly", "--user", "ana", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(target),
                 stdout=out)  # fmt: skip
    assert "3 reflections" in text_of(target.read_bytes()) and "Wrote" in out.getvalue()
    period = ["--from", "2026-10-01", "--to", "2026-10-31"]
    call_command("report", "client", "--user", "ana", "--client", "n-0007", *period, "-o", str(tmp_path / "c.pdf"),
                 stdout=StringIO())  # fmt: skip
    for args, message in (
        (["monthly", "--from", "2026-10-31", "--to", "2026-10-01"], "before it starts"),
        (["client", "--client", "X-9999", "--from", "2026-10-01", "--to", "2026-10-31"], "no client"),
        (["packet", "--from", "2026-10-01", "--to", "2026-10-31"], "no active supervision"),
        (["monthly", "--from", "01/10/2026", "--to", "2026-10-31"], "YYYY-MM-DD"),
    ):
        with pytest.raises(CommandError, match=message) as error:
            call_command("report", *args, "--user", "ana", "-o", str(tmp_path / "x.pdf"), stdout=StringIO())
        assert error.value.returncode == 2
    assert not (tmp_path / "x.pdf").exists()
