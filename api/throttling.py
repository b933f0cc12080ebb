from rest_framework import throttling


class SignedInRateThrottle(throttling.UserRateThrottle):
    """Per user, for signed-in clients only: signed-out ones are counted by address alone
    (AnonRateThrottle), not twice."""

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
