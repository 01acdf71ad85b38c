"""A therapist's own data as tables: one function per resource, each giving a header and rows.

The same tables become CSV files, JSON documents and the whole-account archive. Only the therapist's own
rows are ever read; clients appear by their pseudonymous code.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from reciprocity.clients.models import Client, Concern
from reciprocity.development.models import Activity, Goal, Support
from reciprocity.insights.models import AlertResponse
from reciprocity.measures import registry
from reciprocity.measures.fhir import questionnaire_response
from reciprocity.measures.models import Administration, ClientLink
from reciprocity.peers.models import Member, Post, Reply
from reciprocity.practice.models import AccessToken, User
from reciprocity.repertoire.models import Item, Trial
from reciprocity.sharing.models import Comment, Meeting, Share, Supervision
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection, Session, Technique


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[Any]]


def _when(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def clients_table(user: User) -> Table:
    rows = [
        [c.code, ";".join(t.name for t in c.concerns.all()), _when(c.started_on), _when(c.ended_on)]
        for c in Client.objects.owned_by(user).prefetch_related("concerns")
    ]
    return Table("clients", ["code", "concerns", "started_on", "ended_on"], rows)


def sessions_table(user: User) -> Table:
    header = ["id", "client", "starts_at", "duration_minutes", "format", "mode", "techniques", "emotional_load",
              "worked_with_trauma", "arrival_calm", "arrival_tiredness"]  # fmt: skip
    rows = [
        [s.pk, s.client.code, _when(s.starts_at), s.duration_minutes, s.format, s.mode,
         ";".join(t.name for t in s.techniques.all()), s.emotional_load, s.worked_with_trauma, s.arrival_calm,
         s.arrival_tiredness]
        for s in Session.objects.owned_by(user).for_listing().order_by("starts_at")
    ]  # fmt: skip
    return Table("sessions", header, rows)


def reflections_table(user: User) -> Table:
    header = ["id", "session", "occasion", "occurred_at", *KEYS, "gave_me", "carry_home", "mood_before", "mood_after"]
    rows = [
        [r.pk, r.session_id, r.occasion, _when(r.occurred_at), *(getattr(r, k) for k in KEYS), r.gave_me,
         r.carry_home, r.mood_before, r.mood_after]
        for r in Reflection.objects.owned_by(user).order_by("occurred_at")
    ]  # fmt: skip
    return Table("reflections", header, rows)


def responses_table(user: User) -> Table:
    header = ["id", "instrument", "version", "client", "completed_at", "source", "total", "band", "scales", "flags",
              "answers", "note"]  # fmt: skip
    rows = [
        [a.pk, a.instrument_id, a.instrument_version, a.client.code if a.client else "", _when(a.completed_at),
         a.source, a.total, a.band, json.dumps(a.scale_scores, sort_keys=True), ";".join(a.flags),
         json.dumps(a.answers, sort_keys=True), a.note]
        for a in Administration.objects.owned_by(user).select_related("client").order_by("completed_at")
    ]  # fmt: skip
    return Table("questionnaires", header, rows)


def repertoire_table(user: User) -> Table:
    header = ["id", "title", "description", "origin", "reflection", "dimensions", "tags", "created_at"]
    rows = [
        [i.pk, i.title, i.description, i.origin, i.reflection_id, ";".join(i.dimensions), ";".join(i.tags),
         _when(i.created_at)]
        for i in Item.objects.owned_by(user).order_by("created_at")
    ]  # fmt: skip
    return Table("repertoire", header, rows)


def tries_table(user: User) -> Table:
    header = ["id", "item", "tried_on", "situation", "helped", "note"]
    rows = [
        [t.pk, t.item_id, _when(t.tried_on), t.situation, t.helped, t.note]
        for t in Trial.objects.owned_by(user).order_by("tried_on", "pk")
    ]
    return Table("tries", header, rows)


def development_table(user: User) -> Table:
    header = ["id", "kind", "day", "title", "hours", "credits", "note"]
    rows = [[a.pk, a.kind, _when(a.day), a.title, float(a.hours), float(a.credits), a.note]
            for a in Activity.objects.owned_by(user).order_by("day", "pk")]  # fmt: skip
    return Table("development", header, rows)


def goals_table(user: User) -> Table:
    rows = [[g.pk, g.title, _when(g.target), g.progress, g.note] for g in Goal.objects.owned_by(user).order_by("pk")]
    return Table("goals", ["id", "title", "target", "progress", "note"], rows)


def support_table(user: User) -> Table:
    rows = [
        [e.pk, e.kind, _when(e.day), e.helped, e.note] for e in Support.objects.owned_by(user).order_by("day", "pk")
    ]
    return Table("support", ["id", "kind", "day", "helped", "note"], rows)


def account_table(user: User) -> Table:
    header = ["username", "first_name", "last_name", "email", "time_zone", "weekly_hours_limit",
              "shows_in_practice_view", "date_joined", "practice", "role", "joined_at"]  # fmt: skip
    person = [user.username, user.first_name, user.last_name, user.email, user.time_zone, user.weekly_hours_limit,
              user.shows_in_practice_view, _when(user.date_joined)]  # fmt: skip
    rows = [[*person, m.practice.name, m.role, _when(m.joined_at)]
            for m in user.memberships.select_related("practice").order_by("joined_at", "pk")]  # fmt: skip
    return Table("account", header, rows or [[*person, "", "", ""]])


def words_table(user: User) -> Table:
    rows = [["concern", t.name, t.is_retired] for t in Concern.objects.owned_by(user)]
    rows += [["technique", t.name, t.is_retired] for t in Technique.objects.owned_by(user)]
    return Table("words", ["list", "name", "retired"], rows)


def client_links_table(user: User) -> Table:
    header = ["id", "client", "instrument", "created_at", "expires_at", "used_at", "questionnaire"]
    rows = [
        [link.pk, link.client.code, link.instrument_id, _when(link.created_at), _when(link.expires_at),
         _when(link.used_at), link.administration_id]
        for link in ClientLink.objects.owned_by(user).select_related("client").order_by("created_at", "pk")
    ]  # fmt: skip
    return Table("client_links", header, rows)


def alerts_table(user: User) -> Table:
    rows = [[a.alert_key, a.action, _when(a.created_at)]
            for a in AlertResponse.objects.owned_by(user).order_by("created_at", "pk")]  # fmt: skip
    return Table("alert_responses", ["alert", "action", "created_at"], rows)


def supervisions_table(user: User) -> Table:
    header = ["id", "my_role", "other_person", "practice", "created_at", "accepted_at", "ended_at"]
    rows = []
    for s in Supervision.objects.involving(user).select_related("therapist", "supervisor", "practice").order_by("pk"):
        mine = s.therapist_id == user.pk
        other = s.supervisor if mine else s.therapist
        rows.append([s.pk, "therapist" if mine else "supervisor", other.display_name if other else "",
                     s.practice.name, _when(s.created_at), _when(s.accepted_at), _when(s.ended_at)])  # fmt: skip
    return Table("supervisions", header, rows)


def shares_table(user: User) -> Table:
    header = ["id", "supervision", "kind", "reflection", "text", "shared_at", "revoked_at"]
    rows = [[s.pk, s.supervision_id, s.kind, s.reflection_id, s.text, _when(s.shared_at), _when(s.revoked_at)]
            for s in Share.objects.filter(supervision__therapist=user).order_by("shared_at", "pk")]  # fmt: skip
    return Table("shares", header, rows)


def comments_table(user: User) -> Table:
    rows = [[c.pk, c.share_id, c.parent_id, c.text, _when(c.created_at)]
            for c in Comment.objects.filter(author=user).order_by("created_at", "pk")]  # fmt: skip
    return Table("comments", ["id", "share", "reply_to", "text", "created_at"], rows)


def meetings_table(user: User) -> Table:
    meetings = (Meeting.objects.filter(supervision__in=Supervision.objects.involving(user))
                .prefetch_related("agenda").order_by("held_on", "pk"))  # fmt: skip
    rows = [[m.pk, m.supervision_id, _when(m.held_on), ";".join(str(s.pk) for s in m.agenda.all()), m.notes,
             m.created_by_id == user.pk] for m in meetings]  # fmt: skip
    return Table("meetings", ["id", "supervision", "held_on", "agenda_shares", "notes", "recorded_by_me"], rows)


def peer_groups_table(user: User) -> Table:
    rows = [[m.group_id, m.group.name, m.group.created_by_id == user.pk, _when(m.joined_at)]
            for m in Member.objects.filter(user=user).select_related("group").order_by("joined_at", "pk")]  # fmt: skip
    return Table("peer_groups", ["group", "name", "started_by_me", "joined_at"], rows)


def peer_posts_table(user: User) -> Table:
    rows = [["post", p.pk, p.group_id, "", p.text, _when(p.created_at)]
            for p in Post.objects.filter(author=user).order_by("created_at", "pk")]  # fmt: skip
    replies = Reply.objects.filter(author=user).select_related("post").order_by("created_at", "pk")
    rows += [["reply", r.pk, r.post.group_id, r.post_id, r.text, _when(r.created_at)] for r in replies]
    return Table("peer_posts", ["kind", "id", "group", "reply_to_post", "text", "created_at"], rows)


def tokens_table(user: User) -> Table:
    header = ["name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    rows = [[t.name, t.prefix, t.scope, _when(t.created_at), _when(t.expires_at), _when(t.last_used_at),
             _when(t.revoked_at)] for t in AccessToken.objects.owned_by(user)]  # fmt: skip
    return Table("api_tokens", header, rows)


def access_log_table(user: User) -> Table:
    """Every recorded access to this person's data (the audit trail), when that app is installed."""
    header = ["when", "actor", "action", "what", "address"]
    if not apps.is_installed("reciprocity.audit"):
        return Table("access_log", header, [])
    events = apps.get_model("audit", "Event")._base_manager.filter(subject=user).select_related("actor")
    rows = [[_when(e.when), e.actor.display_name if e.actor else "", e.action, e.what, e.address]
            for e in events.order_by("when", "pk")]  # fmt: skip
    return Table("access_log", header, rows)


