"""Which time zone a state's agency most likely keeps: sign-up proposes it.

One zone per state, for the zones the product offers (accounts.models.US_TIME_ZONES). A
state split between two zones gets the one most of its people live in (Texas: Central;
Florida, Indiana, Kentucky, Michigan: Eastern; Idaho: Mountain; Oregon: Pacific; the
Dakotas, Kansas, Nebraska, Tennessee: Central). Arizona keeps no daylight time. The agency
can always choose another zone, at sign-up and later in its settings.
"""

from __future__ import annotations

EASTERN, CENTRAL, MOUNTAIN = "America/New_York", "America/Chicago", "America/Denver"
ARIZONA, PACIFIC = "America/Phoenix", "America/Los_Angeles"
ALASKA, HAWAII = "America/Anchorage", "Pacific/Honolulu"

_BY_ZONE = {
    EASTERN: "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV",
    CENTRAL: "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI",
    MOUNTAIN: "CO ID MT NM UT WY",
    ARIZONA: "AZ",
    PACIFIC: "CA NV OR WA",
    ALASKA: "AK",
    HAWAII: "HI",
}
STATE_TIME_ZONES: dict[str, str] = {
    state: zone for zone, states in _BY_ZONE.items() for state in states.split()
}


def time_zone_for_state(state: str) -> str | None:
    """The proposed time zone of a US state (two-letter code), None for an unknown code."""
    return STATE_TIME_ZONES.get(state)
