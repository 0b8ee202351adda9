"""Writes of the help desk, one module per concern; the public functions are re-exported here.

Every change writes a TicketEvent (the audit, `trail`) and queues its e-mails on commit.
- `submission`: an agency hands a request over (rules in helpdesk.rules)
- `staff`: staff work the ticket in the admin
- `thread`: messages, internal notes and agency replies
"""

from helpdesk.services.staff import (
    ticket_assign,
    ticket_escalation_letter_record,
    ticket_resolve_received,
    ticket_return_to_agency,
    ticket_set_priority,
    ticket_set_status,
    ticket_staff_update,
)
from helpdesk.services.submission import (
    ProofChoice,
    TicketAlreadyOpen,
    first_response_due,
    submission_uploads_store,
    ticket_open_for_request,
    ticket_submit,
)
from helpdesk.services.thread import ticket_add_message, ticket_reply

__all__ = [
    "ProofChoice",
    "TicketAlreadyOpen",
    "first_response_due",
    "submission_uploads_store",
    "ticket_add_message",
    "ticket_assign",
    "ticket_escalation_letter_record",
    "ticket_open_for_request",
    "ticket_reply",
    "ticket_resolve_received",
    "ticket_return_to_agency",
    "ticket_set_priority",
    "ticket_set_status",
    "ticket_staff_update",
    "ticket_submit",
]
