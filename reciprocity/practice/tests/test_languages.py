"""The account pages speak the browser's language (or the one chosen in the settings), and the password-reset
e-mail the language its account chose."""

import pytest
from django.core import mail
from django.urls import reverse

from reciprocity.practice import throttle

RESET = "/accounts/password/reset/"


def test_the_settings_page_follows_a_spanish_browser(as_ana):
    response = as_ana.get(reverse("practice:settings"), headers={"accept-language": "es"})
    html = response.content.decode()
    assert response["Content-Language"] == "es" and '<html lang="es">' in html
    spanish = [
        "Ajustes",
        "Zona horaria",
        "Mi límite de horas de sesión por semana",
        "Exportar mis datos",
        "Inicio de sesión en dos pasos</a>: desactivado",
        "Recordatorios por correo",
        "Guardar",
    ]
    for words in spanish:
        assert words in html, words
    for english in ("Time zone", "Export my data", "Two-factor sign-in", "Reminders by e-mail", "Security"):
        assert english not in html, english


def test_the_settings_page_is_english_by_default(as_ana):
    html = as_ana.get(reverse("practice:settings")).content.decode()
    assert "Time zone" in html and "Two-factor sign-in</a>: off" in html and "Reminders by e-mail" in html


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("de", "Setze dein Reciprocity-Passwort zurück", "Jemand hat angefordert, das Passwort"),
        ("", "Reset your Reciprocity password", "Someone asked to reset the password"),
    ],
)
def test_the_reset_email_is_in_the_accounts_language(client, ana, language, subject, body):
    ana.email, ana.language = "ana@north.example", language
    ana.save()
    client.post(RESET, {"email": "ana@north.example"}, headers={"accept-language": "en"})
    [message] = mail.outbox
    assert message.subject == subject and body in message.body


def test_without_a_chosen_language_the_reset_email_follows_the_browser_that_asked(client, ana):
    ana.email = "ana@north.example"
    ana.save()
    client.post(RESET, {"email": "ana@north.example"}, headers={"accept-language": "es"})
    assert mail.outbox[0].subject == "Restablece tu contraseña de Reciprocity"


def test_the_lockout_message_is_in_the_pages_language(client, ana):
    for _ in range(throttle.ACCOUNT_LIMIT):
        throttle.record_failure("ana", "10.0.0.9")
    response = client.post("/accounts/login/", {"username": "ana", "password": "x"}, headers={"accept-language": "de"})
    assert "Zu viele fehlgeschlagene Anmeldungen; versuche es in" in response.content.decode()
