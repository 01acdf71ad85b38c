"""Figures as a reader writes them, in the language of the page that shows them ("2.5" in English, "2,5" in
Spanish and German), and words put together only when they are shown.

The analyses keep numbers and codes; the sentences about them are built when a page, a report or an e-mail
reads them, under that reader's language, so nothing remembered or stored holds words of one language.
The numbers themselves are written by reciprocity.lib.numbers.
"""

from django.utils.translation import gettext


def and_list(items: list[str]) -> str:
    """ "PHQ-9 and GAD-7": each further item joined with the reader's "and"."""
    joined = items[0] if items else ""
    for item in items[1:]:
        joined = gettext("%(first)s and %(second)s") % {"first": joined, "second": item}
    return joined
