"""`{{ req|years_text }}`: a request's years of loss history as the letters print them."""

from django import template

from vault.models import LossRunRequest
from vault.rules import request_years_text

register = template.Library()


@register.filter
def years_text(request: LossRunRequest) -> str:
    return request_years_text(request)
