import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reciprocity.clients.models import Client
from reciprocity.imports.reading import ReadError, read_table
from reciprocity.imports.sessions import MappingError, apply_plan, plan_import
from reciprocity.therapy.models import Reflection, Session

MAP = {"Client": "client", "When": "starts_at", "Load": "emotional_load", "Methods": "techniques"}
GOOD = (
    "Client,When,Load,Methods\n"
    "N-0101,2026-03-02 09:00,5,CBT;EMDR\nN-0101,2026-03-09 09:00,6,\nN-0102,2026-03-03 14:00,,ACT\n"
)


def plan_of(ana, text, mapping=MAP, **kwargs):
    return plan_import(ana, read_table(text.encode(kwargs.pop("encoding", "utf-8"))), mapping, **kwargs)


def test_a_clean_file_plans_and_imports_all_or_nothing(ana):
    plan = plan_of(ana, GOOD)
    assert (len(plan.sessions), len(plan.new_clients), plan.problems) == (3, 2, [])
    assert not Session.objects.exists()  # planning writes nothing
    counts = apply_plan(ana, plan)
    assert counts == {"clients": 2, "sessions": 3, "reflections": 0}
    first = Session.objects.get(client__code="N-0101", emotional_load=5)
    assert {t.name for t in first.techniques.all()} == {"CBT", "EMDR"}
    # Ana works in Lisbon: 09:00 on 2 March (WET, UTC+0) is 09:00 UTC.
    assert first.starts_at == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    assert Client.objects.get(code="N-0101").started_on == datetime.date(2026, 3, 2)


def test_importing_the_same_file_again_creates_nothing(ana):
    apply_plan(ana, plan_of(ana, GOOD))
    again = plan_of(ana, GOOD)
    assert (len(again.sessions), again.already_there) == (0, 3)
    assert Session.objects.count() == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Client,When,Load,Methods\nMaria,2026-03-02 09:00,5,\n", "at least one digit"),
        ("Client,When,Load,Methods\nN-1,2026-03-02 09:00,11,\n", "emotional_load 11 is not between 0 and 10"),
        ("Client,When,Load,Methods\nN-1,2026-03-02 09:00,lots,\n", "is not a whole number"),
        ("Client,When,Load,Methods\nN-1,2026-03-02 09:00,5,Hypnosis\n", "technique Hypnosis is not in your list"),
        (
            "Client,When,Load,Methods\nN-1,2026-03-02 09:00,5,\nN-1,2026-03-02 09:00,6,\n",
            "the same client and time as line 2",
        ),
    ],
)
def test_problem_rows_are_listed_with_their_reason_and_nothing_is_imported(ana, text, reason):
    plan = plan_of(ana, text)
    assert any(reason in why for _, why in plan.problems), plan.problems
    with pytest.raises(ValueError, match="nothing was imported"):
        apply_plan(ana, plan)
    assert not Session.objects.exists()


def test_ambiguous_dates_are_asked_for_never_guessed(ana):
    text = "Client,When\nN-1,03/04/2026 09:00\nN-1,05/06/2026 10:00\n"
    with pytest.raises(ReadError, match=r"could be read as %d/%m/%Y %H:%M .* or %m/%d/%Y %H:%M"):
        plan_of(ana, text, mapping={"Client": "client", "When": "starts_at"})
    plan = plan_of(ana, text, mapping={"Client": "client", "When": "starts_at"}, date_format="%d/%m/%Y %H:%M")
    assert plan.sessions[0]["starts_at"].month == 4


def test_encodings_and_delimiters_are_detected(ana):
    text = "Client;When;Notiz\nN-1;2026-03-02 09:00;Müller-Lyer\n"
    latin = read_table(text.encode("latin-1"))
    assert (latin.encoding, latin.delimiter, latin.rows[0][2]) == ("latin-1", ";", "Müller-Lyer")
    bom = read_table(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert (bom.encoding, bom.header[0]) == ("utf-8-sig", "Client")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (b"a,b\n1,2,3\n", "Line 2 has 3 cells; the header has 2."),
        (b'a,b\n"1,2\n', "not well-formed CSV"),
        (b"a,a\n1,2\n", "no name may appear twice"),
        (b"abc\n1\n", "The column separator is not clear"),
    ],
)
def test_malformed_files_are_explained(raw, message):
    with pytest.raises(ReadError, match=message):
        read_table(raw)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"Client": "client"}, "Choose the column for starts_at"),
        ({"Client": "client", "When": "starts_at", "Nope": "emotional_load"}, "no column Nope"),
        ({"Client": "client", "When": "starts_at", "Load": "mood"}, "Unknown field mood"),
        ({"Client": "client", "When": "client"}, "Only one column can go to client"),
    ],
)
def test_a_mapping_that_cannot_work_is_refused(ana, mapping, message):
    with pytest.raises(MappingError, match=message):
        plan_of(ana, GOOD, mapping=mapping)


