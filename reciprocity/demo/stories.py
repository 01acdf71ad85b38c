"""What each demo therapist's client work taught them, in their own words: repertoire items with the
times they tried them on themselves, a few reflections written by hand, and notes beside check-ins.

These are the entries the recall evaluation (reciprocity/recall/tests/evaluation.py) asks for.
"""

from dataclasses import dataclass

from reciprocity.repertoire.models import Origin
from reciprocity.therapy.models import Occasion


@dataclass(frozen=True)
class Try:
    days_ago: int
    situation: str
    helped: int
    note: str = ""


@dataclass(frozen=True)
class Lesson:
    title: str
    description: str
    origin: str
    dimensions: tuple[str, ...]
    tags: tuple[str, ...]
    tries: tuple[Try, ...] = ()


@dataclass(frozen=True)
class Moment:
    days_ago: int
    occasion: str
    gave_me: str
    carry_home: str = ""


@dataclass(frozen=True)
class Story:
    lessons: tuple[Lesson, ...]
    moments: tuple[Moment, ...]
    checkin_notes: tuple[tuple[int, str], ...]  # (weeks ago, note)


ROBIN = Story(
    lessons=(
        Lesson(
            "The flash-forward works on my own health anxiety",
            "A client with health anxiety kept checking her body for signs of illness. We used the flash-forward: "
            "picture the feared moment, then keep the film running past it — a year on, five years on. She saw "
            "herself still living. Weeks later I was the one lying awake over a lump and the waiting for a scan. "
            "I ran the film forward the way I had taught her, and the panic loosened. My own health anxiety "
            "answers to the same technique.",
            Origin.SESSION,
            ("resilience", "empathy"),
            ("health anxiety", "flash-forward", "worry"),
            (
                Try(
                    150,
                    "Waiting two weeks for scan results; awake at 3 am imagining the worst.",
                    5,
                    "Ran the film past the results, past the treatment, to a summer walk. Slept after.",
                ),
                Try(
                    60,
                    "A headache that would not go and I started googling symptoms.",
                    4,
                    "Caught it early this time. Stopped searching after ten minutes.",
                ),
            ),
        ),
        Lesson(
            "Scheduled worry time",
            "Clients who ruminate all day do better when worry gets a fixed appointment: twenty minutes at 6 pm, "
            "written down, then closed. Outside that slot a worry is noted and postponed.",
            Origin.TRAINING,
            ("resilience", "boundaries"),
            ("worry", "rumination"),
            (
                Try(
                    200,
                    "Churning over a client's risk all evening during the hard stretch.",
                    2,
                    "Too raw then; the worry did not wait for its slot.",
                ),
                Try(40, "Mind racing about the practice finances before bed.", 4),
            ),
        ),
        Lesson(
            "Going back to my own therapy",
            "Listening to a client describe how ashamed he felt to need help, I heard my own excuses for stopping "
            "personal therapy. If I can normalise asking for help in the room, I can do it for myself.",
            Origin.SESSION,
            ("destigmatizing", "reflection"),
            ("own therapy", "shame", "help-seeking"),
            (
                Try(
                    180,
                    "Booked a first session with a therapist of my own after months of putting it off.",
                    5,
                    "Nervous, then relieved. Felt like practising what I preach.",
                ),
            ),
        ),
        Lesson(
            "Behavioural activation when everything feels flat",
            "With low-mood clients we schedule small pleasant and meaningful activities before motivation "
            "arrives. Action first, feeling later.",
            Origin.CLIENT_WORK,
            ("resilience",),
            ("low mood", "motivation"),
            (
                Try(
                    170,
                    "Weekends spent on the sofa, no energy for anything during the worst months.",
                    4,
                    "A short run on Saturday morning, then coffee with a friend. Mood lifted by evening.",
                ),
                Try(90, "A grey Sunday after a heavy week.", 3),
            ),
        ),
        Lesson(
            "Sleep hygiene is not a luxury",
            "Teaching a client with insomnia to keep a fixed wake time and get out of bed when awake made me "
            "notice I do none of it. Screens off, same time up, bed only for sleep.",
            Origin.CLIENT_WORK,
            ("boundaries", "resilience"),
            ("sleep", "insomnia"),
        ),
        Lesson(
            "Grief comes in waves, not stages",
            "Supervision on a bereaved client: the waves model, not stages to be completed. It changed how I "
            "think about my own father's death — I do not have to be 'over it'.",
            Origin.SUPERVISION,
            ("empathy", "reflection"),
            ("grief", "loss"),
        ),
    ),
    moments=(
        Moment(
            150,
            Occasion.OTHER,
            "At 3 am, waiting for scan results, I used the flash-forward on myself — the very exercise I did "
            "with my health-anxious client last month. It worked on me too. The dread eased and I slept.",
            "Trust the tools I teach; they are mine as well.",
        ),
        Moment(
            230,
            Occasion.HARD_DAY,
            "Completely drained today. Three risk assessments back to back and I cried in the car park. I "
            "have been running on empty for weeks and I am frightened I am burning out.",
            "Tell my supervisor how bad it has got.",
        ),
        Moment(
            120,
            Occasion.SUPERVISION,
            "Told my supervisor about the months of exhaustion. She did not judge; she asked what I need. We "
            "cut my caseload by three clients for the summer.",
            "Asking for help is part of the job, not a failure at it.",
        ),
        Moment(
            30,
            Occasion.OTHER,
            "A client's first good week in months, and I noticed I was genuinely glad rather than just "
            "relieved. The joy in the work is coming back.",
            "Notice the good sessions as carefully as the hard ones.",
        ),
    ),
    checkin_notes=(
        (34, "Exhausted. Dreading Monday already on Saturday. Work follows me home every night."),
        (30, "Can't switch off in the evenings; lying awake replaying sessions."),
        (22, "A health scare this month and waiting for results. Anxious about my body all the time."),
        (20, "Results were clear. Slept properly for the first time in weeks."),
        (12, "Back in my own therapy. Lighter than I have felt all year."),
        (4, "Good balance lately: running twice a week and leaving work at work."),
    ),
)

