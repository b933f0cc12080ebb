"""WebSocket routes. The notifications issue adds ws/notifications/ here."""

websocket_urlpatterns: list = []
