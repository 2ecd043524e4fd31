"""Sessions end when rights end: an `Actor` signed in here re-reads its account at every
service call (`Actor.require` calls `rights`), and a deactivated or re-roled person is refused.

The check is one indexed read of the `users` row (`UnitOfWork.account_state`); it lives here,
once, rather than in each service. Never import Qt or SQLAlchemy here.
"""

from __future__ import annotations

from collections.abc import Callable

from slidesk.domain.errors import RightsEnded
from slidesk.domain.users import Actor, parse_roles
from slidesk.i18n import _
from slidesk.persistence.uow import UnitOfWork


def entitled_actor(
    uow: UnitOfWork, user_id: int, username: str, full_name: str, roles: str
) -> Actor:
    """The acting person for a session of this account, checked again at every service call."""
    return Actor(user_id, username, full_name, parse_roles(roles), rights=rights_check(uow))


def rights_check(uow: UnitOfWork) -> Callable[[Actor], None]:
    """Raise `RightsEnded` when the actor's account is gone, inactive, or lacks a role it had."""

    def check(actor: Actor) -> None:
        state = uow.account_state(actor.user_id)
        if state is None or not state[0]:
            raise RightsEnded(
                _(
                    "The account of {name} was deactivated: the session has ended and nothing "
                    "more is recorded in their name."
                ).format(name=actor.full_name),
                actor.user_id,
            )
        held = parse_roles(state[1])
        lost = actor.roles - held
        if lost:
            raise RightsEnded(
                _(
                    "The roles of {name} changed (no longer {lost}): the session has ended; "
                    "sign in again to work with the roles the account has now."
                ).format(name=actor.full_name, lost=", ".join(sorted(r.value for r in lost))),
                actor.user_id,
            )

    return check
