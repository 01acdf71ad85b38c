import time

from reciprocity.practice.middleware import LAST_SEEN
from tests.builders import sign_in


def go_idle(client, minutes):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_a_session_idle_longer_than_the_timeout_is_signed_out_with_a_message(client, ana):
    sign_in(client, ana)
    assert client.get("/clients/").status_code == 200
    go_idle(client, 31)
    response = client.get("/clients/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/clients/"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert "_auth_user_id" not in client.session
    assert client.get("/clients/").status_code == 302


def test_a_session_used_within_the_timeout_stays(client, ana):
    sign_in(client, ana)
    go_idle(client, 29)
    assert client.get("/clients/").status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] < 5  # using it restarts the clock


def test_the_timeout_is_a_setting(client, ana, settings):
    settings.IDLE_TIMEOUT_MINUTES = 5
    sign_in(client, ana)
    go_idle(client, 6)
    assert client.get("/").status_code == 302


def test_htmx_requests_get_the_htmx_sign_in_redirect(client, ana):
    sign_in(client, ana)
    go_idle(client, 45)
    response = client.get("/clients/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/clients/"
