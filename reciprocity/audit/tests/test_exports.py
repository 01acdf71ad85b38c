"""Every export, on a page or from the shell, is recorded as an export of the person's data."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reciprocity.audit.models import Action, Event
from reciprocity.practice.models import Role
from reciprocity.sharing import services as sharing
from tests.builders import make_user, sign_in

OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}


def exports_of(user):
    return list(Event.objects.about(user).filter(action=Action.EXPORT))


def test_downloading_a_table_is_recorded(as_ana, ana, ana_session):
    response = as_ana.get(reverse("exports:table", args=["sessions", "csv"]))
    assert response.status_code == 200
    [event] = exports_of(ana)
    assert event.actor == ana and event.what == "downloaded the sessions table as CSV"
    assert event.address == "127.0.0.1"


def test_downloading_everything_is_recorded(as_ana, ana):
    assert as_ana.get(reverse("exports:account")).status_code == 200
    assert [e.what for e in exports_of(ana)] == ["downloaded all data as a zip"]


def test_an_export_that_is_refused_is_not_recorded(as_ana, ana):
    assert as_ana.get(reverse("exports:table", args=["nothing", "csv"])).status_code == 404
    assert exports_of(ana) == []


def test_the_export_command_is_recorded_without_an_actor(ana, tmp_path):
    call_command("export", "--user", "ana", "-o", str(tmp_path / "ana.zip"), stdout=io.StringIO())
    [event] = exports_of(ana)
    assert event.actor is None and event.address is None and "reciprocity export" in event.what


def test_a_monthly_report_is_recorded_as_an_export(as_ana, ana):
    response = as_ana.get(reverse("reports:monthly", args=["html"]), OCTOBER)
    assert response.status_code == 200, response.content[:300]
    [event] = exports_of(ana)
    assert event.what == "made the monthly report of October 2026 (HTML)"


def test_a_client_report_names_the_code_only(as_ana, ana, ana_client):
    response = as_ana.get(reverse("reports:client", args=[ana_client.code, "html"]), OCTOBER)
    assert response.status_code == 200
    [event] = exports_of(ana)
    assert ana_client.code in event.what and (event.object_kind, event.object_id) == ("clients.client",
                                                                                     str(ana_client.pk))  # fmt: skip


@pytest.fixture
def supervised(ana, north):
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR, full_name="Kim Adler")
    supervision = sharing.invite(ana, kim)
    sharing.accept(supervision, kim)
    return supervision


def test_a_supervisor_making_the_packet_is_an_export_of_the_therapists_data(client, ana, supervised):
    sign_in(client, supervised.supervisor)
    response = client.get(reverse("reports:packet", args=[supervised.pk, "html"]), OCTOBER)
    assert response.status_code == 200
    [event] = exports_of(ana)
    assert event.actor == supervised.supervisor and "supervision packet" in event.what
    assert exports_of(supervised.supervisor) == []


def test_the_report_command_is_recorded(ana, tmp_path):
    call_command("report", "monthly", "--user", "ana", "--from", "2026-10-01", "--to", "2026-10-31",
                 "-o", str(tmp_path / "r.pdf"), stdout=io.StringIO())  # fmt: skip
    [event] = exports_of(ana)
    assert event.actor is None and "monthly report of October 2026" in event.what
