"""Whoever supervises a colleague signs in with two-factor, whatever their role in the practice: they read what
that colleague shares."""

import pytest

from reciprocity.practice import twofactor
from reciprocity.practice.models import Role
from reciprocity.sharing import services
from tests.builders import make_reflection, make_user


@pytest.fixture
def colleague(north):
    return make_user("cal", practice=north, role=Role.THERAPIST)


def test_a_colleague_who_supervises_must_use_two_factor_and_no_longer_once_it_ends(client, ana, colleague):
    assert twofactor.standing(colleague) == (False, False)
    supervision = services.invite(ana, colleague)
    assert twofactor.standing(colleague) == (False, False)  # an invitation alone opens nothing
    services.accept(supervision, colleague)
    assert twofactor.standing(colleague) == (True, False) and twofactor.is_required(colleague)
    share = services.share_reflection(supervision, make_reflection(author=ana), by=ana, text="Shared words.")
    client.force_login(colleague)  # the password step only
    response = client.get(share.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    services.end(supervision, by=ana)
    assert twofactor.standing(colleague) == (False, False) and not twofactor.is_required(colleague)


def test_the_standing_agrees_with_is_required_for_supervisors_of_every_role(ana, colleague, north):
    director = make_user("dee", practice=north, role=Role.DIRECTOR)
    services.accept(services.invite(ana, colleague), colleague)
    services.accept(services.invite(director, ana), ana)
    ben = make_user("benji", practice=north)
    services.invite(ben, director)  # pending
    people = [ana, colleague, director, ben]
    twofactor.start_enrolment(ben)
    assert {p.username: twofactor.standing(p) for p in people} == {
        p.username: (twofactor.is_required(p), twofactor.is_enabled(p)) for p in people
    }
    assert [twofactor.standing(p)[0] for p in people] == [True, True, True, False]
