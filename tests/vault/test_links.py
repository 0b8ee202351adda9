"""vault.links.RequestLinks gives each row the URL reverse() gives, one reverse() per name."""

from unittest import mock

import pytest
from django.urls import NoReverseMatch, reverse

from vault import links as links_module
from vault.links import RequestLinks

NAMES = ["vault:request_edit", "vault:request_row", "dispatch:request_send", "helpdesk:submit"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("request_id", [1, 7, 42, 987_654_321, 2**62])
def test_same_url_as_reverse(name, request_id):
    assert RequestLinks().url(name, request_id) == reverse(name, kwargs={"request_id": request_id})


def test_one_reverse_per_name_for_a_page_of_rows():
    links = RequestLinks()
    with mock.patch.object(links_module, "reverse", wraps=reverse) as spy:
        urls = [links.url(name, pk) for pk in range(1, 51) for name in NAMES]
    assert spy.call_count == len(NAMES)
    assert len(set(urls)) == 50 * len(NAMES)


def test_a_name_without_request_id_is_refused():
    with pytest.raises(NoReverseMatch):
        RequestLinks().url("vault:list", 1)
