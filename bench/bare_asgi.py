"""The WebSocket benchmark's server: the product's ASGI application plus `/ws/bare/?user=N`,
a bare Channels consumer that joins the user's group and forwards what it gets (no
authentication, no resume, no counts). It is the floor the product's consumer is measured
against, on the same server, layer and clients in the same run. Never deployed."""

from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import URLRouter
from django.urls import path

from brokerage.config.asgi import application as product  # sets Django up first
from brokerage.messaging.push import PUSH_EVENT, user_group


class BareConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.group = user_group(int(parse_qs(self.scope["query_string"].decode())["user"][0]))
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def on_push(self, event: dict) -> None:
        await self.send_json(event["message"])


setattr(BareConsumer, get_handler_name({"type": PUSH_EVENT}), BareConsumer.on_push)


bare = URLRouter([path("ws/bare/", BareConsumer.as_asgi())])


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"] == "/ws/bare/":
        return await bare(scope, receive, send)
    return await product(scope, receive, send)
