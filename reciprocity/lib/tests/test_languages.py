from functools import partialmethod

from django.db import models
from django.utils import translation

from reciprocity.lib.languages import choice_label
from reciprocity.therapy.models import Format, Mode, Occasion, Reflection, Session


def test_a_choice_is_labelled_in_the_readers_language_as_django_would_label_it():
    sessions = [Session(format=f, mode=m) for f in Format.values for m in Mode.values]
    reflections = [Reflection(occasion=o) for o in Occasion.values]
    for language in ("en-gb", "de", "es"):
        with translation.override(language):
            for session in sessions:
                for field in ("format", "mode"):
                    ours = getattr(session, f"get_{field}_display")()
                    assert ours == models.Model._get_FIELD_display(session, Session._meta.get_field(field))
            for reflection in reflections:
                django_s = models.Model._get_FIELD_display(reflection, Reflection._meta.get_field("occasion"))
                assert reflection.get_occasion_display() == django_s
    with translation.override("de"):
        assert Session(format="individual").get_format_display() == "Einzel"
    assert choice_label(Format, "not-a-format") == "not-a-format"


def test_the_models_own_labels_replace_djangos_slower_ones():
    # Django adds get_FOO_display only where the class defines none; these are the models' own.
    for model, field in ((Session, "format"), (Session, "mode"), (Reflection, "occasion")):
        assert not isinstance(model.__dict__[f"get_{field}_display"], partialmethod)
