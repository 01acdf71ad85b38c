import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.calendars.planning import SKIP, Title
from reciprocity.calendars.reading import MAX_BYTES, MAX_WINDOW_DAYS
from reciprocity.clients.codes import normalise_code, validate_client_code
from reciprocity.lib.forms import date_field

WEEKS_BACK = 8  # the window a first import offers: the last two months, up to today


class CalendarForm(forms.Form):
    """A calendar file or a calendar's address, and the days whose events become sessions."""

    file = forms.FileField(label=_("Calendar file (.ics)"), required=False)
    url = forms.CharField(
        label=_("…or the calendar's secret address"),
        required=False,
        max_length=2000,
        help_text=_(
            "The read-only (iCal) address your calendar app gives; Reciprocity fetches it once and does not keep it."
        ),
    )
    since = date_field(_("From"))
    until = date_field(
        _("Until"),
        help_text=_("Today, unless you want sessions that have not happened yet too (they show as upcoming)."),
    )

    def __init__(self, *args: object, today: datetime.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["since"].initial = today - datetime.timedelta(weeks=WEEKS_BACK)
        self.fields["until"].initial = today

    def clean_file(self) -> bytes | None:
        upload = self.cleaned_data["file"]
        if upload is None:
            return None
        if upload.size > MAX_BYTES:
            raise ValidationError(
                gettext("The file is larger than {mb} MB; export a shorter period.").format(mb=MAX_BYTES // 2**20)
            )
        return upload.read()

    def clean(self) -> dict:
        data = super().clean() or {}
        has_file, has_url = bool(data.get("file")), bool((data.get("url") or "").strip())
        if has_file == has_url and not self.errors.get("file"):
            raise ValidationError(gettext("Choose a calendar file, or give the calendar's address (one of the two)."))
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", gettext("The window ends before it starts."))
        elif since and until and (until - since).days >= MAX_WINDOW_DAYS:
            self.add_error(
                "since",
                gettext("Choose at most {days} days; import a longer past in parts.").format(days=MAX_WINDOW_DAYS),
            )
        return data


def read_choices(post: QueryDict, titles: list[Title], own_codes: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The mapping page's answer: title fingerprint -> client code or SKIP, and problems by fingerprint.

    Each row has a choice (not mapped, skip, or one of the therapist's codes) and a box for a new code, which
    wins when it is filled in; a new code follows the rules of every client code.
    """
    choices, problems = {}, {}
    for index, title in enumerate(titles):
        typed = normalise_code(post.get(f"new-{index}", ""))
        picked = post.get(f"choice-{index}", "")
        if typed:
            try:
                validate_client_code(typed)
            except ValidationError as error:
                problems[title.digest] = " ".join(error.messages)
                continue
            choices[title.digest] = typed
        elif picked == SKIP or picked in own_codes:
            choices[title.digest] = picked
        elif picked:
            problems[title.digest] = gettext("Choose one of your client codes, or type a new one.")
    return choices, problems
