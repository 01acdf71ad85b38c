"""The demo practice: three therapists' years (thriving, sliding towards burnout, recovering),
a supervisor and a director, reproducible from a seed and created once."""

import datetime
import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from reciprocity.clients.models import Client, Concern
from reciprocity.demo import arcs, stories, texts
from reciprocity.demo import development as demo_development
from reciprocity.demo import measures as demo_measures
from reciprocity.demo import supervision as demo_supervision
from reciprocity.insights import figures
from reciprocity.measures.models import Administration
from reciprocity.practice.models import Practice, Role, User
from reciprocity.practice.services import create_user
from reciprocity.recall.index import reindex
from reciprocity.repertoire.models import Item, Trial
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Occasion, Reflection, Session, Technique

DEMO_PRACTICE = "Riverside Practice (demo)"
TIME_ZONE = "Europe/London"
WEEKS = 52


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    role: str
    story: str
    arc: Callable[[float], arcs.State] | None = None
    prefix: str = ""


PEOPLE = (
    DemoPerson("alex", "Alex Morgan", Role.THERAPIST, "thriving", arcs.thriving, "A"),
    DemoPerson("sam", "Sam Okafor", Role.THERAPIST, "sliding towards burnout", arcs.sliding, "S"),
    DemoPerson("robin", "Robin Lindqvist", Role.THERAPIST, "recovering after a hard stretch", arcs.recovering, "R"),
    DemoPerson("kim", "Kim Adler", Role.SUPERVISOR, "supervisor"),
    DemoPerson("jo", "Jo Brennan", Role.DIRECTOR, "practice director"),
)

# How each dimension sits against the therapist's mean rating (in rating points).
DIMENSION_OFFSET = {
    "empathy": 0.3, "communication": 0.2, "reflection": 0.1, "fulfillment": 0.0,
    "resilience": -0.2, "destigmatizing": -0.5, "boundaries": -0.1,
}  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    created: bool
    people: tuple[DemoPerson, ...] = PEOPLE
    counts: dict[str, int] = field(default_factory=dict)


def build_demo(
    *,
    password: str,
    seed: int = 7,
    now: datetime.datetime | None = None,
    reset_passwords: bool = False,
    index: bool = True,
) -> DemoResult:
    """Create the demo practice once; when it exists, add nothing (and set the given password if asked).

    `index=False` leaves the entries out of search (tests that do not search save the embedding time).
    """
    now = now or timezone.now()
    with transaction.atomic():
        practice = Practice.objects.filter(name=DEMO_PRACTICE).first()
        if practice is not None:
            if reset_passwords:
                for user in User.objects.filter(username__in=[p.username for p in PEOPLE]):
                    user.set_password(password)
                    user.save(update_fields=["password"])
            return DemoResult(created=False)
        practice = Practice.objects.create(name=DEMO_PRACTICE)
        rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
        sentences = texts.UniqueSentences(rng)
        for person in PEOPLE:
            user = create_user(
                username=person.username,
                password=password,
                role=person.role,
                practice=practice,
                full_name=person.full_name,
                time_zone=TIME_ZONE,
                check_password=False,
            )
            if person.arc is not None:
                # The demo's therapists agreed to be shown by name, so the director's view has figures
                # even though the team is smaller than five.
                user.shows_in_practice_view = True
                user.save(update_fields=["shows_in_practice_view"])
                _Year(user, person, rng, sentences, now).build()
                demo_development.build(user, timezone.localdate(now, user.zone))
        demo_supervision.build(User.objects.get(username="sam"), User.objects.get(username="kim"), now)
        # Written in bulk, which sends no signals: the flywheel's figures are computed once, in this transaction.
        for user_id in User.objects.filter(memberships__practice=practice).values_list("pk", flat=True):
            figures.rebuild(user_id)
    # Entries were written in bulk, which does not index them one by one: index them all once they are
    # committed, so the embedding holds no write transaction open.
    if index:
        reindex(User.objects.filter(memberships__practice=practice).values_list("pk", flat=True))
    counts = {
        "clients": Client.objects.filter(therapist__memberships__practice=practice).count(),
        "sessions": Session.objects.filter(client__therapist__memberships__practice=practice).count(),
        "reflections": Reflection.objects.filter(author__memberships__practice=practice).count(),
        "questionnaires": Administration.objects.filter(therapist__memberships__practice=practice).count(),
    }
    return DemoResult(created=True, counts=counts)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


@dataclass
class _Active:
    client: Client
    sessions_left: int
    techniques: list[Technique]
    last_day: datetime.date | None = None


