"""Sections that apps above therapy add to a reflection's page, so therapy never imports them.

An app registers a panel in its `AppConfig.ready()`; the page shows each panel's HTML in the order the
apps were installed. A panel returns "" when it has nothing to say about this reflection.
"""

from collections.abc import Callable

from django.http import HttpRequest

from reciprocity.therapy.models import Reflection

ReflectionPanel = Callable[[HttpRequest, Reflection], str]

_panels: list[ReflectionPanel] = []


def add_reflection_panel(panel: ReflectionPanel) -> None:
    """Show `panel`'s HTML on every reflection's page (registering the same panel twice shows it once)."""
    if panel not in _panels:
        _panels.append(panel)


def reflection_panels(request: HttpRequest, reflection: Reflection) -> list[str]:
    """Every registered panel's HTML for this reflection, leaving out the empty ones.

    A panel renders a template (a SafeString); anything else it returns is escaped on the page.
    """
    return [html for panel in _panels if (html := panel(request, reflection))]
