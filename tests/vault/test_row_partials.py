"""The vault's and Today's rows are Jinja2 partials (config/jinja.py): escaped like the
Django pages around them, and a name the partial does not get is an error, not a blank."""

import pytest
from django.template import engines
from django.urls import reverse
from jinja2 import UndefinedError

from tests.factories import InsuredFactory, LossRunRequestFactory

pytestmark = pytest.mark.django_db

NASTY = "<script>alert(1)</script> O'Brien & Sons"


def test_the_vault_rows_escape_what_agents_typed(owner_client, agency):
    insured = InsuredFactory(agency=agency, legal_name=NASTY, dba="<i>dba</i>")
    req = LossRunRequestFactory(agency=agency, insured=insured)
    html = owner_client.get(reverse("vault:list")).content.decode()
    assert "<script>alert(1)" not in html and "<i>dba</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; Sons" in html
    assert f'<tr id="req-{req.pk}" class="vault-row">' in html
    assert f'href="{reverse("vault:request_edit", args=[req.pk])}"' in html


def test_today_rows_escape_what_agents_typed(owner_client, agency):
    insured = InsuredFactory(agency=agency, legal_name=NASTY)
    LossRunRequestFactory(agency=agency, insured=insured)
    html = owner_client.get(reverse("vault:today")).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; Sons" in html


def test_a_missing_name_is_an_error_not_a_blank():
    with pytest.raises(UndefinedError):
        engines["jinja2"].from_string("{{ row.req }}").render({})
