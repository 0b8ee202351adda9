"""The ticket queue for the admin's index page (an index_template cannot get context)."""

from django import template

from helpdesk.admin.queue import Queue, ticket_queue

register = template.Library()


@register.simple_tag
def helpdesk_ticket_queue() -> Queue:
    return ticket_queue()
