"""Every outgoing e-mail: one row per message, delivered by one task with claim, retry and backoff.

Infrastructure at the bottom of the dependency graph: imports only Django, Celery and config.
"""
