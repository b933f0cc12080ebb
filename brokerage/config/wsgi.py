"""WSGI entry point: production HTTP (gunicorn). WebSockets go to the ASGI app (asgi.py).

Django's sync views run 2–4× faster under a WSGI worker than through an ASGI server's
thread hop (bench/api_bench.py measures both), so production serves HTTP here and routes
only /ws/ to uvicorn. The embedded mode (`make run`) serves both from the ASGI app.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.config.settings")
application = get_wsgi_application()

from brokerage.infra import startup  # noqa: E402 (after Django is set up)

startup.settle()
