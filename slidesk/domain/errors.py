"""Domain errors: each carries a message a nurse or operator understands. Standard library only."""


class DomainError(Exception):
    """A rule of the trial or the record refused an action; the message says why."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class ValidationError(DomainError):
    """Input is malformed or out of range."""


class NotFoundError(DomainError):
    """The record asked for does not exist."""


class StateError(DomainError):
    """The record is not in a state that allows this action."""


class ConflictError(DomainError):
    """The action would duplicate something already recorded (a site, a syringe)."""


class PermissionDenied(DomainError):
    """The acting user's role does not allow this action."""


class ReasonRequired(ValidationError):
    """A change needs a reason (a deviation, a correction) and none was given."""


class RightsEnded(PermissionDenied):
    """The signed-in person's account was deactivated, or lost a role, since they signed in:
    their session has ended and every further action is refused until they sign in again."""

    def __init__(self, message: str, user_id: int) -> None:
        super().__init__(message)
        self.user_id = user_id
