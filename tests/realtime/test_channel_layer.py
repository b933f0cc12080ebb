"""The channel layer that will carry live notifications: Redis when REDIS_URL is set."""

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings


def test_channel_layer_follows_redis_url():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "channels_redis.pubsub.RedisPubSubChannelLayer"  # see settings
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"


def test_a_message_sent_to_a_group_reaches_its_member():
    layer = get_channel_layer()
    group = f"test-{uuid.uuid4().hex}"

    async def roundtrip():
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        await layer.group_send(group, {"type": "notification", "text": "Match accepted"})
        received = await layer.receive(channel)
        await layer.group_discard(group, channel)
        return received

    assert async_to_sync(roundtrip)() == {"type": "notification", "text": "Match accepted"}


@pytest.mark.redis
def test_redis_layer_delivers_across_layer_instances():
    """Two web processes each have their own layer object; Redis connects them."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    from channels_redis.core import RedisChannelLayer

    sender = RedisChannelLayer(hosts=[os.environ["REDIS_URL"]])
    receiver = RedisChannelLayer(hosts=[os.environ["REDIS_URL"]])
    group = f"test-{uuid.uuid4().hex}"

    async def roundtrip():
        channel = await receiver.new_channel()
        await receiver.group_add(group, channel)
        await sender.group_send(group, {"type": "notification", "text": "from another process"})
        received = await receiver.receive(channel)
        await receiver.group_discard(group, channel)
        await sender.flush()
        return received

    assert async_to_sync(roundtrip)()["text"] == "from another process"
