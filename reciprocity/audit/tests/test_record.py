"""`record` writes in the caller's transaction, and a failure to write never breaks the caller."""

import pytest
from django.db import transaction

from reciprocity.audit.models import Action, Event
from reciprocity.audit.services import address_of, record
from reciprocity.clients.models import Client
from tests.builders import make_client


def test_an_event_rolls_back_with_the_work_it_records(ana):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(Action.EXPORT, "downloaded all data as a zip", subject=ana, actor=ana)
        raise RuntimeError("the request failed")
    assert not Event.objects.exists()


def test_an_event_that_cannot_be_written_leaves_the_callers_transaction_usable(ana):
    with transaction.atomic():
        make_client(ana, "N-0100")
        assert record("not-an-action", "refused by the database's check", subject=ana, actor=ana) is None
        make_client(ana, "N-0101")
    assert Client.objects.filter(code__in=["N-0100", "N-0101"]).count() == 2
    assert not Event.objects.exists()


def test_a_long_description_is_cut_to_fit(ana):
    event = record(Action.READ, "x" * 500, subject=ana, actor=ana)
    event.refresh_from_db()
    assert len(event.what) == 200


@pytest.mark.parametrize(("remote", "expected"), [("10.0.0.7", "10.0.0.7"), ("::1", "::1"), ("nonsense", None),
                                                  ("", None)])  # fmt: skip
def test_the_address_is_an_ip_or_nothing(rf, remote, expected):
    assert address_of(rf.get("/", REMOTE_ADDR=remote)) == expected
    assert address_of(None) is None


def test_behind_a_trusted_proxy_the_forwarded_address_is_kept(rf, settings):
    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert address_of(request) == "203.0.113.9"
