"""Domain errors raised by the services. Callers (API, pages) map them to responses.

Each has a stable `code` that clients can rely on, a human `message` and optional
per-field messages.
"""


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    """The values given break a rule of the model (the field messages say which)."""

    code = "invalid"


class NotAllowed(DomainError):
    """The user has no standing to do this."""

    code = "not_allowed"


class NotVerified(DomainError):
    """The organisation has not been verified by a broker yet."""

    code = "organisation_not_verified"


class InvalidTransition(DomainError):
    """The thing is not in a state where this action is possible."""

    code = "invalid_transition"


class CapacityExceeded(DomainError):
    """More days than the offer or the need has left."""

    code = "capacity_exceeded"


class DuplicateMatch(DomainError):
    """The offer and need already have a match that is proposed, accepted or in progress."""

    code = "duplicate_match"


class IncompatiblePair(DomainError):
    """The offer cannot serve the need (dates or wards)."""

    code = "incompatible_pair"


class LeaveExceeded(DomainError):
    """Booking or logging this would take a volunteer past their leave allowance."""

    code = "leave_exceeded"


class NotFound(DomainError):
    """There is no such thing (or not one the user may know of)."""

    code = "not_found"
