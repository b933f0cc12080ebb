"""The Django project's wiring: settings, URLs, the ASGI and WSGI applications, the project's
own views (health, favicon, locked out) and the admin site's registrations. It joins the edges
(`api`, `frontend`) to the domain; no domain module imports it (`tests/test_architecture.py`)."""
