"""`reciprocity demo` on an empty database: it prints the logins, and refuses a short password."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reciprocity.practice.models import User


def test_the_command_prints_the_logins(db):
    out = StringIO()
    call_command("demo", "--password", "a-demo-pass", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text and "password: a-demo-pass" in text
    for name in ("alex", "sam", "robin", "kim", "jo"):
        assert f"  {name} " in text


def test_a_short_demo_password_is_refused(db):
    with pytest.raises(CommandError, match="at least 8 characters") as error:
        call_command("demo", "--password", "short", stdout=StringIO())
    assert error.value.returncode == 2
    assert not User.objects.exists()
