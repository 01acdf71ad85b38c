import re

from django.core import mail

from reciprocity.practice import throttle
from reciprocity.practice.models import SignInThrottle
from tests.builders import PASSWORD

RESET = "/accounts/password/reset/"
NEW = "a fresh and quiet meadow"


def test_the_login_page_links_to_the_reset(client, db):
    assert RESET in client.get("/accounts/login/").content.decode()


def test_a_reset_by_email_from_start_to_finish(client, ana):
    ana.email = "ana@north.example"
    ana.save()
    for _ in range(5):
        throttle.record_failure("ana", "10.0.0.1")  # she had locked herself out
    response = client.post(RESET, {"email": "ANA@north.example"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@north.example"]
    assert mail.outbox[0].subject == "Reset your Reciprocity password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "password2024", "new_password2": "password2024"})
    assert "data breaches" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    ana.refresh_from_db()
    assert ana.check_password(NEW) and not ana.check_password(PASSWORD)
    assert not SignInThrottle.objects.filter(kind="account").exists()  # the lock is lifted
    assert (
        client.get(link).status_code == 200
        and "does not work any more" in client.get(link, follow=True).content.decode()
    )
    assert client.post("/accounts/login/", {"username": "ana", "password": NEW}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, ana):
    response = client.post(RESET, {"email": "nobody@nowhere.example"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_bad_address_is_refused_clearly(client, db):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200 and "Enter a valid email address." in response.content.decode()


def test_too_many_reset_requests_from_one_address_get_429(client, ana):
    answers = [client.post(RESET, {"email": f"x{i}@example.org"}).status_code for i in range(6)]
    assert answers == [302] * 5 + [429]
    assert client.post(RESET, {"email": "x@example.org"}, REMOTE_ADDR="10.1.1.1").status_code == 302
