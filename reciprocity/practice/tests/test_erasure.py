"""Deleting an account erases every row of the person (found by walking every model's foreign keys, so a new
model is covered without anyone remembering), their search index, sign-ins and queued work, and nothing else."""

import datetime
import os
import sqlite3
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session as SignIn
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models import Value
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reciprocity.clients.models import Concern
from reciprocity.development.models import Activity, Goal, Support
from reciprocity.insights.models import AlertResponse
from reciprocity.measures import registry
from reciprocity.measures.models import Source
from reciprocity.measures.services import create_client_link, record_administration
from reciprocity.peers import services as peers
from reciprocity.peers.models import Group, Member, Post, Reply
from reciprocity.practice.erasure import erase_account
from reciprocity.practice.models import Practice, Role, User
from reciprocity.practice.tokens import create_token
from reciprocity.prompts import services as prompts
from reciprocity.prompts.selectors import asked_on
from reciprocity.recall import terms, vectors
from reciprocity.recall.index import owner_token
from reciprocity.recall.models import Document
from reciprocity.repertoire.services import add_item, log_trial
from reciprocity.sharing import services as sharing
from reciprocity.therapy.models import Technique
from reciprocity.vault.cipher import DecryptionError
from tests.builders import PASSWORD, make_client, make_reflection, make_session, make_user
from tests.servers import app_env, run_cli

ANA_WORDS = "Quokkas on the ferry taught me patience with my sister."
BEN_WORDS = "Lighthouse keepers rarely hurry their evenings."


def _answers(instrument_id, value=1):
    return {item.id: value for item in registry.get(instrument_id).items}


def _task(path, *args, **kwargs):
    return DBTaskResult.objects.create(
        task_path=path, args_kwargs={"args": list(args), "kwargs": kwargs}, queue_name="default",
        backend_name="default", run_after=timezone.now(), exception_class_path="", traceback="",
    )  # fmt: skip


