"""Writes of the inbound app: receiving a message, the agent's answers, the help desk's triage."""

from inbound.services.agent import reply_acknowledge, reply_received_undo, undo_errors
from inbound.services.receive import Received, inbound_receive, raw_message
from inbound.services.triage import attach_errors, triage_attach, triage_dismiss

__all__ = [
    "Received",
    "attach_errors",
    "inbound_receive",
    "raw_message",
    "reply_acknowledge",
    "reply_received_undo",
    "triage_attach",
    "triage_dismiss",
    "undo_errors",
]
