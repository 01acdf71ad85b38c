from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """Look a key up in a dict from a template (scale scores by scale id)."""
    return mapping.get(key, {}) if isinstance(mapping, dict) else {}
