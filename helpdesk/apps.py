from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = "Help desk"

    def ready(self) -> None:
        # An escalation kit is posted on the request's open ticket through escalation's port.
        from escalation import ticket_port
        from helpdesk.services.statutory import ticket_kit_note

        ticket_port.ticket_note_install(ticket_kit_note)
