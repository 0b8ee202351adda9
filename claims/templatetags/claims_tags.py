"""Money and ratio formatting for claims pages and the PDF."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """1234.5 -> '$1,234.50'; negative in parentheses; None -> 'n/a'."""
    if value is None or value == "":
        return "n/a"
    amount = Decimal(value)
    text = f"${abs(amount):,.2f}"
    return f"({text})" if amount < 0 else text


@register.filter
def pct(value) -> str:
    return "n/a" if value is None else f"{value}%"


@register.filter
def num(value) -> str:
    return "n/a" if value is None else f"{value:,}"
