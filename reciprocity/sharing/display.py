"""How shared things are named to a person, in the language active when they are shown (stored values stay as
they are)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.sharing import pii
from reciprocity.sharing.models import Kind, Share

SHARE_KINDS = {
    Kind.REFLECTION: _("A reflection"),
    Kind.WELLBEING: _("My well-being trend"),
    Kind.FLYWHEEL: _("My flywheel summary"),
}
SUMMARY_TITLES = {Kind.WELLBEING: _("Well-being trend"), Kind.FLYWHEEL: _("Flywheel summary")}


def kind_label(kind: str) -> str:
    """What is shared, as the therapist chooses it ("My well-being trend")."""
    return str(SHARE_KINDS.get(kind, kind))


def share_title(share: Share) -> str:
    """A shared item's title: "Reflection of 03 Oct 2026", or the summary's name."""
    if share.kind == Kind.REFLECTION:
        day = date_format(timezone.localtime(share.reflection.occurred_at), "d M Y")
        return gettext("Reflection of {day}").format(day=day)
    return str(SUMMARY_TITLES.get(share.kind, share.kind))


def pii_label(kind: str) -> str:
    """What kind of detail the PII guard found ("a personal name")."""
    return str(pii.KIND_LABELS.get(kind, kind))
