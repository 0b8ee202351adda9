"""Reads of the state rules table (platform data: the same for every agency)."""

from __future__ import annotations

from collections.abc import Iterable

from statutes.models import StateRule


def rule_for_state(state: str) -> StateRule | None:
    if not state:
        return None
    return StateRule.objects.filter(state=state).first()


def rules_for_states(states: Iterable[str]) -> dict[str, StateRule]:
    return {r.state: r for r in StateRule.objects.filter(state__in=set(states) - {""})}
