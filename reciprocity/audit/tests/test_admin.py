"""Staff using the Django admin on another person's data leave an event that person sees; the trail is read-only."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from reciprocity.audit.models import Action, Event
from reciprocity.audit.services import record
from reciprocity.practice.models import Role
from tests.builders import make_user, sign_in


@pytest.fixture
def root(db):
    user = make_user("root")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def as_root(client, root):
    return sign_in(client, root)


def admin_events(user):
    return list(Event.objects.about(user).filter(action=Action.ADMIN))


def test_opening_a_persons_account_in_the_admin_is_recorded_for_them(as_root, root, ana):
    assert as_root.get(reverse("admin:practice_user_change", args=[ana.pk])).status_code == 200
    [event] = admin_events(ana)
    assert event.actor == root and event.what == f"administration: opened user #{ana.pk}"
    assert (event.object_kind, event.object_id) == ("practice.user", str(ana.pk))


def test_changing_a_persons_account_in_the_admin_is_recorded(as_root, ana):
    page = as_root.get(reverse("admin:practice_user_change", args=[ana.pk]))
    form = page.context["adminform"].form
    skip = {"password", "groups", "user_permissions", "last_login", "date_joined"}
    data = {k: v for k, v in form.initial.items() if v is not None and k not in skip}
    data |= {
        "first_name": "Anabela",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = as_root.post(reverse("admin:practice_user_change", args=[ana.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert [e.what for e in admin_events(ana)] == [f"administration: changed user #{ana.pk}",
                                                   f"administration: opened user #{ana.pk}"]  # fmt: skip


def test_a_practice_page_concerns_each_member(as_root, ana, ben, north):
    assert as_root.get(reverse("admin:practice_practice_change", args=[north.pk])).status_code == 200
    assert len(admin_events(ana)) == 1 and len(admin_events(ben)) == 1


def test_list_pages_are_recorded_for_nobody_in_particular(as_root, root, ana):
    assert as_root.get(reverse("admin:practice_user_changelist")).status_code == 200
    event = Event.objects.get(action=Action.ADMIN)
    assert event.subject is None and event.actor == root and event.what == "administration: listed users"


def test_deleting_a_person_takes_the_trail_about_them_along(as_root, root, ana):
    record(Action.EXPORT, "downloaded all data as a zip", subject=ana, actor=ana)
    response = as_root.post(reverse("admin:practice_user_delete", args=[ana.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(subject_id=ana.pk).exists()
    event = Event.objects.get(action=Action.ADMIN, what__startswith="administration: deleted")
    assert event.subject is None and event.actor == root


def test_the_staff_members_own_account_is_not_someone_elses_data(as_root, root):
    as_root.get(reverse("admin:practice_user_change", args=[root.pk]))
    assert admin_events(root) == []


def test_the_trail_cannot_be_added_to_changed_or_deleted_in_the_admin(as_root, root, ana):
    event = record(Action.EXPORT, "downloaded all data as a zip", subject=ana, actor=ana)
    request = RequestFactory().get("/")
    request.user = root
    event_admin = site._registry[Event]
    assert not event_admin.has_add_permission(request)
    assert not event_admin.has_change_permission(request, event)
    assert not event_admin.has_delete_permission(request, event)
    assert as_root.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_signed_in_therapist_reaches_no_admin_page_and_leaves_no_admin_event(as_ana, ana):
    assert as_ana.get(reverse("admin:practice_user_change", args=[ana.pk])).status_code == 302
    assert not Event.objects.filter(action=Action.ADMIN).exists()


def test_an_admin_page_turned_away_for_want_of_two_factor_is_not_recorded_as_seen(client, ana, north):
    director = make_user("dora", practice=north, role=Role.DIRECTOR)
    director.is_staff = director.is_superuser = True
    director.save()
    client.force_login(director)  # password only: two-factor is required of a director and not set up
    response = client.get(reverse("admin:practice_user_change", args=[ana.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("practice:two-factor")
    assert admin_events(ana) == []
