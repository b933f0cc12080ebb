"""Server-rendered pages (Django templates + htmx) and the WebSocket client."""
