"""The staff side of the help desk, one module per concern. Importing registers the admins.

Every change goes through helpdesk.services (audit + e-mails).
"""

from django.contrib import admin

from helpdesk.admin import mistakes, tickets

# Staff open the admin to work tickets: its index shows the queue first (the apps below).
admin.site.index_template = "admin/helpdesk/index.html"

__all__ = ["mistakes", "tickets"]