TABLES: dict[str, Callable[[User], Table]] = {
    "account": account_table,
    "clients": clients_table,
    "sessions": sessions_table,
    "reflections": reflections_table,
    "questionnaires": responses_table,
    "repertoire": repertoire_table,
    "tries": tries_table,
    "development": development_table,
    "goals": goals_table,
    "support": support_table,
    "words": words_table,
    "client_links": client_links_table,
    "alert_responses": alerts_table,
    "supervisions": supervisions_table,
    "shares": shares_table,
    "comments": comments_table,
    "meetings": meetings_table,
    "peer_groups": peer_groups_table,
    "peer_posts": peer_posts_table,
    "api_tokens": tokens_table,
    "access_log": access_log_table,
}
# Where each model that holds a person's rows appears in the archive; the test walks every model that
# hangs from a person, so a new one is either exported or named here with the reason it is not.
EXPORTED_IN = {
    "practice.User": "account", "practice.Membership": "account", "practice.AccessToken": "api_tokens",
    "clients.Client": "clients", "clients.Client_concerns": "clients", "clients.Concern": "words",
    "therapy.Technique": "words", "therapy.Session": "sessions", "therapy.Session_techniques": "sessions",
    "therapy.Reflection": "reflections", "measures.Administration": "questionnaires",
    "measures.ClientLink": "client_links", "repertoire.Item": "repertoire", "repertoire.Trial": "tries",
    "development.Activity": "development", "development.Goal": "goals", "development.Support": "support",
    "insights.AlertResponse": "alert_responses", "sharing.Supervision": "supervisions", "sharing.Share": "shares",
    "sharing.Comment": "comments", "sharing.Meeting": "meetings", "sharing.Meeting_agenda": "meetings",
    "peers.Member": "peer_groups", "peers.Group": "peer_groups",
    "peers.Post": "peer_posts", "peers.Reply": "peer_posts", "audit.Event": "access_log",
}  # fmt: skip
NOT_EXPORTED = {
    "recall.Document": "the search index, derived from the entries (hashed words and vectors)",
    "recall.Generation": "a counter of search index changes",
    "admin.LogEntry": "the administrator's own log",
    "auth.Permission": "not used: roles live on memberships",
    "practice.User_groups": "not used: roles live on memberships",
    "practice.User_user_permissions": "not used: roles live on memberships",
    "practice.FailedSignIn": "a security record for lockout, not the person's data",
    "practice.TwoFactor": "the two-factor secret: a copy of it would weaken it",
    "practice.RecoveryCode": "hashes of the recovery codes, useless outside the app",
}


