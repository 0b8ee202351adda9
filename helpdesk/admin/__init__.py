"""The staff side of the help desk, one module per concern. Importing registers the admins.

Every change goes through helpdesk.services (audit + e-mails).
"""

from helpdesk.admin import mistakes, tickets

__all__ = ["mistakes", "tickets"]
