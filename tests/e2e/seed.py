"""A ready agency for the browser tests, made through the product's own services in
`manage.py shell` (the UI path is the journey's job), and signing in as its owner."""

from __future__ import annotations

import json
import re
import secrets

PHONE = {"width": 390, "height": 844}

SEED = r"""
import datetime as dt, json
from django.utils import timezone
from accounts.services import agency_signup
from tracker.calendar import get_calendar
from vault import services
from vault.rules import PolicyData

run, password = {run!r}, {password!r}
user = agency_signup(
    agency_name=f"Vault Browser {{run}}", full_name="Sam Okafor",
    email=f"vault-{{run}}@e2e.example.com", password=password, state="NY",
    time_zone="America/New_York",
)
agency = user.agency
cal = get_calendar(None)
today = timezone.now().astimezone(agency.tz).date()
long_ago = cal.next_business_day_on_or_after(today - dt.timedelta(days=35))
yesterday = today - dt.timedelta(days=1)
carrier = services.carrier_create_private(agency=agency, legal_name=f"Granite Casualty {{run}}")
rows = {{
    "awaiting": ("Aster Florist", {{}}),
    "received": ("Birch Dental", {{"first_request_on": long_ago, "received_on": today}}),
    "second_due": ("Cedar Roofing", {{"first_request_on": long_ago}}),
    "waiting": ("Dune Motors", {{"first_request_on": yesterday}}),
}}
out = {{"email": user.email}}
for i, (key, (name, dates)) in enumerate(rows.items()):
    insured = services.insured_create(agency=agency, legal_name=f"{{name}} {{run}}")
    number = f"{{key[:3].upper()}}-{{run}}-{{i}}"
    req = services.request_create(
        agency=agency, user=user, insured=insured, carrier=carrier,
        policies=[PolicyData(number, dt.date(2024, 1, 1), dt.date(2025, 1, 1))],
        recipient_name="Sam Okafor", recipient_email=user.email,
        notes=f"Seeded {{key}} request", **dates,
    )
    out[key] = {{
        "id": req.pk, "insured": insured.legal_name, "insured_id": insured.pk, "policy": number,
    }}
print("SEED " + json.dumps(out))
"""


def seed_agency(live_stack) -> dict:
    """A new agency with one request in each of four statuses (ids, names, policy numbers)."""
    run = secrets.token_hex(3)
    password = f"Vault-{secrets.token_urlsafe(10)}"
    output = live_stack.shell(SEED.format(run=run, password=password))
    data = json.loads(output.split("SEED ", 1)[1])
    data["password"] = password
    return data


def sign_in(page, agency) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(agency["email"])
    page.locator("#id_password").fill(agency["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
