"""`reciprocity demo` on an empty database refuses a short password and creates nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reciprocity.practice.models import User


def test_a_short_demo_password_is_refused(db):
    with pytest.raises(CommandError, match="at least 8 characters") as error:
        call_command("demo", "--password", "short", stdout=StringIO())
    assert error.value.returncode == 2
    assert not User.objects.exists()
