import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from reciprocity.development.models import Activity, Goal, Support
from reciprocity.development.selectors import development_between


def test_the_log_totals_hours_and_credits_and_feeds_self_reflection(ana, as_ana):
    today = timezone.localdate()
    url = reverse("development:index")
    for kind, hours, credits in (("supervision", "1.5", ""), ("training", "6", "6"), ("conference", "7", "3")):
        response = as_ana.post(url, {"kind": kind, "day": today.isoformat(), "title": f"{kind} day", "hours": hours,
                                     "credits": credits})  # fmt: skip
        assert response.status_code == 302
    totals = development_between(ana, today - datetime.timedelta(days=1), today)
    assert (totals.hours, totals.credits, totals.reflective_hours) == (Decimal("14.5"), Decimal(9), Decimal("7.5"))
    assert "14.5 h" in as_ana.get(url).content.decode()
    assert "7.5 h</strong> of supervision" in as_ana.get(reverse("insights:dashboard")).content.decode()


def test_bad_entries_are_refused_in_plain_words(ana, as_ana):
    url = reverse("development:index")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    good = {"kind": "training", "day": "2026-01-10", "title": "EMDR", "hours": "3"}
    for bad, message in (({"hours": "-1"}, "cannot be negative"), ({"hours": "201"}, "at most 200"),
                         ({"day": tomorrow}, "after it happened"), ({"kind": "party"}, "from the list"),
                         ({"title": ""}, "Give it a title")):  # fmt: skip
        response = as_ana.post(url, good | bad)
        assert response.status_code == 422 and message in response.content.decode(), bad
    assert not Activity.objects.exists()


def test_goals_move_and_only_their_owner_moves_them(ana, ben, as_ana, client):
    assert (
        as_ana.post(reverse("development:goal-create"), {"title": "Finish EMDR training", "progress": "20"}).status_code
        == 302
    )
    goal = Goal.objects.get()
    assert as_ana.post(reverse("development:goal-progress", args=[goal.pk]), {"progress": "60"}).status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 60
    assert as_ana.post(reverse("development:goal-create"), {"title": "x", "progress": "120"}).status_code == 422
    client.force_login(ben)
    assert client.post(reverse("development:goal-progress", args=[goal.pk]), {"progress": "0"}).status_code == 404
    goal.refresh_from_db()
    assert goal.progress == 60


def test_my_own_support_is_kept_beside_my_well_being_and_private(ana, ben, as_ana, client):
    url = reverse("development:support")
    response = as_ana.post(url, {"kind": "therapy", "day": timezone.localdate().isoformat(), "helped": "4",
                                 "note": "Talked about my father."})  # fmt: skip
    assert response.status_code == 302
    page = as_ana.get(url).content.decode()
    assert "My own therapy" in page and "Talked about my father." in page and "My well-being" in page
    client.force_login(ben)
    assert "Talked about my father." not in client.get(url).content.decode()
    entry = Support.objects.get()
    assert client.post(reverse("development:delete", args=["support", entry.pk])).status_code == 404
    assert as_ana.post(url, {"kind": "therapy", "day": "2026-01-01", "helped": "9"}).status_code == 422
    assert Support.objects.count() == 1


def test_deleting_something_of_an_unknown_kind_is_not_found(as_ana):
    assert as_ana.post(reverse("development:delete", args=["diary", 1])).status_code == 404
