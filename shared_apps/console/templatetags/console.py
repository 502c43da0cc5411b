from __future__ import annotations

from django import template
from django.template.defaultfilters import filesizeformat

register = template.Library()


@register.filter
def bytes_or_dash(value: int | None) -> str:
    """`1.2 MB`, or an em dash when the size is unknown."""
    return "—" if value is None else str(filesizeformat(value))
