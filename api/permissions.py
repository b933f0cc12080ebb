"""DRF permission classes: each reads one rule of `brokerage.access` (the services enforce the
same rules; these answer 403 before any work is done, with the rule's own words)."""

from rest_framework import permissions

from brokerage import access


class IsBroker(permissions.IsAuthenticated):
    """Brokers only (401 signed out, 403 for everyone else). A view may name what only brokers
    do in `broker_only_message`."""

    message = "Only brokers can do this."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if access.is_broker(request.user):
            return True
        self.message = getattr(view, "broker_only_message", IsBroker.message)
        return False


class CanChangeListing(permissions.BasePermission):
    """Anyone who can see an offer or need may read it; only who may manage it
    (`access.can_manage_listing`: a business's administrators its offers, a charity's members
    its needs, brokers either) changes it (403: they know it exists)."""

    message = "Only who posts for this organisation, or a broker, can change it."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if access.can_manage_listing(request.user, obj):
            return True
        if obj.organisation.kind == obj.organisation.Kind.BUSINESS:
            self.message = (
                f"Only an administrator of {obj.organisation} or a broker can change its offers."
            )
        else:
            self.message = f"Only members of {obj.organisation} or a broker can change its needs."
        return False