class _Year:
    """One therapist's year of clients, sessions and reflections, written in a few bulk inserts."""

    def __init__(self, user: User, person: DemoPerson, rng: random.Random, sentences: texts.UniqueSentences,
                 now: datetime.datetime) -> None:  # fmt: skip
        self.user, self.person, self.rng, self.sentences = user, person, rng, sentences
        self.zone = zoneinfo.ZoneInfo(TIME_ZONE)
        self.now = now.astimezone(self.zone)
        self.concerns = list(Concern.objects.owned_by(user))
        self.techniques = list(Technique.objects.owned_by(user))
        self.active: list[_Active] = []
        self.ended: list[_Active] = []
        self.number = 0
        self.sessions: list[tuple[Session, list[Technique], float]] = []
        self.free_reflections: list[Reflection] = []

    def build(self) -> None:
        today = self.now.date()
        this_monday = today - datetime.timedelta(days=today.weekday())
        for week in range(WEEKS):
            monday = this_monday - datetime.timedelta(weeks=WEEKS - 1 - week)
            state = self.person.arc(week / (WEEKS - 1))
            self._staff_caseload(state, monday)
            self._week_of_sessions(state, monday)
            self._other_occasions(state, monday, week)
        self._save()

    def _staff_caseload(self, state: arcs.State, monday: datetime.date) -> None:
        for item in [a for a in self.active if a.sessions_left <= 0]:
            self.active.remove(item)
            self.ended.append(item)
        while len(self.active) < state.sessions_per_week:
            self.number += 1
            client = Client.objects.create(
                therapist=self.user, code=f"{self.person.prefix}-{self.number:04d}", started_on=monday
            )
            client.concerns.set(self.rng.sample(self.concerns, self.rng.choice((1, 1, 2, 2, 3))))
            techniques = self.rng.sample(self.techniques, 2)
            self.active.append(_Active(client, self.rng.randint(6, 40), techniques))

    def _week_of_sessions(self, state: arcs.State, monday: datetime.date) -> None:
        slots = [(day, hour) for day in range(5) for hour in (9, 10, 11, 12, 14, 15, 16, 17, 18)]
        booked = sorted(self.rng.sample(slots, len(self.active)))
        for item, (day, hour) in zip(self.rng.sample(self.active, len(self.active)), booked, strict=True):
            starts = datetime.datetime.combine(monday + datetime.timedelta(days=day), datetime.time(hour), self.zone)
            if starts.date() > self.now.date() or self.rng.random() < 0.08:
                continue  # the rest of this week is not planned yet; and clients sometimes cancel
            item.sessions_left -= 1
            item.last_day = starts.date()
            trauma = self.rng.random() < state.trauma_share
            load = _clamp(self.rng.gauss(state.load + (1.5 if trauma else 0), 1.2), 0, 10)
            has_check = self.rng.random() < 0.6
            session = Session(
                client=item.client,
                starts_at=starts,
                duration_minutes=self.rng.choice((50, 50, 50, 60, 90 if trauma else 50)),
                emotional_load=load if starts <= self.now else None,
                worked_with_trauma=trauma,
                arrival_calm=_clamp(self.rng.gauss(state.calm, 1.2), 0, 10) if has_check else None,
                arrival_tiredness=_clamp(self.rng.gauss(10 - state.calm, 1.2), 0, 10) if has_check else None,
            )
            chosen = item.techniques[: self.rng.choice((1, 2))]
            self.sessions.append((session, chosen, load))

    def _other_occasions(self, state: arcs.State, monday: datetime.date, week: int) -> None:
        occasions = []
        if week % 3 == 1:
            occasions.append(Occasion.SUPERVISION)
        if self.rng.random() < 0.12:
            occasions.append(Occasion.TRAINING)
        if state.load > 6.5 and self.rng.random() < 0.35:
            occasions.append(Occasion.HARD_DAY)
        for occasion in occasions:
            when = datetime.datetime.combine(
                monday + datetime.timedelta(days=self.rng.randint(0, 4)), datetime.time(19, 30), self.zone
            )
            if when >= self.now:
                continue
            lift = {Occasion.SUPERVISION: 0.5, Occasion.TRAINING: 0.3, Occasion.HARD_DAY: -0.9}[occasion]
            reflection = self._reflection(state.rating + lift, state, load=state.load)
            reflection.occasion, reflection.occurred_at = occasion, when
            reflection.gave_me = self.sentences.draw(texts.OCCASION_TEXTS[occasion])
            self.free_reflections.append(reflection)

    def _reflection(self, mean: float, state: arcs.State, *, load: float) -> Reflection:
        reflection = Reflection(author=self.user)
        ratings = {}
        for key in KEYS:
            offset = DIMENSION_OFFSET[key] + (state.boundaries_offset if key == "boundaries" else 0)
            ratings[key] = _clamp(self.rng.gauss(mean + offset - 0.15 * (load - 5), 0.7), 0, 4)
        reflection.set_ratings(ratings)
        if self.rng.random() < 0.4:
            reflection.mood_before = _clamp(self.rng.gauss(state.calm, 1.3), 1, 10)
            reflection.mood_after = _clamp(reflection.mood_before + (mean - 2) * 0.8 + self.rng.gauss(0, 1), 1, 10)
        return reflection

    def _session_reflection(self, session: Session, load: float) -> Reflection | None:
        t = 1 - (self.now - session.starts_at).days / (7 * (WEEKS - 1))
        state = self.person.arc(min(max(t, 0.0), 1.0))
        age_days = (self.now.date() - session.starts_at.date()).days
        chance = 0.0 if age_days == 0 else 0.5 if age_days == 1 else state.reflected_share
        if session.starts_at > self.now or self.rng.random() >= chance:
            return None
        reflection = self._reflection(state.rating, state, load=load)
        reflection.session, reflection.occasion, reflection.occurred_at = (
            session,
            Occasion.SESSION,
            session.starts_at,
        )
        strongest = max(KEYS, key=lambda k: (getattr(reflection, k), self.rng.random()))
        if self.rng.random() < 0.8:
            pool = texts.GAVE_ME[strongest] if reflection.reciprocity_index >= 1.8 else texts.STRAINED
            parts = [self.sentences.draw(pool) for _ in range(self.rng.choice((1, 1, 2)))]
            reflection.gave_me = " ".join(parts)
        if reflection.reciprocity_index >= 1.5 and self.rng.random() < 0.55:
            reflection.carry_home = self.sentences.draw(texts.CARRY_HOME)
        return reflection

    def _save(self) -> None:
        Session.objects.bulk_create([s for s, _, _ in self.sessions], batch_size=500)
        links = [
            Session.techniques.through(session_id=s.pk, technique_id=t.pk)
            for s, chosen, _ in self.sessions
            for t in chosen
        ]
        Session.techniques.through.objects.bulk_create(links, batch_size=1000)
        reflections = [r for s, _, load in self.sessions if (r := self._session_reflection(s, load))]
        # The latest session that has happened always waits for its reflection, so Today offers one to
        # reflect on at any hour the demo is built (before the day's first session as well).
        past = [s for s, _, _ in self.sessions if s.starts_at <= self.now]
        latest = max(past, key=lambda s: s.starts_at) if past else None
        reflections = [r for r in reflections if r.session is not latest]
        Reflection.objects.bulk_create(reflections + self.free_reflections, batch_size=500)
        for item in self.ended:
            item.client.ended_on = item.last_day or item.client.started_on
        Client.objects.bulk_update([i.client for i in self.ended], ["ended_on"])
        self._save_measures()

    def _save_measures(self) -> None:
        by_client: dict[int, list[Session]] = {}
        for session, _, _ in self.sessions:
            if session.starts_at <= self.now:
                by_client.setdefault(session.client_id, []).append(session)
        courses = sorted(by_client.values(), key=lambda s: s[0].starts_at)
        long_courses = [c for c in courses if len(c) >= 12]
        worsening = self.rng.choice(long_courses) if long_courses else None
        active = {item.client.pk for item in self.active}
        flagged = next((c for c in reversed(courses) if c[0].client_id in active and len(c) >= 5), None)
        base = {"thriving": 0.55, "sliding towards burnout": 0.2, "recovering after a hard stretch": 0.45}[
            self.person.story
        ]
        administrations = []
        for course in courses:
            outlook = -0.7 if course is worsening else base + self.rng.gauss(0, 0.15)
            administrations += demo_measures.client_administrations(
                course, self.rng, outlook=outlook, flag_latest=course is flagged and self.person.prefix == "S"
            )
        this_monday = self.now.date() - datetime.timedelta(days=self.now.weekday())
        administrations += demo_measures.own_checkins(
            self.user, self.person.arc, WEEKS, this_monday, self.zone, self.rng, self.now
        )
        Administration.objects.bulk_create(administrations, batch_size=500)
        self._save_story(stories.STORIES.get(self.user.username))

    def _save_story(self, story: stories.Story | None) -> None:
        """The hand-written part of the year: lessons and their tries, a few reflections, check-in notes."""
        if story is None:
            return
        today = self.now.date()
        for lesson in story.lessons:
            item = Item.objects.create(owner=self.user, title=lesson.title, description=lesson.description,
                                       origin=lesson.origin, dimensions=list(lesson.dimensions),
                                       tags=list(lesson.tags))  # fmt: skip
            Trial.objects.bulk_create(
                Trial(item=item, tried_on=today - datetime.timedelta(days=t.days_ago), situation=t.situation,
                      helped=t.helped, note=t.note)
                for t in lesson.tries
            )  # fmt: skip
        moments = []
        for moment in story.moments:
            when = (self.now - datetime.timedelta(days=moment.days_ago)).replace(hour=20, minute=15)
            state = self.person.arc(max(0.0, 1 - moment.days_ago / (7 * (WEEKS - 1))))
            lift = -1.2 if moment.occasion == Occasion.HARD_DAY else 0.4
            reflection = self._reflection(state.rating + lift, state, load=state.load)
            reflection.occasion, reflection.occurred_at = moment.occasion, when
            reflection.gave_me, reflection.carry_home = moment.gave_me, moment.carry_home
            moments.append(reflection)
        Reflection.objects.bulk_create(moments)
        own = list(Administration.objects.filter(therapist=self.user, client__isnull=True))
        for weeks_ago, note in story.checkin_notes:
            target = self.now - datetime.timedelta(weeks=weeks_ago)
            nearest = min((a for a in own if not a.note), key=lambda a: abs(a.completed_at - target))
            nearest.note = note
        Administration.objects.bulk_update(own, ["note"], batch_size=500)
