"""Sections that apps above practice add to the settings page, so practice never imports them.

An app registers a panel in its `AppConfig.ready()`; the page shows each panel's HTML below the profile,
in the order the apps were installed. A panel returns "" when it has nothing to show this person.
"""

from collections.abc import Callable

from django.http import HttpRequest

SettingsPanel = Callable[[HttpRequest], str]

_panels: list[SettingsPanel] = []


def add_settings_panel(panel: SettingsPanel) -> None:
    """Show `panel`'s HTML on the settings page (registering the same panel twice shows it once)."""
    if panel not in _panels:
        _panels.append(panel)


def settings_panels(request: HttpRequest) -> list[str]:
    """Every registered panel's HTML for the signed-in person, leaving out the empty ones.

    A panel renders a template (a SafeString); anything else it returns is escaped on the page.
    """
    return [html for panel in _panels if (html := panel(request))]
