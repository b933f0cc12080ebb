"""ASGI entry point: HTTP through Django, WebSockets through Channels. The socket routes are
named by a setting, WEBSOCKET_URLCONF, as ROOT_URLCONF names the HTTP ones: the project's
configuration points at the edge; no module of the domain imports it."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.config.settings")
# Django must be set up before anything imports models (consumers, routing).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

websocket_urlpatterns = import_string(f"{settings.WEBSOCKET_URLCONF}.websocket_urlpatterns")


class BrowserOriginValidator(OriginValidator):
    """Browsers always send Origin on a WebSocket handshake: it must name one of our hosts, so
    no other site can open a socket riding the user's session cookie. Other clients (API
    tokens) send no Origin and pass; the consumer still refuses them without credentials."""

    def valid_origin(self, parsed_origin) -> bool:
        return parsed_origin is None or self.validate_origin(parsed_origin)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": BrowserOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns)), settings.ALLOWED_HOSTS
        ),
    }
)

from brokerage.infra import startup  # noqa: E402

startup.settle()