def _safe_cell(value: Any) -> Any:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return "" if value is None else value


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows([_safe_cell(v) for v in row] for row in table.rows)
    return out.getvalue()


def as_json(table: Table) -> str:
    return json.dumps([dict(zip(table.header, row, strict=True)) for row in table.rows], ensure_ascii=False, indent=1)


def account_archive(user: User) -> bytes:
    """Everything of one therapist as a zip: each table as CSV and JSON, and every questionnaire as FHIR."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for build in TABLES.values():
            table = build(user)
            archive.writestr(f"{table.name}.csv", as_csv(table))
            archive.writestr(f"{table.name}.json", as_json(table))
        for administration in _fhir_ready(Administration.objects.owned_by(user).select_related("client")):
            instrument = registry.get(administration.instrument_id)
            resource = questionnaire_response(administration, instrument)
            archive.writestr(f"fhir/questionnaire-response-{administration.pk}.json", json.dumps(resource, indent=1))
        archive.writestr(
            "README.txt",
            f"Reciprocity export of {user.username}, made {timezone.now().isoformat()}.\n"
            "Every table of your data as CSV and JSON (" + ", ".join(TABLES) + "); questionnaires also as\n"
            "FHIR R4 QuestionnaireResponse in fhir/. Clients appear only by their pseudonymous code.\n",
        )
    return buffer.getvalue()


def _fhir_ready(administrations: Iterable[Administration]) -> Iterable[Administration]:
    for administration in administrations:
        try:
            registry.get(administration.instrument_id)
        except registry.UnknownInstrument:
            continue  # a practice's own instrument file was removed: its answers are still in the CSV
        yield administration
