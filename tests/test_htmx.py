"""htmx gets fragments; everything else (plain requests, history restores) gets whole pages."""

import datetime

from django.utils import timezone

from tests.builders import make_session

HX = {"HX-Request": "true"}


def test_a_plain_request_gets_the_whole_page_and_a_vary_header(as_ana):
    response = as_ana.get("/sessions/")
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(as_ana, ana_client):
    for hours in range(30):
        make_session(ana_client, starts_at=timezone.now() - datetime.timedelta(hours=hours + 1))
    response = as_ana.get("/sessions/?page=2", headers=HX | {"HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_a_signed_out_htmx_request_moves_the_whole_page_to_sign_in(client):
    response = client.get("/reflections/?text=x", headers=HX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    assert client.get("/reflections/?text=x")["Location"].startswith("/accounts/login/")
