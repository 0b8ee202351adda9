"""gunicorn's settings for the web servers: `gunicorn -c config/gunicorn.py config.wsgi`.

Sync workers, (2 x cores) + 1 of them by default (WEB_CONCURRENCY overrides, as gunicorn
reads it). A page is CPU work in Python with short waits on PostgreSQL, so a process per
core keeps the cores busy and the extra ones run while others wait on the database; a sync
worker takes a connection only when it is free, so a slow page never holds others queued
behind it in one busy process (as keep-alive connections pinned to a threaded worker do).
The TLS proxy in front keeps the clients' connections alive and buffers slow clients.
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
graceful_timeout = 30
# Access lines come from ops.logs (no query strings: searches hold insureds' names).
accesslog = None