SAM = Story(
    lessons=(
        Lesson(
            "A shut-down ritual at the end of the working day",
            "A client with burnout closes her laptop, writes tomorrow's three tasks and says 'done for today' out "
            "loud. It marks the border between work and home. I should have one too — I answer emails until "
            "late in the evening.",
            Origin.SESSION,
            ("boundaries",),
            ("evenings", "overwork", "email"),
            (
                Try(
                    100,
                    "Answering emails at 10 pm again; tried closing the laptop with the three-task list.",
                    3,
                    "Worked for two evenings, then the inbox pulled me back.",
                ),
                Try(
                    20,
                    "Laptop open on the sofa every night this week.",
                    1,
                    "Could not do it. Too much backlog to stop.",
                ),
            ),
        ),
        Lesson(
            "Grounding with the five senses",
            "For clients who dissociate or panic: name five things you see, four you hear, three you can touch. "
            "It brings attention back into the room and the body.",
            Origin.TRAINING,
            ("resilience",),
            ("panic", "grounding"),
            (
                Try(
                    80,
                    "Heart pounding before a difficult session with a client who had made threats.",
                    4,
                    "Steadier within a minute.",
                ),
            ),
        ),
        Lesson(
            "Compassion fatigue is a warning, not a weakness",
            "Reading on secondary traumatic stress: numbness, irritability and dread before sessions are signs of "
            "compassion fatigue. They call for rest and support, not for trying harder.",
            Origin.READING,
            ("destigmatizing", "reflection"),
            ("compassion fatigue", "burnout", "trauma"),
        ),
        Lesson(
            "Saying no without a long justification",
            "Assertiveness work with a people-pleasing client: a short, kind no, without three paragraphs of "
            "reasons. I take on every extra referral my manager offers.",
            Origin.SESSION,
            ("boundaries", "communication"),
            ("saying no", "workload"),
            (
                Try(
                    45,
                    "Asked to take two more clients when my list is already full.",
                    2,
                    "Said yes to one. Better than two.",
                ),
            ),
        ),
        Lesson(
            "Protect the lunch break",
            "Clients are told to eat, move and rest during the day. I skip lunch to write notes and then run on "
            "coffee until seven.",
            Origin.CLIENT_WORK,
            ("boundaries",),
            ("lunch", "self-care"),
        ),
    ),
    moments=(
        Moment(
            25,
            Occasion.HARD_DAY,
            "I snapped at my partner over nothing tonight. I have no patience left at home after a day of "
            "other people's pain. This is not who I want to be.",
            "Talk to my partner at the weekend, calmly, about how stretched I am.",
        ),
        Moment(
            12,
            Occasion.HARD_DAY,
            "Sat in the car for twenty minutes before going in this morning. I dread the trauma sessions now "
            "and feel numb during them.",
            "Book supervision about the trauma caseload this week.",
        ),
        Moment(
            200,
            Occasion.TRAINING,
            "A day on motivational interviewing. Rolling with resistance felt fresh and I came home full of "
            "ideas for my stuck clients.",
            "Try reflective listening before advice, at work and at home.",
        ),
    ),
    checkin_notes=(
        (40, "Busy but fine. Enjoying the work."),
        (16, "Working most evenings now; the waiting list keeps growing."),
        (8, "Feel numb in sessions and irritable at home. Weekend went on catching up with notes."),
        (2, "Exhausted, sleeping badly, dreading the week ahead. I think I am burning out."),
    ),
)

