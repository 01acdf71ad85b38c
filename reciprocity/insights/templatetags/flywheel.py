from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def table_rows(rows: Iterable[tuple[str, str]]) -> SafeString:
    """A table's rows, one cell per value, each escaped: a stage's year of weekly values written in one go
    rather than cell by cell through the template (four stages, two hundred rows, on every flywheel page)."""
    return format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows)