def test_reflections_come_in_with_their_sessions(ana):
    keys = "empathy,communication,reflection,fulfillment,resilience,destigmatizing,boundaries"
    text = f"Client,When,{keys},gave\nN-1,2026-03-02 09:00,4,3,2,1,0,1,2,Patience\n"
    mapping = {"Client": "client", "When": "starts_at", "gave": "gave_me"} | {k: k for k in keys.split(",")}
    apply_plan(ana, plan_of(ana, text, mapping=mapping))
    reflection = Reflection.objects.get()
    assert reflection.empathy == 4 and reflection.gave_me == "Patience" and reflection.author == ana


def test_reflection_text_without_ratings_is_a_problem_row_and_nothing_is_imported(tmp_path, ana):
    path = tmp_path / "s.csv"
    path.write_text(
        "code,when,minutes,gave,carry\n"
        "C-1,2026-01-05 10:00,50,,\n"
        "C-1,2026-01-12 10:00,50,It gave me courage,Take the evening off\n"
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 problem rows: nothing was imported") as error:
        call_command("import", "sessions", str(path), "--user", "ana", "--map", "code=client", "when=starts_at",
                     "minutes=duration_minutes", "gave=gave_me", "carry=carry_home", stdout=out)  # fmt: skip
    assert error.value.returncode == 2
    assert "line 3: reflection text (gave_me, carry_home) needs all seven ratings" in out.getvalue()
    assert not Session.objects.exists() and not Reflection.objects.exists() and not Client.objects.exists()


def test_the_command_imports_with_a_dry_run_first(tmp_path, ana):
    path = tmp_path / "sessions.csv"
    path.write_text(GOOD)
    out = StringIO()
    args = ["import", "sessions", str(path), "--user", "ana", "--map", "Client=client", "When=starts_at",
            "Load=emotional_load", "Methods=techniques"]  # fmt: skip
    call_command(*args, "--dry-run", stdout=out)
    assert "3 new sessions" in out.getvalue() and "Dry run" in out.getvalue() and not Session.objects.exists()
    call_command(*args, stdout=StringIO())
    assert Session.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (GOOD, ["--map", "Client=client"], "Choose the column for starts_at"),
        ("Client,When\nMaria,2026-03-02 09:00\n", ["--map", "Client=client", "When=starts_at"], "1 problem rows"),
        (GOOD, ["--map", "Client"], "is not column=field"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_code_2(tmp_path, ana, content, extra, message):
    path = tmp_path / "s.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message) as error:
        call_command("import", "sessions", str(path), "--user", "ana", *extra, stdout=StringIO())
    assert error.value.returncode == 2 and not Session.objects.exists()


def test_a_large_file_imports_in_one_go(ana):
    start = datetime.datetime(2024, 1, 1, 8, 0)
    lines = [
        f"L-{n % 500 + 1:04d},{start + datetime.timedelta(hours=n):%Y-%m-%d %H:%M},{n % 11}," for n in range(20_000)
    ]
    plan = plan_of(ana, "Client,When,Load,Methods\n" + "\n".join(lines) + "\n")
    assert plan.problems == [] and len(plan.new_clients) == 500
    assert apply_plan(ana, plan)["sessions"] == 20_000
    assert Session.objects.owned_by(ana).count() == 20_000


def test_the_wrong_encoding_asked_for_is_explained(ana):
    with pytest.raises(ReadError, match="cannot be read as utf-8"):
        read_table("Client,When\nN-1,2026-03-02 09:00 Müller\n".encode("latin-1"), encoding="utf-8")


def test_one_bad_row_in_100_000_keeps_the_whole_file_out(ana):
    start = datetime.datetime(2014, 1, 1, 8, 0)
    lines = [f"H-{n % 800 + 1:04d},{start + datetime.timedelta(hours=n):%Y-%m-%d %H:%M},3," for n in range(99_999)]
    lines.append("H-0001,2026-03-02 09:00,12,")
    plan = plan_of(ana, "Client,When,Load,Methods\n" + "\n".join(lines) + "\n")
    assert plan.problems == [(100_001, "emotional_load 12 is not between 0 and 10")]
    assert len(plan.sessions) == 99_999
    with pytest.raises(ValueError, match="nothing was imported"):
        apply_plan(ana, plan)
    assert not Session.objects.exists() and not Client.objects.filter(code__startswith="H-").exists()