@pytest.fixture
def world(client, ana, ben, north):
    """Ana with something in every app, tied to Ben and two colleagues; Ben and Cara with their own work."""
    kim = make_user("kim", practice=north, role=Role.SUPERVISOR)
    lee = make_user("lee", practice=north)
    Concern.seed_defaults(ana)
    Technique.seed_defaults(ana)
    ana_client = make_client(ana, "N-0007")
    ana_client.concerns.set(Concern.objects.owned_by(ana)[:2])
    session = make_session(ana_client, techniques=list(Technique.objects.owned_by(ana)[:2]))
    reflection = make_reflection(session, gave_me=ANA_WORDS, carry_home="Pause before answering.")
    free = make_reflection(author=ana, gave_me="A hard supervision day.")
    prompts.add_prompt(north, "What did the room feel like?")  # the practice's default stays when Ana goes
    prompts.add_prompt(ana, "What did my body tell me?")
    prompts.save_answers(reflection, [(asked_on(ana, reflection)[0], "Tight shoulders, then ease.")])
    record_administration(therapist=ana, instrument=registry.get("phq9"), answers=_answers("phq9"), client=ana_client,
                          session=session)  # fmt: skip
    record_administration(therapist=ana, instrument=registry.get("who5"), answers=_answers("who5", 3),
                          source=Source.SELF, note="Tired but steady.")  # fmt: skip
    create_client_link(therapist=ana, client=ana_client, instrument=registry.get("phq9"))
    item = add_item(owner=ana, title="Pause first", description="Breathe out before answering.", reflection=reflection)
    log_trial(item, by=ana, tried_on=datetime.date(2026, 3, 1), situation="A hard call with my sister.", helped=4)
    Activity.objects.create(owner=ana, kind="training", day=datetime.date(2026, 2, 1), title="EMDR I", hours=8)
    Goal.objects.create(owner=ana, title="Finish EMDR", note="By summer.")
    Support.objects.create(owner=ana, kind="therapy", day=datetime.date(2026, 3, 1), note="My own therapy helps.")
    AlertResponse.objects.create(therapist=ana, alert_key="boundaries:hours", action="dismiss")
    create_token(user=ana, name="scripts")

    # supervision both ways: Kim supervises Ana; Ana supervises Ben
    upward = sharing.accept(sharing.invite(ana, kim), kim)
    share = sharing.share_reflection(upward, reflection, by=ana, text="Patience, shared.")
    question = sharing.comment(share, by=kim, text="What helped?")
    sharing.comment(share, by=ana, parent=question, text="The ferry.")
    sharing.record_meeting(upward, by=kim, held_on=datetime.date(2026, 3, 2), agenda=[share], notes="Met.")
    sharing.record_view(upward, kim, str(share), share)
    ben_reflection = make_reflection(make_session(make_client(ben, "B-0001")), gave_me=BEN_WORDS)
    downward = sharing.accept(sharing.invite(ben, ana), ana)
    ben_share = sharing.share_reflection(downward, ben_reflection, by=ben, text="Shared for supervision.")
    sharing.comment(ben_share, by=ana, text="Thank you.")
    sharing.record_view(downward, ana, str(ben_share), ben_share)

    # a peer group Ana started, with Ben and Lee; and one Ben started, where Ana replied
    ana_group = peers.create_group(ana, "Ana's peers", [ben, lee])
    ana_post = peers.post(ana_group, by=ana, text="A stuck case.")
    peers.reply(ana_post, by=ben, text="A reply to the stuck case.")
    ben_post = peers.post(ana_group, by=ben, text="Another stuck case.")
    peers.reply(ben_post, by=ana, text="An answer from the starter.")
    peers.reply(ben_post, by=lee, text="A second answer.")
    ben_group = peers.create_group(ben, "Ben's peers", [ana, kim])
    peers.post(ben_group, by=kim, text="A case from supervision.")

    # Cara, in another practice, and a solo practice nobody touches
    cara = make_user("cara", practice=Practice.objects.create(name="South clinic"))
    make_reflection(make_session(make_client(cara, "S-0001")), gave_me="Words from the south.")

    client.force_login(ana)  # a sign-in on a device
    other_device = client.__class__()
    other_device.force_login(ana)
    bens_device = client.__class__()
    bens_device.force_login(ben)
    _task("reciprocity.recall.tasks.index_owner", ana.pk)
    _task("reciprocity.recall.tasks.index_entry", "reflection", reflection.pk)
    _task("reciprocity.recall.tasks.index_entry", kind="reflection", object_id=free.pk)
    _task("reciprocity.recall.tasks.index_entries", ana.pk, [["reflection", reflection.pk], ["reflection", free.pk]])
    _task("reciprocity.recall.tasks.index_owner", ben.pk)
    _task("reciprocity.recall.tasks.index_entry", "reflection", ben_reflection.pk)
    _task("reciprocity.recall.tasks.index_entries", owner_id=ben.pk, entries=[["reflection", ben_reflection.pk]])
    vectors.matrix_for(ana.pk)
    vectors.matrix_for(ben.pk)
    return {"ana_group": ana_group, "ben_group": ben_group, "ben_post": ben_post, "lee": lee, "kim": kim}


def _relations():
    """Every concrete foreign key and one-to-one field of every model, auto-created many-to-many tables included."""
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey):
                yield model, f


def _owned_rows(user, stop):
    """The person's rows: theirs directly, then everything hanging from those by a cascading key, to a fixpoint.

    `stop` holds rows that do not spread ownership (the group Ana started passes to a colleague). Returns the
    owned rows, and the other rows that only point at owned ones by a key that is cleared on deletion."""
    owned = {User: {user.pk}}
    grew = True
    while grew:
        grew = False
        for model, f in _relations():
            parents = owned.get(f.related_model._meta.concrete_model, set()) - stop.get(f.related_model, set())
            if not parents or f.remote_field.on_delete is not models.CASCADE:
                continue
            found = set(model._base_manager.filter(**{f"{f.attname}__in": parents}).values_list("pk", flat=True))
            if found - owned.get(model, set()):
                owned.setdefault(model, set()).update(found)
                grew = True
    cleared = {}
    for model, f in _relations():
        if f.remote_field.on_delete is models.SET_NULL and (parents := owned.get(f.related_model)):
            rows = model._base_manager.filter(**{f"{f.attname}__in": parents}).exclude(pk__in=owned.get(model, ()))
            for pk in rows.values_list("pk", flat=True):
                cleared.setdefault(model, {})[pk] = f.attname
    return owned, cleared


