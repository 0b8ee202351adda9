from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = "Help desk"

    def ready(self) -> None:
        # The vault's pages read open tickets through their port (vault/helpdesk_port.py).
        from escalation import ticket_port
        from helpdesk import selectors_vault
        from helpdesk.services.statutory import ticket_kit_note
        from vault import helpdesk_port

        helpdesk_port.helpdesk_reader_install(
            helpdesk_port.HelpdeskReader(
                open_tickets=selectors_vault.open_tickets_for_requests,
                waiting_on_agency=selectors_vault.tickets_waiting_on_agency,
            )
        )
        # An escalation kit is posted on the request's open ticket through escalation's port.
        ticket_port.ticket_note_install(ticket_kit_note)
