from rest_framework import permissions

from brokerage import selectors


class CanChangeListing(permissions.BasePermission):
    """Anyone who can see an offer or need may read it; only its organisation's members and
    brokers change it (403: they know it exists)."""

    message = "Only members of the organisation that posted this, or a broker, can change it."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return selectors.can_act_for(request.user, obj.organisation)