def _everything(exclude):
    """Every row of every model as values, except the excluded (model, pk) pairs, sign-ins and queued tasks."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model in (SignIn, DBTaskResult):
            continue
        skip = exclude.get(model, set())
        rows[model._meta.label] = sorted(
            (tuple(sorted((k, str(v)) for k, v in row.items())) for row in model._base_manager.values()
             if row[model._meta.pk.attname] not in skip),
        )  # fmt: skip
    return rows


def _fts_hits(user, words):
    tokens = terms.query_terms(words)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM recall_fts WHERE recall_fts MATCH %s", [f"owner:{owner_token(user.pk)}"]
            )
            by_owner = cursor.fetchone()[0]
            for token in [owner_token(user.pk), *tokens]:
                cursor.execute("SELECT count(*) FROM recall_fts_terms WHERE term = %s", [token])
                by_owner += cursor.fetchone()[0]
            return by_owner
        cursor.execute(
            "SELECT count(*) FROM recall_document "
            "WHERE owner = %s OR to_tsvector('simple', terms) @@ to_tsquery('simple', %s)",
            [owner_token(user.pk), " | ".join(tokens)],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_erasing_an_account_leaves_no_row_index_entry_sign_in_or_task_of_it(world, ana, ben):
    ana_pk = ana.pk
    stop = {Group: {world["ana_group"].pk}}
    owned, cleared = _owned_rows(ana, stop)
    assert len(owned) >= 20, "the account must reach into every app, or this test proves little"
    others = owned | {Group: {world["ana_group"].pk}}
    for model, rows in cleared.items():  # others' rows that named her keep their place, without her name
        others[model] = others.get(model, set()) | set(rows)
    others_before = _everything(others)
    assert Document.objects.filter(owner=ana).count() >= 4 and _fts_hits(ana, ANA_WORDS) > 0
    ben_hits = _fts_hits(ben, BEN_WORDS)
    assert ben_hits > 0
    ana_sign_ins = [s.pk for s in SignIn.objects.all() if s.get_decoded().get("_auth_user_id") == str(ana_pk)]
    assert len(ana_sign_ins) == 2

    counts = erase_account(ana)

    assert counts.rows["practice.User"] == 1 and counts.sign_ins == 2 and counts.tasks == 4
    # nothing that was hers is left, and nothing anywhere points at her or at a row that is gone
    for model, pks in owned.items():
        assert not model._base_manager.filter(pk__in=pks - stop.get(model, set())).exists(), model._meta.label
    for model, f in _relations():
        target = f.related_model._base_manager.values(f.target_field.attname)
        dangling = model._base_manager.filter(**{f"{f.attname}__isnull": False}).exclude(**{f"{f.attname}__in": target})
        assert not dangling.exists(), f"{model._meta.label}.{f.name} points at erased rows"
        if f.related_model is User:
            assert not model._base_manager.filter(**{f.attname: ana_pk}).exists(), f"{model._meta.label}.{f.name}"
    # the search index holds nothing of hers, in the database or in this process
    assert (
        not Document.objects.filter(owner_id=ana_pk).exists()
        and not Document.objects.filter(owner_token=owner_token(ana_pk)).exists()
    )
    assert _fts_hits(ana, ANA_WORDS) == 0
    assert ana_pk not in vectors._cache
    # her sign-ins and her queued work are gone; Ben's stay
    assert not SignIn.objects.filter(pk__in=ana_sign_ins).exists()
    assert [s for s in SignIn.objects.all() if s.get_decoded().get("_auth_user_id") == str(ben.pk)]
    assert DBTaskResult.objects.count() == 3
    # everyone else's rows are exactly as they were; the group she started is Ben's now, with his post in it
    assert _everything(others) == others_before
    for model, rows in cleared.items():
        for pk, attname in rows.items():
            assert getattr(model._base_manager.get(pk=pk), attname) is None, f"{model._meta.label}.{attname}"
    group = Group.objects.get(pk=world["ana_group"].pk)
    assert group.created_by == ben
    assert set(Member.objects.filter(group=group).values_list("user__username", flat=True)) == {"ben", "lee"}
    assert list(Reply.objects.filter(post=world["ben_post"]).values_list("text", flat=True)) == ["A second answer."]
    assert not Post.objects.filter(text="A stuck case.").exists() and not Reply.objects.filter(
        text="A reply to the stuck case."
    )
    assert Practice.objects.filter(name="North clinic").exists()
    assert _fts_hits(ben, BEN_WORDS) == ben_hits


def test_a_solo_practice_goes_with_its_only_member_and_nobody_else_loses_anything(ana, cara):
    solo = make_user("sol")  # gets a solo practice of their own
    practice_pk = solo.memberships.get().practice_id
    make_reflection(make_session(make_client(solo)), gave_me="Solo words.")
    erase_account(solo)
    assert not Practice.objects.filter(pk=practice_pk).exists()
    assert Practice.objects.filter(name__in=["North clinic", "South clinic"]).count() == 2
    assert User.objects.filter(username__in=["ana", "cara"]).count() == 2


def test_the_page_needs_the_password_and_the_username(client, ana, ben, ana_reflection):
    client.force_login(ana)
    page = client.get("/accounts/delete/")
    assert (
        page.status_code == 200 and b"Download all my data first" in page.content and b"Reflections: 1" in page.content
    )
    wrong_password = client.post("/accounts/delete/", {"password": "guess", "username": "ana"})
    assert wrong_password.status_code == 400 and b"That is not your password." in wrong_password.content
    wrong_name = client.post("/accounts/delete/", {"password": PASSWORD, "username": "ben"})
    assert wrong_name.status_code == 400 and b"Type your username, ana, exactly" in wrong_name.content
    assert User.objects.filter(username="ana").exists()
    done = client.post("/accounts/delete/", {"password": PASSWORD, "username": "ana"})
    assert done.status_code == 200 and b"Your account is deleted" in done.content
    assert not User.objects.filter(username="ana").exists() and User.objects.filter(username="ben").exists()
    assert client.get("/accounts/settings/").status_code == 302  # signed out


def test_wrong_passwords_on_the_page_count_with_failed_sign_ins(client, ana):
    client.force_login(ana)
    answers = [client.post("/accounts/delete/", {"password": f"guess {n}", "username": "ana"}) for n in range(6)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 400, 429]
    assert "Too many failed" in answers[-1].content.decode() and answers[-1]["Retry-After"]
    locked = client.post("/accounts/delete/", {"password": PASSWORD, "username": "ana"})
    assert locked.status_code == 429 and User.objects.filter(username="ana").exists()


def test_the_command_refuses_without_yes_and_erases_with_it(ana, ana_reflection):
    with pytest.raises(CommandError, match="Add --yes"):
        call_command("erase", "--user", "ana")
    assert User.objects.filter(username="ana").exists()
    with pytest.raises(CommandError, match="no user called"):
        call_command("erase", "--user", "nobody", "--yes")
    out = StringIO()
    call_command("erase", "--user", "ana", "--yes", stdout=out)
    assert "Deleted the account ana" in out.getvalue() and "therapy.Reflection 1" in out.getvalue()
    assert not User.objects.filter(username="ana").exists()


def test_nothing_of_an_erased_account_lingers_in_the_sqlite_file_or_its_wal(tmp_path):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the file-level check is SQLite's; PostgreSQL reclaims deleted rows at VACUUM")
    env = app_env(tmp_path)
    assert run_cli(["migrate", "--no-input", "-v", "0"], env).returncode == 0
    write = (
        "from reciprocity.recall import terms; from reciprocity.recall.models import Document; "
        "from tests.builders import make_user, make_client, make_session, make_reflection; "
        "tess = make_user('tess'); "
        f"make_reflection(make_session(make_client(tess, 'T-0001')), gave_me={ANA_WORDS!r}); "
        "assert Document.objects.filter(owner=tess).exists(); "
        f"print('TERMS', terms.index_terms({ANA_WORDS!r}), 'TOKEN', tess.pk)"
    )
    written = run_cli(["shell", "-c", write], env)
    assert written.returncode == 0, written.stderr
    line = next(x for x in written.stdout.splitlines() if x.startswith("TERMS"))
    hashed = line.split()[1 : line.split().index("TOKEN")]
    files = [tmp_path / "reciprocity.sqlite3", tmp_path / "reciprocity.sqlite3-wal"]

    def stored():
        return b"".join(f.read_bytes() for f in files if f.exists())

    assert all(term.encode() in stored() for term in hashed) and b"T-0001" in stored()
    # The app keeps its connections open, so closing the erasing one does not checkpoint the WAL: this one
    # stands for them. (This SQLite build overwrites deleted cells by default; erasure asks for it anyway.)
    reader = sqlite3.connect(files[0])
    try:
        reader.execute("SELECT count(*) FROM practice_user").fetchone()
        erased = run_cli(["erase", "--user", "tess", "--yes"], env)
        assert erased.returncode == 0, erased.stderr
        left = [term for term in hashed if term.encode() in stored()]
        assert not left and b"T-0001" not in stored() and b"tess" not in stored()
    finally:
        reader.close()


def test_work_queued_for_the_account_goes_with_it_even_what_the_deletion_itself_queues(settings, ana, ben):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    reflection = make_reflection(make_session(make_client(ana)), gave_me=ANA_WORDS)
    ben_reflection = make_reflection(make_session(make_client(ben)), gave_me=BEN_WORDS)
    queued = [call["args"] for call in DBTaskResult.objects.values_list("args_kwargs", flat=True)]
    assert [ana.pk, [["reflection", reflection.pk]]] in queued
    assert [ben.pk, [["reflection", ben_reflection.pk]]] in queued

    counts = erase_account(ana)

    left = [call["args"] for call in DBTaskResult.objects.values_list("args_kwargs", flat=True)]
    assert left == [[ben.pk, [["reflection", ben_reflection.pk]]]]
    assert counts.tasks == 2  # the one queued before, and the one her deletion queued


def test_an_account_whose_text_no_longer_opens_is_still_erased_and_nothing_is_decrypted(ana, ben):
    """A lost key must not keep a person's data forever: the rows go without their text being opened."""
    kept = make_reflection(make_session(make_client(ben)), gave_me="Ben's own words.")
    reflection = make_reflection(make_session(make_client(ana)), gave_me="Words under a key since lost.")
    record_administration(therapist=ana, instrument=registry.get("who5"), source=Source.SELF, note="Tired.",
                          answers={item.id: 3 for item in registry.get("who5").items})  # fmt: skip
    lost = Value("enc1:0ddba11:" + "A" * 40, models.TextField())  # stored as given: a key nobody holds
    type(reflection).objects.filter(pk=reflection.pk).update(gave_me=lost, carry_home=lost)
    with pytest.raises(DecryptionError):
        type(reflection).objects.get(pk=reflection.pk)
    counts = erase_account(ana)
    assert counts.rows["therapy.Reflection"] == 1 and counts.rows["measures.Administration"] == 1
    assert not User.objects.filter(username="ana").exists()
    assert type(kept).objects.get(pk=kept.pk).gave_me == "Ben's own words."  # read as ever once it is done