ALEX = Story(
    lessons=(
        Lesson(
            "Good enough is good enough",
            "A perfectionist client rewrote every email five times. We experimented with sending the second "
            "draft. Watching her relief, I saw how long I spend polishing reports nobody reads twice.",
            Origin.SESSION,
            ("resilience", "reflection"),
            ("perfectionism",),
            (
                Try(
                    70,
                    "Writing an assessment report and redrafting it for the third time.",
                    4,
                    "Sent it after two drafts. Nobody noticed anything missing.",
                ),
            ),
        ),
        Lesson(
            "Reflective listening with my teenager",
            "In sessions I reflect feelings before offering solutions. At home with my son I jump straight to "
            "advice. Trying the session habit at the dinner table.",
            Origin.CLIENT_WORK,
            ("communication", "empathy"),
            ("family", "listening"),
            (
                Try(
                    110,
                    "My son came home upset about a falling-out with friends.",
                    5,
                    "Just reflected back what he said. He kept talking for half an hour.",
                ),
                Try(15, "An argument about screen time.", 3),
            ),
        ),
        Lesson(
            "Values before goals",
            "ACT values work with a client stuck in a job he hated: what do you want your days to stand for? "
            "The same questions helped me decide to keep Fridays for writing and family.",
            Origin.TRAINING,
            ("fulfillment", "boundaries"),
            ("values", "ACT"),
            (
                Try(
                    140,
                    "Deciding whether to take on a management role at the practice.",
                    5,
                    "Said no. Kept clinical work and Fridays free.",
                ),
            ),
        ),
        Lesson(
            "Self-compassion after a mistake",
            "Compassion-focused work with a client who berates herself: speak to yourself as to a good friend. "
            "I used it after I double-booked a client and felt awful.",
            Origin.SESSION,
            ("resilience", "destigmatizing"),
            ("self-compassion", "mistakes", "shame"),
            (
                Try(
                    55,
                    "Double-booked two clients and kept one waiting for forty minutes.",
                    4,
                    "Apologised, then talked to myself kindly instead of replaying it all night.",
                ),
            ),
        ),
        Lesson(
            "Celebrating small wins in the room",
            "Noticing a client's small steps out loud builds their confidence — and reminds me why I do this.",
            Origin.CLIENT_WORK,
            ("fulfillment",),
            ("meaning", "motivation"),
        ),
    ),
    moments=(
        Moment(
            95,
            Occasion.OTHER,
            "My father's anniversary. Sitting with a grieving client this week let me feel my own grief without "
            "hurrying it. I visited his grave and did not feel guilty for crying.",
            "Grief needs room; give it some this month.",
        ),
        Moment(
            20,
            Occasion.SUPERVISION,
            "Peer consultation on a couple in crisis. Hearing three colleagues disagree kindly helped me trust "
            "my own clinical judgement.",
            "Bring uncertain cases to the group earlier.",
        ),
    ),
    checkin_notes=(
        (30, "Steady. Fridays off are making a real difference."),
        (14, "Felt proud of a client's progress this week; the work feels meaningful."),
        (3, "Well rested after the holiday and glad to be back with my clients."),
    ),
)

STORIES: dict[str, Story] = {"robin": ROBIN, "sam": SAM, "alex": ALEX}
