"""Shared things by name, in the page's language: {{ share|share_title }}, {{ kind|kind_label }}, and the kind
of a detail the PII guard found, {{ finding.kind|pii_label }}."""

from django import template

from reciprocity.sharing.display import kind_label, pii_label, share_title

register = template.Library()
register.filter("share_title", share_title)
register.filter("kind_label", kind_label)
register.filter("pii_label", pii_label)
